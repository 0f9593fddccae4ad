"""A person granted a visa who is later reported missing."""

from __future__ import annotations

from dataclasses import dataclass

from rules.params import Params, param
from rules.rule import Finding, Row, Rule, Strength, plural
from rules.sqlkit import age_at, blank, days_between


@dataclass(frozen=True)
class MissingAfterVisaParams(Params):
    """Evidence weights of :class:`MissingAfterVisa`."""

    minor_age: int = param(
        18, "A person younger than this when reported missing is a minor.", minimum=1
    )
    quick_days: int = param(
        180,
        "A report within this many days of the visa decision counts as soon after it.",
        minimum=0,
    )
    w_base: float = param(
        0.45, "Strength for a granted visa followed by a missing report.", minimum=0, maximum=1
    )
    w_minor: float = param(0.15, "Added when the person was a minor when reported.", minimum=0)
    w_no_force: float = param(
        0.15, "Added when a report has no reporting force (nobody owns it).", minimum=0
    )
    w_still_missing: float = param(
        0.15, "Added when the latest report is still missing or unresolved.", minimum=0
    )
    w_quick: float = param(0.05, "Added when reported within quick_days of the visa.", minimum=0)
    w_no_arrival: float = param(
        0.05, "Added when no visa of theirs has a recorded arrival.", minimum=0
    )


class MissingAfterVisa(Rule[MissingAfterVisaParams]):
    """Visa holders who later go missing (visa route used to move people)."""

    id = "missing_after_visa"
    title = "Granted a visa, later reported missing"
    description = (
        "Finds an entity with a granted visa application and a missing-person report dated on "
        "or after the visa decision. Stronger for minors, when no police force owns a report, "
        "when the person is still missing, when the report follows the visa quickly and when "
        "no arrival was recorded."
    )
    loophole = (
        "Visas are granted to children travelling for a course, but no agency follows up when "
        "they disappear after arrival; ten of twelve such children were later found missing."
    )
    severity = "High for a minor still missing or with no owning force."
    subject_type = "entity"
    params = MissingAfterVisaParams()

    def sql(self, p: MissingAfterVisaParams) -> str:
        """Pairs of visa and later missing report within one entity, aggregated per entity."""
        return f"""
WITH visa AS (
    SELECT ae.entity_id, ae.mention_id AS visa_mention,
           coalesce(ae.membership_probability, 1.0) AS visa_prob,
           v.decision_date, v.applicant_dob, v.arrival_date
    FROM records_visas AS v
    JOIN entities AS ae
      ON ae.source = 'visas' AND ae.record_id = v.record_id AND ae.role = 'applicant'
    WHERE lower(trim(v.decision)) = 'granted' AND v.decision_date IS NOT NULL
),
report AS (
    SELECT me.entity_id, me.mention_id AS missing_mention,
           coalesce(me.membership_probability, 1.0) AS missing_prob,
           r.report_date, r.dob, try_cast(r.approx_age AS DOUBLE) AS approx_age,
           {blank("r.reporting_force")} AS owning_force,
           nullif(lower(trim(r.status)), '') AS status, r.found_date,
           nullif(lower(trim(r.last_seen_location_type)), '') AS location_type
    FROM records_missing AS r
    JOIN entities AS me
      ON me.source = 'missing' AND me.record_id = r.record_id AND me.role = 'missing'
    WHERE r.report_date IS NOT NULL
),
pairs AS (
    SELECT v.*, r.* EXCLUDE (entity_id),
           coalesce({age_at("r.dob", "r.report_date")},
                    {age_at("v.applicant_dob", "r.report_date")}, r.approx_age) AS age
    FROM visa AS v
    JOIN report AS r ON r.entity_id = v.entity_id AND r.report_date >= v.decision_date
)
SELECT entity_id AS subject,
       list_distinct(list_concat(list(visa_mention), list(missing_mention))) AS evidence,
       least(min(visa_prob), min(missing_prob)) AS confidence,
       CAST(coalesce(bool_or(age < {p.minor_age}), false) AS INTEGER) AS minors,
       min(age) AS age_at_report,
       count(DISTINCT visa_mention) AS n_visas,
       count(DISTINCT missing_mention) AS n_reports,
       min(decision_date) AS first_visa,
       max(report_date) AS last_report,
       min({days_between("decision_date", "report_date")}) AS min_gap_days,
       bool_or(owning_force IS NULL) AS no_force,
       coalesce(last(status ORDER BY report_date, missing_mention) IN ('missing', 'unresolved')
                OR (last(status ORDER BY report_date, missing_mention) IS NULL
                    AND last(found_date ORDER BY report_date, missing_mention) IS NULL),
                false) AS still_missing,
       bool_and(arrival_date IS NULL) AS no_arrival,
       list(DISTINCT location_type ORDER BY location_type)
           FILTER (WHERE location_type IS NOT NULL) AS location_types
FROM pairs
GROUP BY entity_id
"""

    def assess(self, row: Row, p: MissingAfterVisaParams) -> Finding:
        """Strength from age, report ownership, status, timing and arrival."""
        s = Strength(p.w_base, "base for a granted visa followed by a missing report")
        s.add(p.w_minor, bool(row["minors"]), "a minor when reported")
        s.add(p.w_no_force, row["no_force"], "a report with no reporting force")
        s.add(p.w_still_missing, row["still_missing"], "still missing or unresolved")
        gap = row["min_gap_days"]
        s.add(p.w_quick, gap <= p.quick_days, f"reported {gap} days after the visa")
        s.add(p.w_no_arrival, row["no_arrival"], "no recorded arrival")
        age = row["age_at_report"]
        aged = f"; aged {age:g} when reported (minor_age={p.minor_age})" if age is not None else ""
        reason = (
            f"Entity {row['subject']} was granted {plural(row['n_visas'], 'visa')} (first "
            f"decision {row['first_visa']}) and appears in "
            f"{plural(row['n_reports'], 'missing-person report')} dated on or after it, the "
            f"latest on {row['last_report']}, {gap} days after the visa at the earliest"
            + aged
            + "."
        )
        summary = "Granted a visa, then reported missing"
        if row["minors"]:
            summary = "Child granted a visa, then reported missing"
        if row["still_missing"]:
            summary += " (still missing)"
        return Finding(summary=summary, reason=reason, strength=s)
