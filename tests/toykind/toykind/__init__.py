"""A toy kind of part, shipped the way a course team would: its own package, registered in
the `lessonkit.parts` entry-point group. A part `toy = 3` shows 3 dots, counted in words."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from lessonkit.lesson.kinds import PartKind, PartTable
from lessonkit.lesson.storyboard import Step

__all__ = ["KIND", "ToyPart"]


@dataclass(frozen=True)
class ToyPart:
    count: int
    name: str
    label: str
    line: int
    kind: str = "toy"


class ToyKind(PartKind):
    name = "toy"
    marker = "toy"
    keys = {"toy": "how many dots to show, 1 to 9", "label": "the chapter head"}

    def read(self, table: PartTable) -> ToyPart:
        count = table.value("toy", int, required=True)
        assert count is not None
        if not 1 <= count <= 9:
            raise table.error(f"show 1 to 9 dots, got {count}", "toy")
        label = table.value("label", str) or f"{count} dots"
        return ToyPart(count, table.name, label, table.line)

    def steps(self, part: ToyPart, lesson: Any) -> list[Step]:
        return [
            Step(
                "dots",
                f"{part.name}-dots",
                f"Here are {part.count} dots.",
                2.0,
                part=part.name,
                label=part.label,
                words=lesson.words,
                part_kind=self.name,
                extra={"count": str(part.count)},
            )
        ]

    def draw(self, director: Any, step: Step) -> None:
        from manim import DOWN, RIGHT, Dot, FadeIn, VGroup

        count = int(step.extra["count"])
        dots = VGroup(*(Dot(radius=0.4, color="#EBCB8B") for _ in range(count)))
        dots.arrange(RIGHT, buff=0.5).shift(0.5 * DOWN)
        director.play(FadeIn(dots), run_time=1.0)

    def table(self, part: ToyPart, fmt: str, digits: int | None = None) -> str:
        if fmt == "json":
            return json.dumps({"toy": part.name, "dots": part.count})
        return f"{part.name}: {part.count} dots"


KIND = ToyKind()
