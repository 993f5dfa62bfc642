"""The compiled kernel (``fast`` extra) gives exactly the numpy kernel's numbers and attack paths,
and the kernel choice (numba or numpy, block size) never changes a result."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from engine_models import random_model

from cyberready.engine import compile_scenario, run_compiled
from cyberready.engine.kernel import BlockOutput, run_block

pytest.importorskip("numba")

from cyberready.engine import numba_kernel


def assert_same(a: BlockOutput, b: BlockOutput) -> None:
    np.testing.assert_array_equal(a.fail_time, b.fail_time)
    np.testing.assert_array_equal(a.compromised, b.compromised)
    np.testing.assert_array_equal(a.detected, b.detected)
    assert a.confidence_units == b.confidence_units
    np.testing.assert_array_equal(a.confidence, b.confidence)
    assert a.paths == b.paths


@pytest.mark.parametrize("seed", range(60))
def test_compiled_equals_numpy_on_random_models(seed: int) -> None:
    rs, sc, _controls, lv = random_model(seed)
    c = compile_scenario(rs, sc, lv.posture())
    for start, stop in [(0, 250), (250, 401)]:
        want = run_block(c, seed * 104729, start, stop, paths=True)
        got = numba_kernel.numba_run_block(c, seed * 104729, start, stop, paths=True)
        assert_same(got, want)
        assert not numba_kernel.numba_run_block(c, seed * 104729, start, stop).paths


def test_traced_paths_are_many_and_long_so_their_equality_is_not_vacuous() -> None:
    """The random models compared above fail through dozens of distinct paths, many of two
    steps or more, one path per failing trial."""
    distinct = multi_step = 0
    for seed in range(60):
        rs, sc, _controls, lv = random_model(seed)
        c = compile_scenario(rs, sc, lv.posture())
        out = numba_kernel.numba_run_block(c, seed * 104729, 0, 250, paths=True)
        assert sum(out.paths.values()) == int(np.isfinite(out.fail_time).any(axis=1).sum())
        distinct += len(out.paths)
        multi_step += sum(n for p, n in out.paths.items() if len(p) > 3)
    assert distinct > 50 and multi_step > 80


def test_random_models_fail_and_detect_so_equality_is_not_vacuous() -> None:
    failures = detected = compromised = 0
    for seed in range(20):
        rs, sc, _controls, lv = random_model(seed)
        out = numba_kernel.numba_run_block(compile_scenario(rs, sc, lv.posture()), seed, 0, 200)
        failures += int(np.isfinite(out.fail_time).sum())
        detected += int(out.detected.sum())
        compromised += int(out.compromised.sum())
    assert failures > 100 and detected > 100 and compromised > 1000


def test_random_models_compared_with_numpy_use_every_version_2_feature() -> None:
    """Among the 60 models compared above, many spread outages through alternatives groups
    (the compiled fixed point), verify alterations, pick with mode: one and count items."""
    fixpoint = verified = picks = counted = 0
    for seed in range(60):
        rs, sc, _controls, lv = random_model(seed)
        c = compile_scenario(rs, sc, lv.posture())
        fixpoint += c.graph.dep_fixpoint
        verified += c.verification is not None
        picks += c.graph.has_picks
        counted += bool((rs.counts > 1).any())
    assert min(fixpoint, verified, picks, counted) >= 10


def test_block_size_changes_nothing_in_the_compiled_kernel() -> None:
    rs, sc, _controls, lv = random_model(7)
    c = compile_scenario(rs, sc, lv.posture())
    whole = numba_kernel.numba_run_block(c, 3, 0, 600)
    parts = [numba_kernel.numba_run_block(c, 3, a, a + 150) for a in range(0, 600, 150)]
    np.testing.assert_array_equal(np.concatenate([p.fail_time for p in parts]), whole.fail_time)
    np.testing.assert_array_equal(sum(p.compromised for p in parts), whole.compromised)
    np.testing.assert_array_equal(sum(p.detected for p in parts), whole.detected)
    assert sum(p.confidence_units for p in parts) == whole.confidence_units


def test_selection_uses_numba_with_or_without_paths_on_large_models() -> None:
    rs, sc, _controls, lv = random_model(3)
    c = compile_scenario(rs, sc, lv.posture())
    assert numba_kernel.select_kernel(c, paths=False, min_assets=0).name == "numba"
    assert numba_kernel.select_kernel(c, paths=True, min_assets=0).name == "numba"
    small = numba_kernel.select_kernel(c, paths=True)  # a small model: not worth compiling
    assert small.name == "numpy" and "fewer than" in small.reason
    assert numba_kernel.select_kernel(c, paths=True, kernel="numpy").name == "numpy"
    traced = numba_kernel.select_kernel(c, paths=True, kernel="numba", block_size=100)
    assert_same(traced.run_block(c, 8, 0, 100, paths=True), run_block(c, 8, 0, 100, paths=True))
    with pytest.raises(ValueError, match="kernel must be"):
        numba_kernel.select_kernel(c, paths=False, kernel="fortran")  # type: ignore[arg-type]  # unknown, on purpose


def test_block_size_follows_the_memory_budget() -> None:
    rs, sc, _controls, lv = random_model(11)
    c = compile_scenario(rs, sc, lv.posture())
    roomy = numba_kernel.select_kernel(c, paths=False, kernel="numba", memory_budget=1 << 30)
    tight = numba_kernel.select_kernel(c, paths=False, kernel="numba", memory_budget=1 << 16)
    assert tight.block_size < roomy.block_size
    assert tight.block_size >= 1
    assert numba_kernel.select_kernel(c, paths=False, block_size=17).block_size == 17
    assert (
        numba_kernel.select_kernel(c, paths=False, kernel="numba", block_size=17).block_size == 17
    )
    numpy_tight = numba_kernel.select_kernel(c, paths=False, kernel="numpy", memory_budget=1 << 16)
    assert numpy_tight.block_size < numba_kernel.MAX_BLOCK
    # the numpy choice keeps scratch buffers between blocks and still equals the plain kernel
    assert_same(numpy_tight.run_block(c, 2, 0, 300), run_block(c, 2, 0, 300))
    assert_same(numpy_tight.run_block(c, 2, 300, 310), run_block(c, 2, 300, 310))


def test_a_full_run_through_the_choice_equals_run_compiled() -> None:
    rs, sc, _controls, lv = random_model(21)
    c = compile_scenario(rs, sc, lv.posture())
    want = run_compiled(c, 1000, 5, paths=False)
    choice = numba_kernel.select_kernel(c, paths=False, kernel="numba", memory_budget=1 << 14)
    assert choice.block_size < 1000  # several blocks
    outs = [
        choice.run_block(c, 5, a, min(1000, a + choice.block_size))
        for a in range(0, 1000, choice.block_size)
    ]
    np.testing.assert_array_equal(np.concatenate([o.fail_time for o in outs]), want.fail_time)
    np.testing.assert_array_equal(sum(o.compromised for o in outs), want.compromised)
    np.testing.assert_array_equal(sum(o.detected for o in outs), want.detected)


def test_compiled_equals_numpy_on_a_generated_national_model(tmp_path: Path) -> None:
    """The EMB-shaped benchmark workspace: at_least over thousands of kits, a protects_data
    group fed by data copies, dependency hubs, posture from an assessment with overrides."""
    import cyberready
    from benchmarks.generators import write_emb_workspace
    from cyberready.posture import build_posture

    write_emb_workspace(tmp_path / "emb", 3000, seed=2)
    ws = cyberready.load_workspace(tmp_path / "emb")
    posture = build_posture(ws)
    for sc in ws.scenarios:
        c = compile_scenario(ws.resolved, sc, posture)
        want = run_block(c, 9, 0, 120, paths=True)
        got = numba_kernel.numba_run_block(c, 9, 0, 120, paths=True)
        assert_same(got, want)
        assert np.isfinite(want.fail_time).any() and want.paths, sc.id


def test_draw_census_counts_every_entry_attempt() -> None:
    rs, sc, _controls, lv = random_model(4)
    c = compile_scenario(rs, sc, lv.posture())
    draws, compromised = numba_kernel.draw_census(c, trials=50)
    assert draws >= c.graph.n_entries
    assert 0 <= compromised <= rs.n_assets


def test_degenerate_scenarios_match_too() -> None:
    """No propagation, an entry that matches nothing, no function in phase, the worked
    example: the compiled kernel agrees with numpy on each."""
    from engine_models import entry, function, scenario, spread, system

    from cyberready.posture import Posture

    rs = system(
        [
            ("ws", "staff_workstation"),
            ("host", "data_center"),
            ("site", "results_website"),
            ("mirror", "results_website"),
        ],
        [("ws", "host", "connects_to"), ("site", "host", "hosted_on")],
        [function("publish", [{"any": ["site", "mirror"]}])],
    )
    cases = [
        scenario([entry(["ws"], 0.5), entry(["mirror"], 0.3)], [spread(["connects_to"], 0.6)]),
        scenario([entry(["ws"], 0.5)]),
        scenario([entry({"types": ["vendor"]}, 0.5), entry(["mirror"], 0.3)]),
        scenario([entry(["mirror"], 0.9)], phases=["voting"]),
    ]
    worked = None
    for sc in cases:
        c = compile_scenario(rs, sc, Posture.neutral(rs.n_assets))
        got = numba_kernel.numba_run_block(c, 1, 0, 20_000, paths=True)
        assert_same(got, run_block(c, 1, 0, 20_000, paths=True))
        worked = worked if worked is not None else got
    assert worked is not None
    # docs/trial-model.md worked example: P(publish fails) = 0.3 × (0.5 × 0.6) = 0.09
    assert abs(np.isfinite(worked.fail_time[:, 0]).mean() - 0.09) < 0.01


def test_simulate_picks_the_compiled_kernel_on_a_large_model_and_gets_numpy_numbers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a user runs (``cyberready.simulate``) on a national-size model takes the compiled
    path by itself, and every number equals the numpy kernel's on the same seed."""
    import cyberready
    from benchmarks.generators import write_emb_workspace
    from cyberready.engine import PATHS_MAX_ASSETS
    from cyberready.posture import build_posture

    chosen: list[str] = []
    real_select = numba_kernel.select_kernel

    def spy(*args: Any, **kwargs: Any) -> numba_kernel.KernelChoice:
        choice = real_select(*args, **kwargs)
        chosen.append(choice.name)
        return choice

    monkeypatch.setattr(numba_kernel, "select_kernel", spy)
    write_emb_workspace(tmp_path / "emb", PATHS_MAX_ASSETS + 2000, seed=5)
    ws = cyberready.load_workspace(tmp_path / "emb")
    assert ws.resolved.n_assets > PATHS_MAX_ASSETS  # no path tracing: the compiled kernel fits
    result = cyberready.simulate(ws, trials=300, seed=4)
    assert chosen and set(chosen) == {"numba"}
    posture = build_posture(ws)
    for sc in ws.scenarios:
        c = compile_scenario(ws.resolved, sc, posture)
        want = run_block(c, 4, 0, 300)
        got = result.scenarios[sc.id]
        np.testing.assert_array_equal(got.fail_time, want.fail_time)
        np.testing.assert_array_equal(got.compromised, want.compromised)
        np.testing.assert_array_equal(got.detected, want.detected)
        assert got.confidence_units == want.confidence_units


def test_the_radix_heaps_leading_zero_count_is_right_with_or_without_numbas_intrinsic() -> None:
    # the radix heap files each time by the highest bit in which it differs from the last time
    # popped; the portable count stands in should a numba lack the intrinsic
    import numba

    @numba.njit
    def both(xs: Any) -> Any:
        out = np.empty((len(xs), 2), np.int64)
        for i in range(len(xs)):
            out[i, 0] = numba_kernel._clz64(xs[i])
            out[i, 1] = numba_kernel._leading_zeros(xs[i])
        return out

    rng = np.random.default_rng(3)
    xs = np.concatenate(
        [
            np.uint64(1) << np.arange(64, dtype=np.uint64),
            (rng.integers(1, 2**63, 200, dtype=np.uint64) | np.uint64(1 << 62))
            >> rng.integers(0, 63, 200).astype(np.uint64),  # (never zero: undefined there)
            np.array([2**64 - 1], dtype=np.uint64),
        ]
    )
    expected = [64 - int(x).bit_length() for x in xs]
    got = both(xs)
    assert got[:, 0].tolist() == expected
    assert got[:, 1].tolist() == expected
