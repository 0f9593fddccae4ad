"""Array helpers: the object-array alias and vectorised date arithmetic on datetime64[D]."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeAlias

import numpy as np

ObjArray: TypeAlias = np.ndarray[Any, np.dtype[np.object_]]
"""A 1-D numpy array of Python objects (here: strings)."""

DateArray: TypeAlias = np.ndarray[Any, np.dtype[np.datetime64]]
"""A 1-D numpy array of datetime64[D] (NaT = not recorded)."""

NAT = np.datetime64("NaT", "D")


def obj(values: Any, n: int | None = None) -> ObjArray:
    """Object array from a sequence, or `n` copies of a scalar."""
    if n is not None:
        out = np.empty(n, dtype=object)
        out[:] = values
        return out
    arr = np.empty(len(values), dtype=object)
    arr[:] = list(values)
    return arr


def days(values: Any) -> np.ndarray:
    """Integer array as timedelta64[D]."""
    return np.asarray(np.rint(values), dtype="int64").astype("timedelta64[D]")


def ymd(dates: DateArray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Year, month (1-12) and day (1-31) of each date, as int arrays."""
    years = dates.astype("datetime64[Y]").astype("int64") + 1970
    months_since = dates.astype("datetime64[M]")
    months = months_since.astype("int64") % 12 + 1
    day = (dates - months_since.astype("datetime64[D]")).astype("int64") + 1
    return years, months, day


def from_ymd(years: np.ndarray, months: np.ndarray, day: np.ndarray) -> DateArray:
    """Dates from year/month/day arrays; days past the month end are clamped to its last day."""
    month_start = (years - 1970).astype("datetime64[Y]").astype("datetime64[M]") + (
        months - 1
    ).astype("timedelta64[M]")
    start = month_start.astype("datetime64[D]")
    length = ((month_start + np.timedelta64(1, "M")).astype("datetime64[D]") - start).astype(
        "int64"
    )
    result: DateArray = start + days(np.minimum(day, length) - 1)
    return result


def years_between(start: DateArray, end: DateArray) -> np.ndarray:
    """Completed years from `start` to `end` (an age), as int array."""
    y0, m0, d0 = ymd(start)
    y1, m1, d1 = ymd(end)
    before = (m1 < m0) | ((m1 == m0) & (d1 < d0))
    result: np.ndarray = y1 - y0 - before.astype("int64")
    return result


def add_years(dates: DateArray, n: np.ndarray | int) -> DateArray:
    """Same day and month `n` years later (29 February becomes 28 February)."""
    y, m, d = ymd(dates)
    return from_ymd(y + n, m, d)


def iso(dates: DateArray) -> ObjArray:
    """ISO `YYYY-MM-DD` strings, empty string for NaT."""
    text = np.datetime_as_string(dates.astype("datetime64[D]"), unit="D").astype(object)
    text[np.isnat(dates)] = ""
    result: ObjArray = text
    return result


def uniform_dates(
    rng: np.random.Generator,
    low: DateArray | np.datetime64,
    high: DateArray | np.datetime64,
    n: int,
) -> DateArray:
    """Dates drawn uniformly in [low, high] (scalars or arrays of length n)."""
    span = (np.asarray(high) - np.asarray(low)).astype("int64")
    offset = np.floor(rng.random(n) * (np.maximum(span, 0) + 1))
    result: DateArray = np.asarray(low) + days(offset)
    return result


def lookup(values: ObjArray, mapping: Mapping[str, Any], dtype: Any = object) -> np.ndarray:
    """`mapping[v]` for every value, computed once per distinct value (vectorised)."""
    if len(values) == 0:
        return np.empty(0, dtype=dtype)
    uniques, inverse = np.unique(values.astype(str), return_inverse=True)
    table = np.array([mapping[u] for u in uniques.tolist()], dtype=dtype)
    result: np.ndarray = table[inverse]
    return result


def choose(rng: np.random.Generator, options: Sequence[Any] | ObjArray, n: int) -> ObjArray:
    """`n` uniform random picks from `options`."""
    arr = obj(options)
    result: ObjArray = arr[rng.integers(0, len(arr), n)]
    return result


def numbered(prefix: str, numbers: np.ndarray, width: int = 7) -> ObjArray:
    """Ids such as `P0000001`: the prefix and zero-padded numbers."""
    digits = np.char.zfill(np.asarray(numbers, dtype=np.int64).astype(str), width)
    result: ObjArray = np.char.add(prefix, digits).astype(object)
    return result


def non_ascii(values: ObjArray) -> np.ndarray:
    """Boolean mask: value contains a non-ASCII character."""
    if len(values) == 0:
        return np.zeros(0, dtype=bool)
    text = values.astype(str)
    encoded = np.char.encode(text, "utf-8")
    result: np.ndarray = np.char.str_len(encoded) != np.char.str_len(text)
    return result
