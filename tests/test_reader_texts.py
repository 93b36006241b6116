"""What a reader reads: no text says "null", and the pages' headings never skip a level.

One vocabulary for "no data": no text a unit secretary reads says "null".
"null" means nothing to a secretary. What a unit has no figure for is written in words the schema
offers (“không có số liệu”, “không áp dụng”, “không giao chỉ tiêu”); an empty field is “not filled
in yet”. Every user-facing text is checked: the schemas' titles and descriptions, the message
texts the CLI and the editor share, the rules' messages, a starter file and the built site's pages
(the editor's page included)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import TEST_CAMPAIGN

from generator.schema import SCHEMA_DIR
from generator.starter import write_starter

NULL = re.compile(r"\bnull\b", re.IGNORECASE)
USER_KEYS = {"title", "description", "x-heading", "x-parents", "x-no-data", "x-column-group",
             "x-how", "x-empty", "x-nav", "x-download",
             "message", "messages", "type_names", "syntax_hints"}


def _texts(node: Any, user: bool = False) -> list[str]:
    """The strings under the user-facing keys of a JSON/YAML document."""
    if isinstance(node, dict):
        out: list[str] = []
        for k, v in node.items():
            if k == "$comment":
                continue
            out += _texts(v, user or k in USER_KEYS)
        return out
    if isinstance(node, list):
        return [t for v in node for t in _texts(v, user)]
    return [node] if user and isinstance(node, str) else []


@pytest.mark.parametrize("name", ["report.schema.json", "campaign.schema.json", "messages.json",
                                  "rules.yaml"])
def test_schema_and_messages_never_say_null(name: str) -> None:
    raw = (SCHEMA_DIR / name).read_text(encoding="utf-8")
    doc = yaml.safe_load(raw) if name.endswith(".yaml") else json.loads(raw)
    texts = _texts(doc)
    assert len(texts) > 5, name  # the walk found the texts
    assert [t for t in texts if NULL.search(t)] == []


def test_the_check_finds_null() -> None:
    assert _texts({"properties": {"x": {"description": "null nếu không có"}}}) == ["null nếu không có"]
    assert NULL.search("null nếu không có") and not NULL.search("nullable_id")


def test_a_starter_never_says_null(tmp_path: Path) -> None:
    out = tmp_path / "xa-mau.yaml"
    write_starter(TEST_CAMPAIGN, "xa-mau", out)
    text = out.read_text(encoding="utf-8")
    assert "không áp dụng" in text  # the words it says instead
    assert [line for line in text.splitlines() if NULL.search(line)] == []


@pytest.fixture(scope="module")
def site(sample_site: Path) -> Path:
    """The samples' build, once per session (conftest.py), read only here."""
    return sample_site


def test_the_built_pages_never_say_null(site: Path) -> None:
    tmp = site
    pages = sorted((tmp / "site").rglob("*.html"))
    assert len(pages) > 20
    found = []
    for page in pages:
        html = page.read_text(encoding="utf-8")
        # What a reader sees: the text outside scripts, styles and tags, and the attributes a
        # screen shows (placeholders, titles, labels).
        visible = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.DOTALL | re.IGNORECASE)
        shown = re.findall(r'\b(?:placeholder|title|aria-label|alt)="([^"]*)"', visible)
        visible = re.sub(r"<[^>]+>", " ", visible)
        found += [f"{page.relative_to(tmp)}: {m}" for m in
                  re.findall(r".{0,40}\bnull\b.{0,40}", " ".join([visible, *shown]), re.IGNORECASE)]
    assert found == []


HEADING = re.compile(r'<h([1-6])\b[^>]*>|<[^>]*\brole="heading"[^>]*\baria-level="(\d+)"', re.IGNORECASE)


def _skips(html: str) -> list[str]:
    """Where a heading of the page's content goes more than one level deeper than the one
    before it (h2 then h4)."""
    m = re.search(r"<article\b.*?</article>", html, re.DOTALL)
    out, prev = [], 0
    for h in HEADING.finditer(m.group(0) if m else ""):
        level = int(h.group(1) or h.group(2))
        if prev and level > prev + 1:
            out.append(f"h{prev} → h{level} at {h.group(0)[:60]}")
        prev = level
    return out


def test_headings_never_skip_a_level(site: Path) -> None:
    pages = sorted((site / "site").rglob("*.html"))
    found = {str(p.relative_to(site)): _skips(p.read_text(encoding="utf-8")) for p in pages}
    assert {k: v for k, v in found.items() if v} == {}
    # The movements under "Các phong trào thi đua" (an h6) are level 7 headings, said in ARIA.
    unit = (site / "site" / "don-vi" / "thpt-le-loi.html").read_text(encoding="utf-8")
    assert 'class="item-title" role="heading" aria-level="7"' in unit
    assert _skips("<article><h2>a</h2><h4>b</h4></article>")  # the check finds a skip
