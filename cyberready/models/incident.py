"""The registry of real incidents that scenarios cite (``kind: incidents``).

A scenario's ``references.incidents`` names incidents by id; the registry says what each one
was, when and where, and which public source backs which fact, so that reports can cite an
incident by its title and year rather than by a slug.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Final, Literal

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints, WithJsonSchema

from cyberready.models.vocab import Id, Locale, SchemaVersion, StrictModel

__all__ = [
    "INCIDENT_DATE_PATTERN",
    "Incident",
    "IncidentDate",
    "IncidentRegistry",
    "IncidentSource",
    "IncidentTranslation",
]

INCIDENT_DATE_PATTERN: Final = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"
"""``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``: only as precise as the sources allow."""


def _date_as_text(value: Any) -> Any:
    """YAML reads ``2017-08-08`` as a date and ``2019`` as a number: take both as text."""
    if isinstance(value, dt.datetime):
        return value  # a time of day is not a date: let the pattern refuse it
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:04d}" if value >= 0 else str(value)
    return value


def _real_date(value: str) -> str:
    parts = [int(p) for p in value.split("-")]
    year, month, day = [*parts, 1, 1][:3]
    try:
        dt.date(year, month, day)
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a calendar date ({exc})") from None
    return value


IncidentDate = Annotated[
    str,
    BeforeValidator(_date_as_text),
    StringConstraints(pattern=INCIDENT_DATE_PATTERN),
    AfterValidator(_real_date),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": INCIDENT_DATE_PATTERN},
                {"type": "integer", "minimum": 1000, "maximum": 9999},
            ]
        }
    ),
]
"""When an incident began, as precise as known: ``2014-05-22``, ``2014-05`` or ``2014``.

Text in ISO 8601 order, so sorting the strings sorts the incidents by time (a less precise date
sorts before the more precise ones it contains: ``2014`` < ``2014-05`` < ``2014-05-22``)."""


class IncidentSource(StrictModel):
    """A public source and the fact of the summary it backs."""

    url: str = Field(pattern=r"^https?://\S+$", description="Where the source can be read.")
    supports: str = Field(
        min_length=1, description="Which fact(s) of the summary this source backs."
    )


class IncidentTranslation(StrictModel):
    """An incident's title in one language (reports cite incidents by title and year)."""

    title: str | None = Field(default=None, min_length=1, description="Translated title.")


class Incident(StrictModel):
    """One real incident (or, with ``type: dataset``, a published count of incidents)."""

    id: Id = Field(description="Incident id, cited by scenarios' references.incidents.")
    title: str = Field(min_length=1, description="Short title; reports cite it with the year.")
    type: Literal["incident", "dataset"] = Field(
        default="incident",
        description="incident (one event) or dataset (a tracker's count over many events).",
    )
    date: IncidentDate = Field(
        description="When it began (or the period a dataset covers): YYYY-MM-DD, YYYY-MM or "
        "YYYY, only as precise as the sources allow."
    )
    country: str = Field(min_length=1, description="Country, or 'Worldwide'.")
    summary: str = Field(min_length=1, description="What happened, in two to four sentences.")
    sources: tuple[IncidentSource, ...] = Field(
        min_length=1, description="Public sources, each with the fact it backs."
    )
    translations: dict[Locale, IncidentTranslation] = Field(
        default_factory=dict,
        description="Locale (fr, es, ar, or a region such as fr_CA) -> translated title, cited "
        "in reports in that language (fr_CA falls back to fr, then English).",
    )

    @property
    def year(self) -> int:
        """The year it began."""
        return int(self.date[:4])


class IncidentRegistry(StrictModel):
    """A registry of real incidents (``kind: incidents``)."""

    schema_version: SchemaVersion = Field(
        description="File format version; this cyberready reads 1."
    )
    kind: Literal["incidents"] = Field(description="Always 'incidents'.")
    items: tuple[Incident, ...] = Field(min_length=1, description="The incidents.")
