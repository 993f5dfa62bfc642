"""Hand-solved models: the worked example (docs/trial-model.md) and further cases whose exact
probability is worked out in a comment. Each check allows 4 standard errors of the Monte Carlo
estimate; where a number is exact (paths, tie-breaks, fixed times) it is checked exactly,
against the engine and the reference alike."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from engine_models import entry, function, posture, scenario, spread, system

import cyberready
from cyberready.engine import ScenarioResult, compile_scenario, run_compiled, simulate
from cyberready.engine.reference import run_reference
from cyberready.engine.results import top_paths
from cyberready.errors import InputError
from cyberready.posture import Posture

TRIALS = 20_000


def run(rs: Any, sc: Any, post: Posture | None = None, trials: int = TRIALS) -> ScenarioResult:
    return run_compiled(
        compile_scenario(rs, sc, post or Posture.neutral(rs.n_assets)), trials, seed=2024
    )


def close(count: int, trials: int, p: float) -> bool:
    """``count / trials`` is within 4 standard errors of ``p``."""
    se = math.sqrt(p * (1 - p) / trials)
    return abs(count / trials - p) <= 4 * se + 1e-12


def p_of(result: ScenarioResult, fid: str) -> tuple[int, int]:
    i = result.function_ids.index(fid)
    return int(result.failure_counts[i]), result.trials


def compromised(result: ScenarioResult, asset: str) -> tuple[int, int]:
    return int(result.compromised[result.asset_ids.index(asset)]), result.trials


# --------------------------------------------------------------------------- worked example

SYSTEM_YAML = """\
schema_version: 1
kind: system
emb: worked
assets:
  - {id: ws, type: staff_workstation}
  - {id: host, type: data_center}
  - {id: site, type: results_website}
  - {id: mirror, type: results_website}
links:
  - {from: site, to: host, kind: hosted_on}
  - {from: ws, to: host, kind: connects_to}
functions:
  - id: publish
    title: Publish results
    phase: results_publication
    max_tolerable_outage_hours: 6
    requires:
      - any: [site, mirror]
"""

SCENARIO_YAML = """\
schema_version: 1
kind: scenario
id: worked-example
title: The worked example
actor: criminal
objective: availability
phases: [results_publication]
likelihood: 0.5
entry:
  - {select: [ws], technique: phishing, probability: 0.5, time: {fixed: 1}}
  - {select: [mirror], technique: ddos, probability: 0.3, time: {fixed: 1}}
propagation:
  - {kinds: [connects_to], direction: forward, technique: lateral_movement, probability: 0.6,
     time: {fixed: 1}}
effects:
  - {type: disrupt, duration: {fixed: 24}}
"""


@pytest.fixture
def worked_ws(tmp_path: Path) -> cyberready.Workspace:
    root = tmp_path / "worked"
    (root / "scenarios").mkdir(parents=True)
    (root / "emb.yaml").write_text(
        "schema_version: 1\nkind: emb\nid: worked\nname: Worked example\n"
        "scenarios: [worked-example]\n"
    )
    (root / "system.yaml").write_text(SYSTEM_YAML)
    (root / "scenarios" / "worked-example.yaml").write_text(SCENARIO_YAML)
    return cyberready.load_workspace(root)


def test_worked_example_gives_0_09(worked_ws: cyberready.Workspace) -> None:
    # site is down iff host is compromised (0.5 x 0.6 = 0.3: site hosted_on host, outage 24 h
    # > 6 h); mirror is down with 0.3; publish needs any of them: fails iff both are down,
    # independently: 0.3 x 0.3 = 0.09. No answers: every control is at level 0, no effect.
    result = simulate(worked_ws, trials=TRIALS, seed=7)
    r = result.scenarios["worked-example"]
    assert close(*p_of(r, "publish"), 0.09)
    assert close(*compromised(r, "host"), 0.3)
    assert compromised(r, "site")[0] == 0  # down through its host, never compromised itself
    lo, hi = r.p_fail_interval
    assert lo[0] < 0.09 < hi[0]
    # expected loss = likelihood x (weight x P + w_pc x mean T) = 0.5 x (3 x P + 3 x P / 3): the
    # only public-confidence unit is the failed function (T = 1/3 when it fails)
    assert r.expected_loss == pytest.approx(0.5 * (3 * r.p_fail[0] + 3 * r.p_fail[0] / 3))
    assert r.trust_loss == pytest.approx(0.5 * r.p_fail[0])
    assert result.cycle_probability[0] == pytest.approx(0.5 * r.p_fail[0])
    # the two ways publish fails: site (via ws -> host) went down last, or mirror did
    paths = {p.assets for p in r.paths}
    assert paths <= {("ws", "host", "site"), ("mirror",)}


def test_unknown_scenario_is_an_input_error(worked_ws: cyberready.Workspace) -> None:
    with pytest.raises(InputError, match="worked-exampel"):
        simulate(worked_ws, scenarios=["worked-exampel"], trials=10)


# --------------------------------------------------------------------------- graph shapes


def test_chain() -> None:
    # a -> b -> c, entry a 0.5, every step 0.6: P(b) = 0.3, P(c) = 0.5 x 0.6 x 0.6 = 0.18
    rs = system(
        [("a", "staff_workstation"), ("b", "staff_workstation"), ("c", "tally_server")],
        [("a", "b", "connects_to"), ("b", "c", "connects_to")],
        [function("tally", [{"all": ["c"]}])],
    )
    r = run(rs, scenario([entry(["a"], 0.5)], [spread(["connects_to"], 0.6)]))
    assert close(*compromised(r, "a"), 0.5)
    assert close(*compromised(r, "b"), 0.3)
    assert close(*p_of(r, "tally"), 0.18)


def test_diamond() -> None:
    # s -> a -> t and s -> b -> t, entry s certain, each step 0.5 independently:
    # P(t) = 1 - (1 - 0.25)^2 = 0.4375
    rs = system(
        [("s", "staff_workstation"), ("a", "email"), ("b", "email"), ("t", "tally_server")],
        [
            ("s", "a", "connects_to"),
            ("s", "b", "connects_to"),
            ("a", "t", "connects_to"),
            ("b", "t", "connects_to"),
        ],
        [function("tally", [{"all": ["t"]}])],
    )
    r = run(rs, scenario([entry(["s"], 1.0)], [spread(["connects_to"], 0.5)]))
    assert compromised(r, "s") == (TRIALS, TRIALS)
    assert close(*p_of(r, "tally"), 0.4375)


def test_reverse_direction_follows_links_backwards() -> None:
    # host compromised (certain); hosted_on reverse 0.6 reaches site: P = 0.6; forward would not
    rs = system(
        [("host", "data_center"), ("site", "results_website")],
        [("site", "host", "hosted_on")],
    )
    back = run(
        rs, scenario([entry(["host"], 1.0)], [spread(["hosted_on"], 0.6, direction="reverse")])
    )
    assert close(*compromised(back, "site"), 0.6)
    fwd = run(rs, scenario([entry(["host"], 1.0)], [spread(["hosted_on"], 0.6)]))
    assert compromised(fwd, "site")[0] == 0


def test_dependency_spread_through_a_cycle() -> None:
    # a depends_on b, b depends_on a (a cycle), c hosted_on b. Only a is attacked (0.5) and
    # disrupted 24 h: b, and so c, inherit the outage: P(c down) = 0.5
    rs = system(
        [("a", "power"), ("b", "data_center"), ("c", "tally_server")],
        [("a", "b", "depends_on"), ("b", "a", "depends_on"), ("c", "b", "hosted_on")],
        [function("tally", [{"all": ["c"]}], tolerance=12)],
    )
    r = run(rs, scenario([entry(["a"], 0.5)]))
    assert close(*p_of(r, "tally"), 0.5)
    assert compromised(r, "c")[0] == 0


# --------------------------------------------------------------------------- detection


def test_detection_stops_the_attacker_but_not_the_outage() -> None:
    # a (workstation) entered for sure by phishing; a -> b (tally) -> c (site), steps certain.
    # Detection: phishing 0.6 on workstations, lateral_movement 0.5 on tally servers (level 4,
    # full strength). P(a detected) = 0.6, so b is reached with 0.4; b undetected with 0.5, so
    # c is reached with 0.4 x 0.5 = 0.2. A detected asset keeps its outage: P(fail a) = 1.
    rs = system(
        [("a", "staff_workstation"), ("b", "tally_server"), ("c", "results_website")],
        [("a", "b", "connects_to"), ("b", "c", "connects_to")],
        [
            function("fa", [{"all": ["a"]}]),
            function("fb", [{"all": ["b"]}]),
            function("fc", [{"all": ["c"]}]),
        ],
    )
    post = posture(
        rs,
        [
            {
                "id": "C-EDR",
                "applies_to": ["staff_workstation"],
                "effects": {"detects": {"phishing": 0.6}},
            },
            {
                "id": "C-NDR",
                "applies_to": ["tally_server"],
                "effects": {"detects": {"lateral_movement": 0.5}},
            },
        ],
        {"C-EDR": 4, "C-NDR": 4},
    )
    r = run(
        rs,
        scenario([entry(["a"], 1.0, technique="phishing")], [spread(["connects_to"], 1.0)]),
        post,
    )
    assert p_of(r, "fa") == (TRIALS, TRIALS)
    assert close(int(r.detected[0]), TRIALS, 0.6)
    assert close(*p_of(r, "fb"), 0.4)
    assert close(*p_of(r, "fc"), 0.2)
    # half-strength detection (level 2: eff .5): a detected with .3, b reached with .7
    half = posture(
        rs,
        [
            {
                "id": "C-EDR",
                "applies_to": ["staff_workstation"],
                "effects": {"detects": {"phishing": 0.6}},
            }
        ],
        {"C-EDR": 2},
    )
    r2 = run(rs, scenario([entry(["a"], 1.0)], [spread(["connects_to"], 1.0)]), half)
    assert close(*p_of(r2, "fb"), 0.7)


def test_mitigation_scales_step_success() -> None:
    # entry base 0.8, mitigated by 0.5 at level 4 on the target: 0.4
    rs = system([("a", "staff_workstation")], [], [function("fa", [{"all": ["a"]}])])
    post = posture(rs, [{"id": "C-M", "effects": {"mitigates": {"phishing": 0.5}}}], {"C-M": 4})
    assert close(*p_of(run(rs, scenario([entry(["a"], 0.8)]), post), "fa"), 0.4)


# --------------------------------------------------------------------------- groups


@pytest.mark.parametrize(
    ("fraction", "p"),
    [
        # 4 kits, each down with 0.5 independently; k = ceil(f * 4 - 1e-9) must stay up.
        (0.25, 1 / 16),  # k = 1: fails only when all 4 are down
        (0.5, 5 / 16),  # k = 2: fails when >= 3 are down: C(4,3)/16 + 1/16
        (0.7, 11 / 16),  # k = ceil(2.8) = 3: fails when >= 2 are down: 1 - 1/16 - 4/16
        (0.75, 11 / 16),  # k = 3 exactly (3.0 - 1e-9 rounds up to 3, not 4)
        (1.0, 15 / 16),  # k = 4: fails when any is down
    ],
)
def test_at_least_group(fraction: float, p: float) -> None:
    kits = [f"kit-{i}" for i in range(4)]
    rs = system(
        [(k, "results_transmission") for k in kits],
        [],
        [function("transmit", [{"at_least": fraction, "of": {"types": ["results_transmission"]}}])],
    )
    r = run(rs, scenario([entry({"types": ["results_transmission"]}, 0.5)]))
    assert close(*p_of(r, "transmit"), p)


def test_integrity_with_a_paper_fallback() -> None:
    # Results are published from the paper form OR the electronic tally (any). The attacker
    # enters the transmission kit (0.8) and moves to the tally (0.5); lateral movement into the
    # tally is detected with 0.3, and a detected alteration is caught. Separately the paper
    # form is tampered with (0.5, undetected).
    # P(tally altered) = 0.8 x 0.5 x 0.7 = 0.28; P(form altered) = 0.5;
    # publish fails on integrity iff both are altered: 0.5 x 0.28 = 0.14.
    rs = system(
        [
            {"id": "form", "type": "results_form", "exposure": "physical"},
            ("kit", "results_transmission"),
            ("tally", "tally_server"),
        ],
        [("kit", "tally", "connects_to")],
        [
            function("publish", [{"any": ["form", "tally"]}]),
            function("electronic", [{"all": ["tally"]}]),
        ],
    )
    sc = scenario(
        [entry(["kit"], 0.8), entry(["form"], 0.5, technique="physical_tampering")],
        [spread(["connects_to"], 0.5)],
        [{"type": "alter", "targets": {"types": ["results_form", "tally_server"]}}],
    )
    post = posture(
        rs,
        [
            {
                "id": "C-IDS",
                "applies_to": ["tally_server"],
                "effects": {"detects": {"lateral_movement": 0.3}},
            }
        ],
        {"C-IDS": 4},
    )
    r = run(rs, sc, post)
    assert close(*compromised(r, "tally"), 0.4)
    assert close(*p_of(r, "electronic"), 0.28)
    assert close(*p_of(r, "publish"), 0.14)


def test_an_altered_member_and_an_out_fallback_fail_an_any_group() -> None:
    # One rule for availability and integrity: a member is unusable when it is altered or out
    # past the tolerance. form altered (certain, at 1 h) + tally down 48 h (certain, from 1 h,
    # tolerance 6 h): no usable member, so publish (any of them) fails in every trial, at the
    # later member time, 1 + 6 = 7 h. (Version 1 judged the two apart and never failed here.)
    rs = system(
        [("form", "results_form"), ("tally", "tally_server")],
        [],
        [function("publish", [{"any": ["form", "tally"]}])],
    )
    sc = scenario(
        [entry(["form", "tally"], 1.0)],
        effects=[
            {"type": "alter", "targets": ["form"]},
            {"type": "disrupt", "targets": ["tally"], "duration": {"fixed": 48}},
        ],
    )
    r = run(rs, sc, trials=500)
    assert p_of(r, "publish")[0] == 500
    assert set(r.time_to_failure.tolist()) == {7.0}
    ref = run_reference(rs, sc, Posture.neutral(rs.n_assets), 500, seed=2024)
    np.testing.assert_array_equal(ref.fail_time, r.fail_time)


def test_leak_through_data_copies() -> None:
    # vr-db copies_data_to backup, backup copies_data_to party-copy: a leak at either copy
    # exposes the register. press copies_data_to vr-db (press's data at vr-db) is a decoy: its
    # leak exposes press, not the register. Entries: party-copy 0.3, vr-db 0.2, press 0.9.
    # P(register exposed) = 1 - 0.7 x 0.8 = 0.44. Leaks are not outages: keep-up never fails.
    rs = system(
        [
            {"id": "vr-db", "type": "voter_registration_db", "data": ["pii"]},
            ("backup", "voter_registration_db"),
            ("party-copy", "voter_registration_db"),
            ("press", "emb_website"),
        ],
        [
            ("vr-db", "backup", "copies_data_to"),
            ("backup", "party-copy", "copies_data_to"),
            ("press", "vr-db", "copies_data_to"),
        ],
        [
            function(
                "protect", [{"any": ["vr-db"], "protects_data": True}], phase="voter_registration"
            ),
            function("keep-up", [{"any": ["vr-db"]}], phase="voter_registration"),
        ],
    )
    sc = scenario(
        [entry(["party-copy"], 0.3), entry(["vr-db"], 0.2), entry(["press"], 0.9)],
        effects=[{"type": "leak", "visibility": "public"}],
        phases=["voter_registration"],
    )
    r = run(rs, sc)
    assert close(*p_of(r, "protect"), 0.44)
    assert p_of(r, "keep-up")[0] == 0
    # the first failure's path ends at the copy that leaked, then the member it exposed
    assert {p.assets for p in r.paths} <= {("party-copy", "vr-db"), ("vr-db",)}


# --------------------------------------------------------------------------- phases, n/a


def test_only_functions_in_the_scenarios_phases_fail() -> None:
    rs = system(
        [("a", "tally_server")],
        [],
        [
            function("count", [{"all": ["a"]}], phase="counting"),
            function("publish", [{"all": ["a"]}], phase="results_publication"),
        ],
    )
    r = run(rs, scenario([entry(["a"], 1.0)]), trials=200)
    assert p_of(r, "count")[0] == 0
    assert p_of(r, "publish")[0] == 200
    assert r.in_phase.tolist() == [False, True]


def test_rules_that_match_nothing_are_not_applicable_not_errors() -> None:
    rs = system([("a", "tally_server")], [], [function("publish", [{"all": ["a"]}])])
    sc = scenario(
        [entry(["a"], 1.0), entry({"types": ["vendor"]}, 1.0)],
        [spread(["supplies"], 1.0)],
        [
            {"type": "disrupt", "duration": {"fixed": 24}},
            {"type": "deface", "targets": {"types": ["emb_website"]}},
        ],
    )
    r = run(rs, sc, trials=100)
    assert len(r.not_applicable) == 3
    assert any(s.startswith("entry[1]") for s in r.not_applicable)
    assert any(s.startswith("propagation[0]") for s in r.not_applicable)
    assert any(s.startswith("effects[1]") for s in r.not_applicable)
    assert p_of(r, "publish")[0] == 100


# --------------------------------------------------------------------------- recovery


@pytest.mark.parametrize(("level", "fails"), [(4, False), (2, True)])
def test_recovery_shortens_outages(level: int, fails: bool) -> None:
    # disrupt 24 h, tolerance 12 h; recovers 0.6: at level 4 the outage is 24 x 0.4 = 9.6 h
    # (tolerated); at level 2 (eff .5) 24 x 0.7 = 16.8 h (fails).
    rs = system([("a", "tally_server")], [], [function("f", [{"all": ["a"]}], tolerance=12)])
    post = posture(rs, [{"id": "C-BCP", "effects": {"recovers": 0.6}}], {"C-BCP": level})
    r = run(rs, scenario([entry(["a"], 1.0)]), post, trials=100)
    assert p_of(r, "f")[0] == (100 if fails else 0)


# --------------------------------------------------------------------------- paths


def test_the_true_path_of_a_one_path_model_comes_first() -> None:
    # ws -> host -> db is the only way in: every failure takes it, with 0.7 x 0.8 x 0.8 = 0.448
    rs = system(
        [("ws", "staff_workstation"), ("host", "data_center"), ("db", "voter_registration_db")],
        [("ws", "host", "connects_to"), ("host", "db", "administers")],
        [function("register", [{"all": ["db"]}])],
    )
    sc = scenario([entry(["ws"], 0.7)], [spread(["connects_to", "administers"], 0.8)])
    r = run(rs, sc)
    assert r.paths[0].assets == ("ws", "host", "db")
    assert r.paths[0].function == "register"
    assert r.paths[0].trials == p_of(r, "register")[0]
    assert close(*p_of(r, "register"), 0.448)


def _paths_both_ways(rs: Any, sc: Any) -> list[tuple[str, ...]]:
    """Top paths from the engine, checked equal to the reference's."""
    post = Posture.neutral(rs.n_assets)
    got = run_compiled(compile_scenario(rs, sc, post), 50, seed=1)
    ref = run_reference(rs, sc, post, 50, seed=1)
    assert got.paths == top_paths(ref.paths, got.function_ids, got.asset_ids, 50)
    return [p.assets for p in got.paths]


def test_tie_goes_to_the_lower_source_id() -> None:
    # b and a are entered at t=1 and both reach c at t=2 by the same rule: a < b wins
    # (asset b is listed first, so this is the id order, not the file order)
    rs = system(
        [("b", "email"), ("a", "email"), ("c", "tally_server")],
        [("b", "c", "connects_to"), ("a", "c", "connects_to")],
        [function("tally", [{"all": ["c"]}])],
    )
    sc = scenario(
        [entry(["b", "a"], 1.0)],
        [spread(["connects_to"], 1.0)],
        [{"type": "disrupt", "targets": ["c"], "duration": {"fixed": 24}}],
    )
    assert _paths_both_ways(rs, sc) == [("a", "c")]


def test_tie_goes_to_the_earlier_rule() -> None:
    # b -> c by rule 0 (administers), a -> c by rule 1 (connects_to), both at t=2: rule 0 wins
    rs = system(
        [("a", "email"), ("b", "email"), ("c", "tally_server")],
        [("a", "c", "connects_to"), ("b", "c", "administers")],
        [function("tally", [{"all": ["c"]}])],
    )
    sc = scenario(
        [entry(["a", "b"], 1.0)],
        [spread(["administers"], 1.0), spread(["connects_to"], 1.0)],
        [{"type": "disrupt", "targets": ["c"], "duration": {"fixed": 24}}],
    )
    assert _paths_both_ways(rs, sc) == [("b", "c")]


def test_entry_beats_propagation_at_the_same_time() -> None:
    rs = system(
        [("a", "email"), ("c", "tally_server")],
        [("a", "c", "connects_to")],
        [function("tally", [{"all": ["c"]}])],
    )
    sc = scenario(
        [entry(["a"], 1.0), entry(["c"], 1.0, {"fixed": 2})],
        [spread(["connects_to"], 1.0)],
        [{"type": "disrupt", "targets": ["c"], "duration": {"fixed": 24}}],
    )
    assert _paths_both_ways(rs, sc) == [("c",)]


# --------------------------------------------------------------------------- time to failure


def test_time_to_failure_quantiles_on_a_fixed_time_model() -> None:
    # ws entered at 2 h (certain), host reached 3 h later (certain): host down from t=5, site
    # (hosted on host) with it. mirror entered at 1 h with 0.3. publish needs ALL of site and
    # mirror, so it fails when the first goes down, + the 6 h tolerance:
    # 1 + 6 = 7 h with 0.3, else 5 + 6 = 11 h. Over all trials: p10 = 7, p50 = p90 = 11.
    rs = system(
        [
            ("ws", "staff_workstation"),
            ("host", "data_center"),
            ("site", "results_website"),
            ("mirror", "results_website"),
        ],
        [("site", "host", "hosted_on"), ("ws", "host", "connects_to")],
        [function("publish", [{"all": ["site", "mirror"]}])],
    )
    sc = scenario(
        [entry(["ws"], 1.0, {"fixed": 2}), entry(["mirror"], 0.3, {"fixed": 1})],
        [spread(["connects_to"], 1.0, {"fixed": 3})],
    )
    r = run(rs, sc, trials=5000)
    assert set(np.unique(r.time_to_failure).tolist()) == {7.0, 11.0}
    assert close(int((r.time_to_failure == 7.0).sum()), 5000, 0.3)
    assert r.ttf_quantiles().tolist() == [7.0, 11.0, 11.0]
    assert r.function_ttf_quantiles()[0].tolist() == [7.0, 11.0, 11.0]


def test_no_failure_means_infinite_time_and_nan_quantiles() -> None:
    rs = system([("a", "email")], [], [function("f", [{"all": ["a"]}], phase="voting")])
    r = run(rs, scenario([entry(["a"], 1.0)]), trials=50)
    assert np.isinf(r.time_to_failure).all()
    assert np.isnan(r.ttf_quantiles()).all()


# --------------------------------------------------------------------------- public confidence


def _deface_model() -> tuple[Any, Any]:
    rs = system([("site", "emb_website")], [], [function("f", [{"all": ["site"]}], phase="voting")])
    return rs, scenario([entry(["site"], 0.4)], effects=[{"type": "deface"}])


def test_a_public_deface_counts() -> None:
    # deface is public by default: C = 1 in the trials where site is compromised (0.4); no
    # function is in phase, so nothing else counts
    rs, sc = _deface_model()
    r = run(rs, sc)
    assert r.mean_confidence == compromised(r, "site")[0] / TRIALS
    assert close(*compromised(r, "site"), 0.4)


def test_a_reassuring_control_lowers_confidence_impact_by_its_factor() -> None:
    # reassures 0.5 at level 4 (eff 1): C is multiplied by 1 - 0.5 x 1 = 0.5, trial for trial
    rs, sc = _deface_model()
    post = posture(rs, [{"id": "C-COMMS", "effects": {"reassures": 0.5}}], {"C-COMMS": 4})
    plain, calm = run(rs, sc), run(rs, sc, post)
    assert calm.mean_confidence == pytest.approx(0.5 * plain.mean_confidence, rel=1e-15)
    assert plain.mean_confidence > 0.3


def test_confidence_counts_events_and_failed_functions_not_caught_alterations() -> None:
    rs = system(
        [("a", "tally_server"), ("b", "tally_server")],
        [],
        [function("fa", [{"all": ["a"]}]), function("fb", [{"all": ["b"]}])],
    )
    # certain compromise of both; a public disrupt (1 event) fails both functions (2):
    # C = 3 in every trial. An internal deface and a caught alteration add nothing.
    sc = scenario(
        [entry(["a", "b"], 1.0)],
        effects=[
            {"type": "disrupt", "duration": {"fixed": 24}, "visibility": "public"},
            {"type": "deface", "visibility": "internal"},
            {"type": "alter", "visibility": "public"},
        ],
    )
    post = posture(rs, [{"id": "C-D", "effects": {"detects": {"phishing": 1.0}}}], {"C-D": 4})
    r = run(rs, sc, post, trials=100)
    assert r.mean_confidence == 3.0
