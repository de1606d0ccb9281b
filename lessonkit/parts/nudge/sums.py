"""Text typeset once in the panel: long sums wrapped into lines, and the ONE_OFF cache flag."""

from __future__ import annotations

from manim import MathTypst

from lessonkit.draw import palette

__all__ = ["ONE_OFF", "WRAP_INDENT", "wrap_terms"]

#: pass as `use_svg_cache` for text typeset once: Manim's SVG cache deep-copies every new
#: mobject into itself, a cost only repeated text earns back
ONE_OFF = False

#: how far a wrapped sum's continuation lines sit to the right of its first line
WRAP_INDENT = 0.45


def wrap_terms(
    lead: str, terms: list[str], max_width: float, font_size: float = palette.SIZE_LABEL
) -> list[MathTypst]:
    """'lead t1 + t2 - t3 ...' typeset as lines no wider than max_width, broken before an
    operator (negative terms fold their sign into it).

    Keeps the type at full size (legible at 480p) instead of shrinking a long sum to fit.
    Continuation lines are narrower by WRAP_INDENT and marked `continued`, so the caller can
    indent them after aligning the lines' left edges.
    """
    lines: list[MathTypst] = []
    current = f"{lead} {terms[0]}"
    for term in terms[1:]:
        joined = f"- {term[1:]}" if term.startswith("-") else f"+ {term}"
        room = max_width - (WRAP_INDENT if lines else 0.0)
        trial = MathTypst(f"{current} {joined}", font_size=font_size, use_svg_cache=False)
        if trial.width <= room:
            current = f"{current} {joined}"
            continue
        lines.append(MathTypst(current, font_size=font_size, use_svg_cache=False))
        current = joined
    lines.append(MathTypst(current, font_size=font_size, use_svg_cache=False))
    for i, line in enumerate(lines):
        line.continued = i > 0
        room = max_width - (WRAP_INDENT if i else 0.0)
        line.scale(min(1.0, room / line.width))
    return lines
