"""Reusable Manim mobjects for lessons (imported by scenes only; this package imports Manim)."""
