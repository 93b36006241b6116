"""How a number is written on pages, charts, CSV, Word and Excel: the Vietnamese way (1.536;
78,5), every decimal the unit wrote and no more, never float noise (1234567.8899999999) nor an
exponent (1e-05). One module that render.py, charts.py and documents/ import (issue 16).
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any


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
