"""The axes are named a and f(a) clear of everything else; tick marks, numbers and names give
way as the camera zooms in, and come back."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(scope="module")
def graph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    from manim import tempconfig

    from lessonkit.maths.layout import layout_for
    from lessonkit.maths.lookup import get_function
    from lessonkit.parts.nudge.graph import FunctionGraph

    media = tmp_path_factory.mktemp("graph-media")
    with tempconfig({"media_dir": str(media), "verbosity": "WARNING"}):
        fn = get_function("log")
        yield FunctionGraph(fn, layout_for(fn.window))


@pytest.mark.parametrize(
    ("zoom", "opacity"), [(1.0, 1.0), (1.125, 0.5), (1.2, 0.0), (2.5, 0.0), (1000, 0.0),
                                               (1.0, 1.0)])
def test_ticks_fade_with_zoom(graph: object, zoom: float, opacity: float) -> None:
    graph.fade_ticks(zoom)  # type: ignore[attr-defined]
    for axis in (graph.axes.x_axis, graph.axes.y_axis):  # type: ignore[attr-defined]
        assert axis.numbers[0].get_fill_opacity() == pytest.approx(opacity)
        assert axis.ticks[0].get_stroke_opacity() == pytest.approx(opacity)
    for name in graph.axis_names:  # type: ignore[attr-defined]
        for glyph in name.family_members_with_points():
            assert glyph.get_fill_opacity() == pytest.approx(opacity)
    assert graph.curve.get_stroke_opacity() == 1.0  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", ["linear", "square", "cube", "log", "sin(a)", "a^3 - 2a"])
def test_axis_names_are_clear_of_ticks_label_curve_and_panel(graph: object, name: str) -> None:
    from lessonkit.draw.placement import overlaps
    from lessonkit.maths.layout import layout_for
    from lessonkit.maths.lookup import get_function
    from lessonkit.parts.nudge.graph import FunctionGraph
    from lessonkit.parts.nudge.readouts import PANEL_LEFT

    fn = get_function(name)
    g = FunctionGraph(fn, layout_for(fn.window), fn.points)
    x_name, y_name = g.axis_names
    assert x_name.typst_code.strip().strip("$").strip() == "a"
    assert y_name.typst_code.strip().strip("$").strip() == "f(a)"
    curve = g.curve.points
    for mob in (x_name, y_name):
        assert mob in g.axes.get_family()  # drawn and faded with the axes
        assert not overlaps(mob, g.label), name
        for numbers in g.tick_labels():
            assert not any(overlaps(mob, n, pad=0.02) for n in numbers), name
        lo, hi = mob.get_corner([-1, -1, 0]), mob.get_corner([1, 1, 0])
        inside = (curve[:, 0] > lo[0]) & (curve[:, 0] < hi[0])
        inside &= (curve[:, 1] > lo[1]) & (curve[:, 1] < hi[1])
        assert not inside.any(), name
        assert mob.get_right()[0] < PANEL_LEFT - 0.1 and abs(mob.get_top()[1]) < 4, name
