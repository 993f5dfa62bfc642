"""Punctuation between the translated pieces of a report follows the language: French sets a
no-break space before « : » and a narrow one before « ; », Arabic writes its own comma « ، »
and semicolon « ؛ », and English stays as it was (the golden tests hold it byte for byte)."""

from __future__ import annotations

import html
import re
from typing import Literal

import pytest
from rendered_reports import Renders

from cyberready.assess import AssessmentResult
from cyberready.report import TechnicalView, build_view
from cyberready.report.i18n import translations


@pytest.fixture(scope="module")
def result(examplia_quick: AssessmentResult) -> AssessmentResult:
    """Examplia with few trials (shared with the language tests, and so are its pages)."""
    return examplia_quick


def _technical(
    rendered: Renders, result: AssessmentResult, locale: str, fmt: Literal["html", "md"] = "html"
) -> str:
    return html.unescape(rendered(result, "technical", fmt, locale).decode())


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_a_french_label_has_a_no_break_space_before_its_colon(
    result: AssessmentResult, rendered: Renders, fmt: Literal["html", "md"]
) -> None:
    page = _technical(rendered, result, "fr", fmt)
    # a label of the score card (HTML), a term of the glossary (Markdown, in bold)
    label = translations("fr").gettext("confidence" if fmt == "html" else "Public trust loss")
    bold = "" if fmt == "html" else "**"
    assert f"{label}{bold}\u00a0:" in page
    # never glued to its colon, nor set off by a plain space that could break the line
    assert not re.search(rf"{re.escape(label)}\*{{0,2}} ?:", page)


def test_arabic_lists_use_the_arabic_semicolon(result: AssessmentResult, rendered: Renders) -> None:
    view = build_view(result, "technical", locale="ar")
    assert isinstance(view, TechnicalView)
    page = _technical(rendered, result, "ar")
    threats = next(f.main_threats for f in view.functions if len(f.main_threats) > 1)
    assert "\u061b ".join(threats) in page
    assert "; ".join(threats) not in page


def test_an_arabic_action_explanation_lists_its_scenarios_with_the_arabic_semicolon(
    result: AssessmentResult,
) -> None:
    """The explanation of each recommended action (translated piece by piece) joins the
    scenarios it protects from, and the functions, as the language does."""
    view = build_view(result, "technical", locale="ar")
    assert isinstance(view, TechnicalView)
    explained = [a.why for a in view.actions if a.why.count(" (-") > 1]
    assert explained, "no action of Examplia protects from two scenarios"
    for text in explained:
        assert "\u061b " in text and "; " not in text


def test_english_keeps_its_plain_colon(result: AssessmentResult, rendered: Renders) -> None:
    page = _technical(rendered, result, "en")
    assert "confidence: " in page
    assert "\u00a0:" not in page


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("en", "2.5 weeks"), ("fr", "2,5\u00a0semaines"), ("es", "2,5 semanas")],
)
def test_half_weeks_use_the_languages_decimal_mark(locale: str, expected: str) -> None:
    """An action's effort to the half week, as reports, explanations and the demo write it:
    the decimal mark of the language ("2.5 semaines" had an English point)."""
    from cyberready.report import numbers

    text = numbers.weeks_text(2.26, locale, translations(locale).ngettext)
    assert text.replace(" ", "\u00a0") == expected.replace(" ", "\u00a0")
