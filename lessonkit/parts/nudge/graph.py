"""Axes sized to a function's window and named a and f(a), its curve and formula label,
typeset without LaTeX."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import numpy as np
from manim import DL, DOWN, LEFT, RIGHT, UP, UR, Axes, MathTypst, Mobject, VGroup

from lessonkit.draw import palette
from lessonkit.draw.placement import nearest_clear, overlaps
from lessonkit.maths.functions import Function
from lessonkit.maths.layout import FRAME_HEIGHT, FRAME_WIDTH, Layout
from lessonkit.parts.nudge.readouts import PANEL_LEFT

__all__ = ["FunctionGraph", "visible_x_range"]


def visible_x_range(fn: Function, layout: Layout, samples: int = 2000) -> tuple[float, float]:
    """The stretch of the x window where the curve stays inside the y window (and domain)."""
    w = layout.window
    lo = w.x_min if fn.domain_min is None else max(w.x_min, float(fn.domain_min) + 1e-9)
    xs = np.linspace(lo, w.x_max, samples)
    ys = np.array([fn(float(x)) for x in xs])
    inside = xs[(ys >= w.y_min) & (ys <= w.y_max)]
    return float(inside.min()), float(inside.max())


def _tidy(v: float) -> float | int:
    return int(v) if float(v).is_integer() else v


class FunctionGraph(VGroup):
    """Axes with numbered ticks, the curve of `fn`, and its formula beside the curve."""

    def __init__(self, fn: Function, layout: Layout, points: Sequence[Fraction] = ()) -> None:
        w = layout.window
        self.fn = fn
        self.layout = layout
        self.points = tuple(points)  # where the nudges happen: the label keeps off them
        self.axes = Axes(
            # whole numbers as ints, so that ticks read "5", not "5.0"
            x_range=[_tidy(w.x_min), _tidy(w.x_max), _tidy(w.x_step)],
            y_range=[_tidy(w.y_min), _tidy(w.y_max), _tidy(w.y_step)],
            x_length=layout.axes_width,
            y_length=layout.axes_height,
            tips=False,
            axis_config={
                "label_constructor": MathTypst,
                "font_size": palette.SIZE_TICK,
                "color": palette.MUTED,
                "include_numbers": True,
                "stroke_width": 2,
            },
        )
        middle = self.axes.c2p((w.x_min + w.x_max) / 2, (w.y_min + w.y_max) / 2)
        self.axes.shift(np.array([*layout.graph_center, 0]) - middle)
        # part of the axes: drawn with them, and faded with the ticks while zoomed
        self.axis_names = self._name_axes()
        self.axes.add(self.axis_names)
        x0, x1 = visible_x_range(fn, layout)
        # a dense polyline, not smoothed Béziers: smoothing drifts visibly off f at a 1000x
        # zoom, while 1600 straight pieces stay within a pixel of it at every zoom
        self.curve = self.axes.plot(
            fn,
            x_range=[x0, x1, (x1 - x0) / 1600],
            color=palette.CURVE,
            stroke_width=4,
            use_smoothing=False,
        )
        self.label = MathTypst(f"f(a) = {fn.formula_typst}", font_size=palette.SIZE_TITLE)
        self.label.set_color(palette.CURVE)
        self._place_label()
        super().__init__(self.axes, self.curve, self.label)

    def _name_axes(self) -> VGroup:
        """'a' past the right end of the horizontal axis, 'f(a)' over the top of the vertical
        one: outside the plot area, so they cover no tick number, no curve, no formula."""
        x_name = MathTypst("a", font_size=palette.SIZE_LABEL).set_color(palette.MUTED)
        y_name = MathTypst("f(a)", font_size=palette.SIZE_LABEL).set_color(palette.MUTED)
        x_end = self.axes.x_axis.get_right()
        x_name.next_to(x_end, RIGHT, buff=0.2)
        if x_name.get_right()[0] > PANEL_LEFT - 0.2:  # no room before the panel: above the end
            x_name.next_to(x_end, UP + LEFT, buff=0.15)
        y_name.next_to(self.axes.y_axis.get_top(), UP, buff=0.2)
        ticks = self.axes.y_axis.numbers
        if len(ticks) and overlaps(y_name, ticks[-1]):
            y_name.next_to(ticks[-1], UP, buff=0.1)
        return VGroup(x_name, y_name)

    def _place_label(self) -> None:
        """In a corner of the plot area clear of the curve: top-left where the curve rises
        (as every curve of the first lesson does), else the corner it crosses least."""
        self._corner_spot(self.label, self._crowded_points(zoomed=True))

    def place_beside_label(self, mob: Mobject) -> None:
        """Put `mob` (the derivative's rule) under the formula label, or, where it would
        cover the curve, an axis or a tick number there, at the nearest spot that covers
        least."""
        self.stack_under_label(mob)
        points = self.crowded_points()
        lo, hi = mob.get_corner(DL)[:2] - 0.15, mob.get_corner(UR)[:2] + 0.15
        if np.all((points >= lo) & (points <= hi), axis=1).any():
            nearest_clear(mob, mob.get_center(), [self.label], points, self.picture_box)

    def crowded_points(self) -> np.ndarray:
        """What a label in the full view must not cover (see `_crowded_points`)."""
        if getattr(self, "_crowded", None) is None:
            self._crowded = self._crowded_points(zoomed=False)
        return self._crowded

    def _crowded_points(self, zoomed: bool) -> np.ndarray:
        """Points a label must not cover: the curve (and where it runs once zoomed), the
        axes where they cross the plot area, and a 3-by-3 grid over each tick number and
        axis name."""
        w = self.layout.window
        points = np.vstack([self.curve.points[:, :2], *(self._zoomed_lines() if zoomed else [])])
        if w.x_min < 0 < w.x_max:
            ys = np.linspace(w.y_min, w.y_max, 200)
            points = np.vstack([points, [self.axes.c2p(0, y)[:2] for y in ys]])
        if w.y_min < 0 < w.y_max:
            xs = np.linspace(w.x_min, w.x_max, 200)
            points = np.vstack([points, [self.axes.c2p(x, 0)[:2] for x in xs]])
        names = [*self.axis_names] if hasattr(self, "axis_names") else []
        for number in [*self.axes.x_axis.numbers, *self.axes.y_axis.numbers, *names]:
            (x0, y0), (x1, y1) = number.get_corner(DL)[:2], number.get_corner(UR)[:2]
            grid = [(x, y) for x in np.linspace(x0, x1, 3) for y in np.linspace(y0, y1, 3)]
            points = np.vstack([points, grid])
        return points

    def _corner_spot(self, mob: Mobject, points: np.ndarray) -> None:
        """Move `mob` into the plot corner where it covers none of `points`, else fewest."""
        w = self.layout.window
        best: tuple[int, np.ndarray] | None = None
        for x, y, inset in (
            (w.x_min, w.y_max, np.array([0.35, -0.1, 0])),
            (w.x_min, w.y_min, np.array([0.35, 0.3, 0])),
            (w.x_max, w.y_max, np.array([-0.2, -0.1, 0])),
            (w.x_max, w.y_min, np.array([-0.2, 0.3, 0])),
        ):
            corner = self.axes.c2p(x, y)
            edge = np.array([-1 if inset[0] > 0 else 1, 1 if inset[1] < 0 else -1, 0])
            mob.move_to(corner + inset, aligned_edge=edge)
            lo, hi = mob.get_corner(DL)[:2] - 0.15, mob.get_corner(UR)[:2] + 0.15
            hits = int(np.all((points >= lo) & (points <= hi), axis=1).sum())
            if hits == 0:
                return
            if best is None or hits < best[0]:
                best = (hits, mob.get_center())
        assert best is not None
        mob.move_to(best[1])

    def _zoomed_lines(self) -> list[np.ndarray]:
        """Where the curve runs across the picture once the camera has zoomed in on a
        nudge: nearly straight, through the layout's focus, at the slope f'(a) has on
        screen. A falling curve crosses the top-left corner then, a rising one does not."""
        lay = self.layout
        fx, fy = lay.focus[0] * FRAME_WIDTH, lay.focus[1] * FRAME_HEIGHT
        xs = np.linspace(-FRAME_WIDTH / 2, FRAME_WIDTH / 2, 400)
        lines = []
        fn = self.fn
        for a in self.points:
            # at a kink the camera may sit on either side: both one-sided slopes
            slopes = [fn.one_sided(a, s) for s in (1, -1)] if fn.is_kink(a) else [fn.derivative(a)]
            for slope in (float(v.q) * lay.y_unit / lay.x_unit for v in slopes):
                lines.append(self._line_at(fx, fy, xs, slope))
        return lines

    @staticmethod
    def _line_at(fx: float, fy: float, xs: np.ndarray, slope: float) -> np.ndarray:
        """Points of the line through (fx, fy) at `slope` across the frame (upright if steep)."""
        if abs(slope) > 1e3:
            ys = np.linspace(-FRAME_HEIGHT / 2, FRAME_HEIGHT / 2, 400)
            return np.column_stack([np.full_like(ys, fx), ys])
        return np.column_stack([xs, fy + slope * (xs - fx)])

    @property
    def picture_box(self) -> tuple[float, float, float, float]:
        """The part of the full-view picture left of the readout panel: labels stay in it."""
        m = 0.1
        return (-FRAME_WIDTH / 2 + m, -FRAME_HEIGHT / 2 + m, PANEL_LEFT - m, FRAME_HEIGHT / 2 - m)

    def stack_under_label(self, mob: Mobject, buff: float = 0.3) -> None:
        """Put `mob` beside the formula label, into the plot: under a label in a top corner,
        over one in a bottom corner, aligned on the label's outer side."""
        w = self.layout.window
        middle = self.axes.c2p((w.x_min + w.x_max) / 2, (w.y_min + w.y_max) / 2)
        toward = DOWN if self.label.get_center()[1] >= middle[1] else UP
        side = LEFT if self.label.get_center()[0] <= middle[0] else RIGHT
        mob.next_to(self.label, toward, aligned_edge=side, buff=buff)

    def fade_ticks(self, zoom: float) -> None:
        """Fade tick marks, numbers and the axes' names out as the camera zooms in (gone
        from 1.2x, the first round zoom), and back as it zooms out: they are drawn at the
        picture's scale, so zoomed they grow into giant type past the frame's edges, and
        the readouts carry the numbers then."""
        opacity = min(1.0, max(0.0, (1.2 - zoom) / 0.15))
        if opacity == getattr(self, "_tick_opacity", 1.0):
            return
        self._tick_opacity = opacity
        for axis in (self.axes.x_axis, self.axes.y_axis):
            axis.ticks.set_stroke(opacity=opacity)
            axis.numbers.set_opacity(opacity)  # fill and (zero-width) stroke alike
        self.axis_names.set_opacity(opacity)

    def tick_labels(self) -> list[VGroup]:
        """The axes' number labels, as obstacles for label placement."""
        return [axis.numbers for axis in (self.axes.x_axis, self.axes.y_axis)]

    def start_point(self, target: float) -> float:
        """Where the point starts before sliding to `target`: a tick to its left, on the curve."""
        lo, _ = visible_x_range(self.fn, self.layout)
        w = self.layout.window
        ticks = np.arange(w.x_min, target, w.x_step)
        inside = [float(t) for t in ticks if t >= lo and t < target]
        return inside[-1] if inside and inside[-1] < target else lo

    def start_value(self, target: float) -> Fraction:
        """`start_point` as a short exact decimal inside f's domain, for the readouts to
        print: a tick stays exact (1, 2.5), a curve's first visible x is rounded to a few
        digits, never to 0 (log a near a = 1e-9 starts at a small positive a)."""
        x = self.start_point(target)
        for text in (repr(x), format(x, ".3g"), format(x, ".2g")):
            q = Fraction(text)
            if len(text) <= 10 and self.fn.in_domain(q):
                return q
        return Fraction(target)  # the target itself is in the domain (the spec checked it)

    def point(self, x: float) -> np.ndarray:
        """Scene point of (x, f(x))."""
        return self.axes.c2p(x, self.fn(x))
