"""What the OSCAL writers and the reader share: the namespace, uuids, props, dates."""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from typing import Any, Final

__all__ = [
    "NAMESPACE",
    "OSCAL_VERSION",
    "TOKEN",
    "dumps",
    "prop",
    "stable_uuid",
    "timestamp",
]

OSCAL_VERSION: Final = "1.1.2"
"""The OSCAL version the files declare (``metadata.oscal-version``)."""

NAMESPACE: Final = "https://cyberready.invalid/ns/oscal"
"""The ``ns`` of every prop and part name cyberready defines (OSCAL's own names have none)."""

_UUID_NAMESPACE: Final = uuid.uuid5(uuid.NAMESPACE_URL, NAMESPACE)

TOKEN: Final = re.compile(r"^[^\W\d][\w.\-]*$")
"""OSCAL's token type: a letter or ``_``, then letters, digits, ``.``, ``-``, ``_``."""

_LINE: Final = re.compile(r"^\S(.*\S)?$")


def stable_uuid(*parts: str) -> str:
    """A uuid5 of ``parts``: the same ids give the same uuid in every export."""
    return str(uuid.uuid5(_UUID_NAMESPACE, "\x1f".join(parts)))


def prop(name: str, value: object, *, ns: bool = True, cls: str | None = None) -> dict[str, Any]:
    """An OSCAL property (one line of text; cyberready's names under :data:`NAMESPACE`),
    with an optional ``class``."""
    text = " ".join(str(value).split())
    if not _LINE.match(text):
        raise ValueError(f"empty value for OSCAL prop {name!r}")
    out: dict[str, Any] = {"name": name}
    if ns:
        out["ns"] = NAMESPACE
    out["value"] = text
    if cls is not None:
        out["class"] = cls
    return out


def timestamp(day: dt.date) -> str:
    """Midnight UTC of ``day`` in OSCAL's date-time-with-timezone form."""
    return f"{day.isoformat()}T00:00:00Z"


def dumps(document: dict[str, Any]) -> str:
    """The JSON text of a document: indented, keys in the order built, a final newline."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
