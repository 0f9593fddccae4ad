"""School careers: enrolment rows for children (reception, moves, secondary, leaving)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from synthetic.arrays import NAT, DateArray, ObjArray, days, from_ymd, obj, uniform_dates, ymd
from synthetic.records import World
from synthetic.schema import AS_OF


@dataclass
class Pupils:
    """Children to give school careers, with their family's circumstances."""

    person: np.ndarray
    dob: DateArray
    district: np.ndarray
    address: ObjArray
    postcode: ObjArray
    guardian_name: ObjArray
    guardian_relationship: ObjArray
    may_move_abroad: np.ndarray
    ref: ObjArray | None = None
    """Optional tag per pupil, copied to all their enrolments (for truth evidence)."""


def _sept(year: np.ndarray, rng: np.random.Generator, spread: int) -> DateArray:
    """A start date in the first days of September of `year`."""
    return from_ymd(year, np.full(len(year), 9), 1 + rng.integers(0, spread + 1, len(year)))


def _july(year: np.ndarray, rng: np.random.Generator) -> DateArray:
    """An end-of-year leaving date in the second half of July of `year`."""
    return from_ymd(year, np.full(len(year), 7), 17 + rng.integers(0, 8, len(year)))


def _add(
    world: World,
    p: Pupils,
    rows: np.ndarray,
    school: np.ndarray,
    expected: DateArray,
    enrol: DateArray,
    leave: DateArray,
    reason: ObjArray,
    address: ObjArray | None = None,
    postcode: ObjArray | None = None,
) -> None:
    world.records.add(
        "schools",
        {
            "_school": school,
            "_pupil": p.person[rows],
            "expected_start_date": expected,
            "enrol_date": enrol,
            "leave_date": leave,
            "leave_reason": reason,
            "guardian_name": p.guardian_name[rows],
            "guardian_relationship": p.guardian_relationship[rows],
            "home_address": p.address[rows] if address is None else address,
            "home_postcode": p.postcode[rows] if postcode is None else postcode,
            "_ref": p.ref[rows] if p.ref is not None else obj("", len(rows)),
        },
    )


def school_careers(world: World, p: Pupils) -> None:
    """Enrol each child in reception at 4 (some in nursery at 3), then secondary at 11.

    Children leave at 16 or 18 (`completed`); some change primary school (`moved_school`) and
    a few from migrant families leave the country (`moved_abroad`). Nothing after `AS_OF`.
    """
    rng = world.rng
    places = world.places
    year, month, _ = ymd(p.dob)
    reception = year + 4 + (month >= 9)
    start = _sept(reception, rng, 6)
    in_school = start <= AS_OF
    idx = np.flatnonzero(in_school)
    if len(idx) == 0:
        return
    start = start[idx]
    rec = reception[idx]
    primary_end = _july(rec + 7, rng)
    primary_end_known = primary_end <= AS_OF
    horizon = np.minimum(primary_end, AS_OF)
    span_ok = (horizon - start).astype(np.int64) > 200
    moved = span_ok & (rng.random(len(idx)) < 0.18)
    abroad = span_ok & ~moved & p.may_move_abroad[idx] & (rng.random(len(idx)) < 0.05)
    change = uniform_dates(rng, start + days(90), horizon - days(60), len(idx))
    change = np.where(moved | abroad, change, NAT)

    school = places.schools_in(rng, p.district[idx], "primary")
    enrol = start + days(rng.integers(0, 3, len(idx)))

    # nursery class the year before reception, usually at the same primary school
    nursery_start = _sept(rec - 1, rng, 6)
    k = np.flatnonzero((rng.random(len(idx)) < 0.35) & (nursery_start <= AS_OF))
    if len(k):
        nursery = np.where(
            rng.random(len(k)) < 0.7,
            school[k],
            places.schools_in(rng, p.district[idx[k]], "primary"),
        )
        nursery_end = _july(rec[k], rng)
        known = nursery_end <= AS_OF
        _add(
            world,
            p,
            idx[k],
            nursery,
            nursery_start[k],
            nursery_start[k].copy(),
            np.where(known, nursery_end, NAT),
            np.where(known, "completed", "").astype(object),
        )
    leave = np.where(moved | abroad, change, np.where(primary_end_known, primary_end, NAT))
    reason = np.where(
        moved,
        "moved_school",
        np.where(abroad, "moved_abroad", np.where(primary_end_known, "completed", "")),
    ).astype(object)
    _add(world, p, idx, school, start, enrol, leave, reason)

    # second primary school after a move (a new address in the same district)
    m = np.flatnonzero(moved)
    if len(m):
        rows = idx[m]
        new_school = places.schools_in(rng, p.district[rows], "primary")
        same = new_school == school[m]
        new_school[same] = np.where(
            new_school[same] % 12 == 7, new_school[same] - 1, new_school[same] + 1
        )
        expected = change[m] + days(rng.integers(1, 22, len(m)))
        address, postcode = places.addresses(rng, p.district[rows])
        known = primary_end_known[m]
        _add(
            world,
            p,
            rows,
            new_school,
            expected,
            expected.copy(),
            np.where(known, primary_end[m], NAT),
            np.where(known, "completed", "").astype(object),
            address,
            postcode,
        )

    # secondary school
    sec_start = _sept(rec + 7, rng, 4)
    s = np.flatnonzero(~abroad & (sec_start <= AS_OF))
    if len(s):
        rows = idx[s]
        u = rng.random(len(s))
        stays = u < 0.35  # sixth form at the same school
        transfers = (u >= 0.35) & (u < 0.6)  # sixth form elsewhere
        year11_end = _july(rec[s] + 12, rng)
        end = np.where(stays, _july(rec[s] + 14, rng), year11_end)
        known = end <= AS_OF
        reason = np.where(transfers, "moved_school", "completed")
        school = places.schools_in(rng, p.district[rows], "secondary")
        _add(
            world,
            p,
            rows,
            school,
            sec_start[s],
            sec_start[s] + days(rng.integers(0, 2, len(s))),
            np.where(known, end, NAT),
            np.where(known, reason, "").astype(object),
        )
        sixth_start = _sept(rec[s] + 12, rng, 6)
        t = np.flatnonzero(transfers & (sixth_start <= AS_OF))
        if len(t):
            rows_t = rows[t]
            college = places.schools_in(rng, p.district[rows_t], "secondary")
            college = np.where(
                college == school[t], college + 1 - 2 * (college % 12 == 11), college
            )
            end_t = _july(rec[s][t] + 14, rng)
            known_t = end_t <= AS_OF
            _add(
                world,
                p,
                rows_t,
                college,
                sixth_start[t],
                sixth_start[t].copy(),
                np.where(known_t, end_t, NAT),
                np.where(known_t, "completed", "").astype(object),
            )


def guardians(
    rng: np.random.Generator, mother_name: ObjArray, father_name: ObjArray, has_father: np.ndarray
) -> tuple[ObjArray, ObjArray]:
    """Guardian named on enrolments: usually the mother, sometimes the father."""
    use_father = has_father & (rng.random(len(mother_name)) < 0.15)
    name = np.where(use_father, father_name, mother_name).astype(object)
    relationship = np.where(use_father, "father", "mother").astype(object)
    return name, relationship
