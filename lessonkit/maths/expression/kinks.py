"""Kinks: where f is continuous but has no derivative (relu(a) at 0), and the slopes beside.

The derivative of a tree with relu, |x|, max or min holds steps (`piecewise`); a kink can only
be where a switch k of those steps is 0. There the slope from the right (left) is f' with
every step settled the way it is just right (left) of a: the sign of k there, or where k(a) = 0
the sign of its first derivative that is not 0 (times (-1)^n from the left); f is continuous,
so by the mean value theorem that one-sided limit of f' is the one-sided derivative. A
candidate whose two slopes agree (relu(a)² at 0) is not a kink, and its derivative is that slope.

`kinks(lo, hi)` lists them: the exact roots of switches that are polynomials with rational
roots, Fractions within 10^-60 of an irrational root (sympy's real roots to 60 digits; not
themselves kinks, a rational number never being one), and for other switches the zeros found
by sampling, exact where a simple fraction is a root. `convention` is the value deep-learning
libraries return at a kink, the chain rule applied to what each corner gives there:

* relu'(0) = 0: PyTorch (threshold_backward(grad, result, 0)), TensorFlow (ReluGrad:
  gradients * (features > 0)) and JAX (jax.nn.relu, whose gradient at 0 is 0);
* |x|' at 0 = sign(0) = 0: PyTorch (grad * self.sgn()) and TensorFlow (grad * sign(x)); JAX
  gives 1 there (its abs JVP is select(x >= 0, g, -g)), so it is left out;
* a tie of max or min splits the gradient evenly, 1/2 to each argument: PyTorch
  (torch.maximum, torch.minimum) and JAX (jnp.maximum, jnp.minimum); TensorFlow gives a tie
  to the first argument (greater_equal), so it is left out.

The libraries named are those that agree on every corner met at the point. Imported lazily,
like sympy.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Any

import sympy as sp  # type: ignore[import-untyped]

from lessonkit.base.errors import LessonError
from lessonkit.maths.expression import sympy_functions as act
from lessonkit.maths.expression.breaks import _numeric_zeros
from lessonkit.maths.expression.evaluation import evaluate_float
from lessonkit.maths.expression.magnitude import guard, point_text
from lessonkit.maths.expression.piecewise import settle, switches
from lessonkit.maths.expression.symbolic import SYMBOL, derivative_expr, value_of
from lessonkit.maths.expression.sympy_trees import from_sympy
from lessonkit.maths.expression.tree import Node
from lessonkit.maths.numbers import WORKING_DIGITS, Value

__all__ = ["Kinks", "LIBRARIES", "libraries"]

LIBRARIES = ("PyTorch", "TensorFlow", "JAX")
_ORDERS = 6  # derivatives of a switch tried to tell its side at a root
_TINY = sp.Float(10) ** -50


def _rational(q: Fraction) -> Any:
    return sp.Rational(q.numerator, q.denominator)


def _sign(v: Any) -> int | None:
    """The sign of a sympy number, exactly where sympy can tell; None when not a real number."""
    if v.is_Rational:
        return int(sp.sign(v))
    if v.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        return None
    if v.is_zero is True:
        return 0
    if v.is_extended_positive is True:
        return 1
    if v.is_extended_negative is True:
        return -1
    n = act.stable(v).evalf(WORKING_DIGITS, maxn=600)
    if not isinstance(n, sp.Float):
        return None
    if abs(n) < _TINY:
        return 0
    return 1 if n > 0 else -1


class Kinks:
    """The kinks of one tree, and its one-sided derivatives and library conventions."""

    def __init__(self, tree: Node, allows: Callable[[Fraction], bool]) -> None:
        self.tree = tree
        self.allows = allows
        self.expr = derivative_expr(tree)
        self.stable = act.stable(self.expr)  # for values: no cancellation in far tails
        self.keys = switches(self.expr)
        self._zero: dict[Fraction, tuple[Any, ...]] = {}

    # -- where a switch vanishes -----------------------------------------------------------
    def zero_switches(self, a: Fraction) -> tuple[Any, ...]:
        """The switches that are 0 at a (exactly)."""
        if a not in self._zero:
            at = _rational(a)
            self._zero[a] = tuple(k for k in self.keys if self._sign_at(k, at, 1, ()) is None)
        return self._zero[a]

    def _sign_at(self, k: Any, at: Any, side: int, zero: tuple[Any, ...]) -> int | None:
        """The sign of switch k at the point (None where it is 0 there)."""
        if k in zero:
            return None
        v = self._side_value(k, at, side, zero)
        s = _sign(v)
        return None if s == 0 else s

    def _side_sign(self, k: Any, at: Any, side: int, zero: tuple[Any, ...]) -> int:
        """The sign of switch k just to one side of the point."""
        s = self._sign_at(k, at, side, zero)
        if s is not None:
            return s
        h = k
        for n in range(1, _ORDERS + 1):
            h = sp.diff(h, SYMBOL)
            d = _sign(self._side_value(h, at, side, zero))
            if d:
                return int(d * side**n)
        raise LessonError(f"cannot tell the sign of {str(k)[:40]} beside a = {at}")

    def _side_value(self, e: Any, at: Any, side: int, zero: tuple[Any, ...]) -> Any:
        settled = settle(e, lambda k: self._side_sign(k, at, side, zero))
        return settled.xreplace({SYMBOL: at})

    # -- the API of Function ---------------------------------------------------------------
    def is_candidate(self, a: Fraction) -> bool:
        return bool(self.zero_switches(a))

    def one_sided(self, a: Fraction, side: int) -> Value:
        guard(self.tree, a)
        zero = self.zero_switches(a)
        what = f"f'({point_text(a)}{'+' if side > 0 else '-'})"
        return value_of(self._side_value(self.stable, _rational(a), side, zero), what)

    def is_kink(self, a: Fraction) -> bool:
        if not self.is_candidate(a):
            return False
        try:
            return self.one_sided(a, 1) != self.one_sided(a, -1)
        except LessonError:
            return False  # an infinite slope on a side (sqrt(relu(a)) at 0) is no kink

    def derivative(self, a: Fraction) -> Value:
        """f'(a) where f has one: away from the switches, or where both slopes agree."""
        if self.is_candidate(a):
            right, left = self.one_sided(a, 1), self.one_sided(a, -1)
            if right != left:
                raise LessonError(f"no derivative at a = {point_text(a)}")
            return right
        guard(self.tree, a)
        return value_of(self.stable.xreplace({SYMBOL: _rational(a)}), f"f'({point_text(a)})")

    def convention(self, a: Fraction) -> tuple[Value, str] | None:
        """The libraries' value of f' at a kink, and which libraries use it."""
        if not self.is_kink(a):
            return None
        at, zero = _rational(a), self.zero_switches(a)
        met = [
            atom
            for atom in self.expr.atoms(act.Step, act.Sgn)
            if _sign(atom.args[0].xreplace({SYMBOL: at})) == 0
        ]
        settled = settle(self.stable, lambda k: 0 if k in zero else self._side_sign(k, at, 1, ()))
        value = value_of(settled.xreplace({SYMBOL: at}), f"f'({point_text(a)})")
        return value, libraries(met)

    # -- where they are --------------------------------------------------------------------
    def points(self, lo: float, hi: float) -> tuple[Fraction, ...]:
        found: list[Fraction] = []
        for k in self.keys:
            for x, exact in self._roots(k, lo, hi):
                if x in found or not lo <= x <= hi or not self.allows(x):
                    continue
                if self.is_kink(x) if exact else self._kink_near(k, x):
                    found.append(x)
        return tuple(sorted(found))

    def _roots(self, k: Any, lo: float, hi: float) -> list[tuple[Fraction, bool]]:
        try:
            poly = sp.Poly(k, SYMBOL)
            rational = all(c.is_Rational for c in poly.all_coeffs())
        except sp.PolynomialError:
            rational = False
        if rational:
            out = []
            for r in sp.real_roots(poly):
                if r.is_Rational:
                    out.append((Fraction(int(r.p), int(r.q)), True))
                else:
                    out.append((Fraction(str(r.evalf(WORKING_DIGITS + 5))), False))
            return out
        tree = from_sympy(k)
        roots: list[tuple[Fraction, bool]] = []
        for x in _numeric_zeros(lambda t: evaluate_float(tree, t), lo, hi):
            simple = Fraction(x).limit_denominator(1000)
            if _sign(k.xreplace({SYMBOL: _rational(simple)})) == 0:
                roots.append((simple, True))
                continue
            try:
                root = sp.nsolve(k, SYMBOL, x, prec=WORKING_DIGITS + 5)
            except (ValueError, ZeroDivisionError, TypeError):  # pragma: no cover - no root
                continue
            roots.append((Fraction(str(root)), False))
        return roots

    def _kink_near(self, k: Any, x: Fraction) -> bool:
        """Whether the irrational root of k next to x is a kink: the slopes beside it differ."""
        at = _rational(x)
        zero = tuple(
            j for j in self.keys if j == k or abs(j.xreplace({SYMBOL: at}).evalf(30)) < 1e-40
        )
        try:
            right, left = (self._side_value(self.expr, at, s, zero) for s in (1, -1))
            return bool(abs((right - left).evalf(30)) > 1e-30)
        except (LessonError, TypeError):
            return False


def libraries(corners: list[Any]) -> str:
    """The libraries that agree on every corner met ("PyTorch, TensorFlow and JAX")."""
    names = list(LIBRARIES)
    for atom in corners:
        if isinstance(atom, act.Sgn) and "JAX" in names:  # jax: |x|' = 1 at 0
            names.remove("JAX")
        if isinstance(atom, act.Step) and atom.args[1] != 0 and "TensorFlow" in names:
            names.remove("TensorFlow")  # tf: a tie of max or min goes to the first argument
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
