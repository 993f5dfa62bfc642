"""The spreadsheet questionnaire: export, fill in, import back; every bad cell reported with
its cell, exit 3, and nothing written or moved; the previous assessment kept in history/."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mini_emb import snapshot, write_mini_workspace

import cyberready
from cyberready.cli import main
from cyberready.errors import AssessmentError
from cyberready.interop.questionnaire import (
    build_workbook,
    export_questionnaire,
    import_questionnaire,
    read_questionnaire,
)
from cyberready.models import Answer

ANSWERS: dict[str, Any] = {
    "MINI-A-01": {"level": 3, "source": "test", "evidence": "Report 7", "target": 4},
    "MINI-A-02": {"level": "n/a", "notes": "no website"},
}


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    return write_mini_workspace(tmp_path / "ws", ANSWERS, as_of="2026-01-10")


def _export(ws: Path, out: Path) -> Path:
    result = CliRunner().invoke(
        main,
        ["questionnaire", "export", "--framework", "mini", "--emb", str(ws), "--out", str(out)],
    )
    assert result.exit_code == 0, result.output
    return out


def _import(path: Path, ws: Path, *extra: str) -> Any:
    return CliRunner().invoke(
        main, ["questionnaire", "import", str(path), "--into", str(ws), *extra]
    )


def _answers(ws: Path) -> dict[str, Answer]:
    loaded = cyberready.load_workspace(ws)
    assert loaded.assessment is not None
    return dict(loaded.assessment.answers)


def _row(sheet: Any, control: str) -> int:
    for r in range(4, sheet.max_row + 1):
        if sheet.cell(row=r, column=1).value == control:
            return r
    raise KeyError(control)


# --------------------------------------------------------------------------- the workbook


def test_workbook_is_fillable_by_a_non_programmer(ws: Path, tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(_export(ws, tmp_path / "q.xlsx"))
    assert wb.sheetnames == ["Instructions", "A", "B", "_cyberready"]
    assert wb["_cyberready"].sheet_state == "veryHidden"
    assert wb["A"].sheet_state == "visible"
    a = wb["A"]
    assert [a.cell(row=3, column=c).value for c in range(1, 9)] == [
        "Control",
        "Title",
        "Objective and guidance",
        "Level",
        "Evidence source",
        "Evidence",
        "Notes",
        "Target level",
    ]
    r = _row(a, "MINI-A-02")
    # the control's own rubric beside it (I–M); the scale's descriptions when it has none
    assert [a.cell(row=r, column=c).value for c in range(9, 14)] == ["r0", "r1", "r2", "r3", "r4"]
    assert a.cell(row=_row(a, "MINI-A-01"), column=9).value == "Not done."
    # prefilled answers
    r1 = _row(a, "MINI-A-01")
    assert [a.cell(row=r1, column=c).value for c in (4, 5, 6, 8)] == [3, "test", "Report 7", 4]
    assert a.cell(row=r, column=4).value == "n/a"
    # locked structure, unlocked answer cells
    assert a.protection.sheet
    assert wb.security.lockStructure
    assert a.cell(row=r1, column=1).protection.locked
    assert a.cell(row=r1, column=2).protection.locked
    assert not any(a.cell(row=r1, column=c).protection.locked for c in range(4, 9))
    # drop-downs on the level, source and target columns
    lists = {str(dv.sqref): dv.formula1 for dv in a.data_validations.dataValidation}
    assert lists == {
        "D4:D5": '"0,1,2,3,4,n/a"',
        "E4:E5": '"document,test,observation,interview,none"',
        "H4:H5": '"0,1,2,3,4"',
    }
    ins = wb["Instructions"]
    assert ins["B6"].value == dt.datetime(2026, 1, 10)
    assert not ins["B6"].protection.locked
    # the platform commitment is not in the EMB's questionnaire
    assert all(
        wb[s].cell(row=r, column=1).value != "MINI-P-01"
        for s in ("A", "B")
        for r in range(1, wb[s].max_row + 1)
    )


def test_round_trip_fill_programmatically_and_import_identical(ws: Path, tmp_path: Path) -> None:
    path = _export(ws, tmp_path / "q.xlsx")
    wb = openpyxl.load_workbook(path)
    a, b = wb["A"], wb["B"]
    r1, r2, rb = _row(a, "MINI-A-01"), _row(a, "MINI-A-02"), _row(b, "MINI-B-01")
    # change an answer, answer an unassessed control, clear another back to unassessed
    a.cell(row=r1, column=4).value = 4
    a.cell(row=r1, column=5).value = "observation"
    a.cell(row=r1, column=6).value = "=not a formula, just text"
    a.cell(row=r1, column=6).data_type = "s"
    a.cell(row=r1, column=7).value = "Zweite Zeile\nÉlection — ok"
    a.cell(row=r1, column=8).value = None
    for c in range(4, 9):
        a.cell(row=r2, column=c).value = None
    b.cell(row=rb, column=4).value = "N/A"
    b.cell(row=rb, column=5).value = " Document "
    b.cell(row=rb, column=6).value = "007"
    b.cell(row=rb, column=8).value = "2"
    wb["Instructions"]["B6"].value = dt.date(2026, 6, 30)
    wb["Instructions"]["B7"].value = "Field team"
    wb.save(path)

    result = _import(path, ws)
    assert result.exit_code == 0, result.output
    expected = {
        "MINI-A-01": Answer(
            level=4,
            source="observation",
            evidence="=not a formula, just text",
            notes="Zweite Zeile\nÉlection — ok",
        ),
        "MINI-B-01": Answer(level="n/a", source="document", evidence="007", target=2),
    }
    assert _answers(ws) == expected
    loaded = cyberready.load_workspace(ws)
    assert loaded.assessment is not None
    assert loaded.assessment.as_of == dt.date(2026, 6, 30)
    assert loaded.assessment.assessor == "Field team"
    # the previous assessment survives under its date, byte for byte
    kept = ws / "history" / "assessment-2026-01-10.yaml"
    assert yaml.safe_load(kept.read_text(encoding="utf-8"))["answers"] == ANSWERS


def test_export_then_import_unchanged_writes_nothing_and_no_history(
    ws: Path, tmp_path: Path
) -> None:
    before = snapshot(ws)
    for name in ("q.xlsx", "q.csv"):
        path = _export(ws, tmp_path / name)
        extra = ("--as-of", "2026-01-10") if name.endswith(".csv") else ()
        for _ in range(2):
            result = _import(path, ws, *extra)
            assert result.exit_code == 0, result.output
            assert "nothing changed" in result.output
    # identical answers, imported four times: not a byte changed, no history copy
    assert snapshot(ws) == before
    assert not (ws / "history").exists()


def test_overrides_and_other_frameworks_answers_are_kept(tmp_path: Path) -> None:
    root = write_mini_workspace(
        tmp_path / "ws",
        ANSWERS,
        overrides=[{"select": ["ws2"], "control": "MINI-B-01", "level": 1}],
    )
    path = _export(root, tmp_path / "q.xlsx")
    assert _import(path, root).exit_code == 0
    loaded = cyberready.load_workspace(root)
    assert loaded.assessment is not None
    assert [(o.control, o.level) for o in loaded.assessment.overrides] == [("MINI-B-01", 1)]


def test_blank_questionnaire_into_a_workspace_without_assessment(tmp_path: Path) -> None:
    root = write_mini_workspace(tmp_path / "ws")
    out = tmp_path / "blank.xlsx"
    result = CliRunner().invoke(
        main,
        [
            "questionnaire",
            "export",
            "--framework",
            "mini",
            "--out",
            str(out),
            "--frameworks-dir",
            str(root / "frameworks"),
        ],
    )
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(out)
    assert wb["A"].cell(row=4, column=4).value is None
    wb["A"].cell(row=4, column=4).value = 2
    wb.save(out)
    result = _import(out, root, "--as-of", "2026-02-01")
    assert result.exit_code == 0, result.output
    assert _answers(root) == {"MINI-A-01": Answer(level=2)}
    assert not (root / "history").exists()


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    st.fixed_dictionaries(
        {
            "level": st.one_of(st.integers(0, 4), st.just("n/a")),
            "source": st.sampled_from(["document", "test", "observation", "interview", "none"]),
            "evidence": st.text(
                st.characters(blacklist_categories=["Cs", "Cc"]) | st.sampled_from("\n\t"),
                max_size=40,
            ),
            "notes": st.text(st.characters(blacklist_categories=["Cs", "Cc"]), max_size=20),
            "target": st.one_of(st.none(), st.integers(0, 4)),
        }
    ),
    st.sampled_from(["q.xlsx", "q.csv"]),
)
def test_property_any_answer_round_trips(tmp_path: Path, answer: Any, name: str) -> None:
    from cyberready.models import Assessment, Framework

    fw_data = yaml.safe_load(
        (write_mini_workspace(tmp_path / "w") / "frameworks" / "mini.yaml").read_text()
    )
    fw = Framework.model_validate(fw_data)
    original = Answer.model_validate(answer)
    assessment = Assessment.model_validate(
        {
            "schema_version": 1,
            "kind": "assessment",
            "emb": "mini-emb",
            "frameworks": ["mini"],
            "as_of": "2026-01-10",
            "answers": {"MINI-B-01": answer},
        }
    )
    path = export_questionnaire(tmp_path / name, fw, assessment)
    back = read_questionnaire(path, {"mini": fw}, need_date=False)
    assert back.answers == {"MINI-B-01": original}


# --------------------------------------------------------------------------- errors


def _spoil(path: Path) -> None:
    """Every kind of mistake at once."""
    wb = openpyxl.load_workbook(path)
    a = wb["A"]
    r1, r2 = _row(a, "MINI-A-01"), _row(a, "MINI-A-02")
    a.cell(row=r1, column=4).value = 7  # bad level
    a.cell(row=r1, column=5).value = "email"  # bad source
    a.cell(row=r1, column=8).value = 9  # bad target
    a.cell(row=r2, column=1).value = "MINI-A-99"  # unknown control id (MINI-A-02 then missing)
    a.cell(row=r2, column=4).value = "high"
    a.cell(row=r2 + 1, column=6).value = "orphan evidence"  # answers in a row without an id
    wb["B"].title = "Beta (done)"  # renamed sheet
    wb.save(path)


def test_spreadsheet_full_of_errors_lists_every_problem_exit_3_nothing_written(
    ws: Path, tmp_path: Path
) -> None:
    path = _export(ws, tmp_path / "q.xlsx")
    _spoil(path)
    before = snapshot(ws)
    result = _import(path, ws)
    assert result.exit_code == 3, result.output
    out = result.output
    assert "Traceback" not in out
    expected = [
        "A!D4: MINI-A-01: level 7 is not in 0–4 or n/a",
        "A!E4: MINI-A-01: evidence source 'email' is not a valid source",
        "A!H4: MINI-A-01: target 9 is not in 0–4",
        "A!A5: MINI-A-99: unknown control id 'MINI-A-99'",
        "A!D5: MINI-A-99: level 'high' is not in 0–4 or n/a",
        "A!A5: MINI-A-02: the row of control MINI-A-02 is missing",
        "A!A6: answers in a row without a control id",
        "B!A1: sheet 'B' is missing (renamed or deleted?)",
    ]
    for text in expected:
        assert text in out, text
    assert "'Beta (done)'" in out  # the renamed sheet is named in the hint
    assert "nothing written" in out
    assert snapshot(ws) == before


def test_deleted_row_and_bad_date(ws: Path, tmp_path: Path) -> None:
    path = _export(ws, tmp_path / "q.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["A"].delete_rows(_row(wb["A"], "MINI-A-01"))
    wb["Instructions"]["B6"].value = "next week"
    b = wb["B"]
    b.cell(row=_row(b, "MINI-B-01"), column=4).value = 2.5
    b.cell(row=_row(b, "MINI-B-01"), column=5).value = "=A1"
    wb.save(path)
    before = snapshot(ws)
    with pytest.raises(AssessmentError) as err:
        import_questionnaire(path, ws)
    cells = {(p.cell, p.message) for p in err.value.problems}
    assert ("A!A4", "the row of control MINI-A-01 is missing (deleted?)") in cells
    assert ("Instructions!B6", "assessment date 'next week' is not a date") in cells
    assert any(c == "B!E4" and "formula" in m for c, m in cells)
    assert snapshot(ws) == before


def test_level_without_answer_and_changed_columns(ws: Path, tmp_path: Path) -> None:
    path = _export(ws, tmp_path / "q.xlsx")
    wb = openpyxl.load_workbook(path)
    a = wb["A"]
    r = _row(a, "MINI-A-01")
    a.cell(row=r, column=4).value = None  # level cleared, but source and evidence left
    b = wb["B"]
    b.insert_cols(4)  # a column inserted before Level
    wb.save(path)
    with pytest.raises(AssessmentError) as err:
        import_questionnaire(path, ws)
    problems = err.value.problems
    assert any(
        p.cell == "A!D4" and p.message == "no level, but source, evidence, target filled in"
        for p in problems
    )
    assert any(p.cell == "B!D3" and "expected the column 'Level'" in p.message for p in problems)


@pytest.mark.parametrize(
    "content",
    [b"control,level\nMINI-A-01,2\n", b"PK\x03\x04 not really a zip", b""],
    ids=["text", "fake-zip", "empty"],
)
def test_a_file_that_is_not_a_workbook_is_one_clear_problem(
    ws: Path, tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "answers.xlsx"
    path.write_bytes(content)
    before = snapshot(ws)
    result = _import(path, ws)
    assert result.exit_code == 3
    assert "not an Excel workbook (.xlsx)" in result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert snapshot(ws) == before


def test_a_zip_that_is_not_a_workbook_and_a_foreign_workbook(ws: Path, tmp_path: Path) -> None:
    path = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("readme.txt", "hello")
    result = _import(path, ws)
    assert result.exit_code == 3
    assert "not an Excel workbook (.xlsx)" in result.output
    other = tmp_path / "other.xlsx"
    openpyxl.Workbook().save(other)
    result = _import(other, ws)
    assert result.exit_code == 3
    assert "not a cyberready questionnaire" in result.output


def test_questionnaire_for_another_emb_or_framework_is_refused(ws: Path, tmp_path: Path) -> None:
    path = _export(ws, tmp_path / "q.xlsx")
    other = write_mini_workspace(tmp_path / "other", ANSWERS)
    emb = yaml.safe_load((other / "emb.yaml").read_text())
    emb["id"] = "other-emb"
    (other / "emb.yaml").write_text(yaml.safe_dump(emb))
    for name in ("system.yaml", "assessment.yaml"):
        data = yaml.safe_load((other / name).read_text())
        data["emb"] = "other-emb"
        (other / name).write_text(yaml.safe_dump(data))
    before = snapshot(other)
    result = _import(path, other)
    assert result.exit_code == 3
    assert "exported for EMB 'mini-emb', not 'other-emb'" in result.output
    assert snapshot(other) == before


def test_missing_date_needs_as_of(ws: Path, tmp_path: Path) -> None:
    path = _export(ws, tmp_path / "q.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["Instructions"]["B6"].value = None
    wb.save(path)
    result = _import(path, ws)
    assert result.exit_code == 3
    assert "Instructions!B6: assessment date: the assessment date is blank" in result.output
    result = _import(path, ws, "--as-of", "2026-03-03")
    assert result.exit_code == 0, result.output
    assert (ws / "history" / "assessment-2026-01-10.yaml").exists()


# --------------------------------------------------------------------------- CSV


def test_csv_errors_name_their_lines(ws: Path, tmp_path: Path) -> None:
    path = _export(ws, tmp_path / "q.csv")
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "framework,domain,control,title,weight,level,source,evidence,notes,target"
    lines[1] = lines[1].replace(",3,test,", ",7,test,")  # MINI-A-01 level 7
    lines[3] = lines[3].replace("MINI-B-01", "MINI-B-09")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = snapshot(ws)
    result = _import(path, ws, "--as-of", "2026-02-02")
    assert result.exit_code == 3
    assert "q.csv:2: MINI-A-01 level: level 7 is not in 0–4 or n/a" in result.output
    assert "q.csv:4: MINI-B-09 control: unknown control id 'MINI-B-09'" in result.output
    assert "control MINI-B-01 has no row (deleted?)" in result.output
    assert snapshot(ws) == before
    # a CSV carries no date
    good = _export(ws, tmp_path / "good.csv")
    result = _import(good, ws)
    assert result.exit_code == 3
    assert "--as-of" in result.output


def test_csv_guards_formula_text_and_reads_semicolons(ws: Path, tmp_path: Path) -> None:
    path = _export(ws, tmp_path / "q.csv")
    text = path.read_text(encoding="utf-8-sig")
    assert "Report 7" in text
    rows = [line.split(",") for line in text.splitlines()]
    semi = "\n".join(";".join(r) for r in rows)
    semi = semi.replace("Report 7", "'=SUM(A1)")
    path.write_text(semi, encoding="utf-8")
    result = _import(path, ws, "--as-of", "2026-02-02")
    assert result.exit_code == 0, result.output
    assert _answers(ws)["MINI-A-01"].evidence == "=SUM(A1)"
    # and on export the formula-looking text is written guarded again
    again = _export(ws, tmp_path / "again.csv")
    assert "'=SUM(A1)" in again.read_text(encoding="utf-8-sig")


@pytest.mark.parametrize(
    ("delimiter", "notes", "trim"),
    [
        (";", "checked, twice; by the EMB", False),
        ("\t", "checked, twice; by the EMB", False),
        (";", "checked twice", True),  # rows cut short after their last value, nothing quoted
    ],
)
def test_csv_saved_with_another_delimiter_is_read(
    ws: Path, tmp_path: Path, delimiter: str, notes: str, trim: bool
) -> None:
    """A spreadsheet program set to a language with decimal commas saves ';' (some save tabs);
    a quoted value holding commas or semicolons does not mislead the detection, nor do rows
    that stop after their last filled-in value."""
    import csv
    import io

    path = _export(ws, tmp_path / "q.csv")
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
    level = rows[0].index("level")
    first = next(i for i, r in enumerate(rows) if "MINI-A-01" in r)
    rows[first][level] = "2"
    rows[first][rows[0].index("notes")] = notes
    if trim:
        rows[1:] = [r[: max(i + 1 for i, v in enumerate(r) if v)] for r in rows[1:]]
        assert len({len(r) for r in rows}) > 1
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    assert not trim or '"' not in buf.getvalue()  # nothing quoted: the header decides
    path.write_text(buf.getvalue(), encoding="utf-8")
    result = _import(path, ws, "--as-of", "2026-02-02")
    assert result.exit_code == 0, result.output
    answer = _answers(ws)["MINI-A-01"]
    assert (answer.level, answer.notes) == (2, notes)


# --------------------------------------------------------------------------- history


def test_previous_assessment_survives_every_import_and_diff_shows_the_change(
    ws: Path, tmp_path: Path
) -> None:
    first = (ws / "assessment.yaml").read_bytes()
    path = _export(ws, tmp_path / "q.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["A"].cell(row=_row(wb["A"], "MINI-A-01"), column=4).value = 1
    wb.save(path)
    before = snapshot(ws)
    refused = _import(path, ws)  # changed answers, the old date (2026-01-10) left in the workbook
    assert refused.exit_code == 3, refused.output
    assert "already assessed on 2026-01-10, and gives the same date" in refused.output
    assert "--as-of 2026-01-10" in refused.output and "Traceback" not in refused.output
    assert snapshot(ws) == before
    assert _import(path, ws, "--as-of", "2026-01-10").exit_code == 0  # a confirmed correction
    second = (ws / "assessment.yaml").read_bytes()
    wb["A"].cell(row=_row(wb["A"], "MINI-A-01"), column=4).value = 2
    wb["Instructions"]["B6"].value = dt.date(2026, 5, 1)
    wb.save(path)
    assert _import(path, ws).exit_code == 0
    history = ws / "history"
    assert (history / "assessment-2026-01-10.yaml").read_bytes() == first
    assert (history / "assessment-2026-01-10-2.yaml").read_bytes() == second
    assert _answers(ws)["MINI-A-01"].level == 2

    result = CliRunner().invoke(main, ["diff", str(ws), "--json"])
    assert result.exit_code == 0, result.output
    import json

    data = json.loads(result.output)
    assert data["old"]["label"].endswith("assessment-2026-01-10-2.yaml")  # the latest entry
    assert [(c["control"], c["kind"], c["old_level"], c["new_level"]) for c in data["changes"]] == [
        ("MINI-A-01", "up", 1, 2)
    ]
    text = CliRunner().invoke(main, ["diff", str(ws)]).output
    assert "Controls up: 1" in text and "MINI-A-01" in text


def test_build_workbook_without_assessment_has_no_date() -> None:
    from mini_emb import mini_framework

    wb = build_workbook(mini_framework())
    assert wb["Instructions"]["B6"].value is None
    assert wb["_cyberready"]["B5"].value in (None, "")


def test_export_rejects_unknown_framework_and_suffix(ws: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        ["questionnaire", "export", "--framework", "minni", "--emb", str(ws), "--out", "x.xlsx"],
    )
    assert result.exit_code == 3
    assert "did you mean 'mini'?" in result.output
    result = CliRunner().invoke(
        main,
        [
            "questionnaire",
            "export",
            "--framework",
            "mini",
            "--emb",
            str(ws),
            "--out",
            str(tmp_path / "q.ods"),
        ],
    )
    assert result.exit_code == 3
    assert not (tmp_path / "q.ods").exists()
