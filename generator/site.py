"""The `build` command: validate, aggregate, render Markdown into docs/, then run MkDocs.

`build_markdown` is the library part (no printing, no exit, no MkDocs) so that it can be timed
and tested on its own; `cmd_build` is the command layer that talks to the user.

docs/ is build output. Files are written only when their bytes change, so MkDocs' watcher and
file mtimes see only real changes; files this generator wrote last time and no longer produces
(the page of a unit whose file was deleted) are removed. Only files listed in docs/.manifest
are ever removed, so pointing --docs at the wrong folder cannot delete anyone's files.

Nothing changed, nothing rebuilt (generator/stamp.py): a build first fingerprints everything it
would read; when that is what the last successful build read and docs/ and the site are still as
it left them, it says so and stops before validating anything. Otherwise it validates and renders;
when docs/ then comes out as it was (an edit that changes no page), MkDocs is not run again.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import gc
import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from generator import fork, history, report, search, stamp, unit_pages, verdicts
from generator.validate import check_all, find_submissions, latest_today

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from generator.problems import Result

from generator.resources import ASSETS, MKDOCS_BASE, work_root

# The default campaign.yaml's folder: the checkout, or the current folder for an installed tool.
ROOT = work_root()
MANIFEST = ".manifest"
WARNINGS_SHOWN = 20
# What a build says when it finds the site current (tests/test_rebuild.py reads it).
KEPT = "Trang web không đổi so với lần dựng trước"
# The way before issue 12, kept for benchmarks/bench_site.py to compare against: with this variable
# set to 1, Python-Markdown parses the HTML of our pages itself (no generator/raw_html.py) and the
# search plugin reads what it leaves out of the index (publish_hook.py hides nothing from it).
AS_BEFORE_ENV = "TONGKET_BUILD_AS_BEFORE_ISSUE_12"
# The way before issue 19, for benchmarks/bench_site.py to compare against: with this variable set
# to 1 (or AS_BEFORE_ENV), Python-Markdown renders every page (publish_hook.py does not render ours).
MARKDOWN_ENV = "TONGKET_BUILD_AS_BEFORE_ISSUE_19_HTML"
# benchmarks/bench_site.py sets this to a file to learn how long each part of the build took.
TIMING_ENV = "TONGKET_BUILD_TIMING"
# Set to 1, the build leaves out the Word and Excel documents: for the benchmark's comparison only.
NO_DOCUMENTS_ENV = "TONGKET_BUILD_WITHOUT_DOCUMENTS"


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
    # What was taken from the caches in build/ rather than made again: what → (taken, of how many).
    reused: dict[str, tuple[int, int]] = field(default_factory=dict)
    # With documents_later (`make serve`): what makes the Word and Excel documents, {path under
    # docs/: bytes}, once the pages are written.
    later: Callable[[], dict[str, bytes]] | None = None
    later_paths: list[str] = field(default_factory=list)  # … and the paths it will write


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


@dataclass(frozen=True)
class Found:
    """The reports of a build and the date each last changed, when the caller already has them."""

    paths: list[Path]
    changed: dict[Path, dt.date]


def generate(
    campaign_path: Path, submissions_dir: Path, cache_dir: Path | None = None, found: Found | None = None,
    documents_later: bool = False,
) -> tuple[dict[str, bytes], BuildStats]:
    """Validate and render every output file in memory: {path under docs/: bytes}.

    `cache_dir` keeps the units' Word documents between builds (generator/documents); the
    reports' verdicts are kept beside it (generator/verdicts.py). `documents_later`: the Word and
    Excel documents are left out, and `stats.later` makes them."""
    with _gc_paused():
        return _generate(campaign_path, submissions_dir, cache_dir, found, documents_later)


def find(submissions_dir: Path) -> Found:
    """The reports in the folder and when each last changed (generator/history.py)."""
    paths = find_submissions([submissions_dir]) if submissions_dir.is_dir() else []
    return Found(paths, history.last_changed(paths))


def _generate(
    campaign_path: Path, submissions_dir: Path, cache_dir: Path | None = None, found: Found | None = None,
    documents_later: bool = False,
) -> tuple[dict[str, bytes], BuildStats]:
    # Imported here, not at the top: cli.py builds the `build` parser from this module, and
    # `validate` should not pay for Jinja2 on every start.
    from generator import aggregate, documents, editor, exports, outline, render

    stats = BuildStats()
    t0 = time.perf_counter()
    found = found or find(submissions_dir)
    paths = found.paths
    # The verdicts of reports unchanged since the last build are read back (generator/verdicts.py).
    cache = verdicts.Cache(cache_dir.parent / verdicts.FOLDER) if cache_dir is not None else None
    result = check_all(campaign_path, paths, display_root=Path.cwd(), cache=cache)
    if cache is not None:
        cache.prune()
        stats.reused["verdicts"] = (cache.found.get("report", 0), cache.asked.get("report", 0))
    stats.result = result
    stats.timings["validate"] = time.perf_counter() - t0
    if not result.ok or result.campaign is None or result.campaign.data is None or result.plan is None:
        raise InvalidSubmissions(result)
    campaign = result.campaign.data
    plan = result.plan  # the report schema and rules campaign.yaml names (generator/plan.py)
    # Every view from here on (pages, downloads, Word, Excel, the editor's data) reads this
    # plan's outline: its parts, titles and x- annotations.
    outline.use(plan.schema)

    t1 = time.perf_counter()
    subs = [(p, f.data, f.problems) for p, f in zip(paths, result.files) if f.data is not None]
    units = aggregate.units_from(campaign, subs, repo_root=campaign_path.parent, changed=found.changed)
    period = tuple(range(int(campaign["period"]["start"]), int(campaign["period"]["end"]) + 1))
    agg = aggregate.aggregate(units, period)
    view = render.site_view(
        campaign, units, aggregate.status_summary(units), agg,
        downloads=exports.listing(len(units)),
        documents=documents.listing(),
        reports_file=exports.reports_file(len(units)),
    )
    stats.timings["aggregate"] = time.perf_counter() - t1

    t2 = time.perf_counter()
    # Each unit's page and texts, unchanged since the last build, are read back (unit_pages.py).
    page_cache = unit_pages.Cache(cache_dir.parent / unit_pages.FOLDER, view) if cache_dir is not None else None
    rendered = render.render_pages(view, cache=page_cache)
    if page_cache is not None:
        page_cache.prune()
        stats.reused["pages"] = page_cache.reused()
    files: dict[str, bytes] = {p: s.encode("utf-8") for p, s in rendered.items()}
    files.update(
        {
            f"tai-ve/{name}": body.encode("utf-8") if isinstance(body, str) else body
            for name, body in exports.downloads(view).items()
        }
    )
    for asset in sorted(ASSETS.rglob("*")):
        if asset.is_file():
            files["assets/" + asset.relative_to(ASSETS).as_posix()] = asset.read_bytes()
    # The page "Nộp báo cáo trực tuyến"
    files.update(editor.editor_files(campaign, plan, campaign_path.parent))
    stats.timings["render"] = time.perf_counter() - t2
    t3 = time.perf_counter()

    def make_documents() -> dict[str, bytes]:
        made: dict[str, int] = {}
        out = {f"{documents.FOLDER}/{name}": body
               for name, body in documents.build(view, cache_dir, made, base=campaign_path.parent).items()}
        if cache_dir is not None:
            stats.reused["word"] = (made["cached"], made["cached"] + made["built"])
        return out

    if os.environ.get(NO_DOCUMENTS_ENV) == "1":  # benchmarks/bench_site.py measures their cost
        pass
    elif documents_later:
        documents.word_template(campaign, campaign_path.parent)  # an unusable template: now, as ever
        stats.later = make_documents
        stats.later_paths = [documents.unit_href(u.id) for u in units if u.has_page] + [
            f"{documents.FOLDER}/{documents.DISTRICT_DOCX}", f"{documents.FOLDER}/{documents.WORKBOOK}"]
    else:
        files.update(make_documents())
    stats.timings["documents"] = time.perf_counter() - t3
    stats.units, stats.files = len(units), len(files)
    stats.submitted = sum(u.submitted for u in units)
    stats.drafts = sum(u.draft for u in units)
    stats.nav = render.nav(view)
    return files, stats


def is_document(rel: str) -> bool:
    """A Word or Excel document of the build (tai-ve/word/…, the district's draft, the workbook)."""
    from generator import documents

    return rel.startswith(f"{documents.FOLDER}/{documents.UNIT_FOLDER}/") or rel in (
        f"{documents.FOLDER}/{documents.DISTRICT_DOCX}", f"{documents.FOLDER}/{documents.WORKBOOK}")


# One writer of docs/ at a time: `make serve` writes the documents from a thread of their own.
_WRITING = threading.Lock()


def write_tree(docs_dir: Path, files: dict[str, bytes], stats: BuildStats,
               kept: Callable[[str], bool] | None = None) -> None:
    """Write files whose bytes changed; remove files of the last build that are gone now, except
    those `kept` names (the part of docs/ another call writes: `make serve`'s documents)."""
    with _WRITING:
        _write_tree(docs_dir, files, stats, kept)


def _write_tree(docs_dir: Path, files: dict[str, bytes], stats: BuildStats,
                kept: Callable[[str], bool] | None) -> None:
    docs_dir.mkdir(parents=True, exist_ok=True)
    manifest = docs_dir / MANIFEST
    previous = (
        set(manifest.read_text(encoding="utf-8").split("\n")) if manifest.is_file() else set()
    )
    # Files of the last build another call writes: neither removed nor left out of the listing.
    others = ({rel for rel in previous - set(files) if rel and kept(rel) and (docs_dir / rel).is_file()}
              if kept is not None else set())
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
    for rel in sorted(previous - set(files) - others - {""}):
        target = docs_dir / rel
        if target.is_file():
            target.unlink()
            stats.removed.append(rel)
            parent = target.parent
            while parent != docs_dir and parent.is_dir() and not any(parent.iterdir()):
                parent.rmdir()
                parent = parent.parent
    listing = "\n".join(sorted(set(files) | others))
    if not manifest.is_file() or manifest.read_text(encoding="utf-8") != listing:
        manifest.write_text(listing, encoding="utf-8")


def build_markdown(
    campaign_path: Path, submissions_dir: Path, docs_dir: Path, found: Found | None = None,
    build_dir: Path | None = None, documents_later: bool = False,
) -> BuildStats:
    """Load, validate, aggregate and render into docs_dir (no MkDocs); raise InvalidSubmissions.

    What is kept from one build to the next (build/documents, build/verdicts, build/pages) is
    under `build_dir`: the build's --config-dir, by default build/ beside docs/.
    `documents_later`: the pages only, the documents as they are; `write_documents(docs_dir,
    stats.later())` then writes the documents."""
    cache = (build_dir or docs_dir.parent / "build") / "documents"
    files, stats = generate(campaign_path, submissions_dir, cache, found, documents_later)
    t = time.perf_counter()
    write_tree(docs_dir, files, stats, kept=is_document if documents_later else None)
    stats.timings["write"] = time.perf_counter() - t
    return stats


def write_documents(docs_dir: Path, made: dict[str, bytes]) -> BuildStats:
    """Write the documents `stats.later` made into docs_dir, leaving the pages as they are."""
    stats = BuildStats()
    write_tree(docs_dir, made, stats, kept=lambda rel: not is_document(rel))
    return stats


def site_name(stats: BuildStats) -> str:
    """The title on every page: the campaign's `site_name`, or "Báo cáo theo kế hoạch" and the
    plan's number (words that fit any plan, not only a review)."""
    from generator.escape import safe_title

    campaign = stats.result.campaign.data if stats.result and stats.result.campaign else None
    campaign = campaign or {}
    if campaign.get("site_name"):
        return safe_title(str(campaign["site_name"]))
    return safe_title(f"Báo cáo theo kế hoạch {campaign.get('plan', {}).get('number', '')}".strip())


def markdown_extensions_parsing_html() -> list[Any]:
    """mkdocs.yml's Markdown extensions as they were before generator/raw_html.py (issue 12)."""
    base = yaml.safe_load(MKDOCS_BASE.read_text(encoding="utf-8"))["markdown_extensions"]
    extensions: list[Any] = []
    for ext in base:
        if ext == "generator.raw_html":
            continue
        extensions.append(ext)
        if ext == "attr_list":
            extensions.append("md_in_html")
    return extensions


def mkdocs_config(
    stats: BuildStats,
    docs_dir: Path,
    site_dir: Path,
    config_dir: Path,
    serve_from: tuple[Path, Path] | None = None,
    parse_html: bool = False,
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
    from generator.page_html import EVERY_PAGE_BY_MARKDOWN, LEFT_OUT

    extra: dict[str, Any] = {}
    if parse_html:
        doc["markdown_extensions"] = markdown_extensions_parsing_html()
    if parse_html or os.environ.get(MARKDOWN_ENV) == "1":
        extra[EVERY_PAGE_BY_MARKDOWN] = True
    if os.environ.get(NO_DOCUMENTS_ENV) == "1":  # the links to them are not checked
        from generator import documents

        extra[LEFT_OUT] = [f"{documents.FOLDER}/{documents.UNIT_FOLDER}/",
                           *(f"{documents.FOLDER}/{name}" for name, _ in documents.DOWNLOADS)]
    if serve_from is None:
        # `make site` runs Pagefind itself once MkDocs has ended (cmd_build), not inside it.
        extra[search.INDEX_LATER] = True
    else:
        # While serving, MkDocs watches the inputs and our hook re-renders docs/ on a change.
        campaign, submissions = serve_from
        doc["watch"] = [str(campaign.resolve()), str(submissions.resolve())]
        doc["hooks"].append(str(Path(__file__).with_name("serve_hook.py")))
        extra["tongket_build"] = {
            "campaign": str(campaign.resolve()),
            "submissions": str(submissions.resolve()),
            "docs": str(docs_dir.resolve()),
            "build": str(config_dir.resolve()),
        }
    if extra:
        doc["extra"] = extra
    text = json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return path


def run_mkdocs(config: Path, serve: bool = False, dev_addr: str | None = None, dirty: bool = False) -> int:
    """Run `mkdocs build --strict` (or `mkdocs serve`) on the config; return its exit code.

    `dirty`: render only the pages whose Markdown is newer than their page in the site (the
    caller has made sure that every other page would come out as it is)."""
    cmd = [
        sys.executable,
        "-m",
        "mkdocs",
        "serve" if serve else "build",
        "--strict",
        "-f",
        str(config),
    ]
    # Not --quiet: it drops warnings before --strict counts them, so a broken link would pass.
    # publish_hook.py hides MkDocs' INFO lines of a build instead.
    if serve or dirty:
        # Rebuild only the pages whose Markdown changed; serve_hook.py keeps search complete.
        cmd.append("--dirty")
        if dev_addr:
            cmd += ["--dev-addr", dev_addr]
    # MkDocs 1.6 prints a banner about its successor on every run; it is noise in our output.
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    return subprocess.run(cmd, check=False, env=env).returncode


def _markdown(campaign: Path, submissions: Path, docs: Path, found: Found,
              build_dir: Path) -> tuple[BuildStats | None, list[str], str, str]:
    """Build docs/; return its stats without the reports' values (None if it failed), what to say
    of the warnings, and, if it failed, what to print on standard output and on standard error."""
    from generator.documents import TemplateError

    try:
        stats = build_markdown(campaign, submissions, docs, found, build_dir)
    except InvalidSubmissions as e:
        return None, [], report.as_text(e.result), "Không dựng trang vì còn lỗi; hãy sửa các lỗi trên rồi chạy lại."
    except TemplateError as e:
        return None, [], "", f"{campaign}: lỗi: {e}"
    said: list[str] = []
    if stats.result is not None and stats.result.warning_count:
        # Warnings do not stop the build and are shown on the units' pages; list a few here.
        warnings = [p for p in stats.result.problems if p.severity == "warning"]
        said += [report.safe_line(p.as_text()) for p in warnings[:WARNINGS_SHOWN]]
        if len(warnings) > WARNINGS_SHOWN:
            said.append(
                f"… và {len(warnings) - WARNINGS_SHOWN} cảnh báo nữa (xem: python -m generator validate)."
            )
    if stats.result is not None:  # every report's values stay here; the campaign is sent back
        stats.result = dataclasses.replace(stats.result, files=[])
    return stats, said, "", ""


def _say_kept(site: Path, last: dict[str, Any]) -> None:
    """What an unchanged build says: the last build's warnings and counts, and that it stopped."""
    for line in last.get("warnings") or []:
        print(line)
    print(f"Không có gì thay đổi từ lần dựng trước (báo cáo, tệp đợt báo cáo, mẫu, mã nguồn, thư viện): "
          f"{last.get('counts', '')}.")
    print(f"{KEPT}, giữ nguyên {site} (dựng lại dù vậy: thêm --force).")


# How the build names what it took from its caches (tests/test_documents.py reads "tệp Word").
REUSED = {"verdicts": "kết quả kiểm tra báo cáo", "pages": "trang đơn vị", "word": "tệp Word của đơn vị"}


def _reused(stats: BuildStats) -> str:
    """"Dùng lại từ lần dựng trước: 999/1000 kết quả kiểm tra báo cáo, …", or ""."""
    said = [f"{taken}/{total} {REUSED[what]}" for what, (taken, total) in stats.reused.items() if total]
    return f"Dùng lại từ lần dựng trước: {', '.join(said)}." if said else ""


def _write_timing(**timing: float | bool) -> None:
    if os.environ.get(TIMING_ENV):
        Path(os.environ[TIMING_ENV]).write_text(json.dumps(timing) + "\n", encoding="utf-8")


def cmd_build(args: argparse.Namespace) -> int:
    """The `build` subcommand: exit 0 built, 1 invalid data or MkDocs failed, 2 bad usage."""
    campaign: Path = args.campaign or ROOT / "campaign.yaml"
    # Every default folder is beside the campaign file (for the root campaign.yaml: as before).
    base = campaign.parent
    submissions: Path = args.submissions or base / "submissions"
    docs: Path = args.docs or base / "docs"
    site: Path = args.site or base / "site"
    config_dir: Path = args.config_dir or base / "build"
    if not campaign.is_file():
        print(f"lỗi: không tìm thấy tệp đợt báo cáo “{campaign}”", file=sys.stderr)
        return 2
    if not submissions.is_dir():
        # A mistyped folder would otherwise publish a site where no unit has reported.
        print(f"lỗi: không tìm thấy thư mục báo cáo “{submissions}”", file=sys.stderr)
        return 2
    start = time.perf_counter()
    found = find(submissions)
    stamp_path = config_dir / stamp.NAME
    sources = None if args.serve else stamp.sources(
        campaign, found.paths,
        {"submissions": submissions, "docs": docs, "site": site, "config": config_dir},
        latest_today(), found.changed,
    )
    last = stamp.read(stamp_path)
    if (not args.force and sources is not None and last.get("sources") == sources
            and last.get("outputs") == stamp.outputs(docs, site) != ""):
        _say_kept(site, last)
        elapsed = time.perf_counter() - start  # all of it: checking that nothing changed
        _write_timing(markdown=0.0, mkdocs=elapsed, documents=0.0, skipped=True, early=True,
                      fingerprint=elapsed)
        return 0
    t_fingerprint = time.perf_counter() - start
    # Validated and rendered in a process of its own, which takes every report it read with it
    # when it ends: MkDocs and then Pagefind run without it beside them (issue 19: memory).
    stats, said, out, err = fork.apart(lambda: _markdown(campaign, submissions, docs, found, config_dir))
    if stats is None:
        sys.stdout.write(out)
        print(err, file=sys.stderr)
        return 1
    for line in said:
        print(line)
    counts = (f"{stats.submitted}/{stats.units} đơn vị đã gửi báo cáo chính thức, "
              f"{stats.drafts} đơn vị đang soạn (bản nháp)")
    print(
        f"Markdown: {stats.files} tệp ({len(stats.written)} ghi mới, {stats.unchanged} không đổi, "
        f"{len(stats.removed)} xóa); {counts}."
    )
    if reused := _reused(stats):
        print(reused)
    t_markdown = time.perf_counter() - start - t_fingerprint
    config = mkdocs_config(
        stats,
        docs,
        site,
        config_dir,
        serve_from=(campaign, submissions) if args.serve else None,
        parse_html=os.environ.get(AS_BEFORE_ENV) == "1",
    )
    if args.serve:
        code = run_mkdocs(config, serve=True, dev_addr=args.dev_addr)
        if code != 0:
            print("lỗi: mkdocs không chạy được (xem thông báo ở trên).", file=sys.stderr)
            return 1
        return 0
    start = time.perf_counter()
    shell = stamp.mkdocs_shell(config)
    fingerprint = stamp.mkdocs_inputs(shell, docs)
    outputs = stamp.outputs(docs, site)
    skipped = (not args.force and last.get("mkdocs") == fingerprint
               and last.get("outputs") == outputs != "")
    # Only the pages whose Markdown changed, when every other page would come out of MkDocs as
    # it is: the same MkDocs config (nav, site name), code and packages as the last build, the
    # site as that build left it, and no page removed (a removed page's links would go stale).
    dirty = (not args.force and not skipped and last.get("shell") == shell and not stats.removed
             and (site / "index.html").is_file() and last.get("site_files") == stamp.site_files(site))
    if skipped:
        print(f"{KEPT}, giữ nguyên {site}")
    else:
        stamp_path.unlink(missing_ok=True)
        if dirty:
            pages = sum(1 for rel in stats.written if rel.endswith(".md"))
            print(f"Chỉ dựng lại {pages} trang có nội dung thay đổi; các trang khác giữ nguyên "
                  f"(dựng lại tất cả: thêm --force).")
        code = run_mkdocs(config, dirty=dirty)
        if code != 0:
            print("lỗi: mkdocs không dựng được trang (xem thông báo ở trên).", file=sys.stderr)
            return 1
        # The search index, once MkDocs has ended (it indexes the built site, not MkDocs' pages):
        # Pagefind then has the machine's memory to itself.
        try:
            search.index_site(site, everything=args.force)
        except search.SearchIndexError as e:
            print(f"lỗi: {e}", file=sys.stderr)
            return 1
        outputs = stamp.outputs(docs, site)
        print(f"Đã dựng trang vào {site}")
    stamp.write(stamp_path, {"site": str(site.resolve()), "sources": sources, "mkdocs": fingerprint,
                             "shell": shell, "site_files": stamp.site_files(site),
                             "outputs": outputs, "warnings": said, "counts": counts})
    _write_timing(markdown=t_markdown, mkdocs=time.perf_counter() - start, skipped=skipped, dirty=dirty,
                  documents=stats.timings.get("documents", 0.0), fingerprint=t_fingerprint,
                  **{f"step_{step}": seconds for step, seconds in stats.timings.items()})
    return 0


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The `build` subcommand's options."""
    p.add_argument("--serve", action="store_true", help="xem trước trang trên máy (mkdocs serve)")
    p.add_argument(
        "--force",
        action="store_true",
        help="dựng lại từ đầu (kiểm tra, tổng hợp, mkdocs) dù không có gì thay đổi từ lần dựng trước",
    )
    p.add_argument(
        "--dev-addr", default=None, help="với --serve: địa chỉ IP:CỔNG (mặc định: 127.0.0.1:8000)"
    )
    p.add_argument(
        "--campaign",
        type=Path,
        default=None,
        help="tệp đợt báo cáo (mặc định: campaign.yaml); các thư mục mặc định dưới đây nằm cạnh tệp này",
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
        help="nơi ghi cấu hình MkDocs của lần dựng và những gì giữ lại cho lần dựng sau (mặc định: build/)",
    )
