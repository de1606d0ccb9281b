"""Reading a nudge part's [[part]] table: its function, points, nudges, names and words.

Every problem names the file, the line, the part and the key, as the core's checks do.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

from lessonkit.base.errors import LessonError
from lessonkit.lesson.kinds import PartTable
from lessonkit.lesson.part_tables import read_nudges, slug_of
from lessonkit.lesson.spec import ClipSpec, NudgePart
from lessonkit.lesson.tomlfile import Where, numbers, toml_value, typed
from lessonkit.maths.lookup import get_function
from lessonkit.maths.nudge import DEFAULT_SCHEDULE, SIDES, check_point
from lessonkit.parts.nudge.steps import CLIP_KINDS, clip_steps

__all__ = ["NUDGE_KEYS", "default_name", "read_nudge_part"]

NUDGE_KEYS = {
    "function": "a registry name or an expression in a",
    "points": "the points to visit, in order",
    "nudges": "the shrinking nudges at the first point",
    "name": "the section-name prefix of the part's steps",
    "label": "the chapter head of the part",
    "captions": "caption templates by step kind or step name",
    "narration": "what the voice says, by step kind or step name (default: the caption)",
    "in_rules": "false to leave the part off the next rules card",
    "side": '"right", "left" or "both": where each point is nudged from (default: both '
    "at a kink, where f has no single slope, and the right elsewhere)",
}


def default_name(raw: Mapping[str, Any]) -> str:
    """'square' for function = "square", 'a-3' for "a^3": the part's section-name prefix."""
    text = raw.get("function")
    try:
        fn = get_function(text) if isinstance(text, str) else None
    except LessonError:
        fn = None  # read_nudge_part says what is wrong with it
    return slug_of(fn.source)[:24].strip("-") if fn is not None else "part"


def read_nudge_part(table: PartTable) -> NudgePart:
    """The nudge part the table describes, checked (domain, nudges, overflow)."""
    raw, where, at = table.raw, table.where, ("part", table.index)
    text = typed(raw, "function", str, where, *at)
    assert text is not None
    try:
        fn = get_function(text)
    except LessonError as exc:
        raise where.error(str(exc), *at, "function") from None
    points = (
        fn.points
        if raw.get("points") is None
        else numbers(raw["points"], where, (*at, "points"), "point", lambda a: check_point(fn, a))
    )
    schedule = read_nudges(raw.get("nudges"), where, (*at, "nudges")) or table.defaults.get(
        "nudges"
    )
    side = typed(raw, "side", str, where, *at)
    if side is not None and side not in SIDES:
        raise where.error(f'side is "right", "left" or "both", got {side!r}', *at, "side")
    try:
        clip = ClipSpec(
            fn, points, schedule or DEFAULT_SCHEDULE, table.digits, table.words, side=side
        )
    except LessonError as exc:
        about_nudges = "Δa" in str(exc) or "nudges asked" in str(exc)
        key = "nudges" if "nudges" in raw and about_nudges else "points"
        raise where.error(str(exc), *at, key) from None
    label = typed(raw, "label", str, where, *at) or fn.formula
    captions = _templates(raw, "captions", "caption", clip, where, at)
    narration = _templates(raw, "narration", "narration", clip, where, at)
    in_rules = typed(raw, "in_rules", bool, where, *at)
    return NudgePart(
        clip,
        table.name,
        label,
        captions,
        True if in_rules is None else in_rules,
        table.line,
        narration,
    )


def _templates(
    raw: dict[str, Any], key: str, what: str, clip: ClipSpec, where: Where, at: tuple[object, ...]
) -> tuple[tuple[str, str], ...]:
    """A part's [part.captions] or [part.narration]: templates by step kind or step name."""
    table = raw.get(key, {})
    if not isinstance(table, dict):
        raise where.error(f"write {key} as a table: [part.{key}]", *at, key)
    known = [*CLIP_KINDS, *(s.name for s in clip_steps(clip))]
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
