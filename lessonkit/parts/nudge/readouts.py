"""The readout panel (live a, f(a), Δa, f(a+Δa), Δf, Δf/Δa) and its labelled numbers.

Readouts are live numbers typeset by MathTypst (live_number.py): each digit is typeset once
and reused, so updating a value every frame moves existing glyphs instead of typesetting new
text. Their left edges are fixed, so they never jitter as digits change. The convergence
table, the zoom badge and wrapped sums that share the panel have modules of their own.
"""

from __future__ import annotations

import numpy as np
from manim import DOWN, RIGHT, MathTypst, RoundedRectangle, VGroup

from lessonkit.draw import palette
from lessonkit.draw.hud import HUD_FLAG
from lessonkit.maths.layout import FRAME_HEIGHT, FRAME_WIDTH
from lessonkit.maths.nudge import Nudge
from lessonkit.maths.numbers import Value, decimal_places
from lessonkit.parts.nudge.live_number import LiveNumber, fit_text

__all__ = [
    "LabelledNumber",
    "ReadoutPanel",
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
