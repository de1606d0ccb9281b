"""How a batch shows its progress: a live display on a terminal, else one line per video."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

__all__ = ["show_progress", "LineProgress", "LiveProgress"]


def show_progress() -> bool:
    """A live display on a terminal (or with LESSONKIT_PROGRESS=1); else one line per video."""
    if os.environ.get("LESSONKIT_PROGRESS") is not None:
        return os.environ["LESSONKIT_PROGRESS"] != "0"
    return sys.stderr.isatty()


class LineProgress:
    """Progress for a log: one line per finished target."""

    def __init__(self, say: Callable[[str], None]) -> None:
        self.say = say

    def start(self, total: int, workers: int) -> None:
        self.say(f"{total} step task{'s' if total != 1 else ''} on {workers} workers")

    def advance(self) -> None:
        pass

    def activity(self, rows: dict[str, str]) -> None:
        pass

    def line(self, text: str) -> None:
        self.say(text)

    def stop(self) -> None:
        pass


class LiveProgress(LineProgress):
    """Progress on a terminal: tasks done of all, time left, and what each worker renders."""

    def start(self, total: int, workers: int) -> None:
        from rich.console import Console, Group
        from rich.live import Live
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("left"),
            TimeRemainingColumn(),
        )
        self.board = Progress(TextColumn("{task.description}", markup=False))
        self.total = self.bar.add_task(f"steps on {workers} workers", total=total)
        self.rows: dict[str, Any] = {}
        self.live = Live(Group(self.bar, self.board), console=Console(stderr=True), transient=True)
        self.live.start()

    def advance(self) -> None:
        self.bar.advance(self.total)

    def activity(self, rows: dict[str, str]) -> None:
        for worker, text in rows.items():
            if worker not in self.rows:
                self.rows[worker] = self.board.add_task("", total=None)
            self.board.update(self.rows[worker], description=f"  {worker}  {text}", visible=True)
        for worker, task in self.rows.items():
            if worker not in rows:
                self.board.update(task, visible=False)

    def line(self, text: str) -> None:
        self.live.console.print(text, markup=False, highlight=False)

    def stop(self) -> None:
        self.live.stop()
