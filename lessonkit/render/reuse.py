"""An earlier render of a job: its files, the key file that vouches for them, leftovers."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from lessonkit.base.fsutil import OWNER, owner_gone, remove_stale, sha256_file, write_text
from lessonkit.render.outputs import RenderResult, stills_dir

__all__ = ["stamp_path", "stamp_problem", "write_stamp", "clean_stale", "existing_result"]


def stamp_path(job: Any, out_dir: Path) -> Path:
    """The key file: which job made the files beside it, and the video's size and hash."""
    return out_dir / f".{job.slug}.{job.fmt}.key"


def stamp_problem(stamp: Path, job: Any, result: RenderResult) -> str | None:
    """Why a cached render may not be reused, or None when it may."""
    try:
        recorded = json.loads(stamp.read_text())
    except (OSError, ValueError):
        return "no key"
    if not isinstance(recorded, dict) or recorded.get("key") != job.key():
        return "no key"
    video = result.video
    assert video is not None
    size = video.stat().st_size
    if size != recorded.get("bytes"):
        return f"is damaged ({size} bytes, {recorded.get('bytes')} when made)"
    if sha256_file(video) != recorded.get("sha256"):
        return "is damaged (its content changed since it was made)"
    if result.sections is None or result.captions is None:
        return "lacks its sections or captions"
    return None


def write_stamp(stamp: Path, job: Any, video: Path) -> None:
    record = {"key": job.key(), "bytes": video.stat().st_size, "sha256": sha256_file(video)}
    write_text(stamp, json.dumps(record))


def clean_stale(job: Any, out_dir: Path) -> None:
    """Remove what killed renders of this output left: staging, partial movies, old stills."""
    sdir = stills_dir(job)
    for parent, prefix in (
        (out_dir.parent, f".staging-{out_dir.name}-"),
        (out_dir.parent, f".partial-{out_dir.name}-"),
        (sdir.parent, f".staging-{sdir.name}-"),
        (sdir.parent, f".old-{sdir.name}-"),
        (out_dir, ".old-"),
    ):
        remove_stale(parent, prefix)
    from lessonkit.render.step_cache import cache_dir

    for folder in (out_dir, cache_dir(job)):
        for tmp in folder.glob(".*.tmp*") if folder.is_dir() else ():
            owner = re.search(rf"\.{OWNER}\.tmp", tmp.name)  # atomic_path's temporary files
            if owner and owner_gone(owner.group(1), owner.group(2)):
                tmp.unlink(missing_ok=True)


def existing_result(job: Any, out_dir: Path) -> RenderResult | None:
    video = out_dir / f"{job.slug}.{job.fmt}"
    if not video.exists():
        return None
    srt = out_dir / f"{job.slug}.srt"
    sections = out_dir / "sections" / f"{job.slug}.json"
    stills = sorted(stills_dir(job).glob("*.png"))
    return RenderResult(
        job, video, srt if srt.exists() else None, sections if sections.exists() else None, stills
    )
