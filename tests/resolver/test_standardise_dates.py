"""Golden cases for parse_dates and day_month_swapped."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from resolver.errors import ConfigError
from resolver.standardise import day_month_swapped, parse_dates


def parse_one(value: object, fmt: str | None = None) -> tuple[pd.Timestamp | None, bool]:
    parsed, bad = parse_dates(pd.Series([value], dtype=object), fmt)
    stamp = parsed.iloc[0]
    return (None if pd.isna(stamp) else stamp), bool(bad.iloc[0])


@pytest.mark.parametrize(
    ("value", "fmt", "expected"),
    [
        ("2001-02-03", None, "2001-02-03"),
        (" 2001-02-03 ", None, "2001-02-03"),
        ("2001-02-03 00:00:00", None, "2001-02-03"),
        ("2001-02-03T00:00:00", None, "2001-02-03"),
        ("2024-02-29", None, "2024-02-29"),
        ("1880-01-01", None, "1880-01-01"),
        ("2100-12-31", None, "2100-12-31"),
        ("03/02/2001", "%d/%m/%Y", "2001-02-03"),
        ("3/2/2001", "%d/%m/%Y", "2001-02-03"),
        ("20010203", "%Y%m%d", "2001-02-03"),
        (20010203, "%Y%m%d", "2001-02-03"),
        (20010203.0, "%Y%m%d", "2001-02-03"),
        ("03-Feb-2001", "%d-%b-%Y", "2001-02-03"),
        (dt.date(2001, 2, 3), None, "2001-02-03"),
        (pd.Timestamp("2001-02-03 14:30"), "%d/%m/%Y", "2001-02-03"),
    ],
)
def test_parse_good(value: object, fmt: str | None, expected: str) -> None:
    assert parse_one(value, fmt) == (pd.Timestamp(expected), False)


@pytest.mark.parametrize(
    ("value", "fmt"),
    [
        ("2001-02-30", None),  # Feb 30
        ("2023-02-29", None),  # not a leap year
        ("2001-13-01", None),
        ("1850-01-01", None),  # before 1880
        ("1879-12-31", None),
        ("2101-01-01", None),
        ("2001-2-3", None),  # ISO is strict
        ("03/02/2001", None),
        ("2001/02/03", None),
        ("not a date", None),
        ("30/02/2001", "%d/%m/%Y"),
        ("2001-02-03", "%d/%m/%Y"),
        ("2001023", "%Y%m%d"),  # too short for an all-digit format
        ("200102031", "%Y%m%d"),
        ("18500101", "%Y%m%d"),
        (dt.date(1850, 1, 1), None),
    ],
)
def test_parse_bad(value: object, fmt: str | None) -> None:
    assert parse_one(value, fmt) == (None, True)


@pytest.mark.parametrize("empty", ["", "   ", None, np.nan, pd.NA, pd.NaT])
@pytest.mark.parametrize("fmt", [None, "%d/%m/%Y"])
def test_empty_is_nat_and_not_bad(empty: object, fmt: str | None) -> None:
    assert parse_one(empty, fmt) == (None, False)


def test_result_dtypes_and_index() -> None:
    values = pd.Series(["2001-02-03", "", "2001-02-30", "2001-02-03"], index=[9, 8, 7, 6])
    parsed, bad = parse_dates(values)
    assert parsed.dtype == "datetime64[ns]"
    assert bad.dtype == bool
    assert parsed.index.equals(values.index)
    assert bad.index.equals(values.index)
    assert bad.tolist() == [False, False, True, False]


def test_datetime_input_is_normalised_and_range_checked() -> None:
    values = pd.Series(pd.to_datetime(pd.Series(["2001-02-03 10:00", None, "1850-06-01 00:00"])))
    parsed, bad = parse_dates(values)
    assert parsed.tolist()[0] == pd.Timestamp("2001-02-03")
    assert parsed.isna().tolist() == [False, True, True]
    assert bad.tolist() == [False, False, True]


def test_unusable_format_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="date format"):
        parse_dates(pd.Series(["2001-02-03"]), "%Q")


@pytest.mark.parametrize(
    ("date", "swapped"),
    [
        ("2001-02-11", "2001-11-02"),
        ("2001-11-02", "2001-02-11"),
        ("2001-12-12", "2001-12-12"),
        ("2001-01-13", None),  # no 13th month
        ("2001-02-28", None),
        ("2000-02-12", "2000-12-02"),
        (None, None),
    ],
)
def test_day_month_swapped(date: str | None, swapped: str | None) -> None:
    out = day_month_swapped(pd.to_datetime(pd.Series([date], dtype=object)))
    assert out.dtype == "datetime64[ns]"
    result = out.iloc[0]
    assert (None if pd.isna(result) else result) == (swapped and pd.Timestamp(swapped))


def test_day_month_swapped_keeps_index() -> None:
    dates = pd.Series(pd.to_datetime(["2001-02-11", "2001-02-28"]), index=["a", "b"])
    out = day_month_swapped(dates)
    assert out.index.tolist() == ["a", "b"]
    assert out["a"] == pd.Timestamp("2001-11-02")
    assert pd.isna(out["b"])
