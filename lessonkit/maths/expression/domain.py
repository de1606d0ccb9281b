"""Where a function is defined: the conditions on a, and the domain they add up to.

Conditions come from the tree (divisors, logarithms, square roots, fractional powers and tan)
and are tested exactly at a point; `domain_of` turns the linear ones into an interval with
excluded points, written in words. A condition that holds for every real a (1 + e^(-a) != 0,
sqrt(a^2 + 1)) is not stated (`signs`); the activations add none.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction

from lessonkit.maths.expression.evaluation import constant_float
from lessonkit.maths.expression.exact import constant_value, evaluate_fraction, is_rational_function
from lessonkit.maths.expression.polynomials import polynomial
from lessonkit.maths.expression.printing import fraction_text, render
from lessonkit.maths.expression.signs import NON_NEGATIVE, POSITIVE, sign_class
from lessonkit.maths.expression.tree import BinOp, Call, Neg, Node, Num, Var, is_e, walk


@dataclass(frozen=True)
class Condition:
    """One requirement on a: node != 0 ("ne"), > 0 ("gt"), >= 0 ("ge"), != 1 ("ne1"), or
    cos(node) != 0 ("cos", for tan)."""

    kind: str
    node: Node
    why: str

    def holds_at(self, a: Fraction) -> bool:
        if self.kind == "cos":
            from lessonkit.maths.expression.symbolic import cos_is_zero

            return not cos_is_zero(self.node, a)
        if is_rational_function(self.node):
            try:
                value = evaluate_fraction(self.node, a)
            except ZeroDivisionError:
                return False
            sign = (value > 0) - (value < 0)
            if self.kind == "ne1":
                return value != 1
        else:
            from lessonkit.maths.expression.symbolic import sign_at

            if self.kind == "ne1":
                return sign_at(BinOp("-", self.node, Num(Fraction(1))), a) != 0
            signed = sign_at(self.node, a)
            if signed is None:  # not a real number there
                return False
            sign = signed
        if self.kind == "ne":
            return sign != 0
        if self.kind == "gt":
            return sign > 0
        return sign >= 0

    def violation(self) -> str:
        return self.why

    def words(self) -> str:
        g = render(self.node)
        if self.kind == "cos":
            return "cos a != 0" if isinstance(self.node, Var) else f"cos({g}) != 0"
        op = {"ne": "!=", "gt": ">", "ge": ">=", "ne1": "!="}[self.kind]
        return f"{g} {op} {1 if self.kind == 'ne1' else 0}"


def _nonzero_factors(node: Node) -> Iterator[Node]:
    """The factors whose vanishing makes node vanish: (a-1)(a+2) -> a-1, a+2."""
    if isinstance(node, Neg):
        yield from _nonzero_factors(node.operand)
    elif isinstance(node, BinOp) and node.op == "*":
        yield from _nonzero_factors(node.left)
        yield from _nonzero_factors(node.right)
    elif isinstance(node, BinOp) and node.op == "^" and (constant_value(node.right) or 0) > 0:
        yield from _nonzero_factors(node.left)
    else:
        yield node


def conditions(tree: Node) -> list[Condition]:
    """What a must satisfy for the tree to be defined, inner requirements first."""
    out: list[Condition] = []

    def add(kind: str, node: Node, why: str) -> None:
        if isinstance(node, Num):
            v = node.value
            holds = {"ne": v != 0, "gt": v > 0, "ge": v >= 0, "ne1": v != 1, "cos": True}
            if holds[kind]:
                return
        if kind in ("ne", "gt", "ge"):
            certain = sign_class(node)
            if certain == POSITIVE or (kind == "ge" and certain == NON_NEGATIVE):
                return  # true for every real a: not worth saying
        condition = Condition(kind, node, why)
        if condition not in out:
            out.append(condition)

    for node in walk(tree):
        if isinstance(node, BinOp) and node.op == "/":
            for factor in _nonzero_factors(node.right):
                add("ne", factor, "division by zero")
        elif isinstance(node, BinOp) and node.op == "^":
            base, exponent = node.left, node.right
            if is_e(base):
                continue
            value = constant_value(exponent)
            if value is not None and value.denominator == 1:
                if value < 0:
                    for factor in _nonzero_factors(base):
                        add("ne", factor, "0 to a negative power is undefined")
                continue
            approx = value if value is not None else constant_float(exponent)
            if approx is not None and approx > 0:
                add("ge", base, "a fractional power needs a base >= 0")
            else:
                add("gt", base, "this power needs a positive base")
        elif isinstance(node, Call):
            if node.func in ("log", "ln"):
                add("gt", node.args[0], "log needs a positive argument")
                if len(node.args) == 2:
                    add("gt", node.args[1], "the base of log must be positive")
                    add("ne1", node.args[1], "the base of log cannot be 1")
            elif node.func == "sqrt":
                add("ge", node.args[0], "sqrt needs an argument >= 0")
            elif node.func == "tan":
                add("cos", node.args[0], "tan is undefined where cos is 0")
    return out


@dataclass(frozen=True)
class Domain:
    lower: tuple[Fraction, bool] | None  # (value, strict)
    upper: tuple[Fraction, bool] | None
    excluded: tuple[Fraction, ...]
    other: tuple[str, ...]

    def words(self) -> str:
        parts: list[str] = []
        lo, hi = self.lower, self.upper
        if lo and hi:
            parts.append(
                f"{fraction_text(lo[0])} {'<' if lo[1] else '<='} a "
                f"{'<' if hi[1] else '<='} {fraction_text(hi[0])}"
            )
        elif lo:
            parts.append(f"a {'>' if lo[1] else '>='} {fraction_text(lo[0])}")
        elif hi:
            parts.append(f"a {'<' if hi[1] else '<='} {fraction_text(hi[0])}")
        for x in self.excluded:
            parts.append(f"a != {fraction_text(x)}")
        parts.extend(self.other)
        return " and ".join(parts) if parts else "all real a"

    @property
    def open_lower_end(self) -> Fraction | None:
        if self.lower and self.lower[1] and not self.upper and not self.other:
            if not self.excluded:
                return self.lower[0]
        return None

    @property
    def left_end(self) -> Fraction | None:
        return self.lower[0] if self.lower else None


def domain_of(tree: Node) -> Domain:
    lower: tuple[Fraction, bool] | None = None
    upper: tuple[Fraction, bool] | None = None
    excluded: set[Fraction] = set()
    other: list[str] = []
    for condition in conditions(tree):
        p = polynomial(condition.node) if condition.kind != "cos" else None
        if p is None or len(p) != 2:
            words = condition.words()
            if words not in other:
                other.append(words)
            continue
        c0, c1 = p
        if condition.kind in ("ne", "ne1"):
            excluded.add(((1 if condition.kind == "ne1" else 0) - c0) / c1)
            continue
        root = -c0 / c1
        strict = condition.kind == "gt"
        if c1 > 0:
            if lower is None or root > lower[0] or (root == lower[0] and strict):
                lower = (root, strict)
        elif upper is None or root < upper[0] or (root == upper[0] and strict):
            upper = (root, strict)

    def inside(x: Fraction) -> bool:
        if lower and (x < lower[0] or (x == lower[0] and lower[1])):
            return False
        return not (upper and (x > upper[0] or (x == upper[0] and upper[1])))

    kept = tuple(sorted(x for x in excluded if inside(x)))
    return Domain(lower, upper, kept, tuple(other))
