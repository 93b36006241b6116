"""Inline SVG charts: no library, no network, and they print as crisply as the text around them.

Every label that may come from a unit (unit names) goes through `markupsafe.escape`; the SVG is
returned as Markup on one line per element and without blank lines, so that Python-Markdown keeps
it as one raw HTML block.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from markupsafe import Markup, escape

from generator.numbers import number

# Dark-to-light blues with a hatch-free contrast order: they stay apart when printed in grey.
PALETTE = ("#1f4e79", "#5b9bd5", "#a9c8e8", "#c55a11")
FONT = 'font-family="inherit" font-size="12"'


@dataclass(frozen=True)
class Series:
    """One named series of values, one per category."""

    name: str
    values: tuple[float | None, ...]


def _fmt(v: float | None) -> str:
    return number(v)  # as pages write it (generator/numbers.py): every decimal, no noise, no exponent


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
        (
            f'<svg class="chart chart--wide" viewBox="0 0 {width} {height}" role="img" '
            f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg" {FONT}>'
        ),
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


def grouped_hbars(title: str, categories: list[str], series: list[Series]) -> Markup:
    """The phone's form of `grouped_bars`: 360 wide, a category (a year) a block of horizontal
    bars, each with its value at its end, so labels stay 12 px at a phone's width."""
    width, left, right = 360, 44, 44
    bar_h, gap = 14, 10
    top = 8 + 18 * len(series)  # the legend, one series a line
    n_ser = max(len(series), 1)
    block = n_ser * (bar_h + 2) + gap
    height = top + len(categories) * block + 24
    plot_w = width - left - right
    peak, ticks = nice_scale(max([v for s in series for v in s.values if v is not None] + [0]))
    parts = [
        (
            f'<svg class="chart chart--narrow" viewBox="0 0 {width} {height}" role="img" '
            f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg" {FONT}>'
        ),
        f"<title>{escape(title)}</title>",
    ]
    for s, ser in enumerate(series):
        y = 2 + 18 * s
        parts.append(f'<rect x="0" y="{y}" width="12" height="12" fill="{PALETTE[s % len(PALETTE)]}"/>')
        parts.append(f'<text x="16" y="{y + 10}" fill="#222">{escape(ser.name)}</text>')
    axis_y = top + len(categories) * block
    for i in range(ticks + 1):
        x = left + plot_w * i / ticks
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{axis_y:.1f}" stroke="#ccc" stroke-width="0.5"/>'
        )
        parts.append(
            f'<text x="{x:.1f}" y="{axis_y + 16:.1f}" text-anchor="middle" fill="#333">{_fmt(peak * i / ticks)}</text>'
        )
    for c, cat in enumerate(categories):
        y0 = top + c * block
        parts.append(
            f'<text x="{left - 6}" y="{y0 + (n_ser * (bar_h + 2)) / 2 + 4:.1f}" text-anchor="end" '
            f'font-weight="700" fill="#222">{escape(cat)}</text>'
        )
        for s, ser in enumerate(series):
            v = ser.values[c] if c < len(ser.values) else None
            w = plot_w * (v or 0) / peak
            y = y0 + s * (bar_h + 2)
            parts.append(
                f'<rect x="{left}" y="{y:.1f}" width="{w:.1f}" height="{bar_h}" '
                f'fill="{PALETTE[s % len(PALETTE)]}"><title>{escape(ser.name)}, {escape(cat)}: {_fmt(v)}</title></rect>'
            )
            parts.append(
                f'<text x="{left + w + 3:.1f}" y="{y + bar_h - 3:.1f}" fill="#222">{_fmt(v)}</text>'
            )
    parts.append("</svg>")
    return Markup("\n".join(parts))


def percent_axis(values: list[float]) -> tuple[float, float, bool]:
    """(low, high, whole) of a % chart's axis: 0–100 unless the data sit in a narrow band high
    up the scale (every value ≥ 20% and spanning under a third of it), where bars from 0 would all
    look the same; then the band, widened to round tens, which the axis says in words."""
    if not values:
        return 0.0, 100.0, True
    lo, hi = min(values), max(values)
    if lo < 20 or hi - lo >= 100 / 3:
        return 0.0, max(100.0, math.ceil(hi / 10) * 10), True
    low = max(0.0, math.floor((lo - max(5.0, (hi - lo) * 0.2)) / 10) * 10)
    high = min(max(100.0, math.ceil(hi / 10) * 10), math.ceil((hi + 5) / 10) * 10)
    return low, high, low == 0 and high >= 100


def axis_note(low: float, high: float, whole: bool) -> str:
    """What a % chart's axis spans, in words under it."""
    if whole:
        return f"Trục tỷ lệ: {_fmt(low)}–{_fmt(high)}%"
    return f"Trục tỷ lệ từ {_fmt(low)}% đến {_fmt(high)}% (không bắt đầu từ 0)"


def target_bars(
    title: str,
    rows: list[tuple[str, float | str | None, float | str | None]],
    result_name: str,
    target_name: str,
    narrow: bool = False,
) -> Markup:
    """Horizontal bars of a percentage per unit with the unit's target as a tick mark.

    `narrow`: the phone's form, 360 wide, each unit's name on its own line above its bar.
    The axis fits the data (`percent_axis`) and says what it spans."""
    numbers = [v for _, r, t in rows for v in (r, t) if isinstance(v, (int, float))]
    low, high, whole = percent_axis([float(v) for v in numbers])
    if narrow:
        bar_h, gap, label_w, width, name_h = 16, 10, 14, 360, 16
    else:
        bar_h, gap, label_w, width, name_h = 18, 8, 230, 640, 0
    small = 12 if narrow else 11  # a phone draws the narrow chart at about 1:1
    top = 30
    row_h = name_h + bar_h + gap
    height = top + len(rows) * row_h + 40
    plot_w = width - label_w - 50
    span = high - low

    def at(v: float) -> float:
        return label_w + plot_w * (min(max(v, low), high) - low) / span

    legend_x = 0 if narrow else label_w
    parts = [
        (
            f'<svg class="chart{" chart--narrow" if narrow else " chart--wide"}" viewBox="0 0 {width} {height}" '
            f'role="img" aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg" {FONT}>'
        ),
        f"<title>{escape(title)}</title>",
        f'<rect x="{legend_x}" y="8" width="12" height="12" fill="{PALETTE[1]}"/>',
        f'<text x="{legend_x + 16}" y="18" fill="#222">{escape(result_name)}</text>',
        f'<line x1="{legend_x + 180}" y1="6" x2="{legend_x + 180}" y2="22" stroke="{PALETTE[3]}" stroke-width="3"/>',
        f'<text x="{legend_x + 186}" y="18" fill="#222">{escape(target_name)}</text>',
    ]
    axis_y = top + len(rows) * row_h
    step = 25 if span >= 60 else 10 if span >= 20 else 5
    pct = low
    while pct <= high + 1e-9:
        x = at(pct)
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 2}" x2="{x:.1f}" y2="{axis_y:.1f}" stroke="#ccc" stroke-width="0.5"/>'
        )
        parts.append(
            f'<text x="{x:.1f}" y="{axis_y + 14:.1f}" text-anchor="middle" fill="#333">{_fmt(pct)}%</text>'
        )
        pct += step
    parts.append(
        f'<text class="axis-note" x="{label_w}" y="{axis_y + 32:.1f}" fill="#333">{escape(axis_note(low, high, whole))}</text>'
    )
    for i, (name, result, target) in enumerate(rows):
        y = top + i * row_h + name_h
        if narrow:
            # A target in words goes on the name's line: beside the bar it would cover the bar.
            words = "" if target is None or isinstance(target, (int, float)) else f" ({target})"
            room = 50 - len(words)
            short = name if len(name) <= room else name[: room - 1] + "…"
            parts.append(
                f'<text x="{label_w}" y="{y - 4}" fill="#222">{escape(short)}'
                + (f'<tspan fill="#555">{escape(words)}</tspan>' if words else "")
                + "</text>"
            )
        else:
            short = name if len(name) <= 34 else name[:33] + "…"
            parts.append(
                f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end" fill="#222">{escape(short)}</text>'
            )
        # What a unit wrote instead of a figure is said in words, never drawn as a zero bar.
        shown_target = f"{_fmt(target)}%" if isinstance(target, (int, float)) else str(target or "—")
        if isinstance(result, (int, float)):
            w = at(result) - label_w
            parts.append(
                f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{PALETTE[1]}">'
                f"<title>{escape(name)}: {_fmt(result)}% / {escape(shown_target)}</title></rect>"
            )
            parts.append(
                f'<text x="{label_w + w + 4:.1f}" y="{y + 13}" fill="#222" font-size="{small}">{_fmt(result)}%</text>'
            )
        else:
            parts.append(
                f'<text x="{label_w + 4}" y="{y + 13}" fill="#555" font-size="{small}">{escape(str(result or "—"))}</text>'
            )
        if isinstance(target, (int, float)):
            tx = at(target)
            parts.append(
                f'<line x1="{tx:.1f}" y1="{y - 2}" x2="{tx:.1f}" y2="{y + bar_h + 2}" stroke="{PALETTE[3]}" stroke-width="3"/>'
            )
        elif target and not narrow:
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
