"""Run one benchmark case in its own child process: wall time, CPU time and peak RSS.

Peak RSS is measured two ways. `peak_rss_mb` comes from `os.wait4`, the kernel's accounting
for exactly that child (/usr/bin/time's figure: the largest single process among the child and
the children it waited for, never their sum). Since renders run steps in worker processes
(`--jobs`), the whole tree is also sampled: every ~50 ms psutil sums the RSS of the child and
all its descendants, and `tree_peak_rss_mb` is the largest such sum (shared pages, such as
libraries mapped by every worker, are counted once per process: an upper bound).
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

__all__ = ["ChildRun", "run_child", "tree_rss_bytes", "TreeSampler"]

#: how often the process tree's memory is sampled
SAMPLE_EVERY_S = 0.05


@dataclass
class ChildRun:
    """Outcome of one child process, as the parent measured it."""

    argv: list[str]
    returncode: int
    wall_s: float  # perf_counter around start .. reaped, interpreter start-up included
    user_s: float
    sys_s: float
    peak_rss_mb: float  # ru_maxrss of this child, MiB
    log: str  # file holding the child's stdout and stderr
    timed_out: bool = False
    machine_busy_cpu_s: float | None = None  # every process's CPU time during the run
    loadavg_before: float | None = None
    loadavg_after: float | None = None
    tree_peak_rss_mb: float | None = None  # largest sum of RSS over the child and descendants
    tree_max_procs: int | None = None  # most processes seen in the tree at once
    tree_samples: int = 0

    @property
    def others_cores(self) -> float | None:
        """Average cores other processes kept busy meanwhile: >0.2 means a noisy run."""
        if self.machine_busy_cpu_s is None or self.wall_s <= 0:
            return None
        return max(0.0, (self.machine_busy_cpu_s - self.cpu_s) / self.wall_s)

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.timed_out

    @property
    def cpu_s(self) -> float:
        return self.user_s + self.sys_s

    def tail(self, lines: int = 15) -> str:
        try:
            return "\n".join(Path(self.log).read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["cpu_s"] = self.cpu_s
        data["others_cores"] = self.others_cores
        return data


def _busy_cpu_s() -> float | None:
    """CPU seconds the whole machine has spent busy since boot (/proc/stat, not idle/iowait)."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except OSError:
        return None
    ticks = [int(v) for v in fields]
    busy = sum(ticks[:8]) - ticks[3] - ticks[4]  # user..steal minus idle and iowait
    return busy / os.sysconf("SC_CLK_TCK")


def tree_rss_bytes(processes: Iterable[Any]) -> tuple[int, int]:
    """(sum of RSS in bytes, processes counted) over psutil-like processes.

    Each needs `memory_info().rss`; one that ended or cannot be read meanwhile (psutil's
    NoSuchProcess, AccessDenied, ZombieProcess, all subclasses of psutil.Error; or OSError)
    is skipped: it holds no memory any more."""
    try:
        import psutil

        gone: tuple[type[BaseException], ...] = (psutil.Error, OSError)
    except ImportError:  # pragma: no cover - psutil is installed with the dev tools
        gone = (OSError,)
    total = counted = 0
    for proc in processes:
        try:
            total += int(proc.memory_info().rss)
        except gone:
            continue
        counted += 1
    return total, counted


class TreeSampler:
    """Samples the summed RSS of a process and all its descendants on a thread."""

    def __init__(self, pid: int, every_s: float = SAMPLE_EVERY_S) -> None:
        self.pid = pid
        self.every_s = every_s
        self.peak_bytes = 0
        self.max_procs = 0
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self, root: Any) -> None:
        import psutil

        try:
            procs = [root, *root.children(recursive=True)]
        except psutil.Error:
            return
        total, counted = tree_rss_bytes(procs)
        self.samples += 1
        self.peak_bytes = max(self.peak_bytes, total)
        self.max_procs = max(self.max_procs, counted)

    def _run(self) -> None:
        try:
            import psutil

            root = psutil.Process(self.pid)
        except Exception:  # no psutil, or the child is gone already: no tree figure
            return
        while True:
            self._sample(root)
            if self._stop.wait(self.every_s):
                return

    def start(self) -> TreeSampler:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def peak_mb(self) -> float | None:
        return self.peak_bytes / 2**20 if self.samples else None


def run_child(argv: Sequence[str], *, log: Path, cwd: Path, env: Mapping[str, str] | None = None,
              timeout_s: float | None = None) -> ChildRun:
    """Run argv to completion; stdout and stderr go to `log`."""
    log.parent.mkdir(parents=True, exist_ok=True)
    timed_out = threading.Event()
    load_before = os.getloadavg()[0]
    busy_before = _busy_cpu_s()
    with open(log, "wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(list(argv), cwd=cwd, env=dict(env) if env else None,
                                stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)

        def _kill() -> None:
            timed_out.set()
            proc.kill()

        timer = threading.Timer(timeout_s, _kill) if timeout_s else None
        if timer:
            timer.start()
        # sampled until the child is reaped: the last samples before it exits are kept
        sampler = TreeSampler(proc.pid).start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            if timer:
                timer.cancel()
        wall = time.perf_counter() - start
        sampler.stop()
    busy_after = _busy_cpu_s()
    code = os.waitstatus_to_exitcode(status)
    proc.returncode = code  # reaped here, so Popen must not wait for it again
    return ChildRun(
        argv=list(argv),
        returncode=code,
        wall_s=wall,
        user_s=usage.ru_utime,
        sys_s=usage.ru_stime,
        peak_rss_mb=usage.ru_maxrss / 1024,  # Linux reports KiB
        log=str(log),
        timed_out=timed_out.is_set(),
        machine_busy_cpu_s=(busy_after - busy_before
                            if busy_after is not None and busy_before is not None else None),
        loadavg_before=load_before,
        loadavg_after=os.getloadavg()[0],
        tree_peak_rss_mb=sampler.peak_mb,
        tree_max_procs=sampler.max_procs if sampler.samples else None,
        tree_samples=sampler.samples,
    )
