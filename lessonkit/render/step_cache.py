"""The step cache: each drawn step's section under a key, found again whole, pruned when unused."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from lessonkit.lesson.storyboard import Step
from lessonkit.render.join import StepVideo

__all__ = ["cache_dir", "cached_step", "missing_steps", "KEEP_UNUSED_SECONDS", "prune"]


def cache_dir(job: Any) -> Path:
    """media/cache/steps/<slug>/<height>p<fps>/: one video and one facts file per step key."""
    return Path(job.media_dir) / "cache" / "steps" / job.slug / job.folder


def cached_step(job: Any, name: str, key: str) -> StepVideo | None:
    """The finished section of a step, if the cache holds a whole one: its facts file is
    written last and records the video's size, so a cut-short video is not taken."""
    folder = cache_dir(job)
    video = folder / f"{key}.{job.fmt}"
    try:
        facts = json.loads((folder / f"{key}.json").read_text(encoding="utf-8"))
        if video.stat().st_size != facts["bytes"] or int(facts["nb_frames"]) < 1:
            return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return StepVideo(name, video, facts)


def missing_steps(job: Any, steps: Sequence[Step], keys: dict[str, str]) -> list[str]:
    """The steps to render: every one when the cache is not used, else those it lacks."""
    if not job.use_cache:
        return [s.name for s in steps]
    return [s.name for s in steps if cached_step(job, s.name, keys[s.name]) is None]


#: a cached step no render has used for this long is removed when its video is joined again
KEEP_UNUSED_SECONDS = 24 * 3600


def prune(job: Any, used: set[str]) -> list[Path]:
    """Mark the steps `used` by the video just joined, and remove this video's cached steps
    that no render has used for a day (a lesson edited all day keeps its recent versions)."""
    import time

    folder = cache_dir(job)
    now = time.time()
    removed = []
    for facts in folder.glob("*.json") if folder.is_dir() else ():
        key = facts.stem
        video = folder / f"{key}.{job.fmt}"
        try:
            if key in used:
                os.utime(facts)
            elif video.exists() and now - facts.stat().st_mtime > KEEP_UNUSED_SECONDS:
                facts.unlink()  # first: without its facts the video is never taken
                video.unlink(missing_ok=True)
                video.with_suffix(".png").unlink(missing_ok=True)
                removed.append(video)
        except OSError:
            continue  # another process pruned or replaced it: nothing to do
    return removed
