"""A batch's outputs, made on the client: joined videos, web bundles and the gallery."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from lessonkit.base.errors import LessonError
from lessonkit.base.fsutil import write_text
from lessonkit.batch.report import BatchReport, TargetRun, one_line

if TYPE_CHECKING:
    from lessonkit.batch.course import Course
    from lessonkit.render import RenderResult

__all__ = ["join_target", "export_bundle", "write_gallery", "video_stamp"]


def join_target(run: TargetRun, force: bool, say: Callable[[str], None], export: bool) -> None:
    """Join the video of `run` from the step cache (all its steps are done), then, with
    `export`, write its web bundle; a failure fails the target."""
    from lessonkit.base.failures import failure_in_one_line
    from lessonkit.render import render, video_dir
    from lessonkit.render.steps import cache_dir, cached_step

    assert run.job is not None
    start = time.perf_counter()
    job = replace(run.target.job, use_cache=True, jobs=1)
    try:
        with failure_in_one_line(f"joining {run.name}"):
            lost = [n for n in run.steps if cached_step(run.job, n, run.keys[n]) is None]
            if lost:
                raise LessonError(
                    f"step {lost[0]} is not in {cache_dir(run.job)} after its task "
                    "finished: the workers and this machine must share the media folder "
                    "at the same path"
                )
            for n in run.steps:
                video = cached_step(run.job, n, run.keys[n])
                run.step_bytes_joined += video.video.stat().st_size if video else 0
            if force and run.missing:
                # every step was drawn again: join them, do not reuse the old video
                (video_dir(job) / f"{job.slug}.{job.fmt}").unlink(missing_ok=True)
            result = render(job, say=say)
            if result.rendered_steps:
                raise LessonError(
                    f"the join rendered steps itself ({', '.join(result.rendered_steps)})"
                )
        run.joined = not result.cached
        run.files = [str(p) for p in result.paths]
        run.status = "made" if run.missing else "cached"
        if export:
            export_bundle(run, result)
    except LessonError as exc:
        run.fail(str(exc))
    run.join_seconds = time.perf_counter() - start


def export_bundle(run: TargetRun, result: RenderResult) -> None:
    """The web bundle of the target's slug, unless an earlier run made it from this
    very video (a batch run again exports only what changed)."""
    from lessonkit.base.failures import failure_in_one_line
    from lessonkit.web.bundle import bundle_dir, write_bundle

    media = run.target.job.media_dir
    folder = bundle_dir(media, run.target.slug)
    # outside the bundle: its folder is what a course page publishes
    stamp = media / "cache" / "batch-export" / f"{run.target.slug}.json"
    source = video_stamp(result)
    try:
        if stamp.read_text(encoding="utf-8") == source and (folder / "manifest.json").is_file():
            run.bundle = str(folder)
            return
    except OSError:
        pass
    with failure_in_one_line(f"exporting {run.name}"):
        bundle = write_bundle(result)
        stamp.parent.mkdir(parents=True, exist_ok=True)
        write_text(stamp, source)
    run.bundle, run.exported = str(bundle.folder), True
    run.files += [str(p) for p in bundle.files]


def write_gallery(report: BatchReport, course: Course, say: Callable[[str], None]) -> None:
    """The course's gallery of the bundles made (its path, or why there is none, in `report`)."""
    from lessonkit.base.failures import failure_in_one_line
    from lessonkit.web.gallery import build_site

    if not any(r.bundle for r in report.runs):
        report.gallery_error = "no web bundle was made"
        return
    media = course.targets[0].job.media_dir
    try:
        with failure_in_one_line("writing the gallery"):
            site = build_site(media, course.title)
    except LessonError as exc:
        report.gallery_error = one_line(str(exc))
        return
    for warning in site.warnings:
        say(f"warning: {warning}")
    report.gallery = str(site.index)


def video_stamp(result: RenderResult) -> str:
    """Which video a bundle was made from: its path, size and modification time."""
    assert result.video is not None
    st = result.video.stat()
    return json.dumps([str(result.video), st.st_size, st.st_mtime_ns])
