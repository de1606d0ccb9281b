"""Kinds of part, one package each (`nudge`, `card`), found through the `lessonkit.parts`
entry points; the core reaches them only through `lessonkit.lesson.kinds`."""
