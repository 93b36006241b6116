"""The publishing hook: pages without runs of whitespace, the search index as compact UTF-8."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.publish_hook import collapse_whitespace, compact_json


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        # Indentation between tags becomes one newline; a run without one, one space.
        ("<ul>\n    <li>a</li>\n\n    <li>b</li>\n</ul>", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>"),
        ("<span>\n      \n        Mục I\n      \n    </span>", "<span>\nMục I\n</span>"),
        # The space between two inline elements is kept: it shows.
        ("<b>Đoàn</b>   <i>viên</i>", "<b>Đoàn</b> <i>viên</i>"),
        ("<b>Đoàn</b> <i>viên</i>", "<b>Đoàn</b> <i>viên</i>"),
        # Attribute values are never changed, even with ">" or spaces inside.
        ('<a title="a  >  b"  href="x">y</a>', '<a title="a  >  b"  href="x">y</a>'),
        ("<a title='a  b'>y</a>", "<a title='a  b'>y</a>"),
        # Where whitespace shows or is code, it is copied as it is.
        ("<pre>  a\n\n  b</pre>", "<pre>  a\n\n  b</pre>"),
        (
            '<pre class="x"><code>  a\n\n  b</code></pre>',
            '<pre class="x"><code>  a\n\n  b</code></pre>',
        ),
        ("<textarea>  a\n\n  b</textarea>", "<textarea>  a\n\n  b</textarea>"),
        (
            "<p><code>a   b</code> and <kbd>Ctrl  +</kbd></p>",
            "<p><code>a   b</code> and <kbd>Ctrl  +</kbd></p>",
        ),
        ('<script>var s = "  a  ";\n\n</script>', '<script>var s = "  a  ";\n\n</script>'),
        ("<style>\n  p {  }\n</style>", "<style>\n  p {  }\n</style>"),
        ("<!--  a  \n\n  b  -->", "<!--  a  \n\n  b  -->"),
    ],
)
def test_collapse_whitespace(html: str, expected: str) -> None:
    assert collapse_whitespace(html) == expected


def test_a_stray_angle_bracket_does_not_stall() -> None:
    html = "<" + " " * 100_000 + "x"
    assert collapse_whitespace(html) == "< x"


def test_compact_json_keeps_the_content_and_writes_utf8(tmp_path: Path) -> None:
    doc = {"docs": [{"title": "Thanh niên", "text": "Đoàn viên \\u ư\u2028"}]}
    path = tmp_path / "search_index.json"
    path.write_text(json.dumps(doc), encoding="utf-8")  # as Material writes it: ASCII escapes
    before, after = compact_json(path)
    raw = path.read_text(encoding="utf-8")
    assert json.loads(raw) == doc
    assert "Thanh niên" in raw and after < before == len(json.dumps(doc))
