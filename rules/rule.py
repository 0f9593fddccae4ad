"""What a rule author writes: the :class:`Rule` base, :class:`Strength` and :class:`Finding`.

A rule is a class with metadata, default parameters, one ``sql`` method returning a single
SELECT over the store tables, and one ``assess`` method turning each result row into a
:class:`Finding` (summary, reason, evidence strength). The engine owns everything else:
running, isolating failures, context (minors, watchlist, records, recency, link
confidence), scoring, grouping and writing.

The SELECT must return one row per finding with at least:

* ``subject`` (VARCHAR, unique per rule): entity id, cohort key, passport number, ...
* ``evidence`` (VARCHAR[]): the mention ids the finding rests on.

and may return these, which override what the engine derives from the evidence:

* ``subject_type`` (VARCHAR): when one rule raises flags on more than one kind of subject.
* ``confidence`` (DOUBLE): the weakest link probability the finding rests on.
* ``minors`` (INTEGER): how many involved people were minors.
* ``n_records`` (INTEGER) and ``last_event`` (DATE): frequency and recency inputs.

Every other column is a metric: it reaches ``assess`` and the flag's ``details``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, TypeVar

from rules.params import Params

#: Kinds of flag subject. ``name`` is a folded person-name key that is not resolved as a
#: person (an informant, guardian or individual sponsor); ``report`` a record key.
SUBJECT_TYPES = ("entity", "cohort", "passport", "address", "name", "report")

#: Columns of a rule's SELECT with a meaning to the engine (everything else is a metric).
RESERVED_COLUMNS = (
    "subject", "evidence", "subject_type", "confidence", "minors", "n_records", "last_event",
)  # fmt: skip

Row = Mapping[str, Any]
P = TypeVar("P", bound=Params)


class Strength:
    """Evidence strength in 0..1 built from a base and named, weighted contributions."""

    def __init__(self, base: float, label: str = "base") -> None:
        self.parts: list[tuple[str, float]] = [(label, float(base))]

    def add(self, weight: float, amount: float | bool | None, label: str) -> Strength:
        """Add ``weight * amount`` (amount 0..1, or a bool) with a label; zero adds nothing.

        An unknown amount (None, e.g. a NULL metric) contributes nothing.
        """
        value = float(weight) * float(amount or 0)
        if value:
            self.parts.append((label, value))
        return self

    @property
    def value(self) -> float:
        """The total, clamped to 0..1."""
        return min(1.0, max(0.0, sum(v for _, v in self.parts)))

    def describe(self) -> str:
        """One sentence listing each contribution, e.g. for the flag's explanation."""
        bits = [f"{self.parts[0][0]} {self.parts[0][1]:.2f}"]
        bits += [f"{'+' if v >= 0 else '-'}{abs(v):.2f} {label}" for label, v in self.parts[1:]]
        total = sum(v for _, v in self.parts)
        capped = f" (capped from {total:.2f})" if total != self.value else ""
        return f"Evidence strength {self.value:.2f}{capped} = {'; '.join(bits)}."

    def as_dict(self) -> dict[str, float]:
        """Contributions by label (for the flag's details)."""
        return {label: round(v, 4) for label, v in self.parts}


@dataclass(frozen=True)
class Finding:
    """What a rule says about one result row: the engine scores and explains the rest."""

    summary: str
    reason: str
    strength: Strength
    details: Mapping[str, Any] = field(default_factory=dict)


class Rule(Generic[P]):
    """Base of every rule; subclasses set the metadata and implement ``sql`` and ``assess``."""

    id: ClassVar[str]
    title: ClassVar[str]
    description: ClassVar[str]
    loophole: ClassVar[str]
    severity: ClassVar[str]
    subject_type: ClassVar[str] = "entity"
    params: P

    def sql(self, p: P) -> str:
        """One SELECT (named CTEs welcome) over the store tables yielding raw findings."""
        raise NotImplementedError

    def assess(self, row: Row, p: P) -> Finding:
        """Summary, reason and evidence strength for one row of :meth:`sql`."""
        raise NotImplementedError


def plural(n: int, one: str, many: str | None = None) -> str:
    """``"1 birth"`` / ``"3 births"``."""
    return f"{n} {one if n == 1 else (many or one + 's')}"
