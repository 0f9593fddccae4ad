"""What a flag rests on: its evidence records side by side, and the links behind them.

A flag's links are (a) every link inside an entity that holds two or more of the flag's
evidence mentions (the links that made those mentions one person), and (b) links between
evidence mentions that scored at least the keep threshold but were kept in different
entities (the near matches an analyst should know were kept apart).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import duckdb

from rules.store_schema import SOURCES

from .storesql import query as declared_query

#: Field prefixes of each role on a record (a role with no prefix uses the unprefixed fields).
ROLE_PREFIX = {
    "child": "child_", "mother": "mother_", "father": "father_", "applicant": "applicant_",
    "pupil": "pupil_",
}  # fmt: skip


@dataclass(frozen=True)
class FlagLink:
    """A scored pair one flag rests on."""

    flag_id: str
    mention_l: str
    mention_r: str
    match_probability: float
    match_weight: float
    in_entity: bool
    entity_id: str | None


def flag_links(
    con: duckdb.DuckDBPyConnection, evidence: Mapping[str, Sequence[str]]
) -> dict[str, list[FlagLink]]:
    """The links each flag rests on, weakest first, keyed by flag id (set-wise, one query)."""
    flag_ids = [f for f, mentions in evidence.items() for _ in mentions]
    mention_ids = [m for mentions in evidence.values() for m in mentions]
    out: dict[str, list[FlagLink]] = {f: [] for f in evidence}
    if not mention_ids:
        return out
    sql = """
    WITH ev AS (
        SELECT unnest(?::VARCHAR[]) AS flag_id, unnest(?::VARCHAR[]) AS mention_id
    ),
    ev_entity AS (
        SELECT DISTINCT ev.flag_id, ev.mention_id, e.entity_id
        FROM ev JOIN entities AS e USING (mention_id)
    ),
    shared AS (
        SELECT flag_id, entity_id FROM ev_entity GROUP BY ALL HAVING count(*) >= 2
    ),
    members AS (
        SELECT s.flag_id, e.mention_id, e.entity_id
        FROM shared AS s JOIN entities AS e USING (entity_id)
    ),
    joined AS (
        SELECT a.flag_id, l.mention_id_l, l.mention_id_r, l.match_probability,
               l.match_weight, true AS in_entity, a.entity_id
        FROM links AS l
        JOIN members AS a ON a.mention_id = l.mention_id_l
        JOIN members AS b ON b.mention_id = l.mention_id_r
             AND b.flag_id = a.flag_id AND b.entity_id = a.entity_id
        WHERE l.in_entity
    ),
    apart AS (
        SELECT a.flag_id, l.mention_id_l, l.mention_id_r, l.match_probability,
               l.match_weight, false AS in_entity, NULL AS entity_id
        FROM links AS l
        JOIN ev_entity AS a ON a.mention_id = l.mention_id_l
        JOIN ev_entity AS b ON b.mention_id = l.mention_id_r AND b.flag_id = a.flag_id
        WHERE NOT l.in_entity
    )
    SELECT * FROM joined UNION ALL SELECT * FROM apart
    ORDER BY flag_id, in_entity DESC, match_probability, mention_id_l, mention_id_r
    """
    rows = con.execute(declared_query(con, sql), [flag_ids, mention_ids]).fetchall()
    for flag_id, left, right, probability, weight, in_entity, entity_id in rows:
        out[flag_id].append(
            FlagLink(
                flag_id=flag_id,
                mention_l=left,
                mention_r=right,
                match_probability=float(probability),
                match_weight=float(weight) if weight is not None else float("nan"),
                in_entity=bool(in_entity),
                entity_id=entity_id,
            )
        )
    return out


def membership(
    con: duckdb.DuckDBPyConnection, mention_ids: Sequence[str]
) -> dict[str, tuple[str, float | None, int]]:
    """Entity id, membership probability and entity size of each mention."""
    if not mention_ids:
        return {}
    rows = con.execute(
        declared_query(
            con,
            "SELECT mention_id, entity_id, membership_probability, entity_size FROM entities "
            "WHERE mention_id IN (SELECT unnest(?::VARCHAR[]))",
        ),
        [sorted(set(mention_ids))],
    ).fetchall()
    return {m: (e, None if p is None else float(p), int(s or 1)) for m, e, p, s in rows}


def side_by_side(
    records: Sequence[Mapping[str, Any]], subject_mentions: set[str]
) -> list[dict[str, Any]]:
    """Evidence records grouped by source: one column per record, one row per field.

    ``records`` are :func:`rules.flags.evidence_records` values (one per evidence mention);
    a record named by several mentions appears once, with all their roles. Rows whose value
    differs between records are marked ``varies``; rows of the roles played by the subject
    entity are marked ``subject``.
    """
    by_record: dict[tuple[str, str], dict[str, Any]] = {}
    for rec in records:
        key = (str(rec["source"]), str(rec["record_id"]))
        entry = by_record.setdefault(
            key,
            {
                "source": rec["source"],
                "record_id": rec["record_id"],
                "row": rec.get("row"),
                "fields": rec.get("fields") or {},
                "roles": [],
                "subject_roles": [],
            },
        )
        entry["roles"].append(rec["role"])
        if rec["mention_id"] in subject_mentions:
            entry["subject_roles"].append(rec["role"])
    groups = []
    for source in sorted({k[0] for k in by_record}, key=_source_order):
        columns = sorted(
            (v for k, v in by_record.items() if k[0] == source), key=lambda v: str(v["record_id"])
        )
        schema = SOURCES.get(source)
        names = (
            list(schema.columns) if schema else sorted({f for c in columns for f in c["fields"]})
        )
        prefixes = {ROLE_PREFIX.get(r, "") for c in columns for r in c["subject_roles"]}
        rows = []
        for name in names:
            values = [_display(c["fields"].get(name)) for c in columns]
            rows.append(
                {
                    "field": name,
                    "cells": values,
                    "varies": len(set(values)) > 1,
                    "subject": any(p and name.startswith(p) for p in prefixes),
                }
            )
        groups.append({"source": source, "records": columns, "rows": rows})
    return groups


def _source_order(source: str) -> tuple[int, str]:
    order = list(SOURCES)
    return (order.index(source) if source in order else len(order), source)


def _display(value: Any) -> str:
    if value is None:
        return ""
    text = str(value)
    return text[:10] if len(text) >= 19 and text[10:11] == "T" else text
