"""`lessonkit list`: every lesson function with its formula, derivative, domain and points."""

from __future__ import annotations

import click

from lessonkit.maths.functions import FUNCTIONS
from lessonkit.maths.numbers import Value

__all__ = ["list_command"]


@click.command("list")
def list_command() -> None:
    """List the named functions: formula, derivative, domain, default points and aliases.

    Any other function is written as an expression in a wherever FUNCTION is
    asked for: "a^4 - 2a", "sin(a)", "sqrt(a)", "log(a, 10)", "2^a".

    \b
    Example:
      lessonkit list
    """
    rows = [("name", "f(a)", "f'(a)", "domain", "points", "aliases")]
    for fn in FUNCTIONS:
        rows.append(
            (
                fn.name,
                fn.formula,
                fn.derivative_formula,
                fn.domain,
                ", ".join(Value(p).text() for p in fn.points),
                ", ".join(fn.aliases),
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        click.echo("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
    click.echo('\nor any expression in a, e.g. "a^4 - 2a", "sin(a)", "sqrt(a)", "log(a, 10)"')
