"""The storyboard: the ordered steps of a clip or lesson, each a section with one caption.

Scenes play these steps; captions, chapters and manifests are made from them too, so the
words a student reads and the numbers on screen come from one place: lessonkit's math.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lessonkit.nudge import Expansion, Nudge, expansion, nudge
from lessonkit.numbers import Value
from lessonkit.spec import ClipSpec, LessonSpec

__all__ = ["Step", "clip_steps", "lesson_steps", "total_duration"]


@dataclass(frozen=True)
class Step:
    """One section of a video: what happens (`kind`), its caption and how long it lasts."""

    kind: str
    name: str
    caption: str
    duration: float
    spec: ClipSpec | None = None
    point_index: int = 0
    row: Nudge | None = None
    expansion: Expansion | None = None
    extra: dict[str, str] = field(default_factory=dict)


def _t(v: Value) -> str:
    """A value in a caption: exact text, or '≈' and 10 significant digits."""
    return v.marked()


def _eq(name: str, v: Value) -> str:
    """'Δf = 5' or 'Δf ≈ 0.4054651081'."""
    return f"{name} = {v.text()}" if v.shows_exactly else f"{name} ≈ {v.text()}"


def clip_steps(spec: ClipSpec, prefix: str = "") -> list[Step]:
    """The steps of one nudge clip: graph, then per point slide, nudge, shrink, slope; rule."""
    fn = spec.function
    p = prefix
    steps = [
        # 3 s: a 0.6 s fade of the previous part, 1.5 s drawing the axes, 0.8 s the panel
        Step("graph", f"{p}graph", f"This is the curve {fn.title}.", 3.0, spec),
    ]
    for i, a in enumerate(spec.points):
        av = Value(a)
        at = av.text()
        fa = fn.value(a)
        where = "Slide" if i == 0 else "Zoom back out and slide"
        steps.append(
            Step(
                "slide",
                f"{p}slide-a{at}",
                f"{where} the point to a = {at}, where {_eq('f(a)', fa)}.",
                # later points first fade the last nudge (0.6 s) and zoom out (1.0 s)
                3.0 if i == 0 else 4.0,
                spec,
                i,
            )
        )
        schedule = spec.schedule_at(i)
        for j, da in enumerate(schedule):
            row = nudge(fn, a, da)
            dt = row.da.text()
            if j == 0:
                caption = (
                    f"Nudge a right by Δa = {dt}: f rises by {_t(row.df)}, "
                    f"so {_eq('Δf/Δa', row.ratio)}."
                )
                kind, duration = "nudge", 4.0
            else:
                caption = f"Shrink the nudge to Δa = {dt}: now {_eq('Δf/Δa', row.ratio)}."
                kind, duration = "shrink", 3.5
            steps.append(Step(kind, f"{p}{kind}-a{at}-d{dt}", caption, duration, spec, i, row))
        last = nudge(fn, a, schedule[-1])
        steps.append(
            Step(
                "slope",
                f"{p}slope-a{at}",
                _slope_caption(last, at, len(schedule)),
                4.0,
                spec,
                i,
                last,
            )
        )
        e = expansion(fn, a, schedule[-1])
        if e is not None and e.leftover.q != 0:
            steps.append(
                Step(
                    "leftover",
                    f"{p}leftover-a{at}",
                    f"The extra {last.gap.text()} in Δf/Δa comes from the leftover terms: "
                    f"{e.numeric()}.",
                    4.5,
                    spec,
                    i,
                    last,
                    e,
                )
            )
    checks = ", ".join(_eq(f"f'({Value(a).text()})", fn.derivative(a)) for a in spec.points)
    if len(set(fn.derivative(a).q for a in spec.points)) == 1 and len(spec.points) > 1:
        rule = f"The slope is the same everywhere: f'(a) = {fn.derivative_formula}, so {checks}."
    elif len(spec.points) > 1:
        rule = (
            f"The slope differs from point to point: f'(a) = {fn.derivative_formula}, so {checks}."
        )
    else:
        rule = f"The rule f'(a) = {fn.derivative_formula} agrees: {checks}."
    steps.append(Step("rule", f"{p}rule", rule, 4.5, spec))
    return steps


def _slope_caption(row: Nudge, at: str, nudges: int) -> str:
    if row.gap.q == 0:
        return (
            "On a straight line Δf/Δa is the slope for any nudge: "
            + _eq(f"f'({at})", row.slope)
            + "."
        )
    lead = "As Δa shrinks the secant turns into the tangent: " if nudges > 1 else ""
    slope = _eq(f"f'({at})", row.slope)
    return f"{lead}Δf/Δa {_relation(row)} the slope {slope}."


def _relation(row: Nudge) -> str:
    """How the last ratio compares with the slope, in words a student reads aloud."""
    gap = row.gap
    if gap.q == 0:
        return f"= {row.ratio.text()} equals"
    sign = "above" if gap.q > 0 else "below"
    return f"{'=' if row.ratio.shows_exactly else '≈'} {row.ratio.text()} is just {sign}"


def lesson_steps(lesson: LessonSpec) -> list[Step]:
    """The whole lesson: title, the linear recap, each clip, the rules card, the take-aways."""
    steps = [
        Step("title", "title", f"{lesson.title}: slopes that change from point to point.", 3.0)
    ]
    steps += clip_steps(lesson.recap, prefix="recap-")
    for clip in lesson.clips:
        steps += clip_steps(clip, prefix=f"{clip.function.name}-")
    rules = "; ".join(
        f"{c.function.formula} has slope {c.function.derivative_formula}" for c in lesson.clips
    )
    steps.append(Step("rules", "rules", f"From a table of derivatives: {rules}.", 5.0))
    steps.append(
        Step(
            "takeaways",
            "takeaways",
            "The derivative is the slope, and it can differ from point to point; "
            "derivative formulas can be looked up in a table.",
            6.0,
        )
    )
    return steps


def total_duration(steps: list[Step]) -> float:
    """Seconds of video the steps make."""
    return sum(s.duration for s in steps)
