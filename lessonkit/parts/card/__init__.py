"""Cards: full-frame steps of a lesson, a rules card or a text card.

Registered as the part kind `card` (`kind.KIND`, in pyproject.toml's `lessonkit.parts` entry
points): reading.py checks the table, steps.py tells its step, drawing.py plays it.
"""
