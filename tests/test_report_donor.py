"""The donor report never shows an asset id or label, an evidence text or a note.

Every such string of the shipped example (its assets, links, answers, overrides, platform
scorecards and history) is collected straight from the workspace files' models, and searched for
in the donor report in every format, charts included.
"""

from __future__ import annotations

import html
import io
import re
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

import cyberready
from cyberready.report import build_view, render

HAVE_PDFTOTEXT = shutil.which("pdftotext") is not None


@pytest.fixture(scope="module")
def example_result() -> cyberready.AssessmentResult:
    return cyberready.assess(cyberready.example_path(), trials=300, seed=11)


def _sensitive(ws: cyberready.Workspace) -> dict[str, str]:
    """string -> what it is, for every asset id and label, evidence text and note."""
    out: dict[str, str] = {}
    for i, asset_id in enumerate(ws.resolved.ids):
        out[asset_id] = "asset id"
        out[ws.resolved.labels[i]] = "asset label"
    for a in ws.system.assets:
        out[a.notes] = "asset note"
    for link in ws.system.links:
        out[link.notes] = "link note"
    for assessment in (ws.assessment, *ws.history):
        assert assessment is not None
        for ans in assessment.answers.values():
            out[ans.evidence] = "evidence"
            out[ans.notes] = "answer note"
        for ov in assessment.overrides:
            out[ov.notes] = "override note"
    for card in ws.platforms:
        for ans in card.answers.values():
            out[ans.evidence] = "platform evidence"
            out[ans.notes] = "platform note"
    return {k.strip(): v for k, v in out.items() if k.strip()}


def _finder(strings: dict[str, str]) -> re.Pattern[str]:
    # whole tokens only: the asset id "ems" must not match inside "systems"
    alternatives = "|".join(re.escape(s) for s in sorted(strings, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)


def _assert_clean(text: str, strings: dict[str, str], where: str) -> None:
    flat = " ".join(text.split())
    hits = sorted({m.group(0) for m in _finder(strings).finditer(flat)})
    assert not hits, f"{where} reveals: " + "; ".join(
        f"{h!r} ({strings.get(h, strings.get(h.strip(), '?'))})" for h in hits
    )


def test_the_example_has_sensitive_strings_to_hide(
    example_result: cyberready.AssessmentResult,
) -> None:
    strings = _sensitive(example_result.workspace)
    kinds = set(strings.values())
    assert {"asset id", "asset label", "evidence", "answer note", "platform evidence"} <= kinds
    assert len(strings) > 150
    # ...and the technical report does show them (so the search below can find them)
    technical = render(build_view(example_result, "technical"), "md").decode()
    assert _finder(strings).search(" ".join(technical.split()))


def test_donor_html_and_charts(example_result: cyberready.AssessmentResult) -> None:
    strings = _sensitive(example_result.workspace)
    out = render(build_view(example_result, "donor"), "html").decode()
    text = html.unescape(re.sub(r"<[^>]+>", " ", out))  # page text, chart text included
    _assert_clean(text, strings, "donor HTML")
    _assert_clean(html.unescape(out), strings, "donor HTML source")


def test_donor_markdown(example_result: cyberready.AssessmentResult) -> None:
    strings = _sensitive(example_result.workspace)
    out = render(build_view(example_result, "donor"), "md").decode()
    _assert_clean(html.unescape(re.sub(r"\\(.)", r"\1", out)), strings, "donor Markdown")


def test_donor_json(example_result: cyberready.AssessmentResult) -> None:
    strings = _sensitive(example_result.workspace)
    out = render(build_view(example_result, "donor"), "json").decode()
    import json

    _assert_clean(json.dumps(json.loads(out), ensure_ascii=False), strings, "donor JSON")


def test_donor_xlsx(example_result: cyberready.AssessmentResult) -> None:
    strings = _sensitive(example_result.workspace)
    wb = load_workbook(io.BytesIO(render(build_view(example_result, "donor"), "xlsx")))
    cells = [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value]
    assert cells
    _assert_clean(" | ".join(cells), strings, "donor XLSX")


@pytest.mark.skipif(not HAVE_PDFTOTEXT, reason="needs poppler-utils (pdftotext)")
def test_donor_pdf(example_result: cyberready.AssessmentResult) -> None:
    pytest.importorskip("weasyprint")
    strings = _sensitive(example_result.workspace)
    pdf = render(build_view(example_result, "donor"), "pdf")
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "TLP:GREEN" in text
    _assert_clean(text, strings, "donor PDF")
