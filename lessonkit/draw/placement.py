"""Put a label beside an anchor where it covers nothing: no other label, no piece of curve."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import DL, DR, UL, UR, Mobject

__all__ = ["place_clear", "nearest_clear", "overlaps"]


def overlaps(mob: Mobject, other: Mobject, pad: float = 0.08) -> bool:
    """True when the two bounding boxes (grown by `pad`) intersect."""
    a0, a1 = mob.get_corner(DL), mob.get_corner(UR)
    b0, b1 = other.get_corner(DL), other.get_corner(UR)
    return bool(
        a0[0] - pad < b1[0] and b0[0] - pad < a1[0] and a0[1] - pad < b1[1] and b0[1] - pad < a1[1]
    )


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
    (and inside the box `within` = (x0, y0, x1, y1), when given). When none is clear, the
    nearest spot around that covers least (`nearest_clear`)."""
    for d in directions:
        mob.next_to(anchor, d, buff=buff)
        if within is not None and not _inside(mob, within):
            continue
        if _cost(mob, obstacles, curve_points) == 0:
            return mob
    if nearest_clear(mob, anchor, obstacles, curve_points, within):
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


def nearest_clear(
    mob: Mobject,
    anchor: np.ndarray,
    obstacles: Sequence[Mobject] = (),
    points: np.ndarray | None = None,
    within: tuple[float, float, float, float] | None = None,
    reach: tuple[float, float] = (5.0, 2.5),
) -> bool:
    """Move `mob` to the spot near `anchor` (a grid of centres up to `reach` away, inside
    `within`) that covers least, and of those the nearest; False if no spot fits inside."""
    width, height = mob.width, mob.height
    best: tuple[float, np.ndarray] | None = None
    for dx in np.arange(-reach[0], reach[0] + 1e-9, 0.25):
        for dy in np.arange(-reach[1], reach[1] + 1e-9, 0.2):
            centre = np.array([anchor[0] + dx, anchor[1] + dy, 0.0])
            if within is not None and not (
                within[0] <= centre[0] - width / 2
                and centre[0] + width / 2 <= within[2]
                and within[1] <= centre[1] - height / 2
                and centre[1] + height / 2 <= within[3]
            ):
                continue
            mob.move_to(centre)
            score = _cost(mob, obstacles, points) + float(np.hypot(dx, dy))
            if best is None or score < best[0]:
                best = (score, centre)
    if best is None:
        return False
    mob.move_to(best[1])
    return True


def _cost(mob: Mobject, obstacles: Sequence[Mobject], points: np.ndarray | None) -> int:
    """How much `mob` covers: each obstacle it overlaps counts 1000, each curve point 1."""
    cost = 1000 * sum(overlaps(mob, o) for o in obstacles)
    if points is not None:
        lo, hi = mob.get_corner(DL) - 0.08, mob.get_corner(UR) + 0.08
        inside = (points[:, 0] > lo[0]) & (points[:, 0] < hi[0])
        inside &= (points[:, 1] > lo[1]) & (points[:, 1] < hi[1])
        cost += int(inside.sum())
    return cost


def _inside(mob: Mobject, box: tuple[float, float, float, float]) -> bool:
    lo, hi = mob.get_corner(DL), mob.get_corner(UR)
    return bool(lo[0] >= box[0] and lo[1] >= box[1] and hi[0] <= box[2] and hi[1] <= box[3])
