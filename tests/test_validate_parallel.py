"""Many files are checked in parallel; the report must be the same as checking them one by one."""

from __future__ import annotations

from pathlib import Path

from conftest import CASES, RunCli

from generator.validate import PARALLEL_THRESHOLD


def test_parallel_run_reports_exactly_what_a_serial_run_does(
    run_cli: RunCli, tmp_path: Path
) -> None:
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
