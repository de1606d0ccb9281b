"""Shared fixtures for the rendering tests: tiny renders made once per session, and guards.

Renders are expensive, so every (target, size, fps) is rendered at most once per session
through `renders(name)` and shared by all test modules. Two session-wide guards apply to
every test:

* a stub `latex` (and friends) shadows any real one on PATH, so a scene that silently falls
  back to MathTex fails loudly instead of quietly needing a TeX install, and
* lessonkit's source fingerprint (part of the render cache key) is computed once, so that
  saving a file while the suite runs cannot turn a "cached" assertion into a flaky one.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from lessonkit.lesson.lessonfile import default_lesson
from lessonkit.lesson.spec import ClipSpec, LessonSpec, clip_spec
from lessonkit.lesson.storyboard import Step, steps_for

#: a package the tests install by hand (test_part_kinds): collecting it would put it on sys.path
collect_ignore = ["toykind"]

#: The tiny test size and frame rate: 16:9, even, and fast to encode.
SIZE = (192, 108)
FPS = 5
FRAME = 1 / FPS

LATEX_TOOLS = ("latex", "pdflatex", "xelatex", "lualatex", "dvisvgm", "dvipng")


# -- guards ----------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def latex_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The file a stub latex writes to when anything calls it (it must stay absent)."""
    return tmp_path_factory.getbasetemp() / "latex-was-called.log"


@pytest.fixture(scope="session", autouse=True)
def no_latex(tmp_path_factory: pytest.TempPathFactory, latex_log: Path) -> Iterator[Path]:
    """Shadow every TeX tool on PATH with a stub that records the call and fails."""
    stub_dir = tmp_path_factory.mktemp("no-latex-bin")
    for tool in LATEX_TOOLS:
        stub = stub_dir / tool
        stub.write_text(
            "#!/bin/sh\n"
            f'echo "{tool} $*" >> "{latex_log}"\n'
            f'echo "lessonkit tests: {tool} must not be called (typeset with MathTypst)" >&2\n'
            "exit 97\n"
        )
        stub.chmod(stub.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    mp = pytest.MonkeyPatch()
    mp.setenv("PATH", f"{stub_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    yield stub_dir
    mp.undo()


@pytest.fixture(scope="session", autouse=True)
def frozen_fingerprint() -> Iterator[str]:
    """Compute the source fingerprint once: the source does not change within one CI run."""
    import lessonkit.render.job as render_module

    value = render_module.source_fingerprint()
    mp = pytest.MonkeyPatch()
    mp.setattr(render_module, "source_fingerprint", lambda: value)
    yield value
    mp.undo()


def assert_no_tex(media_dir: Path, latex_log: Path) -> None:
    """Math was typeset with Typst: no .tex written, no TeX tool called."""
    assert not latex_log.exists(), f"a TeX tool was called: {latex_log.read_text()}"
    tex = sorted(media_dir.rglob("*.tex"))
    assert not tex, f"MathTex fallback wrote {tex[:3]}"


# -- decoding --------------------------------------------------------------------------------
@dataclass
class Video:
    """A decoded mp4: every frame as RGB, and what the container says about itself."""

    path: Path
    frames: np.ndarray  # (n, height, width, 3) uint8
    fps: float
    container_seconds: float

    @property
    def width(self) -> int:
        return int(self.frames.shape[2])

    @property
    def height(self) -> int:
        return int(self.frames.shape[1])

    @property
    def seconds(self) -> float:
        """Duration by frame count: exact, unlike container metadata."""
        return len(self.frames) / self.fps

    def at(self, t: float) -> np.ndarray:
        """The frame shown at time t (seconds)."""
        return self.frames[min(len(self.frames) - 1, max(0, int(round(t * self.fps))))]


def decode(path: Path) -> Video:
    import av

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        fps = float(stream.average_rate)
        seconds = float(container.duration or 0) / 1_000_000
        frames = np.stack([f.to_ndarray(format="rgb24") for f in container.decode(stream)])
    return Video(path, frames, fps, seconds)


def mean_abs_diff(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.abs(a.astype(np.int16) - b.astype(np.int16)).mean())


def read_png(path: Path) -> np.ndarray:
    from PIL import Image

    with Image.open(path) as im:
        return np.asarray(im.convert("RGB"))


# -- renders ---------------------------------------------------------------------------------
#: The named scenes' specs, by name, as `lessonkit render` and scenes/ build them.
TARGETS: dict[str, Callable[[], ClipSpec | LessonSpec]] = {
    "square": lambda: clip_spec("square"),
    "cube": lambda: clip_spec("cube"),
    "log": lambda: clip_spec("log"),
    "linear": lambda: clip_spec("linear"),
    "lesson": default_lesson,
}


@dataclass
class Rendered:
    """One finished tiny render: the product's result, its storyboard, and decoded files."""

    name: str
    target: ClipSpec | LessonSpec
    job: Any  # lessonkit.render.RenderJob
    result: Any  # lessonkit.render.RenderResult
    steps: list[Step]
    media_dir: Path
    _video: Video | None = field(default=None, repr=False)

    @property
    def video(self) -> Video:
        if self._video is None:
            assert self.result.video is not None
            self._video = decode(self.result.video)
        return self._video

    def cues(self) -> list[Any]:
        import srt

        assert self.result.captions is not None, "no .srt written beside the video"
        return list(srt.parse(self.result.captions.read_text(encoding="utf-8")))

    def sections(self) -> list[dict[str, Any]]:
        assert self.result.sections is not None, "no sections JSON written"
        data = json.loads(self.result.sections.read_text(encoding="utf-8"))
        assert isinstance(data, list)
        return data


@pytest.fixture(scope="session")
def media_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One media folder for all session renders (Typst glyphs are cached across them)."""
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="session")
def renders(media_dir: Path, latex_log: Path) -> Callable[[str], Rendered]:
    """`renders(name)`: the tiny render of a named target, made on first use, then shared."""
    from lessonkit.render import RenderJob, render

    done: dict[str, Rendered] = {}

    def get(name: str) -> Rendered:
        if name not in done:
            target = TARGETS[name]()
            # stills=True: one PNG per section beside the video, as `lessonkit preview` makes
            job = RenderJob(target, size=SIZE, fps=FPS, media_dir=media_dir, stills=True)
            result = render(job)
            assert not result.cached, "a fresh media folder cannot hold a cached render"
            assert_no_tex(media_dir, latex_log)
            done[name] = Rendered(name, target, job, result, steps_for(target), media_dir)
        return done[name]

    return get


@pytest.fixture(scope="session")
def square_render(renders: Callable[[str], Rendered]) -> Rendered:
    """a² at 2 and 5, the default clip (`lessonkit render square`), at 192x108, 5 fps."""
    return renders("square")


@pytest.fixture(scope="session")
def lesson_render(renders: Callable[[str], Rendered]) -> Rendered:
    """The full lesson `MoreDerivativeExamples` at 192x108, 5 fps."""
    return renders("lesson")


@pytest.fixture(scope="session")
def web_render(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The tiny square-clip render (with stills) that every web test module shares."""
    from lessonkit.lesson.spec import QUALITIES
    from lessonkit.render import RenderJob, render

    media = tmp_path_factory.getbasetemp() / "web-render"
    job = RenderJob(clip_spec("square"), QUALITIES["preview"], FPS, media, "mp4", stills=True,
                    size=SIZE)
    return render(job)


@pytest.fixture(scope="module")
def bundle(web_render: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The shared render exported into this module's own media folder."""
    from lessonkit.web.bundle import write_bundle

    return write_bundle(web_render, root=tmp_path_factory.mktemp("media") / "web")


def lessonkit_executable() -> str:
    """The installed `lessonkit` console script (beside this Python, else on PATH)."""
    beside = Path(sys.executable).parent / "lessonkit"
    if beside.exists():
        return str(beside)
    found = shutil.which("lessonkit")
    assert found, "the lessonkit console script is not installed (pip install -e '.[test]')"
    return found


# -- the browser -----------------------------------------------------------------------------
CHROMIUM = Path("/usr/bin/chromium")
# what works on these machines: no sandbox as root, no GPU, no background network traffic
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's headless Chromium driven by Playwright, one per test module."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: the project's setup installs Debian's chromium "
                    "(apt-get install chromium); browser tests must not be skipped")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("the playwright package is missing: pip install -e '.[test]'")
    with sync_playwright() as p:
        # Playwright gives every launch a fresh, empty profile (its own --user-data-dir)
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
