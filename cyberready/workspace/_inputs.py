"""Loaded, cross-checked inputs: the :class:`Library` of frameworks, catalogs, techniques,
scenarios and incidents, and an EMB :class:`Workspace`.

The checks here are pure: they take parsed models (with the :class:`~cyberready.io.Document`
each came from, for line numbers) and return every :class:`~cyberready.errors.Problem` found.
Reading files is :mod:`cyberready.io`'s job.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Final

import numpy as np

from cyberready.errors import Problem, did_you_mean
from cyberready.io import Document
from cyberready.models import (
    Assessment,
    Catalog,
    Control,
    EmbProfile,
    Framework,
    Incident,
    PlatformScorecard,
    Scenario,
    Selector,
    SystemModel,
    Technique,
)
from cyberready.models.vocab import duplicated
from cyberready.workspace._assets import ResolvedSystem
from cyberready.workspace._frozen import FrozenMap, freeze

__all__ = [
    "Gaps",
    "Library",
    "Workspace",
    "check_library",
    "check_system",
    "check_workspace",
    "gaps_of",
    "library_warnings",
    "raw_duplicates",
]


@dataclass(frozen=True)
class Gaps:
    """What files that failed to load might have defined.

    A reference into a broken file cannot be checked: reporting it as dangling would blame the
    wrong file, and the broken file's own problems are reported already. ``ids`` holds, per
    kind (``framework``, ``catalog``, ``technique``, ``scenario``, ``incident``, ``control``,
    ``asset``, ``domain:<framework>``, ``item:<catalog>``), the ids seen in broken files;
    ``unknown`` the kinds of which a file could not be read at all (any id may exist), and
    ``scope`` when the frameworks in scope are uncertain (an emb.yaml or assessment whose list
    was broken).

    Immutable: a library's gaps are shared by every workspace loaded on it, so adding to them
    makes a new value (:meth:`with_ids`, :meth:`with_unknown`, ``|``).
    """

    ids: Mapping[str, frozenset[str]] = field(default_factory=FrozenMap)
    unknown: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        object.__setattr__(self, "ids", FrozenMap({k: frozenset(v) for k, v in self.ids.items()}))
        object.__setattr__(self, "unknown", frozenset(self.unknown))

    def covers(self, kind: str, ident: object) -> bool:
        """True when ``ident`` of ``kind`` may exist in a broken file."""
        return kind in self.unknown or str(ident) in self.ids.get(kind, frozenset())

    def with_ids(self, kind: str, idents: Iterable[object]) -> Gaps:
        """These gaps and the ids seen in a broken file (a non-text id makes the whole kind
        unknown)."""
        ids = {k: set(v) for k, v in self.ids.items()}
        unknown = set(self.unknown)
        for ident in idents:
            if isinstance(ident, str) and ident:
                ids.setdefault(kind, set()).add(ident)
            else:
                unknown.add(kind)
        return Gaps(FrozenMap({k: frozenset(v) for k, v in ids.items()}), frozenset(unknown))

    def with_unknown(self, *kinds: str) -> Gaps:
        """These gaps and ``kinds`` of which any id may exist."""
        return Gaps(self.ids, self.unknown | frozenset(kinds))

    def __or__(self, other: Gaps) -> Gaps:
        """Everything either holds."""
        ids = {k: set(v) for k, v in self.ids.items()}
        for kind, more in other.ids.items():
            ids.setdefault(kind, set()).update(more)
        return Gaps(
            FrozenMap({k: frozenset(v) for k, v in ids.items()}), self.unknown | other.unknown
        )

    def __bool__(self) -> bool:
        return bool(self.ids or self.unknown)


_RAW_SECTIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "framework": (("controls", "control"), ("domains", "domain:{id}")),
    "catalog": (("items", "item:{id}"),),
    "techniques": (("techniques", "technique"),),
    "incidents": (("items", "incident"),),
    "system": (("assets", "asset"), ("functions", "function")),
}
_SELF_KIND = {"framework": "framework", "catalog": "catalog", "scenario": "scenario"}


_ID_LISTS: dict[str, tuple[tuple[str, str], ...]] = {
    "framework": (("domains", "domain"), ("controls", "control")),
    "catalog": (("items", "item"),),
    "techniques": (("techniques", "technique"),),
    "incidents": (("items", "incident"),),
    "system": (("assets", "asset"), ("functions", "function")),
}


def raw_duplicates(doc: Document) -> list[Problem]:
    """Ids given twice in a file's lists, read from its raw data.

    For a file that failed validation, the items that failed are not in its salvaged model, so
    a duplicate among them would go unseen there; this reads every item's ``id`` as written.
    """
    data = doc.data
    if not isinstance(data, dict):
        return []
    problems: list[Problem] = []
    for section, what in _ID_LISTS.get(str(data.get("kind")), ()):
        items = data.get(section)
        if not isinstance(items, list):
            continue
        first: dict[str, int] = {}
        for i, item in enumerate(items):
            ident = item.get("id") if isinstance(item, dict) else None
            if not isinstance(ident, str):
                continue
            if ident in first:
                problems.append(
                    doc.problem(
                        (section, i, "id"),
                        f"duplicate {what} id {ident!r}",
                        value=ident,
                        hint=f"first defined at line {doc.line_of((section, first[ident], 'id'))}",
                    )
                )
            else:
                first[ident] = i
    return problems


def gaps_of(doc: Document | None, kinds_if_unreadable: Iterable[str]) -> Gaps:
    """The ids a broken file might define, read from its raw data.

    ``doc`` is None when the file could not be parsed at all: then every kind in
    ``kinds_if_unreadable`` is unknown. Raw ids are taken from the file's own lists even where
    their items are invalid.
    """
    data = doc.data if doc is not None else None
    if not isinstance(data, dict) or not isinstance(data.get("kind"), str):
        return Gaps(unknown=frozenset(kinds_if_unreadable))
    kind = str(data["kind"])
    own = data.get("id")
    gaps = Gaps()
    if kind in _SELF_KIND:
        gaps = gaps.with_ids(_SELF_KIND[kind], [own])
    for section, target in _RAW_SECTIONS.get(kind, ()):
        target_kind = target.format(id=own)
        items = data.get(section)
        if items is None:
            continue
        if not isinstance(items, list):
            gaps = gaps.with_unknown(target_kind)
            continue
        gaps = gaps.with_ids(
            target_kind, [item.get("id") if isinstance(item, dict) else None for item in items]
        )
    return gaps


@dataclass(frozen=True)
class Library:
    """Frameworks, catalogs, techniques, scenarios and incidents available to an assessment.

    Immutable: the shipped library is loaded once per process and shared by every workspace, so
    nothing may change it behind the others' backs. Its mappings are read-only
    (:class:`~cyberready.workspace.FrozenMap`; dicts given to the constructor are copied), and a
    library with more or fewer entries is built as a new one.
    """

    frameworks: Mapping[str, Framework] = field(default_factory=FrozenMap)
    catalogs: Mapping[str, Catalog] = field(default_factory=FrozenMap)
    techniques: Mapping[str, Technique] = field(default_factory=FrozenMap)
    scenarios: Mapping[str, Scenario] = field(default_factory=FrozenMap)
    incidents: Mapping[str, Incident] = field(default_factory=FrozenMap)
    """Incident id -> incident, from every incident registry loaded (shipped and your own)."""
    docs: Mapping[tuple[str, str], Document] = field(default_factory=FrozenMap)
    """(kind, id) -> the document it was read from; each technique is under ('technique', id)
    and each incident under ('incident', id), the first file of each under ('techniques', '')
    and ('incidents', '')."""
    gaps: Gaps = field(default_factory=Gaps)
    """What files that failed to load might have defined (empty for a library that loaded)."""
    shipped: frozenset[tuple[str, str]] = frozenset()
    """(kind, id) of what came from the shipped folders: a shipped scenario may cite only
    shipped incidents, while an EMB's own scenarios may also cite their own or free text."""

    def __post_init__(self) -> None:
        for name in ("frameworks", "catalogs", "techniques", "scenarios", "incidents", "docs"):
            object.__setattr__(self, name, freeze(getattr(self, name)))
        object.__setattr__(self, "shipped", frozenset(self.shipped))

    def is_shipped(self, kind: str, ident: str) -> bool:
        """True when the ``kind`` with this id came from the shipped library."""
        return (kind, ident) in self.shipped

    def control(self, control_id: str) -> tuple[Framework, Control] | None:
        """The framework and control with this id, if any."""
        return self._controls.get(control_id)

    @cached_property
    def _controls(self) -> FrozenMap[str, tuple[Framework, Control]]:
        # computed from the frozen fields, so caching it cannot go stale
        out: dict[str, tuple[Framework, Control]] = {}
        for fw in self.frameworks.values():
            for c in fw.controls:
                out.setdefault(c.id, (fw, c))
        return FrozenMap(out)

    def doc(self, kind: str, ident: str) -> Document:
        """The document a model came from (an empty stand-in if built in code)."""
        return self.docs.get((kind, ident), Document(file=f"<{kind} {ident}>", data=None))


@dataclass(frozen=True)
class Workspace:
    """One EMB's folder, loaded and cross-checked.

    Immutable (its ``docs`` a read-only mapping), like the :class:`Library` it shares: a
    variant, such as the same workspace without its assessment, is made with
    :func:`dataclasses.replace`. It pickles, so the portfolio can send it to worker processes.
    """

    path: Path
    emb: EmbProfile
    system: SystemModel
    resolved: ResolvedSystem
    assessment: Assessment | None
    library: Library
    platforms: tuple[PlatformScorecard, ...] = ()
    history: tuple[Assessment, ...] = ()
    """Earlier assessments, oldest first."""
    docs: Mapping[str, Document] = field(default_factory=FrozenMap)
    """Relative file name -> document."""
    warnings: tuple[Problem, ...] = ()
    """What is allowed but worth a look (see :func:`library_warnings`), found while loading."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "docs", freeze(self.docs))
        object.__setattr__(self, "platforms", tuple(self.platforms))
        object.__setattr__(self, "history", tuple(self.history))
        object.__setattr__(self, "warnings", tuple(self.warnings))

    @property
    def frameworks(self) -> list[Framework]:
        """The frameworks in scope (emb.yaml), in its order."""
        return [self.library.frameworks[f] for f in self.emb.frameworks]

    @property
    def scenarios(self) -> list[Scenario]:
        """The scenarios in scope (emb.yaml), sorted by id."""
        if self.emb.scenarios == "all":
            return [self.library.scenarios[s] for s in sorted(self.library.scenarios)]
        return [self.library.scenarios[s] for s in sorted(self.emb.scenarios)]


# --------------------------------------------------------------------------- library checks


def check_library(lib: Library) -> list[Problem]:
    """Every dangling reference and clash among frameworks, catalogs, techniques and scenarios."""
    problems: list[Problem] = []
    techniques = set(lib.techniques)
    gaps = lib.gaps
    seen_controls: dict[str, tuple[Document, int]] = {}
    for fid, fw in lib.frameworks.items():
        doc = lib.doc("framework", fid)
        domain_ids = [d.id for d in fw.domains]
        problems += _duplicates(doc, "domains", domain_ids, "domain")
        for i, c in enumerate(fw.controls):
            where = ("controls", i)
            if c.id in seen_controls:
                other, k = seen_controls[c.id]
                line = other.line_of(("controls", k, "id"))
                problems.append(
                    doc.problem(
                        (*where, "id"),
                        f"duplicate control id {c.id!r}",
                        value=c.id,
                        hint=f"first defined at line {line}"
                        if other.file == doc.file
                        else f"also defined in {other.file}" + (f":{line}" if line else ""),
                    )
                )
            else:
                seen_controls[c.id] = (doc, i)
            problems += unknown_ref(
                doc,
                (*where, "domain"),
                "domain",
                c.domain,
                domain_ids,
                gaps,
                gap_kind=f"domain:{fid}",
            )
            for group in ("mitigates", "detects"):
                for tech in getattr(c.effects, group):
                    problems += unknown_ref(
                        doc, (*where, "effects", group, tech), "technique", tech, techniques, gaps
                    )
            for cat_id, items in c.references.items():
                cat = lib.catalogs.get(cat_id)
                if cat is None:
                    problems += unknown_ref(
                        doc, (*where, "references", cat_id), "catalog", cat_id, lib.catalogs, gaps
                    )
                    continue
                known = {it.id for it in cat.items}
                for k, item in enumerate(items):
                    problems += unknown_ref(
                        doc,
                        (*where, "references", cat_id, k),
                        "item",
                        item,
                        known,
                        gaps,
                        gap_kind=f"item:{cat_id}",
                        message=f"{item!r} is not an item of {cat_id}",
                    )
    for cid, cat in lib.catalogs.items():
        doc = lib.doc("catalog", cid)
        problems += _duplicates(doc, "items", [it.id for it in cat.items], "item")
    shipped_incidents = {i for i in lib.incidents if lib.is_shipped("incident", i)}
    for sid, sc in lib.scenarios.items():
        doc = lib.doc("scenario", sid)
        if lib.is_shipped("scenario", sid):
            for k, ref in enumerate(sc.references.incidents):
                if ref not in shipped_incidents and not gaps.covers("incident", ref):
                    problems.append(
                        doc.problem(
                            ("references", "incidents", k),
                            f"unknown incident {ref!r}",
                            value=ref,
                            hint=did_you_mean(ref, shipped_incidents)
                            + " (shipped scenarios cite scenarios/incidents.yaml)",
                        )
                    )
        steps = [("entry", i, r.technique) for i, r in enumerate(sc.entry)] + [
            ("propagation", i, r.technique) for i, r in enumerate(sc.propagation)
        ]
        for section, i, tech in steps:
            problems += unknown_ref(
                doc, (section, i, "technique"), "technique", tech, techniques, gaps
            )
    return problems


def library_warnings(lib: Library) -> list[Problem]:
    """What is allowed but worth a look: incidents cited as free text, and fields of your own
    frameworks' controls still to fill in (a ``todo:`` tag of :data:`TODO_TAGS`, as
    ``cyberready import oscal-catalog`` writes them).

    An EMB's own scenario may cite an incident that no registry holds (free text); reports then
    show the text as written, without a year. Each such citation is a warning (a
    :class:`~cyberready.errors.Problem`), at its line. Shipped scenarios never get here: an
    incident they cite that the shipped registry lacks is an error of :func:`check_library`.
    """
    warnings: list[Problem] = []
    known = sorted(lib.incidents)
    for sid, sc in lib.scenarios.items():
        if lib.is_shipped("scenario", sid):
            continue
        doc = lib.doc("scenario", sid)
        for k, ref in enumerate(sc.references.incidents):
            if ref in lib.incidents or lib.gaps.covers("incident", ref):
                continue
            close = did_you_mean(ref, known)
            warnings.append(
                doc.problem(
                    ("references", "incidents", k),
                    f"incident {ref!r} is in no incident registry: cited as free text",
                    value=ref,
                    hint=close
                    if close.startswith("did you mean")
                    else "to cite it by title and year, add it to an incidents file "
                    "(kind: incidents) in your scenarios folder",
                )
            )
    for fid, fw in lib.frameworks.items():
        if lib.is_shipped("framework", fid):
            continue
        doc = lib.doc("framework", fid)
        for i, control in enumerate(fw.controls):
            for k, tag in enumerate(control.tags):
                if tag in TODO_TAGS:
                    warnings.append(
                        doc.problem(
                            ("controls", i, "tags", k),
                            f"control {control.id}: {TODO_TAGS[tag]}",
                            value=tag,
                            hint=f"fill in {tag.removeprefix('todo:')}, then remove the tag",
                        )
                    )
    return warnings


TODO_TAGS: Final[dict[str, str]] = {
    "todo:effects": "no effects: this control will not change simulated risk",
    "todo:effort": "no effort: cost and weeks are the defaults ($0, 4 weeks), so the plan "
    "ranks it as free",
    "todo:weight": "no weight in the source: the default weight 3 counts in the scores",
    "todo:applies_to": "no applies_to in the source: it applies to the whole organisation "
    "(every asset)",
}
"""Tags a control carries for each field still to fill in (``cyberready import oscal-catalog``
puts them on every control for what OSCAL does not carry), with what :func:`library_warnings`
says about it until the tag is removed."""


# --------------------------------------------------------------------------- workspace checks


def _selector_problems(
    doc: Document,
    path: tuple[str | int, ...],
    sel: Selector | None,
    system: ResolvedSystem,
    *,
    must_match: bool,
    gaps: Gaps | None = None,
) -> list[Problem]:
    if sel is None:
        return []
    problems = []
    for k, asset_id in enumerate(sel.ids or ()):
        if not system.has(asset_id) and not (gaps and gaps.covers("asset", asset_id)):
            problems.append(
                doc.problem(
                    (*path, k),
                    f"unknown asset {asset_id!r}",
                    value=asset_id,
                    hint=did_you_mean(asset_id, system.ids),
                )
            )
    if must_match and not problems and not system.mask(sel).any():
        problems.append(
            doc.problem(
                path, f"selector ({sel.describe()}) matches no asset", hint="check tags and types"
            )
        )
    return problems


def _selector_id_path(doc: Document, path: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """Where a selector's ids are in the file: ``path`` for a list, ``path.ids`` for a
    mapping (a shorthand string has no positions of its own)."""
    node = doc.data
    for part in doc.origin(path):
        found = (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        )
        if not found:
            return path
        node = node[part]
    if isinstance(node, dict):
        return (*path, "ids")
    return path


def _duplicates(doc: Document, section: str, ids: list[str], what: str) -> list[Problem]:
    problems = []
    for dup in duplicated(ids):
        first = ids.index(dup)
        i = ids.index(dup, first + 1)
        problems.append(
            doc.problem(
                (section, i, "id"),
                f"duplicate {what} id {dup!r}",
                value=dup,
                hint=f"first defined at line {doc.line_of((section, first, 'id'))}",
            )
        )
    return problems


def check_system(
    system: SystemModel,
    doc: Document,
    resolved: ResolvedSystem | None,
    *,
    gaps: Gaps | None = None,
) -> list[Problem]:
    """Duplicate ids, dangling links and function groups that select nothing.

    With ``resolved=None`` the ids and links are checked; with the resolved system, the
    function requirement groups. ``gaps`` excuses references to assets of the file that failed
    validation (the system is then a salvaged part, and a group matching nothing is not
    reported: the asset it meant may be one of those).
    """
    problems: list[Problem] = []
    ids = [a.id for a in system.assets]
    if resolved is None:
        problems += _duplicates(doc, "assets", ids, "asset")
        problems += _duplicates(doc, "functions", [f.id for f in system.functions], "function")
        known = set(ids)
        for i, lk in enumerate(system.links):
            for end, value in (("from", lk.from_), ("to", lk.to)):
                if value not in known and not (gaps and gaps.covers("asset", value)):
                    problems.append(
                        doc.problem(
                            ("links", i, end),
                            f"link {end} unknown asset {value!r}",
                            value=value,
                            hint=did_you_mean(value, known),
                        )
                    )
        return problems
    for fi, fn in enumerate(system.functions):
        for gi, group in enumerate(fn.requires):
            key = group.mode if group.mode != "at_least" else "of"
            path: tuple[str | int, ...] = ("functions", fi, "requires", gi, key)
            problems += _selector_problems(
                doc,
                _selector_id_path(doc, path),
                group.members,
                resolved,
                must_match=not gaps,
                gaps=gaps,
            )
    return problems


def unknown_ref(
    doc: Document,
    path: tuple[str | int, ...],
    kind: str,
    ident: str,
    known: Collection[str],
    gaps: Gaps,
    *,
    gap_kind: str | None = None,
    message: str | None = None,
) -> list[Problem]:
    """The problem of a reference to a ``kind`` id that is not among ``known`` (none when it
    is, or when a broken file may hold it under ``gap_kind``, by default ``kind``), with a
    did-you-mean hint.

    One helper serves the workspace checks and the checks of a lone file, so both word an
    unknown framework, scenario or control the same way.
    """
    if ident in known or gaps.covers(kind if gap_kind is None else gap_kind, ident):
        return []
    return [
        doc.problem(
            path,
            f"unknown {kind} {ident!r}" if message is None else message,
            value=ident,
            hint=did_you_mean(ident, known),
        )
    ]


def check_workspace(
    emb: EmbProfile | None,
    emb_doc: Document | None,
    resolved: ResolvedSystem | None,
    system: SystemModel | None,
    system_doc: Document | None,
    assessment: Assessment | None,
    assessment_doc: Document | None,
    platforms: Iterable[tuple[PlatformScorecard, Document]],
    lib: Library,
    *,
    gaps: Gaps | None = None,
    historical: bool = False,
) -> list[Problem]:
    """Every cross-file reference of a workspace.

    Any of the files may be missing (None) because it failed to load: the checks that need it
    are skipped and the others still run, so one broken file does not hide the problems of the
    rest. ``gaps`` (with ``lib.gaps``) excuses references into broken files. ``historical``
    checks an earlier assessment (``history/``): it answered the frameworks in scope then, which
    need not be today's, so its frameworks must be known but not equal to emb.yaml's.
    """
    excused = lib.gaps if gaps is None else lib.gaps | gaps
    problems: list[Problem] = []
    if emb is not None and emb_doc is not None:
        for k, fid in enumerate(emb.frameworks):
            problems += unknown_ref(
                emb_doc, ("frameworks", k), "framework", fid, lib.frameworks, excused
            )
        if emb.scenarios != "all":
            for k, sid in enumerate(emb.scenarios):
                problems += unknown_ref(
                    emb_doc, ("scenarios", k), "scenario", sid, lib.scenarios, excused
                )
        if emb.threat_context is not None:
            for sid in emb.threat_context.scenarios:
                problems += unknown_ref(
                    emb_doc,
                    ("threat_context", "scenarios", sid),
                    "scenario",
                    sid,
                    lib.scenarios,
                    excused,
                    message=f"threat_context names unknown scenario {sid!r}",
                )
        if system is not None and system_doc is not None and system.emb != emb.id:
            problems.append(
                system_doc.problem(
                    ("emb",),
                    f"system is for {system.emb!r} but emb.yaml is {emb.id!r}",
                    value=system.emb,
                )
            )
    if assessment is not None and assessment_doc is not None:
        problems += _check_assessment(
            assessment, assessment_doc, emb, resolved, lib, excused, historical=historical
        )
    for card, doc in platforms:
        fw = lib.frameworks.get(card.framework)
        if fw is None:
            problems += unknown_ref(
                doc, ("framework",), "framework", card.framework, lib.frameworks, excused
            )
            continue
        platform_ids = [c.id for c in fw.controls if fw.subject_of(c) == "platform"]
        for cid in card.answers:
            if cid not in platform_ids and not excused.covers("control", cid):
                emb_side = lib.control(cid) is not None
                problems.append(
                    doc.problem(
                        ("answers", cid),
                        f"{cid!r} is not a platform control of {fw.id}",
                        value=cid,
                        hint="it is an EMB control: answer it in assessment.yaml"
                        if emb_side
                        else did_you_mean(cid, platform_ids),
                    )
                )
    return problems


def _check_assessment(
    assessment: Assessment,
    doc: Document,
    emb: EmbProfile | None,
    resolved: ResolvedSystem | None,
    lib: Library,
    gaps: Gaps,
    *,
    historical: bool = False,
) -> list[Problem]:
    problems: list[Problem] = []
    if emb is not None and assessment.emb != emb.id:
        problems.append(
            doc.problem(
                ("emb",),
                f"assessment is for {assessment.emb!r} but emb.yaml is {emb.id!r}",
                value=assessment.emb,
            )
        )
    scope_known = "scope" not in gaps.unknown
    if (
        emb is not None
        and scope_known
        and not historical
        and sorted(assessment.frameworks) != sorted(emb.frameworks)
    ):
        problems.append(
            doc.problem(
                ("frameworks",),
                f"frameworks {list(assessment.frameworks)} do not match emb.yaml's "
                f"{list(emb.frameworks)}",
                hint="the assessment must answer exactly the frameworks in scope",
            )
        )
    scope = emb.frameworks if emb is not None else assessment.frameworks
    if historical and emb is not None:
        # an earlier assessment may have answered frameworks since dropped from the scope:
        # its answers to their controls are known (they are not scored against today's scope)
        scope = (*scope, *(f for f in assessment.frameworks if f not in scope))
    frameworks = [lib.frameworks[f] for f in scope if f in lib.frameworks]
    if emb is None or historical:
        for k, fid in enumerate(assessment.frameworks):
            problems += unknown_ref(doc, ("frameworks", k), "framework", fid, lib.frameworks, gaps)
    # controls of frameworks in scope that failed to load cannot be told apart from typos
    unsure = (
        not scope_known or any(f not in lib.frameworks for f in scope) or "control" in gaps.unknown
    )
    emb_controls: dict[str, Control] = {}
    platform_controls: set[str] = set()
    for fw in frameworks:
        for c in fw.controls:
            # partner practices are answered in the EMB's assessment but scored apart
            if fw.subject_of(c) in ("emb", "partner"):
                emb_controls[c.id] = c
            else:
                platform_controls.add(c.id)
    for cid in assessment.answers:
        if cid in platform_controls:
            problems.append(
                doc.problem(
                    ("answers", cid),
                    f"{cid} is a platform commitment",
                    hint="answer it in platforms/<company>.yaml, not in the EMB assessment",
                )
            )
        elif cid not in emb_controls and not unsure and not gaps.covers("control", cid):
            problems.append(
                doc.problem(
                    ("answers", cid),
                    f"unknown control {cid!r}",
                    value=cid,
                    hint=_control_hint(cid, emb_controls, lib),
                )
            )
    by_control: dict[str, list[int]] = {}
    for k, ov in enumerate(assessment.overrides):
        if ov.control in platform_controls:
            problems.append(
                doc.problem(
                    ("overrides", k, "control"),
                    f"{ov.control} is a platform commitment",
                    value=ov.control,
                    hint="EMB assessments answer EMB controls only",
                )
            )
            continue
        if ov.control not in emb_controls:
            if not unsure and not gaps.covers("control", ov.control):
                problems.append(
                    doc.problem(
                        ("overrides", k, "control"),
                        f"unknown control {ov.control!r}",
                        value=ov.control,
                        hint=_control_hint(ov.control, emb_controls, lib),
                    )
                )
            continue
        if resolved is None:
            continue
        path: tuple[str | int, ...] = ("overrides", k, "select")
        problems += _selector_problems(
            doc,
            _selector_id_path(doc, path),
            ov.select,
            resolved,
            must_match=False,
            gaps=gaps,
        )
        by_control.setdefault(ov.control, []).append(k)
    if resolved is None:
        return problems
    for _cid, ks in by_control.items():
        for a_i, a in enumerate(ks):
            for b in ks[a_i + 1 :]:
                oa, ob = assessment.overrides[a], assessment.overrides[b]
                if oa.select.specificity() != ob.select.specificity() or oa.level == ob.level:
                    continue
                if np.any(resolved.mask(oa.select) & resolved.mask(ob.select)):
                    problems.append(
                        doc.problem(
                            ("overrides", b),
                            f"overrides {a} and {b} of {oa.control} are equally specific, "
                            f"overlap, and disagree ({oa.level} vs {ob.level})",
                            hint="make one selector more specific (ids beat tags, tags beat types)",
                        )
                    )
    return problems


def _control_hint(cid: str, in_scope: dict[str, Control], lib: Library) -> str:
    """Did-you-mean among the EMB controls in scope, or where the control really belongs."""
    found = lib.control(cid)
    if found is not None:
        fw, control = found
        if fw.subject_of(control) == "platform":
            return "it is a platform commitment: answer it in platforms/<company>.yaml"
        return f"it belongs to {fw.id}, which is not among the frameworks in scope"
    return did_you_mean(cid, in_scope)
