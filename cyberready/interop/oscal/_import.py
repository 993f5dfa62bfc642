"""An OSCAL catalog as a cyberready framework (docs/oscal.md, "Import").

Groups become domains (nested groups each a domain of their own), controls become controls
(nested controls, such as SP 800-53 enhancements, are flattened next to their parent and
tagged ``parent:<ID>``; withdrawn controls are left out and listed in the notes). The
``statement`` part becomes the objective (its items labelled and its parameters written as
``[Assignment: ...]``), the ``guidance`` part the guidance; cyberready's own props and parts
(a catalog that ``cyberready export oscal catalog`` wrote) give back the rubric, weight,
phases, scope, provenance and references. What OSCAL cannot say is tagged ``todo:`` on each
control (:data:`cyberready.workspace.TODO_TAGS`) for ``cyberready validate`` to report.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from pydantic import ValidationError

from cyberready._version import __version__
from cyberready.errors import FrameworkError, Problem
from cyberready.interop.oscal._catalog import SELECTOR_PROPS
from cyberready.interop.oscal._common import NAMESPACE
from cyberready.io import read_text
from cyberready.models import Framework
from cyberready.models.vocab import CONTROL_ID_PATTERN

__all__ = ["DEFAULT_SCALE", "ImportedCatalog", "read_catalog"]

DEFAULT_SCALE: Final[dict[str, Any]] = {
    "levels": [
        {"level": 0, "name": "Not in place", "description": "The practice does not exist."},
        {"level": 1, "name": "Initial", "description": "Done occasionally, by individual effort."},
        {
            "level": 2,
            "name": "Defined",
            "description": "Written and owned, but not yet in place everywhere or not tested.",
        },
        {
            "level": 3,
            "name": "Implemented and tested",
            "description": "In operation and tested this cycle, with findings addressed.",
        },
        {
            "level": 4,
            "name": "Measured and improved",
            "description": "Measured, reviewed after each election and improved on evidence.",
        },
    ],
    "effectiveness": [0.0, 0.2, 0.5, 0.8, 1.0],
}
"""The maturity scale of a framework imported from a catalog that does not carry one."""

_PARAM: Final = re.compile(r"\{\{\s*insert:\s*param,\s*([^}\s]+)\s*\}\}")


@dataclass(frozen=True)
class ImportedCatalog:
    """A framework file's data read from an OSCAL catalog, with what the import noticed."""

    data: dict[str, Any]
    """The framework file's content (a valid :class:`~cyberready.models.Framework`)."""
    header: str
    """Comment lines to write above it: where it came from and what is left to fill."""
    notes: tuple[str, ...]
    """What was left out or flattened (withdrawn controls, links to other documents)."""


def read_catalog(
    path: Path, *, framework_id: str | None = None, default_id: str | None = None
) -> ImportedCatalog:
    """Read the OSCAL catalog at ``path`` as a framework.

    The framework's id is ``framework_id``, else the one the catalog was exported from (its
    ``framework-id`` prop), else ``default_id``, else made from the catalog's title.

    Raises :class:`~cyberready.errors.FrameworkError` with every problem found (not JSON, not a
    catalog, a required key missing, duplicate ids, a value cyberready does not accept), each
    with the file and the JSON pointer of the place."""
    name = str(path)
    text, problems = read_text(path, display=name)
    if text is None:
        raise FrameworkError(problems, f"cannot read the OSCAL catalog {name}")
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FrameworkError(
            [Problem(file=name, line=exc.lineno, message=f"not JSON: {exc.msg}")],
            f"{name} is not an OSCAL JSON catalog",
        ) from None
    reader = _Reader(name)
    result = reader.read(doc, framework_id, default_id)
    if reader.problems or result is None:
        raise FrameworkError(
            reader.problems, f"{len(reader.problems)} problem(s) in the OSCAL catalog {name}"
        )
    return result


def _props(node: dict[str, Any], name: str) -> list[dict[str, Any]]:
    """cyberready's props called ``name`` on ``node``."""
    return [
        p
        for p in node.get("props") or []
        if isinstance(p, dict) and p.get("name") == name and p.get("ns") == NAMESPACE
    ]


def _values(node: dict[str, Any], name: str) -> list[str]:
    return [str(p.get("value", "")) for p in _props(node, name)]


def _first(node: dict[str, Any], name: str) -> str | None:
    found = _values(node, name)
    return found[0] if found else None


def _numbers(text: str) -> list[float]:
    return [float(v) for v in text.split()]


class _Reader:
    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []
        self.notes: list[str] = []
        self.params: dict[str, dict[str, Any]] = {}
        self.other_links = 0

    def problem(self, pointer: str, message: str, value: object = "") -> None:
        self.problems.append(
            Problem(file=self.file, field=pointer or "/", message=message, value=str(value))
        )

    def need(self, node: Any, key: str, pointer: str, kind: type = str) -> Any:
        """``node[key]`` when it is a ``kind`` (a non-empty string), else a problem."""
        value = node.get(key) if isinstance(node, dict) else None
        if not isinstance(value, kind) or (isinstance(value, str) and not value.strip()):
            what = "a non-empty string" if kind is str else kind.__name__
            self.problem(f"{pointer}/{key}", f"required key {key!r} missing or not {what}")
            return None
        return value

    # ----------------------------------------------------------------------------- document

    def read(
        self, doc: Any, framework_id: str | None, default_id: str | None
    ) -> ImportedCatalog | None:
        catalog = self.need(doc, "catalog", "", dict)
        if catalog is None:
            return None
        self.need(catalog, "uuid", "/catalog")
        metadata = self.need(catalog, "metadata", "/catalog", dict)
        title = self.need(metadata, "title", "/catalog/metadata") if metadata else None
        for key in ("last-modified", "version", "oscal-version"):
            if metadata is not None:
                self.need(metadata, key, "/catalog/metadata")
        resources = self._resources(catalog)
        domains: list[dict[str, Any]] = []
        controls: list[tuple[str, dict[str, Any]]] = []
        for pointer, group, domain in self._groups(catalog):
            domains.append(domain)
            for cpointer, control, parent in self._controls(group, pointer):
                built = self._control(control, cpointer, domain["id"], parent, resources)
                if built is not None:
                    controls.append((cpointer, built))
        if not isinstance(metadata, dict) or title is None:
            return None
        self._duplicates(controls, domains)
        if self.problems:
            return None
        if not controls:
            self.problem("/catalog", "the catalog has no controls")
            return None
        fid = framework_id or _first(metadata, "framework-id") or default_id or _slug(title)
        data = self._framework(catalog, metadata, title, fid, domains, controls)
        if data is None:
            return None
        header = (
            f"# Imported by cyberready {__version__} from the OSCAL catalog "
            f"{Path(self.file).name}\n"
            f"# ({title}, version {metadata['version']}, OSCAL {metadata['oscal-version']}).\n"
            "# OSCAL does not carry a control's effects on the simulation or its effort, so each\n"
            "# control is tagged todo:effects and todo:effort (and todo:weight, todo:applies_to\n"
            "# where the catalog gave none): fill them in, then remove the tags.\n"
            "# `cyberready validate` lists every control and field still to do.\n"
        )
        if self.other_links:
            self.notes.append(
                f"{self.other_links} link(s) to other documents or controls (citations, related "
                "controls) not kept: only links to catalogs exported by cyberready become "
                "references"
            )
        return ImportedCatalog(data, header, tuple(self.notes))

    def _framework(
        self,
        catalog: dict[str, Any],
        metadata: dict[str, Any],
        title: str,
        fid: str,
        domains: list[dict[str, Any]],
        controls: list[tuple[str, dict[str, Any]]],
    ) -> dict[str, Any] | None:
        data: dict[str, Any] = {
            "schema_version": 1,
            "kind": "framework",
            "id": fid,
            "title": title,
        }
        publisher = _first(metadata, "publisher") or _publisher(metadata)
        if publisher:
            data["publisher"] = publisher
        data["version"] = str(metadata["version"])
        data["source"] = self._source(catalog, metadata, title)
        data["provenance"] = _first(metadata, "provenance") or "official"
        data["subject"] = _first(metadata, "subject") or "emb"
        data["maturity_scale"] = self._scale(metadata)
        tiers = self._tiers(metadata)
        if tiers:
            data["tiers"] = tiers
        data["domains"] = domains
        data["controls"] = [c for _, c in controls]
        try:
            Framework.model_validate(data)
        except (ValidationError, ValueError) as exc:
            self._explain(exc, controls)
            return None
        return data

    def _explain(self, exc: Exception, controls: list[tuple[str, dict[str, Any]]]) -> None:
        if not isinstance(exc, ValidationError):
            self.problem("/catalog", str(exc))
            return
        for err in exc.errors():
            loc = list(err["loc"])
            if len(loc) >= 2 and loc[0] == "controls" and isinstance(loc[1], int):
                pointer = controls[loc[1]][0]
                field = ".".join(str(x) for x in loc[2:3])
                given = err.get("input")
                got = f" (got {given!r})" if isinstance(given, str | int | float) else ""
                self.problem(pointer, f"{field or 'control'}: {err['msg']}{got}", given or "")
            else:
                self.problem("/catalog/metadata", f"{'.'.join(map(str, loc))}: {err['msg']}")

    def _source(
        self, catalog: dict[str, Any], metadata: dict[str, Any], title: str
    ) -> dict[str, Any]:
        for res in (catalog.get("back-matter") or {}).get("resources") or []:
            if isinstance(res, dict) and _first(res, "role") == "framework-source":
                source: dict[str, Any] = {"citation": (res.get("citation") or {}).get("text", "")}
                links = res.get("rlinks") or []
                if links and isinstance(links[0], dict) and links[0].get("href"):
                    source["url"] = links[0]["href"]
                return source
        return {
            "citation": f"{title}, version {metadata['version']} "
            f"(OSCAL catalog {catalog.get('uuid', '')}, last modified "
            f"{metadata['last-modified']})"
        }

    def _scale(self, metadata: dict[str, Any]) -> dict[str, Any]:
        levels = []
        for p in _props(metadata, "maturity-level"):
            number, _, name = str(p.get("value", "")).partition(" ")
            if not number.isdigit():
                self.problem("/catalog/metadata/props", "maturity-level must start with a level", p)
                continue
            levels.append(
                {"level": int(number), "name": name or number, "description": p.get("remarks", "")}
            )
        effectiveness = _first(metadata, "effectiveness")
        if not levels:
            return DEFAULT_SCALE
        try:
            curve = _numbers(effectiveness) if effectiveness else DEFAULT_SCALE["effectiveness"]
        except ValueError:
            self.problem("/catalog/metadata/props", "effectiveness must be numbers", effectiveness)
            curve = DEFAULT_SCALE["effectiveness"]
        return {"levels": levels, "effectiveness": curve}

    def _tiers(self, metadata: dict[str, Any]) -> list[dict[str, Any]]:
        tiers = []
        for value in _values(metadata, "tier"):
            low, _, name = value.partition(" ")
            try:
                tiers.append({"min": float(low), "name": name or low})
            except ValueError:
                self.problem("/catalog/metadata/props", "a tier must start with its minimum", value)
        return tiers

    def _resources(self, catalog: dict[str, Any]) -> dict[str, str]:
        """Back-matter resource uuid -> the catalog id it stands for (cyberready's own)."""
        out: dict[str, str] = {}
        for res in (catalog.get("back-matter") or {}).get("resources") or []:
            if isinstance(res, dict) and isinstance(res.get("uuid"), str):
                cat = _first(res, "catalog-id")
                if cat:
                    out[res["uuid"]] = cat
        return out

    # ----------------------------------------------------------------------------- groups

    def _groups(
        self, catalog: dict[str, Any]
    ) -> Iterator[tuple[str, dict[str, Any], dict[str, Any]]]:
        """(pointer, group, domain) for each group holding controls, nested ones included;
        controls at the catalog's top level form a domain ``catalog``."""
        if catalog.get("controls"):
            yield (
                "/catalog",
                catalog,
                {"id": "catalog", "title": "Controls outside any group"},
            )
        yield from self._subgroups(catalog.get("groups"), "/catalog/groups")

    def _subgroups(
        self, groups: Any, pointer: str
    ) -> Iterator[tuple[str, dict[str, Any], dict[str, Any]]]:
        if groups is None:
            return
        if not isinstance(groups, list):
            self.problem(pointer, "must be a list")
            return
        for i, group in enumerate(groups):
            here = f"{pointer}/{i}"
            if not isinstance(group, dict):
                self.problem(here, "a group must be an object")
                continue
            gtitle = self.need(group, "title", here)
            gid = _first(group, "cyberready-id") or str(group.get("id") or f"group-{i + 1}")
            gid = gid.lstrip("_") or f"group-{i + 1}"
            domain: dict[str, Any] = {"id": gid, "title": gtitle or gid}
            overview = [
                p.get("prose", "")
                for p in group.get("parts") or []
                if isinstance(p, dict) and p.get("name") == "overview"
            ]
            if overview and overview[0]:
                domain["description"] = overview[0]
            if group.get("controls"):
                yield here, group, domain
            yield from self._subgroups(group.get("groups"), f"{here}/groups")

    def _controls(
        self, node: dict[str, Any], pointer: str, parent: str | None = None
    ) -> Iterator[tuple[str, dict[str, Any], str | None]]:
        controls = node.get("controls")
        if controls is None:
            return
        if not isinstance(controls, list):
            self.problem(f"{pointer}/controls", "must be a list")
            return
        for i, control in enumerate(controls):
            here = f"{pointer}/controls/{i}"
            if not isinstance(control, dict):
                self.problem(here, "a control must be an object")
                continue
            cid = self.need(control, "id", here)
            self.need(control, "title", here)
            if cid is None:
                continue
            if any(
                p.get("name") == "status" and p.get("value") == "withdrawn"
                for p in control.get("props") or []
                if isinstance(p, dict)
            ):
                self.notes.append(f"{cid}: withdrawn in the catalog, left out")
                continue
            self._params(control)
            yield here, control, parent
            yield from self._controls(control, here, _control_id(control))

    def _params(self, control: dict[str, Any]) -> None:
        for p in control.get("params") or []:
            if isinstance(p, dict) and isinstance(p.get("id"), str):
                self.params[p["id"]] = p

    # ----------------------------------------------------------------------------- controls

    def _control(
        self,
        control: dict[str, Any],
        pointer: str,
        domain: str,
        parent: str | None,
        resources: dict[str, str],
    ) -> dict[str, Any] | None:
        if not isinstance(control.get("title"), str):
            return None
        cid = _control_id(control)
        parts = [p for p in control.get("parts") or [] if isinstance(p, dict)]
        out: dict[str, Any] = {"id": cid, "domain": domain}
        for key in ("subject", "provenance"):
            value = _first(control, key)
            if value:
                out[key] = value
        out["title"] = control["title"]
        out["objective"] = "\n".join(
            self._prose(p) for p in parts if p.get("name") == "statement"
        ).strip()
        guidance = "\n\n".join(self._prose(p) for p in parts if p.get("name") == "guidance")
        if guidance.strip():
            out["guidance"] = guidance.strip()
        for part in parts:
            if part.get("name") == "maturity-rubric" and part.get("ns") == NAMESPACE:
                out["rubric"] = self._rubric(part, pointer)
        weight = _first(control, "weight")
        todo = ["todo:effects", "todo:effort"]
        if weight is not None:
            out["weight"] = int(weight) if weight.isdigit() else weight
        else:
            todo.append("todo:weight")
        selector = {
            key: _values(control, f"applies-to-{key}")
            for key in SELECTOR_PROPS
            if _values(control, f"applies-to-{key}")
        }
        applies = _values(control, "applies-to")
        if selector:
            out["applies_to"] = selector
        elif applies:
            out["applies_to"] = applies
        else:
            todo.append("todo:applies_to")
        phases = _values(control, "phase")
        if phases:
            out["phases"] = phases
        references = self._references(control, resources)
        if references:
            out["references"] = references
        tags = _values(control, "tag")
        if _first(control, "cyberready-id") is None and cid != control["id"]:
            tags.append(f"oscal-id:{control['id']}")
        if parent is not None:
            tags.append(f"parent:{parent}")
        out["tags"] = list(dict.fromkeys([*tags, *todo]))
        effectiveness = _first(control, "effectiveness")
        if effectiveness:
            try:
                out["effectiveness"] = _numbers(effectiveness)
            except ValueError:
                self.problem(f"{pointer}/props", "effectiveness must be numbers", effectiveness)
        return out

    def _rubric(self, part: dict[str, Any], pointer: str) -> dict[int, str]:
        rubric: dict[int, str] = {}
        for level in part.get("parts") or []:
            if not isinstance(level, dict):
                continue
            number = _first(level, "level")
            if number is None or not number.isdigit():
                self.problem(f"{pointer}/parts", "a maturity-level part needs a level prop")
                continue
            rubric[int(number)] = str(level.get("prose", ""))
        return rubric

    def _references(
        self, control: dict[str, Any], resources: dict[str, str]
    ) -> dict[str, list[str]]:
        refs: dict[str, list[str]] = {}
        others = 0
        for link in control.get("links") or []:
            if not isinstance(link, dict):
                continue
            href = str(link.get("href", ""))
            cat = resources.get(href[1:]) if href.startswith("#") else None
            item = link.get("resource-fragment") or link.get("text")
            if cat is not None and item:
                refs.setdefault(cat, []).append(str(item))
            else:
                others += 1
        self.other_links += others
        return refs

    def _prose(self, part: dict[str, Any], depth: int = 0) -> str:
        """A part's prose and its sub-parts', labelled, parameters written out."""
        label = next(
            (
                str(p.get("value"))
                for p in part.get("props") or []
                if isinstance(p, dict) and p.get("name") == "label" and not p.get("class")
            ),
            "",
        )
        text = self._insert(str(part.get("prose", "")))
        line = "  " * max(depth - 1, 0) + (f"{label} " if label else "") + text
        lines = [line.rstrip()] if line.strip() else []
        for sub in part.get("parts") or []:
            if isinstance(sub, dict) and sub.get("name") in (None, "item", "statement"):
                lines.append(self._prose(sub, depth + 1))
        return "\n".join(x for x in lines if x)

    def _insert(self, text: str, seen: frozenset[str] = frozenset()) -> str:
        def one(match: re.Match[str]) -> str:
            pid = match.group(1)
            param = self.params.get(pid)
            if param is None or pid in seen:
                return f"[Assignment: {pid}]"
            select = param.get("select")
            if isinstance(select, dict):
                choices = "; ".join(
                    self._insert(str(c), seen | {pid}) for c in select.get("choice") or []
                )
                how = " (one or more)" if select.get("how-many") == "one-or-more" else ""
                return f"[Selection{how}: {choices}]"
            return f"[Assignment: {param.get('label') or pid}]"

        return _PARAM.sub(one, text)

    def _duplicates(
        self, controls: list[tuple[str, dict[str, Any]]], domains: list[dict[str, Any]]
    ) -> None:
        seen: dict[str, str] = {}
        for pointer, c in controls:
            if c["id"] in seen:
                self.problem(
                    f"{pointer}/id",
                    f"duplicate control id {c['id']!r} (also at {seen[c['id']]})",
                    c["id"],
                )
            else:
                seen[c["id"]] = pointer
        dom: set[str] = set()
        for d in domains:
            if d["id"] in dom:
                self.problem("/catalog/groups", f"duplicate group id {d['id']!r}", d["id"])
            dom.add(d["id"])


def _control_id(control: dict[str, Any]) -> str:
    """cyberready's id for an OSCAL control: its ``cyberready-id`` prop, else its id in upper
    case with every run of other characters made ``-`` (``ia-2.1`` is ``IA-2-1``)."""
    own = _first(control, "cyberready-id")
    if own:
        return own
    raw = str(control.get("id", ""))
    cid = re.sub(r"[^A-Z0-9]+", "-", raw.upper()).strip("-")
    if control.get("id") and not re.match(CONTROL_ID_PATTERN, cid):
        cid = f"C-{cid}" if cid else "C-0"
    return cid


def _publisher(metadata: dict[str, Any]) -> str:
    """The names of the parties responsible as publisher (else creator) of the catalog."""
    names = {
        p.get("uuid"): p.get("name")
        for p in metadata.get("parties") or []
        if isinstance(p, dict) and isinstance(p.get("name"), str)
    }
    for role in ("publisher", "creator"):
        found = [
            str(names[u])
            for rp in metadata.get("responsible-parties") or []
            if isinstance(rp, dict) and rp.get("role-id") == role
            for u in rp.get("party-uuids") or []
            if u in names
        ]
        if found:
            return "; ".join(found)
    return ""


def _slug(title: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60].strip("-")
    return slug or "imported"
