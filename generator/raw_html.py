"""Markdown extension: the HTML blocks our templates write go past Python-Markdown untouched.

Our pages are Markdown headings (for the table of contents, permalinks and search sections)
around blocks of HTML we already wrote: every table, figure, narrative and badge. Python-Markdown
would parse each of those blocks with its HTML parser to learn where it ends, then keep it as it
is (a "raw HTML block"). That parse is slow and, in Markdown 3.11, quadratic in the size of the
page: at the end of each top-level block `HTMLExtractor` copies the rest of the document
(`blank_line_re.match(self.rawdata[pos:])`), so a section page with every unit's text took
minutes (issue 12; reproduction in benchmarks/README.md).

This preprocessor runs just before Python-Markdown's own `html_block` and stores such blocks in
Python-Markdown's `htmlStash` itself, leaving a placeholder paragraph as `html_block` would;
Python-Markdown puts the stored text back after conversion (`RawHtmlPostprocessor`), so the
built page is the same, byte for byte. A chunk of lines (from a blank line to the next) is
stored when it is made of whole HTML elements only:

- each starts a line at column 0 with an opening tag Python-Markdown counts as block-level
  (`div`, `p`, `table`, `figure`, …),
- and ends at the end of a line with the closing tag of that element.

That is what our templates write. For such a chunk Python-Markdown's `HtmlBlockPreprocessor`
stores each element as written and a newline after the last, and writes the placeholders one
paragraph per line; chunks in a row (only blank lines between them) come out as the chunks
joined by one blank line, so they are stored as one. Anything else — Markdown, an HTML block with
a blank line inside or text after its closing tag, comments, <script> and <style>, `<!…>` and
`<?…?>`, a "<" inside <title> or <textarea> — is left to Python-Markdown as before; and once a
chunk left to it may leave an element open past its end (a line starting with a tag, a comment,
a script), the rest of the page is left to it too. `tests/test_raw_html.py` checks the result
against Python-Markdown's on such inputs and, through `python -m generator build`, that the
built site is the same as without this extension. Text a unit wrote is always escaped by the
renderer, so it never starts a tag here.

Since issue 19 our own pages do not reach Python-Markdown at all (generator/page_html.py renders
them, reading each HTML chunk by `is_html_chunk`); this extension serves the pages it still
renders, those with Markdown of their own.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

if TYPE_CHECKING:
    from collections.abc import Callable

# Python-Markdown's own `html_block` preprocessor has priority 20 and `normalize_whitespace`
# (tabs expanded, lines of spaces emptied, line ends as \n) 30: run between the two.
PRIORITY = 25

# A chunk: a run of non-blank lines.
_CHUNK = re.compile(r"[^\n]+(?:\n[^\n]+)*")
# An opening tag at the start of a line.
_OPEN = re.compile(r"<([A-Za-z][A-Za-z0-9]*)(?=[\s/>])")
# Where Python-Markdown's HTML parser does not read tags the way _tags() does: comments, <!…>,
# <?…?>, <script> and <style> (their content is not HTML) and a "<" inside <title> or <textarea>.
_NOT_PLAIN = re.compile(
    r"<[!?]|<(?:script|style)\b|<(title|textarea)\b[^>]*>[^<]*<(?!/\1\s*>)", re.IGNORECASE
)
# In a chunk left to Python-Markdown: something that may stay open past the next blank line (a
# line starting with a tag, a comment, script or style). Then the rest of the page is left to it.
_MAY_STAY_OPEN = re.compile(r"^ {0,3}<|<!--|<(?:script|style|textarea|title)\b", re.IGNORECASE | re.MULTILINE)
_TAG_CACHE: dict[str, re.Pattern[str]] = {}


def _tags(name: str) -> re.Pattern[str]:
    """Opening and closing tags of one element name (attribute values may hold "<" and ">")."""
    pattern = _TAG_CACHE.get(name)
    if pattern is None:
        pattern = re.compile(
            rf"<(/?){name}(?=[\s/>])(?:\"[^\"]*\"|'[^']*'|[^'\">])*?(/?)>", re.IGNORECASE
        )
        _TAG_CACHE[name] = pattern
    return pattern


def close_of(chunk: str, start: int, name: str) -> int:
    """Where the element opened at `start` (named `name`) closes in `chunk`, or -1."""
    depth = 0
    for m in _tags(name).finditer(chunk, start):
        if m.group(2):  # <div/>: Python-Markdown opens nothing
            continue
        depth += -1 if m.group(1) else 1
        if depth == 0:
            return m.end()
    return -1


def is_html_chunk(chunk: str, is_block_level: Callable[[str], bool]) -> bool:
    """Is the chunk whole block-level elements, each from a line start to a line end?"""
    m = _OPEN.match(chunk)
    if m is None or not is_block_level(m.group(1).lower()) or _NOT_PLAIN.search(chunk):
        return False
    # Most chunks are one element holding no other of its name: its only opening tag is the
    # first and its only closing tag ends the chunk.
    name = m.group(1).lower()
    low = chunk.lower()
    first = _tags(m.group(1)).match(chunk)
    if (
        first is not None
        and not first.group(2)
        and low.endswith(f"</{name}>")
        and low.count(f"</{name}") == 1
        and low.count(f"<{name}") == 1
    ):
        return True
    start = 0
    while start < len(chunk):
        m = _OPEN.match(chunk, start)
        if m is None or not is_block_level(m.group(1).lower()):
            return False
        end = close_of(chunk, start, m.group(1))
        if end == -1 or (end < len(chunk) and chunk[end] != "\n"):
            return False
        start = end + 1
    return True


class StashHtmlBlocks(Preprocessor):
    """Store whole HTML blocks in the HTML stash before Python-Markdown parses them."""

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        block_level: dict[str, bool] = {}

        def is_block_level(tag: str) -> bool:
            if tag not in block_level:
                block_level[tag] = bool(self.md.is_block_level(tag))
            return block_level[tag]

        out: list[str] = []
        run: list[str] = []  # HTML chunks in a row, separated by blank lines only
        pos = 0  # end of the text already in `out` or `run`

        def flush() -> None:
            # Python-Markdown would store each chunk (each top-level element, and one newline
            # after the last one of a chunk), make each a paragraph of its own and write the
            # paragraphs one per line; its RawHtmlPostprocessor would put the stored text back
            # in place of each. Stored as one, the run comes out as the same text.
            if run:
                out.append(self.md.htmlStash.store("\n\n".join(run) + "\n"))
                run.clear()

        for m in _CHUNK.finditer(text):
            chunk = m.group(0)
            if chunk[0] != "<" or not is_html_chunk(chunk, is_block_level):
                flush()
                out.append(text[pos : m.end()])
                pos = m.end()
                if _MAY_STAY_OPEN.search(chunk):
                    break  # Python-Markdown alone knows where this ends: leave it the rest
                continue
            if not run:
                out.append(text[pos : m.start()])
            run.append(chunk)
            pos = m.end()
        flush()
        out.append(text[pos:])
        return "".join(out).split("\n")


class RawHtmlExtension(Extension):
    """`markdown_extensions: [generator.raw_html]` in mkdocs.yml."""

    def extendMarkdown(self, md: Markdown) -> None:
        md.preprocessors.register(StashHtmlBlocks(md), "tongket_raw_html", PRIORITY)


def makeExtension(**kwargs: Any) -> RawHtmlExtension:
    return RawHtmlExtension(**kwargs)
