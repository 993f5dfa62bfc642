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
