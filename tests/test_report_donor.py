"""The donor report and the public summary never show an asset id or label, an evidence text or
a note; the public summary shows no probability, cost, score or control level either.

Every such string of the shipped example (its assets, links, answers, overrides, platform
scorecards and history) is collected straight from the workspace files' models, and searched for
in the donor and public reports in every format, charts included.
"""

from __future__ import annotations

import html
import importlib.util
import io
import json
import re
import shutil
import subprocess

import pytest
from openpyxl import load_workbook
from rendered_reports import Renders

import cyberready
from cyberready.report import Audience, Format, build_view
from cyberready.report.models import DonorView, PublicView, TechnicalView

HAVE_PDFTOTEXT = shutil.which("pdftotext") is not None


@pytest.fixture(scope="module")
def example_result(examplia_result: cyberready.AssessmentResult) -> cyberready.AssessmentResult:
    """Examplia, 300 trials, seed 11 (shared with the browser tests)."""
    return examplia_result


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
    example_result: cyberready.AssessmentResult, rendered: Renders
) -> None:
    strings = _sensitive(example_result.workspace)
    kinds = set(strings.values())
    assert {"asset id", "asset label", "evidence", "answer note", "platform evidence"} <= kinds
    assert len(strings) > 150
    # ...and the technical report does show them (so the search below can find them)
    technical = rendered(example_result, "technical", "md").decode()
    assert _finder(strings).search(" ".join(technical.split()))


def _text(
    result: cyberready.AssessmentResult, audience: Audience, fmt: Format, rendered: Renders
) -> str:
    """The text a reader of the report in ``fmt`` sees (HTML: the page text, charts included,
    and the source; XLSX: every cell; PDF: pdftotext's output)."""
    view = build_view(result, audience)
    if fmt == "pdf":
        pytest.importorskip("weasyprint")
    data = rendered(result, audience, fmt)
    if fmt == "html":
        out = data.decode()
        page = re.sub(r"<style>.*?</style>", " ", out, flags=re.S)
        return html.unescape(re.sub(r"<[^>]+>", " ", page)) + " \n " + html.unescape(page)
    if fmt == "md":
        return html.unescape(re.sub(r"\\(.)", r"\1", data.decode()))
    if fmt == "json":
        return json.dumps(json.loads(data), ensure_ascii=False)
    if fmt == "xlsx":
        wb = load_workbook(io.BytesIO(data))
        cells = [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row]
        assert cells
        return " | ".join(c for c in cells if c != "None")
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    assert view.banner.tlp in text
    return text


FORMATS = [
    "html",
    "md",
    "json",
    "xlsx",
    pytest.param(
        "pdf",
        marks=pytest.mark.skipif(
            not HAVE_PDFTOTEXT or importlib.util.find_spec("weasyprint") is None,
            reason="needs poppler-utils (pdftotext) and the pdf extra",
        ),
    ),
]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("audience", ["donor", "public"])
def test_no_sensitive_string_in_any_format(
    example_result: cyberready.AssessmentResult, rendered: Renders, audience: Audience, fmt: Format
) -> None:
    strings = _sensitive(example_result.workspace)
    _assert_clean(_text(example_result, audience, fmt, rendered), strings, f"{audience} {fmt}")


# --------------------------------------------------------------------------- public only


@pytest.fixture(scope="module")
def public_facts(example_result: cyberready.AssessmentResult) -> dict[str, list[str]]:
    """What the public summary must never show, taken from the other views: every chance the
    simulation gives (as the reports write it), every cost figure, every control id, and the
    names of the intermediate maturity levels (a level next to a control)."""
    donor = build_view(example_result, "donor")
    technical = build_view(example_result, "technical")
    assert isinstance(donor, DonorView) and isinstance(technical, TechnicalView)
    chances = {f.p_fail for f in technical.functions} | {c.p_fail for c in technical.matrix}
    chances |= {s.p_any_failure for s in technical.scenarios}
    costs = {p.cost_low for p in donor.priorities} | {p.cost_high for p in donor.priorities}
    levels = [
        lv.name
        for fw in example_result.workspace.frameworks
        for lv in fw.maturity_scale.levels
        if 0 < lv.level < 4
    ]
    return {
        "chances": sorted({f"{round(p * 100)}%" for p in chances if 0 < p < 1}),
        "costs": sorted({f"{c:,.0f}" for c in costs if c > 0}),
        "controls": sorted(c.control_id for c in technical.controls),
        "levels": sorted(set(levels)),
    }


@pytest.mark.parametrize("fmt", FORMATS)
def test_public_summary_shows_no_probability_cost_score_or_control_level(
    example_result: cyberready.AssessmentResult,
    public_facts: dict[str, list[str]],
    rendered: Renders,
    fmt: Format,
) -> None:
    text = _text(example_result, "public", fmt, rendered)
    flat = " ".join(text.split())
    # the example has something of each to hide, and the donor summary does show it
    donor = " ".join(_text(example_result, "donor", "md", rendered).split())
    assert public_facts["chances"] and any(c in donor for c in public_facts["chances"])
    assert public_facts["costs"] and any(c in donor for c in public_facts["costs"])
    # no chance, share or score written as a percentage, no cost, no currency
    assert "%" not in flat
    assert not re.search(r"\$|\bUSD\b|\bcosts?\b", flat, re.IGNORECASE)
    assert not [c for c in public_facts["costs"] if c in flat]
    # no score out of 100, no control id, no maturity level name of a control
    assert "out of 100" not in flat
    assert not [c for c in public_facts["controls"] if re.search(rf"\b{re.escape(c)}\b", flat)]
    assert not [lv for lv in public_facts["levels"] if lv.casefold() in flat.casefold()]
    # nothing named weak or a gap in the report's own words (a band's name and a measure's
    # title are the framework's words, allowed)
    view = build_view(example_result, "public")
    assert isinstance(view, PublicView)
    titles = {t for g in view.measures for t in (*g.under_way, *g.planned)}
    for allowed in sorted({*view.bands, *titles}, key=len, reverse=True):
        flat = flat.replace(allowed, " ")
    assert not re.search(r"\b(weak\w*|gaps?|vulnerab\w*|probabilit\w*|likelihood)\b", flat, re.I)
    # ...but the titles of the measures are there, grouped by domain
    assert view.measures and view.measures[0].domain_title in text
    assert (view.measures[0].under_way or view.measures[0].planned)[0] in text


def test_public_json_holds_no_number_a_simulation_gave(
    example_result: cyberready.AssessmentResult, rendered: Renders
) -> None:
    """The JSON's numbers are counts, dates' parts and the run's parameters: no float but the
    public-confidence weight (a setting of emb.yaml), so no chance can hide in it."""
    data = json.loads(rendered(example_result, "public", "json"))

    def floats(value: object, path: str = "") -> list[str]:
        if isinstance(value, float):
            return [path]
        if isinstance(value, dict):
            return [p for k, v in value.items() for p in floats(v, f"{path}.{k}")]
        if isinstance(value, list):
            return [p for k, v in enumerate(value) for p in floats(v, f"{path}[{k}]")]
        return []

    assert floats(data) == [".meta.public_confidence_weight"]
