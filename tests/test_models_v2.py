"""Version-2 vocabulary and file fields: sites and operators, alternative dependency groups,
functions over several phases, controls' selectors and curves, and the threat context."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from pydantic import ValidationError

import cyberready
from cyberready import InputError
from cyberready.models import Control, EmbProfile, Function, Link, Scenario, Selector, SystemModel
from cyberready.posture import asset_levels, effective_likelihood
from cyberready.workspace import ResolvedSystem

SYSTEM = SystemModel.model_validate(
    {
        "schema_version": 1,
        "kind": "system",
        "emb": "x",
        "assets": [
            {"id": "hq-ws", "type": "staff_workstation", "site": "headquarters", "operator": "emb"},
            {"id": "ro-ws", "type": "staff_workstation", "site": "regional_office"},
            {"id": "party-copy", "type": "voter_registration_db", "operator": "party", "count": 14},
            {"id": "plain", "type": "staff_workstation"},
            {"id": "grid", "type": "power"},
            {"id": "gen", "type": "power"},
        ],
        "links": [
            {"from": "hq-ws", "to": "grid", "kind": "powered_by", "group": "power"},
            {"from": "hq-ws", "to": "gen", "kind": "powered_by", "group": "power"},
        ],
    }
)


def _rows(system: ResolvedSystem, selector: object) -> list[str]:
    sel = Selector.model_validate(selector)
    return [system.ids[int(i)] for i in system.select(sel)]


def test_sites_and_operators_select_and_an_asset_without_one_never_matches() -> None:
    rs = ResolvedSystem.from_model(SYSTEM)
    assert _rows(rs, {"sites": ["headquarters", "regional_office"]}) == ["hq-ws", "ro-ws"]
    assert _rows(rs, "site:regional_office") == ["ro-ws"]
    assert _rows(rs, "operator:party") == ["party-copy"]
    assert _rows(rs, {"types": ["staff_workstation"], "operators": ["emb"]}) == ["hq-ws"]
    assert "plain" not in _rows(rs, {"operators": list(cyberready.models.vocab.OPERATORS)})
    assert rs.site_of(rs.position("plain")) is None
    assert rs.operator_of(rs.position("party-copy")) == "party"


def test_override_specificity_ids_tags_sites_types_exposure() -> None:
    ranks = [
        Selector.model_validate(s).specificity()
        for s in ({"ids": ["a"]}, {"tags": ["t"]}, "site:field", "operator:vendor")
    ]
    ranks += [
        Selector.model_validate(s).specificity() for s in ("type:dns", {"exposure": ["internet"]})
    ]
    assert ranks[0] > ranks[1] > ranks[2] == ranks[3] > ranks[4] > ranks[5]


def test_groups_only_on_dependency_links_and_kept_per_link() -> None:
    with pytest.raises(ValidationError, match="group is for dependency links"):
        Link.model_validate({"from": "a", "to": "b", "kind": "connects_to", "group": "g"})
    rs = ResolvedSystem.from_model(SYSTEM)
    assert [rs.group_of(e) for e in range(rs.n_links)] == ["power", "power"]


def test_function_phase_is_shorthand_for_phases() -> None:
    base = {"id": "f", "title": "F", "max_tolerable_outage_hours": 1, "requires": [{"any": ["a"]}]}
    assert Function.model_validate({**base, "phase": "voting"}).phases == ("voting",)
    two = Function.model_validate({**base, "phases": ["campaign", "voting"]})
    assert two.phases == ("campaign", "voting")
    with pytest.raises(ValidationError, match="not both"):
        Function.model_validate({**base, "phase": "voting", "phases": ["campaign"]})
    with pytest.raises(ValidationError, match="needs phase"):
        Function.model_validate(base)


def test_applies_to_selector_and_own_effectiveness_curve() -> None:
    ctl = Control.model_validate(
        {
            "id": "X-01",
            "domain": "D",
            "title": "Copies held by others",
            "objective": "o",
            "applies_to": {"types": ["voter_registration_db"], "operators": ["party"]},
            "effectiveness": [0, 0.05, 0.1, 0.8, 1],
        }
    )
    assert not ctl.organization_wide
    rs = ResolvedSystem.from_model(SYSTEM)
    assert [rs.ids[int(i)] for i in rs.select(ctl.applies_selector)] == ["party-copy"]
    with pytest.raises(ValidationError, match="non-decreasing"):
        Control.model_validate(
            {
                "id": "X-01",
                "domain": "D",
                "title": "t",
                "objective": "o",
                "effectiveness": [0, 0.5, 0.2, 0.8, 1],
            }
        )
    with pytest.raises(ValidationError):  # a list names types, never asset ids
        Control.model_validate(
            {"id": "X-01", "domain": "D", "title": "t", "objective": "o", "applies_to": ["vr-db"]}
        )


def test_a_controls_own_curve_sets_its_strength() -> None:
    ws = cyberready.load_workspace(cyberready.example_path())
    levels = asset_levels(ws)
    fw = ws.frameworks[0]
    ctl = fw.controls[0]
    assert list(levels.effectiveness[levels.index(ctl.id)]) == list(fw.curve_of(ctl))


SCENARIO = {
    "schema_version": 1,
    "kind": "scenario",
    "id": "shutdown",
    "title": "Shutdown",
    "actor": "government",
    "objective": "availability",
    "phases": ["voting"],
    "likelihood": 0.2,
    "entry": [{"select": "type:network", "technique": "t", "probability": 1, "time": {"fixed": 1}}],
    "effects": [{"type": "deface"}],
}


@pytest.mark.parametrize(
    ("context", "expected", "origin"),
    [
        (None, 0.2, "generic"),
        ({"source": "s"}, 0.2, "actor"),  # unlisted actor: medium
        ({"source": "s", "actors": {"government": "none"}}, 0.0, "actor"),
        ({"source": "s", "actors": {"government": "low"}}, 0.2 * 0.3, "actor"),
        ({"source": "s", "actors": {"government": "high"}}, 0.4, "actor"),
        (
            {"source": "s", "scenarios": {"shutdown": {"likelihood": 0.02, "rationale": "none"}}},
            0.02,
            "emb",
        ),
    ],
)
def test_effective_likelihood(context: object, expected: float, origin: str) -> None:
    emb = EmbProfile.model_validate(
        {"schema_version": 1, "kind": "emb", "id": "e", "name": "E", "threat_context": context}
    )
    got = effective_likelihood(Scenario.model_validate(SCENARIO), emb.threat_context)
    assert got.value == pytest.approx(expected, abs=1e-15) and got.origin == origin
    assert got.base == 0.2


def test_a_high_actor_raise_is_capped_but_a_high_base_is_never_lowered() -> None:
    ctx = EmbProfile.model_validate(
        {
            "schema_version": 1,
            "kind": "emb",
            "id": "e",
            "name": "E",
            "threat_context": {"source": "s", "actors": {"government": "high"}},
        }
    ).threat_context
    raised = Scenario.model_validate({**SCENARIO, "likelihood": 0.6})
    assert effective_likelihood(raised, ctx).value == 0.95
    certain = Scenario.model_validate({**SCENARIO, "likelihood": 1.0})
    assert effective_likelihood(certain, ctx).value == 1.0


def test_threat_context_naming_an_unknown_scenario_is_an_error(tmp_path: Path) -> None:
    import shutil

    ws = tmp_path / "ws"
    shutil.copytree(cyberready.example_path(), ws)
    emb = (ws / "emb.yaml").read_text(encoding="utf-8")
    emb += (
        "threat_context:\n  source: test\n  scenarios:\n"
        "    internet-shutdwn: {likelihood: 0.01, rationale: never happened}\n"
    )
    (ws / "emb.yaml").write_text(emb, encoding="utf-8")
    with pytest.raises(InputError) as err:
        cyberready.load_workspace(ws)
    (problem,) = err.value.problems
    assert "internet-shutdwn" in problem.message and "internet-shutdown" in problem.hint
    assert problem.line is not None


def test_simulate_uses_the_effective_likelihood(tmp_path: Path) -> None:
    import shutil

    ws = tmp_path / "ws"
    shutil.copytree(cyberready.example_path(), ws)
    with (ws / "emb.yaml").open("a", encoding="utf-8") as f:
        f.write(
            "threat_context:\n  source: test\n  actors: {government: none}\n  scenarios:\n"
            "    website-defacement: {likelihood: 0.5, rationale: seen twice}\n"
        )
    sim = cyberready.simulate(
        cyberready.load_workspace(ws),
        scenarios=["website-defacement", "internet-shutdown"],
        trials=50,
    )
    deface, shutdown = sim.scenarios["website-defacement"], sim.scenarios["internet-shutdown"]
    assert (deface.likelihood, deface.likelihood_origin) == (0.5, "emb")
    assert shutdown.likelihood == 0.0 and shutdown.expected_loss == 0.0
    assert shutdown.base > 0
    assert np.all(sim.cycle_probability >= 0)


def test_generate_fills_site_and_operator_and_reports_bad_rows_by_line() -> None:
    from cyberready.io import CsvTable, Document
    from cyberready.workspace import expand_generate

    system = SystemModel.model_validate(
        {
            "schema_version": 1,
            "kind": "system",
            "emb": "x",
            "assets": [{"id": "grid", "type": "power"}, {"id": "gen", "type": "power"}],
            "generate": [
                {
                    "csv": "s.csv",
                    "asset": {
                        "id": "kit-{st}",
                        "type": "results_transmission",
                        "site": "{where}",
                        "operator": "emb",
                    },
                    "links": [{"to": "grid", "kind": "powered_by", "group": "power"}],
                }
            ],
        }
    )
    table = CsvTable(
        "s.csv",
        ("st", "where"),
        {"st": ["1", "2", "3"], "where": ["polling_station", "", "moon"]},
        np.array([2, 3, 4]),
    )
    gen, problems = expand_generate(system, Document("system.yaml", None), [table])
    assert gen is None
    assert [(p.file, p.line) for p in problems] == [("s.csv", 4)] and "moon" in problems[0].message
    table.columns["where"][2] = "field"
    gen, problems = expand_generate(system, Document("system.yaml", None), [table])
    assert gen is not None and not problems
    rs = ResolvedSystem.from_model(system, generated=gen)
    assert [rs.site_of(i) for i in range(2, 5)] == ["polling_station", None, "field"]
    assert {rs.operator_of(i) for i in range(2, 5)} == {"emb"}
    assert {rs.group_of(e) for e in range(rs.n_links)} == {"power"}
