"""The Monte Carlo engine: threat scenarios over an EMB's dependency graph (docs/trial-model.md).

Layers, each usable on its own:

* :mod:`~cyberready.engine.rng` — counter-based randomness shared by everything.
* :mod:`~cyberready.engine.reference` — the trial model in plain Python, one trial at a time.
* :mod:`~cyberready.engine.compile` — scenario + system (+ posture) -> flat arrays, once.
* :mod:`~cyberready.engine.kernel` — the vectorized numpy kernel, one block of trials at a time.
* :mod:`~cyberready.engine.results` — per-scenario and combined results, DataFrames, HTML.

Whatever simulates goes through :func:`run_range` (trials ``start..stop-1``, any kernel, in
blocks) and :func:`combine` (ranges, in trial order, into a :class:`ScenarioResult`):
:func:`simulate`, the priorities' runner and every portfolio executor.

The public API is ``__all__``: the simulation (:func:`simulate`, :func:`simulate_scenario`,
:func:`simulation_result`), compiled runs (:func:`prepare`, :func:`compile_scenario`,
:func:`run_compiled`, :func:`run_range`, :func:`combine`), their results and the limits on
trials. What :func:`run_range` returns is only meant for :func:`combine` (or for shipping
between processes); the block kernels behind it (``kernel``, ``numba_kernel``) and their
buffers are internal and may change.

>>> import cyberready
>>> from cyberready.engine import simulate
>>> ws = cyberready.load_workspace(cyberready.example_path())
>>> result = simulate(ws, scenarios=["website-defacement"], trials=200)
>>> result.scenarios["website-defacement"].trials
200
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from cyberready.engine import kernel as _kernel
from cyberready.engine.compile import CompiledScenario, ScenarioGraph, compile_scenario, prepare
from cyberready.engine.kernel import auto_block_size
from cyberready.engine.results import (
    DEFAULT_CONFIDENCE_WEIGHT,
    PathCount,
    ScenarioResult,
    SimulationResult,
    top_paths,
    wilson,
)
from cyberready.errors import InputError, Problem, did_you_mean
from cyberready.models import EmbProfile, Scenario
from cyberready.posture import Posture, build_posture, effective_likelihood
from cyberready.workspace import ResolvedSystem

if TYPE_CHECKING:
    from cyberready.workspace import Workspace

__all__ = [
    "DEFAULT_TRIALS",
    "MAX_TRIALS",
    "PATHS_MAX_ASSETS",
    "CompiledScenario",
    "PathCount",
    "ScenarioGraph",
    "ScenarioResult",
    "SimulationResult",
    "auto_block_size",
    "check_trials",
    "combine",
    "compile_scenario",
    "prepare",
    "rerun_changed",
    "run_compiled",
    "run_range",
    "simulate",
    "simulate_scenario",
    "simulation_result",
    "wilson",
]

DEFAULT_TRIALS = 10_000
MAX_TRIALS = 10_000_000
"""Most trials per scenario: estimates settle long before (a larger number is a typo)."""
PATHS_MAX_ASSETS = 10_000
"""Attack paths are traced for models up to this many assets."""


def _memory_budget() -> int:
    """Bytes a run may keep: half the machine's memory (8 GiB where it cannot be read)."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2
    except (AttributeError, ValueError, OSError):
        return 8 << 30


def check_trials(
    trials: int, n_functions: int, n_scenarios: int = 1, *, budget: int | None = None
) -> None:
    """Refuse a number of trials above :data:`MAX_TRIALS`, or one whose results would not fit
    in memory, before anything is allocated.

    Each trial keeps a row of failure times (8 bytes per function) and a confidence count
    (8 bytes) per scenario; a scenario's blocks are copied once when merged. ``budget`` is the
    bytes allowed (default: half the machine's memory).

    Raises
    ------
    InputError
        Naming ``--trials``, the estimate and the largest number that fits.
    """
    hint = f"the default is {DEFAULT_TRIALS:,}; more trials only narrow the intervals"
    if trials > MAX_TRIALS:
        message = f"{trials:,} trials per scenario is more than the {MAX_TRIALS:,} allowed"
        raise InputError([Problem("--trials", message, value=str(trials), hint=hint)])
    per_trial = 8 * (n_functions + 1) * (n_scenarios + 1)
    allowed = _memory_budget() if budget is None else budget
    if trials * per_trial > allowed:
        fits = max(1, allowed // per_trial)
        message = (
            f"{trials:,} trials of {n_scenarios} scenario(s) need about "
            f"{trials * per_trial / 2**30:,.1f} GiB of memory, more than the "
            f"{allowed / 2**30:,.1f} GiB available (at most {fits:,} trials fit)"
        )
        raise InputError([Problem("--trials", message, value=str(trials), hint=hint)])


def _merge(parts: Sequence[_kernel.BlockOutput]) -> _kernel.BlockOutput:
    """Consecutive blocks (in trial order) as one."""
    if len(parts) == 1:
        return parts[0]
    found: Counter[tuple[int, ...]] = Counter()
    for p in parts:
        found.update(p.paths)
    return _kernel.BlockOutput(
        start=parts[0].start,
        stop=parts[-1].stop,
        fail_time=np.concatenate([p.fail_time for p in parts]),
        compromised=np.sum([p.compromised for p in parts], axis=0, dtype=np.int64),
        detected=np.sum([p.detected for p in parts], axis=0, dtype=np.int64),
        confidence=np.concatenate([p.confidence for p in parts]),
        paths=found,
    )


def run_range(
    c: CompiledScenario,
    start: int,
    stop: int,
    seed: int = 0,
    *,
    paths: bool | None = None,
    block_size: int | None = None,
    progress: Callable[[int], None] | None = None,
    threads: int | None = None,
) -> _kernel.BlockOutput:
    """Run trials ``start..stop-1`` (global trial indices) of a compiled scenario.

    The one place trials are run: it picks the kernel (the compiled one, with the ``fast``
    extra, on large models, tracing paths or not; else numpy — identical results) and its
    memory-budgeted block size, runs the blocks and merges them in trial order. Because every
    draw is keyed by the global trial index, any split of ``0..n-1`` into ranges, run anywhere
    and passed to :func:`combine`, gives the numbers of one run over ``0..n-1``.

    ``paths`` defaults to tracing attack paths when the model has at most
    :data:`PATHS_MAX_ASSETS` assets; ``progress`` is called with the number of trials finished
    after each block. The compiled kernel runs blocks on ``threads`` threads at once (default:
    the ``CYBERREADY_THREADS`` environment variable, else every CPU the process may use); the
    numbers do not depend on it.
    """
    if not 0 <= start < stop:
        raise ValueError(f"need 0 <= start < stop, got {start}..{stop}")
    check_trials(stop - start, len(c.graph.function_ids))
    if block_size is not None and block_size < 1:
        raise ValueError(f"block_size must be at least 1, got {block_size}")
    want_paths = c.graph.n_assets <= PATHS_MAX_ASSETS if paths is None else paths
    from cyberready.engine.numba_kernel import run_spans, select_kernel

    kernel = select_kernel(c, paths=want_paths, block_size=block_size, seed=seed)
    parts = []
    for part in run_spans(kernel, c, seed, start, stop, paths=want_paths, threads=threads):
        parts.append(part)
        if progress is not None:
            progress(part.stop - part.start)
    return _merge(parts)


def combine(
    parts: Iterable[_kernel.BlockOutput],
    c: CompiledScenario,
    *,
    seed: int,
    emb: EmbProfile | None = None,
) -> ScenarioResult:
    """One scenario's result from trial ranges of :func:`run_range`, merged in trial order.

    The ranges (in any order) must cover trials ``0..n-1`` exactly once. The result carries
    the most frequent attack paths (when the ranges traced them), the scenario's effective
    likelihood under ``emb``'s threat context and the EMB's ``public_confidence_weight`` (without
    ``emb``: the generic likelihood and the default weight 3).
    """
    ordered = sorted(parts, key=lambda p: p.start)
    covered = [(p.start, p.stop) for p in ordered]
    stops = [b for _a, b in covered]
    if not ordered or [a for a, _b in covered] != [0, *stops[:-1]]:
        raise ValueError(f"ranges {covered} do not cover trials 0..n-1 exactly once")
    merged = _merge(ordered)
    g = c.graph
    sc = g.scenario
    lik = effective_likelihood(sc, emb.threat_context if emb is not None else None)
    trials = merged.stop
    return ScenarioResult(
        scenario_id=sc.id,
        title=sc.title,
        likelihood=lik.value,
        base_likelihood=lik.base,
        likelihood_origin=lik.origin,
        likelihood_note=lik.describe(),
        public_confidence_weight=(
            float(emb.public_confidence_weight) if emb is not None else DEFAULT_CONFIDENCE_WEIGHT
        ),
        trials=trials,
        seed=seed,
        function_ids=g.function_ids,
        function_weights=g.function_weights,
        in_phase=g.in_phase,
        asset_ids=g.asset_ids,
        fail_time=merged.fail_time,
        compromised=merged.compromised,
        detected=merged.detected,
        confidence=merged.confidence,
        reassurance=c.reassurance,
        paths=top_paths(merged.paths, g.function_ids, g.asset_ids, trials),
        not_applicable=g.not_applicable,
    )


def rerun_changed(
    ref: CompiledScenario,
    new: CompiledScenario,
    fail_time: npt.NDArray[np.float64],
    confidence: npt.NDArray[np.int64],
    seed: int,
    start: int = 0,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int64]] | None:
    """Per-trial failure times and confidence units of ``new`` over trials ``start..`` (as many
    as the rows given), from those of ``ref`` (another binding of the same scenario graph, run
    on the same trials and seed): only the trials in which one of ``ref``'s success or detection
    decisions would come out otherwise under ``new``'s chances are run again
    (:func:`~cyberready.engine.numba_kernel.changed_trials`); every other row is ``ref``'s,
    which is what a run of ``new`` gives it, bit for bit. None when that cannot be told (the
    compiled kernel is not installed, or the bindings differ in recovery or verification):
    run ``new`` in full then.
    """
    from cyberready.engine.numba_kernel import changed_trials, numba_run_trials, select_kernel

    trials = len(confidence)
    idx = changed_trials(ref, new, seed, trials, start=start)
    if idx is None:
        return None
    out_fail, out_conf = fail_time.copy(), confidence.copy()
    if len(idx):
        block = select_kernel(new, paths=False, kernel="numba", seed=seed).block_size
        out_fail[idx - start], out_conf[idx - start] = numba_run_trials(new, seed, idx, block)
    return out_fail, out_conf


def run_compiled(
    c: CompiledScenario,
    trials: int = DEFAULT_TRIALS,
    seed: int = 0,
    *,
    block_size: int | None = None,
    progress: Callable[[int], None] | None = None,
    paths: bool | None = None,
    emb: EmbProfile | None = None,
    threads: int | None = None,
) -> ScenarioResult:
    """Run ``trials`` trials (global indices ``0..trials-1``) of a compiled scenario:
    :func:`combine` of one :func:`run_range` (``paths``, ``block_size``, ``progress``,
    ``threads`` as there; ``emb`` as in :func:`combine`)."""
    if trials < 1:
        raise ValueError(f"trials must be at least 1, got {trials}")
    part = run_range(
        c,
        0,
        trials,
        seed,
        paths=paths,
        block_size=block_size,
        progress=progress,
        threads=threads,
    )
    return combine([part], c, seed=seed, emb=emb)


def simulate_scenario(
    system: ResolvedSystem,
    scenario: Scenario,
    posture: Posture | None = None,
    *,
    trials: int = DEFAULT_TRIALS,
    seed: int = 0,
    block_size: int | None = None,
    progress: Callable[[int], None] | None = None,
    emb: EmbProfile | None = None,
) -> ScenarioResult:
    """One scenario over one resolved system (no controls when ``posture`` is None; ``emb``
    as in :func:`combine`)."""
    post = posture if posture is not None else Posture.neutral(system.n_assets)
    c = compile_scenario(system, scenario, post)
    return run_compiled(c, trials, seed, block_size=block_size, progress=progress, emb=emb)


def simulation_result(
    ws: Workspace, results: Iterable[ScenarioResult], *, trials: int, seed: int
) -> SimulationResult:
    """A workspace's :class:`SimulationResult` from its scenarios' results (sorted by id), as
    :func:`simulate` returns it; for results combined elsewhere (a cluster's trial ranges)."""
    by_id = {r.scenario_id: r for r in results}
    wrong = sorted(sid for sid, r in by_id.items() if (r.trials, r.seed) != (trials, seed))
    if wrong:
        raise ValueError(
            f"scenario(s) {', '.join(wrong)} were not run with {trials} trials, seed {seed}"
        )
    return SimulationResult(
        scenarios={sid: by_id[sid] for sid in sorted(by_id)},
        function_ids=tuple(fn.id for fn in ws.resolved.functions),
        asset_ids=ws.resolved.ids,
        trials=trials,
        seed=seed,
        meta={"emb": ws.emb.id},
        asset_groups=ws.resolved.report_keys,
    )


def _pick_scenarios(ws: Workspace, scenarios: Iterable[str | Scenario] | None) -> list[Scenario]:
    if scenarios is None:
        return ws.scenarios
    picked: list[Scenario] = []
    problems: list[Problem] = []
    for s in scenarios:
        if isinstance(s, Scenario):
            picked.append(s)
        elif s in ws.library.scenarios:
            picked.append(ws.library.scenarios[s])
        else:
            problems.append(
                Problem(
                    file="<arguments>",
                    field="scenario",
                    value=s,
                    message=f"unknown scenario {s!r}",
                    hint=did_you_mean(s, ws.library.scenarios),
                )
            )
    if problems:
        raise InputError(problems, f"{len(problems)} unknown scenario(s)")
    return sorted({s.id: s for s in picked}.values(), key=lambda s: s.id)


def simulate(
    ws: Workspace,
    scenarios: Iterable[str | Scenario] | None = None,
    trials: int = DEFAULT_TRIALS,
    seed: int = 0,
    posture: Posture | None = None,
    block_size: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> SimulationResult:
    """Run threat scenarios over an EMB workspace.

    Parameters
    ----------
    ws
        The loaded workspace.
    scenarios
        Scenario ids (or models); default: the scenarios in scope in ``emb.yaml``.
    trials
        Trials per scenario (default 10,000).
    seed
        Seed in ``[0, 2**64)``; the same seed gives the same numbers for any block size.
    posture
        Control posture; default: :func:`~cyberready.posture.build_posture` of the workspace.
        Pass a what-if posture to compare plans under common random numbers.
    block_size
        Trials per vectorized block (memory/speed only; default: automatic).
    progress
        Called with the number of trials finished after each block (over all scenarios).

    Returns
    -------
    SimulationResult
        Per scenario results, sorted by scenario id, each with its effective likelihood under
        the workspace's threat context (:func:`cyberready.posture.effective_likelihood`) and the
        EMB's ``public_confidence_weight``.
    """
    chosen = _pick_scenarios(ws, scenarios)
    check_trials(trials, len(ws.system.functions), len(chosen))
    post = posture if posture is not None else build_posture(ws)
    results = (
        simulate_scenario(
            ws.resolved,
            sc,
            post,
            trials=trials,
            seed=seed,
            block_size=block_size,
            progress=progress,
            emb=ws.emb,
        )
        for sc in chosen
    )
    return simulation_result(ws, results, trials=trials, seed=seed)
