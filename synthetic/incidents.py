"""Missing-person reports and watchlist entries."""

from __future__ import annotations

import numpy as np

from synthetic.arrays import NAT, DateArray, ObjArray, choose, days, obj, years_between
from synthetic.names import read_data
from synthetic.records import World
from synthetic.schema import AS_OF

_FOUND_PLACES = (
    "Home address",
    "Friend's address",
    "Relative's address",
    "City centre",
    "Hospital",
    "Police station",
    "Railway station",
)


def hubs(kind: str) -> list[tuple[str, str]]:
    """(name, force) of the airports or ports (`kind`) people are last seen at."""
    return [(r["name"], r["force"]) for r in read_data("hubs.csv") if r["type"] == kind]


def add_missing_reports(
    world: World,
    person: np.ndarray,
    report_date: DateArray,
    *,
    force: ObjArray,
    location: ObjArray,
    location_type: ObjArray,
    reported_by: ObjArray,
    relationship: ObjArray,
    status: ObjArray | None = None,
    refs: ObjArray | None = None,
) -> None:
    """Add missing-person reports; status and found details are drawn when not given.

    Reports older than 60 days are mostly `found` (some `unresolved`); recent ones are often
    still `missing`. `approx_age` is the age at the report as a reporter would give it.
    """
    rng = world.rng
    n = len(person)
    last_seen = report_date - days(rng.integers(0, 3, n))
    if status is None:
        old = (AS_OF - report_date).astype(np.int64) > 60
        u = rng.random(n)
        status = obj(
            np.where(
                old,
                np.where(u < 0.93, "found", "unresolved"),
                np.where(u < 0.55, "found", "missing"),
            ).tolist()
        )
    found_after = np.minimum(rng.geometric(0.25, n), 60)
    found_date = np.minimum(last_seen + days(found_after), AS_OF)
    is_found = status == "found"
    found_place = choose(rng, _FOUND_PLACES, n)
    dob = world.persons.column("dob")[person]
    approx = years_between(dob, report_date)
    world.records.add(
        "missing",
        {
            "_missing": person,
            "reporting_force": force,
            "report_date": report_date,
            "last_seen_date": last_seen,
            "last_seen_location": location,
            "last_seen_location_type": location_type,
            "approx_age": approx.astype(str).astype(object),
            "reported_by": reported_by,
            "reporter_relationship": relationship,
            "status": status,
            "found_date": np.where(is_found, found_date, NAT),
            "found_location": np.where(is_found, found_place, "").astype(object),
            "_ref": refs if refs is not None else obj("", n),
        },
    )


def add_watchlist(
    world: World,
    person: np.ndarray,
    category: ObjArray,
    since: DateArray,
    refs: ObjArray | None = None,
) -> None:
    """Add watchlist entries (category: registered_sex_offender, known_facilitator...)."""
    world.records.add(
        "watchlist",
        {
            "_subject": person,
            "category": category,
            "since": since,
            "_ref": refs if refs is not None else obj("", len(person)),
        },
    )
