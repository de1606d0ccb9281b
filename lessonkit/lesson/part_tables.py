"""The [[part]] tables of a lesson file: nudge parts and cards, each read and checked.

Every problem names the file, the line, the part and the key (see `tomlfile.Where`).
"""

from __future__ import annotations

import difflib
import re
from fractions import Fraction
from typing import Any, cast

from lessonkit.base.errors import LessonError
from lessonkit.lesson.kinds import PartTable, check_keys, kind_of_table, markers
from lessonkit.lesson.spec import (
    DEFAULT_RULES_HEADING,
    CardPart,
    ClipSpec,
    NudgePart,
    Part,
)
from lessonkit.lesson.tomlfile import Where, number, numbers, toml_value, typed, unknown_keys
from lessonkit.maths.functions import Function
from lessonkit.maths.lookup import get_function
from lessonkit.maths.nudge import DEFAULT_SCHEDULE, check_nudge, check_point

__all__ = ["NUDGE_KEYS", "CARD_KEYS", "NAME", "read_nudges", "read_part", "slug_of"]

NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")

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


def slug_of(stem: str) -> str:
    """A file-safe name from a file name: 'My Lesson (v2)' -> 'my-lesson-v2'."""
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")[:60].strip("-")
    return slug or "lesson"


def read_nudges(
    value: object, where: Where, path: tuple[object, ...]
) -> tuple[Fraction, ...] | None:
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
    default_nudges: tuple[Fraction, ...] | None,
    before: list[Part],
    names: set[str],
    digits: int,
) -> Part:
    at = ("part", i)
    if "card" in raw:
        return _card(raw, i, where, before, names)
    kind = kind_of_table(raw) if "function" not in raw else None
    if kind is not None:
        name = _name(raw, kind.name, where, at, names)
        table = PartTable(raw, i, where, name, where.words, digits)
        check_keys(table, kind)
        return cast(Part, kind.read(table))
    if "function" not in raw:
        others = "".join(f" or {m}" for m in markers())
        raise where.error(
            f'a part needs a function (a nudge part) or card = "rules"/"text"{others}', *at
        )
    unknown_keys(raw, NUDGE_KEYS, where, "key", *at)
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
    schedule = read_nudges(raw.get("nudges"), where, (*at, "nudges")) or default_nudges
    try:
        clip = ClipSpec(fn, points, schedule or DEFAULT_SCHEDULE, digits, where.words)
    except LessonError as exc:
        key = "nudges" if "nudges" in raw and "Δa" in str(exc) else "points"
        raise where.error(str(exc), *at, key) from None
    name = _name(raw, slug_of(fn.source)[:24].strip("-"), where, at, names)
    label = typed(raw, "label", str, where, *at) or fn.formula
    captions = _templates(raw, "captions", "caption", clip, where, at)
    narration = _templates(raw, "narration", "narration", clip, where, at)
    in_rules = typed(raw, "in_rules", bool, where, *at)
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
    raw: dict[str, Any], key: str, what: str, clip: ClipSpec, where: Where, at: tuple[object, ...]
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
    raw: dict[str, Any], default: str, where: Where, at: tuple[object, ...], names: set[str]
) -> str:
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


def _card(
    raw: dict[str, Any], i: int, where: Where, before: list[Part], names: set[str]
) -> CardPart:
    at = ("part", i)
    unknown_keys(raw, CARD_KEYS, where, "key of a card", *at)
    kind = typed(raw, "card", str, where, *at)
    if kind not in ("rules", "text"):
        raise where.error(f'card must be "rules" or "text", got {kind!r}', *at, "card")
    name = _name(raw, kind if kind == "rules" else "text", where, at, names)
    heading = typed(raw, "heading", str, where, *at)
    caption = typed(raw, "caption", str, where, *at)
    narration = typed(raw, "narration", str, where, *at)
    numbered = typed(raw, "numbered", bool, where, *at)
    duration_raw = raw.get("duration")
    duration = None
    if duration_raw is not None:
        try:
            d = number(duration_raw, "duration")
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
        label = typed(raw, "label", str, where, *at) or heading
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
    label = typed(raw, "label", str, where, *at) or heading or lines[0][:40]
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


def _long_enough(card: CardPart, where: Where, at: tuple[object, ...]) -> CardPart:
    """Refuse a duration shorter than what the card plays (caught here, not mid-render)."""
    from lessonkit.lesson.storyboard import card_play_time

    need = card_play_time(card)
    if card.duration is not None and card.duration < need:
        raise where.error(
            f"this card plays for {need:g} s: give it at least that long", *at, "duration"
        )
    return card
