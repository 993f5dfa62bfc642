"""An EMB workspace and the library of frameworks and scenarios, loaded and cross-checked.

:func:`load_workspace` reads an EMB's folder (with the shipped library and any frameworks or
scenarios of its own) into an immutable :class:`Workspace`; :func:`load_library` reads the
library alone, and :func:`shipped_library` is the shipped one, read once per process and shared
(which is why a :class:`Library` cannot be changed: its mappings are :class:`FrozenMap`).
:func:`validate_inputs` checks files and workspaces without running anything. The system is
resolved into columnar arrays (:class:`ResolvedSystem`, with ``generate:`` replicas,
:func:`expand_generate`) and each scenario's relevance and applicability is diagnosed
(:func:`diagnose`). :func:`starter_files` gives the files of a new workspace built from one
of the starter :data:`ARCHETYPES` (``cyberready init``). A problem in the inputs raises an
:class:`~cyberready.errors.InputError` subclass named after the kind of file it is in
(docs/errors.md).

The public API is the names in ``__all__`` below; the ``_name`` modules that define them are
private. Names are imported on first use, so that a light module that needs one small piece
(``history_key``) does not load numpy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cyberready._lazy import lazy_names

if TYPE_CHECKING:
    from cyberready.workspace._assets import IntArray, ResolvedSystem
    from cyberready.workspace._diagnostics import (
        TAG_LOOKALIKES,
        Cause,
        Diagnostics,
        RuleIssue,
        ScenarioDiagnosis,
        Status,
        TagSuggestion,
        diagnose,
        diagnose_scenario,
        harmable,
        reachable,
        tag_suggestions,
    )
    from cyberready.workspace._frozen import FrozenMap
    from cyberready.workspace._generate import GeneratedAssets, ReplicaGroup, expand_generate
    from cyberready.workspace._history import history_key
    from cyberready.workspace._inputs import (
        TODO_TAGS,
        Gaps,
        Library,
        Workspace,
        library_warnings,
    )
    from cyberready.workspace._load import (
        Validation,
        load_library,
        load_workspace,
        resolve_system,
        shipped_library,
        validate_inputs,
        validate_paths,
        workspace_folders,
        workspace_size,
    )
    from cyberready.workspace._starter import (
        ARCHETYPES,
        DEFAULT_FRAMEWORKS,
        Starter,
        emb_id_from_name,
        starter_files,
    )

__all__ = [
    "ARCHETYPES",
    "DEFAULT_FRAMEWORKS",
    "TAG_LOOKALIKES",
    "TODO_TAGS",
    "Cause",
    "Diagnostics",
    "FrozenMap",
    "Gaps",
    "GeneratedAssets",
    "IntArray",
    "Library",
    "ReplicaGroup",
    "ResolvedSystem",
    "RuleIssue",
    "ScenarioDiagnosis",
    "Starter",
    "Status",
    "TagSuggestion",
    "Validation",
    "Workspace",
    "diagnose",
    "diagnose_scenario",
    "emb_id_from_name",
    "expand_generate",
    "harmable",
    "history_key",
    "library_warnings",
    "load_library",
    "load_workspace",
    "reachable",
    "resolve_system",
    "shipped_library",
    "starter_files",
    "tag_suggestions",
    "validate_inputs",
    "validate_paths",
    "workspace_folders",
    "workspace_size",
]

_MODULE_OF: dict[str, str] = {
    # loading and validating
    **dict.fromkeys(
        (
            "Validation",
            "load_library",
            "load_workspace",
            "resolve_system",
            "shipped_library",
            "validate_inputs",
            "validate_paths",
            "workspace_folders",
            "workspace_size",
        ),
        "_load",
    ),
    # what a load returns
    **dict.fromkeys(("TODO_TAGS", "Gaps", "Library", "Workspace", "library_warnings"), "_inputs"),
    "FrozenMap": "_frozen",
    "history_key": "_history",
    # a new workspace from a starter template (cyberready init)
    **dict.fromkeys(
        ("ARCHETYPES", "DEFAULT_FRAMEWORKS", "Starter", "emb_id_from_name", "starter_files"),
        "_starter",
    ),
    # the system as arrays, with its generate: replicas
    **dict.fromkeys(("IntArray", "ResolvedSystem"), "_assets"),
    **dict.fromkeys(("GeneratedAssets", "ReplicaGroup", "expand_generate"), "_generate"),
    # which scenarios can apply to the system, and why not
    **dict.fromkeys(
        (
            "TAG_LOOKALIKES",
            "Cause",
            "Diagnostics",
            "RuleIssue",
            "ScenarioDiagnosis",
            "Status",
            "TagSuggestion",
            "diagnose",
            "diagnose_scenario",
            "harmable",
            "reachable",
            "tag_suggestions",
        ),
        "_diagnostics",
    ),
}


lazy_names(__name__, {name: f"{__name__}.{module}" for name, module in _MODULE_OF.items()})


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
