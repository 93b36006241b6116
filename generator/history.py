"""When each report last changed: the date of the last commit that touched its file.

One `git log` over the submissions folder gives every file's last commit date in one pass (a
process per file would cost seconds at 1,000 units). A file git does not know, or one changed
since its last commit, was changed "today": the build date. Outside a git checkout, or without
git, every file gets the build date. The same inputs and history give the same dates, so builds
stay deterministic.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

VIETNAM = dt.timezone(dt.timedelta(hours=7))


def today() -> dt.date:
    """The build date, in Vietnam."""
    return dt.datetime.now(VIETNAM).date()


def _git(args: list[str], cwd: Path) -> str | None:
    try:
        r = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    return r.stdout if r.returncode == 0 else None


def last_changed(files: list[Path]) -> dict[Path, dt.date]:
    """The date each file last changed, by resolved path."""
    build_day = today()
    resolved = [f.resolve() for f in files]
    out = {f: build_day for f in resolved}
    if not resolved:
        return out
    folders = sorted({f.parent for f in resolved})
    for folder in folders:
        top = _git(["rev-parse", "--show-toplevel"], folder)
        if top is None:
            continue
        root = Path(top.strip())
        wanted = {f for f in resolved if f.parent == folder}
        # Newest commit first: the first date seen for a file is its last change.
        log = _git(["log", "--format=%x00%cI", "--name-only", "--no-renames", "--", "."], folder)
        dirty = _git(["status", "--porcelain", "--untracked-files=all", "--", "."], folder)
        if log is None:
            continue
        seen: dict[Path, dt.date] = {}
        day: dt.date | None = None
        for line in log.splitlines():
            if line.startswith("\0"):
                day = dt.datetime.fromisoformat(line[1:].strip()).astimezone(VIETNAM).date()
            elif line.strip() and day is not None:
                path = (root / line.strip()).resolve()
                if path in wanted and path not in seen:
                    seen[path] = day
        changed = {(root / ln[3:].strip().strip('"')).resolve() for ln in (dirty or "").splitlines()
                   if len(ln) > 3}
        for f in wanted:
            if f in seen and f not in changed:
                out[f] = seen[f]
    return out
