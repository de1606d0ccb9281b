"""An author's plain text as Typst markup: every character shows as written.

Lesson files hold plain words; Typst gives `*`, `_`, `#`, `$` and others a meaning, so
they are escaped here, and a line break in the text becomes a Typst line break.
"""

from __future__ import annotations

import re

__all__ = ["markup", "markup_words", "substitute_point"]

_SPECIAL = set('\\*_#$@<>[]`~=-+/"')


def substitute_point(template: str, point: str) -> str:
    """f'(a) with the point's text for "{a}", in parentheses when it is negative.

    >>> substitute_point("6 dot {a}", "-1"), substitute_point("3 dot ({a})^2", "-2")
    ('6 dot (-1)', '3 dot (-2)^2')
    >>> substitute_point("2 dot {a}", "5")
    '2 dot 5'
    """
    wrapped = f"({point})" if point.startswith("-") else point
    return template.replace("({a})", f"({point})").replace("{a}", wrapped)


def markup(text: str) -> str:
    r"""Typst markup that shows `text` literally, "\n" breaking the line.

    >>> markup("a*b = 2_3")
    'a\\*b \\= 2\\_3'
    >>> markup("one,\ntwo")
    'one, \\ two'
    """
    lines = []
    for line in text.split("\n"):
        lines.append("".join("\\" + c if c in _SPECIAL else c for c in line.strip()))
    return " \\ ".join(lines)


def markup_words(text: str) -> str:
    """Like `markup`, with each word kept whole when Typst wraps the line.

    Typst may break Korean (and Chinese, Japanese) between any two characters; Korean is
    wrapped between words (as CSS's word-break: keep-all), so a word joiner (U+2060, no
    width, no glyph) goes between the letters of such words. English words never break
    (no hyphenation). Word joiners rather than Typst boxes: boxed words come out of
    Manim's SVG import unevenly spaced in centred lines.

    >>> markup_words("기울기는 점마다") == "기\u2060울\u2060기\u2060는 점\u2060마\u2060다"
    True
    >>> markup_words("a, 가나") == "a, 가\u2060나"
    True
    """
    return markup(_JOINED.sub("\u2060", text))


#: between two letters of a word where one of them is Hangul or CJK: where Typst would
#: otherwise allow a line break
_WIDE = "\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u9fff\uac00-\ud7a3\uf900-\ufaff"
_JOINED = re.compile(f"(?<=[{_WIDE}])(?=[^\\s])|(?<=[^\\s])(?=[{_WIDE}])")
