"""The validator's test cases (tests/cases/) as the files a user would have, built from patches.

A case's report is not a full copy of a report: it is the base report (`valid/xa-mau.yaml`) and
the lines the case changes, as a unified diff in `<file>.patch` beside the case's `expected.txt`:

    --- valid/xa-mau.yaml                      (the file it edits, relative to tests/cases/)
    +++ invalid/duplicate-key/xa-mau.yaml
    @@ -36,6 +36,7 @@
         Tổng cộng đã tổ chức 17 buổi quán triệt …
       dissemination_sessions: 17
       people_reached: 486
    +  inspections: 3
       propaganda: |

A hunk is found by its lines (context and removed lines), never by the numbers after `@@`, which
are there for the reader: a line added to the base elsewhere does not move it. Its lines must be
found exactly once in the base, or building the case fails, naming the case and the hunk. A line
added to the base inside a hunk's context is tolerated as `patch` does (context left off the
hunk's ends while what is left is found once); `expected` then writes that patch anew. A
patch may edit any file of tests/cases/ (a case's `campaign.yaml` edits `campaign.yaml`; a valid
report may edit another one), or a file that is itself a patch. Patches are read as bytes, so a
hunk may hold a BOM, a Tab, a control character or bytes that are not UTF-8; a file that is
smaller than its patch (an empty file, a file in another encoding) stays a full file.

`materialise(dest)` writes every case as real files under `dest/tests/cases/` (the same relative
names, so the validator prints the `tests/cases/…:LINE:COL` its `expected.txt` holds when run from
`dest`); `cases_root()` does it once per test session, in a temporary folder.

    python tests/casefiles.py convert        turn full copies into patches (checks every
                                             rebuilt file is byte-identical before deleting it)
    python tests/casefiles.py build DIR      write the cases as files under DIR, to look at them
    python tests/casefiles.py expected       rewrite every expected.txt from what the validator
                                             prints now, and every patch whose context moved
                                             (`make cases-expected`); read `git diff tests/cases`
    python tests/casefiles.py expected --check   only list the cases whose output changed
"""

from __future__ import annotations

import atexit
import contextlib
import difflib
import functools
import io
import itertools
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "tests" / "cases"
SUFFIX = ".patch"
# Not inputs of any run: they stay where they are.
NOT_INPUTS = ("expected.txt", "README.md")
# The base report: every other report is a patch of it, or of a patch of it.
BASE = "valid/xa-mau.yaml"
CONTEXT = 3
NO_EOL = b"\\ No newline at end of file"
EXPECTED = "expected.txt"
FUZZED: set[str] = set()  # the patches applied with context left off (`refresh` writes them anew)
TODAY = "{today}"  # in expected.txt: the date of the run (the "not in the future" rule says it)


class CaseError(Exception):
    """A patch that cannot be applied; the message names the case and the hunk."""


@dataclass
class Hunk:
    header: bytes
    body: list[tuple[bytes, bytes]]  # (b" ", b"-" or b"+", the line with its line end)

    def lines(self, lead: int = 0, trail: int = 0) -> tuple[list[bytes], list[bytes]]:
        """The lines it finds and the lines it puts instead, without `lead` and `trail` lines of context."""
        body = self.body[lead:len(self.body) - trail]
        return [x for m, x in body if m != b"+"], [x for m, x in body if m != b"-"]

    def context(self) -> tuple[int, int]:
        """How many context lines it has before its first change and after its last one."""
        marks = [m for m, _ in self.body]
        lead = next((i for i, m in enumerate(marks) if m != b" "), len(marks))
        trail = next((i for i, m in enumerate(reversed(marks)) if m != b" "), 0) if lead < len(marks) else 0
        return lead, trail


def _lines(data: bytes) -> list[bytes]:
    """Lines ended by LF only: a CR is a byte of its line, kept as it is."""
    parts = data.split(b"\n")
    out = [p + b"\n" for p in parts[:-1]]
    return out + [parts[-1]] if parts[-1] else out


def parse_patch(text: bytes, name: str) -> tuple[str, list[Hunk]]:
    """The base a patch edits (relative to tests/cases/) and its hunks."""
    lines = _lines(text)
    if len(lines) < 2 or not lines[0].startswith(b"--- ") or not lines[1].startswith(b"+++ "):
        raise CaseError(f"{name}: a patch starts with `--- BASE` and `+++ FILE` lines")
    base = lines[0][4:].rstrip(b"\r\n").decode("utf-8").split("\t")[0]
    hunks: list[Hunk] = []
    for n, line in enumerate(lines[2:], start=3):
        if line.startswith(b"@@"):
            hunks.append(Hunk(line.rstrip(b"\n"), []))
        elif not hunks:
            raise CaseError(f"{name}:{n}: a line before the first @@")
        elif line.startswith(NO_EOL):
            if hunks[-1].body:
                mark, last = hunks[-1].body[-1]
                hunks[-1].body[-1] = (mark, last.removesuffix(b"\n"))
        elif line == b"\n":  # an editor may strip a blank context line's space
            hunks[-1].body.append((b" ", line))
        elif line[:1] in (b" ", b"-", b"+"):
            hunks[-1].body.append((line[:1], line[1:]))
        else:
            raise CaseError(f"{name}:{n}: a hunk line starts with ' ', '-' or '+'")
    return base, hunks


def _find(lines: list[bytes], seq: list[bytes]) -> list[int]:
    if not seq:
        return [0] if not lines else []
    first, k = seq[0], len(seq)
    return [i for i in range(len(lines) - k + 1) if lines[i] == first and lines[i:i + k] == seq]


def _locate(lines: list[bytes], h: Hunk, name: str) -> tuple[int, int, list[bytes]]:
    """Where hunk `h` applies: its lines found exactly once. If they are not found (a line was added
    to the base next to the lines a case changes), context lines are left off its ends, fewest first,
    as `patch` does ("fuzz"), as long as what is left is found exactly once."""
    lead, trail = h.context()
    old, new = h.lines()
    at = _find(lines, old)
    if not at:
        for total in range(1, lead + trail + 1):
            for a in range(min(total, lead), max(0, total - trail) - 1, -1):
                old, new = h.lines(a, total - a)
                at = _find(lines, old) if old else []
                if len(at) == 1:
                    FUZZED.add(name)
                    return at[0], at[0] + len(old), new
        old, new = h.lines()
    if len(at) != 1:
        hint = ("not found in the base: the base changed under them; edit the patch to match it"
                if not at else
                f"found {len(at)} times in the base (lines {', '.join(str(i + 1) for i in at)}); "
                "give the hunk more context lines")
        raise CaseError(f"{name}: hunk {h.header.decode('utf-8', 'replace')}: its lines are {hint}")
    return at[0], at[0] + len(old), new


def apply_patch(base: bytes, hunks: list[Hunk], name: str) -> bytes:
    """`base` with every hunk applied; each hunk's lines must be found exactly once in it."""
    lines = _lines(base)
    spans = sorted(_locate(lines, h, name) for h in hunks)
    for (_, end, _), (start, _, _) in itertools.pairwise(spans):
        if start < end:
            raise CaseError(f"{name}: two hunks edit the same lines")
    for start, end, new in reversed(spans):
        lines[start:end] = new
    return b"".join(lines)


def make_patch(base: bytes, target: bytes, base_name: str, name: str) -> bytes:
    """A patch that `apply_patch` turns `base` into `target` with: every hunk's lines are unique in
    the base (context grows until they are), hunks that would overlap are merged."""
    a, b = _lines(base), _lines(target)
    ops = [op for op in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes() if op[0] != "equal"]
    # groups of changes: [a_start, a_end, b_start, b_end], each with its context before and after
    groups = [[i1, i2, j1, j2] for _, i1, i2, j1, j2 in ops]
    while True:
        spans = [_context(a, g) for g in groups]
        merged = False
        for k in range(len(groups) - 1):
            if spans[k][1] >= spans[k + 1][0]:  # touching or overlapping: one hunk
                g, h = groups[k], groups[k + 1]
                groups[k:k + 2] = [[g[0], h[1], g[2], h[3]]]
                merged = True
                break
        if not merged:
            break
    out = [f"--- {base_name}\n+++ {name}\n".encode()]
    for (i1, i2, j1, j2), (s, e) in zip(groups, spans):
        before, after = i1 - s, e - i2
        js, je = j1 - before, j2 + after
        out.append(f"@@ -{s + 1},{e - s} +{js + 1},{je - js} @@\n".encode())
        body = [(b" ", x) for x in a[s:i1]] + [(b"-", x) for x in a[i1:i2]] + \
               [(b"+", x) for x in b[j1:j2]] + [(b" ", x) for x in a[i2:e]]
        for mark, line in body:
            out.append(mark + line)
            if not line.endswith(b"\n"):
                out.append(b"\n" + NO_EOL + b"\n")
    return b"".join(out)


def _context(a: list[bytes], g: list[int]) -> tuple[int, int]:
    """The base lines [s, e) a change needs around it to be found exactly once."""
    i1, i2 = g[0], g[1]
    c = CONTEXT
    while True:
        s, e = max(0, i1 - c), min(len(a), i2 + c)
        if len(_find(a, a[s:e])) == 1 or (s == 0 and e == len(a)):
            return s, e
        c += 1


def _build(rel: str, cache: dict[str, bytes], stack: tuple[str, ...] = ()) -> bytes:
    """The bytes of tests/cases/REL: the file itself, or its patch applied to its base."""
    if rel in cache:
        return cache[rel]
    full, patch = SOURCE / rel, SOURCE / (rel + SUFFIX)
    if full.is_file() and not full.is_symlink():
        data = full.read_bytes()
    elif patch.is_file():
        if rel in stack:
            raise CaseError(f"tests/cases/{rel}{SUFFIX}: patches that edit each other ({' → '.join(stack)})")
        base, hunks = parse_patch(patch.read_bytes(), f"tests/cases/{rel}{SUFFIX}")
        data = apply_patch(_build(base, cache, stack + (rel,)), hunks, f"tests/cases/{rel}{SUFFIX}")
    else:
        raise CaseError(f"tests/cases/{rel}: no such file and no {rel}{SUFFIX}")
    cache[rel] = data
    return data


def materialise(dest: Path) -> Path:
    """Write every case of tests/cases/ under `dest/tests/cases/`, as real files; return `dest`.

    Patches become the files they describe, symlinks stay symlinks, other files are copied;
    `expected.txt` and README.md are not inputs and stay in tests/cases/ only."""
    cache: dict[str, bytes] = {}
    out = dest / "tests" / "cases"
    for src in sorted(SOURCE.rglob("*")):
        rel = src.relative_to(SOURCE).as_posix()
        if src.is_dir() and not src.is_symlink():
            (out / rel).mkdir(parents=True, exist_ok=True)
            continue
        if src.name in NOT_INPUTS:
            continue
        target = out / rel.removesuffix(SUFFIX)
        target.parent.mkdir(parents=True, exist_ok=True)
        if src.is_symlink():
            target.symlink_to(src.readlink())
        else:
            target.write_bytes(_build(rel.removesuffix(SUFFIX), cache))
    return dest


@functools.cache
def cases_root() -> Path:
    """A temporary folder holding `tests/cases/` as real files, built once per process."""
    tmp = Path(tempfile.mkdtemp(prefix="cases-"))
    atexit.register(shutil.rmtree, tmp, ignore_errors=True)
    return materialise(tmp)


@dataclass(frozen=True)
class Run:
    """One validator run of the cases: `kind/name`, its report files and campaign, under `root`."""
    kind: str  # valid, invalid or warning
    name: str
    files: tuple[Path, ...]
    campaign: Path
    root: Path  # the folder the validator runs from; file names are shown relative to it

    @property
    def id(self) -> str:
        return f"{self.kind}/{self.name}"

    @property
    def expected(self) -> Path:
        """Where the run's expected output is kept (in the source tree, never the built one)."""
        return SOURCE / self.kind / self.name / EXPECTED

    def args(self) -> list[str]:
        """`validate FILES --campaign CAMPAIGN`, the names relative to `root`."""
        return ["validate", *(self.rel(f) for f in self.files), "--campaign", self.rel(self.campaign)]

    def rel(self, p: Path) -> str:
        return p.relative_to(self.root).as_posix()


def runs(root: Path | None = None) -> list[Run]:
    """Every run of the cases built under `root` (default: `cases_root()`): each valid report alone,
    then each folder of invalid/ and warning/ (its files, with its own campaign.yaml if it has one)."""
    root = root or cases_root()
    cases = root / "tests" / "cases"
    shared = cases / "campaign.yaml"
    out = [Run("valid", p.stem, (p,), shared, root) for p in sorted((cases / "valid").glob("*.yaml"))]
    for kind in ("invalid", "warning"):
        for case in sorted(p for p in (cases / kind).iterdir() if p.is_dir()):
            files = tuple(sorted(p for p in case.iterdir() if p.name != "campaign.yaml"))
            own = case / "campaign.yaml"
            out.append(Run(kind, case.name, files, own if own.exists() else shared, root))
    return out


def expected_output(run: Run) -> str:
    """What the validator must print for `run`: its expected.txt, with today's date put in."""
    from generator.validate import latest_today
    return run.expected.read_text(encoding="utf-8").replace(TODAY, latest_today().isoformat())


def cli(args: list[str], cwd: Path) -> str:
    """What `python -m generator ARGS` prints (standard output and error) when run from `cwd`,
    run in this process through the CLI's own `main`: a hundred runs take seconds, not a minute."""
    from generator.cli import main
    here = Path.cwd()
    buf = io.StringIO()
    try:
        os.chdir(cwd)
        with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(buf):
            main(args)
    finally:
        os.chdir(here)
    return buf.getvalue()


def outputs(todo: list[Run]) -> dict[str, str]:
    """What `python -m generator validate` prints for each run (`cli`), keyed by `Run.id`."""
    return {r.id: cli(r.args(), r.root) for r in todo}


def update_expected(check: bool = False) -> list[str]:
    """Rewrite the expected.txt of every invalid and warning case from what the validator prints
    now (today's date written `{today}`); return the cases whose output changed."""
    from generator.validate import latest_today
    today = latest_today().isoformat()
    todo = [r for r in runs() if r.kind != "valid"]
    changed = []
    printed = outputs(todo)
    for r in todo:
        new = printed[r.id].replace(today, TODAY)
        old = r.expected.read_text(encoding="utf-8") if r.expected.is_file() else None
        if new != old:
            changed.append(r.id)
            if not check:
                r.expected.write_text(new, encoding="utf-8")
    return changed


def convert(verbose: bool = True) -> list[str]:
    """Replace each full copy of a report or campaign file in tests/cases/ by a patch of the file it
    differs least from (the valid reports first, as patches of the base; a case's report, of a
    valid report, or failing that of another case's whole file); a file smaller than its patch
    stays whole. A base is always a whole file, so patches never go round in a circle. Every file is rebuilt from its patch and compared byte for byte before it
    is deleted. Returns the files kept whole."""
    kept: list[str] = []
    files = [p for p in sorted(SOURCE.rglob("*")) if p.is_file() and not p.is_symlink()
             and p.name not in NOT_INPUTS and p.suffix != SUFFIX and p.parent != SOURCE
             and p.relative_to(SOURCE).as_posix() != BASE]
    valid = [p for p in files if p.parent == SOURCE / "valid"]
    for src in valid + [p for p in files if p not in valid]:
        rel = src.relative_to(SOURCE).as_posix()
        target = src.read_bytes()
        if src.name == "campaign.yaml":
            bases = ["campaign.yaml"]
        elif src in valid:
            bases = [BASE]
        else:
            bases = sorted(p.relative_to(SOURCE).as_posix().removesuffix(SUFFIX)
                           for p in (SOURCE / "valid").iterdir())
        cache: dict[str, bytes] = {}
        best = min((make_patch(_build(b, cache), target, b, rel) for b in bases), key=len)
        if len(best) >= len(target) and src.name != "campaign.yaml" and src not in valid:
            # Not an edit of a valid report: perhaps of another case's whole file (the final report
            # with empty fields is the draft one with `status: final`).
            others = [p.relative_to(SOURCE).as_posix() for p in sorted(SOURCE.glob("*/*/*.y*ml"))
                      if p.is_file() and not p.is_symlink() and p != src and p.name != "campaign.yaml"]
            best = min([best, *(make_patch(_build(b, cache), target, b, rel) for b in others)], key=len)
        if len(best) >= len(target):
            kept.append(rel)
            continue
        base, hunks = parse_patch(best, rel)
        if apply_patch(_build(base, cache), hunks, rel) != target:
            raise CaseError(f"tests/cases/{rel}: its patch does not rebuild it byte for byte; left as it is")
        (SOURCE / (rel + SUFFIX)).write_bytes(best)
        src.unlink()
        if verbose:
            print(f"{rel}: {len(_lines(target))} lines → {len(_lines(best))}-line patch of {base}")
    if verbose and kept:
        print("kept whole (no patch is smaller): " + ", ".join(kept))
    return kept


def refresh(verbose: bool = True) -> list[str]:
    """Write anew every patch that needed context left off to apply (the base changed next to the
    lines it changes), from the file it builds now; return their names."""
    cache: dict[str, bytes] = {}
    done = []
    FUZZED.clear()
    for patch in sorted(SOURCE.rglob("*" + SUFFIX)):
        rel = patch.relative_to(SOURCE).as_posix().removesuffix(SUFFIX)
        built = _build(rel, cache)
        if f"tests/cases/{rel}{SUFFIX}" not in FUZZED:
            continue
        base, _ = parse_patch(patch.read_bytes(), rel)
        fresh = make_patch(_build(base, cache), built, base, rel)
        if apply_patch(_build(base, cache), parse_patch(fresh, rel)[1], rel) != built:
            raise CaseError(f"tests/cases/{rel}{SUFFIX}: its new patch does not rebuild it; left as it is")
        patch.write_bytes(fresh)
        done.append(rel)
        if verbose:
            print(f"{rel}{SUFFIX}: written anew, its context had moved")
    return done


def main(argv: list[str]) -> int:
    if argv[:1] == ["convert"] and len(argv) == 1:
        convert()
        return 0
    if argv[:1] == ["expected"] and argv[1:] in ([], ["--check"]):
        if not argv[1:]:
            refresh()
        changed = update_expected(check=argv[1:] == ["--check"])
        verb = "differ from what the validator prints" if argv[1:] else "rewritten; read `git diff tests/cases` before committing"
        print(f"{len(changed)} expected outputs {verb}" + "".join(f"\n  {c}" for c in changed))
        # A valid report has no expected.txt: it must stay valid (a new required field goes in it).
        broken = {k: v for k, v in outputs([r for r in runs() if r.kind == "valid"]).items()
                  if " 0 lỗi, 0 cảnh báo — hợp lệ" not in v}
        for name, out in broken.items():
            print(f"{name} is not valid any more; fix the report itself:\n{out}", end="")
        return 1 if broken or (changed and argv[1:]) else 0
    if argv[:1] == ["build"] and len(argv) == 2:
        dest = Path(argv[1])
        materialise(dest)
        print(dest / "tests" / "cases")
        return 0
    print(__doc__.split("\n\n")[-1], file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))  # the generator next to these tests
    try:
        sys.exit(main(sys.argv[1:]))
    except CaseError as e:
        sys.exit(f"error: {e}")
