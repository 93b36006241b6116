"""The JSON Schemas: loading them, and reading titles (the labels users see) from them."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import functools
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import fastjsonschema
import jsonschema

from generator.resources import SCHEMA_DIR as SCHEMA_DIR  # the checkout's, or the wheel's

REPORT_SCHEMA = "report.schema.json"
CAMPAIGN_SCHEMA = "campaign.schema.json"
LABEL_SEP = " › "

Schema = dict[str, Any]
# A schema is named by a file name in the tool's schema/ folder (CAMPAIGN_SCHEMA, REPORT_SCHEMA)
# or by the path of a plan's own report schema (generator.plan.Plan.report_schema).
SchemaRef = str | Path


@functools.cache
def load_schema(name: SchemaRef, schema_dir: Path = SCHEMA_DIR) -> Schema:
    """Return the parsed schema file `name` from `schema_dir` (an absolute path is read as it is)."""
    with open(schema_dir / name, encoding="utf-8") as f:
        schema: Schema = json.load(f)
    return schema


@functools.cache
def validator(name: SchemaRef, schema_dir: Path = SCHEMA_DIR) -> jsonschema.protocols.Validator:
    """Return a draft 2020-12 validator for schema `name`, checking `format` too.

    Each schema stands alone (its `$ref`s point inside it): the campaign schema is the tool's and
    does not borrow from a plan's report schema, which may be any file campaign.yaml names."""
    cls = jsonschema.Draft202012Validator
    return cls(load_schema(name, schema_dir), format_checker=cls.FORMAT_CHECKER)


def _is_date(value: str) -> bool:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


# Keywords every checker here reads as jsonschema's draft 2020-12 does, for the schemas we write:
# the fast path (fastjsonschema, which knows drafts 4 to 7) and the editor's walker
# (editor/src/check.js, KEYWORDS) check these; annotations are read by nobody. A schema with any
# other keyword (`not`, `prefixItems`, `if`, `unevaluatedProperties`…) goes to jsonschema alone.
CHECKED_KEYWORDS = frozenset({
    "$ref", "type", "properties", "additionalProperties", "required", "items", "anyOf", "oneOf", "const",
    "enum", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength",
    "minItems", "maxItems", "pattern", "format",
})
ANNOTATIONS = frozenset({"$schema", "$id", "$comment", "$defs", "title", "description", "default", "examples",
                         "deprecated", "readOnly", "writeOnly"})
CHECKED_FORMATS = frozenset({"date"})


def unchecked_keywords(node: Any) -> set[str]:
    """The keywords of schema `node` (and its subschemas) outside CHECKED_KEYWORDS and ANNOTATIONS,
    and `format`s other than date, which a checker of ours would skip or read otherwise."""
    out: set[str] = set()
    if not isinstance(node, dict):
        return out
    for k, v in node.items():
        if k.startswith("x-") or k in ANNOTATIONS - {"$defs"}:
            continue
        if k not in CHECKED_KEYWORDS and k != "$defs":
            out.add(k)
        elif k == "format" and v not in CHECKED_FORMATS:
            out.add(f"format: {v}")
        elif k in ("properties", "$defs") and isinstance(v, dict):
            for sub in v.values():
                out |= unchecked_keywords(sub)
        elif k in ("items", "additionalProperties"):
            if isinstance(v, list):
                out.add(f"{k} (list)")  # draft 4-7's tuple form: 2020-12's prefixItems, read otherwise
            else:
                out |= unchecked_keywords(v)
        elif k in ("anyOf", "oneOf") and isinstance(v, list):
            for sub in v:
                out |= unchecked_keywords(sub)
    return out


@functools.cache
def fast_check(name: SchemaRef, schema_dir: Path = SCHEMA_DIR) -> Callable[[Any], Any] | None:
    """Return a compiled yes/no check of schema `name`: raises fastjsonschema.JsonSchemaException.

    fastjsonschema compiles the schema to Python code and answers "valid?" several times faster
    than jsonschema; valid files (nearly all of them) then skip jsonschema, which still finds
    and locates every problem in the others. The `date` format is the same strict check. None
    for a schema with a keyword the fast path does not read as draft 2020-12 does.
    """
    root = load_schema(name, schema_dir)
    if unchecked_keywords(root):
        return None  # fastjsonschema would skip or misread one: jsonschema checks every file

    # Inline every $ref: fastjsonschema calls a function per $ref and, inside lists, formats
    # an error name for each call even when nothing is wrong, which costs more than the check.
    def inline(node: Any) -> Any:
        if isinstance(node, dict):
            node = resolve(node, root)
            return {k: inline(v) for k, v in node.items() if k != "$defs"}
        if isinstance(node, list):
            return [inline(v) for v in node]
        return node

    compiled: Callable[[Any], Any] = fastjsonschema.compile(inline(copy.deepcopy(root)), formats={"date": _is_date})
    return compiled


def resolve(node: Schema, root: Schema) -> Schema:
    """Follow `$ref`s in `node`; sibling keywords (title, description) win over the target's."""
    while "$ref" in node:
        ref: str = node["$ref"]
        doc_name, _, pointer = ref.partition("#")
        target_root = load_schema(doc_name) if doc_name else root
        target: Any = target_root
        for part in pointer.strip("/").split("/") if pointer.strip("/") else []:
            target = target[part]
        merged = dict(target)
        merged.update({k: v for k, v in node.items() if k != "$ref"})
        node, root = merged, target_root
    return node


def choice_texts(node: Schema, root: Schema) -> list[tuple[str, str]]:
    """Return (text, label) of the `const` choices of a resolved node (a oneOf of consts)."""
    options = node.get("oneOf")
    if isinstance(options, list) and all(isinstance(o, dict) and "const" in o for o in options):
        return [(str(o["const"]), str(o.get("title", o["const"]))) for o in options]
    return []


def view(node: Schema, root: Schema) -> Schema:
    """Return `node` resolved, with an `anyOf` of a value and "no data" choices read as the value.

    A figure that a unit may honestly not have is `anyOf: [count, no_data]`: for labels, layout
    and aggregation it is the count; the choices it also accepts ("không có số liệu", "không áp
    dụng", …) are listed under `x-no-data` as (text, label) pairs.
    """
    node = resolve(node, root)
    alternatives = node.get("anyOf")
    if not isinstance(alternatives, list):
        return node
    main: Schema = {}
    no_data: list[tuple[str, str]] = []
    for alt in alternatives:
        alt = resolve(alt, root) if isinstance(alt, dict) else {}
        texts = choice_texts(alt, root)
        if texts:
            no_data += texts
        elif not main:
            main = alt
    merged = dict(main)
    merged.update({k: v for k, v in node.items() if k != "anyOf"})
    merged["x-no-data"] = no_data
    return merged


def no_data_texts(node: Schema) -> dict[str, str]:
    """The "no data" choices a (viewed) node accepts, text → label."""
    return dict(node.get("x-no-data", ()))


def child(node: Schema, key: str | int, root: Schema) -> Schema | None:
    """Return the viewed subschema for `key` inside `node`, or None if the schema has none."""
    node = view(node, root)
    if isinstance(key, int):
        items = node.get("items")
        return view(items, root) if isinstance(items, dict) else None
    props = node.get("properties", {})
    return view(props[key], root) if key in props else None


def subschema(path: tuple[str | int, ...], root: Schema) -> Schema | None:
    """Return the resolved subschema at an instance path, or None if the path leaves the schema."""
    node: Schema | None = view(root, root)
    for key in path:
        if node is None:
            return None
        node = child(node, key, root)
    return node


def label_path(path: tuple[str | int, ...], root: Schema) -> str:
    """Return the Vietnamese labels along an instance path: "Phụ lục 2 › Ban Thường vụ › Số lượng".

    Rows of a list are named by their 1-based number ("dòng 3"); keys the schema does not know
    are shown as written, so a misspelt key is still recognisable.
    """
    labels: list[str] = []
    node: Schema | None = view(root, root)
    for key in path:
        nxt = child(node, key, root) if node is not None else None
        if isinstance(key, int):
            labels.append(f"dòng {key + 1}")
        elif nxt is not None and "title" in nxt:
            labels.append(str(nxt["title"]))
        else:
            labels.append(str(key))
        node = nxt
    return LABEL_SEP.join(labels)


def enum_options(node: Schema) -> list[tuple[Any, str]] | None:
    """Return (value, label) pairs when `node` is a `oneOf` of `const`s, as unit kinds are."""
    options = node.get("oneOf")
    if isinstance(options, list) and all(isinstance(o, dict) and "const" in o for o in options):
        return [(o["const"], str(o.get("title", o["const"]))) for o in options]
    if isinstance(node.get("enum"), list):
        return [(v, str(v)) for v in node["enum"]]
    return None


def walk(root: Schema) -> Iterator[tuple[tuple[str | int, ...], Schema]]:
    """Yield (path, resolved subschema) for every property in schema order; list items get index 0."""

    def go(path: tuple[str | int, ...], node: Schema) -> Iterator[tuple[tuple[str | int, ...], Schema]]:
        yield path, node
        for key in node.get("properties", {}):
            sub = child(node, key, root)
            if sub is not None:
                yield from go(path + (key,), sub)
        if isinstance(node.get("items"), dict):
            sub = child(node, 0, root)
            if sub is not None:
                yield from go(path + (0,), sub)

    yield from go((), view(root, root))


def is_multiline(node: Schema) -> bool:
    """Tell whether a string field holds narrative text (paragraphs, lists)."""
    return bool(node.get("x-multiline"))


def types_of(node: Schema) -> list[str]:
    """Return the JSON types a subschema allows, as a list."""
    t = node.get("type", [])
    return [t] if isinstance(t, str) else list(t)


@dataclasses.dataclass
class Shape:
    """What the schema allows at one place of a document, precomputed for the loader.

    The loader reads every plain scalar as text and asks the shape of its place what it may be:
    `consts` are the exact texts a choice allows ("không có số liệu"), `types` the JSON types
    (`string` only for free text, not for a choice), `props` and `items` the shapes inside.
    `$ref`, `anyOf`, `oneOf`, `allOf` and type lists are merged into one shape.
    """

    types: set[str] = dataclasses.field(default_factory=set)
    consts: set[str] = dataclasses.field(default_factory=set)
    props: dict[str, Shape] = dataclasses.field(default_factory=dict)
    items: Shape | None = None
    patterned: bool = False  # the text has a fixed form (a date, an id): a wrong one is refused anyway

    @property
    def free_text(self) -> bool:
        return "string" in self.types


def _merge_into(shape: Shape, node: Any, root: Schema, depth: int) -> None:
    if not isinstance(node, dict) or depth > 64:
        if node is True:
            shape.types.add("string")
        return
    node = resolve(node, root)
    alternatives = [alt for key in ("anyOf", "oneOf", "allOf") for alt in node.get(key, [])]
    for alt in alternatives:
        _merge_into(shape, alt, root, depth + 1)
    choice = "const" in node or "enum" in node
    if "const" in node and isinstance(node["const"], str):
        shape.consts.add(node["const"])
    for value in node.get("enum", []) if isinstance(node.get("enum"), list) else []:
        if isinstance(value, str):
            shape.consts.add(value)
    types = types_of(node)
    if not types and not alternatives and not choice and not any(k in node for k in ("properties", "items")):
        types = ["string"]  # anything goes: a plain scalar stays the text it is
    for t in types:
        if t == "string" and choice:
            continue  # a choice of texts is its consts, not free text
        if t == "string" and ("pattern" in node or "format" in node):
            shape.patterned = True
        shape.types.add(t)
    if "properties" in node or "object" in types:
        shape.types.add("object")
    for key, sub in node.get("properties", {}).items():
        _merge_into(shape.props.setdefault(key, Shape()), sub, root, depth + 1)
    if isinstance(node.get("items"), dict):
        if shape.items is None:
            shape.items = Shape()
        _merge_into(shape.items, node["items"], root, depth + 1)


def shape_of(root: Schema) -> Shape:
    """Return the loader's view of the schema document `root` (see Shape)."""
    out = Shape()
    _merge_into(out, root, root, 0)
    return out


@functools.cache
def shape(name: SchemaRef, schema_dir: Path = SCHEMA_DIR) -> Shape:
    """Return the loader's precomputed view of schema `name`, computed once per process."""
    return shape_of(load_schema(name, schema_dir))
