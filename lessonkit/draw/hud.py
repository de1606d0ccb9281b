"""A heads-up layer that stays put on the picture while the camera zooms and pans.

Manim's Cairo camera has no fixed-in-frame mobjects, so HUD content carries a flag
(`HUD_FLAG`) that `ZoomCamera` reads: flagged mobjects are drawn in home coordinates (where
they would sit on the un-zoomed 14.2 x 8 frame), whatever the camera does. Nothing is moved
per frame, so a zoom costs the HUD no updater and no transform.
"""

from __future__ import annotations

from manim import Mobject, VGroup

__all__ = ["FrameHud", "HUD_Z", "HUD_FLAG", "pin", "unpin"]

#: HUD content draws above everything in the picture.
HUD_Z = 10
#: attribute that tells ZoomCamera to draw a mobject in home (screen) coordinates
HUD_FLAG = "lessonkit_hud"


def pin(mob: Mobject) -> Mobject:
    """Flag a mobject and its family as HUD content (drawn in home coordinates)."""
    for member in mob.get_family():
        setattr(member, HUD_FLAG, True)
    return mob


def unpin(mob: Mobject) -> Mobject:
    """Undo `pin`: the mobject is drawn where the camera looks again."""
    for member in mob.get_family():
        if HUD_FLAG in vars(member):
            delattr(member, HUD_FLAG)
    return mob


class FrameHud(VGroup):
    """The HUD layer: pinned mobjects, authored in home coordinates, drawn above the picture."""

    def __init__(self) -> None:
        super().__init__()
        # the group itself sorts with its contents, above the picture: Manim redraws every
        # mobject that sorts after the first one with an updater (the readout panel's)
        self.z_index = HUD_Z

    def home(self, mob: Mobject) -> Mobject:
        """Pin a mobject built in home coordinates to the picture (not added)."""
        return pin(mob)

    def unhome(self, mob: Mobject) -> Mobject:
        """Unpin a mobject that left the HUD, so that it can be shown anywhere again."""
        return unpin(mob)

    def adopt(self, *mobs: Mobject) -> FrameHud:
        """Take pinned mobjects into the HUD layer (drawn above the picture)."""
        for mob in mobs:
            pin(mob)
            mob.set_z_index(HUD_Z)
        self.add(*mobs)
        return self
