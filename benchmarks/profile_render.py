"""Profile the reference clip's production render and measure the levers that could speed it up.

    python benchmarks/profile_render.py [--size 854x480@15] [--out DIR] [--levers]
                                        [--lever-size 1920x1080@60] [--repeat 2] [--stills]

Three child renders of the reference clip (a² at 2, Δa 1 -> 0.001) through lessonkit's own
render(), at a small size:

  1. the time ledger (ledger.py): where the main thread's wall time goes, with no profiler
     overhead; its counters give a measured upper bound for each lever;
  2. cProfile: the top functions by cumulative and by own time, each attributed to our code
     (lessonkit/draw, scenes) or to a part of Manim (camera/Cairo drawing, DecimalNumber,
     mobject updates, scene loop, encoding), plus own time summed per part;
  3. py-spy (when installed in the venv): sampled stacks of every thread, giving the hot
     *lines* of our code (the deepest lessonkit/scenes frame of each sample) and how busy the
     encoder threads are.

`--levers` then renders the clip once per lever (see cases.LEVERS; plus the baseline), and
measures two lesson parts rendered one after the other vs. side by side in two processes.
`--stills` samples `lessonkit preview --lesson --frame` with py-spy as well.
Everything is written under --out (default: a new folder in /tmp), summary in profile.json.
"""

from __future__ import annotations

import argparse
import json
import os
import pstats
import re
import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.child import run_child  # noqa: E402
from benchmarks.machine import machine_info  # noqa: E402
from benchmarks.pipeline import Size  # noqa: E402

__all__ = ["main", "category", "parse_size"]

#: (category, substrings of a file path or function name), first match wins
CATEGORIES: list[tuple[str, tuple[str, ...]]] = [
    ("ours: lessonkit/draw", ("lessonkit/draw/",)),
    ("ours: scenes", ("scenes/",)),
    ("ours: lessonkit (other)", ("lessonkit/",)),
    ("benchmark harness", ("benchmarks/",)),
    ("manim: DecimalNumber / text", ("manim/mobject/text/",)),
    ("manim: camera + Cairo drawing", ("manim/camera/", "cairo.Context", "cairo.")),
    ("manim: encoding (file writer, PyAV)", ("scene_file_writer", "video_segment_encoder",
                                             "av/", "av.", "'av")),
    ("manim: scene loop / renderer", ("manim/scene/", "manim/renderer/", "manim/manager")),
    ("manim: animations", ("manim/animation/",)),
    ("manim: mobjects (updaters, geometry)", ("manim/mobject/", "manim/utils/")),
    ("python: copy.deepcopy", ("copy.py", "lib/python3.11/copy")),
    ("python: threads / waiting", ("threading.py", "_thread.lock", "queue.py")),
    ("numpy", ("numpy",)),
    ("typst / svg", ("typst", "svgelements", "svg")),
]


#: inclusive (cumulative) cProfile time of these entry points, to attribute callees' time
KEY_POINTS: list[tuple[str, str, str]] = [
    ("Scene.update_mobjects (every updater)", "manim/scene/scene.py", "update_mobjects"),
    ("Camera.capture_mobjects (all drawing)", "manim/camera/camera.py", "capture_mobjects"),
    ("DecimalNumber.set_value", "manim/mobject/text/numbers.py", "set_value"),
    ("Mobject.copy (deepcopy)", "manim/mobject/mobject.py", "copy"),
    ("Mobject.become", "manim/mobject/mobject.py", "become"),
    ("close_partial_movie_stream (encoder wait)", "scene_file_writer.py",
     "close_partial_movie_stream"),
    ("SceneFileWriter.finish (join + concat)", "scene_file_writer.py", "finish"),
    ("MathTypst / Typst construction", "typst_mobject.py", "__init__"),
]


def category(where: str) -> str:
    """The part of the code a file path or pstats function name belongs to."""
    text = where.replace("\\", "/")
    for name, needles in CATEGORIES:
        if any(n in text for n in needles):
            return name
    return "other"


def parse_size(text: str) -> Size:
    """'854x480@15' -> Size(854, 480, 15)."""
    match = re.fullmatch(r"(\d+)x(\d+)@(\d+)", text)
    if not match:
        raise argparse.ArgumentTypeError(f"size must look like 854x480@15, got {text!r}")
    return Size(*(int(g) for g in match.groups()))


def _python() -> str:
    venv = ROOT / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["LESSONKIT_PROGRESS"] = "0"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def _case_argv(size: Size, out: Path, tag: str, *extra: str) -> list[str]:
    # --jobs 1: the ledger, cProfile and levers see Manim's loop only in this process (with
    # more jobs, render() draws the steps in worker processes)
    return [_python(), "-m", "benchmarks.cases", "production", "--media", str(out / tag),
            "--result", str(out / f"{tag}.json"), "--width", str(size.width), "--height",
            str(size.height), "--fps", str(size.fps), "--jobs", "1", *extra]


def _say(text: str) -> None:
    print(f"[profile {time.strftime('%H:%M:%S')}] {text}", flush=True)


# -- 1. ledger ---------------------------------------------------------------------------------
def ledger_summary(result: dict[str, Any]) -> dict[str, Any]:
    """Main-thread wall time split into parts, and the lever bounds the counters give."""
    led = result["ledger"]
    total = result["render_s"]
    interpolation = max(0.0, led["update_to_time_s"] - led["updaters_s"])
    parts = {
        "updaters (Scene.update_mobjects)": led["updaters_s"],
        "animation interpolation": interpolation,
        "drawing: camera moving, all redrawn": led["draw_full_camera_moving_s"],
        "drawing: camera still, all redrawn": led["draw_full_camera_still_s"],
        "drawing: over a cached static image": led["draw_over_static_s"],
        "frame copy (get_frame)": led["frame_copy_s"],
        "hand-off to encoder (queue full)": led["handoff_s"],
        "waiting for segment encoder (per play)": led["segment_wait_s"],
        "finish: join, concatenate, sections": led["finish_s"],
    }
    parts["other (scene setup, typesetting, ...)"] = total - sum(parts.values())
    static_ms = led.get("static_graph_draw_ms")
    bounds = {
        "static graph cached while the camera is still (frames x axes+curve draw)":
            (led["draw_full_camera_still_frames"] * static_ms / 1000) if static_ms else None,
        "DecimalNumber.set_value with unchanged text": led["decimal_same_text_s"],
        "all DecimalNumber.set_value": led["decimal_s"],
        "segment-end waits (max_inflight_encoders > 1 can hide)": led["segment_wait_s"],
    }
    return {"render_s": total, "frames_drawn": led["frames_drawn"],
            "camera_still_full_redraw_frames": led["draw_full_camera_still_frames"],
            "camera_moving_frames": led["draw_full_camera_moving_frames"],
            "segments": led["segments"], "decimal_calls": led["decimal_calls"],
            "static_graph_draw_ms": static_ms, "parts_s": parts, "lever_bounds_s": bounds}


# -- 2. cProfile -------------------------------------------------------------------------------
def _func_name(func: tuple[str, int, str]) -> str:
    path, line, name = func
    short = path
    for marker in ("site-packages/", str(ROOT) + "/", "lib/python3.11/"):
        if marker in short:
            short = short.split(marker, 1)[1]
    return f"{short}:{line}({name})" if line else name


def cprofile_summary(path: Path, top: int) -> dict[str, Any]:
    stats = pstats.Stats(str(path))
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    rows = []
    for func, (_cc, ncalls, tottime, cumtime, _callers) in raw.items():
        name = _func_name(func)
        rows.append({"function": name, "calls": ncalls, "tottime_s": tottime,
                     "cumtime_s": cumtime, "category": category(name)})
    total = max(r["cumtime_s"] for r in rows)
    by_cum = sorted(rows, key=lambda r: -r["cumtime_s"])
    # the top of the cumulative list is the call chain down to play(); keep it, it is short
    by_tot = sorted(rows, key=lambda r: -r["tottime_s"])
    own: dict[str, float] = defaultdict(float)
    for r in rows:
        own[r["category"]] += r["tottime_s"]
    ours = [r for r in by_cum if r["category"].startswith("ours")]
    keys: dict[str, float] = {}
    for label, file, func in KEY_POINTS:
        times = [cum for (path, _line, name), (_c, _n, _t, cum, _cl) in raw.items()
                 if name == func and path.replace("\\", "/").endswith(file)]
        if times:
            keys[label] = max(times)  # recursive entries repeat the outermost time
    return {"total_s": total, "key_points_cumulative_s": keys,
            "top_cumulative": by_cum[:top], "top_tottime": by_tot[:top],
            "own_time_by_category_s": dict(sorted(own.items(), key=lambda kv: -kv[1])),
            "ours_by_cumulative": ours[:25]}


# -- 3. py-spy ---------------------------------------------------------------------------------
_FRAME = re.compile(r"^(?P<func>.*) \((?P<file>[^()]*?):(?P<line>\d+)\)$")


def _source_line(file: str, line: int) -> str:
    for base in (ROOT, ROOT / ".venv" / "lib" / "python3.11" / "site-packages"):
        path = base / file
        if path.exists():
            lines = path.read_text(errors="replace").splitlines()
            if 0 < line <= len(lines):
                return lines[line - 1].strip()
    return ""


def pyspy_summary(raw_path: Path, rate: int, top: int) -> dict[str, Any]:
    """Hot lines of our code and time per thread, from py-spy's raw (collapsed) output."""
    threads: Counter[str] = Counter()
    leaf_cat: Counter[str] = Counter()
    deepest_ours: Counter[str] = Counter()
    ours_inclusive: Counter[str] = Counter()
    main_samples = 0
    for text in raw_path.read_text(errors="replace").splitlines():
        stack, _, count_text = text.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        parts = stack.split(";")
        label = parts[0]
        thread = label.split(": ", 1)[1] if ": " in label else label
        thread = re.sub(r"-\d+$", "-N", thread)
        frames = [m for m in (_FRAME.match(p) for p in parts[1:]) if m]
        threads[thread] += count
        if thread != "MainThread" or not frames:
            continue
        main_samples += count
        leaf_cat[category(frames[-1]["file"] + " " + frames[-1]["func"])] += count
        ours = [f for f in frames if category(f["file"]).startswith("ours")]
        if ours:
            f = ours[-1]
            deepest_ours[f"{f['file']}:{f['line']} {f['func']}"] += count
        for key in {f"{f['file']}:{f['line']} {f['func']}" for f in ours}:
            ours_inclusive[key] += count

    def lines(counter: Counter[str]) -> list[dict[str, Any]]:
        out = []
        for key, n in counter.most_common(top):
            where, func = key.split(" ", 1)
            file, line = where.rsplit(":", 1)
            out.append({"line": where, "function": func, "seconds": n / rate,
                        "share_of_main": n / main_samples if main_samples else 0,
                        "code": _source_line(file, int(line))})
        return out

    return {
        "rate_hz": rate,
        "thread_seconds": {t: n / rate for t, n in threads.most_common()},
        "main_thread_seconds": main_samples / rate,
        "main_leaf_by_category_s": {k: v / rate for k, v in leaf_cat.most_common()},
        "hot_lines_deepest_ours": lines(deepest_ours),
        "hot_lines_inclusive": lines(ours_inclusive),
    }


def _pyspy() -> str | None:
    venv = ROOT / ".venv" / "bin" / "py-spy"
    return str(venv) if venv.exists() else shutil.which("py-spy")


def run_pyspy(argv: list[str], out: Path, name: str, rate: int) -> Path | None:
    spy = _pyspy()
    if spy is None:
        _say("py-spy not installed (pip install py-spy into the venv): skipped")
        return None
    raw = out / f"{name}.pyspy.txt"
    proc = run_child([spy, "record", "--rate", str(rate), "--threads", "--format", "raw",
                      "--output", str(raw), "--", *argv], log=out / f"{name}.pyspy.log",
                     cwd=ROOT, env=_env())
    if not proc.ok or not raw.exists():
        _say(f"py-spy failed: {proc.tail(3)}")
        return None
    return raw


# -- levers ------------------------------------------------------------------------------------
DEFAULT_LEVERS = ("baseline", "inflight=2", "inflight=4", "preset=veryfast",
                  "preset=ultrafast", "memo-decimal", "camera-cache", "glyph-copy")


def frame_diff(a: Path, b: Path) -> dict[str, Any]:
    """Decode two videos; how many frames differ and by how much (0-255 mean abs diff)."""
    import av
    import numpy as np

    with av.open(str(a)) as ca, av.open(str(b)) as cb:
        fa, fb = ca.decode(video=0), cb.decode(video=0)
        frames = differing = 0
        worst = 0.0
        for x, y in zip(fa, fb, strict=False):
            xa = x.to_ndarray(format="rgb24").astype(np.int16)
            ya = y.to_ndarray(format="rgb24").astype(np.int16)
            frames += 1
            diff = float(np.abs(xa - ya).mean())
            if diff > 0:
                differing += 1
                worst = max(worst, diff)
        extra = sum(1 for _ in fa) + sum(1 for _ in fb)
    return {"frames_compared": frames, "frames_differing": differing,
            "worst_mean_abs_diff": worst, "length_mismatch": extra}


def run_levers(size: Size, out: Path, repeat: int,
               levers: tuple[str, ...] = DEFAULT_LEVERS) -> dict[str, Any]:
    """Render the clip once per lever (best of `repeat`), baseline first and interleaved.

    Runs on a quiet 2-core machine still vary by ~15 % from run to run: take `repeat` >= 2
    and trust only differences larger than that spread (all runs are kept in `runs`)."""
    from benchmarks.cases import LEVERS

    runs: dict[str, list[float]] = defaultdict(list)
    diffs: dict[str, dict[str, Any]] = {}
    baseline_video: Path | None = None
    best: dict[str, dict[str, Any]] = {}
    for round_ in range(repeat):
        for lever in levers:
            tag = f"lever-{lever.replace('=', '-')}-{round_}"
            extra = [] if lever == "baseline" else ["--lever", lever]
            proc = run_child(_case_argv(size, out, tag, *extra), log=out / f"{tag}.log",
                             cwd=ROOT, env=_env())
            if not proc.ok:
                _say(f"lever {lever} failed: {proc.tail(3)}")
                continue
            inner = json.loads((out / f"{tag}.json").read_text())
            render_s = inner["render_s"]
            runs[lever].append(render_s)
            if lever == "baseline" and round_ == 0:
                baseline_video = Path(inner["video"])
            elif round_ == 0 and baseline_video is not None:
                diffs[lever] = frame_diff(baseline_video, Path(inner["video"]))
            _say(f"  {lever:18} {render_s:7.2f} s  (others' cores {proc.others_cores:.2f})")
            entry = {"render_s": render_s, "peak_rss_mb": proc.peak_rss_mb,
                     "cpu_s": proc.cpu_s, "others_cores": proc.others_cores,
                     "what": LEVERS.get(lever.split("=")[0] + ("=N" if lever.startswith(
                         "inflight") else "=NAME" if "=" in lever else ""), "as shipped")}
            if lever not in best or render_s < best[lever]["render_s"]:
                best[lever] = entry
    base = best.get("baseline", {}).get("render_s")
    for entry in best.values():
        entry["saving_s"] = (base - entry["render_s"]) if base else None
        entry["saving_pct"] = (100 * (base - entry["render_s"]) / base) if base else None
    for lever, entry in best.items():
        entry["runs_s"] = runs[lever]
        entry["frames_vs_baseline"] = diffs.get(lever)
    return {"size": size.label, "repeat": repeat, "levers": best}


def run_parallel(out: Path) -> dict[str, Any]:
    """Two lesson parts (the a³ and log a clips) at preview quality: in turn vs side by side."""
    lessonkit = str(ROOT / ".venv" / "bin" / "lessonkit")
    parts = ["cube", "log"]

    def argv(part: str, tag: str) -> list[str]:
        # --jobs 1: each command one process, so "side by side" is the only parallelism
        return [lessonkit, "render", part, "--quality", "preview", "--force", "--jobs", "1",
                "--output-dir", str(out / f"parallel-{tag}")]

    start = time.perf_counter()
    for part in parts:
        run_child(argv(part, "serial"), log=out / f"serial-{part}.log", cwd=ROOT, env=_env())
    serial = time.perf_counter() - start
    import subprocess

    start = time.perf_counter()
    procs = [subprocess.Popen(argv(part, "side"), cwd=ROOT, env=_env(),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
             for part in parts]
    codes = [p.wait() for p in procs]
    side = time.perf_counter() - start
    return {"parts": parts, "serial_s": serial, "side_by_side_s": side,
            "speedup": serial / side if side else None, "exit_codes": codes}


# -- printing ----------------------------------------------------------------------------------
def _share_table(title: str, label: str, seconds: dict[str, float], total: float) -> Any:
    """A rich table of seconds and their share of `total`, one row per entry."""
    from rich.table import Table

    t = Table(title=title, title_justify="left")
    t.add_column(label)
    t.add_column("s", justify="right")
    t.add_column("%", justify="right")
    for k, v in seconds.items():
        t.add_row(k, f"{v:.2f}", f"{100 * v / total:.0f}")
    return t


def _print(summary: dict[str, Any], top: int) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(width=max(Console().width, 170))
    if "ledger" in summary:
        led = summary["ledger"]
        t = Table(title=f"time ledger, main thread ({summary['size']}, render "
                        f"{led['render_s']:.1f} s, {led['frames_drawn']} frames drawn, "
                        f"{led['segments']} segments)", title_justify="left")
        t.add_column("part")
        t.add_column("s", justify="right")
        t.add_column("%", justify="right")
        for part, s in led["parts_s"].items():
            t.add_row(part, f"{s:.2f}", f"{100 * s / led['render_s']:.0f}")
        console.print(t)
        console.print(f"frames redrawn in full although the camera frame did not move: "
                      f"{led['camera_still_full_redraw_frames']} of {led['frames_drawn']}; "
                      f"axes+curve draw {led['static_graph_draw_ms'] or 0:.1f} ms/frame")
        for k, v in led["lever_bounds_s"].items():
            console.print(f"  bound: {k}: {'-' if v is None else f'{v:.2f} s'}")
    if "cprofile" in summary:
        cp = summary["cprofile"]
        for key, title in (("top_cumulative", "cumulative"), ("top_tottime", "own (tottime)")):
            t = Table(title=f"cProfile top {top} by {title} (profiled total "
                            f"{cp['total_s']:.1f} s)", title_justify="left")
            for col in ("function", "calls", "cum s", "own s", "part"):
                t.add_column(col, justify="right" if col in ("calls", "cum s", "own s")
                             else "left")
            for r in cp[key]:
                t.add_row(r["function"][-90:], str(r["calls"]), f"{r['cumtime_s']:.2f}",
                          f"{r['tottime_s']:.2f}", r["category"])
            console.print(t)
        console.print(_share_table("inclusive time of key entry points (cProfile)",
                                   "entry point", cp["key_points_cumulative_s"], cp["total_s"]))
        console.print(_share_table("own time by part (cProfile)", "part",
                                   cp["own_time_by_category_s"], cp["total_s"]))
    for key in ("pyspy", "stills_pyspy"):
        if key not in summary:
            continue
        ps = summary[key]
        console.print(f"[bold]{key}[/]: seconds on CPU per thread: " + ", ".join(
            f"{k} {v:.1f}" for k, v in ps["thread_seconds"].items()))
        console.print("main thread by leaf part: " + ", ".join(
            f"{k} {v:.1f}" for k, v in ps["main_leaf_by_category_s"].items()))
        t = Table(title=f"{key}: hot lines of our code (deepest lessonkit/scenes frame)",
                  title_justify="left")
        for col in ("line", "function", "s", "% main", "code"):
            t.add_column(col)
        for r in ps["hot_lines_deepest_ours"]:
            t.add_row(r["line"], r["function"], f"{r['seconds']:.2f}",
                      f"{100 * r['share_of_main']:.0f}", r["code"][:70])
        console.print(t)
    if "levers" in summary:
        lv = summary["levers"]
        t = Table(title=f"levers, reference clip at {lv['size']} (best of {lv['repeat']})",
                  title_justify="left")
        for col in ("lever", "render s", "all runs s", "saving s", "saving %", "others' cores",
                    "frames differing", "what"):
            t.add_column(col)
        for name, e in lv["levers"].items():
            t.add_row(name, f"{e['render_s']:.2f}",
                      " ".join(f"{v:.1f}" for v in e.get("runs_s", [])),
                      "-" if e["saving_s"] is None else f"{e['saving_s']:.2f}",
                      "-" if e["saving_pct"] is None else f"{e['saving_pct']:.1f}",
                      f"{e['others_cores']:.2f}",
                      "-" if not e.get("frames_vs_baseline") else
                      f"{e['frames_vs_baseline']['frames_differing']}/"
                      f"{e['frames_vs_baseline']['frames_compared']} (max "
                      f"{e['frames_vs_baseline']['worst_mean_abs_diff']:.2f})", e["what"])
        console.print(t)
    if "parallel" in summary:
        p = summary["parallel"]
        console.print(f"lesson parts {p['parts']} at preview quality: one after the other "
                      f"{p['serial_s']:.1f} s, side by side {p['side_by_side_s']:.1f} s "
                      f"(x{p['speedup']:.2f})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Profile the reference clip's render.")
    parser.add_argument("--size", type=parse_size, default=Size(854, 480, 15))
    parser.add_argument("--out", type=Path)
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--rate", type=int, default=100, help="py-spy samples per second")
    parser.add_argument("--levers", action="store_true", help="also measure each lever")
    parser.add_argument("--lever-size", type=parse_size, help="size for --levers")
    parser.add_argument("--repeat", type=int, default=1, help="lever runs per lever (best of)")
    parser.add_argument("--lever-set", default=",".join(DEFAULT_LEVERS),
                        help="comma-separated levers to run (baseline first)")
    parser.add_argument("--parallel", action="store_true",
                        help="also measure two lesson parts rendered side by side")
    parser.add_argument("--stills", action="store_true",
                        help="also sample `lessonkit preview --lesson --frame` with py-spy")
    parser.add_argument("--skip-profile", action="store_true",
                        help="only the lever/parallel experiments")
    args = parser.parse_args(argv)
    out = (args.out or Path(tempfile.mkdtemp(prefix="lessonkit-profile-"))).resolve()
    out.mkdir(parents=True, exist_ok=True)
    size: Size = args.size
    summary: dict[str, Any] = {"size": size.label, "machine": machine_info(), "out": str(out)}

    if not args.skip_profile:
        _say(f"ledger run at {size.label} ...")
        proc = run_child(_case_argv(size, out, "ledger", "--ledger"), log=out / "ledger.log",
                         cwd=ROOT, env=_env())
        if proc.ok:
            summary["ledger"] = ledger_summary(json.loads((out / "ledger.json").read_text()))
            summary["ledger"]["others_cores"] = proc.others_cores
        else:
            _say(f"ledger run failed: {proc.tail(5)}")
        _say("cProfile run ...")
        prof = out / "render.prof"
        proc = run_child(_case_argv(size, out, "cprofile", "--cprofile", str(prof)),
                         log=out / "cprofile.log", cwd=ROOT, env=_env())
        if proc.ok:
            summary["cprofile"] = cprofile_summary(prof, args.top)
        else:
            _say(f"cProfile run failed: {proc.tail(5)}")
        _say("py-spy run ...")
        raw = run_pyspy(_case_argv(size, out, "pyspy"), out, "render", args.rate)
        if raw is not None:
            summary["pyspy"] = pyspy_summary(raw, args.rate, args.top)
    if args.stills:
        _say("py-spy on lessonkit preview --lesson --frame ...")
        argv_stills = [str(ROOT / ".venv" / "bin" / "lessonkit"), "preview", "--lesson",
                       "--frame", "--output-dir", str(out / "stills")]
        raw = run_pyspy(argv_stills, out, "stills", args.rate)
        if raw is not None:
            summary["stills_pyspy"] = pyspy_summary(raw, args.rate, args.top)
    if args.levers:
        lever_size = args.lever_size or size
        _say(f"levers at {lever_size.label} ...")
        summary["levers"] = run_levers(lever_size, out, args.repeat,
                                       tuple(args.lever_set.split(",")))
    if args.parallel:
        _say("two lesson parts, in turn and side by side ...")
        summary["parallel"] = run_parallel(out)
    (out / "profile.json").write_text(json.dumps(summary, indent=2, default=str))
    _print(summary, args.top)
    _say(f"written to {out}/profile.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
