"""Many EMBs assessed together, for donors, regional networks and analysts (README, "Portfolios").

:func:`assess_portfolio` runs every EMB workspace of a folder (or a list of them) through
:func:`cyberready.assess` — scoring, the threat simulation and the priorities at their
*screening* trials, without the graph analyses — and keeps only each EMB's **donor view**
(:mod:`cyberready.report.views`, TLP:GREEN) plus its expected loss by election function and
from public trust. Everything a :class:`Portfolio` shows — tidy DataFrames, comparisons, the
portfolio report — is built from those records, so no asset name, path, evidence or note of any
workspace can reach it.

The rules, stated once:

* **Breakdowns** (a median, a count or a sum over a group of EMBs: a region, a domain, a year,
  the portfolio itself) are shown only for groups of at least ``min_group`` (3) EMBs; a smaller
  group is *suppressed*: its values are empty and ``suppressed`` is True, so one or two EMBs can
  never be read off an aggregate. Per-EMB rows are not breakdowns and are always shown.
* **Comparisons**: each EMB's domain score against the portfolio median of that domain and
  against its region's median (over the EMBs holding that domain).
* **Weak domains**: a domain is *weak* in an EMB below ``weak_below`` (60, the default
  "Established" tier); *weak in every EMB* means weak in all of at least ``min_group`` EMBs —
  where a regional programme would pay off.
* **Anonymised** (:meth:`Portfolio.anonymize`): EMBs become ``EMB-01``, ``EMB-02``, … in an
  order drawn from the seed (stable for a seed and the same EMBs); names, countries and election
  names and dates are dropped, and every remaining string is scrubbed of each EMB's id, name and
  country; a region of fewer than ``min_group`` EMBs is shown as ``other``.
* **Executors**: ``serial`` (in this process), ``local`` (default: a process pool sized to the
  machine, one EMB per task) or ``dask`` (a ``dask.distributed`` cluster; the ``dask`` extra):
  each EMB is loaded once on a worker, its scenarios' trials are split into ranges that run as
  separate tasks (:func:`cyberready.engine.run_range`), combined in trial order
  (:func:`cyberready.engine.combine`) and handed to :func:`cyberready.assess`. Randomness is
  counter-based per trial, so every executor gives identical numbers for the same seed.

>>> import cyberready, shutil, tempfile, pathlib
>>> root = pathlib.Path(tempfile.mkdtemp())
>>> _ = shutil.copytree(cyberready.example_path(), root / "examplia")
>>> p = assess_portfolio(root, trials=100, priorities=False, executor="serial")
>>> p.to_frame("embs")["emb"].tolist()
['examplia-iec']
>>> bool(p.to_frame("domains")["suppressed"].all())  # one EMB: every breakdown is suppressed
True
"""

from __future__ import annotations

import concurrent.futures as cf
import datetime as dt
import html
import math
import multiprocessing
import os
import random
import re
import statistics
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal

import numpy as np

from cyberready.errors import InputError, OptionalDependencyError, Problem

if TYPE_CHECKING:
    import pandas as pd

    from cyberready.assess import AssessmentResult
    from cyberready.engine import BlockOutput, CompiledScenario, SimulationResult
    from cyberready.report.models import DonorView
    from cyberready.report.redaction import Term
    from cyberready.workspace._inputs import Workspace

__all__ = [
    "DEFAULT_MIN_GROUP",
    "DEFAULT_WEAK_BELOW",
    "EXECUTORS",
    "EmbRecord",
    "FunctionLoss",
    "Portfolio",
    "RunSettings",
    "assess_emb",
    "assess_portfolio",
]

DEFAULT_MIN_GROUP: Final = 3
"""Smallest group of EMBs a breakdown is shown for."""
DEFAULT_WEAK_BELOW: Final = 60.0
"""A domain score below this is weak (the default "Established" tier starts at 60)."""
EXECUTORS: Final = ("serial", "local", "dask")
SUPPRESSED: Final = "suppressed (fewer than {n} EMBs)"
WITHHELD: Final = "[withheld]"
RANGE_TRIALS: Final = 2_500
"""Most trials in one simulated range (one Dask task). Each scenario is compiled once per EMB
and shared by its ranges, so a range costs only its trials (the engine's work follows what the
attacker touches, not the model's size)."""

Executor = Literal["serial", "local", "dask"]
Progress = Callable[[int, int], None]
"""Called as ``progress(done, total)`` with EMBs finished."""
Table = Literal[
    "embs",
    "readiness",
    "functions",
    "priorities",
    "trend",
    "comparison",
    "domains",
    "regions",
    "tiers",
    "plans",
    "phases",
    "years",
]
TABLES: Final[tuple[Table, ...]] = (
    "embs",
    "readiness",
    "comparison",
    "domains",
    "regions",
    "tiers",
    "trend",
    "years",
    "functions",
    "phases",
    "priorities",
    "plans",
)


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class RunSettings:
    """How each EMB is assessed. ``screen_trials`` None: a tenth of ``trials`` (at least 100,
    at most ``trials``, :func:`cyberready.prioritize.screening_trials`), the screening pass of
    the priorities."""

    trials: int = 10_000
    seed: int = 0
    screen_trials: int | None = None
    priorities: bool = True
    locale: str = "en"

    @property
    def screening(self) -> int:
        """Trials per scenario when screening candidate actions (and for the leaders and the
        plan: a portfolio runs the screening pass only)."""
        from cyberready.prioritize import screening_trials

        return screening_trials(self.trials, self.screen_trials)

    def assess(self, ws: Workspace, simulation: bool | SimulationResult = True) -> AssessmentResult:
        """:func:`cyberready.assess` of one EMB with these settings (no graph analyses: the
        donor view does not use them)."""
        from cyberready.assess import assess

        return assess(
            ws,
            trials=self.trials,
            seed=self.seed,
            screen_trials=self.screening,
            priority_trials=self.screening,
            simulation=simulation,
            priorities=self.priorities,
            graph=False,
        )


@dataclass(frozen=True)
class FunctionLoss:
    """One election function of one EMB: chance of failing this cycle and expected loss
    (weight points, the functions' part of expected loss). The title is scrubbed like the
    donor view's."""

    title: str
    phases: tuple[str, ...]
    weight: int
    p_fail: float
    expected_loss: float


@dataclass(frozen=True)
class EmbRecord:
    """What a portfolio keeps of one EMB: its donor view and donor-safe numbers only.

    ``expected_loss`` is the EMB's total (weight points, public trust included);
    ``trust_loss`` its public-trust part and ``functions`` the functions' part, by function.
    """

    view: DonorView
    region: str | None
    functions: tuple[FunctionLoss, ...]
    expected_loss: float
    trust_loss: float
    assets: int
    """Nodes in the system model (for throughput figures; never rendered)."""
    sensitive: tuple[Term, ...] = field(default=(), compare=False, repr=False)
    """The EMB's sensitive terms (asset ids and labels, evidence, notes; never rendered): the
    portfolio report is read back and refused if its text holds one."""
    own_titles: tuple[tuple[str, str], ...] = field(default=(), compare=False, repr=False)
    """(title, kind) of the EMB-written titles its view shows (its own frameworks, domains,
    controls and scenarios); anonymised, they become generic labels."""

    @property
    def emb(self) -> str:
        """The EMB's id (its alias when anonymised)."""
        return self.view.meta.emb_id


# --------------------------------------------------------------------------- one EMB


def _load(path: str) -> Workspace | list[Problem]:
    """Load a workspace; problems are returned, not raised (they cross process boundaries)."""
    from cyberready.workspace._load import load_workspace

    try:
        return load_workspace(Path(path))
    except InputError as err:
        return list(err.problems)


def _ranges(scenario_ids: Sequence[str], trials: int) -> list[tuple[str, int, int]]:
    """The (scenario, start, stop) ranges of an EMB's simulation on a cluster."""
    k = math.ceil(trials / RANGE_TRIALS)
    size = math.ceil(trials / k)
    return [(s, a, min(trials, a + size)) for s in scenario_ids for a in range(0, trials, size)]


def _compile(ws: Workspace, scenario_id: str) -> CompiledScenario:
    """One in-scope scenario bound to the workspace's posture (as :func:`cyberready.simulate`
    binds it)."""
    from cyberready.engine import compile_scenario
    from cyberready.posture import build_posture

    return compile_scenario(ws.resolved, ws.library.scenarios[scenario_id], build_posture(ws))


def _record(result: AssessmentResult, locale: str) -> EmbRecord:
    """What the portfolio keeps of an assessment: the donor view and donor-safe numbers."""
    from cyberready.report.views import donor_view, redactor

    ws = result.workspace
    sim = result.simulation
    view = donor_view(result, locale=locale)
    red = redactor(ws, locale)
    n = len(ws.resolved.functions)
    loss = np.zeros(n)
    cycle = np.zeros(n)
    if sim is not None:
        for s in sim.scenarios.values():
            loss += s.loss_by_function
        cycle = sim.cycle_probability
    functions = tuple(
        FunctionLoss(
            title=red.scrub(fn.title, WITHHELD),
            phases=fn.phases,
            weight=fn.weight,
            p_fail=float(cycle[i]),
            expected_loss=float(loss[i]),
        )
        for i, fn in enumerate(ws.resolved.functions)
    )
    return EmbRecord(
        view=view,
        region=ws.emb.region,
        functions=functions,
        expected_loss=sim.expected_loss if sim is not None else 0.0,
        trust_loss=sim.trust_loss if sim is not None else 0.0,
        assets=ws.resolved.n_assets,
        sensitive=tuple(red.terms.values()),
        own_titles=_own_titles(ws),
    )


def _own_titles(ws: Workspace) -> tuple[tuple[str, str], ...]:
    """(title, kind) of the workspace's own (not shipped) frameworks, domains, controls and
    scenarios."""
    lib = ws.library
    out: list[tuple[str, str]] = []
    for fid, fw in lib.frameworks.items():
        if lib.is_shipped("framework", fid):
            continue
        out.append((fw.title, "framework"))
        out += [(d.title, "domain") for d in fw.domains]
        out += [(c.title, "control") for c in fw.controls]
    out += [
        (sc.title, "scenario")
        for sid, sc in lib.scenarios.items()
        if not lib.is_shipped("scenario", sid)
    ]
    return tuple(out)


def _finish(
    ws: Workspace,
    compiled: Mapping[str, CompiledScenario],
    parts: Mapping[str, Sequence[BlockOutput]],
    settings: RunSettings,
) -> EmbRecord:
    """An EMB's record from its scenarios' trial ranges, run elsewhere (a cluster): the
    engine's combine, then :func:`cyberready.assess` with that simulation."""
    from cyberready.engine import combine, simulation_result

    results = (combine(parts[sid], compiled[sid], seed=settings.seed, emb=ws.emb) for sid in parts)
    sim = simulation_result(ws, results, trials=settings.trials, seed=settings.seed)
    return _record(settings.assess(ws, sim), settings.locale)


def assess_emb(path: str | Path, settings: RunSettings) -> EmbRecord | list[Problem]:
    """Assess one EMB workspace in this process (:func:`cyberready.assess`): its
    :class:`EmbRecord`, or its problems. The record is identical whichever executor produced
    it."""
    ws = _load(str(path))
    if isinstance(ws, list):
        return ws
    return _record(settings.assess(ws), settings.locale)


def _survey(ws: Workspace | list[Problem]) -> tuple[str, ...] | list[Problem]:
    """The scenario ids in scope of a loaded workspace, or its problems."""
    if isinstance(ws, list):
        return ws
    return tuple(s.id for s in ws.scenarios)


# --------------------------------------------------------------------------- executors


def _run_serial(
    paths: Sequence[Path], settings: RunSettings, progress: Progress | None
) -> list[EmbRecord | list[Problem]]:
    out: list[EmbRecord | list[Problem]] = []
    for k, p in enumerate(paths):
        out.append(assess_emb(p, settings))
        if progress is not None:
            progress(k + 1, len(paths))
    return out


def _run_pool(
    pool: cf.Executor, paths: Sequence[Path], settings: RunSettings, progress: Progress | None
) -> list[EmbRecord | list[Problem]]:
    """One task per EMB on any ``concurrent.futures`` executor, the largest started first (so
    a national model does not run alone at the end); results in input order."""
    from cyberready.workspace._load import workspace_size

    order = sorted(range(len(paths)), key=lambda k: (-workspace_size(paths[k]), k))
    futures = {pool.submit(assess_emb, str(paths[k]), settings): k for k in order}
    out: list[EmbRecord | list[Problem] | None] = [None] * len(paths)
    for done, fut in enumerate(cf.as_completed(futures), start=1):
        out[futures[fut]] = fut.result()
        if progress is not None:
            progress(done, len(paths))
    return [r for r in out if r is not None]


def _run_local(
    paths: Sequence[Path], settings: RunSettings, workers: int | None, progress: Progress | None
) -> list[EmbRecord | list[Problem]]:
    n = workers or os.cpu_count() or 1
    if n <= 1 or len(paths) <= 1:
        return _run_serial(paths, settings, progress)
    ctx = multiprocessing.get_context("spawn")  # no fork of a process that may hold threads
    with cf.ProcessPoolExecutor(max_workers=min(n, len(paths)), mp_context=ctx) as pool:
        return _run_pool(pool, paths, settings, progress)


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
        from cyberready.workspace._load import workspace_size

        order = sorted(range(len(paths)), key=lambda k: (-workspace_size(paths[k]), k))
        loaded = {k: client.submit(_load, str(paths[k]), pure=False) for k in order}
        surveys = {client.submit(_survey, loaded[k], pure=False): k for k in order}
        finals: dict[Any, int] = {}
        out: list[EmbRecord | list[Problem] | None] = [None] * len(paths)
        for fut in distributed.as_completed(list(surveys)):
            k = surveys[fut]
            survey = fut.result()
            if isinstance(survey, list):
                out[k] = survey
                continue
            compiled = {sid: client.submit(_compile, loaded[k], sid, pure=False) for sid in survey}
            parts: dict[str, list[Any]] = defaultdict(list)
            for sid, a, b in _ranges(survey, settings.trials):
                parts[sid].append(
                    client.submit(run_range, compiled[sid], a, b, settings.seed, pure=False)
                )
            final = client.submit(_finish, loaded[k], compiled, dict(parts), settings, pure=False)
            finals[final] = k
        done = sum(1 for r in out if r is not None)
        if progress is not None and done:
            progress(done, len(paths))
        for fut in distributed.as_completed(list(finals)):
            out[finals[fut]] = fut.result()
            done += 1
            if progress is not None:
                progress(done, len(paths))
        return [r for r in out if r is not None]
    finally:
        if owned:
            cluster = client.cluster
            client.close()
            if cluster is not None:
                cluster.close()


def _workspace_paths(source: str | Path | Sequence[str | Path]) -> list[Path]:
    from cyberready.workspace._load import workspace_folders

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
        Called as ``progress(done, total)`` as EMBs finish.

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


# --------------------------------------------------------------------------- the portfolio


def _median(values: Iterable[float]) -> float:
    return float(statistics.median(values))


@dataclass(frozen=True, eq=False)
class Portfolio:
    """Donor views of many EMBs and every comparison across them (see the module docstring).

    ``to_frame(table)`` gives tidy DataFrames; in Jupyter a portfolio shows its heatmap, tier
    distribution and weak domains.
    """

    records: tuple[EmbRecord, ...]
    trials: int
    seed: int
    screen_trials: int | None = None
    anonymized: bool = False
    min_group: int = DEFAULT_MIN_GROUP
    weak_below: float = DEFAULT_WEAK_BELOW
    elapsed: float = field(default=0.0, compare=False)
    """Wall-clock seconds the assessment took (not part of the results)."""
    withheld: tuple[Term, ...] = field(default=(), compare=False, repr=False)
    """Anonymised: the EMBs' identities (ids, names, countries, elections), which the report
    is checked for besides each EMB's sensitive terms (never rendered)."""

    # ------------------------------------------------------------------ basics

    def __len__(self) -> int:
        return len(self.records)

    def __iter__(self) -> Iterator[EmbRecord]:
        return iter(self.records)

    @property
    def embs(self) -> tuple[str, ...]:
        """EMB ids (aliases when anonymised), in portfolio order."""
        return tuple(r.emb for r in self.records)

    def record(self, emb: str) -> EmbRecord:
        """The record of one EMB (KeyError if absent)."""
        for r in self.records:
            if r.emb == emb:
                return r
        raise KeyError(emb)

    def shown(self, n: int) -> bool:
        """True when a breakdown over ``n`` EMBs may be shown (not suppressed)."""
        return n >= self.min_group

    @property
    def tiers_scale(self) -> tuple[tuple[float, str], ...]:
        """Tier thresholds (min, name), from the EMBs' views (the default tiers if none)."""
        for r in self.records:
            if r.view.readiness.tiers:
                return tuple(r.view.readiness.tiers)
        return (
            (0.0, "Critical gaps"),
            (40.0, "Developing"),
            (60.0, "Established"),
            (80.0, "Advanced"),
        )

    def _regions(self) -> dict[str, list[EmbRecord]]:
        groups: dict[str, list[EmbRecord]] = defaultdict(list)
        for r in self.records:
            groups[r.region or "unspecified"].append(r)
        return groups

    def region_of(self, record: EmbRecord) -> str:
        """The region shown for an EMB (``unspecified`` without one)."""
        return record.region or "unspecified"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Portfolio):
            return NotImplemented
        return self.to_dict() == other.to_dict()

    __hash__ = None  # type: ignore[assignment]

    # ------------------------------------------------------------------ anonymised

    def anonymize(self, seed: int | None = None) -> Portfolio:
        """A copy with EMBs as ``EMB-01``… (order drawn from ``seed``, default the portfolio's
        seed), identities removed and scrubbed, small regions shown as ``other``, budgets as
        bands (:func:`budget_band`), dates coarsened to their quarter and EMB-written titles
        (election functions, the EMB's own frameworks, domains, controls and scenarios)
        replaced by generic labels."""
        from cyberready.report.redaction import Redactor, Term

        if self.anonymized:
            return self
        n = len(self.records)
        width = max(2, len(str(n)))
        order = random.Random(f"cyberready-aliases|{self.seed if seed is None else seed}").sample(
            range(n), n
        )
        sizes = Counter(r.region for r in self.records)
        terms: list[Term] = []
        for r in self.records:
            m = r.view.meta
            names = [m.emb_id, m.emb_name, m.country, re.sub(r"\s*\(.*\)\s*$", "", m.country)]
            names.append(m.election_name or "")
            terms += [Term(t, "EMB identity", "emb.yaml") for t in names if t]
        red = Redactor(terms)
        out = []
        for k, r in enumerate(self.records):
            alias = f"EMB-{order[k] + 1:0{width}d}"
            labels = _generic_labels(r)
            meta = r.view.meta.model_copy(
                update={
                    "emb_id": alias,
                    "emb_name": alias,
                    "country": "",
                    "election_name": None,
                    "election_date": None,
                    "days_to_election": None,
                }
            )
            data = _anonymous(r.view.model_copy(update={"meta": meta}).model_dump(), labels, red)
            if data.get("plan"):
                data["plan"]["budget_usd"] = budget_band(data["plan"]["budget_usd"])[0]
            view = type(r.view).model_validate(data)
            functions = tuple(
                replace(f, title=_anonymous(f.title, labels, red)) for f in r.functions
            )
            region = r.region if sizes[r.region] >= self.min_group and r.region else "other"
            out.append(replace(r, view=view, functions=functions, region=region))
        ordered = tuple(sorted(out, key=lambda r: r.emb))
        return replace(self, records=ordered, anonymized=True, withheld=tuple(red.terms.values()))

    # ------------------------------------------------------------------ frames

    def to_frame(self, table: Table = "readiness") -> pd.DataFrame:
        """A tidy DataFrame.

        Parameters
        ----------
        table
            Per EMB: ``embs`` (headline numbers), ``readiness`` (EMB × domain), ``comparison``
            (EMB × domain against the portfolio and region medians), ``trend`` (EMB ×
            assessment), ``functions`` (EMB × election function: chance of failing, expected
            loss), ``priorities`` (EMB × recommended domain, screening pass). Breakdowns, with
            ``n_embs`` and ``suppressed``: ``domains`` (best, worst, weak everywhere),
            ``regions`` (region × domain), ``tiers`` (EMBs per tier, overall and per region),
            ``years`` (median readiness per year), ``phases`` (expected loss per phase),
            ``plans`` (cost of the combined priority plans, per domain and in total).
        """
        builders: dict[str, Callable[[], pd.DataFrame]] = {
            "embs": self._embs,
            "readiness": self._readiness,
            "comparison": self._comparison,
            "trend": self._trend,
            "functions": self._functions,
            "priorities": self._priorities,
            "domains": self._domains,
            "regions": self._region_frame,
            "tiers": self._tiers,
            "years": self._years,
            "phases": self._phases,
            "plans": self._plans,
        }
        if table not in builders:
            raise ValueError(f"table={table!r}: expected one of {', '.join(TABLES)}")
        return builders[table]()

    def _embs(self) -> pd.DataFrame:
        import pandas as pd

        rows = []
        for r in self.records:
            v = r.view
            rd = v.readiness
            trend = rd.trend
            plan = v.plan
            rows.append(
                {
                    "emb": r.emb,
                    "name": v.meta.emb_name,
                    "country": v.meta.country,
                    "region": self.region_of(r),
                    "as_of": v.meta.as_of,
                    "election_date": v.meta.election_date,
                    "score": rd.score,
                    "low": rd.low,
                    "high": rd.high,
                    "tier": rd.tier,
                    "confidence": rd.confidence,
                    "coverage": rd.coverage,
                    "unassessed": v.limitations.unassessed,
                    "assessments": len(trend),
                    "change": trend[-1].score - trend[0].score if len(trend) > 1 else None,
                    "expected_loss": r.expected_loss,
                    "trust_loss": r.trust_loss,
                    "budget_usd": plan.budget_usd if plan else None,
                    "plan_cost_low": plan.cost_low if plan else None,
                    "plan_cost_high": plan.cost_high if plan else None,
                    "plan_risk_reduction": plan.risk_reduction_share if plan else None,
                    "plan_next_cycle": plan.next_cycle_share if plan else None,
                }
            )
        df = pd.DataFrame(rows, columns=_EMB_COLUMNS)
        if self.anonymized:
            df = df.drop(columns=["name", "country", "election_date"])
            df["as_of"] = [quarter(d) for d in df["as_of"]]
            df.insert(
                list(df.columns).index("budget_usd"),
                "budget_band",
                [None if _missing(b) else budget_band(b)[1] for b in df["budget_usd"]],
            )
            df = df.drop(columns=["budget_usd"])
        return df

    def _readiness(self) -> pd.DataFrame:
        import pandas as pd

        rows = [
            {
                "emb": r.emb,
                "region": self.region_of(r),
                "framework": d.framework_id,
                "framework_title": d.framework_title,
                "domain": d.domain_id,
                "domain_title": d.title,
                "score": d.score,
                "low": d.low,
                "high": d.high,
                "tier": d.tier,
                "coverage": d.coverage,
                "unassessed": d.unassessed,
            }
            for r in self.records
            for d in r.view.readiness.domains
        ]
        return pd.DataFrame(rows, columns=_READINESS_COLUMNS)

    def _domain_keys(self) -> list[tuple[str, str, str, str]]:
        """(framework id, domain id, framework title, domain title), first-seen order."""
        seen: dict[tuple[str, str], tuple[str, str, str, str]] = {}
        for r in self.records:
            for d in r.view.readiness.domains:
                key = (d.framework_id, d.domain_id)
                seen.setdefault(key, (d.framework_id, d.domain_id, d.framework_title, d.title))
        return list(seen.values())

    def _scores(self) -> dict[tuple[str, str], list[tuple[EmbRecord, float]]]:
        out: dict[tuple[str, str], list[tuple[EmbRecord, float]]] = defaultdict(list)
        for r in self.records:
            for d in r.view.readiness.domains:
                out[(d.framework_id, d.domain_id)].append((r, d.score))
        return out

    def _comparison(self) -> pd.DataFrame:
        import pandas as pd

        scores = self._scores()
        rows = []
        for key, members in scores.items():
            n = len(members)
            median = _median(s for _r, s in members) if self.shown(n) else None
            by_region: dict[str, list[float]] = defaultdict(list)
            for r, s in members:
                by_region[self.region_of(r)].append(s)
            for r, s in members:
                region = self.region_of(r)
                peers = by_region[region]
                rmed = _median(peers) if self.shown(len(peers)) else None
                rows.append(
                    {
                        "emb": r.emb,
                        "framework": key[0],
                        "domain": key[1],
                        "score": s,
                        "portfolio_n": n,
                        "portfolio_median": median,
                        "vs_portfolio": None if median is None else s - median,
                        "region": region,
                        "region_n": len(peers),
                        "region_median": rmed,
                        "vs_region": None if rmed is None else s - rmed,
                        "region_suppressed": not self.shown(len(peers)),
                    }
                )
        order = {e: i for i, e in enumerate(self.embs)}
        rows.sort(key=lambda row: (order[str(row["emb"])], str(row["framework"])))
        return _floats(pd.DataFrame(rows, columns=_COMPARISON_COLUMNS), _COMPARISON_FLOATS)

    def _trend(self) -> pd.DataFrame:
        import pandas as pd

        rows = [
            {"emb": r.emb, "region": self.region_of(r), "as_of": p.as_of, "score": p.score,
             "tier": p.tier}
            for r in self.records
            for p in r.view.readiness.trend
        ]  # fmt: skip
        df = pd.DataFrame(rows, columns=["emb", "region", "as_of", "score", "tier"])
        if self.anonymized:
            df["as_of"] = [quarter(d) for d in df["as_of"]]
        return df

    def _functions(self) -> pd.DataFrame:
        import pandas as pd

        rows = [
            {
                "emb": r.emb,
                "function": f.title,
                "phases": ", ".join(f.phases),
                "weight": f.weight,
                "p_fail": f.p_fail,
                "expected_loss": f.expected_loss,
            }
            for r in self.records
            for f in r.functions
        ]
        return pd.DataFrame(
            rows, columns=["emb", "function", "phases", "weight", "p_fail", "expected_loss"]
        )

    def _priorities(self) -> pd.DataFrame:
        import pandas as pd

        rows = [
            {
                "emb": r.emb,
                "rank": p.rank,
                "framework_title": p.framework_title,
                "domain_title": p.domain_title,
                "actions": p.actions,
                "cost_low": p.cost_low,
                "cost_high": p.cost_high,
                "risk_reduction_share": p.risk_reduction_share,
                "next_cycle_share": p.next_cycle_share,
                "readiness_gain": p.readiness_gain,
                "ready_by": p.ready_by,
            }
            for r in self.records
            for p in r.view.priorities
        ]
        return pd.DataFrame(rows, columns=_PRIORITY_COLUMNS)

    def _domains(self) -> pd.DataFrame:
        import pandas as pd

        scores = self._scores()
        rows = []
        for fw, dom, fw_title, title in self._domain_keys():
            members = scores[(fw, dom)]
            n = len(members)
            ok = self.shown(n)
            values = [s for _r, s in members]
            weak = sum(1 for s in values if s < self.weak_below)
            best = max(members, key=lambda t: (t[1], t[0].emb)) if ok else None
            worst = min(members, key=lambda t: (t[1], t[0].emb)) if ok else None
            rows.append(
                {
                    "framework": fw,
                    "framework_title": fw_title,
                    "domain": dom,
                    "domain_title": title,
                    "n_embs": n,
                    "suppressed": not ok,
                    "median": _median(values) if ok else None,
                    "min": min(values) if ok else None,
                    "max": max(values) if ok else None,
                    "best": best[0].emb if best else None,
                    "worst": worst[0].emb if worst else None,
                    "weak_embs": weak if ok else None,
                    "share_weak": weak / n if ok else None,
                    "weak_everywhere": ok and weak == n,
                }
            )
        return _floats(pd.DataFrame(rows, columns=_DOMAIN_COLUMNS), {"median", "min", "max"})

    def _region_frame(self) -> pd.DataFrame:
        import pandas as pd

        rows = []
        for region, members in sorted(self._regions().items()):
            n = len(members)
            ok = self.shown(n)
            rows.append(
                {
                    "region": region,
                    "framework": "",
                    "domain": "overall",
                    "domain_title": "Overall readiness",
                    "n_embs": n,
                    "suppressed": not ok,
                    "median": _median(r.view.readiness.score for r in members) if ok else None,
                    "expected_loss_median": _median(r.expected_loss for r in members)
                    if ok
                    else None,
                }
            )
            per: dict[tuple[str, str, str], list[float]] = defaultdict(list)
            for r in members:
                for d in r.view.readiness.domains:
                    per[(d.framework_id, d.domain_id, d.title)].append(d.score)
            for (fw, dom, title), values in per.items():
                ok_d = self.shown(len(values))
                rows.append(
                    {
                        "region": region,
                        "framework": fw,
                        "domain": dom,
                        "domain_title": title,
                        "n_embs": len(values),
                        "suppressed": not ok_d,
                        "median": _median(values) if ok_d else None,
                        "expected_loss_median": None,
                    }
                )
        return _floats(
            pd.DataFrame(rows, columns=_REGION_COLUMNS), {"median", "expected_loss_median"}
        )

    def _tiers(self) -> pd.DataFrame:
        import pandas as pd

        names = [name for _lo, name in self.tiers_scale]
        rows = []
        groups = [("all", list(self.records)), *sorted(self._regions().items())]
        for region, members in groups:
            ok = self.shown(len(members))
            counts = Counter(r.view.readiness.tier for r in members)
            for name in [*names, *sorted(set(counts) - set(names))]:
                rows.append(
                    {
                        "region": region,
                        "tier": name,
                        "n_embs": len(members),
                        "suppressed": not ok,
                        "embs": counts.get(name, 0) if ok else None,
                    }
                )
        df = pd.DataFrame(rows, columns=["region", "tier", "n_embs", "suppressed", "embs"])
        df["embs"] = df["embs"].astype("Int64")
        return df

    def _years(self) -> pd.DataFrame:
        import pandas as pd

        latest: dict[tuple[int, str], float] = {}
        for r in self.records:
            for p in sorted(r.view.readiness.trend, key=lambda p: p.as_of):
                latest[(p.as_of.year, r.emb)] = p.score
        by_year: dict[int, list[float]] = defaultdict(list)
        for (year, _emb), s in latest.items():
            by_year[year].append(s)
        rows = [
            {
                "year": year,
                "n_embs": len(v),
                "suppressed": not self.shown(len(v)),
                "median": _median(v) if self.shown(len(v)) else None,
            }
            for year, v in sorted(by_year.items())
        ]
        return _floats(pd.DataFrame(rows, columns=["year", "n_embs", "suppressed", "median"]),
                       {"median"})  # fmt: skip

    def _phases(self) -> pd.DataFrame:
        import pandas as pd

        from cyberready.models.vocab import PHASES

        per: dict[str, dict[str, float]] = defaultdict(dict)
        for r in self.records:
            for f in r.functions:
                # a function's loss counts in the first phase it serves
                first = f.phases[0]
                per[first][r.emb] = per[first].get(r.emb, 0.0) + f.expected_loss
        rows = []
        for phase in [p for p in PHASES if p in per]:
            values = list(per[phase].values())
            ok = self.shown(len(values))
            rows.append(
                {
                    "phase": phase,
                    "n_embs": len(values),
                    "suppressed": not ok,
                    "median": _median(values) if ok else None,
                    "total": float(sum(values)) if ok else None,
                    "max": max(values) if ok else None,
                }
            )
        return _floats(
            pd.DataFrame(rows, columns=["phase", "n_embs", "suppressed", "median", "total", "max"]),
            {"median", "total", "max"},
        )

    def _plans(self) -> pd.DataFrame:
        import pandas as pd

        per: dict[tuple[str, str], list[tuple[float, float, int]]] = defaultdict(list)
        for r in self.records:
            for p in r.view.priorities:
                per[(p.framework_title, p.domain_title)].append(
                    (p.cost_low, p.cost_high, p.actions)
                )
        rows = []
        for (fw, dom), items in sorted(per.items(), key=lambda t: -sum(c[1] for c in t[1])):
            ok = self.shown(len(items))
            rows.append(
                {
                    "framework_title": fw,
                    "domain_title": dom,
                    "n_embs": len(items),
                    "suppressed": not ok,
                    "actions": sum(a for _l, _h, a in items) if ok else None,
                    "cost_low": float(sum(lo for lo, _h, _a in items)) if ok else None,
                    "cost_high": float(sum(hi for _l, hi, _a in items)) if ok else None,
                }
            )
        plans = [r.view.plan for r in self.records if r.view.plan is not None]
        ok = self.shown(len(plans))
        rows.append(
            {
                "framework_title": "",
                "domain_title": "All budget plans",
                "n_embs": len(plans),
                "suppressed": not ok,
                "actions": sum(p.actions for p in plans) if ok else None,
                "cost_low": float(sum(p.cost_low for p in plans)) if ok else None,
                "cost_high": float(sum(p.cost_high for p in plans)) if ok else None,
            }
        )
        df = pd.DataFrame(rows, columns=_PLAN_COLUMNS)
        df["actions"] = df["actions"].astype("Int64")
        return _floats(df, {"cost_low", "cost_high"})

    # ------------------------------------------------------------------ summaries

    def weak_everywhere(self) -> list[str]:
        """Titles of the domains weak in every EMB (shown only over ``min_group`` EMBs)."""
        d = self._domains()
        return [str(t) for t in d.loc[d["weak_everywhere"].astype(bool), "domain_title"]]

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON: run parameters, every per-EMB table and every breakdown."""
        return {
            "schema_version": 1,
            "kind": "portfolio",
            "tlp": "TLP:GREEN",
            "embs": len(self.records),
            "trials": self.trials,
            "seed": self.seed,
            "screen_trials": self.screen_trials,
            "anonymized": self.anonymized,
            "min_group": self.min_group,
            "weak_below": self.weak_below,
            "weak_everywhere": self.weak_everywhere(),
            "tables": {t: _records(self.to_frame(t)) for t in TABLES},
        }

    def _repr_html_(self) -> str:
        from cyberready.report.portfolio_report import heatmap_chart_svg, tier_chart_svg

        n = len(self.records)
        weak = self.weak_everywhere()
        head = (
            f"<p><b>Portfolio of {n} EMB{'s' if n != 1 else ''}</b>"
            f"{' (anonymised)' if self.anonymized else ''}: {self.trials:,} trials per "
            f"scenario, seed {self.seed}. Breakdowns over fewer than {self.min_group} EMBs are "
            "suppressed.</p>"
        )
        weak_html = (
            "<p>Weak in every EMB: " + ", ".join(html.escape(w) for w in weak) + "</p>"
            if weak
            else ""
        )
        embs = self._embs()[["emb", "region", "score", "tier", "confidence", "expected_loss"]]
        domains = self._domains()[
            ["domain_title", "n_embs", "median", "min", "max", "best", "worst", "share_weak"]
        ]
        return (
            head
            + weak_html
            + heatmap_chart_svg(self)
            + tier_chart_svg(self)
            + "<h4>EMBs</h4>"
            + _html_table(embs)
            + "<h4>Domains across the portfolio</h4>"
            + _html_table(domains)
        )


_EMB_COLUMNS = [
    "emb", "name", "country", "region", "as_of", "election_date", "score", "low", "high", "tier",
    "confidence", "coverage", "unassessed", "assessments", "change", "expected_loss",
    "trust_loss", "budget_usd", "plan_cost_low", "plan_cost_high", "plan_risk_reduction",
    "plan_next_cycle",
]  # fmt: skip
_READINESS_COLUMNS = [
    "emb", "region", "framework", "framework_title", "domain", "domain_title", "score", "low",
    "high", "tier", "coverage", "unassessed",
]  # fmt: skip
_COMPARISON_COLUMNS = [
    "emb", "framework", "domain", "score", "portfolio_n", "portfolio_median", "vs_portfolio",
    "region", "region_n", "region_median", "vs_region", "region_suppressed",
]  # fmt: skip
_COMPARISON_FLOATS = {"portfolio_median", "vs_portfolio", "region_median", "vs_region"}
_PRIORITY_COLUMNS = [
    "emb", "rank", "framework_title", "domain_title", "actions", "cost_low", "cost_high",
    "risk_reduction_share", "next_cycle_share", "readiness_gain", "ready_by",
]  # fmt: skip
_DOMAIN_COLUMNS = [
    "framework", "framework_title", "domain", "domain_title", "n_embs", "suppressed", "median",
    "min", "max", "best", "worst", "weak_embs", "share_weak", "weak_everywhere",
]  # fmt: skip
_REGION_COLUMNS = [
    "region", "framework", "domain", "domain_title", "n_embs", "suppressed", "median",
    "expected_loss_median",
]  # fmt: skip
_PLAN_COLUMNS = [
    "framework_title", "domain_title", "n_embs", "suppressed", "actions", "cost_low", "cost_high",
]  # fmt: skip


def _html_table(df: pd.DataFrame) -> str:
    return str(df.to_html(float_format=lambda v: f"{v:.2f}", na_rep="—", index=False))


def _floats(df: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    """Float columns stay float (None -> NaN) even when every value is suppressed."""
    for c in columns:
        df[c] = df[c].astype("float64")
    return df


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """DataFrame rows as JSON-ready dicts (NaN/NA -> None, dates -> ISO strings)."""
    out = []
    for row in df.to_dict(orient="records"):
        clean: dict[str, Any] = {}
        for k, v in row.items():
            if v is None or (isinstance(v, float) and math.isnan(v)) or v is _pd_na():
                clean[str(k)] = None
            elif isinstance(v, np.integer):
                clean[str(k)] = int(v)
            elif isinstance(v, np.floating):
                clean[str(k)] = float(v)
            elif isinstance(v, np.bool_):
                clean[str(k)] = bool(v)
            elif hasattr(v, "isoformat"):
                clean[str(k)] = v.isoformat()
            else:
                clean[str(k)] = v
        out.append(clean)
    return out


def _pd_na() -> object:
    import pandas as pd

    return pd.NA


BUDGET_BANDS: Final[tuple[tuple[float, str], ...]] = (
    (0.0, "<$100k"),
    (100_000.0, "$100k–$500k"),
    (500_000.0, "$500k–$1M"),
    (1_000_000.0, "$1M–$5M"),
    (5_000_000.0, "≥$5M"),
)
"""(lower bound, label) of the budget bands an anonymised portfolio shows."""


def budget_band(usd: float) -> tuple[float, str]:
    """The (lower bound, label) of the band holding a budget.

    >>> budget_band(250_000)
    (100000.0, '$100k–$500k')
    """
    lower, label = BUDGET_BANDS[0]
    for lo, name in BUDGET_BANDS:
        if usd >= lo:
            lower, label = lo, name
    return lower, label


def quarter(d: object) -> str | None:
    """A date as its quarter (``2026-Q3``; None for no date)."""
    if isinstance(d, dt.date):
        return f"{d.year}-Q{(d.month - 1) // 3 + 1}"
    return None


def _missing(v: object) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


_GENERIC: Final = {
    "function": "Election function",
    "framework": "EMB framework",
    "domain": "EMB domain",
    "control": "EMB control",
    "scenario": "EMB scenario",
}


def _generic_labels(r: EmbRecord) -> dict[str, str]:
    """EMB-written titles -> generic labels (``Election function 3``, ``EMB domain 2``)."""
    labels: dict[str, str] = {}
    counts: Counter[str] = Counter()
    pairs = [(f.title, "function") for f in r.functions] + list(r.own_titles)
    for fdv in r.view.functions:  # a title the record's functions spell the same way
        pairs.append((fdv.title, "function"))
    for title, kind in pairs:
        if title and title not in labels:
            counts[kind] += 1
            labels[title] = f"{_GENERIC[kind]} {counts[kind]}"
    return labels


def _anonymous(value: Any, labels: Mapping[str, str], red: Any) -> Any:
    """``value`` (nested dicts, lists, tuples) with EMB-written titles replaced by their
    generic labels, identities withheld and every date moved to the first day of its
    quarter."""
    if isinstance(value, str):
        return labels.get(value) or red.scrub(value, WITHHELD)
    if isinstance(value, dt.date):
        return dt.date(value.year, 3 * ((value.month - 1) // 3) + 1, 1)
    if isinstance(value, Mapping):
        return {k: _anonymous(v, labels, red) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_anonymous(v, labels, red) for v in value)
    return value
