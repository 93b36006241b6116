"""The page "Nộp báo cáo trực tuyến" in real headless Chromium, at a phone's width, as a unit
secretary uses it: typing into the form, choosing "no data", adding rows, downloading the file,
which `python -m generator validate` then accepts; loading a sample and exporting it unchanged;
a wrong value's message next to its field, in the CLI's words; a draft surviving a reload.

Every test waits on conditions (the page checks 250 ms after the last keystroke), never a fixed
delay; the `visit` fixture records console errors and refuses every request off localhost.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import CASES, ROOT, run
from test_browser import Visit, browser, served  # noqa: F401  (fixtures)

from generator.load import load_yaml
from generator.schema import REPORT_SCHEMA

PHONE = {"width": 390, "height": 844}
SAMPLES = sorted((ROOT / "submissions").glob("*.yaml"))


@pytest.fixture
def phone(browser: Any, served: tuple[str, Path, str]) -> Iterator[Visit]:  # noqa: F811
    v = Visit(browser, served[0])
    v.page.set_viewport_size(PHONE)
    # "Gửi lên GitHub" opens github.com: record the address instead of leaving the machine.
    v.page.add_init_script("window.__opened = []; window.open = (u) => { window.__opened.push(u); return null; };")
    yield v
    v.close()
    assert v.errors == [], v.errors
    assert v.outside == [], v.outside


def open_editor(v: Visit) -> Any:
    page = v.open("nop-truc-tuyen.html")
    page.locator(".ed-chip[data-state]").first.wait_for()
    return page


def data_of(path: Path) -> dict[str, Any]:
    return load_yaml(path, schema=REPORT_SCHEMA).data


def name(path: tuple[Any, ...]) -> str:
    return ".".join(map(str, path))


def scalars(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from scalars(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from scalars(v, path + (i,))
    else:
        yield path, value


def goto_step(page: Any, step: str) -> Any:
    """Tap the step's chip in the step bar; the step's section is then the one shown."""
    page.click(f".ed-chip[data-step='{step}']")
    shown = page.locator(f".ed-step[data-step='{step}']:not([hidden])")
    shown.wait_for()
    return shown


def reach(page: Any, key: str) -> None:
    """Tap "Tiếp" until the step holding the report's part `key` is shown."""
    for _ in range(40):
        if page.locator(f".ed-step:not([hidden]) [data-path^='[\"{key}\"']").count():
            return
        page.click("#ed-next")
    raise AssertionError(f"no step holds {key}")


def step_order(data: dict[str, Any]) -> list[str]:
    """The report's parts in the form's order: the outline, then the single values (Hoàn tất)."""
    return [k for k, v in data.items() if isinstance(v, (dict, list))] + [
        k for k, v in data.items() if not isinstance(v, (dict, list))]


def fill_report(page: Any, data: dict[str, Any], skip: tuple[tuple[Any, ...], ...] = ()) -> None:
    """Fill the form with `data` step by step through its controls, as a person would."""
    page.select_option('select[name="unit.id"]', data["unit"]["id"])
    for key in step_order(data):
        if key == "unit":
            continue
        reach(page, key)
        value = data[key]
        # Rows first (Appendices 4 and 6 have theirs, one per year), then whole groups "no data".
        lists = [((key,), value)] if isinstance(value, list) else [
            ((key, k), v) for k, v in value.items() if isinstance(v, list)] if isinstance(value, dict) else []
        for path, rows in lists:
            box = page.locator(f".ed-list[data-path='{json.dumps(list(path), separators=(',', ':'))}']")
            add = box.locator(":scope > button.ed-add")
            if add.count():
                for _ in rows:
                    add.click()
        part = {key: value}
        groups = {p: v for p, v in scalars(part) if isinstance(v, str)
                  and page.locator(f'select[name="{name(p)}.no-data"]').count() and len(p) == 2 and p[0].startswith("appendix_")}
        for p, v in groups.items():
            page.select_option(f'select[name="{name(p)}.no-data"]', v)
        for p, v in scalars(part):
            n = name(p)
            if p in groups or v is None or p in skip:
                continue
            if page.locator(f'input[type="radio"][name="{n}"]').count():
                page.check(f'input[type="radio"][name="{n}"][value="{v}"]')
            elif isinstance(v, str) and page.locator(f'select[name="{n}.no-data"]').count() and page.locator(
                    f'select[name="{n}.no-data"] option[value="{v}"]').count() != 0:
                page.select_option(f'select[name="{n}.no-data"]', v)
            elif page.locator(f'select[name="{n}"]').count():
                page.select_option(f'select[name="{n}"]', v)
            elif page.locator(f'[name="{n}"]').count():
                field = page.locator(f'[name="{n}"]')
                if field.get_attribute("readonly") is None:
                    # Decimals typed the Vietnamese way, with a comma; dates as day/month/year.
                    text = str(v).replace(".", ",") if isinstance(v, float) else str(v)
                    if field.get_attribute("placeholder") == "ngày/tháng/năm":
                        text = "/".join(reversed(text.split("-")))
                    field.fill(text)
                    field.press("Tab")
            else:
                assert p[-1] == "year", f"no control for {n}"  # a year row's year is given
    reach(page, "status")


def past_the_edge(page: Any) -> list[str]:
    """Controls of the shown step reaching past the right edge of the screen."""
    return page.evaluate("""[...document.querySelectorAll('.ed-step:not([hidden]) :is(input:not([type=file]), select, textarea, button, .ed-msg)')]
        .filter(e => e.offsetParent !== null && e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
        .map(e => e.name || e.id || e.className)""")


def blank_as_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: blank_as_none(v) for k, v in value.items()}
    if isinstance(value, list):
        return [blank_as_none(v) for v in value]
    return None if value == "" else value


def downloaded(page: Any, tmp: Path) -> Path:
    if not page.locator("#ed-download").is_visible():
        goto_step(page, "finish")
    with page.expect_download() as info:
        page.click("#ed-download")
    target = tmp / info.value.suggested_filename
    info.value.save_as(target)
    return target


def validate(tmp: Path, file: Path) -> Any:
    subs = tmp / "submissions"
    subs.mkdir(exist_ok=True)
    shutil.copy(file, subs / file.name)
    return run("validate", "--format", "json", "--campaign", ROOT / "campaign.yaml", subs / file.name)


@pytest.mark.parametrize("sample", [p for p in SAMPLES if data_of(p).get("status") == "final"][:1],
                         ids=lambda p: p.stem)
def test_fill_a_whole_report_step_by_step_on_a_phone_and_download_a_valid_file(
        phone: Visit, sample: Path, tmp_path: Path) -> None:
    page = open_editor(phone)
    # Nothing is said before the person acts: no warning, no "not filled in" under any field.
    assert page.locator(".ed-msg span").count() == 0
    assert "Cảnh báo" not in page.locator("#ed-app").inner_text()
    want = data_of(sample)
    left_out = ("section_1", "members")
    fill_report(page, want, skip=(left_out,))
    # Hoàn tất: the one field left lists as a problem, a link that opens its step and focuses it.
    page.locator("#ed-verdict.ed-bad").wait_for()
    link = page.locator(f".ed-problem-link[data-path='{json.dumps(list(left_out), separators=(',', ':'))}']")
    assert "Số đoàn viên" in link.inner_text()
    assert page.locator(".ed-chip[data-step='section_1']").get_attribute("data-state") == "left"
    phone.shot("editor-finish-with-a-problem")
    link.click()
    page.locator(".ed-step[data-step='section_1']:not([hidden])").wait_for()
    assert page.evaluate("document.activeElement.name") == "section_1.members"
    page.keyboard.type(str(want["section_1"]["members"]))
    page.keyboard.press("Tab")
    goto_step(page, "finish")
    page.locator("#ed-verdict.ed-good").wait_for()
    assert "Báo cáo chính thức không có lỗi" in page.locator("#ed-verdict").inner_text()
    # Every step done; a date typed day/month/year is stored as the schema's ISO date.
    states = page.locator(".ed-chip").evaluate_all("cs => cs.map(c => c.dataset.state)")
    assert states == ["done"] * len(states), states
    # No page-level horizontal scrolling at 390 px; appendix rows are cards on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.locator(".ed-chip[data-step='finish']").get_attribute("data-state") == "done"
    small = page.evaluate("""[...document.querySelectorAll('#ed-app button, #ed-app select, #ed-app input:not([type=radio]):not([type=file]), #ed-app textarea, #ed-app .ed-radio')]
        .filter(e => e.offsetParent !== null).map(e => e.getBoundingClientRect()).filter(r => r.height < 44).length""")
    assert small == 0
    assert page.locator("#ed-contact").inner_text().strip()
    assert page.locator(".ed-filename").inner_text() == f"{want['unit']['id']}.yaml"
    assert "Tải xuống (Download)" in page.locator(".ed-send-steps").inner_text()
    phone.shot("editor-finish-phone")
    file = downloaded(page, tmp_path)
    assert file.name == f"{want['unit']['id']}.yaml"
    text = file.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    assert "\\u" not in text  # Vietnamese as is, not escaped
    assert f"submission_date: {want['submission_date']}\n" in text
    r = validate(tmp_path, file)
    assert r.returncode == 0, r.stdout
    # A person leaves a field blank; the sample's `""` (a text written as empty quotes) is the
    # same "nothing written" to every rule, and the form writes it as an empty value.
    assert data_of(file) == blank_as_none(want)


def test_no_field_reaches_past_the_right_edge_of_a_phone(phone: Visit) -> None:
    page = open_editor(phone)
    sample = next(p for p in SAMPLES if data_of(p).get("status") == "final")
    page.set_input_files("#ed-file", str(sample))
    page.locator(".ed-note", has_text="Đã nạp").wait_for()
    for step in page.locator(".ed-chip").evaluate_all("cs => cs.map(c => c.dataset.step)"):
        goto_step(page, step)
        assert past_the_edge(page) == [], step
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], step
        # No step is taller than 8 screens of the phone.
        assert page.locator(f".ed-step[data-step='{step}']").evaluate("e => e.offsetHeight") <= 8 * PHONE["height"], step
    goto_step(page, "appendix_4")
    phone.shot("editor-appendix-cards-phone", full=False)


def test_a_date_typed_day_month_year_is_stored_as_the_iso_date(phone: Visit) -> None:
    page = open_editor(phone)
    page.select_option('select[name="unit.id"]', "xa-xuan-hong")
    goto_step(page, "finish")
    assert page.locator('input[type="date"]').count() == 0
    page.fill('[name="submission_date"]', "20/01/2021")
    page.press('[name="submission_date"]', "Tab")
    page.wait_for_function("document.querySelector('#ed-yaml').value.includes('submission_date: 2021-01-20')")
    assert page.locator('[name="submission_date"]').input_value() == "20/01/2021"


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_a_sample_loaded_and_exported_unchanged_is_equal(phone: Visit, sample: Path, tmp_path: Path) -> None:
    page = open_editor(phone)
    page.set_input_files("#ed-file", str(sample))
    page.locator(".ed-note", has_text=f"Đã nạp {sample.name}").wait_for()
    file = downloaded(page, tmp_path)
    got, want = data_of(file), data_of(sample)
    assert [(p, v) for p, v in scalars(got) if (p, v) not in list(scalars(want))] == []
    assert got == want


def test_a_wrong_value_shows_the_cli_words_next_to_the_field(phone: Visit, tmp_path: Path) -> None:
    page = open_editor(phone)
    sample = next(p for p in SAMPLES if data_of(p).get("status") == "final")
    page.set_input_files("#ed-file", str(sample))
    page.locator(".ed-note", has_text="Đã nạp").wait_for()
    goto_step(page, "section_1")
    page.fill('[name="section_1.members"]', "-1")
    page.fill('[name="section_1.branches"]', "010")
    goto_step(page, "appendix_2")
    page.fill('[name="appendix_2.secretaries.education.university"]', "999")
    page.press('[name="appendix_2.secretaries.education.university"]', "Tab")
    cells = {
        ("section_1", "members"): page.locator(".ed-field[data-path='[\"section_1\",\"members\"]'] .ed-msg"),
        ("section_1", "branches"): page.locator(".ed-field[data-path='[\"section_1\",\"branches\"]'] .ed-msg"),
        ("appendix_2", "secretaries", "education"): page.locator(
            "td[data-path='[\"appendix_2\",\"secretaries\",\"education\",\"masters\"]'] .ed-msg"),
    }
    cells[("appendix_2", "secretaries", "education")].locator(".ed-msg-error").first.wait_for()
    phone.shot("editor-wrong-values")
    goto_step(page, "section_1")
    for path, loc in cells.items():
        if path[0] == "section_1":
            loc.locator(".ed-msg-error").first.wait_for()
    cli = json.loads(validate(tmp_path, downloaded(page, tmp_path)).stdout)["problems"]
    by_path = {tuple(p["path"]): p for p in cli}
    for path, loc in cells.items():
        shown = loc.text_content()
        cli_problem = by_path[path]
        assert cli_problem["message"] in shown, (shown, cli_problem)
    assert "không được là số âm, tìm thấy -1" in cells[("section_1", "members")].text_content()
    assert "“010” có số 0 ở đầu; hãy viết 10" in cells[("section_1", "branches")].text_content()


def test_a_draft_survives_a_reload(phone: Visit) -> None:
    page = open_editor(phone)
    page.select_option('select[name="unit.id"]', "xa-xuan-hong")
    goto_step(page, "section_1")
    page.fill('[name="section_1.situation"]', "Đoàn xã có 12 chi đoàn.\n\nDòng thứ hai: “trích dẫn” # không phải ghi chú")
    page.wait_for_function("(localStorage.getItem('bao-cao-ban-nhap:xa-xuan-hong') || '').includes('Dòng thứ hai')")
    page.reload()
    page.locator(".ed-note", has_text="Đã khôi phục bản nháp").wait_for()
    goto_step(page, "section_1")
    assert page.locator('[name="section_1.situation"]').input_value().startswith("Đoàn xã có 12 chi đoàn.\n\nDòng thứ hai")
    assert page.locator('select[name="unit.id"]').input_value() == "xa-xuan-hong"


def test_github_link_carries_the_file(phone: Visit) -> None:
    page = open_editor(phone)
    page.select_option('select[name="unit.id"]', "xa-xuan-hong")
    page.click("#ed-gh-box > summary")
    page.click("#ed-github")
    page.wait_for_function("window.__opened.length > 0")
    url = page.evaluate("window.__opened[0]")
    campaign = yaml.safe_load((ROOT / "campaign.yaml").read_text(encoding="utf-8"))
    assert url.startswith(f"{campaign['repository']['url']}/new/main/submissions?filename=xa-xuan-hong.yaml&value=")
    from urllib.parse import parse_qs, urlparse
    assert parse_qs(urlparse(url).query)["value"][0] == page.locator("#ed-yaml").input_value()


UPLOADED = ["negative-count", "duplicate-key", "a2-education-sum", "number-leading-zero", "empty-file",
            "top-level-list", "unknown-key", "final-empty-member-count"]


@pytest.mark.parametrize("case", UPLOADED)
def test_an_uploaded_file_shows_the_cli_problems_with_their_lines(phone: Visit, case: str) -> None:
    """The page says what the CLI prints for the same file, line, column and words."""
    path = CASES / "invalid" / case / "xa-mau.yaml"  # built from its patch (tests/casefiles.py)
    rel = str(path)
    # The CLI's lines for the file, checked against the site's campaign as the page checks it.
    cli = run("validate", rel, "--campaign", "campaign.yaml").stdout
    expected = [line.replace(rel + ":", "xa-mau.yaml:", 1) for line in cli.splitlines() if line.startswith(rel + ":")]
    assert expected
    page = open_editor(phone)
    page.set_input_files("#ed-file", str(path))
    page.locator(".ed-file-problems li").first.wait_for()
    shown = page.locator(".ed-file-problems li").all_inner_texts()
    assert shown == expected


def test_loading_the_units_submission_from_the_site(phone: Visit, tmp_path: Path) -> None:
    sample = next(p for p in SAMPLES if data_of(p).get("status") == "final")
    page = open_editor(phone)
    page.select_option('select[name="unit.id"]', sample.stem)
    page.click("#ed-existing")
    page.locator(".ed-note", has_text="Đã nạp báo cáo đã gửi của đơn vị").wait_for()
    assert data_of(downloaded(page, tmp_path)) == data_of(sample)


def test_a_draft_from_an_older_schema_loads_what_fits(phone: Visit) -> None:
    page = open_editor(phone)
    old = ("# yaml-language-server: $schema=../schema/report.schema.json\nunit:\n  id: xa-xuan-hong\n"
           "  name: Đoàn xã Xuân Hồng\n  kind: commune\nstatus: draft\nsection_1:\n  members: 120\n"
           "  youth_union_houses: 3\n")
    page.evaluate("""(text) => localStorage.setItem('bao-cao-ban-nhap', JSON.stringify(
        {yaml: text, stamp: 'mẫu cũ', unitId: 'xa-xuan-hong', savedAt: '2021-01-10T08:00:00Z'}))""", old)
    page.reload()
    note = page.locator(".ed-note")
    note.locator("li").first.wait_for()
    assert "soạn theo mẫu báo cáo cũ" in note.inner_text()
    assert note.locator("li").all_inner_texts() == ["Mục I › youth_union_houses"]
    # The one draft of before moved to its unit's own place.
    assert page.evaluate("localStorage.getItem('bao-cao-ban-nhap')") is None
    assert "members: 120" in page.evaluate("JSON.parse(localStorage.getItem('bao-cao-ban-nhap:xa-xuan-hong')).yaml")
    goto_step(page, "section_1")
    assert page.locator('[name="section_1.members"]').input_value() == "120"


def test_github_edits_the_units_existing_file(phone: Visit) -> None:
    sample = SAMPLES[0]
    page = open_editor(phone)
    page.select_option('select[name="unit.id"]', sample.stem)
    page.click("#ed-gh-box > summary")
    page.click("#ed-github")
    page.wait_for_function("window.__opened.length > 0")
    campaign = yaml.safe_load((ROOT / "campaign.yaml").read_text(encoding="utf-8"))
    assert page.evaluate("window.__opened[0]") == f"{campaign['repository']['url']}/edit/main/submissions/{sample.stem}.yaml"
    note = page.locator("#ed-github-note").inner_text()
    assert "dán nội dung mới vào" in note and "Create pull request" in note


def test_the_zipped_reports_of_a_large_site_are_read(phone: Visit, served: tuple[str, Path, str]) -> None:  # noqa: F811
    """Past 60 units the site publishes bao-cao.zip; the editor reads a unit's report from it."""
    from generator.exports.cells import zip_one as _zip_one

    site = served[1] / "site"
    text = (site / "tai-ve" / "bao-cao.json").read_text(encoding="utf-8")
    # The site is the session's (conftest.hostile_site): the zip is added for this test only.
    zipped = site / "tai-ve" / "thu-nen.zip"
    zipped.write_bytes(_zip_one("bao-cao.json", text.encode("utf-8")))
    try:
        page = open_editor(phone)
        got = page.evaluate("""async () => {
            const m = await import('./assets/editor/src/published.js');
            return m.submissionOf(await m.readReports('tai-ve/thu-nen.zip'), 'xa-xuan-lap');
        }""")
    finally:
        zipped.unlink()
    assert got == next(s for s in json.loads(text)["submissions"] if s["report"]["unit"]["id"] == "xa-xuan-lap")


def test_the_page_at_laptop_width(browser: Any, served: tuple[str, Path, str]) -> None:  # noqa: F811
    v = Visit(browser, served[0])
    try:
        page = open_editor(v)
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
        goto_step(page, "appendix_4")
        assert page.locator("#ed-appendix_4 .ed-grid tbody tr").count() == 5
        assert page.locator("#ed-appendix_4 .ed-grid thead").is_visible()  # a grid again where it fits
        v.shot("editor-laptop", full=False)
    finally:
        v.close()
    assert v.errors == [] and v.outside == []


def test_pasted_text_with_a_syntax_error_is_not_loaded_and_says_where(phone: Visit) -> None:
    page = open_editor(phone)
    page.click("#ed-gh-box > summary")
    page.click(".ed-paste-box summary")
    page.fill("#ed-paste", "unit:\n  id: xa-xuan-hong\n  name: \"Đoàn xã Xuân Hồng\n  kind: commune\n")
    page.click("#ed-paste-read")
    item = page.locator(".ed-file-problems li").first
    item.wait_for()
    assert item.inner_text() == ('nội dung dán:3:9: lỗi: lỗi cú pháp YAML: dấu ngoặc kép " mở ở dòng 3 chưa đóng; '
                                 'hãy thêm " ở cuối văn bản trên dòng này')
    assert page.locator('select[name="unit.id"]').input_value() == ""  # nothing was loaded


def test_copy_puts_the_file_on_the_clipboard(phone: Visit) -> None:
    phone.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=phone.base)
    page = open_editor(phone)
    page.select_option('select[name="unit.id"]', "xa-xuan-hong")
    page.fill('[name="signer.name"]', "Lê Thị Hồng")
    page.click("#ed-gh-box > summary")
    page.click("#ed-copy")
    page.locator(".ed-status", has_text="Đã sao chép").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.locator("#ed-yaml").input_value()
    assert "  name: Lê Thị Hồng\n" in copied


def test_github_says_to_paste_when_the_file_is_too_long_for_a_link(phone: Visit) -> None:
    phone.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=phone.base)
    page = open_editor(phone)
    page.select_option('select[name="unit.id"]', "xa-xuan-hong")
    goto_step(page, "section_1")
    page.fill('[name="section_1.situation"]', "Đoàn xã tổ chức nhiều hoạt động. " * 200)
    page.wait_for_function("document.querySelector('#ed-yaml').value.includes('nhiều hoạt động')")
    page.click("#ed-gh-box > summary")
    page.click("#ed-github")
    page.wait_for_function("window.__opened.length > 0")
    url = page.evaluate("window.__opened[0]")
    assert url.endswith("/new/main/submissions?filename=xa-xuan-hong.yaml")
    assert "dán nội dung mới vào" in page.locator("#ed-github-note").inner_text()
    assert page.evaluate("navigator.clipboard.readText()") == page.locator("#ed-yaml").input_value()


def test_drafts_of_two_units_are_kept_apart_and_nothing_replaces_one_without_asking(phone: Visit) -> None:
    page = open_editor(phone)
    dialogs: list[str] = []

    def answer(accept: bool) -> None:
        page.once("dialog", lambda d: (dialogs.append(d.message), d.accept() if accept else d.dismiss()))

    sample = next(p for p in SAMPLES if data_of(p).get("status") == "final")
    a, b = sample.stem, next(p.stem for p in SAMPLES if p.stem != sample.stem)
    page.select_option('select[name="unit.id"]', a)
    goto_step(page, "section_1")
    page.fill('[name="section_1.situation"]', "Văn bản của đơn vị A")
    page.wait_for_function(f"(localStorage.getItem('bao-cao-ban-nhap:{a}') || '').includes('đơn vị A')")
    goto_step(page, "unit")
    page.select_option('select[name="unit.id"]', b)
    goto_step(page, "section_1")
    assert page.locator('[name="section_1.situation"]').input_value() == ""  # B starts empty
    page.fill('[name="section_1.situation"]', "Văn bản của đơn vị B")
    page.wait_for_function(f"(localStorage.getItem('bao-cao-ban-nhap:{b}') || '').includes('đơn vị B')")
    goto_step(page, "unit")
    page.select_option('select[name="unit.id"]', a)
    goto_step(page, "section_1")
    assert page.locator('[name="section_1.situation"]').input_value() == "Văn bản của đơn vị A"
    # Loading A's published report over A's draft asks first; "keep it" keeps it.
    goto_step(page, "unit")
    answer(False)
    with page.expect_event("dialog"):
        page.click("#ed-existing")
    assert len(dialogs) == 1 and "Bấm Hủy để giữ bản nháp" in dialogs[0]
    goto_step(page, "section_1")
    assert page.locator('[name="section_1.situation"]').input_value() == "Văn bản của đơn vị A"
    assert "đơn vị A" in page.evaluate(f"localStorage.getItem('bao-cao-ban-nhap:{a}')")
    # An empty report over it asks too; accepted, it replaces A's draft, never B's.
    goto_step(page, "unit")
    answer(True)
    with page.expect_event("dialog"):
        page.click("#ed-new")
    page.locator(".ed-note", has_text="Đã mở một báo cáo trống").wait_for()
    assert len(dialogs) == 2
    assert "đơn vị A" not in page.evaluate(f"localStorage.getItem('bao-cao-ban-nhap:{a}')")
    assert "đơn vị B" in page.evaluate(f"localStorage.getItem('bao-cao-ban-nhap:{b}')")
    # A file of unit B opened while B has a draft asks before replacing it.
    answer(False)
    with page.expect_event("dialog"):
        page.set_input_files("#ed-file", str(next(p for p in SAMPLES if p.stem == b)))
    assert len(dialogs) == 3
    assert "đơn vị B" in page.evaluate(f"localStorage.getItem('bao-cao-ban-nhap:{b}')")


def _print_value(v: Any) -> str:
    if isinstance(v, bool):
        return "có" if v else "không"
    if isinstance(v, int):
        return f"{v:,}".replace(",", ".")
    if isinstance(v, float):
        return str(v).replace(".", ",")
    return str(v)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_the_print_view_holds_every_value_of_the_report(phone: Visit, sample: Path) -> None:
    page = open_editor(phone)
    page.set_input_files("#ed-file", str(sample))
    page.locator(".ed-note", has_text=f"Đã nạp {sample.name}").wait_for()
    goto_step(page, "finish")
    page.click("#ed-print-open")
    paper = page.locator("#ed-paper")
    paper.wait_for()
    text = " ".join((paper.text_content() or "").split())
    data = data_of(sample)
    schema = json.loads((ROOT / "schema" / "report.schema.json").read_text(encoding="utf-8"))
    # A choice is printed by its Vietnamese title, as on the site and in the Word file.
    titles: dict[Any, str] = {}

    def collect(node: Any) -> None:
        if isinstance(node, dict):
            for o in node.get("oneOf", []):
                if isinstance(o, dict) and "const" in o and "title" in o:
                    titles[o["const"]] = o["title"]
            for v in node.values():
                collect(v)
        elif isinstance(node, list):
            for v in node:
                collect(v)

    collect(schema)
    missing = []
    for p, v in scalars(data):
        if v is None or v == "" or p in (("unit", "id"), ("unit", "kind"), ("status",)):
            continue
        if p == ("submission_date",):
            y, m, d = str(v).split("-")
            want = f"ngày {d} tháng {m} năm {y}"
        elif isinstance(v, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
            y, m, d = v.split("-")  # any other date as the Word file writes it
            want = f"{d}/{m}/{y}"
        elif isinstance(v, str) and v in titles:
            want = titles[v]
        else:
            want = _print_value(v)
        for chunk in [" ".join(c.split()) for c in want.split("\n\n")] if isinstance(v, str) else [want]:
            if chunk not in text:
                missing.append((p, chunk[:60]))
    assert missing == []
    assert "BÁO CÁO" in text and "Nơi nhận:" in text
    # It signs and is dated as the unit's Word file is: for its Standing Committee when it has
    # one (Xuân Lập), at the unit's own place from the roster.
    from generator.documents.letterhead import letterhead
    from generator.documents.word import on_behalf
    assert on_behalf(data) in text
    other = {"TM. BAN THƯỜNG VỤ", "TM. BAN CHẤP HÀNH"} - {on_behalf(data)}
    assert other.pop() not in text
    campaign = yaml.safe_load((ROOT / "campaign.yaml").read_text(encoding="utf-8"))
    entry = next(u for u in campaign["units"] if u["id"] == data["unit"]["id"])
    place = entry.get("place") or letterhead(campaign).place
    assert f"{place}, ngày" in text
    assert ("BẢN NHÁP" in text) == (data.get("status") != "final")
    phone.shot(f"editor-print-{sample.stem}", full=False)
    page.click("#ed-print-close")
    page.locator(".ed-step[data-step='finish']:not([hidden])").wait_for()


def test_github_is_offered_only_for_a_file_without_errors(phone: Visit) -> None:
    page = open_editor(phone)
    page.set_input_files("#ed-file", str(CASES / "invalid" / "negative-count" / "xa-mau.yaml"))
    page.locator(".ed-note", has_text="Đã nạp").wait_for()
    page.click("#ed-gh-box > summary")
    assert page.locator("#ed-github").is_disabled()
    assert "không còn lỗi" in page.locator("#ed-github-blocked").inner_text()
    page.locator("#ed-github").click(force=True)
    assert page.evaluate("window.__opened") == []


def test_the_main_path_has_no_yaml_or_github_words(phone: Visit) -> None:
    page = open_editor(phone)
    words = ("YAML", "GitHub", '""', "commit", "pull request")
    for step in page.locator(".ed-chip").evaluate_all("cs => cs.map(c => c.dataset.step)"):
        goto_step(page, step)
        shown = page.locator(".ed-main").evaluate(
            "m => [...m.children].filter(c => !c.matches('.ed-gh-box')).map(c => c.innerText).join('\\n')")
        assert [w for w in words if w in shown] == [], step
    assert "Dành cho người dùng GitHub" in page.locator("#ed-gh-box > summary").inner_text()


def test_the_home_page_says_above_the_fold_where_a_unit_sends_its_report(phone: Visit) -> None:
    page = phone.open("index.html")
    link = page.locator(".send-note a.send-editor")
    box = link.bounding_box()
    assert box is not None and box["y"] + box["height"] <= PHONE["height"]
    note = page.locator(".send-note").inner_text()
    assert "Cách gửi báo cáo" in note and "(Word)" in note and "(Excel)" in note
    phone.shot("home-phone", full=False)
    link.click()
    page.locator(".ed-chip[data-state]").first.wait_for()


def test_a_figure_is_shown_in_the_form_as_pages_write_it(phone: Visit, tmp_path: Path) -> None:
    """A decimal loaded into the form shows its digits as pages and the file write them
    (plainDecimal, generator/numbers.py's rule): 0.0000001, never 1e-7 (issue 16)."""
    page = open_editor(phone)
    sample = ROOT / "submissions" / "thi-tran-tho-xuan.yaml"
    text = sample.read_text(encoding="utf-8").replace("  attraction_rate_before: 70.1", "  attraction_rate_before: 0.0000001", 1)
    assert "0.0000001" in text
    f = tmp_path / sample.name
    f.write_text(text, encoding="utf-8")
    page.set_input_files("#ed-file", str(f))
    page.locator(".ed-note", has_text="Đã nạp").wait_for()
    goto_step(page, "section_3_2_2")
    assert page.locator('[name="section_3_2_2.attraction_rate_before"]').input_value() == "0.0000001"
