"""Reports for every audience: data views, charts and renderers (README, "Reports").

Public API (``__all__``):

- :func:`make_report`: one report as bytes, from an assessment result, audience and format;
  :func:`default_filename` names its file.
- :func:`build_view`: an audience's data view of a result (:class:`TechnicalView`,
  :class:`AdvisorView`, :class:`DonorView`, :class:`PublicView`, and with ``company`` the
  :class:`PlatformView` of one technology company, all :data:`View`); :func:`view_schema`
  is the JSON schema of the views. :data:`AUDIENCES` / :data:`Audience` and :data:`TLP` name
  the choices (``AUDIENCES``: those of ``--audience all``, every one but ``platform``).
- :func:`render` a view in one of :data:`FORMATS` (:data:`Format`), or directly with
  :func:`render_html`, :func:`render_markdown`, :func:`render_json`, :func:`render_pdf`,
  :func:`render_xlsx`; :func:`make_charts` gives a view's charts as SVG.

The renderers and the views load numpy and matplotlib, so they are imported on first use.

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

from pathlib import Path
from typing import TYPE_CHECKING

from cyberready._lazy import lazy_names
from cyberready.report.models import (
    AUDIENCES,
    TLP,
    AdvisorView,
    Audience,
    DonorView,
    PlatformView,
    PublicView,
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


lazy_names(__name__, _LAZY)


def make_report(
    result: AssessmentResult,
    audience: Audience = "technical",
    fmt: Format = "html",
    *,
    templates_dir: Path | None = None,
    locale: str = "en",
    company: str | None = None,
) -> bytes:
    """One report as bytes: the ``audience``'s view of ``result`` rendered as ``fmt``
    (``company``: the technology company of a platform report).

    Raises
    ------
    OptionalDependencyError
        For ``pdf`` without the ``pdf`` extra (WeasyPrint).
    ReportError
        For an unknown audience or format, a platform report without a known company, a broken
        or unsafe user template, or a donor or public report whose finished text would reveal
        a sensitive term.
    """
    from cyberready.report.render import render
    from cyberready.report.views import build_view, redactor

    guarded = audience in ("donor", "public")
    guard = redactor(result.workspace, locale) if guarded else None
    view = build_view(result, audience, locale=locale, company=company)
    return render(view, fmt, templates_dir=templates_dir, guard=guard)


def default_filename(emb_id: str, audience: str, fmt: str) -> str:
    """``<emb>-<audience>.<fmt>``, e.g. ``examplia-iec-donor.pdf``: each format's name is its
    file extension."""
    return f"{emb_id}-{audience}.{fmt}"


__all__ = [
    "AUDIENCES",
    "FORMATS",
    "TLP",
    "AdvisorView",
    "Audience",
    "DonorView",
    "Format",
    "PlatformView",
    "PublicView",
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
