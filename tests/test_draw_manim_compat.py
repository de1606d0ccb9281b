"""lessonkit.draw.manim_compat: every override of Manim's own code draws what plain Manim draws.

Each test draws the same mobjects with the patched class and with Manim's own (MovingCamera,
MovingCameraScene, DecimalNumber) and compares the pictures pixel by pixel, or the values
the override stands in for. The two file patches (the Typst cache, the SVG parse) are
compared in test_faults.py, ZoomCamera's own shortcuts in test_draw_camera.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

W, H = 320, 180
BACKGROUND = "#1b1f27"


@pytest.fixture(scope="module")
def manim_config(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    from manim import tempconfig

    media = tmp_path_factory.mktemp("compat-media")
    with tempconfig(
        {"media_dir": str(media), "verbosity": "WARNING", "pixel_width": W, "pixel_height": H}
    ):
        yield media


def _cameras(width: float | None = None, center: tuple[float, float] = (0, 0)) -> tuple[Any, Any]:
    """The patched camera and Manim's MovingCamera, both looking at the same view."""
    from manim import MovingCamera

    from lessonkit.draw.manim_compat import PatchedMovingCamera

    cameras = (
        PatchedMovingCamera(background_color=BACKGROUND),
        MovingCamera(background_color=BACKGROUND),
    )
    for camera in cameras:
        if width is not None:
            camera.frame.set(width=width)
        camera.frame.move_to([*center, 0])
    return cameras


def _picture(camera: Any, mobjects: list[Any]) -> np.ndarray:
    camera.reset()
    camera.capture_mobjects(mobjects)
    return np.asarray(camera.pixel_array[:, :, :3], dtype=np.int16).copy()


def _drawn(picture: np.ndarray) -> int:
    """How many pixels differ from the background: the test drew something."""
    return int((np.abs(picture - picture[0, 0]).max(axis=2) > 40).sum())


def _shapes() -> list[Any]:
    """Filled shapes, no strokes: a square, a disc and typeset glyphs near (1, 0.5)."""
    from manim import Circle, MathTypst, Square

    return [
        Square(0.4).set_fill("#ffcc66", 1).set_stroke(width=0).move_to([0.8, 0.45, 0]),
        Circle(0.15).set_fill("#66ccff", 1).set_stroke(width=0).move_to([1.25, 0.6, 0]),
        MathTypst("f(a) = 3", font_size=12).move_to([1.05, 0.3, 0]),
    ]


@pytest.mark.parametrize("width", [None, 1.4])
def test_view_relative_drawing_matches_moving_camera(manim_config: Path, width: float) -> None:
    """Points reach Cairo relative to the view (get_cairo_context, transform_points_pre_display,
    set_cairo_context_path with its cached subpaths): the same picture at home and at 10x."""
    ours, plain = _cameras(width, (1.0, 0.45) if width else (0, 0))
    a, b = _picture(ours, _shapes()), _picture(plain, _shapes())
    assert np.abs(a - b).max() <= 2
    assert _drawn(b) > 100


def test_frame_is_read_once_per_capture_and_is_moving_cameras(manim_config: Path) -> None:
    """The frame_center/width/height snapshot holds MovingCamera's own values during a
    capture, and reads them live outside one."""
    from manim import MovingCamera, Square

    ours, _ = _cameras(2.5, (1.5, -0.5))
    seen: list[tuple[Any, ...]] = []

    def draw_shown(shown: list[Any]) -> None:
        ours.frame.shift([5, 5, 0])  # moved mid-capture: the snapshot does not follow
        seen.append((ours.frame_center.copy(), ours.frame_width, ours.frame_height))
        ours.frame.shift([-5, -5, 0])

    live = (
        MovingCamera.frame_center.fget(ours).copy(),  # type: ignore[attr-defined]
        MovingCamera.frame_width.fget(ours),  # type: ignore[attr-defined]
        MovingCamera.frame_height.fget(ours),  # type: ignore[attr-defined]
    )
    ours.draw_shown = draw_shown
    ours.capture_mobjects([Square()])
    assert np.allclose(seen[0][0], live[0]) and seen[0][1:] == pytest.approx(live[1:])
    assert ours._view is None
    ours.frame.shift([1, 0, 0])
    assert np.allclose(ours.frame_center, MovingCamera.frame_center.fget(ours))  # type: ignore[attr-defined]


@pytest.mark.parametrize("zoom", [1.0, 0.1])
def test_strokes_keep_their_width_in_pixels(manim_config: Path, zoom: float) -> None:
    """apply_stroke: a stroke of width w at zoom 1/z is what MovingCamera draws with w*z
    (its own correction leaves the width in scene units, so it widens with the zoom)."""
    from manim import Line, config

    width = config["frame_width"] * zoom

    def line(stroke: float) -> Any:
        return Line([-0.3, -0.1, 0], [0.35, 0.12, 0]).set_stroke("#ffffff", stroke)

    ours, plain = _cameras(width)
    a, b = _picture(ours, [line(4)]), _picture(plain, [line(4 * zoom)])
    assert np.abs(a - b).max() <= 2
    assert _drawn(a) > 10


def test_hud_is_drawn_at_the_home_view(manim_config: Path) -> None:
    """display_vectorized: a pinned mobject seen by a zoomed camera is drawn where plain
    Manim draws it at the home view, with its home stroke width."""
    from manim import RoundedRectangle

    from lessonkit.draw.hud import pin

    def panel() -> Any:
        return (
            RoundedRectangle(width=3, height=2, corner_radius=0.2)
            .set_fill("#222831", 1)
            .set_stroke("#ffcc66", 3)
            .move_to([4, 1.5, 0])
        )

    zoomed, _ = _cameras(0.05, (-3, -1))
    _, home = _cameras()
    a, b = _picture(zoomed, [pin(panel())]), _picture(home, [panel()])
    assert np.abs(a - b).max() <= 2
    assert _drawn(b) > 150


@pytest.mark.parametrize("width", [None, 2.0])
def test_point_clouds_land_where_moving_camera_puts_them(manim_config: Path, width: float) -> None:
    """points_to_subpixel_coords: points placed by pixel coordinates (not by Cairo's
    matrix) land where MovingCamera puts them, at home and zoomed."""
    from manim import PMobject

    grid = [[x, y, 0] for x in np.linspace(0.2, 1.0, 30) for y in np.linspace(0.1, 0.6, 20)]

    def cloud() -> Any:
        return PMobject(stroke_width=4).add_points(np.array(grid), color="#ffcc66")

    ours, plain = _cameras(width, (0.5, 0.3))
    a, b = _picture(ours, [cloud()]), _picture(plain, [cloud()])
    assert np.abs(a - b).max() <= 2
    assert _drawn(b) > 200


# -- the scene -------------------------------------------------------------------------------
def _played(base: Any, cut: bool, skip: bool) -> tuple[Any, np.ndarray]:
    """A scene of `base` that adds a square, fades in a disc and adds a dot, as a step of a
    storyboard does: the scene, and its frame now (`frame_now` for the patched scene, else
    Manim's own last frame)."""
    from manim import Circle, FadeIn, Square

    class Played(base):  # type: ignore[misc, valid-type]
        def construct(self) -> None:
            self.add(Square(1.5).set_fill("#ffcc66", 0.8).shift([-2, 0, 0]))
            self.play(FadeIn(Circle(1).set_fill("#66ccff", 1).shift([2, 0, 0])), run_time=0.5)
            if self.renderer.skip_animations:
                self.add(Circle(0.4).set_fill("#ff6666", 1).shift([0, -2, 0]))

    scene = Played()
    scene.cut_animations = cut
    scene.renderer.skip_animations = skip
    scene.renderer._original_skipping_status = skip
    scene.setup()
    scene.construct()
    frame = scene.frame_now() if hasattr(scene, "frame_now") else scene.renderer.get_frame()
    return scene, np.asarray(frame[:, :, :3], dtype=np.int16)


def test_a_played_scene_ends_on_moving_camera_scenes_frame(manim_config: Path) -> None:
    """get_moving_and_static_mobjects: with animations cut nothing is kept as a static
    background, and the last frame is still the one Manim's own scene shows."""
    from manim import MovingCameraScene, tempconfig

    from lessonkit.draw.manim_compat import PatchedMovingCameraScene

    with tempconfig({"write_to_movie": False, "frame_rate": 4, "disable_caching": True}):
        _, plain = _played(MovingCameraScene, cut=False, skip=False)
        scene, cut = _played(PatchedMovingCameraScene, cut=True, skip=False)
        _, uncut = _played(PatchedMovingCameraScene, cut=False, skip=False)
        moving, static = scene.get_moving_and_static_mobjects([])
    assert static == [] and moving
    assert np.abs(cut - plain).max() <= 2 and np.abs(uncut - plain).max() <= 2
    assert _drawn(plain) > 500


def test_frame_now_after_skipped_plays_is_the_scene_as_it_stands(manim_config: Path) -> None:
    """frame_now: after plays with animations skipped (a storyboard) the frame is the scene
    drawn afresh by plain Manim, not the stale background of the last play."""
    from manim import MovingCamera, tempconfig

    from lessonkit.draw.manim_compat import PatchedMovingCameraScene

    with tempconfig({"write_to_movie": False, "frame_rate": 4, "disable_caching": True}):
        scene, still = _played(PatchedMovingCameraScene, cut=True, skip=True)
        camera = MovingCamera()
        fresh = _picture(camera, list(scene.mobjects))
    assert np.abs(still - fresh).max() <= 2
    assert _drawn(fresh) > 500


# -- numbers ---------------------------------------------------------------------------------
TEXTS = ["4.004001", "-0.25", "12", "-3.000012"]


@pytest.mark.parametrize("text", TEXTS)
def test_live_number_draws_what_decimal_number_draws(manim_config: Path, text: str) -> None:
    """PatchedDecimalNumber (_relayout, _get_num_string, _string_to_mob, as LiveNumber uses
    them) draws the picture DecimalNumber draws for the same digits."""
    from manim import DecimalNumber, MathTypst

    from lessonkit.maths.numbers import decimal_places
    from lessonkit.parts.nudge.live_number import DIGIT_BUFF, LiveNumber

    places = decimal_places(text)
    ours = LiveNumber(36, "#ffcc66")
    ours.show(0.5, 1)  # laid out once before: the text shown replaces those glyphs
    ours.show(float(text), places, text)
    theirs = DecimalNumber(
        float(text),
        num_decimal_places=places,
        mob_class=MathTypst,
        group_with_commas=False,
        digit_buff_per_font_unit=DIGIT_BUFF,
        font_size=36,
        color="#ffcc66",
    )
    for n in (ours, theirs):
        n.move_to([0.5, -0.2, 0])
    _, camera = _cameras()
    a, b = _picture(camera, [ours]), _picture(camera, [theirs])
    assert np.abs(a - b).max() <= 2
    assert _drawn(b) > 20
