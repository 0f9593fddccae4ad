"""The true people behind the records: a columnar table built in blocks."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from synthetic.arrays import DateArray, ObjArray, obj

_TEXT_FIELDS = (
    "forenames",
    "surname",
    "married",
    "sex",
    "culture",
    "nationality",
    "birth_nationality",
    "birthplace",
)


@dataclass(frozen=True)
class Persons:
    """Frozen person attributes, one array entry per person index.

    `forenames` are canonical (Vietnamese: middle then given, "Thị Hương"), `surname` is the
    birth surname in the form for the person's sex, `married` the surname taken on marriage
    ('' if none), `culture` the naming culture that shaped the forenames, `nationality` the
    current one (GBR once naturalised) and `birth_nationality` the one on their first passport.
    """

    forenames: ObjArray
    surname: ObjArray
    married: ObjArray
    dob: DateArray
    sex: ObjArray
    culture: ObjArray
    nationality: ObjArray
    birth_nationality: ObjArray
    birthplace: ObjArray

    def __len__(self) -> int:
        return len(self.forenames)

    def display_name(self, idx: np.ndarray) -> ObjArray:
        """'Forenames Surname' as a person is known day to day (married surname if any)."""
        surname = np.where(self.married[idx] != "", self.married[idx], self.surname[idx])
        result: ObjArray = self.forenames[idx] + " " + surname
        return result


@dataclass
class PersonTable:
    """Accumulates people in blocks (vectorised background) or one by one (planted cases)."""

    _blocks: list[dict[str, Any]] = field(default_factory=list)
    _size: int = 0
    _cache: dict[str, Any] = field(default_factory=dict)
    _starts: list[int] = field(default_factory=list)

    def __len__(self) -> int:
        return self._size

    def add(
        self,
        *,
        forenames: ObjArray,
        surname: ObjArray,
        dob: DateArray,
        sex: ObjArray,
        culture: ObjArray,
        nationality: ObjArray,
        birth_nationality: ObjArray,
        birthplace: ObjArray,
        married: ObjArray | None = None,
    ) -> np.ndarray:
        """Append a block of people; returns their person indices."""
        n = len(forenames)
        block: dict[str, Any] = {
            "forenames": forenames,
            "surname": surname,
            "married": married if married is not None else obj("", n),
            "dob": np.asarray(dob, dtype="datetime64[D]"),
            "sex": sex,
            "culture": culture,
            "nationality": nationality,
            "birth_nationality": birth_nationality,
            "birthplace": birthplace,
        }
        for key, value in block.items():
            if len(value) != n:
                raise ValueError(f"person block field {key} has {len(value)} rows, expected {n}")
        self._blocks.append(block)
        self._starts.append(self._size)
        self._cache.clear()
        start = self._size
        self._size += n
        return np.arange(start, self._size, dtype=np.int64)

    def add_one(
        self,
        *,
        forenames: str,
        surname: str,
        dob: str | np.datetime64,
        sex: str,
        culture: str,
        nationality: str,
        birth_nationality: str | None = None,
        birthplace: str,
        married: str = "",
    ) -> int:
        """Append one person; returns their person index."""
        idx = self.add(
            forenames=obj([forenames]),
            surname=obj([surname]),
            dob=np.array([dob], dtype="datetime64[D]"),
            sex=obj([sex]),
            culture=obj([culture]),
            nationality=obj([nationality]),
            birth_nationality=obj([birth_nationality or nationality]),
            birthplace=obj([birthplace]),
            married=obj([married]),
        )
        return int(idx[0])

    def column(self, name: str) -> Any:
        """One attribute of everybody added so far, indexable by person index."""
        if name not in self._cache:
            self._cache[name] = self.freeze_field(name)
        return self._cache[name]

    def get(self, name: str, index: int) -> Any:
        """One attribute of one person (cheap, without concatenating the table)."""
        if not 0 <= index < self._size:
            raise IndexError(f"no person {index}")
        b = bisect.bisect_right(self._starts, index) - 1
        return self._blocks[b][name][index - self._starts[b]]

    def freeze_field(self, name: str) -> Any:
        """Concatenate one field over all blocks."""
        parts = [b[name] for b in self._blocks]
        if name == "dob":
            return np.concatenate(parts).astype("datetime64[D]")
        return np.concatenate(parts).astype(object) if parts else obj([])

    def freeze(self) -> Persons:
        """All people added so far as one `Persons`."""
        return Persons(**{key: self.freeze_field(key) for key in (*_TEXT_FIELDS, "dob")})
