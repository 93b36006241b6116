"""The district's workbook: the submission status, the outline's figures and the six appendices.

One sheet per appendix with one row per unit (Appendices 4 and 6: per unit and year) and the
district's total, under the source's merged column headers, the header rows frozen. Numbers are
stored as numbers with formats Excel shows in the reader's locale (1.536 and 78,5 in Vietnamese),
so it opens without any import step. What a unit wrote instead of a number stays in words, and a
text is always written as text: "=HYPERLINK(…)" is shown, never run. Only final reports are in
the figures; the status sheet lists every roster unit.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import TYPE_CHECKING, Any

import xlsxwriter

from generator import render
from generator.aggregate import Stat, get_path, yearly_parts
from generator.documents import layout, word
from generator.documents.layout import number_value, table_head
from generator.numbers import number, plain_decimal
from generator.outline import TableHead, current
from generator.schema import Schema, types_of

if TYPE_CHECKING:
    from collections.abc import Sequence

    from xlsxwriter.workbook import Workbook
    from xlsxwriter.worksheet import Worksheet

FIXED_DATE = dt.datetime(2021, 1, 1)  # document properties and zip dates: identical bytes


class _Fmt:
    """The workbook's cell formats, made once."""

    def __init__(self, wb: Workbook) -> None:
        base = {"font_name": "Times New Roman", "font_size": 11, "valign": "vcenter"}
        self.title = wb.add_format({**base, "bold": True, "font_size": 13})
        self.head = wb.add_format({**base, "bold": True, "align": "center", "text_wrap": True,
                                   "border": 1, "bg_color": "#E7E6E6"})
        self.text = wb.add_format({**base, "border": 1, "text_wrap": True})
        self.int = wb.add_format({**base, "border": 1, "num_format": "#,##0"})
        self.dec = wb.add_format({**base, "border": 1, "num_format": "General"})
        self.year = wb.add_format({**base, "border": 1, "num_format": "0"})
        self.total_text = wb.add_format({**base, "border": 1, "bold": True, "text_wrap": True})
        self.total_int = wb.add_format({**base, "border": 1, "bold": True, "num_format": "#,##0"})
        self.total_dec = wb.add_format({**base, "border": 1, "bold": True, "num_format": "General"})
        self.note = wb.add_format({**base, "italic": True, "text_wrap": True, "valign": "top"})
        self.date = wb.add_format({**base, "border": 1, "num_format": "dd/mm/yyyy",
                                   "align": "left"})
        self.total_year = wb.add_format({**base, "border": 1, "bold": True, "num_format": "0"})
        self._wb, self._base = wb, base
        self._decimals: dict[tuple[int, bool], Any] = {}

    def decimals(self, value: float, total: bool) -> Any:
        """A decimal shown with exactly the decimals it has (numbers.plain_decimal): never Excel's
        General, which shows 0.00001 as 1E-05."""
        places = len(plain_decimal(float(value)).partition(".")[2])
        key = (places, total)
        if key not in self._decimals:
            self._decimals[key] = self._wb.add_format({**self._base, "border": 1, "bold": total,
                                                       "num_format": "#,##0" + ("." + "0" * places if places else "")})
        return self._decimals[key]


def _num_format(node: Schema, fmt: _Fmt, total: bool = False, value: float | None = None) -> Any:
    if node.get("minimum") == 1900:
        return fmt.year
    if "integer" in types_of(node):
        return fmt.total_int if total else fmt.int
    if value is not None:
        return fmt.decimals(value, total)
    return fmt.total_dec if total else fmt.dec


def _put(ws: Worksheet, r: int, c: int, value: Any, node: Schema | None, fmt: _Fmt,
         total: bool = False) -> None:
    """One cell: a number as a number, anything else as text (never a formula)."""
    n = number_value(value)
    if n is not None:
        ws.write_number(r, c, n, _num_format(node or {}, fmt, total, n))
    elif value is None:
        ws.write_blank(r, c, None, fmt.total_text if total else fmt.text)
    else:
        text = layout.plain(value, node) if node is not None else layout.clean(str(value))
        ws.write_string(r, c, text, fmt.total_text if total else fmt.text)


def _header(ws: Worksheet, head: TableHead, top: int, fmt: _Fmt) -> int:
    """Write merged headers from row `top`; return the first body row."""
    for c in head.cells:
        r0, c0 = top + c.row, c.col
        r1, c1 = r0 + c.rowspan - 1, c0 + c.colspan - 1
        if (r0, c0) == (r1, c1):
            ws.write_string(r0, c0, c.label, fmt.head)
        else:
            ws.merge_range(r0, c0, r1, c1, c.label, fmt.head)
    return top + head.depth


def sheet_name(title: str, taken: Sequence[str]) -> str:
    """A worksheet name from a part's title: without the characters Excel refuses ([]:*?/\\, "'"
    at either end), at most 31 characters, different from the names already taken."""
    name = re.sub(r"[\[\]:*?/\\]", " ", title)
    name = " ".join(name.split()).strip("'")[:31].strip() or "Bảng"
    base, n = name, 2
    while name.lower() in (t.lower() for t in taken):
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)].rstrip() + suffix, n + 1
    return name


def _sheet(wb: Workbook, name: str, title: str, fmt: _Fmt, widths: Sequence[float]) -> Worksheet:
    ws = wb.add_worksheet(sheet_name(name, [w.get_name() for w in wb.worksheets()]))
    for i, w in enumerate(widths):
        ws.set_column(i, i, w)
    _RowHeights(ws, list(widths), fmt)
    ws.write_string(0, 1, title, fmt.title)  # column B: column A (the ids) is not printed
    return ws


class _RowHeights:
    """Rows as tall as their wrapped text: neither Excel nor LibreOffice fits a row to its text
    when opening a file, so a long cell would print cut. Every text written to a wrapping cell
    is measured (about 1.15 characters of Times New Roman 11 per unit of column width) and each
    row is given the height of its tallest cell when the sheet is done."""

    LINE = 15.0  # points per line of 11 pt text

    def __init__(self, ws: Worksheet, widths: list[float], fmt: _Fmt) -> None:
        self.ws, self.widths, self.lines = ws, widths, {}  # type: ignore[var-annotated]
        self.wrap = {id(f) for f in (fmt.head, fmt.text, fmt.total_text, fmt.note)}
        write, merge = ws.write_string, ws.merge_range

        def write_string(r: int, c: int, text: str, f: Any = None) -> Any:
            self.note(r, 1, c, c, text, f)
            return write(r, c, text, f)

        def merge_range(r0: int, c0: int, r1: int, c1: int, text: str, f: Any = None) -> Any:
            self.note(r0, r1 - r0 + 1, c0, c1, text, f)
            return merge(r0, c0, r1, c1, text, f)

        ws.write_string = write_string
        ws.merge_range = merge_range
        _HEIGHTS[id(ws)] = self

    def note(self, r: int, rows: int, c0: int, c1: int, text: str, f: Any) -> None:
        if id(f) not in self.wrap or not text:
            return
        width = sum(self.widths[c] if c < len(self.widths) else 8.43 for c in range(c0, c1 + 1))
        per_line = max(int(width * 1.15) - 1, 1)
        lines = sum(-(-max(len(part), 1) // per_line) for part in text.split("\n"))
        need = -(-lines // rows)  # a cell over several rows shares their height
        for row in range(r, r + rows):
            self.lines[row] = max(self.lines.get(row, 1), need)

    def fit(self) -> None:
        for row, lines in self.lines.items():
            if lines > 1:
                self.ws.set_row(row, self.LINE * lines)


_HEIGHTS: dict[int, _RowHeights] = {}


def _print_setup(ws: Worksheet, name: str, head_rows: tuple[int, int], lead: int) -> None:
    """How a sheet prints: A4 landscape, one page wide, the header rows and the unit's columns
    on every page, the sheet's name at the top and the page number at the bottom."""
    ws.set_paper(9)  # A4
    ws.set_landscape()
    ws.fit_to_pages(1, 0)  # one page wide, as many pages tall as needed
    ws.set_margins(left=0.5, right=0.4, top=0.75, bottom=0.6)  # inches: 13/10/19/15 mm
    ws.repeat_rows(*head_rows)
    if lead > 1:  # the unit's name, never its machine id ("Mã đơn vị" is not printed)
        ws.repeat_columns(1, lead - 1)
    # "&&" is a literal "&" in a header; a sheet name never holds one, but stay safe.
    ws.set_header(f'&C&"Times New Roman,Bold"&11{name.replace("&", "&&")}')
    ws.set_footer('&C&"Times New Roman"&10Trang &P/&N')
    ws.center_horizontally()


def _stat_cell(ws: Worksheet, r: int, c: int, st: Stat, node: Schema, fmt: _Fmt) -> None:
    """The district's figure: a sum, or for a percentage the mean over units with a value."""
    v = st.headline
    if v is None:
        ws.write_string(r, c, layout.NOT_FILLED, fmt.total_text)
    else:
        n = number_value(v) or 0
        ws.write_number(r, c, n, _num_format(node, fmt, total=True, value=n))


def workbook(view: render.SiteView) -> bytes:
    """The .xlsx file."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {
        "in_memory": True,
        # Text stays text: never read as a formula, a link or a number.
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
    })
    wb.set_properties({"title": f"Tổng hợp {current().report_name}", "author": str(
        view.campaign.get("reviewing_organisation", "")), "created": FIXED_DATE})
    fmt = _Fmt(wb)
    finals = [uv for uv in view.units if uv.unit.submitted and uv.unit.data is not None]
    _status_sheet(wb, view, fmt)
    _outline_sheet(wb, view, finals, fmt)
    # The appendices, then the lists compiled by unit (good models …): every table of the plan.
    for key in current().appendices + current().lists:
        _appendix_sheet(wb, view, key, finals, fmt)
    for ws in wb.worksheets():
        heights = _HEIGHTS.pop(id(ws), None)
        if heights is not None:
            heights.fit()
        # Printed from column B: the unit's id is for tools, not for paper.
        ws.print_area(0, 1, max(ws.dim_rowmax or 0, 1), max(ws.dim_colmax or 0, 1))
    wb.close()
    return buf.getvalue()


def _status_sheet(wb: Workbook, view: render.SiteView, fmt: _Fmt) -> None:
    st = view.status
    ws = _sheet(wb, "Tình hình gửi", "Tình hình gửi báo cáo", fmt, [24, 40, 16, 14, 14, 12, 50])
    def rate(n: int) -> str:
        r = st.rate(n)
        return "" if r is None else f" ({number(r)}%)"

    ws.merge_range(1, 1, 1, 6, (
        f"Phải gửi {st.expected}; đã gửi chính thức {st.submitted}{rate(st.submitted)}: đúng hạn "
        f"{st.on_time}{rate(st.on_time)}, muộn {st.late}{rate(st.late)}; đang soạn "
        f"{st.draft}{rate(st.draft)}; chưa gửi {st.missing}{rate(st.missing)}."), fmt.note)
    cols = ["Mã đơn vị", "Tên đơn vị", "Loại đơn vị", "Tình trạng", "Ngày gửi", "Số cảnh báo",
            *((roster.title,) if (roster := current().part_of("roster")) else ())]
    for c, h in enumerate(cols):
        ws.write_string(3, c, h, fmt.head)
    r = 4
    for uv in view.units:
        u = uv.unit
        for c, v in enumerate((u.id, u.name, u.kind_label, uv.status_label)):
            ws.write_string(r, c, layout.clean(str(v)), fmt.text)
        sent = _date(u.submission_date)
        if sent is not None:
            ws.write_datetime(r, 4, sent, fmt.date)
        else:
            ws.write_string(r, 4, "—", fmt.text)
        if u.has_page:
            ws.write_number(r, 5, len(u.warnings), fmt.int)
        else:
            ws.write_blank(r, 5, None, fmt.text)
        if roster:
            ws.write_string(r, 6, layout.clean(render.roster_line(u.data)), fmt.text)
        r += 1
    ws.freeze_panes(4, 2)
    ws.autofilter(3, 0, max(r - 1, 3), len(cols) - 1)
    _print_setup(ws, "Tình hình gửi báo cáo", (3, 3), 2)


def _date(iso: str) -> dt.datetime | None:
    """A report's sending date as a date for the spreadsheet (None when there is none)."""
    try:
        return dt.datetime.strptime(iso, "%Y-%m-%d") if iso else None
    except ValueError:
        return None


def _outline_sheet(wb: Workbook, view: render.SiteView, finals: list[render.UnitView],
                   fmt: _Fmt) -> None:
    agg = view.aggregates
    cols = [(k, p) for k in agg.outline for p in agg.outline[k]]
    where = f"Số liệu các {current().figures_in} của đề cương" if current().figures_in else "Số liệu đề cương"
    ws = _sheet(wb, "Số liệu đề cương", f"{where}, từng đơn vị",
                fmt, [24, 36] + [14] * len(cols))
    # Row 2: the section over its figures (merged); row 3: each figure's label.
    ws.merge_range(2, 0, 3, 0, "Mã đơn vị", fmt.head)
    ws.merge_range(2, 1, 3, 1, "Tên đơn vị", fmt.head)
    c = 2
    for key, figures in agg.outline.items():
        if not figures:
            continue
        title = render.section_meta(key)[3]
        if len(figures) > 1:
            ws.merge_range(2, c, 2, c + len(figures) - 1, title, fmt.head)
        else:
            ws.write_string(2, c, title, fmt.head)
        for j, path in enumerate(figures):
            ws.write_string(3, c + j, current().path_title(key, path), fmt.head)
        c += len(figures)
    r = 4
    for uv in finals:
        d = uv.unit.data or {}
        ws.write_string(r, 0, uv.unit.id, fmt.text)
        ws.write_string(r, 1, layout.clean(uv.unit.name), fmt.text)
        for j, (k, p) in enumerate(cols):
            _put(ws, r, 2 + j, get_path(d.get(k), p), current().node((k, *p.split("."))), fmt)
        r += 1
    ws.write_string(r, 0, "", fmt.total_text)
    means = any(agg.outline[k][p].method == "mean" for k, p in cols)
    ws.write_string(r, 1, "Toàn huyện: tổng" + (
        " (tỷ lệ %: trung bình các đơn vị có số liệu)" if means else ""), fmt.total_text)
    for j, (k, p) in enumerate(cols):
        _stat_cell(ws, r, 2 + j, agg.outline[k][p], current().node((k, *p.split("."))), fmt)
    ws.write_string(r + 1, 1, "Số đơn vị có số liệu", fmt.total_text)
    for j, (k, p) in enumerate(cols):
        ws.write_number(r + 1, 2 + j, agg.outline[k][p].reported, fmt.total_int)
    ws.freeze_panes(4, 2)
    _print_setup(ws, where, (2, 3), 2)


def _gave(finals: list[render.UnitView], key: str, year: int) -> int:
    """How many final reports give at least one figure for `year` in a year-row appendix."""
    return sum(1 for uv in finals
               if word.year_given(list((uv.unit.data or {}).get(key) or []), key, year))


def _appendix_sheet(wb: Workbook, view: render.SiteView, key: str,
                    finals: list[render.UnitView], fmt: _Fmt) -> None:
    agg = view.aggregates
    first = ("Mã đơn vị", "Tên đơn vị") + (("TT",) if current().part(key).kind == "list" else ())
    head = table_head(key, first)
    nodes = [n for _, n in head.leaves]
    # Figures as wide as their header's longest word (a word never breaks), texts wide.
    widths = [20.0, 28.0] + ([5.0] if current().part(key).kind == "list" else []) + [
        30.0 if not ({"integer", "number"} & set(types_of(n)))
        else max(7.0, min(12.0, 2.0 + max(len(w) for w in str(n.get("title", "x")).split())))
        for n in nodes
    ]
    heading = current().heading(key)
    ws = _sheet(wb, current().title((key,)), heading, fmt, widths)
    # A note spans the printed columns and wraps, so that it prints whole.
    last = len(first) + len(nodes) - 1
    ws.merge_range(1, 1, 1, last, "Cách tổng hợp: " + view.how.get(key, ""), fmt.note)
    top = 3
    r = _header(ws, head, top, fmt)
    ws.freeze_panes(r, 2)
    _print_setup(ws, heading, (top, r - 1), 2)
    lead = len(first)
    if current().part(key).kind == "list":
        for u, rows in agg.lists[key]:
            for i, row in enumerate(rows):
                ws.write_string(r, 0, u.id, fmt.text)
                ws.write_string(r, 1, layout.clean(u.name), fmt.text)
                ws.write_number(r, 2, i + 1, fmt.int)
                for j, v in enumerate(layout.appendix_row(row, head)):
                    _put(ws, r, lead + j, v, nodes[j], fmt)
                r += 1
        return
    if key in yearly_parts():
        for uv in finals:
            for row in (uv.unit.data or {}).get(key) or []:
                ws.write_string(r, 0, uv.unit.id, fmt.text)
                ws.write_string(r, 1, layout.clean(uv.unit.name), fmt.text)
                for j, v in enumerate(layout.appendix_row(row, head)):
                    _put(ws, r, lead + j, v, nodes[j], fmt)
                r += 1
        ya = agg.yearly[key]
        period = f"{ya.years[0]}–{ya.years[-1]}" if ya.years else ""
        totals: list[tuple[int | str, str, dict[str, Stat]]] = [
            (y, (f"Toàn huyện: tổng năm {y} ({_gave(finals, key, y)}/{len(finals)} đơn vị có "
                 "số liệu năm này)"), ya.rows[y]) for y in ya.years
        ]
        totals.append((period, f"Toàn huyện: tổng {period}", ya.total))
        for label, name, year_stats in totals:
            ws.write_string(r, 0, "", fmt.total_text)
            ws.write_string(r, 1, name, fmt.total_text)
            for j, (p, n) in enumerate(head.leaves):
                if p == "year" and isinstance(label, int):
                    ws.write_number(r, lead + j, label, fmt.total_year)
                elif p == "year":
                    ws.write_string(r, lead + j, label, fmt.total_text)
                elif p in year_stats:
                    _stat_cell(ws, r, lead + j, year_stats[p], n, fmt)
                else:
                    ws.write_blank(r, lead + j, None, fmt.total_text)
            r += 1
        return
    for uv in finals:
        ws.write_string(r, 0, uv.unit.id, fmt.text)
        ws.write_string(r, 1, layout.clean(uv.unit.name), fmt.text)
        for j, v in enumerate(layout.appendix_row((uv.unit.data or {}).get(key), head)):
            _put(ws, r, lead + j, v, nodes[j], fmt)
        r += 1
    stats = agg.tables[key]
    means = any(stats[p].method == "mean" for p, _ in head.leaves if p in stats)
    total = "Tổng cộng" + (" (tỷ lệ %: trung bình các đơn vị có số liệu)" if means else "")
    for name, pick in ((total, "headline"), ("Số đơn vị có số liệu", "reported")):
        ws.write_string(r, 0, "", fmt.total_text)
        ws.write_string(r, 1, name, fmt.total_text)
        for j, (p, n) in enumerate(head.leaves):
            if pick == "reported":
                ws.write_number(r, lead + j, stats[p].reported, fmt.total_int)
            else:
                _stat_cell(ws, r, lead + j, stats[p], n, fmt)
        r += 1
    if note := layout.part_note(agg, key):
        ws.merge_range(r + 1, 1, r + 1, lead + len(nodes) - 1, note, fmt.note)

