"""Combining scenarios (docs/trial-model.md), DataFrames, JSON and the notebook view."""

from __future__ import annotations

import json

import numpy as np
import pytest
from engine_models import entry, function, scenario, system

from cyberready.engine import ScenarioResult, SimulationResult, simulate_scenario, wilson

RS = system(
    [("a", "tally_server"), ("b", "results_website")],
    [],
    [
        function("tally", [{"all": ["a"]}], weight=5),
        function("publish", [{"all": ["b"]}], weight=2),
        function("count", [{"all": ["a"]}], phase="counting"),
    ],
)


def _combined() -> SimulationResult:
    one = simulate_scenario(
        RS, scenario([entry(["a"], 0.5)], sid="one", likelihood=0.2), trials=4000, seed=1
    )
    two = simulate_scenario(
        RS, scenario([entry(["a", "b"], 0.3)], sid="two", likelihood=0.5), trials=4000, seed=1
    )
    return SimulationResult(
        scenarios={"one": one, "two": two},
        function_ids=one.function_ids,
        asset_ids=one.asset_ids,
        trials=4000,
        seed=1,
    )


def test_losses_add_and_cycle_probability_combines_independent_campaigns() -> None:
    res = _combined()
    one, two = res.scenarios["one"], res.scenarios["two"]

    # expected loss = likelihood * (sum_f weight_f * P_f + w_pc * mean T), with T = min(C, 3)/3
    # and C = failed functions here (no public effect, no reassurance); scenarios add
    def trust(r: ScenarioResult) -> float:
        failed = r.failures.sum(axis=1)
        return float(np.mean(np.minimum(failed, 3) / 3))

    assert one.public_confidence_weight == two.public_confidence_weight == 3
    assert one.mean_trust == pytest.approx(trust(one)) and one.mean_trust > 0
    assert one.expected_loss == pytest.approx(0.2 * (5 * one.p_fail[0] + 3 * trust(one)))
    assert two.expected_loss == pytest.approx(
        0.5 * (5 * two.p_fail[0] + 2 * two.p_fail[1] + 3 * trust(two))
    )
    assert one.trust_loss == pytest.approx(0.2 * 3 * trust(one))
    assert one.loss_by_function.sum() == pytest.approx(0.2 * 5 * one.p_fail[0])
    assert res.expected_loss == pytest.approx(one.expected_loss + two.expected_loss)
    assert res.trust_loss == pytest.approx(one.trust_loss + two.trust_loss)
    assert one.trial_loss.mean() == pytest.approx(one.expected_loss, rel=1e-12)
    # P(f fails this cycle) = 1 - prod_s (1 - likelihood_s * P_s(f))
    expected = 1 - (1 - 0.2 * one.p_fail) * (1 - 0.5 * two.p_fail)
    np.testing.assert_allclose(res.cycle_probability, expected)
    assert res.cycle_probability[2] == 0.0  # counting is in no scenario's phases
    assert [f for f, _p, _s in res.top_risks()] == ["tally", "publish"]


def test_frames_json_and_html() -> None:
    res = _combined()
    functions = res.to_frame()
    assert len(functions) == 2 * 3
    assert {"scenario", "function", "p_fail", "p_fail_low", "p_fail_high", "expected_loss"} <= set(
        functions.columns
    )
    assert (functions["p_fail_low"] <= functions["p_fail"]).all()
    assert (functions["p_fail"] <= functions["p_fail_high"]).all()
    assert len(res.to_frame("assets")) == 2 * 2
    assert list(res.to_frame("scenarios")["scenario"]) == ["one", "two"]
    assert set(res.to_frame("paths")["function"]) <= {"tally", "publish"}
    with pytest.raises(ValueError, match="view"):
        res.to_frame("nope")  # type: ignore[arg-type]  # an unknown view, on purpose
    scen = res.to_frame("scenarios")
    assert {"mean_trust", "trust_loss", "public_confidence_weight", "base_likelihood"} <= set(
        scen.columns
    )
    assert scen["trust_loss"].sum() == pytest.approx(res.trust_loss)
    data = json.loads(json.dumps(res.to_dict()))
    assert [s["scenario"] for s in data["scenarios"]] == ["one", "two"]
    assert data["trust_loss"] == pytest.approx(res.trust_loss)
    first = data["scenarios"][0]
    assert first["expected_loss"] == pytest.approx(first["function_loss"] + first["trust_loss"])
    assert first["public_confidence_weight"] == 3 and 0 < first["mean_trust"] <= 1
    html = res._repr_html_()
    assert "one" in html and "two" in html and "trust loss" in html
    assert "tally" in res.scenarios["one"]._repr_html_()
    assert "public trust" in res.scenarios["one"]._repr_html_()


def test_wilson_contains_the_estimate_and_narrows_with_trials() -> None:
    lo, hi = wilson(np.array([0, 30, 100]), 100)
    assert lo[0] == 0.0 and hi[2] == 1.0
    assert lo[1] < 0.3 < hi[1]
    lo2, hi2 = wilson(np.array([300]), 1000)
    assert hi2[0] - lo2[0] < hi[1] - lo[1]
