"""Cross-field rules: read them from schema/rules.yaml and evaluate them against one report.

A rule is data (left side, operator, right side, severity, message), as DHIS2 keeps its
validation rules, so the web editor can evaluate the very same file in the browser. The little
expression language is described at the top of schema/rules.yaml.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.load import os_reason, strip_space
from generator.messages import number_text
from generator.schema import (
    REPORT_SCHEMA,
    SCHEMA_DIR,
    SchemaRef,
    is_multiline,
    load_schema,
    types_of,
    walk,
)

RULES_FILE = "rules.yaml"
Path_ = tuple[str | int, ...]
# Where context_for puts the report schema `fields.<kind>` is read from: not a name an expression
# can write (see _TERM), so no report key can shadow it.
SCHEMA_KEY = "\0schema"


@dataclass(frozen=True)
class Rule:
    """One cross-field rule as written in schema/rules.yaml."""

    id: str
    left: str
    operator: str
    right: str | None
    severity: str  # "error" or "warning"; with `by_status`, the severity of a report of no known status
    message: str
    for_each: tuple[str, ...] = ()
    at: str | None = None
    # Severity by the report's status ({"draft": "warning", "final": "error"}): what is left to
    # fill in a draft is a reminder, in a final report it blocks.
    by_status: tuple[tuple[str, str], ...] = ()
    # Conditions on other fields, all of which must hold for the rule to apply ({"status": "final"}).
    when: tuple[tuple[str, Any], ...] = ()
    # For `unique`: the fields of each row that together must not repeat (number and year).
    key: tuple[str, ...] = ()

    def severity_for(self, context: dict[str, Any]) -> str:
        """The rule's severity for the report in `context`."""
        return dict(self.by_status).get(str(context.get("status")), self.severity)

    @property
    def names(self) -> set[str]:
        """Return the top-level context names the rule reads (used to defer cross-file rules)."""
        text = " ".join(x for x in (self.left, self.right or "", *self.for_each) if x)
        return {m.split(".")[0].split("[")[0] for m in _TERM.findall(text)}


@dataclass(frozen=True)
class Violation:
    """A rule that does not hold, where (the report path to point at) and with what message."""

    rule: Rule
    path: Path_
    message: str
    severity: str = "error"


_TERM = re.compile(r"[A-Za-z_$][\w$]*(?:\[\*\]|\.\*|\.[A-Za-z_]\w*)*")
_OPS = {"==", "!=", "<", "<=", ">", ">=", "in", "unique", "once_in", "one_each", "filled"}
_SEVERITIES = ("error", "warning")


class RulesError(Exception):
    """A rules file itself is malformed (a mistake of the maintainers, not of a unit); the message
    (in Vietnamese) names the file and the rule."""


# The rules about campaign.yaml itself are the tool's, beside its campaign schema: a plan's rules
# file (named by campaign.yaml) cannot drop them, and checking campaign.yaml does not depend on a
# file campaign.yaml names.
CAMPAIGN_RULES_FILE = SCHEMA_DIR / "campaign.rules.yaml"


@functools.cache
def load_rules(section: str = "rules", path: Path | None = None) -> tuple[Rule, ...]:
    """Return the rules of one section of a rules file.

    "rules" reads a plan's rules (default: the tool's schema/rules.yaml); "campaign_rules" the
    tool's rules about campaign.yaml (schema/campaign.rules.yaml). Raises RulesError for a file
    that cannot be read or is not rules; OSError is wrapped too.
    """
    if path is None:
        path = CAMPAIGN_RULES_FILE if section == "campaign_rules" else SCHEMA_DIR / RULES_FILE
    try:  # the path as the user would type it from the current folder
        shown = path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        shown = str(path)
    try:
        with open(path, encoding="utf-8") as f:
            doc = yaml.load(f, Loader=yaml.CSafeLoader)
    except OSError as e:
        raise RulesError(f"không đọc được tệp luật “{shown}”: {os_reason(e)}") from e
    except UnicodeDecodeError as e:
        raise RulesError(f"tệp luật “{shown}” không phải văn bản UTF-8") from e
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" (dòng {mark.line + 1})" if mark is not None else ""
        raise RulesError(f"tệp luật “{shown}” không phải YAML hợp lệ{where}") from e
    if not isinstance(doc, dict) or not isinstance(doc.get(section, []), list):
        raise RulesError(f"tệp luật “{shown}” phải có khóa “{section}:” là một danh sách luật")
    rules = []
    for i, r in enumerate(doc.get(section) or []):
        where = f"tệp luật “{shown}”, luật thứ {i + 1}"
        if not isinstance(r, dict) or not all(k in r for k in ("id", "left", "operator", "message")):
            raise RulesError(f"{where}: mỗi luật cần có id, left, operator, severity và message")
        sev = r.get("severity")
        by_status: dict[str, str] = sev if isinstance(sev, dict) else {}
        if r.get("operator") not in _OPS or not (
            sev in _SEVERITIES or (by_status and all(v in _SEVERITIES for v in by_status.values()))
        ):
            raise RulesError(f"{where} ({r.get('id')}): phép so sánh (operator) hoặc mức độ (severity) "
                             f"không hợp lệ; phép so sánh: {', '.join(sorted(_OPS))}; mức độ: error, warning")
        fe = r.get("for_each", ())
        key = r.get("key", ())
        rules.append(Rule(
            id=str(r["id"]), left=str(r["left"]), operator=str(r["operator"]),
            right=None if r.get("right") is None else str(r["right"]),
            # A report whose status is missing or mistyped (the schema reports that) is treated
            # as a draft: what it has not filled in is listed, not counted twice as errors.
            severity=str(sev) if not by_status else ("warning" if "warning" in by_status.values() else "error"),
            message=str(r["message"]),
            for_each=(fe,) if isinstance(fe, str) else tuple(fe), at=r.get("at"),
            by_status=tuple(sorted(by_status.items())),
            when=tuple((str(k), v) for k, v in (r.get("when") or {}).items()),
            key=(key,) if isinstance(key, str) else tuple(key),
        ))
    return tuple(rules)


# `fields.<kind>` in a rule's for_each: every field of the report form of one kind, from the schema.
FIELD_KINDS = ("figures", "numbers", "narratives", "texts")


@functools.cache
def field_patterns(schema: SchemaRef = REPORT_SCHEMA) -> dict[str, tuple[Path_, ...]]:
    """Schema paths of the fields a unit fills in, by kind.

    figures: numbers that accept "no data"; numbers: numbers that do not; narratives: long texts;
    texts: every other text. Fields marked `x-optional` may stay empty and are not listed, nor are
    fields that cannot be empty at all (a year row's year, a choice from a list). A list row is
    index 0 in the path: it stands for every row.
    """
    out: dict[str, list[Path_]] = {k: [] for k in FIELD_KINDS}
    root = load_schema(schema)
    for path, node in walk(root):
        types = types_of(node)
        if not path or "properties" in node or "array" in types or node.get("x-optional"):
            continue
        if "integer" in types or "number" in types:
            if "null" in types:
                out["figures" if node.get("x-no-data") else "numbers"].append(path)
        elif is_multiline(node):
            out["narratives"].append(path)
        elif "string" in types:
            out["texts"].append(path)
    return {k: tuple(v) for k, v in out.items()}


@functools.cache
def _no_data_parents(schema: SchemaRef = REPORT_SCHEMA) -> dict[Path_, frozenset[str]]:
    """Schema paths of groups (objects) a unit may mark "no data" as a whole, with the texts."""
    root = load_schema(schema)
    return {path: frozenset(t for t, _ in node.get("x-no-data", ()))
            for path, node in walk(root) if "properties" in node and node.get("x-no-data")}


def _fields(kind: str, context: dict[str, Any]) -> list[tuple[Path_, Any]]:
    """The (report path, value) of every field of one kind in the report, row by row.

    A group marked "không áp dụng" as a whole has no fields to fill.
    """
    schema: SchemaRef = context.get(SCHEMA_KEY, REPORT_SCHEMA)
    groups = _no_data_parents(schema)
    found: list[tuple[Path_, Any]] = []
    for pattern in field_patterns(schema).get(kind, ()):
        level: list[tuple[Path_, Path_, Any]] = [((), (), context)]  # (schema path, report path, value)
        for key in pattern:
            nxt: list[tuple[Path_, Path_, Any]] = []
            for spath, rpath, value in level:
                if isinstance(value, str) and value in groups.get(spath, ()):
                    continue
                if isinstance(key, int):
                    if isinstance(value, list):
                        nxt.extend((spath + (0,), rpath + (i,), v) for i, v in enumerate(value))
                elif isinstance(value, dict) and key in value:
                    nxt.append((spath + (key,), rpath + (key,), value[key]))
            level = nxt
        found.extend((rpath, value) for _, rpath, value in level)
    return found


def filled(value: Any) -> bool:
    """Tell whether a unit wrote something here: not left empty (a 0 and "no data" are answers)."""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(strip_space(value))
    if isinstance(value, (list, dict)):
        return bool(value)
    return True


def _split_path(text: str) -> list[str]:
    """Split "appendix_4[*].year" into ["appendix_4", "[*]", "year"]."""
    out: list[str] = []
    for part in text.split("."):
        name, star, _ = part.partition("[*]")
        if name:
            out.append(name)
        if star:
            out.append(star)
    return out


def resolve(path: str, context: dict[str, Any], bound: tuple[Path_, Any] | None) -> list[tuple[Path_, Any]]:
    """Return every (report path, value) that `path` selects; `*` and `[*]` select many."""
    parts = _split_path(path)
    if len(parts) == 2 and parts[0] == "fields" and parts[1] in FIELD_KINDS:
        return _fields(parts[1], context)
    if parts and parts[0] == "$":
        if bound is None:
            return []
        found = [bound]
        parts = parts[1:]
    else:
        found = [((), context)]
    for part in parts:
        nxt: list[tuple[Path_, Any]] = []
        for where, value in found:
            if part in ("*", "[*]"):
                if isinstance(value, dict) and part == "*":
                    nxt.extend((where + (k,), v) for k, v in value.items())
                elif isinstance(value, list):
                    nxt.extend((where + (i,), v) for i, v in enumerate(value))
            elif isinstance(value, dict) and part in value:
                nxt.append((where + (part,), value[part]))
        found = nxt
    return found


def _same(v: Any) -> Any:
    """What a value is compared as: text in Unicode NFC without surrounding spaces.

    " 05-KH/ĐTN" and "05-KH/ĐTN" (or the same letters composed differently) are one document
    number, one unit id; numbers and other values are themselves.
    """
    return strip_space(unicodedata.normalize("NFC", v)) if isinstance(v, str) else v


_SAME_LISTS: dict[int, tuple[list[Any], list[Any], set[Any]]] = {}


def _same_list(values: list[Any]) -> tuple[list[Any], set[Any]]:
    """`values` compared as _same, as a list and a set: worked out once per list.

    The roster and the submitted ids are one list for every report of a run; normalising them
    again for each report would make checking N reports cost N × N.
    """
    found = _SAME_LISTS.get(id(values))
    if found is None or found[0] is not values or len(found[1]) != len(values):
        same = [_same(v) for v in values]
        found = (values, same, {v for v in same if not isinstance(v, (list, dict))})
        if len(_SAME_LISTS) > 16:
            _SAME_LISTS.clear()
        _SAME_LISTS[id(values)] = found  # holds the list, so its id is not reused meanwhile
    return found[1], found[2]


def _number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def evaluate(expr: str, context: dict[str, Any], bound: tuple[Path_, Any] | None) -> tuple[Any, list[Path_]]:
    """Return (value, paths read) of an expression; value None means "no data, skip the rule".

    `a + b - 3` (terms and signs separated by spaces) is arithmetic on numbers; a single term
    may be any value (a list, a date text).
    """
    tokens = expr.split()
    if len(tokens) == 1:
        return _term(tokens[0], context, bound)
    total: float = 0
    sign = 1
    paths: list[Path_] = []
    for tok in tokens:
        if tok in "+-":
            sign = 1 if tok == "+" else -1
            continue
        value, p = _term(tok, context, bound)
        paths.extend(p)
        if not _number(value):
            return None, paths
        total += sign * value
    return total, paths


def _term(tok: str, context: dict[str, Any], bound: tuple[Path_, Any] | None) -> tuple[Any, list[Path_]]:
    if re.fullmatch(r"\d+(\.\d+)?", tok):
        return float(tok) if "." in tok else int(tok), []
    found = resolve(tok, context, bound)
    if "*" in tok.replace("$", ""):
        # A list whose container is missing altogether is "no data", not an empty list.
        base = tok.split("*")[0].rstrip(".[")
        if base and not resolve(base, context, bound):
            return None, []
        return [v for _, v in found], [p for p, _ in found]
    if not found:
        return None, []
    return found[0][1], [found[0][0]]


def _fmt(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, float):
        return number_text(v)
    if isinstance(v, list):
        return ", ".join(_fmt(x) for x in v)
    return str(v)


_ROSTERS: dict[int, tuple[list[Any], list[Any], dict[Any, dict[str, Any]]]] = {}


def _roster(units: list[Any]) -> tuple[list[Any], dict[Any, dict[str, Any]]]:
    """The roster's ids, and its entries by id (compared as _same), worked out once per roster."""
    found = _ROSTERS.get(id(units))
    if found is None or found[0] is not units:
        entries = [u for u in units if isinstance(u, dict)]
        by_id: dict[Any, dict[str, Any]] = {}
        for u in entries:
            key = _same(u.get("id"))
            if not isinstance(key, (list, dict)):
                by_id.setdefault(key, u)
        found = (units, [u.get("id") for u in entries], by_id)
        if len(_ROSTERS) > 4:
            _ROSTERS.clear()
        _ROSTERS[id(units)] = found
    return found[1], found[2]


def _hashable_in(value: Any, values: set[Any]) -> bool:
    return not isinstance(value, (list, dict)) and value in values


def _date(v: Any) -> bool:
    """Tell whether `v` is a real date written YYYY-MM-DD (so text order is date order)."""
    if not (isinstance(v, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", v)):
        return False
    try:
        dt.date.fromisoformat(v)
    except ValueError:
        return False
    return True


def _compare(op: str, a: Any, b: Any) -> bool | None:
    """Return whether `a op b` holds, or None when the values cannot be compared (skip)."""
    if a is None or b is None:
        return None
    if op in ("==", "!="):
        if _number(a) and _number(b):
            return bool((a == b) == (op == "=="))
        if type(a) is not type(b):
            return None
        return bool((_same(a) == _same(b)) == (op == "=="))
    if not ((_number(a) and _number(b)) or (_date(a) and _date(b))):
        # Texts are ordered only as dates: "2021-01-15" <= "20/01/2021" would compare characters
        # and report nonsense; a malformed date is the schema's to report, not the rule's.
        return None
    ops: dict[str, Callable[[Any, Any], bool]] = {
        "<": lambda x, y: x < y, "<=": lambda x, y: x <= y,
        ">": lambda x, y: x > y, ">=": lambda x, y: x >= y,
    }
    return ops[op](a, b)


def check(rule: Rule, context: dict[str, Any]) -> Iterator[Violation]:
    """Yield a Violation for every place where `rule` does not hold in `context`."""
    severity = rule.severity_for(context)
    bindings: list[tuple[Path_, Any] | None] = [None]
    if rule.for_each:
        bindings = [b for fe in rule.for_each for b in resolve(fe, context, None)]
    for bound in bindings:
        if rule.when and not all(_term(path, context, bound)[0] == want for path, want in rule.when):
            continue
        if rule.operator == "filled":
            if rule.left == "$" and bound is not None:
                value, paths = bound[1], [bound[0]]  # hundreds of fields a file: skip the parser
            else:
                value, paths = _term(rule.left, context, bound)
            at = paths[0] if paths else (bound[0] if bound else ())
            if not filled(value):
                yield Violation(rule, at, _message(rule, value, None, None), severity)
            continue
        if rule.operator == "unique" and rule.key:
            yield from _unique_rows(rule, context, bound, severity)
            continue
        left, lpaths = evaluate(rule.left, context, bound)
        right, _ = evaluate(rule.right, context, bound) if rule.right else (None, [])
        at = lpaths[0] if lpaths else (bound[0] if bound else ())
        if rule.at:
            at_found = resolve(rule.at, context, bound)
            at = at_found[0][0] if at_found else at
        item: Any = None
        holds: bool | None
        if rule.operator == "unique":
            if not isinstance(left, list):
                continue
            seen: set[Any] = set()
            for p, v in zip(lpaths, left):
                if isinstance(v, (list, dict)):
                    continue  # not a scalar at all: the schema reports it; it cannot repeat another
                if _same(v) in seen:
                    yield Violation(rule, p, _message(rule, left, right, v), severity)
                seen.add(_same(v))
            continue
        if rule.operator == "in":
            holds = None if left is None or not isinstance(right, list) else _hashable_in(_same(left), _same_list(right)[1])
        elif rule.operator == "once_in":
            holds = None if left is None or not isinstance(right, list) else _same_list(right)[0].count(_same(left)) == 1
        elif rule.operator == "one_each":
            if not isinstance(left, list) or not isinstance(right, list):
                continue
            if not all(_number(v) for v in left):
                continue  # a row without a proper year: the schema says so; counting it would mislead
            item = _one_each_problems(left, right)
            holds = not item
        else:
            holds = _compare(rule.operator, left, right)
        if holds is False:
            yield Violation(rule, at, _message(rule, left, right, item), severity)


def _unique_rows(rule: Rule, context: dict[str, Any], bound: tuple[Path_, Any] | None,
                 severity: str) -> Iterator[Violation]:
    """`unique` over rows: the `key` fields of a row together must not repeat in another row.

    A row whose first key field is empty or not text (a document without a number) repeats nothing.
    """
    rows = resolve(rule.left, context, bound)
    seen: set[tuple[Any, ...]] = set()
    for path, row in rows:
        if not isinstance(row, dict):
            continue
        values = tuple(row.get(k) for k in rule.key)
        if not filled(values[0]) or any(isinstance(v, (list, dict)) for v in values):
            continue
        norm = tuple(_same(v) for v in values)
        if norm in seen:
            shown = f"“{_fmt(values[0])}”"
            item = shown if len(values) == 1 else f"{shown} ({', '.join(_fmt(v) for v in values[1:])})"
            yield Violation(rule, path + (rule.key[0],), _message(rule, None, None, item), severity)
        seen.add(norm)


def _one_each_problems(values: list[Any], expected: list[Any]) -> str:
    notes = []
    counts = Counter(v for v in values if isinstance(v, Hashable))
    wanted = set(expected)
    missing = [y for y in expected if y not in counts]
    repeated = sorted((v for v, n in counts.items() if n > 1 and v is not None), key=str)
    extra = [v for v in values if v not in wanted and v is not None]
    if missing:
        notes.append(f"còn thiếu năm {_fmt(missing)}")
    if repeated:
        notes.append(f"năm {_fmt(repeated)} bị ghi nhiều lần")
    if extra:
        notes.append(f"năm {_fmt(extra)} nằm ngoài giai đoạn")
    return "; ".join(notes)


def _message(rule: Rule, left: Any, right: Any, item: Any) -> str:
    return rule.message.format(left=_fmt(left), right=_fmt(right), item=_fmt(item))


def context_for(report: dict[str, Any], campaign: dict[str, Any] | None, stem: str, today: str,
                submitted_ids: list[str] | None = None, schema: SchemaRef = REPORT_SCHEMA) -> dict[str, Any]:
    """Return what rule expressions can read: the report, plus campaign facts and the file's name.

    `schema` is the report schema `fields.<kind>` lists the fields of (the plan's)."""
    campaign = campaign or {}
    period = campaign.get("period")
    period = period if isinstance(period, dict) else {}  # not a mapping: the schema says so
    start, end = period.get("start"), period.get("end")
    # Years are whole numbers; a malformed period (1.5, .inf) is the campaign schema's to report.
    years: list[int] | None = None
    if isinstance(start, int) and isinstance(end, int) and not isinstance(start, bool) \
            and not isinstance(end, bool) and start <= end:
        years = list(range(start, end + 1))
    units = campaign.get("units")
    ids, by_id = _roster(units) if isinstance(units, list) else (None, {})
    unit = report.get("unit")
    uid = unit.get("id") if isinstance(unit, dict) else None
    roster_unit = by_id.get(_same(uid)) if isinstance(uid, str) else None
    ctx = dict(report)
    ctx.update({
        "campaign": campaign, "file": {"stem": stem}, "today": today,
        "period_years": years, "roster_ids": ids, "submitted_ids": submitted_ids,
        "roster_unit": roster_unit, SCHEMA_KEY: schema,
    })
    return ctx
