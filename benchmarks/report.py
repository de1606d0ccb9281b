"""Turn measured cases into the issue's ratios, check them against its targets, print tables.

The targets are those of issue 5 (2-core machines): production <= 1.25 x the encoder's floor,
>= 4 x faster than the naive scene at 1080p60, stills of the lesson <= 10 s, a preview render
faster than real time, an unchanged re-render <= 3 s, peak RSS <= 1.5 GB for every case.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["Target", "ratios", "targets", "print_tables"]

RSS_LIMIT_MB = 1.5 * 1024


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
        if self.value is None:
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


def ratios(cases: dict[str, Any]) -> dict[str, Any]:
    """The issue's ratios from raw case results (None where a case is missing or failed)."""
    prod_s = _get(cases, "production", "render_s")
    floor_s = _get(cases, "floor", "render_s")
    naive_s = _get(cases, "naive", "render_s")
    prod_frames = _get(cases, "production", "video", "frames")
    naive_frames = _get(cases, "naive", "video", "frames")
    lesson_wall = _get(cases, "preview_render", "process", "wall_s")
    lesson_duration = _get(cases, "preview_render", "video", "duration_s")
    return {
        "ours_over_floor": _div(prod_s, floor_s),
        "ours_over_floor_process": _div(_get(cases, "production", "process", "wall_s"),
                                        _get(cases, "floor", "process", "wall_s")),
        "naive_over_ours": _div(naive_s, prod_s),
        "naive_over_ours_per_frame": _div(_div(naive_s, naive_frames),
                                          _div(prod_s, prod_frames)),
        "stills_s": _get(cases, "stills", "process", "wall_s"),
        "preview_render_over_duration": _div(lesson_wall, lesson_duration),
        "cached_s": _get(cases, "cached", "process", "wall_s"),
        "peak_rss_mb": {name: _get(cases, name, "process", "peak_rss_mb") for name in cases},
    }


def targets(r: dict[str, Any], production_size: bool) -> list[Target]:
    rss = [v for v in r["peak_rss_mb"].values() if v is not None]
    quick_note = "" if production_size else "measured below 1080p60: not the issue's figure"
    return [
        Target("production / encoder floor", r["ours_over_floor"], "<=", 1.25, "x",
               production_size, quick_note),
        Target("naive / ours", r["naive_over_ours"], ">=", 4.0, "x", production_size,
               quick_note),
        Target("stills of the lesson", r["stills_s"], "<=", 10.0, "s", True),
        Target("preview render / video duration", r["preview_render_over_duration"], "<", 1.0,
               "x", production_size, "" if production_size else "--quick renders at 4 fps"),
        Target("cached re-render", r["cached_s"], "<=", 3.0, "s", True),
        Target("peak RSS (worst case)", max(rss) if rss else None, "<=", RSS_LIMIT_MB, "MB",
               True),
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
    console = Console(width=max(Console().width, 150))
    machine = result["machine"]
    title = (f"lessonkit benchmark ({result['mode']}, clip cases at {result['size']}) - "
             f"{machine['date']} - {machine['nproc']} x {machine['cpu_model']}")
    cases = Table(title=title, title_justify="left")
    for column in ("case", "what", "process s", "render s", "frames", "ms/frame",
                   "video s", "peak RSS MB", "others' cores", "status"):
        cases.add_column(column, justify="left" if column in ("case", "what", "status")
                         else "right")
    for name, case in result["cases"].items():
        proc = case.get("process", {})
        video = case.get("video") or {}
        render_s = case.get("render_s")
        frames = video.get("frames")
        per_frame = (render_s if render_s is not None else proc.get("wall_s"))
        cases.add_row(
            name, case.get("what", ""), _fmt(proc.get("wall_s")), _fmt(render_s),
            str(frames) if frames is not None else "-",
            _fmt(per_frame / frames * 1000, 1) if per_frame and frames else "-",
            _fmt(video.get("duration_s"), 1) if video else "-",
            _fmt(proc.get("peak_rss_mb"), 0), _fmt(proc.get("others_cores")),
            "ok" if case.get("ok") else f"FAILED: {case.get('error', '')}"[:60],
        )
    console.print(cases)
    goals = Table(title="targets (issue 5)", title_justify="left")
    for column in ("target", "measured", "goal", "met", "note"):
        goals.add_column(column)
    for t in result["targets"]:
        met = t["met"]
        mark = "-" if met is None else ("yes" if met else "NO")
        if not t["comparable"] and met is not None:
            mark += " (n/c)"
        digits = 0 if t["unit"] == "MB" else 2
        goals.add_row(t["name"], f"{_fmt(t['value'], digits)} {t['unit']}",
                      f"{t['op']} {t['limit']:g} {t['unit']}", mark, t["note"])
    console.print(goals)
    r = result["ratios"]
    console.print(f"naive / ours per frame: {_fmt(r['naive_over_ours_per_frame'])} x;  "
                  f"production / floor by whole process: {_fmt(r['ours_over_floor_process'])} x")
