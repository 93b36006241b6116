"""The Word documents: each unit's report to print, sign and stamp, and the district's draft.

Both are laid out as the source document is: the issuing body's header at the top left with its
number line, the motto and place/date at the top right, the title and subject, the outline I–VI,
"Nơi nhận" at the bottom left and the signature block at the bottom right; then the six
appendices, in the source's table layout, on landscape pages. A draft says so at the top of every
page. The header's wording comes from the campaign file (`documents`, see campaign.schema.json).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator import render
from generator.aggregate import Aggregates, Stat, unit_totals, yearly_parts
from generator.documents import docx, layout
from generator.documents.docx import Run, para
from generator.documents.layout import Item, plain, stat_text, table_head
from generator.documents.letterhead import (
    DEPUTY_LINE,
    DEPUTY_PREFIX,
    ON_BEHALF_EXECUTIVE,
    ON_BEHALF_STANDING,
    Letterhead,
    standing_counts,
)
from generator.numbers import date_vi, number
from generator.outline import HeaderCell, TableHead, current
from generator.schema import is_multiline, types_of

UNIT_DRAFT_MARK = "BẢN NHÁP — đơn vị chưa chuyển sang chính thức; không dùng để ký, đóng dấu"
DISTRICT_DRAFT_MARK = "DỰ THẢO — tổng hợp từ báo cáo chính thức của các cơ sở Đoàn; không dùng để ký"


# --- the parts both documents share ----------------------------------------------------------


def _header_block(doc: docx.Document, lh: Letterhead, superior: str, issuer: str,
                  number: str, date: str) -> None:
    """The top of the first page: issuing body and number at left, motto and place/date at right."""
    left = "".join((
        para(Run(superior, caps=True), style="Khoi") if superior else "",
        para(Run(issuer, bold=True, caps=True), style="Khoi"),
        para("***", style="Khoi"),
        para(f"Số: {number}", style="Khoi"),
    ))
    right = "".join((
        para(Run(lh.motto, bold=True, underline=True, caps=True), style="Khoi"),
        para(style="Khoi"),
        para(Run(f"{lh.place}, {date}", italic=True), style="Khoi"),
    ))
    # The right column is wide enough for "Thọ Xuân, ngày …… tháng …… năm ……" on one line.
    doc.add(docx.plain_table([(left, ""), (right, "")], (4300, 5055)))


def _title(doc: docx.Document, kind: str, subject: str) -> None:
    doc.add(para(Run(kind, bold=True), style="Title"))
    for line in subject.split("\n"):
        doc.add(para(Run(line, bold=True), style="Khoi"))
    doc.add(para("-----", style="Khoi"))


def _signature(doc: docx.Document, recipients: list[str], on_behalf: str, title: str,
               name: str) -> None:
    """"Nơi nhận" at the bottom left, the signature block at the bottom right, on the same page
    as the last lines of text (Nghị định 30/2020/NĐ-CP): those lines keep with the block, and
    the block's row never splits."""
    left = para(Run("Nơi nhận:", bold=True, italic=True, size=24), style="Bang",
                keep_next=True) + "".join(
        para(Run(f"- {r}", size=22), style="Bang", keep_next=True) for r in recipients
    )
    deputy = title.strip().casefold().startswith(DEPUTY_PREFIX)
    right = "".join((
        para(Run(on_behalf, bold=True, caps=True), style="Khoi", keep_next=True),
        # A deputy signs for the secretary: "KT. BÍ THƯ" above the deputy's title.
        para(Run(DEPUTY_LINE, bold=True, caps=True), style="Khoi", keep_next=True)
        if deputy else "",
        para(Run(title, bold=True, caps=True), style="Khoi", keep_next=True),
        para(style="Khoi", keep_next=True), para(style="Khoi", keep_next=True),
        para(style="Khoi", keep_next=True),
        para(Run(name, bold=True), style="Khoi"),
    ))
    doc.keep_last(2)
    doc.add(para(keep_next=True))
    doc.add(docx.plain_table([(left, ""), (right, "")], (4400, 4955), keep=True))


def _heading(doc: docx.Document, it: Item) -> None:
    style = f"Heading{min(max(it.level, 1), 4)}"
    doc.add(para(it.label, style=style, keep_next=True))


def _lines(doc: docx.Document, lines: tuple[str, ...] | list[str]) -> None:
    for line in lines:
        doc.add(para(line, indent_first=True))


def _widths(head: TableHead, total: int, body: list[list[str]], numeric: list[bool],
            size: int) -> list[int]:
    """Column widths from the content: each column's own header cell and its values."""
    n = max(c.col + c.colspan for c in head.cells)
    cols: list[list[str]] = [[] for _ in range(n)]
    for c in head.cells:
        if c.colspan == 1:
            cols[c.col].append(c.label)
    for row in body:
        if len(row) == n:
            for j, v in enumerate(row):
                cols[j].append(v)
    return docx.fit_widths(cols, total, numeric, size or 22)


def _appendix_table(
    doc: docx.Document,
    appendix: str,
    rows: list[list[Any]],
    first: tuple[str, ...] = (),
    bold_last: int = 0,
    empty: str = "",
) -> None:
    """One appendix as the source lays it out: merged headers, one row per given values."""
    head = table_head(appendix, first)
    nodes = [n for _, n in head.leaves]
    text_cols = {len(first) + j for j, n in enumerate(nodes)
                 if not ({"integer", "number"} & set(types_of(n))) or is_multiline(n)}
    numeric = [False] * len(first) + [j + len(first) not in text_cols for j in range(len(nodes))]
    body: list[list[str]] = []
    for row in rows:
        lead, values = row[: len(first)], row[len(first):]
        body.append([str(v) for v in lead] + [
            v if isinstance(v, str) and k >= len(nodes) else
            (v.text if isinstance(v, _Shown) else plain(v, nodes[k]))
            for k, v in enumerate(values)
        ])
    # A table of many columns (Phụ lục 2 and 3 with the unit's name) in 10 pt, so that no
    # word has to break inside.
    size = 20 if len(numeric) > 12 else 0
    widths = _widths(head, docx.text_width(True), body, numeric, size)
    if not body and empty:
        body = [[empty]]
    bold = frozenset(range(len(body) - bold_last, len(body)))
    doc.add(docx.table(head.cells, head.depth, widths, body, numeric, bold, size))


class _Shown:
    """A cell already in words (a district total, a mean said to be one)."""

    def __init__(self, text: str) -> None:
        self.text = text


def _items_block(doc: docx.Document, path: tuple[str, ...], rows: list[dict[str, Any]],
                 level: int) -> None:
    """A list the outline names items of (good models, commendations): each with its fields."""
    as_table = current().as_table(path)
    cols = layout.array_columns(path)
    if not rows:
        doc.add(para(Run("Không có.", italic=True)))
        return
    if as_table:
        _list_table(doc, [c for _, c, _ in cols], layout.array_rows(path, rows))
        return
    (key, _, key_node), rest = cols[0], cols[1:]
    for row in rows:
        doc.add(para(Run(plain(row.get(key), key_node), bold=True), keep_next=True))
        for p, title, node in rest:
            doc.add(para(Run(title, italic=True), keep_next=True))
            value = row.get(p)
            _lines(doc, layout.paragraphs(value) if is_multiline(node) else [plain(value, node)])


def _list_table(doc: docx.Document, columns: list[str], rows: tuple[tuple[str, ...], ...]) -> None:
    if not rows:
        doc.add(para(Run("Không có.", italic=True)))
        return
    head = tuple(HeaderCell(c, 0, i) for i, c in enumerate(columns))
    widths = docx.fit_widths([[c, *(r[i] for r in rows)] for i, c in enumerate(columns)],
                             docx.text_width(False))
    doc.add(docx.table(head, 1, widths, [list(r) for r in rows], [False] * len(columns)))


_period_label = render.period_label


# --- a unit's report -------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitInputs:
    """Everything a unit's Word report reads besides the campaign's wording and the plan: its
    report and roster entry, and what the site's code makes of them (render.py, aggregate.py).

    documents/__init__.py keys a unit's cached .docx on these values, not on the code of the
    modules they come from: an edit of render.py that leaves them as they were rebuilds nothing.
    `unit_report` reads the unit through this and nothing else.
    """

    id: str
    name: str
    kind_label: str
    draft: bool
    submission_date: str
    data: dict[str, Any]
    roster_line: str  # render.roster_line
    # Each yearly appendix: the years it gives figures for, the total row's label and its totals.
    yearly: tuple[tuple[str, tuple[int, ...], str, tuple[tuple[str, float | None], ...]], ...]


def unit_inputs(uv: render.UnitView, years: tuple[int, ...]) -> UnitInputs:
    """What `unit_report` reads of one unit (see UnitInputs)."""
    u = uv.unit
    d = u.data or {}
    yearly = []
    for key in current().appendices:
        if key in yearly_parts() and current().part(key).kind != "list":
            given = _years_given(d[key], key, years)
            yearly.append((key, given, _period_label(given, years),
                           tuple(unit_totals(d[key], key, years).items())))
    return UnitInputs(u.id, u.name, u.kind_label, u.draft, u.submission_date, d,
                      render.roster_line(d), tuple(yearly))


def _unit_description(u: UnitInputs) -> str:
    """Which report the file is (its properties, never on paper): unit, kind, id, status, date."""
    status = plain(u.data.get("status"), current().node(("status",)))
    sent = f", gửi ngày {date_vi(u.submission_date)}" if u.submission_date else ""
    return f"{u.name} ({u.kind_label}, mã {u.id}) — {status}{sent}"


def has_standing_committee(d: dict[str, Any]) -> bool:
    """The unit has a Standing Committee (BTV): it says so in Mục I or in Phụ lục 2."""
    def at(path: tuple[str, ...]) -> Any:
        v: Any = d
        for k in path:
            v = v.get(k) if isinstance(v, dict) else None
        return v
    return any(isinstance(v, int) and not isinstance(v, bool) and v > 0
               for v in map(at, standing_counts()))


def on_behalf(d: dict[str, Any]) -> str:
    """Who the unit signs for: its Standing Committee when it has one, else its Executive one."""
    return ON_BEHALF_STANDING if has_standing_committee(d) else ON_BEHALF_EXECUTIVE


def _years_given(rows: list[dict[str, Any]], key: str, years: tuple[int, ...]) -> tuple[int, ...]:
    return render.years_given(rows, key, years)


def year_given(rows: list[dict[str, Any]], key: str, year: int) -> bool:
    """A year-row appendix gives at least one figure for `year`."""
    return bool(_years_given(rows, key, (year,)))


def _unit_line(doc: docx.Document, name: str) -> None:
    """The source's "ĐƠN VỊ: ……" line above the appendices."""
    doc.add(para(Run("ĐƠN VỊ: ", bold=True), Run(name, bold=True, caps=True), keep_next=True))


def unit_report(u: UnitInputs, lh: Letterhead, template: docx.Template | None = None) -> bytes:
    """The .docx of one unit's report (a draft marked as one on every page)."""
    d = u.data
    doc = docx.Document(
        title=f"{current().report_name.capitalize()} — {u.name}",
        author=u.name,
        header=UNIT_DRAFT_MARK if u.draft else "",
        description=_unit_description(u),
    )
    date = lh.date_line(u.submission_date)
    _header_block(doc, lh, lh.unit_superior, f"BCH {u.name}", lh.number_line(False), date)
    _title(doc, "BÁO CÁO", lh.subject)
    held = u.roster_line
    roster = current().part_of("roster")
    if held != "—" and roster is not None:
        doc.add(para(Run(f"{roster.title}: ", italic=True, bold=True),
                     Run(held, italic=True), indent_first=True))
    shown: tuple[str, ...] = ()
    for key in current().sections:
        heads, shown = layout.section_headings(key, shown)
        for h in heads:
            _heading(doc, h)
        for it in layout.section_items(key, d[key]):
            _item(doc, it)
    for key in current().lists:
        doc.add(para(_heading_of(key), style="Heading1", keep_next=True))
        _items_block(doc, (key,), list(d.get(key) or []), 2)
    signer = d.get("signer") or {}
    _signature(
        doc,
        lh.unit_recipients,
        on_behalf(d),
        plain(signer.get("position"), current().node(("signer", "position"))),
        plain(signer.get("name"), current().node(("signer", "name"))),
    )
    doc.end_section(landscape=False)
    _unit_line(doc, u.name)
    _unit_appendices(doc, u)
    return doc.package(last_landscape=True, template=template)


def _item(doc: docx.Document, it: Item) -> None:
    # Headings as the outline numbers them ("1. Những tồn tại, hạn chế"), never with a bullet.
    if it.kind in ("group",):
        doc.add(para(Run(it.label, bold=True, italic=True), keep_next=True))
    elif it.kind == "text":
        doc.add(para(Run(it.label, italic=True), keep_next=True))
        _lines(doc, it.lines)
    elif it.kind == "figures":
        for label, value in it.figures:
            doc.add(para(f"{label}: ", Run(value, bold=True), indent_first=True))
    elif it.kind == "table":
        doc.add(para(Run(it.label, italic=True), keep_next=True))
        _list_table(doc, list(it.columns), it.rows)


def _heading_of(key: str) -> str:
    """A top-level part's heading as the source writes it (x-heading), else its title."""
    return current().heading(key)


def _appendix_heading(doc: docx.Document, key: str) -> None:
    doc.add(para(_heading_of(key), style="Heading2", keep_next=True))


def _unit_appendices(doc: docx.Document, u: UnitInputs) -> None:
    d = u.data
    yearly = {key: (given, label, dict(totals)) for key, given, label, totals in u.yearly}
    for key in current().appendices:
        _appendix_heading(doc, key)
        if current().part(key).kind == "list":
            rows = [[str(i + 1)] + layout.appendix_row(r, table_head(key, ("TT",)))
                    for i, r in enumerate(d[key])]
            _appendix_table(doc, key, rows, ("TT",), empty=current().part(key).empty)
        elif key in yearly:
            head = table_head(key)
            rows = [layout.appendix_row(r, head) for r in d[key]]
            _, label, totals = yearly[key]
            rows.append([
                _Shown(label) if p == "year"
                else _Shown(number(totals[p]) if totals.get(p) is not None else "—")
                if p in totals else _Shown("")
                for p, _ in head.leaves
            ])
            _appendix_table(doc, key, rows, bold_last=1)
        else:
            head = table_head(key)
            _appendix_table(doc, key, [layout.appendix_row(d[key], head)])


# --- the district's draft --------------------------------------------------------------------


def district_draft(view: render.SiteView, lh: Letterhead,
                   template: docx.Template | None = None) -> bytes:
    """The district's draft report: its totals and every final report's text, item by item."""
    agg = view.aggregates
    finals = [uv for uv in view.units if uv.unit.submitted and uv.unit.data is not None]
    doc = docx.Document(
        title=f"Dự thảo {current().report_name} — {lh.issuer}",
        author=lh.issuer,
        header=DISTRICT_DRAFT_MARK,
        footer=f"Dự thảo {current().report_name} của {lh.issuer}, từ {len(finals)} báo cáo chính thức",
    )
    _header_block(doc, lh, lh.superior, lh.issuer, lh.number_line(True), lh.date_line(""))
    _title(doc, "BÁO CÁO", lh.subject)
    doc.add(para(Run(
        f"(Dự thảo: tổng hợp từ {len(finals)}/{view.status.expected} báo cáo chính thức của các "
        "cơ sở Đoàn. Dưới mỗi mục là số liệu của toàn huyện, rồi nội dung từng đơn vị đã viết, "
        "để người viết chọn lọc, cô đọng.)", italic=True)))
    _conferences(doc, finals)
    shown: tuple[str, ...] = ()
    for key in current().sections:
        heads, shown = layout.section_headings(key, shown)
        for h in heads:
            _heading(doc, h)
        items = layout.section_items(key, None)
        for i, it in enumerate(items):
            # Under each item, the district's totals of its figures come first, then the texts.
            figures = items[i + 1] if i + 1 < len(items) and items[i + 1].kind == "figures" else None
            if it.kind == "figures" and i > 0 and items[i - 1].kind in ("text", "table"):
                continue  # shown under the text before it
            _district_item(doc, it, agg, finals, figures)
    for key in current().lists:
        doc.add(para(_heading_of(key), style="Heading1", keep_next=True))
        for uv in finals:
            rows = list((uv.unit.data or {}).get(key) or [])
            if rows:
                doc.add(para(Run(uv.unit.name, bold=True, underline=True), keep_next=True))
                _items_block(doc, (key,), rows, 2)
    _signature(doc, lh.recipients, lh.on_behalf, lh.signer_title, lh.signer_name)
    doc.end_section(landscape=False)
    _unit_line(doc, lh.issuer)
    _district_appendices(doc, view)
    return doc.package(last_landscape=True, template=template)


def conference_count(finals: list[render.UnitView]) -> tuple[list[render.UnitView], int, int]:
    """The final reports whose unit held its review conference (the roster part's first field
    says `yes`), how many say they have not (`no`) and how many do not say."""
    roster = current().roster
    if roster is None:
        return [], 0, len(finals)

    def said(uv: render.UnitView) -> Any:
        part = (uv.unit.data or {}).get(roster.key) or {}
        return part.get(roster.fields[0].key) if isinstance(part, dict) else None

    held = [uv for uv in finals if said(uv) == roster.yes]
    not_held = sum(said(uv) == roster.no for uv in finals)
    return held, not_held, len(finals) - len(held) - not_held


def _conferences(doc: docx.Document, finals: list[render.UnitView]) -> None:
    """The draft opens with the units' own review conferences: how many held one, and when."""
    roster = current().roster
    if roster is None:
        return
    held, not_held, silent = conference_count(finals)
    line = (f"{roster.summary}: {len(held)}/{len(finals)} đơn vị {roster.yes}"
            f"; {not_held} đơn vị {roster.no}; {silent} đơn vị không cho biết.")
    doc.add(para(Run(line, bold=True), indent_first=True, keep_next=bool(held)))
    for uv in held:
        values = render.roster_values(uv.unit.data)
        said = [f"ngày {v}" if f.node.get("format") == "date"
                else f"{f.node.get('x-short') or f.title}: {v}"
                for f, v in zip(roster.fields[1:], values[1:])]
        doc.add(para(f"- {uv.unit.name}: {'; '.join(said)}.", indent_first=True))


def _figure_line(label: str, st: Stat) -> str:
    return f"{label}: {stat_text(st)} ({st.units_text} đơn vị có số liệu)"


def _district_figures(doc: docx.Document, it: Item, agg: Aggregates) -> None:
    stats = agg.outline.get(it.key, {})
    doc.add(para(Run("Số liệu toàn huyện:", bold=True), keep_next=True))
    for (label, _), path in zip(it.figures, it.paths):
        if path in stats:
            doc.add(para(_figure_line(label, stats[path]), indent_first=True))


def _district_item(doc: docx.Document, it: Item, agg: Aggregates,
                   finals: list[render.UnitView], figures: Item | None = None) -> None:
    """One outline item: its heading, the district's totals of its figures, each unit's text."""
    if it.kind == "group":
        _item(doc, it)
        return
    if it.kind == "figures":
        _district_figures(doc, it, agg)
        return
    key, _, prop = it.key.partition(".")
    doc.add(para(Run(it.label, italic=True), keep_next=True))
    if figures is not None:
        _district_figures(doc, figures, agg)
    for uv in finals:
        value = (uv.unit.data or {}).get(key, {}).get(prop)
        doc.add(para(Run(uv.unit.name, bold=True, underline=True), keep_next=True))
        if it.kind == "table":
            _list_table(doc, list(it.columns), layout.array_rows((key, prop), list(value or [])))
        else:
            _lines(doc, layout.paragraphs(value))


def year_label(finals: list[render.UnitView], key: str, year: int) -> str:
    """A district year row's label with how many units gave that year ("2016 (5/6 đơn vị)")."""
    gave = sum(year_given(list((uv.unit.data or {}).get(key) or []), key, year)
               for uv in finals)
    return f"{year} ({gave}/{len(finals)} đơn vị)"


def _district_appendices(doc: docx.Document, view: render.SiteView) -> None:
    agg = view.aggregates
    finals = [uv for uv in view.units if uv.unit.submitted and uv.unit.data is not None]
    for key in current().appendices:
        _appendix_heading(doc, key)
        doc.add(para(Run(f"Cách tổng hợp: {view.how.get(key, '')}", italic=True, size=22)))
        if current().part(key).kind == "list":
            head = table_head(key, ("Đơn vị", "TT"))
            rows = [[u.name, str(i + 1)] + layout.appendix_row(r, head)
                    for u, docs in agg.lists[key] for i, r in enumerate(docs)]
            _appendix_table(doc, key, rows, ("Đơn vị", "TT"), empty=current().part(key).empty)
        elif key in yearly_parts():
            head = table_head(key)
            ya = agg.yearly[key]
            rows = []
            for label, stats in [(year_label(finals, key, y), ya.rows[y]) for y in ya.years] + [
                (_period_label(ya.years), ya.total)
            ]:
                rows.append([
                    _Shown(label) if p == "year"
                    else _Shown(stat_text(stats[p])) if p in stats else _Shown("")
                    for p, _ in head.leaves
                ])
            _appendix_table(doc, key, rows, bold_last=1)
        else:
            head = table_head(key, ("Đơn vị",))
            rows = [[uv.unit.name] + layout.appendix_row((uv.unit.data or {})[key], head)
                    for uv in finals]
            stats = agg.tables[key]
            rows.append(["Tổng cộng"] + [_Shown(stat_text(stats[p])) if p in stats else _Shown("")
                                          for p, _ in head.leaves])
            _appendix_table(doc, key, rows, ("Đơn vị",), bold_last=1)
            if note := layout.part_note(agg, key):
                doc.add(para(Run(note, italic=True, size=22)))
