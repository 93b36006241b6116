"""What validation found last time, kept in the build folder: an edit costs the files it changes.

`python -m generator build` keeps, under build/verdicts/, each report's verdict (its values as
read and its problems) under a hash of everything that verdict depends on: the report's bytes and
name, the campaign file (the roster), the plan's schema and rules, the validator's messages and
the tool's data folder, the day the reports are checked on, the code that validates (the modules
`generator/validate.py` imports, found by reading their imports) and the versions of Python and of
the libraries it uses. A one-figure edit then validates one file again; the other verdicts are
read back. What depends on every report at once (one report per unit: the duplicate ids) is
never kept: check_all computes it over all the reports, cached or not.

The metaschema check of the plan's report schema (0.15-0.4 s) is kept too, under a hash of the
schema's text: a schema that passed it once is not checked again.

Entries are written whole (a temporary file, then renamed) and start with the hash of what
follows: a truncated or altered entry is ignored and the verdict computed again, never a
traceback. Entries not used by a build are removed at its end, so the folder does not grow.
`validate`, the check CI runs, uses no cache.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import re
import sys
from pathlib import Path
from typing import Any

from generator.resources import PACKAGE, SCHEMA_DIR

FOLDER = "verdicts"
SUFFIX = ".verdict"
# Bumped when what an entry holds changes shape.
FORMAT = b"tongket verdicts 1\0"
# The libraries whose behaviour is part of a verdict.
LIBRARIES = ("PyYAML", "jsonschema", "fastjsonschema")

_IMPORT = re.compile(
    r"^\s*(?:from\s+generator(?:\.(?P<module>[\w.]+))?\s+import\s+(?P<names>\([^)]*\)|[^\n]+)"
    r"|import\s+generator\.(?P<plain>[\w.]+))",
    re.MULTILINE,
)


def _module_file(name: str) -> Path | None:
    path = PACKAGE.joinpath(*name.split("."))
    for candidate in (path.with_suffix(".py"), path / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def code_files(start: str = "validate") -> list[Path]:
    """The package's modules `start` imports, directly or not (imports inside functions too)."""
    seen: dict[str, Path] = {}
    todo = [start]
    while todo:
        name = todo.pop()
        if name in seen or (path := _module_file(name)) is None:
            continue
        seen[name] = path
        for m in _IMPORT.finditer(path.read_text(encoding="utf-8")):
            if m.group("plain"):
                todo.append(m.group("plain"))
            elif m.group("module"):
                todo.append(m.group("module"))
            else:  # from generator import a, b as c
                names = m.group("names").strip("()").replace("\n", " ")
                todo += [part.split()[0] for part in names.split(",") if part.split()]
    return sorted(seen.values())


@functools.cache
def code_version() -> str:
    """A hash of what every verdict depends on besides its report, the campaign and the plan:
    the validating code, the tool's data folder, Python and the libraries."""
    from importlib.metadata import PackageNotFoundError, version

    h = hashlib.sha256(FORMAT)
    data = sorted(p for p in SCHEMA_DIR.rglob("*") if p.is_file())
    for path, root in [(p, PACKAGE) for p in code_files()] + [(p, SCHEMA_DIR) for p in data]:
        h.update(f"{root.name}/{path.relative_to(root).as_posix()}\0".encode())
        h.update(hashlib.sha256(path.read_bytes()).digest())
    h.update(sys.version.encode())
    for lib in LIBRARIES:
        try:
            h.update(f"{lib}=={version(lib)}\0".encode())
        except PackageNotFoundError:
            h.update(f"{lib} missing\0".encode())
    return h.hexdigest()


def key(*parts: str | bytes) -> str:
    """The name of an entry: a hash of `parts` and of the code version."""
    h = hashlib.sha256(code_version().encode())
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(f"{len(data)}\0".encode())
        h.update(data)
    return h.hexdigest()


class Cache:
    """A folder of entries, each a pickled value under its key; counts what it found."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.used: set[str] = set()
        self.asked: dict[str, int] = {}  # kind of entry → how many were looked up
        self.found: dict[str, int] = {}  # … and how many were found whole

    def _path(self, name: str) -> Path:
        return self.folder / f"{name}{SUFFIX}"

    def get(self, name: str, kind: str = "") -> Any | None:
        """The value under `name`, or None if there is none whole; counted under `kind`."""
        self.used.add(name)
        self.asked[kind] = self.asked.get(kind, 0) + 1
        try:
            blob = self._path(name).read_bytes()
        except OSError:
            return None
        digest, body = blob[:32], blob[32:]
        if len(blob) < 32 or hashlib.sha256(body).digest() != digest:
            return None
        try:
            value = pickle.loads(body)
        except Exception:  # written by another version of the code: computed again
            return None
        self.found[kind] = self.found.get(kind, 0) + 1
        return value

    def put(self, name: str, value: Any) -> None:
        """Keep `value` under `name`; a folder that cannot be written only costs the cache."""
        self.used.add(name)
        body = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        target = self._path(name)
        tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(hashlib.sha256(body).digest() + body)
            os.replace(tmp, target)  # whole or not at all, also for two builds at once
        except OSError:
            tmp.unlink(missing_ok=True)

    def prune(self) -> None:
        """Remove the entries this build did not use (reports changed or gone, another day)."""
        try:
            entries = list(self.folder.iterdir())
        except OSError:
            return
        for entry in entries:
            if entry.name.endswith(SUFFIX) and entry.name[: -len(SUFFIX)] not in self.used:
                entry.unlink(missing_ok=True)
