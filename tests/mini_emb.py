"""A minimal hand-made EMB workspace for readiness tests (not the shipped example).

One framework ``mini`` with two EMB domains and one platform domain, four assets; every number
below is small enough to compute by hand. ``write_mini_workspace`` writes it to a folder;
``mini_framework`` / ``mini_system`` give the models in code.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from cyberready.models import Assessment, Framework, SystemModel
from cyberready.workspace import ResolvedSystem

LEVELS = [
    {"level": 0, "name": "None", "description": "Not done."},
    {"level": 1, "name": "Ad hoc", "description": "Sometimes."},
    {"level": 2, "name": "Documented", "description": "Written down."},
    {"level": 3, "name": "Tested", "description": "Done and tested."},
    {"level": 4, "name": "Improved", "description": "Measured and improved."},
]

FRAMEWORK: dict[str, Any] = {
    "schema_version": 1,
    "kind": "framework",
    "id": "mini",
    "title": "Mini framework",
    "publisher": "tests",
    "version": "1",
    "provenance": "derived",
    "subject": "emb",
    "maturity_scale": {"levels": LEVELS, "effectiveness": [0, 0.2, 0.5, 0.8, 1]},
    "domains": [
        {"id": "A", "title": "Alpha"},
        {"id": "B", "title": "Beta"},
        {"id": "P", "title": "Platform"},
    ],
    "controls": [
        {
            "id": "MINI-A-01",
            "domain": "A",
            "title": "Org-wide control",
            "objective": "Everywhere.",
            "weight": 1,
            "applies_to": ["organization"],
        },
        {
            "id": "MINI-A-02",
            "domain": "A",
            "title": "Website control",
            "objective": "On the website.",
            "weight": 3,
            "applies_to": ["results_website"],
            "rubric": {0: "r0", 1: "r1", 2: "r2", 3: "r3", 4: "r4"},
        },
        {
            "id": "MINI-B-01",
            "domain": "B",
            "title": "Workstation control",
            "objective": "On workstations.",
            "guidance": "Patch them.",
            "weight": 2,
            "applies_to": ["staff_workstation"],
        },
        {
            "id": "MINI-P-01",
            "domain": "P",
            "subject": "platform",
            "title": "Platform commitment",
            "objective": "The company does it.",
            "weight": 2,
        },
    ],
}

SYSTEM: dict[str, Any] = {
    "schema_version": 1,
    "kind": "system",
    "emb": "mini-emb",
    "assets": [
        {"id": "ws1", "type": "staff_workstation", "exposure": "internal", "tags": ["hq"]},
        {
            "id": "ws2",
            "type": "staff_workstation",
            "exposure": "internal",
            "tags": ["regional"],
            "count": 10,
        },
        {"id": "site", "type": "results_website", "exposure": "internet", "tags": ["hq"]},
        {"id": "host", "type": "data_center", "exposure": "physical"},
    ],
    "links": [{"from": "site", "to": "host", "kind": "hosted_on"}],
    "functions": [
        {
            "id": "publish",
            "title": "Publish results",
            "phase": "results_publication",
            "max_tolerable_outage_hours": 6,
            "requires": [{"any": ["site"]}],
        }
    ],
}

EMB: dict[str, Any] = {
    "schema_version": 1,
    "kind": "emb",
    "id": "mini-emb",
    "name": "Mini EMB",
    "frameworks": ["mini"],
    "scenarios": [],
}


def assessment_data(
    answers: dict[str, Any], *, as_of: str = "2026-01-10", overrides: list[Any] | None = None
) -> dict[str, Any]:
    """A ``kind: assessment`` mapping for the mini EMB."""
    data: dict[str, Any] = {
        "schema_version": 1,
        "kind": "assessment",
        "emb": "mini-emb",
        "frameworks": ["mini"],
        "as_of": as_of,
        "assessor": "tests",
        "answers": answers,
    }
    if overrides:
        data["overrides"] = overrides
    return data


def mini_framework() -> Framework:
    """The mini framework as a model."""
    return Framework.model_validate(FRAMEWORK)


def mini_system() -> ResolvedSystem:
    """The mini system, resolved."""
    return ResolvedSystem.from_model(SystemModel.model_validate(SYSTEM))


def mini_assessment(answers: dict[str, Any], **kw: Any) -> Assessment:
    """An assessment model of the mini EMB."""
    return Assessment.model_validate(assessment_data(answers, **kw))


def _dump(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def write_mini_workspace(
    root: Path,
    answers: dict[str, Any] | None = None,
    *,
    as_of: str = "2026-01-10",
    overrides: list[Any] | None = None,
    platforms: dict[str, dict[str, Any]] | None = None,
) -> Path:
    """Write the mini workspace to ``root`` (with an assessment when ``answers`` is given)."""
    _dump(root / "emb.yaml", EMB)
    _dump(root / "system.yaml", SYSTEM)
    _dump(root / "frameworks" / "mini.yaml", FRAMEWORK)
    if answers is not None:
        _dump(root / "assessment.yaml", assessment_data(answers, as_of=as_of, overrides=overrides))
    for company, card_answers in (platforms or {}).items():
        _dump(
            root / "platforms" / f"{company.lower()}.yaml",
            {
                "schema_version": 1,
                "kind": "platform_scorecard",
                "company": company,
                "framework": "mini",
                "as_of": "2026-01-05",
                "answers": card_answers,
            },
        )
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` with its bytes (to prove nothing was written or moved)."""
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }
