"""A small hand-made EMB workspace for the report tests (not the shipped example).

Its own framework (``rep``: two EMB domains and one platform domain), scenarios (``rep-phish``,
``rep-ddos``) and incident registry live in the workspace folder, so the golden views depend
only on the engine's rules and the report code, not on the shipped catalogues. ``rep-phish``
cites two incidents of that registry; ``rep-ddos`` cites one as free text (a warning).
``payload`` appends a markup/script/formula string to every free-text field (labels, notes,
evidence, names, titles), for the escaping tests.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

PAYLOAD = (
    '<script>alert("x")</script><img src=x onerror=alert(1)>'
    '[click](javascript:alert(1)) =HYPERLINK("http://evil.invalid") | *b* _i_ & \\\' $x^{2$'
)
"""Markup, script, a Markdown link, a spreadsheet formula, Markdown table/emphasis syntax and
broken TeX (which matplotlib must not try to typeset)."""

LEVELS = [
    {"level": 0, "name": "None", "description": "Not done."},
    {"level": 1, "name": "Ad hoc", "description": "Sometimes."},
    {"level": 2, "name": "Documented", "description": "Written down."},
    {"level": 3, "name": "Tested", "description": "Done and tested."},
    {"level": 4, "name": "Improved", "description": "Measured and improved."},
]


def _t(text: str, payload: str) -> str:
    return f"{text} {payload}" if payload else text


FORMULA = '=HYPERLINK("http://evil.invalid","click")'
"""With a payload, one evidence text starts with this formula (spreadsheet injection)."""


def workspace_files(payload: str = "") -> dict[str, Any]:
    """Relative path -> YAML data of the workspace."""
    p = payload
    framework = {
        "schema_version": 1,
        "kind": "framework",
        "id": "rep",
        "title": _t("Report test framework", p),
        "publisher": "tests",
        "version": "1",
        "provenance": "derived",
        "subject": "emb",
        "maturity_scale": {"levels": LEVELS, "effectiveness": [0, 0.2, 0.5, 0.8, 1]},
        "domains": [
            {"id": "NET", "title": _t("Network defence", p)},
            {"id": "DATA", "title": _t("Data protection", p)},
            {"id": "PLAT", "title": "Platform commitments"},
        ],
        "controls": [
            {
                "id": "REP-NET-01",
                "domain": "NET",
                "title": _t("Phishing training", p),
                "objective": "Staff spot phishing.",
                "weight": 3,
                "applies_to": ["staff_workstation"],
                "effects": {"mitigates": {"phishing": 0.8}},
                "effort": {"cost_usd": [1000, 3000], "per_asset_usd": [10, 20], "weeks": 2},
                "references": {"nist-csf-2.0": ["PR.AT-01"]},
            },
            {
                "id": "REP-NET-02",
                "domain": "NET",
                "title": "Network segmentation",
                "objective": "Attackers cannot move freely.",
                "weight": 4,
                "applies_to": ["organization"],
                "effects": {
                    "mitigates": {"lateral_movement": 0.7},
                    "detects": {"lateral_movement": 0.3},
                },
                "effort": {"cost_usd": [5000, 15000], "weeks": 6},
                "references": {"nist-csf-2.0": ["PR.IR-01"]},
            },
            {
                "id": "REP-NET-03",
                "domain": "NET",
                "title": "DDoS protection for public sites",
                "objective": "Sites stay up under load.",
                "weight": 3,
                "applies_to": ["results_website"],
                "effects": {"mitigates": {"ddos": 0.9}, "recovers": 0.5},
                "effort": {"cost_usd": [2000, 8000], "weeks": 3},
            },
            {
                "id": "REP-DATA-01",
                "domain": "DATA",
                "title": "Encryption of the register",
                "objective": "A stolen copy is useless.",
                "weight": 5,
                "applies_to": ["voter_registration_db"],
                "effects": {"mitigates": {"lateral_movement": 0.2}},
                "effort": {"cost_usd": [4000, 9000], "weeks": 4},
            },
            {
                "id": "REP-DATA-02",
                "domain": "DATA",
                "title": "Data-protection policy",
                "objective": "Written rules for voter data.",
                "weight": 2,
                "applies_to": ["organization"],
                "effort": {"cost_usd": [500, 1500], "weeks": 2},
            },
            {
                "id": "REP-PLAT-01",
                "domain": "PLAT",
                "subject": "platform",
                "title": "Escalation channel for the EMB",
                "objective": "The EMB can reach the company fast.",
                "weight": 3,
            },
        ],
    }
    phish = {
        "schema_version": 1,
        "kind": "scenario",
        "id": "rep-phish",
        "title": _t("Phished staff account used to reach the register", p),
        "description": "A phishing e-mail gives a foothold; the attacker moves inward.",
        "actor": "criminal",
        "objective": "confidentiality",
        "phases": ["voter_registration", "results_publication"],
        "likelihood": 0.3,
        "entry": [
            {
                "select": {"types": ["staff_workstation"]},
                "technique": "phishing",
                "probability": 0.6,
                "time": {"exponential": {"mean": 48}},
            }
        ],
        "propagation": [
            {
                "kinds": ["connects_to"],
                "direction": "forward",
                "technique": "lateral_movement",
                "probability": 0.5,
                "time": {"lognormal": {"median": 24, "p90": 96}},
            },
            {
                "kinds": ["hosted_on"],
                "direction": "reverse",
                "technique": "privilege_escalation",
                "probability": 0.6,
                "time": {"fixed": 4},
            },
        ],
        "effects": [
            {"type": "leak", "targets": {"data": ["pii"]}, "visibility": "public"},
            {
                "type": "disrupt",
                "targets": {"types": ["results_website"]},
                "duration": {"lognormal": {"median": 12, "p90": 48}},
                "visibility": "public",
            },
        ],
        "references": {"incidents": ["rep-register-leak-2021", "rep-phish-wave-2019"]},
    }
    incidents = {
        "schema_version": 1,
        "kind": "incidents",
        "items": [
            {
                "id": "rep-register-leak-2021",
                "title": _t("Testland register copy leaked", p),
                "date": "2021-03",
                "country": "Testland (fictional)",
                "summary": "A copy of the register given to a party was posted online.",
                "sources": [
                    {"url": "https://example.invalid/leak", "supports": "the leak (fictional)"}
                ],
            },
            {
                "id": "rep-phish-wave-2019",
                "title": "Phishing wave against Testland officials",
                "date": 2019,
                "country": "Testland (fictional)",
                "summary": "Officials received fake password-reset e-mails.",
                "sources": [
                    {"url": "https://example.invalid/phish", "supports": "the wave (fictional)"}
                ],
            },
        ],
    }
    ddos = {
        "schema_version": 1,
        "kind": "scenario",
        "id": "rep-ddos",
        "title": "Denial of service on the results sites",
        "description": "Floods the public results sites on election night.",
        "actor": "hacktivist",
        "objective": "availability",
        "phases": ["results_publication"],
        "likelihood": 0.4,
        "entry": [
            {
                "select": {"types": ["results_website"]},
                "technique": "ddos",
                "probability": 0.5,
                "time": {"uniform": [1, 6]},
            }
        ],
        "effects": [
            {
                "type": "disrupt",
                "duration": {"lognormal": {"median": 8, "p90": 24}},
                "visibility": "public",
            }
        ],
        "references": {"incidents": [_t("Turnout site flooded on polling day", p)]},
    }
    emb = {
        "schema_version": 1,
        "kind": "emb",
        "id": "rep-emb",
        "name": _t("Electoral Commission of Testland", p),
        "country": "Testland (fictional)",
        "region": "test-region",
        "election": {"name": _t("2027 General Election", p), "date": "2027-03-14"},
        "as_of": "2026-11-01",
        "phases": {
            "voter_registration": {"start": "2026-12-01", "end": "2027-01-31"},
            "voting": {"start": "2027-03-14", "end": "2027-03-14"},
            "results_publication": {"start": "2027-03-14", "end": "2027-03-21"},
        },
        "budget_usd": 20000,
        "frameworks": ["rep"],
        "scenarios": ["rep-ddos", "rep-phish"],
    }
    system = {
        "schema_version": 1,
        "kind": "system",
        "emb": "rep-emb",
        "assets": [
            {
                "id": "ws-staff",
                "type": "staff_workstation",
                "label": _t("Staff workstations", p),
                "exposure": "internet",
                "count": 20,
                "notes": _t("Mixed Windows versions", p),
            },
            {
                "id": "dc-main",
                "type": "data_center",
                "label": _t("Main data centre", p),
                "exposure": "physical",
            },
            {
                "id": "vr-register",
                "type": "voter_registration_db",
                "label": _t("Central voter register", p),
                "data": ["pii"],
                "tags": ["crown_jewel"],
            },
            {
                "id": "site-results",
                "type": "results_website",
                "label": _t("Results website", p),
                "exposure": "internet",
            },
            {
                "id": "site-mirror",
                "type": "results_website",
                "label": _t("Results mirror", p),
                "exposure": "internet",
            },
        ],
        "links": [
            {"from": "ws-staff", "to": "dc-main", "kind": "connects_to", "notes": _t("VPN", p)},
            {"from": "vr-register", "to": "dc-main", "kind": "hosted_on"},
            {"from": "site-results", "to": "dc-main", "kind": "hosted_on"},
            {"from": "ws-staff", "to": "vr-register", "kind": "connects_to"},
        ],
        "functions": [
            {
                "id": "publish",
                "title": _t("Publish provisional results", p),
                "weight": 4,
                "phase": "results_publication",
                "max_tolerable_outage_hours": 6,
                "requires": [{"any": ["site-results", "site-mirror"]}],
            },
            {
                "id": "protect",
                "title": _t("Keep voter data confidential", p),
                "weight": 5,
                "phase": "voter_registration",
                "max_tolerable_outage_hours": 720,
                "requires": [{"all": ["vr-register"], "protects_data": True}],
            },
        ],
    }

    def answer(level: Any, source: str, evidence: str, notes: str = "", target: Any = None) -> Any:
        out: dict[str, Any] = {"level": level, "source": source}
        if evidence:
            out["evidence"] = _t(evidence, p)
        if notes:
            out["notes"] = _t(notes, p)
        if target is not None:
            out["target"] = target
        return out

    assessment = {
        "schema_version": 1,
        "kind": "assessment",
        "emb": "rep-emb",
        "frameworks": ["rep"],
        "as_of": "2026-11-01",
        "assessor": _t("IT security unit", p),
        "answers": {
            "REP-NET-01": answer(1, "interview", "Training log 2026", "Only HQ staff", target=3),
            "REP-NET-02": answer(
                2,
                "document",
                FORMULA if p else "Network diagram v3",
                "Flat VLAN at HQ",
            ),
            "REP-NET-03": answer(3, "test", "Load test report 2026-09", target=4),
            "REP-DATA-02": answer("n/a", "none", "", "Covered by the national DPA rules"),
        },
        "overrides": [
            {
                "select": {"ids": ["site-mirror"]},
                "control": "REP-NET-03",
                "level": 1,
                "notes": _t("Mirror not behind the CDN yet", p),
            }
        ],
    }
    history = {
        "schema_version": 1,
        "kind": "assessment",
        "emb": "rep-emb",
        "frameworks": ["rep"],
        "as_of": "2025-11-01",
        "assessor": "IT security unit",
        "answers": {
            "REP-NET-01": answer(0, "interview", "No training yet"),
            "REP-NET-02": answer(1, "interview", "Old diagram", "Flat network everywhere"),
            "REP-NET-03": answer(2, "document", "CDN contract draft"),
        },
    }
    platform = {
        "schema_version": 1,
        "kind": "platform_scorecard",
        "company": _t("Chatterly", p),
        "framework": "rep",
        "as_of": "2026-10-01",
        "answers": {
            "REP-PLAT-01": answer(3, "test", "Escalation test, 3 h reply", "Works on weekdays")
        },
    }
    return {
        "emb.yaml": emb,
        "system.yaml": system,
        "assessment.yaml": assessment,
        "history/assessment-2025-11-01.yaml": history,
        "platforms/chatterly.yaml": platform,
        "frameworks/rep.yaml": framework,
        "scenarios/rep-phish.yaml": phish,
        "scenarios/rep-ddos.yaml": ddos,
        "scenarios/incidents.yaml": incidents,
    }


def write_workspace(root: Path, payload: str = "") -> Path:
    """Write the workspace under ``root`` and return its folder."""
    for rel, data in workspace_files(payload).items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return root
