"""Hostile questionnaire files through ``cyberready questionnaire import``: oversized sheets
and CSVs are refused before they are read (quickly, without eating memory), formulas and
macro-enabled workbooks are refused, and problems of one kind are capped. Every payload is
built here from a freshly exported questionnaire."""

from __future__ import annotations

import io
import re
import resource
import shutil
import time
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.formula import ArrayFormula

import cyberready
from cyberready.cli import main
from cyberready.interop.questionnaire import MAX_COLUMNS, META_SHEET, ROW_MARGIN
from cyberready.io import MAX_ROW_PROBLEMS

FAST = 10.0
"""Seconds an oversized file may take to be refused (the unbounded reader took minutes)."""
GROWTH_MB = 400
"""Memory (peak RSS) an oversized file may add (the unbounded reader took gigabytes)."""


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    return Path(shutil.copytree(cyberready.example_path(), tmp_path / "examplia"))


@pytest.fixture
def exported(ws: Path, tmp_path: Path) -> Path:
    out = tmp_path / "q.xlsx"
    result = CliRunner().invoke(
        main, ["questionnaire", "export", "--emb", str(ws), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    return out


def _import(ws: Path, *files: Path, as_of: str | None = None) -> Any:
    args = ["questionnaire", "import", *map(str, files), "--into", str(ws)]
    if as_of:
        args += ["--as-of", as_of]
    return CliRunner().invoke(main, args)


def _refused_fast(ws: Path, path: Path, **kw: Any) -> tuple[Any, float]:
    before = (ws / "assessment.yaml").read_bytes()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    result = _import(ws, path, **kw)
    took = time.perf_counter() - start
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss) / 1024
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output
    assert (ws / "assessment.yaml").read_bytes() == before  # nothing written
    assert took < FAST, f"refused after {took:.1f} s"
    assert grown_mb < GROWTH_MB, f"peak memory grew by {grown_mb:.0f} MB"
    return result, took


def _sheet_part(path: Path, title: str) -> str:
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        part = wb[title]._worksheet_path  # type: ignore[attr-defined]  # private: not in the stubs
        return str(part).lstrip("/")
    finally:
        wb.close()


def _rewrite(path: Path, part: str, edit: Any) -> None:
    """Replace one zip member of the workbook by ``edit(its text)``."""
    buf = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == part:
                data = edit(data.decode("utf-8")).encode("utf-8")
            dst.writestr(info, data)
    path.write_bytes(buf.getvalue())


def _add_cells(path: Path, title: str, cells_xml: str, *, dimension: str | None = None) -> None:
    """Append raw rows to a sheet's XML (and set or drop its <dimension>)."""

    def edit(xml: str) -> str:
        if dimension is None:
            xml = re.sub(r"<dimension [^>]*/>", "", xml)
        else:
            xml = re.sub(r'<dimension ref="[^"]*"', f'<dimension ref="{dimension}"', xml)
        return xml.replace("</sheetData>", cells_xml + "</sheetData>")

    _rewrite(path, _sheet_part(path, title), edit)


def test_a_cell_at_the_last_column_and_row_of_the_hidden_sheet_is_refused_fast(
    ws: Path, exported: Path
) -> None:
    wb = openpyxl.load_workbook(exported)
    wb[META_SHEET]["XFD1048576"] = "x"
    wb.save(exported)
    assert exported.stat().st_size < 100_000  # a small file: the old reader needed 7.7 GB
    result, _ = _refused_fast(ws, exported)
    assert f"{exported} {META_SHEET}!A1" in result.output
    assert "XFD1048576" in result.output and "beyond the questionnaire" in result.output


def test_a_cell_at_the_last_row_is_refused_even_without_a_dimension(
    ws: Path, exported: Path
) -> None:
    _add_cells(
        exported,
        "VR",
        '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>',
    )
    result, _ = _refused_fast(ws, exported)
    assert "sheet 'VR' uses" in result.output and "1048576" in result.output


def test_a_million_cells_are_refused_fast(ws: Path, exported: Path) -> None:
    row = "".join(f'<c t="n"><v>{i}</v></c>' for i in range(1000))
    rows = "".join(f'<row r="{r}">{row}</row>' for r in range(100, 1100))
    _add_cells(exported, "Instructions", rows, dimension=None)
    assert exported.stat().st_size < 5_000_000
    result, _ = _refused_fast(ws, exported)
    assert f"cell {get_column_letter(MAX_COLUMNS + 1)}100" in result.output


def test_notes_typed_below_and_beside_the_table_are_still_read(ws: Path, exported: Path) -> None:
    wb = openpyxl.load_workbook(exported)
    wb["VR"].cell(row=300, column=20).value = "reviewed with the IT director"
    wb["Instructions"]["B6"].value = "2027-03-01"
    wb.save(exported)
    result = _import(ws, exported)
    assert result.exit_code == 0, result.output


def test_a_300000_row_csv_is_refused_fast_in_one_problem(ws: Path, tmp_path: Path) -> None:
    csv = tmp_path / "q.csv"
    CliRunner().invoke(main, ["questionnaire", "export", "--emb", str(ws), "--out", str(csv)])
    head = csv.read_text(encoding="utf-8")
    extra = "".join(f"usaid-ecbs,,X-{i},,,,,,,\n" for i in range(300_000))
    csv.write_text(head + extra, encoding="utf-8")
    result, _ = _refused_fast(ws, csv, as_of="2027-03-01")
    assert "more than" in result.output and "rows" in result.output
    assert len(result.output.splitlines()) < 10


def test_problems_of_one_kind_are_capped(ws: Path, tmp_path: Path) -> None:
    csv = tmp_path / "q.csv"
    CliRunner().invoke(main, ["questionnaire", "export", "--emb", str(ws), "--out", str(csv)])
    head = csv.read_text(encoding="utf-8")
    extra = "".join(f"usaid-ecbs,,ECBS-NO-{i},,,,,,,\n" for i in range(ROW_MARGIN // 2))
    csv.write_text(head + extra, encoding="utf-8")
    result = _import(ws, csv, as_of="2027-03-01")
    assert result.exit_code == 3
    unknown = [
        line
        for line in result.output.splitlines()
        if "unknown control id" in line and "more like" not in line
    ]
    assert len(unknown) == MAX_ROW_PROBLEMS
    assert f"… and {ROW_MARGIN // 2 - MAX_ROW_PROBLEMS:,} more like" in result.output


def _answer_row(path: Path, sheet: str = "VR") -> int:
    wb = openpyxl.load_workbook(path)
    sh = wb[sheet]
    return next(r for r in range(4, sh.max_row + 1) if sh.cell(row=r, column=1).value)


@pytest.mark.parametrize(
    ("column", "formula"),
    [
        ("F", '=HYPERLINK("http://example.invalid/x","evidence")'),
        ("G", "=cmd|' /C calc'!A0"),
        ("D", "=1+1"),
        ("F", ArrayFormula("F4", "=SUM(A1:A2)")),
    ],
)
def test_formulas_in_questionnaire_cells_are_refused_with_the_cell(
    ws: Path, exported: Path, column: str, formula: Any
) -> None:
    r = _answer_row(exported)
    wb = openpyxl.load_workbook(exported)
    ref = f"{column}{r}"
    if isinstance(formula, ArrayFormula):
        formula = ArrayFormula(ref, formula.text)
    wb["VR"][f"D{r}"] = 2
    wb["VR"][ref] = formula
    wb["Instructions"]["B6"].value = "2027-03-01"
    wb.save(exported)
    before = (ws / "assessment.yaml").read_bytes()
    result = _import(ws, exported)
    assert result.exit_code == 3, result.output
    assert f"VR!{ref}" in result.output and "formula" in result.output
    assert "ArrayFormula object" not in result.output
    assert "missing" not in result.output  # the row is there; only its formula is wrong
    assert (ws / "assessment.yaml").read_bytes() == before


def test_a_formula_in_the_assessment_date_is_refused(ws: Path, exported: Path) -> None:
    wb = openpyxl.load_workbook(exported)
    wb["Instructions"]["B6"].value = "=TODAY()"
    wb.save(exported)
    result = _import(ws, exported)
    assert result.exit_code == 3
    assert "Instructions!B6" in result.output and "formula" in result.output


def test_an_unguarded_formula_in_a_csv_is_refused_and_a_guarded_one_is_text(
    ws: Path, tmp_path: Path
) -> None:
    csv = tmp_path / "q.csv"
    CliRunner().invoke(main, ["questionnaire", "export", "--emb", str(ws), "--out", str(csv)])
    lines = csv.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cut = [*lines[1].split(",")]
    cut[header.index("level")] = "2"
    cut[header.index("source")] = "document"
    cut[header.index("evidence")] = "=HYPERLINK(x)"
    csv.write_text("\n".join([lines[0], ",".join(cut), *lines[2:]]) + "\n", encoding="utf-8")
    result = _import(ws, csv, as_of="2027-03-01")
    assert result.exit_code == 3 and "evidence is a formula" in result.output
    cut[header.index("evidence")] = "'=HYPERLINK(x)"
    csv.write_text("\n".join([lines[0], ",".join(cut), *lines[2:]]) + "\n", encoding="utf-8")
    result = _import(ws, csv, as_of="2027-03-01")
    assert result.exit_code == 0, result.output
    assert "evidence: =HYPERLINK(x)" in (ws / "assessment.yaml").read_text(encoding="utf-8")


def test_a_macro_enabled_workbook_is_refused_by_its_content(
    ws: Path, exported: Path, tmp_path: Path
) -> None:
    with zipfile.ZipFile(exported, "a") as zf:
        zf.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0" + b"\0" * 60)
    before = (ws / "assessment.yaml").read_bytes()
    result = _import(ws, exported)
    assert result.exit_code == 3
    assert "macro-enabled" in result.output
    xlsm = exported.rename(tmp_path / "q.xlsm")
    result = _import(ws, xlsm)
    assert result.exit_code == 3 and "macro-enabled" in result.output
    assert (ws / "assessment.yaml").read_bytes() == before


def test_an_xlsm_name_alone_is_refused(ws: Path, exported: Path, tmp_path: Path) -> None:
    result = _import(ws, Path(shutil.copy(exported, tmp_path / "plain.xlsm")))
    assert result.exit_code == 3 and "macro-enabled" in result.output
