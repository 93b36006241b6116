"""The accepted YAML language (schema/FORMAT.md), in both readers, in the same words (issue 16):
each edit of the issue's table, made to the valid case, gets the same problems from the CLI and
the editor, and the problem FORMAT.md names, at its line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import CASES
from differential import _summary, evaluate

BASE = (CASES / "valid" / "xa-mau.yaml").read_text(encoding="utf-8")
NAME = '  name: "Lê Thị Hằng"'  # line 8
# (what is replaced, by what, the code expected, its line)
EDITS = [
    ("status: final", "status: final\n\t", "yaml.syntax", 11),
    ("status: final", "status: final\t# c", "yaml.syntax", 10),
    ("status: final", "status:\tfinal", "yaml.syntax", 10),
    (NAME, NAME + "#c", "yaml.syntax", 8),
    (NAME, '  name: "Lê\nThị Hằng"', "yaml.syntax", 8),
    ("  members: 548", "  members: [548,\n5]", "yaml.syntax", 16),
    ("status: final", "status: final\r\r", "file.line-ending", 10),
    ("  members: 548", "  members: !!int 548", "yaml.tag", 15),
    ("  members: 548", "  members: !!float 548", "yaml.tag", 15),
    ("section_1:", "section_1: !!str", "yaml.tag", 13),
    ("status: final", "!!binary status: final", "yaml.tag", 10),
    ("# yaml-language-server", "%YAML 1.3\n---\n# yaml-language-server", "yaml.directive", 1),
    ("# yaml-language-server", "%FOO bar\n---\n# yaml-language-server", "yaml.directive", 1),
    (NAME, '  name: "Lê\\uD800Hằng"', "text.surrogate", 8),
    (NAME, '  name: "Lê\\u202EHằng"', "text.invisible", 8),
    (NAME, '  name: "Lê\\x1b[2JHằng"', "text.control", 8),
    (NAME, '  name: "Lê\\x7fHằng"', "text.control", 8),
    (NAME, '  name: "Lê\\ufffeHằng"', "text.noncharacter", 8),
    (NAME, '  name: "Lê\\u200bHằng"', "text.invisible", 8),
    (NAME, "  name: Lê\u2028Hằng", "text.invisible", 8),
    (NAME, '  name: "\\x1c"', "text.control", 8),
    (NAME, '  name: "5\\x8548"', "text.control", 8),
    (NAME, '  name: "\\u00a0"', "fill-texts", 8),
    ("  members: 548", "  members: 9007199254740993", "value.integer", 15),
    ("  members: 548", "  members: " + "9" * 400, "value.integer", 15),
    ("status: final", "__proto__: {status: final}", "schema.unknown-key", 10),
    ("  members: 548", "  members:\n    __proto__: 1", "schema.type", 16),
    ("  members: 548", "  members: " + "[" * 25 + "1" + "]" * 25, "yaml.too-deep", 15),
    ("  members: 548", "  members: " + "[" * 1000 + "1" + "]" * 1000, "yaml.too-deep", 15),
    ("  members: 548", "  members: " + "{a: " * 5000 + "1" + "}" * 5000, "yaml.too-deep", 15),
    ("status: final", "status: final\n...\n...", "yaml.syntax", 13),  # the report goes on after its end
    ("submission_date:", "...\nsubmission_date:", "yaml.syntax", 12),
]


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_each_edit_gets_the_same_problems_on_both_sides(tmp_path: Path) -> None:
    texts = [BASE.replace(old, new, 1) for old, new, _, _ in EDITS]
    assert all(t != BASE for t in texts)
    py, js, _, _ = evaluate(texts, tmp_path)
    for (old, new, code, line), a, b in zip(EDITS, py, js):
        assert _summary(a) == _summary(b["problems"]), (new, _summary(a), _summary(b["problems"]))
        if code is None:
            assert not [p for p in a if p["severity"] == "error"], (new, a)
        else:
            assert (code, line) in {(p["code"], p["line"]) for p in a}, (new, [(p["code"], p["line"], p["message"]) for p in a])


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_over_a_megabyte_is_refused_on_both_sides(tmp_path: Path) -> None:
    big = BASE + "# " + "x" * 1_000_000 + "\n"
    py, js, _, _ = evaluate([big], tmp_path)
    assert [p["code"] for p in py[0]] == ["file.too-large"] == [p["code"] for p in js[0]["problems"]]
    assert _summary(py[0]) == _summary(js[0]["problems"])
