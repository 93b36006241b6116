"""The Word and Excel documents, built as a user builds the site (`python -m generator build`) and
opened with python-docx, openpyxl and LibreOffice, as the district office opens them."""

from __future__ import annotations

import os
import re
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
    ROOT,
    SAMPLES,
    article,
    build,
    copy_samples,
    hostile_fixture,
    missing_values,
    norm,
)

from generator.documents import layout
from generator.numbers import number
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


def doc_text(path: Path, properties: bool = False) -> str:
    """Every paragraph of a .docx (tables, headers and footers included) as one line of text;
    with `properties`, also the comments of its File › Info (where the data of no use on paper
    are kept)."""
    d = docx.Document(str(path))
    parts = []
    for s in d.sections:
        for part in (s.header, s.footer):
            if not part.is_linked_to_previous:
                parts += [p.text for p in part.paragraphs]
    parts += ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in d.element.body.iter(qn("w:p"))]
    if properties:
        parts.append(d.core_properties.comments or "")
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
    path = unit_doc(built, data["unit"]["id"])
    # What is no use on paper (the unit's id, its kind, the status and date as data) is in the
    # file's properties, which Word shows under File › Info.
    props = docx.Document(str(path)).core_properties.comments
    assert data["unit"]["id"] in props and data["unit"]["id"] not in doc_text(path)
    missing = missing_values(data, doc_text(path) + " " + norm(props))
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
        # A commune dates its report from its own place (the roster's `place`).
        place = "Xuân Lập" if path.stem == "xa-xuan-lap" else "Thọ Xuân"
        marks = ["***", "Số:", f"{place}, ngày", "BÁO CÁO", "Nơi nhận:"]
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
    # Xuân Lập has a Standing Committee (5 UV BTV); the garment company's branch has none.
    assert "TM. BAN THƯỜNG VỤ" in unit and "TM. BAN CHẤP HÀNH" not in unit
    assert "TM. BAN CHẤP HÀNH" in doc_text(unit_doc(built, "chi-doan-cong-ty-may-tho-xuan"))
    district = doc_text(built / "site" / TAI_VE / "du-thao-bao-cao-tong-ket.docx")
    assert "Tỉnh Đoàn Thanh Hóa" in district and "BCH Đoàn huyện Thọ Xuân" in district  # campaign.yaml


def _merged(table: docx.table.Table, r: int, c0: int, c1: int) -> bool:
    return table.cell(r, c0)._tc is table.cell(r, c1)._tc


def test_appendix_headers_are_merged_as_in_the_source(built: Path) -> None:
    d = docx.Document(str(unit_doc(built, "xa-xuan-lap")))
    a2 = next(t for t in d.tables if t.cell(0, 0).text == "Bí thư, Phó Bí thư Đoàn")
    assert _merged(a2, 0, 0, 5) and not _merged(a2, 0, 5, 6)  # a group over its six columns
    # The source's "Trình độ" over "Chuyên môn" and "LLCT".
    assert a2.cell(1, 1).text == "Trình độ" and _merged(a2, 1, 1, 5)
    assert a2.cell(2, 1).text == "Chuyên môn" and _merged(a2, 2, 1, 3)
    assert a2.cell(3, 1).text == "Thạc sỹ"
    count = a2.cell(1, 0)._tc  # "Số lượng" spans the three lower header rows
    assert count.vMerge == "restart" and a2.rows[3]._tr.tc_lst[0].vMerge == "continue"
    wb = openpyxl.load_workbook(built / "site" / TAI_VE / "phu-luc.xlsx")
    ws = wb["Phụ lục 2"]
    ranges = {str(r) for r in ws.merged_cells.ranges}
    assert {"A4:A7", "B4:B7", "C4:H4", "I4:N4", "O4:T4", "D5:H5", "D6:F6", "G6:H6",
            "C5:C7"} <= ranges
    assert ws["C4"].value == "Bí thư, Phó Bí thư Đoàn" and ws["D5"].value == "Trình độ"
    assert ws["D7"].value == "Thạc sỹ"
    assert ws.freeze_panes == "C8"
    ws5 = wb["Phụ lục 5"]
    assert {"C4:D4", "E4:F4", "I4:J4", "G4:G5"} <= {str(r) for r in ws5.merged_cells.ranges}
    assert wb["Phụ lục 4"].freeze_panes == "C6"


def test_workbook_stores_numbers_as_numbers_and_text_as_text(built: Path) -> None:
    path = built / "site" / TAI_VE / "phu-luc.xlsx"
    wb = openpyxl.load_workbook(path)
    finals = [_data(s) for s in SAMPLES if _data(s)["status"] == "final"]
    ws = wb["Phụ lục 2"]
    ids = [ws.cell(r, 1).value for r in range(8, 8 + len(finals))]
    assert set(ids) == {d["unit"]["id"] for d in finals}  # final reports only, in roster order
    first = yaml.safe_load((built / "submissions" / "xa-xuan-lap.yaml").read_text(encoding="utf-8"))
    row = ids.index("xa-xuan-lap") + 8
    cell = ws.cell(row, 3)
    assert cell.data_type == "n" and cell.value == first["appendix_2"]["secretaries"]["count"]
    assert cell.number_format == "#,##0"
    # The total row sums the final reports.
    total = ws.cell(8 + len(finals), 3)
    assert ws.cell(8 + len(finals), 2).value == "Tổng cộng"  # no rate in Phụ lục 2: no "trung bình"
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
        assert "BẢN NHÁP" in " ".join(p.text for p in d.sections[0].first_page_header.paragraphs)
        html = article(built / "site" / "don-vi" / f"{uid}.html")[0]
        assert "Tải bản Word để in, ký (bản nháp)" in html
    for uid in finals:
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


def _zipfile_would_write(path: Path) -> bytes:
    """The same parts as Python's zipfile writes them (fixed dates, deflate level 6)."""
    import io

    with zipfile.ZipFile(path) as z:
        parts = [(i.filename, z.read(i)) for i in z.infolist()]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, raw in parts:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, raw, compresslevel=6)
    return buf.getvalue()


def test_word_files_are_zipped_as_zipfile_zips_them(built: Path) -> None:
    """The styles, theme and settings every report shares are deflated once and copied into each
    file (docx.zip_package); the files are byte for byte what zipfile writes from their parts,
    and the parts are whole (zipfile checks each one's CRC as it reads it)."""
    files = sorted((built / "site" / TAI_VE).rglob("*.docx"))
    assert len(files) == len(SAMPLES) + 1
    for f in files:
        with zipfile.ZipFile(f) as z:
            assert z.testzip() is None
            assert {"word/styles.xml", "word/settings.xml", "word/document.xml"} <= set(z.namelist())
        assert _zipfile_would_write(f) == f.read_bytes(), f.name


def _tool_copy(to: Path) -> Path:
    """A copy of the tool's checkout (its code, templates, schema, editor and mkdocs.yml)."""
    for part in ("generator", "schema", "site_templates", "editor"):
        shutil.copytree(ROOT / part, to / part, symlinks=True,
                        ignore=shutil.ignore_patterns("__pycache__", "node_modules"))
    shutil.copy(ROOT / "mkdocs.yml", to / "mkdocs.yml")
    return to


def test_an_edit_of_the_sites_code_rebuilds_only_the_word_files_it_reaches(tmp_path: Path) -> None:
    """A unit's .docx is keyed on what it reads, not on render.py's bytes: `make site` with an
    edited copy of the tool reuses every cached document until the edit changes what they say."""
    tool = _tool_copy(tmp_path / "tool")
    (tmp_path / "data").mkdir()
    data = copy_samples(tmp_path / "data")

    def make_site() -> str:
        r = build(data, cwd=tool)
        assert r.returncode == 0, r.stdout + r.stderr
        assert "Đã dựng trang vào" in r.stdout  # the code changed: the site is built again
        return next(ln for ln in r.stdout.splitlines() if ln.startswith("Dùng lại từ lần dựng trước"))

    n = len(SAMPLES)
    assert f"0/{n} tệp Word của đơn vị" in make_site()
    render = tool / "generator" / "render.py"
    code = render.read_text(encoding="utf-8")
    # A new page helper the documents never call: every document is the cached one.
    render.write_text(code + '\n\ndef _new_helper() -> str:\n    return "mới"\n', encoding="utf-8")
    assert f"{n}/{n} tệp Word của đơn vị" in make_site()
    # The yearly tables' total row is worded anew: the units whose report shows one are rebuilt.
    ids = [f.stem for f in SAMPLES]
    showing = [uid for uid in ids if "Tổng 20" in doc_text(unit_doc(data, uid))]
    assert showing and code.count('f"Tổng {span}') == 2
    render.write_text(code.replace('f"Tổng {span}', 'f"Cộng {span}'), encoding="utf-8")
    assert f"{n - len(showing)}/{n} tệp Word của đơn vị" in make_site()
    assert [uid for uid in ids if "Cộng 20" in doc_text(unit_doc(data, uid))] == showing


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
            assert 'instr=" PAGE "' in s.header._element.xml
        first = out.sections[0].first_page_header
        assert "LOGO HUYỆN ĐOÀN THỌ XUÂN" in " ".join(p.text for p in first.paragraphs)
        assert "PAGE" not in first._element.xml
        with zipfile.ZipFile(path) as z:
            assert any(n.startswith("word/media/") for n in z.namelist())  # the logo
        assert _zipfile_would_write(path) == path.read_bytes()  # the template's parts too
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


# --- printed as a district office prints them ---------------------------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _pdf_pages(pdf: Path) -> list[str]:
    """The text of each page of a PDF, as pdfium extracts it."""
    import pypdfium2

    doc = pypdfium2.PdfDocument(str(pdf))
    try:
        return [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    finally:
        doc.close()


def _to_pdf(files: list[Path], out: Path) -> dict[str, list[str]]:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is missing: `make test` installs it"
    profile = out / "profile"
    r = subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
         "--outdir", str(out), *map(str, files)],
        capture_output=True, text=True, timeout=300, check=False, env={**os.environ, "HOME": str(out)},
    )
    assert r.returncode == 0, r.stdout + r.stderr
    return {f.name: _pdf_pages(out / f"{f.stem}.pdf") for f in files}


def _headings(path: Path) -> list[str]:
    """Every heading of a .docx: paragraphs in a Heading style and the italic or bold lead-ins
    that keep with their text (the outline's items)."""
    d = docx.Document(str(path))
    out = []
    for p in d.paragraphs:
        style = p.style.name if p.style is not None else ""
        keep = p._p.pPr is not None and p._p.pPr.keepNext_val
        if style.startswith("Heading") or (keep and p.runs and (p.runs[0].italic or p.runs[0].bold)):
            out.append(p.text)
    return out


def test_word_headings_are_numbered_without_bullets(built: Path) -> None:
    for path in (unit_doc(built, "xa-xuan-lap"), built / "site" / TAI_VE / "du-thao-bao-cao-tong-ket.docx"):
        heads = _headings(path)
        assert "1. Những tồn tại, hạn chế (nêu cụ thể)" in heads and "2. Nguyên nhân" in heads
        assert "1. Phương hướng" in heads and "3. Bài học kinh nghiệm" in heads
        assert not [h for h in heads if h.startswith(("- ", "* "))]


def test_signature_page_numbers_widths_and_place_as_printed(built: Path, tmp_path: Path) -> None:
    unit = unit_doc(built, "xa-xuan-lap")
    district = built / "site" / TAI_VE / "du-thao-bao-cao-tong-ket.docx"
    for path in (unit, district):
        d = docx.Document(str(path))
        body = list(d.element.body)
        # The signature block (the table holding "Nơi nhận") follows paragraphs kept with it.
        sig = next(i for i, el in enumerate(body)
                   if el.tag == f"{W}tbl" and "Nơi nhận:" in "".join(el.itertext()))
        before = [el for el in body[:sig] if el.tag == f"{W}p"][-3:]
        assert all(el.find(f"{W}pPr/{W}keepNext") is not None for el in before)
        rows = body[sig].findall(f".//{W}tr")
        assert rows[0].find(f"{W}trPr/{W}cantSplit") is not None
        # Page numbers: top centre from page 2, none on the first page, none in the footer.
        s0 = d.sections[0]
        assert s0.different_first_page_header_footer
        assert 'instr=" PAGE "' in s0.header._element.xml
        assert "PAGE" not in s0.first_page_header._element.xml
        assert all("PAGE" not in s.footer._element.xml for s in d.sections)
        # The appendices say whose they are, and no machine id is on paper.
        assert "ĐƠN VỊ:" in doc_text(path)
        assert "xa-xuan-lap" not in doc_text(path)
    # Phụ lục 1: TT narrow, "Trích yếu" wide.
    d = docx.Document(str(unit))
    a1 = next(t for t in d.tables if t.cell(0, 0).text == "TT")
    widths = [int(g.get(qn("w:w"))) for g in a1._tbl.tblGrid.findall(qn("w:gridCol"))]
    head = [c.text for c in a1.rows[0].cells]
    summary = next(i for i, h in enumerate(head) if h.startswith("Trích yếu"))
    assert widths[0] < 700 and widths[summary] == max(widths) and widths[summary] > 3 * widths[0]
    # Printed: the page with the signature holds text before it, and page 1 has no number.
    pages = _to_pdf([unit, district], tmp_path)
    for name, texts in pages.items():
        assert "2" in texts[1].split("\r\n")[:2], name  # the header's number on page 2
        assert "1" not in texts[0].split("\r\n")[:2], name
        at = next(i for i, t in enumerate(texts) if "(b/c)" in t)
        page = texts[at]
        before = page[: page.index("(b/c)")]
        assert len(before.strip()) > 200, (name, at, page[:400])  # more than "Nơi nhận:" and a page number


def test_the_workbook_prints(built: Path) -> None:
    wb = openpyxl.load_workbook(built / "site" / TAI_VE / "phu-luc.xlsx")
    for ws in wb:
        ps = ws.page_setup
        assert ps.orientation == "landscape" and ps.paperSize == 9, ws.title  # A4 landscape
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ps.fitToHeight == 0, ws.title
        assert ps.fitToWidth in (None, 1), ws.title  # one page wide
        assert ws.print_title_rows, ws.title  # the header rows on every page
        assert ws.print_title_cols == "$B:$B", ws.title  # the unit's name on every page
        assert str(ws.print_area).startswith(f"'{ws.title}'!$B$1"), ws.print_area  # not the ids
        assert ws.page_margins.left >= 0.4 and ws.page_margins.top >= 0.5
        assert "Trang &P/&N" in str(ws.oddFooter.center.text)
    assert wb["Phụ lục 2"].print_title_rows == "$4:$7"
    assert "Phụ lục 2" in str(wb["Phụ lục 2"].oddHeader.center.text)
    # Years are numbers, dates are dates, and each total row says what it sums.
    a4 = wb["Phụ lục 4"]
    rows = list(a4.iter_rows(min_row=6, values_only=True))
    district = [r for r in rows if isinstance(r[1], str) and r[1].startswith("Toàn huyện")]
    assert [r[2] for r in district[:5]] == [2016, 2017, 2018, 2019, 2020]
    assert all(isinstance(r[2], int) for r in rows if r[0])  # the units' rows too
    assert re.fullmatch(r"Toàn huyện: tổng năm 2016 \(\d+/6 đơn vị có số liệu năm này\)", district[0][1])
    assert district[-1][1] == "Toàn huyện: tổng 2016–2020"
    st = wb["Tình hình gửi"]
    sent = [st.cell(r, 5) for r in range(5, st.max_row + 1) if st.cell(r, 5).value != "—"]
    assert sent and all(c.is_date and c.number_format == "dd/mm/yyyy" for c in sent)
    ol = wb["Số liệu đề cương"]
    labels = [ol.cell(r, 2).value for r in range(1, ol.max_row + 1)]
    assert any(str(v).startswith("Toàn huyện: tổng") for v in labels)


def test_partial_periods_are_said(built: Path) -> None:
    """A unit founded in 2018 (the garment company's branch gives no figure for 2016–2017)."""
    text = doc_text(unit_doc(built, "chi-doan-cong-ty-may-tho-xuan"))
    assert "Tổng 2018–2020, 3/5 năm" in text
    assert "Tổng 2016–2020" in doc_text(unit_doc(built, "xa-xuan-lap"))
    page, _ = article(built / "site" / "don-vi" / "chi-doan-cong-ty-may-tho-xuan.html")
    assert "Tổng 2018–2020, 3/5 năm" in page  # the unit page says it too
    district = doc_text(built / "site" / TAI_VE / "du-thao-bao-cao-tong-ket.docx")
    assert "2016 (5/6 đơn vị)" in district and "2020 (6/6 đơn vị)" in district


# --- valid OOXML: the element order of the ECMA-376 schema -------------------------------------

# CT_Worksheet's sequence (ECMA-376 Part 1, sml.xsd); openpyxl writes it in this order too.
WORKSHEET_ORDER = ["sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData", "sheetCalcPr", "sheetProtection", "protectedRanges", "scenarios", "autoFilter", "sortState", "dataConsolidate", "customSheetViews", "mergeCells", "phoneticPr", "conditionalFormatting", "dataValidations", "hyperlinks", "printOptions", "pageMargins", "pageSetup", "headerFooter", "rowBreaks", "colBreaks", "customProperties", "cellWatches", "ignoredErrors", "smartTags", "drawing", "legacyDrawing", "legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls", "webPublishItems", "tableParts", "extLst"]


def _docx_sequences() -> dict[str, tuple[str, ...]]:
    """The child order python-docx encodes for each element class (its `_tag_seq`s, which it
    copies from the schema's sequences): class name → tags in order."""
    import ast
    import inspect

    import docx.oxml.section
    import docx.oxml.settings
    import docx.oxml.styles
    import docx.oxml.table
    import docx.oxml.text.font
    import docx.oxml.text.parfmt

    out: dict[str, tuple[str, ...]] = {}
    for mod in (docx.oxml.section, docx.oxml.settings, docx.oxml.styles, docx.oxml.table,
                docx.oxml.text.font, docx.oxml.text.parfmt):
        for node in ast.walk(ast.parse(inspect.getsource(mod))):
            if isinstance(node, ast.ClassDef):
                for stmt in node.body:
                    if (isinstance(stmt, ast.Assign) and getattr(stmt.targets[0], "id", "") == "_tag_seq"
                            and isinstance(stmt.value, ast.Tuple)):
                        out[node.name] = tuple(ast.literal_eval(stmt.value))
    # CT_SectPr opens with its header and footer references (a choice python-docx leaves out).
    out["CT_SectPr"] = ("w:headerReference", "w:footerReference", *out["CT_SectPr"])
    return out


def _order_errors(root, seq_of, name: str) -> list[str]:  # type: ignore[no-untyped-def]
    from docx.oxml.ns import nsmap

    prefix = {v: k for k, v in nsmap.items()}
    errors = []
    for el in root.iter():
        seq = seq_of(el)
        if not seq:
            continue
        at = -1
        for child in el:
            if not isinstance(child.tag, str):
                continue
            ns, _, local = child.tag[1:].partition("}")
            tag = f"{prefix.get(ns, ns)}:{local}" if ":" in seq[0] else local
            if tag not in seq:
                errors.append(f"{name}: <{tag}> is not allowed in <{el.tag}>")
                continue
            if seq.index(tag) < at:
                errors.append(f"{name}: <{tag}> comes too late in <{el.tag}> (order {seq})")
            at = max(at, seq.index(tag))
    return errors


def test_every_part_follows_the_schemas_element_order(built: Path) -> None:
    from docx.oxml.parser import parse_xml
    from lxml import etree

    seqs = _docx_sequences()
    assert {"CT_PPr", "CT_RPr", "CT_TblPr", "CT_SectPr"} <= set(seqs), sorted(seqs)
    files = [unit_doc(built, s.stem) for s in SAMPLES] + [built / "site" / TAI_VE / "du-thao-bao-cao-tong-ket.docx"]
    errors: list[str] = []
    for path in files:
        with zipfile.ZipFile(path) as z:
            for name in z.namelist():
                if name.startswith("word/") and name.endswith(".xml"):
                    root = parse_xml(z.read(name))
                    errors += _order_errors(root, lambda el: seqs.get(type(el).__name__), f"{path.name}:{name}")
    # The workbook: the worksheet's sequence, and the stylesheet's and workbook's as openpyxl
    # declares them (`__elements__`, in the schema's order).
    from openpyxl.packaging.workbook import WorkbookPackage
    from openpyxl.styles.stylesheet import Stylesheet

    sml = {"worksheet": tuple(WORKSHEET_ORDER), "styleSheet": Stylesheet.__elements__,
           "workbook": WorkbookPackage.__elements__}
    with zipfile.ZipFile(built / "site" / TAI_VE / "phu-luc.xlsx") as z:
        for name in z.namelist():
            if name.startswith("xl/") and name.endswith(".xml"):
                root = etree.fromstring(z.read(name))
                def seq_of(el, root=root):  # type: ignore[no-untyped-def]
                    return sml.get(etree.QName(el).localname) if el is root else None

                errors += _order_errors(root, seq_of, f"phu-luc.xlsx:{name}")
    assert not errors, errors[:10]


def test_the_order_check_finds_what_word_refuses() -> None:
    """The check itself: a tblLayout before tblBorders (what docx.py wrote before) is caught."""
    from docx.oxml.parser import parse_xml

    bad = parse_xml(
        '<w:tbl xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:tblPr>'
        '<w:tblW w:w="0" w:type="auto"/><w:tblLayout w:type="fixed"/><w:tblBorders/></w:tblPr></w:tbl>'
    )
    seqs = _docx_sequences()
    errors = _order_errors(bad, lambda el: seqs.get(type(el).__name__), "bad")
    assert errors and "tblBorders" in errors[0]


def test_the_units_conferences_flow_to_the_status_page_the_csv_and_the_draft(built: Path) -> None:
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(
        (built / "site" / TAI_VE / "trang-thai.csv").read_text(encoding="utf-8-sig"))))
    by_id = {r["Mã đơn vị"]: r for r in rows}
    lap = by_id["xa-xuan-lap"]
    assert (lap["Hội nghị tổng kết"], lap["Ngày hội nghị"], lap["Số người dự hội nghị"],
            lap["Người chủ trì hội nghị"]) == ("Đã tổ chức", "2021-01-12", "85",
                                               "Lê Thị Hằng, Bí thư Đoàn xã")
    assert by_id["chi-doan-cong-ty-may-tho-xuan"]["Hội nghị tổng kết"] == "Chưa tổ chức"
    lam_son = by_id["cong-ty-mia-duong-lam-son"]
    assert lam_son["Số người dự hội nghị"] == "Không có số liệu"  # in words, never 0
    assert by_id["xa-xuan-tin"]["Hội nghị tổng kết"] == ""  # no report: the CSV says nothing
    text, _ = article(built / "site" / "trang-thai.html")
    assert "Hội nghị tổng kết" in text and "Đã tổ chức, 12/01/2021" in text and "Chưa tổ chức" in text
    unit, _ = article(built / "site" / "don-vi" / "xa-xuan-lap.html")
    assert "Đã tổ chức, ngày 12/01/2021; số người dự: 85" in norm(unit)
    # The district draft opens with the count, before section I.
    draft = doc_text(built / "site" / TAI_VE / "du-thao-bao-cao-tong-ket.docx")
    count = "Hội nghị tổng kết ở cơ sở: 3/6 đơn vị đã tổ chức; 1 đơn vị chưa tổ chức; 2 đơn vị không cho biết."
    assert count in draft and draft.index(count) < draft.index("I. KHÁI QUÁT")
    assert "Đoàn xã Xuân Lập: ngày 12/01/2021; số người dự: 85" in draft
    # And the unit's own Word report says it under its title.
    assert "Hội nghị tổng kết của đơn vị: Đã tổ chức, ngày 12/01/2021" in doc_text(unit_doc(built, "xa-xuan-lap"))
