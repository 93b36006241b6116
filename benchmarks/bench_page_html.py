"""Our pages' HTML: generator/page_html.py against Python-Markdown, on the same pages, in one run.

    nice .venv/bin/python benchmarks/bench_page_html.py            # 1,000 synthetic units
    nice .venv/bin/python benchmarks/bench_page_html.py --units 300

The corpus (benchmarks/synth.py) is rendered into docs/ as `python -m generator build` does
(without the Word and Excel documents, which MkDocs does not read); then every page is rendered
by MkDocs' Page.render (Python-Markdown with mkdocs.yml's extensions, the way before issue 19)
and by page_html.render, and the two are compared: the same HTML, table of contents and title
(target: every generated page, and the ratio ≥ 4). The link check publish_hook runs on every page
is timed too. With cmarkgfm installed (it is not a dependency), its render of the same Markdown
is timed beside them, for reference: it gives headings no ids, permalinks or table of contents.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.synth import make_corpus


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--units", type=int, default=1000)
    args = ap.parse_args()
    os.environ["TONGKET_BUILD_WITHOUT_DOCUMENTS"] = "1"
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files
    from mkdocs.structure.pages import Page
    from mkdocs.structure.toc import get_toc

    from generator import page_html
    from generator.site import build_markdown, mkdocs_config

    with tempfile.TemporaryDirectory() as tmp_name:
        work = Path(tmp_name)
        make_corpus(args.units, work)
        stats = build_markdown(work / "campaign.yaml", work / "submissions", work / "docs")
        config = load_config(str(mkdocs_config(stats, work / "docs", work / "site", work / "build")))
        files = get_files(config)
        theirs = ours = links = 0.0
        chars = same = left = 0
        differ: list[str] = []
        cmark_sources: list[str] = []
        for file in files.documentation_pages():
            page = Page(None, file, config)
            page.read_source(config)
            markdown = page.markdown or ""
            chars += len(markdown)
            cmark_sources.append(markdown)
            t = time.perf_counter()
            Page.render(page, config, files)
            theirs += time.perf_counter() - t
            t = time.perf_counter()
            rendered = page_html.render(markdown)
            ours += time.perf_counter() - t
            if rendered is None:
                left += 1
                continue
            t = time.perf_counter()
            for _, path, _anchor in page_html.relative_links(rendered.content):
                if path:
                    page_html.target(file.url, path)
            links += time.perf_counter() - t
            toc = get_toc(rendered.toc_tokens)  # type: ignore[arg-type]
            if (rendered.content, str(toc), rendered.title) == (
                    page.content, str(page.toc), page._title_from_render):
                same += 1
            else:
                differ.append(file.src_uri)
    pages = same + len(differ) + left
    print(f"{args.units} units: {pages} pages, {chars / 1e6:.1f} M characters of Markdown")
    print(f"  Python-Markdown (Page.render)  {theirs:7.2f} s")
    print(f"  page_html.render               {ours:7.2f} s   ratio {theirs / ours:5.1f} (target ≥ 4)")
    print(f"  link check (find and resolve)  {links:7.2f} s")
    try:
        import cmarkgfm  # type: ignore[import-not-found]
        from cmarkgfm.cmark import Options  # type: ignore[import-not-found]
    except ImportError:
        print("  cmarkgfm                       (not installed)")
    else:
        t = time.perf_counter()
        for markdown in cmark_sources:
            cmarkgfm.markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)
        print(f"  cmarkgfm (no ids, no TOC)      {time.perf_counter() - t:7.2f} s")
    print(f"  the same HTML, TOC and title: {same} pages; left to Python-Markdown: {left}; "
          f"different: {len(differ)} (target 0)" + "".join(f"\n    {d}" for d in differ[:20]))
    ok = not differ and theirs / ours >= 4
    print("all targets met" if ok else "NOT all targets met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
