"""The package's architecture, checked from its source.

* Every module imports on its own, in a fresh interpreter: no module works only because
  another one happened to be imported first.
* No import cycles between modules, counting imports inside functions (only those under
  ``if TYPE_CHECKING:`` are left out, since they never run).
* ``import cyberready`` and ``import cyberready.cli`` stay light: ``cyberready --help`` must
  not pay for numpy, pandas, scipy or matplotlib.
* The layers: ``models <- io <- workspace <- core <- assess <- portfolio``; ``report`` and
  ``interop`` read results and models, never the CLI; only ``__main__`` imports the CLI.
"""

from __future__ import annotations

import ast
import json
import pkgutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import networkx as nx
import pytest

import cyberready

PACKAGE = "cyberready"
ROOT = Path(cyberready.__file__).parent


# --------------------------------------------------------------------------- the modules


@cache
def module_files() -> dict[str, Path]:
    """Every module of the package (packages as their ``__init__.py``), by dotted name, found
    from the files alone (``pkgutil.iter_modules`` per directory: nothing is imported)."""
    found: dict[str, Path] = {PACKAGE: ROOT / "__init__.py"}

    def walk(directory: Path, prefix: str) -> None:
        for info in pkgutil.iter_modules([str(directory)]):
            name = f"{prefix}.{info.name}"
            if info.ispkg:
                found[name] = directory / info.name / "__init__.py"
                walk(directory / info.name, name)
            else:
                found[name] = directory / f"{info.name}.py"

    walk(ROOT, PACKAGE)
    return dict(sorted(found.items()))


def is_package(name: str) -> bool:
    return module_files()[name].name == "__init__.py"


# --------------------------------------------------------------------------- the imports


@dataclass(frozen=True)
class Import:
    """One dependency of a module on another module of the package."""

    source: str
    target: str
    line: int
    module_level: bool
    implicit: bool = False
    """True for the parent package that importing a submodule from outside it runs first."""

    def __str__(self) -> str:
        where = "" if self.module_level else " (inside a function)"
        how = " (its package __init__ runs first)" if self.implicit else ""
        return f"{self.source}:{self.line} imports {self.target}{where}{how}"


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _import_nodes(
    tree: ast.Module,
) -> list[tuple[ast.Import | ast.ImportFrom, bool]]:
    """Every import statement that can run, with whether it runs at module level (not inside
    a function; class bodies and module-level ``if``/``try`` run on import)."""
    out: list[tuple[ast.Import | ast.ImportFrom, bool]] = []

    def visit(node: ast.AST, module_level: bool) -> None:
        if isinstance(node, ast.Import | ast.ImportFrom):
            out.append((node, module_level))
            return
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:  # the body only runs under a type checker
                visit(child, module_level)
            return
        inner = module_level and not isinstance(
            node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
        )
        for sub in ast.iter_child_nodes(node):
            visit(sub, inner)

    visit(tree, True)
    return out


def _resolve(name: str) -> str | None:
    """The package's module a dotted name refers to (its longest existing prefix)."""
    modules = module_files()
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def imports_of(source: str) -> list[Import]:
    """The package modules ``source`` imports, from its syntax tree (:func:`imports_in`)."""
    path = module_files()[source]
    return imports_in(source, path.read_text(encoding="utf-8"), str(path))


def imports_in(source: str, text: str, filename: str = "<source>") -> list[Import]:
    """The package modules that the code ``text`` of module ``source`` imports.

    ``from cyberready.x import y`` depends on ``cyberready.x.y`` when that is a module, else
    on ``cyberready.x`` (for a package: its ``__init__``). Importing a submodule from outside
    its package also runs the package's ``__init__`` first, so that counts too (except the
    top-level ``cyberready``, which every module is inside)."""
    modules = module_files()
    tree = ast.parse(text, filename)
    here = source if is_package(source) else source.rpartition(".")[0]
    found: list[Import] = []
    for node, module_level in _import_nodes(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            base = node.module or ""
            if node.level:
                parts = here.split(".")
                anchor = ".".join(parts[: len(parts) - node.level + 1])
                base = f"{anchor}.{base}" if base else anchor
            for alias in node.names:
                full = f"{base}.{alias.name}"
                targets.append(full if full in modules else base)
        for dotted in dict.fromkeys(targets):
            if dotted.split(".")[0] != PACKAGE:
                continue
            target = _resolve(dotted)
            if target is None or target == source:
                continue
            found.append(Import(source, target, node.lineno, module_level))
            parent = target.rpartition(".")[0]
            while parent and parent != PACKAGE:
                if not (source == parent or source.startswith(parent + ".")):
                    found.append(Import(source, parent, node.lineno, module_level, True))
                parent = parent.rpartition(".")[0]
    return found


@cache
def all_imports() -> tuple[Import, ...]:
    return tuple(imp for name in module_files() for imp in imports_of(name))


def import_graph(*, module_level_only: bool = False) -> nx.DiGraph[str]:
    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.add_nodes_from(module_files())
    for imp in all_imports():
        if imp.module_level or not module_level_only:
            edge = graph.get_edge_data(imp.source, imp.target)
            if edge is None:
                graph.add_edge(imp.source, imp.target, why=[imp])
            else:
                edge["why"].append(imp)
    return graph


def cycles(graph: nx.DiGraph[str]) -> list[list[str]]:
    """One cycle per strongly connected group of modules: enough to name every tangle without
    listing the (possibly exponentially many) simple cycles."""
    found = []
    for component in nx.strongly_connected_components(graph):
        if len(component) < 2:
            continue
        sub = graph.subgraph(component)
        start = min(component)
        found.append([u for u, _v in nx.find_cycle(sub, start)])
    return sorted(found)


def describe(cycle: list[str], graph: nx.DiGraph[str]) -> str:
    lines = [" -> ".join([*cycle, cycle[0]])]
    for a, b in zip(cycle, [*cycle[1:], cycle[0]], strict=True):
        lines.extend(f"    {imp}" for imp in graph.edges[a, b]["why"])
    return "\n".join(lines)


# --------------------------------------------------------------------------- the tests


def test_the_walk_finds_the_package() -> None:
    names = module_files()
    for expected in ("cyberready", "cyberready.cli", "cyberready.engine.kernel", "cyberready.io"):
        assert expected in names
    assert len(names) > 40


def test_the_import_parser_understands_the_forms_used() -> None:
    """The rules of :func:`imports_in`, on code written for the purpose."""
    code = textwrap.dedent(
        """
        from __future__ import annotations
        from typing import TYPE_CHECKING
        import numpy as np
        from cyberready.engine.compile import CompiledScenario
        from . import rng
        from .. import graph as g
        import cyberready.models.vocab
        if TYPE_CHECKING:
            from cyberready.workspace import Workspace
        else:
            from cyberready import scoring
        class Kernel:
            from cyberready.posture import Posture
        def later() -> None:
            from cyberready.report import render_json
        """
    )
    found = {
        (i.target, i.module_level, i.implicit) for i in imports_in("cyberready.engine.kernel", code)
    }
    assert found == {
        ("cyberready.engine.compile", True, False),  # a sibling: its package is already running
        ("cyberready.engine.rng", True, False),  # relative, a submodule
        ("cyberready.graph", True, False),  # relative, two levels up
        ("cyberready.models.vocab", True, False),
        ("cyberready.models", True, True),  # imported from outside: its __init__ runs first
        ("cyberready.scoring", True, False),  # the else branch of TYPE_CHECKING runs
        ("cyberready.posture", True, False),  # class bodies run on import
        ("cyberready.report", False, False),  # a name from the package's __init__, deferred
    }


_IMPORT_EACH = textwrap.dedent(
    """
    import importlib, json, sys, traceback
    failures = {}
    for name in json.loads(sys.argv[1]):
        for loaded in [m for m in sys.modules if m == "cyberready" or m.startswith("cyberready.")]:
            del sys.modules[loaded]
        try:
            importlib.import_module(name)
        except BaseException:
            failures[name] = traceback.format_exc(limit=-3)
    print(json.dumps(failures))
    """
)


def test_every_module_imports_on_its_own() -> None:
    """Each module imported first, with none of the package loaded before it (third-party
    libraries stay loaded between modules: they do not depend on the import order of ours).
    Two interpreters share the modules, for speed."""
    names = [n for n in module_files() if n != "cyberready.__main__"]  # it runs the CLI
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", _IMPORT_EACH, json.dumps(names[i::2])],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT.parent,
        )
        for i in range(2)
    ]
    failures: dict[str, str] = {}
    for run in runs:
        out, err = run.communicate(timeout=300)
        assert run.returncode == 0, err
        failures.update(json.loads(out.strip().splitlines()[-1]))
    assert not failures, "\n\n".join(f"{n}:\n{tb}" for n, tb in failures.items())


def test_no_import_cycles() -> None:
    """No cycle among the package's modules, counting imports inside functions: a function's
    import is an import all the same (it is only deferred), and a cycle means neither module
    can be understood, tested or moved without the other."""
    graph = import_graph()
    found = cycles(graph)
    assert not found, f"{len(found)} import cycle(s):\n" + "\n".join(
        describe(c, graph) for c in found
    )


HEAVY = ("numpy", "pandas", "scipy", "matplotlib")


@pytest.mark.parametrize("statement", ["import cyberready", "import cyberready.cli"])
def test_the_entry_points_stay_light(statement: str) -> None:
    """The CLI's start-up (``--help``, ``--version``, validation errors) must not load the
    numerical stack; commands load it when they run."""
    code = f"{statement}\nimport sys, json\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        cwd=ROOT.parent,
    )
    loaded = {m.split(".")[0] for m in json.loads(done.stdout)}
    assert not loaded & set(HEAVY), f"{statement} loads {sorted(loaded & set(HEAVY))}"


# --------------------------------------------------------------------------- the layers

LAYER_OF: dict[str, str] = {
    "cyberready._lazy": "base",
    "cyberready._version": "base",
    "cyberready.errors": "base",
    "cyberready.models": "models",
    "cyberready.io": "io",
    "cyberready.workspace": "workspace",
    "cyberready.graph": "core",
    "cyberready.posture": "core",
    "cyberready.engine": "core",
    "cyberready.scoring": "core",
    "cyberready.prioritize": "core",
    "cyberready.assess": "assess",
    "cyberready.portfolio": "portfolio",
    "cyberready.report": "report",
    "cyberready.interop": "interop",
    "cyberready.cli": "cli",
    "cyberready.__main__": "main",
    "cyberready": "api",
}
"""Each module's layer: by its longest listed prefix."""

_BELOW_REPORT = {"base", "models", "io", "workspace", "core", "assess", "portfolio"}
ALLOWED: dict[str, set[str]] = {
    "base": {"base"},
    "models": {"base", "models"},
    "io": {"base", "models", "io"},
    "workspace": {"base", "models", "io", "workspace"},
    "core": {"base", "models", "io", "workspace", "core"},
    "assess": {"base", "models", "io", "workspace", "core", "assess"},
    "portfolio": {"base", "models", "io", "workspace", "core", "assess", "portfolio"},
    "report": {*_BELOW_REPORT, "report"},
    "interop": {*_BELOW_REPORT, "report", "interop"},
    "cli": {*_BELOW_REPORT, "report", "interop", "cli", "api"},
    "main": {"cli"},
    "api": {*_BELOW_REPORT, "report", "interop"},
}
"""Which layers a layer's modules may import at module level: the layers below it and its own.
``report`` and ``interop`` sit beside the pipeline and read its results; nothing but
``__main__`` imports the CLI, and nothing inside the package imports the top-level facade
``cyberready`` (its ``__init__``) except the CLI."""


def layer(module: str) -> str | None:
    """The module's layer: that of its longest listed prefix (None when not listed)."""
    name = module
    while name not in LAYER_OF and "." in name:
        name = name.rpartition(".")[0]
    return LAYER_OF.get(name) if name != PACKAGE or module == PACKAGE else None


def test_every_module_has_a_layer() -> None:
    """A new top-level module or package is placed in a layer here when it is added."""
    missing = [name for name in module_files() if layer(name) not in ALLOWED]
    assert not missing, f"add to LAYER_OF: {missing}"


def layer_violations() -> list[Import]:
    """Module-level imports into a layer their source's layer may not import (modules with
    no layer are reported by :func:`test_every_module_has_a_layer`)."""
    bad = []
    for imp in all_imports():
        source = layer(imp.source)
        if imp.module_level and source is not None and layer(imp.target) not in ALLOWED[source]:
            bad.append(imp)
    return bad


def test_layers_only_import_downwards() -> None:
    """Module-level imports follow the layering (the table above); imports inside
    functions are deferred on purpose and are covered by the cycle test."""
    bad = layer_violations()
    assert not bad, f"{len(bad)} import(s) against the layering:\n" + "\n".join(
        f"  [{layer(i.source)} -> {layer(i.target)}] {i}" for i in bad
    )


def test_only_main_imports_the_cli() -> None:
    """At any level, module or function: the CLI is the outermost layer."""
    bad = [
        imp
        for imp in all_imports()
        if layer(imp.target) == "cli" and layer(imp.source) not in {"cli", "main"}
    ]
    assert not bad, "\n".join(str(i) for i in bad)


def test_every_type_ignore_says_why() -> None:
    # a silenced type error carries its reason on the same line: `# type: ignore[code]  # why`
    repo = ROOT.parent
    marker = "# type" + ": ignore"  # spelt in two parts so this line is not one
    bare = []
    for folder in ("cyberready", "tests", "benchmarks"):
        for path in sorted((repo / folder).rglob("*.py")):
            for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
                _, found, rest = line.partition(marker)
                if found and "#" not in rest:
                    bare.append(f"{path.relative_to(repo)}:{n}")
    assert bare == []
