"""Finding a lesson function by name: a registered one, else an expression in a.

It sits above both the registry (`functions`) and the expression parser (`expression`),
which uses the registry's types, so neither has to import the other in a circle.
"""

from __future__ import annotations

from lessonkit.maths.expression import function_from_expression
from lessonkit.maths.functions import Function, registered, registered_keys

__all__ = ["get_function"]


def get_function(name: str) -> Function:
    """A registered function by name or alias ("square", "a^2", "f(a)=a^2"), or else the
    function of an expression in a ("sin(a)", "a^4 - 2a"), parsed safely.

    >>> get_function("a**2").name
    'square'
    >>> get_function("2 sin(a)").formula
    '2 sin(a)'
    """
    key = name.replace(" ", "").lower()
    for prefix in ("f(a)=", "f="):
        key = key.removeprefix(prefix)
    found = registered(key)
    if found is not None:
        return found
    text = name.strip()
    for prefix in ("f(a)=", "f="):
        if text.replace(" ", "").lower().startswith(prefix):
            text = text.split("=", 1)[1]
    return function_from_expression(text, known=registered_keys())
