"""Planted exploitation patterns, each recorded in `truth/planted.csv` under its rule id.

- `prolific_father`: ring A (a British registered sex offender named father of 14 children
  of 14 Vietnamese mothers, two organisers as informants and at shared addresses) and ring B
  (another British man, 6 Albanian mothers, one organiser);
- `visa_cohort_no_show`: 12 Vietnamese minors on visit visas, one agent, one London college
  and course, starts within a week, none attended;
- `missing_after_visa`: 10 of that cohort reported missing, plus two adults;
- `missing_no_responsible_force`: every report no police force accepted;
- `shared_enabler`: a guardian/sponsor of 7 unrelated children, a house declared on 5
  unrelated visas, and the ring organisers;
- `identity_conflict`: one passport used by 3 identities, another by 2;
- `missing_from_education`: 5 children who left school for an unknown reason or never
  started, with no missing report.
"""

from __future__ import annotations

import numpy as np

from synthetic.cases import Cases, Date, day, shift
from synthetic.places import Sponsor
from synthetic.records import Ref, World

COHORT_AGENT = "Sunrise Education & Travel Ltd"
COHORT_COLLEGE = "Thames Gateway International College"
COHORT_COURSE = "English Language and Culture Programme"
COHORT_START = day("2025-09-01")


def plant_patterns(world: World) -> None:
    """Add every planted pattern's people, records and truth rows to `world`."""
    cases = Cases(world)
    _ring(
        cases,
        "ringA",
        father_culture="uk",
        mother_culture="vn",
        n_births=14,
        n_organisers=2,
        first=day("2022-02-07"),
        span_days=3 * 365,
        districts=(
            "Tower Hamlets",
            "Newham",
            "Birmingham",
            "Manchester",
            "Leeds",
            "Lewisham",
            "Coventry",
        ),
        watchlisted=True,
    )
    _ring(
        cases,
        "ringB",
        father_culture="uk",
        mother_culture="al",
        n_births=6,
        n_organisers=1,
        first=day("2023-03-13"),
        span_days=2 * 365,
        districts=("Barking and Dagenham", "Medway", "Enfield"),
        watchlisted=False,
    )
    cohort = _visa_cohort(cases)
    _missing_after_visa(cases, cohort)
    _missing_at_border(cases)
    _guardian_enabler(cases)
    _address_enabler(cases)
    _identity_conflicts(cases)
    _missing_from_education(cases)


def _pick(cases: Cases, items: tuple[str, ...]) -> str:
    return items[int(cases.rng.integers(0, len(items)))]


def _ring(
    cases: Cases,
    tag: str,
    *,
    father_culture: str,
    mother_culture: str,
    n_births: int,
    n_organisers: int,
    first: Date,
    span_days: int,
    districts: tuple[str, ...],
    watchlisted: bool,
) -> None:
    """One man named father on many births to different foreign mothers, with organisers."""
    world, rng = cases.world, cases.rng
    father = cases.person(father_culture, "M", cases.random_dob(first, 44, 56), migrant=False)
    if watchlisted:
        cases.watch(
            f"{tag}:watch",
            person=father,
            category="registered_sex_offender",
            since=day("2013-05-14"),
        )
    organisers = []
    for k in range(n_organisers):
        o = cases.person(mother_culture, "M", cases.random_dob(first, 33, 48), naturalised=k == 0)
        home = cases.address(districts[k % len(districts)])
        arrived = shift(first, -int(rng.integers(6 * 365, 11 * 365)))
        cases.visa(
            f"{tag}:org{k}:visa",
            applicant=o,
            decision=arrived,
            visa_type="study",
            sponsor=cases.institution_sponsor(),
            address=cases.address("Newham"),
            arrives=True,
        )
        if k == 1:
            cases.watch(
                f"{tag}:org{k}:watch",
                person=o,
                category="known_facilitator",
                since=shift(first, -400),
            )
        organisers.append((o, home))
    org_refs: list[list[Ref]] = [[] for _ in organisers]
    father_refs: list[Ref] = []
    agent = world.places.sponsors["Golden Gate Travel & Study"]
    # spread over the whole span, irregularly (a birth every couple of months)
    step = span_days / n_births
    offsets = np.sort(np.arange(n_births) * step + rng.uniform(0, step * 0.9, n_births))
    for i in range(n_births):
        born = shift(first, int(offsets[i]))
        district = districts[i % len(districts)]
        mother = cases.person(mother_culture, "F", cases.random_dob(born, 19, 29))
        own_home = cases.address(district)
        # some mothers declared an organiser's address on their visa; some births use it
        o = i % len(organisers)
        org, org_home = organisers[o]
        visa_home = org_home if i % 3 == 0 else cases.address(district)
        decision = shift(born, -int(rng.integers(200, 560)))
        cases.visa(
            f"{tag}:m{i}:visa",
            applicant=mother,
            decision=decision,
            visa_type="visit" if i % 2 else "study",
            sponsor=agent if i % 2 else cases.institution_sponsor(),
            address=visa_home,
            arrives=True,
        )
        birth_home = org_home if i % 4 == 1 else own_home
        informant_other = i % 3 != 2
        sex = "M" if rng.random() < 0.5 else "F"
        child_culture = mother_culture if rng.random() < 0.6 else "uk"
        child = cases.person(
            child_culture,
            sex,
            born,
            migrant=False,
            surname=str(world.persons.get("surname", father)),
        )
        cases.birth(
            f"{tag}:b{i}",
            child=child,
            mother=mother,
            father=father,
            district=district,
            address=birth_home,
            informant="other" if informant_other else "mother",
            informant_name=cases.name(org) if informant_other else "",
        )
        father_refs.append(("births", f"{tag}:b{i}", "father"))
        if informant_other or birth_home == org_home:
            org_refs[o].append(("births", f"{tag}:b{i}", "mother"))
        if visa_home == org_home:
            org_refs[o].append(("visas", f"{tag}:m{i}:visa", "applicant"))
    world.plant("prolific_father", father, father_refs)
    for (org, _), refs in zip(organisers, org_refs, strict=True):
        world.plant("shared_enabler", org, refs)


def _visa_cohort(cases: Cases) -> list[int]:
    """Twelve Vietnamese minors: same agent, college and course; none ever attended."""
    world, rng = cases.world, cases.rng
    agent = world.places.sponsors[COHORT_AGENT]
    college = world.places.institutions[COHORT_COLLEGE]
    cohort: list[int] = []
    refs: list[Ref] = []
    for i in range(12):
        start = shift(COHORT_START, 0 if i == 0 else int(rng.integers(0, 6)))
        age = 12 + (i % 5)
        pupil = cases.person(
            "vn", "M" if i % 3 else "F", shift(start, -int((age + rng.random()) * 365.25))
        )
        decision = shift(day("2025-07-14"), int(rng.integers(0, 21)))
        intended = shift(start, -int(rng.integers(3, 7)))
        home = cases.address(
            _pick(
                cases,
                (
                    "Newham",
                    "Tower Hamlets",
                    "Hackney",
                    "Lewisham",
                    "Southwark",
                    "Barking and Dagenham",
                ),
            )
        )
        cases.visa(
            f"cohort:{i}:visa",
            applicant=pupil,
            decision=decision,
            visa_type="visit",
            sponsor=agent,
            address=home,
            institution=college,
            course=COHORT_COURSE,
            course_start=start,
            intended=intended,
            arrival=shift(intended, int(rng.integers(0, 3))) if i < 10 else None,
        )
        if i < 8:  # on the college roll, never turned up
            cases.enrolment(
                f"cohort:{i}:school",
                pupil=pupil,
                school=college.school,
                expected=start,
                enrol=None,
                leave=shift(start, int(rng.integers(15, 40))),
                reason="never_attended",
                guardian=(cases.random_name("vn", "F"), "host family"),
                address=home,
            )
        cohort.append(pupil)
        refs.append(("visas", f"cohort:{i}:visa", "applicant"))
    key = f"{agent.sponsor_id}|{college.name}|{COHORT_START}"
    world.plant("visa_cohort_no_show", key, refs)
    return cohort


def _missing_after_visa(cases: Cases, cohort: list[int]) -> None:
    """Ten of the cohort reported missing weeks after arriving; two adults likewise."""
    world, rng = cases.world, cases.rng
    college = world.places.institutions[COHORT_COLLEGE]
    plan = [
        ("airport", "", "agency", "agent"),
        ("airport", "", "", ""),
        ("airport", "Metropolitan Police Service", "agency", "agent"),
        ("school", "Metropolitan Police Service", "school", "college welfare officer"),
        ("school", "Metropolitan Police Service", "school", "college welfare officer"),
        ("school", "", "school", "college welfare officer"),
        ("home", "Metropolitan Police Service", "agency", "agent"),
        ("home", "", "", ""),
        ("home", "Metropolitan Police Service", "agency", "host family"),
        ("home", "Metropolitan Police Service", "school", "college welfare officer"),
    ]
    for i, (ltype, force, by, relationship) in enumerate(plan):
        person = cohort[i]
        report = shift(COHORT_START, int(rng.integers(3, 40)))
        location = {
            "airport": "Heathrow Airport",
            "school": college.name,
            "home": cases.address("Newham")[0],
        }[ltype]
        cases.missing(
            f"cohort:{i}:missing",
            person=person,
            report=report,
            force=force,
            location=location,
            location_type=ltype,
            reported_by=by,
            relationship=relationship,
            status="missing" if i % 4 == 0 else "unresolved",
        )
        refs: list[Ref] = [
            ("visas", f"cohort:{i}:visa", "applicant"),
            ("missing", f"cohort:{i}:missing", "missing"),
        ]
        world.plant("missing_after_visa", person, refs)
        if not force:
            world.plant(
                "missing_no_responsible_force",
                person,
                [("missing", f"cohort:{i}:missing", "missing")],
            )

    # two adults
    places = world.places
    student = cases.person("al", "M", cases.random_dob(day("2023-12-01"), 19, 20))
    capital = places.institutions["Capital City College London"]
    cases.visa(
        "mav:0:visa",
        applicant=student,
        decision=day("2023-11-20"),
        visa_type="study",
        sponsor=Sponsor(capital.sponsor_id, capital.name, "school"),
        address=cases.address("Southwark"),
        institution=capital,
        course="International Foundation Year",
        course_start=day("2024-01-15"),
        intended=day("2024-01-08"),
        arrival=day("2024-01-09"),
    )
    cases.missing(
        "mav:0:missing",
        person=student,
        report=day("2024-03-05"),
        force="Metropolitan Police Service",
        location=capital.name,
        location_type="school",
        reported_by="school",
        relationship="college welfare officer",
        status="unresolved",
    )
    visitor = cases.person("vn", "F", cases.random_dob(day("2023-05-10"), 22, 24))
    cases.visa(
        "mav:1:visa",
        applicant=visitor,
        decision=day("2023-05-10"),
        visa_type="visit",
        sponsor=places.sponsors["Eastern Star Consultancy Ltd"],
        address=cases.address("Birmingham"),
        intended=day("2023-06-01"),
        arrival=day("2023-06-02"),
    )
    cases.missing(
        "mav:1:missing",
        person=visitor,
        report=day("2023-06-20"),
        force="West Midlands Police",
        location="Birmingham bus station",
        location_type="other",
        reported_by="agency",
        relationship="agent",
        status="unresolved",
    )
    for k, person in enumerate((student, visitor)):
        world.plant(
            "missing_after_visa",
            person,
            [("visas", f"mav:{k}:visa", "applicant"), ("missing", f"mav:{k}:missing", "missing")],
        )


def _missing_at_border(cases: Cases) -> None:
    """Young people who went missing at a port or airport; no force took the report."""
    for k, (culture, sex, age, hub, ltype, when) in enumerate(
        (
            ("al", "M", 16, "Port of Dover", "port", "2024-08-12"),
            ("vn", "M", 15, "Gatwick Airport", "airport", "2025-02-03"),
            ("vn", "F", 17, "Stansted Airport", "airport", "2023-10-19"),
        )
    ):
        report = day(when)
        person = cases.person(culture, sex, cases.random_dob(report, age, age + 0.9))
        cases.missing(
            f"border:{k}",
            person=person,
            report=report,
            force="",
            location=hub,
            location_type=ltype,
            reported_by="agency",
            relationship="immigration officer",
            status="unresolved",
        )
        cases.world.plant(
            "missing_no_responsible_force", person, [("missing", f"border:{k}", "missing")]
        )


def _guardian_enabler(cases: Cases) -> None:
    """One man sponsors, houses and is named guardian of 7 unrelated foreign children."""
    world, rng = cases.world, cases.rng
    enabler = cases.person("al", "M", day("1978-04-19"), naturalised=True)
    home = cases.address("Enfield")
    cases.visa(
        "enabler1:own",
        applicant=enabler,
        decision=day("2009-06-02"),
        visa_type="family",
        sponsor=_random_individual(cases, "uk"),
        address=cases.address("Haringey"),
        arrives=True,
    )
    sponsor = cases.sponsor_of(enabler)
    refs: list[Ref] = []
    d = world.places.district_index["Enfield"]
    for i, culture in enumerate(("vn", "al", "ng", "ro", "vn", "al", "in")):
        start = day(f"{2019 + i % 5}-09-0{2 + i % 4}")
        child = cases.person(culture, "M" if i % 2 else "F", cases.random_dob(start, 11, 15))
        decision = shift(start, -int(rng.integers(40, 120)))
        cases.visa(
            f"enabler1:{i}:visa",
            applicant=child,
            decision=decision,
            visa_type="family",
            sponsor=sponsor,
            address=home,
            arrives=True,
        )
        school = int(world.places.schools_in(rng, np.array([d]), "secondary")[0])
        relationship = ("uncle", "family friend", "guardian")[i % 3]
        cases.enrolment(
            f"enabler1:{i}:school",
            pupil=child,
            school=school,
            expected=start,
            enrol=shift(start, 1),
            leave=None,
            reason="",
            guardian=(cases.name(enabler), relationship),
            address=home,
        )
        refs += [
            ("schools", f"enabler1:{i}:school", "pupil"),
            ("visas", f"enabler1:{i}:visa", "applicant"),
        ]
    world.plant("shared_enabler", enabler, refs)


def _address_enabler(cases: Cases) -> None:
    """A woman (no children) whose house is the UK address on 5 unrelated adults' visas."""
    world, rng = cases.world, cases.rng
    enabler = cases.person("vn", "F", day("1975-11-03"), naturalised=True)
    house = cases.address("Lewisham")
    cases.visa(
        "enabler2:own",
        applicant=enabler,
        decision=day("2008-03-11"),
        visa_type="study",
        sponsor=cases.institution_sponsor(),
        address=cases.address("Southwark"),
        arrives=True,
    )
    refs: list[Ref] = []
    agents = world.places.agents
    for i in range(5):
        decision = shift(day("2021-04-01"), int(rng.integers(0, 4 * 365)))
        woman = cases.person("vn", "F", cases.random_dob(decision, 19, 26))
        cases.visa(
            f"enabler2:{i}:visa",
            applicant=woman,
            decision=decision,
            visa_type="visit",
            sponsor=agents[int(rng.integers(0, len(agents)))],
            address=house,
            arrives=True,
        )
        refs.append(("visas", f"enabler2:{i}:visa", "applicant"))
    world.plant("shared_enabler", enabler, refs)


def _random_individual(cases: Cases, culture: str) -> Sponsor:
    number = int(cases.world.places.take_numbers(1)[0]) + 8_000_000
    return Sponsor(
        f"SI{(number * 7_777_777 + 1_234_567) % 10_000_000:07d}",
        cases.random_name(culture, "M"),
        "individual",
    )


def _identity_conflicts(cases: Cases) -> None:
    """One passport on three identities' applications, another on two."""
    world, rng = cases.world, cases.rng
    for culture, dates in (
        ("vn", ("2019-04-08", "2021-08-23", "2023-11-06")),
        ("al", ("2020-02-17", "2024-05-27")),
    ):
        refs: list[Ref] = []
        passport = ""
        used: set[str] = set()
        for k, when in enumerate(dates):
            decision = day(when)
            sex = "M" if rng.random() < 0.6 else "F"
            name = ""
            while not name or name in used:  # a different identity each time
                name = cases.random_name(culture, sex)
            used.add(name)
            forenames, _, surname = name.rpartition(" ")
            dob = cases.random_dob(decision, 20, 38)
            while str(dob) in used:
                dob = cases.random_dob(decision, 20, 38)
            used.add(str(dob))
            person = cases.person(culture, sex, dob, forenames=forenames, surname=surname)
            passport = passport or cases.passport(person)
            tag = f"conflict:{culture}:{k}"
            agents = world.places.agents
            cases.visa(
                tag,
                applicant=person,
                decision=decision,
                visa_type="visit",
                sponsor=agents[int(rng.integers(0, len(agents)))],
                address=cases.address(_pick(cases, ("Newham", "Croydon", "Birmingham"))),
                granted=k < 2,
                passport=passport,
                arrives=k < 2,
            )
            refs.append(("visas", tag, "applicant"))
        world.plant("identity_conflict", passport, refs)


def _missing_from_education(cases: Cases) -> None:
    """Five children who vanished from school rolls with no missing report."""
    world, rng = cases.world, cases.rng
    places = world.places
    plan = (
        ("pl", "Peterborough", "2012-03-14", "unknown"),
        ("ro", "Brent", "2011-10-02", "unknown"),
        ("al", "Barking and Dagenham", "2013-06-21", "unknown"),
        ("vn", "Lewisham", "2014-02-11", "never_attended"),
        ("uk", "Bradford", "2014-05-30", "never_attended"),
    )
    for k, (culture, district, born_text, reason) in enumerate(plan):
        born = day(born_text)
        mother = cases.person(culture, "F", cases.random_dob(born, 21, 36), migrant=culture != "uk")
        child = cases.person(
            culture, "M" if k % 2 else "F", born, migrant=False, surname=cases.surname(mother)
        )
        home = cases.address(district)
        cases.birth(f"mfe:{k}:birth", child=child, mother=mother, district=district, address=home)
        guardian = (cases.name(mother), "mother")
        d = places.district_index[district]
        year = int(str(born)[:4]) + 4 + (int(str(born)[5:7]) >= 9)
        primary = int(places.schools_in(rng, np.array([d]), "primary")[0])
        secondary = int(places.schools_in(rng, np.array([d]), "secondary")[0])
        cases.enrolment(
            f"mfe:{k}:primary",
            pupil=child,
            school=primary,
            expected=day(f"{year}-09-03"),
            enrol=day(f"{year}-09-03"),
            leave=day(f"{year + 7}-07-21"),
            reason="completed",
            guardian=guardian,
            address=home,
        )
        start = day(f"{year + 7}-09-04")
        if reason == "unknown":
            enrol: Date | None = start
            leave = shift(start, int(rng.integers(200, 500)))
        else:
            enrol, leave = None, shift(start, int(rng.integers(20, 45)))
        cases.enrolment(
            f"mfe:{k}:secondary",
            pupil=child,
            school=secondary,
            expected=start,
            enrol=enrol,
            leave=leave,
            reason=reason,
            guardian=guardian,
            address=home,
        )
        world.plant("missing_from_education", child, [("schools", f"mfe:{k}:secondary", "pupil")])
