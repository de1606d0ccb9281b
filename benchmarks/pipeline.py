"""The reference clip, benchmark sizes, and rendering any scene through lessonkit's pipeline.

The floor and the naive scene must be encoded exactly as the product encodes: same Manim
config keys, staging folder, sections and publishing. Rather than copy the config of
`render_in_one_scene` (which others are editing), `render_through_product` runs lessonkit's own
`render()` with its scene factory swapped for the benchmark scene, inside the child process only.

render() draws a video step by step: it splits the steps into units and, with `jobs` > 1,
renders them in spawned worker processes, each calling `lessonkit.render.job.make_scene(job,
record=names)`. A swap made in this process does not reach a fresh worker, so for a factory
that can be pickled (a module-level class instance, like `FloorFactory`) the unit function
the pool runs is swapped too, for `unit_with_factory`, which makes the same swap in the worker
first. The floor is then drawn by the same processes, units and joins as the clip it floors.
"""

from __future__ import annotations

import functools
import pickle
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "REFERENCE_CLIP",
    "Size",
    "FULL",
    "QUICK",
    "reference_spec",
    "product_job",
    "swapped_scene",
    "render_through_product",
    "unit_with_factory",
    "SceneFactory",
]

#: builds the scene of a render: (job, record=step names or None) -> a Manim scene
SceneFactory = Callable[..., Any]

#: The issue's reference clip: a² at 2, nudges 1 -> 0.001.
REFERENCE_CLIP = ("square", ["2"], ["1", "0.1", "0.01", "0.001"])


@dataclass(frozen=True)
class Size:
    """Frame size and rate of the clip cases (production unless --quick)."""

    width: int
    height: int
    fps: int

    @property
    def label(self) -> str:
        return f"{self.width}x{self.height}@{self.fps}"

    @property
    def is_production(self) -> bool:
        return (self.width, self.height, self.fps) == (1920, 1080, 60)


FULL = Size(1920, 1080, 60)
#: --quick: small and few frames (132), so that every case together runs in about two minutes
#: (the naive scene rebuilds its labels per frame, whatever the size).
QUICK = Size(426, 240, 4)


def reference_spec() -> Any:
    from lessonkit.lesson.spec import clip_spec

    function, points, schedule = REFERENCE_CLIP
    return clip_spec(function, points, schedule)


def product_job(size: Size, media_dir: Path, **options: Any) -> Any:
    """The product's RenderJob for the reference clip at `size` (production preset, no cache).

    At 1080p60 no override is passed, so the job is exactly `--quality production`.
    """
    from lessonkit.lesson.spec import QUALITIES
    from lessonkit.render import RenderJob

    overrides: dict[str, Any] = {}
    if not size.is_production:
        overrides = {"size": (size.width, size.height), "fps": size.fps}
    return RenderJob(reference_spec(), QUALITIES["production"], media_dir=media_dir,
                     use_cache=False, **overrides, **options)


@contextmanager
def swapped_scene(factory: SceneFactory) -> Iterator[None]:
    """Make lessonkit's render() build `factory(job)` instead of its own scene."""
    import lessonkit.render.job as product

    if not hasattr(product, "make_scene"):
        raise RuntimeError(
            "lessonkit.render.job.make_scene is gone: update benchmarks/pipeline.py"
        )
    original = product.make_scene
    product.make_scene = factory
    try:
        yield
    finally:
        product.make_scene = original


def unit_with_factory(factory: SceneFactory, *args: Any, **kwargs: Any) -> Any:
    """A unit of steps in a pool worker, drawn by `factory`'s scenes (see the module doc):
    the product's own worker function (whatever its arguments), with the scene swapped."""
    import lessonkit.render.steps as steps

    product_unit = _PRODUCT_UNIT or steps._unit_in_child  # a spawned worker: the product's
    with swapped_scene(factory):
        return product_unit(*args, **kwargs)


#: the product's worker function while `_swapped_unit` replaces it in this process
_PRODUCT_UNIT: Callable[..., Any] | None = None


@contextmanager
def _swapped_unit(factory: SceneFactory) -> Iterator[None]:
    import lessonkit.render.steps as steps

    if not hasattr(steps, "_unit_in_child"):
        raise RuntimeError("lessonkit.render.steps._unit_in_child is gone: update "
                           "benchmarks/pipeline.py")
    global _PRODUCT_UNIT
    original = _PRODUCT_UNIT = steps._unit_in_child
    steps._unit_in_child = functools.partial(unit_with_factory, factory)
    try:
        yield
    finally:
        steps._unit_in_child = original
        _PRODUCT_UNIT = None


def _picklable(obj: Any) -> bool:
    try:
        pickle.dumps(obj)
    except Exception:
        return False
    return True


def render_through_product(job: Any, factory: SceneFactory, *, in_workers: bool = False) -> Any:
    """Render the scene `factory` builds with lessonkit's own render() (config, staging...).

    `in_workers`: the step units that render() sends to worker processes use `factory` too
    (it must pickle); without it workers draw the product's own scene."""
    from lessonkit.render import render

    with ExitStack() as stack:
        stack.enter_context(swapped_scene(factory))
        if in_workers:
            if not _picklable(factory):
                raise TypeError(f"{factory!r} cannot be sent to a worker process")
            stack.enter_context(_swapped_unit(factory))
        return render(job)
