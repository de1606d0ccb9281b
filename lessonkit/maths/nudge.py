"""Nudge numerics: f(a), f(a+Δa), Δf, Δf/Δa against f'(a), and where the leftover comes from.

All arithmetic is exact for polynomials (fractions), so a² at a = 2 nudged by 0.001 gives
f(a+Δa) = 4.004001 and Δf/Δa = 4.001 exactly, never 4.004000999999999.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from math import comb

from lessonkit.base.errors import LessonError
from lessonkit.maths.functions import Function
from lessonkit.maths.numbers import SIGNIFICANT_DIGITS, Value

__all__ = [
    "DEFAULT_SCHEDULE",
    "MAX_ABS_POINT",
    "MIN_NUDGE",
    "MAX_NUDGE",
    "Nudge",
    "Term",
    "Expansion",
    "check_point",
    "check_drawable",
    "MAX_DRAWN",
    "check_nudge",
    "nudge",
    "SIDES",
    "sides_at",
    "convergence_table",
    "expansion",
    "signed_sum",
]

#: The lesson's shrinking nudges: each ten times smaller than the last.
DEFAULT_SCHEDULE: tuple[Fraction, ...] = (
    Fraction(1),
    Fraction(1, 10),
    Fraction(1, 100),
    Fraction(1, 1000),
)

#: Bounds that keep every value printable and drawable (no overflow, no 600-digit rows).
MAX_ABS_POINT = Fraction(10**6)
MIN_NUDGE = Fraction(1, 10**12)
MAX_NUDGE = Fraction(10**3)


def check_point(fn: Function, a: Fraction) -> None:
    """Refuse a point outside the function's domain or beyond the drawable range."""
    if abs(a) > MAX_ABS_POINT:
        raise LessonError(f"--at {a} is too large: use a point with |a| <= {MAX_ABS_POINT}")
    if not fn.in_domain(a):
        raise LessonError(
            f"{fn.called} is defined only for {fn.domain}, so a = {_plain(a)} is outside its domain"
        )


#: Largest |f(a)| and |f'(a)| a clip draws: beyond it the curve or the tangent leaves any
#: window Manim can draw (`lessonkit table` still prints the numbers).
MAX_DRAWN = Fraction(10**9)


def check_drawable(fn: Function, a: Fraction) -> None:
    """Refuse a point whose value or slope is too large to draw, in one line."""
    slopes = [fn.one_sided(a, s) for s in (1, -1)] if fn.is_kink(a) else [fn.derivative(a)]
    for what, v in (("f(a)", fn.value(a)), ("f'(a)", max(slopes, key=lambda v: abs(v.q)))):
        if abs(v.q) > MAX_DRAWN:
            raise LessonError(
                f"at a = {_short(Value(a))}, {what} = {_short(v)} is too large to draw "
                f"(at most {int(MAX_DRAWN):,} either way): choose another point, "
                f"or see its numbers with lessonkit table"
            )


def _short(v: Value) -> str:
    """A value for a message: '0.25', or '1e-300' where the plain text runs long."""
    text = v.text(6)
    if len(text.lstrip("≈-")) <= 14:
        return text
    mantissa, exponent = f"{Decimal(v.q.numerator) / Decimal(v.q.denominator):.5e}".split("e")
    return f"{mantissa.rstrip('0').rstrip('.')}e{int(exponent)}"


def check_nudge(da: Fraction) -> None:
    """Refuse a nudge that is not positive or is too small or large to show."""
    if da <= 0:
        raise LessonError(f"a nudge must be positive (Δa > 0), got {_plain(da)}")
    if da < MIN_NUDGE:
        raise LessonError(f"a nudge of {_plain(da)} is too small: use Δa >= 1e-12")
    if da > MAX_NUDGE:
        raise LessonError(f"a nudge of {_plain(da)} is too large: use Δa <= {MAX_NUDGE}")


def _plain(q: Fraction) -> str:
    return Value(q).text()


#: How a lesson file names the sides a point is nudged from: +1 right (Δa > 0), -1 left.
SIDES: dict[str, tuple[int, ...]] = {"right": (1,), "left": (-1,), "both": (1, -1)}


def sides_at(fn: Function, a: Fraction, side: str | None = None) -> tuple[int, ...]:
    """The sides to nudge from at a: the author's choice, else both at a kink (where the
    two sides disagree) and the right elsewhere."""
    if side is not None:
        return SIDES[side]
    return SIDES["both"] if fn.is_kink(a) else SIDES["right"]


@dataclass(frozen=True)
class Nudge:
    """One row of the convergence table: f nudged from a by Δa (Δa < 0: from the left).

    `slope` is f'(a), or at a kink the derivative from the row's own side."""

    function: Function
    a: Value
    da: Value
    f_a: Value
    f_a_da: Value
    df: Value
    ratio: Value
    slope: Value
    gap: Value
    digits: int = SIGNIFICANT_DIGITS  # significant digits of the values that are not exact
    side: int = 1  # +1: nudged to the right (Δa > 0); -1: to the left
    kink: bool = False  # a is a kink: f has no single derivative there, `slope` is one-sided

    def as_text(self) -> dict[str, str]:
        """Every field as the text the lesson prints (rounded values marked ≈)."""
        d = self.digits
        return {
            "function": self.function.name,
            "a": self.a.marked(d),
            "da": self.da.marked(d),
            "f_a": self.f_a.marked(d),
            "f_a_plus_da": self.f_a_da.marked(d),
            "df": self.df.marked(d),
            "ratio": self.ratio.marked(d),
            "slope": self.slope.marked(d),
            "gap": self.gap.marked(d),
        }


def nudge(
    fn: Function, a: Fraction, da: Fraction, digits: int = SIGNIFICANT_DIGITS, side: int = 1
) -> Nudge:
    """Nudge f from a to a+Δa (side -1: to a-Δa, the row's Δa negative) and compare the
    rise per step with the derivative (at a kink, the derivative from that side).

    >>> from lessonkit.maths.lookup import get_function
    >>> row = nudge(get_function("square"), Fraction(2), Fraction(1, 1000))
    >>> row.f_a_da.text(), row.df.text(), row.ratio.text(), row.gap.text()
    ('4.004001', '0.004001', '4.001', '0.001')
    """
    check_point(fn, a)
    check_nudge(da)
    step = da if side > 0 else -da
    if not fn.in_domain(a + step):
        raise LessonError(
            f"{fn.called} is defined only for {fn.domain}; a+Δa = {_plain(a + step)} is outside it"
        )
    f_a = fn.value(a)
    f_a_da = fn.value(a + step)
    df = f_a_da - f_a
    d = Value(step)
    ratio = df / d
    kink = fn.is_kink(a)
    slope = fn.one_sided(a, side) if kink else fn.derivative(a)
    for v in (f_a, f_a_da, ratio, slope):
        if abs(v.q) > Fraction(10**300):
            raise LessonError(f"{fn.called} at a = {_plain(a)} overflows: choose a smaller point")
    return Nudge(fn, Value(a), d, f_a, f_a_da, df, ratio, slope, ratio - slope, digits, side, kink)


def convergence_table(
    fn: Function,
    points: Iterable[Fraction] | None = None,
    schedule: Sequence[Fraction] | None = None,
    digits: int = SIGNIFICANT_DIGITS,
    side: str | None = None,
) -> list[Nudge]:
    """One row per point, side and nudge; the function's own points and DEFAULT_SCHEDULE by
    default, nudged from `side` ("right", "left", "both"; default: both at a kink only)."""
    pts = tuple(fn.points if points is None else points)
    steps = DEFAULT_SCHEDULE if schedule is None else tuple(schedule)
    if not pts:
        raise LessonError("give at least one point (--at)")
    if not steps:
        raise LessonError("give at least one nudge (--nudge)")
    return [nudge(fn, a, da, digits, s) for a in pts for s in sides_at(fn, a, side) for da in steps]


@dataclass(frozen=True)
class Term:
    """One term of f(a+Δa) expanded in powers of Δa: symbol and value at the point."""

    power: int  # the power of Δa in this term
    text: str  # plain text, e.g. "2aΔa"
    typst: str  # Typst math, e.g. "2 a Delta a"
    value: Value


@dataclass(frozen=True)
class Expansion:
    """f(a+Δa) = f(a) + f'(a)Δa + (the leftover), for a polynomial f."""

    lhs_text: str
    lhs_typst: str
    terms: tuple[Term, ...]
    total: Value

    @property
    def leftover(self) -> Value:
        """Everything beyond f(a) + f'(a)Δa: what makes Δf/Δa differ from f'(a)."""
        total = Value(Fraction(0))
        for t in self.terms:
            if t.power >= 2:
                total = total + t.value
        return total

    def symbolic(self) -> str:
        """'(a+Δa)² = a² + 2aΔa + (Δa)²'."""
        return f"{self.lhs_text} = " + " + ".join(t.text for t in self.terms)

    def numeric(self) -> str:
        """'4.004001 = 4 + 0.004 + 0.000001'; a negative term reads '- 0.003'."""
        return f"{self.total.text()} = " + signed_sum([t.value.text() for t in self.terms])


def signed_sum(texts: Sequence[str], minus: str = "-") -> str:
    """Join number texts into a sum, folding each term's sign into its operator.

    >>> signed_sum(["-1", "0.003", "-0.000003"])
    '-1 + 0.003 - 0.000003'
    """
    out = texts[0]
    for t in texts[1:]:
        out += f" {minus} {t[1:]}" if t.startswith("-") else f" + {t}"
    return out


_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _monomial(coef: int | Fraction, a_pow: int, da_pow: int) -> tuple[str, str]:
    """Plain and Typst text of coef · a^a_pow · Δa^da_pow."""
    text, typ = [], []
    if coef != 1 or (a_pow == 0 and da_pow == 0):
        text.append(str(coef))
        typ.append(str(coef))
    if a_pow:
        text.append("a" + (str(a_pow).translate(_SUPERSCRIPT) if a_pow > 1 else ""))
        typ.append("a" + (f"^{a_pow}" if a_pow > 1 else ""))
    if da_pow:
        text.append("Δa" if da_pow == 1 else "(Δa)" + str(da_pow).translate(_SUPERSCRIPT))
        typ.append("Delta a" if da_pow == 1 else f"(Delta a)^{da_pow}")
    return "".join(text), " ".join(typ)


def expansion(fn: Function, a: Fraction, da: Fraction) -> Expansion | None:
    """Expand f(a+Δa) in powers of Δa (polynomials only; None otherwise).

    >>> from lessonkit.maths.lookup import get_function
    >>> e = expansion(get_function("square"), Fraction(2), Fraction(1, 1000))
    >>> e.symbolic()
    '(a+Δa)² = a² + 2aΔa + (Δa)²'
    >>> e.numeric()
    '4.004001 = 4 + 0.004 + 0.000001'
    """
    if fn.coefficients is None:
        return None
    check_point(fn, a)
    check_nudge(da)
    coeffs = fn.coefficients
    degree = len(coeffs) - 1
    monomial = sum(1 for c in coeffs if c) == 1
    terms: list[Term] = []
    for k in range(degree + 1):
        # k-th Taylor coefficient: sum_n c_n C(n, k) a^(n-k), times Δa^k
        value = Fraction(0)
        used = [
            (c * comb(n, k), n - k) for n, c in reversed(list(enumerate(coeffs))) if c and n >= k
        ]
        if not used:
            continue
        for coef, power in used:
            value += coef * a**power
        if len(used) == 1:
            text, typ = _monomial(used[0][0], used[0][1], k)
        else:
            # several powers of a share this power of Δa: (3a² - 2)Δa, highest power first
            inner = [_monomial(coef, power, 0) for coef, power in used]
            da_text, da_typ = _monomial(1, 0, k) if k else ("", "")
            text = "(" + signed_sum([t for t, _ in inner]) + ")" + da_text
            typ = "(" + signed_sum([t for _, t in inner]) + ")" + (" " + da_typ if k else "")
        terms.append(Term(k, text, typ, Value(value * da**k)))
    if monomial:
        n = degree
        c = coeffs[n]
        prefix = "" if c == 1 else str(c)
        power_text = str(n).translate(_SUPERSCRIPT) if n > 1 else ""
        lhs_text = f"{prefix}(a+Δa){power_text}"
        lhs_typst = f"{prefix}(a + Delta a)" + (f"^{n}" if n > 1 else "")
    else:
        lhs_text, lhs_typst = "f(a+Δa)", "f(a + Delta a)"
    total = fn.value(a + da)
    assert sum((t.value.q for t in terms), Fraction(0)) == total.q
    return Expansion(lhs_text, lhs_typst, tuple(terms), total)
