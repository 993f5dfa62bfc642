"""One run reports everything it can: a problem in system.yaml does not hide the problems of its
``generate:`` CSVs, a CSV's broken structure does not hide its bad rows, and a CSV questionnaire
without ``--as-of`` says so alongside its bad cells (tested on a generated national workspace
and on Examplia, through the CLI)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import cyberready
from benchmarks.generators import write_emb_workspace
from cyberready.cli import main


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("national") / "emb"
    write_emb_workspace(root, 4000, seed=1)
    return root


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line_of(path: Path, start: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if line.startswith(start))


def _spoil(ws: Path) -> tuple[int, int]:
    """A YAML problem, a CSV structure problem and a CSV row problem; their CSV lines."""
    _edit(ws / "system.yaml", "- id: hq-ws\n", "- id: hq-ws\n  colour: red\n")
    district = _line_of(ws / "districts.csv", "d01,")
    _edit(ws / "districts.csv", "d01,r000\n", "d01,r000,extra\n")  # a row with 3 fields
    station = _line_of(ws / "stations.csv", "ps0004,")
    _edit(ws / "stations.csv", "ps0004,", "ps 0004,")  # gives the invalid id 'kit-ps 0004'
    return district, station


def test_one_validate_run_lists_yaml_csv_structure_and_row_problems(
    national: Path, tmp_path: Path
) -> None:
    ws = Path(shutil.copytree(national, tmp_path / "emb"))
    district, station = _spoil(ws)
    result = CliRunner().invoke(main, ["validate", str(ws)])
    assert result.exit_code == 3, result.output
    out = result.output
    assert "Traceback" not in out
    assert "emb/system.yaml:" in out and "unknown key 'colour'" in out
    assert f"emb/districts.csv:{district}: row does not have the header's 2 fields" in out
    assert (
        f"emb/stations.csv:{station}: generate[" in out and "'kit-ps 0004' is not a valid id" in out
    )


def test_csv_structure_does_not_hide_row_problems_when_the_yaml_is_fine(
    national: Path, tmp_path: Path
) -> None:
    ws = Path(shutil.copytree(national, tmp_path / "emb"))
    district, station = _spoil(ws)
    _edit(ws / "system.yaml", "  colour: red\n", "")
    out = CliRunner().invoke(main, ["validate", str(ws)]).output
    assert f"emb/districts.csv:{district}: row does not have the header's 2 fields" in out
    assert f"emb/stations.csv:{station}:" in out and "'kit-ps 0004' is not a valid id" in out
    # the row left out would have given an asset: links are not reported as dangling for it
    assert "unknown asset" not in out and "link end" not in out, out
    # fixed, the workspace is valid again
    _edit(ws / "districts.csv", "d01,r000,extra\n", "d01,r000\n")
    _edit(ws / "stations.csv", "ps 0004,", "ps0004,")
    assert CliRunner().invoke(main, ["validate", str(ws)]).exit_code == 0


def test_a_bad_template_does_not_hide_the_rows_of_the_others(
    national: Path, tmp_path: Path
) -> None:
    ws = Path(shutil.copytree(national, tmp_path / "emb"))
    _edit(ws / "system.yaml", "id: tally-{region}", "id: tally-{regoin}")
    station = _line_of(ws / "stations.csv", "ps0004,")
    _edit(ws / "stations.csv", "ps0004,", "ps 0004,")
    out = CliRunner().invoke(main, ["validate", str(ws)]).output
    assert "column 'regoin' is not in" in out and "did you mean 'region'?" in out
    assert f"emb/stations.csv:{station}:" in out and "'kit-ps 0004' is not a valid id" in out


def test_examplia_yaml_problems_in_several_files_in_one_run(tmp_path: Path) -> None:
    ws = Path(shutil.copytree(cyberready.example_path(), tmp_path / "examplia"))
    _edit(ws / "emb.yaml", "budget_usd: 450000", "budget_usd: lots")
    _edit(ws / "assessment.yaml", "schema_version: 1", "schema_version: 1\ncolour: red")
    out = CliRunner().invoke(main, ["validate", str(ws)]).output
    assert "examplia/emb.yaml" in out and "budget_usd" in out
    assert "examplia/assessment.yaml" in out and "colour" in out
