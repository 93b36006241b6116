"""The publishing hook: pages without runs of whitespace, each page's article marked for search."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from generator import search
from generator.publish_hook import collapse_whitespace, on_post_page


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        # Blank lines and indentation between tags and around text become one newline.
        ("<ul>\n    <li>a</li>\n\n    <li>b</li>\n</ul>", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>"),
        ("<span>\n      \n        Mục I\n      \n    </span>", "<span>\nMục I\n</span>"),
        # Whitespace between two inline elements stays whitespace: it shows as a space.
        ("<b>Đoàn</b>\n   <i>viên</i>", "<b>Đoàn</b>\n<i>viên</i>"),
        ("<b>Đoàn</b> <i>viên</i>", "<b>Đoàn</b> <i>viên</i>"),
        # Attribute values are never changed, even with ">", "<" or newlines inside.
        ('<a title="a\n  >\n  b"\n   href="x">y</a>', '<a title="a\n  >\n  b"\n   href="x">y</a>'),
        ('<a title="a\n   b">y</a>', '<a title="a\n   b">y</a>'),
        # Where whitespace shows or is code, it is copied as it is.
        ("<pre>  a\n\n  b</pre>", "<pre>  a\n\n  b</pre>"),
        (
            '<pre class="x"><code>a\n\n  b</code></pre>',
            '<pre class="x"><code>a\n\n  b</code></pre>',
        ),
        ("<textarea>a\n\n  b</textarea>", "<textarea>a\n\n  b</textarea>"),
        (
            "<p><code>a\n   b</code> <kbd>Ctrl\n  +</kbd></p>",
            "<p><code>a\n   b</code> <kbd>Ctrl\n  +</kbd></p>",
        ),
        ('<script>var s = "a\\\n   b";\n\n</script>', '<script>var s = "a\\\n   b";\n\n</script>'),
        ("<style>\n  p {  }\n</style>", "<style>\n  p {  }\n</style>"),
        ("<!--\n  a\n\n  b  -->", "<!--\n  a\n\n  b  -->"),
        ("</script>\n    <script>a</script>", "</script>\n<script>a</script>"),
    ],
)
def test_collapse_whitespace(html: str, expected: str) -> None:
    assert collapse_whitespace(html) == expected


def test_text_after_the_last_tag_is_left_alone() -> None:
    html = "<p>a</p>\n   x\n   y\n"
    assert collapse_whitespace(html) == html


def test_only_the_article_is_indexed_and_not_the_search_page() -> None:
    page = '<nav>Xã A</nav><article class="md-content__inner md-typeset"><h1>T</h1></article>'
    marked = search.mark_article(page, "don-vi/a.md")
    assert '<article class="md-content__inner md-typeset" data-pagefind-body>' in marked
    assert "<nav>Xã A</nav>" in marked
    assert search.mark_article(page, search.PAGE) == page


def test_the_old_search_attribute_leaves_tags_and_never_text() -> None:
    html = ('<article class="md-content__inner md-typeset"><table class="a" data-search-exclude>'
            '<p data-search-exclude="1">x data-search-exclude="1" y</p></table></article>')
    out = on_post_page(html, page=SimpleNamespace(file=SimpleNamespace(src_uri="don-vi/a.md")))
    assert out == ('<article class="md-content__inner md-typeset" data-pagefind-body>'
                   '<table class="a"><p>x data-search-exclude="1" y</p></table></article>')


def test_pages_compiling_every_unit_are_indexed_by_their_headings() -> None:
    """The summary, and a section page too large to fetch whole, by their headings."""
    page = ('<article class="md-content__inner md-typeset"><h1 id="m">III.1</h1><p>text</p>'
            '<h2 id="u">Đoàn xã A</h2><div class="narrative">…</div></article><h2>after</h2>')
    large = page.replace("…", "…" * search.COMPILED_INDEX_MAX)
    for src, html in (("index.md", page), ("muc/muc-3-1.md", large)):
        assert search.mark_article(html, src) == (
            '<article class="md-content__inner md-typeset"><h1 data-pagefind-body id="m">III.1</h1>'
            '<p>text</p><h2 data-pagefind-body id="u">Đoàn xã A</h2><div class="narrative">'
            + html[html.index('"narrative">') + 12: html.index("</div>")] + "</div>"
            "</article><h2>after</h2>")
    assert "data-pagefind-body>" in search.mark_article(page, "muc/index.md")


def test_a_section_page_of_a_few_units_is_indexed_whole_and_a_draft_is_marked() -> None:
    """Issue 20: its text is found, unit by unit (the search page reads `compiled`)."""
    page = ('<article class="md-content__inner md-typeset"><h1 id="m">III.1</h1>'
            '<h2 id="u">Đoàn xã A</h2><div class="narrative">…</div></article>')
    assert search.mark_article(page, "muc/muc-3-1.md") == page.replace(
        '<article class="md-content__inner md-typeset">',
        '<article class="md-content__inner md-typeset" data-pagefind-body data-pagefind-meta="compiled:1">')
    draft = page.replace("<h2", search.DRAFT_NOTE + "…</div><h2", 1)
    assert 'data-pagefind-body data-pagefind-meta="draft:bản nháp">' in search.mark_article(draft, "don-vi/a.md")
    assert "data-pagefind-meta" not in search.mark_article(page, "don-vi/a.md")
