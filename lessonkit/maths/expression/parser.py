"""The recursive-descent parser: tokens to a tree, within the size and depth limits.

The text never reaches `eval`, `exec` or sympy's parser. Precedence, lowest first: + -, then
* / and implicit products (2a, a(a+1)), then signs, then ^ (right-associative) and superscript
exponents. |x| is abs(x): the bars nest with parentheses and calls (|a - 1| + 2, ||a| - 1|,
|max(|a|, 1)|); between a pair of bars an implicit product cannot start with a bar (write
|2·|a||). `parse_expression` also runs the checks after parsing (`validation`).

With `names` (the formula of a computation graph's node), the given names are the variables
(`Name` leaves; the variable a is then just another name, if listed), multiplied by writing
them side by side with a space (b c, w1 x1) or after a number (3v, 2 b).
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from fractions import Fraction

from lessonkit.base.errors import LessonError
from lessonkit.maths.expression.limits import MAX_CHARS, MAX_DEPTH, MAX_NODES
from lessonkit.maths.expression.names import checked_names, unknown_name
from lessonkit.maths.expression.problems import EXAMPLES, ParseFailure, expression_error, quoted
from lessonkit.maths.expression.tokens import SPACES, Token, tokenize
from lessonkit.maths.expression.tree import (
    CONSTANT_NAMES,
    FUNCTION_NAMES,
    INTERNAL_NAMES,
    TWO_ARGUMENTS,
    VARIABLE,
    A,
    BinOp,
    Call,
    Const,
    Name,
    Neg,
    Node,
    Num,
)
from lessonkit.maths.expression.validation import validate

_STARTS = "a number, a, '(' or '|'"
_NAMED_STARTS = "a number, a name, '(' or '|'"
_NAMED_EXAMPLES = "b c, a + u, 3 v or sigmoid(z)"
_COMMA = "',' is allowed only between the arguments of log, max and min"


class _Parser:
    def __init__(self, tokens: list[Token], names: tuple[str, ...] | None = None) -> None:
        self.tokens = tokens
        self.names = names  # None: the one variable a
        self.pos = 0
        self.depth = 0
        self.nodes = 0
        self.bars = 0  # bars |...| open since the innermost '(' (a bar there closes one)

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
            raise ParseFailure(
                f"too long: more than {MAX_NODES} numbers, names and operators", self.tok.column
            )
        return node

    @contextmanager
    def nested(self, tok: Token) -> Iterator[None]:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ParseFailure(f"nested more than {MAX_DEPTH} levels deep", tok.column)
        try:
            yield
        finally:
            self.depth -= 1

    def expected(self, what: str) -> ParseFailure:
        tok = self.tok
        prev = self.tokens[self.pos - 1] if self.pos > 0 else None
        after = f" after {prev.text!r}" if prev is not None else ""
        if tok.kind == "end":
            if prev is None and self.names is not None:
                return ParseFailure(f"empty; write an expression such as {_NAMED_EXAMPLES}")
            if prev is None:
                return ParseFailure(f"empty; write a function of a such as {EXAMPLES}")
            return ParseFailure(f"expected {what}{after}", prev.column)
        return ParseFailure(f"expected {what}{after} but found {tok.text!r}", tok.column)

    # grammar
    def parse(self) -> Node:
        node = self.expr()
        tok = self.tok
        if tok.kind != "end":
            if tok.text == ")":
                raise ParseFailure("unmatched ')'", tok.column)
            if tok.text == ",":
                raise ParseFailure(_COMMA, tok.column)
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
            elif tok.kind == "name" or self.is_op("(") or (self.is_op("|") and not self.bars):
                node = self.node(BinOp("*", node, self.power()))  # implicit: 2a, a(a+1), 2|a|
            elif tok.kind == "num":
                raise ParseFailure(
                    f"expected an operator before the number {tok.text!r}", tok.column
                )
            elif tok.kind == "sup":
                after = (
                    "a number, a name or ')'" if self.names is not None else "a number, a or ')'"
                )
                raise ParseFailure(f"superscript {tok.text!r} must follow {after}", tok.column)
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
        if tok.kind == "name" and self.names is not None:
            return self.named(tok)
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
            raise ParseFailure(_unknown_name(name), tok.column)
        if self.is_op("("):
            self.advance()
            with self.nested(tok), self.unbarred():
                node = self.expr()
            if not self.is_op(")"):
                if self.tok.kind == "end":
                    raise ParseFailure("'(' is never closed", tok.column)
                if self.is_op(","):
                    raise ParseFailure(_COMMA, self.tok.column)
                raise self.expected("')' or an operator")
            self.advance()
            return node
        if self.is_op("|"):
            return self.bars_around()
        raise self.expected(_STARTS if self.names is None else _NAMED_STARTS)

    def named(self, tok: Token) -> Node:
        """A name, a constant or a call, in an expression parsed with names."""
        assert self.names is not None
        if tok.text in self.names:
            self.advance()
            return self.node(Name(tok.text))
        if tok.text in CONSTANT_NAMES:
            self.advance()
            return self.node(Const(tok.text))
        if tok.text in FUNCTION_NAMES:
            return self.call()
        raise ParseFailure(unknown_name(tok.text, self.names), tok.column)

    @contextmanager
    def unbarred(self) -> Iterator[None]:
        """Inside parentheses a bar opens a new |...| (the outer bars wait for the ')')."""
        outer, self.bars = self.bars, 0
        try:
            yield
        finally:
            self.bars = outer

    def bars_around(self) -> Node:
        """|x|, read as abs(x)."""
        bar = self.advance()
        if self.tok.kind == "end":
            raise ParseFailure("'|' is never closed", bar.column)
        self.bars += 1
        with self.nested(bar):
            inner = self.expr()
        self.bars -= 1
        if not self.is_op("|"):
            if self.tok.kind == "end":
                raise ParseFailure("'|' is never closed", bar.column)
            if self.is_op(","):
                raise ParseFailure(_COMMA, self.tok.column)
            if self.is_op(")"):
                raise ParseFailure(
                    f"')' before the '|' opened at column {bar.column} is closed", self.tok.column
                )
            raise self.expected("'|' or an operator")
        self.advance()
        return self.node(Call("abs", (inner,)))

    def call(self) -> Node:
        """A call, also written tanh²(a) for tanh(a)²."""
        name_tok = self.advance()
        if self.tok.kind != "sup":
            return self.called(name_tok)
        sup = self.advance()
        if sup.value <= 0 or not self.is_op("("):
            raise ParseFailure(
                f"write {name_tok.text}(...)^n for a power of {name_tok.text}", sup.column
            )
        call = self.called(name_tok)
        return self.node(BinOp("^", call, self.node(Num(sup.value))))

    def called(self, name_tok: Token) -> Node:
        func = name_tok.text
        if self.is_op("("):
            paren = self.advance()
            args: list[Node] = []
            with self.nested(paren), self.unbarred():
                args.append(self.expr())
                while self.is_op(","):
                    comma = self.advance()
                    if func not in ("log", *TWO_ARGUMENTS) or len(args) == 2:
                        raise ParseFailure(_arity(func), comma.column)
                    args.append(self.expr())
            if not self.is_op(")"):
                if self.tok.kind == "end":
                    raise ParseFailure(f"'(' after {func} is never closed", paren.column)
                raise self.expected("')' or an operator")
            if func in TWO_ARGUMENTS and len(args) == 1:
                raise ParseFailure(_arity(func), self.tok.column)
            self.advance()
            return self.node(Call(func, tuple(args)))
        if func in TWO_ARGUMENTS:
            raise ParseFailure(f"write {func}(x, y) with parentheses", name_tok.column)
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
            raise ParseFailure(
                f"write {func}(...) with parentheses: {func} followed by a product is ambiguous",
                name_tok.column,
            )
        return self.node(Call(func, (arg,)))


def _arity(func: str) -> str:
    """What to say when a function is given the wrong number of arguments."""
    if func == "log":
        return "log takes at most two arguments: log(x) or log(x, base)"
    if func in TWO_ARGUMENTS:
        return f"{func} takes two arguments, e.g. {func}(0, a)"
    return f"{func} takes one argument"


def _unknown_name(name: str) -> str:
    lower = name.lower()
    if lower in INTERNAL_NAMES:
        return (
            f"unknown name {name!r}: it appears only in derivatives; "
            "write relu(a), abs(a) or |a| instead"
        )
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


def parse_expression(text: str, names: Collection[str] | None = None) -> Node:
    """The tree of an expression in a, or a one-line LessonError saying what is wrong; with
    `names`, of an expression in those names (see `parse_named`).

    >>> parse_expression("3a^2 + 1")
    BinOp(op='+', left=BinOp(op='*', left=Num(value=Fraction(3, 1)), right=BinOp(op='^', \
left=Var(), right=Num(value=Fraction(2, 1)))), right=Num(value=Fraction(1, 1)))
    >>> parse_expression("b c", names=("b", "c"))
    BinOp(op='*', left=Name(name='b'), right=Name(name='c'))
    """
    if not isinstance(text, str):
        raise LessonError(f"expression must be text, got {type(text).__name__}")
    known = checked_names(names)
    stripped = text.strip(SPACES)
    if len(stripped) > MAX_CHARS:
        raise expression_error(text, f"too long ({len(text)} characters; at most {MAX_CHARS})")
    offset = len(text) - len(text.lstrip(SPACES))
    try:
        tree = _parse(stripped, known)
    except ParseFailure as fail:
        column = None if fail.column is None else fail.column + offset
        raise expression_error(stripped, fail.problem, column) from None
    return tree


def parse_named(text: str, names: Collection[str]) -> Node:
    """The tree of an expression in the names, for callers that say themselves where it
    went wrong: a problem is raised as `ParseFailure`, its column counted in `text` (leading
    spaces included). A bad name in `names` is a LessonError.

    >>> parse_named("3 v", ["v"])
    BinOp(op='*', left=Num(value=Fraction(3, 1)), right=Name(name='v'))
    """
    known = checked_names(names)
    assert known is not None
    stripped = text.strip(SPACES)
    if len(stripped) > MAX_CHARS:
        raise ParseFailure(f"too long ({len(stripped)} characters; at most {MAX_CHARS})")
    offset = len(text) - len(text.lstrip(SPACES))
    try:
        return _parse(stripped, known)
    except ParseFailure as fail:
        if fail.column is not None:
            fail.column += offset
        raise


def _parse(text: str, names: tuple[str, ...] | None) -> Node:
    tree = _Parser(tokenize(text, names=names is not None), names).parse()
    validate(tree, named=names is not None)
    return tree
