"""Rules that query the entity-role-record graph and raise scored, explained flags.

Public API::

    from rules import load_config, run_rules, write_flags

    params = load_config("reglink.toml", overrides=["prolific_father.min_births=4"])
    run = run_rules(con, params=params)          # RuleRun: flags DataFrame + statuses
    write_flags(run, con, "run-folder")          # flags.csv, flags.json, flags table

``rules.docs.render_rules_doc()`` renders docs/rules.md from the rule classes
(``python -m rules.docs`` rewrites the file).
"""

from rules.config import apply_overrides, config_from_mapping, load_config, parse_override
from rules.engine import RuleRun, RuleStatus, run_rules
from rules.flags import FLAG_COLUMNS, write_flags
from rules.params import Params, param
from rules.registry import REGISTRY, Registry
from rules.rule import Finding, Row, Rule, Strength
from rules.scoring import ScoringParams

__all__ = [
    "FLAG_COLUMNS",
    "REGISTRY",
    "Finding",
    "Params",
    "Registry",
    "Row",
    "Rule",
    "RuleRun",
    "RuleStatus",
    "ScoringParams",
    "Strength",
    "apply_overrides",
    "config_from_mapping",
    "load_config",
    "param",
    "parse_override",
    "run_rules",
    "write_flags",
]
