"""Simulation results: per scenario (:class:`ScenarioResult`) and across scenarios
(:class:`SimulationResult`), with DataFrames and an HTML view for notebooks (docs/trial-model.md).

Counts are integers and per-trial rows are kept in trial order, so every number here is the
same whatever the block size. Probabilities are conditional on the campaign being attempted
(``P(fail | attempt)``); :attr:`SimulationResult.cycle_probability` folds in each scenario's
likelihood, treating scenarios as independent campaigns.

**Expected loss** (weight points) of a scenario, with ``L`` its effective likelihood for the EMB
and ``w_pc`` the EMB's ``public_confidence_weight``::

    L × (sum_f weight_f × P(f fails | attempt) + w_pc × mean T)

where, per trial, ``C`` = (public events + failed functions) × the reassurance factor and the
**trust loss** ``T = min(C, 3) / 3`` (three public incidents or failed functions in one campaign
are a full loss of public confidence). :attr:`ScenarioResult.loss_by_function` is the first
part, :attr:`ScenarioResult.trust_loss` the second; :attr:`ScenarioResult.trial_loss` is the
same sum trial by trial (its mean is the expected loss), which the priorities difference under
common random numbers.
"""

from __future__ import annotations

import html
import math
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt

from cyberready.posture import Origin

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "PathCount",
    "ScenarioResult",
    "SimulationResult",
    "top_paths",
    "trial_losses",
    "trust_losses",
    "wilson",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

Z95 = 1.959963984540054
QUANTILES = (0.1, 0.5, 0.9)
TOP_PATHS = 5
FULL_TRUST_LOSS = 3
"""Public events + failed functions in one campaign that make a full loss of public trust."""
DEFAULT_CONFIDENCE_WEIGHT = 3.0
"""``public_confidence_weight`` when no EMB profile says otherwise (its default in ``emb.yaml``)."""


def wilson(successes: npt.ArrayLike, n: int, z: float = Z95) -> tuple[FloatArray, FloatArray]:
    """Wilson score interval (95% by default) for ``successes`` out of ``n``.

    >>> lo, hi = wilson(np.array([0, 50]), 100)
    >>> [round(float(x), 4) for x in lo], [round(float(x), 4) for x in hi]
    ([0.0, 0.4038], [0.037, 0.5962])
    """
    k = np.asarray(successes, dtype=np.float64)
    if n <= 0:
        nan = np.full(k.shape, np.nan)
        return nan, nan.copy()
    p = k / n
    z2 = z * z
    denom = 1 + z2 / n
    center = (p + z2 / (2 * n)) / denom
    half = z / denom * np.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    lo = np.where(k <= 0, 0.0, np.clip(center - half, 0.0, 1.0))  # exact at the ends
    hi = np.where(k >= n, 1.0, np.clip(center + half, 0.0, 1.0))
    return lo, hi


def trust_losses(confidence: npt.ArrayLike, reassurance: float) -> FloatArray:
    """Per trial, the trust loss ``T = min(C, 3) / 3`` with ``C`` = the public-confidence units
    (public events + failed functions) × the reassurance factor.

    >>> trust_losses(np.array([0, 1, 2, 3, 5]), 1.0).round(3).tolist()
    [0.0, 0.333, 0.667, 1.0, 1.0]
    >>> trust_losses(np.array([1, 4]), 0.5).round(3).tolist()
    [0.167, 0.667]
    """
    c = reassurance * np.asarray(confidence, dtype=np.float64)
    return np.asarray(np.minimum(c, FULL_TRUST_LOSS) / FULL_TRUST_LOSS, dtype=np.float64)


def trial_losses(
    likelihood: float, failed_weight: npt.ArrayLike, trust: npt.ArrayLike, confidence_weight: float
) -> FloatArray:
    """Per trial, the loss in weight points: ``likelihood × (the weights of the functions that
    failed + confidence_weight × T)``; its mean over trials is the expected loss."""
    failed = np.asarray(failed_weight, dtype=np.float64)
    t = np.asarray(trust, dtype=np.float64)
    return np.asarray(likelihood * (failed + confidence_weight * t), dtype=np.float64)


@dataclass(frozen=True)
class PathCount:
    """One attack path and how many trials took it to their first failure."""

    function: str
    assets: tuple[str, ...]
    """Entry asset, …, the compromised asset that made the function fail[, the member it took
    down when that was a dependency or a data copy]."""
    trials: int
    share: float
    """Share of all trials."""

    def describe(self) -> str:
        """``entry → … → asset (function)``."""
        return f"{' → '.join(self.assets)} ({self.function})"


def top_paths(
    counts: Counter[tuple[int, ...]],
    function_ids: Sequence[str],
    asset_ids: Sequence[str],
    trials: int,
    limit: int = TOP_PATHS,
) -> tuple[PathCount, ...]:
    """The ``limit`` most frequent paths (ties: by function, then asset positions)."""
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    return tuple(
        PathCount(
            function=function_ids[key[0]],
            assets=tuple(asset_ids[a] for a in key[1:]),
            trials=count,
            share=count / trials if trials else 0.0,
        )
        for key, count in ranked
    )


@dataclass(frozen=True, eq=False)
class ScenarioResult:
    """One scenario's Monte Carlo over one EMB.

    ``failures[t, f]`` says whether function ``f`` failed in trial ``t`` (trial order; the
    priorities use paired per-trial differences), ``fail_time[t, f]`` when (inf if it did not).
    """

    scenario_id: str
    title: str
    likelihood: float
    trials: int
    seed: int
    function_ids: tuple[str, ...]
    function_weights: FloatArray
    in_phase: BoolArray
    asset_ids: tuple[str, ...]
    fail_time: FloatArray
    compromised: IntArray
    detected: IntArray
    confidence: IntArray
    """Per trial: public events + failed functions (before reassurance)."""
    reassurance: float
    paths: tuple[PathCount, ...] = ()
    not_applicable: tuple[str, ...] = ()
    base_likelihood: float | None = None
    """The scenario's own likelihood (None: the same as :attr:`likelihood`)."""
    likelihood_origin: Origin = "generic"
    """Where :attr:`likelihood` comes from: ``generic`` (the scenario's base, no threat
    context), ``actor`` (base × the threat context's actor level) or ``emb`` (the EMB's own
    figure)."""
    likelihood_note: str = ""
    """The origin in a few words (the EMB's rationale, or the multiplication)."""
    public_confidence_weight: float = DEFAULT_CONFIDENCE_WEIGHT
    """``w_pc``: weight points a full loss of public trust costs (the EMB's
    ``public_confidence_weight``, 1–5)."""

    @property
    def base(self) -> float:
        """The scenario's base likelihood (before any threat context)."""
        return self.likelihood if self.base_likelihood is None else self.base_likelihood

    # ----------------------------------------------------------------- per trial

    @property
    def failures(self) -> BoolArray:
        """``[trials, functions]``: True where the function failed in that trial."""
        return np.isfinite(self.fail_time)

    @property
    def time_to_failure(self) -> FloatArray:
        """Per trial: hours to the first failed function (inf when none failed)."""
        if self.fail_time.shape[1] == 0:
            return np.full(self.trials, np.inf)
        return np.asarray(self.fail_time.min(axis=1), dtype=np.float64)

    # ----------------------------------------------------------------- aggregates

    @property
    def failure_counts(self) -> IntArray:
        """Per function: trials in which it failed."""
        return np.asarray(self.failures.sum(axis=0), dtype=np.int64)

    @property
    def p_fail(self) -> FloatArray:
        """Per function: P(fail | attempt)."""
        return self.failure_counts / self.trials

    @property
    def p_fail_interval(self) -> tuple[FloatArray, FloatArray]:
        """Per function: Wilson 95% interval of :attr:`p_fail`."""
        return wilson(self.failure_counts, self.trials)

    @property
    def p_compromise(self) -> FloatArray:
        """Per asset: P(compromised | attempt)."""
        return self.compromised / self.trials

    @property
    def p_detect(self) -> FloatArray:
        """Per asset: P(compromised and detected | attempt)."""
        return self.detected / self.trials

    @property
    def p_any_failure(self) -> float:
        """P(at least one function fails | attempt)."""
        return float(np.isfinite(self.time_to_failure).mean()) if self.trials else 0.0

    def ttf_quantiles(self, q: Sequence[float] = QUANTILES) -> FloatArray:
        """Quantiles of the time to first failure (hours), over the trials where something
        failed (numpy's default method); NaN when nothing ever failed."""
        t = self.time_to_failure
        t = t[np.isfinite(t)]
        if len(t) == 0:
            return np.full(len(q), np.nan)
        return np.asarray(np.quantile(t, list(q)), dtype=np.float64)

    def function_ttf_quantiles(self, q: Sequence[float] = QUANTILES) -> FloatArray:
        """``[functions, len(q)]``: per-function time-to-failure quantiles (NaN: never)."""
        out = np.full((len(self.function_ids), len(q)), np.nan)
        for f in range(len(self.function_ids)):
            t = self.fail_time[:, f]
            t = t[np.isfinite(t)]
            if len(t):
                out[f] = np.quantile(t, list(q))
        return out

    @property
    def confidence_units(self) -> int:
        """Sum over trials of (public events + failed functions), before reassurance."""
        return int(self.confidence.sum())

    @property
    def confidence_total(self) -> float:
        """Sum over trials of the public-confidence impact ``C``."""
        return self.reassurance * self.confidence_units

    @property
    def mean_confidence(self) -> float:
        """Mean public-confidence impact ``C`` per trial: public incidents and failed functions
        per campaign, after reassurance."""
        return self.reassurance * self.confidence_units / self.trials if self.trials else 0.0

    @property
    def trust(self) -> FloatArray:
        """Per trial: the trust loss ``T = min(C, 3) / 3``, 0 (none) to 1 (full loss)."""
        return trust_losses(self.confidence, self.reassurance)

    @property
    def mean_trust(self) -> float:
        """Mean trust loss ``T`` per trial (0–1)."""
        return float(self.trust.mean()) if self.trials else 0.0

    @property
    def loss_by_function(self) -> FloatArray:
        """Per function: ``likelihood * weight * P(fail | attempt)`` (weight points)."""
        return self.likelihood * self.function_weights * self.p_fail

    @property
    def function_loss(self) -> float:
        """The functions' part of the expected loss: ``sum(loss_by_function)``."""
        return float(self.loss_by_function.sum())

    @property
    def trust_loss(self) -> float:
        """The public-trust part of the expected loss: ``likelihood * w_pc * mean T``."""
        return float(self.likelihood * self.public_confidence_weight * self.mean_trust)

    @property
    def expected_loss(self) -> float:
        """``likelihood * (sum_f weight_f * P(f fails | attempt) + w_pc * mean T)`` (weight
        points): :attr:`function_loss` + :attr:`trust_loss`."""
        return self.function_loss + self.trust_loss

    @property
    def failed_weight(self) -> FloatArray:
        """Per trial: the sum of the weights of the functions that failed."""
        return np.asarray(self.failures.astype(np.float64) @ self.function_weights)

    @property
    def trial_loss(self) -> FloatArray:
        """Per trial: ``likelihood * (weights of the failed functions + w_pc * T)``
        (:func:`trial_losses`); its mean is :attr:`expected_loss` (up to rounding)."""
        return trial_losses(
            self.likelihood, self.failed_weight, self.trust, self.public_confidence_weight
        )

    # ----------------------------------------------------------------- frames

    def function_frame(self) -> pd.DataFrame:
        """One row per function."""
        import pandas as pd

        lo, hi = self.p_fail_interval
        ttf = self.function_ttf_quantiles()
        return pd.DataFrame(
            {
                "scenario": self.scenario_id,
                "function": list(self.function_ids),
                "in_phase": self.in_phase,
                "weight": self.function_weights,
                "failures": self.failure_counts,
                "trials": self.trials,
                "p_fail": self.p_fail,
                "p_fail_low": lo,
                "p_fail_high": hi,
                "likelihood": self.likelihood,
                "expected_loss": self.loss_by_function,
                **{f"ttf_p{round(q * 100)}_h": ttf[:, i] for i, q in enumerate(QUANTILES)},
            }
        )

    def asset_frame(self) -> pd.DataFrame:
        """One row per asset."""
        import pandas as pd

        return pd.DataFrame(
            {
                "scenario": self.scenario_id,
                "asset": list(self.asset_ids),
                "compromised": self.compromised,
                "detected": self.detected,
                "trials": self.trials,
                "p_compromise": self.p_compromise,
                "p_detect": self.p_detect,
            }
        )

    def _repr_html_(self) -> str:
        lo, hi = self.p_fail_interval
        rows = "".join(
            f"<tr><td>{html.escape(f)}</td><td>{self.p_fail[i]:.4f}</td>"
            f"<td>{lo[i]:.4f}–{hi[i]:.4f}</td><td>{self.loss_by_function[i]:.4f}</td></tr>"
            for i, f in enumerate(self.function_ids)
            if self.in_phase[i]
        )
        paths = "".join(f"<li>{html.escape(p.describe())}: {p.trials}</li>" for p in self.paths)
        return (
            f"<div><strong>{html.escape(self.scenario_id)}</strong>: {html.escape(self.title)}"
            f" — {self.trials:,} trials, seed {self.seed}, likelihood {self.likelihood:g} "
            f"({html.escape(self.likelihood_note or self.likelihood_origin)}); expected loss "
            f"{self.expected_loss:.4f} weight points, of which public trust "
            f"{self.trust_loss:.4f} (mean trust loss {self.mean_trust:.3f} of a full loss, "
            f"weight {self.public_confidence_weight:g})"
            "<table><thead><tr><th>function</th><th>P(fail | attempt)"
            "</th><th>95% interval</th><th>expected loss</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>"
            + (f"<p>Most frequent paths:</p><ol>{paths}</ol>" if paths else "")
            + "</div>"
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary (no per-trial rows)."""
        lo, hi = self.p_fail_interval
        q = self.ttf_quantiles()
        return {
            "scenario": self.scenario_id,
            "title": self.title,
            "likelihood": self.likelihood,
            "base_likelihood": self.base,
            "likelihood_origin": self.likelihood_origin,
            "likelihood_note": self.likelihood_note,
            "trials": self.trials,
            "seed": self.seed,
            "expected_loss": self.expected_loss,
            "function_loss": self.function_loss,
            "trust_loss": self.trust_loss,
            "public_confidence_weight": self.public_confidence_weight,
            "p_any_failure": self.p_any_failure,
            "mean_confidence": self.mean_confidence,
            "mean_trust": self.mean_trust,
            "time_to_failure_h": {
                f"p{round(p * 100)}": (None if math.isnan(v) else float(v))
                for p, v in zip(QUANTILES, q, strict=True)
            },
            "functions": [
                {
                    "function": f,
                    "in_phase": bool(self.in_phase[i]),
                    "failures": int(self.failure_counts[i]),
                    "p_fail": float(self.p_fail[i]),
                    "p_fail_95": [float(lo[i]), float(hi[i])],
                    "expected_loss": float(self.loss_by_function[i]),
                }
                for i, f in enumerate(self.function_ids)
            ],
            "assets": [
                {
                    "asset": a,
                    "compromised": int(self.compromised[i]),
                    "detected": int(self.detected[i]),
                    "p_compromise": float(self.p_compromise[i]),
                }
                for i, a in enumerate(self.asset_ids)
                if self.compromised[i]
            ],
            "paths": [
                {"function": p.function, "assets": list(p.assets), "trials": p.trials}
                for p in self.paths
            ],
            "not_applicable": list(self.not_applicable),
        }


@dataclass(frozen=True, eq=False)
class SimulationResult:
    """Every scenario's result for one EMB, sorted by scenario id."""

    scenarios: Mapping[str, ScenarioResult]
    function_ids: tuple[str, ...]
    asset_ids: tuple[str, ...]
    trials: int
    seed: int
    meta: Mapping[str, Any] = field(default_factory=dict)
    asset_groups: tuple[str, ...] = ()
    """Per asset: the row reports show it under (a group of generated assets' key, else its own
    id); empty when unknown."""

    @property
    def expected_loss(self) -> float:
        """Sum of the scenarios' expected losses (independent campaigns: losses add), public
        trust included."""
        return float(sum(r.expected_loss for r in self.scenarios.values()))

    @property
    def trust_loss(self) -> float:
        """The public-trust part of :attr:`expected_loss`, summed over the scenarios."""
        return float(sum(r.trust_loss for r in self.scenarios.values()))

    @property
    def cycle_probability(self) -> FloatArray:
        """Per function: ``P(f fails this cycle) = 1 - prod_s (1 - likelihood_s * P_s(f))``."""
        keep = np.ones(len(self.function_ids))
        for r in self.scenarios.values():
            keep *= 1.0 - r.likelihood * r.p_fail
        return 1.0 - keep

    @property
    def cycle_compromise(self) -> FloatArray:
        """Per asset: ``1 - prod_s (1 - likelihood_s * P_s(compromise))``."""
        keep = np.ones(len(self.asset_ids))
        for r in self.scenarios.values():
            keep *= 1.0 - r.likelihood * r.p_compromise
        return 1.0 - keep

    def cycle_compromise_split(self, accidental: Collection[str]) -> tuple[FloatArray, FloatArray]:
        """Per asset, :attr:`cycle_compromise` split in two: the chance it is compromised by an
        attacker (every scenario not in ``accidental``), and the chance it fails without one
        (the ``accidental`` scenarios: equipment, power or capacity failures)."""
        keep = {True: np.ones(len(self.asset_ids)), False: np.ones(len(self.asset_ids))}
        for r in self.scenarios.values():
            keep[r.scenario_id in accidental] *= 1.0 - r.likelihood * r.p_compromise
        return 1.0 - keep[False], 1.0 - keep[True]

    def top_risks(self, n: int = 3) -> list[tuple[str, float, str]]:
        """The ``n`` functions with the highest expected loss over all scenarios:
        ``(function, P(fails this cycle), scenario contributing most)``, ties by id."""
        loss = np.zeros(len(self.function_ids))
        for r in self.scenarios.values():
            loss += r.loss_by_function
        order = sorted(
            range(len(self.function_ids)), key=lambda f: (-loss[f], self.function_ids[f])
        )
        cycle = self.cycle_probability
        out = []
        for f in order[:n]:
            if loss[f] <= 0:
                break
            worst = max(
                self.scenarios.values(),
                key=lambda r: (r.loss_by_function[f], r.scenario_id),
            )
            out.append((self.function_ids[f], float(cycle[f]), worst.scenario_id))
        return out

    def to_frame(
        self, view: Literal["functions", "assets", "scenarios", "paths"] = "functions"
    ) -> pd.DataFrame:
        """A DataFrame: one row per scenario × function (default), per scenario × asset (with
        the ``group`` each asset is reported under, docs/system-model.md), per scenario, or
        per top path."""
        import pandas as pd

        results = list(self.scenarios.values())
        if view == "functions":
            frames = [r.function_frame() for r in results]
        elif view == "assets":
            frames = [r.asset_frame() for r in results]
            groups = self.asset_groups or self.asset_ids
            for f in frames:
                f.insert(2, "group", list(groups))
        elif view == "scenarios":
            rows = []
            for r in results:
                q = r.ttf_quantiles()
                rows.append(
                    {
                        "scenario": r.scenario_id,
                        "title": r.title,
                        "likelihood": r.likelihood,
                        "base_likelihood": r.base,
                        "likelihood_origin": r.likelihood_origin,
                        "trials": r.trials,
                        "p_any_failure": r.p_any_failure,
                        "expected_loss": r.expected_loss,
                        "function_loss": r.function_loss,
                        "trust_loss": r.trust_loss,
                        "public_confidence_weight": r.public_confidence_weight,
                        "mean_confidence": r.mean_confidence,
                        "mean_trust": r.mean_trust,
                        **{
                            f"ttf_p{round(p * 100)}_h": v for p, v in zip(QUANTILES, q, strict=True)
                        },
                        "not_applicable": len(r.not_applicable),
                    }
                )
            return pd.DataFrame(rows)
        elif view == "paths":
            rows = [
                {
                    "scenario": r.scenario_id,
                    "rank": i + 1,
                    "function": p.function,
                    "path": " → ".join(p.assets),
                    "trials": p.trials,
                    "share": p.share,
                }
                for r in results
                for i, p in enumerate(r.paths)
            ]
            return pd.DataFrame(rows)
        else:
            raise ValueError(f"unknown view {view!r}: functions, assets, scenarios or paths")
        if not frames:
            return pd.DataFrame()
        return pd.concat(frames, ignore_index=True)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary."""
        cycle = self.cycle_probability
        return {
            "trials": self.trials,
            "seed": self.seed,
            "expected_loss": self.expected_loss,
            "trust_loss": self.trust_loss,
            "functions": [
                {"function": f, "p_fail_cycle": float(cycle[i])}
                for i, f in enumerate(self.function_ids)
            ],
            "scenarios": [r.to_dict() for r in self.scenarios.values()],
            **dict(self.meta),
        }

    def _repr_html_(self) -> str:
        cycle = self.cycle_probability
        rows = "".join(
            f"<tr><td>{html.escape(r.scenario_id)}</td><td>{r.likelihood:.2f}</td>"
            f"<td>{r.base:.2f}</td><td>{r.p_any_failure:.3f}</td><td>{r.mean_trust:.3f}</td>"
            f"<td>{r.expected_loss:.3f}</td><td>{r.trust_loss:.3f}</td></tr>"
            for r in self.scenarios.values()
        )
        frows = "".join(
            f"<tr><td>{html.escape(f)}</td><td>{cycle[i]:.4f}</td></tr>"
            for i, f in enumerate(self.function_ids)
        )
        return (
            f"<div><strong>Simulation</strong>: {len(self.scenarios)} scenario(s), "
            f"{self.trials:,} trials each, seed {self.seed}; expected loss "
            f"{self.expected_loss:.3f} weight points, of which public trust "
            f"{self.trust_loss:.3f}. Trust loss: the share of a full loss of public confidence "
            "per attempt (three public incidents or failed functions in one campaign are a full "
            "loss)."
            "<table><thead><tr><th>scenario</th><th>likelihood</th><th>base likelihood</th>"
            "<th>P(any failure | attempt)</th><th>mean trust loss</th><th>expected loss</th>"
            f"<th>of which public trust</th></tr></thead><tbody>{rows}</tbody></table>"
            "<table><thead><tr><th>function</th><th>P(fails this cycle)</th></tr></thead>"
            f"<tbody>{frows}</tbody></table></div>"
        )
