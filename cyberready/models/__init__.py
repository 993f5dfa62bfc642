"""Strict pydantic models of every cyberready file kind (docs/system-model.md)."""

from __future__ import annotations

from cyberready.models.assessment import (
    Answer,
    Assessment,
    EmbProfile,
    Override,
    PhaseWindow,
    PlatformScorecard,
    ScenarioLikelihood,
    ThreatContext,
)
from cyberready.models.framework import (
    Catalog,
    Control,
    Domain,
    Effects,
    Effort,
    Framework,
    Technique,
    TechniqueCatalog,
    Verification,
)
from cyberready.models.incident import Incident, IncidentRegistry, IncidentSource
from cyberready.models.scenario import Effect, EntryRule, PropagationRule, Scenario
from cyberready.models.system import Asset, Function, Link, RequirementGroup, SystemModel
from cyberready.models.vocab import Selector, StrictModel, TimeDistribution

KIND_MODELS: dict[str, type[StrictModel]] = {
    "framework": Framework,
    "catalog": Catalog,
    "techniques": TechniqueCatalog,
    "emb": EmbProfile,
    "system": SystemModel,
    "assessment": Assessment,
    "platform_scorecard": PlatformScorecard,
    "scenario": Scenario,
    "incidents": IncidentRegistry,
}
"""Every file kind and the model that validates it."""

__all__ = [
    "KIND_MODELS",
    "Answer",
    "Assessment",
    "Asset",
    "Catalog",
    "Control",
    "Domain",
    "Effect",
    "Effects",
    "Effort",
    "EmbProfile",
    "EntryRule",
    "Framework",
    "Function",
    "Incident",
    "IncidentRegistry",
    "IncidentSource",
    "Link",
    "Override",
    "PhaseWindow",
    "PlatformScorecard",
    "PropagationRule",
    "RequirementGroup",
    "Scenario",
    "ScenarioLikelihood",
    "Selector",
    "StrictModel",
    "SystemModel",
    "Technique",
    "TechniqueCatalog",
    "ThreatContext",
    "TimeDistribution",
    "Verification",
]
