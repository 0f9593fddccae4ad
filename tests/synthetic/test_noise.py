"""Noise: measured rates match the configured ones, and the truth `noise` tells the truth."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from synthetic import NoiseRates
from synthetic.arrays import add_years, from_ymd, iso, years_between, ymd
from synthetic.names import NameBank, gendered, strip_diacritics
from synthetic.noise import typo
from tests.synthetic.scenario import Scenario

RATES = NoiseRates()


@pytest.fixture(scope="module")
def mf(large: Scenario) -> pd.DataFrame:
    """Every mention of the large scenario with what was written and the truth."""
    frame = large.mention_fields()
    frame["kinds"] = frame["noise"].str.split(";").map(lambda k: set(k) - {""})
    return frame


def has(frame: pd.DataFrame, kind: str) -> pd.Series:
    return frame["kinds"].map(lambda k: kind in k)


def assert_rate(hits: int, n: int, expected: float, label: str, min_n: int = 100) -> None:
    """Binomial check: within 4 standard errors (plus a little slack) of `expected`.

    (The watchlist has too few people with diacritics at test sizes to measure its rate.)
    """
    assert n >= min_n, f"{label}: only {n} eligible mentions"
    observed = hits / n
    tolerance = 4 * math.sqrt(expected * (1 - expected) / n) + 0.003
    assert abs(observed - expected) <= tolerance, (
        f"{label}: {observed:.4f} observed vs {expected:.4f} configured (n={n})"
    )


def test_typo_and_case_rates(mf: pd.DataFrame) -> None:
    assert_rate(int(has(mf, "typo").sum()), len(mf), RATES.typo, "typo")
    assert_rate(int(has(mf, "case_whitespace").sum()), len(mf), RATES.case_whitespace, "case")


def test_middle_name_rates(mf: pd.DataFrame) -> None:
    eligible = mf[mf["true_forenames"].str.contains(" ")]
    assert_rate(
        int(has(eligible, "middle_name_dropped").sum()),
        len(eligible),
        RATES.middle_name_dropped,
        "middle_name_dropped",
    )
    assert_rate(
        int(has(eligible, "middle_name_merged").sum()),
        len(eligible),
        RATES.middle_name_merged,
        "middle_name_merged",
    )
    single = mf[~mf["true_forenames"].str.contains(" ")]
    assert not (has(single, "middle_name_dropped") | has(single, "middle_name_merged")).any()


def test_nickname_rate(mf: pd.DataFrame) -> None:
    nicknames = NameBank().nicknames
    first = mf["true_forenames"].str.split(" ").str[0]
    eligible = mf[first.isin(list(nicknames)) & (mf["true_culture"] != "vn")]
    assert_rate(int(has(eligible, "nickname").sum()), len(eligible), RATES.nickname, "nickname")
    assert not has(mf.drop(eligible.index), "nickname").any()


def test_name_order_swap_rate(mf: pd.DataFrame) -> None:
    vn = mf[(mf["true_culture"] == "vn") & (mf["source"] != "births")]
    assert_rate(int(has(vn, "name_order_swap").sum()), len(vn), RATES.name_order_swap, "swap")
    others = mf[(mf["true_culture"] != "vn") | (mf["source"] == "births")]
    assert not has(others, "name_order_swap").any()


def test_married_surname_rate(mf: pd.DataFrame) -> None:
    married = mf["true_married_surname"] != ""
    eligible = mf[married & (mf["source"] != "births")]
    assert_rate(
        int(has(eligible, "married_surname").sum()),
        len(eligible),
        RATES.mother_married_surname,
        "married_surname",
        min_n=50,
    )
    assert not has(mf[~married | (mf["source"] == "births")], "married_surname").any()


@pytest.mark.parametrize("source", ["births", "visas", "schools", "missing"])
def test_diacritics_kept_per_source(mf: pd.DataFrame, source: str) -> None:
    rows = mf[mf["source"] == source]
    written = rows["forenames"] + rows["surname"] + rows["maiden"]
    kept = ~written.map(str.isascii)
    stripped = has(rows, "diacritics_stripped")
    assert not (kept & stripped).any()
    eligible = kept | stripped
    assert_rate(
        int(kept.sum()),
        int(eligible.sum()),
        RATES.diacritics_kept(source),
        f"diacritics kept in {source}",
        min_n=30,
    )


def test_dob_noise_rates_and_consistency(mf: pd.DataFrame) -> None:
    child = (mf["source"] == "births") & (mf["role"] == "child")
    assert (mf.loc[child, "dob"] == mf.loc[child, "true_dob"]).all()
    assert not mf.loc[child, "kinds"].map(lambda k: any(x.startswith("dob") for x in k)).any()
    others = mf[~child]
    missing = has(others, "dob_missing")
    assert_rate(int(missing.sum()), len(others), RATES.dob_missing, "dob_missing")
    assert ((others["dob"] == "") == missing).all()
    present = others[~missing]
    day = present["true_dob"].str[8:10].astype(int)
    month = present["true_dob"].str[5:7].astype(int)
    swappable = present[(day <= 12) & (day != month)]
    assert_rate(
        int(has(swappable, "dob_day_month_swap").sum()),
        len(swappable),
        RATES.dob_day_month_swap,
        "dob_day_month_swap",
    )
    assert_rate(
        int(has(present, "dob_year_off_by_one").sum()),
        len(present),
        RATES.dob_year_off_by_one,
        "dob_year_off_by_one",
    )
    untouched = present[~present["kinds"].map(lambda k: any(x.startswith("dob") for x in k))]
    assert (untouched["dob"] == untouched["true_dob"]).all()
    swapped = present[has(present, "dob_day_month_swap")]
    t = swapped["true_dob"]
    assert (swapped["dob"].str[5:] == t.str[8:10] + "-" + t.str[5:7]).all()
    assert (t.str[8:10].astype(int) <= 12).all()
    shifted = present[has(present, "dob_year_off_by_one") & ~has(present, "dob_day_month_swap")]
    years = shifted["dob"].str[:4].astype(int) - shifted["true_dob"].str[:4].astype(int)
    assert set(years.abs()) == {1}


def test_postcode_missing_rate(large: Scenario, mf: pd.DataFrame) -> None:
    for source, col in (
        ("births", "postcode"),
        ("visas", "uk_postcode"),
        ("schools", "home_postcode"),
    ):
        table = large.tables[source]
        blank = table[col] == ""
        assert_rate(int(blank.sum()), len(table), RATES.postcode_missing, f"{source} postcode")
    rows = mf[mf["source"].isin(["births", "visas", "schools"])]
    assert ((rows["postcode"] == "") == has(rows, "postcode_missing")).all()


def test_nationality_free_text_on_births(mf: pd.DataFrame) -> None:
    parents = mf[(mf["source"] == "births") & (mf["role"] != "child")]
    free = has(parents, "nationality_free_text")
    assert_rate(int(free.sum()), len(parents), RATES.nationality_free_text, "free text")
    assert parents.loc[free, "nationality"].str.fullmatch(r"[A-Z][a-z]+").all()
    assert parents.loc[~free, "nationality"].str.fullmatch(r"[A-Z]{3}").all()
    visas = mf[mf["source"] == "visas"]
    assert (visas["nationality"] == visas["true_birth_nationality"]).all()


def test_mentions_without_noise_are_written_exactly(mf: pd.DataFrame) -> None:
    clean = mf[mf["kinds"].map(len) == 0]
    assert len(clean) > 0.4 * len(mf)
    assert (clean["forenames"] == clean["true_forenames"]).all()
    mothers = (clean["source"] == "births") & (clean["role"] == "mother")
    expected_surname = clean["true_surname"].where(
        ~mothers | (clean["true_married_surname"] == ""), clean["true_married_surname"]
    )
    assert (clean["surname"] == expected_surname).all()
    assert ((clean["dob"] == clean["true_dob"]) | (clean["source"] == "births")).all()
    m = clean[mothers]
    assert (m["maiden"] == m["true_surname"]).all()


def test_swapped_vietnamese_names_are_the_family_name_first(mf: pd.DataFrame) -> None:
    only_swap = mf[mf["kinds"].map(lambda k: k == {"name_order_swap"})]
    assert len(only_swap) > 20
    assert (only_swap["forenames"] == only_swap["true_surname"]).all()
    assert (only_swap["surname"] == only_swap["true_forenames"]).all()


# -- unit level ------------------------------------------------------------------------------


@given(
    st.text(
        alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ ễđłś-'",
        min_size=1,
        max_size=20,
    ).filter(lambda s: any(c.isalpha() for c in s)),
    st.floats(0, 0.999),
    st.floats(0, 0.999),
    st.floats(0, 0.999),
)
def test_typo_always_changes_the_text(text: str, a: float, b: float, c: float) -> None:
    assert typo(text, a, b, c) != text


@pytest.mark.parametrize(
    ("name", "ascii_form"),
    [
        ("Nguyễn", "Nguyen"),
        ("Đặng", "Dang"),
        ("Thị Hương", "Thi Huong"),
        ("Łódź", "Lodz"),
        ("Ștefan", "Stefan"),
        ("Çela", "Cela"),
        ("Wiśniewska", "Wisniewska"),
        ("Smith", "Smith"),
    ],
)
def test_strip_diacritics(name: str, ascii_form: str) -> None:
    assert strip_diacritics(name) == ascii_form


def test_polish_surnames_take_the_form_of_the_sex() -> None:
    surnames = np.array(["Kowalski", "Kowalska", "Nowak", "Smith", "Kowalski"], dtype=object)
    cultures = np.array(["pl", "pl", "pl", "uk", "uk"], dtype=object)
    sexes = np.array(["F", "M", "F", "F", "F"], dtype=object)
    assert gendered(surnames, cultures, sexes).tolist() == [
        "Kowalska",
        "Kowalski",
        "Nowak",
        "Smith",
        "Kowalski",
    ]


def test_date_helpers() -> None:
    dates = np.array(["2020-02-29", "2019-12-31", "2004-01-01"], dtype="datetime64[D]")
    y, m, d = ymd(dates)
    assert y.tolist() == [2020, 2019, 2004] and m.tolist() == [2, 12, 1]
    assert d.tolist() == [29, 31, 1]
    assert iso(add_years(dates, 1)).tolist() == ["2021-02-28", "2020-12-31", "2005-01-01"]
    assert iso(from_ymd(np.array([2021]), np.array([4]), np.array([31]))).tolist() == ["2021-04-30"]
    end = np.array(["2021-02-28", "2020-12-30", "2004-01-01"], dtype="datetime64[D]")
    assert years_between(dates, end).tolist() == [0, 0, 0]
    missing = np.array(["NaT"], dtype="datetime64[D]")
    assert iso(missing).tolist() == [""]
