"""The computation-graph lesson rendered for real: stills through `preview --frame`, and an
export whose chapters and captions (English and Korean) carry the lecture's numbers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

from lessonkit.cli import cli
from lessonkit.draw import palette

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
LECTURE = str(ROOT / "lessons" / "computation-graph.toml")


def near(pixels: np.ndarray, colour: str, tolerance: int = 60) -> np.ndarray:
    rgb = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)])
    return np.abs(pixels.astype(int) - rgb).sum(axis=2) < tolerance


def test_stills_show_the_boxes_and_the_chain_rule(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["preview", LECTURE, "--frame", "--size", "640x360", "--output-dir", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    shots = {p.stem.split("-", 1)[1]: p for p in sorted(tmp_path.glob("stills/**/*.png"))}
    assert len(shots) == 14 and "graph-chain-b" in shots
    build = np.asarray(Image.open(shots["graph-build"]).convert("RGB"))
    # three input boxes outlined in the point colour, on the left third of the frame
    inputs = near(build, palette.POINT)
    assert inputs[:, :213].sum() > 300 and inputs[:, 320:].sum() < 50
    chain = np.asarray(Image.open(shots["graph-chain-b"]).convert("RGB"))
    # the local derivative on the edge b -> u and dJ/db in b's box, in the slope colour
    assert near(chain, palette.SLOPE, tolerance=120)[:250].sum() > 40
    # the chain-rule product in the strip under the graph
    assert (chain[270:].astype(int).sum(axis=2) > 400).sum() > 200


def test_export_has_chapters_and_captions_in_both_languages(tmp_path: Path) -> None:
    args = ["export", LECTURE, "--size", "192x108", "--fps", "5", "--voice", "none"]
    result = CliRunner().invoke(cli, [*args, "--output-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    (bundle,) = [d for d in (tmp_path / "web").iterdir() if d.is_dir()]
    chapters = (bundle / "chapters.vtt").read_text(encoding="utf-8")
    assert "J = 3(a + bc): Nudge b: ΔJ/Δb = 6" in chapters
    assert "J = 3(a + bc): Chain rule: dJ/dc = 9" in chapters
    english = (bundle / "captions.en.vtt").read_text(encoding="utf-8")
    assert "Nudge v from 11 to 11.001: J moves from 33 to 33.003, so ΔJ/Δv = 3." in english
    korean = (bundle / "captions.ko.vtt").read_text(encoding="utf-8")
    assert "v를 11에서 11.001로" in korean and "dJ/db = dJ/du · ∂u/∂b = 3 · 2 = 6" in korean


def test_two_jobs_render_the_same_video_as_one(tmp_path: Path) -> None:
    """Graph steps go through the step cache and the job split like any part's."""
    import av

    frames = []
    for jobs in ("1", "2"):
        out = tmp_path / f"j{jobs}"
        args = ["render", LECTURE, "--size", "128x72", "--fps", "4", "--voice", "none"]
        result = CliRunner().invoke(cli, [*args, "--jobs", jobs, "--output-dir", str(out)])
        assert result.exit_code == 0, result.output
        (video,) = [v for v in out.glob("videos/*/*/*.mp4") if v.stem == v.parents[1].name]
        with av.open(str(video)) as container:
            frames.append(
                [f.to_ndarray(format="gray").astype(int) for f in container.decode(video=0)]
            )
    one, two = frames
    assert len(one) == len(two) > 200
    # the same pictures, frame by frame, up to the encoder's rounding
    assert max(float(np.abs(a - b).mean()) for a, b in zip(one, two, strict=True)) < 2.0
