"""The sound track: each step's narration placed at its section's first frame, then muxed
into the rendered video and into every per-section clip.

Manim's own `add_sound` mixes through pydub and its per-section clips come out silent;
lessonkit places the clips itself from the sections' real frame counts (so a voice starts
on the frame its step starts) and writes the audio with PyAV: AAC in MP4, Opus in WebM.
The video stream is copied, never re-encoded.
"""

from __future__ import annotations

import json
import math
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from lessonkit.base.errors import LessonError
from lessonkit.base.fsutil import atomic_path
from lessonkit.maths.loudness import TARGET_LUFS, integrated_loudness, normalise
from lessonkit.render.voices import RATE, Clip

__all__ = [
    "Track",
    "build_track",
    "mux_audio",
    "add_narration",
    "encode_samples",
    "sound_room",
    "CODECS",
]

#: audio codec and bit rate by container
CODECS = {".mp4": ("aac", 160_000), ".webm": ("libopus", 96_000), ".mov": ("aac", 160_000)}


class Track:
    """The lesson's narration as one mono signal at RATE, with where each step starts."""

    def __init__(self, samples: np.ndarray, starts: dict[str, int], frames: int, fps: Fraction):
        self.samples = samples
        self.starts = starts  # step name -> first sample
        self.frames = frames
        self.fps = fps

    @property
    def loudness(self) -> float:
        return integrated_loudness(self.samples, RATE)

    def slice(self, first_frame: int, frames: int) -> np.ndarray:
        """The samples under frames [first_frame, first_frame + frames)."""
        a = round(first_frame / self.fps * RATE)
        b = round((first_frame + frames) / self.fps * RATE)
        return self.samples[a:b]


def build_track(sections: list[dict[str, Any]], fps: Fraction, clips: dict[str, Clip]) -> Track:
    """Each clip placed at the first frame of its step's section, as long as the video."""
    starts: dict[str, int] = {}
    frame = 0
    spans: list[tuple[str, int, int]] = []
    for section in sections:
        n = int(section.get("nb_frames") or 0)
        spans.append((str(section.get("name", "")), frame, n))
        frame += n
    total = round(frame / fps * RATE)
    samples = np.zeros(total, dtype=np.float32)
    for name, first, n in spans:
        clip = clips.get(name)
        if clip is None or n == 0:
            continue
        a = round(first / fps * RATE)
        room = round((first + n) / fps * RATE) - a
        if len(clip.samples) > room:
            raise LessonError(
                f"the narration of {name!r} ({clip.seconds:.2f} s) is longer than its "
                f"section ({n / float(fps):.2f} s): render again with --force"
            )
        samples[a : a + len(clip.samples)] += clip.samples
        starts[name] = a
    # every step was brought to one level; the pauses between them make the whole quieter
    # than each, so one gain for the whole track brings the programme to the target too
    return Track(normalise(samples, RATE, TARGET_LUFS), starts, frame, fps)


def mux_audio(video: Path, samples: np.ndarray, target: Path) -> None:
    """`video`'s video stream copied into `target` with `samples` as its sound (AAC for
    MP4, Opus for WebM), padded with silence or cut to just under the video's length."""
    import av

    codec, bit_rate = CODECS.get(target.suffix.lower(), ("aac", 160_000))
    with av.open(str(video)) as src, atomic_path(target) as tmp:
        vin = src.streams.video[0]
        want = sound_room(_video_seconds(vin))
        x = np.zeros(want, dtype=np.float32)
        x[: min(want, len(samples))] = samples[:want]
        fmt = "mp4" if target.suffix.lower() in (".mp4", ".mov") else "webm"
        options = {"movflags": "+faststart"} if fmt == "mp4" else {}
        with av.open(str(tmp), "w", format=fmt, options=options) as out:
            vout = out.add_stream_from_template(vin)
            aout: Any = out.add_stream(codec, rate=RATE, layout="mono")
            aout.bit_rate = bit_rate
            encode_samples(aout, out, x)  # first: the muxer holds audio, not video, in memory
            for packet in src.demux(vin):
                if packet.dts is None:
                    continue
                packet.stream = vout
                out.mux(packet)


def sound_room(video_seconds: float) -> int:
    """How many samples of sound a video of `video_seconds` carries: two codec frames short
    of the picture, since AAC and Opus pad their last frame and the sound must never outlast
    the picture (the end of a step is a silent pause anyway)."""
    return max(0, round(video_seconds * RATE) - 2 * 1024)


def _video_seconds(stream: Any) -> float:
    """How long a video stream lasts: frames over rate (MP4 says how many; a WebM's
    frames are counted)."""
    rate = stream.average_rate or stream.guessed_rate
    if not rate:
        raise LessonError("cannot tell the rendered video's frame rate")
    frames = stream.frames
    if not frames:
        container = stream.container
        frames = sum(1 for p in container.demux(stream) if p.dts is not None)
        container.seek(0)
    return float(frames / rate)


def encode_samples(stream: Any, out: Any, x: np.ndarray) -> None:
    """Encode mono float samples through `stream` in the codec's frame size."""
    import av

    size = stream.codec_context.frame_size or 1024
    pts = 0
    for start in range(0, len(x), size):
        chunk = x[start : start + size]
        frame = av.AudioFrame.from_ndarray(chunk.reshape(1, -1), format="flt", layout="mono")
        frame.sample_rate = RATE
        frame.pts = pts
        frame.time_base = Fraction(1, RATE)
        pts += len(chunk)
        for packet in stream.encode(frame):
            out.mux(packet)
    for packet in stream.encode(None):
        out.mux(packet)


def add_narration(
    video: Path, sections_json: Path, clips: dict[str, Clip], fps: Fraction
) -> dict[str, Any]:
    """Put the narration into a finished render (its video and its per-section clips, in
    place, each atomically); the facts the manifest reports."""
    sections = json.loads(sections_json.read_text(encoding="utf-8"))
    track = build_track(sections, fps, clips)
    mux_audio(video, track.samples, video)
    folder = sections_json.parent
    first = 0
    for section in sections:
        n = int(section.get("nb_frames") or 0)
        clip_file = folder / str(section.get("video", ""))
        if n and clip_file.is_file() and clip_file.suffix:
            mux_audio(clip_file, track.slice(first, n), clip_file)
        first += n
    level = track.loudness
    codec = CODECS.get(video.suffix.lower(), ("aac", 0))[0]
    return {
        "codec": "opus" if codec == "libopus" else codec,
        "rate": RATE,
        "channels": 1,
        "loudness_lufs": round(level, 2) if math.isfinite(level) else None,
        "steps": {name: round(start / RATE, 4) for name, start in track.starts.items()},
    }
