"""The one exception the library raises for bad input, so the CLI can print it as one line."""

from __future__ import annotations

__all__ = ["LessonError"]


class LessonError(ValueError):
    """Input that lessonkit cannot turn into a lesson; the message says what to fix."""
