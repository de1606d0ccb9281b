"""Every command's --help shows at least one example; new commands are picked up automatically."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

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


ROOT = Path(__file__).resolve().parents[1]


def test_commands_page_cli_reference_matches_help() -> None:
    """docs/commands.md's command reference is regenerated from --help, so it cannot drift."""
    page = (ROOT / "docs" / "commands.md").read_text()
    assert page.count("<!-- cli:start -->") == 1 and page.count("<!-- cli:end -->") == 1
    for path in PATHS:
        assert f"### `{' '.join(('lessonkit', *path))}`" in page
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "cli_docs.py"), "--check"],
        capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_readme_links_to_the_cli_reference_instead_of_holding_it() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "<!-- cli:" not in readme and "Usage: lessonkit" not in readme
    assert "](docs/commands.md)" in readme


def test_ci_runs_the_readme_test_command() -> None:
    """CI runs exactly the README's test command; the README gives two make targets."""
    readme = (ROOT / "README.md").read_text()
    quick = readme.split("## Quick start", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in quick.strip().splitlines()]
    assert commands == ["make demo", "make test"]
    ci = (ROOT / ".ci" / "run").read_text()
    steps = [line for line in ci.splitlines() if line and not line.startswith(("#", "set ", "cd "))]
    assert steps == ["make test"]
    makefile = (ROOT / "Makefile").read_text()
    assert "\ndemo: " in makefile and "\ntest: " in makefile
