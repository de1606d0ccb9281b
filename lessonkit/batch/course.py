"""Course files: many lessons and clips, in several languages, qualities and formats, named
in one TOML file that `lessonkit batch` renders on a Dask cluster.

A course file::

    title = "Calculus refresher"        # the gallery's heading (default: the file's name)
    languages = ["en", "ko"]            # default: each lesson's own language, English clips
    qualities = ["preview", "production"]   # preview, draft, production, 4k (default production)
    formats = ["mp4"]                   # mp4 and/or webm (default mp4)
    voice = "none"                      # default: each lesson's own voice, else none
    export = true                       # web bundles and the gallery too (default false)
    size = "192x108"                    # optional frame size override (even numbers)
    fps = 6                             # optional frame rate override

    [[lesson]]
    file = "lessons/more-derivative-examples.toml"   # relative to the course file

    [[clip]]
    function = "cube"                   # a name from `lessonkit list` or an expression in a
    at = [2]                            # optional: the points (default: the function's own)
    nudges = "1,0.1"                    # optional: "1,0.1" or [1, 0.1]

Every `[[lesson]]` and `[[clip]]` may also set its own `languages`, `qualities`, `formats`
and `voice`. Each lesson or clip becomes one target per language x quality x format, named
like `more-derivative-examples [ko] 480p15 mp4`. With `export`, each lesson or clip in each
language gets one web bundle, made from its largest MP4 (a bundle is one folder per slug).

The file is read and checked whole before anything renders: an unknown key, a bad value, a
missing lesson file or a lesson that does not validate is one `LessonError` line naming the
course file, the line and the key (`course.toml:7: lesson 1, file: ...`). This module is
pure: it reads files and builds render jobs, it imports neither Manim nor Dask.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lessonkit.base.errors import LessonError
from lessonkit.lesson.lessonfile import load_lesson, read_toml, toml_value, unknown_keys
from lessonkit.lesson.spec import QUALITIES, ClipSpec, LessonSpec

if TYPE_CHECKING:
    from lessonkit.render import RenderJob

__all__ = [
    "COURSE_KEYS",
    "LESSON_ENTRY_KEYS",
    "CLIP_ENTRY_KEYS",
    "COURSE_FORMATS",
    "CourseTarget",
    "Course",
    "load_course",
    "parse_course",
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


@dataclass(frozen=True)
class CourseTarget:
    """One video of a course: its display name, its render job and where the file asks
    for it (for messages)."""

    name: str
    job: RenderJob
    entry: str  # 'lesson 1', 'clip 2'
    line: int

    @property
    def slug(self) -> str:
        return self.job.slug


@dataclass(frozen=True)
class Course:
    """A read and checked course file: every target, in file order."""

    path: Path
    title: str
    targets: tuple[CourseTarget, ...]
    export: bool

    def export_targets(self) -> dict[str, CourseTarget]:
        """The target each web bundle is made from, by slug: its largest MP4."""
        best: dict[str, CourseTarget] = {}
        for t in self.targets:
            if t.job.fmt != "mp4":
                continue
            w, h = t.job.width_height
            size = (w * h, t.job.frame_rate)
            old = best.get(t.slug)
            if old is None or size > (
                old.job.width_height[0] * old.job.width_height[1],
                old.job.frame_rate,
            ):
                best[t.slug] = t
        return best


class _Lines:
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


def load_course(
    path: str | Path, media_dir: Path = Path("media"), use_cache: bool = True
) -> Course:
    """Read and check a course file; its targets render into `media_dir` (made absolute:
    workers on other machines resolve it the same way only if it is a shared path)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LessonError(f"{p}: no such course file") from None
    except UnicodeDecodeError:
        raise LessonError(f"{p}: not UTF-8 text; save the course file as UTF-8") from None
    except OSError as exc:
        raise LessonError(f"{p}: cannot read: {exc.strerror or exc}") from None
    return parse_course(text, p, media_dir, use_cache)


def parse_course(
    text: str, path: Path, media_dir: Path = Path("media"), use_cache: bool = True
) -> Course:
    """Check the text of the course file `path` (lesson files are found relative to it)
    and build its targets."""
    from lessonkit.lesson.spec import parse_size

    filename = str(path)
    data = read_toml(text, filename)
    where = _Lines(text, filename)
    unknown_keys(data, COURSE_KEYS, where, "top-level key")
    title = _text(data, "title", where) or path.stem
    export = data.get("export", False)
    if not isinstance(export, bool):
        raise where.error(f"must be true or false, got {_shown(export)}", "export")
    size_text = _text(data, "size", where)
    try:
        size = parse_size(size_text)
    except LessonError as exc:
        raise where.error(str(exc).replace("--size ", ""), "size") from None
    fps = data.get("fps")
    if fps is not None and (
        isinstance(fps, bool) or not isinstance(fps, int) or not 1 <= fps <= 120
    ):
        raise where.error(
            f"a whole number of frames per second, 1 to 120, got {_shown(fps)}", "fps"
        )
    defaults = _shared(data, where, ())
    lessons = _tables(data, "lesson", where)
    clips = _tables(data, "clip", where)
    if not lessons and not clips:
        raise where.error("a course needs at least one [[lesson]] or [[clip]]")
    base = dict(media_dir=media_dir.resolve(), size=size, fps=fps, use_cache=use_cache)
    targets: list[CourseTarget] = []
    for i, entry in enumerate(lessons):
        targets += _lesson_targets(entry, i, path, where, defaults, base)
    for i, entry in enumerate(clips):
        targets += _clip_targets(entry, i, path, where, defaults, base)
    seen: dict[tuple[str, str, str], CourseTarget] = {}
    for t in targets:
        key = (t.slug, t.job.folder, t.job.fmt)
        if key in seen:
            raise LessonError(
                f"{filename}:{t.line}: {t.entry}: {t.name} is already made by "
                f"{seen[key].entry} (line {seen[key].line}): drop one of them"
            )
        seen[key] = t
    course = Course(path, title, tuple(targets), export)
    if export:
        have = course.export_targets()
        for t in targets:
            if t.slug not in have:
                raise LessonError(
                    f"{filename}:{t.line}: {t.entry}: export makes web bundles from MP4: "
                    'add "mp4" to its formats'
                )
    return course


# -- entries ---------------------------------------------------------------------------------
def _lesson_targets(
    entry: dict[str, Any],
    index: int,
    course: Path,
    where: _Lines,
    defaults: dict[str, Any],
    base: dict[str, Any],
) -> list[CourseTarget]:
    at: tuple[object, ...] = ("lesson", index)
    unknown_keys(entry, LESSON_ENTRY_KEYS, where, "key", *at)
    name = _text(entry, "file", where, *at)
    if not name:
        raise where.error("missing 'file': the lesson file, relative to the course file", *at)
    file = Path(name).expanduser()
    if not file.is_absolute():
        file = course.parent / file
    own = {**defaults, **_shared(entry, where, at)}
    specs: list[LessonSpec] = []
    try:
        if not file.is_file():
            raise LessonError(f"no such lesson file {file}")
        first = load_lesson(file)
        for lang in own["languages"] or [first.language]:
            specs.append(first if lang == first.language else load_lesson(file, lang))
    except LessonError as exc:
        raise where.error(str(exc), *at, "file") from None
    line = where.line(*at)
    return _jobs(specs, own, base, where, at, line, course.parent)


def _clip_targets(
    entry: dict[str, Any],
    index: int,
    course: Path,
    where: _Lines,
    defaults: dict[str, Any],
    base: dict[str, Any],
) -> list[CourseTarget]:
    from lessonkit.lesson.spec import clip_spec, parse_schedule

    at: tuple[object, ...] = ("clip", index)
    unknown_keys(entry, CLIP_ENTRY_KEYS, where, "key", *at)
    function = _text(entry, "function", where, *at)
    if not function:
        raise where.error("missing 'function': a name from `lessonkit list` or an expression", *at)
    points = _texts(entry, "at", where, at)
    nudges = entry.get("nudges")
    try:
        if isinstance(nudges, list):
            schedule = parse_schedule(_texts(entry, "nudges", where, at))
        elif isinstance(nudges, str | int | Decimal) and not isinstance(nudges, bool):
            schedule = parse_schedule(str(nudges))
        elif nudges is None:
            schedule = None
        else:
            raise LessonError(f'give nudges as "1,0.1" or [1, 0.1], got {_shown(nudges)}')
    except LessonError as exc:
        raise where.error(str(exc), *at, "nudges") from None
    own = {**defaults, **_shared(entry, where, at)}
    specs: list[ClipSpec] = []
    try:
        for lang in own["languages"] or [None]:
            specs.append(clip_spec(function, points or None, list(schedule or ()), lang))
    except LessonError as exc:
        raise where.error(str(exc), *at) from None
    return _jobs(specs, own, base, where, at, where.line(*at), course.parent)


def _jobs(
    specs: list[LessonSpec] | list[ClipSpec],
    own: dict[str, Any],
    base: dict[str, Any],
    where: _Lines,
    at: tuple[object, ...],
    line: int,
    folder: Path,
) -> list[CourseTarget]:
    """One target per spec (a language) x quality x format, with its voice (a folder of
    recordings named in the course is relative to the course file)."""
    from lessonkit.lesson.narration import VOICES, voice_for
    from lessonkit.render import RenderJob

    voice_name = own["voice"]
    if voice_name is not None and voice_name.strip() not in VOICES:
        path = folder / Path(voice_name.strip()).expanduser()
        if "/" in voice_name or voice_name.startswith(".") or path.is_dir():
            voice_name = str(path)  # else check_voice says: unknown voice, did you mean
    targets = []
    entry = f"{at[0]} {int(str(at[1])) + 1}"
    for spec in specs:
        try:
            voice = voice_for(spec, voice_name)
        except LessonError as exc:
            # the entry's own voice, else the course's
            said = (*at, "voice") if (*at, "voice") in where.lines else ("voice",)
            raise where.error(str(exc), *said) from None
        lang = spec.words.language
        label = spec.slug.removesuffix(f"-{lang.lower()}")
        for quality in own["qualities"]:
            for fmt in own["formats"]:
                job = RenderJob(spec, QUALITIES[quality], fmt=fmt, voice=voice, **base)
                name = f"{label} [{lang}] {job.folder} {fmt}"
                targets.append(CourseTarget(name, job, entry, line))
    return targets


# -- values ----------------------------------------------------------------------------------
def _shared(data: dict[str, Any], where: _Lines, at: tuple[object, ...]) -> dict[str, Any]:
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
            values = _texts(data, key, where, at, one_or_more=True)
            for v in values:
                if v not in choices:
                    close = difflib.get_close_matches(v, choices, n=1)
                    hint = f"did you mean {close[0]!r}? " if close else ""
                    raise where.error(
                        f"{hint}choose from {', '.join(choices)}, got {v!r}", *at, key
                    )
            out[key] = list(dict.fromkeys(values))
    if "languages" in data:
        langs = _texts(data, "languages", where, at, one_or_more=True)
        for lang in langs:
            if not is_language(lang):
                raise where.error(
                    f"a language code such as en or ko, got {lang!r}", *at, "languages"
                )
        out["languages"] = list(dict.fromkeys(langs))
    if "voice" in data:
        out["voice"] = _text(data, "voice", where, *at)
    return out


def _tables(data: dict[str, Any], key: str, where: _Lines) -> list[dict[str, Any]]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise where.error(f"write each one as a [[{key}]] table", key)
    return value


def _text(data: dict[str, Any], key: str, where: _Lines, *at: object) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise where.error(f"must be text in quotes, got {_shown(value)}", *at, key)
    return value


def _texts(
    data: dict[str, Any],
    key: str,
    where: _Lines,
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
            raise where.error(f"must be a list of texts or numbers, got {_shown(value)}", *at, key)
        out.append(str(item))
    if one_or_more and not out:
        raise where.error("give at least one", *at, key)
    return out


def _shown(value: object) -> str:
    """A value read from the file, spelled as in TOML; a table says so."""
    return "a table" if isinstance(value, dict) else toml_value(value)
