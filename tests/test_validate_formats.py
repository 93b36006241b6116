"""`validate --format json|github`: the same findings for programs and for GitHub Actions."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import CASES, CASES_ROOT, TEST_CAMPAIGN, RunCli

# The cases are built as files under CASES_ROOT (tests/casefiles.py); the CLI runs from there.
CAMPAIGN = TEST_CAMPAIGN.relative_to(CASES.parent.parent).as_posix()
TWO_FILES = "tests/cases/invalid/two-files-one-unit"
DUPLICATE = "tests/cases/invalid/duplicate-key/xa-mau.yaml"
LATE = "tests/cases/warning/late/xa-mau.yaml"
TWO_FILES_MESSAGE = (
    "đơn vị “xa-mau” có nhiều hơn một tệp báo cáo; chỉ giữ một tệp submissions/xa-mau.yaml"
)


def test_json_lists_every_problem(run_cli: RunCli) -> None:
    r = run_cli("validate", TWO_FILES, "--campaign", CAMPAIGN, "--format", "json", cwd=CASES_ROOT)
    assert r.returncode == 1
    doc = json.loads(r.stdout)
    assert doc["valid"] is False
    assert (doc["errors"], doc["warnings"]) == (2, 0)
    assert doc["reports"] == {"drafts": 0, "finals": 2}
    assert doc["files"] == [CAMPAIGN, f"{TWO_FILES}/xa-mau.yaml", f"{TWO_FILES}/xa-mau.yml"]
    assert doc["problems"] == [
        {
            "file": f"{TWO_FILES}/{name}",
            "line": 4,
            "column": 7,
            "severity": "error",
            "message": TWO_FILES_MESSAGE,
            "field": "Đơn vị › Mã đơn vị",
            "path": ["unit", "id"],
            "code": "unit-one-file",
        }
        for name in ("xa-mau.yaml", "xa-mau.yml")
    ]


def test_json_warning_only_is_valid(run_cli: RunCli) -> None:
    r = run_cli("validate", LATE, "--campaign", CAMPAIGN, "--format", "json", cwd=CASES_ROOT)
    assert r.returncode == 0
    doc = json.loads(r.stdout)
    assert (doc["valid"], doc["errors"], doc["warnings"]) == (True, 0, 1)
    assert [(p["line"], p["column"], p["code"]) for p in doc["problems"]] == [
        (11, 18, "date-on-time")
    ]


def test_github_annotations_and_summary(run_cli: RunCli) -> None:
    r = run_cli("validate", TWO_FILES, "--campaign", CAMPAIGN, "--format", "github", cwd=CASES_ROOT)
    assert r.returncode == 1
    lines = r.stdout.splitlines()
    assert lines[:3] == [
        f"::error file={TWO_FILES}/xa-mau.yaml,line=4,col=7,title=Đơn vị › Mã đơn vị::{TWO_FILES_MESSAGE}",
        f"::error file={TWO_FILES}/xa-mau.yml,line=4,col=7,title=Đơn vị › Mã đơn vị::{TWO_FILES_MESSAGE}",
        "Đã kiểm tra 3 tệp: 2 lỗi, 0 cảnh báo — KHÔNG hợp lệ. Báo cáo: 2 chính thức, 0 bản nháp.",
    ]
    # Without $GITHUB_STEP_SUMMARY the Markdown summary follows on standard output.
    assert "## Kiểm tra báo cáo" in lines
    assert (
        f"| {TWO_FILES}/xa-mau.yml | 4 | lỗi | Đơn vị › Mã đơn vị | {TWO_FILES_MESSAGE} |" in lines
    )


def test_github_summary_goes_to_the_step_summary_file(run_cli: RunCli, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    r = run_cli(
        "validate",
        DUPLICATE,
        "--campaign",
        CAMPAIGN,
        "--format",
        "github",
        env={"GITHUB_STEP_SUMMARY": str(summary)},
        cwd=CASES_ROOT,
    )
    assert r.returncode == 1
    message = "mục “inspections” bị ghi hai lần (lần đầu ở dòng 39); hãy gộp lại thành một, nếu không dữ liệu sẽ bị mất"
    assert r.stdout == (
        f"::error file={DUPLICATE},line=51,col=3,title=Mục II › Số cuộc kiểm tra::{message}\n"
        "Đã kiểm tra 2 tệp: 1 lỗi, 0 cảnh báo — KHÔNG hợp lệ.\n"
    )
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("## Kiểm tra báo cáo\n")
    assert f"| {DUPLICATE} | 51 | lỗi | Mục II › Số cuộc kiểm tra | {message} |" in text


def test_github_warning_is_a_warning_annotation(run_cli: RunCli, tmp_path: Path) -> None:
    r = run_cli(
        "validate",
        LATE,
        "--campaign",
        CAMPAIGN,
        "--format",
        "github",
        "--summary",
        tmp_path / "s.md",
        cwd=CASES_ROOT,
    )
    assert r.returncode == 0
    assert r.stdout.splitlines()[0] == (
        f"::warning file={LATE},line=11,col=18,title=Ngày gửi báo cáo::"
        "báo cáo gửi muộn: ngày gửi 2021-01-25, hạn gửi 2021-01-20"
    )


def test_a_summary_too_large_for_github_stops_and_the_log_lists_everything(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """GitHub shows no job summary over 1 MiB: 300 synthetic reports give about 1.9 MB of table.
    The summary stops under the limit, errors first, and says so; the log lists every problem."""
    from benchmarks.synth import make_corpus

    campaign, submissions = make_corpus(300, tmp_path)
    last = sorted(submissions.glob("*.yaml"))[-1]
    last.write_text(last.read_text(encoding="utf-8") + "unit: {}\n", encoding="utf-8")  # twice: an error
    summary = tmp_path / "summary.md"
    r = run_cli("validate", "--campaign", campaign.name, "--format", "github", "--summary", summary,
                submissions.name, cwd=tmp_path)
    assert r.returncode == 1, r.stdout + r.stderr
    text = summary.read_text(encoding="utf-8")
    assert len(text.encode()) <= 1024 * 1024
    rows = [line for line in text.splitlines() if line.startswith("| submissions/")]
    assert rows and f"| submissions/{last.name} |" in rows[0] and "| lỗi |" in rows[0]
    totals = next(line for line in r.stdout.splitlines() if line.startswith("Đã kiểm tra 301 tệp"))
    warnings = int(totals.split(" lỗi, ")[1].split(" cảnh báo")[0])
    assert len(rows) < 1 + warnings
    assert (f"còn 0 lỗi và {1 + warnings - len(rows)} cảnh báo không hiện" in text), text[-600:]
    # Every problem is in the step's log, one line each, as `validate` prints them.
    log = r.stdout.splitlines()
    assert sum(1 for line in log if ": cảnh báo: " in line) == warnings
    assert sum(1 for line in log if line.startswith(f"submissions/{last.name}:") and ": lỗi: " in line) == 1
