"""MkDocs hook of every build: write the search index as compact UTF-8 JSON.

Material writes search/search_index.json with Python's default `ensure_ascii=True`, so each
Vietnamese letter outside ASCII ("ệ", "ư", "đ") becomes a six-byte `\\uXXXX` escape where UTF-8
needs two or three bytes. Every visitor who types in the search box downloads this file, so it is
rewritten after the build with the same content, as UTF-8. The browser's `Response.json()`, which
Material's search worker uses, always decodes UTF-8. This is part of publishing the site, not of
generating it: it runs in MkDocs because the file exists only once MkDocs has written it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mkdocs.plugins import event_priority

SEARCH_INDEX = Path("search") / "search_index.json"


def compact_json(path: Path) -> tuple[int, int]:
    """Rewrite a JSON file as compact UTF-8 with the same content; return (bytes before, after)."""
    before = path.read_bytes()
    after = json.dumps(json.loads(before), ensure_ascii=False, separators=(",", ":")).encode()
    if after != before:
        path.write_bytes(after)
    return len(before), len(after)


@event_priority(-100)  # after Material's search plugin (priority 0) has written the index
def on_post_build(config: Any, **kwargs: Any) -> None:
    index = Path(config["site_dir"]) / SEARCH_INDEX
    if index.is_file():
        compact_json(index)
