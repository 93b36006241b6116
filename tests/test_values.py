"""The schema, not YAML 1.1, decides what a value means (issue 8).

A plain scalar is text until the schema says its field's type; then generator.load's number
rules convert it. The exact messages are pinned by tests/cases/; here: the rules' properties
(every piece of advice is accepted on the next run), the schema shapes still to come (a figure
or a "no data" text, a status choice), and the hardening that has no single case file.
"""

from __future__ import annotations

import math
import os
import random
import re
import subprocess
import time
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from conftest import CASES, ROOT, TEST_CAMPAIGN, RunCli

from generator.load import ValueError_, convert_plain, parse_yaml
from generator.schema import REPORT_SCHEMA, Shape, shape, shape_of
from generator.validate import check_report

BASE = (CASES / "valid" / "xa-mau.yaml").read_text(encoding="utf-8")
INTEGER = shape(REPORT_SCHEMA).props["section_1"].props["branches"]
DECIMAL = shape(REPORT_SCHEMA).props["appendix_5"].props["health_insurance_rate"]
ADVICE = re.compile(r"(?:hãy viết(?: liền các chữ số:)?|hãy bỏ dấu ngoặc:) (-?[0-9]+(?:[.,][0-9]+)?)")


def _advice(message: str) -> list[str]:
    return ADVICE.findall(message)


@pytest.mark.parametrize("field", [INTEGER, DECIMAL], ids=["integer", "decimal"])
def test_every_advice_is_accepted_on_the_next_run(field: Shape) -> None:
    """Random numbers as people type them: whatever a message says to write is then accepted."""
    rng = random.Random(8)
    alphabet = "0123456789" * 3 + ".,-% :e_x"
    advised = 0
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 9))).strip()
        try:
            value = convert_plain(text, field)
        except ValueError_ as e:
            assert "\n" not in str(e)
            for fix in _advice(str(e)):
                advised += 1
                fixed = convert_plain(fix, field)  # must not raise
                assert isinstance(fixed, (int, float)) and math.isfinite(fixed), (text, fix)
            continue
        assert value is None or (isinstance(value, (int, float)) and math.isfinite(value)), text
        if field is INTEGER and value is not None:
            assert isinstance(value, int) and str(value) == text, text  # digits only, as written
    assert advised > 500


@pytest.mark.parametrize(("text", "value"), [
    ("16", 16), ("0", 0), ("-3", -3), ("", None), ("null", None), ("~", None),
])
def test_integer_fields(text: str, value: Any) -> None:
    assert convert_plain(text, INTEGER) == value


@pytest.mark.parametrize(("text", "value"), [
    ("78.5", 78.5), ("78,5", 78.5), ("0,004", 0.004), ("1,2550", 1.255), ("1650", 1650), ("100", 100),
])
def test_decimal_fields(text: str, value: Any) -> None:
    assert convert_plain(text, DECIMAL) == value


@pytest.mark.parametrize("text", ["010", "0x10", "0o17", "1:30", "1.000", "1,200", "1_000", ".nan", ".inf",
                                  "-.inf", "1e3", "08", "1.5", "yes", "+5", "12%"])
def test_integer_fields_refuse(text: str) -> None:
    with pytest.raises(ValueError_):
        convert_plain(text, INTEGER)


@pytest.mark.parametrize("text", ["1.650", "1,650", ".nan", "NaN", ".inf", "1e3", "8.86E1", "1.2.3", "0x1F",
                                  "1:30:00", "78,5%", "05,5", "on"])
def test_decimal_fields_refuse(text: str) -> None:
    with pytest.raises(ValueError_):
        convert_plain(text, DECIMAL)


NEXT_FORMAT: dict[str, Any] = {  # the shapes of the report format being written in another branch
    "$defs": {
        "count": {"type": "integer", "minimum": 0},
        "no_data": {"type": "string", "enum": ["không có số liệu", "không áp dụng"]},
    },
    "type": "object",
    "properties": {
        "status": {"oneOf": [{"const": "draft", "title": "Bản nháp"}, {"const": "final", "title": "Chính thức"}]},
        "branches": {"type": ["integer", "null"], "minimum": 0},
        "members": {"anyOf": [{"$ref": "#/$defs/count"}, {"$ref": "#/$defs/no_data"}]},
        "target": {"anyOf": [{"$ref": "#/$defs/count"}, {"$ref": "#/$defs/no_data"}, {"const": "không giao chỉ tiêu"}]},
        "group": {"anyOf": [{"type": "object", "properties": {"count": {"$ref": "#/$defs/count"}}},
                            {"$ref": "#/$defs/no_data"}]},
        "note": {"type": "string"},
        "flag": {"type": "boolean"},
    },
}


def test_unions_of_a_figure_and_a_no_data_text() -> None:
    s = shape_of(NEXT_FORMAT)
    members, target, group = s.props["members"], s.props["target"], s.props["group"]
    assert convert_plain("không có số liệu", members) == "không có số liệu"
    assert convert_plain("không giao chỉ tiêu", target) == "không giao chỉ tiêu"
    assert convert_plain("12", members) == 12
    assert convert_plain("", members) is None
    with pytest.raises(ValueError_, match="“không có số liệu”, “không áp dụng”"):
        convert_plain("chưa có", members)
    with pytest.raises(ValueError_, match="hãy viết 12"):
        convert_plain("012", members)
    assert convert_plain("không áp dụng", group) == "không áp dụng"
    assert convert_plain("3", group.props["count"]) == 3
    assert convert_plain("", s.props["branches"]) is None
    assert convert_plain("draft", s.props["status"]) == "draft"
    assert convert_plain("yes", s.props["status"]) == "yes"  # not a choice: the schema says so
    assert convert_plain("true", s.props["flag"]) is True
    with pytest.raises(ValueError_):
        convert_plain("yes", s.props["flag"])
    for word in ("yes", "no", "on", "off", "null", "~", "010", "1:30", ".nan", "2021-01-15"):
        assert convert_plain(word, s.props["note"]) == word


def test_yaml_11_words_stay_text_in_text_fields(tmp_path: Path) -> None:
    text = BASE.replace('    note: ""', "    note: no", 1).replace('  position: "Bí thư Đoàn xã"', "  position: on", 1)
    (tmp_path / "xa-mau.yaml").write_text(text, encoding="utf-8")
    report = check_report(tmp_path / "xa-mau.yaml", None, "2021-01-15")
    assert report.data is not None and report.problems == []
    assert report.data["signer"]["position"] == "on"
    assert [row["note"] for row in report.data["appendix_4"]][:5].count("no") == 1


def test_text_is_stored_in_nfc(tmp_path: Path) -> None:
    decomposed = unicodedata.normalize("NFD", "Lê Thị Hằng")
    assert decomposed != "Lê Thị Hằng"
    loaded = parse_yaml(f'name: "{decomposed}"\n{decomposed}: 1\n', "x.yaml")
    assert loaded.data == {"name": "Lê Thị Hằng", "Lê Thị Hằng": "1"}


def test_a_hundred_thousand_unknown_keys_validate_quickly(run_cli: RunCli, tmp_path: Path) -> None:
    """Under the 1 MB limit; it took minutes when every problem was located by a linear search."""
    keys = "".join(f"k{i}:\n" for i in range(100_000))
    (tmp_path / "xa-mau.yaml").write_text(BASE.replace("unit:\n", keys + "unit:\n", 1), encoding="utf-8")
    start = time.perf_counter()
    r = run_cli("validate", "xa-mau.yaml", "--campaign", TEST_CAMPAIGN, cwd=tmp_path)
    elapsed = time.perf_counter() - start
    lines = r.stdout.splitlines()
    assert len(lines) == 102 and lines[-2].startswith("xa-mau.yaml: … và 99900 lỗi khác")
    assert lines[-1] == "Đã kiểm tra 2 tệp: 100000 lỗi, 0 cảnh báo — KHÔNG hợp lệ. Báo cáo: 1 chính thức, 0 bản nháp."
    assert elapsed < 20, elapsed  # about 1.5 s on an idle machine; a CI step allows minutes


def test_a_long_list_of_bad_rows_stops_counting(run_cli: RunCli, tmp_path: Path) -> None:
    rows = "".join(f"  - year: {2016 + i % 5}\n" for i in range(60_000))
    (tmp_path / "xa-mau.yaml").write_text(f"appendix_4:\n{rows}", encoding="utf-8")
    start = time.perf_counter()
    r = run_cli("validate", "xa-mau.yaml", "--campaign", TEST_CAMPAIGN, cwd=tmp_path)
    assert time.perf_counter() - start < 20
    assert re.search(r"^xa-mau.yaml: … và hơn 1[0-9]{4} lỗi khác", r.stdout, re.MULTILINE)


def test_folder_entries_with_bad_names_are_reported_by_name(run_cli: RunCli, tmp_path: Path) -> None:
    sub = tmp_path / "submissions"
    sub.mkdir()
    (sub / "xa-mau.yaml").write_text(BASE, encoding="utf-8")
    (sub / "thi-tran-mau.YML").write_text("a: 1\n", encoding="utf-8")
    (sub / "cong-ty-mau.yaml").mkdir()
    (sub / "truong mau.yaml").write_text("a: 1\n", encoding="utf-8")
    (sub / "truong-mau.yaml ").write_text("a: 1\n", encoding="utf-8")
    (sub / "x\\truong-mau.yml").write_text("a: 1\n", encoding="utf-8")
    os.symlink(tmp_path / "elsewhere.yaml", sub / "lien-ket.yaml")  # dangling: never read through
    (sub / "README.md").write_text("not a report\n", encoding="utf-8")
    r = run_cli("validate", "submissions", "--campaign", TEST_CAMPAIGN, cwd=tmp_path)
    reported = sorted(line.split(":0:0: lỗi: ")[0] for line in r.stdout.splitlines() if ":0:0: lỗi: " in line)
    assert reported == sorted(f"submissions/{n}" for n in [
        "thi-tran-mau.YML", "cong-ty-mau.yaml", "truong mau.yaml", "truong-mau.yaml ", "x\\truong-mau.yml",
        "lien-ket.yaml"])
    assert r.stdout.splitlines()[-1] == "Đã kiểm tra 8 tệp: 6 lỗi, 0 cảnh báo — KHÔNG hợp lệ. Báo cáo: 1 chính thức, 0 bản nháp."


def test_build_from_a_missing_folder_is_an_error(run_cli: RunCli, tmp_path: Path) -> None:
    r = run_cli("build", "--submissions", str(tmp_path / "khong-co"), "--docs", str(tmp_path / "docs"),
                "--site", str(tmp_path / "site"))
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr == f"lỗi: không tìm thấy thư mục báo cáo “{tmp_path / 'khong-co'}”\n"
    assert not (tmp_path / "docs").exists()


def test_codeowners_refuses_an_invalid_campaign(run_cli: RunCli, tmp_path: Path) -> None:
    campaign = (CASES / "invalid" / "campaign-login-trailing-newline" / "campaign.yaml")
    out = tmp_path / "CODEOWNERS"
    r = run_cli("codeowners", "--campaign", campaign, "--output", out)
    assert r.returncode == 1 and r.stdout == "" and not out.exists()
    assert r.stderr.splitlines()[-1] == f"lỗi: tệp đợt báo cáo có 1 lỗi; hãy sửa rồi chạy lại, {out} chưa được ghi"
    assert "Tài khoản được sửa báo cáo › dòng 1: “xamau-doan ” không đúng định dạng" in r.stderr


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"})


def test_outsider_may_add_but_not_change_an_open_units_report(run_cli: RunCli, tmp_path: Path) -> None:
    """Through git, as CI runs it: adding xa-xuan-tin's report passes; changing xa-xuan-hong's fails."""
    repo = tmp_path / "repo"
    (repo / "submissions").mkdir(parents=True)
    (repo / "campaign.yaml").write_bytes((ROOT / "campaign.yaml").read_bytes())
    (repo / "submissions" / "xa-xuan-hong.yaml").write_text("a: 1\n", encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "base")
    git(repo, "checkout", "-qb", "pr")
    (repo / "submissions" / "xa-xuan-tin.yaml").write_text("a: 1\n", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "add")
    added = run_cli("check-ownership", "--author", "nguoi-ngoai", "--base", "main", cwd=repo)
    assert (added.returncode, added.stdout) == (0, "Tài khoản @nguoi-ngoai sửa 1 tệp, đều được phép.\n")
    (repo / "submissions" / "xa-xuan-hong.yaml").write_text("a: 2\n", encoding="utf-8")
    git(repo, "commit", "-qam", "change")
    changed = run_cli("check-ownership", "--author", "nguoi-ngoai", "--base", "main", cwd=repo)
    assert changed.returncode == 1
    assert changed.stdout.startswith("submissions/xa-xuan-hong.yaml: lỗi: tài khoản @nguoi-ngoai không có trong")
    assert "sửa, đổi tên hay xóa báo cáo đã có cần người duyệt (@huyendoan-thoxuan, @btv-huyendoan)" in changed.stdout


def test_a_comment_is_reported_only_after_free_text(tmp_path: Path) -> None:
    """After a choice or a date nothing is lost; after text the rest of the sentence would be."""
    text = (BASE.replace("  kind: commune\n", "  kind: commune  # Xã\n", 1)
            .replace('submission_date: "2021-01-15"', "submission_date: 2021-01-15  # ngày gửi", 1)
            .replace("  branches: 16\n", "  branches: 16  # gồm 12 chi đoàn thôn\n", 1))
    (tmp_path / "xa-mau.yaml").write_text(text, encoding="utf-8")
    report = check_report(tmp_path / "xa-mau.yaml", None, "2021-01-15")
    assert report.problems == []
    assert report.data is not None and report.data["submission_date"] == "2021-01-15"
