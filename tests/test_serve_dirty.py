"""`make serve` with many units: an edit shows on its page, and search stays complete (issue 12).

The preview rebuilds only the pages whose Markdown changed (mkdocs serve --dirty); the search
index it serves (since issue 19 in bundles, the pages changed since the first index in a bundle
of their own: generator/search.py) must still be the index of the whole site, the same pages
with the same texts as `make site` builds from the same files: each page's id in Pagefind is the
hash of what it keeps of the page (search.served_pages, from the index's manifest). Run with
more units than fit in the nav, as a district's preview is.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from test_serve import fetch, free_port, wait_for
from test_site_build import ROOT, build, many_units

from generator import search
from generator.render import UNITS_IN_NAV_MAX


def wait_until(check: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.3)
    return False


def served_index(base: str) -> Any:
    text = fetch(f"{base}/pagefind/{search.MANIFEST}")
    return search.served_pages(json.loads(text)) if text else None


def built_index(tmp: Path) -> Any:
    """The search index `make site` builds from the same files, in folders of its own."""
    full = tmp / "full"
    full.mkdir(exist_ok=True)
    for name in ("campaign.yaml", "submissions"):
        if not (full / name).exists():
            (full / name).symlink_to(tmp / name)
    r = build(full)
    assert r.returncode == 0, r.stdout + r.stderr
    manifest = full / "site" / "pagefind" / search.MANIFEST
    return search.served_pages(json.loads(manifest.read_text(encoding="utf-8")))


def test_serve_follows_edits_and_deletions_with_a_complete_search_index(tmp_path: Path) -> None:
    many_units(tmp_path, UNITS_IN_NAV_MAX + 10)
    port = free_port()
    cmd = [sys.executable, "-m", "generator", "build", "--serve", "--dev-addr", f"127.0.0.1:{port}"]
    for opt, name in (("--campaign", "campaign.yaml"), ("--submissions", "submissions"),
                      ("--docs", "docs"), ("--site", "site"), ("--config-dir", "build")):
        cmd += [opt, str(tmp_path / name)]
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        edited = tmp_path / "submissions" / "don-vi-003.yaml"
        page = f"{base}/don-vi/don-vi-003.html"
        data = yaml.safe_load(edited.read_text(encoding="utf-8"))
        assert wait_for(page, data["signer"]["name"], 120), "the unit page was not served"

        data["signer"]["name"] = "Nguyễn Văn Mới"
        data["section_1"]["situation"] = "Đoạn văn mới của đơn vị."
        edited.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        assert wait_for(page, "Nguyễn Văn Mới", 120), "the page did not follow the edit"
        expected = built_index(tmp_path)
        assert wait_until(lambda: served_index(base) == expected, 120), "search index incomplete"

        # A deleted report: its page leaves the preview, and its entries the index.
        (tmp_path / "submissions" / "don-vi-004.yaml").unlink()
        gone = f"{base}/don-vi/don-vi-004.html"
        assert wait_until(lambda: fetch(gone) is None, 120), "the deleted unit's page is served"
        before = expected
        expected = built_index(tmp_path)
        assert set(before) - set(expected) == {"don-vi/don-vi-004.html"}
        assert wait_until(lambda: served_index(base) == expected, 120), "search index incomplete"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
        log.close()
    assert "Traceback" not in (tmp_path / "serve.log").read_text(encoding="utf-8")
