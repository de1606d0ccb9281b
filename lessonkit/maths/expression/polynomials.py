"""Polynomials and rational functions of a, as exact `Fraction` coefficients.

`polynomial` and `rational_function` read coefficients off the tree (None when it is not one);
the small arithmetic here (sum, product, division, gcd) and `real_roots` serve the
derivative of a polynomial, the domain and the breaks of a window.
"""

from __future__ import annotations

import math
from fractions import Fraction

from lessonkit.maths.expression.exact import integer_exponent
from lessonkit.maths.expression.tree import BinOp, Neg, Node, Num, Var
from lessonkit.maths.functions import polynomial_value

Poly = tuple[Fraction, ...]


def trim(p: list[Fraction]) -> Poly:
    while len(p) > 1 and p[-1] == 0:
        p.pop()
    return tuple(p) if p else (Fraction(0),)


def _padd(p: Poly, q: Poly, sign: int = 1) -> Poly:
    out = [Fraction(0)] * max(len(p), len(q))
    for i, c in enumerate(p):
        out[i] += c
    for i, c in enumerate(q):
        out[i] += sign * c
    return trim(out)


def _pmul(p: Poly, q: Poly) -> Poly:
    out = [Fraction(0)] * (len(p) + len(q) - 1)
    for i, c in enumerate(p):
        if c:
            for j, d in enumerate(q):
                out[i + j] += c * d
    return trim(out)


def _ppow(p: Poly, n: int) -> Poly:
    out: Poly = (Fraction(1),)
    for _ in range(n):
        out = _pmul(out, p)
    return out


def polynomial(node: Node) -> Poly | None:
    """Exact coefficients (c0, c1, ...) when the tree is a polynomial in a, else None."""
    if isinstance(node, Num):
        return (node.value,)
    if isinstance(node, Var):
        return (Fraction(0), Fraction(1))
    if isinstance(node, Neg):
        p = polynomial(node.operand)
        return None if p is None else tuple(-c for c in p)
    if isinstance(node, BinOp):
        left = polynomial(node.left)
        if left is None:
            return None
        if node.op == "^":
            n = integer_exponent(node.right)
            return None if n is None or n < 0 else _ppow(left, n)
        right = polynomial(node.right)
        if right is None:
            return None
        if node.op == "+":
            return _padd(left, right)
        if node.op == "-":
            return _padd(left, right, -1)
        if node.op == "*":
            return _pmul(left, right)
        if len(right) == 1 and right[0] != 0:
            return tuple(c / right[0] for c in left)
    return None


def rational_function(node: Node) -> tuple[Poly, Poly] | None:
    """(numerator, denominator) coefficients when the tree is a rational function, else None."""
    if isinstance(node, Num | Var):
        p = polynomial(node)
        assert p is not None
        return p, (Fraction(1),)
    if isinstance(node, Neg):
        r = rational_function(node.operand)
        return None if r is None else (tuple(-c for c in r[0]), r[1])
    if isinstance(node, BinOp):
        left = rational_function(node.left)
        if left is None:
            return None
        if node.op == "^":
            n = integer_exponent(node.right)
            if n is None:
                return None
            num, den = left if n >= 0 else (left[1], left[0])
            return _ppow(num, abs(n)), _ppow(den, abs(n))
        right = rational_function(node.right)
        if right is None:
            return None
        (ln, ld), (rn, rd) = left, right
        if node.op == "+":
            return _padd(_pmul(ln, rd), _pmul(rn, ld)), _pmul(ld, rd)
        if node.op == "-":
            return _padd(_pmul(ln, rd), _pmul(rn, ld), -1), _pmul(ld, rd)
        if node.op == "*":
            return _pmul(ln, rn), _pmul(ld, rd)
        return _pmul(ln, rd), _pmul(ld, rn)
    return None


def real_roots(p: Poly, lo: float, hi: float) -> list[float]:
    p = trim(list(p))
    if len(p) <= 1:
        return []
    if len(p) == 2:
        return [float(-p[0] / p[1])]
    # the square-free part has simple roots, which numpy finds accurately
    d = trim([k * c for k, c in enumerate(p)][1:])
    g = _pgcd(p, d)
    if len(g) > 1:
        p = _pdiv(p, g)
    if len(p) == 2:
        return [float(-p[0] / p[1])]
    if len(p) == 3:
        c, b, a = p
        disc = b * b - 4 * a * c
        if disc < 0:
            return []
        r = math.sqrt(disc)
        return [(-float(b) - r) / (2 * float(a)), (-float(b) + r) / (2 * float(a))]
    import numpy as np

    roots = np.roots([float(c) for c in reversed(p)])
    out: list[float] = []
    for r in roots:
        if abs(r.imag) <= 1e-7 * max(1.0, abs(r)):
            x = float(r.real)
            for _ in range(3):  # polish with Newton
                fx = float(polynomial_value(p, Fraction(x)))
                dfx = float(polynomial_value(d, Fraction(x))) if d else 0.0
                if dfx == 0:
                    break
                x -= fx / dfx
            out.append(x)
    return out


def _pdivmod(p: Poly, q: Poly) -> tuple[Poly, Poly]:
    rem = list(p)
    quot = [Fraction(0)] * max(1, len(p) - len(q) + 1)
    while len(rem) >= len(q) and any(rem):
        k = len(rem) - len(q)
        c = rem[-1] / q[-1]
        quot[k] = c
        for i, d in enumerate(q):
            rem[i + k] -= c * d
        rem.pop()
        if not rem:
            break
    return trim(quot), trim(rem)


def _pdiv(p: Poly, q: Poly) -> Poly:
    return _pdivmod(p, q)[0]


def _pgcd(p: Poly, q: Poly) -> Poly:
    while len(q) > 1 or q[0] != 0:
        p, q = q, _pdivmod(p, q)[1]
    return tuple(c / p[-1] for c in p)
