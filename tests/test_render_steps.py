"""Rendering by steps, decoded with PyAV: a video rendered by two processes equals the one
process render frame for frame, with exact section boundaries; the per-step cache redraws
only the steps an edit changes; a dead render process is one line and keeps finished steps."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from pathlib import Path
from typing import Any

import av
import numpy as np
import psutil
import pytest

from lessonkit.base.errors import LessonError
from lessonkit.lesson.lessonfile import load_lesson
from lessonkit.lesson.storyboard import lesson_steps
from lessonkit.render import RenderJob, RenderResult, render
from lessonkit.render.steps import cache_dir, job_steps, plan_units, step_keys

pytestmark = pytest.mark.slow

FPS = 6
SIZE = (192, 108)
LESSON = """title = "Slopes"

[[part]]
function = "square"
points = [2]
nudges = [1, 0.1]

[part.captions]
slope = "The slope at 2 is {slope}."

[[part]]
card = "text"
name = "remember"
heading = "Remember"
lines = ["The derivative is the slope."]
"""


def write_lesson(folder: Path, text: str = LESSON) -> Path:
    path = folder / "slopes.toml"
    path.write_text(text, encoding="utf-8")
    return path


def job_for(lesson: Path, media: Path, jobs: int, **options: Any) -> RenderJob:
    options.setdefault("size", SIZE)
    return RenderJob(load_lesson(lesson), fps=FPS, media_dir=media, jobs=jobs, **options)


def frames(path: Path) -> list[np.ndarray]:
    with av.open(str(path)) as c:
        return [f.to_ndarray(format="rgb24") for f in c.decode(video=0)]


def sections(result: RenderResult) -> list[dict[str, Any]]:
    assert result.sections is not None
    data: list[dict[str, Any]] = json.loads(result.sections.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def lesson(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_lesson(tmp_path_factory.mktemp("lesson"))


@pytest.fixture(scope="module")
def serial(lesson: Path, tmp_path_factory: pytest.TempPathFactory) -> RenderResult:
    return render(job_for(lesson, tmp_path_factory.mktemp("serial"), jobs=1))


@pytest.fixture(scope="module")
def parallel(lesson: Path, tmp_path_factory: pytest.TempPathFactory) -> RenderResult:
    return render(job_for(lesson, tmp_path_factory.mktemp("parallel"), jobs=2))


def test_two_processes_make_the_one_process_video(
    serial: RenderResult, parallel: RenderResult
) -> None:
    assert serial.video is not None and parallel.video is not None
    one, two = frames(serial.video), frames(parallel.video)
    assert len(one) == len(two) == sum(int(s["nb_frames"]) for s in sections(serial))
    # x264 may code the same pictures a little differently in another process: noise only
    worst = max(
        float(np.abs(a.astype(int) - b.astype(int)).mean()) for a, b in zip(one, two, strict=True)
    )
    assert worst < 1.0
    assert [(s["name"], s["nb_frames"]) for s in sections(serial)] == [
        (s["name"], s["nb_frames"]) for s in sections(parallel)
    ]
    assert serial.captions is not None and parallel.captions is not None
    assert serial.captions.read_text() == parallel.captions.read_text()
    assert len(parallel.rendered_steps) == len(sections(parallel))


def test_sections_start_exactly_on_their_frames(parallel: RenderResult) -> None:
    """Each section clip's frames are the joined video's frames at its place, bit for bit:
    the join copies packets, so no frame is re-coded, dropped or doubled at a boundary."""
    assert parallel.video is not None and parallel.sections is not None
    whole = frames(parallel.video)
    first = 0
    for section in sections(parallel):
        clip = frames(parallel.sections.parent / section["video"])
        assert len(clip) == int(section["nb_frames"])
        assert all(
            np.array_equal(a, b)
            for a, b in zip(clip, whole[first : first + len(clip)], strict=True)
        )
        first += len(clip)
    assert first == len(whole)


def test_captions_span_each_steps_frames(parallel: RenderResult, lesson: Path) -> None:
    import srt

    assert parallel.captions is not None
    cues = list(srt.parse(parallel.captions.read_text(encoding="utf-8")))
    steps = lesson_steps(load_lesson(lesson))
    assert [c.content for c in cues] == [s.caption for s in steps]
    first = 0
    for cue, section in zip(cues, sections(parallel), strict=True):
        assert cue.start.total_seconds() == pytest.approx(first / FPS, abs=0.0011)
        first += int(section["nb_frames"])
        assert cue.end.total_seconds() == pytest.approx(first / FPS, abs=0.0011)
    assert "The slope at 2 is 4." in [c.content for c in cues]


def test_a_step_drawn_alone_gives_the_whole_renders_pixels(lesson: Path, tmp_path: Path) -> None:
    """Before encoding: the frames Manim hands the encoder for a step rendered alone (its
    part replayed with animations skipped) equal those of the whole render. Checked for
    the first step of a part (it fades out the card before it) and a shrinking nudge."""
    from manim import tempconfig
    from manim.renderer.cairo_renderer import CairoRenderer

    from lessonkit.render import make_scene, manim_config

    job = job_for(lesson, tmp_path, jobs=1)
    seen: dict[str, list[np.ndarray]] = {}
    add_frame = CairoRenderer.add_frame

    def keep(self: Any, frame: np.ndarray, num_frames: int = 1) -> None:
        name = self.file_writer.sections[-1].name
        if not self.skip_animations:
            seen.setdefault(name, []).extend([frame.copy()] * num_frames)
        add_frame(self, frame, num_frames)

    def pictures(record: tuple[str, ...] | None) -> dict[str, list[np.ndarray]]:
        seen.clear()
        config = manim_config(job, tmp_path / "stage", tmp_path / "partial", True, False)
        with tempconfig(config):
            make_scene(job, record=record).render()  # type: ignore[attr-defined]
        return dict(seen)

    CairoRenderer.add_frame = keep  # type: ignore[method-assign]
    try:
        whole = pictures(None)
        for name in ("square-graph", "square-shrink-a2-d0.1"):
            alone = pictures((name,))
            assert list(alone) == [name]
            assert len(alone[name]) == len(whole[name])
            assert all(np.array_equal(a, b) for a, b in zip(alone[name], whole[name], strict=True))
    finally:
        CairoRenderer.add_frame = add_frame  # type: ignore[method-assign]


def test_an_edit_redraws_only_the_steps_it_changes(tmp_path: Path) -> None:
    lesson = write_lesson(tmp_path)
    media = tmp_path / "media"
    first = render(job_for(lesson, media, jobs=2))
    names = [s["name"] for s in sections(first)]
    assert list(first.rendered_steps) == names

    # the last card's words: that card's section only
    write_lesson(tmp_path, LESSON.replace("is the slope.", "is the slope of the curve."))
    card = render(job_for(lesson, media, jobs=2))
    assert card.rendered_steps == ("remember",)
    assert card.video is not None and card.captions is not None

    # a caption is not drawn: no step is redrawn, the captions change
    write_lesson(
        tmp_path,
        LESSON.replace("is the slope.", "is the slope of the curve.").replace(
            "The slope at 2", "At a = 2 the slope"
        ),
    )
    caption = render(job_for(lesson, media, jobs=2))
    assert caption.rendered_steps == ()
    assert caption.captions is not None
    assert "At a = 2 the slope is 4." in caption.captions.read_text()

    # the title card, and the step after it, which fades the title card out
    write_lesson(tmp_path, LESSON.replace('title = "Slopes"', 'title = "Two slopes"'))
    title = render(job_for(lesson, media, jobs=1))
    assert title.rendered_steps == ("title", "square-graph")


def test_a_damaged_cached_step_is_drawn_again(serial: RenderResult, lesson: Path) -> None:
    job = job_for(lesson, serial.job.media_dir, jobs=1)
    keys = step_keys(job, job_steps(job))
    video = cache_dir(job) / f"{keys['square-slope-a2']}.mp4"
    video.write_bytes(video.read_bytes()[:100])
    again = render(job_for(lesson, serial.job.media_dir, jobs=1, use_cache=True, fmt="webm"))
    assert len(again.rendered_steps) == len(keys)  # another format: every step
    # the same render as before, its key file removed so the video is joined anew
    (serial.video.parent / f".{job.slug}.mp4.key").unlink()  # type: ignore[union-attr]
    redo = render(job)
    assert redo.rendered_steps == ("square-slope-a2",)


def test_webm_steps_join_too(lesson: Path, tmp_path: Path) -> None:
    result = render(job_for(lesson, tmp_path, jobs=2, fmt="webm"))
    assert result.video is not None and result.video.suffix == ".webm"
    with av.open(str(result.video)) as c:
        assert c.streams.video[0].codec_context.name in ("vp9", "libvpx-vp9")
    assert len(frames(result.video)) == sum(int(s["nb_frames"]) for s in sections(result))


def test_a_killed_render_process_is_one_line_and_keeps_finished_steps(tmp_path: Path) -> None:
    lesson = write_lesson(tmp_path)
    media = tmp_path / "media"
    job = job_for(lesson, media, jobs=2, size=(384, 216))
    outcome: dict[str, BaseException] = {}

    def run() -> None:
        try:
            render(job)
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            outcome["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    me = psutil.Process()
    victim = None
    deadline = time.monotonic() + 60
    while victim is None and time.monotonic() < deadline and thread.is_alive():
        workers = [p for p in me.children(recursive=True) if "spawn_main" in " ".join(p.cmdline())]
        busy = [p for p in workers if p.cpu_times().user > 2.0]  # past Manim's import
        victim = busy[0] if busy else None
        time.sleep(0.1)
    assert victim is not None, "no render process to kill"
    os.kill(victim.pid, signal.SIGKILL)
    thread.join(120)
    error = outcome.get("error")
    assert isinstance(error, LessonError)
    assert "died" in str(error) and "\n" not in str(error)
    assert not (media / "videos" / job.slug / job.folder / f"{job.slug}.mp4").exists()
    again = render(job)
    assert again.video is not None and again.video.is_file()
    assert len(again.rendered_steps) < len(job_steps(job))  # the other process's steps kept


def test_short_renders_keep_to_fewer_processes() -> None:
    from lessonkit.render.steps import FRAMES_PER_PROCESS, jobs_for_frames

    assert jobs_for_frames(10, cores=2) == 1  # a clip of a few seconds: no process to start
    assert jobs_for_frames(2 * FRAMES_PER_PROCESS, cores=2) == 2
    assert jobs_for_frames(2400, cores=2) == 2  # the lesson at 480p15: every core
    assert jobs_for_frames(9600, cores=8) == 8


def test_units_split_runs_of_missing_steps(lesson: Path) -> None:
    steps = lesson_steps(load_lesson(lesson))
    names = [s.name for s in steps]
    one = plan_units(steps, names, jobs=1)
    assert [u.names for u in one] == [tuple(names)]
    two = plan_units(steps, names, jobs=2)
    assert 3 <= len(two) <= 5
    assert sorted(n for u in two for n in u.names) == sorted(names)
    assert all(names.index(u.names[-1]) - names.index(u.names[0]) == len(u.names) - 1 for u in two)
    gaps = plan_units(steps, [names[0], names[-1]], jobs=1)
    assert sorted(u.names for u in gaps) == sorted([(names[0],), (names[-1],)])
