"""Readout helpers: wrapped sums stay inside the panel, the zoom badge never reads '× 1'."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def manim_config(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    from manim import tempconfig

    media = tmp_path_factory.mktemp("readout-media")
    with tempconfig({"media_dir": str(media), "verbosity": "WARNING"}):
        yield media


def test_long_sum_wraps_with_room_for_the_indent(manim_config: Path) -> None:
    from lessonkit.draw.readouts import WRAP_INDENT, wrap_terms

    terms = ["8", "0.012", "0.000006", "0.000000001"]
    lines = wrap_terms("=", terms, max_width=2.5)
    assert len(lines) >= 2
    assert [getattr(line, "continued", None) for line in lines] == [False] + [True] * (
        len(lines) - 1
    )
    assert lines[0].width <= 2.5 + 1e-9
    assert all(line.width <= 2.5 - WRAP_INDENT + 1e-9 for line in lines[1:])


def test_short_sum_stays_on_one_line(manim_config: Path) -> None:
    from lessonkit.draw.readouts import wrap_terms

    lines = wrap_terms("=", ["4", "0.004", "0.000001"], max_width=10)
    assert len(lines) == 1 and lines[0].continued is False


@pytest.mark.parametrize(
    ("zoom", "text", "visible"),
    [(1.0, "1.0", False), (1.1, "1.1", True), (9.4, "9.4", True), (29.96, "30", True),
     (2998.4, "2998", True)],
)
def test_zoom_badge_text(manim_config: Path, zoom: float, text: str, visible: bool) -> None:
    from lessonkit.draw.readouts import ZoomBadge

    badge = ZoomBadge()
    badge.show_zoom(zoom)
    assert badge.number._shown == text
    assert bool(badge.label.get_fill_opacity() > 0) == visible
