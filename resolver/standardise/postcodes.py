"""UK postcode normalisation: canonical form, outward code, sector, validity."""

from __future__ import annotations

import re
from typing import NamedTuple

import numpy as np
import pandas as pd

from resolver.standardise.text import take_strings, unique_apply

__all__ = ["POSTCODE_COLUMNS", "normalise_postcode"]

POSTCODE_COLUMNS: tuple[str, ...] = (
    "postcode",
    "postcode_outward",
    "postcode_sector",
    "postcode_valid",
)

# Shape only (A9, A99, AA9, AA99, A9A, AA9A + 9AA, and GIR 0AA); the per-position letter
# restrictions are not enforced, so a plausible but unallocated postcode is still kept.
_OUTWARD = re.compile(r"[A-Z]{1,2}[0-9][A-Z0-9]?|GIR")
_INWARD = re.compile(r"[0-9][A-Z]{2}")
_NOT_ALNUM = re.compile(r"[^A-Z0-9]")


class _Postcode(NamedTuple):
    postcode: str | None
    outward: str | None
    sector: str | None
    valid: bool


def _parse(text: str) -> _Postcode:
    compact = _NOT_ALNUM.sub("", text.upper())
    outward, inward = compact[:-3], compact[-3:]
    if _OUTWARD.fullmatch(outward) and _INWARD.fullmatch(inward):
        return _Postcode(f"{outward} {inward}", outward, f"{outward} {inward[0]}", True)
    if _OUTWARD.fullmatch(compact):  # outward code only ("SW1A"): not valid, still blockable
        return _Postcode(None, compact, None, False)
    return _Postcode(None, None, None, False)


def normalise_postcode(values: pd.Series) -> pd.DataFrame:
    """Canonical UK postcodes, aligned to ``values.index``.

    Case, spaces and punctuation are ignored ("sw1a1aa", "SW1A-1AA" → "SW1A 1AA").
    Columns: ``postcode`` (``"SW1A 1AA"`` or NA), ``postcode_outward`` (``"SW1A"``; also set
    for an outward code given alone), ``postcode_sector`` (``"SW1A 1"``) and ``postcode_valid``
    (nullable boolean: True for a plausible full postcode, False for non-empty junk, NA for
    empty). Validation checks the shape of the code, not whether it is allocated.
    """
    codes, parsed = unique_apply(values, _parse)
    index = values.index
    out = pd.DataFrame(index=index)
    for position, column in enumerate(POSTCODE_COLUMNS[:3]):
        per_unique = [p[position] if p else None for p in parsed]
        out[column] = take_strings(per_unique, codes, index)
    valid = np.array([p.valid if p else False for p in parsed], dtype=bool)[codes]
    missing = np.array([p is None for p in parsed], dtype=bool)[codes]
    out["postcode_valid"] = pd.Series(pd.arrays.BooleanArray(valid, missing), index=index)
    return out
