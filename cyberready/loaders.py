"""Loading the library (shipped and user frameworks/scenarios) and EMB workspaces from disk.

Everything wrong is collected and raised once, as one :class:`~cyberready.errors.InputError`
listing every problem with file, line and field.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from cyberready.assets import ResolvedSystem
from cyberready.errors import Problem, did_you_mean
from cyberready.generate import expand_generate
from cyberready.io import (
    CsvTable,
    Document,
    data_dir,
    load_model_file,
    raise_if,
    read_workspace_csv,
)
from cyberready.models import (
    Assessment,
    Catalog,
    EmbProfile,
    Framework,
    PlatformScorecard,
    Scenario,
    StrictModel,
    SystemModel,
    TechniqueCatalog,
)
from cyberready.workspace import Library, Workspace, check_library, check_system, check_workspace

__all__ = [
    "load_library",
    "load_workspace",
    "resolve_system",
    "shipped_library",
    "validate_paths",
]

LIBRARY_KINDS = ("framework", "catalog", "techniques", "scenario")


def _yaml_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def _display(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return str(path.resolve().relative_to(root.resolve().parent))
        except ValueError:
            pass
    return str(path)


def _add_to_library(
    lib: Library, model: StrictModel, doc: Document, problems: list[Problem]
) -> None:
    if isinstance(model, TechniqueCatalog):
        for k, tech in enumerate(model.techniques):
            if tech.id in lib.techniques:
                problems.append(
                    doc.problem(
                        ("techniques", k, "id"),
                        f"technique {tech.id!r} is defined twice",
                        hint=f"also in {lib.doc('techniques', '').file}",
                    )
                )
            lib.techniques[tech.id] = tech
        lib.docs.setdefault(("techniques", ""), doc)
        return
    if isinstance(model, Framework):
        kind, ident = "framework", model.id
    elif isinstance(model, Catalog):
        kind, ident = "catalog", model.id
    elif isinstance(model, Scenario):
        kind, ident = "scenario", model.id
    else:
        raise TypeError(f"not a library model: {type(model).__name__}")
    clash_kinds = ("framework", "catalog") if kind in ("framework", "catalog") else (kind,)
    for other in clash_kinds:
        if (other, ident) in lib.docs:
            problems.append(
                doc.problem(
                    ("id",),
                    f"{kind} id {ident!r} clashes with one already loaded",
                    value=ident,
                    hint=f"defined in {lib.docs[(other, ident)].file}; rename one of them",
                )
            )
            return
    if isinstance(model, Framework):
        lib.frameworks[ident] = model
    elif isinstance(model, Catalog):
        lib.catalogs[ident] = model
    else:
        lib.scenarios[ident] = model
    lib.docs[(kind, ident)] = doc


def load_library(
    frameworks_dirs: Sequence[Path] = (),
    scenarios_dirs: Sequence[Path] = (),
    *,
    include_shipped: bool = True,
    check: bool = True,
) -> Library:
    """Load frameworks, catalogs, techniques and scenarios: the shipped ones, then each folder.

    Raises :class:`InputError` with every problem found (ids that clash are errors).
    """
    lib, problems = _load_library(frameworks_dirs, scenarios_dirs, include_shipped=include_shipped)
    if check:
        problems += check_library(lib)
    raise_if(problems)
    return lib


def _load_library(
    frameworks_dirs: Sequence[Path],
    scenarios_dirs: Sequence[Path],
    *,
    include_shipped: bool = True,
) -> tuple[Library, list[Problem]]:
    lib = Library()
    problems: list[Problem] = []
    folders: list[tuple[Path, Path | None]] = []
    if include_shipped:
        folders += [(data_dir("frameworks"), None), (data_dir("scenarios"), None)]
    folders += [(d, d) for d in [*frameworks_dirs, *scenarios_dirs]]
    for folder, root in folders:
        if not folder.is_dir():
            problems.append(Problem(file=str(folder), message="not a folder"))
            continue
        for path in _yaml_files(folder):
            shown = _display(path, root) if root else f"{folder.name}/{path.name}"
            model, doc, more = load_model_file(path, display=shown, expect=LIBRARY_KINDS)
            problems += more
            if model is not None and doc is not None:
                _add_to_library(lib, model, doc, problems)
    return lib, problems


_SHIPPED: Library | None = None


def shipped_library() -> Library:
    """The shipped library, loaded and checked once per process (it never changes)."""
    global _SHIPPED
    if _SHIPPED is None:
        _SHIPPED = load_library()
    return _SHIPPED


def _history_sort_key(a: Assessment, name: str) -> tuple[object, str]:
    return (a.as_of, name)


def load_workspace(
    path: Path | str,
    *,
    frameworks_dirs: Sequence[Path] = (),
    scenarios_dirs: Sequence[Path] = (),
) -> Workspace:
    """Load and cross-check an EMB workspace folder.

    Reads ``emb.yaml``, ``system.yaml``, ``assessment.yaml`` (optional: without it every control
    is unassessed), ``platforms/*.yaml``, ``history/*.yaml`` and the workspace's own
    ``frameworks/`` and ``scenarios/``. Raises :class:`InputError` listing every problem.
    """
    ws, problems = _load_workspace(Path(path), frameworks_dirs, scenarios_dirs)
    raise_if(problems)
    assert ws is not None
    return ws


def _load_workspace(
    root: Path, frameworks_dirs: Sequence[Path], scenarios_dirs: Sequence[Path]
) -> tuple[Workspace | None, list[Problem]]:
    problems: list[Problem] = []
    if not root.is_dir():
        return None, [Problem(file=str(root), message="not a workspace folder")]
    fdirs = [*frameworks_dirs]
    sdirs = [*scenarios_dirs]
    if (root / "frameworks").is_dir():
        fdirs.append(root / "frameworks")
    if (root / "scenarios").is_dir():
        sdirs.append(root / "scenarios")
    lib, lib_problems = _load_library(fdirs, sdirs)
    problems += lib_problems
    if not lib_problems:
        problems += check_library(lib)

    def load(rel: str, kind: str, required: bool) -> tuple[StrictModel | None, Document | None]:
        p = root / rel
        if not p.exists():
            if required:
                problems.append(Problem(file=_display(p, root), message=f"missing {rel}"))
            return None, None
        model, doc, more = load_model_file(p, display=_display(p, root), expect=[kind])
        problems.extend(more)
        return model, doc

    emb, emb_doc = load("emb.yaml", "emb", True)
    system, system_doc = load("system.yaml", "system", True)
    assessment, assessment_doc = load("assessment.yaml", "assessment", False)
    platforms: list[tuple[PlatformScorecard, Document]] = []
    if (root / "platforms").is_dir():
        for p in _yaml_files(root / "platforms"):
            m, d = load(str(p.relative_to(root)), "platform_scorecard", True)
            if isinstance(m, PlatformScorecard) and d is not None:
                platforms.append((m, d))
    history: list[tuple[Assessment, str]] = []
    if (root / "history").is_dir():
        for p in _yaml_files(root / "history"):
            m, _ = load(str(p.relative_to(root)), "assessment", True)
            if isinstance(m, Assessment):
                history.append((m, p.name))
    resolved: ResolvedSystem | None = None
    if isinstance(system, SystemModel) and system_doc is not None:
        resolved, sys_problems = resolve_system(root, system, system_doc)
        problems += sys_problems
    if (
        problems
        or not isinstance(emb, EmbProfile)
        or emb_doc is None
        or resolved is None
        or not isinstance(system, SystemModel)
        or system_doc is None
    ):
        return None, problems
    assess = assessment if isinstance(assessment, Assessment) else None
    problems += check_workspace(
        emb, emb_doc, resolved, system, system_doc, assess, assessment_doc, platforms, lib
    )
    for hist, name in history:
        hdoc = Document(file=f"history/{name}", data=None)
        problems += [
            p
            for p in check_workspace(
                emb, emb_doc, resolved, system, system_doc, hist, hdoc, [], lib
            )
            if p.file == hdoc.file
        ]
    if problems:
        return None, problems
    docs = {d.file: d for d in (emb_doc, system_doc, assessment_doc) if d is not None}
    ws = Workspace(
        path=root,
        emb=emb,
        system=system,
        resolved=resolved,
        assessment=assess,
        library=lib,
        platforms=tuple(m for m, _ in platforms),
        history=tuple(h for h, _ in sorted(history, key=lambda t: _history_sort_key(*t))),
        docs=docs,
    )
    return ws, []


def resolve_system(
    root: Path, system: SystemModel, doc: Document
) -> tuple[ResolvedSystem | None, list[Problem]]:
    """The system's assets and links as arrays, with its ``generate:`` replicas read from the
    CSVs inside ``root`` (kept columnar), and every problem with them."""
    if not system.generate:
        problems = check_system(system, doc, None)
        if problems:
            return None, problems
        resolved = ResolvedSystem.from_model(system)
    else:
        # duplicates are checked here; links are checked with the replicas they may point into
        problems = check_system(system.model_copy(update={"links": ()}), doc, None)
        tables = []
        read: dict[str, CsvTable | None] = {}  # each CSV is read (and reported) once
        for k, spec in enumerate(system.generate):
            if spec.csv not in read:
                read[spec.csv], more = read_workspace_csv(
                    root, spec.csv, doc, ("generate", k, "csv")
                )
                problems += more
            tables.append(read[spec.csv])
        generated, more = expand_generate(system, doc, tables)
        problems += more
        if problems or generated is None:
            return None, problems
        resolved = ResolvedSystem.from_model(system, generated=generated)
    problems = check_system(system, doc, resolved)
    return (None if problems else resolved), problems


def validate_paths(paths: Iterable[Path]) -> list[Problem]:
    """Every problem in the given files and workspaces; changes no file.

    A folder with an ``emb.yaml`` is a workspace; any other folder is a set of files; a file is
    checked by its ``kind`` (frameworks and scenarios against the shipped library).
    """
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir() and (path / "emb.yaml").exists():
            problems += _load_workspace(path, (), ())[1]
        elif path.is_dir():
            files = _yaml_files(path)
            if not files:
                problems.append(Problem(file=str(path), message="no .yaml files here"))
            problems += _validate_files(files)
        elif path.exists():
            problems += _validate_files([path])
        else:
            problems.append(Problem(file=str(path), message="no such file or folder"))
    return problems


def _validate_files(files: Sequence[Path]) -> list[Problem]:
    problems: list[Problem] = []
    base, base_problems = _load_library((), ())
    problems += base_problems
    for path in files:
        model, doc, more = load_model_file(path, display=str(path))
        problems += more
        if model is None or doc is None:
            continue
        if isinstance(model, Framework | Catalog | Scenario | TechniqueCatalog):
            lib = Library(
                frameworks=dict(base.frameworks),
                catalogs=dict(base.catalogs),
                techniques=dict(base.techniques),
                scenarios=dict(base.scenarios),
                docs=dict(base.docs),
            )
            ident = getattr(model, "id", "")
            kind = {Framework: "framework", Catalog: "catalog", Scenario: "scenario"}.get(
                type(model), "techniques"
            )
            # the file replaces a shipped one with the same id (an updated official text)
            lib.docs.pop((kind, ident), None)
            if isinstance(model, Framework):
                lib.frameworks.pop(ident, None)
            elif isinstance(model, Catalog):
                lib.catalogs.pop(ident, None)
            elif isinstance(model, Scenario):
                lib.scenarios.pop(ident, None)
            else:
                lib.techniques = {}
            adding: list[Problem] = []
            _add_to_library(lib, model, doc, adding)
            problems += adding
            problems += [p for p in check_library(lib) if p.file == doc.file]
        elif isinstance(model, SystemModel):
            problems += resolve_system(path.parent, model, doc)[1]
        elif isinstance(model, Assessment | PlatformScorecard | EmbProfile):
            problems += _check_loose_refs(model, doc, base)
    return problems


def _check_loose_refs(model: StrictModel, doc: Document, lib: Library) -> list[Problem]:
    """References a lone emb, assessment or scorecard file can be checked for without its
    workspace: framework, scenario and control ids."""
    problems: list[Problem] = []
    if isinstance(model, EmbProfile):
        for k, fid in enumerate(model.frameworks):
            if fid not in lib.frameworks:
                problems.append(
                    doc.problem(
                        ("frameworks", k),
                        f"unknown framework {fid!r}",
                        hint=did_you_mean(fid, lib.frameworks),
                    )
                )
    elif isinstance(model, Assessment | PlatformScorecard):
        for cid in model.answers:
            if lib.control(cid) is None:
                problems.append(
                    doc.problem(
                        ("answers", cid),
                        f"unknown control {cid!r}",
                        hint=did_you_mean(cid, lib._controls),
                    )
                )
    return problems
