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
:class:`~cyberready.assets.ResolvedSystem` arrays and reachability is a breadth-first search of
:mod:`scipy.sparse.csgraph`. :func:`diagnose` is the entry point.

>>> import cyberready
>>> from cyberready.diagnostics import diagnose
>>> ws = cyberready.load_workspace(cyberready.example_path())
>>> d = diagnose(ws)
>>> d.of("ransomware-shared-it").status
'applies'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Final, Literal

import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_array
from scipy.sparse.csgraph import breadth_first_order

from cyberready.assets import ResolvedSystem
from cyberready.errors import Problem
from cyberready.io import Document, format_path
from cyberready.models import Effect, Scenario, Selector
from cyberready.models.vocab import (
    ASSET_TYPES,
    DEPENDENCY_LINK_KINDS,
    LINK_KINDS,
    SELECTOR_KEYS,
)
from cyberready.workspace import Workspace

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


def tag_suggestions(system: ResolvedSystem) -> tuple[TagSuggestion, ...]:
    """Site and operator values suggested from the tags, for each of the two fields that no
    asset carries (none when every field is used somewhere); sorted by field, then by tag.

    >>> from cyberready.models import SystemModel
    >>> model = SystemModel.model_validate({"schema_version": 1, "kind": "system", "emb": "x",
    ...     "assets": [{"id": "ws", "type": "staff_workstation", "tags": ["HQ", "Telecom"]}]})
    >>> [s.describe() for s in tag_suggestions(ResolvedSystem.from_model(model))]
    ['HQ → site: headquarters (1 asset)', 'Telecom → operator: vendor (1 asset)']
    """
    unused = {
        name
        for name, codes in (("site", system.sites), ("operator", system.operators))
        if not (codes >= 0).any()
    }
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
    """Why it matches nothing, in plain words."""


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
    """Why it can affect nothing, in plain words (a clause that follows "because")."""
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
    missing_fields: tuple[str, ...] = ()
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
_DEPENDENCY_CODES: Final = [_KIND_CODE[k] for k in sorted(DEPENDENCY_LINK_KINDS)]


def _reach(n: int, src: IntArray, dst: IntArray, seeds: BoolArray) -> BoolArray:
    """The seeds and every asset reachable from them along the edges ``src[i] -> dst[i]``:
    one breadth-first search from a virtual node linked to every seed."""
    if not seeds.any() or len(src) == 0:
        return seeds.copy()
    starts = np.flatnonzero(seeds)
    rows = np.concatenate([src, np.full(len(starts), n, dtype=np.int64)])
    cols = np.concatenate([dst, starts])
    graph = csr_array((np.ones(len(rows), dtype=np.float64), (rows, cols)), shape=(n + 1, n + 1))
    order = breadth_first_order(graph, n, directed=True, return_predecessors=False)
    out = np.zeros(n + 1, dtype=bool)
    out[order] = True
    return out[:n]


@dataclass(frozen=True)
class _Steps:
    """The attack steps a scenario can take: from ``src[i]`` to ``dst[i]``."""

    src: IntArray
    dst: IntArray


def _steps(system: ResolvedSystem, scenario: Scenario) -> _Steps:
    srcs: list[IntArray] = []
    dsts: list[IntArray] = []
    for rule in scenario.propagation:
        if rule.probability <= 0:
            continue
        links = system.links_of_kinds(rule.kinds)
        frm, to = system.link_src[links], system.link_dst[links]
        forward = rule.direction == "forward"
        srcs.append(frm if forward else to)
        dsts.append(to if forward else frm)
    empty = np.zeros(0, dtype=np.int64)
    return _Steps(np.concatenate(srcs) if srcs else empty, np.concatenate(dsts) if dsts else empty)


def _entry_seeds(system: ResolvedSystem, scenario: Scenario) -> BoolArray:
    seeds = np.zeros(system.n_assets, dtype=bool)
    for rule in scenario.entry:
        if rule.probability > 0:
            seeds |= system.mask(rule.select)
    return seeds


def reachable(system: ResolvedSystem, scenario: Scenario) -> BoolArray:
    """Mask of the assets ``scenario`` can compromise in ``system``.

    The assets its entry rules match (rules with probability 0 start nothing), and everything
    reachable from them along the links its propagation rules follow, in each rule's direction
    (rules with probability 0 reach nothing). Controls are ignored: this is what *can* happen.
    """
    steps = _steps(system, scenario)
    return _reach(system.n_assets, steps.src, steps.dst, _entry_seeds(system, scenario))


class _Needs:
    """What the in-phase functions need, per set of phases: their members, the members'
    dependency closure, and the copies closure of ``protects_data`` members (computed once per
    phase set and system)."""

    def __init__(self, system: ResolvedSystem) -> None:
        self.system = system
        self._cache: dict[tuple[bool, ...], tuple[BoolArray, BoolArray, BoolArray, int]] = {}
        kind = system.link_kind
        dep = np.isin(kind, _DEPENDENCY_CODES)
        copy = kind == _KIND_CODE["copies_data_to"]
        self._dep = (system.link_src[dep], system.link_dst[dep])
        self._copy = (system.link_src[copy], system.link_dst[copy])
        self._members: dict[tuple[int, int], BoolArray] = {}

    def of(self, phases: Iterable[str]) -> tuple[BoolArray, BoolArray, BoolArray, int]:
        """``(members, dependency closure, copies closure, functions in phase)``."""
        wanted = set(phases)
        system = self.system
        key = tuple(bool(wanted & set(fn.phases)) for fn in system.functions)
        if key not in self._cache:
            n = system.n_assets
            members = np.zeros(n, dtype=bool)
            guarded = np.zeros(n, dtype=bool)
            for fi, fn in enumerate(system.functions):
                if not key[fi]:
                    continue
                for gi, group in enumerate(fn.requires):
                    m = self._members.get((fi, gi))
                    if m is None:
                        m = self._members[(fi, gi)] = system.mask(group.members)
                    members |= m
                    if group.protects_data:
                        guarded |= m
            self._cache[key] = (
                members,
                _reach(n, *self._dep, members),
                _reach(n, *self._copy, guarded),
                sum(key),
            )
        return self._cache[key]


def _effect_harm(
    system: ResolvedSystem, effect: Effect, needs: tuple[BoolArray, BoolArray, BoolArray, int]
) -> BoolArray:
    """The assets where this effect, if it hit them, would hurt an in-phase function member
    or be seen by the public."""
    targets = system.mask(effect.targets)
    if effect.effective_visibility == "public":
        return targets
    members, dep_closure, copy_closure, _ = needs
    if effect.type == "alter":
        return targets & members
    if effect.type == "disrupt":
        return targets & dep_closure
    if effect.type == "leak":
        return targets & copy_closure
    return np.zeros(system.n_assets, dtype=bool)  # a deface that is not public


def harmable(system: ResolvedSystem, scenario: Scenario) -> BoolArray:
    """Mask of the assets whose compromise would let ``scenario`` affect something: an effect
    hitting them would hurt a member of a function delivered in the scenario's phases (alter:
    the member; disrupt: its dependency closure; leak: the copies closure of a
    ``protects_data`` member), or has public visibility.

    The scenario can affect nothing exactly when ``reachable & harmable`` is empty.
    """
    needs = _Needs(system).of(scenario.phases)
    out = np.zeros(system.n_assets, dtype=bool)
    for effect in scenario.effects:
        out |= _effect_harm(system, effect, needs)
    return out


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


def _why_no_match(system: ResolvedSystem, selector: Selector | None) -> str:
    """Why a selector matches no asset: the keys nothing has, else that no asset has all of
    them together."""
    if selector is None:
        return "the system has no asset"
    missing = []
    counts = []
    for key in SELECTOR_KEYS:
        values = getattr(selector, key)
        if values is None:
            continue
        alone = int(system.mask(Selector.model_validate({key: list(values)})).sum())
        label = key if len(values) > 1 or key in ("exposure", "data") else key.rstrip("s")
        if alone == 0:
            missing.append(f"{label} {', '.join(values)}")
        else:
            counts.append(f"{alone:,} with {label} {', '.join(values)}")
    if missing:
        return "no asset has " + " or ".join(missing)
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
    return _diagnose(system, scenario, doc, emb, _Needs(system))


def _diagnose(
    system: ResolvedSystem, scenario: Scenario, doc: Document, emb: str, needs_of: _Needs
) -> ScenarioDiagnosis:
    sid = scenario.id
    present = np.bincount(system.types, minlength=len(ASSET_TYPES)) > 0
    type_code = {t: i for i, t in enumerate(ASSET_TYPES)}
    entry_masks = [system.mask(rule.select) for rule in scenario.entry]
    relevant = any(
        bool(present[[type_code[t] for t in rule.select.types]].any())
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
            issue = RuleIssue(
                f"entry[{i}]", rule.select.describe(), _why_no_match(system, rule.select)
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
        if len(system.links_of_kinds(prop.kinds)) == 0:
            kinds = ", ".join(prop.kinds)
            issue = RuleIssue(
                f"propagation[{i}]", f"kinds={kinds}", f"no link of kind {kinds} in the system"
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
        if not system.mask(effect.targets).any():
            described = effect.targets.describe() if effect.targets else "all assets"
            issue = RuleIssue(f"effects[{i}]", described, _why_no_match(system, effect.targets))
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

    needs = needs_of.of(scenario.phases)
    harm = np.zeros(system.n_assets, dtype=bool)
    for effect in scenario.effects:
        harm |= _effect_harm(system, effect, needs)
    steps = _steps(system, scenario)
    seeds = np.zeros(system.n_assets, dtype=bool)
    for rule, mask in zip(scenario.entry, entry_masks, strict=True):
        if rule.probability > 0:
            seeds |= mask
    reach = _reach(system.n_assets, steps.src, steps.dst, seeds)
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
        if needs[3] == 0:
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
        towards = _reach(system.n_assets, steps.dst, steps.src, harm)
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
    needs = _Needs(system)
    found = tuple(
        _diagnose(system, sc, ws.library.doc("scenario", sc.id), ws.emb.id, needs) for sc in chosen
    )
    missing = tuple(
        name
        for name, codes in (("site", system.sites), ("operator", system.operators))
        if not (codes >= 0).any()
    )
    return Diagnostics(
        emb=ws.emb.id,
        scenarios=found,
        suggestions=tag_suggestions(system) if missing else (),
        missing_fields=missing,
    )
