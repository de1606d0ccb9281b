"""lessonkit: exact derivative lessons rendered with Manim.

Importing this package (and running `lessonkit list` / `lessonkit table`) never imports
Manim: the math, specs and formatting are pure Python.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

__all__ = ["__version__"]

try:
    __version__ = version("lessonkit")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"
