"""Report renderers: every format escapes what users typed, templates can be overridden, strings
go through gettext, and PDF without its extra fails with a message naming the extra."""

from __future__ import annotations

import html
import importlib
import io
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import jinja2
import pytest
from click.testing import CliRunner
from markupsafe import escape
from openpyxl import load_workbook
from report_workspace import FORMULA, PAYLOAD, write_workspace

import cyberready
from cyberready import __version__
from cyberready.assess import AssessmentResult
from cyberready.cli import main
from cyberready.errors import InputError, OptionalDependencyError, ReportError
from cyberready.io import markdown_marker
from cyberready.report import Audience, build_view, make_charts, render
from cyberready.report.charts import readiness_chart, to_svg
from cyberready.report.i18n import (
    check_locale,
    extract_catalog,
    load_catalog,
    message_keys,
    translations,
)
from cyberready.report.models import DomainReadiness
from cyberready.report.render import md_escape, render_each, tidy_markdown

HAVE_PDFTOTEXT = shutil.which("pdftotext") is not None


@pytest.fixture(scope="module")
def payload_result(tmp_path_factory: pytest.TempPathFactory) -> AssessmentResult:
    root = write_workspace(tmp_path_factory.mktemp("payload") / "ws", payload=PAYLOAD)
    return cyberready.assess(root, trials=200, seed=5)


AUDIENCES = ["technical", "advisor", "donor", "public"]


# --------------------------------------------------------------------------- escaping


@pytest.mark.parametrize("audience", AUDIENCES)
def test_html_escapes_every_free_text_field(
    payload_result: AssessmentResult, audience: Audience
) -> None:
    out = render(build_view(payload_result, audience), "html").decode()
    assert "<script" not in out.lower()
    assert "<img" not in out.lower()
    assert "onerror=alert(1)>" not in out  # only ever as &gt; text
    # the payload is shown as text: escaped once, in the page and in the charts
    script = '<script>alert("x")</script>'
    assert html.escape(script, quote=False) in out or str(escape(script)) in out
    assert out.count("&lt;script&gt;") >= 3  # EMB name, election name, function titles...
    # no network, no script: the page forbids both
    assert "default-src 'none'" in out
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//|javascript:)""", out, re.I)


@pytest.mark.parametrize("audience", AUDIENCES)
def test_markdown_escapes_every_free_text_field(
    payload_result: AssessmentResult, audience: Audience
) -> None:
    out = render(build_view(payload_result, audience), "md").decode()
    assert "<script" not in out.lower() and "<img" not in out.lower()
    assert "&lt;script&gt;" in out
    # the Markdown link cannot form: its brackets are escaped
    assert not re.search(r"(?<!\\)\[click(?<!\\)\]\(javascript:", out)
    assert r"\[click\](javascript:alert(1))" in out
    # a '|' in a value never splits a table cell
    for line in out.splitlines():
        if line.startswith("|") and "Testland" in line:
            assert " | *b*" not in line


@pytest.mark.parametrize("audience", AUDIENCES)
def test_json_keeps_text_exact_but_never_raw_markup(
    payload_result: AssessmentResult, audience: Audience
) -> None:
    raw = render(build_view(payload_result, audience), "json").decode()
    assert "<" not in raw and ">" not in raw and "&" not in raw
    data = json.loads(raw)
    assert data["meta"]["emb_name"] == f"Electoral Commission of Testland {PAYLOAD}"


@pytest.mark.parametrize("audience", AUDIENCES)
def test_xlsx_stores_text_never_formulas(
    payload_result: AssessmentResult, audience: Audience
) -> None:
    data = render(build_view(payload_result, audience), "xlsx")
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        sheets = [n for n in zf.namelist() if n.startswith("xl/worksheets/")]
        assert sheets
        for name in sheets:
            assert "<f>" not in zf.read(name).decode()  # no formula element anywhere
    wb = load_workbook(io.BytesIO(data))
    texts = [
        str(c.value)
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.value is not None
    ]
    assert any(PAYLOAD in t for t in texts)
    for ws in wb.worksheets:
        assert ws["A1"].value == build_view(payload_result, audience).banner.tlp
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.value.startswith("="):
                    assert c.data_type == "s" and c.quotePrefix
    if audience not in ("donor", "public"):  # the formula is an evidence text
        assert any(t.startswith(FORMULA) for t in texts)


@pytest.mark.skipif(not HAVE_PDFTOTEXT, reason="needs poppler-utils (pdftotext)")
@pytest.mark.parametrize("audience", ["technical", "donor"])
def test_pdf_prints_markup_as_text(payload_result: AssessmentResult, audience: Audience) -> None:
    pytest.importorskip("weasyprint")
    pdf = render(build_view(payload_result, audience), "pdf")
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    flat = " ".join(text.split())
    # markup that had been interpreted would have vanished from the page
    assert '<script>alert("x")</script><img src=x onerror=alert(1)>' in flat


def test_charts_escape_text_and_do_not_typeset_tex(payload_result: AssessmentResult) -> None:
    charts = make_charts(build_view(payload_result, "technical"))
    assert {"readiness", "heatmap", "graph"} <= set(charts)
    for svg in charts.values():
        assert "<script" not in svg and "<img" not in svg
    assert "&lt;script&gt;" in charts["heatmap"]  # scenario titles, escaped by the SVG writer


def test_chart_labels_are_literal_text_not_tex() -> None:
    domain = DomainReadiness(
        framework_id="f",
        framework_title="F",
        domain_id="d",
        title="$x^{2$ & <b>",
        score=50,
        low=40,
        high=60,
        tier="Developing",
        coverage=1,
        controls=1,
        unassessed=0,
    )
    fig = readiness_chart([domain], [(0, "Critical gaps"), (40, "Developing")], str)
    svg = to_svg(fig, "t")
    assert "$x^{2$ &amp; &lt;b&gt;" in svg  # as typed, escaped, not typeset (broken TeX raises)


def test_md_escape_and_tidy() -> None:
    assert str(md_escape("a|b\nc *d* [e](f) <g>")) == r"a\|b c \*d\* \[e\](f) &lt;g&gt;"
    assert (
        tidy_markdown("x\n# H\ny\n\n\n\n| a |\n|---|\nz") == "x\n\n# H\n\ny\n\n| a |\n|---|\n\nz\n"
    )


# --------------------------------------------------------------------------- templates


@pytest.fixture(scope="module")
def plain_result(tmp_path_factory: pytest.TempPathFactory) -> AssessmentResult:
    root = write_workspace(tmp_path_factory.mktemp("plain") / "ws")
    return cyberready.assess(root, trials=100, seed=1)


def test_user_template_overrides_one_file(plain_result: AssessmentResult, tmp_path: Path) -> None:
    (tmp_path / "glossary.html.j2").write_text(
        "<p id='own'>{{ _('Our glossary') }}: {{ view.meta.emb_name }}</p>", encoding="utf-8"
    )
    view = build_view(plain_result, "technical")
    out = render(view, "html", templates_dir=tmp_path).decode()
    assert "<p id='own'>Our glossary: Electoral Commission of Testland</p>" in out
    assert "Executive summary" in out  # everything else still comes from the shipped templates
    default = render(view, "html").decode()
    assert "id='own'" not in default


def test_user_template_is_still_autoescaped(plain_result: AssessmentResult, tmp_path: Path) -> None:
    (tmp_path / "donor.md.j2").write_text("{{ view.meta.country }} {{ '<b>' }}\n", encoding="utf-8")
    (tmp_path / "donor.html.j2").write_text("{{ '<b>x</b>' }}", encoding="utf-8")
    view = build_view(plain_result, "donor")
    assert render(view, "html", templates_dir=tmp_path).decode() == "&lt;b&gt;x&lt;/b&gt;"
    md = render(view, "md", templates_dir=tmp_path).decode()
    assert md == "Testland (fictional) &lt;b&gt;\n" + markdown_marker(__version__)


def test_broken_user_template_names_file_and_line(
    plain_result: AssessmentResult, tmp_path: Path
) -> None:
    (tmp_path / "technical.md.j2").write_text("line one\n{% if %}\n", encoding="utf-8")
    with pytest.raises(ReportError, match=r"technical\.md\.j2:2"):
        render(build_view(plain_result, "technical"), "md", templates_dir=tmp_path)


def test_one_template_environment_per_language_serves_every_render(
    plain_result: AssessmentResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Templates are compiled once per language, not per report: English reports share one
    environment, French gets its own, and neither leaks into the other."""
    render_module = importlib.import_module("cyberready.report.render")  # not report.render()
    made: list[jinja2.Environment] = []
    real = render_module.sandboxed_environment

    def counted(**options: Any) -> jinja2.Environment:
        made.append(real(**options))
        return made[-1]

    monkeypatch.setattr(render_module, "sandboxed_environment", counted)
    folder = tmp_path / "templates"  # empty: the shipped templates, under a key no test used
    folder.mkdir()
    english = build_view(plain_result, "technical")
    first = render(english, "md", templates_dir=folder).decode()
    advisor = render(build_view(plain_result, "advisor"), "md", templates_dir=folder).decode()
    assert len(made) == 1
    assert "Technical report" in first and "Advisor report" in advisor
    french = render(build_view(plain_result, "technical", locale="fr"), "md", templates_dir=folder)
    assert len(made) == 2
    assert "Rapport technique" in french.decode() and "Technical report" not in french.decode()
    again = render(english, "md", templates_dir=folder).decode()
    assert len(made) == 2
    assert again == first and "Rapport technique" not in again
    (folder / "technical.md.j2").write_text("{{ _('Technical report') }}\n", encoding="utf-8")
    own = render(build_view(plain_result, "technical", locale="fr"), "md", templates_dir=folder)
    assert own.decode().startswith("Rapport technique\n")  # a file added later is read
    assert len(made) == 2


def test_shared_charts_are_drawn_again_for_other_inputs(
    plain_result: AssessmentResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Views share drawn charts only when what the charts show is the same: an advisor view in
    French gets its own, French, charts after an English technical view's."""
    render_module = importlib.import_module("cyberready.report.render")
    drawn: list[str] = []
    real = render_module.make_charts

    def counted(view: Any, gettext: Any = None) -> dict[str, str]:
        drawn.append(f"{view.audience}-{view.meta.locale}")
        return dict(real(view, gettext))

    monkeypatch.setattr(render_module, "make_charts", counted)
    charts = render_module.SharedCharts()
    pages: dict[tuple[str, str], bytes] = {}
    runs: list[tuple[Audience, str]] = [("technical", "en"), ("advisor", "fr"), ("advisor", "en")]
    for audience, locale in runs:
        view = build_view(plain_result, audience, locale=locale)
        [(_fmt, pages[audience, locale])] = render_each(view, ["html"], charts=charts)
    assert drawn == ["technical-en", "advisor-fr"]
    svgs = [re.findall(rb"<svg.*?</svg>", page, re.S) for page in pages.values()]
    assert svgs[0] == svgs[2] and svgs[0] != svgs[1] and len(svgs[0]) >= 4
    assert "Score de préparation de chaque domaine".encode() in b"".join(svgs[1])


def test_missing_templates_folder_is_a_report_error(plain_result: AssessmentResult) -> None:
    with pytest.raises(ReportError, match="not a folder"):
        render(build_view(plain_result, "donor"), "html", templates_dir=Path("/nonexistent/x"))


def test_pdf_without_the_extra_names_it(
    plain_result: AssessmentResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import weasyprint -> ImportError
    with pytest.raises(OptionalDependencyError) as info:
        render(build_view(plain_result, "donor"), "pdf")
    assert "pip install 'cyberready[pdf]'" in str(info.value)
    assert info.value.exit_code == 2


def test_unknown_format_is_a_report_error(plain_result: AssessmentResult) -> None:
    with pytest.raises(ReportError, match="unknown report format 'docx'"):
        render(build_view(plain_result, "donor"), "docx")  # type: ignore[arg-type]  # an unknown format, on purpose


# --------------------------------------------------------------------------- gettext


def test_pot_catalog_is_up_to_date() -> None:
    pot = Path(cyberready.report.__file__).parent / "locales" / "cyberready.pot"
    assert message_keys(load_catalog(pot)) == message_keys(extract_catalog()), (
        "locales/cyberready.pot is stale: run python -m cyberready.report.i18n"
    )
    en = pot.parent / "en" / "LC_MESSAGES" / "cyberready.po"
    assert message_keys(load_catalog(en)) == message_keys(load_catalog(pot))


def test_template_strings_go_through_gettext(
    plain_result: AssessmentResult, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    catalog = tmp_path / "xx" / "LC_MESSAGES"
    catalog.mkdir(parents=True)
    (catalog / "cyberready.po").write_text(
        'msgid "Executive summary"\nmsgstr "Résumé exécutif"\n\n'
        'msgid "Readiness by domain"\nmsgstr "Préparation par domaine"\n',
        encoding="utf-8",
    )
    monkeypatch.setattr("cyberready.report.i18n._locales_dir", lambda: tmp_path)
    view = build_view(plain_result, "donor", locale="xx")
    out = render(view, "html").decode()
    assert "Résumé exécutif" in out and "Executive summary" not in out
    charts = make_charts(view)
    assert "Préparation par domaine" in charts["readiness"]  # chart titles too
    assert 'lang="xx"' in out


def test_a_locale_is_checked_against_the_shipped_catalogs(
    plain_result: AssessmentResult,
) -> None:
    assert check_locale("en") == "en"
    assert check_locale("en-gb") == check_locale("en_GB") == "en_GB"
    assert translations("en_GB").gettext("Glossary") == "Glossary"
    for bad, says in (("pt", "no translation into 'pt'"), ("xx-YY-z", "is not a locale")):
        with pytest.raises(InputError, match=says) as err:
            check_locale(bad)
        assert "shipped report languages: " in str(err.value.problems[0])
        assert "en" in str(err.value.problems[0]).split("shipped report languages: ")[1]
    with pytest.raises(InputError, match="'pt_BR'"):
        build_view(plain_result, "donor", locale="pt_BR")


def test_report_refuses_an_unshipped_locale_before_running(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    args = ["report", str(cyberready.example_path()), "--locale", "pt", "--out", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 3
    assert "no translation into 'pt'" in result.output and "en" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def _catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, locale: str, text: str) -> Path:
    """A temporary catalog for ``locale``, made the only shipped one."""
    po = tmp_path / locale / "LC_MESSAGES" / "cyberready.po"
    po.parent.mkdir(parents=True)
    po.write_text(text, encoding="utf-8")
    monkeypatch.setattr("cyberready.report.i18n._locales_dir", lambda: tmp_path)
    return po


def test_a_catalog_handles_plurals_continuations_and_fuzzy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An explicit plural rule: Babel would otherwise take CLDR's French one (three forms).
    text = (
        'msgid ""\nmsgstr "Language: fr\\n"\n"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n\n'
        '#, fuzzy\nmsgid "Old"\nmsgstr "Vieux"\n\n'
        'msgid "one %(num)d day"\nmsgid_plural "%(num)d days"\n'
        'msgstr[0] "%(num)d jour"\nmsgstr[1] "%(num)d "\n"jours"\n'
    )
    po = _catalog(tmp_path, monkeypatch, "fr", text)
    t = translations("fr")
    assert t.gettext("Old") == "Old"  # a fuzzy translation is not used
    assert t.ngettext("one %(num)d day", "%(num)d days", 1) == "%(num)d jour"
    assert t.ngettext("one %(num)d day", "%(num)d days", 2) == "%(num)d jours"
    assert message_keys(load_catalog(po)) == {
        (None, "Old"),
        (None, ("one %(num)d day", "%(num)d days")),
    }
    po.write_text("bogus line\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"cyberready\.po:1"):
        load_catalog(po)


_POLISH = (
    'msgid ""\nmsgstr ""\n"Language: pl\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"Plural-Forms: nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && '
    '(n%100<10 || n%100>=20) ? 1 : 2);\\n"\n\n'
    'msgid "%(num)d day"\nmsgid_plural "%(num)d days"\n'
    'msgstr[0] "%(num)d dzień"\nmsgstr[1] "%(num)d dni (2-4)"\nmsgstr[2] "%(num)d dni"\n\n'
    'msgid "Plan"\nmsgstr "Plan działań"\n\n'
    'msgctxt "month"\nmsgid "May"\nmsgstr "Maj"\n\n'
    'msgid "May"\nmsgstr "Może"\n'
)


def test_plural_forms_follow_the_catalogs_own_rule(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _catalog(tmp_path, monkeypatch, "pl", _POLISH)
    t = translations("pl")
    forms = [t.ngettext("%(num)d day", "%(num)d days", n) % {"num": n} for n in (1, 2, 5, 22)]
    assert forms == ["1 dzień", "2 dni (2-4)", "5 dni", "22 dni (2-4)"]
    assert t.ngettext("%(num)d hour", "%(num)d hours", 5) == "%(num)d hours"  # untranslated
    assert t.gettext("Plan") == "Plan działań"


def test_a_message_context_is_distinct_from_the_bare_msgid(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _catalog(tmp_path, monkeypatch, "pl", _POLISH)
    t = translations("pl")
    assert t.pgettext("month", "May") == "Maj"
    assert t.gettext("May") == "Może"
    assert t.pgettext("verb", "May") == "May"  # another context: untranslated


def test_templates_get_context_and_plural_functions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _catalog(tmp_path, monkeypatch, "pl", _POLISH)
    env = jinja2.Environment(extensions=["jinja2.ext.i18n"], autoescape=True)
    install = env.install_gettext_translations  # type: ignore[attr-defined]  # by ext.i18n
    install(translations("pl"), newstyle=True)
    tpl = env.from_string(
        '{{ pgettext("month", "May") }}|{{ _("May") }}|'
        '{{ ngettext("%(num)d day", "%(num)d days", 5) }}'
    )
    assert tpl.render() == "Maj|Może|5 dni"


def test_a_catalog_is_compiled_once_per_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    po = _catalog(tmp_path, monkeypatch, "pl", _POLISH)
    assert translations("pl") is translations("pl_PL")
    po.write_text(_POLISH.replace("Plan działań", "Plan pracy"), encoding="utf-8")
    assert translations("pl").gettext("Plan") == "Plan pracy"


def test_xlsx_formats_shares_money_and_hours_and_filters_every_table(
    plain_result: AssessmentResult,
) -> None:
    wb = load_workbook(io.BytesIO(render(build_view(plain_result, "technical"), "xlsx")))

    def column(sheet: str, header: str) -> list[Any]:
        ws = wb[sheet]
        headers = [c.value for c in ws[2]]
        k = headers.index(header) + 1
        return [r[k - 1] for r in ws.iter_rows(min_row=3) if r[k - 1].value is not None]

    def chance_format(value: Any) -> str:  # whole percent; <1% and >99% as the other formats
        if value > 0 and round(value * 100) == 0:
            return '"<1%"'
        if value < 1 and round(value * 100) == 100:
            return '">99%"'
        return "0%"

    for sheet, header, number_format in (
        ("Scenarios", "Likelihood", chance_format),
        ("Scenarios", "Some function fails, if attempted", chance_format),
        (
            "Scenarios",
            "Expected loss (weight points)",
            lambda v: "0.000" if v >= 0.0005 or v == 0 else '"<0.001"',
        ),
        ("Functions", "Chance of failure", chance_format),
        ("Actions", "Cost low (USD)", lambda v: '"$"#,##0'),
        ("Readiness", "Answered", chance_format),
    ):
        cells = column(sheet, header)
        assert cells, (sheet, header)
        for c in cells:
            assert c.number_format == number_format(c.value), (sheet, header, c.value)
    hours = column("Scenarios", "Hours to impact, median")
    assert all(c.number_format == "0.0" for c in hours)
    summary = {r[0].value: r[1] for r in wb["Summary"].iter_rows(min_row=3)}
    assert summary["Answered"].number_format == chance_format(summary["Answered"].value)
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A3", ws.title
        if ws.max_row > 2:
            assert ws.auto_filter.ref is not None and ws.auto_filter.ref.startswith("A2:"), ws.title
