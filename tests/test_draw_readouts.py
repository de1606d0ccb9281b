"""Readout helpers: wrapped sums and long values stay inside the panel, the relation sign
follows the value shown, the zoom badge reads round numbers and never '× 1'."""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def manim_config(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    from manim import tempconfig

    media = tmp_path_factory.mktemp("readout-media")
    with tempconfig({"media_dir": str(media), "verbosity": "WARNING"}):
        yield media


def test_long_sum_wraps_with_room_for_the_indent(manim_config: Path) -> None:
    from lessonkit.parts.nudge.sums import WRAP_INDENT, wrap_terms

    terms = ["8", "0.012", "0.000006", "0.000000001"]
    lines = wrap_terms("=", terms, max_width=2.5)
    assert len(lines) >= 2
    assert [getattr(line, "continued", None) for line in lines] == [False] + [True] * (
        len(lines) - 1
    )
    assert lines[0].width <= 2.5 + 1e-9
    assert all(line.width <= 2.5 - WRAP_INDENT + 1e-9 for line in lines[1:])


def test_short_sum_stays_on_one_line(manim_config: Path) -> None:
    from lessonkit.parts.nudge.sums import wrap_terms

    lines = wrap_terms("=", ["4", "0.004", "0.000001"], max_width=10)
    assert len(lines) == 1 and lines[0].continued is False


@pytest.mark.parametrize(
    ("zoom", "text", "visible"),
    [(1.0, "1", False), (1.08, "1", False), (1.13, "1.2", True), (2.6, "2.5", True),
     (9.4, "10", True), (29.96, "30", True), (835, "800", True), (1337, "1200", True),
     (2998.4, "3000", True)],
)
def test_zoom_badge_text(manim_config: Path, zoom: float, text: str, visible: bool) -> None:
    from lessonkit.parts.nudge.badge import ZoomBadge

    badge = ZoomBadge()
    badge.show_zoom(zoom)
    assert badge.number._shown == text
    assert bool(badge.label.get_fill_opacity() > 0) == visible


def test_zoom_badge_word_is_a_parameter(manim_config: Path) -> None:
    """A translated word (Korean '확대') is typeset, not dropped, and keeps the '×'."""
    from lessonkit.parts.nudge.badge import ZoomBadge

    english, korean = ZoomBadge(), ZoomBadge("확대")
    assert 'text("확대")' in korean.label.typst_code and "times" in korean.label.typst_code
    assert len(korean.label.family_members_with_points()) == 3  # 확, 대, ×
    assert korean.label.width > 0.4 * english.label.width
    quoted = ZoomBadge('say "x"')  # a quote in the word cannot break the Typst source
    assert quoted.label.width > 0


LONG_VALUES = [
    pytest.param("cube", "5", "0.000001", 10, id="a^3 at 5 by 1e-6, 10 digits"),
    pytest.param("cube", "5", "0.000001", 5, id="a^3 at 5 by 1e-6, 5 digits"),
    pytest.param("log", "2", "0.001", 10, id="log at 2, 10 digits"),
    pytest.param("log", "2", "0.001", 5, id="log at 2, 5 digits"),
    pytest.param("log", "2", "0.000000001", 10, id="log at 2 by 1e-9"),
    pytest.param("square", "999999", "0.000000000001", 10, id="a^2 at 999999 by 1e-12"),
]


@pytest.mark.parametrize(("name", "at", "by", "digits"), LONG_VALUES)
def test_long_values_stay_inside_the_panel(
    manim_config: Path, name: str, at: str, by: str, digits: int
) -> None:
    """Every readout ends before the panel's right edge; a value is shown exactly ("=")
    when its exact text fits, else rounded ("≈") to at most `digits` significant digits."""
    from lessonkit.maths.lookup import get_function
    from lessonkit.maths.nudge import nudge
    from lessonkit.parts.nudge.live_number import number_width
    from lessonkit.parts.nudge.readouts import PANEL_RIGHT, ReadoutPanel

    row = nudge(get_function(name), Fraction(at), Fraction(by), digits)
    panel = ReadoutPanel(row)
    for key, readout in panel.readouts.items():
        value = getattr(row, key)
        text, exact = panel.shown[key]
        right = readout.number.get_right()[0]
        assert right <= PANEL_RIGHT + 1e-9, (key, text, right)
        assert readout.number._shown == text
        assert readout.relation == ("=" if exact else "approx"), (key, text)
        assert readout.get_left()[0] > PANEL_RIGHT - 4.4  # the label stays in the panel too
        if exact:
            assert text == value.text() and value.shows_exactly
        else:
            room = PANEL_RIGHT - readout.number.get_left()[0]
            assert not value.shows_exactly or number_width(value.text(), 30) > room, key
            digits_only = text.replace("-", "")
            if "." not in digits_only:
                digits_only = digits_only.rstrip("0")  # an integer's zeros hold places
            significant = len(digits_only.replace(".", "").lstrip("0"))
            assert significant <= digits, (key, text)
            assert abs(Fraction(text) - value.q) <= Fraction(1, 2) * _ulp(text), (key, text)


def _ulp(text: str) -> Fraction:
    """The place value of the last significant digit of a rounded number's text."""
    if "." in text:
        return Fraction(1, 10 ** len(text.split(".")[1]))
    digits = text.lstrip("-")
    return Fraction(10 ** (len(digits) - len(digits.rstrip("0"))))


def test_relation_follows_the_value(manim_config: Path) -> None:
    """One readout switches between '=' and '≈' in place: same right edge, same baseline."""
    from lessonkit.parts.nudge.readouts import LabelledNumber

    r = LabelledNumber("Delta f", "#FFFFFF", 30)
    r.scale(3)  # as the leg labels are while zoomed
    right, bottom = r.label.get_right()[0], r.label.get_bottom()[1]
    height = r.label.height
    r.show_text("0.3333", exact=False)
    assert r.relation == "approx" and r.label.typst_code.strip().strip("$").strip().endswith(
        "approx"
    )
    assert r.label.get_right()[0] == pytest.approx(right)
    assert r.label.get_bottom()[1] == pytest.approx(bottom)
    assert r.label.height == pytest.approx(height, rel=0.1)
    assert r.label.family_members_with_points()[0].get_fill_opacity() == 1.0  # still shown
    r.show_text("0.25", exact=True)
    assert r.relation == "=" and r.label in r.submobjects
    r.show_text("0.3", exact=False)  # and back to the first label
    assert all(m.get_fill_opacity() == 1.0 for m in r.label.family_members_with_points())
    assert sum(isinstance(m, type(r.label)) for m in r.submobjects) == 1


