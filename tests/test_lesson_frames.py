"""The shipped lesson draws what its reviewed references show: its stills, every frame of
its video, and any step drawn on its own.

The references in tests/data (42 section stills and the 5 fps video, 192x108) are made by
`scripts/frame_references.py`, rerun only after a deliberate change to the picture whose
storyboards were looked at in every language. They were last made for issue 11 (readouts
that agree on every frame, five digits, axis labels, the sidebar panel, round zoom badges,
the colour-blind-safe palette); before that they came from commit c2adffd, the last one
with the lesson in Python, which the lesson file matched pixel for pixel.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from conftest import Rendered, decode, mean_abs_diff
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
STILLS = ROOT / "tests" / "data" / "shipped-stills-192x108"
VIDEO = ROOT / "tests" / "data" / "shipped-lesson-192x108-5fps.mp4"


def _pixels(path: Path) -> np.ndarray:
    return np.asarray(Image.open(path).convert("RGB"), dtype=np.int16)


def _stills(media: Path, only: tuple[str, ...] | None = None) -> Any:
    """The shipped lesson's section stills at the references' size (all, or `only` some)."""
    from lessonkit.lesson.lessonfile import default_lesson
    from lessonkit.lesson.spec import QUALITIES
    from lessonkit.render import RenderJob, render

    job = RenderJob(
        default_lesson(),
        QUALITIES["preview"],
        media_dir=media,
        stills_only=True,
        size=(192, 108),
        only=only,
    )
    return render(job)


@pytest.mark.slow
def test_the_shipped_lesson_draws_the_same_stills_as_before(tmp_path: Path) -> None:
    result = _stills(tmp_path)
    names = sorted(p.name for p in STILLS.glob("*.png"))
    assert sorted(p.name for p in result.stills) == names and len(names) == 42
    for path in result.stills:
        assert np.abs(_pixels(path) - _pixels(STILLS / path.name)).mean() < 0.5, path.name


@pytest.mark.slow
def test_the_shipped_lesson_video_matches_the_old_one_frame_by_frame(
    lesson_render: Rendered,
) -> None:
    """Same length, same frames. x264's output varies a little from run to run (84 to 103
    frames differed at all in five renders, most by under 0.05 of 255), so a frame counts
    as changed above 0.1 of 255, and a few may be. (794 frames since holds count whole
    frames: the reference of 783 lost 11 hold frames to float noise in the scene's clock;
    every one of its frames matched the new video's in order, under 1 of 255.)"""
    old, new = decode(VIDEO), lesson_render.video
    assert len(new.frames) == len(old.frames) == 794
    diffs = [mean_abs_diff(a, b) for a, b in zip(old.frames, new.frames, strict=True)]
    assert max(diffs) < 1.0
    assert sum(d > 0.1 for d in diffs) <= 60


@pytest.mark.slow
def test_any_step_drawn_on_its_own_matches_the_whole_lesson(tmp_path: Path) -> None:
    """A step's picture follows from the lesson file alone, not from earlier parts."""
    wanted = (
        "title",
        "recap-slope-a4",
        "square-leftover-a5",
        "cube-graph",
        "log-rule",
        "rules",
        "takeaways",
    )
    result = _stills(tmp_path, only=wanted)
    assert sorted(p.stem.split("-", 1)[1] for p in result.stills) == sorted(wanted)
    for path in result.stills:
        assert np.abs(_pixels(path) - _pixels(STILLS / path.name)).mean() < 0.5, path.name
