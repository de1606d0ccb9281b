"""`lessonkit narration`: the recordings a lesson expects, and the script a speaker reads."""

from __future__ import annotations

from pathlib import Path

import click

from lessonkit.base.errors import LessonError
from lessonkit.base.fsutil import write_text
from lessonkit.cli.common import friendly_errors, lang_option, voice_for

__all__ = ["narration_command"]


@click.command("narration")
@click.argument("lesson", type=click.Path(dir_okay=False, path_type=Path))
@lang_option
@click.option("--list", "listing", is_flag=True, help="List the recording file names, in order.")
@click.option(
    "--script",
    "script",
    is_flag=True,
    help="Write the speaker's script (Markdown) beside the lesson: LESSON[.LANG].script.md.",
)
@click.option(
    "--voice",
    default=None,
    metavar="FOLDER",
    help="The folder of recordings to check against (default: the lesson's voice).",
)
@friendly_errors
def narration_command(
    lesson: Path, language: str | None, listing: bool, script: bool, voice: str | None
) -> None:
    """What the voice says in LESSON: each step's narration and its recording's name.

    A folder voice (--voice FOLDER, or voice = "FOLDER" in the lesson) reads STEP.wav
    or STEP.flac for every step; a step without one is spoken by espeak, with a warning.

    \b
    Examples:
      lessonkit narration my-lesson.toml --list
      lessonkit narration my-lesson.toml --script --lang ko
      lessonkit render my-lesson.toml --voice recordings/
    """
    from lessonkit.lesson.lessonfile import load_lesson
    from lessonkit.lesson.narration import recording_for, script_sheet
    from lessonkit.lesson.storyboard import lesson_steps

    target = load_lesson(lesson, language)
    steps = lesson_steps(target)
    chosen = voice_for(target, voice, default=str(lesson.parent / "recordings"))
    if not listing and not script:
        raise LessonError("say what to show: --list (file names) or --script (the script)")
    if listing:
        for step in steps:
            found = recording_for(chosen, step.name)
            mark = f"  ({found.name} found)" if found is not None else ""
            click.echo(f"{step.name}.wav{mark}")
    if script:
        suffix = f".{language}" if language else ""
        out = lesson.with_name(f"{lesson.stem}{suffix}.script.md")
        write_text(out, script_sheet(steps, chosen, target.title))
        click.echo(f"wrote {out} ({len(steps)} steps)")
