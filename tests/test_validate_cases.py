"""The validator as a user runs it, on folders of example files (tests/cases/).

- `valid/*.yaml`: each passes with no problem at all, exit 0.
- `invalid/<case>/`: the report files of one run (named `<unit-id>.yaml`, ids listed in
  `tests/cases/campaign.yaml`), an optional `campaign.yaml` used instead of that one, and
  `expected.txt`: exactly what the validator prints; exit 1.
- `warning/<case>/`: the same, but the problems are warnings only; exit 0.

A case's files are patches of the base report, built as files by tests/casefiles.py (the CLI
runs from the folder they are built in, so it names them `tests/cases/…`). In `expected.txt`,
`{today}` stands for the date of the run; `make cases-expected` rewrites every expected.txt.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from casefiles import SOURCE, Run, expected_output, runs
from conftest import CASES, CASES_ROOT, TEST_CAMPAIGN, RunCli

from generator.load import LoadError, load_yaml
from generator.rules import load_rules
from generator.validate import check_all, check_report

RUNS = runs()
VALID = [r.files[0] for r in RUNS if r.kind == "valid"]
INVALID = [r for r in RUNS if r.kind == "invalid"]
WARNING = [r for r in RUNS if r.kind == "warning"]
ALL_VALID = "Đã kiểm tra 2 tệp: 0 lỗi, 0 cảnh báo — hợp lệ. Báo cáo: 1 chính thức, 0 bản nháp.\n"
FIX = "(rewrite the expected outputs with `make cases-expected`, then read `git diff tests/cases`)"


def rel(p: Path) -> str:
    return p.relative_to(CASES_ROOT).as_posix()


@pytest.mark.parametrize("path", VALID, ids=[p.stem for p in VALID])
def test_valid_file_passes(run_cli: RunCli, path: Path) -> None:
    r = run_cli("validate", rel(path), "--campaign", rel(TEST_CAMPAIGN), cwd=CASES_ROOT)
    assert (r.returncode, r.stdout, r.stderr) == (0, ALL_VALID, "")


def test_valid_files_pass_together(run_cli: RunCli) -> None:
    r = run_cli("validate", rel(CASES / "valid"), "--campaign", rel(TEST_CAMPAIGN), cwd=CASES_ROOT)
    assert r.returncode == 0, r.stdout
    assert r.stdout == (f"Đã kiểm tra {len(VALID) + 1} tệp: 0 lỗi, 0 cảnh báo — hợp lệ. "
                        f"Báo cáo: {len(VALID)} chính thức, 0 bản nháp.\n")


@pytest.mark.parametrize("case", INVALID, ids=[r.name for r in INVALID])
def test_invalid_case(run_cli: RunCli, case: Run) -> None:
    r = run_cli(*case.args(), cwd=CASES_ROOT)
    assert r.stderr == ""
    assert r.stdout == expected_output(case), FIX
    assert r.returncode == 1


@pytest.mark.parametrize("case", WARNING, ids=[r.name for r in WARNING])
def test_warning_case(run_cli: RunCli, case: Run) -> None:
    r = run_cli(*case.args(), cwd=CASES_ROOT)
    assert r.stderr == ""
    assert r.stdout == expected_output(case), FIX
    assert " cảnh báo: " in r.stdout and " lỗi: " not in r.stdout
    assert r.returncode == 0


def test_every_case_has_its_expected_output() -> None:
    for case in INVALID + WARNING:
        assert case.expected.is_file(), f"{case.id} has no expected.txt {FIX}"
        assert any(
            p.name.strip().lower().endswith((".yaml", ".yml")) for p in case.files
        ), case.id


def test_every_case_folder_is_built() -> None:
    """No case is lost on the way from its patches to files: every folder of tests/cases/ is a run."""
    folders = sorted(f"{p.parent.name}/{p.name}" for p in SOURCE.glob("*/*") if p.is_dir() and p.parent.name != "valid")
    assert folders == sorted(r.id for r in INVALID + WARNING)


def test_billion_laughs_fails_fast() -> None:
    case = CASES / "invalid" / "alias-billion-laughs" / "xa-mau.yaml"
    start = time.perf_counter()
    with pytest.raises(LoadError) as e:
        load_yaml(case)
    assert time.perf_counter() - start < 1.0
    assert [p.code for p in e.value.problems] == ["yaml.alias"]


def test_billion_laughs_through_the_validator_fails_fast(tmp_path: Path) -> None:
    # Nine levels of nine: expanding it would take 9**9 list cells.
    (tmp_path / "xa-mau.yaml").write_text(
        (CASES / "invalid/alias-billion-laughs/xa-mau.yaml").read_text()
    )
    start = time.perf_counter()
    report = check_report(tmp_path / "xa-mau.yaml", None, "2021-01-15", "xa-mau.yaml")
    assert time.perf_counter() - start < 1.0
    assert report.data is None and len(report.problems) == 1


def test_file_over_size_limit(run_cli: RunCli, tmp_path: Path) -> None:
    base = (CASES / "valid" / "xa-mau.yaml").read_text(encoding="utf-8")
    text = (
        base + ("# " + "x" * 98 + "\n") * 10_000
    )  # a valid report followed by a megabyte of comment
    (tmp_path / "xa-mau.yaml").write_text(text, encoding="utf-8")
    size = len(text.encode("utf-8"))
    r = run_cli("validate", "xa-mau.yaml", "--campaign", TEST_CAMPAIGN, cwd=tmp_path)
    shown = f"{size:,}".replace(",", ".")
    assert r.stdout == (
        f"xa-mau.yaml:1:1: lỗi: tệp quá lớn ({shown} byte, tối đa 1.000.000 byte); một báo cáo thường chỉ "
        "vài chục nghìn byte — kiểm tra xem có dán nhầm nội dung không\n"
        "Đã kiểm tra 2 tệp: 1 lỗi, 0 cảnh báo — KHÔNG hợp lệ.\n"
    )
    assert r.returncode == 1


def test_a_file_named_twice_is_checked_once(run_cli: RunCli) -> None:
    """Not "more than one file for this unit" because the folder holding it was named too."""
    r = run_cli("validate", rel(VALID[0]), rel(CASES / "valid"), "--campaign", rel(TEST_CAMPAIGN), cwd=CASES_ROOT)
    assert (r.returncode, r.stdout) == (0, (f"Đã kiểm tra {len(VALID) + 1} tệp: 0 lỗi, 0 cảnh báo — hợp lệ. "
                                            f"Báo cáo: {len(VALID)} chính thức, 0 bản nháp.\n"))


def test_missing_path_is_bad_usage(run_cli: RunCli) -> None:
    r = run_cli("validate", "submissions/khong-co.yaml")
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr == "lỗi: không tìm thấy “submissions/khong-co.yaml”\n"


def test_missing_campaign_is_bad_usage(run_cli: RunCli) -> None:
    r = run_cli("validate", rel(VALID[0]), "--campaign", "khong-co.yaml", cwd=CASES_ROOT)
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr == "lỗi: không tìm thấy tệp đợt báo cáo “khong-co.yaml”\n"


def test_every_cross_field_rule_has_a_case() -> None:
    """Each rule of schema/rules.yaml is broken by at least one case folder."""
    broken: set[str] = set()
    for case in INVALID + WARNING:
        broken |= {p.code for p in check_all(case.campaign, list(case.files)).problems}
    rules = load_rules("rules") + load_rules("campaign_rules")
    assert sorted(r.id for r in rules if r.id not in broken) == []
