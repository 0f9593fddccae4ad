"""The run-store tables the rules read, declared once as data (names, columns, types).

The resolver produces these tables; rules only read them. Tests and tools use
:func:`create_store_tables` to build an empty store (or one filled from rows) with
exactly these columns, so a source that was not supplied is an empty table.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import duckdb

from resolver.errors import ConfigError


@dataclass(frozen=True)
class SourceSchema:
    """One input source: its record table, id column, columns and date columns."""

    name: str
    id_column: str
    columns: tuple[str, ...]
    date_columns: frozenset[str]
    roles: tuple[str, ...]

    @property
    def table(self) -> str:
        """Name of the store table holding this source's accepted rows."""
        return f"records_{self.name}"


SOURCES: dict[str, SourceSchema] = {
    s.name: s
    for s in (
        SourceSchema(
            name="births",
            id_column="registration_id",
            columns=(
                "registration_id", "registration_date", "registration_district",
                "child_forenames", "child_surname", "child_dob", "child_sex", "child_birthplace",
                "mother_forenames", "mother_surname", "mother_maiden_surname", "mother_dob",
                "mother_birthplace", "mother_nationality",
                "father_forenames", "father_surname", "father_dob", "father_birthplace",
                "father_nationality",
                "informant_name", "informant_relationship", "usual_address", "postcode",
            ),
            date_columns=frozenset({"registration_date", "child_dob", "mother_dob", "father_dob"}),
            roles=("child", "mother", "father"),
        ),
        SourceSchema(
            name="visas",
            id_column="application_id",
            columns=(
                "application_id", "decision_date", "visa_type", "decision",
                "applicant_forenames", "applicant_surname", "applicant_dob", "applicant_sex",
                "applicant_nationality", "passport_number",
                "sponsor_id", "sponsor_name", "sponsor_type",
                "institution_name", "course_name", "course_start_date", "intended_arrival_date",
                "uk_address", "uk_postcode", "arrival_date",
            ),
            date_columns=frozenset(
                {"decision_date", "applicant_dob", "course_start_date", "intended_arrival_date",
                 "arrival_date"}
            ),
            roles=("applicant",),
        ),
        SourceSchema(
            name="schools",
            id_column="enrolment_id",
            columns=(
                "enrolment_id", "school_urn", "school_name", "school_postcode", "local_authority",
                "pupil_forenames", "pupil_surname", "pupil_dob", "pupil_sex", "pupil_nationality",
                "expected_start_date", "enrol_date", "leave_date", "leave_reason",
                "guardian_name", "guardian_relationship", "home_address", "home_postcode",
            ),
            date_columns=frozenset(
                {"pupil_dob", "expected_start_date", "enrol_date", "leave_date"}
            ),
            roles=("pupil",),
        ),
        SourceSchema(
            name="missing",
            id_column="report_id",
            columns=(
                "report_id", "reporting_force", "report_date", "last_seen_date",
                "last_seen_location", "last_seen_location_type",
                "forenames", "surname", "dob", "approx_age", "sex", "nationality",
                "reported_by", "reporter_relationship", "status", "found_date", "found_location",
            ),
            date_columns=frozenset({"report_date", "last_seen_date", "dob", "found_date"}),
            roles=("missing",),
        ),
        SourceSchema(
            name="watchlist",
            id_column="subject_id",
            columns=(
                "subject_id", "forenames", "surname", "dob", "nationality", "category", "since",
            ),
            date_columns=frozenset({"dob", "since"}),
            roles=("subject",),
        ),
    )
}  # fmt: skip

#: Columns every records_* table has after the source's own columns.
RECORD_EXTRA_COLUMNS: dict[str, str] = {"record_id": "VARCHAR", "_row": "BIGINT"}

#: The derived tables, column -> DuckDB type, in order.
DERIVED_TABLES: dict[str, dict[str, str]] = {
    "mentions": {
        "mention_id": "VARCHAR",
        "source": "VARCHAR",
        "record_id": "VARCHAR",
        "role": "VARCHAR",
        "forenames": "VARCHAR",
        "surname": "VARCHAR",
        "maiden_surname": "VARCHAR",
        "dob": "DATE",
        "sex": "VARCHAR",
        "nationality": "VARCHAR",
        "postcode": "VARCHAR",
        "event_date": "DATE",
        "first_name": "VARCHAR",
        "surname_std": "VARCHAR",
        "name_key": "VARCHAR",
    },
    "entities": {
        "mention_id": "VARCHAR",
        "entity_id": "VARCHAR",
        "source": "VARCHAR",
        "record_id": "VARCHAR",
        "role": "VARCHAR",
        "entity_size": "INTEGER",
        "membership_probability": "DOUBLE",
    },
    "links": {
        "mention_id_l": "VARCHAR",
        "mention_id_r": "VARCHAR",
        "match_probability": "DOUBLE",
        "match_weight": "DOUBLE",
        "in_entity": "BOOLEAN",
    },
}


def table_columns(table: str) -> dict[str, str]:
    """Column -> DuckDB type, in order, for any store table the rules read."""
    for source in SOURCES.values():
        if source.table == table:
            cols = {c: ("DATE" if c in source.date_columns else "VARCHAR") for c in source.columns}
            return cols | RECORD_EXTRA_COLUMNS
    if table in DERIVED_TABLES:
        return dict(DERIVED_TABLES[table])
    raise ConfigError(f"unknown store table {table!r}")


def store_tables() -> list[str]:
    """Every table the rules read, records first."""
    return [s.table for s in SOURCES.values()] + list(DERIVED_TABLES)


def create_store_tables(
    con: duckdb.DuckDBPyConnection,
    rows: Mapping[str, Iterable[Mapping[str, Any]]] | None = None,
    *,
    replace: bool = False,
) -> None:
    """Create every store table (empty unless ``rows`` gives some) with the declared columns.

    ``rows`` maps a table name to dicts keyed by column; absent columns are NULL and
    unknown columns raise :class:`ConfigError`. Dates may be ISO strings.
    """
    given = dict(rows or {})
    unknown = sorted(set(given) - set(store_tables()))
    if unknown:
        raise ConfigError(f"unknown store table(s): {', '.join(unknown)}")
    verb = "CREATE OR REPLACE TABLE" if replace else "CREATE TABLE"
    for table in store_tables():
        cols = table_columns(table)
        ddl = ", ".join(f'"{c}" {t}' for c, t in cols.items())
        con.execute(f"{verb} {table} ({ddl})")
        _insert(con, table, cols, list(given.get(table, ())))


_INTEGER_TYPES = frozenset(
    {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER",
     "UBIGINT"}
)  # fmt: skip


def _compatible(actual: str, declared: str) -> bool:
    return actual == declared or (actual in _INTEGER_TYPES and declared in _INTEGER_TYPES)


def store_prelude(con: duckdb.DuckDBPyConnection) -> list[str]:
    """CTEs presenting store tables whose columns differ from the declared ones.

    A store written from pandas may hold dates as TIMESTAMP, lack a column, or miss a table;
    each such table gets a ``name AS NOT MATERIALIZED (SELECT ...)`` definition that casts,
    fills or empties it, so rule SQL always sees the declared schema. Tables that already
    match need nothing (an empty list means no overhead).
    """
    rows = con.execute(
        "SELECT table_name, column_name, data_type FROM duckdb_columns() "
        "WHERE database_name = current_database() AND schema_name = current_schema()"
    ).fetchall()
    actual: dict[str, dict[str, str]] = {}
    for table, column, data_type in rows:
        actual.setdefault(table, {})[column] = data_type
    db, schema = con.execute("SELECT current_database(), current_schema()").fetchone() or ("", "")
    ctes = []
    for table in store_tables():
        declared = table_columns(table)
        have = actual.get(table)
        if have is not None and all(
            c in have and _compatible(have[c], t) for c, t in declared.items()
        ):
            continue
        exprs = []
        for column, sql_type in declared.items():
            if have is None or column not in have:
                exprs.append(f'CAST(NULL AS {sql_type}) AS "{column}"')
            elif _compatible(have[column], sql_type):
                exprs.append(f'"{column}"')
            else:
                exprs.append(f'TRY_CAST("{column}" AS {sql_type}) AS "{column}"')
        source = f'"{db}"."{schema}"."{table}"' if have is not None else "(SELECT 1) AS _none"
        where = "" if have is not None else " WHERE false"
        ctes.append(f"{table} AS NOT MATERIALIZED (SELECT {', '.join(exprs)} FROM {source}{where})")
    return ctes


def with_prelude(prelude: list[str], select: str) -> str:
    """``select`` preceded by the :func:`store_prelude` CTEs, if there are any."""
    return f"WITH {', '.join(prelude)}\n{select}" if prelude else select


def _insert(
    con: duckdb.DuckDBPyConnection,
    table: str,
    cols: Mapping[str, str],
    rows: Sequence[Mapping[str, Any]],
) -> None:
    if not rows:
        return
    names = list(cols)
    for row in rows:
        extra = sorted(set(row) - set(names))
        if extra:
            raise ConfigError(f"table {table}: unknown column(s) {', '.join(extra)}")
    casts = ", ".join(f"CAST(? AS {cols[c]})" for c in names)
    values = [[_cell(row.get(c)) for c in names] for row in rows]
    con.executemany(f"INSERT INTO {table} VALUES ({casts})", values)


def _cell(value: Any) -> Any:
    """Empty strings are 'not recorded', like an empty CSV cell."""
    return None if value == "" else value
