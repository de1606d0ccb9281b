"""Lessons as data (no Manim): lesson files, specs, the storyboard, words and catalogues,
narration scripts, and the registry through which the core reaches kinds of part."""
