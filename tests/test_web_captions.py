"""WebVTT captions and chapters: they parse strictly, lie inside the video and follow the story."""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

import pytest

from lessonkit.base.errors import LessonError
from lessonkit.lesson.lessonfile import default_lesson
from lessonkit.lesson.spec import clip_spec
from lessonkit.lesson.storyboard import lesson_steps
from lessonkit.parts.nudge.steps import clip_steps
from lessonkit.web.bundle import Bundle
from lessonkit.web.captions import captions_vtt, chapters_vtt, vtt_time
from lessonkit.web.chapters import Chapter, chapter_title, chapters_from_sections
from lessonkit.web.media import probe

# --- a strict WebVTT reader ------------------------------------------------------------------

_TIME = re.compile(r"(\d{2,}):([0-5]\d):([0-5]\d)\.(\d{3})")
_TIMING = re.compile(rf"^({_TIME.pattern}) --> ({_TIME.pattern})$")


def _seconds(text: str) -> float:
    m = _TIME.fullmatch(text)
    assert m, f"bad timestamp {text!r}"
    h, mi, s, ms = (int(g) for g in m.groups())
    return h * 3600 + mi * 60 + s + ms / 1000


def parse_vtt(text: str) -> list[tuple[str | None, float, float, str]]:
    """(identifier, start, end, text) per cue; asserts the file is well formed WebVTT."""
    assert "\r" not in text and "\ufeff" not in text
    assert text.endswith("\n")
    first = text.split("\n", 1)[0]
    assert first == "WEBVTT" or first.startswith(("WEBVTT ", "WEBVTT\t")), first
    blocks = text.rstrip("\n").split("\n\n")
    assert "-->" not in blocks[0], "the header block holds a cue"
    cues: list[tuple[str | None, float, float, str]] = []
    for block in blocks[1:]:
        lines = block.split("\n")
        assert all(line.strip() for line in lines), f"blank line inside a cue: {block!r}"
        ident = None
        if "-->" not in lines[0]:
            ident = lines.pop(0)
        assert lines, f"identifier without timing: {block!r}"
        m = _TIMING.match(lines[0])
        assert m, f"bad timing line {lines[0]!r}"
        start, end = _seconds(m.group(1)), _seconds(m.group(6))
        payload = lines[1:]
        assert payload, f"cue without text: {block!r}"
        for line in payload:
            assert "-->" not in line and "<" not in line and ">" not in line
            assert re.fullmatch(r"([^&]|&(amp|lt|gt);)*", line), f"raw & in {line!r}"
        cues.append((ident, start, end, "\n".join(payload)))
    return cues


def check_timeline(cues: list[tuple[str | None, float, float, str]], duration: float) -> None:
    assert cues
    for _, start, end, _ in cues:
        assert 0 <= start < end <= duration + 1e-9
    starts = [c[1] for c in cues]
    assert starts == sorted(starts) and len(set(starts)) == len(starts), "starts must increase"
    for a, b in zip(cues, cues[1:], strict=False):
        assert a[2] <= b[1] + 1e-9, "cues overlap"


# --- the bundle's tracks ---------------------------------------------------------------------


@pytest.mark.slow
def test_captions_parse_and_lie_within_the_video(bundle: Bundle) -> None:
    m = bundle.manifest
    video = probe(bundle.folder / m["video"]["mp4"]["file"])
    cues = parse_vtt((bundle.folder / m["captions"]["file"]).read_text(encoding="utf-8"))
    check_timeline(cues, video.duration)
    assert len(cues) == m["captions"]["cues"]
    # one caption per storyboard step, with the storyboard's words
    assert [c[3] for c in cues] == [s.caption for s in clip_steps(clip_spec("square"))]


@pytest.mark.slow
def test_chapters_one_per_section_titled_and_aligned(bundle: Bundle) -> None:
    m = bundle.manifest
    video = probe(bundle.folder / m["video"]["mp4"]["file"])
    cues = parse_vtt((bundle.folder / m["chapters"]["file"]).read_text(encoding="utf-8"))
    check_timeline(cues, video.duration)
    assert len(cues) == len(m["sections"]) == m["chapters"]["count"]
    for (ident, start, end, text), section in zip(cues, m["sections"], strict=True):
        assert ident == section["name"]
        assert text == section["title"] and text.strip()
        assert (start, end) == (section["start"], section["end"])
    assert cues[0][1] == 0 and abs(cues[-1][2] - video.duration) <= 1 / video.fps
    assert all(a[2] == b[1] for a, b in zip(cues, cues[1:], strict=False)), "gaps"


@pytest.mark.slow
def test_caption_cues_match_chapter_spans(bundle: Bundle) -> None:
    m = bundle.manifest
    captions = parse_vtt((bundle.folder / m["captions"]["file"]).read_text(encoding="utf-8"))
    chapters = parse_vtt((bundle.folder / m["chapters"]["file"]).read_text(encoding="utf-8"))
    assert [(c[1], c[2]) for c in captions] == [(c[1], c[2]) for c in chapters]


# --- conversion details ----------------------------------------------------------------------


def test_vtt_time() -> None:
    assert vtt_time(0) == "00:00:00.000"
    assert vtt_time(59.9996) == "00:01:00.000"
    assert vtt_time(3600 * 12 + 1.5) == "12:00:01.500"


def test_srt_to_vtt_orders_clips_and_escapes(tmp_path: Path) -> None:
    srt_file = tmp_path / "a.srt"
    srt_file.write_text(
        "2\n00:00:03,000 --> 00:00:09,000\nif a < b & b > c\n\n"
        "1\n00:00:00,000 --> 00:00:03,500\nfirst --> line\n\n"
        "3\n00:00:12,000 --> 00:00:13,000\nafter the end\n\n",
        encoding="utf-8",
    )
    text, count = captions_vtt(srt_file, duration=8.0)
    cues = parse_vtt(text)
    assert count == 2 == len(cues)
    assert cues[0][1:3] == (0.0, 3.0)  # trimmed so it does not overlap the next cue
    assert cues[1][1:3] == (3.0, 8.0)  # clipped to the video
    assert cues[0][3] == "first --&gt; line"
    assert cues[1][3] == "if a &lt; b &amp; b &gt; c"


def test_missing_or_empty_captions_are_lesson_errors(tmp_path: Path) -> None:
    with pytest.raises(LessonError, match="no captions"):
        captions_vtt(None, 5.0)
    late = tmp_path / "late.srt"
    late.write_text("1\n00:00:09,000 --> 00:00:10,000\nlate\n", encoding="utf-8")
    with pytest.raises(LessonError, match="no cue inside"):
        captions_vtt(late, 5.0)


def test_chapters_from_sections_use_frames_and_skip_empty() -> None:
    spec = clip_spec("cube")
    steps = clip_steps(spec)
    sections = [{"name": s.name, "nb_frames": "7"} for s in steps]
    sections.insert(1, {"name": "autocreated", "nb_frames": "0"})
    chapters = chapters_from_sections(sections, Fraction(5), steps, in_lesson=False)
    assert [c.name for c in chapters] == [s.name for s in steps]
    assert chapters[1].start == 7 / 5 and chapters[-1].end == 7 * len(steps) / 5
    vtt = chapters_vtt(chapters, chapters[-1].end)
    assert len(parse_vtt(vtt)) == len(steps)


def test_chapter_titles_are_short_and_human() -> None:
    titles = [chapter_title(s) for s in clip_steps(clip_spec("square", ["2"]))]
    assert titles[0] == "The curve f(a) = a²"
    assert "Point a = 2" in titles
    assert "Shrink Δa to 0.001: Δf/Δa = 4.001" in titles
    assert "Slope f'(2) = 4" in titles and titles[-1] == "The rule f'(a) = 2a"
    log_titles = [chapter_title(s) for s in clip_steps(clip_spec("log"))]
    assert any("Δf/Δa ≈ 0.4" in t for t in log_titles)  # rounded values are marked
    lesson = [chapter_title(s, in_lesson=True) for s in lesson_steps(default_lesson())]
    assert lesson[0] == "More derivative examples"
    assert lesson[1].startswith("Recap: ") and "a²: Slope f'(2) = 4" in lesson
    assert all(len(t) <= 60 and "\n" not in t for t in titles + log_titles + lesson)


def test_chapter_cue_times() -> None:
    c = Chapter("x", "X", "", 12, 6, Fraction(30))
    assert (c.start, c.end) == (0.4, 0.6)
