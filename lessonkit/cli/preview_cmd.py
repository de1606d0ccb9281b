"""`lessonkit preview`: the fastest useful look while authoring: a low-res clip and stills."""

from __future__ import annotations

import time
from pathlib import Path

import click

from lessonkit.cli.common import (
    build_targets,
    failure_in_one_line,
    friendly_errors,
    functions_argument,
    lesson_option,
    nudges_option,
    output_dir_option,
    parse_size,
    points_option,
    size_option,
)
from lessonkit.spec import QUALITIES

__all__ = ["preview_command"]


@click.command("preview")
@functions_argument
@points_option
@nudges_option
@lesson_option
@click.option("--frame", is_flag=True, help="Only the stills (one PNG per section), no video.")
@output_dir_option
@size_option
@friendly_errors
def preview_command(
    functions: tuple[str, ...],
    points: tuple[str, ...],
    nudges: str | None,
    lesson: bool,
    frame: bool,
    output_dir: Path,
    size: str | None,
) -> None:
    """Preview at 480p15: a clip plus one PNG per section (its last frame).

    With --frame, animations are skipped and only the stills are made: a
    storyboard of the whole lesson in seconds.

    \b
    Examples:
      lessonkit preview --lesson --frame
      lessonkit preview square --at 2 --at 5
    """
    from lessonkit.render import RenderJob, render

    start = time.perf_counter()
    for target in build_targets(functions, points, nudges, lesson):
        job = RenderJob(
            target,
            QUALITIES["preview"],
            media_dir=output_dir,
            stills=True,
            stills_only=frame,
            size=parse_size(size),
        )
        with failure_in_one_line(f"preview of {target.slug}"):
            result = render(job)
        if result.video is not None:
            click.echo(f"clip:   {result.video}")
        if result.stills:
            click.echo(f"stills: {result.stills[0].parent}/ ({len(result.stills)} PNG)")
    click.echo(f"done in {time.perf_counter() - start:.1f} s")
