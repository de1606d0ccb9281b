"""`lessonkit export` and `lessonkit site` through click's CliRunner and as the console script."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from conftest import lessonkit_executable

from lessonkit.cli import cli

TINY_ARGS = ["--quality", "preview", "--size", "192x108", "--fps", "5"]
SLUG = "square-a2-a5"
BUNDLE_FILES = {f"{SLUG}.mp4", f"{SLUG}.webm", f"{SLUG}.gif", "poster.jpg", "captions.en.vtt",
                "chapters.vtt", "embed.html", "explore.html", "manifest.json"}


@pytest.fixture(scope="module")
def media(web_render: Any) -> Path:
    """The media folder of the session's shared tiny render, which export reuses."""
    return Path(web_render.job.media_dir)


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def one_error_line(result: Result | subprocess.CompletedProcess[str]) -> str:
    code = result.exit_code if isinstance(result, Result) else result.returncode
    err = result.stderr
    assert code != 0
    assert "Traceback" not in err + (result.stdout or "")
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), err
    return lines[0]


@pytest.mark.slow
def test_export_reuses_the_render_and_writes_the_bundle(media: Path) -> None:
    result = run("export", "square", *TINY_ARGS, "--output-dir", str(media))
    assert result.exit_code == 0, result.output
    assert "reused identical render" in result.stderr
    paths = [Path(line) for line in result.stdout.splitlines()]
    assert {p.name for p in paths} == BUNDLE_FILES
    assert all(p.exists() and p.parent == media / "web" / SLUG for p in paths)
    assert paths[-1].name == "manifest.json"
    manifest = json.loads(paths[-1].read_text(encoding="utf-8"))
    assert (manifest["width"], manifest["height"], manifest["fps"]) == (192, 108, 5)
    assert manifest["render"] == {**manifest["render"], "folder": "108p5", "reused": True}
    assert "lessonkit site" in result.stderr  # says what to do next


@pytest.mark.slow
def test_site_lists_the_bundle(media: Path) -> None:
    assert run("export", "square", *TINY_ARGS, "--output-dir", str(media)).exit_code == 0
    result = run("site", "--output-dir", str(media), "--title", "Derivatives & slopes")
    assert result.exit_code == 0, result.output
    index = Path(result.stdout.strip())
    assert index == media / "web" / "index.html"
    html = index.read_text(encoding="utf-8")
    assert "<title>Derivatives &amp; slopes</title>" in html
    assert f'id="{SLUG}"' in html and f"{SLUG}/poster.jpg" in html
    assert "gallery of 1 bundle" in result.stderr


@pytest.mark.slow
def test_installed_console_script_exports(media: Path) -> None:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "LESSONKIT_PROGRESS": "0"}
    proc = subprocess.run(
        [lessonkit_executable(), "export", "square", "--at", "2", "--at", "5", *TINY_ARGS,
         "--output-dir", str(media)],
        capture_output=True, text=True, env=env, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert {Path(line).name for line in proc.stdout.splitlines()} == BUNDLE_FILES


def test_unknown_function_is_one_error_line(tmp_path: Path) -> None:
    line = one_error_line(run("export", "nosuch", "--output-dir", str(tmp_path)))
    assert "nosuch" in line
    assert not (tmp_path / "web").exists()


def test_console_script_bad_input_is_one_error_line(tmp_path: Path) -> None:
    proc = subprocess.run(
        [lessonkit_executable(), "export", "square", "--size", "5x5",
         "--output-dir", str(tmp_path)],
        capture_output=True, text=True, env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=60,
    )
    assert "--size" in one_error_line(proc)
    assert proc.stdout == ""


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["square", "--size", "5x5"], "--size"),
        (["square", "--size", "big"], "--size"),
        (["log", "--at", "-1"], "log"),
        (["square", "--nudges", "0.1,1"], "shrink"),
        (["square", "--lesson"], "--lesson"),
        (["--at", "2"], "FUNCTION"),
    ],
)
def test_bad_input_exits_non_zero_with_one_line(args: list[str], words: str,
                                                tmp_path: Path) -> None:
    assert words in one_error_line(run("export", *args, "--output-dir", str(tmp_path)))


def test_site_without_bundles_is_one_error_line(tmp_path: Path) -> None:
    line = one_error_line(run("site", "--output-dir", str(tmp_path)))
    assert "no web bundles" in line and "lessonkit export" in line
    (tmp_path / "web" / "stray").mkdir(parents=True)  # a folder without a manifest
    assert "no web bundles" in one_error_line(run("site", "--output-dir", str(tmp_path)))


def test_site_with_a_broken_manifest_is_one_error_line(tmp_path: Path) -> None:
    folder = tmp_path / "web" / "x"
    folder.mkdir(parents=True)
    (folder / "manifest.json").write_text("{}", encoding="utf-8")
    assert "not a lessonkit web bundle" in one_error_line(
        run("site", "--output-dir", str(tmp_path)))


def test_help_shows_examples() -> None:
    for command in ("export", "site"):
        result = run(command, "--help")
        assert result.exit_code == 0
        assert "Example" in result.output and f"lessonkit {command}" in result.output
    assert "--size" in run("export", "--help").output
