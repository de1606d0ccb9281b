"""One walk that evaluates a tree in any number system, and the fast float value for plots.

A value of the tree is found the same way whether the numbers are floats, Fractions (`combine`
only), mpmath magnitudes (`magnitude`) or sympy objects (`symbolic`): only what a number, a
constant, a power and a function mean differs, and a `NumberSystem` says that, so the walk is
written once. Children are evaluated left to right, so the first error raised is the leftmost.
A tree parsed with names is evaluated with a value for each name (`names`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from typing import Generic, Protocol, Self, TypeVar

from lessonkit.maths.expression.tree import (
    TWO_ARGUMENTS,
    BinOp,
    Const,
    Name,
    Neg,
    Node,
    Num,
    Var,
    has_var,
    is_e,
)


class Arithmetic(Protocol):
    """Numbers with + - * / and a sign: Fraction, float, mpmath and sympy numbers."""

    def __add__(self, other: Self, /) -> Self: ...
    def __sub__(self, other: Self, /) -> Self: ...
    def __mul__(self, other: Self, /) -> Self: ...
    def __truediv__(self, other: Self, /) -> Self: ...
    def __neg__(self) -> Self: ...


T = TypeVar("T", bound=Arithmetic)


def combine(op: str, left: T, right: T) -> T:
    """left op right for op one of + - * / (a ZeroDivisionError where right is 0 for /)."""
    if op == "+":
        return left + right
    if op == "-":
        return left - right
    if op == "*":
        return left * right
    return left / right


def named_functions(
    sin: Callable[[T], T],
    cos: Callable[[T], T],
    tan: Callable[[T], T],
    exp: Callable[[T], T],
    sqrt: Callable[[T], T],
    log: Callable[[T], T],
) -> dict[str, Callable[[T], T]]:
    """The one-argument functions of an expression by name (ln is log)."""
    return {"sin": sin, "cos": cos, "tan": tan, "exp": exp, "sqrt": sqrt, "log": log, "ln": log}


def activation_functions(
    sigmoid: Callable[[T], T],
    tanh: Callable[[T], T],
    relu: Callable[[T], T],
    absolute: Callable[[T], T],
    softplus: Callable[[T], T],
    step: Callable[[T], T],
    sign: Callable[[T], T],
) -> dict[str, Callable[[T], T]]:
    """The activations of one argument by name, and the step and sign of derivative trees."""
    return {
        "sigmoid": sigmoid,
        "tanh": tanh,
        "relu": relu,
        "abs": absolute,
        "softplus": softplus,
        "step": step,
        "sign": sign,
    }


class NumberSystem(Generic[T]):
    """What the parts of a tree mean in one kind of number; `evaluate` walks the tree."""

    pi: T
    e: T
    functions: dict[str, Callable[[T], T]]  # see named_functions

    def number(self, value: Fraction) -> T:
        raise NotImplementedError

    def constant(self, name: str) -> T:
        return self.pi if name == "pi" else self.e

    def binary(self, op: str, left: T, right: T) -> T:
        """left op right for op one of + - * /."""
        return combine(op, left, right)

    def power(self, base: T, exponent: T) -> T:
        """base^exponent for any base but e (e^x is function("exp", [x]))."""
        raise NotImplementedError

    def larger(self, name: str, x: T, y: T) -> T:
        """max(x, y) or min(x, y)."""
        raise NotImplementedError

    def function(self, name: str, args: Sequence[T]) -> T:
        """A function of one argument, max or min of two, or log(x, base) = log x / log base."""
        if name in TWO_ARGUMENTS:
            return self.larger(name, args[0], args[1])
        if len(args) == 2:
            return self.binary("/", self.functions["log"](args[0]), self.functions["log"](args[1]))
        return self.functions[name](args[0])

    def evaluate(self, node: Node, a: T, names: Mapping[str, T] | None = None) -> T:
        """The value of the tree with the variable a standing for `a` (and each `Name` for its
        value in `names`, for a tree parsed with names)."""
        if isinstance(node, Num):
            return self.number(node.value)
        if isinstance(node, Var):
            return a
        if isinstance(node, Name):
            if names is None or node.name not in names:
                raise KeyError(f"no value for the name {node.name!r}")
            return names[node.name]
        if isinstance(node, Const):
            return self.constant(node.name)
        if isinstance(node, Neg):
            return -self.evaluate(node.operand, a, names)
        if isinstance(node, BinOp):
            left = self.evaluate(node.left, a, names)
            right = self.evaluate(node.right, a, names)
            if node.op != "^":
                return self.binary(node.op, left, right)
            if is_e(node.left):
                return self.function("exp", [right])
            return self.power(left, right)
        return self.function(node.func, [self.evaluate(arg, a, names) for arg in node.args])


def sigmoid_float(x: float) -> float:
    """1/(1 + e^-x) without overflow at either end."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def softplus_float(x: float) -> float:
    """log(1 + e^x) without overflow: max(x, 0) + log(1 + e^-|x|)."""
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))


def _step_float(x: float) -> float:
    return 1.0 if x > 0 else 0.0 if x < 0 else math.nan


def _sign_float(x: float) -> float:
    return 1.0 if x > 0 else -1.0 if x < 0 else math.nan


class _Floats(NumberSystem[float]):
    pi = math.pi
    e = math.e
    functions = named_functions(
        math.sin, math.cos, math.tan, math.exp, math.sqrt, math.log
    ) | activation_functions(
        sigmoid_float,
        math.tanh,
        lambda x: max(x, 0.0),
        math.fabs,
        softplus_float,
        _step_float,
        _sign_float,
    )

    def number(self, value: Fraction) -> float:
        return float(value)

    def larger(self, name: str, x: float, y: float) -> float:
        return max(x, y) if name == "max" else min(x, y)

    def power(self, base: float, exponent: float) -> float:
        if base < 0 and not exponent.is_integer():
            return math.nan
        result = base**exponent
        return result if isinstance(result, float) else float(result)


_FLOATS = _Floats()


def evaluate_float(node: Node, x: float) -> float:
    """A fast float value for plotting; raises (or gives NaN) outside the domain."""
    return _FLOATS.evaluate(node, x)


def safe_float(g: Callable[[float], float], x: float) -> float:
    """g(x), or NaN where g raises or gives something other than a float."""
    try:
        y = g(x)
    except (ValueError, ZeroDivisionError, OverflowError, TypeError):
        return math.nan
    return y if isinstance(y, float) else math.nan


def constant_float(node: Node) -> float | None:
    """A constant subtree as a float (None when it has a or is not a finite real)."""
    if has_var(node):
        return None
    value = safe_float(lambda x: evaluate_float(node, x), 0.0)
    return value if math.isfinite(value) else None
