"""The graph kind as the registry sees it: a [[part]] with a `graph` key (assignments)."""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from lessonkit.lesson.kinds import PartKind, PartTable
from lessonkit.lesson.storyboard import Step
from lessonkit.parts.graph.reading import GRAPH_KEYS, GraphPart, read_graph_part

__all__ = ["KIND", "GraphKind"]


class GraphKind(PartKind):
    """A computation graph: forward values, then derivatives by nudges and the chain rule."""

    name = "graph"
    marker = "graph"
    keys = GRAPH_KEYS
    wanted = "graph = [...] (a computation graph)"
    order = 2

    def default_name(self, raw: Mapping[str, Any]) -> str:
        output = raw.get("output")
        return f"graph-{output}" if isinstance(output, str) and output.isalnum() else "graph"

    def read(self, table: PartTable) -> GraphPart:
        return read_graph_part(table)

    def steps(self, part: GraphPart, lesson: Any) -> list[Step]:
        from lessonkit.parts.graph.steps import graph_steps

        return graph_steps(part, lesson)

    def draw(self, director: Any, step: Step) -> None:
        from lessonkit.parts.graph.drawing import draw_graph_step

        draw_graph_step(director, step)

    def chapter_title(self, step: Step, in_lesson: bool = False) -> str | None:
        from lessonkit.parts.graph.chapters import graph_chapter_title

        return graph_chapter_title(step, in_lesson)

    def table(self, part: GraphPart, fmt: str, digits: int | None = None) -> str:
        from lessonkit.parts.graph.table import graph_table

        return graph_table(part, fmt, digits)

    def sources(self) -> list[Path]:
        """The kind's own files and the graph maths they draw."""
        from lessonkit.maths import compgraph

        maths = sorted(Path(inspect.getfile(compgraph)).parent.glob("compgraph*.py"))
        return [*super().sources(), *maths]


KIND = GraphKind()
