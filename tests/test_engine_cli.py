"""`cyberready simulate` and the demo's top risks, on the shipped example (smoke tests)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import cyberready
from cyberready.cli import main
from cyberready.engine import simulate


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_simulate_prints_the_tables(example_dir: Path) -> None:
    code, out = _run("simulate", str(example_dir), "--trials", "300")
    assert code == 0, out
    for heading in (
        "Scenarios (by expected loss)",
        "Functions: P(fails this cycle)",
        "95% Wilson intervals",
        "Assets most often lost: compromised, or failed without an attacker",
    ):
        assert heading in out
    assert "× 300 trials, seed 0" in out


def test_simulate_json_is_reproducible_and_matches_the_library(example_dir: Path) -> None:
    args = ["simulate", str(example_dir), "--scenario", "ransomware-shared-it", "--trials", "400"]
    code, out = _run(*args, "--seed", "5", "--json")
    assert code == 0, out
    data = json.loads(out)
    assert [s["scenario"] for s in data["scenarios"]] == ["ransomware-shared-it"]
    again = json.loads(_run(*args, "--seed", "5", "--json")[1])
    assert again == data
    lib = simulate(
        cyberready.load_workspace(example_dir), ["ransomware-shared-it"], trials=400, seed=5
    )
    assert data["expected_loss"] == pytest.approx(lib.expected_loss)
    other = json.loads(_run(*args, "--seed", "6", "--json")[1])
    assert other["scenarios"][0]["functions"] != data["scenarios"][0]["functions"]


def test_unknown_scenario_exits_3_with_a_hint(example_dir: Path) -> None:
    code, out = _run(
        "simulate", str(example_dir), "--scenario", "ransomware-shared", "--trials", "5"
    )
    assert code == 3
    assert "ransomware-shared-it" in out  # did you mean


def test_simulate_help_has_an_example() -> None:
    code, out = _run("simulate", "--help")
    assert code == 0
    assert "cyberready simulate examples/examplia" in out


def test_demo_shows_top_risks(demo_run: tuple[int, str, Path]) -> None:
    code, out, _ = demo_run
    assert code == 0, out
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("top risks"))
    risks = lines[start + 1 : start + 4]
    assert len(risks) == 3
    assert all("chance of failing this cycle" in line for line in risks)
