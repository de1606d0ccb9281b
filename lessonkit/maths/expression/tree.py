"""The parsed expression: a tree of frozen dataclasses (`Node`), and how to walk it.

Everything else (values, polynomials, the domain, the printers) is derived from this tree, so
it is kept small: numbers, the variable a, pi and e, a sign, the binary operators and calls.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction

FUNCTION_NAMES = ("sin", "cos", "tan", "exp", "log", "ln", "sqrt")
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
    """sin cos tan exp log ln sqrt of one argument, or log(x, base)."""

    func: str
    args: tuple[Node, ...]


Node = Num | Var | Const | Neg | BinOp | Call

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
    return any(isinstance(n, Var) for n in walk(node))


def is_e(node: Node) -> bool:
    """True for the constant e, whose powers e^x are exp(x)."""
    return isinstance(node, Const) and node.name == "e"
