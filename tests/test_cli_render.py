"""`lessonkit render` and `lessonkit preview` end to end, through click's CliRunner and once as
the installed console script. Real renders are tiny (192x108 or 128x72, 5 fps)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import FPS, decode, read_png

from lessonkit.cli import cli
from lessonkit.lesson.spec import clip_spec
from lessonkit.parts.nudge.steps import clip_steps

BIN = Path(sys.executable).parent
TINY = ["--size", "192x108"]
SPEC_ARGS = ["square", "--at", "2", "--nudges", "1,0.01"]
SLUG = "square-a2-n1_0p01"


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def no_traceback(result: Result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.output


@pytest.fixture(scope="module")
def rendered_cli(tmp_path_factory: pytest.TempPathFactory) -> tuple[Result, Path]:
    out = tmp_path_factory.mktemp("cli-media")
    result = invoke("render", *SPEC_ARGS, *TINY, "--fps", str(FPS), "--output-dir", str(out))
    return result, out


@pytest.mark.slow
def test_render_prints_the_paths_it_wrote(rendered_cli: tuple[Result, Path]) -> None:
    result, out = rendered_cli
    no_traceback(result)
    assert result.exit_code == 0, result.output
    folder = out / "videos" / SLUG / f"108p{FPS}"
    paths = [Path(line) for line in result.stdout.splitlines() if line.strip()]
    assert folder / f"{SLUG}.mp4" in paths
    assert folder / f"{SLUG}.srt" in paths
    assert folder / "sections" / f"{SLUG}.json" in paths
    for p in paths:
        assert p.exists(), p
        assert folder in p.parents, p
    assert f"rendering {SLUG} at 108p{FPS}" in result.stderr
    video = decode(folder / f"{SLUG}.mp4")
    assert (video.width, video.height) == (192, 108)
    steps = clip_steps(clip_spec("square", ["2"], ["1", "0.01"]))
    srt = (folder / f"{SLUG}.srt").read_text(encoding="utf-8")
    assert srt.count(" --> ") == len(steps)
    assert "Shrink the nudge to Δa = 0.01: now Δf/Δa = 4.01." in srt


@pytest.mark.slow
def test_render_again_reuses_the_identical_render(rendered_cli: tuple[Result, Path]) -> None:
    first, out = rendered_cli
    assert first.exit_code == 0
    again = invoke("render", *SPEC_ARGS, *TINY, "--fps", str(FPS), "--output-dir", str(out))
    assert again.exit_code == 0, again.output
    assert f"reused identical render {SLUG}" in again.stderr
    assert again.stdout == first.stdout


@pytest.mark.slow
def test_preview_frame_writes_one_still_per_section(tmp_path: Path) -> None:
    result = invoke("preview", *SPEC_ARGS, "--frame", *TINY, "--output-dir", str(tmp_path))
    no_traceback(result)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    steps = clip_steps(clip_spec("square", ["2"], ["1", "0.01"]))
    stills_lines = [ln for ln in lines if ln.startswith("stills:")]
    assert len(stills_lines) == 1, lines
    folder = Path(stills_lines[0].split()[1].rstrip("/"))
    assert folder == tmp_path / "stills" / SLUG / "108p15"  # preview runs at 15 fps
    assert stills_lines[0].endswith(f"({len(steps)} PNG)")
    pngs = sorted(folder.glob("*.png"))
    assert [p.name for p in pngs] == [f"{i:02d}-{s.name}.png" for i, s in enumerate(steps)]
    assert all(read_png(p).shape == (108, 192, 3) for p in pngs)
    assert not any(ln.startswith("clip:") for ln in lines), "--frame makes no clip"
    assert lines[-1].startswith("done in ") and lines[-1].endswith(" s")
    float(lines[-1].removeprefix("done in ").removesuffix(" s"))


BAD = [
    (["render", "log", "--at", "-1"], "outside its domain"),
    (["render", "--lesson", "square"], "--lesson"),
    (["render", "square", "--size", "5x5"], "--size"),
    (["render", "square", "--size", "193x108"], "--size"),
    (["render", "square", "--size", "big"], "--size"),
    (["render", "square", "--quality", "8k"], "--quality"),
    (["render", "square", "--nudges", "0.1,1"], "shrink"),
    (["render", "sqare"], "did you mean 'square'"),
    (["preview", "log", "--at", "0"], "outside its domain"),
    (["preview", "--at", "2"], "FUNCTION"),
]


@pytest.mark.parametrize("args, hint", BAD, ids=[" ".join(a) for a, _ in BAD])
def test_bad_input_is_one_error_line(args: list[str], hint: str, tmp_path: Path) -> None:
    result = invoke(*args, "--output-dir", str(tmp_path))
    no_traceback(result)
    assert result.exit_code != 0
    errors = [ln for ln in result.output.splitlines() if ln.startswith("Error:")]
    assert len(errors) == 1, result.output
    assert hint in errors[0], errors[0]
    assert not list(tmp_path.rglob("*.mp4")), "nothing is rendered for bad input"


def test_a_failing_render_is_one_error_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scenes.nudge import NudgeScene

    def broken(self: object) -> None:
        raise RuntimeError("boom in construct")

    monkeypatch.setattr(NudgeScene, "construct", broken)
    result = invoke(
        "render", "linear", *TINY, "--fps", str(FPS), "--output-dir", str(tmp_path), "-j", "1"
    )
    no_traceback(result)
    assert result.exit_code == 1
    errors = [ln for ln in result.output.splitlines() if ln.startswith("Error:")]
    assert errors == ["Error: rendering linear-a2 failed: RuntimeError: boom in construct"]


@pytest.mark.slow
def test_console_script_renders(tmp_path: Path) -> None:
    """The installed `lessonkit` executable, as a user runs it."""
    exe = BIN / "lessonkit"
    assert exe.exists(), "the lessonkit console script is not installed (pip install -e .)"
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "LESSONKIT_PROGRESS": "0"}
    proc = subprocess.run(
        [
            str(exe),
            "render",
            "linear",
            "--nudges",
            "1",
            "--size",
            "128x72",
            "--fps",
            "5",
            "--output-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env=env,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr
    paths = [Path(ln) for ln in proc.stdout.splitlines() if ln.strip()]
    folder = tmp_path / "videos" / "linear-a2-n1" / "72p5"
    assert folder / "linear-a2-n1.mp4" in paths
    assert all(p.exists() for p in paths)
    video = decode(folder / "linear-a2-n1.mp4")
    assert (video.width, video.height) == (128, 72)
    steps = clip_steps(clip_spec("linear", ["2"], ["1"]))
    assert abs(video.seconds - sum(s.duration for s in steps)) <= len(steps) * 0.2 + 1e-6
