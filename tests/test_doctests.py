"""The examples in the package's docstrings run and print what they show.

Every module whose source holds a ``>>>`` example is a test case of its own, found by walking
the package's files (no hand-kept list to forget a module in). The examples are the API's
documentation: a wrong one misleads every reader.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil
from pathlib import Path

import pytest

import cyberready

ROOT = Path(cyberready.__file__).parent


def _modules_with_examples() -> list[str]:
    """Dotted names of the modules whose source has a ``>>>`` line, from the files alone."""
    found: list[str] = []

    def walk(directory: Path, prefix: str) -> None:
        for info in pkgutil.iter_modules([str(directory)]):
            name = f"{prefix}.{info.name}"
            if info.ispkg:
                if ">>>" in (directory / info.name / "__init__.py").read_text(encoding="utf-8"):
                    found.append(name)
                walk(directory / info.name, name)
            elif ">>>" in (directory / f"{info.name}.py").read_text(encoding="utf-8"):
                found.append(name)

    if ">>>" in (ROOT / "__init__.py").read_text(encoding="utf-8"):
        found.append("cyberready")
    walk(ROOT, "cyberready")
    return sorted(found)


MODULES = _modules_with_examples()

OPTIONS: dict[str, int] = {"cyberready.graph": doctest.ELLIPSIS}
"""Option flags for a module's examples, where they need some."""

AT_LEAST: dict[str, int] = {
    "cyberready.graph": 30,
    "cyberready.workspace._diagnostics": 2,
}
"""Modules whose examples are their main documentation: they keep at least this many."""


def test_the_walk_finds_the_documented_modules() -> None:
    assert len(MODULES) > 10
    for name in (
        "cyberready.graph",
        "cyberready.scoring",
        "cyberready.interop.diff",
        "cyberready.workspace._history",
        "cyberready.report.scenario_docs",
        *AT_LEAST,
    ):
        assert name in MODULES, f"{name} no longer has docstring examples (or has moved)"


@pytest.mark.parametrize("name", MODULES)
def test_the_module_examples_run(name: str) -> None:
    module = importlib.import_module(name)
    tests = doctest.DocTestFinder().find(module)
    runner = doctest.DocTestRunner(optionflags=OPTIONS.get(name, 0))
    report: list[str] = []
    for test in sorted(tests, key=lambda t: t.name):
        runner.run(test, out=report.append)
    result = runner.summarize(verbose=False)
    assert result.attempted > 0, f"{name} has '>>>' outside its docstrings' examples"
    assert result.failed == 0, "".join(report)
    assert result.attempted >= AT_LEAST.get(name, 1)
