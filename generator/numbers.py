"""Values as the pages, charts, CSV files and documents show them: numbers the Vietnamese way
(1.536; 78,5), every decimal the unit wrote and no more, never float noise (1234567.8899999999)
nor an exponent (1e-05); dates as dd/mm/yyyy, choices by their label; and numbers as spreadsheet
cells."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from generator.schema import enum_options


def denoise(value: float) -> float | int:
    """A float without the noise of sums (0.1 + 0.2 is 0.3): 15 significant digits, the most a
    double holds exactly; a whole number as an int. The one rounding of pages, CSV, Word, Excel."""
    if not math.isfinite(value):
        return value
    value = float(f"{value:.15g}")
    return int(value) if value.is_integer() else value


def plain_decimal(value: float) -> str:
    """A decimal as the unit wrote it: the shortest digits that read back as it, never in exponent
    notation (0.00001, 999999999.99), after denoise. The one decimal text of pages and CSV."""
    v = denoise(value)
    if isinstance(v, int):
        return str(v)
    text = repr(v)
    if "e" in text:
        text = format(Decimal(text), "f")
    return text


def number(value: Any, group: bool = True) -> str:
    """Format a number the Vietnamese way (1.536; 78,5); None is "—": not given, never zero."""
    if value is None:
        return "—"
    if isinstance(value, (bool, str)):
        return str(value)
    if isinstance(value, float):
        value = denoise(value)
    if isinstance(value, int):
        s = f"{value:,}" if group else str(value)
        return s.replace(",", ".")
    # Every decimal the unit wrote (1.255 million VND is 1.255.000 đồng, not 1,26), and no more:
    # never float noise (999.999.999,99, not …,9900000095) nor an exponent.
    whole, _, frac = plain_decimal(value).partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = f"{int(whole.lstrip('-')):,}".replace(",", ".") if group else whole.lstrip("-")
    return f"{sign}{whole},{frac}"


def date_vi(iso: str) -> str:
    """2021-01-15 → 15/01/2021."""
    y, m, d = (iso.split("-") + ["", "", ""])[:3]
    return f"{d}/{m}/{y}" if d else iso


def spreadsheet_number(value: Any) -> float | int | None:
    """The number to store in a spreadsheet cell, or None when the value is not a number."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, float):
        return denoise(value)  # as written: only the float noise of sums goes
    return value


def value_text(value: Any, node: dict[str, Any]) -> str:
    """A value the unit wrote, as text by what its schema says: a number the Vietnamese way (a
    year without a thousands dot), a choice by its label, a date as dd/mm/yyyy. The one reading
    of the pages' cells and the documents' plain text (they add "—", "no data" and narratives)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return number(value, group=node.get("minimum") != 1900)
    if "oneOf" in node or "enum" in node:  # checked first: enum_options is slow for every cell
        return str(dict(enum_options(node) or []).get(value, value))
    if node.get("format") == "date":
        return date_vi(str(value))
    return str(value)
