"""A heads-up layer that stays put on the picture while the camera zooms and pans.

Manim's Cairo camera has no fixed-in-frame mobjects, so the HUD follows the camera frame
with one updater that maps its contents from the previous frame to the current one (a scale
and a shift, no rebuilding). Content is authored in "home" coordinates: where it would sit
on the un-zoomed 14.2 x 8 frame.
"""

from __future__ import annotations

import numpy as np
from manim import Mobject, VGroup

from lessonkit.layout import FRAME_WIDTH

__all__ = ["FrameHud", "HUD_Z"]

#: HUD content draws above everything in the picture.
HUD_Z = 10


class FrameHud(VGroup):
    """A group pinned to the camera frame; content is authored in home coordinates."""

    def __init__(self, frame: Mobject) -> None:
        super().__init__()
        self.frame = frame
        self._scale = 1.0
        self._center = np.zeros(3)
        self.add_updater(lambda m: m.follow())

    @property
    def zoom_scale(self) -> float:
        """Current frame width over the home width: 0.001 means a 1000x zoom."""
        return float(self.frame.width) / FRAME_WIDTH

    def to_frame(self, home_point: np.ndarray) -> np.ndarray:
        """Where a home-coordinate point is drawn now."""
        return self._center + self._scale * np.asarray(home_point)

    def home(self, mob: Mobject) -> Mobject:
        """Map a mobject built in home coordinates onto the current frame (not added)."""
        return mob.scale(self._scale, about_point=np.zeros(3)).shift(self._center)

    def unhome(self, mob: Mobject) -> Mobject:
        """The inverse of `home`: back to home coordinates, so the mobject can be shown again."""
        return mob.shift(-self._center).scale(1 / self._scale, about_point=np.zeros(3))

    def adopt(self, *mobs: Mobject) -> FrameHud:
        """Take mobjects already mapped onto the current frame; they follow it from now on."""
        for mob in mobs:
            mob.set_z_index(HUD_Z)
        self.add(*mobs)
        return self

    def follow(self) -> None:
        """Move and scale the contents from the last frame to the current one."""
        scale = self.zoom_scale
        center = self.frame.get_center()
        if scale == self._scale and np.allclose(center, self._center):
            return
        for mob in self.submobjects:
            mob.scale(scale / self._scale, about_point=self._center)
            mob.shift(center - self._center)
        self._scale, self._center = scale, center
