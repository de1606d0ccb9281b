"""Lesson functions: names, formulas, exact values and derivatives, domains, windows.

A `Function` is what every other module sees: f(a) and f'(a) as `Value`s (exact where the
inputs make them exact, otherwise correctly rounded from high precision), a float version
for plotting, its domain, and its formulas as text and Typst math. Four hand-tuned
functions of the first lesson are registered by name; anything else is an expression in a
(`lessonkit.maths.expression`), parsed safely and differentiated symbolically.

Kinks: where f is continuous but has no derivative (relu(a) and |a| at 0, max and min where
their arguments meet). There `derivative` raises `NoDerivative`, carrying the slopes from the
right and from the left (`one_sided`), and `convention` says what deep-learning libraries use
instead. A point where f'(a) = 0 is no kink. Every function has them, empty by default.
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, localcontext
from fractions import Fraction

from lessonkit.base.errors import LessonError
from lessonkit.maths.numbers import WORKING_DIGITS, Value

__all__ = [
    "Window",
    "Function",
    "NoDerivative",
    "FUNCTIONS",
    "registered",
    "registered_keys",
    "function_names",
    "polynomial_value",
    "nice_step",
]


@dataclass(frozen=True)
class Window:
    """A plotting window: axis ranges and tick steps, in the function's own units."""

    x_min: float
    x_max: float
    x_step: float
    y_min: float
    y_max: float
    y_step: float


class NoDerivative(LessonError):
    """f has no derivative at a kink: `right` and `left` are the slopes from either side.

    >>> error = NoDerivative("relu(a) has no derivative at a = 0", Value.of(1), Value.of(0))
    >>> error.right, error.left
    (Value(q=Fraction(1, 1), exact=True), Value(q=Fraction(0, 1), exact=True))
    """

    def __init__(self, message: str, right: Value, left: Value) -> None:
        super().__init__(message)
        self.right = right
        self.left = left

    def __reduce__(self) -> tuple[type[NoDerivative], tuple[str, Value, Value]]:
        return NoDerivative, (str(self), self.right, self.left)


def nice_step(span: float, most: int = 6) -> float:
    """The smallest 1-2-5 step that divides `span` into at most `most` ticks.

    >>> nice_step(36), nice_step(3, most=8), nice_step(0.004)
    (10.0, 0.5, 0.001)
    """
    if not span > 0:
        return 1.0
    exponent = math.floor(math.log10(span / most))
    for power in (exponent, exponent + 1):
        for k in (1, 2, 5):
            step = k * 10.0**power
            if span / step <= most + 1e-9:
                return step
    return 10.0 ** (exponent + 2)


def polynomial_value(coefficients: tuple[Fraction, ...], a: Fraction) -> Fraction:
    """c0 + c1·a + c2·a² + ... exactly (Horner)."""
    total = Fraction(0)
    for c in reversed(coefficients):
        total = total * a + c
    return total


@dataclass(frozen=True, eq=False)
class Function:
    """One lesson function f(a) with its derivative and how to show it.

    Two functions are equal when they have the same `source`: the registry name or the
    normalised expression that `get_function` turns back into this function.
    """

    name: str  # file-safe: used in slugs and section names
    source: str
    aliases: tuple[str, ...]
    title: str
    formula: str
    derivative_formula: str
    formula_typst: str
    derivative_typst: str
    #: f'(a) with the point substituted, Typst; "{a}" stands for the point's text
    derivative_at_typst: str
    points: tuple[Fraction, ...]
    window: Window
    evaluate: Callable[[Fraction], Value]
    differentiate: Callable[[Fraction], Value]
    plot: Callable[[float], float]
    allows: Callable[[Fraction], bool] = lambda a: True
    domain: str = "all real a"  # in words, for listings and error messages
    #: exact coefficients (c0, c1, ...) when f is a polynomial: the expansion card needs them
    coefficients: tuple[Fraction, ...] | None = None
    #: an open lower end of the domain (log: 0), where plotting starts just inside
    domain_min: Fraction | None = None
    #: the x in [lo, hi] where f is undefined or unbounded (poles, domain ends)
    breaks: Callable[[float, float], tuple[float, ...]] = lambda lo, hi: ()
    #: a hand-set window (the registry's): used as it is whenever it holds the nudges
    tuned_window: bool = False
    #: the kinks in [lo, hi]: exact Fractions where the corner's argument has rational roots,
    #: else Fractions within 10^-60 of an irrational kink (which are themselves no kinks)
    kinks: Callable[[float, float], tuple[Fraction, ...]] = lambda lo, hi: ()
    #: whether a point of the domain is a kink (exactly); see `is_kink`
    kink_at: Callable[[Fraction], bool] = lambda a: False
    #: the slope from the right (+1) or the left (-1) at a kink; see `one_sided`
    side_slope: Callable[[Fraction, int], Value] | None = None
    #: the libraries' value of f' at a kink and who uses it; see `convention`
    kink_convention: Callable[[Fraction], tuple[Value, str] | None] = lambda a: None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Function) and other.source == self.source

    def __hash__(self) -> int:
        return hash(self.source)

    def __repr__(self) -> str:
        return f"Function({self.source!r})"

    def __reduce__(self) -> tuple[Callable[[str], Function], tuple[str]]:
        """Pickled as its source (its callables are closures): render processes and Dask
        workers rebuild the same function with `get_function`."""
        # found by name at pickling time: lookup imports this module, not the reverse
        return importlib.import_module("lessonkit.maths.lookup").get_function, (self.source,)

    @property
    def called(self) -> str:
        """How messages name the function: 'log' for a registered one, else its formula."""
        return self.name if self.source == self.name else self.formula

    @property
    def is_polynomial(self) -> bool:
        return self.coefficients is not None

    def in_domain(self, a: Fraction) -> bool:
        return self.allows(a)

    def value(self, a: Fraction) -> Value:
        """f(a): exact where the inputs make it exact, else WORKING_DIGITS significant digits."""
        if not self.in_domain(a):
            raise LessonError(
                f"{self.called} is defined only for {self.domain}, not at a = {Value(a).text()}"
            )
        return self.evaluate(a)

    def derivative(self, a: Fraction) -> Value:
        """f'(a), from the symbolic derivative (never from a difference quotient); at a kink
        `NoDerivative`, with the slopes from either side."""
        if not self.in_domain(a):
            raise LessonError(
                f"{self.called} is defined only for {self.domain}, not at a = {Value(a).text()}"
            )
        if self.kink_at(a):
            right, left = self.one_sided(a, 1), self.one_sided(a, -1)
            raise NoDerivative(
                f"{self.called} has no derivative at a = {Value(a).text()}: the slope is "
                f"{right.marked()} from the right and {left.marked()} from the left",
                right,
                left,
            )
        return self.differentiate(a)

    def is_kink(self, a: Fraction) -> bool:
        """Whether f is continuous at a but has no derivative there (relu(a) at 0)."""
        return self.in_domain(a) and self.kink_at(a)

    def one_sided(self, a: Fraction, side: int) -> Value:
        """The derivative from the right (side +1) or from the left (side -1): at a kink the
        two differ, anywhere else both are `derivative(a)`."""
        if side not in (1, -1):
            raise LessonError(f"side must be 1 (from the right) or -1 (from the left), not {side}")
        if self.is_kink(a) and self.side_slope is not None:
            return self.side_slope(a, side)
        return self.derivative(a)

    def convention(self, a: Fraction) -> tuple[Value, str] | None:
        """At a kink, the value deep-learning libraries use for f'(a) and which do (relu'(0) =
        0 in PyTorch, TensorFlow and JAX); None anywhere else."""
        return self.kink_convention(a) if self.is_kink(a) else None

    def __call__(self, x: float) -> float:
        """f(x) as a float, for plotting; NaN where f is undefined or overflows."""
        try:
            y = self.plot(x)
        except (ValueError, ZeroDivisionError, OverflowError):
            return math.nan
        return y if isinstance(y, float) and math.isfinite(y) else _finite(y)


def _finite(y: object) -> float:
    try:
        f = float(y)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return math.nan
    return f if math.isfinite(f) else math.nan


def _polynomial(
    name: str,
    aliases: tuple[str, ...],
    formula: str,
    derivative_formula: str,
    typst: tuple[str, str, str],
    coefficients: tuple[int, ...],
    points: tuple[int, ...],
    window: Window,
) -> Function:
    coeffs = tuple(Fraction(c) for c in coefficients)
    deriv = tuple(Fraction(k * c) for k, c in enumerate(coeffs))[1:] or (Fraction(0),)

    def plot(x: float) -> float:
        total = 0.0
        for c in reversed(coefficients):
            total = total * x + c
        return total

    return Function(
        name=name,
        source=name,
        aliases=aliases,
        title=f"f(a) = {formula}",
        formula=formula,
        derivative_formula=derivative_formula,
        formula_typst=typst[0],
        derivative_typst=typst[1],
        derivative_at_typst=typst[2],
        points=tuple(Fraction(p) for p in points),
        window=window,
        evaluate=lambda a: Value(polynomial_value(coeffs, a)),
        differentiate=lambda a: Value(polynomial_value(deriv, a)),
        plot=plot,
        coefficients=coeffs,
        tuned_window=True,
    )


def _ln(a: Fraction) -> Value:
    with localcontext() as ctx:
        ctx.prec = WORKING_DIGITS
        d = (Decimal(a.numerator) / Decimal(a.denominator)).ln()
    # log a is rational only where it vanishes (log 1 = 0)
    return Value(Fraction(d), exact=d == 0)


FUNCTIONS: tuple[Function, ...] = (
    _polynomial(
        "linear",
        ("3a", "3*a", "3 a"),
        "3a",
        "3",
        ("3a", "3", "3"),
        (0, 3),
        (2,),
        Window(0, 6, 1, 0, 18, 3),
    ),
    _polynomial(
        "square",
        ("a^2", "a**2", "a²", "a*a"),
        "a²",
        "2a",
        ("a^2", "2a", "2 dot {a}"),
        (0, 0, 1),
        (2, 5),
        Window(0, 6, 1, 0, 36, 6),
    ),
    _polynomial(
        "cube",
        ("a^3", "a**3", "a³", "a*a*a"),
        "a³",
        "3a²",
        ("a^3", "3a^2", "3 dot {a}^2"),
        (0, 0, 0, 1),
        (2,),
        Window(0, 3, 1, 0, 27, 3),
    ),
    Function(
        name="log",
        source="log",
        aliases=("ln", "log(a)", "ln(a)", "loga", "lna"),
        title="f(a) = log a",
        formula="log a",
        derivative_formula="1/a",
        formula_typst="log a",
        derivative_typst="1/a",
        derivative_at_typst="1/{a}",
        points=(Fraction(2),),
        window=Window(0, 5, 1, -2, 2, 1),
        evaluate=_ln,
        differentiate=lambda a: Value(1 / a),
        plot=math.log,
        allows=lambda a: a > 0,
        domain="a > 0",
        domain_min=Fraction(0),
        tuned_window=True,
    ),
)

_BY_KEY: dict[str, Function] = {}
for _fn in FUNCTIONS:
    for _key in (_fn.name, *_fn.aliases):
        _BY_KEY[_key.replace(" ", "").lower()] = _fn


def function_names() -> list[str]:
    """Every registered function name, in lesson order."""
    return [fn.name for fn in FUNCTIONS]


def registered(key: str) -> Function | None:
    """The registered function for a name or alias already lower-cased without spaces."""
    return _BY_KEY.get(key)


def registered_keys() -> list[str]:
    """Every name and alias the registry knows, for did-you-mean hints."""
    return sorted(_BY_KEY)
