"""Computation graphs (lessonkit.maths.compgraph): every value, nudge and derivative checked
against a computation written here, independently of lessonkit's.

Each graph comes with its formulas as Python functions of the node values. Rational graphs are
run on Fractions (values and nudges exact) and on the small dual numbers below (exact
derivatives); the others with mpmath at 100 digits, differentiated with mpmath.diff, and every
rounded Value must be the 100-digit value correctly rounded to WORKING_DIGITS digits.
"""

from __future__ import annotations

import pickle
import random
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import mpmath
import pytest

from lessonkit.maths.compgraph import Graph, GraphError, GraphNode, parse_graph
from lessonkit.maths.numbers import WORKING_DIGITS, Value

F = Fraction
Env = dict[str, Any]
#: the digits of the mpmath reference: far beyond WORKING_DIGITS, so that it rounds correctly
#: even where it loses digits (-log(σ(40)) loses 18)
DIGITS = 100


# -- an independent reference ------------------------------------------------------------------
class Dual:
    """v + d·ε with ε² = 0: exact derivatives of rational formulas."""

    def __init__(self, v: Any, d: Any = 0) -> None:
        self.v, self.d = F(v), F(d)

    @staticmethod
    def of(x: Any) -> Dual:
        return x if isinstance(x, Dual) else Dual(x)

    def __add__(self, o: Any) -> Dual:
        o = Dual.of(o)
        return Dual(self.v + o.v, self.d + o.d)

    __radd__ = __add__

    def __neg__(self) -> Dual:
        return Dual(-self.v, -self.d)

    def __sub__(self, o: Any) -> Dual:
        return self + -Dual.of(o)

    def __rsub__(self, o: Any) -> Dual:
        return Dual.of(o) - self

    def __mul__(self, o: Any) -> Dual:
        o = Dual.of(o)
        return Dual(self.v * o.v, self.d * o.v + self.v * o.d)

    __rmul__ = __mul__

    def __truediv__(self, o: Any) -> Dual:
        o = Dual.of(o)
        return Dual(self.v / o.v, (self.d * o.v - self.v * o.d) / (o.v * o.v))

    def __rtruediv__(self, o: Any) -> Dual:
        return Dual.of(o) / self

    def __pow__(self, n: int) -> Dual:
        if n < 0:
            return 1 / self ** (-n)
        out = Dual(1)
        for _ in range(n):
            out = out * self
        return out


def relu(x: Any) -> Any:
    if isinstance(x, Dual):
        assert x.v != 0
        return x if x.v > 0 else Dual(0)
    return max(x, F(0))


def absolute(x: Any) -> Any:
    if isinstance(x, Dual):
        assert x.v != 0
        return x if x.v > 0 else -x
    return abs(x)


def larger(x: Any, y: Any) -> Any:
    vx, vy = (Dual.of(t).v for t in (x, y))
    assert vx != vy
    return x if vx > vy else y


def smaller(x: Any, y: Any) -> Any:
    return y if larger(x, y) is x else x


@dataclass
class Case:
    """A graph, and its formulas in evaluation order as Python functions of the values."""

    id: str
    lines: list[str]
    inputs: dict[str, Fraction]
    output: str
    forms: dict[str, Callable[[Env], Any]]
    rational: bool = True
    nodes: list[str] = field(default_factory=list)  # the expected node order, when given

    def graph(self) -> Graph:
        return parse_graph(self.lines, self.inputs, self.output)


def run(case: Case, convert: Callable[[Fraction], Any], held: Mapping[str, Any] = {}) -> Env:
    """Every node's value; a node in `held` takes that value (its formula is not used)."""
    env: Env = {k: held.get(k, convert(q)) for k, q in case.inputs.items()}
    for name, form in case.forms.items():
        env[name] = held[name] if name in held else form(env)
    return env


def mp(q: Fraction) -> Any:
    return mpmath.mpf(q.numerator) / q.denominator


def rounded(x: Any) -> Fraction:
    """x correctly rounded to WORKING_DIGITS significant digits (as lessonkit rounds)."""
    assert isinstance(x, mpmath.mpf)  # its own precision: mpf(x) would round to the context's
    return Fraction(mpmath.libmp.to_str(x._mpf_, WORKING_DIGITS))


def same(value: Value, reference: Any) -> bool:
    """The Value is the reference: equal when both are exact; an exact Value against an mpmath
    reference to every digit of it; a rounded Value, the reference correctly rounded."""
    if isinstance(reference, Fraction):
        return value.exact and value.q == reference
    if value.exact:
        with mpmath.workdps(DIGITS):
            return bool(
                abs(mp(value.q) - reference) <= mpmath.mpf(10) ** -90 * (1 + abs(reference))
            )
    return value.q == rounded(reference)


def reference_derivative(case: Case, base: Env, name: str) -> Any:
    """d output / d name, the nodes after name recomputed (exact, or mpmath.diff)."""
    if case.rational:
        held = {k: Dual(v, 1 if k == name else 0) for k, v in base.items() if k == name}
        env = run(case, Dual, held)
        return Dual.of(env[case.output]).d
    with mpmath.workdps(DIGITS):
        return mpmath.diff(lambda t: run(case, mp, {name: t})[case.output], base[name])


def reference_local(case: Case, base: Env, child: str, parent: str) -> Any:
    """∂child/∂parent with the child's other inputs held at their values."""
    form = case.forms[child]
    if case.rational:
        env = {k: Dual(v, 1 if k == parent else 0) for k, v in base.items()}
        return Dual.of(form(env)).d
    with mpmath.workdps(DIGITS):
        return mpmath.diff(lambda t: form({**base, parent: t}), base[parent])


def sig(x: Any) -> Any:
    return 1 / (1 + mpmath.exp(-x))


def cross_entropy(e: Env) -> Any:
    return -(e["y"] * mpmath.log(e["yhat"]) + (1 - e["y"]) * mpmath.log(1 - e["yhat"]))


LECTURE = Case(
    "lecture",
    ["u = b c", "v = a + u", "J = 3 v"],
    {"a": F(5), "b": F(3), "c": F(2)},
    "J",
    {"u": lambda e: e["b"] * e["c"], "v": lambda e: e["a"] + e["u"], "J": lambda e: 3 * e["v"]},
    nodes=["a", "b", "c", "u", "v", "J"],
)
LOGISTIC_LINES = [
    "p1 = w1 x1",
    "p2 = w2 x2",
    "z = p1 + p2 + b",
    "yhat = sigmoid(z)",
    "L = -(y log(yhat) + (1 - y) log(1 - yhat))",
]
LOGISTIC_FORMS: dict[str, Callable[[Env], Any]] = {
    "p1": lambda e: e["w1"] * e["x1"],
    "p2": lambda e: e["w2"] * e["x2"],
    "z": lambda e: e["p1"] + e["p2"] + e["b"],
    "yhat": lambda e: sig(e["z"]),
    "L": cross_entropy,
}
LOGISTIC = Case(
    "logistic",
    LOGISTIC_LINES,
    {"w1": F(1), "w2": F(-2), "b": F(1, 2), "x1": F(2), "x2": F(1), "y": F(1)},
    "L",
    LOGISTIC_FORMS,
    rational=False,
    nodes=["w1", "w2", "b", "x1", "x2", "y", "p1", "p2", "z", "yhat", "L"],
)
DENSE_LINES = ["u1 = a b", "u2 = u1 + a", "u3 = tanh(u1 u2 b)"] + [
    f"u{k} = sin(u{k - 1}) u{k - 2} + exp(u{k - 3}/10)" for k in range(4, 11)
]


def _dense_forms() -> dict[str, Callable[[Env], Any]]:
    forms: dict[str, Callable[[Env], Any]] = {
        "u1": lambda e: e["a"] * e["b"],
        "u2": lambda e: e["u1"] + e["a"],
        "u3": lambda e: mpmath.tanh(e["u1"] * e["u2"] * e["b"]),
    }
    for k in range(4, 11):
        forms[f"u{k}"] = lambda e, k=k: (
            mpmath.sin(e[f"u{k - 1}"]) * e[f"u{k - 2}"] + mpmath.exp(e[f"u{k - 3}"] / 10)
        )
    return forms


CASES = [
    LECTURE,
    Case(
        "lecture-shuffled",
        ["J = 3 v", "v = a + u", "u = b c"],
        {"a": F(5), "b": F(3), "c": F(2)},
        "J",
        LECTURE.forms,
        nodes=["a", "b", "c", "u", "v", "J"],
    ),
    Case(
        "used-twice",
        ["u = a b", "v = u + a", "J = u v"],
        {"a": F(2), "b": F(3)},
        "J",
        {
            "u": lambda e: e["a"] * e["b"],
            "v": lambda e: e["u"] + e["a"],
            "J": lambda e: e["u"] * e["v"],
        },
        nodes=["a", "b", "u", "v", "J"],
    ),
    Case(
        "powers-and-quotients",
        ["u = a^2 - b", "v = u/(a + 1)", "J = v^3 + u b"],
        {"a": F(3, 2), "b": F(-2, 3)},
        "J",
        {
            "u": lambda e: e["a"] ** 2 - e["b"],
            "v": lambda e: e["u"] / (e["a"] + 1),
            "J": lambda e: e["v"] ** 3 + e["u"] * e["b"],
        },
    ),
    Case(
        "relu-max-min",
        ["p = w x", "z = p + b", "h = relu(z)", "J = max(h, c) - min(h, 2 c)/2"],
        {"w": F(2), "x": F(3, 4), "b": F(-1, 2), "c": F(1, 3)},
        "J",
        {
            "p": lambda e: e["w"] * e["x"],
            "z": lambda e: e["p"] + e["b"],
            "h": lambda e: relu(e["z"]),
            "J": lambda e: larger(e["h"], e["c"]) - smaller(e["h"], 2 * e["c"]) / 2,
        },
    ),
    Case(
        "abs-and-negative-powers",
        ["u = |a - b|", "v = 1/u + u^-2", "J = v c - a"],
        {"a": F(1), "b": F(3), "c": F(5)},
        "J",
        {
            "u": lambda e: absolute(e["a"] - e["b"]),
            "v": lambda e: 1 / e["u"] + e["u"] ** -2,
            "J": lambda e: e["v"] * e["c"] - e["a"],
        },
    ),
    Case(
        "twelve-rational",
        ["p = w1 x", "h = relu(p + b)", "q = w2 h", "r = q - y", "s = r^2/2", "J = s + w3 h"],
        {"x": F(2), "w1": F(3, 2), "w2": F(-1), "w3": F(1, 4), "b": F(-1), "y": F(1, 2)},
        "J",
        {
            "p": lambda e: e["w1"] * e["x"],
            "h": lambda e: relu(e["p"] + e["b"]),
            "q": lambda e: e["w2"] * e["h"],
            "r": lambda e: e["q"] - e["y"],
            "s": lambda e: e["r"] ** 2 / 2,
            "J": lambda e: e["s"] + e["w3"] * e["h"],
        },
    ),
    LOGISTIC,
    Case(
        "logistic-at-zero",
        LOGISTIC_LINES,
        {"w1": F(1), "w2": F(1), "b": F(0), "x1": F(1), "x2": F(-1), "y": F(0)},
        "L",
        LOGISTIC_FORMS,
        rational=False,
    ),
    Case(
        "tanh-chain",
        ["u = w x", "z = tanh(u + b)", "J = (z - y)^2"],
        {"w": F(3, 4), "x": F(-2), "b": F(1, 10), "y": F(1, 2)},
        "J",
        {
            "u": lambda e: e["w"] * e["x"],
            "z": lambda e: mpmath.tanh(e["u"] + e["b"]),
            "J": lambda e: (e["z"] - e["y"]) ** 2,
        },
        rational=False,
    ),
    Case(
        "exp-log-sqrt",
        ["u = exp(a b)", "v = log(u + c)", "J = v sqrt(u)"],
        {"a": F(1, 3), "b": F(3, 2), "c": F(2)},
        "J",
        {
            "u": lambda e: mpmath.exp(e["a"] * e["b"]),
            "v": lambda e: mpmath.log(e["u"] + e["c"]),
            "J": lambda e: e["v"] * mpmath.sqrt(e["u"]),
        },
        rational=False,
    ),
    Case(
        "softplus-sqrt",
        ["u = sqrt(a^2 + b^2)", "v = softplus(u - c)", "J = v/u"],
        {"a": F(1), "b": F(2), "c": F(1, 2)},
        "J",
        {
            "u": lambda e: mpmath.sqrt(e["a"] ** 2 + e["b"] ** 2),
            "v": lambda e: mpmath.log(1 + mpmath.exp(e["u"] - e["c"])),
            "J": lambda e: e["v"] / e["u"],
        },
        rational=False,
    ),
    Case(
        "trig-used-twice",
        ["u = sin(a) cos(b)", "v = u^2 + a", "J = u v"],
        {"a": F(7, 10), "b": F(-1, 5)},
        "J",
        {
            "u": lambda e: mpmath.sin(e["a"]) * mpmath.cos(e["b"]),
            "v": lambda e: e["u"] ** 2 + e["a"],
            "J": lambda e: e["u"] * e["v"],
        },
        rational=False,
    ),
    Case(
        "twelve-network",
        [
            "z1 = w1 x + b1",
            "a1 = tanh(z1)",
            "z2 = w2 a1 + b2",
            "yhat = σ(z2)",
            "L = -(y log(yhat) + (1 - y) log(1 - yhat))",
            "J = L + z1^2/100",
        ],
        {"x": F(3, 2), "w1": F(-1, 2), "b1": F(1, 4), "w2": F(2), "b2": F(-1, 3), "y": F(1)},
        "J",
        {
            "z1": lambda e: e["w1"] * e["x"] + e["b1"],
            "a1": lambda e: mpmath.tanh(e["z1"]),
            "z2": lambda e: e["w2"] * e["a1"] + e["b2"],
            "yhat": lambda e: sig(e["z2"]),
            "L": cross_entropy,
            "J": lambda e: e["L"] + e["z1"] ** 2 / 100,
        },
        rational=False,
    ),
    Case(
        "twelve-chain",
        [
            "u1 = a b",
            "u2 = exp(u1/4)",
            "u3 = log(u2 + a)",
            "u4 = sqrt(u3 + 1)",
            "u5 = tanh(u4)",
            "u6 = u5 u1",
            "u7 = sigmoid(u6)",
            "u8 = softplus(u7 - u5)",
            "u9 = u8^2 + u2",
            "J = u9/u4",
        ],
        {"a": F(6, 5), "b": F(-3, 4)},
        "J",
        {
            "u1": lambda e: e["a"] * e["b"],
            "u2": lambda e: mpmath.exp(e["u1"] / 4),
            "u3": lambda e: mpmath.log(e["u2"] + e["a"]),
            "u4": lambda e: mpmath.sqrt(e["u3"] + 1),
            "u5": lambda e: mpmath.tanh(e["u4"]),
            "u6": lambda e: e["u5"] * e["u1"],
            "u7": lambda e: sig(e["u6"]),
            "u8": lambda e: mpmath.log(1 + mpmath.exp(e["u7"] - e["u5"])),
            "u9": lambda e: e["u8"] ** 2 + e["u2"],
            "J": lambda e: e["u9"] / e["u4"],
        },
        rational=False,
    ),
    Case(
        "twelve-dense",
        DENSE_LINES,
        {"a": F(1, 2), "b": F(-3, 4)},
        "u10",
        _dense_forms(),
        rational=False,
    ),
    Case(
        "exact-sigmoid",
        ["u = log(a)", "yhat = sigmoid(u)", "J = yhat c"],
        {"a": F(3), "c": F(2)},
        "J",
        {
            "u": lambda e: mpmath.log(e["a"]),
            "yhat": lambda e: sig(e["u"]),
            "J": lambda e: e["yhat"] * e["c"],
        },
        rational=False,
    ),
    Case(
        "far-tail",
        ["z = w x", "yhat = sigmoid(z)", "L = -log(yhat)"],
        {"w": F(40), "x": F(1)},
        "L",
        {
            "z": lambda e: e["w"] * e["x"],
            "yhat": lambda e: sig(e["z"]),
            "L": lambda e: -mpmath.log(e["yhat"]),
        },
        rational=False,
    ),
]
IDS = [c.id for c in CASES]


def case_of(id: str) -> Case:
    return next(c for c in CASES if c.id == id)


def base_values(case: Case) -> Env:
    if case.rational:
        return run(case, Fraction)
    with mpmath.workdps(DIGITS):
        return run(case, mp)


# -- every graph, against the reference --------------------------------------------------------
def test_there_are_enough_graphs() -> None:
    assert len(CASES) >= 15
    assert sum(len(c.inputs) + len(c.forms) == 12 for c in CASES) >= 3


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_nodes(case: Case) -> None:
    g = case.graph()
    names = [n.name for n in g.nodes]
    assert sorted(names) == sorted([*case.inputs, *case.forms])
    assert names[: len(case.inputs)] == list(case.inputs)
    if case.nodes:
        assert names == case.nodes
    depth = {n.name: n.depth for n in g.nodes}
    for node in g.nodes:
        assert depth[node.name] == (1 + max(depth[p] for p in node.inputs) if node.inputs else 0)
    assert [n.depth for n in g.nodes] == sorted(n.depth for n in g.nodes)
    assert g.output == case.output


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_forward_values(case: Case) -> None:
    g, base = case.graph(), base_values(case)
    for name, expected in base.items():
        assert same(g.value(name), expected), name
    if case.rational:
        assert all(g.value(n.name).exact for n in g.nodes)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_nudged_values(case: Case) -> None:
    g, base = case.graph(), base_values(case)
    h = F(1, 1000)
    for node in g.nodes:
        if case.rational:
            expected = run(case, Fraction, {node.name: base[node.name] + h})
        else:
            with mpmath.workdps(DIGITS):
                expected = run(case, mp, {node.name: base[node.name] + mp(h)})
        nudged = g.nudged(node.name, h)
        assert list(nudged) == [n.name for n in g.nodes]
        downstream = set(g.downstream(node.name))
        for name, value in nudged.items():
            if name != node.name and name not in downstream:
                assert value == g.value(name), (node.name, name)  # upstream and beside: same
            assert same(value, expected[name]), (node.name, name)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_derivatives(case: Case) -> None:
    g, base = case.graph(), base_values(case)
    for node in g.nodes:
        expected = reference_derivative(case, base, node.name)
        assert same(g.derivative(node.name), expected), node.name


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_local_derivatives(case: Case) -> None:
    g, base = case.graph(), base_values(case)
    for node in g.nodes:
        for parent in node.inputs:
            expected = reference_local(case, base, node.name, parent)
            assert same(g.local(node.name, parent), expected), (node.name, parent)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_derivative_is_the_sum_over_paths(case: Case) -> None:
    """The chain rule the lecture draws: along each path multiply, then add the paths."""
    g = case.graph()
    for node in g.nodes:
        paths = g.paths(node.name)
        assert paths and all(p[0] == node.name and p[-1] == g.output for p in paths)
        assert len(set(paths)) == len(paths)
        total = F(0)
        for path in paths:
            product = F(1)
            for parent, child in zip(path, path[1:], strict=False):
                assert parent in g.node(child).inputs
                product *= g.local(child, parent).q
            total += product
        d = g.derivative(node.name)
        if case.rational:
            assert d.q == total
        else:  # rounded locals: the same to nearly every digit
            assert abs(d.q - total) <= F(1, 10**50) * max(1, abs(total))


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_downstream(case: Case) -> None:
    g = case.graph()
    names = [n.name for n in g.nodes]
    for name in names:
        after = {n for p in g.paths(name) for n in p[1:]}
        assert g.downstream(name) == tuple(n for n in names if n in after)


# -- the lecture -------------------------------------------------------------------------------
def test_lecture_numbers() -> None:
    g = LECTURE.graph()
    assert [g.value(n).text() for n in ("a", "b", "c", "u", "v", "J")] == [
        "5",
        "3",
        "2",
        "6",
        "11",
        "33",
    ]
    nudged = g.nudged("v", F(1, 1000))
    assert (nudged["v"].text(), nudged["J"].text()) == ("11.001", "33.003")
    assert nudged["J"].shows_exactly and nudged["u"] == g.value("u")
    assert (nudged["J"].q - g.value("J").q) / F(1, 1000) == 3
    assert {n: g.derivative(n).text() for n in "abcuvJ"} == {
        "a": "3",
        "b": "6",
        "c": "9",
        "u": "3",
        "v": "3",
        "J": "1",
    }
    assert g.local("v", "a").text() == "1" and g.local("J", "v").text() == "3"
    assert g.local("u", "b").text() == "2" and g.local("u", "c").text() == "3"
    typst = {(n.name, p): g.local_typst(n.name, p) for n in g.nodes for p in n.inputs}
    assert typst == {
        ("u", "b"): "c",
        ("u", "c"): "b",
        ("v", "a"): "1",
        ("v", "u"): "1",
        ("J", "v"): "3",
    }
    assert [(n.formula_text, n.formula_typst, n.inputs) for n in g.nodes[3:]] == [
        ("b c", "b c", ("b", "c")),
        ("a + u", "a + u", ("a", "u")),
        ("3v", "3 v", ("v",)),
    ]
    assert g.nodes[0] == GraphNode("a", "", "", (), 0)
    assert g.paths("a") == [("a", "v", "J")] and g.paths("J") == [("J",)]
    assert g.downstream("u") == ("v", "J") and g.downstream("J") == ()


def test_lecture_with_random_rational_inputs() -> None:
    """dJ/db = 3c, dJ/dc = 3b and dJ/da = 3, exactly, wherever the inputs are."""
    rng = random.Random(20240917)

    def draw() -> Fraction:
        return F(rng.randint(-(10**6), 10**6), rng.choice([1, 2, 3, 7, 10, 1000, 999983]))

    for _ in range(200):
        a, b, c = draw(), draw(), draw()
        h = F(rng.randint(-999, 999) or 1, 10 ** rng.randint(1, 6))
        g = parse_graph(LECTURE.lines, {"a": a, "b": b, "c": c}, "J")
        assert g.value("J") == Value(3 * (a + b * c))
        assert (g.derivative("a"), g.derivative("b"), g.derivative("c")) == (
            Value(F(3)),
            Value(3 * c),
            Value(3 * b),
        )
        assert g.derivative("u") == g.derivative("v") == Value(F(3))
        nudged = g.nudged("b", h)
        assert nudged["J"] == Value(3 * (a + (b + h) * c))
        assert nudged["J"].q - g.value("J").q == h * g.derivative("b").q  # J is linear in b


# -- logistic regression -----------------------------------------------------------------------
def test_logistic_regression() -> None:
    g = LOGISTIC.graph()
    with mpmath.workdps(DIGITS):
        yhat = sig(mpmath.mpf(1) / 2)
        assert same(g.value("yhat"), yhat) and not g.value("yhat").exact
        assert same(g.derivative("z"), yhat - 1)  # dL/dz = yhat - y
        assert same(g.derivative("w1"), 2 * (yhat - 1))  # x1 (yhat - y)
        assert same(g.derivative("w2"), yhat - 1)  # x2 (yhat - y)
        assert same(g.derivative("b"), yhat - 1)
        assert same(g.local("yhat", "z"), yhat * (1 - yhat))
        assert same(g.local("L", "yhat"), -1 / yhat)
    assert abs(g.derivative("z").q - (g.value("yhat").q - 1)) < F(1, 10**59)
    assert g.local_typst("yhat", "z") == "sigma(z) (1 - sigma(z))"
    assert g.local_typst("L", "yhat") == "(-y)/hat(y) + (1 - y)/(1 - hat(y))"
    assert g.local_typst("z", "b") == "1" and g.local_typst("p1", "w1") == "x_1"
    node = g.node("L")
    assert node.formula_typst == "-(y log(hat(y)) + (1 - y) log(1 - hat(y)))"
    assert node.formula_text == "-(y log(ŷ) + (1 - y) log(1 - ŷ))"
    assert node.inputs == ("y", "yhat") and node.depth == 4


def test_exact_where_the_inputs_make_it_exact() -> None:
    g = case_of("logistic-at-zero").graph()  # z = 0, y = 0
    assert g.value("yhat") == Value(F(1, 2)) and g.derivative("z") == Value(F(1, 2))
    assert g.local("yhat", "z") == Value(F(1, 4)) and not g.value("L").exact
    s = parse_graph(["u = log(a)", "yhat = sigmoid(u)", "J = yhat c"], {"a": F(3), "c": 2}, "J")
    assert s.value("yhat") == Value(F(3, 4)) and s.value("J") == Value(F(3, 2))
    assert s.derivative("a") == Value(F(1, 8)) and s.derivative("c") == Value(F(3, 4))
    t = parse_graph(["u = log(a)", "J = exp(u) + c"], {"a": F(2), "c": F(1)}, "J")
    assert t.value("J") == Value(F(3)) and t.derivative("a") == Value(F(1))


def test_far_tail_keeps_its_digits() -> None:
    g = case_of("far-tail").graph()  # σ(40) = 1 - 4.25e-18
    assert g.value("L").text(5) == "0.0000000000000000042484"
    assert g.derivative("z").text(5) == "-0.0000000000000000042484"
    assert not g.value("L").exact


# -- corners -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("lines", "inputs", "message"),
    [
        (["z = a - b", "h = relu(z)", "J = h c"], {"a": 1, "b": 1, "c": 2}, "relu(z)"),
        (["z = sin(a)", "h = relu(z)", "J = h c"], {"a": 0, "c": 2}, "relu(z)"),
        (["z = a - b", "h = |z|", "J = h c"], {"a": 1, "b": 1, "c": 2}, "|z|"),
    ],
)
def test_no_derivative_at_a_corner(lines: list[str], inputs: dict[str, int], message: str) -> None:
    g = parse_graph(lines, {k: F(v) for k, v in inputs.items()}, "J")
    assert g.value("h") == Value(F(0))
    assert g.derivative("c") == Value(F(0))  # no corner on the way from c
    with pytest.raises(GraphError) as caught:
        g.derivative("a")
    assert str(caught.value) == (f"∂h/∂z does not exist here: {message} has a corner where z = 0")
    assert caught.value.index == 1


def test_max_at_a_tie() -> None:
    g = parse_graph(["h = max(z, c)", "J = h c"], {"z": F(1), "c": F(1)}, "J")
    with pytest.raises(GraphError, match=r"∂h/∂z does not exist here: max\(z, c\) has a corner"):
        g.local("h", "z")
    flat = parse_graph(["h = relu(z - c) + b", "J = h"], {"z": F(1), "c": F(1), "b": F(2)}, "J")
    assert flat.derivative("b") == Value(F(1))


# -- errors ------------------------------------------------------------------------------------
ABC = {"a": F(5), "b": F(3), "c": F(2)}


@pytest.mark.parametrize(
    ("lines", "inputs", "output", "message", "key", "index"),
    [
        (
            ["u = b c", "v = a + u", "J = 3 d"],
            ABC,
            "J",
            "J = 3 d: unknown name 'd': the names here are a, b, c, u, v at column 7",
            "graph",
            2,
        ),
        (
            ["u = v + b c", "v = 2 u + a", "J = 3 v"],
            ABC,
            "J",
            "u = v + b c uses v, which uses u",
            "graph",
            0,
        ),
        (
            ["J = 3 v", "v = a + w", "w = u + 1", "u = b c v"],
            ABC,
            "J",
            "v = a + w uses w, which uses u, which uses v",
            "graph",
            1,
        ),
        (["u = u + a b c", "J = u"], ABC, "J", "u = u + a b c uses u itself", "graph", 0),
        (
            ["u = b c", "v = a + u", "J = 3 v"],
            {**ABC, "d": F(1)},
            "J",
            "input d is never used",
            "inputs",
            None,
        ),
        (
            ["u = b c", "a = u", "J = 3 a"],
            ABC,
            "J",
            "a is an input and cannot also be assigned: a = u",
            "graph",
            1,
        ),
        (
            ["u = b c", "u = a", "J = 3 u"],
            ABC,
            "J",
            "u is assigned twice: u = b c and u = a",
            "graph",
            1,
        ),
        (
            ["u = b c", "v = a + u", "J = 3 v"],
            ABC,
            "K",
            "output 'K' is not a node: the nodes are a, b, c, u, v, J",
            "output",
            None,
        ),
        (
            ["u = b c", "v = a + u", "J = 3 v"],
            ABC,
            "a",
            "output a is an input: the output must be assigned",
            "output",
            None,
        ),
        (
            ["u = b c", "v a + u", "J = 3 v"],
            ABC,
            "J",
            "expected NAME = EXPRESSION, got 'v a + u'",
            "graph",
            1,
        ),
        (
            ["u = b = c", "J = a u"],
            ABC,
            "J",
            "expected NAME = EXPRESSION, got 'u = b = c'",
            "graph",
            0,
        ),
        (["= b c", "J = a"], ABC, "J", "expected NAME = EXPRESSION, got '= b c'", "graph", 0),
        (["u =  ", "J = a b c"], ABC, "J", "expected NAME = EXPRESSION, got 'u ='", "graph", 0),
        (
            ["w_1 = b c", "J = a"],
            ABC,
            "J",
            "expected NAME = EXPRESSION, got 'w_1 = b c': 'w_1' is not a name",
            "graph",
            0,
        ),
        (
            ["exp = b c", "J = a"],
            ABC,
            "J",
            "expected NAME = EXPRESSION, got 'exp = b c': 'exp' is a function, not a name",
            "graph",
            0,
        ),
        (
            ["u = b c", "w = a u", "v = a + u", "J = 3 v"],
            ABC,
            "J",
            "w does not lead to the output J: w = a u",
            "graph",
            1,
        ),
        (
            ["k = 2", "J = a b c k"],
            ABC,
            "J",
            "k = 2 uses no other node: write its number where it is used",
            "graph",
            0,
        ),
        (
            ["J = a + b + c + d + f + g + h + k"],
            {**ABC, **{k: F(1) for k in "dfghk"}},
            "J",
            "J = a + b + c + d + f + g + h + k uses 8 nodes (a, b, c, d, f, g, h, k); a node "
            "takes at most 7 inputs",
            "graph",
            0,
        ),
        (
            [f"u{k} = u{k - 1} + a" for k in range(2, 12)] + ["J = u11 b"],
            {"a": F(1), "b": F(1), "u1": F(1)},
            "J",
            "a graph has at most 12 nodes; this one has 14 (3 inputs and 11 assignments)",
            "graph",
            9,
        ),
        (
            ["J = " + " + ".join(f"x{k}" for k in range(13))],
            {f"x{k}": F(1) for k in range(13)},
            "J",
            "a graph has at most 12 nodes; 13 inputs",
            "inputs",
            None,
        ),
        (
            ["J = a b"],
            {"a": 0.5, "b": F(1)},
            "J",
            "input a must be an exact number",
            "inputs",
            None,
        ),
        (["J = a b"], {"a": F(1), "pi": F(1)}, "J", "input 'pi' is a constant", "inputs", None),
        (["J = a b"], {}, "J", "a graph needs at least one input", "inputs", None),
        ([], ABC, "J", "a graph needs at least one assignment", "graph", None),
        ("J = a b c", ABC, "J", "the graph must be a list of assignments", "graph", None),
        (
            ["u = 1/(a - b)", "J = u c"],
            {"a": F(1), "b": F(1), "c": F(1)},
            "J",
            "u is undefined: division by zero (u = 1/(a - b))",
            "graph",
            0,
        ),
        (
            ["u = a - b", "v = log(u)", "J = v c"],
            {"a": F(1), "b": F(2), "c": F(1)},
            "J",
            "v is not a real number (v = log(u))",
            "graph",
            1,
        ),
        (
            ["u = exp(a)", "v = exp(u)", "w = exp(v)", "J = w c"],
            {"a": F(9), "c": F(1)},
            "J",
            "w is too large to compute (w = exp(v))",
            "graph",
            2,
        ),
        (
            ["u = a^12", "v = u^12", "w = v^12", "x = w^12", "J = x c"],
            {"a": F(9), "c": F(1)},
            "J",
            "x is too large to compute exactly (x = w^12)",
            "graph",
            3,
        ),
    ],
)
def test_errors(
    lines: list[str],
    inputs: dict[str, Any],
    output: str,
    message: str,
    key: str,
    index: int | None,
) -> None:
    with pytest.raises(GraphError) as caught:
        parse_graph(lines, inputs, output)
    error = caught.value
    assert message in str(error)
    assert "\n" not in str(error)
    assert (error.key, error.index) == (key, index)


def test_questions_about_nodes_that_are_not_there() -> None:
    g = LECTURE.graph()
    with pytest.raises(GraphError, match="unknown node 'd': the nodes are a, b, c, u, v, J"):
        g.value("d")
    with pytest.raises(GraphError, match="J does not use a: no edge from a to J"):
        g.local("J", "a")
    with pytest.raises(GraphError, match="J does not use u"):
        g.local_typst("J", "u")
    with pytest.raises(GraphError, match="a nudge must be an exact number, got float"):
        g.nudged("a", 0.001)  # type: ignore[arg-type]


def test_a_nudge_out_of_the_domain() -> None:
    g = parse_graph(["u = a - b", "v = log(u)", "J = v c"], {"a": 2, "b": 1, "c": 1}, "J")
    with pytest.raises(GraphError) as caught:
        g.nudged("u", F(-1))
    assert str(caught.value) == "after nudging u by -1, v is undefined (v = log(u))"
    assert caught.value.index == 1


def test_an_infinite_slope() -> None:
    g = parse_graph(["u = a - b", "J = sqrt(u) + c"], {"a": F(1), "b": F(1), "c": F(1)}, "J")
    assert g.value("J") == Value(F(1)) and g.derivative("c") == Value(F(1))
    with pytest.raises(GraphError) as caught:
        g.local("J", "u")
    assert (str(caught.value), caught.value.index) == ("∂J/∂u is undefined (J = sqrt(u) + c)", 1)
    with pytest.raises(GraphError, match="dJ/da is undefined"):
        g.derivative("a")


def test_graph_error_pickles() -> None:
    error = GraphError("J = 3 d: unknown name 'd'", "graph", 2)
    again = pickle.loads(pickle.dumps(error))
    assert (str(again), again.key, again.index) == (str(error), "graph", 2)


def test_the_lecture_loads_no_sympy() -> None:
    code = (
        "import sys\n"
        "from fractions import Fraction\n"
        "from lessonkit.maths.compgraph import parse_graph\n"
        "g = parse_graph(['u = b c', 'v = a + u', 'J = 3 v'], {'a': 5, 'b': 3, 'c': 2}, 'J')\n"
        "d = [g.derivative(n).text() for n in 'abc']\n"
        "n = g.nudged('v', Fraction(1, 1000))['J'].text()\n"
        "print(d, n, 'sympy' in sys.modules, 'mpmath' in sys.modules, 'manim' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parent.parent,
    ).stdout
    assert out.strip() == "['3', '6', '9'] 33.003 False False False"
