"""Issue 11: search in Chromium, with and without diacritics, on the samples and on 300 units.

The site is built as `make site` builds it (Pagefind's index included) and served on localhost;
each query goes through the search page as a reviewer uses it (tim-kiem.html?q=…, or the field
in the header). Every test records console errors and refuses any request off the host (the
Visit of test_browser). On the site of 300 units the server counts the bytes of the index each
search fetches: they must stay a small part of the index, which grows with the site.
"""

from __future__ import annotations

import functools
import http.server
import sys
import threading
import unicodedata
import urllib.parse
from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml
from test_browser import Visit, browser  # noqa: F401  (a fixture)
from test_site_build import ROOT, SAMPLES, article, build, copy_samples

sys.path.insert(0, str(ROOT))
from benchmarks.synth import make_corpus  # noqa: E402

MANY = 300


def fold(text: str) -> str:
    """Lower case, without marks, đ as d: how a reviewer types on a phone."""
    text = unicodedata.normalize("NFD", text.lower()).replace("đ", "d")
    return "".join(c for c in text if not unicodedata.combining(c))


class _Counting(http.server.SimpleHTTPRequestHandler):
    """Serves site/ and adds up the bytes sent for each path under /pagefind/."""

    sent: dict[str, int]

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def copyfile(self, source: Any, outputfile: Any) -> None:  # type: ignore[override]
        data = source.read()
        outputfile.write(data)
        path = urllib.parse.urlsplit(self.path).path
        if path.startswith("/pagefind/"):
            self.sent[path] = self.sent.get(path, 0) + len(data)


def _serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, dict[str, int]]:
    sent: dict[str, int] = {}
    handler = type("Handler", (_Counting,), {"sent": sent})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(site))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, sent


@pytest.fixture(scope="module")
def samples_site(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[str, dict[str, int], Path]]:
    if not SAMPLES:
        pytest.skip("no sample submissions yet")
    tmp = tmp_path_factory.mktemp("search-samples")
    copy_samples(tmp)
    r = build(tmp)
    assert r.returncode == 0, r.stdout + r.stderr
    server, sent = _serve(tmp / "site")
    yield f"http://127.0.0.1:{server.server_address[1]}", sent, tmp / "site"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def many_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, int], Path]]:
    """300 synthetic units (benchmarks/synth.py) and Xuân Tín, in the roster without a report."""
    tmp = tmp_path_factory.mktemp("search-many")
    campaign_path, _ = make_corpus(MANY, tmp)
    campaign = yaml.safe_load(campaign_path.read_text(encoding="utf-8"))
    shipped = yaml.safe_load((ROOT / "campaign.yaml").read_text(encoding="utf-8"))
    campaign["units"].append(next(u for u in shipped["units"] if u["id"] == "xa-xuan-tin"))
    campaign_path.write_text(yaml.safe_dump(campaign, allow_unicode=True), encoding="utf-8")
    r = build(tmp)
    assert r.returncode == 0, r.stdout + r.stderr
    server, sent = _serve(tmp / "site")
    yield f"http://127.0.0.1:{server.server_address[1]}", sent, tmp / "site"
    server.shutdown()
    server.server_close()


@pytest.fixture
def on_samples(browser: Any, samples_site: tuple[str, dict[str, int], Path]) -> Iterator[Visit]:  # noqa: F811
    v = Visit(browser, samples_site[0])
    yield v
    v.close()
    assert v.errors == [], v.errors
    assert v.outside == [], v.outside


@pytest.fixture
def on_many(browser: Any, many_site: tuple[str, dict[str, int], Path]) -> Iterator[Visit]:  # noqa: F811
    v = Visit(browser, many_site[0])
    yield v
    v.close()
    assert v.errors == [], v.errors
    assert v.outside == [], v.outside


def results(visit: Visit, query: str) -> list[dict[str, Any]]:
    """Search from the search page; the results shown: url (from the site root), title, marks."""
    page = visit.open("tim-kiem.html?q=" + urllib.parse.quote(query))
    page.wait_for_function(
        "['done', 'error'].includes(document.getElementById('tk-search-status').dataset.state)",
        timeout=visit.left_ms(),
    )
    status = page.locator("#tk-search-status")
    assert status.get_attribute("data-state") == "done", status.inner_text()
    out = []
    for item in page.locator("li.tk-search-result").all():
        link = item.locator("a.tk-search-result__title")
        href = link.get_attribute("href") or ""
        out.append({
            "url": urllib.parse.urlsplit(href).path.lstrip("/"),
            "title": link.inner_text(),
            "marks": [fold(m).strip(" ,.;:!?()“”\"'") for m in
                      item.locator(".tk-search-result__excerpt mark").all_inner_texts()],
            "excerpt": item.locator(".tk-search-result__excerpt").inner_text(),
            "exact": item.get_attribute("data-exact") == "1",
        })
    return out


def urls(found: list[dict[str, Any]]) -> list[str]:
    return [r["url"] for r in found]


@pytest.mark.parametrize("query", ["giam sat", "giám sát", "GIAM SAT"])
def test_with_or_without_marks_giam_sat_finds_giam_sat(on_samples: Visit, query: str) -> None:
    found = results(on_samples, query)
    assert found
    for r in found:  # every excerpt shows the words found, with their marks as written
        assert "giam" in r["marks"] and "sat" in r["marks"], r
    assert any("giám sát" in r["excerpt"].lower() for r in found)


def test_nguyen_finds_nguyen_with_marks_and_d_finds_dj(on_samples: Visit) -> None:
    found = results(on_samples, "nguyen")
    assert found and all("nguyen" in r["marks"] for r in found)
    assert any("Nguyễn" in r["excerpt"] or "Nguyên" in r["excerpt"] for r in found)
    found = results(on_samples, "doan khoi co quan")
    assert "don-vi/doan-khoi-co-quan.html" in urls(found)[:3]
    assert all("doan" in r["marks"] for r in found)
    assert all("Đoàn Khối cơ quan" in r["excerpt"] for r in found), found


def test_a_query_with_marks_ranks_exact_words_first(
    on_samples: Visit, samples_site: tuple[str, dict[str, int], Path]
) -> None:
    # "giảm" (to reduce) and "giám" (as in giám sát) differ only by a mark: typed as "giảm",
    # the pages with "giảm" come first, then those with only another spelling.
    site = samples_site[2]
    found = results(on_samples, "giảm")
    has = [r["exact"] for r in found]
    assert True in has and False in has, has
    assert has == sorted(has, reverse=True), has
    for r in found:  # a unit's page is indexed whole: what the page says agrees with its file
        if r["url"].startswith("don-vi/") and r["url"] != "don-vi/index.html":
            assert r["exact"] == ("giảm" in article(site / r["url"])[0].lower()), r
    # Without marks every spelling is found.
    assert len(results(on_samples, "giam")) >= len(found)


def test_quan_triet_does_not_match_co_quan_alone(on_samples: Visit) -> None:
    for query in ("quan triet", "quán triệt"):
        found = results(on_samples, query)
        assert found
        for r in found:
            assert "quán triệt" in r["excerpt"].lower(), r
    # "cơ quan" alone is found by its own query, not by "quan triet".
    assert "don-vi/doan-khoi-co-quan.html" in urls(results(on_samples, "co quan"))


@pytest.mark.parametrize("query", ["Xuân Tín", "xuan tin"])
def test_a_unit_that_has_not_reported_returns_no_other_unit(on_samples: Visit, query: str) -> None:
    found = urls(results(on_samples, query))
    assert "trang-thai.html" in found
    assert not [u for u in found if u.startswith("don-vi/") and u != "don-vi/index.html"], found


@pytest.mark.parametrize("query", ["05-KH/ĐTN", "05-kh/dtn"])
def test_a_document_number_finds_appendix_1_whole(on_samples: Visit, query: str) -> None:
    data = yaml.safe_load((ROOT / "submissions" / "xa-xuan-lap.yaml").read_text(encoding="utf-8"))
    assert any(row["number"] == "05-KH/ĐTN" for row in data["appendix_1"])
    found = results(on_samples, query)
    assert urls(found) == ["don-vi/xa-xuan-lap.html"]
    for r in found:
        assert "05-KH/ĐTN" in r["excerpt"], r


def test_titles_good_models_commendations_ids_and_sections_are_found(on_samples: Visit) -> None:
    data = yaml.safe_load((ROOT / "submissions" / "xa-xuan-lap.yaml").read_text(encoding="utf-8"))
    checks = {
        fold(data["good_models"][0]["name"]): "don-vi/xa-xuan-lap.html",
        data["commendations"][0]["name"]: "don-vi/xa-xuan-lap.html",
        fold(data["appendix_1"][0]["summary"].split(".")[0])[:60].rsplit(" ", 1)[0]:
            "don-vi/xa-xuan-lap.html",
        "xa-xuan-lap": "don-vi/xa-xuan-lap.html",
        "Đoàn xã Xuân Lập": "don-vi/xa-xuan-lap.html",
        "nang cao nhan thuc cua can bo": "muc/muc-3-2-1.html",
    }
    for query, url in checks.items():
        assert url in urls(results(on_samples, query)), query
    # The pages compiling every unit are found by their headings (only: each unit's text is
    # found on the unit's page), the name of a unit in them included.
    assert urls(results(on_samples, "tong hop bao cao tong ket"))[0] == "index.html"
    assert "muc/muc-6.html" in urls(results(on_samples, "kien nghi de xuat"))
    assert "muc/muc-6.html" in urls(results(on_samples, "Đoàn xã Xuân Lập"))


def test_the_header_field_opens_the_search(on_samples: Visit) -> None:
    page = on_samples.open("don-vi/xa-xuan-lap.html")
    field = page.locator("form.tk-header-search input")
    field.fill("giam sat")
    field.press("Enter")
    page.wait_for_url("**/tim-kiem.html?q=giam+sat", timeout=on_samples.left_ms())
    page.locator("li.tk-search-result").first.wait_for(timeout=on_samples.left_ms())
    on_samples.shot("search-samples", full=False)


def test_many_units_find_text_names_and_ids_and_fetch_a_small_part(
    on_many: Visit, many_site: tuple[str, dict[str, int], Path]
) -> None:
    _, sent, site = many_site
    found = results(on_many, "giam sat")
    assert len(found) == 10  # the first batch of hundreds of pages
    assert all("giam" in r["marks"] for r in found)
    assert "don-vi/don-vi-00123.html" == urls(results(on_many, "don-vi-00123"))[0]
    assert "don-vi/don-vi-00123.html" in urls(results(on_many, "Đơn vị 123"))
    for query in ("Xuân Tín", "xuan tin"):
        found_urls = urls(results(on_many, query))
        assert "trang-thai.html" in found_urls
        assert not [u for u in found_urls if u.startswith("don-vi/don-vi-")], found_urls
    assert all("quán triệt" in r["excerpt"].lower() for r in results(on_many, "quan triet"))
    number = results(on_many, "05-kh/dtn")
    assert number and all("05-KH/ĐTN" in r["excerpt"] for r in number)
    # One query's index bytes, against the whole index of the site: a few chunks of the index
    # and the fragments of the ten results shown, none larger than a unit's page.
    sent.clear()
    results(on_many, "nguyen")
    fetched = sum(v for k, v in sent.items() if k.endswith((".pf_index", ".pf_fragment", ".pf_meta")))
    bundle = site / "pagefind"
    whole = sum(p.stat().st_size for p in bundle.rglob("*.pf_*"))
    assert 0 < fetched < whole / 20, (fetched, whole)
    fragments = [v for k, v in sent.items() if k.endswith(".pf_fragment")]
    assert len(fragments) <= 10 and max(fragments) < 40_000, sent
    on_many.shot("search-many", full=False)


def test_pagefind_is_installed_with_the_site() -> None:
    """`make site` installs Pagefind (pyproject.toml): its binary runs offline."""
    import subprocess

    r = subprocess.run([sys.executable, "-m", "pagefind", "--version"], capture_output=True,
                       text=True, check=False)
    assert r.returncode == 0 and "1.5.2" in r.stdout, r.stdout + r.stderr


@pytest.mark.parametrize("query", ["-", "“ ”", "giam sat -"])
def test_punctuation_alone_is_no_word(on_samples: Visit, query: str) -> None:
    found = results(on_samples, query)
    assert (found == []) == (query != "giam sat -")
