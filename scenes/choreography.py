"""How storyboard steps are played: the director opens each step's section, has the
step's part kind draw it (`lessonkit.lesson.kinds`), and holds it to its duration.

Every step opens a section, carries one caption line, and lasts exactly its storyboard
duration (what is not animated is held), so chapters and captions line up with the video.
Each part starts on an empty stage. Numbers and words come from the step (lessonkit's
math); this module only moves things. The lesson's title card is drawn here.
"""

from __future__ import annotations

import math
from typing import Any

from manim import (
    DOWN,
    UP,
    Animation,
    FadeIn,
    FadeOut,
    Mobject,
    MovingCameraScene,
    VGroup,
    Write,
    config,
)

from lessonkit.draw import palette
from lessonkit.draw.text import CARD_HEIGHT, CARD_WIDTH, fit_within, paragraph
from lessonkit.lesson.kinds import kind_named
from lessonkit.lesson.storyboard import Step
from lessonkit.lesson.typst_text import markup_words

__all__ = ["LessonDirector"]


class LessonDirector:
    """Plays storyboard steps on a MovingCameraScene; holds what the playing part keeps."""

    def __init__(self, scene: MovingCameraScene) -> None:
        self.scene = scene
        self.frame = scene.camera.frame
        scene.camera.background_color = palette.BACKGROUND
        scene.add(self.frame)  # animated by the nudge rig while it zooms
        self.part = ""  # the part of the step playing
        #: what the playing part's kind keeps between its steps (its `detach()`, if it has
        #: one, is called when the stage is cleared for the next part)
        self.part_stage: Any = None
        self.hud: Any = None  # the FrameHud of the playing part, when it has one

    # -- the step protocol -----------------------------------------------------------------
    def play_steps(self, steps: list[Step]) -> None:
        for step in steps:
            self.run(step)

    def run(self, step: Step) -> None:
        """Open the step's section and caption, play it, then hold until its duration ends."""
        scene = self.scene
        scene.next_section(step.name)
        start = scene.time
        first_of_kind_part = step.part_kind != "" and step.part != self.part
        self.part = step.part
        if step.kind in ("graph", "rules", "text") or first_of_kind_part:
            # a part starts on an empty stage, inside its own section (the last section's
            # still keeps its picture)
            self._clear_stage(0.5 if step.kind == "text" else 0.6)
        if step.part_kind:
            kind_named(step.part_kind).draw(self, step)  # the part's kind draws its steps
        else:
            getattr(self, f"step_{step.kind}")(step)  # the lesson's own: its title card
        rest = step.duration - (scene.time - start)
        if rest < -1.5 / config.frame_rate:
            raise RuntimeError(
                f"step {step.name!r} ran {step.duration - rest:.2f} s; the storyboard gives it "
                f"{step.duration} s: give it more time (a card's duration in the lesson file)"
            )
        # whole frames, counted the same whatever float noise the scene's clock carries (a
        # step drawn alone must hold exactly as long as in the whole video)
        hold = math.floor(rest * config.frame_rate + 1e-6)
        if hold >= 1:
            # nothing moves in a hold: one frame, repeated, instead of re-running updaters
            scene.wait((hold + 1e-6) / config.frame_rate, frozen_frame=True)
        # written at the end, over the section's real span (frames round run times up)
        elapsed = scene.time - start
        scene.add_subcaption(step.caption, duration=elapsed, offset=-elapsed)

    def play(self, *animations: Animation, run_time: float) -> None:
        self.scene.play(*animations, run_time=run_time)

    def hud_in(
        self,
        *mobs: Mobject,
        run_time: float,
        also: tuple[Animation, ...] = (),
        into: VGroup | None = None,
    ) -> None:
        """Fade in mobjects authored in home coordinates, pinned to the picture whatever
        the camera does (as members of `into`, a group already in the HUD, when given)."""
        for m in mobs:
            self.hud.home(m)
        self.play(*(FadeIn(m) for m in mobs), *also, run_time=run_time)
        self.scene.remove(*mobs)
        if into is None:
            self.hud.adopt(*mobs)
        else:
            for m in mobs:
                m.set_z_index(into.z_index)
            into.add(*mobs)

    def hud_out(self, *mobs: Mobject, run_time: float, also: tuple[Animation, ...] = ()) -> None:
        """Fade out HUD mobjects and return them to home coordinates for later reuse."""
        self.hud.remove(*mobs)
        self.play(*(FadeOut(m) for m in mobs), *also, run_time=run_time)
        for m in mobs:
            self.hud.unhome(m)

    def _clear_stage(self, run_time: float) -> None:
        """Fade out whatever the last part left, ready for the next part of the lesson."""
        if self.part_stage is not None:
            if hasattr(self.part_stage, "detach"):
                self.part_stage.detach()
            self.part_stage = None
        everything = [m for m in self.scene.mobjects if m is not self.frame]
        if everything:
            self.play(*(FadeOut(m) for m in everything), run_time=run_time)
            self.scene.remove(*everything)

    # -- the lesson's own step -------------------------------------------------------------
    def step_title(self, step: Step) -> None:
        font = step.words.font
        title = paragraph(
            markup_words(step.extra["title"]), 64, CARD_WIDTH, font, "center", bold=True
        )
        parts: list[Mobject] = [title.set_color(palette.TEXT)]
        animations: list[Animation] = [Write(title)]
        if step.extra.get("subtitle"):
            sub = paragraph(markup_words(step.extra["subtitle"]), 32, CARD_WIDTH, font, "center")
            parts.append(sub.set_color(palette.MUTED))
            animations.append(FadeIn(sub, shift=0.2 * UP))
        card = VGroup(*parts).arrange(DOWN, buff=0.4)
        fit_within(card, CARD_WIDTH, CARD_HEIGHT)
        self.play(*animations, run_time=1.5)
