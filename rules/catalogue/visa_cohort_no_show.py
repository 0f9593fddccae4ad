"""A cohort of granted visas for one course whose holders never turned up at school."""

from __future__ import annotations

from dataclasses import dataclass

from rules.params import Params, param
from rules.rule import Finding, Row, Rule, Strength, plural
from rules.sqlkit import age_at, blank, days_between, fold


@dataclass(frozen=True)
class VisaCohortNoShowParams(Params):
    """Cohort definition, firing thresholds and evidence weights of :class:`VisaCohortNoShow`."""

    window_days: int = param(
        14,
        "Granted visas with the same sponsor and institution whose course start dates "
        "follow each other within this many days form one cohort.",
        minimum=0,
    )
    min_cohort: int = param(5, "Fewest distinct applicant entities in a cohort.", minimum=2)
    min_no_show_share: float = param(
        0.6,
        "Fires when at least this share of the cohort has no attended enrolment.",
        minimum=0,
        maximum=1,
    )
    slack_days: int = param(
        7,
        "An enrolment counts as attended when its enrol_date is on or after the course "
        "start minus this many days.",
        minimum=0,
    )
    minor_age: int = param(
        18, "An applicant younger than this at course start is a minor.", minimum=1
    )
    min_band_coverage: float = param(
        0.25,
        "An institution's enrolment records follow an age band (16 to minor_age, or adults) "
        "when at least this share of its granted visa holders in that band have an "
        "enrolment record there.",
        minimum=0,
        maximum=1,
    )
    school_leaving_age: int = param(
        16,
        "Applicants this old or older at course start count only for institutions whose "
        "enrolment records follow their age band (see min_band_coverage): "
        "younger children must be at school somewhere, but a 17-year-old at a university or "
        "an adult at a language college is not in the enrolment records.",
        minimum=1,
    )
    w_base: float = param(
        0.4, "Strength for a cohort meeting the thresholds.", minimum=0, maximum=1
    )
    w_share: float = param(
        0.25,
        "Added in proportion to how far the no-show share exceeds min_no_show_share "
        "(full when nobody attended).",
        minimum=0,
    )
    w_minors: float = param(
        0.2,
        "Added in proportion to the share of no-shows who are minors (minors weigh more).",
        minimum=0,
    )
    w_no_arrival: float = param(
        0.1, "Added in proportion to the share of no-shows with no recorded arrival.", minimum=0
    )
    w_size: float = param(
        0.05,
        "Added in proportion to cohort size beyond min_cohort (full at twice it).",
        minimum=0,
    )


class VisaCohortNoShow(Rule[VisaCohortNoShowParams]):
    """Granted visa cohorts (one sponsor, one institution, one start) that never enrolled."""

    id = "visa_cohort_no_show"
    title = "Visa cohort for a course that mostly never enrolled"
    description = (
        "Groups granted visas by sponsor_id and institution_name whose course_start_date "
        "values chain within window_days (gaps no longer than the window) into cohorts of at "
        "least min_cohort distinct applicant entities, and fires when at least "
        "min_no_show_share of them have no attended school enrolment (a schools record of "
        "the same entity with an enrol_date on or after the course start minus slack_days). "
        "Minors among the no-shows and missing arrival records make it stronger. "
        "Applicants of school_leaving_age or over count only for institutions whose enrolment "
        "records follow their age band (at least min_band_coverage of the institution's "
        "visa holders in the band, 16 to minor_age or adult, have an enrolment record there), "
        "or when the institution holds an enrolment record for them (expected, if never "
        "attended): elsewhere nobody records whether they attended."
    )
    loophole = (
        "Visit and study visas are granted against a sponsor's course offer, but nobody checks "
        "that the holders arrive or attend: 12 children were granted visas for an English "
        "course at a London school and never arrived."
    )
    severity = "High when most of a cohort of minors never enrolled; an attended trip never fires."
    subject_type = "cohort"
    params = VisaCohortNoShowParams()

    def sql(self, p: VisaCohortNoShowParams) -> str:
        """Cohorts by gaps-and-islands over course start dates, then attendance per entity."""

        def band(age: str) -> str:
            return (
                f"CASE WHEN {age} < {p.school_leaving_age} THEN 'school' "
                f"WHEN {age} < {p.minor_age} THEN 'minor' ELSE 'adult' END"
            )

        gap = days_between("lag(start) OVER w", "start")
        return f"""
WITH visa_bands AS (
    SELECT v.record_id,
           {fold("v.institution_name")} AS institution_key,
           {band(age_at("v.applicant_dob", "v.course_start_date"))} AS band
    FROM records_visas AS v
    WHERE lower(trim(v.decision)) = 'granted' AND v.course_start_date IS NOT NULL
),
enrolled_at AS (
    -- visas whose holder has an enrolment record (attended or not) at the visa's institution
    SELECT DISTINCT vb.record_id
    FROM visa_bands AS vb
    JOIN entities AS ae
      ON ae.source = 'visas' AND ae.record_id = vb.record_id AND ae.role = 'applicant'
    JOIN entities AS pe
      ON pe.entity_id = ae.entity_id AND pe.source = 'schools' AND pe.role = 'pupil'
    JOIN records_schools AS s ON s.record_id = pe.record_id
    WHERE {fold("s.school_name")} = vb.institution_key
),
recorded_bands AS (
    -- age bands whose attendance an institution's enrolment records do follow
    SELECT vb.institution_key, vb.band
    FROM visa_bands AS vb
    LEFT JOIN enrolled_at AS e ON e.record_id = vb.record_id
    WHERE vb.band <> 'school'
    GROUP BY vb.institution_key, vb.band
    HAVING count(e.record_id) >= {p.min_band_coverage} * count(*)
),
granted AS (
    SELECT v.record_id,
           ae.mention_id,
           ae.entity_id,
           coalesce(ae.membership_probability, 1.0) AS prob,
           coalesce({blank("v.sponsor_id")}, '') AS sponsor_key,
           coalesce({fold("v.institution_name")}, '') AS institution_key,
           {blank("v.institution_name")} AS institution,
           v.course_start_date AS start,
           {age_at("v.applicant_dob", "v.course_start_date")} AS age,
           v.arrival_date
    FROM records_visas AS v
    JOIN entities AS ae
      ON ae.source = 'visas' AND ae.record_id = v.record_id AND ae.role = 'applicant'
    WHERE lower(trim(v.decision)) = 'granted'
      AND v.course_start_date IS NOT NULL
      AND ({blank("v.sponsor_id")} IS NOT NULL OR {blank("v.institution_name")} IS NOT NULL)
      AND (coalesce({age_at("v.applicant_dob", "v.course_start_date")}
                    < {p.school_leaving_age}, false)
           OR ({fold("v.institution_name")},
               {band(age_at("v.applicant_dob", "v.course_start_date"))})
              IN (SELECT (institution_key, band) FROM recorded_bands)
           OR v.record_id IN (SELECT record_id FROM enrolled_at))
),
gaps AS (
    SELECT *,
           CASE WHEN {gap} > {p.window_days} THEN 1 ELSE 0 END AS new_cohort
    FROM granted
    WINDOW w AS (PARTITION BY sponsor_key, institution_key ORDER BY start, record_id)
),
cohorted AS (
    SELECT *,
           sum(new_cohort) OVER (
               PARTITION BY sponsor_key, institution_key ORDER BY start, record_id
               ROWS UNBOUNDED PRECEDING
           ) AS cohort_no
    FROM gaps
),
attended AS (
    SELECT DISTINCT c.record_id
    FROM cohorted AS c
    JOIN entities AS pe
      ON pe.entity_id = c.entity_id AND pe.source = 'schools' AND pe.role = 'pupil'
    JOIN records_schools AS s ON s.record_id = pe.record_id
    WHERE s.enrol_date IS NOT NULL AND s.enrol_date >= c.start - {p.slack_days}
),
members AS (
    SELECT c.sponsor_key, c.institution_key, c.cohort_no, c.entity_id,
           min(c.institution) AS institution,
           min(c.start) AS start,
           max(c.start) AS last_start,
           list(DISTINCT c.mention_id) AS mentions,
           bool_or(a.record_id IS NOT NULL) AS attended,
           coalesce(min(c.age) < {p.minor_age}, false) AS minor,
           bool_and(c.arrival_date IS NULL) AS no_arrival,
           min(c.prob) AS prob
    FROM cohorted AS c
    LEFT JOIN attended AS a ON a.record_id = c.record_id
    GROUP BY c.sponsor_key, c.institution_key, c.cohort_no, c.entity_id
),
cohorts AS (
    SELECT sponsor_key, institution_key, cohort_no,
           min(institution) AS institution,
           min(start) AS first_start,
           max(last_start) AS last_start,
           count(*) AS cohort_size,
           count(*) FILTER (WHERE NOT attended) AS n_no_show,
           count(*) FILTER (WHERE minor) AS n_minors,
           count(*) FILTER (WHERE NOT attended AND minor) AS n_minor_no_show,
           count(*) FILTER (WHERE NOT attended AND no_arrival) AS n_no_arrival,
           flatten(list(mentions) FILTER (WHERE NOT attended)) AS evidence,
           coalesce(list(entity_id ORDER BY entity_id) FILTER (WHERE attended), [])
               AS attended_entities,
           min(prob) FILTER (WHERE NOT attended) AS confidence
    FROM members
    GROUP BY sponsor_key, institution_key, cohort_no
    HAVING count(*) >= {p.min_cohort}
       AND count(*) FILTER (WHERE NOT attended) >= {p.min_no_show_share} * count(*)
       AND count(*) FILTER (WHERE NOT attended) > 0
)
SELECT sponsor_key || '|' || coalesce(institution, '') || '|' || CAST(first_start AS VARCHAR)
           AS subject,
       evidence,
       confidence,
       n_minor_no_show AS minors,
       sponsor_key AS sponsor_id,
       institution,
       first_start, last_start, cohort_size, n_no_show,
       round(n_no_show / cohort_size, 4) AS no_show_share,
       n_minors, n_minor_no_show, n_no_arrival, attended_entities
FROM cohorts
"""

    def assess(self, row: Row, p: VisaCohortNoShowParams) -> Finding:
        """Strength from the no-show share, minors, missing arrivals and cohort size."""
        size, gone = row["cohort_size"], row["n_no_show"]
        share = gone / size
        s = Strength(
            p.w_base,
            f"base for a cohort of ≥{p.min_cohort} with ≥{p.min_no_show_share:.0%} no-shows",
        )
        headroom = 1.0 - p.min_no_show_share
        s.add(
            p.w_share,
            (share - p.min_no_show_share) / headroom if headroom > 0 else 1.0,
            f"{share:.0%} did not enrol",
        )
        s.add(
            p.w_minors,
            row["n_minor_no_show"] / gone,
            f"{row['n_minor_no_show']} of the {gone} no-shows are minors",
        )
        s.add(
            p.w_no_arrival,
            row["n_no_arrival"] / gone,
            f"{row['n_no_arrival']} of the {gone} no-shows have no recorded arrival",
        )
        s.add(p.w_size, min(1.0, (size - p.min_cohort) / p.min_cohort), f"cohort of {size}")
        where = row["institution"] or "an unnamed institution"
        minors = row["n_minor_no_show"]
        reason = (
            f"{plural(size, 'applicant')} granted visas through sponsor "
            f"{row['sponsor_id'] or '(none)'} for {where}, with course starts from "
            f"{row['first_start']} to {row['last_start']} (window_days={p.window_days}); "
            f"{gone} of them ({share:.0%}, min_no_show_share={p.min_no_show_share:g}) have no "
            f"school enrolment attended on or after the course start minus {p.slack_days} days"
            + (f", including {plural(minors, 'minor')}." if minors else ".")
        )
        summary = f"{gone} of {size} visa holders for {where} never enrolled"
        if minors:
            summary += f" ({plural(minors, 'minor')})"
        return Finding(summary=summary, reason=reason, strength=s)
