"""What the documents show, as plain text: the site's outline layout and the appendices' headers.

The Word and Excel writers share this module; every field, label and heading comes from the
outline (generator/outline.py: its order, its "*" groups, figures after their text), as plain
text. Nothing here lists a field by hand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from generator.aggregate import Aggregates, Stat, get_path
from generator.numbers import number, spreadsheet_number, value_text
from generator.outline import TableHead, current
from generator.schema import Schema, is_multiline

# Characters XML 1.0 cannot hold (C0 controls but tab and newlines, lone surrogates, U+FFFE/F).
# A YAML double-quoted "\x01" can produce them; they become U+FFFD so the file stays readable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

NOT_WRITTEN = "Chưa viết."  # a text a draft has not written yet, as the unit page says it
NOT_FILLED = "—"  # a figure not filled in yet (drafts only): never 0


def clean(s: str) -> str:
    """A text as it can go into an XML part: unchanged unless it holds an impossible character."""
    return _NOT_XML.sub("\ufffd", s)


def plain(value: Any, node: Schema | None) -> str:
    """One value as the unit page shows it, in plain text: numbers the Vietnamese way, "no data"
    in words, choices by their label, dates as dd/mm/yyyy; None as "—" (not filled in)."""
    node = node or {}
    if value is None:
        return NOT_FILLED
    if isinstance(value, str) and value in current().no_data_labels:
        return current().no_data_labels[value]
    return clean(value_text(value, node))


def paragraphs(value: Any) -> list[str]:
    """A narrative as its non-empty lines ("- " bullets kept as written), or "Chưa viết."."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return [NOT_WRITTEN]
    text = clean(str(value)).replace("\r\n", "\n").replace("\r", "\n")
    return [line.strip() for line in text.split("\n") if line.strip()]


# The number to store in a spreadsheet cell, or None when the value is not a number.
number_value = spreadsheet_number


# --- the outline ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One part of a section: a heading of the outline, a text, figures, or a table."""

    kind: str  # "parent" | "heading" | "group" | "text" | "figures" | "table"
    label: str = ""
    level: int = 0
    lines: tuple[str, ...] = ()
    figures: tuple[tuple[str, str], ...] = ()
    columns: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    key: str = ""  # the section, or the section's field ("section_1.situation")
    paths: tuple[str, ...] = ()  # figures: the dotted field path of each figure


def array_columns(path: tuple[str | int, ...]) -> tuple[tuple[str, str, Schema], ...]:
    """(field, title, subschema) of the columns of a list (III.1 targets, good models …)."""
    return tuple((c.key, c.title, c.node) for c in current().columns(path))


def array_rows(path: tuple[str | int, ...], rows: list[dict[str, Any]]) -> tuple[tuple[str, ...], ...]:
    cols = array_columns(path)
    return tuple(
        tuple("\n".join(paragraphs(r.get(p))) if is_multiline(n) else plain(r.get(p), n)
              for p, _, n in cols)
        for r in rows
    )


def section_items(key: str, data: dict[str, Any] | None) -> list[Item]:
    """A section of one report laid out as the unit page lays it out (render.section_view):
    each text, then its figures; the outline's "*" groups as sub-headings; lists as tables.

    With `data` None, the skeleton only: headings and groups, texts as their headings with no
    lines, each figure's path kept (the district's draft fills in totals and the units' texts).
    """
    level = current().part(key).level
    out: list[Item] = []
    for r in current().runs(key):
        if r.kind == "group":
            out.append(Item("group", r.label, level + 1, key=key))
        elif r.kind == "figures":
            values = [get_path(data, f.key) if data is not None else None for f in r.fields]
            out.append(Item("figures", figures=tuple((f.label, plain(v, f.node)) for f, v in zip(r.fields, values)),
                            key=key, paths=tuple(f.key for f in r.fields)))
        elif r.kind == "array":
            f = r.fields[0]
            cols = tuple(t for _, t, _ in array_columns((key, f.key)))
            rows = array_rows((key, f.key), list(data.get(f.key) or [])) if data is not None else ()
            out.append(Item("table", current().title((key, f.key)), level + 1, columns=cols,
                            rows=rows, key=f"{key}.{f.key}"))
        else:
            f = r.fields[0]
            out.append(Item("text", f.label, level + 1,
                            tuple(paragraphs(data.get(f.key))) if data is not None else (),
                            key=f"{key}.{f.key}"))
    return out


def section_headings(key: str, shown: tuple[str, ...]) -> tuple[list[Item], tuple[str, ...]]:
    """The outline headings above a section not shown yet ("III. KẾT QUẢ …"), and the section's."""
    part = current().part(key)
    heading, level, parents = part.heading, part.level, part.parents
    out = [Item("parent", p, i + 1) for i, p in enumerate(parents)
           if i >= len(shown) or shown[i] != p]
    out.append(Item("heading", heading, level - 1, key=key))
    return out, parents


# --- the appendices ------------------------------------------------------------------------


def table_head(key: str, first: tuple[str, ...] = ()) -> TableHead:
    """The merged headers of a table part (outline.Outline.table_head)."""
    return current().table_head(key, first)


def appendix_row(obj: Any, head: TableHead) -> list[Any]:
    """One row's values in the header's column order (a whole group marked "không áp dụng"
    gives that text for each of its columns)."""
    return [get_path(obj, p) for p, _ in head.leaves]


def stat_text(st: Stat) -> str:
    """A district total in words (aggregate.Stat.text)."""
    return st.text


def part_note(agg: Aggregates, key: str) -> str:
    """What a part's table says under it: how many units met its targets (x-target), and the
    district's rates noted there (x-rates); "" when there is nothing to say."""
    o = current()
    notes = []
    for t in o.targets:
        if t.path.split(".", 1)[0] != key:
            continue
        c = agg.targets[t.path]
        note = f"{t.count}: {c.reached}/{c.reported} đơn vị có chỉ tiêu"
        if c.not_assigned:
            note += f"; {c.not_assigned} đơn vị không được giao chỉ tiêu (không tính là đạt)"
        notes.append(note)
    for r in o.rates:
        w = agg.rates[r.title]
        if r.note_in == key and w is not None:
            notes.append(f"{r.title}: {number(w.percent)}% "
                         f"({number(w.part)}/{number(w.whole)}, từ {w.units} đơn vị)")
    return ". ".join(notes) + "." if notes else ""
