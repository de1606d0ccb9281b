"""`lessonkit messages`: write, update and check the translation catalogues."""

from __future__ import annotations

from pathlib import Path

import click

from lessonkit.base.errors import LessonError
from lessonkit.cli.common import friendly_errors

__all__ = ["messages_command"]


@click.command("messages")
@click.argument("lesson", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--lang", "language", required=True, metavar="LANG", help="e.g. ko")
@click.option(
    "--check", is_flag=True, help="Only check: every message translated, same placeholders."
)
@friendly_errors
def messages_command(lesson: Path | None, language: str, check: bool) -> None:
    """Create or update the catalogue that translates LESSON into LANG, or check it.

    The catalogue is LESSON's name with .LANG.po (my-lesson.ko.po), a gettext file any
    PO editor opens. Updating keeps existing translations, adds new words untranslated
    and drops words the lesson no longer has. Without LESSON, the same for lessonkit's
    own words (lessonkit/locale/LANG.po: captions, chapter titles, page labels).

    \b
    Examples:
      lessonkit messages my-lesson.toml --lang ko
      lessonkit messages my-lesson.toml --lang ko --check
      lessonkit messages --lang ko --check
    """
    from lessonkit.lesson.i18n import SOURCE_LANGUAGE
    from lessonkit.lesson.lessonfile import catalogue_path
    from lessonkit.lesson.messages import (
        builtin_catalogue_path,
        builtin_messages,
        check_catalogue,
        lesson_messages,
        update_catalogue,
    )

    if lesson is None:
        if language == SOURCE_LANGUAGE:
            raise LessonError("lessonkit's own words are written in English: pick another --lang")
        po, messages, settings = builtin_catalogue_path(language), builtin_messages(), True
    else:
        po, messages, settings = catalogue_path(lesson, language), lesson_messages(lesson), False
    if check:
        if not po.exists():
            raise LessonError(f"no catalogue {po}: write it with `lessonkit messages` first")
        problems = check_catalogue(po, messages, settings)
        for line in problems:
            click.echo(line, err=True)
        if problems:
            raise SystemExit(1)
        click.echo(f"{po}: {len(messages)} messages, all translated")
        return
    done = update_catalogue(po, language, messages, settings)
    click.echo(
        f"{po}: {len(messages)} messages; {done.added} new, {done.dropped} dropped, "
        f"{done.untranslated} to translate"
    )
