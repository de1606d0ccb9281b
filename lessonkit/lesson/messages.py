"""Catalogue upkeep: extract the messages to translate, update .po files, check them.

Two kinds of catalogue, both gettext .po files handled with Babel:
- lessonkit's own, `lessonkit/locale/<lang>.po`: the messages marked `N_(...)` in lessonkit's
  code (found by Babel's Python extractor), plus the language's font settings;
- a lesson's, `<lesson>.<lang>.po` beside the lesson file: the lesson's words
  (`lessonkit.lesson.lesson_words`), each located by its line in the lesson file.

Updating keeps every translation whose message still exists, adds new messages untranslated
and drops the ones no longer used, so a translator only ever sees what needs doing.
"""

from __future__ import annotations

import io
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from lessonkit import __version__
from lessonkit.base.errors import LessonError
from lessonkit.base.fsutil import write_bytes
from lessonkit.lesson.i18n import (
    DEFAULT_SETTINGS,
    LOCALE_DIR,
    SETTING,
    Catalogue,
    catalogue_problems,
    check_language,
    read_catalogue,
)
from lessonkit.lesson.lesson_words import lesson_words

__all__ = [
    "Message",
    "Update",
    "builtin_messages",
    "lesson_messages",
    "update_catalogue",
    "check_catalogue",
    "builtin_catalogue_path",
]

#: where lessonkit's own messages are written: the package and the scenes that play it
_SOURCES = (LOCALE_DIR.parent, LOCALE_DIR.parent.parent / "scenes")


@dataclass(frozen=True)
class Message:
    """A message to translate, with where it is used and a note for the translator."""

    id: str
    locations: tuple[tuple[str, int], ...]
    note: str = ""


@dataclass(frozen=True)
class Update:
    """What updating a catalogue did."""

    path: Path
    added: int
    kept: int
    dropped: int
    untranslated: int


def builtin_catalogue_path(language: str) -> Path:
    return LOCALE_DIR / f"{check_language(language)}.po"


def builtin_messages() -> list[Message]:
    """lessonkit's own messages: every `N_("...")` in its code, in file order."""
    from babel.messages.extract import extract_from_dir

    found: dict[str, list[tuple[str, int]]] = {}
    for folder in _SOURCES:
        if not folder.is_dir():
            continue  # an installed lessonkit without its scenes folder
        for filename, line, message, _comments, _context in extract_from_dir(
            str(folder), method_map=[("**.py", "python")], keywords={"N_": None}
        ):
            if isinstance(message, str) and message:
                found.setdefault(message, []).append((f"{folder.name}/{filename}", line))
    return [Message(m, tuple(locs), _note(m)) for m, locs in found.items()]


def _note(message: str) -> str:
    """What a translator needs to know about a message's placeholders."""
    from lessonkit.lesson.i18n import placeholders

    names = placeholders(message)
    if not names:
        return ""
    return (
        "Keep every {name} as it is (numbers and formulas go there); {=x} puts '= x' or "
        "'≈ x' in. Reorder them as the sentence needs."
    )


def lesson_messages(path: Path) -> list[Message]:
    """A lesson file's words, each with the line it is written on."""
    from lessonkit.lesson.tomlfile import Where

    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text, parse_float=Decimal)
    except FileNotFoundError:
        raise LessonError(f"{path}: no such lesson file") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise LessonError(f"{path}: cannot read it (run `lessonkit check {path}`): {exc}") from None
    where = Where(text, str(path))
    found: dict[str, list[tuple[str, int]]] = {}
    for key_path, word in lesson_words(data):
        if word.strip():
            found.setdefault(word, []).append((path.name, where.line(*key_path)))
    return [Message(m, tuple(locs), _note(m)) for m, locs in found.items()]


def update_catalogue(
    po: Path, language: str, messages: Iterable[Message], settings: bool = False
) -> Update:
    """Create or update the catalogue `po` for `language` so that it holds exactly
    `messages` (and, with `settings`, the font settings); written atomically."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    check_language(language)
    messages = list(messages)
    old = read_catalogue(po) if po.exists() else None
    cat = Catalog(
        locale=language.replace("-", "_"),
        project="lessonkit",
        version=__version__,
        charset="utf-8",
        fuzzy=False,
    )
    kept = 0
    if settings:
        for key, default in DEFAULT_SETTINGS.items():
            value = old.settings.get(key, default) if old is not None else default
            cat.add(
                key,
                value if value or key != "font" else "",
                context=SETTING,
                auto_comments=[_SETTING_NOTES[key]],
            )
    for m in messages:
        string = old.messages.get(m.id, "") if old is not None else ""
        kept += bool(string)
        cat.add(
            m.id,
            string,
            locations=list(m.locations),
            auto_comments=[m.note] if m.note else [],
        )
    out = io.BytesIO()
    write_po(out, cat, width=96, omit_header=False, sort_output=False, include_previous=False)
    write_bytes(po, out.getvalue())
    old_ids = {e[0] for e in old.entries} if old is not None else set()
    new_ids = {m.id for m in messages}
    return Update(
        po,
        added=len(new_ids - old_ids),
        kept=kept,
        dropped=len(old_ids - new_ids),
        untranslated=len(messages) - kept,
    )


_SETTING_NOTES = {
    "font": "The font family for this language's text on screen (e.g. NanumGothic); "
    "empty keeps Typst's default font.",
    "font package": "The Debian package that installs that font (named in the error when "
    "the font is missing).",
    "espeak voice": "espeak-ng's voice for this language (espeak-ng --voices lists them), for "
    "the scratch narration; empty: the language code.",
}


def check_catalogue(po: Path, messages: Iterable[Message], settings: bool = False) -> list[str]:
    """Every problem of a catalogue against the messages it must translate, one line each."""
    cat: Catalogue = read_catalogue(po)
    problems = catalogue_problems(cat, [m.id for m in messages])
    if settings and not cat.settings.get("font"):
        problems.append(f"{po}: give the font for {cat.language!r} (msgctxt \"setting\", \"font\")")
    return problems
