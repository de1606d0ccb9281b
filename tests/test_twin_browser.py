"""twin_math.js in real headless Chromium (Debian's /usr/bin/chromium via Playwright): the
activations' rows and kink records, as the explore page inlines the script, are what
`lessonkit table --format json --side right|left` prints.

tests/test_twin_math.py checks many more rows in node; this checks that a browser's
JavaScript (its BigInt, Math.log1p, Math.tanh) gives the very same texts.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lessonkit.lesson.spec import clip_spec
from lessonkit.maths.lookup import get_function
from lessonkit.maths.nudge import convergence_table
from lessonkit.parts.nudge.table import render_json
from lessonkit.parts.nudge.twin.functions import twin_function
from lessonkit.parts.nudge.twin.page import compact_script

pytestmark = pytest.mark.slow

MATH_JS = Path(__file__).resolve().parents[1] / "lessonkit/parts/nudge/twin/twin_math.js"

#: (function, a, Δa, digits, side): tails, exact points, and kinks from both sides
CASES = [
    ("sigmoid(a)", "0", "0.1", 10, "right"),
    ("sigmoid(a)", "40", "0.01", 10, "left"),
    ("sigmoid(a)", "-40", "0.5", 5, "right"),
    ("sigmoid(a)", "2.25", "0.001", 12, "left"),
    ("tanh(a)", "-20", "0.01", 10, "right"),
    ("tanh(a)", "0", "0.001", 10, "left"),
    ("tanh(a)", "0.75", "0.1", 5, "right"),
    ("relu(a)", "0", "0.1", 10, "right"),
    ("relu(a)", "0", "0.1", 10, "left"),
    ("relu(a)", "-1.5", "0.25", 10, "left"),
    ("abs(a)", "0", "0.001", 10, "left"),
    ("abs(a)", "0", "0.001", 10, "right"),
    ("|a - 1|", "1", "0.5", 10, "left"),
    ("max(0, a)", "0", "0.01", 10, "left"),
    ("max(0, a)", "0", "0.01", 10, "right"),
    ("min(a, 2a)", "0", "0.01", 10, "left"),
    ("softplus(a)", "0", "0.1", 10, "right"),
    ("softplus(a)", "-40", "0.1", 10, "left"),
    ("softplus(a)", "12.5", "1", 10, "right"),
    ("sigmoid(a)*(1-sigmoid(a))", "40", "0.1", 10, "right"),
]


def python_table(fn_text: str, a: str, da: str, digits: int, side: str) -> dict[str, Any]:
    """`lessonkit table FN --at A --nudge DA --digits D --side SIDE --format json`."""
    fn = get_function(fn_text)
    clip = clip_spec(fn, [a], [da], side=side)
    rows = convergence_table(fn, clip.points, clip.schedule, digits, side)
    table: dict[str, Any] = json.loads(render_json(fn, rows))
    return table


@pytest.fixture(scope="module")
def page(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A page holding twin_math.js as the explore page inlines it, and nothing else."""
    script = compact_script(MATH_JS.read_text(encoding="utf-8"))
    assert "</script" not in script.lower()
    path = tmp_path_factory.mktemp("twin") / "twin.html"
    path.write_text(
        f'<!doctype html><meta charset="utf-8"><title>twin</title><script>{script}</script>',
        encoding="utf-8",
    )
    p = browser.new_page()
    errors: list[str] = []
    p.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    p.on("pageerror", lambda e: errors.append(str(e)))
    p.goto(path.as_uri())
    yield p
    assert errors == []
    p.close()


CALL = """([spec, calls]) => calls.map(([name, ...args]) => {
  try { return { ok: LessonkitMath[name](spec, ...args) }; }
  catch (err) { return { error: String(err.message) }; }
})"""


def test_rows_and_kinks_in_chromium_match_render_json(page: Any) -> None:
    assert page.evaluate("typeof LessonkitMath.row + typeof LessonkitMath.kink") == (
        "functionfunction"
    )
    kinks = 0
    for fn_text, a, da, digits, side in CASES:
        spec = twin_function(get_function(fn_text))
        got = page.evaluate(CALL, [spec, [["row", a, da, digits, side], ["kink", a]]])
        want = python_table(fn_text, a, da, digits, side)
        assert got[0] == {"ok": want["rows"][0]}, (fn_text, a, da, side)
        assert got[1] == {"ok": want["kinks"][0] if want["kinks"] else None}, (fn_text, a)
        kinks += bool(want["kinks"])
    assert kinks >= 8  # relu, abs, |a - 1|, max and min at their corners


def test_the_default_side_is_the_right_and_errors_read_as_python(page: Any) -> None:
    spec = twin_function(get_function("relu(a)"))
    got = page.evaluate(CALL, [spec, [["row", "0", "0.1", 10], ["row", "0", "0.1", 10, "up"]]])
    assert got[0] == {"ok": python_table("relu(a)", "0", "0.1", 10, "right")["rows"][0]}
    assert got[1] == {"error": "side must be right or left, got up"}
    sqrt = twin_function(get_function("sqrt(relu(a))"))
    got = page.evaluate(CALL, [sqrt, [["row", "0", "0.1", 10, "left"], ["kink", "0"]]])
    assert got == [{"error": "f'(0+) is undefined"}, {"ok": None}]
