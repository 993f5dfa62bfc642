"""The EMB (``kind: emb``), its assessment (``kind: assessment``) and platform scorecards
(``kind: platform_scorecard``) — docs/scoring.md."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, WithJsonSchema, model_validator

from cyberready.models.vocab import (
    Actor,
    ActorLevel,
    ControlId,
    EvidenceSource,
    Id,
    Locale,
    Number,
    Phase,
    SchemaVersion,
    Selector,
    StrictModel,
    Usd,
    WholeNumber,
)

__all__ = [
    "Answer",
    "Assessment",
    "Election",
    "EmbProfile",
    "Level",
    "Override",
    "PhaseWindow",
    "PlatformScorecard",
    "ScenarioLikelihood",
    "ThreatContext",
]


def _check_level(level: int | str) -> int | str:
    if level != "n/a" and not (isinstance(level, int) and 0 <= level <= 4):
        raise ValueError(f"level {level!r} is not a maturity level: use 0, 1, 2, 3, 4 or n/a")
    return level


Level = Annotated[
    WholeNumber | Literal["n/a"],
    AfterValidator(_check_level),
    WithJsonSchema(
        {
            "anyOf": [{"type": "integer", "minimum": 0, "maximum": 4}, {"const": "n/a"}],
            "description": "Maturity level 0–4, or n/a.",
        }
    ),
]
"""A maturity level 0–4, or ``n/a`` (the control does not apply here)."""


class PhaseWindow(StrictModel):
    """When a phase of the electoral cycle runs."""

    start: dt.date = Field(description="First day.")
    end: dt.date = Field(description="Last day.")

    @model_validator(mode="after")
    def _ordered(self) -> PhaseWindow:
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self


class Election(StrictModel):
    """The election being prepared."""

    name: str = Field(description="Name of the election.")
    date: dt.date = Field(description="Polling day.")


class ScenarioLikelihood(StrictModel):
    """This EMB's own likelihood for one scenario, with the reason for it."""

    likelihood: Number = Field(
        ge=0, le=1, description="Chance the campaign is attempted this cycle, 0–1, as written."
    )
    rationale: str = Field(min_length=1, description="Why: the evidence behind the figure.")


class ThreatContext(StrictModel):
    """What the EMB's likelihoods rest on: actor levels and per-scenario likelihoods.

    A scenario's effective likelihood is its entry under ``scenarios`` when there is one;
    otherwise its base likelihood times the multiplier of its actor's level (none 0, low 0.3,
    medium 1, high 2; unlisted actors are medium), a raise capped at ``max(base, 0.95)``.
    """

    source: str = Field(
        min_length=1,
        description="What the levels rest on, e.g. a national threat assessment and its date.",
    )
    actors: dict[Actor, ActorLevel] = Field(
        default_factory=dict,
        description="Threat actor -> none, low, medium or high (unlisted actors: medium).",
    )
    scenarios: dict[Id, ScenarioLikelihood] = Field(
        default_factory=dict,
        description="Scenario id -> this EMB's likelihood and its rationale (overrides the "
        "actor level).",
    )


class EmbProfile(StrictModel):
    """An election management body's workspace settings (``kind: emb``)."""

    schema_version: SchemaVersion = Field(
        description="File format version; this cyberready reads 1."
    )
    kind: Literal["emb"] = Field(description="Always 'emb'.")
    id: Id = Field(description="EMB id.")
    name: str = Field(description="Full name of the EMB.")
    country: str = Field(default="", description="Country.")
    region: str | None = Field(default=None, description="Region, for portfolio grouping.")
    languages: tuple[Locale, ...] = Field(
        default=(), description="Report languages (locales such as en or fr_CA)."
    )
    election: Election | None = Field(default=None, description="The next election.")
    as_of: dt.date | None = Field(default=None, description="Date of this profile.")
    phases: dict[Phase, PhaseWindow] = Field(
        default_factory=dict, description="Phase windows of the electoral calendar."
    )
    budget_usd: Usd | None = Field(default=None, description="Budget for improvements, in USD.")
    frameworks: tuple[Id, ...] = Field(
        default=("usaid-ecbs", "ifes-tech-guidelines"), description="Frameworks in scope."
    )
    scenarios: Literal["all"] | tuple[Id, ...] = Field(
        default="all", description="Scenarios in scope: all, or a list of ids."
    )
    public_confidence_weight: Number = Field(
        default=3,
        ge=1,
        le=5,
        description="How much a loss of public trust counts beside the functions' weights "
        "(1–5, default 3).",
    )
    threat_context: ThreatContext | None = Field(
        default=None,
        description="Actor levels and per-scenario likelihoods for this EMB, with their source "
        "(without one, the scenarios' generic likelihoods are used).",
    )


class Answer(StrictModel):
    """The answer to one control."""

    level: Level = Field(description="Maturity level 0–4, or n/a.")
    source: EvidenceSource = Field(
        default="none", description="Evidence source: document, test, observation, interview, none."
    )
    evidence: str = Field(
        default="", description="The evidence (sensitive; never shown to donors)."
    )
    notes: str = Field(default="", description="Free notes (sensitive; never shown to donors).")
    target: WholeNumber | None = Field(default=None, ge=0, le=4, description="Target level, 0–4.")


class Override(StrictModel):
    """A control level that holds on some assets only; the most specific selector wins."""

    select: Selector = Field(description="The assets the level holds on.")
    control: ControlId = Field(description="The control.")
    level: Level = Field(description="Level on those assets, 0–4 or n/a.")
    notes: str = Field(default="", description="Free notes.")


class Assessment(StrictModel):
    """An EMB's answers to its frameworks (``kind: assessment``)."""

    schema_version: SchemaVersion = Field(
        description="File format version; this cyberready reads 1."
    )
    kind: Literal["assessment"] = Field(description="Always 'assessment'.")
    emb: Id = Field(description="EMB id.")
    frameworks: tuple[Id, ...] = Field(description="Frameworks answered (must match emb.yaml).")
    as_of: dt.date = Field(description="Date of the assessment.")
    assessor: str = Field(default="", description="Who assessed.")
    answers: dict[ControlId, Answer] = Field(
        default_factory=dict, description="Control id -> answer. Unanswered = unassessed."
    )
    overrides: tuple[Override, ...] = Field(default=(), description="Per-asset levels.")


class PlatformScorecard(StrictModel):
    """A technology company's answers to the platform commitments (``kind: platform_scorecard``)."""

    schema_version: SchemaVersion = Field(
        description="File format version; this cyberready reads 1."
    )
    kind: Literal["platform_scorecard"] = Field(description="Always 'platform_scorecard'.")
    company: str = Field(min_length=1, description="Company name.")
    framework: Id = Field(description="Framework whose subject: platform controls are answered.")
    as_of: dt.date = Field(description="Date of the scorecard.")
    assessor: str = Field(default="", description="Who assessed.")
    answers: dict[ControlId, Answer] = Field(default_factory=dict, description="Answers.")
