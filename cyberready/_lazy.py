"""Public names a package loads on first use (PEP 562), so importing the package stays light.

``cyberready``, ``cyberready.workspace`` and ``cyberready.report`` export names whose modules
pull in pandas, SciPy or matplotlib; they list each name's module and call :func:`lazy_names`
once. The names then load on first access and are kept in the package's namespace.

A lazy name may be spelt like one of the package's submodules (``cyberready.assess`` the
function, ``cyberready.report.render`` the function): importing that submodule would make the
import system bind the module over the name, so the package refuses exactly that binding.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from collections.abc import Mapping
from typing import Any

__all__ = ["lazy_names"]


def lazy_names(package: str, modules: Mapping[str, str], *, subpackages: bool = False) -> None:
    """Make each name of ``modules`` (name -> the absolute module defining it) an attribute of
    the package ``package`` that imports its module when first used; with ``subpackages``,
    any other public attribute that names a subpackage imports it (``cyberready.report``)."""

    class LazyPackage(types.ModuleType):
        def __getattr__(self, name: str) -> Any:
            module = modules.get(name)
            if module is None:
                if (
                    subpackages
                    and not name.startswith("_")
                    and importlib.util.find_spec(f"{package}.{name}")
                ):
                    return importlib.import_module(f"{package}.{name}")
                raise AttributeError(f"module {package!r} has no attribute {name!r}")
            value = getattr(importlib.import_module(module), name)
            self.__dict__[name] = value
            return value

        def __setattr__(self, name: str, value: Any) -> None:
            if name in modules and isinstance(value, types.ModuleType):
                return  # a submodule of the same name: the lazy name stays
            super().__setattr__(name, value)

    sys.modules[package].__class__ = LazyPackage
