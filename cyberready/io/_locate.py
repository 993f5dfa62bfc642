"""Where the shipped data (frameworks, scenarios, examples) is, installed or in a checkout."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["data_dir"]


def data_dir(name: str) -> Path:
    """The shipped data folder ``frameworks``, ``scenarios`` or ``examples``.

    Installed from a wheel they live in ``cyberready/_data``; in a source checkout they are at
    the repository root.
    """
    packaged = resources.files("cyberready").joinpath("_data", name)
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(str(resources.files("cyberready"))).parent / name
