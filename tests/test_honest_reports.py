"""Honest reports, as the district reads them on the built site: drafts are their own state and
change no figure; "no data", "does not apply" and "no target assigned" are said in words and left
out of every sum; the outline's headings are the source's, in its order."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml
from conftest import RunCli
from test_site_build import FINALS, article, build, copy_samples, norm

from generator.render import section_meta
from generator.schema import REPORT_SCHEMA, load_schema

SMALL = "chi-doan-cong-ty-may-tho-xuan"  # founded 2018, no Standing Committee, no target
DRAFT = "xa-tho-hai"
REUSED = "xa-xuan-lap"  # 05-KH/ĐTN of 2016 and of 2019


@pytest.fixture(scope="module")
def site(sample_site: Path) -> Path:
    """The samples' build, once per session (conftest.py), read only here."""
    return sample_site


def _data(uid: str) -> dict:
    return yaml.safe_load((Path("submissions") / f"{uid}.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("uid", [SMALL, REUSED])
def test_honest_units_pass_the_validator_as_final_reports(run_cli: RunCli, uid: str) -> None:
    assert _data(uid)["status"] == "final"
    r = run_cli("validate", f"submissions/{uid}.yaml")
    assert r.returncode == 0 and " lỗi: " not in r.stdout, r.stdout
    assert "Báo cáo: 1 chính thức, 0 bản nháp." in r.stdout


def test_no_standing_committee_founded_2018_no_target_on_the_unit_page(site: Path) -> None:
    text, _ = article(site / "site" / "don-vi" / f"{SMALL}.html")
    md = (site / "docs" / "don-vi" / f"{SMALL}.md").read_text(encoding="utf-8")
    a2 = md[md.index('class="appendix appendix-2"'):]
    a2 = a2[: a2.index("</table>")]
    assert a2.count('<span class="no-data">Không áp dụng</span>') == 6  # the Standing Committee group
    a4 = md[md.index('class="appendix appendix-4"'):]
    row_2016 = a4[a4.index('<th scope="row">2016</th>'):].split("</tr>")[0]
    assert row_2016.count("Không có số liệu") == 4 and ">0<" not in row_2016
    assert "Không giao chỉ tiêu" in text


def test_the_summary_aggregates_them_without_inventing_zeros(site: Path) -> None:
    stats = list(csv.reader((site / "site" / "tai-ve" / "tong-hop.csv").read_text(encoding="utf-8-sig").splitlines()))
    finals = [yaml.safe_load(f.read_text(encoding="utf-8")) for f in FINALS]

    def row(part: str, label: str) -> list[str]:
        return next(r for r in stats if r[0].startswith(part) and r[1] == label)

    # The standing committee: summed over the units that have one; the small unit is not a 0.
    standing = row("Phụ lục 2", "Ban Thường vụ › Số lượng")
    have = [d["appendix_2"]["standing_committee"]["count"] for d in finals
            if isinstance(d["appendix_2"]["standing_committee"], dict)]
    assert standing[3] == str(sum(have)) and standing[7:] == [str(len(have)), str(len(finals))]
    assert len(have) == len(finals) - 1
    # 2016, before the small unit existed: one unit fewer has data.
    y2016 = row("Phụ lục 4", "2016 › Tham gia ở cấp huyện (số người tham gia)")
    assert y2016[7:] == [str(len(finals) - 1), str(len(finals))]
    # No target assigned: counted apart, never as reached.
    not_assigned = row("Phụ lục 5", "Số đơn vị không được giao chỉ tiêu thu hút, tập hợp")
    assert not_assigned[3] == "1"
    reached = row("Phụ lục 5", "Số đơn vị đạt hoặc vượt chỉ tiêu thu hút, tập hợp")
    assert reached[7] == str(len(finals) - 1)
    summary = (site / "docs" / "index.md").read_text(encoding="utf-8")
    assert "1 đơn vị không được giao chỉ tiêu (không tính là đạt)" in summary
    page = (site / "docs" / "tong-hop" / "so-sanh.md").read_text(encoding="utf-8")  # the comparison's page
    compare = page[page.index('id="compare"'):]
    small = compare[compare.index(f"don-vi/{SMALL}.html"):].split("</tr>")[0]
    assert "Không giao chỉ tiêu" in small and "Đạt" not in small.replace("Không giao", "")


def test_a_document_number_reused_in_another_year_is_two_documents(site: Path) -> None:
    docs = [r for r in _data(REUSED)["appendix_1"] if r["number"] == "05-KH/ĐTN"]
    assert sorted(r["year"] for r in docs) == [2016, 2019]
    rows = list(csv.reader((site / "site" / "tai-ve" / "phu-luc-1.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert sorted(r[5] for r in rows if r[0] == REUSED and r[4] == "05-KH/ĐTN") == ["2016", "2019"]


def test_a_draft_is_its_own_state_and_shown_as_a_draft(site: Path) -> None:
    status = (site / "docs" / "trang-thai.md").read_text(encoding="utf-8")
    assert '<td class="num" data-status="draft">1</td>' in status
    assert f'<td class="num" data-status="submitted">{len(FINALS)}</td>' in status
    roster = status[status.index('id="roster"'):]
    assert "Đang soạn" in roster.split(f"don-vi/{DRAFT}.html")[1].split("</tr>")[0]
    page, _ = article(site / "site" / "don-vi" / f"{DRAFT}.html")
    assert "Bản nháp — đơn vị đang soạn" in page and "chưa tính là đã gửi" in page
    # Not on the outline-section pages, not in the summary's tables.
    for slug in ("muc-1", "muc-3-2-2"):
        assert f"{DRAFT}.html" not in (site / "docs" / "muc" / f"{slug}.md").read_text(encoding="utf-8")
    summary = (site / "docs" / "index.md").read_text(encoding="utf-8")
    after_notes = summary[summary.index("## Tình hình gửi báo cáo"):]
    assert f"don-vi/{DRAFT}.html" not in after_notes  # named in the note on drafts only
    # Nor on the pages of the appendices, the lists and the comparison of units.
    for page_md in (site / "docs" / "tong-hop").rglob("*.md"):
        assert f"{DRAFT}.html" not in page_md.read_text(encoding="utf-8"), page_md
    assert "1 đơn vị đang soạn báo cáo" in summary


def test_an_untouched_starter_changes_no_district_figure(run_cli: RunCli, tmp_path: Path, site: Path) -> None:
    tmp = copy_samples(tmp_path)
    r = run_cli("new", "xa-xuan-tin", "--campaign", tmp / "campaign.yaml",
                "--output", tmp / "submissions" / "xa-xuan-tin.yaml")
    assert r.returncode == 0, r.stderr
    b = build(tmp)
    assert b.returncode == 0, b.stdout + b.stderr
    for name in ("tong-hop.csv", "so-lieu-de-cuong.csv", "phu-luc-2.csv", "phu-luc-4.csv", "phu-luc-5.csv", "so-sanh.csv"):
        assert (tmp / "site" / "tai-ve" / name).read_bytes() == (site / "site" / "tai-ve" / name).read_bytes(), name
    status = (tmp / "docs" / "trang-thai.md").read_text(encoding="utf-8")
    assert '<td class="num" data-status="draft">2</td>' in status
    assert "Đang soạn" in status.split("don-vi/xa-xuan-tin.html")[1].split("</tr>")[0]


def _source_headings() -> list[str]:
    """The outline's headings as the source writes them, in its order, from the schema."""
    root = load_schema(REPORT_SCHEMA)
    out: list[str] = []
    for key, node in root["properties"].items():
        if not key.startswith("section_"):
            continue
        for parent in node.get("x-parents", []):
            if parent not in out:
                out.append(parent)
        out.append(node["x-heading"])
        groups: list[str] = []
        for prop in node["properties"].values():
            g = prop.get("x-group")
            if g and g not in groups:
                groups.append(g)
                out.append(g)
    return out


def test_headings_of_the_source_in_its_order_on_the_unit_page(site: Path) -> None:
    headings = _source_headings()
    for must in ("III. KẾT QUẢ THỰC HIỆN", "2. Kết quả thực hiện các nhiệm vụ, giải pháp", "2. Nguyên nhân",
                 "Công tác tổ chức bộ máy", "Công tác cán bộ"):
        assert must in headings
    text, _ = article(site / "site" / "don-vi" / f"{REUSED}.html")
    positions = [text.find(norm(h)) for h in headings]
    assert all(p >= 0 for p in positions), [h for h, p in zip(headings, positions) if p < 0]
    assert positions == sorted(positions)
    # A figure sits right after the text it belongs to, not in a table at the top.
    situation = text.find("Khái quát tình hình (số lượng chi đoàn")
    assert situation < text.find("Số chi đoàn") < text.find("Những thuận lợi")


def test_headings_of_the_source_on_the_section_pages(site: Path) -> None:
    for key in ("section_3_1", "section_3_2_2", "section_4"):
        heading, _, parents, title = section_meta(key)
        slug = "muc-" + key.removeprefix("section_").replace("_", "-")
        text, _ = article(site / "site" / "muc" / f"{slug}.html")
        assert norm(title) in text
        for p in parents:
            assert norm(p) in text
    text, _ = article(site / "site" / "muc" / "muc-4.html")
    assert text.find("2. Nguyên nhân") < text.find("Nguyên nhân chủ quan") < text.find("Nguyên nhân khách quan")


def test_a_draft_page_lists_everything_left_to_fill_by_part(run_cli: RunCli, site: Path) -> None:
    import json

    r = run_cli("validate", f"submissions/{DRAFT}.yaml", "--format", "json")
    left = [p for p in json.loads(r.stdout)["problems"] if p["code"].startswith("fill-")]
    assert len(left) > 100  # more than the per-file cap of other problems: the to-do list is whole
    md = (site / "docs" / "don-vi" / f"{DRAFT}.md").read_text(encoding="utf-8")
    assert f"<summary>Còn {len(left)} mục chưa điền</summary>" in md
    assert "<li><strong>Mục I</strong>: " in md
