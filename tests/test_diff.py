"""Re-assessment diffs and the readiness CLI (assess, diff) on hand-made assessments."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from mini_emb import assessment_data, mini_assessment, mini_framework, write_mini_workspace

import cyberready
from cyberready.cli import main
from cyberready.errors import AssessmentError
from cyberready.interop.diff import diff_assessments, diff_paths

OLD: dict[str, Any] = {
    "MINI-A-01": {"level": 2, "source": "interview"},
    "MINI-A-02": {"level": 3, "source": "document"},
    "MINI-B-01": {"level": 1, "source": "document"},
}
NEW: dict[str, Any] = {
    "MINI-A-01": {"level": 3, "source": "test"},  # up
    "MINI-A-02": {"level": 3, "source": "test"},  # evidence only
    # MINI-B-01 left unanswered: newly unassessed (and down, 25 -> 0)
}


def test_diff_lists_controls_up_down_and_newly_unassessed() -> None:
    d = diff_assessments(
        mini_assessment(OLD, as_of="2025-01-01"),
        mini_assessment(NEW, as_of="2026-01-01"),
        [mini_framework()],
    )
    kinds = {c.control: c.kind for c in d.changes}
    assert kinds == {"MINI-A-01": "up", "MINI-A-02": "evidence", "MINI-B-01": "unassessed"}
    assert [c.control for c in d.up] == ["MINI-A-01"]
    assert [c.control for c in d.down] == ["MINI-B-01"]
    assert [c.control for c in d.newly_unassessed] == ["MINI-B-01"]
    b01 = d.newly_unassessed[0]
    assert (b01.old_level, b01.new_level, b01.delta) == (1, None, -25.0)
    assert d.up[0].delta == 25.0
    # domain A: (1*50 + 3*75)/4 = 68.75 -> (1*75 + 3*75)/4 = 75
    dom = {(a.framework, a.domain): a for a in d.domains}
    assert dom[("mini", "A")].delta == 6.25
    assert dom[("mini", "B")].delta == -25.0
    # overall: (50 + 225 + 50)/6 -> (75 + 225 + 0)/6
    assert d.overall.delta == pytest.approx((300 - 325) / 6)
    frame = d.to_frame()
    assert list(frame["control"]) == ["MINI-A-01", "MINI-A-02", "MINI-B-01"]
    assert d.to_frame("domain")["scope"].tolist()[0] == "overall"
    assert "newly unassessed" in d._repr_html_()


def test_diff_n_a_transitions_and_overrides() -> None:
    d = diff_assessments(
        mini_assessment({"MINI-A-01": {"level": 2}, "MINI-A-02": {"level": "n/a"}}),
        mini_assessment(
            {"MINI-A-01": {"level": "n/a"}, "MINI-A-02": {"level": 0}, "MINI-B-01": {"level": 0}},
            overrides=[{"select": ["ws2"], "control": "MINI-B-01", "level": 2}],
        ),
        [mini_framework()],
    )
    kinds = {c.control: c.kind for c in d.changes}
    # MINI-B-01: unassessed -> level 0 is no score change, but it is now assessed
    assert kinds == {"MINI-A-01": "now n/a", "MINI-A-02": "applicable", "MINI-B-01": "assessed"}
    assert all(c.delta is None for c in d.changes if c.kind in ("now n/a", "applicable"))
    assert d.overrides_added == ("MINI-B-01 = 2 on ids=ws2",)
    assert d.overrides_removed == ()


def test_diff_paths_files_and_workspaces(tmp_path: Path) -> None:
    old_ws = write_mini_workspace(tmp_path / "old", OLD, as_of="2025-01-01")
    new_ws = write_mini_workspace(tmp_path / "new", NEW, as_of="2026-01-01")
    by_dirs = diff_paths(old_ws, new_ws)
    by_files = diff_paths(old_ws / "assessment.yaml", new_ws / "assessment.yaml")
    assert by_dirs.to_dict()["changes"] == by_files.to_dict()["changes"]
    assert by_files.old_as_of.isoformat() == "2025-01-01"
    with pytest.raises(AssessmentError, match="no earlier assessment"):
        diff_paths(new_ws)
    with pytest.raises(AssessmentError):
        diff_paths(old_ws / "assessment.yaml")  # one file: nothing to compare with


def test_single_workspace_compares_with_its_latest_history_entry(tmp_path: Path) -> None:
    root = write_mini_workspace(tmp_path / "ws", NEW, as_of="2026-01-01")
    history = root / "history"
    history.mkdir()
    for name, answers, as_of in (
        ("assessment-2025-06-01.yaml", {"MINI-A-01": {"level": 0}}, "2025-06-01"),
        ("assessment-2025-06-01-2.yaml", OLD, "2025-06-01"),
        ("assessment-2024-01-01.yaml", {}, "2024-01-01"),
    ):
        (history / name).write_text(yaml.safe_dump(assessment_data(answers, as_of=as_of)))
    d = diff_paths(root)
    assert d.old_label.endswith("assessment-2025-06-01-2.yaml")
    # the loaded workspace orders its history the same way (-2 after the first of the day)
    loaded = cyberready.load_workspace(root)
    assert [len(h.answers) for h in loaded.history] == [0, 1, 3]
    assert {c.control: c.kind for c in d.changes}["MINI-A-01"] == "up"


def test_history_may_have_answered_other_frameworks_than_todays_scope(tmp_path: Path) -> None:
    """An EMB that changes the frameworks it is assessed against keeps its history: an earlier
    assessment of a framework since dropped (or taken before one was added) still loads, and is
    scored against today's scope."""
    root = write_mini_workspace(tmp_path / "ws", NEW, as_of="2026-01-01")
    (root / "history").mkdir()
    earlier = assessment_data({"ECBS-VR-01": {"level": 3}}, as_of="2024-01-01")
    earlier["frameworks"] = ["usaid-ecbs"]  # before "mini" was adopted
    both = assessment_data({**OLD, "ECBS-VR-01": {"level": 2}}, as_of="2025-01-01")
    both["frameworks"] = ["mini", "usaid-ecbs"]  # "usaid-ecbs" dropped since
    for data in (earlier, both):
        (root / "history" / f"assessment-{data['as_of']}.yaml").write_text(yaml.safe_dump(data))
    ws = cyberready.load_workspace(root)
    assert [h.as_of.isoformat() for h in ws.history] == ["2024-01-01", "2025-01-01"]
    then = [cyberready.score(ws, assessment=h) for h in ws.history]
    assert [[f.framework for f in r.frameworks] for r in then] == [["mini"], ["mini"]]
    assert then[0].overall.score == 0  # nothing of today's scope was answered then
    assert (
        then[1].overall.score == cyberready.score(ws, assessment=mini_assessment(OLD)).overall.score
    )
    # the current assessment must still answer exactly today's scope, and a history entry
    # naming an unknown framework is still an error with its file and line
    bad = assessment_data({}, as_of="2023-01-01")
    bad["frameworks"] = ["usaid-ecb"]
    (root / "history" / "assessment-2023-01-01.yaml").write_text(yaml.safe_dump(bad))
    with pytest.raises(AssessmentError) as err:
        cyberready.load_workspace(root)
    (problem,) = err.value.problems
    assert problem.file.endswith("assessment-2023-01-01.yaml") and problem.line
    assert "usaid-ecb" in problem.message and "usaid-ecbs" in (problem.hint or "")


def test_cli_diff_text_and_json(tmp_path: Path) -> None:
    old_ws = write_mini_workspace(tmp_path / "old", OLD, as_of="2025-01-01")
    new_ws = write_mini_workspace(tmp_path / "new", NEW, as_of="2026-01-01")
    result = CliRunner().invoke(main, ["diff", str(old_ws), str(new_ws)])
    assert result.exit_code == 0, result.output
    assert "Controls up: 1" in result.output
    assert "Controls down: 1" in result.output
    assert "Newly unassessed (now counted as 0): 1" in result.output
    data = json.loads(CliRunner().invoke(main, ["diff", str(old_ws), str(new_ws), "--json"]).output)
    assert data["newly_unassessed"] == ["MINI-B-01"]
    assert data["overall"]["delta"] == pytest.approx(-25 / 6)
    bad = CliRunner().invoke(main, ["diff", str(new_ws)])
    assert bad.exit_code == 3
    assert "no earlier assessment" in bad.output


# --------------------------------------------------------------------------- assess


def test_cli_assess_table_json_csv(tmp_path: Path) -> None:
    root = write_mini_workspace(
        tmp_path / "ws",
        {"MINI-A-01": {"level": 4, "source": "test"}, "MINI-A-02": {"level": 2}},
        overrides=[{"select": ["ws2"], "control": "MINI-A-01", "level": 0}],
        platforms={"Chirp": {"MINI-P-01": {"level": 3}}},
    )
    result = CliRunner().invoke(main, ["assess", str(root)])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Readiness of mini-emb as of 2026-01-10" in out
    assert "Unassessed, counted as 0 (1):" in out and "MINI-B-01" in out
    assert "Levels that differ across assets" in out and "ids=ws2: 0 (1)" in out
    assert "Chirp" in out
    data = json.loads(CliRunner().invoke(main, ["assess", str(root), "--json"]).output)
    # (1*100 + 3*50 + 2*0) / 6
    assert data["overall"]["score"] == pytest.approx(250 / 6)
    assert data["overall"]["unassessed"] == ["MINI-B-01"]
    assert data["platforms"][0]["total"]["score"] == 75.0
    csv_out = CliRunner().invoke(main, ["assess", str(root), "--csv"]).output
    lines = csv_out.splitlines()
    assert lines[0].startswith("framework,domain,control,title,weight,status,level,score")
    assert len(lines) == 4
    both = CliRunner().invoke(main, ["assess", str(root), "--csv", "--json"])
    assert both.exit_code == 2


def test_cli_assess_fail_under_exit_4(tmp_path: Path) -> None:
    root = write_mini_workspace(tmp_path / "ws", {"MINI-A-01": {"level": 4}})  # 100/6 = 16.7
    below = CliRunner().invoke(main, ["assess", str(root), "--fail-under", "20"])
    assert below.exit_code == 4
    assert "overall readiness 16.7 is below --fail-under 20" in below.output
    above = CliRunner().invoke(main, ["assess", str(root), "--json", "--fail-under", "15"])
    assert above.exit_code == 0
    json.loads(above.output)


def test_cli_demo_prints_the_example_readiness(demo_run: tuple[int, str, Path]) -> None:
    code, output, _ = demo_run
    assert code == 0, output
    assert "readiness: " in output and "/100 overall" in output
