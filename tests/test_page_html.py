"""Issue 19: our pages' HTML without Python-Markdown (generator/page_html.py, publish_hook).

Every generated page of the samples is rendered by page_html and by MkDocs' own Page.render
(Python-Markdown with mkdocs.yml's extensions): the same HTML, table of contents, title and
anchors. Inputs our templates do not write today are either rendered the same or left to
Python-Markdown. Through `python -m generator build`: headings keep their ids, permalinks and
TOC entries, the page's values are there, a hand-written Markdown page still renders, and a
broken link or anchor in one of our pages fails the build. (tests/test_raw_html.py builds the
hostile fixture and many units this way and the way before issue 12, byte for byte.)
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from mkdocs.config import load_config
from mkdocs.structure.files import File, Files, get_files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from test_site_build import ROOT, article, build, copy_samples

from generator import page_html
from generator.site import MARKDOWN_ENV


@pytest.fixture(scope="module")
def built(sample_site: Path) -> Path:
    """The samples' build that test_site_build reads too (conftest.py), read only here."""
    return sample_site


def python_markdown(config: Any, file: File, files: Files, markdown: str | None = None) -> Page:
    """The page as MkDocs renders it with Python-Markdown (Page.render itself)."""
    page = Page(None, file, config)
    page.read_source(config)
    if markdown is not None:
        page.markdown = markdown
    Page.render(page, config, files)
    return page


def assert_same(ours: page_html.Rendered, page: Page) -> None:
    assert ours.content == page.content
    assert str(get_toc(ours.toc_tokens)) == str(page.toc)  # type: ignore[arg-type]
    assert [(a.id, a.title, a.level) for a in get_toc(ours.toc_tokens)] == [  # type: ignore[arg-type]
        (a.id, a.title, a.level) for a in page.toc]
    assert ours.title == page._title_from_render
    # Python-Markdown's MkDocs sees the ids of headings only (raw_html stashes the HTML first);
    # ours also has those in our HTML, so that links to them are checked.
    assert page.present_anchor_ids is not None and ours.anchors >= page.present_anchor_ids


def test_every_generated_page_is_rendered_as_python_markdown_renders_it(built: Path) -> None:
    config = load_config(str(built / "build" / "mkdocs.yml"))
    files = get_files(config)
    left: list[str] = []
    pages = 0
    for file in files.documentation_pages():
        page = python_markdown(config, file, files)
        assert page.markdown is not None
        ours = page_html.render(page.markdown)
        if ours is None:
            left.append(file.src_uri)
            continue
        pages += 1
        assert_same(ours, page)
    # Only the pages with Markdown of their own go to Python-Markdown: the how-to page (lists,
    # code) and the editor's page (a <link> at the top level).
    assert sorted(left) == ["cach-gui.md", "nop-truc-tuyen.md"]
    assert pages > 15


# Inputs our templates do not write today, each rendered the same as Python-Markdown renders it,
# or left to it (None).
CASES = {
    "headings and HTML": ("# Tiêu đề\n\n<div class=\"a\"><p>x</p></div>\n\n## Mục {: #muc-1 }\n\n"
                          "<table>\n<tr><td>1</td></tr>\n</table>\n<p>y</p>\n", True),
    "entities in a heading": ("## Kết quả&#58; nội dung &amp; số &#x41; &nbsp;cuộc\n\n<p>a</p>", True),
    "the same heading twice and an id taken": (
        "## Đoàn xã\n\n## Đoàn xã\n\n## Khác {: #oan-xa_1 }\n\n### Đoàn xã\n\n## X {: #x }\n\n## Y {: #x }",
        True),
    "levels skipped and an h2 first": ("## a\n\n#### b\n\n# c\n\n### d\n\n## e", True),
    "an h1 not first: no title": ("<p>x</p>\n\n# T", True),
    "tabs, CR LF, spaces on blank lines": (
        "# T\r\n\r\n<div>\ta\tb</div>\r\n   \r\n<p>c</p>\n\n\n\n<p>d</p>", True),
    "nested elements of one name": ("<div class=\"a\">\n<div>b</div>\n</div>\n\n<div><div>c</div></div>", True),
    "several elements in a chunk": ("<p>a</p>\n<div>b</div>\n<table><tr><td>c</td></tr></table>", True),
    "upper-case tags": ("<DIV>a</DIV>\n\n<P>b</p>", True),
    "heading text with spaces inside": ("#   a   b   ", True),
    "emphasis in a heading": ("## a *b* c\n\n<p>x</p>", False),
    "code in a heading": ("## a `b`", False),
    "a bare ampersand": ("## a & b", False),
    "a heading with closing hashes": ("## a ##", False),
    "a heading without a space": ("##a", False),
    "an attribute list with a class": ("## a {: .b }", False),
    "a Markdown list": ("# T\n\n- a\n- b", False),
    "a paragraph of text": ("# T\n\ntext", False),
    "text after an element": ("<div>a</div> b", False),
    "an inline element first": ("<span>a</span>", False),
    "a comment": ("<!-- a -->\n\n<p>b</p>", False),
    "a script": ("<script>a</script>", False),
    "<x/>": ("<div/>\n\n<p>a</p>", False),
    "a heading and HTML in one chunk": ("## a\n<p>b</p>", False),
    "an element open past a blank line": ("<div>\na\n\nb\n</div>", False),
    "an empty heading": ("## {: #a }", False),
}


@pytest.mark.parametrize("case", CASES)
def test_other_input_is_rendered_the_same_or_left_to_python_markdown(case: str, tmp_path: Path) -> None:
    text, ours_expected = CASES[case]
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "p.md").write_text(text, encoding="utf-8")
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    config = load_config(str(tmp_path / "mkdocs.yml"), docs_dir=str(tmp_path / "docs"))
    files = get_files(config)
    ours = page_html.render(text)
    assert (ours is not None) == ours_expected
    if ours is not None:
        assert_same(ours, python_markdown(config, files.get_file_from_path("p.md"), files, text))


def test_the_toc_settings_are_mkdocs_ymls() -> None:
    base = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    toc = next(e["toc"] for e in base["markdown_extensions"] if isinstance(e, dict) and "toc" in e)
    assert toc == {"permalink": True, "toc_depth": page_html.TOC_DEPTH}
    assert "generator.raw_html" in base["markdown_extensions"]


def test_a_unit_page_has_its_headings_ids_toc_and_values(built: Path) -> None:
    data = yaml.safe_load((built / "submissions" / "xa-xuan-lap.yaml").read_text(encoding="utf-8"))
    page = (built / "site" / "don-vi" / "xa-xuan-lap.html").read_text(encoding="utf-8")
    name = data["unit"]["name"]
    # The h1 with its id (a slug of the name) and permalink; a section's h2 by attr_list's id.
    assert re.search(rf'<h1 id="([a-z0-9-]+)">{re.escape(name)}<a class="headerlink" href="#\1" '
                     r'title="Permanent link">&para;</a></h1>', page)
    assert '<h2 id="muc-1">I. KHÁI QUÁT ĐẶC ĐIỂM, TÌNH HÌNH HOẠT ĐỘNG<a class="headerlink" href="#muc-1"' in page
    # Material's table of contents (the right-hand one) lists the sections, each linked to its id.
    toc = page[page.index('<nav class="md-nav md-nav--secondary"'):]
    toc = toc[: toc.index("</nav>")]
    assert '<a href="#muc-1" class="md-nav__link">' in toc
    assert "I. KHÁI QUÁT ĐẶC ĐIỂM, TÌNH HÌNH HOẠT ĐỘNG" in toc
    assert '<a href="#phu-luc-1" class="md-nav__link">' in toc
    # The page's values: its signer, and a text it wrote.
    text, _ = article(built / "site" / "don-vi" / "xa-xuan-lap.html")
    assert data["signer"]["name"] in text
    assert " ".join(str(data["section_1"]["situation"]).split()[:8]) in text


def test_a_page_of_markdown_is_still_rendered_by_python_markdown(built: Path) -> None:
    page = (built / "site" / "cach-gui.html").read_text(encoding="utf-8")
    assert "<ol>\n<li>Mở trang" in page  # a Markdown list
    assert '<h2 id="cach-1-ien-tren-trang-web-tai-tep-ve-va-gui-cho-huyen-oan">' in page


def mkdocs_build(config: Path) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config)]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))


def test_a_broken_link_or_anchor_in_our_html_fails_the_build(built: Path, tmp_path: Path) -> None:
    """MkDocs checks only links written in Markdown; ours are HTML, and checked all the same."""
    work = tmp_path / "w"
    shutil.copytree(built / "docs", work / "docs")
    config = yaml.safe_load((built / "build" / "mkdocs.yml").read_text(encoding="utf-8"))
    config.update(INHERIT=str(ROOT / "mkdocs.yml"), docs_dir=str(work / "docs"), site_dir=str(work / "site"))
    (work / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    r = mkdocs_build(work / "mkdocs.yml")
    assert r.returncode == 0, r.stderr  # as generated: every link leads somewhere
    unit = work / "docs" / "don-vi" / "xa-xuan-lap.md"
    generated = unit.read_text(encoding="utf-8")
    for link, says in (
        ('<a href="../don-vi/khong-co.html">x</a>', "'don-vi/khong-co.html' is not found"),
        ('<a href="../tai-ve/word/khong-co.docx" download>x</a>', "'tai-ve/word/khong-co.docx' is not found"),
        ('<a href="../muc/muc-1.html#khong-co">x</a>', "does not contain an anchor '#khong-co'"),
        ('<a href="#khong-co">x</a>', "there is no such anchor on this page"),
    ):
        unit.write_text(generated + f"\n<p>{link}</p>\n", encoding="utf-8")
        r = mkdocs_build(work / "mkdocs.yml")
        assert r.returncode != 0, link
        assert "don-vi/xa-xuan-lap.md" in r.stderr and says in r.stderr, r.stderr
    # A link to an anchor that our HTML has (not a heading) is found.
    unit.write_text(generated + '\n<p><a href="../trang-thai.html#nhom-late">x</a></p>\n', encoding="utf-8")
    assert mkdocs_build(work / "mkdocs.yml").returncode == 0


def test_with_python_markdown_for_every_page_the_site_is_the_same(built: Path, tmp_path: Path) -> None:
    """The way before issue 19 (benchmarks/bench_site.py --old-way 19) builds the same bytes."""
    tmp = copy_samples(tmp_path)
    env = dict(os.environ, **{MARKDOWN_ENV: "1"})
    r = build(tmp, env=env)
    assert r.returncode == 0, r.stdout + r.stderr
    ours, theirs = built / "site", tmp / "site"
    names = sorted(p.relative_to(ours) for p in ours.rglob("*.html"))
    assert names == sorted(p.relative_to(theirs) for p in theirs.rglob("*.html"))
    assert [str(n) for n in names if (ours / n).read_bytes() != (theirs / n).read_bytes()] == []
