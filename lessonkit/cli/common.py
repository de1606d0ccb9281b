"""Shared CLI pieces: turning library errors into one-line messages, and shared options."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import click

from lessonkit.errors import LessonError

__all__ = ["friendly_errors", "points_option", "functions_argument"]

F = TypeVar("F", bound=Callable[..., Any])


def friendly_errors(func: F) -> F:
    """Run a command so that a LessonError (bad input) becomes `Error: ...` and exit 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except LessonError as exc:
            raise click.ClickException(str(exc)) from None

    return wrapper  # type: ignore[return-value]


points_option = click.option(
    "--at",
    "points",
    multiple=True,
    metavar="A",
    help="A point to nudge from (repeatable); default: the function's lesson points.",
)

functions_argument = click.argument("functions", nargs=-1, metavar="[FUNCTION ...]")
