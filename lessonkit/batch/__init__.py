"""Rendering a course on a Dask cluster: one task per missing step, each video joined here.

Every step of every video renders on its own (lessonkit.render.steps: a step's frames depend
only on the lesson file), so a course is a flat pile of small tasks that any worker can take.
The client plans each target (its narration, its steps and their cache keys), submits one
task per step the step cache lacks, and joins a target's video with `render` as soon as its
steps are done (everything is cached by then, so that only joins, in about a second). The
step files travel through the media folder, not through Dask: the workers and this process
must see the same media folder (the same machine, or a shared folder such as NFS at the same
path). A task sends the job (a few kB) and gets back the step's facts (a few hundred bytes).

A worker that dies mid-step has its task re-run elsewhere by the scheduler; a task that fails
with bad input (a LessonError) or a file error fails its target at once, not retried; any
other exception is retried once. A failed target is recorded with its one-line reason and
the others still finish.
"""

from __future__ import annotations

from lessonkit.batch.cluster import open_client
from lessonkit.batch.progress import show_progress
from lessonkit.batch.report import BatchReport, TargetRun, default_report_path
from lessonkit.batch.run import run_course
from lessonkit.batch.tasks import step_task

__all__ = [
    "TargetRun",
    "BatchReport",
    "open_client",
    "step_task",
    "run_course",
    "default_report_path",
    "show_progress",
]
