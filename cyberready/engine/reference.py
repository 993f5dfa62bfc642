"""The reference trial model: plain Python, one trial at a time, read against DESIGN §4.

This module is the executable statement of the trial model. It is slow on purpose and shares
nothing with the vectorized kernel except the random draws (:mod:`cyberready.engine.rng`), the
posture and the selector matching of :class:`~cyberready.assets.ResolvedSystem`; the test
suite checks that the kernel's counts equal these exactly for the same seed.

Per scenario and trial (time 0 = campaign start):

1. Controls give, per asset and technique, the step success factor and detection chance
   (:class:`~cyberready.posture.Posture`).
2. **Entry.** Each (entry rule, matched asset) is one attempt: success iff
   ``u(entry:<r>:<a>, success) < base * factor``; its time is drawn from the rule.
3. **Propagation.** Each (propagation rule, link of a listed kind, in the rule's direction) is
   one attempt from a compromised, undetected source, with the target's factor.
4. **Detection** (see "Detection and monotonicity" below). An *intrusion* (a successful entry
   or step into ``v``) by technique ``t`` goes unnoticed iff ``u(asset:<v>, detect) >= q_t(v)``.
   ``Ap[v]`` is the earliest unnoticed intrusion (a shortest path, Dijkstra, over unnoticed
   intrusions only), ``A[v]`` the earliest intrusion of any kind (from sources with a finite
   ``Ap``). ``v`` is *compromised* iff ``A[v]`` is finite and *detected* iff it is compromised
   but ``Ap[v]`` is infinite: it keeps its outage or leak, but the attacker goes no further
   from it and an alteration there is caught.
5. **Effects** hit compromised assets matching ``targets``: disrupt (outage = duration drawn
   from ``u(asset:<a>, duration)`` times the recovery factor; two disrupts: the longer), alter
   (only where undetected), leak (also exposes assets that ``copies_data_to`` it, transitively),
   deface. A public effect that hits at least one asset is one public event.
6. **Dependency spread**: an asset's outage is the max over itself and everything it depends
   on (``hosted_on``, ``depends_on``, ``powered_by``), transitively.
7. **Functions** whose phase is in the scenario's phases: each group (any: ``k = 1``; all:
   ``k = n``; at_least ``f``: ``k = ceil(f*n - 1e-9)``) fails on availability (``k``-th smallest
   member outage > tolerance), integrity (altered members counted as down, outages ignored:
   fewer than ``k`` unaltered) or confidentiality (a ``protects_data`` group with a leaked
   member). Start times as §4.7; the function's time is its earliest failing group's.
8. **Public confidence units** = public events + failed functions (the engine multiplies their
   sum by the reassurance factor).

**Tie-breaks.** Among intrusions into one asset at the same time, entry rules beat propagation
rules, then the earlier rule in the file, then the lower source id (string order), then the
earlier link in the system file. Equal group start times go to the lower member position,
equal cause arrivals to the lower asset position; groups, modes (availability, integrity,
confidentiality) and functions tie in file order.

**Detection and monotonicity.** DESIGN §4 lets the technique of the step achieving ``A_v``
decide ``v``'s detection chance. That breaks the monotonicity §4 promises: raising a control
that blocks a well-detected step can let a stealthier one reach ``v`` first, undetected, and
the attacker then goes further. Here every intrusion into ``v`` is judged by its own technique
against ``v``'s one detection draw, and the attacker continues from the earliest unnoticed
one. With one technique reaching ``v`` this is exactly §4; with several it is monotone:
removing an intrusion or raising a detection chance can only shrink the undetected set.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from cyberready.assets import ResolvedSystem
from cyberready.engine.rng import (
    TimeLaw,
    asset_key,
    entry_key,
    key64,
    link_key,
    uniform,
)
from cyberready.models import Function, Scenario
from cyberready.models.vocab import DEPENDENCY_LINK_KINDS
from cyberready.posture import Posture

__all__ = ["ReferenceModel", "ReferenceSummary", "TrialOutcome", "group_k", "run_reference"]

INF = math.inf


def group_k(mode: str, at_least: float | None, n: int) -> int:
    """How many members must be up for a group of ``n`` to be up."""
    if mode == "any":
        return 1
    if mode == "all":
        return n
    assert at_least is not None
    return max(1, math.ceil(at_least * n - 1e-9))


@dataclass(frozen=True)
class _Attempt:
    """One entry attempt (``src`` is -1) or one propagation step."""

    step: int
    """Global step id: entries first (0..), then propagation steps."""
    rank: tuple[int, int, str, int]
    src: int
    dst: int
    p: float
    q: float
    law: TimeLaw
    key_success: int
    key_time: int


@dataclass(frozen=True)
class TrialOutcome:
    """What one trial did."""

    compromised: frozenset[int]
    detected: frozenset[int]
    fail_time: dict[int, float]
    """Function index -> time of failure (failed functions only)."""
    confidence_units: int
    """Public events + failed functions."""
    path: tuple[int, ...] | None
    """``(function index, asset positions from the entry to the cause[, the member])``."""

    @property
    def time(self) -> float:
        """The trial's time to failure (inf when nothing failed)."""
        return min(self.fail_time.values(), default=INF)


@dataclass
class ReferenceSummary:
    """Counts over many reference trials, shaped like the engine's results."""

    trials: int
    failures: npt.NDArray[np.bool_]
    fail_time: npt.NDArray[np.float64]
    compromised: npt.NDArray[np.int64]
    detected: npt.NDArray[np.int64]
    confidence: npt.NDArray[np.int64]
    """Per trial: public events + failed functions."""
    paths: Counter[tuple[int, ...]] = field(default_factory=Counter)

    @property
    def confidence_units(self) -> int:
        """Sum over trials of (public events + failed functions)."""
        return int(self.confidence.sum())


class ReferenceModel:
    """A scenario over a system under a posture, ready to run trials one at a time."""

    def __init__(self, system: ResolvedSystem, scenario: Scenario, posture: Posture) -> None:
        self.system = system
        self.scenario = scenario
        self.posture = posture
        self.ids = system.ids
        n = system.n_assets
        sid = scenario.id
        attempts: list[_Attempt] = []
        for r, rule in enumerate(scenario.entry):
            factor = posture.success_factor(rule.technique)
            detect = posture.detection(rule.technique)
            law = TimeLaw.of(rule.time)
            for a in (int(i) for i in system.select(rule.select)):
                key = entry_key(r, self.ids[a])
                attempts.append(
                    _Attempt(
                        step=len(attempts),
                        rank=(0, r, "", 0),
                        src=-1,
                        dst=a,
                        p=rule.probability * float(factor[a]),
                        q=float(detect[a]),
                        law=law,
                        key_success=key64(sid, key, "success"),
                        key_time=key64(sid, key, "time"),
                    )
                )
        self.entries = attempts[:]
        self.out_steps: list[list[_Attempt]] = [[] for _ in range(n)]
        for r, prop in enumerate(scenario.propagation):
            factor = posture.success_factor(prop.technique)
            detect = posture.detection(prop.technique)
            law = TimeLaw.of(prop.time)
            for e in range(system.n_links):
                kind = system.kind_of(e)
                if kind not in prop.kinds:
                    continue
                frm, to = int(system.link_src[e]), int(system.link_dst[e])
                src, dst = (frm, to) if prop.direction == "forward" else (to, frm)
                key = link_key(r, self.ids[frm], self.ids[to], kind)
                att = _Attempt(
                    step=len(attempts),
                    rank=(1, r, self.ids[src], e),
                    src=src,
                    dst=dst,
                    p=prop.probability * float(factor[dst]),
                    q=float(detect[dst]),
                    law=law,
                    key_success=key64(sid, key, "success"),
                    key_time=key64(sid, key, "time"),
                )
                attempts.append(att)
                self.out_steps[src].append(att)
        self.attempts = attempts
        self.key_detect = [key64(sid, asset_key(a), "detect") for a in self.ids]
        self.key_duration = [key64(sid, asset_key(a), "duration") for a in self.ids]
        self.recovery = [float(x) for x in posture.recovery_factor()]
        depends: list[list[int]] = [[] for _ in range(n)]
        copies: list[list[int]] = [[] for _ in range(n)]
        for e in range(system.n_links):
            kind = system.kind_of(e)
            frm, to = int(system.link_src[e]), int(system.link_dst[e])
            if kind in DEPENDENCY_LINK_KINDS:
                depends[frm].append(to)
            elif kind == "copies_data_to":
                copies[frm].append(to)
        self._depends = depends
        self._copies = copies
        self.functions: list[tuple[int, Function]] = [
            (fi, fn)
            for fi, fn in enumerate(system.functions)
            if any(p in scenario.phases for p in fn.phases)
        ]
        self.groups = {
            (fi, gi): [int(i) for i in system.select(g.members)]
            for fi, fn in self.functions
            for gi, g in enumerate(fn.requires)
        }
        self.effect_targets = [system.mask(eff.targets) for eff in scenario.effects]

    # ----------------------------------------------------------------- helpers

    @staticmethod
    def _closure(start: int, out: list[list[int]]) -> list[int]:
        """``start`` and everything reachable from it along ``out`` (cycles allowed)."""
        seen = {start}
        todo = [start]
        while todo:
            v = todo.pop()
            for w in out[v]:
                if w not in seen:
                    seen.add(w)
                    todo.append(w)
        return sorted(seen)

    def depends_closure(self, a: int) -> list[int]:
        """``a`` and every asset it depends on, transitively."""
        return self._closure(a, self._depends)

    def copies_closure(self, a: int) -> list[int]:
        """``a`` and every asset its data is copied to, transitively."""
        return self._closure(a, self._copies)

    # ----------------------------------------------------------------- one trial

    def trial(self, seed: int, trial: int) -> TrialOutcome:
        """Run trial number ``trial`` (a global index) with ``seed``."""

        def u(key: int) -> float:
            return uniform(key, seed, trial)

        detect_u: dict[int, float] = {}

        def unnoticed(att: _Attempt) -> bool:
            if att.dst not in detect_u:
                detect_u[att.dst] = u(self.key_detect[att.dst])
            return detect_u[att.dst] >= att.q

        def attempt(att: _Attempt) -> float | None:
            """The step's duration if it succeeds, else None."""
            if u(att.key_success) < att.p:
                return att.law.sample(u(att.key_time))
            return None

        # entries and the shortest unnoticed paths (Dijkstra)
        intrusions: list[tuple[float, tuple[int, int, str, int], _Attempt, bool]] = []
        heap: list[tuple[float, int]] = []
        for att in self.entries:
            t = attempt(att)
            if t is None:
                continue
            quiet = unnoticed(att)
            intrusions.append((t, att.rank, att, quiet))
            if quiet and t < INF:
                heapq.heappush(heap, (t, att.dst))
        ap: dict[int, float] = {}
        while heap:
            t, v = heapq.heappop(heap)
            if v in ap:
                continue
            ap[v] = t
            for att in self.out_steps[v]:
                dt = attempt(att)
                if dt is not None and att.dst not in ap and unnoticed(att) and t + dt < INF:
                    heapq.heappush(heap, (t + dt, att.dst))
        # every intrusion made from an undetected foothold
        for v, t in ap.items():
            for att in self.out_steps[v]:
                dt = attempt(att)
                if dt is not None:
                    intrusions.append((t + dt, att.rank, att, unnoticed(att)))
        best: dict[int, tuple[float, tuple[int, int, str, int], _Attempt]] = {}
        best_quiet: dict[int, tuple[float, tuple[int, int, str, int], _Attempt]] = {}
        for t, rank, att, quiet in intrusions:
            if t == INF:
                continue
            v = att.dst
            if v not in best or (t, rank) < best[v][:2]:
                best[v] = (t, rank, att)
            if quiet and (v not in best_quiet or (t, rank) < best_quiet[v][:2]):
                best_quiet[v] = (t, rank, att)
        assert {v: b[0] for v, b in best_quiet.items()} == ap
        arrival = {v: b[0] for v, b in best.items()}
        compromised = frozenset(arrival)
        detected = frozenset(v for v in compromised if v not in ap)

        # effects
        own = [0.0] * self.system.n_assets
        altered: set[int] = set()
        leaked_at: set[int] = set()
        events = 0
        for eff, targets in zip(self.scenario.effects, self.effect_targets, strict=True):
            hits = [v for v in sorted(compromised) if targets[v]]
            if eff.type == "alter":
                hits = [v for v in hits if v in ap]  # a detected alteration is caught
            if eff.type == "disrupt":
                assert eff.duration is not None
                law = TimeLaw.of(eff.duration)
                for v in hits:
                    outage = law.sample(u(self.key_duration[v])) * self.recovery[v]
                    own[v] = max(own[v], outage)
            elif eff.type == "alter":
                altered.update(hits)
            elif eff.type == "leak":
                leaked_at.update(hits)
            if hits and eff.effective_visibility == "public":
                events += 1

        # functions
        fail_time: dict[int, float] = {}
        why: dict[int, tuple[int, int]] = {}  # function -> (member, cause)
        for fi, fn in self.functions:
            tol = fn.max_tolerable_outage_hours
            failing: list[tuple[float, int, int, int, int]] = []  # (time, group, mode, m, cause)
            for gi, group in enumerate(fn.requires):
                members = self.groups[(fi, gi)]
                n = len(members)
                if n == 0:
                    continue
                k = group_k(group.mode, group.at_least, n)
                # availability: outages spread along dependencies
                member_outage = [max(own[d] for d in self.depends_closure(m)) for m in members]
                if sorted(member_outage)[k - 1] > tol:
                    causes = [
                        [(arrival[d], d) for d in self.depends_closure(m) if own[d] > tol]
                        for m in members
                    ]
                    starts = [min(c)[0] if c else INF for c in causes]
                    j = sorted(range(n), key=lambda j: (starts[j], j))[n - k]
                    failing.append((starts[j] + tol, gi, 0, members[j], min(causes[j])[1]))
                # integrity: altered members are down, outages ignored
                down = [m in altered for m in members]
                if n - sum(down) < k:
                    starts = [arrival[m] if d else INF for m, d in zip(members, down, strict=True)]
                    j = sorted(range(n), key=lambda j: (starts[j], j))[n - k]
                    failing.append((starts[j], gi, 1, members[j], members[j]))
                # confidentiality: a leaked member of a protects_data group
                if group.protects_data:
                    causes = [
                        [(arrival[d], d) for d in self.copies_closure(m) if d in leaked_at]
                        for m in members
                    ]
                    starts = [min(c)[0] if c else INF for c in causes]
                    if min(starts) < INF:
                        j = starts.index(min(starts))
                        failing.append((starts[j], gi, 2, members[j], min(causes[j])[1]))
            if failing:
                t, _g, _mode, member, cause = min(failing)
                fail_time[fi] = t
                why[fi] = (member, cause)

        # the path of the earliest failure
        path: tuple[int, ...] | None = None
        if fail_time:
            fi = min(fail_time, key=lambda f: (fail_time[f], f))
            member, cause = why[fi]
            chain = [cause]
            att = best[cause][2]
            while att.src >= 0 and len(chain) <= self.system.n_assets:
                chain.append(att.src)
                att = best_quiet[att.src][2]
            chain.reverse()
            if member != cause:
                chain.append(member)
            path = (fi, *chain)

        return TrialOutcome(
            compromised=compromised,
            detected=detected,
            fail_time=fail_time,
            confidence_units=events + len(fail_time),
            path=path,
        )


def run_reference(
    system: ResolvedSystem,
    scenario: Scenario,
    posture: Posture,
    trials: int | Iterable[int],
    seed: int = 0,
    *,
    progress: Callable[[int], None] | None = None,
) -> ReferenceSummary:
    """Run reference trials (``range(trials)`` or the given global indices) and count."""
    model = ReferenceModel(system, scenario, posture)
    indices = list(range(trials)) if isinstance(trials, int) else list(trials)
    n_fn = len(system.functions)
    failures = np.zeros((len(indices), n_fn), dtype=bool)
    fail_time = np.full((len(indices), n_fn), INF)
    compromised = np.zeros(system.n_assets, dtype=np.int64)
    detected = np.zeros(system.n_assets, dtype=np.int64)
    confidence = np.zeros(len(indices), dtype=np.int64)
    paths: Counter[tuple[int, ...]] = Counter()
    for row, t in enumerate(indices):
        out = model.trial(seed, t)
        for fi, ft in out.fail_time.items():
            failures[row, fi] = True
            fail_time[row, fi] = ft
        for v in out.compromised:
            compromised[v] += 1
        for v in out.detected:
            detected[v] += 1
        confidence[row] = out.confidence_units
        if out.path is not None:
            paths[out.path] += 1
        if progress is not None:
            progress(1)
    return ReferenceSummary(
        trials=len(indices),
        failures=failures,
        fail_time=fail_time,
        compromised=compromised,
        detected=detected,
        confidence=confidence,
        paths=paths,
    )
