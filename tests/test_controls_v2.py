"""Content v2 for controls: every shipped effect changes a shipped outcome, the key controls act
where an EMB would expect them to, plans recover instead of preventing what others decide, costs
stay sane on national models, and partners' practices are scored apart from the EMB's own.

"From 0 to 4" always means: the example's assessment as shipped, except that the control under
test is answered 0 (its overrides dropped), then one action raises it to 4 everywhere it applies;
before and after run on the same trials (common random numbers, :func:`what_if`).
"""

from __future__ import annotations

import dataclasses
from functools import cache

import pytest

import cyberready
from cyberready.assess import AssessmentResult
from cyberready.models import Framework
from cyberready.models.assessment import Answer
from cyberready.models.framework import Control
from cyberready.posture import asset_levels
from cyberready.prioritize import WhatIf, raise_control, what_if
from cyberready.report import build_view, render
from cyberready.report.models import AdvisorView, DonorView, TechnicalView
from cyberready.workspace import Workspace

EXAMPLES = ("examplia", "tarvonia", "vardenia")
TRIALS = {"examplia": 2_000, "tarvonia": 1_000, "vardenia": 1_000}
LIBRARY = cyberready.load_workspace(cyberready.example_path()).library
EMB_CONTROLS: list[tuple[Framework, Control]] = sorted(
    (
        (fw, c)
        for fw in LIBRARY.frameworks.values()
        for c in fw.controls
        if fw.subject_of(c) == "emb"
    ),
    key=lambda fc: fc[1].id,
)
WITH_EFFECTS = [c.id for _fw, c in EMB_CONTROLS if not c.effects.empty]

# For each shipped control with effects, one (example, scenario) pair where raising it from 0 to
# 4 lowers the scenario's expected loss. Found once by raising every control on every example
# against every scenario; the test below re-checks each pair for real. A new control with
# effects must get a pair here (the coverage test says which are missing).
PAIRS: dict[str, tuple[str, str]] = {
    "ECBS-VR-02": ("examplia", "registration-portal-exploit"),
    "ECBS-VR-03": ("examplia", "phished-local-credential"),
    "ECBS-VR-04": ("examplia", "phished-local-credential"),
    "ECBS-VR-05": ("examplia", "phished-local-credential"),
    "ECBS-VR-06": ("examplia", "register-copy-leak"),
    "ECBS-VR-07": ("examplia", "register-copy-leak"),
    "ECBS-VR-08": ("examplia", "register-copy-leak"),
    "ECBS-VR-09": ("examplia", "ransomware-shared-it"),
    "ECBS-VR-10": ("examplia", "registration-deadline-ddos"),
    "ECBS-RM-01": ("examplia", "tally-supply-chain"),
    "ECBS-RM-02": ("examplia", "results-transmission-interference"),
    "ECBS-RM-03": ("examplia", "internet-shutdown"),
    "ECBS-RM-04": ("examplia", "tally-supply-chain"),
    "ECBS-RM-05": ("examplia", "usb-malware-isolated-systems"),
    "ECBS-RM-06": ("examplia", "usb-malware-isolated-systems"),
    "ECBS-RM-07": ("examplia", "results-site-ddos"),
    "ECBS-RM-08": ("examplia", "falsified-results-display"),
    "ECBS-RM-09": ("examplia", "count-centre-tampering"),
    "ECBS-RM-10": ("examplia", "tally-sheet-tampering"),
    "ECBS-RM-11": ("examplia", "totalisation-capacity-failure"),
    "ECBS-RM-12": ("examplia", "outage-misread-as-attack"),
    "ECBS-RM-13": ("examplia", "tally-sheet-tampering"),
    "ECBS-RM-14": ("examplia", "count-centre-tampering"),
    "ECBS-RM-15": ("examplia", "ballot-definition-tampering"),
    "ECBS-RM-16": ("tarvonia", "ballot-printing-supply-chain"),
    "ECBS-RM-17": ("examplia", "transmission-failure-sms-fallback"),
    "ECBS-GOV-05": ("examplia", "vendor-spear-phishing"),
    "ECBS-GOV-06": ("examplia", "hack-and-leak-disinformation"),
    "ECBS-GOV-07": ("examplia", "ransomware-shared-it"),
    "ECBS-GOV-08": ("examplia", "usb-malware-isolated-systems"),
    "ECBS-GOV-09": ("examplia", "ransomware-shared-it"),
    "ECBS-GOV-10": ("examplia", "internet-shutdown"),
    "ECBS-GOV-11": ("examplia", "website-defacement"),
    "ECBS-GOV-12": ("examplia", "destructive-malware-pre-election"),
    "ECBS-GOV-13": ("examplia", "tally-supply-chain"),
    "ECBS-GOV-14": ("examplia", "register-copy-leak"),
    "ECBS-GOV-15": ("examplia", "website-defacement"),
    "ECBS-GOV-16": ("examplia", "website-defacement"),
    "ECBS-GOV-17": ("examplia", "totalisation-capacity-failure"),
    "ECBS-GOV-18": ("examplia", "vendor-update-outage"),
    "ECBS-GOV-19": ("tarvonia", "fake-results-announcement"),
    "ECBS-GOV-20": ("examplia", "hosted-register-withheld"),
    "ECBS-GOV-21": ("examplia", "website-defacement"),
    "TCG-EMB-01": ("examplia", "ransomware-shared-it"),
    "TCG-EMB-02": ("examplia", "voting-process-disinformation"),
    "TCG-EMB-03": ("examplia", "voting-process-disinformation"),
    "TCG-EMB-04": ("examplia", "internet-shutdown"),
    "TCG-EMB-05": ("tarvonia", "official-sim-swap"),
    "TCG-EMB-06": ("examplia", "fake-results-announcement"),
    "TCG-EMB-07": ("examplia", "fake-results-announcement"),
    "TCG-EMB-09": ("examplia", "phished-local-credential"),
    "ECBS-VR-11": ("examplia", "lost-registration-kit"),
}

# Controls with effects that no shipped scenario can yet show, each with the scenario that comes
# closest: the test below fails as soon as raising the control changes that scenario's loss, so
# that the control moves into PAIRS.
AWAITING_A_SCENARIO: dict[str, tuple[str, str, str]] = {}

# Events that someone else decides (a government, the grid, a supplier, the hardware): a shipped
# control may shorten them (recovers), never make them less likely (mitigates).
DECIDED_BY_OTHERS = ("connectivity_shutdown", "equipment_failure", "service_withdrawal")


@cache
def workspace(example: str) -> Workspace:
    return cyberready.load_workspace(cyberready.example_path(example))


def at_zero(ws: Workspace, control_id: str) -> Workspace:
    """The workspace with ``control_id`` answered 0 and its overrides dropped."""
    assert ws.assessment is not None
    answers = {**ws.assessment.answers, control_id: Answer(level=0)}
    overrides = tuple(o for o in ws.assessment.overrides if o.control != control_id)
    assessment = ws.assessment.model_copy(update={"answers": answers, "overrides": overrides})
    return dataclasses.replace(ws, assessment=assessment)


def zero_to_four(example: str, control_id: str, scenario: str) -> WhatIf:
    ws = at_zero(workspace(example), control_id)
    action = raise_control(ws, control_id, 4, levels=asset_levels(ws))
    return what_if(ws, [action], trials=TRIALS[example], seed=0, scenarios=[scenario])


def loss(w: WhatIf, scenario: str) -> tuple[float, float]:
    return (
        w.baseline.scenarios[scenario].expected_loss,
        w.results.scenarios[scenario].expected_loss,
    )


# --------------------------------------------------------------------------- no dead effects


def test_every_control_with_effects_has_a_pair_and_no_pair_is_stale() -> None:
    assert len(WITH_EFFECTS) > 40  # not vacuous: the shipped controls load
    assert sorted(set(WITH_EFFECTS) - set(PAIRS) - set(AWAITING_A_SCENARIO)) == []
    assert sorted((set(PAIRS) | set(AWAITING_A_SCENARIO)) - set(WITH_EFFECTS)) == []
    assert not set(PAIRS) & set(AWAITING_A_SCENARIO)


@pytest.mark.parametrize("control_id", sorted(PAIRS))
def test_raising_the_control_from_0_to_4_lowers_the_loss_of_its_scenario(control_id: str) -> None:
    example, scenario = PAIRS[control_id]
    assert scenario in {s.id for s in workspace(example).scenarios}
    before, after = loss(zero_to_four(example, control_id, scenario), scenario)
    assert after < before, f"{control_id} on {example}/{scenario}: {before:.5f} -> {after:.5f}"


@pytest.mark.parametrize("control_id", sorted(AWAITING_A_SCENARIO))
def test_a_control_awaiting_a_scenario_still_has_no_effect_there(control_id: str) -> None:
    example, scenario, _why = AWAITING_A_SCENARIO[control_id]
    w = zero_to_four(example, control_id, scenario)
    assert w.actions[0].n_assets > 0  # not vacuous: the control applies there
    before, after = loss(w, scenario)
    assert before > 0
    assert after == before, f"{control_id} now acts on {example}/{scenario}: move it to PAIRS"


@pytest.mark.parametrize(
    "control", [c for _fw, c in EMB_CONTROLS if c.effects.empty], ids=lambda c: c.id
)
def test_a_control_without_effects_says_why_in_its_guidance(control: Control) -> None:
    assert "no effect in the simulation" in control.guidance


def test_partner_practices_say_why_they_have_no_effect() -> None:
    partners = [
        c
        for fw in LIBRARY.frameworks.values()
        for c in fw.controls
        if fw.subject_of(c) == "partner"
    ]
    assert partners
    for c in partners:
        assert c.effects.empty
        assert "no effect in the simulation" in c.guidance


# --------------------------------------------------------------------------- the key controls


def test_reconciliation_catches_altered_results_in_both_tally_scenarios() -> None:
    for scenario in ("tally-supply-chain", "insider-tally-centre"):
        before, after = loss(zero_to_four("examplia", "ECBS-RM-01", scenario), scenario)
        assert after < before, scenario


def test_reconciliation_rechecks_faster_than_the_results_functions_tolerate() -> None:
    # a verification whose recheck outlasts the function's tolerance gains nothing
    found = LIBRARY.control("ECBS-RM-01")
    assert found is not None
    ctl = found[1]
    assert ctl.effects.verifies is not None
    recheck = ctl.effects.verifies.recheck
    tolerances = []
    for ex in EXAMPLES:
        system = workspace(ex).resolved
        checked = system.mask(ctl.applies_selector)
        for f in system.functions:
            members = [i for g in f.requires for i in system.select(g.members).tolist()]
            if any(checked[i] for i in members):
                tolerances.append(f.max_tolerable_outage_hours)
    assert len(tolerances) >= 6  # not vacuous: every example's results functions
    p90 = recheck.lognormal.p90 if recheck.lognormal is not None else None
    assert p90 is not None and p90 < min(tolerances)


def test_controlled_sharing_protects_the_register_copies_that_leak() -> None:
    before, after = loss(
        zero_to_four("examplia", "ECBS-VR-07", "register-copy-leak"), "register-copy-leak"
    )
    assert after < before


def test_a_shutdown_plan_shortens_outages_without_making_the_shutdown_less_likely() -> None:
    w = zero_to_four("examplia", "TCG-EMB-04", "internet-shutdown")
    base, raised = (
        w.baseline.scenarios["internet-shutdown"],
        w.results.scenarios["internet-shutdown"],
    )
    assert (base.p_compromise == raised.p_compromise).all()
    assert base.p_compromise.max() > 0.5  # not vacuous: the shutdown happens
    assert raised.p_any_failure < base.p_any_failure
    assert raised.expected_loss < base.expected_loss


@pytest.mark.parametrize("scenario", ["fake-results-announcement", "hack-and-leak-disinformation"])
def test_crisis_communication_lowers_the_loss_of_perception_scenarios(scenario: str) -> None:
    w = zero_to_four("examplia", "ECBS-GOV-11", scenario)
    before, after = loss(w, scenario)
    assert after < before
    assert w.results.scenarios[scenario].trust_loss < w.baseline.scenarios[scenario].trust_loss


def test_no_shipped_control_makes_an_event_others_decide_less_likely() -> None:
    offenders = [
        f"{c.id} mitigates {t}"
        for fw in LIBRARY.frameworks.values()
        for c in fw.controls
        for t in DECIDED_BY_OTHERS
        if t in c.effects.mitigates
    ]
    assert offenders == []


def test_a_paper_policy_for_a_technical_control_protects_little() -> None:
    for cid in ("ECBS-VR-03", "ECBS-GOV-06", "ECBS-GOV-08"):
        found = LIBRARY.control(cid)
        assert found is not None
        fw, ctl = found
        assert fw.curve_of(ctl)[2] <= 0.3, cid
        assert fw.curve_of(ctl)[4] == 1.0


# --------------------------------------------------------------------------- costs


@pytest.mark.parametrize("example", EXAMPLES)
def test_no_single_control_costs_more_than_the_budget_on_any_example(example: str) -> None:
    ws = at_zero_everywhere(workspace(example))
    levels = asset_levels(ws)
    budget = ws.emb.budget_usd
    assert budget
    dear = {}
    in_scope = {c.id for c in levels.controls}
    for _fw, c in EMB_CONTROLS:
        if c.id not in in_scope:
            continue
        cost = raise_control(ws, c.id, 4, levels=levels).cost
        if cost.high > budget:
            dear[c.id] = cost.describe()
    assert dear == {}, f"budget {budget:,.0f} USD"


def at_zero_everywhere(ws: Workspace) -> Workspace:
    """Every EMB control answered 0, so that an action pays for every asset it applies to."""
    assert ws.assessment is not None
    answers = {
        **ws.assessment.answers,
        **{c.id: Answer(level=0) for _fw, c in EMB_CONTROLS},
    }
    assessment = ws.assessment.model_copy(update={"answers": answers, "overrides": ()})
    return dataclasses.replace(ws, assessment=assessment)


def test_plans_contracts_and_training_are_not_priced_per_asset() -> None:
    per_asset = [
        c.id
        for fw in LIBRARY.frameworks.values()
        for c in fw.controls
        if c.effort.per_asset_usd is not None
        and (c.organization_wide or c.effects.recovers or c.effects.reassures)
    ]
    assert per_asset == []


# --------------------------------------------------------------------------- partners


def test_partner_practices_are_scored_apart_from_the_emb() -> None:
    ws = workspace("examplia")
    assert ws.assessment is not None
    partners = [c.id for fw in ws.frameworks for c in fw.controls if fw.subject_of(c) == "partner"]
    assert partners and all(p in ws.assessment.answers for p in partners)
    r = cyberready.score(ws)
    assert r.partners is not None
    assert {c.control for c in r.partner_controls} == set(partners)
    assert not {c.control for c in r.controls} & set(partners)
    # raising every partner practice to 4 moves their score, not the EMB's
    raised = ws.assessment.model_copy(
        update={"answers": {**ws.assessment.answers, **{p: Answer(level=4) for p in partners}}}
    )
    r4 = cyberready.score(ws, assessment=raised)
    assert r4.partners is not None and r4.partners.score == 100
    assert r4.overall.score == r.overall.score
    assert r4.frameworks == r.frameworks
    assert r.partners.score is not None and r.partners.score < 100


def test_partner_practices_are_not_simulated_nor_ranked() -> None:
    levels = asset_levels(workspace("examplia"))
    assert not any(c.id.startswith("ECBS-DP-") for c in levels.controls)


def test_advisors_and_donors_see_the_partner_practices_the_it_team_does_not(
    examplia_quick: AssessmentResult,
) -> None:
    result = examplia_quick  # the session's quick assessment of Examplia (conftest)
    advisor = build_view(result, "advisor")
    donor = build_view(result, "donor")
    technical = build_view(result, "technical")
    assert isinstance(advisor, AdvisorView) and isinstance(donor, DonorView)
    assert type(technical) is TechnicalView and "partners" not in TechnicalView.model_fields
    for view in (advisor, donor):
        assert view.partners is not None
        assert view.partners.practices[0].control_id == "ECBS-DP-01"
    md = render(donor, "md").decode()
    assert "International partners' practices" in md and "ECBS-DP-03" in md
