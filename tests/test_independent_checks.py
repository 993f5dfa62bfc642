"""Checks that do not trust the code they check.

The golden report views in ``tests/golden/`` are written by the code itself
(``CYBERREADY_UPDATE_GOLDEN=1``), so comparing against them only proves that nothing changed,
not that the numbers were right. Here the Wilson interval is compared with SciPy's, and what
the golden views pin is recomputed from the raw simulation arrays or checked for internal
consistency (totals equal their rows, the donor view names no asset).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from report_workspace import write_workspace
from scipy.stats import binomtest, norm

import cyberready
from cyberready.assess import AssessmentResult
from cyberready.engine.results import wilson

GOLDEN = Path(__file__).parent / "golden"
TRIALS, SEED = 400, 3
"""As in tests/test_report_views.py, which writes the golden views."""


# --------------------------------------------------------------------------- Wilson interval


@pytest.mark.parametrize("confidence", [0.8, 0.9, 0.95, 0.99])
@pytest.mark.parametrize("n", [1, 7, 50, 400, 10_000])
def test_wilson_matches_scipy(n: int, confidence: float) -> None:
    ks = sorted({0, 1, n // 3, n // 2, n - 1, n})
    z = float(norm.ppf((1 + confidence) / 2))
    lo, hi = wilson(np.array(ks), n, z=z)
    for k, ours_lo, ours_hi in zip(ks, lo, hi, strict=True):
        ci = binomtest(k, n).proportion_ci(confidence_level=confidence, method="wilson")
        assert ours_lo == pytest.approx(ci.low, abs=1e-12), (k, n, confidence)
        assert ours_hi == pytest.approx(ci.high, abs=1e-12), (k, n, confidence)


def test_wilson_default_is_95_percent() -> None:
    lo, hi = wilson(np.array([13]), 100)
    ci = binomtest(13, 100).proportion_ci(confidence_level=0.95, method="wilson")
    assert (float(lo[0]), float(hi[0])) == pytest.approx((ci.low, ci.high), abs=1e-12)


# --------------------------------------------------------------------------- golden views


def _golden(audience: str) -> Any:
    return json.loads((GOLDEN / f"report-{audience}.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> AssessmentResult:
    root = write_workspace(tmp_path_factory.mktemp("rep") / "ws")
    return cyberready.assess(root, trials=TRIALS, seed=SEED)


def test_the_golden_views_come_from_this_run() -> None:
    for audience in ("technical", "advisor", "donor"):
        meta = _golden(audience)["meta"]
        assert (meta["trials"], meta["seed"]) == (TRIALS, SEED)


def test_the_donor_golden_names_no_asset() -> None:
    """TLP:GREEN: neither an asset's id nor its label appears anywhere in the donor view."""
    technical = _golden("technical")
    names = {a["asset_id"] for a in technical["assets"]} | {a["label"] for a in technical["assets"]}
    names |= {n["asset_id"] for n in technical["graph_nodes"]}
    assert len(names) >= 5
    donor_text = (GOLDEN / "report-donor.json").read_text(encoding="utf-8")
    for name in names:
        assert name not in donor_text, name
    assert "assets" not in _golden("donor")


def test_the_donor_plan_totals_are_the_sums_of_its_priorities() -> None:
    donor = _golden("donor")
    plan, rows = donor["plan"], donor["priorities"]
    assert rows
    assert plan["actions"] == sum(r["actions"] for r in rows)
    for key in ("cost_low", "cost_high", "risk_reduction_share", "next_cycle_share"):
        assert plan[key] == pytest.approx(sum(r[key] for r in rows), abs=1e-8), key
    assert [r["rank"] for r in rows] == list(range(1, len(rows) + 1))
    assert plan["cost_low"] <= plan["cost_high"]


def test_the_donor_golden_coarsens_the_technical_failure_chances() -> None:
    """The donor view shows each function's chance of failing this cycle, rounded coarsely,
    in the technical view's order."""
    technical = {f["title"]: f["p_fail"] for f in _golden("technical")["functions"]}
    donor = _golden("donor")["functions"]
    assert [f["title"] for f in donor] == list(technical)
    for f in donor:
        assert abs(f["p_fail"] - technical[f["title"]]) <= 0.005 + 1e-12, f


def test_the_readiness_is_the_mean_of_its_frameworks() -> None:
    """One framework here: the overall score, interval and tier are that framework's."""
    readiness = _golden("donor")["readiness"]
    frameworks = readiness["frameworks"]
    assert readiness["score"] == pytest.approx(
        sum(f["score"] for f in frameworks) / len(frameworks), abs=1e-8
    )
    for f in frameworks:
        assert f["low"] <= f["score"] <= f["high"]


def test_the_golden_failure_chances_recomputed_from_the_trials(result: AssessmentResult) -> None:
    """``P(f fails this cycle) = 1 - prod_s (1 - likelihood_s * failed trials / trials)``,
    counted here from each scenario's per-trial failure times."""
    sim = result.simulation
    assert sim is not None
    golden = {f["function_id"]: f["p_fail"] for f in _golden("technical")["functions"]}
    assert set(golden) == set(sim.function_ids)
    for i, fid in enumerate(sim.function_ids):
        keep = 1.0
        for r in sim.scenarios.values():
            failed = int(np.count_nonzero(np.isfinite(r.fail_time[:, i])))
            keep *= 1.0 - r.likelihood * failed / r.trials
        assert golden[fid] == pytest.approx(1.0 - keep, abs=1e-9), fid


def test_the_golden_expected_loss_recomputed_from_the_trials(result: AssessmentResult) -> None:
    """Expected loss: per scenario, likelihood × the mean over trials of the weights of the
    failed functions plus ``w_pc × min(confidence units × reassurance, 3) / 3``, summed."""
    sim = result.simulation
    assert sim is not None
    total = 0.0
    for r in sim.scenarios.values():
        failed = np.isfinite(r.fail_time)
        weights = np.asarray(r.function_weights, dtype=np.float64)
        trust = np.minimum(r.confidence * r.reassurance, 3.0) / 3.0
        per_trial = failed.astype(np.float64) @ weights + r.public_confidence_weight * trust
        total += r.likelihood * float(per_trial.mean())
    assert _golden("technical")["expected_loss"] == pytest.approx(total, abs=1e-8)


def test_the_golden_compromise_chances_recomputed_from_the_trials(
    result: AssessmentResult,
) -> None:
    """An asset's chance of compromise this cycle, from the per-scenario compromise counts
    (assets shown one per row: groups of one)."""
    sim = result.simulation
    assert sim is not None
    rows = {a["asset_id"]: a for a in _golden("technical")["assets"]}
    checked = 0
    for j, aid in enumerate(sim.asset_ids):
        if aid not in rows or rows[aid]["group_size"] != 1 or rows[aid]["spread"] is not None:
            continue
        keep = 1.0
        for r in sim.scenarios.values():
            keep *= 1.0 - r.likelihood * int(r.compromised[j]) / r.trials
        assert rows[aid]["p_compromise"] == pytest.approx(1.0 - keep, abs=1e-9), aid
        checked += 1
    assert checked >= 3
