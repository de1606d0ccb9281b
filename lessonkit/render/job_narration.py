"""A job's narration: its clips, the holds they need, and the sound track muxed into its video."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from lessonkit.base.errors import LessonError

__all__ = ["narrate_job", "played_steps", "mux_narration"]


def narrate_job(job: Any, say: Callable[[str], None] | None) -> tuple[Any, dict[str, Any]]:
    """Synthesise (or read) every step's narration, and the job with the holds it needs:
    each step lasts at least its narration and a pause."""
    if not job.narrated:
        return job, {}
    from lessonkit.render.voices import holds, narrate

    assert job.voice is not None
    clips = narrate(played_steps(job), job.voice, job.media_dir / "narration", warn=say)
    # half a frame more: Manim rounds a hold to whole frames, and the pause stays whole
    margin = 0.5 / job.frame_rate
    least = tuple(sorted((name, s + margin) for name, s in holds(clips).items()))
    keys = tuple(clips[name].key for name in sorted(clips))
    return replace(job, holds=least, narration=keys), clips


def played_steps(job: Any) -> list[Any]:
    """The steps this job plays."""
    from lessonkit.lesson.storyboard import steps_for, steps_to_draw

    steps = steps_for(job.target)
    return steps_to_draw(steps, job.only) if job.only is not None else steps


def mux_narration(job: Any, staging: Path, clips: dict[str, Any]) -> None:
    """The sound track into the staged video and its section clips, before publishing."""
    from fractions import Fraction

    from lessonkit.render.audio import add_narration

    video = staging / f"{job.slug}.{job.fmt}"
    sections = staging / "sections" / f"{job.slug}.json"
    if not video.is_file() or not sections.is_file():
        raise LessonError(f"Manim wrote no video or sections for {job.slug}")
    add_narration(video, sections, clips, Fraction(job.frame_rate))
