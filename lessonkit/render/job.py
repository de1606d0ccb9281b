"""What a render is: the job (a clip or the lesson, a quality, a media folder), the key that
names its output, the fingerprint of the code that draws, and the scene that plays it.

Everything else in `lessonkit.render` builds on this module, and it imports none of them,
so the render package has no circle. Tests and benchmarks swap `make_scene` and
`source_fingerprint` here.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from lessonkit import __version__
from lessonkit.lesson.kinds import registered_kinds
from lessonkit.lesson.narration import Voice
from lessonkit.lesson.spec import QUALITIES, ClipSpec, LessonSpec, Quality

__all__ = ["FORMATS", "RenderJob", "source_fingerprint", "make_scene", "jobs_for"]

FORMATS = ("mp4", "webm", "gif", "png")
_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class RenderJob:
    """What to render: a clip or the lesson, at a quality, into a media folder."""

    target: ClipSpec | LessonSpec
    quality: Quality = QUALITIES["production"]
    fps: int | None = None
    media_dir: Path = Path("media")
    fmt: str = "mp4"
    stills: bool = False  # also save each section's last frame as PNG
    stills_only: bool = False  # skip animations: stills only, no video
    size: tuple[int, int] | None = None  # (width, height) override, e.g. tiny test renders
    use_cache: bool = True
    only: tuple[str, ...] | None = None  # stills of just these steps (a lesson's step names)
    voice: Voice | None = None  # who narrates; None or "none": silent
    #: set by `render` from the narration: (step, least seconds) and the clips' cache keys
    holds: tuple[tuple[str, float], ...] = ()
    narration: tuple[str, ...] = ()
    #: processes that render steps at once (None: one per core, fewer for a short render);
    #: the video is the same however many
    jobs: int | None = None

    @property
    def slug(self) -> str:
        return self.target.slug

    @property
    def frame_rate(self) -> int:
        return self.fps if self.fps is not None else self.quality.fps

    @property
    def width_height(self) -> tuple[int, int]:
        return self.size if self.size is not None else (self.quality.width, self.quality.height)

    @property
    def folder(self) -> str:
        """'1080p60': Manim's naming, from the real height and frame rate."""
        return f"{self.width_height[1]}p{self.frame_rate}"

    @property
    def narrated(self) -> bool:
        """Whether this render has a voice: a video format, a voice that is not none."""
        return (
            self.voice is not None
            and not self.voice.silent
            and not self.stills_only
            and self.fmt in ("mp4", "webm")
        )

    @property
    def scene_name(self) -> str:
        return "LessonPlayer" if isinstance(self.target, LessonSpec) else "NudgeScene"

    def key(self) -> str:
        """Everything that changes the output; equal keys mean an identical render."""
        target = self.target.to_json()
        payload = json.dumps(
            [
                target,
                self.width_height,
                self.frame_rate,
                self.fmt,
                __version__,
                source_fingerprint(),
                *([self.voice.ident, self.holds, self.narration] if self.narrated else []),
            ]
        )
        return hashlib.sha256(payload.encode()).hexdigest()[:16]


#: lessonkit's folders whose code can decide a frame's pixels, and the files in them that never do
_DRAWING_FOLDERS = ("base", "maths", "lesson", "parts", "draw", "render")
_NOT_DRAWING = frozenset({"messages.py", "table.py", "twin"})


def _drawing_sources() -> list[Path]:
    """The files whose code decides what a frame shows: scenes, drawing, kinds, render, math.

    The CLI, the web bundle, batches, course files, tables, twins and catalogue tools are
    left out: editing them cannot change a video.
    """
    files: list[Path] = []
    for folder in [_ROOT / "lessonkit" / f for f in _DRAWING_FOLDERS] + [_ROOT / "scenes"]:
        files += sorted(
            p for p in folder.rglob("*.py") if not _NOT_DRAWING & set(p.relative_to(folder).parts)
        )
    return files


def source_fingerprint() -> str:
    """A hash of the code that draws, so that editing it invalidates cached renders."""
    h = hashlib.sha256()
    for path in _drawing_sources():
        h.update(path.relative_to(_ROOT).as_posix().encode())
        h.update(path.read_bytes())
    for name, kind in sorted(registered_kinds().items()):  # installed kinds draw too
        for path in kind.sources():
            h.update(f"{name}:{path.name}".encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:16]


def make_scene(job: RenderJob, record: Sequence[str] | None = None) -> object:
    """The scene that plays `job`: all its steps, or (`record`) the sections of some."""
    holds = dict(job.holds)
    if isinstance(job.target, LessonSpec):
        from scenes.lesson import LessonPlayer

        return LessonPlayer(lesson=job.target, only=job.only, holds=holds, record=record)
    from scenes.nudge import NudgeScene

    return NudgeScene(spec=job.target, only=job.only, holds=holds, record=record)


def jobs_for(targets: Sequence[ClipSpec | LessonSpec], **options: object) -> list[RenderJob]:
    """One job per target with shared options."""
    return [RenderJob(t, **options) for t in targets]  # type: ignore[arg-type]
