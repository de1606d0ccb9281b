"""Numbers that know whether they are exact, parsed and printed without binary-float slips.

Every value lessonkit shows (tables, captions, on-screen readouts) passes through here, so
that 2.001² prints as 4.004001 everywhere and a rounded logarithm is always marked as rounded.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation, localcontext
from fractions import Fraction

from lessonkit.base.errors import LessonError

__all__ = [
    "SIGNIFICANT_DIGITS",
    "SCREEN_DIGITS",
    "Value",
    "parse_number",
    "format_fraction",
    "decimal_places",
]

#: Significant digits printed for values that are not exact (logarithms and the like) in
#: tables and wherever no lesson says otherwise.
SIGNIFICANT_DIGITS = 10
#: The same on screen and in captions, unless a lesson sets `digits`: five, as the lecture
#: writes them (f(2) ≈ 0.69315); ten crowd the readout panel.
SCREEN_DIGITS = 5

#: Limits on a number typed by an author: digits beyond these cannot be shown or drawn.
MAX_SIGNIFICANT = 30
MAX_NUMBER_CHARS = 60
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")

#: Working precision for transcendental arithmetic: far beyond what is shown, so that
#: differences such as log(2.001) - log(2) keep every displayed digit.
WORKING_DIGITS = 60


def _terminating(q: Fraction) -> bool:
    """True when q has a finite decimal expansion (its denominator is 2^i 5^j)."""
    d = q.denominator
    for p in (2, 5):
        while d % p == 0:
            d //= p
    return d == 1


def format_fraction(q: Fraction) -> str | None:
    """The exact decimal text of q, or None when its expansion does not terminate.

    >>> format_fraction(Fraction(4004001, 1000000))
    '4.004001'
    >>> format_fraction(Fraction(-1, 8))
    '-0.125'
    >>> format_fraction(Fraction(1, 3)) is None
    True
    """
    if not _terminating(q):
        return None
    sign = "-" if q < 0 else ""
    q = abs(q)
    places = 0
    while (q * 10**places).denominator != 1:
        places += 1
    digits = str(int(q * 10**places)).rjust(places + 1, "0")
    if places == 0:
        return sign + digits
    return f"{sign}{digits[:-places]}.{digits[-places:]}"


def _round_significant(q: Fraction, digits: int) -> str:
    """q rounded half-even to `digits` significant digits, in plain (non-exponent) notation."""
    if q == 0:
        return "0"
    with localcontext() as ctx:
        ctx.prec = WORKING_DIGITS
        d = Decimal(q.numerator) / Decimal(q.denominator)
        exponent = d.adjusted() - digits + 1
        rounded = d.quantize(Decimal(1).scaleb(exponent))
    text = format(rounded, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


@dataclass(frozen=True, order=True)
class Value:
    """A real number held as a fraction, flagged exact or approximate.

    Exact values come from rational arithmetic and print every digit; approximate values
    (logarithms) are held to WORKING_DIGITS and print SIGNIFICANT_DIGITS, marked with "≈".
    """

    q: Fraction
    exact: bool = True

    @classmethod
    def of(cls, x: int | str | Fraction | Decimal, exact: bool = True) -> Value:
        return cls(Fraction(x), exact)

    def __float__(self) -> float:
        return float(self.q)

    def __add__(self, other: Value) -> Value:
        return Value(self.q + other.q, self.exact and other.exact)

    def __sub__(self, other: Value) -> Value:
        return Value(self.q - other.q, self.exact and other.exact)

    def __mul__(self, other: Value) -> Value:
        return Value(self.q * other.q, self.exact and other.exact)

    def __truediv__(self, other: Value) -> Value:
        return Value(self.q / other.q, self.exact and other.exact)

    def __neg__(self) -> Value:
        return Value(-self.q, self.exact)

    @property
    def shows_exactly(self) -> bool:
        """True when the printed text is the value itself, not a rounding of it."""
        return self.exact and _terminating(self.q)

    def text(self, digits: int = SIGNIFICANT_DIGITS) -> str:
        """Exact decimal text when possible, otherwise `digits` significant digits.

        >>> Value.of("4.004001").text()
        '4.004001'
        >>> Value(Fraction(1, 3)).text(4)
        '0.3333'
        """
        if self.shows_exactly:
            exact = format_fraction(self.q)
            assert exact is not None
            return exact
        return _round_significant(self.q, digits)

    def marked(self, digits: int = SIGNIFICANT_DIGITS) -> str:
        """Like text(), prefixed with "≈" when the text is a rounding.

        >>> Value(Fraction(1, 3)).marked(3)
        '≈0.333'
        """
        return self.text(digits) if self.shows_exactly else "≈" + self.text(digits)


def decimal_places(text: str) -> int:
    """How many digits follow the decimal point in a number's text.

    >>> decimal_places("4.004001"), decimal_places("12"), decimal_places("≈0.5")
    (6, 0, 1)
    """
    return len(text.split(".", 1)[1]) if "." in text else 0


def parse_number(text: str, what: str = "number") -> Fraction:
    """Parse decimal text ("2", "0.001", "1e-3") exactly, refusing NaN and infinities.

    >>> parse_number("0.001")
    Fraction(1, 1000)
    >>> parse_number("nan", "--at")
    Traceback (most recent call last):
    ...
    lessonkit.base.errors.LessonError: --at must be a finite number, got 'nan'
    """
    cleaned = text.strip()
    shown = cleaned if len(cleaned) <= 24 else cleaned[:20] + "..."
    if len(cleaned) > MAX_NUMBER_CHARS:
        raise LessonError(
            f"{what} {shown!r} is {len(cleaned)} characters long; "
            f"a number has at most {MAX_SIGNIFICANT} significant digits"
        )
    if not _NUMBER.fullmatch(cleaned):
        if cleaned.lower().lstrip("+-") in ("nan", "snan", "inf", "infinity"):
            raise LessonError(f"{what} must be a finite number, got {text!r}")
        raise LessonError(f"{what} must be a decimal number such as 2 or 0.001, got {shown!r}")
    try:
        d = Decimal(cleaned)
    except (InvalidOperation, ValueError):
        raise LessonError(
            f"{what} must be a decimal number such as 2 or 0.001, got {shown!r}"
        ) from None
    significant = "".join(map(str, d.as_tuple().digits)).strip("0")
    if len(significant) > MAX_SIGNIFICANT:
        raise LessonError(f"{what} {shown!r} has more than {MAX_SIGNIFICANT} significant digits")
    if d != 0 and abs(d.adjusted()) > 300:
        raise LessonError(f"{what} {text!r} is too large or too small to draw or print")
    q = Fraction(d)
    if not math.isfinite(float(q)):
        raise LessonError(f"{what} {text!r} overflows")
    return q
