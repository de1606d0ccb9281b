"""Where a render's files go (its video and stills folders), and what a render returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["RenderResult", "video_dir", "stills_dir"]

# `job` is a lessonkit.render.RenderJob, typed Any in render/'s modules: the package imports them


def video_dir(job: Any) -> Path:
    """media/videos/<slug>/<height>p<fps>/"""
    return job.media_dir / "videos" / job.slug / job.folder


def stills_dir(job: Any) -> Path:
    """media/stills/<slug>/<height>p<fps>/"""
    return job.media_dir / "stills" / job.slug / job.folder


@dataclass
class RenderResult:
    """Files a render produced, and how long it took."""

    job: Any  # the lessonkit.render.RenderJob rendered
    video: Path | None
    captions: Path | None
    sections: Path | None
    stills: list[Path] = field(default_factory=list)
    seconds: float = 0.0
    cached: bool = False
    #: steps whose sections were drawn by this render (the others came from the step cache)
    rendered_steps: tuple[str, ...] = ()

    @property
    def paths(self) -> list[Path]:
        return [p for p in (self.video, self.captions, self.sections, *self.stills) if p]
