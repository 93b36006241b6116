"""MkDocs hook of every build: pages without blank lines and indentation, the index as UTF-8.

Material writes search/search_index.json with Python's default `ensure_ascii=True`, so each
Vietnamese letter outside ASCII ("ệ", "ư", "đ") becomes a six-byte `\\uXXXX` escape where UTF-8
needs two or three bytes. Every visitor who types in the search box downloads this file, so it is
rewritten after the build with the same content, as UTF-8. The browser's `Response.json()`, which
Material's search worker uses, always decodes UTF-8. This is part of publishing the site, not of
generating it: it runs in MkDocs because the file exists only once MkDocs has written it.

Material's templates indent every tag of the navigation and the table of contents; on a unit page
that is about a tenth of the bytes. A browser shows a run of whitespace in text as one space, so
a newline and the whitespace after it are written as one newline, except where whitespace shows:
<pre>, <textarea>, <code> and <kbd> (which Material styles `white-space: pre-wrap`), and in
<script> and <style>, which are not text. Attribute values are never changed. Runs without a
newline are left alone: they are rare, and finding them costs five times as long.

Material's search plugin reads every page with Python's HTML parser, including what is marked
`data-search-exclude` (with many units, every text a unit wrote: most of a unit page), only to
skip it; that was half of `mkdocs build`. Just before the plugin reads a page, the content of
each such element is swapped for a marker, and put back just after (`on_page_context`, before
and after the plugin's priority). Only content the parser would skip without a trace is
swapped: no heading, no element of the outer element's name, no comment, <script>, <style>,
<textarea>, <title> or `data-search-` attribute inside, and every tag inside closed in order.
The search index and the pages are the same, byte for byte (benchmarks/bench_site.py compares).

`mkdocs build` shows only warnings and errors (`on_startup`): MkDocs' --quiet would drop the
warnings before --strict counts them, so a broken link would pass.
"""

from __future__ import annotations

import json
import logging
import os
import re
from pathlib import Path
from typing import Any

from mkdocs.plugins import CombinedEvent, event_priority

from generator.site import AS_BEFORE_ENV

SEARCH_INDEX = Path("search") / "search_index.json"

# Copied as they are: elements whose whitespace shows or is code, and comments.
_VERBATIM = re.compile(
    r"<(pre|textarea|code|kbd|script|style)\b.*?</\1\s*>|<!--.*?-->", re.DOTALL | re.IGNORECASE
)
# A newline and the whitespace after it (blank lines, indentation) in text: the next angle bracket
# is the "<" of a tag, so this is not inside a tag, and attribute values are never changed.
_INDENT = re.compile(r"\n[ \t\r\n]+(?=[^<>]*<)")


def collapse_whitespace(html: str) -> str:
    """Drop blank lines and indentation from an HTML page, where the browser would not show them."""
    out: list[str] = []
    pos = 0
    for m in _VERBATIM.finditer(html):
        # The "<" that opens the verbatim element ends this text: add it for the lookahead.
        out.append(_INDENT.sub("\n", html[pos : m.start()] + "<")[:-1])
        out.append(m.group())
        pos = m.end()
    out.append(_INDENT.sub("\n", html[pos:]))
    return "".join(out)


# Elements Material's search parser never pushes on its stack of open elements.
_VOID = frozenset(
    "area base br col embed hr img input link meta param source track wbr".split()
)
# A start tag marked to stay out of the search index (attribute values may hold ">").
_EXCLUDED_START = re.compile(
    r"<([a-zA-Z][a-zA-Z0-9]*)(?=[\s/>])(?:[^>\"']|\"[^\"]*\"|'[^']*')*?"
    r"\sdata-search-exclude\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*>"
)
# Void and self-closing tags (neither opens an element for the parser) ...
_EMPTY_TAG = re.compile(
    r"<(?:(?:" + "|".join(_VOID) + r")(?=[\s/>])(?:[^>\"']|\"[^\"]*\"|'[^']*')*"
    r"|[a-zA-Z][^\s/>]*(?:[^>\"']|\"[^\"]*\"|'[^']*')*/)>",
    re.IGNORECASE,
)
# ... and an element with only text inside: removed again and again, inside out, well-nested
# elements leave nothing behind.
_INNERMOST = re.compile(
    r"<([a-zA-Z][^\s/>]*)(?:[^>\"']|\"[^\"]*\"|'[^']*')*>[^<]*</\1\s*>", re.IGNORECASE
)
_NOT_SKIPPABLE = re.compile(
    r"<(?:h[1-6]|script|style|object|textarea|title)\b|<!|data-search-", re.IGNORECASE
)
MARKER = "\x02tongket-search-skip:{}\x03"
_MARKER_RE = re.compile("\x02tongket-search-skip:([0-9]+)\x03")


def _closed_in_order(inner: str, name: str) -> bool:
    """Does the search parser leave its stack of open elements as it found it after `inner`?

    True when every element inside is closed, in order (or is void or self-closing), and none
    is named `name` (Material's parser ends an element at the first end tag of its name).
    """
    if re.search(rf"<{name}[\s/>]", inner, re.IGNORECASE):
        return False
    rest = _EMPTY_TAG.sub("", inner)
    while "<" in rest:
        shorter = _INNERMOST.sub("", rest)
        if len(shorter) == len(rest):
            return False  # a tag left over: not closed, closed out of order, or not a tag
        rest = shorter
    return True


def hide_excluded(html: str) -> tuple[str, list[str]]:
    """The content of elements kept out of search, swapped for markers; and what was swapped."""
    if "data-search-exclude" not in html or "\x02tongket-search-skip:" in html:
        return html, []
    out: list[str] = []
    hidden: list[str] = []
    pos = 0
    for m in _EXCLUDED_START.finditer(html):
        if m.start() < pos:
            continue  # inside an element already swapped
        name = m.group(1)
        close = html.find(f"</{name}>", m.end())
        if close == -1:
            continue
        inner = html[m.end() : close]
        if _NOT_SKIPPABLE.search(inner) or not _closed_in_order(inner, name.lower()):
            continue
        out.append(html[pos : m.end()])
        out.append(MARKER.format(len(hidden)))
        hidden.append(inner)
        pos = close
    out.append(html[pos:])
    return "".join(out), hidden


def show_excluded(html: str, hidden: list[str]) -> str:
    """Put back what hide_excluded swapped."""
    return _MARKER_RE.sub(lambda m: hidden[int(m.group(1))], html) if hidden else html


def compact_json(path: Path) -> tuple[int, int]:
    """Rewrite a JSON file as compact UTF-8 with the same content; return (bytes before, after)."""
    before = path.read_bytes()
    after = json.dumps(json.loads(before), ensure_ascii=False, separators=(",", ":")).encode()
    if after != before:
        path.write_bytes(after)
    return len(before), len(after)


def on_startup(*, command: str, **kwargs: Any) -> None:
    """`mkdocs build` shows warnings and errors only, and --strict still counts every warning."""
    if command == "build":
        for handler in logging.getLogger("mkdocs").handlers:
            if type(handler) is logging.StreamHandler:
                handler.setLevel(logging.WARNING)


_hidden: dict[str, list[str]] = {}


@event_priority(50)  # before Material's search plugin (priority 0) reads page.content
def _hide_from_search(context: Any, /, *, page: Any, **kwargs: Any) -> Any:
    searched = not (page.meta.get("search") or {}).get("exclude")
    if page.content and searched and os.environ.get(AS_BEFORE_ENV) != "1":
        page.content, hidden = hide_excluded(page.content)
        if hidden:
            _hidden[page.file.src_uri] = hidden
    return context


@event_priority(-50)  # after it: the page shows everything again
def _show_after_search(context: Any, /, *, page: Any, **kwargs: Any) -> Any:
    hidden = _hidden.pop(page.file.src_uri, None)
    if hidden:
        page.content = show_excluded(page.content, hidden)
    return context


on_page_context = CombinedEvent(_hide_from_search, _show_after_search)


def on_post_page(output: str, **kwargs: Any) -> str:
    return collapse_whitespace(output)


@event_priority(-100)  # after Material's search plugin (priority 0) has written the index
def on_post_build(config: Any, **kwargs: Any) -> None:
    index = Path(config["site_dir"]) / SEARCH_INDEX
    if index.is_file():
        compact_json(index)
