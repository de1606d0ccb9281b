"""The activations in a tree, without sympy: sigmoid spelled out, corners, where to look.

* `canonical` reads 1/(1 + e^(-g)) (also 1/(1 + exp(-g)), 1/(e^(-g) + 1)) as sigmoid(g), so
  that its derivative is written σ(g)(1 - σ(g)) like a course writes it;
* `has_kinks` says whether a tree has a corner function (relu, abs, max, min);
* `view` gives the default points and the stretch of a worth showing for a tree whose
  activations have linear arguments: around the middle of σ and tanh, and next to (never at)
  the corner of relu, |x|, max and min.
"""

from __future__ import annotations

from fractions import Fraction

from lessonkit.maths.expression.polynomials import polynomial
from lessonkit.maths.expression.tree import (
    KINKED_NAMES,
    BinOp,
    Call,
    Neg,
    Node,
    Num,
    children,
    is_e,
    walk,
)

__all__ = ["canonical", "has_kinks", "view"]


def _exp_argument(node: Node) -> Node | None:
    """x when the node is exp(x) or e^x."""
    if isinstance(node, Call) and node.func == "exp":
        return node.args[0]
    if isinstance(node, BinOp) and node.op == "^" and is_e(node.left):
        return node.right
    return None


def _sigmoid_argument(node: Node) -> Node | None:
    """g when the node is 1/(1 + e^(-g)) or 1/(e^(-g) + 1)."""
    if not (isinstance(node, BinOp) and node.op == "/" and node.left == Num(Fraction(1))):
        return None
    bottom = node.right
    if not (isinstance(bottom, BinOp) and bottom.op == "+"):
        return None
    for one, other in ((bottom.left, bottom.right), (bottom.right, bottom.left)):
        if one == Num(Fraction(1)):
            power = _exp_argument(other)
            if isinstance(power, Neg):
                return power.operand
    return None


def _rebuild(node: Node, kids: list[Node]) -> Node:
    if isinstance(node, Neg):
        return Neg(kids[0])
    if isinstance(node, BinOp):
        return BinOp(node.op, kids[0], kids[1])
    if isinstance(node, Call):
        return Call(node.func, tuple(kids))
    return node


def canonical(tree: Node) -> Node:
    """The tree with every 1/(1 + e^(-g)) written sigmoid(g) (the same function)."""
    g = _sigmoid_argument(tree)
    if g is not None:
        return Call("sigmoid", (canonical(g),))
    kids = children(tree)
    if not kids:
        return tree
    return _rebuild(tree, [canonical(kid) for kid in kids])


def has_kinks(tree: Node) -> bool:
    """True when the tree has relu, abs, max or min, whose corners may be kinks of f."""
    return any(isinstance(n, Call) and n.func in KINKED_NAMES for n in walk(tree))


def _linear(node: Node) -> tuple[Fraction, Fraction] | None:
    """(c1, c0) with c1 != 0 when the node is c1·a + c0 with rational coefficients."""
    p = polynomial(node)
    if p is None or len(p) != 2 or p[1] == 0:
        return None
    return p[1], p[0]


def view(tree: Node) -> tuple[tuple[Fraction, ...], tuple[float, float]] | None:
    """(points, (lo, hi)) for a tree with activations of linear arguments, else None.

    σ(a) and tanh(a): points 0 and 2 in a window from -4 to 4; relu(a), |a|, max(0, a): the
    point 1, beside the corner at 0, in a window from -2 to 2 (scaled and shifted with the
    argument: relu(2a - 1) has its corner at 1/2)."""
    points: list[Fraction] = []
    corners: list[Fraction] = []
    lo, hi = float("inf"), float("-inf")
    for node in walk(canonical(tree)):
        if not isinstance(node, Call):
            continue
        if node.func in ("sigmoid", "tanh", "softplus") or node.func in KINKED_NAMES:
            if node.func in ("max", "min"):
                g: Node = BinOp("-", node.args[1], node.args[0])
            else:
                g = node.args[0]
            lin = _linear(g)
            if lin is None:
                continue
            c1, c0 = lin
            middle, unit = -c0 / c1, 1 / abs(c1)
            if node.func in ("sigmoid", "tanh"):
                new = [middle, middle + 2 * unit]
                reach = 4 * unit
            else:
                # beside the corner, on the side where relu (softplus) rises
                rising = -1 if node.func in ("relu", "softplus") and c1 < 0 else 1
                new = [middle + rising * unit]
                reach = (3 if node.func == "softplus" else 2) * unit
                if node.func != "softplus":
                    corners.append(middle)
            points.extend(p for p in new if p not in points)
            lo, hi = min(lo, float(middle) - reach), max(hi, float(middle) + reach)
    points = [p for p in points if p not in corners]
    if not points:
        return None
    return tuple(points), (lo, hi)
