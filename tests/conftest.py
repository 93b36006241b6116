"""Shared fixtures: the repository root, a `run_cli` that runs the CLI exactly as a user does, and
what is costly enough to make once per session: the samples' built site, the same samples with
hostile text built, and one headless Chromium."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from casefiles import cases_root

ROOT = Path(__file__).resolve().parent.parent
# tests/cases/ holds patches of a base report (tests/casefiles.py); the tests read the files they
# make, built once per session under CASES_ROOT/tests/cases/ (run the CLI from CASES_ROOT and it
# names them tests/cases/…, as the expected outputs do).
CASES_ROOT = cases_root()
CASES = CASES_ROOT / "tests" / "cases"
TEST_CAMPAIGN = CASES / "campaign.yaml"

RunCli = Callable[..., subprocess.CompletedProcess[str]]


def run(
    *args: str | Path, cwd: Path = ROOT, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `python -m generator ARGS` in `cwd` and return its exit code and output."""
    # A CI job's own step summary must not receive the tests' summaries.
    base = {k: v for k, v in os.environ.items() if k != "GITHUB_STEP_SUMMARY"}
    full_env = {**base, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "generator", *map(str, args)],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


@pytest.fixture
def root() -> Path:
    """The repository root."""
    return ROOT


@pytest.fixture
def run_cli() -> RunCli:
    """`run_cli("validate", path, ...)`: the CLI as a subprocess, from the repository root."""
    return run


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped samples built once for the session, as `make site` builds them; read only
    (test_site_build, test_page_html, test_honest_reports, test_reader_texts, test_site_pages,
    test_raw_html, test_history)."""
    from test_site_build import SAMPLES, build, copy_samples

    if not SAMPLES:
        pytest.skip("no sample submissions yet")
    tmp = copy_samples(tmp_path_factory.mktemp("samples"))
    r = build(tmp)
    assert r.returncode == 0, r.stdout + r.stderr
    return tmp


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The samples with one final report carrying hostile text in every kind of field
    (test_site_build.hostile_fixture), built once for the session: (folder, that unit's id).
    Read only (test_site_build, and test_browser's `served` for the browser tests); a test that
    must add a file to it removes it again."""
    from test_site_build import SAMPLES, build, hostile_fixture

    if not SAMPLES:
        pytest.skip("no sample submissions yet")
    tmp, uid = hostile_fixture(tmp_path_factory.mktemp("hostile"))
    r = build(tmp)
    assert r.returncode == 0, r.stdout + r.stderr
    return tmp, uid


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """One headless Debian Chromium for the session (test_browser's `browser`): every test opens
    pages in a browser context of its own (test_browser.Visit), so none sees another's state."""
    from test_browser import CHROMIUM, playwright_api

    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        try:
            yield b
        finally:
            b.close()
