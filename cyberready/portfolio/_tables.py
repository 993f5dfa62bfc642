"""The tables of a portfolio: their names, columns and the helpers that build them."""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Final, Literal

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

SUPPRESSED: Final = "suppressed (fewer than {n} EMBs)"
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
    "peers",
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
    "peers",
)


def median_of(values: Iterable[float]) -> float:
    return float(statistics.median(values))


EMB_COLUMNS = [
    "emb", "name", "country", "region", "as_of", "election_date", "score", "low", "high", "tier",
    "confidence", "coverage", "unassessed", "assessments", "change", "expected_loss",
    "trust_loss", "budget_usd", "plan_cost_low", "plan_cost_high", "plan_risk_reduction",
    "plan_next_cycle",
]  # fmt: skip
READINESS_COLUMNS = [
    "emb", "region", "framework", "framework_title", "domain", "domain_title", "score", "low",
    "high", "tier", "coverage", "unassessed",
]  # fmt: skip
COMPARISON_COLUMNS = [
    "emb", "framework", "domain", "score", "portfolio_n", "portfolio_median", "vs_portfolio",
    "region", "region_n", "region_median", "vs_region", "region_suppressed",
]  # fmt: skip
COMPARISON_FLOATS = {"portfolio_median", "vs_portfolio", "region_median", "vs_region"}
PRIORITY_COLUMNS = [
    "emb", "rank", "framework_title", "domain_title", "actions", "cost_low", "cost_high",
    "risk_reduction_share", "next_cycle_share", "readiness_gain", "ready_by",
]  # fmt: skip
DOMAIN_COLUMNS = [
    "framework", "framework_title", "domain", "domain_title", "n_embs", "suppressed", "median",
    "min", "max", "best", "worst", "weak_embs", "share_weak", "weak_everywhere",
]  # fmt: skip
REGION_COLUMNS = [
    "region", "framework", "domain", "domain_title", "n_embs", "suppressed", "median",
    "expected_loss_median",
]  # fmt: skip
PEER_COLUMNS = [
    "emb", "framework", "framework_title", "domain", "domain_title", "score", "peer",
    "peer_score",
]  # fmt: skip
PLAN_COLUMNS = [
    "framework_title", "domain_title", "n_embs", "suppressed", "actions", "cost_low", "cost_high",
]  # fmt: skip


def html_table(df: pd.DataFrame) -> str:
    return str(df.to_html(float_format=lambda v: f"{v:.2f}", na_rep="—", index=False))


def floats(df: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    """Float columns stay float (None -> NaN) even when every value is suppressed."""
    for c in columns:
        df[c] = df[c].astype("float64")
    return df


def json_rows(df: pd.DataFrame) -> list[dict[str, Any]]:
    """DataFrame rows as JSON-ready dicts (NaN/NA -> None, dates -> ISO strings)."""
    out = []
    for row in df.to_dict(orient="records"):
        clean: dict[str, Any] = {}
        for k, v in row.items():
            if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd_na():
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


def pd_na() -> object:
    import pandas as pd

    return pd.NA
