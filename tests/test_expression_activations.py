"""The activations in expressions: σ, tanh, relu, |x|, max, min, softplus.

Values and derivatives are compared with mpmath at 80 digits, computed here from the
definitions (never with lessonkit's code), at 30 points each, far tails included.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import mpmath  # type: ignore[import-untyped]
import pytest

from lessonkit.base.errors import LessonError
from lessonkit.maths.expression import function_from_expression, parse_expression, render
from lessonkit.maths.functions import Function
from lessonkit.maths.lookup import get_function

F = Fraction
M = Callable[[mpmath.mpf], mpmath.mpf]
mp = mpmath.mp


def mpf(q: Fraction) -> mpmath.mpf:
    return mpmath.mpf(q.numerator) / q.denominator


def agrees(value: Fraction, expected: mpmath.mpf, digits: int = 58) -> bool:
    """value agrees with expected to `digits` significant digits (or both are 0)."""
    with mpmath.workdps(90):
        got = mpf(value)
        if expected == 0:
            return bool(got == 0)
        return bool(abs(got - expected) <= abs(expected) * mpmath.mpf(10) ** -digits)


# -- the definitions, in mpmath at 80 digits ---------------------------------------------------
def sigma(x: mpmath.mpf) -> mpmath.mpf:
    return 1 / (1 + mpmath.exp(-x))


def d_sigma(x: mpmath.mpf) -> mpmath.mpf:
    return mpmath.exp(-x) / (1 + mpmath.exp(-x)) ** 2


def softplus(x: mpmath.mpf) -> mpmath.mpf:
    with mpmath.workdps(200):  # log(1 + e^x) cancels digits where e^x is small
        return +mpmath.log(1 + mpmath.exp(x))


def step(x: mpmath.mpf) -> mpmath.mpf:
    return mpmath.mpf(1 if x > 0 else 0)


def sign(x: mpmath.mpf) -> mpmath.mpf:
    return mpmath.mpf(1 if x > 0 else -1)


#: (expression, f, f' away from the kinks)
CASES: list[tuple[str, M, M]] = [
    ("sigmoid(a)", sigma, d_sigma),
    ("σ(a)", sigma, d_sigma),
    ("1/(1+exp(-a))", sigma, d_sigma),
    ("1/(1 + e^(-a))", sigma, d_sigma),
    ("tanh(a)", mpmath.tanh, lambda x: 1 / mpmath.cosh(x) ** 2),
    ("relu(a)", lambda x: max(x, 0), step),
    ("abs(a)", abs, sign),
    ("|a|", abs, sign),
    ("max(0, a)", lambda x: max(0, x), step),
    ("min(a, 1)", lambda x: min(x, 1), lambda x: step(1 - x)),
    ("softplus(a)", softplus, sigma),
    # compositions
    ("relu(2a - 1)", lambda x: max(2 * x - 1, 0), lambda x: 2 * step(2 * x - 1)),
    ("σ(2a)", lambda x: sigma(2 * x), lambda x: 2 * d_sigma(2 * x)),
    ("tanh(a^2)", lambda x: mpmath.tanh(x**2), lambda x: 2 * x / mpmath.cosh(x**2) ** 2),
    ("|a - 1| + 2", lambda x: abs(x - 1) + 2, lambda x: sign(x - 1)),
    ("max(a, a^2)", lambda x: max(x, x**2), lambda x: 2 * x if x**2 > x else mpmath.mpf(1)),
    ("min(a, 2 - a)", lambda x: min(x, 2 - x), lambda x: mpmath.mpf(1 if x < 1 else -1)),
    ("relu(a^2 - 1)", lambda x: max(x**2 - 1, 0), lambda x: 2 * x * step(x**2 - 1)),
    ("a σ(a)", lambda x: x * sigma(x), lambda x: sigma(x) + x * d_sigma(x)),
    ("softplus(-a)", lambda x: softplus(-x), lambda x: -sigma(-x)),
    (
        "tanh(σ(a))",
        lambda x: mpmath.tanh(sigma(x)),
        lambda x: d_sigma(x) / mpmath.cosh(sigma(x)) ** 2,
    ),
    (
        "relu(a) sin(a)",
        lambda x: max(x, 0) * mpmath.sin(x),
        lambda x: step(x) * (mpmath.sin(x) + x * mpmath.cos(x)),
    ),
    ("exp(relu(a))", lambda x: mpmath.exp(max(x, 0)), lambda x: step(x) * mpmath.exp(max(x, 0))),
]

#: 26 points over [-5, 5] (0 and the corners among them) and the far tails
POINTS = [F(k, 5) for k in range(-25, 26, 2)] + [F(0), F(1), F(1, 2), F(-1)]
TAILS = [F(40), F(-40), F(20), F(-20)]


def test_thirty_points_each() -> None:
    assert len(set(POINTS + TAILS)) >= 30


@pytest.mark.parametrize(("text", "f", "df"), CASES, ids=[c[0] for c in CASES])
def test_values_and_derivatives_against_mpmath(text: str, f: M, df: M) -> None:
    fn = function_from_expression(text)
    mp.dps = 80
    for a in POINTS + TAILS:
        x = mpf(a)
        assert agrees(fn.value(a).q, f(x)), (text, a)
        if fn.is_kink(a):  # one-sided there: tests/test_kinks.py
            continue
        assert agrees(fn.derivative(a).q, df(x), 55), (text, a)


@pytest.mark.parametrize(
    ("text", "a", "expected"),
    [
        ("sigmoid(a)", F(40), lambda: sigma(mpmath.mpf(40))),
        ("sigmoid(a)", F(-40), lambda: sigma(mpmath.mpf(-40))),
        ("tanh(a)", F(-20), lambda: mpmath.tanh(-20)),
        ("tanh(a)", F(20), lambda: mpmath.tanh(20)),
        ("softplus(a)", F(-40), lambda: softplus(mpmath.mpf(-40))),
        ("softplus(a)", F(40), lambda: softplus(mpmath.mpf(40))),
    ],
)
def test_far_tails_keep_sixty_digits(
    text: str, a: Fraction, expected: Callable[[], mpmath.mpf]
) -> None:
    mp.dps = 80
    value = function_from_expression(text).value(a)
    assert not value.exact and value.q not in (1, -1, 0)
    assert agrees(value.q, expected(), 59)


def test_sigmoid_at_40_is_not_one() -> None:
    mp.dps = 80
    q = function_from_expression("sigmoid(a)").value(F(40)).q
    gap = 1 - mpf(q)
    assert agrees(Fraction(str(gap)), mpmath.exp(-40) / (1 + mpmath.exp(-40)), 40)
    assert mpmath.nstr(gap, 4) == "4.248e-18"


@pytest.mark.parametrize(
    ("text", "a", "exact"),
    [
        ("sigmoid(a)", F(0), F(1, 2)),
        ("σ(a)", F(0), F(1, 2)),
        ("tanh(a)", F(0), F(0)),
        ("relu(a)", F(2), F(2)),
        ("relu(a)", F(-3), F(0)),
        ("abs(a)", F(-3, 2), F(3, 2)),
        ("|a|", F(-3, 2), F(3, 2)),
        ("max(2, 3)", F(0), F(3)),
        ("min(2, 3) + a", F(1), F(3)),
        ("relu(a^2 - 1)", F(3, 2), F(5, 4)),
        ("|a^2 - 2| + max(a, 1/a)", F(1, 3), F(17, 9) + 3),
        ("sigmoid(log(3))", F(0), F(3, 4)),
        ("tanh(log(3))", F(0), F(4, 5)),
        ("1/(1 + exp(-a))", F(0), F(1, 2)),
    ],
)
def test_exact_where_the_inputs_make_it_exact(text: str, a: Fraction, exact: Fraction) -> None:
    value = function_from_expression(text).value(a)
    assert value.exact and value.q == exact


@pytest.mark.parametrize(
    ("text", "a", "exact"),
    [
        ("relu(a^2 - 1)", F(3, 2), F(3)),
        ("sigmoid(a)", F(0), F(1, 4)),
        ("tanh(a)", F(0), F(1)),
        ("softplus(a)", F(0), F(1, 2)),
        ("|a|", F(-2), F(-1)),
        ("max(a, a^2)", F(3), F(6)),
    ],
)
def test_exact_derivatives(text: str, a: Fraction, exact: Fraction) -> None:
    value = function_from_expression(text).derivative(a)
    assert value.exact and value.q == exact


def test_softplus_of_zero_is_log_two_to_sixty_digits() -> None:
    mp.dps = 80
    value = function_from_expression("softplus(a)").value(F(0))
    assert not value.exact and agrees(value.q, mpmath.log(2), 59)


def test_piecewise_rational_functions_need_no_sympy() -> None:
    """relu, abs, max and min of rational functions are evaluated with Fraction."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from fractions import Fraction as F\n"
        "from lessonkit.maths.expression import evaluate_fraction, parse_expression\n"
        "t = parse_expression('relu(a^2 - 1) + |a| - max(a, 1/a)')\n"
        "print(evaluate_fraction(t, F(3, 2)), 'sympy' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parent.parent,
    ).stdout.split()
    assert out == ["5/4", "False"]


def _random_points(seed: int, size: int, denominator: int) -> list[Fraction]:
    """Points drawn at random (hypothesis is not installed here): reproducible by the seed."""
    rng = random.Random(seed)
    points = []
    for _ in range(40):
        q = rng.randint(1, denominator)
        points.append(F(rng.randint(-size * q, size * q), q))
    return points


def test_relu_abs_max_min_identities_hold_exactly() -> None:
    odd = function_from_expression("relu(a) - relu(-a)")
    both = function_from_expression("max(a, 1 - a) + min(a, 1 - a)")
    for a in _random_points(20, 50, 1000):
        assert odd.value(a).q == a and odd.value(a).exact
        assert function_from_expression("|a|").value(a).q == abs(a)
        assert both.value(a).q == 1
        assert function_from_expression("max(0, a)").value(a).q == max(a, F(0))


def test_sigmoid_tanh_softplus_at_random_points() -> None:
    mp.dps = 80
    for a in _random_points(21, 60, 100)[:30]:
        x = mpf(a)
        assert agrees(get_function("sigmoid(a)").derivative(a).q, d_sigma(x), 55)
        assert agrees(get_function("tanh(a)").value(a).q, mpmath.tanh(x), 58)
        assert agrees(get_function("softplus(a)").value(a).q, softplus(x), 58)


# -- formulas ---------------------------------------------------------------------------------
FORMULAS = [
    # (text, formula, f' text, f' Typst, f' at {a})
    (
        "sigmoid(a)",
        "σ(a)",
        "σ(a)(1 - σ(a))",
        "sigma(a) (1 - sigma(a))",
        "sigma({a}) dot (1 - sigma({a}))",
    ),
    ("σ(a)", "σ(a)", "σ(a)(1 - σ(a))", "sigma(a) (1 - sigma(a))", None),
    ("1/(1+exp(-a))", "1/(1 + e^(-a))", "σ(a)(1 - σ(a))", "sigma(a) (1 - sigma(a))", None),
    ("1/(1 + e^(-a))", "1/(1 + e^(-a))", "σ(a)(1 - σ(a))", "sigma(a) (1 - sigma(a))", None),
    ("tanh(a)", "tanh(a)", "1 - tanh²(a)", "1 - tanh^2 (a)", "1 - tanh^2 ({a})"),
    ("softplus(a)", "softplus(a)", "σ(a)", "sigma(a)", "sigma({a})"),
    (
        "relu(a)",
        "relu(a)",
        "1 for a > 0 and 0 for a < 0",
        'cases(1 & "for" a > 0, 0 & "for" a < 0)',
        'cases(1 & "for" {a} > 0, 0 & "for" {a} < 0)',
    ),
    (
        "abs(a)",
        "|a|",
        "1 for a > 0 and -1 for a < 0",
        'cases(1 & "for" a > 0, -1 & "for" a < 0)',
        None,
    ),
    ("|a|", "|a|", "1 for a > 0 and -1 for a < 0", None, None),
    ("max(0, a)", "max(0, a)", "1 for a > 0 and 0 for a < 0", None, None),
    ("max(a, 0)", "max(a, 0)", "1 for a > 0 and 0 for a < 0", None, None),
    ("min(a, 1)", "min(a, 1)", "0 for a > 1 and 1 for a < 1", None, None),
    (
        "relu(2a - 1)",
        "relu(2a - 1)",
        "2 for a > 1/2 and 0 for a < 1/2",
        'cases(2 & "for" a > 1/2, 0 & "for" a < 1/2)',
        'cases(2 & "for" {a} > 1/2, 0 & "for" {a} < 1/2)',
    ),
    ("|a - 1| + 2", "|a - 1| + 2", "1 for a > 1 and -1 for a < 1", None, None),
    ("σ(2a)", "σ(2a)", "2 σ(2a)(1 - σ(2a))", "2 sigma(2a) (1 - sigma(2a))", None),
    ("tanh(a^2)", "tanh(a²)", "2a(1 - tanh²(a²))", "2a (1 - tanh^2 (a^2))", None),
    ("relu(a)^2", "relu(a)²", "2a for a > 0 and 0 for a < 0", None, None),
    (
        "relu(a) - relu(a - 1)",
        "relu(a) - relu(a - 1)",
        "0 for a < 0, 1 for 0 < a < 1 and 0 for a > 1",
        'cases(0 & "for" a < 0, 1 & "for" 0 < a < 1, 0 & "for" a > 1)',
        None,
    ),
    (
        "max(a, a^2)",
        "max(a, a²)",
        "2a for a² > a and 1 for a² < a",
        'cases(2a & "for" a^2 > a, 1 & "for" a^2 < a)',
        None,
    ),
    ("relu(a^2 - 1)", "relu(a² - 1)", "2a for a² > 1 and 0 for a² < 1", None, None),
    ("relu(a) sin(a)", "relu(a) sin(a)", "a cos(a) + sin(a) for a > 0 and 0 for a < 0", None, None),
    ("tanh²(a)", "tanh²(a)", None, "tanh^2 (a)", None),
]


@pytest.mark.parametrize(
    ("text", "formula", "text_d", "typst_d", "at_d"), FORMULAS, ids=[c[0] for c in FORMULAS]
)
def test_formulas_the_way_a_course_writes_them(
    text: str, formula: str, text_d: str | None, typst_d: str | None, at_d: str | None
) -> None:
    fn = function_from_expression(text)
    assert fn.formula == formula
    if text_d is not None:
        assert fn.derivative_formula == text_d
    if typst_d is not None:
        assert typst_d in (fn.derivative_typst, fn.formula_typst)
    if at_d is not None:
        assert fn.derivative_at_typst == at_d


@pytest.mark.parametrize(
    ("text", "typst"),
    [
        ("sigmoid(a)", "sigma(a)"),
        ("relu(a)", '"relu"(a)'),
        ("|a - 1| + 2", "abs(a - 1) + 2"),
        ("max(0, a)", "max(0, a)"),
        ("softplus(a)", '"softplus"(a)'),
        ("e^relu(a)", 'e^("relu"(a))'),
        ("tanh(a)^2", "tanh^2 (a)"),
    ],
)
def test_formula_typst(text: str, typst: str) -> None:
    assert function_from_expression(text).formula_typst == typst


def test_typst_compiles() -> None:
    """Every formula and derivative in one Typst document (the typst package MathTypst uses)."""
    typst = pytest.importorskip("typst")
    lines = ["#set page(width: auto, height: auto, margin: 4pt)"]
    for text, *_ in FORMULAS:
        fn = function_from_expression(text)
        for form in (
            fn.formula_typst,
            fn.derivative_typst,
            fn.derivative_at_typst.replace("{a}", "-2.5"),
        ):
            lines.append(f"$ f(a) = {form} $")
    source = "\n".join(lines).encode()
    assert typst.compile(source, format="svg")


def test_the_text_of_the_source_reads_back() -> None:
    for text, *_ in FORMULAS + [(c[0],) for c in CASES]:
        tree = parse_expression(text)
        assert parse_expression(render(tree, "source")) == tree


def test_domain_does_not_state_the_obvious() -> None:
    for text in (
        "1/(1+exp(-a))",
        "1/(1 + e^(-a))",
        "1/(a^2 + 1)",
        "sqrt(a^2 + 1)",
        "log(1 + e^a)",
        "log(σ(a))",
        "1/(2 + |a|)",
        "sqrt(relu(a))",
        "log(softplus(a))",
    ):
        assert function_from_expression(text).domain == "all real a", text
    assert function_from_expression("1/a^2").domain == "a != 0"
    assert function_from_expression("log(a^2)").domain == "a² > 0"
    assert function_from_expression("1/(1 - e^(-a))").domain == "1 - e^(-a) != 0"


def test_default_points_and_windows() -> None:
    s = function_from_expression("sigmoid(a)")
    assert s.points == (F(0), F(2)) and s.window.x_min <= -4 and s.window.x_max >= 4
    assert 0 <= s.window.y_min and s.window.y_max >= 1
    t = function_from_expression("tanh(a)")
    assert t.points == (F(0), F(2)) and t.window.y_min <= -1 <= 1 <= t.window.y_max
    for text, point, corner in [
        ("relu(a)", 1, 0),
        ("|a|", 1, 0),
        ("max(0, a)", 1, 0),
        ("relu(2a - 1)", 1, F(1, 2)),
        ("|a - 1| + 2", 2, 1),
    ]:
        fn = function_from_expression(text)
        assert fn.points == (F(point),), text
        assert not any(fn.is_kink(p) for p in fn.points)
        assert fn.window.x_min < corner < fn.window.x_max
    assert function_from_expression("1/(1+exp(-a))").points == (F(0), F(2))


# -- errors -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("max(a)", "max takes two arguments, e.g. max(0, a) at column 6"),
        ("min(a, 1, 2)", "min takes two arguments, e.g. min(0, a) at column 9"),
        ("max a", "write max(x, y) with parentheses at column 1"),
        ("relu(a, 2)", "relu takes one argument at column 7"),
        ("sigmoid(a, 1)", "sigmoid takes one argument at column 10"),
        ("|a - 1", "'|' is never closed at column 1"),
        ("|a| + |", "'|' is never closed at column 7"),
        ("(|a)|", "')' before the '|' opened at column 2 is closed at column 4"),
        ("|a, 1|", "',' is allowed only between the arguments of log, max and min at column 3"),
        ("step(a)", "unknown name 'step': it appears only in derivatives"),
        ("sign(a)", "unknown name 'sign'"),
        ("sigmod(a)", "did you mean 'sigmoid'?"),
        ("tanhh(a)", "did you mean 'tanh'?"),
        ("relu(a^61)", "exponent 61 is too large"),
    ],
)
def test_misuse_is_one_line_with_the_column(text: str, problem: str) -> None:
    with pytest.raises(LessonError) as info:
        parse_expression(text)
    message = str(info.value)
    assert problem in message and "\n" not in message


def test_hints_name_the_new_functions() -> None:
    with pytest.raises(LessonError) as info:
        get_function("xyz")
    for name in ("sigmoid(a)", "tanh(a)", "relu(a)", "|a|", "max(0, a)", "softplus(a)"):
        assert name in str(info.value)
    with pytest.raises(LessonError) as info:
        parse_expression("qq(a)")
    assert re.search(r"sigmoid, tanh, relu, abs, max, min, softplus", str(info.value))


def test_nestable_bars() -> None:
    assert render(parse_expression("||a| - 1|"), "source") == "abs(abs(a) - 1)"
    assert render(parse_expression("2|a|"), "source") == "2 abs(a)"
    assert render(parse_expression("|max(|a|, 1)|"), "source") == "abs(max(abs(a), 1))"
    assert render(parse_expression("|2·|a - 1||"), "text") == "|2|a - 1||"


def test_magnitude_guards() -> None:
    huge = F(10**300)
    assert function_from_expression("tanh(a)").value(huge).q == 1
    assert function_from_expression("sigmoid(a)").value(huge).q == 1
    assert function_from_expression("relu(a)").value(huge).q == huge
    assert function_from_expression("softplus(a)").value(huge).q == huge
    for text in ("sigmoid(a)", "softplus(a)", "exp(a) + tanh(a)"):
        with pytest.raises(LessonError, match="too large to compute"):
            function_from_expression(text).value(F(-30000) if "exp" not in text else F(30000))
    with pytest.raises(LessonError, match="too large or too small"):
        function_from_expression("sigmoid(a)").derivative(F(30000))


def test_far_derivatives_keep_their_digits() -> None:
    """1 - σ(2000) and 1 - tanh²(2000) cancel 870 digits: written without the cancellation."""
    mp.dps = 80
    x = mpmath.mpf(2000)
    assert agrees(get_function("sigmoid(a)").derivative(F(2000)).q, d_sigma(x), 58)
    assert agrees(get_function("tanh(a)").derivative(F(-2000)).q, 1 / mpmath.cosh(x) ** 2, 58)


def test_registered_functions_are_still_functions() -> None:
    assert isinstance(get_function("relu(a)"), Function)
    assert get_function("relu(a)") == get_function("relu( a )")


def test_derivative_trees_use_only_the_documented_calls() -> None:
    """The contract with the browser twin: every Call of f and f' is a documented name with
    its number of arguments (see the lessonkit.maths.expression docstring)."""
    from lessonkit.maths.expression import Call, walk
    from lessonkit.maths.expression.sympy_trees import derivative_tree
    from lessonkit.maths.expression.tree import FUNCTION_NAMES, INTERNAL_NAMES

    arity = {name: (1,) for name in FUNCTION_NAMES + INTERNAL_NAMES}
    arity |= {"log": (1, 2), "ln": (1, 2), "max": (2,), "min": (2,)}
    seen: set[str] = set()
    for text, *_ in FORMULAS + [(c[0],) for c in CASES]:
        tree = parse_expression(text)
        for node in (*walk(tree), *walk(derivative_tree(tree))):
            if isinstance(node, Call):
                assert len(node.args) in arity[node.func], (text, node)
                seen.add(node.func)
    assert {"step", "sign", "sigmoid", "tanh", "relu"} <= seen


def test_pieces_outside_the_domain_are_left_out() -> None:
    assert function_from_expression("log(relu(a))").derivative_formula == "1/a"
    assert function_from_expression("log(|a|)").derivative_formula == "1/a"
    assert function_from_expression("log(relu(a))").breaks(-3, 3) == (-3.0, 0.0)
    fn = function_from_expression("1/|a|")
    assert fn.derivative_formula == "-1/a² for a > 0 and 1/a² for a < 0"


@pytest.mark.parametrize(
    ("text", "a", "expected"),
    [
        # max/min of two numbers is not log(x, base); a negative base squared is positive
        ("log(max(a, 2))", 4, lambda: mpmath.log(4)),
        ("sin(a) + max(a, 2)", 4, lambda: mpmath.sin(4) + 4),
        ("log(max(a, 0.5) - 0.6)", 1, lambda: mpmath.log(mpmath.mpf("0.4"))),
        ("1/(1 + a^2)", -1, lambda: mpmath.mpf(1) / 2),
        ("relu(a)/(1 + a^2) + a^3", -1, lambda: mpmath.mpf(-1)),
    ],
)
def test_two_argument_calls_and_negative_bases_keep_their_values(
    text: str, a: int, expected: Callable[[], mpmath.mpf]
) -> None:
    got = get_function(text).value(Fraction(a)).q
    with mpmath.workdps(80):
        gap = abs(mpmath.mpf(got.numerator) / got.denominator - expected())
        assert gap < mpmath.mpf(10) ** -55, (text, gap)
