"""Reusing unchanged trials across what-ifs (docs/risk.md, "One pipeline"): the engine's
``rerun_changed`` and the priorities built on it give the numbers of re-simulating everything,
bit for bit.

The oracle is the plain path: a full run of every posture (``run_compiled``), and a
:class:`~cyberready.prioritize.LossModel` or :func:`~cyberready.prioritize.prioritize` whose
runner is not the engine's own (so it cannot reuse anything). Non-vacuity guards check that the
cases really reuse some trials, re-run others, and include actions that touch only some
scenarios.
"""

from __future__ import annotations

import dataclasses
import random

import numpy as np
import pytest
from engine_models import random_model as engine_random_model
from prioritize_models import random_model

from cyberready.engine import (
    ScenarioResult,
    compile_scenario,
    numba_kernel,
    rerun_changed,
    run_compiled,
)
from cyberready.models import Scenario
from cyberready.posture import AssetLevels, Posture
from cyberready.prioritize import Action, candidate_actions, engine_runner, loss_model, prioritize
from cyberready.prioritize._benefit import LossModel, Runner
from cyberready.workspace import Workspace

pytestmark = pytest.mark.skipif(
    not numba_kernel.available(), reason="reuse needs the compiled kernel (the fast extra)"
)

TRIALS = 400


def _raised(lv: AssetLevels, rnd: random.Random) -> AssetLevels:
    """The levels with one or two controls raised to 4 where they apply."""
    rows = rnd.sample(range(len(lv.control_ids)), k=min(2, len(lv.control_ids)))
    levels = lv.levels.copy()
    for c in rows:
        levels[c] = np.where(lv.applicable[c], 4, lv.levels[c])
    return dataclasses.replace(lv, levels=levels)


def test_rerun_changed_gives_the_rows_of_a_full_run_on_random_models() -> None:
    reused = rerun = fallbacks = 0
    for seed in range(40):
        rs, sc, _controls, lv = engine_random_model(seed)
        rnd = random.Random(seed)
        ref_c = compile_scenario(rs, sc, lv.posture())
        ref = run_compiled(ref_c, TRIALS, seed, paths=False)
        new_c = ref_c.rebind(_raised(lv, rnd).posture())
        full = run_compiled(new_c, TRIALS, seed, paths=False)
        got = rerun_changed(ref_c, new_c, ref.fail_time, ref.confidence, seed)
        if got is None:
            fallbacks += 1
            continue
        np.testing.assert_array_equal(got[0], full.fail_time)
        np.testing.assert_array_equal(got[1], full.confidence)
        idx = numba_kernel.changed_trials(ref_c, new_c, seed, TRIALS)
        assert idx is not None
        rerun += len(idx)
        reused += TRIALS - len(idx)
    # the cases must both reuse and re-run trials, and rarely fall back
    assert reused > 0
    assert rerun > 0
    assert fallbacks < 10


def test_the_trials_that_change_are_among_those_run_again() -> None:
    rs, sc, _controls, lv = engine_random_model(3)
    c = compile_scenario(rs, sc, lv.posture())
    ref = run_compiled(c, TRIALS, 0, paths=False)
    nothing = c.replace(entry_p=np.zeros_like(c.entry_p))  # no entry succeeds any more
    idx = numba_kernel.changed_trials(c, nothing, 0, TRIALS)
    assert idx is not None
    # the trials whose rows change are among those run again
    got = rerun_changed(c, nothing, ref.fail_time, ref.confidence, 0)
    assert got is not None
    full = run_compiled(nothing, TRIALS, 0, paths=False)
    np.testing.assert_array_equal(got[0], full.fail_time)
    assert 0 < len(idx) <= TRIALS
    assert changed_rows(ref.fail_time, full.fail_time) <= set(idx.tolist())


def changed_rows(a: np.ndarray, b: np.ndarray) -> set[int]:
    return set(np.flatnonzero((a != b).any(axis=1)).tolist())


def test_rerun_changed_refuses_bindings_of_another_graph() -> None:
    rs, sc, _controls, lv = engine_random_model(1)
    c = compile_scenario(rs, sc, lv.posture())
    other = compile_scenario(rs, sc, lv.posture())  # same numbers, another graph object
    ref = run_compiled(c, 50, 0, paths=False)
    assert rerun_changed(c, other, ref.fail_time, ref.confidence, 0) is None


def _plain_runner(ws: Workspace) -> Runner:
    """The engine's runner behind a plain function: a loss model cannot reuse trials with it."""
    inner = engine_runner(ws)

    def run(scenario: Scenario, posture: Posture, trials: int, seed: int) -> ScenarioResult:
        return inner(scenario, posture, trials, seed)

    return run


def test_loss_model_benefits_are_those_of_re_simulating_everything() -> None:
    partial = 0
    for seed in range(6):
        ws = random_model(seed)
        acts = candidate_actions(ws)
        fast = loss_model(ws, trials=TRIALS, seed=seed)
        slow = LossModel(
            fast.system,
            fast.levels,
            list(fast.scenarios.values()),
            TRIALS,
            seed,
            _plain_runner(ws),
        )
        assert fast.reuse and not slow.reuse
        every = set(fast.scenarios)
        prefix: frozenset[Action] = frozenset()
        for a in acts:
            single = frozenset({a})
            assert fast.benefit(single).to_dict() == slow.benefit(single).to_dict()
            assert (
                fast.benefit(single, base=prefix).to_dict()
                == slow.benefit(single, base=prefix).to_dict()
            )
            prefix = prefix | single
            assert fast.benefit(prefix).to_dict() == slow.benefit(prefix).to_dict()
            partial += bool(fast.scenarios_of(a)) and fast.scenarios_of(a) != every
        assert fast.loss() == slow.loss()
        assert fast.runs == slow.runs
    assert partial > 0  # some actions touch only some of the scenarios


def test_prioritize_gives_the_numbers_of_re_simulating_everything() -> None:
    for seed in (0, 3):
        ws = random_model(seed)
        fast = prioritize(
            ws, budget_usd=20_000, trials=600, screen_trials=200, seed=seed, leaders=4
        )
        slow = prioritize(
            ws,
            budget_usd=20_000,
            trials=600,
            screen_trials=200,
            seed=seed,
            leaders=4,
            runner=_plain_runner(ws),
        )
        assert fast.to_dict() == slow.to_dict()
        assert fast.ranking  # something was ranked
