"""Compile a scenario over a resolved system into flat arrays, once (docs/trial-model.md).

:func:`prepare` does everything that does not depend on control levels — which assets each
entry rule attempts (and, for ``mode: one`` rules, the cumulative item counts the pick draws
from), which links each propagation rule follows and in which direction, the random keys of
every attempt (hashed once here), tie-break ranks, the dependency structure and data-copy
closures of function members — and returns a :class:`ScenarioGraph`.
:meth:`ScenarioGraph.bind` then multiplies in a :class:`~cyberready.posture.Posture` (success
thresholds with counts, detection per attempt, recovery and verification per asset), which is
cheap, so what-if analysis re-binds one graph to many postures. A kernel
(:mod:`cyberready.engine.kernel`) only reads the resulting :class:`CompiledScenario`.

**Dependency spread, two ways.** Without alternatives groups an asset's outage is the largest
own outage in its dependency closure, so each requirement group carries, per asset, the
members whose closure holds it (``depends_rev``) and a kernel maps outages straight onto
members. When a member's closure reaches an asset with a grouped dependency link, closures no
longer say who is out (``dep_fixpoint``): the graph then carries the dependency links reversed
(``dep_required_rev``: asset -> the assets that require it; ``dep_group_rev``: asset -> the
alternatives groups it belongs to; ``group_members``, ``group_owner``) and a kernel computes the
least fixed point per trial over the assets an outage touches. A model without groups pays
nothing for them.

Rules or effects whose selector matches nothing, and propagation rules with no link of their
kinds, are *not applicable* in this system: they are listed in ``not_applicable``, not errors.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from cyberready.engine.reference import group_k
from cyberready.engine.rng import (
    TimeLaw,
    asset_key,
    count_thresholds,
    entry_key,
    entry_pick_key,
    key64_many,
    link_key,
)
from cyberready.models import Scenario
from cyberready.models.vocab import DEPENDENCY_LINK_KINDS, LINK_KINDS
from cyberready.posture import Posture
from cyberready.workspace import ResolvedSystem

__all__ = [
    "CompiledEffect",
    "CompiledFunction",
    "CompiledGroup",
    "CompiledScenario",
    "CompiledVerification",
    "ScenarioGraph",
    "compile_scenario",
    "prepare",
]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
U64Array = npt.NDArray[np.uint64]
CodeArray = npt.NDArray[np.int8]

EFFECT_TYPES = ("disrupt", "alter", "leak", "deface")


@dataclass(frozen=True, eq=False)
class Csr:
    """Rows of integers: row ``i`` is ``items[ptr[i]:ptr[i + 1]]``."""

    ptr: IntArray
    items: IntArray

    @classmethod
    def from_lists(cls, rows: list[list[int]]) -> Csr:
        """From Python lists (each kept in its order)."""
        lengths = np.array([len(r) for r in rows], dtype=np.int64)
        ptr = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(lengths, out=ptr[1:])
        items = np.fromiter((x for r in rows for x in r), dtype=np.int64, count=int(ptr[-1]))
        return cls(ptr=ptr, items=items)

    @classmethod
    def from_pairs(cls, n_rows: int, rows: IntArray, items: IntArray) -> Csr:
        """From (row, item) pairs; within a row, items keep the order given."""
        order = np.argsort(rows, kind="stable")
        ptr = np.zeros(n_rows + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows, minlength=n_rows), out=ptr[1:])
        return cls(ptr=ptr, items=items[order].astype(np.int64))

    def expand(self, rows: IntArray) -> tuple[IntArray, IntArray]:
        """For each given row index, its items: ``(position in rows, item)`` pairs."""
        lo = self.ptr[rows]
        deg = self.ptr[rows + 1] - lo
        total = int(deg.sum())
        which = np.repeat(np.arange(len(rows), dtype=np.int64), deg)
        offs = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(deg) - deg, deg)
        return which, self.items[np.repeat(lo, deg) + offs]


@dataclass(frozen=True, eq=False)
class CompiledEffect:
    """One effect: its type, the assets it may hit and, for disrupt, the duration law."""

    type: str
    targets: BoolArray
    public: bool
    law: TimeLaw | None


@dataclass(frozen=True, eq=False)
class CompiledGroup:
    """A requirement group: members (sorted positions), ``k`` and reverse closures.

    Each ``*_rev`` maps an asset to member slots (indices into ``members``):
    ``members_rev`` to the slot of that very asset, ``depends_rev`` (None when the graph
    spreads outages by fixed point, ``dep_fixpoint``) to the members whose dependency closure
    holds it, ``copies_rev`` (``protects_data`` groups only) to the members whose data is
    copied to it, transitively.
    """

    members: IntArray
    k: int
    protects_data: bool
    members_rev: Csr
    depends_rev: Csr | None
    copies_rev: Csr | None

    @property
    def n(self) -> int:
        """Number of members."""
        return len(self.members)


@dataclass(frozen=True, eq=False)
class CompiledFunction:
    """An in-phase function: its column, tolerance and groups."""

    index: int
    tolerance: float
    groups: tuple[CompiledGroup, ...]


@dataclass(frozen=True, eq=False)
class ScenarioGraph:
    """Everything about a scenario over a system that does not depend on control levels.

    Attempts are numbered entries first (``0 .. n_entries-1``), then propagation steps.
    ``rank`` orders attempts for tie-breaks (entry rules first, then rule order, then source
    id, then link order). Entry attempts of ``mode: each`` rules come first (``0 ..
    n_each-1``: every one is tried in every trial); then, per ``mode: one`` rule, its matched
    assets sorted by id: ``pick_lo[i]:pick_hi[i]`` are the attempts of the ``i``-th such rule
    and ``pick_cumulative`` (aligned with the attempts) their cumulative item counts.
    """

    scenario: Scenario
    asset_ids: tuple[str, ...]
    counts: IntArray
    # entry attempts
    entry_rule: IntArray
    entry_dst: IntArray
    entry_base: FloatArray
    entry_count: IntArray
    """What an attempt's threshold is raised to: the asset's count (``mode: each``) or 1."""
    n_each: int
    """How many attempts belong to ``mode: each`` rules (they come first)."""
    pick_lo: IntArray
    pick_hi: IntArray
    pick_cumulative: IntArray
    pick_key: U64Array
    entry_key_success: U64Array
    entry_key_time: U64Array
    entry_code: CodeArray
    entry_a: FloatArray
    entry_b: FloatArray
    # propagation steps
    step_rule: IntArray
    step_src: IntArray
    step_dst: IntArray
    step_base: FloatArray
    step_key_success: U64Array
    step_key_time: U64Array
    step_code: CodeArray
    step_a: FloatArray
    step_b: FloatArray
    out: Csr
    """Asset -> its outgoing steps (step ids), in step order."""
    rank: IntArray
    key_detect: U64Array
    key_duration: U64Array
    effects: tuple[CompiledEffect, ...]
    functions: tuple[CompiledFunction, ...]
    function_ids: tuple[str, ...]
    function_weights: FloatArray
    in_phase: BoolArray
    not_applicable: tuple[str, ...]
    dep_fixpoint: bool = False
    """Outages spread by per-trial fixed point (a member's dependencies use groups)."""
    dep_required_rev: Csr | None = None
    """Asset -> the assets with an ungrouped dependency link to it (``dep_fixpoint`` only)."""
    dep_group_rev: Csr | None = None
    """Asset -> the alternatives groups it is a member of (``dep_fixpoint`` only)."""
    group_members: Csr | None = None
    """Alternatives group -> its member assets, without repeats (``dep_fixpoint`` only)."""
    group_owner: IntArray | None = None
    """Alternatives group -> the asset whose dependency links form it."""
    _asset_keys: dict[str, tuple[U64Array, BoolArray]] = dataclasses.field(
        default_factory=dict, repr=False
    )

    @property
    def has_picks(self) -> bool:
        """True when some entry rule is ``mode: one``."""
        return len(self.pick_lo) > 0

    def asset_keys(self, purpose: str, positions: IntArray) -> U64Array:
        """Per-asset random keys (``asset:<id>``, ``purpose``) for all assets, hashed on demand
        for ``positions`` only (kept between calls: what-if postures re-bind often). Entries
        never asked for stay 0."""
        keys, done = self._asset_keys.get(purpose) or (
            np.zeros(self.n_assets, dtype=np.uint64),
            np.zeros(self.n_assets, dtype=bool),
        )
        todo = positions[~done[positions]]
        if len(todo):
            keys = keys.copy()
            done = done.copy()
            sid = self.scenario.id
            keys[todo] = key64_many(sid, [asset_key(self.asset_ids[int(a)]) for a in todo], purpose)
            done[todo] = True
            self._asset_keys[purpose] = (keys, done)
        return keys

    @property
    def n_assets(self) -> int:
        """Number of assets."""
        return len(self.asset_ids)

    @property
    def n_entries(self) -> int:
        """Number of entry attempts."""
        return len(self.entry_dst)

    @property
    def n_steps(self) -> int:
        """Number of propagation steps."""
        return len(self.step_dst)

    def bind(self, posture: Posture) -> CompiledScenario:
        """Multiply in a posture: success thresholds (with counts, :func:`count_thresholds`)
        and detection per attempt, recovery and verification per asset."""
        if posture.n_assets != self.n_assets:
            raise ValueError(
                f"posture has {posture.n_assets} assets but the system has {self.n_assets}"
            )
        sc = self.scenario
        entry_p, entry_q = _bound_attempts(
            [rule.technique for rule in sc.entry],
            self.entry_rule,
            self.entry_dst,
            self.entry_base,
            posture,
        )
        step_p, step_q = _bound_attempts(
            [prop.technique for prop in sc.propagation],
            self.step_rule,
            self.step_dst,
            self.step_base,
            posture,
        )
        return CompiledScenario(
            graph=self,
            entry_p=count_thresholds(entry_p, self.entry_count),
            entry_q=entry_q,
            step_p=count_thresholds(step_p, self.counts[self.step_dst]),
            step_q=step_q,
            recovery=np.asarray(posture.recovery_factor(), dtype=np.float64),
            reassurance=float(posture.reassurance),
            verification=self._verification(posture),
        )

    def _verification(self, posture: Posture) -> CompiledVerification | None:
        """The posture's verification where an alteration can happen (None: nowhere, and the
        kernels skip it)."""
        if posture.verify is None or posture.recheck_at is None:
            return None
        can_alter = np.zeros(self.n_assets, dtype=bool)
        for eff in self.effects:
            if eff.type == "alter":
                can_alter |= eff.targets
        chance = np.where(can_alter, posture.verify, 0.0)
        where = np.flatnonzero(chance > 0)
        if len(where) == 0:
            return None
        return CompiledVerification(
            chance=chance,
            laws=tuple(TimeLaw.of(d) for d in posture.rechecks),
            acting=np.asarray(posture.recheck_at, dtype=bool),
            key_verify=self.asset_keys("verify", where),
            key_recheck=self.asset_keys("recheck", where),
        )


@dataclass(frozen=True, eq=False)
class CompiledVerification:
    """Verification under a posture, where it can act: per asset the chance ``v`` that an
    alteration is caught (0 where no alter effect of the scenario reaches), the recheck laws,
    which of them act at each asset (``[laws, assets]``), and the per-asset random keys of the
    verify and recheck draws (filled where ``v > 0``)."""

    chance: FloatArray
    laws: tuple[TimeLaw, ...]
    acting: BoolArray
    key_verify: U64Array
    key_recheck: U64Array


@dataclass(frozen=True, eq=False)
class CompiledScenario:
    """A :class:`ScenarioGraph` bound to a posture: what a kernel runs.

    ``entry_p`` and ``step_p`` are success thresholds, counts included; ``verification`` is
    None when no control verifies an asset the scenario can alter.
    """

    graph: ScenarioGraph
    entry_p: FloatArray
    entry_q: FloatArray
    step_p: FloatArray
    step_q: FloatArray
    recovery: FloatArray
    reassurance: float
    verification: CompiledVerification | None = None

    def rebind(self, posture: Posture) -> CompiledScenario:
        """The same graph under another posture."""
        return self.graph.bind(posture)

    def replace(self, **changes: Any) -> CompiledScenario:
        """A copy with some arrays replaced (for tests and what-if tools)."""
        return dataclasses.replace(self, **changes)


def _bound_attempts(
    techniques: list[str], rule: IntArray, dst: IntArray, base: FloatArray, posture: Posture
) -> tuple[FloatArray, FloatArray]:
    """Success and detection chances of each attempt (entry or propagation step): the base
    chance times the posture's success factor for the rule's technique at the target asset,
    and the posture's detection chance there. Entry attempts and steps bind alike."""
    p = np.empty(len(dst))
    q = np.empty(len(dst))
    for r, technique in enumerate(techniques):
        m = rule == r
        at = dst[m]
        p[m] = base[m] * posture.success_factor(technique)[at]
        q[m] = posture.detection(technique)[at]
    return p, q


def _laws(laws: list[TimeLaw], which: IntArray) -> tuple[CodeArray, FloatArray, FloatArray]:
    code = np.array([lw.code for lw in laws], dtype=np.int8)
    a = np.array([lw.a for lw in laws], dtype=np.float64)
    b = np.array([lw.b for lw in laws], dtype=np.float64)
    if not laws:
        return np.zeros(0, np.int8), np.zeros(0), np.zeros(0)
    return code[which], a[which], b[which]


def _closures(out: list[list[int]], starts: set[int]) -> dict[int, list[int]]:
    """For each start, itself and everything reachable along ``out`` (sorted)."""
    result: dict[int, list[int]] = {}
    for s in starts:
        seen = {s}
        todo = [s]
        while todo:
            v = todo.pop()
            for w in out[v]:
                if w not in seen:
                    seen.add(w)
                    todo.append(w)
        result[s] = sorted(seen)
    return result


def _reverse(members: IntArray, closure: dict[int, list[int]], n_assets: int) -> Csr:
    """Asset -> the member slots whose closure holds it."""
    fwd = Csr.from_lists([closure[int(m)] for m in members])
    slots = np.repeat(np.arange(len(members), dtype=np.int64), np.diff(fwd.ptr))
    return Csr.from_pairs(n_assets, fwd.items, slots)


@dataclass(frozen=True, eq=False)
class _DependencyStructure:
    """Dependency links reversed, for the per-trial fixed point: asset -> the assets that
    require it, asset -> the alternatives groups it is in; per group (one per asset and group
    name), its members without repeats and the asset it belongs to."""

    required_rev: Csr
    group_rev: Csr
    members: Csr
    owner: IntArray

    @classmethod
    def of(cls, system: ResolvedSystem) -> _DependencyStructure:
        n = system.n_assets
        dep = np.isin(system.link_kind, [LINK_KINDS.index(k) for k in DEPENDENCY_LINK_KINDS])
        src, dst, grp = system.link_src[dep], system.link_dst[dep], system.link_group[dep]
        req = grp < 0
        required_rev = Csr.from_pairs(n, dst[req], src[req])
        # one alternatives group per (asset, group name); members in link order, no repeats
        index: dict[tuple[int, int], int] = {}
        members: list[list[int]] = []
        pairs = zip(src[~req].tolist(), dst[~req].tolist(), grp[~req].tolist(), strict=True)
        for a, b, name in pairs:
            gi = index.setdefault((a, name), len(members))
            if gi == len(members):
                members.append([])
            if b not in members[gi]:
                members[gi].append(b)
        owner = np.zeros(len(members), dtype=np.int64)
        for (a, _name), gi in index.items():
            owner[gi] = a
        table = Csr.from_lists(members)
        slots = np.repeat(np.arange(len(members), dtype=np.int64), np.diff(table.ptr))
        return cls(
            required_rev=required_rev,
            group_rev=Csr.from_pairs(n, table.items, slots),
            members=table,
            owner=owner,
        )


def prepare(system: ResolvedSystem, scenario: Scenario) -> ScenarioGraph:
    """Compile the level-independent part of ``scenario`` over ``system``."""
    ids = system.ids
    n = system.n_assets
    sid = scenario.id
    not_applicable: list[str] = []

    # entries: the attempts of mode: each rules first, then each mode: one rule's (its matched
    # assets sorted by id, for the pick)
    counts = np.asarray(system.counts, dtype=np.int64)
    matched: dict[int, IntArray] = {}
    for r, rule in enumerate(scenario.entry):
        rows = system.select(rule.select)
        if len(rows) == 0:
            not_applicable.append(
                f"entry[{r}] ({rule.technique}): selector ({rule.select.describe()}) "
                "matches no asset"
            )
        if rule.mode == "one":
            rows = rows[sorted(range(len(rows)), key=lambda i: ids[int(rows[i])])]
        matched[r] = rows
    each_rules = [r for r, rule in enumerate(scenario.entry) if rule.mode == "each"]
    picked = [r for r, rule in enumerate(scenario.entry) if rule.mode == "one" and len(matched[r])]
    rule_order = each_rules + picked
    entry_rule = np.concatenate(
        [np.zeros(0, np.int64)] + [np.full(len(matched[r]), r, dtype=np.int64) for r in rule_order]
    )
    entry_dst = np.concatenate([np.zeros(0, np.int64)] + [matched[r] for r in rule_order])
    entry_keys = [
        entry_key(int(r), ids[int(a)]) for r, a in zip(entry_rule, entry_dst, strict=True)
    ]
    entry_laws = [TimeLaw.of(rule.time) for rule in scenario.entry]
    entry_code, entry_a, entry_b = _laws(entry_laws, entry_rule)
    n_each = sum(len(matched[r]) for r in each_rules)
    bounds = np.cumsum([n_each] + [len(matched[r]) for r in picked])
    pick_cumulative = np.zeros(len(entry_rule), dtype=np.int64)
    for i, r in enumerate(picked):
        pick_cumulative[bounds[i] : bounds[i + 1]] = np.cumsum(counts[matched[r]])

    # propagation steps
    s_rule: list[IntArray] = []
    s_link: list[IntArray] = []
    for r, prop in enumerate(scenario.propagation):
        links = system.links_of_kinds(prop.kinds)
        if len(links) == 0:
            not_applicable.append(
                f"propagation[{r}] ({prop.technique}): no link of kind {', '.join(prop.kinds)}"
            )
        s_rule.append(np.full(len(links), r, dtype=np.int64))
        s_link.append(links)
    step_rule = np.concatenate(s_rule) if s_rule else np.zeros(0, np.int64)
    step_link = np.concatenate(s_link) if s_link else np.zeros(0, np.int64)
    forward = np.array([p.direction == "forward" for p in scenario.propagation], dtype=bool)
    fwd = forward[step_rule] if len(step_rule) else np.zeros(0, dtype=bool)
    frm = system.link_src[step_link]
    to = system.link_dst[step_link]
    step_src = np.where(fwd, frm, to).astype(np.int64)
    step_dst = np.where(fwd, to, frm).astype(np.int64)
    step_keys = [
        link_key(int(r), ids[int(a)], ids[int(b)], system.kind_of(int(e)))
        for r, a, b, e in zip(step_rule, frm, to, step_link, strict=True)
    ]
    step_laws = [TimeLaw.of(p.time) for p in scenario.propagation]
    step_code, step_a, step_b = _laws(step_laws, step_rule)
    out = Csr.from_pairs(n, step_src, np.arange(len(step_src), dtype=np.int64))

    # tie-break ranks: (entry before propagation, rule, source id, link position)
    id_rank = np.empty(n, dtype=np.int64)
    id_rank[np.argsort(np.array(ids, dtype=object), kind="stable")] = np.arange(n)
    section = np.concatenate(
        [np.zeros(len(entry_rule), np.int64), np.ones(len(step_rule), np.int64)]
    )
    rule_of = np.concatenate([entry_rule, step_rule])
    src_rank = np.concatenate([np.full(len(entry_rule), -1, np.int64), id_rank[step_src]])
    link_pos = np.concatenate([np.zeros(len(entry_rule), np.int64), step_link])
    order = np.lexsort((link_pos, src_rank, rule_of, section))
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))

    # effects
    effects: list[CompiledEffect] = []
    for i, eff in enumerate(scenario.effects):
        targets = system.mask(eff.targets)
        if not targets.any():
            not_applicable.append(
                f"effects[{i}] ({eff.type}): targets "
                f"({eff.targets.describe() if eff.targets else 'all'}) match no asset"
            )
        effects.append(
            CompiledEffect(
                type=eff.type,
                targets=targets,
                public=eff.effective_visibility == "public",
                law=TimeLaw.of(eff.duration) if eff.duration is not None else None,
            )
        )

    # functions in phase, with the dependency structure and data-copy closures of members
    depends: list[list[int]] = [[] for _ in range(n)]
    copies: list[list[int]] = [[] for _ in range(n)]
    grouped = np.zeros(n, dtype=bool)  # assets with a grouped dependency link
    for e in range(system.n_links):
        kind = system.kind_of(e)
        a, b = int(system.link_src[e]), int(system.link_dst[e])
        if kind in DEPENDENCY_LINK_KINDS:
            depends[a].append(b)
            grouped[a] |= bool(system.link_group[e] >= 0)
        elif kind == "copies_data_to":
            copies[a].append(b)
    in_phase = np.array(
        [any(p in scenario.phases for p in fn.phases) for fn in system.functions], dtype=bool
    )
    selected: dict[tuple[int, int], IntArray] = {}
    for fi, fn in enumerate(system.functions):
        if in_phase[fi]:
            for gi, g in enumerate(fn.requires):
                selected[(fi, gi)] = system.select(g.members)
    need_dep = {int(m) for rows in selected.values() for m in rows}
    need_copy = {
        int(m)
        for (fi, gi), rows in selected.items()
        if system.functions[fi].requires[gi].protects_data
        for m in rows
    }
    dep_closure = _closures(depends, need_dep)
    fixpoint = any(grouped[d] for closure in dep_closure.values() for d in closure)
    spread = _DependencyStructure.of(system) if fixpoint else None
    copy_closure = _closures(copies, need_copy)
    functions: list[CompiledFunction] = []
    for fi, fn in enumerate(system.functions):
        if not in_phase[fi]:
            continue
        groups: list[CompiledGroup] = []
        for gi, g in enumerate(fn.requires):
            members = selected[(fi, gi)]
            if len(members) == 0:
                not_applicable.append(f"function {fn.id} requires[{gi}]: no member")
                continue
            copy_rev = _reverse(members, copy_closure, n) if g.protects_data else None
            groups.append(
                CompiledGroup(
                    members=members,
                    k=group_k(g.mode, g.at_least, len(members)),
                    protects_data=g.protects_data,
                    members_rev=Csr.from_pairs(n, members, np.arange(len(members), dtype=np.int64)),
                    depends_rev=None if fixpoint else _reverse(members, dep_closure, n),
                    copies_rev=copy_rev,
                )
            )
        functions.append(
            CompiledFunction(
                index=fi, tolerance=float(fn.max_tolerable_outage_hours), groups=tuple(groups)
            )
        )

    return ScenarioGraph(
        scenario=scenario,
        asset_ids=ids,
        counts=counts,
        entry_rule=entry_rule,
        entry_dst=entry_dst,
        entry_base=np.array(
            [scenario.entry[int(r)].probability for r in range(len(scenario.entry))]
        )[entry_rule]
        if len(entry_rule)
        else np.zeros(0),
        entry_count=np.where(np.arange(len(entry_rule)) < n_each, counts[entry_dst], 1).astype(
            np.int64
        ),
        n_each=n_each,
        pick_lo=bounds[:-1].astype(np.int64),
        pick_hi=bounds[1:].astype(np.int64),
        pick_cumulative=pick_cumulative,
        pick_key=key64_many(sid, [entry_pick_key(r) for r in picked], "pick"),
        entry_key_success=key64_many(sid, entry_keys, "success"),
        entry_key_time=key64_many(sid, entry_keys, "time"),
        entry_code=entry_code,
        entry_a=entry_a,
        entry_b=entry_b,
        step_rule=step_rule,
        step_src=step_src,
        step_dst=step_dst,
        step_base=np.array([p.probability for p in scenario.propagation])[step_rule]
        if len(step_rule)
        else np.zeros(0),
        step_key_success=key64_many(sid, step_keys, "success"),
        step_key_time=key64_many(sid, step_keys, "time"),
        step_code=step_code,
        step_a=step_a,
        step_b=step_b,
        out=out,
        rank=rank,
        key_detect=key64_many(sid, [asset_key(a) for a in ids], "detect"),
        key_duration=key64_many(sid, [asset_key(a) for a in ids], "duration"),
        effects=tuple(effects),
        functions=tuple(functions),
        function_ids=tuple(fn.id for fn in system.functions),
        function_weights=np.array([float(fn.weight) for fn in system.functions]),
        in_phase=in_phase,
        not_applicable=tuple(not_applicable),
        dep_fixpoint=fixpoint,
        dep_required_rev=spread.required_rev if spread else None,
        dep_group_rev=spread.group_rev if spread else None,
        group_members=spread.members if spread else None,
        group_owner=spread.owner if spread else None,
    )


def compile_scenario(
    system: ResolvedSystem, scenario: Scenario, posture: Posture
) -> CompiledScenario:
    """``prepare(system, scenario).bind(posture)``."""
    return prepare(system, scenario).bind(posture)
