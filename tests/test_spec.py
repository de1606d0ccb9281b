"""lessonkit.lesson.spec: validated clip specs, stable slugs, JSON round trips and windows."""

from __future__ import annotations

import json
import re
from fractions import Fraction

import pytest

from lessonkit.base.errors import LessonError
from lessonkit.lesson.lessonfile import default_lesson
from lessonkit.lesson.spec import (
    QUALITIES,
    CardPart,
    ClipSpec,
    clip_spec,
    parse_schedule,
)
from lessonkit.maths.lookup import get_function
from lessonkit.maths.nudge import DEFAULT_SCHEDULE

FILE_SAFE = re.compile(r"[A-Za-z0-9._]+(-[A-Za-z0-9._]+)*")


# --- building specs ----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["linear", "square", "cube", "log"])
def test_clip_spec_defaults(name: str) -> None:
    spec = clip_spec(name)
    fn = get_function(name)
    assert spec.function is fn
    assert spec.points == fn.points
    assert spec.schedule == DEFAULT_SCHEDULE


def test_clip_spec_parses_text_exactly() -> None:
    spec = clip_spec("a^2", ["2", "-0.5"], ["0.5", "1e-3"])
    assert spec.function.name == "square"
    assert spec.points == (Fraction(2), Fraction(-1, 2))
    assert spec.schedule == (Fraction(1, 2), Fraction(1, 1000))


def test_clip_spec_accepts_fractions_and_function_objects() -> None:
    fn = get_function("cube")
    spec = clip_spec(fn, [Fraction(3)], [Fraction(1, 10)])
    assert spec == ClipSpec(fn, (Fraction(3),), (Fraction(1, 10),))


@pytest.mark.parametrize(
    ("function", "points", "schedule", "match"),
    [
        ("log", ["0"], None, "outside its domain"),
        ("log", ["-2"], None, "outside its domain"),
        ("log", ["2", "0"], None, "outside its domain"),
        ("square", None, ["0"], "positive"),
        ("square", None, ["-0.1"], "positive"),
        ("square", None, ["1", "0"], "positive"),
        ("square", ["nan"], None, "finite"),
        ("square", ["inf"], None, "finite"),
        ("square", None, ["nan"], "finite"),
        ("square", None, ["-inf"], "finite"),
        ("square", ["1e400"], None, "too large or too small"),
        ("square", None, ["1e400"], "too large or too small"),
        ("square", ["two"], None, "decimal number"),
        ("square", None, ["tiny"], "decimal number"),
        ("square", None, ["0.001", "0.1"], "shrink"),
        ("square", None, ["1", "0.01", "0.1"], "shrink"),
        ("square", ["2", "2"], None, "only once"),
        ("square", ["2", "2.0"], None, "only once"),
        ("square", ["5", "2", "5"], None, "only once"),
        ("square", ["2000000"], None, "too large"),
        ("sqare", None, None, "did you mean 'square'"),
    ],
)
def test_clip_spec_refuses_bad_input(
    function: str, points: list[str] | None, schedule: list[str] | None, match: str
) -> None:
    with pytest.raises(LessonError, match=match):
        clip_spec(function, points, schedule)


def test_clip_spec_refuses_repeated_nudge() -> None:
    with pytest.raises(LessonError, match="shrink"):
        clip_spec("square", ["2"], ["0.1", "0.1"])


def test_clip_spec_refuses_empty_points_and_schedule_directly() -> None:
    fn = get_function("square")
    with pytest.raises(LessonError):
        ClipSpec(fn, ())
    with pytest.raises(LessonError):
        ClipSpec(fn, (Fraction(2),), ())


# --- parse_schedule ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (None, None),
        ([], None),
        ("1,0.1,0.01", (Fraction(1), Fraction(1, 10), Fraction(1, 100))),
        (["1", "0.1"], (Fraction(1), Fraction(1, 10))),
        (["1", "0.1,0.01"], (Fraction(1), Fraction(1, 10), Fraction(1, 100))),
        ("0.001", (Fraction(1, 1000),)),
        (" 1 , 0.5 ", (Fraction(1), Fraction(1, 2))),
    ],
)
def test_parse_schedule(texts: object, expected: tuple[Fraction, ...] | None) -> None:
    assert parse_schedule(texts) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("texts", ["", [""], "1,,0.1", ["1", " "]])
def test_parse_schedule_refuses_empty_nudges(texts: object) -> None:
    with pytest.raises(LessonError, match="empty nudge"):
        parse_schedule(texts)  # type: ignore[arg-type]


def test_parse_schedule_refuses_nan() -> None:
    with pytest.raises(LessonError, match="nudge must be a finite number"):
        parse_schedule("1,nan")


# --- slugs -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("function", "points", "schedule", "slug"),
    [
        ("square", None, None, "square-a2-a5"),
        ("a^2", ["2", "5"], ["1", "0.1", "0.01", "0.001"], "square-a2-a5"),
        ("square", ["2.0", "5.00"], None, "square-a2-a5"),
        ("cube", None, None, "cube-a2"),
        ("log", None, None, "log-a2"),
        ("ln", ["2"], None, "log-a2"),
        ("linear", None, None, "linear-a2"),
        ("square", ["10"], None, "square-a10"),
        ("square", ["0.5"], None, "square-a0p5"),
    ],
)
def test_slug_is_stable(
    function: str, points: list[str] | None, schedule: list[str] | None, slug: str
) -> None:
    spec = clip_spec(function, points, schedule)
    assert spec.slug == slug
    assert clip_spec(function, points, schedule).slug == slug  # same again


@pytest.mark.parametrize(
    "schedule",
    [["1"], ["0.5", "0.01"], ["1", "0.1", "0.01"], ["1", "0.1", "0.01", "0.001", "0.0001"]],
)
def test_non_default_schedule_adds_suffix(schedule: list[str]) -> None:
    default = clip_spec("square").slug
    spec = clip_spec("square", None, schedule)
    assert spec.slug != default
    assert spec.slug.startswith(default + "-")
    assert FILE_SAFE.fullmatch(spec.slug)


def test_schedule_suffix_format() -> None:
    assert clip_spec("square", ["2"], ["0.5", "0.01"]).slug == "square-a2-n0p5_0p01"


def test_different_schedules_give_different_slugs() -> None:
    slugs = {
        clip_spec("square", ["2"], s).slug
        for s in (["1"], ["0.1"], ["1", "0.1"], ["1", "0.01"], ["0.5", "0.01"])
    }
    assert len(slugs) == 5


@pytest.mark.parametrize(
    ("function", "points"),
    [
        ("square", ["-2"]),
        ("square", ["-2", "-0.5"]),
        ("cube", ["-3", "3"]),
        ("linear", ["-7.5"]),
        ("square", ["2", "-2"]),
    ],
)
def test_negative_points_give_file_safe_slugs(function: str, points: list[str]) -> None:
    spec = clip_spec(function, points)
    slug = spec.slug
    assert FILE_SAFE.fullmatch(slug), slug
    assert not slug.startswith("-")
    assert "--" not in slug
    parts = slug.split("-")
    # one part for the name, one per point: a minus sign never creates an extra part
    assert parts[0] == spec.function.name
    assert len(parts) == 1 + len(points)
    assert all(p.startswith("a") for p in parts[1:])


def test_negative_and_positive_points_differ() -> None:
    assert clip_spec("square", ["2"]).slug != clip_spec("square", ["-2"]).slug
    assert clip_spec("square", ["-2"]).slug == "square-am2"


# --- JSON round trip ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("function", "points", "schedule"),
    [
        ("square", None, None),
        ("cube", None, None),
        ("log", None, None),
        ("linear", None, ["1"]),
        ("square", ["-2", "0.125"], ["0.5", "0.001"]),
        ("log", ["0.001", "3"], ["1", "1e-12"]),
        ("cube", ["1000000"], ["1000"]),
    ],
)
def test_json_round_trip(
    function: str, points: list[str] | None, schedule: list[str] | None
) -> None:
    spec = clip_spec(function, points, schedule)
    text = spec.to_json()
    data = json.loads(text)
    assert data["function"] == spec.function.name
    # numbers travel as exact decimal strings
    assert all(isinstance(p, str) for p in data["points"] + data["schedule"])
    assert [Fraction(p) for p in data["points"]] == list(spec.points)
    assert [Fraction(d) for d in data["schedule"]] == list(spec.schedule)
    back = ClipSpec.from_json(text)
    assert back == spec
    assert back.slug == spec.slug
    assert back.to_json() == text


def test_from_json_validates() -> None:
    with pytest.raises(LessonError):
        ClipSpec.from_json(json.dumps({"function": "log", "points": ["0"], "schedule": ["1"]}))
    with pytest.raises(LessonError):
        ClipSpec.from_json(json.dumps({"function": "square", "points": ["2"], "schedule": ["nan"]}))


# --- windows -----------------------------------------------------------------------------


def _assert_window_holds(spec: ClipSpec) -> None:
    w = spec.window
    fn = spec.function
    largest = max(spec.schedule)
    assert w.x_step > 0 and w.y_step > 0
    for a in spec.points:
        for x in (a, a + largest):
            assert w.x_min <= x <= w.x_max, (x, w)
            y = fn.value(x).q
            assert w.y_min <= y <= w.y_max, (y, w)


@pytest.mark.parametrize("name", ["linear", "square", "cube", "log"])
def test_default_window_is_the_functions_window(name: str) -> None:
    spec = clip_spec(name)
    assert spec.window == spec.function.window
    _assert_window_holds(spec)


@pytest.mark.parametrize(
    ("function", "points", "schedule"),
    [
        ("square", ["10"], None),
        ("square", ["2", "10"], None),
        ("square", ["-10"], None),
        ("square", ["-2", "-0.5"], None),
        ("cube", ["-3"], None),
        ("cube", ["5"], ["10"]),
        ("linear", ["-7.5"], None),
        ("linear", ["100"], None),
        ("log", ["0.001"], None),
        ("log", ["0.1"], None),
        ("log", ["50"], None),
        ("log", ["2"], ["100"]),
        ("square", ["1000"], ["1000"]),
    ],
)
def test_window_widens_to_hold_points_and_largest_nudge(
    function: str, points: list[str], schedule: list[str] | None
) -> None:
    spec = clip_spec(function, points, schedule)
    assert spec.window != spec.function.window
    _assert_window_holds(spec)


def test_window_square_at_ten() -> None:
    w = clip_spec("square", ["10"]).window
    assert w.x_max >= 11 and w.y_max >= 121
    # tick steps stay round (1-2-5 times a power of ten)
    for step in (w.x_step, w.y_step):
        mantissa = step / 10 ** int(f"{step:e}".split("e")[1])
        assert mantissa in (1.0, 2.0, 5.0)


# --- clip rows, titles, lesson -----------------------------------------------------------


def test_later_points_use_shorter_schedule() -> None:
    spec = clip_spec("square")
    assert spec.later_schedule == (Fraction(1), Fraction(1, 1000))
    assert spec.schedule_at(0) == DEFAULT_SCHEDULE
    assert spec.schedule_at(1) == spec.later_schedule
    first = spec.rows(0)
    second = spec.rows(1)
    assert [r.da.q for r in first] == list(DEFAULT_SCHEDULE)
    assert [(r.a.q, r.da.q) for r in second] == [
        (Fraction(5), Fraction(1)),
        (Fraction(5), Fraction(1, 1000)),
    ]
    assert second[-1].as_text()["f_a_plus_da"] == "25.010001"
    assert second[-1].as_text()["ratio"] == "10.001"


def test_short_schedule_is_kept_for_later_points() -> None:
    spec = clip_spec("square", None, ["1", "0.001"])
    assert spec.later_schedule == spec.schedule


def test_title() -> None:
    assert clip_spec("square").title == "f(a) = a² at a = 2, 5"
    assert clip_spec("log", ["0.5"]).title == "f(a) = log a at a = 0.5"


def test_default_lesson() -> None:
    lesson = default_lesson()
    assert lesson.title == "More derivative examples"
    assert lesson.slug == "more-derivative-examples"
    recap, *clips = lesson.clips
    assert recap.function.name == "linear"
    assert recap.points == (Fraction(2), Fraction(4)) and recap.schedule == (Fraction(1),)
    assert [c.function.name for c in clips] == ["square", "cube", "log"]
    assert [c.slug for c in clips] == ["square-a2-a5", "cube-a2", "log-a2"]
    assert [(p.name, p.label, p.in_rules) for p in lesson.nudge_parts] == [
        ("recap", "Recap", False), ("square", "a²", True), ("cube", "a³", True),
        ("log", "log a", True),
    ]
    (rules,) = [p for p in lesson.parts if isinstance(p, CardPart) and p.card == "rules"]
    # the recap (in_rules = false) stays off the rules card
    assert [(r[2], r[3]) for r in rules.rules] == [("a^2", "2a"), ("a^3", "3a^2"), ("log a", "1/a")]
    assert [(r[0], r[1]) for r in rules.rules] == [("a²", "2a"), ("a³", "3a²"), ("log a", "1/a")]


@pytest.mark.parametrize(
    ("name", "height", "width", "fps", "folder"),
    [
        ("preview", 480, 854, 15, "480p15"),
        ("draft", 720, 1280, 30, "720p30"),
        ("production", 1080, 1920, 60, "1080p60"),
        ("4k", 2160, 3840, 60, "2160p60"),
    ],
)
def test_qualities(name: str, height: int, width: int, fps: int, folder: str) -> None:
    q = QUALITIES[name]
    assert (q.height, q.width, q.fps, q.folder) == (height, width, fps, folder)
