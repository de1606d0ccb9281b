"""The card kind as the registry sees it: a [[part]] with a `card` key ("rules" or "text")."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lessonkit.lesson.kinds import PartKind, PartTable
from lessonkit.lesson.spec import CardPart
from lessonkit.lesson.storyboard import Step
from lessonkit.parts.card.reading import CARD_KEYS, check_card_keys, read_card

__all__ = ["KIND", "CardKind"]


class CardKind(PartKind):
    """A full-frame card: the derivative rules of the nudge parts before it, or text."""

    name = "card"
    marker = "card"
    keys = CARD_KEYS
    wanted = 'card = "rules"/"text"'
    order = 1

    def default_name(self, raw: Mapping[str, Any]) -> str:
        return "rules" if raw.get("card") == "rules" else "text"

    def check_keys(self, table: PartTable) -> None:
        check_card_keys(table)

    def read(self, table: PartTable) -> CardPart:
        return read_card(table)

    def steps(self, part: CardPart, lesson: Any) -> list[Step]:
        from lessonkit.parts.card.steps import card_step

        return [card_step(lesson, part)]

    def draw(self, director: Any, step: Step) -> None:
        from lessonkit.parts.card.drawing import draw_card_step

        draw_card_step(director, step)


KIND = CardKind()
