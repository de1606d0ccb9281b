"""Any failure of a step of work as one LessonError line: what lessonkit's commands print."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from lessonkit.base.errors import LessonError
from lessonkit.base.fsutil import os_error_line

__all__ = ["failure_in_one_line"]


@contextmanager
def failure_in_one_line(what: str) -> Iterator[None]:
    """Report any failure of `what` (a render, an encode) as one LessonError line, never a
    traceback; bad input (already a LessonError) passes through unchanged."""
    try:
        yield
    except LessonError:
        raise
    except OSError as exc:
        raise LessonError(os_error_line(exc, f"{what} failed")) from exc
    except Exception as exc:
        if os.environ.get("LESSONKIT_DEBUG"):  # the traceback, for a bug report
            raise
        if isinstance(exc.__cause__ or exc.__context__, OSError):
            cause = exc.__cause__ or exc.__context__
            assert isinstance(cause, OSError)
            raise LessonError(os_error_line(cause, f"{what} failed")) from exc
        raise LessonError(f"{what} failed: {type(exc).__name__}: {str(exc)[:300]}") from exc
