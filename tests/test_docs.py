"""Every command's --help shows at least one example; new commands are picked up automatically."""

from __future__ import annotations

from collections.abc import Iterator

import click
import pytest
from click.testing import CliRunner

from lessonkit.cli import cli


def command_paths(
    group: click.Group = cli, prefix: tuple[str, ...] = ()
) -> Iterator[tuple[str, ...]]:
    """The group itself, then every registered command, recursing into sub-groups."""
    yield prefix
    for name in sorted(group.commands):
        command = group.commands[name]
        if isinstance(command, click.Group):
            yield from command_paths(command, (*prefix, name))
        else:
            yield (*prefix, name)


PATHS = list(command_paths())


def test_known_commands_are_registered() -> None:
    # Sanity check for the iteration below; more commands may be added, none removed.
    assert {"list", "table"} <= set(cli.commands)
    assert () in PATHS and ("table",) in PATHS and ("list",) in PATHS


@pytest.mark.parametrize("path", PATHS, ids=[" ".join(("lessonkit", *p)) for p in PATHS])
def test_help_has_an_example(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output
    assert "Example" in result.output, f"`lessonkit {' '.join(path)} --help` shows no example"
    # the example is an actual lessonkit command line
    assert "lessonkit " + " ".join(path) in result.output or not path


@pytest.mark.parametrize("path", [p for p in PATHS if p], ids=[" ".join(p) for p in PATHS if p])
def test_group_help_lists_command(path: tuple[str, ...]) -> None:
    parent = CliRunner().invoke(cli, [*path[:-1], "--help"])
    assert parent.exit_code == 0
    assert path[-1] in parent.output
