"""The benchmark's report writer (the benchmark itself runs on demand, never in tests)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench.plot import write_plot
from bench.run import render


def _row(mentions: int, seconds: float, rss_mb: float) -> dict[str, Any]:
    timed = {"seconds": seconds, "max_rss_mb": rss_mb}
    return {
        "mentions": mentions,
        "entities": mentions // 2,
        "candidate_pairs": mentions * 3,
        "synth": timed,
        "resolve": timed,
        "flag": {"seconds": 1.0, "max_rss_mb": 100.0},
        "report": {"seconds": 1.0, "max_rss_mb": 100.0},
        "graph": {"seconds": 1.0, "max_rss_mb": 100.0},
        "stats": {"seconds": 1.0, "max_rss_mb": 100.0},
        "stages": dict.fromkeys(
            ("ingest", "standardise", "train", "predict", "cluster", "write"), 1.0
        ),
        "accuracy": {"pairwise_f1": 0.99, "bcubed_f1": 0.995},
        "flags": {"planted_found": 34, "planted_total": 34, "decoys_flagged": 0},
        "end_to_end_seconds": seconds + 4,
        "peak_rss_mb": rss_mb,
    }


def test_performance_doc_reports_each_size_and_the_growth_exponent(tmp_path: Path) -> None:
    rows = [_row(100_000, 60.0, 1600.0), _row(1_000_000, 600.0, 6000.0)]
    text = render(rows, "test machine", "now")
    assert "| 1,000,000 | 500,000 | 3,000,000 | 600.0 |" in text
    # (604 / 64) over a tenfold size: n^0.97
    assert "end-to-end time grows as n^0.97" in text
    assert "candidate pairs as n^1.00" in text
    write_plot(rows, tmp_path / "p.svg")
    svg = (tmp_path / "p.svg").read_text()
    assert svg.count("<polyline") == 2 and "1,000,000" in svg


def test_prediction_never_extrapolates_below_linear_growth() -> None:
    rows = [_row(100_000, 60.0, 1600.0), _row(1_000_000, 600.0, 6000.0)]
    text = render(rows, "test machine", "now")
    # time grew as n^0.97 and memory as n^0.57: both are taken as linear beyond 1M
    assert "time grows as n^1.00, memory as n^1.00" in text
    assert "| 10,000,000 | ~30,000,000 | ~100 min | ~59 |" in text
    assert "| 100,000,000 | ~300,000,000 | ~16.8 h | ~590 |" in text


def test_prediction_follows_faster_than_linear_growth() -> None:
    rows = [_row(100_000, 10.0, 100.0), _row(1_000_000, 1000.0, 1024.0)]
    rows[1]["candidate_pairs"] = 100_000 * 3 * 100  # pairs grew as n^2
    text = render(rows, "test machine", "now")
    assert "candidate pairs as n^2.00" in text
    assert "| 10,000,000 | ~3,000,000,000 |" in text
