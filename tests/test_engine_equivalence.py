"""The vectorized engine equals the one-trial-at-a-time reference exactly (same seed), and no
block size changes any number."""

from __future__ import annotations

import numpy as np
import pytest
from engine_models import random_model
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cyberready.engine import compile_scenario, run_compiled
from cyberready.engine.reference import run_reference
from cyberready.engine.results import top_paths


def _assert_same(seed: int, trials: int, sim_seed: int) -> None:
    rs, sc, _controls, lv = random_model(seed)
    posture = lv.posture()
    ref = run_reference(rs, sc, posture, trials, sim_seed)
    got = run_compiled(compile_scenario(rs, sc, posture), trials, sim_seed, block_size=97)
    np.testing.assert_array_equal(got.failure_counts, ref.failures.sum(axis=0))
    np.testing.assert_array_equal(got.failures, ref.failures)
    np.testing.assert_array_equal(got.fail_time, ref.fail_time)
    np.testing.assert_array_equal(got.compromised, ref.compromised)
    np.testing.assert_array_equal(got.detected, ref.detected)
    assert got.confidence_units == ref.confidence_units
    assert got.paths == top_paths(ref.paths, got.function_ids, got.asset_ids, trials)


@pytest.mark.parametrize("seed", range(40))
def test_engine_counts_equal_reference_on_random_models(seed: int) -> None:
    _assert_same(seed, trials=300, sim_seed=seed * 7919)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(model_seed=st.integers(0, 2**31 - 1), sim_seed=st.integers(0, 2**64 - 1))
def test_engine_equals_reference_hypothesis(model_seed: int, sim_seed: int) -> None:
    _assert_same(model_seed, trials=120, sim_seed=sim_seed)


def test_random_models_exercise_every_feature() -> None:
    """The generator really produces detection, every effect and every group type, and the
    reference sees failures of every kind — so the equality above is not vacuous."""
    seen: set[str] = set()
    failures = detections = 0
    for seed in range(40):
        rs, sc, _controls, lv = random_model(seed)
        seen |= {e.type for e in sc.effects}
        seen |= {g.mode for fn in rs.functions for g in fn.requires}
        ref = run_reference(rs, sc, lv.posture(), 100, seed)
        failures += int(ref.failures.sum())
        detections += int(ref.detected.sum())
    assert {"disrupt", "alter", "leak", "deface", "any", "all", "at_least"} <= seen
    assert failures > 100
    assert detections > 100


@pytest.mark.parametrize("seed", [3, 11, 29])
def test_block_size_changes_nothing(seed: int) -> None:
    rs, sc, _controls, lv = random_model(seed)
    c = compile_scenario(rs, sc, lv.posture())
    runs = [run_compiled(c, 5000, 42, block_size=b) for b in (64, 1000, 4096)]
    first = runs[0]
    for other in runs[1:]:
        np.testing.assert_array_equal(other.fail_time, first.fail_time)
        np.testing.assert_array_equal(other.compromised, first.compromised)
        np.testing.assert_array_equal(other.detected, first.detected)
        assert other.confidence_units == first.confidence_units
        assert other.mean_confidence == first.mean_confidence
        assert other.paths == first.paths
        np.testing.assert_array_equal(other.ttf_quantiles(), first.ttf_quantiles())


def test_trial_subsets_match_the_full_run() -> None:
    """A trial's outcome depends on its global index only, not on which run it is in."""
    rs, sc, _controls, lv = random_model(5)
    posture = lv.posture()
    full = run_compiled(compile_scenario(rs, sc, posture), 400, 9)
    ref = run_reference(rs, sc, posture, range(300, 400), 9)
    np.testing.assert_array_equal(full.fail_time[300:], ref.fail_time)
