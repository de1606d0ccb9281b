"""A lesson function described as JSON for the browser twin of `lessonkit table` (twin_math.js).

The browser gets lessonkit's own parsed trees of f and f' (never text to evaluate), the
domain's conditions in the order lessonkit tests them, and what it needs to find breaks
(poles and ends of the domain) between a and a+Δa, so that `LessonkitMath.row` prints, for
any a and Δa, exactly what `lessonkit table --format json` prints.

JSON shape of a tree node:

* ``{"num": "2.5"}`` (exact decimal text, or ``"1/3"`` when the decimal does not end)
* ``{"var": "a"}``, ``{"const": "pi"}`` or ``{"const": "e"}``
* ``{"op": "neg", "args": [x]}``, ``{"op": "+", "args": [x, y]}`` (op one of + - * / ^)
* ``{"call": "sin", "args": [x]}`` (sin cos tan exp log ln sqrt; log may have a base)
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from lessonkit.base.errors import LessonError
from lessonkit.maths.expression.breaks import _linear_float
from lessonkit.maths.expression.domain import conditions
from lessonkit.maths.expression.parser import parse_expression
from lessonkit.maths.expression.polynomials import polynomial, rational_function, real_roots
from lessonkit.maths.expression.printing import render
from lessonkit.maths.expression.tree import BinOp, Call, Const, Neg, Node, Num, Var
from lessonkit.maths.expression.writing import polynomial_node
from lessonkit.maths.functions import FUNCTIONS, Function
from lessonkit.maths.nudge import MAX_ABS_POINT, MAX_NUDGE, MIN_NUDGE
from lessonkit.maths.numbers import format_fraction

__all__ = ["SCHEMA", "tree_json", "source_tree", "derivative_tree", "twin_function"]

SCHEMA = "lessonkit-twin/1"


def _number_text(q: Fraction) -> str:
    """'2.5' for an exact decimal, '1/3' otherwise."""
    return format_fraction(q) or f"{q.numerator}/{q.denominator}"


def tree_json(node: Node) -> dict[str, Any]:
    """A parsed tree as nested JSON (see the module docstring).

    >>> tree_json(parse_expression("2.5a - pi"))
    {'op': '-', 'args': [{'op': '*', 'args': [{'num': '2.5'}, {'var': 'a'}]}, {'const': 'pi'}]}
    """
    if isinstance(node, Num):
        return {"num": _number_text(node.value)}
    if isinstance(node, Var):
        return {"var": "a"}
    if isinstance(node, Const):
        return {"const": node.name}
    if isinstance(node, Neg):
        return {"op": "neg", "args": [tree_json(node.operand)]}
    if isinstance(node, BinOp):
        return {"op": node.op, "args": [tree_json(node.left), tree_json(node.right)]}
    assert isinstance(node, Call)
    return {"call": node.func, "args": [tree_json(arg) for arg in node.args]}


def source_tree(fn: Function) -> Node:
    """The tree of f: its source expression, or for a registry function (whose source is its
    name) the first of its aliases that parses ("a^2" for square, "log(a)" for log)."""
    if fn not in FUNCTIONS:
        return parse_expression(fn.source)
    for text in fn.aliases:
        try:
            return parse_expression(text)
        except LessonError:
            continue
    raise LessonError(f"{fn.name} has no alias that is an expression in a")  # pragma: no cover


def derivative_tree(tree: Node) -> Node:
    """The tree of f', built as `function_from_expression` builds it (so its values match)."""
    decimal = "." in render(tree, "source")
    coefficients = polynomial(tree)
    if coefficients is not None:
        deriv = tuple(k * c for k, c in enumerate(coefficients))[1:] or (Fraction(0),)
        return polynomial_node(deriv, decimal)
    from lessonkit.maths.expression import sympy_trees

    return sympy_trees.derivative_tree(tree, decimal)


def _break_finder(kind: str, node: Node) -> dict[str, Any]:
    """How the browser finds where one condition fails inside [a, a+Δa], as breaks_of does."""
    if kind == "ne1":
        node = BinOp("-", node, Num(Fraction(1)))
    if kind == "cos":
        lin = _linear_float(node)
        if lin is not None and lin[0] != 0:
            return {"cos_linear": [lin[0], lin[1]]}
        return {"cos_zeros": tree_json(node)}
    ratio = rational_function(node)
    if ratio is not None:
        roots = [x for part in ratio for x in real_roots(part, 0.0, 0.0)]
        return {"roots": roots}
    return {"zeros": tree_json(node)}


def twin_function(fn: Function) -> dict[str, Any]:
    """Everything `twin_math.js` needs to reproduce `lessonkit table` rows for fn.

    Keys: schema, name, source, called (how messages name f), formula, derivative (f' as
    text), domain (in words), f and df (trees), conditions (list of {kind, node, why}; kind
    one of ne gt ge ne1 cos, tested in order as `Function.in_domain` does), breaks (one entry
    per condition: {"roots": [...]}, {"cos_linear": [c1, c0]}, {"zeros": tree} or
    {"cos_zeros": tree}), and limits (max_abs_point, min_nudge, max_nudge as exact text).

    >>> from lessonkit.maths.lookup import get_function
    >>> spec = twin_function(get_function("log"))
    >>> spec["f"], spec["domain"]
    ({'call': 'log', 'args': [{'var': 'a'}]}, 'a > 0')
    >>> spec["df"]
    {'op': '/', 'args': [{'num': '1'}, {'var': 'a'}]}
    >>> spec["conditions"][0]["kind"], spec["breaks"]
    ('gt', [{'roots': [0.0]}])
    """
    tree = source_tree(fn)
    conds = conditions(tree)
    return {
        "schema": SCHEMA,
        "name": fn.name,
        "source": fn.source,
        "called": fn.called,
        "formula": fn.formula,
        "derivative": fn.derivative_formula,
        "domain": fn.domain,
        "f": tree_json(tree),
        "df": tree_json(derivative_tree(tree)),
        "conditions": [{"kind": c.kind, "node": tree_json(c.node), "why": c.why} for c in conds],
        "breaks": [_break_finder(c.kind, c.node) for c in conds],
        "limits": {
            "max_abs_point": _number_text(MAX_ABS_POINT),
            "min_nudge": _number_text(MIN_NUDGE),
            "max_nudge": _number_text(MAX_NUDGE),
        },
    }
