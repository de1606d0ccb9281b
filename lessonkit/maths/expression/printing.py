"""The printers: a tree as source text, as text a student reads, and as Typst math.

Styles: "source" (ASCII, parses back to the same tree), "text" (a², π, √, log₁₀, σ(a), |a|,
tanh²(a)), "typst" (Typst math: sigma(a), abs(a), tanh^2 (a), "relu"(a)) and "at" (Typst math
where the literal {a} stands for the point's text). A `Name` (an expression parsed with names)
is written w1 in source, w₁ and ŷ (for yhat) in text, w_1, hat(y) and italic("dz") in Typst;
a product with a name on either side keeps a space (b c, 3 v, w_1 x_1) so it reads back.
"""

from __future__ import annotations

import math
import unicodedata
from fractions import Fraction

from lessonkit.maths.expression.tree import BinOp, Call, Const, Name, Neg, Node, Num, Var, walk
from lessonkit.maths.numbers import format_fraction

_SUPER = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")

#: how a function name is written in text and in Typst math, where it differs from its name
_TEXT_NAMES = {"sigmoid": "σ"}
_TYPST_NAMES = {"sigmoid": "sigma", "relu": '"relu"', "softplus": '"softplus"'}
_TYPST_NAMES |= {"step": '"step"', "sign": '"sign"'}
#: written f²(a) rather than f(a)², the way a course writes tanh²(a)
_POWER_BEFORE = ("tanh", "sigmoid")


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
    return isinstance(node, Num | Var | Name | Const)


def name_text(name: str, style: str) -> str:
    """A name as written in a style: w1, yhat and dz as w₁, ŷ and dz in text, w_1, hat(y) and
    italic("dz") in Typst math (where a bare run of letters would be read as one symbol)."""
    if style == "source":
        return name
    letters = name.rstrip("0123456789")
    digits = name[len(letters) :]
    hat = len(letters) == 4 and letters.endswith("hat")
    if style == "text":
        head = unicodedata.normalize("NFC", letters[0] + "\u0302") if hat else letters
        return head + digits.translate(_SUB)
    if hat:
        head = f"hat({letters[0]})"
    elif len(letters) == 1:
        head = letters
    else:
        head = f'italic("{letters}")'
    return f"{head}_{digits}" if digits else head


def _rightmost(node: Node) -> Node:
    while isinstance(node, BinOp | Neg):
        node = node.right if isinstance(node, BinOp) else node.operand
    return node


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
        if isinstance(node, Name):
            return name_text(node.name, "typst" if style == "at" else style)
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
            style == "text" and rightmost.func in ("sqrt", "exp", "abs")
        )
        if style == "at":
            if isinstance(node.left, Num) and (right[:1].isalpha() or right_call):
                return f"{left} {right}"
            return f"{left} dot {right}"
        first, last = right[:1], left[-1:]
        if not (first.isdigit() or first == ".") and any(isinstance(n, Name) for n in walk(node)):
            # b c, 3 v, w1 x1 (w₁ x₁ in text, but 3v): juxtaposed names read back
            if style != "text" or isinstance(_rightmost(node.left), Name):
                return f"{left} {right}"
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
        call = node.left
        if isinstance(call, Call) and call.func in _POWER_BEFORE and n is not None and n > 0:
            head, _, rest = self.call(call).partition("(")
            if style == "text":
                return f"{head}{str(n).translate(_SUPER)}({rest}"
            return f"{head}^{n} ({rest}"
        if style == "text" and n is not None and base[-1:] not in "⁰¹²³⁴⁵⁶⁷⁸⁹":
            return base + str(n).translate(_SUPER)
        return f"{base}^{self.script(node.right)}"

    def script(self, node: Node) -> str:
        """An exponent: bare when atomic, else in parentheses (Typst drops them)."""
        text = self(node)
        if isinstance(node, Name) and self.style in ("typst", "at") and len(text) > 1:
            return f"({text})"  # e^(x_1): e^x_1 would put the 1 under the e
        if _atomic(node) and not (self.style == "at" and isinstance(node, Var)):
            return text
        if isinstance(node, Call) and self.style != "text" and not text.startswith('"'):
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
        if len(node.args) == 2:  # max(x, y), min(x, y)
            return f"{func}({arg}, {self(node.args[1])})"
        if func == "abs" and style == "text":
            return f"|{arg}|"
        if style == "text":
            func = _TEXT_NAMES.get(func, func)
        elif style != "source":
            func = _TYPST_NAMES.get(func, func)
        return f"{func}({arg})"


def render(node: Node, style: str = "text", log_name: str = "log") -> str:
    """The tree as text: style "source", "text", "typst" or "at" (Typst with {a})."""
    return _Printer(style, log_name)(node)


def log_name_of(tree: Node) -> str:
    """ "ln" when the tree writes ln, so that its derivative does too; else "log"."""
    return "ln" if any(isinstance(n, Call) and n.func == "ln" for n in walk(tree)) else "log"


def fraction_text(q: Fraction) -> str:
    return format_fraction(q) or f"{q.numerator}/{q.denominator}"
