"""A naive reference implementation of the reference clip, written as a typical Manim user would.

NOT part of the product: it exists only so the benchmark can say how much faster lessonkit is
than the obvious way of writing the same clip (a² at 2, Δa = 1, 0.1, 0.01, 0.001).

What makes it "naive" is the usual Manim idiom: every label, readout, line and dot that
changes is an `always_redraw(lambda: ...)` that builds a brand-new mobject on every frame
(`Text` for the live numbers, `MathTypst` for math, new `Line`s and `Dot`s), and everything that
must stay on screen while the camera zooms is rebuilt at the frame's current place and scale.
Holds are plain `self.wait(...)`, so the updaters keep running through them.

Kept equal to the product on purpose, so the comparison measures only the per-frame work:
  - the same storyboard: 9 parts lasting 2.5, 3, 4, 3.5 x 3, 4, 4.5, 4.5 s (33 s), made of
    plays with the same run times as scenes/choreography.py;
  - the same picture: the same axes (MathTypst tick labels), the same 1600-piece curve,
    the same colours, a readout panel, a convergence table, the leftover terms and the rule;
  - the same zoom idea: the camera frame zooms onto the nudge triangle (to about 1000x);
  - the camera class: lessonkit's `ZoomCamera`. Manim's stock `MovingCamera` draws stroke
    widths in scene units, so at a 1000x zoom the 4 px curve becomes a band wider than the
    picture (measured: 1080 lit pixels in a 1080 px column at 1000x) and the clip shows
    nothing; the camera class itself costs about the same per frame.
No MathTex anywhere (there is no LaTeX on these machines).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from manim import (
    DOWN,
    LEFT,
    ORIGIN,
    RIGHT,
    UL,
    UP,
    Axes,
    Create,
    Dot,
    FadeIn,
    FadeOut,
    Line,
    MathTypst,
    Mobject,
    MovingCameraScene,
    RoundedRectangle,
    Text,
    ValueTracker,
    VGroup,
    Write,
    always_redraw,
    smooth,
)

from lessonkit.draw.camera import ZoomCamera

__all__ = ["NaiveNudgeScene"]

# colours and sizes picked to match the product's picture
BACKGROUND = "#0E1116"
CURVE = "#58C4DD"
POINT = "#FFD23F"
NUDGE_A = "#7BD389"
NUDGE_F = "#FF8C42"
SLOPE = "#E86CD6"
TEXT = "#ECEFF4"
MUTED = "#8A93A3"
PANEL_FILL = "#161B22"

HOME_WIDTH = 8.0 * 16 / 9  # the frame's width at full view


def f(x: float) -> float:
    return x * x


class NaiveNudgeScene(MovingCameraScene):
    """a² at 2 with Δa = 1 -> 0.001, every changing thing rebuilt on every frame."""

    A = 2.0
    NUDGES = (1.0, 0.1, 0.01, 0.001)

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("camera_class", ZoomCamera)
        super().__init__(**kwargs)

    # -- helpers a user would write at the top of construct ------------------------------
    def zoom(self) -> float:
        return float(self.camera.frame.width) / HOME_WIDTH

    def pin(self, mob: Mobject) -> Mobject:
        """Put a mobject built at full-view coordinates where the zoomed frame shows it."""
        return mob.scale(self.zoom(), about_point=ORIGIN).shift(self.camera.frame.get_center())

    def nudge_view(self, da: float) -> tuple[float, np.ndarray]:
        """Frame width and centre that keep the Δa-by-Δf triangle a quarter of the picture."""
        p = self.axes.c2p(self.A, f(self.A))
        r = self.axes.c2p(self.A + da, f(self.A + da))
        width = min(HOME_WIDTH, max(r[0] - p[0], (r[1] - p[1]) * 16 / 9) / 0.26)
        centre = (p + r) / 2 + np.array([0.2 * width, 0.02 * width * 9 / 16, 0])
        return width, centre

    # -- the clip -------------------------------------------------------------------------
    def construct(self) -> None:
        self.camera.background_color = BACKGROUND
        frame = self.camera.frame
        a = ValueTracker(1.0)
        da = ValueTracker(self.NUDGES[0])
        table_rows: list[tuple[str, str]] = []

        axes = Axes(
            x_range=[0, 6, 1], y_range=[0, 36, 6], x_length=7.4, y_length=5.6, tips=False,
            axis_config={"label_constructor": MathTypst, "font_size": 24, "color": MUTED,
                         "include_numbers": True, "stroke_width": 2},
        )
        axes.shift(np.array([-2.75, -0.35, 0]) - axes.c2p(3, 18))
        self.axes = axes
        curve = axes.plot(f, x_range=[0, 6, 6 / 1600], color=CURVE, stroke_width=4,
                          use_smoothing=False)

        def values() -> tuple[float, float, float, float]:
            x, d = a.get_value(), da.get_value()
            return x, f(x), d, f(x + d)

        def corners() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
            x, fx, d, fxd = values()
            return axes.c2p(x, fx), axes.c2p(x + d, fx), axes.c2p(x + d, fxd)

        # the formula, pinned to the frame's top left
        title = always_redraw(lambda: self.pin(
            MathTypst("f(a) = a^2", font_size=40, color=CURVE).move_to(
                axes.c2p(0, 36) + np.array([0.35, -0.1, 0]), aligned_edge=UL)))

        def panel_rows(rows: list[tuple[str, str]]) -> VGroup:
            group = VGroup(*(Text(text, font_size=22, color=color) for text, color in rows))
            return group.arrange(DOWN, aligned_edge=LEFT, buff=0.22)

        def point_panel() -> Mobject:
            x, fx, _, _ = values()
            background = RoundedRectangle(width=4.6, height=7.5, corner_radius=0.15,
                                          fill_color=PANEL_FILL, fill_opacity=1.0,
                                          stroke_color=MUTED, stroke_width=1)
            background.move_to([4.65, 0, 0])
            rows = panel_rows([(f"a = {x:.3f}", POINT), (f"f(a) = {fx:.3f}", POINT)])
            rows.move_to([2.75, 3.45, 0], aligned_edge=UL)
            return self.pin(VGroup(background, rows))

        def nudge_panel() -> Mobject:
            _, fx, d, fxd = values()
            rows = panel_rows([
                (f"Δa = {d:.3f}", NUDGE_A),
                (f"f(a + Δa) = {fxd:.6f}", TEXT),
                (f"Δf = {fxd - fx:.6f}", NUDGE_F),
                (f"Δf/Δa = {(fxd - fx) / d:.4f}", SLOPE),
            ])
            rows.move_to([2.75, 2.55, 0], aligned_edge=UL)
            return self.pin(rows)

        def table_row(index: int, left: str, right: str) -> VGroup:
            y = 0.0 - index * 0.44
            cells = VGroup(MathTypst(left, font_size=28, color=NUDGE_A),
                           MathTypst(right, font_size=28, color=SLOPE))
            cells[0].move_to([2.8, y, 0], aligned_edge=LEFT)
            cells[1].move_to([4.5, y, 0], aligned_edge=LEFT)
            return cells

        def table() -> Mobject:
            head = VGroup(MathTypst("Delta a", font_size=28, color=NUDGE_A),
                          MathTypst("Delta f \\/ Delta a", font_size=28, color=SLOPE))
            head[0].move_to([2.8, 0.5, 0], aligned_edge=LEFT)
            head[1].move_to([4.5, 0.5, 0], aligned_edge=LEFT)
            rule = Line([2.7, 0.25, 0], [6.7, 0.25, 0], color=MUTED, stroke_width=1.5)
            rows = [table_row(i, left, right) for i, (left, right) in enumerate(table_rows)]
            return self.pin(VGroup(head, rule, *rows))

        dot = always_redraw(lambda: Dot(corners()[0], radius=0.085 * self.zoom(), color=POINT))
        dx_line = always_redraw(lambda: Line(corners()[0], corners()[1], color=NUDGE_A,
                                             stroke_width=5))
        df_line = always_redraw(lambda: Line(corners()[1], corners()[2], color=NUDGE_F,
                                             stroke_width=5))

        def secant() -> Mobject:
            p, _, r = corners()
            direction = (r - p) / np.linalg.norm(r - p)
            reach = 0.22 * HOME_WIDTH * self.zoom()
            return Line(p - direction * reach, r + direction * reach, color=SLOPE,
                        stroke_width=4)

        def tangent() -> Mobject:
            p = corners()[0]
            direction = np.array([axes.x_length / 6, 2 * self.A * axes.y_length / 36, 0])
            direction /= np.linalg.norm(direction)
            reach = 0.3 * HOME_WIDTH * self.zoom()
            return Line(p - direction * reach, p + direction * reach, color=SLOPE,
                        stroke_width=3, stroke_opacity=0.55)

        def da_label() -> Mobject:
            p, q, _ = corners()
            label = Text(f"Δa = {da.get_value():.3f}", font_size=20, color=NUDGE_A)
            return label.scale(self.zoom()).next_to((p + q) / 2, DOWN, buff=0.14 * self.zoom())

        def df_label() -> Mobject:
            _, fx, _, fxd = values()
            _, q, r = corners()
            label = Text(f"Δf = {fxd - fx:.6f}", font_size=20, color=NUDGE_F)
            return label.scale(self.zoom()).next_to((q + r) / 2, RIGHT, buff=0.14 * self.zoom())

        secant_line = always_redraw(secant)
        tip = always_redraw(lambda: Dot(corners()[2], radius=0.06 * self.zoom(), color=NUDGE_F))
        da_text = always_redraw(da_label)
        df_text = always_redraw(df_label)
        points = always_redraw(point_panel)
        nudges = always_redraw(nudge_panel)
        tab = always_redraw(table)

        def add_row(left: str, right: str, run_time: float) -> None:
            row = self.pin(table_row(len(table_rows), left, right))
            self.play(FadeIn(row), run_time=run_time)
            self.remove(row)
            table_rows.append((left, right))

        # graph (2.5 s)
        self.play(Create(axes), Create(curve), run_time=1.5)
        self.play(FadeIn(title), FadeIn(points), run_time=0.8)
        self.wait(0.2)

        # slide the point to a = 2 (3 s)
        self.play(FadeIn(dot), run_time=0.4)
        self.play(a.animate(rate_func=smooth).set_value(self.A), run_time=2.0)
        self.wait(0.6)

        # first nudge, Δa = 1 (4 s)
        self.play(FadeIn(nudges), FadeIn(tab), Create(dx_line), Create(df_line),
                  Create(secant_line), FadeIn(tip), FadeIn(da_text), FadeIn(df_text),
                  run_time=1.2)
        width, centre = self.nudge_view(self.NUDGES[0])
        self.play(frame.animate.set(width=width).move_to(centre), run_time=1.3)
        add_row("1", "5", 0.5)
        self.wait(1.0)

        # shrink the nudge three times (3.5 s each)
        for d in self.NUDGES[1:]:
            width, centre = self.nudge_view(d)
            self.play(da.animate.set_value(d), frame.animate.set(width=width).move_to(centre),
                      run_time=2.2)
            ratio = (f(self.A + d) - f(self.A)) / d
            add_row(f"{d:g}", f"{ratio:g}", 0.5)
            self.wait(0.8)

        # the tangent, then zoom out (4 s)
        tangent_line = always_redraw(tangent)
        self.play(Create(tangent_line), run_time=0.8)
        add_row("", "f'(2) = 4", 0.6)
        self.play(FadeOut(da_text), FadeOut(df_text), FadeOut(dx_line), FadeOut(df_line),
                  run_time=0.4)
        self.play(frame.animate.set(width=HOME_WIDTH).move_to(ORIGIN), run_time=1.6)
        self.wait(0.6)

        # where the extra 0.001 comes from (4.5 s)
        self.play(FadeOut(tab), run_time=0.4)
        leftover = VGroup(
            MathTypst("(a + Delta a)^2 = a^2 + 2 a Delta a + (Delta a)^2", font_size=28),
            MathTypst("4.004001", font_size=28, color=NUDGE_F),
            MathTypst("= 4 + 0.004 + 0.000001", font_size=28),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        leftover.set(width=4.0).move_to([2.7, 0.3, 0], aligned_edge=UP + LEFT)
        self.play(FadeIn(leftover), run_time=0.8)
        self.wait(3.3)

        # the rule (4.5 s)
        self.play(FadeOut(leftover), run_time=0.5)
        self.play(FadeOut(secant_line), FadeOut(tip), FadeOut(tangent_line), run_time=0.5)
        rule = MathTypst("f'(a) = 2a", font_size=40, color=SLOPE)
        rule.next_to(title, DOWN, aligned_edge=LEFT, buff=0.3)
        self.play(Write(rule), run_time=1.0)
        p = axes.c2p(self.A, f(self.A))
        mark = Line(ORIGIN, [axes.x_length / 6, 4 * axes.y_length / 36, 0])
        mark.set_length(1.6).move_to(p).set_stroke(SLOPE, 4)
        label = MathTypst("f'(2) = 2 dot 2 = 4", font_size=28, color=SLOPE)
        label.next_to(p, UL, buff=0.2)
        self.play(Create(mark), FadeIn(label), run_time=1.2)
        self.wait(1.3)

    @staticmethod
    def seconds() -> float:
        """The clip's length by construction, the same as the product's storyboard."""
        return 2.5 + 3.0 + 4.0 + 3 * 3.5 + 4.0 + 4.5 + 4.5

