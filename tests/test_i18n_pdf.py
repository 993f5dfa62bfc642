"""Every audience (technical, advisor, donor, public, and platform with --company) in every
shipped language, in HTML and PDF, through ``cyberready report``: each carries its TLP label;
Arabic is right to left and its PDF is set in a font that has its letters (pdffonts), with
real Arabic text (pdftotext), no replacement characters; the donor summary's headings are
translated. (The language tests of the report contents are in test_i18n_languages.py.)"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from report_workspace import write_workspace

from cyberready.report import AUDIENCES
from cyberready.report.i18n import available_locales, translations
from cyberready.report.numbers import text_direction

ARABIC_FONT = re.compile(r"Noto-?Sans-?Arabic-?UI")  # how pdffonts names Noto Sans Arabic UI
ARABIC_LETTER = re.compile("[\u0621-\u064a]")
HAVE_POPPLER = shutil.which("pdftotext") is not None and shutil.which("pdffonts") is not None


def _visible_text(page: str) -> str:
    """The text a reader sees: no style, no tags, entities decoded, spaces collapsed."""
    page = re.sub(r"<style.*?</style>", " ", page, flags=re.S)
    page = re.sub(r"<[^>]+>", " ", page)
    return re.sub(r"[ \t\r\n]+", " ", html.unescape(page)).strip()


# Every audience in every language, in HTML and PDF, through the CLI, from the small report
# workspace (five assets, an EMB and a platform domain, one platform company): a PDF of the
# Examplia technical report takes WeasyPrint a minute or two, these a few seconds each.

ALL_AUDIENCES = (*AUDIENCES, "platform")
COMPANY = "Chatterly"  # the report workspace's platform scorecard
TLP_OF = {  # as documented in `cyberready report --help`
    "technical": "TLP:AMBER+STRICT",
    "advisor": "TLP:AMBER+STRICT",
    "donor": "TLP:GREEN",
    "public": "TLP:CLEAR",
    "platform": "TLP:AMBER",
}


@pytest.fixture(scope="module")
def small_reports(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    """(locale, audience) -> the report's path without suffix (``.html`` and ``.pdf`` written):
    ``cyberready report WS --audience technical,advisor,donor,public,platform --company
    Chatterly --format html,pdf --locale L``, once per shipped language, as the command a user
    runs (a process each; two at a time, so the PDF layout of one language overlaps another's
    on a second CPU)."""
    pytest.importorskip("weasyprint")
    base = tmp_path_factory.mktemp("languages")
    ws = write_workspace(base / "ws")

    def report(locale: str) -> subprocess.CompletedProcess[str]:
        args = ["report", str(ws), "--audience", ",".join(ALL_AUDIENCES), "--company", COMPANY]
        args += ["--format", "html,pdf", "--locale", locale, "--out", str(base / locale)]
        args += ["--trials", "40", "--screen-trials", "10"]
        return subprocess.run(
            [sys.executable, "-m", "cyberready", *args],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )

    locales = available_locales()
    with ThreadPoolExecutor(max_workers=2) as pool:
        done = dict(zip(locales, pool.map(report, locales), strict=True))
    out: dict[tuple[str, str], Path] = {}
    for locale, res in done.items():
        assert res.returncode == 0, res.stdout + res.stderr
        for audience in ALL_AUDIENCES:
            who = "platform-chatterly" if audience == "platform" else audience
            out[locale, audience] = base / locale / f"rep-emb-{who}"
    return out


@pytest.mark.skipif(not HAVE_POPPLER, reason="needs poppler-utils (pdftotext, pdffonts)")
@pytest.mark.parametrize("audience", ALL_AUDIENCES)
@pytest.mark.parametrize("locale", available_locales())
def test_every_audience_as_html_and_pdf_in_every_language(
    small_reports: dict[tuple[str, str], Path], locale: str, audience: str
) -> None:
    stem = small_reports[locale, audience]
    tlp = TLP_OF[audience]
    direction = text_direction(locale)
    page = stem.with_suffix(".html").read_text(encoding="utf-8")
    assert f'<html lang="{locale}" dir="{direction}">' in page
    assert tlp in _visible_text(page)
    pdf = stem.with_suffix(".pdf")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    flat = " ".join(text.split())
    assert tlp in flat
    assert "\ufffd" not in flat
    if audience == "donor":
        assert translations(locale).gettext("Executive summary") in flat
    fonts = subprocess.run(
        ["pdffonts", str(pdf)], capture_output=True, check=True, text=True
    ).stdout
    if direction == "rtl":
        assert 'dir="rtl"' in page
        assert ARABIC_FONT.search(fonts), fonts
        # real Arabic text, not boxes
        assert len(ARABIC_LETTER.findall(flat)) > (300 if audience == "donor" else 100)
    else:
        assert not ARABIC_FONT.search(fonts), fonts
