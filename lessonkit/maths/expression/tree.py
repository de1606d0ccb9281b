"""The parsed expression: a tree of frozen dataclasses (`Node`), and how to walk it.

Everything else (values, polynomials, the domain, the printers) is derived from this tree, so
it is kept small: numbers, the variable a, pi and e, a sign, the binary operators and calls.
An expression parsed with names (`parse_expression(text, names=...)`, for the nodes of a
computation graph) has `Name` leaves instead of the variable a.
Every name a `Call` can carry, with its arguments, is listed in the package docstring
(`lessonkit.maths.expression`): a browser twin evaluates these same trees.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction

#: the smooth functions of the first lessons
CLASSIC_NAMES = ("sin", "cos", "tan", "exp", "log", "ln", "sqrt")
#: the activations of a deep-learning course (abs is also written |x|, sigmoid also σ)
ACTIVATION_NAMES = ("sigmoid", "tanh", "relu", "abs", "max", "min", "softplus")
#: every function name an expression may use
FUNCTION_NAMES = CLASSIC_NAMES + ACTIVATION_NAMES
#: names that appear only in derivative trees (users cannot type them): step(g) is 1 where
#: g > 0 and 0 where g < 0, sign(g) is 1 where g > 0 and -1 where g < 0; neither has a value
#: where g = 0
INTERNAL_NAMES = ("step", "sign")
#: the functions with a corner where their argument (for max/min: the difference of the two)
#: is 0: continuous there, with no derivative
KINKED_NAMES = ("relu", "abs", "max", "min")
#: the functions of two arguments (log also takes one)
TWO_ARGUMENTS = ("max", "min")
CONSTANT_NAMES = ("pi", "e")
VARIABLE = "a"


@dataclass(frozen=True)
class Num:
    """A non-negative decimal literal, held exactly (negative numbers are Neg(Num))."""

    value: Fraction


@dataclass(frozen=True)
class Var:
    """The variable a."""


@dataclass(frozen=True)
class Name:
    """A named variable (w1, yhat, J) of an expression parsed with names; never the variable a
    of a one-variable expression."""

    name: str


@dataclass(frozen=True)
class Const:
    """pi or e."""

    name: str


@dataclass(frozen=True)
class Neg:
    operand: Node


@dataclass(frozen=True)
class BinOp:
    """left op right, op one of + - * / ^."""

    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Call:
    """A function of one argument, log(x, base), or max(x, y) and min(x, y): see
    FUNCTION_NAMES and INTERNAL_NAMES."""

    func: str
    args: tuple[Node, ...]


Node = Num | Var | Name | Const | Neg | BinOp | Call

A = Var()


def children(node: Node) -> tuple[Node, ...]:
    if isinstance(node, Neg):
        return (node.operand,)
    if isinstance(node, BinOp):
        return (node.left, node.right)
    if isinstance(node, Call):
        return node.args
    return ()


def walk(node: Node) -> Iterator[Node]:
    """Every node, children before their parent."""
    for child in children(node):
        yield from walk(child)
    yield node


def has_var(node: Node) -> bool:
    """True when the tree has the variable a (or, parsed with names, any name)."""
    return any(isinstance(n, Var | Name) for n in walk(node))


def names_in(node: Node) -> tuple[str, ...]:
    """The names of the tree, each once, in the order they first appear (left to right)."""
    seen: dict[str, None] = {}
    for n in walk(node):
        if isinstance(n, Name):
            seen.setdefault(n.name)
    return tuple(seen)


def is_e(node: Node) -> bool:
    """True for the constant e, whose powers e^x are exp(x)."""
    return isinstance(node, Const) and node.name == "e"
