"""Render the shipped lesson's reference frames for tests/test_lesson_frames.py.

Run after a deliberate change to what the lesson draws, once its storyboards have been
looked at (`lessonkit preview --lesson --frame`, in every language):

    .venv/bin/python scripts/frame_references.py

It writes tests/data/shipped-stills-192x108/ (one still per step) and
tests/data/shipped-lesson-192x108-5fps.mp4 exactly as the test renders them.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lessonkit.lesson.lessonfile import default_lesson  # noqa: E402
from lessonkit.lesson.spec import QUALITIES  # noqa: E402
from lessonkit.render import RenderJob, render  # noqa: E402

DATA = ROOT / "tests" / "data"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        media = Path(tmp)
        stills = render(
            RenderJob(
                default_lesson(),
                QUALITIES["preview"],
                media_dir=media / "stills",
                stills_only=True,
                size=(192, 108),
            )
        )
        video = render(
            RenderJob(default_lesson(), size=(192, 108), fps=5, media_dir=media / "video")
        )
        target = DATA / "shipped-stills-192x108"
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        for png in stills.stills:
            shutil.copy(png, target / png.name)
        assert video.video is not None
        shutil.copy(video.video, DATA / "shipped-lesson-192x108-5fps.mp4")
        print(f"{len(stills.stills)} stills and {video.video.name} written to {DATA}")


if __name__ == "__main__":
    main()
