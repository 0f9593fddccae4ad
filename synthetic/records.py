"""Records under construction, the evidence for planted and decoy truth, and the shared world."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from synthetic.names import NameBank
from synthetic.persons import PersonTable
from synthetic.places import Places
from synthetic.schema import ROLES, SOURCES

_ROLE_NAMES = {role for roles in ROLES.values() for role in roles}

Ref = tuple[str, str, str]
"""(source, record reference tag, role): one mention named before record ids exist."""


@dataclass
class Evidence:
    """One row of `truth/planted.csv` or `truth/decoys.csv`, with mentions still as refs."""

    table: str
    name: str
    subject: str | int
    refs: list[Ref]


@dataclass
class RecordBook:
    """Records of each source, gathered as blocks of columns (dates as datetime64[D]).

    Person roles are integer columns `_<role>` holding person indices (-1: nobody). `_ref` tags
    records that planted or decoy evidence points at. Optional per-mention overrides:
    `_surname_<role>` (a surname used instead of the person's own) and `_tag_<role>` (a note
    added to the truth noise of that mention).
    """

    blocks: dict[str, list[pd.DataFrame]] = field(
        default_factory=lambda: {source: [] for source in SOURCES}
    )

    def add(self, source: str, columns: dict[str, Any]) -> None:
        """Add a block of records given as equal-length columns (scalars are broadcast)."""
        lengths = {len(v) for v in columns.values() if isinstance(v, list | np.ndarray)}
        if len(lengths) != 1:
            raise ValueError(f"{source}: columns of unequal length {sorted(lengths)}")
        n = lengths.pop()
        frame = pd.DataFrame(
            {k: (v if isinstance(v, list | np.ndarray) else [v] * n) for k, v in columns.items()}
        )
        if n:
            self.blocks[source].append(frame)

    def add_one(self, source: str, **values: Any) -> None:
        """Add one record given as keyword values."""
        self.add(source, {k: [v] for k, v in values.items()})

    def frame(self, source: str) -> pd.DataFrame:
        """All records of `source` in insertion order (missing optional columns filled)."""
        parts = self.blocks[source]
        if not parts:
            return pd.DataFrame()
        frame = pd.concat(parts, ignore_index=True, sort=False)
        for col in frame.columns:
            if col.startswith("_") and col[1:] in _ROLE_NAMES:
                frame[col] = frame[col].fillna(-1).astype(np.int64)
            elif frame[col].dtype == object:
                frame[col] = frame[col].fillna("")
        return frame


@dataclass
class World:
    """Everything the builders share: randomness, reference data, people, records, truth."""

    rng: np.random.Generator
    names: NameBank
    places: Places
    persons: PersonTable = field(default_factory=PersonTable)
    records: RecordBook = field(default_factory=RecordBook)
    evidence: list[Evidence] = field(default_factory=list)

    def plant(self, name: str, subject: str | int, refs: list[Ref]) -> None:
        """Record a planted pattern (a rule should flag it)."""
        self.evidence.append(Evidence("planted", name, subject, refs))

    def decoy(self, name: str, subject: str | int, refs: list[Ref]) -> None:
        """Record a decoy (a good system should not flag it)."""
        self.evidence.append(Evidence("decoys", name, subject, refs))
