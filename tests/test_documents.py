"""The Word and Excel documents, built as a user builds the site (`python -m generator build`) and
opened with python-docx, openpyxl and LibreOffice, as the district office opens them."""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
import yaml
from docx.oxml.ns import qn
from test_site_build import (
    HOSTILE,
    SAMPLES,
    article,
    build,
    copy_samples,
    hostile_fixture,
    missing_values,
    norm,
)

from generator.documents import layout
from generator.render import number
from generator.schema import REPORT_SCHEMA, load_schema
from generator.site import build_markdown
from generator.validate import check_report

TAI_VE = Path("tai-ve")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample site, with one Appendix 1 summary that looks like a formula and one figure
    the unit honestly does not have."""
    tmp = copy_samples(tmp_path_factory.mktemp("documents"))
    f = tmp / "submissions" / "xa-xuan-lap.yaml"
    data = yaml.safe_load(f.read_text(encoding="utf-8"))
    data["appendix_1"][0]["summary"] = '=HYPERLINK("http://x.invalid","bấm")'
    data["appendix_5"]["health_insurance_rate"] = "không có số liệu"
    f.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    r = build(tmp)
    assert r.returncode == 0, r.stdout + r.stderr
    return tmp


def _data(sample: Path) -> dict:
    return yaml.safe_load(sample.read_text(encoding="utf-8"))


def doc_text(path: Path) -> str:
    """Every paragraph of a .docx, tables, headers and footers included, as one line of text."""
    d = docx.Document(str(path))
    parts = []
    for s in d.sections:
        for part in (s.header, s.footer):
            if not part.is_linked_to_previous:
                parts += [p.text for p in part.paragraphs]
    parts += ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in d.element.body.iter(qn("w:p"))]
    return norm(" ".join(parts))


def unit_doc(site: Path, uid: str) -> Path:
    return site / "site" / TAI_VE / "word" / f"{uid}.docx"


def test_unit_page_offers_its_word_report_and_summary_the_district_files(built: Path) -> None:
    for sample in SAMPLES:
        uid = _data(sample)["unit"]["id"]
        _, tags = article(built / "site" / "don-vi" / f"{uid}.html")
        links = [dict(a) for t, a in tags if t == "a"]
        assert any(a.get("href") == f"../tai-ve/word/{uid}.docx" for a in links), uid
        assert unit_doc(built, uid).is_file()
    _, tags = article(built / "site" / "index.html")
    hrefs = {dict(a).get("href") for t, a in tags if t == "a"}
    assert "tai-ve/du-thao-bao-cao-tong-ket.docx" in hrefs
    assert "tai-ve/phu-luc.xlsx" in hrefs
    assert "Tải bản Word để in, ký" in article(built / "site" / "don-vi" / "xa-xuan-lap.html")[0]


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.stem for s in SAMPLES])
def test_every_value_of_every_sample_is_in_its_word_report(built: Path, sample: Path) -> None:
    data = yaml.safe_load((built / "submissions" / sample.name).read_text(encoding="utf-8"))
    text = doc_text(unit_doc(built, data["unit"]["id"]))
    missing = missing_values(data, text)
    assert not missing, missing[:10]


def test_word_reports_follow_the_outline_and_the_source_layout(built: Path) -> None:
    schema = load_schema(REPORT_SCHEMA)
    headings = []
    for node in schema["properties"].values():
        headings += node.get("x-parents", [])
        if "x-heading" in node:
            headings.append(node["x-heading"])
    headings = list(dict.fromkeys(headings))
    for path in (unit_doc(built, "xa-xuan-lap"), built / "site" / TAI_VE / "du-thao-bao-cao-tong-ket.docx"):
        text = doc_text(path)
        positions = [text.find(norm(h)) for h in headings]
        assert all(p >= 0 for p in positions), [h for h, p in zip(headings, positions) if p < 0]
        assert positions == sorted(positions), path.name
        # The source's header, title and closing, in its order.
        marks = ["***", "Số:", "Thọ Xuân, ngày", "BÁO CÁO", "Nơi nhận:"]
        at = [text.find(m) for m in marks]
        assert all(p >= 0 for p in at) and at == sorted(at), (path.name, at)
        d = docx.Document(str(path))
        assert [s.orientation for s in d.sections][-1] == 1  # the appendices are landscape
        assert round(d.sections[0].page_width.mm) == 210  # A4
        assert round(d.sections[0].page_height.mm) == 297
        style = d.styles["Normal"].element.xpath("//w:rFonts")[0]
        assert style.get(qn("w:ascii")) == "Times New Roman"
    unit = doc_text(unit_doc(built, "xa-xuan-lap"))
    assert "Ngày 15 tháng 01 năm 2021".lower() in unit.lower()
    assert "TM. BAN CHẤP HÀNH" in unit
    district = doc_text(built / "site" / TAI_VE / "du-thao-bao-cao-tong-ket.docx")
    assert "Tỉnh Đoàn Thanh Hóa" in district and "BCH Đoàn huyện Thọ Xuân" in district  # campaign.yaml


def _merged(table: docx.table.Table, r: int, c0: int, c1: int) -> bool:
    return table.cell(r, c0)._tc is table.cell(r, c1)._tc


def test_appendix_headers_are_merged_as_in_the_source(built: Path) -> None:
    d = docx.Document(str(unit_doc(built, "xa-xuan-lap")))
    a2 = next(t for t in d.tables if t.cell(0, 0).text == "Bí thư, Phó Bí thư Đoàn")
    assert _merged(a2, 0, 0, 5) and not _merged(a2, 0, 5, 6)  # a group over its six columns
    assert a2.cell(1, 1).text == "Chuyên môn" and _merged(a2, 1, 1, 3)
    assert a2.cell(2, 1).text == "Thạc sỹ"
    count = a2.cell(1, 0)._tc  # "Số lượng" spans the two lower header rows
    assert count.vMerge == "restart" and a2.rows[2]._tr.tc_lst[0].vMerge == "continue"
    wb = openpyxl.load_workbook(built / "site" / TAI_VE / "phu-luc.xlsx")
    ws = wb["Phụ lục 2"]
    ranges = {str(r) for r in ws.merged_cells.ranges}
    assert {"A4:A6", "B4:B6", "C4:H4", "I4:N4", "O4:T4", "D5:F5", "G5:H5", "C5:C6"} <= ranges
    assert ws["C4"].value == "Bí thư, Phó Bí thư Đoàn" and ws["D6"].value == "Thạc sỹ"
    assert ws.freeze_panes == "C7"
    ws5 = wb["Phụ lục 5"]
    assert {"C4:D4", "E4:F4", "I4:J4", "G4:G5"} <= {str(r) for r in ws5.merged_cells.ranges}
    assert wb["Phụ lục 4"].freeze_panes == "C6"


def test_workbook_stores_numbers_as_numbers_and_text_as_text(built: Path) -> None:
    path = built / "site" / TAI_VE / "phu-luc.xlsx"
    wb = openpyxl.load_workbook(path)
    finals = [_data(s) for s in SAMPLES if _data(s)["status"] == "final"]
    ws = wb["Phụ lục 2"]
    ids = [ws.cell(r, 1).value for r in range(7, 7 + len(finals))]
    assert set(ids) == {d["unit"]["id"] for d in finals}  # final reports only, in roster order
    first = yaml.safe_load((built / "submissions" / "xa-xuan-lap.yaml").read_text(encoding="utf-8"))
    row = ids.index("xa-xuan-lap") + 7
    cell = ws.cell(row, 3)
    assert cell.data_type == "n" and cell.value == first["appendix_2"]["secretaries"]["count"]
    assert cell.number_format == "#,##0"
    # The total row sums the final reports.
    total = ws.cell(7 + len(finals), 3)
    assert total.value == sum(d["appendix_2"]["secretaries"]["count"] for d in finals)
    # A formula-looking text stays text, as written.
    a1 = wb["Phụ lục 1"]
    cells = [c for row in a1.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")]
    assert [c.value for c in cells] == ['=HYPERLINK("http://x.invalid","bấm")']
    assert cells[0].data_type == "s"
    with zipfile.ZipFile(path) as z:
        assert not any("<f>" in z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets"))
    # "No data" in words, never 0; a percentage as a number.
    ws5 = wb["Phụ lục 5"]
    header = [ws5.cell(4, c).value for c in range(1, ws5.max_column + 1)]
    col = header.index("Tỷ lệ ĐV, TN tham gia BHYT (%)") + 1
    r5 = [ws5.cell(r, 1).value for r in range(1, ws5.max_row + 1)].index("xa-xuan-lap") + 1
    assert ws5.cell(r5, col).value == "Không có số liệu"
    other = [ws5.cell(r, 1).value for r in range(1, ws5.max_row + 1)].index("thi-tran-tho-xuan") + 1
    assert ws5.cell(other, col).data_type == "n"
    # The status sheet: every roster unit, drafts as "Đang soạn".
    st = wb["Tình hình gửi"]
    statuses = {st.cell(r, 1).value: st.cell(r, 4).value for r in range(5, st.max_row + 1)}
    campaign = yaml.safe_load((built / "campaign.yaml").read_text(encoding="utf-8"))
    assert set(statuses) == {u["id"] for u in campaign["units"]}
    assert "Đang soạn" in statuses.values() and "Chưa gửi" in statuses.values()
    assert st.freeze_panes == "C5"
    # The outline's figures per unit, under their section.
    ol = wb["Số liệu đề cương"]
    row = [ol.cell(r, 1).value for r in range(1, ol.max_row + 1)].index("xa-xuan-lap") + 1
    labels = [ol.cell(4, c).value for c in range(1, ol.max_column + 1)]
    assert ol.cell(row, labels.index("Số đoàn viên") + 1).value == first["section_1"]["members"]


def test_no_data_is_in_words_in_the_word_report(built: Path) -> None:
    d = docx.Document(str(unit_doc(built, "xa-xuan-lap")))
    a5 = next(t for t in d.tables if t.cell(0, 0).text.startswith("Tỷ lệ thu hút"))
    values = [c.text for c in a5.rows[-1].cells]
    assert values[9] == "Không có số liệu"


def test_drafts_are_marked_on_every_page_and_finals_are_not(built: Path) -> None:
    drafts = [_data(s)["unit"]["id"] for s in SAMPLES if _data(s)["status"] == "draft"]
    finals = [_data(s)["unit"]["id"] for s in SAMPLES if _data(s)["status"] == "final"]
    assert drafts and finals
    for uid in drafts:
        d = docx.Document(str(unit_doc(built, uid)))
        for s in d.sections:  # the header is on every page of every section
            assert not s.header.is_linked_to_previous
            assert "BẢN NHÁP" in " ".join(p.text for p in s.header.paragraphs)
        html = article(built / "site" / "don-vi" / f"{uid}.html")[0]
        assert "Tải bản Word để in, ký (bản nháp)" in html
    for uid in finals:
        d = docx.Document(str(unit_doc(built, uid)))
        assert all(s.header.is_linked_to_previous for s in d.sections)
        assert "BẢN NHÁP" not in doc_text(unit_doc(built, uid))
    district = docx.Document(str(built / "site" / TAI_VE / "du-thao-bao-cao-tong-ket.docx"))
    assert all("DỰ THẢO" in " ".join(p.text for p in s.header.paragraphs) for s in district.sections)


def test_district_draft_has_totals_and_every_final_units_text_but_no_draft(built: Path) -> None:
    text = doc_text(built / "site" / TAI_VE / "du-thao-bao-cao-tong-ket.docx")
    finals = [yaml.safe_load((built / "submissions" / s.name).read_text(encoding="utf-8"))
              for s in SAMPLES]
    drafts = [d for d in finals if d["status"] == "draft"]
    finals = [d for d in finals if d["status"] == "final"]
    members = sum(d["section_1"]["members"] for d in finals)
    assert f"Số đoàn viên: {number(members)} ({len(finals)}/{len(finals)} đơn vị có số liệu)" in text
    # Under an item: its heading, the district's totals, then each unit's text.
    heading = text.find(norm(load_schema(REPORT_SCHEMA)["properties"]["section_1"]["properties"]["situation"]["x-heading"]))
    totals = text.find("Số liệu toàn huyện: Số chi đoàn:")
    first_text = min(text.find(norm(d["section_1"]["situation"].splitlines()[0])) for d in finals)
    assert 0 <= heading < totals < first_text
    for d in finals:
        assert norm(d["section_1"]["difficulties"].splitlines()[0].lstrip("- ")) in text
        assert d["unit"]["name"] in text
    for d in drafts:
        for line in (d["section_1"].get("situation") or "").splitlines():
            if line.strip():
                assert norm(line) not in text


def test_hostile_text_stays_text(tmp_path: Path) -> None:
    tmp, uid = hostile_fixture(tmp_path)
    build_markdown(tmp / "campaign.yaml", tmp / "submissions", tmp / "docs")
    text = doc_text(tmp / "docs" / TAI_VE / "word" / f"{uid}.docx")  # opens: well-formed XML
    for value in (HOSTILE["script"], HOSTILE["img"], HOSTILE["close"], HOSTILE["attr"]):
        assert norm(value) in text, value
    # A control character never reaches a document: the validator refuses it, even written as an
    # escape (issue 16); the writer would still keep its XML well-formed.
    f = tmp / "submissions" / f"{uid}.yaml"
    data = yaml.safe_load(f.read_text(encoding="utf-8"))
    data["section_4"]["lessons"] = "điều khiển \x01 và \x0b trong văn bản"
    f.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert "text.control" in {p.code for p in check_report(f, None, "2026-01-01").problems}
    assert layout.clean("điều khiển \x01 và \x0b trong văn bản") == "điều khiển \ufffd và \ufffd trong văn bản"
    wb = openpyxl.load_workbook(tmp / "docs" / TAI_VE / "phu-luc.xlsx")
    values = [c.value for row in wb["Phụ lục 1"].iter_rows() for c in row]
    assert HOSTILE["img"] in values


def _snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.glob("*.docx")}


def test_unchanged_units_are_not_rebuilt_and_builds_are_identical(tmp_path: Path) -> None:
    tmp = copy_samples(tmp_path)
    docs, cache = tmp / "docs", tmp / "build" / "documents"
    build_markdown(tmp / "campaign.yaml", tmp / "submissions", docs)
    first = {p.relative_to(docs): p.read_bytes() for p in (docs / TAI_VE).rglob("*.*x")}
    before = _snapshot(cache)
    assert len(before) == len(SAMPLES)
    # Without the cache, the same bytes again: documents are deterministic.
    shutil.rmtree(cache)
    build_markdown(tmp / "campaign.yaml", tmp / "submissions", docs)
    again = {p.relative_to(docs): p.read_bytes() for p in (docs / TAI_VE).rglob("*.*x")}
    assert again == first
    before = _snapshot(cache)
    # One unit changes: only its document is built again; the others are the cached files.
    f = tmp / "submissions" / "xa-xuan-lap.yaml"
    data = yaml.safe_load(f.read_text(encoding="utf-8"))
    data["section_6"]["recommendations"] = "Đề nghị mới, viết lại sau khi rà soát."
    f.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    build_markdown(tmp / "campaign.yaml", tmp / "submissions", docs)
    after = _snapshot(cache)
    assert len(after) == len(before)
    changed = set(after) - set(before)
    assert len(changed) == 1
    assert all(after[n] == before[n] for n in set(after) & set(before))  # not even rewritten
    assert "Đề nghị mới, viết lại sau khi rà soát." in doc_text(docs / TAI_VE / "word" / "xa-xuan-lap.docx")


def test_libreoffice_opens_the_documents(built: Path, tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is missing: `make test` installs it (apt-get install libreoffice-writer-nogui libreoffice-calc-nogui)"
    files = [
        unit_doc(built, "xa-xuan-lap"),
        built / "site" / TAI_VE / "du-thao-bao-cao-tong-ket.docx",
        built / "site" / TAI_VE / "phu-luc.xlsx",
    ]
    profile = tmp_path / "profile"  # a private profile: other LibreOffice runs cannot interfere
    r = subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), *map(str, files)],
        capture_output=True, text=True, timeout=300, check=False, env={**os.environ, "HOME": str(tmp_path)},
    )
    assert r.returncode == 0, r.stdout + r.stderr
    for f in files:
        pdf = tmp_path / f"{f.stem}.pdf"
        assert pdf.is_file() and pdf.read_bytes().startswith(b"%PDF"), r.stdout + r.stderr
        assert pdf.stat().st_size > 10_000


def _png() -> bytes:
    """A 2×2 red PNG: the district's "logo"."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def test_an_edited_word_template_is_honoured(built: Path, tmp_path: Path) -> None:
    """The district opens a generated report in Word, changes the font, the margin and the
    header (a logo and a line), saves it as its template: every report takes them."""
    tmp = copy_samples(tmp_path)
    d = docx.Document(str(unit_doc(built, "thpt-le-loi")))
    d.styles["Normal"].font.name = "Arial"
    d.sections[0].left_margin = docx.shared.Mm(25)
    header = d.sections[0].header
    header.is_linked_to_previous = False
    (tmp / "logo.png").write_bytes(_png())
    header.paragraphs[0].text = "LOGO HUYỆN ĐOÀN THỌ XUÂN"
    header.paragraphs[0].add_run().add_picture(str(tmp / "logo.png"), width=docx.shared.Mm(10))
    d.save(str(tmp / "mau.docx"))
    campaign = yaml.safe_load((tmp / "campaign.yaml").read_text(encoding="utf-8"))
    campaign["documents"]["word_template"] = "mau.docx"
    (tmp / "campaign.yaml").write_text(yaml.safe_dump(campaign, allow_unicode=True), encoding="utf-8")
    r = build(tmp)
    assert r.returncode == 0, r.stdout + r.stderr
    draft = next(_data(s)["unit"]["id"] for s in SAMPLES if _data(s)["status"] == "draft")
    for uid in ("xa-xuan-lap", draft):
        path = unit_doc(tmp, uid)
        out = docx.Document(str(path))
        assert out.styles["Normal"].font.name == "Arial"
        assert round(out.sections[0].left_margin.mm) == 25
        for s in out.sections:
            top = " ".join(p.text for p in s.header.paragraphs)
            assert "LOGO HUYỆN ĐOÀN THỌ XUÂN" in top
            assert ("BẢN NHÁP" in top) == (uid == draft)
        assert f"mã {uid}" in " ".join(p.text for p in out.sections[0].footer.paragraphs)
        with zipfile.ZipFile(path) as z:
            assert any(n.startswith("word/media/") for n in z.namelist())  # the logo
        # Its own text is still all there.
        assert "Lê Thị Hằng" in doc_text(path) or uid != "xa-xuan-lap"
    district = docx.Document(str(tmp / "site" / TAI_VE / "du-thao-bao-cao-tong-ket.docx"))
    assert district.styles["Normal"].font.name == "Arial"
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice is missing: `make test` installs it"
    r = subprocess.run(
        [soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(unit_doc(tmp, draft))],
        capture_output=True, text=True, timeout=300, check=False,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    assert (tmp_path / f"{draft}.pdf").is_file(), r.stdout + r.stderr


def test_a_missing_word_template_is_a_clear_error(tmp_path: Path) -> None:
    tmp = copy_samples(tmp_path)
    campaign = yaml.safe_load((tmp / "campaign.yaml").read_text(encoding="utf-8"))
    campaign["documents"]["word_template"] = "khong-co.docx"
    (tmp / "campaign.yaml").write_text(yaml.safe_dump(campaign, allow_unicode=True), encoding="utf-8")
    r = build(tmp)
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    assert f"{tmp / 'campaign.yaml'}: lỗi: không tìm thấy mẫu Word “{tmp / 'khong-co.docx'}”" in r.stderr
    (tmp / "khong-co.docx").write_text("không phải docx", encoding="utf-8")
    r = build(tmp)
    assert r.returncode == 1 and "không phải tệp .docx" in r.stderr, r.stderr


def test_many_units_get_the_same_documents_built_in_parallel_as_one_by_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past PARALLEL_THRESHOLD units the reports are built in two processes and the district's
    documents in a third: the bytes are those of a build that makes them one after the other."""
    from test_site_build import many_units

    from generator import documents, site

    n = documents.PARALLEL_THRESHOLD + 6
    many_units(tmp_path, n)
    parallel, _ = site.generate(tmp_path / "campaign.yaml", tmp_path / "submissions")
    monkeypatch.setattr(documents, "PARALLEL_THRESHOLD", 10**6)
    serial, _ = site.generate(tmp_path / "campaign.yaml", tmp_path / "submissions")
    made = sorted(k for k in parallel if k.endswith((".docx", ".xlsx")))
    assert len(made) == n + 2
    assert [k for k in made if parallel[k] != serial[k]] == []
