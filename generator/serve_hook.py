"""MkDocs hook for `build --serve`: regenerate docs/ whenever a submission or the campaign changes.

`mkdocs serve` watches the submissions folder and the campaign file (see site.mkdocs_config) and
rebuilds; before each rebuild this hook re-renders the Markdown, which rewrites only files whose
content changed. Invalid data is reported in the serve log and the last good pages stay up.
The nav is part of the MkDocs config, so a unit submitting for the first time reaches the nav
after serve is restarted; its page and every table include it at once.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from generator import report
from generator.documents import TemplateError
from generator.site import InvalidSubmissions, build_markdown

log = logging.getLogger("mkdocs.plugins.tongket")
CONFIG_KEY = "tongket_build"


def on_pre_build(config: Any, **kwargs: Any) -> None:
    opts = (config.get("extra") or {}).get(CONFIG_KEY)
    if not opts:
        return
    try:
        stats = build_markdown(
            Path(opts["campaign"]), Path(opts["submissions"]), Path(opts["docs"])
        )
    except InvalidSubmissions as e:
        log.warning("Báo cáo có lỗi, trang chưa được cập nhật:\n%s", report.as_text(e.result))
        return
    except TemplateError as e:  # the Word template named in campaign.yaml
        log.warning("Trang chưa được cập nhật: %s", e)
        return
    if stats.written or stats.removed:
        log.info("Đã cập nhật %d tệp, xóa %d tệp Markdown.", len(stats.written), len(stats.removed))
