"""`lessonkit preview`: the fastest useful look while authoring: a low-res clip and stills."""

from __future__ import annotations

import time
from pathlib import Path

import click

from lessonkit.base.errors import LessonError
from lessonkit.cli.common import (
    build_targets,
    failure_in_one_line,
    friendly_errors,
    functions_argument,
    jobs_option,
    lang_option,
    lesson_option,
    nudges_option,
    output_dir_option,
    parse_size,
    points_option,
    side_option,
    size_option,
    tell,
    voice_for,
    voice_option,
)
from lessonkit.cli.function_args import FunctionCommand
from lessonkit.lesson.spec import QUALITIES

__all__ = ["preview_command"]


def _watch(
    functions: tuple[str, ...],
    points: tuple[str, ...],
    nudges: str | None,
    lesson: bool,
    language: str | None,
    output_dir: Path,
    size: tuple[int, int] | None,
) -> None:
    """Run watch mode on one lesson file until Ctrl-C."""
    from lessonkit.lesson.lessonfile import is_lesson_path, shipped_lesson_path, slug_of
    from lessonkit.render.watch import Refresh, Storyboard, watch

    if lesson and not functions:
        functions = (str(shipped_lesson_path()),)
    if len(functions) != 1 or not is_lesson_path(functions[0]) or points or nudges:
        raise LessonError("--watch follows one lesson file: lessonkit preview LESSON.toml --watch")
    path = Path(functions[0])
    if not path.is_file():
        raise LessonError(f"{path}: no such lesson file (`lessonkit new {path}` writes one)")
    name = slug_of(path.stem) + (f"-{language}" if language else "")
    board = Storyboard(path, output_dir / "watch" / name, size, language=language)

    def report(r: Refresh) -> None:
        if r.error:
            click.echo(f"Error: {r.error} (still watching)", err=True)
            return
        what = f"redrew {len(r.drawn)} of {r.steps} steps" if r.drawn else "no picture changed"
        click.echo(f"{what} in {r.seconds:.2f} s: {board.page}")

    click.echo(f"watching {path} (Ctrl-C stops)")
    try:
        with failure_in_one_line(f"preview of {path}"):
            watch(board, report)
    except KeyboardInterrupt:
        pass
    click.echo("stopped watching")


@click.command("preview", cls=FunctionCommand)
@functions_argument
@points_option
@nudges_option
@side_option
@lesson_option
@lang_option
@voice_option
@click.option("--frame", is_flag=True, help="Only the stills (one PNG per section), no video.")
@click.option(
    "--watch",
    is_flag=True,
    help="With a LESSON.toml: keep a storyboard page current, redrawing changed steps on save.",
)
@output_dir_option
@size_option
@jobs_option
@friendly_errors
def preview_command(
    functions: tuple[str, ...],
    points: tuple[str, ...],
    nudges: str | None,
    side: str | None,
    lesson: bool,
    language: str | None,
    voice: str | None,
    frame: bool,
    watch: bool,
    output_dir: Path,
    size: str | None,
    jobs: int | None,
) -> None:
    """Preview at 480p15: a clip plus one PNG per section (its last frame).

    With --frame, animations are skipped and only the stills are made: a
    storyboard of the whole lesson in seconds.

    \b
    Examples:
      lessonkit preview --lesson --frame
      lessonkit preview square --at 2 --at 5
      lessonkit preview my-lesson.toml --watch
    """
    from lessonkit.render import RenderJob, render

    if watch:
        _watch(functions, points, nudges, lesson, language, output_dir, parse_size(size))
        return

    start = time.perf_counter()
    for target in build_targets(functions, points, nudges, lesson, language, side):
        job = RenderJob(
            target,
            QUALITIES["preview"],
            media_dir=output_dir,
            stills=True,
            stills_only=frame,
            size=parse_size(size),
            voice=voice_for(target, voice) if voice is not None else None,
            jobs=jobs,
        )
        with failure_in_one_line(f"preview of {target.slug}"):
            result = render(job, say=tell)
        if result.video is not None:
            click.echo(f"clip:   {result.video}")
        if result.stills:
            click.echo(f"stills: {result.stills[0].parent}/ ({len(result.stills)} PNG)")
    click.echo(f"done in {time.perf_counter() - start:.1f} s")
