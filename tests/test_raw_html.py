"""Issue 12: our HTML kept out of Python-Markdown, same site.

The built site must be the same, byte for byte, as the way before issue 12 (Python-Markdown
parsing every HTML block itself): checked through `python -m generator build` on the hostile
fixture (escaping) and on a site of more units than fit in the nav, search index included. Then
the extension on its own, on inputs our templates do not write today, against Python-Markdown.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import markdown
import pytest
from test_site_build import ROOT, hostile_fixture, many_units

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
    # Pagefind's index is part of the site (the same bytes both ways: its build is deterministic).
    assert (new / "pagefind" / "pagefind-entry.json").is_file()
    assert any((new / "pagefind" / "fragment").iterdir())


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
    sample_site: Path,
) -> None:
    page = next((sample_site / "docs" / "don-vi").glob("xa-*.md")).read_text(encoding="utf-8")
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
