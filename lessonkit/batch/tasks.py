"""A batch's task, run on a worker: some steps of one video rendered into the shared step cache."""

from __future__ import annotations

import os
import socket
import time
from typing import TYPE_CHECKING, Any

from lessonkit.base.errors import LessonError
from lessonkit.base.fsutil import os_error_line
from lessonkit.batch.report import one_line

if TYPE_CHECKING:
    from lessonkit.render import RenderJob

__all__ = ["RETRIES", "step_task"]

#: retries of a task that raised something unexpected (a worker's death is the
#: scheduler's business: it re-runs the task elsewhere, up to `allowed-failures` times)
RETRIES = 1


def step_task(job: RenderJob, names: tuple[str, ...], planned: dict[str, str]) -> dict[str, Any]:
    """Render the steps `names` of `job` into the shared step cache (on a worker).

    Returns their facts and where they were made, or {"error": one line} for bad input, a
    file problem, or a worker whose drawing code gives other step keys than the client's
    `planned` ones (another version, or lessonkit edited mid-batch: its pictures would be
    filed under keys that do not describe them). Those are not worth a retry."""
    from lessonkit.draw.fonts import require_font
    from lessonkit.render.steps import OtherDrawingCode, render_unit

    start = time.perf_counter()
    host = socket.gethostname()
    try:
        require_font(job.target.words)
        facts = render_unit(job, names, planned=planned)
    except OtherDrawingCode:
        return {
            "error": f"the worker on {host} draws with other lessonkit code than the client "
            "(another version, or lessonkit was edited mid-batch): give every machine "
            "the same checkout and run the batch again",
            "host": host,
            "pid": os.getpid(),
        }
    except LessonError as exc:
        return {"error": one_line(str(exc)), "host": host, "pid": os.getpid()}
    except OSError as exc:
        return {
            "error": os_error_line(exc, f"rendering step {names[0]} on {host}"),
            "host": host,
            "pid": os.getpid(),
        }
    return {
        "facts": facts,
        "host": host,
        "pid": os.getpid(),
        "seconds": round(time.perf_counter() - start, 3),
    }
