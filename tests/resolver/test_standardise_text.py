"""Golden cases for fold, normalise_sex and the once-per-distinct-value machinery."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from resolver.standardise import fold, map_unique, normalise_sex
from resolver.standardise import text as text_module


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("O'Brien", "obrien"),
        ("O’Brien", "obrien"),
        ("D`Arcy", "darcy"),
        ("Smith-Jones", "smith jones"),
        ("  mary   JANE ", "mary jane"),
        ("St. John", "st john"),
        ("Smith, John", "smith john"),
        ("J.R.R.", "j r r"),
        ("Nguyễn", "nguyen"),
        ("NGUYỄN THỊ HƯƠNG", "nguyen thi huong"),
        ("Đặng", "dang"),
        ("đặng", "dang"),
        ("Łukasz Wałęsa", "lukasz walesa"),
        ("Śliwińska-Żółć", "sliwinska zolc"),
        ("Ștefan Țăranu", "stefan taranu"),
        ("Gjergj Kastrioti Skënderbeu", "gjergj kastrioti skenderbeu"),
        ("Straße", "strasse"),
        ("Ø", "o"),
        ("Ó Súilleabháin", "o suilleabhain"),
        ("Иванов", "ivanov"),
        ("x\tY\nz", "x y z"),
    ],
)
def test_fold_golden(raw: str, expected: str) -> None:
    assert fold(pd.Series([raw])).tolist() == [expected]


@pytest.mark.parametrize("missing", [None, np.nan, pd.NA, "", "   ", "\t", "-", "''", "."])
def test_fold_missing_and_blank_give_na(missing: object) -> None:
    out = fold(pd.Series([missing, "Anh"], dtype=object))
    assert out.isna().tolist() == [True, False]


def test_fold_keeps_index_and_returns_string_dtype() -> None:
    values = pd.Series(["B", None, "b"], index=[10, 5, 7])
    out = fold(values)
    assert out.index.tolist() == [10, 5, 7]
    assert out.dtype == "string"
    assert out.tolist() == ["b", pd.NA, "b"]


def test_fold_is_idempotent() -> None:
    once = fold(pd.Series(["Nguyễn Thị-Hương", "O'Brien", "Żółć"]))
    assert fold(once).tolist() == once.tolist()


def test_map_unique_calls_func_once_per_distinct_value() -> None:
    calls: list[str] = []

    def upper(text: str) -> str:
        calls.append(text)
        return text.upper()

    values = pd.Series(["a", "b", None, "a", "  ", "b"] * 50_000)
    out = map_unique(values, upper)
    assert sorted(calls) == ["a", "b"]
    assert out.iloc[:6].tolist() == ["A", "B", pd.NA, "A", pd.NA, "B"]
    assert len(out) == len(values)


def test_fold_transliterates_each_distinct_value_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = text_module.fold_text

    def counting(text: str) -> str | None:
        calls.append(text)
        return real(text)

    monkeypatch.setattr(text_module, "fold_text", counting)
    out = fold(pd.Series(["Nguyễn", "Đặng", None] * 100_000))
    assert len(calls) == 2
    assert out.iloc[:3].tolist() == ["nguyen", "dang", pd.NA]


def test_fold_accepts_categorical_input() -> None:
    values = pd.Series(["Đặng", "Dang", None], dtype="category")
    assert fold(values).tolist() == ["dang", "dang", pd.NA]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("m", "M"),
        ("M", "M"),
        ("Male", "M"),
        (" MALE ", "M"),
        ("man", "M"),
        ("f", "F"),
        ("Female", "F"),
        ("girl", "F"),
        ("u", "U"),
        ("Unknown", "U"),
        ("not known", "U"),
        ("X", "U"),
        ("indeterminate", "U"),
        (1, "M"),
        (2, "F"),
        ("1", "M"),
        (2.0, "F"),
        ("0", "U"),
        ("9", "U"),
    ],
)
def test_normalise_sex_golden(raw: object, expected: str) -> None:
    assert normalise_sex(pd.Series([raw], dtype=object)).tolist() == [expected]


@pytest.mark.parametrize("junk", ["", "  ", None, np.nan, "yes", "mf", "3", "maybe"])
def test_normalise_sex_junk_and_missing_give_na(junk: object) -> None:
    assert normalise_sex(pd.Series([junk], dtype=object)).isna().all()


def test_placeholder_names_are_recognised_and_real_short_names_kept() -> None:
    from resolver.standardise import is_placeholder_name

    values = pd.Series(
        ["UNKNOWN", "N/A", "n.k.", "-", "?", "Not Known", "", None, "Na", "Le", "Ng"]
    )
    flags = is_placeholder_name(values).tolist()
    assert flags == [True, True, True, True, True, True, False, False, False, False, False]
