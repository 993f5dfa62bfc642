"""The public surface: what users may import, one name per concept.

``cyberready``'s top-level names are the curated API a notebook or script starts from; each
subpackage's ``__all__`` is its documented API. A change to either is a deliberate edit of this
file (and a CHANGELOG line), never a side effect of moving code.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType
from typing import Any

import pytest

import cyberready

TOP_LEVEL = [
    "AssessmentError",
    "AssessmentResult",
    "AssetLevels",
    "CyberReadyError",
    "Diagnostics",
    "FrameworkError",
    "InputError",
    "Library",
    "OptionalDependencyError",
    "Portfolio",
    "Posture",
    "Problem",
    "ReportError",
    "ScenarioError",
    "SimulationResult",
    "SystemModelError",
    "ThresholdError",
    "Validation",
    "Workspace",
    "__version__",
    "assess",
    "assess_portfolio",
    "asset_levels",
    "build_posture",
    "diagnose",
    "example_names",
    "example_path",
    "load_library",
    "load_workspace",
    "score",
    "simulate",
    "validate_inputs",
    "validate_paths",
]

PACKAGES = [
    "cyberready.errors",
    "cyberready.models",
    "cyberready.io",
    "cyberready.workspace",
    "cyberready.graph",
    "cyberready.posture",
    "cyberready.engine",
    "cyberready.scoring",
    "cyberready.prioritize",
    "cyberready.assess",
    "cyberready.portfolio",
    "cyberready.interop",
    "cyberready.report",
]
"""The layers of the package, each with a documented ``__all__``."""


def _all(module: ModuleType) -> list[str]:
    names = getattr(module, "__all__", None)
    assert isinstance(names, list), f"{module.__name__} has no __all__ list"
    return names


def test_the_top_level_api_is_the_curated_list() -> None:
    assert sorted(cyberready.__all__) == TOP_LEVEL
    for name in TOP_LEVEL:
        assert getattr(cyberready, name) is not None, name
    assert set(dir(cyberready)) >= set(TOP_LEVEL)


def test_the_top_level_names_are_the_subpackages_objects() -> None:
    # the lazy names are the very objects the subpackages export, not copies
    from cyberready import assess as assess_fn
    from cyberready.assess import assess
    from cyberready.workspace import Workspace, load_workspace

    assert assess_fn is assess and callable(assess_fn)
    assert cyberready.Workspace is Workspace
    assert cyberready.load_workspace is load_workspace


@pytest.mark.parametrize("name", PACKAGES)
def test_every_exported_name_exists_and_is_public(name: str) -> None:
    module = importlib.import_module(name)
    names = _all(module)
    assert len(names) == len(set(names)), f"{name}.__all__ repeats a name"
    for n in names:
        assert not n.startswith("_"), f"{name}.__all__ exports the private {n}"
        assert hasattr(module, n), f"{name}.__all__ names {n}, which does not exist"


def _exports() -> dict[str, list[tuple[str, Any]]]:
    """Every public name of every public module, with the modules exporting it."""
    found: dict[str, list[tuple[str, Any]]] = {}
    for info in pkgutil.walk_packages(cyberready.__path__, "cyberready."):
        parts = info.name.split(".")
        if any(p.startswith("_") for p in parts) or parts[1] == "cli":
            continue  # private modules, and the command line (its API is the commands)
        module = importlib.import_module(info.name)
        for n in getattr(module, "__all__", ()):
            found.setdefault(n, []).append((info.name, getattr(module, n)))
    return found


def test_one_name_per_concept() -> None:
    # a name exported from two modules must be the same object (a re-export), never two
    # different things: Action, Plan, Progress and Readiness each once
    clashes = {
        n: [m for m, _ in where]
        for n, where in _exports().items()
        if len({id(obj) for _, obj in where}) > 1
    }
    assert clashes == {}


def test_the_engine_does_not_export_its_internals() -> None:
    import cyberready.engine

    for internal in ("Scratch", "run_block", "BlockOutput"):
        assert internal not in cyberready.engine.__all__


def test_one_progress_callback_type() -> None:
    import cyberready.assess
    import cyberready.portfolio
    import cyberready.prioritize

    assert "Progress" in cyberready.prioritize.__all__
    assert not hasattr(cyberready.portfolio, "Progress")
    assert getattr(cyberready.assess, "Progress", cyberready.prioritize.Progress) is (
        cyberready.prioritize.Progress
    )
