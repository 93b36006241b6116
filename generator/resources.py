"""Where the tool's own files are: in the source tree, or in the installed package.

From a checkout (and its editable install, `make site`) the files are read where they are
written: schema/, site_templates/, editor/ and mkdocs.yml beside generator/. A wheel
(`pip install .`) carries the same files as package data under generator/_data/ (pyproject.toml
maps each folder there), so the installed tool validates and builds with no checkout at all.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
SOURCE_ROOT = PACKAGE.parent
# Only a wheel has generator/_data/; in a checkout (or a copy of its folders, as a pre-commit
# hook's) the files are beside the package.
IN_SOURCE = not (PACKAGE / "_data").is_dir()
DATA = SOURCE_ROOT if IN_SOURCE else PACKAGE / "_data"

SCHEMA_DIR = DATA / "schema"
TEMPLATE_DIR = DATA / "site_templates"
ASSETS = TEMPLATE_DIR / "assets"
EDITOR_DIR = DATA / "editor"
MKDOCS_BASE = DATA / "mkdocs.yml"


def work_root() -> Path:
    """Where the default campaign.yaml, submissions/ and .github/ are: the checkout, or, for an
    installed tool, the folder the command is run from."""
    return SOURCE_ROOT if IN_SOURCE else Path.cwd()
