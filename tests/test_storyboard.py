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

from lessonkit.base.errors import LessonError
from lessonkit.lesson.lessonfile import default_lesson, parse_lesson
from lessonkit.lesson.spec import CardPart, ClipSpec, clip_spec
from lessonkit.lesson.storyboard import (
    Step,
    lesson_steps,
    part_steps,
    steps_to_draw,
    total_duration,
)
from lessonkit.parts.nudge.steps import clip_steps

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


def sig5(d: Decimal) -> str:
    """d rounded half-even to 5 significant digits (the screen's default), plain notation,
    trailing zeros cut."""
    with localcontext() as ctx:
        ctx.prec = 50
        r = d.quantize(Decimal(1).scaleb(d.adjusted() - 4), rounding=ROUND_HALF_EVEN)
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
    "linear at 2, 4 (the recap)": lambda: default_lesson().clips[0],
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
            assert f"f(a) ≈ {sig5(ln(a))}." in slide
        else:
            assert f"f(a) = {dec(POLY[name](a))}." in slide
        for s in (m for m in mine if m.kind in ("nudge", "shrink")):
            assert s.row is not None
            da = s.row.da.q
            if name == "log":
                df, ratio = log_values(a, da)
                assert f"Δf/Δa ≈ {sig5(ratio)}." in s.caption, s.caption
                if s.kind == "nudge":
                    assert f"f rises by ≈{sig5(df)}," in s.caption, s.caption
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
                assert f"Δf/Δa ≈ {sig5(r)} is just" in slope, slope
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
    assert "f(a) ≈ 0.69315." in text
    assert "f rises by ≈0.40547, so Δf/Δa ≈ 0.40547." in text
    assert "Δf/Δa ≈ 0.49988 is just below the slope f'(2) = 0.5." in text
    assert "1/a agrees: f'(2) = 0.5." in text


def test_linear_recap_has_one_slope() -> None:
    text = captions(default_lesson().clips[0])
    assert "On a straight line Δf/Δa is the slope for any nudge: f'(2) = 3." in text
    assert "The slope is the same everywhere: f'(a) = 3, so f'(2) = 3, f'(4) = 3." in text


def test_a_rounded_slope_is_marked_rounded() -> None:
    """numbers.py: 'a rounded logarithm is always marked as rounded'; 1/3 is no different."""
    steps = clip_steps(clip_spec("log", ["3"]))
    slope = next(s for s in steps if s.kind == "slope").caption
    rule = steps[-1].caption
    assert "f'(3) = 0.33333" not in slope + rule
    assert "f'(3) ≈ 0.33333" in slope and "f'(3) ≈ 0.33333" in rule


# -- the lesson --------------------------------------------------------------------------------
def test_lesson_order() -> None:
    lesson = default_lesson()
    steps = lesson_steps(lesson)
    parts: list[str] = []
    for s in steps:
        part = s.name.split("-", 1)[0] if s.kind not in ("title", "rules", "text") else s.name
        assert s.part == part, (s.name, s.part)
        if not parts or parts[-1] != part:
            parts.append(part)
    assert parts == ["title", "recap", "square", "cube", "log", "rules", "takeaways"]
    # the recap is the first nudge part, kept off the rules card
    recap, *clips = lesson.clips
    assert lesson.nudge_parts[0].name == "recap" and lesson.nudge_parts[0].label == "Recap"
    assert not lesson.nudge_parts[0].in_rules
    assert all(p.in_rules for p in lesson.nudge_parts[1:])
    # the clips inside the lesson are exactly the clips, prefixed
    expected = [steps[0]]
    expected += clip_steps(recap, prefix="recap-")
    for c in clips:
        expected += clip_steps(c, prefix=f"{c.function.name}-")
    assert [(s.kind, s.name, s.caption) for s in steps[: len(expected)]] == [
        (s.kind, s.name, s.caption) for s in expected
    ]
    assert [s.kind for s in steps[len(expected):]] == ["rules", "text"]
    assert [s.name for s in steps[len(expected):]] == ["rules", "takeaways"]
    assert recap.function.name == "linear" and recap.points == (F(2), F(4))
    assert recap.schedule == (F(1),)
    assert [(c.function.name, c.points, c.schedule) for c in clips] == [
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
    parts = [clip_steps(c) for c in lesson.clips]
    ends = [s.duration for s in steps if s.kind in ("title", "rules", "text")]
    assert total_duration(steps) == pytest.approx(
        sum(total_duration(p) for p in parts) + sum(ends)
    )
    assert len(steps) == sum(len(p) for p in parts) + 3


# -- lesson files: caption templates, drawing some steps, rules cards, digits --------------------
def lesson_text(*rows: str) -> str:
    return "\n".join(rows) + "\n"


def test_caption_override_by_kind_and_by_name_keeps_the_numbers() -> None:
    """A kind's template applies to every step of that kind; a step's own name wins."""
    lesson = parse_lesson(
        lesson_text(
            'title = "T"',
            "[[part]]",
            'function = "square"',
            "points = [2]",
            "[part.captions]",
            'nudge = "First Δa = {da}: Δf {=df}, Δf/Δa {=ratio}."',
            'shrink = "Now Δa = {da} and Δf/Δa {=ratio}, f(a+Δa) = {f_a_da}."',
            '"shrink-a2-d0.01" = "Named: {ratio} vs {slope}."',
        )
    )
    steps = lesson_steps(lesson)
    default = clip_steps(lesson.clips[0], prefix="square-")
    assert [s.name for s in steps[1:]] == [s.name for s in default]
    by_name = {s.name: s.caption for s in steps}
    a = F(2)
    for da in DEFAULT:
        df = (a + da) ** 2 - a**2
        name = f"square-{'nudge' if da == 1 else 'shrink'}-a2-d{dec(da)}"
        if da == 1:
            expected = f"First Δa = 1: Δf = {dec(df)}, Δf/Δa = {dec(df / da)}."
        elif da == F(1, 100):
            expected = f"Named: {dec(df / da)} vs {dec(2 * a)}."
        else:
            expected = (
                f"Now Δa = {dec(da)} and Δf/Δa = {dec(df / da)}, f(a+Δa) = {dec((a + da) ** 2)}."
            )
        assert by_name[name] == expected
    # the other steps keep lessonkit's own words, and every step its numbers and timing
    for mine, theirs in zip(steps[1:], default, strict=True):
        assert (mine.kind, mine.row, mine.duration, mine.part) == (
            theirs.kind, theirs.row, theirs.duration, "square"
        )
        if mine.kind not in ("nudge", "shrink"):
            assert mine.caption == theirs.caption


def test_steps_to_draw_plays_the_part_up_to_the_wanted_step() -> None:
    steps = lesson_steps(default_lesson())
    names = [s.name for s in steps]

    def part_names(part: str) -> list[str]:
        return [s.name for s in steps if s.part == part]

    cube = part_names("cube")
    drawn = [s.name for s in steps_to_draw(steps, ["cube-shrink-a2-d0.01"])]
    assert drawn == cube[: cube.index("cube-shrink-a2-d0.01") + 1]
    assert drawn[0] == "cube-graph"
    # two wanted steps of one part: up to the later one, each step once
    both = steps_to_draw(steps, {"cube-slide-a2", "cube-slope-a2"})
    assert [s.name for s in both] == cube[: cube.index("cube-slope-a2") + 1]
    # wanted steps of several parts, in lesson order whatever the order asked
    square = part_names("square")
    several = [s.name for s in steps_to_draw(steps, ["rules", "square-slide-a5", "title"])]
    assert several == ["title", *square[: square.index("square-slide-a5") + 1], "rules"]
    # a part's first step alone, and the whole lesson
    assert [s.name for s in steps_to_draw(steps, ["log-graph"])] == ["log-graph"]
    assert steps_to_draw(steps, names) == steps
    assert steps_to_draw(steps, []) == []


def test_steps_to_draw_refuses_an_unknown_step() -> None:
    steps = lesson_steps(default_lesson())
    with pytest.raises(LessonError, match=r"^no step named 'cube-slope-a9' in this lesson$"):
        steps_to_draw(steps, ["cube-graph", "cube-slope-a9"])


def test_two_parts_of_one_function_have_distinct_steps() -> None:
    lesson = parse_lesson(
        lesson_text(
            'title = "T"',
            "[[part]]", 'function = "square"', "points = [2]",
            "[[part]]", 'function = "a^2"', "points = [3]",
        )
    )
    first, second = lesson.nudge_parts
    assert (first.name, second.name) == ("square", "square-2")
    steps = lesson_steps(lesson)
    names = [s.name for s in steps]
    assert len(set(names)) == len(names)
    assert [s.name for s in part_steps(lesson, second)] == [
        s.name for s in clip_steps(second.clip, prefix="square-2-")
    ]
    assert {s.part for s in steps} == {"title", "square", "square-2"}
    assert "square-2-slope-a3" in names and "square-slope-a2" in names


def test_rules_card_lists_the_parts_since_the_last_rules_card() -> None:
    lesson = parse_lesson(
        lesson_text(
            'title = "T"',
            "[[part]]", 'function = "square"',
            "[[part]]", 'function = "cube"',
            "[[part]]", 'card = "rules"',
            "[[part]]", 'function = "log"',
            "[[part]]", 'function = "3a"', "in_rules = false",
            "[[part]]", 'function = "log"', "points = [3]",
            "[[part]]", 'function = "a^2"', "points = [1]",
            "[[part]]", 'card = "rules"', 'heading = "More rules"',
        )
    )
    first, second = (p for p in lesson.parts if isinstance(p, CardPart))
    assert [(f, d) for f, d, _, _ in first.rules] == [("a²", "2a"), ("a³", "3a²")]
    # log once although two parts show it; 3a is kept off; a² again since the first card
    assert [(f, d) for f, d, _, _ in second.rules] == [("log a", "1/a"), ("a²", "2a")]
    assert [(t, dt) for _, _, t, dt in second.rules] == [("log a", "1/a"), ("a^2", "2a")]
    cards = [s for s in lesson_steps(lesson) if s.kind == "rules"]
    assert [s.name for s in cards] == ["rules", "rules-2"]
    assert cards[0].caption == "From a table of derivatives: a² has slope 2a; a³ has slope 3a²."
    assert cards[1].caption == "More rules: log a has slope 1/a; a² has slope 2a."
    assert [s.card for s in cards] == [first, second]
    assert [s.duration for s in cards] == [3.5 + 0.5 * 2, 3.5 + 0.5 * 2]


def sig(d: Decimal, digits: int) -> str:
    """d rounded half-even to `digits` significant digits, plain notation, zeros cut."""
    with localcontext() as ctx:
        ctx.prec = 50
        r = d.quantize(Decimal(1).scaleb(d.adjusted() - digits + 1), rounding=ROUND_HALF_EVEN)
    text = format(r, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def test_digits_round_the_caption_values() -> None:
    """digits = 4: rounded values show 4 significant digits; exact ones every digit."""
    lesson = parse_lesson(
        lesson_text(
            'title = "T"',
            "digits = 4",
            "[[part]]", 'function = "log"', "points = [2, 3]", "nudges = [1, 0.001]",
            "[[part]]", 'function = "square"', "points = [2]", "nudges = [0.001]",
        )
    )
    assert lesson.digits == 4
    by_name = {s.name: s.caption for s in lesson_steps(lesson)}
    assert by_name["log-slide-a2"] == f"Slide the point to a = 2, where f(a) ≈ {sig(ln(F(2)), 4)}."
    assert sig(ln(F(2)), 4) == "0.6931"
    df, ratio = log_values(F(2), F(1))
    assert by_name["log-nudge-a2-d1"] == (
        f"Nudge a right by Δa = 1: f rises by ≈{sig(df, 4)}, so Δf/Δa ≈ {sig(ratio, 4)}."
    )
    _, ratio = log_values(F(2), F(1, 1000))
    assert by_name["log-shrink-a2-d0.001"] == (
        f"Shrink the nudge to Δa = 0.001: now Δf/Δa ≈ {sig(ratio, 4)}."
    )
    assert sig(ratio, 4) == "0.4999"
    # 1/3 is rounded to 4 digits too; 0.5 stays exact
    third = sig(Decimal(1) / Decimal(3), 4)
    assert f"f'(3) ≈ {third}." in by_name["log-slope-a3"]
    assert by_name["log-rule"].endswith(f"f'(2) = 0.5, f'(3) ≈ {third}.")
    # exact values keep every digit whatever digits says
    assert by_name["square-nudge-a2-d0.001"] == (
        "Nudge a right by Δa = 0.001: f rises by 0.004001, so Δf/Δa = 4.001."
    )
    # the default 5 digits, for comparison
    five = {s.name: s.caption for s in clip_steps(clip_spec("log"), prefix="log-")}
    assert f"f(a) ≈ {sig(ln(F(2)), 5)}." in five["log-slide-a2"]
