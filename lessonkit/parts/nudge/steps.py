"""The steps of a nudge part: graph, then per point slide, nudge, shrink, slope (and the
leftover terms where they exist), then the rule; with the captions lessonkit writes when
the lesson file gives none, filled with values from lessonkit's math.
"""

from __future__ import annotations

from typing import Any

from lessonkit.lesson.i18n import N_
from lessonkit.lesson.spec import ClipSpec, NudgePart
from lessonkit.lesson.storyboard import Step
from lessonkit.lesson.wording import fill
from lessonkit.maths.nudge import Expansion, Nudge, expansion, nudge
from lessonkit.maths.numbers import SIGNIFICANT_DIGITS, Value

__all__ = ["CLIP_KINDS", "clip_steps", "nudge_part_steps", "step_values"]

#: The kinds of step a nudge part plays, in order; a lesson file overrides captions by these.
CLIP_KINDS = ("graph", "slide", "nudge", "shrink", "slope", "leftover", "rule")


def nudge_part_steps(part: NudgePart | ClipSpec, lesson: Any) -> list[Step]:
    """A lesson's nudge part, its step names prefixed with the part's; or a clip alone."""
    if isinstance(part, ClipSpec):
        return clip_steps(part)
    return clip_steps(part.clip, f"{part.name}-", part, lesson.digits)


def step_values(
    kind: str,
    spec: ClipSpec,
    index: int = 0,
    row: Nudge | None = None,
    e: Expansion | None = None,
    digits: int = SIGNIFICANT_DIGITS,
) -> dict[str, Value | str]:
    """The placeholders a nudge-part step offers its caption template."""
    fn = spec.function
    words = spec.words
    values: dict[str, Value | str] = {
        "title": fn.title,
        "formula": fn.formula,
        "derivative": fn.derivative_formula,
        "points": ", ".join(Value(a).text() for a in spec.points),
    }
    if kind == "rule":
        values["checks"] = words(N_(", ")).join(
            _eq(f"f'({Value(a).text()})", fn.derivative(a), digits) for a in spec.points
        )
        return values
    if kind == "graph":
        return values
    a = spec.points[index]
    values |= {"a": Value(a), "f_a": fn.value(a)}
    if row is not None:
        values |= {
            "da": row.da,
            "f_a_da": row.f_a_da,
            "df": row.df,
            "ratio": row.ratio,
            "slope": row.slope,
            "gap": row.gap,
        }
    if e is not None:
        values["expansion"] = e.numeric()
    return values


def _eq(name: str, v: Value, digits: int = SIGNIFICANT_DIGITS) -> str:
    """'Δf = 5' or 'Δf ≈ 0.4054651081'."""
    return f"{name} = {v.text(digits)}" if v.shows_exactly else f"{name} ≈ {v.text(digits)}"


def _default_template(kind: str, spec: ClipSpec, index: int, row: Nudge | None) -> str:
    """The caption lessonkit writes for a step when the lesson file gives none, in the
    clip's language (whole sentences, so that a translator can reorder them)."""
    return spec.words(_default_message(kind, spec, index, row))


def _default_message(kind: str, spec: ClipSpec, index: int, row: Nudge | None) -> str:
    if kind == "graph":
        return N_("This is the curve {title}.")
    if kind == "slide":
        if index == 0:
            return N_("Slide the point to a = {a}, where f(a) {=f_a}.")
        return N_("Zoom back out and slide the point to a = {a}, where f(a) {=f_a}.")
    if kind == "nudge":
        return N_("Nudge a right by Δa = {da}: f rises by {df}, so Δf/Δa {=ratio}.")
    if kind == "shrink":
        return N_("Shrink the nudge to Δa = {da}: now Δf/Δa {=ratio}.")
    if kind == "slope":
        assert row is not None
        if row.gap.q == 0:
            return N_("On a straight line Δf/Δa is the slope for any nudge: f'({a}) {=slope}.")
        shrunk = len(spec.schedule_at(index)) > 1
        if row.gap.q > 0:
            if shrunk:
                return N_(
                    "As Δa shrinks the secant turns into the tangent: "
                    "Δf/Δa {=ratio} is just above the slope f'({a}) {=slope}."
                )
            return N_("Δf/Δa {=ratio} is just above the slope f'({a}) {=slope}.")
        if shrunk:
            return N_(
                "As Δa shrinks the secant turns into the tangent: "
                "Δf/Δa {=ratio} is just below the slope f'({a}) {=slope}."
            )
        return N_("Δf/Δa {=ratio} is just below the slope f'({a}) {=slope}.")
    if kind == "leftover":
        return N_("The extra {gap} in Δf/Δa comes from the leftover terms: {expansion}.")
    assert kind == "rule"
    fn = spec.function
    slopes = {fn.derivative(a).q for a in spec.points}
    if len(slopes) == 1 and len(spec.points) > 1:
        return N_("The slope is the same everywhere: f'(a) = {derivative}, so {checks}.")
    if len(spec.points) > 1:
        return N_("The slope differs from point to point: f'(a) = {derivative}, so {checks}.")
    return N_("The rule f'(a) = {derivative} agrees: {checks}.")


def _default_narration(kind: str, spec: ClipSpec) -> str | None:
    """What the voice says where the caption is for reading, not for hearing: a leftover
    step's expansion is a row of long decimals that takes 20 s to say digit by digit."""
    if kind == "leftover":
        return spec.words(N_("The extra {gap} in Δf/Δa comes from the leftover terms."))
    return None


def clip_steps(
    spec: ClipSpec,
    prefix: str = "",
    part: NudgePart | None = None,
    digits: int | None = None,
) -> list[Step]:
    """The steps of one nudge clip: graph, then per point slide, nudge, shrink, slope; rule.
    Values that are not exact show `digits` significant digits (default: the spec's)."""
    fn = spec.function
    digits = spec.digits if digits is None else digits
    p = prefix
    where = f"part {part.name!r}" if part is not None else "caption"
    steps: list[Step] = []

    def add(
        kind: str,
        name: str,
        duration: float,
        index: int = 0,
        row: Nudge | None = None,
        e: Expansion | None = None,
    ) -> None:
        template = part.caption_for(kind, name) if part is not None else None
        template = template or _default_template(kind, spec, index, row)
        values = step_values(kind, spec, index, row, e, digits)
        caption = fill(template, values, digits, f"{where}, captions.{name}")
        spoken = part.narration_for(kind, name) if part is not None else None
        spoken = spoken or _default_narration(kind, spec)
        narration = fill(spoken, values, digits, f"{where}, narration.{name}") if spoken else ""
        steps.append(
            Step(
                kind,
                f"{p}{name}",
                caption,
                duration,
                spec,
                index,
                row,
                e,
                part=part.name if part is not None else "",
                label=part.label if part is not None else "",
                words=spec.words,
                narration=narration,
                part_kind="nudge",
            )
        )

    # 3 s: a 0.6 s fade of the previous part, 1.5 s drawing the axes, 0.8 s the panel
    add("graph", "graph", 3.0)
    for i, a in enumerate(spec.points):
        at = Value(a).text()
        # later points first fade the last nudge (0.6 s) and zoom out (1.0 s)
        add("slide", f"slide-a{at}", 3.0 if i == 0 else 4.0, i)
        schedule = spec.schedule_at(i)
        for j, da in enumerate(schedule):
            row = nudge(fn, a, da, spec.digits)
            kind, duration = ("nudge", 4.0) if j == 0 else ("shrink", 3.5)
            add(kind, f"{kind}-a{at}-d{row.da.text()}", duration, i, row)
        last = nudge(fn, a, schedule[-1], spec.digits)
        add("slope", f"slope-a{at}", 4.0, i, last)
        e = expansion(fn, a, schedule[-1])
        if e is not None and e.leftover.q != 0:
            add("leftover", f"leftover-a{at}", 4.5, i, last, e)
    add("rule", "rule", 4.5)
    return steps
