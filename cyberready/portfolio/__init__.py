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
* **Weak domains**: a domain is *weak* in an EMB below ``weak_below`` (60: where the default
  "Established" tier of :data:`cyberready.models.framework.DEFAULT_TIERS` starts); *weak in
  every EMB* means weak in all of at least ``min_group`` EMBs —
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

The public API is ``__all__``: :func:`assess_portfolio` (and :func:`assess_emb`, one EMB as a
worker assesses it, with its :class:`RunSettings`), the :class:`Portfolio` and its
:class:`EmbRecord` / :class:`FunctionLoss` records, the table names (:data:`TABLES`), the
anonymisation helpers (:func:`budget_band`, :func:`quarter`) and the defaults above. The sample
portfolio generator is :mod:`cyberready.portfolio.sample`. Reports of a portfolio are in
:mod:`cyberready.report.portfolio_report`, which reads a :class:`Portfolio` (this package never
imports it).

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

from cyberready.portfolio._anonymise import BUDGET_BANDS, budget_band, quarter
from cyberready.portfolio._portfolio import (
    DEFAULT_MIN_GROUP,
    DEFAULT_TIERS_SCALE,
    DEFAULT_WEAK_BELOW,
    Portfolio,
)
from cyberready.portfolio._record import WITHHELD, EmbRecord, FunctionLoss, RunSettings, assess_emb
from cyberready.portfolio._run import (
    EXECUTORS,
    PORTFOLIO_STAGE,
    RANGE_TRIALS,
    Executor,
    assess_portfolio,
)
from cyberready.portfolio._tables import TABLES, Table

__all__ = [
    "BUDGET_BANDS",
    "DEFAULT_MIN_GROUP",
    "DEFAULT_TIERS_SCALE",
    "DEFAULT_WEAK_BELOW",
    "EXECUTORS",
    "PORTFOLIO_STAGE",
    "RANGE_TRIALS",
    "TABLES",
    "WITHHELD",
    "EmbRecord",
    "Executor",
    "FunctionLoss",
    "Portfolio",
    "RunSettings",
    "Table",
    "assess_emb",
    "assess_portfolio",
    "budget_band",
    "quarter",
]
