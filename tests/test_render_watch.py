"""Watch mode on real stills: a save redraws only the steps whose picture changed.

The storyboard is driven by a real file change seen by watchdog, in a real
`lessonkit preview FILE --watch` process, and every still is decoded and compared.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from pathlib import Path

import numpy as np
import pytest
from conftest import lessonkit_executable
from PIL import Image

from lessonkit.lesson.lessonfile import parse_lesson
from lessonkit.lesson.storyboard import lesson_steps
from lessonkit.render.watch import still_keys

ROOT = Path(__file__).resolve().parents[1]

LESSON = """\
title = "Watch me"
[[part]]
function = "a^2"
points = [2]
nudges = [1, 0.1]

[[part]]
card = "text"
heading = "First heading"
lines = ["one line", "another line"]
"""


def _pixels(path: Path) -> np.ndarray:
    return np.asarray(Image.open(path).convert("RGB"), dtype=np.int16)


def test_keys_change_only_for_the_steps_whose_picture_changes() -> None:
    before = parse_lesson(LESSON)
    after = parse_lesson(LESSON.replace("First heading", "Second heading"))
    worded = parse_lesson(LESSON.replace("[[part]]\ncard", '[[part]]\ncaption = "Hi."\ncard'))
    k0 = still_keys(before, lesson_steps(before), "salt")
    k1 = still_keys(after, lesson_steps(after), "salt")
    k2 = still_keys(worded, lesson_steps(worded), "salt")
    assert [n for n in k0 if k0[n] != k1[n]] == ["text"]
    assert k0 == k2  # a caption is not drawn: nothing to redraw
    assert still_keys(before, lesson_steps(before), "other code") != k0


def _read_until(proc: subprocess.Popen[str], pattern: str, timeout: float) -> str:
    """Lines from the process until one matches `pattern` (or fail after `timeout`)."""
    assert proc.stdout is not None
    deadline = time.monotonic() + timeout
    seen = []
    os.set_blocking(proc.stdout.fileno(), False)
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            if proc.poll() is not None:
                break
            time.sleep(0.05)
            continue
        seen.append(line)
        if re.search(pattern, line):
            return line
    raise AssertionError(f"no line matching {pattern!r}; got {''.join(seen)!r}")


@pytest.mark.slow
def test_watch_redraws_one_step_after_a_real_save(tmp_path: Path) -> None:
    lesson = tmp_path / "watch-me.toml"
    lesson.write_text(LESSON)
    media = tmp_path / "media"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [
            lessonkit_executable(),
            "preview",
            str(lesson),
            "--watch",
            "--size",
            "192x108",
            "--output-dir",
            str(media),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        first = _read_until(proc, r"redrew \d+ of \d+ steps", 120)
        total = int(re.search(r"of (\d+) steps", first).group(1))  # type: ignore[union-attr]
        assert f"redrew {total} of {total}" in first
        board = media / "watch" / "watch-me"
        page = (board / "storyboard.html").read_text()
        stills = re.findall(r'src="stills/(\w+)\.png" alt="text"', page)
        old = _pixels(board / "stills" / f"{stills[0]}.png")

        lesson.write_text(LESSON.replace("First heading", "A much longer second heading"))
        line = _read_until(proc, r"redrew|Error", 60)
        assert f"redrew 1 of {total} steps" in line
        page = (board / "storyboard.html").read_text()
        new_still = re.findall(r'src="stills/(\w+)\.png" alt="text"', page)[0]
        assert new_still != stills[0]
        assert np.abs(_pixels(board / "stills" / f"{new_still}.png") - old).max() > 50

        # a bad edit is reported in one line and the watch goes on
        lesson.write_text(LESSON.replace("points = [2]", "points = [2]\npionts = [3]"))
        line = _read_until(proc, r"Error", 60)
        assert (
            "watch-me.toml:5: part 1, pionts: unknown key 'pionts'; did you mean 'points'?" in line
        )
        assert "still watching" in line
        lesson.write_text(LESSON)  # back to the first version: every still is cached
        line = _read_until(proc, r"redrew|no picture changed", 60)
        assert "no picture changed" in line
    finally:
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0
    assert "Traceback" not in out
