"""Lesson files: a lesson written in TOML, read into a validated `LessonSpec`.

Every problem is reported as one line that names the file, the line, the part and the key,
and says what to do: `my-lesson.toml:14: part 3, points: log a is defined only for a > 0,
so a = 0 is outside its domain`. Unknown keys are errors with a did-you-mean, never ignored.
The file format is documented in the README ("Write your own lesson").
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, Protocol, TypeVar, cast

from lessonkit.base.errors import LessonError
from lessonkit.lesson.i18n import Catalogue, Words, builtin_words, is_language, read_catalogue
from lessonkit.lesson.lesson_words import translate_words
from lessonkit.lesson.spec import (
    DEFAULT_RULES_HEADING,
    CardPart,
    ClipSpec,
    LessonSpec,
    NudgePart,
    Part,
)
from lessonkit.maths.functions import Function, get_function
from lessonkit.maths.nudge import DEFAULT_SCHEDULE, check_nudge, check_point
from lessonkit.maths.numbers import parse_number

__all__ = [
    "LESSON_KEYS",
    "NUDGE_KEYS",
    "CARD_KEYS",
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
]

#: significant digits shown for values that are not exact, unless a lesson says otherwise:
#: five, as the lecture writes them (f(2) ≈ 0.69315)
DEFAULT_DIGITS = 5

#: Keys a lesson file may use, with what each means (the README lists the same).
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
NUDGE_KEYS = {
    "function": "a registry name or an expression in a",
    "points": "the points to visit, in order",
    "nudges": "the shrinking nudges at the first point",
    "name": "the section-name prefix of the part's steps",
    "label": "the chapter head of the part",
    "captions": "caption templates by step kind or step name",
    "narration": "what the voice says, by step kind or step name (default: the caption)",
    "in_rules": "false to leave the part off the next rules card",
}
CARD_KEYS = {
    "card": '"rules" or "text"',
    "name": "the card's section name",
    "label": "the card's chapter title",
    "heading": "the card's heading",
    "lines": "a text card's lines",
    "numbered": "false to show a text card's lines without 1. 2. ...",
    "caption": "the card's caption template",
    "narration": "what the voice says over the card (default: its caption)",
    "duration": "seconds on screen",
}

#: A key at the start of a line: bare, "quoted" or 'literal' pieces joined by dots.
_KEY_PIECE = re.compile(r'"([^"]*)"|\'([^\']*)\'|([A-Za-z0-9_-]+)')
_KEY = re.compile(
    r"""^\s*((?:"[^"]*"|'[^']*'|[A-Za-z0-9_-]+)(?:\s*\.\s*(?:"[^"]*"|'[^']*'|[A-Za-z0-9_-]+))*)\s*="""
)
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
T = TypeVar("T")


def shipped_lesson_path() -> Path:
    """lessons/more-derivative-examples.toml, the lesson lessonkit ships."""
    return Path(__file__).resolve().parents[2] / "lessons" / "more-derivative-examples.toml"


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


def slug_of(stem: str) -> str:
    """A file-safe name from a file name: 'My Lesson (v2)' -> 'my-lesson-v2'."""
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")[:60].strip("-")
    return slug or "lesson"


class _Where:
    """Line numbers of a lesson file's keys, found by reading its lines."""

    def __init__(self, text: str, filename: str) -> None:
        self.filename = filename
        self.words: Words = builtin_words("en")  # lessonkit's words in the lesson's language
        self.lines: dict[tuple[object, ...], int] = {}
        table: tuple[object, ...] = ()
        parts = -1
        for number, raw in enumerate(text.splitlines(), start=1):
            line = raw.strip()
            if line.startswith("[[") and line.split("#")[0].strip() == "[[part]]":
                parts += 1
                table = ("part", parts)
                self.lines.setdefault(table, number)
            elif line.startswith("[") and not line.startswith("[["):
                name = line.split("]")[0].strip("[ ").replace('"', "")
                keys = tuple(k.strip() for k in name.split("."))
                table = ("part", parts, *keys[1:]) if keys[0] == "part" else keys
                self.lines.setdefault(table, number)
            else:
                m = _KEY.match(raw)
                if m:
                    # a dotted key (captions."slope-a2" = ...) is a path into the table
                    dotted: tuple[str, ...] = tuple(
                        "".join(piece) for piece in _KEY_PIECE.findall(m.group(1))
                    )
                    for n in range(1, len(dotted) + 1):
                        self.lines.setdefault((*table, *dotted[:n]), number)

    def line(self, *path: object) -> int:
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return 1

    def error(self, message: str, *path: object) -> LessonError:
        """'file:line: part 3, points: message'."""
        where = ""
        if len(path) > 1 and path[0] == "part":
            where = f"part {int(str(path[1])) + 1}"
            keys = [str(k) for k in path[2:]]
            if keys:
                where += ", " + ".".join(keys)
            where += ": "
        elif path:
            where = ".".join(str(k) for k in path) + ": "
        return LessonError(f"{self.filename}:{self.line(*path)}: {where}{message}")


def read_toml(text: str, filename: str) -> dict[str, Any]:
    """The TOML `text` of `filename` (decimals kept exact), or one LessonError line saying
    where it is not valid: 'lesson.toml:3: not valid TOML: ...'."""
    try:
        return tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = re.search(r"\(at line (\d+), column (\d+)\)", msg)
        # "at end of document": the last line
        line = m.group(1) if m else str(max(1, len(text.splitlines())))
        msg = re.sub(r"\s*\(at line \d+, column \d+\)", "", msg)
        msg = re.sub(r"\s*\(at end of document\)", " at the end of the file", msg)
        raise LessonError(f"{filename}:{line}: not valid TOML: {msg}") from None


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
    where = _Where(text, filename)
    unknown_keys(data, LESSON_KEYS, where, "top-level key")
    own = _typed(data, "language", str, where) or "en"
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
    title = _typed(data, "title", str, where, required=True)
    if title is None or not title.strip():
        raise where.error("give the lesson a title", "title")
    subtitle = _typed(data, "subtitle", str, where)
    digits = _typed(data, "digits", int, where)
    digits = DEFAULT_DIGITS if digits is None else digits
    if not 1 <= digits <= 30:
        raise where.error(f"digits must be between 1 and 30, got {digits}", "digits")
    file_slug = _typed(data, "slug", str, where)
    if file_slug is not None and not _NAME.match(file_slug):
        raise where.error(
            f"a slug is lower-case letters, digits and '-', at most 40, got {file_slug!r}", "slug"
        )
    caption = _typed(data, "caption", str, where)
    narration = _typed(data, "narration", str, where)
    voice = _typed(data, "voice", str, where)
    if voice is not None:
        from lessonkit.lesson.narration import check_voice

        try:
            check_voice(voice)
        except LessonError as exc:
            raise where.error(str(exc), "voice") from None
    title_card = _typed(data, "title_card", bool, where)
    default_nudges = _nudges(data.get("nudges"), where, ("nudges",))
    raw_parts = data.get("part")
    if raw_parts is None:
        raise where.error("a lesson needs parts: add a [[part]] table with a function", "part")
    if not isinstance(raw_parts, list) or not all(isinstance(p, dict) for p in raw_parts):
        raise where.error("write the parts as [[part]] tables", "part")
    parts: list[Part] = []
    names: set[str] = {"title"}
    for i, raw in enumerate(raw_parts):
        part = _part(raw, i, where, default_nudges, parts, names, digits)
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
    where: _Where,
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


def _check_words(lesson: LessonSpec, where: _Where) -> None:
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


class ErrorAt(Protocol):
    """What finds a key's line: `error(message, *path)` gives 'file:line: key: message'."""

    def error(self, message: str, *path: object) -> LessonError: ...


def unknown_keys(
    data: dict[str, Any], known: dict[str, str], where: ErrorAt, what: str, *path: object
) -> None:
    """Refuse a key not in `known`, naming the closest known one (a typo) or all of them."""
    for key in data:
        if key not in known:
            close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
            hint = f"did you mean {close[0]!r}?" if close else "known keys: " + ", ".join(known)
            raise where.error(f"unknown {what} {key!r}; {hint}", *path, key)


def _typed(
    data: dict[str, Any],
    key: str,
    kind: type[T],
    where: _Where,
    *path: object,
    required: bool = False,
) -> T | None:
    value = data.get(key)
    if value is None:
        if required:
            raise where.error(f"missing {key!r}", *path, key)
        return None
    ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
    if not ok:
        names = {str: "text in quotes", int: "a whole number", bool: "true or false"}
        wanted = names.get(kind, kind.__name__)
        raise where.error(f"must be {wanted}, got {toml_value(value)}", *path, key)
    return cast(T, value)


def toml_value(value: object) -> str:
    """A value read from the file, spelled as in TOML (2.5, true, [1, 2]), strings quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return repr(value)


def _number(value: object, what: str) -> Fraction:
    if isinstance(value, bool):
        raise LessonError(f"{what} must be a number, got {toml_value(value)}")
    if isinstance(value, int):
        return parse_number(str(value), what)
    if isinstance(value, Decimal):
        return parse_number(str(value), what)
    if isinstance(value, str):
        return parse_number(value, what)
    raise LessonError(f"{what} must be a number such as 2 or 0.001, got {toml_value(value)}")


def _numbers(
    value: object,
    where: _Where,
    path: tuple[object, ...],
    what: str,
    check: Callable[[Fraction], None],
) -> tuple[Fraction, ...]:
    if not isinstance(value, list) or not value:
        raise where.error(f"give a list of numbers, e.g. [2, 5], got {toml_value(value)}", *path)
    out = []
    for item in value:
        try:
            q = _number(item, what)
            check(q)
        except LessonError as exc:
            raise where.error(str(exc), *path) from None
        out.append(q)
    if len(set(out)) != len(out):
        raise where.error(f"each {what} may appear only once", *path)
    return tuple(out)


def _nudges(value: object, where: _Where, path: tuple[object, ...]) -> tuple[Fraction, ...] | None:
    if value is None:
        return None
    schedule = _numbers(value, where, path, "nudge", check_nudge)
    if any(b >= a for a, b in zip(schedule, schedule[1:], strict=False)):
        raise where.error("nudges must shrink: list them from largest to smallest", *path)
    return schedule


def _part(
    raw: dict[str, Any],
    i: int,
    where: _Where,
    default_nudges: tuple[Fraction, ...] | None,
    before: list[Part],
    names: set[str],
    digits: int,
) -> Part:
    at = ("part", i)
    if "card" in raw:
        return _card(raw, i, where, before, names)
    if "function" not in raw:
        raise where.error('a part needs a function (a nudge part) or card = "rules"/"text"', *at)
    unknown_keys(raw, NUDGE_KEYS, where, "key", *at)
    text = _typed(raw, "function", str, where, *at)
    assert text is not None
    try:
        fn = get_function(text)
    except LessonError as exc:
        raise where.error(str(exc), *at, "function") from None
    points = (
        fn.points
        if raw.get("points") is None
        else _numbers(raw["points"], where, (*at, "points"), "point", lambda a: check_point(fn, a))
    )
    schedule = _nudges(raw.get("nudges"), where, (*at, "nudges")) or default_nudges
    try:
        clip = ClipSpec(fn, points, schedule or DEFAULT_SCHEDULE, digits, where.words)
    except LessonError as exc:
        key = "nudges" if "nudges" in raw and "Δa" in str(exc) else "points"
        raise where.error(str(exc), *at, key) from None
    name = _name(raw, slug_of(fn.source)[:24].strip("-"), where, at, names)
    label = _typed(raw, "label", str, where, *at) or fn.formula
    captions = _templates(raw, "captions", "caption", clip, where, at)
    narration = _templates(raw, "narration", "narration", clip, where, at)
    in_rules = _typed(raw, "in_rules", bool, where, *at)
    return NudgePart(
        clip,
        name,
        label,
        captions,
        True if in_rules is None else in_rules,
        where.line(*at),
        narration,
    )


def _templates(
    raw: dict[str, Any], key: str, what: str, clip: ClipSpec, where: _Where, at: tuple[object, ...]
) -> tuple[tuple[str, str], ...]:
    """A part's [part.captions] or [part.narration]: templates by step kind or step name."""
    table = raw.get(key, {})
    if not isinstance(table, dict):
        raise where.error(f"write {key} as a table: [part.{key}]", *at, key)
    from lessonkit.lesson.storyboard import CLIP_KINDS

    known = [*CLIP_KINDS, *_step_names(clip)]
    for name, value in table.items():
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
            hint = (
                f"did you mean {close[0]!r}?"
                if close
                else "use a step kind: " + ", ".join(CLIP_KINDS)
            )
            raise where.error(f"no step {name!r} in this part; {hint}", *at, key, name)
        if not isinstance(value, str):
            got = toml_value(value)
            raise where.error(f"a {what} is text in quotes, got {got}", *at, key, name)
    return tuple(table.items())


def _step_names(clip: ClipSpec) -> list[str]:
    from lessonkit.lesson.storyboard import clip_steps

    return [s.name for s in clip_steps(clip)]


def _name(
    raw: dict[str, Any], default: str, where: _Where, at: tuple[object, ...], names: set[str]
) -> str:
    name = _typed(raw, "name", str, where, *at)
    if name is not None:
        if not _NAME.match(name):
            raise where.error(
                f"a name is lower-case letters, digits and '-', at most 40, got {name!r}",
                *at,
                "name",
            )
        if name in names:
            raise where.error(f"another part is already named {name!r}", *at, "name")
        return name
    base = default[:40].strip("-") or "part"
    name, n = base, 2
    while name in names:
        name, n = f"{base}-{n}", n + 1
    return name


def _card(
    raw: dict[str, Any], i: int, where: _Where, before: list[Part], names: set[str]
) -> CardPart:
    at = ("part", i)
    unknown_keys(raw, CARD_KEYS, where, "key of a card", *at)
    kind = _typed(raw, "card", str, where, *at)
    if kind not in ("rules", "text"):
        raise where.error(f'card must be "rules" or "text", got {kind!r}', *at, "card")
    name = _name(raw, kind if kind == "rules" else "text", where, at, names)
    heading = _typed(raw, "heading", str, where, *at)
    caption = _typed(raw, "caption", str, where, *at)
    narration = _typed(raw, "narration", str, where, *at)
    numbered = _typed(raw, "numbered", bool, where, *at)
    duration_raw = raw.get("duration")
    duration = None
    if duration_raw is not None:
        try:
            d = _number(duration_raw, "duration")
        except LessonError as exc:
            raise where.error(str(exc), *at, "duration") from None
        if not 1 <= d <= 120:
            raise where.error("a card stays between 1 and 120 seconds", *at, "duration")
        duration = float(d)
    if kind == "rules":
        if "lines" in raw:
            raise where.error("a rules card lists the rules itself: drop lines", *at, "lines")
        shown: list[NudgePart] = []
        for p in reversed(before):
            if isinstance(p, CardPart) and p.card == "rules":
                break
            if isinstance(p, NudgePart) and p.in_rules:
                shown.insert(0, p)
        if not shown:
            raise where.error("a rules card needs nudge parts before it to list", *at, "card")
        seen: list[Function] = []
        for p in shown:
            if p.clip.function not in seen:
                seen.append(p.clip.function)
        rules = tuple(
            (f.formula, f.derivative_formula, f.formula_typst, f.derivative_typst) for f in seen
        )
        heading = heading if heading is not None else where.words(DEFAULT_RULES_HEADING)
        label = _typed(raw, "label", str, where, *at) or heading
        card = CardPart(
            "rules",
            name,
            label,
            heading,
            (),
            True,
            caption,
            duration,
            rules,
            where.line(*at),
            narration,
        )
        return _long_enough(card, where, at)
    lines = raw.get("lines")
    if not isinstance(lines, list) or not lines or not all(isinstance(x, str) for x in lines):
        raise where.error('a text card needs lines = ["...", "..."]', *at, "lines")
    if any(not x.strip() for x in lines):
        raise where.error("a line of a text card is empty", *at, "lines")
    heading = heading or ""
    label = _typed(raw, "label", str, where, *at) or heading or lines[0][:40]
    card = CardPart(
        "text",
        name,
        label,
        heading,
        tuple(lines),
        True if numbered is None else numbered,
        caption,
        duration,
        (),
        where.line(*at),
        narration,
    )
    return _long_enough(card, where, at)


def _long_enough(card: CardPart, where: _Where, at: tuple[object, ...]) -> CardPart:
    """Refuse a duration shorter than what the card plays (caught here, not mid-render)."""
    from lessonkit.lesson.storyboard import card_play_time

    need = card_play_time(card)
    if card.duration is not None and card.duration < need:
        raise where.error(
            f"this card plays for {need:g} s: give it at least that long", *at, "duration"
        )
    return card
