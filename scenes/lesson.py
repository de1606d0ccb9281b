"""The full lesson "More derivative examples": 3a, a² at 2 and 5, a³ at 2, log a at 2, rules.

Render with `manim -qh scenes/lesson.py MoreDerivativeExamples` or `lessonkit render --lesson`.
"""

from __future__ import annotations

from typing import Any

from lessonkit.draw.camera import LessonScene
from lessonkit.spec import LessonSpec, default_lesson
from lessonkit.storyboard import lesson_steps
from scenes.choreography import LessonDirector

__all__ = ["MoreDerivativeExamples"]


class MoreDerivativeExamples(LessonScene):
    """Title, linear recap, the three nudge clips, the rules card and the take-aways."""

    lesson: LessonSpec = default_lesson()

    def __init__(self, lesson: LessonSpec | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if lesson is not None:
            self.lesson = lesson

    def construct(self) -> None:
        LessonDirector(self, self.lesson).play_steps(lesson_steps(self.lesson))
