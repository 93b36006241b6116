"""What a hostile report can make the CLI print (issue 16): no raw control character on the
terminal, nothing live in the GitHub job summary (links, images, pipes, CR, backticks)."""

from __future__ import annotations

import re
from pathlib import Path

import markdown
from conftest import CASES, TEST_CAMPAIGN, run

KEYS = [
    r'"\x1b[2J\x1b]0;pwned\x07"',
    '"[Bấm vào đây](https://evil.example/) ![x](https://evil.example/x.png)"',
    r'"dòng một\rdòng hai | `mã` <b>đậm</b> &amp; **sao**"',
    r'"Lê\u202EHằng"',
]


def _hostile(tmp_path: Path) -> Path:
    text = (CASES / "valid" / "xa-mau.yaml").read_text(encoding="utf-8")
    text = text.replace("status: final", "status: final\n" + "".join(f"{k}: 1\n" for k in KEYS), 1)
    f = tmp_path / "xa-mau.yaml"
    f.write_text(text, encoding="utf-8")
    return f


def test_the_terminal_gets_no_raw_control_character(tmp_path: Path) -> None:
    f = _hostile(tmp_path)
    r = run("validate", "--campaign", str(TEST_CAMPAIGN), str(f))
    assert r.returncode == 1, r.stderr
    assert "\\x1b[2J" in r.stdout  # shown, escaped
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", r.stdout), r.stdout
    r = run("validate", "--format", "github", "--summary", str(tmp_path / "s.md"), "--campaign", str(TEST_CAMPAIGN), str(f))
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", r.stdout), r.stdout


def test_the_job_summary_shows_every_cell_literally(tmp_path: Path) -> None:
    f = _hostile(tmp_path)
    summary = tmp_path / "summary.md"
    r = run("validate", "--format", "github", "--summary", str(summary), "--campaign", str(TEST_CAMPAIGN), str(f))
    assert r.returncode == 1, r.stderr
    md = summary.read_text(encoding="utf-8")
    rows = [line for line in md.splitlines() if line.startswith("| ") and "yaml" in line]
    assert rows and all(len(re.findall(r"(?<!\\)\|", row)) == 6 for row in rows), rows  # 5 cells each
    html = markdown.markdown(md, extensions=["tables"])
    assert "<a " not in html and "<img" not in html and "<code>" not in html and "<b>" not in html
    assert "<strong>" not in html and "<em>" not in html
    # Each hostile key is shown as written (escapes of controls aside).
    assert "[Bấm vào đây](https://evil.example/) ![x](https://evil.example/x.png)" in html
    assert "`mã` &lt;b&gt;đậm&lt;/b&gt; &amp;amp; **sao**" in html


def test_a_source_line_shown_under_an_error_is_never_a_workflow_command(tmp_path: Path) -> None:
    """The excerpt of a syntax error that starts with `::` is indented one space more, and its
    controls are escaped: the whole text is made safe in one pass (issue 19), as line by line."""
    f = tmp_path / "xa-mau.yaml"
    f.write_text("unit: {id: xa-mau\n::error::pwned \u202e\n", encoding="utf-8")
    r = run("validate", "--campaign", str(TEST_CAMPAIGN), str(f))
    assert r.returncode == 1, r.stderr
    lines = r.stdout.splitlines()
    assert "     ::error::pwned \\u202e" in lines, lines
    assert not any(line.startswith("::") for line in lines)
