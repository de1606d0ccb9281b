"""The activations as sympy functions: exact where sympy can be, any precision otherwise.

sympy has tanh (used as it is) but no sigmoid, softplus or relu, and its Abs, Max and Min
differentiate in ways that assume a complex variable or print Heaviside; so each is a small
`sympy.Function` here, with the derivative a deep-learning course writes:

* Sigmoid(x)' = Sigmoid(x)(1 - Sigmoid(x)); Softplus(x)' = Sigmoid(x);
* Relu(x)' = Step(x, 0); Absolute(x)' = Sgn(x);
* Maximum(x, y) and Minimum(x, y): Step(x - y, 1/2) for the argument that is larger
  (smaller), 1 - Step(x - y, 1/2) for the other, oriented so the Step's argument reads well;
* Step(h, c) is 1 for h > 0 and 0 for h < 0; Sgn(h) is 1 and -1; neither has a value at
  h = 0, and both differentiate to 0 (the derivative away from h = 0). c is what deep-learning
  libraries use at h = 0 (relu: 0, a tie of max or min: 1/2), read by `kinks.convention`.

Values with sympy's evalf go through `_eval_evalf` with mpmath at the precision asked for
(sympy raises it where terms cancel); `stable` rewrites 1 - σ(x) as σ(-x) and 1 - tanh²(x) as
1/cosh²(x) before a value is computed, so that far tails keep every digit. Imported lazily.
"""

from __future__ import annotations

from typing import Any

import mpmath  # type: ignore[import-untyped]
import sympy as sp  # type: ignore[import-untyped]

__all__ = [
    "Sigmoid",
    "Softplus",
    "Relu",
    "Absolute",
    "Maximum",
    "Minimum",
    "Step",
    "Sgn",
    "tanh",
    "stable",
    "KINKED",
]

HALF = sp.Rational(1, 2)


def _numbers(args: Any, prec: int) -> list[Any] | None:
    try:
        values = [arg._to_mpmath(prec + 20) for arg in args]
    except (TypeError, ValueError, AttributeError):  # pragma: no cover - not a number
        return None
    if any(isinstance(v, mpmath.mpc) for v in values):
        return None
    return values


def _sigmoid(x: Any) -> Any:
    return 1 / (1 + mpmath.exp(-x)) if x >= 0 else mpmath.exp(x) / (1 + mpmath.exp(x))


def _softplus(x: Any) -> Any:
    return max(x, 0) + mpmath.log1p(mpmath.exp(-abs(x)))


class _Numeric(sp.Function):  # type: ignore[misc]
    """A function whose values at numbers come from mpmath (`_mp`)."""

    @staticmethod
    def _mp(*xs: Any) -> Any:  # pragma: no cover - each subclass says
        raise NotImplementedError

    def _eval_evalf(self, prec: int) -> Any:
        xs = _numbers(self.args, prec)
        if xs is None:
            return None
        with mpmath.workprec(prec + 20):
            v = self._mp(*xs)
        if v is None:
            return None
        return sp.Float(v, precision=prec)

    def _eval_is_extended_real(self) -> Any:
        return all(arg.is_extended_real for arg in self.args) or None


class Sigmoid(_Numeric):
    """σ(x) = 1/(1 + e^-x)."""

    @staticmethod
    def _mp(x: Any) -> Any:
        return _sigmoid(x)

    @classmethod
    def eval(cls, x: Any) -> Any:
        if x.is_number and not x.is_Float:
            e = sp.exp(-x)
            if e.is_Rational:  # σ(0) = 1/2, σ(log 3) = 3/4
                return 1 / (1 + e)
        return None

    def fdiff(self, argindex: int = 1) -> Any:
        return self * (1 - self)

    def _eval_is_positive(self) -> Any:
        return True if self.args[0].is_extended_real else None


class Softplus(_Numeric):
    """softplus(x) = log(1 + e^x)."""

    @staticmethod
    def _mp(x: Any) -> Any:
        return _softplus(x)

    @classmethod
    def eval(cls, x: Any) -> Any:
        if x.is_number and not x.is_Float:
            e = sp.exp(x)
            if e.is_Rational:  # softplus(0) = log 2
                return sp.log(1 + e)
        return None

    def fdiff(self, argindex: int = 1) -> Any:
        return Sigmoid(self.args[0])

    def _eval_is_positive(self) -> Any:
        return True if self.args[0].is_extended_real else None


def _known_sign(x: Any) -> int | None:
    """1, 0 or -1 when sympy knows the sign of a number exactly, else None."""
    if not x.is_number:
        return None
    if x.is_zero:
        return 0
    if x.is_extended_positive:
        return 1
    if x.is_extended_negative:
        return -1
    return None


class Relu(_Numeric):
    """relu(x) = max(x, 0)."""

    @staticmethod
    def _mp(x: Any) -> Any:
        return max(x, 0)

    @classmethod
    def eval(cls, x: Any) -> Any:
        if x.is_Float:
            return None
        sign = _known_sign(x)
        if sign is not None:
            return x if sign > 0 else sp.S.Zero
        return None

    def fdiff(self, argindex: int = 1) -> Any:
        return Step(self.args[0], sp.S.Zero)


class Absolute(_Numeric):
    """|x| (sympy's Abs differentiates as if x were complex)."""

    @staticmethod
    def _mp(x: Any) -> Any:
        return abs(x)

    @classmethod
    def eval(cls, x: Any) -> Any:
        if x.is_Float:
            return None
        sign = _known_sign(x)
        if sign is not None:
            return x if sign >= 0 else -x
        if x.could_extract_minus_sign():
            return cls(-x)
        return None

    def fdiff(self, argindex: int = 1) -> Any:
        return Sgn(self.args[0])


class _Larger(_Numeric):
    """max or min of two arguments."""

    smaller = False

    @classmethod
    def eval(cls, x: Any, y: Any) -> Any:
        if x == y:
            return x
        if x.is_Float or y.is_Float:
            return None
        sign = _known_sign(x - y)
        if sign is not None:
            return x if (sign >= 0) != cls.smaller else y
        return None

    def fdiff(self, argindex: int = 1) -> Any:
        x, y = self.args
        # d/dx is Step(x - y) for max, Step(y - x) for min; written with the argument that
        # reads better (a - 1 rather than 1 - a), whichever way round that is
        h = y - x if self.smaller else x - y
        if h.could_extract_minus_sign():
            first = 1 - Step(-h, HALF)
        else:
            first = Step(h, HALF)
        return first if argindex == 1 else 1 - first


class Maximum(_Larger):
    @staticmethod
    def _mp(x: Any, y: Any) -> Any:
        return max(x, y)


class Minimum(_Larger):
    smaller = True

    @staticmethod
    def _mp(x: Any, y: Any) -> Any:
        return min(x, y)


class Step(_Numeric):
    """Step(h, c): 1 for h > 0, 0 for h < 0, no value at h = 0 (libraries use c there)."""

    @staticmethod
    def _mp(h: Any, c: Any) -> Any:
        return None if h == 0 else mpmath.mpf(1 if h > 0 else 0)

    @classmethod
    def eval(cls, h: Any, c: Any) -> Any:
        sign = _known_sign(h)
        if sign is not None and sign != 0:
            return sp.S.One if sign > 0 else sp.S.Zero
        return None

    def fdiff(self, argindex: int = 1) -> Any:
        return sp.S.Zero


class Sgn(_Numeric):
    """Sgn(h): 1 for h > 0, -1 for h < 0, no value at h = 0 (libraries use 0 there)."""

    @staticmethod
    def _mp(h: Any) -> Any:
        return None if h == 0 else mpmath.mpf(1 if h > 0 else -1)

    @classmethod
    def eval(cls, h: Any) -> Any:
        sign = _known_sign(h)
        if sign is not None and sign != 0:
            return sp.Integer(sign)
        if h.could_extract_minus_sign():
            return -cls(-h)
        return None

    def fdiff(self, argindex: int = 1) -> Any:
        return sp.S.Zero


#: the functions with a corner, and the steps of their derivatives
KINKED = (Relu, Absolute, Maximum, Minimum)


def tanh(x: Any) -> Any:
    """sympy's tanh, exact where e^2x is rational (tanh(log 3) = 4/5)."""
    if x.is_number and not x.is_Float:
        e = sp.exp(2 * x)
        if e.is_Rational:
            return (e - 1) / (e + 1)
    return sp.tanh(x)


def _without_cancellation(term: Any) -> Any:
    """σ(-x) for σ(x), 1/cosh²(x) for tanh²(x): what 1 - term is; None for anything else."""
    if isinstance(term, Sigmoid):
        return Sigmoid(-term.args[0])
    if term.is_Pow and term.exp == 2 and isinstance(term.base, sp.tanh):
        return 1 / sp.cosh(term.base.args[0]) ** 2
    return None


def _one_minus(e: Any) -> Any:
    """A sum with c - c·σ(x) or c - c·tanh²(x) in it, written c·σ(-x) or c/cosh²(x); None
    when it has neither."""
    if not e.is_Add:
        return None
    terms = list(e.args)
    for i, t in enumerate(terms):
        if not t.is_Number:
            continue
        for j, u in enumerate(terms):
            coeff, rest = u.as_coeff_Mul()
            better = _without_cancellation(rest) if coeff == -t else None
            if better is not None:
                others = [w for k, w in enumerate(terms) if k not in (i, j)]
                return sp.Add(t * better, *others)
    return None


def stable(expr: Any) -> Any:
    """The same expression with 1 - σ(x) and 1 - tanh²(x) (and multiples) written without
    cancellation, so far tails keep every digit."""
    return expr.replace(lambda e: _one_minus(e) is not None, _one_minus)
