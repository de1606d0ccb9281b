"""Benchmark lessonkit in one run: `python benchmarks/run.py [--quick] [--json PATH] [--media DIR]`.

Each case runs in its own child process, one after another, on this machine:

  production      the reference clip (a² at 2, Δa 1 -> 0.001) through RenderJob + render(),
                  1920x1080 at 60 fps, no cache; frames counted by decoding with PyAV
  floor           the same frames and sections of ONE still of that clip, through the same
                  render() (config, encoder, staging): the encoder's floor
  naive           benchmarks/naive_scene.py (always_redraw rebuilding everything each frame)
                  through the same render()
  stills          `lessonkit preview --lesson --frame` into a fresh --output-dir
  preview_render  `lessonkit render --lesson --quality preview --force`
  cached          the same render command again, without --force

Wall time is perf_counter around each child (and, for the clip cases, around render() inside
it); peak RSS is the child's own ru_maxrss from os.wait4. `--quick` renders the clip cases at
426x240 and 4 fps and the lesson at 426x240 and 4 fps (stills unchanged) for a smoke run of
about two minutes; its ratios are not the issue's figures. Nothing outside --media is written.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(ROOT))

from benchmarks.child import ChildRun, run_child  # noqa: E402
from benchmarks.machine import machine_info  # noqa: E402
from benchmarks.pipeline import FULL, QUICK, REFERENCE_CLIP, Size  # noqa: E402
from benchmarks.report import print_tables, ratios, targets  # noqa: E402
from benchmarks.video import probe  # noqa: E402

__all__ = ["main", "run_benchmarks"]

CASES = ("production", "floor", "naive", "stills", "preview_render", "cached")
QUICK_LESSON = ("--fps", str(QUICK.fps), "--size", f"{QUICK.width}x{QUICK.height}")


def _python() -> str:
    venv = ROOT / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def _lessonkit() -> str:
    script = ROOT / ".venv" / "bin" / "lessonkit"
    return str(script) if script.exists() else str(Path(sys.executable).parent / "lessonkit")


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["LESSONKIT_PROGRESS"] = "0"  # no progress bar: same for every case, quieter logs
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def _say(text: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {text}", flush=True)


def _clip_case(case: str, size: Size, media: Path, extra: list[str],
               timeout_s: float) -> dict[str, Any]:
    """Run a clip case (production/floor/naive) via benchmarks.cases in a child."""
    result_path = media / "results" / f"{case}.json"
    argv = [_python(), "-m", "benchmarks.cases", case, "--media", str(media / case),
            "--result", str(result_path), "--width", str(size.width), "--height",
            str(size.height), "--fps", str(size.fps), *extra]
    proc = run_child(argv, log=media / "logs" / f"{case}.log", cwd=ROOT, env=_child_env(),
                     timeout_s=timeout_s)
    out: dict[str, Any] = {"process": proc.to_json(), "ok": proc.ok}
    if not proc.ok:
        out["error"] = f"exit {proc.returncode}: {proc.tail(3)}"
        return out
    inner = json.loads(result_path.read_text())
    out.update({k: inner.get(k) for k in ("render_s", "import_s", "setup_s", "still",
                                          "sections_json", "vm_hwm_mb")})
    if inner.get("video"):
        out["video"] = probe(Path(inner["video"])).to_json()
    return out


def _cli_case(argv: list[str], name: str, media: Path, timeout_s: float) -> tuple[ChildRun,
                                                                                 dict[str, Any]]:
    proc = run_child(argv, log=media / "logs" / f"{name}.log", cwd=ROOT, env=_child_env(),
                     timeout_s=timeout_s)
    out: dict[str, Any] = {"process": proc.to_json(), "ok": proc.ok, "argv": argv}
    if not proc.ok:
        out["error"] = f"exit {proc.returncode}: {proc.tail(3)}"
    return proc, out


def _lesson_video(log: str) -> Path | None:
    for line in Path(log).read_text(errors="replace").splitlines():
        if line.strip().endswith(".mp4"):
            return Path(line.strip())
    return None


def _reported_seconds(log: str) -> float | None:
    match = re.search(r"(?:rendered|reused identical render) \S+ in ([0-9.]+) s",
                      Path(log).read_text(errors="replace"))
    return float(match.group(1)) if match else None


def run_benchmarks(quick: bool, media: Path, only: set[str] | None = None,
                   timeout_s: float = 3600) -> dict[str, Any]:
    """Run every case (or `only` those) and return the JSON-ready result."""
    size = QUICK if quick else FULL
    media.mkdir(parents=True, exist_ok=True)
    machine = machine_info()
    if machine["loadavg_at_start"][0] > 0.5:
        _say(f"warning: load average {machine['loadavg_at_start'][0]:.2f} before starting; "
             "other processes will slow the cases (see the others' cores column)")
    cases: dict[str, Any] = {}
    wanted = [c for c in CASES if only is None or c in only]

    def want(case: str) -> bool:
        return case in wanted

    started = time.perf_counter()
    if want("production"):
        _say(f"production render of the reference clip at {size.label} ...")
        cases["production"] = _clip_case("production", size, media, [], timeout_s)
        cases["production"]["what"] = f"RenderJob+render() {size.label}"
    if want("floor"):
        _say("encoder floor: one still held for the same frames and sections ...")
        sections = (cases.get("production") or {}).get("sections_json")
        frames = ((cases.get("production") or {}).get("video") or {}).get("frames")
        extra = ["--sections", sections] if sections else ["--frames", str(frames or
                                                                          int(33 * size.fps))]
        cases["floor"] = _clip_case("floor", size, media, extra, timeout_s)
        cases["floor"]["what"] = "one still, same frames, same render()"
    if want("naive"):
        _say("naive reference scene (always_redraw everything) ...")
        cases["naive"] = _clip_case("naive", size, media, [], timeout_s)
        cases["naive"]["what"] = "benchmarks/naive_scene.py, same render()"
    if want("stills"):
        _say("lessonkit preview --lesson --frame ...")
        stills_dir = media / "stills"
        argv = [_lessonkit(), "preview", "--lesson", "--frame", "--output-dir", str(stills_dir)]
        proc, out = _cli_case(argv, "stills", media, timeout_s)
        out["stills"] = len(list(stills_dir.rglob("*.png"))) if stills_dir.exists() else 0
        out["what"] = f"preview --lesson --frame ({out['stills']} PNG)"
        cases["stills"] = out
    lesson_dir = media / "lesson"
    lesson_argv = [_lessonkit(), "render", "--lesson", "--quality", "preview", "--output-dir",
                   str(lesson_dir), *(QUICK_LESSON if quick else ())]
    if want("preview_render"):
        _say("lessonkit render --lesson --quality preview --force ...")
        proc, out = _cli_case([*lesson_argv, "--force"], "preview_render", media, timeout_s)
        video = _lesson_video(proc.log) if proc.ok else None
        if video is not None and video.exists():
            out["video"] = probe(video).to_json()
        out["reported_s"] = _reported_seconds(proc.log)
        out["what"] = "render --lesson --quality preview" + (" --fps 4 --size 426x240"
                                                            if quick else "")
        cases["preview_render"] = out
    if want("cached"):
        _say("the same render again, nothing changed ...")
        proc, out = _cli_case(lesson_argv, "cached", media, timeout_s)
        log = Path(proc.log).read_text(errors="replace")
        out["reused"] = "reused identical render" in log
        out["reported_s"] = _reported_seconds(proc.log)
        if proc.ok and not out["reused"]:
            out["ok"] = False
            out["error"] = "rendered again instead of reusing the identical render"
        out["what"] = "same command, no --force" + (" (reused)" if out["reused"] else "")
        cases["cached"] = out
    machine["loadavg_at_end"] = list(os.getloadavg())
    r = ratios(cases)
    return {
        "schema": 1,
        "mode": "quick" if quick else "full",
        "size": size.label,
        "reference_clip": {"function": REFERENCE_CLIP[0], "points": REFERENCE_CLIP[1],
                           "schedule": REFERENCE_CLIP[2]},
        "media_dir": str(media),
        "total_s": time.perf_counter() - started,
        "machine": machine,
        "cases": cases,
        "ratios": r,
        "targets": [t.to_json() for t in targets(r, production_size=size.is_production)],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Benchmark lessonkit renders against the encoder floor and a naive scene.")
    parser.add_argument("--quick", action="store_true",
                        help="small sizes and 4 fps: a smoke run of about two minutes")
    parser.add_argument("--json", type=Path, help="write the raw results and ratios here")
    parser.add_argument("--media", type=Path,
                        help="folder for renders and logs (default: a new folder in /tmp)")
    parser.add_argument("--only", help=f"comma-separated subset of {','.join(CASES)}")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per case")
    args = parser.parse_args(argv)
    media = args.media or Path(tempfile.mkdtemp(prefix="lessonkit-bench-"))
    if args.media and media.exists() and any(media.iterdir()):
        media = media / time.strftime("%Y%m%d-%H%M%S")  # always a fresh output folder
    only = set(args.only.split(",")) if args.only else None
    if only and not only <= set(CASES):
        parser.error(f"--only takes {', '.join(CASES)}")
    result = run_benchmarks(args.quick, media.resolve(), only, args.timeout)
    print_tables(result)
    _say(f"total {result['total_s']:.0f} s; renders and logs in {result['media_dir']}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2, default=str))
        _say(f"JSON written to {args.json}")
    failed = [name for name, case in result["cases"].items() if not case.get("ok")]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
