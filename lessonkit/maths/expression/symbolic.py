"""The sympy side of expressions: exact and 60-digit values, signs, and derivatives.

Imported lazily (only for expressions that are not polynomials), so that importing
`lessonkit.maths.expression` or building a polynomial function never loads sympy. sympy objects are
built from the parsed tree with constructors, never from text; before any value is computed the
cheap mpmath pass of `magnitude` bounds the magnitudes, so that nothing like exp(exp(exp(9))) is
ever attempted exactly. The activations are the sympy functions of `sympy_functions`; a value
that sympy cannot find to WORKING_DIGITS digits (too much cancels) is refused, never rounded
from fewer digits.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

import mpmath  # type: ignore[import-untyped]
import sympy as sp  # type: ignore[import-untyped]

from lessonkit.base.errors import LessonError
from lessonkit.maths.expression import sympy_functions as act
from lessonkit.maths.expression.activations import canonical
from lessonkit.maths.expression.evaluation import (
    NumberSystem,
    activation_functions,
    named_functions,
)
from lessonkit.maths.expression.magnitude import guard, point_text
from lessonkit.maths.expression.tree import Node
from lessonkit.maths.numbers import WORKING_DIGITS, Value

__all__ = ["Derivative", "derivative_expr", "value_at", "sign_at", "cos_is_zero", "to_sympy"]

SYMBOL = sp.Symbol("a")


def _rational(q: Fraction) -> Any:
    return sp.Rational(q.numerator, q.denominator)


def _exact_log(x: Fraction, b: Fraction) -> Fraction | None:
    """k with b^k = x exactly, when k is a simple fraction (log(100, 10) = 2), else None."""
    if x <= 0 or b <= 0 or b == 1:
        return None
    if x == 1:
        return Fraction(0)

    def ln(q: Fraction) -> float:
        return math.log(q.numerator) - math.log(q.denominator)

    guess = Fraction(ln(x) / ln(b)).limit_denominator(64)
    p, q = guess.numerator, guess.denominator
    size = max(b.numerator.bit_length(), b.denominator.bit_length())
    if guess == 0 or abs(p) * size > 200_000:
        return None
    return guess if x**q == b**p else None


class _Sympy(NumberSystem[Any]):
    """sympy objects; log(x, b) is a rational k where b^k = x exactly."""

    pi = sp.pi
    e = sp.E
    functions = named_functions(
        sp.sin, sp.cos, sp.tan, sp.exp, sp.sqrt, sp.log
    ) | activation_functions(
        act.Sigmoid,
        act.tanh,
        act.Relu,
        act.Absolute,
        act.Softplus,
        lambda h: act.Step(h, sp.S.Zero),
        act.Sgn,
    )

    def number(self, value: Fraction) -> Any:
        return _rational(value)

    def larger(self, name: str, x: Any, y: Any) -> Any:
        return (act.Maximum if name == "max" else act.Minimum)(x, y)

    def power(self, base: Any, exponent: Any) -> Any:
        return sp.Pow(base, exponent)

    def function(self, name: str, args: Sequence[Any]) -> Any:
        if name in ("log", "ln") and len(args) == 2:  # log(x, base); max and min take two too
            x, b = args
            if x.is_Rational and b.is_Rational:
                k = _exact_log(Fraction(int(x.p), int(x.q)), Fraction(int(b.p), int(b.q)))
                if k is not None:
                    return _rational(k)
        return super().function(name, args)


_SYMPY = _Sympy()


def to_sympy(node: Node, a: Any, names: Mapping[str, Any] | None = None) -> Any:
    """The sympy object of the tree with a replaced by `a` (a Symbol or a number), and each
    name of a tree parsed with names by its sympy object in `names`."""
    return _SYMPY.evaluate(node, a, names)


# -- values ------------------------------------------------------------------------------------
#: the bits a value must have been found to (WORKING_DIGITS decimal digits)
_BITS = math.ceil(WORKING_DIGITS * math.log2(10))


def value_of(v: Any, what: str) -> Value:
    """The Value of a sympy number (exact when rational), after `stable` rewriting."""
    return _value(act.stable(v), what)


def _value(v: Any, what: str) -> Value:
    if v.is_Rational:
        return Value(Fraction(int(v.p), int(v.q)), True)
    if v.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        raise LessonError(f"{what} is undefined")
    n = v.evalf(WORKING_DIGITS + 15, maxn=600)
    if not isinstance(n, sp.Float):
        if n.is_real is False or not n.is_number:
            raise LessonError(f"{what} is not a real number")
        n = sp.Float(sp.re(n), WORKING_DIGITS + 15)
    if n._prec < _BITS:  # sympy ran out of precision (maxn) where terms cancel
        raise LessonError(f"{what} cannot be computed to {WORKING_DIGITS} digits")
    mpf = n._mpf_
    if n == 0:
        return Value(Fraction(0), False)
    if abs(mpmath.mag(mpmath.mpf(mpf))) > 40_000:
        raise LessonError(f"{what} is too large or too small to compute")
    return Value(Fraction(mpmath.libmp.to_str(mpf, WORKING_DIGITS)), False)


def value_at(tree: Node, a: Fraction) -> Value:
    """f(a): exact when sympy finds a rational value, else WORKING_DIGITS digits."""
    guard(tree, a)
    return value_of(to_sympy(tree, _rational(a)), f"f({point_text(a)})")


def sign_at(node: Node, a: Fraction) -> int | None:
    """The sign (-1, 0, 1) of the tree's value at a, decided exactly where sympy can, or None
    when it is not a real number there."""
    try:
        guard(node, a)
    except LessonError:
        return None
    v = to_sympy(node, _rational(a))
    if v.is_Rational:
        return int(sp.sign(v))  # sympy booleans do not subtract: its sign, as an int
    if v.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        return None
    if v.is_zero is True:
        return 0
    if v.is_extended_positive is True:
        return 1
    if v.is_extended_negative is True:
        return -1
    n = v.evalf(60, maxn=600)
    if not isinstance(n, sp.Float):
        return None
    if abs(n) < sp.Float(10) ** -50:
        return 0
    return 1 if n > 0 else -1


def cos_is_zero(node: Node, a: Fraction) -> bool:
    """Whether cos(node) vanishes at a (a pole of tan), exactly where sympy can tell."""
    v = to_sympy(node, _rational(a))
    c = sp.cos(v)
    if c.is_zero is not None:
        return bool(c.is_zero)
    n = c.evalf(60, maxn=600)
    return bool(abs(n) < sp.Float(10) ** -50)


# -- derivatives -------------------------------------------------------------------------------
@functools.lru_cache(maxsize=256)
def derivative_expr(tree: Node) -> Any:
    """The simplest of a few cheap rewritings of d/da of the tree (1/(1 + e^(-a)) read as σ)."""
    d = sp.diff(to_sympy(canonical(tree), SYMBOL), SYMBOL)
    candidates = [d]
    try:
        candidates.append(sp.factor_terms(d))
        if d.is_rational_function(SYMBOL):
            candidates.append(sp.together(d))
            candidates.append(sp.cancel(d))
    except (sp.PolynomialError, ValueError, TypeError):  # pragma: no cover - defensive
        pass
    return min(candidates, key=lambda e: (sp.count_ops(e), len(str(e))))


class Derivative:
    """f' of a tree, evaluated from the symbolic derivative."""

    def __init__(self, tree: Node) -> None:
        self.tree = tree
        self.expr = derivative_expr(tree)
        self.stable = act.stable(self.expr)  # before numbers distribute: 80 - 80 tanh²(1600)

    def at(self, a: Fraction) -> Value:
        guard(self.tree, a)
        return value_of(self.stable.xreplace({SYMBOL: _rational(a)}), f"f'({point_text(a)})")
