"""Write a starter report for one roster unit: every field of the schema, with Vietnamese comments.

The file is produced by walking the report schema, so a field added to the schema appears here
without touching this module. What the schema cannot say comes from the other data files: the
unit's id, name and kind from the campaign roster, and which lists hold one row per year of the
period from the `one_each … period_years` rules of the plan's rules. The schema and rules are the
ones the campaign file names (generator/plan.py).
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import os
import textwrap
from pathlib import Path
from typing import Any

from generator.editor import schema_url
from generator.load import LoadError, load_yaml, os_reason
from generator.plan import DEFAULT_PLAN, Plan, PlanError, load_plan
from generator.schema import (
    CAMPAIGN_SCHEMA,
    Schema,
    child,
    enum_options,
    is_multiline,
    resolve,
    types_of,
)

INDENT = "  "
# Said once, at the top: an empty figure is "not filled in yet", never a zero or "no data".
EMPTY_NOTE = (
    "Ô để trống là CHƯA ĐIỀN. Điền số (ghi 0 nếu kết quả là không). Số liệu đơn vị thật sự "
    "không có (ví dụ năm trước khi thành lập): ghi “không có số liệu”; chỉ tiêu không áp dụng "
    "cho đơn vị: ghi “không áp dụng”. Không ghi 0 thay cho “không có số liệu”."
)
STATUS_NOTE = (
    "Báo cáo mới là bản nháp (status: draft): được lưu và kiểm tra, những mục còn trống chỉ được "
    "nhắc. Khi đã điền đủ, đổi thành status: final (chính thức) và ghi ngày gửi."
)
ROW_NOTE = (
    "Thêm dòng: xóa “[]” ở trên, bỏ dấu “# ” đầu các dòng ví dụ dưới đây rồi điền; "
    "mỗi dòng của bảng bắt đầu bằng “- ”"
)

Path_ = tuple[str | int, ...]


class StarterError(Exception):
    """The starter file cannot be written; the message (in Vietnamese) says why and what to do."""


def write_starter(
    campaign_path: Path, unit_id: str, out: Path, force: bool = False, today: dt.date | None = None
) -> None:
    """Write a starter report for roster unit `unit_id` to `out`."""
    campaign = _read_campaign(campaign_path)
    try:
        plan = load_plan(campaign_path, campaign)
    except PlanError as e:
        raise StarterError(f"tệp đợt báo cáo “{campaign_path}”, mục {e.key}: {e}") from e
    unit = _roster_entry(campaign, unit_id, campaign_path)
    if out.exists() and not force:
        raise StarterError(
            f"tệp “{out}” đã có; không ghi đè để khỏi mất nội dung đã điền "
            "(thêm --force nếu thật sự muốn tạo lại từ đầu)"
        )
    text = starter_text(campaign, unit, out, today or dt.date.today(), plan)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with open(out, "w" if force else "x", encoding="utf-8", newline="\n") as f:
            f.write(text)
    except FileExistsError as e:
        raise StarterError(f"tệp “{out}” đã có; thêm --force nếu muốn ghi đè") from e
    except OSError as e:
        raise StarterError(f"không ghi được tệp “{out}”: {os_reason(e)}") from e


def _read_campaign(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise StarterError(f"không tìm thấy tệp đợt báo cáo “{path}”")
    try:
        loaded = load_yaml(path, schema=CAMPAIGN_SCHEMA)
    except LoadError as e:
        where = "; ".join(
            f"dòng {p.line}: {p.message}" if p.line else p.message for p in e.problems
        )
        raise StarterError(f"không đọc được tệp đợt báo cáo “{path}”: {where}") from e
    if not isinstance(loaded.data.get("units"), list):
        raise StarterError(
            f"tệp đợt báo cáo “{path}” không có danh sách đơn vị (units); "
            f"chạy `python -m generator validate` để xem lỗi"
        )
    return loaded.data


def _roster_entry(campaign: dict[str, Any], unit_id: str, campaign_path: Path) -> dict[str, Any]:
    units = [u for u in campaign["units"] if isinstance(u, dict)]
    for u in units:
        if u.get("id") == unit_id:
            return u
    ids = [str(u.get("id")) for u in units]
    close = difflib.get_close_matches(unit_id, ids, n=3, cutoff=0.6)
    hint = (
        f"có phải là {', '.join(f'“{c}”' for c in close)}?"
        if close
        else "hãy chọn một mã trong danh sách, hoặc đề nghị Huyện Đoàn bổ sung đơn vị"
    )
    raise StarterError(
        f"không có đơn vị “{unit_id}” trong danh sách đơn vị của “{campaign_path}”; {hint}"
    )


def starter_text(campaign: dict[str, Any], unit: dict[str, Any], out: Path, today: dt.date,
                 plan: Plan = DEFAULT_PLAN) -> str:
    """Return the text of a starter report of the plan for `unit` that will be written to `out`."""
    root = plan.schema
    period = campaign.get("period")
    period = period if isinstance(period, dict) else {}  # not a mapping: `validate` says so
    start, end = period.get("start"), period.get("end")
    years = list(range(start, end + 1)) if isinstance(start, int) and isinstance(end, int) else []
    schema_rel = os.path.relpath(plan.report_schema, out.resolve().parent)
    w = _Writer(root, unit, years, today, plan)
    lines = [
        # The campaign's own schema on the site when its address is known (editors then complete
        # unit ids and years), else the generic schema in the repository.
        f"# yaml-language-server: $schema={schema_url(campaign, Path(schema_rel).as_posix())}",
        f"# {root.get('title', '')}: {unit.get('name', unit.get('id'))}",
    ]
    issued = campaign.get("plan")  # the plan document (số kế hoạch), not the report's Plan
    if isinstance(issued, dict) and issued.get("number"):
        lines.append(f"# Theo {issued['number']}; hạn gửi {campaign.get('deadline', '')}.")
    lines += [
        "# Điền nội dung vào từng mục; các dòng bắt đầu bằng “#” là hướng dẫn, có thể giữ nguyên.",
        *("# " + line for line in textwrap.wrap(EMPTY_NOTE, 96)),
        *("# " + line for line in textwrap.wrap(STATUS_NOTE, 96)),
        "# Kiểm tra: python -m generator validate " + _shown(out),
    ]
    node = resolve(root, root)
    for key in node.get("properties", {}):
        sub = child(node, key, root)
        if sub is not None:
            if lines[-1]:
                lines.append("")
            lines += w.field(key, sub, (key,), 0, _raw_prop(node, key))
    return "\n".join(lines) + "\n"


def _shown(out: Path) -> str:
    """The output path as the user would type it from the current folder (no machine paths)."""
    rel = os.path.relpath(out.resolve(), Path.cwd())
    return Path(rel if not rel.startswith("..") else out.name).as_posix()


def _raw_prop(node: Schema, key: str) -> Schema:
    raw = node.get("properties", {}).get(key, {})
    return raw if isinstance(raw, dict) else {}


def _yearly_lists(plan: Plan) -> dict[Path_, str]:
    """Return {list path: year field} for the lists the rules want one row per period year."""
    out: dict[Path_, str] = {}
    for rule in plan.report_rules():
        if rule.operator == "one_each" and rule.right == "period_years" and "[*]." in rule.left:
            base, _, field = rule.left.partition("[*].")
            out[tuple(base.split("."))] = field
    return out


def _unit_path(plan: Plan) -> Path_ | None:
    """Return the path of the object holding the unit's roster fields (the rule naming roster_ids)."""
    for rule in plan.report_rules():
        if rule.operator == "in" and rule.right == "roster_ids" and "." in rule.left:
            return tuple(rule.left.rsplit(".", 1)[0].split("."))
    return None


def _q(value: str) -> str:
    """Quote text as a YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


class _Writer:
    """Renders schema nodes as commented YAML lines."""

    def __init__(self, root: Schema, unit: dict[str, Any], years: list[int], today: dt.date, plan: Plan):
        self.root = root
        self.unit = unit
        self.years = years
        self.today = today
        self.yearly = _yearly_lists(plan)
        self.unit_path = _unit_path(plan)
        self.shown: set[str] = set()  # inherited descriptions are said once, at their first use

    def comments(self, node: Schema, raw: Schema, pad: str) -> list[str]:
        head = str(node.get("x-heading") or node.get("title") or "")
        notes = [head] if head else []
        desc = node.get("description")
        if desc and (raw.get("description") == desc or "$ref" not in raw or desc not in self.shown):
            notes.append(str(desc))
            self.shown.add(str(desc))
        opts = enum_options(node)
        if opts:
            notes.append("Chọn một trong: " + ", ".join(f"{v} ({label})" for v, label in opts))
        return [f"{pad}# {n}" for n in notes]

    def field(self, key: str, node: Schema, path: Path_, depth: int, raw: Schema) -> list[str]:
        """Lines for `key: value` (with its comments) at `depth`."""
        pad = INDENT * depth
        out = self.comments(node, raw, pad)
        types = types_of(node)
        if "properties" in node:
            out.append(f"{pad}{key}:")
            out += self.members(node, path, depth + 1)
        elif "array" in types:
            out += self.array(key, node, path, depth)
        else:
            value, note = self.scalar(node, path)
            if value == "|":
                out += [f"{pad}{key}: |", ""]
            else:
                out.append(f"{pad}{key}:" + (f" {value}" if value else "") + (f"  # {note}" if note else ""))
        return out

    def members(
        self, node: Schema, path: Path_, depth: int, fill: dict[str, Any] | None = None
    ) -> list[str]:
        out: list[str] = []
        for key in node.get("properties", {}):
            sub = child(node, key, self.root)
            if sub is None:
                continue
            if fill and key in fill:
                out += self.comments(sub, _raw_prop(node, key), INDENT * depth)
                out.append(f"{INDENT * depth}{key}: {fill[key]}")
            else:
                out += self.field(key, sub, path + (key,), depth, _raw_prop(node, key))
        return out

    def row(
        self, item: Schema, path: Path_, depth: int, fill: dict[str, Any] | None = None
    ) -> list[str]:
        """One list row: its fields one level deeper, the first behind the “- ”."""
        lines = self.members(item, path, depth + 1, fill)
        inner = INDENT * (depth + 1)
        for i, line in enumerate(lines):
            rest = line[len(inner) :]
            if rest.startswith("#"):  # the first field's comments sit at the “- ” level
                lines[i] = INDENT * depth + rest
            elif line.startswith(inner) and not rest.startswith(" "):
                lines[i] = INDENT * depth + "- " + rest
                break
        return lines

    def array(self, key: str, node: Schema, path: Path_, depth: int) -> list[str]:
        pad = INDENT * depth
        item = child(node, 0, self.root)
        if item is None or "properties" not in item:
            return [f"{pad}{key}: []"]
        year_field = self.yearly.get(path)
        if year_field and self.years:
            out = [f"{pad}{key}:"]
            for i, year in enumerate(self.years):
                row = self.row(item, path + (i,), depth + 1, {year_field: year})
                # The columns are explained once, on the first row.
                out += (
                    row if i == 0 else [line for line in row if not line.lstrip().startswith("#")]
                )
            return out
        example = self.row(item, path + (0,), depth + 1)
        out = [f"{pad}{key}: []", f"{pad}# {ROW_NOTE}", f"{pad}# {key}:"]
        out += [f"{pad}# {line[len(pad) :]}" if line.strip() else f"{pad}#" for line in example]
        return out

    def scalar(self, node: Schema, path: Path_) -> tuple[str, str]:
        """Return (YAML value, trailing note) for a leaf field."""
        if self.unit_path is not None and path[:-1] == self.unit_path and path[-1] in self.unit:
            value = self.unit[str(path[-1])]
            return (_q(value) if isinstance(value, str) else json.dumps(value)), ""
        types = types_of(node)
        if types and set(types) <= {"null"}:
            return "", ""  # choices that may stay empty (the conference's `held`): not filled in yet
        if node.get("format") == "date":
            return "", "" if node.get("x-optional") else "ghi khi gửi bản chính thức"
        if "integer" in types or "number" in types:
            return "", ""  # empty: not filled in yet (EMPTY_NOTE, at the top, says how to fill)
        if "boolean" in types:
            return "false", ""
        if is_multiline(node):
            return "|", ""
        opts = enum_options(node)
        if opts:
            return _q(str(opts[0][0])), ""
        return '""', ""
