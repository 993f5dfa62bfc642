"""The priorities' sequential rule: leaders, cumulative benefits and plan steps stop adding
trials once their 95% interval is narrow enough; ``--exact`` runs them all; the numbers do not
depend on the order of work or the number of threads."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import cyberready
from cyberready.cli import main
from cyberready.engine.results import Z95
from cyberready.prioritize import Priorities, loss_model, prioritize
from cyberready.prioritize._pipeline import FLOOR, is_settled

TRIALS, SCREEN, LEADERS, BUDGET = 2000, 200, 6, 80_000


@pytest.fixture(scope="module")
def examplia() -> cyberready.Workspace:
    return cyberready.load_workspace(cyberready.example_path())


@pytest.fixture(scope="module")
def runs(examplia: cyberready.Workspace) -> tuple[Priorities, Priorities]:
    kw = {"trials": TRIALS, "screen_trials": SCREEN, "leaders": LEADERS, "budget_usd": BUDGET}
    return prioritize(examplia, **kw), prioritize(examplia, exact=True, **kw)  # type: ignore[arg-type]  # the keyword arguments above


def test_exact_leaders_are_the_full_trials_of_a_fresh_model(
    examplia: cyberready.Workspace, runs: tuple[Priorities, Priorities]
) -> None:
    """With ``exact``, every leader's benefit is what a model run on all the trials at once
    gives, bit for bit (the screening rows extended to the full count change nothing)."""
    _seq, exact = runs
    fresh = loss_model(examplia, trials=TRIALS)
    leaders = [r for r in exact.ranking if r.cumulative is not None]
    assert len(leaders) == LEADERS
    for r in leaders:
        want = fresh.benefit(frozenset({r.action}))
        assert (r.benefit.value, r.benefit.se, r.benefit.trials) == (want.value, want.se, TRIALS)
    assert exact.plan is not None
    assert all(s.marginal.trials == TRIALS for s in exact.plan.steps)
    assert (exact.baseline, exact.baseline_se) == fresh.loss()


def test_sequential_leaders_stop_early_inside_their_interval(
    runs: tuple[Priorities, Priorities],
) -> None:
    seq, exact = runs
    full = {r.action.id: r.benefit for r in exact.ranking}
    leaders = [r for r in seq.ranking if r.cumulative is not None]
    assert len(leaders) == LEADERS
    used = [r.benefit.trials for r in leaders]
    assert all(n % SCREEN == 0 and SCREEN <= n <= TRIALS for n in used)
    assert sum(used) < LEADERS * TRIALS  # trials were saved
    floor = FLOOR * seq.baseline
    for r in leaders:
        b = r.benefit
        assert b.trials == TRIALS or is_settled(b, floor), r.action.id
        # the full-trials benefit lies within the interval the shorter run states
        assert b.low <= full[r.action.id].value <= b.high, r.action.id
    # the baseline users see always uses every trial
    assert (seq.baseline, seq.baseline_se) == (exact.baseline, exact.baseline_se)


def test_a_stopped_benefit_is_precise_as_stated(runs: tuple[Priorities, Priorities]) -> None:
    """Each stopped benefit's half-width is within 10% of it or within the floor."""
    seq, _exact = runs
    floor = FLOOR * seq.baseline
    for r in seq.ranking:
        if r.cumulative is None or r.benefit.trials == TRIALS:
            continue
        assert Z95 * r.benefit.se <= max(0.1 * abs(r.benefit.value), floor) + 1e-15


def test_the_sequential_rule_is_deterministic(
    examplia: cyberready.Workspace, runs: tuple[Priorities, Priorities]
) -> None:
    seq, _exact = runs
    again = prioritize(
        examplia, trials=TRIALS, screen_trials=SCREEN, leaders=LEADERS, budget_usd=BUDGET
    )
    assert json.dumps(again.to_dict(), default=str) == json.dumps(seq.to_dict(), default=str)


def test_the_thread_count_changes_no_priority(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a model large enough for the compiled kernel (and its re-run of changed trials);
    with two threads the candidates' and the leaders' runs are done several at once."""
    pytest.importorskip("numba")
    from benchmarks.generators import write_emb_workspace
    from cyberready.engine.numba_kernel import NUMBA_MIN_ASSETS, THREADS_VARIABLE
    from cyberready.prioritize._benefit import LossModel

    root = tmp_path_factory.mktemp("threads") / "emb"
    write_emb_workspace(root, NUMBA_MIN_ASSETS, version2=True)
    ws = cyberready.load_workspace(root)
    assert ws.resolved.n_assets >= NUMBA_MIN_ASSETS
    runners: dict[str, set[int]] = {"1": set(), "2": set()}
    real = LossModel._rows_reusing
    out = []
    for threads in ("1", "2"):

        def spy(self: LossModel, *args: Any, _threads: str = threads) -> Any:
            runners[_threads].add(threading.get_ident())
            return real(self, *args)

        monkeypatch.setattr(LossModel, "_rows_reusing", spy)
        monkeypatch.setenv(THREADS_VARIABLE, threads)
        p = prioritize(ws, trials=600, screen_trials=200, leaders=3)
        out.append(json.dumps(p.to_dict(), default=str))
    assert out[0] == out[1]
    assert '"trials": 600' in out[0]  # leaders were re-simulated beyond the screening
    assert runners["1"] == {threading.get_ident()}
    assert runners["2"] - {threading.get_ident()}  # runs really went to worker threads


def _cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout


def test_the_cli_shows_the_trials_each_leader_used_and_exact_forces_all(
    example_dir: Path,
) -> None:
    common = ["prioritize", str(example_dir), "--trials", "1000", "--screen-trials", "100"]
    code, out = _cli(*common, "--top", "4", "--json")
    assert code == 0, out
    code, out_exact = _cli(*common, "--top", "4", "--json", "--exact")
    assert code == 0, out_exact
    seq = json.loads(out)["ranking"][:4]
    exact = json.loads(out_exact)["ranking"][:4]
    assert all(r["trials"] == 1000 for r in exact)
    assert all(100 <= r["trials"] <= 1000 for r in seq)
    assert any(r["trials"] < 1000 for r in seq)
    code, text = _cli(*common, "--top", "2", "--explain", "2")
    assert code == 0 and "trials per scenario" in text
    code, help_text = _cli("prioritize", "--help")
    assert code == 0 and "--exact" in help_text


def test_a_saved_run_remembers_whether_it_was_exact(example_copy: Path, tmp_path: Path) -> None:
    """``report --from`` refuses a run made without ``--exact`` when ``--exact`` is asked, and
    says how to make one."""
    run = tmp_path / "run.json"
    result = CliRunner().invoke(
        main, ["assess", str(example_copy), "--save", str(run), "--trials", "200"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(run.read_text())["options"]["exact"] is False
    out = tmp_path / "out"
    args = ["report", str(example_copy), "--from", str(run), "--format", "md", "--out", str(out)]
    refused = CliRunner().invoke(main, [*args, "--exact"])
    assert refused.exit_code == 3, refused.output
    assert "exact" in refused.output and "--exact" in refused.output
    assert CliRunner().invoke(main, args).exit_code == 0
