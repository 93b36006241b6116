"""What went wrong where: the one record every stage reports problems in."""

from __future__ import annotations

import dataclasses
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from generator.plan import Plan

Severity = Literal["error", "warning"]
SEVERITY_VI: dict[str, str] = {"error": "lỗi", "warning": "cảnh báo"}


@dataclass(frozen=True)
class Problem:
    """One problem in one file, located by line and column (1-based; 0 when unknown)."""

    file: str
    line: int
    column: int
    severity: Severity
    message: str
    field: str = ""  # Vietnamese label path, e.g. "Phụ lục 2 › Ban Thường vụ › Số lượng"
    path: tuple[str | int, ...] = ()
    code: str = ""  # machine-readable kind: "yaml.duplicate-key", "schema.type", a rule id…
    # The source line a syntax error is on, shown under the message with a caret (text output).
    excerpt: str = dataclasses.field(default="", compare=False)

    def as_text(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        head = f"{where}: {SEVERITY_VI[self.severity]}: "
        text = head + (f"{self.field}: {self.message}" if self.field else self.message)
        return " ".join(text.splitlines())  # one problem, one line, whatever a value holds

    def with_excerpt(self) -> str:
        """as_text, then the source line and a caret under the column, as compilers show it.

        The excerpt is indented, so no output line starts with what the source line starts with
        (a line starting with `::` would be a GitHub workflow command).
        """
        if not self.excerpt or self.column < 1:
            return self.as_text()
        line = self.excerpt.rstrip("\r\n")
        pad = "".join("\t" if c == "\t" else " " for c in line[: self.column - 1])
        return f"{self.as_text()}\n    {line}\n    {pad}^"

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["path"] = list(self.path)
        del d["excerpt"]
        return d

    def sort_key(self) -> tuple[str, int, int]:
        # Stable sort: problems at one place keep the order they were found in (schema order).
        return (self.file, self.line, self.column)


@dataclass
class FileReport:
    """The outcome for one file: its data (None if it could not be read) and its problems."""

    file: str
    data: dict[str, Any] | None = None
    problems: list[Problem] = field(default_factory=list)
    omitted: int = 0  # problems past the per-file limit: counted, not listed
    omitted_errors: int = 0
    omitted_cut: bool = False  # counting stopped at a bound: there are more than `omitted`


@dataclass
class Result:
    """Every file checked in one run, with every problem found in them."""

    files: list[FileReport] = field(default_factory=list)
    campaign: FileReport | None = None
    # The plan the campaign names (its report schema and rules), None if it could not be read.
    plan: Plan | None = None

    @property
    def problems(self) -> list[Problem]:
        found = [p for f in self.all_files() for p in f.problems]
        return sorted(found, key=Problem.sort_key)

    def all_files(self) -> list[FileReport]:
        return ([self.campaign] if self.campaign else []) + self.files

    # The counts read each file's problems as they are: `problems` sorts them all, every time.
    @property
    def error_count(self) -> int:
        files = self.all_files()
        return sum(p.severity == "error" for f in files for p in f.problems) + sum(f.omitted_errors for f in files)

    @property
    def warning_count(self) -> int:
        files = self.all_files()
        listed = sum(p.severity == "warning" for f in files for p in f.problems)
        return listed + sum(f.omitted - f.omitted_errors for f in files)

    def status_counts(self) -> tuple[int, int]:
        """(drafts, final reports) among the submissions that could be read."""
        statuses = [f.data.get("status") for f in self.files if isinstance(f.data, dict)]
        return statuses.count("draft"), statuses.count("final")

    @property
    def ok(self) -> bool:
        return self.error_count == 0
