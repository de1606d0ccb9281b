"""lessonkit.maths.numbers: exact parsing, exact printing, and honest rounding marks."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from lessonkit.base.errors import LessonError
from lessonkit.maths.numbers import (
    SIGNIFICANT_DIGITS,
    Value,
    decimal_places,
    format_fraction,
    parse_number,
)


def test_significant_digits_is_ten() -> None:
    assert SIGNIFICANT_DIGITS == 10


def test_lesson_error_is_a_value_error() -> None:
    # The CLI and callers may catch ValueError; LessonError must be one.
    assert issubclass(LessonError, ValueError)


# --- format_fraction -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("q", "text"),
    [
        (Fraction(0), "0"),
        (Fraction(4), "4"),
        (Fraction(-3), "-3"),
        (Fraction(4004001, 1000000), "4.004001"),
        (Fraction(8012006001, 10**9), "8.012006001"),
        (Fraction(1, 10**6), "0.000001"),
        (Fraction(-1, 8), "-0.125"),
        (Fraction(1, 2), "0.5"),
        (Fraction(25010001, 10**6), "25.010001"),
        (Fraction(123, 1), "123"),
        (Fraction(1000), "1000"),
        (Fraction(-21, 20), "-1.05"),
    ],
)
def test_format_fraction_terminating(q: Fraction, text: str) -> None:
    assert format_fraction(q) == text
    # Round trip: the text is the value, digit for digit.
    assert Fraction(text) == q


@pytest.mark.parametrize("q", [Fraction(1, 3), Fraction(2, 7), Fraction(-1, 6), Fraction(1, 12)])
def test_format_fraction_non_terminating_is_none(q: Fraction) -> None:
    assert format_fraction(q) is None


# --- Value -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("q", "text"),
    [
        (Fraction("4.004001"), "4.004001"),
        (Fraction("4.001"), "4.001"),
        (Fraction("8.012006001"), "8.012006001"),
        (Fraction(12), "12"),
        (Fraction("0.5"), "0.5"),
        (Fraction("-0.000124958349"), "-0.000124958349"),
    ],
)
def test_exact_terminating_value_prints_every_digit_unmarked(q: Fraction, text: str) -> None:
    v = Value(q)
    assert v.shows_exactly
    assert v.text() == text
    assert v.marked() == text
    assert not v.marked().startswith("≈")


@pytest.mark.parametrize(
    ("q", "exact", "digits", "text"),
    [
        (Fraction(2, 3), False, 10, "0.6666666667"),
        (Fraction(1, 3), True, 10, "0.3333333333"),  # exact but never terminates
        (Fraction(1, 3), True, 4, "0.3333"),
        (Fraction(123456789012345), False, 10, "123456789000000"),
        (Fraction("0.5"), False, 10, "0.5"),  # trailing zeros are not printed
        (Fraction(-2, 3), False, 10, "-0.6666666667"),
        (Fraction(1, 7000000), False, 10, "0.0000001428571429"),
        # half-even rounding at the 10th significant digit
        (Fraction("0.12345678905"), False, 10, "0.123456789"),
        (Fraction("0.12345678915"), False, 10, "0.1234567892"),
    ],
)
def test_rounded_value_text_and_mark(q: Fraction, exact: bool, digits: int, text: str) -> None:
    v = Value(q, exact)
    assert not v.shows_exactly
    assert v.text(digits) == text
    assert v.marked(digits) == "≈" + text


def test_rounded_text_never_uses_exponent_notation() -> None:
    for q in (Fraction(1, 3 * 10**20), Fraction(10**25, 3)):
        text = Value(q, exact=False).text()
        assert "e" not in text.lower()
        # still 10 significant digits
        digits = text.replace(".", "").lstrip("0")
        assert len(digits.rstrip("0")) <= SIGNIFICANT_DIGITS


def test_value_of_accepts_int_str_fraction_decimal() -> None:
    assert Value.of(2) == Value(Fraction(2))
    assert Value.of("0.001") == Value(Fraction(1, 1000))
    assert Value.of(Fraction(1, 8)).text() == "0.125"
    assert Value.of(Decimal("2.001")).q == Fraction(2001, 1000)
    assert Value.of("1", exact=False).exact is False


def test_value_arithmetic_is_exact_and_tracks_exactness() -> None:
    a = Value.of("2.001")
    b = Value.of("2")
    assert (a * a).q == Fraction(2001, 1000) ** 2
    assert (a * a).text() == "4.004001"
    assert ((a * a - b * b) / Value.of("0.001")).text() == "4.001"
    assert (a + b).q == Fraction(4001, 1000)
    assert (-a).q == Fraction(-2001, 1000)
    approx = Value(Fraction(1, 2), exact=False)
    for result in (a + approx, a - approx, a * approx, a / approx, -approx):
        assert result.exact is False
        assert result.marked().startswith("≈")
    assert (a + b).exact and (a - b).exact and (a * b).exact and (a / b).exact


def test_value_float_conversion() -> None:
    assert float(Value.of("4.004001")) == 4.004001


# --- decimal_places ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "places"),
    [("4.004001", 6), ("12", 0), ("≈0.5", 1), ("-0.000124958349", 12), ("0", 0)],
)
def test_decimal_places(text: str, places: int) -> None:
    assert decimal_places(text) == places


# --- parse_number ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2", Fraction(2)),
        ("0.001", Fraction(1, 1000)),
        ("1e-3", Fraction(1, 1000)),
        ("1E3", Fraction(1000)),
        ("-0.5", Fraction(-1, 2)),
        ("+5", Fraction(5)),
        ("  2.5  ", Fraction(5, 2)),
        (".5", Fraction(1, 2)),
        ("2.", Fraction(2)),
        ("0.1", Fraction(1, 10)),  # exactly a tenth, not the binary float 0.1
        ("1e300", Fraction(10**300)),
        ("-0", Fraction(0)),
    ],
)
def test_parse_number_exact(text: str, value: Fraction) -> None:
    """Plain decimals only (no "1_000": an underscore is refused, not silently dropped)."""
    q = parse_number(text)
    assert isinstance(q, Fraction)
    assert q == value


def test_parse_number_is_not_binary_float() -> None:
    assert parse_number("0.1") != Fraction(0.1)
    assert parse_number("2.001") ** 2 == Fraction(4004001, 10**6)


@pytest.mark.parametrize(
    "text", ["nan", "NaN", "-nan", "snan", "inf", "-inf", "Infinity", "-Infinity"]
)
def test_parse_number_refuses_non_finite(text: str) -> None:
    with pytest.raises(LessonError, match="finite"):
        parse_number(text, "--at")


@pytest.mark.parametrize("text", ["1e400", "-1e400", "1e-400", "1e301"])
def test_parse_number_refuses_out_of_range(text: str) -> None:
    with pytest.raises(LessonError, match="too large or too small"):
        parse_number(text, "--at")


@pytest.mark.parametrize("text", ["", "   ", "two", "1/2", "0x10", "2,5", "1.2.3", "--", "½"])
def test_parse_number_refuses_non_numbers(text: str) -> None:
    with pytest.raises(LessonError, match="decimal number"):
        parse_number(text, "--at")


def test_parse_number_error_names_the_option_and_input() -> None:
    with pytest.raises(LessonError) as info:
        parse_number("nan", "--nudge")
    message = str(info.value)
    assert "--nudge" in message
    assert "'nan'" in message
    assert "\n" not in message
