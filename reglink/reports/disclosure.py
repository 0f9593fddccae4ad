"""Statistical disclosure control for published count tables.

A table is a grid of counts with its margins (row totals, column totals, the grand total).
The policy applies three steps, in order:

1. **Primary suppression**: a count from 1 to ``threshold - 1`` is suppressed (zeros are
   published: an empty cell reveals nobody).
2. **Secondary suppression**: further cells are suppressed until no suppressed cell can be
   worked out from the published cells and totals. Two tests: exact linear algebra (a
   suppressed cell is derivable when its unit vector lies in the row space of the table's
   additivity constraints restricted to the suppressed cells: it then equals a fixed
   combination of published numbers), then, because counts are never negative, a linear
   programme for each remaining cell: its smallest and largest values consistent with
   every published number must differ (suppressed zeros in a line whose hidden part sums
   to nothing would otherwise pin their neighbours). Cells are added cheapest first: inner
   cells before totals, non-zero cells before zeros, small counts before large ones.
3. **Rounding**: every published count is rounded to the nearest ``rounding_base``; a
   non-zero count never rounds below the threshold. Totals are rounded from their true
   values, so a row may not add up exactly.

Suppressed cells carry no value and one status, whether suppressed by rule 1 or 2, so a
reader cannot tell which cells were small.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.optimize import linprog

from resolver.errors import ConfigError

TOTAL = "Total"


@dataclass(frozen=True)
class DisclosurePolicy:
    """How counts are protected before publication."""

    enabled: bool = True
    #: counts from 1 to threshold - 1 are suppressed
    threshold: int = 10
    #: published counts are rounded to the nearest multiple of this (1: no rounding)
    rounding_base: int = 5
    #: suppress further cells so that no suppressed cell can be derived from totals
    secondary: bool = True

    def __post_init__(self) -> None:
        if self.threshold < 1:
            raise ConfigError(f"disclosure threshold must be at least 1, got {self.threshold}")
        if self.rounding_base < 1:
            raise ConfigError(f"rounding base must be at least 1, got {self.rounding_base}")

    def rules(self) -> list[str]:
        """The rules applied, in words, for the published page."""
        if not self.enabled:
            return [
                "Disclosure control is OFF: counts are exact and small counts are shown. "
                "These figures are not fit for publication."
            ]
        rules = [
            f"Counts from 1 to {self.threshold - 1} are suppressed and shown as 'c'; "
            "zeros are shown as 0."
            if self.threshold > 1
            else "No count is suppressed for being small (threshold 1)."
        ]
        if self.secondary:
            rules.append(
                "Secondary suppression: further cells are suppressed (also shown as 'c') so "
                "that no suppressed cell can be worked out from the row, column or grand "
                "totals by subtraction or any other combination of published figures."
            )
        else:
            rules.append("Secondary suppression is off: totals are published as they are.")
        if self.rounding_base > 1:
            rules.append(
                f"Every other count is rounded to the nearest {self.rounding_base}"
                + (
                    f" (a non-zero count is never shown below {self.threshold})"
                    if self.threshold > 1
                    else ""
                )
                + "; totals are rounded from the exact totals, so rows and columns may not "
                "add up exactly."
            )
        rules.append(
            "No names, identifiers, dates of birth, addresses or postcodes appear in these "
            "figures; dates are reduced to periods."
        )
        return rules

    def as_dict(self) -> dict[str, Any]:
        """The policy's settings."""
        return {
            "enabled": self.enabled,
            "threshold": self.threshold,
            "rounding_base": self.rounding_base,
            "secondary": self.secondary,
        }


def policy_from_mapping(section: Mapping[str, Any], **overrides: Any) -> DisclosurePolicy:
    """A policy from a ``[stats.disclosure]``-style mapping, then non-None overrides."""
    known = {"enabled", "threshold", "rounding_base", "secondary"}
    values = dict(section)
    values.update({k: v for k, v in overrides.items() if v is not None})
    unknown = sorted(set(values) - known)
    if unknown:
        raise ConfigError(
            f"unknown disclosure setting(s): {', '.join(unknown)}; "
            f"known: {', '.join(sorted(known))}"
        )
    try:
        return DisclosurePolicy(
            enabled=bool(values.get("enabled", True)),
            threshold=int(values.get("threshold", 10)),
            rounding_base=int(values.get("rounding_base", 5)),
            secondary=bool(values.get("secondary", True)),
        )
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"bad disclosure setting: {exc}") from exc


@dataclass(frozen=True)
class CountTable:
    """Counts by row (and optionally by column) before protection.

    A one-way table has ``columns == ()`` and ``counts`` as one value per row; it is
    published with a grand total. A two-way table has ``counts[i][j]`` for row i, column j,
    and is published with row totals, column totals and the grand total.
    """

    id: str
    title: str
    unit: str
    row_dimension: str
    rows: tuple[str, ...]
    counts: tuple[Any, ...]
    column_dimension: str = ""
    columns: tuple[str, ...] = ()
    description: str = ""
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if len(self.counts) != len(self.rows):
            raise ValueError(f"{self.id}: {len(self.counts)} count rows for {len(self.rows)} rows")
        if self.columns:
            for row in self.counts:
                if len(row) != len(self.columns):
                    raise ValueError(f"{self.id}: a row has the wrong number of columns")

    @property
    def two_way(self) -> bool:
        """Whether the table has columns as well as rows."""
        return bool(self.columns)


@dataclass(frozen=True)
class Cell:
    """One published cell: ``value`` is None when suppressed."""

    row: str
    column: str
    value: int | None
    is_total: bool

    @property
    def suppressed(self) -> bool:
        """Whether the cell's value is withheld."""
        return self.value is None


@dataclass(frozen=True)
class ProtectedTable:
    """A table after disclosure control, with every cell including the margins."""

    table: CountTable
    cells: tuple[Cell, ...]
    policy: DisclosurePolicy = field(default_factory=DisclosurePolicy)

    def value(self, row: str, column: str = "") -> int | None:
        """The published value of a cell (None when suppressed)."""
        for cell in self.cells:
            if cell.row == row and cell.column == column:
                return cell.value
        raise KeyError((row, column))

    @property
    def suppressed_count(self) -> int:
        """How many cells are withheld."""
        return sum(cell.suppressed for cell in self.cells)


def grid(
    table: CountTable,
) -> tuple[list[tuple[str, str, bool]], list[int], list[list[tuple[int, int]]]]:
    """The table's cells with margins, their exact values and its additivity constraints.

    Returns (cells as (row, column, is_total), values, lines); each line is a list of
    (cell index, sign) whose signed values sum to zero.
    """
    cells: list[tuple[str, str, bool]] = []
    values: list[int] = []
    index: dict[tuple[str, str], int] = {}

    def add(row: str, column: str, value: int, is_total: bool) -> None:
        index[(row, column)] = len(cells)
        cells.append((row, column, is_total))
        values.append(int(value))

    lines: list[list[tuple[int, int]]] = []
    if not table.two_way:
        for row, count in zip(table.rows, table.counts, strict=True):
            add(row, "", int(count), False)
        add(TOTAL, "", sum(int(c) for c in table.counts), True)
        lines.append([(index[(r, "")], 1) for r in table.rows] + [(index[(TOTAL, "")], -1)])
        return cells, values, lines
    matrix = [[int(v) for v in row] for row in table.counts]
    for i, row in enumerate(table.rows):
        for j, column in enumerate(table.columns):
            add(row, column, matrix[i][j], False)
        add(row, TOTAL, sum(matrix[i]), True)
    for j, column in enumerate(table.columns):
        add(TOTAL, column, sum(matrix[i][j] for i in range(len(table.rows))), True)
    add(TOTAL, TOTAL, sum(sum(r) for r in matrix), True)
    for row in (*table.rows, TOTAL):
        lines.append([(index[(row, c)], 1) for c in table.columns] + [(index[(row, TOTAL)], -1)])
    for column in (*table.columns, TOTAL):
        lines.append([(index[(r, column)], 1) for r in table.rows] + [(index[(TOTAL, column)], -1)])
    return cells, values, lines


def constraint_matrix(n_cells: int, lines: Sequence[Sequence[tuple[int, int]]]) -> np.ndarray:
    """One row per additivity constraint, one column per cell."""
    matrix = np.zeros((len(lines), n_cells))
    for i, line in enumerate(lines):
        for k, sign in line:
            matrix[i, k] = sign
    return matrix


def derivable(matrix: np.ndarray, suppressed: Sequence[int]) -> list[int]:
    """Suppressed cells whose exact value follows from the published cells.

    With the published cells known, the constraints on the suppressed cells are
    ``A_s x_s = b``; cell k is fixed exactly when every solution agrees on it, that is when
    the null space of ``A_s`` has no component along k.
    """
    hidden = sorted(suppressed)
    if not hidden:
        return []
    sub = matrix[:, hidden]
    if not sub.any():
        return []
    _, singular, vt = np.linalg.svd(sub)
    rank = int((singular > 1e-9).sum())
    null = vt[rank:]  # rows span the null space of sub
    if null.shape[0] == 0:
        return hidden
    return [k for pos, k in enumerate(hidden) if np.abs(null[:, pos]).max() < 1e-9]


def pinned(
    matrix: np.ndarray,
    values: Sequence[int],
    suppressed: Sequence[int],
    only: Sequence[int] | None = None,
) -> list[int]:
    """Suppressed cells (of ``only``, default all) an attacker can work out exactly.

    Those :func:`derivable` by linear algebra, and those that non-negativity pins: the least
    and greatest value a cell can take with every additivity constraint holding on the
    published values and no count below zero (a linear programme on the exact values; the
    published ones are rounded, which only widens what an attacker can say).
    """
    hidden = sorted(suppressed)
    asked = hidden if only is None else sorted(set(only) & set(hidden))
    exact = set(derivable(matrix, hidden))
    fixed = [k for k in asked if k in exact]
    rest = [k for k in asked if k not in exact]
    if not rest:
        return fixed
    hidden_set = set(hidden)
    shown = [k for k in range(matrix.shape[1]) if k not in hidden_set]
    known = matrix[:, shown] @ np.asarray([values[k] for k in shown], dtype=float)
    sub = matrix[:, hidden]
    used = np.abs(sub).sum(axis=1) > 0
    a_eq, b_eq = sub[used], -known[used]
    for k in rest:
        objective = np.zeros(len(hidden))
        objective[hidden.index(k)] = 1.0
        low = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        if low.status != 0:  # the true values are feasible: anything else is a solver failure
            fixed.append(k)  # fail closed
            continue
        if low.fun < values[k] - 0.5:  # the true value is feasible too: two values at least
            continue
        high = linprog(-objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        if high.status == 3:  # unbounded above
            continue
        if high.status != 0 or -high.fun - low.fun < 0.5:
            fixed.append(k)
    return sorted(fixed)


def protect(table: CountTable, policy: DisclosurePolicy) -> ProtectedTable:
    """Apply the policy to a table: suppress, then round."""
    cells, values, lines = grid(table)
    if not policy.enabled:
        published = tuple(
            Cell(row, column, value, is_total)
            for (row, column, is_total), value in zip(cells, values, strict=True)
        )
        return ProtectedTable(table, published, policy)
    suppressed = {k for k, v in enumerate(values) if 0 < v < policy.threshold}
    if policy.secondary and suppressed:
        matrix = constraint_matrix(len(cells), lines)
        suppressed = _secondary(matrix, cells, values, lines, suppressed)
    published = tuple(
        Cell(row, column, None if k in suppressed else _round(values[k], policy), is_total)
        for k, (row, column, is_total) in enumerate(cells)
    )
    return ProtectedTable(table, published, policy)


def _secondary(
    matrix: np.ndarray,
    cells: Sequence[tuple[str, str, bool]],
    values: Sequence[int],
    lines: Sequence[Sequence[tuple[int, int]]],
    suppressed: set[int],
) -> set[int]:
    """Grow ``suppressed`` until no suppressed cell is pinned.

    For each pinned cell, the cheapest single cell that frees it; failing that, in a
    two-way table, the cheapest rectangle of cells through it (a rectangle lets counts move
    by the same amount round its corners, so it protects whenever the corners that would
    have to fall are non-zero); failing that, whatever cell frees the most others.
    """
    hidden = set(suppressed)
    lines_of: dict[int, set[int]] = {}
    for i, line in enumerate(lines):
        for k, _ in line:
            lines_of.setdefault(k, set()).add(i)

    def cost(k: int, target: int) -> tuple[int, int, int, int, int]:
        shares_line = bool(lines_of.get(k, set()) & lines_of.get(target, set()))
        return (0 if shares_line else 1, int(cells[k][2]), int(values[k] == 0), values[k], k)

    def frees(target: int, extra: set[int]) -> bool:
        return not pinned(matrix, values, sorted(hidden | extra), only=[target])

    # Suppressing more cells only widens what an attacker can say of each, so a cell once
    # shown free stays free and need not be checked again.
    free: set[int] = set()
    while True:
        unsure = sorted(hidden - free)
        exposed = pinned(matrix, values, sorted(hidden), only=unsure)
        free |= set(unsure) - set(exposed)
        if not exposed:
            return hidden
        target = exposed[0]
        candidates = sorted(
            (k for k in range(len(cells)) if k not in hidden), key=lambda k: cost(k, target)
        )
        if not candidates:  # everything is suppressed: nothing is derivable any more
            return hidden
        single = next((k for k in candidates if frees(target, {k})), None)
        if single is not None:
            hidden.add(single)
            continue
        rectangle = next(
            (extra for extra in _rectangles(cells, values, hidden, target) if frees(target, extra)),
            None,
        )
        if rectangle is not None:
            hidden |= rectangle
            continue
        before = len(exposed)
        hidden.add(
            next(
                (
                    k
                    for k in candidates
                    if len(pinned(matrix, values, sorted(hidden | {k}))) < before
                ),
                candidates[0],
            )
        )


def _rectangles(
    cells: Sequence[tuple[str, str, bool]],
    values: Sequence[int],
    hidden: set[int],
    target: int,
) -> list[set[int]]:
    """The cells each rectangle through ``target`` would add, cheapest first.

    Rows and columns include the margins; cheaper means fewer new cells, then fewer totals,
    then fewer zeros, then the smallest counts.
    """
    index = {(row, column): k for k, (row, column, _) in enumerate(cells)}
    rows = list(dict.fromkeys(row for row, _, _ in cells))
    columns = list(dict.fromkeys(column for _, column, _ in cells))
    if len(columns) < 2:
        return []
    row_t, column_t, _ = cells[target]
    found: list[tuple[tuple[int, int, int, int], set[int]]] = []
    for row in rows:
        for column in columns:
            if row == row_t or column == column_t:
                continue
            corners = {index[(row_t, column)], index[(row, column_t)], index[(row, column)]}
            extra = corners - hidden
            if not extra:
                continue
            key = (
                len(extra),
                sum(cells[k][2] for k in extra),
                sum(values[k] == 0 for k in extra),
                sum(values[k] for k in extra),
            )
            found.append((key, extra))
    found.sort(key=lambda item: (item[0], sorted(item[1])))
    return [extra for _, extra in found]


def _round(value: int, policy: DisclosurePolicy) -> int:
    base = policy.rounding_base
    rounded = base * math.floor(value / base + 0.5)
    if value > 0 and rounded < policy.threshold:
        rounded = base * math.ceil(policy.threshold / base)
    return int(rounded)
