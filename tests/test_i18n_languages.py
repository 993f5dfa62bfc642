"""Report languages: every shipped catalog is complete and keeps its placeholders; every
audience of the example renders in every shipped language with its TLP label, no English
interface text, numbers and dates in the language's own style, and Arabic right to left in a
font that has its letters. (Every audience as HTML and PDF through the CLI, fonts and text
read back from the PDF: test_i18n_pdf.py.)"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from openpyxl import load_workbook
from rendered_reports import Renders
from report_workspace import write_workspace

import cyberready
from cyberready.assess import AssessmentResult
from cyberready.cli import main
from cyberready.report import (
    AUDIENCES,
    Audience,
    PublicView,
    TechnicalView,
    build_view,
    numbers,
    render,
)
from cyberready.report.i18n import available_locales, load_catalog, translations
from cyberready.report.numbers import text_direction

LOCALES_DIR = Path(cyberready.__file__).parent / "report" / "locales"
TRANSLATED = [loc for loc in available_locales() if loc != "en"]
RTL = [loc for loc in TRANSLATED if text_direction(loc) == "rtl"]
ARABIC_LETTER = re.compile("[\u0621-\u064a]")
# Placeholders a translation must keep: %(name)s / %(n).0f / %%, {name}, and the markup that
# carries meaning (<strong>, Markdown bold).
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[-#0 +]*\d*(?:\.\d+)?[sdgf]|%%|\{[a-z_]+\}|</?strong>|\*\*")


def test_arabic_french_and_spanish_are_shipped() -> None:
    # A language ships only with a complete catalog (the completeness test below).
    assert {"en", "fr", "es", "ar"} <= set(available_locales())


@pytest.fixture(scope="module")
def result(examplia_quick: AssessmentResult) -> AssessmentResult:
    """Examplia with few trials (shared with the typography tests)."""
    return examplia_quick


def _page(rendered: Renders, result: AssessmentResult, locale: str, audience: Audience) -> str:
    """The HTML report of ``audience`` in ``locale``, rendered once per session."""
    return rendered(result, audience, "html", locale).decode()


# --------------------------------------------------------------------------- catalogs


@pytest.mark.parametrize("locale", TRANSLATED)
def test_every_message_is_translated(locale: str) -> None:
    template = load_catalog(LOCALES_DIR / "cyberready.pot")
    catalog = load_catalog(LOCALES_DIR / locale / "LC_MESSAGES" / "cyberready.po")
    assert not catalog.fuzzy
    missing, fuzzy = [], []
    for message in template:
        if not message.id:
            continue
        found = catalog.get(message.id, context=message.context)
        if found is None or not all(
            found.string if isinstance(found.string, tuple) else (found.string,)
        ):
            missing.append(message.id)
        elif found.fuzzy:
            fuzzy.append(message.id)
    assert not missing, f"{locale}: {len(missing)} untranslated, e.g. {missing[:3]}"
    assert not fuzzy, f"{locale}: {len(fuzzy)} fuzzy, e.g. {fuzzy[:3]}"


@pytest.mark.parametrize("locale", TRANSLATED)
def test_translations_keep_every_placeholder(locale: str) -> None:
    catalog = load_catalog(LOCALES_DIR / locale / "LC_MESSAGES" / "cyberready.po")
    wrong = []
    for message in catalog:
        if not message.id or not message.string:
            continue
        if isinstance(message.id, str):
            pairs = [(message.id, message.string)]
        else:  # every plural form keeps the plural msgid's placeholders
            pairs = [(message.id[1], form) for form in message.string]
        for source, text in pairs:
            if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(str(text))):
                wrong.append((source, text))
    assert not wrong, f"{locale}: placeholders changed in {wrong[:2]}"


def test_the_placeholder_check_has_teeth() -> None:
    source = "%(num)d of %(total)d controls, <strong>%(n)s</strong>, {share}, 5%%"
    kept = "%(num)d sur %(total)d mesures, <strong>%(n)s</strong>, {share}, 5 %%"
    assert sorted(PLACEHOLDER.findall(source)) == sorted(PLACEHOLDER.findall(kept))
    for broken in (kept.replace("%(total)d", "%(totale)d"), kept.replace("{share}", "{part}")):
        assert sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(broken))


# --------------------------------------------------------------------------- rendering


def _visible_text(page: str) -> str:
    """The text a reader sees: no style, no attributes, entities decoded, spaces collapsed."""
    page = re.sub(r"<style.*?</style>", " ", page, flags=re.S)
    page = re.sub(r"<[^>]+>", " ", page)
    # Only ASCII spaces collapse: the no-break spaces of French numbers (12 000 $US) are kept.
    return re.sub(r"[ \t\r\n]+", " ", html.unescape(page)).strip()


def _english_interface_texts(locale: str) -> list[str]:
    """Catalog messages (the interface's own English sentences and labels of three or more
    words) that the translation writes differently: none may appear in a translated report."""
    t = translations(locale)
    out = []
    for message in load_catalog(LOCALES_DIR / "cyberready.pot"):
        if not message.id or not isinstance(message.id, str) or "%" in message.id:
            continue
        if "{" in message.id or len(message.id.split()) < 3:
            continue
        if t.gettext(message.id) != message.id:
            out.append(message.id)
    return out


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("locale", TRANSLATED)
def test_every_audience_renders_in_every_language(
    result: AssessmentResult, rendered: Renders, locale: str, audience: Audience
) -> None:
    view = build_view(result, audience, locale=locale)
    page = _page(rendered, result, locale, audience)
    direction = text_direction(locale)
    assert f'<html lang="{locale}" dir="{direction}">' in page
    text = _visible_text(page)
    # TLP 2.0 labels stay as they are written in every language; their meaning is translated.
    assert view.banner.tlp in text
    english_banner = {
        "TLP:AMBER+STRICT": "Limited disclosure: share only within the recipient organisation",
        "TLP:AMBER": "Limited disclosure: share only within the recipient organisation and its",
        "TLP:GREEN": "Limited disclosure: share within the recipient's community",
        "TLP:CLEAR": "Disclosure is not limited: may be published and shared freely",
    }[view.banner.tlp]
    assert english_banner not in text
    assert view.banner.text in text and view.banner.text.split(":")[0] not in english_banner
    left = [s for s in _english_interface_texts(locale) if s in text]
    assert not left, f"English interface text in the {locale} {audience} report: {left[:3]}"
    # Numbers and dates in the language's own style (Babel/CLDR), not the English one.
    date = view.meta.as_of
    assert isinstance(date, dt.date)
    assert numbers.date(date, locale) in text  # 1 novembre 2026, 1 نوفمبر 2026
    assert numbers.date(date) not in text  # never 1 November 2026
    markdown = render(view, "md").decode()
    assert view.banner.tlp in markdown
    assert not [s for s in _english_interface_texts(locale) if s in markdown]


def test_costs_are_written_the_french_way(result: AssessmentResult, rendered: Renders) -> None:
    if "fr" not in TRANSLATED:
        pytest.skip("French does not ship")
    text = _visible_text(_page(rendered, result, "fr", "technical"))
    assert re.search(r"\d{1,3}(?:\u202f\d{3})+\xa0\$US", text)  # 12 000 $US
    assert not re.search(r"\$\d{1,3},\d{3}", text)  # never $12,000
    assert re.search(r"\d\xa0%", text)  # 8 %


@pytest.mark.parametrize("locale", RTL)
def test_a_right_to_left_report_is_mirrored_and_set_in_an_arabic_font(
    result: AssessmentResult, rendered: Renders, locale: str
) -> None:
    page = _page(rendered, result, locale, "technical")
    assert 'dir="rtl"' in page
    assert '[dir="rtl"] th, [dir="rtl"] td { text-align: right; }' in page
    assert "Noto Sans Arabic UI" in page.split("<svg", 1)[1]  # chart text too
    assert ARABIC_LETTER.search(_visible_text(page))


def test_control_titles_fall_back_to_english_and_the_report_says_how_many(
    result: AssessmentResult, rendered: Renders
) -> None:
    if not TRANSLATED:
        pytest.skip("no translated language ships")
    locale = TRANSLATED[0]
    view = build_view(result, "technical", locale=locale)
    lib = result.workspace.library
    expected = 0
    for c in result.readiness.controls:
        found = lib.control(c.control)
        assert found is not None
        tr = found[1].translations.get(locale)
        expected += tr is None or not tr.title
    assert view.meta.controls_total == len(result.readiness.controls) > 0
    assert view.meta.controls_in_english == expected
    text = _visible_text(_page(rendered, result, locale, "technical"))
    if expected:
        t = translations(locale)
        sentence = t.ngettext(
            "%(num)d of %(total)d controls is shown in English: its framework has no "
            "translation into this language yet.",
            "%(num)d of %(total)d controls are shown in English: their framework has no "
            "translation into this language yet.",
            expected,
        ) % {"num": expected, "total": view.meta.controls_total}
        assert sentence in text
    english_view = build_view(result, "technical", locale="en")
    assert english_view.meta.controls_in_english == 0


# --------------------------------------------------------------------------- CLI


def test_emb_languages_set_the_default_and_locale_overrides_it(tmp_path: Path) -> None:
    if "fr" not in TRANSLATED:
        pytest.skip("French does not ship")
    ws = write_workspace(tmp_path / "ws")  # a small workspace: two quick assessments
    emb = ws / "emb.yaml"
    data = yaml.safe_load(emb.read_text(encoding="utf-8"))
    data["languages"] = ["pt", "fr", "en"]  # pt does not ship: the first shipped one is used
    emb.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    base = ["report", str(ws), "--audience", "donor", "--format", "md", "--trials", "20"]
    runner = CliRunner()
    french = runner.invoke(main, [*base, "--out", str(tmp_path / "fr.md")])
    assert french.exit_code == 0, french.output
    english = runner.invoke(main, [*base, "--locale", "en", "--out", str(tmp_path / "en.md")])
    assert english.exit_code == 0, english.output
    fr_text = (tmp_path / "fr.md").read_text(encoding="utf-8")
    en_text = (tmp_path / "en.md").read_text(encoding="utf-8")
    assert translations("fr").gettext("Donor summary") in fr_text
    assert "Donor summary" in en_text and "Donor summary" not in fr_text


@pytest.mark.parametrize("locale", TRANSLATED)
def test_xlsx_sheets_and_headers_are_translated(result: AssessmentResult, locale: str) -> None:
    view = build_view(result, "technical", locale=locale)
    wb = load_workbook(io.BytesIO(render(view, "xlsx")))
    _ = translations(locale).gettext
    assert _("Summary") in wb.sheetnames and "Summary" not in wb.sheetnames
    for ws in wb.worksheets:
        assert ws["A1"].value == view.banner.tlp  # the TLP label, as written in every language
        assert ws["B1"].value == view.banner.text
    english = set(_english_interface_texts(locale))
    headers = {str(c.value) for ws in wb.worksheets for c in ws[2] if c.value is not None}
    assert not headers & english


# --------------------------------------------------------------------------- framework texts


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_framework_texts_are_shown_translated(
    result: AssessmentResult, rendered: Renders, locale: str
) -> None:
    # Domain titles, tier names, scale level names and framework titles come from the
    # frameworks' own translations, in the view and on the page.
    lib = result.workspace.library
    usaid, ifes = lib.frameworks["usaid-ecbs"], lib.frameworks["ifes-tech-guidelines"]
    view = build_view(result, "technical", locale=locale)
    assert isinstance(view, TechnicalView)
    domain_titles = {d.title for d in view.readiness.domains}
    assert usaid.domains[0].translations[locale].title in domain_titles
    assert not domain_titles & {d.title for fw in (usaid, ifes) for d in fw.domains}
    tier_names = [name for _lo, name in view.readiness.tiers]
    assert tier_names == [t.translations[locale].name for t in usaid.tiers]
    assert view.readiness.tier in tier_names
    assert {d.tier for d in view.readiness.domains} <= set(tier_names)
    assert {f.title for f in view.readiness.frameworks} == {
        fw.translations[locale].title for fw in (usaid, ifes)
    }
    level_names = {lv.translations[locale].name for lv in ifes.maturity_scale.levels}
    shown = {lv.name for c in view.platform_commitments for lv in c.levels if lv.name}
    assert shown and shown <= level_names
    text = _visible_text(_page(rendered, result, locale, "technical"))
    for words in (usaid.domains[0].translations[locale].title, view.readiness.tier, *shown):
        assert html.unescape(words or "") in text
    assert usaid.domains[0].title not in text
    public = build_view(result, "public", locale=locale)
    assert isinstance(public, PublicView)
    assert public.bands == tuple(tier_names) and public.band in tier_names
    translated = {d.translations[locale].title for fw in (usaid, ifes) for d in fw.domains}
    assert public.measures and {m.domain_title for m in public.measures} <= translated
    assert {d.title for d in public.domains} <= translated


def test_a_framework_text_without_translation_falls_back_to_english(
    result: AssessmentResult,
) -> None:
    # Per item: a domain that lost its French title, and tiers that lost their French names,
    # are shown in English; the other domains stay French.
    import dataclasses

    ws = result.workspace
    lib = ws.library

    def untranslated_tiers(fid: str) -> Any:
        fw = lib.frameworks[fid]
        return fw.model_copy(
            update={"tiers": tuple(t.model_copy(update={"translations": {}}) for t in fw.tiers)}
        )

    usaid = untranslated_tiers("usaid-ecbs")
    vr, *others = usaid.domains
    usaid = usaid.model_copy(
        update={"domains": (vr.model_copy(update={"translations": {}}), *others)}
    )
    frameworks = {
        **lib.frameworks,
        "usaid-ecbs": usaid,
        "ifes-tech-guidelines": untranslated_tiers("ifes-tech-guidelines"),
    }
    library = dataclasses.replace(lib, frameworks=frameworks)
    changed = dataclasses.replace(result, workspace=dataclasses.replace(ws, library=library))
    view = build_view(changed, "technical", locale="fr")
    assert isinstance(view, TechnicalView)
    titles = {
        d.domain_id: d.title for d in view.readiness.domains if d.framework_id == "usaid-ecbs"
    }
    assert titles["VR"] == vr.title == "Voter registration"
    assert titles["RM"] == "Gestion des résultats"
    assert [name for _lo, name in view.readiness.tiers] == [t.name for t in usaid.tiers]
    assert view.readiness.tier in {t.name for t in usaid.tiers}
    text = _visible_text(render(view, "html").decode())
    assert "Voter registration" in text and "Gestion des résultats" in text
