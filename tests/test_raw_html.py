"""Issue 12: our HTML kept out of Python-Markdown and out of the search plugin's parser, same site.

The built site must be the same, byte for byte, as the way before issue 12 (Python-Markdown
parsing every HTML block itself, the search plugin reading what it leaves out): checked through
`python -m generator build` on the hostile fixture (escaping) and on a site of more units than
fit in the nav (unit texts left out of search). Then the two pieces on their own, on inputs our
templates do not write today, against Python-Markdown and against the search plugin.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import markdown
import pytest
from material.plugins.search.plugin import SearchIndex
from test_site_build import ROOT, build, copy_samples, hostile_fixture, many_units

from generator.publish_hook import hide_excluded, show_excluded
from generator.render import UNITS_IN_NAV_MAX
from generator.site import AS_BEFORE_ENV

BASE_EXTENSIONS = ["attr_list", "admonition", "tables", "toc"]


def build_both_ways(tmp: Path) -> tuple[Path, Path]:
    """Build the fixture in `tmp` as `make site` does and the way before issue 12."""
    sites = []
    for way, env_value in (("new", None), ("old", "1")):
        env = dict(os.environ, SOURCE_DATE_EPOCH="1767225600")
        env.pop(AS_BEFORE_ENV, None)
        if env_value:
            env[AS_BEFORE_ENV] = env_value
        cmd = [sys.executable, "-m", "generator", "build"]
        for opt, name in (
            ("--campaign", "campaign.yaml"),
            ("--submissions", "submissions"),
            ("--docs", f"{way}-docs"),
            ("--site", f"{way}-site"),
            ("--config-dir", f"{way}-build"),
        ):
            cmd += [opt, str(tmp / name)]
        r = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
        assert r.returncode == 0, r.stdout + r.stderr
        sites.append(tmp / f"{way}-site")
    return sites[0], sites[1]


def assert_same_tree(a: Path, b: Path) -> None:
    files_a = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    assert files_a == files_b
    different = [str(p) for p in files_a if (a / p).read_bytes() != (b / p).read_bytes()]
    assert different == []


def test_hostile_text_builds_the_same_site_as_before(tmp_path: Path) -> None:
    tmp, uid = hostile_fixture(tmp_path)
    new, old = build_both_ways(tmp)
    assert_same_tree(new, old)
    page = (new / "don-vi" / f"{uid}.html").read_text(encoding="utf-8")
    # Shown as text, never run (every character that could be markup is an entity).
    assert "&lt;script&gt;window.&#95;&#95;pwned &#61; 1&lt;/script&gt;" in page
    assert "<script>window" not in page


def test_many_units_build_the_same_site_and_search_index_as_before(tmp_path: Path) -> None:
    many_units(tmp_path, UNITS_IN_NAV_MAX + 10)
    new, old = build_both_ways(tmp_path)
    assert_same_tree(new, old)
    index = json.loads((new / "search" / "search_index.json").read_text(encoding="utf-8"))
    # The unit pages were searched (their headings are in the index) with their texts left out.
    assert any(e["location"].startswith("don-vi/don-vi-005.html") for e in index["docs"])
    page = (new / "don-vi" / "don-vi-005.html").read_text(encoding="utf-8")
    assert "data-search-exclude" in page


# Inputs around what our templates write: blocks with blank lines inside, text after the closing
# tag, comments, scripts, nesting, upper case, indentation, lists, admonitions, and the text of
# Python-Markdown's own placeholder. Each must come out exactly as Python-Markdown makes it.
CASES = [
    "<div>a</div>",
    '# T\n\n<div class="x">\n<p>a &amp; b</p>\n</div>\n\ntext *em*\n',
    "<div><div>in</div></div>\n\n<p>x</p>",
    "<div>a</div>\n<div>b</div>\n\n\n\n<table><tr><td>1</td></tr></table>",
    "<div>\n<p>a</p>\n\n<p>b</p>\n</div>",
    "<div>\n<p>a</p>\n\n<div>b</div>\n\n</div>\n\n<p>after</p>",
    "<div>a</div> tail *x*\n\n<div>b</div>",
    "<p>a</p>\ntext\n\n<p>b</p>",
    "<!-- c -->\n\n<div>x</div>",
    "<!--\n\n<div>x</div>\n\n-->\n\n<div>y</div>",
    "<script>var a = '</div>';</script>\n\n<div>x</div>",
    '<div title="a > b">x</div>',
    "<div/>\n\n<hr>\n\n<div>y</div>",
    "<span>inline</span> text\n\n<div>x</div>",
    "   <div>indented</div>\n\n<div>x</div>",
    "    <div>code</div>\n\n<div>x</div>",
    "- item\n\n<div>x</div>\n\n- item 2",
    "<figure>\n<svg><title>a</title><line/></svg>\n</figure>",
    "<DIV>upper</DIV>\n\n<div>x</div>",
    "<div>unclosed\n\n# heading",
    "## H {: #x }\n<div>right after heading</div>\n\n<div>y</div>",
    "<div><p>a</div>\n\n<div>x</div>",
    "<table>\n<tr><td>a</td></tr>\n</table>\n<p>x</p>\n\n!!! note\n    body\n\n<div>z</div>",
    "<div>x</div>\n\n<div>\ny\n</div>  \n\nz",
    "<ins>a</ins>\n\n<div>x</div>",
    "<div>\x02wzxhzdk:0\x03</div>\n\n<div>x</div>",
    "<div>a</DIV>\n\n<div>x</div>",
    "<div/>x</div>\n\n<div>y</div>",
    "<div>a</div>b</div>\n\n<div>y</div>",
    "<div>a</DIV>b</div>\n\n<div>y</div>",
    "<div>a\n</div >\n\n<div>y</div>",
]


@pytest.mark.parametrize("text", CASES)
def test_the_extension_changes_nothing_python_markdown_makes(text: str) -> None:
    before = markdown.markdown(text, extensions=[*BASE_EXTENSIONS, "md_in_html"])
    assert markdown.markdown(text, extensions=[*BASE_EXTENSIONS, "generator.raw_html"]) == before


def test_the_html_blocks_of_a_unit_page_never_reach_python_markdowns_html_parser(
    tmp_path: Path,
) -> None:
    tmp = copy_samples(tmp_path)
    assert build(tmp).returncode == 0
    page = next((tmp / "docs" / "don-vi").glob("xa-*.md")).read_text(encoding="utf-8")
    page = page.split("\n---\n", 1)[1]  # MkDocs reads the front matter itself
    seen: list[str] = []

    class Spy(markdown.preprocessors.Preprocessor):
        def run(self, lines: list[str]) -> list[str]:
            seen.append("\n".join(lines))
            return lines

    md = markdown.Markdown(extensions=[*BASE_EXTENSIONS, "generator.raw_html"])
    md.preprocessors.register(Spy(md), "spy", 21)  # just before Python-Markdown's html_block
    html = md.convert(page)
    assert "<table" in page and "<table" in html
    assert "<table" not in seen[0] and "<div" not in seen[0]
    assert "## I." in seen[0]  # the Markdown headings are still Markdown


def index_of(html: str) -> list[dict[str, str]]:
    """Material's search entries for a page with this content (as its plugin makes them)."""

    class Page:
        content = html
        meta: dict[str, str] = {}
        toc: list[object] = []
        url = "p.html"
        title = "P"

    index = SearchIndex(lang=["vi"], separator=" ", pipeline=[], fields={})
    index.add_entry_from_context(Page())
    return index.entries


SEARCH_CASES = [
    # hidden: nothing inside shows in the index, whatever it holds
    '<h2 id="a">A</h2><div data-search-exclude="1"><p>t</p><ul><li>x<br>y</li></ul></div><p>z</p>',
    '<h2 id="a">A</h2><table class="t" data-search-exclude><tr><td>1</td></tr></table><p>z</p>',
    '<div data-search-exclude="1"><p/><img src="x"><p>a</p></div><h2 id="b">B</h2><p>c</p>',
    # left to the parser: a heading, the same element, a comment or a stray end tag inside
    '<div data-search-exclude="1"><h3 id="x">X</h3></div><p>z</p>',
    '<div data-search-exclude="1"><div>a</div>b</div><p>z</p>',
    '<div data-search-exclude="1"><!-- </div> --></div><p>z</p>',
    '<div data-search-exclude="1"><p>a</span></p></div><p>z</p>',
    '<div data-search-exclude="1"><p>a</div><p>z</p>',
]


@pytest.mark.parametrize("html", SEARCH_CASES)
def test_hiding_excluded_content_from_the_search_parser_changes_no_entry(html: str) -> None:
    hidden_html, hidden = hide_excluded(html)
    assert show_excluded(hidden_html, hidden) == html
    assert index_of(hidden_html) == index_of(html)


def test_hiding_happens_where_it_is_safe_and_only_there() -> None:
    assert len(hide_excluded(SEARCH_CASES[0])[1]) == 1
    assert all(hide_excluded(html)[1] == [] for html in SEARCH_CASES[3:])
    # A page whose text already holds the marker is left alone.
    html = '<div data-search-exclude="1">\x02tongket-search-skip:0\x03</div>'
    assert hide_excluded(html) == (html, [])
