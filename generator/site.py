"""The `build` command: validate, aggregate, render Markdown into docs/, then run MkDocs.

`build_markdown` is the library part (no printing, no exit, no MkDocs) so that it can be timed
and tested on its own; `cmd_build` is the command layer that talks to the user.

docs/ is build output. Files are written only when their bytes change, so MkDocs' watcher and
file mtimes see only real changes; files this generator wrote last time and no longer produces
(the page of a unit whose file was deleted) are removed. Only files listed in docs/.manifest
are ever removed, so pointing --docs at the wrong folder cannot delete anyone's files.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator import report
from generator.validate import check_all, find_submissions

if TYPE_CHECKING:
    from collections.abc import Iterator

    from generator.problems import Result

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "site_templates" / "assets"
MANIFEST = ".manifest"
MKDOCS_BASE = ROOT / "mkdocs.yml"
WARNINGS_SHOWN = 20


class InvalidSubmissions(Exception):
    """At least one file has an error; the site is not built from invalid data."""

    def __init__(self, result: Result):
        super().__init__(f"{result.error_count} lỗi")
        self.result = result


@dataclass
class BuildStats:
    """What one Markdown build did, and how long each stage took (seconds)."""

    units: int = 0
    submitted: int = 0  # final reports
    drafts: int = 0
    files: int = 0
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    nav: list[Any] = field(default_factory=list)
    result: Result | None = None


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause Python's cycle collector while the site is built in memory.

    The build makes millions of small tuples, dicts and Markup strings that live until it ends.
    The collector runs every 700 new containers and its full passes walk every live object, so
    at 1,000 units it took about a fifth of the build (1.3 of 6 s), finding nothing to free. The
    few cycles made meanwhile are collected once it runs again.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def generate(campaign_path: Path, submissions_dir: Path) -> tuple[dict[str, bytes], BuildStats]:
    """Validate and render every output file in memory: {path under docs/: bytes}."""
    with _gc_paused():
        return _generate(campaign_path, submissions_dir)


def _generate(campaign_path: Path, submissions_dir: Path) -> tuple[dict[str, bytes], BuildStats]:
    # Imported here, not at the top: cli.py builds the `build` parser from this module, and
    # `validate` should not pay for Jinja2 on every start.
    from generator import aggregate, editor, history, render

    stats = BuildStats()
    t0 = time.perf_counter()
    paths = find_submissions([submissions_dir]) if submissions_dir.is_dir() else []
    result = check_all(campaign_path, paths, display_root=Path.cwd())
    stats.result = result
    stats.timings["validate"] = time.perf_counter() - t0
    if not result.ok or result.campaign is None or result.campaign.data is None:
        raise InvalidSubmissions(result)
    campaign = result.campaign.data

    t1 = time.perf_counter()
    subs = [(p, f.data, f.problems) for p, f in zip(paths, result.files) if f.data is not None]
    changed = history.last_changed([p for p, _, _ in subs])
    units = aggregate.units_from(campaign, subs, repo_root=campaign_path.parent, changed=changed)
    period = tuple(range(int(campaign["period"]["start"]), int(campaign["period"]["end"]) + 1))
    agg = aggregate.aggregate(units, period)
    view = render.site_view(campaign, units, aggregate.status_summary(units), agg)
    stats.timings["aggregate"] = time.perf_counter() - t1

    t2 = time.perf_counter()
    files: dict[str, bytes] = {p: s.encode("utf-8") for p, s in render.render_pages(view).items()}
    files.update(
        {
            f"tai-ve/{name}": body.encode("utf-8") if isinstance(body, str) else body
            for name, body in render.downloads(view).items()
        }
    )
    for asset in sorted(ASSETS.rglob("*")):
        if asset.is_file():
            files["assets/" + asset.relative_to(ASSETS).as_posix()] = asset.read_bytes()
    files.update(editor.editor_files(campaign))  # the page "Nộp báo cáo trực tuyến"
    stats.timings["render"] = time.perf_counter() - t2
    stats.units, stats.files = len(units), len(files)
    stats.submitted = sum(u.submitted for u in units)
    stats.drafts = sum(u.draft for u in units)
    stats.nav = render.nav(view)
    return files, stats


def write_tree(docs_dir: Path, files: dict[str, bytes], stats: BuildStats) -> None:
    """Write files whose bytes changed; remove files of the last build that are gone now."""
    docs_dir.mkdir(parents=True, exist_ok=True)
    manifest = docs_dir / MANIFEST
    previous = (
        set(manifest.read_text(encoding="utf-8").split("\n")) if manifest.is_file() else set()
    )
    for rel in sorted(files):
        target = docs_dir / rel
        data = files[rel]
        if target.is_file() and target.read_bytes() == data:
            stats.unchanged += 1
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_bytes(data)
        os.replace(tmp, target)  # atomic: `mkdocs serve` never reads half a file
        stats.written.append(rel)
    for rel in sorted(previous - set(files) - {""}):
        target = docs_dir / rel
        if target.is_file():
            target.unlink()
            stats.removed.append(rel)
            parent = target.parent
            while parent != docs_dir and parent.is_dir() and not any(parent.iterdir()):
                parent.rmdir()
                parent = parent.parent
    listing = "\n".join(sorted(files))
    if not manifest.is_file() or manifest.read_text(encoding="utf-8") != listing:
        manifest.write_text(listing, encoding="utf-8")


def build_markdown(campaign_path: Path, submissions_dir: Path, docs_dir: Path) -> BuildStats:
    """Load, validate, aggregate and render into docs_dir (no MkDocs); raise InvalidSubmissions."""
    files, stats = generate(campaign_path, submissions_dir)
    t = time.perf_counter()
    write_tree(docs_dir, files, stats)
    stats.timings["write"] = time.perf_counter() - t
    return stats


def site_name(stats: BuildStats) -> str:
    """The title on every page: the campaign's `site_name`, or "Tổng kết" and the plan number."""
    from generator import render

    campaign = stats.result.campaign.data if stats.result and stats.result.campaign else None
    campaign = campaign or {}
    if campaign.get("site_name"):
        return render.safe_title(str(campaign["site_name"]))
    return render.safe_title(f"Tổng kết {campaign.get('plan', {}).get('number', '')}".strip())


def mkdocs_config(
    stats: BuildStats,
    docs_dir: Path,
    site_dir: Path,
    config_dir: Path,
    serve_from: tuple[Path, Path] | None = None,
) -> Path:
    """Write the MkDocs config of this build: the project's mkdocs.yml plus the nav and folders.

    The nav depends on the roster, so it cannot live in the committed mkdocs.yml; MkDocs'
    INHERIT merges the two. JSON is valid YAML and quotes every title safely.
    """
    config_dir.mkdir(parents=True, exist_ok=True)
    path = config_dir / "mkdocs.yml"
    doc: dict[str, Any] = {
        "INHERIT": os.path.relpath(MKDOCS_BASE, config_dir),
        "site_name": site_name(stats),
        "docs_dir": str(docs_dir.resolve()),
        "site_dir": str(site_dir.resolve()),
        "nav": stats.nav,
        # Here and not in mkdocs.yml: MkDocs reads a hook's path relative to the config file
        # that names it, and this file INHERITs mkdocs.yml from another folder.
        "hooks": [str(Path(__file__).with_name("publish_hook.py"))],
    }
    if serve_from is not None:
        # While serving, MkDocs watches the inputs and our hook re-renders docs/ on a change.
        campaign, submissions = serve_from
        doc["watch"] = [str(campaign.resolve()), str(submissions.resolve())]
        doc["hooks"].append(str(Path(__file__).with_name("serve_hook.py")))
        doc["extra"] = {
            "tongket_build": {
                "campaign": str(campaign.resolve()),
                "submissions": str(submissions.resolve()),
                "docs": str(docs_dir.resolve()),
            }
        }
    text = json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return path


def run_mkdocs(config: Path, serve: bool = False, dev_addr: str | None = None) -> int:
    """Run `mkdocs build --strict` (or `mkdocs serve`) on the config; return its exit code."""
    cmd = [
        sys.executable,
        "-m",
        "mkdocs",
        "serve" if serve else "build",
        "--strict",
        "-f",
        str(config),
    ]
    if not serve:
        cmd.append("--quiet")
    elif dev_addr:
        cmd += ["--dev-addr", dev_addr]
    # MkDocs 1.6 prints a banner about its successor on every run; it is noise in our output.
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    return subprocess.run(cmd, check=False, env=env).returncode


def cmd_build(args: argparse.Namespace) -> int:
    """The `build` subcommand: exit 0 built, 1 invalid data or MkDocs failed, 2 bad usage."""
    campaign: Path = args.campaign or ROOT / "campaign.yaml"
    submissions: Path = args.submissions or ROOT / "submissions"
    docs: Path = args.docs or ROOT / "docs"
    site: Path = args.site or ROOT / "site"
    if not campaign.is_file():
        print(f"lỗi: không tìm thấy tệp đợt báo cáo “{campaign}”", file=sys.stderr)
        return 2
    if not submissions.is_dir():
        # A mistyped folder would otherwise publish a site where no unit has reported.
        print(f"lỗi: không tìm thấy thư mục báo cáo “{submissions}”", file=sys.stderr)
        return 2
    try:
        stats = build_markdown(campaign, submissions, docs)
    except InvalidSubmissions as e:
        sys.stdout.write(report.as_text(e.result))
        print("Không dựng trang vì còn lỗi; hãy sửa các lỗi trên rồi chạy lại.", file=sys.stderr)
        return 1
    if stats.result is not None and stats.result.warning_count:
        # Warnings do not stop the build and are shown on the units' pages; list a few here.
        warnings = [p for p in stats.result.problems if p.severity == "warning"]
        for p in warnings[:WARNINGS_SHOWN]:
            print(report.safe_line(p.as_text()))
        if len(warnings) > WARNINGS_SHOWN:
            print(
                f"… và {len(warnings) - WARNINGS_SHOWN} cảnh báo nữa (xem: python -m generator validate)."
            )
    print(
        f"Markdown: {stats.files} tệp ({len(stats.written)} ghi mới, {stats.unchanged} không đổi, "
        f"{len(stats.removed)} xóa); {stats.submitted}/{stats.units} đơn vị đã gửi báo cáo chính thức, "
        f"{stats.drafts} đơn vị đang soạn (bản nháp)."
    )
    config = mkdocs_config(
        stats,
        docs,
        site,
        args.config_dir or ROOT / "build",
        serve_from=(campaign, submissions) if args.serve else None,
    )
    code = run_mkdocs(config, serve=args.serve, dev_addr=args.dev_addr)
    if code != 0:
        print("lỗi: mkdocs không dựng được trang (xem thông báo ở trên).", file=sys.stderr)
        return 1
    if not args.serve:
        print(f"Đã dựng trang vào {site}")
    return 0


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The `build` subcommand's options."""
    p.add_argument("--serve", action="store_true", help="xem trước trang trên máy (mkdocs serve)")
    p.add_argument(
        "--dev-addr", default=None, help="với --serve: địa chỉ IP:CỔNG (mặc định: 127.0.0.1:8000)"
    )
    p.add_argument(
        "--campaign", type=Path, default=None, help="tệp đợt báo cáo (mặc định: campaign.yaml)"
    )
    p.add_argument(
        "--submissions", type=Path, default=None, help="thư mục báo cáo (mặc định: submissions/)"
    )
    p.add_argument(
        "--docs", type=Path, default=None, help="thư mục Markdown sinh ra (mặc định: docs/)"
    )
    p.add_argument("--site", type=Path, default=None, help="thư mục trang web (mặc định: site/)")
    p.add_argument(
        "--config-dir",
        type=Path,
        default=None,
        help="nơi ghi cấu hình MkDocs của lần dựng (mặc định: build/)",
    )
