"""Disclosure control on small hand-made tables: primary and secondary suppression, rounding,
and that no suppressed cell can be worked out from the published cells and totals."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.optimize import linprog

from reglink.reports.disclosure import (
    TOTAL,
    CountTable,
    DisclosurePolicy,
    ProtectedTable,
    grid,
    policy_from_mapping,
    protect,
)
from resolver.errors import ConfigError

POLICY = DisclosurePolicy()


def one_way(counts: list[int]) -> CountTable:
    rows = tuple(f"r{i}" for i in range(len(counts)))
    return CountTable("t", "t", "people", "row", rows, tuple(counts))


def two_way(counts: list[list[int]]) -> CountTable:
    rows = tuple(f"r{i}" for i in range(len(counts)))
    columns = tuple(f"c{j}" for j in range(len(counts[0])))
    return CountTable(
        "t", "t", "people", "row", rows, tuple(tuple(r) for r in counts), "column", columns
    )


def exposed_by_a_line(protected: ProtectedTable) -> list[tuple[str, str]]:
    """Suppressed cells alone in a row or column (with its total): recoverable by subtraction."""
    cells, _, lines = grid(protected.table)
    hidden = {k for k, (row, column, _) in enumerate(cells) if protected.value(row, column) is None}
    return [
        cells[k][:2]
        for line in lines
        for k in [m for m, _ in line if m in hidden]
        if len([m for m, _ in line if m in hidden]) == 1
    ]


def bounds(protected: ProtectedTable) -> dict[tuple[str, str], tuple[float, float]]:
    """The tightest range an attacker can give each suppressed cell from the exact published
    values (every additivity constraint, counts never negative): a linear programme."""
    cells, values, lines = grid(protected.table)
    hidden = [k for k, (row, column, _) in enumerate(cells) if protected.value(row, column) is None]
    if not hidden:
        return {}
    a = np.zeros((len(lines), len(hidden)))
    b = np.zeros(len(lines))
    for i, line in enumerate(lines):
        for k, sign in line:
            if k in hidden:
                a[i, hidden.index(k)] = sign
            else:
                b[i] -= sign * values[k]
    out = {}
    for pos, k in enumerate(hidden):
        c = np.zeros(len(hidden))
        c[pos] = 1
        low = linprog(c, A_eq=a, b_eq=b, bounds=(0, None), method="highs")
        high = linprog(-c, A_eq=a, b_eq=b, bounds=(0, None), method="highs")
        assert low.status == 0
        upper = float("inf") if high.status == 3 else -high.fun
        out[cells[k][:2]] = (low.fun, upper)
    return out


def test_small_counts_are_suppressed_and_zeros_published() -> None:
    protected = protect(one_way([0, 3, 40, 25, 12]), POLICY)
    assert protected.value("r0") == 0
    assert protected.value("r1") is None
    assert protected.value("r2") == 40 and protected.value("r3") == 25


def test_a_lone_suppressed_cell_gets_a_partner_so_the_total_cannot_reveal_it() -> None:
    protected = protect(one_way([3, 40, 25, 12]), POLICY)
    assert protected.value(TOTAL) == 80
    assert protected.value("r0") is None
    # the smallest other cell is suppressed too, not the total
    assert protected.value("r3") is None
    assert protected.value("r1") == 40
    assert exposed_by_a_line(protected) == []
    low, high = bounds(protected)[("r0", "")]
    assert high - low >= 1


def test_two_way_table_suppression_forms_cycles() -> None:
    table = two_way([[3, 20, 30], [15, 25, 40], [12, 22, 2]])
    protected = protect(table, POLICY)
    hidden = {(c.row, c.column) for c in protected.cells if c.suppressed}
    assert {("r0", "c0"), ("r2", "c2")} <= hidden
    assert exposed_by_a_line(protected) == []
    for cell, (low, high) in bounds(protected).items():
        assert high - low >= 1, cell
    assert protected.value(TOTAL, TOTAL) == 170


def test_zeros_in_an_empty_column_do_not_protect_a_small_count() -> None:
    # the 1 at (r1, c3): a rectangle through column c0 (all zeros, total 0) would leave it
    # recoverable, because counts are never negative; the rectangle must use non-zero cells.
    protected = protect(two_way([[0, 0, 0, 10], [0, 0, 10, 1]]), POLICY)
    hidden = {(c.row, c.column) for c in protected.cells if c.suppressed}
    assert hidden == {("r0", "c2"), ("r0", "c3"), ("r1", "c2"), ("r1", "c3")}
    low, high = bounds(protected)[("r1", "c3")]
    assert (low, high) == (1, 11)


def test_a_suppressed_total_is_protected_like_any_cell() -> None:
    # the column's total (7) is small: published grand total and the other column's total
    # would give it away, so one more total goes.
    table = two_way([[4, 30], [3, 40]])
    protected = protect(table, POLICY)
    assert protected.value(TOTAL, "c0") is None
    assert protected.value(TOTAL, "c1") is None or protected.value(TOTAL, TOTAL) is None
    for cell, (low, high) in bounds(protected).items():
        assert high - low >= 1, cell


def test_rounding_to_the_base_never_shows_a_small_count() -> None:
    protected = protect(one_way([11, 12, 13, 17, 23, 0]), POLICY)
    assert [protected.value(f"r{i}") for i in range(6)] == [10, 10, 15, 15, 25, 0]
    assert protected.value(TOTAL) == 75  # 76 rounded; not the sum of the rounded cells
    odd = protect(one_way([7, 8, 30]), DisclosurePolicy(threshold=7, rounding_base=5))
    assert odd.value("r0") == 10 and odd.value("r1") == 10  # 7 would round to 5 < threshold


def test_policy_off_publishes_exact_counts() -> None:
    protected = protect(one_way([1, 2, 3]), DisclosurePolicy(enabled=False))
    assert [c.value for c in protected.cells] == [1, 2, 3, 6]
    assert "OFF" in DisclosurePolicy(enabled=False).rules()[0]


def test_secondary_suppression_can_be_turned_off() -> None:
    protected = protect(one_way([3, 40, 25, 12]), DisclosurePolicy(secondary=False))
    assert protected.suppressed_count == 1


def test_policy_from_config_and_its_errors() -> None:
    policy = policy_from_mapping({"threshold": 5}, rounding_base=3)
    assert (policy.threshold, policy.rounding_base, policy.secondary) == (5, 3, True)
    with pytest.raises(ConfigError, match="unknown disclosure setting"):
        policy_from_mapping({"treshold": 5})
    with pytest.raises(ConfigError, match="at least 1"):
        DisclosurePolicy(threshold=0)
    assert any("nearest 5" in rule for rule in POLICY.rules())


counts = st.integers(min_value=0, max_value=40)


@given(
    st.lists(st.lists(counts, min_size=2, max_size=4), min_size=2, max_size=4).filter(
        lambda rows: len({len(r) for r in rows}) == 1
    )
)
def test_no_suppressed_cell_is_ever_recoverable(rows: list[list[int]]) -> None:
    protected = protect(two_way(rows), POLICY)
    for cell in protected.cells:
        assert cell.value is None or cell.value == 0 or cell.value >= POLICY.threshold
    assert exposed_by_a_line(protected) == []
    for cell, (low, high) in bounds(protected).items():
        assert high - low > 0.5, (rows, cell, low, high)


@given(st.lists(counts, min_size=1, max_size=8))
def test_one_way_tables_are_protected_too(values: list[int]) -> None:
    protected = protect(one_way(values), POLICY)
    assert exposed_by_a_line(protected) == []
    for cell, (low, high) in bounds(protected).items():
        assert high - low > 0.5, (values, cell)
