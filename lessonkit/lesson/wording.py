"""Caption templates: the words of a step, with placeholders for its computed values.

Every default caption is a template filled from lessonkit's math, and an author's override
in a lesson file is a template too, so overriding the words never loses the numbers.
`{df}` is a value as the lesson prints it ("0.004001", or "≈0.4054651081" when rounded);
`{=df}` adds the right relation ("= 0.004001", "≈ 0.4054651081"); `{{` and `}}` are braces.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping

from lessonkit.base.errors import LessonError
from lessonkit.maths.numbers import Value

__all__ = ["fill", "placeholders", "check_template"]

_TOKEN = re.compile(r"\{\{|\}\}|\{(=?)([A-Za-z_][A-Za-z0-9_]*)\}|[{}]")


def placeholders(template: str, where: str = "caption") -> list[tuple[bool, str]]:
    """The (with '=', name) placeholders of a template, refusing stray braces.

    >>> placeholders("Δf {=df} at a = {a}")
    [(True, 'df'), (False, 'a')]
    """
    found = []
    for m in _TOKEN.finditer(template):
        token = m.group(0)
        if token in ("{{", "}}"):
            continue
        if m.group(2) is None:
            raise LessonError(
                f"{where}: a lone {token!r} in {_short(template)!r}; write {{{{ or }}}} "
                "for a brace, or {name} for a value"
            )
        found.append((m.group(1) == "=", m.group(2)))
    return found


def check_template(template: str, allowed: Iterable[str], where: str = "caption") -> None:
    """Refuse placeholders the step does not have, with a did-you-mean."""
    names = sorted(set(allowed))
    for _, name in placeholders(template, where):
        if name not in names:
            close = difflib.get_close_matches(name, names, n=1, cutoff=0.5)
            hint = f"did you mean {{{close[0]}}}? " if close else ""
            raise LessonError(
                f"{where}: unknown placeholder {{{name}}}; {hint}this step has "
                + ", ".join(f"{{{n}}}" for n in names)
            )


def fill(
    template: str,
    values: Mapping[str, Value | str],
    digits: int,
    where: str = "caption",
) -> str:
    """The template with each placeholder replaced by its value's text.

    >>> from fractions import Fraction
    >>> fill("so Δf/Δa {=r}, Δa = {da}", {"r": Value(Fraction(1, 3), False),
    ...      "da": Value(Fraction(1, 10))}, 4)
    'so Δf/Δa ≈ 0.3333, Δa = 0.1'
    """
    check_template(template, values, where)

    def replace(m: re.Match[str]) -> str:
        token = m.group(0)
        if token == "{{":
            return "{"
        if token == "}}":
            return "}"
        relation, name = m.group(1) == "=", m.group(2)
        v = values[name]
        if isinstance(v, str):
            if relation:
                raise LessonError(f"{where}: {{={name}}} is text, not a number: write {{{name}}}")
            return v
        if relation:
            return ("= " if v.shows_exactly else "≈ ") + v.text(digits)
        return v.marked(digits)

    return _TOKEN.sub(replace, template)


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."
