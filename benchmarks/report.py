"""Turn measured cases into the issue's ratios, check them against its targets, print tables.

The targets are those of issue 5 (2-core machines): production <= 1.25 x the encoder's floor,
>= 4 x faster than the naive scene at 1080p60, stills of the lesson <= 10 s, a preview render
faster than real time, an unchanged re-render <= 3 s, peak RSS <= 1.5 GB for every case;
and of the step-by-step render (`--jobs`): the preview lesson >= 1.3 x faster with 2 jobs
than with 1, the floor ratio with the default jobs and with 1 job, render cost linear in the
number of steps, the 1080p60 lesson's whole process tree <= 1 GB with 1 job and <= 1 GB +
0.6 GB per extra job, and the 4K clip's tree reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["Target", "ratios", "targets", "print_tables", "fit_line", "steps_curve",
           "tree_rss_limit_mb", "STEPS_PARTS"]

RSS_LIMIT_MB = 1.5 * 1024
#: the lesson at 1080p60: its process tree with 1 job, and what each extra job may add
TREE_RSS_ONE_JOB_MB = 1024.0
TREE_RSS_PER_EXTRA_JOB_MB = 0.6 * 1024
#: the linearity cases: lessons of this many nudge parts
STEPS_PARTS = (1, 2, 4, 8)
#: cases with an RSS target (or report) of their own, left out of the worst-case RSS target
OWN_RSS_CASES = ("rss_lesson_j1", "rss_lesson_j2", "rss_4k")


@dataclass(frozen=True)
class Target:
    """One target of the issue, with the measured value."""

    name: str
    value: float | None
    op: str  # "<=", ">=", "<"
    limit: float
    unit: str
    comparable: bool  # False in --quick for targets defined at production size
    note: str = ""

    @property
    def met(self) -> bool | None:
        if self.value is None or self.op == "report":
            return None
        if self.op == "<=":
            return self.value <= self.limit
        if self.op == ">=":
            return self.value >= self.limit
        return self.value < self.limit

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["met"] = self.met
        return data


def _get(cases: dict[str, Any], case: str, *keys: str) -> Any:
    value: Any = cases.get(case)
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def _div(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def fit_line(xs: Sequence[float], ys: Sequence[float]) -> tuple[float, float, float] | None:
    """Least-squares line y = slope * x + intercept through the points, and its R².

    None with fewer than two points or when every x is equal; R² is 1 when every y is equal
    (the line explains them all)."""
    n = len(xs)
    if n != len(ys) or n < 2:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    if sxx == 0:
        return None
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx
    intercept = my - slope * mx
    ss_tot = sum((y - my) ** 2 for y in ys)
    ss_res = sum((y - (slope * x + intercept)) ** 2 for x, y in zip(xs, ys, strict=True))
    return slope, intercept, (1.0 - ss_res / ss_tot) if ss_tot else 1.0


def steps_curve(cases: dict[str, Any]) -> dict[str, Any] | None:
    """Render cost against lesson length from the steps_<parts> cases: one row per lesson
    (parts, steps, frames, seconds, seconds per frame), a line fit of seconds on frames, and
    the per-frame cost of the longest lesson over that of the shortest (1.0: linear with no
    fixed cost; below 1: a fixed cost spread over more frames; above 1: superlinear)."""
    rows = []
    for parts in STEPS_PARTS:
        case = cases.get(f"steps_{parts}")
        if not isinstance(case, dict) or not case.get("ok"):
            continue
        seconds = case.get("render_s")
        if seconds is None:
            seconds = _get(case, "process", "wall_s")
        frames = _get(case, "video", "frames")
        if seconds is None or not frames:
            continue
        rows.append({"parts": parts, "steps": case.get("steps"), "frames": frames,
                     "seconds": seconds, "s_per_frame": seconds / frames})
    if not rows:
        return None
    fit = fit_line([r["frames"] for r in rows], [r["seconds"] for r in rows])
    return {
        "rows": rows,
        "slope_s_per_frame": fit[0] if fit else None,
        "intercept_s": fit[1] if fit else None,
        "r2": fit[2] if fit else None,
        "per_frame_last_over_first": (_div(rows[-1]["s_per_frame"], rows[0]["s_per_frame"])
                                      if len(rows) > 1 else None),
        "parts_last_over_first": f"{rows[-1]['parts']}/{rows[0]['parts']}",
    }


def tree_rss_limit_mb(jobs: int) -> float:
    """The lesson's process-tree RSS target at 1080p60: 1 GB, plus 0.6 GB per extra job."""
    return TREE_RSS_ONE_JOB_MB + TREE_RSS_PER_EXTRA_JOB_MB * max(0, jobs - 1)


def _case_rss(case: Any) -> float | None:
    """The truest peak memory of a case: its process tree's, else its main process's."""
    tree = _get({"c": case}, "c", "process", "tree_peak_rss_mb")
    own = _get({"c": case}, "c", "process", "peak_rss_mb")
    values = [v for v in (tree, own) if v is not None]
    return max(values) if values else None


def ratios(cases: dict[str, Any]) -> dict[str, Any]:
    """The issue's ratios from raw case results (None where a case is missing or failed)."""
    prod_s = _get(cases, "production", "render_s")
    floor_s = _get(cases, "floor", "render_s")
    naive_s = _get(cases, "naive", "render_s")
    prod_frames = _get(cases, "production", "video", "frames")
    naive_frames = _get(cases, "naive", "video", "frames")
    # the naive scene is one process: compared with the product on one job when measured
    ours = "production_j1" if _get(cases, "production_j1", "render_s") else "production"
    ours_s = _get(cases, ours, "render_s")
    ours_frames = _get(cases, ours, "video", "frames")
    lesson_wall = _get(cases, "preview_render", "process", "wall_s")
    lesson_duration = _get(cases, "preview_render", "video", "duration_s")
    return {
        "ours_over_floor": _div(prod_s, floor_s),
        "ours_over_floor_process": _div(_get(cases, "production", "process", "wall_s"),
                                        _get(cases, "floor", "process", "wall_s")),
        "ours_over_floor_jobs": _get(cases, "production", "jobs"),
        "ours_over_floor_j1": _div(_get(cases, "production_j1", "render_s"),
                                   _get(cases, "floor_j1", "render_s")),
        "ours_over_floor_j1_process": _div(_get(cases, "production_j1", "process", "wall_s"),
                                           _get(cases, "floor_j1", "process", "wall_s")),
        "naive_over_ours": _div(naive_s, ours_s),
        "naive_over_ours_vs": ours,
        "naive_over_ours_per_frame": _div(_div(naive_s, naive_frames),
                                          _div(ours_s, ours_frames)),
        "naive_over_ours_default_jobs": _div(naive_s, prod_s) if ours != "production" else None,
        "naive_over_ours_default_jobs_per_frame": (
            _div(_div(naive_s, naive_frames), _div(prod_s, prod_frames))
            if ours != "production" else None),
        "stills_s": _get(cases, "stills", "process", "wall_s"),
        "preview_render_over_duration": _div(lesson_wall, lesson_duration),
        "cached_s": _get(cases, "cached", "process", "wall_s"),
        # what a user waits for (whole command), and render() alone (as the CLI reports it)
        "preview_speedup_2_over_1": _div(_get(cases, "preview_j1", "process", "wall_s"),
                                         _get(cases, "preview_j2", "process", "wall_s")),
        "preview_speedup_2_over_1_render": _div(_get(cases, "preview_j1", "render_s"),
                                                _get(cases, "preview_j2", "render_s")),
        "steps_curve": steps_curve(cases),
        "lesson_tree_rss_mb": {jobs: _get(cases, f"rss_lesson_j{jobs}", "process",
                                          "tree_peak_rss_mb") for jobs in (1, 2)},
        "clip_4k_tree_rss_mb": _get(cases, "rss_4k", "process", "tree_peak_rss_mb"),
        "peak_rss_mb": {name: _get(cases, name, "process", "peak_rss_mb") for name in cases},
        "tree_peak_rss_mb": {name: _get(cases, name, "process", "tree_peak_rss_mb")
                             for name in cases},
        "worst_rss_mb": max((v for name, case in cases.items() if name not in OWN_RSS_CASES
                             if (v := _case_rss(case)) is not None), default=None),
    }


def targets(r: dict[str, Any], production_size: bool) -> list[Target]:
    quick_note = "" if production_size else "measured below 1080p60: not the issue's figure"
    jobs = r.get("ours_over_floor_jobs")
    curve = r.get("steps_curve") or {}
    tree = r.get("lesson_tree_rss_mb") or {}
    return [
        Target("production / encoder floor, default jobs", r["ours_over_floor"], "<=", 1.25,
               "x", production_size,
               quick_note or (f"jobs={jobs} for both" if jobs is not None else "")),
        Target("production / encoder floor, 1 job", r.get("ours_over_floor_j1"), "<=", 1.25,
               "x", production_size, quick_note or "jobs=1 for both"),
        Target("naive / ours", r["naive_over_ours"], ">=", 4.0, "x", production_size,
               quick_note or f"ours = {r.get('naive_over_ours_vs', 'production')}"),
        Target("stills of the lesson", r["stills_s"], "<=", 10.0, "s", True),
        Target("preview render / video duration", r["preview_render_over_duration"], "<", 1.0,
               "x", production_size, "" if production_size else "--quick renders at 4 fps"),
        Target("cached re-render", r["cached_s"], "<=", 3.0, "s", True),
        Target("preview lesson speed-up, 2 jobs / 1 job", r.get("preview_speedup_2_over_1"),
               ">=", 1.3, "x", production_size,
               "whole command, on 2 cores" if production_size
               else "--quick renders at 4 fps and 426x240"),
        Target("steps curve: R² of seconds on frames", curve.get("r2"), ">=", 0.99, "",
               True, "bench's reading of 'linear'"),
        Target(f"steps curve: s/frame at {curve.get('parts_last_over_first', '8/1')} parts",
               curve.get("per_frame_last_over_first"), "<=", 1.1, "x", True,
               "bench's reading of 'linear': no superlinear growth"),
        Target("lesson 1080p60 tree RSS, 1 job", tree.get(1), "<=", tree_rss_limit_mb(1), "MB",
               production_size, quick_note),
        Target("lesson 1080p60 tree RSS, 2 jobs", tree.get(2), "<=", tree_rss_limit_mb(2), "MB",
               production_size, quick_note),
        Target("4K clip tree RSS, 1 job", r.get("clip_4k_tree_rss_mb"), "report", 0, "MB",
               production_size, "reported: the target is 'bounded'" if production_size
               else "--quick renders it at 426x240"),
        Target("peak RSS (worst case)", r.get("worst_rss_mb"), "<=", RSS_LIMIT_MB, "MB",
               True, "process tree; cases with RSS targets of their own left out"),
    ]


def _fmt(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def print_tables(result: dict[str, Any]) -> None:
    """Print the cases and the targets with rich (plain text when rich is missing)."""
    try:
        from rich.console import Console
        from rich.table import Table
    except ImportError:  # pragma: no cover - rich is installed with Manim
        import json

        print(json.dumps(result, indent=2, default=str))
        return
    # a wide console even when piped (make bench | tee), so the table never wraps
    console = Console(width=max(Console().width, 220))
    machine = result["machine"]
    title = (f"lessonkit benchmark ({result['mode']}, clip cases at {result['size']}) - "
             f"{machine['date']} - {machine['nproc']} x {machine['cpu_model']}")
    cases = Table(title=title, title_justify="left")
    for column in ("case", "what", "jobs", "process s", "render s", "frames", "ms/frame",
                   "video s", "peak RSS MB", "tree RSS MB", "procs", "others' cores",
                   "status"):
        cases.add_column(column, justify="left" if column in ("case", "what", "status")
                         else "right")
    for name, case in result["cases"].items():
        proc = case.get("process", {})
        video = case.get("video") or {}
        render_s = case.get("render_s")
        frames = video.get("frames")
        per_frame = (render_s if render_s is not None else proc.get("wall_s"))
        jobs = case.get("jobs")
        cases.add_row(
            name, case.get("what", ""), str(jobs) if jobs is not None else "-",
            _fmt(proc.get("wall_s")), _fmt(render_s),
            str(frames) if frames is not None else "-",
            _fmt(per_frame / frames * 1000, 1) if per_frame and frames else "-",
            _fmt(video.get("duration_s"), 1) if video else "-",
            _fmt(proc.get("peak_rss_mb"), 0), _fmt(proc.get("tree_peak_rss_mb"), 0),
            str(proc["tree_max_procs"]) if proc.get("tree_max_procs") is not None else "-",
            _fmt(proc.get("others_cores")),
            "ok" if case.get("ok") else f"FAILED: {case.get('error', '')}"[:60],
        )
    console.print(cases)
    curve = result["ratios"].get("steps_curve")
    if curve:
        steps = Table(title="render cost against lesson length (steps_* cases, 1 job)",
                      title_justify="left")
        for column in ("parts", "steps", "frames", "render s", "ms/frame"):
            steps.add_column(column, justify="right")
        for row in curve["rows"]:
            steps.add_row(str(row["parts"]), str(row["steps"] if row["steps"] is not None
                                                 else "-"),
                          str(row["frames"]), _fmt(row["seconds"]),
                          _fmt(row["s_per_frame"] * 1000, 2))
        console.print(steps)
        slope = curve.get("slope_s_per_frame")
        console.print(
            f"line fit: seconds = {_fmt(slope * 1000 if slope is not None else None, 2)} ms"
            f" x frames + {_fmt(curve.get('intercept_s'))} s, R² = "
            f"{_fmt(curve.get('r2'), 4)}; per-frame cost at "
            f"{curve['parts_last_over_first']} parts: "
            f"{_fmt(curve.get('per_frame_last_over_first'))} x")
    goals = Table(title="targets (issue 5)", title_justify="left")
    for column in ("target", "measured", "goal", "met", "note"):
        goals.add_column(column)
    for t in result["targets"]:
        met = t["met"]
        mark = "-" if met is None else ("yes" if met else "NO")
        if not t["comparable"] and met is not None:
            mark += " (n/c)"
        digits = 0 if t["unit"] == "MB" else (4 if t["unit"] == "" else 2)
        goal = ("reported" if t["op"] == "report"
                else f"{t['op']} {t['limit']:g} {t['unit']}".rstrip())
        goals.add_row(t["name"], f"{_fmt(t['value'], digits)} {t['unit']}".rstrip(),
                      goal, mark, t["note"])
    console.print(goals)
    r = result["ratios"]
    console.print(f"naive / ours per frame: {_fmt(r['naive_over_ours_per_frame'])} x "
                  f"(ours = {r.get('naive_over_ours_vs')}; with the default jobs: "
                  f"{_fmt(r.get('naive_over_ours_default_jobs_per_frame'))} x);  "
                  f"production / floor by whole process: default jobs "
                  f"{_fmt(r['ours_over_floor_process'])} x, 1 job "
                  f"{_fmt(r.get('ours_over_floor_j1_process'))} x;  preview speed-up "
                  f"2 jobs / 1 job, render() alone: "
                  f"{_fmt(r.get('preview_speedup_2_over_1_render'))} x")
