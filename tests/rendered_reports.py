"""A session's cache of rendered reports, shared by the report test files (see conftest)."""

from __future__ import annotations

from cyberready.assess import AssessmentResult
from cyberready.report import Audience, Format, build_view, render


class Renders:
    """``render(build_view(result, audience, locale=...), fmt)``, done once per session for each
    result, audience, language and format (rendering is deterministic; a test of that renders
    twice itself)."""

    def __init__(self) -> None:
        # keyed by id(result); the result is kept so that its id cannot be reused
        self._pages: dict[tuple[int, str, str, str], tuple[AssessmentResult, bytes]] = {}

    def __call__(
        self, result: AssessmentResult, audience: Audience, fmt: Format, locale: str = "en"
    ) -> bytes:
        key = (id(result), audience, locale, fmt)
        if key not in self._pages:
            page = render(build_view(result, audience, locale=locale), fmt)
            self._pages[key] = (result, page)
        return self._pages[key][1]
