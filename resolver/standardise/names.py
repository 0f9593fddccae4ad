"""Person-name standardisation: folded forms, first/middle split, nickname canonical, keys.

Vietnamese names drive much of the design. ``Thị`` and ``Văn`` are gender-marking middle names
that most women (men) share, so they carry little evidence: they are kept in
``forenames_std`` but skipped when choosing ``first_name`` and left out of
``forename_tokens``, ``middle_names`` and ``name_key``. Sources also merge them into the next
syllable ("Thihuong"); such a token is split when what follows the marker is one Vietnamese
syllable and the whole token is not itself one (so "Vanessa", "Thierry", "Thiago" and
"Thiêng" are left alone).

Family-name-first swaps ("Nguyen Van" / "Anh" against "Van Anh" / "Nguyen") are covered by
``name_key``, which is order-insensitive. There is no ``name_swapped_key`` column: a swap
comparison level is written directly as
``l.first_name = r.surname_std AND l.surname_std = r.first_name``.
"""

from __future__ import annotations

import functools
import re
from typing import Any, NamedTuple

import jellyfish
import numpy as np
import pandas as pd

from resolver.errors import InputError
from resolver.standardise.nicknames import canonical_forename
from resolver.standardise.text import fold_text, unique_apply

__all__ = ["NAME_COLUMNS", "WEAK_FORENAME_TOKENS", "split_merged_weak", "standardise_names"]

WEAK_FORENAME_TOKENS: frozenset[str] = frozenset({"thi", "van"})
"""Folded Vietnamese gender markers (Thị, Văn) that carry little evidence on their own."""

NAME_COLUMNS: tuple[str, ...] = (
    "forenames_std",
    "first_name",
    "middle_names",
    "first_name_canonical",
    "forename_tokens",
    "surname_std",
    "surname_tokens",
    "maiden_surname_std",
    "surname_aliases",
    "name_key",
    "surname_phonetic",
)
"""Columns of :func:`standardise_names`, in order."""

# One folded Vietnamese syllable: optional initial consonant, then either a vowel nucleus that
# may take a final consonant, or one ending in a glide, which may not ("thianh" is not one).
_VN_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|[bcdghklmnprstvx])?"
    r"(?:(?:uye|oa|oe|ie|ye|uo|oo|ue|uy|ua|[aeiouy])(?:ng|nh|ch|[cmnpt])?"
    r"|ieu|yeu|uoi|uou|oai|oao|oay|oeo|uay|uya|uyu|ai|ao|au|ay|eo|eu|ia|iu|oi|ui|uu)"
)
_MIN_MERGED_REST = 3


@functools.lru_cache(maxsize=1 << 16)
def split_merged_weak(token: str) -> tuple[str, ...]:
    """Split a folded token such as "thihuong" into ("thi", "huong"); others are returned alone."""
    if _VN_SYLLABLE.fullmatch(token):
        return (token,)
    for weak in WEAK_FORENAME_TOKENS:
        rest = token[len(weak) :]
        if (
            token.startswith(weak)
            and len(rest) >= _MIN_MERGED_REST
            and _VN_SYLLABLE.fullmatch(rest)
        ):
            return (weak, rest)
    return (token,)


def _tokens(folded: str) -> list[str]:
    return [part for token in folded.split() for part in split_merged_weak(token)]


def _strong(tokens: list[str]) -> list[str]:
    """Tokens without weak markers; the tokens themselves when they are all weak."""
    return [t for t in tokens if t not in WEAK_FORENAME_TOKENS] or tokens


_NO_TOKENS: frozenset[str] = frozenset()


class _Forenames(NamedTuple):
    std: str
    first: str
    middle: str | None
    tokens: list[str]
    strong: frozenset[str]  # for name_key: non-weak tokens
    weak: frozenset[str]  # for name_key: weak tokens, used only when nothing else is left


class _Surname(NamedTuple):
    std: str
    tokens: list[str]
    strong: frozenset[str]
    weak: frozenset[str]
    phonetic: str


def _parse_forenames(folded: str) -> _Forenames:
    tokens = _tokens(folded)
    strong = _strong(tokens)
    middle = " ".join(t for t in strong[1:] if t not in WEAK_FORENAME_TOKENS) or None
    weak = frozenset(tokens) & WEAK_FORENAME_TOKENS
    return _Forenames(" ".join(tokens), strong[0], middle, strong, frozenset(tokens) - weak, weak)


def _parse_surname(folded: str) -> _Surname:
    tokens = frozenset(_tokens(folded))
    weak = tokens & WEAK_FORENAME_TOKENS
    phonetic = jellyfish.metaphone(folded.replace(" ", ""))
    return _Surname(folded, folded.split(), tokens - weak, weak, phonetic)


def _folded_codes(values: pd.Series) -> tuple[np.ndarray, list[str | None]]:
    """Fold each distinct value, then merge values that fold alike ("SMITH", "Smith").

    Returns ``(codes, folded)``: row ``i`` folds to ``folded[codes[i]]``; the last entry is None
    and is the code of missing or blank rows.
    """
    raw_codes, folded = unique_apply(values, fold_text)
    merged, distinct = pd.factorize(pd.Series(folded, dtype=object), use_na_sentinel=True)
    merged = np.where(merged < 0, len(distinct), merged)
    return merged[raw_codes], [*distinct.tolist(), None]


def _objects(items: list[Any]) -> np.ndarray:
    """1-D object array of ``items`` (never broadcast into 2-D, whatever the items are)."""
    array = np.empty(len(items), dtype=object)
    for i, item in enumerate(items):
        array[i] = item
    return array


def _pairs(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, list[int], list[int]]:
    """Distinct (a, b) code pairs: returns (row → pair code, a of each pair, b of each pair)."""
    width = int(b.max(initial=0)) + 1
    codes, uniques = pd.factorize(a.astype(np.int64) * width + b)
    return codes, (uniques // width).tolist(), (uniques % width).tolist()


def _name_keys(
    f_parts: list[_Forenames | None],
    s_parts: list[_Surname | None],
    pair_f: list[int],
    pair_s: list[int],
) -> list[str | None]:
    """name_key of each (forenames, surname) pair."""
    f_strong = [p.strong if p else _NO_TOKENS for p in f_parts]
    f_weak = [p.weak if p else _NO_TOKENS for p in f_parts]
    s_strong = [p.strong if p else _NO_TOKENS for p in s_parts]
    s_weak = [p.weak if p else _NO_TOKENS for p in s_parts]
    keys: list[str | None] = []
    for f, s in zip(pair_f, pair_s, strict=True):
        tokens = f_strong[f] | s_strong[s] or f_weak[f] | s_weak[s]
        keys.append(" ".join(sorted(tokens)) if tokens else None)
    return keys


def _aligned(name: str, values: pd.Series, index: pd.Index) -> pd.Series:
    if not values.index.equals(index):
        raise InputError(f"{name} must have the same index as forenames")
    return values


def standardise_names(
    forenames: pd.Series, surname: pd.Series, maiden_surname: pd.Series | None = None
) -> pd.DataFrame:
    """Standardised name columns (:data:`NAME_COLUMNS`) aligned to ``forenames.index``.

    - ``forenames_std``: folded forenames, merged markers split ("Thihuong" → "thi huong").
    - ``first_name``: first forename token that is not weak ("Thi Huong" → "huong"); the first
      token when all are weak ("Van" → "van").
    - ``middle_names``: the other non-weak forename tokens, space-joined, or NA.
    - ``first_name_canonical``: nickname-canonical ``first_name`` (bill → william).
    - ``forename_tokens``: list of non-weak forename tokens (all tokens when all are weak);
      ``[]`` when forenames are missing.
    - ``surname_std`` / ``surname_tokens``: folded surname (multi-token kept) and its tokens.
    - ``maiden_surname_std``: folded maiden surname or NA.
    - ``surname_aliases``: distinct non-missing surnames of the mention (surname, maiden).
    - ``name_key``: sorted, de-duplicated non-weak tokens of forenames and surname
      ("Van Anh"/"Nguyễn" and "Nguyen Van"/"Anh" both give "anh nguyen"); NA if no tokens.
    - ``surname_phonetic``: metaphone of the surname with spaces removed, for blocking.

    String columns have ``string`` dtype (missing is ``pd.NA``). List columns hold Python lists
    that are shared between rows with the same value: treat them as read-only. Work is done
    once per distinct forename, surname and (forename, surname) pair.
    """
    index = forenames.index
    surname = _aligned("surname", surname, index)
    if maiden_surname is None:
        maiden_surname = pd.Series(pd.NA, index=index, dtype="string")
    maiden_surname = _aligned("maiden_surname", maiden_surname, index)

    f_codes, f_folded = _folded_codes(forenames)
    s_codes, s_folded = _folded_codes(surname)
    m_codes, m_parts = _folded_codes(maiden_surname)
    f_parts = [_parse_forenames(f) if f else None for f in f_folded]
    s_parts = [_parse_surname(f) if f else None for f in s_folded]

    def strings(per_unique: list[str | None], codes: np.ndarray) -> Any:
        return pd.array(per_unique, dtype="string").take(codes)

    def lists(per_unique: list[Any], codes: np.ndarray) -> np.ndarray:
        return _objects(per_unique)[codes]

    firsts = pd.Series([p and p.first for p in f_parts], dtype="string")
    s_std = [p and p.std for p in s_parts]
    columns: dict[str, Any] = {
        "forenames_std": strings([p and p.std for p in f_parts], f_codes),
        "first_name": strings(firsts.tolist(), f_codes),
        "middle_names": strings([p and p.middle for p in f_parts], f_codes),
        "first_name_canonical": strings(canonical_forename(firsts).tolist(), f_codes),
        "forename_tokens": lists([p.tokens if p else [] for p in f_parts], f_codes),
        "surname_std": strings(s_std, s_codes),
        "surname_tokens": lists([p.tokens if p else [] for p in s_parts], s_codes),
        "maiden_surname_std": strings(m_parts, m_codes),
    }

    # Aliases are the surname's own list unless a different maiden surname is recorded.
    aliases = lists([[std] if std else [] for std in s_std], s_codes)
    with_maiden = np.array([m is not None for m in m_parts], dtype=bool)[m_codes]
    if with_maiden.any():
        pair_codes, pair_s, pair_m = _pairs(s_codes[with_maiden], m_codes[with_maiden])
        per_pair = [
            [s_std[s], m_parts[m]] if s_std[s] and s_std[s] != m_parts[m] else [m_parts[m]]
            for s, m in zip(pair_s, pair_m, strict=True)
        ]
        aliases[with_maiden] = lists(per_pair, pair_codes)
    columns["surname_aliases"] = aliases

    pair_codes, pair_f, pair_s = _pairs(f_codes, s_codes)
    columns["name_key"] = strings(_name_keys(f_parts, s_parts, pair_f, pair_s), pair_codes)
    columns["surname_phonetic"] = strings([p and p.phonetic for p in s_parts], s_codes)
    return pd.DataFrame(columns, index=index)
