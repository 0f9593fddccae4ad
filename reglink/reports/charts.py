"""Small static SVG charts (no script needed, so they print and open anywhere).

Labels are escaped here; the SVG is then placed in the page as markup.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from markupsafe import Markup

#: A bar: its label and value (None: suppressed).
Bar = tuple[str, int | None]

SUPPRESSED = "c"


def _nice_max(value: int) -> int:
    if value <= 0:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        top = step * magnitude
        if top >= value:
            return math.ceil(top)
    return value


def _ticks(top: int) -> list[int]:
    return sorted({round(top * i / 4) for i in range(5)})


def column_chart(bars: Sequence[Bar], title: str, *, width: int = 760, height: int = 220) -> Markup:
    """Vertical bars, one per period; a suppressed value is a grey mark on the axis."""
    left, right, top_pad, bottom = 44, 8, 24, 48
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    n = max(len(bars), 1)
    slot = plot_w / n
    bar_w = max(1.0, slot * 0.75)
    top = _nice_max(max((v for _, v in bars if v is not None), default=0))
    every = max(1, math.ceil(n / 16))
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" '
        f'xmlns="http://www.w3.org/2000/svg" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for tick in _ticks(top):
        y = top_pad + plot_h - plot_h * tick / top
        parts.append(
            f'<line class="grid" x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="tick" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{tick:,}</text>'
        )
    for i, (label, value) in enumerate(bars):
        x = left + i * slot + (slot - bar_w) / 2
        if value is None:
            parts.append(
                f'<rect class="bar suppressed" x="{x:.1f}" y="{top_pad + plot_h - 6:.1f}" '
                f'width="{bar_w:.1f}" height="6"><title>{escape(label)}: suppressed</title></rect>'
            )
        else:
            h = plot_h * value / top
            parts.append(
                f'<rect class="bar" x="{x:.1f}" y="{top_pad + plot_h - h:.1f}" '
                f'width="{bar_w:.1f}" height="{h:.1f}"><title>{escape(label)}: {value:,}</title>'
                "</rect>"
            )
        if i % every == 0:
            cx = left + i * slot + slot / 2
            cy = top_pad + plot_h + 12
            parts.append(
                f'<text class="label" x="{cx:.1f}" y="{cy:.1f}" text-anchor="end" '
                f'transform="rotate(-40 {cx:.1f} {cy:.1f})">{escape(label)}</text>'
            )
    if bars and all(v is None for _, v in bars):
        parts.append(
            f'<text class="value" x="{left + plot_w / 2:.1f}" y="{top_pad + plot_h / 2:.1f}" '
            'text-anchor="middle">every value is suppressed (the total is in the table)</text>'
        )
    parts.append(
        f'<line class="axis" x1="{left}" x2="{width - right}" y1="{top_pad + plot_h}" '
        f'y2="{top_pad + plot_h}"/></svg>'
    )
    return Markup("".join(parts))


def bar_chart(bars: Sequence[Bar], title: str, *, width: int = 760) -> Markup:
    """Horizontal bars, one per category, with the value (or 'c') at the end."""
    label_w, value_w, row_h, pad = 300, 70, 22, 8
    height = pad * 2 + row_h * max(len(bars), 1)
    plot_w = width - label_w - value_w
    top = _nice_max(max((v for _, v in bars if v is not None), default=0))
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" '
        f'xmlns="http://www.w3.org/2000/svg" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, value) in enumerate(bars):
        y = pad + i * row_h
        short = label if len(label) <= 44 else label[:42] + "…"
        parts.append(
            f'<text class="label" x="{label_w - 8}" y="{y + 15}" text-anchor="end">'
            f"<title>{escape(label)}</title>{escape(short)}</text>"
        )
        if value is None:
            parts.append(
                f'<rect class="bar suppressed" x="{label_w}" y="{y + 4}" width="14" '
                f'height="{row_h - 8}"><title>{escape(label)}: suppressed</title></rect>'
                f'<text class="value" x="{label_w + 20}" y="{y + 15}">{SUPPRESSED} (suppressed)'
                "</text>"
            )
        else:
            w = plot_w * value / top
            parts.append(
                f'<rect class="bar" x="{label_w}" y="{y + 4}" width="{w:.1f}" '
                f'height="{row_h - 8}"><title>{escape(label)}: {value:,}</title></rect>'
                f'<text class="value" x="{label_w + w + 6:.1f}" y="{y + 15}">{value:,}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))
