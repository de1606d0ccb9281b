# mypy: disable-error-code="no-untyped-call"
# (distributed ships type hints on few of its functions: Client, as_completed, Future.*)
"""A batch on the client: plan every target, submit its tasks, follow them, join as they finish."""

from __future__ import annotations

import pickle
import time
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from lessonkit.batch.course import Course
from lessonkit.batch.outputs import join_target, write_gallery
from lessonkit.batch.planning import plan_target
from lessonkit.batch.progress import LineProgress, LiveProgress, show_progress
from lessonkit.batch.report import BatchReport, TargetRun
from lessonkit.batch.tasks import RETRIES, step_task

if TYPE_CHECKING:
    from distributed import Client, Future

__all__ = ["run_course"]


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
    live_display = show_progress() if live is None else live
    display = LiveProgress(tell) if live_display else LineProgress(tell)
    return batch.run(display)


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

    def run(self, display: LineProgress) -> BatchReport:
        from distributed import as_completed

        for run in self.runs:
            plan_target(run, self.force, self.say)
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
            write_gallery(report, self.course, self.say)
        report.seconds = time.perf_counter() - self.start
        return report

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
            join_target(run, self.force, self.say, self.exports.get(run.target.slug) is run.target)
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
