"""The search index in bundles (issue 19): what one edit costs to index, the peak memory of the
indexing, and the bytes a search fetches, against one Pagefind index of the whole site.

    nice .venv/bin/python benchmarks/bench_search_index.py            # 1,000 units
    nice .venv/bin/python benchmarks/bench_search_index.py --units 5000 --no-browser

On a synthetic corpus (benchmarks/synth.py), the site is built as `make site` builds it
(`python -m generator build`), then again after one figure of one report changed
(bench_site.edit_one_figure) into a second folder. Then, each in a process of its own (its peak
memory is the largest of it and its Pagefind runs, ru_maxrss):

- before: one Pagefind run over the whole site, as generator/search.py did before issue 19;
- after, everything: `search.index_site` with no manifest (every bundle, one after another);
- after, one edit: the first site with its index, the pages the edit changed copied in from the
  second (what MkDocs --dirty or `make serve` leaves), indexed by `search.index_site`;
- after, nothing changed: the same again.

Then, unless --no-browser, the first site is served on localhost with each index (before: the one
index; after: the bundles; after the edit: the bundles and the bundle of changes) and Debian's
Chromium runs a one-word and a three-word query on the search page in a fresh browser context;
the server adds up the bytes of the index it sends (bench_search.measure).
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import bench_search
from benchmarks.bench_site import edit_one_figure
from benchmarks.synth import make_corpus
from generator import search

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ("nguyen", "quan triet nghi")


def build(work: Path, site: str) -> float:
    cmd = [sys.executable, "-m", "generator", "build"]
    for opt, name in (("--campaign", "campaign.yaml"), ("--submissions", "submissions"),
                      ("--docs", "docs"), ("--site", site), ("--config-dir", "build")):
        cmd += [opt, str(work / name)]
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
                   env=dict(os.environ, SOURCE_DATE_EPOCH="1767225600"))
    return time.perf_counter() - start


def timed(code: str) -> tuple[float, int, str]:
    """Run Python `code` in a process of its own: (seconds, peak RSS in bytes, what it printed)."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)))
    said = proc.stdout.read() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {code}")
    return time.perf_counter() - start, usage.ru_maxrss * 1024, said.strip()


def one_index(site: Path) -> tuple[float, int, str]:
    """Before issue 19: one Pagefind run over the whole site, into site/pagefind/."""
    shutil.rmtree(site / search.BUNDLE, ignore_errors=True)
    sels = [a for sel in search.EXCLUDE_SELECTORS for a in ("--exclude-selectors", sel)]
    return timed(
        "import subprocess, sys; subprocess.run([sys.executable, '-m', 'pagefind', '--site', "
        f"{str(site)!r}, '--keep-index-url', *{sels!r}, '--silent'], check=True)"
    )


def index(site: Path) -> tuple[float, int, str]:
    return timed(f"from pathlib import Path; from generator import search; "
                 f"print(search.index_site(Path({str(site)!r})))")


def apply_edit(site: Path, edited: Path) -> list[str]:
    """Make `site` the edited site's pages, as a dirty build leaves it: copy the HTML that
    differs, delete what is gone. Returns the pages copied."""
    changed = []
    for page in sorted(edited.rglob("*.html")):
        rel = page.relative_to(edited)
        if rel.parts[0] == search.BUNDLE:
            continue
        if not (site / rel).exists() or not filecmp.cmp(page, site / rel, shallow=False):
            (site / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(page, site / rel)
            changed.append(rel.as_posix())
    for page in site.rglob("*.html"):
        rel = page.relative_to(site)
        if rel.parts[0] != search.BUNDLE and not (edited / rel).exists():
            page.unlink()
    return changed


def index_bytes(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file() and p.name.endswith(bench_search.INDEX))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--units", type=int, default=1000)
    ap.add_argument("--no-browser", action="store_true")
    ap.add_argument("--no-edit", action="store_true", help="no second build, no edit measured")
    ap.add_argument("--work", help="a folder to keep the corpus and sites in (default: a temporary one)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(args.work or tmp)
        n = args.units
        print(f"{n} units, load average {os.getloadavg()[0]:.1f}", flush=True)
        if not (work / "site").is_dir():
            make_corpus(n, work)
            print(f"  build: {build(work, 'site'):.1f} s", flush=True)
        if not args.no_edit and not (work / "site-edit").is_dir():
            edited = edit_one_figure(work / "submissions")
            print(f"  edited {edited.name}; build: {build(work, 'site-edit'):.1f} s", flush=True)
        site = work / "site"
        pages = len(search.indexed_pages(site))
        saved = {}

        b_s, b_rss, _ = one_index(site)
        saved["before"] = work / "index-before"
        shutil.rmtree(saved["before"], ignore_errors=True)
        shutil.copytree(site / search.BUNDLE, saved["before"])
        (saved["before"] / search.BUNDLES).write_text('{"merge": [], "hidden": []}', encoding="utf-8")
        print(f"  before, one index of {pages} pages: {b_s:6.2f} s, peak {b_rss / 2**20:5.0f} MiB,"
              f" index {index_bytes(site / search.BUNDLE) / 1e6:.2f} MB", flush=True)

        shutil.rmtree(site / search.BUNDLE)
        a_s, a_rss, said = index(site)
        saved["after"] = work / "index-after"
        shutil.rmtree(saved["after"], ignore_errors=True)
        shutil.copytree(site / search.BUNDLE, saved["after"])
        print(f"  after, everything:        {a_s:6.2f} s, peak {a_rss / 2**20:5.0f} MiB,"
              f" index {index_bytes(site / search.BUNDLE) / 1e6:.2f} MB  ({said})", flush=True)

        if not args.no_edit:
            changed = apply_edit(site, work / "site-edit")
            e_s, e_rss, said = index(site)
            saved["edit"] = work / "index-edit"
            shutil.rmtree(saved["edit"], ignore_errors=True)
            shutil.copytree(site / search.BUNDLE, saved["edit"])
            print(f"  after, one edit ({len(changed)} pages changed: {', '.join(changed)}):", flush=True)
            print(f"                            {e_s:6.2f} s, peak {e_rss / 2**20:5.0f} MiB  ({said})", flush=True)
            u_s, u_rss, said = index(site)
            print(f"  after, nothing changed:   {u_s:6.2f} s, peak {u_rss / 2**20:5.0f} MiB  ({said})", flush=True)
            print(f"  one edit after / before = {e_s / b_s:.3f} wall, {e_rss / b_rss:.3f} peak memory", flush=True)
        print(f"  everything before / after = {b_s / a_s:.2f} wall, {b_rss / a_rss:.2f} peak memory", flush=True)
        if not args.no_browser:
            setattr(bench_search, "QUERIES", QUERIES)  # noqa: B010  (its queries: ours)
            measured = {}
            for label in saved:
                shutil.rmtree(site / search.BUNDLE)
                shutil.copytree(saved[label], site / search.BUNDLE)
                measured[label] = bench_search.measure(site)
            for q in QUERIES:
                cells = "  ".join(f"{label} {measured[label][q][0] / 1e3:6.1f} kB ({measured[label][q][2]} shown)"
                                  for label in measured)
                print(f"  {q!r:18} index bytes: {cells}; after / before ="
                      f" {measured['after'][q][0] / measured['before'][q][0]:.2f}"
                      + (f", after the edit / before = {measured['edit'][q][0] / measured['before'][q][0]:.2f}"
                         if "edit" in measured else ""), flush=True)
            for q in QUERIES:
                print(f"  {q!r:18} code bytes (pagefind.js, worker, WebAssembly): "
                      + "  ".join(f"{label} {measured[label][q][1] / 1e3:.1f} kB" for label in measured))
        print(f"  load average now {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
