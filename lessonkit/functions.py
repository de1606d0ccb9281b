"""The registry of lesson functions: names, formulas, exact values and derivatives, domains.

A function is either a polynomial (evaluated exactly with fractions, so every nudge prints
every digit) or transcendental (evaluated with 60-digit decimals and printed rounded).
Derivatives are analytic, never read back from a difference quotient.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, localcontext
from fractions import Fraction

from lessonkit.errors import LessonError
from lessonkit.numbers import WORKING_DIGITS, Value

__all__ = [
    "Window",
    "Function",
    "FUNCTIONS",
    "get_function",
    "function_names",
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


@dataclass(frozen=True)
class Function:
    """One lesson function f(a) with its exact derivative and how to show it.

    `coefficients` (c0, c1, c2, ...) makes f the polynomial c0 + c1·a + c2·a² + ...;
    otherwise `decimal_value` evaluates f at high precision and `float_value` plots it.
    """

    name: str
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
    exact_derivative: Callable[[Fraction], Fraction]
    coefficients: tuple[int, ...] | None = None
    decimal_value: Callable[[Decimal], Decimal] | None = None
    float_value: Callable[[float], float] | None = None
    domain_min: Fraction | None = None  # exclusive lower bound, None for all reals

    @property
    def is_polynomial(self) -> bool:
        return self.coefficients is not None

    @property
    def domain(self) -> str:
        """The domain in words, for listings and error messages."""
        return "all real a" if self.domain_min is None else f"a > {self.domain_min}"

    def in_domain(self, a: Fraction) -> bool:
        return self.domain_min is None or a > self.domain_min

    def value(self, a: Fraction) -> Value:
        """f(a): exact for polynomials, 60 significant digits otherwise."""
        if not self.in_domain(a):
            raise LessonError(f"{self.name} is defined only for {self.domain}, not at a = {a}")
        if self.coefficients is not None:
            total = Fraction(0)
            for c in reversed(self.coefficients):
                total = total * a + c
            return Value(total)
        assert self.decimal_value is not None
        with localcontext() as ctx:
            ctx.prec = WORKING_DIGITS
            d = self.decimal_value(Decimal(a.numerator) / Decimal(a.denominator))
        # a transcendental function is rational only where it vanishes (log 1 = 0)
        return Value(Fraction(d), exact=d == 0)

    def derivative(self, a: Fraction) -> Value:
        """f'(a), exact (every lesson derivative is rational at a rational point)."""
        if not self.in_domain(a):
            raise LessonError(f"{self.name} is defined only for {self.domain}, not at a = {a}")
        return Value(self.exact_derivative(a))

    def __call__(self, x: float) -> float:
        """f(x) as a float, for plotting."""
        if self.coefficients is not None:
            total = 0.0
            for c in reversed(self.coefficients):
                total = total * x + c
            return total
        assert self.float_value is not None
        return self.float_value(x)


def _decimal_ln(d: Decimal) -> Decimal:
    return d.ln()


FUNCTIONS: tuple[Function, ...] = (
    Function(
        name="linear",
        aliases=("3a", "3*a", "3 a"),
        title="f(a) = 3a",
        formula="3a",
        derivative_formula="3",
        formula_typst="3a",
        derivative_typst="3",
        derivative_at_typst="3",
        points=(Fraction(2),),
        window=Window(0, 6, 1, 0, 18, 3),
        exact_derivative=lambda a: Fraction(3),
        coefficients=(0, 3),
    ),
    Function(
        name="square",
        aliases=("a^2", "a**2", "a²", "a*a"),
        title="f(a) = a²",
        formula="a²",
        derivative_formula="2a",
        formula_typst="a^2",
        derivative_typst="2a",
        derivative_at_typst="2 dot {a}",
        points=(Fraction(2), Fraction(5)),
        window=Window(0, 6, 1, 0, 36, 6),
        exact_derivative=lambda a: 2 * a,
        coefficients=(0, 0, 1),
    ),
    Function(
        name="cube",
        aliases=("a^3", "a**3", "a³", "a*a*a"),
        title="f(a) = a³",
        formula="a³",
        derivative_formula="3a²",
        formula_typst="a^3",
        derivative_typst="3a^2",
        derivative_at_typst="3 dot {a}^2",
        points=(Fraction(2),),
        window=Window(0, 3, 1, 0, 27, 3),
        exact_derivative=lambda a: 3 * a * a,
        coefficients=(0, 0, 0, 1),
    ),
    Function(
        name="log",
        aliases=("ln", "log(a)", "ln(a)", "loga", "lna"),
        title="f(a) = log a",
        formula="log a",
        derivative_formula="1/a",
        formula_typst="log a",
        derivative_typst="1/a",
        derivative_at_typst="1/{a}",
        points=(Fraction(2),),
        window=Window(0, 5, 1, -2, 2, 1),
        exact_derivative=lambda a: 1 / a,
        decimal_value=_decimal_ln,
        float_value=math.log,
        domain_min=Fraction(0),
    ),
)

_BY_KEY: dict[str, Function] = {}
for _fn in FUNCTIONS:
    for _key in (_fn.name, *_fn.aliases):
        _BY_KEY[_key.replace(" ", "").lower()] = _fn


def function_names() -> list[str]:
    """Every canonical function name, in lesson order."""
    return [fn.name for fn in FUNCTIONS]


def get_function(name: str) -> Function:
    """Look a function up by name or alias ("square", "a^2", "a²", "f(a)=a^2").

    >>> get_function("a**2").name
    'square'
    >>> get_function("sqare")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    lessonkit.errors.LessonError: unknown function 'sqare'; did you mean 'square'? ...
    """
    key = name.replace(" ", "").lower()
    for prefix in ("f(a)=", "f="):
        key = key.removeprefix(prefix)
    if key in _BY_KEY:
        return _BY_KEY[key]
    close = difflib.get_close_matches(key, list(_BY_KEY), n=1, cutoff=0.5)
    hint = f"; did you mean {_BY_KEY[close[0]].name!r}?" if close else ""
    choices = ", ".join(function_names())
    return_hint = hint if hint else f"; choose one of {choices}"
    raise LessonError(f"unknown function {name!r}{return_hint} (see `lessonkit list`)")
