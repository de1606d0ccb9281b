"""Names in expressions: what a name may be, and what to say about one that is not known.

An expression parsed with names (the formula of a node of a computation graph: "b c",
"w1 x1 + w2 x2 + b", "sigmoid(z)") has `Name` leaves instead of the variable a. A name is
letters, optionally followed by digits (a, J, w1, x2, yhat, dz), case-sensitive, and never a
function or a constant (exp, sigmoid, pi and e keep their meaning).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Sequence

from lessonkit.base.errors import LessonError
from lessonkit.maths.expression.problems import quoted
from lessonkit.maths.expression.tree import CONSTANT_NAMES, FUNCTION_NAMES, INTERNAL_NAMES

__all__ = ["NAME", "name_problem", "checked_names", "unknown_name"]

#: a name: letters, then digits (w1, yhat, J)
NAME = re.compile(r"[A-Za-z]+[0-9]*", re.ASCII)
#: names listed in a message about an unknown one, at most
_LISTED = 20


def name_problem(name: object) -> str | None:
    """Why the text cannot be a name ("'exp' is a function, not a name"), or None."""
    if not isinstance(name, str):
        return f"a name must be text, got {type(name).__name__}"
    if not NAME.fullmatch(name):
        return f"{quoted(name, 20)} is not a name: write letters, then digits (J, w1, yhat)"
    if name in FUNCTION_NAMES or name in INTERNAL_NAMES:
        return f"{name!r} is a function, not a name"
    if name in CONSTANT_NAMES:
        return f"{name!r} is a constant, not a name"
    return None


def checked_names(names: Collection[str] | None) -> tuple[str, ...] | None:
    """The names in their given order (sorted when the collection has none), each checked."""
    if names is None:
        return None
    if isinstance(names, str):
        raise LessonError("names must be a collection of names, not one text")
    ordered = tuple(names) if isinstance(names, Sequence) else tuple(sorted(names))
    for name in ordered:
        problem = name_problem(name)
        if problem is not None:
            raise LessonError(problem)
    return tuple(dict.fromkeys(ordered))


def unknown_name(name: str, names: tuple[str, ...]) -> str:
    """unknown name 'd': the names here are a, b, c, u, v (and a hint when one is close)."""
    head = f"unknown name {quoted(name, 20)}"
    if not names:
        return f"{head}: there are no names here"
    listed = ", ".join(names[:_LISTED]) + (", ..." if len(names) > _LISTED else "")
    text = f"{head}: the names here are {listed}"
    same = [n for n in names if n.lower() == name.lower()]
    if same:
        return f"{text}; names are case-sensitive: did you mean {same[0]!r}?"
    words = [*names, *FUNCTION_NAMES, *CONSTANT_NAMES]
    hint = difflib.get_close_matches(name, words, n=1, cutoff=0.75)
    return f"{text}; did you mean {hint[0]!r}?" if hint else text
