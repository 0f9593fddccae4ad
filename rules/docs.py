"""Render docs/rules.md from the rule classes, the scoring parameters and the flag schema.

Run ``python -m rules.docs`` to rewrite ``docs/rules.md``; a test fails when it is stale.
"""

from __future__ import annotations

import inspect
import sys
from pathlib import Path
from typing import Any

from resolver.files import atomic_path
from rules import scoring
from rules.flags import CSV_COLUMNS, FLAG_COLUMNS
from rules.params import Params, param_specs
from rules.registry import REGISTRY, Registry
from rules.rule import RESERVED_COLUMNS, SUBJECT_TYPES
from rules.scoring import ScoringParams

DOC_PATH = Path(__file__).resolve().parent.parent / "docs" / "rules.md"

_FLAG_FIELDS = {
    "flag_id": "Deterministic: `<rule_id>-` and 12 hex digits of SHA-256 of "
    "`subject_type|subject`.",
    "rule_id": "The rule that raised the flag.",
    "subject": "Entity id, cohort key, passport number, folded name key, address key or "
    "report key.",
    "subject_type": f"One of {', '.join(f'`{t}`' for t in SUBJECT_TYPES)}.",
    "score": "0-100, see Scoring.",
    "severity": "`high`, `medium` or `low`, from the score bands.",
    "summary": "One line.",
    "evidence": "Mention ids the flag rests on (`;`-joined in CSV).",
    "explanation": "One paragraph: what was found with counts and parameters, the evidence "
    "strength contributions, and how the score was reached.",
    "confidence": "Weakest membership or link probability the flag rests on (1.0 for none).",
    "group_id": "`G-` and a hash of the subject: flags on the same subject from different rules "
    "share it.",
    "case_id": "`C-` and a hash: flags that share a subject or any evidence mention, directly or "
    "through other flags, share it (see Cases).",
    "case_score": "The case's rank score: its best flag score plus `case_corroboration` points "
    "per further rule among its flags (at most 100).",
    "details": "Metrics of the finding, its strength and score parts (JSON).",
}

_HOW_TO = '''\
## How to write a new rule

1. **Create one module** `rules/catalogue/<rule_id>.py` holding a frozen parameter dataclass
   and the rule class:

   ```python
   from dataclasses import dataclass

   from rules.params import Params, param
   from rules.rule import Finding, Row, Rule, Strength


   @dataclass(frozen=True)
   class SharedPhoneParams(Params):
       min_people: int = param(3, "Fewest distinct entities giving one phone number.", minimum=2)
       w_base: float = param(0.4, "Strength for meeting min_people.", minimum=0, maximum=1)


   class SharedPhone(Rule[SharedPhoneParams]):
       id = "shared_phone"
       title = "One phone number given by many unrelated people"
       description = "What it finds, in words an analyst can check against the SQL."
       loophole = "The systemic gap or typology this evidences."
       severity = "What makes a finding of this rule more or less severe."
       subject_type = "address"  # entity, cohort, passport, address, name or report
       params = SharedPhoneParams()

       def sql(self, p: SharedPhoneParams) -> str:
           return f"""
   WITH phones AS (...)                  -- named CTEs over records_*, mentions, entities
   SELECT phone AS subject,              -- unique per rule
          list(mention_id) AS evidence,  -- mention ids the finding rests on
          count(DISTINCT entity_id) AS n_people
   FROM phones GROUP BY phone
   HAVING count(DISTINCT entity_id) >= {p.min_people}
   """

       def assess(self, row: Row, p: SharedPhoneParams) -> Finding:
           s = Strength(p.w_base, "base for a shared number")
           return Finding(
               summary=f"Phone given by {row['n_people']} people",
               reason=f"... {row['n_people']} entities (min_people={p.min_people}).",
               strength=s,
           )
   ```

2. **Keep the work in SQL.** `sql()` returns one SELECT that runs set-based over the whole
   store (it must stay fast on a million mentions); `assess()` only turns each result row
   into words and an evidence strength. Use the fragments in `rules.sqlkit` (`fold`,
   `token_key`, `address_key`, `age_at`, `family_of`, ...) so names and addresses compare
   the same way in every rule. Cope with empty tables: a source that was not supplied is
   an empty table with the same columns. Use nationality only relationally (same as or
   differs from another person's), never as a score for a particular nationality.
   The same SQL also runs on Spark (`--engine spark`, [scaling.md](scaling.md)), translated:
   write `days_between(a, b)`, never `b - a`, for days between two dates, give every side of
   a `UNION` the same columns (no `UNION BY NAME`), and run
   `pytest tests/resolver/test_spark_sql.py` to see that it translates.
3. **Register it**: import the class in `rules/catalogue/__init__.py` and add it to
   `CATALOGUE`. The registry checks at import that ids are unique, metadata is present,
   and every parameter is typed, documented and has a default that fits.
4. **Add golden cases** in `tests/rules/golden/<rule_id>/`: at least one YAML case that fires
   and one that must not (the innocent look-alike). A case lists `records` per source
   (optionally `{defaults: ..., rows: [...]}`), `entities` (entity id to mention ids; other
   mentions are singletons), optional `probabilities`, `params` and `tables`, and `expect`:
   the flags (subject, and any of `subject_type`, `severity`, `min_score`, `max_score`,
   `evidence`, `evidence_includes`, `summary_contains`, `explanation_contains`, `details`,
   `confidence`). An empty `expect` means the rule must not fire.
5. **Regenerate this page** with `python -m rules.docs`, then run
   `pytest tests/rules`, `ruff check rules tests/rules` and `mypy rules`.
'''

_DESIGN_NOTES = """\
## Design notes

- **Engine-derived context.** The engine wraps each rule's SELECT and, in the same query,
  derives from the evidence mentions: records involved, newest event date, minors (age at the
  mention's event date below `scoring.minor_age`), the watchlist categories of every involved
  entity, and the weakest membership probability. A rule overrides any of these by returning
  the column (`minors`, `n_records`, `last_event`, `confidence`), e.g. when a minor's age comes
  from `approx_age` or when only some links matter (the father's, not the mothers').
- **Scores are explained arithmetic.** Each rule contributes an evidence strength built from
  named, weighted parts (`rules.rule.Strength`); gravity, frequency, recency and confidence are
  common to all rules, so scores are comparable across rules and every number in a score can
  be traced in its explanation.
- **Reproducible.** Recency counts back from the newest event date in the store, flag ids hash
  the subject, output is ordered case by case (by case score, then case id; within a case by
  score, then flag id), and `flags.json` holds no timings.
- **Subject type `name`.** Informants, guardians and individual sponsors are not resolved as
  persons, so `shared_enabler` flags them by their folded, word-sorted name key with subject
  type `name` (addresses use `address`).
- **Cohorts chain.** A visa cohort is an island of course start dates where each start is
  within `window_days` of the previous one (set-based gaps-and-islands), not a fixed window
  from the first start; the subject names the first start date.
- **Families.** "Unrelated families" are distinct family keys: a mother's entity, or for a
  person registered as a child on a birth, their mother's entity; anyone else is their own
  family. Siblings therefore count once.
- **Store adapter.** The declared store schema lives in `rules/store_schema.py`. When a
  store table differs from it (dates written by pandas as TIMESTAMP, extra or missing
  columns, an absent table), the engine prepends `NOT MATERIALIZED` CTEs of the same names
  that cast, fill or empty it, so rule SQL always sees the declared schema; a store that
  already matches pays nothing. On Spark (`rules.spark_store`) each table is a view that
  already shows the declared schema, so no prelude is needed.
- **Grouping.** `group_id` groups flags by subject; an entity flagged by several rules (say
  `missing_after_visa` and `missing_no_responsible_force`) shows as one group.
- **Cases.** `case_id` joins flags that share a subject or an evidence mention, directly or
  through other flags (`rules/cases.py`): the organiser whose informant registrations are a
  prolific father's births, or the children of a no-show visa cohort later reported missing,
  stand in the father's or the cohort's case. Flags are ordered case by case, each case
  ranked by its `case_score` (best flag score, plus `scoring.case_corroboration` points for
  each further rule that corroborates it); the CLI's table and the evaluation rank cases,
  since an analyst works a case, not ten flags of one case.
"""


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml(v)}" for k, v in sorted(value.items())) + " }"
    return repr(value)


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _params_table(params: Params) -> list[str]:
    lines = ["| parameter | type | default | meaning |", "|---|---|---|---|"]
    for spec in param_specs(type(params)):
        bounds = []
        if spec.minimum is not None:
            bounds.append(f"min {spec.minimum:g}")
        if spec.maximum is not None:
            bounds.append(f"max {spec.maximum:g}")
        doc = spec.doc + (f" ({', '.join(bounds)})" if bounds else "")
        lines.append(
            f"| `{spec.name}` | {spec.type_name} | `{_cell(_toml(spec.default))}` | {_cell(doc)} |"
        )
    return lines


def render_rules_doc(registry: Registry = REGISTRY) -> str:
    """The full text of docs/rules.md."""
    out = [
        "# Rules",
        "",
        "<!-- Generated by `python -m rules.docs` from the rule classes; do not edit by hand."
        " A test checks that this file is up to date. -->",
        "",
        "Rules query the run store (records, mentions, entities, links) and raise scored, "
        "explained flags for patterns that organised exploitation leaves in registration "
        "records. Each rule is one module in `rules/catalogue/`, with its metadata and "
        "default parameters on the class; the explicit registry in `rules/registry.py` is "
        "validated at import. The engine (`rules.engine.run_rules`) runs each rule's single "
        "SELECT, isolates a rule that fails (it is reported as `failed` with its error and the "
        "others still run), derives context from the evidence, scores, groups and returns the "
        "flags; `rules.flags.write_flags` writes `flags.csv`, `flags.json` and the `flags` "
        "table.",
        "",
        "| rule | title | subject |",
        "|---|---|---|",
    ]
    for rule in registry.values():
        out.append(f"| [`{rule.id}`](#{rule.id}) | {_cell(rule.title)} | {rule.subject_type} |")
    out += ["", "## Flags", "", "| column | meaning |", "|---|---|"]
    out += [f"| `{c}` | {_cell(_FLAG_FIELDS[c])} |" for c in FLAG_COLUMNS]
    out += [
        "",
        f"`flags.csv` has the columns {', '.join(f'`{c}`' for c in CSV_COLUMNS)}; a cell that "
        "starts with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with `'` so a "
        "spreadsheet does not run it as a formula. `flags.json` holds, per flag, the evidence "
        "mention ids and the evidence records as recorded (from the `records_*` tables), the "
        "explanation and the details, plus each rule's status and parameters. Flags are ordered "
        "case by case: cases by `case_score` (highest first), then case id; within a case by "
        "score (highest first), then flag id. The same store gives the same bytes.",
        "",
        "A rule's SELECT returns one row per finding with `subject` and `evidence`; the "
        f"optional columns {', '.join(f'`{c}`' for c in RESERVED_COLUMNS[2:])} override what "
        "the engine derives; every other column is a metric passed to the rule's `assess` and "
        "kept in `details`.",
        "",
        "## Scoring",
        "",
        inspect.cleandoc(scoring.__doc__ or ""),
        "",
        "Parameters (`[scoring]`):",
        "",
        *_params_table(ScoringParams()),
        "",
        "## Configuration",
        "",
        "Parameters come from a TOML file and from override strings "
        "(`rules.config.load_config(path, overrides)`); unknown rules or parameters are errors "
        "that name them.",
        "",
        "```toml",
        "[rules.prolific_father]",
        "min_births = 5",
        "",
        "[scoring]",
        "high_from = 75",
        "",
        "[scoring.watchlist_gravity]   # merged with the defaults",
        "ocg_member = 0.9",
        "```",
        "",
        "Override strings: `prolific_father.min_births=4`, `scoring.high_from=75`, "
        "`scoring.watchlist_gravity.ocg_member=0.9` (values are read as TOML literals; a list "
        "may also be written `a,b`).",
        "",
        "## The catalogue",
    ]
    for rule in registry.values():
        out += [
            "",
            f'### <a id="{rule.id}"></a>`{rule.id}`: {rule.title}',
            "",
            " ".join(rule.description.split()),
            "",
            f"- **Loophole / typology:** {' '.join(rule.loophole.split())}",
            f"- **Severity:** {' '.join(rule.severity.split())}",
            f"- **Subject:** `{rule.subject_type}`",
            "",
            *_params_table(rule.params),
        ]
    out += ["", _HOW_TO.rstrip(), "", _DESIGN_NOTES.rstrip(), ""]
    return "\n".join(out)


def write_rules_doc(path: Path = DOC_PATH, registry: Registry = REGISTRY) -> Path:
    """Write the rendered page to ``path`` (docs/rules.md by default)."""
    with atomic_path(path) as temporary:
        temporary.write_text(render_rules_doc(registry), encoding="utf-8")
    return path


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else DOC_PATH
    print(write_rules_doc(target))
