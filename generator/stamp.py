"""Nothing changed, nothing rebuilt: what the last successful build read, and what it left.

After a successful build, build/site.stamp records three fingerprints:

- `sources`: everything the build reads, taken before anything is validated: the campaign file,
  every report's bytes, the plan's schema and rules, the campaign's Word template, the tool's own
  files (its code, templates, schema folder, the editor's files, mkdocs.yml), the names and
  versions of the installed packages, the Python version, the folders of the build, the
  environment variables that change what is built, the day the reports are checked on (a rule
  may compare a date with it) and the date each report last changed (`generator/history.py`:
  its last commit, or the build date while it is not committed).
- `mkdocs`: what `mkdocs build` reads (the MkDocs config of the build, docs/ by name, size and
  modification time, our code that runs inside MkDocs, the versions of MkDocs and its plugins, the
  environment variables above),
  taken after docs/ is written. Reports that changed without changing a page (a comment, a
  reordered key) leave docs/ as it was, and MkDocs is not run.
- `outputs`: the name, size and modification time of every file in docs/ and in the site, as
  the build left them; `site_files` the same of the site alone, and `shell` the part of `mkdocs`
  that is not docs/.

A build whose MkDocs shell is that of the stamp, with the site as that build left it and no file
of docs/ removed since, has MkDocs render only the pages whose Markdown changed (`--dirty`); any
other build renders every page into a clean site folder.

A build whose sources are those of the stamp, with docs/ and the site still as that build left
them, stops before validating anything (site.py). Reports are compared by their bytes, not by
their modification times, so a checkout that rewrote them unchanged is still unchanged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import stat
import sys
from pathlib import Path
from typing import Any

import yaml

from generator.resources import EDITOR_DIR, MKDOCS_BASE, PACKAGE, SCHEMA_DIR, TEMPLATE_DIR

NAME = "site.stamp"
# Environment variables that change what a build makes (benchmarks set the first two; the dates
# of sitemap.xml follow the last).
ENVIRONMENT = ("TONGKET_BUILD_AS_BEFORE_ISSUE_12", "TONGKET_BUILD_WITHOUT_DOCUMENTS", "SOURCE_DATE_EPOCH")


def _digest(path: Path) -> bytes:
    """The hash of a file's bytes; of what it is, when it is not a regular file."""
    try:
        st = path.lstat()
        if not stat.S_ISREG(st.st_mode):
            return f"mode {st.st_mode:o}".encode()
        return hashlib.sha256(path.read_bytes()).digest()
    except FileNotFoundError:
        return b"missing"


def _tool_files() -> list[Path]:
    """The tool's own files that a build reads: its code and its data folders."""
    files: set[Path] = set()
    for folder in (PACKAGE, SCHEMA_DIR, TEMPLATE_DIR, EDITOR_DIR / "src", EDITOR_DIR / "vendor",
                   EDITOR_DIR / "dist"):
        for root, dirs, names in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if d not in ("__pycache__", "node_modules"))
            files.update(Path(root) / n for n in names if not n.endswith((".pyc", ".pyo")))
    files.add(MKDOCS_BASE)
    return sorted(files)


def _packages() -> list[str]:
    """The installed distributions, by name and version (their metadata folders' names)."""
    found: set[str] = set()
    for entry in sys.path:
        try:
            with os.scandir(entry or ".") as it:
                found.update(e.name for e in it if e.name.endswith((".dist-info", ".egg-info")))
        except OSError:
            continue  # a zip file or a path hook, not a folder
    return sorted(found)


def _plan_files(campaign_path: Path, campaign_bytes: bytes) -> list[Path] | None:
    """The plan's files and the Word template the campaign names; None if it cannot be read."""
    from generator.plan import plan_paths

    try:
        data = yaml.load(campaign_bytes, Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        return None
    if not isinstance(data, dict):
        return None
    files = list(plan_paths(campaign_path, data).values())
    documents = data.get("documents")
    if isinstance(documents, dict) and documents.get("word_template"):
        files.append(campaign_path.parent / str(documents["word_template"]))
    return files


def sources(
    campaign_path: Path,
    reports: list[Path],
    folders: dict[str, Path],
    check_day: dt.date,
    changed: dict[Path, dt.date],
) -> str | None:
    """The fingerprint of everything a build reads (see the module's doc); None if unknown."""
    h = hashlib.sha256()

    def add(label: str, value: str | bytes) -> None:
        data = value.encode("utf-8") if isinstance(value, str) else value
        h.update(f"{label}\0{len(data)}\0".encode())
        h.update(data)

    try:
        campaign_bytes = campaign_path.read_bytes()
        plan_files = _plan_files(campaign_path, campaign_bytes)
        if plan_files is None:
            return None
        add("campaign", campaign_bytes)
        for name, folder in sorted(folders.items()):
            add(f"folder {name}", str(folder.resolve()))
        add("cwd", str(Path.cwd().resolve()))  # files are named relative to it
        for path in plan_files:
            add(f"plan {path.resolve()}", _digest(path))
        for path in reports:
            add(f"report {path.name}", _digest(path))
        for path in _tool_files():
            add(f"tool {path}", _digest(path))
    except OSError:
        return None  # an unreadable file: the build itself says which
    add("packages", "\n".join(_packages()))
    add("python", sys.version)
    for var in ENVIRONMENT:
        add(f"env {var}", os.environ.get(var, "\0unset"))
    add("day", check_day.isoformat())
    add("changed", "\n".join(f"{p}\0{d.isoformat()}" for p, d in sorted(changed.items())))
    return h.hexdigest()


def mkdocs_shell(config: Path) -> str:
    """A fingerprint of what `mkdocs build` reads besides docs/: the MkDocs config of the build
    (its nav, its site name), our code that runs inside MkDocs, the versions of MkDocs, its theme
    and Pagefind, and the environment variables above. While it stays the same, a page whose
    Markdown did not change would be rebuilt byte for byte as it is (site.py: --dirty)."""
    from importlib.metadata import version

    h = hashlib.sha256()
    code = sorted(PACKAGE.glob("*.py"))  # publish_hook, page_html and what they use
    for path in (config, MKDOCS_BASE, *code):
        h.update(f"{path}\0".encode())
        h.update(hashlib.sha256(path.read_bytes()).digest())
    for package in ("mkdocs", "mkdocs-material", "markdown", "pagefind-bin"):
        h.update(f"{package}=={version(package)}\n".encode())
    for var in ENVIRONMENT:  # SOURCE_DATE_EPOCH: MkDocs dates sitemap.xml with it
        h.update(f"{var}={os.environ.get(var, '')}\n".encode())
    return h.hexdigest()


def mkdocs_inputs(shell: str, docs_dir: Path) -> str:
    """A fingerprint of everything `mkdocs build` reads for this site (see the module's doc)."""
    return hashlib.sha256(f"{shell}\n{_listing(docs_dir)}".encode()).hexdigest()


def _listing(folder: Path) -> str:
    """Every file under `folder` by name, size and modification time, sorted."""
    lines: list[str] = []
    for root, dirs, names in os.walk(folder):
        dirs.sort()
        for name in names:
            path = os.path.join(root, name)
            st = os.stat(path)
            lines.append(f"{os.path.relpath(path, folder)}\0{st.st_size}\0{st.st_mtime_ns}")
    lines.sort()
    return "\n".join(lines)


def site_files(site_dir: Path) -> str:
    """A fingerprint of the site as it is now (every file's name, size and modification time)."""
    return hashlib.sha256(_listing(site_dir).encode()).hexdigest()


def outputs(docs_dir: Path, site_dir: Path) -> str:
    """A fingerprint of docs/ and the site as they are now; empty if the site has no home page."""
    if not (site_dir / "index.html").is_file():
        return ""
    h = hashlib.sha256()
    h.update(_listing(docs_dir).encode())
    h.update(b"\0site\0")
    h.update(_listing(site_dir).encode())
    return h.hexdigest()


def read(path: Path) -> dict[str, Any]:
    """The stamp of the last successful build, or {} if there is none that can be read."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return doc if isinstance(doc, dict) else {}


def write(path: Path, doc: dict[str, Any]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, path)
