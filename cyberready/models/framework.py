"""Frameworks of scored controls (``kind: framework``), reference catalogs (``kind: catalog``)
and the technique vocabulary (``kind: techniques``) — docs/controls.md"""

from __future__ import annotations

import itertools
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, model_validator

from cyberready.models.vocab import (
    AssetType,
    AttackId,
    ControlId,
    Id,
    Locale,
    Number,
    Phase,
    SchemaVersion,
    Selector,
    StrictModel,
    TimeDistribution,
    Usd,
    WholeNumber,
    language_of,
    localized,
)

__all__ = [
    "Catalog",
    "CatalogItem",
    "Control",
    "Domain",
    "DomainTranslation",
    "Effects",
    "Effort",
    "Framework",
    "FrameworkTranslation",
    "LevelTranslation",
    "MaturityLevel",
    "MaturityScale",
    "Source",
    "Technique",
    "TechniqueCatalog",
    "Tier",
    "TierTranslation",
    "Translation",
    "Verification",
    "localized",
    "translation_of",
]

Provenance = Literal["official", "derived", "supplementary"]
"""official: the source's text; derived: our encoding of its intent where the official text was
not available; supplementary: a practice cyberready adds beyond the source's scope."""
Subject = Literal["emb", "platform", "partner"]
"""Whose practice a control is: the EMB's, a technology platform's, or the EMB's international
partners' (scored apart from the EMB's own score)."""
MAX_WEEKS = 520
"""Longest time to put a control in place, in weeks (ten years)."""

Probability = Annotated[Number, Field(ge=0, le=1)]
"""A probability or fraction in [0, 1]."""


class Source(StrictModel):
    """Where a framework or catalog comes from."""

    citation: str = Field(description="Bibliographic citation of the source document(s).")
    url: str | None = Field(default=None, description="Where the source can be read.")


class LevelTranslation(StrictModel):
    """A maturity level's text in another locale."""

    name: str | None = Field(default=None, min_length=1, description="Translated name.")
    description: str | None = Field(default=None, description="Translated description.")


class TierTranslation(StrictModel):
    """A tier's name in another locale."""

    name: str | None = Field(default=None, min_length=1, description="Translated name.")


class DomainTranslation(StrictModel):
    """A domain's text in another locale."""

    title: str | None = Field(default=None, min_length=1, description="Translated title.")
    description: str | None = Field(default=None, description="Translated description.")


class FrameworkTranslation(StrictModel):
    """A framework's title in another locale."""

    title: str | None = Field(default=None, min_length=1, description="Translated title.")


class MaturityLevel(StrictModel):
    """One level of the maturity scale."""

    level: WholeNumber = Field(ge=0, le=4, description="The level, 0–4.")
    name: str = Field(min_length=1, description="Short name, e.g. 'Documented'.")
    description: str = Field(description="What an organisation at this level does.")
    translations: dict[Locale, LevelTranslation] = Field(
        default_factory=dict,
        description="Locale (fr, es, ar, or a region such as fr_CA) -> translated name and "
        "description.",
    )


class MaturityScale(StrictModel):
    """Levels 0–4 and the curve that turns a level into control strength."""

    levels: tuple[MaturityLevel, ...] = Field(description="Exactly the levels 0, 1, 2, 3, 4.")
    effectiveness: tuple[Number, Number, Number, Number, Number] = Field(
        description="Control strength per level: non-decreasing, from 0 at level 0 to 1 at 4."
    )

    @model_validator(mode="after")
    def _check(self) -> MaturityScale:
        if [lv.level for lv in self.levels] != [0, 1, 2, 3, 4]:
            raise ValueError("levels must be exactly 0, 1, 2, 3, 4 in order")
        _check_curve(self.effectiveness, "effectiveness")
        return self


class Tier(StrictModel):
    """A readiness tier: scores at or above ``min`` (and below the next tier) get ``name``."""

    min: Number = Field(ge=0, le=100, description="Lowest score (0–100) in this tier.")
    name: str = Field(min_length=1, description="Tier name, e.g. 'Developing'.")
    translations: dict[Locale, TierTranslation] = Field(
        default_factory=dict,
        description="Locale (fr, es, ar, or a region such as fr_CA) -> translated name.",
    )

    def __hash__(self) -> int:
        # tiers are compared as tuples across frameworks (a set of them); the translations are
        # a dict, which pydantic's frozen hash cannot hash
        return hash((self.min, self.name, tuple(sorted(self.translations.items()))))


DEFAULT_TIERS: tuple[Tier, ...] = (
    Tier(min=0, name="Critical gaps"),
    Tier(min=40, name="Developing"),
    Tier(min=60, name="Established"),
    Tier(min=80, name="Advanced"),
)


class Domain(StrictModel):
    """A group of controls scored together."""

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", description="Domain id, e.g. VR.")
    title: str = Field(description="Human title.")
    description: str = Field(default="", description="What the domain covers.")
    translations: dict[Locale, DomainTranslation] = Field(
        default_factory=dict,
        description="Locale (fr, es, ar, or a region such as fr_CA) -> translated title and "
        "description.",
    )


def _check_curve(values: tuple[float, ...], what: str) -> None:
    if values[0] != 0 or values[-1] != 1:
        raise ValueError(f"{what} must start at 0 and end at 1, got {list(values)}")
    if any(not 0 <= v <= 1 for v in values):
        raise ValueError(f"{what} values must be in [0, 1], got {list(values)}")
    if any(b < a for a, b in itertools.pairwise(values)):
        raise ValueError(f"{what} must be non-decreasing, got {list(values)}")


def _selector_not_list(value: object) -> object:
    if isinstance(value, list | tuple):
        raise ValueError("a list here names asset types (or organization)")
    return value


AppliesSelector = Annotated[Selector, BeforeValidator(_selector_not_list)]
"""``applies_to`` written as a selector (a mapping, or a shorthand such as ``site:X``)."""


class Verification(StrictModel):
    """A check that catches an alteration of an applicable asset whatever technique made it
    (paper reconciliation, published polling-station results, an audit)."""

    probability: Probability = Field(
        description="Chance, at full strength, that an alteration is caught."
    )
    recheck: TimeDistribution = Field(
        description="How long the asset is out once an alteration is caught (a recount, a "
        "re-transmission), in hours."
    )


class Effects(StrictModel):
    """How a control changes the simulation (the trial model, step 1). All optional."""

    mitigates: dict[Id, Probability] = Field(
        default_factory=dict,
        description="Technique -> reduction in [0, 1] of step success at full strength.",
    )
    detects: dict[Id, Probability] = Field(
        default_factory=dict,
        description="Technique -> probability in [0, 1] of detecting a compromise at full "
        "strength.",
    )
    verifies: Verification | None = Field(
        default=None,
        description="Catches an alteration of an applicable asset, whatever technique made it, "
        "with probability x strength; the asset is then out for the recheck time.",
    )
    recovers: Number = Field(
        default=0.0, ge=0, le=1, description="Outage shortened by this fraction at full strength."
    )
    reassures: Number = Field(
        default=0.0,
        ge=0,
        le=1,
        description="Public-confidence impact reduced by this fraction at full strength.",
    )

    @property
    def techniques(self) -> frozenset[str]:
        """Every technique this control touches."""
        return frozenset(self.mitigates) | frozenset(self.detects)

    @property
    def empty(self) -> bool:
        """True when the control has no effect on the simulation."""
        return not (
            self.mitigates
            or self.detects
            or self.verifies is not None
            or self.recovers
            or self.reassures
        )


class Effort(StrictModel):
    """What it takes to raise the control: cost ranges in USD and weeks."""

    cost_usd: tuple[Usd, Usd] = Field(
        default=(0.0, 0.0), description="Fixed cost range [low, high] in USD."
    )
    per_asset_usd: tuple[Usd, Usd] | None = Field(
        default=None, description="Extra cost range per asset touched (counts included)."
    )
    weeks: Number = Field(
        default=4, ge=0, le=MAX_WEEKS, description="Weeks needed to put it in place."
    )

    @model_validator(mode="after")
    def _ranges(self) -> Effort:
        for name in ("cost_usd", "per_asset_usd"):
            rng = getattr(self, name)
            if rng is not None and not 0 <= rng[0] <= rng[1]:
                raise ValueError(
                    f"{name} must be [low, high] with 0 <= low <= high, "
                    f"got [{rng[0]:g}, {rng[1]:g}]"
                )
        return self


class Translation(StrictModel):
    """A control's text in another locale."""

    title: str | None = Field(default=None, description="Translated title.")
    objective: str | None = Field(default=None, description="Translated objective.")
    guidance: str | None = Field(default=None, description="Translated guidance.")
    rubric: dict[WholeNumber, str] | None = Field(
        default=None, description="Translated rubric (all of levels 0–4)."
    )

    @model_validator(mode="after")
    def _rubric_complete(self) -> Translation:
        if self.rubric is not None and sorted(self.rubric) != [0, 1, 2, 3, 4]:
            raise ValueError(f"rubric must give all levels 0–4, got {sorted(self.rubric)}")
        return self


class Control(StrictModel):
    """A scored control."""

    id: ControlId = Field(description="Upper-case id, e.g. ECBS-VR-03.")
    domain: str = Field(description="Id of the domain this control belongs to.")
    subject: Subject | None = Field(
        default=None,
        description="emb, platform or partner; defaults to the framework's subject.",
    )
    provenance: Provenance | None = Field(
        default=None,
        description="Overrides the framework's provenance for this control (supplementary: a "
        "practice cyberready adds beyond the source's scope).",
    )
    title: str = Field(min_length=1, description="Short title.")
    objective: str = Field(description="What the control achieves.")
    guidance: str = Field(default="", description="How to put it in place.")
    rubric: dict[WholeNumber, str] | None = Field(
        default=None, description="Per-level text (all of 0–4) replacing the scale's descriptions."
    )
    weight: WholeNumber = Field(default=3, ge=1, le=5, description="Weight in scores, 1–5.")
    applies_to: tuple[AssetType | Literal["organization"], ...] | AppliesSelector = Field(
        default=("organization",),
        union_mode="left_to_right",
        description="Asset types the control protects, or 'organization' for every asset; or a "
        "selector, e.g. {types: [voter_registration_db], operators: [party, observer]}.",
    )
    phases: tuple[Phase, ...] = Field(default=(), description="Phases where it matters most.")
    effects: Effects = Field(default_factory=Effects, description="Effects on the simulation.")
    effort: Effort = Field(default_factory=Effort, description="Cost and time to raise it.")
    references: dict[Id, tuple[str, ...]] = Field(
        default_factory=dict, description="Catalog id -> item ids, e.g. nist-csf-2.0: [PR.AA-01]."
    )
    tags: tuple[str, ...] = Field(default=(), description="Free tags, e.g. theme tags.")
    translations: dict[Locale, Translation] = Field(
        default_factory=dict,
        description="Locale (fr, es, ar, or a region such as fr_CA) -> translated text.",
    )
    effectiveness: tuple[Number, Number, Number, Number, Number] | None = Field(
        default=None,
        description="Control strength per level for this control, overriding the scale's "
        "curve: non-decreasing, from 0 at level 0 to 1 at level 4 (a technical control that is "
        "only documented, level 2, protects little).",
    )

    @model_validator(mode="after")
    def _rubric_complete(self) -> Control:
        if self.rubric is not None and sorted(self.rubric) != [0, 1, 2, 3, 4]:
            raise ValueError(f"rubric must give all levels 0–4, got {sorted(self.rubric)}")
        if self.effectiveness is not None:
            _check_curve(self.effectiveness, "effectiveness")
        return self

    @property
    def organization_wide(self) -> bool:
        """True when the control applies to every asset (``applies_to: [organization]``)."""
        return isinstance(self.applies_to, tuple) and "organization" in self.applies_to

    @property
    def applies_selector(self) -> Selector:
        """The assets the control applies to, as a selector (empty: every asset)."""
        if isinstance(self.applies_to, Selector):
            return self.applies_to
        if self.organization_wide:
            return Selector()
        return Selector(types=tuple(t for t in self.applies_to if t != "organization"))

    @property
    def applies_names(self) -> tuple[str, ...]:
        """The asset types (or ``organization``) the control names, for grouping and display."""
        if isinstance(self.applies_to, Selector):
            return self.applies_to.types or ()
        return tuple(self.applies_to)

    def describe_applies(self) -> str:
        """``applies_to`` in a few words: ``organization``, the types, or the selector."""
        if isinstance(self.applies_to, Selector):
            return self.applies_to.describe()
        return ", ".join(self.applies_to)


class Framework(StrictModel):
    """A framework of scored controls (``kind: framework``)."""

    schema_version: SchemaVersion = Field(
        description="File format version; this cyberready reads 1."
    )
    kind: Literal["framework"] = Field(description="Always 'framework'.")
    id: Id = Field(description="Framework id, e.g. usaid-ecbs.")
    title: str = Field(description="Human title.")
    translations: dict[Locale, FrameworkTranslation] = Field(
        default_factory=dict,
        description="Locale (fr, es, ar, or a region such as fr_CA) -> translated title.",
    )
    publisher: str = Field(default="", description="Who publishes the source.")
    version: str = Field(default="", description="Version of the source encoded here.")
    source: Source | None = Field(default=None, description="Citation and URL.")
    provenance: Provenance = Field(
        default="official",
        description="official; derived: our encoding of the source's intent where the "
        "official text was not available; supplementary: beyond the source's scope.",
    )
    subject: Subject = Field(
        default="emb", description="Default subject of the controls (emb, platform, partner)."
    )
    maturity_scale: MaturityScale = Field(description="Levels 0–4 and their effectiveness.")
    tiers: tuple[Tier, ...] = Field(
        default=DEFAULT_TIERS, description="Readiness tiers by minimum score, ascending."
    )
    domains: tuple[Domain, ...] = Field(min_length=1, description="Groups of controls.")
    controls: tuple[Control, ...] = Field(min_length=1, description="The scored controls.")

    @model_validator(mode="after")
    def _tiers_ascending(self) -> Framework:
        mins = [t.min for t in self.tiers]
        if not mins or mins[0] != 0 or any(b <= a for a, b in itertools.pairwise(mins)):
            raise ValueError(f"tiers must start at 0 and strictly ascend, got {mins}")
        return self

    def subject_of(self, control: Control) -> Subject:
        """The control's subject, defaulting to the framework's."""
        return control.subject or self.subject

    def provenance_of(self, control: Control) -> Provenance:
        """The control's provenance, defaulting to the framework's."""
        return control.provenance or self.provenance

    def tier_for(self, score: float) -> str:
        """The tier name a score (0–100) falls in."""
        name = self.tiers[0].name
        for tier in self.tiers:
            if score + 1e-9 >= tier.min:
                name = tier.name
        return name

    def effectiveness(self, level: int) -> float:
        """Control strength of a maturity level on the framework's scale."""
        return self.maturity_scale.effectiveness[level]

    def curve_of(self, control: Control) -> tuple[Number, Number, Number, Number, Number]:
        """The control's effectiveness curve: its own, else the scale's."""
        return control.effectiveness or self.maturity_scale.effectiveness


def translation_of(control: Control, locale: str) -> Translation | None:
    """The control's ``translations:`` entry for ``locale`` (``fr_CA``), else for its language
    (``fr``), else None: the one fallback rule of control texts, as
    :func:`~cyberready.models.vocab.localized` is of the framework's other texts.

    >>> c = Control.model_construct(translations={"fr": Translation(title="Plan de crise")})
    >>> translation_of(c, "fr_CA").title, translation_of(c, "es")
    ('Plan de crise', None)
    """
    tr = control.translations
    return tr.get(locale) or tr.get(language_of(locale))


class CatalogItem(StrictModel):
    """One referenceable item of a catalog."""

    id: str = Field(min_length=1, description="Item id, e.g. PR.AA-01.")
    title: str = Field(description="Short title.")


class Catalog(StrictModel):
    """A reference catalog (``kind: catalog``): not scored, only referenced."""

    schema_version: SchemaVersion = Field(
        description="File format version; this cyberready reads 1."
    )
    kind: Literal["catalog"] = Field(description="Always 'catalog'.")
    id: Id = Field(description="Catalog id, e.g. nist-csf-2.0.")
    title: str = Field(description="Human title.")
    version: str = Field(default="", description="Version.")
    source: Source | None = Field(default=None, description="Citation and URL.")
    items: tuple[CatalogItem, ...] = Field(min_length=1, description="The items.")


class Technique(StrictModel):
    """An attack or failure technique that scenarios use and controls mitigate."""

    id: Id = Field(description="Technique id, e.g. phishing.")
    title: str = Field(description="Human title.")
    description: str = Field(default="", description="What it is, with an election example.")
    attack: tuple[AttackId, ...] = Field(
        default=(),
        description="MITRE ATT&CK Enterprise technique ids, where one exists (of the version "
        "in the file's attack_version).",
    )


class TechniqueCatalog(StrictModel):
    """The technique vocabulary (``kind: techniques``)."""

    schema_version: SchemaVersion = Field(
        description="File format version; this cyberready reads 1."
    )
    kind: Literal["techniques"] = Field(description="Always 'techniques'.")
    attack_version: str | None = Field(
        default=None,
        pattern=r"^[0-9]+(\.[0-9]+)*$",
        description="The MITRE ATT&CK Enterprise release the attack ids were checked against, "
        "e.g. '19' (ATT&CK revokes and renumbers techniques between releases).",
    )
    techniques: tuple[Technique, ...] = Field(min_length=1, description="The techniques.")
