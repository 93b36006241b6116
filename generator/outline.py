"""The report's outline, read from its JSON Schema: the one model every view reads.

Pages, the Word and Excel writers, the CSV/JSON downloads and the charts never read the schema
themselves: they ask an `Outline` for the parts of the report (sections, tables, lists), their
fields with titles and source headings, units and "no data" choices, and the merged headers of
their tables. What each part is and how its figures are summed comes from the schema's `x-`
annotations (schema/ANNOTATIONS.md), with defaults that make a plain JSON Schema with titles
useful: an object is a section of the outline, an array of objects a list shown per unit, a
number is summed (a percentage, `x-unit: "%"`, averaged).

The outline in use is the campaign's (`use`, called once per build); `current()` reads the
default schema when no build has set one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal

from generator.schema import (
    LABEL_SEP,
    REPORT_SCHEMA,
    Schema,
    child,
    enum_options,
    is_multiline,
    load_schema,
    resolve,
    types_of,
    walk,
)

# The tool's own keys: every report has them, whatever its plan (the unit, who signs, the
# status and the date). Everything else in a report schema is the plan's outline.
ENVELOPE = ("unit", "signer", "status", "submission_date")

PartKind = Literal["section", "table", "yearly", "list", "roster"]
PART_KINDS: tuple[PartKind, ...] = ("section", "table", "yearly", "list", "roster")
Show = Literal["figure", "text", "array"]
Method = Literal["sum", "mean"]

_NUMBERING = re.compile(r"^[IVX\d]+(\.\d+)*\.\s+")

# What a part's "how it is compiled" says when the schema does not (x-how).
DEFAULT_HOW: dict[str, str] = {
    "section": "Cộng các số liệu của các đơn vị đã gửi báo cáo; nội dung của từng đơn vị dưới mỗi mục.",
    "table": "Mỗi đơn vị một dòng; dòng Tổng cộng cộng các đơn vị đã gửi báo cáo.",
    "yearly": "Cộng tất cả đơn vị theo từng năm; dòng cuối cộng cả giai đoạn.",
    "list": "Liệt kê toàn bộ nội dung của từng đơn vị, nhóm theo đơn vị.",
    "roster": "",
}
DEFAULT_DOWNLOAD: dict[str, str] = {
    "section": "từng đơn vị", "table": "từng đơn vị", "yearly": "từng đơn vị, từng năm",
    "list": "từng đơn vị", "roster": "từng đơn vị",
}


def slugify(title: str) -> str:
    """An ASCII anchor from a Vietnamese title: "Phụ lục 1" → "phu-luc-1"."""
    plain = unicodedata.normalize("NFKD", title.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-") or "phan"


@dataclass(frozen=True)
class Field:
    """One field of a section, in the outline's order."""

    key: str
    title: str  # the form's label
    label: str  # as a page shows it: a text under the source's own heading (x-heading)
    show: Show  # a figure (with the ones next to it), a narrative text, or a list
    node: Schema
    group: str  # the outline's "*" sub-heading it sits under (x-group), or ""


@dataclass(frozen=True)
class Run:
    """A step of a section's layout, as the outline lays it out: a "*" group's sub-heading, a
    text, a list, or the figures that follow a text (several fields)."""

    kind: Literal["group", "figures", "text", "array"]
    label: str = ""  # a group's heading
    fields: tuple[Field, ...] = ()
    grouped: bool = False  # inside a "*" group: one level deeper


@dataclass(frozen=True)
class Column:
    """One column of a list (a row's field)."""

    key: str
    title: str
    node: Schema


@dataclass(frozen=True)
class HeaderCell:
    label: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1


@dataclass(frozen=True)
class TableHead:
    """A table's merged column headers, built from the nesting of its schema (the source's
    layout: a group's title spans its columns, a column without sub-columns spans every row)."""

    cells: tuple[HeaderCell, ...]
    depth: int  # header rows
    leaves: tuple[tuple[str, Schema], ...]  # (dotted path inside one row, subschema), in order

    def rows(self) -> tuple[tuple[HeaderCell, ...], ...]:
        """The header cells row by row, each row left to right."""
        return tuple(tuple(c for c in self.cells if c.row == r) for r in range(self.depth))


@dataclass(frozen=True)
class Part:
    """A top-level part of the report: an outline section, an appendix table or a list."""

    key: str
    title: str  # short, as the form's steps name it ("Mục III.1")
    heading: str  # as the source writes it (x-heading), else the title
    kind: PartKind
    appendix: bool  # shown among the appendices, after the outline (x-appendix)
    level: int  # the heading level of a section: 2, deeper under its parents
    parents: tuple[str, ...]  # the outline headings above it (x-parents)
    standalone: str  # as a page title: "III.1. Kết quả thực hiện …"
    row_key: str = ""  # a yearly table: the field that names each row's year (x-row-key)
    slug: str = ""  # its anchor on the pages and the name of its CSV download (x-slug)
    nav: str = ""  # its name in a page's contents (x-nav), else its title
    how: str = ""  # how the district compiles it, in words (x-how)
    empty: str = "Không có."  # a list with no row (x-empty)
    download: str = ""  # what its CSV download holds (x-download)


@dataclass(frozen=True)
class Roster:
    """A part the roster shows in a column (x-part: roster, x-roster): the unit's own review
    conference. Its first field says whether it was held (`yes`/`no`), a date field when."""

    key: str
    column: str  # the roster column's header
    summary: str  # the district's draft counts it under this heading
    yes: str  # the first field's value for "held"
    no: str  # and for "not held"
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class Target:
    """A target and its result, met or not, or not assigned (x-target on their object)."""

    path: str  # the object holding both, dotted from the report root ("appendix_5.attraction")
    target: str  # its target field
    result: str  # its result field
    not_assigned: str  # what a unit writes for a target it was not given: never counted as met
    title: str  # the object's title
    short: str  # a short name for notes and headers
    count: str  # "how many units met it", as the statistics' row says
    count_not_assigned: str
    target_title: str
    result_title: str


@dataclass(frozen=True)
class Rate:
    """A district rate computed from two counts, Σ part / Σ whole, over the units giving both
    (x-rates): a mean of the units' percentages would weigh a small unit like a large one."""

    title: str
    part: str  # dotted from the report root
    whole: str
    how: str  # "Σ part / Σ whole" in words
    source: str  # what it is computed from, in words
    missing: str  # what the summary says when no unit gave both counts
    note_in: str  # a part whose "how" mentions it too, or ""

    @property
    def section(self) -> str:
        return self.part.split(".", 1)[0]


@dataclass(frozen=True)
class Series:
    path: str  # dotted inside a row of the chart's yearly part
    name: str


@dataclass(frozen=True)
class Chart:
    """A chart of the summary (x-charts): a yearly part's columns by year, or a target per unit."""

    id: str
    title: str
    caption: str = ""  # the caption of its table of numbers
    figcaption: str = ""
    part: str = ""  # a yearly part: its series by year
    series: tuple[Series, ...] = ()
    target: str = ""  # or a target's path: each unit's result against its own target


@dataclass(frozen=True)
class CompareColumn:
    """A column of the table comparing units (x-compare): a field, a target, or a sum over the
    period of yearly fields."""

    title: str
    path: str = ""  # a field, dotted from the report root
    target: str = ""  # a target's path: its result, its target and whether it was met
    sums: tuple[str, ...] = ()  # yearly fields (dotted from the root), summed over the period
    result_title: str = ""
    target_title: str = ""
    csv_result_title: str = ""
    csv_target_title: str = ""


class _Grouped(list):  # type: ignore[type-arg]
    """The columns under an `x-column-group` header."""

    grouped = True


class Outline:
    """The outline of one report schema. Built once per schema; every reader is cached (the schema
    is never changed once read, so nothing here is computed twice)."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self._nodes: dict[tuple[str | int, ...], Schema] = {}
        self._fields: dict[str, tuple[Field, ...]] = {}
        self._columns: dict[tuple[str | int, ...], tuple[Column, ...]] = {}
        self._heads: dict[tuple[str, tuple[str, ...], bool], TableHead] = {}
        self._leaves: dict[tuple[str, bool], tuple[tuple[str, Schema], ...]] = {}
        self._labels: dict[str, str] | None = None
        self._no_data: dict[str, str] | None = None
        self._accepting: dict[str, tuple[str, ...]] = {}
        self.parts: tuple[Part, ...] = tuple(
            self._part(k) for k in schema.get("properties", {}) if k not in ENVELOPE
        )
        self._by_key = {p.key: p for p in self.parts}

    # --- the schema, by path ----------------------------------------------------------------

    def node(self, path: tuple[str | int, ...]) -> Schema:
        """The resolved subschema at an instance path ({} where the schema has none)."""
        if path not in self._nodes:
            n: Schema | None = resolve(self.schema, self.schema)
            for key in path:
                n = child(n, key, self.schema) if n is not None else None
            self._nodes[path] = n or {}
        return self._nodes[path]

    def title(self, path: tuple[str | int, ...]) -> str:
        return str(self.node(path).get("title", path[-1]))

    def heading(self, key: str) -> str:
        """A top-level key's heading as the source writes it (x-heading), else its title."""
        n = self.node((key,))
        return str(n.get("x-heading") or n.get("title", key))

    @property
    def labels(self) -> dict[str, str]:
        """Every field's title by dotted path ("appendix_2.secretaries.count")."""
        if self._labels is None:
            out: dict[str, str] = {}
            for path, node in walk(self.schema):
                keys = [str(p) for p in path if not isinstance(p, int)]
                if keys and "title" in node:
                    out.setdefault(".".join(keys), str(node["title"]))
            self._labels = out
        return self._labels

    @property
    def no_data_labels(self) -> dict[str, str]:
        """Every "no data" text the schema accepts anywhere, with its label."""
        if self._no_data is None:
            out: dict[str, str] = {}
            for _, node in walk(self.schema):
                out.update(dict(node.get("x-no-data", ())))
            self._no_data = out
        return self._no_data

    # --- the parts --------------------------------------------------------------------------

    def _part(self, key: str) -> Part:
        node = self.node((key,))
        raw = self.schema["properties"][key]
        declared = raw.get("x-part") if isinstance(raw, dict) else None
        kind: PartKind
        if declared in PART_KINDS:
            kind = declared
        else:
            kind = "list" if "array" in types_of(node) else "section"
        heading = str(node.get("x-heading", node.get("title", key)))
        parents_raw = node.get("x-parents", [])
        parents = tuple(str(p) for p in parents_raw) if isinstance(parents_raw, list) else ()
        number = str(node.get("title", "")).removeprefix("Mục ").strip()
        standalone = f"{number}. {_NUMBERING.sub('', heading)}" if number and parents else heading
        return Part(
            key=key,
            title=str(node.get("title", key)),
            heading=heading,
            kind=kind,
            appendix=bool(node.get("x-appendix", kind in ("table", "yearly"))),
            level=2 + len(parents),
            parents=parents,
            standalone=standalone,
            row_key=str(node.get("x-row-key", "")),
            slug=str(node.get("x-slug") or slugify(str(node.get("title", key)))),
            nav=str(node.get("x-nav") or node.get("title", key)),
            how=str(node.get("x-how") or DEFAULT_HOW[kind]),
            empty=str(node.get("x-empty") or "Không có."),
            download=str(node.get("x-download") or DEFAULT_DOWNLOAD[kind]),
        )

    def part(self, key: str) -> Part:
        return self._by_key[key]

    def part_of(self, kind: PartKind) -> Part | None:
        """The first part of a kind, if the plan has one."""
        return next((p for p in self.parts if p.kind == kind), None)

    def keys(self, kind: PartKind, appendix: bool | None = None) -> tuple[str, ...]:
        """The keys of the parts of one kind, in the schema's order (appendices or not)."""
        return tuple(
            p.key for p in self.parts
            if p.kind == kind and (appendix is None or p.appendix == appendix)
        )

    @cached_property
    def sections(self) -> tuple[str, ...]:
        """The outline's sections, in order."""
        return self.keys("section")

    @cached_property
    def appendices(self) -> tuple[str, ...]:
        """The parts shown among the appendices, in order."""
        return tuple(p.key for p in self.parts if p.appendix)

    @cached_property
    def lists(self) -> tuple[str, ...]:
        """The lists compiled by unit outside the appendices (good models, commendations …)."""
        return self.keys("list", appendix=False)

    # --- a section's fields ------------------------------------------------------------------

    def fields(self, key: str) -> tuple[Field, ...]:
        """The fields of a section in the outline's order, each with how it is shown. A group of
        fields (an object inside the section) gives its own fields, keyed by their dotted path
        and titled "group › field", so that a figure is never shown as an object."""
        if key not in self._fields:
            out: list[Field] = []

            def add(node: Schema, prefix: str, title_prefix: str, group: str) -> None:
                for prop in node.get("properties", {}):
                    sub = child(node, prop, self.schema) or {}
                    title = title_prefix + str(sub.get("title", prop))
                    grp = str(sub.get("x-group", group))
                    if "properties" in sub and "array" not in types_of(sub):
                        add(sub, f"{prefix}{prop}.", f"{title} › ", grp)
                        continue
                    # A text is compiled by part; only numbers are figures (and summed).
                    show: Show = (
                        "figure" if is_number(sub)
                        else "array" if "array" in types_of(sub)
                        else "text"
                    )
                    # The page shows the source's own words where a form needs a shorter title.
                    label = str(sub.get("x-heading") or title) if show == "text" else title
                    out.append(Field(prefix + prop, title, label, show, sub, grp))

            add(self.node((key,)), "", "", "")
            self._fields[key] = tuple(out)
        return self._fields[key]

    def path_title(self, key: str, dotted: str) -> str:
        """A field's titles from its part down, "Công trình › Số lượng" (the part's own left out)."""
        parts = dotted.split(".")
        return LABEL_SEP.join(
            self.labels.get(".".join([key, *parts[: i + 1]]), parts[i]) for i in range(len(parts)))

    def runs(self, key: str) -> tuple[Run, ...]:
        """A section laid out as the outline is: each text, then the figures that go with it;
        the outline's "*" groups as sub-headings; lists. Pages and documents both follow it."""
        out: list[Run] = []
        group = ""
        figures: list[Field] = []

        def flush() -> None:
            if figures:
                out.append(Run("figures", fields=tuple(figures), grouped=bool(group)))
                figures.clear()

        for f in self.fields(key):
            if f.group != group:
                flush()
                if f.group:
                    out.append(Run("group", f.group))
                group = f.group
            if f.show == "figure":
                figures.append(f)
                continue
            flush()
            out.append(Run("array" if f.show == "array" else "text", fields=(f,), grouped=bool(group)))
        flush()
        return tuple(out)

    # --- lists and tables ----------------------------------------------------------------------

    def columns(self, path: tuple[str | int, ...]) -> tuple[Column, ...]:
        """The columns of a list: (field, title, subschema) of its rows, in order."""
        if path not in self._columns:
            item = self.node(path + (0,))
            self._columns[path] = tuple(
                Column(p, str((child(item, p, self.schema) or {}).get("title", p)),
                       child(item, p, self.schema) or {})
                for p in item.get("properties", {})
            )
        return self._columns[path]

    def as_table(self, path: tuple[str | int, ...]) -> bool:
        """A list is a table when it has at most one narrative column, else named items."""
        return sum(is_multiline(c.node) for c in self.columns(path)) <= 1

    def leaf_paths(self, key: str, lists: bool = True) -> tuple[tuple[str, Schema], ...]:
        """(dotted path inside one row or object, subschema) of each number in a part.

        Without `lists`, numbers inside list rows (a section's table of targets) are left out;
        a yearly table's row key (the year) is not a figure.
        """
        if (key, lists) not in self._leaves:
            row_key = self._by_key[key].row_key if key in self._by_key else ""
            out: list[tuple[str, Schema]] = []
            for path, node in walk(self.schema):
                if not path or path[0] != key or len(path) < 2:
                    continue
                if not lists and any(isinstance(p, int) for p in path):
                    continue
                inner = [p for p in path[1:] if not isinstance(p, int)]
                if inner and inner != [row_key] and is_number(node):
                    out.append((".".join(str(p) for p in inner), node))
            self._leaves[(key, lists)] = tuple(out)
        return self._leaves[(key, lists)]

    def table_head(self, key: str, first: tuple[str, ...] = (), figures_only: bool = False) -> TableHead:
        """The merged headers of a table part; `first` adds leading one-column headers ("Đơn vị").

        With `figures_only`, the columns that hold no figure (a yearly table's notes) are left
        out, but for the row key: a district's totals have nothing to put in them.
        """
        if (key, first, figures_only) not in self._heads:
            self._heads[(key, first, figures_only)] = self._table_head(key, first, figures_only)
        return self._heads[(key, first, figures_only)]

    def _table_head(self, key: str, first: tuple[str, ...], figures_only: bool) -> TableHead:
        part_node = self.node((key,))
        is_list = "items" in part_node
        row_node = self.node((key, 0)) if is_list else part_node
        row_key = self.part(key).row_key if key in self._by_key else ""

        def tree(path: tuple[str, ...], node: Schema) -> list[tuple[str, Any]]:
            out: list[tuple[str, Any]] = []
            for prop, raw in node.get("properties", {}).items():
                sub = self.node((key, *((0,) if is_list else ()), *path, prop))
                dotted = ".".join((*path, prop))
                if figures_only and "properties" not in sub and not is_number(sub) and dotted != row_key:
                    continue
                title = str(sub.get("title", prop))
                item = (title, tree((*path, prop), sub)) if "properties" in sub else (title, (dotted, sub))
                # Columns the source puts under one more header ("Trình độ" over "Chuyên môn"
                # and "LLCT") name it in `x-column-group`; consecutive ones share it.
                group = raw.get("x-column-group") if isinstance(raw, dict) else None
                if group and out and out[-1][0] == group and isinstance(out[-1][1], list) \
                        and getattr(out[-1][1], "grouped", False):
                    out[-1][1].append(item)
                elif group:
                    out.append((str(group), _Grouped([item])))
                else:
                    out.append(item)
            return out

        def depth(t: list[tuple[str, Any]]) -> int:
            return max((1 + depth(c) if isinstance(c, list) else 1) for _, c in t) if t else 0

        top = tree((), row_node)
        d = max(depth(top), 1)
        cells: list[HeaderCell] = [HeaderCell(f, 0, i, rowspan=d) for i, f in enumerate(first)]
        leaves: list[tuple[str, Schema]] = []

        def place(t: list[tuple[str, Any]], row: int, col: int) -> int:
            for title, c in t:
                if isinstance(c, list):
                    end = place(c, row + 1, col)
                    cells.append(HeaderCell(title, row, col, colspan=end - col))
                    col = end
                else:
                    cells.append(HeaderCell(title, row, col, rowspan=d - row))
                    leaves.append(c)
                    col += 1
            return col

        place(top, 0, len(first))
        return TableHead(tuple(sorted(cells, key=lambda c: (c.row, c.col))), d, tuple(leaves))

    def walk(self) -> Iterator[tuple[tuple[str | int, ...], Schema]]:
        return walk(self.schema)

    # --- the district's statistics (x-target, x-rates, x-charts, x-compare) -----------------

    def _annotated(self, keyword: str) -> Iterator[tuple[str, Schema, Any]]:
        """(dotted path, node, annotation) of every field annotated with `keyword`."""
        for path, node in walk(self.schema):
            if path and keyword in node and not any(isinstance(p, int) for p in path):
                yield ".".join(str(p) for p in path), node, node[keyword]

    @cached_property
    def targets(self) -> tuple[Target, ...]:
        out = []
        for dotted, node, spec in self._annotated("x-target"):
            t, r = str(spec.get("target", "target")), str(spec.get("result", "result"))
            title = str(node.get("title", dotted))
            out.append(Target(
                dotted, t, r, str(spec.get("not_assigned", "")), title, str(spec.get("short", title)),
                str(spec.get("count", f"Số đơn vị đạt hoặc vượt: {title}")),
                str(spec.get("count_not_assigned", f"Số đơn vị không được giao: {title}")),
                self.labels.get(f"{dotted}.{t}", t), self.labels.get(f"{dotted}.{r}", r),
            ))
        return tuple(out)

    def target(self, path: str) -> Target:
        return self._targets_by_path[path]

    @cached_property
    def _targets_by_path(self) -> dict[str, Target]:
        return {t.path: t for t in self.targets}

    @cached_property
    def rates(self) -> tuple[Rate, ...]:
        return tuple(
            Rate(str(r["title"]), str(r["part"]), str(r["whole"]), str(r.get("how", "")),
                 str(r.get("from", "")), str(r.get("missing", "")), str(r.get("note_in", "")))
            for r in self.schema.get("x-rates", [])
        )

    @cached_property
    def charts(self) -> tuple[Chart, ...]:
        out = []
        for c in self.schema.get("x-charts", []):
            part = str(c.get("part", ""))
            series = tuple(
                Series(str(s["path"]), str(s.get("name") or self.labels.get(f"{part}.{s['path']}", s["path"])))
                for s in c.get("series", [])
            )
            out.append(Chart(str(c["id"]), str(c["title"]), str(c.get("caption", "")),
                             str(c.get("figcaption", "")), part, series, str(c.get("target", ""))))
        return tuple(out)

    @cached_property
    def compare_note(self) -> str:
        return str(self.schema.get("x-compare", {}).get("note", ""))

    @cached_property
    def compare(self) -> tuple[CompareColumn, ...]:
        out = []
        for c in self.schema.get("x-compare", {}).get("columns", []):
            if "target" in c:
                t = self.target(str(c["target"]))
                out.append(CompareColumn(
                    t.short, target=t.path,
                    result_title=str(c.get("result_title", t.result_title)),
                    target_title=str(c.get("target_title", t.target_title)),
                    csv_result_title=str(c.get("csv_result_title", c.get("result_title", t.result_title))),
                    csv_target_title=str(c.get("csv_target_title", c.get("target_title", t.target_title))),
                ))
            elif "sum" in c:
                out.append(CompareColumn(str(c["title"]), sums=tuple(str(p) for p in c["sum"])))
            else:
                path = str(c["path"])
                out.append(CompareColumn(str(c.get("title") or self.labels.get(path, path)), path=path))
        return tuple(out)

    @cached_property
    def report_name(self) -> str:
        """What the plan's report is called in running text ("báo cáo tổng kết"; x-report)."""
        return str(self.schema.get("x-report") or "báo cáo")

    @cached_property
    def figures_in(self) -> str:
        """Where the outline asks for figures, in words ("Mục I–III"; x-figures-in), or ""."""
        return str(self.schema.get("x-figures-in") or "")

    def parts_accepting(self, text: str) -> tuple[str, ...]:
        """The keys of the parts with a field that accepts `text` instead of a figure, in order."""
        if text not in self._accepting:
            self._accepting[text] = self._parts_accepting(text)
        return self._accepting[text]

    def _parts_accepting(self, text: str) -> tuple[str, ...]:
        out: list[str] = []
        for path, node in walk(self.schema):
            if path and str(path[0]) in self._by_key and text in dict(node.get("x-no-data", ())):
                if path[0] not in out:
                    out.append(str(path[0]))
        return tuple(out)

    @cached_property
    def unit_kinds(self) -> tuple[tuple[str, str], ...]:
        """The kinds of unit the envelope's `unit.kind` allows: (value, label), in order."""
        return tuple((str(v), label) for v, label in enum_options(self.node(("unit", "kind"))) or [])

    @cached_property
    def roster(self) -> Roster | None:
        """The part the roster summarises in a column of its own (x-part: roster), if any."""
        key = next(iter(self.keys("roster")), None)
        if key is None:
            return None
        spec = self.node((key,)).get("x-roster", {})
        part = self.part(key)
        return Roster(key, str(spec.get("column", part.nav)), str(spec.get("summary", part.title)),
                      str(spec.get("yes", "")), str(spec.get("no", "")), self.fields(key))

    @cached_property
    def standing_counts(self) -> tuple[tuple[str, ...], ...]:
        """Where a report counts its Standing Committee (x-standing-committee): a report with one
        signs on its behalf ("TM. BAN THƯỜNG VỤ"), else on the Executive Committee's."""
        out = []
        for dotted, _, spec in self._annotated("x-standing-committee"):
            path = tuple(dotted.split("."))
            out.append((*path, str(spec)) if isinstance(spec, str) else path)
        return tuple(out)


def is_number(node: Schema) -> bool:
    """A field that holds a figure (an integer or a number)."""
    return bool({"integer", "number"} & set(types_of(node)))


def method_of(node: Schema) -> Method:
    """How a figure is aggregated: `x-aggregate` when given, else percentages averaged
    (`x-unit: "%"`) and everything else summed."""
    declared = node.get("x-aggregate")
    if declared in ("sum", "mean"):
        return declared  # type: ignore[no-any-return]
    return "mean" if node.get("x-unit") == "%" else "sum"


_current: Outline | None = None


def use(schema: Schema) -> Outline:
    """Make `schema` the outline every view reads (once per build, before any view is built)."""
    global _current
    if _current is None or _current.schema is not schema:
        _current = Outline(schema)
    return _current


def current() -> Outline:
    """The outline in use: the build's, or the default schema's."""
    return _current if _current is not None else use(load_schema(REPORT_SCHEMA))
