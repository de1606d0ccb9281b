"""A moving camera whose strokes keep their width in pixels at any zoom, and the base scene.

Manim's Cairo camera draws line widths in scene units (its zoom correction divides the frame
width by itself), so a 1000x zoom turns a 4 px curve into a 4000 px band. `ZoomCamera`
scales the line width by the zoom instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import cairo
import numpy as np
from manim import MovingCamera, MovingCameraScene, config

__all__ = ["ZoomCamera", "LessonScene", "StillSink"]

#: Called with (section index, section name, RGBA frame) at the end of every section.
StillSink = Callable[[int, str, np.ndarray], None]


class ZoomCamera(MovingCamera):
    """MovingCamera with stroke widths constant in pixels and sharp glyphs at any zoom."""

    def get_cairo_context(self, pixel_array: Any) -> Any:
        ctx = super().get_cairo_context(pixel_array)
        pw, ph = self.pixel_width, self.pixel_height
        fw, fh = self.frame_width, self.frame_height
        ctx.set_matrix(cairo.Matrix(pw / fw, 0, 0, -(ph / fh), pw / 2, ph / 2))
        return ctx

    def transform_points_pre_display(self, mobject: Any, points: Any) -> Any:
        return super().transform_points_pre_display(mobject, points) - self.frame_center

    def points_to_subpixel_coords(self, mobject: Any, points: Any) -> Any:
        # the base class subtracts the frame centre itself: undo ours first
        return super().points_to_subpixel_coords(mobject, np.asarray(points) + self.frame_center)

    def apply_stroke(self, ctx: Any, vmobject: Any, background: bool = False) -> Any:
        base = self.cairo_line_width_multiple
        self.cairo_line_width_multiple = base * self.frame_width / config["frame_width"]
        try:
            return super().apply_stroke(ctx, vmobject, background)
        finally:
            self.cairo_line_width_multiple = base


class LessonScene(MovingCameraScene):
    """Base of every lesson scene: a zoom-safe camera, and a still at each section's end.

    `still_sink`, when set, receives the last frame of every section; with animations
    skipped this gives a storyboard of the whole video in about a second per minute.
    """

    still_sink: StillSink | None = None

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("camera_class", ZoomCamera)
        super().__init__(**kwargs)
        self._still_sections: list[str] = []

    def next_section(self, name: str = "unnamed", *args: Any, **kwargs: Any) -> None:
        self._emit_still()
        self._still_sections.append(name)
        super().next_section(name, *args, **kwargs)

    def tear_down(self) -> None:
        self._emit_still()
        super().tear_down()

    def _emit_still(self) -> None:
        if self.still_sink is None or not self._still_sections:
            return
        if self.renderer.skip_animations or self.renderer.num_plays == 0:
            self.renderer.update_frame(self)
        index = len(self._still_sections) - 1
        self.still_sink(index, self._still_sections[-1], self.renderer.get_frame())
