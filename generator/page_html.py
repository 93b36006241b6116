"""Our pages' HTML without Python-Markdown: headings with ids and permalinks, a table of contents.

The pages the generator writes (a unit's, a section's, the summary, the lists) are Markdown
headings around blocks of HTML the templates already wrote. Python-Markdown spent about 7 ms on
each such page at 1,000 units (issue 19) to pass the HTML through as it is (generator/raw_html.py
already saved it the parse) and to give each heading its id, its permalink and its place in the
table of contents. `render` does that itself, and gives MkDocs the same page: the same HTML, byte
for byte, the same table of contents, title and anchors (tests/test_page_html.py compares it with
Python-Markdown's on every generated page). MkDocs then only lays out the page in Material's shell.

A page is rendered here only when it is made of nothing else, chunk by chunk (runs of non-blank
lines):

- a heading: one line, `#` to `######`, a space, text with no Markdown syntax left in it (our
  templates escape every value; see generator/escape.py), optionally ` {: #id }` (attr_list);
- HTML blocks that generator/raw_html.py would pass through (whole block-level elements).

Anything else (a list, a code block, a link in Markdown, an unusual heading) and the page is left
to Python-Markdown, as a page written by hand is (`render` returns None): the look never depends
on which of the two rendered it.

`relative_links` finds the page links in rendered HTML (ours or Python-Markdown's), so that
publish_hook can check every one of them, which MkDocs does only for links written in Markdown.
"""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from markdown.extensions.toc import nest_toc_tokens, slugify, unique
from markdown.util import BLOCK_LEVEL_ELEMENTS

from generator.raw_html import is_html_chunk

if TYPE_CHECKING:
    from collections.abc import Iterator

# mkdocs.yml's `extra` keys that generator/site.py sets for a build and publish_hook reads: every
# page through Python-Markdown (the way before issue 19, for benchmarks/bench_site.py), and the
# paths of files a build leaves out on purpose (its Word and Excel documents, for the same),
# whose links are not checked.
EVERY_PAGE_BY_MARKDOWN = "tongket_every_page_by_markdown"
LEFT_OUT = "tongket_left_out"
# mkdocs.yml's toc: permalinks on every heading, the table of contents of h1 and h2 only
# (`toc_depth: 2`). tests/test_page_html.py checks these against mkdocs.yml.
TOC_DEPTH = 2
PERMALINK = '<a class="headerlink" href="#{0}" title="Permanent link">&para;</a>'

_BLOCK_LEVEL = frozenset(BLOCK_LEVEL_ELEMENTS)
# A run of non-blank lines (as generator/raw_html.py reads them).
_CHUNK = re.compile(r"[^\n]+(?:\n[^\n]+)*")
# A heading on one line: its level, its text and, from attr_list, an id. The text holds no
# character Python-Markdown reads in a heading (emphasis, code, link, image, escape, HTML,
# closing hashes, an attribute list) but in an entity, which it passes through as written.
_HEADING = (r"(?P<level>#{1,6}) +"
            r"(?P<text>(?:[^#`*_\[\]!<>\\{}&\n]|&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z0-9]+);)*?)"
            r"(?: +\{: #(?P<id>[A-Za-z0-9_-]+) \})? *")
_ONE_HEADING = re.compile(_HEADING)
# Where a page has one of these, every HTML chunk is read by raw_html.is_html_chunk itself: an
# upper-case tag name, or the start of anything raw_html._NOT_PLAIN finds (comments, <!…>, <?…?>,
# script, style, title, textarea).
_NOT_OURS = re.compile(r"</?[A-Z]|<[!?]|<(?:script|style|title|textarea)(?![a-z0-9])")
# The name of a chunk's first tag, in lower case.
_FIRST_NAME = re.compile(r"<([a-z][a-z0-9]*)[\s/>]")
# Python-Markdown's first step (NormalizeWhitespace): lines of spaces become empty.
_SPACES_LINE = re.compile(r"(?<=\n) +\n")
# An id attribute in HTML we pass through (an anchor links may lead to).
_ID = re.compile(r"""id=(?:"([^"]*)"|'([^']*)')""")


@dataclass
class Rendered:
    """A page as Python-Markdown with mkdocs.yml's extensions would have rendered it."""

    content: str
    toc_tokens: list[dict[str, Any]]  # nested, as mkdocs.structure.toc.get_toc reads them
    title: str | None  # the text of the first block when it is an h1 (MkDocs' title from render)
    anchors: set[str] = field(default_factory=set)  # every id on the page


def _normalize(markdown: str) -> str:
    """What Python-Markdown does to the text before it parses it (NormalizeWhitespace), but for
    the blank lines it adds at the end."""
    source = markdown
    if "\x02" in source or "\x03" in source:
        source = source.replace("\x02", "").replace("\x03", "")
    if "\r" in source:
        source = source.replace("\r\n", "\n").replace("\r", "\n")
    if "\t" in source:
        source = source.expandtabs(4)
    if " \n" in source or source.endswith(" "):
        source = _SPACES_LINE.sub("\n", source + "\n")
    return source


def _is_block_level(tag: str) -> bool:
    return tag in _BLOCK_LEVEL


def _heading(chunk: str) -> tuple[int, str, str | None] | None:
    """(level, text, id or None) of a heading chunk we render; None for anything else."""
    m = _ONE_HEADING.fullmatch(chunk)
    if m is None or not m.group("text").strip():
        return None
    return len(m.group("level")), m.group("text").strip(), m.group("id")


def ids(block: str) -> Iterator[str]:
    """The id attributes in HTML (a literal search, and the space before it checked: faster)."""
    for m in _ID.finditer(block):
        if m.start() and block[m.start() - 1].isspace():
            yield html.unescape(m.group(1) if m.group(1) is not None else m.group(2))


def _one_element(chunk: str) -> bool:
    """raw_html.is_html_chunk's common case: one block-level element from the chunk's start to
    its end, not <x/>, holding no other tag of its name (on a page where _NOT_OURS finds
    nothing: is_html_chunk's reading of such a page is the same)."""
    m = _FIRST_NAME.match(chunk)
    if m is None or m.group(1) not in _BLOCK_LEVEL:
        return False
    # Its first tag ends at the first ">" when no quote before it is left open (and where an
    # attribute is in single quotes, is_html_chunk reads the tag itself).
    head = chunk[: chunk.find(">")]
    if "'" in head or head.count('"') % 2 or head.endswith("/"):
        return False
    name = m.group(1)
    return (chunk.endswith(f"</{name}>") and chunk.count(f"</{name}") == 1
            and chunk.count(f"<{name}") == 1)


def _blocks(source: str) -> list[tuple[int, str, str | None] | str] | None:
    """The page as headings (level, text, id) and runs of HTML chunks (each run one block, its
    chunks apart by one blank line, as raw_html stores it); None when a chunk is neither."""
    plain = _NOT_OURS.search(source) is None
    blocks: list[tuple[int, str, str | None] | str] = []
    run: list[str] = []  # HTML chunks in a row
    for chunk in _CHUNK.findall(source):
        if chunk[0] == "<":
            if not (plain and _one_element(chunk)) and not is_html_chunk(chunk, _is_block_level):
                return None
            run.append(chunk)
            continue
        heading = _heading(chunk)
        if heading is None:
            return None
        if run:
            blocks.append("\n\n".join(run) + "\n")
            run = []
        blocks.append(heading)
    if run:
        blocks.append("\n\n".join(run) + "\n")
    return blocks


def render(markdown: str) -> Rendered | None:
    """Render one of our pages (headings and HTML blocks), or None to leave it to Python-Markdown."""
    blocks = _blocks(_normalize(markdown))
    if blocks is None:
        return None
    # The ids: attr_list's first (kept as written, even when repeated), then, in page order, a
    # slug of each other heading's text that is unique on the page (markdown.extensions.toc).
    used = {b[2] for b in blocks if isinstance(b, tuple) and b[2] is not None}
    counters: dict[str, int] = {}
    out: list[str] = []
    flat: list[dict[str, Any]] = []
    anchors = set(used)
    for b in blocks:
        if isinstance(b, str):
            out.append(b)
            if "id=" in b:
                anchors.update(ids(b))
            continue
        level, text, anchor = b
        name = " ".join(text.split())
        if anchor is None:
            anchor = unique(slugify(html.unescape(name), "-"), used, counters)
            anchors.add(anchor)
        out.append(f'<h{level} id="{anchor}">{text}{PERMALINK.format(anchor)}</h{level}>')
        if level <= TOC_DEPTH:
            flat.append({"level": level, "id": anchor, "name": name, "html": text,
                         "data-toc-label": ""})
    first = blocks[0] if blocks else None
    title = " ".join(first[1].split()) if isinstance(first, tuple) and first[0] == 1 else None
    return Rendered("\n".join(out).strip(), nest_toc_tokens(flat), title, anchors)


# A link's target in a tag: href="…" or src="…" (the values are HTML-escaped). Searched for as
# literal text, the space before each checked apart: several times faster than one pattern.
_LINKS = (re.compile(r"""href=(?:"([^"]*)"|'([^']*)')"""), re.compile(r"""src=(?:"([^"]*)"|'([^']*)')"""))


def relative_links(content: str) -> Iterator[tuple[str, str, str]]:
    """(written, path, anchor) of each link to the site's own files in a page's HTML.

    `path` is relative to the page ("" for a link to an anchor of the page itself); links with a
    scheme (https:, mailto:), to another host and to the site's root ("/…") are left out."""
    for pattern in _LINKS:
        for m in pattern.finditer(content):
            start = m.start()
            # An attribute in a tag, not text: the last angle bracket before it opens a tag.
            if (not start or not content[start - 1].isspace()
                    or content.rfind("<", 0, start) <= content.rfind(">", 0, start)):
                continue
            written = m.group(1) if m.group(1) is not None else m.group(2)
            if "&" in written:
                written = html.unescape(written)
            if ":" in written or not written.isprintable():
                parts = urlsplit(written)
                if parts.scheme or parts.netloc:
                    continue
                path, fragment = parts.path, parts.fragment
            else:  # what urlsplit would give, at a tenth of its cost
                rest, _, fragment = written.strip(" ").partition("#")
                path = rest.partition("?")[0]
            if written.startswith(("/", "\\")) or not (path or fragment):
                continue
            yield written, unquote(path) if "%" in path else path, fragment


def target(page_url: str, path: str) -> str:
    """The site path a link written on the page at `page_url` leads to ("x/" is "x/index.html")."""
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(page_url), path))
    if path.endswith("/") or joined == ".":
        joined = posixpath.join("" if joined == "." else joined, "index.html")
    return joined
