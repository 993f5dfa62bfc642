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
  ``leaders`` (10) best by benefit per cost are re-simulated, and so is any action that a
  re-simulated leader's lower benefit lets into the lead. The screening trials are the first of
  the full trials (same global trial index), so the two agree.
* **How many trials** (``exact=False``, the default). A leader's benefit, the cumulative benefit
  of the leaders and each plan step are estimated on the first ``screen_trials`` trials, then
  twice as many, … up to ``trials``, stopping at the first count where the 95% interval's
  half-width is at most 10% of the benefit or 0.5% of the expected loss today
  (:data:`~cyberready.prioritize._pipeline.PRECISION`, ``FLOOR``); each benefit's ``trials``
  says how many it used. The leaders' cumulative benefits, and the plan's steps, share one
  count (where the benefit of all of them together settles), so the steps add up. The
  baseline always uses every trial; ``exact=True`` runs everything on all ``trials``. The
  counts follow a fixed order, so the same inputs and seed give the same
  numbers (docs/risk.md, "How many trials a benefit gets").
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

The public API, by job (each implemented in a private module of this package):

* costs and actions: :class:`CostRange`, :class:`Action`, :func:`candidate_actions`,
  :func:`raise_control`, :func:`plan_cost`, :func:`apply_actions`, :func:`raised_assessment`;
* the plan search on any items: :func:`budget_plan`, :func:`exhaustive_plan`,
  :class:`PlanSearch`;
* the benefit model: :class:`Benefit`, :class:`LossModel` (built by :func:`loss_model`),
  :class:`Runner` and the engine's, :func:`engine_runner`;
* the calendar: :func:`plan_start`, :func:`ready_date`, :func:`in_time_phases`,
  :func:`cycle_split`, :func:`schedule`, giving a :class:`Roadmap` of :class:`RoadmapEntry`;
* what if: :func:`what_if` giving a :class:`WhatIf`, and :func:`paired_benefit`;
* the whole pipeline: :func:`prioritize` (with :func:`screening_trials` and its
  :data:`Progress` callback) giving :class:`Priorities`: :class:`Recommendation`,
  :class:`ReadinessAction`, a :class:`Plan` of :class:`PlanStep`, and the roadmap.
"""

from __future__ import annotations

from cyberready.prioritize._actions import (
    Action,
    CostBasis,
    CostRange,
    apply_actions,
    candidate_actions,
    plan_cost,
    raise_control,
    raised_assessment,
)
from cyberready.prioritize._benefit import Benefit, LossModel, Runner, engine_runner, loss_model
from cyberready.prioritize._knapsack import PlanSearch, budget_plan, exhaustive_plan
from cyberready.prioritize._pipeline import Progress, prioritize, screening_trials
from cyberready.prioritize._results import (
    Plan,
    PlanStep,
    Priorities,
    ReadinessAction,
    Recommendation,
)
from cyberready.prioritize._roadmap import (
    MILESTONES,
    NEXT_CYCLE,
    UNSCHEDULED,
    Roadmap,
    RoadmapEntry,
    cycle_split,
    in_time_phases,
    plan_start,
    ready_date,
    schedule,
)
from cyberready.prioritize._whatif import WhatIf, paired_benefit, what_if

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
    "Progress",
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
    "plan_start",
    "prioritize",
    "raise_control",
    "raised_assessment",
    "ready_date",
    "schedule",
    "screening_trials",
    "what_if",
]
