"""WebVTT text tracks: captions from the render's SubRip file, chapters from its sections.

Browsers take only WebVTT in `<track>`; Manim writes SubRip (.srt). The conversion keeps every
cue's words, orders cues by time, clips them to the video and escapes the cue text.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import srt  # type: ignore[import-untyped]

from lessonkit.base.errors import LessonError
from lessonkit.lesson.storyboard import Step
from lessonkit.web.chapters import Chapter

__all__ = [
    "Cue",
    "vtt_time",
    "srt_cues",
    "captions_vtt",
    "chapters_vtt",
    "step_captions_vtt",
    "write_vtt_text",
]


@dataclass(frozen=True)
class Cue:
    """One timed line of text."""

    start: float
    end: float
    text: str
    ident: str = ""


def vtt_time(seconds: float) -> str:
    """'HH:MM:SS.mmm', the WebVTT timestamp form with hours always present.

    >>> vtt_time(0), vtt_time(83.4), vtt_time(3725.0049)
    ('00:00:00.000', '00:01:23.400', '01:02:05.005')
    """
    ms = max(0, round(seconds * 1000))
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def srt_cues(path: Path | None) -> list[Cue]:
    """The cues of a SubRip file, in time order."""
    if path is None or not path.exists():
        raise LessonError("the render has no captions file (.srt); render again with --force")
    try:
        subs = list(srt.parse(path.read_text(encoding="utf-8-sig")))
    except (OSError, srt.SRTParseError) as exc:
        raise LessonError(f"cannot read captions {path}: {exc}") from None
    return [
        Cue(s.start.total_seconds(), s.end.total_seconds(), s.content)
        for s in sorted(subs, key=lambda s: (s.start, s.end))
    ]


def _clip(cues: Sequence[Cue], duration: float) -> list[Cue]:
    """Cues inside [0, duration], each ending after it starts and none overlapping the next."""
    out: list[Cue] = []
    for i, cue in enumerate(cues):
        start = max(0.0, cue.start)
        end = min(cue.end, duration)
        if i + 1 < len(cues):
            end = min(end, max(cues[i + 1].start, start))
        if end - start < 0.0005 or not cue.text.strip():
            continue
        out.append(Cue(start, end, cue.text, cue.ident))
    return out


def _payload(text: str) -> str:
    """Cue text as WebVTT wants it: no blank lines, no '-->', &, < and > escaped."""
    lines = [line.strip() for line in text.replace("\r", "").split("\n") if line.strip()]
    return html.escape("\n".join(lines), quote=False).replace("-->", "--&gt;")


def write_vtt_text(cues: Sequence[Cue], kind: str) -> str:
    """A WebVTT file's text for cues (already clipped and ordered)."""
    parts = [f"WEBVTT - {kind}\n"]
    for cue in cues:
        head = f"{cue.ident}\n" if cue.ident else ""
        parts.append(f"{head}{vtt_time(cue.start)} --> {vtt_time(cue.end)}\n{_payload(cue.text)}\n")
    return "\n".join(parts)


def captions_vtt(srt_path: Path | None, duration: float) -> tuple[str, int]:
    """WebVTT captions made from the render's .srt, clipped to the video; (text, cue count)."""
    cues = _clip(srt_cues(srt_path), duration)
    if not cues:
        raise LessonError(f"the captions file {srt_path} holds no cue inside the video")
    return write_vtt_text(cues, "captions"), len(cues)


def chapters_vtt(chapters: Sequence[Chapter], duration: float) -> str:
    """WebVTT chapters: one titled cue per chapter, named by its section."""
    cues = [Cue(c.start, min(c.end, duration), c.title, c.name) for c in chapters]
    return write_vtt_text(_clip(cues, duration), "chapters")


def step_captions_vtt(
    chapters: Sequence[Chapter], steps: Sequence[Step], duration: float
) -> tuple[str, int]:
    """Captions in another language for the same video: each section's step caption (from
    that language's storyboard) timed like the section, as the render's own captions are."""
    by_name = {s.name: s.caption for s in steps}
    missing = [c.name for c in chapters if c.name not in by_name]
    if missing:
        raise LessonError(f"no step {missing[0]!r} in the translated lesson: render again")
    cues = _clip([Cue(c.start, c.end, by_name[c.name]) for c in chapters], duration)
    return write_vtt_text(cues, "captions"), len(cues)
