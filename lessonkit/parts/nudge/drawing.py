"""How a nudge part's steps are played: one short method per kind of step.

The stage (the graph, the readout panel, the nudge rig, the convergence table) lives from
the part's graph step to the end of the part; the director (scenes.choreography) opens
each step's section, holds it to its duration and clears the stage between parts.
"""

from __future__ import annotations

from typing import Any

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
from lessonkit.lesson.i18n import N_
from lessonkit.lesson.storyboard import Step
from lessonkit.lesson.typst_text import substitute_point
from lessonkit.maths.layout import layout_for
from lessonkit.maths.nudge import nudge
from lessonkit.maths.numbers import Value
from lessonkit.parts.nudge.convergence_table import ConvergenceTable
from lessonkit.parts.nudge.graph import FunctionGraph
from lessonkit.parts.nudge.readouts import PANEL_LEFT, PANEL_WIDTH, ReadoutPanel
from lessonkit.parts.nudge.rig import NudgeRig
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
        self.leftover: VGroup | None = None
        self.table_shown = False

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
        self.rig.aim(nudge(spec.function, start, first.da.q, spec.digits))
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
        hud_items = [self.panel.nudge_rows] + ([self.table] if self.table_shown else [])
        if self.leftover is not None:
            hud_items.append(self.leftover)
            self.leftover = None
        self.director.hud_out(
            *hud_items,
            run_time=0.6,
            also=(FadeOut(self.rig.secant), FadeOut(self.rig.tip), FadeOut(self.rig.tangent)),
        )
        self.director.play(*self.rig.zoom_out(), run_time=1.0)

    def step_nudge(self, step: Step) -> None:
        row = step.row
        assert row is not None
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
        index = step.spec.schedule_at(step.point_index).index(row.da.q)
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
        self.leftover = lines
        self.director.hud_in(self.leftover, run_time=0.8)

    def step_rule(self, step: Step) -> None:
        spec = step.spec
        assert spec is not None
        fn = spec.function
        if self.leftover is not None:
            self.director.hud_out(self.leftover, run_time=0.5)
            self.leftover = None
        self.director.play(
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
            at = Value(a).text()
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
        self.director.play(Write(rule), run_time=1.0)
        self.director.play(
            *(Create(m[0]) for m in marks), *(FadeIn(m[1]) for m in marks), run_time=1.2
        )
