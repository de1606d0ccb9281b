"""A lesson function described as JSON for the browser twin of `lessonkit table` (twin_math.js).

The browser gets lessonkit's own parsed trees of f and f' (never text to evaluate), the
domain's conditions in the order lessonkit tests them, and what it needs to find breaks
(poles and ends of the domain) between a and a+Δa, so that `LessonkitMath.row` prints, for
any a, Δa and side (right or left), exactly the row `lessonkit table --format json` prints,
and `LessonkitMath.kink` its record of a kink.

JSON shape of a tree node:

* ``{"num": "2.5"}`` (exact decimal text, or ``"1/3"`` when the decimal does not end)
* ``{"var": "a"}``, ``{"const": "pi"}`` or ``{"const": "e"}``
* ``{"op": "neg", "args": [x]}``, ``{"op": "+", "args": [x, y]}`` (op one of + - * / ^)
* ``{"call": "sin", "args": [x]}``: sin cos tan exp ln sqrt of one argument, log of one or
  two (log(x, base) = log x / log base); the activations sigmoid (σ) tanh relu abs softplus of
  one argument (|x| is abs) and max and min of two;
* in f' only, ``{"call": "step", "args": [g], "tie": "1/2", "turns": [g', g'', ...]}`` (1
  where g > 0, 0 where g < 0) and the same with ``"sign"`` (1 and -1, its tie "0"): neither
  has a value where g = 0, a possible kink. There the slope from the right (left) takes the
  sign g has just beside a, that of the first of the derivatives ``turns`` not 0 there (times
  (-1)^n from the left); the libraries' value of f' at a kink takes ``tie`` (relu: 0, a tie
  of max or min: 1/2, sign: 0). See lessonkit.maths.expression.kinks.
"""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Any

from lessonkit.base.errors import LessonError
from lessonkit.maths.expression.activations import has_kinks
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

#: derivatives of a step's argument tried to tell its sign beside a zero (kinks._ORDERS)
TURNS = 6

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


def _written_steps(e: Any) -> list[Any]:
    """The Step and Sgn atoms of a sympy expression in the order `from_sympy` writes them
    (its walk, left to right, each call before what is inside it)."""
    import sympy as sp  # type: ignore[import-untyped]

    from lessonkit.maths.expression import sympy_functions as act
    from lessonkit.maths.expression.sympy_trees import _course_order, _ordered_terms

    if e.is_Atom:
        return []
    if e.is_Add:
        terms = _ordered_terms(e)
        rest = [-t if t.could_extract_minus_sign() else t for t in terms[1:]]
        return [x for t in [terms[0], *rest] for x in _written_steps(t)]
    if e.is_Mul:
        if e.could_extract_minus_sign():
            return _written_steps(-e)
        coeff, rest = e.as_coeff_Mul()
        factors = _course_order(list(rest.as_ordered_factors()) if rest.is_Mul else [rest])
        top = [coeff] if not coeff.is_Rational else []
        bottom = []
        for f in factors:
            if f.is_Pow and f.exp.is_Rational and f.exp.is_negative:
                bottom.append(sp.Pow(f.base, -f.exp))
            else:
                top.append(f)
        return [x for f in top + bottom for x in _written_steps(f)]
    if e.is_Pow and e.exp.is_Rational and e.exp.is_negative:  # 1/(base^-exp)
        return _written_steps(sp.Pow(e.base, -e.exp))
    if isinstance(e, act.Step | act.Sgn):
        return [e, *_written_steps(e.args[0])]
    return [x for arg in e.args for x in _written_steps(arg)]


def _step_nodes(node: dict[str, Any]) -> list[dict[str, Any]]:
    """The step and sign nodes of a JSON tree, each before the nodes inside it."""
    own = [node] if node.get("call") in ("step", "sign") else []
    return own + [n for arg in node.get("args", ()) for n in _step_nodes(arg)]


def _mark_steps(node: dict[str, Any], expr: Any, decimal: bool) -> None:
    """Give each step and sign node of a tree written from expr its tie and turns (see the
    module docstring)."""
    import sympy as sp

    from lessonkit.maths.expression import sympy_functions as act
    from lessonkit.maths.expression.symbolic import SYMBOL
    from lessonkit.maths.expression.sympy_trees import from_sympy

    nodes = _step_nodes(node)
    if not nodes:
        return
    atoms = _written_steps(expr)
    written = [tree_json(from_sympy(atom.args[0], decimal)) for atom in atoms]
    if [n["args"][0] for n in nodes] != written:  # pragma: no cover - from_sympy's own order
        found = {
            json.dumps(w, sort_keys=True): atom for w, atom in zip(written, atoms, strict=True)
        }
        atoms = [found[json.dumps(n["args"][0], sort_keys=True)] for n in nodes]
    for n, atom in zip(nodes, atoms, strict=True):
        h = atom.args[0]
        n["tie"] = _number_text(_fraction(atom.args[1])) if isinstance(atom, act.Step) else "0"
        n["turns"] = []
        for _ in range(TURNS):
            h = sp.diff(h, SYMBOL)
            if h == 0:
                break
            try:
                turn = tree_json(from_sympy(h, decimal))
            except LessonError:  # pragma: no cover - a derivative from_sympy cannot write
                break
            _mark_steps(turn, h, decimal)
            n["turns"].append(turn)


def _fraction(q: Any) -> Fraction:
    return Fraction(int(q.p), int(q.q))


def _df_json(tree: Node) -> dict[str, Any]:
    """f' as JSON: its tree, with every step and sign marked for kinks."""
    df = tree_json(derivative_tree(tree))
    if has_kinks(tree):
        from lessonkit.maths.expression.symbolic import derivative_expr

        _mark_steps(df, derivative_expr(tree), "." in render(tree, "source"))
    return df


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
    text), domain (in words), f and df (trees; the steps and signs of df marked for kinks),
    conditions (list of {kind, node, why}; kind one of ne gt ge ne1 cos, tested in order as
    `Function.in_domain` does), breaks (one entry per condition: {"roots": [...]},
    {"cos_linear": [c1, c0]}, {"zeros": tree} or {"cos_zeros": tree}), and limits
    (max_abs_point, min_nudge, max_nudge as exact text).

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
        "df": _df_json(tree),
        "conditions": [{"kind": c.kind, "node": tree_json(c.node), "why": c.why} for c in conds],
        "breaks": [_break_finder(c.kind, c.node) for c in conds],
        "limits": {
            "max_abs_point": _number_text(MAX_ABS_POINT),
            "min_nudge": _number_text(MIN_NUDGE),
            "max_nudge": _number_text(MAX_NUDGE),
        },
    }
