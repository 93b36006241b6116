"""The schemas are the one source of labels: every field a user can write has a Vietnamese title."""

from __future__ import annotations

import re

import pytest

from generator.schema import CAMPAIGN_SCHEMA, REPORT_SCHEMA, enum_options, load_schema, walk

# Titles that are plain ASCII are the abbreviations the source's tables use as column heads.
ASCII_ABBREVIATIONS = {"CC", "TC", "LLCT", "CN, CC"}
SNAKE = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)*$")


@pytest.mark.parametrize("name", [REPORT_SCHEMA, CAMPAIGN_SCHEMA])
def test_every_field_has_a_vietnamese_title(name: str) -> None:
    root = load_schema(name)
    untitled, english = [], []
    fields = list(walk(root))
    assert len(fields) > 10
    for path, node in fields:
        if not path:
            continue
        title = str(node.get("title", "")).strip()
        where = ".".join(map(str, path))
        if not title:
            untitled.append(where)
        elif title.isascii() and title not in ASCII_ABBREVIATIONS or SNAKE.match(title):
            english.append(f"{where}: {title}")
    assert untitled == [], "fields without a title"
    assert english == [], "titles that do not look Vietnamese"


@pytest.mark.parametrize("name", [REPORT_SCHEMA, CAMPAIGN_SCHEMA])
def test_every_choice_has_a_vietnamese_label(name: str) -> None:
    root = load_schema(name)
    for path, node in walk(root):
        for value, label in enum_options(node) or []:
            assert label != str(value) and not label.isascii(), (path, value)


def test_every_section_and_appendix_has_a_heading() -> None:
    root = load_schema(REPORT_SCHEMA)
    keys = list(root["properties"])
    sections = [k for k in keys if k.startswith(("section_", "appendix_"))]
    assert len([k for k in sections if k.startswith("appendix_")]) == 6
    for key in sections:
        assert root["properties"][key].get("x-heading"), key
