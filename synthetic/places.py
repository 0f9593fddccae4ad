"""Places and organisations: districts, addresses and postcodes, schools, sponsors, forces."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from synthetic.arrays import ObjArray, obj
from synthetic.names import NameBank, read_data

_INWARD_LETTERS = np.array(list("ABDEFGHJLNPQRSTUWXYZ"))
"""Letters used in the inward part of real UK postcodes (no C, I, K, M, O, V)."""
_PRIMARIES_PER_DISTRICT = 8
_SECONDARIES_PER_DISTRICT = 4
_BOOST = 8.0
"""How much more likely a culture's usual districts are (see `district_boosts`)."""


@dataclass(frozen=True)
class Institution:
    """A college, language school, university or independent school that sponsors visas."""

    name: str
    district: int
    kind: str
    courses: tuple[str, ...]
    school: int
    sponsor_id: str
    address: str
    postcode: str


@dataclass(frozen=True)
class Sponsor:
    """An organisation that sponsors visa applications."""

    sponsor_id: str
    name: str
    sponsor_type: str


class Places:
    """The fixed world the records happen in, built once per seed."""

    def __init__(self, rng: np.random.Generator, names: NameBank) -> None:
        rows = read_data("districts.csv")
        self.district: ObjArray = obj([r["district"] for r in rows])
        self.local_authority: ObjArray = obj([r["local_authority"] for r in rows])
        self.town: ObjArray = obj([r["town"] for r in rows])
        self.force: ObjArray = obj([r["force"] for r in rows])
        self.hospital: ObjArray = obj([r["hospital"] for r in rows])
        weights = np.array([float(r["weight"]) for r in rows])
        codes = [r["outward_codes"].split(";") for r in rows]
        self._outward: ObjArray = obj([c for group in codes for c in group])
        self._outward_count = np.array([len(c) for c in codes])
        self._outward_offset = np.concatenate([[0], np.cumsum(self._outward_count)[:-1]])
        self.forces: tuple[str, ...] = tuple(r["force"] for r in read_data("forces.csv"))

        words: dict[str, list[str]] = {}
        for r in read_data("words.csv"):
            words.setdefault(r["kind"], []).append(r["value"])
        self._stems = obj(words["street_stem"])
        self._types = obj(words["street_type"])
        self._blocks = obj(words["block"])
        self._saints = tuple(words["saint"])

        index = {d: i for i, d in enumerate(self.district.tolist())}
        self.district_index = index
        self._district_p: dict[str, np.ndarray] = {}
        for code, culture in names.cultures.items():
            w = weights.copy()
            for boosted in culture.district_boosts:
                w[index[boosted]] *= _BOOST
            self._district_p[code] = w / w.sum()

        self._build_schools(rng)
        self._build_sponsors(rng)

    # -- districts and addresses ---------------------------------------------------------

    def districts_for(self, rng: np.random.Generator, cultures: ObjArray) -> np.ndarray:
        """A home district index per person, weighted by where each culture tends to live."""
        out = np.zeros(len(cultures), dtype=np.int64)
        for code in sorted(set(cultures.tolist())):
            mask = cultures == code
            p = self._district_p[code]
            out[mask] = rng.choice(len(p), size=int(mask.sum()), p=p)
        return out

    def postcodes(self, rng: np.random.Generator, district: np.ndarray) -> ObjArray:
        """Realistic postcodes (outward code of the district + `9AA` inward code)."""
        n = len(district)
        pick = self._outward_offset[district] + np.floor(
            rng.random(n) * self._outward_count[district]
        ).astype(np.int64)
        digit = rng.integers(0, 10, n).astype(str)
        first = _INWARD_LETTERS[rng.integers(0, len(_INWARD_LETTERS), n)]
        second = _INWARD_LETTERS[rng.integers(0, len(_INWARD_LETTERS), n)]
        inward = np.char.add(np.char.add(digit, first), second).astype(object)
        result: ObjArray = self._outward[pick] + " " + inward
        return result

    def addresses(
        self, rng: np.random.Generator, district: np.ndarray
    ) -> tuple[ObjArray, ObjArray]:
        """Made-up street addresses in the given districts, with their postcodes.

        Flats name the house or block and the street; London addresses name the borough, so
        unrelated households rarely share an address by chance.
        """
        n = len(district)
        number = rng.integers(1, 300, n).astype(str).astype(object)
        flat_no = rng.integers(1, 40, n).astype(str).astype(object)
        stem = self._stems[rng.integers(0, len(self._stems), n)]
        street = number + " " + stem + " " + self._types[rng.integers(0, len(self._types), n)]
        other_stem = self._stems[rng.integers(0, len(self._stems), n)]
        block = other_stem + " " + self._blocks[rng.integers(0, len(self._blocks), n)] + ", "
        u = rng.random(n)
        first_line = np.where(
            u < 0.06,
            "Flat " + flat_no + ", " + block + street,
            np.where(u < 0.15, "Flat " + flat_no + ", " + street, street),
        )
        town = self.town[district]
        locality = np.where(town == "London", self.district[district] + ", ", "")
        address: ObjArray = (first_line + ", " + locality + town).astype(object)
        return address, self.postcodes(rng, district)

    def address_one(self, rng: np.random.Generator, district: int) -> tuple[str, str]:
        """One address and postcode in `district`."""
        address, postcode = self.addresses(rng, np.array([district]))
        return str(address[0]), str(postcode[0])

    # -- schools ---------------------------------------------------------------------------

    def _build_schools(self, rng: np.random.Generator) -> None:
        n_d = len(self.district)
        inst_rows = read_data("institutions.csv")
        total = n_d * (_PRIMARIES_PER_DISTRICT + _SECONDARIES_PER_DISTRICT) + len(inst_rows)
        urns = rng.choice(np.arange(100_000, 150_000), size=total, replace=False)
        names: list[str] = []
        district: list[int] = []
        phase: list[str] = []
        for d in range(n_d):
            used: set[str] = set()
            for kind, count in (
                ("primary", _PRIMARIES_PER_DISTRICT),
                ("secondary", _SECONDARIES_PER_DISTRICT),
            ):
                for _ in range(count):
                    name = self._school_name(rng, kind, used)
                    used.add(name)
                    names.append(name)
                    district.append(d)
                    phase.append(kind)
        for r in inst_rows:
            names.append(r["name"])
            district.append(self.district_index[r["district"]])
            phase.append(r["kind"])
        self.school_name: ObjArray = obj(names)
        self.school_district = np.array(district, dtype=np.int64)
        self.school_phase: ObjArray = obj(phase)
        self.school_urn: ObjArray = urns.astype(str).astype(object)
        self.school_address, self.school_postcode = self.addresses(rng, self.school_district)
        self.school_la: ObjArray = self.local_authority[self.school_district]
        self._inst_rows = inst_rows

    def _school_name(self, rng: np.random.Generator, kind: str, used: set[str]) -> str:
        while True:
            stem = str(self._stems[rng.integers(0, len(self._stems))])
            saint = self._saints[rng.integers(0, len(self._saints))]
            options: tuple[str, ...]
            if kind == "primary":
                options = (
                    f"{stem} Primary School",
                    f"{stem} Primary School",
                    f"St {saint} Catholic Primary School",
                    f"St {saint} Church of England Primary School",
                    f"{stem} Infant and Junior School",
                )
            else:
                options = (
                    f"{stem} Academy",
                    f"{stem} High School",
                    f"St {saint} Catholic High School",
                    f"{stem} Community College",
                )
            name = options[rng.integers(0, len(options))]
            if name not in used:
                return name

    def schools_in(self, rng: np.random.Generator, district: np.ndarray, phase: str) -> np.ndarray:
        """A state school index (of `phase`: primary/secondary) in each given district."""
        per = _PRIMARIES_PER_DISTRICT + _SECONDARIES_PER_DISTRICT
        if phase == "primary":
            offset = rng.integers(0, _PRIMARIES_PER_DISTRICT, len(district))
        else:
            offset = _PRIMARIES_PER_DISTRICT + rng.integers(
                0, _SECONDARIES_PER_DISTRICT, len(district)
            )
        result: np.ndarray = district * per + offset
        return result

    # -- sponsors and institutions ---------------------------------------------------------

    def _build_sponsors(self, rng: np.random.Generator) -> None:
        rows = read_data("sponsors.csv")
        ids = rng.choice(
            np.arange(10_000, 100_000), size=len(rows) + len(self._inst_rows), replace=False
        )
        self.sponsors: dict[str, Sponsor] = {}
        for r, number in zip(rows, ids[: len(rows)], strict=True):
            self.sponsors[r["name"]] = Sponsor(f"SP{number}", r["name"], r["type"])
        self.agents = tuple(s for s in self.sponsors.values() if s.sponsor_type == "agent")
        self.employers = tuple(s for s in self.sponsors.values() if s.sponsor_type == "employer")
        first_inst = len(self.school_name) - len(self._inst_rows)
        self.institutions: dict[str, Institution] = {}
        for k, (r, number) in enumerate(zip(self._inst_rows, ids[len(rows) :], strict=True)):
            school = first_inst + k
            self.institutions[r["name"]] = Institution(
                name=r["name"],
                district=int(self.school_district[school]),
                kind=r["kind"],
                courses=tuple(r["courses"].split(";")),
                school=school,
                sponsor_id=f"SP{number}",
                address=str(self.school_address[school]),
                postcode=str(self.school_postcode[school]),
            )
        self.study_institutions = tuple(
            i
            for i in self.institutions.values()
            if i.kind in ("university", "college", "language_school")
        )
        self.boarding_schools = tuple(
            i for i in self.institutions.values() if i.kind == "independent_school"
        )
        self._individual_counter = 0

    def institution_columns(self, insts: tuple[Institution, ...]) -> dict[str, np.ndarray]:
        """Attributes of `insts` as arrays (index them with a pick per record)."""
        return {
            "sponsor_id": obj([i.sponsor_id for i in insts]),
            "name": obj([i.name for i in insts]),
            "address": obj([i.address for i in insts]),
            "postcode": obj([i.postcode for i in insts]),
            "school": np.array([i.school for i in insts], dtype=np.int64),
        }

    def courses(
        self, rng: np.random.Generator, insts: tuple[Institution, ...], pick: np.ndarray
    ) -> ObjArray:
        """A random course of each picked institution."""
        flat = obj([c for i in insts for c in i.courses])
        count = np.array([len(i.courses) for i in insts])
        offset = np.concatenate([[0], np.cumsum(count)[:-1]])
        chosen = offset[pick] + np.floor(rng.random(len(pick)) * count[pick]).astype(np.int64)
        result: ObjArray = flat[chosen]
        return result

    def take_numbers(self, n: int) -> np.ndarray:
        """`n` fresh consecutive integers from a counter shared by this world."""
        k = self._individual_counter + np.arange(n, dtype=np.int64)
        self._individual_counter += n
        return k


def passports(fmt: np.ndarray | ObjArray, key: np.ndarray) -> ObjArray:
    """Passport numbers in each nationality's format, unique per `key` (a person index).

    In a format, `9` is a digit taken from an invertible scramble of the key (so distinct keys
    never share digits), `L` a letter derived from the key, anything else is literal.
    """
    out = np.empty(len(key), dtype=object)
    letters = np.array(list("ABCDEFGHJKLMNPRSTUVWXYZ"))
    fmt = np.asarray(fmt)
    for f in sorted(set(fmt.tolist())):
        mask = fmt == f
        k = key[mask].astype(np.int64)
        width = f.count("9")
        digits = (k * 7_919_377 + 1_000_003) % (10**width)
        text = np.full(len(k), "", dtype=f"<U{len(f)}")
        d_pos = l_pos = 0
        for ch in f:
            if ch == "9":
                piece = ((digits // 10 ** (width - 1 - d_pos)) % 10).astype(str)
                d_pos += 1
            elif ch == "L":
                piece = letters[(k * (7 + 13 * l_pos) + 3 * l_pos) % len(letters)]
                l_pos += 1
            else:
                piece = np.full(len(k), ch)
            text = np.char.add(text, piece)
        out[mask] = text.astype(object)
    return out
