"""Exact values with `Fraction`: constant subtrees and rational functions of a, without sympy.

`constant_value` folds rational constants (small powers only), which the checks, the
polynomial code and the domain all rely on; `evaluate_fraction` gives the exact value of a
rational function at a point.
"""

from __future__ import annotations

from fractions import Fraction

from lessonkit.maths.expression.evaluation import combine
from lessonkit.maths.expression.limits import MAX_CONSTANT_BITS
from lessonkit.maths.expression.problems import ParseFailure
from lessonkit.maths.expression.tree import (
    KINKED_NAMES,
    BinOp,
    Call,
    Const,
    Neg,
    Node,
    Num,
    Var,
    walk,
)


def constant_value(node: Node) -> Fraction | None:
    """The exact rational value of a constant rational subtree, or None (irrational, or has a).

    Powers are folded only when small (the validator has bounded them first)."""
    if isinstance(node, Num):
        return node.value
    if isinstance(node, Neg):
        v = constant_value(node.operand)
        return None if v is None else -v
    if isinstance(node, BinOp):
        left = constant_value(node.left)
        right = constant_value(node.right)
        if left is None or right is None:
            return None
        if node.op == "/" and right == 0:
            raise ParseFailure("division by zero")
        if node.op != "^":
            return combine(node.op, left, right)
        if right.denominator != 1:
            return None
        if left == 0 and right < 0:
            raise ParseFailure("0 to a negative power is undefined")
        if power_bits(left, right) > MAX_CONSTANT_BITS:
            return None
        return left ** int(right)
    return None


def power_bits(base: Fraction, exponent: Fraction) -> int:
    """About how many bits base^exponent takes (what folding it would cost)."""
    size = max(abs(base.numerator).bit_length(), base.denominator.bit_length(), 1)
    return size * abs(exponent.numerator)


def integer_exponent(node: Node) -> int | None:
    """n when the tree is a constant integer (as the exponent of a power), else None."""
    value = constant_value(node)
    return int(value) if value is not None and value.denominator == 1 else None


def is_rational_function(node: Node) -> bool:
    """True when the tree uses only + - * / and integer powers of numbers and a, and relu, abs,
    max and min of such (piecewise rational: exact values with Fraction all the same)."""
    for n in walk(node):
        if isinstance(n, Const) or (isinstance(n, Call) and n.func not in KINKED_NAMES):
            return False
        if isinstance(n, BinOp) and n.op == "^":
            if integer_exponent(n.right) is None:
                return False
    return True


def evaluate_fraction(node: Node, a: Fraction) -> Fraction:
    """The exact value of a rational function at a; ZeroDivisionError where undefined."""
    if isinstance(node, Num):
        return node.value
    if isinstance(node, Var):
        return a
    if isinstance(node, Neg):
        return -evaluate_fraction(node.operand, a)
    if isinstance(node, BinOp):
        left = evaluate_fraction(node.left, a)
        if node.op == "^":
            n = integer_exponent(node.right)
            assert n is not None
            if left == 0 and n < 0:
                raise ZeroDivisionError("0 to a negative power")
            return left**n
        return combine(node.op, left, evaluate_fraction(node.right, a))
    if isinstance(node, Call) and node.func in KINKED_NAMES:
        args = [evaluate_fraction(arg, a) for arg in node.args]
        if node.func == "relu":
            return max(args[0], Fraction(0))
        if node.func == "abs":
            return abs(args[0])
        return max(args) if node.func == "max" else min(args)
    raise TypeError(f"not a rational function: {node!r}")
