"""Loading the library (shipped and user frameworks/scenarios) and EMB workspaces from disk.

Everything wrong is collected and raised once, as one :class:`~cyberready.errors.InputError`
listing every problem with file, line and field. A file that fails does not hide the others:
the valid part of each file is still cross-checked (:func:`cyberready.io.salvage_model`), and
references into a broken file are not reported as dangling (:class:`~cyberready.workspace.Gaps`).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cyberready.errors import Problem, input_error_for
from cyberready.io import (
    CsvTable,
    Document,
    Loaded,
    data_dir,
    is_inside,
    load_file,
    raise_if,
    read_workspace_csv,
    safe_join,
)
from cyberready.models import (
    Assessment,
    Catalog,
    EmbProfile,
    Framework,
    Incident,
    IncidentRegistry,
    PlatformScorecard,
    Scenario,
    StrictModel,
    SystemModel,
    Technique,
    TechniqueCatalog,
)
from cyberready.workspace._assets import ResolvedSystem
from cyberready.workspace._diagnostics import Diagnostics, diagnose
from cyberready.workspace._generate import expand_generate
from cyberready.workspace._history import history_key
from cyberready.workspace._inputs import (
    Gaps,
    Library,
    Workspace,
    check_library,
    check_system,
    check_workspace,
    gaps_of,
    library_warnings,
    raw_duplicates,
    unknown_ref,
)

__all__ = [
    "Validation",
    "check_workspace_paths",
    "load_library",
    "load_workspace",
    "resolve_system",
    "shipped_library",
    "validate_inputs",
    "validate_paths",
]

LIBRARY_KINDS = ("framework", "catalog", "techniques", "scenario", "incidents")
_FRAMEWORK_KINDS = ("framework", "catalog", "control", "domain", "item")
"""What an unreadable file in a frameworks folder might have defined."""
_SCENARIO_KINDS = ("scenario", "technique", "incident")
"""What an unreadable file in a scenarios folder might have defined."""


def _yaml_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def _display(path: Path, base: Path) -> str:
    """``path`` as shown in problems: relative to ``base``'s parent (``ws/system.yaml``)."""
    try:
        return str(path.resolve().relative_to(base.resolve().parent))
    except ValueError:
        return str(path)


def _ordered(problems: Iterable[Problem]) -> list[Problem]:
    """Problems without repeats, grouped by file (in order of first appearance), by line."""
    seen: set[tuple[object, ...]] = set()
    unique: list[Problem] = []
    for p in problems:
        key = (p.file, p.line, p.field, p.message)
        if key not in seen:
            seen.add(key)
            unique.append(p)
    order = {f: i for i, f in reversed(list(enumerate(p.file for p in unique)))}
    return sorted(unique, key=lambda p: (order[p.file], p.line or 0))


@dataclass
class _LibraryBuilder:
    """A library while it is being read: plain dicts that files are added to (or, for loose
    files that replace shipped ones, taken from), made a :class:`Library` once complete."""

    frameworks: dict[str, Framework] = field(default_factory=dict)
    catalogs: dict[str, Catalog] = field(default_factory=dict)
    techniques: dict[str, Technique] = field(default_factory=dict)
    scenarios: dict[str, Scenario] = field(default_factory=dict)
    incidents: dict[str, Incident] = field(default_factory=dict)
    docs: dict[tuple[str, str], Document] = field(default_factory=dict)
    gaps: Gaps = field(default_factory=Gaps)
    shipped: set[tuple[str, str]] = field(default_factory=set)

    @classmethod
    def of(cls, lib: Library) -> _LibraryBuilder:
        """A builder starting from everything ``lib`` holds (``lib`` itself is not changed)."""
        return cls(
            frameworks=dict(lib.frameworks),
            catalogs=dict(lib.catalogs),
            techniques=dict(lib.techniques),
            scenarios=dict(lib.scenarios),
            incidents=dict(lib.incidents),
            docs=dict(lib.docs),
            gaps=lib.gaps,
            shipped=set(lib.shipped),
        )

    def build(self) -> Library:
        """The library as read so far (a copy: later additions do not reach it)."""
        return Library(
            frameworks=self.frameworks,
            catalogs=self.catalogs,
            techniques=self.techniques,
            scenarios=self.scenarios,
            incidents=self.incidents,
            docs=self.docs,
            gaps=self.gaps,
            shipped=frozenset(self.shipped),
        )


def _add_items(
    lib: _LibraryBuilder,
    model: TechniqueCatalog | IncidentRegistry,
    doc: Document,
    problems: list[Problem],
    *,
    shipped: bool,
) -> None:
    """Add the techniques or incidents of one file: more files may add more, and an id
    defined twice is a duplicate (in one file) or a clash (across files)."""
    items: list[Technique | Incident]
    if isinstance(model, TechniqueCatalog):
        kind, section = "technique", "techniques"
        items = list(model.techniques)
    else:
        kind, section = "incident", "items"
        items = list(model.items)
    for k, item in enumerate(items):
        first = lib.docs.get((kind, item.id))
        if first is not None:
            if first.file == doc.file:
                where = first.line_of((section, _position(doc, section, item.id), "id"))
                problems.append(
                    doc.problem(
                        (section, k, "id"),
                        f"duplicate {kind} id {item.id!r}",
                        value=item.id,
                        hint=f"first defined at line {where}",
                    )
                )
            else:
                problems.append(
                    doc.problem(
                        (section, k, "id"),
                        f"{kind} {item.id!r} clashes with the one in {first.file}",
                        value=item.id,
                        hint="ids must be unique across the shipped and your own files: rename one",
                    )
                )
            continue
        if isinstance(item, Technique):
            lib.techniques[item.id] = item
        else:
            lib.incidents[item.id] = item
        lib.docs[(kind, item.id)] = doc
        if shipped:
            lib.shipped.add((kind, item.id))
    lib.docs.setdefault((model.kind, ""), doc)


def _position(doc: Document, section: str, ident: str) -> int:
    """Position of the first item with this id in a file's raw list (for a duplicate's hint)."""
    items = doc.data.get(section) if isinstance(doc.data, dict) else None
    for i, item in enumerate(items if isinstance(items, list) else []):
        if isinstance(item, dict) and item.get("id") == ident:
            return i
    return 0


def _add_to_library(
    lib: _LibraryBuilder,
    model: StrictModel,
    doc: Document,
    problems: list[Problem],
    *,
    shipped: bool = False,
) -> None:
    if isinstance(model, TechniqueCatalog | IncidentRegistry):
        _add_items(lib, model, doc, problems, shipped=shipped)
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
                    f"{kind} id {ident!r} clashes with the {other} in "
                    f"{lib.docs[(other, ident)].file}",
                    value=ident,
                    hint="ids must be unique across the shipped and your own files: rename one",
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
    if shipped:
        lib.shipped.add((kind, ident))


def load_library(
    frameworks_dirs: Sequence[Path] = (),
    scenarios_dirs: Sequence[Path] = (),
    *,
    include_shipped: bool = True,
    check: bool = True,
) -> Library:
    """Load frameworks, catalogs, techniques, scenarios and incident registries: the shipped
    ones, then each folder.

    Raises :class:`~cyberready.errors.InputError` with every problem found (ids that clash
    are errors): a :class:`~cyberready.errors.FrameworkError` when all are in frameworks or
    catalogs, a :class:`~cyberready.errors.ScenarioError` when all are in scenarios, techniques
    or incident registries.
    """
    kinds: FileKinds = {}
    lib, problems = _load_library(
        frameworks_dirs, scenarios_dirs, include_shipped=include_shipped, kinds=kinds
    )
    if check:
        problems += check_library(lib)
    _raise_problems(_ordered(problems), kinds)
    return lib


def _load_into(
    lib: _LibraryBuilder,
    loaded: Loaded,
    unreadable: Sequence[str],
    problems: list[Problem],
    *,
    shipped: bool = False,
) -> None:
    """Add one loaded library file (or its salvaged part) to ``lib``; note its gaps."""
    problems += loaded.problems
    if loaded.problems:
        lib.gaps = lib.gaps | gaps_of(loaded.doc, unreadable)
        if loaded.doc is not None:
            problems += raw_duplicates(loaded.doc)
    usable = loaded.usable
    if usable is not None:
        _add_to_library(lib, usable[0], usable[1], problems, shipped=shipped)


def _load_library(
    frameworks_dirs: Sequence[Path],
    scenarios_dirs: Sequence[Path],
    *,
    include_shipped: bool = True,
    base: Library | None = None,
    workspace: Path | None = None,
    kinds: FileKinds | None = None,
) -> tuple[Library, list[Problem]]:
    """The library and every problem in its files; ``base`` (already loaded and checked)
    stands in for the shipped files. Files are named relative to their folder's parent
    (``frameworks/x.yaml``), or to the ``workspace``'s parent for a workspace's own folders
    (``ws/frameworks/x.yaml``). The kind of each file read is noted in ``kinds``."""
    if kinds is None:
        kinds = {}
    problems: list[Problem] = []
    folders: list[tuple[Path, Path, tuple[str, ...], bool]] = []
    if base is not None:
        lib = _LibraryBuilder.of(base)
    else:
        lib = _LibraryBuilder()
        if include_shipped:
            folders += [
                (data_dir("frameworks"), data_dir("frameworks"), _FRAMEWORK_KINDS, True),
                (data_dir("scenarios"), data_dir("scenarios"), _SCENARIO_KINDS, True),
            ]
    folders += [(d, workspace or d, _FRAMEWORK_KINDS, False) for d in frameworks_dirs]
    folders += [(d, workspace or d, _SCENARIO_KINDS, False) for d in scenarios_dirs]
    for folder, shown_from, defines, shipped in folders:
        # a file's kind is what it says it is, else what its folder holds (its first kind)
        if not folder.is_dir():
            problems.append(Problem(file=str(folder), message="not a folder"))
            kinds[str(folder)] = defines[0]
            continue
        for path in _yaml_files(folder):
            if workspace is not None and not is_inside(workspace, path):
                continue  # a link out of the workspace: reported by _Files.folder
            shown = _display(path, shown_from)
            loaded = load_file(path, display=shown, expect=LIBRARY_KINDS)
            kinds[shown] = _declared_kind(loaded) or defines[0]
            _load_into(lib, loaded, defines, problems, shipped=shipped)
    return lib.build(), problems


FileKinds = dict[str, str]
"""Shown file name -> the kind of file it is (its ``kind:``), to choose the error to raise."""


def _declared_kind(loaded: Loaded) -> str | None:
    """The library kind a file says it is (None when it cannot be read or says another)."""
    data = loaded.doc.data if loaded.doc is not None else None
    kind = data.get("kind") if isinstance(data, dict) else None
    return kind if isinstance(kind, str) and kind in LIBRARY_KINDS else None


def _raise_problems(problems: Sequence[Problem], kinds: FileKinds) -> None:
    """Raise every problem (if any) as the :class:`InputError` subclass of the kind of file
    they are in (:func:`cyberready.errors.input_error_for`): a ``generate:`` CSV counts as the
    system model, a file or folder of no known kind as none."""
    found = (kinds.get(p.file) or ("csv" if p.file.endswith(".csv") else None) for p in problems)
    raise_if(problems, input_error_for(found))


@functools.cache
def shipped_library() -> Library:
    """The shipped library, loaded and checked once per process (it never changes, and it is
    immutable, so every caller can share the one copy)."""
    return load_library()


def _history_sort_key(a: Assessment, name: str) -> tuple[object, ...]:
    # repeat numbers sort as numbers: assessment-<date>.yaml, then -2, -3, ..., -10
    return (a.as_of, history_key(name))


def load_workspace(
    path: Path | str,
    *,
    frameworks_dirs: Sequence[Path] = (),
    scenarios_dirs: Sequence[Path] = (),
) -> Workspace:
    """Load and cross-check an EMB workspace folder.

    Reads ``emb.yaml``, ``system.yaml``, ``assessment.yaml`` (optional: without it every control
    is unassessed), ``platforms/*.yaml``, ``history/*.yaml`` and the workspace's own
    ``frameworks/`` and ``scenarios/``. Raises :class:`~cyberready.errors.InputError` listing
    every problem, as the subclass of the kind of file they are all in when they are
    (:class:`~cyberready.errors.SystemModelError` for ``system.yaml`` and its CSVs,
    :class:`~cyberready.errors.AssessmentError` for the assessment, its history and the
    platform scorecards, :class:`~cyberready.errors.FrameworkError` and
    :class:`~cyberready.errors.ScenarioError` for the workspace's own library files).

    The shipped frameworks and scenarios are read and checked once per process
    (:func:`shipped_library`): they are package data and never change while it runs.
    """
    kinds: FileKinds = {}
    ws, problems = _load_workspace(
        Path(path), frameworks_dirs, scenarios_dirs, base=shipped_library(), kinds=kinds
    )
    _raise_problems(problems, kinds)
    assert ws is not None
    return ws


@dataclass
class _Files:
    """The files of one workspace as read, with the problems found so far."""

    root: Path
    problems: list[Problem] = field(default_factory=list)
    gaps: Gaps = field(default_factory=Gaps)
    kinds: FileKinds = field(default_factory=dict)

    def inside(self, p: Path) -> bool:
        """False (and a problem) when ``p`` is a link that leaves the workspace."""
        if is_inside(self.root, p):
            return True
        self.problems.append(
            Problem(
                file=str(Path(self.root.name) / p.relative_to(self.root)),
                message=f"is a link that leaves the workspace (to {p.resolve()}); not read",
                hint="a workspace's files and folders may link only to places inside it "
                "(copy the file in instead)",
            )
        )
        return False

    def folder(self, rel: str) -> list[Path]:
        """The YAML files of the workspace's sub-folder ``rel`` (none if it is missing), each
        checked to stay inside the workspace."""
        d = self.root / rel
        if not d.is_dir() or not self.inside(d):
            return []
        return [p for p in _yaml_files(d) if self.inside(p)]

    def load(self, rel: str, kind: str, *, required: bool) -> Loaded:
        p = self.root / rel
        if (p.exists() or p.is_symlink()) and not self.inside(p):
            return Loaded(None, None, [])
        self.kinds[_display(p, self.root)] = kind
        if not p.exists():
            if required:
                self.problems.append(
                    Problem(
                        file=_display(p, self.root),
                        message=f"missing {rel}",
                        hint=f"every workspace has an emb.yaml and a system.yaml (kind: {kind})",
                    )
                )
            return Loaded(None, None, [])
        loaded = load_file(p, display=_display(p, self.root), expect=[kind])
        self.problems += loaded.problems
        return loaded


def _scope_changed(loaded: Loaded) -> bool:
    """True when salvaging dropped entries of the file's ``frameworks:`` list."""
    usable = loaded.usable
    if loaded.model is not None or usable is None or loaded.doc is None:
        return False
    raw = loaded.doc.data.get("frameworks") if isinstance(loaded.doc.data, dict) else None
    kept = getattr(usable[0], "frameworks", None)
    return raw is not None and (not isinstance(raw, list) or tuple(raw) != tuple(kept or ()))


def _load_workspace(
    root: Path,
    frameworks_dirs: Sequence[Path],
    scenarios_dirs: Sequence[Path],
    *,
    base: Library | None = None,
    kinds: FileKinds | None = None,
) -> tuple[Workspace | None, list[Problem]]:
    """The workspace (None on any problem) and every problem; the kind of each file read is
    noted in ``kinds``."""
    if not root.is_dir():
        return None, [Problem(file=str(root), message="not a workspace folder")]
    files = _Files(root, kinds={} if kinds is None else kinds)
    lib, lib_problems = _load_library(frameworks_dirs, scenarios_dirs, base=base, kinds=files.kinds)
    files.problems += lib_problems
    own_f = [root / "frameworks"] if files.folder("frameworks") else []
    own_s = [root / "scenarios"] if files.folder("scenarios") else []
    if own_f or own_s:  # the workspace's own, beside the shipped and --*-dir ones
        lib, lib_problems = _load_library(own_f, own_s, base=lib, workspace=root, kinds=files.kinds)
        files.problems += lib_problems
    files.problems += check_library(lib)

    emb_l = files.load("emb.yaml", "emb", required=True)
    system_l = files.load("system.yaml", "system", required=True)
    assessment_l = files.load("assessment.yaml", "assessment", required=False)
    platforms_l = [
        files.load(str(p.relative_to(root)), "platform_scorecard", required=True)
        for p in files.folder("platforms")
    ]
    history_l = [
        (files.load(str(p.relative_to(root)), "assessment", required=True), p.name)
        for p in files.folder("history")
    ]

    resolved, checked = _system_for_checks(root, system_l, files)
    emb_u, sys_u, ass_u = emb_l.usable, system_l.usable, assessment_l.usable
    emb = emb_u[0] if emb_u and isinstance(emb_u[0], EmbProfile) else None
    system = sys_u[0] if sys_u and isinstance(sys_u[0], SystemModel) else None
    assessment = ass_u[0] if ass_u and isinstance(ass_u[0], Assessment) else None
    if _scope_changed(emb_l) or _scope_changed(assessment_l):
        files.gaps = files.gaps.with_unknown("scope")
    platforms = [
        (m, d)
        for m, d in (pl.usable for pl in platforms_l if pl.usable is not None)
        if isinstance(m, PlatformScorecard)
    ]
    files.problems += check_workspace(
        emb,
        emb_u[1] if emb_u else None,
        checked,
        system,
        sys_u[1] if sys_u else None,
        assessment,
        ass_u[1] if ass_u else None,
        platforms,
        lib,
        gaps=files.gaps,
    )
    history: list[tuple[Assessment, str]] = []
    for loaded, name in history_l:
        usable = loaded.usable
        if usable is None or not isinstance(usable[0], Assessment):
            continue
        hist, hdoc = usable[0], usable[1]
        if loaded.model is not None:
            history.append((hist, name))
        files.problems += [
            p
            for p in check_workspace(
                emb,
                None,
                checked,
                None,
                None,
                hist,
                hdoc,
                [],
                lib,
                gaps=files.gaps,
                historical=True,
            )
            if p.file == hdoc.file
        ]
    problems = _ordered(files.problems)
    if (
        problems
        or not isinstance(emb_l.model, EmbProfile)
        or not isinstance(system_l.model, SystemModel)
        or resolved is None
        or system_l.doc is None
    ):
        return None, problems
    assess = assessment_l.model if isinstance(assessment_l.model, Assessment) else None
    docs = {d.file: d for d in (emb_l.doc, system_l.doc, assessment_l.doc) if d is not None}
    ws = Workspace(
        path=root,
        emb=emb_l.model,
        system=system_l.model,
        resolved=resolved,
        assessment=assess,
        library=lib,
        platforms=tuple(pl.model for pl in platforms_l if isinstance(pl.model, PlatformScorecard)),
        history=tuple(h for h, _ in sorted(history, key=lambda t: _history_sort_key(*t))),
        docs=docs,
        warnings=tuple(_ordered([*library_warnings(lib), *_answer_warnings(assessment_l)])),
    )
    return ws, []


def _answer_warnings(loaded: Loaded) -> list[Problem]:
    """Answers whose target sits below the level already reached: allowed (a target may have
    been set before the work was done), but no action will be planned towards it."""
    if not isinstance(loaded.model, Assessment) or loaded.doc is None:
        return []
    warnings: list[Problem] = []
    for cid, answer in loaded.model.answers.items():
        if answer.target is None or answer.level == "n/a" or answer.target >= answer.level:
            continue
        warnings.append(
            loaded.doc.problem(
                ("answers", cid, "target"),
                f"target {answer.target} is below the level already reached ({answer.level})",
                value=answer.target,
                hint=f"raise the target to {answer.level} or more, or remove it",
            )
        )
    return warnings


def _system_for_checks(
    root: Path, loaded: Loaded, files: _Files
) -> tuple[ResolvedSystem | None, ResolvedSystem | None]:
    """``(resolved, checked)``: the system as the engine will see it (None on any problem),
    and a best-effort resolution of its valid part that other files are checked against
    (None when there is none: then their asset references are not checked)."""
    if loaded.doc is None or (loaded.model is None and loaded.partial is None):
        files.gaps = files.gaps.with_unknown("asset")
        if loaded.doc is not None:
            files.gaps = files.gaps | gaps_of(loaded.doc, ("asset",))
        return None, None
    if isinstance(loaded.model, SystemModel):
        resolved, more = resolve_system(root, loaded.model, loaded.doc)
        files.problems += more
        if resolved is not None:
            return resolved, resolved
        if loaded.model.generate:  # the replicas could not be made: their ids are unknown
            files.gaps = files.gaps.with_unknown("asset")
            return None, None
        lenient = _resolve_leniently(loaded.model)
        files.problems += check_system(loaded.model, loaded.doc, lenient)
        return None, lenient
    partial, pdoc = loaded.partial, loaded.partial_doc
    if not isinstance(partial, SystemModel) or pdoc is None:
        files.gaps = files.gaps.with_unknown("asset")
        return None, None
    own = gaps_of(loaded.doc, ("asset",))
    if partial.generate:
        own = own.with_unknown("asset")
    files.gaps = files.gaps | own
    files.problems += raw_duplicates(loaded.doc)
    files.problems += check_system(partial, pdoc, None, gaps=own)
    files.problems += check_workspace_paths(root, partial, pdoc)
    files.problems += _generate_problems(root, partial, pdoc)
    lenient = _resolve_leniently(partial)
    files.problems += check_system(partial, pdoc, lenient, gaps=own)
    return None, lenient


def _generate_problems(root: Path, system: SystemModel, doc: Document) -> list[Problem]:
    """The problems of the ``generate:`` CSVs and their rows, for a system file with problems
    elsewhere: a broken asset does not hide a bad CSV (link ends are not checked, since the
    ids of the broken part are unknown)."""
    tables, problems = _read_tables(root, system, doc)
    _, more = expand_generate(system, doc, tables, check_references=False)
    return problems + more


def _read_tables(
    root: Path, system: SystemModel, doc: Document
) -> tuple[list[CsvTable | None], list[Problem]]:
    """The CSV of each ``generate:`` entry (each file read, and its problems reported, once)."""
    problems: list[Problem] = []
    tables: list[CsvTable | None] = []
    read: dict[str, CsvTable | None] = {}
    for k, spec in enumerate(system.generate):
        if spec.csv not in read:
            read[spec.csv], more = read_workspace_csv(root, spec.csv, doc, ("generate", k, "csv"))
            problems += more
        tables.append(read[spec.csv])
    return tables, problems


def _resolve_leniently(system: SystemModel) -> ResolvedSystem:
    """The explicit assets, and the links whose ends both exist: enough to check references."""
    known = {a.id for a in system.assets}
    links = tuple(lk for lk in system.links if lk.from_ in known and lk.to in known)
    return ResolvedSystem.from_model(system.model_copy(update={"links": links, "generate": ()}))


def check_workspace_paths(root: Path, system: SystemModel, doc: Document) -> list[Problem]:
    """Every path field of a system file that is absolute or leaves the workspace ``root``.

    Paths inside workspace files (``generate: - csv:``) are relative to the workspace and may
    not leave it (``../``, an absolute path, a link pointing outside); each bad one is a
    problem at its line. :func:`cyberready.io.read_workspace_csv` makes the same check when it
    reads the file.
    """
    problems: list[Problem] = []
    for k, spec in enumerate(system.generate):
        if safe_join(root, spec.csv) is None:
            problems.append(
                doc.problem(
                    ("generate", k, "csv"),
                    f"CSV path {spec.csv!r} leaves the workspace",
                    value=spec.csv,
                    hint="paths in workspace files are relative and stay inside the workspace "
                    "folder",
                )
            )
    return problems


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
        tables, more = _read_tables(root, system, doc)
        problems += more
        generated, more = expand_generate(system, doc, tables)
        problems += more
        if problems or generated is None:
            return None, problems
        resolved = ResolvedSystem.from_model(system, generated=generated)
    problems = check_system(system, doc, resolved)
    return (None if problems else resolved), problems


@dataclass(frozen=True)
class Validation:
    """What :func:`validate_inputs` found: problems (the inputs are invalid) and warnings
    (allowed, but worth a look), each grouped by file in line order; and, per workspace that
    loaded, the workspace and its scenarios' :class:`~cyberready.workspace.Diagnostics`
    (whose warnings are among ``warnings``), in the same order."""

    problems: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()
    diagnostics: tuple[Diagnostics, ...] = ()
    workspaces: tuple[Workspace, ...] = ()

    @property
    def valid(self) -> bool:
        """True when there is no problem (warnings do not count)."""
        return not self.problems


def validate_inputs(
    paths: Iterable[Path],
    *,
    frameworks_dirs: Sequence[Path] = (),
    scenarios_dirs: Sequence[Path] = (),
) -> Validation:
    """Every problem and warning in the given files and workspaces; changes no file.

    A folder with an ``emb.yaml`` is a workspace; any other folder is a set of files checked
    together; a file is checked by its ``kind`` (frameworks, catalogs, techniques, scenarios
    and incident registries together with the shipped library and any ``frameworks_dirs`` and
    ``scenarios_dirs``, a file replacing the one of the same id). The shipped library is
    checked too. Warnings are :func:`~cyberready.workspace.library_warnings` of your own
    scenarios (incidents cited as free text) and, for each workspace that loads, the
    :func:`~cyberready.workspace.diagnose` warnings of its scenarios (rules that match
    nothing, scenarios that can affect nothing).
    """
    problems: list[Problem] = []
    base, base_problems = _load_library(frameworks_dirs, scenarios_dirs)
    problems += base_problems + check_library(base)
    warnings = library_warnings(base)
    diagnostics: list[Diagnostics] = []
    workspaces: list[Workspace] = []
    for path in paths:
        if path.is_dir() and (path / "emb.yaml").exists():
            ws, more = _load_workspace(path, (), (), base=base)
            problems += more
            if ws is not None:
                found = diagnose(ws)
                diagnostics.append(found)
                workspaces.append(ws)
                warnings += [*ws.warnings, *found.warnings]
        elif path.is_dir():
            files = _yaml_files(path)
            if not files:
                problems.append(Problem(file=str(path), message="no .yaml files here"))
            more, notes = _validate_files(files, base)
            problems += more
            warnings += notes
        elif path.exists():
            more, notes = _validate_files([path], base)
            problems += more
            warnings += notes
        else:
            problems.append(Problem(file=str(path), message="no such file or folder"))
    return Validation(
        tuple(_ordered(problems)),
        tuple(_ordered(warnings)),
        tuple(diagnostics),
        tuple(workspaces),
    )


def validate_paths(
    paths: Iterable[Path],
    *,
    frameworks_dirs: Sequence[Path] = (),
    scenarios_dirs: Sequence[Path] = (),
) -> list[Problem]:
    """Every problem in the given files and workspaces, grouped by file in line order;
    changes no file. The problems of :func:`validate_inputs`, without its warnings."""
    found = validate_inputs(paths, frameworks_dirs=frameworks_dirs, scenarios_dirs=scenarios_dirs)
    return list(found.problems)


_LIBRARY_TYPES = (Framework, Catalog, Scenario, TechniqueCatalog, IncidentRegistry)


def _without(lib: _LibraryBuilder, model: StrictModel) -> None:
    """Take out of ``lib`` what ``model`` replaces (same kind and id)."""
    if isinstance(model, TechniqueCatalog):
        for tech in model.techniques:
            lib.techniques.pop(tech.id, None)
            lib.docs.pop(("technique", tech.id), None)
        lib.docs.pop(("techniques", ""), None)
    elif isinstance(model, IncidentRegistry):
        for incident in model.items:
            lib.incidents.pop(incident.id, None)
            lib.docs.pop(("incident", incident.id), None)
            lib.shipped.discard(("incident", incident.id))
        lib.docs.pop(("incidents", ""), None)
    elif isinstance(model, Framework | Catalog | Scenario):
        for kind in ("framework", "catalog", "scenario"):
            lib.docs.pop((kind, model.id), None)
            lib.shipped.discard((kind, model.id))
        lib.frameworks.pop(model.id, None)
        lib.catalogs.pop(model.id, None)
        lib.scenarios.pop(model.id, None)


def _validate_files(files: Sequence[Path], base: Library) -> tuple[list[Problem], list[Problem]]:
    """Problems and warnings of loose files: library files are checked together, against the
    shipped library (which they may replace id for id); other kinds as far as they can be
    alone."""
    problems: list[Problem] = []
    loaded = [(path, load_file(path, display=str(path))) for path in files]
    building = _LibraryBuilder.of(base)
    shown = {str(path) for path in files}
    for _path, one in loaded:
        usable = one.usable
        if usable is not None and isinstance(usable[0], _LIBRARY_TYPES):
            _without(building, usable[0])
    for _path, one in loaded:
        usable = one.usable
        if one.doc is not None and isinstance(one.doc.data, dict):
            is_library = one.doc.data.get("kind") in LIBRARY_KINDS
        else:
            is_library = False
        if is_library or (usable is not None and isinstance(usable[0], _LIBRARY_TYPES)):
            _load_into(building, one, (*_FRAMEWORK_KINDS, *_SCENARIO_KINDS), problems)
        else:
            problems += one.problems
    lib = building.build()
    problems += [p for p in check_library(lib) if p.file in shown]
    for path, one in loaded:
        usable = one.usable
        if usable is None:
            continue
        model, doc = usable
        if isinstance(model, SystemModel):
            problems += _loose_system(path.parent, one)
        elif isinstance(model, Assessment | PlatformScorecard | EmbProfile):
            problems += _check_loose_refs(model, doc, lib)
    warnings = [w for w in library_warnings(lib) if w.file in shown]
    return problems, warnings


def _loose_system(root: Path, loaded: Loaded) -> list[Problem]:
    files = _Files(root)
    _system_for_checks(root, loaded, files)
    return files.problems


def _check_loose_refs(model: StrictModel, doc: Document, lib: Library) -> list[Problem]:
    """References a lone emb, assessment or scorecard file can be checked for without its
    workspace: framework, scenario and control ids."""
    problems: list[Problem] = []
    gaps = lib.gaps
    if isinstance(model, EmbProfile | Assessment):
        for k, fid in enumerate(model.frameworks):
            problems += unknown_ref(doc, ("frameworks", k), "framework", fid, lib.frameworks, gaps)
    if isinstance(model, EmbProfile) and model.scenarios != "all":
        for k, sid in enumerate(model.scenarios):
            problems += unknown_ref(doc, ("scenarios", k), "scenario", sid, lib.scenarios, gaps)
    if isinstance(model, PlatformScorecard):
        problems += unknown_ref(
            doc, ("framework",), "framework", model.framework, lib.frameworks, gaps
        )
    if isinstance(model, Assessment | PlatformScorecard):
        for cid in model.answers:
            problems += unknown_ref(doc, ("answers", cid), "control", cid, lib._controls, gaps)
    return problems


def workspace_folders(root: Path) -> list[Path]:
    """The EMB workspaces of a portfolio folder, sorted by name: ``root`` itself when it holds
    an ``emb.yaml``, else each sub-folder that does.

    Raises :class:`InputError` when ``root`` is not a folder or holds no workspace.
    """
    if not root.is_dir():
        raise_if([Problem(file=str(root), message="not a folder")])
    if (root / "emb.yaml").is_file():
        return [root]
    found = sorted(p for p in root.iterdir() if p.is_dir() and (p / "emb.yaml").is_file())
    if not found:
        raise_if(
            [
                Problem(
                    file=str(root),
                    message="no EMB workspace here",
                    hint="a portfolio folder holds one sub-folder per EMB, each with an emb.yaml",
                )
            ]
        )
    return found


def workspace_size(root: Path) -> int:
    """Bytes of a workspace's system model and CSV files: a cheap estimate of how much work
    it is, to start the largest first when many are assessed in parallel."""
    files = [root / "system.yaml", *root.rglob("*.csv")]
    return sum(p.stat().st_size for p in files if p.is_file())
