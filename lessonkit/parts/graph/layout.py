"""Where a graph's boxes go: columns by depth (inputs left, the output right), each column
spread evenly, each column's boxes as wide as its longest formula needs and as tall as its
number of boxes allows; pure arithmetic, measured in tests."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["GraphLayout", "layout_graph", "name_typst", "AREA", "PANEL_TOP", "GAP"]

#: the part of the frame the graph may use: x0, y0, x1, y1 (the bottom strip holds the
#: nudge and chain-rule lines)
AREA = (-6.8, -1.6, 6.8, 3.7)
#: the top of the bottom strip
PANEL_TOP = -2.0
#: the largest box, and the smallest width a box gets
MAX_BOX = (3.6, 1.6)
MIN_WIDTH = 1.3
#: room between columns (the local derivatives sit on the edges there) and rows
GAP = (1.5, 0.3)
#: scene units per character of a formula at the boxes' type size
CHAR = 0.16


@dataclass(frozen=True)
class GraphLayout:
    """Box centres and sizes by node name."""

    centres: dict[str, tuple[float, float]]
    sizes: dict[str, tuple[float, float]]

    def box(self, name: str) -> tuple[float, float, float, float]:
        x, y = self.centres[name]
        w, h = self.sizes[name]
        return (x - w / 2, y - h / 2, x + w / 2, y + h / 2)


def layout_graph(
    names: Sequence[str], depths: Sequence[int], lengths: Sequence[int] | None = None
) -> GraphLayout:
    """Columns by depth, nodes of a column top to bottom in the given order; `lengths`
    (characters of each box's longest line) widen the columns that need it."""
    lengths = lengths or [4] * len(names)
    columns: dict[int, list[int]] = {}
    for i, depth in enumerate(depths):
        columns.setdefault(depth, []).append(i)
    order = sorted(columns)
    x0, y0, x1, y1 = AREA
    wanted = [
        min(MAX_BOX[0], max(MIN_WIDTH, CHAR * max(lengths[i] for i in columns[d]) + 0.4))
        for d in order
    ]
    room = x1 - x0 - GAP[0] * (len(order) - 1)
    scale = min(1.0, room / sum(wanted))
    widths = [w * scale for w in wanted]
    spare = room - sum(widths)
    gap = GAP[0] + (spare / (len(order) - 1) if len(order) > 1 else 0.0)
    centres: dict[str, tuple[float, float]] = {}
    sizes: dict[str, tuple[float, float]] = {}
    left = x0 if len(order) > 1 else (x0 + x1 - widths[0]) / 2
    for d, width in zip(order, widths, strict=True):
        column = columns[d]
        height = min(MAX_BOX[1], (y1 - y0 - GAP[1] * (len(column) - 1)) / len(column))
        pitch = height + GAP[1] + (0.25 if len(column) > 1 else 0.0)
        span = min((len(column) - 1) * pitch, y1 - y0 - height)
        top = (y0 + y1) / 2 + span / 2
        for k, i in enumerate(column):
            y = top - (span / (len(column) - 1) * k if len(column) > 1 else 0.0)
            centres[names[i]] = (left + width / 2, y)
            sizes[names[i]] = (width, height)
        left += width + gap
    return GraphLayout(centres, sizes)


def name_typst(name: str) -> str:
    """A node's name as Typst math: 'w1' -> w_1, 'yhat' -> hat(y), 'loss' -> italic("loss")."""
    from lessonkit.maths.expression.printing import name_text

    return name_text(name, "typst")
