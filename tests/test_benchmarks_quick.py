"""The benchmark harness at 10^3 assets, for correctness only (no speed is asserted): both
generators are deterministic, the EMB workspace goes through the ordinary loader and CLI, and on
every regime the engine's counts equal the reference's for the same trials."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from benchmarks.generators import hierarchy_shape, random_graph, write_emb_workspace
from benchmarks.run import REGIMES, Point, WorkerResult, build_model, render, run_point
from cyberready.cli import main


def test_random_graph_is_deterministic_and_mostly_forward() -> None:
    a, b = random_graph(2000, seed=4), random_graph(2000, seed=4)
    np.testing.assert_array_equal(a.system.link_src, b.system.link_src)
    np.testing.assert_array_equal(a.system.link_dst, b.system.link_dst)
    assert not np.array_equal(random_graph(2000, seed=5).system.link_dst, a.system.link_dst)
    s = a.system
    forward = np.mean(s.link_dst > s.link_src)
    assert 0.93 < forward < 0.99
    assert 2.5 < s.n_links / s.n_assets < 3.1  # Poisson(3) less dropped repeats
    assert len(s.tags["entry"]) == 8 and int(s.tags["entry"].max()) < 20
    assert len(s.tags["critical"]) == 16 and int(s.tags["critical"].min()) >= 1000


def test_emb_workspace_has_the_shape_it_promises_and_validates(tmp_path: Path) -> None:
    shape = write_emb_workspace(tmp_path / "emb", 5000, seed=1)
    assert shape == hierarchy_shape(5000, seed=1)
    assert abs(shape.n_assets - 5000) <= 3
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "emb")])
    assert result.exit_code == 0, result.output
    model = build_model("emb", 5000, 1, tmp_path / "again")
    assert model.system.n_assets == shape.n_assets
    assert sorted(model.scenarios) == ["narrow", "posture", "wide"]
    # the update server is a hub: it supplies every kit and e-pollbook
    hub = model.system.position("update-server")
    assert int(np.sum(model.system.link_src == hub)) >= 2 * shape.stations


def test_the_version_2_workspace_validates_and_uses_every_v2_feature(tmp_path: Path) -> None:
    from cyberready.engine import compile_scenario

    write_emb_workspace(tmp_path / "v2", 3000, seed=2, version2=True)
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "v2")])
    assert result.exit_code == 0, result.output
    model = build_model("emb-v2", 3000, 2, tmp_path / "again")
    c = compile_scenario(model.system, model.scenarios["v2"], model.posture)
    assert c.graph.dep_fixpoint and c.graph.has_picks and c.verification is not None
    assert int(model.system.counts.max()) > 1


@pytest.mark.slow
@pytest.mark.parametrize("generator", ["emb", "random", "emb-v2"])
def test_engine_counts_equal_reference_counts_at_1000_assets(
    generator: str, tmp_path: Path
) -> None:
    model = build_model(generator, 1000, 0, tmp_path)
    points = []
    for regime in REGIMES[generator]:
        p = run_point(
            generator,
            regime,
            model,
            target=0.2,
            ref_max=30.0,
            repeats=1,
            rng_numpy=1e7,
            rng_numba=None,
            seed=3,
        )
        assert p.reference_trials >= 1
        assert p.kernels, regime
        for k in p.kernels.values():
            assert k.matches_reference is True, (regime, k.name)
            assert k.throughput > 0
        assert 0 < p.reach < 1
        points.append(p)
    # the regimes spread as their names say
    reach = {p.regime: p.reach for p in points}
    if generator != "emb-v2":
        assert reach["narrow"] < reach["wide"]
    assert "| " + generator + " |" in render([_result(generator, points)], _meta())


def _result(generator: str, points: list[Point]) -> WorkerResult:
    return WorkerResult(
        generator=generator,
        size=1000,
        n_assets=points[0].n_assets,
        build_seconds=0.0,
        max_rss_mb=0.0,
        rng_numpy=1e7,
        rng_numba=None,
        points=points,
    )


def _meta() -> dict[str, object]:
    return {
        "date": "today",
        "command": "pytest",
        "elapsed_minutes": 0.0,
        "machine": dict.fromkeys(
            ("cpu", "cores", "memory", "python", "numpy", "scipy", "numba", "commit"), "x"
        ),
        "load_start": "0",
        "load_end": "0",
    }
