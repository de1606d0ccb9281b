"""Every text of every step, in English and in Korean, inside the frame: measured on the real
scene, step by step, as the storyboard plays it.

The lesson is played as a storyboard (animations cut to their end state). At the end of each
step every visible text (Typst words, MathTypst math, live numbers) is measured in screen
coordinates: content pinned to the HUD is drawn in home coordinates, the picture through the
zooming camera. A text must lie inside the frame, a readout inside the panel, and nothing in
the picture may hide under the panel or overlap another text.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from lessonkit.lesson.lessonfile import load_lesson, shipped_lesson_path

pytestmark = pytest.mark.slow

FRAME_W, FRAME_H = 14.2, 8.0
#: how far a text may poke past an edge (rounding of glyph outlines), in scene units
SLACK = 0.02


@dataclass(frozen=True)
class Box:
    """A text's bounding box in home (un-zoomed screen) coordinates."""

    step: str
    what: str
    hud: bool
    x0: float
    y0: float
    x1: float
    y1: float

    def inside(self, x0: float, y0: float, x1: float, y1: float) -> bool:
        return (
            self.x0 >= x0 - SLACK
            and self.y0 >= y0 - SLACK
            and self.x1 <= x1 + SLACK
            and self.y1 <= y1 + SLACK
        )

    def meets(self, other: Box | tuple[float, float, float, float]) -> bool:
        o = other if isinstance(other, tuple) else (other.x0, other.y0, other.x1, other.y1)
        return self.x0 < o[2] - SLACK and o[0] < self.x1 - SLACK and (
            self.y0 < o[3] - SLACK and o[1] < self.y1 - SLACK
        )


def _visible(mob: object) -> bool:
    members = [m for m in mob.family_members_with_points()]  # type: ignore[attr-defined]
    return any(
        m.fill_rgbas[:, 3].max(initial=0) > 0.05 or m.stroke_rgbas[:, 3].max(initial=0) > 0.05
        for m in members
        if m.points.size
    )


def measure(scene: object, step: str) -> list[Box]:
    """The boxes of the visible texts on the scene now."""
    from manim import DecimalNumber, MathTypst, Typst

    from lessonkit.draw.hud import HUD_FLAG

    frame = scene.camera.frame  # type: ignore[attr-defined]
    centre, scale = frame.get_center(), FRAME_W / frame.width
    boxes: list[Box] = []
    seen: set[int] = set()
    for top in scene.mobjects:  # type: ignore[attr-defined]
        for mob in top.get_family():
            if id(mob) in seen or not isinstance(mob, (Typst, MathTypst, DecimalNumber)):
                continue
            seen.update(id(m) for m in mob.get_family())
            points = [m.points for m in mob.family_members_with_points() if m.points.size]
            if not points or not _visible(mob):
                continue
            pts = np.concatenate(points)[:, :2]
            hud = bool(getattr(mob, HUD_FLAG, False))
            if not hud:
                pts = (pts - centre[:2]) * scale
            lo, hi = pts.min(axis=0), pts.max(axis=0)
            what = getattr(mob, "typst_code", None) or getattr(mob, "_shown", None) or type(
                mob
            ).__name__
            boxes.append(Box(step, str(what)[:60], hud, lo[0], lo[1], hi[0], hi[1]))
    return boxes


@pytest.fixture(scope="module", params=["en", "ko"])
def measured(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, list[list[Box]], list[str]]]:
    """Every step's text boxes for the shipped lesson in one language."""
    from manim import tempconfig

    from scenes.lesson import LessonPlayer

    lang: str = request.param
    lesson = load_lesson(shipped_lesson_path(), lang)
    media: Path = tmp_path_factory.mktemp(f"fit-{lang}")
    steps: list[list[Box]] = []
    names: list[str] = []
    cfg = {
        "media_dir": str(media),
        "pixel_width": 384,
        "pixel_height": 216,
        "write_to_movie": False,
        "save_last_frame": False,
        "verbosity": "CRITICAL",
        "progress_bar": "none",
    }
    with tempconfig(cfg):
        scene = LessonPlayer(lesson)

        def sink(index: int, name: str, rgba: object) -> None:
            names.append(name)
            steps.append(measure(scene, name))

        scene.still_sink = sink
        scene.renderer.skip_animations = True
        scene.renderer._original_skipping_status = True
        scene.cut_animations = True
        scene.render()
    yield lang, steps, names


def test_every_step_is_measured(measured: tuple[str, list[list[Box]], list[str]]) -> None:
    lang, steps, names = measured
    from lessonkit.lesson.storyboard import lesson_steps

    assert names == [s.name for s in lesson_steps(load_lesson(shipped_lesson_path(), lang))]
    assert all(steps), "a step showed no text at all"
    assert sum(len(s) for s in steps) > 200


def test_every_text_is_inside_the_frame(
    measured: tuple[str, list[list[Box]], list[str]],
) -> None:
    """Whatever the camera does, a text on screen is whole: inside the frame, or (a tick
    label the zoom left behind) wholly outside it."""
    lang, steps, _ = measured
    half_w, half_h = FRAME_W / 2, FRAME_H / 2
    bad = [
        b
        for boxes in steps
        for b in boxes
        if not b.inside(-half_w, -half_h, half_w, half_h)
        and (b.hud or b.meets((-half_w, -half_h, half_w, half_h)))
    ]
    assert bad == [], f"{lang}: texts leave the frame: {bad[:5]}"


def test_readouts_stay_inside_the_panel_and_nothing_hides_under_it(
    measured: tuple[str, list[list[Box]], list[str]],
) -> None:
    from lessonkit.parts.nudge.readouts import PANEL_BOTTOM, PANEL_LEFT, PANEL_RIGHT, PANEL_TOP

    lang, steps, _ = measured
    panel = (PANEL_LEFT - 0.1, PANEL_BOTTOM, PANEL_RIGHT + 0.1, PANEL_TOP)
    for boxes in steps:
        in_panel = [b for b in boxes if b.hud and b.x0 > PANEL_LEFT - 0.2]
        if not in_panel:
            continue  # a card, or a part before its panel came in
        for b in in_panel:
            assert b.inside(*panel), f"{lang}: {b} runs out of the readout panel"
        hidden = [b for b in boxes if not b.hud and b.meets(panel)]
        assert hidden == [], f"{lang}: {hidden[:3]} hide under the panel"


def test_no_two_texts_overlap(measured: tuple[str, list[list[Box]], list[str]]) -> None:
    lang, steps, _ = measured
    for boxes in steps:
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                assert not a.meets(b), f"{lang}: {a} overlaps {b}"
