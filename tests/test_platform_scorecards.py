"""Platform scorecards on Examplia, through the CLI: one company's scorecard workbook exported
with ``questionnaire export --company``, filled in and imported back into its ``platforms/``
file with the EMB questionnaire's history rules; and the reports' company × commitment table
in every audience and format."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

import cyberready
from cyberready.cli import main
from cyberready.workspace import load_workspace

CARD_DATE = "2026-10-20"  # both Examplia scorecards
NEW_DATE = dt.date(2027, 1, 15)


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    return Path(shutil.copytree(cyberready.example_path(), tmp_path / "examplia"))


def _run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args))


def _export(ws: Path, out: Path, company: str, *extra: str) -> Any:
    return _run(
        "questionnaire", "export", "--emb", str(ws), "--company", company, "--out", str(out), *extra
    )


def _rows(path: Path) -> dict[str, tuple[Any, ...]]:
    """control id -> (level, source, evidence, notes, target) of every domain sheet."""
    wb = openpyxl.load_workbook(path)
    out = {}
    for sheet in wb.sheetnames[1:-1]:
        for row in wb[sheet].iter_rows(min_row=4, max_col=8, values_only=True):
            if row[0]:
                out[str(row[0])] = row[3:8]
    return out


def _fill(path: Path, levels: dict[str, Any], as_of: dt.date | None = None) -> None:
    wb = openpyxl.load_workbook(path)
    todo = dict(levels)
    for sheet in wb.sheetnames[1:-1]:
        for r in range(4, wb[sheet].max_row + 1):
            cid = wb[sheet].cell(row=r, column=1).value
            if isinstance(cid, str) and cid in todo:
                wb[sheet].cell(row=r, column=4).value = todo.pop(cid)
    assert not todo
    if as_of is not None:
        wb["Instructions"]["B6"].value = as_of
    wb.save(path)


def _card(ws: Path, company: str) -> Any:
    return next(c for c in load_workspace(ws).platforms if c.company == company)


def _kept(ws: Path) -> list[str]:
    folder = ws / "platforms" / "history"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def test_company_workbook_lists_its_commitments_with_answers_prefilled(
    ws: Path, tmp_path: Path
) -> None:
    out = tmp_path / "chirper.xlsx"
    result = _export(ws, out, "Chirper")
    assert result.exit_code == 0, result.output
    rows = _rows(out)
    assert sorted(rows) == [f"TCG-{k:02d}" for k in range(1, 14)]  # no EMB control
    assert rows["TCG-04"][:2] == (4, "test")
    assert rows["TCG-10"][4] == 3  # target
    wb = openpyxl.load_workbook(out)
    intro = wb["Instructions"]
    assert "Chirper" in str(intro["A1"].value)
    assert intro["B6"].value.date() == dt.date.fromisoformat(CARD_DATE)
    headers = [c.value for c in next(wb[wb.sheetnames[1]].iter_rows(min_row=3, max_row=3))]
    assert any(str(h).startswith("Level 4:") for h in headers)  # the scale heads the rubrics


def test_unchanged_scorecard_writes_nothing_and_a_new_date_keeps_the_old_one(
    ws: Path, tmp_path: Path
) -> None:
    before = (ws / "platforms" / "vidstream.yaml").read_bytes()
    out = tmp_path / "vidstream.xlsx"
    assert _export(ws, out, "vidstream").exit_code == 0  # by file name
    result = _run("questionnaire", "import", str(out), "--into", str(ws))
    assert result.exit_code == 0, result.output
    assert "nothing changed" in result.output
    assert (ws / "platforms" / "vidstream.yaml").read_bytes() == before
    assert _kept(ws) == []

    _fill(out, {"TCG-06": 2, "TCG-04": 1}, as_of=NEW_DATE)
    result = _run("questionnaire", "import", str(out), "--into", str(ws))
    assert result.exit_code == 0, result.output
    assert "VidStream" in result.output
    assert _kept(ws) == [f"vidstream-{CARD_DATE}.yaml"]
    assert (ws / "platforms" / "history" / f"vidstream-{CARD_DATE}.yaml").read_bytes() == before
    card = _card(ws, "VidStream")
    assert card.as_of == NEW_DATE
    assert (card.answers["TCG-06"].level, card.answers["TCG-04"].level) == (2, 1)
    # evidence and notes of the other commitments came back unchanged
    assert card.answers["TCG-10"].notes.startswith("No public information")
    assert _run("validate", str(ws)).exit_code == 0


def test_a_scorecard_history_linked_out_of_the_workspace_receives_nothing(
    ws: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "another-emb-history"
    elsewhere.mkdir()
    (ws / "platforms" / "history").symlink_to(elsewhere)
    before = (ws / "platforms" / "vidstream.yaml").read_bytes()
    out = tmp_path / "vidstream.xlsx"
    assert _export(ws, out, "vidstream").exit_code == 0
    _fill(out, {"TCG-06": 2}, as_of=NEW_DATE)
    result = _run("questionnaire", "import", str(out), "--into", str(ws))
    assert result.exit_code == 3, result.output
    assert "link that leaves the workspace" in result.output
    assert list(elsewhere.iterdir()) == []
    assert (ws / "platforms" / "vidstream.yaml").read_bytes() == before


def test_changed_scorecard_with_the_old_date_is_refused_unless_as_of(
    ws: Path, tmp_path: Path
) -> None:
    out = tmp_path / "chirper.xlsx"
    assert _export(ws, out, "chirper").exit_code == 0
    _fill(out, {"TCG-10": 3})
    result = _run("questionnaire", "import", str(out), "--into", str(ws))
    assert result.exit_code == 3
    assert "same date" in result.output and f"--as-of {CARD_DATE}" in result.output
    assert _card(ws, "Chirper").answers["TCG-10"].level == 2
    result = _run("questionnaire", "import", str(out), "--into", str(ws), "--as-of", CARD_DATE)
    assert result.exit_code == 0, result.output
    assert _card(ws, "Chirper").answers["TCG-10"].level == 3
    assert _kept(ws) == [f"chirper-{CARD_DATE}.yaml"]


def test_scorecard_is_imported_on_its_own(ws: Path, tmp_path: Path) -> None:
    card = tmp_path / "chirper.xlsx"
    emb = tmp_path / "emb.xlsx"
    assert _export(ws, card, "Chirper").exit_code == 0
    assert _run("questionnaire", "export", "--emb", str(ws), "--out", str(emb)).exit_code == 0
    result = _run("questionnaire", "import", str(emb), str(card), "--into", str(ws))
    assert result.exit_code == 3
    assert "separate runs" in result.output


def test_new_company_gets_a_blank_scorecard_and_typos_are_refused(ws: Path, tmp_path: Path) -> None:
    out = tmp_path / "new.xlsx"
    assert _export(ws, out, "Chirpr").exit_code == 3  # close to Chirper: a typo
    assert _export(ws, tmp_path / "x.csv", "Chirper").exit_code == 3  # a CSV has no company
    result = _export(ws, out, "Picturegram")
    assert result.exit_code == 0, result.output
    assert all(r[0] is None for r in _rows(out).values())
    _fill(out, {"TCG-01": 2, "TCG-02": "n/a"}, as_of=NEW_DATE)
    result = _run("questionnaire", "import", str(out), "--into", str(ws))
    assert result.exit_code == 0, result.output
    card = _card(ws, "Picturegram")
    assert (ws / "platforms" / "picturegram.yaml").is_file()
    assert {k: a.level for k, a in card.answers.items()} == {"TCG-01": 2, "TCG-02": "n/a"}
    assert card.framework == "ifes-tech-guidelines"


def test_reports_show_each_commitment_level_per_company(ws: Path, tmp_path: Path) -> None:
    out = tmp_path / "reports"
    result = _run(
        "report",
        str(ws),
        "--audience",
        "advisor,donor",
        "--format",
        "html,md,json,xlsx",
        "--trials",
        "20",
        "--out",
        str(out),
    )
    assert result.exit_code == 0, result.output
    for audience in ("advisor", "donor"):
        md = (out / f"examplia-iec-{audience}.md").read_text(encoding="utf-8")
        html = (out / f"examplia-iec-{audience}.html").read_text(encoding="utf-8")
        # VidStream did not answer TCG-06; Chirper is at level 4 on TCG-04, VidStream at 0
        row = next(line for line in md.splitlines() if "`TCG-04`" in line)
        assert row.count("|") == 4 and "| 4 (" in row and "| 0 (" in row
        assert "| not assessed |" in next(line for line in md.splitlines() if "`TCG-06`" in line)
        assert "<th>Chirper</th><th>VidStream</th>" in html
        assert "TCG-13" in html
        view = json.loads((out / f"examplia-iec-{audience}.json").read_text(encoding="utf-8"))
        assert [p["company"] for p in view["platforms"]] == ["Chirper", "VidStream"]
        rows = {c["control_id"]: c["levels"] for c in view["platform_commitments"]}
        assert len(rows) == 13
        assert [lv["level"] for lv in rows["TCG-06"]] == [2, None]
        wb = openpyxl.load_workbook(out / f"examplia-iec-{audience}.xlsx")
        sheet = list(wb["Commitments"].iter_rows(values_only=True))
        assert sheet[1] == ("Commitment", "Title", "Chirper", "VidStream")
        assert len(sheet) == 2 + 13
    donor = (out / "examplia-iec-donor.md").read_text(encoding="utf-8")
    for evidence in ("Escalation test", "help-centre ticket"):  # scorecard evidence stays out
        assert evidence not in donor
