"""`make serve` as a unit uses it: the preview is served, and editing a report updates its page."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

from test_documents import doc_text

ROOT = Path(__file__).resolve().parent.parent
UNIT = "xa-xuan-lap"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return str(r.read().decode("utf-8"))
    except OSError:
        return None


def wait_for(url: str, needle: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        page = fetch(url)
        if page is not None and needle in page:
            return True
        time.sleep(0.3)
    return False


def wait_for_document(url: str, needle: str, into: Path, seconds: float) -> bool:
    """Until the served .docx has `needle` in its text (read by python-docx)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                into.write_bytes(r.read())
            if needle in doc_text(into):
                return True
        except (OSError, ValueError, KeyError, zipfile.BadZipFile):
            pass  # not served yet, or being written
        time.sleep(0.3)
    return False


def test_serve_previews_the_site_and_follows_edits(tmp_path: Path) -> None:
    shutil.copy(ROOT / "campaign.yaml", tmp_path / "campaign.yaml")
    shutil.copytree(ROOT / "submissions", tmp_path / "submissions")
    report = tmp_path / "submissions" / f"{UNIT}.yaml"
    port = free_port()
    cmd = [sys.executable, "-m", "generator", "build", "--serve", "--dev-addr", f"127.0.0.1:{port}"]
    for opt, name in (("--campaign", "campaign.yaml"), ("--submissions", "submissions"),
                      ("--docs", "docs"), ("--site", "site"), ("--config-dir", "build")):
        cmd += [opt, str(tmp_path / name)]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}/don-vi/{UNIT}.html"
        assert wait_for(url, "Lê Thị Hằng", 60), "the unit page was not served"
        # The first build makes the documents before serving: the pages link to them.
        first = tmp_path / "first.docx"
        assert wait_for_document(f"http://127.0.0.1:{port}/tai-ve/word/{UNIT}.docx", "Lê Thị Hằng", first, 5)
        text = report.read_text(encoding="utf-8")
        assert "Lê Thị Hằng" in text
        report.write_text(text.replace("Lê Thị Hằng", "Nguyễn Văn Mới"), encoding="utf-8")
        assert wait_for(url, "Nguyễn Văn Mới", 60), "the page did not follow the edit"
        # The unit's Word file follows too, made after the page is served (serve_hook._Documents).
        word = f"http://127.0.0.1:{port}/tai-ve/word/{UNIT}.docx"
        assert wait_for_document(word, "Nguyễn Văn Mới", tmp_path / "served.docx", 60), \
            "the unit's Word file did not follow the edit"
        assert "Lê Thị Hằng" not in doc_text(tmp_path / "served.docx")
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
