"""The computation-graph part kind: read from a lesson file (errors at file:line), its
steps' captions, its `lessonkit table`, and its box layout, checked against the lecture's
numbers computed here with Fraction (J = 3(a + bc) at a = 5, b = 3, c = 2)."""

from __future__ import annotations

import json
import random
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner

from lessonkit.base.errors import LessonError
from lessonkit.cli import cli
from lessonkit.lesson.lessonfile import load_lesson
from lessonkit.lesson.storyboard import lesson_steps
from lessonkit.parts.graph.layout import AREA, PANEL_TOP, layout_graph, name_typst

ROOT = Path(__file__).resolve().parents[1]
LECTURE = ROOT / "lessons" / "computation-graph.toml"


def lesson_file(tmp_path: Path, *part: str) -> Path:
    path = tmp_path / "g.toml"
    path.write_text('title = "G"\n\n[[part]]\n' + "\n".join(part) + "\n", encoding="utf-8")
    return path


GRAPH = ('graph = ["u = b c", "v = a + u", "J = 3 v"]', "inputs = { a = 5, b = 3, c = 2 }")


def J(a: Fraction, b: Fraction, c: Fraction) -> Fraction:
    return 3 * (a + b * c)


def test_the_lecture_reads_and_plays_its_steps_in_order() -> None:
    lesson = load_lesson(LECTURE)
    graph = lesson.parts[0]
    assert (graph.kind, graph.output, graph.show) == ("graph", "J", ("v", "a", "u", "b", "c"))
    steps = [s for s in lesson_steps(lesson) if s.part_kind == "graph"]
    names = [s.name for s in steps]
    assert names[:4] == ["graph-build", "graph-forward", "graph-nudge-v", "graph-chain-v"]
    assert names[-2:] == ["graph-nudge-c", "graph-chain-c"]
    captions = {s.name: s.caption for s in steps}
    assert captions["graph-forward"] == "Left to right, the forward pass: u = 6, v = 11, J = 33."
    assert captions["graph-nudge-v"] == (
        "Nudge v from 11 to 11.001: J moves from 33 to 33.003, so ΔJ/Δv = 3."
    )
    assert "dJ/db = dJ/du · ∂u/∂b = 3 · 2 = 6" in captions["graph-chain-b"]
    assert "dJ/dc = dJ/du · ∂u/∂c = 3 · 3 = 9" in captions["graph-chain-c"]


def test_the_table_holds_every_nudged_value_and_derivative() -> None:
    result = CliRunner().invoke(cli, ["table", str(LECTURE), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = {r["node"]: r for r in json.loads(result.output)["derivatives"]}
    a, b, c, h = Fraction(5), Fraction(3), Fraction(2), Fraction(1, 1000)
    nudged_inputs = {"a": (a + h, b, c), "b": (a, b + h, c), "c": (a, b, c + h)}
    for name, args in nudged_inputs.items():
        assert Fraction(rows[name]["output_nudged"]) == J(*args)
        assert Fraction(rows[name]["ratio"]) == (J(*args) - J(a, b, c)) / h
    # intermediate nodes: v nudged moves J by 3h; u nudged moves v and J
    assert Fraction(rows["v"]["output_nudged"]) == 3 * (a + b * c + h)
    assert Fraction(rows["u"]["output_nudged"]) == 3 * (a + b * c + h)
    assert {k: rows[k]["derivative"] for k in rows} == {
        "v": "3",
        "a": "3",
        "u": "3",
        "b": str(3 * c),
        "c": str(3 * b),
    }
    assert rows["b"]["chain"] == "3 · 2" and rows["c"]["chain"] == "3 · 3"


def test_the_text_table_lists_the_forward_values() -> None:
    result = CliRunner().invoke(cli, ["table", str(LECTURE)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert [ln.split()[0] for ln in lines[1:7]] == ["a", "b", "c", "u", "v", "J"]
    assert [ln.rsplit(" = ", 1)[1] for ln in lines[1:7]] == ["5", "3", "2", "6", "11", "33"]


@pytest.mark.parametrize(
    ("rows", "line", "message"),
    [
        (
            (
                'graph = ["u = b c", "v = a + u", "J = 3 v"]',
                "inputs = { a = 5, b = 3 }",
                'output = "J"',
            ),
            4,
            "c",
        ),
        ((*GRAPH, 'output = "K"'), 6, "K"),
        ((*GRAPH, 'output = "J"', 'show = ["v", "w"]'), 7, "no node 'w'"),
        ((*GRAPH, 'output = "J"', "nudge = 0"), 7, "nudge"),
        (('graph = ["u = v", "v = u + a"]', "inputs = { a = 1 }", 'output = "v"'), 4, "u"),
    ],
    ids=["unknown name", "output not a node", "show unknown node", "zero nudge", "cycle"],
)
def test_errors_name_the_file_and_line(
    tmp_path: Path, rows: tuple[str, ...], line: int, message: str
) -> None:
    path = lesson_file(tmp_path, *rows)
    with pytest.raises(LessonError) as exc:
        load_lesson(path)
    text = str(exc.value)
    assert text.startswith(f"{path}:{line}:"), text
    assert message in text and "\n" not in text


def test_layout_keeps_boxes_apart_and_inside_for_up_to_twelve_nodes() -> None:
    rng = random.Random(20)
    for _ in range(300):
        n = rng.randint(2, 12)
        depths = sorted([0] * rng.randint(1, 3) + [rng.randint(1, 5) for _ in range(n)])[:n]
        depths = [d if d <= i else i for i, d in enumerate(depths)]
        names = [f"n{i}" for i in range(len(depths))]
        lengths = [rng.randint(1, 60) for _ in names]  # the longest line of each box
        lay = layout_graph(names, depths, lengths)
        x0, y0, x1, y1 = AREA
        boxes = [lay.box(k) for k in names]
        for bx0, by0, bx1, by1 in boxes:
            assert x0 - 1e-9 <= bx0 and bx1 <= x1 + 1e-9 and by0 >= PANEL_TOP + 0.4 - 1e-9
            assert y0 - 1e-9 <= by0 and by1 <= y1 + 1e-9
        for i, p in enumerate(boxes):
            for q in boxes[i + 1 :]:
                apart = p[2] <= q[0] or q[2] <= p[0] or p[3] <= q[1] or q[3] <= p[1]
                assert apart, (depths, p, q)


def test_names_print_as_typst_math() -> None:
    assert [name_typst(n) for n in ("a", "w1", "yhat", "loss", "J")] == [
        "a",
        "w_1",
        "hat(y)",
        'italic("loss")',
        "J",
    ]
