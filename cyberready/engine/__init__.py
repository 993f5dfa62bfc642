"""The Monte Carlo engine: threat scenarios over an EMB's dependency graph (DESIGN §4).

Layers, each usable on its own:

* :mod:`~cyberready.engine.rng` — counter-based randomness shared by everything.
* :mod:`~cyberready.engine.reference` — the trial model in plain Python, one trial at a time.
* :mod:`~cyberready.engine.compile` — scenario + system (+ posture) -> flat arrays, once.
* :mod:`~cyberready.engine.kernel` — the vectorized numpy kernel, one block of trials at a time.
* :mod:`~cyberready.engine.results` — per-scenario and combined results, DataFrames, HTML.

>>> import cyberready
>>> from cyberready.engine import simulate
>>> ws = cyberready.load_workspace(cyberready.example_path())
>>> result = simulate(ws, scenarios=["website-defacement"], trials=200)
>>> result.scenarios["website-defacement"].trials
200
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

import numpy as np

from cyberready.assets import ResolvedSystem
from cyberready.engine.compile import CompiledScenario, ScenarioGraph, compile_scenario, prepare
from cyberready.engine.kernel import BlockOutput, Scratch, run_block
from cyberready.engine.results import (
    PathCount,
    ScenarioResult,
    SimulationResult,
    top_paths,
    wilson,
)
from cyberready.errors import InputError, Problem, did_you_mean
from cyberready.models import Scenario
from cyberready.posture import Posture, build_posture
from cyberready.threat import Likelihood, effective_likelihood

if TYPE_CHECKING:
    from cyberready.workspace import Workspace

__all__ = [
    "DEFAULT_TRIALS",
    "PATHS_MAX_ASSETS",
    "BlockOutput",
    "CompiledScenario",
    "PathCount",
    "ScenarioGraph",
    "ScenarioResult",
    "Scratch",
    "SimulationResult",
    "auto_block_size",
    "compile_scenario",
    "prepare",
    "run_block",
    "run_compiled",
    "simulate",
    "simulate_scenario",
    "wilson",
]

DEFAULT_TRIALS = 10_000
PATHS_MAX_ASSETS = 10_000
"""Attack paths are traced for models up to this many assets."""
_BLOCK_BUDGET = 1 << 22
"""Target number of (trial, asset) / (trial, entry attempt) cells per block (two float64
scratch buffers of this many cells: 64 MB)."""


def auto_block_size(c: CompiledScenario) -> int:
    """A block size that keeps per-block arrays to a few tens of MB (results never depend on
    it)."""
    g = c.graph
    width = max(g.n_assets, g.n_entries, 1)
    return int(min(8192, max(8, _BLOCK_BUDGET // width)))


def run_compiled(
    c: CompiledScenario,
    trials: int = DEFAULT_TRIALS,
    seed: int = 0,
    *,
    block_size: int | None = None,
    progress: Callable[[int], None] | None = None,
    paths: bool | None = None,
    likelihood: Likelihood | None = None,
) -> ScenarioResult:
    """Run ``trials`` trials (global indices ``0..trials-1``) of a compiled scenario.

    ``progress`` is called with the number of trials finished after each block. ``paths``
    defaults to tracing attack paths when the model has at most
    :data:`PATHS_MAX_ASSETS` assets. ``likelihood`` is the scenario's effective likelihood for
    the EMB (default: its base likelihood, as without a threat context).
    """
    if trials < 1:
        raise ValueError(f"trials must be at least 1, got {trials}")
    if block_size is not None and block_size < 1:
        raise ValueError(f"block_size must be at least 1, got {block_size}")
    g = c.graph
    want_paths = g.n_assets <= PATHS_MAX_ASSETS if paths is None else paths
    from cyberready.engine.numba_kernel import select_kernel

    # numpy or the compiled kernel (fast extra), whichever suits the model; identical results
    kernel = select_kernel(c, paths=want_paths, block_size=block_size, seed=seed)
    block = kernel.block_size
    fail_time = np.empty((trials, len(g.function_ids)))
    compromised = np.zeros(g.n_assets, dtype=np.int64)
    detected = np.zeros(g.n_assets, dtype=np.int64)
    confidence = np.zeros(trials, dtype=np.int64)
    found: Counter[tuple[int, ...]] = Counter()
    for start in range(0, trials, block):
        stop = min(trials, start + block)
        out = kernel.run_block(c, seed, start, stop, paths=want_paths)
        fail_time[start:stop] = out.fail_time
        compromised += out.compromised
        detected += out.detected
        confidence[start:stop] = out.confidence
        found.update(out.paths)
        if progress is not None:
            progress(stop - start)
    sc = g.scenario
    lik = likelihood if likelihood is not None else effective_likelihood(sc, None)
    return ScenarioResult(
        scenario_id=sc.id,
        title=sc.title,
        likelihood=lik.value,
        base_likelihood=lik.base,
        likelihood_origin=lik.origin,
        likelihood_note=lik.describe(),
        trials=trials,
        seed=seed,
        function_ids=g.function_ids,
        function_weights=g.function_weights,
        in_phase=g.in_phase,
        asset_ids=g.asset_ids,
        fail_time=fail_time,
        compromised=compromised,
        detected=detected,
        confidence=confidence,
        reassurance=c.reassurance,
        paths=top_paths(found, g.function_ids, g.asset_ids, trials) if want_paths else (),
        not_applicable=g.not_applicable,
    )


def simulate_scenario(
    system: ResolvedSystem,
    scenario: Scenario,
    posture: Posture | None = None,
    *,
    trials: int = DEFAULT_TRIALS,
    seed: int = 0,
    block_size: int | None = None,
    progress: Callable[[int], None] | None = None,
    likelihood: Likelihood | None = None,
) -> ScenarioResult:
    """One scenario over one resolved system (no controls when ``posture`` is None;
    ``likelihood`` as in :func:`run_compiled`)."""
    post = posture if posture is not None else Posture.neutral(system.n_assets)
    c = compile_scenario(system, scenario, post)
    return run_compiled(
        c, trials, seed, block_size=block_size, progress=progress, likelihood=likelihood
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
        the workspace's threat context (:func:`cyberready.threat.effective_likelihood`).
    """
    chosen = _pick_scenarios(ws, scenarios)
    post = posture if posture is not None else build_posture(ws)
    results = {
        sc.id: simulate_scenario(
            ws.resolved,
            sc,
            post,
            trials=trials,
            seed=seed,
            block_size=block_size,
            progress=progress,
            likelihood=effective_likelihood(sc, ws.emb.threat_context),
        )
        for sc in chosen
    }
    return SimulationResult(
        scenarios=results,
        function_ids=tuple(fn.id for fn in ws.resolved.functions),
        asset_ids=ws.resolved.ids,
        trials=trials,
        seed=seed,
        meta={"emb": ws.emb.id},
    )
