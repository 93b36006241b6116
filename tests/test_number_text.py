"""Numbers as pages, CSV, Word and Excel show them (issue 16): as the unit wrote them, never
float noise (999.999.999,9900000095) nor exponent notation (1e-05); and message numbers print
the same in the CLI and the editor."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT

from generator.documents.layout import number_value, plain
from generator.exports.cells import csv_value as _plain
from generator.exports.cells import write_csv as _csv
from generator.messages import number_text
from generator.numbers import number, plain_decimal

CASES = [
    (999999999.99, "999.999.999,99", "999999999.99"),
    (1234567.89, "1.234.567,89", "1234567.89"),
    (1e-05, "0,00001", "0.00001"),
    (-1e-05, "-0,00001", "-0.00001"),
    (0.1 + 0.2, "0,3", "0.3"),
    (2.9999999999999996, "3", "3"),
    (1e17, "100.000.000.000.000.000", "100000000000000000"),
    (78.5, "78,5", "78.5"),
    (1.255, "1,255", "1.255"),
]


@pytest.mark.parametrize("value,page,csv", CASES)
def test_pages_csv_and_documents_show_the_number_as_written(value: float, page: str, csv: str) -> None:
    assert number(value) == page
    assert plain(value, {"type": ["number", "null"]}) == page  # the Word documents' text
    assert _csv(["x"], [[_plain(value)]]) == f"\ufeffx\n{csv}\n"
    stored = number_value(value)  # the Excel cell
    assert stored is not None and repr(float(stored)) == repr(float(csv))


def test_message_numbers_print_the_same_on_both_sides() -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    values = [1e-05, -1e-05, 1e16, 1e17, 1e21, 1.5e300, 5e-324, 0.1, 120.0, 123456789.123, 2.5e-7, -0.0]
    script = ("import('./editor/src/messages.js').then((m) => process.stdout.write(JSON.stringify("
              "JSON.parse(process.argv[1]).map((v) => new m.PyFloat(v).toString()))))")
    r = subprocess.run([node, "-e", script, json.dumps(values)], cwd=ROOT, capture_output=True, text=True, check=True)
    assert json.loads(r.stdout) == [number_text(v) for v in values]
    assert all("e" not in number_text(v) for v in values)


def test_the_editor_form_shows_a_number_as_pages_do() -> None:
    """A figure loaded into the editor's form shows plainDecimal (editor/src/messages.js), the
    digits of generator/numbers.py's plain_decimal: no float noise, no exponent."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    values = [v for v, _, _ in CASES] + [1e-7, 1e21, 1234567.8899999999, 0.30000000000000004, 5e-324, -0.0, 12.0]  # past 15 digits is refused before
    script = ("import('./editor/src/messages.js').then((m) => process.stdout.write(JSON.stringify("
              "JSON.parse(process.argv[1]).map((v) => m.plainDecimal(v)))))")
    r = subprocess.run([node, "-e", script, json.dumps(values)], cwd=ROOT, capture_output=True, text=True, check=True)
    shown = json.loads(r.stdout)
    assert shown == [plain_decimal(v) for v in values]
    assert not [t for t in shown if "e" in t or "99999999" in t.replace("999999999.99", "")], shown
    assert shown[len(CASES):len(CASES) + 4] == ["0.0000001", "1000000000000000000000", "1234567.89", "0.3"]


def test_whitespace_is_one_definition_on_both_sides() -> None:
    """schema/FORMAT.md's whitespace: the same characters in generator/load.py and yamlio.js."""
    from generator.load import WHITESPACE, strip_space

    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    script = ("import('./editor/src/yamlio.js').then((m) => { const out = [];"
              "for (let c = 0; c < 0x10000; c++) { const s = String.fromCharCode(c); if (c < 0xd800 || c > 0xdfff) {"
              "if (m.strip('a' + s + s) === 'a' && m.strip(s + 'a') === 'a') out.push(c); } }"
              "process.stdout.write(JSON.stringify(out)); })")
    r = subprocess.run([node, "-e", script], cwd=ROOT, capture_output=True, text=True, check=True)
    assert json.loads(r.stdout) == [ord(c) for c in sorted(set(WHITESPACE))]
    assert [c for c in range(0x10000) if not 0xD800 <= c <= 0xDFFF and strip_space(f"a{chr(c)}") == "a"] == json.loads(r.stdout)


def test_excel_shows_a_decimal_with_its_own_decimals(tmp_path: Path) -> None:
    """Excel's General format would show 0.00001 as 1E-05: each decimal gets its own format."""
    import openpyxl
    import xlsxwriter

    from generator.documents.excel import _Fmt, _put

    path = tmp_path / "so.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    fmt = _Fmt(wb)
    node = {"type": ["number", "null"]}
    for r, (value, _, _) in enumerate(CASES):
        _put(ws, r, 0, value, node, fmt)
    wb.close()
    cells = [row[0] for row in openpyxl.load_workbook(path).active.iter_rows()]
    for cell, (value, _, csv) in zip(cells, CASES):
        assert "E" not in cell.number_format and cell.number_format != "General", (value, cell.number_format)
        decimals = len(csv.partition(".")[2])
        assert cell.number_format == "#,##0" + ("." + "0" * decimals if decimals else ""), (value, cell.number_format)
