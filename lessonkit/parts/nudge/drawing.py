"""How a nudge part's steps are played: one short method per kind of step.

The stage (the graph, the readout panel, the nudge rig, the convergence table) lives from
the part's graph step to the end of the part; the director (scenes.choreography) opens
each step's section, holds it to its duration and clears the stage between parts.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Create,
    FadeIn,
    FadeOut,
    Line,
    MathTypst,
    Mobject,
    VGroup,
    Write,
)

from lessonkit.draw import palette
from lessonkit.draw.hud import FrameHud
from lessonkit.draw.placement import place_clear
from lessonkit.draw.text import paragraph
from lessonkit.lesson.i18n import N_
from lessonkit.lesson.storyboard import Step
from lessonkit.lesson.typst_text import markup_words, substitute_point
from lessonkit.maths.layout import layout_for
from lessonkit.maths.nudge import nudge
from lessonkit.maths.numbers import Value
from lessonkit.parts.nudge.convergence_table import ConvergenceTable
from lessonkit.parts.nudge.graph import FunctionGraph
from lessonkit.parts.nudge.readouts import PANEL_LEFT, PANEL_WIDTH, ReadoutPanel
from lessonkit.parts.nudge.rig import NudgeRig
from lessonkit.parts.nudge.steps import library_names
from lessonkit.parts.nudge.sums import ONE_OFF, WRAP_INDENT, wrap_terms

__all__ = ["NudgeStage", "draw_nudge_step"]


def draw_nudge_step(director: Any, step: Step) -> None:
    """Play one step of a nudge part: its graph step sets up the part's stage."""
    if step.kind == "graph":
        director.part_stage = NudgeStage(director)
    getattr(director.part_stage, f"step_{step.kind}")(step)


class NudgeStage:
    """A nudge part on the director's scene, from its graph step to its rule."""

    def __init__(self, director: Any) -> None:
        self.director = director
        self.note: VGroup | None = None
        self.table_shown = False
        self.kink_marks: VGroup | None = None

    def detach(self) -> None:
        """The part is over: the rig stops moving the camera and the readouts."""
        self.rig.detach()

    def step_graph(self, step: Step) -> None:
        spec = step.spec
        assert spec is not None
        self.graph = FunctionGraph(spec.function, layout_for(spec.window), spec.points)
        self.director.hud = FrameHud()
        first = spec.rows(0)[0]
        self.panel = ReadoutPanel(first)
        start = self.graph.start_value(float(spec.points[0]))
        words = step.words
        self.rig = NudgeRig(
            self.director.frame,
            self.graph,
            self.panel,
            first,
            float(start),
            words(N_("zoom")),
            words.font,
        )
        # rest the readouts on the start point's own exact values until the slide
        self.rig.aim(nudge(spec.function, start, abs(first.da.q), spec.digits, first.side))
        self.rig.refresh()
        self.director.scene.add(self.director.hud)
        self.director.play(Create(self.graph.axes), Create(self.graph.curve), run_time=1.5)
        self.graph.stack_under_label(self.rig.badge)
        self.director.hud_in(self.graph.label, self.panel, self.rig.badge, run_time=0.8)

    def step_slide(self, step: Step) -> None:
        assert step.spec is not None
        row = step.spec.rows(step.point_index)[0]
        if step.point_index == 0:
            self.rig.aim(row)
            self.director.play(FadeIn(self.rig.dot), run_time=0.4)
        else:
            self._clear_nudge()
        self.director.play(*self.rig.slide_to(row), run_time=2.0)

    def _clear_nudge(self) -> None:
        """Fade the last point's nudge, table and notes (camera still), then zoom out."""
        self._fade_side()
        self.director.play(*self.rig.zoom_out(), run_time=1.0)

    def _fade_side(self) -> None:
        """Fade the nudge, its table and notes of the last point or side (0.6 s)."""
        hud_items = [self.panel.nudge_rows] + ([self.table] if self.table_shown else [])
        self.table_shown = False
        if self.note is not None:
            hud_items.append(self.note)
            self.note = None
        also = [FadeOut(self.rig.secant), FadeOut(self.rig.tip), FadeOut(self.rig.tangent)]
        if self.kink_marks is not None:
            also.append(FadeOut(self.kink_marks))
            self.kink_marks = None
        self.director.hud_out(*hud_items, run_time=0.6, also=tuple(also))

    def step_nudge(self, step: Step) -> None:
        row = step.row
        assert row is not None
        if self.table_shown:  # the point's other side: its table makes room for this one
            self._fade_side()
        self.rig.set_nudge(row)
        self.table = ConvergenceTable(self.panel.table_top)
        self.table_shown = True
        self.director.hud_in(
            self.panel.nudge_rows, self.table, run_time=1.2, also=tuple(self.rig.appear())
        )
        self.director.play(*self.rig.zoom_to(row), run_time=1.3)
        self._add_table_row(row, 0)

    def step_shrink(self, step: Step) -> None:
        row = step.row
        assert row is not None and step.spec is not None
        index = step.spec.schedule_at(step.point_index).index(abs(row.da.q))  # left: Δa < 0
        self.director.play(*self.rig.zoom_to(row), run_time=2.2)
        self._add_table_row(row, index)

    def _add_table_row(self, row: Any, index: int) -> None:
        self.director.hud_in(self.table.make_row(row, index), run_time=0.5, into=self.table.rows)

    def step_slope(self, step: Step) -> None:
        row = step.row
        assert row is not None and step.spec is not None
        n = len(step.spec.schedule_at(step.point_index))
        self.director.play(self.rig.show_tangent(), run_time=0.8)
        self.director.hud_in(self.table.make_slope_row(row, n), run_time=0.6, into=self.table.rows)
        # at full view the legs are far below a pixel: fade them and their labels, keep the
        # secant, which now lies on the tangent
        self.director.play(FadeOut(self.rig.labels), FadeOut(self.rig.legs), run_time=0.4)
        self.director.play(*self.rig.zoom_out(), run_time=1.6)

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
        self.director.hud_out(self.table, run_time=0.4)
        self.table_shown = False
        self.note = lines
        self.director.hud_in(self.note, run_time=0.8)

    def step_kink(self, step: Step) -> None:
        """The two one-sided slopes at a kink, each a half tangent on its own side."""
        spec, a = step.spec, step.spec.points[step.point_index] if step.spec else None
        assert spec is not None and a is not None
        self.director.play(
            FadeOut(self.rig.secant), FadeOut(self.rig.tip), FadeOut(self.rig.tangent), run_time=0.5
        )
        self.kink_marks = self._kink_mark(spec, a, [self.graph.label])
        self.director.play(
            *(Create(m) for m in self.kink_marks[:2]), FadeIn(self.kink_marks[2]), run_time=1.2
        )
        # in the panel, in words: the two sides disagree, and what libraries use there
        if self.table_shown:
            self.director.hud_out(self.table, run_time=0.4)
            self.table_shown = False
        self.note = self._kink_words(step, a)
        self.director.hud_in(self.note, run_time=0.8)

    def _kink_words(self, step: Step, a: Any) -> VGroup:
        """'No single slope at a = 0.' and 'PyTorch, TensorFlow and JAX use 0 there.'"""
        fn, words = step.spec.function, step.words
        lines = [words(N_("No single slope at a = {a}.")).format(a=Value(a).text())]
        convention = fn.convention(a)
        if convention is not None:
            line = words(N_("{library} use {convention} there."))
            library = library_names(convention[1], words)
            lines.append(line.format(library=library, convention=convention[0].text()))
        width = PANEL_WIDTH - 0.5
        note = VGroup(
            *(paragraph(markup_words(t), palette.SIZE_LABEL, width, words.font) for t in lines)
        )
        note.arrange(DOWN, aligned_edge=LEFT, buff=0.3).set_color(palette.SLOPE)
        note.move_to([PANEL_LEFT + 0.25, self.panel.table_top - 0.3, 0], aligned_edge=UP + LEFT)
        return note

    def _kink_mark(self, spec: Any, a: Any, obstacles: list[Mobject]) -> VGroup:
        """Half tangents right and left of the kink at a, and 'f'(0⁺) = 1, f'(0⁻) = 0'."""
        fn, layout = spec.function, self.graph.layout
        p = self.graph.axes.c2p(float(a), float(fn.value(a)))
        halves = []
        texts = []
        at = Value(a).text()
        for side, mark in ((1, "+"), (-1, "-")):
            slope = fn.one_sided(a, side)
            direction = side * np.array([layout.x_unit, float(slope) * layout.y_unit, 0.0])
            end = p + 1.1 * direction / np.linalg.norm(direction)
            halves.append(Line(p, end).set_stroke(palette.SLOPE, 5))
            rel = "=" if slope.shows_exactly else "approx"
            texts.append(f"f'({at}^{mark}) {rel} {slope.text(spec.digits)}")
        label = MathTypst(
            ", quad ".join(texts), font_size=palette.SIZE_LABEL, use_svg_cache=ONE_OFF
        )
        label.set_color(palette.SLOPE)
        place_clear(
            label,
            p,
            obstacles=[*obstacles, *self.graph.tick_labels()],
            curve_points=self.graph.crowded_points(),
            within=self.graph.picture_box,
        )
        return VGroup(*halves, label)

    def step_rule(self, step: Step) -> None:
        spec = step.spec
        assert spec is not None
        fn = spec.function
        if self.note is not None:
            self.director.hud_out(self.note, run_time=0.5)
            self.note = None
        fading = [FadeOut(self.rig.secant), FadeOut(self.rig.tip), FadeOut(self.rig.tangent)]
        if self.kink_marks is not None:
            fading.append(FadeOut(self.kink_marks))
            self.kink_marks = None
        self.director.play(*fading, run_time=0.5)
        rule = MathTypst(f"f'(a) = {fn.derivative_typst}", font_size=palette.SIZE_TITLE)
        rule.set_color(palette.SLOPE)
        self.graph.place_beside_label(rule)
        marks = VGroup()
        placed: list[Mobject] = []
        layout = self.graph.layout
        for a in spec.points:
            if fn.is_kink(a):
                kink = self._kink_mark(spec, a, [rule, self.graph.label, *placed])
                placed.append(kink[2])
                marks.add(VGroup(VGroup(*kink[:2]), kink[2]))
                continue
            fa, slope = fn.value(a), fn.derivative(a)
            p = self.graph.axes.c2p(float(a), float(fa))
            seg = Line([0, 0, 0], [layout.x_unit, float(slope) * layout.y_unit, 0])
            seg.set_length(1.6).move_to(p).set_stroke(palette.SLOPE, 4)
            at = Value(a).text()
            sub = substitute_point(fn.derivative_at_typst, at)
            rel = "=" if slope.shows_exactly else "approx"
            shown = slope.text(spec.digits)
            # a piecewise rule reads best as its value alone: "f'(2) = 1", not both cases at 2
            middle = "" if sub == shown or sub.startswith("cases(") else f"{sub} {rel} "
            label = MathTypst(
                f"f'({at}) = {middle}{shown}",
                font_size=palette.SIZE_LABEL,
                use_svg_cache=ONE_OFF,
            )
            label.set_color(palette.SLOPE)
            place_clear(
                label,
                p,
                obstacles=[rule, self.graph.label, seg, *placed, *self.graph.tick_labels()],
                curve_points=self.graph.crowded_points(),
                within=self.graph.picture_box,
            )
            placed.append(label)
            marks.add(VGroup(seg, label))
        self.director.play(Write(rule), run_time=1.0)
        self.director.play(
            *(Create(m[0]) for m in marks), *(FadeIn(m[1]) for m in marks), run_time=1.2
        )
