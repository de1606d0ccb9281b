"""Colour maths for checking the palette: colour-blind simulation, CIEDE2000 and WCAG contrast.

Pure functions on ``"#RRGGBB"`` strings (numpy only, no Manim), so the palette can be tested
for "every idea colour stays distinguishable for colour-blind viewers" and "every text colour
is readable" without rendering anything.

Sources:

* sRGB transfer function and the sRGB -> XYZ (D65) matrix: IEC 61966-2-1.
* Colour-vision-deficiency simulation: G. M. Machado, M. M. Oliveira, L. A. F. Fernandes,
  "A Physiologically-based Model for Simulation of Color Vision Deficiency", IEEE TVCG 15(6),
  2009. The severity-1.0 (dichromat) matrices below are the ones the authors published
  (pre-computed table, also in G. M. Machado's 2010 thesis); they act on *linear* RGB. The
  numbers were checked against the copy in colour-science's
  ``colour/blindness/datasets/machado2010.py``.
* CIELAB: CIE 15 (D65 white, the sRGB white point).
* CIEDE2000: G. Sharma, W. Wu, E. N. Dalal, "The CIEDE2000 Color-Difference Formula:
  Implementation Notes, Supplementary Test Data, and Mathematical Observations",
  Color Res. Appl. 30(1), 2005 (the tests use its published test pairs).
* Relative luminance and contrast ratio: WCAG 2.x, success criterion 1.4.3.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from itertools import combinations
from typing import Literal

import numpy as np

__all__ = [
    "KINDS",
    "Kind",
    "MACHADO_2009",
    "contrast_ratio",
    "delta_e76",
    "delta_e76_lab",
    "delta_e2000",
    "delta_e2000_lab",
    "hex_to_rgb",
    "lab",
    "linear_to_lab",
    "linear_to_srgb",
    "relative_luminance",
    "rgb_to_hex",
    "simulate",
    "simulate_linear",
    "smallest_distance",
    "srgb_to_linear",
]

Kind = Literal["normal", "protanopia", "deuteranopia", "tritanopia"]
KINDS: tuple[Kind, ...] = ("normal", "protanopia", "deuteranopia", "tritanopia")
Metric = Literal["de2000", "de76"]
LabLike = Sequence[float] | np.ndarray

# Machado, Oliveira & Fernandes (2009), severity 1.0; rows give the simulated linear R, G, B.
MACHADO_2009: dict[str, np.ndarray] = {
    "protanopia": np.array(
        [
            [0.152286, 1.052583, -0.204868],
            [0.114503, 0.786281, 0.099216],
            [-0.003882, -0.048116, 1.051998],
        ]
    ),
    "deuteranopia": np.array(
        [
            [0.367322, 0.860646, -0.227968],
            [0.280085, 0.672501, 0.047413],
            [-0.011820, 0.042940, 0.968881],
        ]
    ),
    "tritanopia": np.array(
        [
            [1.255528, -0.076749, -0.178779],
            [-0.078411, 0.930809, 0.147602],
            [0.004733, 0.691367, 0.303900],
        ]
    ),
}

# Linear sRGB -> CIE XYZ (D65), IEC 61966-2-1. The reference white is this matrix applied to
# RGB white, so sRGB white lands exactly on L* = 100, a* = b* = 0.
_SRGB_TO_XYZ = np.array(
    [
        [0.4124564, 0.3575761, 0.1804375],
        [0.2126729, 0.7151522, 0.0721750],
        [0.0193339, 0.1191920, 0.9503041],
    ]
)
_WHITE_D65 = _SRGB_TO_XYZ @ np.ones(3)


def hex_to_rgb(colour: str) -> np.ndarray:
    """``"#RRGGBB"`` (or ``"RRGGBB"``, or ``"#RGB"``) -> sRGB components in 0..1."""
    text = colour.strip().removeprefix("#")
    if len(text) == 3:
        text = "".join(c * 2 for c in text)
    if len(text) != 6:
        raise ValueError(f"not a #RRGGBB colour: {colour!r}")
    try:
        values = [int(text[i : i + 2], 16) for i in (0, 2, 4)]
    except ValueError:
        raise ValueError(f"not a #RRGGBB colour: {colour!r}") from None
    return np.array(values, dtype=float) / 255.0


def rgb_to_hex(rgb: Sequence[float] | np.ndarray) -> str:
    """sRGB components in 0..1 -> ``"#RRGGBB"`` (clipped to the gamut, rounded to 8 bits)."""
    values = np.clip(np.asarray(rgb, dtype=float), 0.0, 1.0)
    return "#" + "".join(f"{round(v * 255):02X}" for v in values)


def srgb_to_linear(rgb: np.ndarray | Sequence[float]) -> np.ndarray:
    """Undo the sRGB transfer curve; light mixes (and matrices apply) in linear RGB."""
    c = np.asarray(rgb, dtype=float)
    linear: np.ndarray = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return linear


def linear_to_srgb(linear: np.ndarray | Sequence[float]) -> np.ndarray:
    """Apply the sRGB transfer curve to linear RGB (inverse of :func:`srgb_to_linear`)."""
    c = np.clip(np.asarray(linear, dtype=float), 0.0, 1.0)
    encoded: np.ndarray = np.where(c <= 0.0031308, 12.92 * c, 1.055 * c ** (1 / 2.4) - 0.055)
    return encoded


def simulate_linear(colour: str, kind: Kind = "normal") -> np.ndarray:
    """Linear RGB of ``colour`` as a dichromat of ``kind`` would see it (full severity).

    The result is clipped to 0..1, as a display would; ``"normal"`` returns the colour as is.
    """
    linear = srgb_to_linear(hex_to_rgb(colour))
    if kind == "normal":
        return linear
    try:
        matrix = MACHADO_2009[kind]
    except KeyError:
        raise ValueError(f"unknown colour-vision kind {kind!r}; expected one of {KINDS}") from None
    simulated: np.ndarray = np.clip(matrix @ linear, 0.0, 1.0)
    return simulated


def simulate(colour: str, kind: Kind) -> str:
    """``colour`` as seen with ``kind`` colour blindness, as a ``"#RRGGBB"`` string."""
    return rgb_to_hex(linear_to_srgb(simulate_linear(colour, kind)))


def linear_to_lab(linear: np.ndarray | Sequence[float]) -> np.ndarray:
    """Linear sRGB -> CIELAB (D65); L* runs 0..100 and equal steps look roughly equal."""
    xyz = _SRGB_TO_XYZ @ np.asarray(linear, dtype=float)
    t = xyz / _WHITE_D65
    delta = 6 / 29
    f = np.where(t > delta**3, np.cbrt(t), t / (3 * delta**2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def lab(colour: str, kind: Kind = "normal") -> np.ndarray:
    """CIELAB of ``colour`` as seen with ``kind`` vision."""
    return linear_to_lab(simulate_linear(colour, kind))


def delta_e76_lab(lab1: LabLike, lab2: LabLike) -> float:
    """CIE 1976 ΔE*ab: plain Euclidean distance in CIELAB (kept for comparison)."""
    return float(np.linalg.norm(np.asarray(lab1, dtype=float) - np.asarray(lab2, dtype=float)))


def delta_e2000_lab(
    lab1: LabLike,
    lab2: LabLike,
    k_l: float = 1.0,
    k_c: float = 1.0,
    k_h: float = 1.0,
) -> float:
    """CIEDE2000 ΔE00 between two CIELAB colours (Sharma, Wu & Dalal 2005, eqs. 1-24).

    ΔE00 corrects ΔE76's over-weighting of saturated colours and its blue-region error, so a
    ΔE00 threshold means about the same visible difference anywhere in the gamut.
    """
    l1, a1, b1 = (float(v) for v in lab1)
    l2, a2, b2 = (float(v) for v in lab2)

    # 1. C'_i and h'_i: a* is stretched for near-neutral colours (the G factor).
    c_bar = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    c_bar7 = c_bar**7
    g = 0.5 * (1 - math.sqrt(c_bar7 / (c_bar7 + 25.0**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = 0.0 if c1p == 0 else math.degrees(math.atan2(b1, a1p)) % 360
    h2p = 0.0 if c2p == 0 else math.degrees(math.atan2(b2, a2p)) % 360

    # 2. ΔL', ΔC', ΔH' (the hue difference wraps round the circle; undefined for a neutral).
    d_lp = l2 - l1
    d_cp = c2p - c1p
    if c1p * c2p == 0:
        d_hp = 0.0
    else:
        d_hp = h2p - h1p
        if d_hp > 180:
            d_hp -= 360
        elif d_hp < -180:
            d_hp += 360
    d_big_hp = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(d_hp / 2))

    # 3. Means, weighting functions and the blue-region rotation term.
    l_bar_p = (l1 + l2) / 2
    c_bar_p = (c1p + c2p) / 2
    if c1p * c2p == 0:
        h_bar_p = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        h_bar_p = (h1p + h2p) / 2
    elif h1p + h2p < 360:
        h_bar_p = (h1p + h2p + 360) / 2
    else:
        h_bar_p = (h1p + h2p - 360) / 2

    t = (
        1
        - 0.17 * math.cos(math.radians(h_bar_p - 30))
        + 0.24 * math.cos(math.radians(2 * h_bar_p))
        + 0.32 * math.cos(math.radians(3 * h_bar_p + 6))
        - 0.20 * math.cos(math.radians(4 * h_bar_p - 63))
    )
    d_theta = 30 * math.exp(-(((h_bar_p - 275) / 25) ** 2))
    c_bar_p7 = c_bar_p**7
    r_c = 2 * math.sqrt(c_bar_p7 / (c_bar_p7 + 25.0**7))
    s_l = 1 + 0.015 * (l_bar_p - 50) ** 2 / math.sqrt(20 + (l_bar_p - 50) ** 2)
    s_c = 1 + 0.045 * c_bar_p
    s_h = 1 + 0.015 * c_bar_p * t
    r_t = -math.sin(math.radians(2 * d_theta)) * r_c

    dl = d_lp / (k_l * s_l)
    dc = d_cp / (k_c * s_c)
    dh = d_big_hp / (k_h * s_h)
    return math.sqrt(dl * dl + dc * dc + dh * dh + r_t * dc * dh)


def delta_e2000(colour1: str, colour2: str, kind: Kind = "normal") -> float:
    """CIEDE2000 between two ``"#RRGGBB"`` colours as seen with ``kind`` vision."""
    return delta_e2000_lab(lab(colour1, kind), lab(colour2, kind))


def delta_e76(colour1: str, colour2: str, kind: Kind = "normal") -> float:
    """CIE76 ΔE*ab between two ``"#RRGGBB"`` colours as seen with ``kind`` vision."""
    return delta_e76_lab(lab(colour1, kind), lab(colour2, kind))


def smallest_distance(
    colours: Mapping[str, str] | Iterable[str],
    kind: Kind = "normal",
    metric: Metric = "de2000",
) -> tuple[str, str, float]:
    """The closest pair among ``colours`` under ``kind`` vision: ``(name1, name2, distance)``.

    ``colours`` maps names to ``"#RRGGBB"`` (or is a plain list of hex strings, which then
    name themselves). The weakest pair is what decides whether a palette works.
    """
    named = dict(colours) if isinstance(colours, Mapping) else {c: c for c in colours}
    if len(named) < 2:
        raise ValueError("need at least two colours to compare")
    distance = delta_e2000 if metric == "de2000" else delta_e76
    pairs = ((n1, n2, distance(named[n1], named[n2], kind)) for n1, n2 in combinations(named, 2))
    return min(pairs, key=lambda pair: pair[2])


def relative_luminance(colour: str) -> float:
    """WCAG 2.x relative luminance (0 for black, 1 for white).

    WCAG 2.0/2.1 print the linearisation threshold as 0.03928 and 2.2 as 0.04045 (the sRGB
    value); no 8-bit channel value lies between the two, so the results are identical.
    """
    r, g, b = srgb_to_linear(hex_to_rgb(colour))
    return float(0.2126 * r + 0.7152 * g + 0.0722 * b)


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2.x contrast ratio, 1..21; AA asks for 4.5 for normal-size text."""
    l1, l2 = sorted((relative_luminance(foreground), relative_luminance(background)), reverse=True)
    return (l1 + 0.05) / (l2 + 0.05)
