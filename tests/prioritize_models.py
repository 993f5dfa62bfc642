"""Small hand-made workspaces for the prioritisation tests, built in code (no files).

``worked_example`` is the worked example of docs/trial-model.md with controls added;
``random_model`` draws a
small model (a few assets, controls and scenarios) from a seed, for plan-quality checks where
every subset of actions can be enumerated.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from pathlib import Path
from typing import Any

from cyberready.models import Assessment, EmbProfile, Framework, Scenario, SystemModel
from cyberready.workspace import Library, ResolvedSystem, Workspace, load_library


@functools.cache
def _shipped() -> Library:
    return load_library()


LEVELS = [{"level": k, "name": f"L{k}", "description": f"Level {k}."} for k in range(5)]


def control(
    cid: str,
    applies_to: list[str],
    *,
    mitigates: dict[str, float] | None = None,
    detects: dict[str, float] | None = None,
    recovers: float = 0.0,
    reassures: float = 0.0,
    verifies: dict[str, Any] | None = None,
    cost: tuple[float, float] = (1000, 2000),
    per_asset: tuple[float, float] | None = None,
    weeks: float = 4,
    weight: int = 3,
) -> dict[str, Any]:
    """A control definition as it would appear in a framework file."""
    effects: dict[str, Any] = {}
    if mitigates:
        effects["mitigates"] = mitigates
    if detects:
        effects["detects"] = detects
    if recovers:
        effects["recovers"] = recovers
    if reassures:
        effects["reassures"] = reassures
    if verifies is not None:
        effects["verifies"] = verifies
    effort: dict[str, Any] = {"cost_usd": list(cost), "weeks": weeks}
    if per_asset is not None:
        effort["per_asset_usd"] = list(per_asset)
    return {
        "id": cid,
        "domain": "D",
        "title": f"Control {cid}",
        "objective": "Test.",
        "weight": weight,
        "applies_to": applies_to,
        "effects": effects,
        "effort": effort,
        "references": {"nist-csf-2.0": ["PR.AA-01"]},
    }


def build(
    *,
    controls: list[dict[str, Any]],
    assets: list[dict[str, Any]],
    links: list[dict[str, Any]],
    functions: list[dict[str, Any]],
    scenarios: list[dict[str, Any]],
    answers: dict[str, Any] | None = None,
    overrides: list[dict[str, Any]] | None = None,
    phases: dict[str, Any] | None = None,
    budget: float | None = None,
    as_of: dt.date = dt.date(2026, 11, 1),
    emb: dict[str, Any] | None = None,
) -> Workspace:
    """A workspace from plain data, checked by the same models as files are (``emb``: more
    ``emb.yaml`` fields, e.g. ``threat_context``)."""
    shipped = _shipped()
    fw = Framework.model_validate(
        {
            "schema_version": 1,
            "kind": "framework",
            "id": "tfw",
            "title": "Test framework",
            "maturity_scale": {"levels": LEVELS, "effectiveness": [0, 0.2, 0.5, 0.8, 1]},
            "domains": [{"id": "D", "title": "Domain"}],
            "controls": controls,
        }
    )
    scs = {
        s["id"]: Scenario.model_validate({"schema_version": 1, "kind": "scenario", **s})
        for s in scenarios
    }
    lib = Library(
        frameworks={"tfw": fw},
        catalogs=dict(shipped.catalogs),
        techniques=dict(shipped.techniques),
        scenarios=scs,
    )
    system = SystemModel.model_validate(
        {
            "schema_version": 1,
            "kind": "system",
            "emb": "test-emb",
            "assets": assets,
            "links": links,
            "functions": functions,
        }
    )
    profile = EmbProfile.model_validate(
        {
            "schema_version": 1,
            "kind": "emb",
            "id": "test-emb",
            "name": "Test EMB",
            "as_of": as_of,
            "phases": phases or {},
            "budget_usd": budget,
            "frameworks": ["tfw"],
            "scenarios": sorted(scs),
            **(emb or {}),
        }
    )
    assessment = Assessment.model_validate(
        {
            "schema_version": 1,
            "kind": "assessment",
            "emb": "test-emb",
            "frameworks": ["tfw"],
            "as_of": as_of,
            "answers": answers or {},
            "overrides": overrides or [],
        }
    )
    return Workspace(
        path=Path("<test>"),
        emb=profile,
        system=system,
        resolved=ResolvedSystem.from_model(system),
        assessment=assessment,
        library=lib,
    )


PUBLISH = {
    "id": "publish",
    "title": "Publish results",
    "weight": 4,
    "phase": "results_publication",
    "max_tolerable_outage_hours": 6,
    "requires": [{"any": ["site", "mirror"]}],
}

OUTAGE = {
    "id": "outage",
    "title": "Results site outage",
    "actor": "criminal",
    "objective": "availability",
    "phases": ["results_publication"],
    "likelihood": 1.0,
    "entry": [
        {
            "select": ["ws"],
            "mode": "one",
            "technique": "phishing",
            "probability": 0.5,
            "time": {"fixed": 1},
        },
        {"select": ["mirror"], "technique": "ddos", "probability": 0.3, "time": {"fixed": 1}},
    ],
    "propagation": [
        {
            "kinds": ["connects_to"],
            "technique": "lateral_movement",
            "probability": 0.6,
            "time": {"fixed": 1},
        },
    ],
    "effects": [{"type": "disrupt", "duration": {"fixed": 24}}],
}

PHASES = {
    "voter_registration": {"start": dt.date(2026, 12, 1), "end": dt.date(2027, 1, 31)},
    "voting": {"start": dt.date(2027, 3, 14), "end": dt.date(2027, 3, 14)},
    "results_publication": {"start": dt.date(2027, 3, 14), "end": dt.date(2027, 3, 21)},
}


def worked_example(**changes: Any) -> Workspace:
    """The worked example of docs/trial-model.md (P(publish fails) = 0.09 with no controls), plus
    controls.

    ``site`` (hosted on ``host``) is down iff ``host`` is compromised (0.5 × 0.6); ``mirror`` is
    down with 0.3; the loss is 4 × 0.09 = 0.36. Controls:

    * ``T-PH`` mitigates phishing fully, on workstations (target 3: effectiveness 0.8), with a
      per-asset cost; an override puts the regional workstation at level 2;
    * ``T-DDOS`` mitigates ddos by half, on results websites;
    * ``T-LAT`` mitigates lateral movement by half, on data centres;
    * ``T-INS`` mitigates insider misuse, which no scenario uses;
    * ``T-DOC`` has no effects at all (readiness only).
    """
    data: dict[str, Any] = {
        "controls": [
            control(
                "T-PH",
                ["staff_workstation"],
                mitigates={"phishing": 1.0},
                cost=(1000, 3000),
                per_asset=(10, 20),
                weeks=2,
            ),
            control("T-DDOS", ["results_website"], mitigates={"ddos": 0.5}, cost=(5000, 5000)),
            control(
                "T-LAT", ["data_center"], mitigates={"lateral_movement": 0.5}, cost=(2000, 4000)
            ),
            control("T-INS", ["organization"], mitigates={"insider_misuse": 1.0}, cost=(500, 500)),
            control("T-DOC", ["organization"], cost=(100, 300), weeks=1),
        ],
        "assets": [
            {"id": "ws", "type": "staff_workstation", "count": 50},
            {"id": "ws-north", "type": "staff_workstation", "count": 10, "tags": ["regional"]},
            {"id": "host", "type": "data_center"},
            {"id": "site", "type": "results_website", "exposure": "internet"},
            {"id": "mirror", "type": "results_website", "exposure": "internet"},
        ],
        "links": [
            {"from": "ws", "to": "host", "kind": "connects_to"},
            {"from": "site", "to": "host", "kind": "hosted_on"},
        ],
        "functions": [PUBLISH],
        "scenarios": [OUTAGE],
        "answers": {
            "T-PH": {"level": 0, "target": 3},
            "T-DDOS": {"level": 0},
            "T-LAT": {"level": 0},
            "T-INS": {"level": 1},
            "T-DOC": {"level": 2},
        },
        "overrides": [{"select": {"tags": ["regional"]}, "control": "T-PH", "level": 2}],
        "phases": PHASES,
    }
    data.update(changes)
    return build(**data)


_TECHNIQUES = ("phishing", "web_exploit", "lateral_movement", "ddos", "credential_theft")
_TYPES = ("staff_workstation", "data_center", "results_website", "tally_server", "email")


def random_model(seed: int, *, n_controls: int = 8, n_overrides: int = 2) -> Workspace:
    """A small random EMB: 6 assets, 2 functions, 2 scenarios, ``n_controls`` controls.

    Controls overlap in the techniques they mitigate and the scenarios offer parallel paths,
    so benefits interact (both diminishing returns and complementarity occur). Some controls
    have per-asset costs and an override on the ``east`` tag, which adds a candidate on that
    selector (so actions on one control share their fixed cost in a plan).
    """
    rnd = random.Random(seed)
    assets = [
        {
            "id": f"a{i}",
            "type": _TYPES[i % len(_TYPES)],
            "tags": ["east"] if i % 2 else [],
            "count": rnd.choice([1, 1, 5, 20]),
        }
        for i in range(6)
    ]
    links = []
    for i in range(6):
        for j in range(6):
            if i != j and rnd.random() < 0.3:
                links.append({"from": f"a{i}", "to": f"a{j}", "kind": "connects_to"})
    functions = [
        {
            "id": "f1",
            "title": "F1",
            "weight": rnd.randint(1, 5),
            "phase": "voting",
            "max_tolerable_outage_hours": 4,
            "requires": [{"any": ["a3", "a4"]}],
        },
        {
            "id": "f2",
            "title": "F2",
            "weight": rnd.randint(1, 5),
            "phase": "voting",
            "max_tolerable_outage_hours": 4,
            "requires": [{"all": ["a1", "a2"]}],
        },
    ]
    scenarios = []
    for s in range(2):
        scenarios.append(
            {
                "id": f"s{s}",
                "title": f"S{s}",
                "actor": "criminal",
                "objective": "availability",
                "phases": ["voting"],
                "likelihood": round(rnd.uniform(0.3, 1.0), 2),
                "entry": [
                    {
                        "select": [f"a{rnd.randrange(6)}"],
                        "technique": rnd.choice(_TECHNIQUES),
                        "probability": round(rnd.uniform(0.3, 0.9), 2),
                        "time": {"fixed": 1},
                    }
                    for _ in range(2)
                ],
                "propagation": [
                    {
                        "kinds": ["connects_to"],
                        "technique": rnd.choice(_TECHNIQUES),
                        "probability": round(rnd.uniform(0.4, 0.9), 2),
                        "time": {"fixed": 1},
                    }
                ],
                "effects": [{"type": "disrupt", "duration": {"fixed": 12}}],
            }
        )
    controls = []
    for c in range(n_controls):
        techs = rnd.sample(_TECHNIQUES, 2)
        price = float(rnd.randint(1, 20) * 1000)
        per = float(rnd.choice([0, 0, 100, 500]))
        controls.append(
            control(
                f"R-{c:02d}",
                ["organization"] if rnd.random() < 0.4 else rnd.sample(_TYPES, 2),
                mitigates={t: round(rnd.uniform(0.3, 1.0), 2) for t in techs},
                cost=(price, price * 2),
                per_asset=(per, per * 2) if per else None,
            )
        )
    answers = {c["id"]: {"level": rnd.randint(0, 2)} for c in controls}
    overrides = [
        {"select": {"tags": ["east"]}, "control": c["id"], "level": 0}
        for c in rnd.sample(controls, n_overrides)
    ]
    return build(
        controls=controls,
        assets=assets,
        links=links,
        functions=functions,
        scenarios=scenarios,
        answers=answers,
        overrides=overrides,
    )
