"""A kind of part shipped in its own package (tests/toykind) plays in a lesson file through
the `lessonkit.parts` entry point: check, table, preview --frame and export, no core change."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import av
import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

from lessonkit.cli import cli
from lessonkit.lesson.kinds import kind_named, registered_kinds
from lessonkit.lesson.lessonfile import load_lesson
from lessonkit.lesson.storyboard import lesson_steps

TOY = Path(__file__).resolve().parent / "toykind"
LESSON = """\
title = "Dots, then a slope"

[[part]]
toy = 3
name = "dots"

[[part]]
function = "square"
points = [2]
nudges = [1]
"""
TINY = ["--quality", "preview", "--size", "192x108", "--fps", "5"]
DOT_YELLOW = np.array([0xEB, 0xCB, 0x8B])


@pytest.fixture
def toy(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """The toy package installed (on sys.path, with its dist-info), and a lesson using it."""
    monkeypatch.syspath_prepend(str(TOY))
    registered_kinds.cache_clear()
    lesson = tmp_path / "toy.toml"
    lesson.write_text(LESSON, encoding="utf-8")
    yield lesson
    registered_kinds.cache_clear()


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_the_entry_point_finds_the_kind(toy: Path) -> None:
    assert kind_named("toy").marker == "toy"
    lesson = load_lesson(toy)
    part = lesson.parts[0]
    assert (part.kind, part.name, part.label, part.line) == ("toy", "dots", "3 dots", 3)
    steps = lesson_steps(lesson)
    dots = [s for s in steps if s.part_kind == "toy"]
    assert [(s.name, s.caption, s.duration) for s in dots] == [
        ("dots-dots", "Here are 3 dots.", 2.0)
    ]


def test_check(toy: Path) -> None:
    code, out = run("check", str(toy))
    assert code == 0, out
    assert out.strip() == f"{toy}: ok: 2 parts, 8 steps, 28.0 s of video"


def test_check_reports_the_kinds_own_errors_at_their_line(toy: Path) -> None:
    toy.write_text(LESSON.replace("toy = 3", "toy = 12"), encoding="utf-8")
    code, out = run("check", str(toy))
    assert code != 0 and f"{toy}:4: part 1, toy: show 1 to 9 dots, got 12" in out
    toy.write_text(LESSON.replace("toy = 3", "toy = 3\nlabl = 'x'"), encoding="utf-8")
    code, out = run("check", str(toy))
    assert code != 0 and "unknown key of a toy part 'labl'; did you mean 'label'?" in out


def test_a_missing_kind_is_named_in_the_message(tmp_path: Path) -> None:
    registered_kinds.cache_clear()
    lesson = tmp_path / "toy.toml"
    lesson.write_text(LESSON, encoding="utf-8")
    code, out = run("check", str(lesson))
    assert code != 0 and "a part needs a function (a nudge part)" in out


def test_table(toy: Path) -> None:
    code, out = run("table", str(toy))
    assert code == 0, out
    assert out.startswith("dots: 3 dots\n\n")
    assert "4.41" not in out and "5" in out  # a² at 2 with Δa = 1: f(3) = 9, Δf/Δa = 5
    code, out = run("table", str(toy), "--format", "json")
    assert code == 0 and json.loads(out)[0] == {"toy": "dots", "dots": 3}


def _yellow_share(rgb: np.ndarray) -> float:
    close = np.abs(rgb[..., :3].astype(int) - DOT_YELLOW).sum(axis=-1) < 60
    return float(close.mean())


@pytest.mark.slow
def test_preview_frame_draws_the_kind(toy: Path, tmp_path: Path) -> None:
    media = tmp_path / "media"
    tiny = ["--size", "192x108"]
    code, out = run("preview", str(toy), "--frame", *tiny, "--output-dir", str(media))
    assert code == 0, out
    stills = sorted(media.rglob("*dots-dots*.png"))
    assert stills, sorted(p.name for p in media.rglob("*.png"))
    share = _yellow_share(np.asarray(Image.open(stills[0]).convert("RGB")))
    assert 0.01 < share < 0.3  # three dots, not an empty frame nor a yellow one


@pytest.mark.slow
def test_export_plays_the_kind(toy: Path, tmp_path: Path) -> None:
    media = tmp_path / "media"
    code, out = run("export", str(toy), *TINY, "--jobs", "1", "--output-dir", str(media))
    assert code == 0, out
    manifest = json.loads(next(media.rglob("manifest.json")).read_text(encoding="utf-8"))
    sections = {s["name"]: s for s in manifest["sections"]}
    dots = sections["dots-dots"]
    assert dots["title"] == "3 dots" and dots["caption"] == "Here are 3 dots."
    video = media / "web" / manifest["slug"] / manifest["video"]["mp4"]["file"]
    with av.open(str(video)) as container:
        frames = [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]
    start, count = dots["start_frame"], dots["frames"]
    assert count == 10  # 2 s at 5 fps
    assert _yellow_share(frames[start]) < 0.001  # the title has faded, the dots come in
    assert _yellow_share(frames[start + count - 1]) > 0.01  # on screen at the step's end
    assert _yellow_share(frames[start + count + 3]) < 0.001  # faded out by the next part
