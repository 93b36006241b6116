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
"""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path
from typing import Any

from mkdocs.plugins import event_priority

SEARCH_INDEX = Path("search") / "search_index.json"
# This hook is our code running inside `mkdocs build`: benchmarks/bench_site.py sets this variable
# to a file to learn how long the hook took, and counts that time as ours, not as MkDocs'.
TIMING_ENV = "TONGKET_PUBLISH_TIMING"
_elapsed = 0.0

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


def compact_json(path: Path) -> tuple[int, int]:
    """Rewrite a JSON file as compact UTF-8 with the same content; return (bytes before, after)."""
    before = path.read_bytes()
    after = json.dumps(json.loads(before), ensure_ascii=False, separators=(",", ":")).encode()
    if after != before:
        path.write_bytes(after)
    return len(before), len(after)


def on_pre_build(config: Any, **kwargs: Any) -> None:
    global _elapsed
    _elapsed = 0.0  # `mkdocs serve` builds many times with the same module


def on_post_page(output: str, **kwargs: Any) -> str:
    global _elapsed
    start = time.perf_counter()
    output = collapse_whitespace(output)
    _elapsed += time.perf_counter() - start
    return output


@event_priority(-100)  # after Material's search plugin (priority 0) has written the index
def on_post_build(config: Any, **kwargs: Any) -> None:
    global _elapsed
    start = time.perf_counter()
    index = Path(config["site_dir"]) / SEARCH_INDEX
    if index.is_file():
        compact_json(index)
    _elapsed += time.perf_counter() - start
    if os.environ.get(TIMING_ENV):
        Path(os.environ[TIMING_ENV]).write_text(f"{_elapsed:.6f}\n", encoding="utf-8")
