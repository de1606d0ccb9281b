"""Lesson files: a lesson written in TOML, read into a validated `LessonSpec`.

Every problem is reported as one line that names the file, the line, the part and the key,
and says what to do: `my-lesson.toml:14: part 3, points: log a is defined only for a > 0,
so a = 0 is outside its domain`. Unknown keys are errors with a did-you-mean, never ignored.
The file format is documented in docs/lesson-files.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lessonkit.base.errors import LessonError
from lessonkit.lesson.i18n import Catalogue, builtin_words, is_language, read_catalogue
from lessonkit.lesson.lesson_words import translate_words
from lessonkit.lesson.part_tables import NAME, read_nudges, read_part, slug_of
from lessonkit.lesson.spec import (
    LessonSpec,
    NudgePart,
    Part,
)
from lessonkit.lesson.tomlfile import (
    ErrorAt,
    Where,
    read_toml,
    toml_value,
    typed,
    unknown_keys,
)

__all__ = [
    "LESSON_KEYS",
    "load_lesson",
    "parse_lesson",
    "shipped_lesson_path",
    "is_lesson_path",
    "slug_of",
    "catalogue_path",
    "DEFAULT_DIGITS",
    "read_toml",
    "unknown_keys",
    "toml_value",
    "ErrorAt",
    "default_lesson",
    "retold",
]

#: significant digits shown for values that are not exact, unless a lesson says otherwise:
#: five, as the lecture writes them (f(2) ≈ 0.69315)
DEFAULT_DIGITS = 5

#: Keys a lesson file may use, with what each means (docs/lesson-files.md lists the same).
LESSON_KEYS = {
    "title": "the lesson's title, on the title card",
    "subtitle": "a line under the title (optional)",
    "language": "the lesson's language, e.g. en or ko (default en)",
    "captions": 'caption tracks an export writes, by language, e.g. ["en", "ko"]',
    "digits": "significant digits shown for values that are not exact (default 5)",
    "slug": "the file-safe name of the outputs (default: the file's name)",
    "caption": "the title card's caption template",
    "narration": "what the voice says over the title card (default: its caption)",
    "voice": "none, espeak, piper, or a folder of recordings named by step",
    "title_card": "false to start without a title card",
    "nudges": "the default shrinking nudges of every part",
    "part": "the parts, in order: [[part]] tables",
}


def shipped_lesson_path() -> Path:
    """lessons/more-derivative-examples.toml, the lesson lessonkit ships."""
    return Path(__file__).resolve().parents[2] / "lessons" / "more-derivative-examples.toml"


def default_lesson() -> LessonSpec:
    """The shipped lesson, read from lessons/more-derivative-examples.toml."""
    return load_lesson(shipped_lesson_path())


def retold(lesson: LessonSpec, language: str) -> LessonSpec:
    """The same lesson in another language (read again with that language's words)."""
    if language == lesson.language:
        return lesson
    if not lesson.path:
        raise LessonError(f"this lesson has no file to find its {language!r} words beside")
    return load_lesson(lesson.path, language)


def is_lesson_path(text: str) -> bool:
    """True when a command-line argument names a lesson file rather than a function."""
    return text.lower().endswith(".toml")


def catalogue_path(lesson: str | Path, language: str) -> Path:
    """Where a lesson's translation into `language` lives: beside it, '<name>.<lang>.po'."""
    p = Path(lesson)
    return p.with_name(f"{p.stem}.{language}.po")


def load_lesson(path: str | Path, language: str | None = None) -> LessonSpec:
    """Read and validate a lesson file, in its own language or in `language`.

    The lesson's words are translated by the catalogue beside the file
    (`catalogue_path`), lessonkit's own words by its catalogue for the language.
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LessonError(f"{p}: no such lesson file (`lessonkit new {p}` writes one)") from None
    except UnicodeDecodeError:
        raise LessonError(f"{p}: not UTF-8 text; save the lesson file as UTF-8") from None
    except OSError as exc:
        raise LessonError(f"{p}: cannot read: {exc.strerror or exc}") from None

    def find(lang: str) -> Catalogue | None:
        po = catalogue_path(p, lang)
        return read_catalogue(po) if po.exists() else None

    return parse_lesson(text, str(p), slug_of(p.stem), language, find)


def parse_lesson(
    text: str,
    filename: str = "<lesson>",
    slug: str = "lesson",
    language: str | None = None,
    find_catalogue: Callable[[str], Catalogue | None] | None = None,
) -> LessonSpec:
    """Validate the text of a lesson file and build its spec, in `language` if given
    (else the file's own); `find_catalogue` supplies the lesson's catalogue for a language."""
    data = read_toml(text, filename)
    where = Where(text, filename)
    unknown_keys(data, LESSON_KEYS, where, "top-level key")
    own = typed(data, "language", str, where) or "en"
    if not is_language(own):
        raise where.error(f"a language code such as en or ko, got {own!r}", "language")
    lang = language or own
    if not is_language(lang):
        raise LessonError(f"--lang: a language code such as en or ko, got {lang!r}")
    catalogue = find_catalogue(lang) if find_catalogue is not None else None
    if catalogue is None and lang != own:
        raise LessonError(
            f"{filename} is written in {own!r} and has no catalogue for {lang!r}: "
            f"write one with `lessonkit messages {filename} --lang {lang}`"
        )
    where.words = builtin_words(lang)
    if catalogue is not None:
        where.words = where.words.with_messages(catalogue.messages)
        data = translate_words(data, lambda s: catalogue.messages.get(s, s))
    tracks = _caption_languages(data, where, lang, own, find_catalogue)
    title = typed(data, "title", str, where, required=True)
    if title is None or not title.strip():
        raise where.error("give the lesson a title", "title")
    subtitle = typed(data, "subtitle", str, where)
    digits = typed(data, "digits", int, where)
    digits = DEFAULT_DIGITS if digits is None else digits
    if not 1 <= digits <= 30:
        raise where.error(f"digits must be between 1 and 30, got {digits}", "digits")
    file_slug = typed(data, "slug", str, where)
    if file_slug is not None and not NAME.match(file_slug):
        raise where.error(
            f"a slug is lower-case letters, digits and '-', at most 40, got {file_slug!r}", "slug"
        )
    caption = typed(data, "caption", str, where)
    narration = typed(data, "narration", str, where)
    voice = typed(data, "voice", str, where)
    if voice is not None:
        from lessonkit.lesson.narration import check_voice

        try:
            check_voice(voice)
        except LessonError as exc:
            raise where.error(str(exc), "voice") from None
    title_card = typed(data, "title_card", bool, where)
    default_nudges = read_nudges(data.get("nudges"), where, ("nudges",))
    raw_parts = data.get("part")
    if raw_parts is None:
        raise where.error("a lesson needs parts: add a [[part]] table with a function", "part")
    if not isinstance(raw_parts, list) or not all(isinstance(p, dict) for p in raw_parts):
        raise where.error("write the parts as [[part]] tables", "part")
    parts: list[Part] = []
    names: set[str] = {"title"}
    for i, raw in enumerate(raw_parts):
        part = read_part(raw, i, where, {"nudges": default_nudges}, parts, names, digits)
        names.add(part.name)
        parts.append(part)
    lesson = LessonSpec(
        title=title,
        parts=tuple(parts),
        slug=(file_slug or slug) + ("" if lang == own else f"-{lang}"),
        subtitle=subtitle,
        language=lang,
        words=where.words,
        caption_languages=tracks,
        path=filename if find_catalogue is not None else "",
        digits=digits,
        caption=caption,
        narration=narration,
        voice=voice,
        title_card=True if title_card is None else title_card,
        source=text,
    )
    _check_words(lesson, where)
    return lesson


def _caption_languages(
    data: dict[str, Any],
    where: Where,
    lang: str,
    own: str,
    find_catalogue: Callable[[str], Catalogue | None] | None,
) -> tuple[str, ...]:
    """The caption tracks an export writes: the lesson's language first, then the others
    of `captions = [...]`, each one the lesson can be told in."""
    raw = data.get("captions")
    if raw is None:
        return (lang,)
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw) or not raw:
        raise where.error('list caption languages, e.g. captions = ["en", "ko"]', "captions")
    out = [lang]
    for code in raw:
        if not is_language(code):
            raise where.error(f"a language code such as en or ko, got {code!r}", "captions")
        if code in out:
            continue
        if code != own and (find_catalogue is None or find_catalogue(code) is None):
            raise where.error(
                f"no catalogue for {code!r} beside the lesson: write one with "
                f"`lessonkit messages {where.filename} --lang {code}`",
                "captions",
            )
        builtin_words(code)  # lessonkit itself must speak it too
        out.append(code)
    return tuple(out)


def _check_words(lesson: LessonSpec, where: Where) -> None:
    """Fill every caption once, so a bad placeholder is reported with its line."""
    from lessonkit.lesson.storyboard import lesson_steps

    try:
        lesson_steps(lesson)
    except LessonError as exc:
        msg = str(exc)
        m = re.match(r"part '([^']+)', (captions\.|narration\.)?([^:]*): (.*)", msg)
        if m:
            index = next(i for i, p in enumerate(lesson.parts) if p.name == m.group(1))
            part = lesson.parts[index]
            step = m.group(3)
            key: tuple[object, ...]
            if m.group(2) and isinstance(part, NudgePart):
                table = m.group(2).rstrip(".")
                own = dict(part.captions if table == "captions" else part.narration)
                kind = step.split("-")[0]
                key = (table, step if step in own else kind)
            else:
                key = (step,) if step in ("caption", "narration") else ("caption",)
            raise where.error(m.group(4), "part", index, *key) from None
        for top in ("caption", "narration"):
            if msg.startswith(f"{top}: "):
                raise where.error(msg.removeprefix(f"{top}: "), top) from None
        raise
