"""Fades, writes and creations cut to their end state, for stills-only renders."""

from __future__ import annotations

from typing import Any

from manim import Animation, Create, FadeIn, FadeOut, GrowFromCenter, Write

__all__ = ["Cut"]


class Cut(Animation):
    """A fade, write or creation reduced to its end state: the mobject is added or removed.

    Why: a stills-only render draws no in-between frames, yet Manim's own versions still
    deep-copy their mobjects to build them (over half of a storyboard's time, measured).
    Their end state is the mobject as it is (introducers) or its removal (removers).
    """

    KINDS = (FadeIn, FadeOut, Create, Write, GrowFromCenter)

    @classmethod
    def of(cls, animation: Any) -> Any:
        if isinstance(animation, cls.KINDS):
            remover = animation.is_remover()
            return cls(
                animation.mobject,
                run_time=animation.run_time,
                introducer=not remover,
                remover=remover,
            )
        return animation

    def begin(self) -> None:
        pass

    def finish(self) -> None:
        pass

    def interpolate(self, alpha: float) -> None:
        pass

    def update_mobjects(self, dt: float) -> None:
        pass
