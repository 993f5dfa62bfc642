"""Prioritised risk reduction (docs/risk.md): candidates, costs, benefits, plans, roadmap.

Small hand-made models (``prioritize_models``) with probabilities worked out by hand; the
shipped example only where the issue asks for it (the what-if check of the top three).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
import random
from typing import Literal

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from prioritize_models import OUTAGE, random_model, worked_example

import cyberready
from cyberready.errors import InputError
from cyberready.models import Selector
from cyberready.models.assessment import PhaseWindow
from cyberready.models.vocab import Phase
from cyberready.posture import asset_levels, levels_from
from cyberready.prioritize import (
    NEXT_CYCLE,
    Action,
    Benefit,
    Priorities,
    apply_actions,
    budget_plan,
    candidate_actions,
    exhaustive_plan,
    loss_model,
    plan_cost,
    prioritize,
    raise_control,
    raised_assessment,
    ready_date,
    schedule,
    what_if,
)
from cyberready.prioritize._pipeline import FLOOR, is_settled


def _near(value: float, expected: float, se: float, k: float = 4.0) -> bool:
    return abs(value - expected) <= k * se


def _ids(actions: list[Action]) -> list[str]:
    return [a.id for a in actions]


# --------------------------------------------------------------------------- candidates, costs


def test_candidates_raise_to_target_or_4_everywhere_and_per_override_selector() -> None:
    ws = worked_example()
    acts = {a.id: a for a in candidate_actions(ws)}
    assert sorted(acts) == [
        "T-DDOS>4",
        "T-DOC>4",
        "T-INS>4",
        "T-LAT>4",
        "T-PH>3",  # the answer's target, not 4
        "T-PH>3@tags=regional",  # one per override selector
    ]
    ph = acts["T-PH>3"]
    assert [ws.resolved.ids[i] for i in ph.positions] == ["ws", "ws-north"]
    assert ph.from_levels == (0, 2)
    assert [ws.resolved.ids[i] for i in acts["T-PH>3@tags=regional"].positions] == ["ws-north"]


def test_cost_is_fixed_plus_per_asset_times_items_as_a_range() -> None:
    acts = {a.id: a for a in candidate_actions(worked_example())}
    # 1000–3000 fixed + 10–20 per item × (50 + 10 workstations)
    assert acts["T-PH>3"].items == 60
    assert (acts["T-PH>3"].cost.low, acts["T-PH>3"].cost.high) == (1600, 4200)
    assert acts["T-PH>3"].cost.mid == 2900
    assert (acts["T-PH>3@tags=regional"].cost.low, acts["T-PH>3@tags=regional"].cost.high) == (
        1100,
        3200,
    )
    assert acts["T-DDOS>4"].cost.describe() == "$5,000"


def test_na_assets_and_assets_at_the_goal_are_not_touched_or_paid_for() -> None:
    ws = worked_example(
        overrides=[
            {"select": ["mirror"], "control": "T-DDOS", "level": "n/a"},
            {"select": ["ws-north"], "control": "T-PH", "level": 3},
        ]
    )
    acts = {a.id: a for a in candidate_actions(ws)}
    assert [ws.resolved.ids[i] for i in acts["T-DDOS>4"].positions] == ["site"]
    assert [ws.resolved.ids[i] for i in acts["T-PH>3"].positions] == ["ws"]
    assert acts["T-PH>3"].cost.low == 1000 + 10 * 50
    # the override's selector raises nothing more than the organisation-wide action: no duplicate
    assert not any(i.startswith("T-PH>3@") for i in acts)


def test_no_candidate_once_a_control_is_at_its_goal() -> None:
    ws = worked_example(
        answers={"T-PH": {"level": 3, "target": 3}, "T-DOC": {"level": 4}, "T-DDOS": {"level": 0}},
        overrides=[],
    )
    ids = _ids(candidate_actions(ws))
    assert not any(i.startswith(("T-PH", "T-DOC")) for i in ids)
    assert "T-LAT>4" in ids  # unanswered: level 0, goal 4
    lat = next(a for a in candidate_actions(ws) if a.id == "T-LAT>4")
    assert lat.unassessed and lat.from_levels == (0, 0)


def test_plan_cost_never_pays_for_one_control_twice() -> None:
    acts = {a.id: a for a in candidate_actions(worked_example())}
    org, sel, lat = acts["T-PH>3"], acts["T-PH>3@tags=regional"], acts["T-LAT>4"]
    assert plan_cost([org, sel]) == org.cost  # the selector's assets are a subset
    assert plan_cost([sel, org]) == org.cost
    both = plan_cost([sel, lat])
    assert (both.low, both.high) == (sel.cost.low + lat.cost.low, sel.cost.high + lat.cost.high)


def test_raised_assessment_gives_the_same_levels_as_the_actions() -> None:
    ws = cyberready.load_workspace(cyberready.example_path())
    levels = asset_levels(ws)
    assert ws.assessment is not None
    for a in candidate_actions(ws, levels):
        edited = raised_assessment(ws.assessment, [a], ws.resolved.ids)
        again = levels_from(ws.resolved, ws.frameworks, edited)
        assert np.array_equal(again.levels, apply_actions(levels, [a]).levels), a.id


# --------------------------------------------------------------------------- benefits


def test_benefit_matches_the_worked_example_probabilities() -> None:
    ws = worked_example()
    # no controls: P(publish fails) = 0.3 × 0.3. A trial where publish fails costs its weight 4
    # plus public trust: C = 1 failed function, T = 1/3, times w_pc = 3 → 1; so loss 5 × 0.09.
    # T-PH at 3 (effectiveness 0.8): P(ws) = 0.5 × 0.2, P(fail) = 0.1 × 0.6 × 0.3 = 0.018,
    # benefit 5 × 0.072 = 0.36, of which public trust 0.072.
    w = what_if(ws, ["T-PH>3"], trials=40_000, seed=3)
    assert _near(w.before, 0.45, w.before_se)
    assert _near(w.benefit.value, 0.36, w.benefit.se)
    assert w.benefit.trust == pytest.approx(w.benefit.value / 5)
    assert w.benefit.trust + sum(w.benefit.by_function.values()) == pytest.approx(w.benefit.value)
    # all three risk actions: site down 0.1 × 0.3, mirror 0.15 → loss 5 × 0.0045
    w3 = what_if(ws, ["T-PH>3", "T-LAT>4", "T-DDOS>4"], trials=40_000, seed=3)
    assert _near(w3.after, 0.0225, w3.after_se)
    assert w3.before == w.before  # common random numbers: the same baseline trials
    assert w3.p_before["publish"] == pytest.approx(w.p_before["publish"])


def test_a_fully_effective_action_removes_every_failure_exactly() -> None:
    w = what_if(worked_example(), ["T-PH>4"], trials=2_000, seed=11)
    assert w.after == 0.0
    assert w.benefit.value == pytest.approx(w.before)
    assert w.loss_after == {"outage": 0.0}


def test_an_action_that_mitigates_nothing_in_scope_has_zero_risk_benefit() -> None:
    ws = worked_example()
    for action in ("T-INS>4", "T-DOC>4", "T-PH>3@tags=regional"):
        w = what_if(ws, [action], trials=1_000, seed=5)
        assert w.benefit.value == 0.0 and w.benefit.se == 0.0, action
        assert w.after == w.before
    p = prioritize(ws, trials=1_000, screen_trials=500, budget_usd=None)
    ranked = [r.action.id for r in p.ranking]
    assert ranked == ["T-PH>3", "T-LAT>4", "T-DDOS>4"]  # 0.36/2.9k, 0.225/3k, 0.225/5k
    readiness = {r.action.id: r for r in p.readiness}
    assert set(readiness) == {"T-INS>4", "T-DOC>4", "T-PH>3@tags=regional"}
    assert "no in-scope scenario" in readiness["T-INS>4"].reason
    assert "no trial changed" in readiness["T-PH>3@tags=regional"].reason
    # readiness gain: T-DOC from 2 to 4 with weight 3 out of 5 controls × 3 → 2 × 25 / 5
    assert readiness["T-DOC>4"].gain == pytest.approx(10.0)
    assert readiness["T-PH>3@tags=regional"].gain == 0.0  # the answer's level is unchanged
    assert readiness["T-PH>3@tags=regional"].gain_low_end == 0.0  # ws (level 0) is still lowest


def test_recovery_counts_as_a_simulated_effect() -> None:
    from prioritize_models import control

    ws = worked_example(
        controls=[control("T-REC", ["results_website"], recovers=1.0, cost=(1000, 1000))],
        answers={"T-REC": {"level": 0}},
        overrides=[],
    )
    p = prioritize(ws, trials=2_000, screen_trials=500)
    assert [r.action.id for r in p.ranking] == ["T-REC>4"]
    assert p.ranking[0].benefit.value == pytest.approx(p.baseline)  # outages shrink to 0 h


def test_explanations_name_scenarios_functions_assets_references_and_cost() -> None:
    p = prioritize(worked_example(), trials=2_000, screen_trials=500)
    top = p.ranking[0]
    assert top.protects()[0][0] == "outage"
    assert top.functions()[0][0] == "publish"
    text = top.explain()
    assert "unassessed" not in text
    for part in ("T-PH", "Results site outage", "Publish results", "ws, ws-north", "PR.AA-01"):
        assert part in text
    assert "$1,600–$4,200" in text and "2 weeks" in text
    # the function's chance of failing this cycle drops by the benefit / (weight 4 + the trust
    # lost when it fails, 3 × 1/3) (likelihood 1)
    assert top.benefit.p_cycle["publish"] == pytest.approx(top.benefit.value / 5)
    assert "of it from public trust" in text


# --------------------------------------------------------------------------- plans


def test_greedy_plan_re_evaluates_after_each_pick() -> None:
    ws = worked_example()
    p = prioritize(ws, trials=2_000, screen_trials=2_000, budget_usd=8_000)
    assert p.plan is not None
    ids = [a.id for a in p.plan.actions]
    # T-PH first (best per cost); then LAT and DDOS add the same 0.036 (exactly, in theory),
    # but only one of them fits beside T-PH in 8,000
    assert ids[0] == "T-PH>3" and len(ids) == 2
    assert p.plan.cost.mid <= 8_000
    marginal = p.plan.steps[1].marginal
    alone = p.recommendation(ids[1]).benefit
    assert marginal.value < alone.value / 2  # re-evaluated: most of its effect overlaps T-PH
    assert _near(marginal.value, 0.036, marginal.se)
    assert p.plan.steps[-1].cumulative.value == pytest.approx(
        sum(s.marginal.value for s in p.plan.steps)
    )


def test_plan_never_pays_for_the_same_control_twice() -> None:
    outage = dict(OUTAGE)
    outage["entry"] = [
        {
            "select": ["ws"],
            "mode": "one",
            "technique": "phishing",
            "probability": 0.5,
            "time": {"fixed": 1},
        },
        {
            "select": ["ws-north"],
            "mode": "one",
            "technique": "phishing",
            "probability": 0.5,
            "time": {"fixed": 1},
        },
        {"select": ["mirror"], "technique": "ddos", "probability": 0.3, "time": {"fixed": 1}},
    ]
    ws = worked_example(
        scenarios=[outage],
        links=[
            {"from": "ws", "to": "host", "kind": "connects_to"},
            {"from": "ws-north", "to": "host", "kind": "connects_to"},
            {"from": "site", "to": "host", "kind": "hosted_on"},
        ],
    )
    p = prioritize(ws, trials=2_000, screen_trials=1_000, budget_usd=1_000_000)
    assert p.plan is not None
    plan = p.plan
    assert plan.cost == plan_cost(plan.actions)
    total = sum(s.added_cost.mid for s in plan.steps)
    assert total == pytest.approx(plan.cost.mid)
    by_control = [a.control for a in plan.actions]
    if by_control.count("T-PH") == 2:  # the selector first, then the rest: no second fixed cost
        second = next(s for s in plan.steps[1:] if s.action.control == "T-PH")
        assert second.added_cost.low == 10 * 50
    assert "T-PH>3" in [a.id for a in plan.actions]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    budget=st.floats(min_value=0, max_value=15_000),
    basis=st.sampled_from(["low", "mid", "high"]),
)
def test_the_budget_is_never_exceeded(budget: float, basis: Literal["low", "mid", "high"]) -> None:
    p = prioritize(
        worked_example(),
        trials=200,
        screen_trials=200,
        budget_usd=budget,
        cost_basis=basis,
    )
    assert p.plan is not None
    assert p.plan.cost.at(basis) <= budget + 1e-9
    assert sum(s.added_cost.at(basis) for s in p.plan.steps) <= budget + 1e-6


def _additive_case(rnd: random.Random) -> tuple[dict[str, float], dict[str, float]]:
    n = rnd.randint(1, 9)
    return (
        {f"i{k}": rnd.uniform(0, 10) for k in range(n)},
        {f"i{k}": rnd.uniform(0.5, 10) for k in range(n)},
    )


@settings(max_examples=300, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), share=st.floats(0.05, 1.0), cover=st.booleans())
def test_budget_plan_reaches_half_the_best_plan_when_benefits_have_diminishing_returns(
    seed: int, share: float, cover: bool
) -> None:
    """The guarantee: monotone submodular benefits (additive, or weighted coverage) and
    additive costs — greedy + max is at least half the optimum for the same budget."""
    rnd = random.Random(seed)
    gains, prices = _additive_case(rnd)
    items = sorted(gains)
    if cover:  # each item covers some of 8 weighted elements: diminishing returns
        weights = [rnd.uniform(0, 5) for _ in range(8)]
        covers = {i: {e for e in range(8) if rnd.random() < 0.35} for i in items}

        def value(s: frozenset[str]) -> float:
            return sum(weights[e] for e in set().union(*(covers[i] for i in s)))
    else:

        def value(s: frozenset[str]) -> float:
            return sum(gains[i] for i in s)

    def cost(s: frozenset[str]) -> float:
        return sum(prices[i] for i in s)

    budget = share * sum(prices.values())
    plan = budget_plan(items, budget, value, cost)
    best = exhaustive_plan(items, budget, value, cost)
    assert plan.cost <= budget + 1e-9
    assert plan.value >= 0.5 * best.value - 1e-9
    singles = [value(frozenset({i})) for i in items if prices[i] <= budget]
    assert plan.value >= max(singles, default=0.0) - 1e-12  # never worse than one action


def test_budget_plan_on_simulated_small_models_against_every_subset(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Simulated benefits may interact either way (and two actions on one control share a
    fixed cost), so the half-of-best guarantee is not a theorem here: measure it and print
    the ratio for each case."""
    ratios = []
    for seed in range(8):
        ws = random_model(seed)
        acts = candidate_actions(ws)
        model = loss_model(ws, trials=500, seed=9)  # the numbers the plan search sees
        total = plan_cost(acts).mid
        for share in (0.1, 0.25, 0.5):
            budget = share * total
            p = prioritize(ws, trials=500, screen_trials=500, seed=9, budget_usd=budget, leaders=3)
            assert p.plan is not None
            best = exhaustive_plan(
                acts, budget, model.value, lambda s: plan_cost(s).mid, key=lambda a: a.id
            )
            ratio = p.plan.screened_value / best.value if best.value > 0 else 1.0
            ratios.append(ratio)
            with capsys.disabled():
                print(
                    f"\nrandom model {seed} ({len(acts)} candidates), budget {share:.0%} of all: "
                    f"plan {p.plan.screened_value:.4f} ({p.plan.method}), best of "
                    f"{2 ** len(acts)} subsets {best.value:.4f}, ratio {ratio:.3f}"
                )
            assert p.plan.cost.mid <= budget + 1e-9
            assert p.plan.screened_value == pytest.approx(model.value(frozenset(p.plan.actions)))
            assert ratio >= 0.5
    with capsys.disabled():
        print(
            f"\n{len(ratios)} cases: ratio min {min(ratios):.3f}, mean "
            f"{sum(ratios) / len(ratios):.3f}, optimal in {sum(r > 1 - 1e-9 for r in ratios)}"
        )


def test_plan_is_the_best_single_action_when_greedy_is_fooled() -> None:
    # the classic trap: a cheap small item has the best ratio and blocks the big one
    gains = {"small": 1.0, "big": 10.0}
    prices = {"small": 1.0, "big": 20.0}
    plan = budget_plan(
        list(gains),
        20.0,
        lambda s: sum(gains[i] for i in s),
        lambda s: sum(prices[i] for i in s),
    )
    assert plan.chosen == ("big",)
    assert plan.method == "best single action"
    assert plan.greedy == ("small",)


def test_local_swaps_rescue_actions_that_only_help_together() -> None:
    # b and c are worth 10 together, 1 alone (complementary: no greedy guarantee holds);
    # greedy takes the cheap a first and then cannot afford both
    def value(s: frozenset[str]) -> float:
        return ("a" in s) + (10.0 if {"b", "c"} <= s else float(len(s & {"b", "c"})))

    prices = {"a": 1.0, "b": 5.0, "c": 5.0}

    def cost(s: frozenset[str]) -> float:
        return sum(prices[i] for i in s)

    plain = budget_plan(["a", "b", "c"], 10.0, value, cost, swaps=False)
    assert plain.chosen == ("a", "b") and plain.value == 2.0
    plan = budget_plan(["a", "b", "c"], 10.0, value, cost)
    assert sorted(plan.chosen) == ["b", "c"] and plan.value == 10.0
    assert plan.method == "greedy + swaps" and plan.cost == 10.0


def test_exhaustive_plan_refuses_large_sets() -> None:
    with pytest.raises(ValueError, match="limited"):
        exhaustive_plan(list(range(20)), 1.0, lambda s: 0.0, lambda s: 0.0)


# --------------------------------------------------------------------------- roadmap


def _window(start: dt.date, days: int = 10) -> PhaseWindow:
    return PhaseWindow(start=start, end=start + dt.timedelta(days=days))


CALENDAR: dict[Phase, PhaseWindow] = {
    "voter_registration": _window(dt.date(2026, 12, 1), 60),
    "campaign": _window(dt.date(2027, 2, 12), 28),
    "voting": _window(dt.date(2027, 3, 14), 0),
    "results_publication": _window(dt.date(2027, 3, 14), 7),
    "post_election": _window(dt.date(2027, 3, 22), 90),
}


def _action(weeks: float, cost: float = 1000) -> Action:
    return Action(
        "X-01",
        4,
        None,
        np.array([0]),
        np.array([1]),
        fixed_usd=(cost, cost),
        weeks=weeks,
    )


@settings(max_examples=200, deadline=None)
@given(
    weeks=st.floats(min_value=0, max_value=80),
    start=st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2027, 6, 1)),
)
def test_the_roadmap_never_credits_a_phase_the_action_cannot_finish_before(
    weeks: float, start: dt.date
) -> None:
    benefit = Benefit(
        0.4,
        0.01,
        1000,
        by_function={"register": 0.2, "vote": 0.1},
        trust=0.1,
        trust_by_scenario={"leak": 0.1},
    )
    phases_of = {"register": "voter_registration", "vote": "voting"}
    e = schedule(
        [_action(weeks)],
        start=start,
        phases=CALENDAR,
        benefits={"X-01>4": benefit},
        function_phase=phases_of,
        scenario_phase={"leak": ("voter_registration", "voting")},
    ).entries[0]
    assert e.ready == start + dt.timedelta(days=math.ceil(weeks * 7 - 1e-9))
    windows: dict[str, PhaseWindow] = dict(CALENDAR.items())
    assert all(windows[p].start > e.ready for p in e.in_time_for)
    assert {p for p, w in CALENDAR.items() if w.start > e.ready} == set(e.in_time_for)
    marks = {
        "before registration": dt.date(2026, 12, 1),
        "before polling day": dt.date(2027, 3, 14),
    }
    if e.milestone in marks:
        assert e.ready < marks[e.milestone]
        earlier = [d for d in marks.values() if d < marks[e.milestone]]
        assert all(e.ready >= d for d in earlier)  # the earliest milestone it makes
    else:
        assert e.milestone == NEXT_CYCLE and e.ready >= dt.date(2027, 3, 14)
    expected = sum(v for f, v in benefit.by_function.items() if phases_of[f] in e.in_time_for)
    # the trust part is shared evenly by the two phases the scenario targets
    expected += 0.05 * sum(p in e.in_time_for for p in ("voter_registration", "voting"))
    assert e.this_cycle == pytest.approx(expected)
    assert e.this_cycle is not None and e.next_cycle is not None
    assert e.this_cycle + e.next_cycle == pytest.approx(benefit.value)


def test_an_action_ready_on_the_day_a_phase_starts_is_too_late_for_it() -> None:
    start = dt.date(2026, 11, 1)
    assert ready_date(start, 30 / 7) == dt.date(2026, 12, 1)
    e = schedule([_action(30 / 7)], start=start, phases=CALENDAR).entries[0]
    assert "voter_registration" not in e.in_time_for
    assert e.milestone == "before polling day"
    e = schedule([_action(29 / 7)], start=start, phases=CALENDAR).entries[0]
    assert e.milestone == "before registration"


def test_without_phase_windows_polling_day_comes_from_the_election_and_is_credited() -> None:
    benefit = Benefit(0.3, 0.01, 1000, by_function={"vote": 0.3})
    r = schedule(
        [_action(2)],
        start=dt.date(2027, 1, 1),
        phases={},
        election_day=dt.date(2027, 3, 14),
        benefits={"X-01>4": benefit},
        function_phase={"vote": "voting"},
    )
    assert r.milestones == (("before polling day", "voting", dt.date(2027, 3, 14)),)
    assert r.entries[0].milestone == "before polling day"
    assert r.entries[0].in_time_for == ("voting",)
    assert (r.entries[0].this_cycle, r.entries[0].next_cycle) == (0.3, 0.0)
    late = schedule(
        [_action(20)],
        start=dt.date(2027, 1, 1),
        phases={},
        election_day=dt.date(2027, 3, 14),
        benefits={"X-01>4": benefit},
        function_phase={"vote": "voting", "count": "counting"},
    ).entries[0]
    assert late.milestone == NEXT_CYCLE and late.in_time_for == ()
    assert (late.this_cycle, late.next_cycle) == (0.0, 0.3)
    # without any calendar nothing is known to be late: all of it counts, none is a quick win
    bare = schedule(
        [_action(2)],
        start=dt.date(2027, 1, 1),
        phases={},
        benefits={"X-01>4": benefit},
        function_phase={"vote": "voting"},
    )
    assert bare.milestones == () and bare.entries[0].milestone == "unscheduled"
    assert list(bare.by_milestone()) == ["unscheduled"]
    assert (bare.entries[0].this_cycle, bare.entries[0].next_cycle) == (0.3, 0.0)
    assert not bare.entries[0].quick_win


def test_quick_wins_are_cheap_short_clearly_useful_and_in_time() -> None:
    start = dt.date(2026, 11, 1)
    useful = Benefit(0.3, 0.01, 1000, by_function={"vote": 0.3})
    noisy = Benefit(0.01, 0.02, 1000, by_function={"vote": 0.01})
    fphase = {"vote": "voting"}

    def quick(a: Action, b: Benefit) -> bool:
        r = schedule(
            [a],
            start=start,
            phases=CALENDAR,
            benefits={a.id: b},
            function_phase=fphase,
        )
        return r.entries[0].quick_win

    assert quick(_action(3, cost=5_000), useful)
    assert not quick(_action(6, cost=5_000), useful)  # too long
    assert not quick(_action(3, cost=50_000), useful)  # too dear
    assert not quick(_action(3, cost=5_000), noisy)  # interval includes 0


# --------------------------------------------------------------------------- the example EMB


@pytest.fixture(scope="module")
def example_priorities() -> tuple[cyberready.Workspace, Priorities]:
    ws = cyberready.load_workspace(cyberready.example_path())
    return ws, prioritize(ws, budget_usd=100_000, leaders=5)


def test_top_three_applied_by_what_if_with_another_seed_deliver_the_claimed_benefit(
    example_priorities: tuple[cyberready.Workspace, Priorities],
    capsys: pytest.CaptureFixture[str],
) -> None:
    ws, p = example_priorities
    top = p.top(3)
    claim = top[-1].cumulative
    assert claim is not None
    w = what_if(ws, [r.action for r in top], seed=p.seed + 1_000_003)
    combined = math.hypot(claim.se, w.benefit.se)
    with capsys.disabled():
        print(
            f"\ntop three {[r.action.id for r in top]}: claimed {claim.value:.4f} ± "
            f"{claim.se:.4f}, independent seed {w.before - w.after:.4f} ± {w.benefit.se:.4f}"
            f" ({(w.before - w.after - claim.value) / combined:+.2f} combined SE)"
        )
    assert abs((w.before - w.after) - claim.value) <= 4 * combined


def test_example_plan_fits_its_budget_and_calendar(
    example_priorities: tuple[cyberready.Workspace, Priorities],
) -> None:
    ws, p = example_priorities
    plan = p.plan
    assert plan is not None and plan.steps
    assert plan.cost.mid <= 100_000
    assert plan.cost == plan_cost(plan.actions)
    windows: dict[str, PhaseWindow] = dict(ws.emb.phases.items())
    for e in p.roadmap.entries:
        for phase in e.in_time_for:
            assert windows[phase].start > e.ready
    assert [e.action.id for e in p.roadmap.entries] == [a.id for a in plan.actions]
    # every leader went through the sequential rule (settled, or all the trials), in blocks
    # of the screening trials; the others were screened
    floor = FLOOR * p.baseline
    assert all(r.benefit.trials == 10_000 or is_settled(r.benefit, floor) for r in p.ranking[:5])
    assert all(r.benefit.trials % 1_000 == 0 for r in p.ranking)
    assert p.ranking[-1].benefit.trials in (1_000, 10_000)
    # the VR-03 override selector is a candidate of its own (ranked, or listed as readiness-only
    # when the HQ workstations' phishing already reaches everything the regional ones would)
    candidates = [r.action.id for r in p.ranking] + [r.action.id for r in p.readiness]
    assert "ECBS-VR-03>4@tags=regional-office" in candidates


def test_results_render_as_frames_json_and_html(
    example_priorities: tuple[cyberready.Workspace, Priorities],
) -> None:
    _, p = example_priorities
    frame = p.to_frame()
    assert list(frame["rank"]) == list(range(1, len(frame) + 1))
    assert frame["per_kusd"].is_monotonic_decreasing
    for table in ("readiness", "plan", "roadmap"):
        assert len(p.to_frame(table)) > 0, table
    text = json.dumps(p.to_dict(), allow_nan=False)
    assert "explanation" in text
    html = p._repr_html_()
    assert "Priorities for examplia-iec" in html and "<table" in html
    with pytest.raises(ValueError, match="expected ranking"):
        p.to_frame("nope")  # type: ignore[arg-type]  # an unknown table, on purpose


# --------------------------------------------------------------------------- what-if API


def test_what_if_takes_ids_selectors_or_actions_and_reports_unknown_ones_at_once() -> None:
    ws = worked_example()
    by_id = what_if(ws, ["T-PH>3@tags=regional"], trials=300)
    by_obj = what_if(ws, [raise_control(ws, "T-PH", 3, Selector(tags=("regional",)))], trials=300)
    assert by_id.actions == by_obj.actions
    custom = what_if(ws, ["T-DDOS>2@ids=mirror"], trials=300)
    assert [ws.resolved.ids[i] for i in custom.actions[0].positions] == ["mirror"]
    assert custom.to_frame("function")["function"].tolist() == ["publish"]
    assert "What if" in custom._repr_html_()
    with pytest.raises(InputError) as err:
        what_if(ws, ["T-NOPE>4", "T-PH>9", "T-PH"], trials=10)
    assert [p.value for p in err.value.problems] == ["T-NOPE>4", "T-PH>9", "T-PH"]


def test_what_if_reports_the_assessment_as_it_would_read() -> None:
    ws = worked_example()
    w = what_if(ws, ["T-PH>3", "T-LAT>4"], trials=100)
    assert w.assessment is not None
    assert w.assessment.answers["T-PH"].level == 3
    assert w.assessment.answers["T-LAT"].level == 4
    assert [o.level for o in w.assessment.overrides if o.control == "T-PH"] == [3]
    assert w.cost == plan_cost(w.actions)


def test_interval_and_trials_are_consistent_across_screening_and_full_runs() -> None:
    # the first screening trials are the first full trials: a benefit estimated on 1,000 is
    # the mean of the first 1,000 per-trial differences of the 4,000
    ws = worked_example()
    small = what_if(ws, ["T-PH>3"], trials=1_000, seed=2).benefit
    big = what_if(ws, ["T-PH>3"], trials=4_000, seed=2).benefit
    assert small.trials == 1_000 and big.trials == 4_000
    assert big.se < small.se
    assert _near(small.value, big.value, math.hypot(small.se, big.se))


def test_plan_numbers_and_what_if_numbers_are_the_same_trials() -> None:
    # the ranking/plan (LossModel, paths off) and the what-if (engine simulate) must agree
    # exactly on the same trials and seed, scenario by scenario
    ws = random_model(3)
    acts = candidate_actions(ws)[:3]
    model = loss_model(ws, trials=700, seed=4)
    mine = model.benefit(frozenset(acts))
    w = what_if(ws, acts, trials=700, seed=4)
    assert w.benefit.value == pytest.approx(mine.value, abs=1e-12)
    assert w.benefit.se == pytest.approx(mine.se, abs=1e-12)
    assert dict(w.benefit.by_scenario) == pytest.approx(
        {k: v for k, v in mine.by_scenario.items() if v}, abs=1e-12
    )
    assert model.loss()[0] == pytest.approx(w.before, abs=1e-12)


def test_nothing_in_scope_or_nothing_affordable_still_gives_a_full_answer() -> None:
    p = prioritize(worked_example(scenarios=[]), trials=100, screen_trials=50, budget_usd=5_000)
    assert p.ranking == () and p.baseline == 0.0
    assert len(p.readiness) == 6
    reasons = {r.action.id: r.reason for r in p.readiness}
    assert "no simulated effect" in reasons.pop("T-DOC>4")  # it has no effects at all
    assert all("no in-scope scenario" in r for r in reasons.values())
    assert p.plan is not None and p.plan.steps == () and p.plan.method == "nothing affordable"
    json.dumps(p.to_dict(), allow_nan=False)
    p = prioritize(worked_example(), trials=100, screen_trials=50, budget_usd=0)
    assert p.plan is not None and p.plan.actions == () and p.plan.benefit is None
    assert p.plan.cost.high == 0 and p.roadmap.entries == ()
    assert "nothing affordable" in p._repr_html_()


def test_the_plan_starts_at_the_assessment_and_never_targets_a_phase_under_way() -> None:
    # emb.yaml dates from 1 November; the assessment from 10 January, after registration began
    ws = worked_example()
    assert ws.assessment is not None
    later = dataclasses.replace(
        ws, assessment=ws.assessment.model_copy(update={"as_of": dt.date(2027, 1, 10)})
    )
    p = prioritize(later, trials=200, screen_trials=100, plan=False)
    assert p.start == p.roadmap.start == dt.date(2027, 1, 10)
    assert [(lb, ph) for lb, ph, _ in p.roadmap.begun] == [
        ("before registration", "voter_registration")
    ]
    assert "voter_registration" not in [ph for _, ph, _ in p.roadmap.milestones]
    assert p.roadmap.entries
    for e in p.roadmap.entries:
        assert e.milestone != "before registration"
        assert e.ready > dt.date(2027, 1, 10)
    assert p.roadmap.to_dict()["begun"][0]["date"] == "2026-12-01"
    # an explicit start still wins, and from 1 November registration is a target again
    early = prioritize(later, trials=200, screen_trials=100, plan=False, start=dt.date(2026, 11, 1))
    assert early.roadmap.begun == ()
    assert "before registration" in {e.milestone for e in early.roadmap.entries}
