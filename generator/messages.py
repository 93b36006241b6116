"""Message texts the validator composes around a value, read from schema/messages.json.

The web editor (editor/messages.js) reads the same file, so the CLI and the browser say the
same words; rules.yaml holds the cross-field rules' own messages.
"""

from __future__ import annotations

import functools
import json
import math
from decimal import Decimal
from typing import Any

from generator.schema import SCHEMA_DIR

MESSAGES_FILE = SCHEMA_DIR / "messages.json"


@functools.cache
def _catalogue() -> dict[str, Any]:
    with open(MESSAGES_FILE, encoding="utf-8") as f:
        doc: dict[str, Any] = json.load(f)
    return doc


def say(name: str, /, **values: Any) -> str:
    """Return message `name` with its {placeholders} filled in."""
    template: str = _catalogue()["messages"][name]
    if not values:
        return template
    return template.format(**{k: number_text(v) if isinstance(v, float) else v for k, v in values.items()})


def number_text(x: float) -> str:
    """A float in positional notation with the shortest digits that read back as it: 0.00001,
    not 1e-05; 100000000000000000.0, not 1e+17. editor/src/messages.js's PyFloat writes the same."""
    text = repr(x)
    if "e" not in text or not math.isfinite(x):
        return text
    text = format(Decimal(text), "f")
    return text if "." in text else text + ".0"


def type_name(json_type: str) -> str:
    """The Vietnamese words for a JSON type ("một số nguyên"); unknown types as they are."""
    names: dict[str, str] = _catalogue()["type_names"]
    return names.get(json_type, json_type)


def syntax_hints() -> list[tuple[str, str]]:
    """libyaml's English error messages (a part of each) and what to do, in Vietnamese."""
    return [(needle, hint) for needle, hint in _catalogue()["syntax_hints"]]
