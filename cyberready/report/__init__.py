"""Reports for every audience: data views, charts and renderers (README, "Reports").

>>> import cyberready
>>> from cyberready.report import build_view, render
>>> result = cyberready.assess(cyberready.example_path(), trials=200, priorities=False)
>>> view = build_view(result, "donor")
>>> view.banner.tlp
'TLP:GREEN'
>>> render(view, "html")[:15]
b'<!DOCTYPE html>'
"""

from __future__ import annotations

import importlib
import sys
import types
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cyberready.report.models import (
    AUDIENCES,
    TLP,
    AdvisorView,
    Audience,
    DonorView,
    TechnicalView,
    View,
    view_schema,
)

if TYPE_CHECKING:
    from cyberready.assess import AssessmentResult
    from cyberready.report.render import (
        FORMATS,
        Format,
        make_charts,
        render,
        render_html,
        render_json,
        render_markdown,
        render_pdf,
        render_xlsx,
    )
    from cyberready.report.views import build_view

# The renderers load matplotlib and numpy: imported on first use (PEP 562), so that the CLI's
# help and `cyberready.report.numbers` stay light.
_LAZY: dict[str, str] = {
    **dict.fromkeys(
        (
            "FORMATS",
            "Format",
            "make_charts",
            "render",
            "render_html",
            "render_json",
            "render_markdown",
            "render_pdf",
            "render_xlsx",
        ),
        "cyberready.report.render",
    ),
    "build_view": "cyberready.report.views",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'cyberready.report' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


EXTENSIONS: dict[str, str] = {
    "html": "html",
    "pdf": "pdf",
    "md": "md",
    "json": "json",
    "xlsx": "xlsx",
}
"""File extension of each format."""


class _Package(types.ModuleType):
    """Keeps ``cyberready.report.render`` the function: importing the submodule of the same
    name would otherwise bind the module over it (the import system sets the attribute)."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _LAZY and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def make_report(
    result: AssessmentResult,
    audience: Audience = "technical",
    fmt: Format = "html",
    *,
    templates_dir: Path | None = None,
    locale: str = "en",
) -> bytes:
    """One report as bytes: the ``audience``'s view of ``result`` rendered as ``fmt``.

    Raises
    ------
    OptionalDependencyError
        For ``pdf`` without the ``pdf`` extra (WeasyPrint).
    ReportError
        For an unknown audience or format, a broken or unsafe user template, or a donor report
        whose finished text would reveal a sensitive term.
    """
    from cyberready.report.render import render
    from cyberready.report.views import build_view, redactor

    guard = redactor(result.workspace, locale) if audience == "donor" else None
    view = build_view(result, audience, locale=locale)
    return render(view, fmt, templates_dir=templates_dir, guard=guard)


def default_filename(emb_id: str, audience: str, fmt: str) -> str:
    """``<emb>-<audience>.<ext>``, e.g. ``examplia-iec-donor.pdf``."""
    return f"{emb_id}-{audience}.{EXTENSIONS.get(fmt, fmt)}"


__all__ = [
    "AUDIENCES",
    "EXTENSIONS",
    "FORMATS",
    "TLP",
    "AdvisorView",
    "Audience",
    "DonorView",
    "Format",
    "TechnicalView",
    "View",
    "build_view",
    "default_filename",
    "make_charts",
    "make_report",
    "render",
    "render_html",
    "render_json",
    "render_markdown",
    "render_pdf",
    "render_xlsx",
    "view_schema",
]
