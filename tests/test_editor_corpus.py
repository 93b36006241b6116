"""One corpus, two evaluators: every sample and every case of tests/cases/ checked by the web
editor's own ES modules (run by Node, editor/cli.mjs) and by `python -m generator validate
--format json`; both must find the same problems (file, path, field, severity, message, code).

The cases are built as files from their patches (tests/casefiles.py) and both evaluators run from
the folder they are built in, so both name them `tests/cases/…`.

The campaign file's own problems (cases `campaign-*`) are the build's to report, not the
editor's: the editor checks the report, so only problems in report files are compared.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from casefiles import cli, runs
from conftest import CASES_ROOT, ROOT, run

from generator.validate import latest_today

NODE = shutil.which("node")
EDITOR = ROOT / "editor"

# The editor reads YAML with the `yaml` npm package, libyaml's errors are not its errors: it says
# in load.py's words (schema/messages.json) the syntax errors it recognises (a Tab, a quote or a
# bracket left open, a paragraph under `|` not indented, a second ": " in a value, a line
# indented differently), at the place libyaml reports. A case it cannot yet match goes here with
# the reason; the editor still refuses such a file (checked below), and a case that comes to
# match must leave this list (checked too).
LOADER_ONLY: dict[str, str] = {}

# A file's name is the CLI's to judge (a space, a symlink, `.YAML`): the editor names the file it
# writes from the unit id, so it never meets these; the CLI does not read such files at all.
NAMES = {"name-backslash", "name-directory", "name-space", "name-symlink", "name-trailing-space",
         "name-uppercase-extension"}


def _runs() -> list[tuple[str, list[Path], Path]]:
    out = [(f"submissions/{p.name}", [p], ROOT / "campaign.yaml")
           for p in sorted((ROOT / "submissions").glob("*.yaml"))]
    return out + [(r.id, list(r.files), r.campaign) for r in runs()]


RUNS = _runs()


def _key(p: dict[str, Any]) -> tuple[Any, ...]:
    return (p["file"], p["line"], p["column"], p["severity"], tuple(p["path"]), p["field"], p["message"], p["code"])


def _rel(p: Path) -> str:
    """A case as `tests/cases/…` (both run from CASES_ROOT), a sample of submissions/ by its full path."""
    return p.relative_to(CASES_ROOT).as_posix() if p.is_relative_to(CASES_ROOT) else str(p)


@pytest.fixture(scope="module")
def editor_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict[str, Any]]]:
    if NODE is None:
        pytest.skip("node is not installed")
    batch = tmp_path_factory.mktemp("corpus") / "runs.json"
    readable = [(name, [] if name.split("/", 1)[1] in NAMES else files, campaign)
                for name, files, campaign in RUNS]
    batch.write_text(json.dumps([{"campaign": _rel(c), "files": [_rel(f) for f in fs]}
                                 for _, fs, c in readable]), encoding="utf-8")
    r = subprocess.run([NODE, str(EDITOR / "cli.mjs"), "--batch", str(batch), "--today", latest_today().isoformat()],
                       cwd=CASES_ROOT, capture_output=True, text=True, encoding="utf-8", timeout=600, check=False)
    assert r.returncode == 0, r.stderr
    return {name: res["problems"] for (name, _, _), res in zip(readable, json.loads(r.stdout))}


def _cli(files: list[Path], campaign: Path) -> list[dict[str, Any]]:
    # The CLI's own `main`, in this process (tests/test_validate_cases.py runs each case as a
    # subprocess, exactly as a user does; here a hundred subprocesses would only add a minute).
    out = cli(["validate", "--format", "json", "--campaign", _rel(campaign), *map(_rel, files)], CASES_ROOT)
    return [p for p in json.loads(out)["problems"] if p["file"] != _rel(campaign)]


def test_the_cli_in_process_prints_what_the_cli_prints() -> None:
    """`_cli` reads the CLI's output in this process: it is the output of the command itself."""
    _, files, campaign = next(r for r in RUNS if r[0] == "invalid/two-files-one-unit")
    args = ["validate", "--format", "json", "--campaign", _rel(campaign), *map(_rel, files)]
    r = run(*args, cwd=CASES_ROOT)
    assert (r.returncode, r.stderr) == (1, "")
    assert cli(args, CASES_ROOT) == r.stdout


@pytest.mark.parametrize("name,files,campaign", RUNS, ids=[r[0] for r in RUNS])
def test_editor_finds_what_the_cli_finds(editor_results: dict[str, list[dict[str, Any]]], name: str,
                                         files: list[Path], campaign: Path) -> None:
    cli = sorted(map(_key, _cli(files, campaign)))
    js = sorted(map(_key, editor_results[name]))
    case = name.split("/", 1)[1]
    if case in NAMES:
        pytest.skip("file names are not the editor's to judge (see NAMES)")
    if case in LOADER_ONLY:
        assert js != cli, f"{case} now matches: remove it from LOADER_ONLY"
        cli_errors = any(k[1] == "error" for k in cli)
        assert cli_errors == any(k[1] == "error" for k in js), (cli, js)
        return
    assert js == cli
