"""Decoys: innocent situations that look like a pattern (`truth/decoys.csv`).

- `large_family`: one couple, 8 children over 14 years, one district;
- `school_trip`: 15 Vietnamese minors, one agent, course and start date, all attended;
- `common_name_strangers`: 34 different people called Nguyễn Văn Anh, Nguyễn Thị Anh,
  John Smith or Mohammed Khan (different dates of birth);
- `twins`: 4 twin pairs (same mother and date of birth, different forenames);
- `reregistered_birth`: a child registered by the mother alone, then re-registered with the
  father after the parents married (later date, father added, surname changed).
"""

from __future__ import annotations

import numpy as np

from synthetic.cases import Cases, Date, day, shift
from synthetic.records import Ref, World
from synthetic.schema import AS_OF

TRIP_AGENT = "Lotus Bridge Education Ltd"
TRIP_SCHOOL = "Kensington Academy of English"
TRIP_COURSE = "English Language Summer Programme"
TRIP_START = day("2025-07-07")


def plant_decoys(world: World) -> None:
    """Add every decoy's people, records and truth rows to `world`."""
    cases = Cases(world)
    _large_family(cases)
    _school_trip(cases)
    _common_names(cases)
    _twins(cases)
    _reregistered(cases)


def _couple(
    cases: Cases, culture: str, district: str, first_child: Date, married: bool
) -> tuple[int, int, tuple[str, str]]:
    """A mother and father (married: she uses his surname), and their home address."""
    migrant = culture != "uk"
    father = cases.person(
        culture, "M", cases.random_dob(first_child, 27, 36), migrant=migrant, naturalised=migrant
    )
    his = cases.surname(father)
    mother_surname = str(
        cases.world.names.surnames_for(
            cases.rng, np.array([culture], dtype=object), np.array(["F"], dtype=object)
        )[0]
    )
    adopts = cases.world.names.cultures[culture].adopts_married_name
    mother = cases.person(
        culture,
        "F",
        cases.random_dob(first_child, 24, 33),
        migrant=migrant,
        naturalised=migrant,
        surname=mother_surname,
        married=his if married and adopts and his != mother_surname else "",
    )
    return mother, father, cases.address(district)


def _large_family(cases: Cases) -> None:
    district = "Leeds"
    first = day("2008-03-17")
    mother, father, home = _couple(cases, "uk", district, first, married=True)
    refs: list[Ref] = []
    born = first
    for k in range(8):
        child = cases.person(
            "uk", "M" if k % 2 else "F", born, migrant=False, surname=cases.surname(father)
        )
        cases.birth(
            f"large:{k}",
            child=child,
            mother=mother,
            father=father,
            district=district,
            address=home,
            informant="both" if k % 3 else "mother",
        )
        cases.careers(
            f"large:{k}:school",
            pupil=child,
            district=district,
            address=home,
            guardian=(cases.name(mother), "mother"),
        )
        refs.append(("births", f"large:{k}", "father"))
        born = shift(born, int(cases.rng.integers(600, 760)))
    cases.world.decoy("large_family", father, refs)


def _school_trip(cases: Cases) -> None:
    world, rng = cases.world, cases.rng
    agent = world.places.sponsors[TRIP_AGENT]
    school = world.places.institutions[TRIP_SCHOOL]
    refs: list[Ref] = []
    for i in range(15):
        pupil = cases.person("vn", "F" if i % 2 else "M", cases.random_dob(TRIP_START, 13, 17))
        decision = shift(day("2025-06-02"), int(rng.integers(0, 12)))
        arrival = shift(TRIP_START, -int(rng.integers(1, 4)))
        cases.visa(
            f"trip:{i}:visa",
            applicant=pupil,
            decision=decision,
            visa_type="visit",
            sponsor=agent,
            address=(school.address, school.postcode),
            institution=school,
            course=TRIP_COURSE,
            course_start=TRIP_START,
            intended=arrival,
            arrival=arrival,
        )
        parent = cases.random_name("vn", "M" if i % 3 else "F")
        cases.enrolment(
            f"trip:{i}:school",
            pupil=pupil,
            school=school.school,
            expected=TRIP_START,
            enrol=TRIP_START,
            leave=day("2025-07-25"),
            reason="completed",
            guardian=(parent, "father" if i % 3 else "mother"),
            address=(school.address, school.postcode),
        )
        refs.append(("visas", f"trip:{i}:visa", "applicant"))
    world.decoy("school_trip", f"{agent.sponsor_id}|{school.name}|{TRIP_START}", refs)


def _distinct_dobs(cases: Cases, n: int, low: str, high: str) -> list[Date]:
    span = int((day(high) - day(low)).astype(np.int64))
    offsets = cases.rng.choice(span, n, replace=False)
    return [shift(day(low), int(o)) for o in offsets]


def _clip(date: Date, low: Date, high: Date) -> Date:
    return max(low, min(date, high))


def _common_names(cases: Cases) -> None:
    """34 strangers sharing four very common names, each in their own records."""
    world, rng = cases.world, cases.rng
    agents = world.places.agents
    groups = (
        ("Nguyễn Văn Anh", "vn", "M", "Văn Anh", "Nguyễn", ("visa",) * 7 + ("school",) * 3),
        ("Nguyễn Thị Anh", "vn", "F", "Thị Anh", "Nguyễn", ("visa",) * 5 + ("mother",) * 3),
        (
            "John Smith",
            "uk",
            "M",
            "John",
            "Smith",
            ("father",) * 4 + ("missing",) * 2 + ("watch", "school"),
        ),
        (
            "Mohammed Khan",
            "pk",
            "M",
            "Mohammed",
            "Khan",
            ("visa",) * 4 + ("father",) * 2 + ("school",) * 2,
        ),
    )
    for g, (label, culture, sex, forenames, surname, roles) in enumerate(groups):
        adults = _distinct_dobs(cases, len(roles), "1970-01-01", "1995-12-31")
        kids = _distinct_dobs(cases, len(roles), "2008-01-01", "2016-12-31")
        refs: list[Ref] = []
        for k, role in enumerate(roles):
            tag = f"common:{g}:{k}"
            child_role = role == "school"
            dob = kids[k] if child_role else adults[k]
            migrant = role == "visa"
            person = cases.person(
                culture, sex, dob, migrant=migrant, forenames=forenames, surname=surname
            )
            district = cases.world.places.district[
                int(world.places.districts_for(rng, np.array([culture], dtype=object))[0])
            ]
            home = cases.address(str(district))
            if role == "visa":
                low = max(shift(dob, 19 * 365), day("2005-01-01"))
                high = min(shift(dob, 45 * 365), shift(AS_OF, -30))
                decision = shift(low, int(rng.integers(0, int((high - low).astype(int)) + 1)))
                study = k % 2 == 1
                cases.visa(
                    tag,
                    applicant=person,
                    decision=decision,
                    visa_type="study" if study else "visit",
                    sponsor=cases.institution_sponsor()
                    if study
                    else agents[int(rng.integers(0, len(agents)))],
                    address=home,
                    arrives=True,
                )
                refs.append(("visas", tag, "applicant"))
            elif role in ("mother", "father"):
                born = _clip(
                    shift(dob, int(rng.integers(22 * 365, 38 * 365))),
                    day("2004-03-01"),
                    shift(AS_OF, -60),
                )
                partner_sex = "M" if role == "mother" else "F"
                partner = cases.person(
                    culture, partner_sex, cases.random_dob(born, 22, 40), migrant=False
                )
                child = cases.person(
                    culture, "M" if k % 2 else "F", born, migrant=False, surname=surname
                )
                mother, father = (person, partner) if role == "mother" else (partner, person)
                cases.birth(
                    tag,
                    child=child,
                    mother=mother,
                    father=father,
                    district=str(district),
                    address=home,
                    informant="both",
                )
                refs.append(("births", tag, role))
            elif role == "school":
                cases.careers(
                    tag,
                    pupil=person,
                    district=str(district),
                    address=home,
                    guardian=(cases.random_name(culture, "F"), "mother"),
                )
                refs.append(("schools", tag, "pupil"))
            elif role == "missing":
                report = _clip(
                    shift(dob, int(rng.integers(20 * 365, 45 * 365))),
                    day("2010-01-01"),
                    shift(AS_OF, -90),
                )
                cases.missing(
                    tag,
                    person=person,
                    report=report,
                    force=str(world.places.force[world.places.district_index[str(district)]]),
                    location=home[0],
                    location_type="home",
                    reported_by="family",
                    relationship="partner",
                    status="found",
                    found=shift(report, 2),
                    found_location="Friend's address",
                )
                refs.append(("missing", tag, "missing"))
            else:
                since = _clip(
                    shift(dob, int(rng.integers(25 * 365, 40 * 365))), day("2005-01-01"), AS_OF
                )
                cases.watch(tag, person=person, category="registered_sex_offender", since=since)
                refs.append(("watchlist", tag, "subject"))
        world.decoy("common_name_strangers", label, refs)


def _twins(cases: Cases) -> None:
    """Four twin pairs: two registrations and the same schools, different forenames."""
    world, rng = cases.world, cases.rng
    for t, (culture, district, born_text) in enumerate(
        (
            ("uk", "Bristol", "2012-05-09"),
            ("pl", "Peterborough", "2014-11-23"),
            ("vn", "Hackney", "2016-02-02"),
            ("ng", "Croydon", "2018-08-15"),
        )
    ):
        born = day(born_text)
        mother, father, home = _couple(cases, culture, district, born, married=True)
        seed = int(rng.integers(0, 2**31))
        refs: list[Ref] = []
        first_names: set[str] = set()
        for k in range(2):
            sex = "F" if (t + k) % 3 else "M"
            fore = cases.random_forenames(culture, sex)
            while fore in first_names:  # twins never share forenames
                fore = cases.random_forenames(culture, sex)
            first_names.add(fore)
            child = cases.person(
                culture, sex, born, migrant=False, forenames=fore, surname=cases.surname(father)
            )
            cases.birth(
                f"twins:{t}:{k}",
                child=child,
                mother=mother,
                father=father,
                district=district,
                address=home,
                informant="both",
                registered_after=12,
            )
            saved = world.rng
            world.rng = np.random.default_rng(seed)  # same draws: same schools and dates
            cases.careers(
                f"twins:{t}:{k}:school",
                pupil=child,
                district=district,
                address=home,
                guardian=(cases.name(mother), "mother"),
            )
            world.rng = saved
            refs += [
                ("births", f"twins:{t}:{k}", "child"),
                ("schools", f"twins:{t}:{k}:school", "pupil"),
            ]
        world.decoy("twins", mother, refs)


def _reregistered(cases: Cases) -> None:
    """Registered by the mother alone, re-registered with the father after they married."""
    born = day("2019-04-10")
    district = "Nottingham"
    mother, father, home = _couple(cases, "uk", district, born, married=True)
    maiden = str(cases.world.persons.get("surname", mother))
    child = cases.person("uk", "F", born, migrant=False, surname=cases.surname(father))
    cases.birth(
        "rereg:first",
        child=child,
        mother=mother,
        district=district,
        address=home,
        informant="mother",
        registered_after=20,
        _surname_child=maiden,
        _tag_child="former_surname",
        _surname_mother=maiden,
        _tag_mother="former_surname",
    )
    cases.birth(
        "rereg:second",
        child=child,
        mother=mother,
        father=father,
        district=district,
        address=home,
        informant="both",
        registered_after=int((day("2020-11-12") - born).astype(np.int64)),
    )
    cases.careers(
        "rereg:school",
        pupil=child,
        district=district,
        address=home,
        guardian=(cases.name(mother), "mother"),
    )
    cases.world.decoy(
        "reregistered_birth",
        child,
        [("births", "rereg:first", "child"), ("births", "rereg:second", "child")],
    )
