"""A small self-contained SVG chart: end-to-end time and peak memory against size (log-log)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

WIDTH, HEIGHT, PAD = 720, 360, 60


def _scale(values: list[float], low: float, high: float) -> list[float]:
    logs = [math.log10(v) for v in values]
    lo, hi = min(logs), max(logs)
    span = (hi - lo) or 1.0
    return [low + (x - lo) / span * (high - low) for x in logs]


def _series(xs: list[float], values: list[float], colour: str, label: str, y0: float) -> str:
    ys = _scale(values, HEIGHT - PAD, PAD)
    points = " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys, strict=True))
    dots = "".join(
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}">'
        f"<title>{label}: {v:,.1f}</title></circle>"
        f'<text x="{x + 6:.1f}" y="{y - 6:.1f}" font-size="11" fill="{colour}">{v:,.1f}</text>'
        for x, y, v in zip(xs, ys, values, strict=True)
    )
    legend = (
        f'<rect x="{WIDTH - 220}" y="{y0 - 9}" width="12" height="12" fill="{colour}"/>'
        f'<text x="{WIDTH - 202}" y="{y0 + 2}" font-size="12">{label}</text>'
    )
    line = f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>'
    return line + dots + legend


def write_plot(rows: list[dict[str, Any]], path: Path) -> None:
    """Write the chart of ``rows`` (bench rows) to ``path``."""
    sizes = [float(r["mentions"]) for r in rows]
    xs = _scale(sizes, PAD, WIDTH - PAD) if len(sizes) > 1 else [WIDTH / 2]
    ticks = "".join(
        f'<text x="{x:.1f}" y="{HEIGHT - PAD + 20}" font-size="11" text-anchor="middle">'
        f"{int(n):,}</text>"
        for x, n in zip(xs, sizes, strict=True)
    )
    body = _series(
        xs, [float(r["end_to_end_seconds"]) for r in rows], "#1f5fa8", "end to end, seconds", 24
    ) + _series(xs, [r["peak_rss_mb"] / 1024 for r in rows], "#b5462e", "peak RSS, GB", 44)
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'font-family="sans-serif"><rect width="100%" height="100%" fill="white"/>'
        f'<text x="{PAD}" y="24" font-size="14">reglink: time and memory against mentions '
        f"(log-log)</text>"
        f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" '
        f'stroke="#888"/>{ticks}'
        f'<text x="{WIDTH / 2}" y="{HEIGHT - 14}" font-size="12" text-anchor="middle">'
        f"mentions</text>{body}</svg>\n"
    )
    path.write_text(svg, encoding="utf-8")
