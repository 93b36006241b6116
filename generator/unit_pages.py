"""Each unit's page and text fragments, kept from the last build: an edit renders its own unit.

A unit's page (`don-vi/<id>.md`) and its fragments (its section texts and list items, which the
section pages and lists show again) are most of the render at any size: 1,000 units, about 4 s
of CPU, the same after an edit of one figure in one report as after a change to every report.
`python -m generator build` keeps both under build/pages/, under a hash of everything they are
made of:

- the unit as read (`aggregate.Unit`: its report's values, its problems, its roster entry, its
  status, its file's name and the day it last changed), pickled;
- what its page reads of the site, and nothing else: `render.UnitSite` lets the unit's template
  read only the fields named in `UnitSite.READS` (a template that reads another field fails the
  build, rather than show a stale page): the campaign, the plan's schema (labels, headings, the
  parts and their tables), the period, and the number of units (whether units are in the nav and
  their texts in the search index);
- the code that renders (render.py and the modules it imports) and the templates, and the
  versions of Jinja2 and MarkupSafe.

The entries are those of generator/verdicts.py (whole or ignored; unused ones removed at the end
of the build). tests/test_unit_pages.py renders a site from a warm cache and without one and
compares every file.
"""

from __future__ import annotations

import functools
import hashlib
import json
import pickle
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator import verdicts
from generator.outline import current
from generator.resources import PACKAGE, TEMPLATE_DIR

if TYPE_CHECKING:
    from generator.render import SiteView, UnitView

FOLDER = "pages"
KIND = "unit page"
LIBRARIES = ("Jinja2", "MarkupSafe")


@functools.cache
def code_version() -> str:
    """A hash of the code and templates that render a unit's page, and of their libraries."""
    from importlib.metadata import PackageNotFoundError, version

    h = hashlib.sha256(b"tongket unit pages 1\0")
    files = [(p, PACKAGE) for p in verdicts.code_files("render")]
    files += [(p, TEMPLATE_DIR) for p in sorted(TEMPLATE_DIR.rglob("*")) if p.is_file()]
    for path, root in files:
        h.update(f"{root.name}/{path.relative_to(root).as_posix()}\0".encode())
        h.update(hashlib.sha256(path.read_bytes()).digest())
    h.update(sys.version.encode())
    for lib in LIBRARIES:
        try:
            h.update(f"{lib}=={version(lib)}\0".encode())
        except PackageNotFoundError:
            h.update(f"{lib} missing\0".encode())
    return h.hexdigest()


def _site_key(view: SiteView) -> bytes:
    """What every unit's page reads besides its own unit (see the module's doc)."""
    h = hashlib.sha256(code_version().encode())
    for part in (view.campaign, current().schema):
        h.update(json.dumps(part, sort_keys=True, default=str, ensure_ascii=False).encode())
        h.update(b"\0")
    h.update(repr((view.period, view.units_in_nav, view.unit_texts_searched)).encode())
    return h.digest()


class Cache:
    """The build's unit pages and fragments kept from the last build (see the module's doc)."""

    def __init__(self, folder: Path, view: SiteView) -> None:
        self.entries = verdicts.Cache(folder)
        self.site = _site_key(view)

    def key(self, u: UnitView) -> str:
        return hashlib.sha256(self.site + pickle.dumps(u.unit, protocol=pickle.HIGHEST_PROTOCOL)).hexdigest()

    def get(self, key: str) -> tuple[dict[str, str], str] | None:
        """(fragments, page) of a unit, or None."""
        found: Any = self.entries.get(key, KIND)
        if (isinstance(found, tuple) and len(found) == 2 and isinstance(found[0], dict)
                and isinstance(found[1], str)):
            return found[0], found[1]
        return None

    def put(self, key: str, fragments: dict[str, str], page: str) -> None:
        self.entries.put(key, (fragments, page))

    def reused(self) -> tuple[int, int]:
        """How many units' pages came from the cache, of how many were asked for."""
        return self.entries.found.get(KIND, 0), self.entries.asked.get(KIND, 0)

    def prune(self) -> None:
        self.entries.prune()
