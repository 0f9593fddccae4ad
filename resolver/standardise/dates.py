"""Date parsing with a bad-value mask, and the day/month swap used as a typo comparison."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

from resolver.errors import ConfigError
from resolver.standardise.text import as_text

__all__ = ["MAX_YEAR", "MIN_YEAR", "day_month_swapped", "parse_dates"]

MIN_YEAR, MAX_YEAR = 1880, 2100
"""Dates outside these years are treated as impossible (bad)."""

# YYYY-MM-DD, optionally with the midnight time that spreadsheet and pandas exports append.
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ]00:00(?::00(?:\.0+)?)?)?")
_DIGIT_WIDTHS = {"%Y": 4, "%m": 2, "%d": 2, "%y": 2}
_NAT = np.datetime64("NaT", "ns")


def _check_format(fmt: str) -> int | None:
    """Validate ``fmt``; return the exact width of an all-digit format such as %Y%m%d."""
    sample = dt.datetime(2001, 2, 3)
    try:
        dt.datetime.strptime(sample.strftime(fmt), fmt)
    except ValueError as exc:
        raise ConfigError(f"unusable date format {fmt!r}: {exc}") from exc
    directives = re.findall(r"%.", fmt)
    if "".join(directives) == fmt and all(d in _DIGIT_WIDTHS for d in directives):
        return sum(_DIGIT_WIDTHS[d] for d in directives)
    return None


def _parse_text(text: str, fmt: str | None, digits: int | None) -> dt.date | None:
    """One date, or None when it does not parse or does not exist."""
    try:
        if fmt is None:
            match = _ISO.fullmatch(text)
            if match is None:
                return None
            return dt.date(*(int(part) for part in match.groups()))
        if digits is not None and not (len(text) == digits and text.isdigit()):
            return None  # strptime would read "2001023" as %Y%m%d
        return dt.datetime.strptime(text, fmt).date()
    except ValueError:
        return None


def parse_dates(values: pd.Series, fmt: str | None = None) -> tuple[pd.Series, pd.Series]:
    """Parse to ``datetime64[ns]`` dates; return ``(parsed, bad)``.

    ``fmt`` None means strict ISO ``YYYY-MM-DD`` (a trailing midnight time is tolerated);
    otherwise a :func:`~datetime.datetime.strptime` format such as ``%d/%m/%Y`` or ``%Y%m%d``
    (all-digit formats must match their exact width). Values that are already dates or
    timestamps are taken as they are. ``bad`` marks non-empty values that fail to parse or are
    impossible (Feb 30, year before :data:`MIN_YEAR` or after :data:`MAX_YEAR`); those and
    empty values give NaT, and empty values are not bad. Raises
    :class:`~resolver.errors.ConfigError` for an unusable ``fmt``.
    """
    digits = None if fmt is None else _check_format(fmt)
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        stamps = values.dt.tz_localize(None) if values.dt.tz is not None else values
        out_of_range = stamps.notna() & ~stamps.dt.year.between(MIN_YEAR, MAX_YEAR)
        kept = stamps.where(~out_of_range).dt.normalize().astype("datetime64[ns]")
        return kept, out_of_range.astype(bool)

    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    parsed = np.full(len(uniques) + 1, _NAT, dtype="datetime64[ns]")
    bad = np.zeros(len(uniques) + 1, dtype=bool)
    for i, raw in enumerate(uniques):
        day: dt.date | None
        if isinstance(raw, dt.date):  # datetime, date and pd.Timestamp
            day = raw.date() if isinstance(raw, dt.datetime) else raw
        else:
            text = as_text(raw)
            if text is None:
                continue
            day = _parse_text(text, fmt, digits)
        if day is None or not MIN_YEAR <= day.year <= MAX_YEAR:
            bad[i] = True
        else:
            parsed[i] = np.datetime64(day, "ns")
    codes = np.where(codes < 0, len(uniques), codes)
    return (
        pd.Series(parsed[codes], index=values.index, name=values.name),
        pd.Series(bad[codes], index=values.index, name=values.name),
    )


def day_month_swapped(dates: pd.Series) -> pd.Series:
    """Each date with day and month exchanged (2001-02-11 → 2001-11-02); NaT where the day is
    above 12 or the date is missing. A date whose day equals its month is returned unchanged.
    """
    if not pd.api.types.is_datetime64_any_dtype(dates.dtype):
        dates = pd.to_datetime(dates, errors="coerce")
    swappable = dates.notna() & (dates.dt.day <= 12)  # the new day (old month) always exists
    out = pd.Series(_NAT, index=dates.index, name=dates.name, dtype="datetime64[ns]")
    if swappable.any():
        part = dates[swappable]
        out[swappable] = pd.to_datetime(
            pd.DataFrame({"year": part.dt.year, "month": part.dt.day, "day": part.dt.month})
        )
    return out
