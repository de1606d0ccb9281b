"""Benchmark lessonkit in one run: `python benchmarks/run.py [--quick] [--json PATH] [--media DIR]`.

Each case runs in its own child process, one after another, on this machine:

  production      the reference clip (a² at 2, Δa 1 -> 0.001) through RenderJob + render(),
                  1920x1080 at 60 fps, no cache, default jobs; frames counted with PyAV
  floor           the same frames and sections of ONE still of that clip, through the same
                  render() (config, encoder, staging, step units, jobs): the encoder's floor
  production_j1   production with jobs=1;  floor_j1: its floor, with jobs=1
  naive           benchmarks/naive_scene.py (always_redraw rebuilding everything each frame)
                  through the same render() (one scene, one process)
  stills          `lessonkit preview --lesson --frame` into a fresh --output-dir
  preview_render  `lessonkit render --lesson --quality preview --force` (default jobs)
  cached          the same render command again, without --force
  preview_j1/_j2  `lessonkit render --lesson --quality preview --voice none --force --jobs 1|2`
  steps_<n>       generated lessons of n = 1, 2, 4, 8 nudge parts (a² at 2, repeated),
                  preview quality at 426x240 and 8 fps, --jobs 1
  rss_lesson_j1/_j2  `lessonkit render --lesson --quality production --voice none --force
                  --jobs 1|2`: the process tree's peak RSS
  rss_4k          `lessonkit render linear --at 2 --nudges 1 --quality 4k --voice none
                  --force --jobs 1 --fps 15`: the process tree's peak RSS

Wall time is perf_counter around each child (and, for the clip cases, around render() inside
it; for the CLI cases "render s" is the seconds the CLI reports for render()). Peak RSS is the
child's own ru_maxrss from os.wait4, and "tree RSS" the peak of the summed RSS of the child and
all its descendants (worker processes), sampled every 50 ms. `--quick` renders every render
case at 426x240 and 4 fps (stills unchanged) for a smoke run of a few minutes; its ratios are
not the issue's figures. Nothing outside --media is written.
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
from benchmarks.report import STEPS_PARTS, print_tables, ratios, targets  # noqa: E402
from benchmarks.video import probe  # noqa: E402

__all__ = ["main", "run_benchmarks"]

STEPS_CASES = tuple(f"steps_{n}" for n in STEPS_PARTS)
CASES = ("production", "floor", "production_j1", "floor_j1", "naive", "stills",
         "preview_render", "cached", "preview_j1", "preview_j2", *STEPS_CASES,
         "rss_lesson_j1", "rss_lesson_j2", "rss_4k")
#: names --only also takes for several cases
GROUPS = {"steps": STEPS_CASES, "rss": ("rss_lesson_j1", "rss_lesson_j2", "rss_4k"),
          "jobs1": ("production_j1", "floor_j1"), "speedup": ("preview_j1", "preview_j2")}
QUICK_LESSON = ("--fps", str(QUICK.fps), "--size", f"{QUICK.width}x{QUICK.height}")
#: the nudge parts the generated lessons of the steps curve cycle through: one kind only, so
#: that every part costs the same and 1, 2, 4, 8 parts differ in length alone (a mix such as
#: a², a³, log, 3a makes the 1- and 2-part lessons cheaper or dearer per frame than the mix)
STEPS_FUNCTIONS = ("a^2",)
#: the steps curve renders at preview quality, small and at 8 fps in the full run (the curve's
#: shape, not its pixels, is the figure: about 3 minutes for all four lessons)
STEPS_FULL = ("--size", "426x240", "--fps", "8")
#: the 4K case in the full run: 3840x2160 as `--quality 4k`, at 15 fps instead of 60 to keep
#: it near a minute; memory is set by the frame size (frames, encoder lookahead), not the rate
FOURK_FULL = ("--fps", "15")


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
               timeout_s: float, name: str | None = None) -> dict[str, Any]:
    """Run a clip case (production/floor/naive) via benchmarks.cases in a child; `name`
    (default: the case) names its media folder, result and log."""
    name = name or case
    result_path = media / "results" / f"{name}.json"
    argv = [_python(), "-m", "benchmarks.cases", case, "--media", str(media / name),
            "--result", str(result_path), "--width", str(size.width), "--height",
            str(size.height), "--fps", str(size.fps), *extra]
    proc = run_child(argv, log=media / "logs" / f"{name}.log", cwd=ROOT, env=_child_env(),
                     timeout_s=timeout_s)
    out: dict[str, Any] = {"process": proc.to_json(), "ok": proc.ok}
    if not proc.ok:
        out["error"] = f"exit {proc.returncode}: {proc.tail(3)}"
        return out
    inner = json.loads(result_path.read_text())
    out.update({k: inner.get(k) for k in ("render_s", "import_s", "setup_s", "still",
                                          "sections_json", "vm_hwm_mb", "jobs")})
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


def _printed_path(log: str, suffix: str) -> Path | None:
    for line in Path(log).read_text(errors="replace").splitlines():
        if line.strip().endswith(suffix):
            return Path(line.strip())
    return None


def _lesson_video(log: str) -> Path | None:
    return _printed_path(log, ".mp4")


def _reported_seconds(log: str) -> float | None:
    # "rendered lesson in 41.2 s", "rendered (3 of 42 steps drawn, ...) lesson in 5.0 s"
    match = re.search(r"(?:rendered|reused identical render)(?: \([^)]*\))? \S+ in ([0-9.]+) s",
                      Path(log).read_text(errors="replace"))
    return float(match.group(1)) if match else None


def _render_case(argv: list[str], name: str, media: Path, timeout_s: float,
                 jobs: int | None) -> dict[str, Any]:
    """A `lessonkit render` command: the process, its video, steps and render() seconds."""
    proc, out = _cli_case(argv, name, media, timeout_s)
    video = _lesson_video(proc.log) if proc.ok else None
    if video is not None and video.exists():
        out["video"] = probe(video).to_json()
    sections = _printed_path(proc.log, ".json") if proc.ok else None
    if sections is not None and sections.exists():
        out["steps"] = len(json.loads(sections.read_text()))
    out["render_s"] = out["reported_s"] = _reported_seconds(proc.log) if proc.ok else None
    out["jobs"] = jobs
    return out


def steps_lesson(parts: int, functions: tuple[str, ...] = STEPS_FUNCTIONS) -> str:
    """A lesson file of `parts` nudge parts (cycling through `functions`, each at a = 2 with
    the default nudges), silent, no cards: the steps curve's lessons."""
    lines = [f'title = "Steps curve, {parts} parts"', 'language = "en"', 'voice = "none"', ""]
    for i in range(parts):
        lines += ["[[part]]", f'function = "{functions[i % len(functions)]}"', "points = [2]",
                  f'name = "part{i + 1}"', ""]
    return "\n".join(lines)


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
    from lessonkit.render.steps import default_jobs

    wanted = [c for c in CASES if only is None or c in only]

    def want(case: str) -> bool:
        return case in wanted

    started = time.perf_counter()
    for case, jobs in (("production", None), ("production_j1", 1)):
        if want(case):
            _say(f"{case}: render of the reference clip at {size.label}, "
                 f"jobs={jobs or 'default'} ...")
            cases[case] = _clip_case("production", size, media,
                                     ["--jobs", str(jobs)] if jobs else [], timeout_s, case)
            cases[case]["what"] = f"RenderJob+render() {size.label}"
        floor = case.replace("production", "floor")
        if want(floor):
            _say(f"{floor}: one still held for the same frames and steps, "
                 f"jobs={jobs or 'default'} ...")
            sections = (cases.get(case) or {}).get("sections_json")
            frames = ((cases.get(case) or {}).get("video") or {}).get("frames")
            extra = ["--sections", sections] if sections else ["--frames", str(frames or
                                                                              int(33 * size.fps))]
            cases[floor] = _clip_case("floor", size, media,
                                      [*extra, *(["--jobs", str(jobs)] if jobs else [])],
                                      timeout_s, floor)
            cases[floor]["what"] = "one still, same frames, same render()"
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
    quick_label = " --fps 4 --size 426x240" if quick else ""
    lesson_dir = media / "lesson"
    lesson_argv = [_lessonkit(), "render", "--lesson", "--quality", "preview", "--output-dir",
                   str(lesson_dir), *(QUICK_LESSON if quick else ())]
    if want("preview_render"):
        _say("lessonkit render --lesson --quality preview --force ...")
        cases["preview_render"] = _render_case([*lesson_argv, "--force"], "preview_render",
                                               media, timeout_s, default_jobs())
        cases["preview_render"]["what"] = "render --lesson --quality preview" + quick_label
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

    def lesson_with_jobs(prefix: str, quality: str, said: str, what: str) -> None:
        """The lesson at `quality`, silent, with 1 and then 2 jobs (`{jobs}` in the texts)."""
        for jobs in (1, 2):
            name = f"{prefix}_j{jobs}"
            if want(name):
                _say(f"lessonkit render --lesson --quality {quality} --voice none --force "
                     + said.format(jobs=jobs))
                argv = [_lessonkit(), "render", "--lesson", "--quality", quality, "--voice",
                        "none", "--force", "--jobs", str(jobs), "--output-dir",
                        str(media / name), *(QUICK_LESSON if quick else ())]
                cases[name] = _render_case(argv, name, media, timeout_s, jobs)
                cases[name]["what"] = what.format(jobs=jobs)

    lesson_with_jobs("preview", "preview", "--jobs {jobs} ...",
                     "render --lesson --quality preview --jobs {jobs}" + quick_label)
    lessons = media / "steps-lessons"
    for parts in STEPS_PARTS:
        name = f"steps_{parts}"
        if want(name):
            _say(f"a lesson of {parts} nudge parts, preview quality, --jobs 1 ...")
            lessons.mkdir(parents=True, exist_ok=True)
            lesson_file = lessons / f"parts-{parts}.toml"
            lesson_file.write_text(steps_lesson(parts), encoding="utf-8")
            argv = [_lessonkit(), "render", str(lesson_file), "--quality", "preview",
                    "--voice", "none", "--force", "--jobs", "1", "--output-dir",
                    str(media / name), *(QUICK_LESSON if quick else STEPS_FULL)]
            cases[name] = _render_case(argv, name, media, timeout_s, 1)
            cases[name]["what"] = (f"{parts}-part lesson, preview "
                                   f"{' '.join(QUICK_LESSON if quick else STEPS_FULL)}")
    lesson_with_jobs("rss_lesson", "production", "--jobs {jobs}" + quick_label + " (memory) ...",
                     "render --lesson --quality production" + quick_label)
    if want("rss_4k"):
        _say("lessonkit render linear --at 2 --nudges 1 --quality 4k --jobs 1 "
             f"{' '.join(QUICK_LESSON if quick else FOURK_FULL)} (memory) ...")
        argv = [_lessonkit(), "render", "linear", "--at", "2", "--nudges", "1", "--quality",
                "4k", "--voice", "none", "--force", "--jobs", "1", "--output-dir",
                str(media / "rss_4k"), *(QUICK_LESSON if quick else FOURK_FULL)]
        cases["rss_4k"] = _render_case(argv, "rss_4k", media, timeout_s, 1)
        cases["rss_4k"]["what"] = ("render linear --at 2 --nudges 1 --quality 4k "
                                   f"{' '.join(QUICK_LESSON if quick else FOURK_FULL)}")
    machine["loadavg_at_end"] = list(os.getloadavg())
    r = ratios(cases)
    return {
        "schema": 2,
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
                        help="small sizes and 4 fps: a smoke run of a few minutes")
    parser.add_argument("--json", type=Path, help="write the raw results and ratios here")
    parser.add_argument("--media", type=Path,
                        help="folder for renders and logs (default: a new folder in /tmp)")
    parser.add_argument("--only", help=f"comma-separated subset of {','.join(CASES)} "
                        f"(or the groups {','.join(GROUPS)})")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per case")
    args = parser.parse_args(argv)
    media = args.media or Path(tempfile.mkdtemp(prefix="lessonkit-bench-"))
    if args.media and media.exists() and any(media.iterdir()):
        media = media / time.strftime("%Y%m%d-%H%M%S")  # always a fresh output folder
    only: set[str] | None = None
    if args.only:
        only = set()
        for name in args.only.split(","):
            only.update(GROUPS.get(name, (name,)))
        if not only <= set(CASES):
            parser.error(f"--only takes {', '.join(CASES)} or {', '.join(GROUPS)}")
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
