"""The exact side of a computation graph: Fraction values and local derivatives.

When every formula is rational (+ - * /, integer powers, relu, abs, max and min: the lecture's
J = 3(a + bc)), values and derivatives are found with `Fraction` alone, without sympy or
mpmath: the forward value of a node from its parents' values, and the local derivative
∂child/∂parent by dual numbers (the value and the derivative carried together through the
formula). At a corner of relu, abs, max or min a local derivative does not exist (`Corner`),
unless both sides agree there. Sizes are bounded (`TooLarge`) so that nothing like
a^(12^11) is ever attempted.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from fractions import Fraction

from lessonkit.base.errors import LessonError
from lessonkit.maths.expression.evaluation import NumberSystem, combine
from lessonkit.maths.expression.exact import integer_exponent, power_bits
from lessonkit.maths.expression.tree import BinOp, Call, Name, Neg, Node, Num
from lessonkit.maths.numbers import Value

__all__ = ["MAX_BITS", "TooLarge", "Corner", "ExactEngine", "forward", "local"]

#: the size of a value's numerator and denominator (about 5000 digits)
MAX_BITS = 16_384

ZERO = Fraction(0)
ONE = Fraction(1)


class TooLarge(Exception):
    """A value would take more than MAX_BITS bits."""


class Corner(Exception):
    """A local derivative at the corner of relu, abs, max or min (the call, when known)."""

    def __init__(self, call: Call | None) -> None:
        super().__init__("corner")
        self.call = call


def _checked(q: Fraction) -> Fraction:
    if max(q.numerator.bit_length(), q.denominator.bit_length()) > MAX_BITS:
        raise TooLarge
    return q


def _power(base: Fraction, n: int) -> Fraction:
    if base == 0 and n < 0:
        raise ZeroDivisionError("0 to a negative power")
    if power_bits(base, Fraction(n)) > MAX_BITS:
        raise TooLarge
    return base**n


class _Fractions(NumberSystem[Fraction]):
    """Exact values of a rational formula (integer powers only)."""

    functions: dict[str, Callable[[Fraction], Fraction]] = {
        "relu": lambda x: max(x, ZERO),
        "abs": abs,
    }

    def number(self, value: Fraction) -> Fraction:
        return value

    def binary(self, op: str, left: Fraction, right: Fraction) -> Fraction:
        return _checked(combine(op, left, right))

    def power(self, base: Fraction, exponent: Fraction) -> Fraction:
        assert exponent.denominator == 1
        return _power(base, int(exponent))

    def larger(self, name: str, x: Fraction, y: Fraction) -> Fraction:
        return max(x, y) if name == "max" else min(x, y)


_FRACTIONS = _Fractions()


def forward(tree: Node, values: Mapping[str, Fraction]) -> Fraction:
    """The node's value from its parents' (ZeroDivisionError where undefined, or TooLarge)."""
    return _FRACTIONS.evaluate(tree, ZERO, values)


def local(tree: Node, values: Mapping[str, Fraction], parent: str) -> Fraction:
    """∂(tree)/∂parent at the values, the other names held fixed (Corner at a corner)."""
    return _dual(tree, values, parent)[1]


def _dual(node: Node, values: Mapping[str, Fraction], wrt: str) -> tuple[Fraction, Fraction]:
    """(value, derivative with respect to the name wrt)."""
    if isinstance(node, Num):
        return node.value, ZERO
    if isinstance(node, Name):
        return values[node.name], ONE if node.name == wrt else ZERO
    if isinstance(node, Neg):
        v, d = _dual(node.operand, values, wrt)
        return -v, -d
    if isinstance(node, BinOp):
        x, dx = _dual(node.left, values, wrt)
        if node.op == "^":
            n = integer_exponent(node.right)
            assert n is not None
            if n == 0:
                return ONE, ZERO
            return _power(x, n), _checked(n * _power(x, n - 1) * dx)
        y, dy = _dual(node.right, values, wrt)
        if node.op == "+":
            return _checked(x + y), dx + dy
        if node.op == "-":
            return _checked(x - y), dx - dy
        if node.op == "*":
            return _checked(x * y), _checked(dx * y + x * dy)
        if y == 0:
            raise ZeroDivisionError("division by zero")
        return _checked(x / y), _checked((dx * y - x * dy) / (y * y))
    if isinstance(node, Call):
        return _call(node, [_dual(arg, values, wrt) for arg in node.args])
    raise TypeError(f"not a rational formula: {node!r}")  # pragma: no cover - checked before


def _call(node: Call, args: list[tuple[Fraction, Fraction]]) -> tuple[Fraction, Fraction]:
    """relu, abs, max and min of dual numbers; at a corner only when both sides agree."""
    if node.func in ("relu", "abs"):
        x, dx = args[0]
        sign = (x > 0) - (x < 0)
        if sign == 0 and dx != 0:
            raise Corner(node)
        if node.func == "relu":
            return (x, dx) if sign > 0 else (ZERO, ZERO)
        return abs(x), dx * sign
    (x, dx), (y, dy) = args
    if x == y:
        if dx != dy:
            raise Corner(node)
        return x, dx
    first = (x > y) == (node.func == "max")
    return (x, dx) if first else (y, dy)


class ExactEngine:
    """A graph of rational formulas: every value and derivative a Fraction (see `Graph`)."""

    def __init__(self, inputs: Mapping[str, Fraction], trees: Mapping[str, Node]) -> None:
        self.given = dict(inputs)
        self.trees = trees

    def inputs(self) -> dict[str, Fraction]:
        return dict(self.given)

    def compute(self, name: str, env: Mapping[str, Fraction]) -> Fraction:
        try:
            return forward(self.trees[name], env)
        except ZeroDivisionError:
            raise LessonError(f"{name} is undefined: division by zero") from None
        except TooLarge:
            raise LessonError(f"{name} is too large to compute exactly") from None

    def shifted(self, raw: Fraction, h: Fraction) -> Fraction:
        return raw + h

    def value(self, raw: Fraction, what: str) -> Value:
        return Value(raw)

    def local(self, child: str, parent: str, env: Mapping[str, Fraction]) -> Fraction:
        try:
            return local(self.trees[child], env, parent)
        except TooLarge:
            raise LessonError(f"∂{child}/∂{parent} is too large to compute exactly") from None

    def one(self) -> Fraction:
        return ONE

    def tidy(self, raw: Fraction) -> Fraction:
        return _checked(raw)

    def total(self, raw: Fraction, what: str) -> Value:
        return Value(raw)
