"""Validation speed: libyaml parsing alone vs our full validation vs check-jsonschema, one run.

    .venv/bin/python benchmarks/bench_validate.py [--n 1000]

Targets (issue 2): full validation, line numbers included, within 1.5× of parsing alone, and
at least 10× faster than check-jsonschema on the same files with the same schema. Since issue 8
plain scalars are read by the schema's rules (generator/load.py), not by YAML 1.1's resolver, and
the same targets hold. Bounded cost (issue 8): a file of 100,000 unknown keys (under the 1 MB
limit) is checked in about the time of parsing it, not minutes.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.synth import ROOT, make_corpus
from generator.validate import check_all, find_submissions


def timed(fn: object) -> float:
    start = time.perf_counter()
    fn()  # type: ignore[operator]
    return time.perf_counter() - start


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=1000, help="number of synthetic submissions")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        campaign, sub_dir = make_corpus(args.n, Path(tmp))
        paths = find_submissions([sub_dir])
        mb = sum(p.stat().st_size for p in paths) / 1e6

        def parse_only() -> None:
            for p in paths:
                yaml.load(p.read_bytes().decode("utf-8"), Loader=yaml.CSafeLoader)

        def ours() -> None:
            result = check_all(campaign, paths)
            assert result.ok, result.problems[:3]

        def ours_one_process() -> None:
            assert check_all(campaign, paths, jobs=1).ok

        def check_jsonschema() -> None:
            exe = Path(sys.executable).parent / "check-jsonschema"
            subprocess.run([str(exe), "--schemafile", str(ROOT / "schema" / "report.schema.json"),
                            *map(str, paths)], check=True, capture_output=True)

        hostile = Path(tmp) / "hostile" / paths[0].name
        hostile.parent.mkdir()
        keys = "".join(f"k{i}:\n" for i in range(100_000))
        hostile.write_text(keys + paths[0].read_text(encoding="utf-8"), encoding="utf-8")

        def parse_hostile() -> None:
            yaml.load(hostile.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)

        def ours_hostile() -> None:
            result = check_all(campaign, [hostile], jobs=1)
            assert result.error_count == 100_000, result.error_count

        parse_only()  # warm the page cache so no contender pays for the disk
        t_parse = timed(parse_only)
        t_ours = timed(ours)
        t_one = timed(ours_one_process)
        t_cj = timed(check_jsonschema)
        t_hostile_parse = timed(parse_hostile)
        t_hostile = timed(ours_hostile)
        print(f"{len(paths)} submissions, {mb:.1f} MB, {os.cpu_count()} cores")
        print(f"  libyaml parse alone (1 process): {t_parse:7.2f} s")
        print(f"  our full validation:             {t_ours:7.2f} s")
        print(f"  our full validation (1 process): {t_one:7.2f} s")
        print(f"  check-jsonschema:                {t_cj:7.2f} s")
        print(f"ours / parse alone      = {t_ours / t_parse:5.2f}  (target ≤ 1.5; one process: {t_one / t_parse:.2f})")
        print(f"check-jsonschema / ours = {t_cj / t_ours:5.2f}  (target ≥ 10)")
        print(f"100,000 unknown keys ({hostile.stat().st_size / 1e6:.2f} MB): parse {t_hostile_parse:.2f} s, "
              f"ours {t_hostile:.2f} s, ours / parse = {t_hostile / t_hostile_parse:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
