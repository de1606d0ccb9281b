"""Render presets (frame height, width and rate) and `--size` frame sizes."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lessonkit.base.errors import LessonError

__all__ = ["QUALITIES", "Quality", "parse_size"]


@dataclass(frozen=True)
class Quality:
    """A render preset: frame height, width and frame rate."""

    name: str
    height: int
    width: int
    fps: int

    @property
    def folder(self) -> str:
        """Manim's own folder name for the preset, e.g. '1080p60'."""
        return f"{self.height}p{self.fps}"


QUALITIES: dict[str, Quality] = {
    q.name: q
    for q in (
        Quality("preview", 480, 854, 15),
        Quality("draft", 720, 1280, 30),
        Quality("production", 1080, 1920, 60),
        Quality("4k", 2160, 3840, 60),
    )
}


def parse_size(text: str | None) -> tuple[int, int] | None:
    """'192x108' -> (192, 108); both even, as video encoders require."""
    if text is None:
        return None
    m = re.fullmatch(r"(\d{1,5})[xX](\d{1,5})", text)
    if m is None:
        raise LessonError(f"--size must look like 1280x720, got {text[:30]!r}")
    w, h = int(m.group(1)), int(m.group(2))
    if w < 16 or h < 16 or w % 2 or h % 2:
        raise LessonError(f"--size needs even numbers of at least 16 pixels, got {text!r}")
    return w, h
