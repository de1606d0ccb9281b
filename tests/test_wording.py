"""Caption templates: `{x}` and `{=x}` placeholders filled from exact and rounded values.

Pure and fast. Expected texts are written out by hand, or computed here with Decimal.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from fractions import Fraction

import pytest

from lessonkit.base.errors import LessonError
from lessonkit.lesson.wording import check_template, fill, placeholders
from lessonkit.maths.numbers import Value

F = Fraction

VALUES: dict[str, Value | str] = {
    "df": Value(F(4001, 1_000_000)),  # exact: 0.004001
    "ratio": Value(F(1, 3)),  # exact but not terminating: printed rounded
    "slope": Value(F(1, 2), exact=False),  # approximate, however short
    "title": "f(a) = a²",
}


def rounded(q: Fraction, digits: int) -> str:
    """q rounded half-even to `digits` significant digits, computed independently."""
    with localcontext() as ctx:
        ctx.prec = 60
        d = Decimal(q.numerator) / Decimal(q.denominator)
        r = d.quantize(Decimal(1).scaleb(d.adjusted() - digits + 1), rounding=ROUND_HALF_EVEN)
    text = format(r, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def test_exact_value_prints_every_digit() -> None:
    assert fill("f rises by {df}.", VALUES, 10) == "f rises by 0.004001."
    assert fill("Δf {=df}.", VALUES, 10) == "Δf = 0.004001."
    # digits round only what is not exact
    assert fill("{df}", VALUES, 2) == "0.004001"


@pytest.mark.parametrize("digits", [1, 4, 10, 25])
def test_rounded_value_is_marked(digits: int) -> None:
    text = rounded(F(1, 3), digits)
    assert fill("Δf/Δa {ratio}", VALUES, digits) == f"Δf/Δa ≈{text}"
    assert fill("Δf/Δa {=ratio}", VALUES, digits) == f"Δf/Δa ≈ {text}"


def test_approximate_value_is_marked_even_when_short() -> None:
    assert fill("{slope}|{=slope}", VALUES, 10) == "≈0.5|≈ 0.5"


def test_text_value_is_inserted_as_it_is() -> None:
    assert fill("This is {title}.", VALUES, 10) == "This is f(a) = a²."


def test_doubled_braces_are_braces() -> None:
    assert fill("{{df}} is {df}; a set {{1, 2}}", VALUES, 10) == "{df} is 0.004001; a set {1, 2}"
    assert placeholders("{{x}} {{{df}}}") == [(False, "df")]
    assert fill("{{{df}}}", VALUES, 10) == "{0.004001}"


def test_placeholders_in_order_with_relation() -> None:
    assert placeholders("Δf {=df} at a = {a}, {df}") == [(True, "df"), (False, "a"), (False, "df")]
    assert placeholders("no values here.") == []


@pytest.mark.parametrize("template", ["a { b", "a } b", "{df", "df}", "{1df}", "{ df }", "{=}"])
def test_stray_braces_are_errors(template: str) -> None:
    with pytest.raises(LessonError, match=r"^caption: a lone '[{}]' in .*write \{\{ or \}\}"):
        fill(template, VALUES, 10)


def test_stray_brace_message_names_where() -> None:
    with pytest.raises(LessonError) as info:
        placeholders("oops {", where="part 'square', captions.graph")
    message = str(info.value)
    assert message.startswith("part 'square', captions.graph: a lone '{' in 'oops {'")
    assert "\n" not in message


def test_unknown_placeholder_has_did_you_mean() -> None:
    with pytest.raises(LessonError) as info:
        fill("Δf is {dff}.", VALUES, 10)
    assert str(info.value) == (
        "caption: unknown placeholder {dff}; did you mean {df}? "
        "this step has {df}, {ratio}, {slope}, {title}"
    )


def test_unknown_placeholder_without_a_close_name_lists_the_names() -> None:
    with pytest.raises(LessonError) as info:
        check_template("{zzzzzz}", ["df", "ratio"], where="caption")
    message = str(info.value)
    assert "did you mean" not in message
    assert message == "caption: unknown placeholder {zzzzzz}; this step has {df}, {ratio}"


def test_relation_on_a_text_value_is_an_error() -> None:
    with pytest.raises(LessonError) as info:
        fill("This is {=title}.", VALUES, 10)
    assert str(info.value) == "caption: {=title} is text, not a number: write {title}"


def test_check_template_accepts_known_names_and_braces() -> None:
    check_template("{{ {=df} }} {ratio}", ["df", "ratio"])  # no error


def test_long_template_is_shortened_in_messages() -> None:
    template = "x" * 100 + " {"
    with pytest.raises(LessonError) as info:
        placeholders(template)
    assert "x" * 57 + "..." in str(info.value)
    assert "x" * 58 not in str(info.value)
