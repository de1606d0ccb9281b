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

from dataclasses import dataclass
from pathlib import Path

from lessonkit.base.errors import LessonError
from lessonkit.batch.course_entries import CourseTarget, clip_targets, lesson_targets
from lessonkit.batch.course_keys import (
    CLIP_ENTRY_KEYS,
    COURSE_FORMATS,
    COURSE_KEYS,
    LESSON_ENTRY_KEYS,
    CourseLines,
    entry_tables,
    shared_keys,
    shown,
    text_of,
)
from lessonkit.lesson.lessonfile import read_toml, unknown_keys

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
    where = CourseLines(text, filename)
    unknown_keys(data, COURSE_KEYS, where, "top-level key")
    title = text_of(data, "title", where) or path.stem
    export = data.get("export", False)
    if not isinstance(export, bool):
        raise where.error(f"must be true or false, got {shown(export)}", "export")
    size_text = text_of(data, "size", where)
    try:
        size = parse_size(size_text)
    except LessonError as exc:
        raise where.error(str(exc).replace("--size ", ""), "size") from None
    fps = data.get("fps")
    if fps is not None and (
        isinstance(fps, bool) or not isinstance(fps, int) or not 1 <= fps <= 120
    ):
        raise where.error(f"a whole number of frames per second, 1 to 120, got {shown(fps)}", "fps")
    defaults = shared_keys(data, where, ())
    lessons = entry_tables(data, "lesson", where)
    clips = entry_tables(data, "clip", where)
    if not lessons and not clips:
        raise where.error("a course needs at least one [[lesson]] or [[clip]]")
    base = dict(media_dir=media_dir.resolve(), size=size, fps=fps, use_cache=use_cache)
    targets: list[CourseTarget] = []
    for i, entry in enumerate(lessons):
        targets += lesson_targets(entry, i, path, where, defaults, base)
    for i, entry in enumerate(clips):
        targets += clip_targets(entry, i, path, where, defaults, base)
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
