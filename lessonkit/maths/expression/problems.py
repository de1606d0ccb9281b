"""How a problem in an expression is reported: where it was found and the one-line error.

`ParseFailure` carries a problem (and its column) out of the tokenizer, the parser and the
checks after parsing; `parse_expression` turns it into the one `LessonError` a user sees.
"""

from __future__ import annotations

from lessonkit.base.errors import LessonError

#: the examples a hint gives of an expression in a
EXAMPLES = "a^2, sin(a), sigmoid(a), tanh(a), relu(a), |a|, max(0, a) or softplus(a)"


def quoted(text: str, limit: int = 40) -> str:
    """The text as a one-line quoted string, cut short when long."""
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return repr(text)


class ParseFailure(Exception):
    """A problem found while reading an expression, at a 1-based column when known."""

    def __init__(self, problem: str, column: int | None = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.column = column


def expression_error(text: str, problem: str, column: int | None = None) -> LessonError:
    """The one-line error a user sees: expression '...': problem at column n."""
    where = f" at column {column}" if column is not None else ""
    return LessonError(f"expression {quoted(text)}: {problem}{where}")
