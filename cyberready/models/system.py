"""The EMB's systems as a dependency graph (``kind: system``) — docs/system-model.md"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import ConfigDict, Field, model_validator

from cyberready.models.vocab import (
    DEPENDENCY_LINK_KINDS,
    AssetType,
    DataClass,
    Exposure,
    Flag,
    Hours,
    Id,
    LinkKind,
    Number,
    Operator,
    Phase,
    SchemaVersion,
    Selector,
    Site,
    StrictModel,
    WholeNumber,
)

__all__ = [
    "Asset",
    "AssetTemplate",
    "Function",
    "GenerateSpec",
    "Link",
    "LinkTemplate",
    "RequirementGroup",
    "SystemModel",
]


class Asset(StrictModel):
    """A system, device, account, site or supplier the election relies on."""

    id: Id = Field(description="Unique asset id.")
    type: AssetType = Field(description="Asset type from the shared vocabulary.")
    label: str = Field(default="", description="Human name shown in technical reports.")
    exposure: Exposure = Field(
        default="internal", description="internet, internal, isolated or physical."
    )
    data: tuple[DataClass, ...] = Field(default=(), description="Data classes held here.")
    tags: tuple[str, ...] = Field(default=(), description="Free tags used by selectors.")
    site: Site | None = Field(
        default=None,
        description="Where the asset is (headquarters, regional_office, local_office, "
        "polling_station, tally_centre, data_centre, cloud, vendor_premises, "
        "third_party_premises, field).",
    )
    operator: Operator | None = Field(
        default=None,
        description="Who runs it or holds the copy (emb, government, vendor, party, observer, "
        "oversight_body, platform, public).",
    )
    count: WholeNumber = Field(
        default=1,
        ge=1,
        description="How many identical, independent items this asset stands for: an attempt "
        "on it succeeds if it succeeds on any item; effects hit the node as a whole.",
    )
    notes: str = Field(default="", description="Free text for the IT team (never shown to donors).")


class Link(StrictModel):
    """A directed relation between two assets; its kind says what it means."""

    model_config = ConfigDict(populate_by_name=True)

    from_: Id = Field(alias="from", description="Source asset id.")
    to: Id = Field(description="Target asset id.")
    kind: LinkKind = Field(
        description="Dependency (hosted_on, depends_on, powered_by: from needs to), attack path "
        "(connects_to, administers, authenticates, supplies: compromise of from lets an attacker "
        "try to) or data (copies_data_to: from's data also lives at to)."
    )
    group: str | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        description="Dependency links only: links of one asset that share a group are "
        "alternatives (grid or generator, primary or standby); the group is out only while "
        "all of them are out.",
    )
    notes: str = Field(default="", description="Free text.")

    @model_validator(mode="after")
    def _group_on_dependency(self) -> Link:
        if self.group is not None and self.kind not in DEPENDENCY_LINK_KINDS:
            raise ValueError(
                f"group is for dependency links (hosted_on, depends_on, powered_by), "
                f"not {self.kind}"
            )
        return self


class RequirementGroup(StrictModel):
    """One requirement of a function: ``any`` of, ``all`` of, or ``at_least`` a fraction ``of``
    the selected assets must be up (and unaltered)."""

    model_config = ConfigDict(populate_by_name=True)

    any_: Selector | None = Field(default=None, alias="any", description="Up if any member is up.")
    all_: Selector | None = Field(
        default=None, alias="all", description="Up if every member is up."
    )
    at_least: Number | None = Field(
        default=None, gt=0, le=1, description="Up if at least this fraction of `of` is up."
    )
    of: Selector | None = Field(default=None, description="Members counted by at_least.")
    protects_data: Flag = Field(
        default=False,
        description="The function also fails (confidentiality) when a member's data leaks.",
    )

    @model_validator(mode="after")
    def _one_form(self) -> RequirementGroup:
        forms = [self.any_ is not None, self.all_ is not None, self.at_least is not None]
        if sum(forms) != 1:
            raise ValueError("a requirement needs exactly one of any, all, at_least (with of)")
        if (self.at_least is None) != (self.of is None):
            raise ValueError("at_least and of go together")
        return self

    @property
    def mode(self) -> Literal["any", "all", "at_least"]:
        """Which form the group takes."""
        if self.any_ is not None:
            return "any"
        if self.all_ is not None:
            return "all"
        return "at_least"

    @property
    def members(self) -> Selector:
        """The selector of the group's members."""
        sel = self.any_ or self.all_ or self.of
        assert sel is not None
        return sel


class Function(StrictModel):
    """An election function the systems must deliver."""

    model_config = ConfigDict(
        json_schema_extra={"anyOf": [{"required": ["phase"]}, {"required": ["phases"]}]}
    )

    id: Id = Field(description="Function id.")
    title: str = Field(description="Human title.")
    description: str = Field(default="", description="What the function is.")
    weight: WholeNumber = Field(default=3, ge=1, le=5, description="Importance, 1–5 (loss weight).")
    phases: tuple[Phase, ...] = Field(
        default=(),
        description="Phases in which the function is delivered (`phase: X` is shorthand for one).",
    )
    phase: Phase | None = Field(
        default=None, description="Shorthand for `phases: [X]` (give one of phase, phases)."
    )
    max_tolerable_outage_hours: Hours = Field(
        description="Outage longer than this makes the function fail."
    )
    requires: tuple[RequirementGroup, ...] = Field(
        min_length=1, description="Every group must hold for the function to be delivered."
    )

    @model_validator(mode="before")
    @classmethod
    def _phase_shorthand(cls, value: Any) -> Any:
        if isinstance(value, Mapping) and "phase" in value and value.get("phase") is not None:
            phases = value.get("phases")
            if phases is None:
                return {**value, "phases": [value["phase"]]}
            if list(phases) != [value["phase"]]:
                raise ValueError("give phase (one) or phases (a list), not both")
        return value

    @model_validator(mode="after")
    def _some_phase(self) -> Function:
        if not self.phases:
            raise ValueError("a function needs phase (one) or phases (a list)")
        if len(set(self.phases)) != len(self.phases):
            raise ValueError(f"phases repeat: {list(self.phases)}")
        return self


class AssetTemplate(StrictModel):
    """An asset whose fields may hold ``{column}`` placeholders filled from each CSV row."""

    id: str = Field(description="Id template, e.g. kit-{station}.")
    type: str = Field(description="Asset type (or a template yielding one).")
    label: str = Field(default="", description="Label template.")
    exposure: str = Field(default="internal", description="Exposure (or a template).")
    data: tuple[str, ...] = Field(default=(), description="Data classes (templates allowed).")
    tags: tuple[str, ...] = Field(default=(), description="Tag templates, e.g. region-{region}.")
    site: str | None = Field(default=None, description="Site (or a template yielding one).")
    operator: str | None = Field(default=None, description="Operator (or a template yielding one).")
    count: str | WholeNumber = Field(default=1, description="Count or a template yielding one.")


class LinkTemplate(StrictModel):
    """A link from or to each generated asset; a missing end is the generated asset."""

    model_config = ConfigDict(populate_by_name=True)

    from_: str | None = Field(default=None, alias="from", description="Source id template.")
    to: str | None = Field(default=None, description="Target id template.")
    kind: LinkKind = Field(description="Link kind.")
    group: str | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        description="Alternatives group (dependency links only), as on an ordinary link.",
    )

    @model_validator(mode="after")
    def _one_end(self) -> LinkTemplate:
        if self.from_ is None and self.to is None:
            raise ValueError("a generated link needs from or to (the other end is the replica)")
        if self.group is not None and self.kind not in DEPENDENCY_LINK_KINDS:
            raise ValueError(
                f"group is for dependency links (hosted_on, depends_on, powered_by), "
                f"not {self.kind}"
            )
        return self


class GenerateSpec(StrictModel):
    """Replicated assets and their links, one per row of a CSV inside the workspace."""

    csv: str = Field(description="Relative path of the CSV inside the workspace.")
    asset: AssetTemplate = Field(description="Template of each generated asset.")
    links: tuple[LinkTemplate, ...] = Field(default=(), description="Links of each replica.")


class SystemModel(StrictModel):
    """Assets, links and election functions of one EMB (``kind: system``)."""

    schema_version: SchemaVersion = Field(
        description="File format version; this cyberready reads 1."
    )
    kind: Literal["system"] = Field(description="Always 'system'.")
    emb: Id = Field(description="Id of the EMB this system belongs to.")
    assets: tuple[Asset, ...] = Field(default=(), description="The assets.")
    generate: tuple[GenerateSpec, ...] = Field(
        default=(), description="Replicated assets from CSV files."
    )
    links: tuple[Link, ...] = Field(default=(), description="Links between assets.")
    functions: tuple[Function, ...] = Field(default=(), description="Election functions.")
