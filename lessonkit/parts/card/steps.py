"""A card's one step: a rules card (the derivatives of the nudge parts before it) or a
text card, with its caption, narration and how long it stays."""

from __future__ import annotations

from collections.abc import Mapping

from lessonkit.lesson.i18n import N_
from lessonkit.lesson.spec import CardPart, LessonSpec
from lessonkit.lesson.storyboard import Step
from lessonkit.lesson.wording import fill
from lessonkit.maths.numbers import Value

__all__ = ["card_play_time", "card_step"]


def card_play_time(card: CardPart) -> float:
    """Seconds a card's animations take (the scene plays exactly these): the rest of its
    duration is a hold."""
    if card.card == "rules":
        return 0.6 + 1.0 + 1.5  # fade the last part, write the heading, bring in the rows
    return 0.5 + 1.0 * (len(card.lines) + (1 if card.heading else 0))


def card_step(lesson: LessonSpec, card: CardPart) -> Step:
    """The card's one step: its caption filled from what it shows, and its duration."""
    where = f"part {card.name!r}, caption"
    words = lesson.words
    if card.card == "rules":
        rule = words(N_("{f} has slope {d}"))
        values: Mapping[str, Value | str] = {
            "heading": card.heading,
            "rules": words(N_("; ")).join(
                rule.replace("{f}", f).replace("{d}", d) for f, d, _, _ in card.rules
            ),
        }
        template = card.caption or words(N_("{heading}: {rules}."))
        # 1 s heading, 1.5 s rows, 0.6 s fade of the last part, the rest a hold
        duration = card.duration or 3.5 + 0.5 * len(card.rules)
    else:
        values = {"heading": card.heading, "text": " ".join(" ".join(card.lines).split())}
        template = card.caption or words(N_("{heading}: {text}"))
        duration = card.duration or 2.0 + 2.0 * len(card.lines)
    caption = fill(template, values, lesson.digits, where)
    narration = (
        fill(card.narration, values, lesson.digits, f"part {card.name!r}, narration")
        if card.narration
        else ""
    )
    return Step(
        card.card,
        card.name,
        caption,
        duration,
        part=card.name,
        label=card.label,
        card=card,
        words=words,
        narration=narration,
        part_kind="card",
    )
