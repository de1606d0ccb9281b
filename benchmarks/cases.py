"""Child-process entry point: render one benchmark case and write its timings as JSON.

    python -m benchmarks.cases production --media DIR --result OUT.json [--width W ...]
    python -m benchmarks.cases floor --media DIR --result OUT.json --sections S.json
    python -m benchmarks.cases naive --media DIR --result OUT.json

`run.py` starts one of these per case, so that each case's peak RSS is its own. The time
reported as `render_s` is `lessonkit.render.render()` alone (import of Manim excluded; it is
reported separately as `import_s`). `--jobs N` is RenderJob's `jobs` (processes rendering
steps; default: render()'s own, one per core); the floor draws its still through the same
units and processes. The naive scene has no step sections, so it is rendered as one Manim
scene in this process (render()'s path for a whole video, step splitting turned off in this
child only). Options for the profiler and lever experiments:
`--cprofile PATH`, `--ledger` (see ledger.py) and `--lever` (see `apply_lever`).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

__all__ = ["main", "apply_lever", "LEVERS"]

#: lever experiments: each changes one thing in this child only, never in lessonkit's files
LEVERS = {
    "inflight=N": "Manim config max_inflight_encoders = N (overlap segment encoding)",
    "preset=NAME": "libx264 preset NAME (added to Manim's encoder options: crf 23 stays)",
    "memo-decimal": "DecimalNumber.set_value returns at once when the shown text is unchanged",
    "camera-cache": "ZoomCamera reads the frame's centre/width once per drawn frame, not per "
                    "mobject (MovingCamera recomputes them from the frame's bounding box)",
    "glyph-copy": "DecimalNumber copies its cached digit glyphs with a light copy (arrays and "
                  "lists copied, the rest shared) instead of copy.deepcopy",
}


def _light_copy(mob: Any) -> Any:
    """A copy of a mobject tree that copies arrays and lists and shares everything else."""
    import copy

    import numpy as np

    new = copy.copy(mob)
    for key, value in list(new.__dict__.items()):
        if isinstance(value, np.ndarray):
            new.__dict__[key] = value.copy()
        elif isinstance(value, list):
            new.__dict__[key] = list(value)
    new.submobjects = [_light_copy(sub) for sub in mob.submobjects]
    return new


def _vm_hwm_mb() -> float | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def apply_lever(lever: str) -> str:
    """Apply one lever (see LEVERS) to this process; returns a description."""
    import manim
    from manim.mobject.text.numbers import DecimalNumber

    if lever.startswith("inflight="):
        manim.config.max_inflight_encoders = int(lever.split("=", 1)[1])
        return f"max_inflight_encoders={manim.config.max_inflight_encoders}"
    if lever.startswith("preset="):
        options = dict(manim.config.video_encoder_options)
        options["preset"] = lever.split("=", 1)[1]
        manim.config.video_encoder_options = options
        return f"video_encoder_options={options}"
    if lever == "memo-decimal":
        original = DecimalNumber.set_value

        def set_value(self: Any, number: float) -> Any:
            text = (self._get_num_string(number), self.num_decimal_places)
            if getattr(self, "_memo_text", None) == text:
                self.number = number
                return self
            self._memo_text = text
            return original(self, number)

        DecimalNumber.set_value = set_value  # type: ignore[method-assign]
        return "DecimalNumber.set_value skips unchanged text"
    if lever == "camera-cache":
        from manim import MovingCamera

        from lessonkit.draw.camera import ZoomCamera

        props = [MovingCamera.frame_center, MovingCamera.frame_width, MovingCamera.frame_height]

        def cached(prop: property, index: int) -> property:
            def get(self: Any) -> Any:
                view = self.__dict__.get("_bench_view")
                return view[index] if view is not None else prop.fget(self)  # type: ignore[misc]

            return property(get, prop.fset)

        for name, prop, index in zip(("frame_center", "frame_width", "frame_height"), props,
                                     range(3), strict=True):
            setattr(ZoomCamera, name, cached(prop, index))
        capture = ZoomCamera.capture_mobjects

        def capture_mobjects(self: Any, mobjects: Any, **kwargs: Any) -> Any:
            self._bench_view = tuple(p.fget(self) for p in props)  # type: ignore[misc]
            try:
                return capture(self, mobjects, **kwargs)
            finally:
                self._bench_view = None

        ZoomCamera.capture_mobjects = capture_mobjects  # type: ignore[method-assign]
        return "ZoomCamera caches the frame's centre and size per capture"
    if lever == "glyph-copy":
        from manim.mobject.text import numbers

        def string_to_mob(self: Any, string: str, mob_class: Any = None, **kwargs: Any) -> Any:
            if mob_class is None:
                mob_class = self.mob_class
            if string not in numbers.string_to_mob_map:
                numbers.string_to_mob_map[string] = mob_class(string, **kwargs)
            mob = _light_copy(numbers.string_to_mob_map[string])
            mob.font_size = self._font_size
            return mob

        DecimalNumber._string_to_mob = string_to_mob  # type: ignore[method-assign]
        return "DecimalNumber glyphs copied with a light copy"
    raise SystemExit(f"unknown lever {lever!r}; known: {', '.join(LEVERS)}")


def _render(case: str, args: argparse.Namespace, scenes: list[Any]) -> Any:
    """Render `case` through lessonkit's render(); returns its RenderResult."""
    import lessonkit.render as product
    from benchmarks.pipeline import Size, product_job, render_through_product

    size = Size(args.width, args.height, args.fps)
    media = Path(args.media)
    original_make_scene = product.make_scene

    def keep(scene: Any) -> Any:
        scenes.append(scene)  # scenes drawn in this process (the ledger's), not in workers
        return scene

    if case == "production":
        return render_through_product(
            product_job(size, media, jobs=args.jobs),
            lambda job, record=None: keep(original_make_scene(job, record)))
    if case == "naive":
        from benchmarks.naive_scene import NaiveNudgeScene

        # one scene with no step sections: render()'s whole-video path, in this process
        product.by_steps = lambda job: False
        return render_through_product(product_job(size, media, jobs=1),
                                      lambda job, record=None: keep(NaiveNudgeScene()))
    raise AssertionError(case)


def _floor(args: argparse.Namespace, out: dict[str, Any]) -> Any:
    """Make the product's stills (setup, timed apart), then render the held still."""
    from benchmarks.floor_scene import FloorFactory, pick_still, sections_from_json
    from benchmarks.pipeline import Size, product_job, render_through_product
    from lessonkit.render import render

    size = Size(args.width, args.height, args.fps)
    media = Path(args.media)
    start = time.perf_counter()
    stills = render(product_job(size, media / "stills-source", stills_only=True)).stills
    still = pick_still(stills)
    out["setup_s"] = time.perf_counter() - start
    out["still"] = str(still)
    if args.sections:
        sections = sections_from_json(Path(args.sections))
    else:  # no step frame counts: one hold, through render()'s whole-video path
        import lessonkit.render as product

        product.by_steps = lambda job: False
        sections = [("hold", int(args.frames))]
    out["sections_held"] = sections
    start = time.perf_counter()
    factory = FloorFactory(still, tuple((name, int(n)) for name, n in sections))
    result = render_through_product(product_job(size, media / "floor", jobs=args.jobs),
                                    factory, in_workers=True)
    out["render_s"] = time.perf_counter() - start
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("case", choices=["production", "floor", "naive"])
    parser.add_argument("--media", required=True, help="media folder for this case")
    parser.add_argument("--result", required=True, help="where to write the result JSON")
    parser.add_argument("--width", type=int, default=1920)
    parser.add_argument("--height", type=int, default=1080)
    parser.add_argument("--fps", type=int, default=60)
    parser.add_argument("--sections", help="floor: the production render's sections JSON")
    parser.add_argument("--frames", type=int, help="floor without --sections: frames to hold")
    parser.add_argument("--jobs", type=int, default=None,
                        help="processes rendering steps (RenderJob.jobs; default: one per core)")
    parser.add_argument("--cprofile", help="write cProfile stats of render() to this path")
    parser.add_argument("--ledger", action="store_true", help="record the time ledger")
    parser.add_argument("--lever", action="append", default=[], help="; ".join(LEVERS))
    args = parser.parse_args(argv)

    out: dict[str, Any] = {"case": args.case, "argv": sys.argv}
    start = time.perf_counter()
    import manim  # noqa: F401  (timed: every render pays it once)

    import lessonkit.render  # noqa: F401

    out["import_s"] = time.perf_counter() - start
    out["levers"] = [apply_lever(lever) for lever in args.lever]
    from lessonkit.render.steps import default_jobs

    # the naive scene is always one scene in this process (see _render)
    out["jobs"] = 1 if args.case == "naive" else (args.jobs if args.jobs is not None
                                                  else default_jobs())
    ledger = None
    if args.ledger:
        from benchmarks.ledger import Ledger, install

        ledger = Ledger()
        install(ledger)
    scenes: list[Any] = []
    profiler = None
    if args.cprofile:
        import cProfile

        profiler = cProfile.Profile()
    start = time.perf_counter()
    if profiler:
        profiler.enable()
    if args.case == "floor":
        result = _floor(args, out)
    else:
        result = _render(args.case, args, scenes)
        out["render_s"] = time.perf_counter() - start
    if profiler:
        profiler.disable()
        profiler.dump_stats(args.cprofile)
    out["video"] = str(result.video) if result.video else None
    out["sections_json"] = str(result.sections) if result.sections else None
    if ledger is not None:
        if scenes:
            from benchmarks.ledger import measure_static_draw

            ledger.static_graph_draw_ms = measure_static_draw(scenes[0])
        out["ledger"] = ledger.to_json()
    out["vm_hwm_mb"] = _vm_hwm_mb()
    Path(args.result).parent.mkdir(parents=True, exist_ok=True)
    Path(args.result).write_text(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
