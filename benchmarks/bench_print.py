"""How many pages the district's documents print at scale, as LibreOffice prints them.

    nice .venv/bin/python benchmarks/bench_print.py             # 1,000 units
    nice .venv/bin/python benchmarks/bench_print.py --units 50 --draft   # the draft report too

Builds the site as `make site` does on a synthetic corpus (benchmarks/synth.py), converts the
workbook (`tai-ve/phu-luc.xlsx`) (with --draft, the district's draft report too) to PDF with
LibreOffice, and prints the pages of each sheet (each printed page carries its sheet's name at the top, which is
how a page is told to belong to a sheet) and of the draft, with the rows each page holds. Issue
17 asks for the figures (recorded in benchmarks/README.md); the script fails when a printed page
belongs to no sheet (a page without its print title) or a sheet prints no page. One page wide is
the workbook's setting (A4 landscape, fit to width), checked in tests/test_documents.py.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.synth import ROOT, make_corpus


def skeleton(s: str) -> str:
    """The ASCII letters and digits of a text: what survives PDF text extraction of Vietnamese
    (PDFium returns a syllable's combining marks apart from its letters)."""
    return re.sub(r"[^A-Za-z0-9]", "", s)


def pdf_pages(pdf: Path) -> list[str]:
    import pypdfium2

    doc = pypdfium2.PdfDocument(str(pdf))
    try:
        return [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    finally:
        doc.close()


def to_pdf(files: list[Path], out: Path) -> float:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise SystemExit("LibreOffice is missing: make libreoffice")
    start = time.perf_counter()
    subprocess.run(
        [soffice, f"-env:UserInstallation={(out / 'profile').as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(out), *map(str, files)],
        check=True, capture_output=True, timeout=3600, env={**os.environ, "HOME": str(out)},
    )
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--units", type=int, default=1000)
    ap.add_argument("--draft", action="store_true",
                    help="also print the district's draft report (every unit's text: long)")
    args = ap.parse_args()
    import openpyxl

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        campaign, subs = make_corpus(args.units, work)
        cmd = [sys.executable, "-m", "generator", "build", "--campaign", str(campaign),
               "--submissions", str(subs), "--docs", str(work / "docs"), "--site",
               str(work / "site"), "--config-dir", str(work / "build")]
        subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        tai_ve = work / "site" / "tai-ve"
        book, draft = tai_ve / "phu-luc.xlsx", tai_ve / "du-thao-bao-cao-tong-ket.docx"
        seconds = to_pdf([book, draft] if args.draft else [book], work)
        wb = openpyxl.load_workbook(book)
        # Each sheet's print title (the header's centre) and its rows.
        sheets = []
        for ws in wb:
            title = re.sub(r'^&C&"[^"]*"&\d+', "", str(ws.oddHeader.center.text or ""))
            sheets.append((ws.title, skeleton(title), ws.max_row))
        pages = pdf_pages(work / f"{book.stem}.pdf")
        counts = {name: 0 for name, _, _ in sheets}
        unknown = 0
        for text in pages:
            first = skeleton(text.split("\r\n", 1)[0])
            match = [name for name, sk, _ in sheets if sk and first.startswith(sk[:40])]
            if match:
                counts[match[0]] += 1
            else:
                unknown += 1
        what = "the workbook and the draft" if args.draft else "the workbook"
        print(f"{args.units} units; LibreOffice converted {what} in {seconds:.1f} s")
        print(f"{'sheet':<20} {'rows':>6} {'pages':>6} {'rows/page':>10}")
        for name, _, rows in sheets:
            per = rows / counts[name] if counts[name] else 0
            print(f"{name:<20} {rows:>6} {counts[name]:>6} {per:>10.1f}")
        print(f"{'workbook':<20} {'':>6} {len(pages):>6}" + (f"  ({unknown} unattributed)" if unknown else ""))
        if args.draft:
            print(f"{'draft report (.docx)':<20} {'':>6} {len(pdf_pages(work / f'{draft.stem}.pdf')):>6}")
        ok = unknown == 0 and all(counts[n] > 0 for n, _, _ in sheets)
        print("targets:", "met" if ok else "NOT met")
        if not ok:
            raise SystemExit(1)


if __name__ == "__main__":
    main()
