"""The words of a lesson file: the strings a translator translates, and their translation.

A lesson file mixes words (title, headings, card lines, caption templates) with numbers and
formulas. Only the words go into a catalogue; they are translated in the file's data before
the lesson is validated, so a translated lesson is checked, timed and drawn exactly as one
written in that language.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

__all__ = ["TOP_WORD_KEYS", "PART_WORD_KEYS", "lesson_words", "translate_words"]

#: top-level keys whose values are words
TOP_WORD_KEYS = ("title", "subtitle", "caption", "narration")
#: keys of a [[part]] whose values are words: a string, a list of strings, or a table of them
PART_WORD_KEYS = ("label", "heading", "lines", "caption", "captions", "narration")

Path_ = tuple[object, ...]


def lesson_words(data: dict[str, Any]) -> Iterator[tuple[Path_, str]]:
    """Every word string of a lesson file's data with its key path, in file order.

    >>> list(lesson_words({"title": "Slopes", "part": [{"lines": ["One", "Two"]}]}))
    [(('title',), 'Slopes'), (('part', 0, 'lines'), 'One'), (('part', 0, 'lines'), 'Two')]
    """
    for key in TOP_WORD_KEYS:
        if isinstance(data.get(key), str):
            yield (key,), data[key]
    parts = data.get("part")
    if not isinstance(parts, list):
        return
    for i, part in enumerate(parts):
        if not isinstance(part, dict):
            continue
        for key in PART_WORD_KEYS:
            value = part.get(key)
            if isinstance(value, str):
                yield ("part", i, key), value
            elif isinstance(value, list):
                yield from ((("part", i, key), v) for v in value if isinstance(v, str))
            elif isinstance(value, dict):
                for name, v in value.items():
                    if isinstance(v, str):
                        yield ("part", i, key, name), v


def translate_words(data: dict[str, Any], translate: Callable[[str], str]) -> dict[str, Any]:
    """A copy of a lesson file's data with every word string passed through `translate`;
    numbers, formulas, names and anything not a word are left as they are."""

    def tr(value: Any) -> Any:
        if isinstance(value, str):
            return translate(value)
        if isinstance(value, list):
            return [tr(v) for v in value]
        if isinstance(value, dict):
            return {k: tr(v) for k, v in value.items()}
        return value

    out = dict(data)
    for key in TOP_WORD_KEYS:
        if key in out:
            out[key] = tr(out[key])
    if isinstance(out.get("part"), list):
        parts = []
        for part in out["part"]:
            if isinstance(part, dict):
                part = dict(part)
                for key in PART_WORD_KEYS:
                    if key in part:
                        part[key] = tr(part[key])
            parts.append(part)
        out["part"] = parts
    return out
