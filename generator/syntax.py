"""Where a report the YAML parser refused went wrong, found on its lines (schema/FORMAT.md).

libyaml (the CLI) and the `yaml` package (the web editor) stop at different places, in their
own words, for the same mistake: a line indented one space too many or too few, a line swapped
or repeated, a quote or bracket left open. So when either parser refuses a file, both sides
look for the mistake with this one scan of the lines, which follows the blocks of the file as a
person reads them, and say what it finds in the same words, at the same line.
`editor/src/syntax.js` is the same scan, line for line; keep the two alike.

The scan only speaks for a file the parser refused, and finds the first line where the file
stops being a report: a line deeper than the items above it at the same level or between two
levels, a list item among keys (or the reverse), a line of text with no `key:`, a paragraph
under `|` not indented, a quote or bracket left open, a `: ` inside a plain value, a comment
glued to a value, a Tab. Where it finds none, the parser's own place and advice stand.

Its reading of `[ ]`/`{ }` lists also speaks for a file the parsers read (`Flows`), where they
read a list differently; and `flow_too_deep` refuses brackets nested too deep before parsing.
Both read the text through `structure`, the one quote-aware reading of it on this side.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Iterator

from generator.messages import say, syntax_hints

# A line that reads as `key:` (or `- key:`): a quoted text or a bracket spanning such a line has
# swallowed the next field. ASCII only, as the editor's regular expression reads it.
KEY_LIKE = re.compile(r" *(?:- +)?[A-Za-z0-9_.-]+:(?: |$)")
BLOCK_HEADER = re.compile(r"[|>][0-9+-]*")
_BRACKET = re.compile(r"[\[{]")
# "\uD800", "\U0000DE00": half of a UTF-16 pair, which libyaml stops at (FORMAT.md).
SURROGATE_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*\\(?:u|U0000)[dD][89a-fA-F][0-9a-fA-F]{2}")

Found = tuple[int, int, str, str]  # line and column (1-based), message, code


@functools.cache
def _hint(needle: str) -> str:
    return dict(syntax_hints()).get(needle, "")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _blank(line: str) -> bool:
    s = line.lstrip(" ")
    return s == "" or s.startswith("#")


def _key_end(rest: str) -> int:
    """The index just past the `:` of `key:` at the start of `rest`, or -1 if `rest` is no key."""
    i = 0
    while i < len(rest) and rest[i] in "&!":  # an anchor or a tag before the key (refused later)
        j = rest.find(" ", i)
        if j < 0:
            return -1
        i = j
        while i < len(rest) and rest[i] == " ":
            i += 1
    if i >= len(rest) or rest[i] in "#[]{},|>*%@`":
        return -1
    if rest[i] in "\"'":
        end = _closing(rest, i + 1, rest[i])
        if end < 0:
            return -1
        j = end + 1
        while j < len(rest) and rest[j] == " ":
            j += 1
        return j + 1 if rest[j:j + 1] == ":" and rest[j + 1:j + 2] in ("", " ", "\t") else -1
    for j in range(i, len(rest)):
        c = rest[j]
        if c == ":" and rest[j + 1:j + 2] in ("", " ", "\t"):
            return j + 1
        if c == "#" and j > i and rest[j - 1] in " \t":
            return -1
    return -1


def _tail(line: str, at: int, lineno: int) -> Found | None:
    """What follows a closed quote or bracket on its line: nothing, or a comment after a space."""
    rest = line[at:]
    s = rest.lstrip(" \t")
    if s == "":
        return None
    if s.startswith("#"):
        if s == rest:
            return (lineno + 1, at + 1, say("yaml.comment-space"), "yaml.syntax")
        return None
    return None if s.startswith(":") else (lineno + 1, len(line) - len(s) + 1, say("yaml.syntax-other"), "yaml.syntax")


def _closing(text: str, start: int, q: str) -> int:
    """The index of the quote `q` that closes a quoted text going on from `start`, or -1. In a
    single-quoted text `''` is a quote; in a double-quoted one, a quote after an odd run of
    backslashes is escaped."""
    i = start
    while (i := text.find(q, i)) >= 0:
        if q == "'":
            if text[i + 1:i + 2] != "'":
                return i
            i += 2
            continue
        k = i
        while k > start and text[k - 1] == "\\":
            k -= 1
        if (i - k) % 2 == 0:
            return i
        i += 1
    return -1


_FINDERS: dict[str, re.Pattern[str]] = {}


def structure(text: str, start: int = 0, chars: str = "^ \t") -> Iterator[tuple[int, str]]:
    """Each character of `text` from `start` that is outside quoted texts and comments and in the
    regular expression class `chars` (every one but blanks, by default), with its index: a quoted
    text gives its opening quote only, a comment nothing (its line's end, if wanted, comes next).

    The one quote-aware reading of the text, for the brackets of a `[ ]`/`{ }` list (the scan
    below, and `flow_too_deep` before parsing); editor/src/syntax.js's `structure` is the same.
    """
    find = _FINDERS.get(chars) or _FINDERS.setdefault(chars, re.compile(f"[\"'#]|[{chars}]"))
    i = start
    while (m := find.search(text, i)) is not None:
        i, c = m.start(), m.group()
        if c in "\"'":
            yield i, c
            i = _closing(text, i + 1, c)
            if i < 0:
                return
            i += 1
        elif c == "#" and (i == 0 or text[i - 1] in " \t\n"):
            i = text.find("\n", i)
            if i < 0:
                return
        else:
            yield i, c
            i += 1


MAX_FLOW_DEPTH = 100  # `[[[…` past this is refused before parsing (libyaml stops at 1,000, the editor's
# reader earlier, each in its own words); up to it, load.py's limit of 20 levels speaks.


def flow_too_deep(text: str) -> int | None:
    """Where `[` or `{` opens the (MAX_FLOW_DEPTH + 1)th level, quotes and comments aside."""
    depth = 0
    for i, c in structure(text, 0, r"\[\]{}"):
        if c in "[{":
            depth += 1
            if depth > MAX_FLOW_DEPTH:
                return i
        elif c in "]}":
            depth = max(0, depth - 1)
    return None


class _Scan:
    def __init__(self, text: str) -> None:
        self.lines = [x.removesuffix("\r") for x in text.split("\n")]
        self.text = "\n".join(self.lines)  # the lines, to be read across for quotes and brackets
        self.starts = list(itertools.accumulate((len(x) + 1 for x in self.lines[:-1]), initial=0))  # where each line starts in it
        self.levels: list[list[int]] = []  # open blocks: [indent, 1 for a list, 0 for keys, the last line at it]
        self.expect: tuple[int, bool] | None = None  # a `key:` or `-` waiting for its block: (its column, a key?)
        self.last = (0, 0)  # the last line placed (index) and its innermost column
        self.empty_block: tuple[str, int] | None = None  # `key: |` whose paragraph had no line
        self.value_of = -1  # the column of the key whose value starts on this line
        self.key = ""  # the last key read
        self.ended = False  # after a `...` line

    def run(self) -> Found | None:
        lines = self.lines
        i = 0
        started = False
        while i < len(lines):
            raw = lines[i]
            s = raw.lstrip(" ")
            n = len(raw) - len(s)
            if s == "" or s.startswith("#"):
                i += 1
                continue
            if n == 0 and s[:3] in ("---", "...") and (len(s) == 3 or s[3] in " \t"):
                if not started and s[:3] == "---" and _blank(s[3:]):
                    i += 1
                    continue
                if not started and s[:3] == "---" and s[3] == " ":  # `--- key: value`
                    return (i + 1, n + len(s) - len(s[3:].lstrip(" ")) + 1, say("yaml.syntax-document-start"), "yaml.syntax")
                if s[:3] == "---":  # a second document
                    return (i + 1, 1, say("yaml.syntax-hint", hint=_hint("expected a single document"), where=""), "yaml.syntax")
                rest = s[3:].lstrip(" \t")
                if rest and not rest.startswith("#"):
                    return (i + 1, len(raw) - len(rest) + 1, say("yaml.syntax-hint", hint=_hint("expected a single document"), where=""), "yaml.syntax")
                self.ended = True
                i += 1
                continue
            if self.ended:  # content after `...`, the end of the report
                return (i + 1, n + 1, say("yaml.syntax-hint", hint=_hint("expected a single document"), where=""), "yaml.syntax")
            started = True
            if s.startswith("\t"):
                return (i + 1, n + 1, say("yaml.syntax-tab"), "yaml.syntax")
            found = self.place(i, n, s)
            if found is not None:
                return found
            if self.value_of >= 0:
                parent, self.value_of = self.value_of, -1
                found, i = self.value(i, n, s, parent, self.key)
            else:
                found, i = self.line(i, n, s)
            if found is not None:
                return found
        return None

    def indent_problem(self, i: int, n: int) -> Found:
        line, there = self.last
        return (i + 1, n + 1, say("yaml.syntax-indent", here=n, line=line + 1, there=there), "yaml.syntax")

    def place(self, i: int, n: int, s: str) -> Found | None:
        """Fit line `i` (indented `n`) into the open blocks, or say why it does not fit."""
        item = 1 if s == "-" or s.startswith("- ") else 0
        empty, self.empty_block = self.empty_block, None
        levels = self.levels
        if self.expect is not None:
            col, under_key = self.expect
            self.expect = None
            if n > col and not item and _key_end(s) < 0:
                self.value_of = col  # the value written on the lines under its key
                return None
            if n > col or (n == col and item and under_key):
                levels.append([n, item, i])
                return None
        if not levels:
            levels.append([n, item, i])
            return None
        if n > levels[-1][0]:
            return self.indent_problem(i, n)
        while levels and levels[-1][0] > n:
            levels.pop()
        if not levels or levels[-1][0] != n:
            return self.indent_problem(i, n)
        if levels[-1][1] and not item and len(levels) > 1 and levels[-2][0] == n:
            levels.pop()  # a list written under its key at the key's own indentation ends here
        level = levels[-1]
        if level[1] and not item:
            return (i + 1, n + 1, say("yaml.syntax-not-item", line=level[2] + 1), "yaml.syntax")
        if not level[1] and item:
            return (i + 1, n + 1, say("yaml.syntax-item", line=level[2] + 1), "yaml.syntax")
        if not level[1] and empty is not None and _key_end(s) < 0:
            key, at = empty
            return (i + 1, n + 1, say("yaml.syntax-block-indent", key=key, line=at + 1), "yaml.syntax")
        level[2] = i
        return None

    def line(self, i: int, n: int, s: str) -> tuple[Found | None, int]:
        """Read the items, key and value of line `i`; (a problem, the next line to read)."""
        col, rest, parent = n, s, -1
        while rest == "-" or rest.startswith("- "):
            j = 1
            while j < len(rest) and rest[j] == " ":
                j += 1
            if j < len(rest) and rest[j] == "\t":
                return (i + 1, col + j + 1, say("yaml.syntax-tab"), "yaml.syntax"), i
            if j >= len(rest) or rest[j] == "#":  # `-` alone: the item is on the lines below
                self.expect = (col, False)
                self.last = (i, col)
                return None, i + 1
            parent, col, rest = col, col + j, rest[j:]
            if rest == "-" or rest.startswith("- "):
                self.levels.append([col, 1, i])
        self.last = (i, col if parent < 0 else parent)
        if rest == "?" or rest.startswith("? "):
            return (i + 1, col + 1, say("yaml.complex-key"), "yaml.complex-key"), i
        end = _key_end(rest)
        if end < 0:
            if parent < 0:  # a line of text among keys
                return (i + 1, n + 1, say("yaml.syntax-hint", hint=_hint("could not find expected ':'"), where=""), "yaml.syntax"), i
            return self.value(i, col, rest, parent, "-")
        if col != n:
            self.levels.append([col, 0, i])
            self.last = (i, col)
        key = self.key = rest[:end - 1].strip(" ")
        if key == "":  # `: value`, a value with no key
            return (i + 1, col + 1, say("yaml.syntax-hint", hint=_hint("did not find expected key"), where=""), "yaml.syntax"), i
        j = end
        while j < len(rest) and rest[j] == " ":
            j += 1
        if j < len(rest) and rest[j] == "\t":
            return (i + 1, col + j + 1, say("yaml.syntax-tab"), "yaml.syntax"), i
        if j >= len(rest) or rest[j] == "#":
            self.expect = (col, True)
            return None, i + 1
        return self.value(i, col + j, rest[j:], col, key)

    def value(self, i: int, vcol: int, value: str, parent: int, key: str) -> tuple[Found | None, int]:
        """The value starting at column `vcol` of line `i`, owned by a key or `-` at `parent`."""
        lines = self.lines
        while value[:1] in ("&", "!"):  # an anchor or a tag (refused once the file is read)
            j = value.find(" ")
            if j < 0:
                return None, i + 1
            k = j
            while k < len(value) and value[k] == " ":
                k += 1
            vcol, value = vcol + k, value[k:]
            if value == "" or value.startswith("#"):
                self.expect = (parent, True)
                return None, i + 1
        c = value[0]
        if c in "|>":
            header = BLOCK_HEADER.match(value)
            assert header is not None
            after = value[header.end():]
            if after.startswith("#"):
                return (i + 1, vcol + header.end() + 1, say("yaml.comment-space"), "yaml.syntax"), i
            if after.lstrip(" ").startswith("\t"):
                return (i + 1, vcol + len(value) - len(after.lstrip(" ")) + 1, say("yaml.syntax-tab"), "yaml.syntax"), i
            if after.strip(" ") and not after.lstrip(" ").startswith("#"):
                return (i + 1, vcol + 1, say("yaml.syntax-other"), "yaml.syntax"), i
            j, inner = i + 1, -1
            while j < len(lines):
                if lines[j].strip(" ") == "":
                    j += 1
                    continue
                m = _indent(lines[j])
                if (inner < 0 and m <= parent) or (inner >= 0 and m < inner):
                    break
                inner = m if inner < 0 else inner
                j += 1
            if inner < 0:
                self.empty_block = (key, i)
            return None, j
        if c in "\"'":
            return self.quoted(i, vcol, parent)
        if c in "[{":
            return self.flow(i, vcol, parent)
        # Plain text: a `: ` in it is a key in a value; it goes on over the lines indented past its key.
        if value == "-" or value.startswith("- "):
            return (i + 1, vcol + 1, say("yaml.syntax-hint", hint=_hint("block sequence entries are not allowed"), where=""), "yaml.syntax"), i
        if c in "]},@`%" or (c == "?" and value[1:2] in ("", " ", "\t")):  # `key: ? x`: `? ` starts a key, not a value
            return (i + 1, vcol + 1, say("yaml.syntax-hint", hint=_hint("found character that cannot start any token"), where=""), "yaml.syntax"), i
        if c == "*" and not self.anchored(value[1:], i, vcol):  # an alias with no anchor before it stops the reader
            return (i + 1, vcol + 1, say("yaml.syntax-hint", hint=_hint("found undefined alias"), where=""), "yaml.syntax"), i
        for j in range(len(value)):
            if value[j] == "#" and j > 0 and value[j - 1] in " \t":
                break
            if value[j] == ":" and value[j + 1:j + 2] in ("", " ", "\t"):
                return (i + 1, vcol + j + 1, say("yaml.syntax-hint", hint=_hint("mapping values are not allowed"), where=""), "yaml.syntax"), i
        comment = re.search(r"[ \t]#", value) is not None
        j = i + 1
        while j < len(lines) and not comment:
            line = lines[j]
            s = line.lstrip(" ")
            if s == "":
                j += 1
                continue
            if s.startswith("#") or _indent(line) <= parent:
                break
            if KEY_LIKE.match(line) or s.endswith(":") or ": " in s.split(" #")[0]:
                return self.indent_problem(j, _indent(line)), j
            comment = re.search(r"[ \t]#", s) is not None
            j += 1
        return None, j

    def anchored(self, rest: str, i: int, col: int) -> bool:
        """Whether the alias whose name starts `rest` (at column `col` of line `i`) has its `&` before it."""
        name = re.split(r"[ \t,\[\]{}]", rest)[0]
        return bool(name) and "&" + name in "\n".join([*self.lines[:i], self.lines[i][:col]])

    def quoted(self, i: int, vcol: int, parent: int) -> tuple[Found | None, int]:
        lines = self.lines
        q = lines[i][vcol]
        which = say("yaml.quote-double") if q == '"' else say("yaml.quote-single")
        open_quote = (i + 1, vcol + 1, say("yaml.syntax-open-quote", which=which, quote=q, line=i + 1), "yaml.syntax")
        j, at = i, vcol + 1
        while True:
            line = lines[j]
            if j > i and line.strip(" ") and (_indent(line) <= parent or KEY_LIKE.match(line)):
                return open_quote, j
            end = _closing(line, at, q)
            if q == '"' and SURROGATE_ESCAPE.search(line, at, end if end >= 0 else len(line)):
                return (i + 1, vcol + 1, say("text.surrogate"), "text.surrogate"), j
            if end >= 0:
                after = line[end + 1:].lstrip(" \t")
                if after.startswith(":"):  # `key: "text":`: the text is a value, not a key
                    hint = _hint("mapping values are not allowed")
                    return (j + 1, len(line) - len(after) + 1, say("yaml.syntax-hint", hint=hint, where=""), "yaml.syntax"), j
                return _tail(line, end + 1, j), j + 1
            j, at = j + 1, 0
            if j >= len(lines):
                return open_quote, j

    def flow(self, i: int, vcol: int, parent: int) -> tuple[Found | None, int]:
        lines, starts = self.lines, self.starts
        close = "]" if lines[i][vcol] == "[" else "}"
        hint = _hint(f"did not find expected ',' or '{close}'")
        j, before, plain = i, "[", False  # the last character read (blanks aside); whether in a plain text
        opened: list[str] = []  # the brackets open, innermost last
        colons: list[int] = []  # the `: ` seen in the entry being read, at each depth
        for at, c in structure(self.text, starts[i] + vcol):
            while j + 1 < len(starts) and starts[j + 1] <= at:
                j += 1
            line, k = lines[j], at - starts[j]
            nxt = line[k + 1:k + 2]
            if c == "\n":  # the brackets go on on the next line, which must be indented past their key
                nxt = lines[j + 1]
                if nxt.strip(" ") and _indent(nxt) <= parent:
                    colon = nxt.find(":")
                    return (j + 2, (colon if colon >= 0 else _indent(nxt)) + 1,
                            say("yaml.syntax-hint", hint=hint, where=say("yaml.syntax-opened", line=i + 1)), "yaml.syntax"), j + 1
                continue
            if c == "*" and before in "[{,:" and not self.anchored(line[k + 1:], j, k):
                return (j + 1, k + 1, say("yaml.syntax-hint", hint=_hint("found undefined alias"), where=""), "yaml.syntax"), j
            if c in "|>@`%" and before in "[{,:":  # `{> a: 1}`: no value starts so
                return (j + 1, k + 1, say("yaml.syntax-hint", hint=_hint("found character that cannot start any token"), where=""), "yaml.syntax"), j
            if c == "-" and before in "[{,:" and nxt in ("", " ", ",", "]", "}"):
                # `{sessions: -}`: libyaml reads a text "-", YAML (and the editor) an error
                return (j + 1, k + 1, say("yaml.syntax-hint", hint=_hint("block sequence entries are not allowed"), where=""), "yaml.syntax"), j
            if c == "?" and before in "[{,":  # `[? a]`, `{?}`: a key written as `? key` (libyaml reads `[?a]` so too)
                return (j + 1, k + 1, say("yaml.complex-key"), "yaml.complex-key"), j
            if c == "?" and before == ":":  # `{a: ? b}`, `{a: ?b}`: `?` starts a key, not a value
                return (j + 1, k + 1, say("yaml.syntax-hint", hint=_hint("found character that cannot start any token"), where=""), "yaml.syntax"), j
            if c == ":" and ((plain and nxt in tuple(",?[]{}")) or before in "[{,"):
                # `[b:]`, `{a: b :}`: libyaml ends no text so; `[: a]`, `{:}`: a `:` with no key before it
                return (j + 1, k + 1, say("yaml.syntax-hint", hint=_hint("found unexpected ':'"), where=""), "yaml.syntax"), j
            if c == ":" and colons and nxt in ("", " "):
                colons[-1] += 1
                if colons[-1] > 1:  # `{a: b: c}`: a second `: ` in one entry
                    return (j + 1, k + 1, say("yaml.syntax-hint", hint=hint, where=""), "yaml.syntax"), j
            elif c == "," and colons:
                colons[-1] = 0
            elif c in "[{":
                opened.append(c)
                colons.append(0)
            elif c in "]}":
                if "[{"["]}".index(c)] != opened[-1]:  # `{a: 1]`: closed by the other bracket
                    want = "]" if opened[-1] == "[" else "}"
                    return (j + 1, k + 1, say("yaml.syntax-hint", hint=_hint(f"did not find expected ',' or '{want}'"), where=""), "yaml.syntax"), j
                opened.pop()
                colons.pop()
                if not opened:
                    return _tail(line, k + 1, j), j + 1
            if c in "[]{},\"'":
                plain = False
            elif c == ":":  # `a:b` is text, `a: b` a key and its value
                plain = plain and nxt not in ("", " ", "\t")
            else:
                plain = True
            before = c
        # The file ends inside the brackets: said at its end, with where they were opened.
        where = say("yaml.syntax-opened", line=i + 1) if len(lines) > i + 1 else ""
        return (len(lines), 1, say("yaml.syntax-hint", hint=hint, where=where), "yaml.syntax"), len(lines)


def first_mistake(text: str) -> Found | None:
    """The first place where the lines of `text` stop being a report's, if the scan finds one."""
    return _Scan(text).run()


class Flows:
    """The `[ ]`/`{ }` lists of a file a parser has read, checked as the scan checks them.

    Some mistakes in brackets stop one parser and not the other (`[b:]`, `{a: b:?}`: libyaml
    refuses, the `yaml` package reads a key; `[?a]`: libyaml reads a key, the `yaml` package a
    text). Both readers give each outermost list they meet to `mistake`; what it finds, either
    side refuses, and the file is then said by `first_mistake` (editor/src/syntax.js: flows).
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.scan: _Scan | None = None
        self.starts: list[int] = []
        self.until = -1  # the end of the last list checked: a list inside it is checked already

    def mistake(self, start: int, end: int) -> Found | None:
        """A mistake in the list from index `start` to `end` of the text, if not checked already."""
        if start < self.until:
            return None
        self.until = end
        bracket = _BRACKET.search(self.text, start)  # past a tag or an anchor before it
        if bracket is None:
            return None
        start = bracket.start()
        if self.scan is None:
            self.scan = _Scan(self.text)
            self.starts = [0, *(m.end() for m in re.finditer("\n", self.text))]  # where each line starts
        line = bisect.bisect_right(self.starts, start) - 1
        return self.scan.flow(line, start - self.starts[line], -1)[0]
