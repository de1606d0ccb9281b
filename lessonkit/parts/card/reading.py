"""Reading a card's [[part]] table: a rules card (the derivatives of the nudge parts before
it, computed) or a text card (lines of words), with its heading, caption and duration."""

from __future__ import annotations

from lessonkit.base.errors import LessonError
from lessonkit.lesson.kinds import PartTable
from lessonkit.lesson.spec import DEFAULT_RULES_HEADING, CardPart, NudgePart
from lessonkit.lesson.tomlfile import Where, number, typed, unknown_keys
from lessonkit.maths.functions import Function
from lessonkit.parts.card.steps import card_play_time

__all__ = ["CARD_KEYS", "check_card_keys", "read_card"]

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


def check_card_keys(table: PartTable) -> None:
    """Refuse a key a card does not know, and a card that is neither rules nor text."""
    at = ("part", table.index)
    unknown_keys(table.raw, CARD_KEYS, table.where, "key of a card", *at)
    kind = typed(table.raw, "card", str, table.where, *at)
    if kind not in ("rules", "text"):
        raise table.where.error(f'card must be "rules" or "text", got {kind!r}', *at, "card")


def read_card(table: PartTable) -> CardPart:
    """The card the table describes (its keys already checked by `check_card_keys`)."""
    raw, where, before, name = table.raw, table.where, table.before, table.name
    at = ("part", table.index)
    kind = typed(raw, "card", str, where, *at)
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
    need = card_play_time(card)
    if card.duration is not None and card.duration < need:
        raise where.error(
            f"this card plays for {need:g} s: give it at least that long", *at, "duration"
        )
    return card
