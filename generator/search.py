"""The site's search: a Pagefind index of every page, built after MkDocs, and the search page.

Pagefind (the `pagefind[bin]` package from PyPI, a Rust binary in a wheel, offline) reads the
built HTML and writes a chunked index under site/pagefind/: a visitor's browser fetches only the
index chunks of the words typed and the fragments of the results shown, so the bytes a search
transfers grow with the query, not with the number of units. It folds diacritics itself
("giam sat" finds "giám sát" and ranks "giám sát" first when typed with its marks), keeps tokens
such as "05-KH/ĐTN" whole besides their parts, and searches phrases in double quotes. What it
does not fold, "d" for "đ", is done by the search page (assets/search.js), which also runs a
query of several words as a phrase first (see the README, “Tìm kiếm”).

Only the article of each page is indexed (`data-pagefind-body`, added by publish_hook as each
page is written): not the navigation, which on a small site lists every unit on every page, nor
the validator's warnings. Each unit's text is indexed on the unit's page, and on its outline
section's page while that page is small enough (COMPILED_INDEX_MAX): the search page then links
each match there at the unit's heading (muc/muc-3-2-3.html#<unit>). The summary, a section
page past that size, a page of some of a section's units and the pages of the appendices, the
lists and the comparison (tong-hop/) are indexed by their headings only (their title, their parts, the name of
each unit in them): Pagefind keeps each page's text in one fragment that a result fetches, and
theirs grows with the number of units (about 1 MB for a section at 1,000 units), while the unit
pages already find every text. A draft's page is marked (`draft`), which the search page says.
The search page itself is generated here, not by the renderer: it is the same for every site.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

BUNDLE = "pagefind"  # the folder under site/ Pagefind writes
# The MkDocs config's `extra` key that says the caller indexes the site once MkDocs has ended
# (`make site`: generator/site.py), so publish_hook does not index it inside MkDocs.
INDEX_LATER = "tongket_index_after_mkdocs"
PAGE = "tim-kiem.md"  # the search page, under docs/
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-component-ui.js", "pagefind-component-ui.css",
          "pagefind-modular-ui.js", "pagefind-modular-ui.css", "pagefind-highlight.js")
ARTICLE = '<article class="md-content__inner md-typeset">'
INDEXED_ARTICLE = '<article class="md-content__inner md-typeset" data-pagefind-body>'

PAGE_MARKDOWN = """---
title: Tìm kiếm
---

# Tìm kiếm

<form id="tk-search-form" class="tk-search-form" role="search" action="tim-kiem.html">
<input id="tk-search-input" type="search" name="q" autocomplete="off"
 placeholder="Tên đơn vị, mã đơn vị, số văn bản, từ ngữ…" aria-label="Từ cần tìm">
<button type="submit" class="md-button md-button--primary">Tìm</button>
</form>
<p id="tk-search-status" class="tk-search-status" aria-live="polite"></p>
<ol id="tk-search-results" class="tk-search-results"></ol>
<p><button id="tk-search-more" class="md-button" type="button" hidden>Xem thêm kết quả</button></p>

<details class="tk-search-help"><summary>Cách tìm</summary>
<ul>
<li>Gõ có dấu hay không dấu đều được: “giam sat” tìm thấy “giám sát”, “dang” tìm thấy
“Đảng”. Gõ có dấu thì các trang đúng dấu đứng trước.</li>
<li>Nhiều từ được tìm như một cụm liền nhau (“quan triet” tìm “quán triệt”, không tìm “cơ quan”);
khi không có trang nào có cả cụm, trang có đủ các từ được liệt kê.</li>
<li>Số văn bản tìm được nguyên dạng: “05-KH/ĐTN”.</li>
</ul>
</details>
"""


class SearchIndexError(Exception):
    """Pagefind could not index the site."""


_HEADING = re.compile(r"<(h[12])(?=[\s>])")  # the title, the parts, each unit's name


# A compiled section page is indexed whole up to this size of its article (with the samples'
# texts: about 15 units of the longest section, III.2.3, and 150 of the shortest, VI): a result
# fetches the page's whole text. Past it, by its headings, and each text is found on its unit's
# page; so the bytes a search fetches stay a small part of the index at any size (tested at 300
# units in tests/test_search.py).
COMPILED_INDEX_MAX = 200_000
# A unit's report still in draft: marked for the search page, which says "bản nháp".
DRAFT_NOTE = '<div class="admonition warning draft-note">'
DRAFT_META = ' data-pagefind-meta="draft:bản nháp"'
COMPILED_META = ' data-pagefind-meta="compiled:1"'
# Not indexed anywhere: the validator's warnings and the list of what a draft has left to fill
# in (their words are the checker's, not the unit's), and the ¶ after each heading.
EXCLUDE_SELECTORS = (".headerlink", "details.warning", "div.admonition.warning")


def compiles_every_unit(src_uri: str) -> bool:
    """The summary, the outline sections' pages and the pages of the appendices, lists and the
    comparison of units (tong-hop/): every unit's texts or figures, unit after unit."""
    return src_uri == "index.md" or src_uri.startswith("tong-hop/") or is_section_page(src_uri)


def is_section_page(src_uri: str) -> bool:
    """An outline section's page: every final report's text of that section, unit by unit."""
    return src_uri.startswith("muc/") and src_uri != "muc/index.md"


def mark_article(html: str, src_uri: str) -> str:
    """Let Pagefind index this page's article, and nothing else of it; not the search page.

    A section page is indexed whole while it is small enough (COMPILED_INDEX_MAX), marked
    `compiled` so that the search page shows its matches unit by unit, at each unit's heading;
    the summary and a larger section page by their headings only (see the module's doc).
    A draft's page is marked `draft`, which the search page says."""
    if src_uri == PAGE:
        return html
    start = html.find(ARTICLE)
    if start == -1:
        return html
    end = html.find("</article>", start)
    end = len(html) if end == -1 else end
    if not compiles_every_unit(src_uri):
        marked = INDEXED_ARTICLE[:-1] + (DRAFT_META if DRAFT_NOTE in html[start:end] else "") + ">"
        return html.replace(ARTICLE, marked, 1)
    # A page of some of a section's units (render.Paging, issue 19) is indexed like a section page
    # too large to index: by its headings; each text is found on its unit's page.
    if is_section_page(src_uri) and "/trang-" not in src_uri and end - start <= COMPILED_INDEX_MAX:
        return html.replace(ARTICLE, INDEXED_ARTICLE[:-1] + COMPILED_META + ">", 1)
    headings = _HEADING.sub(r"<\1 data-pagefind-body", html[start:end])
    return html[:start] + headings + html[end:]


def index_site(site_dir: Path) -> None:
    """Write Pagefind's index of the built site into site_dir/pagefind/ (replacing an old one).

    The new index is written beside the old one and swapped in, so a preview that is being
    searched is without an index only for the moment of two renames."""
    bundle = site_dir / BUNDLE
    fresh, stale = site_dir / (BUNDLE + ".new"), site_dir / (BUNDLE + ".old")
    for leftover in (fresh, stale):
        if leftover.exists():
            shutil.rmtree(leftover)
    cmd = [
        sys.executable, "-m", "pagefind",
        "--site", str(site_dir),
        "--output-subdir", fresh.name,
        "--keep-index-url",  # our links end in .html (use_directory_urls: false)
        *(a for sel in EXCLUDE_SELECTORS for a in ("--exclude-selectors", sel)),
        "--silent",
    ]
    r = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if r.returncode != 0 or not (fresh / "pagefind.js").is_file():
        raise SearchIndexError(
            f"Pagefind không tạo được chỉ mục tìm kiếm (mã {r.returncode}): "
            + (r.stderr or r.stdout).strip()
        )
    # Pagefind's ready-made interfaces; assets/search.js uses its API (pagefind.js) instead.
    for unused in UNUSED:
        (fresh / unused).unlink(missing_ok=True)
    if bundle.exists():
        bundle.rename(stale)
    fresh.rename(bundle)
    if stale.exists():
        shutil.rmtree(stale)


class BackgroundIndexer:
    """`make serve`: index the preview after a rebuild without holding back its reload.

    Pagefind takes seconds at 1,000 units; the edited page is shown at once and search follows.
    One run at a time; a rebuild during a run asks for one more run after it (of the preview as
    it is then), so the last index is always of the last build.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._site: Path | None = None
        self._running = False
        self.errors: list[str] = []

    def request(self, site_dir: Path) -> None:
        with self._lock:
            self._site = site_dir
            if not self._running:
                self._running = True
                threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        while True:
            with self._lock:
                site, self._site = self._site, None
                if site is None:
                    self._running = False
                    return
            try:
                index_site(site)
            except SearchIndexError as e:
                self.errors.append(str(e))
