"""Planning one target of a batch on the client: its narration, steps, keys and missing steps."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from lessonkit.base.errors import LessonError
from lessonkit.batch.report import TargetRun

__all__ = ["plan_target"]


def plan_target(run: TargetRun, force: bool, say: Callable[[str], None]) -> None:
    """Narration, steps, keys and the steps the cache lacks; a failure fails the target."""
    from lessonkit.base.failures import failure_in_one_line
    from lessonkit.draw.fonts import require_font
    from lessonkit.render import narrate_job
    from lessonkit.render import steps as by_step

    job = replace(run.target.job, use_cache=not force)
    try:
        with failure_in_one_line(f"planning {run.name}"):
            require_font(job.target.words)
            job, _ = narrate_job(job, say)
            steps = by_step.job_steps(job)
            run.steps = [s.name for s in steps]
            run.keys = by_step.step_keys(job, steps)
            run.missing = by_step.missing_steps(job, steps, run.keys)
            run.job = job
    except LessonError as exc:
        run.fail(str(exc))
