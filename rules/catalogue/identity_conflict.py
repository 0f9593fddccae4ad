"""One passport used by different people, or one person with irreconcilable details."""

from __future__ import annotations

from dataclasses import dataclass

from rules.params import Params, param
from rules.rule import Finding, Row, Rule, Strength, plural
from rules.sqlkit import days_between, token_key


@dataclass(frozen=True)
class IdentityConflictParams(Params):
    """Thresholds and evidence weights of :class:`IdentityConflict`."""

    require_name_and_dob: bool = param(
        True,
        "A shared passport fires only when the entities differ in both name and date of "
        "birth (false: in either); where a date of birth is missing, forenames and surname "
        "that both differ stand for it.",
    )
    max_dob_gap_years: float = param(
        2.0,
        "One entity whose dates of birth are more than this many years apart is in conflict.",
        minimum=0,
    )
    w_passport_base: float = param(
        0.55, "Strength for a passport used by different people.", minimum=0, maximum=1
    )
    w_passport_people: float = param(
        0.2,
        "Added in proportion to people beyond two on one passport (full at five).",
        minimum=0,
    )
    w_passport_nationality: float = param(
        0.1,
        "Added when the applications on one passport record different nationalities.",
        minimum=0,
    )
    w_passport_both: float = param(
        0.1, "Added when both names and dates of birth differ.", minimum=0
    )
    w_entity_base: float = param(
        0.3, "Strength for one entity with irreconcilable details.", minimum=0, maximum=1
    )
    w_entity_dob: float = param(
        0.3, "Added in proportion to the date-of-birth spread (full at ten years).", minimum=0
    )
    w_entity_siblings: float = param(
        0.2,
        "Subtracted when the conflicting dates of birth include two birth registrations of "
        "children of the same mother years apart: more likely siblings merged by the resolver.",
        minimum=0,
    )
    w_entity_sex: float = param(
        0.2, "Added when the entity is recorded as both M and F.", minimum=0
    )


class IdentityConflict(Rule[IdentityConflictParams]):
    """Identity documents or identities that cannot belong to one person."""

    id = "identity_conflict"
    title = "Passport shared by different people, or one person with conflicting details"
    description = (
        "Raises a passport flag when one passport_number (normalised: letters and digits, upper "
        "case) appears on visa applications of two or more entities whose names and dates of "
        "birth differ; and an entity flag when one entity's mentions carry dates of birth more "
        "than max_dob_gap_years apart or both sexes M and F. An entity flag resting on a weak "
        "link may also mean the resolver merged two people; its confidence says so."
    )
    loophole = (
        "Visa checks look at one application at a time, so a document passed between children "
        "(or a person who presents different ages) is not seen."
    )
    severity = "High for one passport used by several people with different nationalities."
    subject_type = "passport"
    params = IdentityConflictParams()

    def sql(self, p: IdentityConflictParams) -> str:
        """Passport conflicts UNION entity conflicts, each row naming its subject_type."""
        differ = "AND" if p.require_name_and_dob else "OR"
        gap_days = round(p.max_dob_gap_years * 365.25)
        name = token_key("concat_ws(' ', v.applicant_forenames, v.applicant_surname)")
        child_spread = days_between("min(b.child_dob)", "max(b.child_dob)")
        spread = days_between("min(d.dob)", "max(d.dob)")
        return f"""
WITH passports AS (
    SELECT nullif(upper(regexp_replace(coalesce(v.passport_number, ''), '[^A-Za-z0-9]', '',
                                       'g')), '') AS passport,
           ae.entity_id, ae.mention_id,
           {name} AS name_key,
           {token_key("v.applicant_forenames")} AS forenames_key,
           {token_key("v.applicant_surname")} AS surname_key,
           v.applicant_dob AS dob,
           nullif(upper(trim(v.applicant_nationality)), '') AS nationality
    FROM records_visas AS v
    JOIN entities AS ae
      ON ae.source = 'visas' AND ae.record_id = v.record_id AND ae.role = 'applicant'
),
passport_flags AS (
    SELECT passport AS subject,
           'passport' AS subject_type,
           list(DISTINCT mention_id ORDER BY mention_id) AS evidence,
           1.0 AS confidence,
           count(DISTINCT entity_id) AS n_entities,
           count(DISTINCT name_key) AS n_names,
           count(DISTINCT dob) AS n_dobs,
           count(DISTINCT nationality) AS n_nationalities
    FROM passports
    WHERE passport IS NOT NULL
    GROUP BY passport
    HAVING count(DISTINCT entity_id) >= 2
       AND (count(DISTINCT name_key) >= 2 {differ} (
                count(DISTINCT dob) >= 2
                -- a missing dob cannot show one person: wholly different names then count
                OR (count(*) FILTER (WHERE dob IS NULL) > 0
                    AND count(DISTINCT forenames_key) >= 2
                    AND count(DISTINCT surname_key) >= 2)))
),
entity_details AS (
    SELECT e.entity_id, e.mention_id, coalesce(e.membership_probability, 1.0) AS prob,
           m.dob, upper(trim(m.sex)) AS sex
    FROM entities AS e
    JOIN mentions AS m ON m.mention_id = e.mention_id
    WHERE e.entity_size >= 2
),
siblings AS (
    SELECT DISTINCT c.entity_id
    FROM entities AS c
    JOIN records_births AS b ON b.record_id = c.record_id
    JOIN entities AS mo
      ON mo.source = 'births' AND mo.record_id = c.record_id AND mo.role = 'mother'
    WHERE c.source = 'births' AND c.role = 'child' AND c.entity_size >= 2
    GROUP BY c.entity_id, mo.entity_id
    HAVING {child_spread} > {gap_days}
),
entity_flags AS (
    SELECT d.entity_id AS subject,
           'entity' AS subject_type,
           list(DISTINCT d.mention_id ORDER BY d.mention_id)
               FILTER (WHERE d.dob IS NOT NULL OR d.sex IN ('M', 'F')) AS evidence,
           min(d.prob) AS confidence,
           {spread} AS dob_spread_days,
           min(d.dob) AS dob_min,
           max(d.dob) AS dob_max,
           coalesce(bool_or(d.sex = 'M') AND bool_or(d.sex = 'F'), false) AS sex_conflict,
           bool_or(sib.entity_id IS NOT NULL) AS siblings_like
    FROM entity_details AS d
    LEFT JOIN siblings AS sib ON sib.entity_id = d.entity_id
    GROUP BY d.entity_id
    HAVING coalesce({spread} > {gap_days}, false)
        OR coalesce(bool_or(d.sex = 'M') AND bool_or(d.sex = 'F'), false)
)
SELECT subject, subject_type, evidence, confidence,
       n_entities, n_names, n_dobs, n_nationalities,
       NULL AS dob_spread_days, NULL AS dob_min, NULL AS dob_max,
       NULL AS sex_conflict, NULL AS siblings_like
FROM passport_flags
UNION ALL
SELECT subject, subject_type, evidence, confidence,
       NULL, NULL, NULL, NULL,
       dob_spread_days, dob_min, dob_max, sex_conflict, siblings_like
FROM entity_flags
"""

    def assess(self, row: Row, p: IdentityConflictParams) -> Finding:
        """Strength for a passport or entity conflict."""
        if row["subject_type"] == "passport":
            return self._passport(row, p)
        return self._entity(row, p)

    def _passport(self, row: Row, p: IdentityConflictParams) -> Finding:
        people, names, dobs = row["n_entities"], row["n_names"], row["n_dobs"]
        s = Strength(p.w_passport_base, "base for a passport used by different people")
        s.add(p.w_passport_people, min(1.0, (people - 2) / 3), f"{people} people on it")
        s.add(p.w_passport_both, names >= 2 and dobs >= 2, "names and dates of birth both differ")
        s.add(
            p.w_passport_nationality,
            row["n_nationalities"] >= 2,
            f"{row['n_nationalities']} different nationalities recorded",
        )
        reason = (
            f"Passport {row['subject']} is on visa applications of "
            f"{plural(people, 'entity', 'entities')} "
            f"with {plural(names, 'name')} and {plural(dobs, 'date')} of birth "
            f"(require_name_and_dob={p.require_name_and_dob})."
        )
        summary = f"Passport used by {people} different people"
        return Finding(summary=summary, reason=reason, strength=s)

    def _entity(self, row: Row, p: IdentityConflictParams) -> Finding:
        spread = row["dob_spread_days"] or 0
        years = spread / 365.25
        s = Strength(p.w_entity_base, "base for irreconcilable details in one entity")
        s.add(
            p.w_entity_dob,
            min(1.0, years / 10) if years > p.max_dob_gap_years else 0.0,
            f"dates of birth {years:.1f} years apart",
        )
        s.add(p.w_entity_sex, row["sex_conflict"], "recorded as both M and F")
        s.add(
            -p.w_entity_siblings,
            bool(row["siblings_like"]),
            "two births of one mother years apart (siblings merged?)",
        )
        bits = []
        if years > p.max_dob_gap_years:
            bits.append(
                f"dates of birth from {row['dob_min']} to {row['dob_max']} ({years:.1f} years "
                f"apart, max_dob_gap_years={p.max_dob_gap_years:g})"
            )
        if row["sex_conflict"]:
            bits.append("sex recorded as both M and F")
        reason = (
            f"Entity {row['subject']} has {' and '.join(bits)}: either one person presenting "
            "different identities, or two people the resolver merged"
            + (
                "; two of its birth registrations are of children of the same mother born "
                "years apart, which points to siblings merged by the resolver."
                if row["siblings_like"]
                else "."
            )
        )
        summary = "One person with conflicting " + (
            "dates of birth and sex"
            if len(bits) == 2
            else ("dates of birth" if years > p.max_dob_gap_years else "sex")
        )
        return Finding(summary=summary, reason=reason, strength=s)
