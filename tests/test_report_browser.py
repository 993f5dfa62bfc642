"""The HTML reports in a real headless Chromium, and the PDF reports rendered page by page.

Chromium is Debian's (``/usr/bin/chromium``, installed by ``.ci/run``), driven by Playwright for
Python pointed at that executable (never a downloaded browser), with background networking and
component updates off. The PDF pages are rasterised with poppler's ``pdftoppm``.

``CYBERREADY_UPDATE_SCREENSHOTS=1`` also writes the README screenshots to ``docs/screenshots/``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageStat
from rendered_reports import Renders
from report_workspace import PAYLOAD, write_workspace

import cyberready
from cyberready.report import Audience, build_view, render

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "docs" / "screenshots"
UPDATE_SCREENSHOTS = os.environ.get("CYBERREADY_UPDATE_SCREENSHOTS", "") not in ("", "0")

pytestmark = pytest.mark.browser

needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian chromium")
needs_poppler = pytest.mark.skipif(
    shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None,
    reason="needs poppler-utils",
)

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
]


@pytest.fixture(scope="module")
def example_result(examplia_result: cyberready.AssessmentResult) -> cyberready.AssessmentResult:
    """Examplia, 300 trials, seed 11 (shared with the donor report tests, which render the
    same reports: see ``rendered``)."""
    return examplia_result


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("needs Debian chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield b
        finally:
            b.close()


class PageLog:
    """What a page did: console messages, requests, dialogs, uncaught errors."""

    def __init__(self, page: Any) -> None:
        self.console: list[tuple[str, str]] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        page.on("console", lambda m: self.console.append((m.type, m.text)))
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("pageerror", lambda e: self.errors.append(str(e)))

        def on_dialog(d: Any) -> None:
            self.dialogs.append(d.message)
            d.dismiss()

        page.on("dialog", on_dialog)


def _open(browser: Any, path: Path, width: int = 1100) -> tuple[Any, PageLog]:
    page = browser.new_page(viewport={"width": width, "height": 1400})
    log = PageLog(page)
    page.goto(path.as_uri(), wait_until="load")
    return page, log


def _not_blank(png: Path, *, min_stddev: float = 8.0) -> bool:
    with Image.open(png) as im:
        stat = ImageStat.Stat(im.convert("L"))
    return stat.stddev[0] >= min_stddev


@needs_chromium
@pytest.mark.parametrize("audience", ["technical", "advisor", "donor"])
def test_html_report_in_chromium(
    browser: Any,
    example_result: cyberready.AssessmentResult,
    rendered: Renders,
    audience: Audience,
    tmp_path: Path,
) -> None:
    view = build_view(example_result, audience)
    path = tmp_path / f"{audience}.html"
    path.write_bytes(rendered(example_result, audience, "html"))
    page, log = _open(browser, path)

    # no console errors, no request outside the file itself
    assert [m for m in log.console if m[0] in ("error", "warning")] == []
    assert log.errors == []
    assert log.requests and all(u == path.as_uri() for u in log.requests), log.requests

    # the TLP banner is at the top of the page, with the audience's label
    banner = page.locator(".tlp-banner")
    assert banner.is_visible()
    assert view.banner.tlp in banner.inner_text()
    assert banner.bounding_box()["y"] == 0

    # every chart is drawn: visible, a real size, with marks and text inside
    charts = page.locator("svg.chart")
    expected = {"technical": 6, "advisor": 6, "donor": 3}[audience]
    assert charts.count() == expected
    for k in range(charts.count()):
        chart = charts.nth(k)
        chart.scroll_into_view_if_needed()
        box = chart.bounding_box()
        assert box["width"] > 300 and box["height"] > 150, box
        assert chart.locator("path").count() > 5 and chart.locator("text").count() > 3
        shot = tmp_path / f"{audience}-chart-{k}.png"
        chart.screenshot(path=str(shot))
        assert _not_blank(shot), f"chart {k} of the {audience} report looks blank"

    shot = tmp_path / f"{audience}.png"
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(shot))
    assert _not_blank(shot)
    if UPDATE_SCREENSHOTS and audience in ("technical", "donor"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.set_viewport_size({"width": 1100, "height": 1500})
        page.screenshot(path=str(SCREENSHOTS / f"{audience}-report.png"))
    page.close()


@needs_chromium
def test_markup_in_the_workspace_stays_text_in_chromium(browser: Any, tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws", payload=PAYLOAD)
    result = cyberready.assess(root, trials=100, seed=2)
    for audience in ("technical", "donor"):
        path = tmp_path / f"{audience}.html"
        path.write_bytes(render(build_view(result, audience), "html"))
        page, log = _open(browser, path)
        assert log.dialogs == [] and log.errors == []
        assert page.locator("script").count() == 0
        assert page.locator("main img").count() == 0
        assert page.locator("a[href^='javascript:']").count() == 0
        # the payload is visible as text
        assert '<script>alert("x")</script>' in page.locator("h1 + p").inner_text()
        assert all(u == path.as_uri() for u in log.requests)
        page.close()


# --------------------------------------------------------------------------- PDF pages


@needs_poppler
@pytest.mark.parametrize("audience", ["technical", "donor"])
def test_pdf_pages_are_not_blank_and_carry_the_tlp_label(
    demo_run: tuple[int, str, Path],
    example_result: cyberready.AssessmentResult,
    audience: Audience,
    tmp_path: Path,
) -> None:
    """The PDFs of the session's demo run (conftest), which writes Examplia's reports once for
    every test that reads them: rendering the technical one again here took a minute."""
    pytest.importorskip("weasyprint")
    code, output, out = demo_run
    assert code == 0, output
    view = build_view(example_result, audience)
    pdf = out / f"examplia-iec-{audience}.pdf"
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= (10 if audience == "technical" else 4)
    for k, png in enumerate(pages, start=1):
        assert _not_blank(png), f"page {k} of the {audience} PDF looks blank"
        text = subprocess.run(
            ["pdftotext", "-f", str(k), "-l", str(k), str(pdf), "-"],
            capture_output=True,
            check=True,
        ).stdout.decode()
        assert view.banner.tlp in text, f"page {k} has no {view.banner.tlp} banner"
