"""A small self-contained SVG chart: end-to-end time and peak memory against size.

Two panels side by side, each on log-log axes with labelled ticks, so that a straight line
of slope 1 is linear growth.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

PANEL_W, PANEL_H, LEFT, RIGHT, TOP, BOTTOM = 360, 320, 64, 16, 40, 56


def _log_range(values: list[float]) -> tuple[float, float]:
    lo, hi = math.log10(min(values)), math.log10(max(values))
    if hi - lo < 1e-9:
        lo, hi = lo - 0.5, hi + 0.5
    return math.floor(lo * 2) / 2, math.ceil(hi * 2) / 2


def _position(value: float, lo: float, hi: float, start: float, end: float) -> float:
    return start + (math.log10(value) - lo) / (hi - lo) * (end - start)


def _ticks(lo: float, hi: float) -> list[float]:
    ticks, exponent = [], math.floor(lo)
    while exponent <= hi:
        for mantissa in (1, 3):
            value = mantissa * 10**exponent
            if lo <= math.log10(value) <= hi:
                ticks.append(value)
        exponent += 1
    return ticks


def _label(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 else f"{value:g}"


def _panel(x0: float, sizes: list[float], values: list[float], title: str, colour: str) -> str:
    left, right = x0 + LEFT, x0 + PANEL_W - RIGHT
    top, bottom = TOP, PANEL_H - BOTTOM
    xlo, xhi = _log_range(sizes)
    ylo, yhi = _log_range(values)
    parts = [f'<text x="{left}" y="{top - 14}" font-size="13">{title}</text>']
    for tick in _ticks(ylo, yhi):
        y = _position(tick, ylo, yhi, bottom, top)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" stroke="#e3e3e3"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="10" text-anchor="end">'
            f"{_label(tick)}</text>"
        )
    for size in sizes:
        x = _position(size, xlo, xhi, left, right)
        parts.append(
            f'<text x="{x:.1f}" y="{bottom + 16}" font-size="10" text-anchor="middle">'
            f"{_label(size)}</text>"
        )
    points = [
        (_position(s, xlo, xhi, left, right), _position(v, ylo, yhi, bottom, top), v)
        for s, v in zip(sizes, values, strict=True)
    ]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in points)
    parts.append(f'<polyline points="{line}" fill="none" stroke="{colour}" stroke-width="2"/>')
    for x, y, v in points:
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>'
            f'<text x="{x - 6:.1f}" y="{y - 8:.1f}" font-size="10" text-anchor="end" '
            f'fill="{colour}">{v:,.1f}</text>'
        )
    parts.append(
        f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="#888"/>'
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{bottom}" stroke="#888"/>'
        f'<text x="{(left + right) / 2}" y="{PANEL_H - 18}" font-size="11" '
        f'text-anchor="middle">mentions (log scale)</text>'
    )
    return "".join(parts)


def write_plot(rows: list[dict[str, Any]], path: Path) -> None:
    """Write the chart of ``rows`` (bench rows) to ``path``."""
    sizes = [float(r["mentions"]) for r in rows]
    seconds = [float(r["end_to_end_seconds"]) for r in rows]
    memory = [r["peak_rss_mb"] / 1024 for r in rows]
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{2 * PANEL_W}" height="{PANEL_H}" '
        'font-family="sans-serif"><rect width="100%" height="100%" fill="white"/>'
        + _panel(0, sizes, seconds, "end to end, seconds (log scale)", "#1f5fa8")
        + _panel(PANEL_W, sizes, memory, "peak RSS, GB (log scale)", "#b5462e")
        + "</svg>\n"
    )
    path.write_text(svg, encoding="utf-8")
