"""Put a label beside an anchor where it covers nothing: no other label, no piece of curve."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import DL, DR, UL, UR, Mobject

__all__ = ["place_clear", "overlaps"]


def overlaps(mob: Mobject, other: Mobject, pad: float = 0.08) -> bool:
    """True when the two bounding boxes (grown by `pad`) intersect."""
    a0, a1 = mob.get_corner(DL), mob.get_corner(UR)
    b0, b1 = other.get_corner(DL), other.get_corner(UR)
    return bool(
        a0[0] - pad < b1[0] and b0[0] - pad < a1[0] and a0[1] - pad < b1[1] and b0[1] - pad < a1[1]
    )


def _covers(mob: Mobject, points: np.ndarray, pad: float = 0.08) -> bool:
    lo, hi = mob.get_corner(DL) - pad, mob.get_corner(UR) + pad
    inside = (points[:, 0] > lo[0]) & (points[:, 0] < hi[0])
    inside &= (points[:, 1] > lo[1]) & (points[:, 1] < hi[1])
    return bool(inside.any())


def place_clear(
    mob: Mobject,
    anchor: np.ndarray,
    obstacles: Sequence[Mobject] = (),
    curve_points: np.ndarray | None = None,
    directions: Sequence[np.ndarray] = (UL, DR, UR, DL),
    buff: float = 0.2,
    within: tuple[float, float, float, float] | None = None,
) -> Mobject:
    """Try each direction in turn; keep the first spot clear of obstacles and the curve
    (and inside the box `within` = (x0, y0, x1, y1), when given)."""
    for d in directions:
        mob.next_to(anchor, d, buff=buff)
        if within is not None and not _inside(mob, within):
            continue
        if any(overlaps(mob, o) for o in obstacles):
            continue
        if curve_points is not None and _covers(mob, curve_points):
            continue
        return mob
    for d in directions:  # nothing is clear: the first spot in the picture
        mob.next_to(anchor, d, buff=buff)
        if within is None or _inside(mob, within):
            return mob
    mob.next_to(anchor, directions[0], buff=buff)
    if within is not None:  # pushed back inside, over whatever is there
        x0, y0, x1, y1 = within
        lo, hi = mob.get_corner(DL), mob.get_corner(UR)
        mob.shift(
            [
                max(0.0, x0 - lo[0]) - max(0.0, hi[0] - x1),
                max(0.0, y0 - lo[1]) - max(0.0, hi[1] - y1),
                0.0,
            ]
        )
    return mob


def _inside(mob: Mobject, box: tuple[float, float, float, float]) -> bool:
    lo, hi = mob.get_corner(DL), mob.get_corner(UR)
    return bool(lo[0] >= box[0] and lo[1] >= box[1] and hi[0] <= box[2] and hi[1] <= box[3])
