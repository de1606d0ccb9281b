"""The zoom rule: the nudge triangle fills its share of the picture, inside the frame and clear
of the readout panel, at every step of every default clip and at user-like points.

Pure geometry (no rendering). The rig animates log10 Δa and log(frame width) together with
one rate function, so a zoom's in-between states are `lerp(alpha)` of both; those are checked
too, because the issue asks that nothing leaves the frame "at any step, at any zoom".
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import pytest

from lessonkit.lesson.lessonfile import default_lesson
from lessonkit.lesson.spec import ClipSpec, clip_spec
from lessonkit.maths.layout import (
    FRAME_HEIGHT,
    FRAME_WIDTH,
    TRIANGLE_FILL,
    ZOOM_LADDER,
    Layout,
    layout_for,
    round_zoom,
)
from lessonkit.maths.nudge import nudge
from lessonkit.parts.nudge.readouts import PANEL_LEFT

SPECS = {
    "recap linear 2,4": lambda: default_lesson().clips[0],
    "square 2,5": lambda: clip_spec("square"),
    "cube 2": lambda: clip_spec("cube"),
    "log 2": lambda: clip_spec("log"),
    "linear 2": lambda: clip_spec("linear"),
    "square 10": lambda: clip_spec("square", ["10"]),
    "log 0.5": lambda: clip_spec("log", ["0.5"]),
    "cube -1": lambda: clip_spec("cube", ["-1"]),
    "log 0.1": lambda: clip_spec("log", ["0.1"]),
    "square 2,5 nudges 2,1,0.5": lambda: clip_spec("square", ["2", "5"], ["2", "1", "0.5"]),
    "cube 2 nudges 1,1e-6": lambda: clip_spec("cube", ["2"], ["1", "0.000001"]),
}

#: Where the panel starts, as a fraction of the frame's width from its centre: the panel is
#: authored at x = PANEL_LEFT on the un-zoomed frame and scales with the camera.
PANEL_FRACTION = PANEL_LEFT / FRAME_WIDTH
EPS = 1e-9


def states(spec: ClipSpec) -> Iterator[tuple[str, float, float, float, float, float]]:
    """(label, a, f(a), Δa, Δf, frame width) for each resting zoom of the clip."""
    for i, a in enumerate(spec.points):
        for row in spec.rows(i):
            da, df = float(row.da), float(row.df)
            width = layout_for(spec.window).zoom_width(da, df)
            yield f"a={row.a.text()} da={row.da.text()}", float(a), float(row.f_a), da, df, width


def cases() -> list[tuple[str, ClipSpec]]:
    return [(k, f()) for k, f in SPECS.items()]


@pytest.fixture(params=list(SPECS))
def spec(request: pytest.FixtureRequest) -> ClipSpec:
    return SPECS[request.param]()


def triangle(
    layout: Layout, a: float, fa: float, da: float, df: float
) -> list[tuple[float, float]]:
    return [layout.to_scene(a, fa), layout.to_scene(a + da, fa), layout.to_scene(a + da, fa + df)]


def check_visible(layout: Layout, a: float, fa: float, da: float, df: float, width: float,
                  where: str) -> None:
    """The triangle's corners lie in the picture and left of the panel."""
    height = width * FRAME_HEIGHT / FRAME_WIDTH
    cx, cy = layout.camera_center(a, fa, da, df, width)
    tol = EPS * width
    for x, y in triangle(layout, a, fa, da, df):
        assert cx - width / 2 - tol <= x, f"{where}: corner left of the frame"
        assert y <= cy + height / 2 + tol, f"{where}: corner above the frame"
        assert cy - height / 2 - tol <= y, f"{where}: corner below the frame"
        panel_x = cx + PANEL_FRACTION * width
        assert x <= panel_x + tol, f"{where}: corner {x:.6g} under the panel (starts {panel_x:.6g})"


#: the most a round zoom can miss the intended one by: half a rung (4/3 apart) on a log scale
RUNG = math.sqrt(4 / 3) + 1e-9


def test_zoom_width_fills_the_intended_fraction(spec: ClipSpec) -> None:
    """The triangle fills TRIANGLE_FILL of the picture, give or take the rounding of the
    zoom to a round number."""
    layout = layout_for(spec.window)
    for where, _, _, da, df, width in states(spec):
        assert 0 < width <= FRAME_WIDTH, where
        height = width * FRAME_HEIGHT / FRAME_WIDTH
        fill = max(abs(da) * layout.x_unit / width, abs(df) * layout.y_unit / height)
        if width < FRAME_WIDTH:
            assert TRIANGLE_FILL / RUNG <= fill <= TRIANGLE_FILL * RUNG, (where, fill)
        else:  # a nudge too big to zoom in on: shown at full view, bigger than the target
            assert fill >= TRIANGLE_FILL / RUNG, where


def test_resting_zooms_are_round_numbers(spec: ClipSpec) -> None:
    """What the zoom badge shows at rest is the true zoom: 1-1.2-1.5-2-2.5-3-4-5-6-8."""
    for where, _, _, _, _, width in states(spec):
        zoom = FRAME_WIDTH / width
        assert round_zoom(zoom) == pytest.approx(zoom, rel=1e-12), where
        mantissa = zoom / 10 ** math.floor(math.log10(zoom) + 1e-12)
        assert any(mantissa == pytest.approx(m) for m in ZOOM_LADDER), (where, zoom)


@pytest.mark.parametrize(
    ("zoom", "rounded"),
    [(0.3, 1), (1.0, 1), (1.09, 1), (1.1, 1.2), (2.6, 2.5), (9.4, 10), (29.96, 30),
     (835, 800), (1337, 1200), (2498, 2500), (2998.4, 3000), (3.6e11, 4e11)],
)
def test_round_zoom(zoom: float, rounded: float) -> None:
    assert round_zoom(zoom) == pytest.approx(rounded, rel=1e-12)


def test_zoom_width_shrinks_with_the_nudge(spec: ClipSpec) -> None:
    """Each smaller nudge zooms further in (or stays at full view)."""
    layout = layout_for(spec.window)
    for i in range(len(spec.points)):
        widths = [layout.zoom_width(float(r.da), float(r.df)) for r in spec.rows(i)]
        assert all(b <= a + 1e-12 for a, b in zip(widths, widths[1:], strict=False)), widths


@pytest.mark.parametrize("da, df", [(1, 5), (1000, 10**6), (1e-12, 4e-12), (0.5, 0), (2, -3)])
def test_zoom_width_never_exceeds_the_frame(da: float, df: float) -> None:
    layout = layout_for(clip_spec("square").window)
    width = layout.zoom_width(da, df)
    assert 0 <= width <= FRAME_WIDTH


def test_camera_center_at_full_width_is_the_origin(spec: ClipSpec) -> None:
    layout = layout_for(spec.window)
    for where, a, fa, da, df, _ in states(spec):
        cx, cy = layout.camera_center(a, fa, da, df, FRAME_WIDTH)
        assert (cx, cy) == (pytest.approx(0, abs=1e-12), pytest.approx(0, abs=1e-12)), where


def test_triangle_is_visible_and_left_of_the_panel_at_rest(spec: ClipSpec) -> None:
    layout = layout_for(spec.window)
    for where, a, fa, da, df, width in states(spec):
        check_visible(layout, a, fa, da, df, width, where)
        # the same nudge at the full view (as it first appears, and after zooming out)
        check_visible(layout, a, fa, da, df, FRAME_WIDTH, where + " full view")


def test_triangle_stays_visible_during_each_zoom(spec: ClipSpec) -> None:
    """In between rest states: log Δa and log width move together (one rate function)."""
    layout = layout_for(spec.window)
    fn = spec.function
    for i, a in enumerate(spec.points):
        rows = spec.rows(i)
        a_f, fa = float(a), float(fn.value(a))
        # the nudge step zooms in from the full view; each shrink from the last zoom
        legs = [(float(rows[0].da), FRAME_WIDTH)]
        legs += [(float(r.da), layout.zoom_width(float(r.da), float(r.df))) for r in rows]
        for (d0, w0), (d1, w1) in zip(legs, legs[1:], strict=False):
            for k in range(21):
                t = k / 20
                da = 10 ** ((1 - t) * math.log10(d0) + t * math.log10(d1))
                width = math.exp((1 - t) * math.log(w0) + t * math.log(w1))
                df = fn(a_f + da) - fn(a_f)
                check_visible(layout, a_f, fa, da, df, width,
                              f"a={a_f} zoom {d0}->{d1} at t={t:.2f}")


def test_to_scene_maps_the_window_onto_the_axes_box() -> None:
    spec = clip_spec("square")
    layout = layout_for(spec.window)
    w = spec.window
    x0, y0 = layout.to_scene(w.x_min, w.y_min)
    x1, y1 = layout.to_scene(w.x_max, w.y_max)
    assert x1 - x0 == pytest.approx(layout.axes_width)
    assert y1 - y0 == pytest.approx(layout.axes_height)
    assert ((x0 + x1) / 2, (y0 + y1) / 2) == pytest.approx(layout.graph_center)
    # the axes box sits left of the panel and inside the full frame
    assert x1 < PANEL_LEFT and x0 > -FRAME_WIDTH / 2
    assert y0 > -FRAME_HEIGHT / 2 and y1 < FRAME_HEIGHT / 2


@pytest.mark.parametrize("label, spec", cases(), ids=[k for k, _ in cases()])
def test_every_point_and_first_nudge_fit_the_window(label: str, spec: ClipSpec) -> None:
    """The widened window holds each point and its biggest nudge (drawn at full view)."""
    w = spec.window
    for a in spec.points:
        row = nudge(spec.function, a, spec.schedule[0])
        for x, y in ((row.a, row.f_a), (row.a + row.da, row.f_a_da)):
            assert w.x_min <= float(x) <= w.x_max, (label, float(x))
            assert w.y_min <= float(y) <= w.y_max, (label, float(y))
