"""Who may change which file in a pull request, as the campaign file says.

- A reviewer may change anything.
- An editor of one or more units may change only those units' submissions
  (`submissions/<unit-id>.yaml` or `.yml`), and nothing else: not another unit's file, not the
  schema, the rules, the campaign file, the generator, the templates, the workflows, CODEOWNERS,
  the tests or the project files. Adding, changing, renaming and deleting all count as changing.
- An author who is not in the campaign file may only add the submission of a unit whose
  `editors` list is empty. Such a unit has no GitHub account yet (a school's secretary, a small
  commune); anyone (a district officer, a neighbouring unit's secretary helping out) can open its
  pull request. Changing, renaming or deleting a report that is already there needs a reviewer:
  otherwise anyone could rewrite what the unit filed. The reviewers still read and approve every
  such pull request, and the unit gets its own editors in the campaign file as soon as it has an
  account.

Whether a file is added is known from git (`--base`), or from a changed-files list in the form of
`git diff --name-status` ("A<TAB>path"); a path listed without a status counts as changed.

Logins are compared without regard to case, as GitHub does. Nothing here prints or exits.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from generator.problems import Problem
from generator.report import annotation, markdown_cell, safe_line

SUBMISSIONS_DIR = "submissions"
SUBMISSION_SUFFIXES = (".yaml", ".yml")
FIELD = "Quyền sửa tệp"


class GitError(Exception):
    """Git could not say what a pull request changed, or show a file at a revision."""


@dataclass(frozen=True)
class Roster:
    """The parts of the campaign file that decide who may change what."""

    names: dict[str, str]  # unit id -> unit name
    editors: dict[str, tuple[str, ...]]  # unit id -> editors' logins as written
    reviewers: tuple[str, ...]

    @classmethod
    def from_campaign(cls, campaign: Mapping[str, Any]) -> Roster:
        """Read the roster; entries of the wrong shape are skipped (the validator reports them)."""
        names: dict[str, str] = {}
        editors: dict[str, tuple[str, ...]] = {}
        units = campaign.get("units")
        for unit in units if isinstance(units, list) else []:
            if not isinstance(unit, Mapping) or not isinstance(unit.get("id"), str):
                continue
            uid = unit["id"]
            names[uid] = str(unit.get("name") or uid)
            eds = unit.get("editors")
            editors[uid] = tuple(e for e in (eds if isinstance(eds, list) else []) if isinstance(e, str))
        revs = campaign.get("reviewers")
        reviewers = tuple(r for r in (revs if isinstance(revs, list) else []) if isinstance(r, str))
        return cls(names, editors, reviewers)

    def is_reviewer(self, login: str) -> bool:
        return login.lower() in {r.lower() for r in self.reviewers}

    def units_of(self, login: str) -> list[str]:
        """The ids of the units `login` is an editor of, in roster order."""
        return [uid for uid, eds in self.editors.items() if login.lower() in {e.lower() for e in eds}]

    def open_units(self) -> list[str]:
        """Units with no editor yet, whose file anyone may submit."""
        return [uid for uid, eds in self.editors.items() if not eds]

    def describe(self, uid: str) -> str:
        return f"{self.names.get(uid, uid)} ({SUBMISSIONS_DIR}/{uid}.yaml)"


def normalise(path: str) -> str:
    """A changed path as git prints it: forward slashes, no leading `./`."""
    p = path.strip().replace("\\", "/")
    while p.startswith("./"):
        p = p[2:]
    return p


def submission_unit(path: str) -> str | None:
    """The unit id of `submissions/<id>.yaml` (or `.yml`); None for any other path."""
    pure = PurePosixPath(normalise(path))
    if len(pure.parts) == 2 and pure.parts[0] == SUBMISSIONS_DIR and pure.suffix in SUBMISSION_SUFFIXES:
        return pure.stem or None
    return None


def _logins(logins: Iterable[str]) -> str:
    return ", ".join(f"@{x}" for x in logins) or "(chưa có ai)"


def _problem(path: str, message: str, code: str) -> Problem:
    return Problem(file=path, line=0, column=0, severity="error", message=message, field=FIELD,
                   code=f"ownership.{code}")


ADDED = "A"
Change = tuple[str, str]  # (git status letter, or "?" when not known; path)


def _as_change(item: str | Change) -> Change:
    return ("?", item) if isinstance(item, str) else item


def check_ownership(campaign: Mapping[str, Any], author: str, changed: Iterable[str | Change]) -> list[Problem]:
    """Return one problem for each changed file that `author` may not change, in the given order.

    `changed` holds paths, or (status, path) pairs as `git diff --name-status` gives them; a file
    both deleted and added (a rename onto it) counts as changed, not added.
    """
    roster = Roster.from_campaign(campaign)
    status: dict[str, str] = {}
    for st, path in map(_as_change, changed):
        if path.strip():
            p = normalise(path)
            status[p] = st if p not in status or status[p] == st else "M"
    if roster.is_reviewer(author):
        return []
    own = roster.units_of(author)
    if own:
        return [p for p in (_editor_problem(roster, author, own, path) for path in status) if p]
    return [p for p in (_outsider_problem(roster, author, path, st == ADDED) for path, st in status.items()) if p]


def _editor_problem(roster: Roster, author: str, own: list[str], path: str) -> Problem | None:
    uid = submission_unit(path)
    if uid in own:
        return None
    allowed = "; ".join(roster.describe(u) for u in own)
    if uid is not None and uid in roster.names:
        return _problem(path, (
            f"tệp này là báo cáo của {roster.names[uid]}; tài khoản @{author} chỉ được sửa báo cáo "
            f"của đơn vị mình: {allowed}. Hãy bỏ thay đổi ở tệp này khỏi yêu cầu hợp nhất; nếu báo "
            f"cáo của đơn vị khác có sai sót, hãy báo đơn vị đó hoặc người duyệt."), "other-unit")
    if uid is not None:
        return _problem(path, (
            f"không có đơn vị nào mã “{uid}” trong danh sách đơn vị của tệp đợt báo cáo; tài khoản "
            f"@{author} chỉ được sửa báo cáo của đơn vị mình: {allowed}. Tên tệp phải đúng là mã "
            f"đơn vị."), "unknown-unit")
    return _problem(path, (
        f"tệp này không phải báo cáo của đơn vị nên chỉ người duyệt ({_logins(roster.reviewers)}) "
        f"được sửa; tài khoản @{author} chỉ được sửa báo cáo của đơn vị mình: {allowed}. Hãy bỏ "
        f"thay đổi ở tệp này khỏi yêu cầu hợp nhất."), "not-a-submission")


def _outsider_problem(roster: Roster, author: str, path: str, added: bool) -> Problem | None:
    uid = submission_unit(path)
    open_units = roster.open_units()
    head = (f"tài khoản @{author} không có trong tệp đợt báo cáo (không là người duyệt, không là "
            f"người sửa báo cáo của đơn vị nào)")
    if uid is not None and uid in open_units:
        if added:
            return None
        return _problem(path, (
            f"{head}; được nộp báo cáo mới cho {roster.names[uid]} (đơn vị chưa có tài khoản GitHub), "
            f"nhưng báo cáo này đã có, và sửa, đổi tên hay xóa báo cáo đã có cần người duyệt "
            f"({_logins(roster.reviewers)}): hãy nhờ người duyệt thực hiện thay đổi này."), "outsider-existing")
    if uid is not None and uid in roster.names:
        return _problem(path, (
            f"{head}; tệp này là báo cáo của {roster.names[uid]}, chỉ tài khoản của đơn vị "
            f"({_logins(roster.editors[uid])}) hoặc người duyệt được sửa. Nếu bạn là người của "
            f"đơn vị, hãy nhờ người duyệt thêm tài khoản của bạn vào mục “editors” của đơn vị."),
            "not-an-editor")
    where = "; ".join(roster.describe(u) for u in open_units) or "hiện không có đơn vị nào như vậy"
    return _problem(path, (
        f"{head}, nên chỉ được nộp báo cáo cho đơn vị chưa có tài khoản GitHub: {where}. Tệp này "
        f"không phải báo cáo của các đơn vị đó; hãy bỏ thay đổi ở tệp này khỏi yêu cầu hợp nhất."),
        "outsider")


def parse_changed_list(text: str) -> list[str]:
    """Split a list of changed paths, one a line or NUL-separated (`git diff --name-only -z`)."""
    parts = text.split("\0") if "\0" in text else text.splitlines()
    return [normalise(p) for p in parts if p.strip()]


_STATUS_LINE = re.compile(r"([ACDMRTUX])[0-9]*\t(.+)")


def parse_changes(text: str) -> list[str | Change]:
    """Like parse_changed_list, but a line "A<TAB>path" (`git diff --name-status`) keeps its status."""
    out: list[str | Change] = []
    for p in parse_changed_list(text) if "\0" in text else [x for x in text.splitlines() if x.strip()]:
        m = _STATUS_LINE.fullmatch(p)
        out.append((m.group(1), normalise(m.group(2))) if m else normalise(p))
    return out


def _git(args: list[str], cwd: Path) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    except OSError as e:
        raise GitError(f"không chạy được git: {e}") from e
    if done.returncode != 0:
        raise GitError(f"lệnh “git {' '.join(args)}” lỗi: {done.stderr.strip()}")
    return done.stdout


def changed_files(base: str, cwd: Path) -> list[Change]:
    """(status, path) of every file changed between the merge base of `base` and HEAD.

    Renames count as delete + add, so renaming an existing report is a change to it.
    """
    fields = _git(["diff", "--name-status", "--no-renames", "-z", f"{base}...HEAD", "--"], cwd).split("\0")
    return [(fields[i][:1], normalise(fields[i + 1])) for i in range(0, len(fields) - 1, 2) if fields[i]]


def read_at(base: str, path: str, cwd: Path) -> str:
    """The text of `path` at revision `base`."""
    return _git(["show", f"{base}:{path}"], cwd)


def verdict(problems: list[Problem], author: str, changed: list[Any]) -> str:
    """One sentence: how many files the author changed and how many of them they may not."""
    if not changed:
        return f"Tài khoản @{author} không sửa tệp nào."
    if problems:
        return f"Tài khoản @{author} sửa {len(changed)} tệp, {len(problems)} tệp không được phép sửa."
    return f"Tài khoản @{author} sửa {len(changed)} tệp, đều được phép."


def format_text(problems: list[Problem], author: str, changed: list[Any]) -> str:
    """One line per problem, then the verdict; no line can pass for a GitHub workflow command."""
    lines = [" ".join(f"{p.file}: lỗi: {p.message}".splitlines()) for p in problems]
    return "\n".join(safe_line(x) for x in [*lines, verdict(problems, author, changed)]) + "\n"


def format_github(problems: list[Problem], author: str, changed: list[Any], limit: int = 10) -> str:
    """Error annotations on the first files (GitHub shows 10 per step), a note on the rest, the verdict."""
    lines = [annotation(p) for p in problems[:limit]]
    if len(problems) > limit:
        lines.append(f"::error::Còn {len(problems) - limit} tệp không được phép sửa nữa; "
                     "xem bảng đầy đủ trong Summary của lần chạy.")
    return "\n".join([*lines, verdict(problems, author, changed)]) + "\n"


def github_summary(problems: list[Problem], author: str, changed: list[Any]) -> str:
    """A Markdown job-summary section: the verdict, then every file the author may not change."""
    out = ["## Quyền sửa tệp", "", verdict(problems, author, changed), ""]
    if problems:
        out += ["| Tệp | Lý do |", "|---|---|"]
        out += [f"| {markdown_cell(p.file)} | {markdown_cell(p.message)} |" for p in problems]
        out.append("")
    return "\n".join(out) + "\n"
