"""Pictures of a clip: the poster (a JPEG of the converged nudge) and a looping GIF.

The GIF is for places that take no <video> (Markdown, READMEs, chat): at most 480 px wide
and about 3 MB. It starts at 10 fps and full length; while it is too big, it steps down the
frame rate, then the width, then the length, and reports every cut it made.

Frames are sampled once (decoded, scaled, stills merged, zlib-packed), so trying a smaller
setting costs an encode, not a decode, and a long lesson needs little memory.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import cast

import av
import numpy as np
from PIL import Image, ImageStat

from lessonkit.base.errors import LessonError
from lessonkit.web.files import atomic_path
from lessonkit.web.media import frame_at

__all__ = ["MAX_WIDTH", "MAX_BYTES", "AnimationInfo", "is_blank", "write_poster", "write_gif"]

MAX_WIDTH = 480
MAX_BYTES = 3_000_000
MAX_FPS = 10
#: (fps, width) settings tried in order until the GIF fits; then the length is cut
LADDER = ((10, 480), (8, 480), (6, 480), (6, 400), (5, 360), (5, 320), (4, 240))
_SAME = 6  # a frame whose pixels all lie within this of the previous one is a hold


@dataclass
class AnimationInfo:
    """What the GIF holds and what was cut from the video to make it fit."""

    path: Path
    width: int
    height: int
    fps: float
    duration: float
    frames: int
    loop: bool = True
    cuts: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {
            "file": self.path.name,
            "format": "gif",
            "width": self.width,
            "height": self.height,
            "fps": self.fps,
            "duration": round(self.duration, 3),
            "frames": self.frames,
            "loop": self.loop,
            "cuts": self.cuts,
        }


def is_blank(image: Image.Image) -> bool:
    """True for a picture with (almost) nothing on it: one flat colour."""
    gray = image.convert("L")
    lo, hi = cast(tuple[int, int], gray.getextrema())
    return bool(hi - lo < 24 or ImageStat.Stat(gray).stddev[0] < 2.0)


def write_poster(target: Path, still: Path | None, video: Path, at: float) -> str:
    """Save the poster JPEG from `still`, or from the video frame at `at` seconds when the
    still is missing or blank; returns where it came from ('still' or 'video')."""
    image: Image.Image | None = None
    source = "still"
    if still is not None and still.exists():
        with Image.open(still) as im:
            image = im.convert("RGB")
    if image is None or is_blank(image):
        image, source = frame_at(video, at).convert("RGB"), "video"
    if is_blank(image):
        raise LessonError(f"the poster frame at {at:.2f} s of {video.name} is blank")
    with atomic_path(target) as tmp:
        image.save(tmp, "JPEG", quality=88, optimize=True, progressive=True)
    return source


@dataclass
class _Frame:
    start: float
    data: bytes  # zlib-packed RGB24 at the sampled size


def _sample(video: Path, fps: float, width: int) -> tuple[list[_Frame], int, int, float]:
    """Frames at `fps` and `width` (holds merged), their height, and the video's length."""
    with av.open(str(video)) as src:
        stream = src.streams.video[0]
        stream.thread_type = "AUTO"
        w, h = stream.codec_context.width, stream.codec_context.height
        height = max(2, round(h * width / w / 2) * 2)
        frames: list[_Frame] = []
        previous: np.ndarray | None = None
        tick, step, end = 0.0, 1.0 / fps, 0.0
        rate = stream.average_rate or Fraction(30)
        for frame in src.decode(stream):
            t = float(frame.time or 0.0)
            end = t + float(1 / rate)
            if t + 1e-6 < tick:
                continue
            while tick <= t + 1e-6:
                tick += step
            rgb = frame.reformat(
                width=width, height=height, format="rgb24", interpolation="AREA"
            ).to_ndarray()
            if previous is not None and int(np.abs(rgb.astype(np.int16) - previous).max()) <= _SAME:
                continue
            previous = rgb.astype(np.int16)
            frames.append(_Frame(t, zlib.compress(rgb.tobytes(), 1)))
    if not frames:
        raise LessonError(f"{video} holds no frames")
    return frames, width, height, end


def _unpack(frame: _Frame, width: int, height: int) -> Image.Image:
    arr = np.frombuffer(zlib.decompress(frame.data), np.uint8).reshape(height, width, 3)
    return Image.fromarray(arr)


def _plan(frames: list[_Frame], end: float, fps: float, seconds: float) -> list[tuple[int, float]]:
    """(index into frames, start time) on a grid of `fps` up to `seconds`, holds merged."""
    out: list[tuple[int, float]] = []
    k, j = 0, 0
    while True:
        t = k / fps
        if t >= min(seconds, end) - 1e-6:
            break
        while j + 1 < len(frames) and frames[j + 1].start <= t + 1e-6:
            j += 1
        if not out or out[-1][0] != j:
            out.append((j, t))
        k += 1
    return out


def _palette(frames: list[_Frame], size: tuple[int, int]) -> tuple[Image.Image, np.ndarray]:
    """One palette for the whole GIF, from 16 frames spread over it: (PIL palette image,
    the same colours as 256 ARGB rows for PyAV)."""
    picks = sorted({int(n * (len(frames) - 1) / 15) for n in range(16)})
    strip = np.concatenate([np.asarray(_unpack(frames[i], *size)) for i in picks], axis=0)
    palette = Image.fromarray(strip).quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    rgb = np.zeros((256, 3), np.uint8)
    colours = np.array(palette.getpalette() or [], np.uint8).reshape(-1, 3)[:256]
    rgb[: len(colours)] = colours
    return palette, np.concatenate([np.full((256, 1), 255, np.uint8), rgb], axis=1)


def _encode(
    path: Path,
    frames: list[_Frame],
    size: tuple[int, int],
    out_size: tuple[int, int],
    plan: list[tuple[int, float]],
    stop: float,
    palette: tuple[Image.Image, np.ndarray],
) -> int:
    """Write a looping GIF with one shared palette to path; returns its size in bytes."""
    w, h = out_size
    pal_image, argb = palette
    last = round((stop - plan[-1][1]) * 100)
    with av.open(
        str(path), "w", format="gif", options={"loop": "0", "final_delay": str(max(2, last))}
    ) as out:
        stream = out.add_stream("gif", rate=100)
        stream.width, stream.height, stream.pix_fmt = w, h, "pal8"
        for i, start in plan:
            image = _unpack(frames[i], *size)
            if image.size != (w, h):
                image = image.resize((w, h), Image.Resampling.LANCZOS)
            index = np.asarray(image.quantize(palette=pal_image, dither=Image.Dither.NONE))
            # PyAV takes (indices, ARGB palette) for pal8; its type stubs do not say so
            frame = av.VideoFrame.from_ndarray((index, argb), format="pal8")  # type: ignore[arg-type]
            frame.pts, frame.time_base = round(start * 100), Fraction(1, 100)
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))
    return path.stat().st_size


def write_gif(
    target: Path, video: Path, max_bytes: int = MAX_BYTES, max_width: int = MAX_WIDTH
) -> AnimationInfo:
    """A looping GIF of the video within max_width and max_bytes, cutting what it must."""
    with av.open(str(video)) as src:
        ctx = src.streams.video[0].codec_context
        src_w = ctx.width
        src_fps = float(src.streams.video[0].average_rate or 30)
    first_w = min(max_width, src_w) // 2 * 2
    first_fps = min(float(MAX_FPS), src_fps)
    frames, sw, sh, end = _sample(video, first_fps, first_w)
    rungs: list[tuple[float, int]] = []
    for ladder_fps, ladder_width in LADDER:
        rung = (min(float(ladder_fps), first_fps), min(ladder_width, first_w))
        if rung not in rungs:
            rungs.append(rung)
    seconds, size = end, 0
    palette = _palette(frames, (sw, sh))
    with atomic_path(target) as tmp:  # only a GIF that fits replaces the target
        for n in range(len(rungs) + 8):
            fps, width = rungs[min(n, len(rungs) - 1)]
            if n >= len(rungs):  # the smallest setting is still too big: cut the length
                seconds = max(1 / fps, seconds * max_bytes / size * 0.9)  # one frame at least
            height = max(2, round(sh * width / sw / 2) * 2)
            plan = _plan(frames, end, fps, seconds)
            stop = min(seconds, end)
            size = _encode(tmp, frames, (sw, sh), (width, height), plan, stop, palette)
            if size <= max_bytes:
                cuts = _cuts((src_w, width), (src_fps, fps), (end, stop))
                info = AnimationInfo(target, width, height, fps, stop, len(plan), True, cuts)
                break
        else:
            raise LessonError(f"could not fit the GIF of {video.name} into {max_bytes} bytes")
    return info


def _cuts(
    width: tuple[int, int], fps: tuple[float, float], seconds: tuple[float, float]
) -> list[str]:
    """What the GIF left out of the video, in words for the manifest."""
    cuts = []
    if width[1] < width[0]:
        cuts.append(f"width {width[0]} -> {width[1]} px")
    if fps[1] < fps[0] - 1e-6:
        cuts.append(f"frame rate {fps[0]:g} -> {fps[1]:g} fps")
    if seconds[1] < seconds[0] - 1e-3:
        cuts.append(f"length {seconds[0]:.2f} -> {seconds[1]:.2f} s (the end is left out)")
    return cuts
