"""Aggregate validated submissions: who reported, and the six appendices over all units.

Submission status follows DHIS2's reporting-rate summary, with its "complete" flag: the roster
is what is *expected*; a unit whose file says `status: draft` is *drafting* (its page shows it,
nothing of it is counted); a final report is *submitted*, *on time* when dated on or before the
deadline, *late* otherwise; a unit with no file is *missing*. Rates are shares of the expected count.

Only final reports are aggregated. Figures are aggregated by what they mean, which the schema
tells: counts and money are summed; percentages (`x-unit: "%"`) are never summed but shown as
mean, minimum and maximum. A value that is not a number ("không có số liệu", "không áp dụng", a
field left empty) is left out of sums and means, each figure says how many units gave it, and a
figure no unit gave stays None (shown as "—"), never 0.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from generator.numbers import number
from generator.outline import Method, current, method_of
from generator.problems import Problem
from generator.schema import (
    Schema,
)

Status = Literal["on_time", "late", "draft", "missing"]

STATUS_VI: dict[str, str] = {
    "on_time": "Đúng hạn", "late": "Gửi muộn", "draft": "Đang soạn", "missing": "Chưa gửi",
}


@dataclass(frozen=True)
class Unit:
    """A roster unit with its submission, if any."""

    id: str
    name: str
    kind: str
    kind_label: str
    status: Status
    data: dict[str, Any] | None = None
    path: Path | None = None  # the submission file on disk
    repo_path: str = ""  # the file's path inside the repository, for GitHub links
    warnings: tuple[Problem, ...] = ()
    updated: str = ""  # ISO date the report last changed (its last commit, or the build date)

    @property
    def has_page(self) -> bool:
        """The unit filed a file, draft or final: it has a page of its own."""
        return self.data is not None

    @property
    def submitted(self) -> bool:
        """The unit's report is final: it counts as filed and in every aggregate."""
        return self.status in ("on_time", "late")

    @property
    def draft(self) -> bool:
        return self.status == "draft"

    @property
    def submission_date(self) -> str:
        date = self.data.get("submission_date") if self.data else None
        return str(date) if date else ""


@dataclass(frozen=True)
class StatusSummary:
    """Counts and rates of the reporting round (rates in % of the expected units)."""

    expected: int
    submitted: int
    on_time: int
    late: int
    draft: int
    missing: int

    def rate(self, count: int) -> float | None:
        return round(100 * count / self.expected, 1) if self.expected else None


@dataclass(frozen=True)
class Stat:
    """One figure over the units that reported it (nulls left out)."""

    values: tuple[float, ...]
    method: Method
    of: int = 0  # how many final reports could have given it

    @property
    def reported(self) -> int:
        return len(self.values)

    @property
    def total(self) -> float | None:
        """The sum, or None when no unit reported a value."""
        return sum(self.values) if self.values else None

    @property
    def mean(self) -> float | None:
        return round(statistics.fmean(self.values), 1) if self.values else None

    @property
    def min(self) -> float | None:
        return min(self.values) if self.values else None

    @property
    def max(self) -> float | None:
        return max(self.values) if self.values else None

    @property
    def headline(self) -> float | None:
        """The one number to put in a table cell: the sum, or the mean for percentages."""
        return self.total if self.method == "sum" else self.mean

    @property
    def units_text(self) -> str:
        """How many final reports gave it, of how many: "5/6"."""
        return f"{self.reported}/{self.of}"

    @property
    def text(self) -> str:
        """The district's value in words: a sum, or a mean of percentages said to be one; "—"
        when no unit gave it (never 0). The pages add its range; documents print this."""
        if self.total is None:
            return "—"
        if self.method == "sum":
            return number(self.total)
        return f"{number(self.mean)} (trung bình)"


@dataclass(frozen=True)
class YearlyAggregate:
    """A year-row appendix summed over units: one row per year of the period and a total row."""

    years: tuple[int, ...]
    rows: dict[int, dict[str, Stat]]
    total: dict[str, Stat]


@dataclass(frozen=True)
class WeightedRate:
    """A rate computed from counts: Σ part / Σ whole over the units that gave both."""

    part: float
    whole: float
    units: int

    @property
    def percent(self) -> float:
        return round(100 * self.part / self.whole, 1)


@dataclass(frozen=True)
class Aggregates:
    """Everything the district summary shows about the submitted units."""

    tables: dict[str, dict[str, Stat]]  # table part → dotted leaf path → Stat
    yearly: dict[str, YearlyAggregate]  # yearly part → its years and total
    # Target path → how many units met it (outline.Target; x-target).
    targets: dict[str, TargetCount] = field(default_factory=dict)
    # List part → each final report's rows, by unit (compiled, never summed).
    lists: dict[str, list[tuple[Unit, list[dict[str, Any]]]]] = field(default_factory=dict)
    # Rate title → the district's own rate, Σ part / Σ whole over the units giving both (x-rates).
    rates: dict[str, WeightedRate | None] = field(default_factory=dict)
    # Sections: section key → dotted field path → Stat (counts summed, % as mean).
    outline: dict[str, dict[str, Stat]] = field(default_factory=dict)
    finals: int = 0  # how many final reports were aggregated


@dataclass(frozen=True)
class TargetCount:
    """How many units met a target: of the units with both a target and a result; the units
    not assigned one are counted apart, never as having met it."""

    reached: int
    reported: int
    not_assigned: int


@dataclass(frozen=True)
class TargetValue:
    """One unit's target and result, as it wrote them (a figure, or words such as "không giao
    chỉ tiêu" or "không có số liệu")."""

    target: float | str | None
    result: float | str | None
    not_assigned_text: str = ""

    @property
    def reached(self) -> bool | None:
        """Reached, not reached, or None: no target assigned or no figure to compare."""
        if not (is_number(self.target) and is_number(self.result)):
            return None
        return self.result >= self.target  # type: ignore[operator]

    @property
    def assigned(self) -> bool:
        return not self.not_assigned_text or self.target != self.not_assigned_text


# One unit's values in the comparison table's columns (outline.CompareColumn): a figure or
# what the unit wrote instead, a TargetValue, or a sum over the period (None: no figure).
Indicators = tuple[Any, ...]


def is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def leaf_paths(key: str, lists: bool = True) -> tuple[tuple[str, Schema], ...]:
    """Return (dotted path inside one row or object, subschema) of each number in a part
    (outline.Outline.leaf_paths)."""
    return current().leaf_paths(key, lists)


def figure_sections() -> tuple[str, ...]:
    """The outline's sections with figures the district totals (I–III here; IV–VI have none)."""
    return tuple(k for k in current().sections if current().leaf_paths(k, lists=False))


def yearly_parts() -> tuple[str, ...]:
    """The yearly tables (x-part: yearly): a row per year, totalled per year and over the period."""
    return current().keys("yearly")


def table_parts() -> tuple[str, ...]:
    """The tables of figures (x-part: table): a row per unit, totalled."""
    return current().keys("table")


def get_path(data: Any, dotted: str) -> Any:
    """Return the value at a dotted path in nested dicts, or None where it is absent.

    A group the unit marked as a whole ("không áp dụng" for a Standing Committee it does not
    have) gives that text for each of its fields.
    """
    for part in dotted.split("."):
        if isinstance(data, str):
            return data
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data


def _numbers(values: list[Any]) -> tuple[float, ...]:
    return tuple(v for v in values if is_number(v))


def units_from(
    campaign: dict[str, Any],
    submissions: list[tuple[Path, dict[str, Any], list[Problem]]],
    repo_root: Path,
    changed: dict[Path, dt.date] | None = None,
) -> list[Unit]:
    """Join the roster with the submissions; the roster's order is kept, it is the reviewer's."""
    kinds = dict(current().unit_kinds)
    by_id = {str(d["unit"]["id"]): (p, d, probs) for p, d, probs in submissions}
    deadline = str(campaign["deadline"])
    units: list[Unit] = []
    for entry in campaign["units"]:
        uid, kind = str(entry["id"]), str(entry["kind"])
        common = dict(
            id=uid, name=str(entry["name"]), kind=kind, kind_label=str(kinds.get(kind, kind))
        )
        if uid not in by_id:
            units.append(Unit(status="missing", **common))  # type: ignore[arg-type]
            continue
        path, data, problems = by_id[uid]
        status: Status
        if data.get("status") != "final":
            status = "draft"  # filed early, still being written: not a report yet
        else:  # ISO dates compare correctly as strings
            status = "late" if str(data["submission_date"]) > deadline else "on_time"
        try:
            repo_path = path.resolve().relative_to(repo_root.resolve()).as_posix()
        except ValueError:
            repo_path = f"submissions/{path.name}"
        warnings = tuple(p for p in problems if p.severity == "warning")
        day = (changed or {}).get(path.resolve())
        units.append(
            Unit(
                status=status,
                data=data,
                path=path,
                repo_path=repo_path,
                warnings=warnings,
                updated=day.isoformat() if day else "",
                **common,
            )
        )
    return units


def status_summary(units: list[Unit]) -> StatusSummary:
    """Count the roster by status."""
    count = {s: sum(u.status == s for u in units) for s in STATUS_VI}
    return StatusSummary(
        expected=len(units),
        submitted=count["on_time"] + count["late"],
        on_time=count["on_time"],
        late=count["late"],
        draft=count["draft"],
        missing=count["missing"],
    )


def aggregate(units: list[Unit], years: tuple[int, ...]) -> Aggregates:
    """Aggregate the outline's figures and the appendices of every final report."""
    submitted = [u for u in units if u.submitted and u.data is not None]
    datas = [u.data for u in submitted if u.data is not None]
    n = len(datas)
    tables: dict[str, dict[str, Stat]] = {}
    for appendix in table_parts():
        tables[appendix] = {
            path: Stat(_numbers([get_path(d[appendix], path) for d in datas]), method_of(node), n)
            for path, node in leaf_paths(appendix)
        }
    outline = {
        key: {
            path: Stat(_numbers([get_path(d[key], path) for d in datas]), method_of(node), n)
            for path, node in leaf_paths(key, lists=False)
        }
        for key in figure_sections()
    }
    yearly: dict[str, YearlyAggregate] = {}
    for appendix in yearly_parts():
        leaves = leaf_paths(appendix)
        row_key = current().part(appendix).row_key
        rows: dict[int, dict[str, Stat]] = {}
        for year in years:
            year_rows = [r for d in datas for r in d[appendix] if r.get(row_key) == year]
            rows[year] = {
                p: Stat(_numbers([get_path(r, p) for r in year_rows]), method_of(node), n)
                for p, node in leaves
            }
        # The period total per unit first, so that "units that reported" counts units, not rows.
        total = {
            p: Stat(_numbers([_row_total(d[appendix], p, years, row_key) for d in datas]), method_of(node), n)
            for p, node in leaves
        }
        yearly[appendix] = YearlyAggregate(years, rows, total)
    targets: dict[str, TargetCount] = {}
    for t in current().targets:
        values = [_target_value(d, t.path) for d in datas]
        not_assigned = sum(not v.assigned for v in values)
        known = [v.reached for v in values if v.assigned and v.reached is not None]
        targets[t.path] = TargetCount(sum(known), len(known), not_assigned)
    lists = {
        key: [(u, list(u.data.get(key) or [])) for u in submitted if u.data is not None]
        for key in current().keys("list")
    }
    rates = {r.title: _weighted(datas, r.part, r.whole) for r in current().rates}
    return Aggregates(tables, yearly, targets, lists, rates, outline, n)


def _target_value(data: dict[str, Any], path: str) -> TargetValue:
    t = current().target(path)
    obj = get_path(data, path)
    obj = obj if isinstance(obj, dict) else {}
    return TargetValue(obj.get(t.target), obj.get(t.result), t.not_assigned)


def _weighted(datas: list[dict[str, Any]], part: str, whole: str) -> WeightedRate | None:
    """Σ part / Σ whole, over the units that gave both counts (a whole of 0 left out).

    A mean of the units' percentages would weigh a unit of 296 members like one of 1,412.
    """
    pairs = [(get_path(d, part), get_path(d, whole)) for d in datas]
    pairs = [(g, y) for g, y in pairs if is_number(g) and is_number(y) and y > 0]
    if not pairs:
        return None
    return WeightedRate(sum(g for g, _ in pairs), sum(y for _, y in pairs), len(pairs))


def _row_total(
    rows: list[dict[str, Any]], dotted: str, years: tuple[int, ...], row_key: str
) -> float | None:
    """Sum one column of a unit's year rows over the period; None if no row has a value."""
    vals = _numbers([get_path(r, dotted) for r in rows if r.get(row_key) in years])
    return sum(vals) if vals else None


def unit_totals(
    rows: list[dict[str, Any]], appendix: str, years: tuple[int, ...]
) -> dict[str, float | None]:
    """The 2016–2020 total row of one unit's year-row appendix."""
    row_key = current().part(appendix).row_key
    return {p: _row_total(rows, p, years, row_key) for p, _ in leaf_paths(appendix)}


def indicators(unit: Unit, years: tuple[int, ...]) -> Indicators:
    """One unit's values in the comparison table's columns (x-compare)."""
    d = unit.data
    out: list[Any] = []
    for col in current().compare:
        if d is None:
            out.append(TargetValue(None, None) if col.target else None)
        elif col.target:
            out.append(_target_value(d, col.target))
        elif col.sums:
            totals = []
            for dotted in col.sums:
                key, _, inner = dotted.partition(".")
                value = d.get(key)
                rows: list[dict[str, Any]] = value if isinstance(value, list) else []
                totals.append(_row_total(rows, inner, years, current().part(key).row_key))
            known = [t for t in totals if t is not None]
            total = sum(known) if known else None
            out.append(int(total) if isinstance(total, float) and total.is_integer() else total)
        else:
            out.append(get_path(d, col.path))
    return tuple(out)
