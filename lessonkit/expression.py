"""Functions typed as expressions in a ("a^4 - 2a", "2 sin(a)", "log(a, 10)"), parsed safely.

The text never reaches `eval`, `exec` or sympy's parser: a small tokenizer and a
recursive-descent parser accept only decimal numbers, the variable a, the constants pi and e,
the functions sin cos tan exp log ln sqrt, + - * / ^ ** and parentheses, within hard size
limits. The result is a tree of frozen dataclasses (`Node`), from which everything else is
derived:

* polynomials and rational functions are evaluated exactly with `Fraction`, without sympy;
* anything transcendental goes through sympy (imported lazily, see `lessonkit.symbolic`),
  exact where the value is rational (sqrt(4), log(100, 10)) and otherwise to
  WORKING_DIGITS significant digits;
* the domain (in words, as a membership test, and as the break points of a window) comes
  from the tree: divisors, logarithms, square roots, fractional powers and tan.
"""

from __future__ import annotations

import difflib
import hashlib
import math
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction

from lessonkit.errors import LessonError
from lessonkit.functions import Function, Window, polynomial_value
from lessonkit.numbers import Value, format_fraction

__all__ = [
    "Num",
    "Var",
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
]

#: Limits that keep every expression small enough to parse, differentiate and evaluate fast.
MAX_CHARS = 200  # characters of the expression text (surrounding whitespace not counted)
MAX_NODES = 60  # numbers, names and operators in the tree
MAX_DEPTH = 12  # nested parentheses, function calls, exponents and signs
MAX_EXPONENT = 12  # |n| for a constant integer exponent on anything that contains a
MAX_DIGITS = 15  # significant digits of a number literal
MAX_MAGNITUDE = 15  # a number literal lies in [1e-15, 1e15) (or is 0)
MAX_DEGREE = 60  # total degree of the rational part, e.g. (a^12)^5
MAX_CONSTANT_BITS = 4096  # size of a folded constant power such as 9^9
MAX_EXP_NESTING = 2  # exp(exp(a)) is fine, exp(exp(exp(a))) is refused

FUNCTION_NAMES = ("sin", "cos", "tan", "exp", "log", "ln", "sqrt")
CONSTANT_NAMES = ("pi", "e")
VARIABLE = "a"


# -- the tree ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Num:
    """A non-negative decimal literal, held exactly (negative numbers are Neg(Num))."""

    value: Fraction


@dataclass(frozen=True)
class Var:
    """The variable a."""


@dataclass(frozen=True)
class Const:
    """pi or e."""

    name: str


@dataclass(frozen=True)
class Neg:
    operand: Node


@dataclass(frozen=True)
class BinOp:
    """left op right, op one of + - * / ^."""

    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Call:
    """sin cos tan exp log ln sqrt of one argument, or log(x, base)."""

    func: str
    args: tuple[Node, ...]


Node = Num | Var | Const | Neg | BinOp | Call

A = Var()


def children(node: Node) -> tuple[Node, ...]:
    if isinstance(node, Neg):
        return (node.operand,)
    if isinstance(node, BinOp):
        return (node.left, node.right)
    if isinstance(node, Call):
        return node.args
    return ()


def walk(node: Node) -> Iterator[Node]:
    """Every node, children before their parent."""
    for child in children(node):
        yield from walk(child)
    yield node


def has_var(node: Node) -> bool:
    return any(isinstance(n, Var) for n in walk(node))


# -- errors ------------------------------------------------------------------------------------
def quoted(text: str, limit: int = 40) -> str:
    """The text as a one-line quoted string, cut short when long."""
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return repr(text)


class _Fail(Exception):
    def __init__(self, problem: str, column: int | None = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.column = column


def _error(text: str, problem: str, column: int | None = None) -> LessonError:
    where = f" at column {column}" if column is not None else ""
    return LessonError(f"expression {quoted(text)}: {problem}{where}")


# -- tokens ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Token:
    kind: str  # "num", "name", "op", "sup", "end"
    text: str
    column: int  # 1-based column of the first character in the original text
    value: Fraction = Fraction(0)


_NUMBER = re.compile(r"(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", re.ASCII)
_NAME = re.compile(r"[A-Za-z]+", re.ASCII)
_SUPERSCRIPTS = {
    "⁰": "0",
    "¹": "1",
    "²": "2",
    "³": "3",
    "⁴": "4",
    "⁵": "5",
    "⁶": "6",
    "⁷": "7",
    "⁸": "8",
    "⁹": "9",
    "⁻": "-",
}
_OPERATORS = {
    "+": "+",
    "-": "-",
    "−": "-",  # U+2212 minus sign
    "*": "*",
    "·": "*",
    "⋅": "*",
    "×": "*",
    "/": "/",
    "÷": "/",
    "^": "^",
    "(": "(",
    ")": ")",
    ",": ",",
}
_SPACES = " \t\u00a0"


def _number(literal: str, column: int) -> Fraction:
    mantissa, _, exponent_text = literal.lower().partition("e")
    whole, _, part = mantissa.partition(".")
    digits = (whole + part).lstrip("0")
    significant = digits.rstrip("0")
    if len(significant) > MAX_DIGITS:
        raise _Fail(
            f"number {quoted(literal, 24)} has more than {MAX_DIGITS} significant digits", column
        )
    if len(exponent_text.lstrip("+-").lstrip("0")) > 4:
        raise _Fail(f"number {quoted(literal, 24)} is too large or too small", column)
    exponent = int(exponent_text or "0")
    if not significant:
        return Fraction(0)
    # the position of the leading digit: 10^adjusted <= value < 10^(adjusted + 1)
    adjusted = exponent + len(whole.lstrip("0")) - 1 if whole.lstrip("0") else None
    if adjusted is None:
        adjusted = exponent - (len(part) - len(part.lstrip("0"))) - 1
    if not -MAX_MAGNITUDE <= adjusted < MAX_MAGNITUDE:
        raise _Fail(
            f"number {quoted(literal, 24)} is too large or too small "
            f"(use magnitudes from 1e-{MAX_MAGNITUDE} to 1e{MAX_MAGNITUDE})",
            column,
        )
    value = Fraction(int(whole or "0") * 10 ** len(part) + int(part or "0"), 10 ** len(part))
    return value * Fraction(10) ** exponent


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        column = i + 1
        if ch in _SPACES:
            i += 1
            continue
        if ch.isascii() and (ch.isdigit() or ch == "."):
            match = _NUMBER.match(text, i)
            if match is None:
                raise _Fail("'.' is not allowed here (write 0.5, not .)", column)
            literal = match.group()
            tokens.append(Token("num", literal, column, _number(literal, column)))
            i = match.end()
            continue
        if ch.isascii() and ch.isalpha():
            match = _NAME.match(text, i)
            assert match is not None
            tokens.append(Token("name", match.group(), column))
            i = match.end()
            continue
        if ch == "π":
            tokens.append(Token("name", "pi", column))
            i += 1
            continue
        if ch in _SUPERSCRIPTS:
            j = i
            while j < n and text[j] in _SUPERSCRIPTS:
                j += 1
            run = "".join(_SUPERSCRIPTS[c] for c in text[i:j])
            if not re.fullmatch(r"-?[0-9]{1,3}", run):
                raise _Fail(f"superscript {quoted(text[i:j], 12)} is not an exponent", column)
            tokens.append(Token("sup", text[i:j], column, Fraction(int(run))))
            i = j
            continue
        if ch == "*" and text.startswith("**", i):
            tokens.append(Token("op", "^", column))
            i += 2
            continue
        if ch in _OPERATORS:
            tokens.append(Token("op", _OPERATORS[ch], column))
            i += 1
            continue
        if ch == "=":
            raise _Fail("'=' is not allowed (write only the right-hand side, e.g. a^2)", column)
        raise _Fail(f"{ch!r} is not allowed", column)
    tokens.append(Token("end", "", n + 1))
    return tokens


# -- parser ------------------------------------------------------------------------------------
_STARTS = "a number, a or '('"


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.depth = 0
        self.nodes = 0

    # helpers
    @property
    def tok(self) -> Token:
        return self.tokens[self.pos]

    def is_op(self, *ops: str) -> bool:
        return self.tok.kind == "op" and self.tok.text in ops

    def advance(self) -> Token:
        tok = self.tokens[self.pos]
        self.pos += 1
        return tok

    def node(self, node: Node) -> Node:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _Fail(
                f"too long: more than {MAX_NODES} numbers, names and operators", self.tok.column
            )
        return node

    @contextmanager
    def nested(self, tok: Token) -> Iterator[None]:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _Fail(f"nested more than {MAX_DEPTH} levels deep", tok.column)
        try:
            yield
        finally:
            self.depth -= 1

    def expected(self, what: str) -> _Fail:
        tok = self.tok
        prev = self.tokens[self.pos - 1] if self.pos > 0 else None
        after = f" after {prev.text!r}" if prev is not None else ""
        if tok.kind == "end":
            if prev is None:
                return _Fail("empty; write a function of a such as a^2 or sin(a)")
            return _Fail(f"expected {what}{after}", prev.column)
        return _Fail(f"expected {what}{after} but found {tok.text!r}", tok.column)

    # grammar
    def parse(self) -> Node:
        node = self.expr()
        tok = self.tok
        if tok.kind != "end":
            if tok.text == ")":
                raise _Fail("unmatched ')'", tok.column)
            if tok.text == ",":
                raise _Fail("',' is allowed only between the two arguments of log", tok.column)
            raise self.expected("an operator")
        return node

    def expr(self) -> Node:
        node = self.term()
        while self.is_op("+", "-"):
            op = self.advance().text
            node = self.node(BinOp(op, node, self.term()))
        return node

    def term(self) -> Node:
        node = self.unary()
        while True:
            tok = self.tok
            if self.is_op("*", "/"):
                self.advance()
                node = self.node(BinOp(tok.text, node, self.unary()))
            elif tok.kind == "name" or self.is_op("("):
                node = self.node(BinOp("*", node, self.power()))  # implicit: 2a, a(a+1)
            elif tok.kind == "num":
                raise _Fail(f"expected an operator before the number {tok.text!r}", tok.column)
            elif tok.kind == "sup":
                raise _Fail(f"superscript {tok.text!r} must follow a number, a or ')'", tok.column)
            else:
                return node

    def unary(self) -> Node:
        if self.is_op("-", "+"):
            tok = self.advance()
            with self.nested(tok):
                operand = self.unary()
            return operand if tok.text == "+" else self.node(Neg(operand))
        return self.power()

    def power(self) -> Node:
        base = self.postfix()
        if self.is_op("^"):
            tok = self.advance()
            with self.nested(tok):
                exponent = self.unary()  # right-associative: a^b^c = a^(b^c)
            return self.node(BinOp("^", base, exponent))
        return base

    def postfix(self) -> Node:
        node = self.atom()
        while self.tok.kind == "sup":
            tok = self.advance()
            n = int(tok.value)
            exponent = self.node(Num(Fraction(abs(n))))
            if n < 0:
                exponent = self.node(Neg(exponent))
            node = self.node(BinOp("^", node, exponent))
        return node

    def atom(self) -> Node:
        tok = self.tok
        if tok.kind == "num":
            self.advance()
            return self.node(Num(tok.value))
        if tok.kind == "name":
            name = tok.text
            if name == VARIABLE:
                self.advance()
                return self.node(A)
            if name in CONSTANT_NAMES:
                self.advance()
                return self.node(Const(name))
            if name in FUNCTION_NAMES:
                return self.call()
            raise _Fail(_unknown_name(name), tok.column)
        if self.is_op("("):
            self.advance()
            with self.nested(tok):
                node = self.expr()
            if not self.is_op(")"):
                if self.tok.kind == "end":
                    raise _Fail("'(' is never closed", tok.column)
                if self.is_op(","):
                    raise _Fail(
                        "',' is allowed only between the two arguments of log", self.tok.column
                    )
                raise self.expected("')' or an operator")
            self.advance()
            return node
        raise self.expected(_STARTS)

    def call(self) -> Node:
        name_tok = self.advance()
        func = name_tok.text
        if self.is_op("("):
            paren = self.advance()
            args: list[Node] = []
            with self.nested(paren):
                args.append(self.expr())
                while self.is_op(","):
                    comma = self.advance()
                    if func != "log" or len(args) == 2:
                        raise _Fail(
                            f"{func} takes one argument"
                            if func != "log"
                            else "log takes at most two arguments: log(x) or log(x, base)",
                            comma.column,
                        )
                    args.append(self.expr())
            if not self.is_op(")"):
                if self.tok.kind == "end":
                    raise _Fail(f"'(' after {func} is never closed", paren.column)
                raise self.expected("')' or an operator")
            self.advance()
            return self.node(Call(func, tuple(args)))
        # sin a, log a, sqrt a: the argument is one power-level term
        tok = self.tok
        if not (tok.kind in ("num", "name") or self.is_op("(")):
            raise self.expected(f"'(' or an argument for {func}")
        with self.nested(name_tok):
            arg = self.power()
        nxt = self.tok
        if (
            nxt.kind == "num"
            or self.is_op("(")
            or (nxt.kind == "name" and nxt.text not in FUNCTION_NAMES)
        ):
            raise _Fail(
                f"write {func}(...) with parentheses: {func} followed by a product is ambiguous",
                name_tok.column,
            )
        return self.node(Call(func, (arg,)))


def _unknown_name(name: str) -> str:
    lower = name.lower()
    if lower == VARIABLE:
        return f"unknown name {name!r}: the variable is a (lower case)"
    if len(name) == 1 and lower not in ("e",):
        if lower == "f":
            return "unknown name 'f': write only the right-hand side, such as a^2 for f(a) = a^2"
        return f"unknown name {name!r}: the variable is a, e.g. a^2"
    if lower in ("nan", "inf", "infinity"):
        return f"{name!r} is not a number an expression can use"
    words = [*FUNCTION_NAMES, *CONSTANT_NAMES]
    hint = difflib.get_close_matches(lower, words, n=1, cutoff=0.6)
    suffix = (
        f"; did you mean {hint[0]!r}?"
        if hint
        else " (allowed: a, pi, e, " + ", ".join(FUNCTION_NAMES) + ")"
    )
    return f"unknown name {quoted(name, 20)}{suffix}"


def parse_expression(text: str) -> Node:
    """The tree of an expression in a, or a one-line LessonError saying what is wrong.

    >>> parse_expression("3a^2 + 1")
    BinOp(op='+', left=BinOp(op='*', left=Num(value=Fraction(3, 1)), right=BinOp(op='^', \
left=Var(), right=Num(value=Fraction(2, 1)))), right=Num(value=Fraction(1, 1)))
    """
    if not isinstance(text, str):
        raise LessonError(f"expression must be text, got {type(text).__name__}")
    stripped = text.strip(_SPACES)
    if len(stripped) > MAX_CHARS:
        raise _error(text, f"too long ({len(text)} characters; at most {MAX_CHARS})")
    offset = len(text) - len(text.lstrip(_SPACES))
    try:
        tree = _Parser(tokenize(stripped)).parse()
        _validate(tree)
    except _Fail as fail:
        column = None if fail.column is None else fail.column + offset
        raise _error(stripped, fail.problem, column) from None
    return tree


# -- checks after parsing ----------------------------------------------------------------------
def _constant(node: Node) -> Fraction | None:
    """The exact rational value of a constant rational subtree, or None (irrational, or has a).

    Powers are folded only when small (the validator has bounded them first)."""
    if isinstance(node, Num):
        return node.value
    if isinstance(node, Neg):
        v = _constant(node.operand)
        return None if v is None else -v
    if isinstance(node, BinOp):
        left = _constant(node.left)
        right = _constant(node.right)
        if left is None or right is None:
            return None
        if node.op == "+":
            return left + right
        if node.op == "-":
            return left - right
        if node.op == "*":
            return left * right
        if node.op == "/":
            if right == 0:
                raise _Fail("division by zero")
            return left / right
        if right.denominator != 1:
            return None
        if left == 0 and right < 0:
            raise _Fail("0 to a negative power is undefined")
        if _power_bits(left, right) > MAX_CONSTANT_BITS:
            return None
        return left ** int(right)
    return None


def _power_bits(base: Fraction, exponent: Fraction) -> int:
    size = max(abs(base.numerator).bit_length(), base.denominator.bit_length(), 1)
    return size * abs(exponent.numerator)


def _const_float(node: Node) -> float | None:
    """A constant subtree as a float (None when it has a or is not a finite real)."""
    if has_var(node):
        return None
    try:
        value = evaluate_float(node, 0.0)
    except (ValueError, ZeroDivisionError, OverflowError, TypeError):
        return None
    return value if isinstance(value, float) and math.isfinite(value) else None


def _exp_nesting(node: Node) -> int:
    """How deeply exponentials (exp, e^x, b^x with x not a plain number) nest."""
    inner = max((_exp_nesting(child) for child in children(node)), default=0)
    if isinstance(node, Call) and node.func == "exp":
        return inner + 1
    if isinstance(node, BinOp) and node.op == "^" and _constant(node.right) is None:
        return inner + 1
    return inner


def _degree(node: Node) -> int:
    """An upper bound of the degree in a of the rational part (what Fraction work costs)."""
    if isinstance(node, Var):
        return 1
    if isinstance(node, Neg):
        return _degree(node.operand)
    if isinstance(node, BinOp):
        left, right = _degree(node.left), _degree(node.right)
        if node.op in "+-":
            return max(left, right)
        if node.op in "*/":
            return left + right
        exponent = _constant(node.right)
        if exponent is not None:
            return left * math.ceil(abs(exponent))
        return left
    return 0


def _validate(tree: Node) -> None:
    for node in walk(tree):
        if isinstance(node, BinOp) and node.op == "^":
            _check_power(node)
        if isinstance(node, BinOp) and node.op == "/" and not has_var(node.right):
            divisor = _constant(node.right)
            if divisor == 0:
                raise _Fail("division by zero")
    if _exp_nesting(tree) > MAX_EXP_NESTING:
        raise _Fail(f"exponentials nested more than {MAX_EXP_NESTING} deep are not supported")
    if _degree(tree) > MAX_DEGREE:
        raise _Fail(f"degree too high (more than {MAX_DEGREE})")
    for condition in conditions(tree):
        if not has_var(condition.node):
            if not condition.holds_at(Fraction(0)):
                raise _Fail(condition.violation())


def _check_power(node: BinOp) -> None:
    base, exponent = node.left, node.right
    if has_var(exponent):
        if not has_var(base) and not (isinstance(base, Const) and base.name == "e"):
            base_float = _const_float(base)
            if base_float is None or base_float <= 0:
                raise _Fail("a power with a in the exponent needs a positive base, e.g. 2^a")
        return
    value = _constant(exponent)
    if has_var(base):
        if value is None:
            approx = _const_float(exponent)
            if approx is None or abs(approx) > MAX_EXPONENT:
                raise _Fail(f"exponent must be a number from -{MAX_EXPONENT} to {MAX_EXPONENT}")
            return
        if abs(value) > MAX_EXPONENT:
            raise _Fail(
                f"exponent {_fraction_text(value)} is too large "
                f"(at most {MAX_EXPONENT} on an expression in a)"
            )
        if value.denominator > 1000:
            raise _Fail(f"exponent {_fraction_text(value)} has too fine a fraction")
        return
    base_value = _constant(base)
    if base_value is not None and value is not None:
        if value.denominator > 1000:
            raise _Fail(f"exponent {_fraction_text(value)} has too fine a fraction")
        if _power_bits(base_value, value) > MAX_CONSTANT_BITS:
            raise _Fail("constant power too large to compute")
        if value.denominator > 1 and base_value < 0:
            raise _Fail("a fractional power of a negative number is not real")
        return
    # irrational base or exponent (pi^3, 2^pi): only when the value is of sensible size
    approx = _const_float(node)
    if approx is None or abs(approx) > 1e300:
        raise _Fail("constant power too large or not a real number")


# -- exact and float evaluation ----------------------------------------------------------------
def is_rational_function(node: Node) -> bool:
    """True when the tree uses only + - * / and integer powers of numbers and a."""
    for n in walk(node):
        if isinstance(n, Const | Call):
            return False
        if isinstance(n, BinOp) and n.op == "^":
            exponent = _constant(n.right)
            if exponent is None or exponent.denominator != 1:
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
            exponent = _constant(node.right)
            assert exponent is not None and exponent.denominator == 1
            if left == 0 and exponent < 0:
                raise ZeroDivisionError("0 to a negative power")
            return left ** int(exponent)
        right = evaluate_fraction(node.right, a)
        if node.op == "+":
            return left + right
        if node.op == "-":
            return left - right
        if node.op == "*":
            return left * right
        return left / right
    raise TypeError(f"not a rational function: {node!r}")


def evaluate_float(node: Node, x: float) -> float:
    """A fast float value for plotting; raises (or gives NaN) outside the domain."""
    if isinstance(node, Num):
        return float(node.value)
    if isinstance(node, Var):
        return x
    if isinstance(node, Const):
        return math.pi if node.name == "pi" else math.e
    if isinstance(node, Neg):
        return -evaluate_float(node.operand, x)
    if isinstance(node, BinOp):
        left = evaluate_float(node.left, x)
        right = evaluate_float(node.right, x)
        if node.op == "+":
            return left + right
        if node.op == "-":
            return left - right
        if node.op == "*":
            return left * right
        if node.op == "/":
            return left / right
        if isinstance(node.left, Const) and node.left.name == "e":
            return math.exp(right)
        if left < 0 and not right.is_integer():
            return math.nan
        result = left**right
        return result if isinstance(result, float) else float(result)
    args = [evaluate_float(arg, x) for arg in node.args]
    func = node.func
    if func == "sin":
        return math.sin(args[0])
    if func == "cos":
        return math.cos(args[0])
    if func == "tan":
        return math.tan(args[0])
    if func == "exp":
        return math.exp(args[0])
    if func == "sqrt":
        return math.sqrt(args[0])
    if len(args) == 2:
        return math.log(args[0]) / math.log(args[1])
    return math.log(args[0])


# -- polynomials -------------------------------------------------------------------------------
Poly = tuple[Fraction, ...]


def _trim(p: list[Fraction]) -> Poly:
    while len(p) > 1 and p[-1] == 0:
        p.pop()
    return tuple(p) if p else (Fraction(0),)


def _padd(p: Poly, q: Poly, sign: int = 1) -> Poly:
    out = [Fraction(0)] * max(len(p), len(q))
    for i, c in enumerate(p):
        out[i] += c
    for i, c in enumerate(q):
        out[i] += sign * c
    return _trim(out)


def _pmul(p: Poly, q: Poly) -> Poly:
    out = [Fraction(0)] * (len(p) + len(q) - 1)
    for i, c in enumerate(p):
        if c:
            for j, d in enumerate(q):
                out[i + j] += c * d
    return _trim(out)


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
            exponent = _constant(node.right)
            if exponent is None or exponent.denominator != 1 or exponent < 0:
                return None
            out: Poly = (Fraction(1),)
            for _ in range(int(exponent)):
                out = _pmul(out, left)
            return out
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
            exponent = _constant(node.right)
            if exponent is None or exponent.denominator != 1:
                return None
            num, den = left if exponent >= 0 else (left[1], left[0])
            out_n: Poly = (Fraction(1),)
            out_d: Poly = (Fraction(1),)
            for _ in range(abs(int(exponent))):
                out_n, out_d = _pmul(out_n, num), _pmul(out_d, den)
            return out_n, out_d
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


def _poly_node(coefficients: Poly, decimal: bool) -> Node:
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
        node = _negate_leftmost(node)
    for negative, term in terms[1:]:
        node = BinOp("-" if negative else "+", node, term)
    return node


def _number_node(q: Fraction, decimal: bool) -> Node:
    """A non-negative rational as a literal (decimal when allowed and exact) or p/q."""
    if q.denominator == 1 or (decimal and format_fraction(q) is not None):
        return Num(q)
    return BinOp("/", Num(Fraction(q.numerator)), Num(Fraction(q.denominator)))


def _scaled(c: Fraction, factor: Node | None, decimal: bool) -> Node:
    """c·factor for c > 0, written 3a², a²/2 or 3a²/2 (or 1.5a² in decimal mode)."""
    if factor is None:
        return _number_node(c, decimal)
    if c == 1:
        return factor
    if c.denominator == 1 or (decimal and format_fraction(c) is not None):
        return BinOp("*", Num(c), factor)
    top: Node = factor if c.numerator == 1 else BinOp("*", Num(Fraction(c.numerator)), factor)
    return BinOp("/", top, Num(Fraction(c.denominator)))


def _negate_leftmost(node: Node) -> Node:
    """-node with the sign on the leftmost factor: -2a, -1/a², -a²."""
    if isinstance(node, BinOp) and node.op in "*/":
        return BinOp(node.op, _negate_leftmost(node.left), node.right)
    return Neg(node)


# -- printing ----------------------------------------------------------------------------------
# styles: "source" (ASCII, parses back to the same tree), "text" (what a student reads),
# "typst" (Typst math), "at" (Typst math where the literal {a} stands for the point's text)
_SUPER = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def _prec(node: Node) -> int:
    if isinstance(node, BinOp):
        return {"+": 1, "-": 1, "*": 2, "/": 2, "^": 4}[node.op]
    if isinstance(node, Neg):
        return 3
    return 5


def _num_text(q: Fraction, style: str) -> str:
    plain = format_fraction(q) or str(q)
    sci = _scientific(q)
    if sci is None or len(plain) <= len(sci):
        return plain
    mantissa, exponent = sci.split("e")
    if style == "source":
        return sci
    if style == "text":
        return f"{mantissa}·10{exponent.translate(_SUPER)}"
    return f"{mantissa} dot 10^({exponent})"


def _scientific(q: Fraction) -> str | None:
    text = format_fraction(q)
    if text is None or q == 0:
        return None
    digits = text.replace(".", "").lstrip("0")
    significant = digits.rstrip("0")
    exponent = math.floor(math.log10(q)) if q >= 1 else None
    if exponent is None:
        # count leading zeros after the point
        frac = text.split(".")[1]
        exponent = -(len(frac) - len(frac.lstrip("0")) + 1)
    mantissa = significant[0] + ("." + significant[1:] if len(significant) > 1 else "")
    return f"{mantissa}e{exponent}"


def _atomic(node: Node) -> bool:
    return isinstance(node, Num | Var | Const)


def _integer_exponent(node: Node) -> int | None:
    if isinstance(node, Num) and node.value.denominator == 1:
        return int(node.value)
    if (
        isinstance(node, Neg)
        and isinstance(node.operand, Num)
        and node.operand.value.denominator == 1
    ):
        return -int(node.operand.value)
    return None


class _Printer:
    def __init__(self, style: str, log_name: str = "log") -> None:
        self.style = style
        self.log_name = log_name

    def wrap(self, node: Node, min_prec: int, neg_ok: bool = True) -> str:
        text = self(node)
        if _prec(node) < min_prec or (isinstance(node, Neg) and not neg_ok):
            return f"({text})"
        return text

    def var(self) -> str:
        return "{a}" if self.style == "at" else "a"

    def __call__(self, node: Node) -> str:
        style = self.style
        if isinstance(node, Num):
            return _num_text(node.value, style)
        if isinstance(node, Var):
            return self.var()
        if isinstance(node, Const):
            if node.name == "pi":
                return "π" if style == "text" else "pi"
            return "e"
        if isinstance(node, Neg):
            if style == "at" and isinstance(node.operand, Var):
                return "-({a})"
            return "-" + self.wrap(node.operand, 4)
        if isinstance(node, Call):
            return self.call(node)
        if node.op in "+-":
            left = self.wrap(node.left, 1)
            right = self.wrap(node.right, 2, neg_ok=False)
            if style == "at" and node.op == "-" and isinstance(node.right, Var):
                right = "({a})"
            return f"{left} {node.op} {right}"
        if node.op == "*":
            return self.product(node)
        if node.op == "/":
            return self.quotient(node)
        return self.power(node)

    def product(self, node: BinOp) -> str:
        style = self.style
        left = self.wrap(node.left, 2)
        if style == "text" and isinstance(node.left, BinOp) and node.left.op == "/":
            left = f"({left})"
        right = self.wrap(node.right, 3, neg_ok=False)
        rightmost = node.right.left if isinstance(node.right, BinOp) else node.right
        right_call = isinstance(rightmost, Call) and not (
            style == "text" and rightmost.func in ("sqrt", "exp")
        )
        if style == "at":
            if isinstance(node.left, Num) and (right[:1].isalpha() or right_call):
                return f"{left} {right}"
            return f"{left} dot {right}"
        first, last = right[:1], left[-1:]
        if first.isdigit() or first == "." or (style == "text" and first == "-"):
            return f"{left}{'·' if style == 'text' else ' dot ' if style == 'typst' else '*'}" + (
                right
            )
        if style == "typst":
            if last.isdigit() and not right_call and first.isalpha():
                return f"{left}{right}"
            return f"{left} {right}"
        # source and text
        if right_call or last.isalpha() and first.isalpha():
            return f"{left} {right}"
        if last in "⁰¹²³⁴⁵⁶⁷⁸⁹" and first.isalpha():
            return f"{left} {right}"
        if last.isdigit() or last.isalpha() or last in ")π" or (style == "text" and last):
            return f"{left}{right}"
        return f"{left}*{right}"

    def quotient(self, node: BinOp) -> str:
        if self.style in ("typst", "at"):
            top = self.wrap(node.left, 4, neg_ok=False)
            bottom = self.wrap(node.right, 4, neg_ok=False)
            if self.style == "at" and isinstance(node.left, Var):
                top = "({a})"
            if self.style == "at" and isinstance(node.right, Var):
                bottom = "({a})"
            return f"{top}/{bottom}"
        top = self.wrap(node.left, 2)
        if self.style == "text":
            top = self.wrap(node.left, 3)
            bottom = self.wrap(node.right, 4)
            return f"{top}/{bottom}"
        return f"{top}/{self.wrap(node.right, 3, neg_ok=False)}"

    def power(self, node: BinOp) -> str:
        style = self.style
        base = self.wrap(node.left, 5)
        if style == "at" and isinstance(node.left, Var):
            base = "({a})"
        if style == "source":
            return f"{base}^{self.wrap(node.right, 4, neg_ok=False)}"
        n = _integer_exponent(node.right)
        if style == "text" and n is not None and base[-1:] not in "⁰¹²³⁴⁵⁶⁷⁸⁹":
            return base + str(n).translate(_SUPER)
        return f"{base}^{self.script(node.right)}"

    def script(self, node: Node) -> str:
        """An exponent: bare when atomic, else in parentheses (Typst drops them)."""
        text = self(node)
        if _atomic(node) and not (self.style == "at" and isinstance(node, Var)):
            return text
        if isinstance(node, Call) and self.style != "text":
            return text
        return f"({text})"

    def call(self, node: Call) -> str:
        style = self.style
        func = node.func
        arg = self(node.args[0])
        if func == "sqrt":
            if style == "text":
                return "√" + (arg if _atomic(node.args[0]) else f"({arg})")
            return f"sqrt({arg})"
        if func == "exp":
            if style == "source":
                return f"exp({arg})"
            return "e^" + self.script(node.args[0])
        if func in ("log", "ln") and len(node.args) == 2:
            base = node.args[1]
            if style == "source":
                return f"log({arg}, {self(base)})"
            if style == "text":
                b = self(base)
                if isinstance(base, Num) and b.isdigit():
                    return f"log{b.translate(_SUB)}({arg})"
                return f"log({arg}, {b})"
            return f"log_({self(base)})({arg})"
        if func in ("log", "ln") and style != "source":
            func = self.log_name if func == "log" else "ln"
        return f"{func}({arg})"


def render(node: Node, style: str = "text", log_name: str = "log") -> str:
    """The tree as text: style "source", "text", "typst" or "at" (Typst with {a})."""
    return _Printer(style, log_name)(node)


def _fraction_text(q: Fraction) -> str:
    return format_fraction(q) or f"{q.numerator}/{q.denominator}"


# -- the domain --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Condition:
    """One requirement on a: node != 0 ("ne"), > 0 ("gt"), >= 0 ("ge"), != 1 ("ne1"), or
    cos(node) != 0 ("cos", for tan)."""

    kind: str
    node: Node
    why: str

    def holds_at(self, a: Fraction) -> bool:
        if self.kind == "cos":
            from lessonkit.symbolic import cos_is_zero

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
            from lessonkit.symbolic import sign_at

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
    elif isinstance(node, BinOp) and node.op == "^" and (_constant(node.right) or 0) > 0:
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
        condition = Condition(kind, node, why)
        if condition not in out:
            out.append(condition)

    for node in walk(tree):
        if isinstance(node, BinOp) and node.op == "/":
            for factor in _nonzero_factors(node.right):
                add("ne", factor, "division by zero")
        elif isinstance(node, BinOp) and node.op == "^":
            base, exponent = node.left, node.right
            if isinstance(base, Const) and base.name == "e":
                continue
            value = _constant(exponent)
            if value is not None and value.denominator == 1:
                if value < 0:
                    for factor in _nonzero_factors(base):
                        add("ne", factor, "0 to a negative power is undefined")
                continue
            approx = value if value is not None else _const_float(exponent)
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
                f"{_fraction_text(lo[0])} {'<' if lo[1] else '<='} a "
                f"{'<' if hi[1] else '<='} {_fraction_text(hi[0])}"
            )
        elif lo:
            parts.append(f"a {'>' if lo[1] else '>='} {_fraction_text(lo[0])}")
        elif hi:
            parts.append(f"a {'<' if hi[1] else '<='} {_fraction_text(hi[0])}")
        for x in self.excluded:
            parts.append(f"a != {_fraction_text(x)}")
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


# -- breaks: where f is undefined or unbounded -------------------------------------------------
def _real_roots(p: Poly, lo: float, hi: float) -> list[float]:
    p = _trim(list(p))
    if len(p) <= 1:
        return []
    if len(p) == 2:
        return [float(-p[0] / p[1])]
    # the square-free part has simple roots, which numpy finds accurately
    d = _trim([k * c for k, c in enumerate(p)][1:])
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
    return _trim(quot), _trim(rem)


def _pdiv(p: Poly, q: Poly) -> Poly:
    return _pdivmod(p, q)[0]


def _pgcd(p: Poly, q: Poly) -> Poly:
    while len(q) > 1 or q[0] != 0:
        p, q = q, _pdivmod(p, q)[1]
    return tuple(c / p[-1] for c in p)


def _numeric_zeros(g: Callable[[float], float], lo: float, hi: float) -> list[float]:
    """Zeros and ends of definition of g in [lo, hi], by sampling and bisection."""
    n = 2048
    xs = [lo + (hi - lo) * i / n for i in range(n + 1)]
    ys = [_safe(g, x) for x in xs]
    finite = [abs(y) for y in ys if math.isfinite(y)]
    scale = max(finite, default=1.0) or 1.0
    out: list[float] = [x for x, y in zip(xs, ys, strict=True) if y == 0]

    def bisect(x0: float, x1: float, test: Callable[[float], bool]) -> float:
        t0 = test(x0)
        for _ in range(80):
            mid = (x0 + x1) / 2
            if test(mid) == t0:
                x0 = mid
            else:
                x1 = mid
        return (x0 + x1) / 2

    for i in range(n):
        y0, y1 = ys[i], ys[i + 1]
        ok0, ok1 = math.isfinite(y0), math.isfinite(y1)
        if ok0 != ok1:
            out.append(bisect(xs[i], xs[i + 1], lambda x: math.isfinite(_safe(g, x))))
        elif ok0 and ok1 and y0 * y1 < 0:
            out.append(bisect(xs[i], xs[i + 1], lambda x: _safe(g, x) > 0))
    for i in range(1, n):
        y0, y1, y2 = (abs(ys[i - 1]), abs(ys[i]), abs(ys[i + 1]))
        if all(math.isfinite(y) for y in (y0, y1, y2)) and y1 <= y0 and y1 <= y2:
            if y1 > 1e-3 * scale:
                continue
            a, b = xs[i - 1], xs[i + 1]
            for _ in range(100):  # ternary search for the minimum of |g|
                m1, m2 = a + (b - a) / 3, b - (b - a) / 3
                if abs(_safe(g, m1)) < abs(_safe(g, m2)):
                    b = m2
                else:
                    a = m1
            x = (a + b) / 2
            if abs(_safe(g, x)) <= 1e-9 * scale:
                out.append(x)
    return out


def _safe(g: Callable[[float], float], x: float) -> float:
    try:
        y = g(x)
    except (ValueError, ZeroDivisionError, OverflowError, TypeError):
        return math.nan
    return y if isinstance(y, float) else math.nan


def _linear_float(node: Node) -> tuple[float, float] | None:
    """(c1, c0) when node is c1·a + c0 with constant (possibly irrational) coefficients."""
    if not has_var(node):
        value = _const_float(node)
        return None if value is None else (0.0, value)
    if isinstance(node, Var):
        return (1.0, 0.0)
    if isinstance(node, Neg):
        inner = _linear_float(node.operand)
        return None if inner is None else (-inner[0], -inner[1])
    if isinstance(node, BinOp) and node.op in "+-*/":
        left, right = _linear_float(node.left), _linear_float(node.right)
        if left is None or right is None:
            return None
        sign = -1.0 if node.op == "-" else 1.0
        if node.op in "+-":
            return (left[0] + sign * right[0], left[1] + sign * right[1])
        if node.op == "*" and (left[0] == 0 or right[0] == 0):
            k, lin = (left[1], right) if left[0] == 0 else (right[1], left)
            return (k * lin[0], k * lin[1])
        if node.op == "/" and right[0] == 0 and right[1] != 0:
            return (left[0] / right[1], left[1] / right[1])
    return None


def _cos_of(node: Node) -> Callable[[float], float]:
    return lambda x: math.cos(evaluate_float(node, x))


def _float_function(node: Node) -> Callable[[float], float]:
    return lambda x: evaluate_float(node, x)


def breaks_of(tree: Node, lo: float, hi: float) -> tuple[float, ...]:
    """The x in [lo, hi] where f is undefined or unbounded: poles and ends of the domain."""
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi < lo:
        return ()
    found: list[float] = []
    for condition in conditions(tree):
        node = condition.node
        if condition.kind == "ne1":
            node = BinOp("-", node, Num(Fraction(1)))
        if condition.kind == "cos":
            lin = _linear_float(node)
            if lin is not None and lin[0] != 0:
                c1, c0 = lin
                ends = sorted(((lo * c1 + c0) / math.pi - 0.5, (hi * c1 + c0) / math.pi - 0.5))
                for k in range(math.floor(ends[0]) - 1, math.ceil(ends[1]) + 2):
                    found.append((math.pi / 2 + k * math.pi - c0) / c1)
                continue
            found.extend(_numeric_zeros(_cos_of(node), lo, hi))
            continue
        ratio = rational_function(node)
        if ratio is not None:
            for part in ratio:
                found.extend(_real_roots(part, lo, hi))
            continue
        found.extend(_numeric_zeros(_float_function(node), lo, hi))
    eps = 1e-9 * max(1.0, abs(lo), abs(hi))
    inside = sorted(x for x in found if lo - eps <= x <= hi + eps)
    out: list[float] = []
    for x in inside:
        if not out or x - out[-1] > 1e-9 * max(1.0, abs(x)):
            out.append(min(max(x, lo), hi))
    return tuple(out)


# -- default points and window -----------------------------------------------------------------
_CANDIDATES = ("2", "1", "3", "0.5", "4", "5", "1.5", "0.25", "0", "-1", "-2", "10", "0.1", "-0.5")


def _float_of(tree: Node, x: float) -> float:
    value = _safe(lambda t: evaluate_float(tree, t), x)
    return value if math.isfinite(value) else math.nan


def default_points(tree: Node, allows: Callable[[Fraction], bool]) -> tuple[Fraction, ...]:
    for text in _CANDIDATES:
        p = Fraction(text)
        if not (allows(p) and allows(p + 1)):
            continue
        if breaks_of(tree, float(p) - 0.25, float(p) + 1.25):
            continue
        if all(math.isfinite(_float_of(tree, float(p) + k / 8)) for k in range(9)):
            return (p,)
    for text in _CANDIDATES:  # a periodic pole (tan(pi a)): settle for a point that is defined
        p = Fraction(text)
        if allows(p) and not breaks_of(tree, float(p) - 0.1, float(p) + 0.1):
            if math.isfinite(_float_of(tree, float(p))):
                return (p,)
    raise LessonError(
        f"expression {quoted(render(tree, 'source'))}: found no point a where the function "
        "is defined near a and a + 1 (try --at with a point in its domain)"
    )


def nice_step(span: float, most: int = 8) -> float:
    """The smallest 1-2-5 step that divides span into at most `most` ticks."""
    if not span > 0:
        return 1.0
    exponent = math.floor(math.log10(span / most))
    for power in (exponent, exponent + 1):
        for k in (1, 2, 5):
            step = k * 10.0**power
            if span / step <= most + 1e-9:
                return step
    return 10.0 ** (exponent + 2)


def _round(x: float) -> float:
    return float(round(x, 10)) + 0.0


def default_window(tree: Node, points: Sequence[Fraction], domain: Domain) -> Window:
    pts = [float(p) for p in points]
    lo_need, hi_need = min(pts), max(pts) + 1
    span_need = hi_need - lo_need
    left_end = domain.left_end
    anchor = float(left_end) if left_end is not None and left_end <= Fraction(lo_need) else 0.0
    if anchor <= lo_need and lo_need - anchor <= max(3.0, 2 * span_need):
        lo, hi = anchor, hi_need
    else:
        lo, hi = lo_need - 0.5 * span_need, hi_need + 0.5 * span_need
        if left_end is not None and lo < float(left_end):
            lo = float(left_end)
    hard_lo = lo if left_end is not None and lo == float(left_end) else None
    hard_hi: float | None = None
    for b in breaks_of(tree, lo, hi):
        if lo < b < lo_need:
            lo = hard_lo = b
        elif hi_need < b < hi:
            hi = hard_hi = b
    step = nice_step(hi - lo)
    x_min = math.floor(lo / step + 1e-9) * step
    if hard_lo is not None and x_min < hard_lo:
        x_min = math.ceil(hard_lo / step - 1e-9) * step
        if x_min > lo_need:
            x_min = hard_lo
    x_max = math.ceil(hi / step - 1e-9) * step
    if hard_hi is not None and x_max > hard_hi:
        x_max = math.floor(hard_hi / step + 1e-9) * step
        if x_max < hi_need:
            x_max = hard_hi
    for b in breaks_of(tree, x_min, x_max):  # never a pole strictly inside
        if x_min < b < x_max:
            if b < lo_need:
                x_min = b
            else:
                x_max = b
    x_min, x_max = _round(x_min), _round(x_max)
    y_lo, y_hi = _y_range(tree, pts, x_min, x_max)
    y_step = nice_step(y_hi - y_lo)
    y_min = math.floor(y_lo / y_step + 1e-9) * y_step
    y_max = math.ceil(y_hi / y_step - 1e-9) * y_step
    if y_max <= y_min:
        y_min, y_max = y_min - y_step, y_max + y_step
    return Window(x_min, x_max, step, _round(y_min), _round(y_max), y_step)


def _y_range(tree: Node, pts: Sequence[float], x_min: float, x_max: float) -> tuple[float, float]:
    core = [
        y for p in pts for y in (_float_of(tree, p), _float_of(tree, p + 1)) if math.isfinite(y)
    ]
    if not core:
        return (-1.0, 1.0)
    c_lo, c_hi = min(core), max(core)
    reach = 2 * max(c_hi - c_lo, 0.5 * max(abs(c_lo), abs(c_hi)))
    if reach == 0:
        reach = 1.0
    n = 400
    samples = [_float_of(tree, x_min + (x_max - x_min) * i / n) for i in range(n + 1)]
    inside = [y for y in samples if math.isfinite(y) and c_lo - reach <= y <= c_hi + reach]
    lo, hi = min([c_lo, *inside]), max([c_hi, *inside])
    if lo > 0 and lo <= 0.5 * hi:
        lo = 0.0
    if hi < 0 and hi >= 0.5 * lo:
        hi = 0.0
    pad = 0.1 * ((hi - lo) or max(abs(hi), 1.0))
    return (lo - pad if lo != 0 else lo, hi + pad if hi != 0 else hi)


# -- the function ------------------------------------------------------------------------------
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
    listed = f" or one of: {', '.join(names)}" if names else ""
    return LessonError(
        f"unknown function {word!r}: write an expression in a such as a^2 or sin(a){listed}"
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
        raise _error(text, "too long once written out") from None
    if again != tree:  # pragma: no cover - a printer bug, never silently a different function
        raise _error(text, f"internal error: {source!r} does not read back the same")
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

    if coefficients is not None:
        coeffs = coefficients
        deriv = tuple(k * c for k, c in enumerate(coeffs))[1:] or (Fraction(0),)
        derivative_tree = _poly_node(deriv, decimal)

        def evaluate(a: Fraction) -> Value:
            return Value(polynomial_value(coeffs, a))

        def differentiate(a: Fraction) -> Value:
            return Value(polynomial_value(deriv, a))

    else:
        from lessonkit import symbolic

        derivative_tree = symbolic.derivative_tree(tree, decimal)
        derivative = symbolic.Derivative(tree)

        if rational:

            def evaluate(a: Fraction) -> Value:
                try:
                    return Value(evaluate_fraction(tree, a))
                except ZeroDivisionError:
                    raise LessonError(
                        f"{source} is undefined at a = {_fraction_text(a)} (division by zero)"
                    ) from None

        else:

            def evaluate(a: Fraction) -> Value:
                return symbolic.value_at(tree, a)

        def differentiate(a: Fraction) -> Value:
            return derivative.at(a)

    formula = render(tree, "text", log_name)
    name = _name(source)
    fn = Function(
        name=name,
        source=source,
        aliases=(),
        title=f"f(a) = {formula}",
        formula=formula,
        derivative_formula=render(derivative_tree, "text", log_name),
        formula_typst=render(tree, "typst", log_name),
        derivative_typst=render(derivative_tree, "typst", log_name),
        derivative_at_typst=render(derivative_tree, "at", log_name),
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
    from dataclasses import replace

    return replace(fn, points=points, window=window)
