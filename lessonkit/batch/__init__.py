# mypy: disable-error-code="no-untyped-call"
# (distributed ships type hints on few of its functions: Client, as_completed, Future.*)
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

import json
import logging
import os
import pickle
import socket
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lessonkit.base.errors import LessonError
from lessonkit.base.fsutil import os_error_line, write_text
from lessonkit.batch.course import Course, CourseTarget

if TYPE_CHECKING:
    from distributed import Client, Future

    from lessonkit.render import RenderJob, RenderResult

__all__ = [
    "TargetRun",
    "BatchReport",
    "open_client",
    "step_task",
    "run_course",
    "default_report_path",
    "show_progress",
]

#: retries of a task that raised something unexpected (a worker's death is the
#: scheduler's business: it re-runs the task elsewhere, up to `allowed-failures` times)
RETRIES = 1


def show_progress() -> bool:
    """A live display on a terminal (or with LESSONKIT_PROGRESS=1); else one line per video."""
    if os.environ.get("LESSONKIT_PROGRESS") is not None:
        return os.environ["LESSONKIT_PROGRESS"] != "0"
    return sys.stderr.isatty()


def default_report_path(media_dir: Path) -> Path:
    """<media>/batch-report.json"""
    return media_dir / "batch-report.json"


# -- the cluster -----------------------------------------------------------------------------
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


# -- the worker's side -----------------------------------------------------------------------
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
        return {"error": _one_line(str(exc)), "host": host, "pid": os.getpid()}
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


# -- the client's side -----------------------------------------------------------------------
@dataclass
class TargetRun:
    """One target of a batch: its plan, its tasks, and what became of it."""

    target: CourseTarget
    job: RenderJob | None = None  # with the narration's holds
    steps: list[str] = field(default_factory=list)
    keys: dict[str, str] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    pending: set[str] = field(default_factory=set)  # task keys not yet finished
    status: str = "planned"  # then made, cached or failed
    reason: str | None = None
    files: list[str] = field(default_factory=list)
    bundle: str | None = None
    joined: bool = False  # the video was joined by this run (not reused whole)
    exported: bool = False  # its web bundle was written by this run
    seconds: float = 0.0  # from the start of the batch until it was finished
    join_seconds: float = 0.0
    task_seconds: float = 0.0  # summed over its tasks, on the workers
    arg_bytes: int = 0  # pickled task arguments, summed over its tasks
    result_bytes: int = 0  # pickled task results, summed
    step_bytes_written: int = 0  # step videos its tasks wrote to the shared folder
    step_bytes_joined: int = 0  # step videos read to join the video
    workers: set[str] = field(default_factory=set)

    @property
    def name(self) -> str:
        return self.target.name

    @property
    def finished(self) -> bool:
        return self.status in ("made", "cached", "failed")

    def fail(self, reason: str) -> None:
        self.status, self.reason = "failed", _one_line(reason)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "slug": self.target.slug,
            "entry": self.target.entry,
            "status": self.status,
            "reason": self.reason,
            "files": self.files,
            "bundle": self.bundle,
            "joined": self.joined,
            "exported": self.exported,
            "steps": {
                "total": len(self.steps),
                "rendered": len(self.missing) if self.status != "failed" else None,
                "cached": len(self.steps) - len(self.missing) if self.steps else 0,
            },
            "tasks": len(self.missing),
            "seconds": round(self.seconds, 3),
            "join_seconds": round(self.join_seconds, 3),
            "task_seconds": round(self.task_seconds, 3),
            "bytes": {
                "task_args": self.arg_bytes,
                "task_results": self.result_bytes,
                "step_files_written": self.step_bytes_written,
                "step_files_joined": self.step_bytes_joined,
            },
            "workers": sorted(self.workers),
        }


@dataclass
class BatchReport:
    """What a batch did: every target, the totals, and the cluster it ran on."""

    course: Path
    title: str
    scheduler: str
    workers: int
    runs: list[TargetRun]
    seconds: float = 0.0
    gallery: str | None = None
    gallery_error: str | None = None

    @property
    def failed(self) -> list[TargetRun]:
        return [r for r in self.runs if r.status == "failed"]

    def to_json(self) -> dict[str, Any]:
        tasks = sum(len(r.missing) for r in self.runs if r.job is not None)
        done = [r for r in self.runs if r.status != "failed"]
        totals = {
            "targets": len(self.runs),
            "made": sum(r.status == "made" for r in self.runs),
            "cached": sum(r.status == "cached" for r in self.runs),
            "failed": len(self.failed),
            "steps": sum(len(r.steps) for r in self.runs),
            "steps_rendered": sum(len(r.missing) for r in done),
            "steps_cached": sum(len(r.steps) - len(r.missing) for r in self.runs),
            "tasks": tasks,
            "task_seconds": round(sum(r.task_seconds for r in self.runs), 3),
            "bytes": {
                k: sum(r.to_json()["bytes"][k] for r in self.runs)
                for k in ("task_args", "task_results", "step_files_written", "step_files_joined")
            },
        }
        return {
            "course": str(self.course),
            "title": self.title,
            "scheduler": self.scheduler,
            "workers": self.workers,
            "seconds": round(self.seconds, 3),
            "totals": totals,
            "tasks_per_target": {r.name: len(r.missing) for r in self.runs},
            "targets": [r.to_json() for r in self.runs],
            "gallery": self.gallery,
            "gallery_error": self.gallery_error,
        }

    def write(self, path: Path) -> Path:
        """The report as JSON, written whole (a reader never sees half of it)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        return write_text(path, json.dumps(self.to_json(), indent=2, ensure_ascii=False) + "\n")


def run_course(
    course: Course,
    client: Client,
    force: bool = False,
    say: Callable[[str], None] | None = None,
    live: bool | None = None,
    after_task: Callable[[Client, int], None] | None = None,
) -> BatchReport:
    """Render every target of `course` on `client`'s cluster, join, export, and report.

    `say` hears one line per finished target (and warnings); `live` shows a rich display
    instead (default: `show_progress()`); `after_task(client, n)` is called after the n-th
    finished task (tests use it to kill a worker midway)."""
    tell = say or (lambda _: None)
    batch = _Batch(course, client, force, tell, after_task)
    display = _Live(tell) if (show_progress() if live is None else live) else _Lines(tell)
    return batch.run(display)


class _Lines:
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


class _Live(_Lines):
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


class _Batch:
    """The state of one batch run on the client."""

    def __init__(
        self,
        course: Course,
        client: Client,
        force: bool,
        say: Callable[[str], None],
        after_task: Callable[[Client, int], None] | None,
    ) -> None:
        self.course, self.client, self.force, self.say = course, client, force, say
        self.after_task = after_task
        self.runs = [TargetRun(t) for t in course.targets]
        self.tasks: dict[str, tuple[TargetRun, str]] = {}  # task key -> (target, step)
        self.futures: dict[str, Future[dict[str, Any]]] = {}
        self.token = uuid.uuid4().hex[:8]
        self.start = time.perf_counter()
        self.done_tasks = 0
        self.exports = course.export_targets() if course.export else {}

    def run(self, display: _Lines) -> BatchReport:
        from distributed import as_completed

        for run in self.runs:
            self._plan(run)
        workers = len(self.client.scheduler_info(n_workers=-1)["workers"])
        for index, run in enumerate(self.runs):
            if run.job is not None and run.status != "failed":
                self._submit(run, index)
        display.start(len(self.futures), workers)
        self.display = display
        try:
            self._join_ready()
            queue = as_completed(list(self.futures.values()))
            shown = 0.0
            while not queue.is_empty():
                batch = queue.next_batch(block=False)
                for future in batch:
                    self._finished(future)
                if batch:
                    self._join_ready()
                elif time.perf_counter() - shown > 0.5:
                    display.activity(self._activity())
                    shown = time.perf_counter()
                else:
                    time.sleep(0.05)
            self._join_ready()
        finally:
            open_futures = [f for f in self.futures.values() if not f.done()]
            if open_futures:
                self.client.cancel(open_futures)
            display.stop()
        report = BatchReport(
            self.course.path,
            self.course.title,
            str(self.client.scheduler.address) if self.client.scheduler else "",
            workers,
            self.runs,
        )
        if self.course.export:
            self._gallery(report)
        report.seconds = time.perf_counter() - self.start
        return report

    # -- planning ----------------------------------------------------------------------------
    def _plan(self, run: TargetRun) -> None:
        """Narration, steps, keys and the steps the cache lacks; a failure fails the target."""
        from lessonkit.base.failures import failure_in_one_line
        from lessonkit.draw.fonts import require_font
        from lessonkit.render import narrate_job
        from lessonkit.render import steps as by_step

        job = replace(run.target.job, use_cache=not self.force)
        try:
            with failure_in_one_line(f"planning {run.name}"):
                require_font(job.target.words)
                job, _ = narrate_job(job, self.say)
                steps = by_step.job_steps(job)
                run.steps = [s.name for s in steps]
                run.keys = by_step.step_keys(job, steps)
                run.missing = by_step.missing_steps(job, steps, run.keys)
                run.job = job
        except LessonError as exc:
            run.fail(str(exc))

    def _submit(self, run: TargetRun, index: int) -> None:
        assert run.job is not None
        job_bytes = len(pickle.dumps(run.job))
        for name in run.missing:
            key = f"lessonkit-step-{self.token}-{index}-{name}"
            args = (run.job, (name,), {name: run.keys[name]})
            run.arg_bytes += job_bytes + len(pickle.dumps(args[1:]))
            self.futures[key] = self.client.submit(
                step_task, *args, key=key, pure=False, retries=RETRIES
            )
            self.tasks[key] = (run, name)
            run.pending.add(key)

    # -- tasks -------------------------------------------------------------------------------
    def _finished(self, future: Future[dict[str, Any]]) -> None:
        key = str(future.key)
        run, name = self.tasks[key]
        run.pending.discard(key)
        # let go of it: a result held on a worker that dies later would be computed again
        self.futures.pop(key, None)
        if future.status == "cancelled":
            future.release()
            return
        self.done_tasks += 1
        self.display.advance()
        if future.status == "error":
            exc = future.exception()
            future.release()
            if type(exc).__name__ == "KilledWorker":
                why = "the workers running it died too often (out of memory or killed)"
            else:
                why = f"{type(exc).__name__}: {str(exc)[:300]}"
            self._fail(run, f"step {name}: {why}")
        else:
            result = future.result()
            future.release()
            run.result_bytes += len(pickle.dumps(result))
            if "error" in result:
                self._fail(run, str(result["error"]))
            else:
                run.task_seconds += float(result.get("seconds", 0.0))
                run.workers.add(f"{result['host']}:{result['pid']}")
                for facts in result["facts"].values():
                    run.step_bytes_written += int(facts.get("bytes", 0))
        if self.after_task is not None:
            self.after_task(self.client, self.done_tasks)

    def _fail(self, run: TargetRun, reason: str) -> None:
        """Fail a target once, and stop its other tasks."""
        if run.status == "failed":
            return
        run.fail(reason)
        run.seconds = time.perf_counter() - self.start
        others = [self.futures[k] for k in run.pending]
        if others:
            self.client.cancel(others)
        self.display.line(f"failed {run.name}")

    def _activity(self) -> dict[str, str]:
        """What each worker is on: the first step the scheduler gave it, and how many wait."""
        try:
            processing = self.client.processing()
        except Exception:  # the display is a nicety: a scheduler hiccup must not stop a batch
            return {}
        rows = {}
        for worker, keys in sorted(processing.items()):
            ours = [self.tasks[str(k)] for k in keys if str(k) in self.tasks]
            label = str(worker).removeprefix("tcp://")
            if not ours:
                rows[label] = "idle"
                continue
            run, step = ours[0]
            more = f" (+{len(ours) - 1} queued)" if len(ours) > 1 else ""
            rows[label] = f"{run.name} · {step}{more}"
        return rows

    # -- joining and exporting ---------------------------------------------------------------
    def _join_ready(self) -> None:
        """Join every target whose steps are all done, once no task still renders steps
        into its video folder (joining cleans the folder of other processes' leftovers)."""
        busy = {
            (r.target.slug, r.target.job.folder)
            for r in self.runs
            if r.pending and r.status != "failed"
        }
        for run in self.runs:
            if run.finished or run.job is None or run.pending:
                continue
            if (run.target.slug, run.target.job.folder) in busy:
                continue
            self._join(run)
            run.seconds = time.perf_counter() - self.start
            if run.status == "failed":
                self.display.line(f"failed {run.name}")
            else:
                how = (
                    f"{len(run.missing)} of {len(run.steps)} steps rendered"
                    if run.missing
                    else f"all {len(run.steps)} steps from the step cache"
                )
                joined = f", joined in {run.join_seconds:.1f} s" if run.joined else ", reused"
                exported = ", exported" if run.exported else ""
                self.display.line(f"{run.status} {run.name}: {how}{joined}{exported}")

    def _join(self, run: TargetRun) -> None:
        from lessonkit.base.failures import failure_in_one_line
        from lessonkit.render import render, video_dir
        from lessonkit.render.steps import cache_dir, cached_step

        assert run.job is not None
        start = time.perf_counter()
        job = replace(run.target.job, use_cache=True, jobs=1)
        try:
            with failure_in_one_line(f"joining {run.name}"):
                lost = [n for n in run.steps if cached_step(run.job, n, run.keys[n]) is None]
                if lost:
                    raise LessonError(
                        f"step {lost[0]} is not in {cache_dir(run.job)} after its task "
                        "finished: the workers and this machine must share the media folder "
                        "at the same path"
                    )
                for n in run.steps:
                    video = cached_step(run.job, n, run.keys[n])
                    run.step_bytes_joined += video.video.stat().st_size if video else 0
                if self.force and run.missing:
                    # every step was drawn again: join them, do not reuse the old video
                    (video_dir(job) / f"{job.slug}.{job.fmt}").unlink(missing_ok=True)
                result = render(job, say=self.say)
                if result.rendered_steps:
                    raise LessonError(
                        f"the join rendered steps itself ({', '.join(result.rendered_steps)})"
                    )
            run.joined = not result.cached
            run.files = [str(p) for p in result.paths]
            run.status = "made" if run.missing else "cached"
            if self.exports.get(run.target.slug) is run.target:
                self._export(run, result)
        except LessonError as exc:
            run.fail(str(exc))
        run.join_seconds = time.perf_counter() - start

    def _export(self, run: TargetRun, result: RenderResult) -> None:
        """The web bundle of the target's slug, unless an earlier run made it from this
        very video (a batch run again exports only what changed)."""
        from lessonkit.base.failures import failure_in_one_line
        from lessonkit.web.bundle import bundle_dir, write_bundle

        media = run.target.job.media_dir
        folder = bundle_dir(media, run.target.slug)
        # outside the bundle: its folder is what a course page publishes
        stamp = media / "cache" / "batch-export" / f"{run.target.slug}.json"
        source = _video_stamp(result)
        try:
            if stamp.read_text(encoding="utf-8") == source and (folder / "manifest.json").is_file():
                run.bundle = str(folder)
                return
        except OSError:
            pass
        with failure_in_one_line(f"exporting {run.name}"):
            bundle = write_bundle(result)
            stamp.parent.mkdir(parents=True, exist_ok=True)
            write_text(stamp, source)
        run.bundle, run.exported = str(bundle.folder), True
        run.files += [str(p) for p in bundle.files]

    def _gallery(self, report: BatchReport) -> None:
        from lessonkit.base.failures import failure_in_one_line
        from lessonkit.web.gallery import build_site

        if not any(r.bundle for r in self.runs):
            report.gallery_error = "no web bundle was made"
            return
        media = self.course.targets[0].job.media_dir
        try:
            with failure_in_one_line("writing the gallery"):
                site = build_site(media, self.course.title)
        except LessonError as exc:
            report.gallery_error = _one_line(str(exc))
            return
        for warning in site.warnings:
            self.say(f"warning: {warning}")
        report.gallery = str(site.index)


def _video_stamp(result: RenderResult) -> str:
    """Which video a bundle was made from: its path, size and modification time."""
    assert result.video is not None
    st = result.video.stat()
    return json.dumps([str(result.video), st.st_size, st.st_mtime_ns])


def _one_line(text: str) -> str:
    return " ".join(text.split())
