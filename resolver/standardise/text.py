"""Text folding shared by every standardiser, and the unique-value broadcasting they rely on.

Every public function here takes a pandas Series and computes on its distinct values only,
then broadcasts the result back through factorize codes, so a million rows with a few
thousand distinct values cost a few thousand Python calls.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from unidecode import unidecode

__all__ = [
    "as_text",
    "fold",
    "fold_text",
    "map_unique",
    "normalise_sex",
    "take_strings",
    "unique_apply",
]

# After unidecode every apostrophe-like mark is ASCII ' or `; both are dropped (O'Brien → obrien).
_DROP_APOSTROPHES = str.maketrans("", "", "'`")
# Everything else that is not a letter or digit separates tokens (Smith-Jones → smith jones).
_SEPARATORS = re.compile(r"[^a-z0-9]+")


def as_text(value: Any) -> str | None:
    """One raw cell as stripped text, or None when missing, empty or whitespace-only."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float):
        if np.isnan(value):
            return None
        if value.is_integer():  # 20010203.0 read from a numeric column
            value = int(value)
    text = str(value).strip()
    return text or None


def fold_text(text: str) -> str | None:
    """Comparison form of one string (see :func:`fold`); None when nothing is left."""
    folded = unidecode(text).casefold().translate(_DROP_APOSTROPHES)
    folded = _SEPARATORS.sub(" ", folded).strip()
    return folded or None


def unique_apply(values: pd.Series, func: Callable[[str], Any]) -> tuple[np.ndarray, list[Any]]:
    """Apply ``func`` once per distinct non-missing value.

    Returns ``(codes, results)``: ``results[codes[i]]`` is the result for row ``i``. Missing
    rows have code ``len(results) - 1``, whose result is None; blank strings also get None.
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    results: list[Any] = []
    for raw in uniques:
        text = as_text(raw)
        results.append(None if text is None else func(text))
    results.append(None)
    codes = np.where(codes < 0, len(results) - 1, codes)
    return codes, results


def take_strings(per_unique: list[str | None], codes: np.ndarray, index: pd.Index) -> pd.Series:
    """``string`` Series of ``per_unique[codes]`` (None → NA) on ``index``."""
    array = pd.array(per_unique, dtype="string")
    return pd.Series(array.take(codes), index=index, dtype="string")


def map_unique(values: pd.Series, func: Callable[[str], str | None]) -> pd.Series:
    """``string`` Series of ``func(text)`` per row, computed once per distinct value.

    ``func`` receives stripped, non-empty text and may return None for "no value"; missing
    or blank rows give NA.
    """
    codes, results = unique_apply(values, func)
    return take_strings(results, codes, values.index)


def fold(values: pd.Series) -> pd.Series:
    """Comparison form of text: transliterate, casefold, drop apostrophes, split on punctuation.

    ``unidecode`` transliterates what Unicode NFKD cannot decompose (đ→d, ł→l, ß→ss, ø→o).
    Apostrophes are removed (O'Brien → obrien); hyphens, dots, commas and any other
    non-alphanumeric characters become a single space (Smith-Jones → smith jones); the result is
    stripped. Empty or whitespace-only values become NA. Returns a ``string`` dtype Series.
    """
    return map_unique(values, fold_text)


_SEX_CODES: dict[str, str | None] = {
    **dict.fromkeys(["m", "male", "man", "boy", "mr", "masc", "masculine", "1"], "M"),
    **dict.fromkeys(
        ["f", "female", "woman", "girl", "mrs", "ms", "miss", "fem", "feminine", "2"], "F"
    ),
    **dict.fromkeys(
        [
            "u", "unknown", "unk", "not known", "not stated", "not specified", "unspecified",
            "x", "i", "indeterminate", "intersex", "other", "o", "0", "9",
        ],
        "U",
    ),
}  # fmt: skip


def normalise_sex(values: pd.Series) -> pd.Series:
    """``M``/``F``/``U`` from common spellings; missing or unrecognised → NA.

    Accepts m/male/man/boy/mr, f/female/woman/girl/mrs/ms/miss, u/unknown/not known/x/
    indeterminate/other, and the ISO/IEC 5218 digits (1 male, 2 female, 0 and 9 unknown).
    """
    return map_unique(values, lambda text: _SEX_CODES.get(fold_text(text) or ""))


#: Folded values that clerks write in a name box when no name is known.
NAME_PLACEHOLDERS: frozenset[str] = frozenset(
    {
        "unknown", "not known", "notknown", "unk", "n a", "n k", "none", "nil",
        "not stated", "not given", "not recorded", "withheld", "no name", "tbc", "tba",
        "xxx", "x",
    }
)  # fmt: skip


def is_placeholder_name(values: pd.Series) -> pd.Series:
    """Whether each value is a stand-in for a missing name ("UNKNOWN", "N/A", "-", "?").

    Values with no letter at all count too. Blank and missing values are not placeholders
    (they are simply missing); the result is a boolean Series aligned to ``values``.
    """
    folded = map_unique(values, lambda text: fold_text(text) or "")
    text = values.astype("string").str.strip().fillna("")
    no_letter = (text != "") & ~text.str.contains(r"[^\W\d_]", regex=True)
    return (folded.fillna("").isin(NAME_PLACEHOLDERS) | no_letter).astype(bool)
