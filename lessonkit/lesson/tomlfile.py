"""Reading TOML for lessonkit's files: exact decimals, line numbers of keys, typed values.

Lesson files and course files (and every kind of part) report a problem as one line that
names the file, the line and the key: `lesson.toml:14: part 3, points: ...`.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import Any, Protocol, TypeVar, cast

from lessonkit.base.errors import LessonError
from lessonkit.lesson.i18n import Words, builtin_words
from lessonkit.maths.numbers import parse_number

__all__ = [
    "Where",
    "ErrorAt",
    "read_toml",
    "unknown_keys",
    "typed",
    "toml_value",
    "number",
    "numbers",
]

#: A key at the start of a line: bare, "quoted" or 'literal' pieces joined by dots.
_KEY_PIECE = re.compile(r'"([^"]*)"|\'([^\']*)\'|([A-Za-z0-9_-]+)')
_KEY = re.compile(
    r"""^\s*((?:"[^"]*"|'[^']*'|[A-Za-z0-9_-]+)(?:\s*\.\s*(?:"[^"]*"|'[^']*'|[A-Za-z0-9_-]+))*)\s*="""
)
T = TypeVar("T")


class Where:
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


def typed(
    data: dict[str, Any],
    key: str,
    kind: type[T],
    where: Where,
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


def number(value: object, what: str) -> Fraction:
    if isinstance(value, bool):
        raise LessonError(f"{what} must be a number, got {toml_value(value)}")
    if isinstance(value, int):
        return parse_number(str(value), what)
    if isinstance(value, Decimal):
        return parse_number(str(value), what)
    if isinstance(value, str):
        return parse_number(value, what)
    raise LessonError(f"{what} must be a number such as 2 or 0.001, got {toml_value(value)}")


def numbers(
    value: object,
    where: Where,
    path: tuple[object, ...],
    what: str,
    check: Callable[[Fraction], None],
) -> tuple[Fraction, ...]:
    if not isinstance(value, list) or not value:
        raise where.error(f"give a list of numbers, e.g. [2, 5], got {toml_value(value)}", *path)
    out = []
    for item in value:
        try:
            q = number(item, what)
            check(q)
        except LessonError as exc:
            raise where.error(str(exc), *path) from None
        out.append(q)
    if len(set(out)) != len(out):
        raise where.error(f"each {what} may appear only once", *path)
    return tuple(out)
