"""Name data (frequencies per culture and sex, nicknames) and vectorised name sampling."""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

from synthetic.arrays import ObjArray

VN = "vn"
UK = "uk"
_SPECIAL_ASCII = str.maketrans(
    {"đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss", "æ": "ae", "Æ": "AE"}
)
_PL_FEMININE = re.compile(r"(sk|ck|dzk)i$")
_PL_MASCULINE = re.compile(r"(sk|ck|dzk)a$")


def read_data(name: str) -> list[dict[str, str]]:
    """Rows of one CSV file shipped in `synthetic/data/`."""
    text = resources.files("synthetic.data").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@dataclass(frozen=True)
class Pool:
    """Names with a frequency distribution, sampled by inverse CDF."""

    names: ObjArray
    cum: np.ndarray

    @classmethod
    def of(cls, names: list[str], weights: list[float]) -> Pool:
        """Pool from parallel name and weight lists."""
        w = np.asarray(weights, dtype=float)
        return cls(np.asarray(names, dtype=object), np.cumsum(w / w.sum()))

    def sample(self, rng: np.random.Generator, n: int) -> ObjArray:
        """`n` names drawn with replacement by frequency."""
        idx = np.searchsorted(self.cum, rng.random(n), side="right")
        result: ObjArray = self.names[np.minimum(idx, len(self.names) - 1)]
        return result


@dataclass(frozen=True)
class Culture:
    """One naming culture: nationality, share of the population and naming habits."""

    code: str
    nationality: str
    demonym: str
    share: float
    middle_rate: float
    adopts_married_name: bool
    anglicised_children: float
    passport_format: str
    birthplaces: tuple[str, ...]
    district_boosts: tuple[str, ...]


class NameBank:
    """All name distributions, loaded once from `synthetic/data/*.csv`."""

    def __init__(self) -> None:
        self.cultures: dict[str, Culture] = {}
        for row in read_data("cultures.csv"):
            self.cultures[row["culture"]] = Culture(
                code=row["culture"],
                nationality=row["nationality"],
                demonym=row["demonym"],
                share=float(row["share"]),
                middle_rate=float(row["middle_rate"]),
                adopts_married_name=row["adopts_married_name"] == "1",
                anglicised_children=float(row["anglicised_children"]),
                passport_format=row["passport_format"],
                birthplaces=tuple(row["birthplaces"].split(";")),
                district_boosts=tuple(b for b in row["district_boosts"].split(";") if b),
            )
        self.codes: tuple[str, ...] = tuple(self.cultures)
        shares = np.array([c.share for c in self.cultures.values()])
        self.shares: np.ndarray = shares / shares.sum()
        self.demonyms: dict[str, str] = {c.nationality: c.demonym for c in self.cultures.values()}

        grouped: dict[tuple[str, str, str], tuple[list[str], list[float]]] = {}
        for row in read_data("forenames.csv"):
            key = (row["culture"], row["sex"], row["kind"])
            names, weights = grouped.setdefault(key, ([], []))
            names.append(row["name"])
            weights.append(float(row["weight"]))
        self.given = {(c, s): Pool.of(*v) for (c, s, k), v in grouped.items() if k == "given"}
        self.middle = {(c, s): Pool.of(*v) for (c, s, k), v in grouped.items() if k == "middle"}

        listed: dict[str, tuple[list[str], list[float]]] = {}
        tail: list[str] = []
        for row in read_data("surnames.csv"):
            if row["kind"] == "tail":
                tail.append(row["name"])
            else:
                names, weights = listed.setdefault(row["culture"], ([], []))
                names.append(row["name"])
                weights.append(float(row["weight"]))
        # UK weights are per 100,000 people; the unlisted mass goes to a long synthetic tail of
        # English-looking compounds with a gently falling (Zipf-like) profile.
        uk_names, uk_weights = listed[UK]
        tail_mass = max(100_000.0 - sum(uk_weights), 0.0)
        zipf = 1.0 / (np.arange(len(tail)) + 1000.0)
        uk_names = uk_names + tail
        uk_weights = uk_weights + list(tail_mass * zipf / zipf.sum())
        listed[UK] = (uk_names, uk_weights)
        self.surnames = {c: Pool.of(*v) for c, v in listed.items()}

        self.nicknames: dict[str, tuple[str, ...]] = {
            row["name"]: tuple(row["nicknames"].split(";")) for row in read_data("nicknames.csv")
        }

    def forenames(self, rng: np.random.Generator, cultures: ObjArray, sexes: ObjArray) -> ObjArray:
        """Full forenames (given name plus, per culture habit, a middle name) per person.

        Vietnamese names are in UK canonical form: middle then given ("Thị Hương").
        """
        out = np.empty(len(cultures), dtype=object)
        for culture, sex in _groups(cultures, sexes):
            mask = (cultures == culture) & (sexes == sex)
            n = int(mask.sum())
            given = self.given[(culture, sex)].sample(rng, n)
            has_middle = rng.random(n) < self.cultures[culture].middle_rate
            middle_pool = self.middle.get((culture, sex), self.given[(culture, sex)])
            middle = middle_pool.sample(rng, n)
            has_middle &= middle != given
            if culture == VN:
                full = np.where(has_middle, middle + " " + given, given)
            else:
                full = np.where(has_middle, given + " " + middle, given)
            out[mask] = full
        return out

    def surnames_for(
        self, rng: np.random.Generator, cultures: ObjArray, sexes: ObjArray
    ) -> ObjArray:
        """Birth surnames per person, in the form for their sex (Kowalski/Kowalska)."""
        out = np.empty(len(cultures), dtype=object)
        for culture in sorted(set(cultures.tolist())):
            mask = cultures == culture
            out[mask] = self.surnames[culture].sample(rng, int(mask.sum()))
        return gendered(out, cultures, sexes)


def gendered(surnames: ObjArray, cultures: ObjArray, sexes: ObjArray) -> ObjArray:
    """Polish -ski/-cki/-dzki surnames in the form for the sex (Kowalski / Kowalska)."""
    out = surnames.copy()
    women = (cultures == "pl") & (sexes == "F")
    out[women] = [_PL_FEMININE.sub(r"\1a", s) for s in out[women]]
    men = (cultures == "pl") & (sexes == "M")
    out[men] = [_PL_MASCULINE.sub(r"\1i", s) for s in out[men]]
    return out


def _groups(cultures: ObjArray, sexes: ObjArray) -> list[tuple[str, str]]:
    """Distinct (culture, sex) pairs present, in a stable order."""
    return sorted(set(zip(cultures.tolist(), sexes.tolist(), strict=True)))


@cache
def strip_diacritics(text: str) -> str:
    """ASCII form of a name as a passport or a careless form would write it (Nguyễn → Nguyen)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPECIAL_ASCII))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def strip_many(values: ObjArray) -> ObjArray:
    """`strip_diacritics` over an array, computed once per distinct value."""
    if len(values) == 0:
        return values.copy()
    uniques, inverse = np.unique(values.astype(str), return_inverse=True)
    stripped = np.array([strip_diacritics(u) for u in uniques], dtype=object)
    result: ObjArray = stripped[inverse]
    return result
