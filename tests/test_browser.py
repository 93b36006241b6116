"""The built site in a real headless Chromium, served on localhost, as a reviewer sees it.

Uses Debian's `chromium` (`make test` installs it) driven by the `playwright` package; its own
browser download is not used. Screenshots go to test-output/ (not in git).

On a busy 2-core machine a page, or a search (Pagefind's WebAssembly), can take many
seconds: every test waits on conditions, never a fixed delay, within its own budget (BUDGET_S,
counted from the test's start), so one slow test neither fails on a short default timeout nor
eats the time of the next.
"""

from __future__ import annotations

import functools
import os
import http.server
import shutil
import threading
import time
from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml

from test_site_build import HOSTILE, ROOT, SAMPLES, build, hostile_fixture

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


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, str]]:
    """Build the samples (one of them carrying hostile text) and serve site/ on 127.0.0.1."""
    if not SAMPLES:
        pytest.skip("no sample submissions yet")
    tmp, hostile_uid = hostile_fixture(tmp_path_factory.mktemp("browser"))
    r = build(tmp)
    assert r.returncode == 0, r.stdout + r.stderr
    handler = functools.partial(_Quiet, directory=str(tmp / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", tmp, hostile_uid
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        try:
            yield b
        finally:
            b.close()


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


def test_status_page_lists_every_roster_unit(visit: Visit, served: tuple[str, Path, str]) -> None:
    page = visit.open("trang-thai.html")
    campaign = yaml.safe_load((served[1] / "campaign.yaml").read_text(encoding="utf-8"))
    assert page.locator("#roster tbody tr").count() == len(campaign["units"])
    assert page.locator("#roster .badge--missing").count() == _expected_counts(served[1])["missing"]
    visit.shot("status")


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


def test_charts_are_present_and_print(visit: Visit) -> None:
    page = visit.open("index.html")
    for chart in ("chart-training", "chart-supervision", "chart-attraction"):
        svg = page.locator(f"#{chart} svg.chart")
        assert svg.count() == 1 and svg.is_visible()
        assert svg.locator("rect").count() > 3
        box = svg.bounding_box()
        assert box is not None and box["width"] > 300
    page.locator("#chart-training").screenshot(path=str(_out("chart-training.png")))
    page.emulate_media(media="print")
    assert page.locator("#chart-attraction svg.chart").is_visible()
    assert not page.locator(".md-sidebar--primary").is_visible()
    page.locator("#chart-attraction").screenshot(path=str(_out("chart-attraction-print.png")))


def test_comparison_table_sorts_and_links(visit: Visit) -> None:
    page = visit.open("index.html")
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
    ):
        page = visit.open(path)
        assert page.locator("article h1").count() == 1, path
    visit.shot("section-3-2-3", full=False)


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
     "don-vi/chi-doan-cong-ty-may-tho-xuan.html#phu-luc-3"],
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


def test_a_phone_sees_charts_at_a_readable_size_with_their_numbers_and_a_scroll_hint(
    browser: Any, served: tuple[str, Path, str]
) -> None:
    v = Visit(browser, served[0])
    try:
        v.page.set_viewport_size({"width": PHONE, "height": 900})
        page = v.open("index.html#bieu-do")
        # The smallest label of each chart, as drawn on screen (SVG font size × scale).
        smallest = page.evaluate("""() => Array.from(document.querySelectorAll('svg.chart')).map(svg => {
            const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
            return Math.min(...Array.from(svg.querySelectorAll('text')).map(t =>
                parseFloat(getComputedStyle(t).fontSize)) ) * scale; })""")
        assert len(smallest) == 3 and min(smallest) >= 11, smallest
        # A hint says the chart box scrolls; each chart's numbers are a table to open and copy.
        page.wait_for_selector(".chart-scroll + *, .scroll-hint")
        assert page.locator("p.scroll-hint").count() >= 3
        details = page.locator("details.chart-data")
        assert details.count() == 3
        details.first.locator("summary").click()
        table = details.first.locator("table")
        assert table.is_visible() and "2016" in table.inner_text()
        # Wide tables too: the hint, and the unit column stays in view while the table scrolls.
        page.goto(f"{served[0]}/index.html#phu-luc-2", wait_until="load")
        box = page.locator("table.appendix-2").locator("xpath=..")
        page.wait_for_function("document.querySelectorAll('p.scroll-hint').length > 3")
        first = page.locator("table.appendix-2 tbody th[scope=row]").first
        x_before = first.bounding_box()["x"]
        box.evaluate("b => { b.scrollLeft = 300; }")
        page.wait_for_function("document.querySelector('table.appendix-2').parentElement.scrollLeft > 0")
        assert abs(first.bounding_box()["x"] - x_before) < 1
        v.shot("390-summary-appendix-2-scrolled", full=False)
    finally:
        v.close()


def test_the_summary_starts_with_its_contents_and_the_downloads(visit: Visit) -> None:
    page = visit.open("index.html")
    links = page.locator("nav.page-contents a")
    assert links.count() >= 10
    downloads = page.locator("#tai-ve")
    status = page.locator("#tinh-hinh-gui")
    assert downloads.bounding_box()["y"] < status.bounding_box()["y"]
    page.locator("details.downloads-box summary").click()
    assert page.locator("details.downloads-box a[download]").count() >= 10
