"""No page grows with the district (issue 19), read from the built site as a reviewer reads it.

A synthetic district of 130 units (benchmarks/synth.py: copies of the samples, drafts among
them), more than a page holds (render.PAGE_UNITS): the summary keeps the totals, the charts and a
link to a page of each appendix, each list and the comparison of units; those pages and the
outline sections' pages put their units on pages of their own, by kind of unit. Every value a
unit wrote is on the page that shows the unit, every page is reached from its part's page and
from the one before it, and no page is larger than a bound that does not depend on the district.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin

import pytest
import yaml
from test_site_build import ROOT, article, build, missing_values

from benchmarks.synth import make_corpus
from generator import render
from generator.outline import Outline
from generator.schema import REPORT_SCHEMA, load_schema

UNITS = 130
# The largest a page may be here: a page of units is cut at render.PAGE_BYTES of their content,
# and the theme's shell and nav add about 40 kB. The summary holds no unit's rows at all.
PAGE_MAX = render.PAGE_BYTES + 150_000
SUMMARY_MAX = 120_000

OUTLINE = Outline(load_schema(REPORT_SCHEMA))


@pytest.fixture(scope="module")
def district(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("district")
    make_corpus(UNITS, tmp)
    r = build(tmp)
    assert r.returncode == 0, r.stdout + r.stderr
    return tmp


@cache
def _reports(district: Path) -> dict[str, Any]:
    """Every report of the district by its file's name, read once (the files never change)."""
    return {
        f.stem: yaml.safe_load(f.read_text(encoding="utf-8"))
        for f in sorted((district / "submissions").glob("*.yaml"))
    }


@pytest.fixture(scope="module")
def finals(district: Path) -> dict[str, Any]:
    out = {}
    for data in _reports(district).values():
        if data["status"] == "final":
            out[data["unit"]["id"]] = data
    assert 2 * render.PAGE_UNITS < len(out) < UNITS  # pages to split, and drafts left out
    return out


@cache
def _article_html(path: Path) -> str:
    """The page's article (read once: the tests look for each unit on each page; the built
    site is never changed)."""
    html = path.read_text(encoding="utf-8")
    return html[html.index("<article") : html.index("</article>")]


@cache
def _text(path: Path) -> str:
    return article(path)[0]


def part_pages(site: Path, href: str) -> list[Path]:
    """A part's own page and its pages of units, in order."""
    own = site / href
    pages = sorted(own.with_suffix("").glob("trang-*.html"), key=lambda p: int(p.stem.split("-")[1]))
    return [own, *pages]


def shows(page: Path, uid: str) -> bool:
    html = _article_html(page)
    return f'id="{uid}"' in html or f'/{uid}.html"' in html


def parts() -> Iterator[tuple[str, str]]:
    """(key, href) of every part compiled unit by unit: the sections, appendices and lists."""
    for k in OUTLINE.sections:
        yield k, f"muc/{OUTLINE.part(k).slug}.html"
    for k in (*OUTLINE.appendices, *OUTLINE.lists):
        yield k, f"{render.PARTS_FOLDER}/{OUTLINE.part(k).slug}.html"


def test_no_page_grows_with_the_district(district: Path) -> None:
    site = district / "site"
    sizes = {p.relative_to(site).as_posix(): p.stat().st_size for p in site.rglob("*.html")}
    too_large = {p: s for p, s in sizes.items() if s > PAGE_MAX}
    assert not too_large, too_large
    assert sizes["index.html"] < SUMMARY_MAX, sizes["index.html"]
    # The section that used to be the largest page is split into pages of units.
    assert len(part_pages(site, "muc/muc-3-2-3.html")) > 3


def test_the_summary_links_to_every_part_and_holds_no_units_rows(
    district: Path, finals: dict[str, Any]
) -> None:
    site = district / "site"
    html = _article_html(site / "index.html")
    for key, href in parts():
        if key not in OUTLINE.sections:  # (the sections with figures are linked from their table)
            assert f'href="{href}"' in html, key
    assert 'href="muc/muc-1.html"' in html
    assert f'href="{render.PARTS_FOLDER}/{render.COMPARE_SLUG}.html"' in html
    # No unit is named on the summary: its rows are on the parts' pages.
    named = [uid for uid in finals if f"/{uid}.html" in html]
    assert not named, named[:5]


def test_every_final_unit_is_on_one_page_of_each_part_with_every_value(
    district: Path, finals: dict[str, Any]
) -> None:
    site = district / "site"
    for key, href in parts():
        pages = part_pages(site, href)
        assert len(pages) > 1, href  # 130 units never fit one page
        for uid, data in finals.items():
            on = [p for p in pages[1:] if shows(p, uid)]
            assert len(on) == 1, (href, uid, on)
            missing = missing_values({key: data[key]}, _text(on[0]))
            assert not missing, (on[0], uid, missing[:5])
        drafts = [p for p in pages for uid in _drafts(district) if shows(p, uid)]
        assert not drafts, drafts[:3]


@cache
def _drafts(district: Path) -> tuple[str, ...]:
    return tuple(stem for stem, data in _reports(district).items() if data["status"] != "final")


def _links(page: Path, site: Path) -> list[tuple[str, str]]:
    """(page under site/, anchor) of every link of the page's article within the site."""
    base = "/" + page.relative_to(site).as_posix()
    out = []
    for href in re.findall(r'href="([^"]+)"', _article_html(page)):
        if href.startswith(("http:", "https:", "mailto:")):
            continue
        path, _, anchor = unquote(urljoin(base, href)).partition("#")
        out.append((path.lstrip("/"), anchor))
    return out


def _rel(page: Path, rel: str, site: Path) -> str:
    """Where the page's link marked rel="next" (or "prev") leads, from the site's root."""
    m = re.search(rf'rel="{rel}" href="([^"]+)"', _article_html(page))
    assert m, (page, rel)
    return unquote(urljoin("/" + page.relative_to(site).as_posix(), m.group(1))).lstrip("/")


def test_pages_lead_to_each_other_and_every_link_resolves(district: Path) -> None:
    site = district / "site"
    others = [f"{render.PARTS_FOLDER}/{render.COMPARE_SLUG}.html", "don-vi/index.html"]
    for href in [h for _, h in parts()] + others:
        pages = part_pages(site, href)
        own = [p for p, _ in _links(pages[0], site)]
        # The part's page indexes every page of units; each page leads to the next one.
        assert [p for p in own if "/trang-" in p] == [q.relative_to(site).as_posix() for q in pages[1:]]
        for before, after in zip(pages[1:], pages[2:]):
            assert _rel(before, "next", site) == after.relative_to(site).as_posix()
            assert _rel(after, "prev", site) == before.relative_to(site).as_posix()
    broken = []
    for page in [site / "index.html", *site.glob("muc/**/*.html"), *site.glob(f"{render.PARTS_FOLDER}/**/*.html"),
                 *site.glob("don-vi/index/*.html")]:
        for path, anchor in _links(page, site):
            target = site / path
            if not target.is_file():
                broken.append((page, path))
            elif anchor and target.suffix == ".html" and f'id="{anchor}"' not in target.read_text(encoding="utf-8"):
                broken.append((page, f"{path}#{anchor}"))
    assert not broken, broken[:10]


def test_the_index_of_units_lists_every_unit_once_with_its_word_file(district: Path) -> None:
    site = district / "site"
    pages = part_pages(site, "don-vi/index.html")
    assert len(pages) > 2  # more units than render.UNITS_INDEX_ROWS
    for f in (district / "submissions").glob("*.yaml"):
        on = [p for p in pages if f'/{f.stem}.html"' in _article_html(p)]
        assert len(on) == 1 and f'tai-ve/word/{f.stem}.docx"' in _article_html(on[0]), (f.stem, on)


def test_a_page_of_units_says_where_it_is(district: Path) -> None:
    site = district / "site"
    pages = part_pages(site, "muc/muc-3-2-3.html")
    text = _text(pages[2])
    assert re.search(r": đơn vị \d+–\d+ trong \d+ · trang 2/\d+", text), text[:400]
    # Its title says which page it is: in the browser's tab and in search results.
    assert re.search(r"<title>[^<]*, trang 2/\d+", pages[2].read_text(encoding="utf-8"))


def test_a_small_district_keeps_every_unit_on_the_parts_page(sample_site: Path) -> None:
    """While the units fit a page, the part's own page shows them all: no page of units (the
    samples' build, once per session: conftest.py)."""
    site = sample_site / "site"
    summary = _article_html(site / "index.html")
    for key, href in parts():
        assert part_pages(site, href) == [site / href], href
    for p in (*OUTLINE.appendices, *OUTLINE.lists):
        assert f'href="{render.PARTS_FOLDER}/{OUTLINE.part(p).slug}.html"' in summary
    for f in sorted((ROOT / "submissions").glob("*.yaml")):
        data = yaml.safe_load(f.read_text(encoding="utf-8"))
        if data["status"] != "final":
            continue
        for key, href in parts():
            assert shows(site / href, data["unit"]["id"]), (href, f.name)
            missing = missing_values({key: data[key]}, _text(site / href))
            assert not missing, (href, f.name, missing[:5])
