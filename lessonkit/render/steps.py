"""Rendering a video step by step: a cache of finished step sections, plans that split the
missing steps over processes, and the render of one such unit.

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
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from lessonkit import __version__
from lessonkit.base.errors import LessonError
from lessonkit.base.fsutil import atomic_path, staging_name, write_text
from lessonkit.lesson.storyboard import Step, replay_start, steps_for, with_holds
from lessonkit.render.join import StepVideo

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


class OtherDrawingCode(LessonError):
    """A process was handed steps planned by lessonkit code that draws differently."""


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


def _drawn(step: Step) -> str:
    """What of a step decides the picture it leaves: all but its words for the captions
    and the voice, and how long it holds its last frame."""
    return repr(replace(step, caption="", narration="", duration=0.0))


def step_keys(job: Any, steps: Sequence[Step]) -> dict[str, str]:
    """A key per step naming everything that changes its section's frames: the render's
    size, rate, format and drawing code, the step itself, and the steps before it that set
    its stage (`replay_start`). A caption is not drawn, so editing one changes no key."""
    from lessonkit.render import source_fingerprint

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


def cache_dir(job: Any) -> Path:
    """media/cache/steps/<slug>/<height>p<fps>/: one video and one facts file per step key."""
    return Path(job.media_dir) / "cache" / "steps" / job.slug / job.folder


def cached_step(job: Any, name: str, key: str) -> StepVideo | None:
    """The finished section of a step, if the cache holds a whole one: its facts file is
    written last and records the video's size, so a cut-short video is not taken."""
    folder = cache_dir(job)
    video = folder / f"{key}.{job.fmt}"
    try:
        facts = json.loads((folder / f"{key}.json").read_text(encoding="utf-8"))
        if video.stat().st_size != facts["bytes"] or int(facts["nb_frames"]) < 1:
            return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return StepVideo(name, video, facts)


def missing_steps(job: Any, steps: Sequence[Step], keys: dict[str, str]) -> list[str]:
    """The steps to render: every one when the cache is not used, else those it lacks."""
    if not job.use_cache:
        return [s.name for s in steps]
    return [s.name for s in steps if cached_step(job, s.name, keys[s.name]) is None]


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

    from lessonkit.render import _make_scene, _save_png, manim_config, video_dir

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
                    _save_png(tmp, rgba)

        config = manim_config(job, staging, partial, True, progress, encoders=encoders)
        with tempconfig(config):
            scene = _make_scene(job, record=tuple(names))
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


#: a cached step no render has used for this long is removed when its video is joined again
KEEP_UNUSED_SECONDS = 24 * 3600


def prune(job: Any, used: set[str]) -> list[Path]:
    """Mark the steps `used` by the video just joined, and remove this video's cached steps
    that no render has used for a day (a lesson edited all day keeps its recent versions)."""
    import time

    folder = cache_dir(job)
    now = time.time()
    removed = []
    for facts in folder.glob("*.json") if folder.is_dir() else ():
        key = facts.stem
        video = folder / f"{key}.{job.fmt}"
        try:
            if key in used:
                os.utime(facts)
            elif video.exists() and now - facts.stat().st_mtime > KEEP_UNUSED_SECONDS:
                facts.unlink()  # first: without its facts the video is never taken
                video.unlink(missing_ok=True)
                video.with_suffix(".png").unlink(missing_ok=True)
                removed.append(video)
        except OSError:
            continue  # another process pruned or replaced it: nothing to do
    return removed
