"""Whole-site build at scale: linear in the number of units, and against the way before issue 12.

    nice .venv/bin/python benchmarks/bench_site.py   # 1,000 and 3,000 units, the old way at 1,000
    nice .venv/bin/python benchmarks/bench_site.py --sizes 5000 --old-at 0

Every build is `python -m generator build` as `make site` runs it, in a process of its own, on a
synthetic corpus (benchmarks/synth.py); its wall time, its peak memory (the largest of the build
process and MkDocs under it) and the size of the built site are measured. Targets (issue 12), as
ratios of builds measured in this one run:

- linear: the build at the largest size takes at most 3.3 × (largest / smallest) / 3 of the time
  at the smallest; for 3,000 against 1,000 units that is 3.3×;
- fast: at --old-at units, the build is at least 4× faster than the same build the way before
  issue 12 (generator/site.py AS_BEFORE_ENV: Python-Markdown parses our HTML itself; until issue
  11 also Material's search plugin read all that it left out), and both built sites are byte for
  byte the same;
- nothing changed, nothing rebuilt: a second build with no change does not run MkDocs (since issue
  19 it stops before validating anything);
- the built site under 100 MB per 1,000 units;
- previews: at --serve-at units, `python -m generator build --serve` (`make serve`) shows a unit's
  edited report on its page within a few seconds, and then serves the same search index as a
  full build of the edited files;
- documents (issue 10): at --documents-at units, the build with the Word and Excel documents
  (empty cache) takes at most 1.15× the same build without them.

Both sites are built with the same SOURCE_DATE_EPOCH, so the date in sitemap.xml is the same.

Issue 19 (caches and memory), in one run on one corpus, against another commit of this project
(`--before REV`: `git archive REV` into a folder of its own, run as `python -m generator` there):

    nice .venv/bin/python benchmarks/bench_site.py --sizes 1000 --before main --old-at 0 \
        --documents-at 0 --serve-at 0

prints, for the tree at REV and for this one: the cold build, the unchanged build and the build
after one figure of one report changed (its documents' time and how many verdicts and Word files
came from the cache), and the peak memory: the largest single process (ru_maxrss) and the peak of
the sum over every process of the build at once (their proportional set sizes, sampled every
50 ms from /proc), which is what the machine must have.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.synth import make_corpus
from generator import search
from generator.site import AS_BEFORE_ENV, MARKDOWN_ENV, NO_DOCUMENTS_ENV, TIMING_ENV

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Build:
    seconds: float
    cpu: float  # user + system time of the build and MkDocs under it
    markdown: float  # ours: load, validate, aggregate, render, write docs/
    documents: float  # of which the Word and Excel documents
    mkdocs: float  # `mkdocs build` (with our hooks), or checking that nothing changed
    skipped: bool
    peak_rss: int  # bytes
    site_bytes: int
    site_files: int
    early: bool = False  # stopped before validating: its inputs were those of the last build (issue 19)
    peak_sum: int = 0  # bytes: the largest sum of the proportional set sizes of all its processes
    peak_by: str = ""  # what ran at that moment: "python 250 MiB + pagefind 900 MiB"
    reused: str = ""  # what the build says it took from its caches (issue 19)


def tree_size(root: Path) -> tuple[int, int]:
    files = [p for p in root.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


class TreeMemory:
    """The peak of the memory a process and all its descendants use at once, sampled.

    Each process's proportional set size (/proc/PID/smaps_rollup: a page shared by a forked
    pool's workers counted once in all), summed over the tree every 50 ms."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = 0
        self.at = ""
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    @staticmethod
    def _children() -> dict[int, list[int]]:
        out: dict[int, list[int]] = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            out.setdefault(ppid, []).append(int(entry))
        return out

    @staticmethod
    def _pss(pid: int) -> tuple[str, int]:
        try:
            name = Path(f"/proc/{pid}/comm").read_text().strip()
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    return name, int(line.split()[1]) * 1024
        except (OSError, ValueError, IndexError):
            pass
        return "", 0

    def _run(self) -> None:
        while not self._stop.is_set():
            children = self._children()
            tree, todo = [], [self.pid]
            while todo:
                pid = todo.pop()
                tree.append(pid)
                todo += children.get(pid, [])
            sizes = [self._pss(pid) for pid in tree]
            total = sum(size for _, size in sizes)
            if total > self.peak:
                self.peak = total
                self.at = " + ".join(f"{name} {size / 2**20:.0f}" for name, size in sizes if size)
            self._stop.wait(0.05)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def build(work: Path, out: str, old: bool = False, documents: bool = True, tree: Path = ROOT,
          force: bool = False, old_way: str = "12") -> Build:
    """`python -m generator build` of the tool in `tree` on the corpus in `work`, into
    work/<out>-docs, -site, -build."""
    timing = work / f"{out}-timing.json"
    timing.unlink(missing_ok=True)
    env = dict(os.environ, SOURCE_DATE_EPOCH="1767225600")  # 2026-01-01
    env[TIMING_ENV] = str(timing)
    env.pop(AS_BEFORE_ENV, None)
    env.pop(MARKDOWN_ENV, None)
    env.pop(NO_DOCUMENTS_ENV, None)
    env["PYTHONPATH"] = str(tree)  # this tree's package, not the one installed in the venv
    if old:
        env[AS_BEFORE_ENV if old_way == "12" else MARKDOWN_ENV] = "1"
    if not documents:
        env[NO_DOCUMENTS_ENV] = "1"
    cmd = [sys.executable, "-m", "generator", "build", *(["--force"] if force else [])]
    for opt, name in (
        ("--campaign", "campaign.yaml"),
        ("--submissions", "submissions"),
        ("--docs", f"{out}-docs"),
        ("--site", f"{out}-site"),
        ("--config-dir", f"{out}-build"),
    ):
        cmd += [opt, str(work / name)]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=tree, env=env, stdout=subprocess.PIPE, text=True)
    memory = TreeMemory(proc.pid)
    said = proc.stdout.read() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    memory.stop()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"build failed ({' '.join(cmd)}): exit code {proc.returncode}")
    t = json.loads(timing.read_text(encoding="utf-8"))
    files, size = tree_size(work / f"{out}-site")
    # ru_maxrss (kB) of a waited-for child is the largest of it and its own waited-for children.
    cpu = usage.ru_utime + usage.ru_stime
    reused = next((ln.split(": ", 1)[1] for ln in said.splitlines() if ln.startswith("Dùng lại từ")), "")
    return Build(
        seconds, cpu, t["markdown"], t.get("documents", 0.0), t["mkdocs"], t["skipped"],
        usage.ru_maxrss * 1024, size, files, bool(t.get("early")), memory.peak, memory.at, reused,
    )


def fetch(url: str) -> bytes | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return bytes(r.read())
    except OSError:
        return None


def wait_for(url: str, needle: bytes, seconds: float, proc: subprocess.Popen[bytes]) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and proc.poll() is None:
        body = fetch(url)
        if body is not None and needle in body:
            return True
        time.sleep(0.1)
    return False


def preview(work: Path) -> tuple[float, bool]:
    """Serve the corpus, edit one report; seconds until its page shows it, and is search whole?"""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cmd = [sys.executable, "-m", "generator", "build", "--serve", "--dev-addr", f"127.0.0.1:{port}"]
    for opt, name in (
        ("--campaign", "campaign.yaml"),
        ("--submissions", "submissions"),
        ("--docs", "serve-docs"),
        ("--site", "serve-site"),
        ("--config-dir", "serve-build"),
    ):
        cmd += [opt, str(work / name)]
    reports = sorted((work / "submissions").glob("*.yaml"))
    # A report from the middle that has the words the edit replaces (not every sample has them).
    report = next(r for r in reports[len(reports) // 2:] if "Đoàn viên" in r.read_text(encoding="utf-8"))
    base = f"http://127.0.0.1:{port}"
    page = f"{base}/don-vi/{report.stem}.html"
    proc = subprocess.Popen(
        cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        if not wait_for(page, report.stem.encode(), 600, proc):
            raise SystemExit("make serve did not serve the unit page")
        # The first index of the preview runs beside the server: the edit is made once it is
        # served, as a user edits a preview that is up (not while it still starts).
        if not wait_for(f"{base}/{search.BUNDLE}/{search.MANIFEST}", b"{", 600, proc):
            raise SystemExit("make serve did not index the preview")
        text = report.read_text(encoding="utf-8")
        marker = f"Tên mới {time.time_ns()}"
        report.write_text(text.replace("Đoàn viên", marker, 1), encoding="utf-8")
        start = time.perf_counter()
        if not wait_for(page, marker.encode(), 600, proc):
            raise SystemExit("make serve did not show the edit")
        seconds = time.perf_counter() - start
        build(work, "new")  # the edited files, as make site builds them
        # What the search page searches: each page's id in Pagefind, a hash of what it keeps of
        # the page (the index is in bundles, the preview's with a bundle of changes: its files
        # differ from a full build's while it serves the same pages with the same texts).
        manifest = f"{search.BUNDLE}/{search.MANIFEST}"
        expected = search.served_pages(json.loads((work / "new-site" / manifest).read_bytes()))
        deadline = time.monotonic() + 120
        same = False
        while not same and time.monotonic() < deadline:
            served = fetch(f"{base}/{manifest}")
            try:
                same = served is not None and search.served_pages(json.loads(served)) == expected
            except (ValueError, KeyError):
                same = False  # being written
            time.sleep(0.2)
        return seconds, same
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def differing_files(a: Path, b: Path) -> list[str]:
    """Files that are in one tree only or differ in their bytes."""
    names_a = {p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file()}
    names_b = {p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file()}
    diff = sorted(names_a ^ names_b)
    for name in sorted(names_a & names_b):
        if not filecmp.cmp(a / name, b / name, shallow=False):
            diff.append(name)
    return diff


def line(label: str, b: Build) -> str:
    what = ("unchanged, stopped before validating" if b.early else
            "unchanged, MkDocs not run" if b.skipped else "mkdocs build")
    return (
        f"  {label:<24} {b.seconds:7.2f} s, CPU {b.cpu:7.2f} s"
        f" (ours {b.markdown:6.2f} s, {what} {b.mkdocs:6.2f} s)"
        f"  peak {b.peak_rss / 2**20:6.0f} MiB (all processes {b.peak_sum / 2**20:6.0f} MiB)"
        f"  site {b.site_bytes / 1e6:6.1f} MB in {b.site_files} files"
    )


def tree_at(rev: str, to: Path) -> Path:
    """This project's files at commit `rev`, in a folder of their own."""
    to.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", rev], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(to)], input=archive, check=True)
    return to


def edit_one_figure(submissions: Path) -> Path:
    """Add one to the first figure of a report from the middle of the corpus; return the file."""
    reports = sorted(submissions.glob("*.yaml"))
    for report in reports[len(reports) // 2:]:
        lines = report.read_text(encoding="utf-8").split("\n")
        for i, line in enumerate(lines[20:], 20):
            m = re.fullmatch(r"(\s+(?!year:)[a-z_]+: )(\d+)", line)
            if m:
                lines[i] = f"{m.group(1)}{int(m.group(2)) + 1}"
                report.write_text("\n".join(lines), encoding="utf-8")
                return report
    raise SystemExit("no figure to edit in the corpus")


def issue_19(work: Path, n: int, trees: dict[str, Path]) -> None:
    """Cold, unchanged and one-figure-edit builds with each tree, each on its own copy of the
    corpus (its caches in build/ beside it), one tree after the other at each step."""
    copies = {}
    for label in trees:
        copies[label] = work / f"i19-{label}"
        copies[label].mkdir()
        shutil.copy(work / "campaign.yaml", copies[label] / "campaign.yaml")
        shutil.copytree(work / "submissions", copies[label] / "submissions")
    runs: dict[str, dict[str, Build]] = {label: {} for label in trees}
    for step in ("cold", "unchanged", "edit"):
        if step == "edit":
            for label in trees:
                edit_one_figure(copies[label] / "submissions")
        for label, tree in trees.items():
            runs[label][step] = b = build(copies[label], "out", tree=tree)
            print(line(f"{label}: {step}", b), flush=True)
            if b.reused:
                print(f"    reused: {b.reused}", flush=True)
    print(f"issue 19 at {n} units (load average now {os.getloadavg()[0]:.1f}); wall (CPU) seconds:")
    print(f"  {'':<7} {'cold':>15} {'unchanged':>13} {'one edit':>15} {'documents cold/edit':>20}"
          f" {'peak process':>13} {'peak all processes':>19}")
    for label in trees:
        r = runs[label]
        cells = " ".join(f"{r[k].seconds:6.2f} ({r[k].cpu:6.2f})" for k in ("cold", "unchanged", "edit"))
        print(f"  {label:<7} {cells} {r['cold'].documents:9.2f}s/{r['edit'].documents:5.2f}s"
              f" {max(b.peak_rss for b in r.values()) / 2**20:9.0f} MiB"
              f" {max(b.peak_sum for b in r.values()) / 2**20:14.0f} MiB")
        worst = max(r.values(), key=lambda b: b.peak_sum)
        print(f"  {'':<7} at the peak of all processes (MiB): {worst.peak_by}")
    for step in ("cold", "unchanged", "edit"):
        b, a = (runs[label][step] for label in trees)
        print(f"  {step}: before / after = {b.seconds / a.seconds:.2f} wall, {b.cpu / a.cpu:.2f} CPU")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--sizes", default="1000,3000", help="numbers of units, comma-separated")
    ap.add_argument(
        "--old-at", type=int, default=1000, help="also build the old way at this size (0: never)"
    )
    ap.add_argument(
        "--old-way", choices=("12", "19"), default="12",
        help="the old way of --old-at: before issue 12 (target ≥ 4), or before issue 19's own HTML"
             " (site.MARKDOWN_ENV: Python-Markdown renders every page; no target but the same site)",
    )
    ap.add_argument(
        "--serve-at", type=int, default=1000, help="also time make serve at this size (0: never)"
    )
    ap.add_argument(
        "--documents-at", type=int, default=1000,
        help="also build without the Word/Excel documents at this size and compare (0: never)",
    )
    ap.add_argument("--keep", type=Path, default=None, help="work in this folder and keep it")
    ap.add_argument(
        "--before", default=None,
        help="issue 19: cold, unchanged and one-edit builds with the tree at this commit and this one",
    )
    ap.add_argument("--before-at", type=int, default=1000, help="with --before: at this size")
    ap.add_argument("--skip-new", action="store_true",
                    help="only the --before comparison: not the builds of issues 10-12 at each size")
    args = ap.parse_args()
    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    for extra in (args.old_at, args.serve_at, args.documents_at, args.before and args.before_at):
        if extra and extra not in sizes:
            sizes = sorted({*sizes, extra})
    ok = True
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name) if args.keep is None else args.keep
        new: dict[int, Build] = {}
        for n in sizes:
            work = tmp / f"n{n}"
            make_corpus(n, work)
            print(f"{n} units:", flush=True)
            if args.before and n == args.before_at:
                issue_19(work, n, {"before": tree_at(args.before, tmp / "before-tree"), "after": ROOT})
            if args.skip_new:
                continue
            new[n] = build(work, "new")
            print(line("build", new[n]), flush=True)
            again = build(work, "new")
            print(line("again, nothing changed", again), flush=True)
            if not again.skipped:
                ok = False
                print("  !! the second build ran MkDocs again")
            if n == args.old_at:
                old = build(work, "old", old=True, old_way=args.old_way)
                print(line(f"the old way (issue {args.old_way})", old), flush=True)
                diff = differing_files(work / "old-site", work / "new-site")
                speedup = old.seconds / new[n].seconds
                print(
                    f"old way / new at {n} units = {speedup:6.2f}  ("
                    + ("target ≥ 4; " if args.old_way == "12" else "") + "CPU time:"
                    f" {old.cpu / new[n].cpu:.2f})\n"
                    f"built sites differing in   = {len(diff):6d} files (target 0)"
                    + "".join(f"\n    {d}" for d in diff[:20])
                )
                ok = ok and (speedup >= 4 or args.old_way != "12") and not diff
            if n == args.documents_at:
                without = build(work, "nodocs", documents=False)
                print(line("without the documents", without), flush=True)
                ratio = new[n].seconds / without.seconds
                share = new[n].seconds / (new[n].seconds - new[n].documents)
                print(
                    f"with / without documents at {n} units = {ratio:6.3f}  (target ≤ 1.15; CPU time:"
                    f" {new[n].cpu / without.cpu:.3f}); documents {new[n].documents:.2f} s of the"
                    f" build, build / (build - documents) = {share:.3f}; nothing changed, cached:"
                    f" documents {again.documents:.2f} s",
                    flush=True,
                )
                ok = ok and ratio <= 1.15
            if n == args.serve_at:
                seconds, same = preview(work)
                print(
                    f"make serve at {n} units: an edited report on its page after {seconds:.2f} s;"
                    f" search index the same as a full build's: {same}",
                    flush=True,
                )
                ok = ok and same
        if len(sizes) > 1 and not args.skip_new:
            small, large = sizes[0], sizes[-1]
            ratio = new[large].seconds / new[small].seconds
            target = 3.3 * (large / small) / 3
            print(
                f"build at {large} / at {small} units = {ratio:6.2f}  (target ≤ {target:.2f};"
                f" {large / small:.1f}× the units; CPU time: {new[large].cpu / new[small].cpu:.2f})"
            )
            ok = ok and ratio <= target
        for n in sizes if not args.skip_new else ():
            per_1000 = new[n].site_bytes / 1e6 / n * 1000
            print(f"site size per 1,000 units at {n} = {per_1000:6.1f} MB (target < 100)")
            ok = ok and per_1000 < 100
    print("all targets met" if ok else "NOT all targets met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
