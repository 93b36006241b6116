"""Issue 19: each unit's page and texts are kept from the last build (generator/unit_pages.py).

A build renders from the cache exactly what it renders without one, after an edit; it renders
again only the unit that changed (and says so); a damaged entry costs its unit, never the build;
a unit's template can only read what the cache's key covers.
"""

from __future__ import annotations

import sys
from pathlib import Path

import jinja2
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.synth import make_corpus  # noqa: E402
from generator import render, site, unit_pages  # noqa: E402

UNITS = 70  # past render.PARALLEL_THRESHOLD: the units left to render are split over two processes


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return make_corpus(UNITS, tmp_path_factory.mktemp("unit-pages"))


def generate(corpus: tuple[Path, Path], cache: Path | None) -> tuple[dict[str, bytes], site.BuildStats]:
    campaign, submissions = corpus
    return site.generate(campaign, submissions, cache / "documents" if cache else None)


def edit(submissions: Path) -> str:
    """Give the first final report's signer another name; return the unit's id."""
    for f in sorted(submissions.glob("*.yaml")):
        data = yaml.safe_load(f.read_text(encoding="utf-8"))
        if data.get("status") == "final":
            data["signer"]["name"] = "Người Ký Mới"
            f.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
            return str(data["unit"]["id"])
    raise AssertionError("no final report in the corpus")


def test_an_edit_renders_its_unit_again_and_the_same_site(corpus: tuple[Path, Path], tmp_path: Path) -> None:
    cold, stats = generate(corpus, tmp_path)
    pages = sum(1 for p in cold if p.startswith("don-vi/") and p != "don-vi/index.md")
    assert pages > render.PARALLEL_THRESHOLD
    assert stats.reused["pages"] == (0, pages)
    uid = edit(corpus[1])
    warm, stats = generate(corpus, tmp_path)
    assert stats.reused["pages"] == (pages - 1, pages)  # all but the edited unit
    fresh, _ = generate(corpus, None)
    assert sorted(warm) == sorted(fresh)
    assert [p for p in fresh if warm[p] != fresh[p]] == []
    assert "Người Ký Mới" in warm[f"don-vi/{uid}.md"].decode("utf-8")
    assert warm[f"don-vi/{uid}.md"] != cold[f"don-vi/{uid}.md"]
    # The build says what it took from the cache.
    assert "trang đơn vị" in site._reused(stats)


def test_a_damaged_entry_costs_only_its_unit(corpus: tuple[Path, Path], tmp_path: Path) -> None:
    first, stats = generate(corpus, tmp_path)
    total = stats.reused["pages"][1]
    entries = sorted((tmp_path / unit_pages.FOLDER).iterdir())
    assert len(entries) == total
    entries[0].write_bytes(entries[0].read_bytes()[:-10])  # cut short
    entries[1].write_bytes(b"")
    again, stats = generate(corpus, tmp_path)
    assert stats.reused["pages"] == (total - 2, total)
    assert again == first


@pytest.fixture(scope="module")
def view(corpus: tuple[Path, Path]) -> render.SiteView:
    """The site's view of the corpus, as the build hands it to render_pages."""
    captured: list[render.SiteView] = []
    original = render.render_pages

    def capture(view: render.SiteView, *args: object, **kwargs: object) -> dict[str, str]:
        captured.append(view)
        return {}

    render.render_pages = capture  # type: ignore[assignment]
    try:
        generate(corpus, None)
    finally:
        render.render_pages = original  # type: ignore[assignment]
    return captured[0]


def test_two_processes_render_what_one_does(view: render.SiteView) -> None:
    """Past PARALLEL_THRESHOLD units, the units and then the other pages are rendered half here,
    half in a forked process: the pages are the same as one process renders."""
    assert render.render_pages(view, jobs=2) == render.render_pages(view, jobs=1)


def test_a_units_page_reads_only_what_its_key_covers(view: render.SiteView) -> None:
    """A template that read, say, the district's totals would go stale in the cache: it fails."""
    unit_site = render.UnitSite(view)
    assert unit_site.labels is view.labels
    with pytest.raises(AttributeError, match="site.aggregates"):
        _ = unit_site.aggregates
    env = render.environment()
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ site.status.total }}").render(site=unit_site)
