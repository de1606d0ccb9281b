"""Faults as a user meets them, each reproduced with real lessonkit processes: concurrent
renders into one media folder, damaged cached renders, a full disk, Ctrl-C and kill -9 in
the middle of a render and of an export, and hostile numbers and sizes.

What must hold every time: one line on stderr saying what happened, a non-zero exit, no
traceback, nothing half-written where a good file was, and the next run cleans up.
"""

from __future__ import annotations

import hashlib
import json
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import decode, lessonkit_executable

from lessonkit.cli import cli

TINY = ["--size", "64x36", "--fps", "4"]


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [lessonkit_executable(), *args], capture_output=True, text=True, timeout=300, cwd=cwd
    )


def start(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [lessonkit_executable(), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def one_clean_error(stderr: str) -> str:
    """The Error line, after checking it is the only trouble stderr shows."""
    assert "Traceback" not in stderr and "ERROR" not in stderr, stderr
    errors = [line for line in stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, stderr
    assert len(errors[0]) < 400
    return errors[0]


def interrupted(proc: subprocess.Popen[str], stderr: str, finished: str) -> None:
    """Ctrl-C in the middle of the work: exit 1 and the one line "Error: interrupted".
    A Ctrl-C that lands once the work is done (the process already said `finished`) may
    still end the process, but never with a traceback or an error message."""
    assert "Traceback" not in stderr, stderr
    if finished in stderr:
        assert not [line for line in stderr.splitlines() if line.startswith("Error:")], stderr
        return
    if proc.returncode != 0:
        assert proc.returncode == 1, stderr
        assert one_clean_error(stderr) == "Error: interrupted"


def video_of(media: Path, slug: str = "square-a2-a5", folder: str = "36p4") -> Path:
    return media / "videos" / slug / folder / f"{slug}.mp4"


# -- several processes at once ---------------------------------------------------------
@pytest.mark.slow
def test_concurrent_renders_into_one_media_folder_all_finish(tmp_path: Path) -> None:
    """Two renders of one clip take turns; a third clip drawing the same glyphs and a
    storyboard run beside them: every process ends well with a whole, decodable video."""
    media = str(tmp_path / "media")
    procs = [
        start("render", "square", *TINY, "--output-dir", media),
        start("render", "square", *TINY, "--output-dir", media),
        start("render", "cube", *TINY, "--output-dir", media),
        start("preview", "log", "--frame", "--size", "64x36", "--output-dir", media),
    ]
    outs = [p.communicate(timeout=300) for p in procs]
    for p, (_, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, err
        assert "Traceback" not in err
    # the two renders of one clip took turns: one waited (or, had it come late, reused)
    square = [e for _, e in outs[:2]]
    assert any(
        "waiting for another lessonkit process writing square-a2-a5" in e for e in square
    ) or any("reused identical render" in e for e in square)
    for slug in ("square-a2-a5", "cube-a2"):
        assert len(decode(video_of(tmp_path / "media", slug)).frames) > 10
    tex = tmp_path / "media" / "Tex"
    assert all(p.suffix == ".svg" and p.stat().st_size > 0 for p in tex.iterdir())


# -- the render cache ----------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize("damage", ["truncate", "empty", "scribble"])
def test_a_damaged_cached_render_is_rendered_again(tmp_path: Path, damage: str) -> None:
    media = str(tmp_path / "media")
    assert run("render", "square", *TINY, "--output-dir", media).returncode == 0
    video = video_of(tmp_path / "media")
    frames = len(decode(video).frames)
    data = video.read_bytes()
    if damage == "truncate":
        video.write_bytes(data[: len(data) // 3])
    elif damage == "empty":
        video.write_bytes(b"")
    else:
        video.write_bytes(data[:100] + bytes(len(data) - 100))
    again = run("render", "square", *TINY, "--output-dir", media)
    assert again.returncode == 0, again.stderr
    assert "the cached render of square-a2-a5 is damaged" in again.stderr
    assert "reused" not in again.stderr
    assert len(decode(video).frames) == frames
    third = run("render", "square", *TINY, "--output-dir", media)
    assert "reused identical render" in third.stderr


# -- a full disk ---------------------------------------------------------------------------
@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 200 kB tmpfs (root only: skipped where mounting is not allowed)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=200k", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


@pytest.mark.slow
def test_a_full_disk_says_so_in_one_line_and_poisons_nothing(small_disk: Path) -> None:
    media = str(small_disk / "media")
    full = run("render", "square", "--size", "192x108", "--fps", "10", "--output-dir", media)
    assert full.returncode == 1
    assert "out of disk space" in one_clean_error(full.stderr)
    assert not any(
        p.is_file() and p.stat().st_size == 0 for p in (small_disk / "media").rglob("*.svg")
    )
    assert not video_of(small_disk / "media", folder="108p10").exists()
    # space freed: the same render now works, with no damaged cache entry in its way
    subprocess.run(["mount", "-o", "remount,size=30m", str(small_disk)], check=True)
    ok = run("render", "square", "--size", "192x108", "--fps", "10", "--output-dir", media)
    assert ok.returncode == 0, ok.stderr
    assert len(decode(video_of(small_disk / "media", folder="108p10")).frames) > 50
    assert not [p for p in (small_disk / "media").rglob(".partial-*")]


@pytest.mark.slow
def test_a_folder_that_cannot_be_written_says_so(tmp_path: Path) -> None:
    target = tmp_path / "not-a-folder"
    target.write_text("a file where the media folder should be")
    failed = run("render", "square", *TINY, "--output-dir", str(target / "media"))
    assert failed.returncode == 1
    one_clean_error(failed.stderr)


# -- interrupted and killed ------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["ctrl-c", "kill-9"])
@pytest.mark.parametrize("after", [1.5, 4.0])
def test_a_render_stopped_midway_leaves_the_good_video(
    tmp_path: Path, sig: signal.Signals, after: float
) -> None:
    media = str(tmp_path / "media")
    args = ("render", "square", "--size", "128x72", "--fps", "10", "--output-dir", media)
    assert run(*args).returncode == 0
    video = video_of(tmp_path / "media", folder="72p10")
    good, frames = sha(video), len(decode(video).frames)
    proc = start(*args, "--force")
    time.sleep(after)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=120)
    # whatever the moment: the old video, or (once the new one was moved in) the new one,
    # whole either way; a stop before the move leaves the old file byte for byte
    assert len(decode(video).frames) == frames
    staged = [p for p in video.parent.parent.iterdir() if ".staging-" in p.name]
    if proc.returncode != 0 and staged:  # stopped while rendering: nothing was moved
        assert sha(video) == good
    stamp = video.parent / f".{video.stem}.mp4.key"
    if stamp.exists():  # a key file present always vouches for the video beside it
        assert json.loads(stamp.read_text())["sha256"] == sha(video)
    if sig == signal.SIGINT:
        interrupted(proc, err, finished="rendered square-a2-a5")
    # the next run removes what a killed one left and reuses or remakes a whole video
    again = run(*args)
    assert again.returncode == 0, again.stderr
    left = [
        p.name
        for p in (tmp_path / "media").rglob(".*")
        if ".staging-" in p.name or ".partial-" in p.name
    ]
    assert left == []
    assert len(decode(video).frames) > 50


def _bundle_is_whole(folder: Path) -> None:
    from lessonkit.web.manifest import file_problems, read_manifest

    manifest = read_manifest(folder / "manifest.json")
    assert file_problems(folder, manifest) == []
    names = {f["name"] for f in manifest["files"]} | {"manifest.json"}
    assert {p.name for p in folder.iterdir()} == names


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["ctrl-c", "kill-9"])
def test_an_export_stopped_midway_leaves_the_old_bundle_whole(
    tmp_path: Path, sig: signal.Signals
) -> None:
    media = str(tmp_path / "media")
    args = ("export", "square", "--size", "192x108", "--fps", "10", "--output-dir", media)
    assert run(*args).returncode == 0
    folder = tmp_path / "media" / "web" / "square-a2-a5"
    _bundle_is_whole(folder)
    before = {p.name: sha(p) for p in folder.iterdir()}
    # the render is cached, so the signal lands in the bundle's encoding and writing
    for after in (0.8, 2.0, 3.5):
        proc = start(*args, "--gif-mb", "0.5")
        time.sleep(after)
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=120)
        _bundle_is_whole(folder)  # the old bundle or the new one, never a mix
        now = {p.name: sha(p) for p in folder.iterdir()}
        if sig == signal.SIGINT:
            interrupted(proc, err, finished="exported ")
        if now != before:
            # only a finished swap changes the bundle: a signal after it still exits 1
            assert now.keys() == before.keys()
            before = now
    site = run("site", "--output-dir", media)
    assert site.returncode == 0, site.stderr
    assert "square-a2-a5" in (tmp_path / "media" / "web" / "index.html").read_text()
    assert run(*args).returncode == 0
    assert [p for p in folder.parent.iterdir() if ".staging-" in p.name] == []


# -- hostile input ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["table", "square", "--at", "1" * 5000], "at most 30 significant digits"),
        (["table", "square", "--at", "1__0"], "must be a decimal number"),
        (["table", "square", "--at", "_1"], "must be a decimal number"),
        (["table", "square", "--at", "1_000"], "must be a decimal number"),
        (["table", "square", "--at", "0." + "1" * 40], "more than 30 significant digits"),
        (["render", "square", "--size", "64x36\n"], "--size must look like 1280x720"),
        (["render", "square", "--size", "64 x 36"], "--size must look like 1280x720"),
        (["render", "square", "--size", "99999999x36"], "--size must look like 1280x720"),
    ],
)
def test_hostile_numbers_get_one_line(args: list[str], says: str) -> None:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and says in lines[0] and len(lines[0]) < 300, result.output


def test_long_inputs_make_short_slugs() -> None:
    from lessonkit.lesson.spec import clip_spec

    points = [f"{i}.{'3' * 15}" for i in range(1, 21)]
    nudges = ["1"] + [f"0.{'0' * k}1" for k in range(11)]
    spec = clip_spec("square", points, nudges)
    assert len(spec.slug) <= 80
    assert spec.slug.startswith("square-a1p333")
    other = clip_spec("square", points[:-1], nudges)
    assert other.slug != spec.slug


@pytest.mark.slow
def test_a_tiny_valid_point_renders(tmp_path: Path) -> None:
    """log a at a = 1e-9 is inside the domain: the render agrees with `table`."""
    media = str(tmp_path / "media")
    done = run("render", "log", "--at", "1e-9", *TINY, "--output-dir", media)
    assert done.returncode == 0, done.stderr
    assert run("table", "log", "--at", "1e-9").returncode == 0


# -- Manim's version and lessonkit's patches -------------------------------------------------
def test_another_manim_minor_version_is_refused_in_one_line() -> None:
    from lessonkit.base.errors import LessonError
    from lessonkit.draw.manim_compat import TESTED_MANIM, check_manim_version

    check_manim_version(TESTED_MANIM + ".7")
    with pytest.raises(LessonError, match=r"lessonkit draws with Manim 0\.22\.x.*0\.23\.1"):
        check_manim_version("0.23.1")


def test_the_private_svg_parse_draws_what_manim_draws(tmp_path: Path) -> None:
    """The patched SVGMobject.generate_mobject gives the same points as Manim's own."""
    import numpy as np
    from manim import SVGMobject, tempconfig

    from lessonkit.draw import manim_compat

    original = manim_compat._original_generate_mobject
    with tempconfig({"media_dir": str(tmp_path)}):
        from manim import MathTypst

        mob = MathTypst("f'(a) = 3a^2 - sqrt(a)")
        svg = Path(mob.file_name)
        ours = SVGMobject(svg)
        SVGMobject.generate_mobject = original  # type: ignore[method-assign]
        try:
            theirs = SVGMobject(svg)
        finally:
            SVGMobject.generate_mobject = manim_compat.generate_mobject_privately  # type: ignore[method-assign]
    assert np.allclose(ours.get_all_points(), theirs.get_all_points())
    assert len(ours.family_members_with_points()) == len(theirs.family_members_with_points())
    assert not list(svg.parent.glob("*_.svg"))


def test_a_damaged_svg_cache_entry_is_compiled_again(tmp_path: Path) -> None:
    """An empty or cut-short SVG in Manim's cache (a full disk once left one) is compiled
    again instead of breaking every later render that needs it."""
    from manim import tempconfig

    from lessonkit.draw.manim_compat import atomic_typst_to_svg_file

    code = "x^2 + " + str(uuid.uuid4().int)[:6]
    with tempconfig({"media_dir": str(tmp_path)}):
        svg = atomic_typst_to_svg_file(f"$ {code} $")
        whole = svg.read_bytes()
        for damage in (b"", whole[: len(whole) // 2]):
            svg.write_bytes(damage)
            assert atomic_typst_to_svg_file(f"$ {code} $") == svg
            assert svg.read_bytes() == whole
    assert [p.name for p in svg.parent.iterdir()] == [svg.name]  # no temporary files left
