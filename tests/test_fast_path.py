"""The fast yes/no check (fastjsonschema) and jsonschema must agree on every file.

Valid files skip jsonschema (generator/validate.py), so a file fastjsonschema wrongly accepted
would lose its errors. These tests hold the two to the same verdict on every test case and on
many mutated copies of the samples.
"""

from __future__ import annotations

import copy
import random
from pathlib import Path
from typing import Any

import fastjsonschema
import pytest
from conftest import CASES

from generator.load import LoadError, load_yaml
from generator.schema import REPORT_SCHEMA, fast_check, validator

ROOT = Path(__file__).resolve().parent.parent
# Report files only: campaign files have no fast path.
CASE_FILES = sorted(p for p in CASES.rglob("*.y*ml") if p.name != "campaign.yaml")
SAMPLES = sorted((ROOT / "submissions").glob("*.yaml"))


def verdicts(data: Any) -> tuple[bool, bool]:
    try:
        fast_check(REPORT_SCHEMA)(data)
        fast = True
    except fastjsonschema.JsonSchemaException:
        fast = False
    return fast, validator(REPORT_SCHEMA).is_valid(data)


@pytest.mark.parametrize("path", CASE_FILES, ids=[str(p.relative_to(CASES)) for p in CASE_FILES])
def test_case_files_get_the_same_verdict(path: Path) -> None:
    try:
        data = load_yaml(path, schema=REPORT_SCHEMA).data
    except LoadError:
        return  # not YAML we can read: neither checker sees it
    fast, full = verdicts(data)
    assert fast == full


def _leaves(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(node, dict):
        return [p for k, v in node.items() for p in _leaves(v, path + (k,))] + [path]
    if isinstance(node, list):
        return [p for i, v in enumerate(node) for p in _leaves(v, path + (i,))] + [path]
    return [path]


# Values a hand-written file can plausibly hold in the wrong place.
ODD_VALUES: list[Any] = [
    None, True, False, 0, -1, 1.5, 101, 1e12, "", "abc", "2021-02-30", "2021-01-15",
    [], {}, [1], {"x": 1}, "no", 100, 0.0, "x" * 600,
]


def test_mutated_samples_get_the_same_verdict() -> None:
    rng = random.Random(20210120)
    samples = [load_yaml(p, schema=REPORT_SCHEMA).data for p in SAMPLES]
    assert samples, "no samples in submissions/"
    disagreements = []
    for _ in range(3000):
        data = copy.deepcopy(rng.choice(samples))
        path = rng.choice(_leaves(data))
        if not path:
            continue
        parent = data
        for key in path[:-1]:
            parent = parent[key]
        action = rng.random()
        if action < 0.1 and isinstance(parent, dict):
            del parent[path[-1]]
        elif action < 0.2 and isinstance(parent, dict):
            parent[str(path[-1]) + "_x"] = 1
        else:
            parent[path[-1]] = rng.choice(ODD_VALUES)
        fast, full = verdicts(data)
        if fast != full:
            disagreements.append((path, parent.get(path[-1]) if isinstance(parent, dict) else None, fast, full))
    assert disagreements == []
