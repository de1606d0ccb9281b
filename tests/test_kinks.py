"""Kinks: where f is continuous but has no derivative, the slopes beside, the conventions.

One-sided slopes are compared with mpmath at 80 digits, from the pieces of the definition.
The conventions are what the libraries' own code says (see lessonkit/maths/expression/kinks.py):
PyTorch's derivatives.yaml (relu: threshold_backward(grad, result, 0); abs: grad * self.sgn();
maximum/minimum: grad / 2 to each where self == other), TensorFlow's ReluGrad
(gradients * (features > 0)), _AbsGrad (grad * sign(x)) and _MaximumGrad (a tie to x), JAX's
relu (grad(relu)(0.) == 0), abs (select(x >= 0, g, -g): 1 at 0) and maximum (0.5 and 0.5).
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from fractions import Fraction

import mpmath  # type: ignore[import-untyped]
import pytest

from lessonkit.base.errors import LessonError
from lessonkit.maths.expression import function_from_expression
from lessonkit.maths.functions import FUNCTIONS, NoDerivative
from lessonkit.maths.lookup import get_function
from lessonkit.maths.numbers import Value

F = Fraction
mp = mpmath.mp
ALL_THREE = "PyTorch, TensorFlow and JAX"
MAX_AND_MIN = "PyTorch and JAX"
ABS = "PyTorch and TensorFlow"


def mpf(q: Fraction) -> mpmath.mpf:
    return mpmath.mpf(q.numerator) / q.denominator


def agrees(value: Fraction, expected: mpmath.mpf, digits: int = 55) -> bool:
    with mpmath.workdps(90):
        got = mpf(value)
        if expected == 0:
            return bool(got == 0)
        return bool(abs(got - expected) <= abs(expected) * mpmath.mpf(10) ** -digits)


@pytest.mark.parametrize(
    ("text", "lo", "hi", "kinks"),
    [
        ("relu(a)", -3, 3, (F(0),)),
        ("|a|", -3, 3, (F(0),)),
        ("max(0, a)", -3, 3, (F(0),)),
        ("relu(2a - 1)", -3, 3, (F(1, 2),)),
        ("|a - 1| + 2", -3, 3, (F(1),)),
        ("max(a, 2 - a)", -3, 3, (F(1),)),
        ("min(a, a^2)", -3, 3, (F(0), F(1))),
        ("relu(a^2 - 1)", -3, 3, (F(-1), F(1))),
        ("relu(a) - relu(a - 1)", -3, 3, (F(0), F(1))),
        ("|a - 1| + |a + 1|", -3, 3, (F(-1), F(1))),
        ("|sin(pi a)|", -2.5, 2.5, (F(-2), F(-1), F(0), F(1), F(2))),
        ("relu(a)", 1, 3, ()),
        ("relu(a)", -3, 0, (F(0),)),
        # f'(a) = 0 there, or no corner at all: no kink
        ("relu(a)^2", -3, 3, ()),
        ("relu(a^3)", -3, 3, ()),
        ("|a|^3", -3, 3, ()),
        ("a^2", -3, 3, ()),
        ("sigmoid(a)", -50, 50, ()),
        ("tanh(a)", -50, 50, ()),
        ("softplus(a)", -50, 50, ()),
        ("relu(a) + relu(-a) - |a|", -3, 3, ()),
        ("max(2, 3)", -3, 3, ()),
    ],
)
def test_kinks_in_a_window(text: str, lo: float, hi: float, kinks: tuple[Fraction, ...]) -> None:
    fn = get_function(text)
    assert fn.kinks(lo, hi) == kinks
    assert all(fn.is_kink(k) for k in kinks)


def test_irrational_kinks_are_fractions_within_ten_to_the_minus_sixty() -> None:
    mp.dps = 80
    fn = get_function("|a^2 - 2|")
    low, high = fn.kinks(-2, 2)
    assert agrees(high, mpmath.sqrt(2), 59) and agrees(low, -mpmath.sqrt(2), 59)
    assert not fn.is_kink(high)  # a rational number is never the kink itself
    (x,) = get_function("max(sin(a), cos(a))").kinks(0, 1)
    assert agrees(x, mpmath.pi / 4, 59)
    assert [float(k) for k in get_function("relu(sin(a))").kinks(-4, 4)] == pytest.approx(
        [-float(mpmath.pi), 0.0, float(mpmath.pi)], abs=1e-15
    )


#: (expression, kink, slope from the right, from the left: mpmath, from the pieces)
M = Callable[[], mpmath.mpf]
ONE_SIDED: list[tuple[str, Fraction, M, M]] = [
    ("relu(a)", F(0), lambda: mpmath.mpf(1), lambda: mpmath.mpf(0)),
    ("|a|", F(0), lambda: mpmath.mpf(1), lambda: mpmath.mpf(-1)),
    ("abs(a)", F(0), lambda: mpmath.mpf(1), lambda: mpmath.mpf(-1)),
    ("max(0, a)", F(0), lambda: mpmath.mpf(1), lambda: mpmath.mpf(0)),
    ("min(a, 1)", F(1), lambda: mpmath.mpf(0), lambda: mpmath.mpf(1)),
    ("relu(2a - 1)", F(1, 2), lambda: mpmath.mpf(2), lambda: mpmath.mpf(0)),
    ("|a - 1| + 2", F(1), lambda: mpmath.mpf(1), lambda: mpmath.mpf(-1)),
    ("max(a, 2 - a)", F(1), lambda: mpmath.mpf(1), lambda: mpmath.mpf(-1)),
    ("min(a, a^2)", F(0), lambda: mpmath.mpf(0), lambda: mpmath.mpf(1)),
    ("min(a, a^2)", F(1), lambda: mpmath.mpf(1), lambda: mpmath.mpf(2)),
    ("relu(a^2 - 1)", F(1), lambda: mpmath.mpf(2), lambda: mpmath.mpf(0)),
    ("relu(a^2 - 1)", F(-1), lambda: mpmath.mpf(0), lambda: mpmath.mpf(-2)),
    # the chain rule on each side
    ("σ(relu(a))", F(0), lambda: mpmath.mpf(1) / 4, lambda: mpmath.mpf(0)),
    ("tanh(2|a|)", F(0), lambda: mpmath.mpf(2), lambda: mpmath.mpf(-2)),
    ("sin(|a| + 1)", F(0), lambda: mpmath.cos(1), lambda: -mpmath.cos(1)),
    ("exp(relu(a - 1/2))", F(1, 2), lambda: mpmath.mpf(1), lambda: mpmath.mpf(0)),
    ("softplus(relu(3a))", F(0), lambda: mpmath.mpf(3) / 2, lambda: mpmath.mpf(0)),
    ("relu(sin(a))", F(0), lambda: mpmath.mpf(1), lambda: mpmath.mpf(0)),
    ("|sin(pi a)|", F(1), lambda: mpmath.pi, lambda: -mpmath.pi),
    ("relu(relu(a) - 1)", F(1), lambda: mpmath.mpf(1), lambda: mpmath.mpf(0)),
    (
        "a σ(a) + |a - 2|",
        F(2),
        lambda: 1 / (1 + mpmath.exp(-2)) + 2 * mpmath.exp(-2) / (1 + mpmath.exp(-2)) ** 2 + 1,
        lambda: 1 / (1 + mpmath.exp(-2)) + 2 * mpmath.exp(-2) / (1 + mpmath.exp(-2)) ** 2 - 1,
    ),
    ("log(2 + |a|)", F(0), lambda: mpmath.mpf(1) / 2, lambda: -mpmath.mpf(1) / 2),
]


@pytest.mark.parametrize(
    ("text", "a", "right", "left"), ONE_SIDED, ids=[f"{c[0]} at {c[1]}" for c in ONE_SIDED]
)
def test_one_sided_slopes_at_kinks(text: str, a: Fraction, right: M, left: M) -> None:
    mp.dps = 80
    fn = get_function(text)
    assert fn.is_kink(a)
    assert agrees(fn.one_sided(a, 1).q, right()) and agrees(fn.one_sided(a, -1).q, left())
    with pytest.raises(NoDerivative) as info:
        fn.derivative(a)
    assert info.value.right == fn.one_sided(a, 1) and info.value.left == fn.one_sided(a, -1)
    assert "\n" not in str(info.value)


def test_one_sided_slopes_are_also_found_numerically() -> None:
    """The same slopes as mpmath's one-sided numerical derivative of the definition."""
    mp.dps = 80
    cases = [
        ("σ(relu(a))", 0, lambda x: 1 / (1 + mpmath.exp(-max(x, 0)))),
        ("sin(|a| + 1)", 0, lambda x: mpmath.sin(abs(x) + 1)),
        ("log(2 + |a|)", 0, lambda x: mpmath.log(2 + abs(x))),
        ("tanh(max(a, a^2))", 1, lambda x: mpmath.tanh(max(x, x**2))),
    ]
    for text, a, f in cases:
        fn = get_function(text)
        for side in (1, -1):
            numeric = mpmath.diff(f, a, direction=side)
            assert agrees(fn.one_sided(F(a), side).q, numeric, 30), (text, side)


def test_no_derivative_says_both_slopes_in_one_line() -> None:
    with pytest.raises(NoDerivative) as info:
        get_function("relu(a)").derivative(F(0))
    assert str(info.value) == (
        "relu(a) has no derivative at a = 0: the slope is 1 from the right and 0 from the left"
    )
    assert isinstance(info.value, LessonError)
    assert info.value.right == Value(F(1)) and info.value.left == Value(F(0))
    with pytest.raises(
        NoDerivative,
        match=r"^\|a\| has no derivative at a = 0: the slope is 1 "
        r"from the right and -1 from the left$",
    ):
        get_function("|a|").derivative(F(0))
    with pytest.raises(NoDerivative, match="at a = 0.5: the slope is 2 from the right and 0 "):
        get_function("relu(2a - 1)").derivative(F(1, 2))
    with pytest.raises(
        NoDerivative,
        match=r"the slope is ≈0.5403023059 from the right and "
        r"≈-0.5403023059 from the left",
    ):
        get_function("sin(|a| + 1)").derivative(F(0))


def test_no_derivative_pickles() -> None:
    with pytest.raises(NoDerivative) as info:
        get_function("max(0, a)").derivative(F(0))
    again = pickle.loads(pickle.dumps(info.value))
    assert isinstance(again, NoDerivative) and str(again) == str(info.value)
    assert (again.right, again.left) == (info.value.right, info.value.left)


@pytest.mark.parametrize(
    ("text", "a", "value", "by"),
    [
        ("relu(a)", F(0), F(0), ALL_THREE),
        ("|a|", F(0), F(0), ABS),
        ("3|a| + a", F(0), F(1), ABS),
        ("relu(2a - 1)", F(1, 2), F(0), ALL_THREE),
        ("|a - 1| + |a + 1|", F(1), F(1), ABS),
        ("relu(a) + |a|", F(0), F(0), ABS),
        ("max(0, a) + |a|", F(0), F(1, 2), "PyTorch"),
        ("max(0, a)", F(0), F(1, 2), MAX_AND_MIN),
        ("max(a, 0)", F(0), F(1, 2), MAX_AND_MIN),
        ("min(a, 1)", F(1), F(1, 2), MAX_AND_MIN),
        ("max(a, 2 - a)", F(1), F(0), MAX_AND_MIN),
        ("min(a, a^2)", F(1), F(3, 2), MAX_AND_MIN),
        ("relu(a) + max(0, a)", F(0), F(1, 2), MAX_AND_MIN),
    ],
)
def test_conventions_at_kinks(text: str, a: Fraction, value: Fraction, by: str) -> None:
    fn = get_function(text)
    convention = fn.convention(a)
    assert convention is not None
    assert convention[0].q == value and convention[0].exact and convention[1] == by


def test_convention_through_a_smooth_function_is_the_chain_rule() -> None:
    mp.dps = 80
    convention = get_function("sin(|a| + 1)").convention(F(0))
    assert convention is not None and convention[0].q == 0  # sign(0) = 0
    convention = get_function("tanh(max(a, 1))").convention(F(1))
    assert convention is not None
    assert agrees(convention[0].q, 1 / mpmath.cosh(1) ** 2 / 2)


def test_away_from_kinks_both_sides_are_the_derivative() -> None:
    for text, points in [
        ("relu(a)", (F(2), F(-3))),
        ("|a|", (F(-3, 2),)),
        ("sigmoid(a)", (F(0), F(40))),
        ("a^2", (F(0),)),
        ("log", (F(2),)),
    ]:
        fn = get_function(text)
        for a in points:
            assert not fn.is_kink(a) and fn.convention(a) is None
            assert fn.one_sided(a, 1) == fn.one_sided(a, -1) == fn.derivative(a)


def test_a_zero_slope_is_no_kink() -> None:
    """relu(a)² at 0 has the slope 0 from both sides: a derivative, no kink."""
    for text in ("relu(a)^2", "relu(a^3)", "|a|^3", "a^2"):
        fn = get_function(text)
        assert not fn.is_kink(F(0)) and fn.derivative(F(0)) == Value(F(0))
    assert not get_function("sigmoid(a)").is_kink(F(1000))


def test_registry_functions_have_the_defaults() -> None:
    for fn in FUNCTIONS:
        assert fn.kinks(-10, 10) == ()
        a = F(2)
        assert not fn.is_kink(a) and fn.convention(a) is None
        assert fn.one_sided(a, -1) == fn.derivative(a)


def test_side_must_be_plus_or_minus_one() -> None:
    with pytest.raises(LessonError, match="side must be 1"):
        get_function("relu(a)").one_sided(F(0), 0)


def test_outside_the_domain_is_no_kink() -> None:
    fn = function_from_expression("sqrt(a) + |a - 4|")
    assert fn.kinks(-5, 5) == (F(4),)
    assert not fn.is_kink(F(-4))
    with pytest.raises(LessonError, match="defined only for"):
        fn.one_sided(F(-4), 1)


def test_an_infinite_slope_on_one_side_is_no_kink() -> None:
    fn = function_from_expression("sqrt(relu(a))")
    assert not fn.is_kink(F(0)) and fn.kinks(-1, 1) == ()
    with pytest.raises(LessonError):
        fn.derivative(F(0))
