"""Reading a computation graph: assignments such as "u = b c" into checked formulas.

The assignments may come in any order; each is NAME = EXPRESSION, the expression in the other
names (`parse_named`). Everything that would make the graph wrong or unreadable is refused
here, in one line, as a `GraphError` that says which assignment (`index`, 0-based) or which key
of a lesson ("graph", "inputs", "output") it is about: a malformed assignment, a name assigned
twice or both an input and assigned, an unknown name, a cycle, a node with no inputs or too
many, an input never used, a node that does not lead to the output, an output that is not an
assigned node, and graphs of more than MAX_GRAPH_NODES nodes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from lessonkit.base.errors import LessonError
from lessonkit.maths.expression.names import name_problem
from lessonkit.maths.expression.parser import parse_named
from lessonkit.maths.expression.printing import log_name_of, render
from lessonkit.maths.expression.problems import ParseFailure, quoted
from lessonkit.maths.expression.tokens import tokenize
from lessonkit.maths.expression.tree import Node, names_in

__all__ = [
    "MAX_GRAPH_NODES",
    "MAX_NODE_INPUTS",
    "MAX_INPUT_BITS",
    "GraphError",
    "GraphNode",
    "Reading",
    "read_graph",
]

#: nodes in all, inputs included
MAX_GRAPH_NODES = 12
#: the names one node's formula may use (z = w1 x1 + w2 x2 + w3 x3 + b uses 7)
MAX_NODE_INPUTS = 7
#: the size of an input's numerator and denominator (about 1200 digits)
MAX_INPUT_BITS = 4096


class GraphError(LessonError):
    """A computation graph that cannot be used: `key` is the lesson key it is about ("graph",
    "inputs" or "output") and `index` the assignment (0-based), when there is one."""

    def __init__(self, message: str, key: str = "graph", index: int | None = None) -> None:
        super().__init__(message)
        self.key = key
        self.index = index

    def __reduce__(self) -> tuple[type[GraphError], tuple[str, str, int | None]]:
        return GraphError, (str(self), self.key, self.index)


@dataclass(frozen=True)
class GraphNode:
    """One node: an input (no formula, depth 0) or an assigned node, with its formula as text
    and as Typst math, the names it uses (in the order the formula first uses them) and its
    depth (the longest path from an input)."""

    name: str
    formula_text: str
    formula_typst: str
    inputs: tuple[str, ...]
    depth: int


@dataclass(frozen=True)
class Reading:
    """A checked graph: the inputs and formulas, and the nodes in graph order."""

    inputs: dict[str, Fraction]
    trees: dict[str, Node]  # the assigned nodes, in file order
    index: dict[str, int]  # which assignment gave each assigned node
    texts: dict[str, str]  # each assignment as written (stripped), for messages
    nodes: tuple[GraphNode, ...]
    output: str


def _inputs(inputs: object) -> dict[str, Fraction]:
    if not isinstance(inputs, Mapping):
        raise GraphError(f"inputs must be a table of names and numbers, got {inputs!r}", "inputs")
    out: dict[str, Fraction] = {}
    for name, value in inputs.items():
        problem = name_problem(name)
        if problem is not None:
            raise GraphError(f"input {problem}", "inputs")
        if isinstance(value, bool) or not isinstance(value, int | Fraction):
            raise GraphError(
                f"input {name} must be an exact number, got {type(value).__name__}", "inputs"
            )
        q = Fraction(value)
        if max(q.numerator.bit_length(), q.denominator.bit_length()) > MAX_INPUT_BITS:
            raise GraphError(f"input {name} has too many digits", "inputs")
        out[name] = q
    if not out:
        raise GraphError("a graph needs at least one input", "inputs")
    return out


def _split(text: object, index: int) -> tuple[str, str, int]:
    """(name, expression, column of the expression's first character) of 'NAME = EXPRESSION'."""
    if not isinstance(text, str):
        raise GraphError(f"expected NAME = EXPRESSION, got {text!r}", index=index)
    line = text.strip()
    if line.count("=") != 1:
        raise GraphError(f"expected NAME = EXPRESSION, got {quoted(line, 60)}", index=index)
    head, _, tail = line.partition("=")
    name = head.strip()
    if not name or not tail.strip():
        raise GraphError(f"expected NAME = EXPRESSION, got {quoted(line, 60)}", index=index)
    problem = name_problem(name)
    if problem is not None:
        raise GraphError(
            f"expected NAME = EXPRESSION, got {quoted(line, 60)}: {problem}", index=index
        )
    return name, tail, len(head) + 1


def _uses_itself(name: str, expression: str) -> bool:
    try:
        tokens = tokenize(expression, names=True)
    except ParseFailure:  # the parser says what is wrong
        return False
    return any(tok.kind == "name" and tok.text == name for tok in tokens)


def _cycle(parents: dict[str, tuple[str, ...]], order: list[str]) -> list[str] | None:
    """A cycle among the assigned nodes, from its first node in file order, or None."""
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    path: list[str] = []

    def visit(name: str) -> list[str] | None:
        state[name] = 1
        path.append(name)
        for p in parents.get(name, ()):
            if state.get(p) == 1:
                return path[path.index(p) :]
            if p in parents and p not in state:
                found = visit(p)
                if found is not None:
                    return found
        state[name] = 2
        path.pop()
        return None

    for name in order:
        if name not in state:
            found = visit(name)
            if found is not None:
                first = min(found, key=order.index)
                at = found.index(first)
                return found[at:] + found[:at]
    return None


def read_graph(assignments: object, inputs: object, output: object) -> Reading:
    """The checked graph, or the GraphError of the first thing wrong with it."""
    given = _inputs(inputs)
    if isinstance(assignments, str) or not isinstance(assignments, Sequence):
        raise GraphError("the graph must be a list of assignments such as 'u = b c'")
    if not assignments:
        raise GraphError("a graph needs at least one assignment such as 'u = b c'")
    split = [_split(text, i) for i, text in enumerate(assignments)]
    texts: dict[str, str] = {}
    index: dict[str, int] = {}
    for i, (name, _, _) in enumerate(split):
        line = str(assignments[i]).strip()
        if name in given:
            raise GraphError(f"{name} is an input and cannot also be assigned: {line}", index=i)
        if name in index:
            raise GraphError(f"{name} is assigned twice: {texts[name]} and {line}", index=i)
        texts[name] = line
        index[name] = i
    total = len(given) + len(split)
    if len(given) > MAX_GRAPH_NODES:
        raise GraphError(
            f"a graph has at most {MAX_GRAPH_NODES} nodes; {len(given)} inputs", "inputs"
        )
    if total > MAX_GRAPH_NODES:
        raise GraphError(
            f"a graph has at most {MAX_GRAPH_NODES} nodes; this one has {total} "
            f"({len(given)} inputs and {len(split)} assignments)",
            index=MAX_GRAPH_NODES - len(given),
        )
    everything = [*given, *index]
    trees: dict[str, Node] = {}
    parents: dict[str, tuple[str, ...]] = {}
    for i, (name, expression, column) in enumerate(split):
        line = texts[name]
        if _uses_itself(name, expression):
            raise GraphError(f"{line} uses {name} itself", index=i)
        try:
            tree = parse_named(expression, [n for n in everything if n != name])
        except ParseFailure as fail:
            where = "" if fail.column is None else f" at column {fail.column + column}"
            raise GraphError(f"{line}: {fail.problem}{where}", index=i) from None
        source = render(tree, "source")
        if parse_named(source, everything) != tree:  # pragma: no cover - a printer bug
            raise GraphError(f"{line}: internal error: {source!r} does not read back", index=i)
        used = names_in(tree)
        if not used:
            raise GraphError(
                f"{line} uses no other node: write its number where it is used", index=i
            )
        if len(used) > MAX_NODE_INPUTS:
            raise GraphError(
                f"{line} uses {len(used)} nodes ({', '.join(used)}); a node takes at most "
                f"{MAX_NODE_INPUTS} inputs: split it into smaller steps",
                index=i,
            )
        trees[name] = tree
        parents[name] = used
    cycle = _cycle(parents, list(index))
    if cycle is not None:
        first = cycle[0]
        chain = ", which uses ".join([*cycle[1:], first])
        raise GraphError(f"{texts[first]} uses {chain}", index=index[first])
    if not isinstance(output, str) or output not in everything:
        listed = ", ".join(everything)
        raise GraphError(f"output {output!r} is not a node: the nodes are {listed}", "output")
    if output in given:
        raise GraphError(f"output {output} is an input: the output must be assigned", "output")
    _check_used(given, parents, texts, index, output)
    return Reading(given, trees, index, texts, _nodes(given, trees, parents, index), output)


def _check_used(
    given: dict[str, Fraction],
    parents: dict[str, tuple[str, ...]],
    texts: dict[str, str],
    index: dict[str, int],
    output: str,
) -> None:
    """Every input used, and every node on the way to the output."""
    used = {p for ps in parents.values() for p in ps}
    for name in given:
        if name not in used:
            raise GraphError(f"input {name} is never used", "inputs")
    leads = {output}
    stack = [output]
    while stack:
        for p in parents.get(stack.pop(), ()):
            if p not in leads:
                leads.add(p)
                stack.append(p)
    for name in index:
        if name not in leads:
            raise GraphError(
                f"{name} does not lead to the output {output}: {texts[name]}", index=index[name]
            )


def _nodes(
    given: dict[str, Fraction],
    trees: dict[str, Node],
    parents: dict[str, tuple[str, ...]],
    index: dict[str, int],
) -> tuple[GraphNode, ...]:
    """Inputs first (in their order), then the assigned nodes by depth, ties in file order."""
    depth: dict[str, int] = dict.fromkeys(given, 0)

    def depth_of(name: str) -> int:
        if name not in depth:
            depth[name] = 1 + max(depth_of(p) for p in parents[name])
        return depth[name]

    nodes = [GraphNode(name, "", "", (), 0) for name in given]
    for name in sorted(trees, key=lambda n: (depth_of(n), index[n])):
        tree = trees[name]
        log_name = log_name_of(tree)
        nodes.append(
            GraphNode(
                name,
                render(tree, "text", log_name),
                render(tree, "typst", log_name),
                parents[name],
                depth_of(name),
            )
        )
    return tuple(nodes)
