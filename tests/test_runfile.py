"""One assessment, many reports: `assess --save RUN`, `report --from RUN`, and several audiences
and formats from one `report` run. A saved run is reused only for the inputs it was made from."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import cyberready
from cyberready.cli import main
from cyberready.report.runfile import RUN_FORMAT

TRIALS = "200"


def _run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A copy of the example workspace and a run saved from it."""
    root = tmp_path_factory.mktemp("runfile")
    ws = root / "ws"
    shutil.copytree(cyberready.example_path(), ws)
    run = root / "run.json"
    result = _run("assess", ws, "--save", run, "--trials", TRIALS, "--seed", "5")
    assert result.exit_code == 0, result.output
    return ws, run


def test_every_audience_and_format_renders_from_one_saved_run(
    saved: tuple[Path, Path], tmp_path: Path
) -> None:
    ws, run = saved
    out = tmp_path / "reports"
    result = _run(
        "report", ws, "--from", run, "--audience", "all", "--format", "html,md,json,xlsx",
        "--out", out,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(
        f"examplia-iec-{a}.{f}"
        for a in ("technical", "advisor", "donor", "public")
        for f in ("html", "md", "json", "xlsx")
    )
    # the saved run is the assessment a direct report would have run with the same options
    direct = tmp_path / "direct.json"
    result = _run(
        "report", ws, "--audience", "advisor", "--format", "json", "--trials", TRIALS,
        "--seed", "5", "--out", direct,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (out / "examplia-iec-advisor.json").read_bytes() == direct.read_bytes()
    donor = json.loads((out / "examplia-iec-donor.json").read_text(encoding="utf-8"))
    assert donor["audience"] == "donor" and donor["banner"]["tlp"] == "TLP:GREEN"
    public = json.loads((out / "examplia-iec-public.json").read_text(encoding="utf-8"))
    assert public["audience"] == "public" and public["banner"]["tlp"] == "TLP:CLEAR"


def test_a_platform_report_renders_from_the_saved_run_by_company(
    saved: tuple[Path, Path], tmp_path: Path
) -> None:
    ws, run = saved
    out = tmp_path / "p"
    result = _run(
        "report", ws, "--from", run, "--audience", "platform", "--company", "vidstream",
        "--format", "json,md", "--out", out,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    view = json.loads((out / "examplia-iec-platform-vidstream.json").read_text(encoding="utf-8"))
    assert (view["audience"], view["company"], view["banner"]["tlp"]) == (
        "platform",
        "VidStream",
        "TLP:AMBER",
    )
    assert "VidStream" in (out / "examplia-iec-platform-vidstream.md").read_text(encoding="utf-8")
    # without --company: a usage error naming the companies; an unknown one: exit 3, the closest
    result = _run("report", ws, "--from", run, "--audience", "platform", "--out", out / "x.md")
    assert result.exit_code == 2 and "Chirper, VidStream" in result.output
    result = _run(
        "report", ws, "--from", run, "--audience", "platform", "--company", "Chriper",
        "--out", out / "x.md",
    )  # fmt: skip
    assert result.exit_code == 3 and "did you mean 'Chirper'" in result.output
    assert not (out / "x.md").exists()


def test_a_stale_run_is_refused_and_nothing_is_written(
    saved: tuple[Path, Path], tmp_path: Path
) -> None:
    ws, run = saved
    edited = tmp_path / "ws"
    shutil.copytree(ws, edited)
    with (edited / "assessment.yaml").open("a", encoding="utf-8") as f:
        f.write("# a later edit\n")
    out = tmp_path / "r.html"
    result = _run("report", edited, "--from", run, "--out", out)
    assert result.exit_code == 3
    assert "stale run" in result.output and "--save" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_a_run_made_with_other_options_is_refused(saved: tuple[Path, Path], tmp_path: Path) -> None:
    ws, run = saved
    out = tmp_path / "r.html"
    result = _run("report", ws, "--from", run, "--trials", "500", "--out", out)
    assert result.exit_code == 3
    assert "trials 200 in the run, 500 asked" in result.output
    assert not out.exists()
    # options the run was made with are accepted
    result = _run("report", ws, "--from", run, "--trials", TRIALS, "--seed", "5", "--out", out)
    assert result.exit_code == 0, result.output
    assert out.exists()


def test_a_file_that_is_not_a_run_is_refused(saved: tuple[Path, Path], tmp_path: Path) -> None:
    ws, _run_file = saved
    bogus = tmp_path / "bogus.json"
    bogus.write_text('{"kind": "report"}', encoding="utf-8")
    result = _run("report", ws, "--from", bogus, "--out", tmp_path / "r.html")
    assert result.exit_code == 3
    assert "not a saved run" in result.output


def test_a_run_in_an_older_format_is_refused_by_name(
    saved: tuple[Path, Path], tmp_path: Path
) -> None:
    ws, run = saved
    data = json.loads(run.read_text(encoding="utf-8"))
    data["schema_version"] = RUN_FORMAT - 1
    old = tmp_path / "old-run.json"
    old.write_text(json.dumps(data), encoding="utf-8")
    out = tmp_path / "r.html"
    result = _run("report", ws, "--from", old, "--out", out)
    assert result.exit_code == 3
    assert f"run format {RUN_FORMAT - 1} by an earlier cyberready" in result.output
    assert "--save" in result.output and "Traceback" not in result.output
    assert not out.exists()


def test_several_reports_need_a_folder(saved: tuple[Path, Path], tmp_path: Path) -> None:
    ws, run = saved
    existing = tmp_path / "file.html"
    existing.write_text("keep me", encoding="utf-8")
    result = _run("report", ws, "--from", run, "--audience", "donor,technical", "--out", existing)
    assert result.exit_code == 2
    assert "needs a folder" in result.output or "need a folder" in result.output
    assert existing.read_text(encoding="utf-8") == "keep me"
    result = _run("report", ws, "--audience", "bogus", "--from", run)
    assert result.exit_code == 2 and "'bogus' is not one of technical, advisor, donor" in (
        result.output
    )
