"""The hard limits on an expression, in one place.

They keep every accepted expression small enough to parse, differentiate and evaluate fast; the
tokenizer, the parser and the checks after parsing each enforce their share of them.
"""

from __future__ import annotations

MAX_CHARS = 200  # characters of the expression text (surrounding whitespace not counted)
MAX_NODES = 60  # numbers, names and operators in the tree
MAX_DEPTH = 12  # nested parentheses, function calls, exponents and signs
MAX_EXPONENT = 12  # |n| for a constant integer exponent on anything that contains a
MAX_DIGITS = 15  # significant digits of a number literal
MAX_MAGNITUDE = 15  # a number literal lies in [1e-15, 1e15) (or is 0)
MAX_DEGREE = 60  # total degree of the rational part, e.g. (a^12)^5
MAX_CONSTANT_BITS = 4096  # size of a folded constant power such as 9^9
MAX_EXP_NESTING = 2  # exp(exp(a)) is fine, exp(exp(exp(a))) is refused
