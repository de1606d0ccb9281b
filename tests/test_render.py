"""Real renders through the product API, decoded and checked: size, timing, motion, captions,
sections, stills, the render cache and failure safety.

Every named scene's spec is rendered once per session at 192x108 and 5 fps (see conftest's
`renders`). Timing bound, measured and explained: a section lasts its storyboard duration to
within one frame (0.2 s here). Manim plays an animation of run time r as ceil(r·fps) frames,
and the closing hold of a step is written by `freeze_current_frame`, which truncates
int(rest/dt) (so a 0.6 s hold at 5 fps, 0.6/0.2 = 2.9999999999999996, gives 2 frames). The
step's hold absorbs the round-ups of its plays, so only the last truncation remains: at most
one frame short, never long. The whole video is then within one frame per section.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from conftest import FPS, FRAME, SIZE, Rendered, assert_no_tex, mean_abs_diff, read_png

from lessonkit.draw import palette
from lessonkit.lesson.spec import clip_spec
from lessonkit.lesson.storyboard import total_duration
from lessonkit.parts.nudge.steps import clip_steps
from lessonkit.render import RenderJob, render, stills_dir, video_dir

pytestmark = pytest.mark.slow

NAMES = ["square", "cube", "log", "linear", "lesson"]
SLUGS = {
    "square": "square-a2-a5",
    "cube": "cube-a2",
    "log": "log-a2",
    "linear": "linear-a2",
    "lesson": "more-derivative-examples",
}
#: Mean absolute pixel difference (0-255) above which two frames show different pictures;
#: h264 noise between two frames of the same still picture stays below 0.05 at this size.
CHANGED = 0.15


@pytest.fixture(params=NAMES)
def rendered(request: pytest.FixtureRequest, renders: Callable[[str], Rendered]) -> Rendered:
    return renders(request.param)


def gray_std(rgb: np.ndarray) -> float:
    return float(rgb.astype(float).mean(axis=2).std())


def luma_diff(a: np.ndarray, b: np.ndarray) -> float:
    """Mean absolute difference in luma (Rec. 601), which h264 keeps better than colour."""
    w = np.array([0.299, 0.587, 0.114])
    return float(np.abs(a.astype(float) @ w - b.astype(float) @ w).mean())


def background_rgb() -> np.ndarray:
    h = palette.BACKGROUND.lstrip("#")
    return np.array([int(h[i : i + 2], 16) for i in (0, 2, 4)])


# -- the video ---------------------------------------------------------------------------------
def test_files_have_predictable_names(rendered: Rendered) -> None:
    slug = SLUGS[rendered.name]
    folder = rendered.media_dir / "videos" / slug / f"{SIZE[1]}p{FPS}"
    assert rendered.result.video == folder / f"{slug}.mp4"
    assert rendered.result.captions == folder / f"{slug}.srt"
    assert rendered.result.sections == folder / "sections" / f"{slug}.json"
    assert all(p.exists() for p in rendered.result.paths)
    assert not rendered.result.cached


def test_no_partial_movie_files_are_left_behind(rendered: Rendered) -> None:
    assert not (rendered.media_dir / "partial" / SLUGS[rendered.name]).exists()


def test_frame_size_and_rate(rendered: Rendered) -> None:
    v = rendered.video
    assert (v.width, v.height) == SIZE
    assert v.fps == FPS
    assert v.container_seconds == pytest.approx(v.seconds, abs=FRAME)


def test_duration_matches_the_storyboard(rendered: Rendered) -> None:
    """Within one frame per section (see the module docstring for why)."""
    expected = total_duration(rendered.steps)
    bound = len(rendered.steps) * FRAME + 1e-6
    assert abs(rendered.video.seconds - expected) <= bound, (
        f"video {rendered.video.seconds:.2f} s, storyboard {expected:.2f} s, bound {bound:.2f} s"
    )


def _section_deviations(rendered: Rendered) -> list[tuple[str, float]]:
    return [
        (s.name, float(sec["duration"]) - s.duration)
        for s, sec in zip(rendered.steps, rendered.sections(), strict=True)
    ]


@pytest.mark.parametrize(
    "name",
    [
        "square",
        "cube",
        "log",
        "linear",
        "lesson",
    ],
)
def test_each_section_lasts_its_step_duration(
    name: str, renders: Callable[[str], Rendered]
) -> None:
    """Chapters and manifests are made from the storyboard, so each section must match it:
    never longer, at most one frame shorter (frame truncation of the final hold)."""
    rendered = renders(name)
    off = [
        (n, round(d, 3)) for n, d in _section_deviations(rendered) if not -FRAME - 1e-6 <= d <= 1e-6
    ]
    assert not off, f"sections off their storyboard duration by more than a frame: {off}"


def test_frames_change_during_the_animation(rendered: Rendered) -> None:
    v = rendered.video
    times = np.linspace(0.5, v.seconds - 0.5, 8)
    frames = [v.at(t) for t in times]
    diffs = [mean_abs_diff(a, b) for a, b in zip(frames, frames[1:], strict=False)]
    assert min(diffs) > CHANGED, f"some samples look alike: {[round(d, 3) for d in diffs]}"
    # the opening frame is not the closing one
    assert mean_abs_diff(v.frames[0], v.frames[-1]) > 1.0


def test_something_moves_in_every_section(rendered: Rendered) -> None:
    v = rendered.video
    start = 0
    still: list[str] = []
    for sec in rendered.sections():
        n = int(sec["nb_frames"])
        span = v.frames[start : start + n]
        moved = max(mean_abs_diff(span[0], f) for f in span)
        if moved <= CHANGED:
            still.append(sec["name"])
        start += n
    assert start == len(v.frames)
    assert not still, f"nothing moves in {still}"


def test_pictures_are_drawn_on_the_lesson_background(rendered: Rendered) -> None:
    v = rendered.video
    bg = background_rgb()
    for t in (v.seconds * 0.3, v.seconds * 0.6, v.seconds - FRAME):
        frame = v.at(t).astype(int)
        assert np.abs(frame[0, 0] - bg).max() <= 6, "corner is not the lesson background"
        assert gray_std(frame) > 3.0, f"blank frame at {t:.1f} s"


# -- captions and sections -----------------------------------------------------------------------
def test_srt_has_one_cue_per_step(rendered: Rendered) -> None:
    cues = rendered.cues()
    assert [c.content for c in cues] == [s.caption for s in rendered.steps]
    for c in cues:
        assert "\n" not in c.content


def test_srt_times_increase_without_overlap_and_end_with_the_video(rendered: Rendered) -> None:
    cues = rendered.cues()
    for c in cues:
        assert c.end > c.start, c
    for a, b in zip(cues, cues[1:], strict=False):
        assert b.start >= a.end, f"{a.content!r} overlaps {b.content!r}"
    assert cues[0].start.total_seconds() == pytest.approx(0, abs=FRAME)
    assert cues[-1].end.total_seconds() == pytest.approx(rendered.video.seconds, abs=FRAME)


def test_each_cue_spans_its_section(rendered: Rendered) -> None:
    """Captions line up with chapters: cue i covers section i, within a frame, no gaps."""
    t = 0.0
    for cue, sec in zip(rendered.cues(), rendered.sections(), strict=True):
        end = t + float(sec["duration"])
        assert cue.start.total_seconds() == pytest.approx(t, abs=FRAME), sec["name"]
        assert cue.end.total_seconds() == pytest.approx(end, abs=FRAME), sec["name"]
        t = end


def test_sections_json_matches_the_storyboard(rendered: Rendered) -> None:
    sections = rendered.sections()
    assert [s["name"] for s in sections] == [s.name for s in rendered.steps]
    v = rendered.video
    assert sum(int(s["nb_frames"]) for s in sections) == len(v.frames)
    assert sum(float(s["duration"]) for s in sections) == pytest.approx(v.seconds, abs=FRAME)
    folder = rendered.result.sections.parent
    for s in sections:
        assert (s["width"], s["height"]) == SIZE
        assert (folder / s["video"]).exists(), s["video"]


def test_no_tex_anywhere(rendered: Rendered, latex_log: Path) -> None:
    assert_no_tex(rendered.media_dir, latex_log)


# -- stills ------------------------------------------------------------------------------------
def test_stills_beside_the_video_are_each_sections_last_frame(rendered: Rendered) -> None:
    """With stills=True (what `preview` asks for): one PNG per section, its closing picture.

    Manim never draws an animation's alpha = 1 frame (that state first shows in the next
    frame), so a section that ends on an animation rather than a hold closes with the state
    the next section opens with: the still may match either frame.
    """
    stills = rendered.result.stills
    steps = rendered.steps
    assert [p.name for p in stills] == [f"{i:02d}-{s.name}.png" for i, s in enumerate(steps)]
    assert all(p.parent == stills_dir(rendered.job) for p in stills)
    v = rendered.video
    end = 0
    for path, sec in zip(stills, rendered.sections(), strict=True):
        end += int(sec["nb_frames"])
        png = read_png(path)
        assert png.shape == (SIZE[1], SIZE[0], 3)
        assert gray_std(png) > 3.0, f"{path.name} is blank"
        # against the decoded (lossy) video, in luma: h264 keeps it within ~1.5 per pixel
        closing = [v.frames[end - 1]] + ([v.frames[end]] if end < len(v.frames) else [])
        here = min(luma_diff(png, f) for f in closing)
        assert here < 2.0, f"{path.name} is not its section's closing picture ({here:.2f})"


@pytest.fixture(scope="module")
def square_stills_only(
    tmp_path_factory: pytest.TempPathFactory, media_dir: Path, latex_log: Path
) -> object:
    """`preview --frame`: stills only, animations skipped, into a folder of its own."""
    own = tmp_path_factory.mktemp("stills-only")
    if (media_dir / "Tex").exists():  # reuse typeset glyphs; the render itself is new
        shutil.copytree(media_dir / "Tex", own / "Tex")
    job = RenderJob(clip_spec("square"), size=SIZE, fps=FPS, media_dir=own, stills_only=True)
    result = render(job)
    assert_no_tex(own, latex_log)
    return result


def test_stills_only_gives_one_png_per_section(square_stills_only: object) -> None:
    result = square_stills_only
    steps = clip_steps(clip_spec("square"))
    assert result.video is None and result.captions is None  # type: ignore[attr-defined]
    stills = result.stills  # type: ignore[attr-defined]
    assert [p.name for p in stills] == [f"{i:02d}-{s.name}.png" for i, s in enumerate(steps)]
    assert sorted(stills[0].parent.glob("*.png")) == sorted(stills)
    assert not list((stills[0].parents[3] / "videos").glob("**/*.mp4")), "stills only: no video"
    pictures = {p.name: read_png(p) for p in stills}
    for name, png in pictures.items():
        assert png.shape == (SIZE[1], SIZE[0], 3)
        assert gray_std(png) > 3.0, f"{name} is blank"
    graph = pictures["00-graph.png"]
    i = max(i for i, s in enumerate(steps) if s.kind == "shrink")
    last_shrink = pictures[f"{i:02d}-{steps[i].name}.png"]
    assert mean_abs_diff(graph, last_shrink) > 2.0


def test_stills_only_match_the_video_stills(
    square_stills_only: object, square_render: Rendered
) -> None:
    """Skipping animations lands on the same picture at the end of every section."""
    fast_stills = square_stills_only.stills  # type: ignore[attr-defined]
    for fast, full in zip(fast_stills, square_render.result.stills, strict=True):
        assert fast.name == full.name
        assert mean_abs_diff(read_png(fast), read_png(full)) < 1.0, fast.name


# -- the cache and failure safety ---------------------------------------------------------------
def test_identical_render_is_reused(square_render: Rendered) -> None:
    files = [p for p in square_render.result.paths if p.suffix != ".png"]
    before = {p: p.stat().st_mtime_ns for p in files}
    again = render(square_render.job)
    assert again.cached is True
    assert again.video == square_render.result.video
    assert {p: p.stat().st_mtime_ns for p in files} == before


def _copy_render(rendered: Rendered, into: Path) -> RenderJob:
    """A copy of a finished render in a media folder of its own, and the job that made it."""
    slug = rendered.job.slug
    shutil.copytree(rendered.media_dir / "videos" / slug, into / "videos" / slug)
    shutil.copytree(rendered.media_dir / "Tex", into / "Tex")
    job = RenderJob(rendered.target, size=SIZE, fps=FPS, media_dir=into)
    assert render(job).cached, "the copy is a finished render"
    return job


def test_use_cache_false_renders_again(renders: Callable[[str], Rendered], tmp_path: Path) -> None:
    linear = renders("linear")
    job = _copy_render(linear, tmp_path)
    video = video_dir(job) / f"{job.slug}.mp4"
    before = video.stat().st_mtime_ns
    os.utime(video, ns=(before - 10**9, before - 10**9))  # mtime granularity must not hide it
    before = video.stat().st_mtime_ns
    result = render(
        RenderJob(linear.target, size=SIZE, fps=FPS, media_dir=tmp_path, use_cache=False)
    )
    assert result.cached is False
    assert result.video == video and video.stat().st_mtime_ns != before
    assert result.captions is not None and result.captions.read_text(encoding="utf-8") == (
        linear.result.captions.read_text(encoding="utf-8")
    )


def test_failed_render_keeps_the_good_video_and_no_staging(
    renders: Callable[[str], Rendered], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scenes.nudge import NudgeScene

    linear = renders("linear")
    job = _copy_render(linear, tmp_path)
    out = video_dir(job)
    good = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def broken(self: object) -> None:
        raise RuntimeError("boom in construct")

    monkeypatch.setattr(NudgeScene, "construct", broken)
    with pytest.raises(RuntimeError, match="boom in construct"):  # in this process: 1 job
        render(
            RenderJob(
                linear.target,
                size=SIZE,
                fps=FPS,
                media_dir=tmp_path,
                use_cache=False,
                stills=True,
                jobs=1,
            )
        )
    now = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert now == good, "a failed render touched the finished files"
    leftovers = [p for p in tmp_path.rglob("*") if p.name.startswith((".staging-", ".old-"))]
    assert not leftovers, leftovers
    monkeypatch.undo()
    assert render(job).cached, "the good render is still the one the cache hands out"
