"""Posture (docs/trial-model.md, step 1): per-asset control levels and the step probabilities
they give."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from engine_models import SCALE, assessment, framework, levels, system

import cyberready
from cyberready.models import Framework
from cyberready.posture import asset_levels, build_posture, levels_from

RS = system(
    [
        {"id": "ws-1", "type": "staff_workstation", "tags": ["regional-office"]},
        {"id": "ws-2", "type": "staff_workstation", "tags": ["regional-office"]},
        {"id": "ws-3", "type": "staff_workstation", "exposure": "internet"},
        {"id": "db", "type": "voter_registration_db", "data": ["pii"]},
        {"id": "site", "type": "results_website", "exposure": "internet"},
    ]
)
WS_ONLY = {"id": "C-WS", "applies_to": ["staff_workstation"]}
ORG = {"id": "C-ORG", "applies_to": ["organization"]}


def test_answer_levels_cover_applicable_assets_only() -> None:
    lv = levels(RS, [WS_ONLY, ORG], {"C-WS": 3, "C-ORG": 2})
    assert lv.level("C-WS").tolist() == [3, 3, 3, -1, -1]
    assert lv.level("C-ORG").tolist() == [2, 2, 2, 2, 2]
    assert lv.levels.dtype == np.int8
    assert lv.org_levels.tolist() == [-1, 2]  # only organisation-wide controls have one


def test_unanswered_is_level_zero_and_listed_na_is_minus_one() -> None:
    lv = levels(RS, [WS_ONLY, ORG], {"C-ORG": "n/a"})
    assert lv.level("C-WS").tolist() == [0, 0, 0, -1, -1]
    assert lv.unanswered == {"C-WS"}
    assert lv.level("C-ORG").tolist() == [-1] * 5
    assert lv.org_levels.tolist() == [-1, -1]


def test_most_specific_override_wins_whatever_the_order() -> None:
    overrides: list[dict[str, Any]] = [
        {"select": ["ws-1"], "control": "C-ORG", "level": 4},  # ids: most specific
        {"select": {"tags": ["regional-office"]}, "control": "C-ORG", "level": 1},
        {"select": {"types": ["staff_workstation"]}, "control": "C-ORG", "level": 3},
        {"select": {"exposure": ["internet"]}, "control": "C-ORG", "level": 0},
        {"select": {"data": ["pii"]}, "control": "C-ORG", "level": "n/a"},
    ]
    lv = levels(RS, [ORG], {"C-ORG": 2}, overrides)
    # ws-1: ids beat tags; ws-2: tags beat types; ws-3: types beat exposure;
    # db: data selector applies; site: exposure override applies.
    assert lv.level("C-ORG").tolist() == [4, 1, 3, -1, 0]
    assert lv.org_levels.tolist() == [2]  # overrides never change the organisation-wide level
    reversed_lv = levels(RS, [ORG], {"C-ORG": 2}, overrides[::-1])
    assert reversed_lv.level("C-ORG").tolist() == [4, 1, 3, -1, 0]


def test_override_cannot_make_a_control_apply_to_another_type() -> None:
    lv = levels(RS, [WS_ONLY], {"C-WS": 1}, [{"select": ["db"], "control": "C-WS", "level": 4}])
    assert lv.level("C-WS").tolist() == [1, 1, 1, -1, -1]


def test_raised_copies_and_never_lowers() -> None:
    lv = levels(
        RS,
        [WS_ONLY, ORG],
        {"C-WS": 1, "C-ORG": 2},
        [{"select": ["ws-2"], "control": "C-WS", "level": 4}],
    )
    up = lv.raised("C-WS", 3)
    assert up.level("C-WS").tolist() == [3, 4, 3, -1, -1]  # ws-2 stays at 4; db, site n/a
    assert lv.level("C-WS").tolist() == [1, 4, 1, -1, -1]  # the original is unchanged
    some = lv.raised("C-WS", 2, positions=[RS.position("ws-3")])
    assert some.level("C-WS").tolist() == [1, 4, 2, -1, -1]
    org = lv.raised("C-ORG", 4)
    assert org.org_levels.tolist() == [-1, 4]
    partial = lv.raised("C-ORG", 4, positions=[0])
    assert partial.org_levels.tolist() == [-1, 2]  # a per-asset what-if leaves reassurance
    with pytest.raises(KeyError, match="C-NOPE"):
        lv.raised("C-NOPE", 2)
    with pytest.raises(ValueError, match="0–4"):
        lv.raised("C-WS", 5)


def test_raised_fills_an_na_answer_on_applicable_assets() -> None:
    lv = levels(RS, [WS_ONLY], {"C-WS": "n/a"})
    assert lv.raised("C-WS", 2).level("C-WS").tolist() == [2, 2, 2, -1, -1]


def test_posture_factors_by_hand() -> None:
    controls = [
        {
            "id": "C-A",
            "applies_to": ["staff_workstation"],
            "effects": {
                "mitigates": {"phishing": 0.5},
                "detects": {"phishing": 0.6},
                "recovers": 0.5,
            },
        },
        {
            "id": "C-B",
            "applies_to": ["organization"],
            "effects": {
                "mitigates": {"phishing": 0.4},
                "detects": {"phishing": 0.5},
                "reassures": 0.6,
            },
        },
    ]
    # effectiveness [0, .25, .5, .75, 1]; C-A at level 2 (eff .5), C-B at 4 (eff 1), but C-B is
    # overridden to level 0 on site (eff 0) — the organisation-wide level stays 4.
    p = levels(
        RS, controls, {"C-A": 2, "C-B": 4}, [{"select": ["site"], "control": "C-B", "level": 0}]
    ).posture()
    # workstations: success (1 - .5*.5)(1 - .4*1) = .75 * .6 = .45
    #               detection 1 - (1 - .6*.5)(1 - .5*1) = 1 - .7*.5 = .65
    # db: only C-B: success .6, detection .5; site: C-B at 0: 1 and 0
    np.testing.assert_allclose(p.success_factor("phishing"), [0.45, 0.45, 0.45, 0.6, 1.0])
    np.testing.assert_allclose(p.detection("phishing"), [0.65, 0.65, 0.65, 0.5, 0.0])
    # recovery: C-A recovers .5 at eff .5 on workstations -> .75
    np.testing.assert_allclose(p.recovery_factor(), [0.75, 0.75, 0.75, 1.0, 1.0])
    assert p.reassurance == pytest.approx(1 - 0.6 * 1.0)
    # techniques no control touches
    assert p.success_factor("ddos").tolist() == [1.0] * 5
    assert p.detection("ddos").tolist() == [0.0] * 5


def test_unanswered_controls_have_no_effect() -> None:
    controls = [{"id": "C-A", "effects": {"mitigates": {"phishing": 0.9}, "reassures": 0.5}}]
    p = levels(RS, controls, {}).posture()
    assert p.success_factor("phishing").tolist() == [1.0] * 5
    assert p.reassurance == 1.0


def test_effectiveness_comes_from_the_controls_framework() -> None:
    steep = dict(SCALE, effectiveness=[0.0, 0.9, 0.95, 0.99, 1.0])
    fw = Framework.model_validate(
        {
            **framework([{"id": "C-A", "effects": {"mitigates": {"phishing": 1.0}}}]).model_dump(
                by_alias=True
            ),
            "maturity_scale": steep,
        }
    )
    p = levels_from(RS, [fw], assessment({"C-A": 1})).posture()
    np.testing.assert_allclose(p.success_factor("phishing"), [0.1] * 5)


def test_platform_controls_are_not_in_the_emb_posture() -> None:
    fw = framework(
        [
            {"id": "C-EMB", "effects": {"mitigates": {"phishing": 0.5}}},
            {"id": "C-PLAT", "subject": "platform", "effects": {"mitigates": {"phishing": 0.5}}},
        ]
    )
    lv = levels_from(RS, [fw], assessment({"C-EMB": 4}))
    assert lv.control_ids == ("C-EMB",)


def test_raising_a_control_never_raises_a_factor() -> None:
    controls = [
        {
            "id": "C-A",
            "applies_to": ["staff_workstation"],
            "effects": {
                "mitigates": {"phishing": 0.5},
                "detects": {"phishing": 0.6},
                "recovers": 0.5,
                "reassures": 0.2,
            },
        },
        {"id": "C-B", "effects": {"mitigates": {"phishing": 0.3}, "reassures": 0.3}},
    ]
    base = levels(RS, controls, {"C-A": 1, "C-B": 2})
    for cid in ("C-A", "C-B"):
        for level in range(5):
            lo, hi = base.posture(), base.raised(cid, level).posture()
            assert (hi.success_factor("phishing") <= lo.success_factor("phishing")).all()
            assert (hi.detection("phishing") >= lo.detection("phishing")).all()
            assert (hi.recovery_factor() <= lo.recovery_factor()).all()
            assert hi.reassurance <= lo.reassurance


def test_workspace_posture_from_the_example(example_dir: Path) -> None:
    ws = cyberready.load_workspace(example_dir)
    lv = asset_levels(ws)
    n_emb = sum(1 for fw in ws.frameworks for c in fw.controls if fw.subject_of(c) == "emb")
    assert lv.levels.shape == (n_emb, ws.resolved.n_assets)
    assert ws.assessment is not None
    unanswered = {c for c in lv.control_ids if c not in ws.assessment.answers}
    assert lv.unanswered == unanswered
    p = build_posture(ws)
    assert p.n_assets == ws.resolved.n_assets
    for tech in p.success:
        assert ((p.success_factor(tech) >= 0) & (p.success_factor(tech) <= 1)).all()
        assert ((p.detection(tech) >= 0) & (p.detection(tech) <= 1)).all()
