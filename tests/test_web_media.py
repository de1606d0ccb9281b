"""Web video files checked with PyAV: codecs, pixel format, sizes, durations, fast start, GIF."""

from __future__ import annotations

import struct
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image

from lessonkit.web.bundle import Bundle
from lessonkit.web.media import is_faststart, mp4_atoms, probe, vp9_webm, web_mp4
from lessonkit.web.preview import MAX_BYTES, MAX_WIDTH, write_gif


def make_video(path: Path, codec: str = "libx264", size: tuple[int, int] = (64, 48),
               fps: int = 10, frames: int = 20, pix_fmt: str = "yuv420p",
               noise: bool = False) -> Path:
    """A small test video written by PyAV: a bar sweeping across, or blocks of 8 colours
    changing at random (which no GIF compresses well)."""
    w, h = size
    rng = np.random.default_rng(1)
    colours = rng.integers(0, 255, (8, 3), dtype=np.uint8)
    with av.open(str(path), "w") as out:
        stream = out.add_stream(codec, rate=fps)
        stream.width, stream.height, stream.pix_fmt = w, h, pix_fmt
        for i in range(frames):
            if noise:
                blocks = colours[rng.integers(0, 8, (h // 4, w // 4))]
                rgb = np.ascontiguousarray(blocks.repeat(4, axis=0).repeat(4, axis=1))
            else:
                rgb = np.full((h, w, 3), 12, np.uint8)
                rgb[:, : (i * 3) % w + 1] = (230, 120, 40)
            out.mux(stream.encode(av.VideoFrame.from_ndarray(rgb, format="rgb24")))
        out.mux(stream.encode(None))
    return path


def top_level_boxes(path: Path) -> list[str]:
    """The MP4's top-level box types in file order, read here independently of lessonkit."""
    data = path.read_bytes()
    kinds, offset = [], 0
    while offset + 8 <= len(data):
        size = struct.unpack(">I", data[offset:offset + 4])[0]
        kind = data[offset + 4:offset + 8].decode("latin-1")
        if size == 1:  # a 64-bit size follows the type
            size = struct.unpack(">Q", data[offset + 8:offset + 16])[0]
        elif size == 0:  # the last box runs to the end of the file
            size = len(data) - offset
        assert size >= 8, f"bad box size {size} at {offset}"
        kinds.append(kind)
        offset += size
    assert offset == len(data), "boxes do not tile the file"
    return kinds


def decoded_frames(path: Path) -> int:
    with av.open(str(path)) as c:
        return sum(1 for _ in c.decode(video=0))


# --- the bundle's files --------------------------------------------------------------------


@pytest.mark.slow
def test_mp4_is_h264_yuv420p_even_and_matches_manifest(bundle: Bundle) -> None:
    m = bundle.manifest
    info = probe(bundle.folder / m["video"]["mp4"]["file"])
    assert (info.codec, info.pix_fmt) == ("h264", "yuv420p")
    assert info.width % 2 == 0 and info.height % 2 == 0
    assert (info.width, info.height) == (m["width"], m["height"]) == (192, 108)
    assert info.fps == Fraction(m["fps"]) == 5
    assert abs(info.duration - m["duration"]) <= 1 / info.fps
    assert info.frames == m["frames"] == decoded_frames(info.path)
    assert info.codec_string.startswith("avc1.")


@pytest.mark.slow
def test_mp4_is_faststart_moov_before_mdat(bundle: Bundle) -> None:
    path = bundle.folder / bundle.manifest["video"]["mp4"]["file"]
    kinds = top_level_boxes(path)
    assert kinds[0] == "ftyp"
    assert kinds.count("moov") == 1 and kinds.count("mdat") == 1
    assert kinds.index("moov") < kinds.index("mdat"), kinds
    assert [kind for kind, _ in mp4_atoms(path)] == kinds
    assert sum(size for _, size in mp4_atoms(path)) == path.stat().st_size


@pytest.mark.slow
def test_webm_is_vp9_with_the_same_frames(bundle: Bundle) -> None:
    m = bundle.manifest
    mp4 = probe(bundle.folder / m["video"]["mp4"]["file"])
    webm = probe(bundle.folder / m["video"]["webm"]["file"])
    assert (webm.codec, webm.pix_fmt) == ("vp9", "yuv420p")
    assert (webm.width, webm.height, webm.fps) == (mp4.width, mp4.height, mp4.fps)
    assert webm.frames == mp4.frames == decoded_frames(webm.path)
    assert abs(webm.duration - m["duration"]) <= 1 / webm.fps
    with av.open(str(webm.path)) as c:
        assert c.format.name.startswith("matroska")  # "matroska,webm"
        assert abs(c.duration / 1e6 - m["duration"]) <= 1 / webm.fps


@pytest.mark.slow
def test_webm_has_a_key_frame_at_every_chapter(bundle: Bundle) -> None:
    path = bundle.folder / bundle.manifest["video"]["webm"]["file"]
    with av.open(str(path)) as c:
        keys = [i for i, p in enumerate(p for p in c.demux(video=0) if p.pts is not None)
                if p.is_keyframe]
    starts = [s["start_frame"] for s in bundle.manifest["sections"]]
    assert set(starts) <= set(keys)


@pytest.mark.slow
def test_gif_fits_loops_and_matches_manifest(bundle: Bundle) -> None:
    anim = bundle.manifest["animation"]
    path = bundle.folder / anim["file"]
    assert path.suffix == ".gif" and path.stat().st_size <= MAX_BYTES
    assert b"NETSCAPE2.0" in path.read_bytes()[:2048]  # the looping extension
    with Image.open(path) as im:
        assert im.format == "GIF" and im.is_animated
        assert im.width <= MAX_WIDTH and (im.width, im.height) == (anim["width"], anim["height"])
        assert im.info["loop"] == 0  # 0: forever
        durations = []
        for i in range(im.n_frames):
            im.seek(i)
            durations.append(im.info["duration"])
    assert im.n_frames == anim["frames"]
    assert abs(sum(durations) / 1000 - anim["duration"]) <= 1 / anim["fps"]
    assert abs(anim["duration"] - bundle.manifest["duration"]) <= 1 / anim["fps"]
    assert anim["cuts"] == []  # a tiny clip fits whole


# --- transcoding and remuxing on small made-up videos ----------------------------------------


def test_remux_keeps_frames_and_moves_moov_first(tmp_path: Path) -> None:
    src = make_video(tmp_path / "slow.mp4")
    kinds = top_level_boxes(src)
    assert kinds.index("mdat") < kinds.index("moov")  # PyAV's default mp4 writes moov last
    assert not is_faststart(src)
    out = web_mp4(src, tmp_path / "web" / "fast.mp4")
    kinds = top_level_boxes(out.path)
    assert kinds.index("moov") < kinds.index("mdat") and is_faststart(out.path)
    assert out.frames == 20 == decoded_frames(out.path)
    with av.open(str(src)) as a, av.open(str(out.path)) as b:
        assert [bytes(p) for p in a.demux(video=0) if p.size] == \
            [bytes(p) for p in b.demux(video=0) if p.size]  # not re-encoded
    assert not list((tmp_path / "web").glob(".*"))  # no temp file left


def test_odd_sized_and_other_codecs_are_transcoded(tmp_path: Path) -> None:
    src = make_video(tmp_path / "odd.mkv", codec="ffv1", size=(65, 49), pix_fmt="yuv444p")
    out = web_mp4(src, tmp_path / "odd.mp4")
    assert (out.codec, out.pix_fmt, out.width, out.height) == ("h264", "yuv420p", 64, 48)
    assert out.frames == 20 and is_faststart(out.path)


def test_vp9_same_frame_count_and_rate(tmp_path: Path) -> None:
    src = make_video(tmp_path / "a.mp4", fps=12, frames=30)
    out = vp9_webm(src, tmp_path / "a.webm", keyframes=[0, 17])
    assert (out.codec, out.frames, out.fps) == ("vp9", 30, 12)
    assert abs(out.duration - 2.5) <= 1 / 12


def test_gif_steps_down_until_it_fits_and_says_what_was_cut(tmp_path: Path) -> None:
    src = make_video(tmp_path / "noise.mp4", size=(640, 360), fps=20, frames=24, noise=True)
    info = write_gif(tmp_path / "n.gif", src, max_bytes=700_000)  # about 1.4 MB at 10 fps
    size = (tmp_path / "n.gif").stat().st_size
    assert size <= 700_000
    assert info.fps < 10 and info.duration == 1.2 and not any("length" in c for c in info.cuts)
    assert info.width <= 480 and any(c.startswith("width 640") for c in info.cuts)
    assert any(c.startswith("frame rate 20") for c in info.cuts)
    with Image.open(tmp_path / "n.gif") as im:
        assert im.info["loop"] == 0 and im.width == info.width


def test_gif_that_cannot_fit_is_cut_short(tmp_path: Path) -> None:
    src = make_video(tmp_path / "noise.mp4", size=(640, 360), fps=20, frames=24, noise=True)
    info = write_gif(tmp_path / "n.gif", src, max_bytes=120_000)
    assert (tmp_path / "n.gif").stat().st_size <= 120_000
    assert info.duration < 1.2
    assert any(c.startswith("length 1.20") for c in info.cuts)
    with Image.open(tmp_path / "n.gif") as im:
        assert im.n_frames == info.frames


def test_atoms_of_a_non_mp4_file_fail_cleanly(tmp_path: Path) -> None:
    from lessonkit.base.errors import LessonError

    bad = tmp_path / "x.mp4"
    bad.write_bytes(b"\x00\x00\x00\x04junkjunk")
    with pytest.raises(LessonError):
        mp4_atoms(bad)
