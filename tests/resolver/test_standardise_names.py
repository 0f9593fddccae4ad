"""Golden cases for standardise_names: Vietnamese order and markers, nicknames, diacritics."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from resolver.errors import InputError
from resolver.standardise import NAME_COLUMNS, WEAK_FORENAME_TOKENS, standardise_names
from resolver.standardise import names as names_module
from resolver.standardise.names import split_merged_weak


def one(forenames: Any, surname: Any, maiden: Any = None) -> dict[str, Any]:
    """Standardise a single mention and return its row as a dict (NA → None)."""
    out = standardise_names(
        pd.Series([forenames], dtype=object),
        pd.Series([surname], dtype=object),
        pd.Series([maiden], dtype=object),
    )
    return {str(k): (None if v is pd.NA else v) for k, v in out.iloc[0].to_dict().items()}


def test_weak_tokens() -> None:
    assert frozenset({"thi", "van"}) == WEAK_FORENAME_TOKENS


@pytest.mark.parametrize(
    ("forenames", "surname", "first", "middle", "tokens", "key"),
    [
        # Vietnamese: diacritics on/off, Thị/Văn skipped, Đ folded
        ("Thị Hương", "Nguyễn", "huong", None, ["huong"], "huong nguyen"),
        ("Thi Huong", "Nguyen", "huong", None, ["huong"], "huong nguyen"),
        ("THI HUONG", "NGUYEN", "huong", None, ["huong"], "huong nguyen"),
        ("Huong", "Nguyen", "huong", None, ["huong"], "huong nguyen"),
        ("Văn Anh", "Nguyễn", "anh", None, ["anh"], "anh nguyen"),
        ("Anh", "NGUYEN", "anh", None, ["anh"], "anh nguyen"),
        ("Thị Thu Hà", "Đặng", "thu", "ha", ["thu", "ha"], "dang ha thu"),
        ("Thi Thu Ha", "Dang", "thu", "ha", ["thu", "ha"], "dang ha thu"),
        # family name first, swapped into the wrong fields
        ("Nguyen Van", "Anh", "nguyen", None, ["nguyen"], "anh nguyen"),
        ("Nguyễn", "Thị Hương", "nguyen", None, ["nguyen"], "huong nguyen"),
        # marker merged into the next syllable
        ("Thihuong", "Nguyen", "huong", None, ["huong"], "huong nguyen"),
        ("Vananh", "Nguyen", "anh", None, ["anh"], "anh nguyen"),
        ("Thi-Huong", "Nguyen", "huong", None, ["huong"], "huong nguyen"),
        ("Nguyen", "Thihuong", "nguyen", None, ["nguyen"], "huong nguyen"),
        # only weak tokens: kept rather than lost
        ("Van", "Morrison", "van", None, ["van"], "morrison"),
        ("Thi", "Nguyen", "thi", None, ["thi"], "nguyen"),
        # names that merely start like a marker are not split
        ("Vanessa", "Williams", "vanessa", None, ["vanessa"], "vanessa williams"),
        ("Thierry", "Henry", "thierry", None, ["thierry"], "henry thierry"),
        ("Thiago", "Silva", "thiago", None, ["thiago"], "silva thiago"),
        ("Vaneet", "Kaur", "vaneet", None, ["vaneet"], "kaur vaneet"),
        # English / Polish / Romanian / Albanian
        ("  mary   JANE ", "SMITH", "mary", "jane", ["mary", "jane"], "jane mary smith"),
        ("John", "O'Brien", "john", None, ["john"], "john obrien"),
        ("Anne-Marie", "Smith-Jones", "anne", "marie", ["anne", "marie"], "anne jones marie smith"),
        ("Łukasz", "Wałęsa", "lukasz", None, ["lukasz"], "lukasz walesa"),
        ("Małgorzata", "Żółkiewska", "malgorzata", None, ["malgorzata"], "malgorzata zolkiewska"),
        ("Ștefan", "Țăranu", "stefan", None, ["stefan"], "stefan taranu"),
        ("Ëndrit", "Çela", "endrit", None, ["endrit"], "cela endrit"),
        ("John John", "John", "john", "john", ["john", "john"], "john"),
    ],
)
def test_forename_split_and_name_key(
    forenames: str, surname: str, first: str, middle: str | None, tokens: list[str], key: str
) -> None:
    row = one(forenames, surname)
    assert row["first_name"] == first
    assert row["middle_names"] == middle
    assert row["forename_tokens"] == tokens
    assert row["name_key"] == key


@pytest.mark.parametrize(
    ("left", "right"),
    [
        (("Văn Anh", "Nguyễn"), ("Nguyen Van", "Anh")),
        (("Văn Anh", "Nguyễn"), ("Anh", "NGUYEN")),
        (("Thị Hương", "Nguyễn"), ("Thihuong", "Nguyen")),
        (("Thị Hương", "Nguyễn"), ("Nguyen", "Thi Huong")),
        (("Hương", "Đặng"), ("Dang", "Huong")),
        (("Mary Jane", "Smith"), ("Jane Mary", "SMITH")),
    ],
)
def test_name_key_equal_across_variants(left: tuple[str, str], right: tuple[str, str]) -> None:
    assert one(*left)["name_key"] == one(*right)["name_key"]


def test_swapped_names_meet_on_first_name_and_surname() -> None:
    # The swap comparison level: l.first_name = r.surname_std AND l.surname_std = r.first_name
    left, right = one("Văn Anh", "Nguyễn"), one("Nguyen Van", "Anh")
    assert (left["first_name"], left["surname_std"]) == (right["surname_std"], right["first_name"])


@pytest.mark.parametrize(
    ("forenames", "canonical"),
    [
        ("Bill", "william"),
        ("BILLY", "william"),
        ("Will Henry", "william"),
        ("William", "william"),
        ("Liz", "elizabeth"),
        ("Beth", "elizabeth"),
        ("Lizzie Mae", "elizabeth"),
        ("Kasia", "katarzyna"),
        ("Gosia", "malgorzata"),
        ("Tomek", "tomasz"),
        ("Ionuț", "ion"),
        ("Thị Hương", "huong"),
        ("Sam", "sam"),
        ("Xochitl", "xochitl"),
    ],
)
def test_first_name_canonical(forenames: str, canonical: str) -> None:
    assert one(forenames, "Smith")["first_name_canonical"] == canonical


@pytest.mark.parametrize(
    ("surname", "std", "tokens"),
    [
        ("Nguyễn", "nguyen", ["nguyen"]),
        ("Smith-Jones", "smith jones", ["smith", "jones"]),
        ("O'Brien", "obrien", ["obrien"]),
        ("  van  der  BERG ", "van der berg", ["van", "der", "berg"]),
        ("Wałęsa", "walesa", ["walesa"]),
        ("Đặng", "dang", ["dang"]),
    ],
)
def test_surname_forms(surname: str, std: str, tokens: list[str]) -> None:
    row = one("Anna", surname)
    assert row["surname_std"] == std
    assert row["surname_tokens"] == tokens


@pytest.mark.parametrize(
    ("surname", "maiden", "aliases", "maiden_std"),
    [
        ("Kowalska", "Nowak", ["kowalska", "nowak"], "nowak"),
        ("Kowalska", "KOWALSKA", ["kowalska"], "kowalska"),
        ("Kowalska", None, ["kowalska"], None),
        ("Kowalska", "  ", ["kowalska"], None),
        (None, "Nowak", ["nowak"], "nowak"),
        (None, None, [], None),
    ],
)
def test_surname_aliases(
    surname: str | None, maiden: str | None, aliases: list[str], maiden_std: str | None
) -> None:
    row = one("Anna", surname, maiden)
    assert row["surname_aliases"] == aliases
    assert row["maiden_surname_std"] == maiden_std


def test_phonetic_code_tolerates_typos_and_spacing() -> None:
    codes = [one("A", s)["surname_phonetic"] for s in ("Kowalski", "Kowalsky", "KOWALSKI")]
    assert len(set(codes)) == 1
    assert one("A", "O Brien")["surname_phonetic"] == one("A", "O'Brien")["surname_phonetic"]


def test_missing_everything() -> None:
    row = one(None, "  ", None)
    assert row["forename_tokens"] == []
    assert row["surname_tokens"] == []
    assert row["surname_aliases"] == []
    for column in ("forenames_std", "first_name", "first_name_canonical", "surname_std"):
        assert row[column] is None
    assert row["name_key"] is None
    assert row["surname_phonetic"] is None


def test_columns_dtypes_and_index() -> None:
    index = pd.Index([30, 10, 20])
    out = standardise_names(
        pd.Series(["Bill", None, "Thị Hương"], index=index),
        pd.Series(["Smith", "Jones", "Nguyễn"], index=index),
    )
    assert tuple(out.columns) == NAME_COLUMNS
    assert out.index.equals(index)
    assert out["first_name"].dtype == "string"
    assert out["forename_tokens"].dtype == object
    assert out["maiden_surname_std"].isna().all()
    assert out["name_key"].tolist() == ["bill smith", "jones", "huong nguyen"]


def test_single_token_lists_stay_one_dimensional() -> None:
    out = standardise_names(pd.Series(["Anh", "Huong"]), pd.Series(["Le", "Ly"]))
    assert out["forename_tokens"].tolist() == [["anh"], ["huong"]]
    assert out["surname_tokens"].tolist() == [["le"], ["ly"]]


def test_empty_input() -> None:
    empty = pd.Series([], dtype=object)
    out = standardise_names(empty, empty)
    assert len(out) == 0
    assert tuple(out.columns) == NAME_COLUMNS


def test_misaligned_inputs_are_rejected() -> None:
    with pytest.raises(InputError, match="same index"):
        standardise_names(pd.Series(["A"], index=[1]), pd.Series(["B"], index=[2]))


def test_each_distinct_folded_name_is_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    parsed: list[str] = []
    real = names_module._parse_forenames

    def counting(text: str) -> Any:
        parsed.append(text)
        return real(text)

    monkeypatch.setattr(names_module, "_parse_forenames", counting)
    n = 100_000
    rng = np.random.default_rng(0)
    choices = np.array(["Thị Hương", "Bill", None, "BILL", "Thi Huong"], dtype=object)
    forenames = pd.Series(choices[rng.integers(0, len(choices), n)])
    surname = pd.Series(np.array(["Nguyễn", "Smith"], dtype=object)[rng.integers(0, 2, n)])
    out = standardise_names(forenames, surname)
    assert sorted(parsed) == ["bill", "thi huong"]
    assert set(out["name_key"].dropna()) <= {
        "huong nguyen",
        "huong smith",
        "bill nguyen",
        "bill smith",
        "nguyen",
        "smith",
    }


@pytest.mark.parametrize(
    ("token", "parts"),
    [
        ("thihuong", ["thi", "huong"]),
        ("vananh", ["van", "anh"]),
        ("thinguyet", ["thi", "nguyet"]),
        ("vanquynh", ["van", "quynh"]),
        ("thithu", ["thi", "thu"]),
        ("thianh", ["thi", "anh"]),
        ("vanhoai", ["van", "hoai"]),
        ("thihuyen", ["thi", "huyen"]),
        ("vanthang", ["van", "thang"]),
        ("thinh", ["thinh"]),  # Thịnh is one syllable
        ("thieng", ["thieng"]),  # Thiêng is one syllable
        ("vanessa", ["vanessa"]),
        ("thierry", ["thierry"]),
        ("vanda", ["vanda"]),
        ("van", ["van"]),
    ],
)
def test_split_merged_weak(token: str, parts: list[str]) -> None:
    assert list(split_merged_weak(token)) == parts
