"""The zoom camera and the base scene of every lesson.

Manim's Cairo camera draws line widths in scene units (its zoom correction divides the frame
width by itself), so a 1000x zoom turns a 4 px curve into a 4000 px band. `ZoomCamera`
scales the line width by the zoom instead, draws pinned HUD content in home coordinates,
and spends nothing on what the view cannot see. `LessonScene` gives a still per section and,
for storyboards, cuts animations to their end state (`Cut`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection
from typing import Any

import cairo
import numpy as np
from manim import (
    Animation,
    Create,
    FadeIn,
    FadeOut,
    GrowFromCenter,
    MovingCamera,
    MovingCameraScene,
    VMobject,
    Write,
    config,
)

from lessonkit.draw.hud import HUD_FLAG

__all__ = ["ZoomCamera", "LessonScene", "StillSink", "Cut"]

#: Called with (section index, section name, RGBA frame) at the end of every section.
StillSink = Callable[[int, str, np.ndarray], None]


#: a stroke-only path with at least this many curves is drawn only where the view sees it
CULL_MIN_CURVES = 64
#: half the view's size, plus 5 % on each side: what lies beyond is not drawn
VIEW_HALF = 0.55


def _frame_prop(name: str) -> property:
    """MovingCamera's frame property, read from a per-frame snapshot while drawing.

    MovingCamera derives the frame's centre and size from its bounding box on every access,
    and every drawn mobject asks several times; during one capture they cannot change.
    """
    base: property = getattr(MovingCamera, name)

    def get(self: ZoomCamera) -> Any:
        view = self._view
        return view[name] if view is not None else base.fget(self)  # type: ignore[misc]

    return property(get, base.fset)


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
    def pixel_box(cam: ZoomCamera, m: Any) -> tuple[float, float, float, float]:
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

    def draw(self, cam: ZoomCamera, members: list[Any]) -> None:
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

    def _build(self, cam: ZoomCamera, layer: list[Any]) -> None:
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


def _invisible(m: Any) -> bool:
    """Nothing to paint: no fill, no stroke (the camera frame, a faded-out badge)."""
    return bool(
        not m.fill_rgbas[:, 3].any()
        and (m.stroke_width == 0 or not m.stroke_rgbas[:, 3].any())
        and (m.background_stroke_width == 0 or not m.background_stroke_rgbas[:, 3].any())
    )


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


class ZoomCamera(MovingCamera):
    """MovingCamera with stroke widths constant in pixels, sharp glyphs at any zoom, a HUD
    layer drawn in home coordinates, and no work spent on what the view cannot see."""

    _view: dict[str, Any] | None = None
    _on_hud = False
    _hud_layer: HudLayer | None = None

    frame_center = _frame_prop("frame_center")
    frame_width = _frame_prop("frame_width")
    frame_height = _frame_prop("frame_height")

    def capture_mobjects(self, mobjects: Any, **kwargs: Any) -> None:
        self._view = {
            "frame_center": self.frame_center,
            "frame_width": self.frame_width,
            "frame_height": self.frame_height,
        }
        try:
            shown = self.get_mobjects_to_display(mobjects, **kwargs)
            cut = len(shown)
            while cut and getattr(shown[cut - 1], HUD_FLAG, False):
                cut -= 1  # the HUD draws last (z-index 10): its members end the list
            tail = shown[cut:]
            if len(tail) < HudLayer.MIN_MEMBERS or not all(isinstance(m, VMobject) for m in tail):
                super().capture_mobjects(shown, include_submobjects=False)
                return
            super().capture_mobjects(shown[:cut], include_submobjects=False)
            if self._hud_layer is None:
                self._hud_layer = HudLayer()
            self._hud_layer.draw(self, tail)
        finally:
            self._view = None

    def _matrix(self, frame_width: float, frame_height: float) -> Any:
        """Scene units (relative to the frame's centre) to pixels, y pointing up."""
        pw, ph = self.pixel_width, self.pixel_height
        return cairo.Matrix(pw / frame_width, 0, 0, -(ph / frame_height), pw / 2, ph / 2)

    def get_cairo_context(self, pixel_array: Any) -> Any:
        ctx = super().get_cairo_context(pixel_array)
        ctx.set_matrix(self._matrix(self.frame_width, self.frame_height))
        return ctx

    def display_vectorized(self, vmobject: Any, ctx: Any) -> Any:
        if getattr(vmobject, HUD_FLAG, False):
            # HUD content: drawn as if the camera were at its home view
            ctx.save()
            ctx.set_matrix(self._matrix(config["frame_width"], config["frame_height"]))
            self._on_hud = True
            try:
                return super().display_vectorized(vmobject, ctx)
            finally:
                self._on_hud = False
                ctx.restore()
        if not self._sees(vmobject.points) or _invisible(vmobject):
            return self
        return super().display_vectorized(vmobject, ctx)

    def _sees(self, points: np.ndarray) -> bool:
        """Whether any of the points' bounding box lies in the view (with a margin)."""
        if len(points) == 0:
            return False
        fc = self.frame_center
        half_w, half_h = self.frame_width * VIEW_HALF, self.frame_height * VIEW_HALF
        lo, hi = points.min(axis=0), points.max(axis=0)
        return bool(
            hi[0] >= fc[0] - half_w
            and lo[0] <= fc[0] + half_w
            and hi[1] >= fc[1] - half_h
            and lo[1] <= fc[1] + half_h
        )

    def transform_points_pre_display(self, mobject: Any, points: Any) -> Any:
        points = super().transform_points_pre_display(mobject, points)
        return points if self._on_hud else points - self.frame_center

    def points_to_subpixel_coords(self, mobject: Any, points: Any) -> Any:
        # the base class subtracts the frame centre itself: undo ours first
        return super().points_to_subpixel_coords(mobject, np.asarray(points) + self.frame_center)

    def set_cairo_context_path(self, ctx: Any, vmobject: Any) -> Any:
        # Manim's own version finds the subpaths again on every frame; they only change
        # when the points are replaced, so they are kept with the points they came from
        points = vmobject.points
        ctx.new_path()
        if len(points) < 4 or len(points) % 4:
            return super().set_cairo_context_path(ctx, vmobject)
        shown = self.transform_points_pre_display(vmobject, points)
        subpaths = self._subpaths(vmobject, points, shown)
        xy = shown[:, :2]
        n_curves = len(points) // 4
        if self._on_hud or n_curves < CULL_MIN_CURVES or vmobject.get_fill_opacity() > 0:
            flat = xy.tolist()
            move_to, curve_to, new_sub_path = ctx.move_to, ctx.curve_to, ctx.new_sub_path
            for start, end, closed in subpaths:
                new_sub_path()
                move_to(*flat[start])
                for i in range(start, end - 3, 4):
                    curve_to(*flat[i + 1], *flat[i + 2], *flat[i + 3])
                if closed:
                    ctx.close_path()
            return self
        # a long stroke (the curve, seen at up to 1000x): only the curves near the view
        curves = xy.reshape(n_curves, 4, 2)
        lo, hi = curves.min(axis=1), curves.max(axis=1)
        half = np.array([self.frame_width, self.frame_height]) * VIEW_HALF
        seen = np.all(hi >= -half, axis=1) & np.all(lo <= half, axis=1)
        starts = np.zeros(n_curves, dtype=bool)
        starts[[start // 4 for start, _, _ in subpaths]] = True
        joined = np.zeros(n_curves, dtype=bool)  # continues the curve drawn just before it
        joined[1:] = seen[:-1] & ~starts[1:]
        move_to, curve_to = ctx.move_to, ctx.curve_to
        for i in np.flatnonzero(seen).tolist():
            c = curves[i].tolist()
            if not joined[i]:
                move_to(*c[0])
            curve_to(*c[1], *c[2], *c[3])
        return self

    @staticmethod
    def _subpaths(
        vmobject: Any, points: np.ndarray, shown: np.ndarray
    ) -> list[tuple[int, int, bool]]:
        """(start, end, closed) of each subpath, cached until the points array is replaced.

        Moving, scaling or morphing a mobject assigns it a new array; the split structure
        of a kept array cannot change without a new array being assigned. Splits are found
        on the points as shown (frame-centre relative), where Manim's relative tolerance
        still tells a tiny glyph's strokes apart at 1000x.
        """
        cached = vmobject.__dict__.get("_lessonkit_subpaths")
        if cached is not None and cached[0] is points:
            return cached[1]  # type: ignore[no-any-return]
        split = vmobject.get_subpath_split_indices_from_points(shown, n_dims=2)
        subpaths = [
            (int(a), int(b), bool(vmobject.consider_points_equals_2d(shown[a], shown[b - 1])))
            for a, b in split
            if b - a >= 4
        ]
        vmobject.__dict__["_lessonkit_subpaths"] = (points, subpaths)
        return subpaths

    def apply_stroke(self, ctx: Any, vmobject: Any, background: bool = False) -> Any:
        if self._on_hud:
            return super().apply_stroke(ctx, vmobject, background)
        base = self.cairo_line_width_multiple
        self.cairo_line_width_multiple = base * self.frame_width / config["frame_width"]
        try:
            return super().apply_stroke(ctx, vmobject, background)
        finally:
            self.cairo_line_width_multiple = base


class Cut(Animation):
    """A fade, write or creation reduced to its end state: the mobject is added or removed.

    Why: a stills-only render draws no in-between frames, yet Manim's own versions still
    deep-copy their mobjects to build them (over half of a storyboard's time, measured).
    Their end state is the mobject as it is (introducers) or its removal (removers).
    """

    KINDS = (FadeIn, FadeOut, Create, Write, GrowFromCenter)

    @classmethod
    def of(cls, animation: Any) -> Any:
        if isinstance(animation, cls.KINDS):
            remover = animation.is_remover()
            return cls(
                animation.mobject,
                run_time=animation.run_time,
                introducer=not remover,
                remover=remover,
            )
        return animation

    def begin(self) -> None:
        pass

    def finish(self) -> None:
        pass

    def interpolate(self, alpha: float) -> None:
        pass

    def update_mobjects(self, dt: float) -> None:
        pass


class LessonScene(MovingCameraScene):
    """Base of every lesson scene: a zoom-safe camera, and a still at each section's end.

    `still_sink`, when set, receives the last frame of every section; with animations
    skipped this gives a storyboard of the whole video in about a second per minute.
    """

    still_sink: StillSink | None = None
    #: stills only: fades, writes and creations jump to their end (see `Cut`)
    cut_animations = False

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("camera_class", ZoomCamera)
        super().__init__(**kwargs)
        self._still_sections: list[str] = []

    def play(self, *args: Any, **kwargs: Any) -> None:
        if self.cut_animations:
            args = tuple(Cut.of(a) for a in args)
        super().play(*args, **kwargs)

    def get_moving_and_static_mobjects(self, animations: Any) -> tuple[list[Any], list[Any]]:
        moving, static = super().get_moving_and_static_mobjects(animations)
        if self.cut_animations:
            # no in-between frames, so no background worth caching: Manim would draw it
            # at every play of a storyboard only to throw it away
            return moving + static, []
        return moving, static

    #: the names of the sections to write; the others are played with animations skipped
    #: (Manim's own section skipping), only to set the stage for the recorded ones
    record: Collection[str] | None = None

    def next_section(self, name: str = "unnamed", *args: Any, **kwargs: Any) -> None:
        self._emit_still()
        self._still_sections.append(name)
        if self.record is not None:
            kwargs["skip_animations"] = name not in self.record
        super().next_section(name, *args, **kwargs)

    def tear_down(self) -> None:
        self._emit_still()
        super().tear_down()

    def _emit_still(self) -> None:
        if self.still_sink is None or not self._still_sections:
            return
        if self.renderer.skip_animations or self.renderer.num_plays == 0:
            # the last play's cached background shows its first frame, not this one
            self.renderer.static_image = None
            self.renderer.update_frame(self)
        index = len(self._still_sections) - 1
        self.still_sink(index, self._still_sections[-1], self.renderer.get_frame())
