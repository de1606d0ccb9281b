"""The plan of a render step by step: the job's steps, and units of them split by drawing cost."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from lessonkit.lesson.storyboard import Step, steps_for, with_holds

__all__ = [
    "STEP_FORMATS",
    "Unit",
    "KIND_COST",
    "step_cost",
    "default_jobs",
    "FRAMES_PER_PROCESS",
    "jobs_for_frames",
    "job_steps",
    "plan_units",
]

#: formats whose step sections join without re-encoding (a GIF's palette is the whole clip's)
STEP_FORMATS = ("mp4", "webm")


@dataclass(frozen=True)
class Unit:
    """Steps one Manim run writes: consecutive steps of one video, and the work they cost
    (`step_cost` summed: about seconds of drawing per second of video at any size)."""

    names: tuple[str, ...]
    cost: float


#: drawing cost per second of video by kind of step, relative (measured on the shipped
#: lesson at 480p15: a graph step draws its axes, curve and labels in, 0.45 s per second
#: of video; a slide 0.14; nudges, shrinks and slopes about 0.22)
KIND_COST = {"graph": 2.0, "text": 2.0, "rules": 1.7, "title": 1.2, "slide": 0.6}


def step_cost(step: Step) -> float:
    """A step's share of a render's work, to split steps evenly between processes."""
    return step.duration * KIND_COST.get(step.kind, 1.0)


def default_jobs() -> int:
    """Processes to render with when not told: the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


#: frames a render process should have to draw before one more is worth starting: a process
#: spends about 2 s importing Manim, which a short clip would not win back
FRAMES_PER_PROCESS = 240


def jobs_for_frames(frames: float, cores: int | None = None) -> int:
    """Processes for a render of `frames` frames when the user did not say: one per core,
    but no more than there are `FRAMES_PER_PROCESS` to draw."""
    cores = cores if cores is not None else default_jobs()
    return max(1, min(cores, int(frames // FRAMES_PER_PROCESS)))


def job_steps(job: Any) -> list[Step]:
    """The steps a render job plays, each lasting at least its narration."""
    return with_holds(steps_for(job.target), dict(job.holds))


def plan_units(steps: Sequence[Step], missing: Sequence[str], jobs: int) -> list[Unit]:
    """Split the missing steps into units of consecutive steps, largest first.

    One process renders runs of missing steps whole (no step is played twice); several
    get about two units each, cut at step boundaries by `step_cost`, so that a
    long unit does not leave a process idle at the end."""
    wanted = set(missing)
    runs: list[list[Step]] = []
    for i, step in enumerate(steps):
        if step.name not in wanted:
            continue
        if runs and i > 0 and steps[i - 1].name in wanted:
            runs[-1].append(step)
        else:
            runs.append([step])
    total = sum(step_cost(s) for run in runs for s in run)
    units: list[Unit] = []
    share = total / (2 * jobs) if jobs > 1 else float("inf")
    for run in runs:
        names: list[str] = []
        cost = 0.0
        for step in run:
            names.append(step.name)
            cost += step_cost(step)
            if cost >= share * 0.999:
                units.append(Unit(tuple(names), cost))
                names, cost = [], 0.0
        if names:
            units.append(Unit(tuple(names), cost))
    return sorted(units, key=lambda u: -u.cost)
