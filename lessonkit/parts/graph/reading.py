"""Reading a graph part's [[part]] table: assignments, inputs, output, nudge and the
derivatives to walk through; every problem names the file, the line, the part and the key."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from lessonkit.base.errors import LessonError
from lessonkit.lesson.kinds import PartTable
from lessonkit.lesson.tomlfile import number, toml_value, typed
from lessonkit.maths.compgraph import Graph, GraphError, parse_graph
from lessonkit.maths.nudge import check_nudge

__all__ = ["GRAPH_KEYS", "STEP_KINDS", "GraphPart", "read_graph_part", "default_show"]

GRAPH_KEYS = {
    "graph": 'the assignments, in any order, e.g. ["u = b c", "v = a + u", "J = 3 v"]',
    "inputs": "the input nodes and their values, e.g. { a = 5, b = 3, c = 2 }",
    "output": "the node whose derivatives are found, e.g. J",
    "nudge": "how far each node is nudged to show its derivative (default 0.001)",
    "show": "the derivatives to walk through, in order (default: back from the output)",
    "name": "the section-name prefix of the part's steps",
    "label": "the chapter head of the part",
    "captions": "caption templates by step kind or step name",
    "narration": "what the voice says, by step kind or step name (default: the caption)",
}

#: the kinds of step a graph part plays, in order
STEP_KINDS = ("build", "forward", "nudge", "chain")

DEFAULT_NUDGE = Fraction(1, 1000)


@dataclass(frozen=True)
class GraphPart:
    """A computation graph as the lesson file gives it (the maths is rebuilt from these)."""

    assignments: tuple[str, ...]
    inputs: tuple[tuple[str, Fraction], ...]
    output: str
    nudge: Fraction
    show: tuple[str, ...]
    name: str
    label: str
    line: int
    captions: tuple[tuple[str, str], ...] = ()
    narration: tuple[tuple[str, str], ...] = ()
    kind: str = "graph"

    def graph(self) -> Graph:
        """The graph's maths (parsed again: a part is plain data, as a step's is)."""
        return parse_graph(self.assignments, dict(self.inputs), self.output)


def default_show(graph: Graph) -> tuple[str, ...]:
    """Back from the output, breadth first, each node's arguments in formula order (the
    lecture's order: dJ/dv, then dJ/da and dJ/du, then dJ/db and dJ/dc)."""
    by_name = {n.name: n for n in graph.nodes}
    order: list[str] = []
    queue = [graph.output]
    while queue:
        name = queue.pop(0)
        for parent in by_name[name].inputs:
            if parent not in order:
                order.append(parent)
                queue.append(parent)
    return tuple(order)


def read_graph_part(table: PartTable) -> GraphPart:
    """The graph part the table describes, checked (cycles, names, inputs, nudge)."""
    raw, where, at = table.raw, table.where, ("part", table.index)
    assignments = raw.get("graph")
    if (
        not isinstance(assignments, list)
        or not assignments
        or not all(isinstance(a, str) for a in assignments)
    ):
        raise where.error(
            'write graph as a list of assignments, e.g. ["u = b c", "J = 3 u"], got '
            f"{toml_value(assignments)}",
            *at,
            "graph",
        )
    inputs_raw = raw.get("inputs")
    if not isinstance(inputs_raw, dict) or not inputs_raw:
        raise where.error("write inputs as a table, e.g. { a = 5, b = 3 }", *at, "inputs")
    inputs: dict[str, Fraction] = {}
    for key, value in inputs_raw.items():
        try:
            inputs[key] = number(value, f"input {key}")
        except LessonError as exc:
            raise where.error(str(exc), *at, "inputs", key) from None
    output = typed(raw, "output", str, where, *at, required=True)
    assert output is not None
    try:
        graph = parse_graph(tuple(assignments), inputs, output)
    except GraphError as exc:
        if exc.key == "graph" and exc.index is not None:
            raise where.error(str(exc), *at, "graph", exc.index) from None
        raise where.error(str(exc), *at, exc.key if exc.key in raw else "graph") from None
    nudge = DEFAULT_NUDGE
    if raw.get("nudge") is not None:
        try:
            nudge = number(raw["nudge"], "nudge")
            check_nudge(nudge)
        except LessonError as exc:
            raise where.error(str(exc), *at, "nudge") from None
    show = _show(raw, graph, table)
    label = typed(raw, "label", str, where, *at) or f"{output} = {_formula_of(graph, output)}"
    steps_known = _step_names(table.name, show)
    captions = _templates(raw, "captions", "caption", steps_known, table)
    narration = _templates(raw, "narration", "narration", steps_known, table)
    return GraphPart(
        tuple(assignments),
        tuple(inputs.items()),
        output,
        nudge,
        show,
        table.name,
        label,
        table.line,
        captions,
        narration,
    )


def _formula_of(graph: Graph, name: str) -> str:
    return next(n.formula_text for n in graph.nodes if n.name == name)


def _show(raw: dict[str, Any], graph: Graph, table: PartTable) -> tuple[str, ...]:
    at = ("part", table.index)
    value = raw.get("show")
    if value is None:
        return default_show(graph)
    names = [n.name for n in graph.nodes]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise table.where.error('write show as a list of node names, e.g. ["v", "a"]', *at, "show")
    for i, name in enumerate(value):
        if name not in names:
            close = difflib.get_close_matches(name, names, n=1, cutoff=0.5)
            hint = f"did you mean {close[0]!r}?" if close else "nodes: " + ", ".join(names)
            raise table.where.error(f"no node {name!r} in this graph; {hint}", *at, "show", i)
    if len(set(value)) != len(value):
        raise table.where.error("a node is shown twice", *at, "show")
    return tuple(value)


def _step_names(prefix: str, show: tuple[str, ...]) -> list[str]:
    names = [f"{prefix}-build", f"{prefix}-forward"]
    for node in show:
        names += [f"{prefix}-nudge-{node}", f"{prefix}-chain-{node}"]
    return names


def _templates(
    raw: dict[str, Any], key: str, what: str, steps: list[str], table: PartTable
) -> tuple[tuple[str, str], ...]:
    """A part's [part.captions] or [part.narration]: templates by step kind or step name."""
    at = ("part", table.index)
    value = raw.get(key, {})
    if not isinstance(value, dict):
        raise table.where.error(f"write {key} as a table: [part.{key}]", *at, key)
    known = [*STEP_KINDS, *steps]
    for name, text in value.items():
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
            hint = (
                f"did you mean {close[0]!r}?"
                if close
                else "use a step kind: " + ", ".join(STEP_KINDS)
            )
            raise table.where.error(f"no step {name!r} in this part; {hint}", *at, key, name)
        if not isinstance(text, str):
            got = toml_value(text)
            raise table.where.error(f"a {what} is text in quotes, got {got}", *at, key, name)
    return tuple(value.items())
