"""The editor's vendored `yaml` package (editor/vendor/yaml/) and its bundle (editor/dist/: the
modules of editor/src/ with `yaml`, minified by esbuild), both committed so that `make site` needs
only Python, are exactly what `npm run vendor` writes from the versions pinned in
editor/package-lock.json and the sources; `make test` runs `npm ci` in editor/ first."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT

EDITOR = ROOT / "editor"
NODE = shutil.which("node")


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.skipif(NODE is None or not (EDITOR / "node_modules" / "yaml").is_dir(),
                    reason="editor/node_modules missing: `make test` runs npm ci in editor/")
def test_vendored_yaml_matches_the_lockfile(tmp_path: Path) -> None:
    lock = json.loads((EDITOR / "package-lock.json").read_text(encoding="utf-8"))
    pinned = lock["packages"]["node_modules/yaml"]["version"]
    installed = json.loads((EDITOR / "node_modules" / "yaml" / "package.json").read_text(encoding="utf-8"))
    assert installed["version"] == pinned
    assert (EDITOR / "vendor" / "yaml" / "VERSION").read_text(encoding="utf-8") == f"yaml {pinned}\n"
    # Vendor again into a copy of editor/ and compare byte for byte.
    copy = tmp_path / "editor"
    shutil.copytree(EDITOR, copy, ignore=shutil.ignore_patterns("node_modules", "vendor"), symlinks=True)
    (copy / "node_modules").symlink_to(EDITOR / "node_modules")
    r = subprocess.run([NODE, "vendor.mjs"], cwd=copy, capture_output=True, text=True, timeout=120, check=False)
    assert r.returncode == 0, r.stderr
    assert _tree(copy / "vendor") == _tree(EDITOR / "vendor")


def test_the_site_loads_nothing_but_the_vendored_modules() -> None:
    """Every import in the editor's modules is relative: nothing comes from a CDN or node_modules."""
    for path in sorted((EDITOR / "src").glob("*.js")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith(("import ", "export ")) and " from " in line:
                target = line.rsplit(" from ", 1)[1].strip(" ;'\"")
                assert target.startswith(("./", "../vendor/")), (path.name, line)


@pytest.mark.skipif(NODE is None or not (EDITOR / "node_modules" / "esbuild").is_dir(),
                    reason="editor/node_modules missing: `make test` runs npm ci in editor/")
def test_the_bundle_matches_the_sources(tmp_path: Path) -> None:
    lock = json.loads((EDITOR / "package-lock.json").read_text(encoding="utf-8"))
    pinned = lock["packages"]["node_modules/esbuild"]["version"]
    installed = json.loads((EDITOR / "node_modules" / "esbuild" / "package.json").read_text(encoding="utf-8"))
    assert installed["version"] == pinned
    copy = tmp_path / "editor"
    shutil.copytree(EDITOR, copy, ignore=shutil.ignore_patterns("node_modules", "dist"), symlinks=True)
    (copy / "node_modules").symlink_to(EDITOR / "node_modules")
    r = subprocess.run([NODE, "bundle.mjs"], cwd=copy, capture_output=True, text=True, timeout=120, check=False)
    assert r.returncode == 0, r.stderr
    built, committed = _tree(copy / "dist"), _tree(EDITOR / "dist")
    assert built.keys() == committed.keys()
    stale = [name for name in built if built[name] != committed[name]]
    assert stale == [], (
        f"editor/dist/{', '.join(stale)} is not what editor/src/ and editor.css build: "
        "run `make editor-vendor` (or `cd editor && npm ci && npm run vendor`) and commit editor/dist/")
