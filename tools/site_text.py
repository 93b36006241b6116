"""Write a text snapshot of a built site, to compare two builds with `diff -r`.

    python tools/site_text.py SITE_DIR OUT_DIR

Every page becomes its visible text (no markup, no scripts), one line per block; the CSV and
JSON downloads are copied as they are; a Word file becomes its paragraphs and table cells
(python-docx), a workbook its cell values sheet by sheet (openpyxl), a zip its members' text.
Search indexes, fonts, images and scripts are left out: they follow from the pages.
"""

from __future__ import annotations

import io
import sys
import zipfile
from html.parser import HTMLParser
from pathlib import Path

SKIP_TAGS = {"script", "style", "svg", "noscript", "template"}
BLOCK_TAGS = {"p", "div", "li", "tr", "br", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul",
              "ol", "section", "article", "nav", "header", "footer", "td", "th", "dt", "dd",
              "pre", "blockquote", "details", "summary", "figcaption", "caption", "label", "option"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skip = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIP_TAGS:
            self.skip += 1
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")
        if tag in ("td", "th"):
            self.parts.append("| ")

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def page_text(html: str) -> str:
    """The visible text of a page: one line per block, spaces collapsed, blank lines dropped."""
    p = _Text()
    p.feed(html)
    lines = (" ".join(line.split()) for line in "".join(p.parts).split("\n"))
    return "\n".join(line for line in lines if line) + "\n"


def docx_text(data: bytes) -> str:
    import docx

    d = docx.Document(io.BytesIO(data))
    out: list[str] = []
    for section in d.sections:
        for part in (section.header, section.first_page_header, section.footer):
            out += [f"[header/footer] {p.text}" for p in part.paragraphs if p.text.strip()]
    body = d.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            out.append("".join(t.text or "" for t in child.iter() if t.tag.endswith("}t")))
        elif tag == "tbl":
            for tr in child.iter():
                if tr.tag.endswith("}tr"):
                    cells = ["".join(t.text or "" for t in tc.iter() if t.tag.endswith("}t"))
                             for tc in tr if tc.tag.endswith("}tc")]
                    out.append(" | ".join(cells))
    return "\n".join(out) + "\n"


def xlsx_text(data: bytes) -> str:
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data))
    out: list[str] = []
    for ws in wb.worksheets:
        out.append(f"=== {ws.title}")
        out += [f"merged {r}" for r in sorted(str(m) for m in ws.merged_cells.ranges)]
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None:
                    out.append(f"{c.coordinate}: {c.value!r}")
    return "\n".join(out) + "\n"


def snapshot(site: Path, out: Path) -> int:
    """Write the text of every page and download under `site` to `out`; return the file count."""
    n = 0
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(site)
        if rel.parts[0] in ("assets", "pagefind", "search") or rel.name == "sitemap.xml.gz":
            continue
        suffix = path.suffix.lower()
        data = path.read_bytes()
        if suffix == ".html":
            text: str | bytes = page_text(data.decode("utf-8"))
        elif suffix in (".csv", ".json", ".yaml", ".yml", ".md", ".txt"):
            text = data
        elif suffix == ".docx":
            text = docx_text(data)
        elif suffix == ".xlsx":
            text = xlsx_text(data)
        elif suffix == ".zip":
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                text = b"".join(z.read(n) for n in sorted(z.namelist()))
        else:
            continue
        target = out / (str(rel) + ".txt")
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, str):
            target.write_text(text, encoding="utf-8")
        else:
            target.write_bytes(text)
        n += 1
    return n


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    print(f"{snapshot(Path(sys.argv[1]), Path(sys.argv[2]))} tệp")
