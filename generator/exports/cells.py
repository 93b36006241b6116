"""Cells of the CSV downloads, and the zip of the reports' JSON: byte for byte the same for the
same input, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Any

from generator.numbers import plain_decimal, spreadsheet_number


def write_csv(header: list[str], rows: list[list[Any]]) -> str:
    buf = io.StringIO()
    # A BOM so that spreadsheet programs read the Vietnamese as UTF-8; "\n" for identical bytes
    # on every platform.
    buf.write("\ufeff")
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows([csv_cell(v) for v in row] for row in rows)
    return buf.getvalue()


class DecimalText(str):
    """A decimal number already written as text (plain_decimal): a number, not a formula."""


def csv_cell(v: Any) -> Any:
    """A text a spreadsheet would run as a formula ("=HYPERLINK(…)") is kept as text by a "'"."""
    if isinstance(v, str) and not isinstance(v, DecimalText) and v[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + v
    return v


def csv_value(v: Any) -> Any:
    """A value as a spreadsheet cell: a whole number without ".0", a decimal as written."""
    if v is None:
        return ""
    n = spreadsheet_number(v)  # as written; only the float noise of sums goes, never an exponent
    if isinstance(n, float):
        return DecimalText(plain_decimal(n))
    return n if n is not None else v


def zip_one(name: str, data: bytes) -> bytes:
    """A zip archive of one file, byte-identical for the same input (fixed date and mode)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        archive.writestr(info, data, compresslevel=3)  # level 6 is 2.5× slower for 20% less
    return buf.getvalue()
