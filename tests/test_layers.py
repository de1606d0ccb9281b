"""The house rules a reader can see in the tree, checked: layers, no import circles, small modules.

The layers are import-linter contracts in pyproject.toml ([tool.importlinter]); circles are
found over grimp's import graph (what import-linter itself reads), lazy imports included.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
#: lines a module may hold: one idea each
MAX_LINES = 400
#: modules still over MAX_LINES, and their size when this test was written: they may only
#: shrink (and leave this list), never grow; no other module may pass the limit
STILL_TOO_LONG: dict[str, int] = {}
#: circles still allowed: none
STILL_CIRCULAR: list[list[str]] = []


def test_lint_imports_keeps_every_layer_contract() -> None:
    proc = subprocess.run(
        [str(BIN / "lint-imports"), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert "BROKEN" not in proc.stdout and proc.stdout.count("KEPT") >= 2


def _circles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Every group of modules that import each other round a circle (Tarjan's components)."""
    modules = sorted(graph.modules)
    edges = {m: sorted(graph.find_modules_directly_imported_by(m) & graph.modules) for m in modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for m in modules:
        if m not in index:
            visit(m)
    return found


def test_no_import_circles() -> None:
    graph = grimp.build_graph("lessonkit", "scenes")
    assert [c for c in _circles(graph) if c not in STILL_CIRCULAR] == []


def test_the_circle_finder_finds_a_circle() -> None:
    graph = grimp.ImportGraph()
    for m in ("p", "p.a", "p.b", "p.c"):
        graph.add_module(m)
    graph.add_import(importer="p.a", imported="p.b")
    graph.add_import(importer="p.b", imported="p.a")
    graph.add_import(importer="p.c", imported="p.a")
    assert _circles(graph) == [["p.a", "p.b"]]


def test_every_module_is_small() -> None:
    sizes = {
        str(p.relative_to(ROOT)): len(p.read_text(encoding="utf-8").splitlines())
        for folder in ("lessonkit", "scenes")
        for p in (ROOT / folder).rglob("*.py")
    }
    too_long = {path: n for path, n in sizes.items() if n > MAX_LINES}
    assert set(too_long) <= set(STILL_TOO_LONG), "new modules over the limit"
    grown = {p: (n, STILL_TOO_LONG[p]) for p, n in too_long.items() if n > STILL_TOO_LONG[p]}
    assert grown == {}, "(now, before): a module still over the limit has grown"


def test_pure_layers_import_without_manim() -> None:
    """What `lessonkit table` and `check` use loads no Manim (import-linter checks the
    statements; this checks what a real import pulls in)."""
    code = (
        "import sys, lessonkit.maths.lookup, lessonkit.lesson.lessonfile, "
        "lessonkit.lesson.storyboard, lessonkit.parts.nudge.table\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('manim', 'av')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout
    assert out.strip() == "[]"
