"""Golden cases for the nickname table and canonical_forename."""

from __future__ import annotations

import pandas as pd
import pytest

from resolver.errors import ConfigError
from resolver.standardise import canonical_forename
from resolver.standardise.nicknames import load_nicknames, nickname_table


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("bill", "william"),
        ("billy", "william"),
        ("will", "william"),
        ("william", "william"),
        ("liz", "elizabeth"),
        ("beth", "elizabeth"),
        ("lizzie", "elizabeth"),
        ("bob", "robert"),
        ("harry", "henry"),
        ("peggy", "margaret"),
        ("katherine", "catherine"),
        ("mohammed", "muhammad"),
        ("kasia", "katarzyna"),
        ("gosia", "malgorzata"),
        ("tomek", "tomasz"),
        ("kuba", "jakub"),
        ("ionut", "ion"),
        ("Ionuț", "ion"),
        ("GOSIA", "malgorzata"),
        ("leka", "aleksander"),
        # gender-ambiguous short forms are deliberately left alone
        ("sam", "sam"),
        ("alex", "alex"),
        ("chris", "chris"),
        # no mapping
        ("huong", "huong"),
        ("xochitl", "xochitl"),
    ],
)
def test_canonical_forename(name: str, canonical: str) -> None:
    assert canonical_forename(pd.Series([name])).tolist() == [canonical]


def test_missing_stays_missing() -> None:
    out = canonical_forename(pd.Series([None, "", "bill"], dtype=object))
    assert out.tolist() == [pd.NA, pd.NA, "william"]
    assert out.dtype == "string"


def test_packaged_table_is_consistent() -> None:
    table = nickname_table()
    assert len(table) >= 300
    assert not set(table.values()) & set(table), "no chains"
    assert all(nick == nick.strip().lower() and " " not in nick for nick in table)


@pytest.mark.parametrize(
    ("csv_text", "message"),
    [
        ("nick,canon\nbill,william\n", "expected columns"),
        ("nickname,canonical\nbill,william\nbill,billiam\n", "listed twice"),
        ("nickname,canonical\nbill,Bill\n", "maps to itself"),
        ("nickname,canonical\nbill,will\nwill,william\n", "also nicknames"),
        ("nickname,canonical\nbill,\n", "empty"),
    ],
)
def test_bad_tables_are_rejected(csv_text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_nicknames(csv_text)


def test_table_entries_are_folded_on_load() -> None:
    assert load_nicknames("nickname,canonical\nGosia,Małgorzata\n") == {"gosia": "malgorzata"}
