"""Every frame adds up: while the point slides and the nudge shrinks, the readouts show one
exact row, so Δf = f(a+Δa) - f(a) and Δf/Δa = Δf ÷ Δa can be checked on any paused frame.

The rig is driven through every slide and shrink of the shipped lesson at many sampled
tracker values (as Manim's animations would set them); the displayed strings are read back
and checked against fractions computed here, independently of lessonkit's math.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from decimal import Decimal, localcontext
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from lessonkit.lesson.lessonfile import default_lesson
from lessonkit.lesson.spec import ClipSpec

F = Fraction
KEYS = ("a", "f_a", "da", "f_a_da", "df", "ratio")
SAMPLES = 120  # tracker values sampled per move


@pytest.fixture(scope="module")
def manim_config(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    from manim import tempconfig

    media = tmp_path_factory.mktemp("live-media")
    with tempconfig({"media_dir": str(media), "verbosity": "WARNING"}):
        yield media


# -- pure quantisation ---------------------------------------------------------------------------
def test_ladder_rungs_are_round_and_terminate() -> None:
    from lessonkit.parts.nudge.live_rows import DA_LADDER, ladder_nudge

    for m in DA_LADDER:
        assert (1 / m).denominator in (1, 2, 4, 5, 8, 10, 16, 20, 25, 32, 50, 64, 125)
    for da in (1.0, 0.1, 0.001, 0.5, 0.0123, 7.9):
        rung = ladder_nudge(da)
        assert abs(math.log10(float(rung) / da)) <= 0.06, (da, rung)  # half a rung at most
    # a shrink from 1 to 0.1 shows ten rungs, each once, in order
    shown = [ladder_nudge(10 ** (-k / 100)) for k in range(101)]
    steps = [s for i, s in enumerate(shown) if i == 0 or s != shown[i - 1]]
    assert steps == sorted(steps, reverse=True) and len(steps) == 11


def test_slide_grid_suits_the_distance() -> None:
    from lessonkit.parts.nudge.live_rows import snap_point

    assert snap_point(1.337, F(1), F(2)) == F("1.3")
    assert snap_point(2.0004, F(2), F(5)) == F(2)
    assert snap_point(0.2537, F(1), F("0.25")) == F("0.25")  # never beyond an end
    assert snap_point(1.2345, F(1), F("1.3")) == F("1.23")


# -- the lesson, frame by frame ------------------------------------------------------------------
def _rig(spec: ClipSpec) -> Any:
    """The nudge rig of a clip, built as the director builds it (nothing is played)."""
    from lessonkit.draw.camera import ZoomCamera
    from lessonkit.maths.layout import layout_for
    from lessonkit.maths.nudge import nudge
    from lessonkit.parts.nudge.graph import FunctionGraph
    from lessonkit.parts.nudge.readouts import ReadoutPanel
    from lessonkit.parts.nudge.rig import NudgeRig

    graph = FunctionGraph(spec.function, layout_for(spec.window), spec.points)
    first = spec.rows(0)[0]
    start = graph.start_value(float(spec.points[0]))
    rig = NudgeRig(ZoomCamera().frame, graph, ReadoutPanel(first), first, float(start))
    rig.aim(nudge(spec.function, start, first.da.q, spec.digits))
    rig.refresh()
    return rig


def _smooth(t: float) -> float:
    from manim import smooth

    return float(smooth(t))


def _frames(spec: ClipSpec) -> Iterator[tuple[str, Any]]:
    """(where, rig) at sampled moments of every slide and shrink of a clip, in order."""
    rig = _rig(spec)
    for i, point in enumerate(spec.points):
        rows = spec.rows(i)
        rig.aim(rows[0])  # slide: a moves with a smooth rate function, Δa stays
        a0 = rig.a.get_value()
        for k in range(SAMPLES + 1):
            rig.a.set_value(a0 + (float(point) - a0) * _smooth(k / SAMPLES))
            rig.refresh()
            yield f"slide to {point} t={k / SAMPLES:.3f}", rig
        rig.set_nudge(rows[0])
        yield f"nudge a={point} da={rows[0].da.text()}", rig
        for row in rows[1:]:  # shrink: log10 Δa moves with the default (smooth) rate
            rig.aim(row)
            d0, d1 = rig.log_da.get_value(), math.log10(float(row.da))
            for k in range(SAMPLES + 1):
                rig.log_da.set_value(d0 + (d1 - d0) * _smooth(k / SAMPLES))
                rig.refresh()
                yield f"shrink a={point} to {row.da.text()} t={k / SAMPLES:.3f}", rig


def _shown(rig: Any) -> dict[str, tuple[str, bool]]:
    """What the panel draws: each readout's digits and whether it reads '=' (exact)."""
    out = {}
    for key in KEYS:
        readout = rig.panel.readouts[key]
        text = readout.number._get_num_string(readout.number.number)
        assert len(readout.number.submobjects) == len(text)
        out[key] = (text, readout.relation == "=")
    return out


def _ulp(text: str, exact: bool) -> Fraction:
    """Half the place value of the last digit shown, or 0 for an exact value."""
    if exact:
        return F(0)
    if "." in text:
        return F(1, 2 * 10 ** len(text.split(".")[1]))
    digits = text.lstrip("-")
    return F(10 ** (len(digits) - len(digits.rstrip("0"))), 2)


def _ln(q: Fraction) -> Fraction:
    with localcontext() as ctx:
        ctx.prec = 50
        return F((Decimal(q.numerator) / Decimal(q.denominator)).ln())


#: the lesson's functions, computed here (not with lessonkit's math)
INDEPENDENT: dict[str, Callable[[Fraction], Fraction]] = {
    "linear": lambda a: 3 * a,
    "square": lambda a: a * a,
    "cube": lambda a: a * a * a,
    "log": _ln,
}


def _check_frame(spec: ClipSpec, shown: dict[str, tuple[str, bool]], where: str) -> None:
    f = INDEPENDENT[spec.function.name]
    q = {k: F(t) for k, (t, _) in shown.items()}
    half = {k: _ulp(t, e) for k, (t, e) in shown.items()}
    for key, (text, exact) in shown.items():
        if "." in text:
            assert not text.endswith(("0", ".")), (where, key, text)
        sig = text.lstrip("-").replace(".", "").lstrip("0")
        assert exact or len(sig.rstrip("0") if "." not in text else sig) <= spec.digits
    assert shown["a"][1] and shown["da"][1], (where, "a and Δa are shown exactly")
    a, da = q["a"], q["da"]
    # each value is the true one for the a and Δa on screen (to its shown digits)
    for key, true in (("f_a", f(a)), ("f_a_da", f(a + da))):
        assert abs(q[key] - true) <= half[key], (where, key, shown[key], float(true))
    # Δf = f(a+Δa) - f(a), with the numbers on screen
    gap = abs(q["df"] - (q["f_a_da"] - q["f_a"]))
    assert gap <= half["df"] + half["f_a"] + half["f_a_da"], (where, shown)
    if shown["df"][1] and shown["f_a"][1] and shown["f_a_da"][1]:
        assert gap == 0, (where, shown)
    # Δf/Δa = Δf ÷ Δa, with the numbers on screen, to the digits shown
    assert abs(q["ratio"] - q["df"] / da) <= half["ratio"] + half["df"] / da, (where, shown)
    if shown["df"][1] and shown["ratio"][1]:
        assert q["ratio"] == q["df"] / da, (where, shown)


def lesson_specs() -> list[Any]:
    lesson = default_lesson()
    params = [pytest.param(s, id=f"{s.function.name} digits {s.digits}") for s in lesson.clips]
    params += [
        pytest.param(replace(s, digits=5), id=f"{s.function.name} digits 5")
        for s in lesson.clips
        if s.function.name in ("cube", "log")
    ]
    return params


@pytest.mark.parametrize("spec", lesson_specs())
def test_every_frame_adds_up(spec: ClipSpec, manim_config: Path) -> None:
    frames = 0
    for where, rig in _frames(spec):
        shown = _shown(rig)
        _check_frame(spec, shown, where)
        # the legs' labels repeat the panel's Δa and Δf
        for label, key in ((rig.da_label, "da"), (rig.df_label, "df")):
            assert label.number._shown == shown[key][0], (where, key)
            assert (label.relation == "=") == shown[key][1], (where, key)
        frames += 1
    assert frames > SAMPLES * len(spec.points)


@pytest.mark.parametrize("spec", lesson_specs())
def test_rest_shows_the_row_and_numbers_change_a_few_times_a_second(
    spec: ClipSpec, manim_config: Path
) -> None:
    """At rest the target row's own text; in a 2.2 s shrink, at most 13 different rows."""
    changes: dict[str, int] = {}
    last: dict[str, Any] = {}
    for where, rig in _frames(spec):
        move = where.split(" t=")[0]
        shown = _shown(rig)
        if shown != last.get(move):
            changes[move] = changes.get(move, 0) + 1
            last[move] = shown
        if rig.at_rest:
            texts = rig.row.as_text()
            for key, text_key in (("a", "a"), ("da", "da"), ("ratio", "ratio")):
                assert shown[key][0] == texts[text_key].removeprefix("≈"), (where, key)
    for move, n in changes.items():
        if move.startswith("shrink"):
            assert n <= 13, (move, n)


def test_per_frame_cost_is_small(manim_config: Path) -> None:
    """A new row costs one exact nudge (well under a frame's budget even for sin); a repeated
    one, a cache look-up."""
    from lessonkit.maths.lookup import get_function
    from lessonkit.parts.nudge.live_rows import LiveRows

    for name, budget in (("log", 0.003), ("sin(a)", 0.02)):
        live = LiveRows(get_function(name), 10)
        target = live.row(F(2), F(1, 1000))
        origin = live.row(F(2), F(1))
        assert target is not None and origin is not None
        start = time.perf_counter()
        for k in range(101):  # 1 → 0.001: about 30 rungs, each computed once
            live.shown(origin, target, 2.0, 10 ** (-3 * k / 100))
        fresh = (time.perf_counter() - start) / 101
        start = time.perf_counter()
        for k in range(101):
            live.shown(origin, target, 2.0, 10 ** (-3 * k / 100))
        cached = (time.perf_counter() - start) / 101
        assert fresh < budget, (name, fresh)
        assert cached < 0.0002, (name, cached)
