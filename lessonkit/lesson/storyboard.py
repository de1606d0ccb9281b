"""The storyboard: the ordered steps of a clip or lesson, each a section with one caption.

Scenes play these steps; captions, chapters and manifests are made from them too, so the
words a student reads and the numbers on screen come from one place: lessonkit's math.
Every caption is a template (`lessonkit.lesson.wording`) filled with the step's values; a lesson
file may replace the template of any step, never its numbers.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from lessonkit.base.errors import LessonError
from lessonkit.lesson.i18n import ENGLISH, N_, Words
from lessonkit.lesson.kinds import kind_named
from lessonkit.lesson.spec import CardPart, ClipSpec, LessonSpec
from lessonkit.lesson.wording import fill
from lessonkit.maths.nudge import Expansion, Nudge
from lessonkit.maths.numbers import Value

__all__ = [
    "Step",
    "lesson_steps",
    "part_steps",
    "total_duration",
    "MAX_VIDEO_SECONDS",
    "length_text",
    "check_length",
    "steps_to_draw",
    "with_holds",
    "steps_for",
    "replay_start",
    "steps_to_record",
]


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


def part_steps(lesson: LessonSpec, part: Any) -> list[Step]:
    """The steps of one part of a lesson, told by the part's kind."""
    return kind_named(part.kind).steps(part, lesson)


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
    """The storyboard steps of a lesson, or of a clip (a nudge part played alone: its
    kind tells its steps with no lesson around it)."""
    if isinstance(target, LessonSpec):
        return lesson_steps(target)
    return kind_named(target.kind).steps(target, None)


def total_duration(steps: list[Step]) -> float:
    """Seconds of video the steps make."""
    return sum(s.duration for s in steps)


#: The longest video one render makes (docs/commands.md): a longer lesson is split in parts.
MAX_VIDEO_SECONDS = 30 * 60


def length_text(steps: list[Step]) -> str:
    """'23 steps, 1:22 of video': what a render is about to make."""
    seconds = round(total_duration(steps))
    return f"{len(steps)} steps, {seconds // 60}:{seconds % 60:02d} of video"


def check_length(steps: list[Step]) -> None:
    """Refuse, before any work, a video longer than MAX_VIDEO_SECONDS."""
    if total_duration(steps) > MAX_VIDEO_SECONDS:
        raise LessonError(
            f"this video would be {length_text(steps)}: lessonkit renders at most "
            f"{MAX_VIDEO_SECONDS // 60} minutes in one video; split the lesson into shorter ones"
        )


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
