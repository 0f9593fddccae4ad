"""One man named father on many births of different children with several mothers."""

from __future__ import annotations

from dataclasses import dataclass

from rules.params import Params, param
from rules.rule import Finding, Row, Rule, Strength, plural
from rules.sqlkit import (
    PARENT_RELATIONSHIPS,
    address_key,
    days_between,
    fold,
    in_list,
    postcode_key,
    token_key,
)


@dataclass(frozen=True)
class ProlificFatherParams(Params):
    """Thresholds and evidence weights of :class:`ProlificFather`."""

    min_births: int = param(
        5, "Fewest distinct children (child entities) he is father of.", minimum=2
    )
    min_mothers: int = param(3, "Fewest distinct mother entities across those births.", minimum=2)
    late_days: int = param(
        42,
        "A birth registered more than this many days after the child's birth is late "
        "(42 days is the legal limit in England and Wales).",
        minimum=0,
    )
    w_base: float = param(0.25, "Strength for meeting both thresholds.", minimum=0, maximum=1)
    w_volume: float = param(
        0.15,
        "Added in proportion to children beyond min_births (full at twice min_births).",
        minimum=0,
    )
    w_mothers: float = param(
        0.1,
        "Added in proportion to (mothers - 1) / (children - 1): one mother per child is "
        "the full weight.",
        minimum=0,
    )
    w_nationality: float = param(
        0.15,
        "Added in proportion to the share of mothers whose recorded nationality differs "
        "from every nationality recorded for him (a relation, never a nationality).",
        minimum=0,
    )
    w_districts: float = param(
        0.1, "Added in proportion to (districts - 1) / (registrations - 1).", minimum=0
    )
    w_late: float = param(0.1, "Added in proportion to the share of late registrations.", minimum=0)
    w_informant: float = param(
        0.1,
        "Added in proportion to the share of his registrations made by one recurring "
        "informant who is neither parent.",
        minimum=0,
    )
    w_address: float = param(
        0.1,
        "Added when one address is given on the births of two or more of the mothers.",
        minimum=0,
    )
    w_postcode: float = param(
        0.05,
        "Added when the births are at more than one postcode, or a postcode of his own "
        "(from another record) is none of theirs.",
        minimum=0,
    )


class ProlificFather(Rule[ProlificFatherParams]):
    """Named father of many children with several mothers (paid or false paternity)."""

    id = "prolific_father"
    title = "One man named father on many births with different mothers"
    description = (
        "Finds an entity named as father on at least min_births birth registrations of "
        "distinct children (a re-registered birth counts once) with at least min_mothers "
        "distinct mothers. Stronger when the mothers' nationality differs from his, when the "
        "births span districts, are registered late, share a third-party informant or an "
        "address across mothers, or sit at postcodes other than his; graver when he is on "
        "the watchlist."
    )
    loophole = (
        "Birth registration accepts any man the mother names as father without evidence; a "
        "British father confers citizenship on the child and a route to residence on the "
        "mother, so paternity can be sold (one registered sex offender was paid to be named "
        "father of 14 children of 14 mothers)."
    )
    severity = (
        "High when many mothers are involved with several aggravating factors or when he is "
        "on the watchlist; a genuine large family with one mother never fires."
    )
    subject_type = "entity"
    params = ProlificFatherParams()

    def sql(self, p: ProlificFatherParams) -> str:
        """Per father entity: children, mothers and the aggravating factors."""
        informant = token_key("b.informant_name")
        mother_name = token_key("concat_ws(' ', b.mother_forenames, b.mother_surname)")
        father_name = token_key("concat_ws(' ', b.father_forenames, b.father_surname)")
        parent_said = in_list("b.informant_relationship", PARENT_RELATIONSHIPS)
        third_party = (
            f"NOT coalesce({parent_said}, false) AND {informant} IS DISTINCT FROM {mother_name} "
            f"AND {informant} IS DISTINCT FROM {father_name}"
        )
        return f"""
WITH father_links AS (
    SELECT fe.entity_id AS father,
           fe.mention_id AS father_mention,
           coalesce(fe.membership_probability, 1.0) AS father_prob,
           fe.record_id,
           coalesce(ce.entity_id, 'births:' || fe.record_id) AS child,
           ce.mention_id AS child_mention,
           me.entity_id AS mother,
           me.mention_id AS mother_mention
    FROM entities AS fe
    LEFT JOIN entities AS ce
      ON ce.source = 'births' AND ce.record_id = fe.record_id AND ce.role = 'child'
    LEFT JOIN entities AS me
      ON me.source = 'births' AND me.record_id = fe.record_id AND me.role = 'mother'
    WHERE fe.source = 'births' AND fe.role = 'father'
),
candidates AS (
    SELECT father
    FROM father_links
    GROUP BY father
    HAVING count(DISTINCT child) >= {p.min_births} AND count(DISTINCT mother) >= {p.min_mothers}
),
fb AS (
    SELECT fl.*,
           b.registration_date,
           {fold("b.registration_district")} AS district,
           {days_between("b.child_dob", "b.registration_date")} AS delay_days,
           CASE WHEN {third_party} THEN {informant} END AS informant,
           {address_key("b.usual_address", "b.postcode")} AS address,
           {postcode_key("b.postcode")} AS postcode,
           nullif(upper(trim(mm.nationality)), '') AS mother_nat
    FROM father_links AS fl
    JOIN candidates USING (father)
    JOIN records_births AS b ON b.record_id = fl.record_id
    LEFT JOIN mentions AS mm ON mm.mention_id = fl.mother_mention
),
his_details AS (
    SELECT e.entity_id AS father,
           list(DISTINCT upper(trim(m.nationality)))
               FILTER (WHERE nullif(trim(m.nationality), '') IS NOT NULL) AS his_nats,
           list(DISTINCT {postcode_key("m.postcode")})
               FILTER (WHERE m.source <> 'births' AND {postcode_key("m.postcode")} IS NOT NULL)
               AS his_postcodes
    FROM entities AS e
    JOIN candidates AS c ON c.father = e.entity_id
    JOIN mentions AS m ON m.mention_id = e.mention_id
    GROUP BY e.entity_id
),
informants AS (
    SELECT father, first(informant ORDER BY n DESC, informant) AS top_informant,
           max(n) AS top_informant_births
    FROM (SELECT father, informant, count(DISTINCT record_id) AS n
          FROM fb WHERE informant IS NOT NULL GROUP BY father, informant)
    GROUP BY father
),
addresses AS (
    SELECT father, max(n) AS max_mothers_at_one_address
    FROM (SELECT father, address, count(DISTINCT mother) AS n
          FROM fb WHERE address IS NOT NULL GROUP BY father, address)
    GROUP BY father
),
watch AS (
    SELECT c.father, list(DISTINCT w.mention_id) AS watch_mentions
    FROM candidates AS c
    JOIN entities AS w
      ON w.entity_id = c.father AND w.source = 'watchlist' AND w.role = 'subject'
    GROUP BY c.father
),
per_father AS (
    SELECT fb.father,
           count(DISTINCT fb.child) AS n_children,
           count(DISTINCT fb.mother) AS n_mothers,
           count(DISTINCT fb.record_id) AS n_registrations,
           count(DISTINCT fb.district) AS n_districts,
           count(DISTINCT fb.record_id) FILTER (WHERE fb.delay_days > {p.late_days}) AS n_late,
           count(DISTINCT fb.postcode) AS n_postcodes,
           count(DISTINCT fb.mother) FILTER (
               WHERE fb.mother_nat IS NOT NULL AND len(coalesce(h.his_nats, [])) > 0
           ) AS n_mothers_nat_known,
           count(DISTINCT fb.mother) FILTER (
               WHERE fb.mother_nat IS NOT NULL AND len(coalesce(h.his_nats, [])) > 0
                 AND NOT list_contains(h.his_nats, fb.mother_nat)
           ) AS n_mothers_nat_differs,
           bool_or(len(coalesce(h.his_postcodes, [])) > 0) AND NOT bool_or(
               list_contains(coalesce(h.his_postcodes, []), fb.postcode)
           ) AS his_postcode_elsewhere,
           min(fb.registration_date) AS first_registration,
           max(fb.registration_date) AS last_registration,
           min(fb.father_prob) AS confidence,
           list_concat(
               list(DISTINCT fb.father_mention),
               coalesce(list(DISTINCT fb.mother_mention)
                            FILTER (WHERE fb.mother_mention IS NOT NULL), []),
               coalesce(list(DISTINCT fb.child_mention)
                            FILTER (WHERE fb.child_mention IS NOT NULL), [])
           ) AS birth_mentions
    FROM fb
    LEFT JOIN his_details AS h ON h.father = fb.father
    GROUP BY fb.father
)
SELECT pf.father AS subject,
       list_distinct(list_concat(pf.birth_mentions, coalesce(w.watch_mentions, []))) AS evidence,
       pf.confidence,
       pf.n_children, pf.n_mothers, pf.n_registrations, pf.n_districts, pf.n_late,
       pf.n_postcodes, pf.n_mothers_nat_known, pf.n_mothers_nat_differs,
       coalesce(pf.his_postcode_elsewhere, false) AS his_postcode_elsewhere,
       pf.first_registration, pf.last_registration,
       i.top_informant, coalesce(i.top_informant_births, 0) AS top_informant_births,
       coalesce(a.max_mothers_at_one_address, 0) AS max_mothers_at_one_address,
       w.watch_mentions IS NOT NULL AS on_watchlist
FROM per_father AS pf
LEFT JOIN informants AS i ON i.father = pf.father
LEFT JOIN addresses AS a ON a.father = pf.father
LEFT JOIN watch AS w ON w.father = pf.father
"""

    def assess(self, row: Row, p: ProlificFatherParams) -> Finding:
        """Strength from volume, mothers per child and the aggravating factors."""
        n, m, regs = row["n_children"], row["n_mothers"], row["n_registrations"]
        s = Strength(p.w_base, f"base for ≥{p.min_births} children with ≥{p.min_mothers} mothers")
        s.add(
            p.w_volume,
            min(1.0, (n - p.min_births) / p.min_births),
            f"{n} children against a threshold of {p.min_births}",
        )
        s.add(p.w_mothers, (m - 1) / (n - 1) if n > 1 else 0.0, f"{m} mothers for {n} children")
        known, differs = row["n_mothers_nat_known"], row["n_mothers_nat_differs"]
        if known:
            s.add(
                p.w_nationality,
                differs / known,
                f"{differs} of {known} mothers' nationality differs from his",
            )
        if regs > 1:
            s.add(
                p.w_districts,
                (row["n_districts"] - 1) / (regs - 1),
                f"registered in {plural(row['n_districts'], 'district')}",
            )
        s.add(
            p.w_late,
            row["n_late"] / regs,
            f"{row['n_late']} of {regs} registered over {p.late_days} days after birth",
        )
        recurring = row["top_informant_births"] if row["top_informant_births"] >= 2 else 0
        s.add(
            p.w_informant,
            recurring / regs,
            f"one third-party informant on {recurring} of {regs} registrations",
        )
        shared = row["max_mothers_at_one_address"]
        s.add(p.w_address, shared >= 2, f"one address given by {shared} different mothers")
        spread = row["n_postcodes"] > 1 or row["his_postcode_elsewhere"]
        s.add(
            p.w_postcode,
            spread,
            f"births at {plural(row['n_postcodes'], 'postcode')}"
            + ("; his own postcode is none of theirs" if row["his_postcode_elsewhere"] else ""),
        )
        reason = (
            f"Entity {row['subject']} is named father on {plural(regs, 'birth registration')} of "
            f"{plural(n, 'distinct child', 'distinct children')} with "
            f"{plural(m, 'distinct mother')}, registered between {row['first_registration']} "
            f"and {row['last_registration']} (thresholds min_births={p.min_births}, "
            f"min_mothers={p.min_mothers})."
        )
        if row["on_watchlist"]:
            reason += " He shares an entity with a watchlist subject."
        summary = f"Named father of {plural(n, 'child', 'children')} by {plural(m, 'mother')}"
        if row["n_late"]:
            summary += f" ({row['n_late']} registered late)"
        return Finding(summary=summary, reason=reason, strength=s)
