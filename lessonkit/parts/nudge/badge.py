"""The zoom badge: how far the camera has zoomed in, as a round number a person would say."""

from __future__ import annotations

from lessonkit.draw import palette
from lessonkit.maths.layout import round_zoom
from lessonkit.parts.nudge.readouts import LabelledNumber

__all__ = ["ZoomBadge"]


class ZoomBadge(LabelledNumber):
    """'zoom × 3000': how far the camera has zoomed in, as a round number a person would
    say, hidden at the full view. `word` is the badge's word in the lesson's language."""

    def __init__(self, word: str = "zoom", font: str = "") -> None:
        quoted = word.replace("\\", "\\\\").replace('"', '\\"')
        face = f'font: "{font}", ' if font else ""  # the language's font, as on its cards
        super().__init__(
            f'text({face}"{quoted}")', palette.MUTED, palette.SIZE_LABEL, "times", gap=0.1
        )
        self._visible: bool | None = None

    @staticmethod
    def text_for(zoom: float) -> str:
        """The badge's number: the zoom rounded on a 1-1.2-1.5-2-2.5-3-4-5-6-8 ladder.

        >>> [ZoomBadge.text_for(z) for z in (1.13, 2.6, 29.96, 1337, 2998.4)]
        ['1.2', '2.5', '30', '1200', '3000']
        """
        rounded = round_zoom(zoom)
        return str(round(rounded)) if rounded >= 10 else f"{rounded:g}"

    def show_zoom(self, zoom: float) -> None:
        """Show the rounded zoom; invisible while it rounds to 1 (the full view)."""
        self.number.show_text(self.text_for(zoom))
        visible = round_zoom(zoom) > 1
        if visible != self._visible:
            self.set_opacity(1.0 if visible else 0.0)
            self._visible = visible
