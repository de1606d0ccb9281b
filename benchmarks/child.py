"""Run one benchmark case in its own child process: wall time, CPU time and peak RSS.

Peak RSS comes from `os.wait4`, the kernel's accounting for exactly that child (and any
children it waited for), so each case is charged only its own memory.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

__all__ = ["ChildRun", "run_child"]


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
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            if timer:
                timer.cancel()
        wall = time.perf_counter() - start
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
    )
