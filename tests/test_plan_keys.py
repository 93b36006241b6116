"""No Python, Jinja or JavaScript file names a key of the plan's outline (issue 18).

The plan's keys are every property name of schema/report.schema.json except the tool's envelope
(`unit`, `signer`, `status`, `submission_date` and the names inside them). Code that needs a part
of the outline reads it from generator/outline.py, which reads the schema's titles and `x-`
annotations; so the next reporting round is a new schema, not new code.

A key is "named" where it is written as code would use it, not where the word merely occurs:
- a quoted string that is the key, or a dotted path with the key as one of its parts
  ("members", 'appendix_5.attraction', `section_1`);
- an attribute or subscript access (`.members`, but not a method call such as `.count(`).
Comments are left out (a `#` or `//` comment may mention a key to explain a choice).
Some keys are ordinary words that the tool uses for its own things too (`date`, `number`,
`units`, `type`, `value` …: campaign.yaml's keys, JSON Schema's keywords, words any program
uses). For those, only a dotted path that holds another key of the plan counts
("appendix_2.standing_committee.count"), so the test does not cry wolf at `campaign["units"]`.

KNOWN would list names still in the code, file by file, while a move is under way: the test
fails when a name appears anywhere else, and when one listed is gone. It is empty.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ENVELOPE = ("unit", "signer", "status", "submission_date")
CODE = [
    *sorted((ROOT / "generator").rglob("*.py")),
    *sorted(p for p in (ROOT / "site_templates").rglob("*") if p.suffix in (".j2", ".js", ".html")),
    *sorted((ROOT / "editor" / "src").rglob("*.js")),
]

# Still named, by file (relative path → keys). Shrink it; never grow it.
KNOWN: dict[str, set[str]] = {}


# Words too ordinary to tell the plan's use from the tool's own, besides campaign.yaml's keys.
ORDINARY = {"date", "number", "type", "description", "value", "result", "results", "summary",
            "comment", "note", "year", "count", "name", "target", "targets", "title", "documents",
            "units"}


def ordinary_words() -> set[str]:
    campaign = json.loads((ROOT / "schema" / "campaign.schema.json").read_text(encoding="utf-8"))
    return ORDINARY | {k for _, k in _keys(campaign)}


def _keys(node: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], str]]:
    if isinstance(node, dict):
        for k, v in node.get("properties", {}).items():
            yield path, k
            yield from _keys(v, (*path, k))
        for k in ("items", "additionalProperties"):
            if isinstance(node.get(k), dict):
                yield from _keys(node[k], path)
        for k in ("anyOf", "oneOf", "allOf"):
            for sub in node.get(k, []) if isinstance(node.get(k), list) else []:
                yield from _keys(sub, path)
        for sub in node.get("$defs", {}).values():
            yield from _keys(sub, ("$defs",))


def plan_keys(schema: dict[str, Any]) -> set[str]:
    """Every property name of the plan: the schema's, less the envelope's own names."""
    envelope: set[str] = set(ENVELOPE)
    plan: set[str] = set()
    for path, key in _keys(schema):
        if path and path[0] in ENVELOPE or (not path and key in ENVELOPE):
            envelope.add(key)
        else:
            plan.add(key)
    return plan - envelope


_COMMENT = {
    ".py": re.compile(r"#[^\n]*"),
    ".js": re.compile(r"(?<![:'\"\\])//[^\n]*|/\*.*?\*/", re.S),
    ".j2": re.compile(r"\{#.*?#\}", re.S),
    ".html": re.compile(r"<!--.*?-->", re.S),
}
_STRING = re.compile(r"""(["'`])([A-Za-z_][\w.]*)\1""")
_ATTRIBUTE = re.compile(r"(?<![\w.])[A-Za-z_]\w*(?:\.\w+)*\.([A-Za-z_]\w*)\b(?!\s*\()")


def named(path: Path, keys: set[str], ordinary: set[str] = frozenset()) -> set[str]:  # type: ignore[assignment]
    """The plan's keys a source file names, as a quoted key or path, or by attribute access;
    an `ordinary` word only within a dotted path that holds another of the plan's keys."""
    src = path.read_text(encoding="utf-8")
    src = _COMMENT[path.suffix].sub("", src)
    if path.suffix == ".py":
        # Docstrings explain; they are not code.
        src = re.sub(r'"""(.*?)"""', '""', src, flags=re.S)
    found: set[str] = set()
    for m in _STRING.finditer(src):
        parts = set(m.group(2).split(".")) & keys
        if parts - ordinary:
            found |= parts
    for m in _ATTRIBUTE.finditer(src):
        if m.group(1) in keys - ordinary:
            found.add(m.group(1))
    return found


def test_no_code_names_a_key_of_the_plan() -> None:
    schema = json.loads((ROOT / "schema" / "report.schema.json").read_text(encoding="utf-8"))
    keys = plan_keys(schema)
    assert {"section_1", "appendix_2", "members"} <= keys and not {"unit", "status", "id"} & keys
    new: dict[str, set[str]] = {}
    gone: dict[str, set[str]] = {}
    for path in CODE:
        rel = path.relative_to(ROOT).as_posix()
        found = named(path, keys, ordinary_words())
        known = KNOWN.get(rel, set())
        if found - known:
            new[rel] = found - known
        if known - found:
            gone[rel] = known - found
    assert not new, f"the plan's keys named in code (read them from generator/outline.py): {new}"
    assert not gone, f"no longer named: strike them from KNOWN: {gone}"


def test_the_matcher_finds_keys_and_skips_words(tmp_path: Path) -> None:
    """Quoted keys, dotted paths and attributes are found; prose, comments and calls are not."""
    f = tmp_path / "x.py"
    f.write_text(
        'a = d["members"]\nb = get(d, "appendix_5.attraction")\nc = i.result\n'
        "n = s.count('x')  # members\n"
        '"""The members of the section_1."""\nmsg = "so members here"\n',
        encoding="utf-8",
    )
    keys = {"members", "appendix_5", "attraction", "result", "count", "section_1"}
    assert named(f, keys) == {"members", "appendix_5", "attraction", "result"}
    j = tmp_path / "x.j2"
    j.write_text('{{ c["province"] }} {{ labels["appendix_4." ~ g] }} {# own #} Số own', encoding="utf-8")
    assert named(j, {"province", "appendix_4", "own"}) == {"province", "appendix_4"}
    g = tmp_path / "y.py"
    g.write_text('c = campaign["units"]\nx = "appendix_2.standing_committee.count"\n', encoding="utf-8")
    assert named(g, {"units", "appendix_2", "standing_committee", "count"}, {"units", "count"}) == {
        "appendix_2", "standing_committee", "count"}
