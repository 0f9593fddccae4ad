"""Hand-built people and records for planted patterns and decoys.

Names, addresses and passports come from the same distributions and helpers as the
background, and every mention later gets the same noise, so planted cases blend in.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from synthetic.arrays import NAT, add_years, obj
from synthetic.places import Institution, Sponsor
from synthetic.records import World
from synthetic.schema import AS_OF
from synthetic.schooling import Pupils, school_careers
from synthetic.travel import course_start_after, passport_numbers, sponsor_id_of_person

Date = np.datetime64


def day(text: str) -> Date:
    """An ISO date as datetime64[D]."""
    return np.datetime64(text, "D")


def shift(date: Date, n_days: int) -> Date:
    """`date` moved by `n_days`."""
    return date + np.timedelta64(int(n_days), "D")


@dataclass
class Cases:
    """Builder of small, explicit cases on a `World`."""

    world: World

    @property
    def rng(self) -> np.random.Generator:
        """The world's random stream."""
        return self.world.rng

    # -- people ----------------------------------------------------------------------------

    def person(
        self,
        culture: str,
        sex: str,
        dob: Date,
        *,
        migrant: bool = True,
        naturalised: bool = False,
        forenames: str | None = None,
        surname: str | None = None,
        married: str = "",
    ) -> int:
        """A new person with names drawn from `culture` unless given; returns the index."""
        names = self.world.names
        c, s = obj([culture]), obj([sex])
        home = names.cultures[culture if migrant else "uk"]
        birth_nat = names.cultures[culture].nationality if migrant else "GBR"
        return self.world.persons.add_one(
            forenames=forenames or str(names.forenames(self.rng, c, s)[0]),
            surname=surname or str(names.surnames_for(self.rng, c, s)[0]),
            dob=dob,
            sex=sex,
            culture=culture,
            nationality="GBR" if naturalised or not migrant else birth_nat,
            birth_nationality=birth_nat,
            birthplace=home.birthplaces[int(self.rng.integers(0, len(home.birthplaces)))],
            married=married,
        )

    def name(self, person: int) -> str:
        """A person's everyday full name (as written on forms filled by others)."""
        return str(self.world.persons.get("forenames", person)) + " " + self.surname(person)

    def random_forenames(self, culture: str, sex: str) -> str:
        """Forenames drawn from the distributions."""
        return str(self.world.names.forenames(self.rng, obj([culture]), obj([sex]))[0])

    def random_name(self, culture: str, sex: str) -> str:
        """A full name from the distributions, for someone who is not in the population."""
        surname = self.world.names.surnames_for(self.rng, obj([culture]), obj([sex]))[0]
        return f"{self.random_forenames(culture, sex)} {surname}"

    def surname(self, person: int) -> str:
        """Current surname (married if any)."""
        married = str(self.world.persons.get("married", person))
        return married or str(self.world.persons.get("surname", person))

    def dob(self, person: int) -> Date:
        """A person's true date of birth."""
        return Date(self.world.persons.get("dob", person), "D")

    def random_dob(self, at: Date, low: float, high: float) -> Date:
        """A birth date making someone between `low` and `high` years old at `at`."""
        age_days = float(self.rng.uniform(low, high)) * 365.25
        return shift(at, -int(age_days))

    def address(self, district: str) -> tuple[str, str]:
        """A new made-up address and postcode in `district`."""
        places = self.world.places
        return places.address_one(self.rng, places.district_index[district])

    def passport(self, person: int) -> str:
        """The person's own passport number."""
        nat = self.world.persons.get("birth_nationality", person)
        return str(passport_numbers(self.world, np.array([person]), obj([nat]))[0])

    def institution_sponsor(self) -> Sponsor:
        """A random college, language school or university, as a visa sponsor."""
        insts = self.world.places.study_institutions
        chosen = insts[int(self.rng.integers(0, len(insts)))]
        return Sponsor(chosen.sponsor_id, chosen.name, "school")

    def sponsor_of(self, person: int) -> Sponsor:
        """A person acting as an individual sponsor."""
        sid = str(sponsor_id_of_person(np.array([person]))[0])
        return Sponsor(sid, self.name(person), "individual")

    # -- records ---------------------------------------------------------------------------

    def birth(
        self,
        ref: str,
        *,
        child: int,
        mother: int,
        father: int = -1,
        district: str,
        address: tuple[str, str],
        informant: str = "mother",
        informant_name: str = "",
        registered_after: int | None = None,
        **overrides: str,
    ) -> None:
        """A birth registration; registered 5-40 days after the birth unless told."""
        places = self.world.places
        d = places.district_index[district]
        delay = registered_after if registered_after is not None else int(self.rng.integers(5, 41))
        self.world.records.add_one(
            "births",
            _ref=ref,
            _child=child,
            _mother=mother,
            _father=father,
            registration_date=min(shift(self.dob(child), delay), AS_OF),
            registration_district=district,
            child_birthplace=str(places.hospital[d]),
            informant_relationship=informant,
            _informant_name=informant_name,
            usual_address=address[0],
            postcode=address[1],
            **overrides,
        )

    def visa(
        self,
        ref: str,
        *,
        applicant: int,
        decision: Date,
        visa_type: str,
        sponsor: Sponsor,
        address: tuple[str, str],
        granted: bool = True,
        institution: Institution | None = None,
        course: str = "",
        course_start: Date | None = None,
        intended: Date | None = None,
        arrival: Date | None = None,
        arrives: bool = False,
        passport: str | None = None,
    ) -> None:
        """A visa application; intended arrival defaults to 2-6 weeks after the decision.

        A study visa sponsored by an institution gets its course and next intake by default,
        as background study visas do. `arrives`: entry recorded a few days after the intended
        arrival (unless `arrival` is given).
        """
        places = self.world.places
        if visa_type == "study" and institution is None and sponsor.name in places.institutions:
            institution = places.institutions[sponsor.name]
            course = (
                course or institution.courses[int(self.rng.integers(0, len(institution.courses)))]
            )
            course_start = course_start_after(np.array([decision]), self.rng)[0]
            if course_start > AS_OF:  # nothing after the reference date
                course_start = add_years(np.array([course_start]), -1)[0]
                decision = min(decision, shift(course_start, -45))
            intended = shift(course_start, -int(self.rng.integers(3, 15)))
        if intended is None:
            intended = min(shift(decision, int(self.rng.integers(14, 43))), AS_OF)
        if arrives and arrival is None:
            arrival = shift(intended, int(self.rng.integers(0, 6)))
        if arrival is not None and arrival > AS_OF:
            arrival = None
        self.world.records.add_one(
            "visas",
            _ref=ref,
            _applicant=applicant,
            decision_date=decision,
            visa_type=visa_type,
            decision="granted" if granted else "refused",
            passport_number=passport or self.passport(applicant),
            sponsor_id=sponsor.sponsor_id,
            sponsor_name=sponsor.name,
            sponsor_type=sponsor.sponsor_type,
            institution_name=institution.name if institution else "",
            course_name=course,
            course_start_date=course_start if course_start is not None else NAT,
            intended_arrival_date=intended,
            uk_address=address[0],
            uk_postcode=address[1],
            arrival_date=arrival if arrival is not None else NAT,
        )

    def enrolment(
        self,
        ref: str,
        *,
        pupil: int,
        school: int,
        expected: Date,
        enrol: Date | None,
        leave: Date | None,
        reason: str,
        guardian: tuple[str, str],
        address: tuple[str, str],
    ) -> None:
        """One school enrolment (`school` is a school index of `Places`)."""
        self.world.records.add_one(
            "schools",
            _ref=ref,
            _school=school,
            _pupil=pupil,
            expected_start_date=expected,
            enrol_date=enrol if enrol is not None else NAT,
            leave_date=leave if leave is not None else NAT,
            leave_reason=reason,
            guardian_name=guardian[0],
            guardian_relationship=guardian[1],
            home_address=address[0],
            home_postcode=address[1],
        )

    def careers(
        self,
        ref: str,
        *,
        pupil: int,
        district: str,
        address: tuple[str, str],
        guardian: tuple[str, str],
    ) -> None:
        """Ordinary school careers (as in the background) for one child."""
        d = self.world.places.district_index[district]
        school_careers(
            self.world,
            Pupils(
                person=np.array([pupil]),
                dob=np.array([self.dob(pupil)]),
                district=np.array([d]),
                address=obj([address[0]]),
                postcode=obj([address[1]]),
                guardian_name=obj([guardian[0]]),
                guardian_relationship=obj([guardian[1]]),
                may_move_abroad=np.array([False]),
                ref=obj([ref]),
            ),
        )

    def missing(
        self,
        ref: str,
        *,
        person: int,
        report: Date,
        force: str,
        location: str,
        location_type: str,
        reported_by: str,
        relationship: str,
        status: str,
        found: Date | None = None,
        found_location: str = "",
    ) -> None:
        """One missing-person report (approx_age from the true date of birth)."""
        age = int((report - self.dob(person)).astype(np.int64) // 365.25)
        self.world.records.add_one(
            "missing",
            _ref=ref,
            _missing=person,
            reporting_force=force,
            report_date=report,
            last_seen_date=shift(report, -int(self.rng.integers(0, 3))),
            last_seen_location=location,
            last_seen_location_type=location_type,
            approx_age=str(age),
            reported_by=reported_by,
            reporter_relationship=relationship,
            status=status,
            found_date=found if found is not None else NAT,
            found_location=found_location,
        )

    def watch(self, ref: str, *, person: int, category: str, since: Date) -> None:
        """One watchlist entry."""
        self.world.records.add_one(
            "watchlist", _ref=ref, _subject=person, category=category, since=since
        )
