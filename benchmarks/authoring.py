"""Authoring speed: how fast `table` starts, and how fast watch mode follows a save.

    python benchmarks/authoring.py [--json PATH]

Run by `make bench` after the render cases. Every figure is a median of repeated runs in
this one process tree, reported beside its reference measured in the same run (ratios,
since absolute times on shared 2-core machines are noisy):

* start-up: `lessonkit table a^2` (no sympy) and `lessonkit table "sin(a)"` (sympy loaded)
  against a bare `python -c pass`;
* watch mode: redrawing one changed step of the starter lesson against drawing every step,
  which is what a watch without per-step keys would do on each save.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _timed(argv: list[str], runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def startup() -> dict[str, Any]:
    lessonkit = str(BIN / "lessonkit")
    bare = _timed([sys.executable, "-c", "pass"])
    poly = _timed([lessonkit, "table", "a^2", "--at", "2", "--nudge", "0.001"])
    expr = _timed([lessonkit, "table", "sin(a)", "--at", "2", "--nudge", "0.001"])
    return {
        "python_s": bare,
        "table_a2_s": poly,
        "table_sin_s": expr,
        "table_a2_over_python": poly / bare,
        "table_sin_over_table_a2": expr / poly,
    }


def watch(size: tuple[int, int], edits: int = 5) -> dict[str, Any]:
    from lessonkit.cli.lesson_cmds import starter_text
    from lessonkit.render.watch import Storyboard

    with tempfile.TemporaryDirectory() as tmp:
        lesson = Path(tmp) / "bench-lesson.toml"
        text = starter_text(lesson)
        lesson.write_text(text)
        board = Storyboard(lesson, Path(tmp) / "watch", size)
        first = board.refresh()
        one_step = []
        for i in range(edits):
            lesson.write_text(text.replace("What to remember", f"What to remember ({i})"))
            r = board.refresh()
            assert len(r.drawn) == 1, r
            one_step.append(r.seconds)
        full = []
        for i in range(2):
            fresh = Storyboard(lesson, Path(tmp) / f"full-{i}", size)
            full.append(fresh.refresh().seconds)
    return {
        "size": f"{size[0]}x{size[1]}",
        "steps": first.steps,
        "first_pass_s": first.seconds,
        "one_step_s": statistics.median(one_step),
        "all_steps_s": statistics.median(full),
        "all_over_one": statistics.median(full) / statistics.median(one_step),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    result = {"startup": startup(), "watch": watch((854, 480))}
    s, w = result["startup"], result["watch"]
    print("authoring speed (medians)")
    print(f"  python -c pass                    {s['python_s']:.3f} s")
    print(f"  lessonkit table a^2               {s['table_a2_s']:.3f} s"
          f"  ({s['table_a2_over_python']:.1f} x bare python)")
    print(f"  lessonkit table \"sin(a)\"          {s['table_sin_s']:.3f} s"
          f"  ({s['table_sin_over_table_a2']:.1f} x table a^2: sympy)")
    print(f"  watch, one step redrawn ({w['size']}) {w['one_step_s']:.3f} s")
    print(f"  watch, all {w['steps']} steps drawn       {w['all_steps_s']:.3f} s"
          f"  ({w['all_over_one']:.1f} x one step)")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
