"""The nudge rig: a point on the curve, the Δa-by-Δf triangle, the secant and the zooming camera.

Three `ValueTracker`s drive everything: the point a, log10 Δa and log frame width. Every
mobject here exists once and is moved by updaters, never rebuilt per frame. The legs and
secant are our own `Line`s moved with `put_start_and_end_on`, because
`Axes.get_secant_slope_group` builds new Lines (and MathTex labels) on every call. The
geometry follows the trackers smoothly; the numbers come from one exact row per frame
(`LiveRows`), so that every paused frame adds up.
"""

from __future__ import annotations

import math

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Animation,
    Create,
    Dot,
    FadeIn,
    GrowFromCenter,
    Line,
    Mobject,
    UpdateFromFunc,
    ValueTracker,
    VGroup,
    smooth,
)

from lessonkit.draw import palette
from lessonkit.draw.placement import overlaps
from lessonkit.maths.layout import FRAME_WIDTH, clip_segment
from lessonkit.maths.nudge import Nudge
from lessonkit.parts.nudge.badge import ZoomBadge
from lessonkit.parts.nudge.graph import FunctionGraph
from lessonkit.parts.nudge.live_rows import LiveRows
from lessonkit.parts.nudge.readouts import PANEL_LEFT, LabelledNumber, ReadoutPanel

__all__ = ["NudgeRig"]

DOT_RADIUS = 0.085
LABEL_BUFF = 0.14


def _fit_width(mob: Mobject, width: float) -> None:
    """Scale to `width`; skipped while Manim has collapsed the mobject to a point."""
    if mob.width > 0 and not math.isclose(mob.width, width, rel_tol=1e-12):
        mob.scale(width / mob.width)


def _close(x: float, y: float) -> bool:
    return abs(x - y) <= 1e-9 * max(1.0, abs(y))


class NudgeRig:
    """Everything that moves in a nudge clip, and the animations that move it."""

    def __init__(
        self,
        frame: Mobject,
        graph: FunctionGraph,
        panel: ReadoutPanel,
        first: Nudge,
        start_a: float,
        zoom_word: str = "zoom",
        font: str = "",
    ) -> None:
        self.frame = frame
        self.graph = graph
        self.fn = graph.fn
        self.layout = graph.layout
        self.panel = panel
        self.row = first
        #: the row the trackers move away from (the last target), see `shown_row`
        self.origin = first
        self.live = LiveRows(graph.fn, first.digits)
        self._memo: tuple[float, float, int, Nudge] | None = None
        self.a = ValueTracker(start_a)
        #: log10 |Δa|, and the side nudged from (+1 right, -1 left: Δa < 0)
        self.log_da = ValueTracker(math.log10(abs(float(first.da))))
        self.side = first.side
        self.log_w = ValueTracker(math.log(FRAME_WIDTH))
        self.nudging = False

        self.dot = Dot(radius=DOT_RADIUS, color=palette.POINT).set_z_index(5)
        self.tip = Dot(radius=DOT_RADIUS * 0.7, color=palette.NUDGE_F).set_z_index(5)
        self.dx_line = Line(color=palette.NUDGE_A, stroke_width=5).set_z_index(2)
        self.df_line = Line(color=palette.NUDGE_F, stroke_width=5).set_z_index(2)
        self.secant = Line(color=palette.SLOPE, stroke_width=4).set_z_index(1)
        self.tangent = Line(color=palette.SLOPE, stroke_width=3, stroke_opacity=0.55)
        size = palette.SIZE_LABEL
        self.da_label = LabelledNumber("Delta a", palette.NUDGE_A, size, gap=0.1).set_z_index(6)
        self.df_label = LabelledNumber("Delta f", palette.NUDGE_F, size, gap=0.1).set_z_index(6)
        # groups are for animating together; updaters sit on the leaves, so fading one
        # leaf out (which makes Manim split its group) never stops another from updating
        self.legs = VGroup(self.dx_line, self.df_line)
        self.triangle = VGroup(self.secant, self.dx_line, self.df_line, self.tip)
        self.labels = VGroup(self.da_label, self.df_label)
        self.badge = ZoomBadge(zoom_word, font)

        self.dot.add_updater(lambda m: self._place_dot())
        self.dx_line.add_updater(lambda m: self._place_legs())
        self.secant.add_updater(lambda m: self._place_secant())
        self.tip.add_updater(lambda m: self._place_tip())
        self.da_label.add_updater(lambda m: self._place_da_label())
        self.df_label.add_updater(lambda m: self._place_df_label())
        self.tangent.add_updater(lambda m: self._place_tangent())
        panel.add_updater(lambda m: self._show_readouts())
        self.badge.add_updater(lambda m: self.badge.show_zoom(1 / self.zoom_scale))
        self.refresh()

    def refresh(self) -> None:
        """Place everything for the trackers' current values at once (no animation)."""
        self._place_camera()
        self._place_dot()
        self._place_legs()
        self._place_secant()
        self._place_tip()
        self._place_da_label()
        self._place_df_label()
        self._place_tangent()
        self._show_readouts()
        self.badge.show_zoom(1 / self.zoom_scale)

    # -- state read from the trackers ------------------------------------------------------
    @property
    def da(self) -> float:
        return self.side * float(10 ** self.log_da.get_value())

    @property
    def at_rest(self) -> bool:
        """True when the trackers sit on the target row (its exact text is shown)."""
        r = self.row
        return _close(self.a.get_value(), float(r.a)) and _close(self.da, float(r.da))

    def _values(self) -> tuple[float, float, float, float]:
        """a, f(a), Δa, f(a+Δa): the exact row's values when the trackers rest on it."""
        if self.at_rest:
            r = self.row
            return float(r.a), float(r.f_a), float(r.da), float(r.f_a_da)
        a, da = self.a.get_value(), self.da
        return a, self.fn(a), da, self.fn(a + da)

    def shown_row(self) -> Nudge:
        """The exact row the readouts show on this frame: the target at rest, otherwise
        the row at the trackers' a and Δa quantised (`LiveRows.shown`), so that Δf, the two
        values of f and Δf/Δa on screen always belong to the Δa and a on screen."""
        a, da = self.a.get_value(), self.da
        memo = self._memo
        if memo is not None and memo[:3] == (a, da, id(self.row)):
            return memo[3]
        row = self.live.shown(self.origin, self.row, a, da)
        self._memo = (a, da, id(self.row), row)
        return row

    @property
    def zoom_scale(self) -> float:
        return float(self.frame.width) / FRAME_WIDTH

    # -- updaters --------------------------------------------------------------------------
    def _place_camera(self) -> None:
        a, fa, da, fada = self._values()
        width = math.exp(self.log_w.get_value())
        cx, cy = self.layout.camera_center(a, fa, da, fada - fa, width)
        self.frame.set(width=width)
        self.frame.move_to([cx, cy, 0])
        self.graph.fade_ticks(FRAME_WIDTH / width)

    def _place_dot(self) -> None:
        a, fa, _, _ = self._values()
        s = self.zoom_scale
        _fit_width(self.dot, DOT_RADIUS * 2 * s)
        self.dot.move_to(self._p(a, fa))

    def _p(self, x: float, y: float) -> np.ndarray:
        """Scene point of the graph point (x, y): the layout's arithmetic, equal to
        Axes.c2p within 1e-14 and 70 times cheaper, for updaters that run every frame."""
        return np.array([*self.layout.to_scene(x, y), 0.0])

    def _corners(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        a, fa, da, fada = self._values()
        return self._p(a, fa), self._p(a + da, fa), self._p(a + da, fada)

    def _place_legs(self) -> None:
        p, q, r = self._corners()
        _put_line(self.dx_line, p, q)
        _put_line(self.df_line, q, r)  # Δf = 0 left of ReLU's kink: a leg of no length

    def _place_secant(self) -> None:
        p, _, r = self._corners()
        direction = (r - p) / np.linalg.norm(r - p)
        reach = 0.22 * FRAME_WIDTH * self.zoom_scale
        self._put_clipped(self.secant, p - direction * reach, r + direction * reach)

    def _place_tip(self) -> None:
        _, _, r = self._corners()
        _fit_width(self.tip, DOT_RADIUS * 1.4 * self.zoom_scale)
        self.tip.move_to(r)

    def _place_tangent(self) -> None:
        a, fa, _, _ = self._values()
        # the row's slope: f'(a), or the slope on the row's side at a kink
        slope = float(self.row.slope.q) if _close(a, float(self.row.a)) else 0.0
        p = self._p(a, fa)
        direction = np.array([self.layout.x_unit, slope * self.layout.y_unit, 0])
        direction /= np.linalg.norm(direction)
        reach = 0.3 * FRAME_WIDTH * self.zoom_scale
        self._put_clipped(self.tangent, p - direction * reach, p + direction * reach)

    def _put_clipped(self, line: Line, start: np.ndarray, end: np.ndarray) -> None:
        """Place a line, cut at the plot's edges so it never runs off the axes."""
        clipped = clip_segment((start[0], start[1]), (end[0], end[1]), self.layout.plot_box)
        if clipped is not None:
            (x0, y0), (x1, y1) = clipped
            _put_line(line, np.array([x0, y0, 0.0]), np.array([x1, y1, 0.0]))

    def _fit_label(self, label: LabelledNumber, key: str) -> None:
        """Show the panel's text for `key` (the same digits and relation), at the zoom."""
        self.panel.show(self.shown_row())
        label.show_text(*self.panel.shown[key])
        height = label.label.height
        if height > 0 and not math.isclose(
            height, label.home_height * self.zoom_scale, rel_tol=1e-12
        ):
            label.scale(label.home_height * self.zoom_scale / height)

    def _place_da_label(self) -> None:
        self._fit_label(self.da_label, "da")
        p, q, _ = self._corners()
        self.da_label.next_to((p + q) / 2, DOWN, buff=LABEL_BUFF * self.zoom_scale)
        # a leg along the a-axis at full view (ReLU at 0): above it, clear of the tick numbers
        if self.zoom_scale > 0.8 and any(
            overlaps(self.da_label, n) for n in self.graph.axes.x_axis.numbers
        ):
            self.da_label.next_to((p + q) / 2, UP, buff=LABEL_BUFF * self.zoom_scale)

    def _place_df_label(self) -> None:
        self._fit_label(self.df_label, "df")
        _, q, r = self._corners()
        buff = LABEL_BUFF * self.zoom_scale
        # a leg much shorter than its label (Δf = 0, or Δf ~ Δa² at a flat point): the label
        # goes above the tip, clear of the secant that runs on past it
        flat = abs(r[1] - q[1]) < 0.5 * self.df_label.height
        if self.side < 0:  # a nudge to the left: its Δf leg is the triangle's left side
            self.df_label.next_to((q + r) / 2, UP + LEFT if flat else LEFT, buff=buff)
            return
        if flat:
            self.df_label.next_to(r, UP, buff=buff)
            return
        self.df_label.next_to((q + r) / 2, RIGHT, buff=buff)
        # beside the readout panel (a nudge ending at the window's right edge, a long value)
        # the label goes inside the triangle instead, so the panel never covers it
        panel_edge = self.frame.get_center()[0] + (PANEL_LEFT - 0.1) * self.zoom_scale
        if self.df_label.get_right()[0] > panel_edge:
            # up and left of the right angle: inside a rising triangle, far from the secant;
            # above a falling one, clear of the Δa label under its top leg
            self.df_label.move_to(q + buff * (LEFT + UP), aligned_edge=DOWN + RIGHT)

    def _show_readouts(self) -> None:
        self.panel.show(self.shown_row())

    # -- animations the choreography plays --------------------------------------------------
    def aim(self, row: Nudge) -> None:
        """Make `row` the target the trackers move to; the readouts show it on arrival and
        rows between the last target and it on the way."""
        if (row.a, row.da) != (self.row.a, self.row.da):
            self.origin = self.row
        self.row = row

    def set_nudge(self, row: Nudge) -> None:
        """Jump to row's nudge (no animation), e.g. before the triangle first appears."""
        self.aim(row)
        self.side = row.side
        self.log_da.set_value(math.log10(abs(float(row.da))))
        self.refresh()

    def _camera(self) -> Animation:
        """Keeps the camera on the triangle while the trackers move.

        An animation rather than a permanent updater: Manim redraws every mobject on every
        frame while the camera frame has an updater, and caches what stands still otherwise.
        """
        return UpdateFromFunc(self.frame, lambda m: self._place_camera())

    def slide_to(self, row: Nudge) -> list[Animation]:
        """Slide the point along the curve to row.a (camera at full view)."""
        self.aim(row)
        moves = [
            self.a.animate(rate_func=smooth).set_value(float(row.a)),
            self.log_w.animate.set_value(math.log(FRAME_WIDTH)),
        ]
        at_full_view = math.isclose(self.log_w.get_value(), math.log(FRAME_WIDTH))
        return moves if at_full_view else [*moves, self._camera()]

    def appear(self) -> list[Animation]:
        """Draw the triangle and secant and label the legs at the current nudge."""
        return [Create(self.triangle, lag_ratio=0.2), FadeIn(self.labels)]

    def zoom_to(self, row: Nudge) -> list[Animation]:
        """Shrink (or grow) the nudge to row.da while the camera keeps the triangle framed."""
        self.aim(row)
        df = float(row.df)
        width = self.layout.zoom_width(float(row.da), df)
        return [
            self.log_da.animate.set_value(math.log10(abs(float(row.da)))),
            self.log_w.animate.set_value(math.log(width)),
            self._camera(),
        ]

    def zoom_out(self) -> list[Animation]:
        """Back to the full picture, the triangle kept at its current nudge."""
        return [self.log_w.animate.set_value(math.log(FRAME_WIDTH)), self._camera()]

    def show_tangent(self) -> Animation:
        self._place_tangent()
        return GrowFromCenter(self.tangent)

    def detach(self) -> None:
        """Stop driving the camera (end of a clip), leaving it at the full view."""
        self.frame.clear_updaters()
        self.frame.set(width=FRAME_WIDTH).move_to(np.zeros(3))


def _put_line(line: Line, start: np.ndarray, end: np.ndarray) -> None:
    """`put_start_and_end_on`, quiet for a line of no length (Manim warns and only shifts
    it; a Line of no length is rebuilt from its ends on the next call)."""
    if np.allclose(start, end, rtol=0, atol=1e-12):
        line.set_points_as_corners([start, end])
    else:
        line.put_start_and_end_on(start, end)
