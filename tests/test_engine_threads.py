"""The compiled kernel runs blocks of trials on several threads, and the number of threads
changes no number: not a failure time, a count, a confidence unit or an attack path."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from engine_models import random_model

from cyberready.cli import main
from cyberready.engine import compile_scenario
from cyberready.engine.kernel import BlockOutput

pytest.importorskip("numba")

from cyberready.engine import numba_kernel


def _merged(parts: list[BlockOutput]) -> tuple[np.ndarray, np.ndarray, np.ndarray, object]:
    paths: dict[tuple[int, ...], int] = {}
    for p in parts:
        for k, v in p.paths.items():
            paths[k] = paths.get(k, 0) + v
    return (
        np.concatenate([p.fail_time for p in parts]),
        np.concatenate([p.confidence for p in parts]),
        np.sum([p.compromised for p in parts], axis=0),
        paths,
    )


@pytest.mark.parametrize("seed", range(12))
def test_one_or_two_threads_give_the_same_rows_and_paths(seed: int) -> None:
    rs, sc, _controls, lv = random_model(seed)
    c = compile_scenario(rs, sc, lv.posture())
    choice = numba_kernel.select_kernel(c, paths=True, kernel="numba", block_size=1024)
    runners: set[int] = set()
    real = choice.run_block

    def spy(*args: object, **kwargs: object) -> BlockOutput:
        runners.add(threading.get_ident())
        return real(*args, **kwargs)

    spied = numba_kernel.KernelChoice(name="numba", run_block=spy, block_size=1024, reason="")
    one = list(numba_kernel.run_spans(spied, c, seed, 0, 1500, paths=True, threads=1))
    assert runners == {threading.get_ident()}
    two = list(numba_kernel.run_spans(spied, c, seed, 0, 1500, paths=True, threads=2))
    assert len(two) > 2 and threading.get_ident() not in runners - {threading.get_ident()}
    assert len(runners) > 1  # blocks really ran on other threads
    a, b = _merged(one), _merged(two)
    for x, y in zip(a[:3], b[:3], strict=True):
        np.testing.assert_array_equal(x, y)
    assert a[3] == b[3]
    assert [p.start for p in two] == sorted(p.start for p in two)  # kept in trial order


def test_threads_change_nothing_in_the_rerun_of_chosen_trials() -> None:
    """``numba_run_trials`` (the re-run of the trials a what-if changes) on any trials."""
    rs, sc, _controls, lv = random_model(0)
    c = compile_scenario(rs, sc, lv.posture())
    idx = np.arange(3, 4000, 3, dtype=np.int64)
    f1, c1 = numba_kernel.numba_run_trials(c, 9, idx, 300, threads=1)
    f2, c2 = numba_kernel.numba_run_trials(c, 9, idx, 300, threads=2)
    np.testing.assert_array_equal(f1, f2)
    np.testing.assert_array_equal(c1, c2)
    assert np.isfinite(f1).any() and c1.any()  # the rows hold failures: not vacuous


def test_the_thread_count_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(numba_kernel.THREADS_VARIABLE, "3")
    assert numba_kernel.worker_threads() == 3
    assert numba_kernel.worker_threads(1) == 1
    monkeypatch.delenv(numba_kernel.THREADS_VARIABLE)
    assert numba_kernel.worker_threads() >= 1


def test_a_wrong_thread_count_exits_3_naming_the_variable(
    example_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(numba_kernel.THREADS_VARIABLE, "two")
    result = CliRunner().invoke(main, ["simulate", str(example_dir), "--trials", "20"])
    assert result.exit_code == 3, result.output
    assert numba_kernel.THREADS_VARIABLE in result.output and "two" in result.output


def test_portfolio_worker_processes_share_the_cpus_unless_the_user_chose(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A local portfolio run starts one process per CPU; each must not also start one kernel
    thread per CPU (n² threads on n CPUs), and a user's CYBERREADY_THREADS is kept."""
    from cyberready.engine.numba_kernel import THREADS_VARIABLE, worker_threads
    from cyberready.portfolio._run import _share_cpus

    monkeypatch.delenv(THREADS_VARIABLE, raising=False)
    cpus = worker_threads()  # the CPUs this process may use
    _share_cpus(cpus)
    assert worker_threads() == 1
    monkeypatch.delenv(THREADS_VARIABLE, raising=False)
    _share_cpus(1)
    assert worker_threads() == cpus
    monkeypatch.setenv(THREADS_VARIABLE, "3")
    _share_cpus(cpus)
    assert worker_threads() == 3
