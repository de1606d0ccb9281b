"""A course file's keys, the lines they sit on (for messages), and how their values are read."""

from __future__ import annotations

import difflib
import re
from decimal import Decimal
from typing import Any

from lessonkit.base.errors import LessonError
from lessonkit.lesson.lessonfile import toml_value
from lessonkit.lesson.spec import QUALITIES

__all__ = [
    "COURSE_KEYS",
    "LESSON_ENTRY_KEYS",
    "CLIP_ENTRY_KEYS",
    "COURSE_FORMATS",
    "CourseLines",
    "shared_keys",
    "entry_tables",
    "text_of",
    "texts_of",
    "shown",
]

#: Keys a course file may use at its top, with what each means.
COURSE_KEYS = {
    "title": "the gallery's heading (default: the course file's name)",
    "languages": 'languages to render, e.g. ["en", "ko"] (default: each lesson\'s own)',
    "qualities": 'presets, e.g. ["preview", "production"] (default ["production"])',
    "formats": 'video formats, ["mp4"] and/or "webm" (default ["mp4"])',
    "voice": "none, espeak, piper or a folder of recordings (default: each lesson's)",
    "export": "true to write web bundles and the gallery at the end",
    "size": 'a frame size override such as "192x108"',
    "fps": "a frame rate override",
    "lesson": "[[lesson]] tables: lesson files",
    "clip": "[[clip]] tables: nudge clips",
}
_SHARED = ("languages", "qualities", "formats", "voice")
LESSON_ENTRY_KEYS = {"file": "the lesson file, relative to the course file"} | {
    k: COURSE_KEYS[k] for k in _SHARED
}
CLIP_ENTRY_KEYS = {
    "function": "a registry name or an expression in a",
    "at": "the points to visit (default: the function's own)",
    "nudges": 'the shrinking nudges, "1,0.1" or [1, 0.1]',
} | {k: COURSE_KEYS[k] for k in _SHARED}

#: formats a batch renders step by step (their steps join without re-encoding)
COURSE_FORMATS = ("mp4", "webm")


class CourseLines:
    """Line numbers of a course file's tables and keys, found by reading its lines."""

    _KEY = re.compile(r"""^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_-]+)\s*=""")

    def __init__(self, text: str, filename: str) -> None:
        self.filename = filename
        self.lines: dict[tuple[object, ...], int] = {}
        table: tuple[object, ...] = ()
        counts: dict[str, int] = {}
        for number, raw in enumerate(text.splitlines(), start=1):
            line = raw.split("#")[0].strip()
            m = re.fullmatch(r"\[\[\s*([A-Za-z0-9_-]+)\s*\]\]", line)
            if m:
                kind = m.group(1)
                counts[kind] = counts.get(kind, -1) + 1
                table = (kind, counts[kind])
                self.lines.setdefault(table, number)
                continue
            if line.startswith("["):
                table = (line.strip("[] "),)
                self.lines.setdefault(table, number)
                continue
            k = self._KEY.match(raw)
            if k:
                self.lines.setdefault((*table, k.group(1).strip("\"'")), number)

    def line(self, *path: object) -> int:
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return 1

    def error(self, message: str, *path: object) -> LessonError:
        """'course.toml:12: clip 2, at: message'."""
        where = ""
        if len(path) > 1 and isinstance(path[1], int):
            where = f"{path[0]} {path[1] + 1}" + "".join(f", {k}" for k in path[2:]) + ": "
        elif path:
            where = ".".join(str(k) for k in path) + ": "
        return LessonError(f"{self.filename}:{self.line(*path)}: {where}{message}")


def shared_keys(data: dict[str, Any], where: CourseLines, at: tuple[object, ...]) -> dict[str, Any]:
    """languages, qualities, formats and voice of the course (at = ()) or of one entry
    (only those it sets)."""
    out: dict[str, Any] = (
        {}
        if at
        else {
            "languages": None,
            "qualities": ["production"],
            "formats": ["mp4"],
            "voice": None,
        }
    )
    from lessonkit.lesson.i18n import is_language

    for key, choices in (("qualities", list(QUALITIES)), ("formats", list(COURSE_FORMATS))):
        if key in data:
            values = texts_of(data, key, where, at, one_or_more=True)
            for v in values:
                if v not in choices:
                    close = difflib.get_close_matches(v, choices, n=1)
                    hint = f"did you mean {close[0]!r}? " if close else ""
                    raise where.error(
                        f"{hint}choose from {', '.join(choices)}, got {v!r}", *at, key
                    )
            out[key] = list(dict.fromkeys(values))
    if "languages" in data:
        langs = texts_of(data, "languages", where, at, one_or_more=True)
        for lang in langs:
            if not is_language(lang):
                raise where.error(
                    f"a language code such as en or ko, got {lang!r}", *at, "languages"
                )
        out["languages"] = list(dict.fromkeys(langs))
    if "voice" in data:
        out["voice"] = text_of(data, "voice", where, *at)
    return out


def entry_tables(data: dict[str, Any], key: str, where: CourseLines) -> list[dict[str, Any]]:
    """The [[key]] tables of the file (none: [])."""
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise where.error(f"write each one as a [[{key}]] table", key)
    return value


def text_of(data: dict[str, Any], key: str, where: CourseLines, *at: object) -> str | None:
    """The text at `key` (None when absent); anything else is an error naming the line."""
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise where.error(f"must be text in quotes, got {shown(value)}", *at, key)
    return value


def texts_of(
    data: dict[str, Any],
    key: str,
    where: CourseLines,
    at: tuple[object, ...],
    one_or_more: bool = False,
) -> list[str]:
    """A list of texts or numbers (or one of them) as texts; [] when absent."""
    value = data.get(key)
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        if isinstance(item, bool) or not isinstance(item, str | int | Decimal):
            raise where.error(f"must be a list of texts or numbers, got {shown(value)}", *at, key)
        out.append(str(item))
    if one_or_more and not out:
        raise where.error("give at least one", *at, key)
    return out


def shown(value: object) -> str:
    """A value read from the file, spelled as in TOML; a table says so."""
    return "a table" if isinstance(value, dict) else toml_value(value)
