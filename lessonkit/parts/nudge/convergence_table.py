"""The convergence table in the panel: Δa against Δf/Δa, one row per nudge, then f'(a)."""

from __future__ import annotations

from manim import DOWN, LEFT, RIGHT, Line, MathTypst, VGroup

from lessonkit.draw import palette
from lessonkit.maths.nudge import Nudge
from lessonkit.maths.numbers import Value
from lessonkit.parts.nudge.readouts import PANEL_LEFT, PANEL_RIGHT
from lessonkit.parts.nudge.sums import ONE_OFF

__all__ = ["ConvergenceTable"]


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
        # at a kink the row's slope is one-sided: f'(0⁺) from the right, f'(0⁻) from the left
        side = ("^+" if row.side > 0 else "^-") if row.kink else ""
        lead = f"f'({row.a.text()}{side})"
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
