"""Search at scale (issue 11): the bytes a search fetches, at 5 and at 1,000 units, and the time
Pagefind adds to the build.

    nice .venv/bin/python benchmarks/bench_search.py              # 5 and 1,000 units
    nice .venv/bin/python benchmarks/bench_search.py --sizes 5,300

For each size: a synthetic corpus (benchmarks/synth.py) built as `make site` builds it
(`python -m generator build`, timed whole), then Pagefind run again on the built site alone
(the build time it adds), the size of its index and of the site. The site is then served on
localhost, and Debian's Chromium (playwright) runs each query on the search page in a fresh
browser context (nothing cached); the server adds up the bytes it sends under /pagefind/:
the code (pagefind.js, its worker and WebAssembly: the same at any size) and the index (the
chunks of the words typed, the page list, the fragments of the ten results shown).
Target: the index bytes of a query grow with the query, not with the site: at 1,000 units at
most 3 × those at 5 units, while the whole index grows about 100-fold.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.synth import make_corpus
from generator import search

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ("giam sat", "nguyen", "Xuân Tín", "05-KH/ĐTN", "quan triet", "don-vi-00003")
INDEX = (".pf_index", ".pf_meta", ".pf_fragment")


class Counting(http.server.SimpleHTTPRequestHandler):
    sent: dict[str, int]

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def copyfile(self, source: Any, outputfile: Any) -> None:  # type: ignore[override]
        data = source.read()
        outputfile.write(data)
        path = urllib.parse.urlsplit(self.path).path
        if path.startswith("/pagefind/"):
            self.sent[path] = self.sent.get(path, 0) + len(data)


def size(root: Path, suffixes: tuple[str, ...] = ()) -> int:
    return sum(p.stat().st_size for p in root.rglob("*")
               if p.is_file() and (not suffixes or p.name.endswith(suffixes)))


def build(work: Path) -> float:
    cmd = [sys.executable, "-m", "generator", "build"]
    for opt, name in (("--campaign", "campaign.yaml"), ("--submissions", "submissions"),
                      ("--docs", "docs"), ("--site", "site"), ("--config-dir", "build")):
        cmd += [opt, str(work / name)]
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
                   env=dict(os.environ, SOURCE_DATE_EPOCH="1767225600"))
    return time.perf_counter() - start


def measure(site: Path) -> dict[str, tuple[int, int, int]]:
    """Per query: (index bytes, code bytes, results)."""
    from playwright.sync_api import sync_playwright

    sent: dict[str, int] = {}
    handler = type("Handler", (Counting,), {"sent": sent})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    out = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                        args=["--no-sandbox", "--disable-gpu"])
            for q in QUERIES:
                context = browser.new_context()
                page = context.new_page()
                sent.clear()
                page.goto(f"{base}/tim-kiem.html?q={urllib.parse.quote(q)}")
                page.wait_for_function(
                    "document.getElementById('tk-search-status').dataset.state == 'done'",
                    timeout=300_000)
                n = page.locator("li.tk-search-result").count()
                index = sum(v for k, v in sent.items() if k.endswith(INDEX))
                code = sum(v for k, v in sent.items() if not k.endswith(INDEX))
                out[q] = (index, code, n)
                context.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="5,1000")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    per_size: dict[int, dict[str, tuple[int, int, int]]] = {}
    whole: dict[int, int] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            work = Path(tmp) / str(n)
            make_corpus(n, work)
            seconds = build(work)
            site = work / "site"
            start = time.perf_counter()
            search.index_site(site)
            pagefind = time.perf_counter() - start
            whole[n] = size(site / "pagefind", INDEX)
            print(f"{n} units: build {seconds:.1f} s, of which Pagefind {pagefind:.1f} s"
                  f" ({pagefind / seconds:.1%}); site {size(site) / 1e6:.1f} MB, Pagefind's folder"
                  f" {size(site / 'pagefind') / 1e6:.2f} MB (index {whole[n] / 1e6:.2f} MB)",
                  flush=True)
            per_size[n] = measure(site)
            for q, (index, code, results) in per_size[n].items():
                print(f"  {q!r:16} index {index / 1e3:8.1f} kB  code {code / 1e3:6.1f} kB"
                      f"  results {results}", flush=True)
    ok = True
    if len(sizes) > 1:
        small, large = sizes[0], sizes[-1]
        print(f"whole index {large} / {small} units = {whole[large] / whole[small]:.1f}")
        for q in QUERIES:
            a, b = per_size[small][q][0], per_size[large][q][0]
            ratio = b / a if a else float("inf")
            print(f"  {q!r:16} index bytes of the query {large} / {small} units = {ratio:.2f}")
            ok = ok and ratio <= 3
    print("OK" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
