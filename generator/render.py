"""The site's pages: views of the outline and the aggregates (plain data), and their Markdown,
rendered from site_templates/ with Jinja2. The downloads are generator/exports/, the Word and
Excel files generator/documents/; the escaping is generator/escape.py.

Safety. Everything a unit wrote is data, never template or Markdown source:
- templates are loaded from files only; user text is never compiled as a template, so `{{ }}` or
  `{% %}` in a report is just characters;
- every `{{ expression }}` passes `finalize=_finalize`, which HTML-escapes a plain string *and*
  turns each character Markdown or its extensions would read as structure (`# * _ | [ ] { } ``
  ~ ^ = \\ :`) into a numeric entity. Autoescape is on as well, so a value can only reach the
  page unescaped if it is `Markup`, and `Markup` is made only here and in escape.py, by
  functions that escape it;
- user text is always placed inside raw HTML blocks (`<p>`, `<li>`, `<td>`) with no blank line
  inside, so Python-Markdown passes it through untouched; a newline never ends a table row and a
  `|` never splits a cell.
- page titles go to MkDocs' own templates, which print them unescaped: `safe_title` drops the
  characters HTML could read there.
The generated Markdown therefore only has structure that the templates themselves wrote.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypedDict

import jinja2
from markupsafe import Markup

from generator import charts, fork, unit_pages
from generator.aggregate import (
    STATUS_VI,
    Aggregates,
    Indicators,
    Stat,
    StatusSummary,
    Unit,
    get_path,
    indicators,
    leaf_paths,
    table_parts,
    unit_totals,
    yearly_parts,
)
from generator.escape import narrative, safe_title, text
from generator.numbers import date_vi, number, value_text
from generator.outline import CompareColumn, Part, TableHead, current, is_number
from generator.problems import Problem
from generator.resources import TEMPLATE_DIR as TEMPLATE_DIR  # the checkout's, or the wheel's
from generator.schema import (
    LABEL_SEP,
    Schema,
    enum_options,
    is_multiline,
)

UNITS_IN_NAV_MAX = 60  # past this, unit pages leave the nav (every page carries the whole nav)


def _finalize(value: Any) -> Any:
    if value is None:
        return "—"
    if hasattr(value, "__html__") or isinstance(value, (int, float)):
        return value  # Markup and Cell: already escaped by this module
    return text(value)


# --- views: plain data the templates lay out ---------------------------------------------


# One value, escaped and formatted for HTML by this module.
Cell = Markup


@dataclass(frozen=True)
class Block:
    """A part of a section: a narrative text, a small table, or a list of named items."""

    # group: a "*" sub-heading of the outline; figures: the counts that go with the text above.
    kind: Literal["text", "table", "items", "group", "figures"]
    label: str
    body: Markup = Markup("")
    columns: tuple[str, ...] = ()
    rows: tuple[tuple[Cell, ...], ...] = ()
    items: tuple[tuple[Cell, tuple[tuple[str, Cell], ...]], ...] = ()
    level: int = 3  # the level of the block's heading
    figures: tuple[tuple[str, Cell], ...] = ()


@dataclass(frozen=True)
class SectionView:
    """One outline section of one unit, laid out as the outline is: texts, their figures, groups."""

    key: str
    heading: str  # as the source writes it ("1. Kết quả thực hiện các mục tiêu …")
    slug: str
    blocks: tuple[Block, ...]
    level: int = 2
    parents: tuple[str, ...] = ()  # the outline headings above it ("III. KẾT QUẢ THỰC HIỆN")
    title: str = ""  # standing alone, as a page title: "III.1. Kết quả thực hiện …"


# A figure of the district: (label, value, how many units gave it, as "5/6").
FigureRow = tuple[Markup, Markup, str]
# A section's district figures: (section title, its figures' rows, the rates computed from them).
OutlineFigures = tuple[str, tuple[FigureRow, ...], tuple[FigureRow, ...]]
# A row of a yearly table: its label (a year, or the total's), its cells, and whether it is a total.
YearRow = tuple[str, dict[str, Cell], bool]


@dataclass(frozen=True)
class UnitView:
    """Everything a unit page and the per-unit parts of other pages show."""

    unit: Unit
    href: str  # from the site root
    status_label: str
    date: str
    sections: tuple[SectionView, ...] = ()
    # Lists outside the appendices (good models …), as named items or a table: part → block.
    items: dict[str, Block] = field(default_factory=dict)
    # Lists among the appendices: part → rows, each its number then a cell per column.
    lists: dict[str, tuple[tuple[Cell, ...], ...]] = field(default_factory=dict)
    cells: dict[str, dict[str, Cell]] = field(default_factory=dict)  # table part → dotted → cell
    # Yearly tables: part → rows of (year, dotted → cell, bold), the period's total last.
    years: dict[str, tuple[YearRow, ...]] = field(default_factory=dict)
    indicators: Indicators | None = None
    yaml_url: str = ""
    edit_url: str = ""
    header: tuple[tuple[str, Cell], ...] = ()

    @property
    def left_to_fill(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """What a report has not filled in yet, by part of the outline: (part, fields)."""
        groups: dict[str, list[str]] = {}
        for p in self.unit.warnings:
            if p.code.startswith("fill-"):
                part, _, rest = p.field.partition(LABEL_SEP)
                groups.setdefault(part, []).append(rest or part)
        return tuple((part, tuple(fields)) for part, fields in groups.items())

    @property
    def other_warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.unit.warnings if not p.code.startswith("fill-"))


@dataclass(frozen=True)
class SiteView:
    """The whole site's data, built once; every page template reads from it."""

    campaign: dict[str, Any]
    period: tuple[int, ...]
    status: StatusSummary
    units: tuple[UnitView, ...]
    by_kind: tuple[tuple[str, tuple[UnitView, ...]], ...]
    summary_cells: dict[str, dict[str, dict[str, Cell]]]  # table part → statistic → dotted → cell
    summary_years: dict[str, tuple[YearRow, ...]]
    aggregates: Aggregates
    charts: tuple[ChartView, ...]  # the summary's charts (x-charts), in order
    compare: tuple[CompareColumn, ...]  # the columns of the table comparing units (x-compare)
    compare_note: str  # what its columns are, in words
    sections: tuple[tuple[str, str, str], ...]  # (key, heading, slug)
    labels: dict[str, Markup]  # dotted schema path → Vietnamese title, escaped
    headings: dict[str, str]  # top-level key → heading as in the source (x-heading)
    # Table part → its district rows: (statistic, Vietnamese name); every statistic where a
    # percentage is averaged, else the total and how many units gave each figure.
    stat_rows: dict[str, tuple[tuple[str, str], ...]]
    how: dict[str, str]  # part → how it was aggregated
    appendix_parts: tuple[Part, ...]  # the appendices, in order
    list_parts: tuple[Part, ...]  # the lists compiled by unit outside the appendices
    columns: dict[str, tuple[Markup, ...]]  # list part → its columns' titles, escaped
    # Part → what the district adds under its "how" (a target met by how many units …).
    part_notes: dict[str, Markup]
    downloads: tuple[tuple[str, str], ...]  # (file, description): the CSV and JSON, for analysts
    report_name: str  # what the plan's report is called in running text (x-report)
    figures_in: str  # where the outline asks for figures (x-figures-in), or ""
    # The parts of the outline as the starter file has them, in words (the "how to submit" page).
    starter_parts: str
    # Where "không giao chỉ tiêu" (a target not assigned) may be written: "Mục III.1, Phụ lục 5".
    no_target_parts: str
    roster_column: str  # the roster's column for the roster part (x-roster), or "" without one
    reports_file: str  # the JSON (or zip) of every report, which the editor page loads a report from
    # What the district office opens first, in that order: the Excel workbook, then its Word draft
    # (file, name on the button, description).
    documents: tuple[tuple[str, str, str], ...]
    # The district's totals of the outline's figures, by section's key, in the outline's order.
    section_figures: dict[str, OutlineFigures]
    # The charts of each unit against its own target, drawn on the pages comparing units: (title,
    # the district's count as a caption) for the summary.
    target_notes: tuple[tuple[str, Markup], ...]
    units_in_nav: bool
    # Past UNITS_IN_NAV_MAX units, the headings of units' texts are plain HTML without an id (no
    # permalink, no table-of-contents entry: a thousand units would pay for them on every page).
    # Search is not affected any more: Pagefind indexes every unit's text in a chunked index
    # (generator/search.py), and publish_hook drops the attribute this flag used to add.
    unit_texts_searched: bool

    @property
    def updated(self) -> str:
        """The last change of any report (ISO date), or "" when there is none."""
        return max((u.unit.updated for u in self.units if u.unit.updated), default="")

    @property
    def section_parents(self) -> dict[str, tuple[str, ...]]:
        """The outline headings above each section ("III. KẾT QUẢ THỰC HIỆN" above III.1)."""
        return {key: section_meta(key)[2] for key, _, _ in self.sections}

    def head(self, key: str, first: tuple[str, ...] = (), figures_only: bool = False) -> TableHead:
        """A table part's merged headers (the outline's, as Word and Excel draw them)."""
        return current().table_head(key, first, figures_only)

    @property
    def status_groups(self) -> tuple[StatusGroup, ...]:
        """Every roster unit by state, the ones to chase first (the status page, trang-thai.csv)."""
        return status_groups(self.units)

    def reminder(self, u: UnitView, root: str = "") -> str:
        """The reminder text for a unit not in yet, with the link to “Nộp báo cáo trực tuyến”."""
        return reminder_text(u, self.campaign, editor_link(self.campaign, root)[0])

    def target_charts(self, units: tuple[UnitView, ...]) -> tuple[ChartView, ...]:
        """Each of these units' result against its own target (a page of the comparison)."""
        return target_charts(units, self.aggregates)

    def list_count(self, key: str) -> tuple[int, int]:
        """A list's rows over the final reports, and how many of those reports have any."""
        counts = []
        for u in self.submitted:
            block = u.items.get(key)
            counts.append(len(block.items or block.rows) if block is not None else len(u.lists.get(key, ())))
        return sum(counts), sum(1 for c in counts if c)

    @property
    def submitted(self) -> tuple[UnitView, ...]:
        """The units whose final report is in: the ones every compiled page shows."""
        return tuple(u for u in self.units if u.unit.submitted)

    @property
    def search_skip(self) -> Markup:
        """The marker of headings kept plain with many units (see unit_texts_searched), or nothing."""
        return Markup("") if self.unit_texts_searched else Markup(' data-search-exclude="1"')


# --- the status page: who to call first --------------------------------------------------------

# The order of the status page's groups: the units a reviewer must chase first.
STATUS_ORDER = ("missing", "draft", "late", "on_time")
STATUS_ACTION = {
    "missing": "Cần đôn đốc: chưa gửi báo cáo",
    "draft": "Cần đôn đốc: báo cáo còn là bản nháp",
    "late": "Đã nhận, gửi sau hạn",
    "on_time": "Đã nhận đúng hạn",
}
EDITOR_PAGE = "nop-truc-tuyen.html"  # “Nộp báo cáo trực tuyến”, where a unit fills its report in


@dataclass(frozen=True)
class StatusGroup:
    """The roster units in one state, in roster order."""

    status: str
    label: str  # “Chưa gửi”
    action: str  # what the district does about them
    units: tuple[UnitView, ...]

    @property
    def needs_action(self) -> bool:
        """Not in yet: a missing report or a draft, each to be chased with a reminder."""
        return self.status in ("missing", "draft")


def status_groups(units: tuple[UnitView, ...]) -> tuple[StatusGroup, ...]:
    """Every roster unit grouped by its state, the ones needing action first; empty groups kept."""
    return tuple(
        StatusGroup(s, STATUS_VI[s], STATUS_ACTION[s], tuple(u for u in units if u.unit.status == s))
        for s in STATUS_ORDER
    )


def reminder_text(u: UnitView, campaign: dict[str, Any], link: str) -> str:
    """The reminder (“đôn đốc”) a reviewer pastes into Zalo for a unit whose report is not in:
    the unit, what is asked, the deadline, and the page where the unit fills the report in."""
    plan = campaign["plan"]
    report = current().report_name  # "báo cáo tổng kết"
    asked = (
        "báo cáo của đơn vị trên trang tổng hợp vẫn là bản nháp, chưa tính là đã gửi. Đề nghị "
        f"đơn vị hoàn thành, chuyển sang “Chính thức” và gửi lại {report}"
        if u.unit.draft
        else f"đơn vị chưa gửi báo cáo. Đề nghị đơn vị gửi {report}"
    )
    return (
        f"Kính gửi {u.unit.name}: {campaign['reviewing_organisation']} thông báo {asked} "
        f"theo Kế hoạch số {plan['number']} trước ngày {date_vi(str(campaign['deadline']))}. "
        f"Đơn vị có thể điền và gửi báo cáo ngay trên điện thoại tại trang “Nộp báo cáo trực "
        + (f"tuyến”: {link} . Trân trọng." if link else "tuyến” của trang tổng hợp. Trân trọng.")
    )


def editor_link(campaign: dict[str, Any], root: str = "") -> tuple[str, bool]:
    """The address of “Nộp báo cáo trực tuyến” for a message, and whether it is absolute: from
    campaign.yaml's site_url, else relative (the status page's script completes it)."""
    url = campaign.get("site_url")
    if isinstance(url, str) and url.strip():
        return url.strip().rstrip("/") + "/" + EDITOR_PAGE, True
    return root + EDITOR_PAGE, False


# --- pages of units: a part compiled unit by unit, split when it would not fit a phone --------

# A page that shows units one after another (a section's texts, an appendix's tables, the good
# models …) holds at most this many units, and about this many bytes of their content (a unit
# larger than that alone still gets a page of its own). Past either, the part's own page keeps
# its totals and an index, and its units go on pages of their own, by kind of unit, so that no
# page grows with the district.
PAGE_UNITS = 50
PAGE_BYTES = 250_000
PARTS_FOLDER = "tong-hop"  # the pages of the appendices, the lists and the comparison
COMPARE_SLUG = "so-sanh"  # the comparison of units (x-compare), as its CSV is named
COMPARE_TITLE = "So sánh các đơn vị"
TABLES_TITLE = "Bảng và danh sách"  # the nav's heading over them


@dataclass(frozen=True)
class UnitPage:
    """One page of a part's units: all of one kind, in roster order."""

    number: int  # from 1, over the part's pages
    path: str  # under docs/: "muc/muc-3-2-3/trang-2.md"
    kind: str  # the units' kind, as the roster names it
    units: tuple[UnitView, ...]
    first: int  # the number of its first unit among the kind's (from 1)
    of_kind: int  # how many units of this kind the part shows

    @property
    def href(self) -> str:
        """Its address from the site root."""
        return self.path.removesuffix(".md") + ".html"


@dataclass(frozen=True)
class Paging:
    """Where a part's units are shown: on its own page while they fit, else on pages by kind."""

    path: str  # the part's own page, under docs/: its totals, and its units or its pages' index
    units: tuple[UnitView, ...]  # every unit it shows (the final reports), in roster order
    pages: tuple[UnitPage, ...] = ()  # () when the units are on the part's own page

    @property
    def href(self) -> str:
        return self.path.removesuffix(".md") + ".html"

    @property
    def kinds(self) -> tuple[tuple[str, int, tuple[UnitPage, ...]], ...]:
        """The pages by kind: (kind, how many units, its pages)."""
        out: list[tuple[str, int, tuple[UnitPage, ...]]] = []
        for pg in self.pages:
            if out and out[-1][0] == pg.kind:
                out[-1] = (pg.kind, out[-1][1], out[-1][2] + (pg,))
            else:
                out.append((pg.kind, pg.of_kind, (pg,)))
        return tuple(out)

    def near(self, pg: UnitPage) -> tuple[UnitPage | None, UnitPage | None]:
        """The pages before and after this one."""
        i = pg.number - 1
        return (self.pages[i - 1] if i > 0 else None,
                self.pages[i + 1] if i + 1 < len(self.pages) else None)


def paginate(
    path: str, view: SiteView, size: Callable[[UnitView], int],
    most: int = PAGE_UNITS, budget: int = PAGE_BYTES, units: tuple[UnitView, ...] | None = None,
) -> Paging:
    """Put a part's units (the final reports, or `units`) on its own page, or, past `most` units
    or `budget` bytes, on pages of their own: by kind of unit in the roster's order of kinds, each
    kind cut into pages of about the same number of units. `size` is what a unit adds to a page."""
    units = view.submitted if units is None else units
    sizes = {u.unit.id: size(u) for u in units}
    if len(units) <= most and sum(sizes.values()) <= budget:
        return Paging(path, units)
    stem = path.removesuffix(".md")
    pages: list[UnitPage] = []
    kinds = [(kind, tuple(u for u in members if u.unit.id in sizes)) for kind, members in view.by_kind]
    placed = {u.unit.id for _, members in kinds for u in members}
    for u in units:  # a kind the roster has but the schema does not list: after the others
        if u.unit.id not in placed:
            kinds.append((u.unit.kind_label, tuple(x for x in units if x.unit.kind_label == u.unit.kind_label
                                                     and x.unit.id not in placed)))
            placed.update(x.unit.id for x in kinds[-1][1])
    for kind, shown in kinds:
        if not shown:
            continue
        total = sum(sizes[u.unit.id] for u in shown)
        count = max(-(-len(shown) // most), -(-total // budget))
        per = -(-len(shown) // count)  # about the same number of units on each page
        chunk: list[UnitView] = []
        taken = 0
        first = 1
        for u in shown:
            if chunk and (len(chunk) >= per or taken + sizes[u.unit.id] > budget):
                pages.append(UnitPage(len(pages) + 1, f"{stem}/trang-{len(pages) + 1}.md", kind,
                                      tuple(chunk), first, len(shown)))
                first += len(chunk)
                chunk, taken = [], 0
            chunk.append(u)
            taken += sizes[u.unit.id]
        pages.append(UnitPage(len(pages) + 1, f"{stem}/trang-{len(pages) + 1}.md", kind,
                              tuple(chunk), first, len(shown)))
    return Paging(path, units, tuple(pages))


class PageInfo(TypedDict):
    path: str  # output path under docs/, e.g. "don-vi/xa-xuan-lap.md"
    title: str
    root: str  # relative prefix back to the site root: "" or "../"
    search_exclude: bool  # pages that only repeat unit pages stay out of the search index


class TemplateContext(TypedDict):
    """What every template gets: the site, the page, and the unit or section it is about."""

    site: SiteView | UnitSite  # a unit's page reads only what UnitSite lets it
    page: PageInfo
    unit: UnitView | None
    section: tuple[str, str, str] | None
    # Each unit's section bodies, rendered once and shown on its page and on the section's page.
    fragments: dict[str, Markup]
    # Where each part compiled unit by unit shows its units (section and list parts by key, the
    # comparison of units under COMPARE): on its own page, or on pages of their own.
    pagings: dict[str, Paging]
    part: Part | None  # the appendix or list a page is about
    paging: Paging | None  # the part (section, appendix, list, comparison) a page shows units of
    slice: UnitPage | None  # which of its pages this is; None on the part's own page


# --- building views from the schema and the data -------------------------------------------


def no_data_labels() -> dict[str, str]:
    """Every "no data" text the schema accepts anywhere, with its label ("không áp dụng" → "Không áp dụng")."""
    return current().no_data_labels


def no_data(value: str) -> Markup:
    """What a unit wrote instead of a figure, marked so that it never reads as a number."""
    return Markup('<span class="no-data">') + text(no_data_labels().get(value, value)) + Markup("</span>")


def years_given(rows: list[dict[str, Any]], appendix: str, years: tuple[int, ...]) -> tuple[int, ...]:
    """The years of the period a year-row appendix gives at least one figure for."""
    row_key = current().part(appendix).row_key
    leaves = [p for p, _ in leaf_paths(appendix)]
    given = {r.get(row_key) for r in rows
             if any(isinstance(get_path(r, p), (int, float)) and not isinstance(get_path(r, p), bool)
                    for p in leaves)}
    return tuple(y for y in years if y in given)


def period_label(years: tuple[int, ...], period: tuple[int, ...] = ()) -> str:
    """"Tổng 2016–2020"; over part of the period, the years it covers ("Tổng 2018–2020, 3/5
    năm"), so that a total over three years never reads as one over five."""
    if not years:
        return "Tổng (không năm nào có số liệu)" if period else "Tổng"
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
    if period and len(years) < len(period):
        return f"Tổng {span}, {len(years)}/{len(period)} năm"
    return f"Tổng {span}"


def roster_values(data: dict[str, Any] | None) -> tuple[str, ...]:
    """The roster part of a report (its review conference) in plain words, a value per field in
    the schema's order ("Đã tổ chức", "12/01/2021", "85", "…"): "—" for what the report does not
    say, "no data" in words; () when the plan has no roster part."""
    roster = current().roster
    if roster is None:
        return ()
    c = (data or {}).get(roster.key) or {}

    def shown(value: Any, node: Schema) -> str:
        if value is None or value == "":
            return "—"
        if isinstance(value, str) and value in no_data_labels():
            return no_data_labels()[value]
        if "oneOf" in node or "enum" in node:
            return str(dict(enum_options(node) or []).get(value, value))
        if node.get("format") == "date":
            return date_vi(str(value))
        if isinstance(value, int) and not isinstance(value, bool):
            return number(value)
        return str(value)

    return tuple(shown(c.get(f.key) if isinstance(c, dict) else None, f.node) for f in roster.fields)


def _is_date(node: Schema) -> bool:
    return node.get("format") == "date"


def roster_line(data: dict[str, Any] | None) -> str:
    """"Đã tổ chức, ngày 12/01/2021; số người dự: 85; chủ trì: …", or "—" when the report is
    silent: the first field, its dates, then each other field by its short name (x-short)."""
    roster = current().roster
    values = roster_values(data)
    if roster is None or all(v == "—" for v in values):
        return "—"
    first, dates = values[0], [v for f, v in zip(roster.fields, values) if _is_date(f.node) and v != "—"]
    parts = [first + "".join(f", ngày {d}" for d in dates)]
    for f, v in zip(roster.fields[1:], values[1:]):
        if not _is_date(f.node) and v != "—":
            parts.append(f"{f.node.get('x-short') or f.title[:1].lower() + f.title[1:]}: {v}")
    return "; ".join(parts)


def roster_cell(data: dict[str, Any] | None) -> tuple[str, str]:
    """The roster's column for a unit: (shown, sort key): "Đã tổ chức, 12/01/2021" sorted by
    the first field and the date as written."""
    roster = current().roster
    values = roster_values(data)
    if roster is None:
        return "", ""
    c = (data or {}).get(roster.key) or {}
    dates = [(v, c.get(f.key)) for f, v in zip(roster.fields, values) if _is_date(f.node)]
    shown = values[0] + "".join(f", {v}" for v, _ in dates if v != "—")
    return shown, " ".join([values[0], *(str(raw or "") for _, raw in dates)])


def cell(value: Any, node: Schema | None) -> Cell:
    """Format one value by what its schema says it is."""
    node = node or {}
    if value is None:
        return Markup("—")
    # "không có số liệu" where a figure goes (or where its whole group was marked so).
    if isinstance(value, str) and value in no_data_labels() and (node.get("x-no-data") or is_number(node)):
        return no_data(value)
    if is_multiline(node):
        return narrative(value)
    return text(value_text(value, node))


def _array_block(path: tuple[str | int, ...], value: list[Any]) -> Block:
    o = current()
    label = text(o.title(path))
    cols = o.columns(path)
    if o.as_table(path):
        rows = tuple(tuple(cell(row.get(c.key), c.node) for c in cols) for row in value)
        return Block("table", label, columns=tuple(text(c.title) for c in cols), rows=rows)
    first, rest = cols[0], cols[1:]
    items = tuple(
        (cell(row.get(first.key), first.node), tuple((text(c.title), cell(row.get(c.key), c.node)) for c in rest))
        for row in value
    )
    return Block("items", label, items=items)


def section_slug(key: str) -> str:
    """A section's page and anchor name (x-slug)."""
    return current().part(key).slug


def section_meta(key: str) -> tuple[str, int, tuple[str, ...], str]:
    """(heading, level, parent headings, standalone title) of a section, from the outline.

    III.1 is "1. …" under "III. KẾT QUẢ THỰC HIỆN"; its page is titled "III.1. …".
    """
    p = current().part(key)
    return p.heading, p.level, p.parents, p.standalone


def section_view(key: str, data: dict[str, Any]) -> SectionView:
    """Lay out one outline section as the outline does: each text, then the figures that go with
    it; the outline's "*" groups as sub-headings; lists as tables or named items."""
    heading, level, parents, title = section_meta(key)
    blocks: list[Block] = []
    for r in current().runs(key):
        if r.kind == "group":
            blocks.append(Block("group", r.label, level=level + 1))
        elif r.kind == "figures":
            blocks.append(Block("figures", "", figures=tuple(
                (text(f.label), cell(get_path(data, f.key), f.node)) for f in r.fields)))
        else:
            f, inner = r.fields[0], level + (2 if r.grouped else 1)
            if r.kind == "array":
                blocks.append(dataclasses.replace(_array_block((key, f.key), data.get(f.key) or []), level=inner))
            else:
                blocks.append(Block("text", text(f.label), body=narrative(data.get(f.key)), level=inner))
    return SectionView(key, heading, section_slug(key), tuple(blocks), level, parents, title)


def _appendix_cells(obj: Any, appendix: str) -> dict[str, Cell]:
    return {p: cell(get_path(obj, p), n) for p, n in leaf_paths(appendix)}


def _stat_cells(stats: dict[str, Stat], pick: str) -> dict[str, Cell]:
    out: dict[str, Cell] = {}
    for path, st in stats.items():
        if pick == "total" and st.method == "mean":
            # A sum of percentages means nothing; say so in the cell rather than leave it blank.
            out[path] = Markup('<span class="not-summed">không cộng</span>')
            continue
        if pick == "reported":
            out[path] = Markup(st.units_text)  # units with data / final reports
            continue
        v = _pick(st, pick)
        out[path] = Markup(number(v))
    return out


def _repo_urls(campaign: dict[str, Any], repo_path: str) -> tuple[str, str]:
    repo = campaign["repository"]
    base, branch = str(repo["url"]).rstrip("/"), str(repo["branch"])
    return f"{base}/blob/{branch}/{repo_path}", f"{base}/edit/{branch}/{repo_path}"


def unit_view(
    unit: Unit, campaign: dict[str, Any], years: tuple[int, ...], full: bool = True
) -> UnitView:
    """Build the view of one unit; `full` adds everything the unit's own page needs."""
    href = f"don-vi/{unit.id}.html"
    base = UnitView(
        unit,
        href,
        STATUS_VI[unit.status],
        date_vi(unit.submission_date) if unit.submission_date else "—",
        indicators=indicators(unit, years),
    )
    d = unit.data
    if d is None or not full:
        return base
    o = current()
    cells = {a: _appendix_cells(d[a], a) for a in table_parts()}
    year_rows: dict[str, tuple[YearRow, ...]] = {}
    for a in yearly_parts():
        row_key = o.part(a).row_key
        texts = [(p, n) for p, n in o.table_head(a).leaves if p != row_key and not is_number(n)]
        rows: list[YearRow] = []
        for r in d[a]:
            cs = _appendix_cells(r, a)
            # Notes are text; they sit in their own columns of the year rows.
            cs.update({p: cell(get_path(r, p), n) for p, n in texts})
            rows.append((number(r.get(row_key), group=False), cs, False))
        totals = unit_totals(d[a], a, years)
        rows.append(
            (
                period_label(years_given(d[a], a, years), years),
                {p: Markup(number(v)) for p, v in totals.items()},
                True,
            )
        )
        year_rows[a] = tuple(rows)
    lists = {
        a: tuple(
            (Markup(str(i + 1)),) + tuple(cell(row.get(c.key), c.node) for c in o.columns((a,)))
            for i, row in enumerate(d[a])
        )
        for a in o.keys("list", appendix=True)
    }
    yaml_url, edit_url = _repo_urls(campaign, unit.repo_path)
    header = (
        (current().title(("unit", "name")), cell(d["unit"]["name"], current().node(("unit", "name")))),
        (current().title(("unit", "id")), cell(d["unit"]["id"], current().node(("unit", "id")))),
        (current().title(("unit", "kind")), cell(d["unit"]["kind"], current().node(("unit", "kind")))),
        (
            current().title(("signer",)),
            text(d["signer"]["name"] or "—") + Markup(" — ") + text(d["signer"]["position"] or "—"),
        ),
        (current().title(("status",)), cell(d.get("status"), current().node(("status",)))),
        (current().title(("submission_date",)), text(date_vi(unit.submission_date) if unit.submission_date else "—")),
        *(((roster.title, text(roster_line(d))),) if (roster := current().part_of("roster")) else ()),
        ("Cập nhật lần cuối", text(date_vi(unit.updated) if unit.updated else "—")),
    )
    return UnitView(
        unit,
        href,
        base.status_label,
        base.date,
        sections=tuple(section_view(k, d[k]) for k in current().sections),
        items={k: _array_block((k,), d[k]) for k in o.lists},
        lists=lists,
        cells=cells,
        years=year_rows,
        indicators=base.indicators,
        yaml_url=yaml_url,
        edit_url=edit_url,
        header=header,
    )


def _with_table(title: str, caption: str, categories: list[str], series: list[charts.Series]) -> Markup:
    """A yearly chart in its two forms and, under it, its numbers as a table (a row per
    category, a column per series)."""
    rows: list[list[str | float | None]] = [
        [cat, *(s.values[i] for s in series)] for i, cat in enumerate(categories)
    ]
    return _chart_block(
        charts.grouped_bars(title, categories, series),
        charts.grouped_hbars(title, categories, series),
        charts.data_table(caption, ["", *(s.name for s in series)], rows),
    )


# A phone chart taller than this (about two screens of a phone) is no longer read as a picture:
# there the table of its numbers comes first, open, and the chart after it.
PHONE_CHART_MAX_HEIGHT = 1600


def _chart_block(wide: Markup, narrow: Markup, table: Markup) -> Markup:
    """A chart for every width: the wide one on a laptop (in a box that scrolls rather than
    shrink its labels, for the widths between), the narrow one on a phone (site.css switches
    them), and its table of numbers, first on a phone when the narrow chart is too long to read."""
    m = re.search(r'viewBox="0 0 [\d.]+ ([\d.]+)"', str(narrow))
    table_first = m is not None and float(m.group(1)) > PHONE_CHART_MAX_HEIGHT
    return (
        Markup(f'<div class="chart-block{" chart-block--table-first" if table_first else ""}">')
        + Markup('<div class="chart-scroll chart-wide">') + wide + Markup("</div>")
        + Markup('<div class="chart-narrow">') + narrow + Markup("</div>")
        + table
        + Markup("</div>")
    )


def _chart_value(v: Any) -> float | str | None:
    """A number for the chart, or what the unit wrote instead, in words."""
    if isinstance(v, str):
        return no_data_labels().get(v, v)
    return v  # type: ignore[no-any-return]


@dataclass(frozen=True)
class ChartView:
    """A chart of the summary: its id, the chart with its table of numbers, its caption."""

    id: str
    body: Markup
    caption: Markup


def chart_views(views: tuple[UnitView, ...], agg: Aggregates) -> tuple[ChartView, ...]:
    """The summary's charts (x-charts): a yearly part's columns by year, summed over the units.
    A chart of each unit's result against its own target is drawn on the pages comparing units,
    a page of units at a time (`target_charts`); the summary says how many met their targets."""
    o = current()
    out = []
    for c in o.charts:
        if c.part:
            ya = agg.yearly[c.part]
            series = [charts.Series(s.name, tuple(ya.rows[y][s.path].total for y in ya.years)) for s in c.series]
            body = _with_table(c.title, c.caption, [str(y) for y in ya.years], series)
            out.append(ChartView(c.id, body, text(c.figcaption)))
    return tuple(out)


def target_caption(target_path: str, agg: Aggregates) -> Markup:
    """"Tỷ lệ … của từng đơn vị (cột) so với chỉ tiêu của đơn vị (vạch) (Phụ lục 5). 4/5 đơn vị
    có chỉ tiêu đạt chỉ tiêu." — over the whole district."""
    o = current()
    t = o.target(target_path)
    count = agg.targets[t.path]
    part = o.part(t.path.split(".", 1)[0])
    caption = Markup("{} của từng đơn vị (cột) so với chỉ tiêu của đơn vị (vạch) ({}). {}/{} đơn vị có chỉ tiêu đạt chỉ tiêu").format(
        text(t.title), text(part.title), count.reached, count.reported)
    if count.not_assigned:
        caption += Markup("; {} đơn vị không được giao chỉ tiêu").format(count.not_assigned)
    return caption + Markup(".")


def target_charts(views: tuple[UnitView, ...], agg: Aggregates) -> tuple[ChartView, ...]:
    """The charts of each unit's result against its own target (x-charts with a target), for
    these units (a page of them), captioned with the district's count."""
    o = current()
    out = []
    for c in o.charts:
        if c.part:
            continue
        t = o.target(c.target)
        pos = next(i for i, col in enumerate(o.compare) if col.target == t.path) if any(
            col.target == t.path for col in o.compare) else None
        rows = []
        for v in views:
            if not v.unit.submitted or v.unit.data is None:
                continue
            tv = v.indicators[pos] if pos is not None and v.indicators else None
            result, target = (tv.result, tv.target) if tv is not None else (None, None)
            rows.append((v.unit.name, _chart_value(result), _chart_value(target)))
        spec = (c.title, rows, t.result_title, t.target_title)
        body = _chart_block(
            charts.target_bars(*spec),
            charts.target_bars(*spec, narrow=True),
            charts.data_table(
                f"{t.short} của từng đơn vị",
                ["Đơn vị", t.result_title, t.target_title],
                [[name, res, tgt] for name, res, tgt in rows],
            ),
        )
        out.append(ChartView(c.id, body, target_caption(t.path, agg)))
    return tuple(out)


NO_TARGET = "không giao chỉ tiêu"  # the words for a target not assigned (schema/report.schema.json)


def starter_parts() -> str:
    """The outline's parts in words: "các mục của Đề cương báo cáo (Mục I đến Mục VI), mô hình
    hay, đề xuất khen thưởng và 6 phụ lục; các năm của giai đoạn đã điền sẵn ở Phụ lục 4 và …"."""
    o = current()
    sections = [o.part(k).title for k in o.sections]
    words = ["các mục của Đề cương báo cáo" + (
        f" ({sections[0]} đến {sections[-1]})" if len(sections) > 1 else "")]
    words += [o.part(k).nav[:1].lower() + o.part(k).nav[1:] for k in o.lists]
    if o.appendices:
        words.append(f"{len(o.appendices)} phụ lục")
    text = ", ".join(words[:-1]) + (" và " if len(words) > 1 else "") + words[-1]
    yearly = [o.part(k).title for k in o.keys("yearly")]
    if yearly:
        text += "; các năm của giai đoạn đã điền sẵn ở " + " và ".join(yearly)
    return text


def stat_value(st: Stat) -> Markup:
    """One aggregated figure in words a reader of the summary needs: a sum, or a mean with its range."""
    if st.total is None or st.method == "sum":
        return Markup(st.text)  # the documents' words: a sum, or "—"
    return Markup(
        f"{number(st.mean)}% <span class=\"stat-note\">(trung bình không trọng số; thấp nhất "
        f"{number(st.min)}%, cao nhất {number(st.max)}%)</span>"
    )


def outline_view(agg: Aggregates) -> dict[str, OutlineFigures]:
    """The outline's figures for the district, by section, each labelled from the schema,
    with the district's rates computed from them (x-rates) after them."""
    rates = rate_rows(agg)
    out: dict[str, OutlineFigures] = {}
    for key, stats in agg.outline.items():
        rows = tuple(
            (text(current().path_title(key, path)), stat_value(st), st.units_text)
            for path, st in stats.items()
        )
        if rows or key in rates:
            out[key] = (section_meta(key)[3], rows, rates.get(key, ()))
    return out


def part_notes(agg: Aggregates) -> dict[str, Markup]:
    """What the summary adds to a part's "how": how many units met its targets (x-target), the
    district's own rates (x-rates)."""
    o = current()
    out: dict[str, Markup] = {}
    for t in o.targets:
        c = agg.targets[t.path]
        note = Markup(" {}: <strong>{}/{}</strong> đơn vị có chỉ tiêu đạt hoặc vượt chỉ tiêu của mình").format(
            text(t.short), c.reached, c.reported)
        if c.not_assigned:
            note += Markup("; {} đơn vị không được giao chỉ tiêu (không tính là đạt)").format(c.not_assigned)
        key = t.path.split(".", 1)[0]
        out[key] = out.get(key, Markup("")) + note + Markup(".")
    for r in o.rates:
        if not r.note_in:
            continue
        w = agg.rates[r.title]
        if w is not None:
            note = Markup(" {}, tính từ {} của {}/{} đơn vị: <strong>{}%</strong>.").format(
                text(r.title), text(r.source), w.units, agg.finals, Markup(number(w.percent)))
        else:
            note = Markup(" {}").format(text(r.missing))
        out[r.note_in] = out.get(r.note_in, Markup("")) + note
    return out


def rate_rows(agg: Aggregates) -> dict[str, tuple[tuple[Markup, Markup, str], ...]]:
    """The district's rates (x-rates) as rows of the outline's figures, under their section."""
    out: dict[str, tuple[tuple[Markup, Markup, str], ...]] = {}
    for r in current().rates:
        w = agg.rates[r.title]
        row = (
            text(f"{r.title} ({r.how})" if r.how else r.title),
            Markup(f"{number(w.percent)}%") if w is not None else Markup("—"),
            f"{w.units if w is not None else 0}/{agg.finals}",
        )
        out[r.section] = out.get(r.section, ()) + (row,)
    return out


STAT_ROWS = (
    ("total", "Tổng cộng"),
    ("mean", "Trung bình"),
    ("min", "Thấp nhất"),
    ("max", "Cao nhất"),
    ("reported", "Số đơn vị có số liệu"),
)


def site_view(
    campaign: dict[str, Any],
    units: list[Unit],
    status: StatusSummary,
    agg: Aggregates,
    downloads: tuple[tuple[str, str], ...] = (),
    documents: tuple[tuple[str, str, str], ...] = (),
    reports_file: str = "",
) -> SiteView:
    """Build the whole site's view from the roster, the submissions and their aggregates."""
    period = tuple(range(int(campaign["period"]["start"]), int(campaign["period"]["end"]) + 1))
    views = tuple(unit_view(u, campaign, period) for u in units)
    o = current()
    kind_order = [k for k, _ in o.unit_kinds]
    by_kind = tuple(
        (
            next(x.unit.kind_label for x in views if x.unit.kind == k),
            tuple(x for x in views if x.unit.kind == k),
        )
        for k in kind_order
        if any(x.unit.kind == k for x in views)
    )
    stat_rows = {
        a: STAT_ROWS if any(st.method == "mean" for st in agg.tables[a].values())
        else tuple(r for r in STAT_ROWS if r[0] in ("total", "reported"))
        for a in table_parts()
    }
    summary_cells = {
        a: {pick: _stat_cells(agg.tables[a], pick) for pick, _ in stat_rows[a]} for a in table_parts()
    }
    summary_years: dict[str, tuple[YearRow, ...]] = {}
    for a in yearly_parts():
        ya = agg.yearly[a]
        rows: list[YearRow] = [(str(y), _stat_cells(ya.rows[y], "total"), False) for y in ya.years]
        rows.append(
            (f"Tổng {period[0]}–{period[-1]}" if period else "Tổng", _stat_cells(ya.total, "total"), True)
        )
        rows.append(("Số đơn vị có số liệu", _stat_cells(ya.total, "reported"), True))
        summary_years[a] = tuple(rows)
    lab = current().labels
    sections = tuple((k, section_meta(k)[3], section_slug(k)) for k in current().sections)
    figures = outline_view(agg)
    return SiteView(
        campaign=campaign,
        period=period,
        status=status,
        units=views,
        by_kind=by_kind,
        summary_cells=summary_cells,
        summary_years=summary_years,
        aggregates=agg,
        charts=chart_views(views, agg),
        compare=o.compare,
        compare_note=o.compare_note,
        sections=sections,
        # Escaped once here: templates print these labels a thousand times over.
        labels={k: text(v) for k, v in lab.items()},
        how={p.key: p.how for p in o.parts},
        stat_rows=stat_rows,
        appendix_parts=tuple(o.part(k) for k in o.appendices),
        list_parts=tuple(o.part(k) for k in o.lists),
        columns={k: tuple(text(c.title) for c in o.columns((k,))) for k in o.keys("list")},
        part_notes=part_notes(agg),
        headings={
            k: str(n.get("x-heading", n.get("title", k))) for k, n in o.schema["properties"].items()
        },
        downloads=downloads,
        documents=documents,
        reports_file=reports_file,
        roster_column=o.roster.column if o.roster else "",
        starter_parts=starter_parts(),
        no_target_parts=", ".join(o.part(k).title for k in o.parts_accepting(NO_TARGET)),
        report_name=o.report_name,
        figures_in=o.figures_in,
        section_figures=figures,
        target_notes=tuple((c.title, target_caption(c.target, agg)) for c in o.charts if c.target),
        units_in_nav=len(units) <= UNITS_IN_NAV_MAX,
        unit_texts_searched=len(units) <= UNITS_IN_NAV_MAX,
    )


# --- rendering -------------------------------------------------------------------------------


def environment(template_dir: Path = TEMPLATE_DIR) -> jinja2.Environment:
    """The Jinja2 environment: strict about undefined names, escaping every expression."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(template_dir)),
        # Autoescape is on for every template, .md.j2 included: the Markdown we write is read
        # as HTML too, and a value must be escaped unless we deliberately made it Markup.
        autoescape=True,
        finalize=_finalize,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = lambda v: no_data(v) if isinstance(v, str) else Markup(number(v))
    env.filters["year"] = lambda v: Markup(number(v, group=False))
    env.filters["narrative"] = narrative
    env.tests["figure"] = is_number  # a column of numbers (right-aligned) rather than of text
    env.filters["date_vi"] = date_vi
    env.globals["roster_cell"] = roster_cell  # the roster's column: its conference, held and when
    env.filters["rate"] = lambda v: Markup("—" if v is None else number(v) + "%")
    env.globals.update(COMPARE=COMPARE, COMPARE_TITLE=COMPARE_TITLE, PAGE_UNITS=PAGE_UNITS,
                       UNITS_INDEX_ROWS=UNITS_INDEX_ROWS)
    return env


COMPARE = "@compare"  # the comparison of units among the pagings (no part of the outline)
UNITS = "@units"  # and the index of the units
UNITS_INDEX_ROWS = 100  # the index of the units has a short row per unit: this many to a page
UNIT_ROW = 400  # bytes of such a row
UNIT_OVERHEAD = 600  # what a unit adds to a page besides its content: its heading, links, tags
CELL_OVERHEAD = 24  # and each cell of a table: <td class="num"></td>


def _cells_size(rows: Any) -> int:
    """About how many bytes of HTML a unit's rows of cells make."""
    return sum(len(c) + CELL_OVERHEAD for row in rows for c in (row.values() if isinstance(row, dict) else row))


def _section_size(key: str, fragments: dict[str, Markup]) -> Callable[[UnitView], int]:
    """What a unit's text of a section adds to the section's page."""
    return lambda u: len(fragments.get(f"{u.unit.id}/{key}@section", "")) + UNIT_OVERHEAD


def _part_size(p: Part, fragments: dict[str, Markup]) -> Callable[[UnitView], int]:
    """About what a unit's rows of an appendix or a list add to a page."""

    def size(u: UnitView) -> int:
        if p.kind == "list" and p.appendix:
            n = _cells_size(u.lists.get(p.key, ()))
        elif p.kind == "list":
            n = len(fragments.get(f"{u.unit.id}/{p.key}@unit", ""))
        elif p.kind == "yearly":
            n = _cells_size(c for _, c, _ in u.years.get(p.key, ()))
        else:
            n = _cells_size((u.cells.get(p.key, {}),))
        return n + UNIT_OVERHEAD

    return size


def pagings(view: SiteView, fragments: dict[str, Markup]) -> dict[str, Paging]:
    """Where each part compiled unit by unit shows its units (render.paginate)."""
    out: dict[str, Paging] = {}
    for key, _, slug in view.sections:
        out[key] = paginate(f"muc/{slug}.md", view, _section_size(key, fragments))
    for p in view.appendix_parts + view.list_parts:
        out[p.key] = paginate(f"{PARTS_FOLDER}/{p.slug}.md", view, _part_size(p, fragments))
    # The roster, a short row per unit (a unit not in yet included): more rows to a page.
    out[UNITS] = paginate("don-vi/index.md", view, lambda u: UNIT_ROW, most=UNITS_INDEX_ROWS,
                          units=view.units)
    if view.compare or view.target_notes:
        # A row of the table and a bar of each target's chart, in its two forms and its table.
        per_unit = UNIT_OVERHEAD + len(view.compare) * 3 * CELL_OVERHEAD + len(view.target_notes) * 1500
        out[COMPARE] = paginate(f"{PARTS_FOLDER}/{COMPARE_SLUG}.md", view, lambda u: per_unit)
    return out


class UnitSite:
    """What a unit's page reads of the site: these fields only (generator/unit_pages.py keeps the
    page under a hash of what they are made of; a template reading another field fails)."""

    READS = frozenset({"campaign", "labels", "headings", "list_parts", "appendix_parts", "columns",
                       "search_skip", "head"})

    def __init__(self, view: SiteView) -> None:
        self._view = view

    def __getattr__(self, name: str) -> Any:
        if name not in UnitSite.READS:
            raise AttributeError(f"a unit's page does not read site.{name} (render.UnitSite.READS)")
        return getattr(self._view, name)


def _page_info(view: SiteView, path: str, title: str, excluded: bool = False) -> PageInfo:
    return PageInfo(
        path=path,
        title=safe_title(title),
        root="../" * path.count("/"),
        search_exclude=excluded or path.startswith(PARTS_FOLDER) or (path == "index.md" and not view.units_in_nav),
    )


def unit_page(view: SiteView, u: UnitView, fragments: dict[str, Markup]) -> tuple[str, str, TemplateContext]:
    """A unit's page: (output path, template name, context)."""
    path = f"don-vi/{u.unit.id}.md"
    return path, "unit.md.j2", TemplateContext(
        site=UnitSite(view), page=_page_info(view, path, u.unit.name), unit=u, section=None,
        fragments=fragments, pagings={}, part=None, paging=None, slice=None,
    )


def pages(
    view: SiteView, fragments: dict[str, Markup], units: bool = True
) -> list[tuple[str, str, TemplateContext]]:
    """Every Markdown page (without the units' own pages when `units` is false): (output path,
    template name, context)."""
    where = pagings(view, fragments)

    def ctx(
        path: str,
        title: str,
        section: tuple[str, str, str] | None = None,
        part: Part | None = None,
        paging: Paging | None = None,
        slice: UnitPage | None = None,
    ) -> TemplateContext:
        return TemplateContext(
            site=view, page=_page_info(view, path, title, excluded=section is not None or part is not None),
            unit=None, section=section, fragments=fragments,
            pagings=where, part=part, paging=paging, slice=slice,
        )

    def paged(template: str, title: str, paging: Paging, **about: Any) -> list[tuple[str, str, TemplateContext]]:
        """A part's own page, then each page of its units (“… — Trường học, trang 2/7”)."""
        out = [(paging.path, template, ctx(paging.path, title, paging=paging, **about))]
        for pg in paging.pages:
            name = f"{title} — {pg.kind}, trang {pg.number}/{len(paging.pages)}"
            out.append((pg.path, template, ctx(pg.path, name, paging=paging, slice=pg, **about)))
        return out

    out = [
        ("index.md", "summary.md.j2", ctx("index.md", "Tổng hợp")),
        ("trang-thai.md", "status.md.j2", ctx("trang-thai.md", "Tình hình gửi báo cáo")),
        ("cach-gui.md", "how_to_submit.md.j2", ctx("cach-gui.md", "Cách gửi báo cáo")),
        ("nop-truc-tuyen.md", "editor.md.j2", ctx("nop-truc-tuyen.md", "Nộp báo cáo trực tuyến")),
        ("muc/index.md", "sections_index.md.j2", ctx("muc/index.md", "Theo mục đề cương")),
    ]
    out += paged("units_index.md.j2", "Các đơn vị", where[UNITS])
    for sec in view.sections:
        out += paged("section.md.j2", sec[1], where[sec[0]], section=sec)
    for p in view.appendix_parts + view.list_parts:
        out += paged("part.md.j2", p.heading, where[p.key], part=p)
    if COMPARE in where:
        out += paged("compare.md.j2", COMPARE_TITLE, where[COMPARE])
    if units:
        out += [unit_page(view, u, fragments) for u in view.units if u.unit.has_page]
    return out


PARALLEL_THRESHOLD = 64  # below this many units a second process costs more than it saves


def _unit_fragments(u: UnitView, macros: Any, skip: Markup) -> dict[str, Markup]:
    """A unit's section bodies, good models and commendations, rendered once."""
    out: dict[str, Markup] = {}
    for sec in u.sections:
        out[f"{u.unit.id}/{sec.key}"] = body = macros.section_body(sec, skip)
        # On the section's own page the unit's name is an h2: its blocks start at h3.
        shift = sec.level - 2
        out[f"{u.unit.id}/{sec.key}@section"] = (
            macros.section_body(sec, skip, shift) if shift > 0 else body)
    # Under the summary's unit heading (h3) a list's items are h4; on the unit page, under
    # the h2 of their part, h3.
    for key, block in u.items.items():
        out[f"{u.unit.id}/{key}"] = macros.block_body(block, skip, 4)
        out[f"{u.unit.id}/{key}@unit"] = macros.block_body(block, skip, 3)
    return out


UnitRendered = dict[str, tuple[dict[str, str], str]]  # unit id → (its fragments, its page)


def _render_units(view: SiteView, env: jinja2.Environment, units: list[UnitView]) -> UnitRendered:
    """Fragments and pages of some units, as plain strings (they may cross a process boundary)."""
    macros: Any = env.get_template("_macros.j2").module
    out: UnitRendered = {}
    for u in units:
        fragments = _unit_fragments(u, macros, view.search_skip)
        _, tpl, context = unit_page(view, u, fragments)
        page = env.get_template(tpl).render(**context)
        out[u.unit.id] = ({k: str(v) for k, v in fragments.items()}, page)
    return out


def render_pages(
    view: SiteView, env: jinja2.Environment | None = None, jobs: int | None = None,
    cache: unit_pages.Cache | None = None,
) -> dict[str, str]:
    """Render every Markdown page to text, keyed by output path.

    Unit pages and fragments are most of the work: those of units unchanged since the last
    build come from `cache` (generator/unit_pages.py); with many units left to render a forked
    second process renders half of them while this one renders the other half, and then half
    of the other pages. The output is the same.
    """
    environ = env or environment()
    submitted = [u for u in view.units if u.unit.has_page]
    keys = {u.unit.id: cache.key(u) for u in submitted} if cache is not None else {}
    done: UnitRendered = {}
    if cache is not None:
        for uid, key in keys.items():
            if (hit := cache.get(key)) is not None:
                done[uid] = hit
    todo = [u for u in submitted if u.unit.id not in done]
    workers = jobs if jobs is not None else min(2, os.cpu_count() or 1)
    mid = len(todo) // 2 if workers > 1 and len(todo) >= PARALLEL_THRESHOLD else len(todo)
    here, there = fork.both(
        lambda: _render_units(view, environ, todo[:mid]),
        lambda: _render_units(view, environ, todo[mid:]),
        parallel=mid < len(todo),
    )
    if cache is not None:
        for uid, (frags, page) in (here | there).items():
            cache.put(keys[uid], frags, page)
    done |= here | there
    fragments = {k: Markup(v) for frags, _ in done.values() for k, v in frags.items()}
    out = {f"don-vi/{uid}.md": page for uid, (_, page) in done.items()}
    # The pages that compile units (sections, appendices, lists, their pages of units …): every
    # other one in the second process, so that each half holds pages of every part.
    rest = pages(view, fragments, units=False)
    split = workers > 1 and len(submitted) >= PARALLEL_THRESHOLD

    def render_some(some: list[tuple[str, str, TemplateContext]]) -> dict[str, str]:
        return {path: environ.get_template(tpl).render(**context) for path, tpl, context in some}

    first, second = fork.both(
        lambda: render_some(rest[0::2] if split else rest),
        lambda: render_some(rest[1::2] if split else []),
        parallel=split,
    )
    out |= first | second
    return dict(sorted(out.items()))


def nav(view: SiteView) -> list[Any]:
    """MkDocs' `nav`, titles made safe; unit pages only while there are few of them."""
    units: list[Any] = [{"Danh sách đơn vị": "don-vi/index.md"}]
    if view.units_in_nav:
        for kind, members in view.by_kind:
            subs = [
                {safe_title(u.unit.name): f"don-vi/{u.unit.id}.md"}
                for u in members
                if u.unit.has_page
            ]
            if subs:
                units.append({safe_title(kind): subs})
    # The parts compiled unit by unit, each on a page of its own (their pages of units, past
    # PAGE_UNITS, are reached from it and stay out of the nav).
    tables: list[Any] = (
        [{COMPARE_TITLE: f"{PARTS_FOLDER}/{COMPARE_SLUG}.md"}] if view.compare or view.target_notes else [])
    tables += [{safe_title(p.nav): f"{PARTS_FOLDER}/{p.slug}.md"} for p in view.appendix_parts + view.list_parts]
    return [
        {"Tổng hợp": "index.md"},
        *([{TABLES_TITLE: tables}] if tables else []),
        {"Tình hình gửi báo cáo": "trang-thai.md"},
        {
            "Theo mục đề cương": [{"Các mục": "muc/index.md"}]
            + [{safe_title(h): f"muc/{slug}.md"} for _, h, slug in view.sections]
        },
        {"Đơn vị": units},
        {"Nộp báo cáo trực tuyến": "nop-truc-tuyen.md"},
        {"Cách gửi báo cáo": "cach-gui.md"},
    ]


def _pick(st: Stat, pick: str) -> float | None:
    if pick == "reported":
        return float(st.reported)
    if pick == "total" and st.method == "mean":
        return None  # percentages are never summed
    return {"total": st.total, "mean": st.mean, "min": st.min, "max": st.max}[pick]
