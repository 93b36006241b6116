"""The reviewer's phone (issue 20): the status page and results as one types, as a phone has them.

    nice .venv/bin/python benchmarks/bench_phone.py            # the samples' site (site/, built first)
    nice .venv/bin/python benchmarks/bench_phone.py --site DIR

Debian's Chromium (playwright) at 390 × 844 px, the CPU slowed 4× and the network a slow 3G
(400 ms latency, 400 kbit/s down, 400 kbit/s up) through the Chrome DevTools Protocol, nothing
cached. Measured, each in a fresh browser context:
- the status page: until its load event, and until the first group's counts are on screen;
- typing "giam" in the header field of the status page (already loaded), one letter every
  150 ms: from the last letter until the first results show under the field (Pagefind's code
  and the query's index chunks are fetched on the first letters, so this is the cold case), then
  a second query in the same page ("giam sat") once the code is loaded.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SLOW_3G = {"offline": False, "latency": 400, "downloadThroughput": 400 * 1024 / 8,
           "uploadThroughput": 400 * 1024 / 8}


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def phone(browser: Any) -> tuple[Any, Any]:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True, device_scale_factor=2)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", SLOW_3G)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    page.set_default_timeout(180_000)
    return context, page


def typed(page: Any, text: str) -> float:
    """Seconds from the last letter typed in the header field until its results show."""
    field = page.locator("form.tk-header-search input")
    field.fill("")
    page.wait_for_function("document.getElementById('tk-header-results').hidden")
    for ch in text[:-1]:
        field.press(ch)
        time.sleep(0.15)
    t0 = time.monotonic()
    field.press(text[-1])
    page.wait_for_function("document.getElementById('tk-header-results').dataset.state === 'done'"
                           " && document.querySelectorAll('#tk-header-results li.tk-search-result').length > 0")
    return time.monotonic() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--site", type=Path, default=ROOT / "site")
    args = ap.parse_args()
    if not (args.site / "trang-thai.html").is_file():
        print(f"{args.site}: chưa có trang; chạy make site trước", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(args.site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        context, page = phone(browser)
        t0 = time.monotonic()
        page.goto(f"{base}/trang-thai.html", wait_until="load")
        loaded = time.monotonic() - t0
        page.locator("#status-chips").wait_for(state="visible")
        print(f"status page at 390 px, 4x CPU, slow 3G: load event {loaded:.1f} s")
        cold = typed(page, "giam")
        warm = typed(page, "giam sat")
        print(f"header field, 'giam' (Pagefind's code fetched on the way): results {cold:.1f} s after the last letter")
        print(f"header field, 'giam sat' (code loaded): results {warm:.1f} s after the last letter")
        context.close()
        browser.close()
    server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
