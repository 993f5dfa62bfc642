"""The shared vocabulary of every cyberready file (docs/system-model.md).

Ids, phases, actors, evidence sources, asset types, link kinds, selectors and time
distributions are defined once here and reused by every other model.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Final, Literal, Protocol, get_args

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    Strict,
    StringConstraints,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError

__all__ = [
    "ACTORS",
    "ACTOR_LEVELS",
    "ASSET_TYPES",
    "ATTACK_LINK_KINDS",
    "DATA_CLASSES",
    "DATA_LINK_KINDS",
    "DEPENDENCY_LINK_KINDS",
    "EVIDENCE_SOURCES",
    "EXPOSURES",
    "ID_PATTERN",
    "LINK_KINDS",
    "LOCALE_PATTERN",
    "MAX_HOURS",
    "MAX_USD",
    "OPERATORS",
    "PHASES",
    "SITES",
    "Actor",
    "ActorLevel",
    "AssetType",
    "AttackId",
    "ControlId",
    "DataClass",
    "EvidenceSource",
    "Exposure",
    "Flag",
    "Hours",
    "Id",
    "LinkKind",
    "Locale",
    "Number",
    "Operator",
    "Phase",
    "SchemaVersion",
    "Selector",
    "Site",
    "StrictModel",
    "TimeDistribution",
    "Translated",
    "Usd",
    "WholeNumber",
    "language_of",
    "localized",
]

# Numbers in files are strict: YAML's `true`, `1.0` where a whole number belongs, quoted text,
# `.inf` and `.nan` are refused (pydantic would otherwise take `true` as 1, `3.0` as 3 and
# `.inf` as a budget), so every number a model holds is a finite float or a real int.

Number = Annotated[float, Strict(), Field(allow_inf_nan=False)]
"""A finite number: an int or a float, never text, true/false, ``.inf`` or ``.nan``."""
WholeNumber = Annotated[int, Strict()]
"""A whole number: never ``3.0``, ``true`` or ``"3"``."""
Flag = Annotated[bool, Strict()]
"""``true`` or ``false``: never ``1``, ``0`` or ``"yes"`` in quotes."""

MAX_USD: Final = 1e12
"""Largest amount of money a file may give (a trillion dollars: anything above is a typo)."""
MAX_HOURS: Final = 1e6
"""Longest duration a file may give, in hours (over a century)."""
Usd = Annotated[Number, Field(ge=0, le=MAX_USD)]
"""An amount in US dollars, 0 to :data:`MAX_USD`."""
Hours = Annotated[Number, Field(gt=0, le=MAX_HOURS)]
"""A duration in hours, above 0 and at most :data:`MAX_HOURS`."""


def _exact_version(value: Any) -> Any:
    """``schema_version`` is the integer 1: ``1.0`` and ``true`` (which equal 1) are not."""
    if isinstance(value, bool | float):
        raise PydanticCustomError("literal_error", "Input should be {expected}", {"expected": "1"})
    return value


SchemaVersion = Annotated[Literal[1], BeforeValidator(_exact_version)]
"""The file format version: the integer 1."""

ID_PATTERN: Final = r"^[a-z0-9][a-z0-9_.-]*$"
CONTROL_ID_PATTERN: Final = r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$"

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=200)]
"""Ids of assets, functions, scenarios, frameworks, catalogs, EMBs and techniques."""

LOCALE_PATTERN: Final = r"^([A-Za-z]{2,3})(?:[_-]([A-Za-z]{2}|[0-9]{3}))?$"
Locale = Annotated[str, StringConstraints(pattern=LOCALE_PATTERN)]
"""A report language: a language code such as ``en``, or ``en_GB`` (never a path)."""


def language_of(locale: str) -> str:
    """The language of a locale, lower case: what ``fr_CA``, ``fr-CA`` and ``fr`` share.

    >>> language_of("fr_CA"), language_of("es-419"), language_of("AR")
    ('fr', 'es', 'ar')
    """
    return locale.replace("-", "_").split("_")[0].lower()


class Translated(Protocol):
    """Anything with a ``translations:`` block: locale -> an entry of translated fields."""

    @property
    def translations(self) -> Mapping[str, Any]: ...


def localized(item: Translated, field: str, locale: str) -> str:
    """``item``'s ``field`` (a framework's, domain's, scale level's, tier's, scenario's or
    incident's text) in ``locale``: its translation into ``fr_CA``, else into ``fr``, else the
    English. The one fallback rule of every translated text in a file.

    >>> from types import SimpleNamespace as NS
    >>> tier = NS(name="Developing", translations={"fr": NS(name="En développement")})
    >>> localized(tier, "name", "fr_CA"), localized(tier, "name", "es")
    ('En développement', 'Developing')
    """
    for candidate in (locale, language_of(locale)):
        tr = item.translations.get(candidate)
        value = getattr(tr, field, None) if tr is not None else None
        if value:
            return str(value)
    return str(getattr(item, field))


AttackId = Annotated[str, StringConstraints(pattern=r"^T[0-9]{4}(\.[0-9]{3})?$")]
"""A MITRE ATT&CK Enterprise technique or sub-technique id, e.g. ``T1566`` or ``T1684.001``."""

ControlId = Annotated[str, StringConstraints(pattern=CONTROL_ID_PATTERN, max_length=64)]
"""Control ids are upper case, e.g. ``ECBS-VR-03``, ``TCG-04``, ``TCG-EMB-02``."""

Phase = Literal[
    "legal_planning",
    "voter_registration",
    "candidate_registration",
    "campaign",
    "voting",
    "counting",
    "tabulation_transmission",
    "results_publication",
    "post_election",
]
PHASES: Final[tuple[str, ...]] = get_args(Phase)

Actor = Literal["foreign_state", "government", "criminal", "hacktivist", "insider", "accidental"]
"""The briefing series' five threat actors, plus ``accidental`` for non-malicious failures."""
ACTORS: Final[tuple[str, ...]] = get_args(Actor)

ActorLevel = Literal["none", "low", "medium", "high"]
"""How active a threat actor is against this EMB (a threat context's actor levels)."""
ACTOR_LEVELS: Final[tuple[str, ...]] = get_args(ActorLevel)

EvidenceSource = Literal["document", "test", "observation", "interview", "none"]
EVIDENCE_SOURCES: Final[tuple[str, ...]] = get_args(EvidenceSource)

AssetType = Literal[
    "voter_registration_db",
    "civil_registry_feed",
    "biometric_kit",
    "registration_portal",
    "pollbook",
    "election_management_system",
    "vote_capture_device",
    "results_form",
    "results_transmission",
    "tally_server",
    "results_website",
    "emb_website",
    "email",
    "staff_workstation",
    "admin_account",
    "network",
    "data_center",
    "cloud_hosting",
    "power",
    "vendor",
    "shared_government_it",
    "social_platform",
    "removable_media",
    "paper_records",
    "ballot_printing",
    "candidate_registration_system",
    "official_device",
    "dns",
]
ASSET_TYPES: Final[tuple[str, ...]] = get_args(AssetType)

Exposure = Literal["internet", "internal", "isolated", "physical"]
EXPOSURES: Final[tuple[str, ...]] = get_args(Exposure)

DataClass = Literal["pii", "biometric", "results", "credentials"]
DATA_CLASSES: Final[tuple[str, ...]] = get_args(DataClass)

Site = Literal[
    "headquarters",
    "regional_office",
    "local_office",
    "polling_station",
    "tally_centre",
    "data_centre",
    "cloud",
    "vendor_premises",
    "third_party_premises",
    "field",
]
"""Where an asset is."""
SITES: Final[tuple[str, ...]] = get_args(Site)

Operator = Literal[
    "emb", "government", "vendor", "party", "observer", "oversight_body", "platform", "public"
]
"""Who runs an asset, or holds the copy."""
OPERATORS: Final[tuple[str, ...]] = get_args(Operator)

LinkKind = Literal[
    "hosted_on",
    "depends_on",
    "powered_by",
    "connects_to",
    "administers",
    "authenticates",
    "supplies",
    "copies_data_to",
]
LINK_KINDS: Final[tuple[str, ...]] = get_args(LinkKind)
DEPENDENCY_LINK_KINDS: Final = frozenset({"hosted_on", "depends_on", "powered_by"})
"""``from`` needs ``to``: an outage of ``to`` takes ``from`` down."""
ATTACK_LINK_KINDS: Final = frozenset({"connects_to", "administers", "authenticates", "supplies"})
"""Compromise of ``from`` lets an attacker try ``to``."""
DATA_LINK_KINDS: Final = frozenset({"copies_data_to"})
"""``from``'s data also lives at ``to``: a leak at ``to`` exposes ``from``'s data."""


class StrictModel(BaseModel):
    """Frozen, strict base of every file model: unknown keys are errors."""

    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=True)


_SELECTOR_SHORTHAND: Final = {
    "type": "types",
    "tag": "tags",
    "id": "ids",
    "site": "sites",
    "operator": "operators",
}
SELECTOR_KEYS: Final = ("ids", "types", "tags", "exposure", "data", "sites", "operators")
"""Every key of a selector, in the order :meth:`Selector.describe` lists them."""


class Selector(StrictModel):
    """Which assets a rule, effect, group or override applies to.

    Every key given must match (AND); any value within a key may match (OR). In files a
    selector may also be written as a list of asset ids, or as one shorthand string
    ``type:X``, ``tag:X``, ``site:X``, ``operator:X`` or ``id:X``. An empty selector matches
    every asset. An asset without a ``site`` (``operator``) matches no selector that names
    ``sites`` (``operators``).
    """

    ids: tuple[Id, ...] | None = Field(default=None, description="Asset ids (any of).")
    types: tuple[AssetType, ...] | None = Field(default=None, description="Asset types (any of).")
    tags: tuple[str, ...] | None = Field(default=None, description="Asset tags (any of).")
    exposure: tuple[Exposure, ...] | None = Field(
        default=None, description="Asset exposures (any of)."
    )
    data: tuple[DataClass, ...] | None = Field(
        default=None, description="Data classes held by the asset (any of)."
    )
    sites: tuple[Site, ...] | None = Field(
        default=None, description="Asset sites (any of); assets without a site never match."
    )
    operators: tuple[Operator, ...] | None = Field(
        default=None,
        description="Asset operators (any of); assets without an operator never match.",
    )

    @model_validator(mode="before")
    @classmethod
    def _coerce(cls, value: Any) -> Any:
        if isinstance(value, str):
            key, sep, rest = value.partition(":")
            if not sep or key not in _SELECTOR_SHORTHAND or not rest:
                raise ValueError(
                    f"selector string {value!r} must be 'type:X', 'tag:X', 'site:X', "
                    "'operator:X' or 'id:X'"
                )
            return {_SELECTOR_SHORTHAND[key]: [rest]}
        if isinstance(value, list | tuple):
            return {"ids": list(value)}
        if isinstance(value, Mapping):
            # single values are accepted where lists are expected: {types: tally_server}
            return {
                k: [v] if isinstance(v, str) and k in cls.model_fields else v
                for k, v in value.items()
            }
        return value

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        mapping = handler(core_schema)
        # as in files: a single value where a list is expected ({types: tally_server})
        for prop in handler.resolve_ref_schema(mapping).get("properties", {}).values():
            branches = prop.get("anyOf", [])
            singles = [b["items"] for b in branches if b.get("type") == "array" and "items" in b]
            prop["anyOf"] = singles + branches
        return {
            "anyOf": [
                mapping,
                {
                    "type": "array",
                    "items": {"type": "string", "pattern": ID_PATTERN},
                    "description": "A list of asset ids.",
                },
                {
                    "type": "string",
                    "pattern": "^(type|tag|site|operator|id):.+$",
                    "description": "Shorthand: type:X, tag:X, site:X, operator:X or id:X.",
                },
            ],
            "description": cls.__doc__.split("\n\n")[0] if cls.__doc__ else "",
        }

    def specificity(self) -> int:
        """Rank for override precedence: ids beat tags, tags beat sites and operators, those
        beat types, types beat exposure and data."""
        if self.ids:
            return 5
        if self.tags:
            return 4
        if self.sites or self.operators:
            return 3
        if self.types:
            return 2
        if self.exposure or self.data:
            return 1
        return 0

    def describe(self) -> str:
        """A short human description, e.g. ``types=tally_server & sites=headquarters``."""
        parts = [
            f"{name}={','.join(values)}"
            for name in SELECTOR_KEYS
            if (values := getattr(self, name))
        ]
        return " & ".join(parts) or "all assets"


_HoursBound = Annotated[Number, Field(le=MAX_HOURS)]
"""A bound of a uniform duration (checked as ``0 <= lo < hi`` by the model)."""


class _Mean(StrictModel):
    mean: Hours = Field(description="Mean, in hours.")


class _Lognormal(StrictModel):
    median: Hours = Field(description="Median, in hours.")
    p90: Hours = Field(description="90th percentile, in hours; above the median.")

    @model_validator(mode="after")
    def _p90_above_median(self) -> _Lognormal:
        if self.p90 <= self.median:
            raise ValueError(f"p90 ({self.p90:g}) must be greater than median ({self.median:g})")
        return self


class TimeDistribution(StrictModel):
    """A duration in hours (> 0): exactly one of ``fixed``, ``exponential``, ``lognormal``,
    ``uniform``."""

    model_config = ConfigDict(json_schema_extra={"minProperties": 1, "maxProperties": 1})

    fixed: Hours | None = Field(default=None, description="Always this many hours.")
    exponential: _Mean | None = Field(default=None, description="Exponential with this mean.")
    lognormal: _Lognormal | None = Field(
        default=None, description="Lognormal given by its median and 90th percentile."
    )
    uniform: tuple[_HoursBound, _HoursBound] | None = Field(
        default=None, description="Uniform between [lo, hi] hours, 0 <= lo < hi."
    )

    @model_validator(mode="after")
    def _exactly_one(self) -> TimeDistribution:
        given = [n for n in ("fixed", "exponential", "lognormal", "uniform") if getattr(self, n)]
        if len(given) != 1:
            raise ValueError(
                "a time distribution needs exactly one of fixed, exponential, lognormal, uniform"
                + (f" (got {', '.join(given)})" if given else "")
            )
        if self.uniform is not None:
            lo, hi = self.uniform
            if not 0 <= lo < hi:
                raise ValueError(f"uniform needs 0 <= lo < hi, got [{lo:g}, {hi:g}]")
        return self

    @property
    def kind(self) -> str:
        """``fixed``, ``exponential``, ``lognormal`` or ``uniform``."""
        for name in ("fixed", "exponential", "lognormal", "uniform"):
            if getattr(self, name) is not None:
                return name
        raise AssertionError("unreachable: validated to have exactly one")

    def describe(self) -> str:
        """A short human description such as ``lognormal(median 24 h, p90 120 h)``."""
        if self.fixed is not None:
            return f"{self.fixed:g} h"
        if self.exponential is not None:
            return f"exponential(mean {self.exponential.mean:g} h)"
        if self.lognormal is not None:
            return f"lognormal(median {self.lognormal.median:g} h, p90 {self.lognormal.p90:g} h)"
        assert self.uniform is not None
        return f"uniform({self.uniform[0]:g}–{self.uniform[1]:g} h)"


def duplicated(values: Sequence[str]) -> list[str]:
    """Values that occur more than once, in first-seen order."""
    seen: set[str] = set()
    dup: list[str] = []
    for v in values:
        if v in seen and v not in dup:
            dup.append(v)
        seen.add(v)
    return dup
