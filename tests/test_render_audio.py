"""Narrated renders decoded with PyAV: sound in the MP4, the WebM and every section clip, each
step's voice starting on its section's first frame, never outlasting the picture, at -16
LUFS; recordings used where present, the scratch voice (with a warning) where not."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest
import srt
from test_voices import dominant_hz, write_tone_wav

from lessonkit.lesson.lessonfile import load_lesson
from lessonkit.lesson.narration import Voice
from lessonkit.lesson.storyboard import lesson_steps
from lessonkit.maths.loudness import TARGET_LUFS, integrated_loudness
from lessonkit.render import RenderJob, RenderResult, render
from lessonkit.render.voices import PAUSE, RATE
from lessonkit.web.media import read_audio

pytestmark = pytest.mark.slow

FPS = 10
SIZE = (192, 108)
BIN = Path(sys.executable).parent
LESSON = """title = "Slopes"

[[part]]
function = "square"
points = [2]
nudges = [1, 0.1]

[[part]]
card = "text"
lines = ["The derivative is the slope."]
"""


@pytest.fixture(scope="module")
def lesson_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("lesson") / "slopes.toml"
    path.write_text(LESSON, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def narrated(
    lesson_file: Path, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[str], RenderResult]:
    """`narrated(fmt)`: the lesson rendered tiny with the espeak voice (once per format)."""
    done: dict[str, RenderResult] = {}

    def get(fmt: str) -> RenderResult:
        if fmt not in done:
            media = tmp_path_factory.mktemp(f"media-{fmt}")  # formats share section folders
            job = RenderJob(
                load_lesson(lesson_file), fps=FPS, size=SIZE, media_dir=media, fmt=fmt,
                voice=Voice("espeak"),
            )
            done[fmt] = render(job)
        return done[fmt]

    return get


def sections(result: RenderResult) -> list[dict[str, Any]]:
    assert result.sections is not None
    data: list[dict[str, Any]] = json.loads(result.sections.read_text(encoding="utf-8"))
    return data


def codec_of(path: Path) -> str | None:
    with av.open(str(path)) as c:
        return c.streams.audio[0].codec_context.name if c.streams.audio else None


def video_seconds(path: Path) -> float:
    with av.open(str(path)) as c:
        v = c.streams.video[0]
        frames = sum(1 for _ in c.demux(v)) - 1  # the demuxer's empty flush packet
        return frames / float(v.average_rate)


@pytest.mark.parametrize(("fmt", "codec"), [("mp4", "aac"), ("webm", "opus")])
def test_the_video_carries_the_voice(
    narrated: Callable[[str], RenderResult], fmt: str, codec: str
) -> None:
    result = narrated(fmt)
    assert result.video is not None and result.video.suffix == f".{fmt}"
    assert codec_of(result.video) == codec
    sound = read_audio(result.video)
    assert sound is not None
    assert integrated_loudness(sound, RATE) == pytest.approx(TARGET_LUFS, abs=1.0)
    assert len(sound) / RATE <= video_seconds(result.video)  # the picture outlasts the voice
    assert float(np.max(np.abs(sound))) < 1.0


def test_each_step_speaks_from_its_first_frame(narrated: Callable[[str], RenderResult]) -> None:
    """Within every section the voice begins within one frame of the section's start, is
    not silent, and is over (with its pause) before the section ends."""
    result = narrated("mp4")
    assert result.video is not None
    sound = read_audio(result.video)
    assert sound is not None
    frame = 0
    names = []
    for section in sections(result):
        n = int(section["nb_frames"])
        a, b = round(frame / FPS * RATE), round((frame + n) / FPS * RATE)
        part = sound[a:b]
        loud = np.flatnonzero(np.abs(part) > 0.01)
        assert loud.size, f"{section['name']} is silent"
        assert loud[0] / RATE < 1 / FPS, (section["name"], loud[0] / RATE)
        # the last sound ends at least most of the pause before the section does
        assert (len(part) - loud[-1]) / RATE > PAUSE / 2, section["name"]
        names.append(section["name"])
        frame += n
    lesson_names = [s.name for s in lesson_steps(load_lesson(result.job.target.path))]
    assert names == lesson_names


def test_section_clips_keep_their_sound(narrated: Callable[[str], RenderResult]) -> None:
    result = narrated("mp4")
    assert result.sections is not None
    folder = result.sections.parent
    for section in sections(result):
        clip = folder / section["video"]
        assert codec_of(clip) == "aac", clip.name
        sound = read_audio(clip)
        assert sound is not None and float(np.sqrt(np.mean(sound**2))) > 0.01, clip.name
        assert len(sound) / RATE <= int(section["nb_frames"]) / FPS


def test_steps_wait_for_the_voice_and_captions_follow(
    narrated: Callable[[str], RenderResult],
) -> None:
    """A step lasts its narration and a pause (a silent render keeps the storyboard's
    timing); each caption spans its step."""
    result = narrated("mp4")
    spans = {s["name"]: int(s["nb_frames"]) / FPS for s in sections(result)}
    storyboard = {s.name: s.duration for s in lesson_steps(result.job.target)}
    longer = [n for n in spans if spans[n] > storyboard[n] + 1 / FPS]
    assert longer, "espeak's sentences are longer than the silent timing"
    for name, least in result.job.holds:
        assert spans[name] >= least - 1 / FPS
        assert spans[name] >= storyboard[name] - 1 / FPS
    assert result.captions is not None
    cues = list(srt.parse(result.captions.read_text(encoding="utf-8")))
    assert [round((c.end - c.start).total_seconds(), 1) for c in cues] == [
        round(v, 1) for v in spans.values()
    ]


def test_a_second_render_reuses_everything(
    narrated: Callable[[str], RenderResult], lesson_file: Path
) -> None:
    first = narrated("mp4")
    again = render(first.job.__class__(
        load_lesson(lesson_file), fps=FPS, size=SIZE, media_dir=first.job.media_dir,
        voice=Voice("espeak"),
    ))
    assert again.cached and again.video == first.video


def test_recordings_are_used_and_a_missing_one_warned_about(
    lesson_file: Path, tmp_path: Path
) -> None:
    takes = tmp_path / "takes"
    takes.mkdir()
    write_tone_wav(takes / "title.wav", 440, 1.5)
    write_tone_wav(takes / "square-graph.wav", 550, 4.5)
    proc = subprocess.run(
        [str(BIN / "lessonkit"), "render", str(lesson_file), "--voice", str(takes),
         "--size", "192x108", "--fps", str(FPS), "--output-dir", str(tmp_path / "media")],
        capture_output=True, text=True, timeout=600, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    warned = [x for x in proc.stderr.splitlines() if x.startswith("no recording for ")]
    assert len(warned) == 1 and "square-slide-a2.wav" in warned[0], proc.stderr
    video = next((tmp_path / "media" / "videos").rglob("slopes.mp4"))
    sound = read_audio(video)
    assert sound is not None
    data = json.loads(next((tmp_path / "media" / "videos").rglob("slopes.json")).read_text())
    title, graph = int(data[0]["nb_frames"]), int(data[1]["nb_frames"])
    # the section waited for the 4.5 s take (the storyboard gives it 3 s)
    assert graph / FPS >= 4.5 + PAUSE - 1e-9
    assert dominant_hz(sound[: int(1.4 * RATE)]) == pytest.approx(440, abs=3)
    g0 = round(title / FPS * RATE)
    assert dominant_hz(sound[g0 : g0 + 4 * RATE]) == pytest.approx(550, abs=3)


def test_the_web_bundle_reports_its_sound(
    narrated: Callable[[str], RenderResult], tmp_path: Path
) -> None:
    from lessonkit.web.bundle import write_bundle

    bundle = write_bundle(narrated("mp4"), root=tmp_path / "web")
    audio = bundle.manifest["audio"]
    assert audio["mp4"] == "aac" and audio["webm"] == "opus" and audio["channels"] == 1
    assert audio["loudness_lufs"] == pytest.approx(TARGET_LUFS, abs=1.0)
    assert audio["target_lufs"] == TARGET_LUFS
    webm = bundle.folder / bundle.manifest["video"]["webm"]["file"]
    assert codec_of(webm) == "opus"
    sound = read_audio(webm)
    assert sound is not None
    assert integrated_loudness(sound, RATE) == pytest.approx(TARGET_LUFS, abs=1.0)
    assert len(sound) / RATE <= bundle.manifest["duration"]
