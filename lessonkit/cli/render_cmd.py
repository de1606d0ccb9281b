"""`lessonkit render`: lesson videos for publishing, under predictable names in media/."""

from __future__ import annotations

from pathlib import Path

import click

from lessonkit.cli.common import (
    build_targets,
    failure_in_one_line,
    fps_option,
    friendly_errors,
    functions_argument,
    jobs_option,
    lang_option,
    lesson_option,
    nudges_option,
    output_dir_option,
    parse_size,
    planned,
    points_option,
    quality_option,
    side_option,
    size_option,
    steps_drawn,
    tell,
    voice_for,
    voice_option,
)
from lessonkit.cli.function_args import FunctionCommand
from lessonkit.lesson.spec import QUALITIES

__all__ = ["render_command"]


@click.command("render", cls=FunctionCommand)
@functions_argument
@points_option
@nudges_option
@side_option
@lesson_option
@lang_option
@voice_option
@quality_option
@fps_option
@output_dir_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["mp4", "webm", "gif", "png"]),
    default="mp4",
    show_default=True,
    help="Video format; png saves one still per section.",
)
@size_option
@jobs_option
@click.option("--force", is_flag=True, help="Render again even if an identical render exists.")
@friendly_errors
def render_command(
    functions: tuple[str, ...],
    points: tuple[str, ...],
    nudges: str | None,
    side: str | None,
    lesson: bool,
    language: str | None,
    voice: str | None,
    quality: str,
    fps: int | None,
    output_dir: Path,
    fmt: str,
    size: str | None,
    jobs: int | None,
    force: bool,
) -> None:
    """Render nudge clips (one per FUNCTION) or the full lesson.

    Output goes to media/videos/<slug>/<height>p<fps>/<slug>.<format>, with the
    captions (.srt) and sections beside it. With no FUNCTION, renders the lesson.

    \b
    Examples:
      lessonkit render --lesson --quality production
      lessonkit render square --at 2 --at 5 --quality draft
      lessonkit render cube --nudges 1,0.1,0.01 --format webm
    """
    from lessonkit.render import RenderJob, render

    targets = build_targets(functions, points, nudges, lesson, language, side)
    for target in targets:
        job = RenderJob(
            target,
            QUALITIES[quality],
            fps,
            output_dir,
            fmt,
            size=parse_size(size),
            use_cache=not force,
            voice=voice_for(target, voice),
            jobs=jobs,
        )
        click.echo(f"rendering {target.slug} at {job.folder}: {planned(target)} ...", err=True)
        with failure_in_one_line(f"rendering {target.slug}"):
            result = render(job, say=tell)
        how = "reused identical render" if result.cached else "rendered" + steps_drawn(result)
        click.echo(f"{how} {target.slug} in {result.seconds:.1f} s", err=True)
        for path in result.paths:
            click.echo(str(path))
