"""Bundle files on disk: written atomically (a temp file, then os.replace) and described.

Every file of a web bundle goes through `atomic_path`, so a reader (a web server, a running
`lessonkit site`, a course page) sees either the old file or the whole new one, never half.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

__all__ = ["atomic_path", "write_bytes", "write_text", "sha256_file", "describe", "human_size"]


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temp path beside `target` to write to; on success it replaces `target` in one step.

    The temp name keeps the suffix (encoders pick the container from it) and starts with a
    dot, so gallery scans and static hosts' directory listings skip it. On error the temp
    file is removed and `target` is left as it was.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.stem}.{os.getpid()}.tmp{target.suffix}")
    try:
        yield tmp
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def write_bytes(target: Path, data: bytes) -> Path:
    """Write `data` to `target` atomically."""
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return target


def write_text(target: Path, text: str) -> Path:
    """Write UTF-8 text with LF line ends to `target` atomically."""
    return write_bytes(target, text.encode("utf-8"))


def sha256_file(path: Path) -> str:
    """The hex SHA-256 of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def describe(path: Path, role: str) -> dict[str, object]:
    """A manifest entry for a bundle file: its name (relative), role, size and hash."""
    return {
        "name": path.name,
        "role": role,
        "bytes": path.stat().st_size,
        "sha256": sha256_file(path),
    }


def human_size(n: int) -> str:
    """'812 B', '14.2 kB', '2.9 MB' (powers of 1000, as browsers and hosts show them).

    >>> human_size(812), human_size(14_200), human_size(2_900_000)
    ('812 B', '14.2 kB', '2.9 MB')
    """
    if n < 1000:
        return f"{n} B"
    if n < 1_000_000:
        return f"{n / 1000:.1f} kB"
    return f"{n / 1_000_000:.1f} MB"
