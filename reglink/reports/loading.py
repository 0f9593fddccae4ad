"""Reading a finished run for the reports: flags, rule runs, summary, model, rejected rows."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb

from resolver.errors import RunStateError
from resolver.store import read_summary

from .network import RecordKey
from .storesql import query


def tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Names of the store's tables."""
    return {
        name
        for (name,) in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()"
        ).fetchall()
    }


def load_flags(con: duckdb.DuckDBPyConnection, *, required: bool = False) -> list[dict[str, Any]]:
    """The run's flags, highest score first, as plain dicts (details parsed from JSON)."""
    if "flags" not in tables(con):
        if required:
            raise RunStateError("this run has no flags yet; run 'reglink flag' first")
        return []
    columns = [
        "flag_id", "rule_id", "subject", "subject_type", "score", "severity", "summary",
        "evidence", "explanation", "confidence", "group_id", "details",
    ]  # fmt: skip
    rows = con.execute(
        f"SELECT {', '.join(columns)} FROM flags ORDER BY score DESC, flag_id"
    ).fetchall()
    flags = []
    for row in rows:
        flag = dict(zip(columns, row, strict=True))
        flag["evidence"] = list(flag["evidence"] or [])
        details = flag["details"]
        flag["details"] = json.loads(details) if isinstance(details, str) else (details or {})
        flags.append(flag)
    return flags


def rule_runs(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Each rule's status, flag count and error (empty when the run was not flagged)."""
    if "rule_runs" not in tables(con):
        return []
    rows = con.execute("SELECT rule_id, status, flags, error FROM rule_runs").fetchall()
    return [{"rule_id": r, "status": s, "flags": int(n or 0), "error": e} for r, s, n, e in rows]


def rule_params(run_dir: Path) -> dict[str, Any]:
    """Each rule's parameters as run, from flags.json (empty when absent)."""
    path = run_dir / "flags.json"
    if not path.is_file():
        return {}
    document = json.loads(path.read_text(encoding="utf-8"))
    params = {r["rule_id"]: r.get("params", {}) for r in document.get("rules", [])}
    params["scoring"] = document.get("scoring", {})
    return params


def summary(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """The run summary (empty when the store has none)."""
    return read_summary(con) if "run_summary" in tables(con) else {}


def rejected(con: duckdb.DuckDBPyConnection, limit: int = 200) -> tuple[int, list[dict[str, Any]]]:
    """How many rows were rejected, and the first ``limit`` of them."""
    if "rejected" not in tables(con):
        return 0, []
    total = con.execute("SELECT count(*) FROM rejected").fetchone()
    rows = con.execute(
        'SELECT CAST(source AS VARCHAR), CAST("file" AS VARCHAR), CAST("row" AS VARCHAR), '
        'CAST(record_id AS VARCHAR), CAST("column" AS VARCHAR), CAST(reason AS VARCHAR) '
        f"FROM rejected LIMIT {int(limit)}"
    ).fetchall()
    keys = ("source", "file", "row", "record_id", "column", "reason")
    return int(total[0]) if total else 0, [dict(zip(keys, r, strict=True)) for r in rows]


def model(run_dir: Path) -> dict[str, Any] | None:
    """The run's Splink model, if it has one."""
    path = run_dir / "model.json"
    if not path.is_file():
        return None
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def subject_records(
    con: duckdb.DuckDBPyConnection, flags: Sequence[Mapping[str, Any]]
) -> dict[str, list[RecordKey]]:
    """For each flag whose subject is a person, every record that person is named on."""
    pairs = [(str(f["flag_id"]), str(f["subject"])) for f in flags if f["subject_type"] == "entity"]
    out: dict[str, list[RecordKey]] = {f: [] for f, _ in pairs}
    if not pairs:
        return out
    rows = con.execute(
        query(
            con,
            "WITH w AS (SELECT unnest(?::VARCHAR[]) AS flag_id, unnest(?::VARCHAR[]) AS entity_id) "
            "SELECT DISTINCT w.flag_id, e.source, e.record_id FROM w JOIN entities AS e "
            "USING (entity_id) ORDER BY 1, 2, 3",
        ),
        [[f for f, _ in pairs], [s for _, s in pairs]],
    ).fetchall()
    for flag_id, source, record_id in rows:
        out[flag_id].append((source, record_id))
    return out
