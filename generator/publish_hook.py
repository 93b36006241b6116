"""MkDocs hook of every build: pages without blank lines and indentation, and the search index.

Material's templates indent every tag of the navigation and the table of contents; on a unit page
that is about a tenth of the bytes. A browser shows a run of whitespace in text as one space, so
a newline and the whitespace after it are written as one newline, except where whitespace shows:
<pre>, <textarea>, <code> and <kbd> (which Material styles `white-space: pre-wrap`), and in
<script> and <style>, which are not text. Attribute values are never changed. Runs without a
newline are left alone: they are rare, and finding them costs five times as long.

The site's search is Pagefind's (generator/search.py): each page's article is marked for it as
the page is written, the search page is added to the build's files, and after every build,
full or a `make serve` rebuild, Pagefind brings site/pagefind/ up to date, indexing again only the
pages that changed (search.index_site; in a preview, beside the server, so that the edited page
reloads without waiting for it; `make site` runs it itself once MkDocs has ended, so that the two
never hold their memory at once).

Our pages never pass through Python-Markdown (`on_pre_page`, generator/page_html.py): each page
the generator wrote, headings around our own HTML, is given its HTML, table of contents, title
and anchors as Python-Markdown would have made them, and MkDocs lays it out in the theme; a
page with other Markdown (a page written by hand) is left to Python-Markdown. Every page's links
to the site's own files are then checked (`on_page_content`): MkDocs checks only links written
in Markdown, and ours are HTML. A link to a file the site does not have is a warning, which
fails the build (`--strict`); a link to an anchor a page does not have is one too, through
MkDocs' own check (mkdocs.yml's `validation: anchors: warn`).

`mkdocs build` shows only warnings and errors (`on_startup`): MkDocs' --quiet would drop the
warnings before --strict counts them, so a broken link would pass.
"""

from __future__ import annotations

import functools
import logging
import re
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from generator import page_html, search

log = logging.getLogger("mkdocs.plugins.tongket")

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


class _DropDirtyWarning(logging.Filter):
    """MkDocs warns on every dirty build that links may be stale; under --strict that warning
    would abort it. Ours are not: a dirty build runs only when the nav, the config and the code
    are those of the build that made every other page (site.cmd_build), or under `make serve`."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


logging.getLogger("mkdocs.commands.build").addFilter(_DropDirtyWarning())

_serving: list[search.BackgroundIndexer] = []  # under `mkdocs serve`: Pagefind runs beside it


def on_startup(*, command: str, **kwargs: Any) -> None:
    """`mkdocs build` shows warnings and errors only, and --strict still counts every warning."""
    if command == "serve" and not _serving:
        _serving.append(search.BackgroundIndexer())
    if command == "build":
        for handler in logging.getLogger("mkdocs").handlers:
            if type(handler) is logging.StreamHandler:
                handler.setLevel(logging.WARNING)


def on_pre_page(page: Any, *, config: Any, **kwargs: Any) -> Any:
    """Render the page ourselves when it is one of ours (see the module's doc)."""
    ours = not (config.get("extra") or {}).get(page_html.EVERY_PAGE_BY_MARKDOWN)
    page.render = functools.partial(_render, page, ours=ours)
    return page


def _render(page: Page, config: Any, files: Any, *, ours: bool) -> None:
    """Page.render, without Python-Markdown for a page of headings and our HTML."""
    rendered = page_html.render(page.markdown) if ours and page.markdown is not None else None
    if rendered is None:
        Page.render(page, config, files)
        # MkDocs finds the ids of the HTML in Markdown before generator.raw_html has stored it
        # away, and so misses them: they are read from the page as rendered.
        assert page.content is not None
        page.present_anchor_ids = (page.present_anchor_ids or set()) | set(page_html.ids(page.content))
        return
    page.content = rendered.content
    page.toc = get_toc(rendered.toc_tokens)  # type: ignore[arg-type]
    page._title_from_render = rendered.title
    page.present_anchor_ids = rendered.anchors
    page.links_to_anchors = {}


def on_page_content(html: str, *, page: Any, config: Any, files: Any, **kwargs: Any) -> str:
    """Check the page's links to the site's own files and anchors (see the module's doc)."""
    by_path = _site_files(files)
    left_out = tuple((config.get("extra") or {}).get(page_html.LEFT_OUT) or ())
    if page.links_to_anchors is None:
        page.links_to_anchors = {}
    for written, path, anchor in page_html.relative_links(html):
        target = page_html.target(page.file.url, path) if path else page.file.url
        file = by_path.get(target)
        if file is None:
            if not (left_out and target.startswith(left_out)):
                log.warning("Doc file '%s' contains a link '%s', but the target '%s' is not found "
                            "among the site's files.", page.file.src_uri, written, target)
        elif anchor:
            page.links_to_anchors.setdefault(file, {}).setdefault(anchor, written)
    return html


_files_by_path: list[tuple[Any, dict[str, Any]]] = []  # this build's files, by their path in the site


def _site_files(files: Any) -> dict[str, Any]:
    if not _files_by_path or _files_by_path[0][0] is not files:
        _files_by_path[:] = [(files, {f.dest_uri: f for f in files})]
    return _files_by_path[0][1]


def on_files(files: Any, *, config: Any, **kwargs: Any) -> Any:
    """Add the search page (the same for every site) to the build; leave out the theme's source
    maps (`*.map`, 1.3 MB that only a developer's tools ever read)."""
    docs = Path(config["docs_dir"]).resolve()
    for f in list(files):
        if f.src_uri.endswith(".map") and f.abs_src_path and not Path(f.abs_src_path).resolve().is_relative_to(docs):
            files.remove(f)
            _maps_left_out.add(f.dest_uri)
    files.append(File.generated(config, search.PAGE, content=search.PAGE_MARKDOWN))
    return files


# The theme's source maps left out of this build, by their path in the site.
_maps_left_out: set[str] = set()


def _unlink_maps(site_dir: Path) -> None:
    """Drop the last line of a script or style sheet that names a source map left out, so that
    nothing points at a file the site does not have."""
    for dest in sorted(_maps_left_out):
        source = site_dir / dest.removesuffix(".map")
        if not source.is_file():
            continue
        text = source.read_text(encoding="utf-8")
        name = re.escape(Path(dest).name)
        kept = re.sub(rf"\n?(?://# sourceMappingURL={name}|/\*# sourceMappingURL={name} \*/)\s*\Z", "\n", text)
        if kept != text:
            source.write_text(kept, encoding="utf-8")


# Material's search plugin used to remove this attribute, which our templates still write on a
# unit's texts past 60 units (render.SiteView.search_skip); Pagefind indexes them all. Only inside
# a tag: a unit's text has its angle brackets escaped, so it is never changed.
_OLD_SKIP = re.compile(r'(<[a-zA-Z][^<>]*?) data-search-exclude(?:="1")?(?=[\s/>])')


def on_post_page(output: str, *, page: Any, **kwargs: Any) -> str:
    output = _OLD_SKIP.sub(r"\1", output) if "data-search-exclude" in output else output
    return collapse_whitespace(search.mark_article(output, page.file.src_uri))


@event_priority(-100)  # after serve_hook removed the pages of deleted reports
def on_post_build(config: Any, **kwargs: Any) -> None:
    _unlink_maps(Path(config["site_dir"]))
    if _serving:  # a preview: reload the page now, index in the background
        indexer = _serving[0]
        while indexer.errors:
            logging.getLogger("mkdocs.plugins.tongket").warning(indexer.errors.pop(0))
        indexer.request(Path(config["site_dir"]))
        return
    if (config.get("extra") or {}).get(search.INDEX_LATER):
        return
    try:
        search.index_site(Path(config["site_dir"]))
    except search.SearchIndexError as e:
        raise PluginError(str(e)) from e
