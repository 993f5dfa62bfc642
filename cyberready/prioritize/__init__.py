"""Prioritised risk reduction (docs/risk.md): what to fix first, for how much, before election day.

The rules, stated once:

* **Candidate actions.** For every in-scope ``subject: emb`` control, the *goal* is the answer's
  ``target`` when one is set, else level 4. An action raises the control to its goal on the
  assets where it applies and currently sits below the goal (``n/a`` assets are left alone).
  There is one organisation-wide candidate per control and one per distinct override selector
  of that control ("raise ECBS-VR-03 on tags=regional-office") when it touches a different set
  of assets. Levels between the current one and the goal are not separate candidates: a
  framework prices *the project* of putting a control in place (``effort``), not each level,
  so an intermediate level would cost the same and could only be dominated. Any level can
  still be tried through :func:`raise_control` and :func:`what_if`.
* **Cost** = ``cost_usd`` + ``per_asset_usd`` × the items touched (asset ``count`` included),
  kept as a ``[low, high]`` range; rankings use the midpoint. In a plan, actions on the same
  control share one fixed cost and pay per asset once (the union of the assets they raise), so
  raising a control twice is never paid twice.
* **Benefit** = the drop in expected loss (weight points summed over the in-scope scenarios:
  effective likelihood × (weights of the failed functions + ``public_confidence_weight`` × the
  trial's trust loss), :mod:`cyberready.engine.results`), simulated with common random
  numbers: the same seed and trials with and without the action, the per-trial loss
  difference giving the mean and its standard error (scenarios are independent, so variances
  add). Only scenarios an action can change are re-simulated: those using a technique the
  control mitigates or detects; for a control with ``recovers``, those with a ``disrupt``
  effect (recovery shortens outages); for a control that ``verifies``, those with an ``alter``
  effect that can hit an asset the action raises; for a control that ``reassures`` (raised
  organisation-wide), those where the public-confidence impact can be above 0 (a public
  effect, or an effect that can fail a function of the scenario's phases). Every other
  scenario's trials are identical by construction, so its share of the benefit is exactly 0;
  an action touching no in-scope scenario has zero risk benefit and goes to the readiness
  list, as does one whose screening trials all came out unchanged.
* **Screening.** Every candidate is simulated with ``screen_trials`` per scenario (by default
  :func:`screening_trials`: a tenth of ``trials``, at least 100, at most ``trials``; the same
  rule everywhere); the
  ``leaders`` (10) best by benefit per cost are re-simulated with ``trials`` (10,000), and so is
  any action that a re-simulated leader's lower full benefit lets into the lead. The
  first screening trials are the first full trials (same global trial index), so the two agree.
* **Ranking** by benefit per thousand USD (midpoint cost), best first; actions without a
  simulated effect are ranked separately by readiness gain (overall score points,
  :mod:`cyberready.scoring`) per thousand USD.
* **Budget plan** (:func:`budget_plan`): greedy by marginal benefit per marginal cost,
  re-evaluating every remaining action after each pick; at each step it also remembers the
  plan so far plus the single affordable action of largest benefit ("greedy + max"); the best
  of these, of the full greedy plan and of the best single affordable action is then improved
  by local search (add one action, or swap one for another, while the value strictly rises).
  When benefits are monotone and submodular (diminishing returns) and costs add up, greedy +
  max is guaranteed to reach at least half the best plan's benefit for the same budget
  ("Bring your own greedy+max: near-optimal 1/2-approximations for submodular knapsack",
  AISTATS 2020; the classic better-of-greedy-and-single rule alone can fall to about 0.43 of
  the best there), and local search only adds to it. Simulated
  benefits may interact otherwise (two actions that only help together), so
  ``benchmarks/results.md`` records what the plan reaches on small models where every subset
  can be enumerated. The plan's cost, on the
  chosen basis (``mid`` by default; ``high`` for a plan that fits even if every cost comes in
  at the top of its range), never exceeds the budget. The search maximises the *total*
  benefit, this cycle's and the next's together (see the roadmap): a control raised now keeps
  protecting every later election, the calendar in ``emb.yaml`` covers this cycle only, and a
  plan started after the last phase would otherwise have nothing to choose by. What part of
  the plan arrives in time for this election is shown beside it, never mixed in.
* **Roadmap.** Every action of the plan starts on the plan's start date (:func:`plan_start`:
  the assessment's ``as_of`` unless given) and is ready ``weeks`` later. Milestones on or
  before the start are *already under way*: listed as such, never offered as targets. An
  action counts for a phase only if it is ready *before* the phase starts (``ready < start``,
  :func:`in_time_phases`); a phase without a window in ``emb.yaml`` is never credited
  (``voting`` falls back to the election date). Milestones: before registration
  (``voter_registration`` start), before polling day (``voting`` start, else the election
  date), before results (``results_publication`` start); anything later waits for the next
  cycle (without any window or election date, every action is ``unscheduled``).
* **This cycle and the next.** An action's benefit splits into what it protects in the
  phases it is in time for (this cycle) and the rest (from the next cycle on), by
  :func:`cycle_split`: a function's part belongs to the phases the function is delivered in,
  a scenario's public-trust part to the phases the scenario targets, shared evenly when there
  are several. Without any window or election date nothing is known to be late and all of it
  counts this cycle. The plan's steps are re-simulated in the order the actions are ready,
  each on top of those ready no later, so the steps' this-cycle parts add up to what the
  actions in place before each phase remove from it; the plan's "% of risk removed" is this
  cycle's, with the next cycle's shown apart.
* **Quick win:** a clearly positive benefit (its 95% interval above 0) with a positive
  this-cycle part, at most ``quick_win_weeks`` (4) and at most ``quick_win_usd`` (10,000,
  high end).

Everything here is pure: it takes a :class:`~cyberready.workspace.Workspace` and returns frozen
results that render as DataFrames (``to_frame``) and in Jupyter.
"""

from __future__ import annotations

import datetime as dt
import html
import itertools
import math
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final, Generic, Literal, Protocol, TypeVar

import numpy as np
import numpy.typing as npt

from cyberready.engine.results import trial_losses, trust_losses
from cyberready.models import Answer, Assessment, Override, Scenario, Selector
from cyberready.models.assessment import PhaseWindow
from cyberready.models.vocab import PHASES, Phase
from cyberready.posture import AssetLevels, Posture, asset_levels
from cyberready.workspace._assets import ResolvedSystem

if TYPE_CHECKING:
    import pandas as pd

    from cyberready.engine import ScenarioResult, SimulationResult
    from cyberready.workspace._inputs import Workspace

__all__ = [
    "MILESTONES",
    "NEXT_CYCLE",
    "UNSCHEDULED",
    "Action",
    "Benefit",
    "CostBasis",
    "CostRange",
    "LossModel",
    "Plan",
    "PlanSearch",
    "PlanStep",
    "Priorities",
    "ReadinessAction",
    "Recommendation",
    "Roadmap",
    "RoadmapEntry",
    "Runner",
    "WhatIf",
    "apply_actions",
    "budget_plan",
    "candidate_actions",
    "cycle_split",
    "engine_runner",
    "exhaustive_plan",
    "in_time_phases",
    "loss_model",
    "paired_benefit",
    "plan_cost",
    "prioritize",
    "raise_control",
    "raised_assessment",
    "ready_date",
    "schedule",
    "screening_trials",
    "what_if",
]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
CostBasis = Literal["low", "mid", "high"]
T = TypeVar("T", bound=Hashable)

Z95: Final = 1.959963984540054
"""Two-sided 95% normal quantile."""

MILESTONES: Final[tuple[tuple[Phase, str], ...]] = (
    ("voter_registration", "before registration"),
    ("voting", "before polling day"),
    ("results_publication", "before results"),
)
"""(phase, label) of the roadmap's milestones; an action ready after all of them waits."""
SCREEN_SHARE: Final = 10
"""By default, candidates are screened with a tenth of the trials (at least
:data:`MIN_SCREEN_TRIALS`, at most all of them)."""
MIN_SCREEN_TRIALS: Final = 100
NEXT_CYCLE: Final = "next cycle"
UNSCHEDULED: Final = "unscheduled"
"""The milestone of every action when ``emb.yaml`` gives no phase windows nor election date."""


# --------------------------------------------------------------------------- costs


@dataclass(frozen=True)
class CostRange:
    """A cost in USD, as a ``[low, high]`` range; rankings use :attr:`mid`."""

    low: float
    high: float

    @property
    def mid(self) -> float:
        """Midpoint of the range."""
        return (self.low + self.high) / 2

    def at(self, basis: CostBasis) -> float:
        """The low end, the midpoint or the high end."""
        if basis == "low":
            return self.low
        if basis == "high":
            return self.high
        if basis == "mid":
            return self.mid
        raise ValueError(f"cost basis {basis!r}: expected low, mid or high")

    def __add__(self, other: CostRange) -> CostRange:
        return CostRange(self.low + other.low, self.high + other.high)

    def __sub__(self, other: CostRange) -> CostRange:
        return CostRange(self.low - other.low, self.high - other.high)

    def describe(self) -> str:
        """``$12,000–$30,000`` (or one figure when low = high)."""
        if math.isclose(self.low, self.high):
            return _usd(self.low)
        return f"{_usd(self.low)}–{_usd(self.high)}"


def _usd(value: float) -> str:
    return f"${value:,.0f}"


ZERO_COST: Final = CostRange(0.0, 0.0)


# --------------------------------------------------------------------------- actions


@dataclass(frozen=True, eq=False)
class Action:
    """Raise one control to ``level`` on some assets.

    ``positions`` are the rows (in the resolved system) of the assets raised — those where the
    control applies, is not ``n/a`` and sits below ``level`` — and ``counts`` the items each
    stands for. Two actions are equal when their :attr:`id` is.
    """

    control: str
    level: int
    selector: Selector | None
    positions: IntArray
    counts: IntArray
    framework: str = ""
    title: str = ""
    fixed_usd: tuple[float, float] = (0.0, 0.0)
    per_asset_usd: tuple[float, float] = (0.0, 0.0)
    weeks: float = 0.0
    techniques: frozenset[str] = frozenset()
    recovers: float = 0.0
    reassures: float = 0.0
    """The control's ``reassures`` when this action raises its organisation-wide level (the
    level reassurance reads); 0 otherwise."""
    verifies: float = 0.0
    """The control's chance of catching an alteration at full strength (0: it does not
    verify)."""
    references: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    from_levels: tuple[int, int] = (0, 0)
    """Lowest and highest current level over the assets raised."""
    unassessed: bool = False
    """True when the control has no answer (its level 0 is an assumption)."""

    @cached_property
    def id(self) -> str:
        """``CONTROL>level`` or ``CONTROL>level@selector``, e.g. ``ECBS-VR-03>4@tags=hq``."""
        base = f"{self.control}>{self.level}"
        return base if self.selector is None else f"{base}@{self.selector.describe()}"

    @property
    def scope(self) -> str:
        """``everywhere it applies`` or the selector, in words."""
        return "everywhere it applies" if self.selector is None else self.selector.describe()

    @property
    def n_assets(self) -> int:
        """Assets (nodes) raised."""
        return len(self.positions)

    @property
    def items(self) -> int:
        """Items raised (asset ``count`` included)."""
        return int(self.counts.sum())

    @property
    def cost(self) -> CostRange:
        """``cost_usd + per_asset_usd × items``, as a range."""
        n = self.items
        return CostRange(
            self.fixed_usd[0] + self.per_asset_usd[0] * n,
            self.fixed_usd[1] + self.per_asset_usd[1] * n,
        )

    @property
    def csf(self) -> tuple[str, ...]:
        """NIST CSF 2.0 subcategories the control references."""
        return self.references.get("nist-csf-2.0", ())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Action) and other.id == self.id

    def __hash__(self) -> int:
        return hash(self.id)

    def __repr__(self) -> str:
        return f"Action({self.id!r}, {self.n_assets} assets, {self.cost.describe()})"


def plan_cost(actions: Iterable[Action]) -> CostRange:
    """Cost of doing several actions together.

    Actions on the same control share one fixed cost and pay per asset once, over the union
    of the assets they raise (so an action on a subset of what another covers adds nothing).

    Examples
    --------
    >>> import numpy as np
    >>> a = Action("X-01", 4, None, np.array([0, 1]), np.array([1, 10]),
    ...            fixed_usd=(100, 200), per_asset_usd=(1, 2))
    >>> plan_cost([a]).describe()
    '$111–$222'
    >>> b = Action("X-01", 4, Selector(ids=("a",)), np.array([0]), np.array([1]),
    ...            fixed_usd=(100, 200), per_asset_usd=(1, 2))
    >>> plan_cost([a, b]) == plan_cost([a])
    True
    """
    by_control: dict[str, list[Action]] = {}
    for a in actions:
        by_control.setdefault(a.control, []).append(a)
    total = ZERO_COST
    for group in by_control.values():
        if len(group) == 1:
            total = total + group[0].cost
            continue
        pos = np.concatenate([a.positions for a in group])
        cnt = np.concatenate([a.counts for a in group])
        _, first = np.unique(pos, return_index=True)
        items = int(cnt[first].sum())
        fixed_lo = max(a.fixed_usd[0] for a in group)
        fixed_hi = max(a.fixed_usd[1] for a in group)
        per_lo = max(a.per_asset_usd[0] for a in group)
        per_hi = max(a.per_asset_usd[1] for a in group)
        total = total + CostRange(fixed_lo + per_lo * items, fixed_hi + per_hi * items)
    return total


def _make_action(
    ws: Workspace,
    levels: AssetLevels,
    row: int,
    goal: int,
    selector: Selector | None,
    mask: BoolArray,
) -> Action:
    ctl = levels.controls[row]
    found = ws.library.control(ctl.id)
    fw_id = found[0].id if found else ""
    positions = np.flatnonzero(mask).astype(np.int64)
    current = levels.levels[row][positions]
    effort = ctl.effort
    return Action(
        control=ctl.id,
        level=goal,
        selector=selector,
        positions=positions,
        counts=ws.resolved.counts[positions].astype(np.int64),
        framework=fw_id,
        title=ctl.title,
        fixed_usd=(float(effort.cost_usd[0]), float(effort.cost_usd[1])),
        per_asset_usd=(
            (float(effort.per_asset_usd[0]), float(effort.per_asset_usd[1]))
            if effort.per_asset_usd is not None
            else (0.0, 0.0)
        ),
        weeks=float(effort.weeks),
        techniques=ctl.effects.techniques,
        recovers=float(ctl.effects.recovers),
        reassures=(
            float(ctl.effects.reassures) if ctl.organization_wide and selector is None else 0.0
        ),
        verifies=(
            float(ctl.effects.verifies.probability) if ctl.effects.verifies is not None else 0.0
        ),
        references=MappingProxyType(dict(ctl.references)),
        from_levels=(int(current.min()), int(current.max())) if len(current) else (goal, goal),
        unassessed=ctl.id in levels.unanswered,
    )


def _goal(ws: Workspace, control_id: str) -> int:
    answers = ws.assessment.answers if ws.assessment is not None else {}
    ans = answers.get(control_id)
    return ans.target if ans is not None and ans.target is not None else 4


def candidate_actions(ws: Workspace, levels: AssetLevels | None = None) -> list[Action]:
    """Every candidate action of a workspace (rules in the module docstring), sorted by id.

    Parameters
    ----------
    ws
        The EMB workspace.
    levels
        Current per-asset levels (default: :func:`cyberready.posture.asset_levels`).

    Examples
    --------
    >>> import cyberready
    >>> ws = cyberready.load_workspace(cyberready.example_path())
    >>> ids = [a.id for a in candidate_actions(ws)]
    >>> "ECBS-VR-03>4@tags=regional-office" in ids
    True
    """
    levels = asset_levels(ws) if levels is None else levels
    overrides: dict[str, list[Selector]] = {}
    for ov in ws.assessment.overrides if ws.assessment is not None else ():
        sels = overrides.setdefault(ov.control, [])
        if ov.select not in sels:
            sels.append(ov.select)
    out: list[Action] = []
    for row, ctl in enumerate(levels.controls):
        goal = _goal(ws, ctl.id)
        cur = levels.levels[row]
        below = levels.applicable[row] & (cur >= 0) & (cur < goal)
        if not below.any():
            continue
        out.append(_make_action(ws, levels, row, goal, None, below))
        seen = [below]
        for sel in overrides.get(ctl.id, []):
            mask = below & ws.resolved.mask(sel)
            if not mask.any() or any(np.array_equal(mask, s) for s in seen):
                continue
            seen.append(mask)
            out.append(_make_action(ws, levels, row, goal, sel, mask))
    return sorted(out, key=lambda a: a.id)


def raise_control(
    ws: Workspace,
    control_id: str,
    level: int,
    selector: Selector | None = None,
    *,
    levels: AssetLevels | None = None,
) -> Action:
    """An action raising ``control_id`` to ``level`` everywhere it applies, or on ``selector``.

    Assets already at or above ``level`` and ``n/a`` assets are not touched (and not paid for).
    Raises ``KeyError`` naming the control when it is not an in-scope EMB control, and
    ``ValueError`` when the level is not 1–4.
    """
    if not 1 <= level <= 4:
        raise ValueError(f"level must be 1–4, got {level}")
    levels = asset_levels(ws) if levels is None else levels
    row = levels.index(control_id)
    cur = levels.levels[row]
    mask = levels.applicable[row] & (cur >= 0) & (cur < level)
    if selector is not None:
        mask &= ws.resolved.mask(selector)
    return _make_action(ws, levels, row, level, selector, mask)


def apply_actions(levels: AssetLevels, actions: Iterable[Action]) -> AssetLevels:
    """The per-asset levels after the actions (order does not matter: levels only rise).

    An organisation-wide action on an organisation-wide control also raises the control's
    organisation-wide level (which drives reassurance, trial model step 8), unless it is ``n/a``.
    """
    out = levels
    for a in sorted(set(actions), key=lambda x: x.id):
        if len(a.positions):
            out = out.raised(a.control, a.level, a.positions)
        row = out.index(a.control)
        if a.selector is None and out.controls[row].organization_wide and out.org_levels[row] >= 0:
            org = out.org_levels.copy()
            org[row] = max(int(org[row]), a.level)
            out = replace(out, org_levels=org)
    return out


def raised_assessment(
    assessment: Assessment, actions: Iterable[Action], ids: Sequence[str]
) -> Assessment:
    """The assessment as it would read after the actions (for readiness scores and for users).

    An organisation-wide action raises the answer (an unanswered control gets one, with
    evidence source ``none``) and every override of the control that sits below the goal; an
    action on a selector pins the assets it raises with an ``ids`` override at the goal (taking
    those assets out of any other ``ids`` override of the control, so none conflict). ``ids``
    are the resolved system's asset ids, by row.
    """
    answers = dict(assessment.answers)
    overrides = list(assessment.overrides)
    for a in sorted(set(actions), key=lambda x: (x.selector is not None, x.id)):
        if a.selector is None:
            ans = answers.get(a.control)
            if ans is None:
                answers[a.control] = Answer(level=a.level, notes="what-if: raised by an action")
            elif ans.level != "n/a" and ans.level < a.level:
                answers[a.control] = ans.model_copy(update={"level": a.level})
            overrides = [
                ov.model_copy(update={"level": a.level})
                if ov.control == a.control and ov.level != "n/a" and ov.level < a.level
                else ov
                for ov in overrides
            ]
            continue
        if not len(a.positions):
            continue
        touched = {ids[int(i)] for i in a.positions}
        kept: list[Override] = []
        for ov in overrides:
            if ov.control == a.control and ov.select.ids and touched & set(ov.select.ids):
                rest = tuple(i for i in ov.select.ids if i not in touched)
                if rest:
                    kept.append(
                        ov.model_copy(update={"select": ov.select.model_copy(update={"ids": rest})})
                    )
                continue
            kept.append(ov)
        kept.append(
            Override(
                select=Selector(ids=tuple(sorted(touched))),
                control=a.control,
                level=a.level,
                notes=f"what-if: {a.id}",
            )
        )
        overrides = kept
    return assessment.model_copy(update={"answers": answers, "overrides": tuple(overrides)})


# --------------------------------------------------------------------------- plans (generic)


@dataclass(frozen=True)
class PlanSearch(Generic[T]):
    """What :func:`budget_plan` (or :func:`exhaustive_plan`) chose.

    ``chosen`` is in the order picked; ``greedy`` the full greedy sequence and ``greedy_values``
    the value after each of its picks.
    """

    chosen: tuple[T, ...]
    value: float
    cost: float
    method: str
    greedy: tuple[T, ...] = ()
    greedy_values: tuple[float, ...] = ()
    evaluations: int = 0


def _fits(cost: float, budget: float) -> bool:
    return cost <= budget + 1e-9 * max(1.0, abs(budget))


def budget_plan(
    items: Sequence[T],
    budget: float,
    value: Callable[[frozenset[T]], float],
    cost: Callable[[frozenset[T]], float],
    *,
    key: Callable[[T], str] = str,
    swaps: bool = True,
    max_passes: int = 10,
) -> PlanSearch[T]:
    """The best plan found within ``budget``: greedy + max, then local swaps.

    Parameters
    ----------
    items
        The candidate actions (any hashable items).
    budget
        Most the plan may cost, in the units of ``cost``.
    value
        Benefit of a set of items (the empty set is worth ``value(frozenset())``).
    cost
        Cost of a set of items (need not be additive).
    key
        Tie-breaker, so the result is deterministic.
    swaps
        After greedy + max, try adding one item or exchanging one chosen item for one other,
        keeping the best strict improvement, until none is left (at most ``max_passes``
        passes). It can only raise the value, so every guarantee of greedy + max holds.

    Returns
    -------
    PlanSearch
        The chosen items in pick order, their value and cost, and which rule found them:
        ``greedy``, ``best single action``, ``greedy + best single action`` (each followed by
        ``+ swaps`` when local search improved it) or ``nothing affordable``.

    Examples
    --------
    Three actions whose benefits add up; a budget of 10:

    >>> gain = {"a": 6.0, "b": 5.0, "c": 5.0}
    >>> price = {"a": 10.0, "b": 5.0, "c": 5.0}
    >>> plan = budget_plan(list(gain), 10.0, lambda s: sum(gain[i] for i in s),
    ...                    lambda s: sum(price[i] for i in s))
    >>> plan.chosen, plan.value, plan.method
    (('b', 'c'), 10.0, 'greedy')
    """
    empty: frozenset[T] = frozenset()
    base = value(empty)
    evaluations = 1
    chosen: frozenset[T] = empty
    order: list[T] = []
    cur_value, cur_cost = base, cost(empty)
    best: tuple[float, float, tuple[T, ...], str] = (base, cur_cost, (), "nothing affordable")
    greedy_values: list[float] = []
    pool = sorted(set(items), key=key)
    remaining = list(pool)
    while remaining:
        scored: list[tuple[T, float, float]] = []
        for it in remaining:
            s = chosen | {it}
            c = cost(s)
            if not _fits(c, budget):
                continue
            v = value(s)
            evaluations += 1
            scored.append((it, v, c))
        if not scored:
            break
        # "max": the plan so far plus the single affordable item worth most
        top_item, top_value, top_cost = max(scored, key=lambda t: (t[1], -t[2]))
        if top_value > best[0] + 1e-12:
            method = "best single action" if not order else "greedy + best single action"
            best = (top_value, top_cost, (*order, top_item), method)
        # greedy: best marginal benefit per marginal cost
        gains = [(it, v - cur_value, c - cur_cost, v, c) for it, v, c in scored]
        useful = [g for g in gains if g[1] > 1e-12]
        if not useful:
            break
        pick = max(
            useful,
            key=lambda g: (g[1] / g[2] if g[2] > 1e-12 else math.inf, g[1]),
        )
        order.append(pick[0])
        chosen = chosen | {pick[0]}
        cur_value, cur_cost = pick[3], pick[4]
        greedy_values.append(cur_value)
        remaining = [it for it in remaining if it not in chosen]
    if order and cur_value >= best[0] - 1e-12:
        best = (cur_value, cur_cost, tuple(order), "greedy")
    if swaps and best[2]:
        improved, evaluations = _local_swaps(
            pool, budget, value, cost, key, best[:3], max_passes, evaluations
        )
        if improved[0] > best[0] + 1e-12:
            best = (*improved, best[3] + " + swaps")
    return PlanSearch(
        chosen=best[2],
        value=best[0],
        cost=best[1],
        method=best[3],
        greedy=tuple(order),
        greedy_values=tuple(greedy_values),
        evaluations=evaluations,
    )


def _local_swaps(
    pool: Sequence[T],
    budget: float,
    value: Callable[[frozenset[T]], float],
    cost: Callable[[frozenset[T]], float],
    key: Callable[[T], str],
    start: tuple[float, float, tuple[T, ...]],
    max_passes: int,
    evaluations: int,
) -> tuple[tuple[float, float, tuple[T, ...]], int]:
    """Best-improvement local search: add one item, or exchange one chosen item for another."""
    cur_value, cur_cost, order = start
    for _ in range(max_passes):
        current = frozenset(order)
        move: tuple[float, float, T | None, T] | None = None
        for out in [None, *sorted(current, key=key)]:
            kept = current - {out} if out is not None else current
            for inn in pool:
                if inn in current:
                    continue
                s = kept | {inn}
                c = cost(s)
                if not _fits(c, budget):
                    continue
                v = value(s)
                evaluations += 1
                if v > (move[0] if move else cur_value) + 1e-12:
                    move = (v, c, out, inn)
        if move is None:
            break
        cur_value, cur_cost = move[0], move[1]
        order = (*(it for it in order if it != move[2]), move[3])
    return (cur_value, cur_cost, order), evaluations


def exhaustive_plan(
    items: Sequence[T],
    budget: float,
    value: Callable[[frozenset[T]], float],
    cost: Callable[[frozenset[T]], float],
    *,
    key: Callable[[T], str] = str,
    max_items: int = 16,
) -> PlanSearch[T]:
    """The best plan within ``budget`` by trying every subset (small sets only).

    Used to check :func:`budget_plan` on small models. Raises ``ValueError`` above
    ``max_items`` items (2**16 subsets).
    """
    pool = sorted(set(items), key=key)
    if len(pool) > max_items:
        raise ValueError(f"{len(pool)} items: exhaustive search is limited to {max_items}")
    empty: frozenset[T] = frozenset()
    best: tuple[float, float, tuple[T, ...]] = (value(empty), cost(empty), ())
    evaluations = 1
    for r in range(1, len(pool) + 1):
        for combo in itertools.combinations(pool, r):
            s = frozenset(combo)
            c = cost(s)
            if not _fits(c, budget):
                continue
            v = value(s)
            evaluations += 1
            if v > best[0] + 1e-12 or (abs(v - best[0]) <= 1e-12 and c < best[1]):
                best = (v, c, combo)
    return PlanSearch(
        chosen=best[2], value=best[0], cost=best[1], method="exhaustive", evaluations=evaluations
    )


# --------------------------------------------------------------------------- benefits


class Runner(Protocol):
    """Simulates trials ``0..trials-1`` of one scenario under a posture, for the EMB (its
    effective likelihood and public-confidence weight). The engine's runner is the default;
    tests may pass another."""

    def __call__(
        self, scenario: Scenario, posture: Posture, trials: int, seed: int
    ) -> ScenarioResult: ...


@dataclass(frozen=True)
class Benefit:
    """A drop in expected loss (weight points), estimated with common random numbers.

    ``by_scenario`` splits :attr:`value` by scenario; ``by_function`` and :attr:`trust` split
    it into the functions' part and the public-trust part (together they add up to it);
    ``p_cycle`` is the drop in each function's chance of failing this cycle
    (``1 - prod_s (1 - likelihood_s P_s(f))``), in probability units.
    """

    value: float
    se: float
    trials: int
    by_scenario: Mapping[str, float] = field(default_factory=dict)
    by_function: Mapping[str, float] = field(default_factory=dict)
    p_cycle: Mapping[str, float] = field(default_factory=dict)
    trust: float = 0.0
    """The drop in the public-trust part of expected loss (weight points)."""
    trust_by_scenario: Mapping[str, float] = field(default_factory=dict)
    """:attr:`trust` split by scenario (the roadmap credits it to the scenario's phases)."""

    @property
    def low(self) -> float:
        """Lower end of the 95% interval."""
        return self.value - Z95 * self.se

    @property
    def high(self) -> float:
        """Upper end of the 95% interval."""
        return self.value + Z95 * self.se

    @property
    def exact_zero(self) -> bool:
        """True when no trial changed at all."""
        return self.value == 0.0 and self.se == 0.0

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "value": self.value,
            "se": self.se,
            "low": self.low,
            "high": self.high,
            "trials": self.trials,
            "by_scenario": dict(self.by_scenario),
            "by_function": dict(self.by_function),
            "trust": self.trust,
            "trust_by_scenario": dict(self.trust_by_scenario),
            "p_cycle": dict(self.p_cycle),
        }


@dataclass(frozen=True)
class _Outcome:
    loss: FloatArray
    """Per-trial loss (:func:`cyberready.engine.results.trial_losses`)."""
    p: FloatArray
    """Per-function failure probability given an attempt."""
    likelihood: float
    """The scenario's effective likelihood."""
    trust_loss: float
    """The public-trust part of the expected loss."""


@dataclass(frozen=True)
class _Trials:
    """What a run of one scenario gives that the losses need, before reassurance: reassurance
    scales the public-confidence units of every trial and changes nothing else, so one run
    serves every reassurance factor."""

    failed: FloatArray
    """Per trial: weights of the failed functions."""
    confidence: IntArray
    """Per trial: public-confidence units (public events + failed functions)."""
    p: FloatArray
    likelihood: float
    weight: float
    """The EMB's public-confidence weight."""

    @classmethod
    def of(cls, r: ScenarioResult) -> _Trials:
        return cls(
            failed=r.failed_weight,
            confidence=r.confidence,
            p=r.p_fail,
            likelihood=r.likelihood,
            weight=r.public_confidence_weight,
        )

    def outcome(self, reassurance: float) -> _Outcome:
        trust = trust_losses(self.confidence, reassurance)
        return _Outcome(
            loss=trial_losses(self.likelihood, self.failed, trust, self.weight),
            p=self.p,
            likelihood=self.likelihood,
            trust_loss=float(self.likelihood * self.weight * trust.mean()),
        )


_POSTURE_CACHE: Final = 32
"""Postures kept by a :class:`LossModel` (each holds a few arrays per technique)."""


def _can_cost_trust(scenario: Scenario, system: ResolvedSystem) -> bool:
    """True when the public-confidence impact ``C`` can be above 0 in the scenario: a public
    effect, or an effect that can fail a function of one of its phases."""
    if any(e.effective_visibility == "public" for e in scenario.effects):
        return True
    fails = any(e.type in ("disrupt", "alter", "leak") for e in scenario.effects)
    phases = set(scenario.phases)
    return fails and any(phases.intersection(fn.phases) for fn in system.functions)


def _changes_trials(action: Action, scenario: Scenario, system: ResolvedSystem) -> bool:
    """True when the action can change what happens in the scenario's trials (failures,
    compromises, public events): everything but reassurance."""
    used = {r.technique for r in scenario.entry} | {r.technique for r in scenario.propagation}
    if action.techniques & used:
        return True
    if action.recovers > 0 and any(e.type == "disrupt" for e in scenario.effects):
        return True
    if action.verifies > 0 and len(action.positions):
        for e in scenario.effects:
            if e.type == "alter" and system.mask(e.targets)[action.positions].any():
                return True
    return False


def _touches(action: Action, scenario: Scenario, system: ResolvedSystem) -> bool:
    """True when the action can change the scenario's losses (see the module docstring)."""
    if _changes_trials(action, scenario, system):
        return True
    return action.reassures > 0 and _can_cost_trust(scenario, system)


def no_effect_reason(action: Action) -> str:
    """Why an action touches no in-scope scenario, in words (for the readiness list)."""
    what = []
    if action.techniques:
        what.append("uses a technique it mitigates or detects")
    if action.verifies > 0:
        what.append("alters an asset it verifies")
    if action.recovers > 0:
        what.append("disrupts an asset")
    if action.reassures > 0:
        what.append("can cause a public incident or a failure")
    if not what:
        return (
            "it has no simulated effect (nothing it mitigates, detects, verifies, recovers "
            "or reassures)"
        )
    return "no in-scope scenario " + " or ".join(what)


class LossModel:
    """Expected losses of sets of actions on fixed trials (common random numbers).

    Each scenario is simulated once per distinct set of the actions that can change its trials
    (see the module docstring), and cached, so evaluating many overlapping sets is cheap.
    Reassurance only scales each trial's public-confidence units, so an action that only
    reassures re-weighs the cached trials instead of re-running them. Build one with
    :func:`loss_model`.
    """

    def __init__(
        self,
        system: ResolvedSystem,
        levels: AssetLevels,
        scenarios: Sequence[Scenario],
        trials: int,
        seed: int,
        runner: Runner,
    ) -> None:
        self.system = system
        self.levels = levels
        self.scenarios = {s.id: s for s in scenarios}
        self.weights = np.array([float(f.weight) for f in system.functions])
        self.function_ids = tuple(f.id for f in system.functions)
        self.trials = trials
        self.seed = seed
        self.runner = runner
        self.runs = 0
        self._cache: dict[tuple[str, frozenset[str]], _Outcome] = {}
        self._trials: dict[tuple[str, frozenset[str]], _Trials] = {}
        self._postures: dict[frozenset[str], Posture] = {}
        self._scope: dict[str, frozenset[str]] = {}
        self._simulated: dict[str, frozenset[str]] = {}
        self._reassurances: dict[frozenset[str], float] = {}
        # only the organisation-wide reassuring controls decide the reassurance factor: the
        # posture of these rows gives it, multiplied in the same order as the full posture's
        calm = [
            c
            for c, ctl in enumerate(levels.controls)
            if ctl.effects.reassures and ctl.organization_wide
        ]
        self._calm_levels = AssetLevels(
            control_ids=tuple(levels.control_ids[c] for c in calm),
            controls=tuple(levels.controls[c] for c in calm),
            effectiveness=levels.effectiveness[calm],
            levels=levels.levels[calm],
            applicable=levels.applicable[calm],
            org_levels=levels.org_levels[calm],
        )

    def scenarios_of(self, action: Action) -> frozenset[str]:
        """Ids of the scenarios the action can change."""
        return self._where(action, _touches, self._scope)

    def outcome(self, sid: str, actions: frozenset[Action]) -> _Outcome:
        """Per-trial losses and per-function failure probabilities of one scenario."""
        rel = frozenset(a for a in actions if sid in self.scenarios_of(a))
        key = (sid, frozenset(a.id for a in rel))
        got = self._cache.get(key)
        if got is None:
            run = self._run(sid, frozenset(a for a in rel if sid in self._changed_by(a)))
            got = self._cache[key] = run.outcome(self._reassurance(rel))
        return got

    def _changed_by(self, action: Action) -> frozenset[str]:
        """Ids of the scenarios whose trials the action changes (reassurance aside)."""
        return self._where(action, _changes_trials, self._simulated)

    def _where(
        self,
        action: Action,
        test: Callable[[Action, Scenario, ResolvedSystem], bool],
        cache: dict[str, frozenset[str]],
    ) -> frozenset[str]:
        got = cache.get(action.id)
        if got is None:
            got = frozenset(s.id for s in self.scenarios.values() if test(action, s, self.system))
            cache[action.id] = got
        return got

    def _run(self, sid: str, actions: frozenset[Action]) -> _Trials:
        ids = frozenset(a.id for a in actions)
        got = self._trials.get((sid, ids))
        if got is None:
            result = self.runner(
                self.scenarios[sid], self._posture(ids, actions), self.trials, self.seed
            )
            if result.fail_time.shape != (self.trials, len(self.weights)):
                raise ValueError(
                    f"runner returned shape {result.fail_time.shape} for {sid}, expected "
                    f"({self.trials}, {len(self.weights)})"
                )
            self.runs += 1
            got = self._trials[(sid, ids)] = _Trials.of(result)
        return got

    def _reassurance(self, actions: Iterable[Action]) -> float:
        """The reassurance factor once ``actions`` are done (their reassuring ones count)."""
        calm = frozenset(a for a in actions if a.reassures > 0)
        ids = frozenset(a.id for a in calm)
        got = self._reassurances.get(ids)
        if got is None:
            lv = apply_actions(self._calm_levels, calm) if calm else self._calm_levels
            got = self._reassurances[ids] = lv.posture().reassurance
        return got

    def _posture(self, ids: frozenset[str], actions: frozenset[Action]) -> Posture:
        # the same actions matter to several scenarios: keep the last few postures
        got = self._postures.pop(ids, None)
        if got is None:
            got = (apply_actions(self.levels, actions) if actions else self.levels).posture()
        self._postures[ids] = got
        while len(self._postures) > _POSTURE_CACHE:
            del self._postures[next(iter(self._postures))]
        return got

    def loss(self, actions: frozenset[Action] = frozenset()) -> tuple[float, float]:
        """Expected loss under the actions, and its standard error."""
        mean = var = 0.0
        for sid in sorted(self.scenarios):
            loss = self.outcome(sid, actions).loss
            mean += float(loss.mean())
            var += float(loss.var(ddof=1)) / len(loss) if len(loss) > 1 else 0.0
        return mean, math.sqrt(var)

    def value(self, actions: frozenset[Action]) -> float:
        """Benefit of the actions against none (means only; for plan search)."""
        total = 0.0
        for sid in sorted(self._affected(actions)):
            base = self.outcome(sid, frozenset()).loss
            total += float((base - self.outcome(sid, actions).loss).mean())
        return total

    def _affected(self, actions: Iterable[Action]) -> set[str]:
        out: set[str] = set()
        for a in actions:
            out |= self.scenarios_of(a)
        return out

    def benefit(self, actions: frozenset[Action], base: frozenset[Action] = frozenset()) -> Benefit:
        """Drop in expected loss from ``base`` to ``base | actions`` (paired per trial)."""
        after = base | actions
        value = var = trust = 0.0
        by_scenario: dict[str, float] = {}
        trust_by_scenario: dict[str, float] = {}
        by_function = np.zeros(len(self.weights))
        changed = self._affected(actions)
        for sid in sorted(changed):
            o0, o1 = self.outcome(sid, base), self.outcome(sid, after)
            d = o0.loss - o1.loss
            m = float(d.mean())
            value += m
            var += float(d.var(ddof=1)) / len(d) if len(d) > 1 else 0.0
            by_scenario[sid] = m
            by_function += o0.likelihood * self.weights * (o0.p - o1.p)
            trust_by_scenario[sid] = o0.trust_loss - o1.trust_loss
            trust += trust_by_scenario[sid]
        p_cycle: dict[str, float] = {}
        if changed:
            keep0 = np.ones(len(self.weights))
            keep1 = np.ones(len(self.weights))
            for sid in self.scenarios:
                o0, o1 = self.outcome(sid, base), self.outcome(sid, after)
                keep0 *= 1.0 - o0.likelihood * o0.p
                keep1 *= 1.0 - o1.likelihood * o1.p
            p_cycle = {
                f: float(keep1[k] - keep0[k])
                for k, f in enumerate(self.function_ids)
                if keep1[k] != keep0[k]
            }
        return Benefit(
            value=value,
            se=math.sqrt(var),
            trials=self.trials,
            by_scenario=MappingProxyType(by_scenario),
            by_function=MappingProxyType(
                {f: float(v) for f, v in zip(self.function_ids, by_function, strict=True) if v}
            ),
            p_cycle=MappingProxyType(p_cycle),
            trust=trust,
            trust_by_scenario=MappingProxyType({k: v for k, v in trust_by_scenario.items() if v}),
        )


def engine_runner(ws: Workspace) -> Runner:
    """The default :class:`Runner`: the engine's run over trials ``0..n-1`` and its combine
    (:func:`cyberready.engine.run_compiled`), one scenario at a time, for the workspace's EMB.

    Each scenario is compiled once (:func:`cyberready.engine.prepare`) and re-bound to each
    posture, so a what-if costs one kernel run (attack paths are not traced).
    """
    from cyberready.engine import ScenarioGraph, prepare, run_compiled

    graphs: dict[str, ScenarioGraph] = {}

    def run(scenario: Scenario, posture: Posture, trials: int, seed: int) -> ScenarioResult:
        graph = graphs.get(scenario.id)
        if graph is None:
            graph = graphs[scenario.id] = prepare(ws.resolved, scenario)
        return run_compiled(graph.bind(posture), trials, seed, paths=False, emb=ws.emb)

    return run


# --------------------------------------------------------------------------- roadmap


@dataclass(frozen=True)
class RoadmapEntry:
    """When one action is ready and which phases it is in time for."""

    action: Action
    ready: dt.date
    milestone: str
    """``before registration``, ``before polling day``, ``before results`` or ``next cycle``."""
    in_time_for: tuple[str, ...]
    """Phases (with a window in emb.yaml, or polling day from the election date) that start
    after the action is ready, by start date (:func:`in_time_phases`)."""
    benefit: float | None = None
    """The action's benefit in the plan (marginal), weight points."""
    this_cycle: float | None = None
    """The part of :attr:`benefit` in time for this cycle (:func:`cycle_split`)."""
    next_cycle: float | None = None
    """The rest: what the action protects only from the next cycle on."""
    quick_win: bool = False


@dataclass(frozen=True)
class Roadmap:
    """Actions placed against the phase windows of ``emb.yaml``."""

    start: dt.date
    milestones: tuple[tuple[str, str, dt.date], ...]
    """(label, phase, date) of each milestone after the start, by date."""
    entries: tuple[RoadmapEntry, ...]
    begun: tuple[tuple[str, str, dt.date], ...] = ()
    """(label, phase, date) of each milestone on or before the start: already under way."""

    def by_milestone(self) -> dict[str, list[RoadmapEntry]]:
        """Entries grouped by milestone, in milestone order (``next cycle`` last; only
        ``unscheduled`` without a calendar)."""
        out: dict[str, list[RoadmapEntry]] = {label: [] for label, _, _ in self.milestones}
        out[NEXT_CYCLE if self.milestones or self.begun else UNSCHEDULED] = []
        for e in self.entries:
            out.setdefault(e.milestone, []).append(e)
        return out

    def to_frame(self) -> pd.DataFrame:
        """One row per action."""
        import pandas as pd

        rows = [
            {
                "action": e.action.id,
                "control": e.action.control,
                "title": e.action.title,
                "weeks": e.action.weeks,
                "ready": e.ready,
                "milestone": e.milestone,
                "in_time_for": ", ".join(e.in_time_for),
                "benefit": e.benefit,
                "benefit_this_cycle": e.this_cycle,
                "benefit_next_cycle": e.next_cycle,
                "quick_win": e.quick_win,
            }
            for e in self.entries
        ]
        return pd.DataFrame(rows, columns=_ROADMAP_COLUMNS)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "start": self.start.isoformat(),
            "milestones": [
                {"label": lb, "phase": ph, "date": d.isoformat()} for lb, ph, d in self.milestones
            ],
            "begun": [
                {"label": lb, "phase": ph, "date": d.isoformat()} for lb, ph, d in self.begun
            ],
            "entries": [
                {
                    "action": e.action.id,
                    "ready": e.ready.isoformat(),
                    "milestone": e.milestone,
                    "in_time_for": list(e.in_time_for),
                    "benefit": e.benefit,
                    "benefit_this_cycle": e.this_cycle,
                    "benefit_next_cycle": e.next_cycle,
                    "quick_win": e.quick_win,
                }
                for e in self.entries
            ],
        }

    def _repr_html_(self) -> str:
        marks = ", ".join(f"{html.escape(lb)} {d}" for lb, _, d in self.milestones)
        head = f"<p><b>Roadmap</b> from {self.start} ({marks or 'no phase windows'})</p>"
        return head + self.to_frame().to_html(index=False, na_rep="", escape=True)


_ROADMAP_COLUMNS: Final = [
    "action",
    "control",
    "title",
    "weeks",
    "ready",
    "milestone",
    "in_time_for",
    "benefit",
    "benefit_this_cycle",
    "benefit_next_cycle",
    "quick_win",
]


def plan_start(ws: Workspace) -> dt.date:
    """The day a plan starts unless told otherwise: the assessment's ``as_of`` (the state the
    plan improves on), else ``emb.yaml``'s ``as_of``, else today."""
    if ws.assessment is not None:
        return ws.assessment.as_of
    return ws.emb.as_of or dt.date.today()


def ready_date(start: dt.date, weeks: float) -> dt.date:
    """The day an action started on ``start`` is in place: ``weeks`` later (whole days, up).

    >>> ready_date(dt.date(2026, 11, 1), 4)
    datetime.date(2026, 11, 29)
    """
    return start + dt.timedelta(days=math.ceil(weeks * 7 - 1e-9))


def _milestones(
    phases: Mapping[Phase, PhaseWindow], election_day: dt.date | None
) -> tuple[tuple[str, str, dt.date], ...]:
    out = []
    for phase, label in MILESTONES:
        window = phases.get(phase)
        when = window.start if window is not None else None
        if when is None and phase == "voting":
            when = election_day
        if when is not None:
            out.append((label, phase, when))
    return tuple(sorted(out, key=lambda t: t[2]))


def in_time_phases(
    ready: dt.date,
    phases: Mapping[Phase, PhaseWindow],
    election_day: dt.date | None = None,
) -> tuple[Phase, ...]:
    """The phases an action ready on ``ready`` is in time for: those that start after it
    (``ready < start``), by start date. A phase counts only with a window in ``emb.yaml``;
    ``voting`` without one starts on ``election_day``. The one rule behind the roadmap's
    milestones, the cycle split of benefits and the reports' "in place before".

    >>> w = {"voter_registration": PhaseWindow(start=dt.date(2026, 12, 1),
    ...                                        end=dt.date(2027, 1, 31))}
    >>> in_time_phases(dt.date(2026, 11, 30), w, dt.date(2027, 3, 14))
    ('voter_registration', 'voting')
    >>> in_time_phases(dt.date(2026, 12, 1), w, dt.date(2027, 3, 14))
    ('voting',)
    """
    starts: dict[Phase, dt.date] = {p: w.start for p, w in phases.items()}
    if "voting" not in starts and election_day is not None:
        starts["voting"] = election_day
    order = sorted(starts.items(), key=lambda kv: (kv[1], PHASES.index(kv[0])))
    return tuple(p for p, start in order if ready < start)


def cycle_split(
    benefit: Benefit,
    in_time: Collection[str],
    *,
    function_phase: Mapping[str, Sequence[str]],
    scenario_phase: Mapping[str, Sequence[str]],
) -> tuple[float, float]:
    """A benefit's (this cycle, next cycle) parts, given the phases the action is in time for
    (:func:`in_time_phases`). They add up to ``benefit.value``.

    Each part of the benefit belongs to phases: a function's part (``by_function``) to the
    phases the function is delivered in, a scenario's public-trust part (``trust_by_scenario``)
    to the phases the scenario targets (its public incidents and the functions it fails happen
    there). A part that belongs to several phases is shared evenly among them, and each phase's
    share counts this cycle when the action is in time for that phase; the rest protects only
    from the next cycle on.

    >>> b = Benefit(0.5, 0.01, 1000, by_function={"reg": 0.2, "vote": 0.1}, trust=0.2,
    ...             trust_by_scenario={"deface": 0.2})
    >>> cycle_split(b, ("voting",), function_phase={"reg": ("voter_registration",),
    ...             "vote": ("voting",)}, scenario_phase={"deface": ("voter_registration",
    ...             "voting")})
    (0.2, 0.3)
    """

    def share(phases: Sequence[str]) -> float:
        return sum(p in in_time for p in phases) / len(phases) if phases else 0.0

    this = sum(v * share(function_phase.get(f, ())) for f, v in benefit.by_function.items())
    this += sum(v * share(scenario_phase.get(s, ())) for s, v in benefit.trust_by_scenario.items())
    later = benefit.value - this
    if abs(later) <= 1e-12 * max(1.0, abs(benefit.value)):  # rounding, not a next-cycle part
        return float(benefit.value), 0.0
    return float(this), float(later)


def schedule(
    actions: Sequence[Action],
    *,
    start: dt.date,
    phases: Mapping[Phase, PhaseWindow],
    election_day: dt.date | None = None,
    benefits: Mapping[str, Benefit] | None = None,
    function_phase: Mapping[str, str | Sequence[str]] | None = None,
    scenario_phase: Mapping[str, Sequence[str]] | None = None,
    quick_win_weeks: float = 4,
    quick_win_usd: float = 10_000,
) -> Roadmap:
    """Place actions against the electoral calendar (rules in the module docstring).

    Parameters
    ----------
    actions
        The actions, all starting on ``start``.
    start
        The plan's start date.
    phases
        Phase windows (``emb.yaml`` ``phases``).
    election_day
        Polling day, used when ``phases`` has no ``voting`` window.
    benefits
        Action id -> its benefit (with ``by_function`` and ``trust_by_scenario``), to split it
        into this cycle's part and the next cycle's (:func:`cycle_split`), and to flag quick
        wins. Without any phase window or election date nothing is known to be late: the
        whole benefit counts this cycle.
    function_phase
        Function id -> the phase (or phases) it is delivered in; a function's benefit is
        shared evenly among them.
    scenario_phase
        Scenario id -> the phases it targets; its public-trust part is shared evenly among
        them.
    quick_win_weeks, quick_win_usd
        Most weeks and most cost (high end) of a quick win.

    Examples
    --------
    >>> import numpy as np
    >>> a = Action("X-01", 4, None, np.array([0]), np.array([1]), weeks=6)
    >>> day = dt.date
    >>> w = {"voter_registration": PhaseWindow(start=day(2026, 12, 1), end=day(2027, 1, 31)),
    ...      "voting": PhaseWindow(start=day(2027, 3, 14), end=day(2027, 3, 14))}
    >>> e = schedule([a], start=dt.date(2026, 11, 1), phases=w).entries[0]
    >>> e.ready, e.milestone, e.in_time_for
    (datetime.date(2026, 12, 13), 'before polling day', ('voting',))
    """
    known = _milestones(phases, election_day)
    marks = tuple(m for m in known if m[2] > start)
    begun = tuple(m for m in known if m[2] <= start)
    fphases = {
        f: (p,) if isinstance(p, str) else tuple(p) for f, p in (function_phase or {}).items()
    }
    entries = []
    for a in actions:
        ready = ready_date(start, a.weeks)
        milestone = next(
            (lb for lb, _, d in marks if ready < d), NEXT_CYCLE if known else UNSCHEDULED
        )
        in_time = in_time_phases(ready, phases, election_day)
        b = benefits.get(a.id) if benefits is not None else None
        this = later = None
        quick = False
        if b is not None:
            this, later = (
                cycle_split(b, in_time, function_phase=fphases, scenario_phase=scenario_phase or {})
                if phases or election_day is not None
                else (b.value, 0.0)
            )
            quick = (
                b.low > 0
                and this > 0
                and bool(in_time)
                and a.weeks <= quick_win_weeks
                and a.cost.high <= quick_win_usd
            )
        entries.append(
            RoadmapEntry(
                action=a,
                ready=ready,
                milestone=milestone,
                in_time_for=in_time,
                benefit=b.value if b is not None else None,
                this_cycle=this,
                next_cycle=later,
                quick_win=quick,
            )
        )
    return Roadmap(start=start, milestones=marks, entries=tuple(entries), begun=begun)


# --------------------------------------------------------------------------- results


def _per_kusd(value: float, cost: CostRange) -> float:
    mid = cost.mid
    if mid <= 0:
        return math.inf if value > 0 else 0.0
    return value / (mid / 1000.0)


def _json_num(v: object) -> object:
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v


_MAX_LISTED_ASSETS: Final = 100


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
            "action": a.id,
            "control": a.control,
            "framework": a.framework,
            "title": a.title,
            "scope": a.scope,
            "from_level": a.from_levels[0],
            "to_level": a.level,
            "assets": a.n_assets,
            "items": a.items,
            "cost_low": a.cost.low,
            "cost_high": a.cost.high,
            "weeks": a.weeks,
            "benefit": self.benefit.value,
            "benefit_low": self.benefit.low,
            "benefit_high": self.benefit.high,
            "benefit_trust": self.benefit.trust,
            "se": self.benefit.se,
            "trials": self.benefit.trials,
            "per_kusd": self.per_kusd,
            "cumulative": self.cumulative.value if self.cumulative else None,
            "cumulative_se": self.cumulative.se if self.cumulative else None,
            "quick_win": self.quick_win,
            "scenarios": ", ".join(s for s, _ in self.protects()),
            "functions": ", ".join(f for f, _ in self.functions()),
            "csf": ", ".join(a.csf),
        }


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
            "action": a.id,
            "control": a.control,
            "title": a.title,
            "scope": a.scope,
            "to_level": a.level,
            "assets": a.n_assets,
            "cost_low": a.cost.low,
            "cost_high": a.cost.high,
            "weeks": a.weeks,
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
                "marginal": s.marginal.value,
                "marginal_se": s.marginal.se,
                "this_cycle": s.this_cycle,
                "next_cycle": s.next_cycle,
                "cumulative": s.cumulative.value,
                "cumulative_se": s.cumulative.se,
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
                    "marginal": s.marginal.value,
                    "marginal_se": s.marginal.se,
                    "this_cycle": s.this_cycle,
                    "next_cycle": s.next_cycle,
                    "cumulative": s.cumulative.value,
                    "cumulative_se": s.cumulative.se,
                    "added_cost": {"low": s.added_cost.low, "high": s.added_cost.high},
                    "cost": {"low": s.cumulative_cost.low, "high": s.cumulative_cost.high},
                }
                for s in self.steps
            ],
        }

    def _repr_html_(self) -> str:
        b = self.benefit
        head = (
            f"<p><b>Plan</b> within {_usd(self.budget)} ({self.basis} costs, {self.method}): "
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


# --------------------------------------------------------------------------- what-if


@dataclass(frozen=True)
class WhatIf:
    """New simulation results with some actions applied, and today's, on the same trials.

    ``baseline`` and ``results`` are the engine's :class:`~cyberready.engine.SimulationResult`
    before and after (paths, per-asset compromise, confidence: everything ``simulate`` gives);
    ``benefit`` is the paired drop in expected loss, with its standard error.
    """

    actions: tuple[Action, ...]
    baseline: SimulationResult
    results: SimulationResult
    benefit: Benefit
    cost: CostRange
    levels: AssetLevels
    """Per-asset levels after the actions."""
    assessment: Assessment | None
    """The assessment as it would read after the actions (None without one)."""

    @property
    def trials(self) -> int:
        """Trials per scenario."""
        return self.results.trials

    @property
    def seed(self) -> int:
        """The seed of both simulations."""
        return self.results.seed

    @property
    def before(self) -> float:
        """Expected loss today (weight points)."""
        return self.baseline.expected_loss

    @property
    def after(self) -> float:
        """Expected loss with the actions."""
        return self.results.expected_loss

    @property
    def before_se(self) -> float:
        """Standard error of :attr:`before`."""
        return _loss_se(self.baseline)

    @property
    def after_se(self) -> float:
        """Standard error of :attr:`after`."""
        return _loss_se(self.results)

    @property
    def p_before(self) -> dict[str, float]:
        """Function -> chance of failing this cycle, today."""
        return dict(
            zip(self.baseline.function_ids, self.baseline.cycle_probability.tolist(), strict=True)
        )

    @property
    def p_after(self) -> dict[str, float]:
        """Function -> chance of failing this cycle, with the actions."""
        return dict(
            zip(self.results.function_ids, self.results.cycle_probability.tolist(), strict=True)
        )

    @property
    def loss_before(self) -> dict[str, float]:
        """Scenario -> expected loss today."""
        return {k: r.expected_loss for k, r in self.baseline.scenarios.items()}

    @property
    def loss_after(self) -> dict[str, float]:
        """Scenario -> expected loss with the actions."""
        return {k: r.expected_loss for k, r in self.results.scenarios.items()}

    def to_frame(self, by: Literal["scenario", "function"] = "scenario") -> pd.DataFrame:
        """Expected loss per scenario (default), or chance of failing this cycle per function."""
        import pandas as pd

        if by == "scenario":
            before, after = self.loss_before, self.loss_after
            cols = ["scenario", "loss_before", "loss_after", "drop"]
            rows = [[s, before[s], after[s], before[s] - after[s]] for s in before]
        elif by == "function":
            before, after = self.p_before, self.p_after
            cols = ["function", "p_before", "p_after", "drop"]
            rows = [[f, before[f], after[f], before[f] - after[f]] for f in before]
        else:
            raise ValueError(f"by={by!r}: expected scenario or function")
        return pd.DataFrame(rows, columns=cols)

    def _repr_html_(self) -> str:
        head = (
            f"<p><b>What if</b> {html.escape(', '.join(a.id for a in self.actions))}: expected "
            f"loss {self.before:.3f} → {self.after:.3f} (drop {self.benefit.value:.3f} ± "
            f"{Z95 * self.benefit.se:.3f}; {self.trials:,} trials, seed {self.seed}); cost "
            f"{self.cost.describe()}</p>"
        )
        return head + self.to_frame().to_html(
            index=False, float_format=lambda v: f"{v:.4f}", escape=True
        )


def _loss_se(result: SimulationResult) -> float:
    var = 0.0
    for r in result.scenarios.values():
        loss = r.trial_loss
        var += float(loss.var(ddof=1)) / len(loss) if len(loss) > 1 else 0.0
    return math.sqrt(var)


def paired_benefit(before: SimulationResult, after: SimulationResult) -> Benefit:
    """The drop in expected loss from ``before`` to ``after``, paired trial by trial.

    Both must come from the same scenarios, trials and seed (common random numbers): the
    per-trial loss differences give the mean and its standard error, scenario by scenario
    (independent campaigns, so variances add).
    """
    if (before.trials, before.seed, tuple(before.scenarios)) != (
        after.trials,
        after.seed,
        tuple(after.scenarios),
    ):
        raise ValueError("paired_benefit needs the same scenarios, trials and seed")
    value = var = trust = 0.0
    by_scenario: dict[str, float] = {}
    trust_by_scenario: dict[str, float] = {}
    by_function = np.zeros(len(before.function_ids))
    for sid, r0 in before.scenarios.items():
        r1 = after.scenarios[sid]
        d = r0.trial_loss - r1.trial_loss
        by_scenario[sid] = float(d.mean())
        value += by_scenario[sid]
        var += float(d.var(ddof=1)) / len(d) if len(d) > 1 else 0.0
        by_function += r0.loss_by_function - r1.loss_by_function
        trust_by_scenario[sid] = r0.trust_loss - r1.trust_loss
        trust += trust_by_scenario[sid]
    p_drop = before.cycle_probability - after.cycle_probability
    return Benefit(
        value=value,
        se=math.sqrt(var),
        trials=before.trials,
        by_scenario=MappingProxyType({k: v for k, v in by_scenario.items() if v}),
        by_function=MappingProxyType(
            {f: float(v) for f, v in zip(before.function_ids, by_function, strict=True) if v}
        ),
        p_cycle=MappingProxyType(
            {f: float(v) for f, v in zip(before.function_ids, p_drop, strict=True) if v}
        ),
        trust=trust,
        trust_by_scenario=MappingProxyType({k: v for k, v in trust_by_scenario.items() if v}),
    )


def _parse_selector(text: str) -> Selector:
    parts: dict[str, tuple[str, ...]] = {}
    for chunk in text.split(" & "):
        name, sep, values = chunk.partition("=")
        if not sep or name not in ("ids", "types", "tags", "exposure", "data"):
            raise ValueError(f"cannot read selector {text!r}")
        parts[name] = tuple(v for v in values.split(",") if v)
    return Selector.model_validate(parts)


def _resolve_actions(
    ws: Workspace, levels: AssetLevels, actions: Iterable[Action | str]
) -> tuple[Action, ...]:
    from cyberready.errors import InputError, Problem, did_you_mean

    known = {a.id: a for a in candidate_actions(ws, levels)}
    out: list[Action] = []
    problems: list[Problem] = []
    for k, item in enumerate(actions):
        if isinstance(item, Action):
            out.append(item)
            continue
        if item in known:
            out.append(known[item])
            continue
        control, sep, rest = item.partition(">")
        level_text, _, sel_text = rest.partition("@")
        try:
            if not sep or not level_text.isdigit():
                raise ValueError("expected CONTROL>LEVEL or CONTROL>LEVEL@SELECTOR")
            selector = _parse_selector(sel_text) if sel_text else None
            out.append(raise_control(ws, control, int(level_text), selector, levels=levels))
        except (KeyError, ValueError) as err:
            problems.append(
                Problem(
                    file="<actions>",
                    field=f"actions[{k}]",
                    value=item,
                    message=str(err).strip("'\""),
                    hint=did_you_mean(item, known),
                )
            )
    if problems:
        raise InputError(problems, f"{len(problems)} unknown action(s)")
    return tuple(dict.fromkeys(out))


def _scenarios(ws: Workspace, ids: Sequence[str] | None) -> list[Scenario]:
    from cyberready.errors import InputError, Problem, did_you_mean

    in_scope = ws.scenarios
    if ids is None:
        return in_scope
    by_id = {s.id: s for s in in_scope}
    problems = [
        Problem(
            file="<scenarios>",
            field="scenarios",
            value=s,
            message=f"{s!r} is not a scenario in scope",
            hint=did_you_mean(s, by_id),
        )
        for s in ids
        if s not in by_id
    ]
    if problems:
        raise InputError(problems)
    return [by_id[s] for s in sorted(set(ids))]


def loss_model(
    ws: Workspace,
    *,
    trials: int = 10_000,
    seed: int = 0,
    scenarios: Sequence[str] | None = None,
    runner: Runner | None = None,
    levels: AssetLevels | None = None,
) -> LossModel:
    """A :class:`LossModel` of the workspace's in-scope scenarios, on fixed trials.

    Examples
    --------
    >>> import cyberready
    >>> ws = cyberready.load_workspace(cyberready.example_path())
    >>> m = loss_model(ws, trials=200, seed=1)
    >>> a, b = candidate_actions(ws)[:2]
    >>> m.value(frozenset({a, b})) >= max(m.value(frozenset({a})), m.value(frozenset({b}))) - 1e-12
    True
    """
    levels = asset_levels(ws) if levels is None else levels
    return LossModel(
        ws.resolved,
        levels,
        _scenarios(ws, scenarios),
        trials,
        seed,
        runner or engine_runner(ws),
    )


def what_if(
    ws: Workspace,
    actions: Iterable[Action | str],
    *,
    trials: int = 10_000,
    seed: int = 0,
    scenarios: Sequence[str] | None = None,
) -> WhatIf:
    """Apply actions and re-simulate the in-scope scenarios, before and after on the same trials.

    Parameters
    ----------
    ws
        The EMB workspace.
    actions
        :class:`Action` objects, or action ids: a candidate's id (``ECBS-VR-03>4``,
        ``ECBS-VR-03>4@tags=regional-office``) or any ``CONTROL>LEVEL[@SELECTOR]``. Unknown
        ones are all reported at once (:class:`~cyberready.errors.InputError`).
    trials, seed
        Trials per scenario and the seed (use a seed other than the plan's to check it).
    scenarios
        Scenario ids (default: every scenario in scope).

    Returns
    -------
    WhatIf
        The engine's results before and after, the paired benefit, the cost, and the levels and
        assessment as they would be.

    Examples
    --------
    >>> import cyberready
    >>> ws = cyberready.load_workspace(cyberready.example_path())
    >>> w = what_if(ws, ["ECBS-VR-03>4"], trials=200, seed=7)
    >>> w.after <= w.before
    True
    """
    from cyberready.engine import simulate

    levels = asset_levels(ws)
    chosen = _resolve_actions(ws, levels, actions)
    ids = [s.id for s in _scenarios(ws, scenarios)]
    after_levels = apply_actions(levels, chosen)
    before = simulate(ws, ids, trials=trials, seed=seed, posture=levels.posture())
    after = simulate(ws, ids, trials=trials, seed=seed, posture=after_levels.posture())
    assessment = (
        raised_assessment(ws.assessment, chosen, ws.resolved.ids)
        if ws.assessment is not None
        else None
    )
    return WhatIf(
        actions=chosen,
        baseline=before,
        results=after,
        benefit=paired_benefit(before, after),
        cost=plan_cost(chosen),
        levels=after_levels,
        assessment=assessment,
    )


# --------------------------------------------------------------------------- the pipeline

Progress = Callable[[str, int, int], None]


def screening_trials(trials: int, screen_trials: int | None = None) -> int:
    """Trials per scenario for screening every candidate when ``trials`` are run in full:
    ``screen_trials`` if given, else a tenth of ``trials`` but at least 100; never more than
    ``trials``. The one rule of :func:`prioritize`, :func:`cyberready.assess`, the portfolio
    and every command that offers ``--screen-trials``.

    >>> screening_trials(10_000), screening_trials(500), screening_trials(50)
    (1000, 100, 50)
    >>> screening_trials(10_000, 300)
    300
    """
    wanted = (
        screen_trials
        if screen_trials is not None
        else max(MIN_SCREEN_TRIALS, trials // SCREEN_SHARE)
    )
    return min(wanted, trials)


def prioritize(
    ws: Workspace,
    *,
    budget_usd: float | None = None,
    start: dt.date | None = None,
    trials: int = 10_000,
    screen_trials: int | None = None,
    leaders: int = 10,
    seed: int = 0,
    cost_basis: CostBasis = "mid",
    scenarios: Sequence[str] | None = None,
    quick_win_weeks: float = 4,
    quick_win_usd: float = 10_000,
    plan: bool = True,
    runner: Runner | None = None,
    progress: Progress | None = None,
) -> Priorities:
    """Rank risk-reduction actions, plan them within a budget and place them on the calendar.

    Parameters
    ----------
    ws
        The EMB workspace.
    budget_usd
        Budget for the plan (default: ``emb.yaml``'s ``budget_usd``; no plan when neither).
    start
        The plan's start date (default: :func:`plan_start`, the assessment's ``as_of``).
    trials, screen_trials
        Trials per scenario for the leaders and plans, and for screening every candidate
        (default: :func:`screening_trials` of ``trials``, a tenth of them).
    leaders
        How many of the best screened actions are re-simulated with ``trials`` (and shown
        with a cumulative benefit).
    seed
        Seed of every simulation (common random numbers across actions).
    cost_basis
        Which end of the cost ranges the budget plan uses: ``low``, ``mid`` or ``high``.
    scenarios
        Scenario ids to consider (default: every scenario in scope).
    quick_win_weeks, quick_win_usd
        Most weeks and most cost (high end) of a quick win.
    plan
        False skips the budget plan (the roadmap then places the leaders).
    runner
        How a scenario is simulated (default: :func:`engine_runner`).
    progress
        Called as ``progress(stage, done, total)`` while work goes on.

    Returns
    -------
    Priorities
        The ranking, the readiness-only actions, the plan (None without a budget) and the
        roadmap (of the plan, else of the leaders).

    Examples
    --------
    >>> import cyberready
    >>> ws = cyberready.load_workspace(cyberready.example_path())
    >>> p = prioritize(ws, trials=300, screen_trials=100, leaders=3, budget_usd=50_000)
    >>> p.plan is not None and p.plan.cost.mid <= 50_000
    True
    """
    screen_trials = screening_trials(trials, screen_trials)
    if trials < 2 or screen_trials < 2:
        raise ValueError("trials and screen_trials must be at least 2")
    if cost_basis not in ("low", "mid", "high"):
        raise ValueError(f"cost basis {cost_basis!r}: expected low, mid or high")
    start = start or plan_start(ws)
    levels = asset_levels(ws)
    scs = _scenarios(ws, scenarios)
    run = runner or engine_runner(ws)
    screen = LossModel(ws.resolved, levels, scs, screen_trials, seed, run)
    full = (
        screen
        if screen_trials == trials
        else LossModel(ws.resolved, levels, scs, trials, seed, run)
    )
    fns = ws.resolved.functions
    function_phase = {f.id: f.phases for f in fns}
    scenario_phase = {s.id: s.phases for s in scs}

    def tick(stage: str, done: int, total: int) -> None:
        if progress is not None:
            progress(stage, done, total)

    cands = candidate_actions(ws, levels)
    risk = [a for a in cands if screen.scenarios_of(a)]
    outside = [a for a in cands if not screen.scenarios_of(a)]

    screened: dict[Action, Benefit] = {}
    for k, a in enumerate(risk):
        screened[a] = screen.benefit(frozenset({a}))
        tick("screening", k + 1, len(risk))
    unchanged = [a for a in risk if screened[a].exact_zero]
    effective = [a for a in risk if not screened[a].exact_zero]

    def ratio_key(b: Mapping[Action, Benefit]) -> Callable[[Action], tuple[float, str]]:
        return lambda a: (-_per_kusd(b[a].value, a.cost), a.id)

    # re-simulate the leaders; one whose full benefit falls below a screened action lets that
    # action into the lead, which is then re-simulated too, until every leader has full trials
    best = dict(screened)
    full_done: set[Action] = set()
    while todo := [
        a for a in sorted(effective, key=ratio_key(best))[:leaders] if a not in full_done
    ]:
        for a in todo:
            best[a] = full.benefit(frozenset({a}))
            full_done.add(a)
            tick("re-simulating leaders", len(full_done), max(leaders, len(full_done)))
    ranked = sorted(effective, key=ratio_key(best))

    cumulative: dict[Action, Benefit] = {}
    marginal: dict[str, Benefit] = {}
    prefix: frozenset[Action] = frozenset()
    for k, a in enumerate(ranked[:leaders]):
        marginal[a.id] = full.benefit(frozenset({a}), base=prefix)
        prefix = prefix | {a}
        cumulative[a] = full.benefit(prefix)
        tick("cumulative benefit of the leaders", k + 1, min(leaders, len(ranked)))

    election_day = ws.emb.election.date if ws.emb.election else None

    def roadmap_of(actions: Sequence[Action], benefits: Mapping[str, Benefit]) -> Roadmap:
        return schedule(
            actions,
            start=start,
            phases=ws.emb.phases,
            election_day=election_day,
            benefits=benefits,
            function_phase=function_phase,
            scenario_phase=scenario_phase,
            quick_win_weeks=quick_win_weeks,
            quick_win_usd=quick_win_usd,
        )

    chosen_plan = None
    budget = budget_usd if budget_usd is not None else ws.emb.budget_usd
    if plan and budget is not None:
        search = budget_plan(
            effective,
            budget,
            screen.value,
            lambda s: plan_cost(s).at(cost_basis),
            key=lambda a: a.id,
        )
        tick("searching the budget plan", 1, 1)
        # each step adds to the actions ready no later than it (pick order on a tie), so the
        # actions in time for a phase are the first steps, and the steps' this-cycle parts add
        # up to what those actions remove together (see Plan.this_cycle)
        by_ready = sorted(search.chosen, key=lambda a: ready_date(start, a.weeks))
        steps = []
        done: frozenset[Action] = frozenset()
        spent = ZERO_COST
        for k, a in enumerate(by_ready):
            step_benefit = full.benefit(frozenset({a}), base=done)
            done = done | {a}
            total = plan_cost(done)
            steps.append(PlanStep(a, step_benefit, full.benefit(done), total - spent, total))
            spent = total
            tick("re-simulating the plan", k + 1, len(by_ready))
        placed = roadmap_of(by_ready, {s.action.id: s.marginal for s in steps}).entries
        steps = [
            replace(s, ready=e.ready, this_cycle=e.this_cycle, next_cycle=e.next_cycle)
            for s, e in zip(steps, placed, strict=True)
        ]
        chosen_plan = Plan(
            budget=float(budget),
            basis=cost_basis,
            method=search.method,
            steps=tuple(steps),
            screened_value=search.value,
        )

    quick = {
        e.action.id: e.quick_win
        for e in roadmap_of(ranked, {a.id: best[a] for a in ranked}).entries
    }
    if chosen_plan is not None:
        roadmap = roadmap_of(
            chosen_plan.actions, {s.action.id: s.marginal for s in chosen_plan.steps}
        )
    else:
        roadmap = roadmap_of(ranked[:leaders], marginal)

    scenario_titles = MappingProxyType({s.id: s.title for s in scs})
    function_titles = MappingProxyType({f.id: f.title for f in fns})
    ids = ws.resolved.ids
    ranking = tuple(
        Recommendation(
            rank=k + 1,
            action=a,
            benefit=best[a],
            per_kusd=_per_kusd(best[a].value, a.cost),
            quick_win=quick[a.id],
            assets=tuple(ids[int(i)] for i in a.positions[:_MAX_LISTED_ASSETS]),
            scenario_titles=scenario_titles,
            function_titles=function_titles,
            cumulative=cumulative.get(a),
        )
        for k, a in enumerate(ranked)
    )
    readiness = _readiness_actions(
        ws,
        start,
        [(a, no_effect_reason(a)) for a in outside]
        + [(a, f"no trial changed in {screen_trials:,} screening trials") for a in unchanged],
    )
    baseline, baseline_se = full.loss(frozenset())
    baseline_trust = sum(
        full.outcome(sid, frozenset()).trust_loss for sid in sorted(full.scenarios)
    )
    return Priorities(
        emb=ws.emb.id,
        start=start,
        seed=seed,
        trials=trials,
        screen_trials=screen_trials,
        scenarios=tuple(s.id for s in scs),
        baseline=baseline,
        baseline_se=baseline_se,
        baseline_trust=baseline_trust,
        ranking=ranking,
        readiness=readiness,
        plan=chosen_plan,
        roadmap=roadmap,
        candidates=len(cands),
    )


def _readiness_actions(
    ws: Workspace, start: dt.date, actions: Sequence[tuple[Action, str]]
) -> tuple[ReadinessAction, ...]:
    from cyberready.scoring import score

    base_assessment = ws.assessment or Assessment(
        schema_version=1,
        kind="assessment",
        emb=ws.emb.id,
        frameworks=ws.emb.frameworks,
        as_of=start,
    )
    base = score(ws, assessment=base_assessment).overall
    rows = []
    for a, reason in actions:
        after = score(
            ws, assessment=raised_assessment(base_assessment, [a], ws.resolved.ids)
        ).overall
        gain = (after.score or 0.0) - (base.score or 0.0)
        low = (after.spread[0] if after.spread else 0.0) - (base.spread[0] if base.spread else 0.0)
        rows.append((a, gain, low, reason))
    rows.sort(key=lambda r: (-_per_kusd(r[1], r[0].cost), -_per_kusd(r[2], r[0].cost), r[0].id))
    return tuple(
        ReadinessAction(
            rank=k + 1,
            action=a,
            gain=gain,
            gain_low_end=low,
            per_kusd=_per_kusd(gain, a.cost),
            reason=reason,
        )
        for k, (a, gain, low, reason) in enumerate(rows)
    )
