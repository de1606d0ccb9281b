"""Driving Manim: render a clip or the lesson to predictable files, take stills, reuse results.

The only code in lessonkit that imports Manim (lazily, inside functions), so that
`lessonkit table` stays instant. Manim's global config is changed only inside `tempconfig`.
Here: `render` and its step-by-step path; the job and its key (job.py), the files, their
reuse, the narration, Manim's settings and the step machinery live in the modules beside it.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from lessonkit.base.errors import LessonError
from lessonkit.base.fsutil import output_lock, staging_name
from lessonkit.lesson.spec import LessonSpec
from lessonkit.render import job as job_module
from lessonkit.render.job import FORMATS, RenderJob, jobs_for, make_scene, source_fingerprint
from lessonkit.render.job_narration import mux_narration, narrate_job
from lessonkit.render.one_scene import render_in_one_scene
from lessonkit.render.outputs import RenderResult, stills_dir, video_dir
from lessonkit.render.progress import StepProgress, show_progress
from lessonkit.render.publish import publish, publish_stills
from lessonkit.render.reuse import (
    clean_stale,
    existing_result,
    stamp_path,
    stamp_problem,
    write_stamp,
)
from lessonkit.render.settings import manim_config

__all__ = [
    "FORMATS",
    "jobs_for",
    "make_scene",
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
    from lessonkit.lesson.storyboard import check_length, steps_for

    check_length(steps_for(job.target))  # before any work: never a render of hours
    target = job.target
    for clip in target.clips if isinstance(target, LessonSpec) else (target,):
        clip.check_drawable()
    start = time.perf_counter()
    job, clips = narrate_job(job, say)
    out_dir = video_dir(job)
    lock = out_dir.parent / f".{out_dir.name}.lock"
    with output_lock(lock, f"{job.slug} at {job.folder}", say):
        clean_stale(job, out_dir)
        stamp = stamp_path(job, out_dir)
        result = existing_result(job, out_dir)
        cached = False
        if job.use_cache and not job.stills_only and result is not None:
            problem = stamp_problem(stamp, job, result)
            cached = problem is None
            if problem and problem != "no key" and say is not None:
                say(f"the cached render of {job.slug} {problem}: rendering it again")
        if cached and result is not None:
            if job.stills and not result.stills:
                result.stills = render_in_one_scene(
                    replace(job, stills_only=True), out_dir, job_module.make_scene
                ).stills
            result.seconds = time.perf_counter() - start
            result.cached = True
            return result
        if by_steps(job):
            result = _render_by_steps(job, out_dir, clips)
            if job.stills and not result.stills:
                result.stills = render_in_one_scene(
                    replace(job, stills_only=True), out_dir, job_module.make_scene
                ).stills
        else:
            result = render_in_one_scene(job, out_dir, job_module.make_scene, clips)
        if not job.stills_only and result.video is not None:
            write_stamp(stamp, job, result.video)  # last: a key means whole files beside it
    result.seconds = time.perf_counter() - start
    return result


def by_steps(job: RenderJob) -> bool:
    """Whether `job` is rendered step by step and joined: a whole MP4 or WebM video (a GIF's
    palette belongs to the whole clip, and stills come from a pass with animations skipped)."""
    from lessonkit.render.step_plan import STEP_FORMATS

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
    with StepProgress(job, len(missing) if parallel else 0, jobs) as done:
        by_step.run_units(
            job, units, jobs, done, progress=show_progress() and not parallel, planned=keys
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
            mux_narration(job, staging, clips)
        stamp_path(job, out_dir).unlink(missing_ok=True)
        publish(staging, out_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    by_step.prune(job, set(keys.values()))
    result = existing_result(job, out_dir)
    if result is None:
        raise LessonError(f"the joined video of {job.slug} is missing from {out_dir}")
    result.rendered_steps = tuple(missing)
    stills = [v.still for v in videos]
    if job.stills and all(stills):
        result.stills = publish_stills(
            job, {v.name: s for v, s in zip(videos, stills, strict=True) if s}
        )
    return result
