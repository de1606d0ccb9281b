"""`lessonkit table` of a graph part: the forward values, then each derivative shown with
the nudged values that find it and the chain-rule product that agrees with them."""

from __future__ import annotations

import csv
import io
import json

from lessonkit.maths.numbers import SIGNIFICANT_DIGITS, Value
from lessonkit.parts.graph.reading import GraphPart
from lessonkit.parts.graph.steps import chain_terms

__all__ = ["graph_table", "graph_records"]

COLUMNS = (
    ("node", "node"),
    ("value", "value"),
    ("nudged", "nudged"),
    ("output", "{out}"),
    ("output_nudged", "{out} nudged"),
    ("change", "Δ{out}"),
    ("ratio", "Δ{out}/Δnode"),
    ("derivative", "d{out}/dnode"),
    ("chain", "chain rule"),
)


def _t(v: Value, digits: int) -> str:
    return v.marked(digits)


def graph_records(part: GraphPart, digits: int) -> dict[str, object]:
    """Everything the table shows, as plain texts (≈ marks a rounded value)."""
    graph = part.graph()
    out = graph.output
    h = part.nudge
    nodes = [
        {
            "name": n.name,
            "formula": n.formula_text,
            "depth": n.depth,
            "value": _t(graph.value(n.name), digits),
        }
        for n in graph.nodes
    ]
    rows = []
    for name in part.show:
        nudged = graph.nudged(name, h)
        exact = nudged[out].shows_exactly and graph.value(out).shows_exactly
        change = nudged[out].q - graph.value(out).q
        terms = chain_terms(graph, name)
        chain = " + ".join(
            f"{_t(dc, digits)} · {_t(loc, digits)}" if c != out else _t(loc, digits)
            for c, dc, loc in terms
        )
        rows.append(
            {
                "node": name,
                "value": _t(graph.value(name), digits),
                "nudged": _t(nudged[name], digits),
                "output": _t(graph.value(out), digits),
                "output_nudged": _t(nudged[out], digits),
                "change": _t(Value(change, exact), digits),
                "ratio": _t(Value(change / h, exact), digits),
                "derivative": _t(graph.derivative(name), digits),
                "chain": chain or "1",
                "downstream": [
                    {"node": d, "from": _t(graph.value(d), digits), "to": _t(nudged[d], digits)}
                    for d in graph.downstream(name)
                ],
            }
        )
    return {
        "graph": part.name,
        "output": out,
        "nudge": Value(h).text(),
        "significant_digits": digits,
        "nodes": nodes,
        "derivatives": rows,
    }


def graph_table(part: GraphPart, fmt: str, digits: int | None = None) -> str:
    """The part's table in `fmt`: text (aligned), json or csv."""
    data = graph_records(part, digits or SIGNIFICANT_DIGITS)
    out = str(data["output"])
    rows = data["derivatives"]
    assert isinstance(rows, list)
    if fmt == "json":
        return json.dumps(data, indent=2, ensure_ascii=False)
    heads = [h.format(out=out) for _, h in COLUMNS]
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow([k for k, _ in COLUMNS])
        for r in rows:
            writer.writerow([r[k] for k, _ in COLUMNS])
        return buf.getvalue()
    nodes = data["nodes"]
    assert isinstance(nodes, list)
    lines = [f"{data['graph']}: forward pass, nudge {data['nudge']}"]
    for n in nodes:
        formula = "" if n["depth"] == 0 else f" = {n['formula']}"
        value = str(n["value"])
        shown = f"≈ {value[1:]}" if value.startswith("≈") else f"= {value}"
        lines.append(f"  {n['name']}{formula} {shown}")
    lines.append("")
    cells = [heads] + [[str(r[k]) for k, _ in COLUMNS] for r in rows]
    widths = [max(len(c[i]) for c in cells) for i in range(len(heads))]
    for c in cells:
        lines.append("  ".join(x.ljust(w) for x, w in zip(c, widths, strict=True)).rstrip())
    if any("≈" in str(v) for r in rows for v in r.values()):
        lines.append("")
        lines.append(f"≈ marks values rounded to {data['significant_digits']} significant digits.")
    return "\n".join(lines) + "\n"
