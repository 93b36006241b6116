"""The pre-commit hook definition picks the right files and stops a commit with an invalid report."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def hook() -> dict[str, object]:
    [found] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert found["id"] == "tongket-validate"
    return found  # type: ignore[no-any-return]


def test_hook_selects_reports_and_campaign() -> None:
    pattern = re.compile(str(hook()["files"]))
    chosen = [p for p in ["submissions/xa-xuan-lap.yaml", "submissions/x.yml", "campaign.yaml",
                          "schema/rules.yaml", "submissions/sub/x.yaml", "generator/cli.py"] if pattern.search(p)]
    assert chosen == ["submissions/xa-xuan-lap.yaml", "submissions/x.yml", "campaign.yaml"]


def _run_hook(repo: Path, files: list[str]) -> subprocess.CompletedProcess[str]:
    """Run the hook as pre-commit would: its entry, then the file names, in the repository."""
    entry = shlex.split(str(hook()["entry"]))
    assert entry[0] == ".venv/bin/python"
    return subprocess.run([sys.executable, *entry[1:], *files], cwd=repo, capture_output=True, text=True, check=False)


def test_hook_passes_and_fails(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    for part in ("generator", "schema", "submissions"):
        shutil.copytree(ROOT / part, repo / part, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "campaign.yaml", repo / "campaign.yaml")
    ok = _run_hook(repo, ["submissions/xa-xuan-lap.yaml"])
    assert ok.returncode == 0, ok.stdout + ok.stderr
    report = repo / "submissions" / "xa-xuan-lap.yaml"
    report.write_text(report.read_text(encoding="utf-8").replace("unit:\n", "unit:\n  colour: red\n", 1),
                      encoding="utf-8")
    bad = _run_hook(repo, ["submissions/xa-xuan-lap.yaml"])
    assert bad.returncode == 1
    assert bad.stdout.startswith("submissions/xa-xuan-lap.yaml:4:3: lỗi:"), bad.stdout
