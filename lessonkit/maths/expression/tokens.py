"""The tokenizer: expression text to numbers, names, operators and superscripts.

Accepts only ASCII decimals, letters, the usual operators (and their typeset forms such as
U+2212 minus, · and ×), π, σ (sigmoid), the bars of |x| and superscript exponents; everything
else is refused at its column.
Number literals are held exactly as `Fraction` and bounded in digits and magnitude. With
`names` (an expression of a computation graph), a name is letters and digits after them (w1,
yhat): one token however it goes on, so w1x1 is one (unknown) name, never w1 times x1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from lessonkit.maths.expression.limits import MAX_DIGITS, MAX_MAGNITUDE
from lessonkit.maths.expression.problems import ParseFailure, quoted


@dataclass(frozen=True)
class Token:
    kind: str  # "num", "name", "op", "sup", "end"
    text: str
    column: int  # 1-based column of the first character in the original text
    value: Fraction = Fraction(0)


_NUMBER = re.compile(r"(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", re.ASCII)
_NAME = re.compile(r"[A-Za-z]+", re.ASCII)
_NAME_WITH_DIGITS = re.compile(r"[A-Za-z][A-Za-z0-9]*", re.ASCII)
_SUPERSCRIPTS = {
    "⁰": "0",
    "¹": "1",
    "²": "2",
    "³": "3",
    "⁴": "4",
    "⁵": "5",
    "⁶": "6",
    "⁷": "7",
    "⁸": "8",
    "⁹": "9",
    "⁻": "-",
}
_OPERATORS = {
    "+": "+",
    "-": "-",
    "−": "-",  # U+2212 minus sign
    "*": "*",
    "·": "*",
    "⋅": "*",
    "×": "*",
    "/": "/",
    "÷": "/",
    "^": "^",
    "(": "(",
    ")": ")",
    ",": ",",
    "|": "|",
}
#: Greek letters read as names
_LETTERS = {"π": "pi", "σ": "sigmoid"}
SPACES = " \t\u00a0"


def _number(literal: str, column: int) -> Fraction:
    mantissa, _, exponent_text = literal.lower().partition("e")
    whole, _, part = mantissa.partition(".")
    digits = (whole + part).lstrip("0")
    significant = digits.rstrip("0")
    if len(significant) > MAX_DIGITS:
        raise ParseFailure(
            f"number {quoted(literal, 24)} has more than {MAX_DIGITS} significant digits", column
        )
    if len(exponent_text.lstrip("+-").lstrip("0")) > 4:
        raise ParseFailure(f"number {quoted(literal, 24)} is too large or too small", column)
    exponent = int(exponent_text or "0")
    if not significant:
        return Fraction(0)
    # the position of the leading digit: 10^adjusted <= value < 10^(adjusted + 1)
    adjusted = exponent + len(whole.lstrip("0")) - 1 if whole.lstrip("0") else None
    if adjusted is None:
        adjusted = exponent - (len(part) - len(part.lstrip("0"))) - 1
    if not -MAX_MAGNITUDE <= adjusted < MAX_MAGNITUDE:
        raise ParseFailure(
            f"number {quoted(literal, 24)} is too large or too small "
            f"(use magnitudes from 1e-{MAX_MAGNITUDE} to 1e{MAX_MAGNITUDE})",
            column,
        )
    value = Fraction(int(whole or "0") * 10 ** len(part) + int(part or "0"), 10 ** len(part))
    return value * Fraction(10) ** exponent


def tokenize(text: str, names: bool = False) -> list[Token]:
    """The tokens of the text, ending with an "end" token; `names` lets digits follow letters
    in a name (w1)."""
    pattern = _NAME_WITH_DIGITS if names else _NAME
    tokens: list[Token] = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        column = i + 1
        if ch in SPACES:
            i += 1
            continue
        if ch.isascii() and (ch.isdigit() or ch == "."):
            match = _NUMBER.match(text, i)
            if match is None:
                raise ParseFailure("'.' is not allowed here (write 0.5, not .)", column)
            literal = match.group()
            tokens.append(Token("num", literal, column, _number(literal, column)))
            i = match.end()
            continue
        if ch.isascii() and ch.isalpha():
            match = pattern.match(text, i)
            assert match is not None
            tokens.append(Token("name", match.group(), column))
            i = match.end()
            continue
        if ch in _LETTERS:
            tokens.append(Token("name", _LETTERS[ch], column))
            i += 1
            continue
        if ch in _SUPERSCRIPTS:
            j = i
            while j < n and text[j] in _SUPERSCRIPTS:
                j += 1
            run = "".join(_SUPERSCRIPTS[c] for c in text[i:j])
            if not re.fullmatch(r"-?[0-9]{1,3}", run):
                raise ParseFailure(
                    f"superscript {quoted(text[i:j], 12)} is not an exponent", column
                )
            tokens.append(Token("sup", text[i:j], column, Fraction(int(run))))
            i = j
            continue
        if ch == "*" and text.startswith("**", i):
            tokens.append(Token("op", "^", column))
            i += 2
            continue
        if ch in _OPERATORS:
            tokens.append(Token("op", _OPERATORS[ch], column))
            i += 1
            continue
        if ch == "=":
            raise ParseFailure(
                "'=' is not allowed (write only the right-hand side, e.g. a^2)", column
            )
        raise ParseFailure(f"{ch!r} is not allowed", column)
    tokens.append(Token("end", "", n + 1))
    return tokens
