"""How each storyboard step is played: one short method per kind of step.

Every step opens a section, carries one caption line, and lasts exactly its storyboard
duration (what is not animated is held), so chapters and captions line up with the video.
"""

from __future__ import annotations

from manim import (
    DOWN,
    LEFT,
    UP,
    UR,
    Create,
    FadeIn,
    FadeOut,
    Line,
    MathTypst,
    MovingCameraScene,
    SurroundingRectangle,
    Typst,
    VGroup,
    Write,
)

from lessonkit.draw import palette
from lessonkit.draw.graph import FunctionGraph
from lessonkit.draw.hud import FrameHud
from lessonkit.draw.nudge_rig import NudgeRig
from lessonkit.draw.readouts import ConvergenceTable, ReadoutPanel
from lessonkit.layout import layout_for
from lessonkit.nudge import nudge
from lessonkit.spec import ClipSpec, LessonSpec
from lessonkit.storyboard import Step

__all__ = ["LessonDirector"]


class LessonDirector:
    """Plays storyboard steps on a MovingCameraScene; holds the clip's live mobjects."""

    def __init__(self, scene: MovingCameraScene) -> None:
        self.scene = scene
        self.frame = scene.camera.frame
        scene.camera.background_color = palette.BACKGROUND
        scene.add(self.frame)  # the frame's updater must run before the readouts follow it
        self.clip: ClipSpec | None = None

    # -- the step protocol -----------------------------------------------------------------
    def play_steps(self, steps: list[Step]) -> None:
        for step in steps:
            self.run(step)

    def run(self, step: Step) -> None:
        """Open the step's section and caption, play it, then hold until its duration ends."""
        scene = self.scene
        scene.next_section(step.name)
        scene.add_subcaption(step.caption, duration=step.duration)
        start = scene.time
        getattr(self, f"step_{step.kind}")(step)
        rest = step.duration - (scene.time - start)
        if rest > 1e-6:
            scene.wait(rest)

    def play(self, *animations: object, run_time: float) -> None:
        self.scene.play(*animations, run_time=run_time)

    # -- clip steps ------------------------------------------------------------------------
    def step_graph(self, step: Step) -> None:
        spec = step.spec
        assert spec is not None
        self.clip = spec
        self.graph = FunctionGraph(spec.function, layout_for(spec.window))
        self.hud = FrameHud(self.frame)
        first = spec.rows(0)[0]
        self.panel = ReadoutPanel(first)
        self.table = ConvergenceTable(self.panel.table_top)
        start = self.graph.layout.window.x_min + 0.3 * (float(spec.points[0]) - self.graph.layout.window.x_min)
        self.rig = NudgeRig(self.frame, self.graph, self.hud, self.panel, first, start)
        self.scene.add(self.hud)
        self.play(
            Create(self.graph.axes),
            Create(self.graph.curve),
            Write(self.graph.label),
            FadeIn(self.panel),
            run_time=1.8,
        )
        self.hud.add(self.panel)

    def step_slide(self, step: Step) -> None:
        assert step.spec is not None
        row = step.spec.rows(step.point_index)[0]
        if step.point_index == 0:
            self.rig.aim(row)
            self.scene.add(self.rig.dot)
            self.play(FadeIn(self.rig.dot), run_time=0.4)
        else:
            self._clear_nudge()
        self.play(*self.rig.slide_to(row), run_time=2.0)

    def _clear_nudge(self) -> None:
        """Fade the triangle, tangent, table and nudge readouts (camera still), then zoom out."""
        gone = [self.rig.triangle, self.rig.labels, self.rig.tangent, self.table]
        self.hud.remove(self.table, self.panel.nudge_rows)
        self.play(*(FadeOut(m) for m in gone), FadeOut(self.panel.nudge_rows), run_time=0.6)
        self.table.rows.submobjects.clear()
        self.play(*self.rig.zoom_out(), run_time=1.2)

    def step_nudge(self, step: Step) -> None:
        row = step.row
        assert row is not None
        self.rig.aim(row)
        self.rig.log_da.set_value(_log10(row.da))
        self.rig._place_triangle()
        self.rig._place_labels()
        self.rig._show_readouts()
        self.hud.home(self.table)
        self.hud.home(self.panel.nudge_rows)
        self.play(*self.rig.appear(), FadeIn(self.panel.nudge_rows), FadeIn(self.table.header),
                  run_time=1.2)
        self.hud.add(self.panel.nudge_rows, self.table)
        self.scene.add(self.rig.triangle, self.rig.labels)
        self.play(*self.rig.zoom_to(row), run_time=1.3)
        self._add_table_row(step, 0)

    def step_shrink(self, step: Step) -> None:
        row = step.row
        assert row is not None and step.spec is not None
        index = list(step.spec.schedule_at(step.point_index)).index(row.da.q)
        self.play(*self.rig.zoom_to(row), run_time=2.2)
        self._add_table_row(step, index)

    def _add_table_row(self, step: Step, index: int) -> None:
        assert step.row is not None
        cells = self.hud.home(self.table.make_row(step.row, index))
        self.play(FadeIn(cells, shift=0.001 * DOWN), run_time=0.5)
        self.table.rows.add(cells)

    def step_slope(self, step: Step) -> None:
        row = step.row
        assert row is not None and step.spec is not None
        n = len(step.spec.schedule_at(step.point_index))
        cell = self.hud.home(self.table.make_slope_row(row, n))
        self.scene.add(self.rig.tangent)
        self.play(self.rig.show_tangent(), run_time=0.8)
        self.play(FadeIn(cell), run_time=0.6)
        self.table.rows.add(cell)
        self.play(*self.rig.zoom_out(), run_time=1.6)

    def step_leftover(self, step: Step) -> None:
        e = step.expansion
        assert e is not None
        sym = MathTypst(f"{e.lhs_typst} = " + " + ".join(t.typst for t in e.terms),
                        font_size=palette.SIZE_LABEL)
        num = MathTypst(
            f"{e.total.text()} = " + " + ".join(t.value.text() for t in e.terms),
            font_size=palette.SIZE_LABEL,
        )
        for mob, term_colors in ((sym, None), (num, None)):
            mob.set_color(palette.TEXT)
            del term_colors
        card = VGroup(sym, num).arrange(DOWN, aligned_edge=LEFT, buff=0.22)
        card.move_to([-2.6, -3.15, 0])
        box = SurroundingRectangle(card, buff=0.18, corner_radius=0.1, color=palette.MUTED,
                                   stroke_width=1, fill_color=palette.PANEL_FILL, fill_opacity=0.94)
        self.leftover = VGroup(box, card)
        self.hud.home(self.leftover)
        self.play(FadeIn(self.leftover), run_time=0.8)
        self.hud.add(self.leftover)

    def step_rule(self, step: Step) -> None:
        spec = step.spec
        assert spec is not None
        fn = spec.function
        fading = [self.rig.triangle, self.rig.labels, self.rig.tangent]
        if getattr(self, "leftover", None) is not None:
            self.hud.remove(self.leftover)
            fading.append(self.leftover)
            self.leftover = None
        self.play(*(FadeOut(m) for m in fading), run_time=0.5)
        rule = MathTypst(f"f'(a) = {fn.derivative_typst}", font_size=palette.SIZE_TITLE)
        rule.set_color(palette.SLOPE)
        rule.next_to(self.graph.label, DOWN, aligned_edge=LEFT, buff=0.3)
        marks = VGroup()
        for a in spec.points:
            at = nudge(fn, a, spec.schedule[-1])
            p = self.graph.axes.c2p(float(a), float(at.f_a))
            direction = [self.graph.layout.x_unit, float(at.slope) * self.graph.layout.y_unit, 0]
            seg = Line([0, 0, 0], direction).set_length(1.6).move_to(p)
            seg.set_stroke(palette.SLOPE, 4)
            sub = fn.derivative_at_typst.format(a=at.a.text())
            same = sub == at.slope.text()
            label = MathTypst(
                f"f'({at.a.text()}) = " + ("" if same else f"{sub} = ") + at.slope.text(),
                font_size=palette.SIZE_LABEL,
            ).set_color(palette.SLOPE)
            label.next_to(seg.get_end(), LEFT + 0.0 * UR, buff=0.15).shift(0.35 * UP)
            marks.add(VGroup(seg, label))
        self.play(Write(rule), run_time=1.0)
        self.play(*(Create(m[0]) for m in marks), *(FadeIn(m[1]) for m in marks), run_time=1.2)
        self.rule_marks = VGroup(rule, marks)

    # -- lesson-only steps -----------------------------------------------------------------
    def end_clip(self) -> None:
        """Clear the stage for the next clip."""
        self.rig.detach()
        self.hud.clear_updaters()
        everything = [m for m in self.scene.mobjects if m is not self.frame]
        self.play(*(FadeOut(m) for m in everything), run_time=0.6)
        self.scene.remove(*everything)

    def step_title(self, step: Step) -> None:
        title = Typst(f"*{_lesson(self).title}*", font_size=64).set_color(palette.TEXT)
        sub = Typst("The derivative is a slope, and the slope can change",
                    font_size=32).set_color(palette.MUTED)
        VGroup(title, sub).arrange(DOWN, buff=0.4)
        self.play(Write(title), FadeIn(sub, shift=0.2 * UP), run_time=1.5)
        self.scene.wait(0.8)
        self.play(FadeOut(title), FadeOut(sub), run_time=0.5)

    def step_rules(self, step: Step) -> None:
        lesson = _lesson(self)
        head = Typst("*From a table of derivatives*", font_size=44).set_color(palette.TEXT)
        rows = VGroup()
        for c in lesson.clips:
            f = MathTypst(f"f(a) = {c.function.formula_typst}", font_size=40)
            f.set_color(palette.CURVE)
            arrow = MathTypst("arrow.r.long", font_size=40).set_color(palette.MUTED)
            d = MathTypst(f"f'(a) = {c.function.derivative_typst}", font_size=40)
            d.set_color(palette.SLOPE)
            rows.add(VGroup(f, arrow, d))
        for r in rows:
            r[0].move_to([-1.2, 0, 0], aligned_edge=[1, 0, 0])
            r[1].move_to([0, 0, 0])
            r[2].move_to([1.2, 0, 0], aligned_edge=LEFT)
        rows.arrange(DOWN, buff=0.55)
        for r in rows:
            r[1].set_x(0)
            r[0].align_to([-0.6, 0, 0], [1, 0, 0])
            r[2].align_to([0.6, 0, 0], LEFT)
        VGroup(head, rows).arrange(DOWN, buff=0.8)
        self.play(Write(head), run_time=1.0)
        self.play(*(FadeIn(r, shift=0.2 * LEFT) for r in rows), run_time=1.5)
        self.rules_card = VGroup(head, rows)

    def step_takeaways(self, step: Step) -> None:
        self.play(FadeOut(self.rules_card), run_time=0.5)
        lines = VGroup(
            Typst("*1.* The derivative is the slope of the curve, and the slope can be "
                  "different at different points.", font_size=34),
            Typst("*2.* To find a derivative, look its formula up in a table "
                  "(a calculus book, Wikipedia).", font_size=34),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.6).set_color(palette.TEXT)
        lines.set(width=min(lines.width, 12.4))
        for line in lines:
            self.play(FadeIn(line, shift=0.2 * UP), run_time=1.0)


def _log10(v: object) -> float:
    import math

    return math.log10(float(v))  # type: ignore[arg-type]


def _lesson(director: LessonDirector) -> LessonSpec:
    lesson = getattr(director, "lesson", None)
    assert lesson is not None, "lesson steps need director.lesson"
    return lesson
