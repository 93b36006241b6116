"""Nothing changed, nothing rebuilt: a second `make site` stops before validating (issues 12, 19).

Run as `make site` runs it: `python -m generator build`. What ran is read from what the user sees:
the "Markdown: …" line is printed once the reports are validated and rendered, "Đã dựng trang" once
MkDocs has run; and from the built files, which MkDocs rewrites on every build.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import yaml
from test_site_build import ROOT, build, copy_samples

from generator import search

BUILT = "Đã dựng trang vào"
KEPT = "Trang web không đổi so với lần dựng trước"
RENDERED = "Markdown: "  # the reports were validated and the pages rendered
UNCHANGED = "Không có gì thay đổi từ lần dựng trước"


def site_mtimes(site: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in site.rglob("*.html")}


def test_a_second_build_with_nothing_changed_does_not_run_mkdocs(tmp_path: Path) -> None:
    tmp = copy_samples(tmp_path)
    first = build(tmp)
    assert first.returncode == 0, first.stderr
    assert BUILT in first.stdout
    before = site_mtimes(tmp / "site")
    docs_before = site_mtimes(tmp / "docs")
    second = build(tmp)
    assert second.returncode == 0, second.stderr
    assert KEPT in second.stdout and BUILT not in second.stdout
    assert UNCHANGED in second.stdout and RENDERED not in second.stdout  # stopped before validating
    assert site_mtimes(tmp / "site") == before and site_mtimes(tmp / "docs") == docs_before
    # It says what the last build said: its warnings and how many units have reported.
    warnings = [ln for ln in first.stdout.splitlines() if ": cảnh báo: " in ln or ln.startswith("… và ")]
    assert warnings and warnings == [ln for ln in second.stdout.splitlines() if ln in warnings]
    counts = next(ln for ln in first.stdout.splitlines() if ln.startswith(RENDERED)).split("; ", 1)[1]
    assert counts.rstrip(".") in second.stdout


def test_a_report_rewritten_with_the_same_bytes_is_unchanged(tmp_path: Path) -> None:
    """A checkout or a copy that rewrites a file without changing it changes nothing."""
    tmp = copy_samples(tmp_path)
    assert build(tmp).returncode == 0
    f = sorted((tmp / "submissions").glob("*.yaml"))[0]
    f.write_bytes(f.read_bytes())
    os.utime(f, ns=(f.stat().st_atime_ns, f.stat().st_mtime_ns + 10**9))
    r = build(tmp)
    assert r.returncode == 0, r.stderr
    assert UNCHANGED in r.stdout and RENDERED not in r.stdout


def test_an_edit_that_changes_no_page_validates_but_does_not_run_mkdocs(tmp_path: Path) -> None:
    tmp = copy_samples(tmp_path)
    assert build(tmp).returncode == 0
    f = sorted((tmp / "submissions").glob("*.yaml"))[0]
    f.write_text(f.read_text(encoding="utf-8") + "# một ghi chú\n", encoding="utf-8")
    r = build(tmp)
    assert r.returncode == 0, r.stderr
    assert RENDERED in r.stdout and KEPT in r.stdout and BUILT not in r.stdout
    again = build(tmp)  # and the stamp now knows the edited file
    assert UNCHANGED in again.stdout and RENDERED not in again.stdout


def test_the_plan_and_the_environment_are_inputs(tmp_path: Path) -> None:
    """A campaign with its own plan (schema/ beside it): an edit of its rules builds again."""
    tmp = copy_samples(tmp_path)
    (tmp / "schema").mkdir()
    for name in ("report.schema.json", "rules.yaml"):
        (tmp / "schema" / name).write_bytes((ROOT / "schema" / name).read_bytes())
    assert BUILT in build(tmp).stdout
    assert UNCHANGED in build(tmp).stdout
    rules = tmp / "schema" / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8") + "# một ghi chú\n", encoding="utf-8")
    r = build(tmp)
    assert r.returncode == 0, r.stderr
    assert RENDERED in r.stdout
    assert UNCHANGED in build(tmp).stdout
    # SOURCE_DATE_EPOCH sets the dates of sitemap.xml: a build with another one is not the same.
    epoch = "1767225600" if os.environ.get("SOURCE_DATE_EPOCH") != "1767225600" else "1767312000"
    env = dict(os.environ, SOURCE_DATE_EPOCH=epoch)
    r = build(tmp, env=env)
    assert RENDERED in r.stdout and BUILT in r.stdout


def test_an_output_changed_by_hand_is_built_again(tmp_path: Path) -> None:
    tmp = copy_samples(tmp_path)
    assert build(tmp).returncode == 0
    page = tmp / "site" / "trang-thai.html"
    page.unlink()
    r = build(tmp)
    assert RENDERED in r.stdout and BUILT in r.stdout and page.is_file()
    md = tmp / "docs" / "index.md"
    md.write_text(md.read_text(encoding="utf-8") + "\nsửa tay\n", encoding="utf-8")
    r = build(tmp)
    assert RENDERED in r.stdout and BUILT in r.stdout
    assert "sửa tay" not in md.read_text(encoding="utf-8")


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


DIRTY = "Chỉ dựng lại"  # MkDocs renders only the pages whose Markdown changed


def site_bytes(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_an_edit_renders_only_its_pages_and_leaves_the_site_a_full_build_would(tmp_path: Path) -> None:
    """Issue 19: after one report changed, MkDocs renders only the pages whose Markdown changed
    (--dirty), and the site is byte for byte the site a full build of the same files makes."""
    tmp = copy_samples(tmp_path)
    env = {"SOURCE_DATE_EPOCH": "1764000000"}  # sitemap.xml's dates, the same in both builds
    assert build(tmp, env=env).returncode == 0
    reports = sorted((tmp / "submissions").glob("*.yaml"))
    f, other = reports[0], reports[1]
    data = yaml.safe_load(f.read_text(encoding="utf-8"))
    other_id = yaml.safe_load(other.read_text(encoding="utf-8"))["unit"]["id"]
    data["signer"]["name"] = "Người Ký Mới"
    f.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    before = site_mtimes(tmp / "site")
    r = build(tmp, env=env)
    assert r.returncode == 0, r.stderr
    assert DIRTY in r.stdout and BUILT in r.stdout
    page = tmp / "site" / "don-vi" / f"{data['unit']['id']}.html"
    assert "Người Ký Mới" in page.read_text(encoding="utf-8")
    after = site_mtimes(tmp / "site")
    assert after[page] != before[page]
    untouched = tmp / "site" / "don-vi" / f"{other_id}.html"
    assert after[untouched] == before[untouched]  # another unit's page was not rendered again
    dirty = site_bytes(tmp / "site")
    forced = build(tmp, "--force", env=env)
    assert forced.returncode == 0 and DIRTY not in forced.stdout
    full = site_bytes(tmp / "site")
    # The search index is the one part that differs in its files: after the edit, the changed
    # pages were indexed into a bundle of their own (generator/search.py); it serves the same
    # pages with the same texts as the full build's index.
    index = f"{search.BUNDLE}/"
    assert sorted(p for p in dirty if not p.startswith(index)) == sorted(p for p in full if not p.startswith(index))
    assert [p for p in full if not p.startswith(index) and dirty[p] != full[p]] == []
    manifest = f"{index}{search.MANIFEST}"
    assert (search.served_pages(json.loads(dirty[manifest])) == search.served_pages(json.loads(full[manifest])))


def test_a_removed_report_renders_every_page(tmp_path: Path) -> None:
    """A page gone from docs/ (a unit's report deleted) may be linked from pages that did not
    change: the build renders every page into a clean site."""
    tmp = copy_samples(tmp_path)
    assert build(tmp).returncode == 0
    f = sorted((tmp / "submissions").glob("*.yaml"))[0]
    uid = yaml.safe_load(f.read_text(encoding="utf-8"))["unit"]["id"]
    f.unlink()
    r = build(tmp)
    assert r.returncode == 0, r.stderr
    assert BUILT in r.stdout and DIRTY not in r.stdout
    assert not (tmp / "site" / "don-vi" / f"{uid}.html").exists()


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
    assert BUILT in r.stdout and DIRTY not in r.stdout  # every page shows the site's name
    assert "Tên trang mới" in (tmp / "site" / "index.html").read_text(encoding="utf-8")
    assert "Tên trang mới" in (tmp / "site" / "trang-thai.html").read_text(encoding="utf-8")


def test_a_removed_site_a_failed_build_or_force_builds_again(tmp_path: Path) -> None:
    tmp = copy_samples(tmp_path)
    assert build(tmp).returncode == 0
    forced = build(tmp, "--force").stdout
    assert RENDERED in forced and BUILT in forced
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
    assert KEPT in second.stdout and RENDERED not in second.stdout
    # The tool's own files are inputs too: a template or the code changed, the site is built again.
    for rel in ("site_templates/unit.md.j2", "generator/aggregate.py"):
        changed = project / rel
        changed.write_text(changed.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        again = subprocess.run(make, cwd=project, capture_output=True, text=True, timeout=600)
        assert again.returncode == 0, again.stdout + again.stderr
        assert RENDERED in again.stdout, rel
