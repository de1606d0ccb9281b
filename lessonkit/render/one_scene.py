"""A job drawn by one Manim scene in this process: GIFs, stills, videos not drawn by steps."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lessonkit.base.errors import LessonError
from lessonkit.base.fsutil import staging_name
from lessonkit.render.job_narration import mux_narration
from lessonkit.render.outputs import RenderResult, stills_dir
from lessonkit.render.progress import show_progress
from lessonkit.render.publish import publish, replace_folder, save_png, step_numbers
from lessonkit.render.reuse import existing_result, stamp_path
from lessonkit.render.settings import manim_config

__all__ = ["render_in_one_scene"]


def render_in_one_scene(
    job: Any,
    out_dir: Path,
    make_scene: Callable[[Any], Any],
    clips: dict[str, Any] | None = None,
) -> RenderResult:
    """Render `job` with the scene `make_scene(job)` builds (lessonkit.render passes its
    `make_scene`), writing into a staging folder whose finished files are moved into
    `out_dir`; with `clips`, the narration is muxed in first."""
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
    cfg = manim_config(job, staging, partial, movie=movie, progress=show_progress())
    still_paths: list[Path] = []
    sdir = stills_dir(job)
    want_stills = job.stills or job.stills_only or job.fmt == "png"
    still_stage = sdir.parent / staging_name(f".staging-{sdir.name}-")
    if want_stills:
        shutil.rmtree(still_stage, ignore_errors=True)
        still_stage.mkdir(parents=True, exist_ok=True)

    numbers = step_numbers(job)

    def sink(index: int, name: str, rgba: object) -> None:
        if job.only is not None and name not in job.only:
            return  # a step played only to set the stage for a wanted one
        file = f"{numbers.get(name, index):02d}-{name}.png"
        save_png(still_stage / file, rgba)
        still_paths.append(sdir / file)

    try:
        with tempconfig(cfg):
            scene = make_scene(job)
            if want_stills:
                scene.still_sink = sink
            if job.stills_only or job.fmt == "png":
                scene.renderer.skip_animations = True
                scene.renderer._original_skipping_status = True
                scene.cut_animations = True
            scene.render()
        if movie and clips:
            mux_narration(job, staging, clips)
        if movie:
            # from here the files beside the key change: it no longer vouches for them
            stamp_path(job, out_dir).unlink(missing_ok=True)
            publish(staging, out_dir)
        if want_stills and job.only is not None:
            sdir.mkdir(parents=True, exist_ok=True)  # some steps: replace just their stills
            for png in still_stage.iterdir():
                os.replace(png, sdir / png.name)
        elif want_stills:
            replace_folder(still_stage, sdir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(still_stage, ignore_errors=True)
        shutil.rmtree(partial, ignore_errors=True)
    if not movie:
        return RenderResult(job, None, None, None, still_paths)
    result = existing_result(job, out_dir)
    if result is None:
        raise LessonError(f"Manim finished but wrote no video under {out_dir}")
    result.stills = still_paths
    return result
