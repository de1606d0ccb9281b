"""Requests past lessonkit's limits, as real processes: each is refused up front in one line
with a non-zero exit, and nothing is written (issue 20's held-out corpus)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import lessonkit_executable

from lessonkit.lesson.spec import MAX_NUDGES, MAX_POINTS
from lessonkit.lesson.storyboard import MAX_VIDEO_SECONDS


def run(*args: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """The real CLI as a process; a refusal that is not up front runs into the timeout."""
    return subprocess.run(
        [lessonkit_executable(), *args], capture_output=True, text=True, timeout=timeout, cwd=cwd
    )


def refused(done: subprocess.CompletedProcess[str]) -> str:
    """The one line a refusal prints: stderr holds nothing else, stdout nothing."""
    assert done.returncode != 0
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("Error: ") and "Traceback" not in done.stderr
    return lines[0]


def test_a_point_too_close_to_a_pole_to_draw_is_refused_in_one_line(tmp_path: Path) -> None:
    done = run("render", "log", "--at", "1e-300", "--output-dir", "media", cwd=tmp_path)
    line = refused(done)
    assert "too large to draw" in line and "lessonkit table" in line
    assert "a = 1e-300, f'(a) = 1e300" in line and len(line) < 200  # no 300-digit numbers
    assert not (tmp_path / "media").exists()
    # its numbers are still there for the table
    table = run("table", "log", "--at", "1e-300", cwd=tmp_path)
    assert table.returncode == 0, table.stderr


@pytest.mark.parametrize(
    ("option", "count", "said"),
    [("--at", 1000, "1000 points asked"), ("--nudges", 10_000, "10000 nudges asked")],
)
def test_a_clip_of_a_thousand_points_or_nudges_is_refused_up_front(
    tmp_path: Path, option: str, count: int, said: str
) -> None:
    if option == "--at":
        values = ",".join(str(i) for i in range(1, count + 1))
        args = ["render", "square", *(x for v in values.split(",") for x in ("--at", v))]
    else:
        values = ",".join(f"{1 - i / count:.6f}" for i in range(count))
        args = ["render", "square", "--nudges", values]
    # refused before any work: a render of that size would still be going long after 60 s
    done = run(*args, "--output-dir", "media", cwd=tmp_path, timeout=60)
    line = refused(done)
    assert said in line
    assert str(MAX_POINTS if option == "--at" else MAX_NUDGES) in line
    assert not (tmp_path / "media").exists()


def test_a_lesson_longer_than_the_limit_is_refused_with_its_length(tmp_path: Path) -> None:
    points = ", ".join(str(i) for i in range(1, MAX_POINTS + 1))
    parts = "".join(
        f'\n[[part]]\nfunction = "a^2"\nname = "p{i}"\npoints = [{points}]\n' for i in range(8)
    )
    (tmp_path / "long.toml").write_text(f'title = "Long"\n{parts}', encoding="utf-8")
    done = run("render", "long.toml", "--output-dir", "media", cwd=tmp_path)
    line = refused(done)
    assert f"at most {MAX_VIDEO_SECONDS // 60} minutes" in line and "steps," in line
    assert not (tmp_path / "media").exists()


@pytest.mark.slow
def test_a_render_says_what_it_makes_before_it_starts(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from lessonkit.cli import cli
    from lessonkit.lesson.spec import clip_spec
    from lessonkit.lesson.storyboard import steps_for, total_duration

    steps = steps_for(clip_spec("square", ["2"], ["1"]))
    seconds = round(total_duration(steps))
    result = CliRunner().invoke(
        cli,
        [
            "render",
            "square",
            "--at",
            "2",
            "--nudges",
            "1",
            "--size",
            "64x36",
            "--fps",
            "2",
            "--output-dir",
            str(tmp_path / "media"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert f"{len(steps)} steps, {seconds // 60}:{seconds % 60:02d} of video" in result.output
