"""The nudge part: a point slides along f, a nudge triangle shrinks, Δf/Δa meets f'(a).

Registered as the part kind `nudge` (`kind.KIND`, in pyproject.toml's `lessonkit.parts` entry
points); `kind.py` says which module holds each side of it.
"""
