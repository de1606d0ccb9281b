"""Rendering a video step by step: each step's key, the render of a unit of steps, and units
rendered by several processes at once (the step cache is step_cache.py, the plan step_plan.py).

Every step's frames depend on the lesson file alone: on the step and on the steps its part
played before it (the first step of a part also fades out the part before). A unit plays
those earlier steps with Manim's section skipping (end states only, no frames) and writes
the sections of its own steps, so units render in any order, in any process, on any
machine, and their sections join into the video a whole render would make.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from lessonkit import __version__
from lessonkit.base.errors import LessonError
from lessonkit.base.fsutil import atomic_path, staging_name, write_text
from lessonkit.lesson.storyboard import Step, replay_start
from lessonkit.render.outputs import video_dir
from lessonkit.render.publish import save_png
from lessonkit.render.settings import manim_config
from lessonkit.render.step_cache import (
    KEEP_UNUSED_SECONDS,
    cache_dir,
    cached_step,
    missing_steps,
    prune,
)
from lessonkit.render.step_plan import (
    FRAMES_PER_PROCESS,
    KIND_COST,
    STEP_FORMATS,
    Unit,
    default_jobs,
    job_steps,
    jobs_for_frames,
    plan_units,
    step_cost,
)

__all__ = [
    "STEP_FORMATS",
    "OtherDrawingCode",
    "Unit",
    "cache_dir",
    "job_steps",
    "step_keys",
    "cached_step",
    "missing_steps",
    "plan_units",
    "render_unit",
    "run_units",
    "default_jobs",
    "jobs_for_frames",
    "prune",
    "KIND_COST",
    "step_cost",
    "FRAMES_PER_PROCESS",
    "KEEP_UNUSED_SECONDS",
]


class OtherDrawingCode(LessonError):
    """A process was handed steps planned by lessonkit code that draws differently."""


def _drawn(step: Step) -> str:
    """What of a step decides the picture it leaves: all but its words for the captions
    and the voice, and how long it holds its last frame."""
    return repr(replace(step, caption="", narration="", duration=0.0))


def step_keys(job: Any, steps: Sequence[Step]) -> dict[str, str]:
    """A key per step naming everything that changes its section's frames: the render's
    size, rate, format and drawing code, the step itself, and the steps before it that set
    its stage (`replay_start`). A caption is not drawn, so editing one changes no key."""
    from lessonkit.render.job import source_fingerprint  # looked up per call: tests freeze it

    base = [
        list(job.width_height),
        job.frame_rate,
        job.fmt,
        job.scene_name,
        __version__,
        source_fingerprint(),
    ]
    keys = {}
    for i, step in enumerate(steps):
        stage = [_drawn(s) for s in steps[replay_start(list(steps), i) : i]]
        payload = json.dumps([base, stage, _drawn(step), round(step.duration, 6)])
        keys[step.name] = hashlib.sha256(payload.encode()).hexdigest()[:20]
    return keys


def render_unit(
    job: Any,
    names: Sequence[str],
    progress: bool = False,
    planned: Mapping[str, str] | None = None,
    encoders: int = 1,
) -> dict[str, dict[str, Any]]:
    """Render the sections of the steps `names` of `job` into the step cache (each file
    renamed into place when whole) and return their facts by step name; `progress` shows
    Manim's bars; `encoders` is how many x264 encoders may run at once (2 overlaps encoding
    with drawing when this is the only render process). `planned` holds the keys the
    planning process gave these steps: a process whose code draws differently (another
    version, an edit mid-render) refuses the unit rather than file its pictures under
    those keys."""
    from manim import tempconfig

    from lessonkit.render.job import make_scene  # looked up per call: the bench swaps it

    steps = job_steps(job)
    keys = step_keys(job, steps)
    if planned is not None and any(planned[n] != keys.get(n) for n in names):
        raise OtherDrawingCode(
            f"the drawing code of this process differs from the one that planned {job.slug} "
            "(lessonkit was edited or another version is installed): render again"
        )
    out_dir = video_dir(job)
    staging = out_dir.parent / staging_name(f".staging-{out_dir.name}-")
    partial = out_dir.parent / staging_name(f".partial-{out_dir.name}-")
    folder = cache_dir(job)
    folder.mkdir(parents=True, exist_ok=True)
    done: dict[str, dict[str, Any]] = {}
    try:

        def keep_still(index: int, name: str, rgba: Any) -> None:
            if name in names:  # a recorded step's last frame: the storyboard's picture
                with atomic_path(folder / f"{keys[name]}.png") as tmp:
                    save_png(tmp, rgba)

        config = manim_config(job, staging, partial, True, progress, encoders=encoders)
        with tempconfig(config):
            scene = make_scene(job, record=tuple(names))
            scene.still_sink = keep_still  # type: ignore[attr-defined]
            scene.render()  # type: ignore[attr-defined]
        index = staging / "sections" / f"{job.slug}.json"
        try:
            sections = json.loads(index.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise LessonError(f"Manim wrote no sections for {job.slug}") from None
        for section in sections:
            name = section.get("name")
            if name not in names or not section.get("video"):
                continue
            key = keys[name]
            video = folder / f"{key}.{job.fmt}"
            os.replace(staging / "sections" / section["video"], video)
            facts = {k: v for k, v in section.items() if k not in ("name", "video")}
            facts.update(key=key, bytes=video.stat().st_size)
            write_text(folder / f"{key}.json", json.dumps(facts))  # last: the entry is whole
            done[name] = facts
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(partial, ignore_errors=True)
    lost = [n for n in names if n not in done]
    if lost:
        raise LessonError(f"Manim wrote no section for step {lost[0]!r} of {job.slug}")
    return done


def _child_start(parent: int) -> None:
    """A pool process's first act: die with the render that started it (a killed lessonkit
    must not leave processes drawing, and holding its output pipes open), and keep Manim's
    progress bars quiet."""
    os.environ["LESSONKIT_PROGRESS"] = "0"
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # not Linux: the pool's own checks end the process when its parent is gone
    if os.getppid() != parent:  # the render died while this process was starting
        os._exit(1)


@contextmanager
def _main_not_rerun() -> Iterator[None]:
    """Start pool processes without running the caller's main script again in each.

    Why: spawn re-imports `__main__` from its file in every process, which fails for code
    read from stdin and would re-run a script without a `__main__` guard; the work
    (`_unit_in_child`) lives in lessonkit, so the main script is never needed there."""
    main = sys.modules.get("__main__")
    saved = main.__dict__.pop("__file__", None) if main is not None else None
    try:
        yield
    finally:
        if main is not None and saved is not None:
            main.__file__ = saved


def _unit_in_child(
    job: Any, names: tuple[str, ...], planned: Mapping[str, str] | None
) -> dict[str, dict[str, Any]]:
    """A unit in a pool process. An error crosses back pickled, without its chain, so a
    file error deep inside Manim (a full disk) is sent as the OSError itself: the user
    then reads 'out of disk space', not the encoder's wrapper."""
    try:
        return render_unit(job, names, planned=planned)
    except LessonError:
        raise
    except Exception as exc:
        cause: BaseException | None = exc
        while cause is not None and not isinstance(cause, OSError):
            cause = cause.__cause__ or cause.__context__
        if isinstance(cause, OSError):
            raise OSError(cause.errno, cause.strerror, cause.filename) from None
        raise


def run_units(
    job: Any,
    units: Sequence[Unit],
    jobs: int,
    done: Callable[[Unit], None] | None = None,
    progress: bool = False,
    planned: Mapping[str, str] | None = None,
) -> None:
    """Render `units` with up to `jobs` processes: this one, and `jobs - 1` started for the
    render, all taking the next unit (largest first) when they finish one. Alone (one
    job or one unit) this process shows Manim's bars when `progress`; `done` hears of each
    finished unit.

    The first failure stops the rest and is raised as one line: a bad step's own error,
    or which process died."""
    if not units:
        return
    if jobs <= 1 or len(units) == 1:
        for unit in units:
            render_unit(job, unit.names, progress, planned, encoders=2)
            if done is not None:
                done(unit)
        return
    import multiprocessing
    import threading
    from collections import deque
    from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    queue = deque(units)
    lock = threading.Lock()
    stop = threading.Event()
    errors: list[BaseException] = []

    def take() -> Unit | None:
        with lock:
            return queue.popleft() if queue and not stop.is_set() else None

    # spawn, not fork: a fresh interpreter per process shares no threads or Manim state
    helpers = min(jobs - 1, len(units) - 1)
    _quiet_resource_tracker()
    pool = ProcessPoolExecutor(
        max_workers=helpers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_child_start,
        initargs=(os.getpid(),),
    )
    running: dict[Future[Any], Unit] = {}

    def submit() -> bool:
        unit = take()
        if unit is None:
            return False
        running[pool.submit(_unit_in_child, job, unit.names, planned)] = unit
        return True

    def feed() -> None:
        """Keep the pool's processes busy from the shared queue (a thread of this process)."""
        try:
            while running:
                finished, _ = wait(list(running), return_when=FIRST_COMPLETED)
                for future in finished:
                    unit = running.pop(future)
                    future.result()
                    if done is not None:
                        done(unit)
                    submit()
        except BaseException as exc:  # handed to the main thread
            errors.append(exc)
            stop.set()

    failed = True
    try:
        with _main_not_rerun():
            for _ in range(helpers):  # started here: a process dies with the thread that
                submit()  # started it, and this one outlives the render
            feeder = threading.Thread(target=feed, name="lessonkit-units", daemon=True)
            feeder.start()
            while (unit := take()) is not None:
                render_unit(job, unit.names, False, planned)
                if done is not None:
                    done(unit)
            feeder.join()
        if errors:
            if isinstance(errors[0], BrokenProcessPool):
                raise LessonError(
                    f"a render process for {job.slug} died (out of memory or killed); "
                    "render again: finished steps are kept"
                )
            raise errors[0]
        failed = False
    finally:
        stop.set()
        # on a failure the other processes are stopped, not waited for; then the pool is
        # shut down whole (its queues closed), which returns at once
        if failed:
            for process in list((getattr(pool, "_processes", None) or {}).values()):
                process.terminate()
        pool.shutdown(wait=True, cancel_futures=True)


def _quiet_resource_tracker() -> None:
    """Keep multiprocessing's resource tracker from printing a leaked-semaphore warning
    after a failed render (a full disk): the processes stopped on the failure leave their
    pool's semaphores to the tracker, which removes them; its note would add two lines
    to the one-line error. The tracker reads PYTHONWARNINGS when it starts."""
    rule = "ignore:resource_tracker:UserWarning"
    current = os.environ.get("PYTHONWARNINGS", "")
    if rule not in current:
        os.environ["PYTHONWARNINGS"] = f"{current},{rule}" if current else rule
