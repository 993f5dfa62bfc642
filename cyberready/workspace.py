"""Loaded, cross-checked inputs: the :class:`Library` of frameworks, catalogs, techniques and
scenarios, and an EMB :class:`Workspace`.

The checks here are pure: they take parsed models (with the :class:`~cyberready.io.Document`
each came from, for line numbers) and return every :class:`~cyberready.errors.Problem` found.
Reading files is :mod:`cyberready.io`'s job.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np

from cyberready.assets import ResolvedSystem
from cyberready.errors import Problem, did_you_mean
from cyberready.io import Document
from cyberready.models import (
    Assessment,
    Catalog,
    Control,
    EmbProfile,
    Framework,
    PlatformScorecard,
    Scenario,
    Selector,
    SystemModel,
    Technique,
)
from cyberready.models.vocab import duplicated

__all__ = ["Library", "Workspace", "check_library", "check_workspace"]


@dataclass
class Library:
    """Frameworks, catalogs, techniques and scenarios available to an assessment."""

    frameworks: dict[str, Framework] = field(default_factory=dict)
    catalogs: dict[str, Catalog] = field(default_factory=dict)
    techniques: dict[str, Technique] = field(default_factory=dict)
    scenarios: dict[str, Scenario] = field(default_factory=dict)
    docs: dict[tuple[str, str], Document] = field(default_factory=dict)
    """(kind, id) -> the document it was read from; techniques use ('techniques', '')."""

    def control(self, control_id: str) -> tuple[Framework, Control] | None:
        """The framework and control with this id, if any."""
        return self._controls.get(control_id)

    @cached_property
    def _controls(self) -> dict[str, tuple[Framework, Control]]:
        out: dict[str, tuple[Framework, Control]] = {}
        for fw in self.frameworks.values():
            for c in fw.controls:
                out.setdefault(c.id, (fw, c))
        return out

    def doc(self, kind: str, ident: str) -> Document:
        """The document a model came from (an empty stand-in if built in code)."""
        return self.docs.get((kind, ident), Document(file=f"<{kind} {ident}>", data=None))


@dataclass
class Workspace:
    """One EMB's folder, loaded and cross-checked."""

    path: Path
    emb: EmbProfile
    system: SystemModel
    resolved: ResolvedSystem
    assessment: Assessment | None
    library: Library
    platforms: tuple[PlatformScorecard, ...] = ()
    history: tuple[Assessment, ...] = ()
    """Earlier assessments, oldest first."""
    docs: dict[str, Document] = field(default_factory=dict)
    """Relative file name -> document."""

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
    seen_controls: dict[str, str] = {}
    for fid, fw in lib.frameworks.items():
        doc = lib.doc("framework", fid)
        domain_ids = [d.id for d in fw.domains]
        for dup in duplicated(domain_ids):
            i = domain_ids.index(dup, domain_ids.index(dup) + 1)
            problems.append(doc.problem(("domains", i, "id"), f"duplicate domain id {dup!r}"))
        control_ids = [c.id for c in fw.controls]
        for i, c in enumerate(fw.controls):
            where = ("controls", i)
            if c.id in seen_controls:
                problems.append(
                    doc.problem(
                        (*where, "id"),
                        f"duplicate control id {c.id!r}",
                        hint=f"also defined in {seen_controls[c.id]}",
                    )
                )
            else:
                seen_controls[c.id] = doc.file
            if c.domain not in domain_ids:
                problems.append(
                    doc.problem(
                        (*where, "domain"),
                        f"unknown domain {c.domain!r}",
                        value=c.domain,
                        hint=did_you_mean(c.domain, domain_ids),
                    )
                )
            for group in ("mitigates", "detects"):
                for tech in getattr(c.effects, group):
                    if tech not in techniques:
                        problems.append(
                            doc.problem(
                                (*where, "effects", group, tech),
                                f"unknown technique {tech!r}",
                                value=tech,
                                hint=did_you_mean(tech, techniques),
                            )
                        )
            for cat_id, items in c.references.items():
                cat = lib.catalogs.get(cat_id)
                if cat is None:
                    problems.append(
                        doc.problem(
                            (*where, "references", cat_id),
                            f"unknown catalog {cat_id!r}",
                            value=cat_id,
                            hint=did_you_mean(cat_id, lib.catalogs),
                        )
                    )
                    continue
                known = {it.id for it in cat.items}
                for k, item in enumerate(items):
                    if item not in known:
                        problems.append(
                            doc.problem(
                                (*where, "references", cat_id, k),
                                f"{item!r} is not an item of {cat_id}",
                                value=item,
                                hint=did_you_mean(item, known),
                            )
                        )
        del control_ids
    for cid, cat in lib.catalogs.items():
        doc = lib.doc("catalog", cid)
        ids = [it.id for it in cat.items]
        for dup in duplicated(ids):
            i = ids.index(dup, ids.index(dup) + 1)
            problems.append(doc.problem(("items", i, "id"), f"duplicate item id {dup!r}"))
    for sid, sc in lib.scenarios.items():
        doc = lib.doc("scenario", sid)
        steps = [("entry", i, r.technique) for i, r in enumerate(sc.entry)] + [
            ("propagation", i, r.technique) for i, r in enumerate(sc.propagation)
        ]
        for section, i, tech in steps:
            if tech not in techniques:
                problems.append(
                    doc.problem(
                        (section, i, "technique"),
                        f"unknown technique {tech!r}",
                        value=tech,
                        hint=did_you_mean(tech, techniques),
                    )
                )
    return problems


# --------------------------------------------------------------------------- workspace checks


def _selector_problems(
    doc: Document,
    path: tuple[str | int, ...],
    sel: Selector | None,
    system: ResolvedSystem,
    *,
    must_match: bool,
) -> list[Problem]:
    if sel is None:
        return []
    problems = []
    for k, asset_id in enumerate(sel.ids or ()):
        if not system.has(asset_id):
            problems.append(
                doc.problem(
                    (*path, "ids", k) if isinstance(doc.data, dict) else path,
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


def check_system(
    system: SystemModel, doc: Document, resolved: ResolvedSystem | None
) -> list[Problem]:
    """Duplicate ids, dangling links and function groups that select nothing."""
    problems: list[Problem] = []
    ids = [a.id for a in system.assets]
    for dup in duplicated(ids):
        i = ids.index(dup, ids.index(dup) + 1)
        problems.append(doc.problem(("assets", i, "id"), f"duplicate asset id {dup!r}"))
    fids = [f.id for f in system.functions]
    for dup in duplicated(fids):
        i = fids.index(dup, fids.index(dup) + 1)
        problems.append(doc.problem(("functions", i, "id"), f"duplicate function id {dup!r}"))
    if resolved is None:
        known = set(ids)
        for i, lk in enumerate(system.links):
            for end, value in (("from", lk.from_), ("to", lk.to)):
                if value not in known:
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
            problems += _selector_problems(
                doc,
                ("functions", fi, "requires", gi, key),
                group.members,
                resolved,
                must_match=True,
            )
    return problems


def check_workspace(
    emb: EmbProfile,
    emb_doc: Document,
    resolved: ResolvedSystem,
    system: SystemModel,
    system_doc: Document,
    assessment: Assessment | None,
    assessment_doc: Document | None,
    platforms: Iterable[tuple[PlatformScorecard, Document]],
    lib: Library,
) -> list[Problem]:
    """Every cross-file reference of a workspace."""
    problems: list[Problem] = []
    for k, fid in enumerate(emb.frameworks):
        if fid not in lib.frameworks:
            problems.append(
                emb_doc.problem(
                    ("frameworks", k),
                    f"unknown framework {fid!r}",
                    value=fid,
                    hint=did_you_mean(fid, lib.frameworks),
                )
            )
    if emb.scenarios != "all":
        for k, sid in enumerate(emb.scenarios):
            if sid not in lib.scenarios:
                problems.append(
                    emb_doc.problem(
                        ("scenarios", k),
                        f"unknown scenario {sid!r}",
                        value=sid,
                        hint=did_you_mean(sid, lib.scenarios),
                    )
                )
    if system.emb != emb.id:
        problems.append(
            system_doc.problem(("emb",), f"system is for {system.emb!r} but emb.yaml is {emb.id!r}")
        )
    in_scope = [lib.frameworks[f] for f in emb.frameworks if f in lib.frameworks]
    if assessment is not None and assessment_doc is not None:
        problems += _check_assessment(assessment, assessment_doc, emb, in_scope, resolved, lib)
    for card, doc in platforms:
        fw = lib.frameworks.get(card.framework)
        if fw is None:
            problems.append(
                doc.problem(
                    ("framework",),
                    f"unknown framework {card.framework!r}",
                    value=card.framework,
                    hint=did_you_mean(card.framework, lib.frameworks),
                )
            )
            continue
        platform_ids = [c.id for c in fw.controls if fw.subject_of(c) == "platform"]
        for cid in card.answers:
            if cid not in platform_ids:
                problems.append(
                    doc.problem(
                        ("answers", cid),
                        f"{cid!r} is not a platform control of {fw.id}",
                        value=cid,
                        hint=did_you_mean(cid, platform_ids),
                    )
                )
    return problems


def _check_assessment(
    assessment: Assessment,
    doc: Document,
    emb: EmbProfile,
    frameworks: list[Framework],
    resolved: ResolvedSystem,
    lib: Library,
) -> list[Problem]:
    problems: list[Problem] = []
    if assessment.emb != emb.id:
        problems.append(
            doc.problem(
                ("emb",), f"assessment is for {assessment.emb!r} but emb.yaml is {emb.id!r}"
            )
        )
    if sorted(assessment.frameworks) != sorted(emb.frameworks):
        problems.append(
            doc.problem(
                ("frameworks",),
                f"frameworks {list(assessment.frameworks)} do not match emb.yaml's "
                f"{list(emb.frameworks)}",
                hint="the assessment must answer exactly the frameworks in scope",
            )
        )
    emb_controls: dict[str, Control] = {}
    platform_controls: set[str] = set()
    for fw in frameworks:
        for c in fw.controls:
            if fw.subject_of(c) == "emb":
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
        elif cid not in emb_controls:
            problems.append(
                doc.problem(
                    ("answers", cid),
                    f"unknown control {cid!r}",
                    value=cid,
                    hint=did_you_mean(cid, emb_controls),
                )
            )
    by_control: dict[str, list[int]] = {}
    for k, ov in enumerate(assessment.overrides):
        if ov.control not in emb_controls:
            problems.append(
                doc.problem(
                    ("overrides", k, "control"),
                    f"unknown control {ov.control!r}",
                    value=ov.control,
                    hint=did_you_mean(ov.control, emb_controls),
                )
            )
            continue
        problems += _selector_problems(
            doc, ("overrides", k, "select"), ov.select, resolved, must_match=False
        )
        by_control.setdefault(ov.control, []).append(k)
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
