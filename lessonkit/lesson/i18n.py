"""Words in the lesson's language: gettext catalogues, read with Babel, one per language.

lessonkit writes its own words (default captions, chapter titles, card glue, page labels)
in English and marks each with `N_` so that extraction finds it. A language is one
catalogue, `lessonkit/locale/<lang>.po`: a translator edits it with any PO editor, never
Python. A lesson's own words (title, cards, caption overrides) are translated by a catalogue
beside the lesson file, `<lesson>.<lang>.po`. Two settings ride along in every catalogue as
messages of context "setting": the font family for the language's text and the Debian
package that installs it, so that adding a language is adding a file.

Babel is imported only when a language other than the source language is asked for, so
English renders and `lessonkit table` pay nothing for it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from lessonkit.base.errors import LessonError

__all__ = [
    "N_",
    "SOURCE_LANGUAGE",
    "is_language",
    "check_language",
    "LOCALE_DIR",
    "SETTING",
    "Catalogue",
    "Words",
    "ENGLISH",
    "builtin_languages",
    "builtin_words",
    "read_catalogue",
    "placeholders",
    "catalogue_problems",
    "language_name",
]

#: The language lessonkit's own words are written in (the msgids of every catalogue).
SOURCE_LANGUAGE = "en"
LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
#: msgctxt of the catalogue entries that are settings, not words shown to students
SETTING = "setting"
#: the settings a catalogue gives, with their values for the source language
DEFAULT_SETTINGS = {"font": "", "font package": "fonts-nanum", "espeak voice": ""}
_LANGUAGE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})?")
#: '{x}', '{=x}' and '{x.y}' in a template; '{{' and '}}' are literal braces
_PLACEHOLDER = re.compile(r"(?<!\{)\{(=?[A-Za-z_][A-Za-z0-9_.]*)\}(?!\})")


def N_(message: str) -> str:
    """Mark one of lessonkit's own messages for extraction; translated where it is used."""
    return message


def placeholders(text: str) -> list[str]:
    """The placeholders of a template, in order of appearance.

    >>> placeholders("Nudge a by {da}: Δf/Δa {=ratio} ({{not one}})")
    ['da', '=ratio']
    """
    return _PLACEHOLDER.findall(text.replace("{{", "\0\0").replace("}}", "\0\0"))


@dataclass(frozen=True)
class Catalogue:
    """A catalogue read from a .po file: its translations and where each message sits."""

    path: Path
    language: str
    messages: Mapping[str, str]  # msgid -> msgstr, translated entries only
    settings: Mapping[str, str]
    #: every entry: (msgid, msgstr, line, fuzzy), untranslated ones included
    entries: tuple[tuple[str, str, int, bool], ...] = ()


def read_catalogue(path: Path) -> Catalogue:
    """Read a .po file; one-line errors for a missing or broken file."""
    from babel.messages.pofile import PoFileError, read_po

    try:
        with open(path, "rb") as fh:
            cat = read_po(fh, abort_invalid=True)
    except FileNotFoundError:
        raise LessonError(f"no catalogue {path}") from None
    except (OSError, PoFileError, ValueError, UnicodeDecodeError) as exc:
        raise LessonError(f"{path}: not a readable PO catalogue: {_one_line(exc)}") from None
    messages: dict[str, str] = {}
    settings: dict[str, str] = {}
    entries = []
    for m in cat:
        if not m.id or not isinstance(m.id, str):
            continue
        text = m.string if isinstance(m.string, str) else ""
        line = m.lineno or 0
        if m.context == SETTING:
            if text and not m.fuzzy:
                settings[m.id] = text
            continue
        entries.append((m.id, text, line, bool(m.fuzzy)))
        if text and not m.fuzzy:
            messages[m.id] = text
    language = str(cat.locale) if cat.locale is not None else path.stem.rsplit(".", 1)[-1]
    return Catalogue(path, language, messages, settings, tuple(entries))


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:200]


@dataclass(frozen=True)
class Words:
    """Translations for one language: lessonkit's own and, on top, a lesson's.

    Calling it translates one message; a message without a translation stays as written
    (a catalogue check reports it, a render never fails over it).
    """

    language: str = SOURCE_LANGUAGE
    messages: tuple[tuple[str, str], ...] = ()
    font: str = ""  # font family for the language's text; "" keeps Typst's default
    font_package: str = DEFAULT_SETTINGS["font package"]
    settings: tuple[tuple[str, str], ...] = ()  # the catalogue's other settings
    _lookup: dict[str, str] = field(default_factory=dict, compare=False, repr=False, hash=False)

    def __post_init__(self) -> None:
        self._lookup.update(self.messages)

    def __call__(self, message: str) -> str:
        return self._lookup.get(message, message)

    def with_messages(self, extra: Mapping[str, str]) -> Words:
        """These words, with `extra` translations taking precedence (a lesson's catalogue)."""
        merged = dict(self.messages) | dict(extra)
        return Words(
            self.language,
            tuple(sorted(merged.items())),
            self.font,
            self.font_package,
            self.settings,
        )

    def setting(self, name: str) -> str:
        """A setting of the language's catalogue ('espeak voice'), "" when not given."""
        return dict(self.settings).get(name, "")

    @property
    def name(self) -> str:
        """The language's own name ('한국어', 'English'), for caption track labels."""
        return language_name(self.language)


ENGLISH = Words()


def builtin_languages() -> list[str]:
    """The languages lessonkit has a catalogue for, the source language first."""
    return [SOURCE_LANGUAGE] + sorted(p.stem for p in LOCALE_DIR.glob("*.po"))


def is_language(code: str) -> bool:
    """Whether `code` is a language code as lessonkit writes it: 'ko', 'pt-BR'."""
    return _LANGUAGE.fullmatch(code) is not None


def check_language(language: str) -> str:
    """A language code as lessonkit writes it ('ko', 'pt-BR'), or a one-line error."""
    if not is_language(language):
        raise LessonError(f"a language code such as en or ko, got {language!r}")
    return language


@cache
def builtin_words(language: str) -> Words:
    """lessonkit's own words in `language`; an error naming the languages it has."""
    check_language(language)
    if language == SOURCE_LANGUAGE:
        return ENGLISH
    path = LOCALE_DIR / f"{language}.po"
    if not path.exists():
        known = ", ".join(builtin_languages())
        raise LessonError(
            f"lessonkit has no catalogue for language {language!r} (it has {known}); "
            f"add lessonkit/locale/{language}.po (see docs/languages.md)"
        )
    cat = read_catalogue(path)
    return Words(
        language,
        tuple(sorted(cat.messages.items())),
        cat.settings.get("font", DEFAULT_SETTINGS["font"]),
        cat.settings.get("font package", DEFAULT_SETTINGS["font package"]),
        tuple(sorted(cat.settings.items())),
    )


@cache
def language_name(language: str) -> str:
    """A language's name in that language, from Babel's CLDR data ('ko' -> '한국어')."""
    if language == SOURCE_LANGUAGE:
        return "English"
    from babel import Locale, UnknownLocaleError

    try:
        locale = Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return language
    name = locale.get_display_name() or language
    return name[:1].upper() + name[1:]


def catalogue_problems(cat: Catalogue, expected: Iterable[str] | None = None) -> list[str]:
    """What keeps a catalogue from being complete, one line each ('file:line: ...').

    Every expected message must be present and translated (not empty, not fuzzy), and each
    translation must use exactly the placeholders of its message: a missing '{da}' would
    drop a number from a caption, an extra one would stop the render.
    """
    problems: list[str] = []
    seen = set()
    for msgid, msgstr, line, fuzzy in cat.entries:
        seen.add(msgid)
        where = f"{cat.path}:{line}"
        short = msgid if len(msgid) <= 50 else msgid[:47] + "..."
        if not msgstr:
            problems.append(f"{where}: no translation for {short!r}")
        elif fuzzy:
            problems.append(f"{where}: translation of {short!r} is marked fuzzy")
        elif sorted(placeholders(msgid)) != sorted(placeholders(msgstr)):
            want = ", ".join("{" + p + "}" for p in placeholders(msgid)) or "none"
            got = ", ".join("{" + p + "}" for p in placeholders(msgstr)) or "none"
            problems.append(
                f"{where}: placeholders of {short!r} differ: the message has {want}, "
                f"the translation {got}"
            )
    for msgid in expected or ():
        if msgid not in seen:
            short = msgid if len(msgid) <= 50 else msgid[:47] + "..."
            problems.append(f"{cat.path}: missing message {short!r} (run `lessonkit messages`)")
    return problems
