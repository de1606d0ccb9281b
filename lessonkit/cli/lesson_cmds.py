"""`lessonkit new` and `lessonkit check`: start a lesson file, and validate one."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import click

from lessonkit.base.errors import LessonError
from lessonkit.base.fsutil import os_error_line, write_text
from lessonkit.cli.common import friendly_errors

__all__ = ["new_command", "check_command", "starter_text"]


def starter_text(path: Path) -> str:
    """The commented starter lesson, with its own file name in the examples."""
    text = resources.files("lessonkit").joinpath("templates/starter.toml").read_text("utf-8")
    return text.replace("{file}", str(path))


@click.command("new")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
@friendly_errors
def new_command(file: Path, force: bool) -> None:
    """Write a commented starter lesson to FILE (.toml) that renders as it is.

    \b
    Examples:
      lessonkit new my-lesson.toml
      lessonkit check my-lesson.toml
    """
    if file.suffix.lower() != ".toml":
        raise LessonError(f"a lesson file ends in .toml, got {str(file)!r}")
    if file.exists() and not force:
        raise LessonError(f"{file} exists: pick another name or pass --force")
    try:
        write_text(file, starter_text(file))
    except OSError as exc:
        raise LessonError(os_error_line(exc, f"cannot write {file}")) from None
    click.echo(f"wrote {file}: edit it, then `lessonkit preview {file} --watch`")


@click.command("check")
@click.argument("files", nargs=-1, required=True, metavar="LESSON.toml ...")
@friendly_errors
def check_command(files: tuple[str, ...]) -> None:
    """Validate lesson files without rendering: every problem names its line and key.

    \b
    Examples:
      lessonkit check my-lesson.toml
      lessonkit check lessons/*.toml
    """
    from lessonkit.lesson.lessonfile import load_lesson
    from lessonkit.lesson.storyboard import lesson_steps, total_duration

    for file in files:
        lesson = load_lesson(file)
        steps = lesson_steps(lesson)
        # a voice stretches steps to its sentences: known only once they are synthesised
        voiced = lesson.voice not in (None, "none")
        click.echo(
            f"{file}: ok: {len(lesson.parts)} parts, {len(steps)} steps, "
            f"{total_duration(steps):.1f} s of video"
            + (f" before narration (voice: {lesson.voice})" if voiced else "")
        )
