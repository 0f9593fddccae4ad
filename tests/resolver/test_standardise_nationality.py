"""Golden cases for to_iso3 and the packaged country table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from resolver.errors import ConfigError
from resolver.standardise import to_iso3
from resolver.standardise.nationality import country_table, load_countries


@pytest.mark.parametrize(
    ("raw", "iso3"),
    [
        ("VN", "VNM"),
        ("vn", "VNM"),
        ("VNM", "VNM"),
        ("Vietnamese", "VNM"),
        ("Viet Nam", "VNM"),
        ("Vietnam", "VNM"),
        ("Việt Nam", "VNM"),
        ("VIET-NAM", "VNM"),
        ("British", "GBR"),
        ("UK", "GBR"),
        ("U.K.", "GBR"),
        ("GB", "GBR"),
        ("GBR", "GBR"),
        ("United Kingdom", "GBR"),
        ("Scottish", "GBR"),
        ("Irish", "IRL"),
        ("Polish", "POL"),
        ("Polska", "POL"),
        ("Romanian", "ROU"),
        ("România", "ROU"),
        ("Indian", "IND"),
        ("Pakistani", "PAK"),
        ("Nigerian", "NGA"),
        ("Albanian", "ALB"),
        ("Chinese", "CHN"),
        ("People's Republic of China", "CHN"),
        ("Eritrean", "ERI"),
        ("Afghan", "AFG"),
        ("Iran (Islamic Republic of)", "IRN"),
        ("Syrian Arab Republic", "SYR"),
        ("Czech Republic", "CZE"),
        ("Dutch", "NLD"),
        ("The Netherlands", "NLD"),
        ("Filipino", "PHL"),
        ("Türkiye", "TUR"),
        ("Côte d'Ivoire", "CIV"),
        ("the Gambia", "GMB"),
        ("American", "USA"),
        ("Kosovan", "XKX"),
    ],
)
def test_to_iso3(raw: str, iso3: str) -> None:
    assert to_iso3(pd.Series([raw])).tolist() == [iso3]


@pytest.mark.parametrize(
    ("raw", "kept"),
    [("Martian", "MARTIAN"), ("Congolese", "CONGOLESE"), ("  Atlantis  ", "ATLANTIS")],
)
def test_unknown_values_are_kept_folded_upper(raw: str, kept: str) -> None:
    assert to_iso3(pd.Series([raw])).tolist() == [kept]


@pytest.mark.parametrize("empty", ["", "  ", None, np.nan])
def test_empty_is_na(empty: object) -> None:
    assert to_iso3(pd.Series([empty], dtype=object)).isna().all()


REQUIRED = [
    *("GBR", "IRL", "VNM", "POL", "ROU", "IND", "PAK", "NGA", "ALB", "CHN", "BGD", "LKA"),
    *("SOM", "ERI", "AFG", "IRN", "IRQ", "SYR", "SDN", "UKR", "LTU", "LVA", "BGR", "PRT"),
    *("ESP", "ITA", "FRA", "DEU", "USA", "PHL", "GHA", "ZWE", "KEN", "JAM", "TUR", "GRC"),
    *("HUN", "CZE", "SVK", "NLD", "BRA", "EGY", "MAR", "ETH"),
]


@pytest.mark.parametrize("code", REQUIRED)
def test_required_countries_present(code: str) -> None:
    assert to_iso3(pd.Series([code, code.lower()])).tolist() == [code, code]


def test_table_size() -> None:
    assert len(set(country_table().values())) >= 60


def test_clashing_keys_are_rejected() -> None:
    text = "alpha3,alpha2,name,aliases\nIRL,IE,Ireland,Irish\nGBR,GB,United Kingdom,Irish\n"
    with pytest.raises(ConfigError, match="both IRL and GBR"):
        load_countries(text)


def test_bad_header_is_rejected() -> None:
    with pytest.raises(ConfigError, match="expected columns"):
        load_countries("code,name\nGBR,UK\n")
