"""One colour per idea, the same in every scene, and the type sizes that stay legible at 480p."""

from __future__ import annotations

__all__ = [
    "BACKGROUND",
    "CURVE",
    "POINT",
    "NUDGE_A",
    "NUDGE_F",
    "SLOPE",
    "TEXT",
    "MUTED",
    "PANEL_FILL",
    "FONT",
    "SIZE_READOUT",
    "SIZE_LABEL",
    "SIZE_TITLE",
    "SIZE_TICK",
]

# The five idea colours are checked in tests/test_palette.py (maths in
# lessonkit/maths/colour_vision.py): closest pair CIEDE2000 28.7 for normal vision, 14.8 under
# simulated deuteranopia and protanopia and 8.4 under tritanopia, and every text colour at
# least 4.5:1 (WCAG AA) on BACKGROUND and PANEL_FILL. Red-green colour-blind viewers lose the
# red-green axis, so the ideas are also spread in lightness (L*): SLOPE 58 < NUDGE_F 64 <
# NUDGE_A 78 < CURVE 81 < POINT 86. The darkest is bounded by the 4.5:1 contrast on the panel.
BACKGROUND = "#0E1116"
# Lighter than Manim's BLUE (#58C4DD): for deuteranopes that blue and the old pink slope were
# the same light blue (ΔE00 4.3).
CURVE = "#6CD7ED"  # the function's curve and its formula
POINT = "#FFD23F"  # the point (a, f(a)) and the readouts a, f(a)
NUDGE_A = "#86D294"  # Δa: the horizontal leg and every Δa value (a touch less yellow than
#                      #7BD389, which protanopes saw close to POINT's yellow)
NUDGE_F = "#EB7E37"  # Δf: the vertical leg and every Δf value (darker than Δa by 14 L*)
SLOPE = "#CD60CE"  # the secant, the tangent, Δf/Δa and f'(a) (the darkest idea colour)
TEXT = "#ECEFF4"
MUTED = "#8A93A3"
PANEL_FILL = "#161B22"

FONT = "NanumGothic"

# Manim font sizes; 24 is about 14 px tall at 480p, the smallest we allow.
SIZE_TICK = 24
SIZE_LABEL = 28
SIZE_READOUT = 30
SIZE_TITLE = 40
