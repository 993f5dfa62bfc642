"""Punctuation between the translated pieces of a report follows the language: French sets a
no-break space before « : » and a narrow one before « ; », Arabic writes its own comma « ، »
and semicolon « ؛ », and English stays as it was (the golden tests hold it byte for byte)."""

from __future__ import annotations

import html
import re
from typing import Literal

import pytest

import cyberready
from cyberready.assess import AssessmentResult
from cyberready.report import TechnicalView, build_view, render
from cyberready.report.i18n import translations


@pytest.fixture(scope="module")
def result() -> AssessmentResult:
    return cyberready.assess(
        cyberready.example_path(), trials=20, seed=3, screen_trials=10, priority_trials=20
    )


def _technical(result: AssessmentResult, locale: str, fmt: Literal["html", "md"] = "html") -> str:
    page = render(build_view(result, "technical", locale=locale), fmt).decode()
    return html.unescape(page)


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_a_french_label_has_a_no_break_space_before_its_colon(
    result: AssessmentResult, fmt: Literal["html", "md"]
) -> None:
    page = _technical(result, "fr", fmt)
    # a label of the score card (HTML), a term of the glossary (Markdown, in bold)
    label = translations("fr").gettext("confidence" if fmt == "html" else "Public trust loss")
    bold = "" if fmt == "html" else "**"
    assert f"{label}{bold}\u00a0:" in page
    # never glued to its colon, nor set off by a plain space that could break the line
    assert not re.search(rf"{re.escape(label)}\*{{0,2}} ?:", page)


def test_arabic_lists_use_the_arabic_semicolon(result: AssessmentResult) -> None:
    view = build_view(result, "technical", locale="ar")
    assert isinstance(view, TechnicalView)
    page = _technical(result, "ar")
    threats = next(f.main_threats for f in view.functions if len(f.main_threats) > 1)
    assert "\u061b ".join(threats) in page
    assert "; ".join(threats) not in page


def test_english_keeps_its_plain_colon(result: AssessmentResult) -> None:
    page = _technical(result, "en")
    assert "confidence: " in page
    assert "\u00a0:" not in page
