"""Functions typed as expressions in a ("a^4 - 2a", "2 sin(a)", "log(a, 10)", "relu(2a - 1)"),
parsed safely.

The text never reaches `eval`, `exec` or sympy's parser: a small tokenizer and a
recursive-descent parser accept only decimal numbers, the variable a, the constants pi and e,
the functions sin cos tan exp log ln sqrt, the activations sigmoid (also σ) tanh relu abs (also
|x|) max min softplus, + - * / ^ ** and parentheses, within hard size limits. The result is a
tree of frozen dataclasses (`Node`), from which everything else is derived:

* polynomials and rational functions are evaluated exactly with `Fraction`, without sympy, and
  so are relu, abs, max and min of them (relu(a² - 1) at 3/2 is 5/4);
* anything transcendental goes through sympy (imported lazily, see `symbolic`), exact where
  the value is rational (sqrt(4), log(100, 10), σ(0) = 1/2) and otherwise to WORKING_DIGITS
  significant digits, far tails included (σ(40) = 1 - 4.25e-18 keeps its digits);
* the domain (in words, as a membership test, and as the break points of a window) comes
  from the tree: divisors, logarithms, square roots, fractional powers and tan; a condition
  true for every real a (1 + e^(-a) != 0) is not stated;
* the derivative is written the way a course writes it (σ(a)(1 - σ(a)), 1 - tanh²(a), and
  piecewise for the corners: "1 for a > 0 and 0 for a < 0"), and the kinks of relu, abs, max
  and min are found, with the slope from either side and the libraries' convention there.

The trees of f and f' (a browser twin evaluates the same trees): a `Call` carries one of

* sin cos tan exp ln sqrt (x), log (x) or log (x, base) = log x / log base;
* sigmoid (x) = 1/(1 + e^-x), tanh (x), relu (x) = max(x, 0), abs (x) = |x|,
  softplus (x) = log(1 + e^x), max (x, y), min (x, y);
* only in f' trees, never typed: step (g), 1 where g > 0 and 0 where g < 0, and sign (g), 1
  where g > 0 and -1 where g < 0; neither has a value where g = 0 (a kink, or a point where
  both sides agree, which `Function` handles). relu(g)' = step(g)·g', |g|' = sign(g)·g',
  max(x, y)' = step(x - y)·x' + (1 - step(x - y))·y' (or the same with y - x, whichever reads
  better), min likewise; 1/(1 + e^(-g)) is differentiated as sigmoid(g).

This module holds `function_from_expression`, which puts those pieces together into a lesson
`Function`, and re-exports the names other code uses. The pieces, one idea a module:

* `tree`: the Node dataclasses and walking them; `limits`: the hard limits;
* `tokens`, `parser`, `validation`, `problems`: text to a checked tree, or a one-line error;
  `names`: the names of an expression parsed with names (a computation graph's formulas);
* `evaluation`: one walk for every number system, and float values for plots;
* `exact`: Fraction values; `polynomials`: coefficients, rational functions, real roots;
* `writing`: trees shaped the way a student writes them; `printing`: text, Typst, source;
* `domain`: conditions and the domain; `signs`: signs true for every a; `breaks`: poles and
  ends of the domain in a window;
* `activations`: sigmoid spelled out, corners, where to look; `window`: the default point and
  window;
* `symbolic`, `magnitude`, `sympy_trees`, `sympy_functions`, `piecewise`, `kinks`: the sympy
  and mpmath side, never imported here.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Sequence
from dataclasses import replace
from fractions import Fraction

from lessonkit.base.errors import LessonError
from lessonkit.maths.expression.activations import has_kinks
from lessonkit.maths.expression.breaks import breaks_of
from lessonkit.maths.expression.domain import Condition, Domain, conditions, domain_of
from lessonkit.maths.expression.evaluation import evaluate_float
from lessonkit.maths.expression.exact import evaluate_fraction, is_rational_function
from lessonkit.maths.expression.limits import (
    MAX_CHARS,
    MAX_CONSTANT_BITS,
    MAX_DEGREE,
    MAX_DEPTH,
    MAX_DIGITS,
    MAX_EXP_NESTING,
    MAX_EXPONENT,
    MAX_MAGNITUDE,
    MAX_NODES,
)
from lessonkit.maths.expression.parser import parse_expression
from lessonkit.maths.expression.polynomials import Poly, polynomial, rational_function
from lessonkit.maths.expression.printing import fraction_text, render
from lessonkit.maths.expression.problems import EXAMPLES, expression_error, quoted
from lessonkit.maths.expression.tokens import Token, tokenize
from lessonkit.maths.expression.tree import (
    CONSTANT_NAMES,
    FUNCTION_NAMES,
    VARIABLE,
    A,
    BinOp,
    Call,
    Const,
    Name,
    Neg,
    Node,
    Num,
    Var,
    children,
    has_var,
    names_in,
    walk,
)
from lessonkit.maths.expression.window import default_points, default_window
from lessonkit.maths.expression.writing import polynomial_node
from lessonkit.maths.functions import Function, Window, nice_step, polynomial_value
from lessonkit.maths.numbers import Value

__all__ = [
    "Num",
    "Var",
    "Name",
    "Const",
    "Neg",
    "BinOp",
    "Call",
    "Node",
    "MAX_CHARS",
    "MAX_NODES",
    "MAX_DEPTH",
    "MAX_EXPONENT",
    "parse_expression",
    "function_from_expression",
    "render",
    # also importable from here, as when this package was one module
    "A",
    "CONSTANT_NAMES",
    "FUNCTION_NAMES",
    "MAX_CONSTANT_BITS",
    "MAX_DEGREE",
    "MAX_DIGITS",
    "MAX_EXP_NESTING",
    "MAX_MAGNITUDE",
    "VARIABLE",
    "Condition",
    "Domain",
    "Poly",
    "Token",
    "breaks_of",
    "children",
    "conditions",
    "default_points",
    "default_window",
    "domain_of",
    "evaluate_float",
    "evaluate_fraction",
    "has_var",
    "is_rational_function",
    "names_in",
    "nice_step",
    "polynomial",
    "quoted",
    "rational_function",
    "tokenize",
    "walk",
]


def _name(source: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", source.lower()).strip("-") or "f"
    if slug == source and len(slug) <= 48:
        return slug
    digest = hashlib.sha256(source.encode()).hexdigest()[:8]
    return f"{slug[:39].rstrip('-')}-{digest}".lstrip("-")


def _unknown_function(text: str, known: Sequence[str]) -> LessonError | None:
    """'sqare' -> unknown function 'sqare'; did you mean 'square'?"""
    word = text.strip()
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", word) or len(word) > 40:
        return None
    lower = word.lower()
    if lower in (VARIABLE, *CONSTANT_NAMES, *FUNCTION_NAMES, "nan", "inf", "infinity"):
        return None
    words = sorted({k for k in known if re.fullmatch(r"[a-z][a-z0-9-]*", k)} | set(FUNCTION_NAMES))
    hint = difflib.get_close_matches(lower, words, n=1, cutoff=0.6)
    if hint:
        return LessonError(f"unknown function {word!r}; did you mean {hint[0]!r}?")
    names = [k for k in known if re.fullmatch(r"[a-z][a-z0-9-]*", k)][:10]
    listed = f", or one of: {', '.join(names)}" if names else ""
    return LessonError(
        f"unknown function {word!r}: write an expression in a such as {EXAMPLES}{listed}"
    )


def function_from_expression(text: str, known: Sequence[str] = ()) -> Function:
    """The lesson function of an expression in a, parsed without eval.

    >>> f = function_from_expression("3a^2 + 1")
    >>> f.formula, f.derivative_formula, f.coefficients
    ('3a² + 1', '6a', (Fraction(1, 1), Fraction(0, 1), Fraction(3, 1)))
    >>> f.value(Fraction(1, 2))
    Value(q=Fraction(7, 4), exact=True)
    """
    try:
        tree = parse_expression(text)
    except LessonError as error:
        if isinstance(text, str):
            hint = _unknown_function(text, known)
            if hint is not None:
                raise hint from None
        raise error from None
    source = render(tree, "source")
    try:
        again = parse_expression(source)
    except LessonError:
        raise expression_error(text, "too long once written out") from None
    if again != tree:  # pragma: no cover - a printer bug, never silently a different function
        raise expression_error(text, f"internal error: {source!r} does not read back the same")
    decimal = "." in source
    log_name = "ln" if any(isinstance(n, Call) and n.func == "ln" for n in walk(tree)) else "log"
    coefficients = polynomial(tree)
    rational = is_rational_function(tree)
    conds = conditions(tree)
    domain = domain_of(tree)

    if not conds:

        def allows(a: Fraction) -> bool:
            return True

    else:

        def allows(a: Fraction) -> bool:
            return all(c.holds_at(a) for c in conds)

    forms: tuple[str, str, str] | None = None
    kinked: dict[str, object] = {}
    if coefficients is not None:
        coeffs = coefficients
        deriv = tuple(k * c for k, c in enumerate(coeffs))[1:] or (Fraction(0),)
        derivative_tree = polynomial_node(deriv, decimal)

        def evaluate(a: Fraction) -> Value:
            return Value(polynomial_value(coeffs, a))

        def differentiate(a: Fraction) -> Value:
            return Value(polynomial_value(deriv, a))

    else:
        from lessonkit.maths.expression import piecewise, symbolic, sympy_trees

        derivative_tree = sympy_trees.derivative_tree(tree, decimal)
        if rational:

            def evaluate(a: Fraction) -> Value:
                try:
                    return Value(evaluate_fraction(tree, a))
                except ZeroDivisionError:
                    raise LessonError(
                        f"{source} is undefined at a = {fraction_text(a)} (division by zero)"
                    ) from None

        else:

            def evaluate(a: Fraction) -> Value:
                return symbolic.value_at(tree, a)

        if has_kinks(tree):
            from lessonkit.maths.expression.kinks import Kinks

            corners = Kinks(tree, allows)
            forms = piecewise.piecewise_forms(corners.expr, decimal, log_name, allows)
            differentiate = corners.derivative
            kinked = {
                "kinks": corners.points,
                "kink_at": corners.is_kink,
                "side_slope": corners.one_sided,
                "kink_convention": corners.convention,
            }
        else:
            differentiate = symbolic.Derivative(tree).at

    if forms is None:
        forms = (
            render(derivative_tree, "text", log_name),
            render(derivative_tree, "typst", log_name),
            render(derivative_tree, "at", log_name),
        )
    formula = render(tree, "text", log_name)
    name = _name(source)
    fn = Function(
        name=name,
        source=source,
        aliases=(),
        title=f"f(a) = {formula}",
        formula=formula,
        derivative_formula=forms[0],
        formula_typst=render(tree, "typst", log_name),
        derivative_typst=forms[1],
        derivative_at_typst=forms[2],
        points=(Fraction(2),),
        window=Window(0, 1, 1, 0, 1, 1),
        evaluate=evaluate,
        differentiate=differentiate,
        plot=lambda x: evaluate_float(tree, x),
        allows=allows,
        domain=domain.words(),
        coefficients=coefficients,
        domain_min=domain.open_lower_end,
        breaks=lambda lo, hi: breaks_of(tree, lo, hi),
    )
    points = default_points(tree, allows)
    window = default_window(tree, points, domain)
    return replace(fn, points=points, window=window, **kinked)  # type: ignore[arg-type]
