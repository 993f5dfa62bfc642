"""Threat scenarios (``kind: scenario``): docs/system-model.md; what they do: trial-model.md."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from cyberready.models.vocab import (
    Actor,
    AttackId,
    Id,
    LinkKind,
    Locale,
    Number,
    Phase,
    SchemaVersion,
    Selector,
    StrictModel,
    TimeDistribution,
)

__all__ = [
    "Effect",
    "EntryRule",
    "PropagationRule",
    "References",
    "Scenario",
    "ScenarioTranslation",
]

Visibility = Literal["none", "internal", "public"]


class EntryRule(StrictModel):
    """Where the campaign starts: each matched asset is one independent attempt
    (``mode: each``), or the campaign picks one of them (``mode: one``)."""

    select: Selector = Field(description="Assets attacked first.")
    mode: Literal["each", "one"] = Field(
        default="each",
        description="each: every matched asset is one independent attempt; one: the campaign "
        "goes after one of the matched assets (picked by count), as a real campaign strikes one "
        "polling station's kit rather than each of thousands independently.",
    )
    technique: Id = Field(description="Technique used (from scenarios/techniques.yaml).")
    probability: Number = Field(
        ge=0, le=1, description="Base success probability, before controls."
    )
    time: TimeDistribution = Field(description="Time from the campaign's start, in hours.")


class PropagationRule(StrictModel):
    """How compromise spreads along links of the listed kinds."""

    kinds: tuple[LinkKind, ...] = Field(min_length=1, description="Link kinds followed.")
    direction: Literal["forward", "reverse"] = Field(
        default="forward", description="forward: from -> to; reverse: to -> from."
    )
    technique: Id = Field(description="Technique used at the target.")
    probability: Number = Field(ge=0, le=1, description="Base success probability per link.")
    time: TimeDistribution = Field(description="Time the step takes, in hours.")


class Effect(StrictModel):
    """What happens to compromised assets that match ``targets``."""

    type: Literal["disrupt", "alter", "leak", "deface"] = Field(description="Kind of effect.")
    targets: Selector | None = Field(
        default=None, description="Which compromised assets it hits (default: all)."
    )
    duration: TimeDistribution | None = Field(
        default=None, description="Outage length, in hours (disrupt only, required there)."
    )
    visibility: Visibility | None = Field(
        default=None, description="none, internal or public (default public for deface, else none)."
    )

    @model_validator(mode="after")
    def _duration(self) -> Effect:
        if self.type == "disrupt" and self.duration is None:
            raise ValueError("a disrupt effect needs a duration")
        if self.type != "disrupt" and self.duration is not None:
            raise ValueError(f"only disrupt effects take a duration, not {self.type}")
        return self

    @property
    def effective_visibility(self) -> Visibility:
        """The visibility, with the per-type default applied."""
        if self.visibility is not None:
            return self.visibility
        return "public" if self.type == "deface" else "none"


class References(StrictModel):
    """Sources behind a scenario."""

    attack: tuple[AttackId, ...] = Field(
        default=(), description="MITRE ATT&CK Enterprise technique ids, e.g. T1566 or T1565.001."
    )
    incidents: tuple[str, ...] = Field(
        default=(),
        description="Real incidents: ids from an incident registry (kind: incidents). A shipped "
        "scenario cites only the shipped registry; your own may also cite free text (a warning).",
    )


class ScenarioTranslation(StrictModel):
    """A scenario's title and description in one language; a field left out keeps the English."""

    title: str | None = Field(default=None, min_length=1, description="Translated title.")
    description: str | None = Field(default=None, description="Translated description.")


class Scenario(StrictModel):
    """A threat scenario (``kind: scenario``)."""

    schema_version: SchemaVersion = Field(
        description="File format version; this cyberready reads 1."
    )
    kind: Literal["scenario"] = Field(description="Always 'scenario'.")
    id: Id = Field(description="Scenario id.")
    title: str = Field(description="Human title.")
    description: str = Field(default="", description="What happens, in plain language.")
    actor: Actor = Field(description="Threat actor (accidental for non-malicious failures).")
    objective: Literal["availability", "integrity", "confidentiality", "perception"] = Field(
        description="What the actor is after."
    )
    phases: tuple[Phase, ...] = Field(min_length=1, description="Phases the campaign targets.")
    likelihood: Number = Field(
        ge=0,
        le=1,
        description="Chance the campaign is attempted this cycle (the base, for a medium "
        "threat; an EMB's threat context may change it).",
    )
    likelihood_basis: str | None = Field(
        default=None,
        description="The source or reasoning behind the base likelihood, in one line.",
    )
    entry: tuple[EntryRule, ...] = Field(min_length=1, description="Entry rules.")
    propagation: tuple[PropagationRule, ...] = Field(default=(), description="Propagation rules.")
    effects: tuple[Effect, ...] = Field(min_length=1, description="Effects on compromised assets.")
    references: References = Field(default_factory=References, description="Sources.")
    translations: dict[Locale, ScenarioTranslation] = Field(
        default_factory=dict,
        description="Locale (fr, es, ar, or a region such as fr_CA) -> translated title and "
        "description, shown in reports in that language (fr_CA falls back to fr, then English).",
    )
