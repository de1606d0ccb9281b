"""Files that several lessonkit processes share safely: a lock per output, staging folders
that a killed run leaves behind and the next run removes, atomic folder swaps, and file
system errors said in one line.

Every output (a render's video folder, a web bundle) is written in a staging folder named
with the writer's pid and then moved into place, under the output's lock, so a reader sees
the old result or the new one, whole, and two writers take turns instead of colliding.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import hashlib
import os
import re
import shutil
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = [
    "atomic_path",
    "write_bytes",
    "write_text",
    "sha256_file",
    "output_lock",
    "remove_stale",
    "staging_name",
    "exchange",
    "os_error_line",
    "pid_alive",
    "owner_tag",
    "owner_gone",
]


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temp path beside `target` to write to; on success it replaces `target` in one step.

    The temp name keeps the suffix (encoders pick the container from it) and starts with a
    dot, so gallery scans and static hosts' directory listings skip it. On error the temp
    file is removed and `target` is left as it was.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.stem}.{owner_tag()}.tmp{target.suffix}")
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


def pid_alive(pid: int) -> bool:
    """True while a process with this pid exists (ours included) and is not a zombie: a
    killed render process whose parent died too stays a zombie until init reaps it, which
    on some machines takes a while (or never comes)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True  # no /proc (not Linux): the signal's answer stands
    state = stat.rpartition(")")[2].split()[:1]  # the field after the command's name
    return state not in (["Z"], ["X"])


#: this machine's name as temporary names carry it (letters, digits and dashes)
HOST = re.sub(r"[^A-Za-z0-9-]", "-", socket.gethostname().split(".")[0]) or "host"
#: '<pid>' or '<pid>@<host>' at the end of a temporary name
OWNER = r"(\d+)(?:@([A-Za-z0-9-]+))?"


def owner_tag() -> str:
    """'<pid>@<host>': which process on which machine owns a temporary name. Workers of a
    cluster share one media folder, and a pid alone names different processes there."""
    return f"{os.getpid()}@{HOST}"


def owner_gone(pid: str, host: str | None) -> bool:
    """Whether the owner of a temporary name is surely dead: a process of this machine
    that no longer runs (another machine's processes cannot be asked, so never)."""
    return (host is None or host == HOST) and not pid_alive(int(pid))


def staging_name(prefix: str) -> str:
    """'<prefix><pid>@<host>': a staging name that says which process owns it."""
    return f"{prefix}{owner_tag()}"


def remove_stale(parent: Path, prefix: str) -> list[Path]:
    """Delete `parent/<prefix><pid>[@<host>]` entries whose process is gone (a killed run's
    staging); a live process's staging, or another machine's, is left alone. Returns what
    was removed."""
    removed: list[Path] = []
    try:
        entries = list(parent.iterdir())
    except OSError:
        return removed
    for entry in entries:
        m = re.fullmatch(re.escape(prefix) + OWNER, entry.name)
        if m and owner_gone(m.group(1), m.group(2)):
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
            removed.append(entry)
    return removed


@contextmanager
def output_lock(
    lock_file: Path, what: str, say: Callable[[str], None] | None = None
) -> Iterator[None]:
    """Hold an exclusive lock on `lock_file` (created if missing) while the block runs.

    When another process holds it, say once what we wait for, then wait: two renders of one
    clip take turns, and the second usually finds the first one's result in the cache.
    """
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if say is not None:
                say(f"waiting for another lessonkit process writing {what} ...")
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def exchange(new: Path, target: Path) -> None:
    """Put folder `new` where `target` is; `new` then holds the old contents (delete it).

    With Linux's renameat2(RENAME_EXCHANGE) the two names swap in one step, so `target` is
    never missing; elsewhere `target` is moved aside first and is absent for an instant.
    """
    if not target.exists():
        os.replace(new, target)
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        renameat2 = None
    if renameat2 is not None:
        result = renameat2(
            _AT_FDCWD, os.fsencode(new), _AT_FDCWD, os.fsencode(target), _RENAME_EXCHANGE
        )
        if result == 0:
            return
        code = ctypes.get_errno()
        if code not in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
            raise OSError(code, os.strerror(code), str(target))
    aside = target.with_name(target.name + ".swap")
    shutil.rmtree(aside, ignore_errors=True)
    os.replace(target, aside)
    os.replace(new, target)
    os.replace(aside, new)


def os_error_line(exc: OSError, what: str) -> str:
    """One line for a file system failure: what failed, why, and what to do."""
    where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
    if exc.errno == errno.ENOSPC:
        return f"{what}: out of disk space{where}; free some space and run it again"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"{what}: permission denied{where}; choose a folder you can write (--output-dir)"
    if exc.errno == errno.ENAMETOOLONG:
        return f"{what}: a file name is too long for this file system"
    reason = exc.strerror or type(exc).__name__
    return f"{what}: {reason}{where}"
