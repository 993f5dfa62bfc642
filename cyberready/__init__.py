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
from typing import TYPE_CHECKING

from cyberready._lazy import lazy_names
from cyberready._version import __version__
from cyberready.errors import (  # light: no numerical imports
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

if TYPE_CHECKING:
    from cyberready.assess import AssessmentResult, assess
    from cyberready.engine import SimulationResult, simulate
    from cyberready.portfolio import Portfolio, assess_portfolio
    from cyberready.posture import AssetLevels, Posture, asset_levels, build_posture
    from cyberready.scoring import score
    from cyberready.workspace import (
        Diagnostics,
        Library,
        Validation,
        Workspace,
        diagnose,
        load_library,
        load_workspace,
        validate_inputs,
        validate_paths,
    )

# The public names and the module each lives in: imported on first use, so that
# `cyberready --help` and `import cyberready.errors` do not load pandas, scipy and numpy.
_LAZY: dict[str, str] = {
    **dict.fromkeys(("AssessmentResult", "assess"), "cyberready.assess"),
    **dict.fromkeys(("Diagnostics", "diagnose"), "cyberready.workspace"),
    **dict.fromkeys(("SimulationResult", "simulate"), "cyberready.engine"),
    **dict.fromkeys(
        ("Validation", "load_library", "load_workspace", "validate_inputs", "validate_paths"),
        "cyberready.workspace",
    ),
    **dict.fromkeys(("Portfolio", "assess_portfolio"), "cyberready.portfolio"),
    **dict.fromkeys(
        ("AssetLevels", "Posture", "asset_levels", "build_posture"), "cyberready.posture"
    ),
    "score": "cyberready.scoring",
    **dict.fromkeys(("Library", "Workspace"), "cyberready.workspace"),
}


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


lazy_names(__name__, _LAZY, subpackages=True)


def example_names() -> tuple[str, ...]:
    """Names of the shipped example workspaces, sorted (each is a fictional EMB).

    >>> "examplia" in example_names() and "tarvonia" in example_names()
    True
    """
    from cyberready.io import data_dir

    root = data_dir("examples")
    return tuple(sorted(p.name for p in root.iterdir() if (p / "emb.yaml").is_file()))


def example_path(name: str = "examplia") -> Path:
    """Path of a shipped example workspace (default: the fictional Examplia EMB).

    >>> example_path("tarvonia").name
    'tarvonia'
    """
    from cyberready.io import data_dir

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
