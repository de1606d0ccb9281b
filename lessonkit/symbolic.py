"""The sympy side of `lessonkit.expression`: derivatives and transcendental values.

Imported lazily (only for expressions that are not polynomials), so that importing
`lessonkit.expression` or building a polynomial function never loads sympy. sympy objects are
built from the parsed tree with constructors, never from text; before any value is computed a
cheap mpmath pass bounds the magnitudes, so that nothing like exp(exp(exp(9))) is ever
attempted exactly.
"""

from __future__ import annotations

import functools
import math
from fractions import Fraction
from typing import Any

import mpmath  # type: ignore[import-untyped]
import sympy as sp  # type: ignore[import-untyped]

from lessonkit.errors import LessonError
from lessonkit.expression import (
    A,
    BinOp,
    Call,
    Const,
    Neg,
    Node,
    Num,
    Var,
    _negate_leftmost,
    _number_node,
    render,
)
from lessonkit.numbers import WORKING_DIGITS, Value

__all__ = ["Derivative", "derivative_tree", "value_at", "sign_at", "cos_is_zero", "to_sympy"]

SYMBOL = sp.Symbol("a")
#: |ln x| beyond this (x beyond 10^±10000) is refused rather than computed
LOG_LIMIT = 23000


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


def to_sympy(node: Node, a: Any) -> Any:
    """The sympy object of the tree with a replaced by `a` (a Symbol or a number)."""
    if isinstance(node, Num):
        return _rational(node.value)
    if isinstance(node, Var):
        return a
    if isinstance(node, Const):
        return sp.pi if node.name == "pi" else sp.E
    if isinstance(node, Neg):
        return -to_sympy(node.operand, a)
    if isinstance(node, BinOp):
        right = to_sympy(node.right, a)
        if node.op == "^" and isinstance(node.left, Const) and node.left.name == "e":
            return sp.exp(right)
        left = to_sympy(node.left, a)
        if node.op == "+":
            return sp.Add(left, right)
        if node.op == "-":
            return sp.Add(left, -right)
        if node.op == "*":
            return sp.Mul(left, right)
        if node.op == "/":
            return sp.Mul(left, sp.Pow(right, -1))
        return sp.Pow(left, right)
    args = [to_sympy(arg, a) for arg in node.args]
    func = node.func
    if func == "sin":
        return sp.sin(args[0])
    if func == "cos":
        return sp.cos(args[0])
    if func == "tan":
        return sp.tan(args[0])
    if func == "exp":
        return sp.exp(args[0])
    if func == "sqrt":
        return sp.sqrt(args[0])
    if len(args) == 2:
        x, b = args
        if x.is_Rational and b.is_Rational:
            k = _exact_log(Fraction(int(x.p), int(x.q)), Fraction(int(b.p), int(b.q)))
            if k is not None:
                return _rational(k)
        return sp.log(x) / sp.log(b)
    return sp.log(args[0])


# -- magnitude guard ---------------------------------------------------------------------------
class _TooLarge(Exception):
    pass


def _guard(tree: Node, a: Fraction) -> None:
    """Refuse points where some part of f is beyond 10^±10000 (cheap, 30 digits)."""
    try:
        with mpmath.workdps(30):
            _magnitude(tree, mpmath.mpf(a.numerator) / a.denominator)
    except _TooLarge:
        raise LessonError(
            f"{render(tree, 'source')} is too large to compute at a = {_short(a)}"
        ) from None
    except (ZeroDivisionError, ValueError):
        raise LessonError(f"{render(tree, 'source')} is undefined at a = {_short(a)}") from None


def _short(a: Fraction) -> str:
    text = str(a)
    return text if len(text) <= 30 else f"{float(a):.6g}"


def _check(x: Any) -> Any:
    if isinstance(x, mpmath.mpc):
        x = abs(x)
    if not mpmath.isfinite(x) or (x != 0 and abs(mpmath.log(abs(x))) > LOG_LIMIT):
        raise _TooLarge
    return x


def _magnitude(node: Node, x: Any) -> Any:
    if isinstance(node, Num):
        return mpmath.mpf(node.value.numerator) / node.value.denominator
    if isinstance(node, Var):
        return x
    if isinstance(node, Const):
        return mpmath.pi if node.name == "pi" else mpmath.e
    if isinstance(node, Neg):
        return -_magnitude(node.operand, x)
    if isinstance(node, BinOp):
        left = _magnitude(node.left, x)
        right = _magnitude(node.right, x)
        if node.op == "+":
            return _check(left + right)
        if node.op == "-":
            return _check(left - right)
        if node.op == "*":
            return _check(left * right)
        if node.op == "/":
            if right == 0:
                raise ZeroDivisionError
            return _check(left / right)
        if isinstance(node.left, Const) and node.left.name == "e":
            if abs(right) > LOG_LIMIT:
                raise _TooLarge
            return _check(mpmath.exp(right))
        if left == 0:
            return mpmath.mpf(0) if right > 0 else mpmath.mpf(1)
        if abs(right * mpmath.log(abs(left))) > LOG_LIMIT:
            raise _TooLarge
        return _check(mpmath.power(abs(left), right) * (1 if left > 0 else -1))
    args = [_magnitude(arg, x) for arg in node.args]
    func = node.func
    if func == "exp":
        if abs(args[0]) > LOG_LIMIT:
            raise _TooLarge
        return _check(mpmath.exp(args[0]))
    if func in ("sin", "cos"):
        return (mpmath.sin if func == "sin" else mpmath.cos)(args[0])
    if func == "tan":
        return _check(mpmath.tan(args[0]))
    if func == "sqrt":
        return mpmath.sqrt(abs(args[0]))
    if any(arg == 0 for arg in args):
        raise ValueError("log 0")
    logs = [mpmath.log(abs(arg)) for arg in args]
    if len(logs) == 2:
        if logs[1] == 0:
            raise ZeroDivisionError
        return _check(logs[0] / logs[1])
    return logs[0]


# -- values ------------------------------------------------------------------------------------
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
    mpf = n._mpf_
    if n == 0:
        return Value(Fraction(0), False)
    if abs(mpmath.mag(mpmath.mpf(mpf))) > 40_000:
        raise LessonError(f"{what} is too large or too small to compute")
    return Value(Fraction(mpmath.libmp.to_str(mpf, WORKING_DIGITS)), False)


def value_at(tree: Node, a: Fraction) -> Value:
    """f(a): exact when sympy finds a rational value, else WORKING_DIGITS digits."""
    _guard(tree, a)
    return _value(to_sympy(tree, _rational(a)), f"f({_short(a)})")


def sign_at(node: Node, a: Fraction) -> int | None:
    """The sign (-1, 0, 1) of the tree's value at a, decided exactly where sympy can, or None
    when it is not a real number there."""
    try:
        _guard(node, a)
    except LessonError:
        return None
    v = to_sympy(node, _rational(a))
    if v.is_Rational:
        return (v > 0) - (v < 0)  # type: ignore[no-any-return]
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
    """The simplest of a few cheap rewritings of d/da of the tree."""
    d = sp.diff(to_sympy(tree, SYMBOL), SYMBOL)
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

    def at(self, a: Fraction) -> Value:
        _guard(self.tree, a)
        return _value(self.expr.xreplace({SYMBOL: _rational(a)}), f"f'({_short(a)})")


def _ordered_terms(e: Any) -> list[Any]:
    terms = list(e.as_ordered_terms())
    powers = []
    for t in terms:
        c, p = t.as_coeff_exponent(SYMBOL)
        if c.has(SYMBOL) or not p.is_Number:
            return terms
        powers.append(p)
    order = sorted(range(len(terms)), key=lambda i: -powers[i])
    return [terms[i] for i in order]


def _product(nodes: list[Node]) -> Node:
    out = nodes[0]
    for node in nodes[1:]:
        out = BinOp("*", out, node)
    return out


def from_sympy(e: Any, decimal: bool = False) -> Node:
    """A tree for a sympy expression, written the way a student reads it."""
    if e.is_Rational:
        q = Fraction(int(e.p), int(e.q))
        node = _number_node(abs(q), decimal)
        return _negate_leftmost(node) if q < 0 else node
    if e == sp.pi:
        return Const("pi")
    if e == sp.E:
        return Const("e")
    if e == SYMBOL:
        return A
    if e.is_Add:
        terms = _ordered_terms(e)
        out = from_sympy(terms[0], decimal)
        for t in terms[1:]:
            if t.could_extract_minus_sign():
                out = BinOp("-", out, from_sympy(-t, decimal))
            else:
                out = BinOp("+", out, from_sympy(t, decimal))
        return out
    if e.is_Mul:
        if e.could_extract_minus_sign():
            return _negate_leftmost(from_sympy(-e, decimal))
        coeff, rest = e.as_coeff_Mul()
        factors = list(rest.as_ordered_factors()) if rest.is_Mul else [rest]
        top: list[Node] = []
        bottom: list[Node] = []
        for f in factors:
            if f.is_Pow and f.exp.is_Rational and f.exp.is_negative:
                bottom.append(from_sympy(sp.Pow(f.base, -f.exp), decimal))
            else:
                top.append(from_sympy(f, decimal))
        c = Fraction(int(coeff.p), int(coeff.q)) if coeff.is_Rational else None
        if c is None:
            top.insert(0, from_sympy(coeff, decimal))
        elif c.denominator == 1 or (decimal and len(str(c.denominator)) <= 6):
            node = _number_node(c, decimal)
            if c != 1:
                top.insert(0, node)
        else:
            if c.numerator != 1:
                top.insert(0, Num(Fraction(c.numerator)))
            bottom.insert(0, Num(Fraction(c.denominator)))
        numerator = _product(top) if top else Num(Fraction(1))
        return BinOp("/", numerator, _product(bottom)) if bottom else numerator
    if e.is_Pow:
        base, exponent = e.base, e.exp
        if exponent == sp.Rational(1, 2):
            return Call("sqrt", (from_sympy(base, decimal),))
        if exponent.is_Rational and exponent.is_negative:
            return BinOp("/", Num(Fraction(1)), from_sympy(sp.Pow(base, -exponent), decimal))
        if base == sp.E:
            return Call("exp", (from_sympy(exponent, decimal),))
        return BinOp("^", from_sympy(base, decimal), from_sympy(exponent, decimal))
    for cls, name in ((sp.exp, "exp"), (sp.log, "log"), (sp.sin, "sin"), (sp.cos, "cos")):
        if isinstance(e, cls):
            return Call(name, (from_sympy(e.args[0], decimal),))
    if isinstance(e, sp.tan):
        return Call("tan", (from_sympy(e.args[0], decimal),))
    raise LessonError(f"cannot write the derivative term {str(e)[:60]!r}")


def derivative_tree(tree: Node, decimal: bool = False) -> Node:
    """f' as a tree, for the formula and Typst printers."""
    return from_sympy(derivative_expr(tree), decimal)
