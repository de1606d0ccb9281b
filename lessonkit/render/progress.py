"""A render's progress on a terminal: Manim's bars, or one bar over the steps being drawn."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

__all__ = ["show_progress", "StepProgress"]


def show_progress() -> bool:
    if os.environ.get("LESSONKIT_PROGRESS") is not None:
        return os.environ["LESSONKIT_PROGRESS"] != "0"
    return sys.stderr.isatty()


class StepProgress:
    """A bar over the steps being rendered, on a terminal only (one line per unit would
    flood a log); `done(unit)` moves it on."""

    def __init__(self, job: Any, total: int, jobs: int) -> None:
        self.job, self.total, self.jobs = job, total, jobs
        self.bar: Any = None

    def __enter__(self) -> Callable[[Any], None]:
        if self.total and show_progress():
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

            self.bar = Progress(
                "[progress.description]{task.description}",
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                transient=True,
            )
            self.bar.start()
            procs = f", {self.jobs} processes" if self.jobs > 1 else ""
            self.task = self.bar.add_task(f"{self.job.slug} steps{procs}", total=self.total)
        return self.done

    def done(self, unit: Any) -> None:
        if self.bar is not None:
            self.bar.advance(self.task, len(unit.names))

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()
