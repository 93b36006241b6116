"""Inline SVG charts: no library, no network, and they print as crisply as the text around them.

Every label that may come from a unit (unit names) goes through `markupsafe.escape`; the SVG is
returned as Markup on one line per element and without blank lines, so that Python-Markdown keeps
it as one raw HTML block.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from markupsafe import Markup, escape

# Dark-to-light blues with a hatch-free contrast order: they stay apart when printed in grey.
PALETTE = ("#1f4e79", "#5b9bd5", "#a9c8e8", "#c55a11")
FONT = 'font-family="inherit" font-size="12"'


@dataclass(frozen=True)
class Series:
    """One named series of values, one per category."""

    name: str
    values: tuple[float | None, ...]


def _fmt(v: float | None) -> str:
    if v is None:
        return "—"
    if float(v).is_integer():
        return f"{int(v):,}".replace(",", ".")
    return f"{v:.1f}".replace(".", ",")


def nice_scale(peak: float) -> tuple[float, int]:
    """Return (axis maximum, number of intervals) with a round step of 1, 2, 2.5 or 5 × 10^n."""
    if peak <= 0:
        return 1.0, 1
    raw = peak / 4
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if raw <= m * power)
    if step < 1:
        step = 1.0  # counts: no fractional gridlines
    n = max(1, math.ceil(peak / step))
    return step * n, n


def grouped_bars(title: str, categories: list[str], series: list[Series]) -> Markup:
    """A vertical grouped bar chart (categories along x, one bar per series), with a legend."""
    top = 14 + 18 * len(series)  # the legend, one series a line, sits above the plot
    width, height, left, bottom = 640, 260 + top, 52, 30
    plot_w, plot_h = width - left - 10, height - top - bottom
    peak, ticks = nice_scale(max([v for s in series for v in s.values if v is not None] + [0]))
    n_cat, n_ser = max(len(categories), 1), max(len(series), 1)
    slot = plot_w / n_cat
    bar = slot * 0.8 / n_ser
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg" {FONT}>',
        f"<title>{escape(title)}</title>",
    ]
    for i in range(ticks + 1):
        y = top + plot_h - plot_h * i / ticks
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - 10}" y2="{y:.1f}" stroke="#ccc" stroke-width="0.5"/>'
        )
        parts.append(
            f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" fill="#333">{_fmt(peak * i / ticks)}</text>'
        )
    for c, cat in enumerate(categories):
        x0 = left + c * slot + slot * 0.1
        for s, ser in enumerate(series):
            v = ser.values[c] if c < len(ser.values) else None
            h = plot_h * (v or 0) / peak
            x, y = x0 + s * bar, top + plot_h - h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar * 0.92:.1f}" height="{h:.1f}" '
                f'fill="{PALETTE[s % len(PALETTE)]}"><title>{escape(ser.name)}, {escape(cat)}: {_fmt(v)}</title></rect>'
            )
            parts.append(
                f'<text x="{x + bar * 0.46:.1f}" y="{y - 3:.1f}" text-anchor="middle" font-size="11" fill="#222">{_fmt(v)}</text>'
            )
        parts.append(
            f'<text x="{x0 + slot * 0.4:.1f}" y="{top + plot_h + 16:.1f}" text-anchor="middle" fill="#222">{escape(cat)}</text>'
        )
    for s, ser in enumerate(series):
        y = 6 + 18 * s
        parts.append(
            f'<rect x="{left}" y="{y}" width="12" height="12" fill="{PALETTE[s % len(PALETTE)]}"/>'
        )
        parts.append(f'<text x="{left + 16}" y="{y + 10}" fill="#222">{escape(ser.name)}</text>')
    parts.append("</svg>")
    return Markup("\n".join(parts))


def target_bars(
    title: str,
    rows: list[tuple[str, float | str | None, float | str | None]],
    result_name: str,
    target_name: str,
) -> Markup:
    """Horizontal bars of a percentage per unit with the unit's target as a tick mark."""
    bar_h, gap, label_w, width = 18, 8, 230, 640
    top = 30
    height = top + len(rows) * (bar_h + gap) + 24
    plot_w = width - label_w - 50
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg" {FONT}>',
        f"<title>{escape(title)}</title>",
        f'<rect x="{label_w}" y="8" width="12" height="12" fill="{PALETTE[1]}"/>',
        f'<text x="{label_w + 16}" y="18" fill="#222">{escape(result_name)}</text>',
        f'<line x1="{label_w + 150}" y1="6" x2="{label_w + 150}" y2="22" stroke="{PALETTE[3]}" stroke-width="3"/>',
        f'<text x="{label_w + 156}" y="18" fill="#222">{escape(target_name)}</text>',
    ]
    for pct in (0, 25, 50, 75, 100):
        x = label_w + plot_w * pct / 100
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 2}" x2="{x:.1f}" y2="{height - 20}" stroke="#ccc" stroke-width="0.5"/>'
        )
        parts.append(
            f'<text x="{x:.1f}" y="{height - 6}" text-anchor="middle" fill="#333">{pct}%</text>'
        )
    for i, (name, result, target) in enumerate(rows):
        y = top + i * (bar_h + gap)
        short = name if len(name) <= 34 else name[:33] + "…"
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end" fill="#222">{escape(short)}</text>'
        )
        # What a unit wrote instead of a figure is said in words, never drawn as a zero bar.
        shown_target = f"{_fmt(target)}%" if isinstance(target, (int, float)) else str(target or "—")
        if isinstance(result, (int, float)):
            w = plot_w * result / 100
            parts.append(
                f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{PALETTE[1]}">'
                f"<title>{escape(name)}: {_fmt(result)}% / {escape(shown_target)}</title></rect>"
            )
            parts.append(
                f'<text x="{label_w + w + 4:.1f}" y="{y + 13}" fill="#222" font-size="11">{_fmt(result)}%</text>'
            )
        else:
            parts.append(
                f'<text x="{label_w + 4}" y="{y + 13}" fill="#555" font-size="11">{escape(str(result or "—"))}</text>'
            )
        if isinstance(target, (int, float)):
            tx = label_w + plot_w * target / 100
            parts.append(
                f'<line x1="{tx:.1f}" y1="{y - 2}" x2="{tx:.1f}" y2="{y + bar_h + 2}" stroke="{PALETTE[3]}" stroke-width="3"/>'
            )
        elif target:
            parts.append(
                f'<text x="{label_w + plot_w + 4}" y="{y + 13}" text-anchor="end" fill="#555" font-size="11">{escape(str(target))}</text>'
            )
    parts.append("</svg>")
    return Markup("\n".join(parts))


def data_table(caption: str, header: list[str], rows: list[list[str | float | None]]) -> Markup:
    """A chart's numbers as a table, for screen readers and for copying, folded under the chart."""
    def cell(v: str | float | None) -> str:
        return str(escape(v)) if isinstance(v, str) else _fmt(v)

    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join(
        "<tr>" + f'<th scope="row">{cell(r[0])}</th>' + "".join(f'<td class="num">{cell(v)}</td>' for v in r[1:]) + "</tr>"
        for r in rows
    )
    return Markup(
        f'<details class="chart-data"><summary>Bảng số liệu của biểu đồ</summary>'
        f'<div class="table-wrap"><table class="list"><caption>{escape(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div></details>"
    )
