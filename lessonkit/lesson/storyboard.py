"""The storyboard: the ordered steps of a clip or lesson, each a section with one caption.

Scenes play these steps; captions, chapters and manifests are made from them too, so the
words a student reads and the numbers on screen come from one place: lessonkit's math.
Every caption is a template (`lessonkit.lesson.wording`) filled with the step's values; a lesson
file may replace the template of any step, never its numbers.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace

from lessonkit.base.errors import LessonError
from lessonkit.lesson.i18n import ENGLISH, N_, Words
from lessonkit.lesson.kinds import kind_named
from lessonkit.lesson.spec import CardPart, ClipSpec, LessonSpec, NudgePart
from lessonkit.lesson.wording import fill
from lessonkit.maths.nudge import Expansion, Nudge, expansion, nudge
from lessonkit.maths.numbers import SIGNIFICANT_DIGITS, Value

__all__ = [
    "Step",
    "CLIP_KINDS",
    "clip_steps",
    "lesson_steps",
    "part_steps",
    "total_duration",
    "step_values",
    "steps_to_draw",
    "card_play_time",
    "with_holds",
    "steps_for",
    "replay_start",
    "steps_to_record",
]

#: The kinds of step a nudge part plays, in order; a lesson file overrides captions by these.
CLIP_KINDS = ("graph", "slide", "nudge", "shrink", "slope", "leftover", "rule")


@dataclass(frozen=True)
class Step:
    """One section of a video: what happens (`kind`), its caption and how long it lasts.

    `part` names the lesson part the step belongs to: a step's starting picture is what
    the earlier steps of its own part leave (each part starts on an empty stage), so any
    step can be drawn from the lesson file alone.
    """

    kind: str
    name: str
    caption: str
    duration: float
    spec: ClipSpec | None = None
    point_index: int = 0
    row: Nudge | None = None
    expansion: Expansion | None = None
    extra: dict[str, str] = field(default_factory=dict)
    part: str = ""
    label: str = ""  # chapter head of the part ("a²", "Recap") or a card's chapter title
    card: CardPart | None = None
    words: Words = ENGLISH  # the language of the step's words (captions, chapters, cards)
    narration: str = ""  # what the voice says: the lesson's narration, else the caption
    part_kind: str = ""  # an installed kind (lessonkit.lesson.kinds) that draws the step

    @property
    def spoken(self) -> str:
        """The words the voice says over this step."""
        return self.narration or self.caption


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


def part_steps(lesson: LessonSpec, part: NudgePart | CardPart) -> list[Step]:
    """The steps of one part of a lesson."""
    if isinstance(part, NudgePart):
        return clip_steps(part.clip, f"{part.name}-", part, lesson.digits)
    if isinstance(part, CardPart):
        return [_card_step(lesson, part)]
    return kind_named(part.kind).steps(part, lesson)


def card_play_time(card: CardPart) -> float:
    """Seconds a card's animations take (the scene plays exactly these): the rest of its
    duration is a hold."""
    if card.card == "rules":
        return 0.6 + 1.0 + 1.5  # fade the last part, write the heading, bring in the rows
    return 0.5 + 1.0 * (len(card.lines) + (1 if card.heading else 0))


def _card_step(lesson: LessonSpec, card: CardPart) -> Step:
    where = f"part {card.name!r}, caption"
    words = lesson.words
    if card.card == "rules":
        rule = words(N_("{f} has slope {d}"))
        values: Mapping[str, Value | str] = {
            "heading": card.heading,
            "rules": words(N_("; ")).join(
                rule.replace("{f}", f).replace("{d}", d) for f, d, _, _ in card.rules
            ),
        }
        template = card.caption or words(N_("{heading}: {rules}."))
        # 1 s heading, 1.5 s rows, 0.6 s fade of the last part, the rest a hold
        duration = card.duration or 3.5 + 0.5 * len(card.rules)
    else:
        values = {"heading": card.heading, "text": " ".join(" ".join(card.lines).split())}
        template = card.caption or words(N_("{heading}: {text}"))
        duration = card.duration or 2.0 + 2.0 * len(card.lines)
    caption = fill(template, values, lesson.digits, where)
    narration = (
        fill(card.narration, values, lesson.digits, f"part {card.name!r}, narration")
        if card.narration
        else ""
    )
    return Step(
        card.card,
        card.name,
        caption,
        duration,
        part=card.name,
        label=card.label,
        card=card,
        words=words,
        narration=narration,
    )


def lesson_steps(lesson: LessonSpec) -> list[Step]:
    """The whole lesson: the title card, then every part in the file's order."""
    steps: list[Step] = []
    if lesson.title_card:
        values: dict[str, Value | str] = {"title": lesson.title, "subtitle": lesson.subtitle or ""}
        default = N_("{title}: {subtitle}.") if lesson.subtitle else N_("{title}.")
        template = lesson.caption or lesson.words(default)
        caption = fill(template, values, lesson.digits, "caption")
        narration = (
            fill(lesson.narration, values, lesson.digits, "narration") if (lesson.narration) else ""
        )
        extra = {"title": lesson.title, "subtitle": lesson.subtitle or ""}
        steps.append(
            Step(
                "title",
                "title",
                caption,
                3.0,
                extra=extra,
                part="title",
                words=lesson.words,
                narration=narration,
            )
        )
    for part in lesson.parts:
        steps += part_steps(lesson, part)
    return steps


def with_holds(steps: list[Step], at_least: Mapping[str, float]) -> list[Step]:
    """The steps, each lasting at least `at_least[name]` seconds (its narration and a
    pause): the animations keep their timing, the hold at the end of the step grows."""
    return [
        replace(s, duration=max(s.duration, at_least[s.name])) if s.name in at_least else s
        for s in steps
    ]


def steps_for(target: ClipSpec | LessonSpec) -> list[Step]:
    """The storyboard steps of a clip or of a lesson."""
    return lesson_steps(target) if isinstance(target, LessonSpec) else clip_steps(target)


def total_duration(steps: list[Step]) -> float:
    """Seconds of video the steps make."""
    return sum(s.duration for s in steps)


def steps_to_draw(steps: list[Step], wanted: Collection[str]) -> list[Step]:
    """The steps to play so that the `wanted` ones are drawn: for each part holding one,
    the part's steps from its start up to the last wanted step (parts start on an empty
    stage, so nothing before the part matters)."""
    unknown = set(wanted) - {s.name for s in steps}
    if unknown:
        raise LessonError(f"no step named {sorted(unknown)[0]!r} in this lesson")
    out: list[Step] = []
    part: list[Step] = []
    for i, step in enumerate(steps):
        part.append(step)
        last_of_part = i + 1 == len(steps) or steps[i + 1].part != step.part
        if step.name in wanted:
            out += part
            part = []
        if last_of_part:
            part = []
    return out


def replay_start(steps: list[Step], index: int) -> int:
    """Where to start playing (animations skipped) so that step `index` starts from the
    picture a whole render gives it: the start of its part, or, for the first step of a
    part, the start of the part before (that step fades out what the last part left)."""

    def part_start(i: int) -> int:
        while i > 0 and steps[i - 1].part == steps[i].part:
            i -= 1
        return i

    start = part_start(index)
    return part_start(start - 1) if start == index and index > 0 else start


def steps_to_record(steps: list[Step], wanted: Collection[str]) -> list[Step]:
    """The steps to play so that the `wanted` steps' sections come out exactly as in a
    whole render: each wanted step with the steps `replay_start` says it needs before it."""
    unknown = set(wanted) - {s.name for s in steps}
    if unknown:
        raise LessonError(f"no step named {sorted(unknown)[0]!r} in this lesson")
    keep = [False] * len(steps)
    for i, step in enumerate(steps):
        if step.name in wanted:
            for j in range(replay_start(steps, i), i + 1):
                keep[j] = True
    return [s for s, k in zip(steps, keep, strict=True) if k]
