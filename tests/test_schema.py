"""``cyberready schema --out DIR`` writes one JSON Schema per file kind, and those schemas
accept every real file we ship (so an editor using them never flags a good file) while still
refusing the mistakes a user makes (so they are worth using)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cyberready.cli import main
from cyberready.io import data_dir, read_yaml
from cyberready.models import KIND_MODELS

jsonschema = pytest.importorskip("jsonschema")

SHIPPED = sorted(
    [
        *data_dir("frameworks").glob("*.yaml"),
        *data_dir("scenarios").glob("*.yaml"),
        *data_dir("examples").glob("*/**/*.yaml"),
    ]
)


@pytest.fixture(scope="module")
def schemas(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("schemas")
    result = CliRunner().invoke(main, ["schema", "--out", str(out)])
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in out.iterdir())
    assert written == sorted(f"{kind}.schema.json" for kind in KIND_MODELS)
    return {
        p.name.removesuffix(".schema.json"): json.loads(p.read_text(encoding="utf-8"))
        for p in out.iterdir()
    }


def _validator(schemas: dict[str, Any], kind: str) -> Any:
    return jsonschema.Draft202012Validator(schemas[kind])


def _as_json(data: Any) -> Any:
    """YAML data as a JSON editor sees it: dates become ISO strings, keys become strings."""
    return json.loads(json.dumps(data, default=lambda o: o.isoformat()))


def _load(path: Path) -> Any:
    doc, problems = read_yaml(path)
    assert doc is not None and not problems, problems
    return _as_json(doc.data)


def test_one_valid_schema_per_kind(schemas: dict[str, Any]) -> None:
    for kind, schema in schemas.items():
        jsonschema.Draft202012Validator.check_schema(schema)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert schema["properties"]["kind"]["const"] == kind
        assert schema["additionalProperties"] is False


def test_there_are_shipped_files_of_most_kinds() -> None:
    kinds = {_load(p)["kind"] for p in SHIPPED}
    assert {"framework", "catalog", "techniques", "scenario", "emb", "system"} <= kinds


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(p.parents[1])))
def test_shipped_file_is_accepted_by_its_schema(schemas: dict[str, Any], path: Path) -> None:
    data = _load(path)
    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}"
        for e in _validator(schemas, data["kind"]).iter_errors(data)
    ]
    assert errors == []


SCENARIO: dict[str, Any] = {
    "schema_version": 1,
    "kind": "scenario",
    "id": "s",
    "title": "S",
    "actor": "criminal",
    "objective": "availability",
    "phases": ["voting"],
    "likelihood": 0.2,
    "entry": [
        {
            "select": {"types": ["staff_workstation"]},
            "technique": "phishing",
            "probability": 0.5,
            "time": {"fixed": 4},
        }
    ],
    "effects": [{"type": "disrupt", "duration": {"uniform": [1, 5]}}],
}


def _with(path: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    doc = copy.deepcopy(SCENARIO)
    node: Any = doc
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return doc


@pytest.mark.parametrize(
    "select",
    [
        {"types": ["staff_workstation"], "exposure": ["internet"]},
        {"types": "staff_workstation"},
        ["ws-1", "ws-2"],
        "type:staff_workstation",
        "tag:hq",
        "id:ws-1",
        {},
    ],
    ids=["mapping", "mapping-single", "list", "type", "tag", "id", "empty"],
)
def test_every_selector_form_the_loader_reads_is_accepted(
    schemas: dict[str, Any], select: Any
) -> None:
    from cyberready.models import Scenario

    doc = _with(("entry", 0, "select"), select)
    Scenario.model_validate(doc)  # the loader reads it
    assert list(_validator(schemas, "scenario").iter_errors(doc)) == []


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("entry", 0, "probability"), 1.5),
        (("likelihood",), -0.1),
        (("entry", 0, "technique"), "Not An Id"),
        (("entry", 0, "select"), {"types": ["data_centre"]}),
        (("entry", 0, "select"), "kind:x"),
        (("entry", 0, "time"), {"fixed": 4, "uniform": [1, 2]}),
        (("entry", 0, "time"), {"fixed": -1}),
        (("entry", 0, "time"), {"lognormal": {"median": 3}}),
        (("effects", 0, "type"), "explode"),
        (("actor",), "aliens"),
        (("phases",), ["campaing"]),
        (("schema_version",), 2),
        (("entry", 0, "techniqe"), "phishing"),
        (("references",), {"attack": ["1566"]}),
        (("references",), {"attack": ["T1565.1"]}),
    ],
    ids=lambda v: str(v)[:30],
)
def test_schema_refuses_what_the_loader_refuses(
    schemas: dict[str, Any], path: tuple[str | int, ...], value: Any
) -> None:
    from pydantic import ValidationError

    from cyberready.models import Scenario

    doc = _with(path, value)
    with pytest.raises(ValidationError):
        Scenario.model_validate(doc)
    assert list(_validator(schemas, "scenario").iter_errors(doc)), f"schema accepted {value!r}"


@pytest.mark.parametrize(
    ("level", "ok"), [(0, True), (4, True), ("n/a", True), (7, False), ("high", False), (-1, False)]
)
def test_assessment_levels(schemas: dict[str, Any], level: Any, ok: bool) -> None:
    doc = {
        "schema_version": 1,
        "kind": "assessment",
        "emb": "x",
        "frameworks": ["usaid-ecbs"],
        "as_of": "2026-11-01",
        "answers": {"ECBS-VR-01": {"level": level}},
    }
    errors = list(_validator(schemas, "assessment").iter_errors(doc))
    assert (errors == []) is ok


def test_framework_weight_and_effect_ranges(schemas: dict[str, Any]) -> None:
    framework = _load(data_dir("frameworks") / "usaid-ecbs.yaml")
    validator = _validator(schemas, "framework")
    assert list(validator.iter_errors(framework)) == []
    heavy = copy.deepcopy(framework)
    heavy["controls"][0]["weight"] = 9
    assert list(validator.iter_errors(heavy))
    strong = copy.deepcopy(framework)
    strong["controls"][0]["effects"] = {"mitigates": {"phishing": 1.5}}
    assert list(validator.iter_errors(strong))


@pytest.mark.parametrize(
    ("date", "ok"),
    [
        ("2014-05-22", True),
        ("2014-05", True),
        ("2014", True),
        (2014, True),  # what YAML makes of an unquoted year
        ("May 2014", False),
        ("14-05-22", False),
        (2014.5, False),
    ],
)
def test_incident_dates_schema_and_loader_agree(
    schemas: dict[str, Any], date: Any, ok: bool
) -> None:
    from pydantic import ValidationError

    from cyberready.models import IncidentRegistry

    doc = {
        "schema_version": 1,
        "kind": "incidents",
        "items": [
            {
                "id": "x-2014",
                "title": "X",
                "date": date,
                "country": "Examplia",
                "summary": "It happened. It mattered.",
                "sources": [{"url": "https://example.invalid/x", "supports": "it happened"}],
            }
        ],
    }
    assert (list(_validator(schemas, "incidents").iter_errors(doc)) == []) is ok
    if ok:
        IncidentRegistry.model_validate(doc)
    else:
        with pytest.raises(ValidationError):
            IncidentRegistry.model_validate(doc)
