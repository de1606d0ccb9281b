"""The scene classes: importable without rendering, driven by the spec and the storyboard, and
showing on screen exactly the numbers lessonkit's math module prints.

Fast except the one `manim` CLI render (marked slow). Mobjects are built under
`manim.tempconfig` with a temporary media folder, so Typst files never land in the repo.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from conftest import decode

from lessonkit.lesson.lessonfile import default_lesson
from lessonkit.lesson.spec import ClipSpec, clip_spec
from lessonkit.lesson.storyboard import lesson_steps
from lessonkit.maths.nudge import Nudge, nudge
from lessonkit.maths.numbers import decimal_places
from lessonkit.parts.nudge.steps import clip_steps

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
F = Fraction

NAMED = {
    "SquareNudge": ("square", (F(2), F(5))),
    "CubeNudge": ("cube", (F(2),)),
    "LogNudge": ("log", (F(2),)),
    "LinearNudge": ("linear", (F(2),)),
}


@pytest.fixture(scope="module")
def manim_config(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Manim's config pointed at a temporary media folder for the module's mobjects."""
    from manim import tempconfig

    media = tmp_path_factory.mktemp("scene-media")
    with tempconfig({"media_dir": str(media), "verbosity": "WARNING"}):
        yield media


# -- importing ---------------------------------------------------------------------------------
def test_scene_modules_import_without_rendering(tmp_path: Path) -> None:
    """Importing scenes (what `manim` does first) renders nothing and writes no files."""
    code = (
        "import scenes.nudge as n, scenes.lesson as l, scenes.choreography as c\n"
        "from manim import Scene\n"
        "names = ['NudgeScene', 'SquareNudge', 'CubeNudge', 'LogNudge', 'LinearNudge']\n"
        "assert all(issubclass(getattr(n, k), Scene) for k in names)\n"
        "assert issubclass(l.MoreDerivativeExamples, Scene)\n"
        "print('ok')\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "ok"
    assert list(tmp_path.iterdir()) == [], "importing a scene module wrote files"


# -- the values handed to scenes -----------------------------------------------------------------
@pytest.mark.parametrize("cls_name", list(NAMED))
def test_named_scene_specs(cls_name: str, manim_config: Path) -> None:
    import scenes.nudge as module

    fn_name, points = NAMED[cls_name]
    scene = getattr(module, cls_name)()
    spec: ClipSpec = scene.spec
    assert spec == clip_spec(fn_name)
    assert spec.function.name == fn_name and spec.points == points
    assert spec.schedule == (F(1), F(1, 10), F(1, 100), F(1, 1000))
    for i, a in enumerate(spec.points):
        expected = [nudge(spec.function, a, d, 5) for d in spec.schedule_at(i)]  # 5: on screen
        assert [r.as_text() for r in spec.rows(i)] == [r.as_text() for r in expected]


def test_cube_scene_rows_are_the_exact_nudges(manim_config: Path) -> None:
    """a³ at 2: 8 -> 8.012006001 at Δa = 0.001, slope 12 (computed here with fractions)."""
    from scenes.nudge import CubeNudge

    rows = CubeNudge().spec.rows(0)
    for row, d in zip(rows, (F(1), F(1, 10), F(1, 100), F(1, 1000)), strict=True):
        assert (row.a.q, row.da.q) == (2, d)
        assert row.f_a.q == 8 and row.f_a_da.q == (2 + d) ** 3
        assert row.df.q == (2 + d) ** 3 - 8 and row.ratio.q == ((2 + d) ** 3 - 8) / d
        assert row.slope.q == 12
    assert rows[-1].f_a_da.text() == "8.012006001" and rows[-1].ratio.text() == "12.006001"


def test_nudge_scene_takes_a_spec(manim_config: Path) -> None:
    from scenes.nudge import NudgeScene

    spec = clip_spec("log", ["0.5"], ["1", "0.01"])
    assert NudgeScene(spec=spec).spec is spec
    assert NudgeScene().spec == clip_spec("square")


class _Recorder:
    """Stands in for LessonDirector: records the scene and the steps it hands over."""

    seen: list[Any] = []

    def __init__(self, scene: Any) -> None:
        self.scene = scene

    def play_steps(self, steps: list[Any]) -> None:
        _Recorder.seen = [self.scene, steps]


def test_scenes_play_the_storyboard(monkeypatch: pytest.MonkeyPatch, manim_config: Path) -> None:
    """construct() plays exactly the storyboard of its spec: captions and rows from the math."""
    import scenes.lesson
    import scenes.nudge

    monkeypatch.setattr(scenes.nudge, "LessonDirector", _Recorder)
    monkeypatch.setattr(scenes.lesson, "LessonDirector", _Recorder)
    spec = clip_spec("cube", ["-1"], ["1", "0.001"])
    scene = scenes.nudge.NudgeScene(spec=spec)
    scene.construct()
    assert _Recorder.seen == [scene, clip_steps(spec)]
    scenes.nudge.LogNudge().construct()
    assert _Recorder.seen[1] == clip_steps(clip_spec("log"))
    lesson_scene = scenes.lesson.MoreDerivativeExamples()
    lesson_scene.construct()
    played, steps = _Recorder.seen
    assert played is lesson_scene and steps == lesson_steps(default_lesson())


def test_lesson_player_plays_a_lesson_or_only_some_steps(
    monkeypatch: pytest.MonkeyPatch, manim_config: Path
) -> None:
    """LessonPlayer(lesson) plays that lesson; with `only`, each wanted step's part up to it."""
    import scenes.lesson

    monkeypatch.setattr(scenes.lesson, "LessonDirector", _Recorder)
    lesson = default_lesson()
    all_steps = lesson_steps(lesson)
    scenes.lesson.LessonPlayer(lesson=lesson).construct()
    assert _Recorder.seen[1] == all_steps
    scenes.lesson.LessonPlayer(lesson=lesson, only={"cube-slope-a2", "rules"}).construct()
    names = [s.name for s in _Recorder.seen[1]]
    cube = [s.name for s in all_steps if s.part == "cube"]
    assert names == [*cube[: cube.index("cube-slope-a2") + 1], "rules"]


# -- readouts show the math module's text ------------------------------------------------------
FIELDS = [("a", "a"), ("f_a", "f_a"), ("da", "da"), ("f_a_da", "f_a_plus_da"), ("df", "df"),
          ("ratio", "ratio")]


def default_rows() -> list[Nudge]:
    lesson = default_lesson()
    rows: list[Nudge] = []
    for spec in (*lesson.clips, clip_spec("linear")):
        for i in range(len(spec.points)):
            rows += spec.rows(i)
    return rows


def rendered_text(number: Any) -> str:
    """What a DecimalNumber draws: its formatted string, one glyph per character."""
    text = number._get_num_string(number.number)
    assert len(number.submobjects) == len(text), (text, len(number.submobjects))
    return str(text)


def test_readout_formats_every_default_row_like_the_math(manim_config: Path) -> None:
    """`LabelledNumber.show(float(value), text)` (a readout) draws exactly `text`."""
    from lessonkit.parts.nudge.readouts import LabelledNumber

    readout = LabelledNumber("Delta f", "#FFFFFF", 30)
    checked = 0
    for row in default_rows():
        texts = row.as_text()
        for attr, key in FIELDS:
            value = getattr(row, attr)
            exact = texts[key].removeprefix("≈")
            k = decimal_places(exact)
            readout.show(float(value), texts[key])
            assert readout.number.num_decimal_places == k
            assert f"{float(value):.{k}f}" == exact, (row.function.name, key, exact)
            assert rendered_text(readout.number) == exact, (row.function.name, key)
            checked += 1
    assert checked == 6 * len(default_rows()) > 100


def _rig_for(spec: ClipSpec) -> Any:
    """The nudge rig of a clip, built as the director builds it (nothing is played)."""
    from lessonkit.draw.camera import ZoomCamera
    from lessonkit.maths.layout import layout_for
    from lessonkit.parts.nudge.graph import FunctionGraph
    from lessonkit.parts.nudge.readouts import ReadoutPanel
    from lessonkit.parts.nudge.rig import NudgeRig

    frame = ZoomCamera().frame
    graph = FunctionGraph(spec.function, layout_for(spec.window))
    first = spec.rows(0)[0]
    panel = ReadoutPanel(first)
    return NudgeRig(frame, graph, panel, first,
                    graph.start_point(float(spec.points[0])))


RIG_SPECS = [
    pytest.param(lambda: clip_spec("square"), id="square 2,5"),
    pytest.param(lambda: clip_spec("cube"), id="cube 2"),
    pytest.param(lambda: clip_spec("log"), id="log 2"),
    pytest.param(lambda: clip_spec("cube", ["10"], ["1", "0.5"]), id="cube 10 (1000, 1331)"),
    pytest.param(lambda: clip_spec("cube", ["-1"]), id="cube -1"),
    pytest.param(lambda: clip_spec("cube", ["2"], ["1", "0.000001"]), id="cube 2 nudge 0.000001"),
    pytest.param(lambda: clip_spec("log", ["2"], ["1", "0.000000001"]), id="log 2 nudge 1e-9"),
]


@pytest.mark.parametrize("make", RIG_SPECS)
def test_rig_at_rest_shows_the_math_text(make: Any, manim_config: Path) -> None:
    """With the trackers resting on a row, every readout and leg label reads its exact text."""
    spec: ClipSpec = make()
    rig = _rig_for(spec)
    wrong: list[tuple[str, str, str, str]] = []
    for i, a in enumerate(spec.points):
        rig.a.set_value(float(a))
        for row in spec.rows(i):
            rig.set_nudge(row)  # aims at the row and places everything (refresh)
            texts = row.as_text()
            where = f"a={row.a.text()} da={row.da.text()}"
            for attr, key in FIELDS:
                shown = rendered_text(rig.panel.readouts[attr].number)
                if not same_or_rounded(shown, texts[key], row):
                    wrong.append((where, key, shown, texts[key]))
            for label, key in ((rig.da_label, "da"), (rig.df_label, "df")):
                shown = rendered_text(label.number)
                if not same_or_rounded(shown, texts[key], row):
                    wrong.append((where, f"{key} leg label", shown, texts[key]))
    assert not wrong, wrong


def same_or_rounded(shown: str, text: str, row: Nudge) -> bool:
    """The readout is the math's text, or (an exact value too long for the panel, such as
    8.000012000006000001) that value rounded to the row's significant digits."""
    exact = text.removeprefix("≈")
    if shown == exact:
        return True
    if text.startswith("≈"):
        return False
    value = Fraction(exact)
    unit = Fraction(10) ** (math.floor(math.log10(abs(value))) - row.digits + 1)
    return abs(Fraction(shown) - value) <= unit / 2


def test_readout_relation_marks_rounded_values(manim_config: Path) -> None:
    """A rounded value reads 'Δf ≈ ...', an exact one 'Δf = ...' (one label per readout)."""
    from lessonkit.parts.nudge.readouts import ReadoutPanel

    log_row = clip_spec("log").rows(0)[-1]
    square_row = clip_spec("square").rows(0)[-1]
    for row in (log_row, square_row):
        panel = ReadoutPanel(row)
        for attr, _ in FIELDS:
            value = getattr(row, attr)
            source = panel.readouts[attr].label.typst_code.strip().strip("$").strip()
            assert source.endswith("approx" if not value.shows_exactly else "="), (attr, source)


# -- Manim's own CLI -----------------------------------------------------------------------------
@pytest.mark.slow
def test_manim_cli_renders_a_named_scene(tmp_path: Path) -> None:
    """`manim -ql -r 128,72 --fps 5 scenes/nudge.py LogNudge` works without lessonkit's CLI."""
    manim = BIN / "manim"
    assert manim.exists(), "manim is not installed in the venv"
    proc = subprocess.run(
        [str(manim), "-ql", "-r", "128,72", "--fps", "5", "--disable_caching",
         "--media_dir", str(tmp_path), str(ROOT / "scenes" / "nudge.py"), "LogNudge"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    videos = list(tmp_path.rglob("LogNudge.mp4"))
    assert len(videos) == 1, list(tmp_path.rglob("*.mp4"))
    video = decode(videos[0])
    assert (video.width, video.height) == (128, 72)
    steps = clip_steps(clip_spec("log"))
    assert abs(video.seconds - sum(s.duration for s in steps)) <= len(steps) * 0.2 + 1e-6
    srt = videos[0].with_suffix(".srt")
    assert srt.exists() and srt.read_text(encoding="utf-8").count(" --> ") == len(steps)
    assert not list(tmp_path.rglob("*.tex")), "MathTex fallback"
