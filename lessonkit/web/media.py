"""Video files for the web: probing, an MP4 remuxed for fast start, a VP9 WebM, single frames.

Everything here uses PyAV (its wheel carries libx264 and libvpx-vp9), so no system ffmpeg is
needed. Outputs are written through `atomic_path`.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Collection
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, cast

import av
import numpy as np
from av.video.frame import PictureType
from PIL import Image

from lessonkit.base.errors import LessonError
from lessonkit.web.files import atomic_path

__all__ = [
    "VideoInfo",
    "probe",
    "mp4_atoms",
    "is_faststart",
    "web_mp4",
    "vp9_webm",
    "frame_at",
    "read_audio",
    "audio_facts",
    "VP9_OPTIONS",
]

#: libvpx-vp9 settings: constant quality (crf 38), libvpx's fastest preset ("realtime",
#: cpu-used 8) and row multithreading. On a 52 s 720p30 clip this took ~10 s for 2.3 MB, where
#: "good"/cpu-used 5 took ~70 s for 2.25 MB; Manim's flat colours look clean at either.
VP9_OPTIONS = {
    "crf": "38",
    "b": "0",
    "deadline": "realtime",
    "cpu-used": "8",
    "row-mt": "1",
    "tile-columns": "2",
}


@dataclass(frozen=True)
class VideoInfo:
    """What a video file holds, read from its first video stream."""

    path: Path
    codec: str  # "h264", "vp9", ...
    pix_fmt: str
    width: int
    height: int
    fps: Fraction
    frames: int  # counted from packets, not taken from a header
    duration: float  # seconds: last frame's end minus first frame's start
    codec_string: str  # for <source type="...; codecs=...">, e.g. "avc1.64000d"

    @property
    def frame_seconds(self) -> float:
        return float(1 / self.fps) if self.fps else 0.0


def probe(path: Path) -> VideoInfo:
    """Codec, pixel format, size, frame rate, frame count and duration of a video file."""
    try:
        container = av.open(str(path))
    except (av.error.FFmpegError, OSError) as exc:
        raise LessonError(f"cannot read video {path}: {exc}") from None
    with container:
        if not container.streams.video:
            raise LessonError(f"{path} holds no video stream")
        stream = container.streams.video[0]
        ctx = stream.codec_context
        rate = stream.average_rate or stream.guessed_rate or Fraction(0)
        frames, first, end = 0, None, None
        for packet in container.demux(stream):
            if packet.pts is None:
                continue
            frames += 1
            first = packet.pts if first is None else min(first, packet.pts)
            stop = packet.pts + (packet.duration or 0)
            end = stop if end is None else max(end, stop)
        base = stream.time_base or Fraction(1, 1000)
        duration = float((end - first) * base) if frames and first is not None and end else 0.0
        if rate and frames:
            # a stream whose last packet has no duration: frames at a constant rate
            duration = max(duration, float(frames / Fraction(rate)))
        return VideoInfo(
            Path(path),
            ctx.name,
            ctx.format.name if ctx.format else "?",
            ctx.width,
            ctx.height,
            Fraction(rate),
            frames,
            duration,
            _codec_string(ctx.name, ctx.extradata),
        )


def _codec_string(codec: str, extradata: bytes | None) -> str:
    """RFC 6381 codec text: 'avc1.PPCCLL' from the avcC box, 'vp9' or 'av01' otherwise."""
    if codec == "h264" and extradata and len(extradata) >= 4 and extradata[0] == 1:
        return "avc1." + extradata[1:4].hex()
    return {"h264": "avc1.640028", "vp9": "vp9", "av1": "av01.0.08M.08"}.get(codec, codec)


def mp4_atoms(path: Path) -> list[tuple[str, int]]:
    """The top-level boxes of an MP4 file, in order: [('ftyp', 32), ('moov', 3699), ...]."""
    atoms: list[tuple[str, int]] = []
    size_total = os.path.getsize(path)
    with open(path, "rb") as f:
        offset = 0
        while offset + 8 <= size_total:
            f.seek(offset)
            size, kind = struct.unpack(">I4s", f.read(8))
            if size == 1:
                size = struct.unpack(">Q", f.read(8))[0]
            elif size == 0:
                size = size_total - offset  # the box runs to the end of the file
            if size < 8:
                raise LessonError(f"{path} is not a valid MP4: box of {size} bytes at {offset}")
            atoms.append((kind.decode("latin-1"), size))
            offset += size
    return atoms


def is_faststart(path: Path) -> bool:
    """True when the moov box (the index) comes before mdat (the media data)."""
    kinds = [k for k, _ in mp4_atoms(path)]
    return "moov" in kinds and "mdat" in kinds and kinds.index("moov") < kinds.index("mdat")


def _is_web_h264(info: VideoInfo) -> bool:
    return (
        info.codec == "h264"
        and info.pix_fmt == "yuv420p"
        and info.width % 2 == 0
        and info.height % 2 == 0
    )


def web_mp4(source: Path, target: Path, keyframes: Collection[int] = ()) -> VideoInfo:
    """An MP4 browsers play everywhere: H.264, yuv420p, even size, moov before mdat.

    A source that already is H.264/yuv420p with an even size (Manim's output) is remuxed
    without re-encoding, so the frames are bit for bit the render's; anything else is
    transcoded with libx264.
    """
    info = probe(source)
    with atomic_path(target) as tmp:
        if _is_web_h264(info):
            _remux(source, tmp)
        else:
            _transcode(
                source,
                tmp,
                "libx264",
                {"crf": "20", "preset": "fast"},
                "mp4",
                {"movflags": "+faststart"},
                keyframes,
            )
    return probe(target)


def _remux(source: Path, tmp: Path) -> None:
    """The video (and the narration's AAC, if any) copied into a fast-start MP4."""
    with (
        av.open(str(source)) as src,
        av.open(str(tmp), "w", format="mp4", options={"movflags": "+faststart"}) as out,
    ):
        streams = [src.streams.video[0], *src.streams.audio[:1]]
        outs = {s.index: out.add_stream_from_template(s) for s in streams}
        for packet in src.demux(*streams):
            if packet.dts is None:  # the demuxer's empty flush packet
                continue
            packet.stream = outs[packet.stream.index]
            out.mux(packet)


def read_audio(path: Path) -> np.ndarray | None:
    """A file's first sound stream as mono float32 at the narration's rate, or None when it
    is silent (has no sound stream)."""
    from lessonkit.render.voices import decode_audio

    with av.open(str(path)) as src:
        if not src.streams.audio:
            return None
    return decode_audio(path)


def audio_facts(path: Path) -> dict[str, Any] | None:
    """What a file's sound is (codec, rate, channels, seconds, loudness), for manifests;
    None for a silent file."""
    from lessonkit.maths.loudness import integrated_loudness
    from lessonkit.render.voices import RATE

    with av.open(str(path)) as src:
        if not src.streams.audio:
            return None
        ctx = src.streams.audio[0].codec_context
        codec, rate, channels = ctx.name, ctx.sample_rate, ctx.layout.nb_channels
    samples = read_audio(path)
    assert samples is not None
    level = integrated_loudness(samples, RATE)
    return {
        "codec": codec,
        "rate": rate,
        "channels": channels,
        "seconds": round(len(samples) / RATE, 3),
        "loudness_lufs": round(level, 2) if np.isfinite(level) else None,
    }


def vp9_webm(
    source: Path,
    target: Path,
    options: dict[str, str] | None = None,
    keyframes: Collection[int] = (),
) -> VideoInfo:
    """A VP9 WebM of the same frames (same size, rate and count), for browsers that prefer it.

    `keyframes` are frame numbers that must be key frames (chapter starts: seeking to a
    chapter then decodes no earlier frame).
    """
    with atomic_path(target) as tmp:
        _transcode(source, tmp, "libvpx-vp9", options or VP9_OPTIONS, "webm", {}, keyframes)
    return probe(target)


def _transcode(
    source: Path,
    tmp: Path,
    codec: str,
    codec_options: dict[str, str],
    fmt: str,
    container_options: dict[str, str],
    keyframes: Collection[int] = (),
) -> None:
    """Decode every frame of source and encode it again, one output frame per input frame."""
    with (
        av.open(str(source)) as src,
        av.open(str(tmp), "w", format=fmt, options=container_options) as out,
    ):
        in_stream = src.streams.video[0]
        in_stream.thread_type = "AUTO"
        rate = in_stream.average_rate or in_stream.guessed_rate or Fraction(30)
        width = in_stream.codec_context.width // 2 * 2
        height = in_stream.codec_context.height // 2 * 2
        stream: Any = out.add_stream(codec, rate=Fraction(rate), options=codec_options)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        frame_base = 1 / Fraction(rate)  # the muxer changes stream.time_base once it starts
        stream.time_base = frame_base
        stream.codec_context.thread_count = max(1, min(os.cpu_count() or 1, 8))
        stream.codec_context.gop_size = max(1, int(round(5 * rate)))  # a key frame every 5 s
        sound = read_audio(source)
        if sound is not None:  # the narration: Opus in WebM, AAC in MP4
            from lessonkit.render.audio import CODECS, encode_samples, sound_room
            from lessonkit.render.voices import RATE

            name, bit_rate = CODECS[".webm" if fmt == "webm" else ".mp4"]
            audio: Any = out.add_stream(name, rate=RATE, layout="mono")
            audio.bit_rate = bit_rate
            # as the render muxed it: a little shorter than the video (see sound_room)
            frames = in_stream.frames or 0
            room = sound_room(float(frames / Fraction(rate))) if frames else len(sound)
            encode_samples(audio, out, sound[: min(len(sound), room)])
        forced = set(keyframes)
        for index, frame in enumerate(src.decode(in_stream)):
            image = frame.reformat(width=width, height=height, format="yuv420p")
            image.pts = index
            image.time_base = frame_base
            if index in forced:
                image.pict_type = PictureType.I
            out.mux(stream.encode(image))
        out.mux(stream.encode(None))


def frame_at(source: Path, seconds: float) -> Image.Image:
    """The decoded frame shown at `seconds` (the last one starting at or before it), as a
    PIL image; the last frame when `seconds` is past the end."""
    with av.open(str(source)) as src:
        stream = src.streams.video[0]
        stream.thread_type = "AUTO"
        chosen = None
        for frame in src.decode(stream):
            if chosen is not None and frame.time is not None and frame.time > seconds + 1e-6:
                break
            chosen = frame
        if chosen is None:
            raise LessonError(f"{source} holds no frames")
        return cast(Image.Image, chosen.to_image())  # type: ignore[no-untyped-call]
