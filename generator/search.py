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
page is written): not the navigation, which on a small site lists every unit on every page.
Each unit's text is indexed once, on the unit's page. The pages that compile every unit (the
summary and the outline sections) are indexed by their headings only (their title, their
parts, the name of each unit in them): Pagefind keeps each page's text in one fragment that a
result fetches, and theirs would grow with the number of units (about 1 MB for a section at
1,000 units), while the unit pages already find every text.
The search page itself is generated here, not by the renderer: it is the same for every site.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

BUNDLE = "pagefind"  # the folder under site/ Pagefind writes
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


_HEADING = re.compile(r"<(h[1-6])(?=[\s>])")


def compiles_every_unit(src_uri: str) -> bool:
    """The summary and the outline sections' pages: every unit's texts or figures on one page."""
    return src_uri == "index.md" or (src_uri.startswith("muc/") and src_uri != "muc/index.md")


def mark_article(html: str, src_uri: str) -> str:
    """Let Pagefind index this page's article (its headings only on a page compiling every unit,
    see the module's doc), and nothing else of it; not the search page."""
    if src_uri == PAGE:
        return html
    if not compiles_every_unit(src_uri):
        return html.replace(ARTICLE, INDEXED_ARTICLE, 1)
    start = html.find(ARTICLE)
    if start == -1:
        return html
    end = html.find("</article>", start)
    end = len(html) if end == -1 else end
    headings = _HEADING.sub(r"<\1 data-pagefind-body", html[start:end])
    return html[:start] + headings + html[end:]


def index_site(site_dir: Path) -> None:
    """Write Pagefind's index of the built site into site_dir/pagefind/ (replacing an old one)."""
    bundle = site_dir / BUNDLE
    if bundle.exists():
        shutil.rmtree(bundle)  # a preview rebuild: no chunk of the previous index left behind
    cmd = [
        sys.executable, "-m", "pagefind",
        "--site", str(site_dir),
        "--output-subdir", BUNDLE,
        "--keep-index-url",  # our links end in .html (use_directory_urls: false)
        "--exclude-selectors", ".headerlink",  # the ¶ after each heading
        "--silent",
    ]
    r = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if r.returncode != 0 or not (bundle / "pagefind.js").is_file():
        raise SearchIndexError(
            f"Pagefind không tạo được chỉ mục tìm kiếm (mã {r.returncode}): "
            + (r.stderr or r.stdout).strip()
        )
    # Pagefind's ready-made interfaces; assets/search.js uses its API (pagefind.js) instead.
    for unused in UNUSED:
        (bundle / unused).unlink(missing_ok=True)
