"""Joining step videos into one video without re-encoding, and the files timed by them.

Each step's section is an H.264 (MP4) or VP9 (WebM) file of its own that opens on a key
frame and shares the codec settings of the others, so the whole video is their packets one
after another: FFmpeg's concat demuxer, read through PyAV, with every packet copied (Manim
joins its own per-play files the same way). The sections file and the captions are
written from the steps' real frame counts, so chapters, captions and narration line up
with frames.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Sequence
from datetime import timedelta
from fractions import Fraction
from io import BytesIO
from pathlib import Path
from typing import Any

from lessonkit.base.errors import LessonError
from lessonkit.base.fsutil import atomic_path, write_text

__all__ = ["StepVideo", "join_videos", "sections_json", "captions_srt", "section_file_name"]


class StepVideo:
    """A finished step section: its video file and the facts Manim recorded about it."""

    def __init__(self, name: str, video: Path, facts: dict[str, Any]) -> None:
        self.name = name
        self.video = video
        self.facts = facts

    @property
    def frames(self) -> int:
        return int(self.facts["nb_frames"])

    @property
    def still(self) -> Path | None:
        """The step's last frame as PNG, saved beside its video when it was drawn."""
        png = self.video.with_suffix(".png")
        return png if png.is_file() else None


def join_videos(parts: Sequence[Path], out: Path) -> int:
    """Write the videos `parts`, in order, into `out` by copying their packets (no
    re-encoding); returns the number of frames written. `out` is replaced atomically."""
    import av

    if not parts:
        raise LessonError("nothing to join: no step videos")
    manifest = "".join(f"file 'file:{Path(p).resolve().as_posix()}'\n" for p in parts)
    frames = 0
    with atomic_path(out) as tmp:
        source = av.open(
            BytesIO(manifest.encode()), format="concat", options={"safe": "0", "an": "1"}
        )
        try:
            stream_in = source.streams.video[0]
            with av.open(str(tmp), mode="w") as sink:
                stream_out = sink.add_stream_from_template(template=stream_in)
                for packet in source.demux(stream_in):
                    if packet.dts is None:  # the demuxer's flushing packet
                        continue
                    packet.dts = None  # let libav order them across files
                    packet.stream = stream_out
                    sink.mux(packet)
                    frames += 1
        finally:
            source.close()
    return frames


def section_file_name(slug: str, index: int, name: str, suffix: str) -> str:
    """Manim's name for a section's file: 'lesson_0003_square-shrink-a2-d0-1.mp4'."""
    return f"{slug}_{index:04d}_{name.replace('.', '-')}{suffix}"


def sections_json(steps: Sequence[StepVideo], slug: str, folder: Path) -> Path:
    """Link (or copy) each step's video into `folder` under Manim's section names and write
    `<slug>.json` beside them in Manim's format: the sections of the joined video."""
    folder.mkdir(parents=True, exist_ok=True)
    entries = []
    for i, step in enumerate(steps):
        file = section_file_name(slug, i, step.name, step.video.suffix)
        target = folder / file
        target.unlink(missing_ok=True)
        try:
            os.link(step.video, target)  # narration is muxed into a new file, never in place
        except OSError:
            shutil.copyfile(step.video, target)
        entries.append({**step.facts, "name": step.name, "video": file})
    return write_text(folder / f"{slug}.json", json.dumps(entries, indent=4))


def captions_srt(captions: Sequence[tuple[str, int]], fps: Fraction, out: Path) -> Path:
    """A SubRip file with one cue per step, each spanning its step's frames exactly."""
    import srt  # type: ignore[import-untyped]

    cues = []
    first = 0
    for i, (text, frames) in enumerate(captions):
        start, first = first, first + frames
        if not text.strip():
            continue
        cues.append(
            srt.Subtitle(
                index=i + 1,
                start=timedelta(seconds=float(start / fps)),
                end=timedelta(seconds=float(first / fps)),
                content=text,
            )
        )
    return write_text(out, srt.compose(cues, reindex=True))
