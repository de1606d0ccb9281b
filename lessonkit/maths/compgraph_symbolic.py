"""The sympy side of a computation graph: values that need sympy, and derivative formulas.

Imported lazily (by `Graph` for a graph with a transcendental formula, and for the formula of
a local derivative), like `lessonkit.maths.expression.symbolic`, whose machinery it uses: each
node's value is its formula with the parents' values put in (sympy objects, exact where sympy
finds them rational: σ(0) = 1/2), after the cheap magnitude pass of `magnitude` has refused
anything beyond 10^±10000; a Value is exact or correctly rounded from WORKING_DIGITS digits
(`value_of`). A value whose expression grows past MAX_PARTS parts (deep or much-reused nodes:
sympy's work grows with the whole expression at every step) is carried on as a number of
FROZEN_DIGITS digits, far beyond what is shown, once its own Value has been found. The local
derivative ∂child/∂parent is sympy's derivative of the child's formula, written the way a
course writes it (σ(z)(1 - σ(z))), at the parents' values.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import mpmath  # type: ignore[import-untyped]
import sympy as sp  # type: ignore[import-untyped]

from lessonkit.base.errors import LessonError
from lessonkit.maths.compgraph_exact import Corner
from lessonkit.maths.expression import sympy_functions as act
from lessonkit.maths.expression.activations import canonical
from lessonkit.maths.expression.magnitude import TooLarge, magnitude_of
from lessonkit.maths.expression.printing import log_name_of, render
from lessonkit.maths.expression.symbolic import to_sympy, value_of
from lessonkit.maths.expression.sympy_trees import from_sympy
from lessonkit.maths.expression.tree import KINKED_NAMES, BinOp, Call, Node, names_in, walk
from lessonkit.maths.numbers import Value

__all__ = ["SymbolicEngine", "derivative_typst", "corner_of", "MAX_PARTS", "FROZEN_DIGITS"]

#: parts of a sympy expression (its tree, shared parts counted each time) carried as they are
MAX_PARTS = 30
#: the digits of a value carried on as a number
FROZEN_DIGITS = 300


def _symbol(name: str) -> Any:
    return sp.Symbol(name, real=True)


def _rational(q: Fraction) -> Any:
    return sp.Rational(q.numerator, q.denominator)


def _bounded(expr: Any) -> Any:
    """The expression, or its FROZEN_DIGITS-digit value when it has grown too large."""
    if expr.is_Rational or expr.is_Float:
        return expr
    for count, _ in enumerate(sp.preorder_traversal(expr)):
        if count >= MAX_PARTS:
            n = act.stable(expr).evalf(FROZEN_DIGITS, maxn=2000)
            return n if isinstance(n, sp.Float) else expr
    return expr


@functools.lru_cache(maxsize=512)
def _formula(tree: Node) -> Any:
    """The formula as a sympy expression in the symbols of its names."""
    return to_sympy(canonical(tree), None, {n: _symbol(n) for n in names_in(tree)})


@functools.lru_cache(maxsize=512)
def _derivative(tree: Node, parent: str) -> Any:
    """The simplest of a few cheap rewritings of ∂(formula)/∂parent."""
    d = sp.diff(_formula(tree), _symbol(parent))
    candidates = [(0, d)]
    symbols = [_symbol(n) for n in names_in(tree)]
    try:
        candidates.append((0, sp.factor_terms(d)))
        if d.is_rational_function(*symbols):
            # one fraction only when it saves more than one operation: the course writes
            # -y/ŷ + (1 - y)/(1 - ŷ), not (y - ŷ)/(ŷ² - ŷ)
            candidates.append((2, sp.together(d)))
            candidates.append((2, sp.cancel(d)))
    except (sp.PolynomialError, ValueError, TypeError):  # pragma: no cover - defensive
        pass
    best = min(candidates, key=lambda c: (sp.count_ops(c[1]) + c[0], len(str(c[1]))))
    return best[1]


def derivative_typst(tree: Node, parent: str) -> str:
    """∂(formula)/∂parent as Typst math: c for b c, sigma(z) (1 - sigma(z)) for σ(z)."""
    decimal = "." in render(tree, "source")
    return render(from_sympy(_derivative(tree, parent), decimal), "typst", log_name_of(tree))


def _mpf(q: Fraction) -> Any:
    with mpmath.workdps(30):
        return mpmath.mpf(q.numerator) / q.denominator


@dataclass(frozen=True)
class Known:
    """A node's value: the sympy object, its cheap magnitude and the Value."""

    expr: Any
    magnitude: Any
    value: Value


def corner_of(tree: Node, values: Mapping[str, Any]) -> Call | None:
    """The first relu, abs, max or min of the formula that is at its corner at the values."""
    for node in walk(tree):
        if isinstance(node, Call) and node.func in KINKED_NAMES:
            h = node.args[0] if len(node.args) == 1 else BinOp("-", node.args[0], node.args[1])
            try:
                if value_of(to_sympy(h, None, values), "h").q == 0:
                    return node
            except LessonError:  # pragma: no cover - the value was found before
                continue
    return None


class SymbolicEngine:
    """A graph with a transcendental formula: sympy values (see `Graph`)."""

    def __init__(self, inputs: Mapping[str, Fraction], trees: Mapping[str, Node]) -> None:
        self.given = dict(inputs)
        self.trees = trees

    def inputs(self) -> dict[str, Known]:
        return {n: Known(_rational(q), _mpf(q), Value(q)) for n, q in self.given.items()}

    def compute(self, name: str, env: Mapping[str, Known]) -> Known:
        tree = self.trees[name]
        used = names_in(tree)
        try:
            magnitude = magnitude_of(tree, {n: env[n].magnitude for n in used})
        except TooLarge:
            raise LessonError(f"{name} is too large to compute") from None
        except (ZeroDivisionError, ValueError):
            raise LessonError(f"{name} is undefined") from None
        try:
            expr = to_sympy(canonical(tree), None, {n: env[n].expr for n in used})
            value = value_of(expr, name)
        except (TypeError, ValueError, ZeroDivisionError, OverflowError) as error:
            if isinstance(error, LessonError):
                raise
            raise LessonError(f"{name} cannot be computed") from None  # pragma: no cover
        return Known(_bounded(expr), magnitude, value)

    def shifted(self, raw: Known, h: Fraction) -> Known:
        expr = raw.expr + _rational(h)
        with mpmath.workdps(30):
            magnitude = raw.magnitude + _mpf(h)
        value = raw.value + Value(h) if raw.value.exact else value_of(expr, "the nudged value")
        return Known(_bounded(expr), magnitude, value)

    def value(self, raw: Known, what: str) -> Value:
        return raw.value

    def local(self, child: str, parent: str, env: Mapping[str, Known]) -> Any:
        """∂child/∂parent at the values (LessonError at a corner, where it does not exist)."""
        tree = self.trees[child]
        exprs = {n: env[n].expr for n in names_in(tree)}
        d = _derivative(tree, parent).xreplace({_symbol(n): e for n, e in exprs.items()})
        steps = d.atoms(act.Step, act.Sgn)
        if any(value_of(s.args[0], "h").q == 0 for s in steps):
            raise Corner(corner_of(tree, exprs))
        return _bounded(d)

    def one(self) -> Any:
        return sp.S.One

    def tidy(self, raw: Any) -> Any:
        return _bounded(raw)

    def total(self, raw: Any, what: str) -> Value:
        return value_of(raw, what)
