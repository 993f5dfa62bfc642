"""One writer at a time in a workspace (docs/security.md, "Workspace lock").

Every command that writes into an EMB workspace (``questionnaire import``: ``assessment.yaml``
and ``history/``) holds an exclusive lock on the workspace's ``.cyberready.lock`` file from
before it reads the workspace until after it has written, so that what it read is still
what it replaces. A second writer waits a moment, then stops with
:class:`~cyberready.errors.WorkspaceBusyError` (exit 5) naming the holder's process id; it
has read and written nothing. Readers (``validate``, ``assess``, ``report``…) take no lock:
every write is atomic, so they see the old files or the new ones.

The lock is the operating system's (``flock`` on POSIX, ``msvcrt.locking`` on Windows): it
is released when the process ends, however it ends, so a killed command never leaves the
workspace locked. The file holds the holder's pid, for the message; the holder removes it
as it lets go, and a waiter that then gets the lock of the removed file tries again, so two
writers never hold two different files (a killed holder leaves the file: harmless, the next
writer locks it).
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Final

from cyberready.errors import WorkspaceBusyError
from cyberready.io._files import remove_stale_temporaries

__all__ = ["LOCK_FILE", "LOCK_WAIT_SECONDS", "workspace_lock"]

LOCK_FILE: Final = ".cyberready.lock"
"""The lock file, in the workspace folder."""
LOCK_WAIT_SECONDS: Final = 3.0
"""How long a second writer waits for the lock before it gives up."""

_held: dict[Path, int] = {}
"""Workspaces this process holds the lock of -> nesting depth (the lock is re-entrant: an
import holds it, and the save it calls takes it again)."""


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _unlock(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_UN)


def _holder(fd: int) -> int | None:
    """The pid the holder wrote into the lock file, if it did."""
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        text = os.read(fd, 32).decode("ascii", "replace").strip()
    except OSError:  # Windows: the locked byte cannot be read
        return None
    return int(text) if text.isdigit() else None


def _cleanup(root: Path) -> None:
    """With the lock held: remove what killed writers left (their temporaries)."""
    for folder in (root, root / "history", root / "platforms"):
        if folder.is_dir():
            remove_stale_temporaries(folder, unowned=True)


@contextlib.contextmanager
def workspace_lock(root: Path, *, wait: float = LOCK_WAIT_SECONDS) -> Iterator[None]:
    """Hold the workspace's exclusive lock for the ``with`` block.

    Waits up to ``wait`` seconds for another holder, then raises
    :class:`~cyberready.errors.WorkspaceBusyError`. Once held, the temporaries that killed
    writers left in the workspace are removed. Re-entrant within one process.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> ws = pathlib.Path(tempfile.mkdtemp())
    >>> with workspace_lock(ws):
    ...     with workspace_lock(ws):  # the same process may take it again
    ...         (ws / LOCK_FILE).read_text().strip() == str(os.getpid())
    True
    """
    key = root.resolve()
    if not key.is_dir():  # nothing to protect: the caller's read reports the missing folder
        yield
        return
    if key in _held:
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
    path = key / LOCK_FILE
    fd = _acquire(path, str(root), wait)
    try:
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        _held[key] = 1
        _cleanup(key)
        yield
    finally:
        _held.pop(key, None)
        if sys.platform != "win32":  # still locked: a waiter holds the unlinked file, retries
            with contextlib.suppress(OSError):
                os.unlink(path)
        _unlock(fd)
        os.close(fd)


def _acquire(path: Path, shown: str, wait: float) -> int:
    """An open, locked descriptor of the lock file ``path`` (created if missing)."""
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    deadline = time.monotonic() + wait
    while True:
        fd = os.open(path, flags, 0o644)
        locked = False
        try:
            locked = _try_lock(fd)
            if locked and _same_file(fd, path):
                return fd
            if not locked and time.monotonic() >= deadline:
                raise WorkspaceBusyError(shown, _holder(fd))
        except BaseException:
            if locked:
                _unlock(fd)
            os.close(fd)
            raise
        if locked:  # the holder removed the file as it let go: lock the new one
            _unlock(fd)
        os.close(fd)
        time.sleep(0.05)


def _same_file(fd: int, path: Path) -> bool:
    """Whether ``path`` still names the file open as ``fd`` (not removed or replaced)."""
    try:
        a, b = os.fstat(fd), os.stat(path, follow_symlinks=False)
    except OSError:
        return False
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)
