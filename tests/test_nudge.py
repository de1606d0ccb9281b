"""lessonkit.maths.nudge: every row of every default table, checked against hand arithmetic."""

from __future__ import annotations

import math
from collections.abc import Callable
from decimal import Decimal, localcontext
from fractions import Fraction

import pytest

from lessonkit.base.errors import LessonError
from lessonkit.maths.lookup import get_function
from lessonkit.maths.nudge import (
    DEFAULT_SCHEDULE,
    MAX_ABS_POINT,
    MAX_NUDGE,
    MIN_NUDGE,
    check_nudge,
    check_point,
    convergence_table,
    expansion,
    nudge,
)

SCHEDULE = [Fraction(1), Fraction(1, 10), Fraction(1, 100), Fraction(1, 1000)]

# f and f' written out by hand, independent of the library.
Poly = Callable[[Fraction], Fraction]
POLYNOMIALS: dict[str, tuple[Poly, Poly]] = {
    "linear": (lambda a: 3 * a, lambda a: Fraction(3)),
    "square": (lambda a: a**2, lambda a: 2 * a),
    "cube": (lambda a: a**3, lambda a: 3 * a**2),
}
DEFAULT_POINTS = {"linear": [2], "square": [2, 5], "cube": [2], "log": [2]}

POLY_ROWS = [
    (name, Fraction(a), da) for name in POLYNOMIALS for a in DEFAULT_POINTS[name] for da in SCHEDULE
]
LOG_ROWS = [(Fraction(a), da) for a in DEFAULT_POINTS["log"] for da in SCHEDULE]


def exact_text(q: Fraction) -> str:
    """Decimal text of a terminating fraction, by an independent route (Decimal)."""
    with localcontext() as ctx:
        ctx.prec = 200
        d = Decimal(q.numerator) / Decimal(q.denominator)
    text = format(d.normalize(), "f")
    return text


def rounded_text(d: Decimal, digits: int = 10) -> str:
    with localcontext() as ctx:
        ctx.prec = digits
        r = +d
    text = format(r, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def ln(x: Fraction) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 100
        return (Decimal(x.numerator) / Decimal(x.denominator)).ln()


def test_default_schedule() -> None:
    assert DEFAULT_SCHEDULE == tuple(SCHEDULE)


# --- polynomials: every default point and nudge ----------------------------------------


@pytest.mark.parametrize(("name", "a", "da"), POLY_ROWS)
def test_polynomial_row_is_exact(name: str, a: Fraction, da: Fraction) -> None:
    f, fprime = POLYNOMIALS[name]
    row = nudge(get_function(name), a, da)
    f_a, f_a_da = f(a), f(a + da)
    df = f_a_da - f_a
    ratio = df / da
    slope = fprime(a)
    assert row.a.q == a and row.da.q == da
    assert row.f_a.q == f_a
    assert row.f_a_da.q == f_a_da
    assert row.df.q == df
    assert row.ratio.q == ratio
    assert row.slope.q == slope
    assert row.gap.q == ratio - slope
    for v in (row.a, row.da, row.f_a, row.f_a_da, row.df, row.ratio, row.slope, row.gap):
        assert v.exact and v.shows_exactly
    texts = row.as_text()
    assert texts == {
        "function": name,
        "a": exact_text(a),
        "da": exact_text(da),
        "f_a": exact_text(f_a),
        "f_a_plus_da": exact_text(f_a_da),
        "df": exact_text(df),
        "ratio": exact_text(ratio),
        "slope": exact_text(slope),
        "gap": exact_text(ratio - slope),
    }
    assert not any(t.startswith("≈") for t in texts.values())


@pytest.mark.parametrize(
    ("name", "a", "da", "f_a_da", "ratio", "slope", "gap"),
    [
        ("square", 2, "0.001", "4.004001", "4.001", "4", "0.001"),
        ("square", 2, "1", "9", "5", "4", "1"),
        ("square", 5, "0.001", "25.010001", "10.001", "10", "0.001"),
        ("square", 5, "0.1", "26.01", "10.1", "10", "0.1"),
        ("cube", 2, "0.001", "8.012006001", "12.006001", "12", "0.006001"),
        ("cube", 2, "0.1", "9.261", "12.61", "12", "0.61"),
        ("linear", 2, "0.001", "6.003", "3", "3", "0"),
        ("linear", 2, "1", "9", "3", "3", "0"),
    ],
)
def test_key_rows(
    name: str, a: int, da: str, f_a_da: str, ratio: str, slope: str, gap: str
) -> None:
    t = nudge(get_function(name), Fraction(a), Fraction(da)).as_text()
    assert (t["f_a_plus_da"], t["ratio"], t["slope"], t["gap"]) == (f_a_da, ratio, slope, gap)


@pytest.mark.parametrize("name", list(POLYNOMIALS))
def test_polynomial_ratio_converges_to_slope(name: str) -> None:
    fn = get_function(name)
    for a in fn.points:
        gaps = [abs(nudge(fn, a, da).gap.q) for da in SCHEDULE]
        assert gaps == sorted(gaps, reverse=True)
        assert gaps[-1] <= Fraction(1, 100)


# --- log: rounded to 10 significant digits and marked -------------------------------


@pytest.mark.parametrize(("a", "da"), LOG_ROWS)
def test_log_row_rounded_against_high_precision(a: Fraction, da: Fraction) -> None:
    row = nudge(get_function("log"), a, da)
    with localcontext() as ctx:
        ctx.prec = 100
        f_a, f_a_da = ln(a), ln(a + da)
        df = f_a_da - f_a
        d = Decimal(da.numerator) / Decimal(da.denominator)
        ratio = df / d
        gap = ratio - Decimal(1) / (Decimal(a.numerator) / Decimal(a.denominator))
    t = row.as_text()
    assert t["f_a"] == "≈" + rounded_text(f_a)
    assert t["f_a_plus_da"] == "≈" + rounded_text(f_a_da)
    assert t["df"] == "≈" + rounded_text(df)
    assert t["ratio"] == "≈" + rounded_text(ratio)
    assert t["gap"] == "≈" + rounded_text(gap)
    # the derivative is exact and unmarked: 1/a
    assert row.slope.exact and row.slope.q == 1 / a
    assert t["slope"] == "0.5"
    # and a float cross-check with math.log
    assert float(row.ratio) == pytest.approx((math.log(a + da) - math.log(a)) / float(da), rel=1e-9)
    assert not row.f_a.exact and not row.ratio.exact and not row.gap.exact


def test_log_key_values_at_two() -> None:
    row = nudge(get_function("log"), Fraction(2), Fraction(1, 1000))
    t = row.as_text()
    assert t["f_a"] == "≈0.6931471806"
    assert t["ratio"] == "≈0.4998750417"
    assert t["slope"] == "0.5"
    assert t["gap"] == "≈-0.000124958349"


def test_log_ratio_converges_to_half() -> None:
    fn = get_function("log")
    gaps = [abs(float(nudge(fn, Fraction(2), da).gap)) for da in SCHEDULE]
    assert gaps == sorted(gaps, reverse=True)
    # for log at 2 the gap is about -Δa/8
    for da, g in zip(SCHEDULE, gaps, strict=True):
        if da < 1:
            assert g == pytest.approx(float(da) / 8, rel=0.1)


# --- expansions ------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "a", "da"), POLY_ROWS)
def test_expansion_terms_sum_to_value_and_leftover_is_gap(
    name: str, a: Fraction, da: Fraction
) -> None:
    f, fprime = POLYNOMIALS[name]
    e = expansion(get_function(name), a, da)
    assert e is not None
    assert sum((t.value.q for t in e.terms), Fraction(0)) == f(a + da)
    assert e.total.q == f(a + da)
    df = f(a + da) - f(a)
    assert e.leftover.q == df - fprime(a) * da
    # the leftover, divided by Δa, is exactly how far Δf/Δa is from f'(a)
    assert e.leftover.q / da == nudge(get_function(name), a, da).gap.q
    by_power = {t.power: t.value.q for t in e.terms}
    assert by_power[1] == fprime(a) * da
    assert by_power.get(0, Fraction(0)) == f(a)
    assert all(t.value.exact for t in e.terms)
    # the numeric line is the sum of its own terms
    lhs, rhs = e.numeric().split(" = ")
    assert Fraction(lhs) == sum((Fraction(p) for p in rhs.split(" + ")), Fraction(0))


@pytest.mark.parametrize(
    ("name", "symbolic", "numeric"),
    [
        ("square", "(a+Δa)² = a² + 2aΔa + (Δa)²", "4.004001 = 4 + 0.004 + 0.000001"),
        (
            "cube",
            "(a+Δa)³ = a³ + 3a²Δa + 3a(Δa)² + (Δa)³",
            "8.012006001 = 8 + 0.012 + 0.000006 + 0.000000001",
        ),
        ("linear", "3(a+Δa) = 3a + 3Δa", "6.003 = 6 + 0.003"),
    ],
)
def test_expansion_text_at_two_smallest_nudge(name: str, symbolic: str, numeric: str) -> None:
    e = expansion(get_function(name), Fraction(2), Fraction(1, 1000))
    assert e is not None
    assert e.symbolic() == symbolic
    assert e.numeric() == numeric


def test_expansion_leftover_values() -> None:
    sq = expansion(get_function("square"), Fraction(2), Fraction(1, 1000))
    cu = expansion(get_function("cube"), Fraction(2), Fraction(1, 1000))
    li = expansion(get_function("linear"), Fraction(2), Fraction(1, 1000))
    assert sq is not None and cu is not None and li is not None
    assert sq.leftover.text() == "0.000001"
    assert cu.leftover.text() == "0.000006001"
    assert li.leftover.q == 0


def test_expansion_typst() -> None:
    e = expansion(get_function("square"), Fraction(2), Fraction(1, 10))
    assert e is not None
    assert e.lhs_typst == "(a + Delta a)^2"
    assert [t.typst for t in e.terms] == ["a^2", "2 a Delta a", "(Delta a)^2"]
    assert [t.power for t in e.terms] == [0, 1, 2]


def test_expansion_of_log_is_none() -> None:
    assert expansion(get_function("log"), Fraction(2), Fraction(1, 1000)) is None


# --- validation ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "da",
    [Fraction(0), Fraction(-1), Fraction(-1, 1000), MIN_NUDGE / 10, MAX_NUDGE + 1],
)
def test_check_nudge_refuses(da: Fraction) -> None:
    with pytest.raises(LessonError):
        check_nudge(da)
    with pytest.raises(LessonError):
        nudge(get_function("square"), Fraction(2), da)


@pytest.mark.parametrize("da", [MIN_NUDGE, MAX_NUDGE, Fraction(1, 1000), Fraction(1)])
def test_check_nudge_accepts_bounds(da: Fraction) -> None:
    check_nudge(da)
    nudge(get_function("square"), Fraction(2), da)


def test_non_positive_nudge_message() -> None:
    with pytest.raises(LessonError, match=r"positive \(Δa > 0\), got 0"):
        check_nudge(Fraction(0))


@pytest.mark.parametrize("a", [Fraction(0), Fraction(-1), Fraction(-5, 2)])
def test_log_point_outside_domain(a: Fraction) -> None:
    fn = get_function("log")
    with pytest.raises(LessonError, match="outside its domain"):
        check_point(fn, a)
    with pytest.raises(LessonError):
        nudge(fn, a, Fraction(1, 1000))
    with pytest.raises(LessonError):
        convergence_table(fn, [a])


@pytest.mark.parametrize("a", [MAX_ABS_POINT + 1, -MAX_ABS_POINT - 1, Fraction(10**9)])
def test_point_too_large(a: Fraction) -> None:
    with pytest.raises(LessonError, match="too large"):
        check_point(get_function("square"), a)


def test_points_at_the_bound_are_fine() -> None:
    row = nudge(get_function("cube"), MAX_ABS_POINT, MAX_NUDGE)
    assert row.f_a_da.q == (MAX_ABS_POINT + MAX_NUDGE) ** 3


# --- convergence_table -----------------------------------------------------------------


@pytest.mark.parametrize("name", ["linear", "square", "cube", "log"])
def test_convergence_table_defaults(name: str) -> None:
    fn = get_function(name)
    rows = convergence_table(fn)
    expected = [(Fraction(a), da) for a in DEFAULT_POINTS[name] for da in SCHEDULE]
    assert [(r.a.q, r.da.q) for r in rows] == expected
    assert all(r.function is fn for r in rows)


def test_convergence_table_custom() -> None:
    fn = get_function("square")
    rows = convergence_table(fn, [Fraction(2), Fraction(5)], [Fraction(1, 1000)])
    assert [r.as_text()["f_a_plus_da"] for r in rows] == ["4.004001", "25.010001"]
    assert [r.as_text()["ratio"] for r in rows] == ["4.001", "10.001"]


def test_convergence_table_needs_points_and_nudges() -> None:
    fn = get_function("square")
    with pytest.raises(LessonError, match="point"):
        convergence_table(fn, [], None)
    with pytest.raises(LessonError, match="nudge"):
        convergence_table(fn, None, [])
