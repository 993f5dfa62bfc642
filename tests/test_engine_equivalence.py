"""The vectorized engine equals the one-trial-at-a-time reference exactly (same seed), and no
block size changes any number."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from engine_models import random_model
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cyberready.engine import compile_scenario, numba_kernel, run_compiled
from cyberready.engine.kernel import run_block
from cyberready.engine.reference import ReferenceModel, run_reference
from cyberready.engine.results import top_paths
from cyberready.engine.rng import uniform

V2_SEEDS = (12, 30, 36, 41)
"""Random models with counts, a mode: one entry, alternatives groups that a member's
dependencies reach, verification and a function over several phases (checked below)."""


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
    np.testing.assert_array_equal(got.confidence, ref.confidence)
    assert got.paths == top_paths(ref.paths, got.function_ids, got.asset_ids, trials)
    # every path, not only the most frequent five
    c = compile_scenario(rs, sc, posture)
    assert run_block(c, sim_seed, 0, trials, paths=True).paths == ref.paths
    if numba_kernel.available():  # the compiled kernel (``fast`` extra) traces the same paths
        got_numba = numba_kernel.numba_run_block(c, sim_seed, 0, trials, paths=True)
        np.testing.assert_array_equal(got_numba.fail_time, ref.fail_time)
        assert got_numba.paths == ref.paths


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


def test_random_models_exercise_version_2() -> None:
    """Counts, mode: one, alternatives groups, verification and multi-phase functions change
    outcomes in the random models, so their equality above is not vacuous. Each feature is
    checked by what it does: a verification catch, a mode: one pick of a non-first asset that
    succeeds, a group holding because one member is up (making the links required adds
    failures), a count > 1 compromising what single items would not, a failure of a function
    through the phase that is not its first."""
    caught = picked_later = held_by_group = by_counts = fixpoint = 0
    multi_phase_failures = verified_differently = public_events = 0
    for seed in range(40):
        rs, sc, _controls, lv = random_model(seed)
        posture = lv.posture()
        fixpoint += compile_scenario(rs, sc, posture).graph.dep_fixpoint
        ref = run_reference(rs, sc, posture, 100, seed)
        assert ref.caught is not None
        caught += int(ref.caught.sum())
        public_events += ref.confidence_units - int(ref.failures.sum())
        model = ReferenceModel(rs, sc, posture)
        for t in range(100):
            for rule in model.pick_rules:
                att = rule.pick(uniform(rule.key_pick, seed, t))
                if att is not rule.attempts[0] and uniform(att.key_success, seed, t) < att.p:
                    picked_later += 1
        required = dataclasses.replace(rs, link_group=np.full(rs.n_links, -1))
        held_by_group += int((run_reference(required, sc, posture, 100, seed).failures).sum())
        held_by_group -= int(ref.failures.sum())
        single = dataclasses.replace(rs, counts=np.ones(rs.n_assets, dtype=np.int64))
        by_counts += int(
            ref.compromised.sum() - run_reference(single, sc, posture, 100, seed).compromised.sum()
        )
        unverified = dataclasses.replace(posture, verify=None, recheck_at=None, rechecks=())
        plain = run_reference(rs, sc, unverified, 100, seed)
        verified_differently += int((plain.fail_time != ref.fail_time).sum())
        later = [
            fi
            for fi, fn in enumerate(rs.functions)
            if fn.phases[0] not in sc.phases and any(p in sc.phases for p in fn.phases[1:])
        ]
        multi_phase_failures += int(ref.failures[:, later].sum())
    assert caught > 100
    assert verified_differently > 50
    assert picked_later > 100
    assert fixpoint >= 10
    assert held_by_group > 5
    assert by_counts > 200
    assert multi_phase_failures > 50
    assert public_events > 200


@pytest.mark.parametrize("seed", V2_SEEDS)
def test_version_2_models_have_every_feature(seed: int) -> None:
    rs, sc, _controls, lv = random_model(seed)
    c = compile_scenario(rs, sc, lv.posture())
    assert c.graph.dep_fixpoint and c.graph.has_picks and c.verification is not None
    assert (rs.counts > 1).any() and any(len(fn.phases) > 1 for fn in rs.functions)


@pytest.mark.parametrize("seed", [3, 11, 29, *V2_SEEDS])
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
