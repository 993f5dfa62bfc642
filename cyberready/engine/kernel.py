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

* Entry attempts are drawn densely (``trials × entry attempts``).
* Unnoticed arrivals ``Ap`` come from a frontier-driven Bellman-Ford: each round expands the
  pairs whose ``Ap`` improved along their outgoing steps (CSR), draws success, detection and
  time for those (trial, step) pairs only, and scatter-mins the candidates into a dense
  scratch buffer. Rounds repeat until nothing improves — a loop per relaxation level, never
  per trial or edge. The buffers are reset only where they were written.
* One more pass over every unnoticed foothold collects all intrusions, giving the arrival
  ``A`` of every compromised pair and, for paths, the step achieving each arrival (tie-break
  by the compiled ``rank``).
* Effects, dependency spread and functions work on the compromised pairs: each is mapped to
  the member slots it affects (reverse closures, CSR), reduced per (trial, member), then each
  group's ``k``-th start is read from the per-trial sorted segment.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from cyberready.engine.compile import CompiledScenario, Csr
from cyberready.engine.rng import TimeLaw, inverse_times, trial_mix_array, uniform_array

__all__ = ["BlockOutput", "Scratch", "run_block"]

INF = np.inf
IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


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
    """Two inf-filled buffers of ``trials × assets`` floats, reused across blocks.

    :func:`run_block` leaves them inf-filled again, resetting only the cells it wrote, so a
    block costs what the attacker touched rather than the size of the model.
    """

    unnoticed: FloatArray
    arrival: FloatArray

    @classmethod
    def allocate(cls, cells: int) -> Scratch:
        """Buffers for up to ``cells`` (trial, asset) pairs."""
        return cls(unnoticed=np.full(cells, INF), arrival=np.full(cells, INF))

    @property
    def cells(self) -> int:
        """Capacity in (trial, asset) pairs."""
        return len(self.unnoticed)


@dataclass(frozen=True)
class _Lookup:
    """A sparse map from sorted flat indices to values."""

    keys: IntArray
    values: IntArray

    def get(self, query: IntArray) -> IntArray:
        """Values at ``query`` (-1 where absent)."""
        if len(self.keys) == 0:
            return np.full(len(query), -1, dtype=np.int64)
        pos = np.minimum(np.searchsorted(self.keys, query), len(self.keys) - 1)
        return np.where(self.keys[pos] == query, self.values[pos], -1)


def _law_times(law: TimeLaw, u: FloatArray) -> FloatArray:
    n = len(u)
    return inverse_times(
        np.full(n, law.code, dtype=np.int8), np.full(n, law.a), np.full(n, law.b), u
    )


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
) -> _Lookup:
    """For each flat pair: the step achieving ``best`` with the lowest rank."""
    hit = np.isfinite(time) & (time == best[flat])
    flat, rank, step = flat[hit], rank[hit], step[hit]
    order = np.lexsort((rank, flat))
    flat, step = flat[order], step[order]
    first = _first_per(flat)
    return _Lookup(keys=flat[first], values=step[first])


_Pairs = tuple[IntArray, IntArray, FloatArray]
"""Sparse ``(trial row, asset, arrival)`` triples."""


def _kth_start(
    source: _Pairs, rev: Csr, n: int, index: int, trials: int
) -> tuple[FloatArray, IntArray, IntArray]:
    """Per trial, the group's start: map source pairs to member slots through ``rev``, keep the
    earliest arrival per (trial, member) (ties: lower asset position), and take the member at
    sorted position ``index`` (by start, then slot).

    Returns ``(start, slot, cause)`` per trial: inf / -1 where fewer than ``index + 1`` members
    are affected.
    """
    start = np.full(trials, INF)
    slot_of = np.full(trials, -1, dtype=np.int64)
    cause_of = np.full(trials, -1, dtype=np.int64)
    rows, assets, values = source
    if len(rows) == 0:
        return start, slot_of, cause_of
    which, slots = rev.expand(assets)
    if len(which) == 0:
        return start, slot_of, cause_of
    rows, assets, values = rows[which], assets[which], values[which]
    key = rows * n + slots
    order = np.lexsort((assets, values, key))
    keep = order[_first_per(key[order])]
    rows, slots, values, assets = rows[keep], slots[keep], values[keep], assets[keep]
    order = np.lexsort((slots, values, rows))
    rows, slots, values, assets = rows[order], slots[order], values[order], assets[order]
    count = np.bincount(rows, minlength=trials)
    first = np.zeros(trials, dtype=np.int64)
    np.cumsum(count[:-1], out=first[1:])
    ok = np.flatnonzero(count > index)
    pos = first[ok] + index
    start[ok] = values[pos]
    slot_of[ok] = slots[pos]
    cause_of[ok] = assets[pos]
    return start, slot_of, cause_of


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
    us = uniform_array(g.entry_key_success[None, :], mix[:, None])
    e_trial, e_idx = np.nonzero(us < c.entry_p[None, :])
    del us
    e_trial = e_trial.astype(np.int64)
    e_idx = e_idx.astype(np.int64)
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
    own = np.zeros(len(comp_flat))
    altered = np.zeros(len(comp_flat), dtype=bool)
    leaked = np.zeros(len(comp_flat), dtype=bool)
    events = np.zeros(trials, dtype=np.int64)
    u_duration: FloatArray | None = None
    for eff in g.effects:
        hit = eff.targets[comp_node]
        if eff.type == "alter":
            hit &= comp_quiet
        if eff.type == "disrupt":
            assert eff.law is not None
            if u_duration is None:
                u_duration = uniform_array(g.key_duration[comp_node], mix[comp_row])
            outage = _law_times(eff.law, u_duration[hit]) * c.recovery[comp_node[hit]]
            own[hit] = np.maximum(own[hit], outage)
        elif eff.type == "alter":
            altered |= hit
        elif eff.type == "leak":
            leaked |= hit
        if eff.public:
            events += np.bincount(comp_row[hit], minlength=trials) > 0

    # ---------------------------------------------------------------- functions
    def pairs(mask: BoolArray) -> _Pairs:
        return comp_row[mask], comp_node[mask], comp_arrival[mask]

    n_fn = len(g.function_ids)
    fail_time = np.full((trials, n_fn), INF)
    why_member = np.full((trials, n_fn), -1, dtype=np.int64)
    why_cause = np.full((trials, n_fn), -1, dtype=np.int64)
    altered_pairs = pairs(altered)
    leaked_pairs = pairs(leaked)
    for fn in g.functions:
        tol = fn.tolerance
        down_pairs = pairs(own > tol)
        best = np.full(trials, INF)
        member = why_member[:, fn.index]
        cause = why_cause[:, fn.index]
        for grp in fn.groups:
            n, k = grp.n, grp.k
            av, av_slot, av_cause = _kth_start(down_pairs, grp.depends_rev, n, n - k, trials)
            modes = [(av + tol, av_slot, av_cause)]
            modes.append(_kth_start(altered_pairs, grp.members_rev, n, n - k, trials))
            if grp.protects_data:
                assert grp.copies_rev is not None
                modes.append(_kth_start(leaked_pairs, grp.copies_rev, n, 0, trials))
            for t_mode, slot, why in modes:
                better = t_mode < best
                best = np.where(better, t_mode, best)
                member[better] = grp.members[slot[better]]
                cause[better] = why[better]
        fail_time[:, fn.index] = best

    failed = np.isfinite(fail_time)
    units = events + failed.sum(axis=1)

    # ---------------------------------------------------------------- paths
    found: Counter[tuple[int, ...]] = Counter()
    if pred_any is not None and pred_quiet is not None and failed.any():
        found = _trace_paths(
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


def _trace_paths(
    step_src: IntArray,
    n_entries: int,
    n_assets: int,
    fail_time: FloatArray,
    why_member: IntArray,
    why_cause: IntArray,
    pred_any: _Lookup,
    pred_quiet: _Lookup,
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
