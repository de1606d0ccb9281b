"""Bundle files on disk: written atomically (a temp file, then os.replace) and described.

Every file of a web bundle goes through `atomic_path` (lessonkit.base.fsutil, shared with renders
and watch mode), so a reader (a web server, a running `lessonkit site`, a course page) sees
either the old file or the whole new one, never half.
"""

from __future__ import annotations

from pathlib import Path

from lessonkit.base.fsutil import atomic_path, sha256_file, write_bytes, write_text

__all__ = ["atomic_path", "write_bytes", "write_text", "sha256_file", "describe", "human_size"]


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
