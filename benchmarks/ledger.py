"""A time ledger for one render: where the main thread's wall time goes, frame by frame.

Installed in a child process by wrapping a few Manim methods (nothing in lessonkit is
touched). Each wrapper adds two perf_counter calls, a few microseconds per frame, so the
ledger can run on the real render instead of a profiler-inflated one. It answers:

  - updaters vs. animation interpolation vs. drawing (Cairo) vs. handing frames to the
    encoder (queue full = the encoder is the bottleneck) vs. waiting at the end of each
    segment for its encoder (Manim's `max_inflight_encoders` = 1) vs. joining the files;
  - how many frames redraw every mobject although the camera frame did not move
    (a camera-frame updater makes Manim treat every mobject as moving);
  - how much `DecimalNumber.set_value` costs, and how much of it re-typesets the same text.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

__all__ = ["Ledger", "install", "measure_static_draw"]


@dataclass
class Ledger:
    """Seconds and counts gathered while a scene renders (main thread only)."""

    update_to_time_s: float = 0.0  # animations' interpolation + updaters
    updaters_s: float = 0.0  # Scene.update_mobjects (all updaters, ours included)
    draw_s: float = 0.0  # CairoRenderer.update_frame: clearing + Cairo drawing
    frames_drawn: int = 0
    draw_full_camera_still_frames: int = 0  # everything redrawn, camera frame unmoved
    draw_full_camera_still_s: float = 0.0
    draw_full_camera_moving_frames: int = 0  # everything redrawn, camera moving (needed)
    draw_full_camera_moving_s: float = 0.0
    draw_over_static_frames: int = 0  # moving mobjects drawn over a cached static image
    draw_over_static_s: float = 0.0
    frame_copy_s: float = 0.0  # renderer.get_frame(): pixel array copy
    handoff_s: float = 0.0  # add_frame -> queue.put (blocks while the encoder is behind)
    frames_handed: int = 0  # add_frame calls (a frozen hold is one call)
    segments: int = 0
    segment_wait_s: float = 0.0  # close_partial_movie_stream: waiting for the encoder
    finish_s: float = 0.0  # SceneFileWriter.finish: drain, concatenate, section files
    decimal_calls: int = 0
    decimal_s: float = 0.0
    decimal_same_text_calls: int = 0  # set_value that re-typesets the text already shown
    decimal_same_text_s: float = 0.0
    static_graph_draw_ms: float | None = None  # axes + curve, one frame (after the render)
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _timed(cls: type, name: str, add: Callable[[Any, float, tuple[Any, ...], Any], None]) -> None:
    original = getattr(cls, name)

    @functools.wraps(original)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return original(self, *args, **kwargs)
        finally:
            add(self, time.perf_counter() - start, args, kwargs)

    setattr(cls, name, wrapper)


def install(ledger: Ledger) -> None:
    """Wrap Manim's render loop so that `ledger` fills in as the scene renders."""
    from manim.mobject.text.numbers import DecimalNumber
    from manim.renderer.cairo_renderer import CairoRenderer
    from manim.scene.scene import Scene
    from manim.scene.scene_file_writer import SceneFileWriter

    def on_update_to_time(_: Any, dt: float, *__: Any) -> None:
        ledger.update_to_time_s += dt

    def on_updaters(_: Any, dt: float, *__: Any) -> None:
        ledger.updaters_s += dt

    last_view: dict[str, Any] = {"view": None}

    original_update_frame = CairoRenderer.update_frame

    @functools.wraps(original_update_frame)
    def update_frame(self: Any, scene: Any, *args: Any, **kwargs: Any) -> Any:
        full = self.static_image is None
        frame = getattr(self.camera, "frame", None)
        view = None
        if frame is not None:
            view = (*np.round(frame.get_center(), 12), round(float(frame.width), 12))
        moved = view != last_view["view"]
        last_view["view"] = view
        start = time.perf_counter()
        try:
            return original_update_frame(self, scene, *args, **kwargs)
        finally:
            dt = time.perf_counter() - start
            ledger.draw_s += dt
            ledger.frames_drawn += 1
            if not full:
                ledger.draw_over_static_frames += 1
                ledger.draw_over_static_s += dt
            elif moved:
                ledger.draw_full_camera_moving_frames += 1
                ledger.draw_full_camera_moving_s += dt
            else:
                ledger.draw_full_camera_still_frames += 1
                ledger.draw_full_camera_still_s += dt

    CairoRenderer.update_frame = update_frame  # type: ignore[method-assign]

    def on_copy(_: Any, dt: float, *__: Any) -> None:
        ledger.frame_copy_s += dt

    def on_handoff(_: Any, dt: float, *__: Any) -> None:
        ledger.handoff_s += dt
        ledger.frames_handed += 1

    def on_close(_: Any, dt: float, *__: Any) -> None:
        ledger.segment_wait_s += dt
        ledger.segments += 1

    def on_finish(_: Any, dt: float, *__: Any) -> None:
        ledger.finish_s += dt

    _timed(Scene, "update_to_time", on_update_to_time)
    _timed(Scene, "update_mobjects", on_updaters)
    _timed(CairoRenderer, "get_frame", on_copy)
    _timed(CairoRenderer, "add_frame", on_handoff)
    _timed(SceneFileWriter, "close_partial_movie_stream", on_close)
    _timed(SceneFileWriter, "finish", on_finish)

    original_set_value = DecimalNumber.set_value

    @functools.wraps(original_set_value)
    def set_value(self: Any, number: float) -> Any:
        text = (self._get_num_string(number), self.num_decimal_places)
        same = getattr(self, "_ledger_text", None) == text
        start = time.perf_counter()
        try:
            return original_set_value(self, number)
        finally:
            dt = time.perf_counter() - start
            self._ledger_text = text
            ledger.decimal_calls += 1
            ledger.decimal_s += dt
            if same:
                ledger.decimal_same_text_calls += 1
                ledger.decimal_same_text_s += dt

    DecimalNumber.set_value = set_value  # type: ignore[method-assign]


def measure_static_draw(scene: Any, repeats: int = 10) -> float | None:
    """Milliseconds to draw the scene's axes and curve once (what a cached static image saves
    on every frame that redraws them although they did not move)."""
    from manim import Axes, ParametricFunction

    family = [m for m in scene.mobjects if isinstance(m, (Axes, ParametricFunction))]
    if not family:
        return None
    camera = scene.renderer.camera
    camera.capture_mobjects(family)  # warm caches
    start = time.perf_counter()
    for _ in range(repeats):
        camera.reset()
        camera.capture_mobjects(family)
    return (time.perf_counter() - start) / repeats * 1000
