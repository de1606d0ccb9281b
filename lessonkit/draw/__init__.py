"""Reusable Manim mobjects for lessons (imported by scenes only; this package imports Manim).

Importing it checks the installed Manim against the version lessonkit's overrides were
tested with, and makes Manim's Typst SVG cache safe to share (see manim_compat.py).
"""

from lessonkit.draw.manim_compat import install

install()
