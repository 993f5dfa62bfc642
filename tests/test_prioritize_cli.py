"""The ``prioritize`` command and the demo's "top actions" lines."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cyberready.cli import main

FAST = ["--trials", "400", "--screen-trials", "200"]


def test_prioritize_lists_explains_plans_and_schedules(example_dir: Path) -> None:
    res = CliRunner().invoke(
        main, ["prioritize", str(example_dir), "--top", "4", "--budget", "60000", *FAST]
    )
    assert res.exit_code == 0, res.output
    out = res.output
    assert "Top 4 actions by benefit per cost" in out
    assert "1. Raise " in out and "NIST CSF 2.0" in out  # explanations
    assert "Plan within $60,000 (mid costs" in out
    assert "Roadmap of the plan, all started on 2026-11-01" in out
    assert "before registration (2026-12-01)" in out
    assert "No simulated effect" in out


def test_prioritize_json_is_complete_and_the_plan_fits(example_dir: Path) -> None:
    res = CliRunner().invoke(
        main,
        ["prioritize", str(example_dir), "--top", "3", "--json", "--budget", "80000", *FAST],
    )
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["emb"] == "examplia-iec" and data["trials"] == 400
    assert data["ranking"][0]["rank"] == 1 and data["ranking"][0]["explanation"]
    assert data["plan"]["cost"]["low"] <= data["plan"]["cost"]["high"]
    assert (data["plan"]["cost"]["low"] + data["plan"]["cost"]["high"]) / 2 <= 80_000
    assert {e["action"] for e in data["roadmap"]["entries"]} == {
        s["action"] for s in data["plan"]["steps"]
    }


def test_prioritize_csv_prints_one_table(example_dir: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(main, ["prioritize", str(example_dir), "--top", "2", "--csv", *FAST])
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert [r["rank"] for r in rows] == ["1", "2"]
    res = runner.invoke(
        main,
        ["prioritize", str(example_dir), "--csv", "--table", "roadmap", "--budget", "1", *FAST],
    )
    assert res.exit_code == 0, res.output
    assert res.stdout.startswith("action,control,title,weeks,ready,milestone")


def test_prioritize_budget_high_basis_fits_at_the_top_of_every_range(example_dir: Path) -> None:
    res = CliRunner().invoke(
        main,
        [
            "prioritize",
            str(example_dir),
            "--json",
            "--budget",
            "50000",
            "--cost-basis",
            "high",
            *FAST,
        ],
    )
    assert res.exit_code == 0, res.output
    plan = json.loads(res.stdout)["plan"]
    assert plan["basis"] == "high" and plan["steps"]
    assert plan["cost"]["high"] <= 50_000


def test_prioritize_rejects_bad_input(tmp_path: Path, example_dir: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(main, ["prioritize", str(tmp_path)])  # no emb.yaml
    assert res.exit_code == 3
    res = runner.invoke(main, ["prioritize", str(example_dir), "--json", "--csv"])
    assert res.exit_code == 2
    res = runner.invoke(main, ["prioritize", str(example_dir), "--start", "1 March"])
    assert res.exit_code == 2


def test_prioritize_help_has_an_example() -> None:
    res = CliRunner().invoke(main, ["prioritize", "--help"])
    assert res.exit_code == 0
    assert "cyberready prioritize examples/examplia" in res.output


@pytest.mark.slow  # the demo also renders every report (HTML and PDF)
def test_demo_shows_the_top_actions(demo_run: tuple[int, str, Path]) -> None:
    code, output, _ = demo_run
    assert code == 0, output
    lines = output.splitlines()
    k = next(i for i, line in enumerate(lines) if line.startswith("top actions"))
    assert [line.split(".")[0].strip() for line in lines[k + 1 : k + 4]] == ["1", "2", "3"]
    assert "expected loss -" in lines[k + 1] and "$" in lines[k + 1]
