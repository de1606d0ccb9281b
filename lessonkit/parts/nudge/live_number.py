"""A live number: MathTypst glyphs typeset once per process and moved, never typeset again."""

from __future__ import annotations

import copy

import numpy as np
from manim import MathTypst, VMobject

from lessonkit.draw.hud import HUD_FLAG
from lessonkit.draw.manim_compat import PatchedDecimalNumber
from lessonkit.maths.numbers import Value, decimal_places

__all__ = ["DIGIT_BUFF", "number_width", "fit_text", "LiveNumber"]

#: the gap between a number's glyphs, per point of font size (DecimalNumber's default)
DIGIT_BUFF = 0.001


#: (character, font size) -> the glyph's outline, typeset once per process
_GLYPH_POINTS: dict[tuple[str, float], np.ndarray] = {}
#: a bare filled VMobject that new glyphs are shallow-copied from (see `_glyph`)
_GLYPH_PROTOTYPE: VMobject | None = None


def _glyph(char: str, font_size: float) -> VMobject:
    """A fresh filled VMobject with the outline of `char` typeset by MathTypst.

    Why not DecimalNumber's own glyph cache: it deep-copies a whole MathTypst mobject per
    digit, 8.8 ms per readout update at 1080p60 (measured), more than drawing the frame.
    A shallow copy of a bare prototype with its arrays copied costs microseconds.
    """
    global _GLYPH_PROTOTYPE
    key = (char, font_size)
    points = _GLYPH_POINTS.get(key)
    if points is None:
        typeset = MathTypst(char)
        typeset.font_size = font_size
        members = typeset.family_members_with_points()
        points = np.concatenate([m.points for m in members]) if members else np.zeros((0, 3))
        _GLYPH_POINTS[key] = points
    if _GLYPH_PROTOTYPE is None:
        _GLYPH_PROTOTYPE = VMobject(fill_opacity=1.0, stroke_width=0)
    mob = copy.copy(_GLYPH_PROTOTYPE)
    for name, value in list(vars(mob).items()):
        if isinstance(value, np.ndarray):
            setattr(mob, name, value.copy())
        elif isinstance(value, list):
            setattr(mob, name, list(value))
    mob.points = points.copy()  # DecimalNumber zeroes the old glyphs' points in place
    return mob


def _glyph_points(char: str, font_size: float) -> np.ndarray:
    """The outline of `char` at `font_size` (typeset on first use, then cached)."""
    if (char, font_size) not in _GLYPH_POINTS:
        _glyph(char, font_size)
    return _GLYPH_POINTS[(char, font_size)]


def number_width(text: str, font_size: float) -> float:
    """How wide a LiveNumber showing `text` is, in home units, without laying it out:
    the glyphs' widths plus DecimalNumber's gap between glyphs."""
    widths = []
    for char in text:
        points = _glyph_points(char, font_size)
        widths.append(float(np.ptp(points[:, 0])) if len(points) else 0.0)
    buff = DIGIT_BUFF * font_size
    return sum(widths) + buff * max(0, len(text) - 1)


def fit_text(value: Value, digits: int, room: float, font_size: float) -> tuple[str, bool]:
    """(text, exact) for a readout `room` units wide: the exact text when the value has one
    that fits; else the value rounded to `digits` significant digits (marked ≈), or to
    fewer when even that would run past the room (a tiny Δf with many leading zeros)."""
    if value.shows_exactly:
        text = value.text()
        if number_width(text, font_size) <= room:
            return text, True
    rounded = Value(value.q, exact=False)
    text = rounded.text(digits)
    for fewer in range(digits, 0, -1):
        text = rounded.text(fewer)
        if number_width(text, font_size) <= room:
            break
    return text, value.shows_exactly and text == value.text()


class LiveNumber(PatchedDecimalNumber):
    """A MathTypst-typeset DecimalNumber that lays its digits out again only when its text
    changes, so a readout that holds still costs nothing per frame."""

    def __init__(self, font_size: float, color: str | None = None) -> None:
        self._shown: str | None = None  # DecimalNumber's __init__ already asks for the digits
        super().__init__(
            0,
            num_decimal_places=0,
            mob_class=MathTypst,
            group_with_commas=False,
            digit_buff_per_font_unit=DIGIT_BUFF,
            font_size=font_size,
            color=color,
        )

    def show(self, value: float, decimals: int, exact: str | None = None) -> None:
        """Show `value` to `decimals` places, or the digits `exact` when given.

        Floats carry about 16 significant digits; `exact` (the math module's text) is how
        a value such as 8.000012000006000001 reaches the screen digit for digit.
        """
        text = exact if exact is not None else f"{value:.{decimals}f}"
        if text == self._shown:
            return
        self._shown = text
        self.num_decimal_places = decimals
        self._relayout(value)

    def show_text(self, text: str) -> None:
        """Show the math module's `text` digit for digit ("0.001", "-2.5", no exponent)."""
        if text != self._shown:
            self.show(float(text), decimal_places(text), text)

    def new_glyph(self, char: str, styled: bool) -> VMobject:
        """A copy of the glyph of `char` (see `_glyph`), in the number's colour when `styled`."""
        mob = _glyph(char, self._font_size)
        if styled:
            mob.set_fill(self.color, 1.0)
        if getattr(self, HUD_FLAG, False):
            setattr(mob, HUD_FLAG, True)  # new digits of a HUD readout stay on the HUD
        return mob
