"""The wording of the documents' header and signature block, from campaign.yaml.

Every field of the campaign's optional `documents` mapping has a default drawn from the fields a
campaign already has, so an older campaign file still gets sensible documents.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Any

from generator.outline import current

DOTS = "……"


@dataclass(frozen=True)
class Letterhead:
    """What the top and the bottom of a report say."""

    superior: str  # above the issuing body ("TỈNH ĐOÀN THANH HÓA")
    issuer: str  # the district's issuing body ("BCH Đoàn huyện Thọ Xuân")
    unit_superior: str  # above a unit's issuing body, in a unit's report
    number: str  # the district report's number line, after "Số: "
    place: str
    subject: str
    on_behalf: str
    signer_title: str
    signer_name: str
    recipients: list[str] = field(default_factory=list)
    unit_recipients: list[str] = field(default_factory=list)
    motto: str = "Đoàn TNCS Hồ Chí Minh"

    def at(self, place: str) -> Letterhead:
        """The same wording, dated from another place (a unit's own, from the roster)."""
        return dataclasses.replace(self, place=place) if place else self

    def number_line(self, district: bool) -> str:
        """"161-KH/ĐTN" style: the district's number, or a blank one for the unit to fill in."""
        if district:
            return self.number
        return f"{DOTS}-BC/ĐTN"

    def date_line(self, iso: str) -> str:
        """"ngày 15 tháng 01 năm 2021", or dots to fill in by hand."""
        y, m, d = (iso.split("-") + ["", "", ""])[:3] if iso else ("", "", "")
        if not (y and m and d):
            return f"ngày {DOTS} tháng {DOTS} năm {DOTS}"
        return f"ngày {d} tháng {m} năm {y}"


_PLACE = re.compile(r"(?:huyện|thị xã|thành phố|quận|tỉnh)\s+(.+)$", re.IGNORECASE)


def letterhead(campaign: dict[str, Any]) -> Letterhead:
    """Read the campaign's `documents` settings, filling in what it leaves out."""
    docs: dict[str, Any] = dict(campaign.get("documents") or {})
    plan = campaign.get("plan") or {}
    issuer = str(docs.get("issuer") or plan.get("issuer") or "")
    m = _PLACE.search(issuer)
    place = str(docs.get("place") or (m.group(1) if m else DOTS))
    number = str(plan.get("number") or "")
    # "161-KH/ĐTN" → "……-BC/ĐTN": a report of the same body, its number to be given.
    suffix = number.split("/", 1)[1] if "/" in number else "ĐTN"
    title = str(plan.get("title") or "")
    subject = str(docs.get("subject") or re.sub(r"^\s*Kế hoạch\s+", "", title).strip())
    subject = subject[:1].upper() + subject[1:]
    reviewing = str(campaign.get("reviewing_organisation") or issuer)
    return Letterhead(
        superior=str(docs.get("superior") or ""),
        issuer=issuer,
        unit_superior=str(docs.get("unit_superior") or issuer),
        number=str(docs.get("number") or f"{DOTS}-BC/{suffix}"),
        place=place,
        subject=subject,
        on_behalf=str(docs.get("on_behalf") or f"TM. {reviewing}"),
        signer_title=str(docs.get("signer_title") or "Bí thư"),
        signer_name=str(docs.get("signer_name") or ""),
        recipients=[str(r) for r in docs.get("recipients") or ["Lưu VP."]],
        unit_recipients=[
            str(r) for r in docs.get("unit_recipients") or [f"{reviewing} (b/c);", "Lưu VP."]
        ],
    )


def standing_counts() -> tuple[tuple[str, ...], ...]:
    """Where a report counts its Standing Committee (BTV): the fields the schema marks with
    `x-standing-committee`. The editor's print view ("Bản in") reads the same paths and words
    (generator/editor.py), so the paper a unit prints from its phone signs as its Word file does."""
    return current().standing_counts
ON_BEHALF_STANDING = "TM. BAN THƯỜNG VỤ"
ON_BEHALF_EXECUTIVE = "TM. BAN CHẤP HÀNH"
DEPUTY_PREFIX = "phó bí thư"
DEPUTY_LINE = "KT. Bí thư"
