"""Validated clip and lesson specs: what a scene shows, and the predictable names of its files.

A spec is built from user input once, checked once (domain, nudges, overflow), and then
handed to scenes, renders and exports, which never re-parse or re-validate anything.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from lessonkit.errors import LessonError
from lessonkit.functions import Function, Window, get_function
from lessonkit.nudge import DEFAULT_SCHEDULE, Nudge, check_nudge, check_point, nudge
from lessonkit.numbers import Value, parse_number

__all__ = [
    "ClipSpec",
    "LessonSpec",
    "QUALITIES",
    "Quality",
    "clip_spec",
    "parse_schedule",
    "default_lesson",
]


@dataclass(frozen=True)
class Quality:
    """A render preset: frame height, width and frame rate."""

    name: str
    height: int
    width: int
    fps: int

    @property
    def folder(self) -> str:
        """Manim's own folder name for the preset, e.g. '1080p60'."""
        return f"{self.height}p{self.fps}"


QUALITIES: dict[str, Quality] = {
    q.name: q
    for q in (
        Quality("preview", 480, 854, 15),
        Quality("draft", 720, 1280, 30),
        Quality("production", 1080, 1920, 60),
        Quality("4k", 2160, 3840, 60),
    )
}


def _number_slug(q: Fraction) -> str:
    # no "." (Manim cuts file names at the last dot) and no leading "-": 2.5 -> 2p5, -1 -> m1
    return Value(q).text().replace("-", "m").replace(".", "p")


@dataclass(frozen=True)
class ClipSpec:
    """One nudge clip: a function, the points to visit and the shrinking nudges.

    The first point runs the whole schedule; later points use `later_schedule`, shorter,
    so that the clip compares slopes rather than repeating the same zoom.
    """

    function: Function
    points: tuple[Fraction, ...]
    schedule: tuple[Fraction, ...] = DEFAULT_SCHEDULE

    def __post_init__(self) -> None:
        if not self.points:
            raise LessonError("a clip needs at least one point (--at)")
        if not self.schedule:
            raise LessonError("a clip needs at least one nudge")
        if len(set(self.points)) != len(self.points):
            raise LessonError("each point may appear only once (--at)")
        for da in self.schedule:
            check_nudge(da)
        if any(b >= a for a, b in zip(self.schedule, self.schedule[1:], strict=False)):
            raise LessonError(
                "nudges must shrink strictly: list each once, from largest to smallest"
            )
        for a in self.points:
            check_point(self.function, a)
            for da in self.schedule:
                nudge(self.function, a, da)  # raises for a+Δa outside the domain or overflow

    @property
    def later_schedule(self) -> tuple[Fraction, ...]:
        """The shorter schedule used at the second and later points: first and last nudge."""
        if len(self.schedule) <= 2:
            return self.schedule
        return (self.schedule[0], self.schedule[-1])

    def schedule_at(self, index: int) -> tuple[Fraction, ...]:
        return self.schedule if index == 0 else self.later_schedule

    def rows(self, index: int) -> list[Nudge]:
        """The convergence rows shown at the index-th point."""
        a = self.points[index]
        return [nudge(self.function, a, da) for da in self.schedule_at(index)]

    @property
    def slug(self) -> str:
        """A file-safe name that is the same every time for the same spec: 'square-a2-a5'."""
        parts = [self.function.name, *("a" + _number_slug(a) for a in self.points)]
        if self.schedule != DEFAULT_SCHEDULE:
            parts.append("n" + "_".join(_number_slug(d) for d in self.schedule))
        return "-".join(parts)

    @property
    def title(self) -> str:
        pts = ", ".join(Value(a).text() for a in self.points)
        return f"{self.function.title} at a = {pts}"

    @property
    def window(self) -> Window:
        """The function's window, widened (to round tick steps) to hold every nudge."""
        w = self.function.window
        xs = [float(a) for a in self.points] + [float(a + self.schedule[0]) for a in self.points]
        ys = [float(self.function.value(x)) for x in (*self.points,)]
        ys += [float(self.function.value(a + self.schedule[0])) for a in self.points]
        x_min, x_max = min(w.x_min, *xs), max(w.x_max, *xs)
        y_min, y_max = min(w.y_min, *ys), max(w.y_max, *ys)
        if (x_min, x_max, y_min, y_max) == (w.x_min, w.x_max, w.y_min, w.y_max):
            return w
        x_step = _nice_step(x_max - x_min)
        y_step = _nice_step(y_max - y_min)
        return Window(
            math.floor(x_min / x_step) * x_step,
            math.ceil(x_max * 1.1 / x_step) * x_step,
            x_step,
            math.floor(y_min / y_step) * y_step,
            math.ceil(y_max * 1.1 / y_step) * y_step,
            y_step,
        )

    def to_json(self) -> str:
        """The spec as JSON, exact numbers as text: how a render child process receives it."""
        return json.dumps(
            {
                "function": self.function.name,
                "points": [Value(a).text() for a in self.points],
                "schedule": [Value(d).text() for d in self.schedule],
            }
        )

    @classmethod
    def from_json(cls, text: str) -> ClipSpec:
        data = json.loads(text)
        return clip_spec(data["function"], data["points"], data["schedule"])


def _nice_step(span: float) -> float:
    """A 1-2-5 tick step giving about six ticks over span."""
    raw = span / 6
    mag = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if raw <= m * mag:
            return float(m * mag)
    return float(10 * mag)


def parse_schedule(texts: Iterable[str] | str | None) -> tuple[Fraction, ...] | None:
    """Nudges from ("1", "0.1") or "1,0.1,0.01"; None when none were given."""
    if texts is None:
        return None
    if isinstance(texts, str):
        texts = [texts]
    texts = list(texts)
    if not texts:
        return None
    items = [t for text in texts for t in text.split(",")]
    if any(not t.strip() for t in items):
        raise LessonError(f"empty nudge in {','.join(texts)!r}: give numbers such as 1,0.1,0.01")
    return tuple(parse_number(t, "nudge") for t in items)


def clip_spec(
    function: str | Function,
    points: Sequence[str | Fraction] | None = None,
    schedule: Sequence[str | Fraction] | None = None,
) -> ClipSpec:
    """Build and validate a clip spec from names and text, with the lesson's defaults."""
    fn = get_function(function) if isinstance(function, str) else function
    pts = (
        fn.points
        if not points
        else tuple(p if isinstance(p, Fraction) else parse_number(p, "--at") for p in points)
    )
    steps = (
        DEFAULT_SCHEDULE
        if not schedule
        else tuple(d if isinstance(d, Fraction) else parse_number(d, "nudge") for d in schedule)
    )
    return ClipSpec(fn, pts, steps)


@dataclass(frozen=True)
class LessonSpec:
    """The full lesson: a linear recap, then one clip per function, then the rules card."""

    title: str
    recap: ClipSpec
    clips: tuple[ClipSpec, ...]
    slug: str = "more-derivative-examples"

    @property
    def rules(self) -> list[tuple[str, str]]:
        """(formula, derivative) pairs for the closing card, in Typst math."""
        return [(c.function.formula_typst, c.function.derivative_typst) for c in self.clips]


def default_lesson() -> LessonSpec:
    """'More derivative examples': 3a at 2 and 4, a² at 2 and 5, a³ at 2, log a at 2."""
    return LessonSpec(
        title="More derivative examples",
        recap=clip_spec("linear", points=[Fraction(2), Fraction(4)], schedule=[Fraction(1)]),
        clips=(clip_spec("square"), clip_spec("cube"), clip_spec("log")),
    )
