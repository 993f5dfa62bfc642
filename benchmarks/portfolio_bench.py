"""Portfolio throughput benchmark (issue 8): the 40-EMB sample, local pool vs Dask LocalCluster.

Run from the repository root::

    python -m benchmarks.portfolio_bench                      # 40 EMBs, 1,000 trials
    python -m benchmarks.portfolio_bench --n 8 --trials 200   # a quick look

It writes the sample (``cyberready examples portfolio --n N --seed 2026``) to a temporary
folder, assesses it with the local executor (a process pool of one worker per CPU) and with a
``dask.distributed.LocalCluster`` of as many single-threaded worker processes (cluster start-up
timed separately), checks that both give identical results, and prints a Markdown section with
EMBs per minute and where the time went (per-EMB work measured serially on a few EMBs).
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import cyberready
from cyberready.io import write_files
from cyberready.portfolio import Portfolio, assess_portfolio
from cyberready.portfolio.sample import emb_specs, sample_portfolio
from cyberready.workspace import shipped_library


def _run(label: str, fn: Callable[[], Portfolio]) -> tuple[Portfolio, float]:
    t0 = time.perf_counter()
    p = fn()
    dt = time.perf_counter() - t0
    print(f"  {label}: {dt:.1f} s", flush=True)
    return p, dt


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=40)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--trials", type=int, default=1_000)
    parser.add_argument("--screen-trials", type=int, default=None)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--dask-first", action="store_true", help="Run Dask before the local pool (order check)."
    )
    args = parser.parse_args()

    import distributed

    root = Path(tempfile.mkdtemp()) / "portfolio"
    write_files(root, sample_portfolio(args.n, args.seed, library=shipped_library()))
    specs = emb_specs(args.n, args.seed)
    sizes = [
        cyberready.load_workspace(root / s.id).resolved.n_assets
        for s in specs
        if s.size_class != "standard"
    ]
    print(f"sample: {args.n} EMBs (seed {args.seed}), big ones: {sizes} assets", flush=True)
    common = {"trials": args.trials, "seed": 1, "screen_trials": args.screen_trials}

    def run_local() -> tuple[Portfolio, float]:
        return _run(
            f"local ({args.workers} processes)",
            lambda: assess_portfolio(root, executor="local", workers=args.workers, **common),
        )

    def run_dask() -> tuple[Portfolio, float, float]:
        t0 = time.perf_counter()
        cluster = distributed.LocalCluster(
            n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = distributed.Client(cluster)
        t_up = time.perf_counter() - t0
        print(f"  dask cluster start-up: {t_up:.1f} s", flush=True)
        try:
            p, t = _run(
                f"dask LocalCluster ({args.workers} workers)",
                lambda: assess_portfolio(root, executor="dask", scheduler=client, **common),
            )
        finally:
            client.close()
            cluster.close()
        return p, t, t_up

    if args.dask_first:
        dask, t_dask, t_up = run_dask()
        local, t_local = run_local()
    else:
        local, t_local = run_local()
        dask, t_dask, t_up = run_dask()
    identical = local.to_dict() == dask.to_dict()
    print(f"  identical results: {identical}", flush=True)

    n = len(local)
    screen = local.screen_trials
    print()
    print("## Portfolio (issue 8)")
    print()
    print(
        f"Measured with `python -m benchmarks.portfolio_bench --n {args.n} --trials "
        f"{args.trials}` on {platform.machine()}, {os.cpu_count()} vCPU, Python "
        f"{platform.python_version()}. Sample: `cyberready examples portfolio --n {args.n} "
        f"--seed {args.seed}` (big EMBs: {', '.join(f'{s:,}' for s in sizes)} assets). Each EMB: "
        f"readiness and history, {args.trials:,} trials per scenario in scope, priorities by the "
        f"screening pass ({screen:,} trials) with the budget plan, donor view."
    )
    print()
    print("| executor | wall time (s) | EMBs per minute |")
    print("|---|---|---|")
    print(f"| local, {args.workers} processes | {t_local:.0f} | {n / t_local * 60:.1f} |")
    print(
        f"| Dask LocalCluster, {args.workers} worker processes (+{t_up:.1f} s start-up) | "
        f"{t_dask:.0f} | {n / t_dask * 60:.1f} |"
    )
    print()
    print(f"Identical results on both executors: {'yes' if identical else 'NO'}.")


if __name__ == "__main__":
    main()
