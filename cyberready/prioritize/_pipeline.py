"""The pipeline behind :func:`prioritize`, step by step: screen every candidate, re-simulate the
leaders, search the budget plan, place it on the calendar and rank what is left (rules in
:mod:`cyberready.prioritize`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property, partial
from types import MappingProxyType
from typing import TYPE_CHECKING, Final, TypeVar

from cyberready.engine.results import Z95
from cyberready.models import Assessment, Scenario
from cyberready.posture import AssetLevels, asset_levels
from cyberready.prioritize._actions import (
    ZERO_COST,
    Action,
    CostBasis,
    candidate_actions,
    plan_cost,
    raised_assessment,
)
from cyberready.prioritize._benefit import (
    Benefit,
    LossModel,
    Runner,
    engine_runner,
    no_effect_reason,
    selected_scenarios,
)
from cyberready.prioritize._knapsack import budget_plan
from cyberready.prioritize._results import (
    MAX_LISTED_ASSETS,
    Plan,
    PlanStep,
    Priorities,
    ReadinessAction,
    Recommendation,
    benefit_per_kusd,
)
from cyberready.prioritize._roadmap import Roadmap, plan_start, ready_date, schedule

if TYPE_CHECKING:
    from cyberready.workspace import Workspace

Progress = Callable[[str, int, int], None]
"""How :func:`prioritize` reports progress: called as ``progress(stage, done, total)``, where
``stage`` names the step in words (``screening``, ``re-simulating leaders``, ``cumulative
benefit of the leaders``, ``searching the budget plan``, ``re-simulating the plan``) and
``done`` of ``total`` units of that step are finished."""

SCREEN_SHARE: Final = 10
"""By default, candidates are screened with a tenth of the trials (at least
:data:`MIN_SCREEN_TRIALS`, at most all of them)."""
MIN_SCREEN_TRIALS: Final = 100
PRECISION: Final = 0.10
"""The sequential rule stops adding trials to a benefit once its 95% interval's half-width is
at most this share of the benefit ..."""
FLOOR: Final = 0.005
"""... or at most this share of today's expected loss (a benefit that small needs no finer
estimate)."""

T = TypeVar("T")


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
    exact: bool = False,
) -> Priorities:
    """Rank risk-reduction actions, plan them within a budget and place them on the calendar.

    Parameters
    ----------
    ws
        The EMB workspace.
    budget_usd
        Budget for the plan (default: ``emb.yaml``'s ``budget_usd``; no plan when neither).
    start
        The plan's start date (default: :func:`~cyberready.prioritize.plan_start`, the
        assessment's ``as_of``).
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
        How a scenario is simulated (default: :func:`~cyberready.prioritize.engine_runner`).
    progress
        Called as ``progress(stage, done, total)`` while work goes on (:data:`Progress`).
    exact
        True runs every leader, cumulative benefit and plan step on all ``trials``; by default
        each is estimated on blocks of ``screen_trials`` trials until its 95% interval is
        narrow enough (:func:`is_settled`: each benefit's ``trials`` says how many it
        used). The baseline always uses all ``trials``.

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
    screen_trials = _checked_screen_trials(trials, screen_trials, cost_basis)
    run = _setup(
        ws,
        start=start or plan_start(ws),
        trials=trials,
        screen_trials=screen_trials,
        seed=seed,
        scenarios=scenarios,
        quick_win_weeks=quick_win_weeks,
        quick_win_usd=quick_win_usd,
        runner=runner,
        progress=progress,
        exact=exact,
    )
    cands = candidate_actions(ws, run.levels)
    risk = [a for a in cands if run.screen.scenarios_of(a)]
    outside = [a for a in cands if not run.screen.scenarios_of(a)]

    screened = _screen(run, risk)
    unchanged = [a for a in risk if screened[a].exact_zero]
    effective = [a for a in risk if not screened[a].exact_zero]
    best = _resimulate_leaders(run, effective, screened, leaders)
    ranked = sorted(effective, key=_by_ratio(best))
    cumulative, marginal = _leaders_together(run, ranked, leaders)

    budget = budget_usd if budget_usd is not None else ws.emb.budget_usd
    chosen_plan = (
        _budget_plan(run, effective, budget, cost_basis) if plan and budget is not None else None
    )
    quick = _quick_wins(run, ranked, best)
    if chosen_plan is not None:
        roadmap = run.roadmap(
            chosen_plan.actions, {s.action.id: s.marginal for s in chosen_plan.steps}
        )
    else:
        roadmap = run.roadmap(ranked[:leaders], marginal)

    readiness = _readiness_actions(
        ws,
        run.start,
        [(a, no_effect_reason(a)) for a in outside]
        + [(a, f"no trial changed in {screen_trials:,} screening trials") for a in unchanged],
    )
    baseline, baseline_se, baseline_trust = _baseline(run)
    return Priorities(
        emb=ws.emb.id,
        start=run.start,
        seed=seed,
        trials=trials,
        screen_trials=screen_trials,
        scenarios=tuple(s.id for s in run.scenarios),
        baseline=baseline,
        baseline_se=baseline_se,
        baseline_trust=baseline_trust,
        ranking=_ranking(run, ranked, best, cumulative, quick),
        readiness=readiness,
        plan=chosen_plan,
        roadmap=roadmap,
        candidates=len(cands),
    )


def _checked_screen_trials(trials: int, screen_trials: int | None, cost_basis: str) -> int:
    """The screening trials (:func:`screening_trials`), once the settings are known to be
    usable: a standard error needs at least 2 trials."""
    screen_trials = screening_trials(trials, screen_trials)
    if trials < 2 or screen_trials < 2:
        raise ValueError("trials and screen_trials must be at least 2")
    if cost_basis not in ("low", "mid", "high"):
        raise ValueError(f"cost basis {cost_basis!r}: expected low, mid or high")
    return screen_trials


def is_settled(benefit: Benefit, floor: float = 0.0) -> bool:
    """True when a benefit's 95% interval is narrow enough to stop adding trials: its
    half-width is at most :data:`PRECISION` of the benefit, or at most ``floor`` (weight
    points; :func:`prioritize` uses :data:`FLOOR` of the expected loss today).

    >>> from cyberready.prioritize import Benefit
    >>> is_settled(Benefit(value=1.0, se=0.05, trials=1000))  # 1.0 ± 0.098
    True
    >>> is_settled(Benefit(value=0.1, se=0.02, trials=1000))  # 0.1 ± 0.039
    False
    >>> is_settled(Benefit(value=0.1, se=0.02, trials=1000), floor=0.05)
    True
    """
    return Z95 * benefit.se <= max(PRECISION * abs(benefit.value), floor)


@dataclass(frozen=True)
class _At:
    """The loss model on its first ``trials`` trials."""

    model: LossModel
    trials: int

    @property
    def scenarios(self) -> Mapping[str, Scenario]:
        return self.model.scenarios

    def scenarios_of(self, action: Action) -> frozenset[str]:
        return self.model.scenarios_of(action)

    def benefit(self, actions: frozenset[Action], base: frozenset[Action] = frozenset()) -> Benefit:
        return self.model.benefit(actions, base, self.trials)

    def value(self, actions: frozenset[Action]) -> float:
        return self.model.value(actions, self.trials)

    def loss(self, actions: frozenset[Action] = frozenset()) -> tuple[float, float]:
        return self.model.loss(actions, self.trials)

    def at(self, trials: int) -> _At:
        return _At(self.model, trials)

    def prefetch(self, sets: Sequence[frozenset[Action]]) -> None:
        self.model.prefetch(sets, self.trials)


@dataclass(frozen=True)
class _Run:
    """What every step of one :func:`prioritize` call shares: the workspace, the plan's start,
    the two loss models (screening and full trials, one and the same when the counts agree),
    the calendar and the progress callback."""

    ws: Workspace
    start: dt.date
    levels: AssetLevels
    scenarios: Sequence[Scenario]
    model: LossModel
    screen: _At
    full: _At
    exact: bool
    function_phase: Mapping[str, Sequence[str]]
    scenario_phase: Mapping[str, Sequence[str]]
    election_day: dt.date | None
    quick_win_weeks: float
    quick_win_usd: float
    progress: Progress | None

    @cached_property
    def floor(self) -> float:
        """The half-width below which any benefit is precise enough (:data:`FLOOR` of the
        expected loss today, on every trial)."""
        return FLOOR * abs(self.full.loss(frozenset())[0])

    def settle(self, evaluate: Callable[[int], T], benefit: Callable[[T], Benefit]) -> T:
        """``evaluate(n)`` on the first ``n`` trials, for ``n`` = the screening trials, twice
        them, ... up to all trials (in this fixed order), until :func:`settled_trials` says the
        ``benefit`` of the result is precise enough; all trials at once when exact."""
        return self.settle_each([frozenset()], lambda _s, n: evaluate(n), benefit)[0]

    def settle_each(
        self,
        sets: Sequence[frozenset[Action]],
        evaluate: Callable[[frozenset[Action], int], T],
        benefit: Callable[[T], Benefit],
    ) -> list[T]:
        """:meth:`settle` of ``evaluate(s, n)`` for each set of actions ``s``: each on its own
        counts, the runs of all the sets not yet settled at each count done at once
        (:meth:`LossModel.prefetch`)."""
        got: dict[int, T] = {}
        todo = list(range(len(sets)))
        n = self.full.trials if self.exact else self.screen.trials
        while todo:
            self.model.prefetch([sets[i] for i in todo], n)
            for i in todo:
                got[i] = evaluate(sets[i], n)
            if n >= self.full.trials:
                break
            todo = [i for i in todo if not is_settled(benefit(got[i]), self.floor)]
            n = min(self.full.trials, n + self.screen.trials)
        return [got[i] for i in range(len(sets))]

    def tick(self, stage: str, done: int, total: int) -> None:
        """Report progress, when someone listens."""
        if self.progress is not None:
            self.progress(stage, done, total)

    def roadmap(self, actions: Sequence[Action], benefits: Mapping[str, Benefit]) -> Roadmap:
        """The actions placed on the EMB's calendar from the plan's start (:func:`schedule`)."""
        return schedule(
            actions,
            start=self.start,
            phases=self.ws.emb.phases,
            election_day=self.election_day,
            benefits=benefits,
            function_phase=self.function_phase,
            scenario_phase=self.scenario_phase,
            quick_win_weeks=self.quick_win_weeks,
            quick_win_usd=self.quick_win_usd,
        )


def _setup(
    ws: Workspace,
    *,
    start: dt.date,
    trials: int,
    screen_trials: int,
    seed: int,
    scenarios: Sequence[str] | None,
    quick_win_weeks: float,
    quick_win_usd: float,
    runner: Runner | None,
    progress: Progress | None,
    exact: bool,
) -> _Run:
    """The shared state of a run: today's levels, the scenarios in play and the loss model on
    one seed, so every benefit is paired with the same trials (common random numbers), and the
    screening trials are the first of the full ones."""
    levels = asset_levels(ws)
    scs = selected_scenarios(ws, scenarios)
    run = runner or engine_runner(ws)
    model = LossModel(ws.resolved, levels, scs, trials, seed, run)
    return _Run(
        ws=ws,
        start=start,
        levels=levels,
        scenarios=scs,
        model=model,
        screen=_At(model, screen_trials),
        full=_At(model, trials),
        exact=exact,
        function_phase={f.id: f.phases for f in ws.resolved.functions},
        scenario_phase={s.id: s.phases for s in scs},
        election_day=ws.emb.election.date if ws.emb.election else None,
        quick_win_weeks=quick_win_weeks,
        quick_win_usd=quick_win_usd,
        progress=progress,
    )


def _screen(run: _Run, risk: Sequence[Action]) -> dict[Action, Benefit]:
    """Every action that can change a scenario, alone, on the screening trials."""
    screened: dict[Action, Benefit] = {}
    run.screen.prefetch([frozenset({a}) for a in risk])
    for k, a in enumerate(risk):
        screened[a] = run.screen.benefit(frozenset({a}))
        run.tick("screening", k + 1, len(risk))
    return screened


def _by_ratio(benefits: Mapping[Action, Benefit]) -> Callable[[Action], tuple[float, str]]:
    """Sort key: best benefit per thousand USD first, then by id (deterministic ties)."""
    return lambda a: (-benefit_per_kusd(benefits[a].value, a.cost), a.id)


def _resimulate_leaders(
    run: _Run, effective: Sequence[Action], screened: Mapping[Action, Benefit], leaders: int
) -> dict[Action, Benefit]:
    """Each action's best benefit estimate: full trials for the leaders, screening otherwise.

    A leader whose full benefit falls below a screened action lets that action into the lead,
    which is then re-simulated too, until every leader has full trials.
    """
    best = dict(screened)
    full_done: set[Action] = set()
    while todo := [
        a for a in sorted(effective, key=_by_ratio(best))[:leaders] if a not in full_done
    ]:
        sets = [frozenset({a}) for a in todo]
        for a, got in zip(
            todo, run.settle_each(sets, partial(_alone, run.full), _itself), strict=True
        ):
            best[a] = got
            full_done.add(a)
            run.tick("re-simulating leaders", len(full_done), max(leaders, len(full_done)))
    return best


def _itself(b: Benefit) -> Benefit:
    return b


def _steps_trials(run: _Run, actions: Sequence[Action]) -> int:
    """One trial count for every step of a sequence of actions (each step's benefit and what it
    adds): the count at which the benefit of all of them together settles (:meth:`_Run.settle`).
    On one count the steps' additions add up to the total, as the plan's split by cycle needs."""
    together = frozenset(actions)
    if not together:
        return run.full.trials
    return run.settle(partial(_counted, run.full, together), _second)[0]


def _counted(model: _At, actions: frozenset[Action], trials: int) -> tuple[int, Benefit]:
    return trials, model.at(trials).benefit(actions)


def _second(pair: tuple[int, Benefit]) -> Benefit:
    return pair[1]


def _alone(model: _At, actions: frozenset[Action], trials: int) -> Benefit:
    """The benefit of the actions on the first ``trials`` trials."""
    return model.at(trials).benefit(actions)


def _step(model: _At, a: Action, before: frozenset[Action], trials: int) -> tuple[Benefit, Benefit]:
    """What ``a`` adds to ``before``, and the benefit of both together, on the first ``trials``
    trials."""
    at = model.at(trials)
    return at.benefit(frozenset({a}), base=before), at.benefit(before | {a})


def _leaders_together(
    run: _Run, ranked: Sequence[Action], leaders: int
) -> tuple[dict[Action, Benefit], dict[str, Benefit]]:
    """For the leaders in rank order: the benefit of each with every one ranked above it
    (cumulative, by action) and what each adds to those (marginal, by action id)."""
    cumulative: dict[Action, Benefit] = {}
    marginal: dict[str, Benefit] = {}
    prefix: frozenset[Action] = frozenset()
    n = _steps_trials(run, ranked[:leaders])
    for k, a in enumerate(ranked[:leaders]):
        marginal[a.id], cumulative[a] = _step(run.full, a, prefix, n)
        prefix = prefix | {a}
        run.tick("cumulative benefit of the leaders", k + 1, min(leaders, len(ranked)))
    return cumulative, marginal


def _budget_plan(
    run: _Run, effective: Sequence[Action], budget: float, cost_basis: CostBasis
) -> Plan:
    """The plan within ``budget``: searched on the screening trials (:func:`budget_plan`),
    then re-simulated in full step by step and placed on the calendar."""
    search = budget_plan(
        effective,
        budget,
        run.screen.value,
        lambda s: plan_cost(s).at(cost_basis),
        key=lambda a: a.id,
    )
    run.tick("searching the budget plan", 1, 1)
    # each step adds to the actions ready no later than it (pick order on a tie), so the
    # actions in time for a phase are the first steps, and the steps' this-cycle parts add
    # up to what those actions remove together (see Plan.this_cycle)
    by_ready = sorted(search.chosen, key=lambda a: ready_date(run.start, a.weeks))
    steps = []
    done: frozenset[Action] = frozenset()
    spent = ZERO_COST
    n = _steps_trials(run, by_ready)
    for k, a in enumerate(by_ready):
        step_benefit, together = _step(run.full, a, done, n)
        done = done | {a}
        total = plan_cost(done)
        steps.append(PlanStep(a, step_benefit, together, total - spent, total))
        spent = total
        run.tick("re-simulating the plan", k + 1, len(by_ready))
    placed = run.roadmap(by_ready, {s.action.id: s.marginal for s in steps}).entries
    steps = [
        replace(s, ready=e.ready, this_cycle=e.this_cycle, next_cycle=e.next_cycle)
        for s, e in zip(steps, placed, strict=True)
    ]
    return Plan(
        budget=float(budget),
        basis=cost_basis,
        method=search.method,
        steps=tuple(steps),
        screened_value=search.value,
    )


def _quick_wins(
    run: _Run, ranked: Sequence[Action], best: Mapping[Action, Benefit]
) -> dict[str, bool]:
    """Action id -> quick win or not, by the roadmap's rule applied to each ranked action's own
    benefit (not its marginal one in a plan)."""
    return {
        e.action.id: e.quick_win
        for e in run.roadmap(ranked, {a.id: best[a] for a in ranked}).entries
    }


def _ranking(
    run: _Run,
    ranked: Sequence[Action],
    best: Mapping[Action, Benefit],
    cumulative: Mapping[Action, Benefit],
    quick: Mapping[str, bool],
) -> tuple[Recommendation, ...]:
    """The ranked actions with what they protect (titles for the explanations), their
    cumulative benefit (leaders only) and the quick-win flag of the roadmap's rule."""
    scenario_titles = MappingProxyType({s.id: s.title for s in run.scenarios})
    function_titles = MappingProxyType({f.id: f.title for f in run.ws.resolved.functions})
    ids = run.ws.resolved.ids
    return tuple(
        Recommendation(
            rank=k + 1,
            action=a,
            benefit=best[a],
            per_kusd=benefit_per_kusd(best[a].value, a.cost),
            quick_win=quick[a.id],
            assets=tuple(ids[int(i)] for i in a.positions[:MAX_LISTED_ASSETS]),
            scenario_titles=scenario_titles,
            function_titles=function_titles,
            cumulative=cumulative.get(a),
        )
        for k, a in enumerate(ranked)
    )


def _baseline(run: _Run) -> tuple[float, float, float]:
    """Expected loss today on the full trials: its value, standard error and public-trust
    part."""
    baseline, baseline_se = run.full.loss(frozenset())
    baseline_trust = sum(
        run.model.outcome(sid, frozenset()).trust_loss for sid in sorted(run.full.scenarios)
    )
    return baseline, baseline_se, baseline_trust


def _readiness_actions(
    ws: Workspace, start: dt.date, actions: Sequence[tuple[Action, str]]
) -> tuple[ReadinessAction, ...]:
    """The actions without a simulated effect (each with the reason why), ranked by the rise of
    the overall readiness score per thousand USD, then of its low end."""
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
    rows.sort(
        key=lambda r: (
            -benefit_per_kusd(r[1], r[0].cost),
            -benefit_per_kusd(r[2], r[0].cost),
            r[0].id,
        )
    )
    return tuple(
        ReadinessAction(
            rank=k + 1,
            action=a,
            gain=gain,
            gain_low_end=low,
            per_kusd=benefit_per_kusd(gain, a.cost),
            reason=reason,
        )
        for k, (a, gain, low, reason) in enumerate(rows)
    )
