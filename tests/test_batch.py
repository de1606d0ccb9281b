"""`lessonkit batch`: a course file rendered step by step on a real Dask LocalCluster.

What must hold: every video of the course is whole and shows what a serial render shows,
even when a worker is killed midway; a second run renders nothing; a bad target fails alone
with a one-line reason and a non-zero exit; a bad course file is one line naming the file.
The cluster tests share one 2-worker cluster and one tiny course (64x36 at 4 fps).
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
from collections.abc import Iterator
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import decode, lessonkit_executable, mean_abs_diff

from lessonkit.base.errors import LessonError
from lessonkit.batch.course import load_course, parse_course
from lessonkit.cli import cli

TINY_LESSON = """\
title = "Tiny"
title_card = false

[[part]]
function = "square"
points = [2]
nudges = [1]
"""

COURSE = """\
title = "Tiny course"
qualities = ["preview"]
voice = "none"
export = true
size = "64x36"
fps = 4

[[lesson]]
file = "tiny.toml"

[[clip]]
function = "linear"
at = [2]
nudges = "1"
"""


def write_course(folder: Path, text: str = COURSE, name: str = "course.toml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "tiny.toml").write_text(TINY_LESSON, encoding="utf-8")
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- course files (no cluster) ---------------------------------------------------------------
def test_duplicate_outputs_are_refused(tmp_path: Path) -> None:
    text = COURSE.replace('qualities = ["preview"]', 'qualities = ["preview", "draft"]')
    with pytest.raises(LessonError, match=r"course\.toml:8: lesson 1: tiny \[en\] 36p4 mp4 is"):
        load_course(write_course(tmp_path, text), tmp_path / "media")


def test_course_targets_and_export_sources(tmp_path: Path) -> None:
    text = (
        'qualities = ["preview", "production"]\nformats = ["mp4", "webm"]\n'
        'voice = "none"\nexport = true\n'
        '[[clip]]\nfunction = "cube"\nat = ["2"]\nnudges = "1,0.1"\nlanguages = ["en", "ko"]\n'
    )
    course = load_course(write_course(tmp_path, text), tmp_path / "media")
    assert [t.name for t in course.targets] == [
        f"cube-a2-n1_0p1 [{lang}] {q} {f}"
        for lang in ("en", "ko")
        for q in ("480p15", "1080p60")
        for f in ("mp4", "webm")
    ]
    assert course.title == "course"  # the file's name when the course has no title
    assert all(t.job.media_dir.is_absolute() for t in course.targets)
    best = course.export_targets()
    assert {s: t.name for s, t in best.items()} == {
        "cube-a2-n1_0p1": "cube-a2-n1_0p1 [en] 1080p60 mp4",
        "cube-a2-n1_0p1-ko": "cube-a2-n1_0p1 [ko] 1080p60 mp4",
    }


@pytest.mark.parametrize(
    ("text", "says"),
    [
        (
            "titel = 'x'\n",
            "course.toml:1: titel: unknown top-level key 'titel'; did you mean 'title'?",
        ),
        (
            "qualities = ['preveiw']\n[[clip]]\nfunction = 'square'\n",
            "course.toml:1: qualities: did you mean 'preview'? choose from preview, draft, "
            "production, 4k, got 'preveiw'",
        ),
        ("[[clip]]\nfunction = 'square'\nformats = ['gif']\n", "course.toml:3: clip 1, formats:"),
        ("[[lesson]]\nfile = 'nope.toml'\n", "course.toml:2: lesson 1, file: no such lesson file"),
        ("[[clip]]\nfunction = 'log'\nat = [0]\n", "course.toml:1: clip 1: "),
        ("[[clip]]\nfunction = 'square'\nsize = '1x1'\n", "course.toml:3: clip 1, size: unknown"),
        ("size = '65x36'\n[[clip]]\nfunction = 'square'\n", "course.toml:1: size: needs even"),
        ("title = 'x\n", "course.toml:1: not valid TOML: "),
        ("title = 'x'\n", "course.toml:1: a course needs at least one [[lesson]] or [[clip]]"),
        (
            "export = true\nformats = ['webm']\n[[clip]]\nfunction = 'square'\n",
            "course.toml:3: clip 1: export makes web bundles from MP4",
        ),
    ],
)
def test_course_file_errors_are_one_line_with_file_and_line(
    tmp_path: Path, text: str, says: str
) -> None:
    path = tmp_path / "course.toml"
    with pytest.raises(LessonError) as info:
        parse_course(text, path, tmp_path / "media")
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"{tmp_path}/"), message
    assert message.removeprefix(f"{tmp_path}/").startswith(says), message


def test_a_bad_lesson_file_is_reported_through_the_course(tmp_path: Path) -> None:
    (tmp_path / "bad.toml").write_text('title = "T"\n[[part]]\nfunction = "log"\npoints = [0]\n')
    course = tmp_path / "course.toml"
    course.write_text('voice = "none"\n\n[[lesson]]\nfile = "bad.toml"\n')
    with pytest.raises(LessonError) as info:
        load_course(course)
    message = str(info.value)
    assert message.startswith(f"{course}:4: lesson 1, file: {tmp_path / 'bad.toml'}:4: "), message


def test_the_cli_says_a_course_error_in_one_line(tmp_path: Path) -> None:
    path = write_course(tmp_path, COURSE.replace("fps = 4", "fps = 0"))
    result = CliRunner().invoke(cli, ["batch", str(path), "--output-dir", str(tmp_path / "m")])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"Error: {path}:6: fps: a whole number of frames per second, 1 to 120, got 0"
    )
    missing = CliRunner().invoke(cli, ["batch", str(tmp_path / "nope.toml")])
    assert missing.exit_code == 1
    assert missing.stderr.strip() == f"Error: {tmp_path / 'nope.toml'}: no such course file"


def test_the_installed_command_says_a_course_error_in_one_line(tmp_path: Path) -> None:
    path = write_course(tmp_path, COURSE + "\n[[clip]]\nfunction = 'cube'\nqualitys = ['4k']\n")
    proc = subprocess.run(
        [lessonkit_executable(), "batch", str(path), "--output-dir", str(tmp_path / "m")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip() == (
        f"Error: {path}:18: clip 2, qualitys: unknown key 'qualitys'; did you mean 'qualities'?"
    )
    assert not (tmp_path / "m").exists()


# -- on a cluster ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    """One LocalCluster of 2 single-threaded worker processes for the module."""
    from lessonkit.batch import open_client

    with open_client(None, 2) as c:
        yield c


@pytest.fixture(scope="module")
def first_run(client: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The tiny course rendered on the cluster, with a worker killed after the first task."""
    from lessonkit.batch import run_course

    folder = tmp_path_factory.mktemp("course")
    media = folder / "media"
    course = load_course(write_course(folder), media)
    killed: list[int] = []

    def kill_one(c: Any, done: int) -> None:
        if done != 1:
            return
        busy = [w for w, keys in c.processing().items() if keys]
        pids = c.run(os.getpid)
        victim = busy[0] if busy else sorted(pids)[0]
        os.kill(pids[victim], signal.SIGKILL)
        killed.append(pids[victim])

    lines: list[str] = []
    report = run_course(course, client, say=lines.append, live=False, after_task=kill_one)
    return {"course": course, "report": report, "killed": killed, "media": media, "lines": lines}


@pytest.mark.slow
def test_a_course_is_made_whole_though_a_worker_was_killed(
    first_run: dict[str, Any], tmp_path: Path
) -> None:
    from lessonkit.render import RenderJob, render

    report = first_run["report"]
    assert first_run["killed"], "no worker was killed"
    assert [(r.name, r.status, r.reason) for r in report.runs] == [
        ("tiny [en] 36p4 mp4", "made", None),
        ("linear-a2-n1 [en] 36p4 mp4", "made", None),
    ]
    assert any(line.startswith("made tiny [en] 36p4 mp4") for line in first_run["lines"])
    for run in report.runs:
        assert len(run.missing) == len(run.steps) > 0  # one task per step, all rendered
        job = run.target.job
        video = job.media_dir / "videos" / job.slug / "36p4" / f"{job.slug}.mp4"
        sections = json.loads(video.with_name("sections").joinpath(f"{job.slug}.json").read_text())
        batch = decode(video)
        assert len(batch.frames) == sum(int(s["nb_frames"]) for s in sections)
        # the same video as one process rendering the steps in order
        serial = render(RenderJob(job.target, size=(64, 36), fps=4, media_dir=tmp_path, jobs=1))
        assert serial.video is not None
        alone = decode(serial.video)
        assert len(alone.frames) == len(batch.frames)
        worst = max(mean_abs_diff(a, b) for a, b in zip(alone.frames, batch.frames, strict=True))
        assert worst < 1.0, f"{run.name}: a frame differs by {worst:.2f} levels on average"
        assert str(video) in run.files
    # web bundles for both and the gallery
    media = first_run["media"]
    assert report.gallery == str(media / "web" / "index.html")
    for slug in ("tiny", "linear-a2-n1"):
        assert (media / "web" / slug / "manifest.json").is_file()
    saved = json.loads((media / "web" / "tiny" / "manifest.json").read_text())
    assert saved["frames"] == len(decode(media / "videos" / "tiny" / "36p4" / "tiny.mp4").frames)
    data = report.to_json()
    assert data["totals"]["tasks"] == data["totals"]["steps"] == 11
    assert data["totals"]["bytes"]["step_files_written"] > 0
    assert data["workers"] == 2 and data["scheduler"].startswith("tcp://")


@pytest.mark.slow
def test_a_second_run_renders_nothing(first_run: dict[str, Any], client: Any) -> None:
    from lessonkit.batch import run_course

    media = first_run["media"]
    videos = sorted((media / "videos").rglob("*.mp4"))
    before = {v: sha(v) for v in videos}
    report = run_course(first_run["course"], client, live=False)
    data = report.to_json()
    assert data["totals"]["steps_rendered"] == 0 and data["totals"]["tasks"] == 0
    assert data["totals"]["cached"] == 2 and not report.failed
    assert all(t["status"] == "cached" and t["steps"]["rendered"] == 0 for t in data["targets"])
    assert all(not r.exported for r in report.runs)  # their bundles are up to date
    assert {v: sha(v) for v in videos} == before


@pytest.mark.slow
def test_a_bad_target_fails_alone_and_the_batch_says_so(
    client: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two bad targets: one fails when planned (its recordings folder is missing), one in
    its tasks on the workers (its step cache cannot be made: a file is in the way)."""
    import lessonkit.batch as batch_module
    from lessonkit.lesson.spec import clip_spec

    text = COURSE.replace("export = true\n", "") + (
        '\n[[lesson]]\nfile = "tiny2.toml"\nvoice = "./no-recordings/"\n'
        '\n[[clip]]\nfunction = "cube"\nat = [1]\nnudges = "1"\n'
    )
    path = write_course(tmp_path, text)
    (tmp_path / "tiny2.toml").write_text(TINY_LESSON)
    media = tmp_path / "media"
    blocked = clip_spec("cube", ["1"], ["1"]).slug
    (media / "cache" / "steps").mkdir(parents=True)
    (media / "cache" / "steps" / blocked).write_text("in the way")
    monkeypatch.setattr(batch_module, "open_client", lambda *_: nullcontext(client))
    monkeypatch.setenv("LESSONKIT_PROGRESS", "0")
    result = CliRunner().invoke(
        cli, ["batch", str(path), "--output-dir", str(media), "--report", str(tmp_path / "r.json")]
    )
    assert result.exit_code == 1, result.output
    err = result.stderr
    assert "Traceback" not in err
    failed = [line for line in err.splitlines() if line.startswith("failed: ")]
    assert len(failed) == 2, err
    assert failed[0].startswith("failed: tiny2 [en] 36p4 mp4: ") and "no-recordings" in failed[0]
    assert failed[1].startswith(f"failed: {blocked} [en] 36p4 mp4: ") and blocked in failed[1]
    assert err.strip().splitlines()[-1] == "Error: 2 of 4 videos failed (listed above)"
    report = json.loads((tmp_path / "r.json").read_text())
    status = {t["name"]: t["status"] for t in report["targets"]}
    assert status == {
        "tiny [en] 36p4 mp4": "made",
        "linear-a2-n1 [en] 36p4 mp4": "made",
        "tiny2 [en] 36p4 mp4": "failed",
        f"{blocked} [en] 36p4 mp4": "failed",
    }
    assert report["totals"]["failed"] == 2
    for name in ("tiny", "linear-a2-n1"):
        assert (media / "videos" / name / "36p4" / f"{name}.mp4").is_file()
        assert str(media / "videos" / name / "36p4" / f"{name}.mp4") in result.stdout


def test_a_voice_folder_is_relative_to_the_course_and_a_typo_is_an_error(tmp_path: Path) -> None:
    course = load_course(write_course(tmp_path, COURSE.replace('"none"', '"./takes/"')))
    assert {t.job.voice.folder for t in course.targets if t.job.voice} == {tmp_path / "takes"}
    with pytest.raises(LessonError, match=r"course\.toml:3: voice: unknown voice 'espek'"):
        load_course(write_course(tmp_path, COURSE.replace('"none"', '"espek"')))
