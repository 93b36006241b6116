"""CODEOWNERS is generated from the campaign file, and the committed one must be up to date."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from generator.codeowners import render

ROOT = Path(__file__).resolve().parent.parent


def codeowners(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", "codeowners", *args], cwd=ROOT,
                          capture_output=True, text=True, check=False)


def test_committed_codeowners_is_up_to_date() -> None:
    r = codeowners("--check")
    assert r.returncode == 0, (r.stderr + "\nHãy chạy `make codeowners` rồi commit .github/CODEOWNERS.")


def test_stale_codeowners_fails(tmp_path: Path) -> None:
    stale = tmp_path / "CODEOWNERS"
    stale.write_text("* @someone\n", encoding="utf-8")
    r = codeowners("--check", "--output", str(stale))
    assert r.returncode == 1
    assert r.stderr == (f"lỗi: {stale} chưa khớp với tệp đợt báo cáo; hãy chạy `python -m generator codeowners` "
                        "rồi commit tệp này\n")


def test_render() -> None:
    campaign = {
        "units": [
            {"id": "xa-a", "name": "A", "kind": "commune", "editors": ["a-doan", "Huyen"]},
            {"id": "xa-b", "name": "B", "kind": "commune", "editors": []},
        ],
        "reviewers": ["huyen", "btv"],
    }
    body = [line for line in render(campaign).splitlines() if line and not line.startswith("#")]
    assert body == [
        "* @huyen @btv",
        "/submissions/xa-a.y*ml @a-doan @Huyen @btv",  # a reviewer who is also an editor is listed once
        "/submissions/xa-b.y*ml @huyen @btv",
    ]
