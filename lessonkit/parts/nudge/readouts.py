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
from lessonkit.maths.layout import FRAME_HEIGHT, FRAME_WIDTH, round_zoom
from lessonkit.maths.nudge import Nudge
from lessonkit.maths.numbers import Value, decimal_places

__all__ = [
    "LiveNumber",
    "LabelledNumber",
    "fit_text",
    "number_width",
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

    The relation switches between "=" and "≈" with the value shown (an exact value too long
    for the panel is shown rounded). The number's left edge stays put, so the readout never
    jitters as digits change.
    """

    def __init__(
        self, name: str, color: str, font_size: float, relation: str = "=", gap: float = 0.12
    ) -> None:
        self.label_name = name
        self.color_name = color
        self.font_size_pt = font_size
        self.relation = relation
        self.label = self._typeset(relation)
        self._home = {relation: self.label.height}
        self._labels = {relation: self.label}
        self.number = LiveNumber(font_size, color)
        self.number.next_to(self.label, RIGHT, buff=gap)
        super().__init__(self.label, self.number)

    def _typeset(self, relation: str) -> MathTypst:
        label = MathTypst(f"{self.label_name} {relation}", font_size=self.font_size_pt)
        return label.set_color(self.color_name)

    @property
    def home_height(self) -> float:
        """The label's height as typeset (before any zoom scaling)."""
        return self._home[self.relation]

    def show(self, value: float, text: str, exact: bool = False) -> None:
        """Display `value` with the decimals of the math module's `text`; with `exact`,
        display `text` itself (the value at rest, digit for digit)."""
        digits = text.removeprefix("≈")
        self.number.show(value, decimal_places(digits), digits if exact else None)

    def show_text(self, text: str, exact: bool) -> None:
        """Display `text` (the math module's digits) after "=" when `exact`, else "≈"."""
        self.set_relation("=" if exact else "approx")
        self.number.show_text(text)

    def set_relation(self, relation: str) -> None:
        """Swap the label for one ending in `relation`, at the same scale, colour, layer
        and place (right edges and baselines kept, next to the number)."""
        if relation == self.relation:
            return
        old = self.label
        new = self._labels.get(relation)
        if new is None:
            new = self._typeset(relation)
            self._labels[relation] = new
            self._home[relation] = new.height
        scale = old.height / self._home[self.relation]
        new.scale(scale * self._home[relation] / new.height)
        new.move_to(old.get_corner(DOWN + RIGHT), aligned_edge=DOWN + RIGHT)
        drawn = old.family_members_with_points()  # the group itself has no fill of its own
        new.set_fill(opacity=drawn[0].get_fill_opacity() if drawn else 1.0)
        new.set_z_index(old.z_index)
        pinned = getattr(old, HUD_FLAG, False)
        for member in new.get_family():
            if pinned:
                setattr(member, HUD_FLAG, True)
            elif HUD_FLAG in vars(member):
                delattr(member, HUD_FLAG)
        self.submobjects[self.submobjects.index(old)] = new
        self.label = new
        self.relation = relation


class ReadoutPanel(VGroup):
    """The right-hand panel: background, six readouts, and room for the table below.

    The background runs past the frame's top, right and bottom edges: a sidebar, of which
    only the left border shows, so that no piece of the zoomed picture (curve, secant, axis)
    can be seen beside, above or over it.
    """

    FIELDS = (
        ("a", "a", palette.POINT),
        ("f_a", "f(a)", palette.POINT),
        ("da", "Delta a", palette.NUDGE_A),
        ("f_a_da", "f(a + Delta a)", palette.TEXT),
        ("df", "Delta f", palette.NUDGE_F),
        ("ratio", "Delta f \\/ Delta a", palette.SLOPE),
    )
    #: how far the sidebar's background reaches past the frame's edges (hides its corners)
    OVERHANG = 0.5

    def __init__(self, sample: Nudge) -> None:
        left = PANEL_LEFT - 0.1
        right = FRAME_WIDTH / 2 + self.OVERHANG
        height = FRAME_HEIGHT + 2 * self.OVERHANG
        self.background = RoundedRectangle(
            width=right - left,
            height=height,
            corner_radius=0.15,
            fill_color=palette.PANEL_FILL,
            fill_opacity=1.0,
            stroke_color=palette.MUTED,
            stroke_width=1,
        ).move_to([(left + right) / 2, 0, 0])
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
        #: what each readout shows: (text, exact), for the leg labels to repeat
        self.shown: dict[str, tuple[str, bool]] = {}
        self._row: Nudge | None = None
        super().__init__(self.background, self.point_rows)
        self.show(sample)

    @property
    def table_top(self) -> float:
        return PANEL_TOP - 0.45 - len(self.FIELDS) * ROW_HEIGHT - 0.05

    def show(self, row: Nudge) -> None:
        """Show one exact row, each value as it fits the panel (see `fit_text`).

        The caller hands in the row to show on this frame (the target at rest, a quantised
        row while moving), so the six values always belong together. Showing the row that
        is already shown costs nothing.
        """
        if row is self._row:
            return
        self._row = row
        for key, _, _ in self.FIELDS:
            readout = self.readouts[key]
            room = PANEL_RIGHT - readout.number.get_left()[0]
            text, exact = fit_text(getattr(row, key), row.digits, room, palette.SIZE_READOUT)
            readout.show_text(text, exact)
            self.shown[key] = (text, exact)


class ZoomBadge(LabelledNumber):
    """'zoom × 3000': how far the camera has zoomed in, as a round number a person would
    say, hidden at the full view. `word` is the badge's word in the lesson's language."""

    def __init__(self, word: str = "zoom", font: str = "") -> None:
        quoted = word.replace("\\", "\\\\").replace('"', '\\"')
        face = f'font: "{font}", ' if font else ""  # the language's font, as on its cards
        super().__init__(
            f'text({face}"{quoted}")', palette.MUTED, palette.SIZE_LABEL, "times", gap=0.1
        )
        self._visible: bool | None = None

    @staticmethod
    def text_for(zoom: float) -> str:
        """The badge's number: the zoom rounded on a 1-1.2-1.5-2-2.5-3-4-5-6-8 ladder.

        >>> [ZoomBadge.text_for(z) for z in (1.13, 2.6, 29.96, 1337, 2998.4)]
        ['1.2', '2.5', '30', '1200', '3000']
        """
        rounded = round_zoom(zoom)
        return str(round(rounded)) if rounded >= 10 else f"{rounded:g}"

    def show_zoom(self, zoom: float) -> None:
        """Show the rounded zoom; invisible while it rounds to 1 (the full view)."""
        self.number.show_text(self.text_for(zoom))
        visible = round_zoom(zoom) > 1
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
        da = MathTypst(row.da.text(), font_size=palette.SIZE_LABEL, use_svg_cache=ONE_OFF)
        da.set_color(palette.NUDGE_A)
        ratio = _fitting_cell("", row.ratio, row.digits, PANEL_RIGHT - self.col_ratio)
        ratio.set_color(palette.SLOPE)
        y = self._row_y(index)
        da.move_to([self.col_da, y, 0], aligned_edge=LEFT)
        ratio.move_to([self.col_ratio, y, 0], aligned_edge=LEFT)
        return VGroup(da, ratio)

    def make_slope_row(self, row: Nudge, index: int) -> VGroup:
        """'f'(2) = 4' under the last ratio, so the two can be compared digit by digit."""
        lead = f"f'({row.a.text()})"
        cell = _fitting_cell(lead, row.slope, row.digits, PANEL_RIGHT - self.col_ratio)
        cell.set_color(palette.SLOPE)
        y = self._row_y(index) - 0.08
        cell.move_to([self.col_ratio, y, 0], aligned_edge=LEFT)
        # an underline sets the exact slope apart from the ratios above it
        underline = Line(cell.get_corner(DOWN + LEFT), cell.get_corner(DOWN + RIGHT))
        underline.shift(0.08 * DOWN).set_stroke(palette.SLOPE, 2)
        return VGroup(cell, underline)


def _fitting_cell(lead: str, value: Value, digits: int, room: float) -> MathTypst:
    """'lead = text' (or 'lead ≈ text') typeset no wider than `room`: the exact text when it
    fits, else rounded to `digits` significant digits, or fewer."""
    texts = [(value.text(), True)] if value.shows_exactly else []
    rounded = Value(value.q, exact=False)
    texts += [(rounded.text(d), False) for d in range(digits, 0, -1)]
    cell = None
    for text, exact in texts:
        relation = "=" if exact or (value.shows_exactly and text == value.text()) else "approx"
        if lead:
            source = f"{lead} {relation} {text}"
        else:
            source = text if relation == "=" else f"approx {text}"
        cell = MathTypst(source, font_size=palette.SIZE_LABEL, use_svg_cache=ONE_OFF)
        if cell.width <= room:
            return cell
    assert cell is not None
    return cell
