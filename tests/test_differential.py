"""Differential testing in `make test` (issue 16): at least 2,000 generated files per run, each
checked by the CLI and by the web editor's modules (both in batch), must get the same problems;
a difference fails with the smallest file that shows it. Every file the CLI accepts, exported
by the editor unchanged, reads back as equal data and is accepted (the round trip).

The seed changes every day (DIFFERENTIAL_SEED overrides it), so that each day's runs meet new
files while any failure can be replayed: `python tests/differential.py --files 2000 --seed N`.

A file refused for its YAML syntax gets the same words at the same line from both: when either
parser refuses a file, both sides say what one scan of its lines finds (generator/syntax.py,
editor/src/syntax.js). Any difference fails.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from differential import run, shrink

FILES = int(os.environ.get("DIFFERENTIAL_FILES", "2000"))
SEED = int(os.environ.get("DIFFERENTIAL_SEED", dt.date.today().strftime("%Y%m%d")))


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_the_cli_and_the_editor_agree_on_generated_files(tmp_path: Path) -> None:
    out = run(FILES, SEED, tmp_path, round_trips=300)  # the property, at a modest cost
    assert out.files >= 2000
    assert len(out.classes) == 8, out.classes  # every mutation class was exercised
    assert out.round_trips >= 50, out  # the property met real accepted files
    assert not out.round_trip_failures, out.round_trip_failures[0]
    if out.differing:
        smallest = shrink(out.differing[0][0], tmp_path / "shrink")
        pytest.fail(f"seed {SEED}: {len(out.differing)} files get different problems; the smallest:\n{smallest}")

