"""Every checker knows what it checks (issue 16): the editor's schema walker (editor/src/check.js)
and the CLI's fast path (fastjsonschema, generator/schema.py) refuse a schema with a keyword they
do not implement or would read otherwise than jsonschema's draft 2020-12; jsonschema, the CLI's
reference, then checks alone, and finds the error the fast path would have missed."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT

from generator.load import load_yaml
from generator.schema import REPORT_SCHEMA, SCHEMA_DIR, fast_check, unchecked_keywords

MEMBERS = ("section_1", "members")
# A keyword, put on the members figure, and a value it refuses that the rest of the schema allows.
EXTRA: list[tuple[str, Any]] = [
    ("not", {"const": 548}),
    ("multipleOf", 7),
    ("if", {"minimum": 0}),
    ("dependentRequired", {"x": ["y"]}),
    ("format", "email"),
]


def _schema_with(keyword: str, value: Any) -> dict[str, Any]:
    root = json.loads((SCHEMA_DIR / REPORT_SCHEMA).read_text(encoding="utf-8"))
    root = copy.deepcopy(root)
    node = root["properties"]["section_1"]
    node = root["$defs"][node["$ref"].rsplit("/", 1)[1]] if "$ref" in node else node
    node["properties"]["members"][keyword] = value
    return root


def test_our_schema_uses_only_checked_keywords() -> None:
    root = json.loads((SCHEMA_DIR / REPORT_SCHEMA).read_text(encoding="utf-8"))
    assert unchecked_keywords(root) == set()
    assert fast_check(REPORT_SCHEMA) is not None


@pytest.mark.parametrize("keyword,value", EXTRA + [("prefixItems", [{"type": "string"}]), ("items", [{"type": "string"}])])
def test_the_fast_path_declines_a_keyword_it_does_not_read(tmp_path: Path, keyword: str, value: Any) -> None:
    (tmp_path / REPORT_SCHEMA).write_text(json.dumps(_schema_with(keyword, value)), encoding="utf-8")
    assert fast_check(REPORT_SCHEMA, tmp_path) is None


def test_why_the_fast_path_must_decline_prefix_items(tmp_path: Path) -> None:
    """`prefixItems` (draft 2020-12): fastjsonschema (drafts 4-7) ignores it and says valid where
    jsonschema refuses; so fast_check declines such a schema and jsonschema checks every file."""
    import fastjsonschema
    import jsonschema

    root = json.loads((SCHEMA_DIR / REPORT_SCHEMA).read_text(encoding="utf-8"))
    root["properties"]["good_models"]["prefixItems"] = [False]
    data = load_yaml(ROOT / "tests" / "cases" / "valid" / "xa-mau.yaml", schema=REPORT_SCHEMA).data
    assert data["good_models"]
    fastjsonschema.compile(root)(data)  # no exception: the fast path alone would say "hợp lệ"
    assert not jsonschema.Draft202012Validator(root).is_valid(data)
    (tmp_path / REPORT_SCHEMA).write_text(json.dumps(root), encoding="utf-8")
    assert fast_check(REPORT_SCHEMA, tmp_path) is None


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
@pytest.mark.parametrize("keyword,value", EXTRA + [("prefixItems", [{"type": "string"}])])
def test_the_editor_refuses_a_schema_with_a_keyword_it_does_not_check(keyword: str, value: Any) -> None:
    script = """
      import fs from 'node:fs';
      import * as YAML from './editor/vendor/yaml/index.js';
      import { createValidator } from './editor/src/validate.js';
      const schema = JSON.parse(process.argv[1]);
      try {
        createValidator({ schema, rules: YAML.parse(fs.readFileSync('schema/rules.yaml', 'utf8')),
          messages: JSON.parse(fs.readFileSync('schema/messages.json', 'utf8')) });
        console.log('accepted');
      } catch (e) { console.log(e.message); }
    """
    r = subprocess.run(["node", "--input-type=module", "-e", script, json.dumps(_schema_with(keyword, value))],
                       cwd=ROOT, capture_output=True, text=True, check=True)
    assert r.stdout.startswith("mẫu báo cáo dùng từ khóa JSON Schema mà trình soạn chưa kiểm tra được"), r.stdout
    assert keyword in r.stdout
