"""Chapters: the render's sections with exact start and end times and human titles.

Times come from frame counts (Manim's sections JSON), so chapters line up with frames; titles
and captions come from the storyboard, the same steps the scene played.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from lessonkit.base.errors import LessonError
from lessonkit.lesson.kinds import kind_named
from lessonkit.lesson.spec import ClipSpec, LessonSpec
from lessonkit.lesson.storyboard import Step, steps_for

__all__ = [
    "Chapter",
    "steps_for",
    "read_sections",
    "chapters_from_sections",
    "chapter_title",
    "converged_step",
]


@dataclass(frozen=True)
class Chapter:
    """One section of the video: its name, a title for people, and where it lies."""

    name: str
    title: str
    caption: str
    start_frame: int
    frames: int
    fps: Fraction

    @property
    def start(self) -> float:
        return float(self.start_frame / self.fps)

    @property
    def end(self) -> float:
        return float((self.start_frame + self.frames) / self.fps)

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "title": self.title,
            "start": round(self.start, 3),
            "end": round(self.end, 3),
            "start_frame": self.start_frame,
            "frames": self.frames,
            "caption": self.caption,
        }


def read_sections(path: Path | None) -> list[dict[str, object]]:
    """Manim's sections JSON: one entry per section with name, nb_frames and duration."""
    if path is None or not path.exists():
        raise LessonError("the render has no sections file; render again with --force")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise LessonError(f"cannot read sections {path}: {exc}") from None
    if not isinstance(data, list):
        raise LessonError(f"{path} is not a list of sections")
    return data


def chapters_from_sections(
    sections: list[dict[str, object]], fps: Fraction, steps: list[Step], in_lesson: bool
) -> list[Chapter]:
    """Chapters in order, each starting where the previous ended; empty sections dropped."""
    by_name = {s.name: s for s in steps}
    chapters: list[Chapter] = []
    start = 0
    for section in sections:
        name = str(section.get("name", ""))
        frames = _frames(section, fps)
        if frames <= 0:
            continue
        step = by_name.get(name)
        title = chapter_title(step, in_lesson) if step else _pretty(name)
        caption = step.caption if step else ""
        chapters.append(Chapter(name, title, caption, start, frames, fps))
        start += frames
    if not chapters:
        raise LessonError("the render's sections file lists no frames")
    return chapters


def _frames(section: dict[str, object], fps: Fraction) -> int:
    raw = section.get("nb_frames")
    try:
        return int(str(raw))
    except ValueError:
        return round(float(str(section.get("duration", 0))) * fps)


def _pretty(name: str) -> str:
    """'slope-a2' -> 'Slope a2': a readable title for a section the storyboard does not know."""
    text = name.replace("-", " ").replace("_", " ").strip()
    return text[:1].upper() + text[1:] if text else "Section"


def chapter_title(step: Step, in_lesson: bool = False) -> str:
    """A short title for a step, e.g. 'Shrink Δa to 0.01: Δf/Δa = 4.01', in its language:
    the step's part kind titles it; in a lesson a part's titles start with the part's label
    ('a²: Slope f'(2) = 4'). The title card's is the lesson's title."""
    if step.kind == "title" and not step.part_kind:
        return step.extra.get("title") or step.caption.split(":")[0]
    title = kind_named(step.part_kind).chapter_title(step, in_lesson) if step.part_kind else None
    return title or step.label or _pretty(step.name)


def converged_step(target: ClipSpec | LessonSpec) -> Step:
    """The step whose last frame makes the poster: the converged nudge.

    That is the last "shrink" step of the first part that shrinks its nudge; one nudge
    has none, so its slope step (then its nudge step) stands in.
    """
    steps = steps_for(target)
    for part in dict.fromkeys(s.part for s in steps if s.spec is not None):
        shrinks = [s for s in steps if s.part == part and s.kind == "shrink"]
        if shrinks:
            return shrinks[-1]
    for kind in ("slope", "nudge"):
        found = [s for s in steps if s.kind == kind]
        if found:
            return found[-1]
    return steps[-1]
