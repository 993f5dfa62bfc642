"""The vectorized numpy kernel: one block of trials of a :class:`CompiledScenario` at a time.

Interface (kept small so other kernels, e.g. a numba one, can slot in)::

    run_block(compiled, seed, start, stop, paths=bool) -> BlockOutput

Compiled arrays in, counts and per-trial rows out. Trials are global indices ``start..stop-1``
and every draw comes from :mod:`cyberready.engine.rng`, so a block's output does not depend on
how trials are split into blocks.

Algorithm (the trial model of :mod:`cyberready.engine.reference`, vectorized over trials):

* State is dense per block: ``Ap`` and ``A`` of shape ``trials × assets`` (flattened).
* Entry attempts are drawn densely (``trials × entry attempts``).
* Unnoticed arrivals ``Ap`` come from a frontier-driven Bellman-Ford: each round expands the
  (trial, asset) pairs whose ``Ap`` improved along their outgoing steps (CSR), draws success,
  detection and time for those (trial, step) pairs only, and scatter-mins the candidates.
  Rounds repeat until nothing improves — a loop per relaxation level, never per trial or edge.
* One more pass over every unnoticed foothold collects all intrusions, giving ``A`` and, for
  paths, the achieving step of each arrival (tie-break by the compiled ``rank``).
* Effects, dependency spread and functions are array operations over compromised pairs and
  member closures (CSR), per effect and per requirement group.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from cyberready.engine.compile import CompiledScenario, Csr
from cyberready.engine.rng import TimeLaw, inverse_times, trial_mix_array, uniform_array

__all__ = ["BlockOutput", "run_block"]

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
    confidence_units: int
    """Sum over trials of (public events + failed functions)."""
    paths: Counter[tuple[int, ...]] = field(default_factory=Counter)
    """``(function index, entry, ..., cause[, member])`` -> trials."""

    @property
    def failures(self) -> BoolArray:
        """``[trials, functions]`` boolean failure matrix."""
        return np.isfinite(self.fail_time)


def _law_times(law: TimeLaw, u: FloatArray) -> FloatArray:
    n = len(u)
    return inverse_times(
        np.full(n, law.code, dtype=np.int8), np.full(n, law.a), np.full(n, law.b), u
    )


def _first_per(keys: IntArray) -> BoolArray:
    """Mask of the first element of each run of equal (sorted) keys."""
    first = np.ones(len(keys), dtype=bool)
    first[1:] = keys[1:] != keys[:-1]
    return first


def _pred(
    flat: IntArray, time: FloatArray, rank: IntArray, step: IntArray, best: FloatArray
) -> IntArray:
    """For each flat (trial, asset): the step achieving ``best`` with the lowest rank."""
    pred = np.full(len(best), -1, dtype=np.int64)
    hit = np.isfinite(time) & (time == best[flat])
    flat, rank, step = flat[hit], rank[hit], step[hit]
    order = np.lexsort((rank, flat))
    flat, step = flat[order], step[order]
    first = _first_per(flat)
    pred[flat[first]] = step[first]
    return pred


def _member_starts(
    source_flat: IntArray, arrival: FloatArray, rev: Csr, n_assets: int, trials: int, n: int
) -> FloatArray:
    """``[trials, n]``: per member, the earliest arrival among the source pairs in its closure."""
    starts = np.full(trials * n, INF)
    if len(source_flat):
        which, slots = rev.expand(source_flat % n_assets)
        rows = source_flat[which] // n_assets
        np.minimum.at(starts, rows * n + slots, arrival[source_flat[which]])
    return starts.reshape(trials, n)


def _kth(starts: FloatArray, kth: int) -> FloatArray:
    """Per row, the ``kth`` smallest (0-based) value."""
    if starts.shape[1] == 1:
        return starts[:, 0].copy()
    return np.partition(starts, kth, axis=1)[:, kth]


def _critical_member(starts: FloatArray, rows: IntArray, kth: int) -> IntArray:
    """Member slot at sorted position ``kth`` (ties: lower slot), for the given rows."""
    order = np.argsort(starts[rows], axis=1, kind="stable")
    return order[:, kth]


def _cause(
    rows: IntArray,
    fwd: Csr,
    slot: IntArray,
    ok: BoolArray,
    arrival: FloatArray,
    n_assets: int,
) -> IntArray:
    """Per row: the asset in the member's closure with ``ok`` and the earliest arrival (ties:
    lower position)."""
    which, assets = fwd.expand(slot)
    flat = rows[which] * n_assets + assets
    value = np.where(ok[flat], arrival[flat], INF)
    order = np.lexsort((assets, value, which))
    which_sorted = which[order]
    first = _first_per(which_sorted)
    out = np.empty(len(rows), dtype=np.int64)
    out[which_sorted[first]] = assets[order][first]
    return out


def run_block(
    c: CompiledScenario, seed: int, start: int, stop: int, *, paths: bool = False
) -> BlockOutput:
    """Run trials ``start..stop-1`` of a compiled scenario."""
    g = c.graph
    n_assets = g.n_assets
    trials = stop - start
    size = trials * n_assets
    n_entries = g.n_entries
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
    ap = np.full(size, INF)
    np.minimum.at(ap, e_flat[e_quiet], e_time[e_quiet])

    # ---------------------------------------------------------------- unnoticed arrivals
    def intrusions(
        frontier: IntArray,
    ) -> tuple[IntArray, IntArray, IntArray, FloatArray, BoolArray]:
        """Successful steps out of the given flat pairs: (src flat, step, tgt flat, time,
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
        return src, steps, row * n_assets + dst, ap[src] + dt, quiet

    frontier = np.flatnonzero(ap < INF)
    while len(frontier) and g.n_steps:
        _src, _steps, tgt, cand, quiet = intrusions(frontier)
        tgt, cand = tgt[quiet], cand[quiet]
        better = cand < ap[tgt]
        tgt, cand = tgt[better], cand[better]
        np.minimum.at(ap, tgt, cand)
        frontier = np.unique(tgt)

    # ---------------------------------------------------------------- all intrusions
    footholds = np.flatnonzero(ap < INF)
    if g.n_steps and len(footholds):
        _src, s_steps, s_tgt, s_time, s_quiet = intrusions(footholds)
    else:
        s_steps = s_tgt = np.zeros(0, np.int64)
        s_time = np.zeros(0)
        s_quiet = np.zeros(0, bool)
    arrival = ap.copy()
    np.minimum.at(arrival, e_flat, e_time)
    np.minimum.at(arrival, s_tgt, s_time)

    compromised = arrival < INF
    quiet_at = ap < INF
    comp2 = compromised.reshape(trials, n_assets)
    comp_count = comp2.sum(axis=0, dtype=np.int64)
    det_count = (comp2 & ~quiet_at.reshape(trials, n_assets)).sum(axis=0, dtype=np.int64)

    # ---------------------------------------------------------------- effects
    comp_flat = np.flatnonzero(compromised)
    comp_node = comp_flat % n_assets
    comp_row = comp_flat // n_assets
    own = np.zeros(size)
    altered = np.zeros(size, dtype=bool)
    leaked = np.zeros(size, dtype=bool)
    events = np.zeros(trials, dtype=np.int64)
    u_duration: FloatArray | None = None
    for eff in g.effects:
        hit = eff.targets[comp_node]
        if eff.type == "alter":
            hit &= quiet_at[comp_flat]
        flat = comp_flat[hit]
        if eff.type == "disrupt":
            assert eff.law is not None
            if u_duration is None:
                u_duration = uniform_array(g.key_duration[comp_node], mix[comp_row])
            outage = _law_times(eff.law, u_duration[hit]) * c.recovery[comp_node[hit]]
            own[flat] = np.maximum(own[flat], outage)
        elif eff.type == "alter":
            altered[flat] = True
        elif eff.type == "leak":
            leaked[flat] = True
        if eff.public:
            events += np.bincount(comp_row[hit], minlength=trials) > 0

    # ---------------------------------------------------------------- functions
    n_fn = len(g.function_ids)
    fail_time = np.full((trials, n_fn), INF)
    why_member = np.full((trials, n_fn), -1, dtype=np.int64)
    why_cause = np.full((trials, n_fn), -1, dtype=np.int64)
    leak_flat = np.flatnonzero(leaked)
    altered2 = altered.reshape(trials, n_assets)
    arrival2 = arrival.reshape(trials, n_assets)
    over_cache: dict[float, IntArray] = {}
    for fn in g.functions:
        tol = fn.tolerance
        if tol not in over_cache:
            over_cache[tol] = np.flatnonzero(own > tol)
        over_flat = over_cache[tol]
        over = own > tol if paths else None
        best = np.full(trials, INF)
        for grp in fn.groups:
            n, k = grp.n, grp.k
            modes: list[tuple[FloatArray, FloatArray | None, str]] = []
            av = _member_starts(over_flat, arrival, grp.depends_rev, n_assets, trials, n)
            modes.append((_kth(av, n - k) + tol, av, "availability"))
            integ = np.where(altered2[:, grp.members], arrival2[:, grp.members], INF)
            modes.append((_kth(integ, n - k), integ, "integrity"))
            if grp.protects_data:
                assert grp.copies_rev is not None
                conf = _member_starts(leak_flat, arrival, grp.copies_rev, n_assets, trials, n)
                modes.append((conf.min(axis=1), conf, "confidentiality"))
            for t_mode, starts, mode in modes:
                better = t_mode < best
                best = np.where(better, t_mode, best)
                if not paths or not better.any():
                    continue
                rows = np.flatnonzero(better)
                assert starts is not None
                if mode == "confidentiality":
                    slot = np.argmin(starts[rows], axis=1)
                else:
                    slot = _critical_member(starts, rows, n - k)
                member = grp.members[slot]
                if mode == "availability":
                    assert over is not None
                    cause = _cause(rows, grp.depends_fwd, slot, over, arrival, n_assets)
                elif mode == "integrity":
                    cause = member
                else:
                    assert grp.copies_fwd is not None
                    cause = _cause(rows, grp.copies_fwd, slot, leaked, arrival, n_assets)
                why_member[rows, fn.index] = member
                why_cause[rows, fn.index] = cause
        fail_time[:, fn.index] = best

    failed = np.isfinite(fail_time)
    units = int(events.sum() + failed.sum())

    # ---------------------------------------------------------------- paths
    found: Counter[tuple[int, ...]] = Counter()
    if paths and failed.any():
        e_rank = g.rank[e_idx]
        s_rank = g.rank[n_entries + s_steps]
        flat_all = np.concatenate([e_flat, s_tgt])
        time_all = np.concatenate([e_time, s_time])
        rank_all = np.concatenate([e_rank, s_rank])
        step_all = np.concatenate([e_idx, n_entries + s_steps])
        quiet_all = np.concatenate([e_quiet, s_quiet])
        pred_any = _pred(flat_all, time_all, rank_all, step_all, arrival)
        pred_quiet = _pred(
            flat_all[quiet_all], time_all[quiet_all], rank_all[quiet_all], step_all[quiet_all], ap
        )
        found = _trace_paths(
            g.step_src, n_entries, n_assets, fail_time, why_member, why_cause, pred_any, pred_quiet
        )

    return BlockOutput(
        start=start,
        stop=stop,
        fail_time=fail_time,
        compromised=comp_count,
        detected=det_count,
        confidence_units=units,
        paths=found,
    )


def _trace_paths(
    step_src: IntArray,
    n_entries: int,
    n_assets: int,
    fail_time: FloatArray,
    why_member: IntArray,
    why_cause: IntArray,
    pred_any: IntArray,
    pred_quiet: IntArray,
) -> Counter[tuple[int, ...]]:
    """Count the paths (entry → … → cause[, member]) of each failing trial's first failure."""
    rows = np.flatnonzero(np.isfinite(fail_time).any(axis=1))
    fn = np.argmin(fail_time[rows], axis=1)
    member = why_member[rows, fn]
    cause = why_cause[rows, fn]
    chain = [cause]
    step = pred_any[rows * n_assets + cause]
    for _ in range(n_assets):
        prop = step >= n_entries
        if not prop.any():
            break
        src = np.where(prop, step_src[np.where(prop, step - n_entries, 0)], -1)
        chain.append(src)
        step = np.where(prop, pred_quiet[rows * n_assets + np.maximum(src, 0)], -1)
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
