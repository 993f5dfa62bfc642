"""Scenarios and the incidents they cite speak the report's language (docs/languages.md).

A scenario file's ``translations:`` block (title and description per locale) and an incident
registry's (title per locale) are checked like a framework's, and a report in French, Spanish or
Arabic names the scenarios and incidents in that language, through the one fallback rule
(``fr_CA``, else ``fr``, else the English), field by field.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from report_workspace import write_workspace

import cyberready
from cyberready.cli import main
from cyberready.models import Scenario
from cyberready.models.vocab import localized
from cyberready.portfolio._record import own_titles
from cyberready.workspace import load_library

QUICK = ["--trials", "20", "--screen-trials", "10", "--seed", "3"]
"""Enough trials for every scenario to have a row; the titles do not depend on the numbers."""

LOCALES = ("fr", "es", "ar")


def _cli(*args: str) -> tuple[int, str]:
    run = CliRunner().invoke(main, list(args))
    return run.exit_code, run.output


# --------------------------------------------------------------------------- shipped texts


def test_every_shipped_scenario_and_incident_is_translated() -> None:
    # A shipped text never falls back to English silently: each scenario has a title and a
    # description, each incident a title, in every language the reports ship in, and none is
    # left as the English.
    lib = load_library()
    scenarios = [s for sid, s in lib.scenarios.items() if lib.is_shipped("scenario", sid)]
    assert len(scenarios) >= 31
    for s in scenarios:
        for loc in LOCALES:
            tr = s.translations.get(loc)
            assert tr is not None and tr.title and tr.description, (s.id, loc)
            assert tr.title != s.title and tr.description != s.description, (s.id, loc)
    assert lib.incidents
    for i in lib.incidents.values():
        for loc in LOCALES:
            cited = i.translations.get(loc)
            assert cited is not None and cited.title and cited.title != i.title, (i.id, loc)


@pytest.fixture(scope="module")
def examplia_reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The technical Markdown report of the shipped example in French and Arabic, by the CLI."""
    out = tmp_path_factory.mktemp("reports")
    pages = {}
    for loc in ("fr", "ar"):
        path = out / f"{loc}.md"
        code, output = _cli(
            "report", str(cyberready.example_path()), "--locale", loc, "--format", "md",
            "--out", str(path), *QUICK,
        )  # fmt: skip
        assert code == 0, output
        pages[loc] = path.read_text(encoding="utf-8")
    return pages


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_a_report_names_the_shipped_scenarios_and_incidents_in_its_language(
    examplia_reports: dict[str, str], locale: str
) -> None:
    page = examplia_reports[locale]
    lib = load_library()
    phish = lib.scenarios["phished-local-credential"]
    # The scenarios table (and the functions' "mainly from", the attack routes) name it in the
    # report's language; the English title, which the report showed before, is gone.
    assert (phish.translations[locale].title or "-") in page
    assert phish.title not in page
    shown = [s for s in lib.scenarios.values() if (s.translations[locale].title or "-") in page]
    assert len(shown) >= 20  # the scenarios table lists every one in scope
    for s in lib.scenarios.values():
        assert s.title not in page, s.id
    arizona = lib.incidents["arizona-sos-2016"]
    assert f"{arizona.translations[locale].title} (2016)" in page
    assert arizona.title not in page


# --------------------------------------------------------------------------- own files


def _own_scenario(ws: Path, translations: object) -> Path:
    """Give the small workspace's ``rep-phish`` scenario a ``translations:`` block; return
    its file."""
    path = ws / "scenarios" / "rep-phish.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["translations"] = translations
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def test_a_bad_locale_or_an_unknown_field_is_an_error_at_its_file_and_line(
    tmp_path: Path,
) -> None:
    ws = write_workspace(tmp_path / "ws")
    path = _own_scenario(
        ws,
        {
            "fr": {"title": "Compte hameçonné", "summary": "Pas un champ de scénario"},
            "xx-YY-bad": {"title": "Quoi"},
        },
    )
    code, output = _cli("validate", str(ws))
    assert code == 3, output
    lines = path.read_text(encoding="utf-8").splitlines()
    typo = next(n for n, text in enumerate(lines, 1) if "summary" in text)
    bad = next(n for n, text in enumerate(lines, 1) if "xx-YY-bad" in text)
    assert f"rep-phish.yaml:{typo}:" in output and "unknown key 'summary'" in output
    assert "(valid: description, title)" in output
    assert f"rep-phish.yaml:{bad}:" in output and "'xx-YY-bad' is not a valid locale" in output
    assert "Traceback" not in output


def test_translations_fall_back_from_the_region_to_the_language_field_by_field(
    tmp_path: Path,
) -> None:
    # fr_CA has its own description but no title: a fr_CA report takes the title from fr.
    # The incident rep-ddos cites as free text is shown as written; the registry's translated
    # incident by its French title.
    ws = write_workspace(tmp_path / "ws")
    _own_scenario(
        ws,
        {
            "fr": {"title": "Compte du personnel hameçonné", "description": "En France."},
            "fr_CA": {"description": "Au Québec."},
        },
    )
    registry = ws / "scenarios" / "incidents.yaml"
    data = yaml.safe_load(registry.read_text(encoding="utf-8"))
    leak = next(i for i in data["items"] if i["id"] == "rep-register-leak-2021")
    leak["translations"] = {"fr": {"title": "Fuite d'une copie du fichier de Testland"}}
    registry.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    scenario = Scenario.model_validate(
        yaml.safe_load((ws / "scenarios" / "rep-phish.yaml").read_text(encoding="utf-8"))
    )
    english = scenario.title
    assert localized(scenario, "title", "fr_CA") == "Compte du personnel hameçonné"
    assert localized(scenario, "description", "fr_CA") == "Au Québec."
    assert localized(scenario, "description", "fr") == "En France."
    pages = {}
    for loc in ("fr_CA", "es"):
        out = tmp_path / f"{loc}.md"
        code, output = _cli(
            "report", str(ws), "--locale", loc, "--format", "md", "--out", str(out), *QUICK
        )
        assert code == 0, output
        pages[loc] = out.read_text(encoding="utf-8")
    assert "Compte du personnel hameçonné" in pages["fr_CA"]
    assert english not in pages["fr_CA"]
    assert "Fuite d'une copie du fichier de Testland" in pages["fr_CA"]
    assert "Testland register copy leaked" not in pages["fr_CA"]
    # Spanish has no entry: the English, as written.
    assert english in pages["es"] and "Testland register copy leaked" in pages["es"]
    assert "Compte du personnel" not in pages["es"]


def test_an_own_scenario_is_anonymised_in_every_language_it_gives(tmp_path: Path) -> None:
    # An anonymised portfolio replaces an EMB's own scenario titles by generic labels: its
    # French title too, which a French donor view would show.
    ws = write_workspace(tmp_path / "ws")
    _own_scenario(ws, {"fr": {"title": "Compte du personnel hameçonné"}})
    titles = dict(own_titles(cyberready.load_workspace(ws)))
    assert titles.get("Compte du personnel hameçonné") == "scenario"
    assert "Phished staff account used to reach the register" in titles
    shipped = load_library().scenarios["phished-local-credential"]
    assert shipped.title not in titles and shipped.translations["fr"].title not in titles
