"""FUNCTION arguments that start with a minus sign: `lessonkit table "-log(a)"`."""

from __future__ import annotations

import subprocess

import click
import pytest
from click.testing import CliRunner
from conftest import lessonkit_executable

from lessonkit.cli import cli
from lessonkit.cli.function_args import FunctionCommand


@pytest.mark.parametrize(
    "args",
    [
        ["table", "-log(a)", "--at", "2", "--nudge", "1"],
        ["table", "--at", "2", "--nudge", "1", "--", "-log(a)"],
        ["table", "--at", "2", "-log(a)", "--nudge", "1"],
        ["table", "--at=2", "--nudge", "1", "-log(a)"],
    ],
)
def test_a_function_with_a_leading_minus_is_the_function(args: list[str]) -> None:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("f(a) = -log(a)    f'(a) = -1/a")


def test_a_negative_point_after_at_is_still_a_point() -> None:
    result = CliRunner().invoke(cli, ["table", "-a^2", "--at", "-2", "--nudge", "1"])
    assert result.exit_code == 0, result.output
    first_row = result.output.splitlines()[3].split()
    assert first_row[:2] == ["-2", "1"] and first_row[2] == "-4"  # f(-2) = -(-2)² = -4


def test_a_short_option_joined_to_its_value_stays_an_option() -> None:
    @click.command(cls=FunctionCommand)
    @click.argument("functions", nargs=-1)
    @click.option("-j", "--jobs", type=int, default=0)
    def toy(functions: tuple[str, ...], jobs: int) -> None:
        click.echo(f"{functions} {jobs}")

    result = CliRunner().invoke(toy, ["-log(a)", "-j1", "-a^2"])
    assert result.exit_code == 0, result.output
    assert result.output == "('-log(a)', '-a^2') 1\n"  # "-j1" is -j with its value


def test_an_unknown_option_says_how_to_pass_such_a_function() -> None:
    result = CliRunner().invoke(cli, ["render", "-x"])
    assert result.exit_code == 2
    assert "No such option '-x'" in result.output
    assert 'lessonkit render -- "-log(a)"' in result.output


def test_as_a_real_process() -> None:
    done = subprocess.run(
        [lessonkit_executable(), "table", "-log(a)", "--at", "2", "--nudge", "1"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "-log(a)" in done.stdout.splitlines()[0]
