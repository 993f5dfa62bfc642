"""Output paths, through the real CLI.

``report --format json-schema --out ws/assessment.yaml`` used to destroy the workspace's
assessment, and ``--out`` replaced any file at all. Now nothing is written into an EMB
workspace but by the commands that own its files, and elsewhere only files that carry
cyberready's generator marker are replaced without ``--force``.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.worksheet.worksheet import Worksheet

import cyberready
from cyberready.cli import main


def _run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args))


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A copy of Examplia and a run saved from it (reports render from it quickly)."""
    root = tmp_path_factory.mktemp("out")
    ws = Path(shutil.copytree(cyberready.example_path(), root / "examplia"))
    run = root / "run.json"
    result = _run("assess", str(ws), "--save", str(run), "--trials", "20")
    assert result.exit_code == 0, result.output
    return ws, run


def _report(ws: Path, run: Path, fmt: str, out: Path, *extra: str) -> Any:
    return _run(
        "report", str(ws), "--from", str(run), "--audience", "donor", "--format", fmt,
        "--out", str(out), *extra,
    )  # fmt: skip


def test_nothing_is_written_into_a_workspace(
    saved: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws, run = saved
    before = {p: p.read_bytes() for p in ws.rglob("*") if p.is_file()}
    attempts = [
        ("report", str(ws), "--format", "json-schema", "--out", str(ws / "assessment.yaml")),
        ("report", str(ws), "--format", "json-schema", "--out", str(ws / "assessment.yaml"),
         "--force"),
        ("report", str(ws), "--from", str(run), "--out", str(ws / "reports" / "tech.html")),
        ("report", str(ws), "--from", str(run), "--audience", "all", "--out", str(ws)),
        ("questionnaire", "export", "--emb", str(ws), "--out", str(ws / "q.xlsx")),
        ("assess", str(ws), "--save", str(ws / "history" / "run.json")),
        ("schema", "--out", str(ws / "schemas")),
        ("examples", "portfolio", "--n", "1", "--out", str(ws / "sample")),
    ]  # fmt: skip
    for args in attempts:
        result = _run(*args)
        assert result.exit_code == 2, (args, result.output)
        assert "is inside the EMB workspace" in result.output, result.output
    # the default output name, in the current folder, when that folder is a workspace
    monkeypatch.chdir(ws)
    result = _run("report", ".", "--from", str(run), "--format", "md")
    assert result.exit_code == 2 and "is inside the EMB workspace" in result.output
    # a link from elsewhere into the workspace is the workspace too
    (tmp_path / "into-ws").symlink_to(ws)
    result = _run("questionnaire", "export", "--emb", str(ws), "--out", str(tmp_path / "into-ws"
                  / "q.xlsx"))  # fmt: skip
    assert result.exit_code == 2 and "is inside the EMB workspace" in result.output
    assert {p: p.read_bytes() for p in ws.rglob("*") if p.is_file()} == before


def _someone_elses(path: Path) -> bytes:
    """A file of the same kind that someone else wrote at ``path``; its bytes."""
    if path.suffix == ".xlsx":
        wb = openpyxl.Workbook()
        sheet = wb.active
        assert isinstance(sheet, Worksheet)
        sheet["A1"] = "budget 2027"
        wb.save(path)
    elif path.suffix == ".pdf":
        path.write_bytes(b"%PDF-1.4\n1 0 obj <</Creator (LibreOffice)>> endobj\n%%EOF\n")
    else:
        path.write_text(
            {
                ".html": "<html><head><title>Minutes</title></head><body>mine</body></html>",
                ".md": "# My notes\n\nNot a report.\n",
                ".json": '{"meta": {"owner": "me"}, "budget": 1}\n',
            }[path.suffix],
            encoding="utf-8",
        )
    return path.read_bytes()


@pytest.mark.parametrize("fmt", ["html", "md", "json", "xlsx", "pdf", "json-schema"])
def test_only_files_cyberready_wrote_are_replaced(
    saved: tuple[Path, Path], tmp_path: Path, fmt: str
) -> None:
    ws, run = saved
    out = tmp_path / f"report.{'json' if fmt == 'json-schema' else fmt}"
    theirs = _someone_elses(out)
    result = _report(ws, run, fmt, out)
    assert result.exit_code == 2, result.output
    assert "exists and was not written by cyberready" in result.output
    assert "--force" in result.output
    assert out.read_bytes() == theirs
    result = _report(ws, run, fmt, out, "--force")
    assert result.exit_code == 0, result.output
    assert out.read_bytes() != theirs
    # now it is cyberready's own: rendered again without --force
    result = _report(ws, run, fmt, out)
    assert result.exit_code == 0, result.output


def test_a_filled_in_questionnaire_and_a_csv_are_not_replaced(
    saved: tuple[Path, Path], tmp_path: Path
) -> None:
    ws, _ = saved
    q = tmp_path / "q.xlsx"
    for _ in range(2):  # a fresh export is cyberready's own: exported again freely
        result = _run("questionnaire", "export", "--emb", str(ws), "--out", str(q))
        assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(q)
    wb.properties.lastModifiedBy = "Alice (IEC IT)"  # as a spreadsheet program saves it
    wb.save(q)
    filled = q.read_bytes()
    result = _run("questionnaire", "export", "--emb", str(ws), "--out", str(q))
    assert result.exit_code == 2 and "not written by cyberready" in result.output
    assert q.read_bytes() == filled
    csv = tmp_path / "q.csv"
    assert _run("questionnaire", "export", "--emb", str(ws), "--out", str(csv)).exit_code == 0
    result = _run("questionnaire", "export", "--emb", str(ws), "--out", str(csv))
    assert result.exit_code == 2, result.output  # a CSV carries no marker
    result = _run("questionnaire", "export", "--emb", str(ws), "--out", str(csv), "--force")
    assert result.exit_code == 0, result.output


def test_a_link_and_a_saved_run_of_someone_else_are_not_replaced(
    saved: tuple[Path, Path], tmp_path: Path
) -> None:
    ws, run = saved
    target = tmp_path / "budget.json"
    theirs = _someone_elses(target)
    link = tmp_path / "report.json"
    link.symlink_to(target)
    result = _report(ws, run, "json", link)
    assert result.exit_code == 2 and "not written by cyberready" in result.output
    assert target.read_bytes() == theirs and link.is_symlink()
    result = _run("assess", str(ws), "--save", str(target), "--trials", "20")
    assert result.exit_code == 2 and "not written by cyberready" in result.output
    assert target.read_bytes() == theirs
    result = _run("portfolio", str(ws), "--out", str(target))  # refused before any work
    assert result.exit_code == 2 and "not written by cyberready" in result.output
