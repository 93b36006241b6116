"""Show a Result to people (text), to programs (JSON) or to GitHub Actions (annotations + summary)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass

from generator.load import MAX_PROBLEMS
from generator.problems import SEVERITY_VI, Problem, Result

# GitHub shows at most 10 annotations of each kind per step (and 50 per job).
ANNOTATION_LIMIT = 10


def _totals(result: Result) -> str:
    n = len(result.all_files())
    e, w = result.error_count, result.warning_count
    verdict = "hợp lệ" if result.ok else "KHÔNG hợp lệ"
    line = f"Đã kiểm tra {n} tệp: {e} lỗi, {w} cảnh báo — {verdict}."
    drafts, finals = result.status_counts()
    if drafts or finals:
        # A draft is not a submitted report: say how many there are, every time.
        line += f" Báo cáo: {finals} chính thức, {drafts} bản nháp" + (
            " (bản nháp chưa tính là đã gửi)." if drafts else ".")
    return line


def omitted_note(file: str, count: int, cut: bool = False) -> str:
    """The line after the problems shown of a file that has more."""
    many = f"hơn {count}" if cut else str(count)
    return f"{file}: … và {many} lỗi khác (mỗi tệp chỉ hiện {MAX_PROBLEMS} lỗi đầu tiên); hãy sửa các lỗi trên rồi chạy lại"


def as_text(result: Result) -> str:
    """One line per problem, `FILE:LINE:COL: lỗi|cảnh báo: field: message`, then the totals.

    A syntax error is followed by its source line and a caret; a file with more problems than
    shown ends with "… và N lỗi khác". No line starts with `::` (a GitHub workflow command).
    """
    omitted = {f.file: f for f in result.all_files() if f.omitted}
    lines: list[str] = []
    problems = result.problems
    for i, p in enumerate(problems):
        lines.append(p.with_excerpt())
        last_of_file = i + 1 == len(problems) or problems[i + 1].file != p.file
        if last_of_file and (f := omitted.pop(p.file, None)) is not None:
            lines.append(omitted_note(p.file, f.omitted, f.omitted_cut))
    lines += [omitted_note(f.file, f.omitted, f.omitted_cut) for f in result.all_files() if f.file in omitted]
    lines.append(_totals(result))
    # As safe_line(visible(line)) on each line, in two passes over the whole text (a line per
    # problem: 22,737 warnings at 1,000 files).
    text = _UNSAFE_BUT_NEWLINE.sub(_escape, "\n" + "\n".join(lines))
    return _COMMAND_LINE.sub("\n ", text)[1:] + "\n"


def safe_line(line: str) -> str:
    """A line of text output that GitHub Actions cannot read as a workflow command (`::error…`)."""
    return " " + line if line.lstrip().startswith("::") else line


# What a terminal would act on or hide: C0 and C1 controls but Tab, DEL, bidirectional controls,
# line and paragraph separators. A value quoted in a message ("\x1b[2J") is shown escaped.
_UNSAFE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def _escape(m: re.Match[str]) -> str:
    c = ord(m.group())
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"


def visible(text: str) -> str:
    """`text` with every character a terminal would act on written as an escape (\\x1b, \\u202e)."""
    return _UNSAFE.sub(_escape, text)


# _UNSAFE but the line feed, and the start of a line safe_line would indent (whitespace: as
# str.lstrip's, within the line).
_UNSAFE_BUT_NEWLINE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")
_COMMAND_LINE = re.compile(r"\n(?=[^\S\n]*::)")


def as_json(result: Result) -> str:
    """A machine-readable report."""
    doc: dict[str, object] = {
        "valid": result.ok,
        "files": [f.file for f in result.all_files()],
        "errors": result.error_count,
        "warnings": result.warning_count,
        "reports": dict(zip(("drafts", "finals"), result.status_counts())),
        "problems": [p.as_dict() for p in result.problems],
    }
    if any(f.omitted for f in result.all_files()):
        doc["omitted"] = {f.file: f.omitted for f in result.all_files() if f.omitted}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_prop(s: str) -> str:
    return _escape_data(s).replace(":", "%3A").replace(",", "%2C")


def annotation(p: Problem) -> str:
    """A workflow command that puts `p` on its file and line in the pull request."""
    kind = "error" if p.severity == "error" else "warning"
    props = [f"file={_escape_prop(visible(p.file))}"]
    if p.line:
        props += [f"line={p.line}", f"col={p.column}"]
    props.append(f"title={_escape_prop(visible(p.field or SEVERITY_VI[p.severity]))}")
    return f"::{kind} {','.join(props)}::{_escape_data(visible(p.message))}"


_MARKDOWN = re.compile(r"([\\`*_\[\]|~])")  # inside a cell, never at a line's start: no # - + . needed
_BREAKS = re.compile("[\r\n\u0085\u2028\u2029]+")


def markdown_cell(s: str) -> str:
    """Text shown literally in one cell of a Markdown table (job summaries): every character
    Markdown reads as markup (links, images, emphasis, code, `|`) escaped, no line break, no tag."""
    s = visible(_BREAKS.sub(" ", s)).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN.sub(r"\\\1", s)


# GitHub refuses a job summary over 1 MiB per step, and then shows none of it.
SUMMARY_LIMIT = 1024 * 1024


@dataclass(frozen=True)
class Summary:
    text: str
    left_out: int  # problems not in the table: the summary would have passed SUMMARY_LIMIT


def github_summary(result: Result, limit: int = SUMMARY_LIMIT) -> Summary:
    """A Markdown job summary: totals, then the problems in one table, errors first.

    Past `limit` bytes the table stops, and says how many problems it leaves out and where to
    read them all (the step's log, or `validate` run on one's own machine).
    """
    head = ["## Kiểm tra báo cáo", "", _totals(result), ""]
    problems = ([p for p in result.problems if p.severity == "error"]
                + [p for p in result.problems if p.severity != "error"])
    rows = [f"| {markdown_cell(p.file)} | {p.line} | {SEVERITY_VI[p.severity]} | {markdown_cell(p.field)} | {markdown_cell(p.message)} |"
            for p in problems]
    notes = [markdown_cell(omitted_note(f.file, f.omitted, f.omitted_cut)) + "\n" for f in result.all_files() if f.omitted]
    table = ["| Tệp | Dòng | Mức | Mục | Nội dung |", "|---|---:|---|---|---|"] if rows else []
    # Room for the head, the table's header, and the note that the table stops.
    room = limit - sum(len(line.encode()) + 1 for line in head + table) - 1024
    shown = 0
    for line in rows + notes:
        room -= len(line.encode()) + 1
        if room < 0:
            break
        shown += 1
    out = head + table + rows[:shown]
    left_out = len(rows) - min(shown, len(rows))
    if rows:
        out.append("")
    if left_out:
        errors = sum(1 for p in problems[shown:] if p.severity == "error")
        out += [f"**Bảng dừng ở đây vì GitHub chỉ nhận bảng tóm tắt dưới 1 MiB: còn {errors} lỗi và "
                f"{left_out - errors} cảnh báo không hiện.** Xem đủ trong nhật ký (log) của bước này, "
                "hoặc chạy `python -m generator validate` trên máy.", ""]
    out += notes[: max(0, shown - len(rows))]
    return Summary("\n".join(out) + "\n", left_out)


def as_github(result: Result) -> str:
    """Annotations for the first problems of each kind, a note on the rest, and the summary."""
    lines = []
    for sev in ("error", "warning"):
        found = [p for p in result.problems if p.severity == sev]
        lines += [annotation(p) for p in found[:ANNOTATION_LIMIT]]
        if len(found) > ANNOTATION_LIMIT:
            more = len(found) - ANNOTATION_LIMIT
            lines.append(f"::{sev}::Còn {more} {SEVERITY_VI[sev]} nữa không hiện thành chú thích; xem bảng trong Summary của lần chạy (nếu bảng quá dài: nhật ký của bước này).")
    lines.append(_totals(result))
    return "\n".join(lines) + "\n"


FORMATS: dict[str, Callable[[Result], str]] = {"text": as_text, "json": as_json, "github": as_github}
