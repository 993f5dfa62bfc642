"""The questionnaire workbook in the report languages: instructions, sheet name, headers and
prompts translated (control texts from the frameworks' own translations), the parts the import
reads unchanged, and a workbook filled in in French or Arabic imports exactly like an English
one."""

from __future__ import annotations

import copy
import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from click.testing import CliRunner
from mini_emb import FRAMEWORK, write_mini_workspace

import cyberready
from cyberready.cli import main
from cyberready.report.i18n import translations

HEADER_KEYS = ("Control", "Title", "Objective and guidance", "Level", "Evidence source")


def _export(ws: Path, out: Path, *extra: str) -> openpyxl.Workbook:
    result = CliRunner().invoke(
        main, ["questionnaire", "export", "--emb", str(ws), "--out", str(out), *extra]
    )
    assert result.exit_code == 0, result.output
    return openpyxl.load_workbook(out)


def _hidden(wb: openpyxl.Workbook) -> dict[str, Any]:
    rows = list(wb["_cyberready"].iter_rows(values_only=True))
    return {"info": {r[0]: r[1] for r in rows if r[0] and len(r) > 1}, "rows": rows}


@pytest.fixture(scope="module")
def examplia(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ws = tmp_path_factory.mktemp("examplia") / "ws"
    shutil.copytree(cyberready.example_path(), ws)
    return ws


@pytest.fixture(scope="module")
def english(examplia: Path) -> openpyxl.Workbook:
    return _export(examplia, examplia.parent / "q-en.xlsx", "--locale", "en")


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_a_translated_workbook_keeps_every_key_the_import_reads(
    examplia: Path, english: openpyxl.Workbook, locale: str
) -> None:
    wb = _export(examplia, examplia.parent / f"q-{locale}.xlsx", "--locale", locale)
    _ = translations(locale).gettext
    assert wb.sheetnames[0] == _("Instructions")  # "Instructions" in French too
    assert locale == "fr" or wb.sheetnames[0] != "Instructions"
    assert wb.sheetnames[1:] == english.sheetnames[1:]  # domain sheets: named by domain id
    domain = wb.sheetnames[1]
    headers = [c.value for c in wb[domain][3]][: len(HEADER_KEYS)]
    assert headers == [_(h) for h in HEADER_KEYS]
    assert headers != [c.value for c in english[domain][3]][: len(HEADER_KEYS)]
    # control ids, levels and evidence source keys are the English workbook's
    for col in (1, 4, 5, 8):
        assert [c.value for c in wb[domain]["ABCDEFGH"[col - 1]]][3:] == [
            c.value for c in english[domain]["ABCDEFGH"[col - 1]]
        ][3:]
    prompts = [dv.prompt for dv in wb[domain].data_validations.dataValidation]
    assert _("0 to 4 (see the rubric to the right), or n/a") in prompts
    assert all("n/a" in dv.formula1 for dv in wb[domain].data_validations.dataValidation[:1])
    # the hidden sheet differs only by the language it records
    ours, theirs = _hidden(wb), _hidden(english)
    assert ours["info"]["locale"] == locale
    assert ours["info"]["instructions_sheet"] == wb.sheetnames[0]
    skip = {"locale", "instructions_sheet"}
    assert [r for r in ours["rows"] if r[0] not in skip] == [
        r for r in theirs["rows"] if r[0] not in skip
    ]
    # control titles come from the framework's translations where it has them
    library = cyberready.load_workspace(examplia).library
    first = wb[domain]["A4"].value
    found = library.control(first)
    assert found is not None
    translated = found[1].translations.get(locale)
    if translated is not None and translated.title:
        assert wb[domain]["B4"].value == translated.title
    assert bool(wb[domain].sheet_view.rightToLeft) is (locale == "ar")


def test_french_titles_come_from_the_framework(examplia: Path) -> None:
    # not vacuous: the shipped example's first French-translated control shows in French
    wb = openpyxl.load_workbook(examplia.parent / "q-fr.xlsx")
    library = cyberready.load_workspace(examplia).library
    shown = 0
    for name in wb.sheetnames[1:-1]:
        for row in wb[name].iter_rows(min_row=4, max_col=2, values_only=True):
            found = library.control(str(row[0]))
            tr = found[1].translations.get("fr") if found else None
            if tr is not None and tr.title:
                assert row[1] == tr.title
                shown += 1
    assert shown > 0


def _fill(wb: openpyxl.Workbook, path: Path) -> None:
    """The same answers, typed the same way, whatever the workbook's language."""
    a, b = wb["A"], wb["B"]
    rows = {a.cell(row=r, column=1).value: (a, r) for r in range(4, a.max_row + 1)} | {
        b.cell(row=r, column=1).value: (b, r) for r in range(4, b.max_row + 1)
    }
    sheet, r = rows["MINI-A-01"]
    for col, value in ((4, 4), (5, "observation"), (6, "Rapport 9"), (7, "Note"), (8, None)):
        sheet.cell(row=r, column=col).value = value
    sheet, r = rows["MINI-B-01"]
    for col, value in ((4, "n/a"), (5, "document"), (8, 2)):
        sheet.cell(row=r, column=col).value = value
    wb.worksheets[0]["B6"].value = dt.date(2026, 6, 30)
    wb.worksheets[0]["B7"].value = "Équipe terrain"
    wb.save(path)


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_a_filled_in_translated_workbook_imports_exactly_like_an_english_one(
    tmp_path: Path, locale: str
) -> None:
    written = {}
    for lang in ("en", locale):
        ws = write_mini_workspace(tmp_path / lang / "ws", {"MINI-A-02": {"level": 1}})
        path = tmp_path / lang / "q.xlsx"  # one name: the import records it in a comment
        _fill(_export(ws, path, "--locale", lang), path)
        result = CliRunner().invoke(main, ["questionnaire", "import", str(path), "--into", str(ws)])
        assert result.exit_code == 0, result.output
        written[lang] = (ws / "assessment.yaml").read_text(encoding="utf-8")
    assert written[locale] == written["en"]
    answers = yaml.safe_load(written["en"])["answers"]
    assert answers["MINI-A-01"]["level"] == 4 and answers["MINI-B-01"]["level"] == "n/a"


def test_the_workbook_language_defaults_to_emb_yaml_and_locale_overrides_it(
    tmp_path: Path,
) -> None:
    ws = write_mini_workspace(tmp_path / "ws", {"MINI-A-01": {"level": 1}})
    emb = yaml.safe_load((ws / "emb.yaml").read_text(encoding="utf-8"))
    emb["languages"] = ["pt", "es", "en"]  # Portuguese has no catalog: the next one ships
    (ws / "emb.yaml").write_text(yaml.safe_dump(emb, allow_unicode=True), encoding="utf-8")
    spanish = _export(ws, tmp_path / "es.xlsx")
    assert spanish.sheetnames[0] == "Instrucciones"
    assert spanish["A"]["A3"].value == translations("es").gettext("Control")
    assert spanish["A"]["D3"].value == "Nivel"
    english = _export(ws, tmp_path / "en.xlsx", "--locale", "en")
    assert english.sheetnames[0] == "Instructions"
    assert english["A"]["D3"].value == "Level"
    out = str(tmp_path / "x.xlsx")
    refused = CliRunner().invoke(
        main, ["questionnaire", "export", "--emb", str(ws), "--out", out, "--locale", "pt"]
    )
    assert refused.exit_code == 3
    assert "fr" in refused.output and not (tmp_path / "x.xlsx").exists()


def test_a_renamed_header_is_still_caught_in_a_translated_workbook(tmp_path: Path) -> None:
    ws = write_mini_workspace(tmp_path / "ws", {"MINI-A-01": {"level": 1}})
    path = tmp_path / "fr.xlsx"
    wb = _export(ws, path, "--locale", "fr")
    wb["A"]["D3"].value = "Niveau atteint"
    wb.save(path)
    result = CliRunner().invoke(main, ["questionnaire", "import", str(path), "--into", str(ws)])
    assert result.exit_code == 3
    assert "A!D3" in result.output and "Niveau" in result.output


def _translated_mini(root: Path) -> Path:
    """The mini workspace with every framework text translated into French: its title, the
    domains, the scale levels and each control's title, objective, guidance and rubric."""
    ws = write_mini_workspace(root, {"MINI-A-01": {"level": 1}})
    fw = copy.deepcopy(FRAMEWORK)
    fw["translations"] = {"fr": {"title": "Mini-référentiel"}}
    for level in fw["maturity_scale"]["levels"]:
        level["translations"] = {
            "fr": {"name": f"Niveau-{level['level']}", "description": f"Décrit {level['level']}."}
        }
    for domain in fw["domains"]:
        domain["translations"] = {"fr": {"title": f"Domaine {domain['id']}"}}
    fw["domains"][0]["description"] = "First domain."
    fw["domains"][0]["translations"]["fr"]["description"] = "Premier domaine."
    for control in fw["controls"]:
        tr: dict[str, Any] = {
            "title": f"Titre {control['id']}",
            "objective": f"Objectif {control['id']}.",
        }
        if control["id"] == "MINI-B-01":
            tr["guidance"] = "Les corriger."
        if control["id"] == "MINI-A-02":
            tr["rubric"] = {k: f"rf{k}" for k in range(5)}
        control["translations"] = {"fr": tr}
    (ws / "frameworks" / "mini.yaml").write_text(
        yaml.safe_dump(fw, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return ws


def test_a_french_workbook_shows_the_frameworks_own_french_texts(tmp_path: Path) -> None:
    ws = _translated_mini(tmp_path / "ws")
    wb = _export(ws, tmp_path / "fr.xlsx", "--locale", "fr_CA")  # a region takes its language's
    a, b = wb["A"], wb["B"]
    assert a["A1"].value == "Mini-référentiel — A\u00a0: Domaine A"
    assert a["A2"].value == "Premier domaine."
    # the rubric columns are headed by the French level names
    assert [c.value for c in a[3]][8:13] == [f"Niveau {k}\u00a0: Niveau-{k}" for k in range(5)]
    rows = {r[0]: r for r in a.iter_rows(min_row=4, values_only=True)}
    assert rows["MINI-A-01"][1:3] == ("Titre MINI-A-01", "Objectif MINI-A-01.")
    # the scale's French descriptions stand in for a control without a rubric of its own
    assert rows["MINI-A-01"][8:13] == tuple(f"Décrit {k}." for k in range(5))
    assert rows["MINI-A-02"][8:13] == tuple(f"rf{k}" for k in range(5))
    guidance = translations("fr").gettext("Guidance: %(text)s") % {"text": "Les corriger."}
    assert b["C4"].value == f"Objectif MINI-B-01.\n\n{guidance}"
    instructions = [r for r in wb.worksheets[0].iter_rows(values_only=True) if any(v for v in r)]
    shown = "\n".join(str(v) for r in instructions for v in r if v)
    for k in range(5):
        assert (f"{k} Niveau-{k}", f"Décrit {k}.") in [r[:2] for r in instructions]
    assert "Mini-référentiel" in shown and "Domaine B" in shown
    for english in ("Mini framework", "Alpha", "Documented", "Written down.", "Patch them."):
        assert english not in shown and english not in "\n".join(
            str(v) for s in ("A", "B") for r in wb[s].iter_rows(values_only=True) for v in r if v
        )
    # English is the framework's English
    en = _export(ws, tmp_path / "en.xlsx", "--locale", "en")
    assert en["A"]["A1"].value == "Mini framework — A: Alpha"
    assert en["A"]["I3"].value == "Level 0: None" and en["A"]["I4"].value == "Not done."


def test_a_translated_framework_changes_nothing_the_import_reads(tmp_path: Path) -> None:
    written = {}
    for lang in ("en", "fr", "ar"):
        ws = _translated_mini(tmp_path / lang / "ws")
        path = tmp_path / lang / "q.xlsx"
        _fill(_export(ws, path, "--locale", lang), path)
        result = CliRunner().invoke(main, ["questionnaire", "import", str(path), "--into", str(ws)])
        assert result.exit_code == 0, result.output
        written[lang] = (ws / "assessment.yaml").read_text(encoding="utf-8")
    assert written["fr"] == written["en"] == written["ar"]
