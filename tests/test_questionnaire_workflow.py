"""The assessment workflow on Examplia, through the CLI: one questionnaire for every framework in
scope, filled in and imported as one assessment; history gets exactly one entry per earlier
assessment, so the donor summary's "previous assessment", ``diff`` and the trend compare the
right states."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from mini_emb import snapshot

import cyberready
from cyberready.cli import main

OLD_DATE = "2026-11-01"  # Examplia's assessment.yaml; its history holds 2025-10-15
NEW_DATE = dt.date(2027, 2, 1)
RAISED = {"ECBS-VR-01": 4, "TCG-EMB-02": 3}  # one control of each framework


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    return Path(shutil.copytree(cyberready.example_path(), tmp_path / "examplia"))


def _run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args))


def _export(ws: Path, out: Path, *frameworks: str) -> Path:
    extra = [x for f in frameworks for x in ("--framework", f)]
    result = _run("questionnaire", "export", "--emb", str(ws), "--out", str(out), *extra)
    assert result.exit_code == 0, result.output
    return out


def _fill(path: Path, levels: dict[str, int], as_of: dt.date | None = None) -> None:
    wb = openpyxl.load_workbook(path)
    todo = dict(levels)
    for sheet in wb.sheetnames[1:-1]:
        ws = wb[sheet]
        for r in range(4, ws.max_row + 1):
            cid = ws.cell(row=r, column=1).value
            if isinstance(cid, str) and cid in todo:
                ws.cell(row=r, column=4).value = todo.pop(cid)
    assert not todo, f"not in the workbook: {todo}"
    if as_of is not None:
        wb["Instructions"]["B6"].value = as_of
    wb.save(path)


def _history(ws: Path) -> list[str]:
    return sorted(p.name for p in (ws / "history").iterdir())


def _donor_sentence(ws: Path, tmp_path: Path) -> tuple[str, str, str]:
    out = tmp_path / "donor.md"
    result = _run(
        "report",
        str(ws),
        "--audience",
        "donor",
        "--format",
        "md",
        "--trials",
        "20",
        "--out",
        str(out),
    )
    assert result.exit_code == 0, result.output
    m = re.search(
        r"At the previous assessment \(([^)]*)\) the score was (\d+); it is now (\d+)\.",
        out.read_text(encoding="utf-8"),
    )
    assert m is not None
    return m[1], m[2], m[3]


def test_one_workbook_holds_every_framework_with_its_own_scale(ws: Path, tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(_export(ws, tmp_path / "q.xlsx"))
    assert wb.sheetnames == ["Instructions", "VR", "RM", "DP", "GOV", "EMB", "_cyberready"]
    assert wb["VR"]["A1"].value.startswith("USAID Electoral Cybersecurity Briefing Series")
    assert wb["EMB"]["A1"].value.startswith("IFES Voluntary Election Integrity Guidelines")
    ins = [wb["Instructions"].cell(row=r, column=1).value for r in range(1, 60)]
    assert "Maturity levels: usaid-ecbs" in ins and "Maturity levels: ifes-tech-guidelines" in ins
    # each sheet's rubric columns carry its own framework's rubric text
    ecbs = cyberready.load_workspace(ws).library.frameworks["usaid-ecbs"]
    vr01 = next(c for c in ecbs.controls if c.id == "ECBS-VR-01")
    rubric0 = vr01.rubric[0] if vr01.rubric else ecbs.maturity_scale.levels[0].description
    assert wb["VR"].cell(row=4, column=9).value == rubric0
    assert wb["EMB"].cell(row=4, column=1).value == "TCG-EMB-01"


def test_two_framework_assessment_is_one_history_entry_and_donor_and_diff_compare_it(
    ws: Path, tmp_path: Path
) -> None:
    old_bytes = (ws / "assessment.yaml").read_bytes()
    _, _, before_score = _donor_sentence(ws, tmp_path)
    path = _export(ws, tmp_path / "q.xlsx")
    _fill(path, RAISED, NEW_DATE)
    result = _run("questionnaire", "import", str(path), "--into", str(ws))
    assert result.exit_code == 0, result.output
    assert "usaid-ecbs, ifes-tech-guidelines" in result.output
    # exactly one new history entry, the earlier assessment byte for byte
    assert _history(ws) == ["assessment-2025-10-15.yaml", f"assessment-{OLD_DATE}.yaml"]
    assert (ws / "history" / f"assessment-{OLD_DATE}.yaml").read_bytes() == old_bytes
    date, previous, now = _donor_sentence(ws, tmp_path)
    assert (date, previous) == ("1 November 2026", before_score)
    assert int(now) > int(previous)
    diff = json.loads(_run("diff", str(ws), "--json").output)
    assert diff["old"]["label"].endswith(f"assessment-{OLD_DATE}.yaml")
    assert diff["new"]["as_of"] == NEW_DATE.isoformat()
    assert {(c["control"], c["new_level"]) for c in diff["changes"]} == set(RAISED.items())


def test_a_framework_per_workbook_imported_together_or_one_after_the_other(
    ws: Path, tmp_path: Path
) -> None:
    a = _export(ws, tmp_path / "ecbs.xlsx", "usaid-ecbs")
    b = _export(ws, tmp_path / "ifes.xlsx", "ifes-tech-guidelines")
    _fill(a, {"ECBS-VR-01": 4}, NEW_DATE)
    _fill(b, {"TCG-EMB-02": 3}, NEW_DATE)
    together = Path(shutil.copytree(ws, tmp_path / "together"))
    result = _run("questionnaire", "import", str(a), str(b), "--into", str(together))
    assert result.exit_code == 0, result.output
    assert _history(together) == ["assessment-2025-10-15.yaml", f"assessment-{OLD_DATE}.yaml"]

    # one after the other: the second only answers the framework the first left as it was
    assert _run("questionnaire", "import", str(a), "--into", str(ws)).exit_code == 0
    result = _run("questionnaire", "import", str(b), "--into", str(ws))
    assert result.exit_code == 0, result.output
    assert "no history entry" in result.output
    assert _history(ws) == ["assessment-2025-10-15.yaml", f"assessment-{OLD_DATE}.yaml"]
    loaded = cyberready.load_workspace(ws)
    assert loaded.assessment == cyberready.load_workspace(together).assessment
    assert [h.as_of.isoformat() for h in loaded.history] == ["2025-10-15", OLD_DATE]  # the trend
    date, _, _ = _donor_sentence(ws, tmp_path)
    assert date == "1 November 2026"
    # and importing the same answers again writes nothing at all
    before = snapshot(ws)
    for path in (a, b):
        result = _run("questionnaire", "import", str(path), "--into", str(ws))
        assert result.exit_code == 0 and "nothing changed" in result.output, result.output
    assert snapshot(ws) == before
    # a framework given twice is refused
    result = _run("questionnaire", "import", str(a), str(a), "--into", str(ws))
    assert result.exit_code == 3 and "the answers of usaid-ecbs are also in" in result.output


def test_changed_answers_with_the_old_date_are_refused_unless_as_of(
    ws: Path, tmp_path: Path
) -> None:
    path = _export(ws, tmp_path / "q.xlsx")  # prefilled with the current date, 2026-11-01
    _fill(path, {"ECBS-VR-01": 4})
    before = snapshot(ws)
    result = _run("questionnaire", "import", str(path), "--into", str(ws))
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output
    assert f"changes answers of usaid-ecbs already assessed on {OLD_DATE}" in result.output
    assert "--as-of YYYY-MM-DD" in result.output and f"--as-of {OLD_DATE}" in result.output
    assert snapshot(ws) == before
    # a new date given on the command line: a new assessment
    result = _run("questionnaire", "import", str(path), "--into", str(ws), "--as-of", "2027-01-05")
    assert result.exit_code == 0, result.output
    assert f"assessment-{OLD_DATE}.yaml" in _history(ws)


def test_workbooks_with_different_dates_are_one_problem(ws: Path, tmp_path: Path) -> None:
    a = _export(ws, tmp_path / "ecbs.xlsx", "usaid-ecbs")
    b = _export(ws, tmp_path / "ifes.xlsx", "ifes-tech-guidelines")
    _fill(a, {}, NEW_DATE)
    _fill(b, {}, dt.date(2027, 2, 2))
    before = snapshot(ws)
    result = _run("questionnaire", "import", str(a), str(b), "--into", str(ws))
    assert result.exit_code == 3
    assert "different assessment dates: ecbs.xlsx 2027-02-01, ifes.xlsx 2027-02-02" in result.output
    assert snapshot(ws) == before


def test_csv_of_every_framework_reports_missing_as_of_with_its_cell_problems(
    ws: Path, tmp_path: Path
) -> None:
    path = _export(ws, tmp_path / "q.csv")
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert {line.split(",")[0] for line in lines[1:]} == {"usaid-ecbs", "ifes-tech-guidelines"}
    k = next(i for i, line in enumerate(lines) if ",ECBS-VR-01," in line)
    cells = lines[k].split(",")
    cells[5] = "7"  # level
    lines[k] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = snapshot(ws)
    result = _run("questionnaire", "import", str(path), "--into", str(ws))
    assert result.exit_code == 3
    out = result.output
    assert f"q.csv:{k + 1}: ECBS-VR-01 level: level 7 is not in 0–4 or n/a" in out
    assert "pass --as-of YYYY-MM-DD (a CSV carries no date)" in out  # in the same run
    assert snapshot(ws) == before
