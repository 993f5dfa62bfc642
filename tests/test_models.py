"""The file models (docs/system-model.md) hold what the design says, and their problems read well.

Models are built in code here; what a user sees from a file is shown through
:func:`cyberready.io.parse_model` on a small document, so the message and its location are
checked together.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import pytest
from pydantic import ValidationError

from cyberready.io import Document, parse_model, read_yaml, salvage_model
from cyberready.models import (
    Answer,
    Assessment,
    Effect,
    Effects,
    Effort,
    EmbProfile,
    Framework,
    PhaseWindow,
    RequirementGroup,
    Scenario,
    Selector,
    SystemModel,
    TimeDistribution,
)


def doc_of(tmp_path: Path, text: str) -> Document:
    path = tmp_path / "f.yaml"
    path.write_text(text, encoding="utf-8")
    doc, problems = read_yaml(path, display="f.yaml")
    assert doc is not None and problems == []
    return doc


# --------------------------------------------------------------------------- vocabulary


@pytest.mark.parametrize(
    ("written", "ids", "types", "tags"),
    [
        (["a", "b"], ("a", "b"), None, None),
        ("type:tally_server", None, ("tally_server",), None),
        ("tag:hq", None, None, ("hq",)),
        ("id:vr-db", ("vr-db",), None, None),
        ({"types": "pollbook", "tags": ["x", "y"]}, None, ("pollbook",), ("x", "y")),
    ],
)
def test_selector_forms(written: Any, ids: Any, types: Any, tags: Any) -> None:
    sel = Selector.model_validate(written)
    assert (sel.ids, sel.types, sel.tags) == (ids, types, tags)


@pytest.mark.parametrize("written", ["tally_server", "kind:x", "type:", {"types": ["tally"]}])
def test_selector_refuses(written: Any) -> None:
    with pytest.raises(ValidationError):
        Selector.model_validate(written)


def test_selector_specificity_orders_ids_tags_types_exposure() -> None:
    ranks = [
        Selector(ids=("a",)).specificity(),
        Selector(tags=("t",)).specificity(),
        Selector(types=("pollbook",)).specificity(),
        Selector(exposure=("internet",)).specificity(),
        Selector().specificity(),
    ]
    assert ranks == sorted(ranks, reverse=True) and len(set(ranks)) == 5


@pytest.mark.parametrize(
    ("written", "kind"),
    [
        ({"fixed": 4}, "fixed"),
        ({"exponential": {"mean": 48}}, "exponential"),
        ({"lognormal": {"median": 24, "p90": 120}}, "lognormal"),
        ({"uniform": [0, 12]}, "uniform"),
    ],
)
def test_time_distribution_kinds(written: dict[str, Any], kind: str) -> None:
    assert TimeDistribution.model_validate(written).kind == kind


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ({}, "exactly one of"),
        ({"fixed": 4, "exponential": {"mean": 2}}, "got fixed, exponential"),
        ({"fixed": 0}, "greater than 0"),
        ({"fixed": -1}, "greater than 0"),
        ({"exponential": {"mean": 0}}, "greater than 0"),
        ({"lognormal": {"median": 24, "p90": 24}}, "p90 (24) must be greater than median (24)"),
        ({"lognormal": {"median": 24, "p90": 10}}, "must be greater than median"),
        ({"uniform": [5, 5]}, "0 <= lo < hi"),
        ({"uniform": [-1, 5]}, "0 <= lo < hi"),
        ({"uniform": [1, 2, 3]}, "at most 2"),
    ],
)
def test_time_distribution_refuses(written: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        TimeDistribution.model_validate(written)


# --------------------------------------------------------------------------- assessment


@pytest.mark.parametrize("level", [0, 1, 2, 3, 4, "n/a"])
def test_levels_accepted(level: int | Literal["n/a"]) -> None:
    assert Answer(level=level).level == level


@pytest.mark.parametrize("level", [5, 7, -1, "high", 2.5, None, "N/A"])
def test_levels_refused(level: Any) -> None:
    with pytest.raises(ValidationError):
        Answer.model_validate({"level": level})


def test_level_problem_names_the_level_line(tmp_path: Path) -> None:
    doc = doc_of(
        tmp_path,
        "schema_version: 1\nkind: assessment\nemb: x\nframeworks: [f]\nas_of: 2026-01-01\n"
        "answers:\n  ECBS-VR-01:\n    source: test\n    level: 7\n"
        "  ECBS-VR-02: {level: high}\n",
    )
    model, problems = parse_model(doc, Assessment)
    assert model is None
    assert [(p.line, p.field, p.message) for p in problems] == [
        (
            9,
            "answers.ECBS-VR-01.level",
            "level 7 is not a maturity level: use 0, 1, 2, 3, 4 or n/a",
        ),
        (
            10,
            "answers.ECBS-VR-02.level",
            "'high' is not valid here: expected a whole number or 'n/a'",
        ),
    ]


def test_phase_window_must_not_end_before_it_starts() -> None:
    with pytest.raises(ValidationError, match="before start"):
        PhaseWindow.model_validate({"start": "2027-03-14", "end": "2027-03-01"})


def test_emb_defaults_follow_the_design() -> None:
    emb = EmbProfile.model_validate({"schema_version": 1, "kind": "emb", "id": "x", "name": "X"})
    assert emb.frameworks == ("usaid-ecbs", "ifes-tech-guidelines")
    assert emb.scenarios == "all"
    assert emb.region is None and emb.budget_usd is None


# --------------------------------------------------------------------------- framework


def _framework(**control: Any) -> dict[str, Any]:
    return {
        "schema_version": 1,
        "kind": "framework",
        "id": "f",
        "title": "F",
        "maturity_scale": {
            "levels": [{"level": i, "name": f"L{i}", "description": ""} for i in range(5)],
            "effectiveness": [0, 0.2, 0.5, 0.8, 1],
        },
        "domains": [{"id": "GV", "title": "G"}],
        "controls": [{"id": "F-GV-01", "domain": "GV", "title": "T", "objective": "O", **control}],
    }


def test_framework_defaults_and_tiers() -> None:
    fw = Framework.model_validate(_framework())
    c = fw.controls[0]
    assert c.weight == 3 and c.organization_wide and fw.subject_of(c) == "emb"
    assert [t.min for t in fw.tiers] == [0, 40, 60, 80]
    assert fw.tier_for(39.99) == "Critical gaps" and fw.tier_for(80) == "Advanced"
    assert fw.effectiveness(2) == 0.5


@pytest.mark.parametrize(
    "control",
    [
        {"weight": 0},
        {"weight": 6},
        {"effects": {"mitigates": {"phishing": 1.5}}},
        {"effects": {"detects": {"phishing": -0.1}}},
        {"effects": {"recovers": 2}},
        {"effort": {"cost_usd": [10, 5]}},
        {"rubric": {0: "a", 1: "b"}},
        {"applies_to": ["mainframe"]},
        {"id": "f-gv-01"},
    ],
    ids=str,
)
def test_framework_control_refusals(control: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        Framework.model_validate(_framework(**control))


@pytest.mark.parametrize(
    "scale",
    [
        {"effectiveness": [0, 0.5, 0.4, 0.8, 1]},
        {"effectiveness": [0.1, 0.2, 0.5, 0.8, 1]},
        {"effectiveness": [0, 0.2, 0.5, 0.8, 0.9]},
    ],
)
def test_effectiveness_runs_from_0_to_1_without_falling(scale: dict[str, Any]) -> None:
    data = _framework()
    data["maturity_scale"].update(scale)
    with pytest.raises(ValidationError):
        Framework.model_validate(data)


def test_effects_and_effort_helpers() -> None:
    eff = Effects(mitigates={"phishing": 0.5}, detects={"data_exfiltration": 0.4})
    assert eff.techniques == {"phishing", "data_exfiltration"} and not eff.empty
    assert Effects().empty
    assert Effort().cost_usd == (0.0, 0.0)


# --------------------------------------------------------------------------- system


def test_requirement_group_takes_exactly_one_form() -> None:
    assert RequirementGroup.model_validate({"any": ["a"]}).mode == "any"
    assert RequirementGroup.model_validate({"all": "tag:hq"}).mode == "all"
    group = RequirementGroup.model_validate({"at_least": 0.95, "of": {"types": ["pollbook"]}})
    assert group.mode == "at_least" and group.members.types == ("pollbook",)
    for bad in ({"any": ["a"], "all": ["b"]}, {"at_least": 0.5}, {"of": ["a"]}, {}):
        with pytest.raises(ValidationError):
            RequirementGroup.model_validate(bad)
    with pytest.raises(ValidationError):
        RequirementGroup.model_validate({"at_least": 1.5, "of": ["a"]})


def test_link_from_is_written_as_from() -> None:
    system = SystemModel.model_validate(
        {
            "schema_version": 1,
            "kind": "system",
            "emb": "x",
            "assets": [{"id": "a", "type": "network"}, {"id": "b", "type": "power"}],
            "links": [{"from": "a", "to": "b", "kind": "powered_by"}],
        }
    )
    assert system.links[0].from_ == "a"
    assert system.model_dump(by_alias=True)["links"][0]["from"] == "a"


# --------------------------------------------------------------------------- scenario


def test_effect_duration_rules() -> None:
    assert Effect(type="deface").effective_visibility == "public"
    assert Effect(type="leak").effective_visibility == "none"
    with pytest.raises(ValidationError, match="needs a duration"):
        Effect(type="disrupt")
    with pytest.raises(ValidationError, match="only disrupt"):
        Effect.model_validate({"type": "leak", "duration": {"fixed": 1}})


def test_models_are_frozen_and_strict() -> None:
    answer = Answer(level=2)
    with pytest.raises(ValidationError):
        answer.level = 3  # type: ignore[misc]  # frozen: the assignment must fail
    with pytest.raises(ValidationError, match="extra"):
        Answer.model_validate({"level": 2, "evidense": "x"})


# --------------------------------------------------------------------------- problems from files


SCENARIO_TEXT = """\
schema_version: 1
kind: scenario
id: s
title: S
actor: criminal
objective: availability
phases: [voting]
likelihood: 0.2
entry:
  - select: {types: [staff_workstation]}
    technique: phishing
    probability: 0.5
    time: {fixed: 4}
  - select: [a]
    technique: phishing
    probability: 1.2
    time: {fixed: 4}
effects:
  - type: disrupt
"""


def test_problems_point_at_the_offending_line(tmp_path: Path) -> None:
    doc = doc_of(tmp_path, SCENARIO_TEXT)
    model, problems = parse_model(doc, Scenario)
    assert model is None
    assert [(p.line, p.field) for p in problems] == [
        (16, "entry[1].probability"),
        (19, "effects[0]"),
    ]
    assert problems[0].message == "must be at most 1, got 1.2"
    assert problems[1].message == "a disrupt effect needs a duration"


def test_salvaged_part_keeps_the_files_positions(tmp_path: Path) -> None:
    """entry[0] is broken: the salvaged part's entry[0] is the file's entry[1], and a problem
    found in it is reported at the file's own position and line."""
    text = SCENARIO_TEXT.replace("  - type: disrupt\n", "  - type: leak\n")
    text = text.replace("probability: 0.5", "probability: 5").replace(
        "probability: 1.2", "probability: 0.2"
    )
    doc = doc_of(tmp_path, text)
    rescued = salvage_model(doc, Scenario)
    assert rescued is not None
    part, view = rescued
    assert isinstance(part, Scenario)
    assert [r.select.ids for r in part.entry] == [("a",)]
    problem = view.problem(("entry", 0, "technique"), "x")
    assert (problem.line, problem.field) == (15, "entry[1].technique")


def test_nothing_is_salvaged_when_a_required_field_is_broken(tmp_path: Path) -> None:
    doc = doc_of(tmp_path, SCENARIO_TEXT.replace("actor: criminal", "actor: aliens"))
    assert salvage_model(doc, Scenario) is None
