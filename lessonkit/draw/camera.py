"""A moving camera whose strokes keep their width in pixels at any zoom, and the base scene.

Manim's Cairo camera draws line widths in scene units (its zoom correction divides the frame
width by itself), so a 1000x zoom turns a 4 px curve into a 4000 px band. `ZoomCamera`
scales the line width by the zoom instead.
"""

from __future__ import annotations

from typing import Any

from manim import MovingCamera, MovingCameraScene, config

__all__ = ["ZoomCamera", "LessonScene"]


class ZoomCamera(MovingCamera):
    """MovingCamera with stroke widths constant in pixels while zooming."""

    def apply_stroke(self, ctx: Any, vmobject: Any, background: bool = False) -> Any:
        base = self.cairo_line_width_multiple
        self.cairo_line_width_multiple = base * self.frame_width / config["frame_width"]
        try:
            return super().apply_stroke(ctx, vmobject, background)
        finally:
            self.cairo_line_width_multiple = base


class LessonScene(MovingCameraScene):
    """Base of every lesson scene: a zoom-safe moving camera."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("camera_class", ZoomCamera)
        super().__init__(**kwargs)
