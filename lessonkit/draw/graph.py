"""Axes sized to a function's window, its curve and formula label, typeset without LaTeX."""

from __future__ import annotations

import numpy as np
from manim import Axes, MathTypst, VGroup

from lessonkit.draw import palette
from lessonkit.functions import Function
from lessonkit.layout import Layout

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

    def __init__(self, fn: Function, layout: Layout) -> None:
        w = layout.window
        self.fn = fn
        self.layout = layout
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

    def _place_label(self) -> None:
        """Top-left of the plot area, clear of the curve (every lesson curve rises)."""
        w = self.layout.window
        corner = self.axes.c2p(w.x_min, w.y_max)
        self.label.move_to(corner + np.array([0.35, -0.1, 0]), aligned_edge=np.array([-1, 1, 0]))

    def fade_ticks(self, zoom: float) -> None:
        """Fade tick marks and numbers out as the camera zooms in (gone from 1.6x): they are
        drawn at the picture's scale, so zoomed they grow into giant digits under the panel,
        and the readouts carry the numbers then."""
        opacity = min(1.0, max(0.0, (1.6 - zoom) / 0.6))
        if opacity == getattr(self, "_tick_opacity", 1.0):
            return
        self._tick_opacity = opacity
        for axis in (self.axes.x_axis, self.axes.y_axis):
            axis.ticks.set_stroke(opacity=opacity)
            axis.numbers.set_fill(opacity=opacity)

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

    def point(self, x: float) -> np.ndarray:
        """Scene point of (x, f(x))."""
        return self.axes.c2p(x, self.fn(x))
