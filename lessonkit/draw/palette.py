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

BACKGROUND = "#0E1116"
CURVE = "#58C4DD"  # the function's curve and its formula
POINT = "#FFD23F"  # the point (a, f(a)) and the readouts a, f(a)
NUDGE_A = "#7BD389"  # Δa: the horizontal leg and every Δa value
NUDGE_F = "#FF8C42"  # Δf: the vertical leg and every Δf value
SLOPE = "#E86CD6"  # the secant, the tangent, Δf/Δa and f'(a)
TEXT = "#ECEFF4"
MUTED = "#8A93A3"
PANEL_FILL = "#161B22"

FONT = "NanumGothic"

# Manim font sizes; 24 is about 14 px tall at 480p, the smallest we allow.
SIZE_TICK = 24
SIZE_LABEL = 28
SIZE_READOUT = 30
SIZE_TITLE = 40
