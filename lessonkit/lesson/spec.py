"""Validated clip and lesson specs: what a scene shows, and the predictable names of its files.

A spec is built from user input once, checked once (domain, nudges, overflow), and then
handed to scenes, renders and exports, which never re-parse or re-validate anything.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any, ClassVar

from lessonkit.base.errors import LessonError
from lessonkit.lesson.i18n import ENGLISH, N_, Words, builtin_words
from lessonkit.lesson.quality import QUALITIES, Quality, parse_size  # re-exported
from lessonkit.maths.functions import Function, Window, nice_step
from lessonkit.maths.lookup import get_function
from lessonkit.maths.nudge import (
    DEFAULT_SCHEDULE,
    SIDES,
    Nudge,
    check_drawable,
    check_nudge,
    check_point,
    nudge,
    sides_at,
)
from lessonkit.maths.numbers import SCREEN_DIGITS, Value, parse_number

__all__ = [
    "ClipSpec",
    "LessonSpec",
    "QUALITIES",
    "Quality",
    "clip_spec",
    "short_slug",
    "parse_schedule",
    "NudgePart",
    "CardPart",
    "Part",
    "parse_size",
]


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
    digits: int = SCREEN_DIGITS  # significant digits shown for values that are not exact
    words: Words = ENGLISH  # the language of its captions, chapters and on-screen words
    #: the side(s) each point is nudged from: "right", "left" or "both"; None: both at a
    #: kink (where f has no single slope), the right elsewhere
    side: str | None = None
    #: the part kind that tells and draws a clip: a clip is a nudge part played alone
    kind: ClassVar[str] = "nudge"

    def __post_init__(self) -> None:
        if not self.points:
            raise LessonError("a clip needs at least one point (--at)")
        if not self.schedule:
            raise LessonError("a clip needs at least one nudge")
        if len(self.points) > MAX_POINTS:
            raise LessonError(
                f"{len(self.points)} points asked: a clip visits at most {MAX_POINTS} "
                "(each adds 15 s or more of video); split them over several parts"
            )
        if len(self.schedule) > MAX_NUDGES:
            raise LessonError(
                f"{len(self.schedule)} nudges asked: a clip shrinks the nudge at most "
                f"{MAX_NUDGES} times (each adds 3.5 s of video at every point)"
            )
        if len(set(self.points)) != len(self.points):
            raise LessonError("each point may appear only once (--at)")
        if self.side is not None and self.side not in SIDES:
            raise LessonError(f"side must be right, left or both, got {self.side!r}")
        for da in self.schedule:
            check_nudge(da)
        if any(b >= a for a, b in zip(self.schedule, self.schedule[1:], strict=False)):
            raise LessonError(
                "nudges must shrink strictly: list each once, from largest to smallest"
            )
        for i, a in enumerate(self.points):
            check_point(self.function, a)
            for side in self.sides_at(i):
                for da in self.schedule:
                    # raises for a+Δa outside the domain or overflow
                    nudge(self.function, a, da, side=side)
        left = any(-1 in self.sides_at(i) for i in range(len(self.points)))
        lo = float(min(self.points) - (self.schedule[0] if left else 0))
        hi = float(max(self.points) + self.schedule[0])
        inside = [x for x in self.function.breaks(lo, hi) if lo < x < hi]
        if inside:
            raise LessonError(
                f"{self.function.formula} is undefined at a = {inside[0]:g}, between the points "
                "and their nudges: choose points on one side of it"
            )

    @property
    def later_schedule(self) -> tuple[Fraction, ...]:
        """The shorter schedule used at the second and later points: first and last nudge."""
        if len(self.schedule) <= 2:
            return self.schedule
        return (self.schedule[0], self.schedule[-1])

    def schedule_at(self, index: int) -> tuple[Fraction, ...]:
        return self.schedule if index == 0 else self.later_schedule

    def check_drawable(self) -> None:
        """Refuse, in one line, a point whose value or slope is too large to draw (a render
        asks; `lessonkit table` prints any point's numbers)."""
        for a in self.points:
            check_drawable(self.function, a)

    def sides_at(self, index: int) -> tuple[int, ...]:
        """The sides the index-th point is nudged from, in order (+1 right, -1 left)."""
        return sides_at(self.function, self.points[index], self.side)

    def rows(self, index: int, side: int = 1) -> list[Nudge]:
        """The convergence rows shown at the index-th point, nudged from `side`."""
        a = self.points[index]
        return [nudge(self.function, a, da, self.digits, side) for da in self.schedule_at(index)]

    @property
    def slug(self) -> str:
        """A file-safe name that is the same every time for the same spec: 'square-a2-a5'."""
        parts = [self.function.name, *("a" + _number_slug(a) for a in self.points)]
        if self.schedule != DEFAULT_SCHEDULE:
            parts.append("n" + "_".join(_number_slug(d) for d in self.schedule))
        if self.side is not None:
            parts.append(self.side)
        if self.words.language != ENGLISH.language:
            parts.append(self.words.language.lower())
        return short_slug("-".join(parts))

    @property
    def title(self) -> str:
        pts = ", ".join(Value(a).text() for a in self.points)
        template = self.words(N_("{title} at a = {points}"))
        return template.replace("{title}", self.function.title).replace("{points}", pts)

    @property
    def window(self) -> Window:
        """The function's window, widened (to round tick steps) to hold every nudge; made
        from the points alone when widening would reach across a pole or a domain end."""
        fn = self.function
        w = fn.window
        xs = [float(a) for a in self.points] + [float(a + self.schedule[0]) for a in self.points]
        ys = [float(fn.value(x)) for x in (*self.points,)]
        ys += [float(fn.value(a + self.schedule[0])) for a in self.points]
        x_min, x_max = min(w.x_min, *xs), max(w.x_max, *xs)
        if not fn.tuned_window:
            # room right of the last nudge for its Δf label before the readout panel
            x_max = max(x_max, max(xs) + 0.15 * (x_max - x_min))
        y_min, y_max = min(w.y_min, *ys), max(w.y_max, *ys)
        if (x_min, x_max, y_min, y_max) == (w.x_min, w.x_max, w.y_min, w.y_max):
            return w
        if any(x_min < b < x_max for b in fn.breaks(x_min, x_max)):
            return _window_around(fn, min(xs), max(xs), ys)
        x_step = nice_step(x_max - x_min)
        y_step = nice_step(y_max - y_min)
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
                "function": self.function.source,
                "points": [Value(a).text() for a in self.points],
                "schedule": [Value(d).text() for d in self.schedule],
                "digits": self.digits,
                "language": self.words.language,
                "side": self.side,
            }
        )

    @classmethod
    def from_json(cls, text: str) -> ClipSpec:
        data = json.loads(text)
        spec = clip_spec(data["function"], data["points"], data["schedule"], side=data.get("side"))
        words = builtin_words(str(data.get("language", ENGLISH.language)))
        return replace(spec, digits=int(data.get("digits", SCREEN_DIGITS)), words=words)


#: Most points and nudges one clip (one nudge part) may have: a longer clip is a long wait
#: for a video nobody watches (docs/lesson-files.md says so too).
MAX_POINTS = 20
MAX_NUDGES = 12

#: Longest slug kept whole; longer ones keep a readable start and add a hash of the rest.
MAX_SLUG = 80


def short_slug(slug: str) -> str:
    """A slug short enough for any file system, still unique and readable.

    >>> short_slug("square-a2-a5")
    'square-a2-a5'
    >>> len(short_slug("square-" + "-".join(f"a{i}" for i in range(200))))
    71
    """
    if len(slug) <= MAX_SLUG:
        return slug
    digest = hashlib.sha256(slug.encode()).hexdigest()[:10]
    return slug[:60].rstrip("-_p") + "-" + digest


def _window_around(fn: Function, lo: float, hi: float, ys: list[float]) -> Window:
    """A window around [lo, hi] that stops short of the nearest break on either side."""
    span = max(hi - lo, 1.0)
    left, right = lo - 0.5 * span, hi + 0.3 * span
    breaks = fn.breaks(left, right)
    before = [b for b in breaks if b <= lo]
    after = [b for b in breaks if b >= hi]
    if before:
        left = max(left, max(before) + 0.1 * (lo - max(before)))
    if after:
        right = min(right, min(after) - 0.1 * (min(after) - hi))
    x_step = nice_step(right - left)
    x0 = math.floor(left / x_step) * x_step
    if before and x0 <= max(before):
        x0 += x_step
    x1 = math.ceil(right / x_step) * x_step
    if after and x1 >= min(after):
        x1 -= x_step
    x0, x1 = min(x0, lo), max(x1, hi)
    samples = [fn(x0 + (x1 - x0) * i / 200) for i in range(201)]
    finite = sorted(y for y in samples if math.isfinite(y))
    if finite:
        cut = len(finite) // 20
        ys = [*ys, finite[cut], finite[-1 - cut]]
    y0, y1 = min(ys), max(ys)
    pad = max(y1 - y0, 1e-9) * 0.1
    y_step = nice_step(y1 - y0 + 2 * pad)
    return Window(
        x0,
        x1,
        x_step,
        math.floor((y0 - pad) / y_step) * y_step,
        math.ceil((y1 + pad) / y_step) * y_step,
        y_step,
    )


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
    language: str | None = None,
    side: str | None = None,
) -> ClipSpec:
    """Build and validate a clip spec from names and text, with the lesson's defaults,
    its words in `language` (default English)."""
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
    words = builtin_words(language) if language else ENGLISH
    return ClipSpec(fn, pts, steps, words=words, side=side)


@dataclass(frozen=True)
class NudgePart:
    """A part of a lesson where the point slides and the nudge triangle shrinks."""

    clip: ClipSpec
    name: str  # section-name prefix, e.g. "square" or "recap"
    label: str  # chapter head, e.g. "a²" or "Recap"
    captions: tuple[tuple[str, str], ...] = ()  # (step kind or name, template) overrides
    in_rules: bool = True  # listed on the next rules card
    line: int = 0  # where the part starts in its lesson file, for error messages
    narration: tuple[tuple[str, str], ...] = ()  # what the voice says, as `captions`
    kind: ClassVar[str] = "nudge"  # its part kind (lessonkit/parts/nudge)

    def caption_for(self, kind: str, name: str) -> str | None:
        """The author's template for a step: by its own name first, then by its kind."""
        found = dict(self.captions)
        return found.get(name, found.get(kind))

    def narration_for(self, kind: str, name: str) -> str | None:
        """The author's narration template for a step, found as `caption_for` finds one."""
        found = dict(self.narration)
        return found.get(name, found.get(kind))


@dataclass(frozen=True)
class CardPart:
    """A full-frame card: the derivative rules of the parts before it, or text."""

    card: str  # "rules" or "text"
    name: str  # the step's section name
    label: str  # chapter title
    heading: str
    lines: tuple[str, ...] = ()  # text cards: one entry per line ("\n" breaks a line)
    numbered: bool = True  # text cards: "1." "2." before the lines
    caption: str | None = None  # template; None: made from the card
    duration: float | None = None  # seconds; None: from the amount shown
    #: rules cards: (formula, derivative) as plain text and as Typst math, computed
    rules: tuple[tuple[str, str, str, str], ...] = ()
    line: int = 0
    narration: str | None = None  # template; None: the caption
    kind: ClassVar[str] = "card"  # its part kind (lessonkit/parts/card)


#: a lesson's part: the built-in nudge and card, or a part of an installed kind
#: (`lessonkit.lesson.kinds`), which has `kind`, `name`, `label` and `line`
Part = NudgePart | CardPart | Any

#: What a lesson file may leave out.
DEFAULT_RULES_HEADING = N_("From a table of derivatives")


@dataclass(frozen=True)
class LessonSpec:
    """A lesson read from a file: a title card, then nudge parts and cards, in order."""

    title: str
    parts: tuple[Part, ...]
    slug: str
    subtitle: str | None = None
    language: str = "en"
    digits: int = SCREEN_DIGITS  # significant digits shown for values that are not exact
    caption: str | None = None  # title card caption template
    narration: str | None = None  # what the voice says over the title card
    voice: str | None = None  # the lesson's voice; None: the command's choice
    title_card: bool = True
    source: str = ""  # the lesson file's text: part of the render key
    words: Words = ENGLISH  # lessonkit's and the lesson's words in `language`
    caption_languages: tuple[str, ...] = ("en",)  # caption tracks: `language` first
    path: str = ""  # the lesson file, where its catalogues are found ("" if none)

    @property
    def clips(self) -> tuple[ClipSpec, ...]:
        """Every nudge part's clip, in order."""
        return tuple(p.clip for p in self.parts if isinstance(p, NudgePart))

    @property
    def nudge_parts(self) -> tuple[NudgePart, ...]:
        return tuple(p for p in self.parts if isinstance(p, NudgePart))

    def to_json(self) -> str:
        return json.dumps([self.slug, self.source, self.language, self.words.messages])
