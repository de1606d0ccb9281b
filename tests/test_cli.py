"""The `lessonkit` command line, through click's CliRunner and as a real console script."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import textwrap
from fractions import Fraction
from importlib.metadata import version

import pytest
from click.testing import CliRunner, Result
from conftest import lessonkit_executable

import lessonkit
from lessonkit.cli import cli

TABLE_KEYS = ["a", "da", "f_a", "f_a_plus_da", "df", "ratio", "slope", "gap"]


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def data_rows(text: str) -> list[list[str]]:
    """Cells of the table rows in text output (the lines that start with a number)."""
    out = []
    for line in text.splitlines():
        cells = line.split()
        if cells and cells[0].lstrip("-").replace(".", "").isdigit():
            out.append(cells)
    return out


def utf8_env() -> dict[str, str]:
    return {**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONUTF8": "1"}


# --- table -------------------------------------------------------------------------------


def test_table_square_two_points() -> None:
    result = run("table", "square", "--at", "2", "--at", "5", "--nudge", "0.001")
    assert result.exit_code == 0
    assert data_rows(result.stdout) == [
        ["2", "0.001", "4", "4.004001", "0.004001", "4.001", "4", "0.001"],
        ["5", "0.001", "25", "25.010001", "0.010001", "10.001", "10", "0.001"],
    ]
    for text in ("4.004001", "4.001", "25.010001", "10.001"):
        assert text in result.stdout
    assert "4.004000999" not in result.stdout  # no binary-float slips
    assert "4.004001 = 4 + 0.004 + 0.000001" in result.stdout
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("name", "points", "rows"),
    [
        ("square", ["2"], 4),
        ("square", [], 8),
        ("cube", [], 4),
        ("linear", [], 4),
        ("log", [], 4),
        ("a^2", ["-3"], 4),
    ],
)
def test_table_default_schedule(name: str, points: list[str], rows: int) -> None:
    args = ["table", name]
    for p in points:
        args += ["--at", p]
    result = run(*args)
    assert result.exit_code == 0
    lines = data_rows(result.stdout)
    assert len(lines) == rows
    assert [c[1] for c in lines[:4]] == ["1", "0.1", "0.01", "0.001"]


def test_table_nudges_comma_separated_and_repeated() -> None:
    a = run("table", "cube", "--nudge", "1,0.1", "--nudge", "0.001")
    assert a.exit_code == 0
    assert [c[1] for c in data_rows(a.stdout)] == ["1", "0.1", "0.001"]
    assert data_rows(a.stdout)[-1][3] == "8.012006001"
    assert data_rows(a.stdout)[-1][6] == "12"


def test_table_log_marks_rounded() -> None:
    result = run("table", "ln", "--nudge", "0.001")
    assert result.exit_code == 0
    (cells,) = data_rows(result.stdout)
    assert cells[2] == "≈0.6931471806"
    assert cells[6] == "0.5"
    assert "≈ marks values rounded to 10 significant digits" in result.stdout


@pytest.mark.parametrize(
    ("name", "points", "f", "fprime"),
    [
        ("square", ["2", "5"], lambda a: a**2, lambda a: 2 * a),
        ("cube", ["2"], lambda a: a**3, lambda a: 3 * a**2),
        ("linear", ["2"], lambda a: 3 * a, lambda a: Fraction(3)),
    ],
)
def test_table_json_numbers_are_exact_strings(name: str, points: list[str], f, fprime) -> None:  # type: ignore[no-untyped-def]
    args = ["table", name, "--format", "json"]
    for p in points:
        args += ["--at", p]
    result = run(*args)
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["function"] == name
    expected = [(Fraction(p), d) for p in points for d in ("1", "0.1", "0.01", "0.001")]
    assert len(data["rows"]) == len(expected)
    for rec, (a, d) in zip(data["rows"], expected, strict=True):
        da = Fraction(d)
        for key in TABLE_KEYS:
            assert isinstance(rec[key], str), (key, rec[key])
        assert Fraction(rec["a"]) == a
        assert rec["da"] == d
        assert Fraction(rec["f_a"]) == f(a)
        assert Fraction(rec["f_a_plus_da"]) == f(a + da)
        assert Fraction(rec["df"]) == f(a + da) - f(a)
        ratio = (f(a + da) - f(a)) / da
        assert Fraction(rec["ratio"]) == ratio
        assert Fraction(rec["slope"]) == fprime(a)
        assert Fraction(rec["gap"]) == ratio - fprime(a)
        assert rec["rounded"] == []


def test_table_json_key_values() -> None:
    result = run(
        "table", "square", "--at", "2", "--at", "5", "--nudge", "0.001", "--format", "json"
    )
    rows = json.loads(result.stdout)["rows"]
    assert [(r["f_a_plus_da"], r["ratio"]) for r in rows] == [
        ("4.004001", "4.001"),
        ("25.010001", "10.001"),
    ]


def test_table_json_log() -> None:
    result = run("table", "log", "--format", "json", "--nudge", "0.001")
    assert result.exit_code == 0
    (rec,) = json.loads(result.stdout)["rows"]
    assert rec["slope"] == "0.5"
    assert rec["f_a"] == "0.6931471806"
    assert "f_a" in rec["rounded"] and "slope" not in rec["rounded"]


def test_table_csv() -> None:
    result = run("table", "square", "--at", "2", "--at", "5", "--nudge", "0.001", "--format", "csv")
    assert result.exit_code == 0
    reader = csv.reader(io.StringIO(result.stdout))
    header = next(reader)
    assert header == ["function", *TABLE_KEYS, "rounded"]
    recs = [dict(zip(header, row, strict=True)) for row in reader if row]
    assert [(r["a"], r["f_a_plus_da"], r["ratio"], r["slope"]) for r in recs] == [
        ("2", "4.004001", "4.001", "4"),
        ("5", "25.010001", "10.001", "10"),
    ]
    assert all(r["function"] == "square" and r["rounded"] == "" for r in recs)


def test_table_csv_log_with_nudge_list() -> None:
    result = run("table", "log", "--nudge", "1,0.1,0.01", "--format", "csv")
    assert result.exit_code == 0
    recs = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["da"] for r in recs] == ["1", "0.1", "0.01"]
    assert all(r["slope"] == "0.5" for r in recs)
    assert all("ratio" in r["rounded"].split() for r in recs)


# --- list and version --------------------------------------------------------------------


def test_list_shows_every_function_derivative_and_domain() -> None:
    result = run("list")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split()[:3] == ["name", "f(a)", "f'(a)"]
    expected = {
        "linear": ("3a", "3", "all real a"),
        "square": ("a²", "2a", "all real a"),
        "cube": ("a³", "3a²", "all real a"),
        "log": ("log a", "1/a", "a > 0"),
    }
    by_name = {ln.split()[0]: ln for ln in lines[1:] if ln.strip()}
    assert set(by_name) == set(expected)
    for name, (formula, derivative, domain) in expected.items():
        line = by_name[name]
        cells = [c.strip() for c in line.split("  ") if c.strip()]
        assert cells[:4] == [name, formula, derivative, domain], line


def test_list_shows_default_points_and_aliases() -> None:
    out = run("list").stdout
    square = next(ln for ln in out.splitlines() if ln.startswith("square"))
    assert "2, 5" in square
    assert "a^2" in square
    log = next(ln for ln in out.splitlines() if ln.startswith("log"))
    assert "ln" in log


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"lessonkit, version {lessonkit.__version__}"
    assert lessonkit.__version__ == version("lessonkit")


# --- bad input ---------------------------------------------------------------------------

BAD_INPUT = [
    (["table", "sqare"], "did you mean 'square'"),
    (["table", "xyz"], "unknown function"),
    (["table", "log", "--at", "0"], "outside its domain"),
    (["table", "log", "--at", "-1"], "outside its domain"),
    (["table", "square", "--nudge", "0"], "positive"),
    (["table", "square", "--nudge", "-0.1"], "positive"),
    (["table", "square", "--nudge", "nan"], "finite"),
    (["table", "square", "--nudge", "inf"], "finite"),
    (["table", "square", "--at", "inf"], "finite"),
    (["table", "square", "--at", "nan"], "finite"),
    (["table", "square", "--at", "1e400"], "too large or too small"),
    (["table", "square", "--at", "two"], "decimal number"),
    (["table", "square", "--nudge", "abc"], "decimal number"),
    (["table", "square", "--nudge", "0.001", "--nudge", "0.1"], "shrink"),
    (["table", "square", "--at", "2", "--at", "2.0"], "only once"),
    (["table", "square", "--at", "5000000"], "too large"),
    (["table", "square", "--nudge", "1e-20"], "too small"),
]


@pytest.mark.parametrize(("args", "match"), BAD_INPUT, ids=[" ".join(a) for a, _ in BAD_INPUT])
def test_bad_input_is_one_error_line(args: list[str], match: str) -> None:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code != 0
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stdout == ""
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith("Error:")
    assert match in lines[0]
    assert "Traceback" not in result.output


# --- the installed console script, as a real process -------------------------------------


def test_console_script_table() -> None:
    proc = subprocess.run(
        [lessonkit_executable(), "table", "square", "--at", "2", "--nudge", "0.001"],
        capture_output=True,
        encoding="utf-8",
        env=utf8_env(),
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert data_rows(proc.stdout) == [
        ["2", "0.001", "4", "4.004001", "0.004001", "4.001", "4", "0.001"]
    ]


@pytest.mark.parametrize(
    "args",
    [["table", "log", "--at", "0"], ["table", "square", "--nudge", "nan"], ["table", "sqare"]],
)
def test_console_script_bad_input(args: list[str]) -> None:
    proc = subprocess.run(
        [lessonkit_executable(), *args],
        capture_output=True,
        encoding="utf-8",
        env=utf8_env(),
        timeout=60,
    )
    assert proc.returncode != 0
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("Error:")
    assert "Traceback" not in proc.stderr


def test_table_and_list_do_not_import_manim() -> None:
    code = textwrap.dedent(
        """
        import sys
        import lessonkit
        from click.testing import CliRunner
        from lessonkit.cli import cli
        for args in (["table", "square", "--at", "2", "--nudge", "0.001"],
                     ["table", "log", "--format", "json"],
                     ["table", "cube", "--format", "csv"],
                     ["list"]):
            result = CliRunner().invoke(cli, args)
            assert result.exit_code == 0, result.output
        assert "4.004001" in CliRunner().invoke(cli, ["table", "square"]).output
        loaded = sorted(m for m in sys.modules if m.split(".")[0].startswith("manim"))
        assert "manim" not in sys.modules, loaded
        assert not loaded, loaded
        print("no manim")
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        encoding="utf-8",
        env=utf8_env(),
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "no manim"
