"""The nudge kind as the registry sees it: a [[part]] with a `function` key.

Each method hands over to the module that holds that side of the kind (reading.py, steps.py,
drawing.py, chapters.py, table.py); drawing is imported only when a step is drawn, so
reading a lesson or printing a table never loads Manim.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lessonkit.lesson.kinds import PartKind, PartTable
from lessonkit.lesson.spec import ClipSpec, NudgePart
from lessonkit.lesson.storyboard import Step
from lessonkit.lesson.tomlfile import unknown_keys
from lessonkit.parts.nudge.reading import NUDGE_KEYS, default_name, read_nudge_part

__all__ = ["KIND", "NudgeKind"]


class NudgeKind(PartKind):
    """A point slides along f, a nudge triangle shrinks, Δf/Δa meets f'(a)."""

    name = "nudge"
    marker = "function"
    keys = NUDGE_KEYS
    wanted = "a function (a nudge part)"
    order = 0

    def default_name(self, raw: Mapping[str, Any]) -> str:
        return default_name(raw)

    def check_keys(self, table: PartTable) -> None:
        unknown_keys(table.raw, NUDGE_KEYS, table.where, "key", "part", table.index)

    def read(self, table: PartTable) -> NudgePart:
        return read_nudge_part(table)

    def steps(self, part: NudgePart | ClipSpec, lesson: Any) -> list[Step]:
        """A lesson's nudge part; with no lesson, `part` is a clip played alone."""
        from lessonkit.parts.nudge.steps import nudge_part_steps

        return nudge_part_steps(part, lesson)

    def draw(self, director: Any, step: Step) -> None:
        from lessonkit.parts.nudge.drawing import draw_nudge_step

        draw_nudge_step(director, step)

    def chapter_title(self, step: Step, in_lesson: bool = False) -> str | None:
        from lessonkit.parts.nudge.chapters import nudge_chapter_title

        return nudge_chapter_title(step, in_lesson)

    def table(self, part: NudgePart | ClipSpec, fmt: str, digits: int | None = None) -> str:
        from lessonkit.maths.nudge import convergence_table
        from lessonkit.maths.numbers import SIGNIFICANT_DIGITS
        from lessonkit.parts.nudge.table import RENDERERS

        spec = part if isinstance(part, ClipSpec) else part.clip
        rows = convergence_table(
            spec.function, spec.points, spec.schedule, digits or SIGNIFICANT_DIGITS, spec.side
        )
        return RENDERERS[fmt](spec.function, rows)


KIND = NudgeKind()
