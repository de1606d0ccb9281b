"""lessonkit.parts.nudge.table: aligned text, JSON and CSV renderings of convergence tables."""

from __future__ import annotations

import csv
import io
import json
from fractions import Fraction

import pytest

from lessonkit.maths.lookup import get_function
from lessonkit.maths.nudge import convergence_table
from lessonkit.parts.nudge.table import COLUMNS, align_decimal, render_csv, render_json, render_text

KEYS = [k for k, _ in COLUMNS]


def rows_for(name: str, points: list[int] | None = None, nudges: list[str] | None = None):  # type: ignore[no-untyped-def]
    fn = get_function(name)
    pts = None if points is None else [Fraction(p) for p in points]
    sched = None if nudges is None else [Fraction(d) for d in nudges]
    return fn, convergence_table(fn, pts, sched)


def table_lines(text: str) -> list[list[str]]:
    """The data rows of a text table, split into cells (rows start with a number)."""
    out = []
    for line in text.splitlines():
        cells = line.split()
        if cells and cells[0].lstrip("-").replace(".", "").isdigit():
            out.append(cells)
    return out


# --- align_decimal ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "cells",
    [
        ["4", "4.41", "≈0.5"],
        ["1", "0.1", "0.01", "0.001"],
        ["9", "4.41", "4.0401", "4.004001"],
        ["≈-0.09453489189", "≈-0.000124958349"],
        ["12", "-3"],
    ],
)
def test_align_decimal_lines_up_points(cells: list[str]) -> None:
    aligned = align_decimal(cells)
    assert len(aligned) == len(cells)
    assert len({len(c) for c in aligned}) == 1  # same width
    assert [c.strip() for c in aligned] == cells  # only padding was added
    # the decimal point (or where it would be) is in the same column everywhere
    left = {len(c.split(".")[0]) if "." in c else len(c.rstrip()) for c in aligned}
    assert len(left) == 1


def test_align_decimal_doc_example() -> None:
    assert align_decimal(["4", "4.41", "≈0.5"]) == [" 4   ", " 4.41", "≈0.5 "]


# --- text --------------------------------------------------------------------------------


def test_text_square_two_points_smallest_nudge() -> None:
    fn, rows = rows_for("square", [2, 5], ["0.001"])
    text = render_text(fn, rows)
    assert text.splitlines()[0] == "f(a) = a²    f'(a) = 2a    domain: all real a"
    assert table_lines(text) == [
        ["2", "0.001", "4", "4.004001", "0.004001", "4.001", "4", "0.001"],
        ["5", "0.001", "25", "25.010001", "0.010001", "10.001", "10", "0.001"],
    ]
    assert "(a+Δa)² = a² + 2aΔa + (Δa)²" in text
    assert "at a = 2, Δa = 0.001:  4.004001 = 4 + 0.004 + 0.000001   (leftover 0.000001)" in text
    assert "at a = 5, Δa = 0.001:  25.010001 = 25 + 0.01 + 0.000001   (leftover 0.000001)" in text
    assert text.rstrip().endswith("Every value is exact.")
    assert "≈" not in text


def test_text_headers() -> None:
    fn, rows = rows_for("cube")
    text = render_text(fn, rows)
    header = text.splitlines()[2].split()
    assert header == ["a", "Δa", "f(a)", "f(a+Δa)", "Δf", "Δf/Δa", "f'(a)", "Δf/Δa", "-", "f'(a)"]


@pytest.mark.parametrize("name", ["linear", "square", "cube"])
def test_text_default_table_has_every_row(name: str) -> None:
    fn, rows = rows_for(name)
    text = render_text(fn, rows)
    lines = table_lines(text)
    assert len(lines) == len(rows) == len(fn.points) * 4
    for cells, r in zip(lines, rows, strict=True):
        assert cells == [r.as_text()[k] for k in KEYS]


def test_text_cube_row() -> None:
    fn, rows = rows_for("cube", [2], ["0.001"])
    assert table_lines(render_text(fn, rows)) == [
        ["2", "0.001", "8", "8.012006001", "0.012006001", "12.006001", "12", "0.006001"]
    ]


def test_text_columns_are_aligned() -> None:
    fn, rows = rows_for("square", [2])
    lines = [ln for ln in render_text(fn, rows).splitlines()[2:7]]
    # every decimal point in the Δa column sits in the same character column
    dots = {ln.index(".") for ln in lines[2:]}  # rows with Δa < 1 all have a '.' in Δa first
    assert len(dots) == 1


def test_text_log_marks_rounded_values() -> None:
    fn, rows = rows_for("log")
    text = render_text(fn, rows)
    assert text.splitlines()[0] == "f(a) = log a    f'(a) = 1/a    domain: a > 0"
    lines = table_lines(text)
    assert len(lines) == 4
    for cells in lines:
        assert cells[0] == "2"
        assert cells[2] == "≈0.6931471806"
        assert cells[6] == "0.5"  # the derivative is exact, so unmarked
        for i in (2, 3, 4, 5, 7):
            assert cells[i].startswith("≈")
    assert "≈ marks values rounded to 10 significant digits;" in text
    assert "Every value is exact." not in text
    assert "leftover" not in text  # no polynomial expansion for log


# --- JSON --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["linear", "square", "cube"])
def test_json_polynomial_numbers_are_exact_strings(name: str) -> None:
    fn, rows = rows_for(name)
    data = json.loads(render_json(fn, rows))
    assert data["function"] == name
    assert data["formula"] == fn.formula
    assert data["derivative"] == fn.derivative_formula
    assert data["significant_digits"] == 10
    assert len(data["rows"]) == len(rows)
    for rec, r in zip(data["rows"], rows, strict=True):
        assert rec["rounded"] == []
        a, da = r.a.q, r.da.q
        fa, fad = fn.value(a).q, fn.value(a + da).q
        for key in KEYS:
            assert isinstance(rec[key], str)
        assert Fraction(rec["a"]) == a
        assert Fraction(rec["da"]) == da
        assert Fraction(rec["f_a_plus_da"]) == fad
        assert Fraction(rec["df"]) == fad - fa
        assert Fraction(rec["ratio"]) == (fad - fa) / da
        assert Fraction(rec["slope"]) == fn.derivative(a).q


def test_json_square_key_row() -> None:
    fn, rows = rows_for("square", [2], ["0.001"])
    (rec,) = json.loads(render_json(fn, rows))["rows"]
    assert rec == {
        "function": "square",
        "a": "2",
        "da": "0.001",
        "f_a": "4",
        "f_a_plus_da": "4.004001",
        "df": "0.004001",
        "ratio": "4.001",
        "slope": "4",
        "gap": "0.001",
        "side": "right",
        "rounded": [],
    }


def test_json_log_lists_rounded_fields_without_marks() -> None:
    fn, rows = rows_for("log", [2], ["0.001"])
    text = render_json(fn, rows)
    assert "≈" not in text
    (rec,) = json.loads(text)["rows"]
    assert rec["f_a"] == "0.6931471806"
    assert rec["slope"] == "0.5"
    assert set(rec["rounded"]) == {"f_a", "f_a_plus_da", "df", "ratio", "gap"}


# --- CSV ---------------------------------------------------------------------------------


def test_csv_header_and_rows() -> None:
    fn, rows = rows_for("cube")
    text = render_csv(fn, rows)
    reader = csv.reader(io.StringIO(text))
    header = next(reader)
    assert header == ["function", *KEYS, "side", "rounded"]
    body = list(reader)
    assert len(body) == 4
    last = dict(zip(header, body[-1], strict=True))
    assert last["f_a_plus_da"] == "8.012006001"
    assert last["slope"] == "12"
    assert last["rounded"] == ""
    for rec, r in zip(body, rows, strict=True):
        assert rec[1:-2] == [r.as_text()[k] for k in KEYS]
        assert rec[-2] == "right"


def test_csv_log_rounded_column() -> None:
    fn, rows = rows_for("log", [2], ["0.1", "0.001"])
    recs = list(csv.DictReader(io.StringIO(render_csv(fn, rows))))
    assert len(recs) == 2
    for rec, r in zip(recs, rows, strict=True):
        assert rec["function"] == "log"
        assert rec["rounded"].split() == ["f_a", "f_a_plus_da", "df", "ratio", "gap"]
        assert not any(v.startswith("≈") for v in rec.values())
        assert rec["ratio"] == r.ratio.text()
        assert float(rec["ratio"]) == pytest.approx(float(r.ratio), rel=1e-9)


# --- kinks -------------------------------------------------------------------------------


def test_a_kink_is_nudged_from_both_sides_with_its_one_sided_slopes() -> None:
    fn, rows = rows_for("relu(a)", [0], ["1", "0.01"])
    data = json.loads(render_json(fn, rows))
    got = [
        (r["side"], Fraction(r["da"]), Fraction(r["f_a_plus_da"]), r["slope"]) for r in data["rows"]
    ]
    # relu(Δa) = max(0, Δa): Δa from the right, 0 from the left
    assert got == [
        ("right", Fraction(1), Fraction(1), "1"),
        ("right", Fraction(1, 100), Fraction(1, 100), "1"),
        ("left", Fraction(-1), Fraction(0), "0"),
        ("left", Fraction(-1, 100), Fraction(0), "0"),
    ]
    assert data["kinks"] == [
        {
            "a": "0",
            "right": "1",
            "left": "0",
            "convention": "0",
            "by": "PyTorch, TensorFlow and JAX",
        }
    ]


def test_the_text_table_says_there_is_no_single_slope_at_a_kink() -> None:
    fn, rows = rows_for("abs(a)", [0], ["0.1"])
    text = render_text(fn, rows)
    assert (
        "no single slope at a = 0: Δf/Δa → 1 from the right, -1 from the left "
        "(PyTorch and TensorFlow use 0 there)" in text
    )
    fn, rows = rows_for("abs(a)", [1], ["0.1"])
    assert "no single slope" not in render_text(fn, rows)
    assert json.loads(render_json(fn, rows))["kinks"] == []
