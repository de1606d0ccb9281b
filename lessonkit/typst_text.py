"""An author's plain text as Typst markup: every character shows as written.

Lesson files hold plain words; Typst gives `*`, `_`, `#`, `$` and others a meaning, so
they are escaped here, and a line break in the text becomes a Typst line break.
"""

from __future__ import annotations

__all__ = ["markup"]

_SPECIAL = set('\\*_#$@<>[]`~=-+/"')


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
