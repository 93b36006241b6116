"""Read a YAML file the way a careful reader would: safely, fast, and keeping line numbers.

libyaml (PyYAML's C parser) composes the node tree; we build plain Python values from it
ourselves, so that we can reject what PyYAML would silently accept: duplicate keys (PyYAML keeps
the last one, and data is lost), aliases (a "billion laughs" file), anchors, unknown tags.

The schema, not YAML 1.1, decides what a value means (StrictYAML's principle): every plain
scalar is text to libyaml, and `convert_plain` reads it by the rules of its field's type, found
in the schema's precomputed Shape as the tree is walked: whole numbers digits only, decimals
with one mark and no NaN, booleans and null only where the schema has them. A value its field
refuses is a problem with advice that the same rules accept. Dates stay strings, so the
schema's `format: date` applies. The node tree is kept to find the line and column of any value
afterwards, only when there is a problem to report.
"""

from __future__ import annotations

import bisect
import errno
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.messages import say, syntax_hints
from generator.problems import Problem
from generator.schema import SchemaRef, Shape
from generator.schema import shape as schema_shape
from generator.syntax import Flows, first_mistake, flow_too_deep

MAX_BYTES = 1_000_000  # a full report is ~20 kB; a megabyte is far beyond any honest file
MAX_DEPTH = 20  # the deepest field of a report is 5 levels down

try:
    _Base: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML wheels ship libyaml on every platform we use
    _Base = yaml.SafeLoader


class _Loader(_Base):  # type: ignore[misc]
    """libyaml, with YAML 1.1's guessing of types switched off: a plain scalar is text (str).

    Its value is read later by the schema's rules (convert_plain); only `<<` keeps its tag, to
    be refused as a merge key.
    """

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode:
            return _MERGE if value == "<<" and implicit[0] else _STR
        return _SEQ if kind is yaml.SequenceNode else _MAP


_TAG = "tag:yaml.org,2002:"
_STR, _SEQ, _MAP, _MERGE = (_TAG + t for t in ("str", "seq", "map", "merge"))
# Characters YAML does not allow in a file (C0 and C1 controls but tab, newline, CR, NEL).
_UNPRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# Invisible format characters (Unicode Cf): bidirectional overrides and isolates make text show
# other than it is; zero-width spaces and joiners, soft hyphens hide in names and numbers. Also
# NEL, LINE and PARAGRAPH SEPARATOR: YAML breaks lines there, editors do not, so every line number
# after them would be wrong.
_INVISIBLE = re.compile("[\u0085\u00ad\u061c\u180e\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u206f"
                        "\ufeff\ufff9-\ufffb]")
# The same outside the Basic Multilingual Plane; searched only in a text that has such characters
# (a class of far-apart ranges is several times slower to scan).
_INVISIBLE_ASTRAL = re.compile("[\U000110bd\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_COMMENT_AFTER = re.compile(r"[ \t]+#")
# Decoded keys and values (after escapes such as "\u202E" are read): controls but Tab and newline,
# noncharacters and lone surrogates, besides the invisible characters above (editor/src/yamlio.js
# has the same classes).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_NONCHAR = re.compile("[\ufdd0-\ufdef\ufffe\uffff" + "".join(chr(p * 0x10000 + 0xfffe) + chr(p * 0x10000 + 0xffff) for p in range(1, 17)) + "]")
_INVISIBLE_ONE = re.compile(_INVISIBLE.pattern[:-1] + _INVISIBLE_ASTRAL.pattern[1:])
_SURROGATE = re.compile("[\ud800-\udfff]")
# The four classes in one scan: a value without any (nearly all) costs one search.
# The Basic Multilingual Plane's part as one class; the rest only in a value that has such characters
# (a class of far-apart ranges is slower to scan).
_BAD_BMP = re.compile("[" + _CONTROL.pattern[1:-1] + "\ufdd0-\ufdef\ufffe\uffff" + _INVISIBLE.pattern[1:-1] + "\ud800-\udfff]")
_BAD_ASTRAL = re.compile("[" + _NONCHAR.pattern[1:-1].replace("\ufdd0-\ufdef\ufffe\uffff", "") + _INVISIBLE_ASTRAL.pattern[1:-1] + "]")
# What "empty" and "surrounding spaces" mean, on both sides (schema/FORMAT.md; editor/src/yamlio.js's
# WHITESPACE): Unicode's White_Space characters. Not U+001C-U+001F nor U+FEFF (Python's strip()
# takes the first, JavaScript's trim() the second): those are refused as control or invisible.
WHITESPACE = "\t\n\x0b\x0c\r \x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200b))) + "\u2028\u2029\u202f\u205f\u3000"
_RUNS = re.compile("[" + re.escape(WHITESPACE) + "]+")
# An integer part longer than this is refused on the text, before a double would round it
# (9007199254740993 reads as ...992 in JavaScript): no report figure comes near 10^15.
MAX_DIGITS = 15
_DIGITS = re.compile(r"-?0*([0-9]+)(?:[.,][0-9]+)?")


def strip_space(text: str) -> str:
    """`text` without the whitespace around it (editor: strip)."""
    return text.strip(WHITESPACE)


def words(text: str) -> list[str]:
    """The words of `text`, split at runs of whitespace (editor: words)."""
    return [w for w in _RUNS.split(text) if w]
MAX_PROBLEMS = 100  # per file: past this, "… và N lỗi khác"
MAX_COUNTED = 10_000  # and past that many more, counting stops: "… và hơn 10000 lỗi khác"


class LoadError(Exception):
    """The file cannot be read as a YAML mapping; `problems` says where and why."""

    def __init__(self, problems: list[Problem]):
        super().__init__(problems[0].message if problems else "load error")
        self.problems = problems


@dataclass
class Loaded:
    """A YAML mapping read from `file`, with the node tree that remembers where each value was."""

    file: str
    data: dict[str, Any]
    root: yaml.Node
    problems: list[Problem] = field(default_factory=list)  # found while reading, not fatal
    omitted: int = 0  # problems past MAX_PROBLEMS, counted only
    covered: set[tuple[str | int, ...]] = field(default_factory=set)  # said by `problems` already
    _indexes: dict[int, dict[str, tuple[yaml.Node, yaml.Node]]] = field(default_factory=dict, repr=False)

    def _index(self, node: yaml.MappingNode) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        """Key text -> (key node, value node) of one mapping, built once (a file may have 100,000 keys)."""
        found = self._indexes.get(id(node))
        if found is None:
            found = {}
            for k, v in node.value:
                found.setdefault(_nfc(str(k.value)), (k, v))
            self._indexes[id(node)] = found
        return found

    def locate(self, path: tuple[str | int, ...], key: bool = False) -> tuple[int, int]:
        """Return the 1-based (line, column) of the value at `path` (of its key if `key`).

        A path that leaves the file (a missing property) points at the deepest part that exists.
        """
        node: yaml.Node = self.root
        mark_node: yaml.Node = node
        for part in path:
            nxt: yaml.Node | None = None
            if isinstance(node, yaml.MappingNode):
                found = self._index(node).get(str(part))
                if found is not None:
                    nxt, mark_node = found[1], (found[0] if key else found[1])
            elif (isinstance(node, yaml.SequenceNode) and isinstance(part, int)
                  and 0 <= part < len(node.value)):
                nxt = mark_node = node.value[part]
            if nxt is None:
                break
            node = nxt
        return mark_node.start_mark.line + 1, mark_node.start_mark.column + 1


def _problem(file: str, line: int, col: int, message: str, code: str, path: tuple[str | int, ...] = ()) -> Problem:
    return Problem(file=file, line=line, column=col, severity="error", message=message, code=code, path=path)


def _at(file: str, node: yaml.Node, message: str, code: str, path: tuple[str | int, ...] = ()) -> Problem:
    m = node.start_mark
    return _problem(file, m.line + 1, m.column + 1, message, code, path)




def _syntax_message(err: yaml.MarkedYAMLError, source: str) -> str:
    mark = err.problem_mark
    if mark is not None and 0 <= mark.index < len(source) and source[mark.index] == "\t":
        return say("yaml.syntax-tab")
    text = " ".join(str(x) for x in (err.context, err.problem) if x)
    opened = err.context_mark
    # An unclosed [ or { is noticed a line or more later; say where it was opened.
    where = (say("yaml.syntax-opened", line=opened.line + 1) if "flow" in str(err.context or "") and opened is not None
             and mark is not None and opened.line != mark.line else "")
    for needle, vi in syntax_hints():
        if needle in text:
            return say("yaml.syntax-hint", hint=vi, where=where)
    # libyaml's own words are English; a unit secretary gets what to check instead.
    return say("yaml.syntax-other")


_BLOCK_KEY = re.compile(r"(\s*)(?:-\s+)?([^\s#][^:]*):\s+[|>][-+0-9]*\s*(?:#.*)?")
_KEY_LINE = re.compile(r"\s*(?:-\s+)?[\w.-]+:(?:\s|$)")
_INDENT_ERRORS = ("mapping values are not allowed", "did not find expected key", "did not find expected '-' indicator")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _previous_line(lines: list[str], index: int) -> int | None:
    """The nearest line above `index` with content (not blank, not only a comment)."""
    for i in range(min(index, len(lines)) - 1, -1, -1):
        stripped = lines[i].strip()
        if stripped and not stripped.startswith("#"):
            return i
    return None


_BLOCK_HEADER = re.compile(r"[|>][0-9+-]*")


def _open_quote(err: yaml.MarkedYAMLError, text: str) -> tuple[int, int, str] | None:
    """Where a quote was opened and never closed: (line, column, quote), 0-based, if found.

    A quote left open swallows the lines after it until the next quote, so libyaml notices
    only lines later, as a problem of indentation; a quoted text that spans a line looking like
    `name: …` is such a swallow.
    """
    if "quoted scalar" in str(err.context or "") and err.context_mark is not None:
        m = err.context_mark
        return m.line, m.column, text[m.index] if m.index < len(text) else '"'
    mark = err.problem_mark
    if mark is None:
        return None
    loader = _Base(text)
    try:
        while (tok := loader.get_token()) is not None and tok.start_mark.index < mark.index:
            if isinstance(tok, yaml.ScalarToken) and tok.style in ('"', "'") and tok.end_mark.line > tok.start_mark.line:
                inner = text[tok.start_mark.index:tok.end_mark.index].split("\n")[1:]
                if any(_KEY_LINE.match(x) for x in inner):
                    return tok.start_mark.line, tok.start_mark.column, tok.style
    except yaml.YAMLError:
        pass
    finally:
        loader.dispose()
    return None


def _mistake(found: tuple[int, int, str, str], lines: list[str], name: str) -> Problem:
    at, col, message, code = found
    return Problem(file=name, line=at, column=col, severity="error", message=message, code=code,
                   excerpt=lines[at - 1].removesuffix("\r") if at - 1 < len(lines) else "")


def _syntax_problem(err: yaml.MarkedYAMLError, text: str, name: str) -> Problem:
    """A syntax error at the line a unit must change, said so that the unit can act on it."""
    lines = text.split("\n")
    found = first_mistake(text)
    if found is not None:  # the mistake said as the editor says it (generator/syntax.py)
        return _mistake(found, lines, name)
    if "invalid Unicode character escape" in str(err.problem or "") and err.context_mark is not None:
        # "\uD800": half of a UTF-16 pair, not a character (the editor reads it, then refuses it here).
        m = err.context_mark
        return Problem(file=name, line=m.line + 1, column=m.column + 1, severity="error", message=say("text.surrogate"),
                       code="text.surrogate", excerpt=lines[m.line] if m.line < len(lines) else "")
    mark = err.problem_mark or err.context_mark
    line, col = (mark.line, mark.column) if mark else (-1, -1)
    problem = str(err.problem or "")
    message = None
    if (opened := _open_quote(err, text)) is not None:
        line, col, quote = opened
        which = say("yaml.quote-double") if quote == '"' else say("yaml.quote-single")
        message = say("yaml.syntax-open-quote", which=which, quote=quote, line=line + 1)
    else:
        at = err.context_mark.line if "simple key" in str(err.context or "") and err.context_mark else line
        prev = _previous_line(lines, at) if 0 <= at < len(lines) else None
        block = _BLOCK_KEY.fullmatch(lines[prev]) if prev is not None else None
        if block is not None and _indent(lines[at]) <= len(block.group(1)) and prev is not None:
            line, col = at, _indent(lines[at])
            message = say("yaml.syntax-block-indent", key=block.group(2).strip(), line=prev + 1)
        elif any(n in problem for n in _INDENT_ERRORS) and 0 <= line < len(lines):
            prev = _previous_line(lines, line)
            here = _indent(lines[line])
            if prev is not None and _indent(lines[prev]) != here and not lines[prev].rstrip().endswith(":"):
                col = here
                message = say("yaml.syntax-indent", here=here, line=prev + 1, there=_indent(lines[prev]))
    if message is None:
        message = _syntax_message(err, text)
    excerpt = lines[line] if 0 <= line < len(lines) else ""
    return Problem(file=name, line=line + 1, column=col + 1, severity="error", message=message,
                   code="yaml.syntax", excerpt=excerpt)


def os_reason(e: OSError) -> str:
    """Say why the system could not read a file, in Vietnamese (strerror is English)."""
    reasons = {
        errno.ENOENT: "không có tệp này; kiểm tra tên và thư mục",
        errno.EACCES: "không có quyền đọc tệp",
        errno.EPERM: "không có quyền đọc tệp",
        errno.EISDIR: "đây là một thư mục, không phải tệp",
    }
    return reasons.get(e.errno or 0, f"lỗi hệ thống (mã {e.errno})")


def _thousands(n: int) -> str:
    """Write 1000000 the Vietnamese way: 1.000.000."""
    return f"{n:,}".replace(",", ".")


def _too_large(name: str, size: int, max_bytes: int = MAX_BYTES) -> list[Problem]:
    return [_problem(name, 1, 1, say("file.too-large", size=_thousands(size), limit=_thousands(max_bytes)), "file.too-large")]


def _language_problems(text: str, name: str) -> list[Problem]:
    """The accepted language (schema/FORMAT.md), checked on the text before parsing, as the
    editor's languageProblems: a lone CR, a directive, a Tab in a line's indentation, NEL/LS/PS."""
    out: list[tuple[int, str, str]] = []
    if (cr := re.search(r"\r(?!\n)", text)) is not None:
        out.append((cr.start(), "file.line-ending", say("file.line-ending")))
    out += [(m.start() + len(m.group(1)), "yaml.directive", say("yaml.directive")) for m in re.finditer(r"(^|\n)%", text)]
    out += [(m.end() - 1, "yaml.syntax", say("yaml.syntax-tab")) for m in re.finditer(r"(^|\n)( *)\t", text)]
    # NEL, LINE and PARAGRAPH SEPARATOR break lines for libyaml (YAML 1.1), not for the editor's
    # reader (YAML 1.2) nor for text editors: the file would mean two things.
    out += [(m.start(), "text.invisible", say("text.invisible", what=say("text.invisible-format"), code=f"{ord(m.group()):04X}"))
            for m in re.finditer("[\x85\u2028\u2029]", text)]
    if ("[" in text or "{" in text) and (deep := flow_too_deep(text)) is not None:
        out.append((deep, "yaml.too-deep", say("yaml.too-deep", limit=MAX_DEPTH)))
    out.sort(key=lambda x: x[0])
    return [_problem_in(text, name, i, message, code) for i, code, message in out[:MAX_PROBLEMS]]


def _problem_in(text: str, name: str, index: int, message: str, code: str) -> Problem:
    """A problem at `index` of `text`; a syntax error shows its line, as libyaml's do."""
    line, col = _line_col(text, index)
    excerpt = ""
    if code == "yaml.syntax":
        start = text.rfind("\n", 0, index) + 1
        end = text.find("\n", index)
        excerpt = text[start:end if end >= 0 else len(text)].removesuffix("\r")
    return Problem(file=name, line=line, column=col, severity="error", message=message, code=code, excerpt=excerpt)


def _tags(text: str, name: str) -> list[Problem]:
    """Every tag (`!!int`, `!foo`), in a file that parses: the schema, not a tag, says what a value is."""
    out: list[Problem] = []
    loader = _Base(text)
    try:
        while (tok := loader.get_token()) is not None and len(out) < MAX_PROBLEMS:
            if isinstance(tok, yaml.TagToken):
                tag = text[tok.start_mark.index:tok.end_mark.index]
                out.append(_problem(name, *_line_col(text, tok.start_mark.index), say("yaml.tag", tag=tag), "yaml.tag"))
    except yaml.YAMLError:  # pragma: no cover - the same text has just been parsed
        pass
    finally:
        loader.dispose()
    return out


def _stray_tabs(text: str, ranges: list[tuple[int, int]]) -> list[int]:
    """Tabs outside every scalar and comment (between a key and its value, in a flow list)."""
    ranges.sort()
    starts = [a for a, _ in ranges]

    def inside(i: int) -> bool:
        k = bisect.bisect_right(starts, i) - 1
        return k >= 0 and ranges[k][0] <= i < ranges[k][1]

    out: list[int] = []
    i = text.find("\t")
    while i != -1 and len(out) < MAX_PROBLEMS:
        if not inside(i):
            start = text.rfind("\n", 0, i) + 1
            q = text.find("#", start, i)
            comment = False
            while q != -1:
                if not inside(q) and (q == start or text[q - 1] in " \t"):
                    comment = True
                    break
                q = text.find("#", q + 1, i)
            if not comment:
                out.append(i)
        i = text.find("\t", i + 1)
    return out


def read_text(path: Path, display: str, max_bytes: int = MAX_BYTES) -> str:
    """Return the file's text, or raise LoadError for files too big, empty or not UTF-8."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise LoadError(_too_large(display, size, max_bytes))
        raw = path.read_bytes()
    except OSError as e:
        raise LoadError([_problem(display, 0, 0, f"không đọc được tệp: {os_reason(e)}", "file.unreadable")]) from e
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        col = e.start - (raw.rfind(b"\n", 0, e.start) + 1) + 1
        raise LoadError([_problem(display, line, col,
            say("file.encoding"), "file.encoding")]) from e
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise LoadError([_problem(display, line, 1, say("file.binary"), "file.binary")])
    return text


def load_yaml(path: Path, display: str | None = None, max_bytes: int = MAX_BYTES, schema: SchemaRef | None = None) -> Loaded:
    """Read `path` as a YAML mapping, or raise LoadError with every problem found (see parse_yaml)."""
    name = display or str(path)
    text = read_text(path, name, max_bytes)
    return parse_yaml(text, name, schema)


def parse_yaml(text: str, name: str, schema: SchemaRef | None = None) -> Loaded:
    """Parse YAML text into a mapping, or raise LoadError with every problem found.

    `schema` (a file name in schema/, or the path of a plan's report schema) says what each plain scalar means; without it every plain
    scalar is text. Problems that do not stop reading (a value its field refuses, an invisible
    character) are kept in `Loaded.problems`.
    """
    text = text.removeprefix("\ufeff")
    if len(text) > MAX_BYTES // 3 and (size := len(text.encode("utf-8", "surrogatepass"))) > MAX_BYTES:
        raise LoadError(_too_large(name, size))
    bad = [m.start() for _, m in zip(range(MAX_PROBLEMS), _UNPRINTABLE.finditer(text))]
    if bad:
        raise LoadError([_problem(name, *_line_col(text, i),
            say("file.control-char", code=f"{ord(text[i]):04X}"),
            "file.control-char") for i in bad])
    if language := _language_problems(text, name):
        raise LoadError(language)
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as e:
        raise LoadError([_syntax_problem(e, text, name)]) from e
    except yaml.reader.ReaderError as e:  # pragma: no cover - _UNPRINTABLE finds these first
        raise LoadError([_problem(name, 1, 1, "tệp có ký tự không đọc được; hãy lưu lại tệp dưới dạng văn bản UTF-8", "file.control-char")]) from e
    except yaml.YAMLError as e:
        raise LoadError([_problem(name, 0, 0, "không đọc được tệp YAML; kiểm tra lại tệp có phải là văn bản YAML không", "yaml.syntax")]) from e
    finally:
        loader.dispose()
    if root is None:
        raise LoadError([_problem(name, 1, 1, say("file.empty"), "file.empty")])
    if not isinstance(root, yaml.MappingNode):
        raise LoadError([_at(name, root,
            say("yaml.not-mapping"), "yaml.not-mapping")])
    builder = _Builder(name, track_aliases="*" in text or "<<" in text, source=text)
    data = builder.build(root, (), 0, schema_shape(schema) if schema else None)
    if (any(p.code in ("yaml.syntax", "yaml.complex-key") for p in builder.problems)
            and (found := first_mistake(text)) is not None):
        # A mistake of syntax that libyaml let through and the editor's reader stops at: said as
        # the editor says it, the first one only.
        raise LoadError([_mistake(found, text.split("\n"), name)])
    if builder.scalars is not None and not builder.problems:
        builder.problems += [_problem_in(text, name, i, say("yaml.syntax-tab"), "yaml.syntax")
                             for i in _stray_tabs(text, builder.scalars)]
    if not builder.problems and "!" in text:
        builder.problems += _tags(text, name)
    if builder.problems:
        raise LoadError(builder.problems)
    assert isinstance(data, dict)
    notes = builder.notes
    omitted = builder.notes_omitted
    invisible = [m.start() for m in _INVISIBLE.finditer(text)]
    if _ASTRAL.search(text):
        invisible = sorted(invisible + [m.start() for m in _INVISIBLE_ASTRAL.finditer(text)])
    for i in invisible:
        if len(notes) >= MAX_PROBLEMS:
            omitted += 1
            continue
        c = ord(text[i])
        what = (say("text.invisible-bidi") if 0x202A <= c <= 0x202E or 0x2066 <= c <= 0x2069
                else say("text.invisible-format"))
        notes.append(_problem(name, *_line_col(text, i),
            say("text.invisible", what=what, code=f"{c:04X}"),
            "text.invisible"))
    if "&" in text:
        notes += _anchors(text, name)
    return Loaded(file=name, data=data, root=root, problems=notes, omitted=omitted, covered=builder.covered)


def _line_col(text: str, index: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - line_start + 1


def _anchors(text: str, name: str) -> list[Problem]:
    """Every anchor `&name`, used or not: YAML drops it from the value silently."""
    out: list[Problem] = []
    loader = _Loader(text)
    try:
        while (event := loader.get_event()) is not None and len(out) < MAX_PROBLEMS:
            anchor = getattr(event, "anchor", None)
            if anchor is not None and not isinstance(event, yaml.AliasEvent):
                out.append(_at(name, event, say("yaml.anchor", anchor=anchor), "yaml.anchor"))
    except yaml.YAMLError:  # pragma: no cover - the same text has just been parsed
        pass
    finally:
        loader.dispose()
    return out


class _Builder:
    """Turns composed nodes into dicts, lists and scalars, collecting every problem found."""

    def __init__(self, file: str, track_aliases: bool, source: str | None = None):
        self.file = file
        self.source = source if source is not None and "#" in source else None  # for ` #` after text
        self.lines = source.split("\n") if source is not None else None
        self.problems: list[Problem] = []
        self.notes: list[Problem] = []
        self.notes_omitted = 0
        self.covered: set[tuple[str | int, ...]] = set()
        # Composed aliases are the very node object they point to; seeing one twice means an alias.
        self.seen: set[int] | None = set() if track_aliases else None
        self.alias_reported = False
        self.text = source or ""
        self.flows: Flows | None = None  # the check of `[ ]`/`{ }` lists, made at the first
        # Where every scalar is, to tell a Tab in a text from a Tab between the parts of the file.
        self.scalars: list[tuple[int, int]] | None = [] if "\t" in self.text else None

    def decoded(self, value: str, node: yaml.Node, path: tuple[str | int, ...]) -> None:
        """The one check of every decoded key and value (the editor's `decoded`): a control,
        invisible, noncharacter or lone surrogate, at its place when written as is, else at the value."""
        first = _BAD_BMP.search(value)
        if first is None and (value.isascii() or max(value) <= "\uffff" or (first := _BAD_ASTRAL.search(value)) is None):
            return  # nearly every value: one scan
        if _SURROGATE.search(value):  # "\uD83D" that libyaml let through: as the editor, the file is refused
            self.problems.append(_problem(self.file, node.start_mark.line + 1, node.start_mark.column + 1,
                                          say("text.surrogate"), "text.surrogate"))
            return
        ch = first.group()
        source = self.text[node.start_mark.index:node.end_mark.index]
        raw = source.find(ch)
        if _CONTROL.match(ch):  # first: U+0085 is both a control and an invisible line break
            message, code = say("text.control", code=f"{ord(ch):04X}"), "text.control"
        elif _INVISIBLE_ONE.match(ch):
            if raw >= 0:
                return  # written as is: the scan of the text says it, at its exact column
            c = ord(ch)
            what = say("text.invisible-bidi") if 0x202A <= c <= 0x202E or 0x2066 <= c <= 0x2069 else say("text.invisible-format")
            message, code = say("text.invisible", what=what, code=f"{c:04X}"), "text.invisible"
        else:
            message, code = say("text.noncharacter", code=f"{ord(ch):04X}"), "text.noncharacter"
        if raw >= 0:
            self.note_at(*_line_col(self.text, node.start_mark.index + raw), message, code, path)
        else:
            self.note(node, message, code, path)

    def fail(self, node: yaml.Node, message: str, code: str, path: tuple[str | int, ...]) -> None:
        self.problems.append(_at(self.file, node, message, code, path))

    def build(self, node: yaml.Node, path: tuple[str | int, ...], depth: int, shape: Shape | None) -> Any:
        if self.seen is not None:
            if id(node) in self.seen:
                # Report the first alias only; returning None never expands it (no billion laughs).
                if not self.alias_reported:
                    self.alias_reported = True
                    self.fail(node, say("yaml.alias"), "yaml.alias", path)
                return None
            self.seen.add(id(node))
        if depth > MAX_DEPTH:
            self.fail(node, say("yaml.too-deep", limit=MAX_DEPTH), "yaml.too-deep", path)
            return None
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, path, shape)
        # An explicit tag (`!!int 548`, `!!str` on a mapping) is refused by _tags once the file is read.
        if getattr(node, "flow_style", False):
            self.comment_space(node)
            self.flow_mistake(node)
        if isinstance(node, yaml.SequenceNode):
            items = shape.items if shape is not None else None
            if not node.flow_style:
                for v in node.value:
                    self.continued(v, node.start_mark.column)
            return [self.build(v, path + (i,), depth + 1, items) for i, v in enumerate(node.value)]
        out: dict[str, Any] = {}
        first_key: dict[str, yaml.Node] = {}
        for knode, vnode in node.value:
            if not isinstance(knode, yaml.ScalarNode) or (not knode.style and knode.value == ""):
                # a list or mapping as a key, or `? ` with no key (the editor's reader has no key there)
                self.fail(knode, say("yaml.complex-key"), "yaml.complex-key", path)
                continue
            if knode.tag == _TAG + "merge":
                self.fail(knode, say("yaml.merge"), "yaml.merge", path)
                continue
            # Keys are field names: `no:` or `2016:` are the text as written, not a boolean or number.
            key = str(knode.value)
            if self.scalars is not None:
                self.scalars.append((knode.start_mark.index, knode.end_mark.index))
            self.decoded(key, knode, path + (_nfc(key),))
            self.comment_space(knode)
            if not key.isascii():
                key = _nfc(key)
            if key in out or key in first_key:
                prev = first_key[key].start_mark.line + 1
                self.fail(knode, say("yaml.duplicate-key", key=key, line=prev), "yaml.duplicate-key", path + (key,))
                continue
            first_key[key] = knode
            if not getattr(node, "flow_style", False):
                self.continued(vnode, knode.start_mark.column)
            out[key] = self.build(vnode, path + (key,), depth + 1,
                                  shape.props.get(key) if shape is not None else None)
            if isinstance(vnode, yaml.ScalarNode) and vnode.style in ("|", ">") and not vnode.value:
                self.unindented_paragraph(knode, vnode, key, path, shape)
        return out

    def unindented_paragraph(self, knode: yaml.Node, vnode: yaml.Node, key: str,
                             path: tuple[str | int, ...], shape: Shape | None) -> None:
        """`situation: |` left empty because the paragraph under it is not indented.

        A paragraph line with a colon then reads as a key of its own ("Xã Xuân Lập: …"), so
        the file parses; say to indent the paragraph rather than "unknown field".
        """
        if self.lines is None or shape is None:
            return
        at = vnode.end_mark.line
        while at < len(self.lines) and not self.lines[at].strip():
            at += 1
        if at >= len(self.lines) or at <= knode.start_mark.line:
            return
        line = self.lines[at]
        if _indent(line) != knode.start_mark.column or line.lstrip().startswith(("#", "- ")):
            return
        name = _nfc(line.strip().split(":", 1)[0].strip())
        if ":" not in line or name in shape.props:
            return  # the next field: the paragraph really is empty (a warning says so)
        self.note_at(at + 1, _indent(line) + 1, say("yaml.block-indent", key=key, line=knode.start_mark.line + 1),
                     "yaml.block-indent", path + (key,))
        self.covered.add(path + (name,))  # not also "unknown field": it is the paragraph

    def note_at(self, line: int, col: int, message: str, code: str, path: tuple[str | int, ...]) -> None:
        if len(self.notes) < MAX_PROBLEMS:
            self.notes.append(_problem(self.file, line, col, message, code, path))
        else:
            self.notes_omitted += 1

    def scalar(self, node: yaml.ScalarNode, path: tuple[str | int, ...], shape: Shape | None) -> Any:
        text: str = node.value
        if self.scalars is not None:
            self.scalars.append((node.start_mark.index, node.end_mark.index))
        self.decoded(text, node, path)
        self.comment_space(node)
        if not text.isascii():
            text = _nfc(text)
        if node.style:  # quoted or a block (| >): text as written, whatever it looks like
            return text
        try:
            value = convert_plain(text, shape)
        except ValueError_ as e:
            self.note(node, str(e), "value." + ("integer" if shape is not None and "number" not in shape.types else "number"), path)
            return text
        if (isinstance(value, str) and value and self.source is not None
                and not (shape is not None and (shape.patterned or value in shape.consts))):
            # `comment: xếp thứ #1` is "xếp thứ" to YAML: the rest of the line is a comment.
            end = node.end_mark.index
            if _COMMENT_AFTER.match(self.source, end):
                self.note(node, say("value.comment"), "value.comment", path)
        return value

    def continued(self, node: yaml.Node, indent: int) -> None:
        """A quoted text or a `[ ]`/`{ }` list continued on a line not indented past its key (or
        `-`): libyaml reads on, YAML (and the editor) stops there. Refused, in the editor's words."""
        if self.lines is None or node.start_mark.line == node.end_mark.line:
            return
        style = getattr(node, "style", None)
        quoted = isinstance(node, yaml.ScalarNode) and style in ("'", '"')
        if not quoted and not (isinstance(node, (yaml.SequenceNode, yaml.MappingNode)) and node.flow_style):
            return
        first = node.start_mark.line
        for at in range(first + 1, min(node.end_mark.line, len(self.lines) - 1) + 1):
            line = self.lines[at]
            if not line.strip() or _indent(line) > indent:
                continue
            if quoted:
                which = say("yaml.quote-double") if style == '"' else say("yaml.quote-single")
                message = say("yaml.syntax-open-quote", which=which, quote=style, line=first + 1)
                self.problems.append(Problem(file=self.file, line=first + 1, column=node.start_mark.column + 1, severity="error",
                                             message=message, code="yaml.syntax", excerpt=self.lines[first]))
            else:
                close = "]" if isinstance(node, yaml.SequenceNode) else "}"
                hint = dict(syntax_hints()).get(f"did not find expected ',' or '{close}'", "")
                colon = line.find(":")
                message = say("yaml.syntax-hint", hint=hint, where=say("yaml.syntax-opened", line=first + 1))
                self.problems.append(Problem(file=self.file, line=at + 1, column=(colon if colon >= 0 else _indent(line)) + 1,
                                             severity="error", message=message, code="yaml.syntax", excerpt=line))
            return

    def flow_mistake(self, node: yaml.Node) -> None:
        """A `[ ]`/`{ }` list that the editor's reader reads otherwise or refuses (`{sessions: -}`,
        `[b:]`, `[?a]`): refused, in the words of generator/syntax.py (its `Flows`)."""
        if self.flows is None:
            self.flows = Flows(self.text)
        found = self.flows.mistake(node.start_mark.index, node.end_mark.index)
        if found is not None:
            line, col, message, code = found
            self.problems.append(Problem(file=self.file, line=line, column=col, severity="error", message=message, code=code,
                                         excerpt=self.lines[line - 1].removesuffix("\r") if self.lines and line - 1 < len(self.lines) else ""))

    def comment_space(self, node: yaml.Node) -> None:
        """`name: "Lê Thị Hằng"#c`, `[1, 2]#c`: libyaml reads a comment, YAML (and the editor) an
        error: refused."""
        end = node.end_mark.index
        flow = isinstance(node, (yaml.SequenceNode, yaml.MappingNode)) and node.flow_style
        if (flow or getattr(node, "style", None) in ("'", '"')) and self.text[end:end + 1] == "#":
            self.problems.append(_problem_in(self.text, self.file, end, say("yaml.comment-space"), "yaml.syntax"))
        elif getattr(node, "style", None) in ("|", ">"):  # `|#c`: a comment glued to the header
            start = node.start_mark.index
            header = _BLOCK_HEADER.match(self.text, start)
            if header is not None and self.text[header.end():header.end() + 1] == "#":
                self.problems.append(_problem_in(self.text, self.file, header.end(), say("yaml.comment-space"), "yaml.syntax"))

    def note(self, node: yaml.Node, message: str, code: str, path: tuple[str | int, ...]) -> None:
        """A problem with a value that does not stop the file being read and checked further."""
        if len(self.notes) < MAX_PROBLEMS:
            self.notes.append(_at(self.file, node, message, code, path))
        else:
            self.notes_omitted += 1


def scalar_source(loaded: Loaded, path: tuple[str | int, ...]) -> tuple[str, bool] | None:
    """Return (text as written, whether it was quoted) for the scalar at `path`, if it is one."""
    node: yaml.Node = loaded.root
    for part in path:
        if isinstance(node, yaml.MappingNode):
            pair = loaded._index(node).get(str(part))
            if pair is None:
                return None
            node = pair[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            return None
    if isinstance(node, yaml.ScalarNode):
        return str(node.value), node.style in ("'", '"', "|", ">")
    return None


def _nfc(text: str) -> str:
    """Text in Unicode NFC: "ệ" typed as e + two combining marks is the same "ệ" as everywhere."""
    return text if text.isascii() or unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


# ---------------------------------------------------------------------------------------------
# Schema-directed scalars. A plain (unquoted) scalar is text until the schema says what its
# field holds; then our own rules, the same for every field of a type, convert it. YAML 1.1's
# readings (010 octal, 1:30 base 60, .nan, yes/no booleans, 1.000 == 1) never apply.

_NULL_WORDS = frozenset({"~", "null", "Null", "NULL"})
_TRUE, _FALSE = frozenset({"true", "True", "TRUE"}), frozenset({"false", "False", "FALSE"})
_PLAIN_INT = re.compile(r"0|-?[1-9][0-9]*")
_ANY_INT = re.compile(r"(-?)([0-9]+)")
_DECIMAL = re.compile(r"(-?)([0-9]+)([.,])([0-9]+)")
# 1.650.000 / 1,650 / 1 650 (and 1.650,5: grouped, then a decimal part with the other mark)
_GROUPED = re.compile(r"(-?)([1-9][0-9]{0,2}(?:([., ])[0-9]{3})(?:\3[0-9]{3})*)(?:([.,])([0-9]+))?")
_PERCENT = re.compile(r"(.*?)\s*%")
_NOT_A_NUMERAL = re.compile(r"[-+]?(?:\.?(?:inf|nan)|[0-9][0-9_]*(?:[.,][0-9_]*)?(?:[eE][-+]?[0-9]+)|0[xXoObB][0-9a-fA-F_]+|[0-9_]+(?::[0-9]{1,2})+(?:[.,][0-9]*)?|[0-9][0-9_]*_[0-9_]*(?:[.,][0-9_]*)?|\+[0-9.,]+)", re.IGNORECASE)


class ValueError_(Exception):
    """A plain scalar that its field's rules refuse; the message says what to write instead."""


def _quote(text: str) -> str:
    text = " ".join(words(text))
    return text if len(text) <= 40 else text[:37] + "…"


def _choices(shape: Shape) -> str:
    return ", ".join(say("quoted", text=c) for c in sorted(shape.consts))


def _number_value(text: str, integer: bool) -> int | float:
    """Convert `text` by the number rules of an integer or decimal field, or raise ValueError_.

    The advice in every message is itself accepted by these rules.
    """
    if (long := _DIGITS.fullmatch(text)) is not None and len(long.group(1)) > MAX_DIGITS:
        raise ValueError_(say("number.too-long", text=_quote(text), limit=MAX_DIGITS))
    if _PLAIN_INT.fullmatch(text):
        return int(text)
    want = say("number.want-integer") if integer else say("number.want-number")
    if m := _ANY_INT.fullmatch(text):  # 010, 00: leading zeros (and -0)
        n = int(text)
        if n == 0 and m.group(2) == "0":
            raise ValueError_(say("number.zero", text=text))
        raise ValueError_(say("number.leading-zero", text=text, fixed=n))
    if m := _DECIMAL.fullmatch(text):
        sign, whole, mark, frac = m.groups()
        whole_fixed = str(int(whole))
        thousands = len(frac) == 3 and whole[0] != "0" and len(whole) <= 3
        if integer:
            if thousands:
                raise ValueError_(say("number.thousands-mark", text=text, mark=mark, fixed=f"{sign}{whole}{frac}"))
            if not frac.strip("0"):
                raise ValueError_(say("number.whole", want=want, fixed=f"{sign}{whole_fixed}"))
            raise ValueError_(say("number.no-fraction", want=want, text=text))
        if thousands:
            decimal = sign + _decimal_text(whole, frac)
            raise ValueError_(say("number.both-ways", text=text, whole=f"{sign}{whole}{frac}",
                                  as_decimal=f"{sign}{whole},{frac}", decimal=decimal))
        if whole != whole_fixed:
            raise ValueError_(say("number.leading-zero", text=text, fixed=f"{sign}{_decimal_text(whole_fixed, frac, mark)}"))
        return float(f"{sign}{whole}.{frac}")
    if m := _GROUPED.fullmatch(text):
        sign, grouped, mark, dec_mark, frac = m.groups()
        if dec_mark is not None and (dec_mark == mark or integer):
            pass  # 1.650.5 or a decimal part in an integer field: not a grouped number we can read
        else:
            digits = sign + grouped.replace(mark, "")
            fixed = digits + (f",{frac}" if frac else "")
            how = say("number.grouped-space") if mark == " " else say("number.grouped-mark", mark=mark)
            raise ValueError_(say("number.grouped", text=text, how=how, fixed=fixed))
    if m := _PERCENT.fullmatch(text):
        inner = m.group(1)
        if inner and _NUMBERISH.fullmatch(inner):
            try:
                _number_value(inner, integer)
            except ValueError_ as e:
                raise ValueError_(say("number.percent-inner", message=e)) from None
            raise ValueError_(say("number.percent", fixed=inner))
    if _NOT_A_NUMERAL.fullmatch(text):
        raise ValueError_(say("number.not-a-numeral", text=text, want=want)
                          + ("" if integer else say("number.not-a-numeral-decimal")))
    raise ValueError_(say("number.text", text=_quote(text), want=want))


_NUMBERISH = re.compile(r"-?[0-9][0-9., ]*")


def _decimal_text(whole: str, frac: str, mark: str = ",") -> str:
    """A decimal spelt so that it cannot read as a grouped whole number: 1,65 for 1.650, 1,6550 for 1.655."""
    if len(frac) != 3 or whole[0] == "0" or len(whole) > 3:
        return f"{whole}{mark}{frac}"
    short = frac.rstrip("0")
    if not short:
        return whole
    return f"{whole}{mark}{short}" + ("0" if len(short) == 3 else "")


def convert_plain(text: str, shape: Shape | None) -> Any:
    """Return the value of the plain scalar `text` in a field of `shape`, or raise ValueError_.

    An exact allowed text stays text; an empty scalar is null (so are ~ and null where the field
    is not free text); then numbers, then booleans, by our rules; anything else is text.
    """
    if shape is None:
        return text if text else None
    if text in shape.consts:
        return text
    types = shape.types
    if not text or (text in _NULL_WORDS and not ("string" in types and "null" not in types)):
        return None
    number, integer = "number" in types, "integer" in types
    if number or integer:
        try:
            return _number_value(text, integer and not number)
        except ValueError_ as e:
            if shape.consts:
                raise ValueError_(say("number.or-choices", message=e, choices=_choices(shape))) from None
            raise
    if "boolean" in types:
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        if "string" not in types:
            raise ValueError_(say("boolean.only", text=_quote(text)))
    return text
