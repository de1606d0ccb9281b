"""The encoder's floor: one still of the reference clip, held for as many frames as the clip.

The still is the product's own last frame of the converged nudge (Δa = 0.001), so the encoder
sees the clip's real content. It is the camera's background, so drawing a frame costs one
array copy; everything else is what Manim's pipeline (frame copies, PyAV, libx264 at Manim's
settings, one segment per section, concatenation, section files) spends on the frames: the
floor a render of the same frames, sections and settings cannot go below.

render() draws a video step by step (units of steps, in worker processes with `jobs` > 1),
asking for a scene that records some steps' sections. `FloorFactory` is that scene factory for
the floor: it holds the still for just the recorded steps' frames, so the floor goes through
the same units, processes and join as the clip it is compared with.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from manim import Scene, config

__all__ = ["FloorScene", "FloorFactory", "sections_from_json", "pick_still"]


def sections_from_json(path: Path) -> list[tuple[str, int]]:
    """(name, frame count) of every section Manim wrote for a render."""
    return [(s["name"], int(s["nb_frames"])) for s in json.loads(path.read_text())]


def pick_still(stills: Sequence[Path]) -> Path:
    """The converged-nudge still (last 'shrink' section), else the last still."""
    shrinks = [p for p in stills if "-shrink-" in p.name]
    if shrinks:
        return shrinks[-1]
    if not stills:
        raise RuntimeError("the product made no stills to build the floor from")
    return stills[-1]


@dataclass(frozen=True)
class FloorFactory:
    """Builds the floor's scene for render(): picklable, so worker processes can use it."""

    still: Path
    sections: tuple[tuple[str, int], ...]

    def __call__(self, job: Any, record: Collection[str] | None = None) -> FloorScene:
        held = [s for s in self.sections if record is None or s[0] in record]
        if record is not None and len(held) != len(set(record)):
            missing = sorted(set(record) - {name for name, _ in held})
            raise ValueError(f"the floor has no frame count for steps {missing}")
        return FloorScene(self.still, held)


class FloorScene(Scene):
    """Shows one full-frame image and holds it, section by section, for the given frames."""

    def __init__(self, still: Path, sections: Sequence[tuple[str, int]], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.still = still
        self.hold_sections = list(sections)

    def construct(self) -> None:
        from PIL import Image

        # The still becomes the camera's background, so every drawn frame is exactly the
        # still's pixels. (An ImageMobject would be the obvious choice, but Manim 0.22's
        # Cairo camera fails to composite one with the installed Pillow: "Invalid mode for
        # data type" in Camera.display_image_mobject.)
        camera = self.renderer.camera
        rgba = np.array(Image.open(self.still).convert("RGBA"), dtype=np.uint8)
        if rgba.shape[:2] != (camera.pixel_height, camera.pixel_width):
            raise ValueError(f"still is {rgba.shape[1]}x{rgba.shape[0]}, the render "
                             f"{camera.pixel_width}x{camera.pixel_height}")
        camera.background = rgba
        camera.reset()
        fps = config.frame_rate
        for name, frames in self.hold_sections:
            self.next_section(name)
            if frames > 0:
                # a frozen wait writes int(duration * fps) copies of one drawn frame;
                # +0.5 frame keeps float rounding from dropping one
                self.wait((frames + 0.5) / fps, frozen_frame=True)
