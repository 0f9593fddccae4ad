"""Nationality / country text → ISO 3166-1 alpha-3, from ``data/nationalities.csv``.

The table has columns ``alpha3,alpha2,name,aliases``; ``aliases`` is ``;``-separated other
names and demonyms. Every code, name and alias is folded (and also matched without spaces:
"VietNam" = "Viet Nam"), and the loader rejects a key that would map to two countries.
Ambiguous demonyms (Congolese, Korean, Dominican) are deliberately absent. Kosovo uses the
user-assigned code ``XKX`` (not ISO; also ``RKS`` as on Kosovan passports).
"""

from __future__ import annotations

import csv
import functools
import io
from importlib import resources

import pandas as pd

from resolver.errors import ConfigError
from resolver.standardise.text import fold_text, map_unique

__all__ = ["country_table", "load_countries", "to_iso3"]

_COLUMNS = ("alpha3", "alpha2", "name", "aliases")


def _keys(text: str) -> set[str]:
    folded = fold_text(text)
    return set() if folded is None else {folded, folded.replace(" ", "")}


def load_countries(text: str, source: str = "nationalities.csv") -> dict[str, str]:
    """Parse and validate country CSV text into ``{folded key: alpha3}``."""
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None or set(_COLUMNS) - set(reader.fieldnames):
        raise ConfigError(f"{source}: expected columns {','.join(_COLUMNS)}")
    table: dict[str, str] = {}
    for line, row in enumerate(reader, start=2):
        alpha3 = (row["alpha3"] or "").strip().upper()
        if len(alpha3) != 3 or not alpha3.isalpha():
            raise ConfigError(f"{source} line {line}: bad alpha3 {alpha3!r}")
        names = [row["alpha3"], row["alpha2"], row["name"], *(row["aliases"] or "").split(";")]
        for key in set().union(*(_keys(name or "") for name in names)):
            if table.setdefault(key, alpha3) != alpha3:
                raise ConfigError(
                    f"{source} line {line}: {key!r} is both {table[key]} and {alpha3}"
                )
    return table


@functools.cache
def country_table() -> dict[str, str]:
    """The packaged country lookup (loaded once)."""
    data = resources.files("resolver.standardise.data").joinpath("nationalities.csv")
    return load_countries(data.read_text(encoding="utf-8"))


def to_iso3(values: pd.Series) -> pd.Series:
    """ISO alpha-3 from alpha-3/alpha-2 codes, country names and demonyms, case- and
    diacritic-insensitive ("Vietnamese", "Viet Nam", "VN" → "VNM"; "British", "UK" → "GBR").

    Unrecognised non-empty values are kept as their folded upper-case form ("Martian" →
    "MARTIAN") so nothing is lost; empty → NA. Returns a ``string`` Series.
    """
    table = country_table()

    def iso3(text: str) -> str | None:
        folded = fold_text(text)
        if folded is None:
            return None
        bare = folded.removeprefix("the ")
        for key in (folded, folded.replace(" ", ""), bare):
            if key in table:
                return table[key]
        return folded.upper()

    return map_unique(values, iso3)
