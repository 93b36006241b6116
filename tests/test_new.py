"""`python -m generator new UNIT_ID`: a starter report with every field of the schema."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from conftest import TEST_CAMPAIGN, RunCli

from generator.load import load_yaml
from generator.schema import REPORT_SCHEMA, SCHEMA_DIR, load_schema, walk
from generator.starter import StarterError, write_starter
from generator.validate import check_all


def _get(data: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


def test_new_writes_a_file_that_loads_and_validates(run_cli: RunCli, tmp_path: Path) -> None:
    out = tmp_path / "submissions" / "truong-mau.yaml"
    r = run_cli("new", "truong-mau", "--campaign", TEST_CAMPAIGN, "--output", out)
    assert r.returncode == 0, r.stderr
    assert (
        r.stdout
        == f"Đã tạo {out}. Hãy điền nội dung rồi chạy: python -m generator validate {out}\n"
    )
    text = out.read_text(encoding="utf-8")
    assert "# Kiểm tra: python -m generator validate truong-mau.yaml\n" in text  # no machine path
    data = load_yaml(out, schema=REPORT_SCHEMA).data
    assert data["unit"] == {"id": "truong-mau", "name": "Đoàn trường THPT Mẫu", "kind": "school"}
    # A draft, undated, every figure empty: nothing in it can pass for a report or for a zero.
    assert data["status"] == "draft"
    assert data["submission_date"] is None
    assert data["section_1"]["members"] is None
    # It validates: no error; what is left to fill in is listed as warnings.
    v = run_cli("validate", out, "--campaign", TEST_CAMPAIGN)
    assert v.returncode == 0, v.stdout
    assert " lỗi: " not in v.stdout
    assert "Báo cáo: 0 chính thức, 1 bản nháp (bản nháp chưa tính là đã gửi)." in v.stdout


def test_untouched_starter_lists_what_is_left_and_final_makes_it_errors(tmp_path: Path) -> None:
    out = tmp_path / "xa-mau.yaml"
    write_starter(TEST_CAMPAIGN, "xa-mau", out)
    result = check_all(TEST_CAMPAIGN, [out], today=dt.date(2021, 1, 19))
    assert result.error_count == 0
    codes = {p.code for p in result.problems}
    assert codes == {"fill-figures", "fill-numbers", "fill-narratives", "fill-texts", "fill-target-lists"}
    left = {p.field for p in result.problems}
    assert {"Mục I › Số đoàn viên", "Người ký báo cáo › Họ và tên", "Ngày gửi báo cáo"} <= left
    # The same file declared final: the same list, now errors that block it.
    out.write_text(out.read_text(encoding="utf-8").replace('status: "draft"', 'status: "final"'),
                   encoding="utf-8")
    final = check_all(TEST_CAMPAIGN, [out], today=dt.date(2021, 1, 19))
    assert final.warning_count == 0
    assert [(p.field, p.message) for p in final.problems] == [(p.field, p.message) for p in result.problems]


def test_starter_has_every_schema_field_in_schema_order(tmp_path: Path) -> None:
    out = tmp_path / "xa-mau.yaml"
    write_starter(TEST_CAMPAIGN, "xa-mau", out)
    data = load_yaml(out, schema=REPORT_SCHEMA).data
    root = load_schema(REPORT_SCHEMA)
    for path, node in walk(root):
        if any(isinstance(p, int) for p in path):
            continue  # list rows: checked below
        value = _get(data, path)
        if "properties" in node:
            assert list(value) == list(node["properties"]), path
    # One row per year of the period in the yearly appendices; other lists start empty.
    assert [row["year"] for row in data["appendix_4"]] == [2016, 2017, 2018, 2019, 2020]
    assert [row["year"] for row in data["appendix_6"]] == [2016, 2017, 2018, 2019, 2020]
    assert data["appendix_1"] == [] and data["good_models"] == []
    assert data["appendix_4"][0]["own"] == {"classes": None, "participants": None}


def test_starter_comments_and_schema_line(tmp_path: Path) -> None:
    out = tmp_path / "submissions" / "xa-mau.yaml"
    write_starter(TEST_CAMPAIGN, "xa-mau", out)
    text = out.read_text(encoding="utf-8")
    first = text.splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")
    schema_ref = first.split("=", 1)[1]
    assert not Path(schema_ref).is_absolute()
    assert (out.parent / schema_ref).resolve() == (SCHEMA_DIR / REPORT_SCHEMA).resolve()
    # Labels come from the schema: titles, section headings; what an empty figure means.
    assert "# I. KHÁI QUÁT ĐẶC ĐIỂM, TÌNH HÌNH HOẠT ĐỘNG\nsection_1:\n" in text
    assert "  # Số chi đoàn\n  branches:\n" in text
    assert "  situation: |\n" in text
    assert "# Ô để trống là CHƯA ĐIỀN." in text
    assert "  party_committee:\n" in text
    # Empty lists carry a commented example row that becomes valid YAML once uncommented.
    assert "appendix_1: []\n" in text
    assert '#   - type: ""\n' in text


def test_new_refuses_a_unit_not_in_the_roster(run_cli: RunCli, tmp_path: Path) -> None:
    out = tmp_path / "xa-mua.yaml"
    r = run_cli("new", "xa-mua", "--campaign", TEST_CAMPAIGN, "--output", out)
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr == (
        f"lỗi: không có đơn vị “xa-mua” trong danh sách đơn vị của “{TEST_CAMPAIGN}”; "
        "có phải là “xa-mau”?\n"
    )
    assert not out.exists()


def test_new_refuses_to_overwrite(run_cli: RunCli, tmp_path: Path) -> None:
    out = tmp_path / "xa-mau.yaml"
    out.write_text("# đã điền một nửa\n", encoding="utf-8")
    r = run_cli("new", "xa-mau", "--campaign", TEST_CAMPAIGN, "--output", out)
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr == (
        f"lỗi: tệp “{out}” đã có; không ghi đè để khỏi mất nội dung đã điền "
        "(thêm --force nếu thật sự muốn tạo lại từ đầu)\n"
    )
    assert out.read_text(encoding="utf-8") == "# đã điền một nửa\n"
    forced = run_cli("new", "xa-mau", "--campaign", TEST_CAMPAIGN, "--output", out, "--force")
    assert forced.returncode == 0
    assert load_yaml(out, schema=REPORT_SCHEMA).data["unit"]["id"] == "xa-mau"


def test_new_with_an_unreadable_campaign(run_cli: RunCli, tmp_path: Path) -> None:
    campaign = tmp_path / "campaign.yaml"
    campaign.write_text("units: [xa-mau\n", encoding="utf-8")
    r = run_cli("new", "xa-mau", "--campaign", campaign, "--output", tmp_path / "xa-mau.yaml")
    assert r.returncode == 2
    assert r.stderr.startswith(
        f"lỗi: không đọc được tệp đợt báo cáo “{campaign}”: dòng 2: lỗi cú pháp YAML"
    )
    missing = run_cli(
        "new", "xa-mau", "--campaign", tmp_path / "khong-co.yaml", "--output", tmp_path / "x.yaml"
    )
    assert missing.returncode == 2
    assert missing.stderr == f"lỗi: không tìm thấy tệp đợt báo cáo “{tmp_path / 'khong-co.yaml'}”\n"


def test_starter_error_is_raised_by_the_library(tmp_path: Path) -> None:
    with pytest.raises(StarterError):
        write_starter(TEST_CAMPAIGN, "khong-co", tmp_path / "khong-co.yaml")


def test_new_with_a_malformed_plan_and_period_writes_a_starter_not_a_traceback(
    run_cli: RunCli, tmp_path: Path
) -> None:
    # `validate` reports such a campaign file; `new` must not crash on it meanwhile.
    campaign = tmp_path / "campaign.yaml"
    text = TEST_CAMPAIGN.read_text(encoding="utf-8")
    text = text.replace('plan:\n  number: "161-KH/ĐTN"', 'plan: "161-KH/ĐTN"\nold_plan:\n  number: "x"')
    text = text.replace("period:\n  start: 2016\n  end: 2020\n", 'period: "2016-2020"\n')
    assert 'plan: "161-KH/ĐTN"' in text and 'period: "2016-2020"' in text
    campaign.write_text(text, encoding="utf-8")
    out = tmp_path / "xa-mau.yaml"
    r = run_cli("new", "xa-mau", "--campaign", campaign, "--output", out)
    assert (r.returncode, r.stderr) == (0, "")
    assert load_yaml(out, schema=REPORT_SCHEMA).data["unit"]["id"] == "xa-mau"
