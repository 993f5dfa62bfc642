"""The vectorized numpy kernel: one block of trials of a :class:`CompiledScenario` at a time.

Interface (kept small so other kernels, e.g. a numba one, can slot in)::

    run_block(compiled, seed, start, stop, paths=bool, scratch=None) -> BlockOutput

Compiled arrays in, counts and per-trial rows out. Trials are global indices ``start..stop-1``
and every draw comes from :mod:`cyberready.engine.rng`, so a block's output does not depend on
how trials are split into blocks.

Algorithm (the trial model of :mod:`cyberready.engine.reference`, vectorized over trials).
Work is proportional to what the attacker touches, not to the size of the model: after the
entry draws, everything runs on sparse ``(trial, asset)`` pairs, addressed as the flat index
``trial * n_assets + asset``.

* Entry attempts of ``mode: each`` rules are drawn densely (``trials × attempts``); a
  ``mode: one`` rule draws its pick per trial and tries the picked attempt only. Thresholds
  (counts included) come bound in the compiled scenario.
* Unnoticed arrivals ``Ap`` come from a frontier-driven Bellman-Ford: each round expands the
  pairs whose ``Ap`` improved along their outgoing steps (CSR), draws success, detection and
  time for those (trial, step) pairs only, and scatter-mins the candidates into a dense
  scratch buffer. Rounds repeat until nothing improves — a loop per relaxation level, never
  per trial or edge. The buffers are reset only where they were written.
* One more pass over every unnoticed foothold collects all intrusions, giving the arrival
  ``A`` of every compromised pair and, for paths, the step achieving each arrival (tie-break
  by the compiled ``rank``).
* Effects and verification work on the compromised pairs (:func:`apply_effects`, shared with
  the compiled kernel). Dependency spread: without alternatives groups, the pairs whose own
  outage exceeds a function's tolerance are mapped to the member slots whose dependency
  closure holds them (reverse closures, CSR); with groups, a frontier-driven fixed point over
  the reversed dependency links (:func:`_spread_outages`, one round per level of the
  dependency graph, vectorized over trials) gives every (trial, asset) that is out past the
  tolerance with its cause, and those map to slots by membership. Per (trial, member) the
  earliest cause is kept, the tolerance added and alterations merged in; each group's
  ``(n-k+1)``-th member time is read from the per-trial sorted segment.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from cyberready.engine.compile import CompiledScenario, Csr, ScenarioGraph
from cyberready.engine.rng import inverse_times, trial_mix_array, uniform_array

__all__ = [
    "BlockOutput",
    "EffectOutcome",
    "Lookup",
    "Scratch",
    "apply_effects",
    "auto_block_size",
    "function_failures",
    "run_block",
    "trace_paths",
]

INF = np.inf
NONE = np.iinfo(np.int64).max
"""Sentinel of the fixed point's integer cause keys: no cause."""
IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
BLOCK_BUDGET = 1 << 22
"""Target number of (trial, asset) / (trial, entry attempt) cells per block (two float64
scratch buffers of this many cells: 64 MB)."""


def auto_block_size(c: CompiledScenario) -> int:
    """A block size that keeps per-block arrays to a few tens of MB (results never depend on
    it). Here, beside the kernel whose arrays it sizes, so that the engine and the kernel
    chooser in :mod:`cyberready.engine.numba_kernel` can both use it without importing each
    other."""
    g = c.graph
    width = max(g.n_assets, g.n_entries, 1)
    return int(min(8192, max(8, BLOCK_BUDGET // width)))


@dataclass
class BlockOutput:
    """What one block of trials produced (combined across blocks in trial order)."""

    start: int
    stop: int
    fail_time: FloatArray
    """``[trials, functions]``: time of failure, inf when the function did not fail."""
    compromised: IntArray
    """Per asset: trials in which it was compromised."""
    detected: IntArray
    """Per asset: trials in which it was compromised and detected."""
    confidence: IntArray
    """Per trial: public events + failed functions (the public-confidence units, before
    reassurance)."""
    paths: Counter[tuple[int, ...]] = field(default_factory=Counter)
    """``(function index, entry, ..., cause[, member])`` -> trials."""

    @property
    def failures(self) -> BoolArray:
        """``[trials, functions]`` boolean failure matrix."""
        return np.isfinite(self.fail_time)

    @property
    def confidence_units(self) -> int:
        """Sum over trials of (public events + failed functions)."""
        return int(self.confidence.sum())


@dataclass
class Scratch:
    """Two inf-filled buffers of ``trials × assets`` floats, reused across blocks, and (only
    for models with alternatives groups, made when first needed) one of ints.

    :func:`run_block` leaves them as it found them, resetting only the cells it wrote, so a
    block costs what the attacker touched rather than the size of the model.
    """

    unnoticed: FloatArray
    arrival: FloatArray
    causes: IntArray | None = None
    """Filled with :data:`NONE`: the dependency fixed point's cause keys."""

    def cause_buffer(self, cells: int) -> IntArray:
        """The int buffer, of at least ``cells`` cells (all :data:`NONE`)."""
        if self.causes is None or len(self.causes) < cells:
            self.causes = np.full(max(cells, len(self.unnoticed)), NONE, dtype=np.int64)
        return self.causes

    @classmethod
    def allocate(cls, cells: int) -> Scratch:
        """Buffers for up to ``cells`` (trial, asset) pairs."""
        return cls(unnoticed=np.full(cells, INF), arrival=np.full(cells, INF))

    @property
    def cells(self) -> int:
        """Capacity in (trial, asset) pairs."""
        return len(self.unnoticed)


@dataclass(frozen=True)
class Lookup:
    """A sparse map from sorted flat indices to values."""

    keys: IntArray
    values: IntArray

    def get(self, query: IntArray) -> IntArray:
        """Values at ``query`` (-1 where absent)."""
        if len(self.keys) == 0:
            return np.full(len(query), -1, dtype=np.int64)
        pos = np.minimum(np.searchsorted(self.keys, query), len(self.keys) - 1)
        return np.where(self.keys[pos] == query, self.values[pos], -1)


def _unique(values: IntArray) -> IntArray:
    """Sorted distinct values (sort and mask: much faster than ``np.unique``'s hash path on
    numpy 2.4 for large index arrays)."""
    out = np.sort(values)
    return out[_first_per(out)]


def _first_per(keys: IntArray) -> BoolArray:
    """Mask of the first element of each run of equal (sorted) keys."""
    first = np.ones(len(keys), dtype=bool)
    first[1:] = keys[1:] != keys[:-1]
    return first


def _pred(
    flat: IntArray, time: FloatArray, rank: IntArray, step: IntArray, best: FloatArray
) -> Lookup:
    """For each flat pair: the step achieving ``best`` with the lowest rank."""
    hit = np.isfinite(time) & (time == best[flat])
    flat, rank, step = flat[hit], rank[hit], step[hit]
    order = np.lexsort((rank, flat))
    flat, step = flat[order], step[order]
    first = _first_per(flat)
    return Lookup(keys=flat[first], values=step[first])


_Candidates = tuple[IntArray, FloatArray, IntArray]
"""Per (trial, member) candidates: ``(trial * n + slot, time, cause asset)``."""


def _to_slots(
    rows: IntArray, assets: IntArray, times: FloatArray, causes: IntArray, rev: Csr, n: int
) -> _Candidates:
    """Map (trial, asset) pairs onto the member slots ``rev`` gives each asset."""
    which, slots = rev.expand(assets)
    return rows[which] * n + slots, times[which], causes[which]


def _earliest(*parts: _Candidates) -> _Candidates:
    """Per (trial, member) key, the smallest (time, cause) pair, in key order."""
    key, time, cause = parts[0]
    if len(parts) > 1:
        key = np.concatenate([p[0] for p in parts])
        time = np.concatenate([p[1] for p in parts])
        cause = np.concatenate([p[2] for p in parts])
    order = np.lexsort((cause, time, key))
    keep = order[_first_per(key[order])]
    return key[keep], time[keep], cause[keep]


def _merge(base: _Candidates, extra: _Candidates) -> _Candidates:
    """:func:`_earliest` of ``base`` (unique keys in key order) and ``extra`` (unique keys),
    without sorting ``base`` again: a key in both keeps the smaller (time, cause) pair. The
    result's keys are unique (new ones after the others), as :func:`_kth` needs."""
    key, time, cause = base
    x_key, x_time, x_cause = extra
    if len(x_key) == 0:
        return base
    pos = np.minimum(np.searchsorted(key, x_key), max(len(key) - 1, 0))
    both = (key[pos] == x_key) if len(key) else np.zeros(len(x_key), dtype=bool)
    at, x = pos[both], np.flatnonzero(both)
    smaller = (x_time[x] < time[at]) | ((x_time[x] == time[at]) & (x_cause[x] < cause[at]))
    time, cause = time.copy(), cause.copy()
    time[at[smaller]] = x_time[x[smaller]]
    cause[at[smaller]] = x_cause[x[smaller]]
    new = ~both
    return (
        np.concatenate([key, x_key[new]]),
        np.concatenate([time, x_time[new]]),
        np.concatenate([cause, x_cause[new]]),
    )


def _kth(
    cands: _Candidates, n: int, index: int, trials: int
) -> tuple[FloatArray, IntArray, IntArray]:
    """Per trial, the member at sorted position ``index`` (by time, then slot) among the
    (unique) candidates: ``(time, slot, cause)``, inf / -1 where there are fewer."""
    start = np.full(trials, INF)
    slot_of = np.full(trials, -1, dtype=np.int64)
    cause_of = np.full(trials, -1, dtype=np.int64)
    key, time, cause = cands
    if len(key) == 0:
        return start, slot_of, cause_of
    rows, slots = key // n, key % n
    order = np.lexsort((slots, time, rows))
    rows, slots, time, cause = rows[order], slots[order], time[order], cause[order]
    count = np.bincount(rows, minlength=trials)
    first = np.zeros(trials, dtype=np.int64)
    np.cumsum(count[:-1], out=first[1:])
    ok = np.flatnonzero(count > index)
    pos = first[ok] + index
    start[ok] = time[pos]
    slot_of[ok] = slots[pos]
    cause_of[ok] = cause[pos]
    return start, slot_of, cause_of


@dataclass(frozen=True)
class EffectOutcome:
    """What the effects and verification did to the compromised (trial, asset) rows."""

    own: FloatArray
    """Own outage (disrupt), 0 where none: spreads along dependencies."""
    altered: BoolArray
    """Altered, and caught neither by detection nor by verification."""
    leaked: BoolArray
    recheck: FloatArray | None
    """Recheck outage after a verification catch, 0 where none (None: no catch possible)."""
    events: IntArray
    """Per trial: public events."""


def apply_effects(
    c: CompiledScenario,
    node: IntArray,
    row: IntArray,
    quiet: BoolArray,
    mix: npt.NDArray[np.uint64],
    trials: int,
) -> EffectOutcome:
    """Effects on compromised rows (asset ``node``, trial ``row``, undetected ``quiet``), then
    verification of the alterations. Both kernels run this very code, so their bits agree."""
    g = c.graph
    own = np.zeros(len(node))
    altered = np.zeros(len(node), dtype=bool)
    leaked = np.zeros(len(node), dtype=bool)
    events = np.zeros(trials, dtype=np.int64)
    u_duration: FloatArray | None = None
    for eff in g.effects:
        hit = eff.targets[node]
        if eff.type == "alter":
            hit &= quiet
        if eff.type == "disrupt":
            assert eff.law is not None
            if u_duration is None:
                u_duration = uniform_array(g.key_duration[node], mix[row])
            outage = eff.law.times(u_duration[hit]) * c.recovery[node[hit]]
            own[hit] = np.maximum(own[hit], outage)
        elif eff.type == "alter":
            altered |= hit
        elif eff.type == "leak":
            leaked |= hit
        if eff.public:
            events += np.bincount(row[hit], minlength=trials) > 0
    recheck: FloatArray | None = None
    ver = c.verification
    if ver is not None:
        recheck = np.zeros(len(node))
        idx = np.flatnonzero(altered)
        idx = idx[ver.chance[node[idx]] > 0]
        v = node[idx]
        idx = idx[uniform_array(ver.key_verify[v], mix[row[idx]]) < ver.chance[v]]
        v = node[idx]
        altered[idx] = False
        u = uniform_array(ver.key_recheck[v], mix[row[idx]])
        shortest = np.full(len(idx), INF)
        for i, law in enumerate(ver.laws):
            acts = ver.acting[i, v]
            shortest[acts] = np.minimum(shortest[acts], law.times(u[acts]))
        recheck[idx] = shortest
    return EffectOutcome(own=own, altered=altered, leaked=leaked, recheck=recheck, events=events)


def function_failures(
    c: CompiledScenario,
    comp_row: IntArray,
    comp_node: IntArray,
    comp_arrival: FloatArray,
    fx: EffectOutcome,
    trials: int,
    scratch: Scratch,
    only: int | None = None,
) -> tuple[FloatArray, IntArray, IntArray]:
    """Each function's failure time per trial, with the member that failed it and the
    compromised asset that caused it (-1 where it held), from the compromised (trial row,
    asset, arrival) rows in any order and their effects. Both kernels run this very code for
    the trials whose paths they trace (``only``: that function index alone, the others left
    holding). ``scratch`` lends the dependency fixed point its int buffer."""
    g = c.graph
    n_assets = g.n_assets

    def pairs(mask: BoolArray) -> tuple[IntArray, IntArray, FloatArray, IntArray]:
        """(trial, asset, arrival, asset) of the masked compromised pairs."""
        return comp_row[mask], comp_node[mask], comp_arrival[mask], comp_node[mask]

    n_fn = len(g.function_ids)
    fail_time = np.full((trials, n_fn), INF)
    why_member = np.full((trials, n_fn), -1, dtype=np.int64)
    why_cause = np.full((trials, n_fn), -1, dtype=np.int64)
    altered_pairs = pairs(fx.altered)
    leaked_pairs = pairs(fx.leaked)
    out_past: dict[float, tuple[IntArray, IntArray, FloatArray, IntArray]] = {}
    for fn in g.functions:
        if only is not None and fn.index != only:
            continue
        tol = fn.tolerance
        if tol not in out_past:  # (trial, asset) pairs out past the tolerance, with cause
            seeds = pairs(fx.own > tol)
            if g.dep_fixpoint and len(seeds[0]):
                keys = scratch.cause_buffer(trials * n_assets)
                seeds = _spread_outages(g, seeds[0], seeds[1], seeds[2], trials, keys)
            out_past[tol] = seeds
        rechecked = pairs(fx.recheck > tol) if fx.recheck is not None else None
        best = np.full(trials, INF)
        member = why_member[:, fn.index]
        cause = why_cause[:, fn.index]
        for grp in fn.groups:
            n, k = grp.n, grp.k
            # out past the tolerance: the earliest cause, plus the tolerance
            rev = grp.members_rev if grp.depends_rev is None else grp.depends_rev
            parts = [_to_slots(*out_past[tol], rev, n)]
            if rechecked is not None:
                parts.append(_to_slots(*rechecked, grp.members_rev, n))
            slot_key, when, why = _earliest(*parts)
            unusable = (slot_key, when + tol, why)
            if len(altered_pairs[0]):
                # an asset is one member at most: its altered pairs have unique keys
                unusable = _merge(unusable, _to_slots(*altered_pairs, grp.members_rev, n))
            modes = [_kth(unusable, n, n - k, trials)]
            if grp.protects_data:
                assert grp.copies_rev is not None
                leaks = _earliest(_to_slots(*leaked_pairs, grp.copies_rev, n))
                modes.append(_kth(leaks, n, 0, trials))
            for t_mode, slot, why_mode in modes:
                better = t_mode < best
                best = np.where(better, t_mode, best)
                member[better] = grp.members[slot[better]]
                cause[better] = why_mode[better]
        fail_time[:, fn.index] = best

    return fail_time, why_member, why_cause


def _spread_outages(
    g: ScenarioGraph,
    rows: IntArray,
    assets: IntArray,
    times: FloatArray,
    trials: int,
    key: IntArray,
) -> tuple[IntArray, IntArray, FloatArray, IntArray]:
    """The dependency fixed point (alternatives groups): from the (trial, asset) pairs whose own
    outage exceeds the tolerance, with their arrival, every (trial, asset) that is out past it
    and its cause (the least fixed point of the reference's ``causes``).

    Causes are (time, asset) pairs, and every cause is one of the seeds', so they are handled
    as integer keys: a seed's rank in (time, asset) order. Rounds relax the pairs whose key
    improved along the reversed required links and through the groups holding them (a group's
    key: the largest of its members', none while one has none). ``key`` is an all-:data:`NONE`
    buffer of ``trials × assets`` cells, left so. Returns ``(rows, assets, cause time, cause
    asset)``.
    """
    n = g.n_assets
    assert g.dep_required_rev is not None and g.dep_group_rev is not None
    assert g.group_members is not None and g.group_owner is not None
    n_groups = len(g.group_owner)
    order = np.lexsort((assets, times))
    rank_time, rank_asset = times[order], assets[order]
    seeds = rows[order] * n + assets[order]
    key[seeds] = np.arange(len(seeds), dtype=np.int64)
    written = [seeds]
    frontier = _unique(seeds)
    while len(frontier):
        f_row, f_asset = frontier // n, frontier % n
        f_key = key[frontier]
        which, dependent = g.dep_required_rev.expand(f_asset)
        targets = [f_row[which] * n + dependent]
        cands = [f_key[which]]
        which, grp = g.dep_group_rev.expand(f_asset)
        if len(which):
            inst = _unique(f_row[which] * n_groups + grp)
            i_row, i_grp = inst // n_groups, inst % n_groups
            pos, member = g.group_members.expand(i_grp)
            worst = np.maximum.reduceat(
                key[i_row[pos] * n + member], np.flatnonzero(_first_per(pos))
            )
            down = worst < NONE
            targets.append(i_row[down] * n + g.group_owner[i_grp[down]])
            cands.append(worst[down])
        tgt = np.concatenate(targets)
        cand = np.concatenate(cands)
        better = cand < key[tgt]
        tgt, cand = tgt[better], cand[better]
        np.minimum.at(key, tgt, cand)
        written.append(tgt)
        frontier = _unique(tgt)
    out = _unique(np.concatenate(written))
    ranks = key[out]
    key[out] = NONE
    return out // n, out % n, rank_time[ranks], rank_asset[ranks]


def _entries(c: CompiledScenario, mix: npt.NDArray[np.uint64]) -> tuple[IntArray, IntArray]:
    """Successful entry attempts: (trial row, attempt) pairs. Every attempt of a ``mode: each``
    rule is tried; a ``mode: one`` rule tries the attempt its pick draw lands on."""
    g = c.graph
    each = slice(0, g.n_each)
    us = uniform_array(g.entry_key_success[None, each], mix[:, None])
    e_trial, e_idx = np.nonzero(us < c.entry_p[None, each])
    del us
    trial_rows = [e_trial.astype(np.int64)]
    attempts = [e_idx.astype(np.int64)]
    everyone = np.arange(len(mix), dtype=np.int64)
    for lo, hi, key in zip(g.pick_lo, g.pick_hi, g.pick_key, strict=True):
        cumulative = g.pick_cumulative[lo:hi]
        total = int(cumulative[-1])
        item = np.minimum(np.floor(uniform_array(key, mix) * total), total - 1).astype(np.int64)
        att = lo + np.searchsorted(cumulative, item, side="right")
        ok = uniform_array(g.entry_key_success[att], mix) < c.entry_p[att]
        trial_rows.append(everyone[ok])
        attempts.append(att[ok])
    if len(trial_rows) == 1:
        return trial_rows[0], attempts[0]
    return np.concatenate(trial_rows), np.concatenate(attempts)


def run_block(
    c: CompiledScenario,
    seed: int,
    start: int,
    stop: int,
    *,
    paths: bool = False,
    scratch: Scratch | None = None,
) -> BlockOutput:
    """Run trials ``start..stop-1`` of a compiled scenario.

    ``scratch`` (optional) lends reusable buffers of at least ``(stop - start) * n_assets``
    cells; results are the same with or without it.
    """
    g = c.graph
    n_assets = g.n_assets
    trials = stop - start
    n_entries = g.n_entries
    if scratch is None or scratch.cells < trials * n_assets:
        scratch = Scratch.allocate(trials * n_assets)
    ap = scratch.unnoticed
    arrival = scratch.arrival
    mix = trial_mix_array(seed, np.arange(start, stop, dtype=np.int64))

    # ---------------------------------------------------------------- entries
    e_trial, e_idx = _entries(c, mix)
    e_dst = g.entry_dst[e_idx]
    e_time = inverse_times(
        g.entry_code[e_idx],
        g.entry_a[e_idx],
        g.entry_b[e_idx],
        uniform_array(g.entry_key_time[e_idx], mix[e_trial]),
    )
    e_flat = e_trial * n_assets + e_dst
    e_quiet = uniform_array(g.key_detect[e_dst], mix[e_trial]) >= c.entry_q[e_idx]
    written = [e_flat[e_quiet]]
    np.minimum.at(ap, written[0], e_time[e_quiet])

    # ---------------------------------------------------------------- unnoticed arrivals
    def intrusions(
        frontier: IntArray,
    ) -> tuple[IntArray, IntArray, FloatArray, BoolArray]:
        """Successful steps out of the given flat pairs: (step, target flat, arrival time,
        unnoticed)."""
        which, steps = g.out.expand(frontier % n_assets)
        src = frontier[which]
        row = src // n_assets
        ok = uniform_array(g.step_key_success[steps], mix[row]) < c.step_p[steps]
        src, steps, row = src[ok], steps[ok], row[ok]
        dst = g.step_dst[steps]
        quiet = uniform_array(g.key_detect[dst], mix[row]) >= c.step_q[steps]
        dt = inverse_times(
            g.step_code[steps],
            g.step_a[steps],
            g.step_b[steps],
            uniform_array(g.step_key_time[steps], mix[row]),
        )
        return steps, row * n_assets + dst, ap[src] + dt, quiet

    frontier = _unique(written[0])
    frontier = frontier[ap[frontier] < INF]
    while len(frontier) and g.n_steps:
        _steps, tgt, cand, quiet = intrusions(frontier)
        tgt, cand = tgt[quiet], cand[quiet]
        better = cand < ap[tgt]
        tgt, cand = tgt[better], cand[better]
        np.minimum.at(ap, tgt, cand)
        written.append(tgt)
        frontier = _unique(tgt)

    # ---------------------------------------------------------------- all intrusions
    footholds = _unique(np.concatenate(written))
    footholds = footholds[ap[footholds] < INF]
    if g.n_steps and len(footholds):
        s_steps, s_tgt, s_time, s_quiet = intrusions(footholds)
    else:
        s_steps = s_tgt = np.zeros(0, np.int64)
        s_time = np.zeros(0)
        s_quiet = np.zeros(0, bool)
    np.minimum.at(arrival, e_flat, e_time)
    np.minimum.at(arrival, s_tgt, s_time)
    comp_flat = _unique(np.concatenate([e_flat, s_tgt]))
    comp_flat = comp_flat[arrival[comp_flat] < INF]
    comp_arrival = arrival[comp_flat]
    comp_quiet = ap[comp_flat] < INF
    comp_node = comp_flat % n_assets
    comp_row = comp_flat // n_assets
    comp_count = np.bincount(comp_node, minlength=n_assets).astype(np.int64)
    det_count = np.bincount(comp_node[~comp_quiet], minlength=n_assets).astype(np.int64)

    pred_any = pred_quiet = None
    if paths:
        flat_all = np.concatenate([e_flat, s_tgt])
        time_all = np.concatenate([e_time, s_time])
        rank_all = np.concatenate([g.rank[e_idx], g.rank[n_entries + s_steps]])
        step_all = np.concatenate([e_idx, n_entries + s_steps])
        quiet_all = np.concatenate([e_quiet, s_quiet])
        pred_any = _pred(flat_all, time_all, rank_all, step_all, arrival)
        pred_quiet = _pred(
            flat_all[quiet_all], time_all[quiet_all], rank_all[quiet_all], step_all[quiet_all], ap
        )

    for w in written:  # leave the scratch buffers as we found them
        ap[w] = INF
    arrival[e_flat] = INF
    arrival[s_tgt] = INF

    # ---------------------------------------------------------------- effects
    fx = apply_effects(c, comp_node, comp_row, comp_quiet, mix, trials)

    # ---------------------------------------------------------------- functions
    fail_time, why_member, why_cause = function_failures(
        c, comp_row, comp_node, comp_arrival, fx, trials, scratch
    )
    failed = np.isfinite(fail_time)
    units = fx.events + failed.sum(axis=1)

    # ---------------------------------------------------------------- paths
    found: Counter[tuple[int, ...]] = Counter()
    if pred_any is not None and pred_quiet is not None and failed.any():
        found = trace_paths(
            g.step_src, n_entries, n_assets, fail_time, why_member, why_cause, pred_any, pred_quiet
        )

    return BlockOutput(
        start=start,
        stop=stop,
        fail_time=fail_time,
        compromised=comp_count,
        detected=det_count,
        confidence=units.astype(np.int64),
        paths=found,
    )


def trace_paths(
    step_src: IntArray,
    n_entries: int,
    n_assets: int,
    fail_time: FloatArray,
    why_member: IntArray,
    why_cause: IntArray,
    pred_any: Lookup,
    pred_quiet: Lookup,
) -> Counter[tuple[int, ...]]:
    """Count the paths (entry → … → cause[, member]) of each failing trial's first failure."""
    rows = np.flatnonzero(np.isfinite(fail_time).any(axis=1))
    fn = np.argmin(fail_time[rows], axis=1)
    member = why_member[rows, fn]
    cause = why_cause[rows, fn]
    chain = [cause]
    step = pred_any.get(rows * n_assets + cause)
    for _ in range(n_assets):
        prop = step >= n_entries
        if not prop.any():
            break
        src = np.where(prop, step_src[np.where(prop, step - n_entries, 0)], -1)
        chain.append(src)
        step = np.where(prop, pred_quiet.get(rows * n_assets + np.maximum(src, 0)), -1)
    table = np.column_stack([fn, np.where(member != cause, member, -1), *chain])
    uniq, counts = np.unique(table, axis=0, return_counts=True)
    out: Counter[tuple[int, ...]] = Counter()
    for row, count in zip(uniq.tolist(), counts.tolist(), strict=True):
        f, m, *back = row
        assets = [a for a in back if a >= 0][::-1]
        if m >= 0:
            assets.append(m)
        out[(f, *assets)] += count
    return out
