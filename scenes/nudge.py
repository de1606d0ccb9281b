"""Nudge clips: a point on a curve, a shrinking nudge triangle, Δf/Δa closing in on f'(a).

Render with Manim itself, e.g. `manim -ql scenes/nudge.py SquareNudge`, or through
`lessonkit render square --at 2 --at 5`, which builds `NudgeScene` from a spec.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from lessonkit.draw.camera import LessonScene
from lessonkit.lesson.spec import ClipSpec, clip_spec
from lessonkit.lesson.storyboard import steps_for, steps_to_draw, steps_to_record, with_holds
from scenes.choreography import LessonDirector

__all__ = ["NudgeScene", "SquareNudge", "CubeNudge", "LogNudge", "LinearNudge"]


class NudgeScene(LessonScene):
    """One nudge clip for any spec (default: a² at 2 and 5)."""

    spec: ClipSpec = clip_spec("square")

    def __init__(
        self,
        spec: ClipSpec | None = None,
        only: Collection[str] | None = None,
        holds: Mapping[str, float] | None = None,
        record: Collection[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if spec is not None:
            self.spec = spec
        self.only = only
        self.holds = holds or {}  # the least seconds of narrated steps
        self.record = record

    def construct(self) -> None:
        steps = with_holds(steps_for(self.spec), self.holds)
        if self.only is not None:
            steps = steps_to_draw(steps, self.only)
        if self.record is not None:
            steps = steps_to_record(steps, self.record)
        LessonDirector(self).play_steps(steps)


class SquareNudge(NudgeScene):
    """a² at 2, then at 5: slopes 4 and 10."""

    spec = clip_spec("square")


class CubeNudge(NudgeScene):
    """a³ at 2: 8 -> 8.012006001, slope 12."""

    spec = clip_spec("cube")


class LogNudge(NudgeScene):
    """log a at 2: slope 1/2."""

    spec = clip_spec("log")


class LinearNudge(NudgeScene):
    """3a at 2: the slope is 3 for every nudge."""

    spec = clip_spec("linear")
