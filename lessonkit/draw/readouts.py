"""The readout panel (live a, f(a), Δa, f(a+Δa), Δf, Δf/Δa) and the convergence table.

Readouts are `DecimalNumber`s typeset by MathTypst: each digit is typeset once and reused,
so updating a value every frame moves existing glyphs instead of typesetting new text.
Their left edges are fixed, so they never jitter as digits change.
"""

from __future__ import annotations

import copy

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    DecimalNumber,
    Line,
    MathTypst,
    RoundedRectangle,
    VGroup,
    VMobject,
)

from lessonkit.draw import palette
from lessonkit.draw.hud import HUD_FLAG
from lessonkit.nudge import Nudge
from lessonkit.numbers import Value, decimal_places

__all__ = [
    "LiveNumber",
    "LabelledNumber",
    "ZoomBadge",
    "wrap_terms",
    "WRAP_INDENT",
    "ONE_OFF",
    "ReadoutPanel",
    "ConvergenceTable",
    "PANEL_LEFT",
    "PANEL_RIGHT",
    "PANEL_WIDTH",
]

PANEL_LEFT = 2.45
PANEL_RIGHT = 6.85
PANEL_WIDTH = PANEL_RIGHT - PANEL_LEFT
PANEL_TOP = 3.75
PANEL_BOTTOM = -3.75
ROW_HEIGHT = 0.56
VALUE_X = PANEL_LEFT + 2.05  # left edge of every value


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


class LiveNumber(DecimalNumber):
    """A MathTypst-typeset DecimalNumber that lays its digits out again only when its text
    changes, so a readout that holds still costs nothing per frame."""

    def __init__(self, font_size: float, color: str | None = None) -> None:
        self._shown: str | None = None  # DecimalNumber's __init__ already asks for the digits
        super().__init__(
            0,
            num_decimal_places=0,
            mob_class=MathTypst,
            group_with_commas=False,
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

    def _relayout(self, value: float) -> None:
        """DecimalNumber.set_value's layout (left edge and vertical centre kept, bottoms
        aligned, a minus sign raised to the digits' middle) without its per-glyph
        bounding-box queries, style matching and colour resets: about 4 times cheaper
        (measured), for a readout that changes on most frames of a zoom."""
        old = self.submobjects
        scale = self.height / self.initial_height if self.initial_height > 0 else 1.0
        anchor = self.get_edge_center(LEFT) if old else None
        style = old[0] if old else None
        glyphs = [self._string_to_mob(c, styled=style is None) for c in self._get_num_string(value)]
        buff = self.digit_buff_per_font_unit * self._font_size
        x = 0.0
        boxes = []
        for g in glyphs:
            lo, hi = g.points.min(axis=0), g.points.max(axis=0)
            g.points += np.array([x - lo[0], -lo[1], 0.0])
            boxes.append(hi - lo)
            x += hi[0] - lo[0] + buff
        for i, g in enumerate(glyphs[:-1]):
            if self._shown is not None and self._shown[i] == "-":
                # as DecimalNumber: top at the next glyph's top, then down half its height
                nxt = boxes[i + 1][1]
                g.points[:, 1] += nxt - boxes[i][1] - nxt / 2
        if style is not None:
            for g in glyphs:
                g.fill_rgbas = style.fill_rgbas.copy()
            for g in old:
                g.points = np.zeros((0, 3))  # animations holding the old glyphs draw nothing
        self.number = value
        self.submobjects = glyphs
        self.initial_height = self.height
        if anchor is not None:
            if scale != 1.0:
                self.scale(scale, about_point=np.zeros(3))
            self.move_to(anchor, LEFT)
        for g in glyphs:
            g.z_index = self.z_index  # the new digit glyphs keep the number's layer

    def _get_num_string(self, number: float | complex) -> str:
        return self._shown if self._shown is not None else super()._get_num_string(number)

    def _string_to_mob(
        self, string: str, mob_class: object = None, styled: bool = True, **kwargs: object
    ) -> VMobject:
        mob = _glyph(string, self._font_size)
        if styled:
            mob.set_fill(self.color, 1.0)
        if getattr(self, HUD_FLAG, False):
            setattr(mob, HUD_FLAG, True)  # new digits of a HUD readout stay on the HUD
        return mob


class LabelledNumber(VGroup):
    """'Δf/Δa = 4.001': a typeset name, a relation and a live number, in one colour.

    The number's left edge stays put, so the readout never jitters as digits change.
    """

    def __init__(
        self, name: str, color: str, font_size: float, relation: str = "=", gap: float = 0.12
    ) -> None:
        self.label = MathTypst(f"{name} {relation}", font_size=font_size).set_color(color)
        self.number = LiveNumber(font_size, color)
        self.number.next_to(self.label, RIGHT, buff=gap)
        super().__init__(self.label, self.number)
        self.home_height = self.label.height

    def show(self, value: float, text: str, exact: bool = False) -> None:
        """Display `value` with the decimals of the math module's `text`; with `exact`,
        display `text` itself (the value at rest, digit for digit)."""
        digits = text.removeprefix("≈")
        self.number.show(value, decimal_places(digits), digits if exact else None)


class ReadoutPanel(VGroup):
    """The right-hand panel: background, six readouts, and room for the table below."""

    FIELDS = (
        ("a", "a", palette.POINT),
        ("f_a", "f(a)", palette.POINT),
        ("da", "Delta a", palette.NUDGE_A),
        ("f_a_da", "f(a + Delta a)", palette.TEXT),
        ("df", "Delta f", palette.NUDGE_F),
        ("ratio", "Delta f \\/ Delta a", palette.SLOPE),
    )

    def __init__(self, sample: Nudge) -> None:
        self.background = RoundedRectangle(
            width=PANEL_RIGHT - PANEL_LEFT + 0.2,
            height=PANEL_TOP - PANEL_BOTTOM,
            corner_radius=0.15,
            fill_color=palette.PANEL_FILL,
            fill_opacity=1.0,
            stroke_color=palette.MUTED,
            stroke_width=1,
        ).move_to([(PANEL_LEFT + PANEL_RIGHT) / 2, (PANEL_TOP + PANEL_BOTTOM) / 2, 0])
        self.readouts: dict[str, LabelledNumber] = {}
        for i, (key, label, color) in enumerate(self.FIELDS):
            value: Value = getattr(sample, key)
            relation = "=" if value.shows_exactly else "approx"
            r = LabelledNumber(label, color, palette.SIZE_READOUT, relation)
            y = PANEL_TOP - 0.45 - i * ROW_HEIGHT
            r.shift(np.array([VALUE_X - 0.12, y, 0]) - r.label.get_right())  # "=" signs line up
            self.readouts[key] = r
        self.point_rows = VGroup(self.readouts["a"], self.readouts["f_a"])
        self.nudge_rows = VGroup(*(self.readouts[k] for k, _, _ in self.FIELDS[2:]))
        super().__init__(self.background, self.point_rows)

    @property
    def table_top(self) -> float:
        return PANEL_TOP - 0.45 - len(self.FIELDS) * ROW_HEIGHT - 0.05

    def show(self, row: Nudge, a: float, fa: float, da: float, fada: float, at_rest: bool) -> None:
        """Set every readout: floats while moving (with the decimals of the target row),
        the row's exact text when the trackers rest on it."""
        texts = row.as_text()
        r = self.readouts
        r["a"].show(a, texts["a"], at_rest)
        r["f_a"].show(fa, texts["f_a"], at_rest)
        r["da"].show(da, texts["da"], at_rest)
        r["f_a_da"].show(fada, texts["f_a_plus_da"], at_rest)
        r["df"].show(fada - fa, texts["df"], at_rest)
        r["ratio"].show((fada - fa) / da, texts["ratio"], at_rest)


class ZoomBadge(LabelledNumber):
    """'zoom × 2998': how far the camera has zoomed in, hidden at the full view."""

    def __init__(self) -> None:
        super().__init__('text("zoom")', palette.MUTED, palette.SIZE_LABEL, "times", gap=0.1)
        self._visible: bool | None = None

    def show_zoom(self, zoom: float) -> None:
        """The zoom factor (one decimal below 10x, so a slight zoom never reads '× 1');
        invisible below 1.05x."""
        decimals = 1 if zoom < 9.95 else 0
        self.number.show(round(zoom, decimals), decimals)
        visible = zoom >= 1.05
        if visible != self._visible:
            self.set_opacity(1.0 if visible else 0.0)
            self._visible = visible


#: pass as `use_svg_cache` for text typeset once: Manim's SVG cache deep-copies every new
#: mobject into itself, a cost only repeated text earns back
ONE_OFF = False

#: how far a wrapped sum's continuation lines sit to the right of its first line
WRAP_INDENT = 0.45


def wrap_terms(
    lead: str, terms: list[str], max_width: float, font_size: float = palette.SIZE_LABEL
) -> list[MathTypst]:
    """'lead t1 + t2 - t3 ...' typeset as lines no wider than max_width, broken before an
    operator (negative terms fold their sign into it).

    Keeps the type at full size (legible at 480p) instead of shrinking a long sum to fit.
    Continuation lines are narrower by WRAP_INDENT and marked `continued`, so the caller can
    indent them after aligning the lines' left edges.
    """
    lines: list[MathTypst] = []
    current = f"{lead} {terms[0]}"
    for term in terms[1:]:
        joined = f"- {term[1:]}" if term.startswith("-") else f"+ {term}"
        room = max_width - (WRAP_INDENT if lines else 0.0)
        trial = MathTypst(f"{current} {joined}", font_size=font_size, use_svg_cache=False)
        if trial.width <= room:
            current = f"{current} {joined}"
            continue
        lines.append(MathTypst(current, font_size=font_size, use_svg_cache=False))
        current = joined
    lines.append(MathTypst(current, font_size=font_size, use_svg_cache=False))
    for i, line in enumerate(lines):
        line.continued = i > 0
        room = max_width - (WRAP_INDENT if i else 0.0)
        line.scale(min(1.0, room / line.width))
    return lines


class ConvergenceTable(VGroup):
    """Δa against Δf/Δa, one row per nudge, closed by f'(a) in the slope colour."""

    def __init__(self, top: float) -> None:
        self.top = top
        self.col_da = PANEL_LEFT + 0.35
        self.col_ratio = PANEL_LEFT + 2.05
        head_da = MathTypst("Delta a", font_size=palette.SIZE_LABEL).set_color(palette.NUDGE_A)
        head_ratio = MathTypst("Delta f \\/ Delta a", font_size=palette.SIZE_LABEL)
        head_ratio.set_color(palette.SLOPE)
        y = top - 0.3
        head_da.move_to([self.col_da, y, 0], aligned_edge=LEFT)
        head_ratio.move_to([self.col_ratio, y, 0], aligned_edge=LEFT)
        rule = Line([PANEL_LEFT + 0.25, y - 0.27, 0], [PANEL_RIGHT - 0.15, y - 0.27, 0])
        rule.set_stroke(palette.MUTED, 1.5)
        self.header = VGroup(head_da, head_ratio, rule)
        self.rows = VGroup()
        super().__init__(self.header, self.rows)

    def _row_y(self, index: int) -> float:
        return self.top - 0.3 - 0.55 - index * 0.44

    def make_row(self, row: Nudge, index: int) -> VGroup:
        """The cells for one nudge (home coordinates); the caller animates them in."""
        t = row.as_text()
        da = MathTypst(t["da"], font_size=palette.SIZE_LABEL, use_svg_cache=ONE_OFF)
        da.set_color(palette.NUDGE_A)
        ratio_text = t["ratio"].replace("≈", "approx ")
        ratio = MathTypst(ratio_text, font_size=palette.SIZE_LABEL, use_svg_cache=ONE_OFF)
        ratio.set_color(palette.SLOPE)
        y = self._row_y(index)
        da.move_to([self.col_da, y, 0], aligned_edge=LEFT)
        ratio.move_to([self.col_ratio, y, 0], aligned_edge=LEFT)
        return VGroup(da, ratio)

    def make_slope_row(self, row: Nudge, index: int) -> VGroup:
        """'f'(2) = 4' under the last ratio, so the two can be compared digit by digit."""
        a = row.a.text()
        rel = "=" if row.slope.shows_exactly else "approx"
        cell = MathTypst(
            f"f'({a}) {rel} {row.slope.text(row.digits)}",
            font_size=palette.SIZE_LABEL,
            use_svg_cache=ONE_OFF,
        )
        cell.set_color(palette.SLOPE)
        y = self._row_y(index) - 0.08
        cell.move_to([self.col_ratio, y, 0], aligned_edge=LEFT)
        # an underline sets the exact slope apart from the ratios above it
        underline = Line(cell.get_corner(DOWN + LEFT), cell.get_corner(DOWN + RIGHT))
        underline.shift(0.08 * DOWN).set_stroke(palette.SLOPE, 2)
        return VGroup(cell, underline)
