"""Shared fixtures: the shipped example workspace and a scratch copy of it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import cyberready

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def example_dir() -> Path:
    """The shipped Examplia workspace (read-only: copy it before changing anything)."""
    return cyberready.example_path()


@pytest.fixture
def example_copy(tmp_path: Path, example_dir: Path) -> Path:
    """A writable copy of the Examplia workspace."""
    dest = tmp_path / "examplia"
    shutil.copytree(example_dir, dest)
    return dest


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, str, Path]:
    """``cyberready demo --out DIR`` run once for the whole session, exactly as a user runs it
    (a subprocess, every report in HTML and PDF): exit code, output, and the report folder.

    The demo is the README's main command; several tests check different parts of what it
    prints, and running it once keeps the suite's time in check.
    """
    import subprocess
    import sys

    out = tmp_path_factory.mktemp("demo") / "reports"
    proc = subprocess.run(
        [sys.executable, "-m", "cyberready", "demo", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    return proc.returncode, proc.stdout + proc.stderr, out
