"""How each storyboard step is played: one short method per kind of step.

Every step opens a section, carries one caption line, and lasts exactly its storyboard
duration (what is not animated is held), so chapters and captions line up with the video.
Numbers and words come from the step (lessonkit's math); this module only moves things.
"""

from __future__ import annotations

import math
from typing import Any

from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Animation,
    Create,
    FadeIn,
    FadeOut,
    Line,
    MathTypst,
    Mobject,
    MovingCameraScene,
    VGroup,
    Write,
    config,
)

from lessonkit.draw import palette
from lessonkit.draw.hud import FrameHud
from lessonkit.draw.placement import place_clear
from lessonkit.draw.text import paragraph
from lessonkit.lesson.i18n import N_
from lessonkit.lesson.kinds import kind_named
from lessonkit.lesson.storyboard import Step
from lessonkit.lesson.typst_text import markup_words, substitute_point
from lessonkit.maths.layout import layout_for
from lessonkit.maths.nudge import nudge
from lessonkit.parts.nudge.convergence_table import ConvergenceTable
from lessonkit.parts.nudge.graph import FunctionGraph
from lessonkit.parts.nudge.readouts import PANEL_LEFT, PANEL_WIDTH, ReadoutPanel
from lessonkit.parts.nudge.rig import NudgeRig
from lessonkit.parts.nudge.sums import ONE_OFF, WRAP_INDENT, wrap_terms

__all__ = ["LessonDirector"]


class LessonDirector:
    """Plays storyboard steps on a MovingCameraScene; holds the current clip's mobjects."""

    def __init__(self, scene: MovingCameraScene) -> None:
        self.scene = scene
        self.frame = scene.camera.frame
        scene.camera.background_color = palette.BACKGROUND
        scene.add(self.frame)  # animated by the nudge rig while it zooms
        self.in_clip = False
        self.leftover: VGroup | None = None
        self.table_shown = False
        self.part = ""  # the part of the step playing

    # -- the step protocol -----------------------------------------------------------------
    def play_steps(self, steps: list[Step]) -> None:
        for step in steps:
            self.run(step)

    def run(self, step: Step) -> None:
        """Open the step's section and caption, play it, then hold until its duration ends."""
        scene = self.scene
        scene.next_section(step.name)
        start = scene.time
        first_of_kind_part = step.part_kind != "" and step.part != self.part
        self.part = step.part
        if step.kind in ("graph", "rules", "text") or first_of_kind_part:
            # a part starts on an empty stage, inside its own section (the last section's
            # still keeps its picture)
            self._clear_stage(0.5 if step.kind == "text" else 0.6)
        if step.part_kind:
            kind_named(step.part_kind).draw(self, step)  # an installed kind draws its own
        else:
            getattr(self, f"step_{step.kind}")(step)
        rest = step.duration - (scene.time - start)
        if rest < -1.5 / config.frame_rate:
            raise RuntimeError(
                f"step {step.name!r} ran {step.duration - rest:.2f} s; the storyboard gives it "
                f"{step.duration} s: give it more time (a card's duration in the lesson file)"
            )
        # whole frames, counted the same whatever float noise the scene's clock carries (a
        # step drawn alone must hold exactly as long as in the whole video)
        hold = math.floor(rest * config.frame_rate + 1e-6)
        if hold >= 1:
            # nothing moves in a hold: one frame, repeated, instead of re-running updaters
            scene.wait((hold + 1e-6) / config.frame_rate, frozen_frame=True)
        # written at the end, over the section's real span (frames round run times up)
        elapsed = scene.time - start
        scene.add_subcaption(step.caption, duration=elapsed, offset=-elapsed)

    def play(self, *animations: Animation, run_time: float) -> None:
        self.scene.play(*animations, run_time=run_time)

    def hud_in(
        self,
        *mobs: Mobject,
        run_time: float,
        also: tuple[Animation, ...] = (),
        into: VGroup | None = None,
    ) -> None:
        """Fade in mobjects authored in home coordinates, pinned to the picture whatever
        the camera does (as members of `into`, a group already in the HUD, when given)."""
        for m in mobs:
            self.hud.home(m)
        self.play(*(FadeIn(m) for m in mobs), *also, run_time=run_time)
        self.scene.remove(*mobs)
        if into is None:
            self.hud.adopt(*mobs)
        else:
            for m in mobs:
                m.set_z_index(into.z_index)
            into.add(*mobs)

    def hud_out(self, *mobs: Mobject, run_time: float, also: tuple[Animation, ...] = ()) -> None:
        """Fade out HUD mobjects and return them to home coordinates for later reuse."""
        self.hud.remove(*mobs)
        self.play(*(FadeOut(m) for m in mobs), *also, run_time=run_time)
        for m in mobs:
            self.hud.unhome(m)

    # -- clip steps ------------------------------------------------------------------------
    def step_graph(self, step: Step) -> None:
        spec = step.spec
        assert spec is not None
        self.in_clip = True
        self.graph = FunctionGraph(spec.function, layout_for(spec.window), spec.points)
        self.hud = FrameHud()
        first = spec.rows(0)[0]
        self.panel = ReadoutPanel(first)
        start = self.graph.start_value(float(spec.points[0]))
        words = step.words
        self.rig = NudgeRig(
            self.frame, self.graph, self.panel, first, float(start), words(N_("zoom")), words.font
        )
        # rest the readouts on the start point's own exact values until the slide
        self.rig.aim(nudge(spec.function, start, first.da.q, spec.digits))
        self.rig.refresh()
        self.scene.add(self.hud)
        self.play(Create(self.graph.axes), Create(self.graph.curve), run_time=1.5)
        self.graph.stack_under_label(self.rig.badge)
        self.hud_in(self.graph.label, self.panel, self.rig.badge, run_time=0.8)

    def step_slide(self, step: Step) -> None:
        assert step.spec is not None
        row = step.spec.rows(step.point_index)[0]
        if step.point_index == 0:
            self.rig.aim(row)
            self.play(FadeIn(self.rig.dot), run_time=0.4)
        else:
            self._clear_nudge()
        self.play(*self.rig.slide_to(row), run_time=2.0)

    def _clear_nudge(self) -> None:
        """Fade the last point's nudge, table and notes (camera still), then zoom out."""
        hud_items = [self.panel.nudge_rows] + ([self.table] if self.table_shown else [])
        if self.leftover is not None:
            hud_items.append(self.leftover)
            self.leftover = None
        self.hud_out(
            *hud_items,
            run_time=0.6,
            also=(FadeOut(self.rig.secant), FadeOut(self.rig.tip), FadeOut(self.rig.tangent)),
        )
        self.play(*self.rig.zoom_out(), run_time=1.0)

    def step_nudge(self, step: Step) -> None:
        row = step.row
        assert row is not None
        self.rig.set_nudge(row)
        self.table = ConvergenceTable(self.panel.table_top)
        self.table_shown = True
        self.hud_in(self.panel.nudge_rows, self.table, run_time=1.2, also=tuple(self.rig.appear()))
        self.play(*self.rig.zoom_to(row), run_time=1.3)
        self._add_table_row(row, 0)

    def step_shrink(self, step: Step) -> None:
        row = step.row
        assert row is not None and step.spec is not None
        index = step.spec.schedule_at(step.point_index).index(row.da.q)
        self.play(*self.rig.zoom_to(row), run_time=2.2)
        self._add_table_row(row, index)

    def _add_table_row(self, row: Any, index: int) -> None:
        self.hud_in(self.table.make_row(row, index), run_time=0.5, into=self.table.rows)

    def step_slope(self, step: Step) -> None:
        row = step.row
        assert row is not None and step.spec is not None
        n = len(step.spec.schedule_at(step.point_index))
        self.play(self.rig.show_tangent(), run_time=0.8)
        self.hud_in(self.table.make_slope_row(row, n), run_time=0.6, into=self.table.rows)
        # at full view the legs are far below a pixel: fade them and their labels, keep the
        # secant, which now lies on the tangent
        self.play(FadeOut(self.rig.labels), FadeOut(self.rig.legs), run_time=0.4)
        self.play(*self.rig.zoom_out(), run_time=1.6)

    def step_leftover(self, step: Step) -> None:
        e = step.expansion
        assert e is not None
        width = PANEL_WIDTH - 0.4
        symbolic = wrap_terms(f"{e.lhs_typst} =", [t.typst for t in e.terms], width)
        numeric = wrap_terms("=", [t.value.text() for t in e.terms], width)  # sign-aware
        total = MathTypst(e.total.text(), font_size=palette.SIZE_LABEL, use_svg_cache=ONE_OFF)
        lines = VGroup(*symbolic, total, *numeric).set_color(palette.TEXT)
        total.set_color(palette.NUDGE_F)
        lines.arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        lines.move_to([PANEL_LEFT + 0.25, self.panel.table_top - 0.3, 0], aligned_edge=UP + LEFT)
        for line in lines:
            if getattr(line, "continued", False):
                line.shift(WRAP_INDENT * RIGHT)
        self.hud_out(self.table, run_time=0.4)
        self.table_shown = False
        self.leftover = lines
        self.hud_in(self.leftover, run_time=0.8)

    def step_rule(self, step: Step) -> None:
        spec = step.spec
        assert spec is not None
        fn = spec.function
        if self.leftover is not None:
            self.hud_out(self.leftover, run_time=0.5)
            self.leftover = None
        self.play(
            FadeOut(self.rig.secant), FadeOut(self.rig.tip), FadeOut(self.rig.tangent), run_time=0.5
        )
        rule = MathTypst(f"f'(a) = {fn.derivative_typst}", font_size=palette.SIZE_TITLE)
        rule.set_color(palette.SLOPE)
        self.graph.stack_under_label(rule)
        marks = VGroup()
        placed: list[Mobject] = []
        layout = self.graph.layout
        for a in spec.points:
            fa, slope = fn.value(a), fn.derivative(a)
            p = self.graph.axes.c2p(float(a), float(fa))
            seg = Line([0, 0, 0], [layout.x_unit, float(slope) * layout.y_unit, 0])
            seg.set_length(1.6).move_to(p).set_stroke(palette.SLOPE, 4)
            at = _text(a)
            sub = substitute_point(fn.derivative_at_typst, at)
            rel = "=" if slope.shows_exactly else "approx"
            shown = slope.text(spec.digits)
            middle = "" if sub == shown else f"{sub} {rel} "
            label = MathTypst(
                f"f'({at}) = {middle}{shown}",
                font_size=palette.SIZE_LABEL,
                use_svg_cache=ONE_OFF,
            )
            label.set_color(palette.SLOPE)
            place_clear(
                label,
                p,
                obstacles=[rule, self.graph.label, *placed, *self.graph.tick_labels()],
                curve_points=self.graph.curve.points,
                within=self.graph.picture_box,
            )
            placed.append(label)
            marks.add(VGroup(seg, label))
        self.play(Write(rule), run_time=1.0)
        self.play(*(Create(m[0]) for m in marks), *(FadeIn(m[1]) for m in marks), run_time=1.2)

    def _clear_stage(self, run_time: float) -> None:
        """Fade out whatever the last part left, ready for the next part of the lesson."""
        if self.in_clip:
            self.rig.detach()
            self.in_clip = False
        everything = [m for m in self.scene.mobjects if m is not self.frame]
        if everything:
            self.play(*(FadeOut(m) for m in everything), run_time=run_time)
            self.scene.remove(*everything)

    # -- cards: whole-frame steps of a lesson -----------------------------------------------
    def step_title(self, step: Step) -> None:
        font = step.words.font
        title = paragraph(
            markup_words(step.extra["title"]), 64, CARD_WIDTH, font, "center", bold=True
        )
        parts: list[Mobject] = [title.set_color(palette.TEXT)]
        animations: list[Animation] = [Write(title)]
        if step.extra.get("subtitle"):
            sub = paragraph(markup_words(step.extra["subtitle"]), 32, CARD_WIDTH, font, "center")
            parts.append(sub.set_color(palette.MUTED))
            animations.append(FadeIn(sub, shift=0.2 * UP))
        card = VGroup(*parts).arrange(DOWN, buff=0.4)
        _fit(card, CARD_WIDTH, CARD_HEIGHT)
        self.play(*animations, run_time=1.5)

    def step_rules(self, step: Step) -> None:
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
        _fit(card, CARD_WIDTH, CARD_HEIGHT)
        self.play(Write(head), run_time=1.0)
        self.play(*(FadeIn(r, shift=0.2 * LEFT) for r in rows), run_time=1.5)

    def step_text(self, step: Step) -> None:
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
        _fit(lines, CARD_WIDTH, CARD_HEIGHT)
        for line in lines:
            self.play(FadeIn(line, shift=0.2 * UP), run_time=1.0)


#: the room a card's words may take: the frame (14.2 x 8) less a margin
CARD_WIDTH = 12.4
CARD_HEIGHT = 7.0


def _fit(group: Mobject, width: float, height: float) -> None:
    """Shrink a card that would still leave the frame after wrapping (very many lines)."""
    if group.width > width:
        group.set(width=width)
    if group.height > height:
        group.set(height=height)


def _text(a: Any) -> str:
    from lessonkit.maths.numbers import Value

    return Value(a).text()
