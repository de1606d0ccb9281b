"""sympy expressions back to trees, written the way a student reads them.

The derivative sympy finds is turned into a tree (terms by falling powers of a, a fraction bar
for negative powers, sqrt and exp by name), which the printers then write as text and Typst;
any other symbol (a name of a computation graph) becomes a `Name`.
Imported lazily, like sympy.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import sympy as sp  # type: ignore[import-untyped]

from lessonkit.base.errors import LessonError
from lessonkit.maths.expression import sympy_functions as act
from lessonkit.maths.expression.symbolic import SYMBOL, derivative_expr
from lessonkit.maths.expression.tree import A, BinOp, Call, Const, Name, Node, Num
from lessonkit.maths.expression.writing import negate_leftmost, number_node

__all__ = ["from_sympy", "derivative_tree"]

#: the sympy functions written back as calls of the tree (Step(h, c) is step(h))
_CALLS = (
    (act.Sigmoid, "sigmoid"),
    (act.Softplus, "softplus"),
    (act.Relu, "relu"),
    (act.Absolute, "abs"),
    (act.Maximum, "max"),
    (act.Minimum, "min"),
    (act.Step, "step"),
    (act.Sgn, "sign"),
    (sp.tanh, "tanh"),
)
_ACTIVATIONS = tuple(cls for cls, _ in _CALLS)


def _course_order(factors: list[Any]) -> list[Any]:
    """σ(a)(1 - σ(a)) rather than (1 - σ(a))σ(a): sums last, where activations are."""
    if not any(f.has(*_ACTIVATIONS) for f in factors):
        return factors
    return sorted(factors, key=lambda f: f.is_Add)


def _ordered_terms(e: Any) -> list[Any]:
    terms = list(e.as_ordered_terms())
    powers = []
    for t in terms:
        c, p = t.as_coeff_exponent(SYMBOL)
        if c.has(SYMBOL) or not p.is_Number:
            return terms
        powers.append(p)
    order = sorted(range(len(terms)), key=lambda i: -powers[i])
    return [terms[i] for i in order]


def _product(nodes: list[Node]) -> Node:
    out = nodes[0]
    for node in nodes[1:]:
        out = BinOp("*", out, node)
    return out


def from_sympy(e: Any, decimal: bool = False) -> Node:
    """A tree for a sympy expression, written the way a student reads it."""
    if e.is_Rational:
        q = Fraction(int(e.p), int(e.q))
        node = number_node(abs(q), decimal)
        return negate_leftmost(node) if q < 0 else node
    if e == sp.pi:
        return Const("pi")
    if e == sp.E:
        return Const("e")
    if e == SYMBOL:
        return A
    if isinstance(e, sp.Symbol):  # a name of a computation graph
        return Name(e.name)
    if e.is_Add:
        terms = _ordered_terms(e)
        out = from_sympy(terms[0], decimal)
        for t in terms[1:]:
            if t.could_extract_minus_sign():
                out = BinOp("-", out, from_sympy(-t, decimal))
            else:
                out = BinOp("+", out, from_sympy(t, decimal))
        return out
    if e.is_Mul:
        if e.could_extract_minus_sign():
            return negate_leftmost(from_sympy(-e, decimal))
        coeff, rest = e.as_coeff_Mul()
        factors = _course_order(list(rest.as_ordered_factors()) if rest.is_Mul else [rest])
        top: list[Node] = []
        bottom: list[Node] = []
        for f in factors:
            if f.is_Pow and f.exp.is_Rational and f.exp.is_negative:
                bottom.append(from_sympy(sp.Pow(f.base, -f.exp), decimal))
            else:
                top.append(from_sympy(f, decimal))
        c = Fraction(int(coeff.p), int(coeff.q)) if coeff.is_Rational else None
        if c is None:
            top.insert(0, from_sympy(coeff, decimal))
        elif c.denominator == 1 or (decimal and len(str(c.denominator)) <= 6):
            node = number_node(c, decimal)
            if c != 1:
                top.insert(0, node)
        else:
            if c.numerator != 1:
                top.insert(0, Num(Fraction(c.numerator)))
            bottom.insert(0, Num(Fraction(c.denominator)))
        numerator = _product(top) if top else Num(Fraction(1))
        return BinOp("/", numerator, _product(bottom)) if bottom else numerator
    if e.is_Pow:
        base, exponent = e.base, e.exp
        if exponent == sp.Rational(1, 2):
            return Call("sqrt", (from_sympy(base, decimal),))
        if exponent.is_Rational and exponent.is_negative:
            return BinOp("/", Num(Fraction(1)), from_sympy(sp.Pow(base, -exponent), decimal))
        if base == sp.E:
            return Call("exp", (from_sympy(exponent, decimal),))
        return BinOp("^", from_sympy(base, decimal), from_sympy(exponent, decimal))
    for cls, name in ((sp.exp, "exp"), (sp.log, "log"), (sp.sin, "sin"), (sp.cos, "cos")):
        if isinstance(e, cls):
            return Call(name, (from_sympy(e.args[0], decimal),))
    if isinstance(e, sp.tan):
        return Call("tan", (from_sympy(e.args[0], decimal),))
    for cls, name in _CALLS:
        if isinstance(e, cls):
            args = e.args[:1] if cls is act.Step else e.args
            return Call(name, tuple(from_sympy(arg, decimal) for arg in args))
    raise LessonError(f"cannot write the derivative term {str(e)[:60]!r}")


def derivative_tree(tree: Node, decimal: bool = False) -> Node:
    """f' as a tree, for the formula and Typst printers."""
    return from_sympy(derivative_expr(tree), decimal)
