"""The [[part]] tables of a lesson file: each handed to the part kind whose marker it holds.

The core names the part (its `name` key, or a unique default the kind suggests) and says
where it is; the kind checks its keys and reads the rest (`lessonkit.lesson.kinds`). Every
problem names the file, the line, the part and the key (see `tomlfile.Where`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from fractions import Fraction
from typing import Any, cast

from lessonkit.lesson.kinds import PartTable, kind_of_table, markers
from lessonkit.lesson.spec import Part
from lessonkit.lesson.tomlfile import Where, numbers, typed
from lessonkit.maths.nudge import check_nudge

__all__ = ["NAME", "read_nudges", "read_part", "slug_of", "part_name"]

NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")


def slug_of(stem: str) -> str:
    """A file-safe name from a file name: 'My Lesson (v2)' -> 'my-lesson-v2'."""
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")[:60].strip("-")
    return slug or "lesson"


def read_nudges(
    value: object, where: Where, path: tuple[object, ...]
) -> tuple[Fraction, ...] | None:
    """A `nudges` list (the lesson's default, or a part's): shrinking, each a valid Δa."""
    if value is None:
        return None
    schedule = numbers(value, where, path, "nudge", check_nudge)
    if any(b >= a for a, b in zip(schedule, schedule[1:], strict=False)):
        raise where.error("nudges must shrink: list them from largest to smallest", *path)
    return schedule


def read_part(
    raw: dict[str, Any],
    i: int,
    where: Where,
    defaults: Mapping[str, Any],
    before: list[Part],
    names: set[str],
    digits: int,
) -> Part:
    """The i-th [[part]] table, read by its kind."""
    at = ("part", i)
    kind = kind_of_table(raw)
    if kind is None:
        raise where.error(f"a part needs {' or '.join(markers())}", *at)
    table = PartTable(raw, i, where, "", where.words, digits, tuple(before), defaults)
    kind.check_keys(table)
    table = replace(table, name=part_name(raw, kind.default_name(raw), where, at, names))
    return cast(Part, kind.read(table))


def part_name(
    raw: dict[str, Any], default: str, where: Where, at: tuple[object, ...], names: set[str]
) -> str:
    """The part's `name`, checked and unique, or `default` made unique ('square-2')."""
    name = typed(raw, "name", str, where, *at)
    if name is not None:
        if not NAME.match(name):
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
