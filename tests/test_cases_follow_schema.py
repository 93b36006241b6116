"""A new field costs the schema edit, the whole reports and one regeneration (issue 18).

In a copy of the validator, its schema and tests/cases/, a count is added to section II (required,
as every count is) and to each whole report a case is built from: the base, the two other valid
reports, and the school's draft with empty fields (left empty there). Then every case still builds
from its patch, `casefiles.py expected --check` lists the cases whose output moved, `casefiles.py
expected` rewrites them (and writes anew the patches whose context held the new line), and what
changed in them is only what the new line explains: a message below it moves down one line, a
report with empty fields gains the new field's own message. In-process, a few seconds.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import casefiles
import pytest
from conftest import ROOT

FIELD = "youth_forums"
TITLE = "Số diễn đàn thanh niên"
AFTER = b"  branches_inspected: "  # the new count goes after the last one of section II
# The whole reports the other cases are made from, and the value each gets.
WHOLE = {"valid/xa-mau.yaml": b" 4", "valid/thi-tran-mau.yaml": b" 2", "valid/cong-ty-mau.yaml": b" 0",
         "warning/draft-with-empty-fields/truong-mau.yaml": b""}

SCRIPT = """
import json, sys, tempfile
from pathlib import Path
sys.path[:0] = [sys.argv[1], sys.argv[1] + "/tests"]
import casefiles
runs = casefiles.runs()
fuzzed = sorted(casefiles.FUZZED)
# Where the new line is in each built file, by the name the validator shows.
lines = {r.rel(f): n for r in runs for f in r.files if f.is_file()
         for n, x in enumerate(f.read_bytes().split(b"\\n"), start=1) if x.startswith(b"  youth_forums:")}
before = casefiles.update_expected(check=True)
refreshed = casefiles.refresh(verbose=False)
rewritten = casefiles.update_expected()
after = casefiles.update_expected(check=True)
casefiles.FUZZED.clear()
casefiles.materialise(Path(tempfile.mkdtemp()))
print(json.dumps({"before": before, "rewritten": rewritten, "after": after, "fuzzed": fuzzed,
                  "refreshed": refreshed, "fuzzed_after": sorted(casefiles.FUZZED), "lines": lines,
                  "valid": casefiles.outputs([r for r in runs if r.kind == "valid"])}))
"""


def _copy(tmp: Path) -> Path:
    ignore = shutil.ignore_patterns("__pycache__")
    for d in ("generator", "schema", "tests/cases"):
        shutil.copytree(ROOT / d, tmp / d, symlinks=True, ignore=ignore)
    shutil.copy(ROOT / "tests" / "casefiles.py", tmp / "tests" / "casefiles.py")
    return tmp


def _add_the_count(tmp: Path) -> None:
    """The field in the schema and in each whole report, after the section's last count."""
    path = tmp / "schema" / "report.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    section = schema["properties"]["section_2"]
    section["properties"][FIELD] = {"$ref": "#/$defs/count_or_no_data", "title": TITLE}
    section["required"].append(FIELD)
    path.write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    for rel, value in WHOLE.items():
        report = tmp / "tests" / "cases" / rel
        lines = report.read_bytes().split(b"\n")
        at = next(i for i, x in enumerate(lines) if x.startswith(AFTER)) + 1
        lines.insert(at, f"  {FIELD}:".encode() + value)
        report.write_bytes(b"\n".join(lines))


def test_a_new_count_costs_the_schema_the_whole_reports_and_one_regeneration(tmp_path: Path) -> None:
    tmp = _copy(tmp_path)
    old = {p.relative_to(tmp): p.read_text(encoding="utf-8") for p in (tmp / "tests/cases").rglob("expected.txt")}
    _add_the_count(tmp)
    r = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp)], cwd=tmp, capture_output=True, text=True,
                       encoding="utf-8", timeout=300, check=False, env={"PYTHONIOENCODING": "utf-8"})
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    # The valid reports stay valid; every case builds; the regeneration leaves nothing to redo.
    assert all(" 0 lỗi, 0 cảnh báo — hợp lệ" in v for v in out["valid"].values()), out["valid"]
    assert out["before"] == out["rewritten"] and out["after"] == []
    assert len(out["before"]) > 20  # line numbers below section II moved in many cases
    # Patches whose context held the new line applied with less of it, and were written anew.
    assert len(out["refreshed"]) == len(out["fuzzed"]) > 0 and out["fuzzed_after"] == []
    print(f"{len(out['before'])} expected outputs rewritten, {len(out['refreshed'])} patches written anew")
    changed = {p: (old[p], (tmp / p).read_text(encoding="utf-8")) for p in old}
    changed = {p: v for p, v in changed.items() if v[0] != v[1]}
    assert sorted(str(p.parent.relative_to("tests/cases")) for p in changed) == sorted(out["before"])
    # The warning case stays a warning case: a draft's empty field is a reminder, not an error.
    assert " lỗi: " not in (tmp / "tests/cases/warning/draft-with-empty-fields/expected.txt").read_text("utf-8")
    for p, (before, after) in changed.items():
        assert _explained(before, after, out["lines"]), f"{p}:\n{before}\n---\n{after}"


LOCATED = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<rest>.*)$")
NAMED_LINE = re.compile(r"(?<=dòng )\d+")  # "(lần đầu ở dòng 39)", "(mở ở dòng 319)"


def _explained(before: str, after: str, new_lines: dict[str, int]) -> bool:
    """Each line of `after` is a line of `before` moved down by the new line of its file, or a
    message naming the new field; the totals line may count it."""
    moved = []
    for line in before.splitlines():
        m = LOCATED.match(line)
        if m and m["file"] in new_lines:
            at = new_lines[m["file"]]

            def down(n: int, at: int = at) -> int:
                return n + 1 if n >= at else n
            rest = NAMED_LINE.sub(lambda k: str(down(int(k[0]))), m["rest"])
            line = f"{m['file']}:{down(int(m['line']))}:{rest}"
        moved.append(line)
    new = [x for x in after.splitlines() if TITLE not in x and not x.startswith("Đã kiểm tra")]
    return new == [x for x in moved if not x.startswith("Đã kiểm tra")]


BASE = b"unit:\n  id: xa-mau\nsection_2:\n  inspections: 20\n  branches_inspected: 16\nsection_3:\n  inspections: 20\n"


def _round_trip(target: bytes) -> bytes:
    patch = casefiles.make_patch(BASE, target, "valid/base.yaml", "invalid/x/xa-mau.yaml")
    base, hunks = casefiles.parse_patch(patch, "x.patch")
    assert base == "valid/base.yaml"
    return casefiles.apply_patch(BASE, hunks, "x.patch")


@pytest.mark.parametrize("target", [
    BASE.replace(b"branches_inspected: 16", b"branches_inspected: -1"),
    b"\xef\xbb\xbf" + BASE,  # a BOM
    BASE.replace(b"\n", b"\r\n"),  # Windows line ends
    BASE.replace(b"16", b"1\x006"),  # NUL
    BASE.replace(b"xa-mau", b"x\xe0-mau"),  # not UTF-8
    BASE.rstrip(b"\n"),  # no line end at the end
    BASE.replace(b"section_3:\n  inspections: 20\n", b"section_3:\n  inspections: 20\n  inspections: 3\n"),
    b"",
], ids=["value", "bom", "crlf", "nul", "latin1", "no-eol", "duplicate-key", "empty"])
def test_a_patch_rebuilds_its_file_byte_for_byte(target: bytes) -> None:
    assert _round_trip(target) == target


def test_a_hunk_is_found_by_its_lines_not_its_line_number() -> None:
    """Lines added to the base above a hunk, or inside its context, do not stop it; the second
    `inspections: 20` (section_3) is told from the first by its context."""
    target = BASE.replace(b"section_3:\n  inspections: 20", b"section_3:\n  inspections: 21")
    patch = casefiles.make_patch(BASE, target, "b", "t")
    _, hunks = casefiles.parse_patch(patch, "t.patch")
    moved = b"# a comment\n" + BASE.replace(b"section_3:\n", b"  youth_forums: 4\nsection_3:\n")
    assert casefiles.apply_patch(moved, hunks, "t.patch") == b"# a comment\n" + target.replace(
        b"section_3:\n", b"  youth_forums: 4\nsection_3:\n")


def test_a_hunk_not_found_stops_the_run_naming_the_case() -> None:
    patch = (b"--- valid/xa-mau.yaml\n+++ invalid/x/xa-mau.yaml\n@@ -4,1 +4,1 @@\n"
             b"-  inspections: 20\n+  inspections: -1\n")
    _, hunks = casefiles.parse_patch(patch, "tests/cases/invalid/x/xa-mau.yaml.patch")
    with pytest.raises(casefiles.CaseError, match=r"invalid/x/xa-mau\.yaml\.patch: hunk @@ -4,1 \+4,1 @@: "
                                                  r"its lines are found 2 times in the base \(lines 4, 7\)"):
        casefiles.apply_patch(BASE, hunks, "tests/cases/invalid/x/xa-mau.yaml.patch")
    with pytest.raises(casefiles.CaseError, match="not found"):
        casefiles.apply_patch(BASE.replace(b"inspections", b"checks"), hunks, "x")
