"""The steps of a nudge part: graph, then per point slide, nudge, shrink, slope (and the
leftover terms where they exist), then the rule; with the captions lessonkit writes when
the lesson file gives none, filled with values from lessonkit's math.
"""

from __future__ import annotations

import re
from typing import Any

from lessonkit.lesson.i18n import N_
from lessonkit.lesson.spec import ClipSpec, NudgePart
from lessonkit.lesson.storyboard import Step
from lessonkit.lesson.wording import fill
from lessonkit.maths.nudge import Expansion, Nudge, expansion, nudge
from lessonkit.maths.numbers import SIGNIFICANT_DIGITS, Value

__all__ = ["CLIP_KINDS", "clip_steps", "name_number", "nudge_part_steps", "step_values"]

#: longest number text kept whole in a step name (its section's file names must stay short)
NAME_DIGITS = 16


def name_number(v: Value) -> str:
    """A number as a step name shows it: its text ('2', '0.001'), or 12 significant digits
    in scientific form when the text is long ('1e-300' for 10^-300, not 302 characters)."""
    text = v.text()
    return text if len(text) <= NAME_DIGITS else f"{float(v.q):.12g}".replace("+", "")


#: The kinds of step a nudge part plays, in order; a lesson file overrides captions by these
#: ("kink": the two sides of a point where f has no single slope, and the convention there).
CLIP_KINDS = ("graph", "slide", "nudge", "shrink", "slope", "leftover", "kink", "rule")


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
        values["checks"] = words(N_(", ")).join(_check(fn, a, digits) for a in spec.points)
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
    if kind == "kink":
        values |= {"right": fn.one_sided(a, 1), "left": fn.one_sided(a, -1)}
        convention = fn.convention(a)
        if convention is not None:
            values |= {"convention": convention[0], "library": library_names(convention[1], words)}
    return values


def library_names(names: str, words: Any) -> str:
    """'PyTorch, TensorFlow and JAX' joined the way the language joins a list."""
    parts = re.split(r", | and ", names)
    if len(parts) == 1:
        return names
    return words(N_(", ")).join(parts[:-1]) + words(N_(" and ")) + parts[-1]


def _check(fn: Any, a: Any, digits: int) -> str:
    """'f'(2) = 4'; at a kink both sides: 'f'(0⁺) = 1, f'(0⁻) = 0'."""
    at = Value(a).text()
    if fn.is_kink(a):
        right = _eq(f"f'({at}⁺)", fn.one_sided(a, 1), digits)
        left = _eq(f"f'({at}⁻)", fn.one_sided(a, -1), digits)
        return f"{right}, {left}"
    return _eq(f"f'({at})", fn.derivative(a), digits)


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
        if row is not None and row.side < 0:
            return N_("Nudge a left by Δa = {da}: f changes by {df}, so Δf/Δa {=ratio}.")
        return N_("Nudge a right by Δa = {da}: f rises by {df}, so Δf/Δa {=ratio}.")
    if kind == "shrink":
        return N_("Shrink the nudge to Δa = {da}: now Δf/Δa {=ratio}.")
    if kind == "slope":
        assert row is not None
        if row.kink:
            return _one_side_message(row)
        if row.slope.q == 0 and _shrinks_like_square(spec, index):
            return N_(
                "The tangent is flat, f'({a}) = 0: Δf {=df} shrinks like (Δa)², "
                "so Δf/Δa {=ratio} shrinks with Δa."
            )
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
    if kind == "kink":
        if spec.function.convention(spec.points[index]) is not None:
            return N_(
                "There is no single slope at a = {a}: Δf/Δa goes to {right} from the right "
                "and to {left} from the left. {library} use {convention} there."
            )
        return N_(
            "There is no single slope at a = {a}: Δf/Δa goes to {right} from the right "
            "and to {left} from the left."
        )
    assert kind == "rule"
    fn = spec.function
    if any(fn.is_kink(a) for a in spec.points):
        return N_("Away from its kinks f'(a) = {derivative}: {checks}.")
    slopes = {fn.derivative(a).q for a in spec.points}
    if len(slopes) == 1 and len(spec.points) > 1:
        return N_("The slope is the same everywhere: f'(a) = {derivative}, so {checks}.")
    if len(spec.points) > 1:
        return N_("The slope differs from point to point: f'(a) = {derivative}, so {checks}.")
    return N_("The rule f'(a) = {derivative} agrees: {checks}.")


def _one_side_message(row: Nudge) -> str:
    """The slope step of one side of a kink."""
    if row.side > 0:
        if row.gap.q == 0:
            return N_("From the right Δf/Δa {=ratio} for every nudge: the slope from the right.")
        return N_("From the right Δf/Δa {=ratio} closes in on {slope}, the slope from the right.")
    if row.gap.q == 0:
        return N_("From the left Δf/Δa {=ratio} for every nudge: the slope from the left.")
    return N_("From the left Δf/Δa {=ratio} closes in on {slope}, the slope from the left.")


def _shrinks_like_square(spec: ClipSpec, index: int) -> bool:
    """Whether Δf/Δa shrinks in step with Δa at a flat point (Δf like (Δa)²), judged on
    the first and last nudge: their ratios' quotient within a factor 1.5 of the nudges'."""
    rows = spec.rows(index)
    first, last = rows[0], rows[-1]
    if len(rows) < 2 or first.ratio.q == 0 or last.ratio.q == 0:
        return False
    shrink = float(last.ratio.q / first.ratio.q) / float(last.da.q / first.da.q)
    return 1 / 1.5 <= shrink <= 1.5


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
        at = name_number(Value(a))
        # later points first fade the last nudge (0.6 s) and zoom out (1.0 s)
        add("slide", f"slide-a{at}", 3.0 if i == 0 else 4.0, i)
        schedule = spec.schedule_at(i)
        sides = spec.sides_at(i)
        for side in sides:
            # the right side keeps the names it always had; the left's end in "-left"
            end = "" if side > 0 else "-left"
            for j, da in enumerate(schedule):
                row = nudge(fn, a, da, spec.digits, side)
                kind, duration = ("nudge", 4.0) if j == 0 else ("shrink", 3.5)
                # a second side first fades the first side's table (0.6 s)
                duration += 0.6 if j == 0 and side != sides[0] else 0.0
                add(kind, f"{kind}-a{at}-d{name_number(Value(da))}{end}", duration, i, row)
            last = nudge(fn, a, schedule[-1], spec.digits, side)
            add("slope", f"slope-a{at}{end}", 4.0, i, last)
            e = expansion(fn, a, schedule[-1]) if side > 0 else None
            if e is not None and e.leftover.q != 0:
                add("leftover", f"leftover-a{at}", 4.5, i, last, e)
        if fn.is_kink(a) and len(sides) == 2:
            add("kink", f"kink-a{at}", 6.0, i, last)
    add("rule", "rule", 4.5)
    return steps
