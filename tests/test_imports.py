"""The package's modules import each other in one direction, and only by their public names.

Read from the source (ast), so an import inside a function counts as one at the top: a cycle
that only works because one side imports late is still a cycle. Imports under
`if TYPE_CHECKING:` are for the type checker alone and are left out.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "generator"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _type_checking_lines(tree: ast.Module) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for sub in node.body:
                lines |= set(range(sub.lineno, (sub.end_lineno or sub.lineno) + 1))
    return lines


def imports(name: str) -> tuple[set[str], list[str]]:
    """The package modules `name` imports, and its uses of other modules' private names."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    skip = _type_checking_lines(tree)
    out: set[str] = set()
    private: list[str] = []
    aliases: dict[str, str] = {}  # local name → package module
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in skip:
            continue
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name in MODULES:
                    out.add(a.name)
                    aliases[a.asname or a.name] = a.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module not in MODULES:
                continue
            for a in node.names:
                sub = f"{node.module}.{a.name}"
                if sub in MODULES:  # `from generator import render`: the module itself
                    out.add(sub)
                    aliases[a.asname or a.name] = sub
                else:
                    out.add(node.module)
                    if a.name.startswith("_") and not a.name.startswith("__"):
                        private.append(f"from {node.module} import {a.name}")
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                and node.value.id in aliases and node.attr.startswith("_")
                and not node.attr.startswith("__")):
            private.append(f"{aliases[node.value.id]}.{node.attr}")
    out.discard(name)
    return out, private


GRAPH = {name: imports(name) for name in MODULES}


def _cycle_from(start: str) -> list[str] | None:
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    seen: set[str] = set()
    while stack:
        node, path = stack.pop()
        for nxt in sorted(GRAPH[node][0]):
            if nxt == start:
                return [*path, start]
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, [*path, nxt]))
    return None


def test_no_import_cycles() -> None:
    cycles = {" → ".join(c) for name in MODULES if (c := _cycle_from(name)) is not None}
    assert not cycles, cycles


def test_no_module_uses_another_modules_private_names() -> None:
    used = {name: private for name, (_, private) in GRAPH.items() if private}
    assert not used, used


def test_the_graph_is_read() -> None:
    """The test sees the imports it must: the documents read the outline and the view."""
    assert "generator.outline" in GRAPH["generator.documents.layout"][0]
    assert "generator.render" in GRAPH["generator.exports"][0]
    assert "generator.documents" not in GRAPH["generator.render"][0]
