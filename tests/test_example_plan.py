"""The second plan, examples/so-ket-6-thang/ (a six-month review of Youth Union work), through the
user's entry points: `validate`, `new` and `build --campaign PATH`, the built pages, the editor
form in Chromium, the Word reports and the workbook.

Its outline shares nothing with the 02-NQ/TU review but the tool's envelope (unit, signer, status,
submission_date): the test reads what to expect from the example's own schema, rules and reports,
so that a plan the code has never seen is checked the way a district would check its site. The
example is copied to a temporary folder and built once per session.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin

import pytest
import yaml
from conftest import ROOT
from test_browser import Visit, browser, serving  # noqa: F401  (fixture)
from test_documents import doc_text

EXAMPLE = ROOT / "examples" / "so-ket-6-thang"
CAMPAIGN = EXAMPLE / "campaign.yaml"
CAMPAIGN_DATA: dict[str, Any] = yaml.safe_load(CAMPAIGN.read_text(encoding="utf-8"))
SCHEMA: dict[str, Any] = json.loads(
    (EXAMPLE / CAMPAIGN_DATA["report_schema"]).read_text(encoding="utf-8"))
RULES: dict[str, Any] = yaml.safe_load((EXAMPLE / CAMPAIGN_DATA["rules"]).read_text(encoding="utf-8"))
SUBMISSIONS = sorted((EXAMPLE / "submissions").glob("*.yaml"))
REPORTS: dict[str, dict[str, Any]] = {
    p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in SUBMISSIONS}
FINALS = {k: v for k, v in REPORTS.items() if v["status"] == "final"}
DRAFTS = {k: v for k, v in REPORTS.items() if v["status"] == "draft"}
ROSTER: list[dict[str, Any]] = CAMPAIGN_DATA["units"]
# The tool's own keys; every other key of the schema is the plan's outline.
ENVELOPE = ("unit", "signer", "status", "submission_date")
PARTS = [k for k in SCHEMA["properties"] if k not in ENVELOPE]
PHONE = {"width": 390, "height": 844}
BUILD_TIMEOUT_S = 600


# --- the schema, read by the test itself (not by the code under test) -------------------------

def resolved(node: dict[str, Any]) -> dict[str, Any]:
    """`node` with its `$ref`s followed; the referring node's own keywords win."""
    while "$ref" in node:
        target = SCHEMA["$defs"][node["$ref"].rsplit("/", 1)[1]]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def viewed(node: dict[str, Any]) -> dict[str, Any]:
    """A field as the unit fills it: an `anyOf` of a value and "no data" choices is the value,
    with its no-data texts (value → label) under "no_data"."""
    node = resolved(node)
    if "anyOf" not in node:
        return node
    alternatives = [resolved(a) for a in node["anyOf"]]
    no_data = {o["const"]: o["title"] for a in alternatives for o in a.get("oneOf", []) if "const" in o}
    main = next(a for a in alternatives if "oneOf" not in a)
    return {**main, **{k: v for k, v in node.items() if k != "anyOf"}, "no_data": no_data}


def types(node: dict[str, Any]) -> list[str]:
    t = node.get("type", [])
    return [t] if isinstance(t, str) else list(t)


def is_figure(node: dict[str, Any]) -> bool:
    return bool({"integer", "number"} & set(types(node)))


def heading(key: str) -> str:
    node = SCHEMA["properties"][key]
    return str(node.get("x-heading") or node["title"])


def object_parts() -> list[str]:
    return [k for k in PARTS if "properties" in resolved(SCHEMA["properties"][k])]


def array_parts() -> list[str]:
    return [k for k in PARTS if "array" in types(resolved(SCHEMA["properties"][k]))]


@dataclass(frozen=True)
class Figure:
    """A figure of an outline part: its path in the part, its field and the titles down to it
    ("Công trình, phần việc thanh niên", "Số lượng")."""

    path: tuple[str, ...]
    node: dict[str, Any]
    titles: tuple[str, ...]

    @property
    def title(self) -> str:
        return str(self.node["title"])

    def of(self, part_data: Any) -> Any:
        for key in self.path:
            part_data = part_data.get(key) if isinstance(part_data, dict) else None
        return part_data

    def numbers(self, part: str, reports: dict[str, dict[str, Any]]) -> list[float]:
        """What the reports wrote as a number here (a "no data" text or a blank is no number)."""
        values = [self.of(r[part]) for r in reports.values()]
        return [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]


def figures_of(part: str) -> list[Figure]:
    """The figures of an outline part (an object), nested groups included, in order."""
    def walk(node: dict[str, Any], path: tuple[str, ...], titles: tuple[str, ...]) -> Iterator[Figure]:
        for k, n in resolved(node).get("properties", {}).items():
            v = viewed(n)
            if is_figure(v):
                yield Figure(path + (k,), v, titles + (v["title"],))
            elif "properties" in v:
                yield from walk(v, path + (k,), titles + (v["title"],))
    return list(walk(SCHEMA["properties"][part], (), ()))


def narratives_of(part: str) -> list[str]:
    props = resolved(SCHEMA["properties"][part])["properties"]
    return [k for k, n in props.items() if viewed(n).get("x-multiline")]


# --- what a value looks like where it is shown -------------------------------------------------

def vn_number(value: float) -> str:
    """1312 → 1.312; 186.5 → 186,5 (the dot groups thousands, the comma marks decimals)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    whole, _, frac = repr(value).partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return f"{grouped},{frac}" if frac else grouped


def scalars(value: Any, node: dict[str, Any], path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any, dict[str, Any]]]:
    node = viewed(node)
    if isinstance(value, dict):
        for k, v in value.items():
            yield from scalars(v, node.get("properties", {}).get(k, {}), path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from scalars(v, node.get("items", {}), path + (i,))
    else:
        yield path, value, node


def shown(value: Any, node: dict[str, Any]) -> list[str]:
    """Every piece of text that must appear wherever this value is shown."""
    if value is None or value == "":
        return []
    if isinstance(value, str) and value in node.get("no_data", {}):
        return [node["no_data"][value]]  # in words, never as a number
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return [vn_number(value)]
    choices = {o["const"]: o["title"] for o in node.get("oneOf", []) if "const" in o}
    if value in choices:
        return [choices[value]]
    if node.get("format") == "date":
        y, m, d = str(value).split("-")
        return [f"{d}/{m}/{y}"]
    if node.get("x-multiline"):
        return [re.sub(r"^\s*[-•]\s+", "", line).strip() for line in value.splitlines() if line.strip()]
    return [line.strip() for line in value.splitlines() if line.strip()]


def norm(text: str) -> str:
    return " ".join(text.split())


def contains(text: str, piece: str, number: bool) -> bool:
    if number:  # a number must stand alone: "38" is not found inside "1.380"
        return re.search(rf"(?<![\d.,]){re.escape(piece)}(?![\d]|[.,]\d)", text) is not None
    return norm(piece) in text


def missing_values(data: dict[str, Any], text: str, skip: tuple[str, ...] = (),
                   any_case: bool = False) -> list[tuple[tuple[Any, ...], str]]:
    """Every (path, shown form) of a report's values that `text` does not contain (`any_case`:
    in capitals or not, as a header or a signature block prints a name)."""
    text = norm(text).lower() if any_case else norm(text)
    missing = []
    for path, value, node in scalars(data, SCHEMA):
        if path[0] in skip or path in (("unit", "id"), ("unit", "kind"), ("status",)):
            continue
        for piece in shown(value, node):
            if not contains(text, piece.lower() if any_case else piece, isinstance(value, (int, float))):
                missing.append((path, piece))
    return missing


# --- the built site ----------------------------------------------------------------------------

class _Page(HTMLParser):
    """A page's article: its text, its table rows (cell texts) and every link in the page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.chunks: list[str] = []
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a" and dict(attrs).get("href"):
            self.links.append(str(dict(attrs)["href"]))
        if tag == "article":
            self.depth += 1
        if not self.depth:
            return
        self.chunks.append(" ")
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.chunks.append(" ")
            if tag in ("td", "th") and self.cell is not None and self.rows:
                self.rows[-1].append(norm("".join(self.cell)))
                self.cell = None
        if tag == "article":
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.chunks.append(data)
            if self.cell is not None:
                self.cell.append(data)


@dataclass
class Page:
    path: Path
    text: str
    rows: list[list[str]]
    links: list[str]


def page(path: Path) -> Page:
    p = _Page()
    p.feed(path.read_text(encoding="utf-8"))
    return Page(path, norm("".join(p.chunks)), p.rows, p.links)


def linked_files(site: Path, pg: Page, suffix: str) -> list[Path]:
    """The files of the site a page links to, ending in `suffix` (as a reader clicks them)."""
    base = "/" + pg.path.relative_to(site).as_posix()
    found = []
    for href in pg.links:
        target = unquote(urljoin(base, href.split("#")[0]))
        if target.endswith(suffix) and (site / target.lstrip("/")).is_file():
            found.append(site / target.lstrip("/"))
    return sorted(set(found))


def copy_example(to: Path) -> Path:
    """A private copy of the example (its campaign, schema, rules and reports)."""
    shutil.copytree(EXAMPLE, to, ignore=shutil.ignore_patterns("docs", "site", "build"))
    return to


@dataclass
class Built:
    folder: Path  # the copy of the example: campaign.yaml, schema/, submissions/
    site: Path
    result: subprocess.CompletedProcess[str]


@pytest.fixture(scope="session")
def example_build(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """`python -m generator build --campaign COPY/campaign.yaml --site SITE`, once per session."""
    tmp = tmp_path_factory.mktemp("so-ket-6-thang")
    folder = copy_example(tmp / "so-ket-6-thang")
    cmd = [sys.executable, "-m", "generator", "build", "--campaign", str(folder / "campaign.yaml"),
           "--site", str(tmp / "site")]
    result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, encoding="utf-8",
                            timeout=BUILD_TIMEOUT_S, check=False)
    return Built(folder, tmp / "site", result)


@pytest.fixture(scope="session")
def site(example_build: Built) -> Path:
    r = example_build.result
    assert r.returncode == 0, said(r)
    return example_build.site


def site_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "assets" not in p.parts and p.name != "404.html")


def unit_name(uid: str) -> str:
    return str(next(u["name"] for u in ROSTER if u["id"] == uid))


def said(r: subprocess.CompletedProcess[str]) -> str:
    """What a command printed, shortened for an assertion message (its first and last lines)."""
    lines = (r.stdout + r.stderr).splitlines()
    return "\n".join(lines if len(lines) <= 30 else [*lines[:20], "…", *lines[-10:]])


# --- validate ----------------------------------------------------------------------------------

def test_the_example_is_valid(run_cli: Any) -> None:
    r = run_cli("validate", "--campaign", CAMPAIGN.relative_to(ROOT))
    assert r.returncode == 0, said(r)
    out = r.stdout
    # Its own reports are checked (the campaign file and the 3 reports beside it), by its own schema.
    assert f"Đã kiểm tra {len(REPORTS) + 1} tệp: 0 lỗi" in out, said(r)
    assert f"Báo cáo: {len(FINALS)} chính thức, {len(DRAFTS)} bản nháp" in out, said(r)
    assert "hợp lệ" in out and "KHÔNG hợp lệ" not in out, said(r)
    # The final reports are complete: only the draft has reminders.
    for uid in FINALS:
        assert f"{uid}.yaml:" not in out, said(r)
    for uid in DRAFTS:
        assert f"{uid}.yaml:" in out, said(r)


def _rule(rule_id: str) -> dict[str, Any]:
    return next(r for r in RULES["rules"] if r["id"] == rule_id)


def _line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


@pytest.mark.parametrize(
    ("rule_id", "uid", "old", "new", "words"),
    [
        # Admitted to the Party (9) more than the members put forward (5).
        ("ket-nap-dang-le-gioi-thieu", "thi-tran-trieu-son", "ket_nap_dang: 3", "ket_nap_dang: 9",
         {"left": "9", "right": "5", "item": ""}),
        # Two rows for March in the monthly table: the second one, written for April, is wrong.
        ("thang-mot-dong", "xa-dan-luc", "{thang: 4,", "{thang: 3,", {"left": "", "right": "", "item": "3"}),
    ],
)
def test_a_broken_rule_gives_the_rules_message(run_cli: Any, tmp_path: Path, rule_id: str, uid: str,
                                               old: str, new: str, words: dict[str, str]) -> None:
    folder = copy_example(tmp_path / "dot")
    report = folder / "submissions" / f"{uid}.yaml"
    text = report.read_text(encoding="utf-8")
    assert text.count(old) == 1
    line = _line_of(report, old)  # the line the mistake is on
    report.write_text(text.replace(old, new), encoding="utf-8")
    r = run_cli("validate", "--campaign", folder / "campaign.yaml")
    assert r.returncode == 1, said(r)
    message = _rule(rule_id)["message"].format(**words)
    hits = [x for x in r.stdout.splitlines() if f"{uid}.yaml:{line}:" in x and message in x]
    assert len(hits) == 1 and ": lỗi: " in hits[0], said(r)


def test_the_campaigns_schema_and_rules_are_read_from_where_it_says(run_cli: Any, tmp_path: Path) -> None:
    """`report_schema:` and `rules:` are paths relative to the campaign file, wherever they are."""
    folder = copy_example(tmp_path / "dot")
    (folder / "de-cuong").mkdir()
    shutil.move(folder / CAMPAIGN_DATA["report_schema"], folder / "de-cuong" / "bao-cao.schema.json")
    rules_text = (folder / CAMPAIGN_DATA["rules"]).read_text(encoding="utf-8")
    message = _rule("ket-nap-dang-le-gioi-thieu")["message"]
    changed = "số kết nạp Đảng ({left}) vượt số đã giới thiệu ({right}) — lời của tệp luật đã chuyển chỗ"
    assert rules_text.count(message) == 1
    (folder / "de-cuong" / "luat.yaml").write_text(rules_text.replace(message, changed), encoding="utf-8")
    (folder / CAMPAIGN_DATA["rules"]).unlink()
    (folder / "schema").rmdir()
    campaign = (folder / "campaign.yaml").read_text(encoding="utf-8")
    campaign = campaign.replace(f"report_schema: {CAMPAIGN_DATA['report_schema']}",
                                "report_schema: de-cuong/bao-cao.schema.json")
    campaign = campaign.replace(f"rules: {CAMPAIGN_DATA['rules']}", "rules: de-cuong/luat.yaml")
    (folder / "campaign.yaml").write_text(campaign, encoding="utf-8")
    r = run_cli("validate", "--campaign", folder / "campaign.yaml")
    assert r.returncode == 0, said(r)
    assert f"Báo cáo: {len(FINALS)} chính thức, {len(DRAFTS)} bản nháp" in r.stdout, said(r)
    report = folder / "submissions" / "thi-tran-trieu-son.yaml"
    report.write_text(report.read_text(encoding="utf-8").replace("ket_nap_dang: 3", "ket_nap_dang: 9"),
                      encoding="utf-8")
    r = run_cli("validate", "--campaign", folder / "campaign.yaml")
    assert r.returncode == 1, said(r)
    assert changed.format(left="9", right="5") in r.stdout, said(r)


# --- new ---------------------------------------------------------------------------------------

def test_new_writes_the_plans_starter_for_a_roster_unit(run_cli: Any, tmp_path: Path) -> None:
    folder = copy_example(tmp_path / "dot")
    missing = [u for u in ROSTER if u["id"] not in REPORTS]
    assert missing, "the example's roster has a unit that has not reported"
    unit = missing[0]
    # Beside the campaign, in its own submissions/ folder: never the repository's.
    made = folder / "submissions" / f"{unit['id']}.yaml"
    elsewhere = ROOT / "submissions" / f"{unit['id']}.yaml"
    assert not elsewhere.exists()
    try:
        r = run_cli("new", unit["id"], "--campaign", folder / "campaign.yaml")
        assert not elsewhere.exists(), "written into the repository's submissions/"
    finally:
        elsewhere.unlink(missing_ok=True)
    assert r.returncode == 0, said(r)
    assert made.is_file(), said(r)
    text = made.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert list(data) == list(SCHEMA["properties"])
    assert data["unit"] == {"id": unit["id"], "name": unit["name"], "kind": unit["kind"]}
    assert data["status"] == "draft"
    for key in PARTS:  # each part under the plan's own heading
        assert f"# {heading(key)}" in text, key
    for key in object_parts():
        for fig in figures_of(key):
            assert f"# {fig.title}" in text, (key, fig.path)
    r = run_cli("validate", "--campaign", folder / "campaign.yaml")
    assert r.returncode == 0, said(r)
    assert f"Báo cáo: {len(FINALS)} chính thức, {len(DRAFTS) + 1} bản nháp" in r.stdout, said(r)


# --- build: pages ------------------------------------------------------------------------------

def test_build_says_who_reported_and_writes_beside_the_campaign(example_build: Built) -> None:
    r = example_build.result
    assert r.returncode == 0, said(r)
    assert (f"{len(FINALS)}/{len(ROSTER)} đơn vị đã gửi báo cáo chính thức, "
            f"{len(DRAFTS)} đơn vị đang soạn (bản nháp)") in r.stdout, said(r)
    # Without --docs, the Markdown goes beside the campaign file, not into the repository's docs/.
    assert (example_build.folder / "docs" / "index.md").is_file()
    assert (example_build.site / "index.html").is_file()


def test_the_site_speaks_of_this_plan_only(site: Path) -> None:
    home = page(site / "index.html")
    assert CAMPAIGN_DATA["site_name"] in (site / "index.html").read_text(encoding="utf-8")
    assert CAMPAIGN_DATA["plan"]["number"] in home.text
    y, m, d = CAMPAIGN_DATA["deadline"].split("-")
    assert f"{d}/{m}/{y}" in home.text
    # Nothing of the 02-NQ/TU five-year review leaks into a site built from another plan: not its
    # documents, district, outline, years, nor the kind of review ("tổng kết"; this is a "sơ kết").
    leaks = []
    for p in site_pages(site):
        text = page(p).text.lower()
        for words in ("02-NQ/TU", "161-KH", "Thọ Xuân", "Nghị quyết", "Mục I–III", "Phụ lục 5", "2016",
                      "tổng kết"):
            if words.lower() in text:
                leaks.append((p.relative_to(site).as_posix(), words))
    assert leaks == []


@pytest.mark.parametrize("uid", sorted(REPORTS))
def test_each_unit_page_shows_every_value_under_the_plans_headings(site: Path, uid: str) -> None:
    pg = page(site / "don-vi" / f"{uid}.html")
    assert unit_name(uid) in pg.text
    positions = [pg.text.find(norm(heading(k))) for k in PARTS]
    assert all(p >= 0 for p in positions), [heading(k) for k, p in zip(PARTS, positions) if p < 0]
    assert positions == sorted(positions)
    assert missing_values(REPORTS[uid], pg.text) == []
    assert figure_problems(pg.rows, REPORTS[uid]) == []
    if uid in DRAFTS:
        assert "bản nháp" in pg.text.lower()


def _summary_row(rows: list[list[str]], titles: tuple[str, ...]) -> list[str] | None:
    """The row of a figure: a cell says its title (a nested one's with its group's, or alone)."""
    for row in rows:
        if any(cell == norm(titles[-1]) or (len(titles) > 1 and all(norm(t) in cell for t in titles))
               for cell in row):
            return row
    return None


def figure_problems(rows: list[list[str]], report: dict[str, Any]) -> list[Any]:
    """Every figure of the report's sections that is not on its own row of a table, next to its
    title, as the unit wrote it: a number, "no data" in words, or "—" when left empty. Found in
    its row, not anywhere on the page: "186,5" in a unit's text is no proof."""
    problems: list[Any] = []
    for part in object_parts():
        for fig in figures_of(part):
            value = fig.of(report[part])
            want = shown(value, fig.node) or ["—"]
            row = _summary_row(rows, fig.titles)
            number = isinstance(value, (int, float)) and not isinstance(value, bool)
            if row is None or not any(contains(c, want[0], number) for c in row if c != norm(fig.title)):
                problems.append((part, fig.path, want[0], row))
    return problems


def test_the_summary_totals_every_figure_of_the_final_reports(site: Path) -> None:
    pg = page(site / "index.html")
    wrong = []
    for part in object_parts():
        for fig in figures_of(part):
            values = fig.numbers(part, FINALS)
            total = vn_number(sum(values)) if values else "—"
            row = _summary_row(pg.rows, fig.titles)
            if row is None:
                wrong.append((part, fig.path, "no row"))
                continue
            # The total of the final reports, and how many of them gave the figure: x/y đơn vị.
            if not any(contains(c, total, True) for c in row) or not any(
                    f"{len(values)}/{len(FINALS)}" in c for c in row):
                wrong.append((part, fig.path, total, f"{len(values)}/{len(FINALS)}", row))
    assert wrong == []


def test_the_summary_leaves_drafts_out(site: Path) -> None:
    """A draft's figures never count: the admissions total is the final reports' alone."""
    pg = page(site / "index.html")
    fig = next(f for f in figures_of("chi_tieu") if f.path == ("ket_nap_doan_vien",))
    row = _summary_row(pg.rows, fig.titles)
    assert row is not None
    finals = sum(r["chi_tieu"]["ket_nap_doan_vien"] for r in FINALS.values())
    everyone = finals + sum(r["chi_tieu"]["ket_nap_doan_vien"] for r in DRAFTS.values())
    assert any(contains(c, vn_number(finals), True) for c in row), row
    assert not any(contains(c, vn_number(everyone), True) for c in row), row
    for uid in DRAFTS:
        assert unit_name(uid) in pg.text  # named as a unit still writing its report


def _section_pages(site: Path) -> list[Page]:
    return [page(p) for p in site_pages(site)
            if p.parent != site / "don-vi" and p.name != "index.html"]


def _section_problems(pg: Page, part: str) -> list[Any]:
    """What a page compiling part `part` lacks: every final unit's name and values of the part,
    and no line of a draft's texts (a draft is not filed yet)."""
    problems: list[Any] = []
    for uid, report in FINALS.items():
        if unit_name(uid) not in pg.text:
            problems.append((uid, "unit not named"))
        problems += [(uid, m) for m in missing_values({part: report[part]}, pg.text)]
    props = resolved(SCHEMA["properties"][part])["properties"]
    for uid, report in DRAFTS.items():
        for key in narratives_of(part):
            problems += [(uid, key, "draft shown") for line in shown(report[part][key], viewed(props[key]))
                         if norm(line) in pg.text]
    return problems


@pytest.mark.parametrize("part", [k for k in object_parts() if narratives_of(k)])
def test_a_section_page_compiles_the_parts_texts_by_unit(site: Path, part: str) -> None:
    pages = [p for p in _section_pages(site) if norm(heading(part)) in p.text]
    assert pages, f"no page for {heading(part)}"
    found = {p.path.relative_to(site).as_posix(): _section_problems(p, part) for p in pages}
    assert [] in found.values(), found


@pytest.mark.parametrize("part", array_parts())
def test_every_table_and_list_is_shown_by_unit_beyond_the_unit_pages(site: Path, part: str) -> None:
    """An array of rows is a table per unit: the district sees every final unit's rows together."""
    pages = [p for p in [page(site / "index.html"), *_section_pages(site)] if norm(heading(part)) in p.text]
    assert pages, f"no page but the units' shows {heading(part)}"
    assert any(all(unit_name(uid) in p.text and missing_values({part: r[part]}, p.text) == []
                   for uid, r in FINALS.items()) for p in pages), [p.path.name for p in pages]


def _reports_in(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        if isinstance(node.get("unit"), dict):
            yield node
        for v in node.values():
            yield from _reports_in(v)
    elif isinstance(node, list):
        for v in node:
            yield from _reports_in(v)


def _csv_cells(v: float) -> set[str]:
    return {str(v), vn_number(v), repr(float(v)) if isinstance(v, float) else str(v)}


def test_the_downloads_hold_the_reports(site: Path) -> None:
    """The summary's downloads: every report whole in the JSON (drafts marked), and each final
    unit's figures on its own row of a CSV file."""
    import csv

    pg = page(site / "index.html")
    jsons = linked_files(site, pg, ".json")
    assert jsons, pg.links
    found = [r for f in jsons for r in _reports_in(json.loads(f.read_text(encoding="utf-8")))]
    for uid, report in REPORTS.items():
        same = [r for r in found if r["unit"].get("id") == uid and all(r.get(k) == report[k] for k in PARTS)]
        assert same, uid
    rows = []
    for f in linked_files(site, pg, ".csv"):
        with open(f, encoding="utf-8-sig", newline="") as fh:
            rows.extend(list(csv.reader(fh)))
    assert rows, pg.links
    for uid, report in FINALS.items():
        cells = {c for row in rows if uid in row or unit_name(uid) in row for c in row}
        for part in object_parts():
            for fig in figures_of(part):
                v = fig.of(report[part])
                if isinstance(v, (int, float)):
                    assert _csv_cells(v) & cells, (uid, part, fig.path, v)


# --- Word and Excel ----------------------------------------------------------------------------

@pytest.mark.parametrize("uid", sorted(REPORTS))
def test_the_units_word_report_holds_every_value(site: Path, uid: str) -> None:
    pg = page(site / "don-vi" / f"{uid}.html")
    docs = linked_files(site, pg, ".docx")
    assert len(docs) == 1, pg.links
    text = doc_text(docs[0])
    assert "BÁO CÁO" in text
    assert unit_name(uid).upper() in text.upper()
    positions = [text.find(norm(heading(k))) for k in PARTS]
    assert all(p >= 0 for p in positions), [heading(k) for k, p in zip(PARTS, positions) if p < 0]
    assert positions == sorted(positions)
    assert missing_values(REPORTS[uid], doc_text(docs[0], properties=True)) == []
    # A figure of a section is a line of its own: "Số đoàn viên: 392".
    said = [(part, fig.path, line) for part in object_parts() for fig in figures_of(part)
            for want in shown(fig.of(REPORTS[uid][part]), fig.node)
            if (line := f"{norm(fig.title)}: {want}") not in text]
    assert said == []
    assert ("BẢN NHÁP" in text) == (uid in DRAFTS)


def test_the_districts_word_draft_has_the_outline_and_totals(site: Path) -> None:
    pg = page(site / "index.html")
    unit_docs = {f"{uid}.docx" for uid in REPORTS}
    drafts = [f for f in linked_files(site, pg, ".docx") if f.name not in unit_docs]
    assert len(drafts) == 1, pg.links
    text = doc_text(drafts[0])
    assert CAMPAIGN_DATA["documents"]["issuer"].upper() in text.upper()
    for key in PARTS:
        assert norm(heading(key)) in text, key
    # The district's total of every figure, with how many units gave it.
    for part in object_parts():
        for fig in figures_of(part):
            values = fig.numbers(part, FINALS)
            if values:
                said_total = f"{norm(fig.title)}: {vn_number(sum(values))} ({len(values)}/{len(FINALS)} đơn vị"
                assert said_total in text, said_total
    # Every final unit's texts to write from, and no draft's.
    for uid, report in FINALS.items():
        assert unit_name(uid) in text
        for part in object_parts():
            assert missing_values({part: {k: report[part][k] for k in narratives_of(part)}}, text) == [], uid
    for uid, report in DRAFTS.items():
        for part in object_parts():
            for key in narratives_of(part):
                for line in shown(report[part][key], {"x-multiline": True}):
                    assert norm(line) not in text, (uid, part, key)


def test_the_workbook_has_each_units_figures_and_the_totals(site: Path) -> None:
    import openpyxl

    pg = page(site / "index.html")
    books = linked_files(site, pg, ".xlsx")
    assert len(books) == 1, pg.links
    wb = openpyxl.load_workbook(books[0])
    values: list[Any] = []
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            values.extend(v for v in row if v is not None)
    texts = norm(" ".join(str(v) for v in values if isinstance(v, str)) + " " + " ".join(wb.sheetnames))
    numbers = [float(v) for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
    for key in [k for k in object_parts() if figures_of(k)] + array_parts():
        # every part with figures or rows, by its title (a sheet's name, or a heading in one)
        title = norm(SCHEMA["properties"][key]["title"])
        assert title in texts or norm(heading(key)) in texts or any(
            title.startswith(name) for name in wb.sheetnames), key
    for uid, report in FINALS.items():
        assert unit_name(uid) in texts
    for part in object_parts():
        for fig in figures_of(part):
            assert norm(fig.title) in texts, (part, fig.path)
            got = fig.numbers(part, FINALS)
            for v in got:  # each unit's figure, as a number a formula can add up
                assert float(v) in numbers, (part, fig.path, v)
            if got:
                assert float(sum(got)) in numbers or any(
                    isinstance(v, str) and v.startswith("=SUM") for v in values), (part, fig.path, sum(got))
    for part in array_parts():
        for report in FINALS.values():
            for path, v, _ in scalars({part: report[part]}, SCHEMA):
                if isinstance(v, (int, float)):
                    assert float(v) in numbers, path


# --- the editor --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def served_example(site: Path) -> Iterator[str]:
    with serving(site) as base:
        yield base


@pytest.fixture
def phone(browser: Any, served_example: str) -> Iterator[Visit]:  # noqa: F811
    v = Visit(browser, served_example)
    v.page.set_viewport_size(PHONE)
    v.page.add_init_script("window.open = () => null;")
    yield v
    v.close()
    assert v.errors == [], v.errors
    assert v.outside == [], v.outside


def _editor(v: Visit) -> Any:
    pg = v.open("nop-truc-tuyen.html")
    pg.locator(".ed-chip[data-state]").first.wait_for()
    return pg


def _goto(pg: Any, step: str) -> Any:
    pg.click(f".ed-chip[data-step='{step}']")
    shown_step = pg.locator(f".ed-step[data-step='{step}']:not([hidden])")
    shown_step.wait_for()
    return shown_step


def test_the_editor_walks_through_the_plans_steps(phone: Visit) -> None:
    pg = _editor(phone)
    options = pg.locator('select[name="unit.id"] option').evaluate_all("os => os.map(o => o.value)")
    assert [o for o in options if o] == [u["id"] for u in ROSTER]
    steps = pg.locator(".ed-chip").evaluate_all("cs => cs.map(c => c.dataset.step)")
    # The unit and signer first, then one step per part of the outline, then "Hoàn tất".
    assert steps == ["unit", *PARTS, "finish"], steps
    for key in PARTS:
        chip = pg.locator(f".ed-chip[data-step='{key}']")
        assert norm(SCHEMA["properties"][key]["title"]).split(",")[0] in norm(chip.text_content() or "")
        step = _goto(pg, key)
        assert norm(step.locator("h2").inner_text()) == norm(heading(key))
        if key in object_parts():
            labels = norm(step.inner_text())
            props = resolved(SCHEMA["properties"][key])["properties"]
            for field, node in props.items():
                assert norm(viewed(node)["title"]) in labels, (key, field)
    phone.shot("example-editor-steps", full=False)
    assert pg.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_editor_checks_a_sample_by_the_plans_rules(phone: Visit) -> None:
    pg = _editor(phone)
    sample = EXAMPLE / "submissions" / "thi-tran-trieu-son.yaml"
    pg.set_input_files("#ed-file", str(sample))
    pg.locator(".ed-note", has_text=f"Đã nạp {sample.name}").wait_for()
    _goto(pg, "finish")
    pg.locator("#ed-verdict.ed-good").wait_for()
    _goto(pg, "chi_tieu")
    pg.fill('[name="chi_tieu.ket_nap_dang"]', "9")
    pg.press('[name="chi_tieu.ket_nap_dang"]', "Tab")
    msg = pg.locator(".ed-field[data-path='[\"chi_tieu\",\"ket_nap_dang\"]'] .ed-msg .ed-msg-error")
    msg.first.wait_for()
    # The same words as the CLI: the message of the plan's own rule.
    want = _rule("ket-nap-dang-le-gioi-thieu")["message"].format(left="9", right="5")
    assert want in norm(msg.first.text_content() or "")


def test_the_editors_print_view_holds_every_value(phone: Visit) -> None:
    pg = _editor(phone)
    uid = next(iter(FINALS))
    sample = EXAMPLE / "submissions" / f"{uid}.yaml"
    pg.set_input_files("#ed-file", str(sample))
    pg.locator(".ed-note", has_text=f"Đã nạp {sample.name}").wait_for()
    _goto(pg, "finish")
    pg.click("#ed-print-open")
    paper = pg.locator("#ed-paper")
    paper.wait_for()
    text = norm(paper.inner_text())  # with the breaks between table cells
    assert "BÁO CÁO" in text and "Nơi nhận:" in text
    for key in PARTS:
        assert norm(heading(key)) in text, key
    # The date of sending is printed in the place-and-date line, not as a value.
    missing = missing_values(REPORTS[uid], text, skip=("submission_date",), any_case=True)
    assert missing == [], missing
