"""Chapter titles of a nudge part's steps, e.g. 'Shrink Δa to 0.01: Δf/Δa = 4.01', in the
step's language, with the part's label in front inside a lesson ('a²: Slope f'(2) = 4')."""

from __future__ import annotations

from lessonkit.lesson.i18n import N_
from lessonkit.lesson.storyboard import Step
from lessonkit.maths.numbers import Value

__all__ = ["nudge_chapter_title"]


def _ratio(v: Value, digits: int) -> str:
    return f"Δf/Δa = {v.text(digits)}" if v.shows_exactly else f"Δf/Δa ≈ {v.text(digits)}"


def nudge_chapter_title(step: Step, in_lesson: bool = False) -> str | None:
    """A short title for a step, e.g. 'Shrink Δa to 0.01: Δf/Δa = 4.01', in its language.

    In a lesson, a part's steps start with the part's label ('a²: Slope f'(2) = 4',
    'Recap: ...'): the function's formula unless the lesson file names it.
    """
    spec = step.spec
    words = step.words
    point = Value(spec.points[step.point_index]).text() if spec is not None else ""
    values: dict[str, str] = {"a": point}
    if step.kind == "graph" and spec is not None:
        template, values = N_("The curve {title}"), {"title": spec.function.title}
    elif step.kind == "slide":
        template = N_("Point a = {a}")
    elif step.kind in ("nudge", "shrink") and step.row is not None:
        template = (
            N_("Nudge Δa = {da}: {ratio}")
            if step.kind == "nudge"
            else N_("Shrink Δa to {da}: {ratio}")
        )
        values = {"da": step.row.da.text(), "ratio": _ratio(step.row.ratio, step.row.digits)}
    elif step.kind == "slope" and step.row is not None:
        rel = "=" if step.row.slope.shows_exactly else "≈"
        template = N_("Slope f'({a}) {relation} {slope}")
        values |= {"relation": rel, "slope": step.row.slope.text(step.row.digits)}
    elif step.kind == "leftover":
        template = N_("Leftover terms at a = {a}")
    elif step.kind == "rule" and spec is not None:
        template = N_("The rule f'(a) = {derivative}")
        values = {"derivative": spec.function.derivative_formula}
    else:
        return None
    title = _fill(words(template), values)
    if in_lesson and spec is not None:
        head = step.label or spec.function.formula
        title = _fill(words(N_("{part}: {title}")), {"part": head, "title": title})
    return title


def _fill(template: str, values: dict[str, str]) -> str:
    """Put plain texts into a chapter template's {names} (its values are already text)."""
    for name, text in values.items():
        template = template.replace("{" + name + "}", text)
    return template
