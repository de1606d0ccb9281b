"""The commands shown in README.md and docs/*.md: every one of them is run or checked.

The "Write your own lesson" walk-through (docs/lesson-files.md, and the same block in the
README's tour) and the README's first tour block run as real subprocesses in a fresh folder,
in order, with a tiny frame size added to the commands that render so they stay quick;
`--watch` is stopped with Ctrl-C after its first storyboard. Every other `lessonkit` command
in a code block is parsed by the CLI itself (command, options and their values), and the few
commands that need a cluster are checked against their own --help.
"""

from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import lessonkit_executable

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
LESSON_FILES = ROOT / "docs" / "lesson-files.md"
DOC_PAGES = [README, *sorted((ROOT / "docs").glob("*.md"))]
LESSONKIT = (".venv/bin/lessonkit", "lessonkit")
TINY = ["--size", "192x108"]


def sh_blocks(text: str) -> list[str]:
    """The bodies of the ```sh code blocks of a Markdown text, in order."""
    return re.findall(r"^```sh\n(.*?)^```", text, flags=re.M | re.S)


def command_lines(block: str) -> list[str]:
    """The command lines of a block, comments dropped."""
    lines = [line.split("#", 1)[0].strip() for line in block.strip().splitlines()]
    return [line for line in lines if line]


def lessonkit_args(line: str) -> list[str]:
    """A `.venv/bin/lessonkit ...` line as the arguments after the program."""
    args = shlex.split(line)
    assert args[0] == ".venv/bin/lessonkit", line
    return args[1:]


def section(text: str, heading: str) -> str:
    """The text under a heading, up to the next heading of the same level."""
    level = heading.split(" ", 1)[0]
    return text.split(f"\n{heading}\n", 1)[1].split(f"\n{level} ", 1)[0]


def walkthrough() -> list[list[str]]:
    """The commands of the docs section, as argument lists without `.venv/bin/`."""
    block = sh_blocks(section(LESSON_FILES.read_text(), "## Write your own lesson"))[0]
    return [lessonkit_args(line) for line in command_lines(block)]


def readme_tour() -> list[list[str]]:
    """The README tour's first block: the numbers, a storyboard, a video."""
    tour = section(README.read_text(), "## A five-minute tour")
    block = sh_blocks(section(tour, "### The numbers, a storyboard, a video"))[0]
    return [lessonkit_args(line) for line in command_lines(block)]


def readme_walkthrough() -> list[list[str]]:
    tour = section(README.read_text(), "## A five-minute tour")
    block = sh_blocks(section(tour, "### Write your own lesson"))[0]
    return [lessonkit_args(line) for line in command_lines(block)]


def test_the_walkthrough_covers_every_lesson_command() -> None:
    verbs = [c[0] for c in walkthrough()]
    assert verbs == ["new", "check", "table", "preview", "preview", "render", "export"]
    assert all("my-lesson.toml" in c for c in walkthrough())


def test_the_readme_shows_the_walkthrough_as_the_docs_do() -> None:
    """The README's tour shows the docs' walk-through, line for line (so one run covers both)."""
    assert readme_walkthrough() == walkthrough()


def test_the_readme_tour_shows_the_shipped_lesson() -> None:
    verbs = [c[0] for c in readme_tour()]
    assert verbs == ["table", "preview", "preview", "render"]
    assert sum("--lesson" in c for c in readme_tour()) == 2


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [lessonkit_executable(), *args], cwd=cwd, capture_output=True, text=True, timeout=600
    )


@pytest.mark.slow
def test_every_walkthrough_command_runs(tmp_path: Path) -> None:
    for args in walkthrough():
        if "--watch" in args:
            proc = subprocess.Popen(
                [lessonkit_executable(), *args, *TINY],
                cwd=tmp_path,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )
            page = tmp_path / "media" / "watch" / "my-lesson" / "storyboard.html"
            deadline = time.monotonic() + 180
            while not page.exists() and time.monotonic() < deadline and proc.poll() is None:
                time.sleep(0.2)
            proc.send_signal(signal.SIGINT)
            out, _ = proc.communicate(timeout=60)
            assert page.exists(), out
            assert proc.returncode == 0 and "Traceback" not in out, out
            assert out.count("<img") == 0 and page.read_text().count("<img") > 10
            continue
        extra = TINY + ["--fps", "5"] if args[0] in ("render", "export") else []
        extra = TINY if args[0] == "preview" else extra
        proc = _run([*args, *extra], tmp_path)
        assert proc.returncode == 0, (args, proc.stdout, proc.stderr)
        assert "Traceback" not in proc.stderr
        if args[0] == "check":
            assert proc.stdout.startswith("my-lesson.toml: ok:")
        if args[0] == "table":
            assert "f(a) = sin(a)" in proc.stdout
    videos = list((tmp_path / "media" / "videos").rglob("*.mp4"))
    assert videos, "render wrote no video"
    assert list((tmp_path / "media" / "web").rglob("manifest.json")), "export wrote no bundle"


@pytest.mark.slow
def test_every_readme_tour_command_runs(tmp_path: Path) -> None:
    for args in readme_tour():
        extra = TINY + ["--fps", "5"] if args[0] == "render" else []
        extra = TINY if args[0] == "preview" else extra
        proc = _run([*args, *extra], tmp_path)
        assert proc.returncode == 0, (args, proc.stdout, proc.stderr)
        assert "Traceback" not in proc.stderr
        if args[0] == "table":
            assert "f(a) = a²" in proc.stdout and "Every value is exact." in proc.stdout
            assert "4.004001" in proc.stdout and "25.010001" in proc.stdout
    media = tmp_path / "media"
    assert len(list((media / "stills" / "more-derivative-examples" / "108p15").glob("*.png"))) == 42
    assert list((media / "videos" / "square-a2-a5").rglob("square-a2-a5.mp4"))
    lesson = media / "videos" / "more-derivative-examples" / "108p5"
    assert (lesson / "more-derivative-examples.mp4").stat().st_size > 0
    assert (lesson / "more-derivative-examples.srt").stat().st_size > 0


# -- every other command shown in a code block -------------------------------------------------
#: Commands that need a Dask cluster: each is checked against its own --help instead.
CLUSTER_COMMANDS = ("dask scheduler", "dask worker ")


def documented_commands() -> list[tuple[str, str]]:
    """(page, line) for every command line in a ```sh block of the README and the docs."""
    return [
        (page.relative_to(ROOT).as_posix(), line)
        for page in DOC_PAGES
        for block in sh_blocks(page.read_text())
        for line in command_lines(block)
    ]


COMMANDS = documented_commands()


def test_the_pages_show_commands() -> None:
    pages = {page for page, _ in COMMANDS}
    assert {"README.md", "docs/lesson-files.md", "docs/commands.md", "docs/languages.md",
            "docs/narration.md", "docs/batch.md"} <= pages


@pytest.mark.parametrize(("page", "line"), COMMANDS, ids=[f"{p}: {c}" for p, c in COMMANDS])
def test_every_documented_command_is_checked(page: str, line: str) -> None:
    """A command line is run above, or parsed by the CLI; nothing shown goes unchecked."""
    args = shlex.split(line)
    if args[0] == "make":
        # the README's two set-up commands: pinned by tests/test_docs.py to the Makefile and CI
        assert page == "README.md" and args in (["make", "demo"], ["make", "test"]), line
        return
    if line.startswith(CLUSTER_COMMANDS):
        _check_against_help(args)
        return
    assert args[0] in LESSONKIT, f"{page}: no test checks this command: {line}"
    _parse(args[1:], line)
    for arg in args[1:]:
        if arg.endswith(".toml") and not arg.startswith("my-lesson"):
            assert (ROOT / arg).is_file(), f"{page}: {line}: no file {arg}"


def _parse(args: list[str], line: str) -> None:
    """Parse a lessonkit command line as the CLI would, without running it."""
    import click

    from lessonkit.cli import cli

    name, *rest = args
    assert name in cli.commands, f"unknown command in {line!r}"
    command = cli.commands[name]
    try:
        with command.make_context(f"lessonkit {name}", rest):
            pass
    except click.ClickException as error:  # pragma: no cover - the failure message
        pytest.fail(f"{line!r} does not parse: {error.format_message()}")


def _check_against_help(args: list[str]) -> None:
    """A dask command: the sub-command exists and takes every option the docs give it."""
    dask = Path(sys.executable).parent / "dask"
    assert dask.exists(), "dask is not installed in the venv"
    proc = subprocess.run(
        [str(dask), args[1], "--help"], capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for option in (a for a in args[2:] if a.startswith("--")):
        assert option in proc.stdout, f"`dask {args[1]}` takes no {option}"
