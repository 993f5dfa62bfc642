"""An EMB workspace and the library of frameworks and scenarios, loaded and cross-checked.

:func:`load_workspace` reads an EMB's folder (with the shipped library and any frameworks or
scenarios of its own) into an immutable :class:`Workspace`; :func:`load_library` reads the
library alone; :func:`validate_paths` checks files without loading them into a run. The
system is resolved into columnar arrays (:class:`ResolvedSystem`, with ``generate:`` replicas)
and each scenario's relevance and applicability is diagnosed (:func:`diagnose`).
"""

from __future__ import annotations

from cyberready.workspace._assets import *  # noqa: F403
from cyberready.workspace._assets import __all__ as _assets_all
from cyberready.workspace._diagnostics import *  # noqa: F403
from cyberready.workspace._diagnostics import __all__ as _diagnostics_all
from cyberready.workspace._generate import *  # noqa: F403
from cyberready.workspace._generate import __all__ as _generate_all
from cyberready.workspace._inputs import *  # noqa: F403
from cyberready.workspace._inputs import __all__ as _inputs_all
from cyberready.workspace._load import *  # noqa: F403
from cyberready.workspace._load import __all__ as _load_all

__all__ = [*_assets_all, *_diagnostics_all, *_generate_all, *_inputs_all, *_load_all]
