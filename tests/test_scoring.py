"""Readiness scoring (docs/scoring.md) on hand-computed cases, confidence bands, asset spreads,
platform scorecards, and hypothesis properties of the rules."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mini_emb import (
    FRAMEWORK,
    mini_assessment,
    mini_framework,
    mini_system,
    write_mini_workspace,
)

import cyberready
from cyberready.models import Framework, PlatformScorecard
from cyberready.scoring import Readiness, confidence_band, score

FW = mini_framework()


def _score(answers: dict[str, Any], **kw: Any) -> Readiness:
    overrides = kw.pop("overrides", None)
    return score(
        frameworks=[FW],
        assessment=mini_assessment(answers, overrides=overrides),
        system=kw.pop("system", None),
        **kw,
    )


# --------------------------------------------------------------------------- hand-computed


def test_weighted_scores_unassessed_counted_as_zero_and_listed() -> None:
    r = _score(
        {
            "MINI-A-01": {"level": 4, "source": "test"},
            "MINI-A-02": {"level": 2, "source": "interview", "target": 4},
        }
    )
    a01, a02, b01 = (r.control(c) for c in ("MINI-A-01", "MINI-A-02", "MINI-B-01"))
    assert (a01.score, a02.score, b01.score) == (100.0, 50.0, 0.0)
    assert b01.status == "unassessed"
    # domain A: (1*100 + 3*50) / 4
    dom_a = r.domain("mini", "A")
    assert dom_a.score == 62.5
    assert dom_a.tier == "Established"
    assert dom_a.coverage == 1.0
    # domain B: the unassessed control alone, visibly
    dom_b = r.domain("mini", "B")
    assert dom_b.score == 0.0
    assert dom_b.unassessed == ("MINI-B-01",)
    assert dom_b.coverage == 0.0
    assert dom_b.tier == "Critical gaps"
    # framework: (100 + 150 + 0) / 6, and overall is the same single framework
    fw = r.framework("mini")
    assert fw.score == pytest.approx(250 / 6)
    assert fw.tier == "Developing"
    assert fw.coverage == pytest.approx(2 / 3)
    assert r.overall.score == fw.score
    assert r.unassessed == ("MINI-B-01",)
    # the platform control never enters EMB scores
    assert "MINI-P-01" not in {c.control for c in r.controls}
    assert [d.domain for d in r.domains] == ["A", "B"]


def test_targets_and_gap() -> None:
    r = _score(
        {
            "MINI-A-01": {"level": 4, "source": "test"},
            "MINI-A-02": {"level": 2, "source": "interview", "target": 4},
        }
    )
    assert r.control("MINI-A-02").gap == 50.0
    assert r.control("MINI-A-01").gap is None
    dom_a = r.domain("mini", "A")
    # controls without a target are held at their score: (1*100 + 3*100) / 4
    assert dom_a.target == 100.0
    assert dom_a.gap == 37.5
    assert r.domain("mini", "B").target is None
    # a target below the current level is no gap
    r2 = _score({"MINI-A-01": {"level": 3, "target": 1}})
    assert r2.control("MINI-A-01").gap == 0.0


def test_not_applicable_is_left_out_not_counted_as_zero() -> None:
    r = _score(
        {
            "MINI-A-01": {"level": 4, "source": "test"},
            "MINI-A-02": {"level": 2, "source": "interview"},
            "MINI-B-01": {"level": "n/a", "notes": "no workstations"},
        }
    )
    assert r.framework("mini").score == 62.5
    assert r.framework("mini").coverage == 1.0
    assert r.framework("mini").not_applicable == 1
    dom_b = r.domain("mini", "B")
    assert dom_b.score is None and dom_b.tier is None
    assert r.control("MINI-B-01").score is None


def test_tiers_come_from_the_framework() -> None:
    data = {**FRAMEWORK, "tiers": [{"min": 0, "name": "Red"}, {"min": 50, "name": "Green"}]}
    fw = Framework.model_validate(data)
    r = score(frameworks=[fw], assessment=mini_assessment({"MINI-A-01": {"level": 2}}))
    assert r.domain("mini", "A").score == 12.5
    assert r.domain("mini", "A").tier == "Red"
    r = score(
        frameworks=[fw],
        assessment=mini_assessment({"MINI-A-01": {"level": 2}, "MINI-A-02": {"level": 2}}),
    )
    assert r.domain("mini", "A").tier == "Green"  # exactly at the threshold


def test_no_assessment_scores_everything_unassessed() -> None:
    r = score(frameworks=[FW])
    assert r.overall.score == 0.0
    assert r.overall.coverage == 0.0
    assert r.unassessed == ("MINI-A-01", "MINI-A-02", "MINI-B-01")
    assert r.overall.confidence_band == "Low"


# --------------------------------------------------------------------------- confidence


@pytest.mark.parametrize(
    ("sources", "confidence", "band", "half"),
    [
        (("test", "test", "test"), 1.0, "High", 0.0),
        (("interview", "interview", "interview"), 0.4, "Low", 15.0),
        (("document", "document", "document"), 0.6, "Medium", 10.0),
        # weights 1, 3, 2: (0.6*1 + 0.8*3 + 1.0*2) / 6 = 5.0/6
        (("document", "observation", "test"), 5.0 / 6, "High", 25 / 6),
        # (1.0*1 + 0.4*3 + 0*2) / 6 = 2.2/6
        (("test", "interview", "none"), 2.2 / 6, "Low", 25 * (1 - 2.2 / 6)),
    ],
)
def test_confidence_band_from_evidence_sources(
    sources: tuple[str, str, str], confidence: float, band: str, half: float
) -> None:
    ids = ("MINI-A-01", "MINI-A-02", "MINI-B-01")
    r = _score({c: {"level": 2, "source": s} for c, s in zip(ids, sources, strict=True)})
    fw = r.framework("mini")
    assert fw.score == 50.0
    assert fw.confidence == pytest.approx(confidence)
    assert fw.confidence_band == band
    assert fw.band == pytest.approx((50 - half, 50 + half))


def test_confidence_unassessed_counts_zero_and_na_is_left_out() -> None:
    r = _score(
        {
            "MINI-A-01": {"level": 4, "source": "test"},
            "MINI-A-02": {"level": "n/a", "source": "test"},
        }
    )
    dom_a = r.domain("mini", "A")
    assert dom_a.confidence == 1.0  # only MINI-A-01 counts
    assert dom_a.band == (100.0, 100.0)
    # framework: MINI-A-01 (w1, test) and the unassessed MINI-B-01 (w2, 0)
    assert r.framework("mini").confidence == pytest.approx(1 / 3)
    assert r.framework("mini").confidence_band == "Low"


def test_band_is_clipped_to_the_scale() -> None:
    r = _score({"MINI-A-01": {"level": 4, "source": "interview"}})
    assert r.control("MINI-A-01").confidence == 0.4
    # domain A: 100 from MINI-A-01 (w1) and 0 from the unassessed MINI-A-02 (w3) = 25,
    # confidence (0.4*1 + 0*3) / 4 = 0.1, half-width 22.5
    assert r.domain("mini", "A").band == pytest.approx((2.5, 47.5))
    assert r.domain("mini", "B").band == (0.0, 25.0)  # 0 - 25 clipped at 0
    top = _score({c: {"level": 4, "source": "interview"} for c in ("MINI-A-01", "MINI-A-02")})
    assert top.domain("mini", "A").band == (85.0, 100.0)  # 100 + 15 clipped at 100


def test_confidence_band_thresholds() -> None:
    assert [confidence_band(x) for x in (1.0, 0.75, 0.7499, 0.5, 0.4999, 0.0)] == [
        "High",
        "High",
        "Medium",
        "Medium",
        "Low",
        "Low",
    ]
    assert confidence_band(None) is None


# --------------------------------------------------------------------------- asset spread


def test_an_asset_group_at_level_zero_is_shown_not_averaged_away() -> None:
    r = _score(
        {"MINI-A-01": {"level": 4}, "MINI-A-02": {"level": 4}, "MINI-B-01": {"level": 3}},
        overrides=[{"select": {"tags": ["regional"]}, "control": "MINI-B-01", "level": 0}],
        system=mini_system(),
    )
    b01 = r.control("MINI-B-01")
    assert b01.score == 75.0  # the organisation-level answer
    assert b01.spread == (0, 3)
    groups = {(g.group, g.level, g.assets, g.items) for g in b01.groups}
    assert groups == {("answer", 3, 1, 1), ("tags=regional", 0, 1, 10)}
    assert r.domain("mini", "B").spread == (0.0, 75.0)
    # framework: weights 1, 3, 2 -> low (100 + 300 + 0) / 6, high (100 + 300 + 150) / 6
    assert r.framework("mini").spread == pytest.approx((400 / 6, 550 / 6))
    frame = r.to_frame("asset_group")
    rows = frame[frame["control"] == "MINI-B-01"]
    assert sorted(rows["level"].tolist()) == [0, 3]
    assert sorted(rows["items"].tolist()) == [1, 10]


def test_most_specific_override_wins_and_only_applicable_assets_count() -> None:
    r = _score(
        {"MINI-A-01": {"level": 4}, "MINI-A-02": {"level": 2}, "MINI-B-01": {"level": 3}},
        overrides=[
            {"select": {"types": ["staff_workstation"]}, "control": "MINI-B-01", "level": 2},
            {"select": ["ws2"], "control": "MINI-B-01", "level": 1},
            # hq holds a workstation and the website; MINI-A-02 applies to the website only
            {"select": "tag:hq", "control": "MINI-A-02", "level": 4},
            {"select": ["ws1"], "control": "MINI-A-02", "level": 0},
            {"select": ["ws2"], "control": "MINI-A-01", "level": 1},
        ],
        system=mini_system(),
    )
    b01 = r.control("MINI-B-01")
    assert b01.spread == (1, 2)  # ws1 by type (2), ws2 by id (1); the answer holds nowhere
    assert {g.group for g in b01.groups} == {"types=staff_workstation", "ids=ws2"}
    assert r.control("MINI-A-02").spread == (4, 4)  # ws1 is not a website
    a01 = r.control("MINI-A-01")
    assert a01.spread == (1, 4)
    assert {(g.level, g.assets) for g in a01.groups} == {(4, 3), (1, 1)}


def test_unassessed_control_is_level_zero_on_its_assets() -> None:
    r = _score(
        {},
        overrides=[{"select": ["ws2"], "control": "MINI-B-01", "level": 3}],
        system=mini_system(),
    )
    assert r.control("MINI-B-01").spread == (0, 3)
    assert r.control("MINI-B-01").score == 0.0


def test_no_spread_without_a_system_or_applicable_assets() -> None:
    assert _score({"MINI-A-01": {"level": 2}}).control("MINI-A-01").spread is None
    data = {**FRAMEWORK}
    data["controls"] = [
        {**FRAMEWORK["controls"][0], "applies_to": ["tally_server"]},
        *FRAMEWORK["controls"][1:],
    ]
    fw = Framework.model_validate(data)
    r = score(
        frameworks=[fw],
        assessment=mini_assessment({"MINI-A-01": {"level": 2}}),
        system=mini_system(),
    )
    assert r.control("MINI-A-01").spread is None
    assert r.control("MINI-A-01").groups == ()


# --------------------------------------------------------------------------- platforms, API


def _card(company: str, answers: dict[str, Any]) -> PlatformScorecard:
    return PlatformScorecard.model_validate(
        {
            "schema_version": 1,
            "kind": "platform_scorecard",
            "company": company,
            "framework": "mini",
            "as_of": "2026-01-05",
            "answers": answers,
        }
    )


def test_platform_scorecards_scored_once_per_company() -> None:
    r = score(
        frameworks=[FW],
        assessment=mini_assessment({"MINI-A-01": {"level": 4}}),
        platforms=[
            _card("Zeta", {"MINI-P-01": {"level": 2, "source": "document"}}),
            _card("Alpha", {}),
        ],
    )
    assert [p.company for p in r.platforms] == ["Alpha", "Zeta"]
    zeta = r.platforms[1]
    assert zeta.total.score == 50.0
    assert [c.control for c in zeta.controls] == ["MINI-P-01"]
    assert [d.domain for d in zeta.domains] == ["P"]
    assert r.platforms[0].total.score == 0.0
    assert r.platforms[0].total.unassessed == ("MINI-P-01",)
    # platform answers never change the EMB's scores
    assert r.overall.score == pytest.approx(100 / 6)
    frame = r.to_frame("platform")
    assert frame.set_index("company").loc["Zeta", "score"] == 50.0


def test_library_api_on_a_workspace(tmp_path: Any) -> None:
    root = write_mini_workspace(
        tmp_path / "ws",
        {"MINI-A-01": {"level": 4, "source": "test"}, "MINI-B-01": {"level": "n/a"}},
        overrides=[{"select": ["ws2"], "control": "MINI-A-01", "level": 1}],
        platforms={"Chirp": {"MINI-P-01": {"level": 3}}},
    )
    ws = cyberready.load_workspace(root)
    r = cyberready.score(ws)
    assert r.emb == "mini-emb"
    assert r.overall.score == 25.0  # (1*100 + 3*0) / 4
    assert r.control("MINI-A-01").spread == (1, 4)
    assert [p.company for p in r.platforms] == ["Chirp"]
    frame = r.to_frame()
    assert list(frame["control"]) == ["MINI-A-01", "MINI-A-02", "MINI-B-01"]
    assert frame["level"].tolist()[0] == 4
    assert frame.loc[2, "status"] == "n/a"
    by_fw = r.to_frame("framework")
    assert list(by_fw["scope"]) == ["overall", "framework"]
    html = r._repr_html_()
    assert "<table" in html and "mini-emb" in html and "Alpha" in html
    with pytest.raises(ValueError, match="expected control"):
        r.to_frame("nonsense")  # type: ignore[arg-type]  # an unknown table, on purpose
    data = r.to_dict()
    assert data["overall"]["score"] == 25.0
    assert data["controls"][2]["level"] == "n/a"


def test_example_workspace_smoke(example_dir: Any) -> None:
    r = cyberready.score(cyberready.load_workspace(example_dir))
    assert 0 <= (r.overall.score or 0) <= 100
    assert r.unassessed  # the example leaves some controls unassessed on purpose
    assert all(c.framework in ("usaid-ecbs", "ifes-tech-guidelines") for c in r.controls)
    ifes = cyberready.load_library().frameworks["ifes-tech-guidelines"]
    platform = {c.id for c in ifes.controls if ifes.subject_of(c) == "platform"}
    assert len(platform) == 13  # TCG-01 ... TCG-13, scored per company, never in the EMB's score
    assert not platform & {c.control for c in r.controls}


# --------------------------------------------------------------------------- properties

CONTROL_IDS = ("MINI-A-01", "MINI-A-02", "MINI-B-01")
SYSTEM = mini_system()

answer_st = st.one_of(
    st.none(),
    st.just({"level": "n/a"}),
    st.fixed_dictionaries(
        {
            "level": st.integers(0, 4),
            "source": st.sampled_from(["document", "test", "observation", "interview", "none"]),
        },
        optional={"target": st.integers(0, 4)},
    ),
)
override_st = st.fixed_dictionaries(
    {
        "select": st.sampled_from(
            [["ws1"], ["ws2"], ["site"], {"tags": ["hq"]}, {"types": ["staff_workstation"]}]
        ),
        "control": st.sampled_from(CONTROL_IDS),
        "level": st.one_of(st.integers(0, 4), st.just("n/a")),
    }
)
weights_st = st.tuples(*(st.integers(1, 5) for _ in CONTROL_IDS))


def _framework(weights: tuple[int, ...]) -> Framework:
    controls = [
        {**c, "weight": w} for c, w in zip(FRAMEWORK["controls"][:3], weights, strict=True)
    ] + FRAMEWORK["controls"][3:]
    return Framework.model_validate({**FRAMEWORK, "controls": controls})


def _valid_overrides(overrides: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Drop overrides that equally-specific earlier ones would contradict (a validation error
    in a workspace), keeping the property inputs valid."""
    kept: list[dict[str, Any]] = []
    for ov in overrides:
        if not any(k["control"] == ov["control"] and k["select"] == ov["select"] for k in kept):
            kept.append(ov)
    return kept


def _run(fw: Framework, answers: dict[str, Any], overrides: list[dict[str, Any]]) -> Readiness:
    return score(
        frameworks=[fw],
        assessment=mini_assessment(answers, overrides=overrides),
        system=SYSTEM,
    )


def _all_scores(r: Readiness) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for a in (r.overall, *r.frameworks, *r.domains):
        out[f"{a.label}:score"] = a.score
        out[f"{a.label}:spread_low"] = a.spread[0] if a.spread else None
        out[f"{a.label}:spread_high"] = a.spread[1] if a.spread else None
    for c in r.controls:
        out[f"{c.control}:score"] = c.score
    return out


inputs = st.tuples(
    weights_st,
    st.tuples(*(answer_st for _ in CONTROL_IDS)),
    st.lists(override_st, max_size=4),
)


def _unpack(
    drawn: tuple[tuple[int, ...], tuple[Any, ...], list[dict[str, Any]]],
) -> tuple[Framework, dict[str, Any], list[dict[str, Any]]]:
    weights, answers, overrides = drawn
    given_answers = {c: a for c, a in zip(CONTROL_IDS, answers, strict=True) if a is not None}
    return _framework(weights), given_answers, _valid_overrides(overrides)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(inputs)
def test_property_scores_stay_in_range(drawn: Any) -> None:
    fw, answers, overrides = _unpack(drawn)
    r = _run(fw, answers, overrides)
    for value in _all_scores(r).values():
        assert value is None or 0.0 <= value <= 100.0
    for a in (r.overall, *r.frameworks, *r.domains):
        if a.band is not None:
            assert 0.0 <= a.band[0] <= (a.score or 0) <= a.band[1] <= 100.0
        if a.target is not None:
            assert 0.0 <= a.target <= 100.0 and (a.gap or 0) >= 0


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(inputs, st.sampled_from(CONTROL_IDS), st.integers(0, 4))
def test_property_raising_an_answer_never_lowers_any_score(
    drawn: Any, control: str, new_level: int
) -> None:
    fw, answers, overrides = _unpack(drawn)
    old = answers.get(control)
    if old is not None and old["level"] == "n/a":
        return  # n/a -> a level is not "raising": the control joins the mean
    if old is not None and new_level < old["level"]:
        new_level = old["level"]
    raised = {**answers, control: {**(old or {}), "level": new_level}}
    before, after = (
        _all_scores(_run(fw, answers, overrides)),
        _all_scores(_run(fw, raised, overrides)),
    )
    for key, value in before.items():
        if value is not None and (new := after[key]) is not None:
            assert new >= value, key


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(inputs, st.integers(0, 3), st.integers(0, 4))
def test_property_raising_an_override_never_lowers_any_score(
    drawn: Any, which: int, new_level: int
) -> None:
    fw, answers, overrides = _unpack(drawn)
    numeric = [i for i, ov in enumerate(overrides) if isinstance(ov["level"], int)]
    if not numeric:
        return
    i = numeric[which % len(numeric)]
    raised = [dict(ov) for ov in overrides]
    raised[i]["level"] = max(new_level, overrides[i]["level"])
    before, after = (
        _all_scores(_run(fw, answers, overrides)),
        _all_scores(_run(fw, answers, raised)),
    )
    for key, value in before.items():
        if value is not None and (new := after[key]) is not None:
            assert new >= value, key


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(inputs, st.sampled_from(CONTROL_IDS))
def test_property_na_never_counts_as_zero(drawn: Any, control: str) -> None:
    """Marking a control n/a scores exactly as if the framework did not have it."""
    fw, answers, _ = _unpack(drawn)
    marked = {**answers, control: {"level": "n/a"}}
    with_na = score(frameworks=[fw], assessment=mini_assessment(marked))
    data = fw.model_dump(mode="python", by_alias=True)
    data["controls"] = [c for c in data["controls"] if c["id"] != control]
    without = Framework.model_validate(data)
    rest = {c: a for c, a in marked.items() if c != control}
    removed = score(frameworks=[without], assessment=mini_assessment(rest))
    assert with_na.overall.score == removed.overall.score
    assert with_na.framework("mini").score == removed.framework("mini").score
    for d in removed.domains:
        assert with_na.domain("mini", d.domain).score == d.score
    if with_na.overall.score is not None:
        zero = score(
            frameworks=[fw], assessment=mini_assessment({**answers, control: {"level": 0}})
        )
        assert zero.overall.score is not None
        assert zero.overall.score <= with_na.overall.score


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(inputs, st.sampled_from(CONTROL_IDS))
def test_property_unanswered_never_raises_a_score(drawn: Any, control: str) -> None:
    fw, answers, overrides = _unpack(drawn)
    if control not in answers or answers[control]["level"] == "n/a":
        return  # removing an n/a answer adds a 0 to the mean: tested by n/a's property
    dropped = {c: a for c, a in answers.items() if c != control}
    before, after = (
        _all_scores(_run(fw, answers, overrides)),
        _all_scores(_run(fw, dropped, overrides)),
    )
    for key, value in after.items():
        if value is not None and (old_value := before[key]) is not None:
            assert value <= old_value, key
    assert control in _run(fw, dropped, overrides).unassessed
