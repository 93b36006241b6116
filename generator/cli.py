"""The command line: parse arguments, call the library, map results to exit codes.

Exit codes: 0 all good, 1 invalid data, 2 bad usage.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from generator import report
from generator.resources import work_root
from generator.validate import check_all, find_submissions

# The default campaign.yaml's folder: the checkout, or the current folder for an installed tool.
ROOT = work_root()
DEFAULT_CAMPAIGN = ROOT / "campaign.yaml"
DEFAULT_SUBMISSIONS = ROOT / "submissions"


class UsageError(Exception):
    """The command was called wrongly; the message says how to call it."""


# argparse's own mistakes, said in Vietnamese: a unit secretary typing a command reads them.
_ARGPARSE_VI: list[tuple[str, str]] = [
    (r"the following arguments are required: (.+)", "thiếu {0}"),
    (r"argument (\S+): invalid choice: '?(.*?)'? \(choose from (.+)\)",
     "{0}: “{1}” không phải lựa chọn hợp lệ; hãy chọn một trong: {2}"),
    (r"argument (\S+): invalid int value: '(.*)'", "{0}: “{1}” không phải số nguyên"),
    (r"argument (\S+): expected one argument", "{0} cần một giá trị đi kèm"),
    (r"unrecognized arguments: (.+)", "không hiểu tham số {0}"),
]


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors are Vietnamese, exit 2, and point at --help."""

    def error(self, message: str) -> NoReturn:
        for pattern, vi in _ARGPARSE_VI:
            if m := re.fullmatch(pattern, message):
                message = vi.format(*(g.replace("'", "") for g in m.groups()))
                break
        self.exit(2, f"lỗi: {message}; xem cách dùng: {self.prog} --help\n")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m generator", description="Tổng hợp báo cáo của các cơ sở Đoàn.")
    sub = p.add_subparsers(dest="command", required=True, metavar="LỆNH")

    v = sub.add_parser("validate", help="kiểm tra các tệp báo cáo và tệp đợt báo cáo")
    v.add_argument("paths", nargs="*", type=Path, help="tệp hoặc thư mục (mặc định: submissions/ cạnh tệp đợt báo cáo)")
    v.add_argument("--campaign", type=Path, default=None, help="tệp đợt báo cáo (mặc định: campaign.yaml)")
    v.add_argument("--format", choices=sorted(report.FORMATS), default="text")
    v.add_argument("--summary", type=Path, default=None,
                   help="với --format github: ghi bảng tóm tắt Markdown vào tệp này (mặc định: $GITHUB_STEP_SUMMARY)")
    v.add_argument("--jobs", type=int, default=None, help="số tiến trình song song (mặc định: số lõi CPU)")

    n = sub.add_parser("new", help="tạo tệp báo cáo mẫu cho một đơn vị trong danh sách")
    n.add_argument("unit_id", metavar="MÃ_ĐƠN_VỊ", help="mã đơn vị trong danh sách của tệp đợt báo cáo, ví dụ xa-xuan-lap")
    n.add_argument("--campaign", type=Path, default=None, help="tệp đợt báo cáo (mặc định: campaign.yaml)")
    n.add_argument("--output", type=Path, default=None, help="mặc định: submissions/MÃ_ĐƠN_VỊ.yaml cạnh tệp đợt báo cáo")
    n.add_argument("--force", action="store_true", help="ghi đè nếu tệp đã có")

    o = sub.add_parser("check-ownership", help="kiểm tra người gửi yêu cầu hợp nhất chỉ sửa các tệp mình được phép sửa")
    o.add_argument("paths", nargs="*", help="các tệp đã thay đổi")
    o.add_argument("--author", required=True, help="tài khoản GitHub của người gửi")
    o.add_argument("--changed-files", type=Path, default=None, help="tệp liệt kê các tệp đã thay đổi, mỗi dòng một tệp (hoặc cách nhau bằng NUL); dòng “A<TAB>tệp” (như git diff --name-status) là tệp thêm mới, tệp không ghi trạng thái được coi là sửa")
    o.add_argument("--base", default=None, help="lấy các tệp đã thay đổi bằng git so với nhánh này (ví dụ origin/main) và đọc tệp đợt báo cáo ở nhánh đó")
    o.add_argument("--campaign", type=Path, default=None, help="tệp đợt báo cáo (mặc định: campaign.yaml, hoặc bản ở --base)")
    o.add_argument("--format", choices=["text", "github"], default="text")
    o.add_argument("--summary", type=Path, default=None, help="với --format github: ghi bảng vào tệp này (mặc định: $GITHUB_STEP_SUMMARY)")

    c = sub.add_parser("codeowners", help="tạo .github/CODEOWNERS từ tệp đợt báo cáo")
    c.add_argument("--campaign", type=Path, default=None)
    c.add_argument("--output", type=Path, default=None, help="mặc định: .github/CODEOWNERS")
    c.add_argument("--check", action="store_true", help="không ghi; báo lỗi (mã 1) nếu tệp đang có đã cũ")

    from generator.site import add_arguments as build_arguments
    build_arguments(sub.add_parser("build", help="kiểm tra, tổng hợp và dựng trang web vào site/"))
    return p


def _campaign_and_paths(args: argparse.Namespace) -> tuple[Path, list[Path]]:
    campaign: Path = args.campaign or DEFAULT_CAMPAIGN
    paths: list[Path] = []
    # With --campaign, its submissions/ is the default folder (for the root campaign: as before).
    for p in args.paths or [campaign.parent / DEFAULT_SUBMISSIONS.name]:
        if not p.exists():
            raise UsageError(f"không tìm thấy “{p}”")
        if p.is_file() and p.resolve() == campaign.resolve():
            continue  # the campaign file is always checked; do not read it as a report
        paths.append(p)
    if not campaign.is_file():
        raise UsageError(f"không tìm thấy tệp đợt báo cáo “{campaign}”")
    return campaign, find_submissions(paths)


def cmd_validate(args: argparse.Namespace) -> int:
    campaign, paths = _campaign_and_paths(args)
    result = check_all(campaign, paths, jobs=args.jobs, display_root=Path.cwd())
    sys.stdout.write(report.FORMATS[args.format](result))
    if args.format == "github":
        target = args.summary or (Path(os.environ["GITHUB_STEP_SUMMARY"]) if os.environ.get("GITHUB_STEP_SUMMARY") else None)
        if target is not None:
            summary = report.github_summary(result)
            with open(target, "a", encoding="utf-8") as f:
                f.write(summary.text)
            if summary.left_out:
                # The table could not hold them all: the step's log lists every problem.
                print(f"Bảng tóm tắt chỉ hiện được một phần ({summary.left_out} vấn đề không hiện); "
                      "danh sách đầy đủ:")
                sys.stdout.write(report.as_text(result))
        else:
            # Not on GitHub: nothing limits the summary's size on standard output.
            sys.stdout.write("\n" + report.github_summary(result, limit=sys.maxsize).text)
    return 0 if result.ok else 1


def cmd_new(args: argparse.Namespace) -> int:
    from generator.starter import StarterError, write_starter

    campaign: Path = args.campaign or DEFAULT_CAMPAIGN
    out: Path = args.output or (campaign.parent / DEFAULT_SUBMISSIONS.name / f"{args.unit_id}.yaml")
    try:
        write_starter(campaign, args.unit_id, out, force=args.force)
    except StarterError as e:
        raise UsageError(str(e)) from e
    print(f"Đã tạo {out}. Hãy điền nội dung rồi chạy: python -m generator validate {out}")
    return 0


def cmd_check_ownership(args: argparse.Namespace) -> int:
    from generator import ownership as own
    from generator.load import LoadError, load_yaml, parse_yaml
    from generator.schema import CAMPAIGN_SCHEMA

    if sum(x is not None and x != [] for x in (args.paths, args.changed_files, args.base)) != 1:
        raise UsageError("hãy cho biết các tệp đã thay đổi bằng đúng một cách: liệt kê tệp, --changed-files TỆP hoặc --base NHÁNH")
    if not args.author.strip():
        raise UsageError("--author trống: chưa biết ai gửi yêu cầu hợp nhất")
    if args.base is not None and not args.base.strip():
        # `make check-ownership` without BASE=…: comparing with nothing would find no change and pass.
        raise UsageError("--base trống: chưa biết so với nhánh nào (ví dụ --base origin/main, hoặc BASE=origin/main với make)")
    changed: list[str | own.Change]
    try:
        if args.base:  # the campaign file as it is on the base branch: a pull request cannot grant itself rights
            changed = list(own.changed_files(args.base, Path.cwd()))
            campaign = (load_yaml(args.campaign, schema=CAMPAIGN_SCHEMA) if args.campaign else
                        parse_yaml(own.read_at(args.base, "campaign.yaml", Path.cwd()), f"{args.base}:campaign.yaml",
                                   CAMPAIGN_SCHEMA)).data
        else:
            changed = (own.parse_changes(args.changed_files.read_text(encoding="utf-8")) if args.changed_files
                       else own.parse_changes("\n".join(args.paths)))
            campaign = load_yaml(args.campaign or DEFAULT_CAMPAIGN, schema=CAMPAIGN_SCHEMA).data
    except (own.GitError, LoadError, OSError) as e:
        raise UsageError(str(e)) from e
    problems = own.check_ownership(campaign, args.author, changed)
    if args.format == "github":
        sys.stdout.write(own.format_github(problems, args.author, changed))
        target = args.summary or os.environ.get("GITHUB_STEP_SUMMARY")
        if target:
            with open(target, "a", encoding="utf-8") as f:
                f.write(own.github_summary(problems, args.author, changed))
    else:
        sys.stdout.write(own.format_text(problems, args.author, changed))
    return 1 if problems else 0


def cmd_codeowners(args: argparse.Namespace) -> int:
    from generator.codeowners import PATH, render
    from generator.validate import check_campaign

    out: Path = args.output or ROOT / PATH
    campaign = args.campaign or DEFAULT_CAMPAIGN
    if not campaign.is_file():
        raise UsageError(f"không tìm thấy tệp đợt báo cáo “{campaign}”")
    checked = check_campaign(campaign, str(campaign))
    errors = [p for p in checked.problems if p.severity == "error"]
    if errors or checked.data is None:
        # Review rights written from a wrong roster (a login with a stray character, a unit
        # twice) would go to the wrong people: say what to fix, write nothing.
        for p in errors:
            print(report.safe_line(p.as_text()), file=sys.stderr)
        print(f"lỗi: tệp đợt báo cáo có {len(errors) + checked.omitted_errors} lỗi; hãy sửa rồi chạy lại, "
              f"{out} chưa được ghi", file=sys.stderr)
        return 1
    text = render(checked.data)
    current = out.read_text(encoding="utf-8") if out.is_file() else None
    if args.check:
        if current != text:
            print(f"lỗi: {out} chưa khớp với tệp đợt báo cáo; hãy chạy `python -m generator codeowners` rồi commit tệp này", file=sys.stderr)
            return 1
        print(f"{out} khớp với tệp đợt báo cáo.")
        return 0
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(f"Đã ghi {out}.")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from generator.site import cmd_build as build

    return build(args)


COMMANDS = {"build": cmd_build, "validate": cmd_validate, "new": cmd_new, "check-ownership": cmd_check_ownership, "codeowners": cmd_codeowners}


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except UsageError as e:
        print(f"lỗi: {e}", file=sys.stderr)
        return 2
