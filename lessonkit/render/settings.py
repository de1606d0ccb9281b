"""Manim's settings for a render: lessonkit's file names, size, rate, format and encoders."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lessonkit.render.outputs import stills_dir

__all__ = ["manim_config"]


def manim_config(
    job: Any,
    staging: Path,
    partial: Path,
    movie: bool,
    progress: bool,
    encoders: int = 1,
) -> dict[str, Any]:
    """Manim's settings for a render of `job` written into `staging` (its per-play
    segments in `partial`): lessonkit's file names, size, rate, format and encoder, with
    up to `encoders` x264 encoders at once (one above 1080p)."""
    width, height = job.width_height
    return {
        "media_dir": str(job.media_dir),
        "video_dir": str(staging),
        "images_dir": str(stills_dir(job)),
        "partial_movie_dir": str(partial),
        "output_file": job.slug,
        "pixel_width": width,
        "pixel_height": height,
        "frame_rate": job.frame_rate,
        "format": job.fmt if job.fmt in ("mp4", "webm", "gif") else "mp4",
        "write_to_movie": movie,
        "save_sections": movie,
        "save_last_frame": False,
        "disable_caching": True,
        "flush_cache": False,
        # failures reach the user as one line from lessonkit, not as Manim's log
        "verbosity": "CRITICAL",
        # Manim's bars on a terminal; in logs and CI they would print thousands of lines
        "progress_bar": "display" if progress else "none",
        "max_files_cached": -1,
        # memory (measured on a 1080p60 clip, peak RSS): each x264 encoder in flight holds
        # its lookahead, so two cost 1163 MB and one 729 MB; a lookahead of 10 frames
        # instead of 40 brings them to 768 and 531 MB (the whole lesson with one: 574 MB,
        # was 1.63 GB with two) for a slightly smaller file at the same CRF. A second
        # encoder in flight (encode one play while the next is drawn) is for a render in one
        # process; parallel step processes keep the cores busy instead.
        "max_inflight_encoders": encoders if width * height <= 1920 * 1080 else 1,
        # frames waiting for the encoder: 8 MB each at 1080p, 33 MB at 4K
        "encoder_queue_size": 8 if width * height <= 1920 * 1080 else 3,
        **({"video_encoder_options": {"rc-lookahead": "10"}} if job.fmt != "webm" else {}),
    }
