"""One non-parent person, or one address, behind many unrelated families."""

from __future__ import annotations

from dataclasses import dataclass

from rules.params import Params, param
from rules.rule import Finding, Row, Rule, Strength, plural
from rules.sqlkit import (
    PARENT_RELATIONSHIPS,
    address_key,
    blank,
    family_of,
    fold,
    household,
    in_list,
    name_in,
    postcode_key,
    token_key,
)


@dataclass(frozen=True)
class SharedEnablerParams(Params):
    """Threshold and evidence weights of :class:`SharedEnabler`."""

    min_families: int = param(
        4,
        "Fewest unrelated families (distinct mother entities, or applicant/pupil entities "
        "not registered as a child of a known mother) one enabler is linked to.",
        minimum=2,
    )
    skip_institution_addresses: bool = param(
        True,
        "Do not count a visa's declared address when its postcode is that of a school record "
        "of the visa's own institution (students living at their boarding school).",
    )
    w_base: float = param(0.35, "Strength for meeting min_families.", minimum=0, maximum=1)
    w_families: float = param(
        0.3,
        "Added in proportion to families beyond min_families (full at twice it).",
        minimum=0,
    )
    w_roles: float = param(
        0.15,
        "Added when the enabler acts in more than one capacity (e.g. informant and guardian).",
        minimum=0,
    )
    w_sources: float = param(
        0.1,
        "Added when the links span more than one source (births, visas, schools).",
        minimum=0,
    )


class SharedEnabler(Rule[SharedEnablerParams]):
    """A third party (informant, guardian, individual sponsor) or address shared by families."""

    id = "shared_enabler"
    title = "One third party or address linked to many unrelated families"
    description = (
        "Links folded person names and addresses to families through their roles: informant "
        "on a birth (informant_relationship not a parent and the name not the mother's or "
        "father's), guardian of a pupil (relationship not a parent, or a claimed parent whose "
        "name is not a registered parent of the pupil), individual visa sponsor (not a "
        "registered parent of the applicant), and declared addresses (visa uk_address with "
        "uk_postcode, unless it is a school site of the visa's own institution; the applicants "
        "of one sponsor's course at one institution count as one party, so a school trip's "
        "shared lodging is not many families; birth usual_address with postcode). Fires when "
        "one name or address "
        "reaches min_families unrelated families. Subject: the name key (words folded and "
        "sorted) or the address key (folded address | postcode)."
    )
    loophole = (
        "Each registration is checked alone, so the organiser who registers, sponsors or houses "
        "many unrelated families is never seen; two men organised the 14 false paternities."
    )
    severity = "High when one person acts in several capacities across many families."
    subject_type = "name"
    params = SharedEnablerParams()

    def sql(self, p: SharedEnablerParams) -> str:
        """All enabler links (name or address, family, mention), then counts per key."""
        informant = token_key("b.informant_name")
        mother = token_key("concat_ws(' ', b.mother_forenames, b.mother_surname)")
        mother_maiden = token_key("concat_ws(' ', b.mother_forenames, b.mother_maiden_surname)")
        father = token_key("concat_ws(' ', b.father_forenames, b.father_surname)")
        says_parent = {
            "b": in_list("b.informant_relationship", PARENT_RELATIONSHIPS),
            "s": in_list("s.guardian_relationship", PARENT_RELATIONSHIPS),
        }
        guardian = token_key("s.guardian_name")
        skip_sites = "true" if p.skip_institution_addresses else "false"
        sponsor = token_key("v.sponsor_name")
        # One sponsor's course at one institution houses its own students as one party.
        course = (
            f"CASE WHEN {fold('v.institution_name')} IS NOT NULL THEN "
            f"concat_ws('|', {blank('v.sponsor_id')}, {fold('v.institution_name')}) END"
        )
        return f"""
WITH families AS ({family_of()}
),
parent_names AS (
    SELECT c.entity_id,
           list_distinct(flatten(list([{mother}, {mother_maiden}, {father}]))) AS names,
           list_distinct(flatten(list([{father}]))) AS fathers
    FROM entities AS c
    JOIN records_births AS b ON b.record_id = c.record_id
    WHERE c.source = 'births' AND c.role = 'child' AND c.entity_size > 1
    GROUP BY c.entity_id
),
sponsor_names AS (
    -- a name borne by several individual sponsor ids is several people
    SELECT {sponsor} AS key, count(DISTINCT {blank("v.sponsor_id")}) AS n_ids
    FROM records_visas AS v
    WHERE lower(trim(v.sponsor_type)) = 'individual'
    GROUP BY 1
),
institution_sites AS (
    SELECT DISTINCT {fold("s.school_name")} AS institution,
           {postcode_key("s.school_postcode")} AS postcode
    FROM records_schools AS s
    WHERE {fold("s.school_name")} IS NOT NULL AND {postcode_key("s.school_postcode")} IS NOT NULL
),
birth_family AS (
    SELECT b.*,
           coalesce(me.entity_id, 'births:' || b.record_id) AS family,
           [coalesce(me.mention_id, 'births:' || b.record_id || ':mother'),
            coalesce(ce.mention_id, 'births:' || b.record_id || ':child')] AS mention_ids
    FROM records_births AS b
    LEFT JOIN entities AS me
      ON me.source = 'births' AND me.record_id = b.record_id AND me.role = 'mother'
    LEFT JOIN entities AS ce
      ON ce.source = 'births' AND ce.record_id = b.record_id AND ce.role = 'child'
),
enabler_links AS (
    SELECT 'name' AS kind, {informant} AS key, {blank("b.informant_name")} AS display,
           'informant' AS capacity, 'births' AS source, b.family, b.mention_ids
    FROM birth_family AS b
    WHERE NOT coalesce({says_parent["b"]}, false)
      AND NOT {name_in(informant, f"[{mother}, {mother_maiden}, {father}]")}
    UNION ALL
    SELECT 'name', {guardian}, {blank("s.guardian_name")}, 'guardian', 'schools',
           coalesce(f.family, {household("s.home_address", "s.home_postcode", "s.pupil_surname")},
                    pe.entity_id),
           [pe.mention_id]
    FROM records_schools AS s
    JOIN entities AS pe
      ON pe.source = 'schools' AND pe.record_id = s.record_id AND pe.role = 'pupil'
    LEFT JOIN families AS f ON f.entity_id = pe.entity_id
    LEFT JOIN parent_names AS pn ON pn.entity_id = pe.entity_id
    WHERE NOT {name_in(guardian, "pn.names")}
      -- a claimed parent counts only against a registered parent of that role: a father
      -- named by the school where the birth names none is unremarkable
      AND NOT (coalesce({says_parent["s"]}, false)
               AND (pn.names IS NULL
                    OR (lower(trim(s.guardian_relationship)) = 'father'
                        AND len(list_filter(pn.fathers, lambda k: k IS NOT NULL)) = 0)))
    UNION ALL
    SELECT 'name',
           CASE WHEN sn.n_ids > 1 THEN {sponsor} || ' #' || {blank("v.sponsor_id")}
                ELSE {sponsor} END,
           {blank("v.sponsor_name")}, 'sponsor', 'visas',
           coalesce(f.family, {household("v.uk_address", "v.uk_postcode", "v.applicant_surname")},
                    ae.entity_id),
           [ae.mention_id]
    FROM records_visas AS v
    JOIN entities AS ae
      ON ae.source = 'visas' AND ae.record_id = v.record_id AND ae.role = 'applicant'
    LEFT JOIN families AS f ON f.entity_id = ae.entity_id
    LEFT JOIN parent_names AS pn ON pn.entity_id = ae.entity_id
    LEFT JOIN sponsor_names AS sn ON sn.key = {sponsor}
    WHERE lower(trim(v.sponsor_type)) = 'individual'
      AND NOT {name_in(sponsor, "pn.names")}
    UNION ALL
    SELECT 'address', {address_key("v.uk_address", "v.uk_postcode")},
           concat_ws(', ', {blank("v.uk_address")}, {blank("v.uk_postcode")}),
           'declared address', 'visas',
           CASE WHEN {course} IS NOT NULL THEN 'course:' || {course}
                ELSE coalesce(f.family,
                              {household("v.uk_address", "v.uk_postcode", "v.applicant_surname")},
                              ae.entity_id) END,
           [ae.mention_id]
    FROM records_visas AS v
    JOIN entities AS ae
      ON ae.source = 'visas' AND ae.record_id = v.record_id AND ae.role = 'applicant'
    LEFT JOIN families AS f ON f.entity_id = ae.entity_id
    LEFT JOIN institution_sites AS site
      ON site.institution = {fold("v.institution_name")}
     AND site.postcode = {postcode_key("v.uk_postcode")}
    WHERE site.institution IS NULL OR NOT {skip_sites}
    UNION ALL
    SELECT 'address', {address_key("b.usual_address", "b.postcode")},
           concat_ws(', ', {blank("b.usual_address")}, {blank("b.postcode")}),
           'usual address', 'births', b.family, b.mention_ids
    FROM birth_family AS b
),
enablers AS (
    SELECT kind, key
    FROM enabler_links
    WHERE key IS NOT NULL
    GROUP BY kind, key
    HAVING count(DISTINCT family) >= {p.min_families}
)
SELECT l.key AS subject,
       l.kind AS subject_type,
       list_sort(list_distinct(flatten(list(l.mention_ids)))) AS evidence,
       min(l.display) AS display,
       count(DISTINCT l.family) AS n_families,
       count(*) AS n_links,
       list(DISTINCT l.capacity ORDER BY l.capacity) AS capacities,
       list(DISTINCT l.source ORDER BY l.source) AS sources
FROM enabler_links AS l
JOIN enablers AS e ON e.kind = l.kind AND e.key = l.key
GROUP BY l.kind, l.key
"""

    def assess(self, row: Row, p: SharedEnablerParams) -> Finding:
        """Strength from the number of families, capacities and sources."""
        n = row["n_families"]
        caps, sources = row["capacities"], row["sources"]
        s = Strength(p.w_base, f"base for ≥{p.min_families} unrelated families")
        s.add(p.w_families, min(1.0, (n - p.min_families) / p.min_families), f"{n} families")
        s.add(p.w_roles, len(caps) > 1, f"acts as {' and '.join(caps)}")
        s.add(p.w_sources, len(sources) > 1, f"across {', '.join(sources)}")
        what = "Person" if row["subject_type"] == "name" else "Address"
        reason = (
            f"{what} {row['display']!r} (key {row['subject']!r}) is linked as "
            f"{', '.join(caps)} to {plural(n, 'unrelated family', 'unrelated families')} over "
            f"{plural(row['n_links'], 'record')} in {', '.join(sources)} "
            f"(min_families={p.min_families}); parents named on their own children's records "
            "are not counted."
        )
        summary = f"{what} linked as {'/'.join(caps)} to {n} unrelated families"
        return Finding(summary=summary, reason=reason, strength=s)
