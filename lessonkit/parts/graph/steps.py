"""A graph part's steps: build the graph, run it forward, then for each derivative shown
nudge the node (its downstream values change) and multiply back along the edges."""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Any

from lessonkit.lesson.i18n import N_
from lessonkit.lesson.storyboard import Step
from lessonkit.lesson.wording import fill
from lessonkit.maths.compgraph import Graph
from lessonkit.maths.expression.printing import name_text
from lessonkit.maths.numbers import SIGNIFICANT_DIGITS, Value, format_fraction
from lessonkit.parts.graph.reading import GraphPart

__all__ = ["graph_steps", "part_json", "part_from_json", "chain_terms", "step_values", "shown"]


def part_json(part: GraphPart) -> str:
    """The part as JSON, carried by each step: a step is drawn from its own data alone."""
    return json.dumps(
        {
            "graph": part.assignments,
            "inputs": [[k, _text(v)] for k, v in part.inputs],
            "output": part.output,
            "nudge": _text(part.nudge),
            "show": part.show,
            "name": part.name,
            "label": part.label,
        },
        ensure_ascii=False,
    )


def part_from_json(text: str) -> GraphPart:
    data = json.loads(text)
    return GraphPart(
        tuple(data["graph"]),
        tuple((k, Fraction(v)) for k, v in data["inputs"]),
        data["output"],
        Fraction(data["nudge"]),
        tuple(data["show"]),
        data["name"],
        data["label"],
        0,
    )


def _text(q: Fraction) -> str:
    return format_fraction(q) or f"{q.numerator}/{q.denominator}"


def children(graph: Graph, name: str) -> list[str]:
    """The nodes that read `name` directly and lie on a path to the output."""
    on_path = set(graph.downstream(name)) | {graph.output}
    return [n.name for n in graph.nodes if name in n.inputs and n.name in on_path]


def chain_terms(graph: Graph, name: str) -> list[tuple[str, Value, Value]]:
    """dJ/dx = Σ over x's children c of dJ/dc · ∂c/∂x: (c, dJ/dc, ∂c/∂x) for each c."""
    return [(c, graph.derivative(c), graph.local(c, name)) for c in children(graph, name)]


def shown(name: str) -> str:
    """A node's name as a caption writes it: w1 as w₁, yhat as ŷ."""
    return name_text(name, "text")


def _is(v: Value, digits: int) -> str:
    return ("= " if v.shows_exactly else "≈ ") + v.text(digits)


def step_values(
    graph: Graph, kind: str, node: str, h: Fraction, digits: int = SIGNIFICANT_DIGITS
) -> dict[str, Value | str]:
    """The placeholders a graph step offers its caption template (names as written)."""
    out = graph.output
    values: dict[str, Value | str] = {"output": shown(out)}
    if kind == "build":
        values["formulas"] = ", ".join(
            f"{shown(n.name)} = {n.formula_text}" for n in graph.nodes if n.depth > 0
        )
        values["inputs"] = ", ".join(
            f"{shown(n.name)} {_is(graph.value(n.name), digits)}"
            for n in graph.nodes
            if n.depth == 0
        )
        return values
    if kind == "forward":
        values["values"] = ", ".join(
            f"{shown(n.name)} {_is(graph.value(n.name), digits)}"
            for n in graph.nodes
            if n.depth > 0
        )
        values["result"] = graph.value(out)
        return values
    nudged = graph.nudged(node, h)
    d_out = nudged[out].q - graph.value(out).q
    values |= {
        "node": shown(node),
        "from": graph.value(node),
        "to": nudged[node],
        "h": Value(h),
        "out_from": graph.value(out),
        "out_to": nudged[out],
        "change": Value(d_out, nudged[out].shows_exactly and graph.value(out).shows_exactly),
        "ratio": Value(d_out / h, nudged[out].shows_exactly and graph.value(out).shows_exactly),
        "derivative": graph.derivative(node),
    }
    if kind == "chain":
        terms = chain_terms(graph, node)
        o, x = shown(out), shown(node)
        values["product"] = " + ".join(
            f"d{o}/d{shown(c)} · ∂{shown(c)}/∂{x}" if c != out else f"∂{o}/∂{x}"
            for c, _, _ in terms
        )
        values["numbers"] = " + ".join(
            f"{dc.text(digits)} · {loc.text(digits)}" if c != out else loc.text(digits)
            for c, dc, loc in terms
        )
    return values


def _default_caption(kind: str, graph: Graph, node: str) -> str:
    if kind == "build":
        return N_("The computation graph of {output}: {formulas}, from {inputs}.")
    if kind == "forward":
        return N_("Left to right, the forward pass: {values}.")
    if kind == "nudge":
        if node == graph.output:
            return N_("Nudge {output} itself by {h}: the ratio is 1.")
        return N_(
            "Nudge {node} from {from} to {to}: {output} moves from {out_from} to {out_to}, "
            "so Δ{output}/Δ{node} {=ratio}."
        )
    terms = chain_terms(graph, node)
    if [c for c, _, _ in terms] == [graph.output]:
        return N_(
            "{output} is computed from {node} directly: "
            "d{output}/d{node} = ∂{output}/∂{node} {=derivative}."
        )
    if len(terms) > 1:
        return N_(
            "{node} reaches {output} along more than one path, and the paths add up: "
            "d{output}/d{node} = {product} = {numbers} {=derivative}."
        )
    return N_("By the chain rule, d{output}/d{node} = {product} = {numbers} {=derivative}.")


def graph_steps(part: GraphPart, lesson: Any) -> list[Step]:
    """The part's steps, in order: build, forward, then a nudge and a chain step for each
    derivative shown (no chain step for the output itself)."""
    graph = part.graph()
    data = part_json(part)
    words = lesson.words
    digits = lesson.digits
    captions, narration = dict(part.captions), dict(part.narration)
    plan: list[tuple[str, str, str, float]] = [
        ("build", f"{part.name}-build", "", 2.0 + 0.4 * len(graph.nodes)),
        ("forward", f"{part.name}-forward", "", 1.0 + 1.0 * sum(n.depth > 0 for n in graph.nodes)),
    ]
    for node in part.show:
        plan.append(("nudge", f"{part.name}-nudge-{node}", node, 5.0))
        if node != graph.output:
            plan.append(("chain", f"{part.name}-chain-{node}", node, 5.0))
    steps = []
    for kind, name, node, duration in plan:
        values = step_values(graph, kind, node, part.nudge, digits)
        where = f"part {part.name!r}"
        template = (
            captions.get(name) or captions.get(kind) or words(_default_caption(kind, graph, node))
        )
        caption = fill(template, values, digits, f"{where}, captions.{name}")
        spoken = narration.get(name) or narration.get(kind)
        said = fill(spoken, values, digits, f"{where}, narration.{name}") if spoken else ""
        steps.append(
            Step(
                kind,
                name,
                caption,
                duration,
                part=part.name,
                label=part.label,
                words=words,
                narration=said,
                part_kind="graph",
                extra={"part": data, "node": node, "digits": str(digits)},
            )
        )
    return steps
