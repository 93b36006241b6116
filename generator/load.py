"""Read a YAML file the way a careful reader would: safely, fast, and keeping line numbers.

libyaml (PyYAML's C parser) composes the node tree; we build plain Python values from it
ourselves, so that we can reject what PyYAML would silently accept: duplicate keys (PyYAML keeps
the last one, and data is lost), aliases (a "billion laughs" file), unknown tags. Dates stay
strings, so the schema's `format: date` applies. The node tree is kept to find the line and
column of any value afterwards, only when there is a problem to report.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.problems import Problem

MAX_BYTES = 1_000_000  # a full report is ~20 kB; a megabyte is far beyond any honest file
MAX_DEPTH = 20  # the deepest field of a report is 5 levels down

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML wheels ship libyaml on every platform we use
    _Loader = yaml.SafeLoader

_TAG = "tag:yaml.org,2002:"
_constructor = yaml.constructor.SafeConstructor()


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

    def locate(self, path: tuple[str | int, ...], key: bool = False) -> tuple[int, int]:
        """Return the 1-based (line, column) of the value at `path` (of its key if `key`).

        A path that leaves the file (a missing property) points at the deepest part that exists.
        """
        node: yaml.Node = self.root
        mark_node: yaml.Node = node
        for part in path:
            nxt: yaml.Node | None = None
            if isinstance(node, yaml.MappingNode):
                for k, v in node.value:
                    if str(k.value) == str(part):
                        nxt, mark_node = v, (k if key else v)
                        break
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


# libyaml's English messages, said in Vietnamese with what to do about them.
_SYNTAX_HINTS: list[tuple[str, str]] = [
    ("mapping values are not allowed", "có dấu hai chấm “:” ở chỗ không được phép; nếu văn bản có “: ”, hãy đặt cả văn bản trong dấu ngoặc kép"),
    ("could not find expected ':'", "thiếu dấu hai chấm “:” sau tên mục, hoặc một dòng văn bản bị xuống dòng sai; văn bản nhiều dòng hãy viết sau “|”"),
    ("did not find expected key", "thụt lề không thẳng hàng với các mục cùng cấp; kiểm tra số dấu cách đầu dòng"),
    ("did not find expected '-' indicator", "thụt lề của danh sách không thẳng hàng; các dòng “- ” cùng cấp phải thẳng cột"),
    ("found unexpected end of stream", "tệp kết thúc giữa chừng: có dấu ngoặc kép hoặc ngoặc chưa đóng"),
    ("did not find expected ',' or ']'", "danh sách trong ngoặc vuông “[ ]” chưa đóng, hoặc thiếu dấu phẩy giữa các phần tử; kiểm tra dấu “]” và dấu phẩy"),
    ("did not find expected ',' or '}'", "bảng trong ngoặc nhọn “{ }” chưa đóng, hoặc thiếu dấu phẩy giữa các mục; kiểm tra dấu “}” và dấu phẩy"),
    ("found undefined alias", "dùng bí danh “*” chưa được định nghĩa; không dùng “&” và “*” trong báo cáo"),
    ("expected a single document", "tệp có nhiều tài liệu YAML (nhiều dòng “---”); mỗi tệp chỉ chứa một báo cáo"),
    ("found unknown escape character", "trong dấu ngoặc kép có dấu “\\” không hợp lệ; dùng dấu ngoặc đơn ' ' hoặc viết “\\\\”"),
    ("found unexpected ':'", "có dấu hai chấm “:” ở chỗ không được phép; hãy đặt văn bản trong dấu ngoặc kép"),
    ("while scanning a quoted scalar", "dấu ngoặc kép mở nhưng chưa đóng"),
    ("while scanning a simple key", "một dòng thiếu dấu hai chấm “:” sau tên mục"),
    ("while parsing a block mapping", "thụt lề không thẳng hàng với các mục cùng cấp; kiểm tra số dấu cách đầu dòng"),
    ("found character that cannot start any token", "có ký tự không được bắt đầu một giá trị (như @ hoặc `); hãy đặt giá trị trong dấu ngoặc kép"),
    ("found a tab character", "có ký tự Tab; YAML chỉ dùng dấu cách để thụt lề, hãy thay Tab bằng dấu cách"),
    ("exceeded maximum nesting depth", "dữ liệu lồng nhau quá sâu (quá nhiều dấu ngoặc [ hoặc {); kiểm tra lại dòng này"),
]


def _syntax_message(err: yaml.MarkedYAMLError, source: str) -> str:
    mark = err.problem_mark
    if mark is not None and 0 <= mark.index < len(source) and source[mark.index] == "\t":
        return "lỗi cú pháp YAML: có ký tự Tab; YAML chỉ dùng dấu cách để thụt lề, hãy thay Tab bằng dấu cách"
    text = " ".join(str(x) for x in (err.context, err.problem) if x)
    opened = err.context_mark
    # An unclosed [ or { is noticed a line or more later; say where it was opened.
    where = (f" (mở ở dòng {opened.line + 1})" if "flow" in str(err.context or "") and opened is not None
             and mark is not None and opened.line != mark.line else "")
    for needle, vi in _SYNTAX_HINTS:
        if needle in text:
            return f"lỗi cú pháp YAML: {vi}{where}"
    # libyaml's own words are English; a unit secretary gets what to check instead.
    return "lỗi cú pháp YAML; kiểm tra thụt lề, dấu hai chấm, dấu ngoặc và dấu ngoặc kép ở dòng này và dòng trên"


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


def read_text(path: Path, display: str, max_bytes: int = MAX_BYTES) -> str:
    """Return the file's text, or raise LoadError for files too big, empty or not UTF-8."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise LoadError([_problem(display, 1, 1,
                f"tệp quá lớn ({_thousands(size)} byte, tối đa {_thousands(max_bytes)} byte); một báo cáo thường chỉ vài chục nghìn byte — kiểm tra xem có dán nhầm nội dung không",
                "file.too-large")])
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
            "tệp không phải mã UTF-8 (có thể được lưu bằng bảng mã cũ như TCVN3 hoặc Windows-1258); hãy lưu lại tệp với bảng mã UTF-8",
            "file.encoding")]) from e
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise LoadError([_problem(display, line, 1, "tệp chứa ký tự rỗng (NUL), có lẽ không phải tệp văn bản; hãy lưu lại dưới dạng văn bản UTF-8", "file.binary")])
    return text


def load_yaml(path: Path, display: str | None = None, max_bytes: int = MAX_BYTES) -> Loaded:
    """Read `path` as a YAML mapping, or raise LoadError with every problem found."""
    name = display or str(path)
    text = read_text(path, name, max_bytes)
    return parse_yaml(text, name)


def parse_yaml(text: str, name: str) -> Loaded:
    """Parse YAML text into a mapping, or raise LoadError with every problem found."""
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        raise LoadError([_problem(name, line, col, _syntax_message(e, text), "yaml.syntax")]) from e
    except yaml.reader.ReaderError as e:
        pos = e.position if isinstance(e.position, int) and 0 <= e.position <= len(text) else 0
        line = text.count("\n", 0, pos) + 1
        col = pos - (text.rfind("\n", 0, pos) + 1) + 1
        raise LoadError([_problem(name, line, col,
            f"tệp có ký tự điều khiển không in được (mã U+{e.character:04X}), thường do dán từ phần mềm khác; hãy xóa ký tự này",
            "file.control-char")]) from e
    except yaml.YAMLError as e:
        raise LoadError([_problem(name, 0, 0, "không đọc được tệp YAML; kiểm tra lại tệp có phải là văn bản YAML không", "yaml.syntax")]) from e
    finally:
        loader.dispose()
    if root is None:
        raise LoadError([_problem(name, 1, 1, "tệp trống; hãy tạo tệp mẫu bằng lệnh `python -m generator new MÃ_ĐƠN_VỊ` rồi điền nội dung", "file.empty")])
    if not isinstance(root, yaml.MappingNode):
        raise LoadError([_at(name, root,
            "nội dung tệp phải là các mục dạng “tên_mục: giá trị” (một bảng YAML), không phải một danh sách hay một giá trị đơn", "yaml.not-mapping")])
    builder = _Builder(name, track_aliases="*" in text or "<<" in text)
    data = builder.build(root, (), 0)
    if builder.problems:
        raise LoadError(builder.problems)
    assert isinstance(data, dict)
    return Loaded(file=name, data=data, root=root)


class _Builder:
    """Turns composed nodes into dicts, lists and scalars, collecting every problem found."""

    def __init__(self, file: str, track_aliases: bool):
        self.file = file
        self.problems: list[Problem] = []
        # Composed aliases are the very node object they point to; seeing one twice means an alias.
        self.seen: set[int] | None = set() if track_aliases else None
        self.alias_reported = False

    def fail(self, node: yaml.Node, message: str, code: str, path: tuple[str | int, ...]) -> None:
        self.problems.append(_at(self.file, node, message, code, path))

    def build(self, node: yaml.Node, path: tuple[str | int, ...], depth: int) -> Any:
        if self.seen is not None:
            if id(node) in self.seen:
                # Report the first alias only; returning None never expands it (no billion laughs).
                if not self.alias_reported:
                    self.alias_reported = True
                    self.fail(node, "giá trị có neo “&” ở đây được dùng lại bằng bí danh “*”; báo cáo không dùng neo và bí danh, hãy chép thẳng giá trị vào từng chỗ cần", "yaml.alias", path)
                return None
            self.seen.add(id(node))
        if depth > MAX_DEPTH:
            self.fail(node, f"dữ liệu lồng nhau quá sâu (hơn {MAX_DEPTH} cấp); báo cáo không có mục nào sâu như vậy, kiểm tra thụt lề", "yaml.too-deep", path)
            return None
        tag: str = node.tag
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, tag, path)
        if isinstance(node, yaml.SequenceNode):
            if tag != _TAG + "seq":
                self.fail(node, f"thẻ YAML “{_short_tag(tag)}” không được hỗ trợ; hãy xóa thẻ", "yaml.tag", path)
            return [self.build(v, path + (i,), depth + 1) for i, v in enumerate(node.value)]
        if tag != _TAG + "map":
            self.fail(node, f"thẻ YAML “{_short_tag(tag)}” không được hỗ trợ; hãy xóa thẻ", "yaml.tag", path)
        out: dict[str, Any] = {}
        first_key: dict[str, yaml.Node] = {}
        for knode, vnode in node.value:
            if not isinstance(knode, yaml.ScalarNode):
                self.fail(knode, "tên mục phải là một chữ đơn giản, không phải danh sách hay bảng", "yaml.complex-key", path)
                continue
            if knode.tag == _TAG + "merge":
                self.fail(knode, "không dùng khóa gộp “<<” trong báo cáo; hãy chép thẳng các mục vào", "yaml.merge", path)
                continue
            # Keys are field names: `no:` or `2016:` are the text as written, not a boolean or number.
            key = str(knode.value)
            if key in out or key in first_key:
                prev = first_key[key].start_mark.line + 1
                self.fail(knode, f"mục “{key}” bị ghi hai lần (lần đầu ở dòng {prev}); hãy gộp lại thành một, nếu không dữ liệu sẽ bị mất", "yaml.duplicate-key", path + (key,))
                continue
            first_key[key] = knode
            out[key] = self.build(vnode, path + (key,), depth + 1)
        return out

    def scalar(self, node: yaml.ScalarNode, tag: str, path: tuple[str | int, ...]) -> Any:
        if tag == _TAG + "str":
            return node.value
        if tag == _TAG + "int":
            return _constructor.construct_yaml_int(node)
        if tag == _TAG + "float":
            return _constructor.construct_yaml_float(node)
        if tag == _TAG + "bool":
            return _constructor.construct_yaml_bool(node)
        if tag == _TAG + "null":
            return None
        if tag == _TAG + "timestamp":
            return node.value  # dates stay text, checked by the schema's `format: date`
        self.fail(node, f"thẻ YAML “{_short_tag(tag)}” không được hỗ trợ; hãy xóa thẻ và viết giá trị bình thường", "yaml.tag", path)
        return None


def scalar_source(loaded: Loaded, path: tuple[str | int, ...]) -> tuple[str, bool] | None:
    """Return (text as written, whether it was quoted) for the scalar at `path`, if it is one."""
    node: yaml.Node = loaded.root
    for part in path:
        if isinstance(node, yaml.MappingNode):
            found = [v for k, v in node.value if str(k.value) == str(part)]
            if not found:
                return None
            node = found[0]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            return None
    if isinstance(node, yaml.ScalarNode):
        return str(node.value), node.style in ("'", '"', "|", ">")
    return None


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_TAG):] if tag.startswith(_TAG) else tag
