"""Documents the district and the units hand in: Word reports to sign, the appendices in Excel.

Views like the site's pages, built from the same aggregated data and the schema's labels; one
module per format (`word.py`, `excel.py`), the layout both share in `layout.py`.

`build` returns the files to add to the site: a .docx per unit with a page (drafts marked as
drafts on every page), the district's draft report and the workbook. A unit's document depends
only on what it reads (word.UnitInputs: its report, and what the site's code makes of it), the
campaign's header wording, the plan's schema and the code that lays it out, so it is kept in a
cache folder under a hash of those and not rebuilt while they do not change.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator import fork
from generator.aggregate import get_path
from generator.documents import docx, excel, template, word
from generator.documents.letterhead import letterhead
from generator.documents.template import TemplateError
from generator.outline import current

__all__ = ["DOWNLOADS", "FOLDER", "TemplateError", "build", "listing", "unit_href"]

if TYPE_CHECKING:
    from generator.render import SiteView

FOLDER = "tai-ve"
UNIT_FOLDER = "word"  # tai-ve/word/<unit id>.docx
DISTRICT_DOCX = "du-thao-bao-cao-tong-ket.docx"
WORKBOOK = "phu-luc.xlsx"

# The code that lays out a unit's document: this package and the modules it calls for layout.
# render.py and aggregate.py are not among them: the values the document reads from them are in
# its key (word.UnitInputs), so an edit there that leaves those values as they were rebuilds
# nothing. What remains of aggregate.py is one accessor, keyed by its source.
_SOURCES = (
    *sorted(Path(__file__).resolve().parent.glob("*.py")),
    Path(__file__).resolve().parent.parent / "outline.py",
    Path(__file__).resolve().parent.parent / "numbers.py",
    Path(__file__).resolve().parent.parent / "schema.py",
)
_FUNCTIONS = (get_path,)


def unit_href(unit_id: str) -> str:
    """A unit's Word document, from the site root."""
    return f"{FOLDER}/{UNIT_FOLDER}/{unit_id}.docx"


# What each document holds; {appendices} is ", 6 phụ lục tổng hợp" (the plan's count), or nothing.
DOWNLOADS = (
    (DISTRICT_DOCX, (
        "Dự thảo {report} của huyện (Word): số liệu toàn huyện và nội dung từng đơn vị "
        "dưới mỗi mục của đề cương{appendices}"
    )),
    (WORKBOOK, "Các phụ lục và số liệu đề cương của từng đơn vị, tình hình gửi báo cáo (Excel)"),
)


def listing() -> tuple[tuple[str, str, str], ...]:
    """The summary's first downloads, the ones the district office opens: the workbook for the
    conference's tables, then the draft of its own report: (file, name on the button, what)."""
    n = len(current().appendices)
    what = {f: w.format(appendices=f", {n} phụ lục tổng hợp" if n else "", report=current().report_name)
            for f, w in DOWNLOADS}
    names = {WORKBOOK: "Bảng phụ lục (Excel)", DISTRICT_DOCX: "Dự thảo báo cáo của huyện (Word)"}
    first = [f for f in (WORKBOOK, DISTRICT_DOCX) if f in what]
    return tuple((f, names.get(f, f), what[f]) for f in first + [f for f in what if f not in first])


def schema_version() -> str:
    """A hash of the plan's report schema in use (outline.current())."""
    return hashlib.sha256(json.dumps(current().schema, sort_keys=True).encode("utf-8")).hexdigest()


@functools.cache
def code_version() -> str:
    """A hash of the code that lays out a unit's document (see _SOURCES)."""
    h = hashlib.sha256()
    for p in _SOURCES:
        h.update(p.name.encode())
        h.update(p.read_bytes())
    for f in _FUNCTIONS:
        h.update(inspect.getsource(f).encode("utf-8"))
    return h.hexdigest()


def _key(inputs: word.UnitInputs, campaign: dict[str, Any], years: tuple[int, ...], tpl: str) -> str:
    """The cache key of a unit's document: what it reads (see the module's doc)."""
    doc = {
        "unit": vars(inputs),  # not dataclasses.asdict: no deep copy of the report
        "documents": campaign.get("documents"),
        "plan": campaign.get("plan"),
        "reviewing": campaign.get("reviewing_organisation"),
        "years": years,
        "place": unit_place(campaign, inputs.id),
        "outline": schema_version(),  # the plan's schema: its titles and annotations lay it out
    }
    raw = json.dumps(doc, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256((code_version() + tpl + raw).encode("utf-8")).hexdigest()


PARALLEL_THRESHOLD = 64  # below this many documents to build, a second process costs more


def _build_units(view: SiteView, ids: list[str], tpl: docx.Template | None) -> dict[str, bytes]:
    lh = letterhead(view.campaign)
    wanted = set(ids)
    return {uv.unit.id: word.unit_report(word.unit_inputs(uv, view.period),
                                         lh.at(unit_place(view.campaign, uv.unit.id)), tpl)
            for uv in view.units if uv.unit.id in wanted}


_PLACES: dict[int, tuple[Any, dict[str, str]]] = {}  # a roster's places, by the roster's id


def unit_place(campaign: dict[str, Any], unit_id: str) -> str:
    """The place a unit dates its report from: its roster entry's `place`, if it has one.

    Looked up in a table made once per roster: every unit's document asks (N x N otherwise)."""
    units = campaign.get("units") or []
    found = _PLACES.get(id(units))
    if found is None or found[0] is not units:
        places: dict[str, str] = {}
        for entry in units if isinstance(units, list) else []:
            if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                places.setdefault(entry["id"], str(entry.get("place") or ""))
        _PLACES.clear()
        _PLACES[id(units)] = found = (units, places)  # holds the roster: its id is not reused
    return found[1].get(unit_id, "")


def _build_all(view: SiteView, ids: list[str], tpl: docx.Template | None) -> dict[str, bytes]:
    """Build the given units' documents; with many, a forked second process builds half."""
    mid = len(ids) // 2
    first, second = fork.both(
        lambda: _build_units(view, ids[:mid], tpl),
        lambda: _build_units(view, ids[mid:], tpl),
        parallel=len(ids) >= PARALLEL_THRESHOLD,
    )
    return first | second


def word_template(campaign: dict[str, Any], base: Path | None) -> tuple[docx.Template | None, str]:
    """The campaign's Word template (documents › word_template) and a hash of it, if it has one."""
    name = (campaign.get("documents") or {}).get("word_template")
    if not name:
        return None, ""
    path = (base or Path.cwd()) / str(name)
    tpl = template.load(path)
    return tpl, hashlib.sha256(path.read_bytes()).hexdigest()


def unit_documents(
    view: SiteView,
    cache_dir: Path | None = None,
    stats: dict[str, int] | None = None,
    tpl: tuple[docx.Template | None, str] = (None, ""),
) -> dict[str, bytes]:
    """Each unit's .docx, from the cache when its inputs have not changed."""
    keys, found = _cached(view, cache_dir, tpl)
    return _unit_documents(view, cache_dir, stats, tpl, keys, found)


def _cached(view: SiteView, cache_dir: Path | None, tpl: tuple[docx.Template | None, str]
            ) -> tuple[dict[str, str], dict[str, bytes]]:
    """Each unit's cache key, and the documents the cache has for them."""
    if cache_dir is not None:
        cache_dir.mkdir(parents=True, exist_ok=True)
    keys = {uv.unit.id: _key(word.unit_inputs(uv, view.period), view.campaign, view.period, tpl[1])
            for uv in view.units if uv.unit.has_page}
    found: dict[str, bytes] = {}
    for uid, key in keys.items():
        cached = cache_dir / f"{key}.docx" if cache_dir is not None else None
        if cached is not None and cached.is_file():
            found[uid] = cached.read_bytes()
    return keys, found


def _unit_documents(
    view: SiteView, cache_dir: Path | None, stats: dict[str, int] | None,
    tpl: tuple[docx.Template | None, str], keys: dict[str, str], found: dict[str, bytes],
) -> dict[str, bytes]:
    """The units' documents: those `found` in the cache, the others built (and kept)."""
    built = _build_all(view, [uid for uid in keys if uid not in found], tpl[0])
    if cache_dir is not None:
        for uid, body in built.items():
            cached = cache_dir / f"{keys[uid]}.docx"
            tmp = cached.with_name(f"{cached.name}.{os.getpid()}.tmp")
            tmp.write_bytes(body)
            os.replace(tmp, cached)  # atomic: two builds at once never read half a file
        # Documents of reports that changed or left are no longer needed.
        used = {f"{k}.docx" for k in keys.values()}
        for old in cache_dir.glob("*.docx"):
            if old.name not in used:
                old.unlink(missing_ok=True)
    if stats is not None:
        stats.update({"built": len(built), "cached": len(found)})
    return {unit_href(uid).removeprefix(FOLDER + "/"): found.get(uid) or built[uid] for uid in keys}


def build(
    view: SiteView,
    cache_dir: Path | None = None,
    stats: dict[str, int] | None = None,
    base: Path | None = None,
) -> dict[str, bytes]:
    """Every document, keyed by its path under tai-ve/; `base` is the campaign file's folder
    (a Word template is named from there). Raise TemplateError for an unusable template."""
    tpl = word_template(view.campaign, base)
    keys, found = _cached(view, cache_dir, tpl)
    parallel = len(view.units) >= PARALLEL_THRESHOLD
    if len(keys) - len(found) < PARALLEL_THRESHOLD:
        # Few units' documents to build (an edit): the district's draft in a forked process, and
        # here the units' documents and then the workbook. No more processes than below.
        (units, workbook), draft = fork.both(
            lambda: (_unit_documents(view, cache_dir, stats, tpl, keys, found), excel.workbook(view)),
            lambda: word.district_draft(view, letterhead(view.campaign), tpl[0]),
            parallel=parallel,
        )
        return units | {DISTRICT_DOCX: draft, WORKBOOK: workbook}
    # Many: the district's two documents, which read every report, are built in a forked
    # process of their own while the units' reports are built (themselves in two processes);
    # the OS shares the two cores among the three, so none waits for the others' tail.
    units, district = fork.both(
        lambda: _unit_documents(view, cache_dir, stats, tpl, keys, found),
        lambda: _district_documents(view, tpl[0]),
        parallel=parallel,
    )
    return units | district


def _district_documents(view: SiteView, tpl: docx.Template | None) -> dict[str, bytes]:
    """The district's draft report and the appendices workbook (one after the other: a third
    process beside the units' two would hold ~300 MiB more at 1,000 units, issue 19's memory)."""
    return {DISTRICT_DOCX: word.district_draft(view, letterhead(view.campaign), tpl),
            WORKBOOK: excel.workbook(view)}
