"""A course file's [[lesson]] and [[clip]] entries as targets: one render job per video."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lessonkit.base.errors import LessonError
from lessonkit.batch.course_keys import (
    CLIP_ENTRY_KEYS,
    LESSON_ENTRY_KEYS,
    CourseLines,
    shared_keys,
    shown,
    text_of,
    texts_of,
)
from lessonkit.lesson.lessonfile import load_lesson, unknown_keys
from lessonkit.lesson.spec import QUALITIES, ClipSpec, LessonSpec

if TYPE_CHECKING:
    from lessonkit.render import RenderJob

__all__ = ["CourseTarget", "lesson_targets", "clip_targets", "entry_targets"]


@dataclass(frozen=True)
class CourseTarget:
    """One video of a course: its display name, its render job and where the file asks
    for it (for messages)."""

    name: str
    job: RenderJob
    entry: str  # 'lesson 1', 'clip 2'
    line: int

    @property
    def slug(self) -> str:
        return self.job.slug


def lesson_targets(
    entry: dict[str, Any],
    index: int,
    course: Path,
    where: CourseLines,
    defaults: dict[str, Any],
    base: dict[str, Any],
) -> list[CourseTarget]:
    """The targets of the [[lesson]] entry `index`: its lesson file in each language."""
    at: tuple[object, ...] = ("lesson", index)
    unknown_keys(entry, LESSON_ENTRY_KEYS, where, "key", *at)
    name = text_of(entry, "file", where, *at)
    if not name:
        raise where.error("missing 'file': the lesson file, relative to the course file", *at)
    file = Path(name).expanduser()
    if not file.is_absolute():
        file = course.parent / file
    own = {**defaults, **shared_keys(entry, where, at)}
    specs: list[LessonSpec] = []
    try:
        if not file.is_file():
            raise LessonError(f"no such lesson file {file}")
        first = load_lesson(file)
        for lang in own["languages"] or [first.language]:
            specs.append(first if lang == first.language else load_lesson(file, lang))
    except LessonError as exc:
        raise where.error(str(exc), *at, "file") from None
    line = where.line(*at)
    return entry_targets(specs, own, base, where, at, line, course.parent)


def clip_targets(
    entry: dict[str, Any],
    index: int,
    course: Path,
    where: CourseLines,
    defaults: dict[str, Any],
    base: dict[str, Any],
) -> list[CourseTarget]:
    """The targets of the [[clip]] entry `index`: its clip in each language."""
    from lessonkit.lesson.spec import clip_spec, parse_schedule

    at: tuple[object, ...] = ("clip", index)
    unknown_keys(entry, CLIP_ENTRY_KEYS, where, "key", *at)
    function = text_of(entry, "function", where, *at)
    if not function:
        raise where.error("missing 'function': a name from `lessonkit list` or an expression", *at)
    points = texts_of(entry, "at", where, at)
    nudges = entry.get("nudges")
    try:
        if isinstance(nudges, list):
            schedule = parse_schedule(texts_of(entry, "nudges", where, at))
        elif isinstance(nudges, str | int | Decimal) and not isinstance(nudges, bool):
            schedule = parse_schedule(str(nudges))
        elif nudges is None:
            schedule = None
        else:
            raise LessonError(f'give nudges as "1,0.1" or [1, 0.1], got {shown(nudges)}')
    except LessonError as exc:
        raise where.error(str(exc), *at, "nudges") from None
    own = {**defaults, **shared_keys(entry, where, at)}
    specs: list[ClipSpec] = []
    try:
        for lang in own["languages"] or [None]:
            specs.append(clip_spec(function, points or None, list(schedule or ()), lang))
    except LessonError as exc:
        raise where.error(str(exc), *at) from None
    return entry_targets(specs, own, base, where, at, where.line(*at), course.parent)


def entry_targets(
    specs: list[LessonSpec] | list[ClipSpec],
    own: dict[str, Any],
    base: dict[str, Any],
    where: CourseLines,
    at: tuple[object, ...],
    line: int,
    folder: Path,
) -> list[CourseTarget]:
    """One target per spec (a language) x quality x format, with its voice (a folder of
    recordings named in the course is relative to the course file)."""
    from lessonkit.lesson.narration import VOICES, voice_for
    from lessonkit.render import RenderJob

    voice_name = own["voice"]
    if voice_name is not None and voice_name.strip() not in VOICES:
        path = folder / Path(voice_name.strip()).expanduser()
        if "/" in voice_name or voice_name.startswith(".") or path.is_dir():
            voice_name = str(path)  # else check_voice says: unknown voice, did you mean
    targets = []
    entry = f"{at[0]} {int(str(at[1])) + 1}"
    for spec in specs:
        try:
            voice = voice_for(spec, voice_name)
        except LessonError as exc:
            # the entry's own voice, else the course's
            said = (*at, "voice") if (*at, "voice") in where.lines else ("voice",)
            raise where.error(str(exc), *said) from None
        lang = spec.words.language
        label = spec.slug.removesuffix(f"-{lang.lower()}")
        for quality in own["qualities"]:
            for fmt in own["formats"]:
                job = RenderJob(spec, QUALITIES[quality], fmt=fmt, voice=voice, **base)
                name = f"{label} [{lang}] {job.folder} {fmt}"
                targets.append(CourseTarget(name, job, entry, line))
    return targets
