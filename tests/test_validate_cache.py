"""The build keeps each report's verdict in build/verdicts/ (generator/verdicts.py, issue 19).

Run as `make site` runs it. What was reused is read from what the build says ("Dùng lại từ lần
dựng trước: 6/7 kết quả kiểm tra báo cáo"), and what it found from its output, compared with
`python -m generator validate`, which keeps nothing.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml
from test_site_build import ROOT, SAMPLES, build, copy_samples

REUSED = "Dùng lại từ lần dựng trước: "


def reused(out: str) -> str:
    """How many verdicts the build read back: "6/7"."""
    line = next(ln for ln in out.splitlines() if ln.startswith(REUSED))
    return line.removeprefix(REUSED).split(" kết quả kiểm tra báo cáo")[0]


def problem_lines(out: str) -> list[str]:
    return [ln for ln in out.splitlines() if ": lỗi: " in ln or ": cảnh báo: " in ln]


def validate(tmp: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", "validate", "--campaign", str(tmp / "campaign.yaml"),
         str(tmp / "submissions")], cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_a_one_figure_edit_checks_one_report_and_rules_across_reports_see_them_all(tmp_path: Path) -> None:
    tmp = copy_samples(tmp_path)
    n = len(SAMPLES)
    first = build(tmp)
    assert first.returncode == 0, first.stdout + first.stderr
    assert reused(first.stdout) == f"0/{n}"
    # One figure of one report: that report is checked again, the others' verdicts are read back.
    f = tmp / "submissions" / "xa-xuan-lap.yaml"
    text = f.read_text(encoding="utf-8")
    assert "people_reached: 486\n" in text
    f.write_text(text.replace("people_reached: 486\n", "people_reached: 4860\n"), encoding="utf-8")
    second = build(tmp)
    assert second.returncode == 0, second.stdout + second.stderr
    assert reused(second.stdout) == f"{n - 1}/{n}"
    assert "4.860" in (tmp / "site" / "don-vi" / "xa-xuan-lap.html").read_text(encoding="utf-8")
    # A second file for a unit whose verdict is kept: the rule across files (one file per unit)
    # still finds both, and the build says what `validate`, with no cache, says.
    other = next(s for s in SAMPLES if s.name != f.name)
    (tmp / "submissions" / f"{other.stem}-ban-sao.yaml").write_bytes(other.read_bytes())
    third = build(tmp)
    assert third.returncode == 1
    fresh = validate(tmp)
    assert fresh.returncode == 1
    uid = yaml.safe_load(other.read_text(encoding="utf-8"))["unit"]["id"]
    # Said on the report whose verdict was kept (the copy's own id is refused: not its file name).
    kept = f"{tmp / 'submissions' / other.name}:"
    assert [ln for ln in problem_lines(third.stdout)
            if f"đơn vị “{uid}” có nhiều hơn một tệp" in ln and ln.startswith(kept)], third.stdout
    assert problem_lines(third.stdout) == problem_lines(fresh.stdout)


# The CLI's entry point, with jsonschema's metaschema check counted: a line per call.
COUNTED = """
import os, sys, jsonschema
check = jsonschema.Draft202012Validator.check_schema
def counted(schema, *args, **kwargs):
    with open(os.environ["CHECK_LOG"], "a") as f:
        f.write("check\\n")
    return check(schema, *args, **kwargs)
jsonschema.Draft202012Validator.check_schema = counted
from generator.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_a_corrupted_cache_is_ignored_and_the_plan_schema_is_checked_once(tmp_path: Path) -> None:
    tmp = copy_samples(tmp_path)
    n = len(SAMPLES)
    log = tmp / "checks.log"

    def counted_build() -> tuple[str, int]:
        log.write_text("")
        r = subprocess.run(
            [sys.executable, "-c", COUNTED, "build", "--force", "--campaign", str(tmp / "campaign.yaml"),
             "--submissions", str(tmp / "submissions"), "--docs", str(tmp / "docs"),
             "--site", str(tmp / "site"), "--config-dir", str(tmp / "build")],
            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT), "CHECK_LOG": str(log)},
            capture_output=True, text=True, timeout=300,
        )
        assert r.returncode == 0 and not r.stderr, r.stdout + r.stderr
        return r.stdout, len(log.read_text().splitlines())

    out, checks = counted_build()
    assert reused(out) == f"0/{n}" and checks == 1
    out, checks = counted_build()
    assert reused(out) == f"{n}/{n}" and checks == 0  # the plan's schema passed before
    site = {p: p.read_bytes() for p in (tmp / "site").rglob("*.html")}
    # Every entry damaged in its own way: cut short, emptied, one byte changed, garbage.
    entries = sorted((tmp / "build" / "verdicts").iterdir())
    assert len(entries) == n + 1  # the reports and the metaschema check
    for i, entry in enumerate(entries):
        data = entry.read_bytes()
        entry.write_bytes([data[: len(data) // 2], b"", data[:-1] + bytes([data[-1] ^ 1]),
                           b"\x80\x05garbage"][i % 4])
    out, checks = counted_build()
    assert reused(out) == f"0/{n}" and checks == 1
    assert {p: p.read_bytes() for p in (tmp / "site").rglob("*.html")} == site
    out, checks = counted_build()  # and written whole again
    assert reused(out) == f"{n}/{n}" and checks == 0


def test_validate_keeps_nothing(tmp_path: Path) -> None:
    """`validate`, the check CI runs, reads every report: it neither reads nor writes a cache."""
    tmp = copy_samples(tmp_path)
    r = validate(tmp)
    assert r.returncode == 0, r.stdout + r.stderr
    assert not (tmp / "build").exists()
