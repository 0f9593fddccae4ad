"""A missing-person report that no police force accepted."""

from __future__ import annotations

from dataclasses import dataclass

from rules.params import Params, param
from rules.rule import Finding, Row, Rule, Strength, plural
from rules.sqlkit import age_at, blank


@dataclass(frozen=True)
class MissingNoForceParams(Params):
    """Evidence weights of :class:`MissingNoResponsibleForce`."""

    minor_age: int = param(
        18, "A person younger than this when reported missing is a minor.", minimum=1
    )
    border_locations: tuple[str, ...] = param(
        ("airport", "port"), "last_seen_location_type values that mean a border crossing point."
    )
    w_base: float = param(
        0.45, "Strength for a report with no reporting force.", minimum=0, maximum=1
    )
    w_border: float = param(
        0.2, "Added when last seen at a border location (airport or port).", minimum=0
    )
    w_still_missing: float = param(
        0.15, "Added when the latest report is still missing or unresolved.", minimum=0
    )
    w_minor: float = param(0.1, "Added when the person was a minor when reported.", minimum=0)
    w_repeat: float = param(0.05, "Added when more than one unowned report names them.", minimum=0)
    w_owned_elsewhere: float = param(
        0.2, "Subtracted when another report on the same person does have a force.", minimum=0
    )


class MissingNoResponsibleForce(Rule[MissingNoForceParams]):
    """Missing reports nobody owns, typically made at an airport or port."""

    id = "missing_no_responsible_force"
    title = "Missing-person report owned by no police force"
    description = (
        "Finds missing-person reports with an empty reporting_force, one flag per missing "
        "person (entity). Stronger when last seen at an airport or port, for minors, and when "
        "still missing or unresolved; weaker when another report on the same person is owned "
        "by a force. The subject is the missing person's entity (or `missing:<report_id>`, "
        "subject type `report`, for a report whose mention has no entity)."
    )
    loophole = (
        "Reports made at an airport or port fall between forces: no force accepted the "
        "reports of children who went missing on arrival, so nobody looked for them."
    )
    severity = "High for a minor last seen at a border point and still missing."
    subject_type = "entity"
    params = MissingNoForceParams()

    def sql(self, p: MissingNoForceParams) -> str:
        """Unowned reports per missing entity (or per report when it has no entity)."""
        borders = ", ".join("'" + b.lower().replace("'", "''") + "'" for b in p.border_locations)
        return f"""
WITH reports AS (
    SELECT r.record_id,
           e.entity_id,
           coalesce(e.mention_id, 'missing:' || r.record_id || ':missing') AS mention_id,
           coalesce(e.membership_probability, 1.0) AS prob,
           {blank("r.reporting_force")} AS owning_force,
           r.report_date, r.found_date,
           nullif(lower(trim(r.status)), '') AS status,
           nullif(lower(trim(r.last_seen_location_type)), '') AS location_type,
           {blank("r.last_seen_location")} AS location,
           coalesce({age_at("r.dob", "r.report_date")}, try_cast(r.approx_age AS DOUBLE)) AS age
    FROM records_missing AS r
    LEFT JOIN entities AS e
      ON e.source = 'missing' AND e.record_id = r.record_id AND e.role = 'missing'
),
keyed AS (
    SELECT *,
           coalesce(entity_id, 'missing:' || record_id) AS subject,
           CASE WHEN entity_id IS NULL THEN 'report' ELSE 'entity' END AS subject_type
    FROM reports
)
SELECT subject,
       any_value(subject_type) AS subject_type,
       list(DISTINCT mention_id ORDER BY mention_id) FILTER (WHERE owning_force IS NULL)
           AS evidence,
       min(prob) FILTER (WHERE owning_force IS NULL) AS confidence,
       CAST(coalesce(bool_or(age < {p.minor_age}) FILTER (WHERE owning_force IS NULL), false)
            AS INTEGER) AS minors,
       min(age) FILTER (WHERE owning_force IS NULL) AS age_at_report,
       count(*) FILTER (WHERE owning_force IS NULL) AS n_unowned,
       count(*) FILTER (WHERE owning_force IS NOT NULL) AS n_owned,
       coalesce(bool_or(location_type IN ({borders})) FILTER (WHERE owning_force IS NULL), false)
           AS at_border,
       list(DISTINCT location ORDER BY location)
           FILTER (WHERE owning_force IS NULL AND location IS NOT NULL) AS locations,
       min(report_date) FILTER (WHERE owning_force IS NULL) AS first_report,
       max(report_date) AS last_report,
       coalesce(last(status ORDER BY report_date, record_id) IN ('missing', 'unresolved')
                OR (last(status ORDER BY report_date, record_id) IS NULL
                    AND last(found_date ORDER BY report_date, record_id) IS NULL),
                false) AS still_missing
FROM keyed
GROUP BY subject
HAVING count(*) FILTER (WHERE owning_force IS NULL) > 0
"""

    def assess(self, row: Row, p: MissingNoForceParams) -> Finding:
        """Strength from location, status, age and ownership of other reports."""
        s = Strength(p.w_base, "base for a report no force owns")
        s.add(p.w_border, row["at_border"], "last seen at an airport or port")
        s.add(p.w_still_missing, row["still_missing"], "still missing or unresolved")
        s.add(p.w_minor, bool(row["minors"]), "a minor when reported")
        s.add(p.w_repeat, row["n_unowned"] > 1, f"{row['n_unowned']} unowned reports")
        s.add(
            -p.w_owned_elsewhere,
            row["n_owned"] > 0,
            f"{plural(row['n_owned'], 'other report')} owned by a force",
        )
        where = ", ".join(row["locations"] or []) or "an unrecorded place"
        age = row["age_at_report"]
        aged = f"; aged {age:g} when reported (minor_age={p.minor_age})" if age is not None else ""
        reason = (
            f"{plural(row['n_unowned'], 'missing-person report')} on "
            f"{'entity' if row['subject_type'] == 'entity' else 'report'} {row['subject']} "
            f"(first {row['first_report']}) {'names' if row['n_unowned'] == 1 else 'name'} no "
            f"reporting force; last seen at {where}"
            + aged
            + ("; still missing or unresolved" if row["still_missing"] else "")
            + "."
        )
        who = "Missing child" if row["minors"] else "Missing person"
        summary = f"{who} reported with no responsible police force"
        if row["at_border"]:
            summary += " (last seen at a border point)"
        return Finding(summary=summary, reason=reason, strength=s)
