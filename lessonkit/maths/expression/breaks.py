"""Breaks: the points of a window where f is undefined or unbounded (poles, ends of domain).

Plots stop and restart there, and the default window never puts one between a and a + 1.
Exact roots where the condition is a rational function, the closed form for tan of a linear
argument, and sampling with bisection otherwise.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction

from lessonkit.maths.expression.domain import conditions
from lessonkit.maths.expression.evaluation import constant_float, evaluate_float, safe_float
from lessonkit.maths.expression.polynomials import rational_function, real_roots
from lessonkit.maths.expression.tree import BinOp, Neg, Node, Num, Var, has_var


def _numeric_zeros(g: Callable[[float], float], lo: float, hi: float) -> list[float]:
    """Zeros and ends of definition of g in [lo, hi], by sampling and bisection."""
    n = 2048
    xs = [lo + (hi - lo) * i / n for i in range(n + 1)]
    ys = [safe_float(g, x) for x in xs]
    finite = [abs(y) for y in ys if math.isfinite(y)]
    scale = max(finite, default=1.0) or 1.0
    # a zero, or the two ends of a run of zeros (relu(a) is 0 for every a <= 0)
    out: list[float] = [
        x
        for i, (x, y) in enumerate(zip(xs, ys, strict=True))
        if y == 0 and not (0 < i < n and ys[i - 1] == 0 and ys[i + 1] == 0)
    ]

    def bisect(x0: float, x1: float, test: Callable[[float], bool]) -> float:
        t0 = test(x0)
        for _ in range(80):
            mid = (x0 + x1) / 2
            if test(mid) == t0:
                x0 = mid
            else:
                x1 = mid
        return (x0 + x1) / 2

    for i in range(n):
        y0, y1 = ys[i], ys[i + 1]
        ok0, ok1 = math.isfinite(y0), math.isfinite(y1)
        if ok0 != ok1:
            out.append(bisect(xs[i], xs[i + 1], lambda x: math.isfinite(safe_float(g, x))))
        elif ok0 and ok1 and y0 * y1 < 0:
            out.append(bisect(xs[i], xs[i + 1], lambda x: safe_float(g, x) > 0))
    for i in range(1, n):
        y0, y1, y2 = (abs(ys[i - 1]), abs(ys[i]), abs(ys[i + 1]))
        if all(math.isfinite(y) for y in (y0, y1, y2)) and y1 <= y0 and y1 <= y2:
            if y1 > 1e-3 * scale or y1 == 0:  # zeros are found above
                continue
            a, b = xs[i - 1], xs[i + 1]
            for _ in range(100):  # ternary search for the minimum of |g|
                m1, m2 = a + (b - a) / 3, b - (b - a) / 3
                if abs(safe_float(g, m1)) < abs(safe_float(g, m2)):
                    b = m2
                else:
                    a = m1
            x = (a + b) / 2
            if abs(safe_float(g, x)) <= 1e-9 * scale:
                out.append(x)
    return out


def _linear_float(node: Node) -> tuple[float, float] | None:
    """(c1, c0) when node is c1·a + c0 with constant (possibly irrational) coefficients."""
    if not has_var(node):
        value = constant_float(node)
        return None if value is None else (0.0, value)
    if isinstance(node, Var):
        return (1.0, 0.0)
    if isinstance(node, Neg):
        inner = _linear_float(node.operand)
        return None if inner is None else (-inner[0], -inner[1])
    if isinstance(node, BinOp) and node.op in "+-*/":
        left, right = _linear_float(node.left), _linear_float(node.right)
        if left is None or right is None:
            return None
        sign = -1.0 if node.op == "-" else 1.0
        if node.op in "+-":
            return (left[0] + sign * right[0], left[1] + sign * right[1])
        if node.op == "*" and (left[0] == 0 or right[0] == 0):
            k, lin = (left[1], right) if left[0] == 0 else (right[1], left)
            return (k * lin[0], k * lin[1])
        if node.op == "/" and right[0] == 0 and right[1] != 0:
            return (left[0] / right[1], left[1] / right[1])
    return None


def _cos_of(node: Node) -> Callable[[float], float]:
    return lambda x: math.cos(evaluate_float(node, x))


def _float_function(node: Node) -> Callable[[float], float]:
    return lambda x: evaluate_float(node, x)


def breaks_of(tree: Node, lo: float, hi: float) -> tuple[float, ...]:
    """The x in [lo, hi] where f is undefined or unbounded: poles and ends of the domain."""
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi < lo:
        return ()
    found: list[float] = []
    for condition in conditions(tree):
        node = condition.node
        if condition.kind == "ne1":
            node = BinOp("-", node, Num(Fraction(1)))
        if condition.kind == "cos":
            lin = _linear_float(node)
            if lin is not None and lin[0] != 0:
                c1, c0 = lin
                ends = sorted(((lo * c1 + c0) / math.pi - 0.5, (hi * c1 + c0) / math.pi - 0.5))
                for k in range(math.floor(ends[0]) - 1, math.ceil(ends[1]) + 2):
                    found.append((math.pi / 2 + k * math.pi - c0) / c1)
                continue
            found.extend(_numeric_zeros(_cos_of(node), lo, hi))
            continue
        ratio = rational_function(node)
        if ratio is not None:
            for part in ratio:
                found.extend(real_roots(part, lo, hi))
            continue
        found.extend(_numeric_zeros(_float_function(node), lo, hi))
    eps = 1e-9 * max(1.0, abs(lo), abs(hi))
    inside = sorted(x for x in found if lo - eps <= x <= hi + eps)
    out: list[float] = []
    for x in inside:
        if not out or x - out[-1] > 1e-9 * max(1.0, abs(x)):
            out.append(min(max(x, lo), hi))
    return tuple(out)
