"""The workflow benchmark's section of ``results.md``: per-task totals of each tree beside the
issue's targets, a failed command marked as such, and the load each command started under."""

from __future__ import annotations

import subprocess
from dataclasses import asdict
from pathlib import Path

import pytest

from benchmarks.workflow_bench import BEFORE_COMMIT, ROOT, Timed, export_tree, render, sampled


def _row(tree: str, task: str, seconds: float, code: int = 0, load: float = 1.0) -> Timed:
    return Timed(tree, task, f"cyberready {task}", seconds, code, 100.0, load)


def _render(rows: list[Timed], **meta: object) -> str:
    """The section for ``rows`` with a made-up run's metadata (``meta`` overrides it)."""
    base: dict[str, object] = {
        "date": "2026-12-03 20:00",
        "command": "python -m benchmarks.workflow_bench",
        "elapsed_minutes": 20.0,
        "machine": "test cpu",
        "cores": "2",
        "size": 4000,
        "n_assets": 4004,
        "trials": "default",
        "before": "2f1dd6e",
        "after": "abc1234",
    }
    return render({"meta": {**base, **meta}, "rows": [asdict(r) for r in rows]})


def test_the_section_sums_each_trees_reports_and_marks_failures() -> None:
    rows = [_row("before", "reports", 50.0, load=3.5) for _ in range(15)]
    rows += [_row("before", "prioritize", 110.0), _row("before", "help", 2.4, code=1)]
    rows += [_row("after", "reports", 95.0, load=0.4), _row("after", "prioritize", 20.0)]
    rows += [_row("after", "reports (saved run)", 80.0), _row("after", "reports (saved run)", 9.0)]
    text = _render(rows)
    table = {
        line.split("|")[1].strip(): line for line in text.splitlines() if line.startswith("| ")
    }
    assert "12.5 min (15 runs)" in table["all 15 reports"]  # 15 × 50 s
    assert "1.6 min" in table["all 15 reports"] and "1.5 min (2 runs)" in table["all 15 reports"]
    assert "FAILED" in table["`cyberready --help`"]
    assert "FAILED" not in table["`prioritize`"]
    assert "0.4 to 3.5" in text  # the range of load averages the commands started under
    trees = [line.split("|")[1].strip() for line in text.splitlines() if line.startswith("| ")]
    assert trees.count("before") == 17 and trees.count("after") == 4  # one line per command


def test_the_before_tree_is_the_commit_s_files(tmp_path: Path) -> None:
    known = subprocess.run(
        ["git", "cat-file", "-e", f"{BEFORE_COMMIT}^{{commit}}"], cwd=ROOT, capture_output=True
    )
    if known.returncode:
        pytest.skip(f"not a git checkout holding {BEFORE_COMMIT}")
    tree = export_tree(BEFORE_COMMIT, tmp_path / "before")
    assert (tree / "cyberready" / "cli.py").exists()
    assert not (tree / "benchmarks" / "workflow_bench.py").exists()  # added after that commit


def test_a_sampled_before_run_is_scaled_to_15_reports_and_says_so() -> None:
    pairs = sampled(3)
    assert len(set(pairs)) == 3
    assert {a for a, _ in pairs} == {"technical", "advisor", "donor"}  # every audience
    assert len({f for _, f in pairs}) == 3  # three different formats
    assert len(set(sampled(15))) == 15 and sampled(None) == sampled(99)
    rows = [_row("before", "reports", s) for s in (470.0, 490.0, 510.0)]
    rows += [_row("after", "reports", 200.0)]
    text = _render(
        rows, command="python -m benchmarks.workflow_bench --before-sample 3", before_sample=3
    )
    line = next(t for t in text.splitlines() if t.startswith("| all 15 reports"))
    # 15 × the mean of 490 s = 122.5 min, and how it was obtained
    assert "≈ 122.5 min (3 of 15 timed: 8.2 min each)" in line
