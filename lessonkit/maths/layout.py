"""Where things sit on a 16:9 frame, and how far the camera zooms for a given nudge.

Pure geometry in Manim's scene units (the frame is 8 units tall), kept out of the scenes so
the zoom rule can be tested without rendering: the nudge triangle must fill about a quarter
of the picture at every step, from Δa = 1 down to Δa = 0.001 (a 1000x zoom).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from lessonkit.maths.functions import Window

__all__ = [
    "FRAME_HEIGHT",
    "FRAME_WIDTH",
    "ZOOM_LADDER",
    "Layout",
    "layout_for",
    "clip_segment",
    "round_zoom",
]

FRAME_HEIGHT = 8.0
FRAME_WIDTH = FRAME_HEIGHT * 16 / 9

#: Fraction of the frame's width (or height) the nudge triangle should fill when zoomed.
TRIANGLE_FILL = 0.26

#: Zoom factors a person would say, per decade: "× 3000", never "× 2998" or "× 1337".
ZOOM_LADDER = (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0)


def round_zoom(zoom: float) -> float:
    """The ZOOM_LADDER rung (times a power of ten) nearest to `zoom` on a log scale; 1 for
    no zoom at all.

    >>> round_zoom(2998.4), round_zoom(1337), round_zoom(1.04), round_zoom(0.5)
    (3000.0, 1200.0, 1.0, 1.0)
    """
    if not zoom > 1:
        return 1.0
    exponent = math.floor(math.log10(zoom))
    rungs = [m * 10.0**p for p in (exponent, exponent + 1) for m in ZOOM_LADDER]
    best = min(rungs, key=lambda r: abs(math.log(r / zoom)))
    return float(round(best, 6 - exponent)) if exponent < 6 else best


@dataclass(frozen=True)
class Layout:
    """Axes placement for one window, and the zoom rule that keeps a nudge visible."""

    window: Window
    axes_width: float = 7.4
    axes_height: float = 5.6
    #: centre of the graph region (left part of the frame), in scene units at full view
    graph_center: tuple[float, float] = (-2.75, -0.35)
    #: where the triangle's centre goes when zoomed, as fractions of frame width/height
    focus: tuple[float, float] = (-0.20, -0.02)

    @property
    def x_unit(self) -> float:
        return self.axes_width / (self.window.x_max - self.window.x_min)

    @property
    def y_unit(self) -> float:
        return self.axes_height / (self.window.y_max - self.window.y_min)

    def to_scene(self, x: float, y: float) -> tuple[float, float]:
        """Scene coordinates of the graph point (x, y)."""
        w = self.window
        cx, cy = self.graph_center
        return (
            cx + (x - (w.x_min + w.x_max) / 2) * self.x_unit,
            cy + (y - (w.y_min + w.y_max) / 2) * self.y_unit,
        )

    @property
    def plot_box(self) -> tuple[float, float, float, float]:
        """The axes' rectangle in scene units: lines are clipped to it."""
        w = self.window
        (x0, y0), (x1, y1) = self.to_scene(w.x_min, w.y_min), self.to_scene(w.x_max, w.y_max)
        return (x0, y0, x1, y1)

    def zoom_width(self, da: float, df: float) -> float:
        """Frame width that makes a Δa-by-Δf triangle fill about TRIANGLE_FILL of the
        picture, at a round zoom (ZOOM_LADDER), so that the zoom badge at rest reads the
        true zoom; the fill then lies within a rung's rounding (±15 %) of the target."""
        tri_w = abs(da) * self.x_unit
        tri_h = abs(df) * self.y_unit
        needed = max(tri_w, tri_h * FRAME_WIDTH / FRAME_HEIGHT) / TRIANGLE_FILL
        if needed <= 0:
            return FRAME_WIDTH
        return FRAME_WIDTH / round_zoom(FRAME_WIDTH / needed)

    def camera_center(
        self, a: float, fa: float, da: float, df: float, width: float
    ) -> tuple[float, float]:
        """Camera centre for a frame of `width` looking at the triangle at (a, f(a)).

        At full width the camera is at the origin; as it zooms in, the triangle's centre
        glides to `focus`, so the zoom never pushes the triangle off the picture.
        """
        s = min(1.0, width / FRAME_WIDTH)
        px, py = self.to_scene(a, fa)
        tri_cx = px + da * self.x_unit / 2
        tri_cy = py + df * self.y_unit / 2
        height = width * FRAME_HEIGHT / FRAME_WIDTH
        # the triangle centre's place on the picture, as fractions of the frame: where it
        # is at full view, gliding to `focus` as the camera zooms in
        full_x, full_y = tri_cx / FRAME_WIDTH, tri_cy / FRAME_HEIGHT
        rel_x = self.focus[0] * (1 - s) + full_x * s
        rel_y = self.focus[1] * (1 - s) + full_y * s
        return (tri_cx - rel_x * width, tri_cy - rel_y * height)


def clip_segment(
    p: tuple[float, float], q: tuple[float, float], box: tuple[float, float, float, float]
) -> tuple[tuple[float, float], tuple[float, float]] | None:
    """The part of segment pq inside box (x0, y0, x1, y1), or None (Liang-Barsky).

    >>> clip_segment((-1, 0), (2, 0), (0, -1, 1, 1))
    ((0.0, 0.0), (1.0, 0.0))
    """
    x0, y0, x1, y1 = box
    dx, dy = q[0] - p[0], q[1] - p[1]
    t0, t1 = 0.0, 1.0
    for den, num in ((-dx, p[0] - x0), (dx, x1 - p[0]), (-dy, p[1] - y0), (dy, y1 - p[1])):
        if den == 0:
            if num < 0:
                return None
            continue
        t = num / den
        if den < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return None
    return (
        (float(p[0] + t0 * dx), float(p[1] + t0 * dy)),
        (float(p[0] + t1 * dx), float(p[1] + t1 * dy)),
    )


def layout_for(window: Window) -> Layout:
    """The lesson's standard layout for a plotting window."""
    return Layout(window)
