"""The flag schema, deterministic ids and grouping, and writing flags.csv / flags.json / table.

Files go through :mod:`resolver.files` (atomic: a temporary file, then ``os.replace``; CSV
cells that a spreadsheet would run as formulas are prefixed with a quote) and are
deterministic: the same flags give the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import pandas as pd

from resolver.files import staged_names, write_csv, write_json
from resolver.store import PENDING_TABLE, finish_renames, record_renames
from resolver.tables import has_table
from rules.store_schema import SOURCES, store_prelude, table_columns, with_prelude

if TYPE_CHECKING:
    from rules.engine import RuleRun

#: Columns of a flag, in order (the DataFrame of :class:`rules.engine.RuleRun`).
FLAG_COLUMNS = (
    "flag_id", "rule_id", "subject", "subject_type", "score", "severity", "summary",
    "evidence", "explanation", "confidence", "group_id", "case_id", "case_score", "details",
)  # fmt: skip
#: Columns of flags.csv: the contract's first, then extras.
CSV_COLUMNS = (
    "flag_id", "rule_id", "subject", "score", "severity", "summary", "evidence",
    "subject_type", "confidence", "group_id", "case_id", "case_score", "explanation",
)  # fmt: skip
#: Column types of the ``flags`` table in the store.
TABLE_TYPES = {
    "flag_id": "VARCHAR", "rule_id": "VARCHAR", "subject": "VARCHAR", "subject_type": "VARCHAR",
    "score": "INTEGER", "severity": "VARCHAR", "summary": "VARCHAR", "evidence": "VARCHAR[]",
    "explanation": "VARCHAR", "confidence": "DOUBLE", "group_id": "VARCHAR", "case_id": "VARCHAR",
    "case_score": "INTEGER", "details": "JSON",
}  # fmt: skip
JSON_SCHEMA_VERSION = 1


def _digest(text: str, n: int = 12) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:n]


def flag_id(rule_id: str, subject_type: str, subject: str) -> str:
    """Deterministic flag id: the rule id and a stable hash of the subject."""
    return f"{rule_id}-{_digest(f'{subject_type}|{subject}')}"


def group_id(subject_type: str, subject: str) -> str:
    """Flags on the same subject share a group id, whichever rule raised them."""
    return f"G-{_digest(f'{subject_type}|{subject}', 10)}"


_SCALARS = (str, int, bool, type(None))


def jsonable(value: Any) -> Any:
    """Dates as ISO strings, Decimals as floats, tuples as lists, NaN as null (recursively)."""
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict | Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted((jsonable(v) for v in value), key=str)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if hasattr(value, "item"):  # numpy / pandas scalars
        return jsonable(value.item())
    return value


def flag_records(run: RuleRun) -> list[dict[str, Any]]:
    """The run's flags as plain dicts of Python values (NaN read back as None)."""
    return [
        {str(k): None if isinstance(v, float) and math.isnan(v) else v for k, v in rec.items()}
        for rec in run.flags.to_dict("records")
    ]


def csv_frame(flags: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """The rows of flags.csv: contract columns first, evidence ``;``-joined."""
    rows = [
        {c: ";".join(f["evidence"]) if c == "evidence" else f.get(c) for c in CSV_COLUMNS}
        for f in flags
    ]
    return pd.DataFrame(rows, columns=list(CSV_COLUMNS))


def evidence_records(
    con: duckdb.DuckDBPyConnection, mention_ids: Iterable[str]
) -> dict[str, dict[str, Any]]:
    """The evidence mentions' records as recorded, keyed by mention id.

    Each value holds mention_id, source, record_id, role, row (data row number in the
    source file) and ``fields``: the record's contract columns, in contract order.
    """
    wanted = sorted(set(mention_ids))
    if not wanted:
        return {}
    prelude = store_prelude(con)
    located = con.execute(
        with_prelude(
            prelude,
            "SELECT w.mention_id, m.source, m.record_id, m.role "
            "FROM (SELECT unnest(?::VARCHAR[]) AS mention_id) AS w "
            "LEFT JOIN mentions AS m ON m.mention_id = w.mention_id",
        ),
        [wanted],
    ).fetchall()
    where: dict[str, tuple[str, str, str]] = {}
    for mention_id, source, record_id, role in located:
        if source is None:  # not in the store: read the id as source:record_id:role
            source, _, rest = mention_id.partition(":")
            record_id, _, role = rest.rpartition(":")
        where[mention_id] = (source, record_id, role)
    by_source: dict[str, set[str]] = {}
    for source, record_id, _ in where.values():
        by_source.setdefault(source, set()).add(record_id)
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for source, ids in sorted(by_source.items()):
        schema = SOURCES.get(source)
        if schema is None:
            continue
        cols = [c for c in table_columns(schema.table) if c not in ("record_id", "_row")]
        select = ", ".join(f'"{c}"' for c in cols)
        query = (
            f'SELECT record_id, "_row", {select} FROM {schema.table} '
            'WHERE record_id IN (SELECT unnest(?::VARCHAR[])) ORDER BY record_id, "_row"'
        )
        rows = con.execute(with_prelude(prelude, query), [sorted(ids)]).fetchall()
        for record_id, row_no, *values in rows:
            found.setdefault(
                (source, record_id),
                {"row": row_no, "fields": jsonable(dict(zip(cols, values, strict=True)))},
            )
    out = {}
    for mention_id in wanted:
        source, record_id, role = where[mention_id]
        record = found.get((source, record_id), {"row": None, "fields": None})
        out[mention_id] = {
            "mention_id": mention_id,
            "source": source,
            "record_id": record_id,
            "role": role,
            **record,
        }
    return out


def flags_document(
    run: RuleRun, records: Mapping[str, Mapping[str, Any]] | None = None
) -> dict[str, Any]:
    """flags.json content: rule statuses and parameters, each flag with its evidence records.

    Deterministic: no timings or timestamps, keys in a fixed order.
    """
    records = records or {}
    flags_out = []
    for flag in flag_records(run):
        evidence = list(flag["evidence"])
        flags_out.append(
            {
                **{c: jsonable(flag[c]) for c in FLAG_COLUMNS if c not in ("evidence", "details")},
                "evidence": evidence,
                "evidence_records": [records[m] for m in evidence if m in records],
                "details": jsonable(flag["details"]),
            }
        )
    return {
        "schema_version": JSON_SCHEMA_VERSION,
        "store_newest_event": jsonable(run.store_newest),
        "rules": [
            {
                "rule_id": s.rule_id,
                "status": s.status,
                "flags": s.flags,
                "error": s.error,
                "params": jsonable(run.params.get(s.rule_id, {})),
            }
            for s in run.statuses
        ],
        "scoring": jsonable(run.params.get("scoring", {})),
        "flags": flags_out,
    }


#: Called inside the flag transaction with the staged files, e.g. to write the audit row
#: that names their SHA-256 (so the row and the flags it describes commit together).
OnCommit = Callable[[Mapping[str, Path]], None]


def write_flags_table(
    con: duckdb.DuckDBPyConnection,
    run: RuleRun,
    staged: Mapping[str, Path] | None = None,
    on_commit: OnCommit | None = None,
) -> None:
    """Replace the store's ``flags`` and ``rule_runs`` tables with this run's, and commit
    the ``staged`` files (flags.csv, flags.json under temporary names) in the same
    transaction, so files and tables change together or not at all."""
    ddl = ", ".join(f"{c} {t}" for c, t in TABLE_TYPES.items())
    rows = [
        [
            f["flag_id"],
            f["rule_id"],
            f["subject"],
            f["subject_type"],
            int(f["score"]),
            f["severity"],
            f["summary"],
            list(f["evidence"]),
            f["explanation"],
            None if f["confidence"] is None else float(f["confidence"]),
            f["group_id"],
            f["case_id"],
            int(f["case_score"]),
            json.dumps(jsonable(f["details"]), ensure_ascii=False, sort_keys=True),
        ]
        for f in flag_records(run)
    ]
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(f"CREATE OR REPLACE TABLE flags ({ddl})")
        if rows:
            con.executemany(f"INSERT INTO flags VALUES ({', '.join('?' * len(TABLE_TYPES))})", rows)
        con.execute(
            "CREATE OR REPLACE TABLE rule_runs (rule_id VARCHAR, status VARCHAR, "
            "seconds DOUBLE, flags INTEGER, error VARCHAR)"
        )
        if run.statuses:
            con.executemany(
                "INSERT INTO rule_runs VALUES (?, ?, ?, ?, ?)",
                [[s.rule_id, s.status, s.seconds, s.flags, s.error] for s in run.statuses],
            )
        if staged:
            record_renames(con, staged)
        if on_commit is not None:
            on_commit(staged or {})
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def write_flags(
    run: RuleRun,
    con: duckdb.DuckDBPyConnection,
    out_dir: str | Path,
    on_commit: OnCommit | None = None,
) -> dict[str, Path]:
    """Write flags.csv and flags.json into ``out_dir`` and the ``flags`` table into the store,
    as one set: the files are written under temporary names, committed with the table, then
    moved into place (a command killed after the commit has them moved by the next one to
    open the store; one killed before it leaves the previous set whole)."""
    out = Path(out_dir)
    flags = flag_records(run)
    records = evidence_records(con, (m for f in flags for m in f["evidence"]))
    paths = {"csv": out / "flags.csv", "json": out / "flags.json"}
    staged = staged_names(out, [path.name for path in paths.values()])
    try:
        write_csv(csv_frame(flags), staged["flags.csv"])
        write_json(flags_document(run, records), staged["flags.json"])
        write_flags_table(con, run, staged, on_commit)
    except BaseException:
        if not _committed(con, staged):  # once committed, the files belong with the store
            for path in staged.values():
                path.unlink(missing_ok=True)
        raise
    finish_renames(con, out, forget=True)
    return paths


def _committed(con: duckdb.DuckDBPyConnection, staged: Mapping[str, Path]) -> bool:
    """Whether the store holds the record of these staged files (their commit happened)."""
    if not has_table(con, PENDING_TABLE):
        return False
    found = con.execute(
        f"SELECT count(*) FROM {PENDING_TABLE} WHERE temporary IN (SELECT unnest(?))",
        [[path.name for path in staged.values()]],
    ).fetchone()
    return bool(found and found[0])
