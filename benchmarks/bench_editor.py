"""The page "Nộp báo cáo trực tuyến" as a secretary's cheap phone has it, before and after issue 15.

Builds two sites from the same submissions and campaign: "before" from the tree of commit
`--before` (default: the last commit before issue 15's work) and "after" from this tree, serves
each with gzip and GitHub Pages' `Cache-Control: max-age=600`, and drives headless Chromium
through CDP as a 390×844 touch phone with the CPU slowed 4× and a slow 3G network (400 kbit/s
down, 400 ms latency). For each site it prints, in one run:

- requests and bytes (as transferred) of the editor page on a first visit;
- time until the unit picker is usable on a first visit, and on a second visit (from cache);
- per-key time (median, p95) typing into a text field of a filled report, and the same on a
  bare page (one textarea) under the same throttle;
- the height of each step in screens (the "before" page is one step).

Usage: nice .venv/bin/python benchmarks/bench_editor.py [--before REV] [--keys 40]
"""

from __future__ import annotations

import argparse
import gzip
import http.server
import io
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BEFORE = "2b7fc68"  # main before issue 15 (the unbundled, one-page editor)
PHONE = {"width": 390, "height": 844}
CPU_SLOWDOWN = 4
NETWORK = {"offline": False, "latency": 400, "downloadThroughput": 400 * 1000 / 8,
           "uploadThroughput": 400 * 1000 / 8}
TEXTUAL = (".html", ".css", ".js", ".json", ".yaml", ".svg", ".txt", ".xml", ".mjs")
SAMPLE = ROOT / "submissions" / "xa-xuan-lap.yaml"


def build(tree: Path, out: Path) -> Path:
    """`python -m generator build` of `tree`: its generator, campaign and (sample) submissions."""
    env = {**os.environ, "PYTHONPATH": str(tree), "PYTHONIOENCODING": "utf-8"}
    r = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--force", "--campaign", str(tree / "campaign.yaml"),
         "--submissions", str(tree / "submissions"), "--docs", str(out / "docs"), "--site", str(out / "site")],
        cwd=tree, env=env, capture_output=True, text=True, check=False)
    if r.returncode != 0:
        raise SystemExit(f"build of {tree} failed:\n{r.stdout}\n{r.stderr}")
    return out / "site"


def tree_of(rev: str, into: Path) -> Path:
    """The files of commit `rev` (git archive), without history."""
    data = subprocess.run(["git", "archive", rev], cwd=ROOT, capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(into, filter="data")
    return into


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """As GitHub Pages serves: text gzipped when the browser accepts it, cached for 10 minutes."""

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file():
            self.send_error(404)
            return None
        body = path.read_bytes()
        encoded = "gzip" in self.headers.get("Accept-Encoding", "") and path.suffix in TEXTUAL
        if encoded:
            body = gzip.compress(body, 6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        if encoded:
            self.send_header("Content-Encoding", "gzip")
        self.end_headers()
        return io.BytesIO(body)


def serve(site: Path) -> tuple[str, http.server.ThreadingHTTPServer]:
    def handler(*a: Any, **k: Any) -> GzipHandler:
        return GzipHandler(*a, directory=str(site), **k)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/", server


def throttled(browser: Any) -> tuple[Any, Any, Any, dict[str, Any]]:
    """A phone context and page, CPU and network throttled through CDP, counting what it loads."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    # No request routing here: Playwright turns the HTTP cache off when routing is on. A request
    # off localhost is counted instead (there must be none).
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", NETWORK)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    count: dict[str, Any] = {"requests": 0, "bytes": 0, "urls": [], "outside": []}

    def sent(e: dict[str, Any]) -> None:
        url = e["request"]["url"]
        if url.startswith("data:"):
            return  # an image inlined in a style sheet: no request
        if not url.startswith("http://127.0.0.1"):
            count["outside"].append(url)
        count["requests"] += 1
        count["urls"].append(url)

    cdp.on("Network.requestWillBeSent", sent)
    cdp.on("Network.loadingFinished", lambda e: count.__setitem__("bytes", count["bytes"] + e["encodedDataLength"]))
    return context, page, cdp, count


def usable(page: Any, url: str) -> float:
    """Seconds from navigation until the unit picker can be used."""
    start = time.perf_counter()
    page.goto(url, wait_until="commit", timeout=300_000)
    page.locator('select[name="unit.id"]').wait_for(state="visible", timeout=300_000)
    page.wait_for_function("document.querySelector('select[name=\"unit.id\"]').options.length > 1", timeout=300_000)
    return time.perf_counter() - start


KEY_PROBE = """(sel) => {
  window.__keys = [];
  const el = document.querySelector(sel);
  let t0 = 0;
  el.addEventListener('keydown', () => { t0 = performance.now(); }, true);
  // A key's time: from its keydown until the frame after its input was handled is painted.
  el.addEventListener('input', () => { const t = t0; requestAnimationFrame(() => setTimeout(() => window.__keys.push(performance.now() - t), 0)); });
}"""


def key_times(page: Any, selector: str, keys: int) -> list[float]:
    page.evaluate(KEY_PROBE, selector)
    page.click(selector)
    page.keyboard.press("End")
    # About 4 keys a second, as a person types on a phone, with a pause every 10 keys.
    for i in range(keys):
        page.keyboard.type("a" if i % 5 else " ", delay=0)
        page.wait_for_timeout(1500 if i % 10 == 9 else 250)
    page.wait_for_function(f"window.__keys.length >= {keys}", timeout=120_000)
    return list(page.evaluate("window.__keys"))


def quantiles(xs: list[float]) -> tuple[float, float]:
    xs = sorted(xs)
    return statistics.median(xs), xs[min(len(xs) - 1, round(0.95 * (len(xs) - 1)))]


def measure(browser: Any, base: str, name: str, keys: int) -> dict[str, Any]:
    url = base + "nop-truc-tuyen.html"
    context, page, _cdp, count = throttled(browser)
    first = usable(page, url)
    page.wait_for_load_state("load")
    requests, transferred = count["requests"], count["bytes"]
    urls = [u.removeprefix(base) for u in count["urls"]]
    page.goto(base + "index.html", wait_until="load", timeout=300_000)
    cached = usable(page, url)
    # Per key, in a filled report: the sample opened, its first text area.
    page.set_input_files("#ed-file", str(SAMPLE))
    page.locator(".ed-note", has_text="Đã nạp").wait_for(timeout=300_000)
    field = '[name="section_1.situation"]'
    if page.locator(".ed-chip[data-step='section_1']").count():
        page.click(".ed-chip[data-step='section_1']")
    page.locator(field).wait_for(state="visible")
    times = key_times(page, field, keys)
    heights = []
    chips = page.locator(".ed-chip").evaluate_all("cs => cs.map(c => c.dataset.step)")
    for step in chips or [None]:
        if step:
            page.click(f".ed-chip[data-step='{step}']")
            page.locator(f".ed-step[data-step='{step}']:not([hidden])").wait_for()
            h = page.locator(f".ed-step[data-step='{step}']").evaluate("e => e.offsetHeight")
        else:
            h = page.evaluate("document.documentElement.scrollHeight")
        heights.append((step or "(một trang)", h / PHONE["height"]))
    context.close()
    return {"name": name, "requests": requests, "bytes": transferred, "first": first, "cached": cached,
            "urls": urls, "outside": count["outside"],
            "keys": quantiles(times), "heights": heights}


def bare(browser: Any, base: str, keys: int) -> tuple[float, float]:
    context, page, _, _ = throttled(browser)
    page.goto(base + "bare.html", wait_until="load")
    times = key_times(page, "textarea", keys)
    context.close()
    return quantiles(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before", default=BEFORE, help="the commit to compare with (default: %(default)s)")
    ap.add_argument("--keys", type=int, default=40, help="keys typed per measure (default: %(default)s)")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="bench-editor-") as tmp_:
        tmp = Path(tmp_)
        sites = {"trước": build(tree_of(args.before, tmp / "before-tree"), tmp / "before"),
                 "sau": build(ROOT, tmp / "after")}
        for site in sites.values():
            (site / "bare.html").write_text("<!doctype html><meta name=viewport content='width=device-width'>"
                                            "<textarea style='width:100%;height:10em'></textarea>", encoding="utf-8")
        servers = {k: serve(v) for k, v in sites.items()}
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium")
            try:
                results = [measure(browser, servers[k][0], k, args.keys) for k in sites]
                base_keys = bare(browser, servers["sau"][0], args.keys)
            finally:
                browser.close()
        for _, server in servers.values():
            server.shutdown()
    print(f"Trang Nộp báo cáo trực tuyến, 390×844 cảm ứng, CPU chậm {CPU_SLOWDOWN}×, "
          f"{NETWORK['downloadThroughput'] * 8 / 1000:.0f} kbit/s, {NETWORK['latency']} ms, gzip; trước = {args.before}")
    print(f"{'':34}" + "".join(f"{r['name']:>12}" for r in results))
    rows: list[tuple[str, Callable[[dict[str, Any]], str]]] = [("yêu cầu (lần đầu)", lambda r: f"{r['requests']}"),
            ("byte truyền (lần đầu, KB)", lambda r: f"{r['bytes'] / 1024:.0f}"),
            ("dùng được, lần đầu (s)", lambda r: f"{r['first']:.1f}"),
            ("dùng được, từ bộ nhớ đệm (s)", lambda r: f"{r['cached']:.1f}"),
            ("mỗi phím, trung vị (ms)", lambda r: f"{r['keys'][0]:.0f}"),
            ("mỗi phím, p95 (ms)", lambda r: f"{r['keys'][1]:.0f}"),
            ("bước cao nhất (màn hình)", lambda r: f"{max(h for _, h in r['heights']):.1f}")]
    for label, f in rows:
        print(f"{label:34}" + "".join(f"{f(r):>12}" for r in results))
    print(f"trang trống, mỗi phím: trung vị {base_keys[0]:.0f} ms, p95 {base_keys[1]:.0f} ms")
    before, after = results
    print(f"tỉ lệ sau/trước: yêu cầu {after['requests'] / before['requests']:.2f}, byte {after['bytes'] / before['bytes']:.2f}, "
          f"dùng được lần đầu {after['first'] / before['first']:.2f}, từ bộ nhớ đệm {after['cached'] / before['cached']:.2f}, "
          f"phím p95 {after['keys'][1] / max(before['keys'][1], 1e-9):.2f}")
    print(f"mục tiêu: ≤ 12 yêu cầu: {after['requests']}; lần đầu ≤ 8 s: {after['first']:.1f} s; từ bộ nhớ đệm ≤ 3 s: "
          f"{after['cached']:.1f} s; phím p95 ≤ trang trống + 50 ms: {after['keys'][1]:.0f} ≤ {base_keys[1] + 50:.0f} ms; "
          f"bước ≤ 8 màn hình: {max(h for _, h in after['heights']):.1f}")
    print("yêu cầu của trang (sau): " + " ".join(after["urls"]))
    print(f"yêu cầu ra ngoài localhost: trước {len(before['outside'])}, sau {len(after['outside'])}")
    print("chiều cao từng bước (màn hình): " + ", ".join(f"{s} {h:.1f}" for s, h in after["heights"]))


if __name__ == "__main__":
    main()
