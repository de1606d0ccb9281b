"""The exact row a frame shows while the point slides or the nudge shrinks.

The picture moves with continuous trackers, but readouts computed from those floats do not
add up: one frame could show Δa = 0.001 beside Δf = 0.005146 and Δf/Δa = 4.001. Instead
each frame shows the math module's exact row for a *quantised* (a, Δa): Δa on a ladder of
round numbers whose reciprocals terminate, a on a decimal grid suited to the slide. So every
frame is a row a student could check by hand, and the numbers change a few times a second.
No Manim here: this is arithmetic, tested on its own.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from fractions import Fraction

from lessonkit.base.errors import LessonError
from lessonkit.maths.functions import Function
from lessonkit.maths.nudge import Nudge, nudge

__all__ = ["DA_LADDER", "ladder_for", "ladder_nudge", "slide_step", "snap_point", "LiveRows"]

#: Mantissas of the Δa shown while a nudge shrinks: about ten per decade, evenly spaced on
#: a log scale, each of the form 2^i 5^j so that Δf/Δa of a polynomial is an exact decimal.
DA_LADDER: tuple[Fraction, ...] = tuple(
    Fraction(m) for m in ("1", "1.25", "1.6", "2", "2.5", "3.2", "4", "5", "6.4", "8")
)


#: Coarser ladders for shrinks spanning several decades (1-2-5, then powers of ten), so
#: that the numbers still change only a few times a second.
COARSE_LADDERS: tuple[tuple[float, tuple[Fraction, ...]], ...] = (
    (1.2, DA_LADDER),
    (4.2, (Fraction(1), Fraction(2), Fraction(5))),
    (math.inf, (Fraction(1),)),
)


def ladder_for(start: Fraction, end: Fraction) -> tuple[Fraction, ...]:
    """The mantissas for a shrink from `start` to `end`: about 10 to 13 stops in all.

    >>> len(ladder_for(Fraction(1), Fraction(1, 10))), ladder_for(Fraction(1), Fraction(1, 1000))
    (10, (Fraction(1, 1), Fraction(2, 1), Fraction(5, 1)))
    """
    decades = abs(math.log10(start / end)) if start > 0 and end > 0 else 0.0
    return next(ladder for most, ladder in COARSE_LADDERS if decades <= most)


def _clamp(q: Fraction, ends: tuple[Fraction, Fraction]) -> Fraction:
    lo, hi = min(ends), max(ends)
    return min(max(q, lo), hi)


def ladder_nudge(da: float, mantissas: tuple[Fraction, ...] = DA_LADDER) -> Fraction:
    """The rung of `mantissas` (times a power of ten) nearest to `da` on a log scale.

    >>> ladder_nudge(0.0031), ladder_nudge(0.75), ladder_nudge(1.0)
    (Fraction(2, 625), Fraction(4, 5), Fraction(1, 1))
    """
    exponent = math.floor(math.log10(da))
    best: tuple[float, Fraction] | None = None
    for power in (exponent - 1, exponent, exponent + 1):
        scale = Fraction(10) ** power
        for m in mantissas:
            rung = m * scale
            distance = abs(math.log10(float(rung)) - math.log10(da))
            if best is None or distance < best[0]:
                best = (distance, rung)
    assert best is not None
    return best[1]


def slide_step(distance: Fraction) -> Fraction:
    """The grid a sliding point is shown on: a power of ten giving 10 to 100 stops.

    >>> slide_step(Fraction(1)), slide_step(Fraction(3)), slide_step(Fraction(1, 4))
    (Fraction(1, 10), Fraction(1, 10), Fraction(1, 100))
    """
    if distance <= 0:
        return Fraction(1)
    return Fraction(10) ** (math.floor(math.log10(distance)) - 1)


def snap_point(a: float, start: Fraction, end: Fraction) -> Fraction:
    """Where a point sliding from `start` to `end` is shown: on the slide's decimal grid,
    never beyond either end.

    >>> snap_point(1.337, Fraction(1), Fraction(2))
    Fraction(13, 10)
    """
    step = slide_step(abs(end - start))
    return _clamp(round(Fraction(a) / step) * step, (start, end))


def _near(x: float, q: Fraction) -> bool:
    return abs(x - float(q)) <= 1e-9 * max(1.0, abs(float(q)))


class LiveRows:
    """Exact nudge rows for quantised (a, Δa), cached: a frame whose values repeat costs a
    dictionary look-up, a new value one call of `lessonkit.maths.nudge.nudge`."""

    def __init__(self, fn: Function, digits: int, size: int = 2048) -> None:
        self.fn = fn
        self.digits = digits
        self.size = size
        self._rows: OrderedDict[tuple[Fraction, Fraction], Nudge | None] = OrderedDict()

    def row(self, a: Fraction, da: Fraction) -> Nudge | None:
        """The exact row at (a, Δa) (Δa < 0: nudged left), or None where f is undefined."""
        key = (a, da)
        if key in self._rows:
            self._rows.move_to_end(key)
            return self._rows[key]
        try:
            side = 1 if da > 0 else -1
            found: Nudge | None = nudge(self.fn, a, abs(da), self.digits, side)
        except LessonError:
            found = None
        self._rows[key] = found
        if len(self._rows) > self.size:
            self._rows.popitem(last=False)
        return found

    def shown(self, origin: Nudge, target: Nudge, a: float, da: float) -> Nudge:
        """The row to show with the trackers at (a, Δa), moving from `origin` to `target`.

        An end the trackers sit on is shown as it is (the target at rest reads its own
        text); in between, a and Δa are quantised and clamped between the two ends.
        """
        if _near(a, target.a.q) and _near(da, target.da.q):
            return target
        side = target.side  # Δa keeps its sign (left: Δa < 0); the ladder is of |Δa|
        da = abs(da)
        a_ends, da_ends = (origin.a.q, target.a.q), (abs(origin.da.q), abs(target.da.q))
        qa = next((q for q in a_ends if _near(a, q)), None)
        if qa is None:
            qa = snap_point(a, *a_ends)
        qda = next((q for q in da_ends if _near(da, q)), None)
        if qda is None:
            qda = _clamp(ladder_nudge(da, ladder_for(*da_ends)), da_ends)
        found = self.row(qa, side * qda)
        if found is not None:
            return found
        # f undefined at the quantised point (near a domain end): the nearer end instead
        return origin if abs(a - float(origin.a.q)) < abs(a - float(target.a.q)) else target
