"""stats.csv and stats.html of the demo run: disclosure control holds and nothing identifies
anyone."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linprog
from typer.testing import CliRunner

from reglink.cli import app
from reglink.reports.disclosure import TOTAL, CountTable, DisclosurePolicy
from reglink.reports.policy_stats import StatsOptions, compute_sections, period_rows
from resolver.store import open_store

THRESHOLD = DisclosurePolicy().threshold


def read_stats(run: Path) -> pd.DataFrame:
    return pd.read_csv(run / "stats.csv", dtype={"value": "Int64"}, keep_default_na=False,
                       na_values={"value": [""]})  # fmt: skip


def exact_tables(run: Path) -> dict[str, CountTable]:
    with open_store(run) as con:
        sections = compute_sections(con, StatsOptions())
    return {t.id: t for s in sections for t in s.tables}


def lines_of(table: CountTable) -> list[list[tuple[str, str]]]:
    """Each additivity constraint as the (row, column) cells it ties (total last)."""
    if not table.two_way:
        return [[(r, "") for r in table.rows] + [(TOTAL, "")]]
    rows, columns = (*table.rows, TOTAL), (*table.columns, TOTAL)
    return [[(r, c) for c in columns] for r in rows] + [[(r, c) for r in rows] for c in columns]


def exact_value(table: CountTable, row: str, column: str) -> int:
    def cell(i: int, j: int) -> int:
        return int(table.counts[i][j]) if table.two_way else int(table.counts[i])

    n_rows = len(table.rows)
    n_cols = len(table.columns) if table.two_way else 1
    rows = range(n_rows) if row == TOTAL else [table.rows.index(row)]
    cols = (
        range(n_cols)
        if column in (TOTAL, "") and not (table.two_way and column != TOTAL)
        else [table.columns.index(column)]
    )
    return sum(cell(i, j) for i in rows for j in cols)


def test_no_published_count_is_between_one_and_the_threshold(demo_run: Path) -> None:
    stats = read_stats(demo_run)
    assert len(stats) > 100 and set(stats["status"]) == {"published", "suppressed"}
    published = stats[stats["status"] == "published"]["value"].astype(int)
    assert not published.between(1, THRESHOLD - 1).any()
    assert (published % 5 == 0).all()  # rounded to the nearest 5
    assert stats[stats["status"] == "suppressed"]["value"].isna().all()


def test_suppressed_cells_cannot_be_recomputed_from_totals(demo_run: Path) -> None:
    stats = read_stats(demo_run)
    exact = exact_tables(demo_run)
    assert set(stats["table"]) == set(exact)
    checked = 0
    for table_id, rows in stats.groupby("table"):
        table = exact[table_id]
        hidden = {(r, c) for r, c, s in zip(rows["row"], rows["column"], rows["status"],
                  strict=True) if s == "suppressed"}  # fmt: skip
        # subtraction: no row or column (with its total) has exactly one suppressed cell
        for line in lines_of(table):
            assert sum(cell in hidden for cell in line) != 1, (table_id, line)
        # any combination: the attacker's tightest bounds from the exact published values
        cells = sorted({cell for line in lines_of(table) for cell in line})
        unknown = [c for c in cells if c in hidden]
        if not unknown:
            continue
        a = np.zeros((len(lines_of(table)), len(unknown)))
        b = np.zeros(len(lines_of(table)))
        for i, line in enumerate(lines_of(table)):
            for k, cell in enumerate(line):
                sign = -1 if k == len(line) - 1 else 1
                if cell in hidden:
                    a[i, unknown.index(cell)] = sign
                else:
                    b[i] -= sign * exact_value(table, *cell)
        for pos, cell in enumerate(unknown):
            c = np.zeros(len(unknown))
            c[pos] = 1
            low = linprog(c, A_eq=a, b_eq=b, bounds=(0, None), method="highs")
            high = linprog(-c, A_eq=a, b_eq=b, bounds=(0, None), method="highs")
            assert low.status == 0
            assert high.status == 3 or -high.fun - low.fun > 0.5, (table_id, cell)
            checked += 1
    assert checked > 20


def identifiers(data: Path) -> tuple[set[str], set[str]]:
    """Identifying values of every input row: (exact cell values, full names).

    A value that is also an area the figures are published by (a district, local authority
    or force: the synthetic noise sometimes puts a district in a surname field) is left out.
    """
    values: set[str] = set()
    names: set[str] = set()
    areas: set[str] = set()
    id_like = re.compile(
        r"(_id|_urn|passport_number|dob|postcode|address|forenames|surname|informant_name"
        r"|guardian_name)$"
    )
    area_columns = ("registration_district", "local_authority", "reporting_force")
    for path in sorted(data.glob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                for column, value in row.items():
                    if value and id_like.search(column):
                        values.add(value.strip())
                    if value and column in area_columns:
                        areas.add(value.strip())
                for prefix in ("", "child_", "mother_", "father_", "applicant_", "pupil_"):
                    first, last = row.get(f"{prefix}forenames"), row.get(f"{prefix}surname")
                    if first and last:
                        names.add(f"{first} {last}")
    return values - areas, names


def test_no_identifier_of_any_input_row_appears_in_the_stats(demo_out: Path) -> None:
    run = demo_out / "run"
    values, names = identifiers(demo_out / "data")
    with open_store(run) as con:
        values |= {e for (e,) in con.execute("SELECT DISTINCT entity_id FROM entities").fetchall()}
        values |= {m for (m,) in con.execute("SELECT mention_id FROM mentions").fetchall()}
    cells = {str(v) for v in read_stats(run).astype(str).to_numpy().ravel()}
    assert not cells & values
    for name in ("stats.csv", "stats.html"):
        text = (run / name).read_text(encoding="utf-8")
        tokens = set(re.findall(r"[A-Za-z0-9:_-]+", text))
        long_ids = {v for v in values if re.fullmatch(r"[A-Za-z0-9:_-]+", v) and len(v) >= 6}
        assert not tokens & long_ids, sorted(tokens & long_ids)[:5]
        assert not [n for n in names if n in text][:5]
        assert not re.search(r"\d{4}-\d{2}-\d{2}", text), "a full date in the stats"
        assert not re.search(r"\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b", text), "a postcode"


def test_stats_page_states_the_rules_and_shows_the_figures(demo_run: Path) -> None:
    page = (demo_run / "stats.html").read_text(encoding="utf-8")
    for text in ("Disclosure control applied", "Counts from 1 to 9 are suppressed",
                 "Secondary suppression", "nearest 5", "no responsible force",
                 "One man named as father", "Flags by rule over time", "<svg"):  # fmt: skip
        assert text in page, text
    assert "http://" not in page.replace("http://www.w3.org/2000/svg", "")


def test_options_change_the_policy_and_unprotected_counts_are_exact(demo_run: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["stats", str(demo_run), "--no-disclosure-control", "--period",
                                 "year"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "not fit for publication" in result.output
    stats = read_stats(demo_run)
    births = stats[(stats["table"] == "records_analysed") & (stats["row"] == "birth registrations")]
    with open_store(demo_run) as con:
        exact = con.execute("SELECT count(*) FROM records_births").fetchone()
    assert int(births["value"].iloc[0]) == exact[0]  # type: ignore[index]
    years = stats[stats["table"] == "prolific_father_births_by_period"]["row"]
    assert all(re.fullmatch(r"\d{4}|Total", y) for y in years)
    assert "OFF" in (demo_run / "stats.html").read_text(encoding="utf-8")
    result = runner.invoke(app, ["stats", str(demo_run), "--period", "month"])
    assert result.exit_code == 1 and "period must be one of" in result.output
    # back to the defaults for the other tests of this run
    assert runner.invoke(app, ["stats", str(demo_run)]).exit_code == 0


def test_periods_are_filled_between_the_first_and_last() -> None:
    assert period_rows(["2023 Q4", "2024 Q2", None], "quarter") == [
        "2023 Q4",
        "2024 Q1",
        "2024 Q2",
        "not recorded",
    ]
    assert period_rows(["2021", "2019"], "year") == ["2019", "2020", "2021"]
    with pytest.raises(ValueError, match="not a quarter"):
        period_rows(["2024-01"], "quarter")
