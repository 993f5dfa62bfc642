"""A new EMB workspace from a starter template: ``cyberready init`` (docs/system-model.md).

Three archetypes (:data:`ARCHETYPES`) ship as package data in ``starters/`` beside this
module: ``emb.yaml`` and ``assessment.yaml`` shared by all, and one ``system-<archetype>.yaml``
each, written as YAML text with comments that say what to fill in next. :func:`starter_files`
fills in the EMB's own values and returns every file's text; it writes nothing
(:func:`cyberready.io.write_new_tree` does).

User values reach the YAML only as double-quoted scalars written by PyYAML's safe dumper
(:func:`_quoted`), never into comments, so a name with a colon, a quote or a newline stays one
string and cannot add keys. Dates and the phase windows are computed here, so they are always
well formed.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Final

import yaml

from cyberready.models.vocab import ID_PATTERN

__all__ = ["ARCHETYPES", "DEFAULT_FRAMEWORKS", "Starter", "emb_id_from_name", "starter_files"]

ARCHETYPES: Final[Mapping[str, str]] = {
    "paper-ert": "paper ballots counted at the polling station, results transmitted electronically",
    "evm": "electronic voting machines with a voter-verified paper trail",
    "biometric-register": "central biometric voter register, biometric verification kits at "
    "polling stations",
}
"""The starter systems ``cyberready init --archetype`` offers, with what each one is."""

DEFAULT_FRAMEWORKS: Final = ("usaid-ecbs", "ifes-tech-guidelines")
"""The frameworks a new workspace is assessed against unless told otherwise (the shipped ones)."""

_PHASES: Final = (
    ("legal_planning", -285, -104),
    ("voter_registration", -103, -42),
    ("candidate_registration", -62, -44),
    ("campaign", -30, -2),
    ("voting", 0, 0),
    ("counting", 0, 1),
    ("tabulation_transmission", 0, 3),
    ("results_publication", 0, 7),
    ("post_election", 8, 108),
)
"""A typical calendar, in days from polling day: every phase's first and last day."""

_PARAMETER: Final = re.compile(r"\$\{(\w+)\}")


@dataclass(frozen=True)
class Starter:
    """What a new workspace says about its EMB (every value already checked by the caller:
    ``emb_id`` an id, ``frameworks`` known framework ids)."""

    name: str
    emb_id: str
    country: str
    election_date: dt.date
    as_of: dt.date
    archetype: str = "paper-ert"
    frameworks: tuple[str, ...] = field(default=DEFAULT_FRAMEWORKS)


def emb_id_from_name(name: str) -> str:
    """An EMB id made from its name: ASCII letters and digits, lower case, joined by ``-``.

    >>> emb_id_from_name("Commission Électorale Nationale: 2027!")
    'commission-electorale-nationale-2027'
    >>> emb_id_from_name("Комиссия")
    'my-emb'
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60].rstrip("-")
    return slug if re.fullmatch(ID_PATTERN, slug) else "my-emb"


def _quoted(value: str) -> str:
    """``value`` as one double-quoted YAML scalar on one line (escapes for every newline,
    quote and character YAML cannot carry as it is)."""
    text = yaml.safe_dump(value, default_style='"', allow_unicode=True, width=float("inf"))
    return text.removesuffix("\n...\n").removesuffix("\n")


def _template(name: str) -> str:
    return (
        resources.files(__package__ or "cyberready.workspace")
        .joinpath("starters", name)
        .read_text(encoding="utf-8")
    )


def _fill(template: str, values: Mapping[str, str], name: str) -> str:
    def value(m: re.Match[str]) -> str:
        if m[1] not in values:  # a broken template is a bug of the package, not the user's
            raise KeyError(f"starters/{name}: unknown parameter ${{{m[1]}}}")
        return values[m[1]]

    return _PARAMETER.sub(value, template)


def _flow_list(items: Sequence[str]) -> str:
    return "[" + ", ".join(_quoted(i) for i in items) + "]"


def starter_files(starter: Starter) -> dict[str, str]:
    """Every file of a new workspace for ``starter``: relative path -> text.

    The workspace is valid as written (``cyberready validate``): an EMB profile with a
    typical calendar around polling day, the archetype's starter system, and an assessment
    with no answers yet (every control unassessed: it scores as level 0 and is reported as
    unassessed until the questionnaire is filled in).

    >>> files = starter_files(Starter(name='The "New": EMB', emb_id="new-emb", country="XX",
    ...     election_date=dt.date(2027, 5, 2), as_of=dt.date(2026, 12, 4)))
    >>> sorted(files)
    ['assessment.yaml', 'emb.yaml', 'system.yaml']
    >>> yaml.safe_load(files["emb.yaml"])["name"]
    'The "New": EMB'
    """
    if starter.archetype not in ARCHETYPES:
        raise ValueError(f"unknown archetype {starter.archetype!r}; choose one of {ARCHETYPES}")
    day = starter.election_date
    values = {
        "name": _quoted(starter.name),
        "emb_id": _quoted(starter.emb_id),
        "country": _quoted(starter.country),
        "election_name": _quoted(f"{day.year} General Election"),
        "election_date": day.isoformat(),
        "as_of": starter.as_of.isoformat(),
        "frameworks": _flow_list(starter.frameworks),
        "archetype": starter.archetype,
        "archetype_title": ARCHETYPES[starter.archetype],
    }
    for phase, start, end in _PHASES:
        first, last = day + dt.timedelta(days=start), day + dt.timedelta(days=end)
        values[phase] = f"{{start: {first.isoformat()}, end: {last.isoformat()}}}"
    return {
        "emb.yaml": _fill(_template("emb.yaml"), values, "emb.yaml"),
        "system.yaml": _fill(
            _template(f"system-{starter.archetype}.yaml"), values, starter.archetype
        ),
        "assessment.yaml": _fill(_template("assessment.yaml"), values, "assessment.yaml"),
    }
