"""Visa applications: sponsors, courses, declared addresses, passports and arrivals."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from synthetic.arrays import (
    NAT,
    DateArray,
    ObjArray,
    add_years,
    days,
    from_ymd,
    lookup,
    numbered,
    obj,
    ymd,
)
from synthetic.places import passports
from synthetic.records import World
from synthetic.schema import AS_OF

_PERSON_SPONSOR_BASE = 0
_FRESH_SPONSOR_BASE = 5_000_000


def sponsor_id_of_person(person: np.ndarray) -> ObjArray:
    """Stable individual-sponsor id of a person in the population (same person, same id)."""
    digits = ((person + _PERSON_SPONSOR_BASE) * 7_777_777 + 1_234_567) % 10_000_000
    return numbered("SI", digits)


def fresh_sponsor_ids(world: World, n: int) -> ObjArray:
    """Ids for individual sponsors who are not in the population (never a person's id)."""
    k = world.places.take_numbers(n) + _FRESH_SPONSOR_BASE
    digits = (k * 7_777_777 + 1_234_567) % 10_000_000
    return numbered("SI", digits)


def passport_numbers(world: World, person: np.ndarray, nationality: ObjArray) -> ObjArray:
    """Each person's own passport number, in the format of their passport's nationality."""
    formats = {c.nationality: c.passport_format for c in world.names.cultures.values()}
    fmt = lookup(nationality, {n: formats.get(n, "999999999") for n in set(nationality.tolist())})
    return passports(fmt, person)


def course_start_after(decision: DateArray, rng: np.random.Generator) -> DateArray:
    """The next January (15th) or September (20th) intake after the decision."""
    ready = decision + days(rng.integers(20, 76, len(decision)))
    y, _, _ = ymd(ready)
    ones = np.ones(len(y), dtype=np.int64)
    jan = from_ymd(y, ones, 15 * ones)
    sep = from_ymd(y, 9 * ones, 20 * ones)
    jan_next = from_ymd(y + 1, ones, 15 * ones)
    result: DateArray = np.where(ready <= jan, jan, np.where(ready <= sep, sep, jan_next))
    return result


@dataclass
class Applications:
    """Visa applications to add: who, when, what for, and where they say they will live."""

    person: np.ndarray
    decision_date: DateArray
    visa_type: ObjArray
    granted: np.ndarray
    uk_address: ObjArray
    uk_postcode: ObjArray
    family_sponsor_name: ObjArray | None = None
    family_sponsor_id: ObjArray | None = None
    passport: ObjArray | None = None


def add_applications(world: World, a: Applications) -> None:
    """Fill sponsors, courses and arrival for a batch of applications and add them to visas.

    Study visas are sponsored by an institution (sponsor type `school`) and carry its course
    and the next intake date; visits by an agent, an employer or a relative (`individual`);
    family visas by the partner (`individual`). Granted applicants mostly arrive a few days
    after their intended arrival; refused ones never do.
    """
    rng = world.rng
    places = world.places
    persons_culture = world.persons.column("culture")[a.person]
    n = len(a.person)
    sponsor_id = obj("", n)
    sponsor_name = obj("", n)
    sponsor_type = obj("", n)
    institution = obj("", n)
    course = obj("", n)
    course_start: DateArray = np.full(n, NAT)
    intended: DateArray = a.decision_date + days(rng.integers(7, 46, n))

    decision = a.decision_date.copy()
    study = np.flatnonzero(a.visa_type == "study")
    if len(study):
        start = course_start_after(decision[study], rng)
        # nothing after the reference date: a course starting later moves a year earlier
        late = start > AS_OF
        start[late] = add_years(start[late], -1)
        decision[study] = np.minimum(
            decision[study], start - days(rng.integers(30, 76, len(study)))
        )
        insts = places.study_institutions
        pick = rng.integers(0, len(insts), len(study))
        cols = places.institution_columns(insts)
        sponsor_id[study] = cols["sponsor_id"][pick]
        sponsor_name[study] = cols["name"][pick]
        sponsor_type[study] = "school"
        institution[study] = cols["name"][pick]
        course[study] = places.courses(rng, insts, pick)
        course_start[study] = start
        intended[study] = np.maximum(
            start - days(rng.integers(3, 15, len(study))), decision[study] + days(1)
        )

    visit = np.flatnonzero(a.visa_type == "visit")
    if len(visit):
        kind = rng.random(len(visit))
        agent = visit[kind < 0.35]
        employer = visit[(kind >= 0.35) & (kind < 0.5)]
        relative = visit[kind >= 0.5]
        for rows, pool, label in (
            (agent, places.agents, "agent"),
            (employer, places.employers, "employer"),
        ):
            chosen = rng.integers(0, len(pool), len(rows))
            sponsor_id[rows] = obj([s.sponsor_id for s in pool])[chosen]
            sponsor_name[rows] = obj([s.name for s in pool])[chosen]
            sponsor_type[rows] = label
        if len(relative):
            sexes = np.where(rng.random(len(relative)) < 0.5, "F", "M").astype(object)
            cult = persons_culture[relative]
            sponsor_name[relative] = (
                world.names.forenames(rng, cult, sexes)
                + " "
                + (world.names.surnames_for(rng, cult, sexes))
            )
            sponsor_id[relative] = fresh_sponsor_ids(world, len(relative))
            sponsor_type[relative] = "individual"

    family = np.flatnonzero(a.visa_type == "family")
    if len(family):
        sponsor_type[family] = "individual"
        if a.family_sponsor_name is not None and a.family_sponsor_id is not None:
            sponsor_name[family] = a.family_sponsor_name[family]
            sponsor_id[family] = a.family_sponsor_id[family]
        unknown = family[sponsor_name[family] == ""]
        if len(unknown):
            sexes = np.where(rng.random(len(unknown)) < 0.7, "M", "F").astype(object)
            cult = obj(
                np.where(rng.random(len(unknown)) < 0.5, "uk", persons_culture[unknown]).tolist()
            )
            sponsor_name[unknown] = (
                world.names.forenames(rng, cult, sexes)
                + " "
                + (world.names.surnames_for(rng, cult, sexes))
            )
            sponsor_id[unknown] = fresh_sponsor_ids(world, len(unknown))

    arrives = a.granted & (rng.random(n) < 0.95)
    arrival = intended + days(rng.integers(0, 7, n))
    arrival = np.where(arrives & (arrival <= AS_OF), arrival, NAT)
    nationality = world.persons.column("birth_nationality")[a.person]
    passport = (
        a.passport if a.passport is not None else passport_numbers(world, a.person, nationality)
    )
    world.records.add(
        "visas",
        {
            "_applicant": a.person,
            "decision_date": decision,
            "visa_type": a.visa_type,
            "decision": np.where(a.granted, "granted", "refused").astype(object),
            "passport_number": passport,
            "sponsor_id": sponsor_id,
            "sponsor_name": sponsor_name,
            "sponsor_type": sponsor_type,
            "institution_name": institution,
            "course_name": course,
            "course_start_date": course_start,
            "intended_arrival_date": np.minimum(intended, AS_OF),
            "uk_address": a.uk_address,
            "uk_postcode": a.uk_postcode,
            "arrival_date": arrival,
        },
    )
