"""The optional compiled kernel (the ``fast`` extra: numba), and the choice of kernel.

Same interface and *identical* results as :func:`cyberready.engine.kernel.run_block` — every
count, every per-trial failure time — for the same seed, whatever the block size. Where the
numpy kernel expands a frontier over ``trials × assets`` arrays round after round, this one
walks each trial's compromise in compiled loops, touching only what the trial reaches:

1. **Spread** (numba). Per trial: every ``mode: each`` entry attempt and, per ``mode: one``
   rule, the attempt its pick draw lands on; then a breadth-first walk over the *unnoticed*
   intrusions (success ``u < p``, the bound threshold with counts, and ``u(detect) >= q``),
   recording each successful intrusion out of every foothold. Which assets are reachable does
   not depend on times, so this needs only the success, pick and detection draws — integer
   hashing, bit-exact in numba.
2. **Times** (numpy). The recorded intrusions' times go through the very ufuncs the numpy
   kernel uses (:func:`cyberready.engine.rng.inverse_times`: ``log1p``, ``exp``, ``ndtri``), so
   they are bit-identical — compiled ``exp`` may differ from numpy's in the last bit.
3. **Arrivals** (numba). Per trial, Dijkstra over the unnoticed intrusions gives ``Ap``; the
   earliest intrusion of any kind from a foothold gives ``A`` (the same shortest paths, with
   the same left-to-right sums, as the numpy kernel's Bellman-Ford). Its priority queue, and
   step 5's, is a radix heap over the times' bits (:func:`_heap_pop`): the order of equal
   times does not matter, ties being broken by attempt rank, not by the order of settling.
4. **Effects and verification** (numpy, over compromised pairs only): the numpy kernel's own
   :func:`~cyberready.engine.kernel.apply_effects` — outages, alterations, verification
   catches and their recheck outages, leaks, events.
5. **Functions** (numba). Per distinct tolerance, the assets out past it: those whose own
   outage exceeds it, or — when a member's dependencies use alternatives groups — the per-trial
   fixed point over the reversed dependency links (:func:`_jit_fixpoint`, Dijkstra in Knuth's
   generalization: a group is settled when its last member is). Per trial and requirement
   group only the members touched by an outage, a recheck, an alteration or a leak are
   visited; the ``(n-k+1)``-th member time is selected among them.

6. **Attack paths** (when asked for). Step 3 also keeps, per compromised asset, the attempt
   achieving its arrival and the one achieving its unnoticed arrival (the lowest tie-break rank
   among equal times, as the numpy kernel picks). For the failing trials only, the numpy
   kernel's own :func:`~cyberready.engine.kernel.function_failures` names each first failure's
   member and cause (over those trials' compromised rows) and its
   :func:`~cyberready.engine.kernel.trace_paths` walks back through the recorded attempts, so
   paths and their counts are the numpy kernel's.

Memory: per-trial scratch is ``O(assets)``; a block holds the intrusions and compromised
assets of its trials, so :func:`select_kernel` sizes blocks from a memory budget after a short
pilot that measures the spread.

Threads: the compiled loops release the GIL (``nogil``), and so do numpy's ufuncs on large
arrays, so :func:`run_spans` runs several blocks at once on :func:`worker_threads` threads
(each block's memory budget divided among them). Every block is computed on its own and the
outputs are kept in trial order, so the number of threads changes no number.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Final, Literal, TypeVar, cast

import numpy as np
import numpy.typing as npt

from cyberready.engine.compile import CompiledScenario, ScenarioGraph
from cyberready.engine.kernel import (
    BlockOutput,
    EffectOutcome,
    Lookup,
    Scratch,
    apply_effects,
    auto_block_size,
    function_failures,
    trace_paths,
)
from cyberready.engine.kernel import run_block as numpy_run_block
from cyberready.engine.rng import (
    GOLDEN,
    TimeLaw,
    trial_mix_array,
)
from cyberready.errors import InputError, OptionalDependencyError, Problem


def _load_numba() -> Any:
    try:  # the `fast` extra
        import numba
    except ImportError:  # pragma: no cover - exercised only without the extra
        return None
    return numba


_NUMBA: Any = _load_numba()


F = TypeVar("F", bound=Callable[..., Any])


def _njit(**options: Any) -> Callable[[F], F]:
    """``numba.njit(**options)``; without numba the loops stay plain Python (never run)."""
    if _NUMBA is None:  # pragma: no cover - exercised only without the extra
        return lambda fn: fn
    return cast(Callable[[F], F], _NUMBA.njit(**options))


@_njit(inline="always")
def _clz64(x: Any) -> int:
    """Leading zero bits of a non-zero 64-bit unsigned integer, by halving: the fallback for a
    numba without the ``leading_zeros`` intrinsic (one instruction)."""
    n = 0
    s = 32
    while s > 0:
        if (x >> np.uint64(64 - s)) == 0:
            n += s
            x = x << np.uint64(s)
        s >>= 1
    return n


_leading_zeros: Any = _clz64
"""Leading zero bits of a non-zero 64-bit integer (numba's intrinsic where it has one)."""
try:
    from numba.cpython.unsafe.numbers import leading_zeros as _intrinsic

    _leading_zeros = _intrinsic
except ImportError:  # pragma: no cover - numba not installed, or without the intrinsic
    pass


__all__ = [
    "DEFAULT_MEMORY_BUDGET",
    "NUMBA_MIN_ASSETS",
    "THREADS_VARIABLE",
    "KernelChoice",
    "KernelName",
    "available",
    "changed_trials",
    "draw_census",
    "hash_sum",
    "numba_run_block",
    "numba_run_trials",
    "run_spans",
    "select_kernel",
    "worker_threads",
]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
KernelName = Literal["auto", "numpy", "numba"]
RunBlock = Callable[..., BlockOutput]

DEFAULT_MEMORY_BUDGET: Final = 128 * 1024 * 1024
"""Bytes a block of trials may use for its per-trial arrays (results do not depend on it).
Small enough that a block's largest array (its intrusions' times, about a tenth of the budget)
stays under glibc's mmap threshold when the command line raises it (``cli/_memory.py``): the
next block reuses that memory instead of faulting in fresh pages (measured on a 4,000-asset
``prioritize``: 24 s against 26 s with 512 MB, and a third less peak memory)."""
PILOT_TRIALS: Final = 8
MAX_BLOCK: Final = 8192
NUMBA_MIN_ASSETS: Final = 1_000
"""``auto`` uses the compiled kernel from this many assets up (measured: on Tarvonia's 2,728
assets it runs its scenarios 2.5× faster than numpy with paths, 6× without; on Examplia's 60
it gains nothing, while loading numba and its cached kernels costs a process about a second)."""
_NUMPY_BYTES_PER_CELL: Final = 96
"""Measured peak bytes of the numpy kernel per (trial, asset) and per (trial, intrusion)."""
_NUMBA_BYTES_PER_RECORD: Final = 88
_NUMBA_BYTES_PER_COMPROMISE: Final = 80


def available() -> bool:
    """True when numba (the ``fast`` extra) can be imported."""
    return _NUMBA is not None


# --------------------------------------------------------------------------- compiled parts


_GOLDEN = np.uint64(GOLDEN)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31, _S11 = np.uint64(30), np.uint64(27), np.uint64(31), np.uint64(11)
_TWO53 = float(2**53)


@_njit(inline="always")
def _u(key: Any, mix: Any) -> float:
    z = (key ^ mix) + _GOLDEN
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    z = z ^ (z >> _S31)
    return (np.float64(z >> _S11) + 0.5) / _TWO53


@_njit(cache=True, nogil=True)
def hash_sum(keys: Any, mix: Any) -> float:
    """Sum of one uniform per key (a probe of the compiled hash's speed for benchmarks)."""
    total = 0.0
    for i in range(len(keys)):
        total += _u(keys[i], mix)
    return total


@_njit(cache=True, nogil=True)
def _grow(a: Any, used: int, need: int) -> Any:
    """``a`` if it holds ``need`` items, else a larger copy of its first ``used`` items."""
    if need <= len(a):
        return a
    b = np.empty(max(need, 2 * len(a)), dtype=a.dtype)
    b[:used] = a[:used]
    return b


@_njit(inline="always")
def _record(
    key_time: Any,
    q: float,
    law: int,
    w: int,
    m: Any,
    kd: Any,
    mark: Any,
    queue: Any,
    tail: int,
    rec_dst: Any,
    rec_quiet: Any,
    rec_u: Any,
    rec_law: Any,
    step: int,
    rec_step: Any,
    nrec: int,
) -> tuple[int, int]:
    """Record a successful intrusion into ``w`` by attempt ``step`` (and queue ``w`` when it
    went unnoticed)."""
    quiet = _u(kd[w, 0], m) >= q
    rec_dst[nrec] = w
    rec_quiet[nrec] = quiet
    rec_u[nrec] = _u(key_time, m)
    rec_law[nrec] = law
    rec_step[nrec] = step
    if quiet and kd[w, 1] != mark:
        kd[w, 1] = mark
        queue[tail] = w
        tail += 1
    return nrec + 1, tail


@_njit(cache=True, nogil=True)
def _spread_trial(
    t: int,
    m: Any,
    n_each: int,
    e_dst: Any,
    e_ks: Any,
    e_kt: Any,
    e_p: Any,
    e_q: Any,
    e_law: Any,
    pick_lo: Any,
    pick_hi: Any,
    pick_cum: Any,
    pick_key: Any,
    out_ptr: Any,
    s_dst: Any,
    s_ks: Any,
    s_kt: Any,
    s_p: Any,
    s_q: Any,
    s_law: Any,
    s_id: Any,
    kd: Any,
    queue: Any,
    rec_dst: Any,
    rec_quiet: Any,
    rec_u: Any,
    rec_law: Any,
    rec_step: Any,
    nrec: int,
    fh_asset: Any,
    fh_lo: Any,
    fh_hi: Any,
    nfh: int,
) -> tuple[int, int, int]:
    """One trial's successful intrusions (capacity for all of them is guaranteed)."""
    mark = np.uint64(t + 1)
    head = 0
    tail = 0
    for i in range(n_each):  # every attempt of a mode: each rule
        if _u(e_ks[i], m) < e_p[i]:
            nrec, tail = _record(
                e_kt[i], e_q[i], e_law[i], e_dst[i], m, kd, mark, queue, tail,
                rec_dst, rec_quiet, rec_u, rec_law, i, rec_step, nrec,
            )  # fmt: skip
    for r in range(len(pick_lo)):  # a mode: one rule tries the attempt its pick lands on
        lo = pick_lo[r]
        hi = pick_hi[r]
        total = pick_cum[hi - 1]
        item = min(np.floor(_u(pick_key[r], m) * total), total - 1)
        while lo < hi - 1:  # the first attempt whose cumulative count exceeds the item
            mid = (lo + hi - 1) // 2
            if pick_cum[mid] > item:
                hi = mid + 1
            else:
                lo = mid + 1
        if _u(e_ks[lo], m) < e_p[lo]:
            nrec, tail = _record(
                e_kt[lo], e_q[lo], e_law[lo], e_dst[lo], m, kd, mark, queue, tail,
                rec_dst, rec_quiet, rec_u, rec_law, lo, rec_step, nrec,
            )  # fmt: skip
    ent_hi = nrec
    while head < tail:
        v = queue[head]
        head += 1
        lo = nrec
        for j in range(out_ptr[v], out_ptr[v + 1]):  # step arrays are in CSR order
            if _u(s_ks[j], m) < s_p[j]:  # (the hot loop: _record written out)
                w = s_dst[j]
                quiet = _u(kd[w, 0], m) >= s_q[j]
                rec_dst[nrec] = w
                rec_quiet[nrec] = quiet
                rec_u[nrec] = _u(s_kt[j], m)
                rec_law[nrec] = s_law[j]
                rec_step[nrec] = s_id[j]
                nrec += 1
                if quiet and kd[w, 1] != mark:
                    kd[w, 1] = mark
                    queue[tail] = w
                    tail += 1
        fh_asset[nfh] = v
        fh_lo[nfh] = lo
        fh_hi[nfh] = nrec
        nfh += 1
    return nrec, nfh, ent_hi


@_njit(cache=True, nogil=True)
def _jit_spread(
    mix: Any,
    n_each: int,
    e_dst: Any,
    e_ks: Any,
    e_kt: Any,
    e_p: Any,
    e_q: Any,
    e_law: Any,
    pick_lo: Any,
    pick_hi: Any,
    pick_cum: Any,
    pick_key: Any,
    out_ptr: Any,
    s_dst: Any,
    s_ks: Any,
    s_kt: Any,
    s_p: Any,
    s_q: Any,
    s_law: Any,
    s_id: Any,
    key_detect: Any,
    cap: int,
) -> Any:
    """Successful intrusions of every trial: its entries, then each foothold's out-steps, with
    the uniform that will draw each one's time."""
    n_trials = len(mix)
    n_assets = len(key_detect)
    most = len(e_dst) + len(s_dst)  # a trial records at most every attempt once
    rec_dst = np.empty(max(cap, most), np.int64)
    rec_quiet = np.empty(len(rec_dst), np.bool_)
    rec_u = np.empty(len(rec_dst), np.float64)
    rec_law = np.empty(len(rec_dst), np.int32)
    rec_step = np.empty(len(rec_dst), np.int64)
    rec_ptr = np.zeros(n_trials + 1, np.int64)
    ent_hi = np.zeros(n_trials, np.int64)
    fh_asset = np.empty(n_assets, np.int64)
    fh_lo = np.empty(n_assets, np.int64)
    fh_hi = np.empty(n_assets, np.int64)
    fh_ptr = np.zeros(n_trials + 1, np.int64)
    # per asset: its detection key, and the trial (+1) in which it became a foothold
    kd = np.zeros((n_assets, 2), np.uint64)
    kd[:, 0] = key_detect
    queue = np.empty(n_assets, np.int64)
    nrec = 0
    nfh = 0
    for t in range(n_trials):
        rec_dst = _grow(rec_dst, nrec, nrec + most)
        rec_quiet = _grow(rec_quiet, nrec, nrec + most)
        rec_u = _grow(rec_u, nrec, nrec + most)
        rec_law = _grow(rec_law, nrec, nrec + most)
        rec_step = _grow(rec_step, nrec, nrec + most)
        fh_asset = _grow(fh_asset, nfh, nfh + n_assets)
        fh_lo = _grow(fh_lo, nfh, nfh + n_assets)
        fh_hi = _grow(fh_hi, nfh, nfh + n_assets)
        nrec, nfh, ent_hi[t] = _spread_trial(
            t,
            mix[t],
            n_each,
            e_dst,
            e_ks,
            e_kt,
            e_p,
            e_q,
            e_law,
            pick_lo,
            pick_hi,
            pick_cum,
            pick_key,
            out_ptr,
            s_dst,
            s_ks,
            s_kt,
            s_p,
            s_q,
            s_law,
            s_id,
            kd,
            queue,
            rec_dst,
            rec_quiet,
            rec_u,
            rec_law,
            rec_step,
            nrec,
            fh_asset,
            fh_lo,
            fh_hi,
            nfh,
        )
        rec_ptr[t + 1] = nrec
        fh_ptr[t + 1] = nfh
    return (
        rec_dst[:nrec],
        rec_quiet[:nrec],
        rec_u[:nrec],
        rec_law[:nrec],
        rec_step[:nrec],
        rec_ptr,
        ent_hi,
        fh_asset[:nfh],
        fh_lo[:nfh],
        fh_hi[:nfh],
        fh_ptr,
    )


@_njit(inline="always")
def _bucket(key: Any, last: Any) -> int:
    """The radix heap's bucket of a key: 0 when it equals the last key popped, else the
    position of the highest bit in which they differ (1..64)."""
    x = key ^ last
    if x == 0:
        return 0
    return 64 - int(_leading_zeros(x))


@_njit(inline="always")
def _heap_push(
    hk: Any, hku: Any, hv: Any, hn: Any, head: Any, used: int, last: Any, t: float, v: int
) -> int:
    """Push ``(t, v)`` onto a radix heap (items kept as linked lists, one per bucket, in the
    pool ``hk``/``hv``/``hn``; ``hku`` views ``hk``'s bits): returns the pool's new length.

    A radix heap needs the keys pushed to be no smaller than the last popped, as in Dijkstra's
    algorithm; a non-negative float's bits, read as an unsigned integer, order like the float
    (``t + 0.0`` makes a negative zero positive)."""
    hk[used] = t + 0.0
    hv[used] = v
    b = _bucket(hku[used], last)
    hn[used] = head[b]
    head[b] = used
    return used + 1


@_njit(inline="always")
def _heap_pop(hk: Any, hku: Any, hv: Any, hn: Any, head: Any, last: Any) -> tuple[float, int, Any]:
    """Pop an item with the smallest key of a non-empty radix heap, and the new last key.

    When bucket 0 is empty, the first non-empty bucket's smallest key becomes the last key and
    its items move to lower buckets (each item moves down a few times at most: cheaper than a
    comparison heap's sift, and equal keys cost nothing)."""
    if head[0] < 0:
        i = 1
        while head[i] < 0:
            i += 1
        p = head[i]
        last = hku[p]
        q = hn[p]
        while q >= 0:
            if hku[q] < last:
                last = hku[q]
            q = hn[q]
        head[i] = -1
        while p >= 0:
            nxt = hn[p]
            b = _bucket(hku[p], last)
            hn[p] = head[b]
            head[b] = p
            p = nxt
    p = head[0]
    head[0] = hn[p]
    return hk[p], hv[p], last


_HEAP_BUCKETS: Final = 65


@_njit(inline="always")
def _better(cand: float, step: int, best: float, pred: int, rank: Any) -> bool:
    """A (time, step) candidate beats the current one: earlier, or as early with a lower rank
    (the numpy kernel's tie-break for the step that achieved an arrival)."""
    return cand < best or (cand == best and cand < np.inf and rank[step] < rank[pred])


@_njit(cache=True, nogil=True)
def _arrivals_trial(
    rec_dst: Any,
    rec_quiet: Any,
    rec_dt: Any,
    rec_step: Any,
    rank: Any,
    lo: int,
    ent_hi: int,
    fh_start: int,
    fh_stop: int,
    fh_asset: Any,
    fh_lo: Any,
    fh_hi: Any,
    st: Any,
    pred: Any,
    mark: Any,
    touched: Any,
    hk: Any,
    hku: Any,
    hv: Any,
    hn: Any,
    head: Any,
    c_asset: Any,
    c_arr: Any,
    c_quiet: Any,
    c_pred: Any,
    nc: int,
) -> int:
    """One trial: Dijkstra over the unnoticed intrusions gives ``Ap``; every intrusion out of
    a settled foothold (and every entry) gives ``A``. Beside each, the attempt achieving it
    (lowest rank among equal times): ``pred[v, 0]`` for ``A``, ``pred[v, 1]`` for ``Ap``."""
    inf = np.inf
    nt = 0
    size = 0
    used = 0
    last = np.uint64(0)
    for f in range(fh_start, fh_stop):
        st[fh_asset[f], 3] = f
    for r in range(lo, ent_hi):
        v = rec_dst[r]
        dt = rec_dt[r]
        s = rec_step[r]
        if not mark[v]:
            mark[v] = True
            touched[nt] = v
            nt += 1
        if _better(dt, s, st[v, 2], pred[v, 0], rank):
            st[v, 2] = dt
            pred[v, 0] = s
        if rec_quiet[r] and _better(dt, s, st[v, 1], pred[v, 1], rank):
            if dt < st[v, 1]:
                used = _heap_push(hk, hku, hv, hn, head, used, last, dt, v)
                size += 1
            st[v, 1] = dt
            pred[v, 1] = s
    while size > 0:
        tv, v, last = _heap_pop(hk, hku, hv, hn, head, last)
        size -= 1
        if st[v, 0] < inf or tv > st[v, 1]:
            continue
        st[v, 0] = tv
        f = int(st[v, 3])
        for r in range(fh_lo[f], fh_hi[f]):
            w = rec_dst[r]
            cand = tv + rec_dt[r]
            s = rec_step[r]
            if not mark[w]:
                mark[w] = True
                touched[nt] = w
                nt += 1
            if _better(cand, s, st[w, 2], pred[w, 0], rank):
                st[w, 2] = cand
                pred[w, 0] = s
            # (once w is settled no later candidate is earlier: only ties are left to rank)
            if rec_quiet[r] and _better(cand, s, st[w, 1], pred[w, 1], rank):
                if cand < st[w, 1] and st[w, 0] == inf:
                    used = _heap_push(hk, hku, hv, hn, head, used, last, cand, w)
                    size += 1
                st[w, 1] = cand
                pred[w, 1] = s
    for f in range(fh_start, fh_stop):
        st[fh_asset[f], 3] = -1.0
    for i in range(nt):
        v = touched[i]
        mark[v] = False
        if st[v, 2] < inf:
            c_asset[nc] = v
            c_arr[nc] = st[v, 2]
            c_quiet[nc] = st[v, 0] < inf
            c_pred[nc, 0] = pred[v, 0]
            c_pred[nc, 1] = pred[v, 1] if st[v, 0] < inf else -1
            nc += 1
        st[v, 2] = inf
        st[v, 0] = inf
        st[v, 1] = inf
        pred[v, 0] = -1
        pred[v, 1] = -1
    return nc


@_njit(cache=True, nogil=True)
def _jit_arrivals(
    n_assets: int,
    rec_dst: Any,
    rec_quiet: Any,
    rec_dt: Any,
    rec_step: Any,
    rank: Any,
    rec_ptr: Any,
    ent_hi: Any,
    fh_asset: Any,
    fh_lo: Any,
    fh_hi: Any,
    fh_ptr: Any,
) -> Any:
    """Per trial: Dijkstra over unnoticed intrusions (``Ap``), then the earliest intrusion
    of any kind (``A``); returns the compromised (trial, asset, A, Ap finite) rows and, per
    row, the attempts achieving ``A`` and ``Ap`` (-1: not unnoticed)."""
    n_trials = len(ent_hi)
    # per asset, one cache line: Ap, tentative Ap, A, foothold index (-1: none)
    st = np.full((n_assets, 4), np.inf)
    st[:, 3] = -1.0
    pred = np.full((n_assets, 2), -1, np.int64)
    mark = np.zeros(n_assets, np.bool_)
    touched = np.empty(n_assets, np.int64)
    most = 1
    for t in range(n_trials):
        most = max(most, rec_ptr[t + 1] - rec_ptr[t])
    hk = np.empty(most, np.float64)
    hku = hk.view(np.uint64)
    hv = np.empty(most, np.int64)
    hn = np.empty(most, np.int64)
    head = np.full(_HEAP_BUCKETS, -1, np.int64)
    cap = max(16, len(rec_dst) // 2)
    c_asset = np.empty(cap, np.int64)
    c_arr = np.empty(cap, np.float64)
    c_quiet = np.empty(cap, np.bool_)
    c_pred = np.empty((cap, 2), np.int64)
    c_ptr = np.zeros(n_trials + 1, np.int64)
    nc = 0
    for t in range(n_trials):
        need = nc + min(n_assets, rec_ptr[t + 1] - rec_ptr[t])
        c_asset = _grow(c_asset, nc, need)
        c_arr = _grow(c_arr, nc, need)
        c_quiet = _grow(c_quiet, nc, need)
        if need > len(c_pred):
            grown = np.empty((max(need, 2 * len(c_pred)), 2), np.int64)
            grown[:nc] = c_pred[:nc]
            c_pred = grown
        nc = _arrivals_trial(
            rec_dst,
            rec_quiet,
            rec_dt,
            rec_step,
            rank,
            rec_ptr[t],
            ent_hi[t],
            fh_ptr[t],
            fh_ptr[t + 1],
            fh_asset,
            fh_lo,
            fh_hi,
            st,
            pred,
            mark,
            touched,
            hk,
            hku,
            hv,
            hn,
            head,
            c_asset,
            c_arr,
            c_quiet,
            c_pred,
            nc,
        )
        c_ptr[t + 1] = nc
    return c_asset[:nc], c_arr[:nc], c_quiet[:nc], c_pred[:nc], c_ptr


@_njit(cache=True, nogil=True)
def _jit_fixpoint(
    s_ptr: Any,
    s_asset: Any,
    s_time: Any,
    req_ptr: Any,
    req_items: Any,
    grp_ptr: Any,
    grp_items: Any,
    member_ptr: Any,
    owner: Any,
    n_assets: int,
) -> Any:
    """Per trial, the dependency fixed point with alternatives groups: from the assets whose
    own outage exceeds the tolerance (with their arrival), every asset out past it and its
    cause time. Dijkstra in Knuth's generalization (a group is a max of its members, settled
    when its last member is): assets are settled in order of cause time, a required link
    passes its source's time on, a group passes on its last member's."""
    inf = np.inf
    n_trials = len(s_ptr) - 1
    n_groups = len(owner)
    best = np.full(n_assets, inf)
    settled = np.zeros(n_assets, np.bool_)
    remaining = np.full(n_groups, -1, np.int64)
    touched = np.empty(n_assets, np.int64)
    touched_groups = np.empty(max(n_groups, 1), np.int64)
    cap = n_assets + len(req_items) + len(grp_items) + 1
    hk = np.empty(cap, np.float64)
    hku = hk.view(np.uint64)
    hv = np.empty(cap, np.int64)
    hn = np.empty(cap, np.int64)
    head = np.full(_HEAP_BUCKETS, -1, np.int64)
    d_asset = np.empty(max(16, len(s_asset)), np.int64)
    d_time = np.empty(len(d_asset), np.float64)
    d_ptr = np.zeros(n_trials + 1, np.int64)
    nd = 0
    for t in range(n_trials):
        d_asset = _grow(d_asset, nd, nd + n_assets)
        d_time = _grow(d_time, nd, nd + n_assets)
        nt = 0
        ng = 0
        size = 0
        used = 0
        last = np.uint64(0)
        for i in range(s_ptr[t], s_ptr[t + 1]):
            v = s_asset[i]
            if best[v] == inf:
                touched[nt] = v
                nt += 1
            if s_time[i] < best[v]:
                best[v] = s_time[i]
                used = _heap_push(hk, hku, hv, hn, head, used, last, s_time[i], v)
                size += 1
        while size > 0:
            tv, v, last = _heap_pop(hk, hku, hv, hn, head, last)
            size -= 1
            if settled[v] or tv > best[v]:
                continue
            settled[v] = True
            d_asset[nd] = v
            d_time[nd] = tv
            nd += 1
            for j in range(req_ptr[v], req_ptr[v + 1]):
                a = req_items[j]
                if not settled[a] and tv < best[a]:
                    if best[a] == inf:
                        touched[nt] = a
                        nt += 1
                    best[a] = tv
                    used = _heap_push(hk, hku, hv, hn, head, used, last, tv, a)
                    size += 1
            for j in range(grp_ptr[v], grp_ptr[v + 1]):
                gi = grp_items[j]
                if remaining[gi] < 0:
                    remaining[gi] = member_ptr[gi + 1] - member_ptr[gi]
                    touched_groups[ng] = gi
                    ng += 1
                remaining[gi] -= 1
                a = owner[gi]
                if remaining[gi] == 0 and not settled[a] and tv < best[a]:
                    if best[a] == inf:
                        touched[nt] = a
                        nt += 1
                    best[a] = tv
                    used = _heap_push(hk, hku, hv, hn, head, used, last, tv, a)
                    size += 1
        for i in range(nt):
            best[touched[i]] = inf
            settled[touched[i]] = False
        for i in range(ng):
            remaining[touched_groups[i]] = -1
        d_ptr[t + 1] = nd
    return d_ptr, d_asset[:nd], d_time[:nd]


@_njit(cache=True, nogil=True)
def _jit_group_starts(
    c_ptr: Any,
    c_asset: Any,
    c_arr: Any,
    altered: Any,
    recheck: Any,
    leaked: Any,
    s_ptr: Any,
    s_asset: Any,
    s_time: Any,
    out_ptr: Any,
    out_items: Any,
    member_ptr: Any,
    member_items: Any,
    n: int,
    k: int,
    tol: float,
    copy_ptr: Any,
    protects: bool,
) -> Any:
    """Per trial: the earliest failure time of one requirement group (inf if it holds).

    A member's time: the earliest cause of an outage past the tolerance (``s`` rows mapped to
    slots by ``out_*``; a recheck longer than the tolerance on the member itself) plus the
    tolerance, or its arrival if it is altered, whichever is first; the group fails at the
    ``(n-k+1)``-th earliest member time."""
    inf = np.inf
    n_trials = len(c_ptr) - 1
    kth = n - k
    out = np.full(n_trials, inf)
    starts = np.full(n, inf)
    alt = np.full(n, inf)
    touched = np.empty(n, np.int64)
    buf = np.empty(n, np.float64)
    for t in range(n_trials):
        best = inf
        nt = 0
        for i in range(s_ptr[t], s_ptr[t + 1]):  # out past the tolerance (spread)
            d = s_asset[i]
            a = s_time[i]
            for j in range(out_ptr[d], out_ptr[d + 1]):
                slot = out_items[j]
                if starts[slot] == inf and alt[slot] == inf:
                    touched[nt] = slot
                    nt += 1
                if a < starts[slot]:
                    starts[slot] = a
        for i in range(c_ptr[t], c_ptr[t + 1]):  # rechecks past it, and alterations
            if recheck[i] > tol or altered[i]:
                d = c_asset[i]
                a = c_arr[i]
                for j in range(member_ptr[d], member_ptr[d + 1]):
                    slot = member_items[j]
                    if starts[slot] == inf and alt[slot] == inf:
                        touched[nt] = slot
                        nt += 1
                    if altered[i]:
                        alt[slot] = min(alt[slot], a)
                    elif a < starts[slot]:
                        starts[slot] = a
        if nt > kth:
            for i in range(nt):
                slot = touched[i]
                buf[i] = min(starts[slot] + tol, alt[slot])
            best = np.partition(buf[:nt], kth)[kth]
        for i in range(nt):
            starts[touched[i]] = inf
            alt[touched[i]] = inf
        # confidentiality: a leaked copy of a member's data
        if protects:
            for i in range(c_ptr[t], c_ptr[t + 1]):
                if leaked[i]:
                    d = c_asset[i]
                    if copy_ptr[d + 1] > copy_ptr[d] and c_arr[i] < best:
                        best = c_arr[i]
        out[t] = best
    return out


# --------------------------------------------------------------------------- the block runner


@dataclass(frozen=True, eq=False)
class _Plan:
    """The compiled scenario's arrays as the loops want them (contiguous, one dtype each; the
    propagation steps permuted into the order of the source CSR, so a foothold's steps are read
    sequentially), and the time law of every rule: entry rules first, then propagation rules."""

    spread_args: tuple[Any, ...]
    laws: tuple[TimeLaw, ...]
    rank: IntArray
    """Tie-break rank of every attempt (entries, then steps by step id)."""

    @classmethod
    def of(cls, c: CompiledScenario) -> _Plan:
        g = c.graph
        sc = g.scenario
        n_entry_rules = len(sc.entry)

        def i64(x: npt.ArrayLike) -> IntArray:
            return np.ascontiguousarray(x, dtype=np.int64)

        def u64(x: npt.ArrayLike) -> npt.NDArray[np.uint64]:
            return np.ascontiguousarray(x, dtype=np.uint64)

        def f64(x: npt.ArrayLike) -> FloatArray:
            return np.ascontiguousarray(x, dtype=np.float64)

        order = g.out.items  # step ids, source by source
        spread_args = (
            g.n_each,
            i64(g.entry_dst),
            u64(g.entry_key_success),
            u64(g.entry_key_time),
            f64(c.entry_p),
            f64(c.entry_q),
            np.ascontiguousarray(g.entry_rule, dtype=np.int32),
            i64(g.pick_lo),
            i64(g.pick_hi),
            f64(g.pick_cumulative),
            u64(g.pick_key),
            i64(g.out.ptr),
            i64(g.step_dst[order]),
            u64(g.step_key_success[order]),
            u64(g.step_key_time[order]),
            f64(c.step_p[order]),
            f64(c.step_q[order]),
            np.ascontiguousarray(g.step_rule[order] + n_entry_rules, dtype=np.int32),
            i64(g.n_entries + order),  # the attempt id of each step, as the numpy kernel's
            u64(g.key_detect),
        )
        laws = tuple(TimeLaw.of(r.time) for r in sc.entry) + tuple(
            TimeLaw.of(r.time) for r in sc.propagation
        )
        return cls(spread_args=spread_args, laws=laws, rank=i64(g.rank))


def _spread(plan: _Plan, mix: npt.NDArray[np.uint64], cap: int = 1024) -> tuple[Any, ...]:
    spread: Callable[..., tuple[Any, ...]] = _jit_spread
    return spread(mix, *plan.spread_args, cap)


def _times(plan: _Plan, rec_u: FloatArray, rec_law: npt.NDArray[np.int32]) -> FloatArray:
    """Every recorded intrusion's time, law by law (the ufuncs act element by element, so
    grouping by law changes no bit)."""
    if len(plan.laws) == 1:
        return plan.laws[0].times(rec_u)
    out = np.empty(len(rec_u))
    for k, law in enumerate(plan.laws):
        idx = np.flatnonzero(rec_law == k)
        if len(idx):
            out[idx] = law.times(rec_u[idx])
    return out


def numba_run_block(
    c: CompiledScenario, seed: int, start: int, stop: int, *, paths: bool = False
) -> BlockOutput:
    """Run trials ``start..stop-1`` with the compiled kernel (``paths``: trace attack paths,
    as the numpy kernel does).

    Raises :class:`~cyberready.errors.OptionalDependencyError` without numba.
    """
    if _NUMBA is None:
        raise OptionalDependencyError("fast", "the compiled kernel")
    return _run(c, _Plan.of(c), seed, start, stop, paths=paths)


_Arrivals = tuple[IntArray, FloatArray, BoolArray, IntArray, IntArray]
"""Compromised rows in trial order: asset, arrival, unnoticed, ``[rows, 2]`` attempts achieving
the arrival and the unnoticed arrival, and the per-trial CSR pointer."""


def _compromise(plan: _Plan, n_assets: int, mix: npt.NDArray[np.uint64]) -> _Arrivals:
    """Steps 1-3: the successful intrusions, their times, and every compromised (trial, asset)
    with its arrivals."""
    # 1. which intrusions succeed (integer hashing only), and their time uniforms
    spread = _spread(plan, mix)
    rec_dst, rec_quiet, rec_u, rec_law, rec_step, rec_ptr, ent_hi = spread[:7]
    fh_asset, fh_lo, fh_hi, fh_ptr = spread[7:]
    del spread
    # 2. their times, through the numpy kernel's own ufuncs
    rec_dt = _times(plan, rec_u, rec_law)
    del rec_u, rec_law
    # 3. arrivals
    arrivals: Callable[..., _Arrivals] = _jit_arrivals
    return arrivals(
        n_assets,
        rec_dst,
        rec_quiet,
        rec_dt,
        rec_step,
        plan.rank,
        rec_ptr,
        ent_hi,
        fh_asset,
        fh_lo,
        fh_hi,
        fh_ptr,
    )


def _run(
    c: CompiledScenario, plan: _Plan, seed: int, start: int, stop: int, *, paths: bool = False
) -> BlockOutput:
    mix = trial_mix_array(seed, np.arange(start, stop, dtype=np.int64))
    return _run_mix(c, plan, mix, start, stop, paths=paths)


def _run_mix(
    c: CompiledScenario,
    plan: _Plan,
    mix: npt.NDArray[np.uint64],
    start: int,
    stop: int,
    *,
    paths: bool = False,
) -> BlockOutput:
    """:func:`_run` on the trials whose mixes are ``mix`` (any trials: every draw of a trial is
    keyed by its own mix, so a trial's row does not depend on the others)."""
    g = c.graph
    n_assets = g.n_assets
    trials = len(mix)
    c_asset, c_arr, c_quiet, c_pred, c_ptr = _compromise(plan, n_assets, mix)
    c_trial = np.repeat(np.arange(trials, dtype=np.int64), np.diff(c_ptr))
    comp_count = np.bincount(c_asset, minlength=n_assets).astype(np.int64)
    det_count = np.bincount(c_asset[~c_quiet], minlength=n_assets).astype(np.int64)

    # 4. effects and verification on compromised (trial, asset) rows (the numpy kernel's code)
    fx = apply_effects(c, c_asset, c_trial, c_quiet, mix, trials)
    recheck = fx.recheck if fx.recheck is not None else np.zeros(len(c_asset))

    # 5. functions
    fail_time = np.full((trials, len(g.function_ids)), np.inf)
    no_copies = np.zeros(n_assets + 1, np.int64)
    out_past: dict[float, tuple[IntArray, IntArray, FloatArray]] = {}
    for fn in g.functions:
        tol = fn.tolerance
        if tol not in out_past:  # assets out past the tolerance, with their cause time
            m = fx.own > tol
            s_ptr = np.zeros(trials + 1, dtype=np.int64)
            np.cumsum(np.bincount(c_trial[m], minlength=trials), out=s_ptr[1:])
            sources = (s_ptr, c_asset[m], c_arr[m])
            if g.dep_fixpoint and m.any():
                sources = _fixpoint(g, *sources)
            out_past[tol] = sources
        best = np.full(trials, np.inf)
        for grp in fn.groups:
            rev = grp.members_rev if grp.depends_rev is None else grp.depends_rev
            t_group = _jit_group_starts(
                c_ptr,
                c_asset,
                c_arr,
                fx.altered,
                recheck,
                fx.leaked,
                *out_past[tol],
                rev.ptr,
                rev.items,
                grp.members_rev.ptr,
                grp.members_rev.items,
                grp.n,
                grp.k,
                tol,
                grp.copies_rev.ptr if grp.copies_rev is not None else no_copies,
                bool(grp.protects_data),
            )
            best = np.minimum(best, t_group)
        fail_time[:, fn.index] = best
    failed = np.isfinite(fail_time)
    found: Counter[tuple[int, ...]] = Counter()
    if paths:
        found = _paths(c, fail_time, (c_asset, c_arr, c_quiet, c_pred, c_ptr), fx)
    return BlockOutput(
        start=start,
        stop=stop,
        fail_time=fail_time,
        compromised=comp_count,
        detected=det_count,
        confidence=(fx.events + failed.sum(axis=1)).astype(np.int64),
        paths=found,
    )


_PATH_CELLS: Final = 1 << 22
"""(trial, asset) cells of the dependency fixed point's buffer when tracing paths (32 MB)."""


def _paths(
    c: CompiledScenario,
    fail_time: FloatArray,
    compromised: _Arrivals,
    fx: EffectOutcome,
) -> Counter[tuple[int, ...]]:
    """The attack paths of the failing trials, as the numpy kernel counts them: for the trials
    whose first failure is a function, its own
    :func:`~cyberready.engine.kernel.function_failures` of that function alone names the failed
    member and the cause (numpy, over those trials' compromised rows only), and its own
    :func:`~cyberready.engine.kernel.trace_paths` walks back from the cause through the
    attempts the compiled arrivals recorded."""
    g = c.graph
    n_assets = g.n_assets
    c_asset, c_arr, c_quiet, c_pred, c_ptr = compromised
    failing = np.flatnonzero(np.isfinite(fail_time).any(axis=1))
    first = np.argmin(fail_time[failing], axis=1)
    found: Counter[tuple[int, ...]] = Counter()
    chunk = max(1, _PATH_CELLS // max(n_assets, 1))
    scratch = Scratch(unnoticed=np.zeros(0), arrival=np.zeros(0))
    for fn in np.unique(first).tolist():
        of_fn = failing[first == fn]
        for lo in range(0, len(of_fn), chunk):
            rows = of_fn[lo : lo + chunk]
            count = c_ptr[rows + 1] - c_ptr[rows]  # their compromised rows: a range each
            sub = np.repeat(np.arange(len(rows), dtype=np.int64), count)
            pick = np.arange(len(sub), dtype=np.int64) + np.repeat(
                c_ptr[rows] - (np.cumsum(count) - count), count
            )
            node = c_asset[pick]
            sub_fx = EffectOutcome(
                own=fx.own[pick],
                altered=fx.altered[pick],
                leaked=fx.leaked[pick],
                recheck=fx.recheck[pick] if fx.recheck is not None else None,
                events=np.zeros(len(rows), dtype=np.int64),
            )
            sub_fail, member, cause = function_failures(
                c, sub, node, c_arr[pick], sub_fx, len(rows), scratch, only=fn
            )
            flat = sub * n_assets + node
            order = np.argsort(flat)
            flat, pred = flat[order], c_pred[pick][order]
            quiet = c_quiet[pick][order]
            pred_any = Lookup(keys=flat, values=pred[:, 0])
            pred_quiet = Lookup(keys=flat[quiet], values=pred[quiet, 1])
            found += trace_paths(
                g.step_src, g.n_entries, n_assets, sub_fail, member, cause, pred_any, pred_quiet
            )
    return found


def _fixpoint(
    g: ScenarioGraph, s_ptr: IntArray, s_asset: IntArray, s_time: FloatArray
) -> tuple[IntArray, IntArray, FloatArray]:
    """:func:`_jit_fixpoint` on the graph's reversed dependency links."""
    assert g.dep_required_rev is not None and g.dep_group_rev is not None
    assert g.group_members is not None and g.group_owner is not None
    fixpoint: Callable[..., tuple[IntArray, IntArray, FloatArray]] = _jit_fixpoint
    return fixpoint(
        s_ptr,
        s_asset,
        s_time,
        g.dep_required_rev.ptr,
        g.dep_required_rev.items,
        g.dep_group_rev.ptr,
        g.dep_group_rev.items,
        g.group_members.ptr,
        g.group_owner,
        g.n_assets,
    )


def draw_census(c: CompiledScenario, trials: int = 32, seed: int = 0) -> tuple[float, float]:
    """Uniform draws one trial needs, and assets it compromises, averaged over ``trials``.

    Draws are what the trial model cannot do without: each entry attempt's success (a
    ``mode: one`` rule: its pick and one success); each step
    out of an undetected compromised asset; the time and the detection draw of each successful
    intrusion; one outage duration per compromised asset that a disrupt effect targets. (The
    reference draws a few more — it re-draws the steps of its second pass.)
    """
    if _NUMBA is None:
        raise OptionalDependencyError("fast", "counting draws")
    g = c.graph
    plan = _Plan.of(c)
    mix = trial_mix_array(seed, np.arange(trials, dtype=np.int64))
    spread = _spread(plan, mix)
    rec_dst, fh_asset = spread[0], spread[7]
    c_asset = _compromise(plan, g.n_assets, mix)[0]
    steps_tried = int((g.out.ptr[fh_asset + 1] - g.out.ptr[fh_asset]).sum())
    disrupt = np.zeros(g.n_assets, dtype=bool)
    for eff in g.effects:
        if eff.type == "disrupt":
            disrupt |= eff.targets
    durations = int(disrupt[c_asset].sum())
    entries = g.n_each + 2 * len(g.pick_lo)
    draws = trials * entries + steps_tried + 2 * len(rec_dst) + durations
    return draws / trials, len(c_asset) / trials


# --------------------------------------------------------------------------- changed trials


@_njit(cache=True, nogil=True)
def _changed_trial(
    m: Any,
    mark: Any,
    n_each: int,
    e_dst: Any,
    e_ks: Any,
    e_p: Any,
    e_q: Any,
    e_p2: Any,
    e_q2: Any,
    pick_lo: Any,
    pick_hi: Any,
    pick_cum: Any,
    pick_key: Any,
    out_ptr: Any,
    s_dst: Any,
    s_ks: Any,
    s_p: Any,
    s_q: Any,
    s_p2: Any,
    s_q2: Any,
    key_detect: Any,
    sensitive: Any,
    seen: Any,
    queue: Any,
) -> bool:
    """True when one of the trial's decisions differs between two bindings: :func:`_spread_trial`
    under the first (``e_p``, ``e_q``, ``s_p``, ``s_q``), checking every success draw it makes
    and every detection draw of a success against the second's thresholds, and whether a success
    reaches a ``sensitive`` asset (one whose recovery or verification differs). When neither
    happens, the second binding makes the very same decisions, in the same order, and treats
    every compromised asset alike."""
    tail = 0
    for k in range(n_each + len(pick_lo)):
        if k < n_each:
            i = k
        else:  # a mode: one rule tries the attempt its pick lands on
            r = k - n_each
            lo = pick_lo[r]
            hi = pick_hi[r]
            total = pick_cum[hi - 1]
            item = min(np.floor(_u(pick_key[r], m) * total), total - 1)
            while lo < hi - 1:
                mid = (lo + hi - 1) // 2
                if pick_cum[mid] > item:
                    hi = mid + 1
                else:
                    lo = mid + 1
            i = lo
        u = _u(e_ks[i], m)
        ok = u < e_p[i]
        if ok != (u < e_p2[i]):
            return True
        if ok:
            w = e_dst[i]
            if sensitive[w]:
                return True
            ud = _u(key_detect[w], m)
            quiet = ud >= e_q[i]
            if quiet != (ud >= e_q2[i]):
                return True
            if quiet and seen[w] != mark:
                seen[w] = mark
                queue[tail] = w
                tail += 1
    head = 0
    while head < tail:
        v = queue[head]
        head += 1
        for j in range(out_ptr[v], out_ptr[v + 1]):
            u = _u(s_ks[j], m)
            ok = u < s_p[j]
            if ok != (u < s_p2[j]):
                return True
            if ok:
                w = s_dst[j]
                if sensitive[w]:
                    return True
                ud = _u(key_detect[w], m)
                quiet = ud >= s_q[j]
                if quiet != (ud >= s_q2[j]):
                    return True
                if quiet and seen[w] != mark:
                    seen[w] = mark
                    queue[tail] = w
                    tail += 1
    return False


@_njit(cache=True, nogil=True)
def _jit_changed(
    mix: Any,
    n_each: int,
    e_dst: Any,
    e_ks: Any,
    e_p: Any,
    e_q: Any,
    e_p2: Any,
    e_q2: Any,
    pick_lo: Any,
    pick_hi: Any,
    pick_cum: Any,
    pick_key: Any,
    out_ptr: Any,
    s_dst: Any,
    s_ks: Any,
    s_p: Any,
    s_q: Any,
    s_p2: Any,
    s_q2: Any,
    key_detect: Any,
    sensitive: Any,
) -> Any:
    """Per trial: :func:`_changed_trial`."""
    n_assets = len(key_detect)
    seen = np.zeros(n_assets, np.uint64)
    queue = np.empty(n_assets, np.int64)
    out = np.zeros(len(mix), np.bool_)
    for t in range(len(mix)):
        out[t] = _changed_trial(
            mix[t], np.uint64(t + 1), n_each, e_dst, e_ks, e_p, e_q, e_p2, e_q2,
            pick_lo, pick_hi, pick_cum, pick_key, out_ptr, s_dst, s_ks, s_p, s_q, s_p2, s_q2,
            key_detect, sensitive, seen, queue,
        )  # fmt: skip
    return out


def _sensitive(ref: CompiledScenario, new: CompiledScenario) -> BoolArray | None:
    """Per asset: True where the two bindings treat a compromise differently (the recovery of
    an asset a disrupt effect targets, or the chance or the recheck laws of verification); None
    when they differ otherwise."""
    disrupted = np.zeros(ref.graph.n_assets, dtype=bool)
    for eff in ref.graph.effects:
        if eff.type == "disrupt":
            disrupted |= eff.targets
    out = (ref.recovery != new.recovery) & disrupted
    a, b = ref.verification, new.verification
    if a is None or b is None:
        return out if a is b else None
    if a.laws != b.laws or not (
        np.array_equal(a.key_verify, b.key_verify) and np.array_equal(a.key_recheck, b.key_recheck)
    ):
        return None
    return np.ascontiguousarray(out | (a.chance != b.chance) | (a.acting != b.acting).any(axis=0))


def changed_trials(
    ref: CompiledScenario, new: CompiledScenario, seed: int, trials: int, *, start: int = 0
) -> IntArray | None:
    """The trials among ``start..start+trials-1`` whose rows can differ between two bindings of
    one scenario graph, in increasing order; None when that cannot be told (no numba, another
    graph, or bindings that differ in more than chances, recovery and verification).

    A trial's compromise is decided by its success draws and the detection draws of its
    successes; everything after (times, effects, verification, functions) follows from those
    decisions, from draws that do not depend on the binding and from the recovery and
    verification of the compromised assets. So a trial in which every decision ``ref`` makes
    comes out the same under ``new``'s chances, and which compromises no asset whose recovery
    or verification differs, has identical rows under both.
    """
    if _NUMBA is None or ref.graph is not new.graph:
        return None
    sensitive = _sensitive(ref, new)
    if sensitive is None:
        return None
    a = _Plan.of(ref).spread_args
    b = _Plan.of(new).spread_args
    # spread_args: n_each, e_dst, e_ks, e_kt, e_p, e_q, e_law, pick_lo, pick_hi, pick_cum,
    # pick_key, out_ptr, s_dst, s_ks, s_kt, s_p, s_q, s_law, s_id, key_detect
    mix = trial_mix_array(seed, np.arange(start, start + trials, dtype=np.int64))
    changed: Callable[..., BoolArray] = _jit_changed
    flags = changed(
        mix, a[0], a[1], a[2], a[4], a[5], b[4], b[5], a[7], a[8], a[9], a[10], a[11], a[12],
        a[13], a[15], a[16], b[15], b[16], a[19], sensitive,
    )  # fmt: skip
    return np.flatnonzero(flags).astype(np.int64) + start


def numba_run_trials(
    c: CompiledScenario,
    seed: int,
    trials: IntArray,
    block_size: int = MAX_BLOCK,
    *,
    threads: int | None = None,
) -> tuple[FloatArray, IntArray]:
    """Per-trial failure times and confidence units of the given trials (any global indices),
    in their order, with the compiled kernel: the rows a run over ``0..n-1`` gives them, for
    any ``block_size`` and number of ``threads`` (:func:`worker_threads`)."""
    if _NUMBA is None:
        raise OptionalDependencyError("fast", "the compiled kernel")
    plan = _Plan.of(c)
    fail = np.empty((len(trials), len(c.graph.function_ids)))
    confidence = np.empty(len(trials), np.int64)
    n_threads = worker_threads(threads)

    def run(a: int, b: int) -> BlockOutput:
        return _run_mix(c, plan, trial_mix_array(seed, trials[a:b]), a, b)

    for out in _threaded(run, list(_spans(0, len(trials), block_size, n_threads)), n_threads):
        fail[out.start : out.stop] = out.fail_time
        confidence[out.start : out.stop] = out.confidence
    return fail, confidence


# --------------------------------------------------------------------------- threads

THREADS_VARIABLE: Final = "CYBERREADY_THREADS"
"""Environment variable: how many threads run blocks of trials at once (default: the CPUs
this process may use)."""
MIN_THREAD_BLOCK: Final = 256
"""Fewest trials in a block handed to a thread (smaller blocks cost more than they balance)."""


def _cpus() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def worker_threads(threads: int | None = None) -> int:
    """Threads that run blocks of trials at once with the compiled kernel: ``threads`` when
    given, else the environment variable ``CYBERREADY_THREADS``, else the CPUs this process
    may use. Results do not depend on it.

    Raises
    ------
    InputError
        When the variable is set to anything but a whole number of at least 1.
    """
    if threads is not None:
        if threads < 1:
            raise ValueError(f"threads must be at least 1, got {threads}")
        return threads
    raw = os.environ.get(THREADS_VARIABLE, "").strip()
    if not raw:
        return _cpus()
    if not raw.isdigit() or int(raw) < 1:
        raise InputError(
            [
                Problem(
                    THREADS_VARIABLE,
                    f"{raw!r} is not a number of threads (a whole number, at least 1)",
                    value=raw,
                    hint=f"unset it to use every CPU: {_cpus()} here",
                )
            ]
        )
    return int(raw)


def _spans(start: int, stop: int, block_size: int, threads: int) -> Iterator[tuple[int, int]]:
    """``start..stop`` in consecutive blocks: of ``block_size`` on one thread; with more, of
    ``block_size // threads`` (the memory budget is shared), and small enough that every thread
    gets a few blocks (at least :data:`MIN_THREAD_BLOCK` trials each)."""
    size = block_size
    if threads > 1:
        share = -(-(stop - start) // (4 * threads))
        size = max(1, min(block_size // threads, max(MIN_THREAD_BLOCK, share)))
    for a in range(start, stop, size):
        yield a, min(stop, a + size)


def _threaded(
    run: Callable[[int, int], BlockOutput], spans: Sequence[tuple[int, int]], threads: int
) -> Iterator[BlockOutput]:
    """``run(a, b)`` of every span, on up to ``threads`` threads, yielded in the spans' order."""
    if threads == 1 or len(spans) == 1:
        for a, b in spans:
            yield run(a, b)
        return
    with ThreadPoolExecutor(max_workers=min(threads, len(spans))) as pool:
        futures = [pool.submit(run, a, b) for a, b in spans]
        try:
            for f in futures:
                yield f.result()
        finally:
            for f in futures:
                f.cancel()


def run_spans(
    kernel: KernelChoice,
    c: CompiledScenario,
    seed: int,
    start: int,
    stop: int,
    *,
    paths: bool,
    threads: int | None = None,
) -> Iterator[BlockOutput]:
    """Trials ``start..stop-1`` in blocks, in trial order: the compiled kernel runs its blocks
    on :func:`worker_threads` threads, the numpy kernel (whose scratch buffers are shared) one
    block at a time. Every block is computed on its own, so the outputs are the same for any
    number of threads."""
    n_threads = worker_threads(threads)  # checked whichever kernel runs
    if kernel.name != "numba":
        n_threads = 1

    def run(a: int, b: int) -> BlockOutput:
        return kernel.run_block(c, seed, a, b, paths=paths)

    return _threaded(run, list(_spans(start, stop, kernel.block_size, n_threads)), n_threads)


# --------------------------------------------------------------------------- choosing a kernel


@dataclass(frozen=True)
class KernelChoice:
    """Which kernel runs a compiled scenario, with what block size, and why."""

    name: Literal["numpy", "numba"]
    run_block: RunBlock
    """``run_block(compiled, seed, start, stop, paths=...) -> BlockOutput``."""
    block_size: int
    reason: str
    pilot_intrusions: float = 0.0
    """Successful intrusions per trial measured by the pilot (0 when no pilot ran)."""
    pilot_compromised: float = 0.0
    """Compromised assets per trial measured by the pilot."""


def _pilot(plan: _Plan, seed: int) -> tuple[float, float]:
    """Successful intrusions and footholds (undetected compromised assets) per trial."""
    mix = trial_mix_array(seed, np.arange(PILOT_TRIALS, dtype=np.int64))
    spread = _spread(plan, mix)
    rec_ptr, fh_ptr = spread[5], spread[10]
    return float(rec_ptr[-1]) / PILOT_TRIALS, float(fh_ptr[-1]) / PILOT_TRIALS


def _numpy_choice(
    c: CompiledScenario, block_size: int | None, memory_budget: int, why: str
) -> KernelChoice:
    """The numpy kernel with reusable scratch buffers, as :func:`run_compiled` runs it."""
    block = block_size or max(
        1,
        min(
            auto_block_size(c), memory_budget // (_NUMPY_BYTES_PER_CELL * max(c.graph.n_assets, 1))
        ),
    )
    held: list[Scratch] = []

    def run(
        cc: CompiledScenario,
        seed: int,
        start: int,
        stop: int,
        *,
        paths: bool = False,
        scratch: Scratch | None = None,
    ) -> BlockOutput:
        if scratch is None:
            cells = (stop - start) * cc.graph.n_assets
            if not held or held[0].cells < cells:
                held[:] = [Scratch.allocate(cells)]
            scratch = held[0]
        return numpy_run_block(cc, seed, start, stop, paths=paths, scratch=scratch)

    return KernelChoice(
        name="numpy", run_block=run, block_size=block, reason=f"numpy kernel: {why}"
    )


def select_kernel(
    c: CompiledScenario,
    *,
    paths: bool,
    kernel: KernelName = "auto",
    block_size: int | None = None,
    memory_budget: int = DEFAULT_MEMORY_BUDGET,
    min_assets: int = NUMBA_MIN_ASSETS,
    seed: int = 0,
) -> KernelChoice:
    """Choose the kernel and the block size for a compiled scenario.

    ``auto`` takes the compiled kernel when numba is installed and the model has at least
    ``min_assets`` assets (below that, numpy is fast enough and a first-ever compilation would
    cost more than it saves), attack paths traced or not; else the numpy kernel. Both give
    identical results, paths included: the choice only changes speed and memory. For the
    compiled kernel a pilot of a few trials measures how far compromise spreads (intrusions and
    compromised assets per trial) and the block size is the largest whose records fit
    ``memory_budget`` bytes; the numpy kernel's blocks are the engine's automatic size, capped
    by the same budget. ``block_size`` overrides both.

    The returned ``run_block(compiled, seed, start, stop, paths=...)`` keeps its own scratch
    buffers between calls.
    """
    if kernel not in ("auto", "numpy", "numba"):
        raise ValueError(f"kernel must be auto, numpy or numba, not {kernel!r}")
    if kernel == "numba" and _NUMBA is None:
        raise OptionalDependencyError("fast", "the compiled kernel")
    if kernel == "numpy":
        return _numpy_choice(c, block_size, memory_budget, "asked for")
    if kernel == "auto":
        if _NUMBA is None:
            return _numpy_choice(c, block_size, memory_budget, "numba is not installed")
        if c.graph.n_assets < min_assets:
            return _numpy_choice(c, block_size, memory_budget, f"fewer than {min_assets:,} assets")
    plan = _Plan.of(c)
    intrusions, compromised = _pilot(plan, seed)
    per_trial = (
        _NUMBA_BYTES_PER_RECORD * intrusions
        + _NUMBA_BYTES_PER_COMPROMISE * (compromised + 1)
        + 8 * len(c.graph.function_ids)
    )
    block = block_size or int(min(MAX_BLOCK, max(1, memory_budget // max(per_trial, 1.0))))

    def run(
        cc: CompiledScenario,
        seed: int,
        start: int,
        stop: int,
        *,
        paths: bool = False,
        scratch: object = None,
    ) -> BlockOutput:
        return _run(cc, plan if cc is c else _Plan.of(cc), seed, start, stop, paths=paths)

    return KernelChoice(
        name="numba",
        run_block=run,
        block_size=block,
        reason=f"compiled kernel ({intrusions:,.0f} intrusions per trial in the pilot)",
        pilot_intrusions=intrusions,
        pilot_compromised=compromised,
    )
