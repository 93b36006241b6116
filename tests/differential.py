"""Differential testing of the two evaluators (issue 16): the CLI (generator/validate.py) and the
web editor's modules (editor/cli.mjs, run by Node) must give every file the same problems.

A seeded generator mutates the samples and the valid case in the ways people and attackers do:
types, boundary numbers and long digit strings; Unicode classes (controls, bidi, invisible,
whitespace, surrogates), raw and as escapes; YAML features (tags, directives, flow, block
indicators, Tabs, CR, BOM, several documents); prototype keys and deep nesting; and the
commonest hand edit, a line indented, swapped, repeated or removed. Both evaluators run every
file in one batch each (one Node process, this Python process). Any difference is shrunk, line
by line, to the smallest file that still shows it.

Round trip, as a property: every file the CLI accepts, read by the editor and exported unchanged
(yamlio.js's dumpReport), reads back as equal data and is accepted.

    python tests/differential.py --files 100000 --seed 1    # `make fuzz`
    # the same files, evaluating only those from 30,000 on of two classes, each difference kept:
    python tests/differential.py --files 100000 --seed 1 --from 30000 --classes yaml,bytes --keep /tmp/d
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402  (after the path insert above)

from generator.load import LoadError, load_yaml  # noqa: E402
from generator.schema import REPORT_SCHEMA  # noqa: E402
from generator.validate import check_report  # noqa: E402

CAMPAIGN = ROOT / "tests" / "cases" / "campaign.yaml"
TODAY = "2026-11-26"
SOURCES = [ROOT / "tests" / "cases" / "valid" / "xa-mau.yaml"]

TYPES = ["true", "false", "null", "~", "", "[]", "{}", "[1, 2]", "{a: 1}", '"548"', "'548'", "abc", "yes",
         "no", "on", '""', "''", '" "', '"\\t"', "- x", "2021-02-30", "2021-01-15", '"2021-01-15"']
NUMBERS = ["0", "-1", "100", "100.0", "100.5", "-0.0", "0.00001", "-0.00001", "1e-5", "999999999.99",
           "1234567.89", "9007199254740993", "9007199254740992", "999999999999999", "1000000000000000",
           "9" * 400, "0." + "1" * 30, "1" * 16 + ".5", "1.650", "1,5", "010", "1 650", ".5", "5.", "+5", "0x1F",
           "1_000", "1:30", ".inf", ".nan", "12%", "1e+21", "101", "-0", "00", "1.000.000", "78,5"]
CHARS = ["\x01", "\x07", "\x1b", "\x1c", "\x1f", "\x7f", "\x85", "\x9b", "\xa0", "\xad", "\u200b", "\u200e",
         "\u202e", "\u2028", "\u2029", "\u2066", "\u3000", "\ufeff", "\ufffe", "\ufdd0", "\U0001f600",
         "\U000e0001", "\x0b", "\x0c", "\r", "\t", "\u1680", "\u061c", "\U0010ffff", "\U0001fffe"]
SURROGATES = ["\\uD800", "\\uDFFF", "\\uD83D", "\\uD83D\\uDE00", "\\U0000DE00", "\\\\uD83D"]  # halves, a pair as two escapes, an escaped backslash
YAML_BITS = ["!!str ", "!!int ", "!foo ", "!!binary ", "!<tag:x> ", "!!map ", "!!seq ", "!!null ", "&a ", "*a",
             "? ", "| ", "> ", "|- ", "|+ ", "|2 ", "- ", "[", "]", "{", "}", ", ", ": ", " # c", "#c", "'", '"',
             "\t", "...", "---", "<<: ", "%"]
PROTO = ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf", "__defineGetter__", "prototype"]
KEY_LINE = re.compile(r"^( *)(- )?([^\s#:][^:]*):( (.*))?$")


def _esc(ch: str) -> str:
    c = ord(ch)
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}" if c < 0x10000 else f"\\U{c:08x}"


def _value_lines(lines: list[str]) -> list[int]:
    return [i for i, line in enumerate(lines) if (m := KEY_LINE.match(line)) and m.group(5)]


def mutate(rng: random.Random, text: str) -> tuple[str, str]:
    """One mutated file from `text`, and the name of its mutation class."""
    lines = text.split("\n")
    kind = rng.choice(["line", "line", "type", "number", "unicode", "unicode", "yaml", "yaml", "proto", "deep", "bytes"])
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        values = _value_lines(lines)
        i = rng.randrange(len(lines))
        if kind == "line":
            op = rng.randrange(5)
            if op == 0:
                lines[i] = " " + lines[i]
            elif op == 1 and lines[i].startswith(" "):
                lines[i] = lines[i][1:]
            elif op == 2 and i + 1 < len(lines):
                lines[i], lines[i + 1] = lines[i + 1], lines[i]
            elif op == 3:
                lines.insert(i, lines[i])
            else:
                del lines[i]
        elif kind in ("type", "number", "unicode") and values:
            j = rng.choice(values)
            m = KEY_LINE.match(lines[j])
            assert m is not None
            head = lines[j][: m.start(5)]
            if kind == "type":
                new = rng.choice(TYPES)
            elif kind == "number":
                new = rng.choice(NUMBERS)
                if rng.random() < 0.2:
                    new = f'"{new}"'
            else:
                ch = rng.choice(CHARS + ["S"])
                word = rng.choice(["Lê Hằng", "", "548", "05-KH/ĐTN", "xa-mau"])
                at = rng.randrange(len(word) + 1)
                style = rng.randrange(4)
                if ch == "S":
                    new = f'"{word[:at]}{rng.choice(SURROGATES)}{word[at:]}"'
                elif style == 0:
                    new = f'"{word[:at]}{_esc(ch)}{word[at:]}"'
                elif style == 1:
                    new = f'"{word[:at]}{ch}{word[at:]}"'
                elif style == 2:
                    new = f"{word[:at]}{ch}{word[at:]}" or ch
                else:
                    new = f'"{_esc(ch) * rng.randint(1, 3)}"'
            lines[j] = head + new
        elif kind == "yaml":
            op = rng.randrange(9)
            if op == 0:  # a YAML bit somewhere in a line
                pos = rng.randrange(len(lines[i]) + 1)
                lines[i] = lines[i][:pos] + rng.choice(YAML_BITS) + lines[i][pos:]
            elif op == 1:
                lines.insert(0, rng.choice(["%YAML 1.1\n---", "%YAML 1.3\n---", "%TAG ! tag:x,2000:\n---", "%FOO bar\n---", "---"]))
            elif op == 2:
                lines.append(rng.choice(["---\nx: 1", "...", "--- \n", "...\n---\nstatus: final"]))
            elif op == 3:
                return "\r".join(lines) if rng.random() < 0.5 else "\r\n".join(lines), kind
            elif op == 4:
                return "\ufeff" + "\n".join(lines), kind
            elif op == 5 and values:
                j = rng.choice(values)
                m = KEY_LINE.match(lines[j])
                assert m is not None
                lines[j] = lines[j][: m.start(5)] + rng.choice(["[a, b", "{a: 1", "[a,\nb]", '"a\nb"', "'a\n\nb'", "|\nx",
                                                                  '"a"#c', "'a'#c", "[a, [b, [c]]]", "{a: {b: c}}"])
            elif op == 6:
                pos = rng.randrange(len(lines[i]) + 1)
                lines[i] = lines[i][:pos] + "\t" + lines[i][pos:]
            elif op == 7:
                lines.insert(i, rng.choice(["\t", " \t", "\t# c", "  # c\t", ""]))
            else:
                j = i
                lines[j] = lines[j] + "\r"
        elif kind == "proto":
            m = KEY_LINE.match(lines[i])
            indent = m.group(1) + ("  " if m.group(2) else "") if m else ""
            key = rng.choice(PROTO)
            val = rng.choice(["{status: final}", "1", "", "null", "[]", "\n" + indent + "  status: final", "\n" + indent + "  __proto__: 1"])
            if m and rng.random() < 0.4:
                lines[i] = m.group(1) + (m.group(2) or "") + key + ":" + (" " + m.group(5) if m.group(5) else "")
            else:
                lines.insert(i, f"{indent}{key}:{' ' if val and not val.startswith(chr(10)) else ''}{val}")
        elif kind == "deep" and values:
            j = rng.choice(values)
            m = KEY_LINE.match(lines[j])
            assert m is not None
            n = rng.choice([5, 18, 19, 20, 21, 22, 30, 200, 1000])
            if rng.random() < 0.5:
                lines[j] = lines[j][: m.start(5)] + "[" * n + "1" + "]" * n
            else:
                base = len(m.group(1)) + 2
                nest = "".join("\n" + " " * (base + 2 * k) + f"k{k}:" for k in range(min(n, 60)))
                lines[j] = lines[j][: m.start(4)] + nest + " 1"
        elif kind == "bytes":
            flat = "\n".join(lines)
            pos = rng.randrange(len(flat) + 1)
            bit = rng.choice(YAML_BITS + CHARS + ["\n", " ", "  ", ":", "-"])
            flat = flat[:pos] + bit + flat[pos + rng.choice([0, 0, 1, 3]):]
            lines = flat.split("\n")
    return "\n".join(lines), kind


def _key(p: dict[str, Any]) -> tuple[Any, ...]:
    return (p["line"], p["column"], p["severity"], p["code"], tuple(p["path"]), p["field"], p["message"])


def _summary(problems: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """What is compared: every problem, whole (the file name aside, which the caller gave both)."""
    return sorted(map(_key, problems))


@dataclass
class Outcome:
    files: int = 0
    differing: list[tuple[str, str]] = field(default_factory=list)  # (text, class), any difference
    indexes: list[int] = field(default_factory=list)  # each differing file's index in the generator's sequence
    classes: Counter[str] = field(default_factory=Counter)
    accepted: int = 0
    round_trips: int = 0
    round_trip_failures: list[str] = field(default_factory=list)
    seconds_python: float = 0.0
    seconds_node: float = 0.0


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("node is not installed")
    return node


def _campaign() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(CAMPAIGN.read_text(encoding="utf-8"))
    return data


def evaluate(texts: list[str], work: Path) -> tuple[list[list[dict[str, Any]]], list[dict[str, Any]], float, float]:
    """Both evaluators over `texts` in batch: (CLI problems, editor results, seconds each)."""
    paths = []
    for i, text in enumerate(texts):
        d = work / str(i)
        d.mkdir(parents=True, exist_ok=True)
        p = d / "xa-mau.yaml"
        p.write_bytes(text.encode("utf-8", "surrogatepass"))
        paths.append(p)
    listing = work / "each.json"
    listing.write_text(json.dumps({"campaign": str(CAMPAIGN), "files": [str(p) for p in paths]}), encoding="utf-8")
    # The editor checks the files in its own process while the CLI's checks run here: on two
    # cores the batch takes the longer of the two, not both. Each side's seconds are its own
    # (the editor's: from its start to its exit, timed by the thread that waits for it).
    t0 = time.perf_counter()
    node = subprocess.Popen([_node(), "--stack-size=4000", str(ROOT / "editor" / "cli.mjs"), "--each", str(listing),
                             "--today", TODAY], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
    node_out: list[tuple[str, str, float]] = []

    def wait_for_node() -> None:
        stdout, stderr = node.communicate()
        node_out.append((stdout, stderr, time.perf_counter() - t0))

    waiter = threading.Thread(target=wait_for_node, daemon=True)
    waiter.start()
    try:
        campaign = _campaign()
        t1 = time.perf_counter()
        py: list[list[dict[str, Any]]] = []
        for p in paths:
            try:
                py.append([q.as_dict() for q in check_report(p, campaign, TODAY, str(p)).problems])
            except Exception as e:  # noqa: BLE001 - a crash is a difference to report, not to hide
                py.append([{"file": str(p), "line": 0, "column": 0, "severity": "error",
                            "message": f"CLI crashed: {e!r}", "field": "", "path": [], "code": "crash"}])
        py_s = time.perf_counter() - t1
    finally:
        waiter.join()
    stdout, stderr, node_s = node_out[0]
    if node.returncode != 0:
        raise RuntimeError(stderr)
    js = json.loads(stdout)
    return py, js, py_s, node_s


def differs(py: list[dict[str, Any]], js: dict[str, Any]) -> bool:
    return _summary(py) != _summary(js["problems"])


def shrink(text: str, work: Path) -> str:
    """The smallest file (by lines) that still gets different problems from the two sides."""
    lines = text.split("\n")
    chunk = max(1, len(lines) // 2)
    rounds = 0
    while chunk >= 1 and rounds < 60:
        rounds += 1
        candidates = [lines[:i] + lines[i + chunk:] for i in range(0, len(lines), chunk)]
        texts = ["\n".join(c) for c in candidates if c]
        if not texts:
            break
        py, js, _, _ = evaluate(texts, work / f"shrink{rounds}")
        smaller = next((t for t, a, b in zip(texts, py, js) if differs(a, b)), None)
        if smaller is not None:
            lines = smaller.split("\n")
            chunk = min(chunk, max(1, len(lines) // 2))
        elif chunk == 1:
            break
        else:
            chunk //= 2
    return "\n".join(lines)


def run(files: int, seed: int, work: Path, batch: int = 5000, progress: bool = False,
        round_trips: int | None = None, start: int = 0, classes: frozenset[str] | None = None,
        keep: Path | None = None) -> Outcome:
    """`files` generated files through both evaluators; at most `round_trips` accepted files (all
    by default) also exported by the editor and read back.

    The files come from one sequential generator, so a run can only be resumed by making the files
    again: with `start`, every file is generated but only those from index `start` on are
    evaluated (and only those of `classes`, if given); generation is cheap, evaluation is what
    costs. With `keep`, every differing file is written to that folder, as it was made and shrunk
    (`<index>-<class>.yaml`, `<index>-<class>.shrunk.yaml`)."""
    rng = random.Random(seed)
    sources = [p.read_text(encoding="utf-8") for p in SOURCES]
    out = Outcome()
    done = 0
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
    while done < files:
        n = min(batch, files - done)
        made = [(done + k, *mutate(rng, rng.choice(sources))) for k in range(n)]
        made = [m for m in made if m[0] >= start and (classes is None or m[2] in classes)]
        here = work / f"b{done}"
        py, js, py_s, node_s = evaluate([t for _, t, _ in made], here) if made else ([], [], 0.0, 0.0)
        out.seconds_python += py_s
        out.seconds_node += node_s
        for (index, text, kind), a, b in zip(made, py, js):
            out.files += 1
            out.classes[kind] += 1
            if differs(a, b):
                out.differing.append((text, kind))
                out.indexes.append(index)
                if keep is not None:
                    _keep(keep, index, kind, text, work / "shrink")
            elif (not any(p["severity"] == "error" for p in a) and b["exported"] is not None
                  and (round_trips is None or out.accepted < round_trips)):
                out.accepted += 1
                _round_trip(text, b["exported"], here, out)
        shutil.rmtree(here, ignore_errors=True)
        done += n
        if progress and done > start:
            print(f"... {done} files: {len(out.differing)} differ, "
                  f"{out.round_trips} round trips equal, {len(out.round_trip_failures)} not", flush=True)
    return out


def _keep(keep: Path, index: int, kind: str, text: str, work: Path) -> None:
    """A differing file, as made and shrunk, in `keep`; its index and problems on standard output."""
    name = f"{index:06d}-{kind}"
    (keep / f"{name}.yaml").write_bytes(text.encode("utf-8", "surrogatepass"))
    small = shrink(text, work / name)
    (keep / f"{name}.shrunk.yaml").write_bytes(small.encode("utf-8", "surrogatepass"))
    py, js, _, _ = evaluate([small], work / name / "last")
    print(f"file {index} ({kind}) differs; shrunk to {len(small.splitlines())} lines in {keep / name}.shrunk.yaml\n"
          f"  CLI:    {_summary(py[0])}\n  editor: {_summary(js[0]['problems'])}", flush=True)
    shutil.rmtree(work / name, ignore_errors=True)


def _round_trip(text: str, exported: str, work: Path, out: Outcome) -> None:
    """The editor's export of an accepted file reads back as equal data and is accepted."""
    a, b = work / "rt" / "a" / "xa-mau.yaml", work / "rt" / "b" / "xa-mau.yaml"
    a.parent.mkdir(parents=True, exist_ok=True)
    b.parent.mkdir(parents=True, exist_ok=True)
    a.write_bytes(text.encode("utf-8", "surrogatepass"))
    b.write_text(exported, encoding="utf-8")
    try:
        before = load_yaml(a, schema=REPORT_SCHEMA).data
        after = load_yaml(b, schema=REPORT_SCHEMA).data
    except LoadError as e:
        out.round_trip_failures.append(f"export not readable: {e.problems[0].message}\n{exported}")
        return
    report = check_report(b, _campaign(), TODAY, "xa-mau.yaml")
    errors = [p for p in report.problems if p.severity == "error"]
    if before != after or errors:
        out.round_trip_failures.append(f"{errors[:3]}\n--- file\n{text}\n--- export\n{exported}")
    else:
        out.round_trips += 1


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--files", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--from", dest="start", type=int, default=0, metavar="N",
                    help="evaluate only the files from index N on (all before it are still generated, not run)")
    ap.add_argument("--classes", type=lambda s: frozenset(s.split(",")), default=None, metavar="A,B",
                    help="evaluate only the files of these mutation classes (e.g. yaml,bytes)")
    ap.add_argument("--keep", type=Path, default=None, metavar="DIR",
                    help="write every differing file to DIR, as made and shrunk, and say each as found")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        out = run(args.files, args.seed, Path(tmp), progress=True, start=args.start, classes=args.classes, keep=args.keep)
        total = time.perf_counter() - t0
        what = f" from {args.start}" if args.start else ""
        what += f" of classes {','.join(sorted(args.classes))}" if args.classes else ""
        print(f"{out.files} files (seed {args.seed}{what}) in {total:.0f} s: CLI {out.seconds_python:.0f} s, editor {out.seconds_node:.0f} s; "
              f"by class {dict(sorted(out.classes.items()))}")
        print(f"{len(out.differing)} files with different problems; {out.accepted} accepted, "
              f"{out.round_trips} round trips equal, {len(out.round_trip_failures)} not")
        by_class = Counter(k for _, k in out.differing)
        if out.differing:
            print(f"differences by class: {dict(by_class)}; at indexes {out.indexes}")
        if out.differing:
            print("smallest file with a difference:")
            print(shrink(out.differing[0][0], Path(tmp) / "shrink"))
        for f in out.round_trip_failures[:3]:
            print("round trip:", f[:2000])
    return 1 if out.differing or out.round_trip_failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
