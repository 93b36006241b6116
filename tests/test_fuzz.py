"""Hand-written files go wrong in every way: no mangled file may crash the validator.

Each run mutates the samples a few hundred times (inserted YAML syntax, deleted runs, random
bytes) with a fixed seed, and checks that every outcome is a list of located, one-line problems.
"""

from __future__ import annotations

import random
from pathlib import Path

import yaml

from generator.validate import check_report

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "submissions").glob("*.yaml"))
# Fragments that make YAML mean something else, or nothing at all.
TOKENS = [
    b"&a ", b"*a", b"!!binary ", b"<<: ", b"- ", b": ", b"\t", b"\n", b"'", b'"', b"[", b"{",
    b"}", b"]", b"#", b"|", b">", b"---\n", b"...", b"? ", b"%YAML 1.1\n", b"\xff", b"\x00",
    b"null", b"~", b"1e400", b"0x1F", b"0o17", b"1_000", b"2021-13-45", b".inf", b".nan",
    b"!!python/object:os.system", b"\xc3", b"yes", b"12:30:00", b'""',
]


def test_mangled_files_give_problems_not_tracebacks(tmp_path: Path) -> None:
    campaign = yaml.safe_load((ROOT / "campaign.yaml").read_text(encoding="utf-8"))
    originals = [p.read_bytes() for p in SAMPLES]
    assert originals
    rng = random.Random(20210120)
    target = tmp_path / "xa-xuan-lap.yaml"
    for _ in range(400):
        data = bytearray(rng.choice(originals))
        for _ in range(rng.randint(1, 4)):
            pos = rng.randrange(len(data))
            r = rng.random()
            if r < 0.4:
                data[pos:pos] = rng.choice(TOKENS)
            elif r < 0.7:
                del data[pos : pos + rng.randint(1, 40)]
            else:
                data[pos] = rng.randrange(256)
        target.write_bytes(bytes(data))
        report = check_report(target, campaign, "2026-11-26", "xa-xuan-lap.yaml")
        for p in report.problems:
            assert p.message and "\n" not in p.message, p
            assert p.line >= 1 and p.column >= 1, p
            assert p.severity in ("error", "warning"), p
