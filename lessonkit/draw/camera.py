"""The zoom camera and the base scene of every lesson.

Manim's Cairo camera draws line widths in scene units (its zoom correction divides the frame
width by itself), so a 1000x zoom turns a 4 px curve into a 4000 px band. `ZoomCamera`
scales the line width by the zoom instead, draws pinned HUD content in home coordinates,
and spends nothing on what the view cannot see. `LessonScene` gives a still per section and,
for storyboards, cuts animations to their end state (`Cut`). What either changes in Manim's
own code is in manim_compat.py (`PatchedMovingCamera`, `PatchedMovingCameraScene`); here is
what lessonkit decides through it: the HUD layer, culling, the stills.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

import numpy as np
from manim import VMobject

from lessonkit.draw.cut import Cut
from lessonkit.draw.hud import HUD_FLAG
from lessonkit.draw.hud_layer import HudLayer
from lessonkit.draw.manim_compat import PatchedMovingCamera, PatchedMovingCameraScene

__all__ = ["ZoomCamera", "LessonScene", "StillSink", "Cut"]

#: Called with (section index, section name, RGBA frame) at the end of every section.
StillSink = Callable[[int, str, np.ndarray], None]


#: a stroke-only path with at least this many curves is drawn only where the view sees it
CULL_MIN_CURVES = 64
#: half the view's size, plus 5 % on each side: what lies beyond is not drawn
VIEW_HALF = 0.55


def _invisible(m: Any) -> bool:
    """Nothing to paint: no fill, no stroke (the camera frame, a faded-out badge)."""
    return bool(
        not m.fill_rgbas[:, 3].any()
        and (m.stroke_width == 0 or not m.stroke_rgbas[:, 3].any())
        and (m.background_stroke_width == 0 or not m.background_stroke_rgbas[:, 3].any())
    )


class ZoomCamera(PatchedMovingCamera):
    """MovingCamera with stroke widths constant in pixels, sharp glyphs at any zoom, a HUD
    layer drawn in home coordinates, and no work spent on what the view cannot see."""

    _hud_layer: HudLayer | None = None

    def draw_shown(self, shown: list[Any]) -> None:
        cut = len(shown)
        while cut and getattr(shown[cut - 1], HUD_FLAG, False):
            cut -= 1  # the HUD draws last (z-index 10): its members end the list
        tail = shown[cut:]
        if len(tail) < HudLayer.MIN_MEMBERS or not all(isinstance(m, VMobject) for m in tail):
            super().draw_shown(shown)
            return
        super().draw_shown(shown[:cut])
        if self._hud_layer is None:
            self._hud_layer = HudLayer()
        self._hud_layer.draw(self, tail)

    def shows(self, vmobject: Any) -> bool:
        return self._sees(vmobject.points) and not _invisible(vmobject)

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

    def trace(
        self, ctx: Any, vmobject: Any, xy: np.ndarray, subpaths: list[tuple[int, int, bool]]
    ) -> None:
        n_curves = len(xy) // 4
        if self._on_hud or n_curves < CULL_MIN_CURVES or vmobject.get_fill_opacity() > 0:
            super().trace(ctx, vmobject, xy, subpaths)
            return
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


class LessonScene(PatchedMovingCameraScene):
    """Base of every lesson scene: a zoom-safe camera, and a still at each section's end.

    `still_sink`, when set, receives the last frame of every section; with animations
    skipped this gives a storyboard of the whole video in about a second per minute.
    Stills only: `cut_animations` makes fades, writes and creations jump to their end.
    """

    still_sink: StillSink | None = None

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("camera_class", ZoomCamera)
        super().__init__(**kwargs)
        self._still_sections: list[str] = []

    def play(self, *args: Any, **kwargs: Any) -> None:
        if self.cut_animations:
            args = tuple(Cut.of(a) for a in args)
        super().play(*args, **kwargs)

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
        frame = self.frame_now()
        index = len(self._still_sections) - 1
        self.still_sink(index, self._still_sections[-1], frame)
