"""The reference clip, benchmark sizes, and rendering any scene through lessonkit's pipeline.

The floor and the naive scene must be encoded exactly as the product encodes: same Manim
config keys, staging folder, sections and publishing. Rather than copy `_render_now`'s config
(which others are editing), `render_through_product` runs lessonkit's own `render()` with its
scene factory swapped for the benchmark scene, inside the child process only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
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
]

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
    from lessonkit.spec import clip_spec

    function, points, schedule = REFERENCE_CLIP
    return clip_spec(function, points, schedule)


def product_job(size: Size, media_dir: Path, **options: Any) -> Any:
    """The product's RenderJob for the reference clip at `size` (production preset, no cache).

    At 1080p60 no override is passed, so the job is exactly `--quality production`.
    """
    from lessonkit.render import RenderJob
    from lessonkit.spec import QUALITIES

    overrides: dict[str, Any] = {}
    if not size.is_production:
        overrides = {"size": (size.width, size.height), "fps": size.fps}
    return RenderJob(reference_spec(), QUALITIES["production"], media_dir=media_dir,
                     use_cache=False, **overrides, **options)


@contextmanager
def swapped_scene(factory: Callable[[Any], Any]) -> Iterator[None]:
    """Make lessonkit's render() build `factory(job)` instead of its own scene."""
    import lessonkit.render as product

    if not hasattr(product, "_make_scene"):
        raise RuntimeError("lessonkit.render._make_scene is gone: update benchmarks/pipeline.py")
    original = product._make_scene
    product._make_scene = factory
    try:
        yield
    finally:
        product._make_scene = original


def render_through_product(job: Any, factory: Callable[[Any], Any]) -> Any:
    """Render the scene `factory` builds with lessonkit's own render() (config, staging...)."""
    from lessonkit.render import render

    with swapped_scene(factory):
        return render(job)
