"""Nothing changed, nothing rebuilt: a second `make site` does not run MkDocs (issue 12).

Run as `make site` runs it: `python -m generator build`. Whether MkDocs ran is read from what
the user sees (the last line it prints) and from the built site's files, which MkDocs rewrites
on every build.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml
from test_site_build import ROOT, build, copy_samples

BUILT = "Đã dựng trang vào"
KEPT = "Trang web không đổi so với lần dựng trước"


def site_mtimes(site: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in site.rglob("*.html")}


def test_a_second_build_with_nothing_changed_does_not_run_mkdocs(tmp_path: Path) -> None:
    tmp = copy_samples(tmp_path)
    first = build(tmp)
    assert first.returncode == 0, first.stderr
    assert BUILT in first.stdout
    before = site_mtimes(tmp / "site")
    second = build(tmp)
    assert second.returncode == 0, second.stderr
    assert KEPT in second.stdout and BUILT not in second.stdout
    assert site_mtimes(tmp / "site") == before


def test_a_changed_report_is_built(tmp_path: Path) -> None:
    tmp = copy_samples(tmp_path)
    assert build(tmp).returncode == 0
    f = sorted((tmp / "submissions").glob("*.yaml"))[0]
    data = yaml.safe_load(f.read_text(encoding="utf-8"))
    data["signer"]["name"] = "Người Ký Mới"
    f.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    r = build(tmp)
    assert r.returncode == 0, r.stderr
    assert BUILT in r.stdout
    page = tmp / "site" / "don-vi" / f"{data['unit']['id']}.html"
    assert "Người Ký Mới" in page.read_text(encoding="utf-8")
    assert KEPT in build(tmp).stdout  # and then it is current again


def test_a_changed_configuration_is_built(tmp_path: Path) -> None:
    tmp = copy_samples(tmp_path)
    assert build(tmp).returncode == 0
    campaign = yaml.safe_load((tmp / "campaign.yaml").read_text(encoding="utf-8"))
    campaign["site_name"] = "Tên trang mới"  # MkDocs' site_name, in the build's configuration
    (tmp / "campaign.yaml").write_text(
        yaml.safe_dump(campaign, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    r = build(tmp)
    assert r.returncode == 0, r.stderr
    assert BUILT in r.stdout
    assert "Tên trang mới" in (tmp / "site" / "index.html").read_text(encoding="utf-8")


def test_a_removed_site_a_failed_build_or_force_builds_again(tmp_path: Path) -> None:
    tmp = copy_samples(tmp_path)
    assert build(tmp).returncode == 0
    assert BUILT in build(tmp, "--force").stdout
    for p in sorted((tmp / "site").rglob("*"), reverse=True):
        p.unlink() if p.is_file() else p.rmdir()
    r = build(tmp)
    assert BUILT in r.stdout and (tmp / "site" / "index.html").is_file()
    # A page MkDocs cannot build (strict: a link to a missing page) fails the build; the next
    # build tries again rather than trusting the stamp of the last good one.
    bad = tmp / "docs" / "loi.md"
    bad.write_text("[x](khong-co.md)\n", encoding="utf-8")
    assert build(tmp).returncode == 1
    assert build(tmp).returncode == 1


def test_make_site_twice_keeps_the_site(tmp_path: Path) -> None:
    """The same through `make site`, in a copy of the project's files (this .venv is used)."""
    project = tmp_path / "project"
    files = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.split()
    for rel in files:
        src, dst = ROOT / rel, project / rel
        if src.is_file():
            dst.parent.mkdir(parents=True, exist_ok=True)
            dst.write_bytes(src.read_bytes())
    # STAMP= : the copy has no .venv of its own to install; PY runs this one's Python.
    make = ["make", "--no-print-directory", "site", "STAMP=", f"PY={sys.executable}"]
    first = subprocess.run(make, cwd=project, capture_output=True, text=True, timeout=600)
    assert first.returncode == 0, first.stdout + first.stderr
    assert BUILT in first.stdout
    second = subprocess.run(make, cwd=project, capture_output=True, text=True, timeout=600)
    assert second.returncode == 0, second.stdout + second.stderr
    assert KEPT in second.stdout
