"""cyberready: electoral cybersecurity readiness assessment.

Load an EMB workspace, score its readiness against scored frameworks, simulate threat
scenarios over its system graph, rank risk-reduction actions and render reports.

>>> import cyberready
>>> ws = cyberready.load_workspace(cyberready.example_path())
>>> ws.emb.id
'examplia-iec'
"""

from __future__ import annotations

from pathlib import Path

from cyberready.assess import AssessmentResult, assess
from cyberready.diagnostics import Diagnostics, diagnose
from cyberready.engine import SimulationResult, simulate
from cyberready.errors import (
    AssessmentError,
    CyberReadyError,
    FrameworkError,
    InputError,
    OptionalDependencyError,
    Problem,
    ReportError,
    ScenarioError,
    SystemModelError,
    ThresholdError,
)
from cyberready.io import data_dir
from cyberready.loaders import (
    Validation,
    load_library,
    load_workspace,
    validate_inputs,
    validate_paths,
)
from cyberready.portfolio import Portfolio, assess_portfolio
from cyberready.posture import AssetLevels, Posture, asset_levels, build_posture
from cyberready.scoring import score
from cyberready.workspace import Library, Workspace

__version__ = "0.1.0"


def example_names() -> tuple[str, ...]:
    """Names of the shipped example workspaces, sorted (each is a fictional EMB).

    >>> "examplia" in example_names() and "tarvonia" in example_names()
    True
    """
    root = data_dir("examples")
    return tuple(sorted(p.name for p in root.iterdir() if (p / "emb.yaml").is_file()))


def example_path(name: str = "examplia") -> Path:
    """Path of a shipped example workspace (default: the fictional Examplia EMB).

    >>> example_path("tarvonia").name
    'tarvonia'
    """
    names = example_names()
    if name not in names:
        raise ValueError(f"no shipped example {name!r}; choose one of: {', '.join(names)}")
    return data_dir("examples") / name


__all__ = [
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
