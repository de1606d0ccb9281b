"""`lessonkit table`: the convergence table of Δf/Δa towards f'(a)."""

from __future__ import annotations

import click

from lessonkit.cli.common import friendly_errors, points_option
from lessonkit.functions import get_function
from lessonkit.nudge import convergence_table
from lessonkit.spec import clip_spec, parse_schedule
from lessonkit.table import render_csv, render_json, render_text

__all__ = ["table_command"]

_RENDERERS = {"text": render_text, "json": render_json, "csv": render_csv}


@click.command("table")
@click.argument("function")
@points_option
@click.option(
    "--nudge",
    "nudges",
    multiple=True,
    metavar="D",
    help="A nudge Δa (repeatable, or comma-separated); default: 1, 0.1, 0.01, 0.001.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(_RENDERERS)),
    default="text",
    show_default=True,
    help="Aligned text for people, JSON or CSV for tools.",
)
@friendly_errors
def table_command(
    function: str, points: tuple[str, ...], nudges: tuple[str, ...], fmt: str
) -> None:
    """Show how Δf/Δa converges on f'(a) as the nudge Δa shrinks.

    Values of polynomials are exact; logarithms are rounded to 10 significant
    digits and marked with ≈.

    \b
    Examples:
      lessonkit table square --at 2 --at 5 --nudge 0.001
      lessonkit table log --nudge 1,0.1,0.01 --format csv
    """
    fn = get_function(function)
    spec = clip_spec(fn, list(points) or None, list(parse_schedule(nudges) or ()))
    rows = convergence_table(fn, spec.points, spec.schedule)
    click.echo(_RENDERERS[fmt](fn, rows))
