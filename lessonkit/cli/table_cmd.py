"""`lessonkit table`: the convergence table of Δf/Δa towards f'(a)."""

from __future__ import annotations

import json

import click

from lessonkit.base.errors import LessonError
from lessonkit.cli.common import friendly_errors, points_option, side_option
from lessonkit.cli.function_args import FunctionCommand
from lessonkit.lesson.kinds import kind_named
from lessonkit.lesson.spec import clip_spec, parse_schedule
from lessonkit.maths.lookup import get_function

__all__ = ["table_command"]

#: the formats every kind's table comes in
FORMATS = ("csv", "json", "text")


@click.command("table", cls=FunctionCommand)
@click.argument("function", metavar="FUNCTION|LESSON.toml")
@points_option
@click.option(
    "--nudge",
    "nudges",
    multiple=True,
    metavar="D",
    help="A nudge Δa (repeatable, or comma-separated); default: 1, 0.1, 0.01, 0.001.",
)
@click.option(
    "--digits",
    type=click.IntRange(1, 30),
    default=None,
    help="Significant digits of values that are not exact (default 10, or the lesson's).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="Aligned text for people, JSON or CSV for tools.",
)
@side_option
@friendly_errors
def table_command(
    function: str,
    points: tuple[str, ...],
    nudges: tuple[str, ...],
    digits: int | None,
    fmt: str,
    side: str | None,
) -> None:
    """Show how Δf/Δa converges on f'(a) as the nudge Δa shrinks.

    FUNCTION is a name from `lessonkit list` or an expression in a ("sin(a)",
    "a^4 - 2a"); a lesson file (LESSON.toml) prints one table per part.
    Exact values print every digit; others are rounded to 10 significant
    digits and marked with ≈.

    \b
    Examples:
      lessonkit table square --at 2 --at 5 --nudge 0.001
      lessonkit table log --nudge 1,0.1,0.01 --format csv
      lessonkit table "sin(a)" --at 1 --digits 5
      lessonkit table "relu(a)" --at 0
      lessonkit table --at 2 -- "-log(a)"
      lessonkit table my-lesson.toml
    """
    if function.lower().endswith(".toml"):
        from lessonkit.lesson.lessonfile import load_lesson

        if points or nudges or side:
            raise LessonError(
                "a lesson file sets its own points, nudges and sides: drop --at/--nudge/--side"
            )
        parts = load_lesson(function).parts
    else:
        fn = get_function(function)
        schedule = list(parse_schedule(nudges) or ())
        parts = (clip_spec(fn, list(points) or None, schedule, side=side),)
    tables = []
    for part in parts:  # a bare function is a clip: the nudge kind's table, like its parts
        table = kind_named(part.kind).table(part, fmt, digits)
        if table is not None:
            tables.append(table)
    if not tables:
        raise LessonError(f"{function}: no part of this lesson has a table")
    if len(tables) == 1:
        click.echo(tables[0].rstrip("\n"))
    elif fmt == "json":  # one document for tools: a list with a table per part
        click.echo(json.dumps([json.loads(t) for t in tables], indent=2, ensure_ascii=False))
    elif fmt == "csv":  # one header, the rows of every part (the function column tells them apart)
        click.echo(tables[0] + "".join(t.split("\n", 1)[1] for t in tables[1:]), nl=False)
    else:
        click.echo("\n\n".join(t.rstrip("\n") for t in tables))
