"""The incident registry (``kind: incidents``): the shipped one loads and holds every incident a
shipped scenario cites; a shipped scenario citing an unknown incident is an error with file and
line; an EMB's own scenario may cite the shipped registry, its own, or free text (a warning,
exit 0); reports cite incidents by title and year."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from pydantic import ValidationError
from report_workspace import write_workspace

import cyberready
import cyberready.workspace._load
from cyberready.cli import main
from cyberready.io import data_dir
from cyberready.models import Incident, IncidentRegistry
from cyberready.report import Audience, Format, TechnicalView, build_view, render
from cyberready.workspace import load_library, load_workspace, validate_inputs

SHIPPED_REGISTRY = data_dir("scenarios") / "incidents.yaml"


def _incident(**changes: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": "x-2014",
        "title": "X",
        "date": "2014-05-22",
        "country": "Examplia",
        "summary": "Something happened. It mattered.",
        "sources": [{"url": "https://example.invalid/x", "supports": "that it happened"}],
    }
    item.update(changes)
    return item


def _write(path: Path, data: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line)


# --------------------------------------------------------------------------- the shipped registry


def test_shipped_registry_loads_with_every_incident_shipped_scenarios_cite() -> None:
    lib = load_library()
    cited = {i for sc in lib.scenarios.values() for i in sc.references.incidents}
    assert cited, "no shipped scenario cites an incident"
    assert cited <= set(lib.incidents)
    assert all(lib.is_shipped("incident", i) for i in lib.incidents)
    # the incidents the new scenarios of this release cite are there too
    assert {"malawi-mec-2019", "security-update-outage-2024", "keepiton-shutdowns"} <= set(
        lib.incidents
    )
    assert lib.incidents["keepiton-shutdowns"].type == "dataset"


def test_every_shipped_incident_is_summarised_and_sourced() -> None:
    registry = IncidentRegistry.model_validate(yaml.safe_load(SHIPPED_REGISTRY.read_text()))
    for item in registry.items:
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", item.summary.strip()) if s]
        assert 2 <= len(sentences) <= 4, f"{item.id}: {len(sentences)} sentences"
        assert item.sources, item.id
        assert all(src.supports.strip() for src in item.sources), item.id
        assert str(item.year) in item.date


@pytest.mark.parametrize(
    ("written", "stored", "year"),
    [
        ("2014-05-22", "2014-05-22", 2014),
        (dt.date(2017, 8, 8), "2017-08-08", 2017),  # what YAML makes of 2017-08-08
        ("2016-06", "2016-06", 2016),
        (2019, "2019", 2019),  # what YAML makes of 2019
        ("2019", "2019", 2019),
    ],
)
def test_dates_are_as_precise_as_known(written: Any, stored: str, year: int) -> None:
    item = Incident.model_validate(_incident(date=written))
    assert item.date == stored
    assert item.year == year


@pytest.mark.parametrize(
    "written",
    ["2014-02-30", "2014-13", "14-05-22", "May 2014", "2014/05/22", dt.datetime(2014, 5, 22, 9)],
)
def test_impossible_or_ambiguous_dates_are_refused(written: Any) -> None:
    with pytest.raises(ValidationError, match="date"):
        Incident.model_validate(_incident(date=written))


def test_dates_sort_in_time_order_as_text() -> None:
    dates = ["2016-06-23", "2014", "2016", "2014-05-22", "2016-06"]
    assert sorted(dates) == ["2014", "2014-05-22", "2016", "2016-06", "2016-06-23"]


def test_an_incident_needs_a_source_that_says_what_it_backs() -> None:
    with pytest.raises(ValidationError, match="sources"):
        Incident.model_validate(_incident(sources=[]))
    with pytest.raises(ValidationError, match="supports"):
        Incident.model_validate(_incident(sources=[{"url": "https://example.invalid/x"}]))
    with pytest.raises(ValidationError, match="url"):
        Incident.model_validate(_incident(sources=[{"url": "x", "supports": "it"}]))


# --------------------------------------------------------------------------- shipped scenarios


def _edit_shipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, scenario: str, old: str, new: str
) -> Path:
    """A copy of the shipped library, loaded in its place, with one text edit in a scenario."""
    shipped = tmp_path / "shipped"
    for name in ("frameworks", "scenarios"):
        shutil.copytree(data_dir(name), shipped / name)
    path = shipped / "scenarios" / scenario
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    monkeypatch.setattr(cyberready.workspace._load, "data_dir", lambda name: shipped / name)
    return path


def test_a_shipped_scenario_citing_an_unknown_incident_fails_validation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scenario = _edit_shipped(
        tmp_path,
        monkeypatch,
        "ransomware-shared-it.yaml",
        "hall-county-ga-2020",
        "hall-county-ga-2002",
    )
    result = CliRunner().invoke(main, ["validate", str(data_dir("examples") / "examplia")])
    assert result.exit_code == 3, result.output
    line = _line_of(scenario, "hall-county-ga-2002")
    assert f"scenarios/ransomware-shared-it.yaml:{line}" in result.output
    assert "references.incidents[0]" in result.output
    assert "unknown incident 'hall-county-ga-2002'" in result.output
    assert "did you mean 'hall-county-ga-2020'?" in result.output


def test_a_shipped_scenario_may_not_cite_free_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _edit_shipped(
        tmp_path,
        monkeypatch,
        "website-defacement.yaml",
        "[comelec-2016]",
        '["A defacement we heard of"]',
    )
    found = validate_inputs([])
    assert [p.message for p in found.problems] == ["unknown incident 'A defacement we heard of'"]
    assert found.problems[0].file == "scenarios/website-defacement.yaml"
    assert found.warnings == ()


# --------------------------------------------------------------------------- an EMB's own files


def _own_scenario(ws: Path, incidents: list[str]) -> Path:
    data = yaml.safe_load((data_dir("scenarios") / "ransomware-shared-it.yaml").read_text())
    data["id"] = "own-ransomware"
    data["references"]["incidents"] = incidents
    return _write(ws / "scenarios" / "own-ransomware.yaml", data)


def _own_registry(ws: Path, *items: dict[str, Any]) -> Path:
    registry = {"schema_version": 1, "kind": "incidents", "items": list(items)}
    return _write(ws / "scenarios" / "incidents.yaml", registry)


def test_own_scenario_cites_shipped_own_and_free_text_incidents(example_copy: Path) -> None:
    _own_registry(example_copy, _incident(id="our-office-2022", title="Our office", date=2022))
    scenario = _own_scenario(
        example_copy, ["hall-county-ga-2020", "our-office-2022", "Ransomware at the printer"]
    )

    result = CliRunner().invoke(main, ["validate", str(example_copy)])
    assert result.exit_code == 0, result.output
    assert "valid:" in result.output
    assert "1 warning(s)" in result.output
    line = _line_of(scenario, "Ransomware at the printer")
    assert f"own-ransomware.yaml:{line}: references.incidents[2]" in result.output
    assert "'Ransomware at the printer' is in no incident registry" in result.output

    ws = load_workspace(example_copy)
    assert [w.value for w in ws.warnings] == ["Ransomware at the printer"]
    assert ws.library.incidents["our-office-2022"].year == 2022
    assert not ws.library.is_shipped("incident", "our-office-2022")


def test_a_near_miss_in_an_own_scenario_gets_a_did_you_mean(example_copy: Path) -> None:
    _own_scenario(example_copy, ["hall-county-2020"])
    found = validate_inputs([example_copy])
    assert found.valid
    [warning] = found.warnings
    assert warning.hint == "did you mean 'hall-county-ga-2020'?"


def test_own_registry_ids_may_not_clash_or_repeat(example_copy: Path) -> None:
    registry = _own_registry(
        example_copy,
        _incident(id="ukraine-cec-2014"),
        _incident(id="ours-2020", date="2020"),
        _incident(id="ours-2020", date="2021"),
    )
    found = validate_inputs([example_copy])
    messages = {(p.line, p.message) for p in found.problems}
    clash = _line_of(registry, "id: ukraine-cec-2014")
    first, second = (
        i for i, ln in enumerate(registry.read_text().splitlines(), 1) if "id: ours-2020" in ln
    )
    clash_message = "incident 'ukraine-cec-2014' clashes with the one in scenarios/incidents.yaml"
    assert (clash, clash_message) in messages
    assert (second, "duplicate incident id 'ours-2020'") in messages
    dup = next(p for p in found.problems if p.line == second)
    assert dup.hint == f"first defined at line {first}"


def test_a_broken_own_registry_does_not_blame_the_scenarios_citing_it(example_copy: Path) -> None:
    _own_registry(example_copy, _incident(id="ours-2020", date="2020-02-30"))
    _own_scenario(example_copy, ["ours-2020"])
    found = validate_inputs([example_copy])
    assert [p.field for p in found.problems] == ["items[0].date"]
    assert found.warnings == ()


# --------------------------------------------------------------------------- reports


@pytest.fixture(scope="module")
def report_result(tmp_path_factory: pytest.TempPathFactory) -> cyberready.AssessmentResult:
    root = write_workspace(tmp_path_factory.mktemp("incidents") / "ws")
    return cyberready.assess(root, trials=200, seed=5)


@pytest.mark.parametrize("audience", ["technical", "advisor"])
@pytest.mark.parametrize("fmt", ["html", "md"])
def test_reports_cite_incidents_by_title_and_year(
    report_result: cyberready.AssessmentResult, audience: Audience, fmt: Format
) -> None:
    out = render(build_view(report_result, audience), fmt).decode()
    # oldest first, each with its year; free text as written, without a year
    cited = "Phishing wave against Testland officials (2019); Testland register copy leaked (2021)"
    assert cited in out
    assert "Turnout site flooded on polling day" in out
    assert "rep-register-leak-2021" not in out  # never the slug


def test_json_report_carries_title_and_year(report_result: cyberready.AssessmentResult) -> None:
    view = build_view(report_result, "technical")
    assert isinstance(view, TechnicalView)
    phish = next(s for s in view.scenarios if s.scenario_id == "rep-phish")
    assert [(i.title, i.year) for i in phish.incidents] == [
        ("Phishing wave against Testland officials", 2019),
        ("Testland register copy leaked", 2021),
    ]


def test_donor_report_shows_no_incident(report_result: cyberready.AssessmentResult) -> None:
    for fmt in ("html", "md", "json"):
        out = render(build_view(report_result, "donor"), fmt).decode()
        assert "Testland register copy leaked" not in out


def test_the_documented_example_is_a_valid_registry() -> None:
    doc = (Path(__file__).resolve().parent.parent / "docs" / "incidents.md").read_text()
    example = doc.split("```yaml\n", 1)[1].split("```", 1)[0]
    registry = IncidentRegistry.model_validate(yaml.safe_load(example))
    assert [i.type for i in registry.items] == ["incident", "dataset"]
