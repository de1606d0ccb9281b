"""The default point and window of an expression: where the lesson looks at f.

The first candidate point whose neighbourhood [a, a + 1] is defined and free of breaks, and a
window with 1-2-5 ticks around it that shows the curve without running into a pole. Activations
of a linear argument choose for themselves (`activations.view`): σ(a) and tanh(a) are looked at
in 0 and 2 with the whole S in the window, relu(a), |a| and max(0, a) beside their corner, with
the corner in the window.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from fractions import Fraction

from lessonkit.base.errors import LessonError
from lessonkit.maths.expression.activations import view
from lessonkit.maths.expression.breaks import breaks_of
from lessonkit.maths.expression.domain import Domain
from lessonkit.maths.expression.evaluation import evaluate_float, safe_float
from lessonkit.maths.expression.printing import render
from lessonkit.maths.expression.problems import quoted
from lessonkit.maths.expression.tree import Node
from lessonkit.maths.functions import Window, nice_step

_CANDIDATES = ("2", "1", "3", "0.5", "4", "5", "1.5", "0.25", "0", "-1", "-2", "10", "0.1", "-0.5")


def _float_of(tree: Node, x: float) -> float:
    value = safe_float(lambda t: evaluate_float(tree, t), x)
    return value if math.isfinite(value) else math.nan


def _fine(tree: Node, allows: Callable[[Fraction], bool], p: Fraction) -> bool:
    """Defined on [p, p + 1], free of breaks near it, and finite there."""
    if not (allows(p) and allows(p + 1)):
        return False
    if breaks_of(tree, float(p) - 0.25, float(p) + 1.25):
        return False
    return all(math.isfinite(_float_of(tree, float(p) + k / 8)) for k in range(9))


def default_points(tree: Node, allows: Callable[[Fraction], bool]) -> tuple[Fraction, ...]:
    hint = view(tree)
    if hint is not None and all(_fine(tree, allows, p) for p in hint[0]):
        return hint[0]
    for text in _CANDIDATES:
        p = Fraction(text)
        if _fine(tree, allows, p):
            return (p,)
    for text in _CANDIDATES:  # a periodic pole (tan(pi a)): settle for a point that is defined
        p = Fraction(text)
        if allows(p) and not breaks_of(tree, float(p) - 0.1, float(p) + 0.1):
            if math.isfinite(_float_of(tree, float(p))):
                return (p,)
    raise LessonError(
        f"expression {quoted(render(tree, 'source'))}: found no point a where the function "
        "is defined near a and a + 1 (try --at with a point in its domain)"
    )


def _activation_range(tree: Node, lo_need: float, hi_need: float) -> tuple[float, float] | None:
    """[lo_need, hi_need] widened to the S of σ or the corner of relu, when they are near."""
    hint = view(tree)
    if hint is None:
        return None
    lo, hi = min(lo_need, hint[1][0]), max(hi_need, hint[1][1])
    return (lo, hi) if hi - lo <= 2 * (hint[1][1] - hint[1][0]) else None


def _round(x: float) -> float:
    return float(round(x, 10)) + 0.0


def default_window(tree: Node, points: Sequence[Fraction], domain: Domain) -> Window:
    pts = [float(p) for p in points]
    lo_need, hi_need = min(pts), max(pts) + 1
    span_need = hi_need - lo_need
    left_end = domain.left_end
    anchor = float(left_end) if left_end is not None and left_end <= Fraction(lo_need) else 0.0
    shown = _activation_range(tree, lo_need, hi_need) if left_end is None else None
    if shown is not None:
        lo, hi = shown
    elif anchor <= lo_need and lo_need - anchor <= max(3.0, 2 * span_need):
        lo, hi = anchor, hi_need
    else:
        lo, hi = lo_need - 0.5 * span_need, hi_need + 0.5 * span_need
        if left_end is not None and lo < float(left_end):
            lo = float(left_end)
    hard_lo = lo if left_end is not None and lo == float(left_end) else None
    hard_hi: float | None = None
    for b in breaks_of(tree, lo, hi):
        if lo < b < lo_need:
            lo = hard_lo = b
        elif hi_need < b < hi:
            hi = hard_hi = b
    step = nice_step(hi - lo, most=8)
    x_min = math.floor(lo / step + 1e-9) * step
    if hard_lo is not None and x_min < hard_lo:
        x_min = math.ceil(hard_lo / step - 1e-9) * step
        if x_min > lo_need:
            x_min = hard_lo
    x_max = math.ceil(hi / step - 1e-9) * step
    if hard_hi is not None and x_max > hard_hi:
        x_max = math.floor(hard_hi / step + 1e-9) * step
        if x_max < hi_need:
            x_max = hard_hi
    for b in breaks_of(tree, x_min, x_max):  # never a pole strictly inside
        if x_min < b < x_max:
            if b < lo_need:
                x_min = b
            else:
                x_max = b
    x_min, x_max = _round(x_min), _round(x_max)
    y_lo, y_hi = _y_range(tree, pts, x_min, x_max)
    y_step = nice_step(y_hi - y_lo, most=8)
    y_min = math.floor(y_lo / y_step + 1e-9) * y_step
    y_max = math.ceil(y_hi / y_step - 1e-9) * y_step
    if y_max <= y_min:
        y_min, y_max = y_min - y_step, y_max + y_step
    return Window(x_min, x_max, step, _round(y_min), _round(y_max), y_step)


def _y_range(tree: Node, pts: Sequence[float], x_min: float, x_max: float) -> tuple[float, float]:
    core = [
        y for p in pts for y in (_float_of(tree, p), _float_of(tree, p + 1)) if math.isfinite(y)
    ]
    if not core:
        return (-1.0, 1.0)
    c_lo, c_hi = min(core), max(core)
    reach = 2 * max(c_hi - c_lo, 0.5 * max(abs(c_lo), abs(c_hi)))
    if reach == 0:
        reach = 1.0
    n = 400
    samples = [_float_of(tree, x_min + (x_max - x_min) * i / n) for i in range(n + 1)]
    inside = [y for y in samples if math.isfinite(y) and c_lo - reach <= y <= c_hi + reach]
    lo, hi = min([c_lo, *inside]), max([c_hi, *inside])
    if lo > 0 and lo <= 0.5 * hi:
        lo = 0.0
    if hi < 0 and hi >= 0.5 * lo:
        hi = 0.0
    pad = 0.1 * ((hi - lo) or max(abs(hi), 1.0))
    return (lo - pad if lo != 0 else lo, hi + pad if hi != 0 else hi)
