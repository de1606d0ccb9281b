"""Driving Manim: render a clip or the lesson to predictable files, take stills, reuse results.

The only code in lessonkit that imports Manim (lazily, inside functions), so that
`lessonkit table` stays instant. Manim's global config is changed only inside `tempconfig`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from lessonkit import __version__
from lessonkit.base.errors import LessonError
from lessonkit.base.fsutil import (
    OWNER,
    output_lock,
    owner_gone,
    remove_stale,
    sha256_file,
    staging_name,
    write_text,
)
from lessonkit.lesson.kinds import registered_kinds
from lessonkit.lesson.narration import Voice
from lessonkit.lesson.spec import QUALITIES, ClipSpec, LessonSpec, Quality

__all__ = [
    "FORMATS",
    "RenderJob",
    "RenderResult",
    "render",
    "narrate_job",
    "manim_config",
    "by_steps",
    "video_dir",
    "stills_dir",
    "source_fingerprint",
]

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


def video_dir(job: RenderJob) -> Path:
    """media/videos/<slug>/<height>p<fps>/"""
    return job.media_dir / "videos" / job.slug / job.folder


def stills_dir(job: RenderJob) -> Path:
    """media/stills/<slug>/<height>p<fps>/"""
    return job.media_dir / "stills" / job.slug / job.folder


@dataclass
class RenderResult:
    """Files a render produced, and how long it took."""

    job: RenderJob
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


def _save_png(path: Path, rgba: object) -> None:
    from PIL import Image

    Image.fromarray(rgba).convert("RGB").save(path)  # type: ignore[arg-type]


def render(job: RenderJob, say: Callable[[str], None] | None = None) -> RenderResult:
    """Render `job`, or return the finished files of an identical earlier render.

    A cached video is reused only when its key file names this job and the video still has
    the size and hash recorded when it was made; a damaged one is rendered again (and `say`
    is told why). A cached video that lacks requested stills gets them from a stills-only
    pass (animations skipped: seconds), not from a second full render. Renders of one
    output take turns under a lock, so concurrent processes never mix their files.
    """
    if job.fmt not in FORMATS:
        raise LessonError(f"unknown format {job.fmt!r}; choose one of {', '.join(FORMATS)}")
    from lessonkit.draw.fonts import require_font

    require_font(job.target.words)  # before any work: never boxes where Korean should be
    start = time.perf_counter()
    job, clips = narrate_job(job, say)
    out_dir = video_dir(job)
    lock = out_dir.parent / f".{out_dir.name}.lock"
    with output_lock(lock, f"{job.slug} at {job.folder}", say):
        _clean_stale(job, out_dir)
        stamp = _stamp_path(job, out_dir)
        result = _existing(job, out_dir)
        cached = False
        if job.use_cache and not job.stills_only and result is not None:
            problem = _stamp_problem(stamp, job, result)
            cached = problem is None
            if problem and problem != "no key" and say is not None:
                say(f"the cached render of {job.slug} {problem}: rendering it again")
        if cached and result is not None:
            if job.stills and not result.stills:
                result.stills = _render_now(replace(job, stills_only=True), out_dir).stills
            result.seconds = time.perf_counter() - start
            result.cached = True
            return result
        if by_steps(job):
            result = _render_by_steps(job, out_dir, clips)
            if job.stills and not result.stills:
                result.stills = _render_now(replace(job, stills_only=True), out_dir).stills
        else:
            result = _render_now(job, out_dir, clips)
        if not job.stills_only and result.video is not None:
            _write_stamp(stamp, job, result.video)  # last: a key means whole files beside it
    result.seconds = time.perf_counter() - start
    return result


def by_steps(job: RenderJob) -> bool:
    """Whether `job` is rendered step by step and joined: a whole MP4 or WebM video (a GIF's
    palette belongs to the whole clip, and stills come from a pass with animations skipped)."""
    from lessonkit.render.steps import STEP_FORMATS

    return job.fmt in STEP_FORMATS and not job.stills_only and job.only is None


def _render_by_steps(
    job: RenderJob, out_dir: Path, clips: dict[str, Any] | None = None
) -> RenderResult:
    """Render the steps the step cache lacks (in parallel processes when `job.jobs` > 1),
    then join all step sections into the video, its sections and its captions, add the
    narration, and publish them together."""
    from fractions import Fraction

    from lessonkit.render import steps as by_step
    from lessonkit.render.join import captions_srt, join_videos, sections_json

    steps = by_step.job_steps(job)
    keys = by_step.step_keys(job, steps)
    missing = by_step.missing_steps(job, steps, keys)
    if job.jobs is not None:
        jobs = job.jobs
    else:
        wanted = set(missing)
        to_draw = sum(s.duration for s in steps if s.name in wanted) * job.frame_rate
        jobs = by_step.jobs_for_frames(to_draw)
    units = by_step.plan_units(steps, missing, jobs)
    parallel = jobs > 1 and len(units) > 1
    with _step_progress(job, len(missing) if parallel else 0, jobs) as done:
        by_step.run_units(
            job, units, jobs, done, progress=_show_progress() and not parallel, planned=keys
        )
    videos = []
    for step in steps:
        video = by_step.cached_step(job, step.name, keys[step.name])
        if video is None:
            raise LessonError(f"the section of step {step.name!r} went missing from the cache")
        videos.append(video)
    staging = out_dir.parent / staging_name(f".staging-{out_dir.name}-")
    try:
        staging.mkdir(parents=True)
        video_file = staging / f"{job.slug}.{job.fmt}"
        frames = join_videos([v.video for v in videos], video_file)
        if frames != sum(v.frames for v in videos):
            raise LessonError(
                f"joining the steps of {job.slug} gave {frames} frames, not "
                f"{sum(v.frames for v in videos)}"
            )
        sections_json(videos, job.slug, staging / "sections")
        captions = [(s.caption, v.frames) for s, v in zip(steps, videos, strict=True)]
        captions_srt(captions, Fraction(job.frame_rate), staging / f"{job.slug}.srt")
        if clips:
            _add_narration(job, staging, clips)
        _stamp_path(job, out_dir).unlink(missing_ok=True)
        _publish(staging, out_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    by_step.prune(job, set(keys.values()))
    result = _existing(job, out_dir)
    if result is None:
        raise LessonError(f"the joined video of {job.slug} is missing from {out_dir}")
    result.rendered_steps = tuple(missing)
    stills = [v.still for v in videos]
    if job.stills and all(stills):
        result.stills = _publish_stills(
            job, {v.name: s for v, s in zip(videos, stills, strict=True) if s}
        )
    return result


def _publish_stills(job: RenderJob, stills: dict[str, Path]) -> list[Path]:
    """The steps' cached last frames as the job's stills folder ('07-square-slope-a2.png'),
    replaced whole."""
    numbers = _step_numbers(job)
    sdir = stills_dir(job)
    stage = sdir.parent / staging_name(f".staging-{sdir.name}-")
    stage.mkdir(parents=True)
    paths = []
    try:
        for name, png in stills.items():
            file = f"{numbers[name]:02d}-{name}.png"
            shutil.copyfile(png, stage / file)
            paths.append(sdir / file)
        _replace_folder(stage, sdir)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return paths


class _step_progress:
    """A bar over the steps being rendered, on a terminal only (one line per unit would
    flood a log); `done(unit)` moves it on."""

    def __init__(self, job: RenderJob, total: int, jobs: int) -> None:
        self.job, self.total, self.jobs = job, total, jobs
        self.bar: Any = None

    def __enter__(self) -> Callable[[Any], None]:
        if self.total and _show_progress():
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

            self.bar = Progress(
                "[progress.description]{task.description}",
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                transient=True,
            )
            self.bar.start()
            procs = f", {self.jobs} processes" if self.jobs > 1 else ""
            self.task = self.bar.add_task(f"{self.job.slug} steps{procs}", total=self.total)
        return self.done

    def done(self, unit: Any) -> None:
        if self.bar is not None:
            self.bar.advance(self.task, len(unit.names))

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


def _stamp_path(job: RenderJob, out_dir: Path) -> Path:
    """The key file: which job made the files beside it, and the video's size and hash."""
    return out_dir / f".{job.slug}.{job.fmt}.key"


def _stamp_problem(stamp: Path, job: RenderJob, result: RenderResult) -> str | None:
    """Why a cached render may not be reused, or None when it may."""
    try:
        recorded = json.loads(stamp.read_text())
    except (OSError, ValueError):
        return "no key"
    if not isinstance(recorded, dict) or recorded.get("key") != job.key():
        return "no key"
    video = result.video
    assert video is not None
    size = video.stat().st_size
    if size != recorded.get("bytes"):
        return f"is damaged ({size} bytes, {recorded.get('bytes')} when made)"
    if sha256_file(video) != recorded.get("sha256"):
        return "is damaged (its content changed since it was made)"
    if result.sections is None or result.captions is None:
        return "lacks its sections or captions"
    return None


def _write_stamp(stamp: Path, job: RenderJob, video: Path) -> None:
    record = {"key": job.key(), "bytes": video.stat().st_size, "sha256": sha256_file(video)}
    write_text(stamp, json.dumps(record))


def _clean_stale(job: RenderJob, out_dir: Path) -> None:
    """Remove what killed renders of this output left: staging, partial movies, old stills."""
    sdir = stills_dir(job)
    for parent, prefix in (
        (out_dir.parent, f".staging-{out_dir.name}-"),
        (out_dir.parent, f".partial-{out_dir.name}-"),
        (sdir.parent, f".staging-{sdir.name}-"),
        (sdir.parent, f".old-{sdir.name}-"),
        (out_dir, ".old-"),
    ):
        remove_stale(parent, prefix)
    from lessonkit.render.steps import cache_dir

    for folder in (out_dir, cache_dir(job)):
        for tmp in folder.glob(".*.tmp*") if folder.is_dir() else ():
            owner = re.search(rf"\.{OWNER}\.tmp", tmp.name)  # atomic_path's temporary files
            if owner and owner_gone(owner.group(1), owner.group(2)):
                tmp.unlink(missing_ok=True)


def _existing(job: RenderJob, out_dir: Path) -> RenderResult | None:
    video = out_dir / f"{job.slug}.{job.fmt}"
    if not video.exists():
        return None
    srt = out_dir / f"{job.slug}.srt"
    sections = out_dir / "sections" / f"{job.slug}.json"
    stills = sorted(stills_dir(job).glob("*.png"))
    return RenderResult(
        job, video, srt if srt.exists() else None, sections if sections.exists() else None, stills
    )


def narrate_job(
    job: RenderJob, say: Callable[[str], None] | None
) -> tuple[RenderJob, dict[str, Any]]:
    """Synthesise (or read) every step's narration, and the job with the holds it needs:
    each step lasts at least its narration and a pause."""
    if not job.narrated:
        return job, {}
    from lessonkit.render.voices import holds, narrate

    assert job.voice is not None
    clips = narrate(_steps(job), job.voice, job.media_dir / "narration", warn=say)
    # half a frame more: Manim rounds a hold to whole frames, and the pause stays whole
    margin = 0.5 / job.frame_rate
    least = tuple(sorted((name, s + margin) for name, s in holds(clips).items()))
    keys = tuple(clips[name].key for name in sorted(clips))
    return replace(job, holds=least, narration=keys), clips


def _steps(job: RenderJob) -> list[Any]:
    """The steps this job plays."""
    from lessonkit.lesson.storyboard import steps_for, steps_to_draw

    steps = steps_for(job.target)
    return steps_to_draw(steps, job.only) if job.only is not None else steps


def _render_now(job: RenderJob, out_dir: Path, clips: dict[str, Any] | None = None) -> RenderResult:
    from manim import tempconfig

    width, height = job.width_height
    if width % 2 or height % 2:
        raise LessonError(f"frame size must be even, got {width}x{height}")
    movie = not job.stills_only and job.fmt != "png"
    # Manim writes into a staging folder; finished files are renamed into place, so a failed
    # or interrupted render never leaves a half-written file where a good one was
    staging = out_dir.parent / staging_name(f".staging-{out_dir.name}-")
    # this render's own per-play segments: no other process writes or deletes them
    partial = out_dir.parent / staging_name(f".partial-{out_dir.name}-")
    shutil.rmtree(staging, ignore_errors=True)
    cfg = manim_config(job, staging, partial, movie=movie, progress=_show_progress())
    still_paths: list[Path] = []
    sdir = stills_dir(job)
    want_stills = job.stills or job.stills_only or job.fmt == "png"
    still_stage = sdir.parent / staging_name(f".staging-{sdir.name}-")
    if want_stills:
        shutil.rmtree(still_stage, ignore_errors=True)
        still_stage.mkdir(parents=True, exist_ok=True)

    numbers = _step_numbers(job)

    def sink(index: int, name: str, rgba: object) -> None:
        if job.only is not None and name not in job.only:
            return  # a step played only to set the stage for a wanted one
        file = f"{numbers.get(name, index):02d}-{name}.png"
        _save_png(still_stage / file, rgba)
        still_paths.append(sdir / file)

    try:
        with tempconfig(cfg):
            scene = _make_scene(job)
            if want_stills:
                scene.still_sink = sink
            if job.stills_only or job.fmt == "png":
                scene.renderer.skip_animations = True
                scene.renderer._original_skipping_status = True
                scene.cut_animations = True
            scene.render()
        if movie and clips:
            _add_narration(job, staging, clips)
        if movie:
            # from here the files beside the key change: it no longer vouches for them
            _stamp_path(job, out_dir).unlink(missing_ok=True)
            _publish(staging, out_dir)
        if want_stills and job.only is not None:
            sdir.mkdir(parents=True, exist_ok=True)  # some steps: replace just their stills
            for png in still_stage.iterdir():
                os.replace(png, sdir / png.name)
        elif want_stills:
            _replace_folder(still_stage, sdir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(still_stage, ignore_errors=True)
        shutil.rmtree(partial, ignore_errors=True)
    if not movie:
        return RenderResult(job, None, None, None, still_paths)
    result = _existing(job, out_dir)
    if result is None:
        raise LessonError(f"Manim finished but wrote no video under {out_dir}")
    result.stills = still_paths
    return result


def manim_config(
    job: RenderJob,
    staging: Path,
    partial: Path,
    movie: bool,
    progress: bool,
    encoders: int = 1,
) -> dict[str, Any]:
    """Manim's settings for a render of `job` written into `staging` (its per-play
    segments in `partial`): lessonkit's file names, size, rate, format and encoder, with
    up to `encoders` x264 encoders at once (one above 1080p)."""
    width, height = job.width_height
    return {
        "media_dir": str(job.media_dir),
        "video_dir": str(staging),
        "images_dir": str(stills_dir(job)),
        "partial_movie_dir": str(partial),
        "output_file": job.slug,
        "pixel_width": width,
        "pixel_height": height,
        "frame_rate": job.frame_rate,
        "format": job.fmt if job.fmt in ("mp4", "webm", "gif") else "mp4",
        "write_to_movie": movie,
        "save_sections": movie,
        "save_last_frame": False,
        "disable_caching": True,
        "flush_cache": False,
        # failures reach the user as one line from lessonkit, not as Manim's log
        "verbosity": "CRITICAL",
        # Manim's bars on a terminal; in logs and CI they would print thousands of lines
        "progress_bar": "display" if progress else "none",
        "max_files_cached": -1,
        # memory (measured on a 1080p60 clip, peak RSS): each x264 encoder in flight holds
        # its lookahead, so two cost 1163 MB and one 729 MB; a lookahead of 10 frames
        # instead of 40 brings them to 768 and 531 MB (the whole lesson with one: 574 MB,
        # was 1.63 GB with two) for a slightly smaller file at the same CRF. A second
        # encoder in flight (encode one play while the next is drawn) is for a render in one
        # process; parallel step processes keep the cores busy instead.
        "max_inflight_encoders": encoders if width * height <= 1920 * 1080 else 1,
        # frames waiting for the encoder: 8 MB each at 1080p, 33 MB at 4K
        "encoder_queue_size": 8 if width * height <= 1920 * 1080 else 3,
        **({"video_encoder_options": {"rc-lookahead": "10"}} if job.fmt != "webm" else {}),
    }


def _step_numbers(job: RenderJob) -> dict[str, int]:
    """Each step's place in the whole video, which names its still: '14-square-slope-a2'."""
    from lessonkit.lesson.storyboard import steps_for

    return {s.name: i for i, s in enumerate(steps_for(job.target))}


def _show_progress() -> bool:
    if os.environ.get("LESSONKIT_PROGRESS") is not None:
        return os.environ["LESSONKIT_PROGRESS"] != "0"
    return sys.stderr.isatty()


def _publish(staging: Path, out_dir: Path) -> None:
    """Move a finished render from staging into out_dir, file by file with os.replace."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for item in staging.iterdir():
        target = out_dir / item.name
        if item.is_dir():
            _replace_folder(item, target)
        else:
            os.replace(item, target)


def _replace_folder(new: Path, target: Path) -> None:
    """Put folder `new` where `target` is: the old one is moved aside under this process's
    name (a killed run's is cleaned by the next), then removed."""
    old = target.parent / staging_name(f".old-{target.name}-")
    if target.exists():
        os.replace(target, old)
    os.replace(new, target)
    shutil.rmtree(old, ignore_errors=True)


def _add_narration(job: RenderJob, staging: Path, clips: dict[str, Any]) -> None:
    """The sound track into the staged video and its section clips, before publishing."""
    from fractions import Fraction

    from lessonkit.render.audio import add_narration

    video = staging / f"{job.slug}.{job.fmt}"
    sections = staging / "sections" / f"{job.slug}.json"
    if not video.is_file() or not sections.is_file():
        raise LessonError(f"Manim wrote no video or sections for {job.slug}")
    add_narration(video, sections, clips, Fraction(job.frame_rate))


def _make_scene(job: RenderJob, record: Sequence[str] | None = None) -> object:
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
