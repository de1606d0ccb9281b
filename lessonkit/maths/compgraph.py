"""A computation graph: forward values, nudges, local derivatives and the chain rule.

The lecture's graph is J = 3(a + bc) in steps, with a = 5, b = 3, c = 2:

>>> g = parse_graph(["u = b c", "v = a + u", "J = 3 v"], {"a": 5, "b": 3, "c": 2}, "J")
>>> [(n.name, n.formula_typst, n.depth) for n in g.nodes]
[('a', '', 0), ('b', '', 0), ('c', '', 0), ('u', 'b c', 1), ('v', 'a + u', 2), ('J', '3 v', 3)]
>>> g.value("u").text(), g.value("v").text(), g.value("J").text()
('6', '11', '33')
>>> g.nudged("v", Fraction(1, 1000))["J"].text()
'33.003'
>>> g.local("J", "v").text(), g.local_typst("u", "b")
('3', 'c')
>>> [g.derivative(n).text() for n in ("a", "b", "c", "u", "v")]
['3', '6', '9', '3', '3']
>>> g.paths("b"), g.downstream("b")
([('b', 'u', 'v', 'J')], ('u', 'v', 'J'))

A node is computed from the others by a formula in their names (`parse_named`); the graph is
read and checked by `compgraph_read` (every problem a one-line `GraphError` with the
assignment's index and the lesson key). Values are exact where the inputs make them exact:
with Fractions alone when every formula is rational (`compgraph_exact`, no sympy), otherwise
with sympy (`compgraph_symbolic`, imported only then), exact where sympy finds a rational
value and otherwise correctly rounded from WORKING_DIGITS digits, like a `Function`'s values.
d output / d name is the sum over every path from name to the output of the product of the
local derivatives along it (paths that meet add up); it is found the way backpropagation finds
it, each node's derivative passed back to its inputs once, which adds up the same products.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any, Protocol

from lessonkit.base.errors import LessonError
from lessonkit.maths.compgraph_exact import Corner, ExactEngine
from lessonkit.maths.compgraph_read import (
    MAX_GRAPH_NODES,
    MAX_INPUT_BITS,
    MAX_NODE_INPUTS,
    GraphError,
    GraphNode,
    Reading,
    read_graph,
)
from lessonkit.maths.expression.exact import is_rational_function
from lessonkit.maths.expression.printing import fraction_text, render
from lessonkit.maths.expression.tree import Call
from lessonkit.maths.numbers import Value

__all__ = [
    "Graph",
    "GraphNode",
    "GraphError",
    "parse_graph",
    "MAX_GRAPH_NODES",
    "MAX_NODE_INPUTS",
]


class _Engine(Protocol):
    """How values and local derivatives are found: `ExactEngine` or `SymbolicEngine`."""

    def inputs(self) -> dict[str, Any]: ...
    def compute(self, name: str, env: Mapping[str, Any]) -> Any: ...
    def shifted(self, raw: Any, h: Fraction) -> Any: ...
    def value(self, raw: Any, what: str) -> Value: ...
    def local(self, child: str, parent: str, env: Mapping[str, Any]) -> Any: ...
    def one(self) -> Any: ...
    def tidy(self, raw: Any) -> Any: ...
    def total(self, raw: Any, what: str) -> Value: ...


def parse_graph(assignments: Sequence[str], inputs: Mapping[str, Fraction], output: str) -> Graph:
    """The graph of assignments such as "u = b c" (in any order), with the inputs' values and
    the output's name; a GraphError (index, key) says what is wrong."""
    return Graph(read_graph(assignments, inputs, output))


def _nudge(h: object) -> Fraction:
    if isinstance(h, bool) or not isinstance(h, int | Fraction):
        raise GraphError(f"a nudge must be an exact number, got {type(h).__name__}")
    q = Fraction(h)
    if max(q.numerator.bit_length(), q.denominator.bit_length()) > MAX_INPUT_BITS:
        raise GraphError("a nudge has too many digits")
    return q


class Graph:
    """A checked computation graph (see the module docstring); build it with parse_graph."""

    def __init__(self, reading: Reading) -> None:
        self.nodes: tuple[GraphNode, ...] = reading.nodes
        self.output: str = reading.output
        self._reading = reading
        self._by_name = {node.name: node for node in self.nodes}
        children: dict[str, list[str]] = {node.name: [] for node in self.nodes}
        for node in self.nodes:
            for parent in node.inputs:
                children[parent].append(node.name)
        self._children = {name: tuple(kids) for name, kids in children.items()}
        self._engine: _Engine
        if all(is_rational_function(tree) for tree in reading.trees.values()):
            self._engine = ExactEngine(reading.inputs, reading.trees)
        else:
            from lessonkit.maths.compgraph_symbolic import SymbolicEngine

            self._engine = SymbolicEngine(reading.inputs, reading.trees)
        self._env = self._forward(self._engine.inputs(), set(reading.trees), "")
        self._values = {n.name: self._engine.value(self._env[n.name], n.name) for n in self.nodes}
        self._locals: dict[tuple[str, str], Any] = {}
        self._local_values: dict[tuple[str, str], Value] = {}
        self._derivatives: dict[str, Value] = {}

    # -- the nodes -----------------------------------------------------------------------------
    def node(self, name: str) -> GraphNode:
        """The node of that name (a GraphError naming the nodes when there is none)."""
        found = self._by_name.get(name) if isinstance(name, str) else None
        if found is None:
            listed = ", ".join(n.name for n in self.nodes)
            raise GraphError(f"unknown node {name!r}: the nodes are {listed}")
        return found

    def downstream(self, name: str) -> tuple[str, ...]:
        """The nodes whose value changes when `name` is nudged (all the nodes after it, on the
        way to the output; not `name` itself), in node order."""
        self.node(name)
        after: set[str] = set()
        stack = [name]
        while stack:
            for child in self._children[stack.pop()]:
                if child not in after:
                    after.add(child)
                    stack.append(child)
        return tuple(n.name for n in self.nodes if n.name in after)

    def paths(self, name: str) -> list[tuple[str, ...]]:
        """Every path from `name` to the output, following the graph's edges."""
        self.node(name)

        def from_(start: str) -> list[tuple[str, ...]]:
            if start == self.output:
                return [(start,)]
            return [(start, *rest) for child in self._children[start] for rest in from_(child)]

        return from_(name)

    # -- values --------------------------------------------------------------------------------
    def _forward(self, env: dict[str, Any], names: set[str], before: str) -> dict[str, Any]:
        """The values with the nodes in `names` (re)computed in order from the others."""
        for node in self.nodes:
            if node.name not in names:
                continue
            try:
                env[node.name] = self._engine.compute(node.name, env)
            except LessonError as error:
                text = self._reading.texts[node.name]
                index = self._reading.index[node.name]
                raise GraphError(f"{before}{error} ({text})", index=index) from None
        return env

    def value(self, name: str) -> Value:
        """The node's forward value."""
        return self._values[self.node(name).name]

    def nudged(self, name: str, h: Fraction) -> dict[str, Value]:
        """Every node's value (in node order) after nudging `name` by h: an input, or a node
        whose value is set to its value + h; the nodes after it are recomputed, the others
        keep their values."""
        self.node(name)
        q = _nudge(h)
        env = dict(self._env)
        env[name] = self._engine.shifted(env[name], q)
        before = f"after nudging {name} by {fraction_text(q)}, "
        self._forward(env, set(self.downstream(name)), before)
        return {n.name: self._engine.value(env[n.name], n.name) for n in self.nodes}

    # -- derivatives ---------------------------------------------------------------------------
    def _edge(self, child: str, parent: str) -> None:
        node = self.node(child)
        self.node(parent)
        if parent not in node.inputs:
            raise GraphError(f"{child} does not use {parent}: no edge from {parent} to {child}")

    def _local(self, child: str, parent: str) -> Any:
        key = (child, parent)
        if key not in self._locals:
            try:
                self._locals[key] = self._engine.local(child, parent, self._env)
            except Corner as corner:
                raise GraphError(
                    _corner(child, parent, corner.call), index=self._reading.index[child]
                ) from None
            except LessonError as error:
                text = self._reading.texts[child]
                raise GraphError(f"{error} ({text})", index=self._reading.index[child]) from None
        return self._locals[key]

    def local(self, child: str, parent: str) -> Value:
        """The local derivative ∂child/∂parent at the forward values (the child's formula
        differentiated with its other inputs held fixed)."""
        self._edge(child, parent)
        key = (child, parent)
        if key not in self._local_values:
            raw = self._local(child, parent)
            try:
                self._local_values[key] = self._engine.total(raw, f"∂{child}/∂{parent}")
            except LessonError as error:  # sqrt(u) at u = 0: its slope is infinite
                text = self._reading.texts[child]
                raise GraphError(f"{error} ({text})", index=self._reading.index[child]) from None
        return self._local_values[key]

    def local_typst(self, child: str, parent: str) -> str:
        """The formula of ∂child/∂parent as Typst math: c for u = b c, 3 for J = 3 v,
        sigma(z) (1 - sigma(z)) for yhat = sigmoid(z)."""
        self._edge(child, parent)
        from lessonkit.maths.compgraph_symbolic import derivative_typst

        return derivative_typst(self._reading.trees[child], parent)

    def derivative(self, name: str) -> Value:
        """d output / d name: over every path from name to the output, the product of the local
        derivatives along it, added up (1 for the output itself)."""
        self.node(name)
        if name not in self._derivatives:
            self._derivatives[name] = self._derivative(name)
        return self._derivatives[name]

    def _derivative(self, name: str) -> Value:
        if name == self.output:
            return Value(Fraction(1))
        wanted = {name, *self.downstream(name)}
        engine = self._engine
        # backwards from the output: a node's derivative is complete before it is passed on,
        # since every node comes after the nodes it uses
        adjoint: dict[str, Any] = {self.output: engine.one()}
        for node in reversed(self.nodes):
            if node.name not in adjoint or node.name == name:
                continue
            for parent in node.inputs:
                if parent in wanted:
                    term = adjoint[node.name] * self._local(node.name, parent)
                    before = adjoint.get(parent)
                    adjoint[parent] = engine.tidy(term if before is None else before + term)
        try:
            return engine.total(adjoint[name], f"d{self.output}/d{name}")
        except LessonError as error:
            raise GraphError(str(error)) from None


def _corner(child: str, parent: str, call: Call | None) -> str:
    """∂h/∂z does not exist here: relu(z) has a corner where z = 0."""
    where = f"∂{child}/∂{parent} does not exist here"
    if call is None:  # pragma: no cover - the corner is always found
        return f"{where}: {child} is at a corner"
    if len(call.args) == 2:
        at = f"{render(call.args[0])} = {render(call.args[1])}"
    else:
        at = f"{render(call.args[0])} = 0"
    return f"{where}: {render(call)} has a corner where {at}"
