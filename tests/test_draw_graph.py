"""The graph's tick marks and numbers give way as the camera zooms in, and come back."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(scope="module")
def graph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    from manim import tempconfig

    from lessonkit.draw.graph import FunctionGraph
    from lessonkit.functions import get_function
    from lessonkit.layout import layout_for

    media = tmp_path_factory.mktemp("graph-media")
    with tempconfig({"media_dir": str(media), "verbosity": "WARNING"}):
        fn = get_function("log")
        yield FunctionGraph(fn, layout_for(fn.window))


@pytest.mark.parametrize(("zoom", "opacity"), [(1.0, 1.0), (1.3, 0.5), (2.5, 0.0), (1000, 0.0),
                                               (1.0, 1.0)])
def test_ticks_fade_with_zoom(graph: object, zoom: float, opacity: float) -> None:
    graph.fade_ticks(zoom)  # type: ignore[attr-defined]
    for axis in (graph.axes.x_axis, graph.axes.y_axis):  # type: ignore[attr-defined]
        assert axis.numbers[0].get_fill_opacity() == pytest.approx(opacity)
        assert axis.ticks[0].get_stroke_opacity() == pytest.approx(opacity)
    assert graph.curve.get_stroke_opacity() == 1.0  # type: ignore[attr-defined]
