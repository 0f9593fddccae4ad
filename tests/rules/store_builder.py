"""Build a small run store from a golden case: records, entity groups, optional raw tables.

A case gives rows per source (``records``), which mentions form entities (``entities``:
entity id -> mention ids; every other mention is a singleton) and optionally membership
probabilities and raw rows for any store table (``tables``, which wins over derivation).
Mentions are derived from the records the way the resolver lays them out.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import duckdb

from rules.store_schema import SOURCES, create_store_tables

# role -> mention column -> record column(s) (a tuple means the first non-empty) or a literal.
MENTION_FIELDS: dict[tuple[str, str], dict[str, Any]] = {
    ("births", "child"): {
        "forenames": "child_forenames", "surname": "child_surname", "dob": "child_dob",
        "sex": "child_sex", "postcode": "postcode", "event_date": "registration_date",
    },
    ("births", "mother"): {
        "forenames": "mother_forenames", "surname": "mother_surname",
        "maiden_surname": "mother_maiden_surname", "dob": "mother_dob", "sex": ("=F",),
        "nationality": "mother_nationality", "postcode": "postcode",
        "event_date": "registration_date",
    },
    ("births", "father"): {
        "forenames": "father_forenames", "surname": "father_surname", "dob": "father_dob",
        "sex": ("=M",), "nationality": "father_nationality", "postcode": "postcode",
        "event_date": "registration_date",
    },
    ("visas", "applicant"): {
        "forenames": "applicant_forenames", "surname": "applicant_surname",
        "dob": "applicant_dob", "sex": "applicant_sex", "nationality": "applicant_nationality",
        "postcode": "uk_postcode", "event_date": "decision_date",
    },
    ("schools", "pupil"): {
        "forenames": "pupil_forenames", "surname": "pupil_surname", "dob": "pupil_dob",
        "sex": "pupil_sex", "nationality": "pupil_nationality", "postcode": "home_postcode",
        "event_date": ("enrol_date", "expected_start_date"),
    },
    ("missing", "missing"): {
        "forenames": "forenames", "surname": "surname", "dob": "dob", "sex": "sex",
        "nationality": "nationality", "event_date": "report_date",
    },
    ("watchlist", "subject"): {
        "forenames": "forenames", "surname": "surname", "dob": "dob",
        "nationality": "nationality", "event_date": "since",
    },
}  # fmt: skip
DEFAULT_PROBABILITY = 0.99


def _value(row: Mapping[str, Any], spec: Any) -> Any:
    for col in spec if isinstance(spec, tuple) else (spec,):
        if col.startswith("="):
            return col[1:]
        if row.get(col) not in (None, ""):
            return row[col]
    return None


def _rows(spec: Any) -> list[dict[str, Any]]:
    """Rows of a source: a list, or ``{defaults: {...}, rows: [...]}``."""
    if isinstance(spec, Mapping):
        defaults = dict(spec.get("defaults", {}))
        return [{**defaults, **row} for row in spec.get("rows", [])]
    return [dict(row) for row in spec or []]


def derive_mentions(records: Mapping[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """One mention per person on each record, in the resolver's layout."""
    mentions = []
    for source, rows in records.items():
        schema = SOURCES[source]
        for row in rows:
            record_id = str(row[schema.id_column])
            for role in schema.roles:
                fields = MENTION_FIELDS[(source, role)]
                values = {k: _value(row, v) for k, v in fields.items()}
                person = ("forenames", "surname", "dob")
                if role == "father" and not any(values.get(k) for k in person):
                    continue
                name = " ".join(str(values.get(k) or "") for k in ("forenames", "surname"))
                mentions.append(
                    {
                        "mention_id": f"{source}:{record_id}:{role}",
                        "source": source,
                        "record_id": record_id,
                        "role": role,
                        **values,
                        "first_name": str(values.get("forenames") or "").lower() or None,
                        "surname_std": str(values.get("surname") or "").lower() or None,
                        "name_key": name.lower().strip() or None,
                    }
                )
    return mentions


def derive_entities(
    mentions: list[dict[str, Any]],
    groups: Mapping[str, list[str]],
    probabilities: Mapping[str, float],
) -> list[dict[str, Any]]:
    """Entity rows: listed groups, every other mention a singleton ``E:<mention_id>``."""
    by_mention = {m["mention_id"]: m for m in mentions}
    member_of: dict[str, str] = {}
    for entity_id, members in groups.items():
        for mention_id in members:
            if mention_id not in by_mention:
                raise ValueError(f"entity {entity_id}: unknown mention {mention_id}")
            member_of[mention_id] = entity_id
    sizes = {e: len(ms) for e, ms in groups.items()}
    rows = []
    for mention_id, m in by_mention.items():
        entity_id = member_of.get(mention_id, f"E:{mention_id}")
        size = sizes.get(entity_id, 1)
        default = DEFAULT_PROBABILITY if size > 1 else None
        rows.append(
            {
                "mention_id": mention_id,
                "entity_id": entity_id,
                "source": m["source"],
                "record_id": m["record_id"],
                "role": m["role"],
                "entity_size": size,
                "membership_probability": probabilities.get(mention_id, default),
            }
        )
    return rows


def build_store(case: Mapping[str, Any]) -> duckdb.DuckDBPyConnection:
    """An in-memory store holding the case's data (absent tables empty, same columns)."""
    records = {src: _rows(spec) for src, spec in (case.get("records") or {}).items()}
    unknown = sorted(set(records) - set(SOURCES))
    if unknown:
        raise ValueError(f"unknown source(s) {unknown}")
    tables: dict[str, list[dict[str, Any]]] = {}
    for source, rows in records.items():
        schema = SOURCES[source]
        tables[schema.table] = [
            {**row, "record_id": str(row[schema.id_column]), "_row": i}
            for i, row in enumerate(rows, start=1)
        ]
    raw = {t: _rows(spec) for t, spec in (case.get("tables") or {}).items()}
    mentions = raw.get("mentions") or derive_mentions(records)
    tables["mentions"] = mentions
    tables["entities"] = raw.get("entities") or derive_entities(
        mentions, case.get("entities") or {}, case.get("probabilities") or {}
    )
    tables.update({t: rows for t, rows in raw.items() if t not in ("mentions", "entities")})
    con = duckdb.connect()
    create_store_tables(con, tables)
    return con
