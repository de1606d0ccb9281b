"""The storyboard: section names, one caption per step, the numbers in the captions, timing.

Pure and fast. Every expected number is computed here, independently of lessonkit's math,
with fractions.Fraction (polynomials) and decimal.Decimal at 50 digits (log).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from fractions import Fraction
from math import comb

import pytest

from lessonkit.spec import ClipSpec, clip_spec, default_lesson
from lessonkit.storyboard import Step, clip_steps, lesson_steps, total_duration

F = Fraction
DEFAULT = (F(1), F(1, 10), F(1, 100), F(1, 1000))

# -- independent arithmetic ------------------------------------------------------------------
POLY: dict[str, Callable[[Fraction], Fraction]] = {
    "linear": lambda a: 3 * a,
    "square": lambda a: a**2,
    "cube": lambda a: a**3,
}
DERIV: dict[str, Callable[[Fraction], Fraction]] = {
    "linear": lambda a: F(3),
    "square": lambda a: 2 * a,
    "cube": lambda a: 3 * a**2,
    "log": lambda a: 1 / a,
}
POWER = {"square": 2, "cube": 3}  # monomials a^n whose expansion has a leftover


def dec(q: Fraction) -> str:
    """Exact decimal text of a terminating fraction, no exponent, no trailing zeros."""
    rest = q.denominator
    for p in (2, 5):
        while rest % p == 0:
            rest //= p
    assert rest == 1, f"{q} has no finite decimal expansion"
    with localcontext() as ctx:
        ctx.prec = 200
        d = Decimal(q.numerator) / Decimal(q.denominator)
    text = format(d.normalize(), "f")
    return "0" if text in ("-0", "0") else text


def ln(q: Fraction) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 50
        return (Decimal(q.numerator) / Decimal(q.denominator)).ln()


def sig10(d: Decimal) -> str:
    """d rounded half-even to 10 significant digits, plain notation, trailing zeros cut."""
    with localcontext() as ctx:
        ctx.prec = 50
        r = d.quantize(Decimal(1).scaleb(d.adjusted() - 9), rounding=ROUND_HALF_EVEN)
    text = format(r, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def log_values(a: Fraction, da: Fraction) -> tuple[Decimal, Decimal]:
    """(Δf, Δf/Δa) for log at a nudged by da, at 50 digits."""
    with localcontext() as ctx:
        ctx.prec = 50
        df = ln(a + da) - ln(a)
        return df, df / (Decimal(da.numerator) / Decimal(da.denominator))


def schedule_at(spec: ClipSpec, i: int) -> tuple[Fraction, ...]:
    """What the issue asks: the whole schedule first, then only its first and last nudge."""
    s = spec.schedule
    if i == 0 or len(s) <= 2:
        return s
    return (s[0], s[-1])


# -- the specs under test ----------------------------------------------------------------------
SPECS = {
    "square default (2, 5)": lambda: clip_spec("square"),
    "cube default (2)": lambda: clip_spec("cube"),
    "log default (2)": lambda: clip_spec("log"),
    "linear default (2)": lambda: clip_spec("linear"),
    "square at 10": lambda: clip_spec("square", ["10"]),
    "log at 0.5": lambda: clip_spec("log", ["0.5"]),
    "cube at -1": lambda: clip_spec("cube", ["-1"]),
    "cube at 10 (1000)": lambda: clip_spec("cube", ["10"], ["1", "0.5"]),
    "square at 2, 5, 7 with 3 nudges": lambda: clip_spec("square", ["2", "5", "7"],
                                                         ["1", "0.1", "0.01"]),
    "log at 4, 0.25 with 2 nudges": lambda: clip_spec("log", ["4", "0.25"], ["0.5", "0.001"]),
    "linear at 2, 4 (the recap)": lambda: default_lesson().recap,
}
SPEC_IDS = list(SPECS)


@pytest.fixture(params=SPEC_IDS)
def spec(request: pytest.FixtureRequest) -> ClipSpec:
    return SPECS[request.param]()


def all_step_lists() -> list[tuple[str, list[Step]]]:
    out = [(k, clip_steps(f())) for k, f in SPECS.items()]
    out.append(("lesson", lesson_steps(default_lesson())))
    return out


FILE_SAFE = re.compile(r"^[a-z0-9][a-z0-9.\-]*[a-z0-9]$")


@pytest.mark.parametrize("label, steps", all_step_lists(), ids=[k for k, _ in all_step_lists()])
def test_every_step_has_a_unique_file_safe_name_and_one_caption_line(
    label: str, steps: list[Step]
) -> None:
    names = [s.name for s in steps]
    assert len(set(names)) == len(names), f"duplicate section names: {names}"
    for s in steps:
        assert FILE_SAFE.match(s.name), f"not file-safe: {s.name!r}"
        assert ".." not in s.name and "/" not in s.name
        # Manim turns a section name into a file name; two names must not collide there
    assert len({n.replace(".", "-") for n in names}) == len(names)
    for s in steps:
        assert s.caption.strip() == s.caption and s.caption, f"{s.name}: {s.caption!r}"
        assert "\n" not in s.caption and "\r" not in s.caption
        assert s.caption.endswith("."), s.caption
        assert s.duration > 0


def test_step_kinds_follow_the_spec(spec: ClipSpec) -> None:
    """graph; per point: slide, nudge, shrink..., slope, leftover (polynomials of degree >= 2);
    then rule. The first point runs the whole schedule, later points `later_schedule`."""
    name = spec.function.name
    expected = ["graph"]
    for i, _ in enumerate(spec.points):
        n = len(schedule_at(spec, i))
        expected += ["slide", "nudge", *["shrink"] * (n - 1), "slope"]
        if name in POWER:
            expected.append("leftover")
    expected.append("rule")
    steps = clip_steps(spec)
    assert [s.kind for s in steps] == expected
    assert spec.later_schedule == schedule_at(spec, 1)


def test_steps_carry_the_rows_of_the_schedule(spec: ClipSpec) -> None:
    """The row a scene draws for a step is the nudge that step's caption talks about."""
    steps = clip_steps(spec)
    for i, a in enumerate(spec.points):
        nudges = [s for s in steps if s.kind in ("nudge", "shrink") and s.point_index == i]
        assert [s.row.da.q for s in nudges if s.row] == list(schedule_at(spec, i))
        for s in nudges:
            assert s.row is not None and s.row.a.q == a and s.spec == spec
            assert f"Δa = {dec(s.row.da.q)}" in s.caption
        (slope,) = [s for s in steps if s.kind == "slope" and s.point_index == i]
        assert slope.row is not None and slope.row.da.q == schedule_at(spec, i)[-1]


def test_captions_hold_the_exact_numbers(spec: ClipSpec) -> None:
    """Every value in a caption, computed here without lessonkit's math."""
    name = spec.function.name
    steps = clip_steps(spec)
    for i, a in enumerate(spec.points):
        at = dec(a)
        sched = schedule_at(spec, i)
        mine = [s for s in steps if s.point_index == i and s.kind != "graph" and s.kind != "rule"]
        by_kind = {s.kind: s for s in mine}
        slide = by_kind["slide"].caption
        assert f"a = {at}, where f(a) " in slide
        if name == "log":
            assert f"f(a) ≈ {sig10(ln(a))}." in slide
        else:
            assert f"f(a) = {dec(POLY[name](a))}." in slide
        for s in (m for m in mine if m.kind in ("nudge", "shrink")):
            assert s.row is not None
            da = s.row.da.q
            if name == "log":
                df, ratio = log_values(a, da)
                assert f"Δf/Δa ≈ {sig10(ratio)}." in s.caption, s.caption
                if s.kind == "nudge":
                    assert f"f rises by ≈{sig10(df)}," in s.caption, s.caption
            else:
                df_q = POLY[name](a + da) - POLY[name](a)
                assert f"Δf/Δa = {dec(df_q / da)}." in s.caption, s.caption
                if s.kind == "nudge":
                    assert f"f rises by {dec(df_q)}," in s.caption, s.caption
        slope = by_kind["slope"].caption
        d_last = sched[-1]
        assert f"f'({at}) = {dec(DERIV[name](a))}." in slope, slope
        if name == "linear":
            assert "straight line" in slope
        else:
            if name == "log":
                _, r = log_values(a, d_last)
                above = r > Decimal(DERIV[name](a).numerator) / DERIV[name](a).denominator
                assert f"Δf/Δa ≈ {sig10(r)} is just" in slope, slope
            else:
                r_q = (POLY[name](a + d_last) - POLY[name](a)) / d_last
                above = r_q > DERIV[name](a)
                assert f"Δf/Δa = {dec(r_q)} is just" in slope, slope
            assert ("is just above" if above else "is just below") in slope, slope
        if name in POWER:
            n = POWER[name]
            terms = [comb(n, k) * a ** (n - k) * d_last**k for k in range(n + 1)]
            # a negative term folds its sign into the operator: "-1 + 0.003 - 0.000003"
            numeric = f"{dec(sum(terms, F(0)))} = " + dec(terms[0]) + "".join(
                f" - {dec(-t)}" if t < 0 else f" + {dec(t)}" for t in terms[1:]
            )
            gap = (POLY[name](a + d_last) - POLY[name](a)) / d_last - DERIV[name](a)
            leftover = by_kind["leftover"].caption
            assert leftover == (
                f"The extra {dec(gap)} in Δf/Δa comes from the leftover terms: {numeric}."
            )
        else:
            assert "leftover" not in by_kind


def test_rule_caption_checks_each_point(spec: ClipSpec) -> None:
    name = spec.function.name
    rule = clip_steps(spec)[-1]
    checks = ", ".join(f"f'({dec(a)}) = {dec(DERIV[name](a))}" for a in spec.points)
    assert rule.kind == "rule" and rule.caption.endswith(f"{checks}.")
    assert f"f'(a) = {spec.function.derivative_formula}" in rule.caption
    slopes = {DERIV[name](a) for a in spec.points}
    if len(spec.points) == 1:
        assert "agrees" in rule.caption
    elif len(slopes) == 1:
        assert "same everywhere" in rule.caption
    else:
        assert "differs from point to point" in rule.caption


# -- the worked examples of the issue, spelled out ---------------------------------------------
def captions(spec: ClipSpec) -> str:
    return "\n".join(s.caption for s in clip_steps(spec))


def test_square_at_2_and_5() -> None:
    text = captions(clip_spec("square"))
    for part in ("Δf/Δa = 5.", "Δf/Δa = 4.1.", "Δf/Δa = 4.01.", "Δf/Δa = 4.001.",
                 "f'(2) = 4", "4.004001 = 4 + 0.004 + 0.000001", "f'(5) = 10",
                 "Δf/Δa = 10.001.", "f'(a) = 2a, so f'(2) = 4, f'(5) = 10."):
        assert part in text, part
    assert "4.000999" not in text and "4.004000999" not in text  # no binary-float slips


def test_cube_at_2() -> None:
    text = captions(clip_spec("cube"))
    assert "Δf/Δa = 12.006001." in text
    assert "8.012006001 = 8 + 0.012 + 0.000006 + 0.000000001" in text
    assert "f'(2) = 12" in text
    assert "f rises by 19," in text  # 3³ - 2³


def test_log_at_2() -> None:
    text = captions(clip_spec("log"))
    assert "f(a) ≈ 0.6931471806." in text
    assert "f rises by ≈0.4054651081, so Δf/Δa ≈ 0.4054651081." in text
    assert "Δf/Δa ≈ 0.4998750417 is just below the slope f'(2) = 0.5." in text
    assert "1/a agrees: f'(2) = 0.5." in text


def test_linear_recap_has_one_slope() -> None:
    text = captions(default_lesson().recap)
    assert "On a straight line Δf/Δa is the slope for any nudge: f'(2) = 3." in text
    assert "The slope is the same everywhere: f'(a) = 3, so f'(2) = 3, f'(4) = 3." in text


def test_a_rounded_slope_is_marked_rounded() -> None:
    """numbers.py: 'a rounded logarithm is always marked as rounded'; 1/3 is no different."""
    steps = clip_steps(clip_spec("log", ["3"]))
    slope = next(s for s in steps if s.kind == "slope").caption
    rule = steps[-1].caption
    assert "f'(3) = 0.3333333333" not in slope + rule
    assert "f'(3) ≈ 0.3333333333" in slope and "f'(3) ≈ 0.3333333333" in rule


# -- the lesson --------------------------------------------------------------------------------
def test_lesson_order() -> None:
    lesson = default_lesson()
    steps = lesson_steps(lesson)
    parts: list[str] = []
    for s in steps:
        part = s.name.split("-", 1)[0] if s.kind not in ("title", "rules", "takeaways") else s.kind
        if not parts or parts[-1] != part:
            parts.append(part)
    assert parts == ["title", "recap", "square", "cube", "log", "rules", "takeaways"]
    # the clips inside the lesson are exactly the clips, prefixed
    expected = [steps[0]]
    expected += clip_steps(lesson.recap, prefix="recap-")
    for c in lesson.clips:
        expected += clip_steps(c, prefix=f"{c.function.name}-")
    assert [(s.kind, s.name, s.caption) for s in steps[: len(expected)]] == [
        (s.kind, s.name, s.caption) for s in expected
    ]
    assert [s.kind for s in steps[len(expected):]] == ["rules", "takeaways"]
    assert lesson.recap.function.name == "linear" and lesson.recap.points == (F(2), F(4))
    assert [(c.function.name, c.points, c.schedule) for c in lesson.clips] == [
        ("square", (F(2), F(5)), DEFAULT), ("cube", (F(2),), DEFAULT), ("log", (F(2),), DEFAULT)
    ]


def test_lesson_closing_captions() -> None:
    steps = lesson_steps(default_lesson())
    assert steps[0].caption.startswith("More derivative examples")
    rules = steps[-2].caption
    assert rules == ("From a table of derivatives: a² has slope 2a; a³ has slope 3a²; "
                     "log a has slope 1/a.")
    take = steps[-1].caption
    assert "derivative is the slope" in take and "differ from point to point" in take
    assert "looked up in a table" in take


@pytest.mark.parametrize("label, steps", all_step_lists(), ids=[k for k, _ in all_step_lists()])
def test_total_duration_is_the_sum(label: str, steps: list[Step]) -> None:
    assert total_duration(steps) == pytest.approx(math.fsum(s.duration for s in steps), abs=1e-9)


def test_lesson_duration_is_its_parts() -> None:
    lesson = default_lesson()
    steps = lesson_steps(lesson)
    parts = [clip_steps(lesson.recap), *(clip_steps(c) for c in lesson.clips)]
    ends = [s.duration for s in steps if s.kind in ("title", "rules", "takeaways")]
    assert total_duration(steps) == pytest.approx(
        sum(total_duration(p) for p in parts) + sum(ends)
    )
    assert len(steps) == sum(len(p) for p in parts) + 3
