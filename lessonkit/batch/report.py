"""What a batch did: each target's run (plan, tasks, outcome) and the report written as JSON."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lessonkit.base.fsutil import write_text

if TYPE_CHECKING:
    from lessonkit.batch.course import CourseTarget
    from lessonkit.render import RenderJob

__all__ = ["TargetRun", "BatchReport", "default_report_path", "one_line"]


def default_report_path(media_dir: Path) -> Path:
    """<media>/batch-report.json"""
    return media_dir / "batch-report.json"


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
        self.status, self.reason = "failed", one_line(reason)

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


def one_line(text: str) -> str:
    """`text` with its line breaks and runs of spaces made single spaces: a reason on one line."""
    return " ".join(text.split())
