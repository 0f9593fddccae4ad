"""Nickname → canonical forename, from ``data/nicknames.csv``.

The table has one row per nickname (columns ``nickname,canonical``): common English
nicknames and spelling variants (bill → william, kate/katherine → catherine, mohd → muhammad),
common Polish, Romanian and Albanian diminutives (kasia → katarzyna, gosia → malgorzata,
ionut → ion, leka → aleksander) and Yoruba/Igbo short forms (seun → oluwaseun,
emeka → chukwuemeka). Canonicals stay in the name's own language (kasia → katarzyna, not
catherine). Both columns are folded on load.

Ambiguity is resolved in the data, not in code: a nickname appears at most once, mapped to its
usual UK reading (harry → henry, jack → john, terry → terence). Short forms shared by common
male and female names (sam, alex, chris, jo, pat, fran, nat, charlie, nicky, frankie, mel,
val, lou, toni, gabi, dani, kit, max) are deliberately absent and so left unchanged. The loader
rejects duplicates, self-mappings and chains (a canonical that is itself a nickname) with a
:class:`~resolver.errors.ConfigError`.
"""

from __future__ import annotations

import csv
import functools
import io
from importlib import resources

import pandas as pd

from resolver.errors import ConfigError
from resolver.standardise.text import fold_text, map_unique

__all__ = ["canonical_forename", "load_nicknames", "nickname_table"]


def load_nicknames(text: str, source: str = "nicknames.csv") -> dict[str, str]:
    """Parse and validate nickname CSV text into ``{folded nickname: folded canonical}``."""
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None or {"nickname", "canonical"} - set(reader.fieldnames):
        raise ConfigError(f"{source}: expected columns nickname,canonical")
    table: dict[str, str] = {}
    for line, row in enumerate(reader, start=2):
        nickname, canonical = fold_text(row["nickname"] or ""), fold_text(row["canonical"] or "")
        if nickname is None or canonical is None:
            raise ConfigError(f"{source} line {line}: empty nickname or canonical")
        if nickname == canonical:
            raise ConfigError(f"{source} line {line}: {nickname!r} maps to itself")
        if nickname in table:
            raise ConfigError(f"{source} line {line}: {nickname!r} listed twice")
        table[nickname] = canonical
    chained = sorted(set(table.values()) & set(table))
    if chained:
        raise ConfigError(f"{source}: canonical names that are also nicknames: {chained}")
    return table


@functools.cache
def nickname_table() -> dict[str, str]:
    """The packaged nickname table (loaded once)."""
    data = resources.files("resolver.standardise.data").joinpath("nicknames.csv")
    return load_nicknames(data.read_text(encoding="utf-8"))


def canonical_forename(folded_first: pd.Series) -> pd.Series:
    """Canonical forename of each (folded) first name; unchanged when it is no known nickname.

    Input is re-folded, so raw names work too. Returns a ``string`` Series; missing → NA.
    """
    table = nickname_table()

    def canonical(text: str) -> str | None:
        folded = fold_text(text)
        return None if folded is None else table.get(folded, folded)

    return map_unique(folded_first, canonical)
