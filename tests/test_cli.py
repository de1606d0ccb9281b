"""The `lessonkit` command line, through click's CliRunner and as a real console script."""

from __future__ import annotations

import csv
import io
import json
import math
import os
import subprocess
import sys
import textwrap
from fractions import Fraction
from importlib.metadata import version
from pathlib import Path

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
    assert header == ["function", *TABLE_KEYS, "side", "rounded"]
    recs = [dict(zip(header, row, strict=True)) for row in reader if row]
    assert [(r["a"], r["f_a_plus_da"], r["ratio"], r["slope"]) for r in recs] == [
        ("2", "4.004001", "4.001", "4"),
        ("5", "25.010001", "10.001", "10"),
    ]
    assert all(r["function"] == "square" and r["rounded"] == "" for r in recs)


def test_table_side_both_nudges_from_the_left_too() -> None:
    result = run(
        "table", "square", "--at", "2", "--nudge", "0.1", "--side", "both", "--format", "csv"
    )
    assert result.exit_code == 0, result.output
    recs = list(csv.DictReader(io.StringIO(result.stdout)))
    # (2 - 0.1)² = 3.61: Δf = -0.39, Δf/Δa = 3.9 from the left, 4.1 from the right
    assert [(r["side"], r["da"], r["f_a_plus_da"], r["ratio"]) for r in recs] == [
        ("right", "0.1", "4.41", "4.1"),
        ("left", "-0.1", "3.61", "3.9"),
    ]


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
    # the table of registered functions, before any note under it
    lines = result.stdout.split("\n\n")[0].splitlines()
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


# --- lesson files: check, new, table ----------------------------------------------------------

SHIPPED = "lessons/more-derivative-examples.toml"
ROOT = Path(__file__).resolve().parents[1]

#: A bad lesson (row k is line k) and the one line `check` must print for it.
BAD_LESSON = '# a lesson\ntitle = "T"\n\n[[part]]\nfunction = "log"\npoints = [0]\n'
BAD_MESSAGE = (
    "{file}:6: part 1, points: log is defined only for a > 0, so a = 0 is outside its domain"
)


def has_expressions() -> bool:
    """True once lessonkit.maths.expression (functions such as sin(a)) exists."""
    try:
        import lessonkit.maths.expression  # noqa: F401
    except ImportError:
        return False
    return True


needs_expressions = pytest.mark.skipif(
    not has_expressions(),
    reason="the starter lesson uses sin(a): needs lessonkit.maths.expression, not written yet",
)


def check_summary(path: str) -> str:
    from lessonkit.lesson.lessonfile import load_lesson
    from lessonkit.lesson.storyboard import lesson_steps

    lesson = load_lesson(ROOT / path)
    steps = lesson_steps(lesson)
    seconds = math.fsum(s.duration for s in steps)
    voiced = f" before narration (voice: {lesson.voice})" if lesson.voice else ""
    return (
        f"{path}: ok: {len(lesson.parts)} parts, {len(steps)} steps, {seconds:.1f} s of video"
        + voiced
    )


def test_check_accepts_the_shipped_lesson(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(cli, ["check", SHIPPED, SHIPPED])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert result.stdout.splitlines() == [check_summary(SHIPPED)] * 2
    assert check_summary(SHIPPED) == (
        f"{SHIPPED}: ok: 6 parts, 42 steps, 160.5 s of video before narration (voice: espeak)"
    )


def test_check_reports_one_line_with_the_line_number(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(BAD_LESSON, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(bad)])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stdout == ""
    assert result.stderr == "Error: " + BAD_MESSAGE.format(file=bad) + "\n"
    assert "Traceback" not in result.output


def test_check_stops_at_the_first_bad_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('title = "T"\n[[part]]\nfunction = "square"\nnudges = [0.1, 1]\n')
    result = CliRunner().invoke(cli, ["check", str(ROOT / SHIPPED), str(bad)])
    assert result.exit_code == 1
    assert result.stdout.startswith(f"{ROOT / SHIPPED}: ok: ")
    assert result.stderr == (
        f"Error: {bad}:4: part 1, nudges: nudges must shrink: list them from largest to smallest\n"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('title = "T"\n[[part]]\nfunction = "square\n', "{file}:3: not valid TOML: "),
        ('titel = "T"\n', "{file}:1: titel: unknown top-level key 'titel'; did you mean 'title'?"),
        (None, "{file}: no such lesson file (`lessonkit new {file}` writes one)"),
    ],
    ids=["bad TOML", "unknown key", "missing file"],
)
def test_check_bad_files(tmp_path: Path, text: str | None, message: str) -> None:
    path = tmp_path / "lesson.toml"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(path)])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: " + message.format(file=path)), lines[0]
    assert result.stdout == ""


def test_check_needs_a_file() -> None:
    result = CliRunner().invoke(cli, ["check"])
    assert result.exit_code == 2
    assert "Missing argument" in result.stderr


def test_console_script_check_good_and_bad(tmp_path: Path) -> None:
    """`lessonkit check` as a real process: exit 0 and "ok", or exit 1 and one Error line."""
    good = subprocess.run(
        [lessonkit_executable(), "check", SHIPPED],
        capture_output=True,
        encoding="utf-8",
        env=utf8_env(),
        cwd=ROOT,
        timeout=60,
    )
    assert good.returncode == 0, good.stderr
    assert good.stderr == ""
    assert good.stdout == check_summary(SHIPPED) + "\n"
    (tmp_path / "bad.toml").write_text(BAD_LESSON, encoding="utf-8")
    bad = subprocess.run(
        [lessonkit_executable(), "check", "bad.toml"],
        capture_output=True,
        encoding="utf-8",
        env=utf8_env(),
        cwd=tmp_path,
        timeout=60,
    )
    assert bad.returncode == 1
    assert bad.stdout == ""
    assert bad.stderr == "Error: " + BAD_MESSAGE.format(file="bad.toml") + "\n"
    assert "Traceback" not in bad.stderr


def test_new_writes_a_starter_lesson(tmp_path: Path) -> None:
    from lessonkit.cli.lesson_cmds import starter_text

    path = tmp_path / "lessons" / "my-lesson.toml"
    result = CliRunner().invoke(cli, ["new", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote {path}: edit it, then `lessonkit preview {path} --watch`\n"
    text = path.read_text(encoding="utf-8")
    assert text == starter_text(path)
    assert f"lessonkit check {path}" in text and "{file}" not in text
    assert [p.name for p in path.parent.iterdir()] == ["my-lesson.toml"]  # no temporary left


@needs_expressions
def test_new_lesson_passes_check(tmp_path: Path) -> None:
    path = tmp_path / "my-lesson.toml"
    assert CliRunner().invoke(cli, ["new", str(path)]).exit_code == 0
    result = CliRunner().invoke(cli, ["check", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"{path}: ok: 4 parts, ")
    assert result.stderr == ""


def test_new_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text("# my own work\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["new", str(path)])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {path} exists: pick another name or pass --force\n"
    assert path.read_text(encoding="utf-8") == "# my own work\n"
    forced = CliRunner().invoke(cli, ["new", "--force", str(path)])
    assert forced.exit_code == 0, forced.output
    assert path.read_text(encoding="utf-8").startswith("# A lessonkit lesson.")


@pytest.mark.parametrize("name", ["lesson.txt", "lesson", "lesson.toml.bak"])
def test_new_refuses_a_name_that_is_not_toml(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    result = CliRunner().invoke(cli, ["new", str(path)])
    assert result.exit_code == 1
    assert result.stderr == f"Error: a lesson file ends in .toml, got {str(path)!r}\n"
    assert not path.exists()


def test_table_of_a_lesson_file_prints_one_table_per_nudge_part(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(ROOT)
    result = run("table", SHIPPED)
    assert result.exit_code == 0
    heads = [ln for ln in result.stdout.splitlines() if ln.startswith("f(a) = ")]
    assert [h.split("    ")[0] for h in heads] == [
        "f(a) = 3a",
        "f(a) = a²",
        "f(a) = a³",
        "f(a) = log a",
    ]
    # the recap's own points and nudge; the others the default schedule
    assert [(c[0], c[1]) for c in data_rows(result.stdout)[:2]] == [("2", "1"), ("4", "1")]
    assert len(data_rows(result.stdout)) == 2 + 8 + 4 + 4
    # each table is the one `lessonkit table FUNCTION` prints for that part
    parts = [
        run("table", "linear", "--at", "2", "--at", "4", "--nudge", "1").stdout,
        run("table", "square").stdout,
        run("table", "cube").stdout,
        run("table", "log").stdout,
    ]
    assert result.stdout == "\n".join(parts)


def test_table_of_a_lesson_file_refuses_points(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(cli, ["table", SHIPPED, "--at", "2"])
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: a lesson file sets its own points, nudges and sides: drop --at/--nudge/--side\n"
    )


def test_table_of_a_lesson_file_for_tools_is_one_document() -> None:
    """JSON: one list with a table per nudge part; CSV: one header, then every part's rows."""
    shipped = str(ROOT / SHIPPED)
    as_json = CliRunner().invoke(cli, ["table", shipped, "--format", "json"])
    assert as_json.exit_code == 0, as_json.output
    tables = json.loads(as_json.stdout)
    assert [t["formula"] for t in tables] == ["3a", "a²", "a³", "log a"]
    assert tables[1]["rows"][-1]["f_a_plus_da"] == "25.010001"  # a² at 5, Δa = 0.001
    as_csv = CliRunner().invoke(cli, ["table", shipped, "--format", "csv"])
    rows = list(csv.reader(io.StringIO(as_csv.stdout)))
    assert rows[0][0] == "function" and sum(r[0] == "function" for r in rows) == 1
    assert [r[0] for r in rows[1:]] == ["linear"] * 2 + ["square"] * 8 + ["cube"] * 4 + ["log"] * 4


def test_table_digits_rounds_what_is_not_exact() -> None:
    """--digits 5 gives the lecture's numbers for log a at 2 (f(2) ≈ 0.69315, f(2.001) ≈
    0.69365); exact values keep every digit. Expected values come from Decimal at 50 digits."""
    from decimal import Decimal, localcontext

    with localcontext() as ctx:
        ctx.prec = 50
        f2, f2001 = Decimal(2).ln(), Decimal("2.001").ln()
        ctx.prec = 5
        expected = [str(+f2), str(+f2001), str(+(f2001 - f2)), str(+((f2001 - f2) * 1000))]
    result = CliRunner().invoke(
        cli, ["table", "log", "--at", "2", "--nudge", "0.001", "--digits", "5", "--format", "json"]
    )
    row = json.loads(result.stdout)["rows"][0]
    assert [row[k] for k in ("f_a", "f_a_plus_da", "df", "ratio")] == expected
    assert expected[:2] == ["0.69315", "0.69365"]
    assert row["slope"] == "0.5" and json.loads(result.stdout)["significant_digits"] == 5
    square = CliRunner().invoke(cli, ["table", "square", "--at", "2", "--digits", "2"])
    assert "4.004001" in square.stdout  # exact: not rounded
