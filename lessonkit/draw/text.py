"""Words on screen: paragraphs typeset by Typst in the language's font, wrapped to a width.

Typst breaks lines itself (Korean and English alike, by Unicode's line-breaking rules), so
a sentence that is too long for the frame wraps onto a second line at full size instead of
shrinking until it is unreadable. The width is given in scene units and converted to
Typst points by measuring Typst's own output once per font size.
"""

from __future__ import annotations

from functools import cache

from manim import Mobject, Typst

__all__ = ["CARD_HEIGHT", "CARD_WIDTH", "fit_within", "paragraph", "units_per_point"]

#: the room a full-frame card's words may take: the frame (14.2 x 8) less a margin
CARD_WIDTH = 12.4
CARD_HEIGHT = 7.0


@cache
def units_per_point(font_size: float) -> float:
    """Scene units per Typst point at `font_size`: a 100 pt rule typeset and measured."""
    rule = Typst("#box(width: 100pt, height: 1pt, fill: black)", font_size=font_size)
    return rule.width / 100.0


def paragraph(
    text_markup: str,
    font_size: float,
    width: float,
    font: str = "",
    align: str = "left",
    bold: bool = False,
    number: str = "",
) -> Typst:
    """Typst markup as a block at most `width` scene units wide, lines broken to fit.

    `font` is the language's font family ("" keeps Typst's default); `align` is left or
    center. A `number` ("1.") stands in bold left of the text, and wrapped lines align
    with the text, not the number. The mobject is as wide as its longest line, never
    wider than `width`.
    """
    points = width / units_per_point(font_size)
    body = f"*{text_markup}*" if bold else text_markup
    if number:
        body = f"#grid(columns: (auto, 1fr), column-gutter: 0.35em, [*{number}*], [{body}])"
    settings = f'#set text(font: ("{font}",))\n' if font else ""
    source = (
        f"{settings}#set par(justify: false)\n"
        f"#block(width: {points:.2f}pt)[#set align({align})\n{body}]"
    )
    return Typst(source, font_size=font_size)


def fit_within(group: Mobject, width: float, height: float) -> None:
    """Shrink a card that would still leave the frame after wrapping (very many lines)."""
    if group.width > width:
        group.set(width=width)
    if group.height > height:
        group.set(height=height)
