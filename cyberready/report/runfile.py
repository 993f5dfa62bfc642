"""A saved assessment run: every audience's report view, so reports need not re-run it.

``cyberready assess DIR --save run.json`` runs the whole assessment once and writes the views
of every audience (technical, advisor, donor, public, and one platform view per company) with
what they were made from; ``cyberready report DIR --from
run.json`` renders any audience and format from them in seconds. A run is only reused for the
inputs it was made from: the file records

* a SHA-256 digest of the workspace's input files (every ``.yaml``, ``.yml`` and ``.csv`` under
  the folder, outside hidden folders, by relative path and bytes) and of the shipped frameworks
  and scenarios,
* the cyberready version,
* the run's options (trials, seed, screening trials, exact, budget, locale),

and :func:`load_run` refuses it, saying which of these changed, when any differs. The file holds
the technical view (asset names, attack paths, evidence): keep it as you keep the technical
report (TLP:AMBER+STRICT).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from pydantic import ValidationError

from cyberready._version import __version__
from cyberready.errors import InputError, Problem
from cyberready.io import atomic_write_bytes, data_dir, read_bytes
from cyberready.report.models import (
    AUDIENCES,
    AdvisorView,
    Audience,
    DonorView,
    PlatformView,
    PublicView,
    TechnicalView,
)

if TYPE_CHECKING:
    from cyberready.assess import AssessmentResult
    from cyberready.report.models import View

__all__ = ["RUN_FORMAT", "RUN_KIND", "input_digest", "load_run", "save_run"]

RUN_KIND: Final = "cyberready-run"
"""The ``kind`` of a saved run file."""

RUN_FORMAT: Final = 3
"""The run file's ``schema_version``, raised whenever a saved view's fields change (2: plan
benefit split by cycle, grouped assets, platform commitments; 3: the public view and the
platform views), so an older run is refused by name rather than as damaged."""

_INPUT_SUFFIXES: Final = frozenset({".yaml", ".yml", ".csv"})
_VIEW_CLASSES: Final[
    dict[Audience, type[TechnicalView] | type[DonorView] | type[PublicView] | type[PlatformView]]
] = {
    "technical": TechnicalView,
    "advisor": AdvisorView,
    "donor": DonorView,
    "public": PublicView,
    "platform": PlatformView,
}


def _inputs(root: Path) -> Iterator[tuple[str, Path]]:
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if path.is_file() and path.suffix.lower() in _INPUT_SUFFIXES:
            yield rel.as_posix(), path


def input_digest(workspace: Path) -> str:
    """SHA-256 over the workspace's input files and the shipped frameworks and scenarios."""
    digest = hashlib.sha256()
    for label, root in (
        ("workspace", workspace),
        ("frameworks", data_dir("frameworks")),
        ("scenarios", data_dir("scenarios")),
    ):
        for rel, path in _inputs(root):
            data = read_bytes(path)
            digest.update(f"{label}/{rel}\0{len(data)}\0".encode())
            digest.update(data)
    return digest.hexdigest()


def save_run(
    path: Path,
    result: AssessmentResult,
    *,
    options: Mapping[str, Any],
    locale: str = "en",
) -> None:
    """Write ``result``'s report views (every audience, and a platform view per company) and
    what they were made from to ``path`` (atomically)."""
    from cyberready.report.views import build_views, platform_companies, platform_view

    built = build_views(result, AUDIENCES, locale=locale)
    views = {a: view.model_dump(mode="json") for a, view in built.items()}
    platforms = {
        c: platform_view(result, c, locale=locale).model_dump(mode="json")
        for c in platform_companies(result)
    }
    data = {
        "schema_version": RUN_FORMAT,
        "kind": RUN_KIND,
        "tlp": "TLP:AMBER+STRICT",
        "cyberready": __version__,
        "emb": result.workspace.emb.id,
        "inputs_sha256": input_digest(result.workspace.path),
        "options": {**options, "locale": locale},
        "views": views,
        "platform_views": platforms,
    }
    atomic_write_bytes(path, (json.dumps(data, indent=1, sort_keys=True) + "\n").encode())


def _refuse(path: Path, message: str, hint: str = "") -> InputError:
    return InputError([Problem(file=str(path), message=message, hint=hint)])


def load_run(
    path: Path,
    workspace: Path,
    *,
    options: Mapping[str, Any] | None = None,
    company: str | None = None,
) -> dict[Audience, View]:
    """The report views saved in ``path``, if the run was made from ``workspace`` as it is now.

    ``options``: the run options the caller asked for explicitly (the rest are taken from the
    run); any that differ from the run's make it stale. With ``company``, the result also
    holds that company's platform view (``"platform"``).

    Raises
    ------
    InputError
        If the file is not a run file, or the run is stale: the workspace's inputs, the
        shipped frameworks and scenarios, the cyberready version or an option changed. The
        message says which, and how to make a fresh run.
    """
    again = f"run `cyberready assess {workspace} --save {path}` again"
    try:
        data = json.loads(read_bytes(path).decode("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise _refuse(path, f"cannot read the saved run: {err}") from None
    if not isinstance(data, dict) or data.get("kind") != RUN_KIND:
        raise _refuse(path, f"not a saved run (kind: {RUN_KIND} expected)")
    version = data.get("schema_version")
    if version != RUN_FORMAT:
        made = (
            "an earlier cyberready"
            if isinstance(version, int) and version < RUN_FORMAT
            else "another cyberready"
        )
        raise _refuse(
            path,
            f"the run was saved in run format {version!r} by {made}; this version reads "
            f"format {RUN_FORMAT}",
            again,
        )
    if data.get("cyberready") != __version__:
        raise _refuse(
            path,
            f"the run was made by cyberready {data.get('cyberready')}, this is {__version__}",
            again,
        )
    if data.get("inputs_sha256") != input_digest(workspace):
        raise _refuse(
            path,
            f"stale run: files of {workspace} (or the shipped frameworks and scenarios) changed "
            "since it was saved",
            again,
        )
    saved = data.get("options") or {}
    changed = [
        f"{name} {saved.get(name)!r} in the run, {value!r} asked"
        for name, value in (options or {}).items()
        if saved.get(name) != value
    ]
    if changed:
        flags = " ".join(
            f"--{name.replace('_', '-')}" + ("" if value is True else f" {value}")
            for name, value in (options or {}).items()
            if value is not None and value is not False
        )
        raise _refuse(
            path,
            "the run was made with other options: " + "; ".join(changed),
            f"run `cyberready assess {workspace} --save {path} {flags}` again, or leave the "
            "options out to use the run's",
        )
    views: dict[Audience, View] = {}
    for audience in AUDIENCES:
        try:
            views[audience] = _VIEW_CLASSES[audience].model_validate(data["views"][audience])
        except (KeyError, TypeError, ValidationError) as err:
            raise _refuse(path, f"the saved {audience} view is damaged: {err}", again) from None
    if company is not None:
        saved_platforms = data.get("platform_views") or {}
        if company not in saved_platforms:
            raise _refuse(
                path,
                f"the run has no platform scorecard for company {company!r} (companies: "
                f"{', '.join(sorted(saved_platforms)) or 'none'})",
            )
        try:
            views["platform"] = PlatformView.model_validate(saved_platforms[company])
        except (TypeError, ValidationError) as err:
            raise _refuse(path, f"the saved platform view is damaged: {err}", again) from None
    return views
