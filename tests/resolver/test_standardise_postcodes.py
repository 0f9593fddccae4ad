"""Golden cases for normalise_postcode."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from resolver.standardise import POSTCODE_COLUMNS, normalise_postcode


@pytest.mark.parametrize(
    ("raw", "postcode", "outward", "sector"),
    [
        ("sw1a1aa", "SW1A 1AA", "SW1A", "SW1A 1"),
        ("SW1A 1AA", "SW1A 1AA", "SW1A", "SW1A 1"),
        ("  sw1a   1aa ", "SW1A 1AA", "SW1A", "SW1A 1"),
        ("SW1A-1AA", "SW1A 1AA", "SW1A", "SW1A 1"),
        ("EC1A 1BB", "EC1A 1BB", "EC1A", "EC1A 1"),
        ("W1A 0AX", "W1A 0AX", "W1A", "W1A 0"),
        ("m11ae", "M1 1AE", "M1", "M1 1"),
        ("B33 8TH", "B33 8TH", "B33", "B33 8"),
        ("CR2 6XH", "CR2 6XH", "CR2", "CR2 6"),
        ("DN55 1PT", "DN55 1PT", "DN55", "DN55 1"),
        ("GIR 0AA", "GIR 0AA", "GIR", "GIR 0"),
    ],
)
def test_valid_postcodes(raw: str, postcode: str, outward: str, sector: str) -> None:
    out = normalise_postcode(pd.Series([raw]))
    row = out.iloc[0]
    assert (row["postcode"], row["postcode_outward"], row["postcode_sector"]) == (
        postcode,
        outward,
        sector,
    )
    assert out["postcode_valid"].tolist() == [True]


@pytest.mark.parametrize(
    "junk", ["junk", "12345", "SW1A 1A", "SW1A 1AAA", "1AA 1AA", "SW1A 11A", "N/A", "ZZZZZ 1AA"]
)
def test_junk_is_invalid(junk: str) -> None:
    out = normalise_postcode(pd.Series([junk]))
    row = out.iloc[0]
    assert pd.isna(row["postcode"])
    assert pd.isna(row["postcode_sector"])
    assert out["postcode_valid"].tolist() == [False]


def test_outward_code_alone_is_kept_for_blocking_but_invalid() -> None:
    out = normalise_postcode(pd.Series(["sw1a"]))
    row = out.iloc[0]
    assert pd.isna(row["postcode"])
    assert row["postcode_outward"] == "SW1A"
    assert out["postcode_valid"].tolist() == [False]


@pytest.mark.parametrize("empty", ["", "   ", None, np.nan])
def test_empty_is_missing_not_invalid(empty: object) -> None:
    row = normalise_postcode(pd.Series([empty], dtype=object)).iloc[0]
    assert row.isna().all()


def test_columns_dtypes_and_index() -> None:
    values = pd.Series(["sw1a1aa", "junk", None], index=[3, 2, 1])
    out = normalise_postcode(values)
    assert tuple(out.columns) == POSTCODE_COLUMNS
    assert out.index.equals(values.index)
    assert out["postcode"].dtype == "string"
    assert out["postcode_valid"].dtype == "boolean"
    assert out["postcode_valid"].tolist() == [True, False, pd.NA]
    assert out.index[out["postcode_valid"].eq(False).fillna(False)].tolist() == [2]
