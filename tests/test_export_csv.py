"""`cyberready export csv DIR --out FOLDER`: tidy CSV files and a Data Package descriptor that
documents every column, the library's numbers, the same bytes from a saved run, and text a
spreadsheet would run as a formula neutralised (docs/exports.md)."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner, Result

import cyberready
from cyberready.cli import main
from cyberready.report.tables import DESCRIPTOR, EXPORT_TABLES, columns_markdown

OPTIONS = ("--trials", "60", "--screen-trials", "20", "--seed", "11")
FILES = sorted([*(t.path for t in EXPORT_TABLES), DESCRIPTOR])
DOCS = Path(__file__).resolve().parents[1] / "docs" / "exports.md"
INJECTED = {
    "evidence": '=HYPERLINK("http://x.invalid","click")',
    "notes": "@SUM(A1:A9)",
}


def _run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def _read(folder: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(folder / name, keep_default_na=False, na_values=[""], encoding="utf-8")


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path, Path]:
    """(workspace, fresh export, export --from a saved run, the run file): the example with
    formula-like evidence in one answer, exported directly and from `assess --save`, both
    with the same options (two separate assessment runs)."""
    root = tmp_path_factory.mktemp("export-csv")
    ws = root / "ws"
    shutil.copytree(cyberready.example_path(), ws)
    path = ws / "assessment.yaml"
    text = path.read_text(encoding="utf-8")
    head = '    evidence: "Voter data flow map v1.3 (2026-04)"'
    assert head in text
    text = text.replace(
        head,
        f"    evidence: '{INJECTED['evidence']}'\n    notes: \"{INJECTED['notes']}\"",
        1,
    )
    text = text.replace(
        '    notes: "The observer network', '    # notes: "The observer network', 1
    )  # the control had notes: ours replace them
    path.write_text(text, encoding="utf-8")
    fresh = root / "fresh"
    result = _run("export", "csv", ws, "--out", fresh, *OPTIONS)
    assert result.exit_code == 0, result.output
    run = root / "run.json"
    result = _run("assess", ws, "--save", run, *OPTIONS)
    assert result.exit_code == 0, result.output
    saved = root / "saved"
    result = _run("export", "csv", ws, "--from", run, "--out", saved)
    assert result.exit_code == 0, result.output
    return ws, fresh, saved, run


def test_every_file_is_written_and_parses_with_the_documented_columns(
    exported: tuple[Path, Path, Path, Path],
) -> None:
    _, fresh, _, _ = exported
    assert sorted(p.name for p in fresh.iterdir()) == FILES
    package = json.loads((fresh / DESCRIPTOR).read_text(encoding="utf-8"))
    assert package["profile"] == "tabular-data-package"
    assert [r["path"] for r in package["resources"]] == [t.path for t in EXPORT_TABLES]
    for resource in package["resources"]:
        fields = resource["schema"]["fields"]
        assert all(f["description"] and f["type"] for f in fields), resource["name"]
        frame = _read(fresh, resource["path"])
        # the header of each file is exactly the columns its descriptor documents
        assert list(frame.columns) == [f["name"] for f in fields], resource["path"]
        assert all(c == c.lower() and c.isidentifier() for c in frame.columns)
        assert len(frame) > 0, resource["path"]
        raw = pd.read_csv(fresh / resource["path"], dtype=str, keep_default_na=False)
        for f in fields:
            if f["type"] in ("number", "integer"):  # plain decimals: no "<1%", no exponent
                cells = raw[f["name"]][raw[f["name"]] != ""]
                pattern = r"-?\d+" if f["type"] == "integer" else r"-?\d+(\.\d+)?"
                assert cells.str.fullmatch(pattern).all(), (resource["path"], f["name"])
            values = frame[f["name"]].dropna()
            if f["type"] in ("number", "integer"):
                assert pd.api.types.is_numeric_dtype(values), (resource["path"], f["name"])
            if f["type"] == "date":
                pd.to_datetime(values, format="%Y-%m-%d")  # raises unless ISO 8601
            if f["type"] == "boolean":
                assert set(values.astype(str).str.lower()) <= {"true", "false"}


def test_a_column_the_definitions_do_not_document_is_refused(
    exported: tuple[Path, Path, Path, Path],
) -> None:
    from cyberready.errors import ReportError
    from cyberready.report import tables
    from cyberready.report.runfile import load_run

    ws, _, _, run = exported
    view = load_run(run, ws)["advisor"]
    assert isinstance(view, cyberready.report.AdvisorView)
    answers = tables.EXPORT_TABLES[0]
    assert tables.table_rows(view, answers)
    # as if the rows had gained their last column without a definition
    undocumented = tables.ExportTable(
        answers.name, answers.title, answers.description, answers.columns[:-1], ()
    )
    with pytest.raises(ReportError, match=answers.columns[-1].name):
        tables.table_rows(view, undocumented)


def test_the_numbers_are_the_librarys(exported: tuple[Path, Path, Path, Path]) -> None:
    ws, fresh, _, _ = exported
    readiness = cyberready.score(cyberready.load_workspace(ws))
    scores = _read(fresh, "scores.csv")
    domains = scores[scores["kind"] == "domain"].reset_index(drop=True)
    expected = readiness.to_frame("domain")
    assert list(domains["domain_id"]) == list(expected["domain"])
    for ours, theirs in (
        ("score", "score"),
        ("score_low", "band_low"),
        ("score_high", "band_high"),
    ):
        assert domains[ours].tolist() == expected[theirs].tolist()  # exact, not approximate
    rows = scores[scores["kind"] == "control"]
    controls = dict(zip(rows["control_id"], rows["score"], strict=True))
    frame = readiness.to_frame("control")
    by_control = dict(zip(frame["control"], frame["score"], strict=True))
    assert controls.keys() == by_control.keys()
    for control, value in by_control.items():
        if value is None or math.isnan(float(value)):  # n/a: no score
            assert math.isnan(controls[control])
        else:
            assert controls[control] == value
    overall = scores[scores["kind"] == "overall"].iloc[0]
    assert overall["score"] == readiness.overall.score
    answers = _read(fresh, "answers.csv").set_index("control_id")
    assert set(answers.index) == set(by_control)
    assert (answers["as_of"] == "2026-11-01").all()
    assert answers.loc["TCG-EMB-08", "status"] == "n/a"
    assert answers["level"].isna()["TCG-EMB-08"]
    assert answers.loc["ECBS-VR-10", "status"] == "unassessed"
    risks = _read(fresh, "risks.csv")
    assert (
        (risks["p_fail_low"] <= risks["p_fail"]) & (risks["p_fail"] <= risks["p_fail_high"])
    ).all()
    assert risks["p_fail"].between(0, 1).all()
    scenarios = _read(fresh, "scenarios.csv")
    parts = scenarios["function_loss"] + scenarios["trust_loss"]
    assert (parts - scenarios["expected_loss"]).abs().max() < 1e-9
    package = json.loads((fresh / DESCRIPTOR).read_text(encoding="utf-8"))
    assert math.isclose(scenarios["expected_loss"].sum(), package["expected_loss"])
    actions = _read(fresh, "actions.csv")
    assert actions["rank"].tolist() == list(range(1, len(actions) + 1))
    roadmap = _read(fresh, "roadmap.csv")
    ranked = actions.set_index("rank")["control_id"]
    for rank, control in zip(roadmap["rank"], roadmap["control_id"], strict=True):
        assert ranked[rank] == control  # roadmap.rank joins to actions.rank


def test_a_saved_run_exports_the_same_bytes_as_a_fresh_run(
    exported: tuple[Path, Path, Path, Path],
) -> None:
    # two separate assessment runs with the same inputs and seed: identical files
    _, fresh, saved, _ = exported
    assert sorted(p.name for p in saved.iterdir()) == FILES
    for name in FILES:
        assert (fresh / name).read_bytes() == (saved / name).read_bytes(), name


def test_text_a_spreadsheet_would_run_is_neutralised(
    exported: tuple[Path, Path, Path, Path],
) -> None:
    _, fresh, _, _ = exported
    raw = (fresh / "answers.csv").read_text(encoding="utf-8")
    assert "\n=HYPERLINK" not in raw and ",=HYPERLINK" not in raw and ',"=HYPERLINK' not in raw
    assert ",@SUM" not in raw
    row = _read(fresh, "answers.csv").set_index("control_id").loc["ECBS-VR-01"]
    assert row["evidence"] == "'" + INJECTED["evidence"]
    assert row["notes"] == "'" + INJECTED["notes"]
    for path in fresh.glob("*.csv"):
        frame = _read(fresh, path.name)
        for column in frame.columns:
            if pd.api.types.is_numeric_dtype(frame[column]):
                continue
            cells = frame[column].dropna().astype(str)
            assert not cells.str.match(r"[=+\-@\t\r]").any(), (path.name, column)


def test_an_existing_export_is_replaced_only_with_force(
    exported: tuple[Path, Path, Path, Path], tmp_path: Path
) -> None:
    ws, fresh, _, run = exported
    out = tmp_path / "out"
    shutil.copytree(fresh, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    (out / "scores.csv").write_text("mine\n", encoding="utf-8")
    result = _run("export", "csv", ws, "--from", run, "--out", out)
    assert result.exit_code == 2, result.output
    assert "--force" in result.output and "Traceback" not in result.output
    assert (out / "scores.csv").read_text(encoding="utf-8") == "mine\n"  # untouched
    result = _run("export", "csv", ws, "--from", run, "--out", out, "--force")
    assert result.exit_code == 0, result.output
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_nothing_is_written_when_the_run_is_stale_or_the_folder_a_workspace(
    exported: tuple[Path, Path, Path, Path], tmp_path: Path
) -> None:
    ws, _, _, run = exported
    out = tmp_path / "out"
    result = _run("export", "csv", ws, "--from", run, "--out", out, "--seed", "12")
    assert result.exit_code == 3, result.output
    assert "seed" in result.output and not out.exists()
    result = _run("export", "csv", ws, "--from", run, "--out", ws / "export")
    assert result.exit_code == 2, result.output
    assert "workspace" in result.output and not (ws / "export").exists()


def test_an_input_error_names_the_file_line_and_field_and_writes_nothing(
    example_copy: Path, tmp_path: Path
) -> None:
    path = example_copy / "assessment.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    level: 2\n", "    level: 7\n", 1), encoding="utf-8")
    line = text.split("    level: 2\n", 1)[0].count("\n") + 1
    out = tmp_path / "out"
    result = _run("export", "csv", example_copy, "--out", out, *OPTIONS)
    assert result.exit_code == 3, result.output
    assert "assessment.yaml" in result.output and f":{line}" in result.output
    assert "level" in result.output and "Traceback" not in result.output
    assert not out.exists()


def test_the_docs_page_lists_every_column_as_the_descriptor_does() -> None:
    text = DOCS.read_text(encoding="utf-8")
    start, end = "<!-- columns: begin -->\n", "<!-- columns: end -->"
    assert start in text and end in text
    generated = text.split(start, 1)[1].split(end, 1)[0]
    assert generated.strip() == columns_markdown().strip(), (
        "docs/exports.md is out of date: replace the part between the markers with "
        "cyberready.report.tables.columns_markdown()"
    )
