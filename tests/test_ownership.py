"""Who may change what in a pull request: `python -m generator check-ownership`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from generator.ownership import check_ownership, parse_changed_list, submission_unit

ROOT = Path(__file__).resolve().parent.parent

CAMPAIGN: dict[str, Any] = {
    "units": [
        {"id": "xa-a", "name": "Đoàn xã A", "kind": "commune", "editors": ["a-doan", "A-Pho"]},
        {"id": "xa-b", "name": "Đoàn xã B", "kind": "commune", "editors": ["b-doan"]},
        {"id": "truong-c", "name": "Đoàn trường C", "kind": "school", "editors": []},
        {"id": "xa-d", "name": "Đoàn xã D", "kind": "commune", "editors": []},
        {"id": "xa-e", "name": "Đoàn xã E", "kind": "commune", "editors": ["a-doan"]},
    ],
    "reviewers": ["huyen-doan", "btv"],
}

OWN_A = "Đoàn xã A (submissions/xa-a.yaml); Đoàn xã E (submissions/xa-e.yaml)"
OPEN = "Đoàn trường C (submissions/truong-c.yaml); Đoàn xã D (submissions/xa-d.yaml)"


def other_unit(author: str, unit: str, own: str) -> str:
    return (f"tệp này là báo cáo của {unit}; tài khoản @{author} chỉ được sửa báo cáo của đơn vị mình: "
            f"{own}. Hãy bỏ thay đổi ở tệp này khỏi yêu cầu hợp nhất; nếu báo cáo của đơn vị khác có "
            f"sai sót, hãy báo đơn vị đó hoặc người duyệt.")


def not_a_submission(author: str, own: str) -> str:
    return (f"tệp này không phải báo cáo của đơn vị nên chỉ người duyệt (@huyen-doan, @btv) được sửa; "
            f"tài khoản @{author} chỉ được sửa báo cáo của đơn vị mình: {own}. Hãy bỏ thay đổi ở tệp "
            f"này khỏi yêu cầu hợp nhất.")


def outsider_head(author: str) -> str:
    return (f"tài khoản @{author} không có trong tệp đợt báo cáo (không là người duyệt, không là người "
            f"sửa báo cáo của đơn vị nào)")


def outsider(author: str) -> str:
    return (f"{outsider_head(author)}, nên chỉ được nộp báo cáo cho đơn vị chưa có tài khoản GitHub: "
            f"{OPEN}. Tệp này không phải báo cáo của các đơn vị đó; hãy bỏ thay đổi ở tệp này khỏi "
            f"yêu cầu hợp nhất.")


def existing(author: str, name: str) -> str:
    return (f"{outsider_head(author)}; được nộp báo cáo mới cho {name} (đơn vị chưa có tài khoản GitHub), nhưng "
            "báo cáo này đã có, và sửa, đổi tên hay xóa báo cáo đã có cần người duyệt (@huyen-doan, @btv): "
            "hãy nhờ người duyệt thực hiện thay đổi này.")


# (author, changed files (a path, or (git status, path)), [(file, exact message)])
CASES: dict[str, tuple[str, list[str | tuple[str, str]], list[tuple[str, str]]]] = {
    "editor changes own file": ("b-doan", ["submissions/xa-b.yaml"], []),
    "editor changes own .yml file": ("b-doan", ["submissions/xa-b.yml"], []),
    "editor of two units changes both": ("a-doan", ["submissions/xa-a.yaml", "submissions/xa-e.yaml"], []),
    "login case does not matter": ("a-pho", ["./submissions/xa-a.yaml"], []),
    "no file changed": ("b-doan", [], []),
    "reviewer changes anything": ("Huyen-Doan", ["campaign.yaml", "schema/rules.yaml", ".github/workflows/validate.yml",
                                                 "submissions/xa-a.yaml", "generator/cli.py"], []),
    "editor changes another unit's file": (
        "b-doan", ["submissions/xa-b.yaml", "submissions/xa-a.yaml"],
        [("submissions/xa-a.yaml", other_unit("b-doan", "Đoàn xã A", "Đoàn xã B (submissions/xa-b.yaml)"))]),
    "editor changes an open unit's file": (
        "b-doan", ["submissions/xa-d.yaml"],
        [("submissions/xa-d.yaml", other_unit("b-doan", "Đoàn xã D", "Đoàn xã B (submissions/xa-b.yaml)"))]),
    "editor of two units lists both": (
        "a-doan", ["submissions/xa-b.yaml"],
        [("submissions/xa-b.yaml", other_unit("a-doan", "Đoàn xã B", OWN_A))]),
    "editor adds a file for an unknown unit": (
        "b-doan", ["submissions/xa-z.yaml"],
        [("submissions/xa-z.yaml",
          ("không có đơn vị nào mã “xa-z” trong danh sách đơn vị của tệp đợt báo cáo; tài khoản @b-doan chỉ "
           "được sửa báo cáo của đơn vị mình: Đoàn xã B (submissions/xa-b.yaml). Tên tệp phải đúng là mã đơn vị."))]),
    "editor changes project files": (
        "b-doan",
        ["campaign.yaml", "schema/report.schema.json", "schema/rules.yaml", "generator/ownership.py",
         "site_templates/unit.md.j2", ".github/workflows/validate.yml", ".github/CODEOWNERS", "Makefile",
         "pyproject.toml", "tests/test_ownership.py", "README.md", "submissions/README.md",
         "submissions/xa-b.yaml.bak", "submissions/xa-b/anh.png", "xa-b.yaml"],
        [(p, not_a_submission("b-doan", "Đoàn xã B (submissions/xa-b.yaml)")) for p in
         ["campaign.yaml", "schema/report.schema.json", "schema/rules.yaml", "generator/ownership.py",
          "site_templates/unit.md.j2", ".github/workflows/validate.yml", ".github/CODEOWNERS", "Makefile",
          "pyproject.toml", "tests/test_ownership.py", "README.md", "submissions/README.md",
          "submissions/xa-b.yaml.bak", "submissions/xa-b/anh.png", "xa-b.yaml"]]),
    "outsider submits for units without editors": (
        "nguoi-ngoai", [("A", "submissions/truong-c.yaml"), ("A", "submissions/xa-d.yml")], []),
    "outsider changes, deletes or renames an existing report of a unit without editors": (
        "nguoi-ngoai", [("M", "submissions/truong-c.yaml"), ("D", "submissions/xa-d.yml"),
                        ("D", "submissions/xa-d.yaml"), ("A", "submissions/xa-d.yaml"), "submissions/truong-c.yml"],
        [(p, existing("nguoi-ngoai", name)) for p, name in [
            ("submissions/truong-c.yaml", "Đoàn trường C"), ("submissions/xa-d.yml", "Đoàn xã D"),
            ("submissions/xa-d.yaml", "Đoàn xã D"), ("submissions/truong-c.yml", "Đoàn trường C")]]),
    "outsider changes a unit with editors": (
        "nguoi-ngoai", ["submissions/xa-a.yaml"],
        [("submissions/xa-a.yaml",
          (f"{outsider_head('nguoi-ngoai')}; tệp này là báo cáo của Đoàn xã A, chỉ tài khoản của đơn vị "
           "(@a-doan, @A-Pho) hoặc người duyệt được sửa. Nếu bạn là người của đơn vị, hãy nhờ người duyệt "
           "thêm tài khoản của bạn vào mục “editors” của đơn vị."))]),
    "outsider changes anything else": (
        "nguoi-ngoai", [("A", "submissions/truong-c.yaml"), "Makefile", "submissions/xa-z.yaml"],
        [("Makefile", outsider("nguoi-ngoai")), ("submissions/xa-z.yaml", outsider("nguoi-ngoai"))]),
}


@pytest.mark.parametrize("name", CASES)
def test_ownership(name: str) -> None:
    author, changed, expected = CASES[name]
    got = [(p.file, p.message) for p in check_ownership(CAMPAIGN, author, changed)]
    assert got == expected


def test_each_file_is_reported_once() -> None:
    got = check_ownership(CAMPAIGN, "b-doan", ["Makefile", "./Makefile", "Makefile"])
    assert [p.file for p in got] == ["Makefile"]


def test_no_open_unit_is_said() -> None:
    campaign = {"units": [{"id": "xa-a", "name": "Đoàn xã A", "kind": "commune", "editors": ["a"]}], "reviewers": []}
    [p] = check_ownership(campaign, "x", ["Makefile"])
    assert "đơn vị chưa có tài khoản GitHub: hiện không có đơn vị nào như vậy." in p.message


@pytest.mark.parametrize(("path", "unit"), [
    ("submissions/xa-a.yaml", "xa-a"), ("submissions/xa-a.yml", "xa-a"), ("./submissions/xa-a.yaml", "xa-a"),
    ("submissions/xa-a.json", None), ("submissions/sub/xa-a.yaml", None), ("other/xa-a.yaml", None),
    ("submissions/.yaml", None),
])
def test_submission_unit(path: str, unit: str | None) -> None:
    assert submission_unit(path) == unit


def test_changed_list_lines_or_nul() -> None:
    assert parse_changed_list("a\n\nsubmissions/x.yaml\n") == ["a", "submissions/x.yaml"]
    assert parse_changed_list("a b.yaml\0c\nd\0") == ["a b.yaml", "c\nd"]


# --- the command, as the workflow runs it -------------------------------------------------------

def run(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if k != "GITHUB_STEP_SUMMARY"}
    full_env.update({"PYTHONPATH": str(ROOT), **(env or {})})
    return subprocess.run([sys.executable, "-m", "generator", "check-ownership", *args], cwd=cwd,
                          capture_output=True, text=True, env=full_env, check=False)


def test_cli_allowed() -> None:
    r = run("--author", "xuanlap-doan", "submissions/xa-xuan-lap.yaml")
    assert (r.returncode, r.stdout, r.stderr) == (0, "Tài khoản @xuanlap-doan sửa 1 tệp, đều được phép.\n", "")


def test_cli_refused_text(tmp_path: Path) -> None:
    listing = tmp_path / "changed.txt"
    listing.write_text("submissions/xa-xuan-lap.yaml\nsubmissions/thpt-le-loi.yaml\n", encoding="utf-8")
    r = run("--author", "xuanlap-doan", "--changed-files", str(listing))
    assert r.returncode == 1
    assert r.stdout.splitlines() == [
        "submissions/thpt-le-loi.yaml: lỗi: " + other_unit(
            "xuanlap-doan", "Đoàn trường THPT Lê Lợi", "Đoàn xã Xuân Lập (submissions/xa-xuan-lap.yaml)"),
        "Tài khoản @xuanlap-doan sửa 2 tệp, 1 tệp không được phép sửa.",
    ]


def test_cli_github_format(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    r = run("--author", "xuanlap-doan", "--format", "github", "Makefile", env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert r.returncode == 1
    first = r.stdout.splitlines()[0]
    assert first.startswith("::error file=Makefile,title=Quyền sửa tệp::tệp này không phải báo cáo của đơn vị")
    table = summary.read_text(encoding="utf-8")
    assert table.startswith("## Quyền sửa tệp\n\nTài khoản @xuanlap-doan sửa 1 tệp, 1 tệp không được phép sửa.\n\n"
                            "| Tệp | Lý do |\n|---|---|\n| Makefile | tệp này không phải báo cáo")


def test_cli_github_format_limits_annotations() -> None:
    files = [f"generator/m{i}.py" for i in range(13)]
    r = run("--author", "xuanlap-doan", "--format", "github", "--summary", os.devnull, *files)
    lines = r.stdout.splitlines()
    assert sum(x.startswith("::error file=") for x in lines) == 10
    assert lines[10] == ("::error::Còn 3 tệp không được phép sửa nữa; xem bảng đầy đủ trong Summary của lần chạy.")


@pytest.mark.parametrize("args", [[], ["--author", "x", "--base", "main", "a.yaml"], ["--author", " ", "a"]])
def test_cli_usage(args: list[str]) -> None:
    r = run(*args)
    assert r.returncode == 2


def test_make_check_ownership_without_base_is_a_usage_error_not_a_pass() -> None:
    """`make check-ownership AUTHOR=…` with BASE forgotten must not say that every change is allowed."""
    env = {k: v for k, v in os.environ.items() if k not in ("BASE", "GITHUB_STEP_SUMMARY")}
    r = subprocess.run(["make", "-s", "check-ownership", "AUTHOR=xuanlap-doan"], cwd=ROOT,
                       capture_output=True, text=True, env=env, check=False)
    assert r.returncode != 0
    assert "lỗi: --base trống: chưa biết so với nhánh nào" in r.stderr
    assert "được phép" not in r.stdout
    assert run("--author", "xuanlap-doan", "--base", "").returncode == 2


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True,
                          env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t",
                               "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}).stdout


def test_cli_base_reads_campaign_from_base(tmp_path: Path) -> None:
    """A pull request that makes its author a reviewer is judged by the base branch's roster."""
    repo = tmp_path / "repo"
    (repo / "submissions").mkdir(parents=True)
    (repo / "campaign.yaml").write_bytes((ROOT / "campaign.yaml").read_bytes())
    (repo / "submissions" / "xa-xuan-lap.yaml").write_text("a: 1\n", encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "base")
    git(repo, "checkout", "-qb", "pr")
    text = (repo / "campaign.yaml").read_text(encoding="utf-8")
    (repo / "campaign.yaml").write_text(text.replace("reviewers: [", "reviewers: [xuanlap-doan, "), encoding="utf-8")
    (repo / "submissions" / "xa-xuan-lap.yaml").unlink()
    (repo / "submissions" / "thpt-le-loi.yaml").write_text("a: 1\n", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "pr")
    r = run("--author", "xuanlap-doan", "--base", "main", cwd=repo)
    assert r.returncode == 1, r.stderr
    assert [line.split(": lỗi:")[0] for line in r.stdout.splitlines()[:-1]] == ["campaign.yaml", "submissions/thpt-le-loi.yaml"]
    assert r.stdout.splitlines()[-1] == "Tài khoản @xuanlap-doan sửa 3 tệp, 2 tệp không được phép sửa."


def test_cli_base_unknown(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    r = run("--author", "x", "--base", "no-such-branch", cwd=tmp_path)
    assert r.returncode == 2
    assert r.stderr.startswith("lỗi: lệnh “git diff")
