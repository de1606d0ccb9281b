"""How a graph part is played: boxes by depth with their formulas, values flowing left to
right, then for each derivative the nudge flowing forward and the chain rule flowing back."""

from __future__ import annotations

from typing import Any

from manim import (
    DOWN,
    UP,
    Arrow,
    FadeIn,
    FadeOut,
    Indicate,
    MathTypst,
    Mobject,
    RoundedRectangle,
    VGroup,
    Write,
)

from lessonkit.draw import palette
from lessonkit.lesson.storyboard import Step
from lessonkit.maths.numbers import Value
from lessonkit.parts.graph.layout import GAP, PANEL_TOP, layout_graph, name_typst
from lessonkit.parts.graph.steps import chain_terms, part_from_json

__all__ = ["GraphStage", "draw_graph_step"]


def draw_graph_step(director: Any, step: Step) -> None:
    """Play one step of a graph part: its build step sets up the part's stage."""
    if step.kind == "build" or not isinstance(director.part_stage, GraphStage):
        director.part_stage = GraphStage(director, step)
    getattr(director.part_stage, f"step_{step.kind}")(step)


def _math(source: str, size: float, colour: str) -> MathTypst:
    return MathTypst(source, font_size=size).set_color(colour)


def _fit(mob: Mobject, width: float, height: float) -> Mobject:
    if mob.width > width:
        mob.scale_to_fit_width(width)
    if mob.height > height:
        mob.scale_to_fit_height(height)
    return mob


def _d(top: str, bottom: str, partial: bool = False, inline: bool = False) -> str:
    """dJ/db as Typst math: a fraction, or `inline` on one line (labels inside the graph)."""
    d = "partial" if partial else "d"
    if inline:
        return f"{d} {name_typst(top)} \\/ {d} {name_typst(bottom)}"
    return f"({d} {name_typst(top)})/({d} {name_typst(bottom)})"


#: formulas longer than this (characters) are written under the graph, not in the box
LONG = 26


def columns(graph: Any) -> list[int]:
    """Each node's column: its depth, but an input sits just left of its first reader (y,
    read only by the loss, stands beside ŷ rather than with the features)."""
    out = []
    for n in graph.nodes:
        if n.depth:
            out.append(n.depth)
            continue
        readers = [m.depth for m in graph.nodes if n.name in m.inputs]
        out.append(max(0, min(readers, default=1) - 1))
    return out


class GraphStage:
    """A graph part on the director's scene: boxes, edges and the lines under them."""

    def __init__(self, director: Any, step: Step) -> None:
        self.director = director
        self.part = part_from_json(step.extra["part"])
        self.digits = int(step.extra.get("digits", "5"))
        self.graph = self.part.graph()
        nodes = self.graph.nodes
        lengths = []
        for n in nodes:  # the longest line a box shows: its formula, or a nudged value
            value = len(self.graph.value(n.name).text(self.digits)) + 2
            nudged = 2 * value + 3 + (len(n.name) + 3 if n.depth == 0 else 0)
            formula = len(n.formula_text) if len(n.formula_text) <= LONG else 0
            lengths.append(max(nudged, len(n.name) + 3 + formula))
        self.long = {n.name for n in nodes if len(n.formula_text) > LONG}
        self.layout = layout_graph([n.name for n in nodes], columns(self.graph), lengths)
        self.boxes: dict[str, RoundedRectangle] = {}
        self.heads: dict[str, Mobject] = {}
        self.values: dict[str, Mobject] = {}
        self.tags: dict[str, Mobject] = {}
        self.edges: dict[tuple[str, str], Arrow] = {}
        self.notes: list[Mobject] = []  # what the last nudge or chain step put up
        self.hidden: list[Mobject] = []  # values a nudge step replaced, back at its chain step
        self.drawn = False

    # -- pieces ---------------------------------------------------------------------------
    def _value_text(self, v: Value) -> str:
        return ("" if v.shows_exactly else "approx ") + v.text(self.digits)

    def _line(self, name: str, source: str, colour: str, row: str, size: float = 30) -> Mobject:
        """A line of a node's box: `row` is head, value or tag (an input's box has no head:
        its value line reads 'a = 5')."""
        x, y = self.layout.centres[name]
        w, h = self.layout.sizes[name]
        if self.graph.node(name).depth == 0:
            rows, room = {"value": 0.22, "tag": -0.24}, 0.34
        else:
            rows, room = {"head": 0.3, "value": 0.0, "tag": -0.31}, 0.26
        mob = _fit(_math(source, size, colour), w - 0.25, h * room)
        return mob.move_to([x, y + h * rows[row], 0])

    def _value_mob(self, name: str, source: str, colour: str) -> Mobject:
        if self.graph.node(name).depth == 0:
            source = f"{name_typst(name)} = {source}"
        return self._line(name, source, colour, "value")

    def _tag_mob(self, name: str, source: str) -> Mobject:
        """The derivative found for a node, on the bottom line of its box."""
        return self._line(name, source, palette.SLOPE, "tag", 26)

    def _build(self) -> None:
        lay = self.layout
        for n in self.graph.nodes:
            x, y = lay.centres[n.name]
            w, h = lay.sizes[n.name]
            box = RoundedRectangle(corner_radius=min(0.15, h / 4), width=w, height=h)
            box.move_to([x, y, 0]).set_stroke(
                palette.CURVE if n.depth else palette.POINT, 3
            ).set_fill(palette.PANEL_FILL, 1)
            head: Mobject = VGroup()
            if n.depth:  # a long formula is written under the graph instead (step_build)
                formula = "" if n.name in self.long else f" = {n.formula_typst}"
                head = self._line(n.name, f"{name_typst(n.name)}{formula}", palette.TEXT, "head")
            self.boxes[n.name], self.heads[n.name] = box, head
        for n in self.graph.nodes:
            for parent in dict.fromkeys(n.inputs):
                start = self.boxes[parent].get_right()
                end = self.boxes[n.name].get_left()
                arrow = Arrow(start, end, buff=0.08, stroke_width=3, tip_length=0.18)
                self.edges[(parent, n.name)] = arrow.set_color(palette.MUTED)
        self.drawn = True

    def _panel(self, *sources: str) -> VGroup:
        lines = VGroup(*(_math(s, 32, palette.TEXT) for s in sources))
        lines.arrange(DOWN, buff=0.25)
        _fit(lines, 13.0, 1.7)
        return lines.move_to([0, PANEL_TOP - 0.1 - lines.height / 2, 0])

    def _restore_values(self) -> None:
        """Bring back the values the last nudge replaced (its chain step, or the next nudge
        when the output itself was nudged and has no chain step)."""
        if self.hidden:
            self.director.play(*(FadeIn(m) for m in self.hidden), run_time=0.3)
            self.hidden = []

    def _clear_notes(self) -> None:
        if self.notes:
            self.director.play(*(FadeOut(m) for m in self.notes), run_time=0.4)
            self.notes = []

    # -- steps ----------------------------------------------------------------------------
    def step_build(self, step: Step) -> None:
        self._build()
        inputs = [n.name for n in self.graph.nodes if n.depth == 0]
        for name in inputs:
            v = self.graph.value(name)
            self.values[name] = self._value_mob(name, self._value_text(v), palette.POINT)
        d = self.director
        d.play(*(FadeIn(VGroup(self.boxes[k], self.heads[k])) for k in self.boxes), run_time=1.0)
        d.play(*(FadeIn(e) for e in self.edges.values()), run_time=0.6)
        d.play(*(Write(self.values[k]) for k in inputs), run_time=0.4)
        long = [n for n in self.graph.nodes if n.name in self.long]
        if long:  # until the first nudge, under the graph
            panel = self._panel(*(f"{name_typst(n.name)} = {n.formula_typst}" for n in long))
            d.play(FadeIn(panel), run_time=0.4)
            self.notes = [panel]

    def step_forward(self, step: Step) -> None:
        if not self.drawn:
            self._build()
        for n in self.graph.nodes:
            if n.depth == 0:
                continue
            v = self.graph.value(n.name)
            self.values[n.name] = self._value_mob(n.name, self._value_text(v), palette.CURVE)
            flashes = [
                Indicate(self.edges[(p, n.name)], color=palette.CURVE, scale_factor=1.0)
                for p in dict.fromkeys(n.inputs)
            ]
            self.director.play(*flashes, FadeIn(self.values[n.name]), run_time=0.8)

    def step_nudge(self, step: Step) -> None:
        self._clear_notes()
        self._restore_values()
        node, out, h = step.extra["node"], self.graph.output, self.part.nudge
        nudged = self.graph.nudged(node, h)
        changed = [node, *(d for d in self.graph.downstream(node) if d != node)]
        notes: list[Mobject] = []
        for name in changed:
            colour = palette.NUDGE_A if name == node else palette.NUDGE_F
            before, after = self.graph.value(name), nudged[name]
            src = f"{self._value_text(before)} arrow.r {self._value_text(after)}"
            notes.append(self._value_mob(name, src, colour))
        change = nudged[out].q - self.graph.value(out).q
        exact = nudged[out].shows_exactly and self.graph.value(out).shows_exactly
        ratio = Value(change / h, exact)
        rel = "=" if ratio.shows_exactly else "approx"
        line = (
            f"Delta {name_typst(node)} = {Value(h).text()}, quad "
            f"Delta {name_typst(out)} {'=' if exact else 'approx'} "
            f"{Value(change, exact).text(self.digits)}, quad "
            f"(Delta {name_typst(out)})/(Delta {name_typst(node)}) {rel} {ratio.text(self.digits)}"
        )
        panel = self._panel(line)
        hidden = [self.values[n] for n in changed if n in self.values]
        self.director.play(
            *(FadeOut(m) for m in hidden),
            *(FadeIn(m) for m in notes),
            Indicate(self.boxes[node], color=palette.NUDGE_A, scale_factor=1.05),
            run_time=1.2,
        )
        self.director.play(FadeIn(panel, shift=0.2 * UP), run_time=0.8)
        self.notes = [*notes, panel]
        self.hidden = hidden

    def step_chain(self, step: Step) -> None:
        node, out = step.extra["node"], self.graph.output
        self._clear_notes()
        self._restore_values()
        terms = chain_terms(self.graph, node)
        labels: list[Mobject] = []
        for child, _, local in terms:
            edge = self.edges[(node, child)]
            rel = "=" if local.shows_exactly else "approx"
            src = f"{_d(child, node, partial=True, inline=True)} {rel} {local.text(self.digits)}"
            label = _fit(_math(src, 26, palette.SLOPE), GAP[0] - 0.15, 0.45)
            label.move_to(edge.get_center())
            label.add_background_rectangle(color=palette.BACKGROUND, opacity=0.9, buff=0.06)
            labels.append(label)
        derivative = self.graph.derivative(node)
        rel = "=" if derivative.shows_exactly else "approx"
        symbols = " + ".join(
            _d(out, c) + " dot " + _d(c, node, partial=True) if c != out else _d(out, node, True)
            for c, _, _ in terms
        )
        numbers = " + ".join(
            f"{dc.text(self.digits)} dot {loc.text(self.digits)}"
            if c != out
            else loc.text(self.digits)
            for c, dc, loc in terms
        )
        result = derivative.text(self.digits)
        worked = "" if numbers == result else f" = {numbers}"  # no "= 3 = 3"
        panel = self._panel(f"{_d(out, node)} = {symbols}{worked} {rel} {result}")
        tag = self._tag_mob(
            node, f"{_d(out, node, inline=True)} {rel} {derivative.text(self.digits)}"
        )
        self.director.play(
            *(FadeIn(m) for m in labels),
            *(
                Indicate(self.edges[(node, c)], color=palette.SLOPE, scale_factor=1.0)
                for c, _, _ in terms
            ),
            run_time=1.0,
        )
        self.director.play(FadeIn(panel, shift=0.2 * UP), FadeIn(tag), run_time=1.0)
        self.tags[node] = tag
        self.notes = [*labels, panel]
