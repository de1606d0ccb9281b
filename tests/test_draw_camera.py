"""The zoom camera's shortcuts draw the same picture as the plain way of drawing it.

Each shortcut (the HUD layer, the cached subpaths, culling what the view cannot see, skipping
invisible mobjects) is switched off by monkeypatching and the two pictures are compared
pixel by pixel; the readout's own layout is compared with DecimalNumber's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

W, H = 320, 180


@pytest.fixture(scope="module")
def manim_config(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    from manim import tempconfig

    media = tmp_path_factory.mktemp("camera-media")
    with tempconfig(
        {"media_dir": str(media), "verbosity": "WARNING", "pixel_width": W, "pixel_height": H}
    ):
        yield media


def _camera() -> Any:
    from lessonkit.draw.camera import ZoomCamera
    from lessonkit.draw.palette import BACKGROUND

    return ZoomCamera(background_color=BACKGROUND)


def _picture(camera: Any, mobjects: list[Any]) -> np.ndarray:
    camera.reset()
    camera.capture_mobjects(mobjects)
    return np.asarray(camera.pixel_array[:, :, :3], dtype=np.int16).copy()


def _hud_panel() -> tuple[Any, Any]:
    """A pinned panel like the lesson's: a background, six labelled readouts."""
    from manim import RoundedRectangle, VGroup

    from lessonkit.draw.hud import FrameHud
    from lessonkit.parts.nudge.readouts import LabelledNumber

    background = RoundedRectangle(width=4, height=6, fill_opacity=1, fill_color="#222831")
    rows = [LabelledNumber(f"x_{i}", "#ffcc66", 30) for i in range(6)]
    for i, row in enumerate(rows):
        row.move_to([4.0, 2.5 - i * 0.8, 0])
        row.show(1.0 + i, f"{1.0 + i:.3f}")
    background.move_to([4.6, 0, 0])
    hud = FrameHud()
    hud.adopt(VGroup(background, *rows))
    return hud, rows


def _frames(camera: Any, hud: Any, rows: list[Any], world: list[Any]) -> list[np.ndarray]:
    """Five frames in which one readout changes and the rest hold still."""
    pictures = []
    for step in range(5):
        rows[2].show(3.0 + step * 0.125, f"{3.0 + step * 0.125:.3f}")
        pictures.append(_picture(camera, [*world, hud]))
    return pictures


def test_hud_layer_draws_what_direct_drawing_draws(
    manim_config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from manim import Circle

    from lessonkit.draw import hud_layer

    world = [Circle(radius=1.5, color="#66ccff").shift([-3, 0, 0])]
    hud, rows = _hud_panel()
    layered_camera = _camera()
    with_layer = _frames(layered_camera, hud, rows, world)
    layer = layered_camera._hud_layer
    assert layer is not None and layer.key  # the still members were drawn from the layer
    monkeypatch.setattr(hud_layer.HudLayer, "MIN_MEMBERS", 10**9)
    hud, rows = _hud_panel()
    direct = _frames(_camera(), hud, rows, world)
    for a, b in zip(with_layer, direct, strict=True):
        assert np.abs(a - b).max() <= 2  # compositing rounds an edge pixel by one or two
    assert np.abs(direct[0] - direct[-1]).max() > 50  # the changing readout did change


def test_hud_stays_put_while_the_camera_zooms(manim_config: Path) -> None:
    from manim import Circle

    hud, _ = _hud_panel()
    camera = _camera()
    world = [Circle(radius=0.5, color="#66ccff")]
    home = _picture(camera, [*world, hud])
    camera.frame.set(width=0.02).move_to([-3, 1, 0])  # a 700x zoom somewhere else
    zoomed = _picture(camera, [*world, hud])
    panel = np.s_[:, W // 2 + 20 :]  # the right-hand part of the picture holds the panel
    assert np.abs(home[panel] - zoomed[panel]).max() <= 2
    assert np.abs(home - zoomed).max() > 50  # the world part did change


def _curve() -> Any:
    from manim import ParametricFunction

    return ParametricFunction(
        lambda t: np.array([t, 0.4 * t * t - 2, 0]), t_range=[-4, 4, 0.01], use_smoothing=False
    ).set_stroke("#66ccff", 4)


@pytest.mark.parametrize("zoom", [1.0, 0.05, 0.002])
def test_culled_long_stroke_matches_the_whole_stroke(
    manim_config: Path, monkeypatch: pytest.MonkeyPatch, zoom: float
) -> None:
    from lessonkit.draw import camera as camera_module

    def at_zoom() -> Any:
        camera = _camera()
        camera.frame.set(width=camera.frame.width * zoom).move_to([1, 0.4 - 2, 0])
        return camera

    curve = _curve()
    assert len(curve.points) // 4 >= camera_module.CULL_MIN_CURVES
    culled = _picture(at_zoom(), [curve])
    monkeypatch.setattr(camera_module, "CULL_MIN_CURVES", 10**9)
    whole = _picture(at_zoom(), [curve])
    assert np.abs(culled - whole).max() <= 1
    assert (np.abs(whole - whole[0, 0]).max(axis=2) > 60).sum() > 100  # the curve is there


def test_cached_subpaths_follow_new_points(manim_config: Path) -> None:
    from manim import MathTypst

    camera = _camera()
    glyphs = MathTypst("8 = 0", font_size=60)
    first = _picture(camera, [glyphs])
    glyphs.shift([2, 0, 0])
    moved = _picture(camera, [glyphs])
    fresh = _picture(_camera(), [MathTypst("8 = 0", font_size=60).shift([2, 0, 0])])
    assert np.abs(moved - fresh).max() <= 1
    assert np.abs(first - moved).max() > 50


def test_invisible_mobjects_are_skipped_but_faint_ones_drawn(manim_config: Path) -> None:
    from manim import Square

    camera = _camera()
    empty = _picture(camera, [])
    hidden = Square(2).set_fill(opacity=0).set_stroke(opacity=0)
    assert np.array_equal(_picture(camera, [hidden]), empty)
    faint = Square(2).set_fill("#ffffff", opacity=0.2).set_stroke(width=0)
    assert np.abs(_picture(camera, [faint]) - empty).max() > 20


TEXTS = ["4.004001", "0.5", "-0.25", "12", "-3.000012"]


@pytest.mark.parametrize("scale", [1.0, 0.001])
def test_readout_layout_matches_decimal_number(manim_config: Path, scale: float) -> None:
    from manim import DecimalNumber

    from lessonkit.parts.nudge.live_number import LiveNumber

    ours, theirs = LiveNumber(36), LiveNumber(36)
    for n in (ours, theirs):
        n.scale(scale).move_to([1.5, -0.5, 0])
    relayout: Callable[[float], Any] = DecimalNumber.set_value.__get__(theirs)
    for text in TEXTS:
        ours.show(float(text), 0, text)
        theirs._shown = text
        relayout(float(text))
        assert len(ours.submobjects) == len(theirs.submobjects) == len(text)
        for a, b in zip(ours.submobjects, theirs.submobjects, strict=True):
            assert np.allclose(a.get_center(), b.get_center(), atol=1e-3 * scale)
            assert np.isclose(a.height, b.height, rtol=1e-3)


def _zoomed_lesson_frame(camera: Any, zoom_to: int, with_world: bool) -> np.ndarray:
    """The log clip at a=2, its nudge shrunk to the row `zoom_to` (camera zoomed on it),
    drawn with the panel in the HUD, with or without the picture under it."""
    from lessonkit.draw.hud import FrameHud
    from lessonkit.lesson.spec import clip_spec
    from lessonkit.maths.layout import layout_for
    from lessonkit.parts.nudge.graph import FunctionGraph
    from lessonkit.parts.nudge.readouts import ReadoutPanel
    from lessonkit.parts.nudge.rig import NudgeRig

    spec = clip_spec("log")
    rows = spec.rows(0)
    graph = FunctionGraph(spec.function, layout_for(spec.window), spec.points)
    panel = ReadoutPanel(rows[0])
    rig = NudgeRig(camera.frame, graph, panel, rows[0], 2.0)
    row = rows[zoom_to]
    rig.set_nudge(row)
    rig.log_w.set_value(np.log(rig.layout.zoom_width(float(row.da), float(row.df))))
    rig.refresh()
    hud = FrameHud().adopt(panel, rig.badge)
    panel.add(panel.nudge_rows)
    world = [graph.axes, graph.curve, rig.secant, rig.tangent, *rig.legs, rig.dot, rig.tip,
             rig.labels]
    return _picture(camera, [*world, hud] if with_world else [hud])


@pytest.mark.parametrize("row", [0, 1, 3])
def test_panel_covers_the_picture_at_every_zoom(manim_config: Path, row: int) -> None:
    """Nothing of the picture (curve, secant, axis) shows on, beside or above the panel:
    right of its left border the frame is the HUD alone, pixel for pixel."""
    from lessonkit.maths.layout import FRAME_WIDTH
    from lessonkit.parts.nudge.readouts import PANEL_LEFT

    with_world = _zoomed_lesson_frame(_camera(), row, with_world=True)
    hud_only = _zoomed_lesson_frame(_camera(), row, with_world=False)
    border = int((PANEL_LEFT - 0.1 + FRAME_WIDTH / 2) / FRAME_WIDTH * W)
    panel = np.s_[:, border + 1 :]
    assert np.abs(with_world[panel] - hud_only[panel]).max() <= 2
    left = np.s_[:, : border - 2]
    assert np.abs(with_world[left] - hud_only[left]).max() > 50  # the picture is there
