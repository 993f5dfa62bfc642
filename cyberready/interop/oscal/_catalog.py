"""A cyberready framework as an OSCAL catalog (docs/oscal.md, "Catalog")."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from cyberready._version import __version__
from cyberready.interop.oscal._common import (
    NAMESPACE,
    OSCAL_VERSION,
    TOKEN,
    prop,
    stable_uuid,
    timestamp,
)
from cyberready.models import Catalog, Control, Domain, Framework, Selector

__all__ = ["SELECTOR_PROPS", "catalog_document", "group_id", "last_modified"]

SELECTOR_PROPS = ("ids", "types", "tags", "exposure", "data", "sites", "operators")
"""The selector keys of ``applies_to``, each written as props ``applies-to-<key>``."""


def last_modified(framework: Framework) -> str:
    """The catalog's ``last-modified``: 1 January of the latest year in the framework's version
    (``2022-2023`` gives 2023-01-01), else 1 January 2000. Never the clock, so that exporting
    the same framework twice gives the same bytes."""
    years = [int(y) for y in re.findall(r"(?<!\d)(19\d\d|20\d\d|21\d\d)(?!\d)", framework.version)]
    return timestamp(dt.date(max(years), 1, 1) if years else dt.date(2000, 1, 1))


def group_id(domain_id: str) -> str:
    """The OSCAL group id of a domain: the domain id when it is an OSCAL token, else prefixed
    with ``_`` (the original id is also kept in a ``cyberready-id`` prop)."""
    return domain_id if TOKEN.match(domain_id) else f"_{domain_id}"


def catalog_document(
    framework: Framework, catalogs: Mapping[str, Catalog] | None = None
) -> dict[str, Any]:
    """The OSCAL catalog document (``{"catalog": ...}``) of ``framework``.

    ``catalogs`` (catalog id -> catalog) gives the titles of the catalogs that the controls'
    ``references`` cite; each becomes a back-matter resource the control's links point to,
    with the item id as the link's ``resource-fragment``.
    """
    catalogs = catalogs or {}
    fw = framework
    cited = sorted({cat for c in fw.controls for cat in c.references})
    resources = [_source_resource(fw)] if fw.source is not None else []
    resources += [_catalog_resource(cat, catalogs.get(cat)) for cat in cited]
    doc: dict[str, Any] = {
        "uuid": stable_uuid("catalog", fw.id, fw.version),
        "metadata": _metadata(fw),
        "groups": [_group(fw, d) for d in fw.domains],
    }
    if resources:
        doc["back-matter"] = {"resources": resources}
    return {"catalog": doc}


def _metadata(fw: Framework) -> dict[str, Any]:
    props = [
        prop("generator", f"cyberready {__version__}"),
        prop("framework-id", fw.id),
        prop("provenance", fw.provenance),
        prop("subject", fw.subject),
    ]
    if fw.publisher.strip():
        props.append(prop("publisher", fw.publisher))
    for level in fw.maturity_scale.levels:
        entry = prop("maturity-level", f"{level.level} {level.name}")
        if level.description.strip():
            entry["remarks"] = level.description
        props.append(entry)
    props.append(prop("effectiveness", _numbers(fw.maturity_scale.effectiveness)))
    props += [prop("tier", f"{tier.min:g} {tier.name}") for tier in fw.tiers]
    return {
        "title": fw.title,
        "last-modified": last_modified(fw),
        "version": fw.version or "unversioned",
        "oscal-version": OSCAL_VERSION,
        "props": props,
    }


def _numbers(values: tuple[float, ...]) -> str:
    return " ".join(f"{v:g}" for v in values)


def _source_resource(fw: Framework) -> dict[str, Any]:
    assert fw.source is not None
    resource: dict[str, Any] = {
        "uuid": stable_uuid("source", fw.id),
        "title": "Source",
        "props": [prop("role", "framework-source")],
        "citation": {"text": fw.source.citation},
    }
    if fw.source.url:
        resource["rlinks"] = [{"href": fw.source.url}]
    return resource


def _catalog_resource(catalog_id: str, catalog: Catalog | None) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "uuid": stable_uuid("referenced-catalog", catalog_id),
        "title": catalog.title if catalog is not None else catalog_id,
        "props": [prop("catalog-id", catalog_id)],
    }
    if catalog is not None and catalog.source is not None and catalog.source.url:
        resource["rlinks"] = [{"href": catalog.source.url}]
    return resource


def _group(fw: Framework, domain: Domain) -> dict[str, Any]:
    group: dict[str, Any] = {"id": group_id(domain.id), "class": "domain", "title": domain.title}
    if group["id"] != domain.id:
        group["props"] = [prop("cyberready-id", domain.id)]
    if domain.description.strip():
        group["parts"] = [
            {"id": f"{group['id']}_ovw", "name": "overview", "prose": domain.description}
        ]
    group["controls"] = [_control(fw, c) for c in fw.controls if c.domain == domain.id]
    if not group["controls"]:
        del group["controls"]
    return group


def _control(fw: Framework, c: Control) -> dict[str, Any]:
    props = [prop("label", c.id, ns=False), prop("weight", c.weight)]
    if c.subject is not None:
        props.append(prop("subject", c.subject))
    if c.provenance is not None:
        props.append(prop("provenance", c.provenance))
    props += [prop("phase", p) for p in c.phases]
    if isinstance(c.applies_to, Selector):
        sel = c.applies_to
        for key in SELECTOR_PROPS:
            props += [prop(f"applies-to-{key}", v) for v in getattr(sel, key) or ()]
    else:
        props += [prop("applies-to", t) for t in c.applies_to]
    props += [prop("tag", t) for t in c.tags]
    if c.effectiveness is not None:
        props.append(prop("effectiveness", _numbers(c.effectiveness)))
    parts: list[dict[str, Any]] = [{"id": f"{c.id}_smt", "name": "statement", "prose": c.objective}]
    if c.guidance.strip():
        parts.append({"id": f"{c.id}_gdn", "name": "guidance", "prose": c.guidance})
    if c.rubric is not None:
        parts.append(_rubric(fw, c, c.rubric))
    control: dict[str, Any] = {
        "id": c.id,
        "class": "cyberready",
        "title": c.title,
        "props": props,
    }
    links = [
        {
            "href": f"#{stable_uuid('referenced-catalog', cat)}",
            "rel": "reference",
            "resource-fragment": item,
            "text": item,
        }
        for cat in sorted(c.references)
        for item in c.references[cat]
    ]
    if links:
        control["links"] = links
    control["parts"] = parts
    return control


def _rubric(fw: Framework, c: Control, rubric: Mapping[int, str]) -> dict[str, Any]:
    names = {lv.level: lv.name for lv in fw.maturity_scale.levels}
    return {
        "id": f"{c.id}_rubric",
        "name": "maturity-rubric",
        "ns": NAMESPACE,
        "title": "Maturity rubric",
        "parts": [
            {
                "id": f"{c.id}_rubric.{level}",
                "name": "maturity-level",
                "ns": NAMESPACE,
                "title": f"Level {level}: {names[level]}",
                "props": [prop("level", level)],
                "prose": rubric[level],
            }
            for level in sorted(rubric)
        ],
    }
