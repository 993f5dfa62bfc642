"""The plan counts for this cycle only what can be in place in time, and one
screening rule serves every command.

An action's benefit this cycle is what it protects in the phases that start after it is ready;
the rest counts from the next cycle on, shown apart. Through the real CLI on copies of the
shipped examples, and hand-checked on the worked example of docs/trial-model.md.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from prioritize_models import OUTAGE, build, control, worked_example
from report_workspace import write_workspace

import cyberready
from cyberready.cli import SCREENING_DEFAULT, main
from cyberready.prioritize import prioritize, screening_trials

POLLING_DAY = dt.date(2027, 3, 14)  # examplia's voting window
LAST_PHASE_STARTS = dt.date(2027, 3, 22)  # examplia's post_election window


def _run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def _copy(name: str, tmp_path: Path) -> Path:
    ws = tmp_path / name
    shutil.copytree(Path(cyberready.example_path()).parent / name, ws)
    return ws


def _priorities(ws: Path, *extra: str) -> dict[str, Any]:
    res = _run("prioritize", ws, "--json", "--top", "3", "--seed", "2", *extra)
    assert res.exit_code == 0, res.output
    data: dict[str, Any] = json.loads(res.stdout)
    return data


def _step(plan: dict[str, Any], action: str) -> dict[str, Any]:
    return next(s for s in plan["steps"] if s["action"] == action)


# --------------------------------------------------------------------------- the split, by hand


def _ddos_only(phases: list[str]) -> cyberready.Workspace:
    """The worked example with only the DDoS control: raising it to level 4 halves the mirror's
    0.3 chance of going down, so P(publish fails) drops from 0.3 x 0.3 = 0.09 to 0.045. The
    function's part of the benefit is 4 x 0.045 = 0.18; the disruption is not public, so the
    trust part is w_pc 3 x (one failed function: T = 1/3) x 0.045 = 0.045."""
    return worked_example(
        controls=[control("T-DDOS", ["results_website"], mitigates={"ddos": 0.5}, weeks=4)],
        answers={"T-DDOS": {"level": 0}},
        overrides=[],
        scenarios=[{**OUTAGE, "phases": phases}],
        budget=5_000,
    )


def test_a_hand_checked_action_counts_for_the_phases_it_is_ready_for() -> None:
    # the scenario targets registration and results: its trust part is shared by both phases
    ws = _ddos_only(["voter_registration", "results_publication"])

    def split(start: dt.date) -> tuple[float, float, float]:
        p = prioritize(ws, trials=20_000, screen_trials=20_000, start=start, leaders=1)
        assert p.plan is not None and [a.id for a in p.plan.actions] == ["T-DDOS>4"]
        step = p.plan.steps[0]
        assert step.this_cycle is not None and step.next_cycle is not None
        assert step.this_cycle + step.next_cycle == pytest.approx(step.marginal.value)
        assert (p.plan.this_cycle, p.plan.next_cycle) == (step.this_cycle, step.next_cycle)
        return step.this_cycle, step.next_cycle, step.marginal.value

    # ready 29 Nov, before registration (1 Dec): all of it this cycle
    this, later, total = split(dt.date(2026, 11, 1))
    assert total == pytest.approx(0.225, abs=0.03)
    assert (this, later) == (total, 0.0)
    # ready 18 Dec: registration has begun, results not yet: 0.18 + 0.045 / 2 this cycle
    this, later, total = split(dt.date(2026, 11, 20))
    assert this == pytest.approx(0.2025, abs=0.03)
    assert later == pytest.approx(0.0225, abs=0.003)
    # ready 29 March, after every phase began: all of it next cycle
    this, later, total = split(dt.date(2027, 3, 1))
    assert (this, later) == (0.0, total)


def test_without_a_calendar_the_whole_benefit_counts_and_no_phase_is_claimed() -> None:
    ws = build(
        controls=[control("T-DDOS", ["results_website"], mitigates={"ddos": 0.5})],
        assets=[
            {"id": "site", "type": "results_website", "exposure": "internet"},
            {"id": "mirror", "type": "results_website", "exposure": "internet"},
        ],
        links=[],
        functions=[{**_publish_on(["site", "mirror"])}],
        scenarios=[
            {
                **OUTAGE,
                "entry": [
                    {
                        "select": ["site", "mirror"],
                        "technique": "ddos",
                        "probability": 0.5,
                        "time": {"fixed": 1},
                    }
                ],
                "propagation": [],
            }
        ],
        answers={"T-DDOS": {"level": 0}},
        budget=10_000,
    )
    p = prioritize(ws, trials=2_000, leaders=1)
    assert p.plan is not None and p.plan.steps
    assert p.plan.this_cycle == pytest.approx(p.plan.steps[-1].cumulative.value)
    assert p.plan.next_cycle == 0.0
    assert {e.milestone for e in p.roadmap.entries} == {"unscheduled"}


def _publish_on(assets: list[str]) -> dict[str, Any]:
    return {
        "id": "publish",
        "title": "Publish results",
        "weight": 4,
        "phase": "results_publication",
        "max_tolerable_outage_hours": 6,
        "requires": [{"all": assets}],
    }


# --------------------------------------------------------------------------- the CLI, examples


def test_examplia_an_action_ready_after_polling_day_counts_next_cycle_until_started_earlier(
    tmp_path: Path,
) -> None:
    ws = _copy("examplia", tmp_path)
    # few trials: what is checked holds on any trials (a step ready after every phase began
    # counts nothing this cycle, the parts add up, the same plan on the same trials gives the
    # same marginal), not only on converged numbers
    fast = ["--trials", "300", "--screen-trials", "100", "--budget", "450000"]
    data = _priorities(ws, *fast, "--start", "2027-02-01")
    late = data["plan"]
    # an action ready after every phase began protects nothing this cycle
    after = [s for s in late["steps"] if dt.date.fromisoformat(s["ready"]) >= LAST_PHASE_STARTS]
    assert after, "expected a plan action ready after polling day"
    slow = after[0]
    assert slow["this_cycle"] == 0.0 and slow["next_cycle"] == pytest.approx(slow["marginal"])
    # this cycle's total is the steps' this-cycle parts: the late action is not in it
    benefit = late["benefit"]["value"]
    assert late["benefit_this_cycle"] == pytest.approx(sum(s["this_cycle"] for s in late["steps"]))
    assert late["benefit_this_cycle"] + late["benefit_next_cycle"] == pytest.approx(benefit)
    assert late["benefit_this_cycle"] <= benefit - slow["marginal"] + 1e-9
    # steps run in the order the actions are ready
    readies = [s["ready"] for s in late["steps"]]
    assert readies == sorted(readies)

    # started before the cycle's first phase (1 June 2026), every action is in place in time,
    # the late one included: back in this cycle, nothing left for the next
    early = _priorities(ws, *fast, "--start", "2025-11-01")["plan"]
    again = _step(early, slow["action"])
    assert dt.date.fromisoformat(again["ready"]) < dt.date(2026, 6, 1)
    assert again["marginal"] == pytest.approx(slow["marginal"])  # same plan, same trials
    assert again["next_cycle"] == pytest.approx(0.0, abs=1e-12)
    assert again["this_cycle"] == pytest.approx(again["marginal"])
    assert early["benefit_this_cycle"] == pytest.approx(early["benefit"]["value"])
    assert early["benefit_next_cycle"] == pytest.approx(0.0, abs=1e-12)
    assert early["benefit_this_cycle"] > late["benefit_this_cycle"]

    # the terminal and CSV views show both parts
    res = _run("prioritize", ws, *fast, "--start", "2027-02-01", "--top", "3", "--seed", "2")
    assert res.exit_code == 0, res.output
    head = next(line for line in res.stdout.splitlines() if line.startswith("Plan within"))
    share = 100 * late["benefit_this_cycle"] / data["baseline"]["expected_loss"]
    shown = re.search(rf"this cycle {late['benefit_this_cycle']:.3f} \((\d+)% of today's", head)
    assert shown is not None, head
    assert abs(int(shown[1]) - share) <= 0.5
    assert f"next cycle {late['benefit_next_cycle']:.3f}" in head
    assert re.search(rf"next cycle: .*{re.escape(slow['action'])} ready", res.stdout)
    cheap = ["--trials", "300", "--screen-trials", "100", "--top", "1", "--budget", "50000"]
    csv = _run("prioritize", ws, *cheap, "--csv", "--table", "plan")
    assert csv.stdout.splitlines()[0].startswith(
        "step,action,control,title,scope,ready,marginal,marginal_se,this_cycle,next_cycle,"
    )


@pytest.mark.slow  # a national model: ~2,700 assets
def test_tarvonia_assessed_late_shows_the_unready_part_as_next_cycle_in_every_view(
    tmp_path: Path,
) -> None:
    ws = _copy("tarvonia", tmp_path)
    polling_day, last_phase_starts = "2027-10-17", "2027-10-28"
    path = ws / "assessment.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("as_of: 2027-04-20", "as_of: 2027-09-01"), encoding="utf-8")
    out = tmp_path / "reports"
    res = _run(
        "report", ws, "--audience", "all", "--format", "json,md", "--out", out,
        "--trials", "300", "--screen-trials", "100",
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    advisor = json.loads((out / "tarvonia-neb-advisor.json").read_text(encoding="utf-8"))
    donor = json.loads((out / "tarvonia-neb-donor.json").read_text(encoding="utf-8"))
    plan, roadmap = advisor["plan"], advisor["roadmap"]
    # as_of is the plan start: some of the plan's actions are ready after polling day, and
    # those ready after every phase began remove nothing this cycle
    late = [r for r in roadmap if r["before_phase"] is None]
    assert late and all(r["ready"] >= polling_day for r in late)
    after = [r for r in late if r["ready"] >= last_phase_starts]
    assert after and all(r["risk_reduction_share"] == 0.0 for r in after)
    assert all(r["next_cycle_share"] > 0 for r in after)
    assert plan["next_cycle_share"] > 0
    # the roadmap's parts add up to the plan's (each share is clamped at 0: noise aside)
    this = sum(r["risk_reduction_share"] for r in roadmap)
    assert this == pytest.approx(plan["risk_reduction_share"], abs=2e-3)
    later = sum(r["next_cycle_share"] for r in roadmap)
    assert later == pytest.approx(plan["next_cycle_share"], abs=2e-3)
    # the donor summary quotes the same split, and its domains add up to it
    assert donor["plan"] == plan
    domains = sum(p["risk_reduction_share"] for p in donor["priorities"])
    assert domains == pytest.approx(plan["risk_reduction_share"], abs=2e-3)
    md = (out / "tarvonia-neb-donor.md").read_text(encoding="utf-8")
    assert "of the simulated risk in this electoral cycle" in md
    assert "counts only from the next cycle" in md


# --------------------------------------------------------------------------- screening


def test_every_command_screens_with_the_same_number_of_trials(tmp_path: Path) -> None:
    ws = write_workspace(tmp_path / "embs" / "rep")  # small: four commands run it in full
    trials = "1500"  # a tenth: 150 (prioritize used to screen with 1,000)
    expected = screening_trials(1500)
    assert expected == 150

    res = _run("prioritize", ws, "--json", "--top", "1", "--trials", trials)
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["screen_trials"] == expected

    def screened(view: dict[str, Any]) -> int:
        rows = {a["name"]: a["value"] for a in view["assumptions"]}
        return int(rows["Screening trials per candidate action"].replace(",", ""))

    out = tmp_path / "advisor.json"
    res = _run("report", ws, "--audience", "advisor", "--format", "json", "--out", out,
               "--trials", trials)  # fmt: skip
    assert res.exit_code == 0, res.output
    assert screened(json.loads(out.read_text(encoding="utf-8"))) == expected

    run = tmp_path / "run.json"
    res = _run("assess", ws, "--save", run, "--trials", trials)
    assert res.exit_code == 0, res.output
    assert screened(json.loads(run.read_text(encoding="utf-8"))["views"]["advisor"]) == expected

    folio = tmp_path / "portfolio.json"
    res = _run("portfolio", tmp_path / "embs", "--out", folio, "--format", "json",
               "--executor", "serial", "--trials", trials)  # fmt: skip
    assert res.exit_code == 0, res.output
    assert json.loads(folio.read_text(encoding="utf-8"))["screen_trials"] == expected


def test_every_help_states_the_screening_default_and_few_trials_are_warned_about(
    tmp_path: Path,
) -> None:
    for command in ("assess", "report", "prioritize", "portfolio"):
        res = _run(command, "--help")
        assert "--screen-trials" in res.output
        flat = " ".join(res.output.split())
        assert f"[default: {SCREENING_DEFAULT}]" in flat, command
    # the words say what the rule does
    assert (screening_trials(10_000), screening_trials(500), screening_trials(50)) == (
        1000,
        100,
        50,
    )
    ws = _copy("examplia", tmp_path)
    res = _run("prioritize", ws, "--json", "--top", "1", "--trials", "300", "--budget", "0")
    assert res.exit_code == 0, res.output
    assert "300 trials per scenario is below 1,000" in res.stderr
    json.loads(res.stdout)  # the warning never mixes into the data
