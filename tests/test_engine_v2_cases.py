"""Hand-solved models for the version-2 trial model: counts, entry ``mode: one``, alternatives
dependency groups, verification, the one unusable-member rule and functions over several phases.

Each probability is worked out in a comment and checked within 4 standard errors; exact facts
(times, counts that must be 0 or all) are checked exactly. Every case runs through the numpy
kernel, the one-trial-at-a-time reference and (with the ``fast`` extra) the compiled kernel,
which must agree bit for bit."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from engine_models import entry, function, posture, scenario, spread, system

from cyberready.engine import ScenarioResult, compile_scenario, run_compiled
from cyberready.engine.kernel import run_block
from cyberready.engine.reference import ReferenceSummary, run_reference
from cyberready.posture import Posture

TRIALS = 20_000
SEED = 2026


def close(count: int, trials: int, p: float) -> bool:
    """``count / trials`` is within 4 standard errors of ``p``."""
    se = math.sqrt(p * (1 - p) / trials)
    return abs(count / trials - p) <= 4 * se + 1e-12


def run(
    rs: Any, sc: Any, post: Posture | None = None, trials: int = TRIALS
) -> tuple[ScenarioResult, ReferenceSummary]:
    """The engine's result and the reference's, checked equal (and the compiled kernel's)."""
    post = post or Posture.neutral(rs.n_assets)
    c = compile_scenario(rs, sc, post)
    got = run_compiled(c, trials, SEED)
    ref = run_reference(rs, sc, post, trials, SEED)
    np.testing.assert_array_equal(got.fail_time, ref.fail_time)
    np.testing.assert_array_equal(got.compromised, ref.compromised)
    np.testing.assert_array_equal(got.confidence, ref.confidence)
    try:
        from cyberready.engine import numba_kernel
    except ImportError:  # pragma: no cover - without the fast extra
        return got, ref
    if numba_kernel.available():
        fast = numba_kernel.numba_run_block(c, SEED, 0, trials)
        np.testing.assert_array_equal(fast.fail_time, got.fail_time)
        np.testing.assert_array_equal(fast.confidence, got.confidence)
    return got, ref


def failures(r: ScenarioResult, fid: str) -> tuple[int, int]:
    return int(r.failure_counts[r.function_ids.index(fid)]), r.trials


def compromised(r: ScenarioResult, asset: str) -> tuple[int, int]:
    return int(r.compromised[r.asset_ids.index(asset)]), r.trials


# --------------------------------------------------------------------------- one rule


def test_an_altered_tally_and_an_out_paper_fallback_fail_an_any_group_with_0_30() -> None:
    # publish needs any of the electronic tally or the paper forms (tolerance 12 h). The tally
    # is altered with 0.6; independently, the paper fallback is out for 24 h > 12 h with 0.5.
    # Neither member is usable with 0.6 x 0.5 = 0.30 (version 1, judging availability and
    # integrity apart, gave 0).
    rs = system(
        [("tally", "tally_server"), ("paper", "results_form")],
        [],
        [function("publish", [{"any": ["tally", "paper"]}], tolerance=12)],
    )
    sc = scenario(
        [entry(["tally"], 0.6, technique="insider_abuse"), entry(["paper"], 0.5)],
        effects=[
            {"type": "alter", "targets": ["tally"]},
            {"type": "disrupt", "targets": ["paper"], "duration": {"fixed": 24}},
        ],
    )
    r, _ = run(rs, sc)
    assert close(*failures(r, "publish"), 0.30)
    # both entered at 1 h: the tally is unusable at once, the paper at 1 + 12 = 13 h; the group
    # (any) fails when its last member goes, at 13 h
    assert set(r.time_to_failure[np.isfinite(r.time_to_failure)].tolist()) == {13.0}


# --------------------------------------------------------------------------- counts


def test_counts_raise_each_attempt_to_any_of_its_items() -> None:
    # 3 workstations in one asset (count 3), each phished with 0.2: the asset falls with
    # 1 - 0.8^3 = 0.488. The link into a register held in 2 copies (count 2) succeeds with
    # 1 - 0.5^2 = 0.75. P(register) = 0.488 x 0.75 = 0.366.
    rs = system(
        [
            {"id": "ws", "type": "staff_workstation", "count": 3},
            {"id": "copies", "type": "voter_registration_db", "count": 2},
        ],
        [("ws", "copies", "connects_to")],
        [function("register", [{"all": ["copies"]}], phase="voter_registration")],
    )
    sc = scenario(
        [entry(["ws"], 0.2)], [spread(["connects_to"], 0.5)], phases=["voter_registration"]
    )
    r, _ = run(rs, sc)
    assert close(*compromised(r, "ws"), 0.488)
    assert close(*failures(r, "register"), 0.366)


def test_count_one_is_exactly_the_version_1_attempt() -> None:
    # an explicit count of 1 changes no draw: the same trials fail as without a count
    plain = system([("a", "tally_server")], [], [function("f", [{"all": ["a"]}])])
    counted = system(
        [{"id": "a", "type": "tally_server", "count": 1}], [], [function("f", [{"all": ["a"]}])]
    )
    sc = scenario([entry(["a"], 0.1)])
    one, _ = run(plain, sc, trials=4000)
    two, _ = run(counted, sc, trials=4000)
    np.testing.assert_array_equal(one.fail_time, two.fail_time)


# --------------------------------------------------------------------------- mode: one


def test_mode_one_strikes_one_of_the_matched_assets() -> None:
    # a campaign goes after one of 3 polling-station kits (mode: one), p = 0.5: some kit falls
    # with 0.5, each one with 0.5 / 3 = 1/6, and never two in one trial
    kits = [f"kit-{i}" for i in range(3)]
    rs = system(
        [(k, "results_transmission") for k in kits],
        [],
        [function("transmit", [{"any": kits}]), function("all-kits", [{"all": kits}])],
    )
    sc = scenario([entry({"types": ["results_transmission"]}, 0.5, mode="one")])
    r, _ = run(rs, sc)
    assert close(*failures(r, "all-kits"), 0.5)  # some kit is down
    for k in kits:
        assert close(*compromised(r, k), 1 / 6)
    assert int(r.compromised.sum()) == failures(r, "all-kits")[0]  # one kit per trial at most
    assert failures(r, "transmit")[0] == 0  # the other kits still transmit


def test_mode_one_picks_by_count() -> None:
    # counts 1, 2, 3 (6 items): the kits are picked with 1/6, 2/6, 3/6, then fall with 0.5,
    # not raised to their count: 1/12, 2/12, 3/12
    rs = system(
        [{"id": f"kit-{i}", "type": "results_transmission", "count": i + 1} for i in range(3)]
    )
    sc = scenario([entry({"types": ["results_transmission"]}, 0.5, mode="one")])
    r, _ = run(rs, sc)
    for i in range(3):
        assert close(*compromised(r, f"kit-{i}"), (i + 1) / 12)


def test_mode_one_on_one_asset_is_mode_each() -> None:
    rs = system([("a", "tally_server"), ("b", "email")], [], [function("f", [{"all": ["a"]}])])
    each, _ = run(rs, scenario([entry(["a"], 0.3)]), trials=4000)
    one, _ = run(rs, scenario([entry(["a"], 0.3, mode="one")]), trials=4000)
    np.testing.assert_array_equal(each.fail_time, one.fail_time)
    np.testing.assert_array_equal(each.compromised, one.compromised)


def test_mode_one_sorts_the_matched_assets_by_id() -> None:
    # the pick walks the matched assets in id order, whatever their order in the file: the
    # same trials compromise the same asset ids
    forward = system([("k-a", "results_transmission"), ("k-b", "results_transmission")])
    backward = system([("k-b", "results_transmission"), ("k-a", "results_transmission")])
    sc = scenario([entry({"types": ["results_transmission"]}, 1.0, mode="one")])
    post = Posture.neutral(2)
    one = run_block(compile_scenario(forward, sc, post), SEED, 0, 3000)
    two = run_block(compile_scenario(backward, sc, post), SEED, 0, 3000)
    assert one.compromised.tolist() == two.compromised[::-1].tolist()
    assert one.compromised.min() > 1300  # both assets are picked


# --------------------------------------------------------------------------- alternatives


GRID = [
    ("site", "results_website"),
    ("grid", "power"),
    ("generator", "power"),
]


@pytest.mark.parametrize(("group", "p"), [(True, 0.2), (False, 0.7)])
def test_grid_or_generator(group: bool, p: float) -> None:
    # the site is powered_by the grid (out with 0.5) and a generator (out with 0.4,
    # independently). As alternatives it is out only when both are: 0.5 x 0.4 = 0.2; as two
    # required links when either is: 1 - 0.5 x 0.6 = 0.7
    tag = ("power",) if group else ()
    rs = system(
        GRID,
        [("site", "grid", "powered_by", *tag), ("site", "generator", "powered_by", *tag)],
        [function("publish", [{"all": ["site"]}])],
    )
    sc = scenario([entry(["grid"], 0.5), entry(["generator"], 0.4)])
    r, _ = run(rs, sc)
    assert close(*failures(r, "publish"), p)
    assert compromised(r, "site")[0] == 0


def test_a_cycle_through_a_group_cannot_keep_itself_down() -> None:
    # site powered_by {grid | ups} (alternatives), and the ups is powered_by the site (a cycle
    # through the group). Only the grid is knocked out (certain, 24 h): the ups is up, so the
    # site is up, so nothing fails — the least fixed point, not "site out because the ups is out
    # because the site is out". Knock the ups out too (0.5) and the site goes down with it.
    rs = system(
        [("site", "results_website"), ("grid", "power"), ("ups", "power")],
        [
            ("site", "grid", "powered_by", "power"),
            ("site", "ups", "powered_by", "power"),
            ("ups", "site", "depends_on"),
        ],
        [function("publish", [{"all": ["site"]}]), function("backup", [{"all": ["ups"]}])],
    )
    r, _ = run(rs, scenario([entry(["grid"], 1.0)]), trials=2000)
    assert failures(r, "publish")[0] == 0
    assert failures(r, "backup")[0] == 0
    r2, _ = run(rs, scenario([entry(["grid"], 1.0), entry(["ups"], 0.5)]))
    assert close(*failures(r2, "publish"), 0.5)
    assert close(*failures(r2, "backup"), 0.5)


def test_a_group_fails_at_its_last_members_cause() -> None:
    # grid out from 1 h, generator from 3 h (fixed times): the site is out from 3 h, the later
    # cause, and fails at 3 + 6 = 9 h; a required link to the grid alone would fail at 7 h
    rs = system(
        GRID,
        [("site", "grid", "powered_by", "power"), ("site", "generator", "powered_by", "power")],
        [function("publish", [{"all": ["site"]}])],
    )
    sc = scenario([entry(["grid"], 1.0, {"fixed": 1}), entry(["generator"], 1.0, {"fixed": 3})])
    r, ref = run(rs, sc, trials=200)
    assert set(r.time_to_failure.tolist()) == {9.0}
    # the path of each failure leads to the generator, the cause that came last, then the site
    assert set(ref.paths) == {(0, 2, 0)}


# --------------------------------------------------------------------------- verification


VERIFY = {
    "id": "C-RECON",
    "applies_to": ["tally_server"],
    "effects": {"verifies": {"probability": 0.5, "recheck": {"fixed": 24}}},
}


def _tally(tolerance: float) -> tuple[Any, Any]:
    # ws entered with 0.6, the tally reached from it with 0.7: the alteration reaches the
    # tally with 0.42
    rs = system(
        [("ws", "staff_workstation"), ("tally", "tally_server")],
        [("ws", "tally", "connects_to")],
        [function("tally", [{"all": ["tally"]}], tolerance=tolerance)],
    )
    sc = scenario(
        [entry(["ws"], 0.6)],
        [spread(["connects_to"], 0.7)],
        [{"type": "alter", "targets": ["tally"], "visibility": "public"}],
    )
    return rs, sc


def test_verification_catches_half_the_alterations() -> None:
    # reconciliation with v = 0.5 at full strength catches half: integrity fails with
    # 0.42 x 0.5 = 0.21 (tolerance 48 h: the 24 h recheck itself is tolerated)
    rs, sc = _tally(48)
    r, ref = run(rs, sc, posture(rs, [VERIFY], {"C-RECON": 4}))
    assert close(*failures(r, "tally"), 0.21)
    assert ref.caught is not None
    assert close(int(ref.caught[1]), TRIALS, 0.21)
    # without the control, every alteration that arrives fails the function
    plain, _ = run(rs, sc)
    assert close(*failures(plain, "tally"), 0.42)


def test_a_caught_alteration_is_out_for_the_recheck() -> None:
    # tolerance 12 h < the 24 h recheck: a caught alteration still fails the function, later:
    # P = 0.42 whether caught or not; an altered tally fails at its arrival (2 h), a caught
    # one at 2 + 12 = 14 h
    rs, sc = _tally(12)
    r, ref = run(rs, sc, posture(rs, [VERIFY], {"C-RECON": 4}))
    assert close(*failures(r, "tally"), 0.42)
    times = r.time_to_failure[np.isfinite(r.time_to_failure)]
    assert set(times.tolist()) == {2.0, 14.0}
    assert ref.caught is not None
    assert int((times == 14.0).sum()) == int(ref.caught[1])
    # a caught alteration was still public: C counts the alteration (1) + the failure (1)
    assert set(r.confidence[np.isfinite(r.time_to_failure)].tolist()) == {2}


def test_verification_strength_and_several_controls() -> None:
    # level 2 (effectiveness 0.5): v = 0.5 x 0.5 = 0.25, integrity fails with 0.42 x 0.75;
    # two such controls: v = 1 - 0.75^2 = 0.4375, so 0.42 x 0.5625
    rs, sc = _tally(48)
    second = {**VERIFY, "id": "C-AUDIT"}
    r, _ = run(rs, sc, posture(rs, [VERIFY], {"C-RECON": 2}))
    assert close(*failures(r, "tally"), 0.42 * 0.75)
    r2, _ = run(rs, sc, posture(rs, [VERIFY, second], {"C-RECON": 2, "C-AUDIT": 2}))
    assert close(*failures(r2, "tally"), 0.42 * 0.5625)


def test_the_shortest_recheck_of_the_acting_controls_counts() -> None:
    # a 24 h and a 10 h recheck at the tally, tolerance 12 h. With both acting, a catch keeps
    # the tally out min(24, 10) = 10 h: tolerated, only uncaught alterations fail:
    # v = 1 - 0.5^2 = 0.75, P = 0.42 x 0.25. With the quick one at level 0 (not acting) a catch
    # is out 24 h and fails too: P = 0.42.
    rs, sc = _tally(12)
    quick = {
        "id": "C-QUICK",
        "applies_to": ["tally_server"],
        "effects": {"verifies": {"probability": 0.5, "recheck": {"fixed": 10}}},
    }
    both, _ = run(rs, sc, posture(rs, [VERIFY, quick], {"C-RECON": 4, "C-QUICK": 4}))
    assert close(*failures(both, "tally"), 0.42 * 0.25)
    slow, _ = run(rs, sc, posture(rs, [VERIFY, quick], {"C-RECON": 4, "C-QUICK": 0}))
    assert close(*failures(slow, "tally"), 0.42)


def test_a_recheck_stays_on_its_asset_and_recovery_does_not_shorten_it() -> None:
    # site depends_on the tally: the tally's recheck (24 h > 6 h) fails the tally function but
    # not the site's. A recovering control at the tally (0.9) does not shorten the recheck.
    rs = system(
        [("tally", "tally_server"), ("site", "results_website")],
        [("site", "tally", "depends_on")],
        [
            function("count", [{"all": ["tally"]}]),
            function("publish", [{"all": ["site"]}]),
        ],
    )
    sc = scenario([entry(["tally"], 1.0)], effects=[{"type": "alter", "targets": ["tally"]}])
    recover = {"id": "C-BCP", "applies_to": ["tally_server"], "effects": {"recovers": 0.9}}
    certain = {
        **VERIFY,
        "effects": {"verifies": {"probability": 1.0, "recheck": {"fixed": 24}}},
    }
    post = posture(rs, [certain, recover], {"C-RECON": 4, "C-BCP": 4})
    r, ref = run(rs, sc, post, trials=500)
    assert ref.caught is not None and int(ref.caught[0]) == 500
    assert failures(r, "count")[0] == 500
    assert failures(r, "publish")[0] == 0
    assert set(r.time_to_failure.tolist()) == {1.0 + 6.0}


def test_an_alteration_that_detection_catches_is_no_public_event() -> None:
    # detection catches the alteration (certain): no event, no verification draw either;
    # without detection the public alteration counts once even when verification catches it
    rs, sc = _tally(48)
    watch = {
        "id": "C-NDR",
        "applies_to": ["tally_server"],
        "effects": {"detects": {"lateral_movement": 1.0}},
    }
    caught_early, ref = run(rs, sc, posture(rs, [VERIFY, watch], {"C-RECON": 4, "C-NDR": 4}))
    assert caught_early.confidence.sum() == 0
    assert ref.caught is not None and int(ref.caught.sum()) == 0
    verified, _ = run(rs, sc, posture(rs, [VERIFY], {"C-RECON": 4}))
    assert close(int(verified.confidence.sum()), TRIALS, 0.42 + 0.21)  # events + failures


# --------------------------------------------------------------------------- phases


def test_a_function_over_several_phases_fails_in_any_of_them() -> None:
    # protect voter data spans the campaign and voting; a leak scenario in the campaign fails
    # it, one in counting does not
    rs = system(
        [{"id": "vr", "type": "voter_registration_db", "data": ["pii"]}],
        [],
        [
            function(
                "protect",
                [{"all": ["vr"], "protects_data": True}],
                phase=["campaign", "voting"],
                tolerance=720,
            )
        ],
    )
    leak = [{"type": "leak"}]
    campaign, _ = run(rs, scenario([entry(["vr"], 0.3)], effects=leak, phases=["campaign"]))
    assert close(*failures(campaign, "protect"), 0.3)
    assert campaign.in_phase.tolist() == [True]
    counting, _ = run(rs, scenario([entry(["vr"], 0.3)], effects=leak, phases=["counting"]))
    assert failures(counting, "protect")[0] == 0
    assert counting.in_phase.tolist() == [False]
