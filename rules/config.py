"""Rule and scoring parameters from TOML and from ``rule.param=value`` override strings.

A configuration is a plain nested mapping ``{rule_id: {param: value}, "scoring": {...}}``,
the shape :func:`rules.engine.run_rules` takes. In a TOML file it reads::

    [rules.prolific_father]
    min_births = 5

    [scoring]
    high_from = 75

    [scoring.watchlist_gravity]
    ocg_member = 0.9

Other top-level tables (for other stages of reglink) are ignored here. Override strings
(``prolific_father.min_births=4``, ``scoring.watchlist_gravity.ocg_member=0.9``, optionally
prefixed ``rules.``) are applied on top. Unknown rules or parameters raise
:class:`ConfigError` naming them.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from resolver.errors import ConfigError
from rules.params import Params, build_params
from rules.registry import REGISTRY, Registry
from rules.scoring import ScoringParams

Config = dict[str, dict[str, Any]]
SCORING = "scoring"


def config_from_mapping(doc: Mapping[str, Any], *, registry: Registry = REGISTRY) -> Config:
    """The rules configuration found in a parsed TOML document (``rules`` and ``scoring``)."""
    config: Config = {}
    rules_table = doc.get("rules", {})
    if not isinstance(rules_table, Mapping):
        raise ConfigError("[rules] must be a table of [rules.<rule_id>] tables")
    for rule_id, table in rules_table.items():
        if not isinstance(table, Mapping):
            raise ConfigError(f"[rules.{rule_id}] must be a table of parameters")
        config[str(rule_id)] = dict(table)
    if SCORING in doc:
        if not isinstance(doc[SCORING], Mapping):
            raise ConfigError("[scoring] must be a table of parameters")
        config[SCORING] = dict(doc[SCORING])
    resolve(config, registry=registry)  # raises ConfigError naming a bad rule or parameter
    return config


def load_config(
    path: str | Path | None = None,
    overrides: Iterable[str] = (),
    *,
    registry: Registry = REGISTRY,
) -> Config:
    """Read a TOML file (optional) and apply ``rule.param=value`` overrides; validated."""
    config: Config = {}
    if path is not None:
        try:
            with open(path, "rb") as fh:
                doc = tomllib.load(fh)
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read configuration: {exc.strerror}") from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
        config = config_from_mapping(doc, registry=registry)
    return apply_overrides(config, overrides, registry=registry)


def parse_override(text: str) -> tuple[str, str, Any]:
    """Split ``rule.param=value`` (or ``scoring.table.key=value``) into owner, name, value.

    The value is read as a TOML literal when it is one (``4``, ``0.5``, ``true``,
    ``["a", "b"]``, ``"text"``), else kept as the bare string. A dict key after the
    parameter name yields ``{key: value}``.
    """
    key, sep, raw = text.partition("=")
    parts = [p.strip() for p in key.strip().split(".")]
    if parts and parts[0] == "rules":
        parts = parts[1:]
    if not sep or len(parts) not in (2, 3) or not all(parts):
        raise ConfigError(
            f"override {text!r} is not of the form rule_id.parameter=value "
            "(or scoring.parameter=value)"
        )
    value = _literal(raw.strip())
    if len(parts) == 3:
        value = {parts[2]: value}
    return parts[0], parts[1], value


def apply_overrides(
    config: Mapping[str, Mapping[str, Any]],
    overrides: Iterable[str],
    *,
    registry: Registry = REGISTRY,
) -> Config:
    """A copy of ``config`` with override strings applied on top; validated."""
    out: Config = {owner: dict(table) for owner, table in config.items()}
    for text in overrides:
        owner, name, value = parse_override(text)
        table = out.setdefault(owner, {})
        if isinstance(value, dict) and isinstance(table.get(name), Mapping):
            value = {**table[name], **value}
        table[name] = value
    resolve(out, registry=registry)
    return out


def resolve(
    config: Mapping[str, Any] | None, *, registry: Registry = REGISTRY
) -> tuple[dict[str, Params], ScoringParams]:
    """Effective parameters of every registered rule, and the scoring parameters.

    Raises :class:`ConfigError` naming the first unknown rule or parameter, or a value that
    does not fit its parameter's type or bounds.
    """
    config = dict(config or {})
    unknown = sorted(k for k in config if k != SCORING and k not in registry)
    if unknown:
        raise ConfigError(
            f"unknown rule {unknown[0]!r} in parameters; known rules: "
            f"{', '.join(registry)} (and 'scoring')"
        )
    for owner, table in config.items():
        if not isinstance(table, Mapping):
            raise ConfigError(f"parameters of {owner!r} must be a table of name = value")
    rule_params = {
        rule_id: build_params(rule.params, config.get(rule_id), rule_id)
        for rule_id, rule in registry.items()
    }
    scoring = build_params(ScoringParams(), config.get(SCORING), SCORING)
    return rule_params, scoring


def _literal(raw: str) -> Any:
    try:
        return tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        return raw
