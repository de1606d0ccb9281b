"""Putting a finished render in place whole: staged files, replaced folders, named stills."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from lessonkit.base.fsutil import staging_name
from lessonkit.render.outputs import stills_dir

__all__ = ["save_png", "step_numbers", "publish", "replace_folder", "publish_stills"]


def save_png(path: Path, rgba: object) -> None:
    from PIL import Image

    Image.fromarray(rgba).convert("RGB").save(path)  # type: ignore[arg-type]


def step_numbers(job: Any) -> dict[str, int]:
    """Each step's place in the whole video, which names its still: '14-square-slope-a2'."""
    from lessonkit.lesson.storyboard import steps_for

    return {s.name: i for i, s in enumerate(steps_for(job.target))}


def publish(staging: Path, out_dir: Path) -> None:
    """Move a finished render from staging into out_dir, file by file with os.replace."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for item in staging.iterdir():
        target = out_dir / item.name
        if item.is_dir():
            replace_folder(item, target)
        else:
            os.replace(item, target)


def replace_folder(new: Path, target: Path) -> None:
    """Put folder `new` where `target` is: the old one is moved aside under this process's
    name (a killed run's is cleaned by the next), then removed."""
    old = target.parent / staging_name(f".old-{target.name}-")
    if target.exists():
        os.replace(target, old)
    os.replace(new, target)
    shutil.rmtree(old, ignore_errors=True)


def publish_stills(job: Any, stills: dict[str, Path]) -> list[Path]:
    """The steps' cached last frames as the job's stills folder ('07-square-slope-a2.png'),
    replaced whole."""
    numbers = step_numbers(job)
    sdir = stills_dir(job)
    stage = sdir.parent / staging_name(f".staging-{sdir.name}-")
    stage.mkdir(parents=True)
    paths = []
    try:
        for name, png in stills.items():
            file = f"{numbers[name]:02d}-{name}.png"
            shutil.copyfile(png, stage / file)
            paths.append(sdir / file)
        replace_folder(stage, sdir)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return paths
