"""The data views reports are rendered from: one per audience (README, "Reports").

A view is a frozen pydantic model holding exactly what its audience may see, already computed
and translated; templates, charts and every output format read only the view. The technical and
advisor views describe assets, attack paths and evidence; the :class:`DonorView` is a separate
model type built from separate classes that *have no field* for an asset id or name, a path, an
evidence text or a note, so no template can leak one. When a donor view is built, every string
in it is also checked against the workspace's asset ids, labels, evidence and notes
(:func:`check_donor_view`). The :class:`PublicView` (TLP:CLEAR) is built the same way and
goes further: it has no field for a score, a probability, a cost or a control's level either.
The :class:`PlatformView` (TLP:AMBER) holds one technology company's scorecard and nothing of
the EMB's own systems or answers.

The JSON format of a report is the view itself (``model_dump``); :func:`view_schema` gives its
JSON Schema.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Annotated, Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import GenerateJsonSchema

from cyberready.models.vocab import Locale
from cyberready.report.redaction import Redactor, Term

__all__ = [
    "AUDIENCES",
    "TLP",
    "ActionRow",
    "AdvisorView",
    "AssetRisk",
    "Audience",
    "Banner",
    "ControlFinding",
    "Crosswalk",
    "DomainReadiness",
    "DonorPeers",
    "DonorPriority",
    "DonorScenarioNotApplied",
    "DonorView",
    "FrameworkReadiness",
    "FunctionRisk",
    "GraphEdge",
    "GraphNode",
    "IncidentCitation",
    "Limitations",
    "PartnerPractice",
    "PartnerReadiness",
    "PathView",
    "PlanSection",
    "PlatformCommitment",
    "PlatformCommitmentRow",
    "PlatformLevel",
    "PlatformScore",
    "PlatformView",
    "PublicDomain",
    "PublicMeasures",
    "PublicMethod",
    "PublicView",
    "ReportMeta",
    "RoadmapItem",
    "RouteView",
    "ScenarioCell",
    "ScenarioNotApplied",
    "ScenarioRisk",
    "TechnicalView",
    "ThreatActorLevel",
    "ThreatContextView",
    "TrendPoint",
    "View",
    "check_donor_view",
    "view_schema",
]

Audience = Literal["technical", "advisor", "donor", "public", "platform"]
AUDIENCES: Final[tuple[Audience, ...]] = ("technical", "advisor", "donor", "public")
"""The audiences of ``--audience all`` and of a saved run: every one but ``platform``, whose
reports are asked for one company at a time."""

TLP: Final[dict[Audience, str]] = {
    "technical": "TLP:AMBER+STRICT",
    "advisor": "TLP:AMBER+STRICT",
    "donor": "TLP:GREEN",
    "public": "TLP:CLEAR",
    "platform": "TLP:AMBER",
}
"""The Traffic Light Protocol 2.0 label of each audience's reports."""

TlpLabel = Literal["TLP:AMBER+STRICT", "TLP:AMBER", "TLP:GREEN", "TLP:CLEAR"]

Percent = Annotated[float, Field(ge=0, le=100)]
Probability = Annotated[float, Field(ge=0, le=1)]
Usd = Annotated[float, Field(ge=0)]


class ViewModel(BaseModel):
    """Base of every view class: frozen, no unknown fields."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# --------------------------------------------------------------------------- shared pieces
# Only classes without sensitive fields are shared between the donor and the other views.


class Banner(ViewModel):
    """The TLP 2.0 marking shown at the top of every page."""

    tlp: TlpLabel = Field(description="TLP 2.0 label.")
    text: str = Field(description="What the label allows, in the report's language.")


class ReportMeta(ViewModel):
    """Who and what the report is about."""

    emb_id: str = Field(description="EMB id.")
    emb_name: str = Field(description="Full name of the EMB.")
    country: str = Field(default="", description="Country.")
    election_name: str | None = Field(default=None, description="The next election.")
    election_date: dt.date | None = Field(default=None, description="Polling day.")
    as_of: dt.date | None = Field(default=None, description="Date of the assessment.")
    days_to_election: int | None = Field(
        default=None, description="Days from the assessment to polling day."
    )
    locale: Locale = Field(default="en", description="Language of the report.")
    controls_total: int = Field(
        default=0, ge=0, description="Controls the assessment scored (whose titles it can show)."
    )
    controls_in_english: int = Field(
        default=0,
        ge=0,
        description="Of these, the controls shown in English because their framework gives no "
        "translation into the report's language (always 0 in English).",
    )
    cyberready_version: str = Field(description="Version of cyberready that built the view.")
    trials: int | None = Field(default=None, description="Monte Carlo trials per scenario.")
    seed: int | None = Field(default=None, description="Random seed of the simulation.")
    threat_context: bool = Field(
        default=False,
        description="True when the likelihoods follow the EMB's own threat context (its content "
        "is in the technical and advisor views only); False: generic likelihoods.",
    )
    public_confidence_weight: float = Field(
        default=3,
        ge=0,
        description="Weight points a full loss of public trust counts for (the EMB's "
        "public_confidence_weight).",
    )


class FrameworkReadiness(ViewModel):
    """Readiness against one framework."""

    framework_id: str = Field(description="Framework id.")
    title: str = Field(description="Framework title.")
    provenance: Literal["official", "derived", "supplementary"] = Field(
        description="official, derived (our encoding of the source's intent) or supplementary "
        "(a practice cyberready adds beyond the source)."
    )
    score: Percent = Field(description="Weighted readiness score, 0–100.")
    low: Percent = Field(description="Lower end of the confidence band.")
    high: Percent = Field(description="Upper end of the confidence band.")
    tier: str = Field(description="Readiness tier.")
    coverage: Probability = Field(description="Share of controls answered.")


class DomainReadiness(ViewModel):
    """Readiness of one domain of one framework."""

    framework_id: str = Field(description="Framework id.")
    framework_title: str = Field(description="Framework title.")
    domain_id: str = Field(description="Domain id.")
    title: str = Field(description="Domain title.")
    score: Percent = Field(description="Weighted readiness score, 0–100.")
    low: Percent = Field(description="Lower end of the confidence band.")
    high: Percent = Field(description="Upper end of the confidence band.")
    tier: str = Field(description="Readiness tier.")
    coverage: Probability = Field(description="Share of controls answered.")
    controls: int = Field(ge=0, description="Controls scored (n/a excluded).")
    unassessed: int = Field(ge=0, description="Controls not answered (scored as 0).")
    target: Percent | None = Field(default=None, description="Score if every target were met.")


class TrendPoint(ViewModel):
    """Overall readiness at one past or present assessment."""

    as_of: dt.date = Field(description="Date of the assessment.")
    score: Percent = Field(description="Overall readiness score.")
    tier: str = Field(description="Tier.")


class ReadinessSection(ViewModel):
    """Overall readiness and its breakdown (no control-level detail)."""

    # Named "Readiness" in the JSON schema of the reports, as it always was.
    model_config = ConfigDict(extra="forbid", frozen=True, title="Readiness")

    score: Percent = Field(description="Overall readiness score, 0–100.")
    low: Percent = Field(description="Lower end of the confidence band.")
    high: Percent = Field(description="Upper end of the confidence band.")
    tier: str = Field(description="Overall tier.")
    coverage: Probability = Field(description="Share of controls answered.")
    confidence: Literal["high", "medium", "low"] = Field(
        description="How much of the evidence is tested or documented."
    )
    frameworks: tuple[FrameworkReadiness, ...] = Field(description="Per framework.")
    domains: tuple[DomainReadiness, ...] = Field(description="Per domain.")
    trend: tuple[TrendPoint, ...] = Field(default=(), description="Oldest first, this one last.")
    tiers: tuple[tuple[float, str], ...] = Field(description="Tier thresholds (min, name).")


class PartnerPractice(ViewModel):
    """One practice of the EMB's international partners and its answer."""

    control_id: str = Field(description="Control id.")
    title: str = Field(description="Control title.")
    level: int | None = Field(
        default=None, ge=0, le=4, description="Answered level (None: unassessed or n/a)."
    )
    status: Literal["answered", "n/a", "unassessed"] = Field(description="Answer status.")


class PartnerReadiness(ViewModel):
    """How far the EMB's international partners' practices are in place (``subject: partner``
    controls), scored like the EMB's own but never part of its score."""

    score: Percent | None = Field(description="Weighted score, 0–100 (None: all n/a).")
    tier: str = Field(description="Tier.")
    coverage: Probability = Field(description="Share of practices answered.")
    practices: tuple[PartnerPractice, ...] = Field(description="Each practice, in file order.")


class PlatformScore(ViewModel):
    """A technology company's overall score against the platform commitments."""

    company: str = Field(description="Company.")
    framework_id: str = Field(description="Framework.")
    as_of: dt.date = Field(description="Date of the scorecard.")
    score: Percent = Field(description="Readiness score, 0–100.")
    tier: str = Field(description="Tier.")
    coverage: Probability = Field(description="Share of commitments answered.")


class PlatformLevel(ViewModel):
    """One company's level on one commitment."""

    level: int | Literal["n/a"] | None = Field(
        description="Maturity level 0–4, 'n/a', or None when not assessed (or not in the "
        "company's framework)."
    )
    name: str = Field(
        default="", description="The level's word on its framework's scale ('' for none)."
    )


class PlatformCommitment(ViewModel):
    """One platform commitment and each company's level on it."""

    control_id: str = Field(description="Commitment (control) id.")
    title: str = Field(description="Commitment title.")
    levels: tuple[PlatformLevel, ...] = Field(
        description="Each company's level, in the order of the view's platforms."
    )


class EvidenceMix(ViewModel):
    """How many answers rest on each kind of evidence."""

    source: str = Field(description="document, test, observation, interview or none.")
    answers: int = Field(ge=0, description="Number of answers.")


# --------------------------------------------------------------------------- technical pieces


class ControlFinding(ViewModel):
    """One EMB control: its answer and evidence (technical and advisor only)."""

    control_id: str = Field(description="Control id.")
    title: str = Field(description="Control title.")
    framework_id: str = Field(description="Framework id.")
    domain_id: str = Field(description="Domain id.")
    weight: int = Field(description="Weight 1–5.")
    level: int | Literal["n/a"] | None = Field(description="Level, n/a, or None if unassessed.")
    target: int | None = Field(default=None, description="Target level.")
    score: Percent | None = Field(default=None, description="Control score (level/4×100).")
    spread: tuple[int, int] | None = Field(
        default=None, description="Min and max level over assets when overrides differ."
    )
    source: str = Field(default="none", description="Evidence source.")
    evidence: str = Field(default="", description="Evidence text.")
    notes: str = Field(default="", description="Notes.")
    provenance: Literal["official", "derived", "supplementary"] = Field(
        description="official, derived (our encoding of the source's intent) or supplementary "
        "(a practice cyberready adds beyond the source)."
    )


class FunctionRisk(ViewModel):
    """An election function and how likely it is to fail this cycle."""

    function_id: str = Field(description="Function id.")
    title: str = Field(description="Function title.")
    phases: tuple[str, ...] = Field(description="Phases of the electoral cycle it serves.")
    weight: int = Field(description="Importance 1–5.")
    p_fail: Probability = Field(description="P(fails this cycle), over the scenarios in scope.")
    main_threats: tuple[str, ...] = Field(
        default=(), description="Titles of the scenarios contributing most."
    )
    spof: tuple[str, ...] = Field(default=(), description="Single points of failure (asset ids).")


class ScenarioCell(ViewModel):
    """P(function fails | scenario attempted)."""

    scenario_id: str = Field(description="Scenario id.")
    function_id: str = Field(description="Function id.")
    p_fail: Probability = Field(description="P(fail | attempt).")
    low: Probability = Field(description="Wilson 95% lower bound.")
    high: Probability = Field(description="Wilson 95% upper bound.")


class IncidentCitation(ViewModel):
    """A real incident a scenario cites, as reports show it: its title and year."""

    title: str = Field(description="The incident's title, or the free text a scenario cites.")
    year: int | None = Field(
        default=None, description="Year it began; none for free text not in any registry."
    )


ScenarioStatus = Literal["applies", "partial", "cannot_apply", "not_relevant"]
NotAppliedCause = Literal["no_entry", "no_target", "no_path"]


class ThreatActorLevel(ViewModel):
    """A threat actor's level in the EMB's threat context."""

    actor: str = Field(description="Threat actor.")
    level: Literal["none", "low", "medium", "high"] = Field(description="Its level.")


class ThreatContextView(ViewModel):
    """The EMB's threat context, as the technical and advisor views show it."""

    source: str = Field(description="What the levels rest on.")
    actors: tuple[ThreatActorLevel, ...] = Field(
        default=(), description="Actor levels set by the EMB (unlisted actors: medium)."
    )
    own_figures: int = Field(
        default=0, ge=0, description="Scenarios whose likelihood the EMB set itself."
    )


class ScenarioRisk(ViewModel):
    """One threat scenario's simulated outcome."""

    scenario_id: str = Field(description="Scenario id.")
    title: str = Field(description="Scenario title.")
    actor: str = Field(description="Threat actor.")
    objective: str = Field(description="availability, integrity, confidentiality or perception.")
    likelihood: Probability = Field(
        description="Effective likelihood: chance the campaign is attempted this cycle."
    )
    base_likelihood: Probability = Field(
        description="The scenario's generic likelihood, before any threat context."
    )
    likelihood_origin: Literal["generic", "actor", "emb"] = Field(
        default="generic",
        description="generic (no threat context), actor (generic × the actor level's "
        "multiplier) or emb (the EMB's own figure).",
    )
    actor_level: Literal["none", "low", "medium", "high"] | None = Field(
        default=None, description="The actor's level in the threat context (none without one)."
    )
    likelihood_rationale: str = Field(
        default="", description="The EMB's rationale for its own figure (origin emb)."
    )
    expected_loss: float = Field(
        ge=0, description="Expected loss in weight points, public trust included."
    )
    trust_loss: float = Field(
        default=0, ge=0, description="The public-trust part of the expected loss."
    )
    mean_trust: Probability = Field(
        default=0,
        description="Share of public trust lost per attempt: min(C, 3) / 3 averaged over trials.",
    )
    p_any_failure: Probability = Field(description="P(some function fails | attempt).")
    hours_to_failure: tuple[float, float, float] | None = Field(
        default=None, description="10th, 50th, 90th percentile hours to first failure."
    )
    failure_hours_sample: tuple[float, ...] = Field(
        default=(), description="Hours to first failure in failing trials (capped sample)."
    )
    public_confidence: float = Field(
        ge=0,
        description="Mean C per attempt: public incidents plus failed functions in a campaign, "
        "after reassurance.",
    )
    incidents: tuple[IncidentCitation, ...] = Field(
        default=(), description="Real incidents the scenario is grounded in, oldest first."
    )
    status: ScenarioStatus = Field(
        default="applies",
        description="applies; partial (some rule matches nothing here); cannot_apply (it can "
        "affect nothing in this system model); not_relevant (no system of the types it starts "
        "from). The last two explain a 0% (see limitations).",
    )


class AssetRisk(ViewModel):
    """One asset, or one group of replicated assets (``generate:``): how often it is
    compromised or fails, and what depends on it."""

    asset_id: str = Field(
        description="Asset id; for a group, its id template (and @region when split by one)."
    )
    label: str = Field(description="Asset label; for a group, its label template.")
    type: str = Field(description="Asset type (a group's most common one).")
    exposure: str = Field(description="Exposure (a group's most common one).")
    count: int = Field(description="Items this asset stands for (a group: all its members').")
    p_compromise: Probability = Field(
        description="P(compromised by an attacker this cycle), over the malicious scenarios; "
        "a group: the median over its members."
    )
    p_failure: Probability = Field(
        default=0.0,
        description="P(failed this cycle without an attacker: equipment, power or capacity), "
        "over the accidental scenarios; a group: the median over its members.",
    )
    group_size: int = Field(
        default=1, ge=1, description="Generated assets in this row (1: a single asset)."
    )
    spread: tuple[float, float, float] | None = Field(
        default=None,
        description="A group's min, median and max chance of compromise over its members.",
    )
    failure_spread: tuple[float, float, float] | None = Field(
        default=None, description="A group's min, median and max chance of failure."
    )
    blast_radius: int = Field(
        ge=0, description="Assets an attacker here can reach or take down (a group: its largest)."
    )
    spof_for: tuple[str, ...] = Field(default=(), description="Functions it alone can fail.")


class PathView(ViewModel):
    """A frequent attack path (entry → … → the asset that made a function fail)."""

    scenario_id: str = Field(description="Scenario id.")
    function_id: str = Field(default="", description="Function that failed.")
    assets: tuple[str, ...] = Field(description="Asset ids along the path.")
    labels: tuple[str, ...] = Field(description="Asset labels along the path.")
    share: Probability = Field(description="Share of the scenario's failing trials.")


class GraphNode(ViewModel):
    """An asset, or a group of replicated assets, in the dependency-graph chart."""

    asset_id: str = Field(description="Asset id (a group: the id of its table row).")
    label: str = Field(description="Asset label.")
    type: str = Field(description="Asset type.")
    p_compromise: Probability = Field(
        description="P(compromised this cycle) (a group: its members' median)."
    )
    critical: bool = Field(default=False, description="Crown jewel or needed by a function.")
    size: int = Field(default=1, ge=1, description="Generated assets the node stands for.")


class GraphEdge(ViewModel):
    """A link in the dependency-graph chart."""

    source: str = Field(description="From asset id.")
    target: str = Field(description="To asset id.")
    role: Literal["dependency", "attack", "data"] = Field(description="Link role.")
    links: int = Field(default=1, ge=1, description="Links this edge stands for (groups).")


class RouteView(ViewModel):
    """A shortest route from the internet to a critical asset (or group)."""

    assets: tuple[str, ...] = Field(description="Asset (or group) ids, entry first.")
    labels: tuple[str, ...] = Field(description="Their labels, entry first.")


class ActionRow(ViewModel):
    """A recommended action: raise one control, with what it costs and what it buys."""

    # Named "Action" in the JSON schema of the reports, as it always was.
    model_config = ConfigDict(extra="forbid", frozen=True, title="Action")

    rank: int = Field(ge=1, description="Rank (1 = do first).")
    control_id: str = Field(description="Control raised.")
    title: str = Field(description="Control title.")
    framework_id: str = Field(description="Framework.")
    domain_id: str = Field(description="Domain id.")
    domain_title: str = Field(description="Domain title.")
    from_level: int = Field(description="Current level.")
    to_level: int = Field(description="Level after the action.")
    scope: str = Field(default="", description="Where: every asset, or a selector.")
    assets: tuple[str, ...] = Field(default=(), description="Asset ids touched.")
    cost_low: Usd = Field(description="Cost, low end (USD).")
    cost_high: Usd = Field(description="Cost, high end (USD).")
    weeks: float = Field(ge=0, description="Weeks to put in place.")
    risk_reduction: float = Field(ge=0, description="Drop in expected loss (weight points).")
    risk_reduction_share: Probability = Field(description="Share of the total expected loss.")
    readiness_gain: float = Field(ge=0, description="Rise in the overall readiness score.")
    scenarios: tuple[str, ...] = Field(default=(), description="Scenario titles it affects.")
    functions: tuple[str, ...] = Field(default=(), description="Function titles it protects.")
    references: tuple[str, ...] = Field(default=(), description="Crosswalk items, e.g. PR.AA-01.")
    ready_by: str | None = Field(default=None, description="First phase it is in place before.")
    in_budget: bool = Field(default=False, description="Part of the budget plan.")
    simulated: bool = Field(default=True, description="Ranked by simulated risk reduction.")
    why: str = Field(default="", description="One-sentence explanation.")


class RoadmapItem(ViewModel):
    """An action placed on the electoral calendar."""

    rank: int = Field(ge=1, description="Rank of the action.")
    control_id: str = Field(description="Control.")
    title: str = Field(description="Control title.")
    start: dt.date = Field(description="Start date.")
    ready: dt.date = Field(description="Date it is in place.")
    before_phase: str | None = Field(default=None, description="First phase it is ready for.")
    cost_low: Usd = Field(description="Cost, low end.")
    cost_high: Usd = Field(description="Cost, high end.")
    risk_reduction_share: Probability = Field(
        default=0.0,
        description="Share of the simulated expected loss it removes in this cycle (its "
        "marginal benefit in the plan, in the phases that start after it is ready).",
    )
    next_cycle_share: Probability = Field(
        default=0.0,
        description="Share of the simulated expected loss removed only from the next cycle on: "
        "what the actions protect in phases that start before they are ready.",
    )


class Crosswalk(ViewModel):
    """A control and the reference-catalog items it maps to."""

    control_id: str = Field(description="Control id.")
    title: str = Field(description="Control title.")
    catalog_id: str = Field(description="Catalog id, e.g. nist-csf-2.0.")
    items: tuple[str, ...] = Field(description="Item ids.")


class ScenarioNotApplied(ViewModel):
    """A scenario that could affect nothing in this system model, and why."""

    title: str = Field(description="Scenario title.")
    cause: NotAppliedCause = Field(
        description="no_entry (it can start nowhere), no_target (nothing it could harm matters "
        "in its phases) or no_path (no link leads from where it starts to what it could harm)."
    )
    because: str = Field(description="The cause in plain words.")
    detail: str = Field(default="", description="The rules and assets involved.")
    fix: str = Field(default="", description="What would connect it, or where to look.")


class Limitations(ViewModel):
    """What the numbers rest on and what they leave out."""

    derived_frameworks: tuple[str, ...] = Field(
        default=(), description="Titles of frameworks encoded from the source's intent."
    )
    unassessed: int = Field(ge=0, description="Controls not answered.")
    unassessed_ids: tuple[str, ...] = Field(default=(), description="Their ids (technical).")
    not_applicable: int = Field(ge=0, description="Controls answered n/a.")
    evidence_mix: tuple[EvidenceMix, ...] = Field(
        default=(), description="Number of answers per evidence source."
    )
    rules_not_applicable: tuple[str, ...] = Field(
        default=(), description="Rules of relevant scenarios that match no asset (technical)."
    )
    scenarios_not_relevant: tuple[str, ...] = Field(
        default=(), description="Titles of scenarios that start from no system of this EMB."
    )
    scenarios_not_applied: tuple[ScenarioNotApplied, ...] = Field(
        default=(), description="Relevant scenarios that could affect nothing here, and why."
    )


class PlanSection(ViewModel):
    """The budget plan: the actions picked greedily within the budget."""

    # Named "Plan" in the JSON schema of the reports, as it always was.
    model_config = ConfigDict(extra="forbid", frozen=True, title="Plan")

    budget_usd: Usd = Field(description="The budget.")
    actions: int = Field(ge=0, description="Actions in the plan.")
    cost_low: Usd = Field(description="Cost of the plan, low end.")
    cost_high: Usd = Field(description="Cost of the plan, high end.")
    risk_reduction_share: Probability = Field(
        description="Share of the simulated expected loss the plan removes in this cycle: "
        "what its actions protect in the phases that start after they are ready."
    )
    next_cycle_share: Probability = Field(
        default=0.0,
        description="Share of the simulated expected loss removed only from the next cycle on: "
        "what the actions protect in phases that start before they are ready.",
    )


class Assumption(ViewModel):
    """A modelling assumption the advisor should check."""

    name: str = Field(description="What.")
    value: str = Field(description="Value used.")


# --------------------------------------------------------------------------- the views


class _ViewBase(ViewModel):
    schema_version: Literal[1] = Field(default=1, description="Format version of the view.")
    kind: Literal["report"] = Field(default="report", description="Always 'report'.")
    banner: Banner = Field(description="TLP marking.")
    meta: ReportMeta = Field(description="EMB, election and run parameters.")
    readiness: ReadinessSection = Field(description="Readiness scores.")
    platforms: tuple[PlatformScore, ...] = Field(default=(), description="Platform scorecards.")
    platform_commitments: tuple[PlatformCommitment, ...] = Field(
        default=(), description="Each commitment × each company in platforms (same order)."
    )
    plan: PlanSection | None = Field(default=None, description="Budget plan, when a budget is set.")


class TechnicalView(_ViewBase):
    """Everything, for the EMB's IT staff: assets, attack paths and evidence."""

    audience: Literal["technical", "advisor"] = Field(default="technical", description="Audience.")
    controls: tuple[ControlFinding, ...] = Field(description="Every EMB control.")
    functions: tuple[FunctionRisk, ...] = Field(description="Election functions, riskiest first.")
    scenarios: tuple[ScenarioRisk, ...] = Field(description="Scenarios, highest loss first.")
    matrix: tuple[ScenarioCell, ...] = Field(description="Scenario × function P(fail).")
    assets: tuple[AssetRisk, ...] = Field(
        description="Hand-written assets and groups of generated ones, most exposed first."
    )
    paths: tuple[PathView, ...] = Field(default=(), description="Most frequent attack paths.")
    exposed_paths: tuple[RouteView, ...] = Field(
        default=(), description="Shortest routes from the internet to critical assets."
    )
    graph_nodes: tuple[GraphNode, ...] = Field(description="Nodes of the graph chart.")
    graph_edges: tuple[GraphEdge, ...] = Field(description="Edges of the graph chart.")
    graph_left_out: int = Field(
        default=0, ge=0, description="Assets the graph chart could not draw (too many)."
    )
    actions: tuple[ActionRow, ...] = Field(default=(), description="Ranked recommendations.")
    expected_loss: float = Field(
        ge=0, description="Total expected loss (weight points), public trust included."
    )
    trust_loss: float = Field(default=0, ge=0, description="Its public-trust part.")
    threat_context: ThreatContextView | None = Field(
        default=None, description="The EMB's threat context (None: generic likelihoods)."
    )
    limitations: Limitations = Field(description="Limitations.")


class AdvisorView(TechnicalView):
    """Technical plus crosswalks, roadmap, methodology and assumptions, for advisors."""

    audience: Literal["technical", "advisor"] = Field(default="advisor", description="Audience.")
    crosswalks: tuple[Crosswalk, ...] = Field(default=(), description="Control crosswalks.")
    roadmap: tuple[RoadmapItem, ...] = Field(default=(), description="Actions on the calendar.")
    assumptions: tuple[Assumption, ...] = Field(default=(), description="Modelling assumptions.")
    partners: PartnerReadiness | None = Field(
        default=None,
        description="The international partners' practices, scored apart from the EMB's own.",
    )


class DonorFunctionRisk(ViewModel):
    """An election function's risk, without assets or scenarios."""

    title: str = Field(description="Function title.")
    phases: tuple[str, ...] = Field(description="Phases of the electoral cycle it serves.")
    p_fail: Probability = Field(
        description="P(fails this cycle), rounded to 0.01 (0.001 for a positive chance "
        "below 0.005, 0.999 for one between 0.995 and 1)."
    )
    level: Literal["high", "elevated", "moderate", "low"] = Field(
        description="Plain-language band."
    )


class DonorPriority(ViewModel):
    """A domain where investment is recommended: how much, and what it protects."""

    rank: int = Field(ge=1, description="Rank.")
    framework_title: str = Field(description="Framework title.")
    domain_title: str = Field(description="Domain title.")
    actions: int = Field(ge=1, description="Number of recommended actions in the domain.")
    cost_low: Usd = Field(description="Cost, low end (USD).")
    cost_high: Usd = Field(description="Cost, high end (USD).")
    risk_reduction_share: Probability = Field(
        description="Share of simulated risk removed in this cycle."
    )
    next_cycle_share: Probability = Field(
        default=0.0,
        description="Share of the simulated expected loss removed only from the next cycle on: "
        "what the actions protect in phases that start before they are ready.",
    )
    readiness_gain: float = Field(ge=0, description="Rise in the overall readiness score.")
    protects: tuple[str, ...] = Field(default=(), description="Election functions protected.")
    ready_by: str | None = Field(default=None, description="First phase it can be ready for.")
    action_titles: tuple[str, ...] = Field(
        default=(),
        description="The funded actions by control title (what is done, never where).",
    )


class DonorScenarioNotApplied(ViewModel):
    """A scenario that could affect nothing here: its title and the kind of reason only."""

    title: str = Field(description="Scenario title.")
    cause: NotAppliedCause = Field(description="no_entry, no_target or no_path.")
    because: str = Field(description="The cause in plain words.")


class DonorLimitations(ViewModel):
    """Limitations: counts, and the titles of scenarios that did not apply."""

    derived_frameworks: tuple[str, ...] = Field(default=(), description="Derived frameworks.")
    unassessed: int = Field(ge=0, description="Controls not answered.")
    not_applicable: int = Field(ge=0, description="Controls answered n/a.")
    evidence_mix: tuple[EvidenceMix, ...] = Field(
        default=(), description="Number of answers per evidence source."
    )
    scenarios_not_relevant: tuple[str, ...] = Field(
        default=(), description="Titles of scenarios that start from no system of this EMB."
    )
    scenarios_not_applied: tuple[DonorScenarioNotApplied, ...] = Field(
        default=(), description="Titles of scenarios that could affect nothing here, and why."
    )


class DonorPeers(ViewModel):
    """Peers strong in one of the EMB's weak domains, by alias (portfolio context only)."""

    framework_title: str = Field(description="Framework title.")
    domain_title: str = Field(description="The EMB's weak domain.")
    peers: tuple[str, ...] = Field(
        description="Aliases of the portfolio's EMBs strong in it (EMB-01…), best first."
    )


class DonorView(ViewModel):
    """A redacted readiness summary safe to share with donors (TLP:GREEN).

    Built from its own classes: there is no field for an asset, a path, an evidence text or a
    note anywhere in it.
    """

    schema_version: Literal[1] = Field(default=1, description="Format version of the view.")
    kind: Literal["report"] = Field(default="report", description="Always 'report'.")
    audience: Literal["donor"] = Field(default="donor", description="Audience.")
    banner: Banner = Field(description="TLP marking.")
    meta: ReportMeta = Field(description="EMB, election and run parameters.")
    readiness: ReadinessSection = Field(description="Readiness scores (domain level).")
    platforms: tuple[PlatformScore, ...] = Field(default=(), description="Platform scorecards.")
    platform_commitments: tuple[PlatformCommitment, ...] = Field(
        default=(), description="Each commitment × each company in platforms (same order)."
    )
    partners: PartnerReadiness | None = Field(
        default=None,
        description="The international partners' practices, scored apart from the EMB's own.",
    )
    plan: PlanSection | None = Field(default=None, description="Budget plan, when a budget is set.")
    functions: tuple[DonorFunctionRisk, ...] = Field(description="Election functions at risk.")
    priorities: tuple[DonorPriority, ...] = Field(description="Priorities by domain.")
    limitations: DonorLimitations = Field(description="Limitations (counts only).")
    peers: tuple[DonorPeers, ...] = Field(
        default=(),
        description="Peers strong in the EMB's weak domains, by alias: only in a portfolio "
        "(Portfolio.donor_view), never in a single EMB's report.",
    )


# --------------------------------------------------------------------------- public


BandChange = Literal["improved", "unchanged", "declined", "new"]


class PublicDomain(ViewModel):
    """A domain's readiness as a band (tier), and how the band moved since the last assessment."""

    framework_title: str = Field(description="Framework title.")
    title: str = Field(description="Domain title.")
    band: str = Field(description="Readiness band (the tier's name); never a score.")
    previous_band: str | None = Field(
        default=None, description="Its band at the previous assessment (None: no earlier one)."
    )
    change: BandChange | None = Field(
        default=None,
        description="improved, unchanged or declined since the previous assessment; new when "
        "the domain was not assessed then; None without a previous assessment.",
    )


class PublicMeasures(ViewModel):
    """The measures under way and planned in one domain, by title only."""

    framework_title: str = Field(description="Framework title.")
    domain_title: str = Field(description="Domain title.")
    under_way: tuple[str, ...] = Field(
        default=(),
        description="Titles of the measures the EMB has set itself a target for (beyond the plan).",
    )
    planned: tuple[str, ...] = Field(
        default=(), description="Titles of the measures in the improvement plan."
    )


class PublicMethod(ViewModel):
    """How the assessment was done and by whom (counts and titles only)."""

    assessor: str = Field(default="", description="Who assessed (the assessment's assessor).")
    as_of: dt.date | None = Field(default=None, description="Date of the assessment.")
    previous_as_of: dt.date | None = Field(
        default=None, description="Date of the previous assessment it is compared with."
    )
    frameworks: tuple[str, ...] = Field(description="Titles of the frameworks assessed against.")
    controls: int = Field(ge=0, description="Controls in scope (n/a excluded).")
    answered: int = Field(ge=0, description="Controls answered.")
    evidence_mix: tuple[EvidenceMix, ...] = Field(
        default=(), description="Number of answers per evidence source."
    )
    confidence: Literal["high", "medium", "low"] = Field(
        description="How much of the evidence is tested or documented."
    )
    simulated: bool = Field(
        default=False, description="Threat scenarios were simulated to rank the measures."
    )


class PublicView(ViewModel):
    """A public transparency summary (TLP:CLEAR): readiness by domain as bands, the change
    since the last assessment, the kinds of measures under way and planned, and the method.

    Built from its own classes: there is no field for a score, a probability, a cost, a
    control level or gap, an asset, a path, an evidence text or a note anywhere in it.
    """

    schema_version: Literal[1] = Field(default=1, description="Format version of the view.")
    kind: Literal["report"] = Field(default="report", description="Always 'report'.")
    audience: Literal["public"] = Field(default="public", description="Audience.")
    banner: Banner = Field(description="TLP marking.")
    meta: ReportMeta = Field(description="EMB, election and run parameters.")
    bands: tuple[str, ...] = Field(description="The readiness bands, lowest first.")
    band: str = Field(description="Overall readiness band.")
    previous_band: str | None = Field(
        default=None, description="Overall band at the previous assessment."
    )
    change: BandChange | None = Field(
        default=None, description="improved, unchanged or declined (None: no earlier one)."
    )
    domains: tuple[PublicDomain, ...] = Field(description="Each domain's band.")
    measures: tuple[PublicMeasures, ...] = Field(
        default=(), description="Measures under way and planned, by domain."
    )
    method: PublicMethod = Field(description="How the assessment was done, and by whom.")


# --------------------------------------------------------------------------- platform


class PlatformCommitmentRow(ViewModel):
    """One commitment of a company's scorecard: its level, evidence and the EMB's next ask."""

    control_id: str = Field(description="Commitment (control) id.")
    title: str = Field(description="Commitment title.")
    level: int | Literal["n/a"] | None = Field(
        description="Maturity level 0–4, 'n/a', or None when not assessed."
    )
    level_name: str = Field(default="", description="The level's word on the framework's scale.")
    source: str = Field(default="none", description="Evidence source.")
    evidence: str = Field(default="", description="The company's evidence (as answered).")
    target: int | None = Field(default=None, description="The level the EMB asks for.")
    ask: str = Field(default="", description="What the EMB asks of the company next.")


class PlatformView(ViewModel):
    """One technology company's scorecard (TLP:AMBER), to share between the EMB and the
    company: each commitment's level, evidence and the EMB's next ask. It holds nothing of the
    EMB's own systems, answers or risks."""

    schema_version: Literal[1] = Field(default=1, description="Format version of the view.")
    kind: Literal["report"] = Field(default="report", description="Always 'report'.")
    audience: Literal["platform"] = Field(default="platform", description="Audience.")
    banner: Banner = Field(description="TLP marking.")
    meta: ReportMeta = Field(description="EMB and election.")
    company: str = Field(description="Company.")
    framework_title: str = Field(description="Framework of the commitments.")
    assessor: str = Field(default="", description="Who filled in the scorecard.")
    score: PlatformScore = Field(description="The company's overall score.")
    tiers: tuple[tuple[float, str], ...] = Field(description="Tier thresholds (min, name).")
    commitments: tuple[PlatformCommitmentRow, ...] = Field(description="Each commitment.")


View = TechnicalView | AdvisorView | DonorView | PublicView | PlatformView


class _SchemaNames(GenerateJsonSchema):
    """Schema generation keeping the published definition names of the classes renamed in
    Python (``ActionRow`` is ``Action`` in the schema, and so on), so the schema of the JSON
    reports does not change with the code's naming."""

    def normalize_name(self, name: str) -> str:
        name = super().normalize_name(name)
        return _SCHEMA_NAMES.get(name, name)


_SCHEMA_NAMES: Final[dict[str, str]] = {
    cls.__name__: str(cls.model_config.get("title"))
    for cls in (ActionRow, PlanSection, ReadinessSection)
}


def view_schema(audience: Audience) -> dict[str, Any]:
    """The JSON Schema of an audience's view (the JSON report format)."""
    models: dict[Audience, type[ViewModel]] = {
        "technical": TechnicalView,
        "advisor": AdvisorView,
        "donor": DonorView,
        "public": PublicView,
        "platform": PlatformView,
    }
    model = models[audience]
    doc = model.model_json_schema(schema_generator=_SchemaNames)
    doc["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    doc["$id"] = f"https://cyberready.invalid/schema/v1/report-{audience}.schema.json"
    return doc


# --------------------------------------------------------------------------- donor check


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _strings(getattr(value, name))
    elif isinstance(value, tuple | list):
        for item in value:
            yield from _strings(item)


def check_donor_view(
    view: DonorView | PublicView, forbidden: Redactor | Iterable[str] | None
) -> list[tuple[str, Term]]:
    """Every (string, sensitive term) pair where a donor- (or public-) view string holds a
    sensitive term.

    ``forbidden`` is the workspace's :class:`~cyberready.report.redaction.Redactor` (or the
    sensitive strings themselves); terms are found in any spelling variant
    (:func:`~cyberready.report.redaction.normalise`). An empty result means the view is safe
    to render.
    """
    if forbidden is None:
        return []
    red = (
        forbidden
        if isinstance(forbidden, Redactor)
        else Redactor(Term(t, "sensitive text", "the workspace") for t in forbidden)
    )
    hits: list[tuple[str, Term]] = []
    for text in _strings(view):
        term = red.find(text)
        if term is not None:
            hits.append((text, term))
    return hits


RiskLevel = Literal["high", "elevated", "moderate", "low"]


def risk_level(p: float) -> RiskLevel:
    """Plain-language band of a failure probability: high (≥ 25%), elevated (≥ 10%),
    moderate (≥ 3%), low.

    >>> risk_level(0.3), risk_level(0.1), risk_level(0.05), risk_level(0.0)
    ('high', 'elevated', 'moderate', 'low')
    """
    if p >= 0.25:
        return "high"
    if p >= 0.10:
        return "elevated"
    if p >= 0.03:
        return "moderate"
    return "low"
