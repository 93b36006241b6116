"""Hand-written files go wrong in every way: no mangled file may crash the validator.

Each run mutates the samples a few hundred times (inserted YAML syntax, deleted runs, random
bytes, figures written as people write them: 010, 1.650, 78,5%, .nan…) with a fixed seed, and checks
that every outcome is a list of located, one-line problems, that no NaN or infinity gets in, and
that every "hãy viết X" advice, written in place of the value, is accepted on the next run.
"""

from __future__ import annotations

import math
import random
import re
from pathlib import Path
from typing import Any

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
    # Numbers as people type them, and what YAML 1.1 made of them (issue 8).
    b"010", b"08", b"0x10", b"1:30", b"1.000", b"1.650", b"1,650", b"1,200", b"78,5%", b"1.650,5",
    b"1 650", b"-0", b"NaN", b"1e3", b"on", b"off", b"~", b" #1", b"&neo ", b"\xe2\x80\xae",
    b"\xe2\x80\x8b", b"\x07", b"\xc2\x85", b"   ",
]
NUMBERS = [b"010", b"08", b"00", b"0x10", b"0o17", b"1:30", b"1.000", b"1.650", b"1,650", b"1,200",
           b"1.200.000", b"78,5%", b"12%", b"1.650,5", b"1,650.5", b"1 650", b"-0", b".nan", b"NaN",
           b".inf", b"1e3", b"1_000", b"+5", b"yes", b"05,5", b"0264,013", b"1.655", b"0,004", b"78,5",
           b"9.850", b"1,0", b"abc", b"", b"~", b'"16"']


def _numbers(value: object) -> list[float]:
    if isinstance(value, dict):
        return [n for v in value.values() for n in _numbers(v)]
    if isinstance(value, list):
        return [n for v in value for n in _numbers(v)]
    return [value] if isinstance(value, float) else []


def test_mangled_files_give_problems_not_tracebacks(tmp_path: Path) -> None:
    campaign = yaml.safe_load((ROOT / "campaign.yaml").read_text(encoding="utf-8"))
    originals = [p.read_bytes() for p in SAMPLES]
    assert originals
    rng = random.Random(20210120)
    advised: list[str] = []
    target = tmp_path / "xa-xuan-lap.yaml"
    for _ in range(400):
        data = bytearray(rng.choice(originals))
        if rng.random() < 0.5:
            # A figure written another way: the value rules, not YAML 1.1, must decide.
            figures = [m for m in re.finditer(rb"(?<=: )[0-9]+(?:\.[0-9]+)?(?=\n|,|})", data)]
            m = rng.choice(figures)
            data[m.start():m.end()] = rng.choice(NUMBERS)
            if rng.random() < 0.5:  # only this change: its advice alone must be accepted
                target.write_bytes(bytes(data))
                _check(target, campaign, tmp_path, advised)
                continue
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
        _check(target, campaign, tmp_path, advised)
    assert len(advised) >= 30, advised  # the new number rules were exercised


def _check(target: Path, campaign: dict[str, Any], tmp_path: Path, advised: list[str]) -> None:
    """The outcome of one mangled file: located one-line problems whose advice is accepted."""
    report = check_report(target, campaign, "2026-11-26", "xa-xuan-lap.yaml")
    # Whatever got in, no NaN or infinity did: they pass every minimum and maximum.
    assert all(math.isfinite(n) for n in _numbers(report.data)), report.data
    for p in report.problems:
        assert p.message and "\n" not in p.message, p
        advice = re.findall(r"hãy viết(?: liền các chữ số:)? (-?[0-9]+(?:[.,][0-9]+)?)", p.message)
        for fix in advice if p.code.startswith("value.") else []:
            # The advice for one mistake is accepted on the next run: write it in place of the value.
            fixed = target.read_text(encoding="utf-8", errors="replace").splitlines()
            line = fixed[p.line - 1]
            flow = "{" in line[: p.column] or "[" in line[: p.column]
            written = re.match(r"[^,}\]]*" if flow else r".*?(?=\s+#|\s*$)", line[p.column - 1:])
            assert written is not None
            fixed[p.line - 1] = line[: p.column - 1] + fix + line[p.column - 1 + len(written.group()):]
            again = tmp_path / "again" / "xa-xuan-lap.yaml"
            again.parent.mkdir(exist_ok=True)
            again.write_text("\n".join(fixed) + "\n", encoding="utf-8")
            rerun = check_report(again, campaign, "2026-11-26", "xa-xuan-lap.yaml")
            advised.append(fix)
            assert not [q for q in rerun.problems if (q.line, q.code) == (p.line, p.code)], (p, fix, rerun.problems)
        assert p.line >= 1 and p.column >= 1, p
        assert p.severity in ("error", "warning"), p
