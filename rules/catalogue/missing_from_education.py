"""A child who was expected at school but never attended, and whom nobody reported missing."""

from __future__ import annotations

from dataclasses import dataclass

from rules.params import Params, param
from rules.rule import Finding, Row, Rule, Strength, plural
from rules.sqlkit import age_at


@dataclass(frozen=True)
class MissingFromEducationParams(Params):
    """Definitions and evidence weights of :class:`MissingFromEducation`."""

    minor_age: int = param(
        18,
        "Pupils this old or older at the enrolment date are not children (a pupil "
        "without a date of birth counts as a child).",
        minimum=1,
    )
    leave_reasons: tuple[str, ...] = param(
        ("unknown", "never_attended"),
        "leave_reason values that mean the child's whereabouts are not known.",
    )
    later_enrolment_clears: bool = param(
        True,
        "Do not fire when the same entity attended another enrolment starting on or "
        "after the problem one.",
    )
    w_base: float = param(0.4, "Strength for one unexplained enrolment.", minimum=0, maximum=1)
    w_never_attended: float = param(
        0.2,
        "Added when an enrolment was never attended (no enrol_date or never_attended).",
        minimum=0,
    )
    w_visa: float = param(
        0.2,
        "Added when the child holds a granted visa (came to the UK for the place).",
        minimum=0,
    )
    w_repeat: float = param(0.1, "Added when more than one enrolment is unexplained.", minimum=0)


class MissingFromEducation(Rule[MissingFromEducationParams]):
    """Children expected at school who never arrived or vanished, with no missing report."""

    id = "missing_from_education"
    title = "Child missing from education with no missing-person report"
    description = (
        "Finds a child pupil with an enrolment whose leave_reason is one of leave_reasons, or "
        "whose expected_start_date is set but enrol_date is empty, when no missing-person "
        "report exists for that entity (and, by default, no later attended enrolment accounts "
        "for the child). Stronger when never attended, when the child holds a granted visa, "
        "and when it happens more than once."
    )
    loophole = (
        "A school place that is never taken up, or a pupil who leaves for an unknown "
        "destination, is not reported to the police: the children on the English course were "
        "expected at school and nobody asked where they went."
    )
    severity = "High for a child with a visa who never attended; low for an unknown leave reason."
    subject_type = "entity"
    params = MissingFromEducationParams()

    def sql(self, p: MissingFromEducationParams) -> str:
        """Unexplained enrolments per pupil entity, less those with a missing report."""
        reasons = ", ".join("'" + r.lower().replace("'", "''") + "'" for r in p.leave_reasons)
        clears = "true" if p.later_enrolment_clears else "false"
        return f"""
WITH enrolments AS (
    SELECT pe.entity_id, pe.mention_id, s.record_id,
           coalesce(pe.membership_probability, 1.0) AS prob,
           s.expected_start_date, s.enrol_date, s.leave_date,
           nullif(lower(trim(s.leave_reason)), '') AS leave_reason,
           coalesce(s.enrol_date, s.expected_start_date) AS start_date,
           {age_at("s.pupil_dob", "coalesce(s.enrol_date, s.expected_start_date)")} AS age,
           nullif(trim(s.school_name), '') AS school_name
    FROM records_schools AS s
    JOIN entities AS pe
      ON pe.source = 'schools' AND pe.record_id = s.record_id AND pe.role = 'pupil'
),
problems AS (
    SELECT *,
           (enrol_date IS NULL AND expected_start_date IS NOT NULL)
               OR leave_reason = 'never_attended' AS never_attended
    FROM enrolments
    WHERE (leave_reason IN ({reasons})
           OR (expected_start_date IS NOT NULL AND enrol_date IS NULL))
      AND (age IS NULL OR age < {p.minor_age})
),
reported AS (
    SELECT DISTINCT entity_id FROM entities WHERE source = 'missing' AND role = 'missing'
),
cleared AS (
    SELECT DISTINCT pr.record_id
    FROM problems AS pr
    JOIN enrolments AS later
      ON later.entity_id = pr.entity_id AND later.record_id <> pr.record_id
     AND later.enrol_date IS NOT NULL
     AND later.enrol_date >= coalesce(pr.leave_date, pr.start_date)
    WHERE {clears} AND NOT EXISTS (SELECT 1 FROM problems AS x WHERE x.record_id = later.record_id)
),
visa_holders AS (
    SELECT DISTINCT ae.entity_id
    FROM entities AS ae
    JOIN records_visas AS v ON v.record_id = ae.record_id
    WHERE ae.source = 'visas' AND ae.role = 'applicant' AND lower(trim(v.decision)) = 'granted'
)
SELECT pr.entity_id AS subject,
       list(DISTINCT pr.mention_id ORDER BY pr.mention_id) AS evidence,
       min(pr.prob) AS confidence,
       count(DISTINCT pr.record_id) AS n_enrolments,
       count(DISTINCT pr.record_id) FILTER (WHERE pr.never_attended) AS n_never_attended,
       list(DISTINCT pr.leave_reason ORDER BY pr.leave_reason)
           FILTER (WHERE pr.leave_reason IS NOT NULL) AS leave_reasons,
       list(DISTINCT pr.school_name ORDER BY pr.school_name)
           FILTER (WHERE pr.school_name IS NOT NULL) AS schools,
       min(pr.start_date) AS first_expected,
       min(pr.age) AS age,
       bool_or(vh.entity_id IS NOT NULL) AS has_visa
FROM problems AS pr
LEFT JOIN visa_holders AS vh ON vh.entity_id = pr.entity_id
WHERE NOT EXISTS (SELECT 1 FROM reported AS r WHERE r.entity_id = pr.entity_id)
  AND NOT EXISTS (SELECT 1 FROM cleared AS c WHERE c.record_id = pr.record_id)
GROUP BY pr.entity_id
"""

    def assess(self, row: Row, p: MissingFromEducationParams) -> Finding:
        """Strength from attendance, visa and repetition."""
        n, never = row["n_enrolments"], row["n_never_attended"]
        s = Strength(p.w_base, "base for an unexplained enrolment")
        s.add(p.w_never_attended, never > 0, "never attended")
        s.add(p.w_visa, row["has_visa"], "holds a granted visa")
        s.add(p.w_repeat, n > 1, f"{n} unexplained enrolments")
        schools = ", ".join(row["schools"] or []) or "an unnamed school"
        reasons = ", ".join(row["leave_reasons"] or []) or "none recorded"
        reason = (
            f"Pupil entity {row['subject']} has {plural(n, 'enrolment')} at {schools} from "
            f"{row['first_expected']} that {'was' if n == 1 else 'were'} never attended or "
            f"ended for an unknown reason ({never} never attended; leave reasons: {reasons}; "
            f"leave_reasons={list(p.leave_reasons)}), and no missing-person report exists for "
            "this entity."
        )
        what = "never arrived at school" if never else "left school for an unknown destination"
        summary = f"Child {what}, not reported missing"
        return Finding(summary=summary, reason=reason, strength=s)
