"""Which threat scenarios apply to an EMB, and which can do anything there.

A static check on the system graph, before any simulation, so that a scenario never shows a
silent 0%:

* **Relevance.** A scenario is *relevant* to an EMB when some asset has a type that one of its
  entry selectors names (for an entry selector without ``types``: when the selector matches an
  asset). An irrelevant scenario — voting-machine tampering in a paper-ballot country — is listed
  once as not relevant, without a warning.
* **Applicability.** For a relevant scenario, every rule that matches nothing is reported: an
  entry selector or effect ``targets`` that select no asset, a propagation rule with no link of
  its kinds.
* **Reachability.** A relevant scenario *can affect nothing* when no in-phase function member can
  be hurt by an effect on an asset the campaign can compromise, and no effect with public
  visibility can hit such an asset. The assets it can compromise are those its entry rules match,
  and everything reachable from them along its propagation rules' link kinds, in each rule's
  direction (a rule with probability 0 reaches nothing; controls are ignored). An effect hurts a
  member when: ``alter`` hits the member itself; ``disrupt`` hits anything in the member's
  dependency closure (``hosted_on``, ``depends_on``, ``powered_by``, alternatives groups
  included); ``leak`` hits anything in the copies closure (``copies_data_to``) of a member of a
  ``protects_data`` group. The warning then says in plain words what would connect it.

Everything is linear in the model's size: selectors are matched on the
:class:`~cyberready.workspace.ResolvedSystem` arrays and reachability is a breadth-first search of
:mod:`scipy.sparse.csgraph`. :func:`diagnose` is the entry point.

>>> import cyberready
>>> from cyberready.workspace._diagnostics import diagnose
>>> ws = cyberready.load_workspace(cyberready.example_path())
>>> d = diagnose(ws)
>>> d.of("ransomware-shared-it").status
'applies'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Final, Literal

import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_array
from scipy.sparse.csgraph import breadth_first_order

from cyberready.errors import Problem
from cyberready.io import Document, format_path
from cyberready.models import Scenario, Selector
from cyberready.models.vocab import (
    ASSET_TYPES,
    DEPENDENCY_LINK_KINDS,
    LINK_KINDS,
    SELECTOR_KEYS,
)
from cyberready.workspace._assets import ResolvedSystem
from cyberready.workspace._inputs import Workspace

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
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
]

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]

Status = Literal["applies", "partial", "cannot_apply", "not_relevant"]
"""``applies``: every rule matches and it can affect something; ``partial``: it can affect
something, but some rule matches nothing; ``cannot_apply``: relevant, but it can affect nothing;
``not_relevant``: no asset of the types it starts from."""

Cause = Literal["no_entry", "no_target", "no_path"]
"""Why a relevant scenario can affect nothing: ``no_entry``, it can start nowhere (no entry rule
with a chance of success matches an asset); ``no_target``, nothing its effects could hurt is
needed by a function of its phases, and no effect is public; ``no_path``, the assets it can
compromise are not linked, by the kinds it follows, to what its effects would hurt."""

# --------------------------------------------------------------------------- tag look-alikes


def _norm(tag: str) -> str:
    """A tag compared case-insensitively, with ``-``, ``_`` and spaces alike."""
    return re.sub(r"[-_\s]+", "_", tag.strip().casefold())


LocationField = Literal["site", "operator"]
"""The two asset fields that say where an asset is and who runs it."""

# fmt: off
_LOOKALIKES: Final[dict[tuple[LocationField, str], str]] = {
    ("site", "headquarters"): "hq, headquarters, head office, head quarters, main office, "
    "central office, national office",
    ("site", "regional_office"): "regional office, regional offices, regional, region office, "
    "provincial office, province office, state office",
    ("site", "local_office"): "local office, local offices, local, district office, county office, "
    "municipal office, constituency office, field office",
    ("site", "polling_station"): "polling station, polling stations, polling, polling place, "
    "polling centre, polling center, precinct, voting centre, voting center",
    ("site", "tally_centre"): "tally centre, tally center, tally, tabulation centre, "
    "tabulation center, counting centre, counting center, collation centre, collation center",
    ("site", "data_centre"): "data centre, data center, datacentre, datacenter, server room",
    ("site", "cloud"): "cloud, cloud hosted, saas, iaas",
    ("site", "vendor_premises"): "vendor premises, vendor site, supplier premises, vendor hosted",
    ("site", "third_party_premises"): "third party premises, third party, third party site, "
    "partner premises, offsite, off site",
    ("site", "field"): "field, in the field, mobile, deployed",
    ("operator", "emb"): "emb, commission, electoral commission, election commission, "
    "election authority, in house",
    ("operator", "government"): "government, gov, govt, shared government, shared gov, "
    "government it, ministry",
    ("operator", "vendor"): "vendor, vendors, supplier, contractor, outsourced, vendor managed, "
    "telecom, telco, isp, mno",
    ("operator", "party"): "party, parties, political party, political parties, register copy, "
    "party copy",
    ("operator", "observer"): "observer, observers, observer group, observer network, "
    "domestic observers, international observers",
    ("operator", "oversight_body"): "oversight, oversight body, auditor, audit office, court, "
    "regulator, ombudsman",
    ("operator", "platform"): "platform, platforms, social media, social platform, tech platform",
    ("operator", "public"): "public, citizens, voters, voter devices",
}
# fmt: on

TAG_LOOKALIKES: Final[Mapping[str, tuple[LocationField, str]]] = {
    _norm(tag): key for key, tags in _LOOKALIKES.items() for tag in tags.split(", ")
}
"""Tags that look like a site or an operator: the tag (lower case, with ``-``, ``_`` and spaces
written ``_``) -> ``("site" | "operator", value)``. Every site and operator value has a few
look-alikes: the value itself in its common spellings, its usual abbreviations (``hq``) and the
tags version-1 workspaces used for it (``regional-office``; ``register-copy`` for copies handed
to parties; ``telecom`` for networks a telecom company runs, a supplier: ``vendor``). Suggestions
only: ``validate`` prints them once, and nothing is changed for you."""


@dataclass(frozen=True)
class TagSuggestion:
    """A tag that looks like a site or an operator, and how many assets carry it."""

    tag: str
    field: LocationField
    value: str
    assets: int

    def describe(self) -> str:
        """``hq → site: headquarters (9 assets)``."""
        plural = "" if self.assets == 1 else "s"
        return f"{self.tag} → {self.field}: {self.value} ({self.assets:,} asset{plural})"


def _unused_fields(system: ResolvedSystem) -> tuple[LocationField, ...]:
    """``site`` and/or ``operator`` when no asset carries one."""
    fields: tuple[tuple[LocationField, IntArray], ...] = (
        ("site", system.sites),
        ("operator", system.operators),
    )
    return tuple(name for name, codes in fields if not (codes >= 0).any())


def tag_suggestions(system: ResolvedSystem) -> tuple[TagSuggestion, ...]:
    """Site and operator values suggested from the tags, for each of the two fields that no
    asset carries (none when every field is used somewhere); sorted by field, then by tag.

    >>> from cyberready.models import SystemModel
    >>> model = SystemModel.model_validate({"schema_version": 1, "kind": "system", "emb": "x",
    ...     "assets": [{"id": "ws", "type": "staff_workstation", "tags": ["HQ", "Telecom"]}]})
    >>> [s.describe() for s in tag_suggestions(ResolvedSystem.from_model(model))]
    ['HQ → site: headquarters (1 asset)', 'Telecom → operator: vendor (1 asset)']
    """
    unused = _unused_fields(system)
    out = []
    for tag, rows in system.tags.items():
        found = TAG_LOOKALIKES.get(_norm(tag))
        if found is not None and found[0] in unused:
            out.append(TagSuggestion(tag, found[0], found[1], len(rows)))
    return tuple(sorted(out, key=lambda s: (s.field == "operator", s.tag.casefold())))


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class RuleIssue:
    """A rule of a relevant scenario that matches nothing in this system."""

    rule: str
    """``entry[0]``, ``propagation[1]`` or ``effects[2]``."""
    selector: str
    """What the rule selects: :meth:`~cyberready.models.Selector.describe`, or the link kinds
    of a propagation rule (``kinds=administers``)."""
    reason: str
    """Why it matches nothing, in plain words (English)."""
    terms: tuple[tuple[str, tuple[str, ...], int], ...] = ()
    """The facts behind ``reason`` for a selector, so that a report can say it in another
    language: each key the selector reads (``types``), its values and how many assets match
    that key alone (0: none has it). Empty for a propagation rule, and for a selector over a
    system with no asset."""
    kinds: tuple[str, ...] = ()
    """The link kinds of a propagation rule, none of which the system has."""


@dataclass(frozen=True)
class ScenarioDiagnosis:
    """What the static check found for one scenario."""

    scenario_id: str
    title: str
    file: str
    line: int | None
    relevant: bool
    rules: tuple[RuleIssue, ...] = ()
    """Rules that match nothing (relevant scenarios only)."""
    cause: Cause | None = None
    """Set when the (relevant) scenario can affect nothing."""
    reason: str = ""
    """Why it can affect nothing, in plain words (naming its rules and assets)."""
    fix: str = ""
    """What would connect it, or where to look."""
    reachable: int = 0
    """How many assets it can compromise."""
    warnings: tuple[Problem, ...] = ()
    """One per rule that matches nothing, and one when it can affect nothing."""

    @property
    def status(self) -> Status:
        """applies, partial, cannot_apply or not_relevant."""
        if not self.relevant:
            return "not_relevant"
        if self.cause is not None:
            return "cannot_apply"
        return "partial" if self.rules else "applies"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "scenario": self.scenario_id,
            "title": self.title,
            "file": self.file,
            "line": self.line,
            "status": self.status,
            "cause": self.cause,
            "reason": self.reason,
            "fix": self.fix,
            "reachable_assets": self.reachable,
            "rules": [
                {"rule": r.rule, "selector": r.selector, "reason": r.reason} for r in self.rules
            ],
        }


@dataclass(frozen=True)
class Diagnostics:
    """Relevance, applicability and reachability of an EMB's scenarios (sorted by id), and the
    site/operator values its tags suggest."""

    emb: str
    scenarios: tuple[ScenarioDiagnosis, ...]
    suggestions: tuple[TagSuggestion, ...] = ()
    missing_fields: tuple[LocationField, ...] = ()
    """``site`` and/or ``operator`` when no asset carries one."""

    def of(self, scenario_id: str) -> ScenarioDiagnosis | None:
        """The diagnosis of one scenario (None when it was not checked)."""
        return next((d for d in self.scenarios if d.scenario_id == scenario_id), None)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        """Every warning, scenario by scenario."""
        return tuple(w for d in self.scenarios for w in d.warnings)

    @property
    def not_relevant(self) -> tuple[ScenarioDiagnosis, ...]:
        """Scenarios that start from asset types this EMB does not have."""
        return tuple(d for d in self.scenarios if d.status == "not_relevant")

    @property
    def cannot_apply(self) -> tuple[ScenarioDiagnosis, ...]:
        """Relevant scenarios that can affect nothing here."""
        return tuple(d for d in self.scenarios if d.status == "cannot_apply")

    @property
    def note(self) -> str:
        """Once per workspace: the site/operator fields no asset uses, with the values its tags
        suggest ("" when every asset field is used somewhere)."""
        if not self.missing_fields:
            return ""
        fields = " or ".join(
            {"site": "a site", "operator": "an operator"}[f] for f in self.missing_fields
        )
        text = (
            f"no asset of {self.emb} has {fields}; scenarios may narrow where an attack "
            "goes and what it hits by site and operator"
        )
        if self.suggestions:
            text += "; tags that look like them: " + ", ".join(
                s.describe() for s in self.suggestions
            )
        return text

    def to_frame(self) -> pd.DataFrame:
        """One row per scenario: status, cause, reason, fix, assets it can reach, and the
        rules that match nothing."""
        import pandas as pd

        return pd.DataFrame(
            [
                {
                    "scenario": d.scenario_id,
                    "status": d.status,
                    "cause": d.cause,
                    "reachable_assets": d.reachable,
                    "rules_matching_nothing": "; ".join(r.rule for r in d.rules),
                    "reason": d.reason,
                    "fix": d.fix,
                }
                for d in self.scenarios
            ],
            columns=[
                "scenario",
                "status",
                "cause",
                "reachable_assets",
                "rules_matching_nothing",
                "reason",
                "fix",
            ],
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: per scenario, the not-relevant ids, warnings and suggestions."""
        return {
            "emb": self.emb,
            "not_relevant": [d.scenario_id for d in self.not_relevant],
            "cannot_apply": [d.scenario_id for d in self.cannot_apply],
            "scenarios": [d.to_dict() for d in self.scenarios],
            "warnings": [
                {
                    "file": w.file,
                    "line": w.line,
                    "field": w.field,
                    "message": w.message,
                    "hint": w.hint,
                }
                for w in self.warnings
            ],
            "note": self.note,
            "suggestions": [
                {"tag": s.tag, "field": s.field, "value": s.value, "assets": s.assets}
                for s in self.suggestions
            ],
        }


# --------------------------------------------------------------------------- the graph


_KIND_CODE: Final = {k: i for i, k in enumerate(LINK_KINDS)}
_TYPE_CODE: Final = {t: i for i, t in enumerate(ASSET_TYPES)}

Steps = tuple[tuple[str, str], ...]
"""The links a search follows: sorted ``(kind, direction)`` pairs; ``forward`` goes from ``from``
to ``to``, ``reverse`` the other way."""

_DEPENDENCY_STEPS: Final[Steps] = tuple((k, "forward") for k in sorted(DEPENDENCY_LINK_KINDS))
_COPY_STEPS: Final[Steps] = (("copies_data_to", "forward"),)


def _steps_of(scenario: Scenario) -> Steps:
    """The links a scenario's propagation follows (rules with probability 0 follow none)."""
    return tuple(
        sorted(
            {(k, r.direction) for r in scenario.propagation if r.probability > 0 for k in r.kinds}
        )
    )


def _reversed(steps: Steps) -> Steps:
    flip = {"forward": "reverse", "reverse": "forward"}
    return tuple(sorted((k, flip[d]) for k, d in steps))


Needs = tuple[BoolArray, BoolArray, BoolArray, int]
"""``(members, dependency closure, copies closure, number of functions)`` of the functions
delivered in some phases."""


class _Graph:
    """One system's links and selectors, indexed once for many scenarios: link positions per
    kind, a sparse adjacency per set of followed links, selector masks, and what the functions
    of each set of phases need. Every search is one breadth-first search of
    :mod:`scipy.sparse.csgraph` from a virtual node linked to every start."""

    def __init__(self, system: ResolvedSystem) -> None:
        self.system = system
        self.n = system.n_assets
        order = np.argsort(system.link_kind, kind="stable")
        counts = np.bincount(system.link_kind, minlength=len(LINK_KINDS))
        self._by_kind = np.split(order, np.cumsum(counts)[:-1])
        self.present = np.bincount(system.types, minlength=len(ASSET_TYPES)) > 0
        self._adjacency: dict[Steps, tuple[npt.NDArray[np.int32], npt.NDArray[np.int32]]] = {}
        self._masks: dict[Selector | None, BoolArray] = {}
        self._needs: dict[tuple[bool, ...], Needs] = {}

    def links(self, kinds: Iterable[str]) -> IntArray:
        """Positions of the links of these kinds."""
        parts = [self._by_kind[_KIND_CODE[k]] for k in kinds]
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)

    def mask(self, selector: Selector | None) -> BoolArray:
        """:meth:`ResolvedSystem.mask`, computed once per selector (read-only)."""
        found = self._masks.get(selector)
        if found is None:
            found = self._masks[selector] = self.system.mask(selector)
            found.flags.writeable = False
        return found

    def _csr(self, steps: Steps) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int32]]:
        """``(indptr, indices)`` of the adjacency along ``steps``, one row per asset."""
        if steps not in self._adjacency:
            system = self.system
            rows: list[IntArray] = []
            cols: list[IntArray] = []
            for kind, direction in steps:
                links = self._by_kind[_KIND_CODE[kind]]
                frm, to = system.link_src[links], system.link_dst[links]
                rows.append(frm if direction == "forward" else to)
                cols.append(to if direction == "forward" else frm)
            r = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
            c = np.concatenate(cols) if cols else np.zeros(0, dtype=np.int64)
            adj = csr_array((np.ones(len(r), dtype=np.int8), (r, c)), shape=(self.n, self.n))
            self._adjacency[steps] = (
                adj.indptr.astype(np.int32, copy=False),
                adj.indices.astype(np.int32, copy=False),
            )
        return self._adjacency[steps]

    def reach(self, steps: Steps, starts: BoolArray) -> BoolArray:
        """``starts`` and every asset reachable from them along ``steps``."""
        indptr, indices = self._csr(steps)
        if not starts.any() or len(indices) == 0:
            return starts.copy()
        first = np.flatnonzero(starts).astype(np.int32)
        graph = csr_array(
            (
                np.ones(len(indices) + len(first), dtype=np.float64),
                np.concatenate([indices, first]),
                np.append(indptr, np.int32(len(indices) + len(first))),
            ),
            shape=(self.n + 1, self.n + 1),
        )
        order = breadth_first_order(graph, self.n, directed=True, return_predecessors=False)
        out = np.zeros(self.n + 1, dtype=bool)
        out[order] = True
        return out[: self.n]

    def needs(self, phases: Iterable[str]) -> Needs:
        """What the functions delivered in ``phases`` need (computed once per set of them)."""
        wanted = set(phases)
        functions = self.system.functions
        key = tuple(bool(wanted & set(fn.phases)) for fn in functions)
        if key not in self._needs:
            members = np.zeros(self.n, dtype=bool)
            guarded = np.zeros(self.n, dtype=bool)
            for fn, in_phase in zip(functions, key, strict=True):
                for group in fn.requires if in_phase else ():
                    members |= self.mask(group.members)
                    if group.protects_data:
                        guarded |= self.mask(group.members)
            self._needs[key] = (
                members,
                self.reach(_DEPENDENCY_STEPS, members),
                self.reach(_COPY_STEPS, guarded),
                sum(key),
            )
        return self._needs[key]

    def seeds(self, scenario: Scenario) -> BoolArray:
        """The assets its entry rules with a chance of success match."""
        out = np.zeros(self.n, dtype=bool)
        for rule in scenario.entry:
            if rule.probability > 0:
                out |= self.mask(rule.select)
        return out

    def harm(self, scenario: Scenario) -> BoolArray:
        """See :func:`harmable`."""
        members, dep_closure, copy_closure, _ = self.needs(scenario.phases)
        out = np.zeros(self.n, dtype=bool)
        for effect in scenario.effects:
            targets = self.mask(effect.targets)
            if effect.effective_visibility == "public":
                out |= targets
            elif effect.type == "alter":
                out |= targets & members
            elif effect.type == "disrupt":
                out |= targets & dep_closure
            elif effect.type == "leak":
                out |= targets & copy_closure
        return out


def reachable(system: ResolvedSystem, scenario: Scenario) -> BoolArray:
    """Mask of the assets ``scenario`` can compromise in ``system``.

    The assets its entry rules match (rules with probability 0 start nothing), and everything
    reachable from them along the links its propagation rules follow, in each rule's direction
    (rules with probability 0 reach nothing). Controls are ignored: this is what *can* happen.
    """
    graph = _Graph(system)
    return graph.reach(_steps_of(scenario), graph.seeds(scenario))


def harmable(system: ResolvedSystem, scenario: Scenario) -> BoolArray:
    """Mask of the assets whose compromise would let ``scenario`` affect something: an effect
    hitting them would hurt a member of a function delivered in the scenario's phases (alter:
    the member; disrupt: its dependency closure, alternatives groups included; leak: the copies
    closure of a ``protects_data`` member), or has public visibility.

    The scenario can affect nothing exactly when ``reachable & harmable`` is empty.
    """
    return _Graph(system).harm(scenario)


# --------------------------------------------------------------------------- plain words


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def _assets_text(system: ResolvedSystem, mask: BoolArray, *, limit: int = 3) -> str:
    """``ws-north (staff_workstation), net-wan (network)`` for a few assets, else
    ``1,200 assets (800 pollbook, 400 network; e.g. pb-1, pb-2)``."""
    rows = np.flatnonzero(mask)
    if len(rows) <= limit:
        return ", ".join(f"{system.ids[i]} ({system.type_of(int(i))})" for i in rows)
    counts = np.bincount(system.types[rows], minlength=len(ASSET_TYPES))
    order = [int(t) for t in np.argsort(-counts, kind="stable") if counts[t] > 0]
    kinds = ", ".join(f"{int(counts[t]):,} {ASSET_TYPES[t]}" for t in order[:3])
    if len(order) > 3:
        kinds += ", …"
    examples = ", ".join(system.ids[int(i)] for i in rows[:2])
    return f"{len(rows):,} assets ({kinds}; e.g. {examples})"


def _kinds_text(scenario: Scenario) -> str:
    """The kinds a scenario spreads along: ``connects_to, administers; hosted_on in
    reverse``."""
    forward = _kinds_of(scenario, "forward")
    reverse = _kinds_of(scenario, "reverse")
    parts = []
    if forward:
        parts.append(", ".join(forward))
    if reverse:
        parts.append(", ".join(reverse) + " in reverse (from to to from)")
    return "; ".join(parts)


def _kinds_of(scenario: Scenario, direction: str) -> list[str]:
    kinds: list[str] = []
    for rule in scenario.propagation:
        if rule.probability > 0 and rule.direction == direction:
            kinds += [k for k in rule.kinds if k not in kinds]
    return kinds


def _selector_terms(
    graph: _Graph, selector: Selector | None
) -> tuple[tuple[str, tuple[str, ...], int], ...]:
    """Each key ``selector`` reads, its values and how many assets match that key alone."""
    if selector is None:
        return ()
    out = []
    for key in SELECTOR_KEYS:
        values = getattr(selector, key)
        if values is None:
            continue
        alone = int(graph.mask(Selector.model_validate({key: list(values)})).sum())
        out.append((key, tuple(values), alone))
    return tuple(out)


def _selector_label(key: str, values: Sequence[str]) -> str:
    """How a reason names a selector key: plural for several values (``types``), singular for
    one (``type``); ``exposure`` and ``data`` as they are.

    >>> _selector_label("types", ["server"]), _selector_label("tags", ["a", "b"])
    ('type', 'tags')
    """
    return key if len(values) > 1 or key in ("exposure", "data") else key.rstrip("s")


def _why_no_match(terms: Sequence[tuple[str, Sequence[str], int]]) -> str:
    """Why a selector matches no asset (its :func:`_selector_terms`): the keys nothing has,
    else that no asset has all of them together."""
    if not terms:
        return "the system has no asset"
    missing = [
        f"{_selector_label(key, values)} {', '.join(values)}"
        for key, values, alone in terms
        if alone == 0
    ]
    if missing:
        return "no asset has " + " or ".join(missing)
    counts = [
        f"{alone:,} with {_selector_label(key, values)} {', '.join(values)}"
        for key, values, alone in terms
    ]
    return "no asset has all of them (" + ", ".join(counts) + ")"


_KEY_WORDS: Final = {
    "ids": "id",
    "types": "type",
    "tags": "tags",
    "exposure": "exposure",
    "data": "data",
    "sites": "site",
    "operators": "operator",
}


def _keys_text(selector: Selector) -> str:
    """The asset fields a selector reads: ``type and exposure``."""
    words = [_KEY_WORDS[k] for k in SELECTOR_KEYS if getattr(selector, k) is not None]
    return ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else "".join(words)


def _entries_text(scenario: Scenario) -> str:
    return "; ".join(f"entry[{i}] {r.select.describe()}" for i, r in enumerate(scenario.entry))


def _effects_text(scenario: Scenario) -> str:
    return "; ".join(
        f"effects[{i}] {e.type} {e.targets.describe() if e.targets else 'all assets'}"
        for i, e in enumerate(scenario.effects)
    )


# --------------------------------------------------------------------------- one scenario


def _bridges(
    system: ResolvedSystem,
    scenario: Scenario,
    reach: BoolArray,
    towards: BoolArray,
    *,
    limit: int = 2,
) -> list[str]:
    """Plain words on the links that join what the scenario can compromise (``reach``) to
    assets from which it could go on to what it would hurt (``towards``), but that it does
    not follow: the most common (types, kind, direction) first."""
    src, dst, kind = system.link_src, system.link_dst, system.link_kind
    fwd = reach[src] & towards[dst]  # the attacker would go from -> to
    rev = reach[dst] & towards[src]  # the attacker would go to -> from
    links = np.concatenate([np.flatnonzero(fwd), np.flatnonzero(rev)])
    if len(links) == 0:
        return []
    backwards = np.concatenate(
        [np.zeros(int(fwd.sum()), dtype=np.int64), np.ones(int(rev.sum()), dtype=np.int64)]
    )
    a = np.where(backwards == 0, src[links], dst[links])  # the end it holds
    b = np.where(backwards == 0, dst[links], src[links])  # the end it would need
    n_types, n_kinds = len(ASSET_TYPES), len(LINK_KINDS)
    code = ((system.types[a] * n_types + system.types[b]) * n_kinds + kind[links]) * 2 + backwards
    uniq, first, counts = np.unique(code, return_index=True, return_counts=True)
    order = sorted(range(len(uniq)), key=lambda j: (-int(counts[j]), int(first[j])))
    forward_kinds = _kinds_of(scenario, "forward")
    reverse_kinds = _kinds_of(scenario, "reverse")
    out = []
    for j in order[:limit]:
        e, ai, bi = int(links[first[j]]), int(a[first[j]]), int(b[first[j]])
        k = system.kind_of(e)
        a_id, b_id = system.ids[ai], system.ids[bi]
        link = f"{system.ids[int(src[e])]} {k} {system.ids[int(dst[e])]}"
        reached = f"{system.type_of(ai)} {a_id} reaches {system.type_of(bi)} {b_id}"
        against = bool(backwards[first[j]])
        follows = [
            (i, r)
            for i, r in enumerate(scenario.propagation)
            if k in r.kinds and (r.direction == "reverse") == against
        ]
        other_way = [r for r in scenario.propagation if k in r.kinds and r.probability > 0]
        if follows:
            how = f"which propagation[{follows[0][0]}] follows with probability 0"
        elif other_way:
            how = (
                f"against the direction in which this scenario follows {k} "
                f"({other_way[0].direction})"
            )
        elif scenario.propagation:
            how = f"and this scenario spreads along {_kinds_text(scenario) or 'no link'}"
        else:
            how = "and this scenario does not spread (it has no propagation rule)"
        more = int(counts[j]) - 1
        if more:
            link += f", and {_plural(more, 'more link')} like it"
        text = f"{reached} only by {k} ({link}), {how}"
        if forward_kinds:
            text += (
                "; if an attacker can cross it, model it as a link it follows, e.g. "
                f"{{from: {a_id}, to: {b_id}, kind: {forward_kinds[0]}}}"
            )
        elif reverse_kinds:
            text += (
                "; if an attacker can cross it, model it as a link it follows, e.g. "
                f"{{from: {b_id}, to: {a_id}, kind: {reverse_kinds[0]}}}"
            )
        out.append(text)
    return out


def _located(doc: Document, path: tuple[str | int, ...], message: str, hint: str) -> Problem:
    return Problem(
        file=doc.file,
        line=doc.line_of(path),
        field=format_path(doc.origin(path)),
        message=message,
        hint=hint,
    )


def diagnose_scenario(
    system: ResolvedSystem,
    scenario: Scenario,
    *,
    doc: Document | None = None,
    emb: str = "this system",
) -> ScenarioDiagnosis:
    """Relevance, rules that match nothing, and whether ``scenario`` can affect anything in
    ``system``; warnings are located in ``doc`` (the scenario's file), naming ``emb``."""
    doc = doc if doc is not None else Document(file=f"<scenario {scenario.id}>", data=None)
    return _diagnose(_Graph(system), scenario, doc, emb)


def _diagnose(graph: _Graph, scenario: Scenario, doc: Document, emb: str) -> ScenarioDiagnosis:
    system = graph.system
    sid = scenario.id
    entry_masks = [graph.mask(rule.select) for rule in scenario.entry]
    relevant = any(
        bool(graph.present[[_TYPE_CODE[t] for t in rule.select.types]].any())
        if rule.select.types
        else bool(mask.any())
        for rule, mask in zip(scenario.entry, entry_masks, strict=True)
    )
    base = ScenarioDiagnosis(
        scenario_id=sid,
        title=scenario.title,
        file=doc.file,
        line=doc.line_of(("id",)),
        relevant=relevant,
    )
    if not relevant:
        return base

    rules: list[RuleIssue] = []
    warnings: list[Problem] = []
    for i, (rule, mask) in enumerate(zip(scenario.entry, entry_masks, strict=True)):
        if not mask.any():
            terms = _selector_terms(graph, rule.select)
            issue = RuleIssue(
                f"entry[{i}]", rule.select.describe(), _why_no_match(terms), terms=terms
            )
            rules.append(issue)
            warnings.append(
                _located(
                    doc,
                    ("entry", i, "select"),
                    f"{issue.rule} of {sid} matches no asset of {emb}: {issue.selector}; "
                    f"{issue.reason}",
                    "this entry point is not applicable here; if you have such an asset, check "
                    f"its {_keys_text(rule.select)}",
                )
            )
    for i, prop in enumerate(scenario.propagation):
        if len(graph.links(prop.kinds)) == 0:
            kinds = ", ".join(prop.kinds)
            issue = RuleIssue(
                f"propagation[{i}]",
                f"kinds={kinds}",
                f"no link of kind {kinds} in the system",
                kinds=tuple(prop.kinds),
            )
            rules.append(issue)
            warnings.append(
                _located(
                    doc,
                    ("propagation", i, "kinds"),
                    f"{issue.rule} of {sid} follows no link of {emb}: {issue.reason}",
                    "an attacker cannot spread this way here; if such links exist, add them to "
                    "system.yaml",
                )
            )
    for i, effect in enumerate(scenario.effects):
        if not graph.mask(effect.targets).any():
            described = effect.targets.describe() if effect.targets else "all assets"
            terms = _selector_terms(graph, effect.targets)
            issue = RuleIssue(f"effects[{i}]", described, _why_no_match(terms), terms=terms)
            rules.append(issue)
            warnings.append(
                _located(
                    doc,
                    ("effects", i, "targets"),
                    f"{issue.rule} ({effect.type}) of {sid} targets no asset of {emb}: "
                    f"{described}; {issue.reason}",
                    "this effect cannot happen here"
                    + (
                        f"; if you have such an asset, check its {_keys_text(effect.targets)}"
                        if effect.targets is not None
                        else ""
                    ),
                )
            )

    harm = graph.harm(scenario)
    steps = _steps_of(scenario)
    seeds = graph.seeds(scenario)
    reach = graph.reach(steps, seeds)
    n_reach = int(reach.sum())
    if (reach & harm).any():
        return _with(base, rules, warnings, reachable=n_reach)

    phases = ", ".join(scenario.phases)
    cause: Cause
    if not seeds.any():
        cause, path = "no_entry", ("entry",)
        if any(m.any() for m in entry_masks):
            reason = "the entry rules that match an asset have probability 0"
        else:
            reason = f"none of its entry rules matches an asset ({_entries_text(scenario)})"
        fix = "check the type, exposure and data of the assets it should start from"
    elif not harm.any():
        cause, path = "no_target", ("effects",)
        if graph.needs(scenario.phases)[3] == 0:
            reason = (
                f"no function of {emb} is delivered in its phases ({phases}), and none of its "
                "effects is public"
            )
            fix = "if a function is delivered in these phases, add them to its phases"
        else:
            reason = (
                f"its effects ({_effects_text(scenario)}) hit nothing that a function of its "
                f"phases ({phases}) needs, and none of them is public"
            )
            fix = (
                "if a function relies on such an asset, list it in the function's requires or "
                "link what it needs to it by hosted_on, depends_on or powered_by"
            )
            if any(e.type == "leak" for e in scenario.effects):
                fix += "; a leak counts only for a requirement with protects_data: true"
    else:
        cause = "no_path"
        path = ("propagation",) if scenario.propagation else ("entry",)
        spread = _kinds_text(scenario)
        where = f"spreading along {spread}" if spread else "without spreading (no propagation rule)"
        reason = (
            f"it can reach {_assets_text(system, reach)}, {where}, but its effects would "
            f"hurt only {_assets_text(system, harm)}"
        )
        towards = graph.reach(_reversed(steps), harm)
        bridges = _bridges(system, scenario, reach, towards)
        if bridges:
            fix = "; ".join(bridges)
        else:
            fix = (
                "no link of any kind joins them: add the link an attacker would use, of a kind "
                f"it follows ({spread or 'it follows none: it has no propagation rule'})"
            )
    warnings.append(_located(doc, path, f"{sid} can affect nothing in {emb}: {reason}", fix))
    return _with(base, rules, warnings, cause=cause, reason=reason, fix=fix, reachable=n_reach)


def _with(
    base: ScenarioDiagnosis,
    rules: Sequence[RuleIssue],
    warnings: Sequence[Problem],
    **changes: Any,
) -> ScenarioDiagnosis:
    return replace(base, rules=tuple(rules), warnings=tuple(warnings), **changes)


# --------------------------------------------------------------------------- a workspace


def diagnose(ws: Workspace, scenarios: Iterable[Scenario] | None = None) -> Diagnostics:
    """Relevance, applicability and reachability of a workspace's scenarios.

    Parameters
    ----------
    ws
        The loaded workspace.
    scenarios
        The scenarios to check (default: those in scope in ``emb.yaml``).

    Returns
    -------
    Diagnostics
        Per scenario (sorted by id): whether it is relevant, the rules that match nothing and,
        when it can affect nothing, why and what would connect it; its ``warnings`` are
        :class:`~cyberready.errors.Problem` located in the scenario's file, for
        ``cyberready validate``. Also the ``site``/``operator`` values the tags suggest when
        no asset carries one. A static check on the graph: no simulation, linear in the size
        of the model.
    """
    chosen = sorted(
        {s.id: s for s in (ws.scenarios if scenarios is None else scenarios)}.values(),
        key=lambda s: s.id,
    )
    system = ws.resolved
    graph = _Graph(system)
    found = tuple(
        _diagnose(graph, sc, ws.library.doc("scenario", sc.id), ws.emb.id) for sc in chosen
    )
    missing = _unused_fields(system)
    return Diagnostics(
        emb=ws.emb.id,
        scenarios=found,
        suggestions=tag_suggestions(system) if missing else (),
        missing_fields=missing,
    )
