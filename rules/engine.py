"""Run the registered rules against a run store, isolating failures, and score their findings."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

import duckdb
import pandas as pd

from resolver.errors import ConfigError
from rules.cases import assign_cases
from rules.config import resolve
from rules.errors import RuleOutputError, RuleQueryError
from rules.flags import FLAG_COLUMNS, flag_id, group_id, jsonable
from rules.params import Params, params_as_dict
from rules.registry import REGISTRY, Registry
from rules.rule import RESERVED_COLUMNS, SUBJECT_TYPES, Rule
from rules.scoring import ScoreInputs, ScoringParams, compute_score
from rules.store_schema import with_prelude
from rules.stores import RuleStore, as_store

log = logging.getLogger(__name__)

#: Context the engine derives from a finding's evidence, one column each (prefixed ``_ctx_``).
_CONTEXT_SQL = """
WITH {prelude}_findings AS (
    SELECT * FROM ({rule_sql}) AS _rule
),
_numbered AS (
    SELECT row_number() OVER (ORDER BY subject) AS _idx, * FROM _findings
),
_ev AS (
    SELECT DISTINCT _idx, unnest(evidence) AS mention_id FROM _numbered
),
_ev_m AS (
    SELECT _ev._idx, _ev.mention_id, m.source, m.record_id, m.dob, m.event_date,
           e.entity_id, e.membership_probability
    FROM _ev
    LEFT JOIN mentions AS m ON m.mention_id = _ev.mention_id
    LEFT JOIN entities AS e ON e.mention_id = _ev.mention_id
),
_ctx AS (
    SELECT _idx,
           count(DISTINCT source || ':' || record_id) AS _ctx_n_records,
           max(event_date) AS _ctx_last_event,
           count(DISTINCT coalesce(entity_id, mention_id))
               FILTER (WHERE datesub('year', dob, event_date) < {minor_age}) AS _ctx_minors,
           min(coalesce(membership_probability, 1.0)) AS _ctx_confidence
    FROM _ev_m GROUP BY _idx
),
_watch AS (
    SELECT x._idx,
           list(DISTINCT coalesce(nullif(lower(trim(r.category)), ''), 'unspecified')
                ORDER BY coalesce(nullif(lower(trim(r.category)), ''), 'unspecified'))
               AS _ctx_watchlist,
           list(DISTINCT w.mention_id ORDER BY w.mention_id) AS _ctx_watch_mentions
    FROM (SELECT DISTINCT _idx, entity_id FROM _ev_m WHERE entity_id IS NOT NULL) AS x
    JOIN entities AS w
      ON w.entity_id = x.entity_id AND w.source = 'watchlist' AND w.role = 'subject'
    LEFT JOIN records_watchlist AS r ON r.record_id = w.record_id
    GROUP BY x._idx
)
SELECT n.*, c.* EXCLUDE (_idx), w.* EXCLUDE (_idx)
FROM _numbered AS n
LEFT JOIN _ctx AS c ON c._idx = n._idx
LEFT JOIN _watch AS w ON w._idx = n._idx
ORDER BY n._idx
"""


@dataclass(frozen=True)
class RuleStatus:
    """How one rule fared: ``ok`` or ``failed`` (with the error), time taken, flags raised."""

    rule_id: str
    status: str
    seconds: float
    flags: int
    error: str | None = None


@dataclass
class RuleRun:
    """The result of :func:`run_rules`: flags in the fixed schema plus per-rule status."""

    flags: pd.DataFrame
    statuses: list[RuleStatus]
    params: dict[str, dict[str, Any]] = field(default_factory=dict)
    store_newest: date | None = None

    @property
    def failed(self) -> list[RuleStatus]:
        """Statuses of the rules that failed."""
        return [s for s in self.statuses if s.status != "ok"]

    def status_frame(self) -> pd.DataFrame:
        """Statuses as a DataFrame (rule_id, status, seconds, flags, error)."""
        return pd.DataFrame(
            [asdict(s) for s in self.statuses],
            columns=["rule_id", "status", "seconds", "flags", "error"],
        )


def run_rules(
    con: duckdb.DuckDBPyConnection | RuleStore,
    *,
    params: Mapping[str, Mapping[str, Any]] | None = None,
    only: Sequence[str] | None = None,
    registry: Registry | None = None,
) -> RuleRun:
    """Run the rules over the store on ``con`` and return their scored flags and statuses.

    ``con`` is a DuckDB connection to a run store, or any :class:`rules.stores.RuleStore`
    (:class:`rules.spark_store.SparkStore` runs the same SQL on Spark).

    ``params`` is ``{rule_id: {param: value}, "scoring": {...}}`` (see :mod:`rules.config`);
    ``only`` restricts the run to some rule ids. Bad parameters or unknown ids raise
    :class:`ConfigError` before anything runs; a rule that fails while running is recorded
    as ``failed`` with its error and the other rules still run.
    """
    registry = registry if registry is not None else REGISTRY
    rule_params, scoring = resolve(params, registry=registry)
    selected = list(registry) if only is None else list(dict.fromkeys(only))
    unknown = [rid for rid in selected if rid not in registry]
    if unknown:
        raise ConfigError(f"unknown rule {unknown[0]!r}; known rules: {', '.join(registry)}")
    store = as_store(con)
    prelude = store.prelude()
    _, newest_rows = store.query(with_prelude(prelude, "SELECT max(event_date) FROM mentions"))
    store_newest = newest_rows[0][0] if newest_rows else None

    flags: list[dict[str, Any]] = []
    statuses: list[RuleStatus] = []
    for rule_id in selected:
        started = time.perf_counter()
        try:
            rule = registry[rule_id]
            rule_flags = _run_one(store, prelude, rule, rule_params[rule_id], scoring, store_newest)
        except Exception as exc:  # isolation: one rule's failure must not stop the others
            seconds = round(time.perf_counter() - started, 3)
            message = f"{type(exc).__name__}: {exc}"
            log.warning("rule %s failed: %s", rule_id, message)
            statuses.append(RuleStatus(rule_id, "failed", seconds, 0, message))
            continue
        seconds = round(time.perf_counter() - started, 3)
        flags.extend(rule_flags)
        statuses.append(RuleStatus(rule_id, "ok", seconds, len(rule_flags)))
        log.info("rule %s: %d flag(s) in %.2fs", rule_id, len(rule_flags), seconds)

    frame = pd.DataFrame(
        assign_cases(flags, scoring.case_corroboration), columns=list(FLAG_COLUMNS)
    )
    used = {rid: params_as_dict(rule_params[rid]) for rid in selected}
    used["scoring"] = params_as_dict(scoring)
    return RuleRun(flags=frame, statuses=statuses, params=used, store_newest=store_newest)


def _run_one(
    store: RuleStore,
    prelude: list[str],
    rule: Rule[Any],
    p: Params,
    scoring: ScoringParams,
    store_newest: date | None,
) -> list[dict[str, Any]]:
    rule_sql = rule.sql(p)
    query = _CONTEXT_SQL.format(
        prelude="".join(f"{cte},\n" for cte in prelude),
        rule_sql=rule_sql,
        minor_age=int(scoring.minor_age),
    )
    try:
        names, values = store.query(query)
    except store.errors as exc:
        log.debug("rule %s failed on SQL:\n%s", rule.id, rule_sql)
        raise RuleQueryError(f"{type(exc).__name__} in the SQL of rule {rule.id}: {exc}") from exc
    rows = [dict(zip(names, row, strict=True)) for row in values]
    return [_flag(rule, p, scoring, store_newest, row) for row in _checked(rule, rows)]


def _checked(rule: Rule[Any], rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: set[tuple[str, str]] = set()
    for row in rows:
        subject, evidence = row.get("subject"), row.get("evidence")
        stype = row.get("subject_type") or rule.subject_type
        if not isinstance(subject, str) or not subject:
            raise RuleOutputError(f"rule {rule.id} returned a row without a subject")
        if not isinstance(evidence, list) or not any(evidence):
            raise RuleOutputError(f"rule {rule.id}: subject {subject!r} has no evidence")
        if stype not in SUBJECT_TYPES:
            raise RuleOutputError(f"rule {rule.id}: subject_type {stype!r} not in {SUBJECT_TYPES}")
        if (stype, subject) in seen:
            raise RuleOutputError(f"rule {rule.id} returned subject {subject!r} twice")
        seen.add((stype, subject))
    return rows


def _flag(
    rule: Rule[Any],
    p: Params,
    scoring: ScoringParams,
    store_newest: date | None,
    row: dict[str, Any],
) -> dict[str, Any]:
    finding = rule.assess(row, p)

    def pick(name: str) -> Any:
        value = row.get(name)
        return row.get(f"_ctx_{name}") if value is None else value

    confidence = None if pick("confidence") is None else float(pick("confidence"))
    minors, n_records = int(pick("minors") or 0), int(pick("n_records") or 0)
    last_event = pick("last_event")
    watchlist = row.get("_ctx_watchlist") or []
    score = compute_score(
        ScoreInputs(
            strength=finding.strength.value,
            minors=minors,
            watchlist=watchlist,
            n_records=n_records,
            last_event=last_event,
            store_newest=store_newest,
            confidence=confidence,
        ),
        scoring,
    )
    subject_type = row.get("subject_type") or rule.subject_type
    subject = str(row["subject"])
    metrics = {k: v for k, v in row.items() if k not in RESERVED_COLUMNS and not k.startswith("_")}
    details = {
        **jsonable({**metrics, **finding.details, "last_event": last_event}),
        "minors": minors,
        "n_records": n_records,
        "watchlist": list(watchlist),
        "watchlist_mentions": list(row.get("_ctx_watch_mentions") or []),
        "strength_parts": finding.strength.as_dict(),
        "score_parts": score.components,
    }
    return {
        "flag_id": flag_id(rule.id, subject_type, subject),
        "rule_id": rule.id,
        "subject": subject,
        "subject_type": subject_type,
        "score": score.score,
        "severity": score.severity,
        "summary": finding.summary,
        "evidence": sorted({m for m in row["evidence"] if m}),
        "explanation": f"{finding.reason} {finding.strength.describe()} {score.text}",
        "confidence": None if confidence is None else round(confidence, 4),
        "group_id": group_id(subject_type, subject),
        "details": dict(sorted(details.items())),
    }
