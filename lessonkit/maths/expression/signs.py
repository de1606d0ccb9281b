"""Signs that hold for every real a: what the domain need not say.

A condition such as 1 + e^(-a) != 0, or sqrt(a^2 + 1), is true wherever the rest of the
expression is defined, so `conditions` drops it and the domain reads "all real a". The proof
is structural and conservative: it knows that e^x, b^x (b > 0), σ and softplus are positive,
that |x|, relu(x), sqrt(x) and even powers are never negative, and how sums, products,
quotients, max and min combine those; whatever it cannot prove is kept.
"""

from __future__ import annotations

from fractions import Fraction

from lessonkit.maths.expression.evaluation import constant_float
from lessonkit.maths.expression.exact import constant_value
from lessonkit.maths.expression.tree import BinOp, Call, Const, Neg, Node, Num, has_var, is_e

__all__ = ["POSITIVE", "NON_NEGATIVE", "UNKNOWN", "sign_class"]

POSITIVE = 2  # > 0 wherever defined
NON_NEGATIVE = 1  # >= 0 wherever defined
UNKNOWN = 0

_POSITIVE_CALLS = ("exp", "sigmoid", "softplus")
_NON_NEGATIVE_CALLS = ("abs", "relu", "sqrt")


def _constant_class(node: Node) -> int:
    value = constant_value(node)
    approx = float(value) if value is not None else constant_float(node)
    if approx is None:
        return UNKNOWN
    if approx > 0:
        return POSITIVE
    return NON_NEGATIVE if approx == 0 and value == 0 else UNKNOWN


def sign_class(node: Node) -> int:
    """POSITIVE, NON_NEGATIVE or UNKNOWN: what is certain of the node's sign for every real a
    where it is defined."""
    if not has_var(node):
        return _constant_class(node)
    if isinstance(node, Num | Const):  # pragma: no cover - constants are handled above
        return UNKNOWN
    if isinstance(node, Neg):
        return UNKNOWN
    if isinstance(node, Call):
        if node.func in _POSITIVE_CALLS:
            return POSITIVE
        if node.func in _NON_NEGATIVE_CALLS:
            return NON_NEGATIVE
        if node.func in ("max", "min"):
            classes = [sign_class(arg) for arg in node.args]
            return max(classes) if node.func == "max" else min(classes)
        return UNKNOWN
    if not isinstance(node, BinOp):
        return UNKNOWN
    if node.op == "^":
        return _power_class(node)
    left, right = sign_class(node.left), sign_class(node.right)
    if node.op == "+":
        if min(left, right) >= NON_NEGATIVE:
            return POSITIVE if max(left, right) == POSITIVE else NON_NEGATIVE
        return UNKNOWN
    if node.op in "*/":
        return min(left, right)
    return UNKNOWN


def _power_class(node: BinOp) -> int:
    base, exponent = node.left, node.right
    if is_e(base):
        return POSITIVE
    if not has_var(base):  # b^x: positive for a positive base (the validator insists)
        return POSITIVE if _constant_class(base) == POSITIVE else UNKNOWN
    inner = sign_class(base)
    if inner == POSITIVE:
        return POSITIVE
    value = constant_value(exponent)
    if value is not None and value.denominator == 1 and value % 2 == 0:
        return NON_NEGATIVE
    if inner == NON_NEGATIVE and value is not None and value > Fraction(0):
        return NON_NEGATIVE
    return UNKNOWN
