"""The font a language's words need, checked before anything is drawn.

Pango and Typst both fall back silently when a font is missing: Korean would come out as
empty boxes, or in whatever font happens to be installed. A render asks once, up front, and
stops with one line naming the Debian package to install.
"""

from __future__ import annotations

from functools import cache

from lessonkit.base.errors import LessonError
from lessonkit.lesson.i18n import Words

__all__ = ["require_font", "installed_fonts"]


@cache
def installed_fonts() -> frozenset[str]:
    """Font families fontconfig knows (what Pango and Typst find on this machine)."""
    import manimpango

    return frozenset(manimpango.list_fonts())


def require_font(words: Words) -> None:
    """Refuse to draw `words` when the font their catalogue names is not installed."""
    if not words.font or words.font in installed_fonts():
        return
    package = words.font_package
    raise LessonError(
        f"the font {words.font!r} for {words.name} text is not installed: "
        f"install the Debian package {package} (apt-get install {package})"
    )
