# mypy: disable-error-code="no-untyped-call"
# (distributed ships type hints on few of its functions: Client, LocalCluster)
"""The Dask cluster a batch runs on: a scheduler's address, or worker processes on this machine."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from lessonkit.base.errors import LessonError

if TYPE_CHECKING:
    from distributed import Client

__all__ = ["open_client"]


@contextmanager
def open_client(scheduler: str | None = None, workers: int | None = None) -> Iterator[Client]:
    """A client of the scheduler at `scheduler`, or of a cluster on this machine with
    `workers` single-threaded worker processes (default: one per core). Manim's config is
    global to a process, so a worker renders one step at a time."""
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            client = Client(scheduler, timeout="20s")
        except (OSError, TimeoutError) as exc:
            raise LessonError(
                f"cannot reach the Dask scheduler at {scheduler}: {str(exc)[:200]}"
            ) from None
        with client:
            yield client
        return
    from lessonkit.render.steps import default_jobs

    quiet = logging.WARNING if os.environ.get("LESSONKIT_DEBUG") else logging.CRITICAL
    with (
        LocalCluster(
            n_workers=workers or default_jobs(),
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=quiet,
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client
