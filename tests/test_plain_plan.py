"""A plan this project has never seen, written as a plain JSON Schema with titles and no `x-`
annotation, builds a useful site, Word reports and workbook through the CLI (issue 18).

The plan is written here: two parts (a section with a few numbers and a text, and a list of
activities, an array of objects), two units, two final reports. Without annotations every number
is summed with how many units gave it, every text is compiled by part, and every array of
objects is a table per unit; the values each unit wrote appear in the pages and documents.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from test_browser import Visit, browser, serving  # noqa: F401  (fixture)

ROOT = Path(__file__).resolve().parent.parent

SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://example.org/ke-hoach-he/report.schema.json",
    "title": "Báo cáo hoạt động hè",
    "type": "object",
    "additionalProperties": False,
    "required": ["unit", "signer", "status", "submission_date", "ket_qua", "hoat_dong"],
    "properties": {
        "unit": {
            "type": "object", "title": "Đơn vị", "additionalProperties": False,
            "required": ["id", "name", "kind"],
            "properties": {
                "id": {"type": "string", "title": "Mã đơn vị", "pattern": "^[a-z0-9-]+$"},
                "name": {"type": "string", "title": "Tên đơn vị"},
                "kind": {"title": "Loại đơn vị", "oneOf": [
                    {"const": "commune", "title": "Xã"}, {"const": "school", "title": "Trường học"}]},
            },
        },
        "signer": {
            "type": "object", "title": "Người ký", "additionalProperties": False,
            "required": ["name", "position"],
            "properties": {"name": {"type": "string", "title": "Họ và tên"},
                           "position": {"type": "string", "title": "Chức vụ"}},
        },
        "status": {"title": "Trạng thái", "oneOf": [
            {"const": "draft", "title": "Bản nháp"}, {"const": "final", "title": "Chính thức"}]},
        "submission_date": {"type": ["string", "null"], "format": "date", "title": "Ngày gửi"},
        "ket_qua": {
            "type": "object", "title": "I. Kết quả hoạt động hè", "additionalProperties": False,
            "required": ["so_hoat_dong", "so_nguoi", "danh_gia"],
            "properties": {
                "so_hoat_dong": {"type": "integer", "minimum": 0, "title": "Số hoạt động"},
                "so_nguoi": {"type": "integer", "minimum": 0, "title": "Số thiếu nhi tham gia"},
                "danh_gia": {"type": "string", "title": "Đánh giá chung", "x-multiline": True},
            },
        },
        "hoat_dong": {
            "type": "array", "title": "II. Các hoạt động", "maxItems": 20,
            "items": {
                "type": "object", "title": "Hoạt động", "additionalProperties": False,
                "required": ["ten", "luot"],
                "properties": {"ten": {"type": "string", "title": "Tên hoạt động"},
                               "luot": {"type": "integer", "minimum": 0, "title": "Lượt tham gia"}},
            },
        },
    },
}
SCHEMA["properties"]["ket_qua"]["properties"]["danh_gia"].pop("x-multiline")  # no annotation at all

CAMPAIGN = {
    "plan": {"number": "12-KH/ĐTN", "date": "2025-05-20", "title": "Kế hoạch hoạt động hè 2025",
             "issuer": "BCH Đoàn huyện Nga Sơn"},
    "reviewing_organisation": "Ban Thường vụ Huyện Đoàn Nga Sơn",
    "report_schema": "plan/report.schema.json",
    "rules": "plan/rules.yaml",
    "period": {"start": 2025, "end": 2025},
    "deadline": "2025-08-31",
    "sample_data": True,
    "repository": {"url": "https://github.com/example/he-2025", "branch": "main"},
    "units": [
        {"id": "xa-nga-an", "name": "Đoàn xã Nga An", "kind": "commune", "editors": ["nga-an"]},
        {"id": "thcs-nga-son", "name": "Liên đội THCS Nga Sơn", "kind": "school", "editors": ["thcs"]},
    ],
    "reviewers": ["huyen-doan"],
}
REPORTS = {
    "xa-nga-an": {"so_hoat_dong": 12, "so_nguoi": 340, "danh_gia": "Sân chơi hè ở 5 thôn.",
                  "hoat_dong": [{"ten": "Bơi an toàn", "luot": 120}, {"ten": "Trại hè", "luot": 80}]},
    "thcs-nga-son": {"so_hoat_dong": 7, "so_nguoi": 215, "danh_gia": "Câu lạc bộ đọc sách mở cả hè.",
                     "hoat_dong": [{"ten": "Đọc sách hè", "luot": 95}]},
}


def _report(uid: str) -> dict[str, Any]:
    unit = next(u for u in CAMPAIGN["units"] if u["id"] == uid)
    r = REPORTS[uid]
    return {
        "unit": {"id": uid, "name": unit["name"], "kind": unit["kind"]},
        "signer": {"name": "Nguyễn Văn An", "position": "Bí thư"},
        "status": "final",
        "submission_date": "2025-08-20",
        "ket_qua": {k: r[k] for k in ("so_hoat_dong", "so_nguoi", "danh_gia")},
        "hoat_dong": r["hoat_dong"],
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("plain-plan")
    (base / "plan").mkdir()
    (base / "plan" / "report.schema.json").write_text(
        json.dumps(SCHEMA, ensure_ascii=False, indent=2), encoding="utf-8")
    (base / "plan" / "rules.yaml").write_text("rules: []\n", encoding="utf-8")
    (base / "campaign.yaml").write_text(yaml.safe_dump(CAMPAIGN, allow_unicode=True), encoding="utf-8")
    (base / "submissions").mkdir()
    for uid in REPORTS:
        (base / "submissions" / f"{uid}.yaml").write_text(
            yaml.safe_dump(_report(uid), allow_unicode=True, sort_keys=False), encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--campaign", str(base / "campaign.yaml"),
         "--submissions", str(base / "submissions"), "--docs", str(base / "docs"),
         "--site", str(base / "site"), "--config-dir", str(base / "build")],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    return base


def _text(html: Path) -> str:
    sys.path.insert(0, str(ROOT / "tools"))
    from site_text import page_text

    return page_text(html.read_text(encoding="utf-8")).replace("| ", "")  # cells as lines


def test_every_number_is_summed_with_how_many_units_gave_it(built: Path) -> None:
    summary = _text(built / "site" / "index.html")
    assert "Số hoạt động\n19\n2/2" in summary  # 12 + 7, from both final reports
    assert "Số thiếu nhi tham gia\n555\n2/2" in summary  # 340 + 215


def test_every_text_is_compiled_by_part_and_every_list_is_a_table_per_unit(built: Path) -> None:
    section = next((built / "site" / "muc").glob("i-*.html"))
    text = _text(section)
    assert "Sân chơi hè ở 5 thôn." in text and "Câu lạc bộ đọc sách mở cả hè." in text
    unit = _text(built / "site" / "don-vi" / "xa-nga-an.html")
    assert "Tên hoạt động\nLượt tham gia" in unit
    assert "Bơi an toàn" in unit and "Trại hè" in unit and "120" in unit
    # The list, compiled by unit on a page of its own, which the summary links to.
    summary = (built / "site" / "index.html").read_text(encoding="utf-8")
    pages = sorted(set(re.findall(r'href="(tong-hop/[^"#/]+\.html)"', summary)))
    assert pages, "the summary links to no page of a list"
    assert any("Đọc sách hè" in _text(built / "site" / p) for p in pages), pages


def test_word_reports_and_workbook_hold_the_values(built: Path) -> None:
    import docx
    import openpyxl

    tai_ve = built / "site" / "tai-ve"
    unit_doc = docx.Document(str(tai_ve / "word" / "thcs-nga-son.docx"))
    words = "\n".join(p.text for p in unit_doc.paragraphs) + "\n".join(
        c.text for t in unit_doc.tables for row in t.rows for c in row.cells)
    for value in ("Câu lạc bộ đọc sách mở cả hè.", "Đọc sách hè", "215", "95"):
        assert value in words, value
    district = docx.Document(str(tai_ve / "du-thao-bao-cao-tong-ket.docx"))
    district_text = "\n".join(p.text for p in district.paragraphs)
    assert "555" in district_text and "Sân chơi hè ở 5 thôn." in district_text
    wb = openpyxl.load_workbook(str(tai_ve / "phu-luc.xlsx"))
    cells = {c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None}
    assert {12, 7, 340, 215} <= cells


def test_the_downloads_hold_the_values(built: Path) -> None:
    tai_ve = built / "site" / "tai-ve"
    outline = (tai_ve / "so-lieu-de-cuong.csv").read_text(encoding="utf-8-sig")
    assert "xa-nga-an,Đoàn xã Nga An,12,340" in outline
    reports = (tai_ve / "bao-cao.json").read_bytes()
    if reports[:2] == b"PK":
        reports = zipfile.ZipFile(io.BytesIO(reports)).read("bao-cao.json")
    assert json.loads(reports)["submissions"][0]["report"]["hoat_dong"]


# --- the editor ----------------------------------------------------------------------------------
# With no `x-heading` anywhere, the form still goes in steps: the unit and the signer, then one
# step per part of the outline by its title, then "Hoàn tất"; and it checks a report as the CLI did.

@pytest.fixture(scope="module")
def served(built: Path) -> Iterator[str]:
    with serving(built / "site") as base:
        yield base


def test_the_editor_goes_in_steps_by_the_parts_titles(browser: Any, served: str, built: Path) -> None:  # noqa: F811
    v = Visit(browser, served)
    v.page.set_viewport_size({"width": 390, "height": 844})
    try:
        pg = v.open("nop-truc-tuyen.html")
        pg.locator(".ed-chip[data-state]").first.wait_for()
        steps = pg.locator(".ed-chip").evaluate_all("cs => cs.map(c => c.dataset.step)")
        assert steps == ["unit", "ket_qua", "hoat_dong", "finish"], steps
        for key in ("ket_qua", "hoat_dong"):
            pg.click(f".ed-chip[data-step='{key}']")
            step = pg.locator(f".ed-step[data-step='{key}']:not([hidden])")
            step.wait_for()
            assert step.locator("h2").inner_text().strip() == SCHEMA["properties"][key]["title"]
        labels = pg.locator(".ed-step[data-step='ket_qua']").inner_text()
        for field in SCHEMA["properties"]["ket_qua"]["properties"].values():
            assert field["title"] in labels, field["title"]
        report = built / "submissions" / "xa-nga-an.yaml"
        pg.set_input_files("#ed-file", str(report))
        pg.locator(".ed-note", has_text=f"Đã nạp {report.name}").wait_for()
        pg.click(".ed-chip[data-step='finish']")
        pg.locator("#ed-verdict.ed-good").wait_for()
        assert pg.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        v.close()
    assert v.errors == [], v.errors
    assert v.outside == [], v.outside
