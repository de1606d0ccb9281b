"""The `lessonkit` command line: a click group with one small module per command."""

from __future__ import annotations

import signal

import click

from lessonkit import __version__
from lessonkit.cli.batch_cmd import batch_command
from lessonkit.cli.export_cmd import export_command
from lessonkit.cli.lesson_cmds import check_command, new_command
from lessonkit.cli.list_cmd import list_command
from lessonkit.cli.messages_cmd import messages_command
from lessonkit.cli.narration_cmd import narration_command
from lessonkit.cli.preview_cmd import preview_command
from lessonkit.cli.render_cmd import render_command
from lessonkit.cli.site_cmd import site_command
from lessonkit.cli.table_cmd import table_command

__all__ = ["cli", "main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="lessonkit")
def cli() -> None:
    """Turn a calculus idea into a lesson: exact nudge tables and Manim videos.

    \b
    Examples:
      lessonkit table square --at 2 --at 5 --nudge 0.001
      lessonkit new my-lesson.toml
      lessonkit preview my-lesson.toml --watch
      lessonkit preview --lesson --frame
      lessonkit render --lesson --quality production
    """


cli.add_command(list_command)
cli.add_command(table_command)
cli.add_command(render_command)
cli.add_command(preview_command)
cli.add_command(export_command)
cli.add_command(site_command)
cli.add_command(new_command)
cli.add_command(check_command)
cli.add_command(messages_command)
cli.add_command(narration_command)
cli.add_command(batch_command)


def main() -> None:
    """Console-script entry point."""
    # Ctrl-C must stop a render cleanly even when the parent started us with SIGINT ignored
    # (background jobs of a non-interactive shell): lessonkit cleans up and says one line
    signal.signal(signal.SIGINT, signal.default_int_handler)
    cli(prog_name="lessonkit")
