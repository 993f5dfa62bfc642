"""Report views: what each audience's data view holds, the donor view's structural redaction,
golden JSON views and their schemas (README, "Reports").

Golden files live in ``tests/golden/``; regenerate them with ``CYBERREADY_UPDATE_GOLDEN=1``
after a change that is meant to alter the views, and review the diff.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import jsonschema
import pytest
from pydantic import BaseModel
from report_workspace import write_workspace

import cyberready
from cyberready.assess import AssessmentResult
from cyberready.errors import ReportError
from cyberready.report import Audience, View, build_view, render, render_json, view_schema
from cyberready.report.models import (
    AdvisorView,
    DonorView,
    PlatformView,
    PublicView,
    TechnicalView,
    check_donor_view,
)
from cyberready.report.redaction import Redactor, Term
from cyberready.report.views import build_views, sensitive_terms

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("CYBERREADY_UPDATE_GOLDEN", "") not in ("", "0")
TRIALS, SEED = 400, 3


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> AssessmentResult:
    root = write_workspace(tmp_path_factory.mktemp("rep") / "ws")
    return cyberready.assess(root, trials=TRIALS, seed=SEED)


def _rounded(value: object) -> object:
    """Floats to 9 decimals, so the last bits of a sum never fail a golden comparison."""
    if isinstance(value, float):
        return round(value, 9)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return value


def _normalized(text: str) -> str:
    data = json.loads(text)
    data["meta"]["cyberready_version"] = "<version>"
    return json.dumps(_rounded(data), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def _compare_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE or not path.exists():
        if not UPDATE:
            pytest.fail(f"{path} is missing; run with CYBERREADY_UPDATE_GOLDEN=1 to create it")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), (
        f"{name} differs from the golden file; if the change is intended, regenerate with "
        "CYBERREADY_UPDATE_GOLDEN=1 and review the diff"
    )


# --------------------------------------------------------------------------- golden

ALL: tuple[Audience, ...] = ("technical", "advisor", "donor", "public", "platform")
COMPANY = "Chatterly"


def _view(result: AssessmentResult, audience: Audience) -> View:
    return build_view(result, audience, company=COMPANY if audience == "platform" else None)


@pytest.mark.parametrize("audience", ALL)
def test_json_view_matches_golden_file(result: AssessmentResult, audience: Audience) -> None:
    _compare_golden(f"report-{audience}.json", _normalized(render_json(_view(result, audience))))


@pytest.mark.parametrize("audience", ALL)
def test_json_schema_matches_golden_file(audience: Audience) -> None:
    schema = json.dumps(view_schema(audience), indent=2, sort_keys=True) + "\n"
    _compare_golden(f"report-{audience}.schema.json", schema)


@pytest.mark.parametrize("audience", ALL)
def test_json_report_validates_against_its_schema(
    result: AssessmentResult, audience: Audience
) -> None:
    view = _view(result, audience)
    jsonschema.validate(json.loads(render_json(view)), view_schema(audience))


def test_json_report_round_trips_into_the_view_type(result: AssessmentResult) -> None:
    cases: tuple[tuple[Audience, type[View]], ...] = (
        ("technical", TechnicalView),
        ("advisor", AdvisorView),
        ("donor", DonorView),
        ("public", PublicView),
        ("platform", PlatformView),
    )
    for audience, cls in cases:
        view = _view(result, audience)
        assert type(view) is cls
        assert cls.model_validate_json(render_json(view)) == view


# --------------------------------------------------------------------------- content


def test_each_audience_carries_its_tlp_label(result: AssessmentResult) -> None:
    labels = {a: _view(result, a).banner.tlp for a in ALL}
    assert labels == {
        "technical": "TLP:AMBER+STRICT",
        "advisor": "TLP:AMBER+STRICT",
        "donor": "TLP:GREEN",
        "public": "TLP:CLEAR",
        "platform": "TLP:AMBER",
    }


def test_technical_view_holds_assets_paths_and_evidence(result: AssessmentResult) -> None:
    view = build_view(result, "technical")
    assert isinstance(view, TechnicalView) and not isinstance(view, AdvisorView)
    assert {a.asset_id for a in view.assets} == {
        "ws-staff",
        "dc-main",
        "vr-register",
        "site-results",
        "site-mirror",
    }
    evidence = {c.control_id: c.evidence for c in view.controls}
    assert evidence["REP-NET-02"] == "Network diagram v3"
    levels = {c.control_id: c.level for c in view.controls}
    assert levels["REP-DATA-01"] is None  # unassessed, shown as such
    assert levels["REP-DATA-02"] == "n/a"
    spread = {c.control_id: c.spread for c in view.controls}
    assert spread["REP-NET-03"] == (1, 3)  # the mirror's override is not averaged away
    assert view.paths, "the phishing scenario reaches the register: a path is listed"
    assert all(p.assets[0] == "ws-staff" for p in view.paths if p.scenario_id == "rep-phish")
    assert view.limitations.unassessed_ids == ("REP-DATA-01",)
    assert [p.as_of.isoformat() for p in view.readiness.trend] == ["2025-11-01", "2026-11-01"]


def test_functions_are_ordered_by_chance_of_failure(result: AssessmentResult) -> None:
    view = build_view(result, "technical")
    assert isinstance(view, TechnicalView)
    chances = [f.p_fail for f in view.functions]
    assert chances == sorted(chances, reverse=True)
    assert result.simulation is not None
    cycle = dict(
        zip(result.simulation.function_ids, result.simulation.cycle_probability, strict=True)
    )
    assert {f.function_id: f.p_fail for f in view.functions} == pytest.approx(cycle)


def test_advisor_view_adds_crosswalks_roadmap_and_assumptions(result: AssessmentResult) -> None:
    view = build_view(result, "advisor")
    assert isinstance(view, AdvisorView)
    assert ("REP-NET-01", "nist-csf-2.0", ("PR.AT-01",)) in {
        (x.control_id, x.catalog_id, x.items) for x in view.crosswalks
    }
    assert view.roadmap, "the budget plan is placed on the calendar"
    assert all(r.ready >= r.start for r in view.roadmap)
    names = {a.name for a in view.assumptions}
    assert {"Trials per scenario", "Random seed"} <= names


def test_donor_priorities_add_up_to_the_plan(result: AssessmentResult) -> None:
    view = build_view(result, "donor")
    assert isinstance(view, DonorView)
    assert view.plan is not None and view.priorities
    total = sum(p.risk_reduction_share for p in view.priorities)
    assert total == pytest.approx(view.plan.risk_reduction_share, abs=1e-9)
    assert sum(p.actions for p in view.priorities) == view.plan.actions
    assert [p.rank for p in view.priorities] == list(range(1, len(view.priorities) + 1))


# --------------------------------------------------------------------------- redaction


SENSITIVE_FIELD = re.compile(
    r"^(assets?|asset_ids?|labels?|evidence|notes|paths|exposed_paths|graph_nodes|graph_edges"
    r"|scope|why|spof|spof_for|controls_detail|matrix)$"
)


def _field_names(model: type[BaseModel]) -> set[str]:
    names: set[str] = set()
    for name, field in model.model_fields.items():
        names.add(name)
        for arg in _types(field.annotation):
            if isinstance(arg, type) and issubclass(arg, BaseModel):
                names |= _field_names(arg)
    return names


def _types(tp: object) -> list[object]:
    args = getattr(tp, "__args__", None)
    if not args:
        return [tp]
    return [t for a in args for t in _types(a)]


def test_donor_view_type_has_no_field_for_sensitive_data() -> None:
    names = _field_names(DonorView)
    assert not {n for n in names if SENSITIVE_FIELD.search(n)}
    # ...while the technical view does hold them (the test would catch a rename)
    technical = {n for n in _field_names(TechnicalView) if SENSITIVE_FIELD.search(n)}
    assert {"asset_id", "label", "evidence", "notes", "paths", "graph_nodes"} <= technical


PUBLIC_FORBIDDEN_FIELD = re.compile(
    r"(score|low|high|p_fail|probab|likelihood|cost|usd|budget|share|gain|loss|level|gap"
    r"|target|coverage|unassessed|functions?|scenarios?|priorit|risk)"
)


def test_public_view_type_has_no_field_for_scores_costs_levels_or_sensitive_data() -> None:
    names = _field_names(PublicView) - {"public_confidence_weight"}
    assert not {n for n in names if SENSITIVE_FIELD.search(n)}
    assert not {n for n in names if PUBLIC_FORBIDDEN_FIELD.search(n)}, names
    # ...while the donor view does hold scores, chances and costs (the test would catch them)
    donor = {n for n in _field_names(DonorView) if PUBLIC_FORBIDDEN_FIELD.search(n)}
    assert {"score", "p_fail", "cost_low", "risk_reduction_share"} <= donor


def test_public_view_shows_bands_their_change_and_measures_by_title(
    result: AssessmentResult,
) -> None:
    view = build_view(result, "public")
    assert isinstance(view, PublicView)
    assert view.bands == tuple(name for _lo, name in view_tiers(result))
    assert view.band == result.readiness.overall.tier
    # the fixture has a 2025 assessment: every domain's band is compared with it
    assert view.method.previous_as_of is not None
    before = {d.domain: d.tier for d in result.history[-1].domains}
    for d, r in zip(view.domains, result.readiness.domains, strict=True):
        assert d.band == r.tier
        assert d.previous_band == before.get(r.domain)
        if d.previous_band is not None:
            k0, k1 = view.bands.index(d.previous_band), view.bands.index(d.band)
            assert d.change == ("improved" if k1 > k0 else "declined" if k1 < k0 else "unchanged")
    # under way: the EMB's own targets above the level (REP-NET-01 1 -> 3, REP-NET-03 3 -> 4),
    # unless the plan already has them
    titles = {c.control: c.title for c in result.readiness.controls}
    listed = {t for g in view.measures for t in (*g.under_way, *g.planned)}
    planned = {t for g in view.measures for t in g.planned}
    for cid in ("REP-NET-01", "REP-NET-03"):
        assert titles[cid] in listed
    assert not {t for g in view.measures for t in g.under_way} & planned
    assert view.method.assessor and view.method.answered <= view.method.controls


def view_tiers(result: AssessmentResult) -> list[tuple[float, str]]:
    return [(t.min, t.name) for t in result.workspace.frameworks[0].tiers]


def test_platform_view_holds_one_company_and_nothing_of_the_emb(result: AssessmentResult) -> None:
    view = build_view(result, "platform", company="chatterly")  # any case
    assert isinstance(view, PlatformView) and view.company == COMPANY
    row = next(c for c in view.commitments if c.control_id == "REP-PLAT-01")
    assert (row.level, row.evidence, row.source) == (3, "Escalation test, 3 h reply", "test")
    assert row.ask  # level 3 without a target: keep it, share evidence next time
    text = render_json(view)
    strings = {t.text for t in sensitive_terms(result.workspace) if t.source != "platforms/"}
    assert strings
    assert not [s for s in strings if re.search(rf"(?<![\w-]){re.escape(s)}(?![\w-])", text)]
    with pytest.raises(ReportError, match="did you mean 'Chatterly'"):
        build_view(result, "platform", company="Chaterly")
    with pytest.raises(ReportError, match="Chatterly"):
        build_view(result, "platform")


def test_donor_view_refuses_unknown_fields() -> None:
    view = DonorView.model_json_schema()
    assert view.get("additionalProperties") is False


def test_function_title_naming_an_asset_is_withheld_from_donors(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws")
    system = (root / "system.yaml").read_text(encoding="utf-8")
    system = system.replace("title: Publish provisional results", "title: Keep site-results up")
    (root / "system.yaml").write_text(system, encoding="utf-8")
    res = cyberready.assess(root, trials=50, seed=1, priorities=False)
    donor = build_view(res, "donor")
    assert isinstance(donor, DonorView)
    titles = {f.title for f in donor.functions}
    assert "Keep [withheld] up" in titles
    assert "site-results" not in render_json(donor)
    technical = build_view(res, "technical")
    assert isinstance(technical, TechnicalView)
    assert "Keep site-results up" in {f.title for f in technical.functions}


def test_check_donor_view_reports_a_leak(result: AssessmentResult) -> None:
    donor = build_view(result, "donor")
    assert isinstance(donor, DonorView)
    assert check_donor_view(donor, ["vr-register", "Central voter register"]) == []
    leaked = donor.model_copy(
        update={"meta": donor.meta.model_copy(update={"country": "vr-register"})}
    )
    [(text, term)] = check_donor_view(leaked, ["vr-register"])
    assert (text, term.text) == ("vr-register", "vr-register")


def test_terms_match_whole_words_and_ids_inside_longer_tokens() -> None:
    red = Redactor([Term("ems", "asset id", "system.yaml"), Term("vr-db", "asset id", "s")])
    assert red.find("the EMS server")
    assert red.find("copy of vr-db.")
    assert not red.find("election systems")
    assert red.find("vr-db-replica")  # an id is found inside a longer id


def test_view_without_simulation_still_renders_readiness(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws")
    res = cyberready.assess(root, simulation=False)
    view = build_view(res, "technical")
    assert isinstance(view, TechnicalView)
    assert view.meta.trials is None and view.scenarios == () and view.actions == ()
    assert view.readiness.domains
    assert all(f.p_fail == 0 for f in view.functions)


def test_donor_priorities_name_the_funded_actions_by_control_title(
    result: AssessmentResult,
) -> None:
    view = build_view(result, "donor")
    assert isinstance(view, DonorView) and view.priorities
    p = result.priorities
    assert p is not None and p.plan is not None
    planned = {a.title for a in p.plan.actions}
    named = [t for d in view.priorities for t in d.action_titles]
    assert set(named) == planned
    assert len(named) == len(set(named))  # each funded control once
    md = render(view, "md").decode()
    html = render(view, "html").decode()
    for title in planned:
        assert title in md and title in html


def test_a_control_title_naming_an_asset_is_withheld_from_donors(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws")
    framework = root / "frameworks" / "rep.yaml"
    text = framework.read_text(encoding="utf-8")
    assert "title: Network segmentation" in text
    framework.write_text(
        text.replace("title: Network segmentation", "title: Segment dc-main"), encoding="utf-8"
    )
    res = cyberready.assess(root, trials=100, seed=5)
    donor = build_view(res, "donor")
    assert isinstance(donor, DonorView)
    titles = {t for d in donor.priorities for t in d.action_titles}
    assert "Segment [withheld]" in titles
    assert "dc-main" not in render_json(donor)


def test_build_views_gives_what_build_view_gives_for_each_audience(
    result: AssessmentResult,
) -> None:
    """The technical and advisor views built together (their shared tables made once) equal
    each built alone, in another language too."""
    for locale in ("en", "fr"):
        views = build_views(result, ["advisor", "donor", "technical"], locale=locale)
        assert list(views) == ["advisor", "donor", "technical"]
        for audience, view in views.items():
            assert view == build_view(result, audience, locale=locale)
