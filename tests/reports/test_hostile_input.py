"""Hostile values in the input: every CSV of a run neutralises spreadsheet formulas, and the
HTML reports escape markup (the browser test also opens this run's report)."""

from __future__ import annotations

import csv
from pathlib import Path

from resolver.files import FORMULA_PREFIXES


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_every_csv_of_the_run_neutralises_formulas(hostile_run: Path) -> None:
    written = sorted(hostile_run.glob("*.csv"))
    names = {p.name for p in written}
    assert {"entities.csv", "links.csv", "flags.csv", "rejected.csv", "stats.csv",
            "network_entities.csv", "network_links.csv"} <= names  # fmt: skip
    for path in written:
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.reader(handle):
                for cell in row:
                    risky = cell.startswith(FORMULA_PREFIXES) and not _is_number(cell)
                    assert not risky, (path.name, cell)
    for name in ("entities.csv", "network_entities.csv"):
        text = (hostile_run / name).read_text(encoding="utf-8")
        assert "'=HYPERLINK(" in text and "'+SUM(1+1)" in text, name


def test_reports_escape_markup_from_the_input(hostile_run: Path) -> None:
    report = (hostile_run / "report.html").read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=alert(1)&gt;" in report  # shown, as recorded
    assert "<img" not in report
    assert "alert(2)" in report and "<script>alert(2)" not in report
    assert report.count("<script") == 2  # the data element and the page's own script
    stats = (hostile_run / "stats.html").read_text(encoding="utf-8")
    assert "onerror" not in stats and "HYPERLINK" not in stats
