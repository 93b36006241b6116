"""The sample submissions shipped in submissions/ are valid against the real campaign file."""

from __future__ import annotations

from conftest import ROOT, RunCli

SUBMISSIONS = ROOT / "submissions"


def _samples() -> list[str]:
    return sorted(p.name for p in SUBMISSIONS.iterdir() if p.suffix in (".yaml", ".yml"))


def test_there_are_samples() -> None:
    # No skip when the folder is empty: shipping no sample data is a failure.
    assert len(_samples()) >= 4, _samples()


def test_every_sample_validates(run_cli: RunCli) -> None:
    r = run_cli("validate")  # the default: submissions/ and campaign.yaml
    assert r.returncode == 0, r.stdout + r.stderr
    assert " lỗi: " not in r.stdout
    assert "— hợp lệ. Báo cáo: " in r.stdout.splitlines()[-1]
    assert f"Đã kiểm tra {len(_samples()) + 1} tệp:" in r.stdout


def test_each_sample_validates_alone(run_cli: RunCli) -> None:
    for name in _samples():
        r = run_cli("validate", f"submissions/{name}")
        assert r.returncode == 0, r.stdout
        assert " lỗi: " not in r.stdout, r.stdout
