"""The HUD's still members drawn once into a layer that is pasted over each frame."""

from __future__ import annotations

import math
from typing import Any

import cairo
from manim import config

from lessonkit.draw.manim_compat import PatchedMovingCamera

__all__ = ["HudLayer"]


class HudLayer:
    """HUD members that stay the same from frame to frame, drawn once into a transparent
    layer that is pasted over each frame; only the members that change are drawn anew.

    Why: Manim redraws every mobject of every frame while anything moves, and during a
    zoom that is the whole HUD (about 70 glyphs and shapes) for a handful of changing
    digits. A member joins the layer after two unchanged frames; a member drawn after a
    changing one that it overlaps stays out of it, so the stacking order never changes.
    """

    MIN_MEMBERS = 8
    SETTLE_FRAMES = 2

    def __init__(self) -> None:
        self.last: dict[int, tuple[Any, ...]] = {}
        self.unchanged: dict[int, int] = {}
        self.key: tuple[tuple[int, tuple[Any, ...]], ...] | None = None
        self.surface: Any = None
        self.clip: tuple[float, float, float, float] | None = None

    @staticmethod
    def signature(m: Any) -> tuple[Any, ...]:
        """Everything of a member that shows on the picture."""
        return (
            m.points.tobytes(),
            m.fill_rgbas.tobytes(),
            m.stroke_rgbas.tobytes(),
            m.background_stroke_rgbas.tobytes(),
            m.stroke_width,
            m.background_stroke_width,
        )

    @staticmethod
    def pixel_box(cam: PatchedMovingCamera, m: Any) -> tuple[float, float, float, float]:
        """The member's bounding box in pixels (home view), with room for its stroke."""
        pw, ph = cam.pixel_width, cam.pixel_height
        fw, fh = config["frame_width"], config["frame_height"]
        lo, hi = m.points.min(axis=0), m.points.max(axis=0)
        pad = 3 + max(float(m.stroke_width), float(m.background_stroke_width))
        return (
            (lo[0] / fw + 0.5) * pw - pad,
            (0.5 - hi[1] / fh) * ph - pad,
            (hi[0] / fw + 0.5) * pw + pad,
            (0.5 - lo[1] / fh) * ph + pad,
        )

    def draw(self, cam: PatchedMovingCamera, members: list[Any]) -> None:
        ctx = cam.get_cairo_context(cam.pixel_array)
        signatures = [self.signature(m) for m in members]
        stable: list[bool] = []
        changing_boxes: list[tuple[float, float, float, float]] = []
        unchanged: dict[int, int] = {}  # only this frame's members: ids get reused
        for m, sig in zip(members, signatures, strict=True):
            same = self.last.get(id(m)) == sig
            count = self.unchanged.get(id(m), 0) + 1 if same else 0
            unchanged[id(m)] = count
            keep = count >= self.SETTLE_FRAMES
            if keep and changing_boxes:
                box = self.pixel_box(cam, m)
                keep = not any(_overlap(box, other) for other in changing_boxes)
            if not keep:
                changing_boxes.append(self.pixel_box(cam, m))
            stable.append(keep)
        self.last = {id(m): sig for m, sig in zip(members, signatures, strict=True)}
        self.unchanged = unchanged
        layer = [m for m, keep in zip(members, stable, strict=True) if keep]
        key = tuple(
            (id(m), sig) for m, sig, keep in zip(members, signatures, stable, strict=True) if keep
        )
        if layer and key != self.key:
            self._build(cam, layer)
        self.key = key if layer else None
        if layer and self.clip is not None:
            x0, y0, x1, y1 = self.clip
            ctx.save()
            ctx.identity_matrix()
            ctx.rectangle(x0, y0, x1 - x0, y1 - y0)
            ctx.clip()
            ctx.set_source_surface(self.surface, 0, 0)
            ctx.paint()
            ctx.restore()
        for m, keep in zip(members, stable, strict=True):
            if not keep:
                cam.display_vectorized(m, ctx)

    def _build(self, cam: PatchedMovingCamera, layer: list[Any]) -> None:
        pw, ph = cam.pixel_width, cam.pixel_height
        if self.surface is None or (self.surface.get_width(), self.surface.get_height()) != (
            pw,
            ph,
        ):
            self.surface = cairo.ImageSurface(cairo.FORMAT_ARGB32, pw, ph)
        ctx = cairo.Context(self.surface)
        ctx.set_operator(cairo.OPERATOR_CLEAR)
        ctx.paint()
        ctx.set_operator(cairo.OPERATOR_OVER)
        for m in layer:
            cam.display_vectorized(m, ctx)
        boxes = [self.pixel_box(cam, m) for m in layer]
        self.clip = (
            max(0.0, math.floor(min(b[0] for b in boxes))),
            max(0.0, math.floor(min(b[1] for b in boxes))),
            min(float(pw), math.ceil(max(b[2] for b in boxes))),
            min(float(ph), math.ceil(max(b[3] for b in boxes))),
        )


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
