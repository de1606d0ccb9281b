"""The README's "Write your own lesson" walk-through, every command run as written.

Commands run as real subprocesses in a fresh folder, in order, with a tiny frame size added
to the commands that render so the walk-through stays quick; `--watch` is stopped with
Ctrl-C after its first storyboard.
"""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import time
from pathlib import Path

import pytest
from conftest import lessonkit_executable

ROOT = Path(__file__).resolve().parents[1]


def walkthrough() -> list[list[str]]:
    """The commands of the README section, as argument lists without `.venv/bin/`."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Write your own lesson", 1)[1].split("\n## ", 1)[0]
    block = section.split("```sh", 1)[1].split("```", 1)[0]
    commands = []
    for line in block.strip().splitlines():
        args = shlex.split(line.split("#", 1)[0])
        assert args[0] == ".venv/bin/lessonkit", line
        commands.append(args[1:])
    return commands


def test_the_walkthrough_covers_every_lesson_command() -> None:
    verbs = [c[0] for c in walkthrough()]
    assert verbs == ["new", "check", "table", "preview", "preview", "render", "export"]
    assert all("my-lesson.toml" in c for c in walkthrough())


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [lessonkit_executable(), *args], cwd=cwd, capture_output=True, text=True, timeout=600
    )


@pytest.mark.slow
def test_every_walkthrough_command_runs(tmp_path: Path) -> None:
    tiny = ["--size", "192x108"]
    for args in walkthrough():
        if "--watch" in args:
            proc = subprocess.Popen(
                [lessonkit_executable(), *args, *tiny],
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
        extra = tiny + ["--fps", "5"] if args[0] in ("render", "export") else []
        extra = tiny if args[0] == "preview" else extra
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
