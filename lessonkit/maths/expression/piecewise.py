"""Derivatives with steps, written piecewise: relu(2a - 1)' = "2 for a > 1/2 and 0 for a < 1/2".

The derivative of relu, |x|, max and min holds Step(h) and Sgn(h) (`sympy_functions`); each
distinct h (up to its sign) is a *switch*. `settle` fixes the sign of every switch and gives the
plain expression that holds there, with relu, |x|, max and min of the same switches resolved too
(relu(a) step(a) is a for a > 0); `cases` lists the pieces: for switches that are all linear in
a, one piece per interval between their roots, the conditions solved ("a > 1/2",
"0 < a < 1"); otherwise one piece per feasible choice of signs, the conditions written as
comparisons ("a² > a"). Two pieces read with the right one first ("1 for a > 0 and 0 for
a < 0"), more from left to right. The text joins them with "for" and "and"; Typst writes
cases(...). Imported lazily, like sympy.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import sympy as sp  # type: ignore[import-untyped]

from lessonkit.maths.expression import sympy_functions as act
from lessonkit.maths.expression.printing import render
from lessonkit.maths.expression.symbolic import SYMBOL
from lessonkit.maths.expression.sympy_trees import from_sympy
from lessonkit.maths.expression.tree import Var
from lessonkit.maths.expression.writing import negate_leftmost, number_node

__all__ = ["switches", "key", "settle", "cases", "piecewise_forms"]

#: more distinct switches than this are written with step() and sign(), not as pieces
MAX_SWITCHES = 3


def key(h: Any) -> tuple[Any, int]:
    """(k, o) with h = o·k and k the orientation of h that reads well (a - 1, not 1 - a)."""
    return (-h, -1) if h.could_extract_minus_sign() else (h, 1)


def _argument(e: Any) -> Any:
    """The h whose sign decides e: relu, |x|, step and sign of h; max and min of x - y."""
    if isinstance(e, act.Maximum | act.Minimum):
        return e.args[0] - e.args[1]
    return e.args[0]


def switches(expr: Any) -> list[Any]:
    """The distinct switches of the steps and signs of expr, in a stable order."""
    found: list[Any] = []
    for atom in sorted(expr.atoms(act.Step, act.Sgn), key=sp.default_sort_key):
        k = key(atom.args[0])[0]
        if k not in found:
            found.append(k)
    return found


def settle(expr: Any, sign_of: Callable[[Any], int]) -> Any:
    """expr with each step, sign, relu, |x|, max and min replaced by what it is where the
    switch k has the sign sign_of(k) (1 or -1; 0 asks for the libraries' value at a corner).

    Steps and signs go first, so that a term they switch off is gone before what it multiplies
    is resolved (sqrt(relu(a))' = step(a)/(2 sqrt(relu(a))) is 0, not 0/0, for a < 0)."""
    rule: dict[Any, Any] = {}
    for atom in expr.atoms(act.Step, act.Sgn):
        k, o = key(atom.args[0])
        s = o * sign_of(k)
        if isinstance(atom, act.Step):
            rule[atom] = atom.args[1] if s == 0 else sp.Integer(1 if s > 0 else 0)
        else:
            rule[atom] = sp.Integer(s)
    expr = expr.xreplace(rule)
    rule = {}
    for atom in expr.atoms(act.Relu, act.Absolute, act.Maximum, act.Minimum):
        k, o = key(_argument(atom))
        s = o * sign_of(k)
        if isinstance(atom, act.Relu):
            rule[atom] = settle(atom.args[0], sign_of) if s > 0 else sp.S.Zero
        elif isinstance(atom, act.Absolute):
            rule[atom] = settle(atom.args[0], sign_of) * (1 if s >= 0 else -1)
        else:  # max (min) is its first argument where x - y > 0 (< 0)
            first = (s >= 0) != isinstance(atom, act.Minimum)
            rule[atom] = settle(atom.args[0] if first else atom.args[1], sign_of)
    return expr.xreplace(rule)


def _linear(k: Any) -> tuple[Fraction, Fraction] | None:
    """(c1, c0) when k = c1·a + c0 with rational coefficients, c1 != 0."""
    try:
        p = sp.Poly(k, SYMBOL)
    except sp.PolynomialError:
        return None
    if p.degree() != 1 or not all(c.is_Rational for c in p.all_coeffs()):
        return None
    c1, c0 = p.all_coeffs()
    return Fraction(int(c1.p), int(c1.q)), Fraction(int(c0.p), int(c0.q))


def _simplest(e: Any) -> Any:
    candidates = [e, sp.factor_terms(e)]
    return min(candidates, key=lambda c: (sp.count_ops(c), len(str(c))))


Piece = tuple[Any, list[tuple[str, Any, int]]]  # (expression, [(kind, thing, sign)])


def _interval_pieces(
    expr: Any,
    keys: list[Any],
    lines: list[tuple[Fraction, Fraction]],
    allows: Callable[[Fraction], bool],
) -> list[Piece]:
    roots = sorted({-c0 / c1 for c1, c0 in lines})
    probes = [roots[0] - 1] + [(x + y) / 2 for x, y in itertools.pairwise(roots)]
    probes.append(roots[-1] + 1)
    pieces: list[tuple[Any, int, int]] = []  # (expression, first interval, last interval)
    for i, probe in enumerate(probes):
        if not allows(probe):  # outside the domain (log(relu(a)) for a < 0): no piece
            continue
        signs = {
            k: (1 if c1 * probe + c0 > 0 else -1) for k, (c1, c0) in zip(keys, lines, strict=True)
        }
        e = _simplest(settle(expr, signs.__getitem__))
        if pieces and pieces[-1][0] == e and pieces[-1][2] == i - 1:
            pieces[-1] = (e, pieces[-1][1], i)
        else:
            pieces.append((e, i, i))
    out: list[Piece] = []
    for e, first, last in pieces:
        bounds: list[tuple[str, Any, int]] = []
        if first > 0:
            bounds.append(("above", roots[first - 1], 1))
        if last < len(roots):
            bounds.append(("below", roots[last], -1))
        out.append((e, bounds))
    if len(out) == 2:
        out.reverse()
    return out


def _sign_pieces(expr: Any, keys: list[Any]) -> list[Piece]:
    out: list[Piece] = []
    for signs in itertools.product((1, -1), repeat=len(keys)):
        chosen = dict(zip(keys, signs, strict=True))
        if not _feasible(chosen):
            continue
        e = _simplest(settle(expr, chosen.__getitem__))
        out.append((e, [("compare", k, s) for k, s in chosen.items()]))
    return out


def _feasible(chosen: dict[Any, int]) -> bool:
    """False when no real a gives the switches these signs (tested between the real roots of
    polynomial switches); True when it cannot tell."""
    try:
        polys = [sp.Poly(k, SYMBOL) for k in chosen]
    except sp.PolynomialError:
        return True
    if not all(c.is_Rational for p in polys for c in p.all_coeffs()):
        return True
    roots = sorted({float(r) for p in polys for r in sp.real_roots(p)})
    if not roots:
        probes = [Fraction(0)]
    else:
        edges = [Fraction(r) for r in roots]
        probes = [edges[0] - 1, edges[-1] + 1]
        probes += [(x + y) / 2 for x, y in itertools.pairwise(edges)]
    for probe in probes:
        at = sp.Rational(probe.numerator, probe.denominator)
        if all((p.eval(at) > 0) == (s > 0) for p, s in zip(polys, chosen.values(), strict=True)):
            return True
    return False


def cases(expr: Any, allows: Callable[[Fraction], bool] = lambda a: True) -> list[Piece] | None:
    """The pieces of an expression with steps, or None when it has none (or too many); with
    linear switches, only the intervals that meet the domain (`allows` at a point inside)."""
    keys = switches(expr)
    if not keys or len(keys) > MAX_SWITCHES:
        return None
    lines = [_linear(k) for k in keys]
    if all(line is not None for line in lines):
        found = _interval_pieces(expr, keys, [line for line in lines if line is not None], allows)
        return found or None
    return _sign_pieces(expr, keys)


def _number(q: Fraction, decimal: bool) -> Any:
    node = number_node(abs(q), decimal)
    return negate_leftmost(node) if q < 0 else node


def _condition(bounds: list[tuple[str, Any, int]], style: str, decimal: bool, log: str) -> str:
    var = render(Var(), style)
    if len(bounds) == 2 and bounds[0][0] == "above":
        lo, hi = (render(_number(b[1], decimal), style, log) for b in bounds)
        return f"{lo} < {var} < {hi}"
    parts = []
    for kind, thing, s in bounds:
        if kind != "compare":
            op = ">" if kind == "above" else "<"
            parts.append(f"{var} {op} {render(_number(thing, decimal), style, log)}")
            continue
        terms = thing.as_ordered_terms() if thing.is_Add else [thing]
        left = sp.Add(*[t for t in terms if not t.could_extract_minus_sign()])
        right = sp.Add(*[-t for t in terms if t.could_extract_minus_sign()])
        sides = (render(from_sympy(side, decimal), style, log) for side in (left, right))
        parts.append(f" {'>' if s > 0 else '<'} ".join(sides))
    return " and ".join(parts)


def piecewise_forms(
    expr: Any,
    decimal: bool = False,
    log: str = "log",
    allows: Callable[[Fraction], bool] = lambda a: True,
) -> tuple[str, str, str] | None:
    """f' as text, Typst and Typst with {a}, piecewise; None when it has no steps."""
    pieces = cases(expr, allows)
    if pieces is None or any(e.has(sp.nan, sp.zoo, sp.oo, -sp.oo) for e, _ in pieces):
        return None
    if len(pieces) == 1:
        tree = from_sympy(pieces[0][0], decimal)
        text, typst, at = (render(tree, style, log) for style in ("text", "typst", "at"))
        return text, typst, at
    forms: list[str] = []
    for style in ("text", "typst", "at"):
        rows = []
        for e, bounds in pieces:
            value = render(from_sympy(e, decimal), style, log)
            condition = _condition(bounds, style, decimal, log)
            rows.append(
                f"{value} for {condition}" if style == "text" else f'{value} & "for" {condition}'
            )
        if style == "text":
            forms.append(", ".join(rows[:-1]) + " and " + rows[-1])
        else:
            forms.append("cases(" + ", ".join(rows) + ")")
    return forms[0], forms[1], forms[2]
