"""The downloads for whoever analyses the figures: CSV files (one row per unit, the district's
statistics in a file of their own) and the JSON of every report, drafts included and marked.

Views like the pages and the documents: built from the site's view and the outline, never from
the plan's keys. The cells' rules (formulas kept as text, decimals as written) are in cells.py.
"""

from __future__ import annotations

import json
from typing import Any

from generator.aggregate import Stat, get_path, leaf_paths, table_parts, yearly_parts
from generator.exports.cells import csv_value, write_csv, zip_one
from generator.outline import current, is_number
from generator.render import (
    UNITS_IN_NAV_MAX,
    SiteView,
    editor_link,
    no_data_labels,
    reminder_text,
    roster_values,
    section_meta,
)


def stat_row(where: str, label: str, st: Stat) -> list[Any]:
    how = "cộng" if st.method == "sum" else "trung bình không trọng số"
    return [where, label, how, csv_value(st.headline), csv_value(st.mean), csv_value(st.min), csv_value(st.max),
            st.reported, st.of]


def roster_titles() -> list[str]:
    """The roster part's columns of trang-thai.csv: each field's x-column, else its title."""
    roster = current().roster
    return [str(f.node.get("x-column") or f.title) for f in roster.fields] if roster else []


def roster_csv(data: dict[str, Any] | None) -> list[Any]:
    """The roster part's columns of trang-thai.csv (the review conference): a date as written
    (ISO), a count as a number, "no data" in words, empty where the report says nothing."""
    roster = current().roster
    if roster is None:
        return []
    c = (data or {}).get(roster.key) or {}
    out: list[Any] = []
    for f, shown in zip(roster.fields, roster_values(data)):
        raw = c.get(f.key) if isinstance(c, dict) else None
        if shown == "—":
            out.append("")
        elif f.node.get("format") == "date":
            out.append(no_data_labels().get(raw, raw) if isinstance(raw, str) else str(raw))
        elif isinstance(raw, int) and not isinstance(raw, bool):
            out.append(raw)
        else:
            out.append(shown)
    return out


def downloads(view: SiteView) -> dict[str, str | bytes]:
    """The CSV files (one row per unit; the district's statistics in a file of their own) and
    the JSON of every report, drafts included and marked, keyed by file name."""
    agg = view.aggregates
    out: dict[str, str | bytes] = {}
    finals = [u for u in view.units if u.unit.submitted and u.unit.data is not None]
    # The status page's groups, in its order (the units to chase first), each unit not in yet
    # with its reminder text (naming the page's address when campaign.yaml gives site_url).
    link, absolute = editor_link(view.campaign)
    link = link if absolute else ""
    out["trang-thai.csv"] = write_csv(
        ["Mã đơn vị", "Tên đơn vị", "Loại đơn vị", "Tình trạng", "Ngày gửi", "Số cảnh báo",
         *roster_titles(),
         "Việc cần làm", "Lời nhắn đôn đốc"],
        [
            [
                u.unit.id,
                u.unit.name,
                u.unit.kind_label,
                u.status_label,
                u.unit.submission_date,
                len(u.unit.warnings) if u.unit.has_page else "",
                *roster_csv(u.unit.data),
                g.action,
                reminder_text(u, view.campaign, link) if g.needs_action else "",
            ]
            for g in view.status_groups
            for u in g.units
        ],
    )
    # Every statistic of the summary, one per row, apart from the units' own rows.
    stats: list[list[Any]] = []
    for key, figures in agg.outline.items():
        for path, st in figures.items():
            stats.append(stat_row(section_meta(key)[3], current().path_title(key, path), st))
    o = current()
    for r in o.rates:
        if (w := agg.rates[r.title]) is not None:
            stats.append([section_meta(r.section)[3], f"{r.title} (%)", r.how, csv_value(w.percent),
                          "", "", "", w.units, agg.finals])
    for a in table_parts():
        for path, st in agg.tables[a].items():
            stats.append(stat_row(o.title((a,)), current().path_title(a, path), st))
    for t in o.targets:
        part, c = o.title((t.path.split(".", 1)[0],)), agg.targets[t.path]
        stats.append([part, t.count, "đếm", c.reached, "", "", "", c.reported, agg.finals])
        stats.append([part, t.count_not_assigned, "đếm", c.not_assigned, "", "", "", agg.finals, agg.finals])
    for a in yearly_parts():
        ya = agg.yearly[a]
        for y in ya.years:
            for path, st in ya.rows[y].items():
                stats.append(stat_row(current().title((a,)), f"{y} › " + current().path_title(a, path), st))
        for path, st in ya.total.items():
            stats.append(stat_row(current().title((a,)), "Cả giai đoạn › " + current().path_title(a, path), st))
    out["tong-hop.csv"] = write_csv(
        ["Phần", "Chỉ tiêu", "Cách tổng hợp", "Giá trị của huyện", "Trung bình", "Thấp nhất",
         "Cao nhất", "Số đơn vị có số liệu", "Số báo cáo chính thức"],
        stats,
    )
    outline_cols = [(k, p) for k in agg.outline for p in agg.outline[k]]
    out["so-lieu-de-cuong.csv"] = write_csv(
        ["Mã đơn vị", "Tên đơn vị"]
        + [section_meta(k)[3].split(".")[0] + " › " + current().path_title(k, p) for k, p in outline_cols],
        [
            [u.unit.id, u.unit.name] + [csv_value(get_path(u.unit.data.get(k), p)) for k, p in outline_cols]
            for u in finals
            if u.unit.data is not None
        ],
    )
    if o.compare:
        header = ["Mã đơn vị", "Tên đơn vị"]
        for col in o.compare:
            header += [col.csv_target_title, col.csv_result_title, "Đạt chỉ tiêu"] if col.target else [col.title]
        rows = []
        for u in finals:
            row = [u.unit.id, u.unit.name]
            for col, v in zip(o.compare, u.indicators or ()):
                if col.target:
                    row += [csv_value(v.target), csv_value(v.result), {True: "có", False: "không", None: ""}[v.reached]]
                else:
                    row.append(csv_value(v))
            rows.append(row)
        out["so-sanh.csv"] = write_csv(header, rows)
    for a in o.keys("list", appendix=True):
        cols = o.columns((a,))
        out[f"{o.part(a).slug}.csv"] = write_csv(
            ["Mã đơn vị", "Tên đơn vị", "TT"] + [c.title for c in cols],
            [
                [u.id, u.name, n + 1] + [csv_value(r.get(c.key)) for c in cols]
                for u, rows_ in agg.lists[a]
                for n, r in enumerate(rows_)
            ],
        )
    for a in table_parts():
        paths = [p for p, _ in leaf_paths(a)]
        header = ["Mã đơn vị", "Tên đơn vị"] + [current().path_title(a, p) for p in paths]
        rows = [
            [u.unit.id, u.unit.name] + [csv_value(get_path(u.unit.data.get(a), p)) for p in paths]
            for u in finals
            if u.unit.data is not None
        ]
        out[f"{o.part(a).slug}.csv"] = write_csv(header, rows)
    for a in yearly_parts():
        row_key = o.part(a).row_key
        paths = [p for p, _ in leaf_paths(a)]
        texts = [p for p, n in o.table_head(a).leaves if p != row_key and not is_number(n)]
        header = ([o.labels[f"{a}.{row_key}"]] if row_key else []) + [current().path_title(a, p) for p in paths]
        header = ["Mã đơn vị", "Tên đơn vị"] + header + [current().path_title(a, p) for p in texts]
        rows = [
            [u.unit.id, u.unit.name] + ([csv_value(r.get(row_key))] if row_key else [])
            + [csv_value(get_path(r, p)) for p in paths] + [csv_value(get_path(r, p)) for p in texts]
            for u in finals
            if u.unit.data is not None
            for r in u.unit.data.get(a) or []
        ]
        out[f"{o.part(a).slug}.csv"] = write_csv(header, rows)
    doc = {
        "campaign": view.campaign,
        "submissions": [
            {"file": u.unit.repo_path, "status": u.unit.status, "report": u.unit.data}
            for u in view.units
            if u.unit.data is not None
        ],
    }
    # No indent and no spaces after separators: json's C encoder runs only without an indent,
    # and a thousand reports add up.
    # allow_nan=False: a bare NaN or Infinity is not JSON and breaks every program that reads it.
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"), allow_nan=False) + "\n"
    name = reports_file(len(view.units))
    out[name] = zip_one("bao-cao.json", text.encode("utf-8")) if name.endswith(".zip") else text
    return out


def listing(n_units: int) -> tuple[tuple[str, str], ...]:
    """The downloads for analysts, as the summary lists them: (file, what it holds)."""
    o = current()
    reports = reports_file(n_units)
    return (
        ("trang-thai.csv", "Tình hình gửi báo cáo của từng đơn vị"),
        ("tong-hop.csv", "Mọi số liệu tổng hợp của huyện: tổng, trung bình, thấp nhất, cao nhất, số đơn vị có số liệu"),
        ("so-lieu-de-cuong.csv", f"Số liệu {'các ' + o.figures_in if o.figures_in else 'đề cương'} của từng đơn vị"),
        *((("so-sanh.csv", "Chỉ số chính của từng đơn vị"),) if o.compare else ()),
        *((f"{p.slug}.csv", f"{p.title}: {p.download}") for p in (o.part(k) for k in o.appendices)),
        (reports, "Toàn bộ báo cáo đã gửi (JSON" + (", nén ZIP)" if reports.endswith(".zip") else ")")),
    )


def reports_file(n_units: int) -> str:
    """The name of the all-submissions download: JSON, zipped past the nav threshold.

    Every report's text is on the site three times (its page, the section pages, this file);
    zipped, this copy is a quarter of its size (1,000 synthetic units: 21 → 5 MB), which keeps
    a large district's site under 100 MB. A small site keeps the JSON a browser opens directly.
    """
    return "bao-cao.json" if n_units <= UNITS_IN_NAV_MAX else "bao-cao.zip"
