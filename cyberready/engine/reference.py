"""The reference trial model: plain Python, one trial at a time, read against docs/trial-model.md.

This module is the executable statement of the trial model. It is slow on purpose and shares
nothing with the vectorized kernels except the random draws and the shared thresholds
(:mod:`cyberready.engine.rng`), the posture and the selector matching of
:class:`~cyberready.workspace.ResolvedSystem`; the test suite checks that the kernels' counts equal
these exactly for the same seed.

Per scenario and trial (time 0 = campaign start):

1. Controls give, per asset, the step success factor and detection chance per technique, the
   recovery factor, the verification chance and the recheck laws
   (:class:`~cyberready.posture.Posture`).
2. **Entry.** A ``mode: each`` rule makes one attempt per matched asset: success iff
   ``u(entry:<r>:<a>, success) < T(base * factor, count)``, where ``T(p, n) = 1 - (1 - p)^n``
   (:func:`~cyberready.engine.rng.count_threshold`: an asset standing for ``n`` items falls if
   any item does; ``T(p, 1) = p``); its time is drawn from the rule. A ``mode: one`` rule makes
   one attempt: the matched assets, sorted by id and weighted by their counts, are picked from
   with ``u(entry:<r>:*, pick)`` (item ``min(floor(u * N), N - 1)``, ``N`` the sum of counts),
   and the picked asset is attempted with its own ``p`` (not raised to its count) and the
   ``success`` and ``time`` draws of ``entry:<r>:<asset>``.
3. **Propagation.** Each (propagation rule, link of a listed kind, in the rule's direction) is
   one attempt from a compromised, undetected source, with threshold ``T(base * factor, count)``
   of the target.
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
   deface. A public effect that hits at least one asset is one public event (an alteration
   counts where detection did not catch it, whether or not verification then does).
   **Verification**: an altered asset ``a`` with verification chance ``v > 0`` is caught iff
   ``u(asset:<a>, verify) < v``; it is then no longer altered but out for the *recheck* time,
   the minimum over the recheck laws acting at ``a`` of their inverse CDF at
   ``u(asset:<a>, recheck)``. A recheck outage stays on its asset (it does not spread) and
   ``recovers`` does not shorten it.
6. **Dependency spread.** An asset's outage ``O`` is the least fixed point, reached from the own
   outages, of ``O[a] = max(own[a], O[d] for each required dependency d, min(O[g] for g in G)
   for each alternatives group G of a)``: dependency links (``hosted_on``, ``depends_on``,
   ``powered_by``) of one asset that share a ``group`` are alternatives, all others required.
   Starting from the own outages, a cycle through a group cannot keep itself down.
7. **Functions** whose phases meet the scenario's phases. For a tolerance ``tol`` the *cause*
   of an asset is the least fixed point (in the same sense: from the own causes) of
   ``C[a] = min((A[a], a) if own[a] > tol, C[d] for required d, max(C[g] for g in G) per
   group G)`` over (time, asset) pairs in lexicographic order, infinite where nothing causes
   an outage: ``C[a]`` is finite exactly where ``O[a] > tol`` (asserted), and its time is the
   arrival at the asset whose outage causes ``a``'s (for a group, the latest of its members').
   A member ``m`` is *unusable* when it is altered, or out past the tolerance (``O[m] > tol``
   or a recheck longer than ``tol``). It becomes unusable at the earliest of: ``A[m]`` if
   altered; ``t + tol`` where ``(t, cause)`` is the smaller of ``C[m]`` and, for a recheck past
   the tolerance, ``(A[m], m)``. A group of ``n`` (any: ``k = 1``; all: ``k = n``; at_least
   ``f``: ``k = ceil(f*n - 1e-9)``) is down with fewer than ``k`` usable members, at the
   ``(n-k+1)``-th earliest member time (ties: lower member position). A ``protects_data``
   group also fails at the earliest arrival among leaked assets in its members' copies
   closure (confidentiality). The function's time is its earliest failing group's.
8. **Public confidence units** = public events + failed functions (the engine multiplies their
   sum by the reassurance factor).

**Tie-breaks.** Among intrusions into one asset at the same time, entry rules beat propagation
rules, then the earlier rule in the file, then the lower source id (string order), then the
earlier link in the system file. Causes compare as (time, asset position) pairs, so equal
arrivals go to the lower asset position, except in an alternatives group, whose cause is its
members' largest pair. Member times tie to the lower member position (the cause breaking a tie
between an alteration and an outage at the same time is the smaller pair); groups, then the
two ways a group fails (unusable members, confidentiality), then functions tie in file order.

**Detection and monotonicity.** Letting the technique of the step achieving ``A_v`` decide
``v``'s detection chance (as first written) breaks the monotonicity the model promises:
raising a control that blocks a well-detected step can let a stealthier one reach ``v`` first,
undetected, and the attacker then goes further. Here every intrusion into ``v`` is judged by
its own technique against ``v``'s one detection draw, and the attacker continues from the
earliest unnoticed one. With one technique reaching ``v`` the two rules agree; with several it
is monotone: removing an intrusion or raising a detection chance can only shrink the
undetected set.

**Verification and monotonicity.** A catch replaces "altered from ``A[m]``" by "out for the
recheck from ``A[m]``", which makes ``m`` unusable only past the tolerance and never earlier,
and raising a verifying control only raises ``v`` or adds a recheck law to the minimum; a
catch adds no public event. Raising any control therefore never raises a failure.
"""

from __future__ import annotations

import heapq
import math
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import accumulate

import numpy as np
import numpy.typing as npt

from cyberready.engine.rng import (
    TimeLaw,
    asset_key,
    count_threshold,
    entry_key,
    entry_pick_key,
    key64,
    link_key,
    pick_index,
    uniform,
)
from cyberready.models import Function, Scenario
from cyberready.models.vocab import DEPENDENCY_LINK_KINDS
from cyberready.posture import Posture
from cyberready.workspace import ResolvedSystem

__all__ = ["ReferenceModel", "ReferenceSummary", "TrialOutcome", "group_k", "run_reference"]

INF = math.inf
NO_CAUSE: tuple[float, int] = (INF, -1)
"""The cause of an asset whose outage stays within the tolerance."""

Cause = tuple[float, int]
"""``(arrival time, asset position)`` of the asset whose outage causes another's."""


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
class _PickRule:
    """A ``mode: one`` entry rule: its attempts (matched assets sorted by id) and the
    cumulative item counts the pick draw indexes into."""

    attempts: tuple[_Attempt, ...]
    cumulative: tuple[int, ...]
    key_pick: int

    def pick(self, u: float) -> _Attempt:
        """The attempt whose asset holds item ``min(floor(u * N), N - 1)``."""
        item = pick_index(u, self.cumulative[-1])
        return self.attempts[bisect_right(self.cumulative, item)]


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
    caught: frozenset[int] = frozenset()
    """Assets whose alteration verification caught."""

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
    caught: npt.NDArray[np.int64] | None = None
    """Per asset: trials in which verification caught its alteration."""

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
        counts = [int(c) for c in system.counts]
        attempts: list[_Attempt] = []
        self.each_entries: list[_Attempt] = []
        self.pick_rules: list[_PickRule] = []
        for r, rule in enumerate(scenario.entry):
            factor = posture.success_factor(rule.technique)
            detect = posture.detection(rule.technique)
            law = TimeLaw.of(rule.time)
            matched = [int(i) for i in system.select(rule.select)]
            if rule.mode == "one":
                matched.sort(key=lambda a: self.ids[a])
            rule_attempts: list[_Attempt] = []
            for a in matched:
                key = entry_key(r, self.ids[a])
                p = rule.probability * float(factor[a])
                attempt = _Attempt(
                    step=len(attempts),
                    rank=(0, r, "", 0),
                    src=-1,
                    dst=a,
                    p=p if rule.mode == "one" else count_threshold(p, counts[a]),
                    q=float(detect[a]),
                    law=law,
                    key_success=key64(sid, key, "success"),
                    key_time=key64(sid, key, "time"),
                )
                attempts.append(attempt)
                rule_attempts.append(attempt)
            if rule.mode == "each":
                self.each_entries.extend(rule_attempts)
            elif rule_attempts:
                self.pick_rules.append(
                    _PickRule(
                        attempts=tuple(rule_attempts),
                        cumulative=tuple(accumulate(counts[a] for a in matched)),
                        key_pick=key64(sid, entry_pick_key(r), "pick"),
                    )
                )
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
                    p=count_threshold(prop.probability * float(factor[dst]), counts[dst]),
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
        # verification: chance per asset, and the recheck laws acting there
        self.verify = [float(x) for x in posture.verification()]
        laws = [TimeLaw.of(d) for d in posture.rechecks]
        acting = posture.recheck_at
        verified = [a for a in range(n) if self.verify[a] > 0]
        self.recheck_laws: dict[int, list[TimeLaw]] = {
            a: [law for i, law in enumerate(laws) if acting is not None and acting[i, a]]
            for a in verified
        }
        self.key_verify = {a: key64(sid, asset_key(self.ids[a]), "verify") for a in verified}
        self.key_recheck = {a: key64(sid, asset_key(self.ids[a]), "recheck") for a in verified}
        # dependencies: required targets, and per asset its alternatives groups (targets in
        # link order, without repeats); who depends on whom; data copies
        self.required: list[list[int]] = [[] for _ in range(n)]
        alternatives: dict[int, dict[int, list[int]]] = {}
        self.dependents: list[list[int]] = [[] for _ in range(n)]
        copies: list[list[int]] = [[] for _ in range(n)]
        for e in range(system.n_links):
            kind = system.kind_of(e)
            frm, to = int(system.link_src[e]), int(system.link_dst[e])
            if kind in DEPENDENCY_LINK_KINDS:
                gid = int(system.link_group[e])
                if gid < 0:
                    self.required[frm].append(to)
                else:
                    group = alternatives.setdefault(frm, {}).setdefault(gid, [])
                    if to not in group:
                        group.append(to)
                self.dependents[to].append(frm)
            elif kind == "copies_data_to":
                copies[frm].append(to)
        self.alternatives = {a: list(g.values()) for a, g in alternatives.items()}
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

    def copies_closure(self, a: int) -> list[int]:
        """``a`` and every asset its data is copied to, transitively."""
        return self._closure(a, self._copies)

    def outages(self, own: dict[int, float]) -> dict[int, float]:
        """Step 6: every asset's outage (assets absent: 0), the least fixed point of
        ``O[a] = max(own[a], O[d] required, min over each alternatives group)`` from ``own``."""
        out = dict(own)

        def value(a: int) -> float:
            return max(
                own.get(a, 0.0),
                *(out.get(d, 0.0) for d in self.required[a]),
                *(min(out.get(d, 0.0) for d in g) for g in self.alternatives.get(a, ())),
            )

        todo = [a for a, o in own.items() if o > 0]
        while todo:
            d = todo.pop()
            for a in self.dependents[d]:
                new = value(a)
                if new > out.get(a, 0.0):
                    out[a] = new
                    todo.append(a)
        return out

    def causes(self, seeds: dict[int, Cause]) -> dict[int, Cause]:
        """Step 7: every asset's cause (absent: none), the least fixed point of ``C[a] =
        min(seed[a], C[d] required, max over each alternatives group)`` from the seeds (the
        assets whose own outage exceeds the tolerance, with their own arrival)."""
        out = dict(seeds)

        def value(a: int) -> Cause:
            return min(
                seeds.get(a, NO_CAUSE),
                *(out.get(d, NO_CAUSE) for d in self.required[a]),
                *(max(out.get(d, NO_CAUSE) for d in g) for g in self.alternatives.get(a, ())),
            )

        todo = list(seeds)
        while todo:
            d = todo.pop()
            for a in self.dependents[d]:
                new = value(a)
                if new < out.get(a, NO_CAUSE):
                    out[a] = new
                    todo.append(a)
        return out

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

        # entries (each: every matched asset; one: the picked one) and the shortest unnoticed
        # paths (Dijkstra)
        entries = self.each_entries + [rule.pick(u(rule.key_pick)) for rule in self.pick_rules]
        intrusions: list[tuple[float, tuple[int, int, str, int], _Attempt, bool]] = []
        heap: list[tuple[float, int]] = []
        for att in entries:
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
        own: dict[int, float] = {}
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
                    own[v] = max(own.get(v, 0.0), outage)
            elif eff.type == "alter":
                altered.update(hits)
            elif eff.type == "leak":
                leaked_at.update(hits)
            if hits and eff.effective_visibility == "public":
                events += 1

        # verification: a caught alteration becomes a recheck outage on that asset
        recheck: dict[int, float] = {}
        for v in sorted(altered):
            if self.verify[v] > 0 and u(self.key_verify[v]) < self.verify[v]:
                u_recheck = u(self.key_recheck[v])
                recheck[v] = min(law.sample(u_recheck) for law in self.recheck_laws[v])
        altered -= recheck.keys()

        # dependency spread (own outages only: rechecks, alterations and leaks stay put)
        out_for = self.outages(own)

        # functions
        fail_time: dict[int, float] = {}
        why: dict[int, tuple[int, int]] = {}  # function -> (member, cause)
        causes_at: dict[float, dict[int, Cause]] = {}
        for fi, fn in self.functions:
            tol = fn.max_tolerable_outage_hours
            if tol not in causes_at:
                seeds = {a: (arrival[a], a) for a, o in own.items() if o > tol}
                causes_at[tol] = self.causes(seeds)
                assert set(causes_at[tol]) == {a for a, o in out_for.items() if o > tol}
            cause = causes_at[tol]
            failing: list[tuple[float, int, int, int, int]] = []  # (time, group, mode, m, cause)
            for gi, group in enumerate(fn.requires):
                members = self.groups[(fi, gi)]
                n = len(members)
                if n == 0:
                    continue
                k = group_k(group.mode, group.at_least, n)
                # unusable members: altered, or out past the tolerance (incl. a recheck)
                unusable: list[Cause] = []
                for m in members:
                    out_cause = cause.get(m, NO_CAUSE)
                    if recheck.get(m, 0.0) > tol:
                        out_cause = min(out_cause, (arrival[m], m))
                    when = (out_cause[0] + tol, out_cause[1]) if out_cause[0] < INF else NO_CAUSE
                    if m in altered:
                        when = min(when, (arrival[m], m))
                    unusable.append(when)
                if sum(w[0] < INF for w in unusable) > n - k:
                    j = sorted(range(n), key=lambda j: (unusable[j][0], j))[n - k]
                    failing.append((unusable[j][0], gi, 0, members[j], unusable[j][1]))
                # confidentiality: a leaked member of a protects_data group
                if group.protects_data:
                    leaks = [
                        [(arrival[d], d) for d in self.copies_closure(m) if d in leaked_at]
                        for m in members
                    ]
                    starts = [min(c)[0] if c else INF for c in leaks]
                    if min(starts) < INF:
                        j = starts.index(min(starts))
                        failing.append((starts[j], gi, 1, members[j], min(leaks[j])[1]))
            if failing:
                t, _g, _mode, member, why_cause = min(failing)
                fail_time[fi] = t
                why[fi] = (member, why_cause)

        # the path of the earliest failure
        path: tuple[int, ...] | None = None
        if fail_time:
            fi = min(fail_time, key=lambda f: (fail_time[f], f))
            member, first = why[fi]
            chain = [first]
            att = best[first][2]
            while att.src >= 0 and len(chain) <= self.system.n_assets:
                chain.append(att.src)
                att = best_quiet[att.src][2]
            chain.reverse()
            if member != first:
                chain.append(member)
            path = (fi, *chain)

        return TrialOutcome(
            compromised=compromised,
            detected=detected,
            fail_time=fail_time,
            confidence_units=events + len(fail_time),
            path=path,
            caught=frozenset(recheck),
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
    caught = np.zeros(system.n_assets, dtype=np.int64)
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
        for v in out.caught:
            caught[v] += 1
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
        caught=caught,
    )
