"""A Word template the district edits in Word: its styles, margins, header and footer are used.

Set `documents: {word_template: mau-bao-cao.docx}` in campaign.yaml (a path from the campaign
file's folder). The easiest template is one of the generated reports, opened in Word: change the
styles' fonts and sizes (Normal, Heading 1–4, Title, and ours: "Khoi" for the header block, "Bang"
for table text), the margins, put a logo or a line in the header or footer, save it. The body of
the template is not used: every document's body is written from the reports. A draft's marking
and the footer line naming the unit are put first in the template's header and footer, so they
are on every page whatever the template holds.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from generator.documents import docx


class TemplateError(Exception):
    """The Word template named in campaign.yaml cannot be used."""


_STYLE_ID = re.compile(r'<w:style\b[^>]*w:styleId="([^"]+)"')
_STYLE = re.compile(r"<w:style\b.*?</w:style>", re.DOTALL)
_REL = re.compile(r"<Relationship\b[^>]*/>")
_ATTR = re.compile(r'([\w:]+)="([^"]*)"')
# The first section's page: the report's own pages (a generated report's last section is the
# appendices' landscape one, which takes our landscape margins).
_FIRST_SECT = re.compile(r"<w:sectPr\b.*?</w:sectPr>", re.DOTALL)
_REF = re.compile(r'<w:(header|footer)Reference\b[^>]*w:type="default"[^>]*/>')
_MAR = re.compile(r"<w:pgMar\b[^>]*/>")
_OVERRIDE = '<Override PartName="/{}" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.{}+xml"/>'
_RELTYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

# Parts we always write ourselves.
_OURS = {"[Content_Types].xml", "_rels/.rels", "docProps/core.xml", "word/document.xml",
         "word/styles.xml", "word/_rels/document.xml.rels", docx.FIRST_HEADER_PART}


def _attrs(tag: str) -> dict[str, str]:
    return dict(_ATTR.findall(tag))


def load(path: Path) -> docx.Template:
    """Read a .docx as a template; raise TemplateError saying what is wrong and how to fix it."""
    try:
        with zipfile.ZipFile(path) as z:
            files = {n: z.read(n) for n in z.namelist() if not n.endswith("/")}
    except FileNotFoundError as e:
        raise TemplateError(
            f"không tìm thấy mẫu Word “{path}” (documents › word_template trong campaign.yaml)"
        ) from e
    except (zipfile.BadZipFile, OSError) as e:
        raise TemplateError(
            f"mẫu Word “{path}” không phải tệp .docx; hãy lưu lại bằng Word dưới dạng .docx"
        ) from e
    try:
        text = {n: files[n].decode("utf-8") for n in
                ("word/document.xml", "word/styles.xml", "word/_rels/document.xml.rels",
                 "[Content_Types].xml")}
    except (KeyError, UnicodeDecodeError) as e:
        raise TemplateError(
            f"mẫu Word “{path}” thiếu phần {e}; hãy mở và lưu lại bằng Word dưới dạng .docx"
        ) from e

    # Styles: the template's, plus ours that it does not define (so every paragraph has one).
    styles = text["word/styles.xml"]
    have = set(_STYLE_ID.findall(styles))
    missing = "".join(m.group(0) for m in _STYLE.finditer(docx.STYLES)
                      if _STYLE_ID.search(m.group(0)).group(1) not in have)  # type: ignore[union-attr]
    styles = styles.replace("</w:styles>", missing + "</w:styles>")

    rels = {a.get("Id", ""): a for a in (_attrs(r) for r in _REL.findall(text["word/_rels/document.xml.rels"]))}
    sect = _FIRST_SECT.search(text["word/document.xml"])
    refs = ({r.group(1): _attrs(r.group(0)).get("r:id", "") for r in _REF.finditer(sect.group(0))}
            if sect else {})
    margins = dict(docx.MARGINS)
    mar = _MAR.search(sect.group(0)) if sect else None
    if mar is not None:
        for k, v in _attrs(mar.group(0)).items():
            name = k.removeprefix("w:")
            if name in ("top", "right", "bottom", "left", "header", "footer") and v.lstrip("-").isdigit():
                margins[name] = abs(int(v))

    # A template made from one of our reports: its first-page header is written again.
    content_types = re.sub(
        rf'<Override PartName="/{re.escape(docx.FIRST_HEADER_PART)}"[^>]*/>', "",
        text["[Content_Types].xml"])
    doc_rels = re.sub(rf'<Relationship\b[^>]*Id="{docx.FIRST_HEADER_ID}"[^>]*/>', "",
                      text["word/_rels/document.xml.rels"])
    parts: dict[str, str] = {}
    ids: dict[str, str] = {}
    own: set[str] = set()
    for kind, root in (("header", "hdr"), ("footer", "ftr")):
        rid = refs.get(kind, "")
        target = rels.get(rid, {}).get("Target", "")
        name = "word/" + target.removeprefix("/word/").removeprefix("./") if target else ""
        if rid and name in files:
            parts[kind] = name
            ids[kind] = rid
            own.add(kind)
            continue
        # The template has none: ours, added to the package.
        name, rid = f"word/tongket-{kind}.xml", f"rIdTongket{kind.title()}"
        parts[kind], ids[kind] = name, rid
        files[name] = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                       f"<w:{root} {docx.W_NS}></w:{root}>").encode()
        doc_rels = doc_rels.replace("</Relationships>", (
            f'<Relationship Id="{rid}" Type="{_RELTYPE}{kind}" Target="tongket-{kind}.xml"/>'
            "</Relationships>"))
        content_types = content_types.replace(
            "</Types>", _OVERRIDE.format(name, kind) + "</Types>")
    if "docProps/app.xml" not in files:  # our package's relationships name it
        files["docProps/app.xml"] = docx.APP.encode()
        content_types = content_types.replace("</Types>", (
            '<Override PartName="/docProps/app.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>'))
    if "/docProps/core.xml" not in content_types:
        content_types = content_types.replace("</Types>", (
            '<Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>'))
    skip = _OURS | set(parts.values())
    return docx.Template(
        styles=styles,
        content_types=content_types,
        doc_rels=doc_rels,
        header_part=parts["header"],
        header_xml=files[parts["header"]].decode("utf-8"),
        footer_part=parts["footer"],
        footer_xml=files[parts["footer"]].decode("utf-8"),
        page=docx.Page(margins, ids["header"], ids["footer"], own_header="header" in own),
        parts=tuple((n, b) for n, b in files.items() if n not in skip),
    )
