"""A lesson player: plays the steps of a lesson file, or just the steps asked for.

Render with `lessonkit render LESSON.toml`; as a plain Manim scene,
`manim -qh scenes/lesson.py MoreDerivativeExamples` plays the shipped lesson file.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from lessonkit.draw.camera import LessonScene
from lessonkit.lesson.lessonfile import default_lesson
from lessonkit.lesson.spec import LessonSpec
from lessonkit.lesson.storyboard import lesson_steps, steps_to_draw, steps_to_record, with_holds
from scenes.choreography import LessonDirector

__all__ = ["LessonPlayer", "MoreDerivativeExamples"]


class LessonPlayer(LessonScene):
    """Every step of a lesson, or (with `only`) the named steps, each drawn from the start
    of its own part so that its picture depends on the lesson file alone."""

    lesson: LessonSpec | None = None

    def __init__(
        self,
        lesson: LessonSpec | None = None,
        only: Collection[str] | None = None,
        holds: Mapping[str, float] | None = None,
        record: Collection[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if lesson is not None:
            self.lesson = lesson
        self.only = only
        self.holds = holds or {}  # the least seconds of narrated steps
        self.record = record

    def construct(self) -> None:
        lesson = self.lesson if self.lesson is not None else default_lesson()
        steps = with_holds(lesson_steps(lesson), self.holds)
        if self.only is not None:
            steps = steps_to_draw(steps, self.only)
        if self.record is not None:
            steps = steps_to_record(steps, self.record)
        LessonDirector(self).play_steps(steps)


class MoreDerivativeExamples(LessonPlayer):
    """The shipped lesson file, lessons/more-derivative-examples.toml."""
