"""What :func:`~cyberready.prioritize.prioritize` returns: the ranked actions, the readiness-only
actions, the budget plan and its steps, all together in :class:`Priorities`; each renders as a
DataFrame (``to_frame``), as plain data for JSON (``to_dict``) and in Jupyter.
"""

from __future__ import annotations

import datetime as dt
import html
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final, Literal

from cyberready.engine.results import Z95
from cyberready.prioritize._actions import ZERO_COST, Action, CostBasis, CostRange, usd
from cyberready.prioritize._benefit import Benefit
from cyberready.prioritize._roadmap import Roadmap

if TYPE_CHECKING:
    import pandas as pd


def benefit_per_kusd(value: float, cost: CostRange) -> float:
    """Benefit (or readiness gain) per thousand USD of the midpoint cost; ``inf`` for a free
    action that helps."""
    mid = cost.mid
    if mid <= 0:
        return math.inf if value > 0 else 0.0
    return value / (mid / 1000.0)


def _json_num(v: object) -> object:
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v


MAX_LISTED_ASSETS: Final = 100
"""Most asset ids a :class:`Recommendation` lists."""


@dataclass(frozen=True)
class Recommendation:
    """One ranked risk-reduction action, with what it protects and what it costs.

    ``benefit`` is the action alone; ``cumulative`` (for the first few of a ranking) is the
    benefit of this action together with every one ranked above it.
    """

    rank: int
    action: Action
    benefit: Benefit
    per_kusd: float
    """Benefit per thousand USD (midpoint cost); ``inf`` for a free action."""
    quick_win: bool
    assets: tuple[str, ...]
    """Ids of the assets raised (at most 100 listed; ``action.n_assets`` counts all)."""
    scenario_titles: Mapping[str, str] = field(default_factory=dict)
    function_titles: Mapping[str, str] = field(default_factory=dict)
    cumulative: Benefit | None = None

    def protects(self) -> list[tuple[str, float]]:
        """(scenario id, loss drop) for the scenarios it protects, largest first."""
        return sorted(
            ((s, v) for s, v in self.benefit.by_scenario.items() if v > 0),
            key=lambda t: (-t[1], t[0]),
        )

    def functions(self) -> list[tuple[str, float]]:
        """(function id, drop in its chance of failing this cycle), largest first."""
        return sorted(
            ((f, v) for f, v in self.benefit.p_cycle.items() if v > 0),
            key=lambda t: (-t[1], t[0]),
        )

    def explain(self) -> str:
        """One paragraph: what, where, how much it helps, what it protects, references, cost."""
        a = self.action
        lo, hi = a.from_levels
        frm = f"{lo}" if lo == hi else f"{lo}–{hi}"
        if a.unassessed:
            frm += " (unassessed, counted as 0)"
        where = "everywhere it applies" if a.selector is None else f"on {a.selector.describe()}"
        listed = ", ".join(self.assets[:8]) + (
            f", … ({a.n_assets} in all)" if a.n_assets > 8 else ""
        )
        items = f", {a.items:,} items" if a.items != a.n_assets else ""
        parts = [
            f"Raise {a.control} ({a.title}) from level {frm} to {a.level} {where} "
            f"({a.n_assets} asset(s){items}: {listed}).",
            f"Expected loss falls by {self.benefit.value:.3f} points "
            f"(95% interval {self.benefit.low:.3f} to {self.benefit.high:.3f}, "
            f"{self.benefit.trials:,} trials per scenario)"
            + (
                f", {self.benefit.trust:.3f} of it from public trust."
                if self.benefit.trust > 0
                else "."
            ),
        ]
        sc = self.protects()
        if sc:
            parts.append(
                "Scenarios: "
                + "; ".join(f"{self.scenario_titles.get(s, s)} (-{v:.3f})" for s, v in sc[:5])
                + "."
            )
        fn = self.functions()
        if fn:
            parts.append(
                "Functions (chance of failing this cycle): "
                + "; ".join(
                    f"{self.function_titles.get(f, f)} (-{100 * v:.2f} pts)" for f, v in fn[:5]
                )
                + "."
            )
        if a.csf:
            parts.append(f"NIST CSF 2.0: {', '.join(a.csf)}.")
        parts.append(f"Cost {a.cost.describe()}, {a.weeks:g} weeks.")
        if self.quick_win:
            parts.append("Quick win.")
        return " ".join(parts)

    def row(self) -> dict[str, Any]:
        """Flat row for tables."""
        a = self.action
        return {
            "rank": self.rank,
            **_action_cells(a, _RANKED_ACTION_CELLS),
            "benefit": self.benefit.value,
            "benefit_low": self.benefit.low,
            "benefit_high": self.benefit.high,
            "benefit_trust": self.benefit.trust,
            "se": self.benefit.se,
            "trials": self.benefit.trials,
            "per_kusd": self.per_kusd,
            "cumulative": self.cumulative.value if self.cumulative else None,
            "cumulative_se": self.cumulative.se if self.cumulative else None,
            "cumulative_trials": self.cumulative.trials if self.cumulative else None,
            "quick_win": self.quick_win,
            "scenarios": ", ".join(s for s, _ in self.protects()),
            "functions": ", ".join(f for f, _ in self.functions()),
            "csf": ", ".join(a.csf),
        }


_ACTION_CELLS: Final[Mapping[str, Callable[[Action], Any]]] = {
    "action": lambda a: a.id,
    "control": lambda a: a.control,
    "framework": lambda a: a.framework,
    "title": lambda a: a.title,
    "scope": lambda a: a.scope,
    "from_level": lambda a: a.from_levels[0],
    "to_level": lambda a: a.level,
    "assets": lambda a: a.n_assets,
    "items": lambda a: a.items,
    "cost_low": lambda a: a.cost.low,
    "cost_high": lambda a: a.cost.high,
    "weeks": lambda a: a.weeks,
}
"""How each table cell that describes the action itself is read, so the ranking and the
readiness rows spell these cells one way."""

_RANKED_ACTION_CELLS: Final = (
    "action", "control", "framework", "title", "scope", "from_level", "to_level", "assets",
    "items", "cost_low", "cost_high", "weeks",
)  # fmt: skip
_READINESS_ACTION_CELLS: Final = (
    "action", "control", "title", "scope", "to_level", "assets", "cost_low", "cost_high", "weeks",
)  # fmt: skip


def _action_cells(a: Action, names: tuple[str, ...]) -> dict[str, Any]:
    """The cells ``names`` of ``a``'s row, in that order (a row's key order is its column and
    JSON order)."""
    return {n: _ACTION_CELLS[n](a) for n in names}


@dataclass(frozen=True)
class ReadinessAction:
    """An action with no simulated effect, ranked by readiness gain per cost."""

    rank: int
    action: Action
    gain: float
    """Rise of the overall readiness score, points (0–100)."""
    gain_low_end: float
    """Rise of the overall score's low end (every control at its lowest asset level)."""
    per_kusd: float
    reason: str

    def row(self) -> dict[str, Any]:
        """Flat row for tables."""
        a = self.action
        return {
            "rank": self.rank,
            **_action_cells(a, _READINESS_ACTION_CELLS),
            "readiness_gain": self.gain,
            "low_end_gain": self.gain_low_end,
            "per_kusd": self.per_kusd,
            "reason": self.reason,
            "csf": ", ".join(a.csf),
        }


@dataclass(frozen=True)
class PlanStep:
    """One action of a plan: what it adds to the ones before it (ready no later than it), and
    the running totals."""

    action: Action
    marginal: Benefit
    cumulative: Benefit
    added_cost: CostRange
    cumulative_cost: CostRange
    ready: dt.date | None = None
    """The day it is in place (:func:`ready_date` from the plan's start)."""
    this_cycle: float | None = None
    """The part of :attr:`marginal` in time for this cycle (:func:`cycle_split`)."""
    next_cycle: float | None = None
    """The rest of :attr:`marginal`: protection from the next cycle on."""

    def benefit_cells(self) -> dict[str, float | None]:
        """The step's benefit figures, in the order the plan table and its JSON give them
        (``trials``: what the marginal and cumulative benefits were estimated on)."""
        return {
            "marginal": self.marginal.value,
            "marginal_se": self.marginal.se,
            "this_cycle": self.this_cycle,
            "next_cycle": self.next_cycle,
            "cumulative": self.cumulative.value,
            "cumulative_se": self.cumulative.se,
            "trials": self.cumulative.trials,
        }


@dataclass(frozen=True)
class Plan:
    """Actions chosen within a budget (see :func:`budget_plan`), re-simulated in full."""

    budget: float
    basis: CostBasis
    method: str
    steps: tuple[PlanStep, ...]
    screened_value: float
    """The plan's benefit as the search estimated it (screening trials)."""

    @property
    def actions(self) -> tuple[Action, ...]:
        """The actions, in the order they are ready (the search's pick order on a tie)."""
        return tuple(s.action for s in self.steps)

    @property
    def this_cycle(self) -> float:
        """The plan's benefit in time for this cycle: the steps' this-cycle parts. Each step
        adds to the actions ready no later than it, so this is what the actions in place
        before each phase remove from that phase's loss."""
        return float(sum(s.this_cycle or 0.0 for s in self.steps))

    @property
    def next_cycle(self) -> float:
        """The rest of the plan's benefit: actions (or parts of them) ready too late for the
        phases they protect, which count from the next cycle on."""
        return float(sum(s.next_cycle or 0.0 for s in self.steps))

    @property
    def cost(self) -> CostRange:
        """Total cost."""
        return self.steps[-1].cumulative_cost if self.steps else ZERO_COST

    @property
    def benefit(self) -> Benefit | None:
        """Total benefit (full trials)."""
        return self.steps[-1].cumulative if self.steps else None

    def to_frame(self) -> pd.DataFrame:
        """One row per step."""
        import pandas as pd

        rows = [
            {
                "step": k + 1,
                "action": s.action.id,
                "control": s.action.control,
                "title": s.action.title,
                "scope": s.action.scope,
                "ready": s.ready,
                **s.benefit_cells(),
                "added_cost_low": s.added_cost.low,
                "added_cost_high": s.added_cost.high,
                "cost_low": s.cumulative_cost.low,
                "cost_high": s.cumulative_cost.high,
                "weeks": s.action.weeks,
            }
            for k, s in enumerate(self.steps)
        ]
        return pd.DataFrame(rows, columns=_PLAN_COLUMNS)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "budget": self.budget,
            "basis": self.basis,
            "method": self.method,
            "cost": {"low": self.cost.low, "high": self.cost.high},
            "benefit": self.benefit.to_dict() if self.benefit else None,
            "benefit_this_cycle": self.this_cycle,
            "benefit_next_cycle": self.next_cycle,
            "screened_value": self.screened_value,
            "steps": [
                {
                    "action": s.action.id,
                    "ready": s.ready.isoformat() if s.ready else None,
                    **s.benefit_cells(),
                    "added_cost": {"low": s.added_cost.low, "high": s.added_cost.high},
                    "cost": {"low": s.cumulative_cost.low, "high": s.cumulative_cost.high},
                }
                for s in self.steps
            ],
        }

    def _repr_html_(self) -> str:
        b = self.benefit
        head = (
            f"<p><b>Plan</b> within {usd(self.budget)} ({self.basis} costs, {self.method}): "
            f"{len(self.steps)} action(s), cost {self.cost.describe()}, benefit "
            + (f"{b.value:.3f} ± {Z95 * b.se:.3f}" if b else "0")
            + f" ({self.this_cycle:.3f} this cycle, {self.next_cycle:.3f} next cycle)</p>"
        )
        return head + self.to_frame().to_html(index=False, na_rep="", escape=True)


_PLAN_COLUMNS: Final = [
    "step",
    "action",
    "control",
    "title",
    "scope",
    "ready",
    "marginal",
    "marginal_se",
    "this_cycle",
    "next_cycle",
    "cumulative",
    "cumulative_se",
    "trials",
    "added_cost_low",
    "added_cost_high",
    "cost_low",
    "cost_high",
    "weeks",
]

Table = Literal["ranking", "readiness", "plan", "roadmap"]


@dataclass(frozen=True)
class Priorities:
    """What to fix first: the ranked risk actions, the readiness-only actions, the budget plan
    and the roadmap. ``to_frame(table)`` gives each as a DataFrame."""

    emb: str
    start: dt.date
    seed: int
    trials: int
    screen_trials: int
    scenarios: tuple[str, ...]
    baseline: float
    """Expected loss today (weight points, full trials), public trust included."""
    baseline_se: float
    ranking: tuple[Recommendation, ...]
    readiness: tuple[ReadinessAction, ...]
    plan: Plan | None
    roadmap: Roadmap
    candidates: int
    """How many candidate actions were generated."""
    baseline_trust: float = 0.0
    """The public-trust part of :attr:`baseline`."""

    def top(self, k: int) -> tuple[Recommendation, ...]:
        """The first ``k`` of the ranking."""
        return self.ranking[:k]

    def recommendation(self, action_id: str) -> Recommendation:
        """A ranked action by id (KeyError if not ranked)."""
        for r in self.ranking:
            if r.action.id == action_id:
                return r
        raise KeyError(action_id)

    @property
    def quick_wins(self) -> tuple[Recommendation, ...]:
        """Ranked actions flagged as quick wins."""
        return tuple(r for r in self.ranking if r.quick_win)

    def to_frame(self, table: Table = "ranking") -> pd.DataFrame:
        """``ranking`` (default), ``readiness``, ``plan`` or ``roadmap`` as a DataFrame."""
        import pandas as pd

        if table == "ranking":
            return pd.DataFrame([r.row() for r in self.ranking], columns=_RANKING_COLUMNS)
        if table == "readiness":
            return pd.DataFrame([r.row() for r in self.readiness], columns=_READINESS_COLUMNS)
        if table == "plan":
            if self.plan is None:
                return pd.DataFrame([], columns=_PLAN_COLUMNS)
            return self.plan.to_frame()
        if table == "roadmap":
            return self.roadmap.to_frame()
        raise ValueError(f"table={table!r}: expected ranking, readiness, plan or roadmap")

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON (``cyberready prioritize --json``)."""
        return {
            "emb": self.emb,
            "start": self.start.isoformat(),
            "seed": self.seed,
            "trials": self.trials,
            "screen_trials": self.screen_trials,
            "scenarios": list(self.scenarios),
            "baseline": {
                "expected_loss": self.baseline,
                "se": self.baseline_se,
                "trust_loss": self.baseline_trust,
            },
            "candidates": self.candidates,
            "ranking": [
                {
                    **{k: _json_num(v) for k, v in r.row().items()},
                    "benefit_detail": r.benefit.to_dict(),
                    "assets_listed": list(r.assets),
                    "references": {k: list(v) for k, v in r.action.references.items()},
                    "explanation": r.explain(),
                }
                for r in self.ranking
            ],
            "readiness": [{k: _json_num(v) for k, v in r.row().items()} for r in self.readiness],
            "plan": self.plan.to_dict() if self.plan else None,
            "roadmap": self.roadmap.to_dict(),
        }

    def _repr_html_(self) -> str:
        head = (
            f"<p><b>Priorities for {html.escape(self.emb)}</b> from {self.start}: expected loss "
            f"today {self.baseline:.3f} ± {Z95 * self.baseline_se:.3f} weight points (of which "
            f"public trust {self.baseline_trust:.3f}) over "
            f"{len(self.scenarios)} scenario(s); {len(self.ranking)} risk action(s), "
            f"{len(self.readiness)} readiness-only action(s), {len(self.quick_wins)} quick "
            "win(s).</p>"
        )
        cols = ["rank", "action", "title", "benefit", "cost_low", "cost_high", "per_kusd"]
        body = (
            self.to_frame("ranking")
            .head(10)[cols]
            .to_html(index=False, float_format=lambda v: f"{v:,.3f}", na_rep="", escape=True)
        )
        plan = self.plan._repr_html_() if self.plan is not None else ""
        return head + body + plan


_RANKING_COLUMNS: Final = [
    "rank",
    "action",
    "control",
    "framework",
    "title",
    "scope",
    "from_level",
    "to_level",
    "assets",
    "items",
    "cost_low",
    "cost_high",
    "weeks",
    "benefit",
    "benefit_low",
    "benefit_high",
    "benefit_trust",
    "se",
    "trials",
    "per_kusd",
    "cumulative",
    "cumulative_se",
    "cumulative_trials",
    "quick_win",
    "scenarios",
    "functions",
    "csf",
]
_READINESS_COLUMNS: Final = [
    "rank",
    "action",
    "control",
    "title",
    "scope",
    "to_level",
    "assets",
    "cost_low",
    "cost_high",
    "weeks",
    "readiness_gain",
    "low_end_gain",
    "per_kusd",
    "reason",
    "csf",
]
