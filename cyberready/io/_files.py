"""Paths that stay inside a folder, and writes that are atomic (a temporary file in the same
folder, then ``os.replace``): a reader sees the old file or the new one, never half."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import sys
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Final

from cyberready.errors import OutputPathError, Problem
from cyberready.io._errors import raise_if

__all__ = [
    "atomic_write_bytes",
    "atomic_write_text",
    "check_new_folder",
    "is_inside",
    "remove_stale_temporaries",
    "safe_join",
    "write_files",
    "write_new_file",
    "write_new_tree",
]


def safe_join(root: Path, relative: str) -> Path | None:
    """``root / relative`` if it stays inside ``root`` (after resolving links), else None."""
    if not relative or Path(relative).is_absolute() or "\x00" in relative:
        return None
    root_resolved = root.resolve()
    target = (root_resolved / relative).resolve()
    try:
        target.relative_to(root_resolved)
    except ValueError:
        return None
    return target


def is_inside(root: Path, path: Path) -> bool:
    """True when ``path``, links resolved, is ``root`` or lies below it (links resolved too).

    The one rule for links in a workspace: a file or folder may be a link only to somewhere
    inside the same workspace.
    """
    try:
        path.resolve().relative_to(root.resolve())
    except (ValueError, OSError):
        return False
    return True


_TEMPORARY: Final = re.compile(r"\.(?P<name>.+?)(?:\.(?P<pid>\d+))?\.[a-z0-9_]{8}\.tmp")
"""``.<file>.<pid>.<random>.tmp``: the temporary an atomic write fills before the rename
(without ``<pid>`` from versions before 2026-12)."""


def _alive(pid: int) -> bool:
    """Whether process ``pid`` is running (on Windows, always assumed so)."""
    if pid == os.getpid() or sys.platform == "win32":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists, but belongs to someone else
        return True
    return True


def remove_stale_temporaries(
    folder: Path, name: str | None = None, *, unowned: bool = False
) -> list[Path]:
    """Delete the temporaries that atomic writes of killed processes left in ``folder``
    (those of ``name`` only, if given); returns the ones removed.

    A temporary names the process that wrote it; one whose process is gone was never renamed
    into place and never will be. ``unowned``: also those that name no process (left by an
    older version), for a caller that knows no other writer is at work (the workspace lock).
    """
    removed: list[Path] = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return removed
    for entry in entries:
        m = _TEMPORARY.fullmatch(entry.name)
        if m is None or (name is not None and m["name"] != name):
            continue
        if (m["pid"] is None and not unowned) or (m["pid"] is not None and _alive(int(m["pid"]))):
            continue
        with contextlib.suppress(OSError):
            entry.unlink()
            removed.append(entry)
    return removed


@contextlib.contextmanager
def _atomic(path: Path, *, exclusive: bool = False) -> Iterator[tuple[int, str]]:
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(path.parent, path.name)
    fd, tmp = tempfile.mkstemp(
        prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent
    )
    try:
        yield fd, tmp
        if exclusive:
            try:
                os.link(tmp, path)  # fails if path exists: never overwrites, even in a race
            except FileExistsError:
                raise
            except OSError:  # no hard links here: claim the name first, then move onto it
                os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
                os.replace(tmp, path)
            else:
                os.unlink(tmp)
        else:
            os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def atomic_write_bytes(path: Path, data: bytes, *, exclusive: bool = False) -> None:
    """Write ``data`` to ``path`` atomically: readers see the old file or the new, never half.

    ``exclusive``: create a new file; :class:`FileExistsError` if ``path`` exists (never
    replaced, even by a writer racing this one). A temporary left by a killed writer is
    removed by the next write to the same path (:func:`remove_stale_temporaries`).
    """
    try:
        with _atomic(path, exclusive=exclusive) as (fd, _tmp), os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except OSError as exc:  # a full disk says no file: name the one being written
        if exc.filename is None and not isinstance(exc, FileExistsError):
            exc.filename = str(path)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    """Write UTF-8 text atomically."""
    atomic_write_bytes(path, text.encode("utf-8"))


def write_new_file(path: Path, data: bytes) -> bool:
    """Create ``path`` holding ``data``, atomically, only if no file of that name exists.

    Returns False, and leaves the file that is there untouched, when ``path`` exists (also
    when a writer racing this one created it first): for a record that is kept, never
    replaced, such as an earlier assessment copied to ``history/``.
    """
    if path.exists():
        return False
    try:
        atomic_write_bytes(path, data, exclusive=True)
    except FileExistsError:
        return False
    return True


def write_files(root: Path, files: Mapping[str, str | bytes], *, overwrite: bool = False) -> int:
    """Write a tree of files under ``root`` (``relative/posix/path`` -> text or bytes).

    Each file is written atomically. Unless ``overwrite``, ``root`` must be new or empty, so a
    generated tree never mixes with older files. A relative path that would leave ``root`` is
    an error. Every problem is raised at once (:class:`InputError`) before anything is written.
    Returns the number of files written.
    """
    problems: list[Problem] = []
    if root.exists() and not root.is_dir():
        problems.append(Problem(file=str(root), message="exists and is not a folder"))
    elif root.is_dir() and not overwrite and any(root.iterdir()):
        problems.append(
            Problem(
                file=str(root),
                message="folder is not empty",
                hint="choose a new or empty folder, or allow overwriting (--force)",
            )
        )
    for rel in files:
        parts = Path(rel).parts
        if not rel or Path(rel).is_absolute() or ".." in parts or "\x00" in rel:
            problems.append(Problem(file=rel, message="path leaves the output folder"))
    raise_if(problems)
    root.mkdir(parents=True, exist_ok=True)
    for rel, content in files.items():
        target = safe_join(root, rel)
        if target is None:  # a link inside root that points outside it
            raise_if([Problem(file=rel, message="path leaves the output folder")])
            continue
        if isinstance(content, str):
            atomic_write_text(target, content)
        else:
            atomic_write_bytes(target, content)
    return len(files)


def check_new_folder(root: Path) -> None:
    """Raise :class:`~cyberready.errors.OutputPathError` unless ``root`` is a folder that
    does not exist yet or is empty (what :func:`write_new_tree` may create)."""
    if root.is_symlink() or (root.exists() and not root.is_dir()):
        raise OutputPathError(f"{root} exists and is not a folder; choose a new folder")
    if root.is_dir() and any(root.iterdir()):
        raise OutputPathError(
            f"{root} is not empty: nothing was written; choose a new or empty folder"
        )


def write_new_tree(root: Path, files: Mapping[str, str | bytes]) -> None:
    """Create the folder ``root`` holding ``files`` (as :func:`write_files`), all at once.

    The files are written into a hidden temporary folder beside ``root`` and moved into place
    by one rename, so ``root`` either stays as it was or appears complete: never half
    written, even when a write fails. ``root`` must not exist or be an empty folder
    (:func:`check_new_folder`, before anything is written); an empty folder is replaced by
    the new one.
    """
    check_new_folder(root)
    parent = root.absolute().parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = parent / f".{root.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    staging.mkdir()  # a new name: never someone else's folder; permissions as for any folder
    try:
        write_files(staging, files, overwrite=True)
        try:
            os.replace(staging, root)  # POSIX: also replaces an empty folder, in one step
        except OSError:
            if not root.is_dir() or any(root.iterdir()):
                raise
            root.rmdir()  # Windows cannot rename onto a folder: remove the empty one first
            os.replace(staging, root)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
