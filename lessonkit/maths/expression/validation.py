"""The checks after parsing: powers, divisions, nesting and degree within the limits.

A tree that passes can be evaluated exactly or to WORKING_DIGITS digits in bounded time;
constant parts that can never be defined (1/0, log(-1), sqrt(-2)) are refused here.
"""

from __future__ import annotations

import math
from fractions import Fraction

from lessonkit.maths.expression.domain import conditions
from lessonkit.maths.expression.evaluation import constant_float
from lessonkit.maths.expression.exact import constant_value, power_bits
from lessonkit.maths.expression.limits import (
    MAX_CONSTANT_BITS,
    MAX_DEGREE,
    MAX_EXP_NESTING,
    MAX_EXPONENT,
)
from lessonkit.maths.expression.printing import fraction_text
from lessonkit.maths.expression.problems import ParseFailure
from lessonkit.maths.expression.tree import (
    KINKED_NAMES,
    BinOp,
    Call,
    Name,
    Neg,
    Node,
    Var,
    children,
    has_var,
    is_e,
    walk,
)


def _exp_nesting(node: Node) -> int:
    """How deeply exponentials (exp, e^x, b^x with x not a plain number) nest."""
    inner = max((_exp_nesting(child) for child in children(node)), default=0)
    if isinstance(node, Call) and node.func == "exp":
        return inner + 1
    if isinstance(node, BinOp) and node.op == "^" and constant_value(node.right) is None:
        return inner + 1
    return inner


def _degree(node: Node) -> int:
    """An upper bound of the degree in a of the rational part (what Fraction work costs)."""
    if isinstance(node, Var | Name):
        return 1
    if isinstance(node, Neg):
        return _degree(node.operand)
    if isinstance(node, BinOp):
        left, right = _degree(node.left), _degree(node.right)
        if node.op in "+-":
            return max(left, right)
        if node.op in "*/":
            return left + right
        exponent = constant_value(node.right)
        if exponent is not None:
            return left * math.ceil(abs(exponent))
        return left
    if isinstance(node, Call) and node.func in KINKED_NAMES:  # evaluated with Fraction too
        return max(_degree(arg) for arg in node.args)
    return 0


def validate(tree: Node, named: bool = False) -> None:
    """Refuse what cannot be computed in bounded time; `named`: the tree was parsed with names
    (the messages say "a name" where they would say a)."""
    for node in walk(tree):
        if isinstance(node, BinOp) and node.op == "^":
            _check_power(node, named)
        if isinstance(node, BinOp) and node.op == "/" and not has_var(node.right):
            divisor = constant_value(node.right)
            if divisor == 0:
                raise ParseFailure("division by zero")
    if _exp_nesting(tree) > MAX_EXP_NESTING:
        raise ParseFailure(
            f"exponentials nested more than {MAX_EXP_NESTING} deep are not supported"
        )
    if _degree(tree) > MAX_DEGREE:
        raise ParseFailure(f"degree too high (more than {MAX_DEGREE})")
    for condition in conditions(tree):
        if not has_var(condition.node):
            if not condition.holds_at(Fraction(0)):
                raise ParseFailure(condition.violation())


def _check_power(node: BinOp, named: bool = False) -> None:
    base, exponent = node.left, node.right
    if has_var(exponent):
        if not has_var(base) and not is_e(base):
            base_float = constant_float(base)
            if base_float is None or base_float <= 0:
                if named:
                    raise ParseFailure(
                        "a power with a name in the exponent needs a positive base, e.g. 2^x"
                    )
                raise ParseFailure("a power with a in the exponent needs a positive base, e.g. 2^a")
        return
    value = constant_value(exponent)
    if has_var(base):
        if value is None:
            approx = constant_float(exponent)
            if approx is None or abs(approx) > MAX_EXPONENT:
                raise ParseFailure(
                    f"exponent must be a number from -{MAX_EXPONENT} to {MAX_EXPONENT}"
                )
            return
        if abs(value) > MAX_EXPONENT:
            raise ParseFailure(
                f"exponent {fraction_text(value)} is too large "
                f"(at most {MAX_EXPONENT} on {'names' if named else 'an expression in a'})"
            )
        if value.denominator > 1000:
            raise ParseFailure(f"exponent {fraction_text(value)} has too fine a fraction")
        return
    base_value = constant_value(base)
    if base_value is not None and value is not None:
        if value.denominator > 1000:
            raise ParseFailure(f"exponent {fraction_text(value)} has too fine a fraction")
        if power_bits(base_value, value) > MAX_CONSTANT_BITS:
            raise ParseFailure("constant power too large to compute")
        if value.denominator > 1 and base_value < 0:
            raise ParseFailure("a fractional power of a negative number is not real")
        return
    # irrational base or exponent (pi^3, 2^pi): only when the value is of sensible size
    approx = constant_float(node)
    if approx is None or abs(approx) > 1e300:
        raise ParseFailure("constant power too large or not a real number")
