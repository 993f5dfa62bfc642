"""Shared fixtures: the shipped example workspace and a scratch copy of it, the session's one
run of the demo, its assessments of Examplia, and its cache of rendered reports."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rendered_reports import Renders

import cyberready
from cyberready.assess import AssessmentResult

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
    out = tmp_path_factory.mktemp("demo") / "reports"
    proc = subprocess.run(
        [sys.executable, "-m", "cyberready", "demo", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    return proc.returncode, proc.stdout + proc.stderr, out


# --------------------------------------------------------------------------- shared assessments
# An assessment of Examplia takes seconds and a rendered report (charts, PDF) as long again:
# test files that need the same run, or the same page of it, share them here.


@pytest.fixture(scope="session")
def examplia_quick() -> AssessmentResult:
    """Examplia assessed once with few trials (20 per scenario, seed 3, a quick plan): for tests
    of what the reports say and in which language, not of the simulation's numbers."""
    return cyberready.assess(
        cyberready.example_path(), trials=20, seed=3, screen_trials=10, priority_trials=20
    )


@pytest.fixture(scope="session")
def examplia_result() -> AssessmentResult:
    """Examplia assessed once with the library's plan settings (300 trials, seed 11): for tests
    that need every chance and cost of a real run in the reports."""
    return cyberready.assess(cyberready.example_path(), trials=300, seed=11)


@pytest.fixture(scope="session")
def rendered() -> Renders:
    """The session's cache of rendered reports (see :class:`Renders`)."""
    return Renders()
