"""One writer at a time, nothing lost, through the real CLI.

Two imports into one workspace used to both print "imported" while one update vanished and
history held two copies; a ``history/`` linked to another EMB received that EMB's archive; a
killed run left hidden temporaries and, run again, a duplicate history entry; a full disk
was reported as a bug.
"""

from __future__ import annotations

import datetime as dt
import errno
import fcntl
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

import cyberready
from cyberready.cli import main

OLD_DATE = "2026-11-01"  # Examplia's assessment.yaml (its history holds 2025-10-15)


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    return Path(shutil.copytree(cyberready.example_path(), tmp_path / "examplia"))


def _run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args))


def _cli(*args: str) -> subprocess.Popen[str]:
    """The CLI as its own process (a real second writer)."""
    return subprocess.Popen(
        [sys.executable, "-m", "cyberready", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _questionnaire(ws: Path, out: Path, as_of: dt.date, level: int) -> Path:
    """A questionnaire of ``ws`` filled in with a new date and one answer changed."""
    result = _run("questionnaire", "export", "--emb", str(ws), "--out", str(out))
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(out)
    for sheet in wb.sheetnames[1:-1]:
        for r in range(4, wb[sheet].max_row + 1):
            if wb[sheet].cell(row=r, column=1).value == "ECBS-VR-01":
                wb[sheet].cell(row=r, column=4).value = level
    wb["Instructions"]["B6"].value = as_of
    wb.save(out)
    return out


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def _dead_pid() -> int:
    pid = 4_000_000
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return pid
        except OSError:
            pass
        pid += 1


def _history_is_consistent(ws: Path) -> None:
    """Each history file's name gives its content's date; no two hold the same bytes."""
    seen: dict[bytes, str] = {}
    for path in sorted((ws / "history").glob("*.yaml")):
        data = path.read_bytes()
        as_of = re.search(rb"^as_of: '?(\d{4}-\d{2}-\d{2})", data, re.M)
        assert as_of is not None and path.name.startswith(f"assessment-{as_of[1].decode()}")
        assert data not in seen, f"{path.name} repeats {seen.get(data)}"
        seen[data] = path.name


def test_a_held_lock_stops_a_second_writer_with_the_holders_pid(ws: Path, tmp_path: Path) -> None:
    q = _questionnaire(ws, tmp_path / "q.xlsx", dt.date(2027, 1, 5), 4)
    fd = os.open(ws / ".cyberready.lock", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # another cyberready command is writing
        os.write(fd, b"4242\n")
        before = _files(ws), _files(ws / "history")
        proc = _cli("questionnaire", "import", str(q), "--into", str(ws))
        output, _ = proc.communicate(timeout=600)
        assert proc.returncode == 5, output
        assert "is in use by another cyberready command (pid 4242)" in output
        assert "nothing was written" in output and "Traceback" not in output
        assert (_files(ws), _files(ws / "history")) == before
    finally:
        os.close(fd)  # released: the next run goes ahead
    proc = _cli("questionnaire", "import", str(q), "--into", str(ws))
    output, _ = proc.communicate(timeout=600)
    assert proc.returncode == 0, output
    assert "imported" in output and f"assessment-{OLD_DATE}.yaml" in output
    assert not (ws / ".cyberready.lock").exists()  # the holder removes it as it lets go
    _history_is_consistent(ws)


def test_two_imports_at_once_lose_nothing(ws: Path, tmp_path: Path) -> None:
    first = _questionnaire(ws, tmp_path / "a.xlsx", dt.date(2027, 1, 5), 4)
    second = _questionnaire(ws, tmp_path / "b.xlsx", dt.date(2027, 2, 1), 2)
    original = (ws / "assessment.yaml").read_bytes()
    procs = [_cli("questionnaire", "import", str(q), "--into", str(ws)) for q in (first, second)]
    outputs = [(p.communicate(timeout=900)[0], p.returncode) for p in procs]
    done = [out for out, code in outputs if code == 0]
    for out, code in outputs:  # each one either wrote, or said plainly that it did not
        assert code in (0, 5), out
        assert ("imported" in out) == (code == 0), out
    assert done, outputs
    _history_is_consistent(ws)
    history = _files(ws / "history")
    assert original in history.values()  # the assessment both started from is kept, once
    final = cyberready.load_workspace(ws).assessment
    assert final is not None and final.as_of in (dt.date(2027, 1, 5), dt.date(2027, 2, 1))
    if len(done) == 2:  # the one that finished first is in history, not lost
        kept = [data for data in history.values() if b"as_of: 2027-" in data]
        assert len(kept) == 1


def test_a_history_linked_to_another_emb_is_refused(ws: Path, tmp_path: Path) -> None:
    other = Path(shutil.copytree(ws, tmp_path / "other-emb"))
    q = _questionnaire(ws, tmp_path / "q.xlsx", dt.date(2027, 1, 5), 4)
    shutil.rmtree(ws / "history")
    (ws / "history").symlink_to(other / "history")
    theirs = _files(other / "history")
    result = _run("questionnaire", "import", str(q), "--into", str(ws))
    assert result.exit_code == 3, result.output
    assert "examplia/history: is a link that leaves the workspace" in result.output
    assert _files(other / "history") == theirs
    result = _run("validate", str(ws))
    assert result.exit_code == 3 and "leaves the workspace" in result.output
    # the same for a single file, and for a platform scorecard folder
    (ws / "history").unlink()
    (ws / "history").mkdir()
    (ws / "assessment.yaml").unlink()
    (ws / "assessment.yaml").symlink_to(other / "assessment.yaml")
    result = _run("validate", str(ws))
    assert result.exit_code == 3, result.output
    assert "examplia/assessment.yaml: is a link that leaves the workspace" in result.output


def test_links_inside_the_workspace_still_work(ws: Path) -> None:
    (ws / "history").rename(ws / "archive")
    (ws / "history").symlink_to("archive")
    result = _run("validate", str(ws))
    assert result.exit_code == 0, result.output
    assert len(cyberready.load_workspace(ws).history) == 1


def test_a_run_killed_between_archive_and_write_adds_no_second_entry(
    ws: Path, tmp_path: Path
) -> None:
    q = _questionnaire(ws, tmp_path / "q.xlsx", dt.date(2027, 1, 5), 4)
    # what a kill -9 after the archive leaves: the copy in history/, the old file in place,
    # and the hidden temporaries of the writes it had started (its own and an older version's)
    shutil.copyfile(ws / "assessment.yaml", ws / "history" / f"assessment-{OLD_DATE}.yaml")
    dead = _dead_pid()
    stale = [
        ws / f".assessment.yaml.{dead}.k2j3h4g5.tmp",
        ws / ".assessment.yaml.x9y8z7w6.tmp",
        ws / "history" / f".assessment-{OLD_DATE}.yaml.{dead}.abcdefgh.tmp",
    ]
    live = ws / f".assessment.yaml.{os.getpid()}.livewrit.tmp"  # a writer still at work
    for path in [*stale, live]:
        path.write_text("half a file")
    result = _run("questionnaire", "import", str(q), "--into", str(ws))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (ws / "history").glob("*.yaml")) == [
        "assessment-2025-10-15.yaml",
        f"assessment-{OLD_DATE}.yaml",
    ]
    assert f"previous assessment kept as {ws / 'history' / f'assessment-{OLD_DATE}.yaml'}" in (
        result.output
    )
    assert not any(p.exists() for p in stale)
    assert live.exists()
    _history_is_consistent(ws)


def test_a_full_disk_is_reported_plainly(
    ws: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    q = _questionnaire(ws, tmp_path / "q.xlsx", dt.date(2027, 1, 5), 4)
    before = (ws / "assessment.yaml").read_bytes()

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    result = _run("questionnaire", "import", str(q), "--into", str(ws))
    assert result.exit_code == 1, result.output
    assert "error: No space left on device: " in result.output
    assert str(ws / "history") in result.output
    assert "bug" not in result.output and "Traceback" not in result.output
    assert (ws / "assessment.yaml").read_bytes() == before
    assert not list(ws.glob(".*.tmp")) and not list((ws / "history").glob(".*.tmp"))


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_workspace_is_reported_plainly(ws: Path, tmp_path: Path) -> None:
    q = _questionnaire(ws, tmp_path / "q.xlsx", dt.date(2027, 1, 5), 4)
    ws.chmod(0o555)
    try:
        result = _run("questionnaire", "import", str(q), "--into", str(ws))
    finally:
        ws.chmod(0o755)
    assert result.exit_code == 1, result.output
    assert "error: Permission denied: " in result.output and str(ws) in result.output
    assert "bug" not in result.output
