"""Check submissions and the campaign file: schema first, then the cross-field rules.

Every problem in every file is collected into one Result; nothing here prints or exits.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import hashlib
import json
import multiprocessing
import os
import re
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import fastjsonschema
import jsonschema

from generator import rules as rules_mod
from generator import verdicts
from generator.load import (
    MAX_COUNTED,
    MAX_PROBLEMS,
    WHITESPACE,
    Loaded,
    LoadError,
    ValueError_,
    convert_plain,
    load_yaml,
    scalar_source,
    strip_space,
    words,
)
from generator.messages import say, type_name
from generator.plan import DEFAULT_PLAN, Plan, PlanError, load_plan
from generator.problems import FileReport, Problem, Result
from generator.schema import (
    CAMPAIGN_SCHEMA,
    Schema,
    SchemaRef,
    enum_options,
    fast_check,
    label_path,
    load_schema,
    no_data_texts,
    resolve,
    shape,
    subschema,
    types_of,
    validator,
)

_WS = "[" + re.escape(WHITESPACE) + "]"
PARALLEL_THRESHOLD = 64  # below this many files a process pool costs more than it saves

def _found(value: Any) -> str:
    if value is None:
        return say("found.empty")
    if isinstance(value, bool):
        return say("found.boolean")
    if isinstance(value, (int, float)):
        return say("found.number", value=value)
    if isinstance(value, str):
        value = " ".join(words(value))  # one problem is one line, even for a paragraph
        short = value if len(value) <= 40 else value[:37] + "…"
        return say("found.text", text=short)
    if isinstance(value, list):
        return say("found.list")
    return say("found.object")


def _type_message(value: Any, expected: list[str], source: tuple[str, bool] | None, shape_at: Any = None) -> str:
    # An empty value is always allowed where null is ("not filled in yet"): not worth saying.
    want = say("or").join(type_name(t) for t in expected if t != "null" or len(expected) == 1)
    text, quoted = source if source else (None, False)
    if "string" in expected and text is not None and not quoted and not isinstance(value, str):
        if value is None and text == "":
            return say("type.empty-text")
        return say("type.quote-text", text=text, found=_found(value))
    if ("integer" in expected or "number" in expected):
        if isinstance(value, str) and quoted and text is not None and strip_space(value):
            try:
                convert_plain(strip_space(value), shape_at)
                return say("type.quoted-number", value=strip_space(value))
            except ValueError_:
                pass
        if value is None:
            return say("type.no-number")
        if isinstance(value, float) and "integer" in expected and "number" not in expected:
            if text and re.fullmatch(r"[0-9]{1,3}(\.[0-9]{3})+", text):
                return say("type.dot-thousands", text=text, fixed=text.replace('.', ''))
            return say("type.want-integer", value=value)
        if isinstance(value, str):
            if re.fullmatch(f"{_WS}*[0-9]+,[0-9]+{_WS}*%?{_WS}*", value):
                return say("type.decimal-comma", value=value, fixed=value.strip(' %').replace(',', '.'))
            if re.fullmatch(f"{_WS}*[0-9]+(\\.[0-9]+)?{_WS}*%{_WS}*", value):
                return say("type.percent-sign", value=value, fixed=value.strip(' %'))
            if re.fullmatch(r"[0-9]{1,3}(,[0-9]{3})+", strip_space(value)):
                return say("type.comma-thousands", value=value, fixed=value.replace(',', ''))
            if not strip_space(value):
                return say("type.empty-string", want=want)
            return say("type.text-not-number", found=_found(value), want=want)
    return say("type.other", found=_found(value), want=want)


def _suggest(key: str, allowed: list[str], present: dict[str, Any]) -> str | None:
    """Return the known field name a misspelt `key` most likely means, if it is not there yet."""
    close = difflib.get_close_matches(key, [a for a in allowed if a not in present], n=1, cutoff=0.6)
    return close[0] if close else None


def _schema_problems(loaded: Loaded, schema_name: SchemaRef, skip: frozenset[tuple[str | int, ...]] = frozenset()) -> tuple[list[Problem], int, bool]:
    """Translate jsonschema's findings into located problems with Vietnamese messages.

    Returns the first MAX_PROBLEMS problems and how many more there were (counted, not located:
    a file of 100,000 unknown keys is checked in about the time it takes to read it), and whether
    counting stopped at MAX_COUNTED before the end. Paths in
    `skip` were reported by the loader already (a value its field refuses).
    """
    if schema_name != CAMPAIGN_SCHEMA and (fast := fast_check(schema_name)) is not None:
        try:
            fast(loaded.data)
            return [], 0, False
        except fastjsonschema.JsonSchemaException:
            pass  # invalid: let jsonschema find every problem, with paths to locate them
    root = load_schema(schema_name)
    out: list[Problem] = []
    seen: set[tuple[tuple[str | int, ...], str]] = set()
    typed: set[tuple[str | int, ...]] = set(skip)
    more = 0
    cut = False

    def full() -> bool:
        nonlocal more
        if len(out) >= MAX_PROBLEMS:
            more += 1
            return True
        return False

    def add(path: tuple[str | int, ...], message: str, code: str, key: bool = False,
            field_path: tuple[str | int, ...] | None = None) -> None:
        if (path, message) in seen or path in typed or (path[:-1] in skip and code == "schema.required"):
            return
        if full():
            return
        seen.add((path, message))
        if code == "schema.type":
            typed.add(path)
        line, col = loaded.locate(path, key=key)
        message = " ".join(message.splitlines())  # values quoted in it may span lines
        out.append(Problem(loaded.file, line, col, "error", message,
                           label_path(field_path if field_path is not None else path, root), path, code))

    def handle(err: jsonschema.ValidationError) -> None:
        path = tuple(err.absolute_path)
        node = subschema(path, root) or {}
        v, kind = err.instance, err.validator
        if kind == "anyOf":
            # A value or "no data": explain with the alternative of the value's own kind (a
            # number too large is a number problem); otherwise say both what fits and the words.
            own = _matching_alternative(err, root)
            if own is not None:
                for sub in own:
                    handle(sub)
                return
            words = say("or").join(say("quoted", text=t) for t in no_data_texts(node))
            if not [t for t in types_of(node) if t != "null"] and no_data_texts(node):
                # Only words fit (a choice that may stay empty): the choice message, not a type.
                choices = ", ".join(say("choice.option", value=value, label=label)
                                    for value, label in no_data_texts(node).items())
                add(path, say("choice", found=_found(v), choices=choices), "schema.choice")
                return
            message = _type_message(v, [t for t in types_of(node) if t != "null"], scalar_source(loaded, path),
                                    _shape_at(schema_name, path))
            if isinstance(v, str) and words:
                message += say("type.no-data-words", words=words)
            add(path, message, "schema.type")
            return
        if kind == "required":
            allowed = list(node.get("properties", {}))
            # A misspelt key already gets "did you mean …?"; saying the right one is missing too
            # would tell the user to add a second copy.
            unknown = [k for k in v if k not in allowed][:200] if isinstance(v, dict) else []
            suggested = {_suggest(k, allowed, v) for k in unknown}
            for key in err.validator_value:
                if isinstance(v, dict) and key not in v and key not in suggested:
                    sub = subschema(path + (key,), root) or {}
                    add(path + (key,), say("required", title=sub.get('title', key), key=key),
                        "schema.required", key=True, field_path=path)
        elif kind == "additionalProperties":
            allowed = list(node.get("properties", {}))
            known = set(allowed)
            for key in v if isinstance(v, dict) else []:
                if key not in known:
                    if full():
                        continue
                    close = _suggest(key, allowed, v)
                    hint = say("unknown-key.suggest", close=close) if close else say("unknown-key.remove")
                    add(path + (key,), say("unknown-key", key=key, hint=hint),
                        "schema.unknown-key", key=True)
        elif kind == "type":
            if path in typed:
                return
            add(path, _type_message(v, types_of(node) or types_of(err.schema), scalar_source(loaded, path),
                                    _shape_at(schema_name, path)), "schema.type")
        elif kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
            if node.get("x-unit") == "%":
                add(path, say("range.percent", value=v), "schema.range")
            elif kind == "minimum" and err.validator_value == 0:
                add(path, say("range.negative", value=v), "schema.range")
            elif kind.endswith("inimum"):
                add(path, say("range.min", limit=err.validator_value, value=v), "schema.range")
            else:
                add(path, say("range.max", limit=err.validator_value, value=v), "schema.range")
        elif kind in ("format", "pattern") and node.get("format") == "date":
            add(path, say("date", value=v), "schema.date")
        elif kind == "pattern":
            how = node.get("description", "")
            add(path, say("pattern", value=v) + (say("pattern.how", how=how) if how else ""), "schema.pattern")
        elif kind in ("oneOf", "enum", "const") and (opts := enum_options(node)):
            choices = ", ".join(say("choice.option", value=value, label=label) for value, label in opts)
            add(path, say("choice", found=_found(v), choices=choices), "schema.choice")
        elif kind == "maxLength":
            add(path, say("length.max", length=len(v), limit=err.validator_value), "schema.length")
        elif kind == "minLength":
            add(path, say("length.min", limit=err.validator_value), "schema.length")
        elif kind == "maxItems":
            add(path, say("items.max", length=len(v), limit=err.validator_value), "schema.items")
        elif kind == "minItems":
            add(path, say("items.min", limit=err.validator_value, length=len(v)), "schema.items")
        else:
            how = node.get("description", "")
            add(path, say("invalid", found=_found(v)) + (say("invalid.how", how=how) if how else ""), f"schema.{kind}")

    for err in validator(schema_name).iter_errors(loaded.data):
        if len(out) >= MAX_PROBLEMS:
            # Full: count the rest cheaply, and stop counting at a bound (a list of 60,000 rows
            # with 16 problems each must not take a minute to count).
            v = err.instance
            if err.validator == "additionalProperties" and isinstance(v, dict):
                more += sum(1 for k in v if k not in (subschema(tuple(err.absolute_path), root) or {}).get("properties", {}))
            elif err.validator == "required" and isinstance(v, dict):
                more += sum(1 for k in err.validator_value if k not in v)
            else:
                more += 1
            if more >= MAX_COUNTED:
                cut = True
                break
            continue
        handle(err)
    return out, more, cut


def _shape_at(schema_name: SchemaRef, path: tuple[str | int, ...]) -> Any:
    node: Any = shape(schema_name)
    for part in path:
        if node is None:
            return None
        node = node.items if isinstance(part, int) else node.props.get(part)
    return node


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    return {float: "number", str: "string", list: "array", dict: "object"}.get(type(value), "?")


def _matching_alternative(err: jsonschema.ValidationError, root: Schema) -> list[jsonschema.ValidationError] | None:
    """The errors of the `anyOf` alternative made for the value's own JSON type, if any.

    "abc" in a count matches no alternative (None); -1 matches the count's, whose error is then
    its minimum; a group with a missing key matches the group's object schema.
    """
    kind = _json_type(err.instance)
    for i, alt in enumerate(err.validator_value):
        types = types_of(resolve(alt, root)) if isinstance(alt, dict) else []
        if kind in types or (kind == "integer" and "number" in types):
            return [e for e in err.context or () if e.relative_schema_path[0] == i]
    return None


def _rule_problems(loaded: Loaded, context: dict[str, Any], rules: Iterable[rules_mod.Rule],
                   schema_name: SchemaRef) -> list[Problem]:
    root = load_schema(schema_name)
    out = []
    for rule in rules:
        for v in rules_mod.check(rule, context):
            line, col = loaded.locate(v.path)
            out.append(Problem(loaded.file, line, col, v.severity,  # type: ignore[arg-type]
                               v.message, label_path(v.path, root), v.path, rule.id))
    return out


def _deferred(rule: rules_mod.Rule) -> bool:
    """Rules about all files at once run after every file is read."""
    return "submitted_ids" in rule.names


def _labelled(problems: list[Problem], schema_name: SchemaRef) -> list[Problem]:
    """Give the loader's problems (a key written twice…) the Vietnamese label of their field."""
    root = load_schema(schema_name)
    # An alias is reported where its anchor is, not at the path that used it: no label there.
    return [dataclasses.replace(p, field=label_path(p.path, root))
            if p.path and not p.field and p.code != "yaml.alias" else p
            for p in problems]


def check_campaign(path: Path, display: str | None = None) -> FileReport:
    """Load and check the campaign file, and the plan files it names."""
    return check_campaign_plan(path, display)[0]


def check_campaign_plan(path: Path, display: str | None = None,
                        cache: verdicts.Cache | None = None) -> tuple[FileReport, Plan | None]:
    """Load and check the campaign file; return it with the plan it names (None if that plan's
    files cannot be used: the campaign's report then says why, at the key naming the file).
    With a `cache`, the plan's schema passed the metaschema check before is not checked again."""
    name = display or str(path)
    try:
        loaded = load_yaml(path, name, schema=CAMPAIGN_SCHEMA)
    except LoadError as e:
        report = _bounded(FileReport(name, None, _labelled(e.problems, CAMPAIGN_SCHEMA)))
        try:  # the plan's files beside it are still the plan; their mistakes are said after the YAML's
            return report, load_plan(path, None, cache)
        except PlanError:
            return report, None
    problems = _labelled(loaded.problems, CAMPAIGN_SCHEMA)
    found, more, cut = _schema_problems(loaded, CAMPAIGN_SCHEMA, frozenset({p.path for p in problems if p.path} | loaded.covered))
    problems += found
    rejected = {p.path for p in problems}
    problems += _reserved_ids(loaded, rejected)
    rejected = {p.path for p in problems}
    problems += [p for p in _rule_problems(loaded, loaded.data, rules_mod.load_rules("campaign_rules"), CAMPAIGN_SCHEMA)
                 if p.path not in rejected]
    plan: Plan | None = None
    try:
        plan = load_plan(path, loaded.data, cache)
    except PlanError as e:
        named = isinstance(loaded.data.get(e.key), str)
        at: tuple[str | int, ...] = (e.key,) if named else ()
        line, col = loaded.locate(at, key=False) if named else (1, 1)
        how = (say("campaign.plan-file.named", key=e.key) if named
               else say("campaign.plan-file.default", key=e.key))
        problems.append(Problem(name, line, col, "error", f"{e}; {how}", label_path(at, load_schema(CAMPAIGN_SCHEMA)),
                                at, "campaign.plan-file"))
    return _bounded(FileReport(name, loaded.data, problems), loaded.omitted + more, cut), plan


# Names of the pages the build writes beside the units' pages (don-vi/<id>.html): a unit with
# such an id would replace the page, silently. Unit pages are the only pages named by an id.
RESERVED_UNIT_IDS: dict[str, str] = {"index": "“Các đơn vị” (don-vi/index.html)"}


def _reserved_ids(loaded: Loaded, rejected: set[tuple[str | int, ...]]) -> list[Problem]:
    """A roster id that is the name of a page of the site is refused, with the page it would replace."""
    units = loaded.data.get("units")
    out: list[Problem] = []
    for i, unit in enumerate(units if isinstance(units, list) else []):
        uid = unit.get("id") if isinstance(unit, dict) else None
        path: tuple[str | int, ...] = ("units", i, "id")
        if isinstance(uid, str) and path not in rejected and (page := RESERVED_UNIT_IDS.get(strip_space(uid).lower())):
            line, col = loaded.locate(path)
            out.append(Problem(file=loaded.file, line=line, column=col, severity="error",
                               message=say("campaign.reserved-id", id=uid, page=page), code="campaign.reserved-id",
                               path=path, field=""))
    return _labelled(out, CAMPAIGN_SCHEMA)


def _bounded(report: FileReport, more: int = 0, cut: bool = False) -> FileReport:
    """Keep the first MAX_PROBLEMS problems of a file (by place); count the rest as omitted.

    What a report has not filled in yet (the `fill-*` rules) is always listed whole: it is the
    unit's to-do list, and bounded by the schema's fields and list lengths.
    """
    report.problems.sort(key=lambda p: (p.line, p.column))
    others = [p for p in report.problems if not p.code.startswith("fill-")]
    dropped = others[MAX_PROBLEMS:]
    if dropped:
        gone = {id(p) for p in dropped}
        report.problems[:] = [p for p in report.problems if id(p) not in gone]
    report.omitted += len(dropped) + more
    report.omitted_errors += sum(p.severity == "error" for p in dropped) + more
    report.omitted_cut = cut
    return report


def check_report(path: Path, campaign: dict[str, Any] | None, today: str, display: str | None = None,
                 plan: Plan = DEFAULT_PLAN) -> FileReport:
    """Load and check one submission: YAML, the plan's schema, and every rule of the plan that
    needs this file only."""
    name = display or str(path)
    schema = plan.report_schema
    try:
        loaded = load_yaml(path, name, schema=schema)
    except LoadError as e:
        return _bounded(FileReport(name, None, _labelled(e.problems, schema)))
    problems = _labelled(loaded.problems, schema)
    found_schema, more, cut = _schema_problems(loaded, schema, frozenset({p.path for p in problems if p.path} | loaded.covered))
    problems += found_schema
    ctx = rules_mod.context_for(loaded.data, campaign, _stem(path), today, schema=schema)
    # A value the schema already rejected would only make the rules repeat the news, confusingly.
    rejected = {p.path for p in problems}
    found = [p for p in _rule_problems(loaded, ctx, [r for r in plan.report_rules() if not _deferred(r)], schema)
             if p.path not in rejected]
    # Likewise a warning on a value a rule already rejects ("late" on a date in the future).
    wrong = {p.path for p in found if p.severity == "error"}
    problems += [p for p in found if p.severity == "error" or p.path not in wrong]
    return _bounded(FileReport(name, loaded.data, problems), loaded.omitted + more, cut)


def _stem(path: Path) -> str:
    return path.name.rsplit(".", 1)[0] if "." in path.name else path.name


def _check_one(args: tuple[Path, dict[str, Any] | None, str, str, Plan]) -> FileReport:
    return check_report(*args)


def _warm_context(plan: Plan) -> multiprocessing.context.BaseContext | None:
    """Forked workers, with the plan's schema compiled and its rules read here, once.

    fastjsonschema's compile of the report schema takes 0.2-0.33 s (code generation, then
    Python's compile of the result); each worker of a pool started otherwise compiles again on
    its first file. Forked after the caches are filled, the workers inherit them. Where fork is
    not available, each worker compiles its own (None: the platform's default start method)."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    fast_check(plan.report_schema)
    validator(plan.report_schema)
    plan.report_rules()
    return multiprocessing.get_context("fork")


def latest_today() -> dt.date:
    """Today's date where it is latest on Earth (UTC+14).

    "Not in the future" must not refuse a report dated today in Vietnam (UTC+7) when the check
    runs on a machine still in yesterday (a CI runner in UTC, 00:00–07:00 in Vietnam).
    """
    return dt.datetime.now(dt.timezone(dt.timedelta(hours=14))).date()


def check_all(campaign_path: Path, submission_paths: list[Path], today: dt.date | None = None,
              jobs: int | None = None, display_root: Path | None = None,
              cache: verdicts.Cache | None = None) -> Result:
    """Check the campaign file and every submission; return all problems of all files.

    With a `cache` (the build's), a report whose verdict it keeps is not checked again
    (generator/verdicts.py); the rules across reports still see every report."""

    def show(p: Path) -> str:
        if display_root is not None:
            try:  # a symlink is shown as itself, not as the file it points to
                return str((p.parent.resolve() / p.name).relative_to(display_root.resolve()))
            except ValueError:
                pass
        return str(p)

    day = (today or latest_today()).isoformat()
    checked, plan = check_campaign_plan(campaign_path, show(campaign_path), cache)
    result = Result(campaign=checked, plan=plan)
    if plan is None:
        return result  # no schema to read the reports with: campaign.yaml's problem says which file
    campaign = result.campaign.data if result.campaign else None
    named = {p: name_problem(p) for p in submission_paths}
    submission_paths = [p for p in submission_paths if named[p] is None]
    tasks = [(p, campaign, day, show(p), plan) for p in submission_paths]
    # What was found before (the build's cache): the reports whose verdict is kept are not read.
    keys = _verdict_keys(tasks, cache) if cache is not None else [None] * len(tasks)
    kept: list[FileReport | None] = [_kept(cache, k) for k in keys] if cache is not None else [None] * len(tasks)
    todo = [t for t, r in zip(tasks, kept) if r is None]
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    if workers > 1 and len(todo) >= PARALLEL_THRESHOLD:
        with ProcessPoolExecutor(max_workers=workers, mp_context=_warm_context(plan)) as pool:
            fresh = list(pool.map(_check_one, todo, chunksize=max(1, len(todo) // (workers * 8))))
    else:
        fresh = [_check_one(t) for t in todo]
    found = iter(fresh)
    result.files = [r if r is not None else next(found) for r in kept]
    if cache is not None:
        for (task, name), before, report in zip(zip(tasks, keys), kept, result.files):
            if before is None and name is not None and _unchanged(task[0], name[1]):
                cache.put(name[0], report)  # before the cross-file rules add to its problems

    result.files += [FileReport(show(p), None, [Problem(show(p), 0, 0, "error", why, code="file.name")])
                     for p, why in named.items() if why is not None]

    # Cross-file rules (one file per unit): read ids from every file, then re-read only the
    # files that break a rule, to point at the line.
    # One list for every report: the rules compare with it through a lookup worked out once per
    # list (rules._same_list); a new list per report made checking N reports cost N × N.
    submitted = [i for i in (_unit_id(f.data) for f in result.files) if i]
    deferred = [r for r in plan.report_rules() if _deferred(r)]
    for path, report in zip(submission_paths, result.files):
        if report.data is None or not deferred:
            continue
        ctx = rules_mod.context_for(report.data, campaign, _stem(path), day, submitted,
                                    schema=plan.report_schema)
        if any(True for r in deferred for _ in rules_mod.check(r, ctx)):
            loaded = load_yaml(path, report.file, schema=plan.report_schema)
            rejected = {p.path for p in report.problems}  # e.g. an id that is not text at all
            report.problems += [p for p in _rule_problems(loaded, ctx, deferred, plan.report_schema)
                                if p.path not in rejected]
    return result


def _verdict_keys(tasks: list[tuple[Path, dict[str, Any] | None, str, str, Plan]],
                  cache: verdicts.Cache) -> list[tuple[str, bytes] | None]:
    """Each report's cache key and the hash of its bytes (None: it cannot be read; say so anew)."""
    if not tasks:
        return []
    _, campaign, day, _, plan = tasks[0]
    try:
        plan_files = plan.report_schema.read_bytes() + b"\0" + plan.rules.read_bytes()
    except OSError:
        return [None] * len(tasks)
    common = hashlib.sha256(json.dumps(campaign, ensure_ascii=False, sort_keys=True, default=repr).encode()
                            + b"\0" + plan_files).hexdigest()
    out: list[tuple[str, bytes] | None] = []
    for path, _, _, display, _ in tasks:
        try:
            digest = hashlib.sha256(path.read_bytes()).digest()
        except OSError:
            out.append(None)
            continue
        out.append((verdicts.key("report", common, day, display, path.name, digest), digest))
    return out


def _kept(cache: verdicts.Cache, name: tuple[str, bytes] | None) -> FileReport | None:
    found = cache.get(name[0], "report") if name is not None else None
    return found if isinstance(found, FileReport) else None


def _unchanged(path: Path, digest: bytes) -> bool:
    """The report still has the bytes its key was made from (not saved again while checked)."""
    try:
        return hashlib.sha256(path.read_bytes()).digest() == digest
    except OSError:
        return False


def _unit_id(data: dict[str, Any] | None) -> str | None:
    unit = (data or {}).get("unit")
    uid = unit.get("id") if isinstance(unit, dict) else None
    return uid if isinstance(uid, str) else None


SUFFIXES = (".yaml", ".yml")


def _looks_like_report(name: str) -> bool:
    """A folder entry meant as a report: `.yaml`/`.yml` in any case, even with stray spaces."""
    return name.strip().lower().endswith(SUFFIXES)


def find_submissions(paths: list[Path]) -> list[Path]:
    """Expand folders into their report entries, sorted; files are kept as given, each once.

    Every entry that looks like a report is listed, also a symlink, a folder named `x.yaml` or
    `X.YAML`: check_all reports such names instead of reading through them or skipping them.
    A file named twice (`validate submissions/a.yaml submissions/`) is one file: read twice, it
    would be reported as a second file for its unit.
    """
    out: list[Path] = []
    seen: set[Path] = set()
    for p in paths:
        # The folder named (submissions/) may itself be a link, as a deployment may make it; the
        # entries inside it may not. A folder named `x.yaml/` is a mistake, reported by name.
        folder = p.is_dir() and not _looks_like_report(p.name)
        found = sorted(q for q in p.iterdir() if _looks_like_report(q.name)) if folder else [p]
        for q in found:
            key = q.absolute() if q.is_symlink() else q.resolve()
            if key not in seen:
                seen.add(key)
                out.append(q)
    return out


def name_problem(path: Path) -> str | None:
    """Why `path` cannot be read as a report because of what it is or how it is named, if so."""
    name = path.name
    if path.is_symlink():
        return "đây là một liên kết (symlink), không phải tệp báo cáo; hãy đặt chính tệp báo cáo vào thư mục, không dùng liên kết"
    if path.is_dir():
        return f"“{name}” là một thư mục, không phải tệp báo cáo; hãy đổi tên thư mục hoặc chuyển tệp báo cáo ra ngoài"
    if "\\" in name:
        return (f"tên tệp “{name}” có dấu “\\” (có lẽ đường dẫn Windows bị ghép vào tên); "
                f"hãy đổi tên thành “{name.rsplit(chr(92), 1)[-1].strip()}”")
    if name != name.strip():
        return f"tên tệp “{name}” có dấu cách ở đầu hoặc cuối; hãy đổi tên thành “{name.strip()}”"
    if " " in name:
        return f"tên tệp “{name}” có dấu cách; tên tệp phải đúng là mã đơn vị, ví dụ “{name.replace(' ', '-').lower()}”"
    stem, dot, suffix = name.rpartition(".")
    if dot and suffix.lower() in ("yaml", "yml") and suffix != suffix.lower():
        return f"đuôi tệp “.{suffix}” phải viết thường; hãy đổi tên thành “{stem}.{suffix.lower()}”"
    return None
