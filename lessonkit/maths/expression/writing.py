"""Trees written the way a student writes them: 3a², a²/2, -1/a², 1.5a² in decimal mode.

Used to build the derivative's tree, from polynomial coefficients here or from sympy in
`derivatives`, before the printers turn it into text and Typst.
"""

from __future__ import annotations

from fractions import Fraction

from lessonkit.maths.expression.polynomials import Poly
from lessonkit.maths.expression.tree import A, BinOp, Neg, Node, Num
from lessonkit.maths.numbers import format_fraction


def polynomial_node(coefficients: Poly, decimal: bool) -> Node:
    """The tree of c0 + c1 a + ... written from the highest power down (for derivatives)."""
    terms: list[tuple[bool, Node]] = []
    for k in range(len(coefficients) - 1, -1, -1):
        c = coefficients[k]
        if c == 0:
            continue
        power: Node | None = None
        if k == 1:
            power = A
        elif k > 1:
            power = BinOp("^", A, Num(Fraction(k)))
        terms.append((c < 0, _scaled(abs(c), power, decimal)))
    if not terms:
        return Num(Fraction(0))
    negative, node = terms[0]
    if negative:
        node = negate_leftmost(node)
    for negative, term in terms[1:]:
        node = BinOp("-" if negative else "+", node, term)
    return node


def number_node(q: Fraction, decimal: bool) -> Node:
    """A non-negative rational as a literal (decimal when allowed and exact) or p/q."""
    if q.denominator == 1 or (decimal and format_fraction(q) is not None):
        return Num(q)
    return BinOp("/", Num(Fraction(q.numerator)), Num(Fraction(q.denominator)))


def _scaled(c: Fraction, factor: Node | None, decimal: bool) -> Node:
    """c·factor for c > 0, written 3a², a²/2 or 3a²/2 (or 1.5a² in decimal mode)."""
    if factor is None:
        return number_node(c, decimal)
    if c == 1:
        return factor
    if c.denominator == 1 or (decimal and format_fraction(c) is not None):
        return BinOp("*", Num(c), factor)
    top: Node = factor if c.numerator == 1 else BinOp("*", Num(Fraction(c.numerator)), factor)
    return BinOp("/", top, Num(Fraction(c.denominator)))


def negate_leftmost(node: Node) -> Node:
    """-node with the sign on the leftmost factor: -2a, -1/a², -a²."""
    if isinstance(node, BinOp) and node.op in "*/":
        return BinOp(node.op, negate_leftmost(node.left), node.right)
    return Neg(node)
