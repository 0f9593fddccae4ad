"""Standardisation of names, dates, postcodes, sex and nationality for comparison.

Every function takes and returns pandas objects aligned to the input index, computes once per
distinct value, and maps missing or blank input to NA (``string`` dtype) or NaT.
"""

from resolver.standardise.dates import day_month_swapped, parse_dates
from resolver.standardise.names import NAME_COLUMNS, WEAK_FORENAME_TOKENS, standardise_names
from resolver.standardise.nationality import to_iso3
from resolver.standardise.nicknames import canonical_forename
from resolver.standardise.postcodes import POSTCODE_COLUMNS, normalise_postcode
from resolver.standardise.text import fold, is_placeholder_name, map_unique, normalise_sex

__all__ = [
    "NAME_COLUMNS",
    "POSTCODE_COLUMNS",
    "WEAK_FORENAME_TOKENS",
    "canonical_forename",
    "day_month_swapped",
    "fold",
    "is_placeholder_name",
    "map_unique",
    "normalise_postcode",
    "normalise_sex",
    "parse_dates",
    "standardise_names",
    "to_iso3",
]
