"""How a card is played: a rules card (heading, then each f(a) -> f'(a) row) or a text card
(heading, then its lines one by one), on the stage the director has cleared."""

from __future__ import annotations

from typing import Any

from manim import DOWN, LEFT, RIGHT, UP, FadeIn, MathTypst, Mobject, VGroup, Write

from lessonkit.draw import palette
from lessonkit.draw.text import CARD_HEIGHT, CARD_WIDTH, fit_within, paragraph
from lessonkit.lesson.storyboard import Step
from lessonkit.lesson.typst_text import markup_words

__all__ = ["draw_card_step"]


def draw_card_step(director: Any, step: Step) -> None:
    """Play a card's one step."""
    (rules_card if step.kind == "rules" else text_card)(director, step)


def rules_card(director: Any, step: Step) -> None:
    assert step.card is not None
    heading = markup_words(step.card.heading)
    head = paragraph(heading, 44, CARD_WIDTH, step.words.font, "center", bold=True)
    head.set_color(palette.TEXT)
    rows = VGroup()
    for _, _, formula, derivative in step.card.rules:
        f = MathTypst(f"f(a) = {formula}", font_size=40)
        arrow = MathTypst("arrow.r.long", font_size=40).set_color(palette.MUTED)
        d = MathTypst(f"f'(a) = {derivative}", font_size=40)
        rows.add(VGroup(f.set_color(palette.CURVE), arrow, d.set_color(palette.SLOPE)))
    rows.arrange(DOWN, buff=0.55)
    for r in rows:
        r[1].set_x(0)
        r[0].next_to(r[1], LEFT, buff=0.5)
        r[2].next_to(r[1], RIGHT, buff=0.5)
    card = VGroup(head, rows).arrange(DOWN, buff=0.8)
    fit_within(card, CARD_WIDTH, CARD_HEIGHT)
    director.play(Write(head), run_time=1.0)
    director.play(*(FadeIn(r, shift=0.2 * LEFT) for r in rows), run_time=1.5)


def text_card(director: Any, step: Step) -> None:
    card = step.card
    assert card is not None
    font = step.words.font
    items: list[Mobject] = []
    if card.heading:
        items.append(paragraph(markup_words(card.heading), 44, CARD_WIDTH, font, bold=True))
    numbered = card.numbered and len(card.lines) > 1
    for i, line in enumerate(card.lines, start=1):
        number = f"{i}." if numbered else ""
        items.append(paragraph(markup_words(line), 38, CARD_WIDTH, font, number=number))
    lines = VGroup(*items).arrange(DOWN, aligned_edge=LEFT, buff=0.6).set_color(palette.TEXT)
    lines.move_to([0, 0, 0])
    fit_within(lines, CARD_WIDTH, CARD_HEIGHT)
    for line in lines:
        director.play(FadeIn(line, shift=0.2 * UP), run_time=1.0)
