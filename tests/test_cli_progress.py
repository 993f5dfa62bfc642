"""Progress on stderr: one helper for every command, plain lines off a terminal.

Off a terminal (a pipe, a log file, CI) each stage is one plain line, with no terminal
escapes; stdout, where ``--json`` goes, never receives any of it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cyberready.cli import main
from cyberready.cli._progress import Progress, stage_names
from cyberready.report.i18n import translations

ESC = "\x1b"


def test_off_a_terminal_each_stage_is_one_plain_line(capsys: pytest.CaptureFixture[str]) -> None:
    with Progress(tty=False) as progress:
        progress("readiness", 0, 1)
        progress("readiness", 1, 1)
        progress("simulation", 500, 1_000)
        progress("simulation", 1_000, 1_000)
        progress.stage("screening", 12)
        progress.advance(3)
        progress.to(12, 12)
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "readiness...\nsimulation...\nscreening...\n"


def test_a_labelled_progress_names_its_stage_and_can_be_silenced(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with Progress("assessing EMBs", tty=False) as progress:
        progress.to(1, 3)
        progress.to(3, 3)
    with Progress("hidden", 4, tty=False, enabled=False) as quiet:
        quiet.advance(4)
    assert capsys.readouterr().err == "assessing EMBs...\n"


def test_stage_names_from_input_are_shown_without_escapes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with Progress(tty=False) as progress:
        progress.stage("evil\x1b[31m stage")
    err = capsys.readouterr().err
    assert ESC not in err and "stage..." in err


def test_prioritize_shows_its_stages_plainly_and_keeps_stdout_clean(example_dir: Path) -> None:
    args = ["prioritize", str(example_dir), "--top", "2", "--json"]
    res = CliRunner().invoke(main, [*args, "--trials", "200", "--screen-trials", "100"])
    assert res.exit_code == 0, res.output
    assert ESC not in res.stderr and "\r" not in res.stderr
    lines = res.stderr.splitlines()
    assert "screening..." in lines and "re-simulating leaders..." in lines
    assert json.loads(res.stdout)["emb"] == "examplia-iec"


def test_assess_save_shows_every_stage_of_the_assessment(example_dir: Path, tmp_path: Path) -> None:
    run = tmp_path / "run.json"
    res = CliRunner().invoke(
        main, ["assess", str(example_dir), "--save", str(run), "--trials", "100", "--json"]
    )
    assert res.exit_code == 0, res.output
    assert ESC not in res.stderr and "\r" not in res.stderr
    lines = res.stderr.splitlines()
    for stage in ("readiness...", "simulation...", "screening..."):
        assert stage in lines
    assert json.loads(res.stdout)["overall"]
    assert run.exists()


def test_progress_is_shown_in_the_commands_language(example_dir: Path, tmp_path: Path) -> None:
    """Every stage an assessment reports has a name in the catalogs, and ``--locale fr`` shows
    the French one for each (the callback still gets the English name, which scripts see)."""
    shown: dict[str, list[str]] = {}
    for locale in ("en", "fr"):
        run = tmp_path / f"run-{locale}.json"
        args = ["assess", str(example_dir), "--save", str(run), "--trials", "100", "--json"]
        res = CliRunner().invoke(main, [*args, "--locale", locale])
        assert res.exit_code == 0, res.output
        shown[locale] = [x.removesuffix("...") for x in res.stderr.splitlines() if x[-3:] == "..."]
    english = stage_names(lambda m: m)
    assert len(shown["en"]) >= 5 and set(shown["en"]) <= set(english)  # none left unnamed
    french = stage_names(translations("fr").gettext)
    assert shown["fr"] == [french[s] for s in shown["en"]]
    assert all(french[s] != s for s in shown["en"] if s != "simulation")  # same word in French
    assert "tri des actions" in shown["fr"] and "screening" not in shown["fr"]


def test_portfolio_commands_show_their_progress_plainly(tmp_path: Path) -> None:
    sample = tmp_path / "sample"
    res = CliRunner().invoke(main, ["examples", "portfolio", "--n", "3", "--out", str(sample)])
    assert res.exit_code == 0, res.output
    assert "generating EMBs..." in res.stderr.splitlines()
    assert ESC not in res.stderr
    out = tmp_path / "summary.json"
    res = CliRunner().invoke(
        main,
        ["portfolio", str(sample), "--out", str(out), "--executor", "serial", "--trials", "20"],
    )
    assert res.exit_code == 0, res.output
    assert "assessing EMBs..." in res.stderr.splitlines()
    assert ESC not in res.stderr and "\r" not in res.stderr
    assert out.exists()
