"""Both-sided nudges on real stills: `preview --frame` of |a| at its kink and of a² at its
flat point, the PNGs read back and measured by colour (issue 20)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

from lessonkit.cli import cli
from lessonkit.draw import palette

pytestmark = pytest.mark.slow

SIZE = ("--size", "640x360")


def stills(tmp_path: Path, *args: str) -> dict[str, np.ndarray]:
    """Step name -> RGB pixels of each still `preview --frame` wrote."""
    result = CliRunner().invoke(
        cli, ["preview", *args, "--frame", *SIZE, "--output-dir", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    pngs = sorted(tmp_path.glob("stills/**/*.png"))
    return {p.stem.split("-", 1)[1]: np.asarray(Image.open(p).convert("RGB")) for p in pngs}


def near(pixels: np.ndarray, colour: str, tolerance: int = 40) -> np.ndarray:
    rgb = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)])
    return np.abs(pixels.astype(int) - rgb).sum(axis=2) < tolerance


def test_a_kink_is_nudged_from_both_sides_and_shows_both_half_tangents(tmp_path: Path) -> None:
    shots = stills(tmp_path, "abs(a)", "--at", "0", "--nudges", "1,0.1")
    names = list(shots)
    right = [n for n in names if "nudge" in n and not n.endswith("-left")]
    left = [n for n in names if "nudge" in n and n.endswith("-left")]
    assert right and left and names.index(right[0]) < names.index(left[0])
    kink = next(n for n in names if n.startswith("kink"))
    picture = shots[kink][:, : int(640 * 0.64)]  # left of the readout panel
    ys, xs = np.nonzero(near(picture, palette.POINT))
    assert len(xs), "the point is drawn"
    x0, y0 = xs.mean(), ys.mean()
    ys, xs = np.nonzero(near(picture, palette.SLOPE))
    # |a| at 0: a half tangent of slope 1 up to the right and one of slope -1 up to the left
    up_right = ((xs > x0 + 8) & (ys < y0 - 8)).sum()
    up_left = ((xs < x0 - 8) & (ys < y0 - 8)).sum()
    assert up_right > 40 and up_left > 40, (up_right, up_left)
    # the panel says there is no single slope, in words, where the table was
    # (below the readouts, which end above the middle of the frame)
    words = shots[kink][200:, int(640 * 0.66) :]
    assert near(words, palette.SLOPE, tolerance=90).sum() > 100


def test_the_left_nudge_draws_its_triangle_left_of_the_point(tmp_path: Path) -> None:
    shots = stills(tmp_path, "a^2", "--at", "1", "--nudges", "1", "--side", "left")
    (nudge,) = [n for n in shots if n.startswith("nudge")]
    picture = shots[nudge][:, : int(640 * 0.64)]
    ys, xs = np.nonzero(near(picture, palette.POINT))
    x0 = xs.mean()
    _, leg_x = np.nonzero(near(picture, palette.NUDGE_A))  # the Δa leg runs from a to a - 1
    assert len(leg_x) > 50 and np.median(leg_x) < x0 - 10
