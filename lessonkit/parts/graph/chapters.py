"""Chapter titles of a graph part's steps ('Nudge b: ΔJ/Δb = 6'), in the step's language,
with the part's label in front inside a lesson ('J = 3(a + bc): Chain rule: dJ/db = 6')."""

from __future__ import annotations

from lessonkit.lesson.i18n import N_
from lessonkit.lesson.storyboard import Step
from lessonkit.maths.numbers import Value
from lessonkit.parts.graph.steps import part_from_json, shown, step_values

__all__ = ["graph_chapter_title"]


def _is(v: Value, digits: int) -> str:
    return ("= " if v.shows_exactly else "≈ ") + v.text(digits)


def graph_chapter_title(step: Step, in_lesson: bool = False) -> str | None:
    """A short title for one of a graph part's steps."""
    part = part_from_json(step.extra["part"])
    graph = part.graph()
    digits = int(step.extra.get("digits", "5"))
    node, out = shown(step.extra.get("node", "") or graph.output), shown(graph.output)
    words = step.words
    if step.kind == "build":
        title = words(N_("The graph of {output}")).replace("{output}", out)
    elif step.kind == "forward":
        title = words(N_("Forward pass: {output} {value}"))
        title = title.replace("{output}", out).replace("{value}", _is(graph.value(out), digits))
    elif step.kind in ("nudge", "chain"):
        values = step_values(graph, step.kind, step.extra["node"], part.nudge, digits)
        template = (
            N_("Nudge {node}: {ratio}") if step.kind == "nudge" else N_("Chain rule: {derivative}")
        )
        ratio, derivative = values["ratio"], values["derivative"]
        assert isinstance(ratio, Value) and isinstance(derivative, Value)
        title = words(template).replace("{node}", node)
        title = title.replace("{ratio}", f"Δ{out}/Δ{node} {_is(ratio, digits)}")
        title = title.replace("{derivative}", f"d{out}/d{node} {_is(derivative, digits)}")
    else:
        return None
    if in_lesson:
        title = words(N_("{part}: {title}")).replace("{part}", step.label).replace("{title}", title)
    return title
