"""An author's plain text as Typst markup: every character shows as written.

Lesson files hold plain words; Typst gives `*`, `_`, `#`, `$` and others a meaning, so
they are escaped here, and a line break in the text becomes a Typst line break.
"""

from __future__ import annotations

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
    r"""Like `markup`, with each word kept whole when Typst wraps the line.

    Typst may break Korean between any two syllables; Korean is wrapped between words
    (as CSS's word-break: keep-all), so every space-separated word becomes an unbreakable
    box. English words never break either (no hyphenation).

    >>> markup_words("기울기는 점마다")
    '#box[기울기는] #box[점마다]'
    >>> markup_words("a*b\nc")
    '#box[a\\*b] \\ #box[c]'
    """
    lines = []
    for line in text.split("\n"):
        words = [markup(word) for word in line.split()]
        lines.append(" ".join(f"#box[{w}]" for w in words))
    return " \\ ".join(lines)
