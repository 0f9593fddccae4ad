"""The background population, built column-wise with numpy (no per-person Python loops).

Who is in it (shares of the `persons` asked for):
- ~90%: families: a mother, usually a father (85%), 1-4 children born 2004-2026, each child
  with a birth registration, school enrolments once 4, and visas for migrant parents;
- ~8%: migrants known only from visa applications (students, visitors, family joiners);
- ~1.5%: foreign pupils on study visas at independent boarding schools;
- ~0.6%: adults known only from a missing-person report or the watchlist.
A small share of children and adults also get missing-person reports (always with a police
force) and a few adults are on the watchlist.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from synthetic.arrays import (
    NAT,
    DateArray,
    ObjArray,
    add_years,
    choose,
    days,
    from_ymd,
    lookup,
    obj,
    uniform_dates,
)
from synthetic.incidents import add_missing_reports, add_watchlist, hubs
from synthetic.names import UK, gendered
from synthetic.records import World
from synthetic.schema import AS_OF
from synthetic.schooling import Pupils, guardians, school_careers
from synthetic.travel import Applications, add_applications, passport_numbers, sponsor_id_of_person

CHILDREN_P = np.array([0.18, 0.35, 0.27, 0.2])
"""Probability of 1, 2, 3 or 4 children in a family."""
FATHER_P = 0.85
MARRIED_P = 0.6
MIGRANT_P = 0.75
"""Share of adults of a non-UK culture who were born abroad (the rest are British-born)."""
NATURALISED_P = 0.3
SINGLE_SHARE = 0.08
VISITING_PUPIL_SHARE = 0.015
LONER_SHARE = 0.006
FIRST_BIRTH = np.datetime64("2004-01-01", "D")
EU_FREE_MOVEMENT_END = np.datetime64("2021-01-01", "D")
"""Polish and Romanian citizens needed no visa before this date."""


@dataclass
class Families:
    """Parents and children of the background families (person indices and circumstances)."""

    mother: np.ndarray
    father: np.ndarray
    has_father: np.ndarray
    married: np.ndarray
    district: np.ndarray
    address: ObjArray
    postcode: ObjArray
    first_birth: DateArray
    mother_migrant: np.ndarray
    father_migrant: np.ndarray
    mother_name: ObjArray
    father_name: ObjArray
    child: np.ndarray
    child_family: np.ndarray
    n_persons: int


def build_background(world: World, n_persons: int) -> None:
    """Add `n_persons` background people and every record they appear on."""
    n_single = round(SINGLE_SHARE * n_persons)
    n_visiting = round(VISITING_PUPIL_SHARE * n_persons)
    n_loners = round(LONER_SHARE * n_persons)
    fam = _families(world, n_persons - n_single - n_visiting - n_loners)
    n_single = n_persons - n_visiting - n_loners - fam.n_persons
    singles = _single_migrants(world, n_single)
    _visiting_pupils(world, n_visiting)
    loners = _loners(world, n_loners)
    half = len(loners) // 2
    _missing(world, fam, loners[:half])
    _watchlist(world, fam, singles, loners[half:])


# -- people ----------------------------------------------------------------------------------


def _cultures(world: World, n: int, *, foreign_only: bool = False) -> ObjArray:
    """Naming cultures drawn by population share."""
    codes = obj(world.names.codes)
    p = world.names.shares.copy()
    if foreign_only:
        p[codes == UK] = 0.0
        p = p / p.sum()
    result: ObjArray = codes[world.rng.choice(len(codes), n, p=p)]
    return result


def _origins(
    world: World, cultures: ObjArray, migrant: np.ndarray, naturalised: np.ndarray
) -> tuple[ObjArray, ObjArray, ObjArray]:
    """(current nationality, birth nationality, birthplace) of adults."""
    rng = world.rng
    n = len(cultures)
    nat_of = {c.code: c.nationality for c in world.names.cultures.values()}
    birth_nat = np.where(migrant, lookup(cultures, nat_of), "GBR").astype(object)
    nationality = np.where(naturalised | ~migrant, "GBR", birth_nat).astype(object)
    birthplace = obj("", n)
    home = np.where(migrant, cultures, UK).astype(object)
    for code in sorted(set(home.tolist())):
        mask = home == code
        birthplace[mask] = choose(rng, world.names.cultures[code].birthplaces, int(mask.sum()))
    return nationality, birth_nat, birthplace


def _sexes(rng: np.random.Generator, n: int, p_male: float = 0.5) -> ObjArray:
    return np.where(rng.random(n) < p_male, "M", "F").astype(object)


def _dob_from_age(rng: np.random.Generator, at: DateArray, age_years: np.ndarray) -> DateArray:
    """Birth dates giving roughly `age_years` (fractional) at dates `at`."""
    result: DateArray = at - days(age_years * 365.25 + rng.random(len(at)))
    return result


def _families(world: World, target: int) -> Families:
    rng = world.rng
    names = world.names
    places = world.places
    n0 = int(target / 3.6 * 1.3) + 20
    codes = obj(names.codes)
    m_cult = _cultures(world, n0)
    f_cult = np.where(rng.random(n0) < 0.85, m_cult, _cultures(world, n0)).astype(object)
    has_father = rng.random(n0) < FATHER_P
    n_kids = rng.choice(np.arange(1, 5), n0, p=CHILDREN_P)
    first = uniform_dates(rng, FIRST_BIRTH, AS_OF - np.timedelta64(45, "D"), n0)
    gaps = 300 + rng.gamma(2.0, 280.0, (n0, 3))
    offsets = np.concatenate([np.zeros((n0, 1)), np.cumsum(gaps, axis=1)], axis=1)
    kid_dob = first[:, None] + days(offsets)
    valid = (np.arange(4)[None, :] < n_kids[:, None]) & (kid_dob <= AS_OF - np.timedelta64(45, "D"))
    kids = valid.sum(axis=1)
    size = 1 + has_father.astype(np.int64) + kids
    n_fam = int(np.searchsorted(np.cumsum(size), target, side="right"))
    m_cult, f_cult, has_father = m_cult[:n_fam], f_cult[:n_fam], has_father[:n_fam]
    first, kids, valid, kid_dob = first[:n_fam], kids[:n_fam], valid[:n_fam], kid_dob[:n_fam]
    del codes

    # parents
    m_age = np.clip(rng.normal(29.0, 5.5, n_fam), 17.0, 44.0)
    m_dob = _dob_from_age(rng, first, m_age)
    f_gap = np.clip(rng.normal(2.5, 4.0, n_fam), -6.0, 15.0)
    f_dob = np.minimum(m_dob - days(f_gap * 365.25), first - days(18 * 365.25 + 1))
    m_migrant = (m_cult != UK) & (rng.random(n_fam) < MIGRANT_P)
    f_migrant = has_father & (f_cult != UK) & (rng.random(n_fam) < MIGRANT_P)
    m_nat, m_bnat, m_place = _origins(
        world, m_cult, m_migrant, m_migrant & (rng.random(n_fam) < NATURALISED_P)
    )
    f_nat, f_bnat, f_place = _origins(
        world, f_cult, f_migrant, f_migrant & (rng.random(n_fam) < NATURALISED_P)
    )
    female = obj("F", n_fam)
    male = obj("M", n_fam)
    m_fore = names.forenames(rng, m_cult, female)
    m_sur = names.surnames_for(rng, m_cult, female)
    f_fore = names.forenames(rng, f_cult, male)
    f_sur = names.surnames_for(rng, f_cult, male)
    married = has_father & (rng.random(n_fam) < MARRIED_P)
    adopts = lookup(m_cult, {k: c.adopts_married_name for k, c in names.cultures.items()}, bool)
    married_name = gendered(f_sur, f_cult, female)
    m_married = np.where(married & adopts & (married_name != m_sur), married_name, "").astype(
        object
    )
    mother = world.persons.add(
        forenames=m_fore,
        surname=m_sur,
        married=m_married,
        dob=m_dob,
        sex=female,
        culture=m_cult,
        nationality=m_nat,
        birth_nationality=m_bnat,
        birthplace=m_place,
    )
    fi = np.flatnonzero(has_father)
    father = np.full(n_fam, -1, dtype=np.int64)
    father[fi] = world.persons.add(
        forenames=f_fore[fi],
        surname=f_sur[fi],
        dob=f_dob[fi],
        sex=male[fi],
        culture=f_cult[fi],
        nationality=f_nat[fi],
        birth_nationality=f_bnat[fi],
        birthplace=f_place[fi],
    )
    mother_name = m_fore + " " + np.where(m_married != "", m_married, m_sur)
    father_name = np.where(has_father, f_fore + " " + f_sur, "").astype(object)

    # children
    fam = np.repeat(np.arange(n_fam), kids)
    order = np.arange(len(fam)) - np.repeat(np.cumsum(kids) - kids, kids)
    c_dob = kid_dob[valid]
    n_c = len(fam)
    c_sex = _sexes(rng, n_c, 0.512)
    fathered = has_father[fam]
    c_cult = np.where(fathered & (rng.random(n_c) < 0.6), f_cult[fam], m_cult[fam]).astype(object)
    anglicise = lookup(c_cult, {k: c.anglicised_children for k, c in names.cultures.items()}, float)
    c_cult[rng.random(n_c) < anglicise] = UK
    takes_father = fathered & (married[fam] | (rng.random(n_c) < 0.55))
    base = np.where(takes_father, f_sur[fam], m_sur[fam]).astype(object)
    origin = np.where(takes_father, f_cult[fam], m_cult[fam]).astype(object)
    british = (m_nat[fam] == "GBR") | (fathered & (f_nat[fam] == "GBR"))
    c_nat = np.where(british, "GBR", m_bnat[fam]).astype(object)
    district = places.districts_for(rng, m_cult)
    address, postcode = places.addresses(rng, district)
    c_district = district[fam]
    child = world.persons.add(
        forenames=names.forenames(rng, c_cult, c_sex),
        surname=gendered(base, origin, c_sex),
        dob=c_dob,
        sex=c_sex,
        culture=c_cult,
        nationality=c_nat,
        birth_nationality=c_nat,
        birthplace=places.hospital[c_district],
    )

    # birth registrations
    moved = (order > 0) & (rng.random(n_c) < 0.2)
    b_address, b_postcode = address[fam].copy(), postcode[fam].copy()
    new_address, new_postcode = places.addresses(rng, c_district[moved])
    b_address[moved], b_postcode[moved] = new_address, new_postcode
    father_on = fathered & (married[fam] | (rng.random(n_c) < 0.85) | (order == 0))
    u = rng.random(n_c)
    informant = np.where(
        father_on, np.where(u < 0.45, "both", np.where(u < 0.8, "mother", "father")), "mother"
    ).astype(object)
    other = rng.random(n_c) < 0.004
    informant[other] = "other"
    other_sex = _sexes(rng, int(other.sum()))
    other_cult = m_cult[fam[other]]
    informant_name = obj("", n_c)
    informant_name[other] = (
        names.forenames(rng, other_cult, other_sex)
        + " "
        + (names.surnames_for(rng, other_cult, other_sex))
    )
    delay = np.clip(rng.exponential(12.0, n_c) + 2.0, 1.0, 42.0)
    late = rng.random(n_c) < 0.02
    delay[late] = rng.integers(43, 400, int(late.sum()))
    world.records.add(
        "births",
        {
            "_child": child,
            "_mother": mother[fam],
            "_father": np.where(father_on, father[fam], -1),
            "registration_date": np.minimum(c_dob + days(delay), AS_OF),
            "registration_district": places.district[c_district],
            "child_birthplace": places.hospital[c_district],
            "informant_relationship": informant,
            "_informant_name": informant_name,
            "usual_address": b_address,
            "postcode": b_postcode,
        },
    )

    g_name, g_rel = guardians(rng, mother_name[fam], father_name[fam], fathered)
    school_careers(
        world,
        Pupils(
            person=child,
            dob=c_dob,
            district=c_district,
            address=address[fam],
            postcode=postcode[fam],
            guardian_name=g_name,
            guardian_relationship=g_rel,
            may_move_abroad=m_migrant[fam],
        ),
    )
    families = Families(
        mother=mother,
        father=father,
        has_father=has_father,
        married=married,
        district=district,
        address=address,
        postcode=postcode,
        first_birth=first,
        mother_migrant=m_migrant,
        father_migrant=f_migrant,
        mother_name=mother_name,
        father_name=father_name,
        child=child,
        child_family=fam,
        n_persons=int(n_fam + len(fi) + n_c),
    )
    _parent_visas(world, families, m_cult, f_cult, m_dob, f_dob)
    return families


def _parent_visas(
    world: World,
    f: Families,
    m_cult: ObjArray,
    f_cult: ObjArray,
    m_dob: DateArray,
    f_dob: DateArray,
) -> None:
    """Visas by which migrant parents first came: before their first child, partner-sponsored."""
    rng = world.rng
    fi = np.flatnonzero(f.has_father)
    fam = np.concatenate([np.arange(len(f.mother)), fi])
    person = np.concatenate([f.mother, f.father[fi]])
    is_mother = np.arange(len(fam)) < len(f.mother)
    migrant = np.concatenate([f.mother_migrant, f.father_migrant[fi]])
    culture = np.concatenate([m_cult, f_cult[fi]])
    dob = np.concatenate([m_dob, f_dob[fi]])
    partner = np.concatenate([f.father, f.mother[fi]])
    partner_name = np.concatenate([f.father_name, f.mother_name[fi]])
    arrival = f.first_birth[fam] - days(rng.uniform(1.0, 9.0, len(fam)) * 365.25)
    arrival = np.maximum(arrival, add_years(dob, 17))
    eu = (culture == "pl") | (culture == "ro")
    keep = (
        migrant
        & ~(eu & (arrival < EU_FREE_MOVEMENT_END))
        & (arrival >= np.datetime64("2000-01-01", "D"))
    )
    k = np.flatnonzero(keep)
    n = len(k)
    decision = arrival[k] - days(rng.integers(10, 41, n))
    u = rng.random(n)
    vtype = np.where(
        is_mother[k],
        np.where(u < 0.45, "family", np.where(u < 0.8, "study", "visit")),
        np.where(u < 0.2, "family", np.where(u < 0.65, "study", "visit")),
    ).astype(object)
    has_partner = partner[k] >= 0
    sponsor_name = np.where(has_partner, partner_name[k], "").astype(object)
    sponsor_id = obj("", n)
    sponsor_id[has_partner] = sponsor_id_of_person(partner[k][has_partner])
    uk_address, uk_postcode = world.places.addresses(rng, f.district[fam[k]])
    family_visa = vtype == "family"
    uk_address[family_visa] = f.address[fam[k]][family_visa]
    uk_postcode[family_visa] = f.postcode[fam[k]][family_visa]
    add_applications(
        world,
        Applications(
            person=person[k],
            decision_date=decision,
            visa_type=vtype,
            granted=np.ones(n, dtype=bool),
            uk_address=uk_address,
            uk_postcode=uk_postcode,
            family_sponsor_name=sponsor_name,
            family_sponsor_id=sponsor_id,
        ),
    )
    # an earlier application for many (a visit or a study visa, some refused)
    r = np.flatnonzero(rng.random(n) < 0.45)
    earlier = decision[r] - days(rng.integers(120, 1500, len(r)))
    addr, pc = world.places.addresses(rng, f.district[fam[k][r]])
    add_applications(
        world,
        Applications(
            person=person[k][r],
            decision_date=earlier,
            visa_type=np.where(rng.random(len(r)) < 0.6, "visit", "study").astype(object),
            granted=rng.random(len(r)) < 0.7,
            uk_address=addr,
            uk_postcode=pc,
        ),
    )


def _single_migrants(world: World, n: int) -> np.ndarray:
    """Students, visitors and family joiners seen only on their visa applications."""
    rng = world.rng
    culture = _cultures(world, n, foreign_only=True)
    sex = _sexes(rng, n)
    decision = uniform_dates(
        rng, np.datetime64("2006-01-01", "D"), AS_OF - np.timedelta64(20, "D"), n
    )
    dob = _dob_from_age(rng, decision, np.clip(rng.normal(26.0, 6.5, n), 18.0, 60.0))
    migrant = np.ones(n, dtype=bool)
    naturalised = (decision < np.datetime64("2016-01-01", "D")) & (rng.random(n) < 0.1)
    nationality, birth_nat, birthplace = _origins(world, culture, migrant, naturalised)
    person = world.persons.add(
        forenames=world.names.forenames(rng, culture, sex),
        surname=world.names.surnames_for(rng, culture, sex),
        dob=dob,
        sex=sex,
        culture=culture,
        nationality=nationality,
        birth_nationality=birth_nat,
        birthplace=birthplace,
    )
    district = world.places.districts_for(rng, culture)
    u = rng.random(n)
    vtype = np.where(u < 0.5, "study", np.where(u < 0.92, "visit", "family")).astype(object)
    address, postcode = world.places.addresses(rng, district)
    add_applications(
        world,
        Applications(
            person=person,
            decision_date=decision,
            visa_type=vtype,
            granted=rng.random(n) < 0.88,
            uk_address=address,
            uk_postcode=postcode,
        ),
    )
    # further applications (extensions, a new course, another visit) for many
    later = decision.copy()
    more = np.ones(n, dtype=bool)
    for chance in (0.5, 0.3):
        later = later + days(rng.integers(200, 1500, n))
        more &= (rng.random(n) < chance) & (later <= AS_OF - np.timedelta64(5, "D"))
        again = np.flatnonzero(more)
        u2 = rng.random(len(again))
        address2, postcode2 = world.places.addresses(rng, district[again])
        add_applications(
            world,
            Applications(
                person=person[again],
                decision_date=later[again],
                visa_type=np.where(u2 < 0.5, "study", np.where(u2 < 0.9, "visit", "family")).astype(
                    object
                ),
                granted=rng.random(len(again)) < 0.9,
                uk_address=address2,
                uk_postcode=postcode2,
            ),
        )
    return person


def _visiting_pupils(world: World, n: int) -> None:
    """Foreign pupils at independent boarding schools: a study visa, then an enrolment."""
    rng = world.rng
    places = world.places
    culture = _cultures(world, n, foreign_only=True)
    sex = _sexes(rng, n)
    year = rng.integers(2008, 2026, n)
    start = from_ymd(year, np.full(n, 9), rng.integers(1, 8, n))
    age = rng.integers(11, 17, n)
    dob = _dob_from_age(rng, start, age + rng.random(n))
    nat_of = {c.code: c.nationality for c in world.names.cultures.values()}
    nat = lookup(culture, nat_of)
    _, _, birthplace = _origins(world, culture, np.ones(n, dtype=bool), np.zeros(n, dtype=bool))
    surname = world.names.surnames_for(rng, culture, sex)
    person = world.persons.add(
        forenames=world.names.forenames(rng, culture, sex),
        surname=surname,
        dob=dob,
        sex=sex,
        culture=culture,
        nationality=nat,
        birth_nationality=nat,
        birthplace=birthplace,
    )
    schools = places.boarding_schools
    pick = rng.integers(0, len(schools), n)
    inst = places.institution_columns(schools)
    course = np.where(age < 15, "GCSE Programme", "A-Level Programme").astype(object)
    decision = start - days(rng.integers(30, 91, n))
    granted = rng.random(n) < 0.95
    intended = start - days(rng.integers(2, 11, n))
    arrived = granted & (rng.random(n) < 0.97) & (intended <= AS_OF)
    world.records.add(
        "visas",
        {
            "_applicant": person,
            "decision_date": decision,
            "visa_type": obj("study", n),
            "decision": np.where(granted, "granted", "refused").astype(object),
            "passport_number": passport_numbers(world, person, nat),
            "sponsor_id": inst["sponsor_id"][pick],
            "sponsor_name": inst["name"][pick],
            "sponsor_type": obj("school", n),
            "institution_name": inst["name"][pick],
            "course_name": course,
            "course_start_date": start,
            "intended_arrival_date": intended,
            "uk_address": inst["address"][pick],
            "uk_postcode": inst["postcode"][pick],
            "arrival_date": np.where(arrived, intended + days(rng.integers(0, 4, n)), NAT),
        },
    )
    e = np.flatnonzero(arrived & (start <= AS_OF))
    end = from_ymd(year[e] + 2, np.full(len(e), 7), np.full(len(e), 10))
    parent_sex = _sexes(rng, len(e), 0.4)
    parent_name = (
        world.names.forenames(rng, culture[e], parent_sex)
        + " "
        + gendered(surname[e], culture[e], parent_sex)
    )
    world.records.add(
        "schools",
        {
            "_school": inst["school"][pick[e]],
            "_pupil": person[e],
            "expected_start_date": start[e],
            "enrol_date": start[e] + days(rng.integers(0, 4, len(e))),
            "leave_date": np.where(end <= AS_OF, end, NAT),
            "leave_reason": np.where(end <= AS_OF, "completed", "").astype(object),
            "guardian_name": parent_name,
            "guardian_relationship": np.where(parent_sex == "M", "father", "mother").astype(object),
            "home_address": inst["address"][pick[e]],
            "home_postcode": inst["postcode"][pick[e]],
        },
    )


def _loners(world: World, n: int) -> np.ndarray:
    """Adults known only from a missing-person report or a watchlist entry."""
    rng = world.rng
    culture = np.where(rng.random(n) < 0.85, UK, _cultures(world, n)).astype(object)
    sex = _sexes(rng, n, 0.6)
    dob = _dob_from_age(rng, np.full(n, AS_OF), rng.uniform(20.0, 70.0, n))
    migrant = (culture != UK) & (rng.random(n) < 0.5)
    nationality, birth_nat, birthplace = _origins(world, culture, migrant, migrant)
    return world.persons.add(
        forenames=world.names.forenames(rng, culture, sex),
        surname=world.names.surnames_for(rng, culture, sex),
        dob=dob,
        sex=sex,
        culture=culture,
        nationality=nationality,
        birth_nationality=birth_nat,
        birthplace=birthplace,
    )


# -- incidents -------------------------------------------------------------------------------


def _missing(world: World, f: Families, loners: np.ndarray) -> None:
    """Missing-person reports: teenagers (mostly) and adults, always with a police force."""
    rng = world.rng
    places = world.places
    dob_all = world.persons.column("dob")
    # teenagers from the families
    kids = f.child
    kid_dob = dob_all[kids]
    eligible = kid_dob <= AS_OF - np.timedelta64(12 * 365, "D")
    chosen = np.flatnonzero(eligible & (rng.random(len(kids)) < 0.03))
    k_person = kids[chosen]
    k_district = f.district[f.child_family[chosen]]
    k_home = f.address[f.child_family[chosen]]
    k_lo = np.maximum(add_years(dob_all[k_person], 12), np.datetime64("2010-01-01", "D"))
    k_hi = np.minimum(add_years(dob_all[k_person], 18) - np.timedelta64(1, "D"), AS_OF)
    # adults: British-born parents, and the loners
    adults = np.concatenate([f.mother, f.father[f.has_father]])
    a_district_all = np.concatenate([f.district, f.district[f.has_father]])
    a_home_all = np.concatenate([f.address, f.address[f.has_father]])
    # (never someone with a visa record: a visa followed by a missing report is planted)
    born_here = np.concatenate([~f.mother_migrant, ~f.father_migrant[f.has_father]])
    pick = np.flatnonzero(born_here & (rng.random(len(adults)) < 0.005))
    l_district = world.places.districts_for(rng, world.persons.column("culture")[loners])
    l_home, _ = places.addresses(rng, l_district)
    a_person = np.concatenate([adults[pick], loners])
    a_district = np.concatenate([a_district_all[pick], l_district])
    a_home = np.concatenate([a_home_all[pick], l_home])
    a_lo = np.maximum(add_years(dob_all[a_person], 18), np.datetime64("2010-01-01", "D"))
    a_hi = np.full(len(a_person), AS_OF)

    person = np.concatenate([k_person, a_person])
    is_kid = np.arange(len(person)) < len(k_person)
    district = np.concatenate([k_district, a_district])
    home = np.concatenate([k_home, a_home])
    lo = np.concatenate([k_lo, a_lo])
    hi = np.concatenate([k_hi, a_hi])
    repeats = 1 + (rng.random(len(person)) < 0.25) + (rng.random(len(person)) < 0.08)
    r = np.repeat(np.arange(len(person)), repeats)
    r = r[lo[r] <= hi[r]]
    n = len(r)
    report = uniform_dates(rng, lo[r], hi[r], n)
    u = rng.random(n)
    kid = is_kid[r]
    ltype = np.where(
        kid,
        np.where(
            u < 0.45, "home", np.where(u < 0.6, "school", np.where(u < 0.85, "care", "other"))
        ),
        np.where(
            u < 0.55,
            "home",
            np.where(
                u < 0.9, "other", np.where(u < 0.95, "care", np.where(u < 0.98, "airport", "port"))
            ),
        ),
    ).astype(object)
    town = places.town[district[r]]
    spots = obj(["city centre", "bus station", "railway station", "retail park", "park"])
    other_spot = town + " " + spots[rng.integers(0, len(spots), n)]
    school_name = places.school_name[places.schools_in(rng, district[r], "secondary")]
    care = np.where(kid, "Children's home, ", "Care home, ").astype(object) + town
    location = np.where(
        ltype == "home",
        home[r],
        np.where(ltype == "school", school_name, np.where(ltype == "care", care, other_spot)),
    ).astype(object)
    force = places.force[district[r]].copy()
    elsewhere = ~kid & (rng.random(n) < 0.2)
    forces = obj(places.forces)
    force[elsewhere] = forces[rng.integers(0, len(forces), int(elsewhere.sum()))]
    for kind in ("airport", "port"):
        at = np.flatnonzero(ltype == kind)
        options = hubs(kind)
        choice = rng.integers(0, len(options), len(at))
        location[at] = obj([o[0] for o in options])[choice]
        force[at] = obj([o[1] for o in options])[choice]
    reported_by = np.where(
        ltype == "school",
        "school",
        np.where(ltype == "care", "carer", np.where(kid, "parent", "family")),
    ).astype(object)
    rel_kid = np.where(rng.random(n) < 0.7, "mother", "father").astype(object)
    adult_rels = obj(["partner", "sister", "brother", "mother", "son", "daughter", "friend"])
    rel_adult = adult_rels[rng.integers(0, len(adult_rels), n)]
    relationship = np.where(
        ltype == "school",
        "head teacher",
        np.where(ltype == "care", "care worker", np.where(kid, rel_kid, rel_adult)),
    ).astype(object)
    add_missing_reports(
        world,
        person[r],
        report,
        force=force,
        location=location,
        location_type=ltype,
        reported_by=reported_by,
        relationship=relationship,
    )


def _watchlist(world: World, f: Families, singles: np.ndarray, loners: np.ndarray) -> None:
    """A few adults on the watchlist (offenders, facilitators, organised-crime members)."""
    rng = world.rng
    fathers = f.father[f.has_father]
    sex = world.persons.column("sex")
    men = singles[sex[singles] == "M"]
    person = np.concatenate(
        [
            fathers[rng.random(len(fathers)) < 0.003],
            men[rng.random(len(men)) < 0.004],
            loners,
        ]
    )
    n = len(person)
    u = rng.random(n)
    category = np.where(
        u < 0.5, "registered_sex_offender", np.where(u < 0.7, "known_facilitator", "ocg_member")
    ).astype(object)
    dob = world.persons.column("dob")[person]
    lo = np.maximum(add_years(dob, 18), np.datetime64("2005-01-01", "D"))
    since = uniform_dates(rng, lo, np.full(n, AS_OF), n)
    add_watchlist(world, person, category, since)
