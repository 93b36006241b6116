"""Escaping: a unit's text as HTML that Markdown passes through as it is.

Every `{{ expression }}` of the site's templates goes through `text` (render.py's finalize);
`narrative` turns plain text into paragraphs and lists; `safe_title` makes a page title safe for
MkDocs' own templates, which print it unescaped. See render.py's docstring for why this is safe.
"""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup

# One pass over the characters: HTML's specials, then whatever Markdown, attr_list, pymdownx or
# a template engine downstream could take for syntax. Entities render as the same characters.
_ESCAPES = {c: f"&#{ord(c)};" for c in "\"'`*_[]{}#|~^=\\:$%!+"}
_ESCAPES.update({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
# A regex finds the few characters to replace; str.translate is ten times slower on non-ASCII text.
_SPECIAL = re.compile("[" + re.escape("".join(_ESCAPES)) + "]")
_BLANK_LINE = re.compile(r"\n\s*\n")


def _entity(m: re.Match[str]) -> str:
    return _ESCAPES[m.group()]


def escape(s: str) -> str:
    """HTML's specials and every character Markdown could read as syntax, as entities."""
    return _SPECIAL.sub(_entity, s)


def text(value: Any) -> Markup:
    """Escape one value for HTML and Markdown; line breaks stay line breaks."""
    s = escape(str(value).replace("\r\n", "\n").replace("\r", "\n"))
    return Markup("<br>".join(s.split("\n")))


def _bullet(line: str) -> str | None:
    """The item text if `line` is a bullet ("- item", or "• item" pasted from a word processor)."""
    stripped = line.lstrip()
    if len(stripped) > 1 and stripped[0] in "-•" and stripped[1] in " \t":
        return stripped[2:].strip()
    return None


def narrative(value: Any) -> Markup:
    """Turn plain text (blank-line paragraphs, "- " bullets) into escaped <p> and <ul> HTML.

    A text not written yet (only a draft may have one) says so.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return Markup('<p class="unfilled">Chưa viết.</p>')
    # Escaping first, once for the whole text, is safe: it changes neither "-", "•", spaces
    # nor newlines, which are all the structure read below.
    s = escape(str(value or "").replace("\r\n", "\n").replace("\r", "\n"))
    out: list[str] = []
    for block in _BLANK_LINE.split(s.strip()):
        # Consecutive lines of one kind form one run: a paragraph (lines kept apart by <br>)
        # or a list. A wrapped bullet's indented continuation joins its item.
        runs: list[tuple[str, list[str]]] = []
        for line in block.split("\n"):
            if not line.strip():
                continue
            item = _bullet(line)
            if item is not None:
                if runs and runs[-1][0] == "ul":
                    runs[-1][1].append(item)
                else:
                    runs.append(("ul", [item]))
            elif runs and runs[-1][0] == "ul" and line.startswith((" ", "\t")):
                runs[-1][1][-1] += " " + line.strip()
            elif runs and runs[-1][0] == "p":
                runs[-1][1].append(line.strip())
            else:
                runs.append(("p", [line.strip()]))
        for kind, lines in runs:
            if kind == "p":
                out.append("<p>" + "<br>".join(lines) + "</p>")
            else:
                out.append("<ul><li>" + "</li><li>".join(lines) + "</li></ul>")
    return Markup("".join(out))


def safe_title(s: str) -> str:
    """A page title for MkDocs' own templates, which do not escape it: drop what HTML could read."""
    return re.sub(r"[<>&\"'`\\]", "", s).replace("\n", " ").strip() or "—"
