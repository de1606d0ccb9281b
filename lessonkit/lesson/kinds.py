"""The registry of part kinds: the one seam through which the core reaches a kind of part.

A kind is found through the `lessonkit.parts` entry-point group (as Manim and pytest find
plug-ins), so a course team can ship one in its own package:

    [project.entry-points."lessonkit.parts"]
    toy = "toykind:KIND"

A `[[part]]` table belongs to the kind whose `marker` key it holds. The core asks a kind to
check and read its table (`check_keys`, `read`), to tell its steps (`steps`), to draw a
step (`draw`, the only method that may import Manim), to title a step's chapter
(`chapter_title`) and to print its `lessonkit table` (`table`). lessonkit's own kinds,
nudge and card, are registered the same way (`lessonkit/parts/`).
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, TypeVar

from lessonkit.base.errors import LessonError
from lessonkit.lesson.i18n import Words
from lessonkit.lesson.tomlfile import Where, typed, unknown_keys

__all__ = [
    "GROUP",
    "PartKind",
    "PartTable",
    "registered_kinds",
    "kind_named",
    "kind_of_table",
    "markers",
    "check_keys",
]

#: the entry-point group kinds register in
GROUP = "lessonkit.parts"
T = TypeVar("T")


@dataclass(frozen=True)
class PartTable:
    """One `[[part]]` table handed to its kind: the raw values, where they are, and the
    lesson's words, digits and chosen section name."""

    raw: dict[str, Any]
    index: int
    where: Where
    name: str  # the part's section name: its `name` key, or a unique default
    words: Words
    digits: int
    #: the parts read before this one, in the file's order (a rules card lists them)
    before: tuple[Any, ...] = ()
    #: lesson-wide settings a kind may use, e.g. "nudges" (the lesson's default schedule)
    defaults: Mapping[str, Any] = field(default_factory=dict)

    def error(self, message: str, *keys: object) -> LessonError:
        """'file:line: part 3, key: message'."""
        return self.where.error(message, "part", self.index, *keys)

    def value(self, key: str, kind: type[T], required: bool = False) -> T | None:
        """A key's value, checked to be of `kind` (text, a whole number, true/false)."""
        return typed(self.raw, key, kind, self.where, "part", self.index, required=required)

    @property
    def line(self) -> int:
        return self.where.line("part", self.index)


class PartKind:
    """What a kind of part declares. Subclass it, fill in the names and override the
    methods; a kind's module is imported without Manim (draw imports it when called)."""

    #: the kind's name, e.g. "nudge"
    name: str = ""
    #: the key that makes a [[part]] table one of this kind, e.g. "function"
    marker: str = ""
    #: every key a part of this kind may use, with what it means
    keys: Mapping[str, str] = {}
    #: how 'a part needs ...' names this kind's marker, e.g. 'a function (a nudge part)'
    wanted: str = ""
    #: where the kind comes in 'a part needs ...' and in listings (lessonkit's own first)
    order: int = 100

    def default_name(self, raw: Mapping[str, Any]) -> str:
        """The part's section name when the table gives none (made unique by the core)."""
        return self.name

    def check_keys(self, table: PartTable) -> None:
        """Refuse a key the kind does not know, with a did-you-mean."""
        check_keys(table, self)

    def read(self, table: PartTable) -> Any:
        """Check the table and build the part: an object with `kind`, `name`, `label` and
        `line` attributes (a frozen dataclass)."""
        raise NotImplementedError

    def steps(self, part: Any, lesson: Any) -> list[Any]:
        """The part's steps (`lessonkit.lesson.storyboard.Step`, `part_kind` set to this
        kind's name) in `lesson` (a LessonSpec); typed loosely, as the storyboard imports this."""
        raise NotImplementedError

    def draw(self, director: Any, step: Any) -> None:
        """Play one step on the director's scene (lessonkit's scenes.choreography)."""
        raise NotImplementedError

    def chapter_title(self, step: Any, in_lesson: bool = False) -> str | None:
        """A short chapter title for one of the kind's steps, in the step's language (in a
        lesson, `in_lesson`, it may start with the part's label); None: the step's label,
        else its name made readable."""
        return None

    def table(self, part: Any, fmt: str, digits: int | None = None) -> str | None:
        """The part's `lessonkit table` in `fmt` (text, json or csv), values that are not
        exact to `digits` significant digits (None: lessonkit's default); None: no table."""
        return None

    def sources(self) -> list[Path]:
        """The files whose code decides the kind's pictures (part of the render key)."""
        return sorted(Path(inspect.getfile(type(self))).parent.rglob("*.py"))


@cache
def registered_kinds() -> dict[str, PartKind]:
    """Every kind installed, by name, loaded from the entry points."""
    found: dict[str, PartKind] = {}
    for ep in entry_points(group=GROUP):
        kind = ep.load()
        if not isinstance(kind, PartKind) or kind.name != ep.name:
            raise LessonError(f"entry point {ep.value!r} in {GROUP} is not a part kind {ep.name!r}")
        found[ep.name] = kind
    return dict(sorted(found.items(), key=lambda item: (item[1].order, item[0])))


def kind_named(name: str) -> PartKind:
    """The kind registered as `name`."""
    kinds = registered_kinds()
    if name not in kinds:
        raise LessonError(f"no part kind {name!r} is installed (known: {', '.join(kinds)})")
    return kinds[name]


def kind_of_table(raw: Mapping[str, Any]) -> PartKind | None:
    """The installed kind whose marker key the table holds, if any."""
    for kind in registered_kinds().values():
        if kind.marker and kind.marker in raw:
            return kind
    return None


def markers() -> list[str]:
    """The marker keys of the installed kinds, for 'a part needs ...' messages."""
    return [k.wanted or k.marker for k in registered_kinds().values() if k.marker]


def check_keys(table: PartTable, kind: PartKind) -> None:
    """Refuse a key the kind does not know, with a did-you-mean (name is the core's)."""
    known = {"name": "the part's section name", **dict(kind.keys)}
    unknown_keys(table.raw, known, table.where, f"key of a {kind.name} part", "part", table.index)
