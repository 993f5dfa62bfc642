"""Risk model v2, pipeline side: public trust in expected loss (hand-solved), the threat
context's effective likelihood, and the controls that enter the risk ranking because they
reassure or verify."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from click.testing import CliRunner
from engine_models import levels, random_model
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from prioritize_models import OUTAGE, build, control, worked_example

import cyberready
from cyberready.cli import main
from cyberready.engine import compile_scenario, run_compiled, simulate
from cyberready.posture import Posture
from cyberready.prioritize import loss_model, prioritize, raise_control, what_if
from cyberready.report import build_view, render
from cyberready.report.models import AdvisorView
from cyberready.workspace import Workspace

DEFACE: dict[str, Any] = {
    "id": "deface",
    "title": "Results site defaced",
    "actor": "hacktivist",
    "objective": "perception",
    "phases": ["voting"],  # publish (results publication) cannot fail in it
    "likelihood": 0.3,
    "entry": [
        {"select": ["site"], "technique": "web_exploit", "probability": 1.0, "time": {"fixed": 1}}
    ],
    "effects": [{"type": "deface"}],
}
COMMS = control("T-COMMS", ["organization"], reassures=0.5, cost=(1000, 1000))


def _with_deface(**changes: Any) -> Workspace:
    """The worked example's outage plus a certain public defacement of ``site``, with a
    phishing control and a reassuring control, both at level 0."""
    data: dict[str, Any] = {
        "scenarios": [OUTAGE, DEFACE],
        "controls": [
            control("T-PH", ["staff_workstation"], mitigates={"phishing": 1.0}, cost=(1000, 3000)),
            COMMS,
        ],
        "answers": {"T-PH": {"level": 0}, "T-COMMS": {"level": 0}},
        "overrides": [],
        **changes,
    }
    return worked_example(**data)


# --------------------------------------------------------------------------- hand-solved


def test_a_certain_public_defacement_costs_a_third_of_the_trust_weight() -> None:
    # C = 1 public event in every trial, no reassuring control in place (level 0), no function
    # in phase: T = 1/3, so expected loss = L x w_pc x 1/3 = 0.3 x 4 / 3
    ws = _with_deface(emb={"public_confidence_weight": 4})
    sim = simulate(ws, scenarios=["deface"], trials=500, seed=3)
    r = sim.scenarios["deface"]
    assert r.p_any_failure == 0.0 and r.function_loss == 0.0
    assert r.public_confidence_weight == 4
    assert abs(r.mean_trust - 1 / 3) <= 1e-12
    assert abs(r.expected_loss - 0.3 * 4 * (1 / 3)) <= 1e-12
    assert abs(sim.expected_loss - 0.3 * 4 / 3) <= 1e-12
    assert r.trust_loss == r.expected_loss
    assert np.allclose(r.trial_loss, 0.3 * 4 / 3, rtol=0, atol=1e-12)


def test_a_threat_context_override_of_zero_gives_exactly_zero_loss() -> None:
    context = {
        "source": "test assessment",
        "scenarios": {
            "outage": {"likelihood": 0, "rationale": "no such campaign on record"},
            "deface": {"likelihood": 0, "rationale": "no such campaign on record"},
        },
    }
    ws = _with_deface(emb={"threat_context": context})
    sim = simulate(ws, trials=400, seed=1)
    for r in sim.scenarios.values():
        assert r.likelihood == 0.0 and r.likelihood_origin == "emb"
        assert r.p_any_failure > 0 or r.mean_trust > 0  # it happens when attempted...
        assert r.expected_loss == 0.0  # ...but is never attempted
        assert not r.trial_loss.any()
    assert sim.expected_loss == 0.0
    assert (sim.cycle_probability == 0.0).all()
    p = prioritize(ws, trials=200, screen_trials=100)
    assert p.baseline == 0.0 and p.ranking == ()  # nothing to gain: every action is readiness


def test_likelihood_one_without_a_threat_context_stays_one() -> None:
    ws = _with_deface()
    r = simulate(ws, scenarios=["outage"], trials=300, seed=2).scenarios["outage"]
    assert ws.emb.threat_context is None
    assert r.likelihood == 1.0 and r.base == 1.0 and r.likelihood_origin == "generic"
    # L = 1: expected loss is exactly the mean per-trial loss of weights and trust
    loss = r.failures.astype(float) @ r.function_weights + 3 * np.minimum(r.confidence, 3) / 3
    assert r.expected_loss == pytest.approx(float(loss.mean()), abs=1e-12)


def test_the_effective_likelihood_reaches_the_priorities() -> None:
    # hacktivist at "none": the defacement's L is 0, so reassurance only pays on the outage
    plain = prioritize(_with_deface(), trials=1_000, screen_trials=500, plan=False)
    calm = prioritize(
        _with_deface(emb={"threat_context": {"source": "t", "actors": {"hacktivist": "none"}}}),
        trials=1_000,
        screen_trials=500,
        plan=False,
    )
    by_id = {r.action.id: r for r in plain.ranking}
    assert by_id["T-COMMS>4"].benefit.by_scenario["deface"] == pytest.approx(0.15, abs=1e-12)
    calm_ids = {r.action.id: r for r in calm.ranking}
    assert calm_ids["T-COMMS>4"].benefit.by_scenario.get("deface", 0.0) == 0.0
    assert calm.baseline < plain.baseline


# --------------------------------------------------------------------------- ranking


def test_a_reassuring_control_gets_a_benefit_where_a_scenario_has_public_events() -> None:
    # defacement: C = 1 -> 0.5 at level 4 (reassures 0.5 at full strength): T from 1/3 to 1/6,
    # benefit 0.3 x 3 x 1/6 = 0.15 exactly; on the outage, every failure's trust halves too
    ws = _with_deface()
    p = prioritize(ws, trials=2_000, screen_trials=500, plan=False)
    rec = {r.action.id: r for r in p.ranking}["T-COMMS>4"]
    b = rec.benefit
    assert b.value > 0 and b.low > 0
    assert b.by_scenario["deface"] == pytest.approx(0.15, abs=1e-12)
    assert b.trust == pytest.approx(b.value, abs=1e-12)  # it saves no function, only trust
    assert not b.by_function and not b.p_cycle
    assert "public trust" in rec.explain()
    assert "T-COMMS>4" not in {r.action.id for r in p.readiness}
    # the ranking's estimate stopped at b.trials (the sequential rule): it is the what-if on
    # those same first trials, to the last bit; --exact runs all 2,000, as what_if does
    assert b.trials < 2_000
    w = what_if(ws, ["T-COMMS>4"], trials=b.trials, seed=0)
    assert w.benefit.value == pytest.approx(b.value, abs=1e-12)
    exact = prioritize(ws, trials=2_000, screen_trials=500, plan=False, exact=True)
    full = {r.action.id: r for r in exact.ranking}["T-COMMS>4"].benefit
    w = what_if(ws, ["T-COMMS>4"], trials=2_000, seed=0)
    assert full.trials == 2_000 and w.benefit.value == pytest.approx(full.value, abs=1e-12)


def test_reassurance_reweighs_cached_trials_and_matches_a_full_re_simulation() -> None:
    # reassurance scales each trial's public-confidence units and nothing else, so the loss
    # model re-weighs the trials it has instead of running them again; the numbers are those
    # of a full simulation with the action applied (what_if), to the last bit
    ws = _with_deface()
    model = loss_model(ws, trials=800, seed=4)
    model.loss()
    runs = model.runs
    calm = raise_control(ws, "T-COMMS", 4)
    for actions in ([calm], [calm, raise_control(ws, "T-PH", 4)]):
        mine = model.benefit(frozenset(actions))
        w = what_if(ws, actions, trials=800, seed=4)
        assert mine.value == pytest.approx(w.benefit.value, abs=1e-12)
        assert mine.se == pytest.approx(w.benefit.se, abs=1e-12)
        assert mine.trust == pytest.approx(w.benefit.trust, abs=1e-12)
        assert model.loss(frozenset(actions))[0] == pytest.approx(w.after, abs=1e-12)
    assert model.runs == runs + 1  # only T-PH needed a new run (of the one scenario it changes)


def test_a_reassuring_control_without_anything_public_stays_out_of_the_ranking() -> None:
    # no scenario can cost trust (deface not public, no function in its phase): readiness only
    quiet = {**DEFACE, "effects": [{"type": "deface", "visibility": "internal"}]}
    ws = _with_deface(scenarios=[quiet])
    p = prioritize(ws, trials=200, screen_trials=100, plan=False)
    reason = {r.action.id: r.reason for r in p.readiness}["T-COMMS>4"]
    assert "public incident or a failure" in reason


TALLY_FN = {
    "id": "tabulate",
    "title": "Tabulate results",
    "weight": 5,
    "phase": "results_publication",
    "max_tolerable_outage_hours": 48,  # a 24 h recheck is tolerable: a caught alteration is safe
    "requires": [{"any": ["tally"]}],
}
ALTER = {
    "id": "alter",
    "title": "Tally altered by an insider",
    "actor": "insider",
    "objective": "integrity",
    "phases": ["results_publication"],
    "likelihood": 0.5,
    "entry": [
        {"select": ["tally"], "technique": "insider_misuse", "probability": 0.6,
         "time": {"fixed": 1}}
    ],
    "effects": [{"type": "alter", "targets": {"types": ["tally_server"]}}],
}  # fmt: skip
VERIFY = {"probability": 0.5, "recheck": {"fixed": 24}}


def _verified() -> Workspace:
    return build(
        controls=[
            control("T-VER", ["tally_server"], verifies=VERIFY, cost=(1000, 1000)),
            control("T-VER-WEB", ["results_website"], verifies=VERIFY, cost=(1000, 1000)),
        ],
        assets=[
            {"id": "tally", "type": "tally_server"},
            {"id": "site", "type": "results_website", "exposure": "internet"},
        ],
        links=[],
        functions=[TALLY_FN],
        scenarios=[ALTER],
        answers={"T-VER": {"level": 0}, "T-VER-WEB": {"level": 0}},
    )


def test_a_verifying_control_enters_the_ranking_where_a_scenario_alters_its_assets() -> None:
    ws = _verified()
    model = loss_model(ws, trials=100)
    assert model.scenarios_of(raise_control(ws, "T-VER", 4)) == {"alter"}
    assert model.scenarios_of(raise_control(ws, "T-VER-WEB", 4)) == frozenset()
    p = prioritize(ws, trials=200, screen_trials=100, plan=False)
    reason = {r.action.id: r.reason for r in p.readiness}["T-VER-WEB>4"]
    assert "alters an asset it verifies" in reason


@pytest.mark.skipif(
    not hasattr(Posture(n_assets=1), "verify"), reason="the engine does not verify yet"
)
def test_a_verifying_control_gets_a_benefit_where_a_scenario_alters_results() -> None:
    # altered with 0.6; verified at level 4 with 0.5, the asset then out 24 h (< 48 h): the
    # function fails with 0.3 instead of 0.6. Loss per failure: 0.5 x (5 + 3 x 1/3) = 3
    p = prioritize(_verified(), trials=20_000, screen_trials=2_000, plan=False)
    rec = {r.action.id: r for r in p.ranking}["T-VER>4"]
    assert rec.benefit.value == pytest.approx(3 * 0.3, abs=4 * rec.benefit.se)
    assert rec.benefit.p_cycle["tabulate"] == pytest.approx(0.5 * 0.3, abs=0.02)


# --------------------------------------------------------------------------- monotone


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    model_seed=st.integers(0, 2**31 - 1),
    reassures=st.floats(0.05, 1.0),
    low=st.integers(0, 4),
    step=st.integers(0, 4),
    sim_seed=st.integers(0, 2**64 - 1),
)
def test_raising_a_reassuring_control_never_raises_expected_loss(
    model_seed: int, reassures: float, low: int, step: int, sim_seed: int
) -> None:
    rs, sc, controls, _lv = random_model(model_seed)
    calm = {"id": "C-CALM", "applies_to": ["organization"], "effects": {"reassures": reassures}}
    answers = {c["id"]: (model_seed + k) % 5 for k, c in enumerate(controls)}
    before = levels(rs, [*controls, calm], {**answers, "C-CALM": low})
    after = before.raised("C-CALM", min(4, low + step))
    graph = compile_scenario(rs, sc, before.posture()).graph
    r0 = run_compiled(graph.bind(before.posture()), 300, sim_seed)
    r1 = run_compiled(graph.bind(after.posture()), 300, sim_seed)
    assert (r1.failures == r0.failures).all()  # reassurance changes no failure...
    assert (r1.trial_loss <= r0.trial_loss + 1e-12).all()  # ...and no trial's loss rises
    assert r1.mean_trust <= r0.mean_trust + 1e-12
    assert r1.expected_loss <= r0.expected_loss + 1e-12


def test_random_models_lose_trust_so_the_property_has_teeth() -> None:
    lowered = 0
    for seed in range(30):
        rs, sc, controls, _lv = random_model(seed)
        calm = {"id": "C-CALM", "applies_to": ["organization"], "effects": {"reassures": 0.8}}
        lv = levels(rs, [*controls, calm], {"C-CALM": 0})
        graph = compile_scenario(rs, sc, lv.posture()).graph
        r0 = run_compiled(graph.bind(lv.posture()), 200, seed)
        r1 = run_compiled(graph.bind(lv.raised("C-CALM", 4).posture()), 200, seed)
        lowered += int(r1.expected_loss < r0.expected_loss)
    assert lowered >= 10


# --------------------------------------------------------------------------- reports


SOURCE = "Canary national threat assessment, March 2026"
RATIONALE = "No shutdown recorded since 1990"


@pytest.fixture(scope="module")
def threatened(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example with a threat context: an EMB figure, a low and a high actor level."""
    root = tmp_path_factory.mktemp("threat") / "examplia"
    shutil.copytree(cyberready.example_path(), root)
    emb = yaml.safe_load((root / "emb.yaml").read_text(encoding="utf-8"))
    emb["scenarios"] = ["internet-shutdown", "results-site-ddos", "website-defacement"]
    emb["public_confidence_weight"] = 5
    emb["threat_context"] = {
        "source": SOURCE,
        "actors": {"government": "low", "hacktivist": "high"},
        "scenarios": {"internet-shutdown": {"likelihood": 0.02, "rationale": RATIONALE}},
    }
    (root / "emb.yaml").write_text(yaml.safe_dump(emb, sort_keys=False), encoding="utf-8")
    return root


def test_reports_show_the_threat_context_and_where_each_likelihood_comes_from(
    threatened: Path,
) -> None:
    result = cyberready.assess(threatened, trials=300, seed=0, priorities=False)
    assert result.simulation is not None
    lik = {s: r.likelihood for s, r in result.simulation.scenarios.items()}
    # the EMB's figure; base 0.3 x 2 (high); base 0.35 x 2 = 0.7 (under the 0.95 cap)
    assert lik == pytest.approx(
        {"internet-shutdown": 0.02, "website-defacement": 0.6, "results-site-ddos": 0.7}
    )
    technical = render(build_view(result, "technical"), "md").decode()
    assert SOURCE in technical and "Government: low; Hacktivist: high" in technical
    assert f"set by the EMB (generic 20%): {RATIONALE}" in technical
    assert "generic 30%, Hacktivist at threat level high" in technical
    assert "counts as 5 weight points for this EMB" in technical
    advisor = build_view(result, "advisor")
    assert isinstance(advisor, AdvisorView) and advisor.threat_context is not None
    assumptions = {a.name: a.value for a in advisor.assumptions}
    assert SOURCE in assumptions["Likelihoods"]
    # the donor view says a context was used, and nothing of what it says
    donor = build_view(result, "donor")
    assert donor.meta.threat_context is True
    for fmt in ("md", "json", "html"):
        text = render(donor, fmt).decode()
        for secret in (SOURCE, RATIONALE, "threat level", "Government: low"):
            assert secret not in text, (fmt, secret)
    assert "follow the EMB's own threat context" in render(donor, "md").decode()


def test_without_a_threat_context_reports_say_generic_likelihoods_were_used() -> None:
    result = cyberready.assess(
        cyberready.example_path(), trials=100, seed=0, priorities=False, graph=False
    )
    for audience in ("technical", "donor"):
        text = render(build_view(result, audience), "md").decode()
        assert "Generic likelihoods were used" in text, audience


def test_simulate_shows_base_and_effective_likelihood(threatened: Path) -> None:
    runner = CliRunner()
    out = runner.invoke(main, ["simulate", str(threatened), "--trials", "200", "--json"])
    assert out.exit_code == 0, out.output
    data = {s["scenario"]: s for s in json.loads(out.output)["scenarios"]}
    shutdown = data["internet-shutdown"]
    assert (shutdown["likelihood"], shutdown["base_likelihood"]) == (0.02, 0.2)
    assert shutdown["likelihood_origin"] == "emb" and RATIONALE in shutdown["likelihood_note"]
    assert data["website-defacement"]["likelihood_origin"] == "actor"
    assert shutdown["public_confidence_weight"] == 5
    assert shutdown["expected_loss"] == pytest.approx(
        shutdown["function_loss"] + shutdown["trust_loss"]
    )
    table = runner.invoke(main, ["simulate", str(threatened), "--trials", "200"])
    assert table.exit_code == 0
    row = next(line for line in table.output.splitlines() if line.startswith("internet-shutdown"))
    assert row.split()[1:4] == ["0.020", "0.200", "emb"]
    assert "mean C" not in table.output and "counts as 5 weight points" in table.output


def test_the_documented_split_run_gives_the_numbers_of_one_run() -> None:
    """docs/risk.md's example runs, and its ranges combine into simulate's own result."""
    doc = (Path(__file__).parents[1] / "docs" / "risk.md").read_text(encoding="utf-8")
    code = doc.split("```python\n", 1)[1].split("```", 1)[0]
    ws = cyberready.load_workspace(cyberready.example_path())
    names: dict[str, Any] = {"cyberready": cyberready, "ws": ws}
    exec(compile(code, "docs/risk.md", "exec"), names)
    whole = simulate(ws, trials=2_000, seed=0)
    split = names["sim"]
    assert list(split.scenarios) == list(whole.scenarios)
    for sid, r in whole.scenarios.items():
        assert (split.scenarios[sid].fail_time == r.fail_time).all(), sid
        assert (split.scenarios[sid].confidence == r.confidence).all(), sid
        assert split.scenarios[sid].paths == r.paths, sid
    assert split.expected_loss == whole.expected_loss
    assert names["assessed"].simulation is split


def test_assess_refuses_a_simulation_that_does_not_match() -> None:
    ws = cyberready.load_workspace(cyberready.example_path())
    sim = simulate(ws, scenarios=["website-defacement"], trials=50, seed=0)
    with pytest.raises(ValueError, match="in-scope scenarios"):
        cyberready.assess(ws, trials=50, seed=0, simulation=sim, priorities=False)
    with pytest.raises(ValueError, match="trials"):
        cyberready.assess(ws, trials=60, seed=0, simulation=sim, priorities=False)
