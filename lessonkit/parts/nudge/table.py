"""Convergence tables as text a student can check by hand, and as JSON or CSV for tools."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from fractions import Fraction

from lessonkit.maths.functions import Function
from lessonkit.maths.nudge import Nudge, expansion
from lessonkit.maths.numbers import SIGNIFICANT_DIGITS, Value

__all__ = ["COLUMNS", "RENDERERS", "render_text", "render_json", "render_csv", "align_decimal"]

#: (key in Nudge.as_text(), header shown to students)
COLUMNS: tuple[tuple[str, str], ...] = (
    ("a", "a"),
    ("da", "Δa"),
    ("f_a", "f(a)"),
    ("f_a_plus_da", "f(a+Δa)"),
    ("df", "Δf"),
    ("ratio", "Δf/Δa"),
    ("slope", "f'(a)"),
    ("gap", "Δf/Δa - f'(a)"),
)


def align_decimal(cells: Sequence[str]) -> list[str]:
    """Pad number texts so their decimal points line up in a column.

    >>> align_decimal(["4", "4.41", "≈0.5"])
    [' 4   ', ' 4.41', '≈0.5 ']
    """
    splits = [c.split(".", 1) if "." in c else [c, ""] for c in cells]
    left = max(len(s[0]) for s in splits)
    right = max((len(s[1]) + 1 if s[1] else 0) for s in splits)
    return [s[0].rjust(left) + (("." + s[1]) if s[1] else "").ljust(right) for s in splits]


def render_text(fn: Function, rows: Sequence[Nudge]) -> str:
    """An aligned table per point, with the polynomial expansion of its smallest nudge."""
    out = [f"{fn.title}    f'(a) = {fn.derivative_formula}    domain: {fn.domain}", ""]
    points: list[Fraction] = []
    for r in rows:
        if r.a.q not in points:
            points.append(r.a.q)
    for a in points:
        group = [r for r in rows if r.a.q == a]
        texts = [r.as_text() for r in group]
        columns = []
        for key, header in COLUMNS:
            cells = align_decimal([t[key] for t in texts])
            width = max(len(header), *(len(c) for c in cells))
            columns.append([header.rjust(width)] + [c.rjust(width) for c in cells])
        for line in zip(*columns, strict=True):
            out.append("  ".join(line).rstrip())
        right = [r for r in group if r.side > 0]
        smallest = min(right or group, key=lambda r: abs(r.da.q))
        e = expansion(fn, a, smallest.da.q) if right else None
        if e is not None:
            out.append(f"  {e.symbolic()}")
            out.append(
                f"  at a = {smallest.a.text()}, Δa = {smallest.da.text()}:  {e.numeric()}"
                f"   (leftover {e.leftover.text()})"
            )
        if any(r.kink for r in group) and {r.side for r in group} == {1, -1}:
            out.append(f"  {kink_note(fn, a)}")
        out.append("")
    if any(not v.shows_exactly for r in rows for v in (r.f_a, r.f_a_da, r.ratio, r.gap)):
        out.append(f"≈ marks values rounded to {rows[0].digits} significant digits;")
        out.append("every other value is exact.")
    else:
        out.append("Every value is exact.")
    return "\n".join(out)


def _record(r: Nudge) -> dict[str, object]:
    texts = r.as_text()
    fields = {k: texts[k].removeprefix("≈") for k, _ in COLUMNS}
    rounded = [k for k, _ in COLUMNS if texts[k].startswith("≈")]
    side = "right" if r.side > 0 else "left"
    return {"function": r.function.name, **fields, "side": side, "rounded": rounded}


def kink_note(fn: Function, a: Fraction) -> str:
    """'no single slope at a = 0: Δf/Δa → 1 from the right, 0 from the left (PyTorch,
    TensorFlow and JAX use 0 there)'."""
    right, left = fn.one_sided(a, 1), fn.one_sided(a, -1)
    note = (
        f"no single slope at a = {Value(a).text()}: Δf/Δa → {right.marked()} from the right, "
        f"{left.marked()} from the left"
    )
    convention = fn.convention(a)
    if convention is not None:
        note += f" ({convention[1]} use {convention[0].marked()} there)"
    return note


def _kinks(rows: Sequence[Nudge]) -> list[Fraction]:
    points: list[Fraction] = []
    for r in rows:
        if r.kink and r.a.q not in points:
            points.append(r.a.q)
    return points


def _kink_record(fn: Function, a: Fraction) -> dict[str, object]:
    convention = fn.convention(a)
    return {
        "a": Value(a).text(),
        "right": fn.one_sided(a, 1).marked().removeprefix("≈"),
        "left": fn.one_sided(a, -1).marked().removeprefix("≈"),
        "convention": None if convention is None else convention[0].marked().removeprefix("≈"),
        "by": None if convention is None else convention[1],
    }


def render_json(fn: Function, rows: Sequence[Nudge]) -> str:
    """Rows as JSON; numbers are exact decimal strings, `rounded` lists the rounded fields."""
    return json.dumps(
        {
            "function": fn.name,
            "formula": fn.formula,
            "derivative": fn.derivative_formula,
            "significant_digits": rows[0].digits if rows else SIGNIFICANT_DIGITS,
            "rows": [_record(r) for r in rows],
            "kinks": [_kink_record(fn, a) for a in _kinks(rows)],
        },
        indent=2,
        ensure_ascii=False,
    )


def render_csv(fn: Function, rows: Sequence[Nudge]) -> str:
    """Rows as CSV with a header line, the side of each nudge, and the rounded fields listed
    in the last column."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["function", *(k for k, _ in COLUMNS), "side", "rounded"])
    for r in rows:
        rec = _record(r)
        rounded = rec["rounded"]
        assert isinstance(rounded, list)
        row = [rec["function"], *(rec[k] for k, _ in COLUMNS), rec["side"], " ".join(rounded)]
        writer.writerow(row)
    return buf.getvalue()


#: the table in each `lessonkit table --format`
RENDERERS = {"text": render_text, "json": render_json, "csv": render_csv}
