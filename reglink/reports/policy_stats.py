"""The policy figures: de-identified counts on systemic loopholes, from the run store.

Every figure is a count of records, children, fathers, reports or flags, grouped by period
(quarter or year) and by area or category. Nothing here carries a name, an id, a date of
birth, an address or a postcode: the queries only ever return group labels and counts.
Disclosure control is applied afterwards (:mod:`reglink.reports.disclosure`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb

from resolver.errors import ConfigError
from rules import REGISTRY
from rules.store_schema import store_prelude, with_prelude

from .disclosure import CountTable

NOT_RECORDED = "not recorded"
PERIODS = ("quarter", "year")


@dataclass(frozen=True)
class StatsOptions:
    """What the figures count (the definitions stated on the page)."""

    #: "quarter" or "year"
    period: str = "quarter"
    #: a father counts when named on births with at least this many different mothers
    min_mothers: int = 3
    #: a visa holder younger than this at course start is a minor
    minor_age: int = 18
    #: an enrolment counts as attended from this many days before the course start
    slack_days: int = 7

    def __post_init__(self) -> None:
        if self.period not in PERIODS:
            raise ConfigError(f"period must be one of {', '.join(PERIODS)}, got {self.period!r}")
        if self.min_mothers < 2:
            raise ConfigError(f"min_mothers must be at least 2, got {self.min_mothers}")
        if self.minor_age < 1 or self.slack_days < 0:
            raise ConfigError("minor_age must be at least 1 and slack_days at least 0")


def options_from_mapping(section: Mapping[str, Any], **overrides: Any) -> StatsOptions:
    """Options from a ``[stats]`` mapping (its ``disclosure`` table excluded), then overrides."""
    known = {"period", "min_mothers", "minor_age", "slack_days"}
    values = {k: v for k, v in section.items() if k != "disclosure"}
    values.update({k: v for k, v in overrides.items() if v is not None})
    unknown = sorted(set(values) - known)
    if unknown:
        raise ConfigError(
            f"unknown [stats] setting(s): {', '.join(unknown)}; known: "
            f"{', '.join(sorted(known | {'disclosure'}))}"
        )
    return StatsOptions(**values)


@dataclass(frozen=True)
class Chart:
    """A chart of one table's row or column totals."""

    table_id: str
    #: "rows": one bar per row (from the row totals); "columns": one bar per column
    along: str
    #: "columns" (vertical bars, for periods) or "bars" (horizontal, for categories)
    kind: str
    title: str


@dataclass(frozen=True)
class Section:
    """One loophole: what is counted, its tables and charts."""

    id: str
    title: str
    definition: str
    tables: tuple[CountTable, ...]
    charts: tuple[Chart, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)


# -- periods -------------------------------------------------------------------------------


def period_sql(expr: str, period: str) -> str:
    """SQL label of the period a date falls in ('2024 Q3' or '2024'), NULL for NULL."""
    if period == "year":
        return f"CAST(year({expr}) AS VARCHAR)"
    return f"(CAST(year({expr}) AS VARCHAR) || ' Q' || CAST(quarter({expr}) AS VARCHAR))"


_QUARTER = re.compile(r"^(\d{4}) Q([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")


def period_rows(labels: Iterable[str | None], period: str) -> list[str]:
    """Every period from the first to the last label (gaps filled), then 'not recorded'."""
    seen = set(labels)
    keys = []
    for label in seen:
        if label is None:
            continue
        match = (_QUARTER if period == "quarter" else _YEAR).match(label)
        if match is None:
            raise ValueError(f"not a {period} label: {label!r}")
        keys.append(
            int(match.group(1)) * 4 + (int(match.group(2)) - 1 if period == "quarter" else 0)
        )
    rows: list[str] = []
    if keys:
        step = 1 if period == "quarter" else 4
        for key in range(min(keys), max(keys) + 1, step):
            year, quarter = divmod(key, 4)
            rows.append(f"{year} Q{quarter + 1}" if period == "quarter" else str(year))
    if None in seen:
        rows.append(NOT_RECORDED)
    return rows


# -- queries ---------------------------------------------------------------------------------


class _Store:
    """Runs grouped-count queries over the store's declared schema."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.prelude = store_prelude(con)
        tables = {
            name
            for (name,) in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()"
            ).fetchall()
        }
        self.has_flags = "flags" in tables
        self.has_rule_runs = "rule_runs" in tables

    def counts(self, select: str) -> dict[tuple[Any, ...], int]:
        """``select`` returns group columns then a count; the result maps groups to counts."""
        rows = self.con.execute(with_prelude(self.prelude, select)).fetchall()
        return {tuple(row[:-1]): int(row[-1]) for row in rows}


def _one_way(counts: Mapping[tuple[Any, ...], int], rows: Sequence[str]) -> tuple[int, ...]:
    by_label = {(k[0] if k[0] is not None else NOT_RECORDED): v for k, v in counts.items()}
    return tuple(by_label.get(r, 0) for r in rows)


def _two_way(
    counts: Mapping[tuple[Any, ...], int], rows: Sequence[str], columns: Sequence[str]
) -> tuple[tuple[int, ...], ...]:
    table: dict[tuple[str, str], int] = {}
    for (row, column), value in counts.items():
        key = (
            row if row is not None else NOT_RECORDED,
            column if column is not None else NOT_RECORDED,
        )
        table[key] = table.get(key, 0) + value
    return tuple(tuple(table.get((r, c), 0) for c in columns) for r in rows)


def _categories(
    labels: Iterable[Any], first: Sequence[str] = (), *, always: bool = False
) -> list[str]:
    """``first`` in order (all of them if ``always``, else those present), then the other
    labels sorted, 'not recorded' last."""
    present = {NOT_RECORDED if label is None else str(label) for label in labels}
    ordered = [c for c in first if always or c in present]
    ordered += sorted(present - set(ordered) - {NOT_RECORDED}, key=str.lower)
    if NOT_RECORDED in present:
        ordered.append(NOT_RECORDED)
    return ordered


def _period_table(
    store: _Store,
    options: StatsOptions,
    *,
    id: str,
    title: str,
    unit: str,
    source: str,
    date: str,
    description: str = "",
) -> CountTable:
    counts = store.counts(
        f"SELECT {period_sql(date, options.period)} AS period, count(*) FROM ({source}) AS s "
        "GROUP BY ALL"
    )
    rows = period_rows((k[0] for k in counts), options.period)
    return CountTable(
        id=id, title=title, unit=unit, row_dimension=options.period, rows=tuple(rows),
        counts=_one_way(counts, rows), description=description,
    )  # fmt: skip


def _category_table(
    store: _Store,
    *,
    id: str,
    title: str,
    unit: str,
    source: str,
    label: str,
    dimension: str,
    first: Sequence[str] = (),
    always: bool = False,
    description: str = "",
) -> CountTable:
    counts = store.counts(f"SELECT {label} AS label, count(*) FROM ({source}) AS s GROUP BY ALL")
    rows = _categories((k[0] for k in counts), first, always=always)
    return CountTable(
        id=id, title=title, unit=unit, row_dimension=dimension, rows=tuple(rows),
        counts=_one_way(counts, rows), description=description,
    )  # fmt: skip


def _blank(expr: str) -> str:
    return f"nullif(trim({expr}), '')"


# -- the sections ----------------------------------------------------------------------------


def prolific_fathers(store: _Store, options: StatsOptions) -> Section:
    """Births whose named father is on births with many different mothers."""
    n = options.min_mothers
    fathers = f"""
        WITH fb AS (
            SELECT f.entity_id AS father, b.record_id, b.registration_date AS d,
                   {_blank("b.registration_district")} AS district, m.entity_id AS mother
            FROM records_births AS b
            JOIN entities AS f ON f.source = 'births' AND f.record_id = b.record_id
                              AND f.role = 'father'
            LEFT JOIN entities AS m ON m.source = 'births' AND m.record_id = b.record_id
                                   AND m.role = 'mother'
        ),
        fathers AS (
            SELECT father, count(DISTINCT mother) AS mothers FROM fb GROUP BY father
        )
    """
    births = f"{fathers} SELECT fb.* FROM fb JOIN fathers USING (father) WHERE mothers >= {n}"
    unit = "birth registrations"
    by_period = _period_table(
        store, options, id="prolific_father_births_by_period",
        title=f"Births whose named father is on births with {n} or more different mothers, "
        f"by {options.period} of registration",
        unit=unit, source=births, date="d",
    )  # fmt: skip
    by_district = _category_table(
        store, id="prolific_father_births_by_district",
        title=f"Births whose named father is on births with {n} or more different mothers, "
        "by registration district",
        unit=unit, source=births, label="district", dimension="registration district",
    )  # fmt: skip
    bands = ("1", "2", "3", "4", "5 to 9", "10 or more")
    distribution = _category_table(
        store, id="fathers_by_number_of_mothers",
        title="Named fathers by the number of different mothers on their births",
        unit="fathers", dimension="different mothers", first=(*bands, "no mother resolved"),
        source=f"{fathers} SELECT * FROM fathers", always=True,
        label="CASE WHEN mothers = 0 THEN 'no mother resolved' WHEN mothers >= 10 THEN "
        "'10 or more' WHEN mothers >= 5 THEN '5 to 9' ELSE CAST(mothers AS VARCHAR) END",
    )  # fmt: skip
    return Section(
        id="prolific_fathers",
        title="One man named as father to the children of many mothers",
        definition=(
            "Birth registration accepts whichever man the mother names as father. A father is "
            "counted here when the resolved person named as father appears on birth "
            f"registrations with {n} or more different (resolved) mothers; all of his "
            "registrations are counted. The distribution covers every named father."
        ),
        tables=(by_period, by_district, distribution),
        charts=(
            Chart(by_period.id, "rows", "columns", f"Births by {options.period}"),
            Chart(by_district.id, "rows", "bars", "Births by registration district"),
            Chart(distribution.id, "rows", "bars", "Fathers by number of different mothers"),
        ),
    )


REPORTERS = (
    "school",
    "parent or family",
    "other (agency, carer, self...)",
    "reporter not recorded",
    "not reported missing",
)


def visa_minors(store: _Store, options: StatsOptions) -> Section:
    """Children granted a visa who never attended school, and who reported them missing."""
    start = "coalesce(v.course_start_date, v.decision_date)"
    source = f"""
        WITH minors AS (
            SELECT e.entity_id, v.record_id, v.decision_date, {start} AS start
            FROM records_visas AS v
            JOIN entities AS e ON e.source = 'visas' AND e.record_id = v.record_id
                              AND e.role = 'applicant'
            WHERE lower(trim(v.decision)) = 'granted'
              AND datesub('year', v.applicant_dob, {start}) < {options.minor_age}
        ),
        attended AS (
            SELECT DISTINCT mi.record_id
            FROM minors AS mi
            JOIN entities AS pe ON pe.entity_id = mi.entity_id AND pe.source = 'schools'
                               AND pe.role = 'pupil'
            JOIN records_schools AS s ON s.record_id = pe.record_id
            WHERE s.enrol_date IS NOT NULL
              AND (mi.start IS NULL
                   OR s.enrol_date >= mi.start - INTERVAL {options.slack_days} DAY)
        ),
        no_show AS (
            SELECT entity_id, min(start) AS start, min(decision_date) AS decided
            FROM minors
            WHERE record_id NOT IN (SELECT record_id FROM attended)
            GROUP BY entity_id
        ),
        reports AS (
            SELECT me.entity_id,
                   lower(trim(coalesce(r.reported_by, ''))) AS reporter,
                   lower(trim(coalesce(r.reporter_relationship, ''))) AS relationship,
                   coalesce(nullif(trim(r.reporting_force), ''), 'no responsible force') AS force,
                   row_number() OVER (PARTITION BY me.entity_id
                                      ORDER BY r.report_date NULLS LAST, r.record_id) AS n
            FROM records_missing AS r
            JOIN entities AS me ON me.source = 'missing' AND me.record_id = r.record_id
                               AND me.role = 'missing'
            JOIN no_show AS ns ON ns.entity_id = me.entity_id
            WHERE r.report_date IS NULL OR ns.decided IS NULL OR r.report_date >= ns.decided
        )
        SELECT ns.start,
               CASE WHEN rp.entity_id IS NULL THEN 'not reported missing'
                    WHEN rp.reporter = 'school' THEN 'school'
                    WHEN rp.reporter IN ('parent', 'family')
                         OR rp.relationship IN ('mother', 'father', 'parent')
                         THEN 'parent or family'
                    WHEN rp.reporter = '' THEN 'reporter not recorded'
                    ELSE 'other (agency, carer, self...)' END AS reporter,
               rp.force
        FROM no_show AS ns
        LEFT JOIN reports AS rp ON rp.entity_id = ns.entity_id AND rp.n = 1
    """
    by_reporter = _category_table(
        store, id="visa_minors_no_enrolment_by_reporter",
        title="Children granted a visa with no attended school enrolment, by who reported "
        "them missing", unit="children", source=source, label="reporter",
        dimension="reported missing by", first=REPORTERS, always=True,
    )  # fmt: skip
    by_force = _category_table(
        store, id="visa_minors_reported_missing_by_force",
        title="Children granted a visa with no attended school enrolment and reported missing, "
        "by the police force that owns the report", unit="children",
        source=f"SELECT * FROM ({source}) AS v WHERE force IS NOT NULL", label="force",
        dimension="police force", first=("no responsible force",), always=True,
    )  # fmt: skip
    by_period = _period_table(
        store, options, id="visa_minors_no_enrolment_by_period",
        title="Children granted a visa with no attended school enrolment, by "
        f"{options.period} of course start", unit="children", source=source, date="start",
    )  # fmt: skip
    return Section(
        id="visa_minors",
        title="Children granted visas who never arrived at school",
        definition=(
            "Children (younger than "
            f"{options.minor_age} at the course start) granted a visa for which no school "
            "enrolment of the same resolved person was attended (an enrol date on or after "
            f"the course start, less {options.slack_days} days). Each child counts once, "
            "under the first such visa, with the first missing-person report made after the "
            "visa decision, and the police force that owns that report. Visa records hold no "
            "local authority, so the area given is the force."
        ),
        tables=(by_reporter, by_force, by_period),
        charts=(
            Chart(by_reporter.id, "rows", "bars", "Who reported them missing"),
            Chart(by_force.id, "rows", "bars", "Which police force owns the report"),
            Chart(by_period.id, "rows", "columns", f"Children by {options.period} of course start"),
        ),
    )


LOCATIONS = ("airport", "port", "home", "school", "care", "other")


def missing_no_force(store: _Store, options: StatsOptions) -> Section:
    """Missing-person reports that no police force owns, by where the person was last seen."""
    location = f"lower({_blank('last_seen_location_type')})"
    owner = (
        f"CASE WHEN {_blank('reporting_force')} IS NULL THEN 'no responsible force' "
        "ELSE 'owned by a force' END"
    )
    counts = store.counts(f"SELECT {location}, {owner}, count(*) FROM records_missing GROUP BY ALL")
    rows = _categories((k[0] for k in counts), LOCATIONS, always=True)
    columns = ["no responsible force", "owned by a force"]
    by_location = CountTable(
        id="missing_reports_by_location_and_force",
        title="Missing-person reports by type of place last seen and whether a police force "
        "owns the report",
        unit="reports", row_dimension="last seen at", rows=tuple(rows),
        column_dimension="ownership", columns=tuple(columns),
        counts=_two_way(counts, rows, columns),
    )  # fmt: skip
    by_period = _period_table(
        store, options, id="missing_reports_no_force_by_period",
        title=f"Missing-person reports with no responsible force, by {options.period} of report",
        unit="reports", date="report_date",
        source=f"SELECT * FROM records_missing WHERE {_blank('reporting_force')} IS NULL",
    )  # fmt: skip
    return Section(
        id="missing_no_force",
        title="Missing-person reports that no police force owns",
        definition=(
            "Missing-person reports whose reporting force is empty: nobody accepted the "
            "report. Counted per report, by the type of place the person was last seen "
            "(reports made at airports and ports fall between forces)."
        ),
        tables=(by_location, by_period),
        charts=(
            Chart(by_location.id, "rows", "bars", "Reports by type of place last seen"),
            Chart(by_period.id, "rows", "columns", f"Unowned reports by {options.period}"),
        ),
    )


def missing_from_education(store: _Store, options: StatsOptions) -> Section:
    """Children missing from education with no missing-person report (from the rule's flags)."""
    definition = (
        "Children flagged by the rule missing_from_education: a pupil who never took up a "
        "school place or left for an unknown destination, with no missing-person report for "
        "the same resolved person. Each child counts once, under the local authority and "
        "expected start of their first unexplained enrolment."
    )
    if not store.has_flags:
        return Section(
            id="missing_from_education",
            title="Children missing from education, not reported missing",
            definition=definition,
            tables=(),
            notes=("Not available: this run has not been flagged ('reglink flag').",),
        )
    date = "coalesce(s.expected_start_date, s.enrol_date, s.leave_date)"
    source = f"""
        WITH evidence AS (
            SELECT flag_id, unnest(evidence) AS mention_id
            FROM flags WHERE rule_id = 'missing_from_education'
        ),
        enrolments AS (
            SELECT ev.flag_id, {_blank("s.local_authority")} AS local_authority, {date} AS d,
                   row_number() OVER (PARTITION BY ev.flag_id
                                      ORDER BY {date} NULLS LAST, s.record_id) AS n
            FROM evidence AS ev
            JOIN entities AS e ON e.mention_id = ev.mention_id AND e.source = 'schools'
            JOIN records_schools AS s ON s.record_id = e.record_id
        )
        SELECT * FROM enrolments WHERE n = 1
    """
    by_la = _category_table(
        store, id="missing_from_education_by_local_authority",
        title="Children missing from education with no missing-person report, by local "
        "authority", unit="children", source=source, label="local_authority",
        dimension="local authority",
    )  # fmt: skip
    by_period = _period_table(
        store, options, id="missing_from_education_by_period",
        title="Children missing from education with no missing-person report, by "
        f"{options.period} of expected start", unit="children", source=source, date="d",
    )  # fmt: skip
    return Section(
        id="missing_from_education",
        title="Children missing from education, not reported missing",
        definition=definition,
        tables=(by_la, by_period),
        charts=(
            Chart(by_la.id, "rows", "bars", "Children by local authority"),
            Chart(by_period.id, "rows", "columns", f"Children by {options.period}"),
        ),
    )


def flags_by_rule(store: _Store, options: StatsOptions) -> Section:
    """Flags raised by each rule, by period of the newest evidence."""
    definition = (
        "Flags raised by each rule of the catalogue, by the period of the newest record "
        "each flag rests on. A flag is a lead for an analyst, not a finding of fact."
    )
    if not store.has_flags:
        return Section(
            id="flags_by_rule",
            title="Flags by rule over time",
            definition=definition,
            tables=(),
            notes=("Not available: this run has not been flagged ('reglink flag').",),
        )
    date = "TRY_CAST(json_extract_string(details, '$.last_event') AS DATE)"
    counts = store.counts(
        f"SELECT {period_sql(date, options.period)}, rule_id, count(*) FROM flags GROUP BY ALL"
    )
    ran = set(REGISTRY)
    if store.has_rule_runs:
        ran = {r for (r,) in store.con.execute("SELECT rule_id FROM rule_runs").fetchall()}
    present = ran | {k[1] for k in counts}
    columns = [r for r in REGISTRY if r in present] + sorted(present - set(REGISTRY))
    rows = period_rows((k[0] for k in counts), options.period)
    table = CountTable(
        id="flags_by_period_and_rule",
        title=f"Flags by {options.period} of newest evidence and by rule",
        unit="flags", row_dimension=options.period, rows=tuple(rows),
        column_dimension="rule", columns=tuple(columns),
        counts=_two_way(counts, rows, columns),
    )  # fmt: skip
    return Section(
        id="flags_by_rule",
        title="Flags by rule over time",
        definition=definition,
        tables=(table,),
        charts=(
            Chart(table.id, "columns", "bars", "Flags by rule"),
            Chart(table.id, "rows", "columns", f"Flags by {options.period}"),
        ),
    )


def records_analysed(store: _Store, options: StatsOptions) -> Section:
    """How many records of each source the figures rest on."""
    parts = " UNION ALL ".join(
        f"SELECT '{label}' AS source, count(*) AS n FROM records_{name}"
        for name, label in (
            ("births", "birth registrations"),
            ("visas", "visa applications"),
            ("schools", "school enrolments"),
            ("missing", "missing-person reports"),
            ("watchlist", "watchlist entries"),
        )
    )
    counts = store.counts(f"SELECT source, n FROM ({parts})")
    rows = [k[0] for k in counts]
    table = CountTable(
        id="records_analysed",
        title="Records analysed, by source",
        unit="records", row_dimension="source", rows=tuple(rows),
        counts=_one_way(counts, rows),
    )  # fmt: skip
    return Section(
        id="records_analysed",
        title="Records analysed",
        definition="Accepted input records of each source (rejected rows are not counted).",
        tables=(table,),
    )


SECTIONS: tuple[Callable[[_Store, StatsOptions], Section], ...] = (
    records_analysed,
    prolific_fathers,
    visa_minors,
    missing_no_force,
    missing_from_education,
    flags_by_rule,
)


def compute_sections(con: duckdb.DuckDBPyConnection, options: StatsOptions) -> list[Section]:
    """Every section's tables, before disclosure control."""
    store = _Store(con)
    return [build(store, options) for build in SECTIONS]
