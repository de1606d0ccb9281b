"""`export --force` onto a nearly full disk, as a real process on a real small file system
(a 30 MB tmpfs): one error line, a non-zero exit, and the bundle that was there intact."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import lessonkit_executable

pytestmark = pytest.mark.slow

CLIP = ("square", "--at", "2", "--nudges", "1")


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 30 MB tmpfs mounted at tmp_path/disk (needs root, as on CI's machines)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if shutil.which("mount") is None or os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=30m", "tmpfs", str(disk)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def export(media: Path, *size: str, force: bool = False) -> subprocess.CompletedProcess[str]:
    args = [lessonkit_executable(), "export", *CLIP, *size, "--output-dir", str(media)]
    return subprocess.run(
        [*args, *(["--force"] if force else [])], capture_output=True, text=True, timeout=300
    )


def digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_export_force_on_a_full_disk_is_one_line_and_keeps_the_old_bundle(
    small_disk: Path,
) -> None:
    media = small_disk / "media"
    first = export(media, "--size", "64x36", "--fps", "2")
    assert first.returncode == 0, first.stderr
    (bundle,) = [d for d in (media / "web").iterdir() if d.is_dir()]
    before = digests(bundle)
    # leave about 150 kB free: far less than a 320x180 export needs
    free = shutil.disk_usage(small_disk).free
    with open(small_disk / "filler", "wb") as f:
        f.write(b"\0" * (free - 150_000))
    done = export(media, "--size", "320x180", "--fps", "15", force=True)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    errors = [ln for ln in done.stderr.splitlines() if ln.startswith("Error:")]
    assert len(errors) == 1 and "out of disk space" in errors[0], done.stderr
    # nothing else but the one line that says what is being rendered
    others = [ln for ln in done.stderr.splitlines() if ln and not ln.startswith("Error:")]
    assert all(ln.startswith("rendering ") for ln in others), done.stderr
    assert digests(bundle) == before
    assert not [p for p in media.rglob(".partial*")], "no half-written render is left"
