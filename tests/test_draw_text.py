"""Words on screen: real Korean glyphs in the language's font, lines wrapped to a width, and a
missing font refused in one line before anything is drawn."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from lessonkit.base.errors import LessonError
from lessonkit.lesson.i18n import Words, builtin_words
from lessonkit.lesson.typst_text import markup_words

KOREAN = builtin_words("ko")


@pytest.fixture(scope="module")
def manim_config(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    from manim import tempconfig

    media = tmp_path_factory.mktemp("text-media")
    with tempconfig({"media_dir": str(media), "verbosity": "WARNING"}):
        yield media


def pixels(text: str, font: str) -> np.ndarray:
    """`text` typeset by lessonkit's paragraph in `font` and rasterised by Manim's camera:
    a 120x120 grey image, the text scaled to 1.5 units tall in a 2x2 frame."""
    from manim import ORIGIN, Camera

    from lessonkit.draw.text import paragraph

    mob = paragraph(markup_words(text), 48, 10.0, font).set_color("#FFFFFF")
    mob.set(height=1.5).move_to(ORIGIN)
    camera = Camera(pixel_width=120, pixel_height=120, frame_width=2.0, frame_height=2.0)
    camera.capture_mobject(mob)
    return np.asarray(camera.get_image().convert("L"), dtype=np.int16)


def differ(a: np.ndarray, b: np.ndarray) -> float:
    """Share of pixels that differ by more than a quarter of full brightness."""
    return float(np.mean(np.abs(a - b) > 64))


def test_korean_syllables_are_real_glyphs(manim_config: Path) -> None:
    """Two syllables give two different pictures, neither the font's missing-glyph box
    (what a code point without a glyph, U+E000, draws), and both have ink."""
    ga, na = pixels("가", KOREAN.font), pixels("나", KOREAN.font)
    missing = pixels("\ue000", KOREAN.font)
    for glyph in (ga, na):
        assert 0.05 < float(np.mean(glyph > 128)) < 0.6  # ink, and not a filled block
        assert differ(glyph, missing) > 0.05
    assert differ(ga, na) > 0.05


def test_korean_is_drawn_in_the_catalogue_font(manim_config: Path) -> None:
    """The font setting is obeyed: the same word in NanumGothic and NanumMyeongjo (both
    installed by fonts-nanum) gives different shapes, so no silent fallback font is used."""
    gothic, myeongjo = pixels("기울기", "NanumGothic"), pixels("기울기", "NanumMyeongjo")
    assert differ(gothic, myeongjo) > 0.03


def test_paragraphs_wrap_to_the_width_without_breaking_words(manim_config: Path) -> None:
    from lessonkit.draw.text import paragraph

    sentence = "도함수 공식은 미적분 교재나 위키백과의 도함수 표에서 찾아볼 수 있습니다."
    one_line = paragraph(markup_words(sentence), 38, 40.0, KOREAN.font)
    wrapped = paragraph(markup_words(sentence), 38, 6.0, KOREAN.font)
    assert one_line.width > 6.0
    assert wrapped.width <= 6.0 and wrapped.height > 2.5 * one_line.height
    english = "The derivative is the slope of the curve, and the slope can differ."
    assert paragraph(markup_words(english), 38, 6.0).width <= 6.0


def test_markup_keeps_each_word_whole() -> None:
    """Word joiners (U+2060) between the letters of Korean words: Typst breaks lines only
    at the spaces, as Korean is set (word-break: keep-all)."""
    wj = "\u2060"
    expected = f"기{wj}울{wj}기{wj}는 점{wj}마{wj}다 \\*{wj}달{wj}라{wj}요{wj}\\*"
    assert markup_words("기울기는 점마다 *달라요*") == expected
    assert markup_words("The slope, a²") == "The slope, a²"


def test_a_missing_font_is_one_line_naming_the_package() -> None:
    from lessonkit.draw.fonts import require_font

    require_font(KOREAN)  # installed by set-up
    require_font(Words())  # English keeps Typst's own fonts
    with pytest.raises(LessonError) as err:
        require_font(Words("ko", (), "NoSuchFont Sans", "fonts-nosuch"))
    assert str(err.value) == (
        "the font 'NoSuchFont Sans' for 한국어 text is not installed: "
        "install the Debian package fonts-nosuch (apt-get install fonts-nosuch)"
    )


def test_render_stops_at_once_without_the_font(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import lessonkit.draw.fonts as fonts
    from lessonkit.cli import cli

    monkeypatch.setattr(fonts, "installed_fonts", lambda: frozenset({"DejaVu Sans"}))
    result = CliRunner().invoke(
        cli,
        ["render", "--lesson", "--lang", "ko", "--size", "192x108", "--output-dir", str(tmp_path)],
    )
    assert result.exit_code == 1
    assert result.output == (
        "Error: the font 'NanumGothic' for 한국어 text is not installed: "
        "install the Debian package fonts-nanum (apt-get install fonts-nanum)\n"
    )
    assert not (tmp_path / "videos").exists()  # nothing was started
