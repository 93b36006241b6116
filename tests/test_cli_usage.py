"""A command typed wrongly: the user is told in Vietnamese what is wrong and where to read more."""

from __future__ import annotations

import pytest
from conftest import RunCli


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["new"], "lỗi: thiếu MÃ_ĐƠN_VỊ; xem cách dùng: python -m generator new --help\n"),
        (
            ["validate", "--format", "xml"],
            (
                "lỗi: --format: “xml” không phải lựa chọn hợp lệ; hãy chọn một trong: github, json,"
                " text; xem cách dùng: python -m generator validate --help\n"
            ),
        ),
        (
            ["validate", "--jobs", "hai"],
            "lỗi: --jobs: “hai” không phải số nguyên; xem cách dùng: python -m generator validate --help\n",
        ),
        (
            ["moi", "xa-mau"],
            (
                "lỗi: LỆNH: “moi” không phải lựa chọn hợp lệ; hãy chọn một trong: validate, new,"
                " check-ownership, codeowners, build; xem cách dùng: python -m generator --help\n"
            ),
        ),
    ],
)
def test_a_mistyped_command_is_explained_in_vietnamese(
    run_cli: RunCli, args: list[str], message: str
) -> None:
    r = run_cli(*args)
    assert (r.returncode, r.stdout, r.stderr) == (2, "", message)
