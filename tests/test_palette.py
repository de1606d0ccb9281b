"""The palette stays readable and distinguishable, also for colour-blind viewers.

Two parts: the colour maths in ``lessonkit.maths.colour_vision`` is checked against published
reference values (so the palette checks measure the real thing), then the palette itself is
held to distance and contrast floors.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pytest

from lessonkit.draw import palette
from lessonkit.maths import colour_vision as cv

# -- the colour maths ------------------------------------------------------------------------

# Sharma, Wu & Dalal (2005), "The CIEDE2000 Color-Difference Formula: Implementation Notes,
# Supplementary Test Data, and Mathematical Observations", Table 1: (L1, a1, b1), (L2, a2, b2),
# ΔE00. All 34 pairs: the easy ones, the hue-angle wrap-around (pairs 9-16), the
# blue-region rotation term (1-6) and the near-neutral/near-black pairs (31-34).
SHARMA_2005 = [
    ((50.0000, 2.6772, -79.7751), (50.0000, 0.0000, -82.7485), 2.0425),
    ((50.0000, 3.1571, -77.2803), (50.0000, 0.0000, -82.7485), 2.8615),
    ((50.0000, 2.8361, -74.0200), (50.0000, 0.0000, -82.7485), 3.4412),
    ((50.0000, -1.3802, -84.2814), (50.0000, 0.0000, -82.7485), 1.0000),
    ((50.0000, -1.1848, -84.8006), (50.0000, 0.0000, -82.7485), 1.0000),
    ((50.0000, -0.9009, -85.5211), (50.0000, 0.0000, -82.7485), 1.0000),
    ((50.0000, 0.0000, 0.0000), (50.0000, -1.0000, 2.0000), 2.3669),
    ((50.0000, -1.0000, 2.0000), (50.0000, 0.0000, 0.0000), 2.3669),
    ((50.0000, 2.4900, -0.0010), (50.0000, -2.4900, 0.0009), 7.1792),
    ((50.0000, 2.4900, -0.0010), (50.0000, -2.4900, 0.0010), 7.1792),
    ((50.0000, 2.4900, -0.0010), (50.0000, -2.4900, 0.0011), 7.2195),
    ((50.0000, 2.4900, -0.0010), (50.0000, -2.4900, 0.0012), 7.2195),
    ((50.0000, -0.0010, 2.4900), (50.0000, 0.0009, -2.4900), 4.8045),
    ((50.0000, -0.0010, 2.4900), (50.0000, 0.0010, -2.4900), 4.8045),
    ((50.0000, -0.0010, 2.4900), (50.0000, 0.0011, -2.4900), 4.7461),
    ((50.0000, 2.5000, 0.0000), (50.0000, 0.0000, -2.5000), 4.3065),
    ((50.0000, 2.5000, 0.0000), (73.0000, 25.0000, -18.0000), 27.1492),
    ((50.0000, 2.5000, 0.0000), (61.0000, -5.0000, 29.0000), 22.8977),
    ((50.0000, 2.5000, 0.0000), (56.0000, -27.0000, -3.0000), 31.9030),
    ((50.0000, 2.5000, 0.0000), (58.0000, 24.0000, 15.0000), 19.4535),
    ((50.0000, 2.5000, 0.0000), (50.0000, 3.1736, 0.5854), 1.0000),
    ((50.0000, 2.5000, 0.0000), (50.0000, 3.2972, 0.0000), 1.0000),
    ((50.0000, 2.5000, 0.0000), (50.0000, 1.8634, 0.5757), 1.0000),
    ((50.0000, 2.5000, 0.0000), (50.0000, 3.2592, 0.3350), 1.0000),
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ((63.0109, -31.0961, -5.8663), (62.8187, -29.7946, -4.0864), 1.2630),
    ((61.2901, 3.7196, -5.3901), (61.4292, 2.2480, -4.9620), 1.8731),
    ((35.0831, -44.1164, 3.7933), (35.0232, -40.0716, 1.5901), 1.8645),
    ((22.7233, 20.0904, -46.6940), (23.0331, 14.9730, -42.5619), 2.0373),
    ((36.4612, 47.8580, 18.3852), (36.2715, 50.5065, 21.2231), 1.4146),
    ((90.8027, -2.0831, 1.4410), (91.1528, -1.6435, 0.0447), 1.4441),
    ((90.9257, -0.5406, -0.9208), (88.6381, -0.8985, -0.7239), 1.5381),
    ((6.7747, -0.2908, -2.4247), (5.8714, -0.0985, -2.2286), 0.6377),
    ((2.0776, 0.0795, -1.1350), (0.9033, -0.0636, -0.5514), 0.9082),
]


@pytest.mark.parametrize(("lab1", "lab2", "expected"), SHARMA_2005)
def test_ciede2000_matches_the_published_test_pairs(lab1, lab2, expected) -> None:
    # The published values are rounded to 4 decimals; the formula is symmetric.
    assert cv.delta_e2000_lab(lab1, lab2) == pytest.approx(expected, abs=1e-4)
    assert cv.delta_e2000_lab(lab2, lab1) == pytest.approx(expected, abs=1e-4)


def test_cielab_of_srgb_primaries_and_white() -> None:
    # Widely tabulated sRGB -> CIELAB (D65) values.
    assert cv.lab("#FFFFFF") == pytest.approx([100.0, 0.0, 0.0], abs=1e-6)
    assert cv.lab("#000000") == pytest.approx([0.0, 0.0, 0.0], abs=1e-6)
    assert cv.lab("#FF0000") == pytest.approx([53.24, 80.09, 67.20], abs=0.01)
    assert cv.lab("#00FF00") == pytest.approx([87.73, -86.18, 83.18], abs=0.01)
    assert cv.lab("#0000FF") == pytest.approx([32.30, 79.19, -107.86], abs=0.01)


def test_hex_parsing_and_transfer_curve_round_trip() -> None:
    assert cv.hex_to_rgb("#FF8000") == pytest.approx([1.0, 128 / 255, 0.0])
    assert cv.hex_to_rgb("abc") == pytest.approx(cv.hex_to_rgb("#AABBCC"))
    with pytest.raises(ValueError):
        cv.hex_to_rgb("#12345")
    with pytest.raises(ValueError):
        cv.hex_to_rgb("#GGGGGG")
    for colour in ("#000000", "#0E1116", "#58C4DD", "#FFD23F", "#FFFFFF"):
        rgb = cv.hex_to_rgb(colour)
        assert cv.rgb_to_hex(cv.linear_to_srgb(cv.srgb_to_linear(rgb))) == colour
    assert cv.srgb_to_linear([0.5]) == pytest.approx([0.214041], abs=1e-6)


def test_the_machado_matrices_keep_greys_grey_and_simulate_known_confusions() -> None:
    # Each published matrix row sums to 1, so neutral colours are unchanged.
    for kind, matrix in cv.MACHADO_2009.items():
        assert matrix.sum(axis=1) == pytest.approx(np.ones(3), abs=1e-5), kind
        assert cv.simulate("#808080", kind) == "#808080"
        assert cv.simulate("#FFFFFF", kind) == "#FFFFFF"
    assert cv.simulate("#FF8C42", "normal") == "#FF8C42"
    with pytest.raises(ValueError):
        cv.simulate("#FF0000", "achromatopsia")  # type: ignore[arg-type]
    # A red and a green far apart normally (ΔE00 65) shrink for red-green dichromats: to
    # about 24 for protanopes and to about 5, nearly a match, for deuteranopes ...
    red, green = "#D03030", "#5A9A20"
    assert cv.delta_e2000(red, green) > 60
    assert cv.delta_e2000(red, green, "protanopia") < 30
    assert cv.delta_e2000(red, green, "deuteranopia") < 6
    # ... and protanopes see red much darker than deuteranopes do (lost L cones).
    assert cv.lab("#FF0000", "protanopia")[0] < cv.lab("#FF0000", "deuteranopia")[0] - 10
    # Tritanopes confuse blue with green-cyan, not red with green.
    assert cv.delta_e2000(red, green, "tritanopia") > 30


def test_wcag_contrast_ratio() -> None:
    assert cv.contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert cv.contrast_ratio("#FFFFFF", "#000000") == pytest.approx(21.0)
    assert cv.contrast_ratio("#3A3A3A", "#3A3A3A") == pytest.approx(1.0)
    # #767676 on white is the well-known lightest grey that passes AA (4.54:1).
    assert cv.contrast_ratio("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.005)
    assert cv.contrast_ratio("#777777", "#FFFFFF") < 4.5
    assert cv.relative_luminance("#FFFFFF") == pytest.approx(1.0)
    assert cv.relative_luminance("#FF0000") == pytest.approx(0.2126)


def test_smallest_distance_returns_the_closest_pair() -> None:
    colours = {"red": "#FF0000", "near red": "#F00808", "blue": "#0000FF"}
    first, second, distance = cv.smallest_distance(colours)
    assert {first, second} == {"red", "near red"}
    assert distance == pytest.approx(cv.delta_e2000("#FF0000", "#F00808"))
    assert cv.smallest_distance(["#000000", "#FFFFFF"], metric="de76")[2] == pytest.approx(100)
    with pytest.raises(ValueError):
        cv.smallest_distance(["#000000"])


# -- the palette -----------------------------------------------------------------------------

IDEAS = {
    "CURVE": palette.CURVE,
    "POINT": palette.POINT,
    "NUDGE_A": palette.NUDGE_A,
    "NUDGE_F": palette.NUDGE_F,
    "SLOPE": palette.SLOPE,
}
TEXT_COLOURS = {"TEXT": palette.TEXT, "MUTED": palette.MUTED, **IDEAS}
SURFACES = {"BACKGROUND": palette.BACKGROUND, "PANEL_FILL": palette.PANEL_FILL}

# Floors for the closest pair of idea colours, in CIEDE2000. A ΔE00 of about 1 is just
# noticeable side by side and 5-10 is obvious side by side, but lesson colours are told apart
# across the frame, in thin lines and small glyphs, where differences look smaller; so the
# floors are well above that.
# * Normal vision, 20: clearly different colours at a glance, not shades of one colour.
# * Protanopia / deuteranopia, 12: a dichromat has lost a whole colour axis, and with five
#   colours that all need 4.5:1 contrast on a near-black panel (so all have L* above about
#   55) there is little room left on the lightness and blue-yellow axes; 12 keeps every pair
#   clearly distinguishable side by side while only nudging the original palette. The
#   palette measures about 14 (see palette.py), so the floor has some margin.
# * Tritanopia (rare, about 1 in 10 000) is measured and reported, with a lower floor.
MIN_DE00 = {"normal": 20.0, "protanopia": 12.0, "deuteranopia": 12.0, "tritanopia": 8.0}
# Every idea must stand well clear of what it is drawn on, for every viewer (closest now: SLOPE
# on PANEL_FILL under protanopia, which darkens reds and magentas, at ΔE00 40.1).
MIN_DE00_FROM_SURFACE = 35.0
# WCAG 2.x AA for normal-size text (the readouts are about 14-18 px tall at 480p).
MIN_CONTRAST = 4.5


@pytest.mark.parametrize("kind", cv.KINDS)
def test_idea_colours_stay_distinguishable(kind: cv.Kind) -> None:
    first, second, distance = cv.smallest_distance(IDEAS, kind)
    cie76 = cv.smallest_distance(IDEAS, kind, metric="de76")
    print(
        f"{kind}: closest {first}/{second} ΔE00 {distance:.1f}; "
        f"ΔE76 closest {cie76[0]}/{cie76[1]} {cie76[2]:.1f}"
    )
    assert distance >= MIN_DE00[kind], (first, second, round(distance, 1))


@pytest.mark.parametrize("kind", cv.KINDS)
@pytest.mark.parametrize("surface", SURFACES)
def test_idea_colours_stand_apart_from_the_background(kind: cv.Kind, surface: str) -> None:
    for name, colour in IDEAS.items():
        distance = cv.delta_e2000(colour, SURFACES[surface], kind)
        assert distance >= MIN_DE00_FROM_SURFACE, (name, surface, round(distance, 1))


@pytest.mark.parametrize("surface", SURFACES)
@pytest.mark.parametrize("name", TEXT_COLOURS)
def test_text_colours_meet_wcag_aa(name: str, surface: str) -> None:
    ratio = cv.contrast_ratio(TEXT_COLOURS[name], SURFACES[surface])
    assert ratio >= MIN_CONTRAST, (name, surface, round(ratio, 2))


def test_nudges_also_differ_in_lightness() -> None:
    # Δa and Δf appear side by side in every step; a lightness gap keeps them apart even for
    # viewers (or greyscale screenshots) that lose both colour axes.
    gap = abs(cv.lab(palette.NUDGE_A)[0] - cv.lab(palette.NUDGE_F)[0])
    assert gap >= 8.0, round(gap, 1)


def test_palette_names_are_distinct_hex_colours() -> None:
    colours = [*TEXT_COLOURS.values(), *SURFACES.values()]
    for colour in colours:
        assert len(cv.hex_to_rgb(colour)) == 3
    assert all(a.upper() != b.upper() for a, b in combinations(colours, 2))
