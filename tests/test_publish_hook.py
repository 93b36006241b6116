"""The publishing hook: pages without runs of whitespace, the search index as compact UTF-8."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.publish_hook import collapse_whitespace, compact_json


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        # Blank lines and indentation between tags and around text become one newline.
        ("<ul>\n    <li>a</li>\n\n    <li>b</li>\n</ul>", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>"),
        ("<span>\n      \n        Mục I\n      \n    </span>", "<span>\nMục I\n</span>"),
        # Whitespace between two inline elements stays whitespace: it shows as a space.
        ("<b>Đoàn</b>\n   <i>viên</i>", "<b>Đoàn</b>\n<i>viên</i>"),
        ("<b>Đoàn</b> <i>viên</i>", "<b>Đoàn</b> <i>viên</i>"),
        # Attribute values are never changed, even with ">", "<" or newlines inside.
        ('<a title="a\n  >\n  b"\n   href="x">y</a>', '<a title="a\n  >\n  b"\n   href="x">y</a>'),
        ('<a title="a\n   b">y</a>', '<a title="a\n   b">y</a>'),
        # Where whitespace shows or is code, it is copied as it is.
        ("<pre>  a\n\n  b</pre>", "<pre>  a\n\n  b</pre>"),
        (
            '<pre class="x"><code>a\n\n  b</code></pre>',
            '<pre class="x"><code>a\n\n  b</code></pre>',
        ),
        ("<textarea>a\n\n  b</textarea>", "<textarea>a\n\n  b</textarea>"),
        (
            "<p><code>a\n   b</code> <kbd>Ctrl\n  +</kbd></p>",
            "<p><code>a\n   b</code> <kbd>Ctrl\n  +</kbd></p>",
        ),
        ('<script>var s = "a\\\n   b";\n\n</script>', '<script>var s = "a\\\n   b";\n\n</script>'),
        ("<style>\n  p {  }\n</style>", "<style>\n  p {  }\n</style>"),
        ("<!--\n  a\n\n  b  -->", "<!--\n  a\n\n  b  -->"),
        ("</script>\n    <script>a</script>", "</script>\n<script>a</script>"),
    ],
)
def test_collapse_whitespace(html: str, expected: str) -> None:
    assert collapse_whitespace(html) == expected


def test_text_after_the_last_tag_is_left_alone() -> None:
    html = "<p>a</p>\n   x\n   y\n"
    assert collapse_whitespace(html) == html


def test_compact_json_keeps_the_content_and_writes_utf8(tmp_path: Path) -> None:
    doc = {"docs": [{"title": "Thanh niên", "text": "Đoàn viên \\u ư\u2028"}]}
    path = tmp_path / "search_index.json"
    path.write_text(json.dumps(doc), encoding="utf-8")  # as Material writes it: ASCII escapes
    before, after = compact_json(path)
    raw = path.read_text(encoding="utf-8")
    assert json.loads(raw) == doc
    assert "Thanh niên" in raw and after < before == len(json.dumps(doc))
