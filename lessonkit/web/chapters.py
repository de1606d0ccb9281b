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
from lessonkit.lesson.i18n import N_
from lessonkit.lesson.spec import ClipSpec, LessonSpec
from lessonkit.lesson.storyboard import Step, steps_for
from lessonkit.maths.numbers import Value

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


def _ratio(v: Value, digits: int) -> str:
    return f"Δf/Δa = {v.text(digits)}" if v.shows_exactly else f"Δf/Δa ≈ {v.text(digits)}"


def chapter_title(step: Step, in_lesson: bool = False) -> str:
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
        template = N_("Nudge Δa = {da}: {ratio}") if step.kind == "nudge" else N_(
            "Shrink Δa to {da}: {ratio}"
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
    elif step.kind == "title":
        return step.extra.get("title") or step.caption.split(":")[0]
    elif step.label:
        return step.label  # a card: its chapter title from the lesson file
    else:
        return _pretty(step.name)
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
