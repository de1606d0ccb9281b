"""lessonkit.maths.functions: the registry, aliases, exact values, derivatives and domains."""

from __future__ import annotations

import math
from collections.abc import Callable
from decimal import Decimal, localcontext
from fractions import Fraction

import pytest

from lessonkit.base.errors import LessonError
from lessonkit.maths.functions import FUNCTIONS, Function, function_names

# Independent definitions of the lesson functions: f and f', by hand.
from lessonkit.maths.lookup import get_function

# Independent definitions of the lesson functions: f and f', by hand.
Poly = Callable[[Fraction], Fraction]
POLYNOMIALS: dict[str, tuple[Poly, Poly]] = {
    "linear": (lambda a: 3 * a, lambda a: Fraction(3)),
    "square": (lambda a: a**2, lambda a: 2 * a),
    "cube": (lambda a: a**3, lambda a: 3 * a**2),
}


def ln_text(x: Fraction, digits: int = 10) -> str:
    """log x rounded half-even to `digits` significant digits, computed at 80 digits."""
    with localcontext() as ctx:
        ctx.prec = 80
        d = (Decimal(x.numerator) / Decimal(x.denominator)).ln()
        ctx.prec = digits
        rounded = +d
    text = format(rounded, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def test_function_names_in_lesson_order() -> None:
    assert function_names() == ["linear", "square", "cube", "log"]
    assert [fn.name for fn in FUNCTIONS] == function_names()


@pytest.mark.parametrize(
    ("alias", "name"),
    [
        ("linear", "linear"),
        ("3a", "linear"),
        ("3*a", "linear"),
        ("3 a", "linear"),
        ("square", "square"),
        ("a^2", "square"),
        ("a**2", "square"),
        ("a²", "square"),
        ("a*a", "square"),
        ("SQUARE", "square"),
        (" a ^ 2 ", "square"),
        ("f(a) = a^2", "square"),
        ("f=a^2", "square"),
        ("cube", "cube"),
        ("a^3", "cube"),
        ("a**3", "cube"),
        ("a³", "cube"),
        ("log", "log"),
        ("ln", "log"),
        ("LN", "log"),
        ("log(a)", "log"),
        ("ln(a)", "log"),
    ],
)
def test_aliases_resolve(alias: str, name: str) -> None:
    fn = get_function(alias)
    assert isinstance(fn, Function)
    assert fn.name == name
    assert fn is get_function(name)


@pytest.mark.parametrize(
    ("typo", "suggestion"),
    [
        ("sqare", "square"),
        ("squar", "square"),
        ("cueb", "cube"),
        ("lg", "log"),
        ("linaer", "linear"),
    ],
)
def test_unknown_name_suggests_closest(typo: str, suggestion: str) -> None:
    with pytest.raises(LessonError) as info:
        get_function(typo)
    message = str(info.value)
    assert repr(typo) in message
    assert f"did you mean {suggestion!r}?" in message
    assert "\n" not in message


def test_unknown_name_without_close_match_lists_choices() -> None:
    with pytest.raises(LessonError, match="unknown function") as info:
        get_function("xyz")
    message = str(info.value)
    if "did you mean" not in message:
        for choice in function_names():
            assert choice in message


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "empty"),
        ("sin", "sin"),
        ("exp(q)", "unknown name 'q'"),
    ],
)
def test_text_that_is_no_name_is_read_as_an_expression(text: str, problem: str) -> None:
    """Not a registered name, so an expression: its error says what is wrong with it."""
    with pytest.raises(LessonError, match="expression|empty") as info:
        get_function(text)
    message = str(info.value)
    assert problem in message and "\n" not in message


@pytest.mark.parametrize(
    ("name", "points", "domain", "derivative"),
    [
        ("linear", (Fraction(2),), "all real a", "3"),
        ("square", (Fraction(2), Fraction(5)), "all real a", "2a"),
        ("cube", (Fraction(2),), "all real a", "3a²"),
        ("log", (Fraction(2),), "a > 0", "1/a"),
    ],
)
def test_registry_metadata(
    name: str, points: tuple[Fraction, ...], domain: str, derivative: str
) -> None:
    fn = get_function(name)
    assert fn.points == points
    assert fn.domain == domain
    assert fn.derivative_formula == derivative
    assert fn.is_polynomial is (name != "log")
    w = fn.window
    assert w.x_min < w.x_max and w.y_min < w.y_max
    assert w.x_step > 0 and w.y_step > 0
    # the default points (and the point nudged by the largest default nudge) fit the window
    for a in fn.points:
        for x in (a, a + 1):
            assert w.x_min <= x <= w.x_max
            assert w.y_min <= fn(float(x)) <= w.y_max


POLY_CASES = [
    (name, a)
    for name in POLYNOMIALS
    for a in (
        *get_function(name).points,
        Fraction(0),
        Fraction(-3),
        Fraction(2001, 1000),
        Fraction(1, 3),
    )
]


@pytest.mark.parametrize(("name", "a"), POLY_CASES)
def test_polynomial_values_and_derivatives_are_exact(name: str, a: Fraction) -> None:
    fn = get_function(name)
    f, fprime = POLYNOMIALS[name]
    v = fn.value(a)
    assert v.exact
    assert v.q == f(a)
    d = fn.derivative(a)
    assert d.exact
    assert d.q == fprime(a)
    assert fn(float(a)) == pytest.approx(float(f(a)))


@pytest.mark.parametrize(
    ("name", "a", "text"),
    [
        ("square", Fraction("2.001"), "4.004001"),
        ("square", Fraction("5.001"), "25.010001"),
        ("cube", Fraction("2.001"), "8.012006001"),
        ("linear", Fraction("2.001"), "6.003"),
        ("cube", Fraction(2), "8"),
    ],
)
def test_polynomial_value_text(name: str, a: Fraction, text: str) -> None:
    assert get_function(name).value(a).marked() == text


@pytest.mark.parametrize(
    "a", [Fraction(2), Fraction(3), Fraction("2.001"), Fraction("0.5"), Fraction(1, 10**6)]
)
def test_log_value_is_rounded_and_marked(a: Fraction) -> None:
    fn = get_function("log")
    v = fn.value(a)
    assert not v.exact
    assert v.text() == ln_text(a)
    assert v.marked() == "≈" + ln_text(a)
    assert float(v) == pytest.approx(math.log(a), rel=1e-14)
    assert fn(float(a)) == pytest.approx(math.log(a))


def test_log_at_two_key_values() -> None:
    fn = get_function("log")
    assert fn.value(Fraction(2)).marked() == "≈0.6931471806"
    slope = fn.derivative(Fraction(2))
    assert slope.exact
    assert slope.marked() == "0.5"


@pytest.mark.parametrize("a", [Fraction(1, 3), Fraction(2), Fraction(7, 4)])
def test_log_derivative_is_exact_reciprocal(a: Fraction) -> None:
    assert get_function("log").derivative(a).q == 1 / a


@pytest.mark.parametrize("a", [Fraction(0), Fraction(-1), Fraction(-1, 1000)])
def test_log_refuses_points_outside_domain(a: Fraction) -> None:
    fn = get_function("log")
    assert not fn.in_domain(a)
    with pytest.raises(LessonError, match="a > 0"):
        fn.value(a)
    with pytest.raises(LessonError, match="a > 0"):
        fn.derivative(a)


@pytest.mark.parametrize("name", ["linear", "square", "cube"])
def test_polynomials_are_defined_everywhere(name: str) -> None:
    fn = get_function(name)
    for a in (Fraction(-(10**6)), Fraction(0), Fraction(10**6)):
        assert fn.in_domain(a)
