"""How `lessonkit batch` scales: `python benchmarks/batch.py COURSE.toml [--media DIR]`.

Runs the course on a LocalCluster of 1 worker, then on a new one of 2 workers, each into a
fresh media folder (no step cache, no narration cache: both runs do the same work), and
prints JSON:

  workers_1_s, workers_2_s   wall time of `run_course` (planning, every step task, the joins,
                             the export), the cluster's start excluded; with it: *_total_s
  speedup                    workers_1_s / workers_2_s
  tasks, steps               step tasks run (one per step) and steps in the course
  bytes_per_task             what crosses Dask per task: the pickled arguments (the job and
                             the step's name and key) and the pickled result (its facts)
  step_file_bytes_per_task   the step video each task writes to the shared media folder
                             (not sent through Dask; the join reads it back)
  failed                     targets that failed (the figures are meaningless unless [])

On a machine with fewer than 2 cores the 2-worker figure says nothing. Nothing outside
--media (default: a temporary folder, removed afterwards) is written.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def run_once(course_path: Path, media: Path, workers: int) -> dict[str, Any]:
    """The course on a fresh LocalCluster of `workers` workers into `media`."""
    from lessonkit.batch import open_client, run_course
    from lessonkit.batch.course import load_course

    course = load_course(course_path, media)
    start = time.perf_counter()
    with open_client(None, workers) as client:
        began = time.perf_counter()
        report = run_course(course, client, live=False)
        seconds = time.perf_counter() - began
    return {
        "seconds": seconds,
        "total_seconds": time.perf_counter() - start,
        "report": report.to_json(),
    }


def measure(course_path: Path, media_root: Path) -> dict[str, Any]:
    """Both runs and the figures the README's scaling model quotes."""
    one = run_once(course_path, media_root / "workers-1", 1)
    two = run_once(course_path, media_root / "workers-2", 2)
    totals = two["report"]["totals"]
    tasks = max(1, int(totals["tasks"]))
    moved = totals["bytes"]
    return {
        "course": str(course_path),
        "workers_1_s": round(one["seconds"], 2),
        "workers_2_s": round(two["seconds"], 2),
        "workers_1_total_s": round(one["total_seconds"], 2),
        "workers_2_total_s": round(two["total_seconds"], 2),
        "speedup": round(one["seconds"] / two["seconds"], 2) if two["seconds"] else None,
        "tasks": totals["tasks"],
        "steps": totals["steps"],
        "tasks_per_target": two["report"]["tasks_per_target"],
        "bytes_per_task": {
            "args": round(moved["task_args"] / tasks),
            "result": round(moved["task_results"] / tasks),
        },
        "step_file_bytes_per_task": round(moved["step_files_written"] / tasks),
        "failed": [
            f"{t['name']}: {t['reason']}"
            for run in (one, two)
            for t in run["report"]["targets"]
            if t["status"] == "failed"
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("course", type=Path, help="a course file, e.g. courses/refresher.toml")
    parser.add_argument("--media", type=Path, default=None, help="keep the media folders here")
    args = parser.parse_args()
    root = args.media or Path(tempfile.mkdtemp(prefix="lessonkit-batch-bench-"))
    try:
        result = measure(args.course, root)
    finally:
        if args.media is None:
            shutil.rmtree(root, ignore_errors=True)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
