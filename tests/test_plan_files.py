"""campaign.yaml names the plan's report schema and rules (`report_schema:`, `rules:`), paths
relative to itself; with --campaign, every default folder is beside the campaign file.

Everything runs through the CLI, from a folder outside the repository, on a campaign in a
temporary folder whose plan files are copies kept in another folder, each with one visible change
(a field title, a rule's message) that proves the copy is read and not the tool's own file.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from conftest import ROOT, RunCli

PLAN_TITLE = "Tên cơ sở Đoàn (mẫu của đợt này)"
PLAN_MESSAGE = "tên đơn vị “{left}” không khớp danh sách (luật riêng của đợt này)"


def _round(tmp_path: Path, extra: str | None = None) -> Path:
    """tmp/dot/campaign.yaml naming tmp/ke-hoach/{bao-cao.schema.json,luat.yaml}, two reports."""
    plan = tmp_path / "ke-hoach"
    plan.mkdir()
    schema = json.loads((ROOT / "schema" / "report.schema.json").read_text(encoding="utf-8"))
    schema["properties"]["unit"]["properties"]["name"]["title"] = PLAN_TITLE
    (plan / "bao-cao.schema.json").write_text(json.dumps(schema, ensure_ascii=False, indent=1), encoding="utf-8")
    rules = (ROOT / "schema" / "rules.yaml").read_text(encoding="utf-8")
    old = rules.split("  - id: unit-name-matches-roster\n", 1)[1].split("    message: ", 1)[1].split("\n", 1)[0]
    rules = rules.replace(old, json.dumps(PLAN_MESSAGE, ensure_ascii=False))
    (plan / "luat.yaml").write_text(rules, encoding="utf-8")

    folder = tmp_path / "dot"
    (folder / "submissions").mkdir(parents=True)
    for name in ("xa-xuan-lap.yaml", "thpt-le-loi.yaml"):
        shutil.copy(ROOT / "submissions" / name, folder / "submissions" / name)
    # A name unlike the roster's: the (changed) rule warns, under the (changed) field title.
    report = folder / "submissions" / "thpt-le-loi.yaml"
    text = report.read_text(encoding="utf-8")
    report.write_text(text.replace('name: "Đoàn trường THPT Lê Lợi"', 'name: "Đoàn trường Lê Lợi"', 1), encoding="utf-8")
    assert report.read_text(encoding="utf-8") != text
    campaign = (ROOT / "campaign.yaml").read_text(encoding="utf-8")
    keys = extra if extra is not None else "report_schema: ../ke-hoach/bao-cao.schema.json\nrules: ../ke-hoach/luat.yaml\n"
    (folder / "campaign.yaml").write_text(campaign + keys, encoding="utf-8")
    return folder / "campaign.yaml"


def test_a_campaign_names_its_schema_and_rules_elsewhere_and_validates(run_cli: RunCli, tmp_path: Path) -> None:
    campaign = _round(tmp_path)
    # Run from another folder: submissions/ is found beside the campaign file, not in the cwd.
    r = run_cli("validate", "--campaign", campaign, cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Đã kiểm tra 3 tệp: 0 lỗi" in r.stdout
    assert f"{PLAN_TITLE}: tên đơn vị “Đoàn trường Lê Lợi” không khớp danh sách (luật riêng của đợt này)" in r.stdout
    assert "Traceback" not in r.stderr


def test_the_build_uses_the_named_plan_and_writes_beside_the_campaign(run_cli: RunCli, tmp_path: Path) -> None:
    campaign = _round(tmp_path)
    r = run_cli("build", "--campaign", campaign, cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    folder = campaign.parent
    for name in ("docs", "site", "build"):
        assert (folder / name).is_dir(), name
    assert not (tmp_path / "site").exists() and not (tmp_path / "docs").exists()
    assert (folder / "site" / "don-vi" / "xa-xuan-lap.html").is_file()
    # The editor's data is the plan's: its schema (with the changed title) and its rules' text.
    data = json.loads((folder / "site" / "schema" / "editor-data.json").read_text(encoding="utf-8"))
    assert data["schema"]["properties"]["unit"]["properties"]["name"]["title"] == PLAN_TITLE
    assert data["rules"] == (tmp_path / "ke-hoach" / "luat.yaml").read_text(encoding="utf-8")
    assert (folder / "site" / "schema" / "rules.yaml").read_bytes() == (tmp_path / "ke-hoach" / "luat.yaml").read_bytes()
    # The plan's schema is outside the campaign's folder: a report names the generic one.
    assert data["campaign"]["schema_url"] == "../schema/report.schema.json"


def test_new_writes_the_named_plans_starter_beside_the_campaign(run_cli: RunCli, tmp_path: Path) -> None:
    campaign = _round(tmp_path)
    r = run_cli("new", "xa-tho-hai", "--campaign", campaign, cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    out = campaign.parent / "submissions" / "xa-tho-hai.yaml"
    text = out.read_text(encoding="utf-8")
    assert PLAN_TITLE in text
    assert "yaml-language-server: $schema=../../ke-hoach/bao-cao.schema.json" in text
    r = run_cli("validate", "--campaign", campaign, cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Đã kiểm tra 4 tệp: 0 lỗi" in r.stdout


def test_a_missing_schema_is_a_vietnamese_error_at_its_line(run_cli: RunCli, tmp_path: Path) -> None:
    campaign = _round(tmp_path, "report_schema: ../ke-hoach/khong-co.schema.json\n")
    line = campaign.read_text(encoding="utf-8").count("\n")  # the key is the last line
    for command in ("validate", "build"):
        r = run_cli(command, "--campaign", campaign, cwd=tmp_path)
        assert r.returncode == 1, r.stdout + r.stderr
        assert "Traceback" not in r.stderr
        assert (f"dot/campaign.yaml:{line}:16: lỗi: Mẫu báo cáo (JSON Schema): không đọc được tệp mẫu báo cáo "
                f"“ke-hoach/khong-co.schema.json”: không có tệp này; kiểm tra tên và thư mục; đường dẫn ở "
                f"“report_schema” tính từ thư mục chứa tệp đợt báo cáo") in r.stdout
    assert not (campaign.parent / "site").exists()
    r = run_cli("new", "xa-tho-hai", "--campaign", campaign, cwd=tmp_path)
    assert r.returncode == 2
    assert "mục report_schema: không đọc được tệp mẫu báo cáo “ke-hoach/khong-co.schema.json”" in r.stderr
    assert "Traceback" not in r.stderr


def test_unreadable_plan_files_are_vietnamese_errors(run_cli: RunCli, tmp_path: Path) -> None:
    campaign = _round(tmp_path, "report_schema: ../ke-hoach/hong.json\nrules: ../ke-hoach/luat-hong.yaml\n")
    plan = tmp_path / "ke-hoach"
    (plan / "hong.json").write_text('{"type": "object", "properties": {', encoding="utf-8")
    (plan / "luat-hong.yaml").write_text("rules:\n  - id: x\n    left: unit.id\n    operator: like\n"
                                         "    severity: error\n    message: m\n", encoding="utf-8")
    r = run_cli("validate", "--campaign", campaign, cwd=tmp_path)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "tệp mẫu báo cáo “ke-hoach/hong.json” không phải JSON hợp lệ (dòng 1)" in r.stdout
    (plan / "hong.json").write_text((ROOT / "schema" / "report.schema.json").read_text(encoding="utf-8"), encoding="utf-8")
    r = run_cli("validate", "--campaign", campaign, cwd=tmp_path)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert ("lỗi: Luật kiểm tra liên trường: tệp luật “ke-hoach/luat-hong.yaml”, luật thứ 1 (x): phép so sánh "
            "(operator) hoặc mức độ (severity) không hợp lệ") in r.stdout


def test_without_the_keys_a_lone_campaign_uses_the_tools_plan(run_cli: RunCli, tmp_path: Path) -> None:
    campaign = _round(tmp_path, "")  # no schema/ beside it: the tool's own files
    r = run_cli("validate", "--campaign", campaign, cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Tên đơn vị: tên đơn vị “Đoàn trường Lê Lợi” khác tên trong danh sách" in r.stdout


def test_the_root_campaign_is_unchanged(run_cli: RunCli) -> None:
    r = run_cli("validate")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Đã kiểm tra 8 tệp: 0 lỗi" in r.stdout


def test_make_validate_takes_the_campaign(tmp_path: Path) -> None:
    campaign = _round(tmp_path)
    r = subprocess.run(["make", "--no-print-directory", "validate", f"CAMPAIGN={campaign}"], cwd=ROOT,
                       capture_output=True, text=True, encoding="utf-8", timeout=300, check=False)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Đã kiểm tra 3 tệp: 0 lỗi" in r.stdout
    assert PLAN_TITLE in r.stdout


def test_a_plan_with_its_schema_but_no_rules_is_told_to_name_them(run_cli: RunCli, tmp_path: Path) -> None:
    campaign = _round(tmp_path, "")
    (campaign.parent / "schema").mkdir()
    shutil.copy(tmp_path / "ke-hoach" / "bao-cao.schema.json", campaign.parent / "schema" / "report.schema.json")
    r = run_cli("validate", "--campaign", campaign, cwd=tmp_path)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert ("dot/campaign.yaml:1:1: lỗi: không đọc được tệp luật “dot/schema/rules.yaml”: không có tệp này; "
            "kiểm tra tên và thư mục; hãy sửa tệp này, hoặc ghi “rules:” trong tệp đợt báo cáo để chỉ tới "
            "một tệp khác") in r.stdout
