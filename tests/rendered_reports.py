"""A session's cache of rendered reports, shared by the report test files (see conftest)."""

from __future__ import annotations

from cyberready.assess import AssessmentResult
from cyberready.report import Audience, Format, View, build_view, render
from cyberready.report.render import html_to_pdf


class Renders:
    """``render(build_view(result, audience, locale=...), fmt)``, done once per session for each
    result, audience, language and format (rendering is deterministic; a test of that renders
    twice itself). The view is built once for all its formats, and the PDF is laid out from
    the cached HTML page (what ``render(view, "pdf")`` does), so its charts are drawn once."""

    def __init__(self) -> None:
        # keyed by id(result); the result is kept so that its id cannot be reused
        self._pages: dict[tuple[int, str, str, str], tuple[AssessmentResult, bytes]] = {}
        self._views: dict[tuple[int, str, str], tuple[AssessmentResult, View]] = {}

    def __call__(
        self, result: AssessmentResult, audience: Audience, fmt: Format, locale: str = "en"
    ) -> bytes:
        key = (id(result), audience, locale, fmt)
        if key not in self._pages:
            if fmt == "pdf":
                page = html_to_pdf(self(result, audience, "html", locale).decode("utf-8"))
            else:
                page = render(self._view(result, audience, locale), fmt)
            self._pages[key] = (result, page)
        return self._pages[key][1]

    def _view(self, result: AssessmentResult, audience: Audience, locale: str) -> View:
        key = (id(result), audience, locale)
        if key not in self._views:
            self._views[key] = (result, build_view(result, audience, locale=locale))
        return self._views[key][1]
