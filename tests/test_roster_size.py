"""A province's roster: the campaign file may list 5,000 units (issue 12), and says so past that."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml
from test_site_build import ROOT

MAX_UNITS = 5000


def validate_roster(tmp: Path, n: int) -> subprocess.CompletedProcess[str]:
    campaign = yaml.safe_load((ROOT / "campaign.yaml").read_text(encoding="utf-8"))
    kind = campaign["units"][0]["kind"]
    campaign["units"] = [
        {"id": f"don-vi-{i:05d}", "name": f"Đơn vị {i}", "kind": kind, "editors": []}
        for i in range(n)
    ]
    (tmp / "campaign.yaml").write_text(
        yaml.safe_dump(campaign, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    (tmp / "submissions").mkdir()
    cmd = [sys.executable, "-m", "generator", "validate", str(tmp / "submissions"),
           "--campaign", str(tmp / "campaign.yaml")]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_a_roster_of_5000_units_is_accepted(tmp_path: Path) -> None:
    r = validate_roster(tmp_path, MAX_UNITS)
    assert r.returncode == 0, r.stdout + r.stderr


def test_a_longer_roster_is_refused_with_the_limit(tmp_path: Path) -> None:
    n = MAX_UNITS + 1
    r = validate_roster(tmp_path, n)
    assert r.returncode == 1
    assert (
        f"lỗi: Danh sách đơn vị phải báo cáo: danh sách có {n} dòng, "
        f"nhiều hơn mức tối đa {MAX_UNITS} dòng"
    ) in r.stdout
