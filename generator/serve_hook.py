"""MkDocs hook for `build --serve`: regenerate docs/ whenever a submission or the campaign changes.

`mkdocs serve` watches the submissions folder and the campaign file (see site.mkdocs_config) and
rebuilds; before each rebuild this hook re-renders the Markdown, which rewrites only files whose
content changed. Invalid data is reported in the serve log and the last good pages stay up.
The nav is part of the MkDocs config, so a unit submitting for the first time reaches the nav
after serve is restarted; its page and every table include it at once.

Serve runs MkDocs with --dirty: a rebuild renders only the pages whose Markdown changed (one
unit's edit touches its page, the summary pages and the section pages that quote it), so the
preview follows an edit within seconds even with thousands of units. Two things a dirty build
gets wrong is put right here: a page whose Markdown was removed (a unit's file deleted) is
removed from the preview too, before publish_hook has the search index brought up to date with
the preview (search.index_site: the pages changed or gone since the last index, so search covers
every page, rebuilt or not).

The Word and Excel documents of an edit (the unit's own, the district's draft and workbook,
which read every report) are made after the pages are written, in a thread beside the server
(`_Documents`): the edited page is served without waiting for them, and they follow seconds
later. When a page would link to a document not made yet (the first build, a new unit), the
documents are made before the pages are served.

MkDocs' warning that a dirty build may leave links stale is dropped by publish_hook.py.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any

from mkdocs.plugins import event_priority

from generator import report
from generator.documents import TemplateError
from generator.site import InvalidSubmissions, build_markdown, write_documents

log = logging.getLogger("mkdocs.plugins.tongket")
CONFIG_KEY = "tongket_build"

_removed: list[str] = []  # Markdown files removed by this build's re-rendering
_rendered_from: list[object] = []  # the inputs as they were when docs/ was last rendered


def _inputs(campaign: Path, submissions: Path) -> object:
    """Name, size and modification time of the campaign file and every file in submissions/."""
    files = [campaign, *sorted(p for p in submissions.rglob("*") if p.is_file())]
    return [(str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in files if p.is_file()]


def on_pre_build(config: Any, **kwargs: Any) -> None:
    _removed.clear()
    opts = (config.get("extra") or {}).get(CONFIG_KEY)
    if not opts:
        return
    # Our own writes to docs/ make MkDocs' watcher rebuild once more: no need to render again.
    inputs = _inputs(Path(opts["campaign"]), Path(opts["submissions"]))
    if _rendered_from == [inputs]:
        return
    try:
        stats = build_markdown(
            Path(opts["campaign"]), Path(opts["submissions"]), Path(opts["docs"]),
            build_dir=Path(opts["build"]) if opts.get("build") else None, documents_later=True,
        )
    except InvalidSubmissions as e:
        log.warning("Báo cáo có lỗi, trang chưa được cập nhật:\n%s", report.as_text(e.result))
        return
    except TemplateError as e:  # the Word template named in campaign.yaml
        log.warning("Trang chưa được cập nhật: %s", e)
        return
    _rendered_from[:] = [inputs]
    _removed.extend(stats.removed)
    if stats.written or stats.removed:
        log.info("Đã cập nhật %d tệp, xóa %d tệp Markdown.", len(stats.written), len(stats.removed))
    if stats.later is not None:
        docs = Path(opts["docs"])
        if all((docs / rel).is_file() for rel in stats.later_paths):
            _documents.request(stats.later, docs)  # the pages are served first
        else:  # a page would link to a document not made yet (the first build, a new unit)
            _removed.extend(write_documents(docs, stats.later()).removed)


class _Documents:
    """The Word and Excel documents of the last rendering, made after its pages are served.

    An edit changes the district's draft and workbook (they read every report: ~2 s each at
    1,000 units) and the unit's own Word file: the preview shows the edited page without waiting
    for them, and they follow a few seconds later (their files in docs/ change, and MkDocs'
    watcher copies them into the preview). One run at a time; a rendering during a run replaces
    the one waiting, and a run whose rendering is no longer the last does not write."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._job: tuple[Callable[[], dict[str, bytes]], Path] | None = None
        self._running = False

    def request(self, make: Callable[[], dict[str, bytes]], docs: Path) -> None:
        with self._lock:
            self._job = (make, docs)
            if not self._running:
                self._running = True
                threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        while True:
            with self._lock:
                job, self._job = self._job, None
                if job is None:
                    self._running = False
                    return
            make, docs = job
            try:
                made = make()
            except Exception as e:  # the preview goes on; the next edit tries again
                log.warning("Chưa cập nhật được tài liệu Word, Excel: %s", e)
                continue
            with self._lock:
                if self._job is not None:
                    continue  # a later rendering's documents come next
            written = write_documents(docs, made)
            if written.written or written.removed:
                log.info("Đã cập nhật %d tài liệu Word, Excel.", len(written.written))


_documents = _Documents()


@event_priority(-60)  # before publish_hook (-100) indexes the site for search
def on_post_build(config: Any, **kwargs: Any) -> None:
    site = Path(config["site_dir"])
    for rel in _removed:
        page = PurePosixPath(rel)
        built = site / (page.with_suffix(".html") if page.suffix == ".md" else page)
        built.unlink(missing_ok=True)
