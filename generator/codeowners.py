"""Render .github/CODEOWNERS from the campaign file, so reviews are requested from the right people.

GitHub reads CODEOWNERS from the repository itself, so this generated file is committed (the one
exception to "generated files are never committed"); a test fails when it is out of date.
CODEOWNERS only requests reviews; `check-ownership` is what stops one unit editing another's file.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.ownership import SUBMISSIONS_DIR, Roster

PATH = ".github/CODEOWNERS"

_HEADER = """\
# Tạo tự động từ campaign.yaml bằng lệnh `python -m generator codeowners` (hoặc `make codeowners`).
# Đừng sửa tay: hãy sửa campaign.yaml rồi chạy lại lệnh; bài kiểm tra báo lỗi khi tệp này cũ.
# GitHub áp dụng dòng khớp cuối cùng: mọi tệp thuộc người duyệt, trừ báo cáo của từng đơn vị,
# thuộc tài khoản của đơn vị đó cùng người duyệt.
"""


def _owners(logins: list[str]) -> str:
    seen: dict[str, str] = {}
    for login in logins:
        seen.setdefault(login.lower(), login)
    return " ".join(f"@{x}" for x in seen.values())


def render(campaign: Mapping[str, Any]) -> str:
    """The text of CODEOWNERS for `campaign`: `*` to the reviewers, each unit's file to its editors too."""
    roster = Roster.from_campaign(campaign)
    reviewers = list(roster.reviewers)
    lines = [_HEADER, f"* {_owners(reviewers)}".rstrip(), ""]
    for uid, editors in roster.editors.items():
        # `.y*ml`: the ownership check accepts a unit's file as .yaml or .yml, so must this.
        lines.append(f"/{SUBMISSIONS_DIR}/{uid}.y*ml {_owners([*editors, *reviewers])}".rstrip())
    return "\n".join(lines) + "\n"
