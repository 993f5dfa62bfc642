"""The executors of :func:`assess_portfolio`: serial, a process pool or a Dask cluster.

Every executor assesses each EMB with :func:`~cyberready.portfolio._record.assess_emb` (or, on
Dask, runs its trial ranges with :func:`cyberready.engine.run_range`, combines them with
:func:`cyberready.engine.combine` and hands the simulation to :func:`cyberready.assess`), so
the records, and the portfolio, are the same whichever ran them.
"""

from __future__ import annotations

import concurrent.futures as cf
import math
import multiprocessing
import os
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal, get_args

from cyberready.errors import InputError, OptionalDependencyError, Problem
from cyberready.portfolio._portfolio import Portfolio
from cyberready.portfolio._record import (
    EmbRecord,
    RunSettings,
    assess_emb,
    compile_in_scope,
    finish_emb,
    load_or_problems,
    scenarios_in_scope,
)

if TYPE_CHECKING:
    from cyberready.prioritize import Progress

RANGE_TRIALS: Final = 2_500
"""Most trials in one simulated range (one Dask task). Each scenario is compiled once per EMB
and shared by its ranges, so a range costs only its trials (the engine's work follows what the
attacker touches, not the model's size)."""

Executor = Literal["serial", "local", "dask"]
EXECUTORS: Final = get_args(Executor)
PORTFOLIO_STAGE: Final = "assessing EMBs"
"""The stage a portfolio reports to its :data:`~cyberready.prioritize.Progress` callback:
``progress(PORTFOLIO_STAGE, done, total)`` with ``done`` of ``total`` EMBs finished."""


def _ranges(scenario_ids: Sequence[str], trials: int) -> list[tuple[str, int, int]]:
    """The (scenario, start, stop) ranges of an EMB's simulation on a cluster."""
    k = math.ceil(trials / RANGE_TRIALS)
    size = math.ceil(trials / k)
    return [(s, a, min(trials, a + size)) for s in scenario_ids for a in range(0, trials, size)]


def _run_serial(
    paths: Sequence[Path], settings: RunSettings, progress: Progress | None
) -> list[EmbRecord | list[Problem]]:
    out: list[EmbRecord | list[Problem]] = []
    for k, p in enumerate(paths):
        out.append(assess_emb(p, settings))
        if progress is not None:
            progress(PORTFOLIO_STAGE, k + 1, len(paths))
    return out


def _run_pool(
    pool: cf.Executor, paths: Sequence[Path], settings: RunSettings, progress: Progress | None
) -> list[EmbRecord | list[Problem]]:
    """One task per EMB on any ``concurrent.futures`` executor, the largest started first (so
    a national model does not run alone at the end); results in input order."""
    from cyberready.workspace import workspace_size

    order = sorted(range(len(paths)), key=lambda k: (-workspace_size(paths[k]), k))
    futures = {pool.submit(assess_emb, str(paths[k]), settings): k for k in order}
    out: list[EmbRecord | list[Problem] | None] = [None] * len(paths)
    for done, fut in enumerate(cf.as_completed(futures), start=1):
        out[futures[fut]] = fut.result()
        if progress is not None:
            progress(PORTFOLIO_STAGE, done, len(paths))
    return [r for r in out if r is not None]


def _run_local(
    paths: Sequence[Path], settings: RunSettings, workers: int | None, progress: Progress | None
) -> list[EmbRecord | list[Problem]]:
    n = workers or os.cpu_count() or 1
    if n <= 1 or len(paths) <= 1:
        return _run_serial(paths, settings, progress)
    ctx = multiprocessing.get_context("spawn")  # no fork of a process that may hold threads
    n = min(n, len(paths))
    with cf.ProcessPoolExecutor(
        max_workers=n, mp_context=ctx, initializer=_share_cpus, initargs=(n,)
    ) as pool:
        return _run_pool(pool, paths, settings, progress)


def _share_cpus(workers: int) -> None:
    """In each worker process: the kernel's threads share the CPUs among the ``workers``
    processes (one each when there are as many processes as CPUs), unless the user set
    ``CYBERREADY_THREADS``; otherwise every process would start one thread per CPU."""
    from cyberready.engine.numba_kernel import THREADS_VARIABLE, worker_threads

    if not os.environ.get(THREADS_VARIABLE, "").strip():
        os.environ[THREADS_VARIABLE] = str(max(1, worker_threads() // workers))


def _distributed() -> Any:
    """The ``distributed`` module (untyped), or the error naming the ``dask`` extra."""
    import importlib

    try:
        return importlib.import_module("distributed")
    except ImportError as exc:
        raise OptionalDependencyError("dask", "the Dask executor") from exc


def _dask_client(scheduler: Any) -> tuple[Any, bool]:
    """A ``distributed.Client`` for ``scheduler`` (an address, a cluster or a client), and
    whether we created it (and must close it)."""
    distributed = _distributed()
    if isinstance(scheduler, distributed.Client):
        return scheduler, False
    if scheduler is None:
        # ":0": a free port, so a dashboard already on 8787 (another cluster) cannot stop us
        cluster = distributed.LocalCluster(processes=True, dashboard_address=":0")
        return distributed.Client(cluster, set_as_default=False), True
    return distributed.Client(scheduler, set_as_default=False), True


def _run_dask(
    paths: Sequence[Path], settings: RunSettings, scheduler: Any, progress: Progress | None
) -> list[EmbRecord | list[Problem]]:
    """EMB × scenario × trial-range tasks on a Dask cluster: each EMB is loaded once and each
    of its scenarios compiled once, on workers; the ranges run anywhere
    (:func:`cyberready.engine.run_range`) and are combined in trial order."""
    from cyberready.engine import run_range

    distributed = _distributed()
    client, owned = _dask_client(scheduler)
    try:
        from cyberready.workspace import workspace_size

        order = sorted(range(len(paths)), key=lambda k: (-workspace_size(paths[k]), k))
        loaded = {k: client.submit(load_or_problems, str(paths[k]), pure=False) for k in order}
        surveys = {client.submit(scenarios_in_scope, loaded[k], pure=False): k for k in order}
        finals: dict[Any, int] = {}
        out: list[EmbRecord | list[Problem] | None] = [None] * len(paths)
        for fut in distributed.as_completed(list(surveys)):
            k = surveys[fut]
            survey = fut.result()
            if isinstance(survey, list):
                out[k] = survey
                continue
            compiled = {
                sid: client.submit(compile_in_scope, loaded[k], sid, pure=False) for sid in survey
            }
            parts: dict[str, list[Any]] = defaultdict(list)
            for sid, a, b in _ranges(survey, settings.trials):
                parts[sid].append(
                    client.submit(run_range, compiled[sid], a, b, settings.seed, pure=False)
                )
            final = client.submit(
                finish_emb, loaded[k], compiled, dict(parts), settings, pure=False
            )
            finals[final] = k
        done = sum(1 for r in out if r is not None)
        if progress is not None and done:
            progress(PORTFOLIO_STAGE, done, len(paths))
        for fut in distributed.as_completed(list(finals)):
            out[finals[fut]] = fut.result()
            done += 1
            if progress is not None:
                progress(PORTFOLIO_STAGE, done, len(paths))
        return [r for r in out if r is not None]
    finally:
        if owned:
            cluster = client.cluster
            client.close()
            if cluster is not None:
                cluster.close()


def _workspace_paths(source: str | Path | Sequence[str | Path]) -> list[Path]:
    from cyberready.workspace import workspace_folders

    if isinstance(source, str | Path):
        return workspace_folders(Path(source))
    paths = [Path(p) for p in source]
    if not paths:
        raise InputError([Problem(file="<portfolio>", message="no EMB workspaces given")])
    return paths


def assess_portfolio(
    source: str | Path | Sequence[str | Path],
    *,
    trials: int = 10_000,
    seed: int = 0,
    screen_trials: int | None = None,
    priorities: bool = True,
    executor: Executor | cf.Executor = "local",
    scheduler: Any = None,
    workers: int | None = None,
    progress: Progress | None = None,
    locale: str = "en",
) -> Portfolio:
    """Assess many EMB workspaces and keep what donors may see of each.

    Parameters
    ----------
    source
        A folder whose sub-folders are EMB workspaces (each with an ``emb.yaml``; a folder that
        is itself a workspace counts as one), or a list of workspace folders.
    trials, seed
        Monte Carlo trials per scenario and seed, as for :func:`cyberready.assess`.
    screen_trials
        Trials of the priorities' screening pass (default: a tenth of ``trials``, at least 100).
    priorities
        Rank and plan actions (screening pass only; False: readiness and risk only).
    executor
        ``local`` (a process pool of ``workers``, default the machine's CPU count), ``serial``
        (this process), ``dask`` (the ``dask`` extra; ``scheduler`` is an address such as
        ``tcp://host:8786``, a cluster, or a ``distributed.Client``; None starts a local
        cluster), or any ``concurrent.futures.Executor`` (one task per EMB).
    progress
        Called as ``progress(stage, done, total)`` as EMBs finish (:data:`PORTFOLIO_STAGE`).

    Returns
    -------
    Portfolio
        EMBs in folder order. Identical for every executor given the same inputs and seed.

    Raises
    ------
    InputError
        Listing every problem of every invalid workspace (nothing is returned then).
    """
    if trials < 2:
        raise ValueError(f"trials must be at least 2, got {trials}")
    settings = RunSettings(
        trials=trials,
        seed=seed,
        screen_trials=screen_trials,
        priorities=priorities,
        locale=locale,
    )
    paths = _workspace_paths(source)
    started = time.perf_counter()
    if isinstance(executor, cf.Executor):
        results = _run_pool(executor, paths, settings, progress)
    elif executor == "serial":
        results = _run_serial(paths, settings, progress)
    elif executor == "local":
        results = _run_local(paths, settings, workers, progress)
    elif executor == "dask":
        results = _run_dask(paths, settings, scheduler, progress)
    else:
        raise ValueError(f"executor {executor!r}: expected one of {', '.join(EXECUTORS)}")
    problems = [p for r in results if isinstance(r, list) for p in r]
    if problems:
        bad = sum(1 for r in results if isinstance(r, list))
        raise InputError(problems, f"{len(problems)} problem(s) in {bad} EMB workspace(s)")
    records = tuple(r for r in results if isinstance(r, EmbRecord))
    ids = [r.emb for r in records]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        raise InputError(
            [
                Problem(
                    file=str(p / "emb.yaml"), field="id", value=r.emb, message="duplicate EMB id"
                )
                for p, r in zip(paths, records, strict=True)
                if r.emb in dup
            ],
            "EMB ids must be unique in a portfolio",
        )
    return Portfolio(
        records=records,
        trials=trials,
        seed=seed,
        screen_trials=settings.screening if priorities else None,
        elapsed=time.perf_counter() - started,
    )
