"""What the CLI prints for users in the report languages (docs/languages.md): --locale where a
command has it, else emb.yaml's languages, else English; problems with input stay English."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from mini_emb import write_mini_workspace

from cyberready.cli import main
from cyberready.report.i18n import translations


def _run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def _languages(ws: Path, languages: list[str]) -> Path:
    emb = yaml.safe_load((ws / "emb.yaml").read_text(encoding="utf-8"))
    emb["languages"] = languages
    (ws / "emb.yaml").write_text(yaml.safe_dump(emb, allow_unicode=True), encoding="utf-8")
    return ws


@pytest.fixture(scope="module")
def mini(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_mini_workspace(
        tmp_path_factory.mktemp("cli-lang") / "ws", {"MINI-A-01": {"level": 2}}
    )


def test_report_locale_fr_says_what_it_wrote_in_french(mini: Path, tmp_path: Path) -> None:
    fast = ["--trials", "20", "--screen-trials", "10", "--format", "md"]
    french = _run("report", str(mini), *fast, "--locale", "fr", "--out", str(tmp_path / "fr.md"))
    english = _run("report", str(mini), *fast, "--out", str(tmp_path / "en.md"))
    last = french.splitlines()[-1]  # after the warning on few trials
    assert last.startswith(f"écrit\u00a0: {tmp_path / 'fr.md'} (technical, md, ")
    assert last.endswith(" octets)") and "wrote" not in french
    # English unchanged: no language in emb.yaml, no --locale
    last = english.splitlines()[-1]
    assert last.startswith(f"wrote {tmp_path / 'en.md'} (technical, md, ")
    assert last.endswith(" bytes)")


def test_validate_speaks_the_workspaces_language(tmp_path: Path) -> None:
    ws = _languages(write_mini_workspace(tmp_path / "ws", {"MINI-A-01": {"level": 1}}), ["ar"])
    out = _run("validate", str(ws))
    _ = translations("ar").gettext
    assert out.startswith(_("valid: %(paths)s") % {"paths": ws})
    assert (
        _("%(answered)s of %(total)s EMB controls answered")
        % {
            "answered": "1",
            "total": "3",
        }
        in out
    )
    summary = out.splitlines()[1]
    assert summary.startswith("mini-emb: ") and "assets" not in summary
    # the note that follows is about the input files (tags to turn into sites): English
    assert out.splitlines()[2].startswith("note: no asset of mini-emb has a site")
    english = _run("validate", str(_languages(ws, ["pt", "en"])))  # pt does not ship
    assert english.startswith(f"valid: {ws}")
    assert "4 assets (13 items), 1 link, 1 election function; 1 of 3 EMB controls" in english


def test_assess_heading_follows_locale_then_emb_yaml(tmp_path: Path) -> None:
    ws = _languages(write_mini_workspace(tmp_path / "ws", {"MINI-A-01": {"level": 1}}), ["es"])
    spanish = _run("assess", str(ws))
    assert spanish.startswith("Preparación de mini-emb al 10 de enero de 2026")
    french = _run("assess", str(ws), "--locale", "fr")
    assert french.startswith("Préparation de mini-emb au 10 janvier 2026")
    english = _run("assess", str(ws), "--locale", "en")
    assert english.startswith("Readiness of mini-emb as of 2026-01-10")


def test_questionnaire_import_summary_in_the_workspace_language_problems_in_english(
    tmp_path: Path,
) -> None:
    ws = _languages(write_mini_workspace(tmp_path / "ws", {"MINI-A-01": {"level": 1}}), ["fr"])
    path = tmp_path / "q.xlsx"
    exported = _run("questionnaire", "export", "--emb", str(ws), "--out", str(path))
    assert exported.strip() == f"écrit\u00a0: {path}"
    imported = _run("questionnaire", "import", str(path), "--into", str(ws))
    _ = translations("fr").gettext
    counts = _("%(frameworks)s: %(answered)d answered (%(na)d n/a), %(unassessed)d unassessed") % {
        "frameworks": "mini",
        "answered": 1,
        "na": 0,
        "unassessed": 2,
    }
    assert (_("nothing changed (%(counts)s); nothing written, no history entry")
            % {"counts": counts}) in imported  # fmt: skip
    # a problem with the file is for whoever fixes it: English, with its cell
    import openpyxl

    wb = openpyxl.load_workbook(path)
    wb["A"]["D4"].value = 7
    wb.save(path)
    bad = CliRunner().invoke(main, ["questionnaire", "import", str(path), "--into", str(ws)])
    assert bad.exit_code == 3
    assert "A!D4" in bad.output and "not in 0–4" in bad.output


@pytest.fixture
def quick_demo_sections(monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo's risks and actions with 20 trials, and no reports (tested elsewhere)."""
    from cyberready.cli import _cmd_demo as demo

    risks, actions = demo._demo_top_risks, demo._demo_top_actions
    monkeypatch.setattr(demo, "_demo_top_risks", lambda ws, locale: risks(ws, locale, trials=20))
    monkeypatch.setattr(
        demo, "_demo_top_actions", lambda ws, locale: actions(ws, locale, trials=20)
    )
    monkeypatch.setattr(demo, "_demo_reports", lambda ws, out, trials, locale: [])


# What the English demo prints in its readiness, risks and actions lines, none of which a
# French or Arabic user should meet (Examplia is "Developing", with a "Medium" confidence).
ENGLISH_DEMO_WORDS = (
    "Developing",
    "Critical gaps",
    "Established",
    "Medium",
    "confidence",
    "expected loss",
    "weight points",
    "top risks",
    "chance of failing",
    "mostly",
    "top actions",
    "trials",
    "quick win",
    "no function failed",
    "no action changes",
    "n/a",
)


@pytest.mark.parametrize(
    ("locale", "tier", "band", "risks", "actions", "date"),
    [
        ("fr", "(En développement)", "niveau de fiabilité moyen", "principaux risques (",
         "actions prioritaires (", "14 mars 2027"),
        ("ar", "(قيد التطوير)", "درجة الموثوقية متوسط", "أبرز المخاطر (",
         "الإجراءات ذات الأولوية (", "14 مارس 2027"),
    ],
    ids=["fr", "ar"],
)  # fmt: skip
@pytest.mark.usefixtures("quick_demo_sections")
def test_demo_locale_names_tiers_bands_risks_and_actions_in_the_language(
    tmp_path: Path, locale: str, tier: str, band: str, risks: str, actions: str, date: str
) -> None:
    out = _run("demo", "--locale", locale, "--out", str(tmp_path / "reports"))
    readiness = next(line for line in out.splitlines() if band in line)
    assert tier in readiness  # the frameworks' own translation of the tier
    assert risks in out and actions in out and date in out
    _ = translations(locale).gettext
    assert (
        _("expected loss %(loss)s weight points per cycle, %(trust)s of it from public trust")[:12]
        in out
    )
    for word in ENGLISH_DEMO_WORDS:
        assert word not in out, word
    english = _run("demo", "--locale", "en", "--out", str(tmp_path / "reports"))
    assert "(Developing)" in english and "confidence Medium" in english  # as before
    assert "top risks (" in english and "top actions (" in english
