"""OSCAL in and out, through the CLI a user runs (docs/oscal.md).

* ``export oscal catalog`` of each shipped framework parses with compliance-trestle's
  ``Catalog`` model, and gives the same bytes twice;
* ``import oscal-catalog`` of that export gives back the same controls (ids, titles,
  objectives, guidance, rubrics, references, weights, scope), and the framework loads;
* a slice of NIST SP 800-53 rev5 (tests/fixtures/oscal) imports as a loadable framework, and
  ``validate`` names each control and field OSCAL could not give;
* malformed catalogs are refused with the JSON pointer of each problem, exit 3, nothing written;
* ``export oscal assessment-results`` of the example EMB parses with trestle's
  ``AssessmentResults``, is TLP-marked, holds the answers, scores, risks and actions, and an
  independent run with the same seed gives the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from trestle.oscal.assessment_results import AssessmentResults
from trestle.oscal.catalog import Catalog

import cyberready
from cyberready.cli import main
from cyberready.interop.oscal import assessment_results_document, dumps
from cyberready.io import load_model_file
from cyberready.models import Framework
from cyberready.report.models import TLP
from cyberready.workspace import load_library, shipped_library

FIXTURES = Path(__file__).parent / "fixtures" / "oscal"
NIST_SLICE = FIXTURES / "nist-800-53-rev5-low-slice.json"
SHIPPED = ("usaid-ecbs", "ifes-tech-guidelines")
TRIALS = ("--trials", "10", "--screen-trials", "5", "--seed", "7")


def _run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each shipped framework exported as an OSCAL catalog, by id."""
    folder = tmp_path_factory.mktemp("catalogs")
    out = {}
    for fid in SHIPPED:
        out[fid] = folder / f"{fid}.json"
        res = _run("export", "oscal", "catalog", "--framework", fid, "--out", str(out[fid]))
        assert res.exit_code == 0, res.output
    return out


# --------------------------------------------------------------------------- catalog out


@pytest.mark.parametrize("fid", SHIPPED)
def test_exported_catalog_parses_with_trestle(exported: dict[str, Path], fid: str) -> None:
    doc = json.loads(exported[fid].read_text(encoding="utf-8"))
    catalog = Catalog.model_validate(doc["catalog"])
    fw = shipped_library().frameworks[fid]
    groups = catalog.groups or []
    assert [g.id for g in groups] == [d.id for d in fw.domains]
    controls = [c for g in groups for c in getattr(g, "controls", None) or []]
    assert sorted(c.id for c in controls) == sorted(c.id for c in fw.controls)
    first = fw.controls[0]
    props = {p.name: p.value for p in next(c for c in controls if c.id == first.id).props or []}
    assert props["weight"] == str(first.weight)
    assert doc["catalog"]["metadata"]["oscal-version"] == "1.1.2"


def test_catalog_links_point_at_the_referenced_catalog(exported: dict[str, Path]) -> None:
    doc = json.loads(exported["usaid-ecbs"].read_text(encoding="utf-8"))["catalog"]
    resources = {r["uuid"]: r for r in doc["back-matter"]["resources"]}
    control = doc["groups"][0]["controls"][0]
    assert control["id"] == "ECBS-VR-01"
    links = control["links"]
    assert [link["resource-fragment"] for link in links] == ["ID.AM-01", "ID.AM-03", "ID.AM-07"]
    target = resources[links[0]["href"].removeprefix("#")]
    assert target["title"] == shipped_library().catalogs["nist-csf-2.0"].title


def test_catalog_export_is_deterministic_and_refuses_others_files(
    exported: dict[str, Path], tmp_path: Path
) -> None:
    again = tmp_path / "again.json"
    assert _run("export", "oscal", "catalog", "--framework", "usaid-ecbs", "--out", str(again))
    assert again.read_bytes() == exported["usaid-ecbs"].read_bytes()
    # a file cyberready wrote is replaced without --force; someone else's file is not
    res = _run("export", "oscal", "catalog", "--framework", "usaid-ecbs", "--out", str(again))
    assert res.exit_code == 0, res.output
    theirs = tmp_path / "theirs.json"
    theirs.write_text('{"catalog": {}}\n', encoding="utf-8")
    res = _run("export", "oscal", "catalog", "--framework", "usaid-ecbs", "--out", str(theirs))
    assert res.exit_code == 2
    assert "--force" in res.output
    assert theirs.read_text(encoding="utf-8") == '{"catalog": {}}\n'
    args = ("export", "oscal", "catalog", "--framework", "usaid-ecbs", "--out", str(theirs))
    assert _run(*args, "--force").exit_code == 0
    assert theirs.read_bytes() == exported["usaid-ecbs"].read_bytes()


def test_unknown_framework_is_an_input_error(tmp_path: Path) -> None:
    res = _run(
        "export", "oscal", "catalog", "--framework", "usaid-ecb", "--out", str(tmp_path / "x")
    )
    assert res.exit_code == 3
    assert "usaid-ecbs" in res.output  # did you mean
    assert not (tmp_path / "x").exists()


# --------------------------------------------------------------------------- catalog in


def _imported(folder: Path, fid: str) -> Framework:
    return load_library([folder]).frameworks[fid]


@pytest.mark.parametrize("fid", SHIPPED)
def test_round_trip_gives_the_same_controls(
    exported: dict[str, Path], tmp_path: Path, fid: str
) -> None:
    out = tmp_path / f"{fid}-rt.yaml"
    res = _run(
        "import", "oscal-catalog", str(exported[fid]), "--out", str(out), "--id", f"{fid}-rt"
    )
    assert res.exit_code == 0, res.output
    # the shipped framework's control ids are taken: read the file alone, with its loader
    back, _, problems = load_model_file(out)
    assert not problems
    assert isinstance(back, Framework)
    orig = shipped_library().frameworks[fid]

    def essentials(fw: Framework) -> list[tuple[Any, ...]]:
        return [
            (
                c.id,
                c.domain,
                c.title,
                c.objective,
                c.guidance,
                c.rubric,
                c.references,
                c.weight,
                c.applies_to,
                c.phases,
                c.subject,
                c.provenance,
                c.effectiveness,
            )
            for c in fw.controls
        ]

    def untranslated(items: Sequence[Any]) -> list[Any]:
        # OSCAL has no place for translations (docs/oscal.md): they are not exported
        return [i.model_copy(update={"translations": {}}) for i in items]

    assert essentials(back) == essentials(orig)
    assert list(back.domains) == untranslated(orig.domains)
    assert list(back.maturity_scale.levels) == untranslated(orig.maturity_scale.levels)
    assert back.maturity_scale.effectiveness == orig.maturity_scale.effectiveness
    assert list(back.tiers) == untranslated(orig.tiers)
    assert (back.title, back.version, back.publisher, back.source) == (
        orig.title,
        orig.version,
        orig.publisher,
        orig.source,
    )
    # what OSCAL does not carry is tagged for the user, and only that
    for c_back, c_orig in zip(back.controls, orig.controls, strict=True):
        assert c_back.tags == (*c_orig.tags, "todo:effects", "todo:effort")
        assert c_back.effects.empty


@pytest.fixture(scope="module")
def nist(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Result]:
    folder = tmp_path_factory.mktemp("nist")
    out = folder / "nist-low.yaml"
    return out, _run("import", "oscal-catalog", str(NIST_SLICE), "--out", str(out))


def test_nist_catalog_imports_as_a_framework(nist: tuple[Path, Result]) -> None:
    out, res = nist
    assert res.exit_code == 0, res.output
    fw = _imported(out.parent, "nist-low")
    assert [d.id for d in fw.domains] == ["ac", "ia"]
    by_id = {c.id: c for c in fw.controls}
    assert list(by_id) == ["AC-1", "IA-2", "IA-2-1", "IA-2-2", "IA-2-8"]
    enhancement = by_id["IA-2-1"]
    assert enhancement.title == "Multi-factor Authentication to Privileged Accounts"
    assert "parent:IA-2" in enhancement.tags
    assert "oscal-id:ia-2.1" in enhancement.tags
    ac1 = by_id["AC-1"]
    assert ac1.objective.startswith("a. Develop, document, and disseminate to [Assignment: ")
    assert "{{" not in ac1.objective
    assert "[Selection (one or more): organization-level;" in ac1.objective
    assert ac1.guidance.startswith("Access control policy and procedures address")
    assert fw.publisher == "Joint Task Force, Transformation Initiative"
    assert "link(s) to other documents" in res.output
    shown = _run("frameworks", "show", "nist-low", "--frameworks-dir", str(out.parent))
    assert shown.exit_code == 0, shown.output
    assert "IA-2-8" in shown.output
    # exported and imported again: the same controls, and no tag twice
    again = out.parent / "again.json"
    args = ("--frameworks-dir", str(out.parent), "--out", str(again))
    assert _run("export", "oscal", "catalog", "--framework", "nist-low", *args).exit_code == 0
    back = out.parent / "back" / "nist-low.yaml"
    assert _run("import", "oscal-catalog", str(again), "--out", str(back)).exit_code == 0
    fw_back, _, problems = load_model_file(back)
    assert not problems
    assert isinstance(fw_back, Framework)
    assert fw_back.controls == fw.controls


def test_validate_names_every_field_left_to_fill(nist: tuple[Path, Result]) -> None:
    out, _ = nist
    res = _run("validate", str(out))
    assert res.exit_code == 0, res.output
    for cid in ("AC-1", "IA-2", "IA-2-1", "IA-2-2", "IA-2-8"):
        assert f"control {cid}: no effects: this control will not change simulated risk" in (
            res.output
        )
        assert f"control {cid}: no effort:" in res.output
        assert f"control {cid}: no weight" in res.output
        assert f"control {cid}: no applies_to" in res.output
    assert "20 warning(s)" in res.output
    assert _run("validate", str(out), "--strict").exit_code == 3


def _bad(tmp_path: Path, doc: object | str) -> tuple[Result, Path]:
    src = tmp_path / "bad.json"
    src.write_text(doc if isinstance(doc, str) else json.dumps(doc), encoding="utf-8")
    out = tmp_path / "out.yaml"
    return _run("import", "oscal-catalog", str(src), "--out", str(out)), out


def _nist() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(NIST_SLICE.read_text(encoding="utf-8"))
    return doc


def test_not_json_is_refused_with_its_line(tmp_path: Path) -> None:
    res, out = _bad(tmp_path, '{"catalog":\n  {"uuid": }\n}')
    assert res.exit_code == 3
    assert "bad.json:2" in res.output
    assert "not JSON" in res.output
    assert not out.exists()


def test_missing_keys_are_refused_with_their_pointers(tmp_path: Path) -> None:
    doc = _nist()
    del doc["catalog"]["metadata"]["title"]
    del doc["catalog"]["groups"][1]["controls"][0]["controls"][1]["id"]
    res, out = _bad(tmp_path, doc)
    assert res.exit_code == 3
    assert "/catalog/metadata/title" in res.output
    assert "/catalog/groups/1/controls/0/controls/1/id" in res.output
    assert not out.exists()
    res, out = _bad(tmp_path, {"profile": {}})
    assert res.exit_code == 3
    assert "'catalog' missing" in res.output


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    doc = _nist()
    doc["catalog"]["groups"][1]["controls"][0]["controls"][1]["id"] = "ia-2.1"
    res, out = _bad(tmp_path, doc)
    assert res.exit_code == 3
    assert "duplicate control id 'IA-2-1'" in res.output
    assert "/catalog/groups/1/controls/0/controls/1/id" in res.output
    assert not out.exists()


def test_values_cyberready_does_not_accept_are_refused(
    exported: dict[str, Path], tmp_path: Path
) -> None:
    doc = json.loads(exported["usaid-ecbs"].read_text(encoding="utf-8"))
    props = doc["catalog"]["groups"][0]["controls"][1]["props"]
    next(p for p in props if p["name"] == "phase")["value"] = "coronation"
    res, out = _bad(tmp_path, doc)
    assert res.exit_code == 3
    assert "/catalog/groups/0/controls/1" in res.output
    assert "coronation" in res.output
    assert not out.exists()


# --------------------------------------------------------------------------- assessment results


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("ar") / "examplia.json"
    res = _run(
        "export", "oscal", "assessment-results", str(cyberready.example_path()), "--out", str(out),
        *TRIALS,
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    return out


def test_assessment_results_parse_with_trestle(results: Path) -> None:
    doc = json.loads(results.read_text(encoding="utf-8"))
    ar = AssessmentResults.model_validate(doc["assessment-results"])
    [result] = ar.results
    ws = cyberready.load_workspace(cyberready.example_path())
    assert ws.assessment is not None
    emb_controls = {
        c.id
        for fw in ws.library.frameworks.values()
        for c in fw.controls
        if fw.subject_of(c) == "emb"
    }
    # the EMB's own controls; partners' practices are scored apart (docs/oscal.md)
    answered = set(ws.assessment.answers) & emb_controls
    assert answered != set(ws.assessment.answers)
    observed = {(o.title or "").split(":")[0] for o in result.observations or []}
    assert observed == answered
    assert result.start.isoformat().startswith(ws.assessment.as_of.isoformat())
    body = doc["assessment-results"]
    marking = [p["value"] for p in body["metadata"]["props"] if p["name"] == "marking"]
    assert marking == [TLP["technical"]]
    scores = {
        p.get("class"): p["value"]
        for p in body["results"][0]["props"]
        if p["name"] == "readiness-score"
    }
    assert {"overall", "usaid-ecbs", "usaid-ecbs.VR"} <= set(scores)
    risks = result.risks or []
    assert risks
    remediations = [r for risk in risks for r in risk.remediations or []]
    assert remediations
    lifecycles = {
        r["lifecycle"] for risk in body["results"][0]["risks"] for r in risk.get("remediations", [])
    }
    assert lifecycles <= {"planned", "recommendation"}
    # each answer's level and evidence, and whether it reaches its target
    raw = body["results"][0]
    observation = {o["title"].split(":")[0]: o for o in raw["observations"]}
    finding = {f["target"]["target-id"]: f for f in raw["findings"]}
    checked = 0
    for cid in sorted(answered):
        answer = ws.assessment.answers[cid]
        if answer.level == "n/a" or not answer.evidence.strip():
            continue
        obs = observation[cid]
        assert obs["relevant-evidence"] == [{"description": answer.evidence}]
        level = next(p["value"] for p in obs["props"] if p["name"] == "maturity-level")
        assert level == str(answer.level)
        target = answer.target if answer.target is not None else 3
        state = "satisfied" if int(answer.level) >= target else "not-satisfied"
        assert finding[cid]["target"]["status"]["state"] == state
        checked += 1
    assert checked >= 10
    states = {f["target"]["status"]["state"] for f in raw["findings"]}
    assert states == {"satisfied", "not-satisfied"}


def test_assessment_results_are_deterministic(results: Path) -> None:
    """An independent assessment with the same trials and seed gives the same bytes: no
    clock, no random uuid in the document."""
    result = cyberready.assess(cyberready.example_path(), trials=10, screen_trials=5, seed=7)
    assert dumps(assessment_results_document(result)) == results.read_text(encoding="utf-8")


def test_assessment_results_are_not_written_into_the_workspace(tmp_path: Path) -> None:
    inside = cyberready.example_path() / "results.json"
    res = _run("export", "oscal", "assessment-results", str(cyberready.example_path()),
               "--out", str(inside), *TRIALS)  # fmt: skip
    assert res.exit_code == 2
    assert not inside.exists()


def test_nested_groups_top_level_and_withdrawn_controls(tmp_path: Path) -> None:
    meta = {"title": "Nested", "last-modified": "2024-01-01T00:00:00Z", "version": "1"}
    doc = {
        "catalog": {
            "uuid": "00000000-0000-4000-8000-000000000000",
            "metadata": {**meta, "oscal-version": "1.1.2"},
            "controls": [{"id": "top-1", "title": "At the top"}],
            "groups": [
                {
                    "id": "outer",
                    "title": "Outer",
                    "groups": [
                        {
                            "id": "inner",
                            "title": "Inner",
                            "controls": [
                                {"id": "in-1", "title": "Inside"},
                                {
                                    "id": "in-2",
                                    "title": "Gone",
                                    "props": [{"name": "status", "value": "withdrawn"}],
                                },
                            ],
                        }
                    ],
                }
            ],
        }
    }
    src = tmp_path / "nested.json"
    src.write_text(json.dumps(doc), encoding="utf-8")
    out = tmp_path / "fw" / "nested.yaml"
    res = _run("import", "oscal-catalog", str(src), "--out", str(out))
    assert res.exit_code == 0, res.output
    assert "in-2: withdrawn in the catalog, left out" in res.output
    fw, _, problems = load_model_file(out)
    assert not problems
    assert isinstance(fw, Framework)
    assert [(d.id, d.title) for d in fw.domains] == [
        ("catalog", "Controls outside any group"),
        ("inner", "Inner"),
    ]
    assert [(c.id, c.domain) for c in fw.controls] == [("TOP-1", "catalog"), ("IN-1", "inner")]
    assert fw.controls[0].objective == ""
