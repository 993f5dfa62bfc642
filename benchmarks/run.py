"""Engine versus reference, in one run: throughput, ratio, memory and the random-number ceiling.

Usage (from the repository root)::

    python -m benchmarks.run                     # 10^3..10^6 assets -> benchmarks/results.md
    python -m benchmarks.run --sizes 1000,10000  # a subset
    python -m benchmarks.run --quick             # 10^3 only, short: a correctness smoke test

Every (generator, size) point runs in a fresh worker process, so its peak memory is its own. In
a worker, for each regime (scenario):

* the model is built (the EMB hierarchy through the ordinary loader, from its ``generate:``
  CSVs) and the scenario compiled;
* the **reference** (one trial at a time, plain Python) runs for about ``--target-seconds``
  (skipped when a single trial takes more than ``--ref-max-seconds``);
* the **numpy kernel** and, when numba is installed, the **compiled kernel** run for about
  ``--target-seconds`` each (median of ``--repeats``), with the block size
  :func:`~cyberready.engine.numba_kernel.select_kernel` picks from the memory budget;
* both kernels are run again on the reference's trials and their counts compared with the
  reference's (compromised, detected, per-trial failure times, public-confidence units);
* peak resident memory during each kernel's run is read from ``/proc/self/status`` (the
  high-water mark is reset first), and the **RNG ceiling** is measured: how many uniforms per
  second the counter-based hash gives (numpy-vectorized, and compiled), divided by the draws
  one trial needs.

Throughput is *trials × assets per second*. Ratios compare kernels and reference measured in the
same worker, seconds apart, on the same machine.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results.md"
SIZES = (1_000, 10_000, 100_000, 1_000_000)
GENERATORS = ("emb", "random", "emb-v2")
REGIMES = {
    "emb": ("narrow", "wide", "posture"),
    "random": ("narrow", "wide"),
    "emb-v2": ("v2",),
}
REPORT_MAX_ASSETS = 100_000
"""Largest workspace the CLI step also writes a report for (a report re-simulates every
candidate action, which at 10^6 assets takes the better part of an hour)."""


# --------------------------------------------------------------------------- measurements


@dataclass
class KernelRun:
    """One kernel on one scenario."""

    name: str
    trials: int
    block_size: int
    seconds: list[float]
    throughput: float
    """Trials × assets per second (median of the repeats)."""
    peak_rss_mb: float | None
    rng_fraction: float | None
    """Throughput divided by the RNG-bound throughput of the same implementation."""
    matches_reference: bool | None


@dataclass
class Point:
    """One (generator, size, regime) point."""

    generator: str
    regime: str
    scenario: str
    n_assets: int
    n_links: int
    compile_seconds: float
    reach: float
    """Mean share of assets compromised per trial."""
    draws_per_trial: float
    """Uniform draws one trial needs (entries, steps out of footholds, time and detection of
    each intrusion, outage durations)."""
    reference_trials: int = 0
    reference_seconds: float = 0.0
    reference_setup_seconds: float = 0.0
    reference_throughput: float | None = None
    reference_note: str = ""
    kernels: dict[str, KernelRun] = field(default_factory=dict)


@dataclass
class WorkerResult:
    generator: str
    size: int
    n_assets: int
    build_seconds: float
    max_rss_mb: float
    rng_numpy: float
    """Uniforms per second of :func:`cyberready.engine.rng.uniform_array`."""
    rng_numba: float | None
    """Uniforms per second of the compiled hash (None without numba)."""
    points: list[Point]


def _status_kb(field_name: str) -> float | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field_name + ":"):
                return float(line.split()[1])
    except OSError:
        return None
    return None


def _reset_peak() -> bool:
    """Reset the peak-RSS high-water mark (Linux); False when that is not possible."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


@contextlib.contextmanager
def _peak_rss() -> Iterator[list[float | None]]:
    """Yields a one-item list that receives the peak RSS (MB) reached inside the block."""
    box: list[float | None] = [None]
    ok = _reset_peak()
    yield box
    hwm = _status_kb("VmHWM") if ok else None
    box[0] = hwm / 1024 if hwm is not None else None


def _max_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rng_rate_numpy(n: int = 1 << 22, repeats: int = 5) -> float:
    """Uniforms per second of the engine's vectorized hash (keys and mixes as arrays)."""
    from cyberready.engine.rng import trial_mix_array, uniform_array

    keys = np.random.Generator(np.random.PCG64(1)).integers(0, 2**63, n, dtype=np.uint64)
    mix = trial_mix_array(0, np.arange(n, dtype=np.int64))
    best = min(_time(lambda: uniform_array(keys, mix)) for _ in range(repeats))
    return n / best


def rng_rate_numba(n: int = 1 << 22, repeats: int = 5) -> float | None:
    """Uniforms per second of the compiled kernel's inlined hash, or None without numba."""
    from cyberready.engine import numba_kernel

    if not numba_kernel.available():
        return None
    keys = np.random.Generator(np.random.PCG64(1)).integers(0, 2**63, n, dtype=np.uint64)
    numba_kernel.hash_sum(keys[:16], np.uint64(7))
    best = min(_time(lambda: numba_kernel.hash_sum(keys, np.uint64(7))) for _ in range(repeats))
    return n / best


def _time(fn: Callable[[], object]) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


# --------------------------------------------------------------------------- models


@dataclass
class Model:
    system: Any
    posture: Any
    scenarios: dict[str, Any]


def build_model(generator: str, size: int, seed: int, workdir: Path) -> Model:
    """The model of a point: the EMB workspace through the ordinary loader (``emb-v2``: with
    the version-2 features), or the random graph built in code."""
    from benchmarks.generators import random_graph, write_emb_workspace
    from cyberready.posture import Posture

    if generator in ("emb", "emb-v2"):
        import cyberready
        from cyberready.posture import build_posture

        path = workdir / f"{generator}-{size}"
        write_emb_workspace(path, size, seed=seed, version2=generator == "emb-v2")
        ws = cyberready.load_workspace(path)
        by_regime = {s.id.removeprefix("bench-"): s for s in ws.scenarios}
        return Model(ws.resolved, build_posture(ws), by_regime)
    rg = random_graph(size, seed=seed)
    return Model(rg.system, Posture.neutral(rg.system.n_assets), dict(rg.scenarios))


def essential_draws(compiled: Any, trials: int = 32) -> tuple[float, float]:
    """(uniform draws per trial, compromised assets per trial) over the first ``trials``.

    Draws: every entry attempt's success; every step out of an undetected compromised asset;
    the time and the detection draw of every successful intrusion; an outage duration per
    compromised asset a disrupt effect targets. Counted with the compiled kernel's spread pass
    (and its arrivals), so it needs numba; without it, (nan, nan).
    """
    from cyberready.engine import numba_kernel

    if not numba_kernel.available():
        return float("nan"), float("nan")
    return numba_kernel.draw_census(compiled, trials)


# --------------------------------------------------------------------------- one worker


def _kernel_trials(run_one: Callable[[int], float], block: int, target: float) -> int:
    """Trials that take about ``target`` seconds, from a pilot of one (small) block."""
    pilot = max(1, min(block, 64))
    seconds = run_one(pilot)
    per_trial = max(seconds / pilot, 1e-7)
    return int(max(pilot, min(50_000, target / per_trial)))


def run_point(
    generator: str,
    regime: str,
    model: Model,
    *,
    target: float,
    ref_max: float,
    repeats: int,
    rng_numpy: float,
    rng_numba: float | None,
    seed: int,
) -> Point:
    from cyberready.engine import compile_scenario
    from cyberready.engine.numba_kernel import KernelName, available, select_kernel
    from cyberready.engine.reference import ReferenceModel

    scenario = model.scenarios[regime]
    system = model.system
    n = system.n_assets
    t0 = time.perf_counter()
    compiled = compile_scenario(system, scenario, model.posture)
    compile_seconds = time.perf_counter() - t0
    draws, _comp = essential_draws(compiled)
    point = Point(
        generator=generator,
        regime=regime,
        scenario=scenario.id,
        n_assets=n,
        n_links=system.n_links,
        compile_seconds=compile_seconds,
        reach=float("nan"),
        draws_per_trial=draws,
    )

    # kernels first, so their peak memory is not inflated by the reference's objects
    kernels: list[KernelName] = ["numpy", "numba"] if available() else ["numpy"]
    runners: dict[str, Callable[[int], tuple[float, Any]]] = {}
    reach_trials = 0
    reach_sum = 0
    for name in kernels:
        choice = select_kernel(compiled, paths=False, kernel=name, seed=seed)

        def run_trials(trials: int, choice: Any = choice) -> tuple[float, Any]:
            t = time.perf_counter()
            outs = [
                choice.run_block(compiled, seed, a, min(trials, a + choice.block_size))
                for a in range(0, trials, choice.block_size)
            ]
            return time.perf_counter() - t, outs

        runners[name] = run_trials
        run_trials(1)  # compile or load the compiled loops before the pilot times a block
        trials = _kernel_trials(lambda k: run_trials(k)[0], choice.block_size, target)
        secs: list[float] = []
        peak = None
        for r in range(repeats):
            with _peak_rss() as box:
                s, outs = run_trials(trials)
            if r == 0:
                peak = box[0]
                reach_sum += sum(int(o.compromised.sum()) for o in outs)
                reach_trials += trials
            secs.append(s)
            del outs
        throughput = trials * n / statistics.median(secs)
        rate = rng_numba if name == "numba" else rng_numpy
        bound = rate / draws * n if rate and draws == draws and draws > 0 else None
        point.kernels[name] = KernelRun(
            name=name,
            trials=trials,
            block_size=choice.block_size,
            seconds=secs,
            throughput=throughput,
            peak_rss_mb=peak,
            rng_fraction=throughput / bound if bound else None,
            matches_reference=None,
        )
    point.reach = reach_sum / max(reach_trials * n, 1)

    # the reference: one trial at a time
    t0 = time.perf_counter()
    ref_model = ReferenceModel(system, scenario, model.posture)
    point.reference_setup_seconds = time.perf_counter() - t0
    outcomes = []
    t0 = time.perf_counter()
    outcomes.append(ref_model.trial(seed, 0))
    first = time.perf_counter() - t0
    if first > ref_max:
        point.reference_note = f"one trial took {first:.0f} s (> {ref_max:.0f} s): not run further"
        more = 0
    else:
        more = int(max(0, min(5_000, target / max(first, 1e-6)) - 1))
    t1 = time.perf_counter()
    outcomes += [ref_model.trial(seed, t) for t in range(1, 1 + more)]
    point.reference_trials = 1 + more
    point.reference_seconds = first + time.perf_counter() - t1
    point.reference_throughput = point.reference_trials * n / point.reference_seconds
    del ref_model

    # the same trials through each kernel: equal counts?
    ref_counts = _reference_counts(outcomes, n, len(system.functions))
    for kernel, run in runners.items():
        _s, outs = run(ref_counts["trials"])
        point.kernels[kernel].matches_reference = _same(outs, ref_counts)
    return point


def _reference_counts(outcomes: list[Any], n_assets: int, n_fn: int) -> dict[str, Any]:
    comp = np.zeros(n_assets, dtype=np.int64)
    det = np.zeros(n_assets, dtype=np.int64)
    fail = np.full((len(outcomes), n_fn), np.inf)
    units = 0
    for row, out in enumerate(outcomes):
        for v in out.compromised:
            comp[v] += 1
        for v in out.detected:
            det[v] += 1
        for fi, t in out.fail_time.items():
            fail[row, fi] = t
        units += out.confidence_units
    return {"trials": len(outcomes), "comp": comp, "det": det, "fail": fail, "units": units}


def _same(outs: list[Any], ref: dict[str, Any]) -> bool:
    comp = sum(o.compromised for o in outs)
    det = sum(o.detected for o in outs)
    fail = np.concatenate([o.fail_time for o in outs])
    units = sum(o.confidence_units for o in outs)
    return bool(
        np.array_equal(comp, ref["comp"])
        and np.array_equal(det, ref["det"])
        and np.array_equal(fail, ref["fail"])
        and units == ref["units"]
    )


def worker(args: argparse.Namespace) -> WorkerResult:
    """Measure every regime of one (generator, size) in this process."""
    rng_numpy = rng_rate_numpy()
    rng_numba = rng_rate_numba()
    with tempfile.TemporaryDirectory(prefix="cyberready-bench-") as tmp:
        t0 = time.perf_counter()
        model = build_model(args.generator, args.size, args.seed, Path(tmp))
        build = time.perf_counter() - t0
        regimes = [r for r in REGIMES[args.generator] if r in args.regimes]
        points = [
            run_point(
                args.generator,
                regime,
                model,
                target=args.target_seconds,
                ref_max=args.ref_max_seconds,
                repeats=args.repeats if args.size < 1_000_000 else 1,
                rng_numpy=rng_numpy,
                rng_numba=rng_numba,
                seed=args.seed,
            )
            for regime in regimes
        ]
    return WorkerResult(
        generator=args.generator,
        size=args.size,
        n_assets=model.system.n_assets,
        build_seconds=build,
        max_rss_mb=_max_rss_mb(),
        rng_numpy=rng_numpy,
        rng_numba=rng_numba,
        points=points,
    )


# --------------------------------------------------------------------------- the ordinary CLI

_MEASURE = (
    "import json, resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "r = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
    "print(json.dumps({'seconds': time.perf_counter() - t, 'rc': r.returncode,\n"
    "    'rss_mb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,\n"
    "    'out': r.stdout[-1500:], 'err': r.stderr[-1500:]}))\n"
)


@dataclass
class CliRun:
    """One ordinary ``cyberready`` command on a generated workspace."""

    n_assets: int
    command: str
    seconds: float
    exit_code: int
    peak_rss_mb: float
    tail: str


def cli_runs(size: int, seed: int, trials: int, workdir: Path) -> list[CliRun]:
    """validate, simulate and report a generated EMB workspace through ``python -m
    cyberready``, each in a fresh process whose peak memory is measured."""
    from benchmarks.generators import write_emb_workspace

    path = workdir / f"emb-{size}"
    shape = write_emb_workspace(path, size, seed=seed)
    out = workdir / f"report-{size}.md"
    commands = [
        ["validate", str(path)],
        ["simulate", str(path), "--trials", str(trials)],
    ]
    report = [
        [
            "report",
            str(path),
            "--audience",
            "technical",
            "--format",
            "md",
            "--trials",
            str(max(2, trials // 4)),
            "--out",
            str(out),
        ],
    ]
    if size <= REPORT_MAX_ASSETS:  # a report also ranks every candidate action by re-simulation
        commands += report
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    runs = []
    for args in commands:
        proc = subprocess.run(
            [sys.executable, "-c", _MEASURE, sys.executable, "-m", "cyberready", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        got = json.loads(proc.stdout.splitlines()[-1])
        shown = " ".join(["cyberready", args[0], f"<emb-{size}>", *args[2:]])
        shown = shown.replace(str(out), "report.md")
        tail = (got["err"] if got["rc"] else got["out"]).strip().splitlines()
        runs.append(
            CliRun(
                n_assets=shape.n_assets,
                command=shown,
                seconds=got["seconds"],
                exit_code=got["rc"],
                peak_rss_mb=got["rss_mb"],
                tail=tail[-1] if tail else "",
            )
        )
    return runs


# --------------------------------------------------------------------------- the driver


def _spawn(generator: str, size: int, args: argparse.Namespace) -> WorkerResult:
    cmd = [
        sys.executable,
        "-m",
        "benchmarks.run",
        "--worker",
        "--generator",
        generator,
        "--size",
        str(size),
        "--seed",
        str(args.seed),
        "--target-seconds",
        str(args.target_seconds),
        "--ref-max-seconds",
        str(args.ref_max_seconds),
        "--repeats",
        str(args.repeats),
        "--regimes",
        ",".join(args.regimes),
    ]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"worker {generator} {size} failed:\n{proc.stderr[-4000:]}")
    return _from_json(json.loads(proc.stdout.splitlines()[-1]))


def _from_json(data: dict[str, Any]) -> WorkerResult:
    points = []
    for p in data.pop("points"):
        kernels = {k: KernelRun(**v) for k, v in p.pop("kernels").items()}
        points.append(Point(**p, kernels=kernels))
    return WorkerResult(**data, points=points)


def machine() -> dict[str, str]:
    """What the numbers were measured on."""
    import numpy
    import scipy

    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = ""
    with contextlib.suppress(OSError):
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 1024 / 1024:.0f} GB"
    try:
        import numba

        nb = numba.__version__
    except ImportError:
        nb = "not installed"
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "memory": mem,
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "scipy": scipy.__version__,
        "numba": nb,
        "commit": commit or "unknown",
    }


def _fmt_rate(x: float | None) -> str:
    if x is None or x != x:
        return "–"
    return f"{x:.3g}"


def _ratio(a: float | None, b: float | None) -> str:
    if not a or not b:
        return "–"
    return f"{a / b:.1f}×"


def _verdict(value: float | None, goal: float, *, higher: bool = True) -> str:
    if value is None or value != value:
        return "not measured"
    ok = value >= goal if higher else value <= goal
    if ok:
        return "met"
    miss = goal / value if higher else value / goal
    return f"**missed** by {miss:.2f}×"


def targets(results: list[WorkerResult], cli: list[CliRun] | None) -> list[str]:
    """The issue's targets, each with the measured value and whether it is met."""
    at: dict[tuple[str, int, str], Point] = {}
    for r in results:
        for p in r.points:
            at[(r.generator, r.size, p.regime)] = p
    rows: list[tuple[str, str, str]] = []

    def ratio(p: Point, kernel: str) -> float | None:
        k = p.kernels.get(kernel)
        if k is None or not p.reference_throughput:
            return None
        return k.throughput / p.reference_throughput

    for (gen, size, regime), p in sorted(at.items()):
        if size != 100_000:
            continue
        where = f"{gen} 10^5 {regime}"
        r_np = ratio(p, "numpy")
        rows.append(
            (
                f"numpy ≥ 10× reference ({where})",
                f"{r_np:.0f}×" if r_np else "–",
                _verdict(r_np, 10),
            )
        )
        goal = 50.0 if regime == "wide" else 10.0
        r_nb = ratio(p, "numba")
        rows.append(
            (
                f"compiled ≥ {goal:.0f}× reference ({where})",
                f"{r_nb:.0f}×" if r_nb else "–",
                _verdict(r_nb, goal),
            )
        )
    for (gen, size, regime), p in sorted(at.items()):
        if size != 1_000_000 or (gen, 100_000, regime) not in at:
            continue
        small = at[(gen, 100_000, regime)]
        for kernel in ("numpy", "numba"):
            a, b = small.kernels.get(kernel), p.kernels.get(kernel)
            if a is None or b is None:
                continue
            drop = a.throughput / b.throughput
            rows.append(
                (
                    f"10^5 → 10^6 costs ≤ 2× throughput ({gen} {regime}, {kernel})",
                    f"{drop:.2f}×",
                    _verdict(drop, 2.0, higher=False),
                )
            )
    peaks = [
        (k.peak_rss_mb, f"{r.generator} {p.regime} {k.name}")
        for r in results
        if r.size >= 1_000_000
        for p in r.points
        for k in p.kernels.values()
        if k.peak_rss_mb
    ]
    peaks += [(c.peak_rss_mb, c.command) for c in cli or [] if c.n_assets >= 900_000]
    if peaks:
        worst, what = max(peaks)
        rows.append(
            (
                "a 10^6-asset model simulates within 4 GB",
                f"{worst / 1024:.2f} GB at most ({what})",
                _verdict(worst, 4096, higher=False),
            )
        )
    lines = ["", "## Targets (issue 5)", "", "| target | measured | verdict |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    return lines


def render(
    results: list[WorkerResult], meta: dict[str, Any], cli: list[CliRun] | None = None
) -> str:
    """``results.md``: the table, the targets and how the numbers were made."""
    lines = [
        "# Benchmark: engine versus reference",
        "",
        f"Measured {meta['date']} with `{meta['command']}` "
        f"({meta['elapsed_minutes']:.0f} min). Machine: {meta['machine']['cpu']}, "
        f"{meta['machine']['cores']} vCPUs, {meta['machine']['memory']}; Python "
        f"{meta['machine']['python']}, numpy {meta['machine']['numpy']}, scipy "
        f"{meta['machine']['scipy']}, numba {meta['machine']['numba']}; commit "
        f"{meta['machine']['commit']}. Load average at start {meta['load_start']}, at end "
        f"{meta['load_end']} (a shared VM: absolute rates move; ratios are measured seconds "
        "apart in the same worker).",
        "",
        "Throughput is **trials × assets per second**. *ref* is the plain-Python reference "
        "(one trial at a time), *numpy* the vectorized kernel, *numba* the compiled kernel "
        "(`fast` extra). *RNG* is the share of the random-number ceiling reached: the kernel's "
        "throughput over (hash uniforms per second ÷ draws per trial × assets), for the numpy "
        "hash and the compiled hash respectively. *Peak MB*: peak resident memory of the "
        "worker process during that kernel's run (model included). *Same*: the kernel's "
        "counts on the reference's trials equal the reference's (compromised, detected, "
        "per-trial failure times, public-confidence units).",
        "",
        "| generator | assets | regime | reach | draws/trial | ref (trials) | numpy "
        "| ×ref | numba | ×ref | numba/numpy | peak MB numpy / numba | RNG numpy / numba "
        "| same (trials) |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for res in sorted(results, key=lambda r: (r.generator, r.size)):
        for p in res.points:
            npk = p.kernels.get("numpy")
            nbk = p.kernels.get("numba")
            ref = (
                f"{_fmt_rate(p.reference_throughput)} ({p.reference_trials})"
                if p.reference_throughput
                else "–"
            )
            if p.reference_note:
                ref += "†"
            verdicts = [k.matches_reference for k in p.kernels.values()]
            same = (
                "NO"
                if False in verdicts
                else "n/a"
                if None in verdicts or not verdicts
                else f"yes ({p.reference_trials})"
            )
            peak = " / ".join(
                f"{k.peak_rss_mb:.0f}" if k and k.peak_rss_mb else "–" for k in (npk, nbk)
            )
            rngf = " / ".join(
                f"{k.rng_fraction:.2f}" if k and k.rng_fraction else "–" for k in (npk, nbk)
            )
            lines.append(
                f"| {p.generator} | {p.n_assets:,} | {p.regime} | {p.reach:.3f} | "
                f"{p.draws_per_trial:,.0f} | {ref} | {_fmt_rate(npk.throughput if npk else None)}"
                f" | {_ratio(npk.throughput if npk else None, p.reference_throughput)} | "
                f"{_fmt_rate(nbk.throughput if nbk else None)} | "
                f"{_ratio(nbk.throughput if nbk else None, p.reference_throughput)} | "
                f"{_ratio(nbk.throughput if nbk else None, npk.throughput if npk else None)} | "
                f"{peak} | {rngf} | {same} |"
            )
    notes = [p for r in results for p in r.points if p.reference_note]
    if notes:
        lines += [
            "",
            "† reference not run to its target time: "
            + "; ".join(
                f"{p.generator} {p.n_assets:,} {p.regime}: {p.reference_note}" for p in notes
            )
            + ". Its rate there is from that one trial.",
        ]
    lines += targets(results, cli)
    notes_file = ROOT / "benchmarks" / "NOTES.md"
    if notes_file.exists():
        lines += ["", notes_file.read_text().strip()]
    if cli:
        lines += [
            "",
            "## The ordinary CLI on generated national workspaces",
            "",
            "Each command in a fresh process (peak memory of that process); the workspace comes "
            "from `benchmarks/generators.py` (`generate:` CSVs), three scenarios in scope.",
            "",
            "| assets | command | exit | seconds | peak MB | last line of output |",
            "|---:|---|---:|---:|---:|---|",
        ]
        for c in cli:
            tail = c.tail.replace("|", "/")[:90]
            lines.append(
                f"| {c.n_assets:,} | `{c.command}` | {c.exit_code} | {c.seconds:.0f} | "
                f"{c.peak_rss_mb:.0f} | {tail} |"
            )
    lines += ["", "## Random-number ceiling (same run)", ""]
    lines += [
        "| generator | assets | numpy hash (uniforms/s) | compiled hash (uniforms/s) |",
        "|---|---:|---:|---:|",
    ]
    for res in sorted(results, key=lambda r: (r.generator, r.size)):
        lines.append(
            f"| {res.generator} | {res.n_assets:,} | {_fmt_rate(res.rng_numpy)} | "
            f"{_fmt_rate(res.rng_numba)} |"
        )
    lines += ["", "## Model build and worker memory", ""]
    lines += [
        "| generator | assets | links | build s | compile s (per regime) | worker peak MB |",
        "|---|---:|---:|---:|---|---:|",
    ]
    for res in sorted(results, key=lambda r: (r.generator, r.size)):
        comp = ", ".join(f"{p.regime} {p.compile_seconds:.1f}" for p in res.points)
        links = res.points[0].n_links if res.points else 0
        lines.append(
            f"| {res.generator} | {res.n_assets:,} | {links:,} | {res.build_seconds:.1f} | "
            f"{comp} | {res.max_rss_mb:.0f} |"
        )
    # sections measured by their own harnesses (priorities, portfolio, workflow), kept in one
    # results file
    for extra in ("prioritize-results.md", "portfolio-results.md", "workflow-results.md"):
        path = ROOT / "benchmarks" / extra
        if path.exists():
            lines += ["", path.read_text().strip()]
    return "\n".join(lines) + "\n"


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        prog="python -m benchmarks.run", description=__doc__.split("\n\n")[0]
    )
    ap.add_argument("--sizes", default=",".join(str(s) for s in SIZES))
    ap.add_argument("--generators", default=",".join(GENERATORS))
    ap.add_argument("--regimes", default="narrow,wide,posture,v2")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--target-seconds", type=float, default=3.0)
    ap.add_argument("--ref-max-seconds", type=float, default=60.0)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--out", type=Path, default=RESULTS)
    ap.add_argument("--json", type=Path, default=None, help="Also write the raw results here.")
    ap.add_argument("--quick", action="store_true", help="10^3 assets, short runs, no file.")
    ap.add_argument(
        "--cli-sizes",
        default="100000,1000000",
        help="EMB sizes to validate, simulate and report through the ordinary CLI ('' for none).",
    )
    ap.add_argument("--cli-trials", type=int, default=200)
    ap.add_argument(
        "--render-from",
        type=Path,
        default=None,
        help="Re-write --out from the raw results a previous run saved with --json.",
    )
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--generator", default="emb", help=argparse.SUPPRESS)
    ap.add_argument("--size", type=int, default=1000, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    args.regimes = [r for r in str(args.regimes).split(",") if r]
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    if args.render_from:
        raw = json.loads(args.render_from.read_text())
        from cyberready.io import atomic_write_text

        atomic_write_text(
            args.out,
            render(
                [_from_json(r) for r in raw["results"]],
                raw["meta"],
                [CliRun(**c) for c in raw.get("cli", [])],
            ),
        )
        print(f"wrote {args.out}", file=sys.stderr)
        return 0
    if args.worker:
        res = worker(args)
        print(json.dumps(asdict(res)))
        return 0
    if args.quick:
        args.sizes, args.target_seconds, args.repeats, args.cli_sizes = "1000", 0.3, 1, ""
    sizes = [int(float(s)) for s in str(args.sizes).split(",") if s]
    generators = [g for g in str(args.generators).split(",") if g]
    command = " ".join(["python -m benchmarks.run", *(argv if argv is not None else sys.argv[1:])])
    started = time.time()
    load_start = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    results = []
    for size in sizes:
        for gen in generators:
            print(f"[{time.strftime('%H:%M:%S')}] {gen} {size:,} …", file=sys.stderr, flush=True)
            res = _spawn(gen, size, args)
            results.append(res)
            for p in res.points:
                ref = p.reference_throughput
                k = "  ".join(
                    f"{name} {_fmt_rate(run.throughput)} ({_ratio(run.throughput, ref)})"
                    for name, run in p.kernels.items()
                )
                print(
                    f"    {p.regime:8} reach {p.reach:.3f}  ref {_fmt_rate(ref)}  {k}",
                    file=sys.stderr,
                    flush=True,
                )
    cli: list[CliRun] = []
    for size in [int(float(x)) for x in str(args.cli_sizes).split(",") if x]:
        print(f"[{time.strftime('%H:%M:%S')}] CLI on emb {size:,} …", file=sys.stderr, flush=True)
        with tempfile.TemporaryDirectory(prefix="cyberready-cli-") as tmp:
            cli += cli_runs(size, args.seed, args.cli_trials, Path(tmp))
        for c in [c for c in cli if c.n_assets >= 0.9 * size]:
            print(
                f"    {c.command}: exit {c.exit_code}, {c.seconds:.0f} s, {c.peak_rss_mb:.0f} MB",
                file=sys.stderr,
                flush=True,
            )
    meta = {
        "date": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "command": command.strip(),
        "elapsed_minutes": (time.time() - started) / 60,
        "machine": machine(),
        "load_start": load_start,
        "load_end": ", ".join(f"{x:.1f}" for x in os.getloadavg()),
    }
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "meta": meta,
                    "results": [asdict(r) for r in results],
                    "cli": [asdict(c) for c in cli],
                },
                indent=1,
            )
        )
    text = render(results, meta, cli)
    if args.quick:
        print(text)
        bad = [
            (r.generator, p.regime, k.name)
            for r in results
            for p in r.points
            for k in p.kernels.values()
            if k.matches_reference is False
        ]
        return 1 if bad else 0
    from cyberready.io import atomic_write_text

    atomic_write_text(args.out, text)
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
