"""The magnitude guard: a cheap mpmath pass that refuses points where f is out of reach.

Before sympy computes any value exactly or to WORKING_DIGITS digits, the tree is evaluated at
30 digits with every intermediate result checked, so that nothing like exp(exp(exp(9))) or
2^(10^300) is ever attempted. Imported lazily, like sympy: only for transcendental functions.
The activations follow the rule of exp: σ(x) and softplus(x) are refused where e^x is beyond
reach (x < -23000, their values below 10^-10000), fine for any x above it (σ(10^300) is 1 to
any number of digits); tanh, relu, |x|, max and min never overflow.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

import mpmath  # type: ignore[import-untyped]

from lessonkit.base.errors import LessonError
from lessonkit.maths.expression.evaluation import NumberSystem, combine
from lessonkit.maths.expression.printing import render
from lessonkit.maths.expression.tree import Node

__all__ = ["LOG_LIMIT", "TooLarge", "guard", "magnitude_of", "point_text"]

#: |ln x| beyond this (x beyond 10^±10000) is refused rather than computed
LOG_LIMIT = 23000


class TooLarge(Exception):
    """Some part of f is beyond 10^±10000 at the point."""


def guard(tree: Node, a: Fraction) -> None:
    """Refuse points where some part of f is beyond 10^±10000 (cheap, 30 digits)."""
    try:
        with mpmath.workdps(30):
            _MAGNITUDES.evaluate(tree, mpmath.mpf(a.numerator) / a.denominator)
    except TooLarge:
        raise LessonError(
            f"{render(tree, 'source')} is too large to compute at a = {point_text(a)}"
        ) from None
    except (ZeroDivisionError, ValueError):
        raise LessonError(f"{render(tree, 'source')} is undefined at a = {point_text(a)}") from None


def magnitude_of(tree: Node, names: Mapping[str, Any]) -> Any:
    """The cheap 30-digit value of a tree parsed with names, each name standing for its mpmath
    value in `names`: TooLarge where some part is beyond 10^±10000, ZeroDivisionError or
    ValueError where it is undefined (for a computation graph, node after node)."""
    with mpmath.workdps(30):
        return _MAGNITUDES.evaluate(tree, None, names)


def point_text(a: Fraction) -> str:
    """The point as it appears in a message: exact when short, else 6 significant digits."""
    text = str(a)
    return text if len(text) <= 30 else f"{float(a):.6g}"


def _check(x: Any) -> Any:
    if isinstance(x, mpmath.mpc):
        x = abs(x)
    if not mpmath.isfinite(x) or (x != 0 and abs(mpmath.log(abs(x))) > LOG_LIMIT):
        raise TooLarge
    return x


class _Magnitudes(NumberSystem[Any]):
    """30-digit mpmath values, every one checked against LOG_LIMIT."""

    pi = mpmath.pi
    e = mpmath.e

    def number(self, value: Fraction) -> Any:
        return mpmath.mpf(value.numerator) / value.denominator

    def binary(self, op: str, left: Any, right: Any) -> Any:
        if op == "/" and right == 0:
            raise ZeroDivisionError
        return _check(combine(op, left, right))

    def power(self, base: Any, exponent: Any) -> Any:
        if base == 0:
            return mpmath.mpf(0) if exponent > 0 else mpmath.mpf(1)
        if abs(exponent * mpmath.log(abs(base))) > LOG_LIMIT:
            raise TooLarge
        # a negative base: (-2)^2 = 4 and (-2)^3 = -8; an odd root of it stays negative
        sign = 1 if base > 0 else (-1) ** int(exponent) if exponent == int(exponent) else -1
        return _check(mpmath.power(abs(base), exponent) * sign)

    def larger(self, name: str, x: Any, y: Any) -> Any:
        return max(x, y) if name == "max" else min(x, y)

    def function(self, name: str, args: Sequence[Any]) -> Any:
        if name in ("max", "min"):
            return self.larger(name, args[0], args[1])
        x = args[0]
        if name in ("sigmoid", "softplus"):
            if x < -LOG_LIMIT:
                raise TooLarge
            if name == "sigmoid":
                return 1 / (1 + mpmath.exp(-x)) if x >= 0 else mpmath.exp(x) / (1 + mpmath.exp(x))
            return max(x, 0) + mpmath.log1p(mpmath.exp(-abs(x)))
        if name in ("tanh", "relu", "abs", "step", "sign"):
            simple = {"tanh": mpmath.tanh, "relu": lambda t: max(t, 0), "abs": abs}
            return simple.get(name, mpmath.sign)(x)
        if name == "exp":
            if abs(args[0]) > LOG_LIMIT:
                raise TooLarge
            return _check(mpmath.exp(args[0]))
        if name in ("sin", "cos"):
            return (mpmath.sin if name == "sin" else mpmath.cos)(args[0])
        if name == "tan":
            return _check(mpmath.tan(args[0]))
        if name == "sqrt":
            return mpmath.sqrt(abs(args[0]))
        if any(arg == 0 for arg in args):
            raise ValueError("log 0")
        logs = [mpmath.log(abs(arg)) for arg in args]
        if len(logs) == 2:
            if logs[1] == 0:
                raise ZeroDivisionError
            return _check(logs[0] / logs[1])
        return logs[0]


_MAGNITUDES = _Magnitudes()
