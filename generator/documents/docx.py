"""A small, fast WordprocessingML writer: paragraphs, merged-header tables, sections, one package.

python-docx builds a document as an lxml tree and took about 0.2 s for one unit's report; a
thousand units would have made the site build minutes slower. The documents here are written
as text in one pass instead (a few milliseconds each) and tested by opening them with
python-docx and LibreOffice. The package is byte-identical for the same input: fixed zip dates,
fixed core properties.

The zip is written here too (`zip_package`), as zipfile writes it, byte for byte: a thousand
reports share their styles, theme, settings and relationships, and each of those parts is
deflated once per process and its deflated bytes copied into every file (zipfile has no way to
take data already compressed).
"""

from __future__ import annotations

import functools
import re
import struct
import zlib
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from generator.documents.layout import clean
from generator.outline import HeaderCell

FONT = "Times New Roman"
# A4 in twentieths of a point; margins as Vietnamese administrative documents use them
# (top and bottom 20 mm, left 30 mm, right 15 mm).
A4_W, A4_H = 11906, 16838
MARGINS = {"top": 1134, "right": 850, "bottom": 1134, "left": 1701}
LANDSCAPE_MARGINS = {"top": 1134, "right": 850, "bottom": 850, "left": 1134}
FIXED_DATE = "2021-01-01T00:00:00Z"  # core properties: identical bytes for identical input

W_NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
)


def t(s: str) -> str:
    """Escape a text for an XML text node."""
    return escape(clean(s))


@dataclass
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    caps: bool = False
    underline: bool = False
    size: int = 0  # half-points; 0: the style's
    color: str = ""

    def xml(self) -> str:
        props = "".join((
            "<w:b/>" if self.bold else "",
            "<w:i/>" if self.italic else "",
            "<w:caps/>" if self.caps else "",
            f'<w:color w:val="{self.color}"/>' if self.color else "",
            f'<w:sz w:val="{self.size}"/><w:szCs w:val="{self.size}"/>' if self.size else "",
            '<w:u w:val="single"/>' if self.underline else "",  # CT_RPr: u after sz
        ))
        rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
        return f'<w:r>{rpr}<w:t xml:space="preserve">{t(self.text)}</w:t></w:r>'


def para(
    *runs: Run | str,
    style: str = "",
    align: str = "",
    keep_next: bool = False,
    indent_first: bool = False,
    page_break_before: bool = False,
    sect: str = "",
) -> str:
    """One paragraph; strings are plain runs."""
    ppr = "".join((
        f'<w:pStyle w:val="{style}"/>' if style else "",
        "<w:keepNext/>" if keep_next else "",
        "<w:pageBreakBefore/>" if page_break_before else "",
        '<w:ind w:firstLine="567"/>' if indent_first else "",
        f'<w:jc w:val="{align}"/>' if align else "",
        sect,
    ))
    body = "".join(r.xml() if isinstance(r, Run) else Run(r).xml() for r in runs)
    return f"<w:p>{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}{body}</w:p>"


def section_props(landscape: bool, first: bool, page: Page | None = None) -> str:
    """A section's page: A4 portrait or landscape, the margins, the header and footer. The
    document's `first` section has a first-page header of its own (no page number: Nghị định
    30/2020/NĐ-CP numbers pages from the second, at the top centre)."""
    page = page or BUILTIN_PAGE
    w, h = (A4_H, A4_W) if landscape else (A4_W, A4_H)
    m = LANDSCAPE_MARGINS if landscape else page.margins
    refs = (
        f'<w:headerReference w:type="default" r:id="{page.header_id}"/>'
        + (f'<w:headerReference w:type="first" r:id="{FIRST_HEADER_ID}"/>' if first else "")
        + f'<w:footerReference w:type="default" r:id="{page.footer_id}"/>'
    )
    orient = ' w:orient="landscape"' if landscape else ""
    # CT_SectPr's order: references, pgSz, pgMar, …, titlePg.
    return (
        f'<w:sectPr>{refs}<w:pgSz w:w="{w}" w:h="{h}"{orient}/>'
        f'<w:pgMar w:top="{m["top"]}" w:right="{m["right"]}" w:bottom="{m["bottom"]}" '
        f'w:left="{m["left"]}" w:header="{m.get("header", 567)}" w:footer="{m.get("footer", 567)}" '
        f'w:gutter="0"/>{"<w:titlePg/>" if first else ""}</w:sectPr>'
    )


FIRST_HEADER_ID = "rIdTongketFirstHeader"
FIRST_HEADER_PART = "word/tongket-first-header.xml"
_FIRST_HEADER_REL = (
    f'<Relationship Id="{FIRST_HEADER_ID}" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/header" Target="tongket-first-header.xml"/>'
)
_FIRST_HEADER_TYPE = (
    f'<Override PartName="/{FIRST_HEADER_PART}" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>'
)


def page_number() -> str:
    """The page number, centred in the header (a PAGE field)."""
    return (
        '<w:p><w:pPr><w:pStyle w:val="Header"/><w:jc w:val="center"/></w:pPr>'
        '<w:fldSimple w:instr=" PAGE "><w:r><w:t>2</w:t></w:r></w:fldSimple></w:p>'
    )


def keep_with_next(p: str) -> str:
    """A paragraph's XML with "keep with next" set (the signature block follows it)."""
    if not p.startswith("<w:p>") or "<w:keepNext/>" in p:
        return p
    if p.startswith("<w:p><w:pPr>"):
        rest = p[len("<w:p><w:pPr>"):]
        if rest.startswith("<w:pStyle "):
            end = rest.index("/>") + 2
            return "<w:p><w:pPr>" + rest[:end] + "<w:keepNext/>" + rest[end:]
        return "<w:p><w:pPr><w:keepNext/>" + rest
    return "<w:p><w:pPr><w:keepNext/></w:pPr>" + p[len("<w:p>"):]


@dataclass(frozen=True)
class Page:
    """What a template decides about the page: portrait margins, the header's and footer's ids."""

    margins: dict[str, int]
    header_id: str = "rIdHeader"
    footer_id: str = "rIdFooter"
    own_header: bool = False  # the template has a header of its own: on every page


BUILTIN_PAGE = Page(dict(MARGINS))


def text_width(landscape: bool) -> int:
    m = LANDSCAPE_MARGINS if landscape else MARGINS
    return (A4_H if landscape else A4_W) - m["left"] - m["right"]


@functools.lru_cache(maxsize=1 << 16)  # the same words come back in every table of every unit
def text_twips(s: str, size: int = 22) -> int:
    """About how wide a text is in Times New Roman bold of `size` half-points (twips)."""
    return sum(170 if c.isupper() else 75 if c in " .,;:'|!()[]ilfjt" else 122
               for c in s) * size // 22


def fit_widths(columns: list[list[str]], total: int, tight: list[bool] | None = None,
               size: int = 22) -> list[int]:
    """Column widths from their content (twips, summing to `total`): each column at least as wide
    as its longest word, so no word breaks inside; the room left goes to the columns with long
    lines ("Trích yếu" wide, "TT" narrow). Only when the longest words cannot all fit are they
    shrunk, in proportion."""
    pad = 2 * 108 + 40  # cell margins (Word's and LibreOffice's 0.19 cm) and a little air
    words = [max((text_twips(w, size) for s in col for w in s.split()), default=115)
             for col in columns]
    lines = [max((min(text_twips(line, size), 9000) for s in col for line in s.split("\n")),
                 default=115) for col in columns]
    least = [w + pad for w in words]
    # A `tight` column (figures) asks no more than its longest word: "Không áp dụng" may wrap.
    want = [m if tight and tight[j] else max(x + pad, m)
            for j, (x, m) in enumerate(zip(lines, least))]
    if sum(want) <= total:
        out = [w * total // sum(want) for w in want]
    elif sum(least) <= total:
        extra = total - sum(least)
        more = [w - m for w, m in zip(want, least)]
        out = [m + extra * x // max(sum(more), 1) for m, x in zip(least, more)]
    else:
        out = [m * total // sum(least) for m in least]
    out[-1] += total - sum(out)
    return out


def _cell(paras: str, width: int, span: int = 1, vmerge: str = "", shade: bool = False) -> str:
    pr = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if span > 1:
        pr += f'<w:gridSpan w:val="{span}"/>'
    if vmerge:
        pr += '<w:vMerge w:val="restart"/>' if vmerge == "restart" else "<w:vMerge/>"
    if shade:
        pr += '<w:shd w:val="clear" w:color="auto" w:fill="E7E6E6"/>'
    pr += '<w:vAlign w:val="center"/>'
    return f"<w:tc><w:tcPr>{pr}</w:tcPr>{paras}</w:tc>"


def _cell_paras(value: str, bold: bool = False, align: str = "", size: int = 0) -> str:
    lines = value.split("\n") if value else [""]
    return "".join(para(Run(line, bold=bold, size=size), style="Bang", align=align)
                   for line in lines)


def table(
    head: tuple[HeaderCell, ...],
    depth: int,
    widths: list[int],
    rows: list[list[str]],
    numeric: list[bool],
    bold_rows: frozenset[int] = frozenset(),
    size: int = 0,
) -> str:
    """A bordered table with merged header rows (repeated on every page) and body rows; `size`
    (half-points) overrides the "Bang" style's for a table of many columns."""
    n = len(widths)
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    out = [(
        '<w:tbl><w:tblPr><w:tblStyle w:val="BangLuoi"/>'
        f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:tblLayout w:type="fixed"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>"
    )]
    starts = {(c.row, c.col): c for c in head}
    for r in range(depth):
        cells: list[str] = []
        c = 0
        while c < n:
            hc = starts.get((r, c))
            if hc is not None:
                w = sum(widths[c : c + hc.colspan])
                vm = "restart" if hc.rowspan > 1 else ""
                cells.append(_cell(_cell_paras(hc.label, True, "center", size), w, hc.colspan, vm, True))
                c += hc.colspan
                continue
            # Covered by a header cell of a row above that spans down to this one.
            above = next(
                (h for h in head if h.col == c and h.row < r < h.row + h.rowspan), None
            )
            span = above.colspan if above else 1
            w = sum(widths[c : c + span])
            cells.append(_cell(para(style="Bang"), w, span, "continue" if above else "", True))
            c += span
        out.append(f'<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>{"".join(cells)}</w:tr>')
    for i, row in enumerate(rows):
        bold = i in bold_rows
        if len(row) == 1 and n > 1:  # one cell across the table ("Không có văn bản.")
            cells = [_cell(_cell_paras(row[0], bold, "", size), sum(widths), n)]
        else:
            cells = [
                _cell(_cell_paras(v, bold, "right" if numeric[j] else "", size), widths[j])
                for j, v in enumerate(row)
            ]
        out.append(f"<w:tr><w:trPr><w:cantSplit/></w:trPr>{''.join(cells)}</w:tr>")
    out.append("</w:tbl>")
    # Word needs a paragraph between two tables, or it joins them.
    out.append(para(style="Bang"))
    return "".join(out)


def plain_table(cells: list[tuple[str, str]], widths: tuple[int, int], keep: bool = False) -> str:
    """A two-column table without borders: the header block and the signature block (`keep`:
    its row never split across pages)."""
    row_pr = "<w:trPr><w:cantSplit/></w:trPr>" if keep else ""
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    tcs = "".join(
        f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/></w:tcPr>{content}</w:tc>'
        for (content, _), w in zip(cells, widths)
    )
    return (
        # CT_TblPr's order: tblW, tblBorders, tblLayout (Word refuses another order).
        '<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/>'
        '<w:tblBorders><w:top w:val="nil"/><w:left w:val="nil"/><w:bottom w:val="nil"/>'
        '<w:right w:val="nil"/><w:insideH w:val="nil"/><w:insideV w:val="nil"/></w:tblBorders>'
        '<w:tblLayout w:type="fixed"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid><w:tr>{row_pr}{tcs}</w:tr></w:tbl>"
    )


STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles {W_NS}>
<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/><w:sz w:val="28"/><w:szCs w:val="28"/><w:lang w:val="vi-VN" w:eastAsia="en-US" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>
<w:pPrDefault><w:pPr><w:spacing w:before="60" w:after="60" w:line="264" w:lineRule="auto"/><w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="180" w:after="60"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="120" w:after="60"/><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:b/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading3"><w:name w:val="heading 3"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="120" w:after="60"/><w:outlineLvl w:val="2"/></w:pPr><w:rPr><w:b/><w:i/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading4"><w:name w:val="heading 4"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:outlineLvl w:val="3"/></w:pPr><w:rPr><w:i/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:before="240" w:after="0"/><w:jc w:val="center"/></w:pPr><w:rPr><w:b/><w:sz w:val="30"/><w:szCs w:val="30"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Khoi"><w:name w:val="Khoi"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/><w:jc w:val="center"/></w:pPr><w:rPr><w:sz w:val="26"/><w:szCs w:val="26"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Bang"><w:name w:val="Bang"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:before="20" w:after="20" w:line="240" w:lineRule="auto"/><w:jc w:val="left"/></w:pPr><w:rPr><w:sz w:val="22"/><w:szCs w:val="22"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Header"><w:name w:val="header"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:before="0" w:after="0"/><w:jc w:val="center"/></w:pPr><w:rPr><w:sz w:val="22"/><w:szCs w:val="22"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:before="0" w:after="0"/><w:jc w:val="center"/></w:pPr><w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>
<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="85" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>
<w:style w:type="table" w:styleId="BangLuoi"><w:name w:val="Table Grid"/><w:basedOn w:val="TableNormal"/><w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:left w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:right w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="auto"/></w:tblBorders></w:tblPr></w:style>
</w:styles>"""

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/><Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/><Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>"""

ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/></Relationships>"""

DOC_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rIdSettings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/><Relationship Id="rIdHeader" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/><Relationship Id="rIdFooter" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/></Relationships>"""

SETTINGS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings {W_NS}><w:defaultTabStop w:val="720"/><w:characterSpacingControl w:val="doNotCompress"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>"""

APP = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>tongket</Application></Properties>"""


def _core(title: str, author: str, description: str = "") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{t(title)}</dc:title><dc:creator>{t(author)}</dc:creator>"
        + (f"<dc:description>{t(description)}</dc:description>" if description else "")
        + f'<dcterms:created xsi:type="dcterms:W3CDTF">{FIXED_DATE}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{FIXED_DATE}</dcterms:modified>'
        "</cp:coreProperties>"
    )


@dataclass
class Document:
    """A document being written: body XML pieces, a header text (drafts) and a footer text."""

    title: str
    author: str
    header: str = ""  # shown at the top of every page when set (a draft's marking)
    footer: str = ""
    # Which report the file is, for the file's properties (never printed): id, kind, status…
    description: str = ""
    body: list[str] = field(default_factory=list)

    def add(self, xml: str) -> None:
        self.body.append(xml)

    def keep_last(self, n: int) -> None:
        """Keep the last `n` paragraphs with what follows them (tables and breaks not counted)."""
        for i in range(len(self.body) - 1, -1, -1):
            if n <= 0:
                return
            xml = self.body[i]
            if xml.startswith("<w:tbl>"):
                # A table: its last row keeps with what follows (and so does the paragraph
                # Word needs after it); the table counts as one paragraph of text.
                cut = xml.rindex("<w:tr>")
                self.body[i] = xml[:cut] + _PARA.sub(lambda m: keep_with_next(m.group(0)),
                                                     xml[cut:])
                n -= 1
            elif xml.startswith("<w:p>") and "tongket-sect" not in xml:
                self.body[i] = keep_with_next(xml)
                if "<w:t" in xml:
                    n -= 1

    def end_section(self, landscape: bool = False) -> None:
        """End the current section; its pages are portrait unless `landscape`."""
        self.body.append(para(sect=f'<tongket-sect landscape="{int(landscape)}"/>'))

    def package(self, last_landscape: bool = False, template: Template | None = None) -> bytes:
        """The .docx file, in the template's styles, page margins, header and footer."""
        tp = template or BUILTIN
        page = tp.page
        sections = iter(range(1_000_000))
        body = _SECT.sub(
            lambda m: section_props(m.group(1) == "1", next(sections) == 0, page),
            "".join(self.body),
        )
        document = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f"<w:document {W_NS}><w:body>{body}"
            f"{section_props(last_landscape, next(sections) == 0, page)}</w:body></w:document>"
        )
        mark = para(Run(self.header, bold=True, color="C00000"), style="Header") if self.header else ""
        footer = para(Run(self.footer), style="Footer") if self.footer else ""
        # The first page's header: the template's header (a logo) without the page number.
        first = _prepend(tp.header_xml, mark or para(style="Header"))
        head_rels = "word/_rels/" + tp.header_part.rsplit("/", 1)[-1] + ".rels"
        first_rels = [("word/_rels/" + FIRST_HEADER_PART.rsplit("/", 1)[-1] + ".rels", data)
                      for name, data in tp.parts if name == head_rels]
        doc_rels = tp.doc_rels.replace("</Relationships>", _FIRST_HEADER_REL + "</Relationships>")
        content_types = tp.content_types.replace("</Types>", _FIRST_HEADER_TYPE + "</Types>")
        parts: list[tuple[str, str | bytes]] = [
            ("[Content_Types].xml", content_types),
            ("_rels/.rels", ROOT_RELS),
            ("docProps/core.xml", _core(self.title, self.author, self.description)),
            ("word/_rels/document.xml.rels", doc_rels),
            ("word/document.xml", document),
            ("word/styles.xml", tp.styles),
            (tp.header_part, _prepend(tp.header_xml, mark + page_number())),
            (FIRST_HEADER_PART, first),
            *first_rels,
            (tp.footer_part, _prepend(tp.footer_xml, footer)),
            *tp.parts,
        ]
        # Only the document and its properties differ from one report to the next; the
        # headers take one of two forms (a draft's, a final's).
        unique = {"word/document.xml", "docProps/core.xml"}
        return zip_package([(name, data.encode("utf-8") if isinstance(data, str) else data,
                             name not in unique) for name, data in parts])


# --- the zip -------------------------------------------------------------------------------

# Every entry as zipfile writes it with ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)),
# ZIP_DEFLATED at level 6 and external_attr 0o644 << 16 (Python's own format, so a file is the
# same bytes whichever writes it; tests/test_documents.py compares the two).
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_VERSION = 20  # deflate
_UNIX = 3  # the system zipfile names as the creator everywhere but Windows
_DOS_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01
_LEVEL = 6
# A part's bytes → its CRC-32 and deflated bytes, for the parts many files share.
_DEFLATED: dict[bytes, tuple[int, bytes]] = {}
_DEFLATED_MAX = 256  # parts kept; a build has a few dozen (more with a template's media)


def _deflated(raw: bytes, shared: bool) -> tuple[int, bytes]:
    if shared and (hit := _DEFLATED.get(raw)) is not None:
        return hit
    c = zlib.compressobj(_LEVEL, zlib.DEFLATED, -15)
    made = (zlib.crc32(raw), c.compress(raw) + c.flush())
    if shared:
        if len(_DEFLATED) >= _DEFLATED_MAX:
            _DEFLATED.clear()
        _DEFLATED[raw] = made
    return made


def zip_package(parts: list[tuple[str, bytes, bool]]) -> bytes:
    """A zip of (name, bytes, shared) parts; a shared part is deflated once per process."""
    out: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for name, raw, shared in parts:
        try:
            encoded, flags = name.encode("ascii"), 0
        except UnicodeEncodeError:
            encoded, flags = name.encode("utf-8"), 0x800
        crc, data = _deflated(raw, shared)
        if max(len(raw), len(data), offset) >= 0xFFFFFFFF:
            raise ValueError(f"{name}: too large for a zip without ZIP64")
        local = _LOCAL.pack(b"PK\x03\x04", _VERSION, 0, flags, 8, 0, _DOS_DATE, crc, len(data),
                            len(raw), len(encoded), 0)
        central.append(_CENTRAL.pack(b"PK\x01\x02", _VERSION, _UNIX, _VERSION, 0, flags, 8, 0,
                                     _DOS_DATE, crc, len(data), len(raw), len(encoded), 0, 0, 0, 0,
                                     0o644 << 16, offset) + encoded)
        out += (local, encoded, data)
        offset += len(local) + len(encoded) + len(data)
    directory = b"".join(central)
    end = _END.pack(b"PK\x05\x06", 0, 0, len(central), len(central), len(directory), offset, 0)
    return b"".join(out) + directory + end


_PARA = re.compile(r"<w:p>.*?</w:p>")

# A section break is written as a marker and given its page when the template is known.
_SECT = re.compile(r"<tongket-sect landscape=\"([01])\"/>")


def _prepend(part: str, paragraph: str) -> str:
    """A header or footer part with our paragraph first (the template's own content after it)."""
    m = re.search(r"<w:(hdr|ftr)\b[^>]*>", part)
    if m is None or not paragraph:
        return part
    if m.group(0).endswith("/>"):  # an empty header or footer: <w:ftr …/>
        return f"{part[: m.end() - 2]}>{paragraph}</w:{m.group(1)}>{part[m.end():]}"
    return part[: m.end()] + paragraph + part[m.end():]


@dataclass(frozen=True)
class Template:
    """The parts of a Word file our documents are written into: styles, page, header, footer."""

    styles: str
    content_types: str
    doc_rels: str
    header_part: str
    header_xml: str
    footer_part: str
    footer_xml: str
    page: Page
    parts: tuple[tuple[str, bytes], ...] = ()  # anything else of the template, copied as it is


BUILTIN = Template(
    styles=STYLES,
    content_types=CONTENT_TYPES,
    doc_rels=DOC_RELS,
    header_part="word/header1.xml",
    header_xml=f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:hdr {W_NS}></w:hdr>',
    footer_part="word/footer1.xml",
    footer_xml=f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:ftr {W_NS}></w:ftr>',
    page=BUILTIN_PAGE,
    parts=(("docProps/app.xml", APP.encode()), ("word/settings.xml", SETTINGS.encode())),
)
