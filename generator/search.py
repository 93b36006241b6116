"""The site's search: a Pagefind index of every page, built after MkDocs, and the search page.

Pagefind (the `pagefind[bin]` package from PyPI, a Rust binary in a wheel, offline) reads the
built HTML and writes a chunked index under site/pagefind/: a visitor's browser fetches only the
index chunks of the words typed and the fragments of the results shown, so the bytes a search
transfers grow with the query, not with the number of units. It folds diacritics itself
("giam sat" finds "giám sát" and ranks "giám sát" first when typed with its marks), keeps tokens
such as "05-KH/ĐTN" whole besides their parts, and searches phrases in double quotes. What it
does not fold, "d" for "đ", is done by the search page (assets/search.js), which also runs a
query of several words as a phrase first (see the README, “Tìm kiếm”). The index is in bundles,
indexed again only where pages changed (issue 19: see BUNDLE_PAGES below).

Only the article of each page is indexed (`data-pagefind-body`, added by publish_hook as each
page is written): not the navigation, which on a small site lists every unit on every page, nor
the validator's warnings. Each unit's text is indexed on the unit's page, and on its outline
section's page while that page is small enough (COMPILED_INDEX_MAX): the search page then links
each match there at the unit's heading (muc/muc-3-2-3.html#<unit>). The summary, a section
page past that size, a page of some of a section's units and the pages of the appendices, the
lists and the comparison (tong-hop/) are indexed by their headings only (their title, their parts, the name of
each unit in them): Pagefind keeps each page's text in one fragment that a result fetches, and
theirs grows with the number of units (about 1 MB for a section at 1,000 units), while the unit
pages already find every text. A draft's page is marked (`draft`), which the search page says.
The search page itself is generated here, not by the renderer: it is the same for every site.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.metadata
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BUNDLE = "pagefind"  # the folder under site/ Pagefind writes
# The MkDocs config's `extra` key that says the caller indexes the site once MkDocs has ended
# (`make site`: generator/site.py), so publish_hook does not index it inside MkDocs.
INDEX_LATER = "tongket_index_after_mkdocs"
PAGE = "tim-kiem.md"  # the search page, under docs/
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-component-ui.js", "pagefind-component-ui.css",
          "pagefind-modular-ui.js", "pagefind-modular-ui.css", "pagefind-highlight.js")
ARTICLE = '<article class="md-content__inner md-typeset">'
INDEXED_ARTICLE = '<article class="md-content__inner md-typeset" data-pagefind-body>'

PAGE_MARKDOWN = """---
title: Tìm kiếm
---

# Tìm kiếm

<form id="tk-search-form" class="tk-search-form" role="search" action="tim-kiem.html">
<input id="tk-search-input" type="search" name="q" autocomplete="off"
 placeholder="Tên đơn vị, mã đơn vị, số văn bản, từ ngữ…" aria-label="Từ cần tìm">
<button type="submit" class="md-button md-button--primary">Tìm</button>
</form>
<p id="tk-search-status" class="tk-search-status" aria-live="polite"></p>
<ol id="tk-search-results" class="tk-search-results"></ol>
<p><button id="tk-search-more" class="md-button" type="button" hidden>Xem thêm kết quả</button></p>

<details class="tk-search-help"><summary>Cách tìm</summary>
<ul>
<li>Gõ có dấu hay không dấu đều được: “giam sat” tìm thấy “giám sát”, “dang” tìm thấy
“Đảng”. Gõ có dấu thì các trang đúng dấu đứng trước.</li>
<li>Nhiều từ được tìm như một cụm liền nhau (“quan triet” tìm “quán triệt”, không tìm “cơ quan”);
khi không có trang nào có cả cụm, trang có đủ các từ được liệt kê.</li>
<li>Số văn bản tìm được nguyên dạng: “05-KH/ĐTN”.</li>
</ul>
</details>
"""


class SearchIndexError(Exception):
    """Pagefind could not index the site."""


_HEADING = re.compile(r"<(h[12])(?=[\s>])")  # the title, the parts, each unit's name


# A compiled section page is indexed whole up to this size of its article (with the samples'
# texts: about 15 units of the longest section, III.2.3, and 150 of the shortest, VI): a result
# fetches the page's whole text. Past it, by its headings, and each text is found on its unit's
# page; so the bytes a search fetches stay a small part of the index at any size (tested at 300
# units in tests/test_search.py).
COMPILED_INDEX_MAX = 200_000
# A unit's report still in draft: marked for the search page, which says "bản nháp".
DRAFT_NOTE = '<div class="admonition warning draft-note">'
DRAFT_META = ' data-pagefind-meta="draft:bản nháp"'
COMPILED_META = ' data-pagefind-meta="compiled:1"'
# Not indexed anywhere: the validator's warnings and the list of what a draft has left to fill
# in (their words are the checker's, not the unit's), and the ¶ after each heading.
EXCLUDE_SELECTORS = (".headerlink", "details.warning", "div.admonition.warning")


def compiles_every_unit(src_uri: str) -> bool:
    """The summary, the outline sections' pages and the pages of the appendices, lists and the
    comparison of units (tong-hop/): every unit's texts or figures, unit after unit."""
    return src_uri == "index.md" or src_uri.startswith("tong-hop/") or is_section_page(src_uri)


def is_section_page(src_uri: str) -> bool:
    """An outline section's page: every final report's text of that section, unit by unit."""
    return src_uri.startswith("muc/") and src_uri != "muc/index.md"


def mark_article(html: str, src_uri: str) -> str:
    """Let Pagefind index this page's article, and nothing else of it; not the search page.

    A section page is indexed whole while it is small enough (COMPILED_INDEX_MAX), marked
    `compiled` so that the search page shows its matches unit by unit, at each unit's heading;
    the summary and a larger section page by their headings only (see the module's doc).
    A draft's page is marked `draft`, which the search page says."""
    if src_uri == PAGE:
        return html
    start = html.find(ARTICLE)
    if start == -1:
        return html
    end = html.find("</article>", start)
    end = len(html) if end == -1 else end
    if not compiles_every_unit(src_uri):
        marked = INDEXED_ARTICLE[:-1] + (DRAFT_META if DRAFT_NOTE in html[start:end] else "") + ">"
        return html.replace(ARTICLE, marked, 1)
    # A page of some of a section's units (render.Paging, issue 19) is indexed like a section page
    # too large to index: by its headings; each text is found on its unit's page.
    if is_section_page(src_uri) and "/trang-" not in src_uri and end - start <= COMPILED_INDEX_MAX:
        return html.replace(ARTICLE, INDEXED_ARTICLE[:-1] + COMPILED_META + ">", 1)
    headings = _HEADING.sub(r"<\1 data-pagefind-body", html[start:end])
    return html[:start] + headings + html[end:]


# The index in bundles (issue 19). Pagefind cannot update an index: each run builds one from
# nothing, in time and memory that grow with its pages (about 870 kB of memory a unit's page).
# So the pages are split by a hash of their path into base bundles of at most BUNDLE_PAGES pages
# each (a random sample of every kind of page in each, so their scores compare), written one
# after another: the peak memory is one bundle's. Bundle 0 is site/pagefind/ itself (pagefind.js
# is there); the others are site/pagefind/b1/, b2/, … An edit then re-indexes only the pages
# whose HTML changed, into one small bundle of their new versions (site/pagefind/delta/), and
# the search page hides the old versions the base bundles still hold (bundles.json: the bundles
# to merge and the pages to hide). Once the changed pages are more than DELTA_MAX (the delta's
# run then takes about a second), the base bundles that hold them are indexed again and the delta
# is emptied. A bundle whose pages are unchanged keeps its files byte for byte.
BUNDLE_PAGES = 900  # about 800 MB of Pagefind's memory at most; TONGKET_SEARCH_BUNDLE_PAGES sets it
BUNDLE_PAGES_ENV = "TONGKET_SEARCH_BUNDLE_PAGES"
DELTA_MAX = 100
DELTA = "delta"
MANIFEST = "manifest.json"  # what each bundle holds: each page's hash, its fragment (Pagefind's id)
BUNDLES = "bundles.json"  # for the search page: the bundles to merge, the pages to hide
FORMAT = 1
# In a bundle other than the first, only its index is needed: the search page runs the first
# bundle's code (pagefind.js, its worker and WebAssembly) for every bundle.
CODE = ("pagefind.js", "pagefind-worker.js")
_BODY = re.compile(rb"<[a-z][^<>]*\sdata-pagefind-body[\s>=]")


@dataclass
class Indexed:
    """What index_site did: the bundles it wrote (empty: the index was current), pages in all."""

    bundles: list[str] = field(default_factory=list)
    pages: int = 0
    delta: int = 0  # pages in the delta bundle
    everything: bool = False  # every bundle written (no usable manifest, or asked to)


def bundle_pages() -> int:
    try:
        return max(1, int(os.environ.get(BUNDLE_PAGES_ENV, "") or BUNDLE_PAGES))
    except ValueError:
        return BUNDLE_PAGES


def _options() -> list[str]:
    return [
        "--keep-index-url",  # our links end in .html (use_directory_urls: false)
        *(a for sel in EXCLUDE_SELECTORS for a in ("--exclude-selectors", sel)),
        "--silent",
    ]


def _settings(per_bundle: int) -> str:
    """What every bundle depends on besides its pages: Pagefind's version and options."""
    try:
        version = importlib.metadata.version("pagefind-bin")
    except importlib.metadata.PackageNotFoundError:
        version = "?"
    return json.dumps([FORMAT, version, _options(), per_bundle])


def indexed_pages(site_dir: Path, known: dict[str, list[Any]] | None = None,
                  seen: dict[str, list[Any]] | None = None) -> dict[str, str]:
    """Every page Pagefind indexes (an article marked by mark_article), path → hash of its bytes.

    `known`: [size, mtime_ns, hash ("" for a page not indexed)] of each HTML file when it was
    last read, whose hash is taken again only when its size or time changed (MkDocs --dirty and
    `make serve` rewrite only the pages they build); `seen` receives them for the next time."""
    out = {}
    known = known or {}
    for path in sorted(site_dir.rglob("*.html")):
        rel = path.relative_to(site_dir).as_posix()
        if rel.split("/", 1)[0] in (BUNDLE, BUNDLE + ".new", BUNDLE + ".old"):
            continue
        st = path.stat()
        last = known.get(rel)
        if last is not None and last[:2] == [st.st_size, st.st_mtime_ns]:
            sha = str(last[2])
        else:
            data = path.read_bytes()
            at = data.find(b" data-pagefind-body")
            marked = at != -1 and _BODY.search(data, max(0, data.rfind(b"<", 0, at))) is not None
            sha = hashlib.blake2b(data, digest_size=16).hexdigest() if marked else ""
        if seen is not None:
            seen[rel] = [st.st_size, st.st_mtime_ns, sha]
        if sha:
            out[rel] = sha
    return out


# What indexed_pages read last, by site folder, in this process: `make serve` indexes its preview
# after every rebuild, and reads again only the pages the rebuild wrote. (Not in the manifest:
# files' times would make two builds of the same site differ.)
_LAST_READ: dict[str, dict[str, list[Any]]] = {}


def _bucket(rel: str, count: int) -> int:
    return int(hashlib.sha256(rel.encode("utf-8")).hexdigest()[:8], 16) % count


def _bundle_dir(root: Path, name: str) -> Path:
    return root if name == "b0" else root / name


def _own_entries(root: Path, name: str) -> list[Path]:
    """A bundle's files and folders (the first bundle's: those in site/pagefind/ that are not
    another bundle's folder or the manifests)."""
    folder = _bundle_dir(root, name)
    if name != "b0":
        return [folder]
    return [p for p in folder.iterdir()
            if not re.fullmatch(r"b\d+|" + DELTA, p.name) and p.name not in (MANIFEST, BUNDLES)]


def _read_manifest(root: Path, settings: str) -> dict[str, Any] | None:
    """The last index's manifest, or None when it is missing, damaged, of other settings, or a
    bundle it names is not there (then everything is indexed again)."""
    try:
        m: dict[str, Any] = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
        if m["settings"] != settings:
            return None
        base: dict[str, dict[str, list[str]]] = m["base"]
        delta: dict[str, str] = m["delta"]
        for name, pages in base.items():
            if not re.fullmatch(r"b\d+", name) or not isinstance(pages, dict):
                return None
            if pages and not (_bundle_dir(root, name) / "pagefind-entry.json").is_file():
                return None
            for entry in pages.values():
                if not (isinstance(entry, list) and len(entry) == 2 and all(isinstance(x, str) for x in entry)):
                    return None
        if not isinstance(delta, dict) or (delta and not (root / DELTA / "pagefind-entry.json").is_file()):
            return None
        if not isinstance(m["delta_ids"], dict) or set(m["delta_ids"]) != set(delta):
            return None
        if "b0" not in base or not (root / "pagefind.js").is_file():
            return None
        return m
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def served_pages(manifest: dict[str, Any]) -> dict[str, str]:
    """What the search page searches, from an index's manifest: each page's id in Pagefind (the
    hash of what Pagefind keeps of it), in the base bundles unless hidden, or in the delta. Two
    indexes that serve the same pages with the same texts give the same."""
    hidden = set(manifest["hidden"])
    out = {rel: entry[1] for pages in manifest["base"].values() for rel, entry in pages.items()
           if entry[1] not in hidden}
    out.update(manifest["delta_ids"])
    return dict(sorted(out.items()))


def _write_json(path: Path, data: dict[str, Any]) -> None:
    """Written beside and renamed: whole or absent, never half-written."""
    part = path.with_name(path.name + ".part")
    part.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    part.replace(path)


def _fragments(out: Path) -> dict[str, str]:
    """Each page's id in a bundle Pagefind wrote (the name of its fragment), by page path."""
    ids = {}
    for f in (out / "fragment").glob("*.pf_fragment"):
        data = f.read_bytes()
        if not data.startswith(b"pagefind_dcd"):
            data = gzip.decompress(data)
        url = json.loads(data[len(b"pagefind_dcd"):].decode("utf-8"))["url"]
        ids[urllib.parse.unquote(url).lstrip("/")] = f.stem
    return ids


def _run_pagefind(site_dir: Path, pages: list[str], out: Path, stage: Path, first: bool) -> dict[str, str]:
    """One Pagefind run over these pages of the site (linked into a folder of their own), into
    `out`; returns each page's id in it."""
    for rel in pages:
        target = stage / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(site_dir / rel, target)
        except OSError:
            shutil.copyfile(site_dir / rel, target)
    cmd = [sys.executable, "-m", "pagefind", "--site", str(stage), "--output-path", str(out), *_options()]
    r = subprocess.run(cmd, capture_output=True, text=True, check=False)
    shutil.rmtree(stage, ignore_errors=True)
    if r.returncode != 0 or not (out / "pagefind-entry.json").is_file():
        raise SearchIndexError(
            f"Pagefind không tạo được chỉ mục tìm kiếm (mã {r.returncode}): "
            + (r.stderr or r.stdout).strip()
        )
    # Pagefind's ready-made interfaces; assets/search.js uses its API (pagefind.js) instead.
    for unused in UNUSED if first else (*UNUSED, *CODE):
        (out / unused).unlink(missing_ok=True)
    if not first:
        for wasm in out.glob("wasm.*.pagefind"):
            wasm.unlink()
    ids = _fragments(out)
    missing = [rel for rel in pages if rel not in ids]
    if missing:
        raise SearchIndexError("Pagefind không ghi chỉ mục của " + ", ".join(missing[:5]))
    return ids


def index_site(site_dir: Path, *, everything: bool = False) -> Indexed:
    """Bring Pagefind's index of the built site in site_dir/pagefind/ up to date, indexing again
    only the bundles whose pages changed (see BUNDLE_PAGES); `everything`: all of them.

    The new index is written beside the old one (a bundle that did not change linked into it,
    byte for byte) and swapped in, so a preview that is being searched is without an index only
    for the moment of two renames."""
    root = site_dir / BUNDLE
    fresh, stale = site_dir / (BUNDLE + ".new"), site_dir / (BUNDLE + ".old")
    for leftover in (fresh, stale):
        if leftover.exists():
            shutil.rmtree(leftover)
    per_bundle = bundle_pages()
    settings = _settings(per_bundle)
    old = None if everything else _read_manifest(root, settings)
    seen: dict[str, list[Any]] = {}
    key = str(site_dir.resolve())
    pages = indexed_pages(site_dir, _LAST_READ.pop(key, None), seen)
    count = max(1, math.ceil(len(pages) / per_bundle))
    names = [f"b{i}" for i in range(count)]
    if old is not None and set(old["base"]) != set(names):
        old = None
    now: dict[str, list[str]] = {name: [] for name in names}
    for rel in pages:
        now[names[_bucket(rel, count)]].append(rel)
    if not now["b0"]:
        raise SearchIndexError("Pagefind không có trang nào để lập chỉ mục tìm kiếm trong " + str(site_dir))
    done = Indexed(pages=len(pages), everything=old is None)
    base: dict[str, dict[str, list[str]]] = {}
    delta: dict[str, str] = {}
    if old is None:
        reindex = set(names)
    else:
        base = old["base"]
        changed = {rel for rel, sha in pages.items()
                   if base[names[_bucket(rel, count)]].get(rel, [""])[0] != sha}
        removed = {rel for pages_of in base.values() for rel in pages_of if rel not in pages}
        if len(changed) + len(removed) > DELTA_MAX:
            reindex = {names[_bucket(rel, count)] for rel in changed | removed}
        else:
            reindex = set()
            delta = {rel: pages[rel] for rel in sorted(changed)}
    hidden = sorted(entry[1] for name in names if name not in reindex
                    for rel, entry in base.get(name, {}).items() if pages.get(rel) != entry[0])
    if not reindex and old is not None and delta == old["delta"] and hidden == old.get("hidden"):
        _LAST_READ[key] = seen
        return done  # the index is of these pages already: nothing is written
    fresh.mkdir()
    new_base: dict[str, dict[str, list[str]]] = {}
    # Each run's pages are linked into a folder of their own inside the new index's folder (the
    # same file system as the site, whatever is mounted where), removed before the swap.
    with tempfile.TemporaryDirectory(dir=fresh, prefix=".pages-") as tmp:
        for name in names:
            if name in reindex:
                out = _bundle_dir(fresh, name)
                if now[name]:
                    ids = _run_pagefind(site_dir, now[name], out, Path(tmp) / name, first=name == "b0")
                    new_base[name] = {rel: [pages[rel], ids[rel]] for rel in now[name]}
                    done.bundles.append(name)
                else:
                    new_base[name] = {}
            else:
                new_base[name] = base[name]
                for entry in _own_entries(root, name) if base[name] else []:
                    target = fresh / entry.relative_to(root)
                    if entry.is_dir():
                        shutil.copytree(entry, target, copy_function=os.link)
                    else:
                        os.link(entry, target)
        delta_ids: dict[str, str] = {}
        if delta and old is not None and delta == old["delta"]:
            shutil.copytree(root / DELTA, fresh / DELTA, copy_function=os.link)
            delta_ids = old["delta_ids"]
        elif delta:
            ids = _run_pagefind(site_dir, list(delta), fresh / DELTA, Path(tmp) / DELTA, first=False)
            delta_ids = {rel: ids[rel] for rel in delta}
            done.bundles.append(DELTA)
    done.delta = len(delta)
    merge = [f"{name}/" for name in names[1:] if new_base[name]] + ([f"{DELTA}/"] if delta else [])
    (fresh / BUNDLES).write_text(json.dumps({"merge": merge, "hidden": hidden}), encoding="utf-8")
    _write_json(fresh / MANIFEST, {"settings": settings, "base": new_base, "delta": delta,
                                   "delta_ids": delta_ids, "hidden": hidden})
    if root.exists():
        root.rename(stale)
    fresh.rename(root)
    if stale.exists():
        shutil.rmtree(stale)
    _LAST_READ[key] = seen
    return done


class BackgroundIndexer:
    """`make serve`: index the preview after a rebuild without holding back its reload.

    Pagefind takes seconds at 1,000 units; the edited page is shown at once and search follows.
    One run at a time; a rebuild during a run asks for one more run after it (of the preview as
    it is then), so the last index is always of the last build.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._site: Path | None = None
        self._running = False
        self.errors: list[str] = []

    def request(self, site_dir: Path) -> None:
        with self._lock:
            self._site = site_dir
            if not self._running:
                self._running = True
                threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        while True:
            with self._lock:
                site, self._site = self._site, None
                if site is None:
                    self._running = False
                    return
            try:
                index_site(site)
            except SearchIndexError as e:
                self.errors.append(str(e))
