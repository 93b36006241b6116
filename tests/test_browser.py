"""The built site in a real headless Chromium, served on localhost, as a reviewer sees it.

Uses Debian's `chromium` (`make test` installs it) driven by the `playwright` package; its own
browser download is not used. Screenshots go to test-output/ (not in git).

On a busy 2-core machine a page, or a search (Pagefind's WebAssembly), can take many
seconds: every test waits on conditions, never a fixed delay, within its own budget (BUDGET_S,
counted from the test's start), so one slow test neither fails on a short default timeout nor
eats the time of the next.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from test_site_build import HOSTILE, ROOT, SAMPLES

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
BUDGET_S = float(os.environ.get("BROWSER_TEST_BUDGET_S", "120"))  # each browser test's own time budget
OUT = ROOT / "test-output"

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="Debian chromium is not installed (make test installs it)"
)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serving(directory: Path) -> Iterator[str]:
    """Serve a built site's folder on 127.0.0.1 (a free port) and yield its base URL."""
    handler = functools.partial(_Quiet, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def served(hostile_site: tuple[Path, str]) -> Iterator[tuple[str, Path, str]]:
    """The samples (one of them carrying hostile text), built once per session (conftest.py),
    served on 127.0.0.1: (base URL, the folder, the hostile unit's id)."""
    tmp, hostile_uid = hostile_site
    with serving(tmp / "site") as base:
        yield base, tmp, hostile_uid


@pytest.fixture(scope="module")
def browser(chromium: Any) -> Any:
    """The session's one Chromium (conftest.py), under the name the browser tests import."""
    return chromium


class Visit:
    """A page with every console error, page error and off-host request recorded."""

    def __init__(self, browser: Any, base: str):
        self.base = base
        self.deadline = time.monotonic() + BUDGET_S
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.set_default_timeout(BUDGET_S * 1000)
        self.page.set_default_navigation_timeout(BUDGET_S * 1000)
        self.page.on(
            "console",
            lambda m: (
                self.errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None
            ),
        )
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith(self.base + "/") or url == self.base:
            route.continue_()
        else:
            self.outside.append(url)  # recorded and refused: nothing leaves the machine
            route.abort()

    def left_ms(self) -> float:
        """Milliseconds left of this test's budget (at least one second, to report cleanly)."""
        return max(1000.0, (self.deadline - time.monotonic()) * 1000)

    def open(self, path: str) -> Any:
        self.page.goto(f"{self.base}/{path}", wait_until="load", timeout=self.left_ms())
        return self.page

    def shot(self, name: str, full: bool = True) -> None:
        OUT.mkdir(exist_ok=True)
        self.page.screenshot(path=str(OUT / f"{name}.png"), full_page=full)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser: Any, served: tuple[str, Path, str]) -> Iterator[Visit]:
    v = Visit(browser, served[0])
    yield v
    v.close()
    assert v.errors == [], v.errors
    assert v.outside == [], v.outside


def _expected_counts(tmp: Path) -> dict[str, int]:
    campaign = yaml.safe_load((tmp / "campaign.yaml").read_text(encoding="utf-8"))
    reports = [yaml.safe_load(f.read_text(encoding="utf-8")) for f in (tmp / "submissions").glob("*.yaml")]
    # Only a final report counts as submitted; its date decides on time or late.
    dates = [str(r["submission_date"]) for r in reports if r["status"] == "final"]
    drafts = sum(r["status"] == "draft" for r in reports)
    late = sum(d > str(campaign["deadline"]) for d in dates)
    return {
        "expected": len(campaign["units"]),
        "submitted": len(dates),
        "on_time": len(dates) - late,
        "late": late,
        "draft": drafts,
        "missing": len(campaign["units"]) - len(reports),
    }


def test_summary_shows_the_right_counts(visit: Visit, served: tuple[str, Path, str]) -> None:
    page = visit.open("index.html")
    shown = {
        k: page.locator(f'#status-counts td[data-status="{k}"]').inner_text().strip()
        for k in ("expected", "submitted", "on_time", "late", "draft", "missing")
    }
    assert shown == {k: str(v) for k, v in _expected_counts(served[1]).items()}
    assert page.get_by_text("Dữ liệu mẫu", exact=True).first.is_visible()
    visit.shot("summary")


def _states(tmp: Path) -> dict[str, list[str]]:
    """Each roster unit's state, from the files themselves: the ids in each group, roster order."""
    campaign = yaml.safe_load((tmp / "campaign.yaml").read_text(encoding="utf-8"))
    reports = {}
    for f in (tmp / "submissions").glob("*.yaml"):
        r = yaml.safe_load(f.read_text(encoding="utf-8"))
        reports[r["unit"]["id"]] = r
    out: dict[str, list[str]] = {"missing": [], "draft": [], "late": [], "on_time": []}
    for u in campaign["units"]:
        r = reports.get(u["id"])
        state = ("missing" if r is None else "draft" if r["status"] == "draft"
                 else "late" if str(r["submission_date"]) > str(campaign["deadline"]) else "on_time")
        out[state].append(u["id"])
    return out


@pytest.mark.parametrize("width", [390, 1366])
def test_status_page_answers_who_to_call_today(
    browser: Any, served: tuple[str, Path, str], width: int
) -> None:
    """Groups by state, the ones needing action first; their counts under the title; a reminder
    to copy for each unit not in; readable badges; headers that show they sort."""
    v = Visit(browser, served[0])
    try:
        v.page.set_viewport_size({"width": width, "height": 900})
        page = v.open("trang-thai.html")
        states = _states(served[1])
        campaign = yaml.safe_load((served[1] / "campaign.yaml").read_text(encoding="utf-8"))
        # The groups, in the order a reviewer acts on them, each listing its units.
        groups = page.locator("#roster section.status-group")
        assert [g.get_attribute("data-status") for g in groups.all()] == ["missing", "draft", "late", "on_time"]
        for state, ids in states.items():
            group = page.locator(f"#nhom-{state}")
            names = group.inner_text()
            for uid in ids:
                name = next(u["name"] for u in campaign["units"] if u["id"] == uid)
                assert name in names, (state, name)
            assert f"{len(ids)} đơn vị" in group.locator("h2").inner_text()
        # The counts in the title area: right under the h1, above the first group, in view.
        chips = page.locator("#status-chips a.badge")
        assert {c.get_attribute("data-status"): c.inner_text().split()[0] for c in chips.all()} == {
            k: str(len(ids)) for k, ids in states.items()
        }
        first_chip = chips.first.bounding_box()
        assert first_chip is not None and first_chip["y"] < 300
        assert first_chip["y"] < page.locator("#nhom-missing").bounding_box()["y"]
        # A reminder for each unit not in, naming the unit, the deadline and the online form.
        missing = states["missing"][0]
        name = next(u["name"] for u in campaign["units"] if u["id"] == missing)
        card = page.locator(f'li.reminder[data-unit="{missing}"]')
        card.locator("summary").click()
        text = card.locator(".reminder__text").inner_text()
        assert name in text and "20/01/2021" in text and "Nộp báo cáo trực tuyến" in text
        assert f"{served[0]}/nop-truc-tuyen.html" in text  # a whole address, to paste into Zalo
        assert page.locator("li.reminder").count() == len(states["missing"]) + len(states["draft"])
        v.page.context.grant_permissions(["clipboard-read", "clipboard-write"])
        card.locator("button.reminder__copy").click()
        page.wait_for_function(
            "id => document.querySelector(`li.reminder[data-unit='${id}'] .reminder__done`).textContent !== ''",
            arg=missing,
        )
        assert page.evaluate("navigator.clipboard.readText()") == text
        # Badges: at least 13 px, in words, dark on light.
        sizes = page.evaluate("""() => Array.from(document.querySelectorAll('article .badge'))
            .map(b => parseFloat(getComputedStyle(b).fontSize))""")
        assert sizes and min(sizes) >= 13, sizes
        contrasts = page.evaluate("""() => {
            const lum = c => { const [r, g, b] = c.match(/\\d+/g).slice(0, 3).map(v => {
                v = v / 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
                return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
            return Array.from(document.querySelectorAll('article .badge')).map(b => {
                const s = getComputedStyle(b); const [hi, lo] = [lum(s.color), lum(s.backgroundColor)]
                    .sort((x, y) => y - x); return (hi + 0.05) / (lo + 0.05); }); }""")
        assert min(contrasts) >= 4.5, contrasts  # WCAG AA for text
        assert page.locator("#nhom-missing .badge--missing").first.inner_text() == "Chưa gửi"
        # A sortable header shows its arrow before it is tapped.
        after = page.evaluate("""() => getComputedStyle(document.querySelector(
            '#nhom-on_time table.sortable th'), '::after').content""")
        assert "↕" in after, after
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0
        v.shot(f"status-{width}")
        assert v.errors == [] and v.outside == []
    finally:
        v.close()


def test_status_csv_has_the_same_groups_and_reminders(served: tuple[str, Path, str]) -> None:
    import csv

    states = _states(served[1])
    rows = list(csv.reader((served[1] / "site" / "tai-ve" / "trang-thai.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0][-2:] == ["Việc cần làm", "Lời nhắn đôn đốc"]
    assert [r[0] for r in rows[1:]] == [uid for ids in states.values() for uid in ids]
    for r in rows[1:]:
        assert (r[-1] != "") == (r[0] in states["missing"] + states["draft"]), r
        if r[-1]:
            assert r[1] in r[-1] and "20/01/2021" in r[-1] and "Nộp báo cáo trực tuyến" in r[-1]


def test_unit_page_shows_six_appendices(visit: Visit, served: tuple[str, Path, str]) -> None:
    uid = yaml.safe_load(SAMPLES[-1].read_text(encoding="utf-8"))["unit"]["id"]
    page = visit.open(f"don-vi/{uid}.html")
    assert page.locator("table.appendix").count() == 6
    for n in range(1, 7):
        assert page.locator(f"#phu-luc-{n}").is_visible()
    # Merged header cells as in the source.
    assert page.locator("table.appendix-2 thead th[colspan='6']").count() == 3
    assert page.locator("table.appendix-3 thead th[rowspan='3']").count() == 2
    assert "Tổng" in page.locator("table.appendix-4 tr.total").inner_text()
    visit.shot(f"unit-{uid}")


def test_hostile_text_is_literal_and_runs_no_script(
    visit: Visit, served: tuple[str, Path, str]
) -> None:
    page = visit.open(f"don-vi/{served[2]}.html")
    text = page.locator("article").inner_text()
    for s in (
        "<script>window.__pwned = 1</script>",
        '<img src="x" onerror="window.__pwned = 2">',
        "{{ 7 * 7 }}",
        "{% if true %}JINJA{% endif %}",
        "# Tiêu đề giả",
        "---",
        "| cột | giả |",
        "</p></div></td></tr></table><h1>thoát</h1>",
        "[liên kết](javascript:alert(1))",
    ):
        assert s in text, s
    page.locator("article").hover()
    page.mouse.move(5, 5)
    page.mouse.move(400, 400)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("article script, article img, article hr").count() == 0
    assert page.locator("article h1").count() == 1
    visit.shot("hostile")
    _ = HOSTILE


# The summary's charts are the district's; each unit against its own target is on the page
# comparing units (issue 19: the summary does not grow with the district).
CHARTS = {"index.html": ["chart-training", "chart-supervision"], "tong-hop/so-sanh.html": ["chart-attraction"]}


def test_charts_are_present_and_print(visit: Visit) -> None:
    for path, ids in CHARTS.items():
        page = visit.open(path)
        for chart in ids:
            svg = page.locator(f"#{chart} svg.chart--wide")  # a laptop's; a phone has its own form
            assert svg.count() == 1 and svg.is_visible()
            assert not page.locator(f"#{chart} svg.chart--narrow").is_visible()
            assert svg.locator("rect").count() > 3
            box = svg.bounding_box()
            assert box is not None and box["width"] > 300
    page = visit.open("index.html")
    page.locator("#chart-training").screenshot(path=str(_out("chart-training.png")))
    # The summary says how many units met their target, and leads to the chart of each unit.
    page.locator('a[href="tong-hop/so-sanh.html"]', has_text="Biểu đồ").first.click()
    page.wait_for_url("**/tong-hop/so-sanh.html", timeout=visit.left_ms())
    page.emulate_media(media="print")
    assert page.locator("#chart-attraction svg.chart--wide").is_visible()
    assert not page.locator(".md-sidebar--primary").is_visible()
    page.locator("#chart-attraction").screenshot(path=str(_out("chart-attraction-print.png")))


def test_comparison_table_sorts_and_links(visit: Visit) -> None:
    page = visit.open("index.html")
    page.locator("ul.part-links a", has_text="So sánh các đơn vị").click()
    page.wait_for_url("**/tong-hop/so-sanh.html", timeout=visit.left_ms())
    table = page.locator("#compare")
    header = table.locator("thead th").nth(1)  # members
    header.click()
    values = [
        int(t.replace(".", "")) for t in table.locator("tbody tr td:nth-child(2)").all_inner_texts()
    ]
    assert values == sorted(values)
    header.click()
    values = [
        int(t.replace(".", "")) for t in table.locator("tbody tr td:nth-child(2)").all_inner_texts()
    ]
    assert values == sorted(values, reverse=True)
    link = table.locator("tbody tr td a").first
    href = link.get_attribute("href")
    link.click()
    page.wait_for_load_state("load")
    assert page.url.endswith(href.split("/")[-1]) and page.locator("table.appendix").count() == 6


def test_other_pages_load_cleanly(visit: Visit) -> None:
    for path in (
        "cach-gui.html",
        "don-vi/index.html",
        "muc/index.html",
        "muc/muc-3-2-3.html",
        "muc/muc-6.html",
        "tong-hop/phu-luc-1.html",
        "tong-hop/phu-luc-4.html",
        "tong-hop/mo-hinh-hay.html",
        "tong-hop/khen-thuong.html",
    ):
        page = visit.open(path)
        assert page.locator("article h1").count() == 1, path
    visit.shot("section-3-2-3", full=False)


def test_the_theme_s_source_maps_are_not_published(visit: Visit, served: tuple[str, Path, str]) -> None:
    """No `*.map` in the site (1.3 MB only a developer's tools read), nothing names one, and the
    theme's script still runs: its `document$` is there and the navigation drawer opens."""
    site = served[1] / "site"
    assert not list(site.rglob("*.map"))
    for path in (site / "assets").rglob("*"):
        if path.suffix in (".js", ".css"):
            assert "sourceMappingURL" not in path.read_text(encoding="utf-8"), path
    for path in ("index.html", f"don-vi/{served[2]}.html"):
        page = visit.open(path)
        page.wait_for_function("typeof window.document$ === 'object'", timeout=visit.left_ms())
    page.set_viewport_size({"width": 390, "height": 844})
    page.locator("label.md-header__button[for=__drawer]").click()
    page.wait_for_function("document.getElementById('__drawer').checked", timeout=visit.left_ms())


def test_search_finds_vietnamese_words_and_shows_hostile_text_literally(
    visit: Visit, served: tuple[str, Path, str]
) -> None:
    """The header's search field opens the search page (Pagefind; tests/test_search.py has more)."""
    page = visit.open("index.html")
    field = page.locator("form.tk-header-search input")
    field.fill("thanh nien")
    field.press("Enter")
    items = page.locator("li.tk-search-result")
    items.first.wait_for(state="visible", timeout=visit.left_ms())
    assert "thanh niên" in items.first.inner_text().lower()
    visit.shot("search", full=False)
    # A unit's hostile text is found, and shown as text in the results: nothing of it runs.
    page = visit.open("tim-kiem.html?q=window.__pwned")
    hit = page.locator(f'li.tk-search-result a[href$="don-vi/{served[2]}.html"]')
    hit.first.wait_for(state="visible", timeout=visit.left_ms())
    assert "<script>" in page.locator("#tk-search-results").inner_text()
    assert page.locator("#tk-search-results script, #tk-search-results img").count() == 0
    assert page.evaluate("window.__pwned") is None


def _out(name: str) -> Path:
    OUT.mkdir(exist_ok=True)
    return OUT / name


PHONE, LAPTOP = 390, 1366


@pytest.mark.parametrize("width", [PHONE, LAPTOP])
@pytest.mark.parametrize(
    "path",
    ["index.html", "index.html#phu-luc-2", "trang-thai.html", "don-vi/xa-xuan-lap.html",
     "don-vi/chi-doan-cong-ty-may-tho-xuan.html#phu-luc-3", "tong-hop/phu-luc-2.html",
     "tong-hop/phu-luc-1.html", "tong-hop/so-sanh.html", "tong-hop/mo-hinh-hay.html"],
)
def test_no_page_scrolls_sideways_on_a_phone_or_a_laptop(browser: Any, served: tuple[str, Path, str],
                                                          path: str, width: int) -> None:
    """Wide tables and charts scroll inside their own box; the page itself never does."""
    v = Visit(browser, served[0])
    try:
        v.page.set_viewport_size({"width": width, "height": 900})
        page = v.open(path)
        page.wait_for_function("document.readyState === 'complete'")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        v.shot(f"{width}-{path.replace('/', '_').replace('#', '-')}", full=False)
        assert overflow <= 0, f"{path} at {width}px scrolls sideways by {overflow}px"
        assert v.errors == [] and v.outside == []
    finally:
        v.close()


@pytest.mark.parametrize("width", [PHONE, LAPTOP])
@pytest.mark.parametrize("path", list(CHARTS))
def test_charts_read_at_their_width_and_keep_their_numbers(
    browser: Any, served: tuple[str, Path, str], width: int, path: str
) -> None:
    """No chart is wider than its box unless its table is shown first; labels stay readable."""
    v = Visit(browser, served[0])
    try:
        v.page.set_viewport_size({"width": width, "height": 900})
        page = v.open(path)
        page.wait_for_function("document.readyState === 'complete'")
        charts = page.evaluate("""() => Array.from(document.querySelectorAll('.chart-block')).map(block => {
            const svg = Array.from(block.querySelectorAll('svg.chart')).find(s => s.getBoundingClientRect().width > 0);
            const box = svg.parentElement.getBoundingClientRect();
            const r = svg.getBoundingClientRect();
            const scale = r.width / svg.viewBox.baseVal.width;
            const details = block.querySelector('details.chart-data');
            return {
                id: block.parentElement.id, narrow: svg.classList.contains('chart--narrow'),
                fits: r.width <= box.width + 1 && r.width <= document.documentElement.clientWidth,
                smallest: Math.min(...Array.from(svg.querySelectorAll('text')).map(t =>
                    parseFloat(getComputedStyle(t).fontSize))) * scale,
                tableFirst: details.open && details.getBoundingClientRect().top < r.top,
                tableRows: details.querySelectorAll('tbody tr').length,
            };
        })""")
        assert [c["id"] for c in charts] == CHARTS[path]
        for c in charts:
            assert c["fits"] or c["tableFirst"], c
            assert c["smallest"] >= 11, c
            assert c["tableRows"] > 0, c  # each chart keeps its table of numbers
            assert c["narrow"] == (width == PHONE), c
        details = page.locator("details.chart-data")
        if "chart-attraction" in CHARTS[path]:
            # The % chart says what its axis spans.
            axis = page.locator("#chart-attraction svg.chart text.axis-note").filter(visible=True)
            assert (axis.text_content() or "").startswith("Trục tỷ lệ")
            page.locator("#chart-attraction").screenshot(path=str(_out(f"{width}-chart-attraction.png")))
        else:
            details.first.locator("summary").click()
            table = details.first.locator("table")
            assert table.is_visible() and "2016" in table.inner_text()
            page.locator("#chart-training").screenshot(path=str(_out(f"{width}-chart-training.png")))
        assert v.errors == [] and v.outside == []
    finally:
        v.close()


def test_a_phone_keeps_wide_tables_scrolling_in_their_box_with_the_unit_in_view(
    browser: Any, served: tuple[str, Path, str]
) -> None:
    v = Visit(browser, served[0])
    try:
        v.page.set_viewport_size({"width": PHONE, "height": 900})
        page = v.open("tong-hop/phu-luc-2.html")
        box = page.locator("table.appendix-2").locator("xpath=..")
        page.wait_for_function("document.querySelectorAll('p.scroll-hint').length > 0")
        first = page.locator("table.appendix-2 tbody th[scope=row]").first
        x_before = first.bounding_box()["x"]
        box.evaluate("b => { b.scrollLeft = 300; }")
        page.wait_for_function("document.querySelector('table.appendix-2').parentElement.scrollLeft > 0")
        assert abs(first.bounding_box()["x"] - x_before) < 1
        v.shot("390-appendix-2-scrolled", full=False)
    finally:
        v.close()


def test_the_summary_starts_with_its_contents_and_the_downloads(visit: Visit) -> None:
    page = visit.open("index.html")
    links = page.locator("nav.page-contents a")
    # Its parts: the downloads, the status, the figures, the charts, the pages of each unit's
    # tables and lists (issue 19: those are pages of their own), the warnings.
    assert links.count() >= 6
    downloads = page.locator("#tai-ve")
    status = page.locator("#tinh-hinh-gui")
    assert downloads.bounding_box()["y"] < status.bounding_box()["y"]
    # By what people open: the workbook and the district's Word draft first, then the units'
    # Word files, then the CSV and JSON.
    links = page.locator("#tai-ve ~ * a[download]")
    hrefs = [a.get_attribute("href") or "" for a in page.locator("ul.downloads-main a, details.downloads-units a, details.downloads-box a").all()]
    assert hrefs[0].endswith("tai-ve/phu-luc.xlsx") and hrefs[1].endswith("tai-ve/du-thao-bao-cao-tong-ket.docx")
    kinds = [h.rsplit(".", 1)[-1] for h in hrefs]
    assert kinds == sorted(kinds, key=["xlsx", "docx", "csv", "json", "zip"].index)
    assert "Bảng phụ lục (Excel)" in page.locator("ul.downloads-main").inner_text()
    assert "Dự thảo báo cáo của huyện (Word)" in page.locator("ul.downloads-main").inner_text()
    assert page.locator("ul.downloads-main a").first.is_visible()
    assert links.count() >= 13
    page.locator("details.downloads-box summary").click()
    assert page.locator("details.downloads-box a[download]").count() >= 10
