"""Many files are checked in parallel; the report must be the same as checking them one by one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import CASES, ROOT, RunCli

from generator.validate import PARALLEL_THRESHOLD


def many_reports(tmp_path: Path) -> list[str]:
    """A campaign and PARALLEL_THRESHOLD + 6 reports (2 of them wrong), one more in a .yml file."""
    n = PARALLEL_THRESHOLD + 6
    ids = [f"xa-so-{i:03d}" for i in range(n)]
    campaign = (CASES / "campaign.yaml").read_text(encoding="utf-8")
    head, _, _ = campaign.partition("units:\n")
    roster = "".join(
        f'  - {{id: {u}, name: "Đoàn xã Xuân Lập", kind: commune, editors: []}}\n'
        for u in ids
    )
    (tmp_path / "campaign.yaml").write_text(
        f"{head}units:\n{roster}reviewers: []\n", encoding="utf-8"
    )
    base = (CASES / "valid" / "xa-mau.yaml").read_text(encoding="utf-8")
    sub = tmp_path / "submissions"
    sub.mkdir()
    for i, u in enumerate(ids):
        text = base.replace("id: xa-mau", f"id: {u}", 1)
        if i == 3:
            text = text.replace("  members: 548", "  members: -548")
        if i == n - 1:
            text = text.replace('submission_date: "2021-01-15"', 'submission_date: "2021-01-25"')
        (sub / f"{u}.yaml").write_text(text, encoding="utf-8")
    (sub / f"{ids[7]}.yml").write_text(
        base.replace("id: xa-mau", f"id: {ids[7]}", 1), encoding="utf-8"
    )
    return ids


def test_parallel_run_reports_exactly_what_a_serial_run_does(
    run_cli: RunCli, tmp_path: Path
) -> None:
    ids = many_reports(tmp_path)
    n = len(ids)
    serial = run_cli(
        "validate", "submissions", "--campaign", "campaign.yaml", "--jobs", "1", cwd=tmp_path
    )
    parallel = run_cli(
        "validate", "submissions", "--campaign", "campaign.yaml", "--jobs", "2", cwd=tmp_path
    )
    assert parallel.stdout == serial.stdout
    assert parallel.returncode == serial.returncode == 1
    assert (
        serial.stdout.splitlines()[-1]
        == f"Đã kiểm tra {n + 2} tệp: 3 lỗi, 1 cảnh báo — KHÔNG hợp lệ. Báo cáo: {n + 1} chính thức, 0 bản nháp."
    )
    assert (
        f"submissions/{ids[3]}.yaml:15:12: lỗi: Mục I › Số đoàn viên: không được là số âm, tìm thấy -548"
        in serial.stdout
    )
    assert (
        f"submissions/{ids[7]}.yml:4:7: lỗi: Đơn vị › Mã đơn vị: đơn vị “{ids[7]}” có nhiều hơn"
        in serial.stdout
    )


# The CLI's entry point, with fastjsonschema's compile counted: a line per call, from any process.
COUNTED = """
import os, sys, fastjsonschema
compile_ = fastjsonschema.compile
def counted(*args, **kwargs):
    with open(os.environ["COMPILE_LOG"], "a") as f:
        f.write(f"{os.getpid()}\\n")
    return compile_(*args, **kwargs)
fastjsonschema.compile = counted
from generator.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_the_schema_is_compiled_once_not_in_each_worker(tmp_path: Path) -> None:
    many_reports(tmp_path)
    log = tmp_path / "compiles.log"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COMPILE_LOG": str(log)}
    r = subprocess.run(
        [sys.executable, "-c", COUNTED, "validate", "submissions", "--campaign", "campaign.yaml",
         "--jobs", "2"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
    )
    assert r.returncode == 1, r.stderr
    assert "3 lỗi, 1 cảnh báo" in r.stdout.splitlines()[-1]
    assert len(log.read_text().splitlines()) == 1  # in the first process, before the workers
