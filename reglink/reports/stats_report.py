"""``reglink stats``: stats.csv and stats.html, the policy figures after disclosure control."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from reglink import __version__
from resolver.files import atomic_path, write_csv
from resolver.store import open_store

from . import charts
from .disclosure import TOTAL, DisclosurePolicy, ProtectedTable, protect
from .policy_stats import Chart, Section, StatsOptions, compute_sections
from .render import CSP, render

CSV_COLUMNS = (
    "section", "table", "title", "unit", "row_dimension", "row", "column_dimension", "column",
    "value", "status",
)  # fmt: skip


@dataclass(frozen=True)
class ProtectedSection:
    """A section with its tables after disclosure control."""

    section: Section
    tables: tuple[ProtectedTable, ...]

    def table(self, table_id: str) -> ProtectedTable:
        """One of the section's tables, by id."""
        return next(t for t in self.tables if t.table.id == table_id)


def protect_sections(sections: list[Section], policy: DisclosurePolicy) -> list[ProtectedSection]:
    """Apply the policy to every table."""
    return [ProtectedSection(s, tuple(protect(t, policy) for t in s.tables)) for s in sections]


def csv_frame(sections: list[ProtectedSection]) -> pd.DataFrame:
    """One row per published cell (margins included); suppressed cells have no value."""
    rows: list[dict[str, Any]] = []
    for item in sections:
        for protected in item.tables:
            t = protected.table
            for cell in protected.cells:
                rows.append(
                    {
                        "section": item.section.id,
                        "table": t.id,
                        "title": t.title,
                        "unit": t.unit,
                        "row_dimension": t.row_dimension,
                        "row": cell.row,
                        "column_dimension": t.column_dimension,
                        "column": cell.column,
                        "value": cell.value,
                        "status": "suppressed" if cell.suppressed else "published",
                    }
                )
    frame = pd.DataFrame(rows, columns=list(CSV_COLUMNS))
    frame["value"] = frame["value"].astype("Int64")
    return frame


def chart_svg(item: ProtectedSection, chart: Chart) -> Any:
    """The SVG of one chart: a table's row totals (or column totals) as bars."""
    protected = item.table(chart.table_id)
    t = protected.table
    if chart.along == "rows":
        column = TOTAL if t.two_way else ""
        bars = [(r, protected.value(r, column)) for r in t.rows]
    else:
        bars = [(c, protected.value(TOTAL, c)) for c in t.columns]
    if chart.kind == "columns":
        return charts.column_chart(bars, chart.title)
    return charts.bar_chart(bars, chart.title)


def _total(item: ProtectedSection, chart: Chart) -> int | None:
    protected = item.table(chart.table_id)
    return protected.value(TOTAL, TOTAL if protected.table.two_way else "")


def _table_view(protected: ProtectedTable) -> dict[str, Any]:
    t = protected.table
    columns = [*t.columns, TOTAL] if t.two_way else [""]
    rows = [
        {
            "label": row,
            "total": row == TOTAL,
            "cells": [protected.value(row, c) for c in columns],
        }
        for row in (*t.rows, TOTAL)
    ]
    return {
        "id": t.id,
        "title": t.title,
        "unit": t.unit,
        "row_dimension": t.row_dimension,
        "column_dimension": t.column_dimension,
        "columns": columns if t.two_way else [t.unit],
        "rows": rows,
        "suppressed": protected.suppressed_count,
        "cells": len(protected.cells),
    }


def render_stats(
    sections: list[ProtectedSection], policy: DisclosurePolicy, options: StatsOptions
) -> str:
    """The stats.html page."""
    views = [
        {
            "id": item.section.id,
            "title": item.section.title,
            "definition": item.section.definition,
            "notes": item.section.notes,
            "charts": [
                {"title": c.title, "svg": chart_svg(item, c), "total": _total(item, c)}
                for c in item.section.charts
            ],
            "tables": [_table_view(p) for p in item.tables],
        }
        for item in sections
    ]
    return render(
        "stats.html",
        csp=CSP,
        version=__version__,
        policy=policy,
        options=options,
        sections=views,
    )


def write_stats(
    run_dir: Path,
    policy: DisclosurePolicy | None = None,
    options: StatsOptions | None = None,
) -> dict[str, Path]:
    """Compute the figures from the run's store and write stats.csv and stats.html."""
    policy = policy or DisclosurePolicy()
    options = options or StatsOptions()
    with open_store(run_dir) as con:
        sections = protect_sections(compute_sections(con, options), policy)
    paths = {"csv": run_dir / "stats.csv", "html": run_dir / "stats.html"}
    write_csv(csv_frame(sections), paths["csv"])
    page = render_stats(sections, policy, options)
    with atomic_path(paths["html"]) as temporary:
        temporary.write_text(page, encoding="utf-8")
    return paths
