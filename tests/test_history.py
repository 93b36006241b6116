"""Every page says when its data last changed: the last commit that touched a report's file."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from test_site_build import article, build, copy_samples

from generator.history import today


def _git(tmp: Path, *args: str, date: str | None = None) -> None:
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.invalid",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.invalid")
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    subprocess.run(["git", *args], cwd=tmp, env=env, check=True, capture_output=True)


def test_pages_show_the_last_commit_of_each_report(tmp_path: Path) -> None:
    tmp = copy_samples(tmp_path)
    _git(tmp, "init", "-q")
    _git(tmp, "add", "-A")
    _git(tmp, "commit", "-qm", "first reports", date="2021-01-16T09:00:00+07:00")
    lap = tmp / "submissions" / "xa-xuan-lap.yaml"
    lap.write_text(lap.read_text(encoding="utf-8") + "# sửa\n", encoding="utf-8")
    _git(tmp, "commit", "-qam", "a correction", date="2021-01-19T23:30:00+07:00")
    hai = tmp / "submissions" / "xa-tho-hai.yaml"
    hai.write_text(hai.read_text(encoding="utf-8") + "# chưa commit\n", encoding="utf-8")
    r = build(tmp)
    assert r.returncode == 0, r.stdout + r.stderr

    def updated(uid: str) -> str:
        text, _ = article(tmp / "site" / "don-vi" / f"{uid}.html")
        return text.split("Cập nhật lần cuối", 1)[1].split()[0]

    assert updated("thpt-le-loi") == "16/01/2021"
    assert updated("xa-xuan-lap") == "19/01/2021"  # in Vietnam's time zone
    assert updated("xa-tho-hai") == today().strftime("%d/%m/%Y")  # changed since its last commit
    summary, _ = article(tmp / "site" / "index.html")
    assert f"Số liệu cập nhật lần cuối: {today().strftime('%d/%m/%Y')}" in summary
    # Deterministic for the same inputs and history: a second build stops before validating, and
    # one forced to render everything again writes no page anew.
    assert "Không có gì thay đổi" in build(tmp).stdout
    again = build(tmp, "--force")
    assert "0 ghi mới" in again.stdout


def test_without_git_every_report_has_the_build_date(sample_site: Path) -> None:
    """The samples' build of the session (conftest.py): a copy in a temporary folder, no git."""
    tmp = sample_site
    for page in ("index.html", "trang-thai.html", "don-vi/index.html", "muc/muc-1.html"):
        text, _ = article(tmp / "site" / page)
        assert f"Số liệu cập nhật lần cuối: {today().strftime('%d/%m/%Y')}" in text, page
