"""Expressions with names (the formulas of a computation graph): parsing, printing, errors.

The one-variable expressions in a are unchanged: their trees, texts and messages are checked
by tests/test_expression*.py; here a few are checked again beside their named twins.
"""

from __future__ import annotations

import math
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import mpmath
import pytest

from lessonkit.base.errors import LessonError
from lessonkit.maths.expression import parse_expression, render
from lessonkit.maths.expression.evaluation import evaluate_float
from lessonkit.maths.expression.magnitude import magnitude_of
from lessonkit.maths.expression.names import name_problem
from lessonkit.maths.expression.parser import parse_named
from lessonkit.maths.expression.printing import name_text
from lessonkit.maths.expression.problems import ParseFailure
from lessonkit.maths.expression.tokens import tokenize
from lessonkit.maths.expression.tree import BinOp, Call, Const, Name, Neg, Num, Var, names_in

LECTURE = ("a", "b", "c", "u", "v")
NAMES = ("a", "b", "c", "u", "v", "J", "w1", "w2", "x1", "x2", "y", "yhat", "z", "dz")


def named(text: str, names: tuple[str, ...] = NAMES) -> object:
    return parse_expression(text, names=names)


def n(name: str) -> Name:
    return Name(name)


def num(k: int) -> Num:
    return Num(Fraction(k))


# -- trees ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("b c", BinOp("*", n("b"), n("c"))),
        ("b·c", BinOp("*", n("b"), n("c"))),
        ("3 v", BinOp("*", num(3), n("v"))),
        ("3v", BinOp("*", num(3), n("v"))),
        ("2 b", BinOp("*", num(2), n("b"))),
        ("a + u", BinOp("+", n("a"), n("u"))),
        ("a + b c", BinOp("+", n("a"), BinOp("*", n("b"), n("c")))),
        ("3(a + b c)", BinOp("*", num(3), BinOp("+", n("a"), BinOp("*", n("b"), n("c"))))),
        (
            "w1 x1 + w2 x2 + b",
            BinOp(
                "+",
                BinOp("+", BinOp("*", n("w1"), n("x1")), BinOp("*", n("w2"), n("x2"))),
                n("b"),
            ),
        ),
        ("sigmoid(z)", Call("sigmoid", (n("z"),))),
        ("σ(z)", Call("sigmoid", (n("z"),))),
        ("tanh z", Call("tanh", (n("z"),))),
        ("|z - y|", Call("abs", (BinOp("-", n("z"), n("y")),))),
        ("max(0, z)", Call("max", (num(0), n("z")))),
        ("log(yhat)", Call("log", (n("yhat"),))),
        ("e^z", BinOp("^", Const("e"), n("z"))),
        ("pi a", BinOp("*", Const("pi"), n("a"))),
        ("-J", Neg(n("J"))),
        ("z²", BinOp("^", n("z"), num(2))),
        ("z ²", BinOp("^", n("z"), num(2))),
        ("J j", None),  # j is not a name here (case-sensitive)
    ],
)
def test_names_parse(text: str, tree: object) -> None:
    if tree is None:
        with pytest.raises(LessonError, match="unknown name 'j'"):
            named(text)
        return
    assert named(text) == tree


def test_every_function_works_on_names() -> None:
    cases = {
        "sigmoid(z)": 1 / (1 + math.exp(-0.5)),
        "σ(z)": 1 / (1 + math.exp(-0.5)),
        "tanh(z)": math.tanh(0.5),
        "relu(z - 1)": 0.0,
        "abs(z - 1)": 0.5,
        "|z - 1|": 0.5,
        "max(z, y)": 2.0,
        "min(z, y)": 0.5,
        "softplus(z)": math.log1p(math.exp(0.5)),
        "log(z)": math.log(0.5),
        "ln(z)": math.log(0.5),
        "log(y, 2)": 1.0,
        "exp(z)": math.exp(0.5),
        "sqrt(y)": math.sqrt(2),
        "sin(z)": math.sin(0.5),
        "cos(z)": math.cos(0.5),
        "tan(z)": math.tan(0.5),
        "z^y": 0.25,
        "y^z": math.sqrt(2),
    }
    for text, expected in cases.items():
        tree = named(text)
        got = float(magnitude_of(tree, {"z": mpmath.mpf(0.5), "y": mpmath.mpf(2)}))
        assert math.isclose(got, expected, rel_tol=1e-12, abs_tol=1e-300), text


def test_a_is_a_name_only_when_listed() -> None:
    assert named("a") == Name("a")
    assert parse_expression("a") == Var()
    with pytest.raises(LessonError, match="unknown name 'a': the names here are b, c"):
        parse_expression("a", names=("b", "c"))


def test_names_in_order_of_first_use() -> None:
    assert names_in(named("w1 x1 + w2 x2 + b")) == ("w1", "x1", "w2", "x2", "b")
    assert names_in(named("u u + a")) == ("u", "a")
    assert names_in(named("3 + 2")) == ()


def test_a_tree_with_names_is_not_evaluated_as_one_in_a() -> None:
    with pytest.raises(KeyError, match="'b'"):
        evaluate_float(named("b c"), 1.0)


# -- printing ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "source", "words", "typst"),
    [
        ("b c", "b c", "b c", "b c"),
        ("3v", "3 v", "3v", "3 v"),
        ("a + u", "a + u", "a + u", "a + u"),
        ("w1 x1 + w2 x2 + b", "w1 x1 + w2 x2 + b", "w₁ x₁ + w₂ x₂ + b", "w_1 x_1 + w_2 x_2 + b"),
        ("σ(z)", "sigmoid(z)", "σ(z)", "sigma(z)"),
        (
            "-(y log(yhat) + (1 - y) log(1 - yhat))",
            "-(y log(yhat) + (1 - y) log(1 - yhat))",
            "-(y log(ŷ) + (1 - y) log(1 - ŷ))",
            "-(y log(hat(y)) + (1 - y) log(1 - hat(y)))",
        ),
        ("dz x1", "dz x1", "dz x₁", 'italic("dz") x_1'),
        ("e^x1", "e^x1", "e^x₁", "e^(x_1)"),
        ("w1^2 x1", "w1^2 x1", "w₁² x₁", "w_1^2 x_1"),
        ("yhat(1 - yhat)", "yhat (1 - yhat)", "ŷ (1 - ŷ)", "hat(y) (1 - hat(y))"),
        ("relu(2 z - 1)", "relu(2 z - 1)", "relu(2z - 1)", '"relu"(2 z - 1)'),
        ("J/2", "J/2", "J/2", "J/2"),
    ],
)
def test_names_print(text: str, source: str, words: str, typst: str) -> None:
    tree = named(text)
    assert render(tree, "source") == source
    assert render(tree, "text") == words
    assert render(tree, "typst") == typst
    assert named(source) == tree  # the source reads back


def test_name_text() -> None:
    assert [name_text(x, "typst") for x in ("J", "w1", "x12", "yhat", "yhat2", "dz", "hat")] == [
        "J",
        "w_1",
        "x_12",
        "hat(y)",
        "hat(y)_2",
        'italic("dz")',
        'italic("hat")',
    ]
    assert [name_text(x, "text") for x in ("w1", "yhat", "dz")] == ["w₁", "ŷ", "dz"]
    assert name_text("w1", "source") == "w1"


# -- errors --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "a + d",
            "expression 'a + d': unknown name 'd': the names here are a, b, c, u, v at column 5",
        ),
        ("b 2", "expression 'b 2': expected an operator before the number '2' at column 3"),
        ("bc", "expression 'bc': unknown name 'bc': the names here are a, b, c, u, v at column 1"),
        ("U", "unknown name 'U': the names here are a, b, c, u, v; names are case-sensitive: did"),
        ("sigmod(u)", "unknown name 'sigmod': the names here are a, b, c, u, v; did you mean"),
        ("", "expression '': empty; write an expression such as b c, a + u, 3 v or sigmoid(z)"),
        ("u +", "expression 'u +': expected a number, a name, '(' or '|' after '+' at column 3"),
        ("(-2)^u", "a power with a name in the exponent needs a positive base, e.g. 2^x"),
        ("u^13", "exponent 13 is too large (at most 12 on names)"),
        ("u/0", "division by zero"),
        ("sin u v", "write sin(...) with parentheses"),
        ("max(u)", "max takes two arguments"),
    ],
)
def test_named_errors(text: str, message: str) -> None:
    with pytest.raises(LessonError) as caught:
        parse_expression(text, names=LECTURE)
    assert message in str(caught.value)


def test_w1x1_is_one_name() -> None:
    """Names run on through their digits: w1x1 is one (unknown) name, never w1 times x1."""
    with pytest.raises(LessonError, match="unknown name 'w1x1'"):
        named("w1x1")
    assert [t.text for t in tokenize("w1x1 3v", names=True)] == ["w1x1", "3", "v", ""]
    assert [t.text for t in tokenize("a2", names=False)] == ["a", "2", ""]


def test_one_variable_messages_unchanged() -> None:
    for text, message in [
        ("a b", "expression 'a b': unknown name 'b': the variable is a, e.g. a^2 at column 3"),
        ("a2", "expression 'a2': expected an operator before the number '2' at column 2"),
        ("", "expression '': empty; write a function of a such as a^2, sin(a), sigmoid(a)"),
        ("a +", "expression 'a +': expected a number, a, '(' or '|' after '+' at column 3"),
        ("(-2)^a", "a power with a in the exponent needs a positive base, e.g. 2^a"),
        ("a^13", "exponent 13 is too large (at most 12 on an expression in a)"),
    ]:
        with pytest.raises(LessonError) as caught:
            parse_expression(text)
        assert message in str(caught.value), text


@pytest.mark.parametrize(
    ("names", "message"),
    [
        (("exp",), "'exp' is a function, not a name"),
        (("step",), "'step' is a function, not a name"),
        (("e",), "'e' is a constant, not a name"),
        (("pi",), "'pi' is a constant, not a name"),
        (("w_1",), "'w_1' is not a name"),
        (("1w",), "'1w' is not a name"),
        (("x1y",), "'x1y' is not a name"),
        ("ab", "names must be a collection of names, not one text"),
    ],
)
def test_bad_names_are_refused(names: object, message: str) -> None:
    with pytest.raises(LessonError, match=message):
        parse_expression("1", names=names)  # type: ignore[arg-type]


def test_name_problem() -> None:
    assert [name_problem(x) for x in ("a", "J", "w1", "yhat", "x12")] == [None] * 5
    assert name_problem(3) == "a name must be text, got int"


def test_a_set_of_names_is_listed_sorted() -> None:
    with pytest.raises(LessonError, match="the names here are a, b, c at column 1"):
        parse_expression("d", names={"c", "a", "b"})


def test_parse_named_raises_the_failure_with_its_column() -> None:
    assert parse_named("  3 v", ["v"]) == BinOp("*", num(3), n("v"))
    with pytest.raises(ParseFailure) as caught:
        parse_named("  3 w", ["v"])
    assert caught.value.column == 5
    assert caught.value.problem == "unknown name 'w': the names here are v"


def test_names_load_no_sympy() -> None:
    code = (
        "import sys\n"
        "from lessonkit.maths.expression import parse_expression, render\n"
        "t = parse_expression('w1 x1 + sigmoid(z)', names=['w1', 'x1', 'z'])\n"
        "print(render(t, 'typst'), 'sympy' in sys.modules, 'mpmath' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parent.parent,
    ).stdout
    assert out.strip() == "w_1 x_1 + sigma(z) False False"
