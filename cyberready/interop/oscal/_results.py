"""An assessment as OSCAL assessment results (docs/oscal.md, "Assessment results").

Built from the technical view (:func:`cyberready.report.build_view`), so the figures are the
technical report's: one result whose observations are the EMB's answers (level, evidence and
its source), whose findings say per control whether the level reached its target (level 3,
"implemented and tested", when no target is set), whose props hold the readiness scores, and
whose risks are the simulated scenarios with the ranked actions as remediations. The document
is marked with the technical report's TLP label in a ``marking`` prop of its metadata: it
holds evidence and asset-level findings, for the EMB and those it names only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from cyberready._version import __version__
from cyberready.errors import AssessmentError, Problem
from cyberready.interop.oscal._common import OSCAL_VERSION, prop, stable_uuid, timestamp
from cyberready.report.models import TLP, ActionRow, ControlFinding, ScenarioRisk, TechnicalView

if TYPE_CHECKING:
    from cyberready.assess import AssessmentResult

__all__ = ["MARKING", "assessment_results_document"]

MARKING: Final = TLP["technical"]
"""The TLP label of the assessment results: the technical report's, whose content they hold."""

_METHODS: Final = {
    "document": "EXAMINE",
    "observation": "EXAMINE",
    "interview": "INTERVIEW",
    "test": "TEST",
    "none": "UNKNOWN",
}
"""OSCAL's observation method for each evidence source."""

_SATISFIED_LEVEL: Final = 3
"""Without a target, a control is satisfied at level 3 (implemented and tested)."""


def assessment_results_document(result: AssessmentResult) -> dict[str, Any]:
    """The OSCAL assessment-results document (``{"assessment-results": ...}``) of ``result``.

    Its ``last-modified`` and the result's ``start`` are the assessment's ``as_of``; with the
    same seed and trials the same workspace gives the same bytes."""
    from cyberready.report import build_view

    view = build_view(result, "technical")
    assert isinstance(view, TechnicalView)
    ws = result.workspace
    assessment = ws.assessment
    if assessment is None:
        raise AssessmentError(
            [Problem(file=str(ws.path), message="the workspace has no assessment.yaml to export")]
        )
    as_of = timestamp(assessment.as_of)
    emb = ws.emb
    key = (emb.id, assessment.as_of.isoformat())
    observations = [_observation(f, key, as_of) for f in view.controls if f.level is not None]
    risks = _risks(view, key)
    findings = [_finding(f, key) for f in view.controls if f.level != "n/a"]
    r = view.readiness
    props = [
        prop("readiness-score", f"{r.score:.1f}", cls="overall"),
        prop("readiness-tier", r.tier, cls="overall"),
        prop("readiness-low", f"{r.low:.1f}", cls="overall"),
        prop("readiness-high", f"{r.high:.1f}", cls="overall"),
        prop("coverage", f"{r.coverage:.3f}", cls="overall"),
        prop("confidence", r.confidence, cls="overall"),
    ]
    for fr in r.frameworks:
        props.append(prop("readiness-score", f"{fr.score:.1f}", cls=fr.framework_id))
        props.append(prop("readiness-tier", fr.tier, cls=fr.framework_id))
    for d in r.domains:
        scope = f"{d.framework_id}.{d.domain_id}"
        props.append(prop("readiness-score", f"{d.score:.1f}", cls=scope))
        props.append(prop("readiness-tier", d.tier, cls=scope))
    props.append(prop("expected-loss", f"{view.expected_loss:.3f}"))
    body: dict[str, Any] = {
        "uuid": stable_uuid("result", *key),
        "title": f"Cybersecurity readiness of {emb.name} as of {assessment.as_of}",
        "description": (
            f"Readiness {r.score:.1f}/100 ({r.tier}; band {r.low:.1f}-{r.high:.1f}), from "
            f"{len(observations)} answered control(s) of {', '.join(assessment.frameworks)}. "
            "Scores are weighted maturity levels 0-4 as a percentage of level 4; risks are "
            f"simulated over {result.trials:,} trials per scenario (seed {result.seed})."
        ),
        "start": as_of,
        "props": props,
        "reviewed-controls": {"control-selections": [{"include-all": {}}]},
    }
    if observations:
        body["observations"] = observations
    if risks:
        body["risks"] = risks
    if findings:
        body["findings"] = findings
    body["remarks"] = _remarks(view)
    return {
        "assessment-results": {
            "uuid": stable_uuid("assessment-results", *key),
            "metadata": {
                "title": f"Electoral cybersecurity assessment results: {emb.name}",
                "last-modified": as_of,
                "version": assessment.as_of.isoformat(),
                "oscal-version": OSCAL_VERSION,
                "props": [
                    prop("marking", MARKING, ns=False),
                    prop("generator", f"cyberready {__version__}"),
                    prop("emb-id", emb.id),
                    prop("trials", result.trials),
                    prop("seed", result.seed),
                ],
                "remarks": (
                    f"{MARKING}: holds the EMB's evidence and asset-level findings. Share only "
                    "within the EMB and with those it names, as its technical report."
                ),
            },
            "import-ap": {
                "href": "assessment.yaml",
                "remarks": "No OSCAL assessment plan: the cyberready assessment file is the plan.",
            },
            "results": [body],
        }
    }


def _observation(f: ControlFinding, key: tuple[str, str], collected: str) -> dict[str, Any]:
    level = "not applicable" if f.level == "n/a" else f"level {f.level} of 4"
    description = f"{f.control_id} ({f.title}): {level}."
    if f.target is not None:
        description += f" Target: level {f.target}."
    obs: dict[str, Any] = {
        "uuid": stable_uuid("observation", *key, f.control_id),
        "title": f"{f.control_id}: {f.title}",
        "description": description,
        "props": [
            prop("control-id", f.control_id),
            prop("framework-id", f.framework_id),
            prop("maturity-level", f.level),
            prop("evidence-source", f.source),
        ],
        "methods": [_METHODS.get(f.source, "UNKNOWN")],
        "collected": collected,
    }
    if f.target is not None:
        obs["props"].append(prop("target-level", f.target))
    if f.evidence.strip():
        obs["relevant-evidence"] = [{"description": f.evidence}]
    return obs


def _finding(f: ControlFinding, key: tuple[str, str]) -> dict[str, Any]:
    target = f.target if f.target is not None else _SATISFIED_LEVEL
    if f.level is None:
        state, text = "not-satisfied", "not assessed (scored as level 0)"
    else:
        assert isinstance(f.level, int)
        state = "satisfied" if f.level >= target else "not-satisfied"
        text = f"level {f.level} against {target}"
    finding: dict[str, Any] = {
        "uuid": stable_uuid("finding", *key, f.control_id),
        "title": f"{f.control_id}: {f.title}",
        "description": f"{f.control_id}: {text}"
        + (
            ""
            if f.target is not None
            else " (level 3, implemented and tested, as no target is set)"
        )
        + ".",
        "props": [prop("weight", f.weight)],
        "target": {
            "type": "objective-id",
            "target-id": f.control_id,
            "status": {"state": state},
        },
    }
    if f.score is not None:
        finding["props"].append(prop("control-score", f"{f.score:.1f}"))
    if f.level is not None:
        finding["related-observations"] = [
            {"observation-uuid": stable_uuid("observation", *key, f.control_id)}
        ]
    return finding


def _risks(view: TechnicalView, key: tuple[str, str]) -> list[dict[str, Any]]:
    """One risk per scenario that can do harm here (highest expected loss first), each with
    the ranked actions as remediations: an action under the scenario it reduces most (its
    description names the others), an action tied to no scenario under one more risk, the
    readiness gaps."""
    by_title = {s.title: s for s in view.scenarios}
    actions_of: dict[str, list[ActionRow]] = {}
    unlinked: list[ActionRow] = []
    for action in view.actions:
        linked = [by_title[t].scenario_id for t in action.scenarios if t in by_title]
        if linked:
            actions_of.setdefault(linked[0], []).append(action)
        else:
            unlinked.append(action)
    risks = []
    for s in view.scenarios:
        if s.status in ("cannot_apply", "not_relevant"):
            continue
        risk = _risk(s, key, actions_of.get(s.scenario_id, []))
        risks.append(risk)
    if unlinked:
        risks.append(
            {
                "uuid": stable_uuid("risk", *key, "readiness-gaps"),
                "title": "Readiness gaps",
                "description": "Controls below their target whose effect the threat "
                "simulation does not model.",
                "statement": "These actions raise the readiness score; they are ranked by "
                "readiness gain per cost.",
                "status": "open",
                "remediations": [_remediation(a, key, "readiness-gaps") for a in unlinked],
            }
        )
    return risks


def _risk(s: ScenarioRisk, key: tuple[str, str], actions: list[ActionRow]) -> dict[str, Any]:
    risk: dict[str, Any] = {
        "uuid": stable_uuid("risk", *key, s.scenario_id),
        "title": s.title,
        "description": f"Threat scenario {s.scenario_id} ({s.actor}, {s.objective}).",
        "statement": (
            f"Attempted this cycle with probability {s.likelihood:.2f}; when attempted, some "
            f"election function fails with probability {s.p_any_failure:.2f}. Expected loss "
            f"{s.expected_loss:.3f} weight points (public trust {s.trust_loss:.3f})."
        ),
        "props": [
            prop("scenario-id", s.scenario_id),
            prop("likelihood", f"{s.likelihood:.4f}"),
            prop("p-any-failure", f"{s.p_any_failure:.4f}"),
            prop("expected-loss", f"{s.expected_loss:.4f}"),
        ],
        "status": "open",
    }
    if actions:
        risk["remediations"] = [_remediation(a, key, s.scenario_id) for a in actions]
    return risk


def _remediation(a: ActionRow, key: tuple[str, str], scope: str) -> dict[str, Any]:
    return {
        "uuid": stable_uuid("remediation", *key, scope, a.control_id),
        "lifecycle": "planned" if a.in_budget else "recommendation",
        "title": f"Raise {a.control_id} from level {a.from_level} to {a.to_level}",
        "description": a.why or f"{a.control_id}: {a.title}.",
        "props": [
            prop("rank", a.rank),
            prop("control-id", a.control_id),
            prop("from-level", a.from_level),
            prop("to-level", a.to_level),
            prop("cost-usd-low", f"{a.cost_low:.0f}"),
            prop("cost-usd-high", f"{a.cost_high:.0f}"),
            prop("weeks", f"{a.weeks:g}"),
            prop("risk-reduction", f"{a.risk_reduction:.4f}"),
            prop("readiness-gain", f"{a.readiness_gain:.2f}"),
        ],
    }


def _remarks(view: TechnicalView) -> str:
    r = view.readiness
    rows = [
        "| Scope | Score (0-100) | Tier |",
        "|---|---|---|",
        f"| Overall | {r.score:.1f} | {r.tier} |",
    ]
    rows += [f"| {f.title} | {f.score:.1f} | {f.tier} |" for f in r.frameworks]
    rows += [f"| {d.framework_id} / {d.title} | {d.score:.1f} | {d.tier} |" for d in r.domains]
    return "Readiness scores: weighted maturity levels as a percentage of level 4.\n\n" + "\n".join(
        rows
    )
